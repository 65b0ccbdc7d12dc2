"""The support service through the core pipeline: pending values resolve across files (constants
from config/initializers) and the risk URL maps to the risk service."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from tests.extractors.ruby.support import FIXTURES


def _by(result, suffix):
    return {(f.kind, f.line, f.attributes.get("phase")): f for f in result.findings if f.path.endswith(suffix)}


def test_support_service_resolves_through_the_pipeline():
    result = scan(FIXTURES / "polyglot" / "support")
    client = _by(result, "app/clients/risk_client.rb")
    connect, total = client[("timeout", 42, "connect")], client[("timeout", 42, "total")]
    assert (connect.attributes["timeout_ms"], connect.attributes["resolved_from"]) == (500, "constant")
    assert (total.attributes["timeout_ms"], total.attributes["resolved_from"]) == (2000, "env_default")
    assert client[("retry", 30, None)].attributes["max_attempts"] == 3
    signals = client[("outbound_call", 17, None)]
    assert signals.target is not None and signals.target.operation == "/fraud-signals-detailed"
    assert [e for e in result.errors if e.path.endswith(".rb")] == []
