"""Every annotated Java fixture yields exactly its `// expect:` findings and nothing on `// ok:` lines."""

from __future__ import annotations

import pytest

from extractors.java.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.java.support import FIXTURES, ROOT, extract_file, resolve

# fixtures/java/wrappers is a helper/caller pair read across files (tests/extractors/java/test_wrappers.py)
JAVA_FIXTURES = sorted(p for p in (FIXTURES / "java").rglob("*.java") if "wrappers" not in p.parts)


@pytest.mark.parametrize("path", JAVA_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_annotations(path):
    result = extract_file(EXTRACTOR, path)
    findings = resolve([result])
    assert check_annotations(findings, path, path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize("path", JAVA_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_prefilter_passes_every_fixture_with_expectations(path):
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())
