"""Round-13 rules (lead, held-out sets aact and signon): a Faraday retry bound taken from a helper's
defaulted parameter, hand-written retries guarded at the top of the re-run body or counted from a
`tries ||= n` before the `begin`, and the activejob-retry gem."""

from __future__ import annotations

from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import reported


def _findings(source: str, path: str = "app/x.rb"):
    return [(f.line, f.kind, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
            for f in reported(EXTRACTOR.extract(path, source.encode()).findings) if f.kind in ("timeout", "retry")]


HELPER = (
    "module HttpClient\n"
    "  def setup_connection(base_url, timeout: 10, open_timeout: 5, retries: 3)\n"
    "    retry_options = {\n"
    "      max: retries,\n"
    "      interval: 0.05,\n"
    "    }\n"
    "    @connection = Faraday.new(url: base_url) do |f|\n"
    "      f.request :retry, retry_options\n"
    "      f.options.timeout = timeout # max timeout for request\n"
    "      f.options.open_timeout = open_timeout\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_faraday_retry_max_from_a_helper_parameter_default():
    assert sorted(_findings(HELPER)) == [(8, "retry", 4), (9, "timeout", 10000), (10, "timeout", 5000)]


def test_faraday_retry_max_from_a_parameter_without_default_is_not_a_value():
    found = _findings(HELPER.replace("retries: 3)", "retries:)"))
    assert [f for f in found if f[1] == "retry" and f[2] is not None] == []


def test_guard_at_the_top_of_the_rerun_body():
    found = _findings(
        "def self.all\n"
        "  while items.length < found\n"
        "    attempts = 0\n"
        "    begin\n"
        "      next if attempts > 3\n"
        "      json = JSON.parse(Faraday.get(url).body)\n"
        "    rescue Faraday::ConnectionFailed\n"
        "      attempts += 1\n"
        "      retry\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert found == [(9, "retry", 4)]


def test_guard_after_the_bump_at_the_top_of_the_body():
    found = _findings(
        "def fetch\n"
        "  attempts = 0\n"
        "  begin\n"
        "    attempts += 1\n"
        "    return nil if attempts > 3\n"
        "    Faraday.get(url)\n"
        "  rescue Faraday::ConnectionFailed\n"
        "    retry\n"
        "  end\n"
        "end\n")
    assert found == [(8, "retry", 3)]


def test_unguarded_retry_stays_unbounded():
    # no guard anywhere (a `next` that is not about the counter does not bound it)
    found = _findings(
        "def fetch\n"
        "  attempts = 0\n"
        "  begin\n"
        "    next if done?\n"
        "    Faraday.get(url)\n"
        "  rescue Faraday::ConnectionFailed\n"
        "    attempts += 1\n"
        "    retry\n"
        "  end\n"
        "end\n")
    assert found == [(8, "retry", None)]


def test_or_assigned_counter_before_the_begin():
    found = _findings(
        "def restore_from_url(params = {})\n"
        "  tries ||= 5\n"
        "  file_path = 'tmp/snapshots'\n"
        "  begin\n"
        "    `curl -o #{file_path} -L #{params[:url]}`\n"
        "  rescue Errno::ECONNRESET\n"
        "    if (tries -= 1) > 0\n"
        "      retry\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert found == [(8, "retry", 5)]


def test_activejob_retry_gem_include_counts_attempts():
    found = _findings(
        "class PushUserUpdatesJob < ApplicationJob\n"
        "  include ActiveJob::Retry.new(strategy: :exponential, limit: 6)\n"
        "end\n"
        "class ProcessWebhook < ActiveJob::Base\n"
        "  include ActiveJob::Retry\n"
        "  variable_retry delays: [1, 5, 10, 30]\n"
        "end\n"
        "class Other < ActiveJob::Base\n"
        "  include ActiveJob::Retry\n"
        "  constant_retry limit: 3, delay: 5\n"
        "end\n")
    assert sorted(found) == [(2, "retry", 6), (6, "retry", 5), (10, "retry", 3)]


def test_activejob_retry_traps():
    found = _findings(
        "class J < ApplicationJob\n"
        "  # include ActiveJob::Retry.new(strategy: :exponential, limit: 6)\n"
        "  RETRY_NOTE = 'ActiveJob::Retry.new(limit: 6)'\n"
        "  def constant_retry(limit: 3)\n"  # the project's own method named like a macro, no gem
        "    limit\n"
        "  end\n"
        "end\n")
    assert found == []


def test_retry_of_local_library_work_is_no_retry_of_a_call():
    found = _findings(
        "def build_pdf\n"
        "  render_sections(recipient)\n"
        "rescue PDF::Core::Errors::EmptyGraphicStateStack\n"
        "  prepare_retry\n"
        "  retry\n"
        "end\n"
        "def monitor_leases\n"
        "  @notifier.run\n"
        "rescue INotify::QueueOverflowError => e\n"
        "  sleep 60\n"
        "  retry\n"
        "end\n")
    assert found == []


def test_retry_of_a_call_rescuing_a_local_error_and_a_network_one_stays():
    found = _findings(
        "def fetch\n"
        "  tries ||= 3\n"
        "  begin\n"
        "    JSON.parse(Faraday.get(url).body)\n"
        "  rescue JSON::ParserError, Faraday::ConnectionFailed\n"
        "    retry if (tries -= 1) > 0\n"
        "  end\n"
        "end\n")
    assert found == [(6, "retry", 3)]
