"""Round-15 rules (lead, held-out set codeocean): two false positives gone. A Rails ``enum`` whose
values include ``timeout: 3`` names a column's states, and a ``Timeout.timeout`` around string and
regular-expression methods over data in memory guards a runaway regex: neither bounds a call."""

from __future__ import annotations

from tests.extractors.ruby.support import settled_values


def _findings(source: str, path: str = "app/x.rb"):
    return settled_values(source, path)


def test_enum_values_are_no_timeout():
    source = ("class Testrun < ApplicationRecord\n"
              "  enum :status, {\n"
              "    ok: 0,\n"
              "    timeout: 3,\n"
              "  }, default: :ok, prefix: true\n"
              "  enum state: { pending: 0, timeout: 2 }\n"
              "end\n")
    assert _findings(source) == []


def test_a_client_option_beside_an_enum_is_still_reported():
    source = ("class Client\n"
              "  enum :status, { ok: 0, timeout: 3 }\n"
              "  def conn\n"
              "    Faraday.new(url: URL, request: { timeout: 3 })\n"
              "  end\n"
              "end\n")
    assert _findings(source) == [(4, "timeout", 3000)]


REGEX_GUARD = (
    "class PyUnitAdapter\n"
    "  def parse_output(output)\n"
    "    begin\n"
    "      matches = Timeout.timeout(2.seconds) do\n"
    "        output[:stderr].scan(ASSERTION_ERROR_REGEXP).map do |match|\n"
    "          testname = match[1]\n"
    "          \"#{testname}: #{match[3].strip}\"\n"
    "        end || []\n"
    "      end\n"
    "    rescue Timeout::Error\n"
    "      matches = []\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_timeout_around_a_regex_over_local_text_is_no_call_bound():
    assert _findings(REGEX_GUARD) == []


def test_timeout_around_a_call_is_still_reported():
    source = REGEX_GUARD.replace("output[:stderr].scan(ASSERTION_ERROR_REGEXP)", "client.get(url).body.scan(X)")
    assert _findings(source) == [(4, "timeout", 2000)]


def test_timeout_around_a_method_of_the_program_is_still_reported():
    # `fetch_rows` is called without parentheses: a method, which may call another service
    source = REGEX_GUARD.replace("output[:stderr].scan(ASSERTION_ERROR_REGEXP)", "fetch_rows")
    assert _findings(source) == [(4, "timeout", 2000)]
    source = REGEX_GUARD.replace("output[:stderr].scan(ASSERTION_ERROR_REGEXP)", "fetch_rows.first(3)")
    assert _findings(source) == [(4, "timeout", 2000)]


WITH_TIMEOUT = (
    "module Services\n"
    "  def self.with_timeout(seconds)\n"
    "    previous_timeout = publishing_api.client.options[:timeout]\n"
    "    publishing_api.client.options[:timeout] = seconds\n"
    "    result = yield\n"
    "    publishing_api.client.options[:timeout] = previous_timeout\n"
    "    result\n"
    "  end\n"
    "end\n"
    "class Publisher\n"
    "  def run\n"
    "    Services.with_timeout(30) { document.publish }\n"
    "  end\n"
    "end\n")


def test_putting_back_a_saved_option_is_no_setting():
    # the helper's parameter gives the calls their value (rule c, across files); the restore sets nothing
    assert [f for f in _findings(WITH_TIMEOUT, "lib/services.rb") if f[0] == 6] == []


def test_a_local_saved_from_another_option_is_still_a_setting():
    source = WITH_TIMEOUT.replace("previous_timeout = publishing_api.client.options[:timeout]",
                                  "previous_timeout = settings.options[:timeout]")
    assert (6, "timeout", None) in _findings(source, "lib/services.rb")


def test_a_model_column_named_timeout_is_no_option():
    source = ("class Parser\n"
              "  def health_checks(uid, health_check)\n"
              "    persister.checks.find_or_build(uid).assign_attributes(\n"
              "      :interval => health_check['interval'],\n"
              "      :timeout  => health_check['timeout'],\n"
              "    )\n"
              "    Check.where(timeout: 5).first\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []


def test_a_client_built_beside_a_record_write_is_still_reported():
    source = ("class Sync\n"
              "  def run(check)\n"
              "    record.assign_attributes(timeout: check['timeout'])\n"
              "    Faraday.new(url: URL, request: { timeout: 5 })\n"
              "  end\n"
              "end\n")
    assert _findings(source) == [(4, "timeout", 5000)]


WATCH = (
    "class WatchThread\n"
    "  def collector_thread\n"
    "    retry_connection = true\n"
    "    while running?\n"
    "      begin\n"
    "        self.watch = connection.watch_pods(resource_version: version)\n"
    "        retry_connection = true\n"
    "        watch.each { |notice| queue.push(notice) }\n"
    "      rescue Kubeclient::HttpError => err\n"
    "        raise unless err.error_code == 401 && retry_connection\n"
    "\n"
    "        retry_connection = false\n"
    "        retry\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_a_flag_cleared_before_the_retry_allows_one_retry():
    assert _findings(WATCH) == [(13, "retry", 2)]


def test_a_flag_that_stays_set_does_not_bound_the_retry():
    # the flag is never cleared in the rescue: the count is not known from it
    source = WATCH.replace("        retry_connection = false\n", "        log(err)\n")
    assert _findings(source) == [(13, "retry", None)]


PROXY = (
    "require 'socket'\n"
    "class ProxiedTcpSocket\n"
    "  def initialize(proxy_uri:, timeout: 60)\n"
    "    @timeout = timeout\n"
    "    @proxy_socket = TCPSocket.new(proxy_uri.hostname, proxy_uri.port)\n"
    "  end\n"
    "\n"
    "  def wait_for_proxy_response\n"
    "    deadline = Time.now + @timeout\n"
    "    response = ''\n"
    "    while !response.include?(\"\\r\\n\\r\\n\") && Time.now < deadline\n"
    "      remaining_time = deadline - Time.now\n"
    "      ready = IO.select([@proxy_socket], nil, nil, remaining_time)\n"
    "      raise 'timed out' unless ready\n"
    "      response += @proxy_socket.read_nonblock(1024)\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_a_socket_wait_for_what_is_left_of_a_deadline_is_no_bound_of_its_own():
    lines = [line for line, kind, _ in _findings(PROXY) if kind == "timeout"]
    assert 13 not in lines


def test_a_socket_wait_with_its_own_bound_is_still_reported():
    source = PROXY.replace("IO.select([@proxy_socket], nil, nil, remaining_time)", "IO.select([@proxy_socket], nil, nil, 5)")
    assert (13, "timeout", 5000) in _findings(source)


def test_an_injected_dependency_default_is_no_client_option():
    source = ("ExecuteCommand = CommandClass.new(\n"
              "  dependencies: {\n"
              "    timeout: ENV['KUBE_EXEC_COMMAND_TIMEOUT'],\n"
              "    logger: Rails.logger\n"
              "  },\n"
              "  inputs: %i[pod_name]\n"
              ")\n")
    assert _findings(source) == []
    kept = source.replace("dependencies: {", "request: {")
    assert [line for line, kind, _ in _findings(kept)] == [3]
