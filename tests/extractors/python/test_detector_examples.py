"""One harness for every Python detector's inline VALID / INVALID examples.

INVALID examples carry `# expect:` annotations that must match the detector's findings
exactly; VALID examples must yield nothing from that detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.base import DETECTORS
from extractors.python import detectors
from extractors.python.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations

detectors.load()
PYTHON = sorted((i for i in DETECTORS.values() if i.language == "python"), key=lambda i: i.id)
VALID = [(i.id, n, ex) for i in PYTHON for n, ex in enumerate(i.valid)]
INVALID = [(i.id, n, ex) for i in PYTHON for n, ex in enumerate(i.invalid)]


def _findings(source: str, detector_id: str):
    result = EXTRACTOR.extract("example.py", source.encode())
    assert [e for e in result.errors if e.kind != "parse_error"] == []
    return [f for f in result.findings if f.detector == detector_id]


def test_every_detector_has_both_kinds_of_example() -> None:
    assert len(PYTHON) >= 20
    for info in PYTHON:
        assert info.valid and info.invalid, info.id
        assert all(part in info.doc for part in ("What it does", "Why it matters", "Example")), info.id


@pytest.mark.parametrize("detector_id,number,source", VALID, ids=[f"{d}-valid-{n}" for d, n, _ in VALID])
def test_valid_example_yields_nothing(detector_id: str, number: int, source: str) -> None:
    assert [(f.line, f.kind, dict(f.attributes)) for f in _findings(source, detector_id)] == []


@pytest.mark.parametrize("detector_id,number,source", INVALID, ids=[f"{d}-invalid-{n}" for d, n, _ in INVALID])
def test_invalid_example_matches_its_annotations(detector_id: str, number: int, source: str, tmp_path: Path) -> None:
    path = tmp_path / "example.py"
    path.write_text(source, encoding="utf-8")
    expects, _ = read_annotations(path)
    assert expects, "an INVALID example must say what it expects"
    assert check_annotations(_findings(source, detector_id), path, "example.py") == []
