"""Inferred contracts from scan findings: which section each finding feeds, with its evidence."""

from contract_discovery.contracts.infer import contract_to_dict, infer_contracts
from tests.contracts.factories import finding, services

SERVICES = services("checkout", "risk", "orders", "payment", "support")


def by_service(findings):
    return {c.service: contract_to_dict(c) for c in infer_contracts(SERVICES, findings)}


def test_checkout_retry_loop_with_fresh_id_per_attempt():
    findings = [
        finding("retry", "checkout", "checkout/risk_client.py", 16, end_line=32, max_attempts=3, backoff="exponential",
                mechanism="loop"),
        finding("new_id_per_attempt", "checkout", "checkout/risk_client.py", 18, generator="uuid.uuid4",
                variable="tx_id", retry_line=16),
        finding("timeout", "checkout", "checkout/risk_client.py", 20, target="risk.score", timeout_ms=200,
                phase="total", resolved_from="literal", expression="0.2"),
        finding("timeout", "checkout", "checkout/payment_client.py", 10, target="payment.authorize",
                timeout_ms=2000, phase="total", resolved_from="env_default", expression="X"),
    ]
    assert by_service(findings) == {"checkout": {
        "service": "checkout",
        "depends_on": [
            {"service": "payment", "operation": "authorize", "timeout": "2s",
             "x-evidence": ["checkout/payment_client.py:10"]},
            {"service": "risk", "operation": "score", "timeout": "200ms",
             "retry": {"max_attempts": 3, "backoff": "exponential"},
             "x-evidence": ["checkout/risk_client.py:16", "checkout/risk_client.py:20"]},
        ],
        "retry_policies": [
            {"target": "risk.score", "on_timeout": {"generates_new_request_id": True}, "x-request-id": "tx_id",
             "x-generator": "uuid.uuid4", "x-evidence": ["checkout/risk_client.py:18"]},
        ],
    }}


def test_a_loop_that_is_not_around_the_call_does_not_take_its_target():
    findings = [
        finding("retry", "checkout", "checkout/a.py", 5, end_line=8, max_attempts=3, mechanism="loop"),
        finding("timeout", "checkout", "checkout/a.py", 20, target="risk", timeout_ms=100, phase="total"),
        finding("timeout", "checkout", "checkout/a.py", 30, target="payment", timeout_ms=100, phase="total"),
    ]
    deps = by_service(findings)["checkout"]["depends_on"]
    assert all("retry" not in d for d in deps)


def test_connect_plus_read_and_missing_timeout():
    findings = [
        finding("timeout", "support", "support/a.py", 3, target="risk", timeout_ms=1000, phase="connect"),
        finding("timeout", "support", "support/a.py", 3, target="risk", timeout_ms=4000, phase="read"),
        finding("missing_timeout", "support", "support/b.py", 9, target="orders", library="requests",
                library_default_ms=None),
    ]
    deps = by_service(findings)["support"]["depends_on"]
    # without a total, the read timeout is the timeout (the connect one only bounds reaching the host)
    assert [(d["service"], d["timeout"]) for d in deps] == [("orders", "none"), ("risk", "4s")]


def test_unresolved_timeout_is_kept_as_an_expression_not_a_value():
    findings = [finding("timeout", "checkout", "c.py", 3, target="risk", timeout_ms=None, phase="total",
                        resolved_from="unresolved", expression="settings.RISK_TIMEOUT")]
    dep = by_service(findings)["checkout"]["depends_on"][0]
    assert "timeout" not in dep and dep["x-timeout-unresolved"] == ["settings.RISK_TIMEOUT"]


def test_provider_side_idempotency_key_and_replica_read():
    findings = [
        finding("idempotency_key", "risk", "risk/scoring.py", 16, key="tx_id", window_ms=300000),
        finding("replica_read", "risk", "risk/scoring.py", 12, alias="orders_replica", mechanism="django_using"),
        finding("replica_read", "orders", "orders/db.py", 11, alias="postgresql://orders-replica:5432/orders",
                mechanism="sqlalchemy_engine"),
        finding("replica_read", "support", "support/db.py", 4, alias="replica", mechanism="django_using"),
    ]
    result = by_service(findings)
    assert result["risk"] == {
        "service": "risk",
        "operations": [{"name": "unknown", "idempotency_key": "tx_id", "expects": "stable_across_retries",
                        "window": "5m", "x-evidence": ["risk/scoring.py:16"]}],
        "data_dependencies": [{"source": "orders_replica", "via": "database_replica", "service": "orders",
                               "x-evidence": ["risk/scoring.py:12"]}],
    }
    assert result["orders"]["data_dependencies"][0]["service"] == "orders"
    assert result["support"]["data_dependencies"][0]["service"] == "support"  # its own database


def test_services_without_findings_have_no_contract_and_calls_to_self_are_not_dependencies():
    findings = [finding("timeout", "risk", "risk/a.py", 3, target="risk", timeout_ms=100, phase="total")]
    assert by_service(findings) == {}


def test_mesh_and_cloud_settings_are_not_a_callers_contract():
    from dataclasses import replace

    mesh = replace(finding("timeout", "checkout", "k8s/risk-vs.yaml", 19, target="risk", timeout_ms=2000, phase="total"),
                   language="kubernetes")
    assert by_service([mesh]) == {}


def test_inferred_contracts_are_valid_contract_files():
    import yaml

    from contract_discovery.contracts.loader import parse_contract_text

    findings = [
        finding("retry", "checkout", "c.py", 16, end_line=32, max_attempts=None, mechanism="loop"),
        finding("new_id_per_attempt", "checkout", "c.py", 18, generator="uuid.uuid4", variable="tx_id", retry_line=16),
        finding("timeout", "checkout", "c.py", 20, target="risk.score", timeout_ms=200, phase="total"),
        finding("missing_timeout", "checkout", "d.py", 3, target="payment", library="requests"),
        finding("circuit_breaker", "checkout", "c.py", 21, target="risk.score"),
        finding("idempotency_key", "risk", "r.py", 16, key="tx_id", window_ms=None),
        finding("replica_read", "risk", "r.py", 12, alias="orders_replica"),
    ]
    text = yaml.safe_dump_all(list(by_service(findings).values()), sort_keys=False)
    contracts, issues = parse_contract_text(text, "export.yaml", origin="peer")
    assert issues == []
    assert sorted(c.service for c in contracts) == ["checkout", "risk"]


def test_a_client_module_named_after_its_service_gives_the_target():
    findings = [
        finding("retry", "ledger", "ledger/Clients/PaymentClient.cs", 21, end_line=30, max_attempts=4, mechanism="loop"),
        finding("new_id_per_attempt", "ledger", "ledger/Clients/PaymentClient.cs", 28, generator="Guid.NewGuid",
                variable="idempotencyKey", retry_line=21),
        finding("retry", "ledger", "ledger/Jobs/Reconcile.cs", 5, end_line=9, max_attempts=2, mechanism="loop"),
    ]
    result = infer_contracts(services("ledger", "payment"), findings)
    policies = [dict(e.data) for c in result for e in c.retry_policies]
    assert [p["target"] for p in policies] == ["payment"]


def test_a_timeout_on_the_call_overrides_the_clients():
    findings = [
        finding("timeout", "orders", "orders/pay.go", 10, target="payment", timeout_ms=2000, phase="total"),
        finding("outbound_call", "orders", "orders/pay.go", 30, target="payment.charges", protocol="http"),
        finding("timeout", "orders", "orders/pay.go", 30, target="payment.charges", timeout_ms=5000, phase="total"),
    ]
    deps = by_service(findings)["orders"]["depends_on"]
    assert [(d.get("operation"), d["timeout"]) for d in deps] == [("charges", "5s")]


def test_an_untargeted_client_timeout_in_a_file_named_after_its_service():
    findings = [
        finding("timeout", "payment", "payment/client/RiskClient.java", 26, timeout_ms=2000, phase="read"),
        finding("retry", "payment", "payment/client/RiskClient.java", 32, target="risk", max_attempts=3),
        finding("timeout", "payment", "payment/db/Pool.java", 9, timeout_ms=500, phase="connect"),
    ]
    deps = by_service(findings)["payment"]["depends_on"]
    assert [(d["service"], d.get("timeout")) for d in deps] == [("risk", "2s")]
