"""Round-11 rules (lead, two held-out sets: Claim for Crown Court Defence and GOV.UK's Publishing API):
Sidekiq's global default retry, with_advisory_lock's wait, Ruby 3.1 shorthand keyword arguments handed
on by a class method to its constructor, and a constructor's parameter not confused with a class
method's parameter of the same name."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from extractors.ruby.extractor import EXTRACTOR
from tests.extractors.ruby.support import reported


def _findings(source: str, path: str = "app/x.rb"):
    return reported(EXTRACTOR.extract(path, source.encode()).findings)


def _scan(tmp_path, files: dict[str, str]):
    (tmp_path / "Gemfile").write_text("source 'https://rubygems.org'\ngem 'rails'\n")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sorted((f.path, f.line, f.kind, f.attributes.get("timeout_ms") if f.kind == "timeout"
                   else f.attributes.get("max_attempts")) for f in scan(tmp_path).findings
                  if f.kind in ("timeout", "retry"))


def test_sidekiq_default_job_options_retry_is_every_jobs_default():
    found = _findings(
        "Sidekiq.default_job_options = { retry: 5 }\n"
        "Sidekiq.default_worker_options = { 'retry' => false, 'backtrace' => true }\n"
        "Sidekiq.default_job_options = { queue: :low }\n"  # no retry option
        "retry_options = { retry: 5 }\n"  # a `retry` hash that is no Sidekiq setting
        "Other.default_job_options = { retry: 2 }\n"  # not Sidekiq's
        "# Sidekiq.default_job_options = { retry: 9 }\n")
    assert [(f.line, f.kind, f.detector, f.attributes["max_attempts"]) for f in found] == [
        (1, "retry", "ruby.job_retry", 6), (2, "retry", "ruby.job_retry", 1)]


def test_with_advisory_lock_timeout_seconds_is_a_lock_wait():
    found = _findings(
        "class Report\n"
        "  def once\n"
        "    ApplicationRecord.with_advisory_lock('r-1', timeout_seconds: 0) { work }\n"
        "  end\n"
        "  def patient\n"
        "    Report.with_advisory_lock!('r-2', timeout_seconds: 2.minutes) { work }\n"
        "  end\n"
        "  def other\n"
        "    Lock.acquire('r-3', timeout_seconds: 5)\n"  # not the gem's method: another reader says what it is
        "    # with_advisory_lock('x', timeout_seconds: 9)\n"
        "  end\n"
        "end\n")
    # timeout_seconds: 0 is one try without waiting (dawarich's jobs skipping work another holds): no bound
    assert [(f.line, f.kind, f.attributes["timeout_ms"]) for f in found if f.kind == "timeout"] == [
        (6, "timeout", 120000)]


def test_class_method_handing_its_default_to_the_constructor_by_shorthand(tmp_path):
    """publishing-api's DistributedLock: `def self.lock(name, timeout_seconds: 30)` -> `new(name,
    timeout_seconds:)` -> the reader in `with_advisory_lock(name, timeout_seconds:)`. Rule (a) at the
    line handing the default on, (b) at a call leaving it out, (c) at a call passing 5; the
    constructor's `name` parameter is not the class method's `name`."""
    found = _scan(tmp_path, {
        "lib/distributed_lock.rb": (
            "class DistributedLock\n"
            "  attr_reader :name, :timeout_seconds\n"
            "\n"
            "  def self.lock(name, timeout_seconds: 30, &block)\n"
            "    new(name, timeout_seconds:).run(&block)\n"
            "  end\n"
            "\n"
            "  def initialize(name, timeout_seconds:)\n"
            "    @name = name\n"
            "    @timeout_seconds = timeout_seconds\n"
            "  end\n"
            "\n"
            "  def run\n"
            "    ActiveRecord::Base.with_advisory_lock(name, timeout_seconds:, transaction: true) { yield }\n"
            "  end\n"
            "end\n"),
        "lib/writer.rb": (
            "class Writer\n"
            "  def put(path, &block)\n"
            "    DistributedLock.lock(path, &block)\n"
            "  end\n"
            "  def quick(path, &block)\n"
            "    DistributedLock.lock(path, timeout_seconds: 5, &block)\n"
            "  end\n"
            "end\n"),
    })
    assert found == [("lib/distributed_lock.rb", 5, "timeout", 30000),
                     ("lib/writer.rb", 3, "timeout", 30000),
                     ("lib/writer.rb", 6, "timeout", 5000)]


def test_shorthand_locals_handed_to_a_constructor_leave_its_attempts_default_out(tmp_path):
    """cloud_controller_ng: `RetryableClient.new(client:, errors:, logger:)` with `def initialize(client:,
    errors:, logger:, num_retries: 3)`: the keywords hand locals on, the retry count is left out (rule b);
    `num_retries: 5` is counted the way the class's loop counts it (rule c)."""
    found = _scan(tmp_path, {
        "lib/retryable_client.rb": (
            "class RetryableClient\n"
            "  def initialize(client:, errors:, logger:, num_retries: 3)\n"
            "    @client = client\n"
            "    @errors = errors\n"
            "    @num_retries = num_retries\n"
            "  end\n"
            "\n"
            "  def get(key)\n"
            "    with_retries { @client.get(key) }\n"
            "  end\n"
            "\n"
            "  private\n"
            "\n"
            "  def with_retries\n"
            "    retries ||= @num_retries\n"
            "    yield\n"
            "  rescue *@errors => e\n"
            "    retries -= 1\n"
            "    retry unless retries == 0\n"
            "    raise e\n"
            "  end\n"
            "end\n"),
        "lib/provider.rb": (
            "class Provider\n"
            "  def local(options)\n"
            "    client = LocalClient.new(options)\n"
            "    logger = Logger.new($stdout)\n"
            "    errors = [StandardError]\n"
            "    RetryableClient.new(client:, errors:, logger:)\n"
            "  end\n"
            "  def patient(client)\n"
            "    RetryableClient.new(client:, errors: [IOError], logger: nil, num_retries: 5)\n"
            "  end\n"
            "  def remote(url)\n"
            "    Gem::RemoteFetcher.fetch(url, num_retries: 5)\n"  # no project method: the name says retries (+1)
            "  end\n"
            "end\n"),
    })
    # `num_retries: 5` given to the project's class: its loop makes num_retries tries in all (5), not the
    # 6 the keyword's name suggests
    assert [x for x in found if x[0] == "lib/provider.rb"] == [
        ("lib/provider.rb", 6, "retry", 3), ("lib/provider.rb", 9, "retry", 5), ("lib/provider.rb", 12, "retry", 6)]


def test_shorthand_keyword_is_a_keyword_argument_not_a_positional_one():
    from extractors.ruby import syntax
    from extractors.ruby.context import RubyFile, GRAMMAR
    from extractors.common import parse_checked

    tree, _ = parse_checked(GRAMMAR, "x.rb", b"client.get(url, timeout:)\n", "ruby")
    call = next(n for n in __import__("extractors.treesitter", fromlist=["walk"]).walk(tree.root_node) if n.type == "call")
    site = syntax.call_site(call)
    assert [a.text for a in site.args] == ["url"]
    assert list(site.kwargs) == ["timeout"] and site.kwargs["timeout"].node.type == "identifier"
    assert syntax.text(site.kwargs["timeout"].node) == "timeout"
