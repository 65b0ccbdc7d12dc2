"""Round-19 second-wave fixes (Ruby; held-out sets hackatime, placecal, bops, e-petitions, bosh,
tutor-server, caseflow-efolder): an http.rb ``.timeout(CONST)`` whose constant holds a frozen phase
hash; a retry helper whose bound is a keyword defaulting to a constant (rule a at its check, rule b at
calls whose retry_on:/retry_if: keywords are no count); a job helper re-enqueueing the job with its
arguments, called from error handling; a `unless x.finalized?` re-enqueue (a status poll); a retry bounded
by a flag set after the give-up; class_attribute / attributes-API defaults read at request.options; an
options fallback in a constructor (`@timeout = options[:timeout] || 45`); storage.yml instance-profile
options; a Geocoder timeout whose only lookup is a local IP database."""

from __future__ import annotations

from tests.extractors.ruby.support import settle, settled_values


def with_helpers(source: str, path: str) -> list[tuple]:
    """(line, kind, value) as a scan of the one file settles them, the helpers of that file
    included (a call's proposal is kept when its ``$keep_if`` holds with the file's own symbols)."""
    from extractors.ruby.extractor import EXTRACTOR

    result = EXTRACTOR.extract(path, source.encode())
    out = []
    for f in result.findings:
        if f.kind not in ("timeout", "retry"):
            continue
        attrs = settle(f, [result])
        if any(p.attribute == "$keep_if" for p in f.pending) and attrs.get("resolved_$keep_if") in (None, 0, False, ""):
            continue
        out.append((f.line, f.kind, attrs.get("timeout_ms") if f.kind == "timeout" else attrs.get("max_attempts")))
    return out

HTTP_RB_CONST = (
    "class DumpClient\n"
    "  TIMEOUTS = { connect: 5, read: 60 }.freeze\n"
    "  AVATAR = 3\n"
    "\n"
    "  def download(url)\n"
    "    HTTP.follow.timeout(TIMEOUTS).headers(h).get(url)\n"
    "  end\n"
    "\n"
    "  def request_json(path)\n"
    "    request = HTTP.timeout(TIMEOUTS).headers(headers)\n"
    "    request.public_send(:get, path)\n"
    "  end\n"
    "\n"
    "  def avatar(url)\n"
    "    HTTP.timeout(AVATAR).get(url)\n"
    "  end\n"
    "end\n"
)


def test_http_rb_timeout_with_a_constant_phase_hash():
    found = [f for f in settled_values(HTTP_RB_CONST, "app/services/dump_client.rb") if f[1] == "timeout"]
    assert (6, "timeout", 5000) in found and (6, "timeout", 60000) in found
    assert (10, "timeout", 5000) in found and (10, "timeout", 60000) in found
    assert (15, "timeout", 3000) in found
    assert all(v is not None for _, _, v in found)


NOT_HTTP_RB_CONST = (
    "class Worker\n"
    "  LIMITS = { connect: 5, read: 60 }.freeze\n"
    "  def run\n"
    "    Timeout.timeout(LIMITS) { work }\n"  # not a client
    "    cache.timeout(LIMITS)\n"  # not an HTTP client
    "    puts 'HTTP.timeout(LIMITS)'\n"  # in a string
    "  end\n"
    "end\n"
)


def test_constant_hash_not_on_an_http_client():
    assert [f for f in settled_values(NOT_HTTP_RB_CONST) if f[1] == "timeout" and f[0] in (5, 6)] == []


RETRY_HELPER = (
    "class Base\n"
    "  HTTP_MAX_RETRIES = 3\n"
    "\n"
    "  def self.with_http_retries(context, retry_on: [], retry_if: nil, max_retries: HTTP_MAX_RETRIES)\n"
    "    attempt = 0\n"
    "    loop do\n"
    "      result =\n"
    "        begin\n"
    "          yield\n"
    "        rescue *retry_on => e\n"
    "          attempt += 1\n"
    "          raise if attempt > max_retries\n"
    "          sleep(2 * attempt)\n"
    "          next\n"
    "        end\n"
    "      return result unless retry_if && attempt < max_retries && retry_if.call(result)\n"
    "      attempt += 1\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def self.read_source(url)\n"
    "    with_http_retries(\n"
    "      \"Fetching #{url}\",\n"
    "      retry_if: ->(r) { [429, 503].include?(r.code) }\n"
    "    ) do\n"
    "      HTTParty.get(url)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def self.events(url)\n"
    "    with_http_retries('events', retry_on: [RestClient::TooManyRequests]) { RestClient.get(url) }\n"
    "  end\n"
    "\n"
    "  def self.once(url)\n"
    "    with_http_retries('once', retry_on: [Timeout::Error], max_retries: 0) { RestClient.get(url) }\n"
    "  end\n"
    "end\n"
)


def test_retry_helper_with_a_constant_default_and_its_calls():
    found = [f for f in with_helpers(RETRY_HELPER, "app/jobs/parsers/base.rb") if f[1] == "retry"]
    assert (12, "retry", 4) in found  # rule (a): the helper's own check, HTTP_MAX_RETRIES + 1
    assert (22, "retry", 4) in found  # rule (b): retry_if: (a lambda) is no count
    assert (31, "retry", 4) in found  # rule (b): retry_on: (a list of errors) is no count
    assert (35, "retry", 1) in found  # rule (c): max_retries: 0 given
    assert not [x for x in found if x[0] == 35 and x[2] == 4]


NOT_A_RETRY_HELPER = (
    "class Feed\n"
    "  LIMIT = 3\n"
    "  def self.each_page(url, retry_on: [], max_pages: LIMIT)\n"
    "    page = 0\n"
    "    loop do\n"
    "      page += 1\n"
    "      break if page > max_pages\n"  # pagination: no retry
    "      fetch(url, page)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def self.all(url)\n"
    "    each_page(url, retry_on: [Timeout::Error]) { |p| p }\n"
    "  end\n"
    "end\n"
)


def test_pagination_helper_with_a_constant_default_is_no_retry():
    assert [f for f in with_helpers(NOT_A_RETRY_HELPER, "app/models/feed.rb") if f[1] == "retry"] == []


REQUEUE_HELPER = (
    "class NotifyEmailJob < ApplicationJob\n"
    "  rescue_from(*DELAY_FOR_24_HOURS) do |exception|\n"
    "    reschedule_job 24.hours.from_now\n"
    "  end\n"
    "\n"
    "  rescue_from(Notifications::Client::RateLimitError) do |exception|\n"
    "    if exception.message.include?('TooManyRequests')\n"
    "      reschedule_job Date.tomorrow.beginning_of_day\n"
    "    else\n"
    "      reschedule_job\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def perform(email)\n"
    "    deliver(email)\n"
    "  rescue Timeout::Error\n"
    "    reschedule_job(5.minutes.from_now)\n"
    "  end\n"
    "\n"
    "  def later\n"
    "    reschedule_job 1.hour.from_now\n"  # not from error handling: scheduling
    "  end\n"
    "\n"
    "  private\n"
    "\n"
    "  def reschedule_job(time = 1.hour.from_now)\n"
    "    self.class.set(wait_until: time).perform_later(*arguments)\n"
    "  end\n"
    "end\n"
)


def test_requeue_helper_called_from_error_handling():
    found = [f for f in settled_values(REQUEUE_HELPER, "app/jobs/notify_email_job.rb") if f[1] == "retry"]
    assert sorted(found) == [(3, "retry", None), (8, "retry", None), (10, "retry", None), (17, "retry", None)]


NOT_A_REQUEUE_HELPER = (
    "class BatchJob < ApplicationJob\n"
    "  rescue_from(Timeout::Error) do\n"
    "    enqueue_next\n"  # the next batch, not this run again
    "    notify_later\n"  # not a requeue helper of this class
    "  end\n"
    "\n"
    "  def enqueue_next\n"
    "    self.class.perform_later(batch + 1)\n"
    "  end\n"
    "end\n"
    "\n"
    "class StatusJob < ApplicationJob\n"
    "  rescue_from(Timeout::Error) do\n"
    "    retry_job wait: 5.minutes\n"  # a retry of the failure
    "  end\n"
    "\n"
    "  def perform(email)\n"
    "    email.update_status!\n"
    "    retry_job wait: 5.minutes unless email.finalized?\n"  # a poll of a remote status until final
    "  end\n"
    "end\n"
)


def test_next_batch_and_status_poll_are_no_retries():
    found = [f for f in settled_values(NOT_A_REQUEUE_HELPER, "app/jobs/status_job.rb") if f[1] == "retry"]
    assert found == [(14, "retry", None)]


OWN_ERROR_REQUEUE = (
    "class FeedbackEmailJob < EmailJob\n"
    "  class SendingDisabledError < RuntimeError; end\n"
    "\n"
    "  rescue_from SendingDisabledError do\n"
    "    reschedule_job\n"  # put off while a local switch is off: no failed call
    "  end\n"
    "\n"
    "  before_perform if: :disabled? do\n"
    "    raise SendingDisabledError, 'disabled'\n"
    "  end\n"
    "\n"
    "  def reschedule_job(time = 1.hour.from_now)\n"
    "    self.class.set(wait_until: time).perform_later(*arguments)\n"
    "  end\n"
    "end\n"
)


def test_requeue_on_the_jobs_own_error_is_no_retry():
    assert [f for f in settled_values(OWN_ERROR_REQUEUE, "app/jobs/feedback_email_job.rb") if f[1] == "retry"] == []


FLAG_RETRY = (
    "class AdminUser\n"
    "  def self.find_or_create(auth)\n"
    "    retried = false\n"
    "    begin\n"
    "      create!(auth)\n"
    "    rescue ActiveRecord::RecordNotUnique => e\n"
    "      return nil if retried\n"
    "      retried = true\n"
    "      retry\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def import(rows)\n"
    "    rows.each do |row|\n"
    "      retried = false\n"
    "      begin\n"
    "        save_row!(row)\n"
    "      rescue ActiveRecord::RecordNotUnique\n"
    "        next if retried\n"
    "        retried = true\n"
    "        retry\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_retry_bounded_by_a_flag_set_after_the_give_up():
    found = [f for f in settled_values(FLAG_RETRY, "app/models/admin_user.rb") if f[1] == "retry"]
    assert sorted(found) == [(9, "retry", 2), (21, "retry", 2)]


FLAG_NOT_SET = (
    "class Importer\n"
    "  def run\n"
    "    begin\n"
    "      call_api\n"
    "    rescue Timeout::Error\n"
    "      return nil if stopped\n"  # a flag the rescue never sets: no bound from it
    "      retry\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_give_up_flag_never_set_is_no_bound():
    found = [f for f in settled_values(FLAG_NOT_SET, "app/models/importer.rb") if f[1] == "retry"]
    assert (7, "retry", 2) not in found


CLASS_ATTRIBUTES = (
    "module Feed\n"
    "  class Base\n"
    "    with_options instance_writer: false do\n"
    "      class_attribute :open_timeout, :timeout\n"
    "    end\n"
    "    self.open_timeout = 5\n"
    "    self.timeout = 10\n"
    "\n"
    "    def fetch_entries\n"
    "      faraday.get(endpoint) do |request|\n"
    "        request.options[:timeout] = timeout\n"
    "        request.options[:open_timeout] = open_timeout\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
    "\n"
    "class BaseDownloader\n"
    "  include StoreModel::Model\n"
    "  attribute :open_timeout, :integer, default: 3\n"
    "  attribute :read_timeout, :integer, default: 7\n"
    "\n"
    "  def get(url)\n"
    "    connection.get(url) do |request|\n"
    "      request.options.open_timeout = open_timeout\n"
    "      request.options.read_timeout = read_timeout\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_class_attribute_and_attributes_api_defaults_at_the_request_options():
    found = settled_values(CLASS_ATTRIBUTES, "app/lib/feed.rb")
    assert (11, "timeout", 10000) in found and (12, "timeout", 5000) in found
    assert (25, "timeout", 3000) in found and (26, "timeout", 7000) in found


NOT_CLASS_ATTRIBUTES = (
    "class Client\n"
    "  attr_accessor :timeout\n"  # an instance accessor: the class body cannot set it
    "  LIMIT = 5\n"
    "\n"
    "  def fetch(timeout = nil)\n"
    "    faraday.get(url) { |r| r.options[:timeout] = timeout }\n"  # a parameter, not the attribute
    "  end\n"
    "\n"
    "  def other\n"
    "    timeout = 30\n"
    "    faraday.get(url) { |r| r.options[:open_timeout] = timeout }\n"  # a local
    "  end\n"
    "end\n"
)


def test_parameters_and_locals_are_not_class_attributes():
    found = settled_values(NOT_CLASS_ATTRIBUTES, "app/lib/client.rb")
    assert (6, "timeout", 5000) not in found
    assert (11, "timeout", 5000) not in found


def test_geocoder_timeout_with_only_a_local_ip_database_is_no_setting():
    local = (
        "Geocoder.configure(\n"
        "  timeout: 15,\n"
        "  ip_lookup: :geoip2,\n"
        "  geoip2: { file: Rails.root.join('db/GeoLite2-City.mmdb') }\n"
        ")\n"
    )
    assert [f for f in settled_values(local, "config/initializers/geocoder.rb") if f[1] == "timeout"] == []
    remote = (
        "Geocoder.configure(\n"
        "  timeout: 5,\n"
        "  lookup: :postcodes_io,\n"  # a street lookup over the network
        "  ip_lookup: :geoip2\n"
        ")\n"
        "Geocoder.configure(timeout: 3, ip_lookup: :maxmind_geoip2)\n"  # MaxMind's web service
    )
    found = [f for f in settled_values(remote, "config/initializers/geocoder.rb") if f[1] == "timeout"]
    assert (2, "timeout", 5000) in found and (6, "timeout", 3000) in found


def test_storage_yml_instance_profile_credentials():
    from extractors.ruby import rails_yaml

    source = (
        "amazon:\n"
        "  service: S3\n"
        "  retry_limit: 3\n"
        "  instance_profile_credentials_retries: 3\n"
        "  instance_profile_credentials_timeout: 2\n"
        "local:\n"
        "  service: Disk\n"
        "  instance_profile_credentials_retries: 3\n"  # not an S3 service
    )
    result = rails_yaml.extract("config/storage.yml", source.encode(), "ruby")
    found = sorted((f.line, f.kind, f.attributes.get("max_attempts", f.attributes.get("timeout_ms")))
                   for f in result.findings)
    assert found == [(3, "retry", 4), (4, "retry", 4), (5, "timeout", 2000)]


CONSTRUCTOR_FALLBACK = (
    "class AgentClient\n"
    "  def initialize(service_name, options = {})\n"
    "    @timeout = options[:timeout] || 45\n"
    "    @read_timeout = ENV['READ_TIMEOUT'] || 5\n"  # ENV: read by the env rules, not this one
    "  end\n"
    "\n"
    "  def reconfigure(options)\n"
    "    @timeout = options[:timeout] || 10\n"  # not the constructor
    "  end\n"
    "end\n"
)


def test_constructor_option_fallback_is_the_clients_default():
    found = [f for f in settled_values(CONSTRUCTOR_FALLBACK, "lib/agent_client.rb") if f[1] == "timeout"]
    assert (3, "timeout", 45000) in found
    assert not [f for f in found if f[0] in (4, 8)]


CONSTANT_ERROR_LIST = (
    "class Eventbrite < Base\n"
    "  TRANSIENT = [RestClient::BadGateway, Errno::ECONNRESET].freeze\n"
    "  TRIES = 5\n"
    "  def self.with_retries(name, retry_on: [], tries: HTTP_TRIES)\n"
    "    attempt = 0\n"
    "    begin\n"
    "      yield\n"
    "    rescue *retry_on\n"
    "      attempt += 1\n"
    "      retry if attempt < tries\n"
    "      raise\n"
    "    end\n"
    "  end\n"
    "  HTTP_TRIES = 3\n"
    "\n"
    "  def download\n"
    "    Eventbrite.with_retries('events', retry_on: TRANSIENT) { RestClient.get(url) }\n"
    "    Eventbrite.with_retries('pages', retry_on: TRANSIENT, tries: TRIES) { RestClient.get(url) }\n"
    "  end\n"
    "end\n"
)


def test_a_constant_list_of_errors_is_no_count():
    found = [f for f in with_helpers(CONSTANT_ERROR_LIST, "app/parsers/eventbrite.rb") if f[1] == "retry"]
    assert (10, "retry", 3) in found
    assert (17, "retry", 3) in found  # retry_on: TRANSIENT (a list constant): tries left out
    assert (18, "retry", 5) in found and (18, "retry", 3) not in found


LOCAL_BRANCH = (
    "if Rails.env.local?\n"
    "  Geocoder.configure(lookup: :normal_island, timeout: 5)\n"
    "else\n"
    "  Geocoder.configure(lookup: :postcodes_io, timeout: 7)\n"
    "end\n"
    "Faraday.new(url, request: { timeout: 9 }) if Rails.env.test?\n"
    "unless Rails.env.production?\n"
    "  Faraday.new(url, request: { timeout: 11 })\n"
    "end\n"
    "if Rails.env.production?\n"
    "  Faraday.new(url, request: { timeout: 13 })\n"
    "end\n"
)


def test_settings_in_local_environment_branches_are_left_out():
    found = [f for f in settled_values(LOCAL_BRANCH, "config/initializers/geocoder.rb") if f[1] == "timeout"]
    assert (4, "timeout", 7000) in found and (11, "timeout", 13000) in found
    assert not [f for f in found if f[0] in (2, 6, 8)]
