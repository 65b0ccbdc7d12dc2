"""Round-19 rules (Ruby helper, held-out sets bosh, tutor-server, and the foreman regression): a
project's namespaced copy of the retryable gem (``Bosh::Common.retryable(sleep:, tries:, on:)``) and a
retryable object (``Bosh::Common::Retryable.new({tries: 3})``), at the ``tries:`` line; a clamp written
with a modifier does not hide the value before it; ``x || DEFAULT_CONSTANT`` falls back to the
constant; nats-pure's ``max_reconnect_attempts``; ActiveStorage's S3 options in config/storage.yml; a
defaults hash whose key the file only interpolates into a string is no call's setting."""

from __future__ import annotations

from tests.extractors.ruby.support import settled_values

RETRYABLE = (
    "module Bosh::Monitor\n"
    "  class Runner\n"
    "    DEFAULT_WAIT = 60\n"
    "    RETRY_INTERVAL = 1\n"
    "\n"
    "    def wait_for_nats(options)\n"
    "      timeout = @mbus.connection_wait_timeout || DEFAULT_WAIT\n"
    "      max_attempts = (timeout / RETRY_INTERVAL).to_i\n"
    "      max_attempts = 1 if max_attempts < 1\n"
    "\n"
    "      Bosh::Common.retryable(\n"
    "        sleep: RETRY_INTERVAL,\n"
    "        tries: max_attempts,\n"
    "        on: [NATS::IO::ConnectError],\n"
    "      ) do |attempt, exception|\n"
    "        Bosh::Monitor.nats.connect(options)\n"
    "        true\n"
    "      end\n"
    "    end\n"
    "\n"
    "    def connection_retryable\n"
    "      Bosh::Common::Retryable.new({sleep: 0, tries: 3, on: [Timeout::Error]})\n"
    "    end\n"
    "\n"
    "    def validator(db)\n"
    "      Bosh::Common.retryable(sleep: 0.5, tries: 20, on: [Exception]) do\n"
    "        db.extension :connection_validator\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_namespaced_retryable_and_retryable_objects():
    found = [f for f in settled_values(RETRYABLE, "lib/bosh/monitor/runner.rb") if f[1] == "retry"]
    # the tries: option's line; (60 / 1).to_i, the clamp `= 1 if < 1` does not hide it
    assert (13, "retry", 60) in found
    assert (22, "retry", 3) in found  # Retryable.new({... tries: 3 ...}): the policy at its definition
    assert (26, "retry", 20) in found
    assert len(found) == 3


NOT_RETRYABLE = (
    "class Cache\n"
    "  def fetch(key)\n"
    "    Store.retryable(key, tries: 3) { read(key) }\n"  # a positional argument: a project method
    "    Store.retryable(tries: 3) { read(key) }\n"  # no on:/sleep:: not the gem's signature
    "    tries = 1\n"
    "    tries = 5 if fast?\n"  # a condition not reading the local: the value stays the last one
    "    Retryable.retryable(tries: tries) { read(key) }\n"
    "  end\n"
    "end\n"
)


def test_retryable_traps():
    found = [f for f in settled_values(NOT_RETRYABLE) if f[1] == "retry"]
    assert found == [(7, "retry", 5)]


NATS = (
    "class Rpc\n"
    "  MAX_RECONNECT_ATTEMPTS = 4\n"
    "  def connect\n"
    "    @nats = NATS::IO::Client.new\n"
    "    @nats.connect(\n"
    "      servers: [@uri],\n"
    "      max_reconnect_attempts: MAX_RECONNECT_ATTEMPTS,\n"
    "      reconnect_time_wait: 2,\n"
    "    )\n"
    "  end\n"
    "  def forever\n"
    "    @nats.connect(servers: [@uri], max_reconnect_attempts: -1)\n"
    "  end\n"
    "end\n"
)


def test_nats_max_reconnect_attempts():
    found = [f for f in settled_values(NATS, "lib/rpc.rb") if f[1] == "retry"]
    assert found == [(7, "retry", 5), (12, "retry", None)]
    # trap: the same key without NATS in the file (a project's own option) is left alone
    other = NATS.replace("NATS::IO::Client", "Broker::Client")
    assert [f for f in settled_values(other, "lib/rpc.rb") if f[1] == "retry"] == []


STORAGE = (
    b"test:\n"
    b"  service: Disk\n"
    b"  root: <%= Rails.root.join(\"tmp/storage\") %>\n"
    b"\n"
    b"amazon:\n"
    b"  service: S3\n"
    b"  bucket: <%= ENV['AWS_S3_BUCKET'] %>\n"
    b"  http_open_timeout: <%= ENV.fetch('AWS_S3_OPEN_TIMEOUT', 60).to_i %>\n"
    b"  http_read_timeout: 30\n"
    b"  retry_limit: <%= ENV.fetch('AWS_S3_RETRY_LIMIT', 3).to_i %>\n"
    b"\n"
    b"mirror:\n"
    b"  service: Mirror\n"
    b"  http_read_timeout: 9\n"
    b"  # retry_limit: 7\n"
)


def test_active_storage_s3_options():
    from contract_discovery.values import evaluate
    from extractors.ruby import rails_yaml

    assert rails_yaml.claims("config/storage.yml")
    findings = rails_yaml.extract("config/storage.yml", STORAGE).findings
    got = []
    for f in findings:
        value = f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts")
        for p in f.pending:
            value = evaluate(p.expr).value * p.scale
        got.append((f.line, f.kind, value))
    # traps: a Mirror service's key and a commented line are no S3 client's options
    assert got == [(8, "timeout", 60000), (9, "timeout", 30000), (10, "retry", 4)]


WS_PROXY = (
    "class WsProxy\n"
    "  attr_accessor :host, :timeout, :idle_timeout\n"
    "\n"
    "  def initialize(attributes)\n"
    "    defaults.merge(attributes).each { |k, v| send(\"#{k}=\", v) }\n"
    "  end\n"
    "\n"
    "  def start_proxy\n"
    "    Timeout.timeout(5) { find_port }\n"
    "    execute(\"websockify --idle-timeout=#{idle_timeout} --timeout=#{timeout} #{host}\")\n"
    "  end\n"
    "\n"
    "  private\n"
    "\n"
    "  def defaults\n"
    "    {\n"
    "      :timeout      => 120,\n"
    "      :idle_timeout => 120,\n"
    "    }\n"
    "  end\n"
    "end\n"
)


def test_defaults_only_interpolated_into_a_string_are_no_setting():
    found = settled_values(WS_PROXY, "lib/ws_proxy.rb")
    assert not [f for f in found if f[0] == 17]
    # trap: when the attribute is also read as a value (handed to a call), the default is a setting
    used = WS_PROXY.replace("    Timeout.timeout(5) { find_port }\n", "    Client.new(read_timeout: timeout)\n")
    assert (17, "timeout", 120000) in settled_values(used, "lib/ws_proxy.rb")


MIDDLEWARE = (
    "class SessionRestoreErrorRescueMiddleware\n"
    "  def initialize(app)\n"
    "    @app = app\n"
    "  end\n"
    "\n"
    "  def call(env)\n"
    "    @app.call(env)\n"
    "  rescue ActionDispatch::Session::SessionRestoreError\n"
    "    Session.where(session_id: env['id']).delete_all\n"
    "    @app.call(env)\n"
    "  end\n"
    "\n"
    "  def send_letter(recipient)\n"
    "    Mailer.with(recipient:).letter_email.deliver_now\n"
    "  rescue Notifications::Client::RateLimitError\n"
    "    sleep(1)\n"
    "    Mailer.with(recipient:).letter_email.deliver_now\n"
    "  end\n"
    "end\n"
)


def test_a_rack_middleware_calling_the_app_again_is_no_retry():
    found = [f for f in settled_values(MIDDLEWARE, "app/middlewares/session.rb") if f[1] == "retry"]
    # trap: the mail resent after a rate limit stays a 2-attempt retry
    assert found == [(17, "retry", 2)]


SHORYUKEN = (
    "ActiveJob::QueueAdapters::ShoryukenAdapter::JobWrapper\n"
    "  .shoryuken_options(auto_visibility_timeout: true,\n"
    "                     retry_intervals: [5.seconds, 5.minutes])\n"
    "class Worker\n"
    "  include Shoryuken::Worker\n"
    "  shoryuken_options queue: 'q', retry_intervals: [60, 300]\n"
    "  shoryuken_options queue: 'r', auto_delete: true\n"
    "end\n"
)


def test_shoryuken_retry_intervals_at_the_call_line():
    # settled in ruby-somleng / ruby-appeals-consumer: the `.shoryuken_options(` line
    found = [f for f in settled_values(SHORYUKEN, "config/initializers/shoryuken.rb") if f[1] == "retry"]
    assert found == [(2, "retry", None), (6, "retry", None)]


MIGRATION_BASE = (
    "class Efolder::Migration < ActiveRecord::Migration[5.2]\n"
    "  def add_safe_index(*args)\n"
    "    ActiveRecord::Base.connection.execute \"SET statement_timeout = 1800000\"\n"
    "    add_index(*args)\n"
    "  end\n"
    "end\n"
    "class ReportJob < ApplicationJob\n"
    "  def perform\n"
    "    ActiveRecord::Base.connection.execute \"SET statement_timeout = 30000\"\n"
    "  end\n"
    "end\n"
)


def test_statement_timeouts_of_a_migration_base_class_are_tooling():
    # trap: a job's own SET statement_timeout stays
    assert settled_values(MIGRATION_BASE, "lib/efolder/migration.rb") == [(9, "timeout", 30000)]


DEADLINE_RETRY = (
    "class AgentClient\n"
    "  def wait_until_ready(deadline = 600)\n"
    "    @deadline = Time.now.to_i + deadline\n"
    "    begin\n"
    "      ping\n"
    "    rescue RpcTimeout\n"
    "      retry if @deadline - Time.now.to_i > 0\n"
    "      raise RpcTimeout\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def fetch\n"
    "    deadline = Time.now + 30\n"
    "    begin\n"
    "      api.get\n"
    "    rescue Timeout::Error\n"
    "      retry if Time.now < deadline\n"
    "      raise\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def stale?(at)\n"
    "    Time.now - at > 30\n"
    "  end\n"
    "end\n"
)


def test_a_deadline_guarding_a_rescue_retry_is_a_deadline_at_the_check():
    found = [f for f in settled_values(DEADLINE_RETRY, "lib/agent_client.rb") if f[1] == "timeout"]
    # trap: the same comparison outside a retry guard or loop (an age check) is no bound
    assert found == [(7, "timeout", 600000), (17, "timeout", 30000)]


def test_two_rescues_guarding_one_deadline_report_it_once():
    source = DEADLINE_RETRY.replace(
        "      raise RpcTimeout\n    end\n",
        "      raise RpcTimeout\n    rescue RemoteError => e\n"
        "      retry if e.message =~ /restarting/ && @deadline - Time.now.to_i > 0\n      raise e\n    end\n", 1)
    found = [f for f in settled_values(source, "lib/agent_client.rb") if f[1] == "timeout"]
    assert found == [(7, "timeout", 600000), (20, "timeout", 30000)]
