"""The inferred side of the adoption commands: the fallback inference and per-field evidence."""

from __future__ import annotations

from contract_discovery.adoption.contracts import declared_from_texts, match_entry, same_value
from contract_discovery.adoption.inferred import field_evidence, infer_from_findings
from contract_discovery.model import Finding, Target

RISK = Target(service="risk", operation="score", url="http://risk:8080/score")


def finding(kind: str, line: int, target: Target | None = RISK, **attributes) -> Finding:
    return Finding(kind=kind, path="checkout/client.py", line=line, column=1, end_line=line, end_column=2,
                   language="python", detector="python.test", attributes=attributes, target=target,
                   service="checkout")


def test_fallback_inference_groups_settings_by_dependency_with_evidence():
    findings = [
        finding("retry", 10, max_attempts=3, backoff="exponential", mechanism="loop"),
        finding("new_id_per_attempt", 12, target=None, generator="uuid.uuid4", variable="tx_id", retry_line=10),
        finding("outbound_call", 14, protocol="http", method="POST", url=RISK.url),
        finding("timeout", 14, timeout_ms=200, phase="total", resolved_from="literal", expression="0.2"),
        finding("timeout", 14, timeout_ms=50, phase="connect", resolved_from="literal", expression="0.05"),
        finding("replica_read", 30, target=None, alias="orders_replica", mechanism="django_using"),
    ]
    contract = infer_from_findings("checkout", findings)
    assert contract == {
        "service": "checkout",
        "depends_on": [{"service": "risk", "operation": "score", "retry": "3 attempts", "timeout": "200ms",
                        "x-evidence": ["checkout/client.py:10", "checkout/client.py:14"]}],
        "retry_policies": [{"target": "risk.score", "on_timeout": {"generates_new_request_id": True},
                            "x-evidence": ["checkout/client.py:12"]}],
        "data_dependencies": [{"source": "orders_replica", "via": "database_replica",
                               "x-evidence": ["checkout/client.py:30"]}],
    }
    at = {}
    for f in findings:
        at.setdefault(f"{f.path}:{f.line}", []).append(f)
    entry = contract["depends_on"][0]
    assert field_evidence(entry, "timeout", at) == "checkout/client.py:14"
    assert field_evidence(entry, "retry", at) == "checkout/client.py:10"
    assert field_evidence(entry, "operation", at) is None


def test_entries_match_by_name_then_loosely_and_values_compare_in_the_notation():
    declared = declared_from_texts("checkout", [("c/contracts/a.yaml", (
        "service: checkout\n"
        "depends_on:\n"
        "  - {service: risk, operation: scoreTransaction, timeout: 0.5s}\n"
        "  - {service: payment, operation: authorize}\n"
        "  - {service: payment, operation: refund}\n"))])
    deps = declared.section("depends_on")
    assert [e.line for e in deps] == [3, 4, 5]
    # The code calls /score: the only risk entry is the same dependency.
    assert match_entry("depends_on", {"service": "risk", "operation": "score"}, deps, lambda e: e.data) is deps[0]
    # Two payment entries and the code's operation names neither: no guess.
    assert match_entry("depends_on", {"service": "payment", "operation": "capture"}, deps, lambda e: e.data) is None
    assert match_entry("depends_on", {"service": "payment", "operation": "refund"}, deps, lambda e: e.data) is deps[2]
    assert same_value(deps[0].data["timeout"], "500ms")
    assert same_value("none", False) and same_value("3", "3 attempts")
    assert not same_value("200ms", "2s")


def test_contract_files_for_another_service_are_ignored():
    declared = declared_from_texts("risk", [("x.yaml", "service: checkout\ndepends_on:\n  - {service: risk}\n---\n"
                                                      "service: risk\noperations:\n  - {name: score}\n")])
    assert [(e.section, e.data, e.line, e.doc_index) for e in declared.entries] == [
        ("operations", {"name": "score"}, 7, 1)]


def test_retry_values_compare_by_attempts_and_stated_backoff():
    from contract_discovery.adoption.initializer import differs

    code = {"max_attempts": 3, "backoff": "exponential"}
    assert not differs("depends_on", "retry", 3, code)
    assert not differs("depends_on", "retry", "3 attempts", code)
    assert not differs("depends_on", "retry", {"max_attempts": 3}, code)
    assert differs("depends_on", "retry", "none", code)
    assert differs("depends_on", "retry", {"max_attempts": 3, "backoff": "fixed"}, code)
    assert not differs("depends_on", "timeout", "0.5s", "500ms")
    assert not differs("retry_policies", "on_timeout", {"generates_new_request_id": True, "reason": "logs"},
                       {"generates_new_request_id": True})
    assert differs("retry_policies", "on_timeout", {"generates_new_request_id": False}, {"generates_new_request_id": True})
