"""End to end: the bundled monorepos scanned through the whole pipeline (cross-file resolution,
URL -> service mapping) match their `expect:` annotations exactly."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from contract_discovery.pipeline import scan
from contract_discovery.registry import extractors_for

from tests.annotations import check_annotations, read_annotations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOTS = ["monorepo", "polyglot"]


@lru_cache(maxsize=None)
def scanned(name: str):
    return scan(FIXTURES / name, jobs=1)


def annotated(name: str):
    root = FIXTURES / name
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and "/contracts/" not in f"/{rel}" and extractors_for(rel):
            expects, oks = read_annotations(path)
            if expects or oks:
                yield pytest.param(name, rel, id=f"{name}/{rel}")


@pytest.mark.parametrize("name,rel", [p for n in ROOTS for p in annotated(n)])
def test_annotations_hold_through_the_pipeline(name, rel):
    result = scanned(name)
    problems = check_annotations(result.findings, FIXTURES / name / rel, relpath=rel)
    if name == "polyglot":
        # Those annotations state what one file shows alone (values a later step resolves are
        # written as None there); across the pipeline only the (kind, line) sets must hold.
        problems = [p for p in problems if not p.startswith("wrong value")]
    assert problems == []


def test_monorepo_services_and_no_errors():
    result = scanned("monorepo")
    assert [(s.name, s.languages) for s in result.services] == [
        ("checkout", ("python",)), ("orders", ("python",)), ("payment", ("python",)), ("risk", ("python",)),
        ("support", ("python",))]
    assert result.errors == ()
