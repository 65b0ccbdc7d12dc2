"""A retry and a per-attempt ID go where the retried code's outbound call goes; a connection
URL read from a parameter's default value (``base_url: ENV.fetch("X", "http://...")``)."""

from __future__ import annotations

from contract_discovery.model import Pending
from contract_discovery.values import Env, Ref, Str
from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import reported


def _findings(source: str):
    result = EXTRACTOR.extract("app/client.rb", source.encode())
    assert result.errors == ()
    return {(f.kind, f.line, f.target.url if f.target else None, f.pending) for f in reported(result.findings)
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
    # not another method's default: the constructor's own parameter, whose callers give the URL (round 22:
    # extractors/wrappers.py publishes it as `C.new.$url_param:base_url`)
    assert _findings(source) == {("timeout", 5, None, (Pending("url", Ref("base_url"), None),))}


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


PAYMENT_API = (
    'module PaymentApi\n'
    '  def self.connection\n'
    '    @connection ||= Faraday.new(url: ENV.fetch("PAYMENT_API_URL", "http://payment:8080")) do |f|\n'
    '      f.options.timeout = 6\n'
    '    end\n'
    '  end\n'
    '\n'
    '  def self.refund(id:, key:)\n'
    '    connection.post("/v1/refunds", {id: id}, {"Idempotency-Key" => key})\n'
    '  end\n'
    'end\n')


def _job(calls: str) -> str:
    return ('class RefundJob\n  include Sidekiq::Job\n  sidekiq_options retry: 5\n\n'
            '  def perform(id)\n    dispute = Dispute.find(id)\n    key = SecureRandom.uuid\n'
            f'{calls}  end\nend\n')


def test_a_client_class_publishes_where_its_calls_go():
    result = EXTRACTOR.extract("app/clients/payment_api.rb", PAYMENT_API.encode())
    assert result.symbols["PaymentApi.$url"] == Env("PAYMENT_API_URL", Str("http://payment:8080"))


def test_a_retried_job_calling_a_client_class_of_another_file_goes_where_that_class_goes():
    """The job's fresh key per run takes `PaymentApi.$url`; the pipeline finds it in the client's file."""
    from tests.extractors.ruby.support import settle

    client = EXTRACTOR.extract("app/clients/payment_api.rb", PAYMENT_API.encode())
    job = EXTRACTOR.extract("app/jobs/refund_job.rb",
                            _job("    PaymentApi.refund(id: dispute.id, key: key)\n").encode())
    fresh = [f for f in job.findings if f.kind == "new_id_per_attempt"]
    assert [(f.line, f.pending) for f in fresh] == [(7, (Pending("url", Ref("PaymentApi.$url"), None),))]
    assert settle(fresh[0], [client, job])["resolved_url"] == "http://payment:8080"


def test_two_client_classes_or_none_leave_the_target_open():
    two = EXTRACTOR.extract("app/jobs/refund_job.rb", _job(
        "    PaymentApi.refund(id: dispute.id, key: key)\n    RiskClient.score(id: dispute.id, key: key)\n").encode())
    models_only = EXTRACTOR.extract("app/jobs/refund_job.rb", _job("    Dispute.update_all(key: key)\n").encode())
    for result in (two, models_only):
        fresh = [f for f in result.findings if f.kind == "new_id_per_attempt"]
        assert [(f.line, f.target, f.pending) for f in fresh] == [(7, None, ())]
