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


def test_client_chain_constants_and_env_defaults_settle_in_the_pipeline(tmp_path):
    """`.timeout(DEFAULT_TIMEOUT)` on a client chain takes the class constant; rack-timeout's
    `service_timeout: ENV.fetch("RACK_REQUEST_TIMEOUT", 65).to_i` takes the env default."""
    (tmp_path / "client_chains.rb").write_bytes((FIXTURES / "ruby" / "client_chains.rb").read_bytes())
    result = scan(tmp_path)
    found = _by(result, "client_chains.rb")
    assert found[("timeout", 10, "total")].attributes["timeout_ms"] == 20000
    rack = found[("timeout", 89, "total")]
    assert (rack.attributes["timeout_ms"], rack.attributes["resolved_from"]) == (65000, "env_default")
