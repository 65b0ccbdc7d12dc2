"""Round-17 rules (Ruby helper, held-out sets job-board, rubytoolbox, manageiq-providers-openstack,
searchworks-traject-indexer): a connection pool's options kept apart from ``ConnectionPool.new``
(``redis_pool_options: { size: 5, timeout: 3 }``) hold a checkout wait, no call timeout; an option
copied from another options hash (``@excon[:read_timeout] = @extra[:read_timeout]``) is handed on,
not set; a ``SET statement_timeout`` run through a project helper (``execute_compat(conn, "SET ...")``)
is the session's bound, at the called name; ``#{connection.quote x}`` reads x."""

from __future__ import annotations

from tests.extractors.ruby.support import settled_values


def _findings(source: str, path: str = "app/x.rb"):
    return settled_values(source, path)


POOL_OPTIONS = (
    "module JobBoard\n"
    "  class Config < Hashr\n"
    "    define(\n"
    "      redis_url: ENV.fetch('REDIS_URL', 'redis://localhost:6379/0'),\n"
    "      redis_pool_options: {\n"
    "        size: 5,\n"
    "        timeout: 3\n"
    "      },\n"
    "      api: { timeout: 7 }\n"
    "    )\n"
    "  end\n"
    "end\n")


def test_pool_options_hash_is_a_checkout_wait_not_a_call_timeout():
    found = _findings(POOL_OPTIONS, "lib/job_board/config.rb")
    assert (7, "timeout", 3000) not in found
    assert (9, "timeout", 7000) in found  # trap: a sibling client's timeout stays


def test_size_and_timeout_only_hash_is_pool_options():
    source = ("def pool\n"
              "  opts = { size: 10, timeout: 5 }\n"
              "  ConnectionPool.new(opts) { Redis.new }\n"
              "end\n"
              "def client\n"
              "  Redis.new(url: URL, timeout: 2)\n"
              "end\n")
    assert _findings(source) == [(6, "timeout", 2000)]


COPIED_OPTION = (
    "class Handle\n"
    "  def initialize(extra_options)\n"
    "    @extra_options = extra_options\n"
    "  end\n"
    "\n"
    "  def excon_options\n"
    "    @excon_options ||= {}\n"
    "    @excon_options[:read_timeout] = @extra_options[:read_timeout] unless @extra_options[:read_timeout].blank?\n"
    "    @excon_options[:connect_timeout] = 5\n"
    "    Fog::Compute.new(connection_options: @excon_options)\n"
    "  end\n"
    "end\n")


def test_option_copied_from_another_options_hash_is_handed_on():
    found = _findings(COPIED_OPTION)
    assert not [f for f in found if f[0] == 8]
    assert (9, "timeout", 5000) in found  # trap: a value set here is still reported


def test_option_read_from_settings_is_still_a_setting():
    source = ("def handle\n"
              "  extra_options = {}\n"
              "  extra_options[:read_timeout] = ::Settings.ems.excon.read_timeout\n"
              "  extra_options[:open_timeout] = opts[:connect_timeout]\n"
              "  Handle.new(user, extra_options)\n"
              "end\n")
    lines = [f[0] for f in _findings(source)]
    assert 3 in lines  # a setting read from configuration
    assert 4 in lines  # trap: another key's value is no copy of the same option


HELPER_SET = (
    "module Models\n"
    "  class << self\n"
    "    private def after_connect(conn)\n"
    "      execute_compat(\n"
    "        conn, \"SET statement_timeout = 15000\"\n"
    "      )\n"
    "      execute_compat(conn, \"SET application_name = 'x'\")\n"
    "      log(\"SET statement_timeout = 5000 is too low\")\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_set_statement_timeout_through_a_project_helper():
    assert _findings(HELPER_SET, "lib/models.rb") == [(4, "timeout", 15000)]


QUOTED = (
    "class SearchesController < ApplicationController\n"
    "  def with_statement_timeout\n"
    "    connection = ActiveRecord::Base.connection\n"
    "    connection.execute \"SET statement_timeout = #{connection.quote 5_000}\"\n"
    "    yield\n"
    "  ensure\n"
    "    connection&.execute \"RESET statement_timeout\"\n"
    "  end\n"
    "end\n")


def test_quoted_value_inline_is_read():
    assert _findings(QUOTED, "app/controllers/searches_controller.rb") == [(4, "timeout", 5000)]


KARAFKA = (
    "# Parent class for all Karafka consumers\n"
    "class ApplicationConsumer < Karafka::BaseConsumer\n"
    "  MAX = 5\n"
    "  private\n"
    "\n"
    "  def process(message)\n"
    "    if attempt > 3\n"
    "      logger.error 'Discarded message'\n"
    "    else\n"
    "      consume_one\n"
    "    end\n"
    "    mark_as_consumed(message)\n"
    "  end\n"
    "\n"
    "  def other\n"
    "    return skip if coordinator.pause_tracker.attempt >= MAX\n"
    "  end\n"
    "end\n")


def test_karafka_consumer_attempt_cap_counts_deliveries():
    assert _findings(KARAFKA, "app/consumers/application_consumer.rb") == [(7, "retry", 3), (16, "retry", 4)]


def test_attempt_comparison_outside_a_consumer_is_no_karafka_cap():
    source = ("class Importer\n"
              "  def run\n"
              "    attempt = 0\n"
              "    log('many') if attempt > 3\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []


WEBSOCKET = (
    "require 'socket'\n"
    "class WebsocketConnection\n"
    "  CONNECT_TIMEOUT = 5.seconds\n"
    "  def self.open(uri, deadline:)\n"
    "    remaining = remaining_time(deadline)\n"
    "    tcp = Socket.tcp(uri.host, uri.port, connect_timeout: [ CONNECT_TIMEOUT, remaining ].min)\n"
    "    tcp\n"
    "  end\n"
    "  def self.wait_for_io(socket, deadline)\n"
    "    remaining = remaining_time(deadline)\n"
    "    IO.select([ socket ], nil, nil, remaining)\n"
    "    IO.select([ socket ], nil, nil, 3)\n"
    "  end\n"
    "end\n")


def test_cap_over_what_is_left_of_a_deadline_and_waits_on_the_rest():
    # the connect's own 5 s cap is reported; a select on what is left of a handed-in deadline is not
    assert _findings(WEBSOCKET, "app/services/websocket_connection.rb") == [(6, "timeout", 5000), (12, "timeout", 3000)]


SUPERVISOR = (
    "class Supervisor\n"
    "  MAX_RUNTIME = 10.minutes\n"
    "  IDLE_GRACE = 30.seconds\n"
    "  CONNECT_DEADLINE = 12.seconds\n"
    "  def initialize(stop_deadline: MAX_RUNTIME)\n"
    "    @stop_deadline = Time.current + stop_deadline\n"
    "    @stopping = false\n"
    "  end\n"
    "  def run\n"
    "    last_active_at = Time.current\n"
    "    until Time.current >= @stop_deadline || @stopping\n"
    "      break if Time.current - last_active_at > IDLE_GRACE\n"
    "      connect_deadline = [Time.current + CONNECT_DEADLINE, @stop_deadline].min\n"
    "      socket = client.create_websocket(uri, deadline: connect_deadline)\n"
    "      WebsocketFrameReader.read(socket, deadline: 20.seconds.from_now)\n"
    "    end\n"
    "  end\n"
    "  def listen(relay, deadline)\n"
    "    while Time.current < deadline\n"
    "      poll(relay)\n"
    "    end\n"
    "  end\n"
    "  def listen_for_connect\n"
    "    deadline = @auth_session.expires_at\n"
    "    while Time.current < deadline\n"
    "      sleep 1\n"
    "    end\n"
    "  end\n"
    "  def fetch\n"
    "    deadline = Time.current + 10.seconds\n"
    "    while Time.current < deadline\n"
    "      relay.read(deadline: deadline)\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_supervisor_run_loops_idle_cutoffs_and_handed_in_deadlines_are_no_call_bounds():
    # the run loop with its stop flag (11), the idle cutoff (12), a handed-in deadline (19) and a
    # session's expiry (25) are not reported; deadlines made for one call are (13, 15), and a
    # deadline checked in a loop stays at its check (31), not again at the call handed it
    assert _findings(SUPERVISOR, "app/services/supervisor.rb") == [
        (13, "timeout", 12000), (15, "timeout", 20000), (31, "timeout", 10000)]


SUPER_RETRY = (
    "class INSEEAPIAuthentication < AbstractINSEEAPIClient\n"
    "  protected\n"
    "\n"
    "  def http_connection\n"
    "    super do |conn|\n"
    "      conn.request :retry, retry_options\n"
    "      conn.headers['Content-Type'] = 'application/x-www-form-urlencoded'\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def retry_options\n"
    "    { max: 5, interval: 0.05 }\n"
    "  end\n"
    "\n"
    "  def other\n"
    "    super do |conn|\n"
    "      conn.request :json\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_retry_middleware_added_in_a_super_block():
    assert _findings(SUPER_RETRY) == [(6, "retry", 6)]


MERGED = (
    "class ClientBuilder\n"
    "  RETRY_DEFAULTS = {\n"
    "    methods: %i[get head],\n"
    "    max: 1,\n"
    "    interval: 0.5,\n"
    "  }.freeze\n"
    "\n"
    "  def call\n"
    "    Faraday.new(host) do |conn|\n"
    "      conn.request :retry, RETRY_DEFAULTS.merge(Rails.configuration.x.http.retry_options)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def other\n"
    "    Faraday.new(host) do |conn|\n"
    "      conn.request :retry, RETRY_DEFAULTS.merge(max: 4)\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_retry_defaults_merged_with_settings_keep_their_count_and_literal_overrides_win():
    assert _findings(MERGED) == [(10, "retry", 2), (16, "retry", 5)]


REJOB = (
    "class IngestJob < ApplicationJob\n"
    "  MAX_TRIES = 8\n"
    "  def perform(result)\n"
    "    result.try_count += 1\n"
    "    Client.object(druid).version.close\n"
    "  rescue StandardError => e\n"
    "    # This causes Sidekiq to retry.\n"
    "    if result.try_count < MAX_TRIES\n"
    "      result.pending!\n"
    "      raise\n"
    "    end\n"
    "    Honeybadger.notify('All retries failed')\n"
    "  end\n"
    "end\n")


def test_job_reraising_under_a_stored_run_count():
    assert _findings(REJOB) == [(8, "retry", 8)]


def test_count_check_that_does_not_reraise_is_no_retry():
    source = REJOB.replace("      raise\n", "      notify\n")
    assert _findings(source) == []
    outside = REJOB.replace("class IngestJob < ApplicationJob", "class Report").replace("def perform", "def build")
    assert _findings(outside) == []


BUNNY_HASH = (
    "module EventCatcherMixin\n"
    "  def event_monitor_handle\n"
    "    options = @ems.event_monitor_options\n"
    "    options[:automatic_recovery]            = true\n"
    "    options[:recovery_attempts]             = 4\n"
    "    OpenstackEventMonitor.new(options)\n"
    "  end\n"
    "end\n")


def test_bunny_recovery_attempts_written_into_an_options_hash():
    assert _findings(BUNNY_HASH) == [(5, "retry", 5)]


def test_recovery_attempts_key_without_bunny_is_no_finding():
    source = BUNNY_HASH.replace("    options[:automatic_recovery]            = true\n", "")
    assert _findings(source) == []


def test_bunny_recovery_attempts_copied_from_the_options_handed_in_is_no_setting():
    source = ("class Monitor\n"
              "  def self.connect(options = {})\n"
              "    connection_options = {:host => options[:hostname]}\n"
              "    connection_options[:automatic_recovery] = options[:automatic_recovery]\n"
              "    connection_options[:recovery_attempts]  = options[:recovery_attempts] if options.key? :recovery_attempts\n"
              "    Bunny.new(connection_options)\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []
