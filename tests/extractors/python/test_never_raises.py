"""Property: extraction is total. Any bytes give a FileResult whose only errors are parse errors,
and mangling a realistic fixture (cutting it, splicing its lines) never makes a detector fail."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.python.extractor import EXTRACTOR

FIXTURES = sorted((Path(__file__).resolve().parents[3] / "fixtures" / "python").rglob("*.py"))
LINES = [line for p in FIXTURES for line in p.read_text(encoding="utf-8", errors="replace").splitlines()]


def _assert_clean(data: bytes) -> None:
    result = EXTRACTOR.extract("svc/fuzz.py", data)
    assert result.path == "svc/fuzz.py"
    assert [e for e in result.errors if e.kind != "parse_error"] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _assert_clean(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=40))
def test_spliced_fixture_lines(lines: list[str]) -> None:
    _assert_clean("\n".join(lines).encode())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.integers(min_value=0, max_value=5000))
def test_truncated_fixtures(path: Path, cut: int) -> None:
    data = path.read_bytes()
    _assert_clean(data[: cut % (len(data) + 1)])
