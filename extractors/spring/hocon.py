"""HOCON (Typesafe Config) files a JVM service loads from its classpath: ``application.conf``.

Round 12. The DataStax Java driver (and Akka, Play) read their settings from ``application.conf``
(``datastax-java-driver { basic.request.timeout = 20 seconds }``). ``read_hocon`` flattens the
file into ``Entry(dotted.key, value text, line)`` the way Typesafe Config does for the plain
forms: nested objects (``a { b { c = 1 } }`` and ``a.b { c = 1 }``), ``=``/``:``/no separator
before an object, comments (``#``, ``//``), quoted keys and values. Arrays, substitutions
(``${x}``) and includes are kept as text or skipped: the keys that hold timeouts are plain values.
"""

from __future__ import annotations

import re

from extractors.spring.config import Entry

_KEY = r'(?:"[^"]*"|[A-Za-z0-9_\-.]+)'
_OPEN = re.compile(rf"^(?P<key>{_KEY}(?:\s*\.\s*{_KEY})*)\s*[:=]?\s*\{{\s*$")
_PAIR = re.compile(rf"^(?P<key>{_KEY}(?:\s*\.\s*{_KEY})*)\s*[:=]\s*(?P<value>.*?)\s*,?\s*$")


def _strip_comment(line: str) -> str:
    """The line without a ``#`` or ``//`` comment (outside double quotes)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and (ch == "#" or line.startswith("//", i)):
            return line[:i]
    return line


def _key_parts(key: str) -> list[str]:
    return [p.strip().strip('"') for p in re.findall(r'"[^"]*"|[^.]+', key) if p.strip()]


def read_hocon(text: str) -> list[Entry]:
    """The file's leaves as dotted keys with their values' text and lines (simple forms only)."""
    entries: list[Entry] = []
    stack: list[list[str]] = []  # the key path each open object adds
    depth_in_array = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if depth_in_array:
            depth_in_array += line.count("[") - line.count("]")
            depth_in_array = max(depth_in_array, 0)
            continue
        if line.startswith("include "):
            continue
        while line.startswith("}"):
            if stack:
                stack.pop()
            line = line[1:].lstrip(" ,")
        if not line:
            continue
        m = _OPEN.match(line)
        if m:
            stack.append(_key_parts(m.group("key")))
            continue
        m = _PAIR.match(line)
        if m is None:
            continue
        value = m.group("value")
        if value.startswith("["):
            depth_in_array = value.count("[") - value.count("]")
            value_text = value
        else:
            value_text = value.strip().strip('"')
        if value.endswith("}") and "{" in value:
            # `a { b = 1 }` on one line: its one pair
            inner = re.match(r"^\{\s*(?P<k>" + _KEY + r")\s*[:=]\s*(?P<v>[^}]*?)\s*\}$", value)
            if inner is None:
                continue
            path = [p for part in stack for p in part] + _key_parts(m.group("key")) + _key_parts(inner.group("k"))
            entries.append(Entry(".".join(path), inner.group("v").strip().strip('"'), number))
            continue
        path = [p for part in stack for p in part] + _key_parts(m.group("key"))
        entries.append(Entry(".".join(path), value_text, number))
    return entries
