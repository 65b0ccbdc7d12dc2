"""Annotated fixtures: the findings on every line are exactly the `// expect:` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.go.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.go.conftest import FIXTURES, ORDERS, REPO

FILES = sorted(FIXTURES.rglob("*.go")) + sorted(ORDERS.rglob("*.go"))


def test_fixtures_exist_for_every_detector():
    dirs = {p.parent.name for p in FIXTURES.rglob("*.go")}
    assert dirs >= {"http_client", "context_timeout", "transport", "grpc", "sql", "retry", "new_id",
                    "gobreaker", "values", "broken", "idempotency"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixture_matches_annotations(path: Path):
    relpath = path.relative_to(REPO).as_posix()
    result = EXTRACTOR.extract(relpath, path.read_bytes())
    assert check_annotations(result.findings, path, relpath) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_fixture_passes_the_prefilter(path: Path):
    """The prefilter must never skip a file that holds a finding or a constant."""
    assert EXTRACTOR.prefilter(path.read_bytes())


def test_every_fixture_has_expectations_and_traps():
    with_expect = [p for p in FILES if read_annotations(p)[0]]
    # main.go only holds the server's own limits (read/write timeouts, the shutdown drain): traps
    # the aliased config fixture's type declarations only feed the pipeline test (test_values.py)
    aliased = FIXTURES / "values" / "aliased"
    # the helper chains only forward their callers' values: every line of theirs is a trap
    chain = FIXTURES / "wrappers" / "httputil" / "chain.go"
    assert set(FILES) - set(with_expect) == {ORDERS / "internal" / "config" / "config.go", ORDERS / "main.go",
                                             aliased / "configtypes" / "types.go", aliased / "proxy" / "proxy.go",
                                             chain}
    traps = {p.parent.name for p in FILES if read_annotations(p)[1]}
    assert traps >= {"http_client", "context_timeout", "transport", "sql", "retry", "new_id", "gobreaker", "idempotency"}


def test_only_the_broken_fixture_has_errors():
    for path in FILES:
        relpath = path.relative_to(REPO).as_posix()
        errors = EXTRACTOR.extract(relpath, path.read_bytes()).errors
        if path.parent.name == "broken":
            assert [(e.kind, e.line) for e in errors] == [("parse_error", 11)]
        else:
            assert errors == (), relpath
