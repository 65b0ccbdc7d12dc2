"""Round-16 rules (lead, held-out sets travis-scheduler, happy-heron, publish-teacher-training):
the faraday-retry options kept in a constant hash (``c.request :retry, RETRY`` with
``RETRY = { max: 5 }.freeze``) give their count; a rescue/retry that only waits for a row of the
service's own database (``rescue ActiveRecord::RecordNotFound``) is a poll, not a retry; a rake
file's ``Object.const_set("N", 5)`` is a constant; ``abort``/``exit`` give up like ``raise``."""

from __future__ import annotations

from tests.extractors.ruby.support import settled_values


def _findings(source: str, path: str = "app/x.rb"):
    return settled_values(source, path)


CONSTANT_RETRY = (
    "module Travis\n"
    "  class VcsProxy\n"
    "    RETRY = {\n"
    "      max: 5,\n"
    "      interval: 0.05,\n"
    "      backoff_factor: 2,\n"
    "    }.freeze\n"
    "\n"
    "    def client\n"
    "      Faraday.new(url: 'http://vcs') do |c|\n"
    "        c.request :retry, RETRY\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_retry_options_in_a_constant_hash_give_their_count():
    assert _findings(CONSTANT_RETRY) == [(11, "retry", 6)]


def test_retry_options_in_a_constant_of_another_file_are_unknown_not_the_default():
    source = CONSTANT_RETRY.replace("c.request :retry, RETRY", "c.request :retry, Settings::RETRY_OPTS")
    assert _findings(source) == [(11, "retry", None)]


def test_a_constant_named_retry_that_is_no_hash_is_not_read_as_options():
    source = CONSTANT_RETRY.replace("RETRY = {\n      max: 5,\n      interval: 0.05,\n      backoff_factor: 2,\n    }.freeze",
                                    "RETRY = retry_settings\n\n\n\n")
    assert _findings(source) == [(11, "retry", None)]


OWN_ROW_POLL = (
    "class DepositCompleteJob\n"
    "  FIND_TRIES = 10\n"
    "  def work(msg)\n"
    "    begin\n"
    "      tries ||= 1\n"
    "      object = Work.find_by!(druid: msg)\n"
    "      DepositCompleter.complete(object)\n"
    "    rescue ActiveRecord::RecordNotFound\n"
    "      if (tries += 1) <= FIND_TRIES\n"
    "        sleep(1)\n"
    "        retry\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_waiting_for_a_row_of_its_own_database_is_no_retry():
    assert _findings(OWN_ROW_POLL) == []


def test_a_remote_not_found_error_retried_is_still_a_retry():
    source = OWN_ROW_POLL.replace("rescue ActiveRecord::RecordNotFound", "rescue Preservation::Client::NotFoundError")
    assert _findings(source) == [(11, "retry", 10)]


def test_a_row_poll_that_also_rescues_a_network_error_is_a_retry():
    source = OWN_ROW_POLL.replace("rescue ActiveRecord::RecordNotFound",
                                  "rescue ActiveRecord::RecordNotFound, Faraday::ConnectionFailed")
    assert _findings(source) == [(11, "retry", 10)]


RAKE = (
    "namespace :big_query do\n"
    "  Object.const_set(\"ON_REDIS_ERROR_RETRY_ATTEMPTS\", 5)\n"
    "\n"
    "  task send_import_events: :environment do\n"
    "    Course.find_each do |entity|\n"
    "      attempt_count = 0\n"
    "      begin\n"
    "        entity.send_import_event\n"
    "      rescue Redis::CommandError\n"
    "        attempt_count += 1\n"
    "        abort if attempt_count > ON_REDIS_ERROR_RETRY_ATTEMPTS\n"
    "        sleep 10\n"
    "        retry\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n")


def test_const_set_constant_bounds_a_retry_that_aborts():
    assert _findings(RAKE, "lib/tasks/big_query.rake") == [(13, "retry", 6)]


def test_a_const_set_of_a_computed_value_stays_unknown():
    source = RAKE.replace('Object.const_set("ON_REDIS_ERROR_RETRY_ATTEMPTS", 5)',
                          'Object.const_set("ON_REDIS_ERROR_RETRY_ATTEMPTS", ENV["N"].to_i)')
    assert _findings(source, "lib/tasks/big_query.rake") == [(13, "retry", None)]


def test_a_retry_variable_and_the_word_retry_in_a_string_are_no_retry():
    source = ("class X\n"
              "  def run\n"
              "    retry_count = 3\n"
              "    puts \"will retry #{retry_count} times; timeout 5\"\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []


def test_redis_reconnect_delays_list_counts_one_reconnect_per_delay():
    source = ("Rails.application.config.banner_redis = Redis.new(\n"
              "  url: ENV[\"BANNER_REDIS_URL\"],\n"
              "  reconnect_attempts: [0, 0.1, 0.25],\n"
              ")\n"
              "OTHER = Redis.new(url: ENV[\"B\"], reconnect_attempts: 3)\n")
    assert _findings(source, "config/initializers/banner.rb") == [(3, "retry", 4), (5, "retry", 4)]


def test_a_reconnect_attempts_local_list_is_no_setting_of_a_client():
    source = ("class Stats\n"
              "  def summary\n"
              "    reconnect_attempts = [1, 2, 3]\n"
              "    reconnect_attempts.sum\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []


RETRYABLE_HELPER = (
    "require \"retryable\"\n"
    "\n"
    "class Connect\n"
    "  def execute_with_retry(exceptions, max_retries: 3, &block)\n"
    "    Retryable.retryable(on: exceptions, tries: max_retries, sleep: 1, &block)\n"
    "  end\n"
    "\n"
    "  def go\n"
    "    execute_with_retry([Err]) do\n"
    "      fetch\n"
    "    end\n"
    "    execute_with_retry([Err], max_retries: 10) { fetch }\n"
    "    Retryable.retryable(tries: 5, on: [Net::ReadTimeout]) { client.get }\n"
    "    Retryable.retryable { client.get }\n"
    "  end\n"
    "end\n")


def test_retryable_gem_counts_every_try_and_its_helper_follows_the_helper_rule(tmp_path):
    """applelink (round 16 second wave): the helper's default at its line (rule a), a call leaving it out gets
    it (rule b), a call passing `max_retries: 10` gets 10 (rule c: Retryable's tries count every try, not 11)."""
    from contract_discovery.pipeline import scan

    root = tmp_path / "svc"
    root.mkdir()
    (root / "connect.rb").write_text(RETRYABLE_HELPER)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.kind, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry")
    assert got == [(5, "retry", 3), (9, "retry", 3), (12, "retry", 10), (13, "retry", 5), (14, "retry", 2)]


def test_a_project_method_named_retryable_is_not_the_gem():
    source = ("class Job\n"
              "  def retryable(x)\n"
              "    x > 1\n"
              "  end\n"
              "  def run\n"
              "    retryable(3) { |z| z }\n"
              "    retryable = true\n"
              "  end\n"
              "end\n")
    assert _findings(source) == []


def test_httpx_retries_plugin_default_and_max_retries():
    source = ("class Ai\n"
              "  def http\n"
              "    HTTPX.plugin(:retries)\n"
              "  end\n"
              "  def http2\n"
              "    HTTPX.plugin(:retries, max_retries: 5)\n"
              "  end\n"
              "  def other\n"
              "    HTTPX.plugin(:persistent)\n"
              "  end\n"
              "end\n")
    assert _findings(source) == [(3, "retry", 4), (6, "retry", 6)]


def test_max_retries_of_a_client_constructor_still_counts_retries():
    source = "CLIENT = Stripe::Client.new(max_retries: 2)\nR = Redis.new(url: URL, max_retries: 2)\n"
    got = _findings(source)
    assert (2, "retry", 3) in got
