"""Every tree-sitter query of the Python extractor compiles against the pinned grammar."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import treesitter as T

QUERIES = sorted((Path(__file__).resolve().parents[3] / "extractors" / "python" / "queries").glob("*.scm"))


def test_there_are_queries() -> None:
    assert QUERIES


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_query_compiles(path: Path) -> None:
    query = T.load_query("python", str(path))
    assert query.pattern_count > 0


def test_structure_query_captures_roles() -> None:
    query = T.load_query("python", str(QUERIES[0].parent / "structure.scm"))
    tree = T.parse("python", b"import a\nfor i in range(3):\n    try:\n        f(i)\n    except E:\n        pass\n")
    found = T.captures(query, tree.root_node)
    assert {k: len(v) for k, v in found.items() if k in ("call", "import", "loop", "try")} == {
        "call": 2, "import": 1, "loop": 1, "try": 1}
