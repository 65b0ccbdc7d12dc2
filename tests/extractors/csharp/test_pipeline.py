"""The ledger service through the core pipeline: values from a static settings class resolve
across files, the payment client's base address comes from an env default."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from tests.extractors.ruby.support import FIXTURES


def _by(result, suffix):
    return {(f.kind, f.line, f.attributes.get("phase")): f for f in result.findings if f.path.endswith(suffix)}


def test_ledger_service_resolves_through_the_pipeline():
    result = scan(FIXTURES / "polyglot" / "ledger")
    program = _by(result, "Program.cs")
    payment = program[("timeout", 11, "total")]
    assert (payment.attributes["timeout_ms"], payment.attributes["resolved_from"]) == (3000, "constant")
    assert payment.target is not None and payment.target.url == "http://payment:8080"
    job = _by(result, "Jobs/ReconciliationJob.cs")
    assert job[("retry", 16, None)].attributes["max_attempts"] == 4
