"""A timeout or attempts bound handed to one of the project's own Ruby helpers in another file:
proposed at the call (ruby.wrapper_call), kept and valued by the pipeline only when the helper's
file publishes that parameter (extractors/ruby/wrappers.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.ruby.detectors import wrapper_call
from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import FIXTURES

WRAPPERS = FIXTURES / "ruby" / "wrappers"


def _scan(tmp_path: Path):
    root = tmp_path / "shop"
    shutil.copytree(WRAPPERS, root)
    return scan(root, jobs=1, cache_dir=tmp_path / ".cache")


def _value(finding):
    return finding.attributes.get("timeout_ms" if finding.kind == "timeout" else "max_attempts")


def test_helper_calls_carry_their_timeouts_and_attempts_through_the_pipeline(tmp_path: Path) -> None:
    result = _scan(tmp_path)
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, _value(f), f.detector)
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("checkout.rb", 10, "timeout", 500, wrapper_call.ID),  # RISK_TIMEOUT = 0.5 s into post's timeout
        ("checkout.rb", 11, "timeout", 2000, "ruby.client_options"),  # read by the option reader, no duplicate
        ("checkout.rb", 14, "timeout", None, wrapper_call.ID),  # a computed value: a contract, value unknown
        ("checkout.rb", 15, "retry", 5, wrapper_call.ID),  # ORDER_RETRIES = 4 retries after the first try
        ("checkout.rb", 16, "retry", 5, wrapper_call.ID),  # the included module's max_attempts keyword
        ("checkout.rb", 17, "timeout", 3000, "ruby.client_options"),
        ("checkout.rb", 19, "timeout", 4000, "ruby.timeout_block"),
        ("http_helper.rb", 9, "timeout", 10000, "ruby.net_http"),  # the helper's own default
        ("http_helper.rb", 15, "timeout", 5000, "ruby.net_http"),
        ("http_helper.rb", 45, "retry", 3, "ruby.rescue_retry"),
        ("http_helper.rb", 60, "timeout", 2000, "ruby.net_http"),  # RiskClient's constructor default (a)
    ]  # list_orders' page/size, the string and the forwarder: nothing kept


def test_helpers_publish_under_the_names_callers_use() -> None:
    path = WRAPPERS / "lib" / "http_helper.rb"
    symbols = EXTRACTOR.extract("lib/http_helper.rb", path.read_bytes()).symbols
    published = {k: v.value for k, v in symbols.items() if "$" in k and "#" not in k and "$timeout_" not in k.replace("$timeout_param", "")
                 and not k.startswith("$forwarder:")}
    assert published == {
        "HttpHelper.post.$timeout_param:2": 1000.0,  # seconds: 1000 ms per unit the caller writes
        "HttpHelper.post.$timeout_param:timeout": 1000.0,
        "HttpHelper.get.$timeout_param:timeout": 1000.0,  # options[:timeout] of its options hash
        "Retrying.with_retries.$attempts_param:0": 2.0,  # count retries: count + 1 attempts
        "Retrying.with_retries.$attempts_param:count": 2.0,
        "with_attempts.$attempts_param:max_attempts": 1.0,  # a distinctive instance method: bare name
        # a call passing no argument leaves the keyword at its default of 3 attempts
        "with_attempts.$attempts_omitted:0": 1,
        "with_attempts.$attempts_default:0": 3.0,
        "RiskClient.new.$timeout_param:timeout": 1000.0,  # initialize keeps it in @timeout
        # (round 22) the URL parameter: a call's URL argument is its destination
        "HttpHelper.post.$url_param:0": 1, "HttpHelper.post.$url_param:url": 1,
        "HttpHelper.get.$url_param:0": 1, "HttpHelper.get.$url_param:url": 1,
    }


def test_generic_and_keyword_names_are_not_published_positionally() -> None:
    source = (b"module Api\n  def get(url, timeout = 5)\n    Net::HTTP.start(url, read_timeout: timeout) {}\n  end\n\n"
              b"  def self.fetch_all(url, timeout: 5)\n    Net::HTTP.start(url, read_timeout: timeout) {}\n  end\nend\n")
    symbols = EXTRACTOR.extract("lib/api.rb", source).symbols
    published = {k for k in symbols if "_param:" in k and "$url_param" not in k}
    # (round 22) the URL parameter likewise: `get` only under its file-local names
    assert {k for k in symbols if "$url_param" in k} == {
        "Api.fetch_all.$url_param:0", "Api.fetch_all.$url_param:url", "lib/api.rb#Api.fetch_all.$url_param:0",
        "lib/api.rb#Api.fetch_all.$url_param:url", "lib/api.rb#Api.get.$url_param:0", "lib/api.rb#Api.get.$url_param:url",
        "lib/api.rb#fetch_all.$url_param:0", "lib/api.rb#fetch_all.$url_param:url", "lib/api.rb#get.$url_param:0",
        "lib/api.rb#get.$url_param:url"}
    # `get` is too common a name to stand for this method in other files; a keyword parameter has no
    # position; calls of the same file find every method under its file-local name, bare and
    # qualified by its class (two classes of a file may define the same name)
    assert published == {"Api.fetch_all.$timeout_param:timeout", "lib/api.rb#fetch_all.$timeout_param:timeout",
                         "lib/api.rb#get.$timeout_param:timeout", "lib/api.rb#get.$timeout_param:1",
                         "lib/api.rb#Api.fetch_all.$timeout_param:timeout", "lib/api.rb#Api.get.$timeout_param:timeout",
                         "lib/api.rb#Api.get.$timeout_param:1"}


def test_calls_of_the_files_own_methods_are_read_where_the_method_says_what_the_value_is(tmp_path: Path) -> None:
    root = tmp_path / "runner"
    (root / "lib").mkdir(parents=True)
    (root / "Gemfile").write_text('source "https://rubygems.org"\n')
    (root / "lib" / "executor.rb").write_text(
        "class Executor\n"
        "  KILL_TIMEOUT = 1\n\n"
        "  def run(url)\n"
        "    fetch(url, timeout: 30)\n"
        "    cancel(timeout: KILL_TIMEOUT)\n"
        "  end\n\n"
        "  def fetch(url, timeout:)\n"
        "    Net::HTTP.start(url, 443, read_timeout: timeout) { |h| h.get('/') }\n"
        "  end\n\n"
        "  def cancel(timeout:)\n"
        "    timeout.ceil.times { sleep 1 }\n"
        "  end\n"
        "end\n")
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.kind, _value(f), f.detector) for f in result.findings if f.kind in ("timeout", "retry"))
    # fetch's timeout reaches Net::HTTP: the call's 30 s is its contract (fetch itself only hands
    # its parameter on: no contract of its own); cancel's is a local kill wait
    assert got == [(5, "timeout", 30000, wrapper_call.ID)]


def _scan_files(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    (root / "Gemfile").write_text("source 'https://rubygems.org'\n")
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, _value(f))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_helper_chain_carries_the_outer_callers_value_and_a_forwarder_alone_reports_nothing(tmp_path: Path) -> None:
    got = _scan_files(tmp_path, {
        "lib/http_util.rb": (
            "module HttpUtil\n"
            "  def self.post(url, body, timeout)\n"
            "    Net::HTTP.start(url, 443, read_timeout: timeout) { |h| h.post('/', body) }\n"
            "  end\n\n"
            "  def self.fetch_json(url, timeout)\n"
            "    post(url, nil, timeout)\n"
            "  end\n\n"
            "  def self.ping(url, timeout)\n"
            "    post(url, nil, timeout)\n"
            "  end\n"
            "end\n"),
        "app/risk.rb": (
            "class Risk\n"
            "  def score\n"
            "    HttpUtil.fetch_json('http://risk:8000/score', 7)\n"
            "  end\n"
            "end\n"),
    })
    # HttpUtil.fetch_json hands its parameter to post (a chain): its caller's 7 s is the contract; post's
    # own writer and ping (never called with a value) report nothing
    assert got == [("risk.rb", 3, "timeout", 7000)]


def test_constructor_parameters_reach_constructions_and_a_field_default_values_the_helper(tmp_path: Path) -> None:
    got = _scan_files(tmp_path, {
        "lib/retryable_client.rb": (
            "class RetryableClient\n"
            "  def initialize(client:, limit: 3)\n"
            "    @client = client\n"
            "    @limit = limit\n"
            "  end\n\n"
            "  def download(key)\n"
            "    retries ||= @limit\n"
            "    @client.download(key)\n"
            "  rescue IOError\n"
            "    retries -= 1\n"
            "    retry unless retries == 0\n"
            "    raise\n"
            "  end\n"
            "end\n"),
        "lib/timeout_job.rb": (
            "class TimeoutJob\n"
            "  def initialize(job, timeout)\n"
            "    @job = job\n"
            "    @timeout = timeout\n"
            "  end\n\n"
            "  def perform\n"
            "    Timeout.timeout(@timeout) { @job.perform }\n"
            "  end\n"
            "end\n"),
        "lib/named.rb": (
            "class Named\n"
            "  def initialize(name)\n"
            "    @name = name\n"
            "  end\n\n"
            "  def label\n"
            "    @name.to_s\n"
            "  end\n"
            "end\n"),
        "app/provider.rb": (
            "class Provider\n"
            "  def blobs\n"
            "    RetryableClient.new(client: dav)\n"
            "  end\n\n"
            "  def packages\n"
            "    RetryableClient.new(client: dav, limit: 5)\n"
            "  end\n\n"
            "  def enqueue(job)\n"
            "    TimeoutJob.new(job, 30)\n"
            "    Named.new(5)\n"
            "  end\n"
            "end\n"),
    })
    assert got == [
        ("provider.rb", 3, "retry", 3),  # blobs leaves limit out: the constructor's default (b)
        ("provider.rb", 7, "retry", 5),  # the construction's own count (c)
        ("provider.rb", 11, "timeout", 30000),  # TimeoutJob keeps its constructor's timeout in @timeout
        ("retryable_client.rb", 12, "retry", 3),  # the constructor default where the loop is (a)
    ]  # Named's field is no timeout; TimeoutJob's timeout has no default (its loop line is a forwarder)


def test_a_call_leaving_a_defaulted_attempts_parameter_out_gets_the_default(tmp_path: Path) -> None:
    got = _scan_files(tmp_path, {
        "lib/attempts.rb": (
            "module Attempts\n"
            "  def with_attempts(max_attempts: 3)\n"
            "    attempts = 0\n"
            "    begin\n"
            "      attempts += 1\n"
            "      yield\n"
            "    rescue Errno::ECONNRESET\n"
            "      retry if attempts < max_attempts\n"
            "      raise\n"
            "    end\n"
            "  end\n"
            "end\n"),
        "app/orders.rb": (
            "class Orders\n"
            "  include Attempts\n\n"
            "  def place(cart)\n"
            "    with_attempts { submit(cart) }\n"
            "    with_attempts(max_attempts: 5) { submit(cart) }\n"
            "    summary(cart)\n"
            "  end\n"
            "end\n"),
    })
    # rule (a): the helper's loop has its default (3); each call says how many (rule b: the default, c: its own)
    assert got == [("attempts.rb", 8, "retry", 3), ("orders.rb", 5, "retry", 3), ("orders.rb", 6, "retry", 5)]


def test_a_superclass_calling_its_subclasses_method_proposes_the_fallback(tmp_path: Path) -> None:
    got = _scan_files(tmp_path, {
        "lib/task.rb": (
            "class Task\n"
            "  DEFAULT_TIMEOUT = 60\n\n"
            "  def run(params)\n"
            "    process(params[:timeout] || DEFAULT_TIMEOUT)\n"
            "  end\n"
            "end\n"),
        "lib/slack_task.rb": (
            "class SlackTask < Task\n"
            "  def process(timeout)\n"
            "    http.post(url) { |r| r.options.timeout = timeout }\n"
            "  end\n"
            "end\n"),
        "lib/other.rb": (
            "class Other\n"
            "  def run(params)\n"
            "    process(params[:limit] || 20)\n"
            "  end\n"
            "end\n"),
    })
    # the template method's call gets the subclass's timeout (60 s unless the params say otherwise);
    # a class that is no superclass of it proposes nothing kept
    assert got == [("task.rb", 5, "timeout", 60000)]


def test_calls_leaving_a_memoized_helpers_defaulted_timeout_out_get_the_default(tmp_path: Path) -> None:
    """``def connection(timeout: 25)`` memoizing a Faraday connection: the helper reports its own
    default, and every call leaving the keyword out (``connection.get``, ``X.new(id).connection``)
    is a contract with that default; the call passing a constant gets the constant. A block
    parameter or a local named ``connection``, and another class's own ``connection`` without a
    defaulted parameter, are no calls of the helper."""
    root = tmp_path / "billing"
    shutil.copytree(FIXTURES / "ruby" / "memoized_client", root)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.kind, _value(f), f.attributes.get("phase"), f.detector)
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        (7, "timeout", 1000, "total", wrapper_call.ID),  # ALLOWANCE_TIMEOUT = 1 s
        (11, "timeout", 25000, "total", wrapper_call.ID),  # connection.get: the default
        (15, "timeout", 25000, "total", wrapper_call.ID),
        (38, "timeout", 25000, "connect", "ruby.faraday"),  # the helper's own default
        (39, "timeout", 25000, "total", "ruby.faraday"),
        (52, "timeout", 3000, "total", wrapper_call.ID),  # AuthorizerClient.new(7).connection
        (63, "timeout", 3000, "total", "ruby.faraday"),
    ]  # lines 25, 31 (a block parameter, a local) and 48 (Authorizer's own connection): nothing


def test_settings_files_and_class_readers_value_the_timeouts_they_feed(tmp_path: Path) -> None:
    """config/settings.yml (the config gem: ``Settings.a.b``) and config/application.yml (a typed
    store's ``IdentityConfig.store.key``: its top-level defaults) value the timeouts that read them;
    an unknown key stays unresolved; a text setting and the file's declarations are no findings."""
    root = tmp_path / "geo"
    shutil.copytree(FIXTURES / "ruby" / "settings_values", root)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path, f.line, f.kind, _value(f), f.attributes.get("phase"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    client = "app/clients/geo_client.rb"
    assert got == [
        (client, 5, "timeout", 300000, "function"),  # Settings.api_timeout: 300
        (client, 10, "timeout", 4000, "total"),  # Settings.nominatim.timeout: 4
        (client, 16, "timeout", 3000, "total"),  # application.yml's default, not production's
        (client, 22, "timeout", None, "function"),  # no such key: unresolved
        (client, 33, "timeout", 5000, "connect"),  # tmo: the code's fallback of 5 s
        (client, 33, "timeout", 5000, "total"),
        (client, 44, "timeout", 60000, "total"),  # def timeout; 60; end
        (client, 55, "timeout", 7000, "total"),  # the parameter, not the reader of the same name
    ]


def test_a_sql_session_bound_set_by_a_helper_is_read_at_the_calls_naming_a_duration_method(tmp_path: Path) -> None:
    """``set_custom_timeout(timeout_in_seconds)`` runs ``SET statement_timeout = '#{...}s'``: the
    helper forwards its parameter; a subclass calling it with a duration-named method of its
    superclass (``host_timeout``) or a number holds the contract. A name that says nothing of a
    duration (``page``) is no value of it."""
    got = _scan_files(tmp_path, {
        "lib/query.rb": (
            "class Query\n"
            "  def set_custom_timeout(timeout_in_seconds)\n"
            "    ActiveRecord::Base.connection.execute \"SET statement_timeout = '#{timeout_in_seconds}s';\"\n"
            "  end\n\n"
            "  def host_timeout\n"
            "    Travis.config.db.max_statement_timeout_in_seconds\n"
            "  end\n"
            "end\n"),
        "lib/queries/jobs.rb": (
            "class Jobs < Query\n"
            "  def for_user(user)\n"
            "    set_custom_timeout(host_timeout)\n"
            "    set_custom_timeout(15)\n"
            "    set_custom_timeout(page)\n"
            "  end\n"
            "end\n"),
    })
    assert got == [("jobs.rb", 3, "timeout", None), ("jobs.rb", 4, "timeout", 15000)]


def test_a_class_method_called_without_arguments_leaves_its_defaulted_timeout_out(tmp_path: Path) -> None:
    """``Services.elasticsearch.nodes`` / ``client: Services.elasticsearch`` with ``def
    self.elasticsearch(hosts: ..., timeout: 5)``: each call is a contract with the 5 s default; a
    call passing ``timeout:`` has its own; a class method without a timeout parameter and a
    setting read (``Settings.timeout``) are none."""
    got = _scan_files(tmp_path, {
        "lib/services.rb": (
            "module Services\n"
            "  def self.elasticsearch(hosts: 'http://localhost:9200', timeout: 5)\n"
            "    Elasticsearch::Client.new(hosts: hosts, request_timeout: timeout)\n"
            "  end\n\n"
            "  def self.publishing_api\n"
            "    GdsApi::PublishingApi.new('http://publishing-api')\n"
            "  end\n"
            "end\n"),
        "lib/collector.rb": (
            "class Collector\n"
            "  def initialize(client: Services.elasticsearch)\n"
            "    @client = client\n"
            "  end\n\n"
            "  def collect\n"
            "    Services.elasticsearch.nodes.stats(metric: 'fs')\n"
            "    Services.elasticsearch(timeout: 30).cluster.health\n"
            "    Services.publishing_api.get_content('/x')\n"
            "    Settings.timeout\n"
            "  end\n"
            "end\n"),
    })
    assert got == [("collector.rb", 2, "timeout", 5000), ("collector.rb", 7, "timeout", 5000),
                   ("collector.rb", 8, "timeout", 30000), ("services.rb", 3, "timeout", 5000)]


def test_a_call_leaving_connect_and_read_timeout_keywords_out_gets_both_defaults(tmp_path: Path) -> None:
    """``def self.fetch(url, connect_timeout: 2, read_timeout: 8)`` called as ``fetch(url)``: two
    contracts at the call (connect 2 s, read 8 s); a call passing ``read_timeout: 30`` has its own
    read bound (the connect default it leaves out is not proposed: a known gap)."""
    got = _scan_files(tmp_path, {
        "lib/document_fetcher.rb": (
            "module DocumentFetcher\n"
            "  def self.fetch(url, connect_timeout: 2, read_timeout: 8, limit: 5)\n"
            "    uri = URI.parse(url)\n"
            "    http = Net::HTTP.new(uri.host, uri.port)\n"
            "    http.open_timeout = connect_timeout\n"
            "    http.read_timeout = read_timeout\n"
            "    http.request(Net::HTTP::Get.new(uri.request_uri))\n"
            "  end\n"
            "end\n"),
        "lib/importers/hint_data.rb": (
            "class HintData\n"
            "  def run\n"
            "    DocumentFetcher.fetch HINT_DATA_URL\n"
            "    DocumentFetcher.fetch(url, read_timeout: 30)\n"
            "  end\n"
            "end\n"),
    })
    assert got == [("document_fetcher.rb", 5, "timeout", 2000), ("document_fetcher.rb", 6, "timeout", 8000),
                   ("hint_data.rb", 3, "timeout", 2000), ("hint_data.rb", 3, "timeout", 8000),
                   ("hint_data.rb", 4, "timeout", 30000)]


def test_database_yml_erb_reading_a_settings_file_is_valued_from_it(tmp_path: Path) -> None:
    """``statement_timeout: <%= IdentityConfig.store.database_statement_timeout %>`` (ms) and
    ``connect_timeout: <%= Settings.db.connect_timeout %>`` (seconds) take the settings files'
    values; an ERB value computed by the app's own code stays unresolved."""
    got = _scan_files(tmp_path, {
        "config/database.yml": (
            "production:\n"
            "  adapter: postgresql\n"
            "  connect_timeout: <%= Settings.db.connect_timeout %>\n"
            "  read_timeout: <%= DatabaseConfig.read_timeout %>\n"
            "  variables:\n"
            "    statement_timeout: <%= IdentityConfig.store.database_statement_timeout %>\n"),
        "config/application.yml": "database_statement_timeout: 2_500\n",
        "config/settings.yml": "db:\n  connect_timeout: 2\n",
        "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\nend\n",
    })
    assert got == [("database.yml", 3, "timeout", 2000), ("database.yml", 4, "timeout", None),
                   ("database.yml", 6, "timeout", 2500)]


def test_a_constructor_field_default_is_reported_at_the_helper_and_at_each_construction_leaving_it_out(
        tmp_path: Path) -> None:
    """``def initialize(url, type, timeout = 30) @timeout = timeout`` read back through ``attr_reader
    :timeout`` in ``Faraday.new(url:, request: { timeout: })`` (Ruby 3.1 shorthand): the helper's own
    line has the default (convention (a)), a construction leaving it out gets it (b), one passing a
    value gets that (c). The class lives in a library's namespace (``Faraday::SoapCall``): a project
    class all the same. A nil default is no timeout: neither the helper nor the calls report one."""
    got = _scan_files(tmp_path, {
        "app/services/faraday/soap_call.rb": (
            "module Faraday\n"
            "  class SoapCall\n"
            "    attr_reader :url, :timeout\n\n"
            "    def initialize(url, type, timeout = 30)\n"
            "      @url = url\n"
            "      @timeout = timeout\n"
            "    end\n\n"
            "    def call(body)\n"
            "      conn.post { |r| r.body = body }.body\n"
            "    end\n\n"
            "    def conn\n"
            "      @conn ||= Faraday.new(url:, headers: {}, request: { timeout: })\n"
            "    end\n"
            "  end\n"
            "end\n"),
        "app/services/lookup_client.rb": (
            "class LookupClient\n"
            "  def initialize(url, read_timeout: nil)\n"
            "    @read_timeout = read_timeout\n"
            "    @url = url\n"
            "  end\n\n"
            "  def get\n"
            "    Faraday.new(url: @url, request: { read_timeout: @read_timeout }).get('/x')\n"
            "  end\n"
            "end\n"),
        "app/services/requestor.rb": (
            "class Requestor\n"
            "  def call(xml)\n"
            "    Faraday::SoapCall.new(wsdl, :ccms).call(xml)\n"
            "  end\n\n"
            "  def slow(xml)\n"
            "    Faraday::SoapCall.new(wsdl, :ccms, 90).call(xml)\n"
            "  end\n\n"
            "  def lookup\n"
            "    LookupClient.new(url).get\n"
            "    Faraday::Connection.new(url, 5)\n"  # the library's own class: nothing published
            "  end\n"
            "end\n"),
    })
    assert got == [("requestor.rb", 3, "timeout", 30000), ("requestor.rb", 7, "timeout", 90000),
                   ("soap_call.rb", 15, "timeout", 30000)]


def test_an_app_config_global_is_valued_from_the_apps_defaults_file(tmp_path: Path) -> None:
    """``APP_CONFIG.delayed_job_max_run_time`` with ``APP_CONFIG`` loaded from
    ``config/config.defaults.yml``: the ``default:`` section's value (not production's override, not a
    key of another YAML file)."""
    got = _scan_files(tmp_path, {
        "config/config.defaults.yml": (
            "default: &default_settings\n"
            "  bucket: null\n"
            "  delayed_job_max_run_time: 180\n"
            "  bucket: landing\n"  # a duplicate key (Psych keeps the last) must not stop the file
            "production:\n"
            "  <<: *default_settings\n"
            "  delayed_job_max_run_time: 240\n"),
        "config/other.yml": "production:\n  job_budget: 99\n",
        "config/initializers/delayed_job.rb": (
            "Delayed::Worker.max_run_time = APP_CONFIG.delayed_job_max_run_time.to_i.seconds\n"
            "Delayed::Worker.max_run_time = APP_CONFIG.job_budget.to_i.seconds\n"),
    })
    assert got == [("delayed_job.rb", 1, "timeout", 180000), ("delayed_job.rb", 2, "timeout", None)]


def test_a_middleware_whose_constructor_defaults_a_request_timeout_is_valued_there_and_at_the_construction(
        tmp_path: Path) -> None:
    """``def initialize(timeout: TIMEOUT, open_timeout: OPEN_TIMEOUT) @_timeout = timeout`` merged into
    the request (``req.merge(timeout: @_timeout, ...)``): the middleware's line has both defaults (a),
    ``Timeout.new`` in a stack (no parentheses) gets the timeout default (b), a construction passing a
    value gets that (c). A field filled from a parameter WITHOUT default stays a forwarder."""
    got = _scan_files(tmp_path, {
        "app/utils/service_client/middleware/timeout.rb": (
            "module ServiceClient\n"
            "  module Middleware\n"
            "    class Timeout < MiddlewareBase\n"
            "      TIMEOUT = 5\n"
            "      OPEN_TIMEOUT = 2\n\n"
            "      def initialize(timeout: TIMEOUT, open_timeout: OPEN_TIMEOUT)\n"
            "        @_timeout = timeout\n"
            "        @_open_timeout = open_timeout\n"
            "      end\n\n"
            "      def enter(ctx)\n"
            "        ctx[:req] = ctx.fetch(:req).merge(timeout: @_timeout, open_timeout: @_open_timeout)\n"
            "      end\n"
            "    end\n"
            "  end\n"
            "end\n"),
        "app/utils/bare_timeout.rb": (
            "class BareTimeout\n"
            "  def initialize(timeout)\n"
            "    @timeout = timeout\n"
            "  end\n\n"
            "  def enter(ctx)\n"
            "    ctx.merge(timeout: @timeout)\n"
            "  end\n"
            "end\n"),
        "app/services/discovery_client.rb": (
            "DiscoveryClient = ServiceClient::Client.new(\n"
            "  APP_URL,\n"
            "  [\n"
            "    ServiceClient::Middleware::Timeout.new,\n"
            "    ServiceClient::Middleware::Timeout.new(timeout: 9),\n"
            "  ]\n"
            ")\n"),
    })
    # `Timeout.new` leaves out both defaults: the total and the open (connect) one, each with its phase
    assert got == [("discovery_client.rb", 4, "timeout", 2000), ("discovery_client.rb", 4, "timeout", 5000),
                   ("discovery_client.rb", 5, "timeout", 9000),
                   ("timeout.rb", 13, "timeout", 2000), ("timeout.rb", 13, "timeout", 5000)]
