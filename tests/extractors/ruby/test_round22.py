"""Round-22 fixes (Ruby; held-out sets tramline, bosh-openstack-cpi, bosh-aws-cpi, caseflow): a recursive
retry helper counting ``attempt:`` up from 0 and giving up with ``raise ex if attempt >= MAX`` (the
counter stepped into a local first); a ``retry`` guarded by a project helper that raises
(``raise_openstack_error(e) unless retries < MAX_RETRIES``) after an earlier guard that counts nothing;
a bosh-common ``retryable`` policy kept in a hash and handed to several calls; an options hash's
``fetch(:tries, DEFAULT)``; a constant read through the shorter name a sibling class of the namespace
writes (``ResourceWait::DEFAULT_WAIT_ATTEMPTS``); a field set in ``initialize`` from an options lookup
with a fallback (``@state_timeout = options['state_timeout'] || DEFAULT``), read in the class and
through another object's reader; a job re-enqueued through a local ``attempt = count + 1``; a keep-alive
job that schedules its next run whatever happens (no retry); ``retry_on`` over a constant's list of
errors; ``30_000`` in database.yml; ruby-oci8's properties; aws-sdk client options built into a hash
a method returns."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import settle, settled_values


def _scan(files: list[tuple[str, str]]) -> list[tuple]:
    results: list[FileResult] = [EXTRACTOR.extract(path, source.encode()) for path, source in files]
    out = []
    for (path, _), result in zip(files, results):
        for f in result.findings:
            if f.kind not in ("timeout", "retry") or f.detector == "ruby.wrapper_call":
                continue
            attrs = settle(f, results)
            out.append((path, f.line, f.kind, attrs.get("timeout_ms") if f.kind == "timeout" else attrs.get("max_attempts")))
    return sorted(out, key=repr)


RECURSIVE = """class GitlabIntegration
  MAX_RETRY_ATTEMPTS = 20

  def list_projects
    with_api_retries { installation.list_projects }
  end

  private

  def with_api_retries(attempt: 0, &)
    yield
  rescue Installations::Error => ex
    raise ex if attempt >= MAX_RETRY_ATTEMPTS
    next_attempt = attempt + 1

    if ex.reason == :token_expired
      reset_tokens!
      return with_api_retries(attempt: next_attempt, &)
    end

    if RETRYABLE_ERRORS.include?(ex.reason)
      return with_api_retries(attempt: next_attempt, &)
    end

    raise ex
  end
end
"""


def test_recursive_retry_counting_attempt_up_to_a_give_up_guard():
    found = [v for v in settled_values(RECURSIVE, "app/models/gitlab_integration.rb") if v[1] == "retry"]
    assert (18, "retry", 21) in found and (22, "retry", 21) in found


def test_recursive_retry_inside_a_block_rescue_and_a_greater_than_guard():
    source = (
        "class Play\n"
        "  def execute_with_retry(attempt: 1, skip_review: false, &block)\n"
        "    GitHub::Result.new do\n"
        "      yield(skip_review)\n"
        "    rescue PlayError => ex\n"
        "      raise ex if attempt > 3\n"
        "      next_attempt = attempt + 1\n"
        "      return execute_with_retry(attempt: next_attempt, skip_review: true, &block)\n"
        "    end\n"
        "  end\n"
        "end\n")
    # attempt 1..4 re-sent, the 4th failure (attempt 4 > 3) raises: 4 tries
    assert (8, "retry", 4) in settled_values(source)


def test_walk_with_a_depth_counter_is_no_retry():
    source = (
        "def walk(node, depth: 0)\n"
        "  raise TooDeep if depth >= 10\n"
        "  next_depth = depth + 1\n"
        "  node.children.each { |c| walk(c, depth: next_depth) }\n"
        "end\n")
    assert not [v for v in settled_values(source) if v[1] == "retry"]


def test_local_attempt_without_guard_stays_open():
    source = (
        "def fetch(attempt: 0)\n"
        "  get(url)\n"
        "rescue Timeout::Error\n"
        "  next_attempt = attempt + 1\n"
        "  fetch(attempt: next_attempt)\n"
        "end\n")
    # no comparison of the counter anywhere: a retry without a bound the code states
    assert [v for v in settled_values(source) if v[1] == "retry"] in ([(5, "retry", None)], [])


RAISING_HELPER = """class Openstack
  MAX_RETRIES = 10

  def with_openstack(retryable: false)
    retries = 0
    begin
      yield
    rescue Excon::Error::RequestEntityTooLarge => e
      overlimit = parse(e.response)
      raise_openstack_error(e) unless overlimit
      raise_openstack_error(e) unless retries < MAX_RETRIES
      sleep(3)
      retries += 1
      retry
    rescue Excon::Error::Socket => e
      cloud_error(e) unless retries < MAX_RETRIES && (dns_problem?(e) || retryable)
      retries += 1
      retry
    end
  end

  def cloud_error(message)
    logger.error(message)
    raise Bosh::Clouds::CloudError, message
  end
end
"""


def test_retry_bounded_by_a_project_helper_that_raises():
    found = settled_values(RAISING_HELPER, "lib/cloud/openstack/openstack.rb")
    assert (14, "retry", 11) in found and (18, "retry", 11) in found


def test_retry_after_a_helper_that_only_logs_is_unbounded():
    source = (
        "def call\n"
        "  retries = 0\n"
        "  begin\n"
        "    get\n"
        "  rescue Net::ReadTimeout => e\n"
        "    log_warning(e) unless retries < 3\n"
        "    retries += 1\n"
        "    retry\n"
        "  end\n"
        "end\n"
        "def log_warning(e)\n"
        "  logger.warn(e)\n"
        "end\n")
    assert (8, "retry", None) in settled_values(source)


POLICY = """module Bosh::OpenStackCloud
  class Openstack
    def initialize(options, retry_options_overwrites = {})
      @retry_options = {
        sleep: 1,
        tries: 5,
        on: [Excon::Error::GatewayTimeout, Excon::Error::Socket],
      }.merge(retry_options_overwrites)
    end

    def compute
      Bosh::Common.retryable(@retry_options) do |tries, error|
        @compute = Fog::OpenStack::Compute.new(params)
      end
    end

    def network
      Bosh::Common.retryable(@retry_options) do |tries, error|
        @network = Fog::OpenStack::Network.new(params)
      end
    end
  end
end
"""


def test_retryable_policy_hash_reported_once_at_its_definition():
    assert [v for v in settled_values(POLICY, "lib/cloud/openstack/openstack.rb") if v[1] == "retry"] == [(6, "retry", 5)]


def test_a_project_method_named_retryable_with_a_positional_is_not_the_gem():
    source = (
        "class Job\n"
        "  OPTIONS = { tries: 5, on: [X] }\n"
        "  def run\n"
        "    retryable(job) do\n"
        "      work\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert not [v for v in settled_values(source) if v[1] == "retry"]


RESOURCE_WAIT = """module Bosh::AwsCloud
  class ResourceWait
    DEFAULT_TRIES = 54
    MAX_SLEEP_TIME = 15
    DEFAULT_WAIT_ATTEMPTS = 600 / MAX_SLEEP_TIME

    def for_resource(args, &blk)
      tries = args.fetch(:tries, DEFAULT_TRIES).to_i
      Bosh::Retryable.new(tries: tries, sleep: sleep_cb, on: errors).retryer do
        resource.reload
      end
    end
  end
end
"""
VOLUMES = """module Bosh::AwsCloud
  class VolumeManager
    def delete_ebs_volume(volume)
      tries = ResourceWait::DEFAULT_WAIT_ATTEMPTS
      Bosh::Common.retryable(tries: tries, sleep: sleep_cb, on: Aws::EC2::Errors::VolumeInUse) do
        volume.delete
        true
      end
    end
  end
end
"""


def test_options_fetch_default_and_a_sibling_class_constant():
    found = _scan([("lib/cloud/aws/resource_wait.rb", RESOURCE_WAIT), ("lib/cloud/aws/volume_manager.rb", VOLUMES)])
    assert ("lib/cloud/aws/resource_wait.rb", 9, "retry", 54) in found
    assert ("lib/cloud/aws/volume_manager.rb", 5, "retry", 40) in found


def test_fetch_of_a_key_that_is_no_timeout_gives_nothing():
    source = (
        "def run(args)\n"
        "  tries = args.fetch(:name, 3)\n"
        "  Retryable.retryable(tries: tries, on: [X]) { work }\n"
        "end\n")
    assert not [v for v in settled_values(source) if v[1] == "retry" and v[2] == 3]


OPENSTACK = """module Bosh::OpenStackCloud
  class Openstack
    DEFAULT_STATE_TIMEOUT = 300
    attr_reader :state_timeout

    def initialize(options)
      @state_timeout = options['state_timeout'] || DEFAULT_STATE_TIMEOUT
    end

    def wait_resource(resource, target_state)
      started_at = Time.now
      loop do
        duration = Time.now - started_at
        cloud_error("Timed out") if duration > @state_timeout
        break if resource.reload.status == target_state
        sleep(5)
      end
    end
  end
end
"""
LOADBALANCER = """module Bosh::OpenStackCloud
  class LoadbalancerConfigurator
    def retry_on_conflict(pool_id)
      start_time = Time.now
      loop do
        action_result = yield
        break
      rescue Excon::Error::Conflict => e
        if Time.now - start_time >= @openstack.state_timeout
          @openstack.cloud_error("Failed")
        end
      end
    end
  end
end
"""


def test_field_set_from_options_with_a_fallback_in_initialize():
    found = _scan([("lib/cloud/openstack/openstack.rb", OPENSTACK),
                   ("lib/cloud/openstack/loadbalancer_configurator.rb", LOADBALANCER)])
    assert ("lib/cloud/openstack/openstack.rb", 14, "timeout", 300000) in found
    assert ("lib/cloud/openstack/loadbalancer_configurator.rb", 9, "timeout", 300000) in found


def test_field_written_outside_initialize_has_no_default():
    source = OPENSTACK.replace("    def initialize(options)\n      @state_timeout",
                               "    def configure(options)\n      @state_timeout")
    found = _scan([("lib/cloud/openstack/openstack.rb", source)])
    assert ("lib/cloud/openstack/openstack.rb", 14, "timeout", 300000) not in found


BACKMERGE = """class Commit::ContinuousBackmergeJob < ApplicationJob
  MAX_RETRIES = 32

  def perform(commit_id, is_head_commit = false, count = 0)
    result = Triggers::PatchPullRequest.call(release, commit)
    return if result.ok?
    return handle_retry(count, is_head_commit) if retryable?(result)
  end

  private

  def handle_retry(count, is_head_commit)
    if count < MAX_RETRIES
      attempt = count + 1
      Commit::ContinuousBackmergeJob
        .set(wait: backoff_in(attempt:, period: :minutes))
        .perform_async(commit.id, is_head_commit, attempt)
    end
  end
end
"""


def test_job_re_enqueued_with_its_counter_raised_into_a_local():
    assert [v for v in settled_values(BACKMERGE, "app/jobs/commit/continuous_backmerge_job.rb")
            if v[1] == "retry"] == [(13, "retry", 33)]


def test_job_enqueuing_the_next_page_through_a_local_is_no_retry():
    source = BACKMERGE.replace("def handle_retry(count", "def handle_retry(page").replace(
        "if count < MAX_RETRIES", "if page < MAX_RETRIES").replace("attempt = count + 1", "attempt = page + 1")
    assert not [v for v in settled_values(source, "app/jobs/commit/continuous_backmerge_job.rb")
                if v[1] == "retry" and v[0] == 13]


KEEPALIVE = """module KeepAliveIntegrations
  class GitlabJob < ApplicationJob
    def perform(gitlab_integration_id)
      gitlab_integration = GitlabIntegration.find_by(id: gitlab_integration_id)
      gitlab_integration.user_info
      re_enqueue(gitlab_integration_id, 6.hours)
    rescue Installations::Error => e
      re_enqueue(gitlab_integration_id, 1.hour)
    end

    def re_enqueue(id, wait)
      self.class.perform_in(wait, id)
    end
  end
end
"""


def test_keep_alive_job_rescheduling_itself_whatever_happens_is_no_retry():
    assert not [v for v in settled_values(KEEPALIVE, "app/jobs/keep_alive_integrations/gitlab_job.rb") if v[1] == "retry"]


def test_requeue_only_from_the_rescue_stays_a_retry():
    source = KEEPALIVE.replace("      re_enqueue(gitlab_integration_id, 6.hours)\n", "")
    assert (7, "retry", None) in settled_values(source, "app/jobs/keep_alive_integrations/gitlab_job.rb")


def test_retry_on_over_a_constant_list_of_errors():
    source = (
        "class SendNotificationJob < CaseflowJob\n"
        "  RETRY_ERRORS = [Caseflow::Error::VANotifyNotFoundError, HTTPClient::ReceiveTimeoutError].freeze\n"
        "\n"
        "  RETRY_ERRORS.each do |err|\n"
        "    retry_on(err, attempts: 5, wait: :exponentially_longer) do |job, exception|\n"
        "      Rails.logger.error(exception)\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def perform(message)\n"
        "    [1, 2].each do |n|\n"
        "      retry_on(n)\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert [v for v in settled_values(source, "app/jobs/send_notification_job.rb") if v[1] == "retry"] == [(5, "retry", 5)]


def test_database_yml_number_with_underscores():
    source = (b"default: &default\n"
              b"  adapter: postgresql\n"
              b"  variables:\n"
              b"    statement_timeout: 30_000 # 30 seconds\n"
              b"\n"
              b"production:\n"
              b"  primary:\n"
              b"    <<: *default\n")
    result = EXTRACTOR.extract("config/database.yml", source)
    assert [(f.line, f.attributes.get("timeout_ms")) for f in result.findings if f.kind == "timeout"] == [(4, 30000)]


def test_oci8_properties():
    source = (
        "if defined? OCI8\n"
        "  OCI8.properties[:tcp_connect_timeout] = 10\n"
        "  OCI8.properties[:recv_timeout] = 20\n"
        "end\n")
    assert settled_values(source, "config/initializers/oci8.rb") == [(2, "timeout", 10000), (3, "timeout", 20000)]


AWS_PROVIDER = """module Bosh::AwsCloud
  class AwsProvider
    def initialize(aws_config, logger)
      @aws_config = aws_config
      @ec2_params = initialize_params(@aws_config.ec2_endpoint)
      @ec2_client = Aws::EC2::Client.new(@ec2_params)
    end

    private

    def initialize_params(endpoint)
      params = {
        credentials: @aws_config.credentials,
        retry_limit: 4,
        logger: @logger,
      }
      params[:endpoint] = endpoint if endpoint
      params
    end
  end
end
"""


def test_aws_client_options_in_a_hash_a_method_returns():
    assert (14, "retry", 5) in settled_values(AWS_PROVIDER, "lib/cloud/aws/aws_provider.rb")


def test_aws_client_options_from_a_config_object_are_a_retry_of_open_count():
    source = AWS_PROVIDER.replace("retry_limit: 4", "retry_limit: @aws_config.max_retries")
    assert (14, "retry", None) in settled_values(source, "lib/cloud/aws/aws_provider.rb")


def test_a_returned_hash_whose_method_nobody_calls_configures_nothing():
    source = AWS_PROVIDER.replace("@ec2_params = initialize_params(@aws_config.ec2_endpoint)", "@ec2_params = {}")
    assert not [v for v in settled_values(source, "lib/cloud/aws/aws_provider.rb") if v[1] == "retry"]


def test_redis_blocking_pop_timeout_is_a_queue_long_poll():
    source = (
        "class JobFetcher\n"
        "  REDIS_TIMEOUT = 60\n"
        "  def initialize(redis_client: redis, fetch_timeout: REDIS_TIMEOUT)\n"
        "    @redis = redis_client\n"
        "    @fetch_timeout = fetch_timeout\n"
        "  end\n"
        "  def try_pop\n"
        "    queue, encoded = @redis.blpop(*@queues, timeout: @fetch_timeout)\n"
        "  end\n"
        "  def read\n"
        "    @redis.get(key, timeout: 2)\n"
        "  end\n"
        "end\n")
    found = [v for v in settled_values(source, "lib/job_fetcher.rb") if v[1] == "timeout"]
    assert (8, "timeout", 60000) not in found


MIDDLEWARE = """class SidekiqExceptionHandlingMiddleware
  include Sidekiq::ServerMiddleware

  def call(worker, job, queue)
    yield
  rescue Slack::Web::Api::Errors::TooManyRequestsError => e
    worker.class.perform_in(e.retry_after.seconds, *job["args"])
  end
end
"""
SYNC_JOB = """class SyncSlackChannelsV2Job < BaseJob
  def perform(integration_id, next_cursor = nil)
    result = client.conversations_list(cursor: next_cursor)
    SyncSlackChannelsV2Job.perform_async(integration_id, result.next_cursor)
  rescue Slack::Web::Api::Errors::TooManyRequestsError => e
    SyncSlackChannelsV2Job.perform_in(e.retry_after || 30, integration_id, next_cursor)
  end
end
"""


def test_job_sent_again_with_the_same_work_after_a_named_error():
    assert (7, "retry", None) in settled_values(MIDDLEWARE, "lib/sidekiq_exception_handling_middleware.rb")
    assert [v for v in settled_values(SYNC_JOB, "app/jobs/sync_slack_channels_v2_job.rb") if v[1] == "retry"] \
        == [(6, "retry", None)]


def test_job_handing_other_work_on_after_an_error_is_no_retry():
    other = SYNC_JOB.replace("perform_in(e.retry_after || 30, integration_id, next_cursor)",
                             "perform_in(30, integration_id, result.next_cursor)")
    bare = SYNC_JOB.replace("rescue Slack::Web::Api::Errors::TooManyRequestsError => e", "rescue => e")
    for source in (other, bare):
        assert not [v for v in settled_values(source, "app/jobs/sync_slack_channels_v2_job.rb") if v[1] == "retry"]


def test_project_retry_declaration_in_a_job_class():
    source = (
        "class StoreSubmissions::TestFlight::FindBuildJob < ApplicationJob\n"
        "  prepend Reenqueuer\n"
        "  queue_as :high\n"
        "\n"
        "  enduring_retry_on Installations::Error,\n"
        "    reason: :build_not_found,\n"
        "    max_attempts: 800,\n"
        "    backoff: {period: :minutes, type: :static, factor: 1}\n"
        "\n"
        "  def perform(id)\n"
        "    find_build(id)\n"
        "  end\n"
        "end\n")
    assert [v for v in settled_values(source, "app/jobs/find_build_job.rb") if v[1] == "retry"] == [(5, "retry", 800)]


def test_retry_named_macro_outside_a_job_or_without_errors_is_nothing():
    model = ("class Submission < ApplicationRecord\n"
             "  enduring_retry_on Installations::Error, max_attempts: 800\n"
             "end\n")
    no_error = ("class FindBuildJob < ApplicationJob\n"
                "  configure_retry max_attempts: 3\n"
                "  def perform(id); end\n"
                "end\n")
    for source in (model, no_error):
        assert not [v for v in settled_values(source, "app/jobs/x.rb") if v[1] == "retry"]


def test_timeout_around_a_local_cli_or_a_diff_is_local_work():
    kubectl = (
        "class CheckServiceHealthJob < ApplicationJob\n"
        "  TIMEOUT = 10.seconds\n"
        "  def perform(service)\n"
        "    Timeout.timeout(TIMEOUT) do\n"
        "      kubectl = K8::Kubectl.new(connection)\n"
        "      result = kubectl.call(%w[get deployment] + [service.name])\n"
        "    end\n"
        "  end\n"
        "end\n")
    diff = (
        "def to_text\n"
        "  Timeout::timeout(PactBroker.configuration.pact_content_diff_timeout) do\n"
        "    output = PactBroker::Pacts::Diff.new.process pact_params, comparison_pact_params, raw: false\n"
        "    response.body = output\n"
        "  end\n"
        "end\n")
    remote = (
        "def score\n"
        "  Timeout.timeout(2) do\n"
        "    client.get('/score')\n"
        "  end\n"
        "end\n")
    assert not settled_values(kubectl, "app/jobs/check_service_health_job.rb")
    assert not settled_values(diff, "lib/pact_content_diff.rb")
    assert settled_values(remote) == [(2, "timeout", 2000)]


def test_retry_of_a_failed_local_command_is_no_call_retried():
    source = (
        "def uninstall_with_retries(project)\n"
        "  attempts = 0\n"
        "  begin\n"
        "    attempts += 1\n"
        "    UninstallService.new(project).call\n"
        "  rescue Cli::CommandFailedError => e\n"
        "    if attempts < 3\n"
        "      sleep(attempts * 5)\n"
        "      retry\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert not settled_values(source, "app/jobs/projects/destroy_job.rb")
    remote = source.replace("Cli::CommandFailedError", "Faraday::ConnectionFailed")
    assert settled_values(remote, "app/jobs/projects/destroy_job.rb") == [(9, "retry", 3)]


ANYWAY = """module PactBroker
  module Config
    module RuntimeConfigurationDatabaseMethods
      def self.included(anyway_config)
        anyway_config.class_eval do
          attr_config(
            database_adapter: "postgres",
            database_max_connections: nil,
            database_pool_timeout: 5,
            database_statement_timeout: 15
          )

          def database_configuration
            database_credentials
              .merge(
                encoding: "utf8",
                sslmode: database_sslmode,
                max_connections: database_max_connections,
                pool_timeout: database_pool_timeout,
                driver_options: driver_options
              ).compact
          end

          def driver_options
            if postgres? && database_statement_timeout
              { options: "-c statement_timeout=#{database_statement_timeout}s" }
            end
          end
        end
      end
    end
  end
end
"""


def test_anyway_config_defaults_reach_sequel_and_libpq_options():
    assert settled_values(ANYWAY, "lib/pact_broker/config/runtime_configuration_database_methods.rb") == [
        (19, "timeout", 5000), (26, "timeout", 15000)]


def test_libpq_option_literal_and_a_redis_pool_timeout():
    source = (
        "DB = Sequel.connect(url, driver_options: { options: '-c statement_timeout=5000' })\n"
        "REDIS = ConnectionPool.new(size: 5, timeout: 3) { Redis.new(url: url) }\n"
        "SIDEKIQ = { url: url, pool_timeout: 2, size: 10 }\n")
    found = settled_values(source, "config/initializers/db.rb")
    assert (1, "timeout", 5000) in found
    assert not [v for v in found if v[0] == 3]


def test_a_setting_named_like_attr_config_elsewhere_is_not_read():
    source = (
        "class Client\n"
        "  def options\n"
        "    { timeout: request_timeout }\n"
        "  end\n"
        "end\n"
        "class Settings\n"
        "  extend Other\n"
        "end\n")
    assert not [v for v in settled_values(source) if v[2] is not None]


POLL = """module CartoDB
  class HiresBatchGeocoder
    DEFAULT_TIMEOUT = 5.hours

    def run
      @started_at = Time.now
      update_status
      until ['completed', 'cancelled'].include? @geocoding_model.state do
        if timeout?
          change_status('timeout')
          break
        end
        sleep polling_sleep_time
        update_status
      end
    end

    def default_timeout
      DEFAULT_TIMEOUT
    end

    def timeout?
      (Time.now - @started_at) > default_timeout
    end
  end
end
"""


def test_poll_loop_checked_through_a_predicate_of_the_file():
    assert (9, "timeout", 18000000) in settled_values(POLL, "services/geocoder/lib/hires_batch_geocoder.rb")


def test_predicate_outside_a_loop_or_not_about_elapsed_time_is_nothing():
    once = POLL.replace("      until ['completed', 'cancelled'].include? @geocoding_model.state do\n", "      begin\n")
    other = POLL.replace("(Time.now - @started_at) > default_timeout", "@attempts > default_timeout")
    for source in (once, other):
        assert not [v for v in settled_values(source, "services/geocoder/lib/hires_batch_geocoder.rb")
                    if v[1] == "timeout" and v[0] == 9]


RECURSIVE_DEADLINE = """class Client
  DEFAULT_RETRY_TIMEOUT = 60

  def initialize(options = {})
    @retry_timeout = options[:retry_timeout] || DEFAULT_RETRY_TIMEOUT
  end

  def get(endpoint, params, first_request_time = nil, retry_counter = 0)
    first_request_time ||= Time.now
    elapsed = Time.now - first_request_time
    if elapsed > @retry_timeout
      raise TimeoutError, 'retry timeout expired'
    end
    resp = @http_client.get(url)
    return self.get(endpoint, params, first_request_time, retry_counter + 1) if resp.code == 500
    resp
  end
end
"""


def test_deadline_of_a_recursive_retry():
    assert (11, "timeout", 60000) in settled_values(RECURSIVE_DEADLINE, "lib/gme/client.rb")


def test_elapsed_check_in_a_method_that_does_not_recurse_is_no_deadline_loop():
    source = RECURSIVE_DEADLINE.replace(
        "    return self.get(endpoint, params, first_request_time, retry_counter + 1) if resp.code == 500\n", "")
    assert not [v for v in settled_values(source, "lib/gme/client.rb") if v[0] == 11]


def test_job_asked_again_while_the_remote_state_is_not_ready_is_a_poll():
    source = (
        "module Shipit\n"
        "  class ProcessMergeRequestsJob < BackgroundJob\n"
        "    def perform(stack)\n"
        "      merge_requests.each do |merge_request|\n"
        "        begin\n"
        "          merge_request.merge!\n"
        "        rescue MergeRequest::NotReady\n"
        "          ProcessMergeRequestsJob.set(wait: 10.seconds).perform_later(stack)\n"
        "          return false\n"
        "        end\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert not [v for v in settled_values(source, "app/jobs/shipit/process_merge_requests_job.rb") if v[1] == "retry"]


def test_job_asked_again_until_a_remote_state_is_terminal_is_a_poll():
    source = (
        "class UpdateExternalReleaseJob < ApplicationJob\n"
        "  def perform(submission_id, can_retry = true)\n"
        "    AppStoreSubmission.find(submission_id).update_external_release\n"
        "  rescue AppStoreSubmission::SubmissionNotInTerminalState\n"
        "    UpdateExternalReleaseJob.set(wait: 5.minutes).perform_async(submission_id, can_retry) if can_retry\n"
        "  end\n"
        "end\n")
    assert not [v for v in settled_values(source, "app/jobs/update_external_release_job.rb") if v[1] == "retry"]
    limited = source.replace("AppStoreSubmission::SubmissionNotInTerminalState", "LinearClient::RateLimitedError")
    assert [v for v in settled_values(limited, "app/jobs/update_external_release_job.rb") if v[1] == "retry"] \
        == [(5, "retry", None)]


def test_the_word_gets_in_a_comment_is_no_console_prompt():
    source = (
        "class RatingService\n"
        "  MAX_ATTEMPTS = 3\n"
        "  def rate(event)\n"
        "    attempt = 0\n"
        "    begin\n"
        "      attempt += 1\n"
        "      # raise ApiError so the retry path below gets a chance before we give up\n"
        "      response = @client.chat(messages: [])\n"
        "    rescue Ai::Client::ApiError => e\n"
        "      if attempt < MAX_ATTEMPTS\n"
        "        sleep(1.5 * attempt)\n"
        "        retry\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "end\n")
    assert settled_values(source, "app/services/ai/rating_service.rb") == [(12, "retry", 3)]
    prompt = source.replace("response = @client.chat(messages: [])", "email = $stdin.gets")
    assert not settled_values(prompt, "lib/tasks/x.rake")


def test_timeout_around_a_cli_client_through_popen3_stays_and_a_psql_command_line_is_no_option():
    dnscmd = (
        "def execute(args)\n"
        "  Timeout.timeout(5) do\n"
        "    std_in, std_out, std_err = popen3(*real_cmd)\n"
        "  end\n"
        "end\n")
    assert settled_values(dnscmd, "modules/dns_dnscmd/dns_dnscmd_main.rb") == [(2, "timeout", 5000)]
    psql = "vm.sshable.cmd(\"PGOPTIONS='-c statement_timeout=60s' psql -U postgres -t --csv\")\n"
    assert not settled_values(psql, "model/postgres/postgres_server.rb")
