"""Round-14 rules (lead, held-out sets fb-runner, get-into-teaching-app, laa-check-client-qualifies,
peoplefinder): a timeout hook overridden in a class whose client comes from a mixin, a verb re-sent on
a client object from a rescue, and three false positives (a headless browser's render options, a
circuit breaker's open window, a retry after a NameError of the program's own code)."""

from __future__ import annotations

from tests.extractors.ruby.support import settled_values


def _findings(source: str, path: str = "app/x.rb"):
    return settled_values(source, path)


ADAPTER = (
    "module Platform\n"
    "  class UserFilestoreAdapter\n"
    "    include Platform::Connection\n"
    "    READ_TIMEOUT = 90 # seconds\n"
    "\n"
    "    def call\n"
    "      request(:post, url, payload).body\n"
    "    end\n"
    "\n"
    "    def read_timeout\n"
    "      READ_TIMEOUT\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_timeout_hook_overridden_in_a_class_with_a_mixin():
    assert _findings(ADAPTER) == [(10, "timeout", 90000)]


def test_timeout_hook_override_with_a_duration_in_a_subclass():
    found = _findings("class SlowClient < BaseClient\n  def open_timeout\n    2.seconds\n  end\nend\n")
    assert found == [(2, "timeout", 2000)]


def test_timeout_hook_without_mixin_or_superclass_is_not_reported():
    assert _findings(ADAPTER.replace("    include Platform::Connection\n", "")) == []


def test_timeout_hook_in_the_module_itself_is_not_an_override():
    source = ("module Connection\n  def read_timeout\n    30\n  end\nend\n")
    assert _findings(source) == []


def test_timeout_hook_returning_another_objects_value_is_not_reported():
    source = ADAPTER.replace("      READ_TIMEOUT\n", "      settings.read_timeout\n")
    assert _findings(source) == []


def test_a_word_timeout_in_a_comment_or_string_is_not_a_hook():
    source = ("class A < B\n  # def read_timeout; 5; end\n  def name\n    'read_timeout'\n  end\nend\n")
    assert _findings(source) == []


CONNECTION = (
    "module Platform\n"
    "  module Connection\n"
    "    def request(verb, url, body)\n"
    "      connection.send(verb, url, body, headers)\n"
    "    rescue Faraday::ConnectionFailed, Faraday::TimeoutError\n"
    "      @connection = nil # reset before one simple retry\n"
    "      begin\n"
    "        connection.send(verb, url, body, headers)\n"
    "      rescue Faraday::ConnectionFailed, Faraday::TimeoutError => e\n"
    "        raise Platform::TimeoutError, e.message\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_verb_sent_again_on_a_client_from_the_rescue():
    assert _findings(CONNECTION) == [(8, "retry", 2)]


def test_send_on_something_that_is_no_client_is_not_a_retry():
    source = CONNECTION.replace("connection.send", "mailer.send")
    assert _findings(source) == []


def test_rescue_of_everything_that_sends_again_is_a_fallback():
    source = CONNECTION.replace("rescue Faraday::ConnectionFailed, Faraday::TimeoutError\n", "rescue StandardError\n")
    assert _findings(source) == []


def test_headless_browser_render_options_are_not_a_call_timeout():
    source = ("class PdfService\n"
              "  GROVER_OPTIONS = {\n"
              "    format: \"A4\",\n"
              "    print_background: true,\n"
              "    timeout: 60_000,\n"
              "    launch_args: [\"--no-sandbox\"],\n"
              "  }.freeze\n"
              "end\n")
    assert _findings(source) == []


def test_circuit_breaker_open_window_is_not_a_call_timeout():
    source = ("Client.configure do |config|\n"
              "  config.circuit_breaker = {\n"
              "    enabled: true,\n"
              "    threshold: 5,\n"
              "    timeout: 5.minutes,\n"
              "  }\n"
              "end\n")
    assert _findings(source) == []
    nested = "Client.new(url, circuit_breaker: { timeout: 300 })\n"
    assert _findings(nested) == []


def test_client_options_beside_them_still_count():
    assert _findings("Client.new(url, timeout: 5, format: :json)\n") == [(1, "timeout", 5000)]


def test_retry_after_a_name_error_of_own_code_is_not_a_retry():
    source = ("begin\n"
              "  klass = name.camelize.constantize\n"
              "rescue NameError\n"
              "  require(path) ? retry : raise(\"Cannot load class\")\n"
              "end\n")
    assert _findings(source) == []


def test_retry_after_a_network_error_still_counts():
    source = ("attempts = 0\n"
              "begin\n"
              "  Faraday.get(url)\n"
              "rescue Faraday::ConnectionFailed, NameError\n"
              "  attempts += 1\n"
              "  retry if attempts < 3\n"
              "end\n")
    assert [(k, v) for _, k, v in _findings(source)] == [("retry", 3)]


def test_faraday_retry_options_from_a_config_object_are_unknown_not_the_default():
    source = ("def http\n"
              "  Faraday.new(url: url) do |c|\n"
              "    c.request :retry, config[:retries]\n"
              "  end\n"
              "end\n")
    assert _findings(source) == [(3, "retry", None)]


def test_faraday_retry_without_options_keeps_the_library_default():
    source = "Faraday.new(url: url) { |c| c.request :retry }\n"
    assert _findings(source) == [(1, "retry", 3)]


def test_a_log_lines_timeout_field_is_no_client_option():
    assert _findings('Travis.logger.debug("drained", timeout: "#{t}s")\n') == []
    assert _findings("logger.info(msg, timeout: 5)\n") == []
    assert _findings("Client.new(url, timeout: 5).info\n") == [(1, "timeout", 5000)]


def test_kubeclient_timeouts_hash():
    source = ('Kubeclient::Client.new(url, "v1", timeouts: { open: 10, read: 60 })\n')
    assert sorted(_findings(source)) == [(1, "timeout", 10000), (1, "timeout", 60000)]


def test_open_and_read_keys_elsewhere_are_not_timeouts():
    assert _findings('File.write(path, data, mode: { open: 1, read: 2 })\n') == []
    assert _findings('Kubeclient::Client.new(url, "v1", options: { open: 10 })\n') == []


def test_faraday_retry_options_from_a_method_reading_config_are_unknown():
    source = ("class Logs < Struct.new(:config)\n"
              "  def client\n"
              "    @client ||= Faraday.new(url: url) do |c|\n"
              "      c.request :retry, retry_config\n"
              "    end\n"
              "  end\n"
              "\n"
              "  def retry_config\n"
              "    config[:retries]\n"
              "  end\n"
              "end\n")
    assert _findings(source) == [(4, "retry", None)]
