"""The Go extractor as a whole: registry examples, symbols, pending values, robustness, prefilter."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings, strategies as st

from contract_discovery.model import Pending, Target
from contract_discovery.values import BinOp, Env, Num, Ref, Str, evaluate
from extractors.base import DETECTORS
from extractors.go.extractor import EXTRACTOR
from tests.extractors.go.conftest import extract_text

GO_DETECTORS = sorted(d for d in DETECTORS if d.startswith("go."))


def test_detectors_are_registered_with_docs_and_examples():
    assert GO_DETECTORS == ["go.client_config", "go.context_timeout", "go.gobreaker", "go.grpc", "go.http_client", "go.idempotency", "go.libraries",
                            "go.new_id", "go.retry", "go.select_timeout", "go.sql", "go.transport", "go.wrapper_call"]
    for detector_id in GO_DETECTORS:
        info = DETECTORS[detector_id]
        assert info.language == "go"
        assert "What it does" in __import__(f"extractors.go.detectors.{_module(detector_id)}", fromlist=["x"]).__doc__
        assert info.valid and info.invalid, detector_id


def _module(detector_id: str) -> str:
    return {"go.gobreaker": "circuit_breaker", "go.new_id": "new_id"}.get(detector_id, detector_id.split(".", 1)[1])


@pytest.mark.parametrize("detector_id", GO_DETECTORS)
def test_valid_examples_yield_nothing_from_their_detector(detector_id):
    for example in DETECTORS[detector_id].valid:
        result = extract_text(example)
        assert [f for f in result.findings if f.detector == detector_id] == [], example
        assert result.errors == ()


@pytest.mark.parametrize("detector_id", GO_DETECTORS)
def test_invalid_examples_fire_their_detector(detector_id):
    kinds = set(DETECTORS[detector_id].kinds)
    for example in DETECTORS[detector_id].invalid:
        result = extract_text(example)
        fired = [f for f in result.findings if f.detector == detector_id]
        assert fired and {f.kind for f in fired} <= kinds, example
        assert result.errors == ()


SOURCE = '''package payment

import (
	"net/http"
	"time"

	cfg "example.com/orders/internal/config"
)

const (
	chargeTimeout = 2 * time.Second
	maxAttempts   = 3
	mode          = iota
)

var paymentURL = cfg.Env("PAYMENT_SERVICE_URL", "http://payment:8080")

func client() *http.Client {
	return &http.Client{Timeout: cfg.ChargeTimeout + chargeTimeout}
}

func call(c *http.Client) {
	c.Get(paymentURL + "/v1/charges")
}
'''


def test_symbols_imports_and_module():
    result = EXTRACTOR.extract("services/orders/internal/payment/client.go", SOURCE.encode())
    assert result.module == "services/orders/internal/payment"
    assert result.imports == {"http": "net/http", "time": "time", "cfg": "example.com/orders/internal/config"}
    assert result.symbols == {
        "chargeTimeout": BinOp("*", Num(2.0), Num(1000.0)),
        "maxAttempts": Num(3.0),
        "paymentURL": Env("PAYMENT_SERVICE_URL", Str("http://payment:8080")),
    }


def test_pending_value_inlines_local_constants_and_resolves_with_another_files_symbols():
    result = EXTRACTOR.extract("svc/payment/client.go", SOURCE.encode())
    (timeout,) = [f for f in result.findings if f.kind == "timeout"]
    assert timeout.attributes == {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                  "expression": "cfg.ChargeTimeout + chargeTimeout"}
    pending = {p.attribute: p for p in timeout.pending}
    assert pending["timeout_ms"] == Pending("timeout_ms", BinOp("+", Ref("cfg.ChargeTimeout"),
                                                                BinOp("*", Num(2.0), Num(1000.0))), 1.0)
    # The target comes from the one call made through that client: a URL still to resolve.
    assert pending["url"] == Pending("url", Env("PAYMENT_SERVICE_URL", Str("http://payment:8080")), None)
    # What the pipeline will do: look the name up in the other package's symbols.
    other = EXTRACTOR.extract("svc/config/config.go",
                              b'package config\nimport "time"\nconst ChargeTimeout = 500 * time.Millisecond\n')
    lookup = {"cfg.ChargeTimeout": (other.symbols["ChargeTimeout"], "constant")}
    evaluated = evaluate(pending["timeout_ms"].expr, lookup.get)
    assert (evaluated.value, evaluated.resolved_from) == (2500.0, "constant")


def test_literal_target_is_set_and_pending_is_empty():
    result = extract_text('package p\nimport ("net/http"; "time")\nfunc f() {\n'
                          '\tc := &http.Client{Timeout: time.Second}\n\tc.Get("http://risk:8080/score")\n}\n')
    timeout = next(f for f in result.findings if f.kind == "timeout")
    assert (timeout.line, timeout.target, timeout.pending) == (4, Target(url="http://risk:8080/score"), ())


def test_two_clients_two_targets_are_not_mixed_up():
    result = extract_text('package p\nimport ("net/http"; "time")\nfunc f() {\n'
                          '\ta := &http.Client{Timeout: time.Second}\n\tb := &http.Client{Timeout: 2 * time.Second}\n'
                          '\ta.Get("http://risk/score")\n\tb.Get("http://payment/charge")\n}\n')
    got = {(f.line, f.attributes["timeout_ms"], f.target.url) for f in result.findings if f.kind == "timeout"}
    assert got == {(4, 1000, "http://risk/score"), (5, 2000, "http://payment/charge")}


def test_result_is_picklable():
    result = EXTRACTOR.extract("svc/payment/client.go", SOURCE.encode())
    assert pickle.loads(pickle.dumps(result)) == result


def test_syntax_error_keeps_intact_findings():
    result = extract_text('package p\nimport ("net/http"; "time")\nvar a = &http.Client{Timeout: time.Second}\n'
                          'func (( {\nvar b = &http.Client{Timeout: 2 * time.Second}\n')
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 4)]
    assert {(f.line, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout"} >= {(3, 1000)}


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe binary", b"package", "package p\n// \u00e9\u00e8 only".encode(),
                                  b"package p\nfunc f() { for { for { for {" * 50])
def test_odd_inputs_never_raise(data):
    result = EXTRACTOR.extract("svc/odd.go", data)
    assert result.path == "svc/odd.go" and result.language == "go"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet='pack gefuncorhtp.Client{Timeout:}()*&"= \n\t0123456789ms', max_size=300))
def test_fuzzed_sources_never_raise(source):
    result = EXTRACTOR.extract("svc/fuzz.go", source.encode())
    assert all(e.kind == "parse_error" for e in result.errors)


def test_prefilter_skips_files_without_settings():
    plain = b'package shapes\n\ntype Circle struct{ R float64 }\n\nfunc (c Circle) Area() float64 { return 3.14 * c.R * c.R }\n'
    assert not EXTRACTOR.prefilter(plain)
    result = EXTRACTOR.extract("svc/shapes.go", plain)
    assert result.findings == () and result.symbols == {}
    assert EXTRACTOR.prefilter(b"package p\nconst maxRetries = 3\n")
    assert EXTRACTOR.prefilter(b"package p\nvar riskURL = os.Getenv(\"RISK_URL\")\n")


def test_aliased_imports_are_followed_and_local_names_are_not_packages():
    result = extract_text('package p\nimport bo "github.com/cenkalti/backoff/v4"\n'
                          'func f(op func() error) error { return bo.Retry(op, bo.WithMaxRetries(bo.NewExponentialBackOff(), 2)) }\n'
                          'type r struct{}\nfunc (r) Do(f func() error) error { return f() }\n'
                          'func g(op func() error) error { retry := r{}; return retry.Do(op) }\n')
    assert [(f.kind, f.line, f.attributes["max_attempts"], f.attributes["library"]) for f in result.findings] == [
        ("retry", 3, 3, "cenkalti/backoff")]


def test_retry_go_v4_and_backoff_v5():
    result = extract_text('package p\nimport (\n\t"github.com/avast/retry-go/v4"\n\t"github.com/cenkalti/backoff/v5"\n)\n'
                          'func f(ctx context.Context, op func() (int, error)) {\n'
                          '\topts := []retry.Option{retry.Attempts(0)}\n'
                          '\tretry.Do(func() error { return nil }, opts...)\n'
                          '\tbackoff.Retry(ctx, op, backoff.WithBackOff(backoff.NewConstantBackOff(time.Second)), backoff.WithMaxTries(4))\n}\n')
    got = [(f.line, f.attributes["max_attempts"], f.attributes["backoff"], f.attributes["library"]) for f in result.findings]
    assert got == [(8, None, "exponential", "avast/retry-go"), (9, 4, "fixed", "cenkalti/backoff")]
