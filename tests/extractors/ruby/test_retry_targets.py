"""A retry and a per-attempt ID go where the retried code's outbound call goes; a connection
URL read from a parameter's default value (``base_url: ENV.fetch("X", "http://...")``)."""

from __future__ import annotations

from contract_discovery.model import Pending
from contract_discovery.values import Env, Ref, Str
from extractors.ruby.extractor import EXTRACTOR


def _findings(source: str):
    result = EXTRACTOR.extract("app/client.rb", source.encode())
    assert result.errors == ()
    return {(f.kind, f.line, f.target.url if f.target else None, f.pending) for f in result.findings
            if f.kind in ("retry", "timeout", "new_id_per_attempt")}


RISK = Pending("url", Env("RISK_URL", Str("http://risk:8000")), None)


def test_keyword_default_env_fetch_gives_the_connection_a_pending_url():
    source = (
        'class C\n'
        '  def initialize(base_url: ENV.fetch("RISK_URL", "http://risk:8000"))\n'
        '    @conn = Faraday.new(url: base_url) do |f|\n'
        '      f.request :retry, max: 2\n'
        '      f.options.timeout = 4\n'
        '    end\n'
        '  end\n'
        'end\n')
    assert _findings(source) == {("retry", 4, None, (RISK,)), ("timeout", 5, None, (RISK,))}


def test_a_parameter_without_default_or_of_another_method_gives_no_url():
    source = (
        'class C\n'
        '  def other(base_url: "http://elsewhere")\n'
        '  end\n'
        '  def initialize(base_url:)\n'
        '    @conn = Faraday.new(url: base_url, request: { timeout: 4 })\n'
        '  end\n'
        'end\n')
    assert _findings(source) == {("timeout", 5, None, ())}


def test_local_assignment_wins_over_the_parameter_default():
    source = (
        'def build(url = "http://default")\n'
        '  url = "http://assigned"\n'
        '  Faraday.new(url: url, request: { timeout: 1 })\n'
        'end\n')
    assert _findings(source) == {("timeout", 3, "http://assigned", ())}


def test_rescue_retry_and_fresh_id_take_the_pending_url_of_the_calls_inside():
    source = (
        'class P\n'
        '  LEDGER_URI = URI(ENV.fetch("LEDGER_URL", "http://ledger:8080"))\n'
        '  def post(invoice)\n'
        '    attempts = 0\n'
        '    begin\n'
        '      attempts += 1\n'
        '      entry_id = SecureRandom.uuid\n'
        '      Net::HTTP.start(LEDGER_URI.host, LEDGER_URI.port, read_timeout: 5) do |http|\n'
        '        http.post("/entries", { id: entry_id }.to_json)\n'
        '      end\n'
        '    rescue Net::ReadTimeout\n'
        '      retry if attempts < 3\n'
        '    end\n'
        '  end\n'
        'end\n')
    ledger = (Pending("url", Ref("LEDGER_URI"), None),)
    assert _findings(source) == {("new_id_per_attempt", 7, None, ledger), ("timeout", 8, None, ledger),
                                 ("retry", 12, None, ledger)}


def test_retriable_block_takes_the_target_of_its_call():
    source = (
        'def score(tx)\n'
        '  Retriable.retriable(tries: 4) do\n'
        '    HTTParty.get("http://risk.internal/score", timeout: 2)\n'
        '  end\n'
        'end\n')
    assert _findings(source) == {("retry", 2, "http://risk.internal/score", ()),
                                 ("timeout", 3, "http://risk.internal/score", ())}


def test_retry_with_no_call_inside_keeps_no_target():
    source = (
        'def local\n'
        '  tries = 0\n'
        '  begin\n'
        '    id = SecureRandom.uuid\n'
        '    store(id)\n'
        '  rescue IOError\n'
        '    retry if (tries += 1) < 3\n'
        '  end\n'
        '  HTTParty.get("http://risk.internal/x", timeout: 1)\n'
        'end\n')
    assert _findings(source) == {("new_id_per_attempt", 4, None, ()), ("retry", 7, None, ()),
                                 ("timeout", 9, "http://risk.internal/x", ())}
