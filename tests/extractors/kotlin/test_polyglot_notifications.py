"""The notifications service (Kotlin, Ktor, OkHttp, Resilience4j) read as one service: constants
from Settings.kt settle values in the senders; build.gradle.kts is not scanned as service code."""

from __future__ import annotations

import pytest

from extractors.kotlin.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.java.support import FIXTURES, ROOT, extract_file
from tests.extractors.kotlin.support import resolve_kept

SERVICE = FIXTURES / "polyglot" / "notifications"
FILES = sorted(p for p in SERVICE.rglob("*") if p.is_file() and EXTRACTOR.claims(p.as_posix()))


@pytest.fixture(scope="module")
def findings():
    return resolve_kept([extract_file(EXTRACTOR, p) for p in FILES])


def test_gradle_script_not_claimed():
    assert SERVICE / "build.gradle.kts" not in FILES
    assert len(FILES) == 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(SERVICE).as_posix())
def test_annotations(findings, path):
    assert check_annotations(findings, path, path.relative_to(ROOT).as_posix()) == []
    expects, _ = read_annotations(path)
    assert EXTRACTOR.prefilter(path.read_bytes()) or not expects


def test_fresh_sms_id_per_attempt_but_stable_email_key(findings):
    fresh = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["retry_line"]) for f in findings
                   if f.kind == "new_id_per_attempt")
    assert fresh == [("SmsSender.kt", 23, 21)]
