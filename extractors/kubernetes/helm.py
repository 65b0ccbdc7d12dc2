"""Helm charts: a chart's default values (``values.yaml``) and the ``{{ .Values.x }}`` references of
its templates, joined by the pipeline's resolver.

A template's placeholder becomes ``Pending(<attribute>, expr)`` where ``expr`` refers to the symbol
``helm:<chart dir>:Values.<dotted key>``; the chart's ``values.yaml`` publishes one symbol per
scalar leaf under the same name (the chart directory in the name keeps two charts of one
repository apart). Filters: ``| quote``, ``| toString``, ``| int`` keep the value; ``| default X``
gives the fallback. Anything else (``include``, ``tpl``, a range variable ``{{ .port }}``) stays
unresolved.
"""

from __future__ import annotations

import posixpath
import re

import yaml

from contract_discovery.values import Call, Expr, Num, Ref, Str

MAX_SYMBOLS = 5000
MAX_DEPTH = 12

_VALUES_FILE = re.compile(r"(?:^|/)values\.ya?ml$")
_PLACEHOLDER = re.compile(
    r"^\{\{-?\s*\$?\.Values\.([A-Za-z0-9_.]+)\s*((?:\|\s*(?:quote|toString|int|int64|float64|"
    r"default\s+(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.]+))\s*)*)-?\}\}$")
_DEFAULT = re.compile(r"default\s+(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.]+)")

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader  # type: ignore[misc]


def is_values_file(path: str) -> bool:
    """A chart's default values: ``<chart>/values.yaml``."""
    return bool(_VALUES_FILE.search(path))


_ENVIRONMENT_VALUES = re.compile(r"(?:^|/)(?:values[-_.][\w.-]+|[\w.-]+[-_.]values)\.ya?ml$")


def is_environment_values_file(path: str) -> bool:
    """An environment's or a release's values (``values-production.yaml``, ``prod-values.yaml``):
    read for the settings it writes, not published as the chart's defaults."""
    return bool(_ENVIRONMENT_VALUES.search(path))


def chart_dir(path: str) -> str | None:
    """The chart a template belongs to: the folder holding its ``templates/`` folder."""
    padded = "/" + path
    index = padded.rfind("/templates/")
    if index < 0:
        return None
    return padded[1:index] if index > 0 else "."


def symbol(chart: str, key: str) -> str:
    return f"helm:{chart}:Values.{key}"


def values_symbols(path: str, data: bytes) -> dict[str, Expr]:
    """``helm:<chart>:Values.a.b`` -> the scalar at ``a.b`` of a chart's values.yaml (numbers as
    Num, text as Str); nested sequences are not entered. Never raises."""
    chart = posixpath.dirname(path) or "."
    try:
        root = yaml.compose(data.decode("utf-8", "replace"), Loader=_Loader)
    except Exception:  # noqa: BLE001 - values that do not parse publish nothing
        return {}
    out: dict[str, Expr] = {}
    lines = data.decode("utf-8", "replace").splitlines()
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    seen: set[int] = set()
    while stack and len(out) < MAX_SYMBOLS:
        node, prefix, depth = stack.pop()
        if not isinstance(node, yaml.MappingNode) or id(node) in seen or depth > MAX_DEPTH:
            continue
        seen.add(id(node))
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or not re.fullmatch(r"[A-Za-z0-9_-]+", key.value):
                continue
            name = f"{prefix}.{key.value}" if prefix else key.value
            if isinstance(value, yaml.MappingNode):
                stack.append((value, name, depth + 1))
            elif isinstance(value, yaml.ScalarNode) and value.tag != "tag:yaml.org,2002:null":
                text = value.value
                if value.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
                    try:
                        out[symbol(chart, name)] = Num(float(text))
                        unit = _comment_unit(lines, key.start_mark.line) if _TIMEISH.search(key.value) else None
                        if unit is not None:
                            out[f"helm-unit:{chart}:Values.{name}"] = Num(unit)
                        continue
                    except ValueError:
                        pass
                out[symbol(chart, name)] = Str(text)
    return out


_TIMEISH = re.compile(r"timeout|deadline|ttl|interval|delay|duration|period|wait|time", re.I)
_UNIT_WORDS = ((re.compile(r"\bmilli-?\s?seconds?\b|\bin ms\b|\(ms\)|\bmsecs?\b", re.I), 1.0),
               (re.compile(r"\bminutes?\b|\bin mins?\b", re.I), 60000.0),
               (re.compile(r"\bhours?\b", re.I), 3600000.0),
               (re.compile(r"\bseconds?\b|\bin secs?\b|\(s\)", re.I), 1000.0))


def _comment_unit(lines: list[str], index: int) -> float | None:
    """The unit (ms per unit) a values.yaml comment gives the number on line ``index`` (0-based):
    the comment after the value (``timeout: 3 # in seconds``), else the comment lines right above
    the key, nearest first (``# timeout is in seconds``)."""
    texts = []
    if 0 <= index < len(lines) and " #" in lines[index]:
        texts.append(lines[index].split(" #", 1)[1])
    above = index - 1
    while above >= 0 and len(texts) < 4 and lines[above].strip().startswith("#"):
        texts.append(lines[above].strip().lstrip("#"))
        above -= 1
    for text in texts:
        for pattern, unit in _UNIT_WORDS:
            if pattern.search(text):
                return unit
    return None


def _literal(text: str) -> Expr:
    if text[:1] in "\"'":
        return Str(text[1:-1])
    try:
        return Num(float(text))
    except ValueError:
        return Str(text)


def placeholder_expr(path: str, text: str | None) -> Expr | None:
    """The value a template placeholder stands for (``{{ .Values.timeout | quote }}``), or None
    when it is not a plain reference to the chart's values."""
    chart = chart_dir(path)
    if chart is None or not text:
        return None
    text = text.strip().strip("\"'").strip()
    m = _PLACEHOLDER.match(text)
    if m is None:
        return None
    expr: Expr = Ref(symbol(chart, m.group(1)))
    default = _DEFAULT.search(m.group(2) or "")
    if default is not None:
        expr = Call("coalesce", (expr, _literal(default.group(1))))
    return expr


def duration_expr(path: str, text: str | None, bare_ms: float = 1000.0) -> Expr | None:
    """A placeholder holding a duration (``"60s"``, or a bare number of seconds), in ms."""
    expr = placeholder_expr(path, text)
    if expr is None:
        return None
    return Call("duration_ms", (expr,), (("bare", Num(bare_ms)),))


_TEMPLATE_DIRECTIVE = re.compile(r"^[ \t]*\{\{.*\}\}[ \t]*$")
_TEMPLATE_COMMENT_OPEN = re.compile(r"\{\{-?\s*/\*")


def rendered_lines(lines: list[str], first: int, last: int):
    """(number, line) of lines ``first``..``last`` (1-based, inclusive) that hold YAML a template
    renders: not inside a ``{{/* ... */}}`` comment, not blank, not a ``#`` comment, not a line that
    is only a directive (``{{- if .Values.x }}``)."""
    in_comment = False
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        line = lines[number - 1]
        if in_comment:
            in_comment = "*/" not in line
            continue
        opening = _TEMPLATE_COMMENT_OPEN.search(line)
        if opening is not None and "*/" not in line[opening.end():]:
            in_comment = True
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _TEMPLATE_DIRECTIVE.match(line):
            continue
        yield number, line
