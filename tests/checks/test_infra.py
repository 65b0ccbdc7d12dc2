"""Infrastructure checks: each rule's positive and negative cases on hand-made findings, and the
planted conflicts of fixtures/polyglot/{risk-lambda,mesh} end to end through the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract_discovery.checks.infra import RULES, fmt_ms, infra_checks
from contract_discovery.model import STATUSES, CheckResult, Finding, Location, Target
from contract_discovery.pipeline import scan

ROOT = Path(__file__).resolve().parents[2]


def tf(kind: str, line: int, path: str = "infra/main.tf", detector: str = "terraform.lambda_function",
       **attrs: Any) -> Finding:
    return Finding(kind=kind, path=path, line=line, column=1, end_line=line, end_column=2, language="terraform",
                   detector=detector, attributes=attrs, service="risk-lambda")


def lam(line: int, resource: str, ms: float | None, path: str = "infra/main.tf", name: str | None = None) -> Finding:
    return tf("timeout", line, path, resource=resource, timeout_ms=ms, phase="function",
              resolved_from="literal", function_name=name)


def queue(line: int, resource: str, ms: float, path: str = "infra/main.tf") -> Finding:
    return tf("timeout", line, path, "terraform.sqs_queue", resource=resource, timeout_ms=ms, phase="visibility",
              resolved_from="literal")


def mapping(line: int, source: str, function: str | None, path: str = "infra/main.tf",
            function_name: str | None = None, window: int | None = None) -> Finding:
    return tf("outbound_call", line, path, "terraform.event_source_mapping", protocol="queue",
              method="event_source_mapping", resource="aws_lambda_event_source_mapping.m", source=source,
              source_kind="sqs", function=function, function_name=function_name, batching_window_ms=window)


def integration(line: int, target: str | None, ms: float, resolved_from: str = "literal",
                path: str = "infra/main.tf") -> Finding:
    return tf("timeout", line, path, "terraform.api_gateway", resource="aws_api_gateway_integration.i",
              timeout_ms=ms, phase="total", resolved_from=resolved_from, integration_target=target)


def mesh(kind: str, line: int, service: str, methods: list[str] | None = None, uris: list[str] | None = None,
         mesh_route: bool = True, **attrs: Any) -> Finding:
    attrs = dict(attrs, methods=methods, uris=uris, resource=f"VirtualService/{service}", mesh=mesh_route,
                 route=None)
    return Finding(kind=kind, path="k8s/vs.yaml", line=line, column=7, end_line=line, end_column=8,
                   language="kubernetes", detector="kubernetes.istio_virtual_service", attributes=attrs,
                   target=Target(service=service, operation=(uris or [None])[0]), service="platform")


def code(kind: str, line: int, service: str, url: str | None = None, **attrs: Any) -> Finding:
    return Finding(kind=kind, path="checkout/client.py", line=line, column=5, end_line=line, end_column=9,
                   language="python", detector="python.requests", attributes=attrs,
                   target=Target(service=service, url=url), service="checkout")


def summary(results: list[CheckResult]) -> list[tuple]:
    return [(r.rule, r.status, r.consumer, r.provider, tuple((loc.path, loc.line) for loc in r.locations))
            for r in results]


# ---------------------------------------------------------------- SQS visibility


def test_visibility_shorter_than_the_function_blocks() -> None:
    results = infra_checks([queue(3, "aws_sqs_queue.q", 30000), lam(9, "aws_lambda_function.f", 60000),
                            mapping(20, "aws_sqs_queue.q", "aws_lambda_function.f")])
    assert summary(results) == [("infra-sqs-visibility-timeout", "BLOCKS_INTEGRATION", "aws_lambda_function.f",
                                 "aws_sqs_queue.q", (("infra/main.tf", 3), ("infra/main.tf", 9), ("infra/main.tf", 20)))]
    (r,) = results
    assert r.expected == "visibility timeout >= 360s (6 x the function's 60s timeout)"
    assert r.actual == ("visibility timeout = 30s, less than the function's 60s timeout: AWS rejects the event "
                        "source mapping, and a message still in work would be delivered again")
    assert r.action == ("Raise visibility_timeout_seconds of aws_sqs_queue.q to at least 360, "
                        "or lower the timeout of aws_lambda_function.f")
    assert r.title == RULES["infra-sqs-visibility-timeout"][0]
    assert r.fingerprint and r.details["service"] == "risk-lambda"


def test_visibility_under_six_times_warns_and_counts_the_batching_window() -> None:
    results = infra_checks([queue(3, "aws_sqs_queue.q", 100000), lam(9, "aws_lambda_function.f", 20000),
                            mapping(20, "aws_sqs_queue.q", "aws_lambda_function.f", window=5000)])
    assert [(r.status, r.expected, r.actual) for r in results] == [
        ("WARNING", "visibility timeout >= 125s (6 x the function's 20s timeout + 5s batching window)",
         "visibility timeout = 100s")]


@pytest.mark.parametrize("findings", [
    # Six times is enough.
    [queue(3, "aws_sqs_queue.q", 360000), lam(9, "aws_lambda_function.f", 60000),
     mapping(20, "aws_sqs_queue.q", "aws_lambda_function.f")],
    # No mapping joins them.
    [queue(3, "aws_sqs_queue.q", 30000), lam(9, "aws_lambda_function.f", 60000)],
    # Same addresses in another module (directory) do not join.
    [queue(3, "aws_sqs_queue.q", 30000, path="other/main.tf"), lam(9, "aws_lambda_function.f", 60000),
     mapping(20, "aws_sqs_queue.q", "aws_lambda_function.f")],
    # The function's timeout is unknown (unresolved variable).
    [queue(3, "aws_sqs_queue.q", 30000), lam(9, "aws_lambda_function.f", None),
     mapping(20, "aws_sqs_queue.q", "aws_lambda_function.f")],
])
def test_visibility_negatives(findings: list[Finding]) -> None:
    assert infra_checks(findings) == []


def test_visibility_joins_a_function_given_by_literal_name() -> None:
    results = infra_checks([queue(3, "aws_sqs_queue.q", 30000), lam(9, "aws_lambda_function.f", 10000, name="worker"),
                            mapping(20, "aws_sqs_queue.q", None, function_name="worker")])
    assert [(r.rule, r.status) for r in results] == [("infra-sqs-visibility-timeout", "WARNING")]


# ---------------------------------------------------------------- Lambda behind API Gateway


def test_lambda_longer_than_the_integration_blocks() -> None:
    results = infra_checks([integration(30, "aws_lambda_function.f", 29000, "library_default"),
                            lam(9, "aws_lambda_function.f", 60000)])
    assert summary(results) == [("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_api_gateway_integration.i",
                                 "aws_lambda_function.f", (("infra/main.tf", 30), ("infra/main.tf", 9)))]
    (r,) = results
    assert (r.expected, r.actual) == ("an answer within 29s (the default)", "timeout = 60s")


@pytest.mark.parametrize("findings", [
    [integration(30, "aws_lambda_function.f", 29000), lam(9, "aws_lambda_function.f", 29000)],  # equal is fine
    [integration(30, "aws_lambda_function.f", 29000), lam(9, "aws_lambda_function.f", 3000)],  # the 3 s default
    [integration(30, None, 29000), lam(9, "aws_lambda_function.f", 60000)],  # an HTTP integration
    [integration(30, "aws_lambda_function.g", 29000), lam(9, "aws_lambda_function.f", 60000)],  # another function
])
def test_lambda_apigw_negatives(findings: list[Finding]) -> None:
    assert infra_checks(findings) == []


# ---------------------------------------------------------------- mesh retries on POST


def test_mesh_retry_on_post_without_idempotency_key_warns() -> None:
    results = infra_checks([mesh("retry", 20, "risk", ["POST"], ["/score"], max_attempts=3, retry_on="5xx,reset")])
    assert summary(results) == [("infra-mesh-retry-non-idempotent", "WARNING", "istio", "risk",
                                 (("k8s/vs.yaml", 20),))]
    (r,) = results
    assert r.expected == "an idempotency key in risk for POST /score, which the mesh retries on 5xx,reset"
    assert r.actual == "no idempotency key found (VirtualService/risk retries POST /score up to 2 times)"


def test_gateway_api_route_retrying_post_codes_warns() -> None:
    from extractors.kubernetes.extractor import EXTRACTOR
    path = ROOT / "fixtures" / "kubernetes" / "gateway-api" / "httproutes.yaml"
    findings = EXTRACTOR.extract("k8s/httproutes.yaml", path.read_bytes()).findings
    results = infra_checks(findings)
    assert [(r.rule, r.status, r.provider, r.expected, r.locations) for r in results] == [
        ("infra-mesh-retry-non-idempotent", "WARNING", "payment",
         "an idempotency key in payment for POST /charges, which the mesh retries on 500,502,503",
         (Location("k8s/httproutes.yaml", 25),))]


def _key(service: str) -> Finding:
    return Finding(kind="idempotency_key", path="risk/api.py", line=3, column=1, end_line=3, end_column=2,
                   language="python", detector="python.idempotency", attributes={"key": "transaction_id"},
                   service=service)


@pytest.mark.parametrize("findings", [
    [mesh("retry", 20, "risk", ["GET"], ["/score"], max_attempts=3, retry_on="5xx")],  # idempotent method
    [mesh("retry", 20, "risk", None, ["/score"], max_attempts=3, retry_on="5xx")],  # no method match
    [mesh("retry", 20, "risk", ["POST"], ["/score"], max_attempts=3, retry_on="connect-failure,refused-stream")],
    [mesh("retry", 20, "risk", ["POST"], ["/score"], max_attempts=1, retry_on="5xx")],  # attempts: 0
    [mesh("retry", 20, "risk", ["POST"], ["/score"], max_attempts=3, retry_on="5xx"), _key("risk")],
    [mesh("timeout", 19, "risk", ["POST"], ["/score"], timeout_ms=2000, phase="total")],  # no retries at all
])
def test_mesh_retry_negatives(findings: list[Finding]) -> None:
    assert [r for r in infra_checks(findings) if r.rule == "infra-mesh-retry-non-idempotent"] == []


def test_idempotency_key_of_another_service_does_not_count() -> None:
    results = infra_checks([mesh("retry", 20, "risk", ["POST"], ["/score"], max_attempts=3, retry_on="5xx"),
                            _key("payment")])
    assert [r.rule for r in results] == ["infra-mesh-retry-non-idempotent"]


# ---------------------------------------------------------------- mesh timeout vs code timeout


def test_mesh_cuts_before_the_code_timeout_warns() -> None:
    results = infra_checks([code("timeout", 14, "risk", "http://risk:8080/score", timeout_ms=5000, phase="total"),
                            mesh("timeout", 19, "risk", ["POST"], ["/score"], timeout_ms=2000, phase="total"),
                            mesh("timeout", 40, "risk", None, ["/slow"], timeout_ms=1000, phase="total")])
    assert summary(results) == [("infra-mesh-timeout-mismatch", "WARNING", "checkout", "risk",
                                 (("checkout/client.py", 14), ("k8s/vs.yaml", 19)))]
    (r,) = results
    assert (r.expected, r.actual) == ("to wait up to 5s for risk",
                                      "the mesh ends the call after 2s (VirtualService/risk, POST /score)")


def test_code_gives_up_first_is_info() -> None:
    results = infra_checks([code("timeout", 14, "payment", None, timeout_ms=3000, phase="total"),
                            mesh("timeout", 19, "payment", ["POST"], ["/charges"], timeout_ms=10000, phase="total")])
    assert [(r.rule, r.status, r.expected, r.actual) for r in results] == [
        ("infra-mesh-timeout-mismatch", "INFO", "to give up on payment after 3s",
         "a mesh route timeout of 10s (VirtualService/payment, POST /charges) that never fires for checkout")]


@pytest.mark.parametrize("findings", [
    # A gateway-only route does not carry service-to-service calls.
    [code("timeout", 14, "risk", None, timeout_ms=5000, phase="total"),
     mesh("timeout", 19, "risk", None, None, mesh_route=False, timeout_ms=2000, phase="total")],
    # The code calls a path the route does not match.
    [code("timeout", 14, "risk", "http://risk/other", timeout_ms=5000, phase="total"),
     mesh("timeout", 19, "risk", None, ["/score"], timeout_ms=2000, phase="total")],
    # Equal timeouts.
    [code("timeout", 14, "risk", None, timeout_ms=2000, phase="total"),
     mesh("timeout", 19, "risk", None, None, timeout_ms=2000, phase="total")],
    # A connect timeout is not the call's timeout.
    [code("timeout", 14, "risk", None, timeout_ms=5000, phase="connect"),
     mesh("timeout", 19, "risk", None, None, timeout_ms=2000, phase="total")],
    # Unresolved code timeout.
    [code("timeout", 14, "risk", None, timeout_ms=None, phase="total"),
     mesh("timeout", 19, "risk", None, None, timeout_ms=2000, phase="total")],
    # Another destination.
    [code("timeout", 14, "payment", None, timeout_ms=5000, phase="total"),
     mesh("timeout", 19, "risk", None, None, timeout_ms=2000, phase="total")],
])
def test_mesh_timeout_negatives(findings: list[Finding]) -> None:
    assert infra_checks(findings) == []


# ---------------------------------------------------------------- retry layers


def test_code_and_mesh_retries_multiply() -> None:
    results = infra_checks([code("retry", 12, "risk", "http://risk/score", max_attempts=3, mechanism="loop"),
                            mesh("retry", 20, "risk", ["GET"], ["/score"], max_attempts=4, retry_on="5xx")])
    assert summary(results) == [("infra-retry-layers", "WARNING", "checkout", "risk",
                                 (("checkout/client.py", 12), ("k8s/vs.yaml", 20)))]
    (r,) = results
    assert (r.expected, r.actual) == ("3 attempts per call (its own retries, at one layer)",
                                      "mesh retries on top, 4 attempts each (VirtualService/risk, GET /score): "
                                      "up to 12 requests per call")
    assert r.details["total_attempts"] == 12


@pytest.mark.parametrize("findings", [
    [code("retry", 12, "risk", None, max_attempts=1), mesh("retry", 20, "risk", None, None, max_attempts=4)],
    [code("retry", 12, "risk", None, max_attempts=3), mesh("retry", 20, "risk", None, None, max_attempts=1)],
    [code("retry", 12, "risk", None, max_attempts=None), mesh("retry", 20, "risk", None, None, max_attempts=4)],
    [code("retry", 12, "risk", None, max_attempts=3), mesh("retry", 20, "payment", None, None, max_attempts=4)],
    [code("retry", 12, "risk", None, max_attempts=3), mesh("retry", 20, "risk", None, None, mesh_route=False,
                                                          max_attempts=4)],
])
def test_retry_layer_negatives(findings: list[Finding]) -> None:
    assert infra_checks(findings) == []


# ---------------------------------------------------------------- rules table and end to end


def test_rules_table() -> None:
    assert set(RULES) == {"infra-sqs-visibility-timeout", "infra-lambda-apigw-timeout",
                          "infra-mesh-retry-non-idempotent", "infra-mesh-timeout-mismatch", "infra-retry-layers"}
    for title, status, rationale in RULES.values():
        assert title and rationale.endswith((".", ")"))
        assert status in STATUSES


@pytest.mark.parametrize("ms,text", [(200, "200ms"), (29000, "29s"), (1500, "1.5s"), (90000, "90s"), (0.5, "0.5ms")])
def test_fmt_ms(ms, text) -> None:
    assert fmt_ms(ms) == text


def test_risk_lambda_fixture_end_to_end() -> None:
    result = scan(ROOT / "fixtures" / "polyglot" / "risk-lambda")
    results = infra_checks(result.findings)
    assert [(r.rule, r.status, r.consumer, r.provider, r.expected, r.actual, r.locations) for r in results] == [
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_api_gateway_integration.score",
         "aws_lambda_function.risk", "an answer within 29s", "timeout = 60s",
         (Location("infra/main.tf", 23), Location("infra/main.tf", 9))),
        ("infra-sqs-visibility-timeout", "BLOCKS_INTEGRATION", "aws_lambda_function.batch", "aws_sqs_queue.score_jobs",
         "visibility timeout >= 360s (6 x the function's 60s timeout)",
         "visibility timeout = 30s, less than the function's 60s timeout: AWS rejects the event source mapping, "
         "and a message still in work would be delivered again",
         (Location("infra/main.tf", 28), Location("infra/main.tf", 37), Location("infra/main.tf", 40))),
    ]


def test_terraform_fixture_module_joins_resolved_values_and_aliases() -> None:
    from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    from extractors.terraform.extractor import EXTRACTOR

    folder = ROOT / "fixtures" / "terraform" / "lambda_apigw"
    results = [EXTRACTOR.extract(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sorted(folder.glob("*.tf"))]
    resolver = Resolver(results)
    findings = [resolve_finding(f, r, resolver, ServiceIndex([])) for r in results for f in r.findings]
    assert [(r.rule, r.status, r.consumer, r.provider, r.expected, r.actual) for r in infra_checks(findings)] == [
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_api_gateway_integration.score",
         "aws_lambda_function.risk", "an answer within 29s", "timeout = 60s"),
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_apigatewayv2_integration.scoring",
         "aws_lambda_function.scoring", "an answer within 30s (the default)",
         "timeout = 45s"),
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_apigatewayv2_integration.scoring_fast",
         "aws_lambda_function.scoring", "an answer within 10s", "timeout = 45s"),
        ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", "aws_api_gateway_integration.score_live",
         "aws_lambda_function.risk", "an answer within 15s", "timeout = 60s"),
    ]


def test_mesh_fixture_end_to_end() -> None:
    result = scan(ROOT / "fixtures" / "polyglot" / "mesh")
    results = infra_checks(result.findings)
    assert summary(results) == [
        ("infra-mesh-retry-non-idempotent", "WARNING", "istio", "risk", (("k8s/risk-virtualservice.yaml", 20),)),
        ("infra-mesh-timeout-mismatch", "WARNING", "checkout", "risk",
         (("checkout/checkout/clients.py", 14), ("k8s/risk-virtualservice.yaml", 19))),
        ("infra-mesh-timeout-mismatch", "INFO", "checkout", "payment",
         (("checkout/checkout/clients.py", 24), ("k8s/payment-virtualservice.yaml", 19))),
        ("infra-retry-layers", "WARNING", "checkout", "risk",
         (("checkout/checkout/clients.py", 12), ("k8s/risk-virtualservice.yaml", 20))),
    ]


def test_a_key_only_declared_in_the_contract_still_warns_and_says_so() -> None:
    # the contract declares `idempotency_key: Idempotency-Key` for capture; no code reading it was found:
    # the mesh re-sends the same request, but nothing shows the service dedupes it (polyglot6 keeps this a warning)
    route = mesh("retry", 20, "payment", ["POST"], ["/v1/captures"], max_attempts=4, retry_on="5xx,reset")
    results = infra_checks([route], declared_keys={"payment": "Idempotency-Key"})
    assert [(r.rule, r.status) for r in results] == [("infra-mesh-retry-non-idempotent", "WARNING")]
    assert "payment's contract declares Idempotency-Key, but no code reading it was found" in results[0].actual
    assert "Confirm that payment dedupes" in results[0].action
    # without a declaration: the plain wording
    plain = infra_checks([route])
    assert plain[0].actual.startswith("no idempotency key found")
    # a key seen in the code silences it, declared or not
    assert infra_checks([route, _key("payment")], declared_keys={"payment": "Idempotency-Key"}) == []
