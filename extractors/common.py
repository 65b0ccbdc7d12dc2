"""Plumbing every tree-sitter extractor repeats: parse with a syntax-error entry, run the
detectors so that one detector's bug costs only its own findings, drop duplicate findings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from contract_discovery.model import ErrorEntry, Finding
from contract_discovery.values import Expr
from extractors import treesitter as ts


def innermost_error(tree) -> tuple[int, int] | None:
    """1-based position of the first ERROR/MISSING node that holds no other one.

    Some grammars (tree-sitter-ruby) wrap a whole class in one ERROR node when a single ``(`` is
    left open; the innermost node points at the line that is actually broken.
    """
    root = tree.root_node
    if not root.has_error:
        return None
    stack = [root]
    while stack:  # pre-order, entering only subtrees that hold an error or a missing node
        node = stack.pop()
        if node.is_missing or (node.is_error and not any(c.has_error or c.is_missing for c in node.children)):
            return node.start_point[0] + 1, node.start_point[1] + 1
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return ts.first_error(tree)


def parse_checked(grammar: str, path: str, data: bytes, label: str):
    """(tree, errors): the tree (None if the parser itself failed) and a ``parse_error`` entry
    at the first broken line, if any; the intact parts of the tree are still usable."""
    try:
        tree = ts.parse(grammar, data)
    except Exception as exc:  # pragma: no cover - tree-sitter does not raise on bad input
        return None, [ErrorEntry(path, "parse_error", f"{label} parser failed: {exc}")]
    errors: list[ErrorEntry] = []
    problem = innermost_error(tree)
    if problem is not None:
        errors.append(ErrorEntry(path, "parse_error", f"syntax error at line {problem[0]}, column {problem[1]}",
                                 line=problem[0]))
    return tree, errors


def run_detectors(detectors: Iterable[Callable], file, path: str, label: str, errors: list[ErrorEntry],
                  log: logging.Logger) -> list[Finding]:
    """Every detector's findings; a detector that raises becomes an ``extractor_error`` entry."""
    findings: list[Finding] = []
    for run in detectors:
        try:
            findings.extend(run(file))
        except Exception as exc:  # a detector bug must not cost the other detectors' findings
            log.debug("%s detector %s failed on %s", label, getattr(run, "detector_id", run), path, exc_info=True)
            errors.append(ErrorEntry(path, "extractor_error",
                                     f"{getattr(run, 'detector_id', label)}: {type(exc).__name__}: {exc}"))
    return findings


def dedupe(findings: Iterable[Finding], sort: bool = False) -> list[Finding]:
    """The findings without repeats (same sort key), in their order or sorted."""
    seen, unique = set(), []
    for finding in (sorted(findings, key=Finding.sort_key) if sort else findings):
        key = finding.sort_key()
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


@dataclass(frozen=True)
class Url:
    """What is known of a URL: a literal, or an expression the pipeline resolves, plus a path."""

    literal: str | None = None
    expr: Expr | None = None
    path: str | None = None

    def joined(self, path: str | None) -> "Url":
        if path is None:
            return self
        if path.startswith(("http://", "https://")):
            return Url(literal=path)
        if self.literal is not None:
            return Url(literal=self.literal.rstrip("/") + "/" + path.lstrip("/"), path=path)
        return Url(expr=self.expr, path=path)
