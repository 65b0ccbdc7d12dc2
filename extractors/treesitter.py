"""The one module that imports ``tree_sitter``: grammars, parsing, queries, and the call-site view.

Every language extractor reads syntax through this adapter, so a Go and a Python
timeout detector look alike: they receive ``CallSite`` records (callee name,
positional and keyword arguments with their text and node) and decide context
by walking parents.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import tree_sitter as ts

Node = ts.Node
Tree = ts.Tree

# grammar name -> (module, function returning the language pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "c_sharp": ("tree_sitter_c_sharp", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "hcl": ("tree_sitter_hcl", "language"),
}


@lru_cache(maxsize=None)
def language(name: str) -> ts.Language:
    module_name, func = _GRAMMARS[name]
    module = importlib.import_module(module_name)
    return ts.Language(getattr(module, func)())


@lru_cache(maxsize=None)
def _parser(name: str) -> ts.Parser:
    return ts.Parser(language(name))


def parse(name: str, data: bytes) -> ts.Tree:
    return _parser(name).parse(data)


@lru_cache(maxsize=None)
def compile_query(name: str, source: str) -> ts.Query:
    return ts.Query(language(name), source)


@lru_cache(maxsize=None)
def load_query(name: str, path: str) -> ts.Query:
    """Compile the ``.scm`` file at ``path`` (absolute, or relative to this package) for grammar ``name``."""
    file = Path(path)
    if not file.is_absolute():
        file = Path(__file__).parent / file
    return compile_query(name, file.read_text(encoding="utf-8"))


def captures(query: ts.Query, node: ts.Node) -> dict[str, list[ts.Node]]:
    return ts.QueryCursor(query).captures(node)


def matches(query: ts.Query, node: ts.Node) -> list[dict[str, list[ts.Node]]]:
    return [m for _, m in ts.QueryCursor(query).matches(node)]


def text(node: ts.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def location(node: ts.Node) -> tuple[int, int, int, int]:
    """1-based (line, column, end_line, end_column) of a node; columns count bytes + 1."""
    (sl, sc), (el, ec) = node.start_point, node.end_point
    return sl + 1, sc + 1, el + 1, ec + 1


def first_error(tree: ts.Tree) -> tuple[int, int] | None:
    """1-based (line, column) of the first ERROR or MISSING node, or None if the tree is clean."""
    root = tree.root_node
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return node.start_point[0] + 1, node.start_point[1] + 1
        # Visit children in source order: push reversed.
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return root.start_point[0] + 1, 1


def ancestors(node: ts.Node) -> Iterator[ts.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


_TREE_MEMO: tuple = (None, {})  # the last tree asked about (its root) and what was kept for it


def tree_memo(root: ts.Node, key: str, build):
    """``build(root)`` once per tree and ``key``: a file's detectors ask the same whole-tree question
    many times, and one file is analysed at a time (the last tree's answers are kept)."""
    last, memo = _TREE_MEMO
    if last is None or last != root:
        memo = {}
        globals()["_TREE_MEMO"] = (root, memo)  # one tuple: a reader sees the old pair or the new
    if key not in memo:
        memo[key] = build(root)
    return memo[key]


def walk(node: ts.Node) -> Iterator[ts.Node]:
    """Pre-order walk without recursion (deeply nested code must not hit Python's limit). A walk of a
    whole tree is kept for the next one of the same tree: a file's detectors walk it dozens of times,
    and a list is many times faster to go through than a cursor."""
    if node.parent is None:
        return iter(tree_memo(node, "walk", lambda root: list(_walk(root))))
    return _walk(node)


def _walk(node: ts.Node) -> Iterator[ts.Node]:
    cursor = node.walk()
    visited_children = False
    while True:
        if not visited_children:
            yield cursor.node  # type: ignore[misc]
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
            continue
        if not cursor.goto_parent():
            return
        visited_children = True


@dataclass
class Arg:
    """One argument at a call site: its node, its source text and, where known, its keyword."""

    node: ts.Node
    text: str
    keyword: str | None = None


@dataclass
class CallSite:
    """A language-neutral view of a call: ``callee`` is the dotted source text of the function
    (``requests.get``, ``self.session.post``, ``http.Client``); ``qualified`` the same with the
    file's imports applied (``from requests import get`` makes ``get`` -> ``requests.get``)."""

    node: ts.Node
    callee: str
    qualified: str
    args: list[Arg] = field(default_factory=list)
    kwargs: dict[str, Arg] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The last component of the callee (``post`` for ``self.session.post``)."""
        return self.qualified.rsplit(".", 1)[-1]

    @property
    def receiver(self) -> str:
        """Everything before the last component (``self.session`` for ``self.session.post``)."""
        return self.callee.rsplit(".", 1)[0] if "." in self.callee else ""

    def arg(self, keyword: str, position: int | None = None) -> Arg | None:
        if keyword in self.kwargs:
            return self.kwargs[keyword]
        if position is not None and position < len(self.args):
            return self.args[position]
        return None

    def location(self) -> tuple[int, int, int, int]:
        return location(self.node)

    @property
    def evidence(self) -> str:
        first_line = text(self.node).splitlines()[0] if self.node.text else ""
        return first_line.strip()[:200]
