"""The prefilter may skip a file only if it cannot hold a finding: every fixture file with an
expected finding must pass the prefilter of the extractor that claims it."""

from pathlib import Path

import pytest

from contract_discovery.registry import extractors_for

from tests.annotations import read_annotations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def annotated_files():
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.stat().st_size < 1_000_000:
            rel = path.relative_to(FIXTURES).as_posix()
            if not extractors_for(rel):
                continue
            expects, _ = read_annotations(path)
            if expects:
                yield pytest.param(path, id=rel)


@pytest.mark.parametrize("path", list(annotated_files()))
def test_prefilter_passes_every_file_with_an_expected_finding(path):
    data = path.read_bytes()
    rel = path.relative_to(FIXTURES).as_posix()
    passing = [e.name for e in extractors_for(rel) if e.prefilter(data)]
    assert passing, f"{rel} holds expected findings but no extractor's prefilter lets it through"
