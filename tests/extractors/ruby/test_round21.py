"""Round-21 fixes (Ruby; held-out sets e621ng, kitsu-server, pact-broker, canine, hyku,
correspondence-tool-staff): connection options kept in a settings method or constant and handed to
``Faraday.new`` elsewhere; a settings class's reader (``Danbooru.config.iqdb_read_timeout``); an
Elasticsearch duration built by interpolation (``"#{x || 3_000}ms"``); a statement timeout put back in
an ``ensure`` (no setting); a model's class method inherited from ApplicationRecord
(``Post.with_timeout(30_000)``); HTTParty keyword options of a multi-line call at the option's line;
``rescue ...; redo`` in a block; a prompt asked again (no retry); a model handing failed work to a job
with its try counter raised; a rescue that asks about ``nil`` instead (no retry); chewy.yml and
fedora.yml read by their gems."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.ruby import rails_yaml
from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import settle
from tests.extractors.ruby.test_round19_fix import with_helpers


def _scan(files: list[tuple[str, str]]) -> list[tuple]:
    """(path, line, kind, value) of every file, each finding settled with all files' symbols (a
    call's proposal kept only when its ``$keep_if`` holds)."""
    results: list[FileResult] = [EXTRACTOR.extract(path, source.encode()) for path, source in files]
    out = []
    for (path, _), result in zip(files, results):
        for f in result.findings:
            if f.kind not in ("timeout", "retry"):
                continue
            attrs = settle(f, results)
            if any(p.attribute == "$keep_if" for p in f.pending) and attrs.get("resolved_$keep_if") in (None, 0, False, ""):
                continue
            out.append((path, f.line, f.kind, attrs.get("timeout_ms") if f.kind == "timeout" else attrs.get("max_attempts")))
    return sorted(out, key=repr)


CONFIG_CLASS = (
    "module Danbooru\n"
    "  class Configuration\n"
    "    def faraday_options\n"
    "      {\n"
    "        request: {\n"
    "          timeout: 10,\n"
    "          open_timeout: 3,\n"
    "        },\n"
    "        headers: http_headers,\n"
    "      }\n"
    "    end\n"
    "\n"
    "    def iqdb_read_timeout\n"
    "      5\n"
    "    end\n"
    "\n"
    "    def page_options\n"
    "      { request: { timeout: 99 } }\n"
    "    end\n"
    "\n"
    "    def post_retries(kind)\n"
    "      7\n"
    "    end\n"
    "  end\n"
    "end\n"
)

IQDB = (
    "module IqdbProxy\n"
    "  def self.query(path)\n"
    "    opts = Danbooru.config.faraday_options.deep_merge(request: { timeout: Danbooru.config.iqdb_read_timeout })\n"
    "    Faraday.new(opts).get(path)\n"
    "  end\n"
    "\n"
    "  def self.other(path)\n"
    "    Faraday.new(request: { timeout: Danbooru.config.page_size }).get(path)\n"
    "  end\n"
    "end\n"
)


def test_connection_options_method_of_a_settings_class_at_its_option_lines():
    found = _scan([("config/danbooru_default_config.rb", CONFIG_CLASS)])
    assert ("config/danbooru_default_config.rb", 6, "timeout", 10000) in found
    assert ("config/danbooru_default_config.rb", 7, "timeout", 3000) in found
    # a hash whose holder's name says nothing of connections is not read as one
    assert not any(line == 18 for _, line, _, _ in found)


def test_connection_options_constant_reported_once():
    source = (
        "class Client\n"
        "  HTTP_OPTIONS = {\n"
        "    request: { open_timeout: 2, timeout: 8 }\n"
        "  }.freeze\n"
        "  # FARADAY_OPTS = { request: { timeout: 4 } }\n"
        "  def http_client_options\n"
        "    log(\"request: { timeout: 5 }\")\n"
        "  end\n"
        "  def get(url)\n"
        "    Faraday.new(url, HTTP_OPTIONS).get\n"
        "  end\n"
        "end\n"
    )
    found = [(line, kind, value) for _, line, kind, value in _scan([("app/x.rb", source)])]
    assert sorted(f for f in found if f[0] == 3) == [(3, "timeout", 2000), (3, "timeout", 8000)]
    assert not any(line in (5, 7) for line, _, _ in found)  # a comment, a string


def test_settings_class_reader_gives_the_value():
    found = _scan([("config/danbooru_default_config.rb", CONFIG_CLASS), ("app/logical/iqdb_proxy.rb", IQDB)])
    assert ("app/logical/iqdb_proxy.rb", 3, "timeout", 5000) in found
    # a reader the settings class does not define stays unknown; a reader with a parameter is not published
    assert ("app/logical/iqdb_proxy.rb", 8, "timeout", None) in found


def test_interpolated_duration_string():
    source = (
        "class Search\n"
        "  def run\n"
        "    body = {\n"
        "      query: q,\n"
        "      timeout: \"#{CurrentUser.user.try(:statement_timeout) || 3_000}ms\",\n"
        "    }\n"
        "    client.search(body)\n"
        "    client.search(query: q, timeout: \"#{LIMIT}s\")\n"
        "    logger.info(\"timeout #{LIMIT}ms\")\n"
        "    client.search(query: q, timeout: \"#{a}#{b}ms\")\n"
        "  end\n"
        "  LIMIT = 2\n"
        "end\n"
    )
    found = with_helpers(source, "app/logical/search.rb")
    assert (5, "timeout", 3000) in found
    assert (8, "timeout", 2000) in found
    assert not any(line == 9 for line, _, _ in found)  # a log message
    assert (10, "timeout", 3000) not in found and (10, "timeout", 2000) not in found


def test_statement_timeout_put_back_in_ensure_is_no_setting():
    source = (
        "module Sequel\n"
        "  module StatementTimeout\n"
        "    def with_statement_timeout(timeout_seconds = 20)\n"
        "      current = execute(\"show statement_timeout\") { |r| r.first.values.first }\n"
        "      run(\"SET statement_timeout = '#{timeout_seconds}s'\")\n"
        "      begin\n"
        "        yield\n"
        "      ensure\n"
        "        run(\"SET statement_timeout = '#{current}'\")\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = with_helpers(source, "lib/sequel/extensions/statement_timeout.rb")
    assert (5, "timeout", 20000) in found
    assert not any(line == 9 for line, _, _ in found)


def test_statement_timeout_reset_to_a_configured_value_in_ensure_is_a_setting():
    source = (
        "class DatabaseReplica\n"
        "  def self.execute_without_timeout\n"
        "    ActiveRecord::Base.connection.execute('SET statement_timeout = 0')\n"
        "    yield\n"
        "  ensure\n"
        "    ActiveRecord::Base.connection.execute(\"SET statement_timeout = #{Panoptes.pg_statement_timeout}\")\n"
        "    ActiveRecord::Base.connection.execute(\"SET lock_timeout = 3000\")\n"
        "  end\n"
        "end\n"
    )
    found = with_helpers(source, "lib/database_replica.rb")
    assert any(line == 6 for line, _, _ in found)
    assert (7, "timeout", 3000) in found


APPLICATION_RECORD = (
    "class ApplicationRecord < ActiveRecord::Base\n"
    "  concerning :ActiveRecordExtensions do\n"
    "    class_methods do\n"
    "      def with_timeout(n, default_value = nil)\n"
    "        connection.execute(\"SET STATEMENT_TIMEOUT = #{n}\")\n"
    "        yield\n"
    "      rescue ::ActiveRecord::StatementInvalid\n"
    "        default_value\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_model_class_method_inherited_from_application_record():
    tag = (
        "class Tag < ApplicationRecord\n"
        "  def update_counts!\n"
        "    Post.with_timeout(30_000, nil) do\n"
        "      Post.all.each(&:save)\n"
        "    end\n"
        "    Post.with_other(40_000) { work }\n"
        "  end\n"
        "end\n"
    )
    found = _scan([("app/models/application_record.rb", APPLICATION_RECORD), ("app/models/tag.rb", tag)])
    assert ("app/models/tag.rb", 3, "timeout", 30000) in found
    assert not any(path == "app/models/tag.rb" and line == 6 for path, line, _, _ in found)
    assert not any(path == "app/models/application_record.rb" for path, _, _, _ in found)  # the forwarder


def test_httparty_multiline_option_at_its_line():
    source = (
        "class Schema\n"
        "  def fetch\n"
        "    HTTParty.get(\n"
        "      \"https://artifacthub.io/api/v1/packages\",\n"
        "      timeout: 10\n"
        "    )\n"
        "    HTTParty.get(\"https://artifacthub.io/x\", timeout: 5)\n"
        "  end\n"
        "end\n"
    )
    found = with_helpers(source, "app/actions/schema.rb")
    assert (5, "timeout", 10000) in found and (7, "timeout", 5000) in found
    assert not any(line == 3 and kind == "timeout" for line, kind, _ in found)


def test_redo_in_a_rescue_of_a_block_is_an_unbounded_retry():
    source = (
        "class Import\n"
        "  def list(name)\n"
        "    loop.with_index.reduce([]) do |data, (_, index)|\n"
        "      begin\n"
        "        page = get(name, index)\n"
        "      rescue RateLimitedError\n"
        "        sleep 10\n"
        "        redo\n"
        "      end\n"
        "      break data if page.blank?\n"
        "      data + page\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def walk(items)\n"
        "    items.each do |item|\n"
        "      redo if item.changed?\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "app/models/import.rb") if f[1] == "retry"]
    assert (8, "retry", None) in found
    assert not any(line == 17 for line, _, _ in found)  # no rescue: no failed call again


def test_prompt_asked_again_is_no_retry():
    source = (
        "namespace :admin do\n"
        "  def prompt_to_create_user\n"
        "    User.find_or_create_by!(email: prompt_for_email)\n"
        "  rescue StandardError => e\n"
        "    puts e\n"
        "    retry\n"
        "  end\n"
        "\n"
        "  def prompt_for_email\n"
        "    print 'Email: '\n"
        "    $stdin.gets.chomp\n"
        "  end\n"
        "\n"
        "  def upload\n"
        "    tries = 0\n"
        "    begin\n"
        "      bucket.put_object(key, body)\n"
        "    rescue Aws::S3::Errors::ServiceError\n"
        "      retry if (tries += 1) < 3\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "lib/tasks/user.rake") if f[1] == "retry"]
    assert not any(line == 6 for line, _, _ in found)
    assert (19, "retry", 3) in found


def test_model_hands_failed_work_to_a_job_with_its_counter_raised():
    source = (
        "class CaseAttachment < ApplicationRecord\n"
        "  def upload_preview(filepath, retry_count)\n"
        "    result = preview_object.upload_file(filepath)\n"
        "    if result == false\n"
        "      if retry_count == Settings.s3_upload_max_tries\n"
        "        raise \"Max upload retry exceeded\"\n"
        "      else\n"
        "        PdfMakerJob.perform_with_delay(id, retry_count + 1)\n"
        "      end\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def next_page\n"
        "    PageJob.perform_later(id, page_number + 1)\n"
        "    ReportMailer.deliver_later(id, retry_count + 1)\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "app/models/case_attachment.rb") if f[1] == "retry"]
    assert (8, "retry", None) in found
    assert not any(line in (14, 15) for line, _, _ in found)


def test_job_re_enqueued_with_its_error_count_raised():
    source = (
        "module Webhooks\n"
        "  class Job\n"
        "    include SuckerPunch::Job\n"
        "    def reschedule_job\n"
        "      Job.perform_in(backoff_time, @data.merge(error_count: error_count + 1))\n"
        "    end\n"
        "    def next_batch\n"
        "      Job.perform_in(1, @data.merge(batch: batch + 1))\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "lib/webhooks/job.rb") if f[1] == "retry"]
    assert (5, "retry", None) in found
    assert not any(line == 8 for line, _, _ in found)


def test_rescue_asking_about_nil_instead_is_no_retry():
    source = (
        "module Sipity\n"
        "  def Entity(input, &block)\n"
        "    result = convert(input)\n"
        "    handle_conversion(input, result, &block)\n"
        "  rescue URI::GID::MissingModelIdError\n"
        "    Entity(nil)\n"
        "  end\n"
        "\n"
        "  def fetch(url)\n"
        "    http.get(url)\n"
        "  rescue Net::ReadTimeout\n"
        "    fetch(url)\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "app/models/sipity.rb") if f[1] == "retry"]
    assert not any(line == 6 for line, _, _ in found)
    assert any(line == 12 for line, _, _ in found)


def _yaml(path: str, source: str) -> list[tuple]:
    result = rails_yaml.extract(path, source.encode())
    out = []
    for f in result.findings:
        attrs = settle(f, [result])
        if any(p.attribute == "$keep_if" for p in f.pending) and attrs.get("resolved_$keep_if") in (None, 0, False, ""):
            continue
        out.append((f.line, f.kind, attrs.get("timeout_ms")))
    return out


def test_chewy_and_fedora_yaml_read_by_their_gems():
    chewy = (
        "development:\n"
        "  host: localhost\n"
        "  request_timeout: 7\n"
        "production:\n"
        "  host: <%= ENV['ELASTICSEARCH_HOST'] %>\n"
        "  request_timeout: 9\n"
    )
    assert _yaml("config/chewy.yml", chewy) == [(6, "timeout", 9000)]
    fedora = (
        "production:\n"
        "  url: http://localhost:8080/rest\n"
        "  request: { timeout: 600, open_timeout: 60}\n"
    )
    assert sorted(_yaml("config/fedora.yml", fedora)) == [(3, "timeout", 60000), (3, "timeout", 600000)]
    # another gem's file nobody reads stays out
    assert _yaml("config/other_gem.yml", chewy) == []


def test_net_telnet_timeout_option():
    source = (
        "module CartoDB\n"
        "  class Varnish\n"
        "    def purge(command)\n"
        "      conf = Cartodb.config[:varnish_management]\n"
        "      connection = Net::Telnet.new(\n"
        "        'Host' => conf['host'],\n"
        "        'Timeout' => conf['timeout'] || 5)\n"
        "      form = Form.new('Timeout' => 9)\n"
        "      log('Timeout' => 3)\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "lib/varnish/varnish.rb") if f[1] == "timeout"]
    assert (7, "timeout", 5000) in found
    assert not any(line in (8, 9) for line, _, _ in found)


def test_waiting_for_a_killed_child_process_is_no_retry():
    source = (
        "class Cli\n"
        "  def kill_process\n"
        "    Process.kill('TERM', @process.pid)\n"
        "    5.times do\n"
        "      sleep 1\n"
        "      return unless @process.alive?\n"
        "    end\n"
        "    Process.kill('KILL', @process.pid)\n"
        "  end\n"
        "\n"
        "  def ping(host)\n"
        "    3.times do\n"
        "      return true if reachable?(host)\n"
        "      sleep 2\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "app/services/cli.rb") if f[1] == "retry"]
    assert not any(line == 4 for line, _, _ in found)
    assert (12, "retry", 3) in found


def test_timeout_around_a_poll_of_its_own_job_table_is_no_call_bound():
    source = (
        "class ResetService\n"
        "  def drain!\n"
        "    Timeout.timeout(import_timeout) do\n"
        "      wait_for_quiescence!\n"
        "      log \"drained #{account.cname}\"\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def wait_for_quiescence!\n"
        "    loop do\n"
        "      break if pending_jobs.zero?\n"
        "      sleep 5\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def pending_jobs\n"
        "    GoodJob::Job.where(finished_at: nil).count\n"
        "  end\n"
        "\n"
        "  def log(message)\n"
        "    logger.public_send(:info, message)\n"
        "  end\n"
        "\n"
        "  def sync!\n"
        "    Timeout.timeout(30) do\n"
        "      wait_for_remote!\n"
        "    end\n"
        "  end\n"
        "\n"
        "  def wait_for_remote!\n"
        "    loop do\n"
        "      break if api.status(id) == 'done'\n"
        "      sleep 2\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = [f for f in with_helpers(source, "app/services/reset_service.rb") if f[1] == "timeout"]
    assert not any(line == 3 for line, _, _ in found)
    assert (25, "timeout", 30000) in found


def test_database_yml_key_written_twice_counts_once_at_the_last():
    source = (
        "default: &default\n"
        "  adapter: postgresql\n"
        "<% if $0.include?('rake') %>\n"
        "  connect_timeout: 5\n"
        "  connect_timeout: 7\n"
        "<% else %>\n"
        "  connect_timeout: 5\n"
        "<% end %>\n"
        "production:\n"
        "  <<: *default\n"
        "  read_timeout: 3\n"
    )
    assert sorted(_yaml("config/database.yml", source)) == [(5, "timeout", 7000), (7, "timeout", 5000),
                                                            (11, "timeout", 3000)]
