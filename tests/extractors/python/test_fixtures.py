"""Every annotated fixture under fixtures/python matches its `# expect:` / `# ok:` comments exactly,
and passes the extractor's prefilter when it expects anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.python.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "python"
FILES = sorted(p for p in FIXTURES.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_fixture_annotations(path: Path) -> None:
    result = EXTRACTOR.extract(_rel(path), path.read_bytes())
    assert [e for e in result.errors if e.kind != "parse_error"] == []
    assert check_annotations(result.findings, path, _rel(path)) == []


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_prefilter_keeps_every_fixture_with_findings(path: Path) -> None:
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


def test_fixture_set_is_not_empty() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_one_setting_is_reported_once(path: Path) -> None:
    result = EXTRACTOR.extract(_rel(path), path.read_bytes())
    keys = [(f.kind, f.line, f.attributes.get("phase"), f.attributes.get("expression"))
            for f in result.findings if f.kind == "timeout"]
    assert len(keys) == len(set(keys))
