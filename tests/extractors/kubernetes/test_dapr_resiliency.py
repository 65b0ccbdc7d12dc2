"""Round 11 (infra): Dapr Resiliency (`dapr.io/v1alpha1`): named timeout / retry / circuit-breaker
policies reported where `spec.targets` applies them (the `timeout:` / `retry:` reference line)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.kubernetes.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "fixtures" / "kubernetes" / "dapr" / "resiliency.yaml"


def _value(f):
    if f.kind == "timeout":
        return f.attributes.get("timeout_ms")
    if f.kind == "retry":
        return f.attributes.get("max_attempts")
    return f.attributes.get("failure_threshold")


def _got(path: str, text: str):
    result = EXTRACTOR.extract(path, text.encode())
    assert result.errors == ()
    return [(f.line, f.kind, _value(f), f.target.service if f.target else None) for f in result.findings]


def test_fixture_kind_line_value_target() -> None:
    result = EXTRACTOR.extract("fixtures/kubernetes/dapr/resiliency.yaml", FIXTURE.read_bytes())
    assert result.errors == ()
    got = [(f.line, f.kind, _value(f), f.target.service if f.target else None, f.detector) for f in result.findings]
    d = "kubernetes.dapr_resiliency"
    assert got == [
        (34, "timeout", 5000, "appb", d),           # general: 5s
        (35, "retry", 31, "appb", d),               # maxRetries: 30, + the first try
        (36, "circuit_breaker", 5, "appb", d),      # trip: consecutiveFailures >= 5
        (38, "timeout", 10000, "appc", d),          # written inline
        (39, "retry", None, "appc", d),             # maxRetries: -1: unbounded
        (41, "timeout", None, "appd", d),           # no such policy: no value, never a guess
        (42, "retry", None, "appd", d),
        (45, "timeout", 60000, None, d),            # an actor type names no service
        (49, "retry", None, None, d),               # a component's outbound calls
        (50, "circuit_breaker", 5, None, d),
    ]
    by_line = {f.line: f for f in result.findings}
    assert by_line[34].attributes["destination"] == "appB"
    assert by_line[34].attributes["resource"] == "Resiliency/shop/myresiliency"
    assert by_line[35].attributes["backoff"] == "exponential"
    assert by_line[39].attributes["backoff"] == "fixed"
    assert by_line[41].confidence == "low" and by_line[42].confidence == "low"
    assert by_line[49].attributes["component"] == "statestore1"
    assert by_line[49].attributes["direction"] == "outbound"


RES = """\
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: res
  annotations:
    dapr.io/note: "timeout: general"
spec:
  policies:
    timeouts:
      general: 5s
    retries:
      standard:
        maxRetries: 0
      defaults: {}
"""


def test_policies_never_applied_and_annotation_strings_are_no_findings() -> None:
    assert _got("res.yaml", RES) == []
    assert _got("res.yaml", RES + "  targets:\n    apps: {}\n") == []


def test_retry_counts_and_defaults() -> None:
    text = RES + "  targets:\n    apps:\n      a: {retry: standard}\n      b: {retry: defaults}\n"
    result = EXTRACTOR.extract("res.yaml", text.encode())
    attrs = [(f.line, f.attributes["max_attempts"], f.attributes["backoff"], f.attributes.get("backoff_ms"))
             for f in result.findings]
    # maxRetries: 0 -> one try (retries off); absent -> Dapr's -1 (unbounded), constant 5s waits
    assert attrs == [(17, 1, "none", 5000), (18, None, "fixed", 5000)]


def test_a_kind_named_resiliency_of_another_group_is_not_dapr() -> None:
    applied = "  targets:\n    apps:\n      a: {timeout: general}\n"
    assert _got("res.yaml", RES.replace("dapr.io/v1alpha1", "resilience.example.com/v1") + applied) == []
    # the same with Dapr's apiVersion is read
    assert _got("res.yaml", RES + applied) == [(17, "timeout", 5000, "a")]


def test_zero_timeout_is_not_reported() -> None:
    assert _got("res.yaml", RES + "  targets:\n    apps:\n      a: {timeout: 0s}\n") == []


DEFAULTS = """\
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata: {name: r}
spec:
  policies:
    timeouts:
      DefaultTimeoutPolicy: 15s
      general: 3s
    retries:
      DefaultAppRetryPolicy:
        policy: constant
        maxRetries: 5
      DaprBuiltInServiceRetries:
        maxRetries: 10
      DefaultNothing: {maxRetries: 2}
    circuitBreakers:
      DefaultComponentOutboundCircuitBreakerPolicy:
        trip: consecutiveFailures > 3
        timeout: 10s
"""


def test_reserved_default_policies_apply_without_targets() -> None:
    result = EXTRACTOR.extract("r.yaml", DEFAULTS.encode())
    got = [(f.line, f.kind, _value(f), f.target, f.attributes["default_for"]) for f in result.findings]
    assert got == [(7, "timeout", 15000, None, "all"), (10, "retry", 6, None, "App"),
                   (13, "retry", 11, None, "builtin:Service"),
                   (17, "circuit_breaker", 4, None, "ComponentOutbound")]  # trip: > 3 -> the 4th failure


CHART = "apiVersion: v2\nname: app\nversion: 0.1.0\n"
VALUES = "dapr:\n  enabled: true\n  timeout: 3s\n"
TEMPLATE = """\
{{- if .Values.dapr.enabled }}
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: {{ include "app.fullname" . }}
spec:
  policies:
    timeouts:
      general: {{ .Values.dapr.timeout }}
    retries:
      important:
        policy: constant
        maxRetries: 2
  targets:
    apps:
      orders:
        timeout: general
        retry: important
      payments:
        timeout: {{ .Values.dapr.paymentsTimeout | default "7s" }}
{{- end }}
"""


def test_resiliency_in_a_helm_chart_template(tmp_path: Path) -> None:
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "Chart.yaml").write_text(CHART)
    (tmp_path / "app" / "values.yaml").write_text(VALUES)
    (tmp_path / "app" / "templates" / "resiliency.yaml").write_text(TEMPLATE)
    got = {(f.path, f.line, f.kind, _value(f), f.target.service if f.target else None,
            f.attributes.get("resolved_from")) for f in scan(tmp_path).findings}
    path = "app/templates/resiliency.yaml"
    assert got == {
        (path, 17, "timeout", 3000, "orders", "config"),    # the policy's {{ .Values.dapr.timeout }}: 3s
        (path, 18, "retry", 3, "orders", "constant"),
        (path, 20, "timeout", 7000, "payments", "literal"),  # no such value: the template's default
    }
