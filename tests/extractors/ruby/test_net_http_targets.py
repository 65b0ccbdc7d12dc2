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


REFUND = b'''
class RefundGateway
  PAYMENT_URL = URI(ENV.fetch("PAYMENT_URL", "http://payment:8080"))

  def refund(capture_id)
    attempts = 0
    begin
      attempts += 1
      request_id = SecureRandom.uuid
      http = Net::HTTP.new(PAYMENT_URL.host, PAYMENT_URL.port)
      http.read_timeout = 5
      request = Net::HTTP::Post.new("/v1/refunds", "X-Request-Id" => request_id)
      http.request(request)
    rescue Net::ReadTimeout
      retry if attempts < 3
      raise
    end
  end

  def other(list)
    report = Net::HTTP::Post.new("/v1/reports")
    list.each { |client| client.request(report) }
  end
end
'''


def test_a_request_object_sent_on_a_connection_variable_goes_where_the_connection_goes():
    # polyglot15: `req = Net::HTTP::Post.new(path)` then `http.request(req)` with `http = Net::HTTP.new(...)`
    found = {(f.kind, f.line): f for f in EXTRACTOR.extract("app/clients/refund_gateway.rb", REFUND).findings}
    call = found[("outbound_call", 12)]
    assert call.target.operation == "/v1/refunds" and call.attributes["method"] == "POST"
    assert [p.attribute for p in call.pending] == ["url"]  # PAYMENT_URL's ENV lookup
    # the retry and the ID made per attempt go to that path too (not to any of the provider's operations)
    assert found[("retry", 15)].target.operation == "/v1/refunds"
    assert found[("new_id_per_attempt", 9)].target.operation == "/v1/refunds"
    # a request handed to a block parameter that is no connection stays where it was
    other = found[("outbound_call", 21)]
    assert other.pending == () and other.target.operation == "/v1/reports"
