"""Round-18 rules (Ruby helper, held-out sets discourse-ai, katello, pupilfirst, gemstash, greenlight,
discourse-chat-integration): a command runner's program read from the array splatted into it, an
embedded JavaScript engine and a local thread pool's drain are local work; a Rails app's development
and test environments hold no contracts; a give-up check in the rescue clause of a loop bounds a
retry whatever the loop (``until``, ``loop do``) and however the counter moves (raised in the check
itself, counted down)."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from tests.extractors.ruby.support import settled_values

LOCAL_WORK = (
    "class Ocr\n"
    "  def tesseract(path, out)\n"
    "    command = [\n"
    "      \"tesseract\",\n"
    "      path,\n"
    "      out,\n"
    "    ]\n"
    "    Discourse::Utils.execute_command(\n"
    "      *command,\n"
    "      timeout: 20.seconds,\n"
    "    )\n"
    "  end\n"
    "\n"
    "  def download(url)\n"
    "    command = [\"curl\", url]\n"
    "    Discourse::Utils.execute_command(*command, timeout: 30)\n"
    "  end\n"
    "\n"
    "  def evaluate\n"
    "    MiniRacer::Context.new(timeout: 500, max_memory: 10_000_000)\n"
    "  end\n"
    "\n"
    "  def drain(pool)\n"
    "    pool.shutdown\n"
    "    pool.wait_for_termination(timeout: 30)\n"
    "  end\n"
    "\n"
    "  def client\n"
    "    Faraday.new(url: URL, request: { timeout: 7 })\n"
    "  end\n"
    "end\n")


def test_command_array_engine_and_pool_drain_are_local_work():
    found = settled_values(LOCAL_WORK, "lib/utils/ocr.rb")
    assert not [f for f in found if f[0] in (10, 20, 25)]
    assert (16, "timeout", 30000) in found  # trap: the splatted array runs curl, a network client
    assert (29, "timeout", 7000) in found  # trap: an HTTP client's timeout stays


def test_command_runner_with_unknown_program_is_kept():
    source = ("def run(cmd)\n"
              "  Discourse::Utils.execute_command(*cmd, timeout: 30)\n"
              "end\n")
    assert settled_values(source) == [(2, "timeout", 30000)]


ENVIRONMENT = ("Rails.application.configure do\n"
               "  config.slowpoke.timeout = ENV.fetch(\"SLOWPOKE_TIMEOUT\", \"15\").to_i\n"
               "end\n")


def test_development_and_test_environments_hold_no_contracts():
    assert settled_values(ENVIRONMENT, "config/environments/development.rb") == []
    assert settled_values(ENVIRONMENT, "config/environments/test.rb") == []
    # trap: production (and staging) keep theirs
    assert settled_values(ENVIRONMENT, "config/environments/production.rb") == [(2, "timeout", 15000)]
    assert settled_values(ENVIRONMENT, "config/environments/staging.rb") == [(2, "timeout", 15000)]
    assert settled_values(ENVIRONMENT, "lib/config/environments/development_helper.rb") == [(2, "timeout", 15000)]


UNTIL_GUARDS = (
    "class SetContent\n"
    "  def run\n"
    "    max_retries = 4\n"
    "    retries = 0\n"
    "    until output[:add_ids].empty?\n"
    "      begin\n"
    "        output[:add_response] = Candlepin.add_content(id, output[:add_ids])\n"
    "        break\n"
    "      rescue RestClient::Conflict => e\n"
    "        raise e if ((retries += 1) == max_retries)\n"
    "        output[:add_ids] = content_ids - existing_ids\n"
    "      rescue RestClient::NotFound => e\n"
    "        raise e if ((retries += 1) == 1_000)\n"
    "        output[:add_ids].delete(missing)\n"
    "      end\n"
    "    end\n"
    "    retries = 0\n"
    "    until output[:delete_ids].empty?\n"
    "      begin\n"
    "        output[:delete_response] = Candlepin.delete_content(id, output[:delete_ids])\n"
    "        break\n"
    "      rescue RestClient::ResourceNotFound\n"
    "        break if ((retries += 1) == max_retries)\n"
    "        output[:delete_ids] = existing_ids - content_ids\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_give_up_checks_in_an_until_loops_rescues():
    found = [f for f in settled_values(UNTIL_GUARDS) if f[1] == "retry"]
    assert found == [(10, "retry", 4), (13, "retry", 1000), (23, "retry", 4)]


def test_greater_than_check_allows_one_more():
    source = ("def send_it\n"
              "  tries = 0\n"
              "  while true\n"
              "    begin\n"
              "      return api.post(body)\n"
              "    rescue Timeout::Error\n"
              "      raise if (tries += 1) > 2\n"
              "    end\n"
              "  end\n"
              "end\n")
    assert (7, "retry", 3) in settled_values(source)


def test_counter_checks_that_are_no_retry():
    # a loop without any way out on success: a worker's endless loop, whatever it counts
    worker = ("def work\n"
              "  errors = 0\n"
              "  loop do\n"
              "    begin\n"
              "      process(queue.pop)\n"
              "    rescue StandardError\n"
              "      raise if (errors += 1) == 10\n"
              "    end\n"
              "  end\n"
              "end\n")
    assert [f for f in settled_values(worker) if f[1] == "retry"] == []
    # a check on something that is no counter of the loop
    other = ("def fetch_all\n"
             "  until done?\n"
             "    begin\n"
             "      page = api.get(cursor)\n"
             "      break\n"
             "    rescue NotFound\n"
             "      raise if pages.size == 3\n"
             "    end\n"
             "  end\n"
             "end\n")
    assert [f for f in settled_values(other) if f[1] == "retry"] == []
    # a variable named retries that nothing counts
    named = ("def go\n"
             "  retries = 3\n"
             "  until ok?\n"
             "    begin\n"
             "      call_api\n"
             "      break\n"
             "    rescue E\n"
             "      raise if retries == 0\n"
             "    end\n"
             "  end\n"
             "end\n")
    assert [f for f in settled_values(named) if f[1] == "retry"] == []


COUNTDOWN_HELPER = (
    "class HTTPClient\n"
    "  def get(path)\n"
    "    response = with_retries do\n"
    "      @client.get(path)\n"
    "    end\n"
    "    response.body\n"
    "  end\n"
    "\n"
    "  private\n"
    "\n"
    "  def with_retries(times: 3)\n"
    "    loop do\n"
    "      times -= 1\n"
    "      begin\n"
    "        return yield\n"
    "      rescue Faraday::ConnectionFailed => e\n"
    "        log_error(\"Connection failure\", e)\n"
    "        raise(ConnectionError, e.message) unless times > 0\n"
    "\n"
    "        log.info \"retrying... #{times} more times\"\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_countdown_helper_without_pause_rules_a_and_b(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "faraday"\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/http_client.rb").write_text(COUNTDOWN_HELPER)
    got = {(f.path, f.line): f.attributes.get("max_attempts") for f in scan(tmp_path).findings if f.kind == "retry"}
    assert got == {("lib/http_client.rb", 18): 3, ("lib/http_client.rb", 3): 3}


def test_countdown_checked_before_the_decrement_allows_one_more():
    source = ("def fetch\n"
              "  left = 2\n"
              "  loop do\n"
              "    begin\n"
              "      return api.get(url)\n"
              "    rescue Errno::ECONNRESET\n"
              "      raise if left.zero?\n"
              "      left -= 1\n"
              "    end\n"
              "  end\n"
              "end\n")
    assert (7, "retry", 3) in settled_values(source)


IMAGE_TO_TEXT = (
    "class DiscourseAi::Utils::ImageToText\n"
    "  def extract_text(retries: 3)\n"
    "    retries.times do\n"
    "      begin\n"
    "        extracted = llm.generate(prompt)\n"
    "        break\n"
    "      rescue => e\n"
    "        sleep(5)\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")
PDF_TO_TEXT = (
    "class DiscourseAi::Utils::PdfToText\n"
    "  class Reader\n"
    "    def initialize(upload:)\n"
    "      @extractor = DiscourseAi::Utils::PdfToText.new(upload: upload)\n"
    "    end\n"
    "\n"
    "    def create_enumerator\n"
    "      Enumerator.new { |yielder| @extractor.extract_text { |chunk| yielder.yield(chunk) } }\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def extract_text\n"
    "    pages.each do |page|\n"
    "      DiscourseAi::Utils::ImageToText\n"
    "        .new(upload: page, guidance_text: text)\n"
    "        .extract_text { |chunk| yield chunk }\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_chained_helper_call_at_its_name_and_own_method_of_the_same_name(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "faraday"\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/image_to_text.rb").write_text(IMAGE_TO_TEXT)
    (tmp_path / "lib/pdf_to_text.rb").write_text(PDF_TO_TEXT)
    got = {(f.path, f.line): f.attributes.get("max_attempts") for f in scan(tmp_path).findings if f.kind == "retry"}
    # the multi-line chain at `.extract_text`'s line (rule b, the default); the Reader's
    # `@extractor.extract_text` calls this file's own extract_text, which retries nothing (trap)
    assert got == {("lib/image_to_text.rb", 3): 3, ("lib/pdf_to_text.rb", 16): 3}


CONFIGURATION = (
    "module Gemstash\n"
    "  class Configuration\n"
    "    DEFAULTS = {\n"
    "      cache_type: \"memory\",\n"
    "      fetch_timeout: 20,\n"
    "      open_timeout: 2,\n"
    "      cache_expiration: 30 * 60\n"
    "    }.freeze\n"
    "  end\n"
    "end\n")
HTTP_CLIENT = (
    "module Gemstash\n"
    "  class HTTPClient\n"
    "    def self.for(upstream)\n"
    "      Faraday.new(upstream.to_s) do |config|\n"
    "        config.options.timeout = gemstash_env.config[:fetch_timeout]\n"
    "      end\n"
    "    end\n"
    "\n"
    "    def get(path)\n"
    "      @client.get(path) do |req|\n"
    "        req.options.open_timeout = gemstash_env.config[:open_timeout]\n"
    "        req.options.read_timeout = gemstash_env.config[:read_timeout]\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_configuration_key_read_takes_the_defaults_hash_value(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "faraday"\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/configuration.rb").write_text(CONFIGURATION)
    (tmp_path / "lib/http_client.rb").write_text(HTTP_CLIENT)
    got = {f.line: f.attributes.get("timeout_ms") for f in scan(tmp_path).findings
           if f.kind == "timeout" and f.path == "lib/http_client.rb"}
    # trap: a key no defaults hash gives stays unknown
    assert got == {5: 20000, 11: 2000, 12: None}


def test_defaults_hash_keys_published_only_when_one_value():
    from extractors.ruby.extractor import EXTRACTOR

    source = ("DEFAULT_OPTIONS = { api_timeout: 5, name: 'x' }\n"
              "default_settings = { :rest_client_timeout => 30, :event_retry => 3 }\n"
              "OTHER = { other_timeout: 9 }\n"
              "DEFAULT_A = { shared_timeout: 1 }\n"
              "DEFAULT_B = { shared_timeout: 2 }\n")
    symbols = EXTRACTOR.extract("config/defaults.rb", source.encode()).symbols
    keys = {k for k in symbols if k.startswith("$default_key.")}
    assert keys == {"$default_key.api_timeout", "$default_key.rest_client_timeout", "$default_key.event_retry"}


def test_config_gem_erb_values_are_read():
    from contract_discovery.values import evaluate
    from extractors.ruby import rails_yaml

    data = (b"webhook_read_timeout: <%= ENV['WEBHOOK_READ_TIMEOUT']&.to_i || 30 %>\n"
            b"max_retry_attempts: <%= ENV.fetch('MAX_RETRY_ATTEMPTS', 5)&.to_i %>\n"
            b"api_host: <%= Rails.application.credentials.host %>\n"
            b"plain_timeout: 7\n")
    symbols = rails_yaml.extract("config/settings.yml", data).symbols
    assert evaluate(symbols["Settings.webhook_read_timeout"]).value == 30
    assert evaluate(symbols["Settings.max_retry_attempts"]).value == 5
    assert evaluate(symbols["Settings.plain_timeout"]).value == 7
    # trap: an ERB value that reads the app's own objects stays text
    assert evaluate(symbols["Settings.api_host"]).value == "<%= Rails.application.credentials.host %>"


REDRAWS = (
    "class Room < ApplicationRecord\n"
    "  def set_friendly_id\n"
    "    id = SecureRandom.alphanumeric(12).downcase\n"
    "    raise if Room.exists?(friendly_id: id)\n"
    "\n"
    "    self.friendly_id = id\n"
    "  rescue StandardError\n"
    "    retry\n"
    "  end\n"
    "\n"
    "  def generate_session_token!\n"
    "    digest = User.generate_digest(SecureRandom.alphanumeric(40))\n"
    "    update! session_token: digest\n"
    "  rescue ActiveRecord::RecordInvalid\n"
    "    raise unless errors.attribute_names.include? :session_token\n"
    "\n"
    "    retry\n"
    "  end\n"
    "\n"
    "  def create_with_serial\n"
    "    certificates.create!(serial: SecureRandom.hex(4))\n"
    "  rescue ActiveRecord::RecordNotUnique\n"
    "    retry\n"
    "  end\n"
    "\n"
    "  def start_meeting\n"
    "    BigBlueButtonApi.new.start_meeting(id: SecureRandom.uuid)\n"
    "  rescue BigBlueButton::BigBlueButtonException\n"
    "    retry\n"
    "  end\n"
    "end\n")


def test_random_redraw_is_no_retry():
    found = [f for f in settled_values(REDRAWS, "app/models/room.rb") if f[1] == "retry"]
    # traps: a write the database rejects stays (an insert race), and so does a remote call's retry
    # that happens to send a random id
    assert found == [(23, "retry", None), (29, "retry", None)]


def test_elapsed_local_checked_in_a_poll_loop():
    source = ("def wait_for_publication(task)\n"
              "  timeout = Setting[:sync_total_timeout] || 3600\n"
              "  start_time = Time.now\n"
              "  until task.done?\n"
              "    elapsed = Time.now - start_time\n"
              "    fail \"timed out after #{elapsed.to_i} seconds\" if elapsed > timeout\n"
              "    sleep 1\n"
              "    task.poll\n"
              "  end\n"
              "end\n")
    assert (6, "timeout", 3600000) in settled_values(source)
    # trap: an elapsed time only logged, outside any loop, bounds nothing
    logged = ("def report(start)\n"
              "  elapsed = Time.now - start\n"
              "  logger.warn('slow') if elapsed > 5\n"
              "end\n")
    assert settled_values(logged) == []


SNEAKERS = (
    "Sneakers.configure(\n"
    "  connection: bunny,\n"
    "  timeout_job_after: 60,\n"
    "  retry_max_times: 5,\n"
    "  handler: Sneakers::Handlers::Maxretry\n"
    ")\n"
    "\n"
    "class EventsWorker\n"
    "  include Sneakers::Worker\n"
    "  from_queue \"events\", timeout_job_after: 90.seconds, ack: true\n"
    "end\n"
    "\n"
    "class Config\n"
    "  def configure(timeout_job_after: 5)\n"
    "    @t = timeout_job_after\n"
    "  end\n"
    "end\n")


def test_sneakers_job_timeouts():
    found = [f for f in settled_values(SNEAKERS, "config/initializers/sneakers.rb") if f[1] == "timeout"]
    # trap: a method of the project's own named like the option is no Sneakers setting
    assert found == [(3, "timeout", 60000), (10, "timeout", 90000)]


# --- round 18, second-wave fixes (feeder): a defaulted `tries:` chained through helpers -------------

TRIES_API = """module Apple
  class Api
    ERROR_RETRIES = 3

    def list_shows
      get("shows")
    end

    def local_api_retry_errors(tries: ERROR_RETRIES)
      count = 0
      last_resp = nil
      while count < tries
        count += 1
        last_resp = yield
        break if ok_code(last_resp)
      end
      last_resp
    end

    def get(api_frag, tries: ERROR_RETRIES)
      local_api_retry_errors(tries: tries) do
        get_uri(join_url(api_frag))
      end
    end

    def collect(max)
      # a loop that is not a retry: counts items, no success test of a call's answer
      i = 0
      while i < max
        i += 1
        line = read_line
        break if line.nil?
      end
    end
  end
end
"""

TRIES_SHOW = """module Apple
  class Show
    def self.get_show(api, show_id)
      resp = api.get("shows/#{show_id}")
      api.unwrap_response(resp)
    end

    def fetch_twice
      api.get("shows", tries: 2)
    end
  end
end
"""

OTHER_NAMESPACE = """module Megaphone
  class Podcast
    def list
      api.get("podcasts")
    end
  end
end
"""


def test_count_up_until_ok_loop_and_tries_chain(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "rails"\n')
    (tmp_path / "app/models/apple").mkdir(parents=True)
    (tmp_path / "app/models/megaphone").mkdir(parents=True)
    (tmp_path / "app/models/apple/api.rb").write_text(TRIES_API)
    (tmp_path / "app/models/apple/show.rb").write_text(TRIES_SHOW)
    (tmp_path / "app/models/megaphone/podcast.rb").write_text(OTHER_NAMESPACE)
    got = {(f.path.rsplit("/", 1)[1], f.line): f.attributes.get("max_attempts")
           for f in scan(tmp_path).findings if f.kind == "retry"}
    assert got == {
        ("api.rb", 12): 3,  # rule a at the loop: the constant default
        ("api.rb", 21): 3,  # rule a: get hands its defaulted tries on
        ("api.rb", 6): 3,  # rule b: a call of get leaving it out
        ("show.rb", 4): 3,  # rule b through a receiver named after the class (api -> Apple::Api)
        ("show.rb", 9): 2,  # rule c
    }  # traps: the counting loop (29), Megaphone's own `api.get` (another namespace's Api)


def test_count_up_until_ok_literal_limit():
    source = ("def send_it\n"
              "  attempts = 0\n"
              "  while attempts < 4\n"
              "    attempts += 1\n"
              "    response = client.post(payload)\n"
              "    return response if response.success?\n"
              "  end\n"
              "end\n")
    assert settled_values(source) == [(3, "retry", 4)]
    trap = source.replace("response.success?", "response.nil?")
    assert settled_values(trap) == []


# --- bounded polls of a remote state (feeder, portus) ----------------------------------------------

POLLS = """module Waiting
  API_WAIT_TIMEOUT = 5.minutes
  WAIT_TIMEOUT = 90

  def self.wait_for(records, wait_timeout: API_WAIT_TIMEOUT)
    waited = 0
    loop do
      break [false, []] if work_done?(records, waited, wait_timeout)
      break [true, records] if wait_timed_out?(waited, wait_timeout)
      sleep(2)
      records = yield(records)
    end
  end

  def self.wait_until(status)
    count = 0
    while ping != status
      raise TimeoutReachedError, "timeout" if count >= WAIT_TIMEOUT
      sleep 5
      count += 5
    end
  end

  def self.check_status!
    timeout_at = Time.now.utc + 300
    while pending? && Time.now.utc < timeout_at
      sleep(5)
    end
  end

  def self.drain(items, timeout)
    i = 0
    loop do
      break if i >= timeout  # trap: no pause, a plain counting loop
      i += 1
    end
  end
end
"""


def test_counted_waits_and_utc_clock():
    found = settled_values(POLLS, "app/models/waiting.rb")
    assert (9, "timeout", 300000) in found  # rule a: the give-up check handing its defaulted bound on
    assert (18, "timeout", 90000) in found  # a seconds counter against a constant
    assert (26, "timeout", 300000) in found  # `Time.now.utc` is the clock
    assert not [f for f in found if f[0] in (8, 35)]  # traps: `work_done?` is no give-up; no pause


# --- an options hash's fallback (feeder's HttpUtil) -------------------------------------------------

HTTP_UTIL = """module HttpUtil
  TIMEOUT = 5.seconds

  def self.http_head(uri_str, **opts)
    uri = URI.parse(uri_str)
    timeout = opts[:timeout] || TIMEOUT
    http = Net::HTTP.new(uri.host, uri.port)
    http.read_timeout = timeout
    http.request(Net::HTTP::Head.new(uri))
  end

  def http_head(uri_str, **opts)
    HttpUtil.http_head(uri_str, **opts)
  end
end
"""
HEAD_CALLERS = """class HeadValidator
  include HttpUtil

  def check(url)
    http_head(url)
  end

  def quick(url)
    HttpUtil.http_head(url, timeout: 0.1)
  end
end
"""


def test_options_fallback_rule_a_b_c(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "rails"\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "lib/http_util.rb").write_text(HTTP_UTIL)
    (tmp_path / "app/head_validator.rb").write_text(HEAD_CALLERS)
    got = {(f.path, f.line): f.attributes.get("timeout_ms") for f in scan(tmp_path).findings if f.kind == "timeout"}
    assert got == {("lib/http_util.rb", 8): 5000, ("app/head_validator.rb", 5): 5000,
                   ("app/head_validator.rb", 9): 100}


# --- a helper's `timeout = nil` falling back to APP_CONFIG values (portus) --------------------------

PORTUS_HELPERS = """module Portus
  module HttpHelpers
    def perform_request(path)
      uri, req = get_request(path)
      get_response_token(uri, req)
    end

    def get_response_token(uri, req, timeout = nil)
      open, read = if timeout
                     [timeout, timeout]
                   else
                     [APP_CONFIG["registry"]["timeout"]["value"],
                      APP_CONFIG["registry"]["read_timeout"]["value"]]
                   end

      options = {
        use_ssl:      uri.scheme == "https",
        open_timeout: open.to_i,
        read_timeout: read.to_i
      }
      Net::HTTP.start(uri.hostname, uri.port, options) do |http|
        http.request(req)
      end
    end

    def ldap_options
      cfg = APP_CONFIG["ldap"]
      Net::LDAP.new(host: cfg["hostname"], connection_timeout: cfg["timeout"])
    end
  end
end
"""
PORTUS_CONFIG = """registry:
  timeout:
    value: 2
  read_timeout:
    value: 120
ldap:
  hostname: ""
  timeout: 5
"""


def test_app_config_hash_and_destructured_fallback(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "rails"\n')
    (tmp_path / "lib/portus").mkdir(parents=True)
    (tmp_path / "config").mkdir()
    (tmp_path / "lib/portus/http_helpers.rb").write_text(PORTUS_HELPERS)
    (tmp_path / "config/config.yml").write_text(PORTUS_CONFIG)
    got = {(f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
           for f in scan(tmp_path).findings if f.kind == "timeout"}
    assert got == {(18, "connect", 2000), (19, "read", 120000),  # rule a: the config fallbacks
                   (5, "connect", 2000), (5, "read", 120000),  # rule b: a call leaving it out, both phases
                   (28, "connect", 5000)}  # `cfg = APP_CONFIG["ldap"]` ... `cfg["timeout"]`


# --- in-process queue waits and headless browsers; Karafka's check after the try; performs(retries:) --

def test_queue_pop_and_headless_browser_are_local():
    source = ("class Batcher\n"
              "  def run\n"
              "    if (item = @input_queue.pop(timeout: @flush_interval))\n"
              "      send(item)\n"
              "    end\n"
              "    r = finish_queue.pop(timeout: 0)\n"
              "    Redis.new.blpop(\"jobs\", timeout: 5)\n"
              "  end\n"
              "\n"
              "  def browser_options\n"
              "    { headless: true, window_size: [1, 2], timeout: 30 }\n"
              "  end\n"
              "\n"
              "  def browser\n"
              "    Ferrum::Browser.new(headless: true, timeout: 30)\n"
              "  end\n"
              "\n"
              "  def client\n"
              "    Faraday.new(url: URL, request: { timeout: 7 })\n"
              "  end\n"
              "end\n")
    # round 22: a Redis blocking pop's timeout is a queue's long poll too (the conventions leave queue
    # long-polling out; go-sources-api-go and ruby-apisonator label none), not a bound on a failed call
    assert settled_values(source, "lib/batcher.rb") == [(19, "timeout", 7000)]


KARAFKA = """class CreatedConsumer < ApplicationConsumer
  def consume
    messages.each do |message|
      begin
        handle(message)
      rescue StandardError => error
        if attempt > 3
          logger.error(error)
          next
        else
          raise
        end
      end
    end
  end
end

class SkippingConsumer < ApplicationConsumer
  def consume
    return if attempt > 3
    handle(messages)
  end
end
"""


def test_karafka_attempt_checked_in_the_rescue_counts_the_failed_try():
    found = settled_values(KARAFKA, "app/consumers/created_consumer.rb")
    assert (7, "retry", 4) in found
    assert (20, "retry", 3) in found  # checked before the work: 3


def test_performs_retries_reads_the_apps_own_retries_method(tmp_path):
    (tmp_path / "Gemfile").write_text('source "https://rubygems.org"\ngem "rails"\n')
    (tmp_path / "app/jobs").mkdir(parents=True)
    (tmp_path / "app/models").mkdir(parents=True)
    (tmp_path / "app/jobs/application_job.rb").write_text(
        "class ApplicationJob < ActiveJob::Base\n"
        "  def self.retries(attempts, wait: :polynomially_longer)\n"
        "    retry_on StandardError, attempts:, wait:\n"
        "  end\n"
        "end\n")
    (tmp_path / "app/models/profiles.rb").write_text(
        "class Profiles < ActiveRecord::AssociatedObject\n"
        "  performs(retries: 3) { limits_concurrency key: -> { it.id } }\n"
        "end\n")
    got = {(f.path, f.line): f.attributes.get("max_attempts") for f in scan(tmp_path).findings if f.kind == "retry"}
    assert got == {("app/models/profiles.rb", 2): 3}


# --- a batch sender giving up after consecutive failures (ubicloud) --------------------------------

BATCHER = """class OtelBatcher
  def flush(batch)
    begin
      response = connection.post(path: "/v1/logs", body: JSON.generate(batch))
      if response.status == 200
        batch.clear
        @batch_send_failure_count = 0
      else
        @batch_send_failure_count += 1
      end
    rescue => e
      @batch_send_failure_count += 1
    end

    if @batch_send_failure_count >= 5
      exit(1)
    end
  end

  def tally(item)
    @error_count += 1 if item.bad?
    raise "too many" if @error_count >= 10  # trap: never reset, a tally of bad items
  end
end
"""


def test_consecutive_failure_budget():
    assert settled_values(BATCHER, "lib/otel_batcher.rb") == [(15, "retry", 5)]


def test_counted_wait_on_own_records_is_not_a_remote_bound():
    source = ("CHECK_COMPLETE_TIMEOUT = 90\n"
              "def wait_for_audit(submission)\n"
              "  total_wait_time = 0\n"
              "  loop do\n"
              "    sleep 1\n"
              "    total_wait_time += 1\n"
              "    last = LockEvent.where(key: submission.id).last\n"
              "    break last if last.done?\n"
              "    raise WaitTimeout if total_wait_time > CHECK_COMPLETE_TIMEOUT\n"
              "  end\n"
              "end\n")
    assert settled_values(source, "lib/submissions/wait.rb") == []
