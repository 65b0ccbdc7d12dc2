"""Every annotated Ruby fixture yields exactly its `# expect:` findings and nothing on `# ok:` lines."""

from __future__ import annotations

import pytest

from extractors.ruby.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.ruby.support import FIXTURES, ROOT, extract_file, settle

RUBY_FIXTURES = sorted((FIXTURES / "ruby").rglob("*.rb")) + sorted(
    p for p in (FIXTURES / "polyglot" / "support").rglob("*") if p.is_file() and EXTRACTOR.claims(p.name))


def test_there_are_fixtures():
    names = {p.relative_to(FIXTURES).as_posix() for p in RUBY_FIXTURES}
    assert "polyglot/support/app/clients/risk_client.rb" in names
    assert "polyglot/support/Gemfile" in names
    assert "ruby/rescue_retry.rb" in names


@pytest.mark.parametrize("path", RUBY_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_annotations(path):
    result = extract_file(EXTRACTOR, path)
    assert check_annotations(result.findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("path", RUBY_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_prefilter_passes_every_fixture_with_expectations(path):
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_fixtures_parse_cleanly_except_the_broken_one():
    for path in RUBY_FIXTURES:
        errors = extract_file(EXTRACTOR, path).errors
        if path.name == "broken.rb":
            assert [(e.kind, e.line) for e in errors] == [("parse_error", 8)]
        else:
            assert errors == (), path


def _support_results():
    base = FIXTURES / "polyglot" / "support"
    return [extract_file(EXTRACTOR, p) for p in sorted(base.rglob("*.rb"))]


def test_support_service_values_resolve_across_files():
    """risk_client.rb's timeouts name constants of config/initializers/risk.rb; its retry bound names
    RiskClient::MAX_ATTEMPTS; its URL is the RISK_SERVICE_URL env var."""
    results = _support_results()
    client = next(r for r in results if r.path.endswith("risk_client.rb"))
    settled = {(f.kind, f.line, f.attributes.get("phase")): settle(f, results) for f in client.findings}
    connect = settled[("timeout", 44, "connect")]
    assert (connect["timeout_ms"], connect["resolved_from"]) == (500, "constant")
    total = settled[("timeout", 44, "total")]
    assert (total["timeout_ms"], total["resolved_from"]) == (2000, "env_default")
    assert settled[("retry", 30, None)]["max_attempts"] == 3
    by_line = {(f.kind, f.line): f for f in client.findings}
    signals = by_line[("outbound_call", 17)]
    assert signals.target.operation == "/fraud-signals-detailed"
    assert [(p.attribute, p.expr.var) for p in signals.pending] == [("url", "RISK_SERVICE_URL")]


def test_support_service_story():
    """The support service's part of the seed: a fresh request id per attempt towards risk, replica
    reads for disputes, and the stable-ID pattern left alone."""
    results = _support_results()
    found = {(r.path.split("support/", 1)[1], f.kind, f.line) for r in results for f in r.findings
             if f.kind in ("new_id_per_attempt", "replica_read")}
    assert found == {
        ("app/clients/risk_client.rb", "new_id_per_attempt", 16),
        ("app/models/application_record.rb", "replica_read", 4),
        ("app/services/dispute_lookup.rb", "replica_read", 5),
        ("app/services/dispute_lookup.rb", "replica_read", 11),
    }
