"""Every .scm query of the JavaScript extractor compiles against all three grammars it is used with."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import treesitter as ts
from extractors.javascript.context import QUERY_DIR, grammar_for

QUERIES = sorted(QUERY_DIR.glob("*.scm"))


def test_queries_present():
    assert {q.stem for q in QUERIES} >= {"calls", "imports", "loops", "assignments", "properties"}


@pytest.mark.parametrize("grammar", ["javascript", "typescript", "tsx"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.name)
def test_query_compiles(query: Path, grammar: str):
    compiled = ts.compile_query(grammar, query.read_text(encoding="utf-8"))
    assert compiled.pattern_count >= 1


@pytest.mark.parametrize("path,grammar", [
    ("a.js", "javascript"), ("a.mjs", "javascript"), ("a.cjs", "javascript"), ("a.jsx", "javascript"),
    ("a.ts", "typescript"), ("a.mts", "typescript"), ("a.cts", "typescript"), ("src/App.tsx", "tsx"),
])
def test_grammar_by_extension(path: str, grammar: str):
    assert grammar_for(path) == grammar
