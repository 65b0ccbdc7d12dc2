"""Plumbing the Java and Kotlin extractors share (their library tables live in ``extractors.java.jvm``).

* ``load_query`` / ``parse_number`` / ``name_location``: the small syntax helpers both views use.
* ``SourceLines``: the ``evidence`` and ``within`` methods of ``JavaFile`` and ``KotlinFile``.
* ``extract_jvm``: parse once, run every detector in isolation under the file's symbols, report a
  syntax error as an ErrorEntry, return the FileResult. Extraction never raises.
* ``FLIPPED``, ``bound_of`` and ``request_key``: reading retry bounds from comparisons and telling
  which request an interceptor sends, for the retry detectors of both languages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from contract_discovery.model import ErrorEntry, FileResult
from contract_discovery.values import BinOp, Expr, Num
from extractors import treesitter as ts


def load_query(grammar: str, folder: Path, name: str):
    return ts.load_query(grammar, str(folder / name))


def parse_number(text: str, suffixes: str, hex_suffixes: str) -> float | None:
    """A numeric literal without ``_`` separators and type suffixes (``10_000L``, ``0x1F``, ``2.5f``)."""
    t = text.replace("_", "")
    is_hex = t.lower().startswith("0x")
    t = t.rstrip(hex_suffixes if is_hex else suffixes)
    try:
        return float(int(t, 16)) if is_hex else float(t)
    except ValueError:
        return None


def name_location(node: ts.Node, name_node: ts.Node) -> tuple[int, int, int, int]:
    """Where a chained call sits: from its name to the end of the call (a multi-line builder chain
    reports each setter on its own line)."""
    line, col, _, _ = ts.location(name_node)
    _, _, end_line, end_col = ts.location(node)
    return line, col, end_line, end_col


class SourceLines:
    """``evidence``/``within`` for a parsed file view with ``data`` and a ``_lines`` cache."""

    data: bytes
    _lines: list[bytes] | None

    def evidence(self, node: ts.Node) -> str:
        """The source line a node starts on, trimmed (the finding's evidence)."""
        if self._lines is None:
            self._lines = self.data.split(b"\n")
        line = node.start_point[0]
        lines = self._lines
        return lines[line].decode("utf-8", errors="replace").strip()[:200] if line < len(lines) else ""

    def within(self, node: ts.Node, scope: ts.Node) -> bool:
        return scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte


def extract_jvm(language: str, path: str, data: bytes, parse: Callable, detectors: Iterable,
                error_line: Callable, error_text: str) -> FileResult:
    """One parse (``parse(path, data, sink)`` -> view), every detector module's ``detect(view)`` with
    the file's constants in scope; one detector's failure is an ErrorEntry and never loses the others."""
    from extractors.java.jvm import FindingSink, file_symbols

    sink = FindingSink(path, language)
    try:
        view = parse(path, data, sink)
    except Exception as exc:  # noqa: BLE001 - extraction never raises
        return FileResult(path=path, language=language,
                          errors=(ErrorEntry(path, "parse_error", f"{language}: {exc!r}"),))
    with file_symbols(view.symbols):
        for module in detectors:
            try:
                module.detect(view)
            except Exception as exc:  # noqa: BLE001 - one detector's failure never loses the others
                sink.errors.append(ErrorEntry(path, "extractor_error", f"{module.ID}: {exc!r}"))
    line = error_line(view.tree)
    if line is not None:
        sink.errors.append(ErrorEntry(path, "parse_error", error_text, line=line))
    findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
    return FileResult(path=path, language=language, findings=findings, symbols=dict(view.symbols),
                      imports=dict(view.imports), module=view.package, errors=tuple(sink.errors))


# A comparison read the other way round: `N > attempt` is `attempt < N`.
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def bound_of(op: str, bound: Expr) -> Expr | None:
    """Total tries from a test on a counter of past tries (from 0) that either allows another try
    (``attempt < 3`` -> 4: tries 0, 1, 2 are retried; ``attempt <= 3`` -> 5) or stops them
    (``attempt >= 3`` -> 4, ``attempt > 3`` -> 5)."""
    if op in ("<", ">="):
        return BinOp("+", bound, Num(1.0))
    if op in ("<=", ">"):
        return BinOp("+", bound, Num(2.0))
    return None


_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def request_key(text: str, values: dict[str, str]) -> str:
    """Which request an interceptor's ``proceed(...)`` argument sends, following local variables
    back (``values``: name -> initializer text): ``original``, ``original.newBuilder()...`` and a
    local built from it all name ``original``'s source; ``Api.refreshRequest(token)`` is another
    request (``Api.refreshRequest``)."""
    values = dict(values)
    key = text.strip()
    text = key
    for _ in range(4):
        m = _DOTTED.match(text)
        dotted = m.group(0) if m else text
        first = dotted.split(".")[0]
        key = first if first[:1].islower() and ("." in dotted or dotted == text) else dotted
        if key not in values:
            return key
        text = values.pop(key).strip()
    return key
