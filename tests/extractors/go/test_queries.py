"""Every .scm of the Go extractor compiles against the pinned grammar and captures what it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import treesitter as ts

QUERIES = sorted((Path(__file__).resolve().parents[3] / "extractors" / "go" / "queries").glob("*.scm"))


def test_there_are_queries():
    assert {q.stem for q in QUERIES} >= {"calls", "composites_all", "keyed_elements", "field_assignments",
                                         "loops", "declarations", "imports"}


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.name)
def test_query_compiles(query: Path):
    compiled = ts.load_query("go", str(query))
    assert compiled.pattern_count >= 1


def test_calls_query_captures_callee_and_args():
    tree = ts.parse("go", b'package p\nfunc f() { http.Get("u") }\n')
    q = ts.load_query("go", str(QUERIES[0].parent / "calls.scm"))
    (match,) = ts.matches(q, tree.root_node)
    assert ts.text(match["callee"][0]) == "http.Get"
    assert ts.text(match["args"][0]) == '("u")'


def test_keyed_elements_query_captures_key_and_value():
    tree = ts.parse("go", b"package p\nvar c = &http.Client{Timeout: 2 * time.Second}\n")
    q = ts.load_query("go", str(QUERIES[0].parent / "keyed_elements.scm"))
    (match,) = ts.matches(q, tree.root_node)
    assert ts.text(match["key"][0]) == "Timeout"
    assert ts.text(match["value"][0]) == "2 * time.Second"
