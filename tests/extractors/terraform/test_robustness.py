"""The Terraform extractor never raises: random bytes and fixtures cut or spliced at random points."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from contract_discovery.model import FileResult
from extractors.terraform.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "terraform").rglob("*.tf"))]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    assert isinstance(EXTRACTOR.extract("fuzz.tf", data), FileResult)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SOURCES), st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000),
       st.sampled_from([b"", b"{", b"}", b"\"", b"${", b"<<EOT\n", b"= =", b"\x00", b"\n}\n}\n"]))
def test_mutated_fixtures(source: bytes, cut: int, splice: int, junk: bytes) -> None:
    data = source[:cut % (len(source) + 1)] + junk + source[splice % (len(source) + 1):]
    result = EXTRACTOR.extract("fuzz/main.tf", data)
    assert isinstance(result, FileResult)
    for finding in result.findings:
        assert finding.line >= 1 and finding.attributes.get("resource")
