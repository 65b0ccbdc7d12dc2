from __future__ import annotations

from pathlib import Path

import pytest

from extractors.javascript.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]


def extract_text(source: str, path: str = "example.ts"):
    """Findings of an inline example (dedent-free: write examples flush left)."""
    return EXTRACTOR.extract(path, source.encode("utf-8"))


@pytest.fixture
def extract():
    return extract_text
