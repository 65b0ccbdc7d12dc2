"""Round-20 fixes (Ruby; held-out sets wikiedudashboard, cartodb, bibdata, github-services,
email-alert-service, forms-runner, discourse-translator): Typhoeus/libcurl ``connecttimeout`` handed to a
project's wrapper or kept in a defaults hash; a multi-line ``Faraday.new(`` / ``Net::HTTP.start(`` whose
timeout options sit below the called name (at the option's line); an options hash handed on by Ruby 3.1
shorthand (``Execute.call(options:)``); an up-counting try counter guarding a recursive re-call
(``retries < MAX`` -> MAX + 1 calls); a constructor's ``self.timeout = arguments.fetch(:timeout, 60)``
read again at the request (no second finding)."""

from __future__ import annotations

from tests.extractors.ruby.test_round19_fix import with_helpers


def _timeouts(source: str, path: str = "lib/x.rb") -> list[tuple]:
    return sorted(f for f in with_helpers(source, path) if f[1] == "timeout")


def _retries(source: str, path: str = "lib/x.rb") -> list[tuple]:
    return sorted(f for f in with_helpers(source, path) if f[1] == "retry")


CURL_WRAPPER = (
    "module Carto\n"
    "  class Client\n"
    "    DEFAULT_CONNECT_TIMEOUT_SECONDS = 30\n"
    "    DEFAULT_CURL_OPTIONS = {\n"
    "      connecttimeout: DEFAULT_CONNECT_TIMEOUT_SECONDS\n"
    "    }.freeze\n"
    "\n"
    "    def cancel\n"
    "      http_client.put(api_url(action: 'cancel'),\n"
    "                      connecttimeout: 60,\n"
    "                      timeout: 600)\n"
    "    end\n"
    "\n"
    "    def geocode(url)\n"
    "      http_client.get(url, connecttimeout_ms: 500)\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_curl_connecttimeout_in_a_wrapper_call_and_a_defaults_hash():
    found = _timeouts(CURL_WRAPPER, "lib/carto/http/client.rb")
    assert (5, "timeout", 30000) in found
    assert (10, "timeout", 60000) in found and (11, "timeout", 600000) in found
    assert (15, "timeout", 500) in found


NOT_CURL_OPTIONS = (
    "class Notes\n"
    "  # connecttimeout: 30 is what the docs suggest\n"
    "  def describe\n"
    "    log('connecttimeout: 60')\n"
    "  end\n"
    "\n"
    "  def unused\n"
    "    { connecttimeout: 5 }\n"
    "  end\n"
    "\n"
    "  def kept\n"
    "    opts = { connecttimeout: 7 }\n"
    "    opts.size\n"
    "  end\n"
    "end\n"
)


def test_curl_option_words_in_comments_strings_and_unused_hashes_are_no_setting():
    assert _timeouts(NOT_CURL_OPTIONS, "lib/notes.rb") == []


TYPHOEUS_DIRECT = (
    "class Geo\n"
    "  def lookup(url)\n"
    "    Typhoeus.get(url, connecttimeout: 1, timeout: 5)\n"
    "  end\n"
    "end\n"
)


def test_typhoeus_own_options_are_not_reported_twice():
    found = _timeouts(TYPHOEUS_DIRECT, "lib/geo.rb")
    assert found == [(3, "timeout", 1000), (3, "timeout", 5000)]


FARADAY_MULTILINE = (
    "class LtiaasClient\n"
    "  OPEN_TIMEOUT = 5\n"
    "  TIMEOUT = 30\n"
    "\n"
    "  def build_connection\n"
    "    Faraday.new(\n"
    "      url: \"https://#{@domain}\",\n"
    "      request: { timeout: TIMEOUT, open_timeout: OPEN_TIMEOUT }\n"
    "    ) do |config|\n"
    "      config.request :json\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def one_line\n"
    "    Faraday.new(url: 'https://x', request: { timeout: 7 })\n"
    "  end\n"
    "\n"
    "  def nested\n"
    "    Faraday.new(url: 'https://y', request: {\n"
    "      timeout: 8,\n"
    "      open_timeout: 2\n"
    "    })\n"
    "  end\n"
    "end\n"
)


def test_faraday_new_request_options_below_the_call_sit_at_their_line():
    found = _timeouts(FARADAY_MULTILINE, "app/services/ltiaas_client.rb")
    assert (8, "timeout", 30000) in found and (8, "timeout", 5000) in found
    assert (15, "timeout", 7000) in found  # one line: at the call
    assert (20, "timeout", 8000) in found and (21, "timeout", 2000) in found
    assert not [f for f in found if f[0] in (6, 19)]


NET_HTTP_START = (
    "class Replica\n"
    "  OPEN_TIMEOUT = 30\n"
    "  READ_TIMEOUT = 180\n"
    "  def do_query(url, req)\n"
    "    Net::HTTP.start(url.host, url.port, use_ssl: true, open_timeout: OPEN_TIMEOUT,\n"
    "                    read_timeout: READ_TIMEOUT) { |http| http.request(req) }\n"
    "  end\n"
    "\n"
    "  def one(url, req)\n"
    "    Net::HTTP.start(url.host, url.port, open_timeout: 2, read_timeout: 3) { |http| http.request(req) }\n"
    "  end\n"
    "end\n"
)


def test_net_http_start_options_on_the_next_line_sit_there():
    found = _timeouts(NET_HTTP_START, "lib/replica.rb")
    assert found == [(5, "timeout", 30000), (6, "timeout", 180000), (10, "timeout", 2000), (10, "timeout", 3000)]


SHORTHAND_OPTIONS = (
    "class AlmaAdapter\n"
    "  def many(ids)\n"
    "    options = { timeout: 20 }\n"
    "    AlmaAdapter::Execute.call(options:, message: 'Find bibs') do\n"
    "      Alma::Bib.find(ids)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def holding(id)\n"
    "    options = { enable_loggable: true, timeout: 10 }\n"
    "    message = 'Items'\n"
    "    AlmaAdapter::Execute.call(options:, message:) { Alma::BibItem.find(id) }\n"
    "  end\n"
    "\n"
    "  def kept_aside(id)\n"
    "    options = { timeout: 15 }\n"
    "    logger.info(options:)\n"
    "    Alma::BibItem.find(id)\n"
    "  end\n"
    "\n"
    "  def never_used(id)\n"
    "    options = { timeout: 25 }\n"
    "    Alma::BibItem.find(id)\n"
    "  end\n"
    "end\n"
)


def test_a_local_options_hash_handed_on_by_shorthand_configures_the_call():
    found = _timeouts(SHORTHAND_OPTIONS, "app/adapters/alma_adapter.rb")
    assert (3, "timeout", 20000) in found and (10, "timeout", 10000) in found
    assert not [f for f in found if f[0] in (16, 22)]  # only logged / never handed on


UPWARD_RECURSION = (
    "class Api\n"
    "  RETRY_TIME_SECONDS = 2\n"
    "  MAX_RETRY_ATTEMPTS = 3\n"
    "\n"
    "  def update(retries: 0)\n"
    "    response = http_client.put(url, params)\n"
    "    if response.code.to_s.match?(/^2/)\n"
    "      response\n"
    "    elsif (response.code.to_s.match?(/^5/) || response.code == 429) && retries < MAX_RETRY_ATTEMPTS\n"
    "      sleep(RETRY_TIME_SECONDS**retries)\n"
    "      update(retries: retries + 1)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def fetch(url, attempts = 1)\n"
    "    res = client.get(url)\n"
    "    return res if res.ok?\n"
    "    fetch(url, attempts + 1) if attempts <= 4\n"
    "  end\n"
    "\n"
    "  def walk(node, depth = 0)\n"
    "    walk(node.left, depth + 1) if node.left && depth < 10\n"
    "  end\n"
    "end\n"
)


def test_an_up_counting_try_counter_bounds_the_recursive_call():
    found = _retries(UPWARD_RECURSION, "lib/carto/named_maps/api.rb")
    assert (11, "retry", 4) in found  # retries 0, 1, 2 re-call: 4 requests
    assert (18, "retry", 5) in found  # attempts 1..4 re-call: 5 requests
    assert not [f for f in found if f[0] == 22]  # a recursion over data


CONSTRUCTOR_ACCESSOR = (
    "class SQLApi\n"
    "  CONNECT_TIMEOUT = 45\n"
    "  DEFAULT_TIMEOUT = 60\n"
    "  attr_accessor :timeout, :base_url\n"
    "\n"
    "  def initialize(arguments)\n"
    "    self.timeout  = arguments.fetch(:timeout, DEFAULT_TIMEOUT)\n"
    "    self.base_url = arguments.fetch(:base_url, nil)\n"
    "  end\n"
    "\n"
    "  def build_request(query)\n"
    "    http_client.request(base_url,\n"
    "      connecttimeout: CONNECT_TIMEOUT,\n"
    "      timeout: timeout\n"
    "    )\n"
    "  end\n"
    "end\n"
)


def test_a_constructor_accessor_default_is_reported_once_at_the_writer():
    found = _timeouts(CONSTRUCTOR_ACCESSOR, "services/sql-api/sql_api.rb")
    assert (7, "timeout", 60000) in found and (13, "timeout", 45000) in found
    assert not [f for f in found if f[0] == 14]


POLL_FOR_RESULT = (
    "class FileUploadS3Service\n"
    "  class PollForScanResultTimeoutError < StandardError; end\n"
    "\n"
    "  def initialize\n"
    "    @poll_attempts = 20\n"
    "    @poll_wait_seconds = 500.to_f / 1000\n"
    "  end\n"
    "\n"
    "  def scan_status(key)\n"
    "    @poll_attempts.times do |i|\n"
    "      tag = get_scan_status(key)\n"
    "      return tag[:value] if tag.present?\n"
    "\n"
    "      sleep @poll_wait_seconds\n"
    "    end\n"
    "\n"
    "    raise PollForScanResultTimeoutError\n"
    "  end\n"
    "\n"
    "  def wait_for_index(name)\n"
    "    10.times do\n"
    "      return if index_ready?(name)\n"
    "      sleep 3\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def reachable(host)\n"
    "    3.times do\n"
    "      return true if ping(host)\n"
    "      sleep 2\n"
    "    end\n"
    "    false\n"
    "  end\n"
    "\n"
    "  def poll_with_rescue(url)\n"
    "    4.times do\n"
    "      begin\n"
    "        return client.get(url)\n"
    "      rescue Faraday::TimeoutError\n"
    "        sleep 1\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_a_counted_poll_for_a_remote_result_is_a_bounded_wait_not_a_retry():
    found = with_helpers(POLL_FOR_RESULT, "app/services/file_upload_s3_service.rb")
    assert (10, "timeout", 10000) in found and not [f for f in found if f[:2] == (10, "retry")]
    assert (21, "timeout", 30000) in found and not [f for f in found if f[:2] == (21, "retry")]
    assert (28, "retry", 3) in found  # a probe tried again: still a retry
    assert not [f for f in found if f[:2] == (36, "timeout")]  # a rescued call tried again: no poll


SERVICE_TIMEOUT_ALIAS = (
    "class Service\n"
    "  def receive(timeout = nil)\n"
    "    return unless respond_to_event?\n"
    "    timeout_sec = (timeout || 20).to_i\n"
    "    Service::Timeout.timeout(timeout_sec, TimeoutError) do\n"
    "      send(event_method)\n"
    "    end\n"
    "    self\n"
    "  end\n"
    "\n"
    "  def other\n"
    "    Rack::Timeout.timeout(3) { work }\n"
    "  end\n"
    "end\n"
    "\n"
    "begin\n"
    "  require 'system_timer'\n"
    "  Service::Timeout = SystemTimer\n"
    "rescue LoadError\n"
    "  require 'timeout'\n"
    "  Service::Timeout = Timeout\n"
    "end\n"
)


def test_a_project_alias_of_timeout_and_a_local_holding_the_fallback():
    found = _timeouts(SERVICE_TIMEOUT_ALIAS, "lib/service.rb")
    assert (5, "timeout", 20000) in found
    assert not [f for f in found if f[0] == 12]  # Rack::Timeout is no alias of the stdlib's here


MESSAGE_REQUEUE = (
    "class MessageProcessor\n"
    "  def process(message)\n"
    "    process_message(message)\n"
    "    message.ack\n"
    "  rescue GdsApi::HTTPErrorResponse => e\n"
    "    @logger.info \"Requeuing due to a #{e.code} response\"\n"
    "    message.retry\n"
    "  rescue StandardError => e\n"
    "    message.discard\n"
    "  end\n"
    "\n"
    "  def replay(message)\n"
    "    message.retry\n"
    "  end\n"
    "\n"
    "  def rerun(id)\n"
    "    job = FailedJob.find(id)\n"
    "    job.retry\n"
    "  rescue StandardError\n"
    "    job.retry\n"
    "  end\n"
    "end\n"
)


def test_a_consumer_requeueing_its_message_on_a_failed_call_is_an_unbounded_retry():
    found = _retries(MESSAGE_REQUEUE, "email_alert_service/models/message_processor.rb")
    assert found == [(7, "retry", None)]  # not outside a rescue, not a local's retry


SECOND_TRY = (
    "class SolrDeleter\n"
    "  def delete_batch(batch)\n"
    "    uri = \"#{@solr_url}/update\"\n"
    "    body = build_request_body(ids: batch)\n"
    "\n"
    "    response = request_deletion(uri:, body:)\n"
    "    return if valid_response?(response)\n"
    "\n"
    "    # Only retry once\n"
    "    retry_response = request_deletion(uri:, body:)\n"
    "    return if valid_response?(retry_response)\n"
    "  end\n"
    "\n"
    "  def two_pages\n"
    "    first = fetch_page(1)\n"
    "    return first if first.empty?\n"
    "    second = fetch_page(2)\n"
    "  end\n"
    "\n"
    "  def compute\n"
    "    a = build_thing(1)\n"
    "    return if a.nil?\n"
    "    b = build_thing(1)\n"
    "  end\n"
    "end\n"
)


def test_the_same_call_made_again_after_a_good_answer_returned_is_a_second_try():
    found = _retries(SECOND_TRY, "marc_to_solr/lib/solr_deleter.rb")
    assert found == [(10, "retry", 2)]  # not the next page, not a local computation
