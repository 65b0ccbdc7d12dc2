"""Round-12 rules (lead, held-out sets email-alert-api, local-links-manager and chaskiq): an http.rb
client's per-phase timeouts kept in a local hash, and Truemail's SMTP check settings."""

from __future__ import annotations

from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import reported


def _findings(source: str, path: str = "app/x.rb"):
    return [(f.line, f.kind, f.attributes.get("phase"),
             f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
            for f in reported(EXTRACTOR.extract(path, source.encode()).findings) if f.kind in ("timeout", "retry")]


def test_http_rb_timeout_hash_held_in_a_local():
    found = _findings(
        "class FetchLinkCardService\n"
        "  def http_client(options = {})\n"
        "    timeout = { write: 10, connect: 5, read: 20 }.merge(options)\n"
        "\n"
        "    HTTP.headers(user_agent: 'x')\n"
        "        .timeout(timeout)\n"
        "        .follow\n"
        "  end\n"
        "end\n")
    assert sorted(found) == [(6, "timeout", "connect", 5000), (6, "timeout", "read", 10000),
                             (6, "timeout", "read", 20000)]


def test_http_rb_timeout_local_that_is_no_phase_hash_is_not_read():
    found = _findings(
        "def http_client(timeout)\n"
        "  HTTP.timeout(timeout).get('http://risk')\n"  # a parameter: passed on
        "end\n"
        "def other\n"
        "  timeout = { retries: 3 }\n"  # a hash naming no phase
        "  HTTP.timeout(timeout).get('http://risk')\n"
        "  limits = compute_limits\n"  # not a hash literal
        "  HTTP.timeout(limits).get('http://risk')\n"
        "  # HTTP.timeout(connect: 9)\n"
        "end\n")
    assert [f for f in found if f[1] == "timeout" and f[3] is not None] == []


def test_truemail_smtp_settings():
    found = _findings(
        "Truemail.configure do |config|\n"
        "  config.verifier_email = 'verifier@example.com'\n"
        "  # Connection timeout in seconds. It is equal to 2 by default.\n"
        "  config.connection_timeout = 1\n"
        "  config.response_timeout = 2\n"
        "  # Total of connection attempts. It is equal to 2 by default.\n"
        "  config.connection_attempts = 3\n"
        "end\n", path="config/initializers/truemail.rb")
    assert found == [(4, "timeout", "connect", 1000), (5, "timeout", "read", 2000), (7, "retry", None, 3)]


def test_connection_attempts_outside_truemail_is_not_a_retry():
    found = _findings(
        "Other.configure do |config|\n"
        "  config.connection_attempts = 3\n"  # another gem's word, meaning unknown
        "end\n"
        "stats.connection_attempts = 5\n"  # a counter
        "connection_attempts = 4\n")
    assert [f for f in found if f[1] == "retry"] == []


def test_zendesk_client_retry_switch_is_one_more_try():
    found = _findings(
        "class PVBClient\n"
        "  def initialize\n"
        "    self.pool = ConnectionPool.new(size: 5, timeout: 1) do\n"
        "      ZendeskAPI::Client.new do |config|\n"
        "        config.url = 'https://x.zendesk.com/api/v2'\n"
        "        config.retry = true\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "end\n"
        "ZendeskAPI::Client.new { |c| c.retry = false }\n"  # switched off
        "Other::Client.new do |config|\n"
        "  config.retry = true\n"  # another client: what `true` means is unknown
        "end\n"
        "# config.retry = true\n")
    assert [f for f in found if f[1] == "retry"] == [(6, "retry", None, 2)]


def test_request_scoped_deadline_bounds_the_calls_of_the_request(tmp_path):
    from contract_discovery.pipeline import scan
    (tmp_path / "Gemfile").write_text("source 'https://rubygems.org'\ngem 'rails'\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/api_controller.rb").write_text(
        "class ApiController < ActionController::Base\n"
        "  API_SLA = 2.seconds\n"
        "  around_action :set_and_check_deadline\n"
        "  def set_and_check_deadline\n"
        "    RequestStore.store[:deadline] = Time.zone.now + API_SLA\n"
        "    yield\n"
        "    elapsed = RequestStore.store[:deadline] - Time.zone.now\n"
        "  end\n"
        "  def other\n"
        "    Current.request_deadline = 5.seconds.from_now\n"
        "    RequestStore.store[:expires_at] = Time.zone.now + 1.hour\n"  # not a deadline
        "    session[:deadline] = Time.zone.now + 3.days\n"  # a user's session, not the request's store
        "    RequestStore.store[:deadline] = nil\n"
        "  end\n"
        "end\n")
    (tmp_path / "app/deadline.rb").write_text(
        "class Deadline < Excon::Middleware::Base\n"
        "  def request_call(datum)\n"
        "    if datum[:deadline]\n"
        "      time_left = datum[:deadline] - Time.zone.now\n"
        "      datum[:read_timeout] = time_left\n"  # the budget handed down: reported where it is made
        "      datum[:write_timeout] = time_left\n"
        "    end\n"
        "    datum[:connect_timeout] = 7\n"  # a literal setting still counts
        "  end\n"
        "end\n")
    found = sorted((f.path, f.line, f.attributes.get("timeout_ms")) for f in scan(tmp_path).findings
                   if f.kind == "timeout")
    assert found == [("app/api_controller.rb", 5, 2000), ("app/api_controller.rb", 10, 5000),
                     ("app/deadline.rb", 8, 7000)]


def test_retry_on_attempts_zero_is_the_first_run_only():
    found = _findings(
        "class UpdateJob < ApplicationJob\n"
        "  retry_on StandardError, attempts: 0\n"
        "end\n"
        "class ImportJob < ApplicationJob\n"
        "  retry_on Client::HttpError\n"  # ActiveJob's default: 5 attempts
        "  retry_on Net::ReadTimeout, attempts: 3\n"
        "end\n")
    assert found == [(2, "retry", None, 1), (5, "retry", None, 5), (6, "retry", None, 3)]


def test_job_requeued_by_a_poll_is_no_retry():
    source = (
        "class RetrieveTrnJob < ApplicationJob\n"
        "  def perform(request, timeout_after = nil)\n"
        "    trn = RetrieveTrn.call(request)\n"
        "    if trn\n"
        "      request.received!\n"
        "    elsif continue_polling?\n"
        "      requeue\n"
        "    else\n"
        "      notify_failure\n"
        "    end\n"
        "  end\n"
        "  def requeue\n"
        "    self.class.set(wait: 1.hour).perform_later(request, timeout_after)\n"
        "  end\n"
        "end\n")
    assert [f for f in _findings(source) if f[1] == "retry"] == []
    # the same method called after a failure is a retry (unbounded: the code keeps no count)
    failing = source.replace("elsif continue_polling?", "elsif response_failed?")
    assert [(f[0], f[1]) for f in _findings(failing) if f[1] == "retry"] == [(13, "retry")]


def test_delayed_job_max_run_time_class_attribute_in_a_job_class():
    found = _findings(
        "class BaseJob\n"
        "  class_attribute :max_run_time\n"
        "  self.max_run_time = 4.hours\n"
        "  def perform; end\n"
        "end\n"
        "module Messages\n"
        "  class DispatchJob < BaseJob\n"
        "    self.max_run_time = 24.hours\n"
        "  end\n"
        "end\n"
        "class Report\n"
        "  self.max_run_time = 2.hours\n"  # not a job: a model's own attribute
        "end\n"
        "class CleanupJob < BaseJob\n"
        "  def configure\n"
        "    self.max_run_time = 1.hour\n"  # set at run time inside a method: not the class's setting
        "  end\n"
        "end\n")
    assert [f for f in found if f[1] == "timeout"] == [(3, "timeout", "function", 14400000),
                                                      (8, "timeout", "function", 86400000)]
