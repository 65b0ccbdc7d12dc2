from __future__ import annotations

from pathlib import Path

import pytest

from extractors.go.extractor import EXTRACTOR

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "fixtures" / "go"
ORDERS = REPO / "fixtures" / "polyglot" / "orders"


def extract_text(source: str, path: str = "svc/x.go"):
    return EXTRACTOR.extract(path, source.encode("utf-8"))


@pytest.fixture
def extract():
    return extract_text
