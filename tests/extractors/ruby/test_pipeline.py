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
    connect, total = client[("timeout", 44, "connect")], client[("timeout", 44, "total")]
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


def test_setting_registry_defaults_settle_the_reads_of_other_files():
    """`Setting[:proxy_request_timeout]` takes the default another file declares with
    `setting("proxy_request_timeout", type: :integer, default: 60)` (rails-settings-cached's
    `field :api_timeout, default: 15` too); a store nobody declares stays unresolved."""
    result = scan(FIXTURES / "ruby" / "settings_registry")
    found = _by(result, "app/services/proxy_resource.rb")
    assert found[("timeout", 3, "total")].attributes["timeout_ms"] == 60000
    assert found[("timeout", 12, "function")].attributes["timeout_ms"] == 120000
    assert found[("timeout", 18, "total")].attributes["timeout_ms"] == 15000
    assert found[("timeout", 22, "function")].attributes["timeout_ms"] is None
    # `resolver.timeouts = Setting[:dns_timeout]` with `default: [5, 10, 15, 20]`: the first try's
    assert found[("timeout", 33, "total")].attributes["timeout_ms"] == 5000
    assert found[("timeout", 45, "total")].attributes["timeout_ms"] == 5000  # options.fetch(:timeout, Setting[...])


def test_a_local_falling_back_to_a_constant_takes_the_constant(tmp_path):
    """`seconds = timeout.nil? ? DEFAULT_TIMEOUT : timeout.to_i` ... `Timeout.timeout(seconds)`: the
    constant, when nothing is passed; a local choosing between two numbers on a flag stays unknown."""
    (tmp_path / "round9_rules.rb").write_bytes((FIXTURES / "ruby" / "round9_rules.rb").read_bytes())
    found = _by(scan(tmp_path), "round9_rules.rb")
    assert found[("timeout", 152, "function")].attributes["timeout_ms"] == 3000
    assert found[("timeout", 159, "function")].attributes["timeout_ms"] is None
    # `timeout_from_env("ASSISTANT_OPEN_TIMEOUT", 5)` of a method reading ENV[name]: the default
    assert found[("timeout", 171, "connect")].attributes["timeout_ms"] == 5000
    assert found[("timeout", 172, "read")].attributes["timeout_ms"] == 60000
    assert found[("timeout", 173, "write")].attributes["timeout_ms"] is None  # a lookup of no variable
    # `config.timeout` in McpClient::Client: McpClient::Config's constructor default (30 s); no
    # Settings class publishes `timeout`: unknown
    assert found[("timeout", 277, "read")].attributes["timeout_ms"] == 30000
    assert found[("timeout", 278, "connect")].attributes["timeout_ms"] is None
    # a chain of helpers handing `timeout = DEFAULT_TIMEOUT` on: each hand-on line carries 3 s (a)
    assert [found[("timeout", line, "total" if line != 303 else "function")].attributes["timeout_ms"]
            for line in (288, 296, 303)] == [3000, 3000, 3000]


def test_a_construction_switching_on_the_clients_own_retry_takes_its_bound():
    """`Http::JsonClient.new(url, retry_on_transient_errors: true)` (or `retries_on: [...]`) with the
    client's loop `retry if retryable?(e) && attempt < MAX_ATTEMPTS` (3): 3 attempts at the call;
    switched off, left at its default, or a client publishing no switch: nothing."""
    result = scan(FIXTURES / "ruby" / "retry_switch")
    found = {(f.path.rsplit("/", 1)[-1], f.line): f.attributes["max_attempts"] for f in result.findings if f.kind == "retry"}
    assert found == {("pdf_service.rb", 3): 3, ("pdf_service.rb", 7): 3, ("json_client.rb", 19): 3}
