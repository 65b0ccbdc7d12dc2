"""Round-20 second-wave fixes (Ruby; held-out sets sixnines, 0pdd, monadic-chat, volpino): options in a
branch only a test or development environment runs, chosen by ``ENV['RACK_ENV']``; a local file lock
(``Futex.new(path, timeout: 1)``); Sinatra's ``set :server_settings, timeout: 25`` (the app's own web
server); a local file operation done again after ``rescue Errno::EACCES``; a countdown of a constructor's
field (``retry unless (@tries -= 1).zero?``) whose count is each construction's argument."""

from __future__ import annotations

from tests.extractors.ruby.test_round19_fix import with_helpers


def _found(source: str, path: str = "lib/x.rb", kind: str | None = None) -> list[tuple]:
    return sorted(f for f in with_helpers(source, path) if kind is None or f[1] == kind)


RACK_ENV_BRANCH = (
    "class Dynamo\n"
    "  def aws\n"
    "    Aws::DynamoDB::Client.new(\n"
    "      if ENV['RACK_ENV'] == 'test'\n"
    "        {\n"
    "          endpoint: 'http://localhost:8000',\n"
    "          http_open_timeout: 5,\n"
    "          http_read_timeout: 5\n"
    "        }\n"
    "      else\n"
    "        {\n"
    "          region: 'us-east-1',\n"
    "          http_open_timeout: 7,\n"
    "          http_read_timeout: 8\n"
    "        }\n"
    "      end\n"
    "    )\n"
    "  end\n"
    "\n"
    "  def other\n"
    "    Aws::S3::Client.new(http_open_timeout: 3) unless ENV['RACK_ENV'] == 'production'\n"
    "    Aws::S3::Client.new(http_read_timeout: 4) if ENV.fetch('RACK_ENV', 'x') == 'production'\n"
    "    mode = 'test'  # ENV['RACK_ENV'] == 'test'\n"
    "    Aws::S3::Client.new(http_read_timeout: 6) if mode == 'test'\n"
    "  end\n"
    "end\n"
)


def test_options_in_a_rack_env_test_branch_are_left_out():
    found = _found(RACK_ENV_BRANCH, kind="timeout")
    assert (13, "timeout", 7000) in found and (14, "timeout", 8000) in found  # production branch kept
    assert not [f for f in found if f[0] in (7, 8)]  # the local DynamoDB of the tests
    assert not [f for f in found if f[0] == 21]  # unless production: a local environment
    assert (22, "timeout", 4000) in found  # only in production: kept
    assert (24, "timeout", 6000) in found  # a local variable named like the environment: kept


LOCAL_WAITS = (
    "require 'sinatra'\n"
    "configure do\n"
    "  set :server_settings, timeout: 25\n"
    "  set :client_settings, timeout: 9\n"
    "end\n"
    "\n"
    "get '/x' do\n"
    "  Futex.new('/tmp/x.lock', timeout: 1).open do |f|\n"
    "    f.write('1')\n"
    "  end\n"
    "  Sponge.new(url, timeout: 2).get\n"
    "end\n"
)


def test_a_file_lock_and_the_web_servers_settings_are_no_call_timeouts():
    found = _found(LOCAL_WAITS, "app.rb", kind="timeout")
    assert not [f for f in found if f[0] in (3, 8)]
    assert (11, "timeout", 2000) in found
    assert (4, "timeout", 9000) in found  # another setting of that name is not the server's


FILE_AGAIN = (
    "class Job\n"
    "  def exclusive\n"
    "    begin\n"
    "      File.delete(lock)\n"
    "    rescue Errno::EACCES\n"
    "      lock.close\n"
    "      File.delete(lock)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def fetch\n"
    "    begin\n"
    "      request(url)\n"
    "    rescue Net::ReadTimeout\n"
    "      request(url)\n"
    "    end\n"
    "  end\n"
    "end\n"
)


def test_a_local_file_operation_done_again_is_no_retry():
    found = _found(FILE_AGAIN, kind="retry")
    assert not [f for f in found if f[0] == 7]
    assert (15, "retry", 2) in found  # a request sent again still is


FIELD_COUNTDOWN = (
    "class SocketErrorResponse\n"
    "  def initialize(tries)\n"
    "    @tries = tries\n"
    "  end\n"
    "\n"
    "  def check(response)\n"
    "    response.receive\n"
    "  rescue SocketError => e\n"
    "    retry unless (@tries -= 1).zero?\n"
    "    InternalError.new(e).receive\n"
    "  end\n"
    "end\n"
    "\n"
    "class Resource\n"
    "  def take\n"
    "    CheckedResponse.new(\n"
    "      HTTPResponse.new(http, req),\n"
    "      [\n"
    "        SocketErrorResponse.new(3),\n"
    "        BrokenResponse.new\n"
    "      ]\n"
    "    ).receive\n"
    "  end\n"
    "end\n"
)


def test_a_constructor_fields_countdown_is_counted_at_the_construction():
    found = _found(FIELD_COUNTDOWN, kind="retry")
    assert (19, "retry", 3) in found  # rule a/c: the count belongs to the construction
    from extractors.ruby.extractor import EXTRACTOR

    symbols = EXTRACTOR.extract("lib/x.rb", FIELD_COUNTDOWN.encode()).symbols
    assert any(name.startswith("$forwarder:9:") for name in symbols)  # the helper's own loop: a forwarder


FIELD_REASSIGNED = (
    "class Poller\n"
    "  def initialize(tries)\n"
    "    @tries = tries\n"
    "  end\n"
    "\n"
    "  def reset\n"
    "    @tries = 0\n"
    "  end\n"
    "\n"
    "  def check\n"
    "    client.get(url)\n"
    "  rescue SocketError\n"
    "    retry unless (@tries -= 1).zero?\n"
    "  end\n"
    "end\n"
)


def test_a_field_written_elsewhere_gives_no_constructor_count():
    from extractors.ruby.extractor import EXTRACTOR

    result = EXTRACTOR.extract("lib/poller.rb", FIELD_REASSIGNED.encode())
    assert not any("$attempts_param" in name for name in result.symbols)


TIMEOUT_MACRO = (
    "module OllamaHelper\n"
    "  include BaseVendorHelper\n"
    "  define_timeouts \"OLLAMA\", open: 5, read: 600, write: 60\n"
    "\n"
    "  def list_models\n"
    "    http = HTTP.headers(headers)\n"
    "    http.timeout(connect: open_timeout, read: read_timeout).get(url)\n"
    "  end\n"
    "end\n"
    "\n"
    "module Other\n"
    "  def list\n"
    "    HTTP.timeout(connect: open_timeout).get(url)\n"
    "  end\n"
    "end\n"
)


def test_readers_a_timeout_macro_defines_take_its_numbers():
    found = _found(TIMEOUT_MACRO, kind="timeout")
    assert (7, "timeout", 5000) in found and (7, "timeout", 600000) in found
    assert (13, "timeout", 5000) not in found  # another module: the macro defines nothing there
    assert not [f for f in found if f[0] == 3 and f[2] is not None]  # the declaration itself is no call


BATCH_RESENT = (
    "class User\n"
    "  def self.import_by_id(id)\n"
    "    User.where(id: id..(id + 499)).find_in_batches(batch_size: 500) do |users|\n"
    "      response = User.__elasticsearch__.client.bulk index: index, body: users.map { |u| u }\n"
    "      response['items'].select { |k, _v| k.values.first['error'].present? }.each do |item|\n"
    "        user = User.where(id: item.dig('index', '_id')).first\n"
    "        IndexJob.perform_later(user) if user.present?\n"
    "      end\n"
    "    end\n"
    "  rescue Faraday::ConnectionFailed, ActiveRecord::LockWaitTimeout => e\n"
    "    User.where(id: id..(id + 499)).find_each do |user|\n"
    "      IndexJob.perform_later(user)\n"
    "    end\n"
    "  end\n"
    "\n"
    "  def send_batch(batch)\n"
    "    begin\n"
    "      resp = @http_client.post @url, JSON.generate(batch)\n"
    "    rescue StandardError => exception\n"
    "    end\n"
    "    if exception || resp.status != 200\n"
    "      batch.each do |c|\n"
    "        send_single(c)\n"
    "      end\n"
    "    end\n"
    "  rescue JSON::GeneratorError => ex\n"
    "    batch.each { |c| send_single(c) }\n"
    "  end\n"
    "\n"
    "  def index_in_chunks(docs)\n"
    "    solr.add(docs)\n"
    "  rescue RSolr::Error::Http => e\n"
    "    index_individually(docs)\n"
    "  end\n"
    "\n"
    "  def notify_all(users)\n"
    "    users.each { |u| MailJob.perform_later(u) }\n"
    "    users.select { |u| u.error_count > 0 }.each { |u| MailJob.perform_later(u) }\n"
    "  rescue Net::ReadTimeout\n"
    "    logger.warn('send_single failed')\n"
    "  end\n"
    "end\n"
)


def test_a_failed_batch_sent_again_one_item_at_a_time():
    found = _found(BATCH_RESENT, "app/models/user.rb", kind="retry")
    assert (7, "retry", 2) in found  # the items the bulk response marks failed, enqueued singly
    assert (12, "retry", 2) in found  # a rescue of the bulk call: each record enqueued
    assert (23, "retry", 2) in found  # the failed response's branch: each document sent singly
    assert (33, "retry", 2) in found  # index_individually after a failed add
    assert not [f for f in found if f[0] == 27]  # a JSON error: the batch was never sent
    assert not [f for f in found if f[0] in (37, 38, 40)]  # no bulk call failed; the word in a string
