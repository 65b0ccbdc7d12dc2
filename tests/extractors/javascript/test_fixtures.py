"""Every annotated fixture file: the findings are exactly the `// expect:` lines, none on `// ok:` lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.javascript.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations

ROOT = Path(__file__).resolve().parents[3]
EXTENSIONS = EXTRACTOR.extensions
FIXTURE_DIRS = [ROOT / "fixtures" / "javascript", ROOT / "fixtures" / "polyglot" / "checkout"]
FILES = sorted(p for d in FIXTURE_DIRS for p in d.rglob("*") if p.is_file() and p.name.endswith(EXTENSIONS))


def test_fixtures_exist():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "fixtures/javascript/axios/risk_client.ts" in names
    assert "fixtures/polyglot/checkout/src/riskClient.ts" in names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_annotated_fixture(path: Path):
    rel = path.relative_to(ROOT).as_posix()
    result = EXTRACTOR.extract(rel, path.read_bytes())
    assert check_annotations(result.findings, path, rel) == []
    assert [e for e in result.errors if e.kind != "parse_error"] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_prefilter_misses_nothing(path: Path):
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes()), f"prefilter would skip {path}"
