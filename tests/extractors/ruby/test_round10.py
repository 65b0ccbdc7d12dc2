"""Round 10 (held-out Ruby sets: smart-proxy, dor-services-app, bike_index ...): a Faraday retry
middleware's options from a method, an ivar bound set in the same method, retries of local
file-system races, carrierwave_backgrounder's Sidekiq retry, and the flags handed to a spawned
curl / wget / ssh. Each asserts (kind, line, value) and the traps next to it."""

from __future__ import annotations

from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import reported, settle


def _found(source: str, path: str = "app/x.rb") -> set[tuple]:
    result = EXTRACTOR.extract(path, source.encode())
    out = set()
    for f in reported(result.findings):
        attrs = settle(f, [result])
        value = attrs.get("timeout_ms") if f.kind == "timeout" else attrs.get("max_attempts")
        out.add((f.kind, f.line, value, f.detector))
    return out


def _by_detector(source: str, detector: str) -> set[tuple]:
    return {(k, line, v) for k, line, v, d in _found(source) if d == detector}


def test_faraday_retry_options_from_a_method_of_the_class():
    source = (
        "class Audit\n"
        "  def retry_options\n"
        "    {\n"
        "      max: 3,\n"
        "      methods: %i[get post]\n"
        "    }\n"
        "  end\n"
        "\n"
        "  def conn\n"
        "    Faraday.new(url) do |builder|\n"
        "      builder.request :retry, retry_options\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert ("retry", 11, 4) in _by_detector(source, "ruby.faraday")  # max 3 retries -> 4 attempts


def test_faraday_retry_options_method_without_max_keeps_the_default():
    source = (
        "class C\n"
        "  def retry_options\n"
        "    { retry_statuses: [429], interval: 3 }\n"
        "  end\n"
        "  def initialize\n"
        "    @connection = Faraday.new(HOST) do |connection|\n"
        "      connection.request :retry, retry_options\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert ("retry", 7, 3) in _by_detector(source, "ruby.faraday")


def test_faraday_retry_options_method_with_parameters_is_not_read_as_the_hash():
    # `def retry_options(max)`: what the call hands in is unknown here, the default stands
    source = (
        "class C\n"
        "  def retry_options(n = 1)\n"
        "    { max: 9 }\n"
        "  end\n"
        "  def conn\n"
        "    Faraday.new(url) { |f| f.request :retry, retry_options }\n"
        "  end\n"
        "end\n")
    assert ("retry", 6, 3) in _by_detector(source, "ruby.faraday")


def test_ivar_bound_set_in_the_same_method_is_read_at_its_use_only():
    source = (
        "module Pingable\n"
        "  def tcp_pingable?(ip)\n"
        "    @port    = 7\n"
        "    @timeout = 1\n"
        "    Timeout.timeout(@timeout) do\n"
        "      TCPSocket.new(ip, @port)\n"
        "    end\n"
        "  rescue Timeout::Error\n"
        "    false\n"
        "  end\n"
        "end\n")
    found = {(k, line, v) for k, line, v, _ in _found(source) if k == "timeout"}
    assert found == {("timeout", 5, 1000)}


def test_ivar_set_in_the_constructor_is_still_the_clients_default():
    # trap: `@timeout = 5` in initialize is a client's own default, reported where it is set
    source = (
        "class Client\n"
        "  def initialize\n"
        "    @timeout = 5\n"
        "  end\n"
        "  def call\n"
        "    Timeout.timeout(@timeout) { http.get }\n"
        "  end\n"
        "end\n")
    found = {(k, line, v) for k, line, v, _ in _found(source) if k == "timeout"}
    assert ("timeout", 3, 5000) in found


def test_retry_of_a_local_directory_race_is_no_retried_call():
    source = (
        "def workspace\n"
        "  begin\n"
        "    Pathname(druid.content_dir(true))\n"
        "  rescue Errno::EEXIST\n"
        "    retry\n"
        "  end\n"
        "end\n")
    assert not {x for x in _found(source) if x[0] == "retry"}
    # the same shape rescuing a network error is a retry (unbounded)
    network = source.replace("Errno::EEXIST", "Errno::ECONNRESET")
    assert ("retry", 5, None, "ruby.rescue_retry") in _found(network)


def test_carrierwave_backgrounder_sidekiq_retry():
    source = (
        "CarrierWave::Backgrounder.configure do |c|\n"
        "  c.backend :sidekiq, queue: :med_priority, retry: 2\n"
        "end\n"
        "Storage.configure do |c|\n"
        "  c.backend :sidekiq, retry: 5  # not carrierwave_backgrounder's block\n"
        "end\n"
        "CarrierWave::Backgrounder.configure do |c|\n"
        "  c.backend :active_job, retry: 4\n"
        "end\n")
    assert _by_detector(source, "ruby.job_retry") == {("retry", 2, 3)}


def test_curl_flags_in_an_argument_array():
    source = (
        "class HttpDownload\n"
        "  def initialize(src, dst, connect_timeout: 10)\n"
        "    args = [which('curl')]\n"
        "    args += ['--connect-timeout', connect_timeout.to_s]\n"
        "    args += ['--retry', '3']\n"
        "    args += ['--retry-delay', '10']\n"
        "    args += ['--max-time', '3600']\n"
        "    super(args)\n"
        "  end\n"
        "end\n")
    assert _by_detector(source, "ruby.cli_flags") == {
        ("timeout", 4, 10000), ("retry", 5, 4), ("timeout", 7, 3600000)}


def test_ssh_connect_timeout_option_and_inline_curl_command():
    source = (
        "def run(host, command)\n"
        "  cmd = [ssh_binary]\n"
        "  cmd.push('-o', 'ConnectTimeout=2')\n"
        "  cmd.push(host, command)\n"
        "  shell_command(cmd)\n"
        "end\n"
        "def fetch(url)\n"
        "  `curl --max-time 30 #{url}`\n"
        "end\n")
    found = _by_detector(source, "ruby.cli_flags")
    assert ("timeout", 3, 2000) in found
    assert ("timeout", 8, 30000) in found


def test_flags_without_a_client_program_are_not_read():
    # traps: a list of flags in a file that runs no curl/wget/ssh, a comment, a non-numeric value
    source = (
        "# curl --max-time 5 http://x\n"
        "ARGS = ['--retry', '3', '--max-time', 'forever']\n"
        "def build\n"
        "  ARGS + ['--connect-timeout', '10']\n"
        "end\n")
    assert _by_detector(source, "ruby.cli_flags") == set()
    with_curl = "CURL = 'curl'\n" + source.replace("'10'", "'ten'")
    assert ("timeout", 3, 5000) not in _by_detector(with_curl, "ruby.cli_flags")


def test_concurrent_future_wait_is_a_timeout():
    source = (
        "class Retriever\n"
        "  DEFAULT_CLIENT_TIMEOUT = 15\n"
        "  def get_classes(environment)\n"
        "    future = Concurrent::Promise.new { api.list(environment) }.execute\n"
        "    client_timeout = cached? ? DEFAULT_CLIENT_TIMEOUT : api_timeout\n"
        "    future.value!(client_timeout)\n"
        "    other = Concurrent::Future.execute { api.ping }\n"
        "    other.wait(5)\n"
        "    settings.value(key)\n"
        "  end\n"
        "end\n")
    found = _by_detector(source, "ruby.timeout_block")
    assert ("timeout", 8, 5000) in found
    assert any(k == "timeout" and line == 6 for k, line, _ in found)
    assert not any(line == 9 for _, line, _ in found)  # `settings.value(key)`: no wait bound


def test_future_wait_in_a_file_without_concurrent_ruby_is_not_read():
    assert _by_detector("def x\n  job.wait(5)\nend\n", "ruby.timeout_block") == set()


def test_subclass_calls_of_a_base_client_method_with_a_defaulted_timeout(tmp_path):
    # `delete` is too generic a name to be looked up bare; a subclass's call without receiver finds
    # its superclass's instance method under the superclass's paths (rule (b): the default at the call)
    from tests.extractors.ruby.test_wrappers import _scan_files

    got = _scan_files(tmp_path, {
        "lib/puppet/api_request.rb": (
            "module Proxy::Puppet\n"
            "  class ApiRequest\n"
            "    def delete(path, timeout = 60)\n"
            "      http = Net::HTTP.new(host, port)\n"
            "      http.read_timeout = timeout\n"
            "      http.request(Net::HTTP::Delete.new(path))\n"
            "    end\n"
            "  end\n"
            "end\n"),
        "lib/puppetca/ca_request.rb": (
            "class CaRequest < ::Proxy::Puppet::ApiRequest\n"
            "  def clean(certname)\n"
            "    delete(\"/puppet-ca/v1/certificate_status/#{certname}\")\n"
            "  end\n"
            "end\n"),
        "lib/other/cleaner.rb": (
            "class Cleaner < Base\n"
            "  def clean(name)\n"
            "    delete(name)\n"  # trap: another class's `delete`, no timeout of its own
            "  end\n"
            "end\n"),
    })
    assert ("ca_request.rb", 3, "timeout", 60000) in got
    assert not any(name == "cleaner.rb" for name, *_ in got)
    assert ("api_request.rb", 5, "timeout", 60000) in got  # rule (a): the helper's own line


WS_PROXY = (
    "class WsProxy\n"
    "  PORTS = 5910..5930\n"
    "  def free_port?(port)\n"
    "    socket = Socket.new :INET, :STREAM\n"
    "    socket.bind(Socket.pack_sockaddr_in(port, '127.0.0.1'))\n"
    "    true\n"
    "  rescue Errno::EADDRINUSE\n"
    "    false\n"
    "  end\n"
    "  def start_proxy\n"
    "    port = 0\n"
    "    Timeout.timeout(5) do\n"
    "      until free_port?(port = rand(PORTS)); end\n"
    "    end\n"
    "    begin\n"
    "      execute(\"websockify #{port} #{host}:#{host_port}\")\n"
    "    rescue PortInUse\n"
    "      port += 1\n"
    "      raise 'no free port' if port >= PORTS.last\n"
    "      retry\n"
    "    end\n"
    "  end\n"
    "  def ready?(url)\n"
    "    Timeout.timeout(3) { until up?(url); end }\n"
    "  end\n"
    "  def up?(url)\n"
    "    Net::HTTP.get_response(URI(url)).is_a?(Net::HTTPSuccess)\n"
    "  end\n"
    "end\n")


def test_local_free_port_search_and_port_collision_retry_are_no_call_bounds():
    found = {(k, line, v) for k, line, v, _ in _found(WS_PROXY)}
    assert not any(line in (12, 20) for _, line, _ in found)
    # trap: a wait on a predicate that calls another service stays a timeout
    assert ("timeout", 24, 3000) in found
