"""Every annotated C# fixture yields exactly its `// expect:` findings and nothing on `// ok:` lines."""

from __future__ import annotations

import pytest

from extractors.csharp.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.ruby.support import FIXTURES, ROOT, extract_file, settle

CS_FIXTURES = sorted((FIXTURES / "csharp").rglob("*.cs")) + sorted((FIXTURES / "polyglot" / "ledger").rglob("*.cs"))


def test_there_are_fixtures():
    names = {p.relative_to(FIXTURES).as_posix() for p in CS_FIXTURES}
    assert {"polyglot/ledger/Program.cs", "polyglot/ledger/Clients/PaymentClient.cs", "csharp/RetryLoops.cs"} <= names
    assert (FIXTURES / "polyglot" / "ledger" / "Ledger.csproj").is_file()


@pytest.mark.parametrize("path", CS_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_annotations(path):
    result = extract_file(EXTRACTOR, path)
    assert check_annotations(result.findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("path", CS_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_prefilter_passes_every_fixture_with_expectations(path):
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_fixtures_parse_cleanly_except_the_broken_one():
    for path in CS_FIXTURES:
        errors = extract_file(EXTRACTOR, path).errors
        if path.name == "Broken.cs":
            assert [(e.kind, e.line) for e in errors] == [("parse_error", 11)]
        else:
            assert errors == (), path


def _ledger():
    return [extract_file(EXTRACTOR, p) for p in sorted((FIXTURES / "polyglot" / "ledger").rglob("*.cs"))]


def test_ledger_values_resolve_across_files():
    results = _ledger()
    by_file = {r.path.rsplit("/", 1)[-1]: r for r in results}
    program = {(f.kind, f.line, f.attributes.get("phase")): f for f in by_file["Program.cs"].findings}
    payment_timeout = settle(program[("timeout", 11, "total")], results)
    assert (payment_timeout["timeout_ms"], payment_timeout["resolved_from"]) == (3000, "constant")
    assert payment_timeout["resolved_url"] == "http://payment:8080"
    risk = {(f.kind, f.line): f for f in by_file["RiskClient.cs"].findings}
    deadline = settle(risk[("timeout", 11)], results)
    assert (deadline["timeout_ms"], deadline["resolved_from"]) == (800, "constant")
    job = {(f.kind, f.line): f for f in by_file["ReconciliationJob.cs"].findings}
    assert settle(job[("retry", 16)], results)["max_attempts"] == 4
    assert by_file["ReconciliationJob.cs"].module == "Ledger.Jobs"


def test_ledger_story():
    """Fresh IDs per attempt towards payment and orders; the stable refund key left alone."""
    found = {(r.path.rsplit("/", 1)[-1], f.kind, f.line, f.attributes.get("variable"))
             for r in _ledger() for f in r.findings if f.kind == "new_id_per_attempt"}
    assert found == {
        ("PaymentClient.cs", "new_id_per_attempt", 28, "idempotencyKey"),
        ("ReconciliationJob.cs", "new_id_per_attempt", 20, "batchId"),
    }


def test_a_field_read_through_this_resolves_to_its_initializer():
    # `new CancellationTokenSource(this.connectTimeout)` with `TimeSpan connectTimeout = FromSeconds(10d)`:
    # the pending name is the field's own (the symbol its initializer is published under)
    path = FIXTURES / "csharp" / "Deadlines.cs"
    result = extract_file(EXTRACTOR, path)
    found = next(f for f in result.findings if f.kind == "timeout" and "this.connectTimeout" in f.evidence)
    assert settle(found, [result])["timeout_ms"] == 10000
