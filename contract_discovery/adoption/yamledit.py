"""Additions to a hand-written YAML file that leave every existing byte where it was.

A contract file is edited by people; ``init`` may only *add* to it. Rather than
re-serialising the whole document (round-trip libraries such as ruamel.yaml keep
comments but still normalise indentation, quoting and line wrapping here and there),
the file is composed once for positions and each addition is spliced in as text at
the end of the block it belongs to, in that block's indentation and line endings.
The result is parsed again and must contain exactly the old data plus the additions,
otherwise nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class EditError(ValueError):
    """The file cannot be extended safely (flow style, odd layout): the caller reports it."""


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def scalar_text(value: Any) -> str:
    """A value as it reads after ``key: `` in block YAML, quoted only when it must be
    (``p95 < 200ms`` and ``15-30s typical, 60s max`` stay plain); mappings and lists in flow style."""
    if isinstance(value, (dict, list)):
        dumped = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True, sort_keys=False)
        return dumped.strip()
    dumped = yaml.safe_dump({"k": value}, default_flow_style=False, width=10_000, allow_unicode=True)
    return dumped[len("k: "):].rstrip("\n")


def flow_text(value: Any) -> str:
    """A value as it must read inside ``{...}`` or ``[...]`` (commas and colons quoted)."""
    dumped = yaml.safe_dump([value], default_flow_style=True, width=10_000, allow_unicode=True, sort_keys=False)
    dumped = dumped.strip()
    if dumped.endswith("..."):
        dumped = dumped[:-3].strip()
    return dumped[1:-1]


@dataclass
class Line:
    """One line of new text: a ``key: value`` (or ``- key: value``) with an optional comment."""

    text: str
    comment: str | None = None
    # The pair behind ``text``, for the rare one-line (flow) mapping or list that must take it.
    pair: tuple[Any, Any] | None = None

    @classmethod
    def field(cls, key: Any, value: Any, comment: str | None = None) -> "Line":
        return cls(f"{scalar_text(key)}: {scalar_text(value)}", comment, (key, value))

    def flow(self) -> str | None:
        return None if self.pair is None else f"{flow_text(self.pair[0])}: {flow_text(self.pair[1])}"

    def render(self, indent: int) -> str:
        out = " " * indent + self.text
        if self.comment:
            out += ("  # " if self.text else "# ") + self.comment
        return out


def render_mapping_lines(item: dict, comments: dict[str, str], todos: list[str], first_comment: str | None) -> list[Line]:
    """A mapping as block lines (nested mappings as flow), relative indentation 0."""
    lines: list[Line] = []
    for i, (key, value) in enumerate(item.items()):
        comment = comments.get(key)
        if i == 0 and first_comment and not comment:
            comment = first_comment
        lines.append(Line.field(key, value, comment))
    for todo in todos:
        lines.append(Line("", f"TODO {todo}"))
    return lines


def _last_offset(node: yaml.Node, text: str) -> int:
    """The offset just after the last character of ``node``'s content (before any comment)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_offset(node.value[-1][1], text)
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_offset(node.value[-1], text)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        # A block scalar ends at the start of the line after its content.
        return node.end_mark.index - node.end_mark.column
    return node.end_mark.index


def _after_line(text: str, offset: int) -> int:
    """The start of the line after the one holding ``offset`` (``len(text)`` at the end)."""
    if offset > 0 and text[offset - 1] in "\r\n" and (offset >= len(text) or text[offset - 1] == "\n"):
        return offset
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def _skip_owned_comments(text: str, offset: int, min_indent: int) -> int:
    """Move past comment lines right below a block that are indented into it (they belong to it)."""
    while offset < len(text):
        end = text.find("\n", offset)
        line = text[offset:end if end >= 0 else len(text)].rstrip("\r")
        stripped = line.lstrip(" ")
        if not stripped.startswith("#") or len(line) - len(stripped) < min_indent:
            break
        offset = len(text) if end < 0 else end + 1
    return offset


@dataclass
class Editor:
    """Collects insertions into one file's text, then applies them bottom-up."""

    text: str
    inserts: list[tuple[int, int, str]] = field(default_factory=list)  # (offset, order, text)

    def __post_init__(self) -> None:
        self.nl = newline_of(self.text)
        try:
            self.docs = [d for d in yaml.compose_all(self.text, Loader=_Loader)]
        except yaml.YAMLError as exc:
            raise EditError(f"not valid YAML: {exc}") from None

    # --- locating ---------------------------------------------------------------------------------
    def _doc(self, index: int) -> yaml.MappingNode:
        docs = [d for d in self.docs if d is not None]
        if index >= len(docs) or not isinstance(docs[index], yaml.MappingNode):
            raise EditError("the document is not a mapping")
        return docs[index]

    @staticmethod
    def _get(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
        return None

    def _line_text(self, line: int) -> str:
        start = 0
        for _ in range(line):
            start = self.text.find("\n", start) + 1
        end = self.text.find("\n", start)
        return self.text[start:end if end >= 0 else len(self.text)].rstrip("\r")

    def _block_lines(self, offset: int, lines: list[str]) -> None:
        body = "".join(line + self.nl for line in lines)
        if offset >= len(self.text) and self.text and not self.text.endswith("\n"):
            body = self.nl + body
        self.inserts.append((offset, len(self.inserts), body))

    # --- additions ------------------------------------------------------------------------------------
    def add_fields(self, doc_index: int, section: str, item_index: int, lines: list[Line]) -> None:
        """Add ``key: value`` lines at the end of the mapping ``section[item_index]``."""
        doc = self._doc(doc_index)
        seq = self._get(doc, section)
        if not isinstance(seq, yaml.SequenceNode) or item_index >= len(seq.value):
            raise EditError(f"{section}[{item_index}] not found")
        item = seq.value[item_index]
        if not isinstance(item, yaml.MappingNode) or not item.value:
            raise EditError(f"{section}[{item_index}] is not a mapping")
        if item.flow_style:
            close = item.end_mark.index - 1
            if self.text[close] != "}":
                raise EditError(f"{section}[{item_index}]: cannot find the end of the one-line mapping")
            pairs = [line.flow() for line in lines if line.text]
            if any(p is None for p in pairs):
                raise EditError(f"{section}[{item_index}] is a one-line mapping")
            self.inserts.append((close, len(self.inserts), "".join(f", {p}" for p in pairs)))
            return
        indent = item.value[0][0].start_mark.column
        offset = _skip_owned_comments(self.text, _after_line(self.text, _last_offset(item, self.text)), indent)
        self._block_lines(offset, [line.render(indent) for line in lines])

    def add_entry(self, doc_index: int, section: str, lines: list[Line]) -> None:
        """Add a list entry (its lines relative to the entry) to ``section``, creating the section if absent."""
        doc = self._doc(doc_index)
        seq = self._get(doc, section)
        if seq is None:
            top = doc.value[0][0].start_mark.column if doc.value else 0
            if doc.flow_style:
                raise EditError("the document is a one-line mapping")
            offset = _skip_owned_comments(self.text, _after_line(self.text, _last_offset(doc, self.text)), top + 1)
            out = [" " * top + f"{section}:"]
            out += self._entry_lines(lines, top + 2, top + 4)
            self._block_lines(offset, out)
            return
        if not isinstance(seq, yaml.SequenceNode):
            raise EditError(f"{section} is not a list")
        if seq.flow_style:
            pairs = [line.flow() for line in lines if line.text]
            if any(p is None for p in pairs) or not pairs:
                raise EditError(f"{section} is a one-line list")
            close = seq.end_mark.index - 1
            if self.text[close] != "]":
                raise EditError(f"{section}: cannot find the end of the one-line list")
            # A one-line list takes a one-line entry (no room for comments there).
            entry = "{" + ", ".join(pairs) + "}"
            self.inserts.append((close, len(self.inserts), (", " if seq.value else "") + entry))
            return
        first = seq.value[0]
        content_col = first.start_mark.column
        dash_line = self._line_text(first.start_mark.line)
        dash_col = dash_line.rfind("-", 0, content_col)
        if dash_col < 0:
            raise EditError(f"{section}: cannot find the list's dash")
        offset = _skip_owned_comments(self.text, _after_line(self.text, _last_offset(seq, self.text)), content_col)
        self._block_lines(offset, self._entry_lines(lines, dash_col, content_col))

    @staticmethod
    def _entry_lines(lines: list[Line], dash_col: int, content_col: int) -> list[str]:
        out = []
        for i, line in enumerate(lines):
            if i == 0:
                out.append(" " * dash_col + "-" + " " * (content_col - dash_col - 1) + line.render(0))
            else:
                out.append(line.render(content_col))
        return out

    def result(self) -> str:
        text = self.text
        for offset, _, addition in sorted(self.inserts, key=lambda x: (x[0], x[1]), reverse=True):
            text = text[:offset] + addition + text[offset:]
        return text


def render_new_file(service: str, sections: list[tuple[str, list[list[Line]]]], header: list[str],
                    footer: list[str], nl: str = "\n") -> str:
    """A whole new contract file from rendered entries."""
    out = [f"# {h}" if h else "#" for h in header]
    out.append(f"service: {scalar_text(service)}")
    for section, entries in sections:
        out.append(f"{section}:")
        for lines in entries:
            out.extend(Editor._entry_lines(lines, 2, 4))
    out.extend(f"# {f}" for f in footer)
    return nl.join(out) + nl
