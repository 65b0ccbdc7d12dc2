"""Net::HTTP: a timeout set inside a ``start`` block and the requests sent there carry the
connection's target (a literal URL, or the pending ENV lookup the host was read from)."""

from __future__ import annotations

from contract_discovery.model import Pending
from contract_discovery.values import Env
from extractors.ruby.extractor import EXTRACTOR

SOURCE = b'''
def fetch
  uri = URI.parse(ENV.fetch("LEDGER_URL"))
  Net::HTTP.start(uri.host, uri.port) do |http|
    http.read_timeout = 5
    http.request(Net::HTTP::Get.new(uri.request_uri))
  end
end

def other(list)
  list.each do |http|
    http.read_timeout = 5
  end
end
'''


def _by_line():
    findings = EXTRACTOR.extract("svc/ledger.rb", SOURCE).findings
    return {(f.kind, f.line): f for f in findings}


def test_timeout_in_start_block_waits_on_the_connections_env_url():
    found = _by_line()
    assert found[("timeout", 5)].pending == (Pending("url", Env("LEDGER_URL", None), None),)
    assert found[("outbound_call", 6)].pending == (Pending("url", Env("LEDGER_URL", None), None),)


def test_block_parameter_of_another_call_is_not_a_connection():
    found = _by_line()
    assert found[("timeout", 12)].pending == ()
    assert found[("timeout", 12)].target is None
