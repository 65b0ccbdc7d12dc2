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
    r"^\{\{-?\s*(?:(?:quote|toString|int|int64|float64)\s+)?"
    r"(?P<first>default\s+(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_][A-Za-z0-9_.]*)\s+)?"
    r"\$?\.Values\.([A-Za-z0-9_.]+)\s*((?:\|\s*(?:quote|toString|int|int64|float64|"
    r"default\s+(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.]+))\s*)*)-?\}\}$")
_DEFAULT = re.compile(r"default\s+(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.]+)")
_INCLUDE = re.compile(r"^\{\{-?\s*(?:include|template)\s+\"([A-Za-z0-9_.-]+)\"\s+\$?\.?\s*"
                      r"(?:\|\s*(?:quote|toString|int|int64|float64|trim|nindent\s+\d+|indent\s+\d+)\s*)*-?\}\}$")

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


ENVIRONMENT = "helm-env:"  # an environment's values file's leaves: `helm-env:<chart>:Values.a.b`


def values_symbols(path: str, data: bytes, environment: bool = False) -> dict[str, Expr]:
    """``helm:<chart>:Values.a.b`` -> the scalar at ``a.b`` of a chart's values.yaml (numbers as
    Num, text as Str); nested sequences are not entered. Never raises. ``environment``: an
    environment's values file beside the chart's (``values-prod.yaml``): ``helm-env:`` names, which
    the resolver compares across the chart's environments as it does tfvars files."""
    out = _values_symbols(path, data)
    if environment:
        return {"helm-env:" + name[len("helm:"):]: expr for name, expr in out.items() if name.startswith("helm:")}
    return out


def _values_symbols(path: str, data: bytes) -> dict[str, Expr]:
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
                if value.tag == "tag:yaml.org,2002:bool":
                    # a flag a template tests (`{{- if .Values.kafka.enabled }}`): 1 / 0, so that
                    # `false` is falsy where a define's branches are chosen
                    out[symbol(chart, name)] = Num(1.0 if text.lower() in ("true", "yes", "on") else 0.0)
                    continue
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


def unit_of_text(text: str) -> float | None:
    """The unit (ms per unit) a comment or a description names: "in seconds", "milliseconds",
    "minutes", "hours"; None when it names none."""
    for pattern, unit in _UNIT_WORDS:
        if pattern.search(text):
            return unit
    return None


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
    # (round 18, lead) a comment saying the unit outright ("in seconds", "(seconds)") wins over a nearer line
    # naming a unit in passing: netbox's "# Maximum execution time ..., in seconds." above "# Default value
    # 300 is 5 minutes" is seconds
    for text in texts:
        m = _EXPLICIT_UNIT.search(text)
        if m is not None:
            return unit_of_text(m.group(0))
    for text in texts:
        for pattern, unit in _UNIT_WORDS:
            if pattern.search(text):
                return unit
    return None


_EXPLICIT_UNIT = re.compile(r"\b(?:in|unit:?)\s+(?:milli-?\s?seconds?|ms|msecs?|seconds?|secs?|minutes?|mins?|hours?)\b"
                            r"|\((?:milli-?\s?seconds?|ms|seconds?|s|minutes?|hours?)\)", re.I)


def _literal(text: str) -> Expr:
    if text[:1] in "\"'":
        return Str(text[1:-1])
    try:
        return Num(float(text))
    except ValueError:
        return Str(text)


def placeholder_expr(path: str, text: str | None) -> Expr | None:
    """The value a template placeholder stands for (``{{ .Values.timeout | quote }}``,
    ``{{ int64 .Values.timeout }}``, ``{{ default 1000 .Values.timeout | int64 }}``), or the value of
    a chart helper it includes (``{{ include "app.kafka-timeout" . }}``, a ``define`` whose body is
    one such placeholder, see ``define_symbols``); None otherwise."""
    chart = chart_dir(path)
    if chart is None or not text:
        return None
    text = text.strip().rstrip(",").strip().strip("\"'").strip()
    text = _ROOT_IN_DICT.sub(".Values.", text) if ".Values." in text else text
    text = _DIG.sub(r"{{ \1 ", text)  # `{{ dig "retryLimit" $.Values.controllerDefaults.retryLimit . }}`
    while _NIL_SAFE.search(text):
        text = _NIL_SAFE.sub(r"\1.", text)  # `((.Values.proxy.control).streams).initialTimeout`
    wrapped = _WRAPPED.match(text)
    if wrapped is not None and ".Values." in wrapped.group("inner"):
        text = "{{ " + wrapped.group("inner").strip() + " }}"
    included = _INCLUDE.match(text)
    if included is not None:
        return Ref(define_symbol(chart, included.group(1)))
    m = _PLACEHOLDER.match(text)
    if m is None:
        return None
    expr: Expr = Ref(symbol(chart, m.group(2)))
    defaults = [d.group(1) for d in _DEFAULT.finditer(m.group("first") or "")] + \
        [d.group(1) for d in _DEFAULT.finditer(m.group(3) or "")]
    if defaults:
        # round 21 (sapcc designate): a chain of fallbacks, the chart's global value then a literal
        # (`.Values.rpc_response_timeout | default .Values.global.rpc_response_timeout | default 300`)
        expr = Call("coalesce", (expr, *(Ref(symbol(chart, d[len(".Values."):])) if d.startswith(".Values.")
                                         else _literal(d) for d in defaults)))
    return expr


# (round 19, linkerd2) a per-item override with the chart's value as its default (`dig "retryLimit"
# $.Values.controllerDefaults.retryLimit .` inside a range over links): the chart's value
_DIG = re.compile(r"^\{\{-?\s*dig\s+\"[A-Za-z0-9_]+\"\s+(\$?\.Values\.[A-Za-z0-9_.]+)\s+(?:\$|\.)[A-Za-z0-9_.]*\s*")
# (round 19, linkerd2) a nil-safe path through parentheses: `((.Values.proxy.control).streams).initialTimeout`
_NIL_SAFE = re.compile(r"\((\$?\.Values\.[A-Za-z0-9_.]+)\)\.")
# (round 16) the root context handed to a helper in a dict or held by a variable (`.dot.Values.x`,
# `.root.Values.x`, `$root.Values.x`, Mender's and many charts' helpers): the chart's values all the same
_ROOT_IN_DICT = re.compile(r"(?<![\w$.])(?:\.[A-Za-z_]\w*|\$[A-Za-z_]\w*)\.Values\.")
# (round 16) a placeholder wrapped in a quoting helper or parentheses (Authelia's
# `{{ include "authelia.func.dquote" ($auth.ldap.timeout | default "5 seconds") }}`): the inner pipeline
_WRAPPED = re.compile(r"^\{\{-?\s*(?:(?:include|template)\s+\"[A-Za-z0-9_.-]+\"\s*|(?:quote|squote|toString|int|"
                      r"int64|float64)\s+)?\((?P<inner>[^()]+)\)\s*(?:\|\s*(?:quote|squote|toString|int|int64|"
                      r"float64)\s*)*-?\}\}$")
# (round 16) a variable bound to a values map in a template (`{{- with $auth := .Values.configMap.auth }}`,
# `{{- $storage := .Values.storage }}`), read by later placeholders (`$auth.ldap.timeout`)
_ALIAS = re.compile(r"\{\{-?\s*(?:with\s+)?\$(?P<name>[A-Za-z_]\w*)\s*:=\s*\$?\.Values\.(?P<path>[A-Za-z0-9_.]+)"
                    r"\s*-?\}\}")


def values_aliases(lines: list[str]) -> dict[str, str]:
    """``name`` -> ``Values.<path>`` for each template variable bound to a values map
    (``{{- with $auth := .Values.configMap.authentication_backend }}``); a name bound twice to
    different maps is dropped (which one a placeholder reads depends on the scope)."""
    out: dict[str, str] = {}
    dropped: set[str] = set()
    for line in lines:
        if ":=" not in line or ".Values." not in line:
            continue
        for m in _ALIAS.finditer(line):
            name, path = m.group("name"), m.group("path").rstrip(".")
            if name in out and out[name] != path:
                dropped.add(name)
            out[name] = path
    return {name: path for name, path in out.items() if name not in dropped}


def expand_aliases(text: str, aliases: dict[str, str]) -> str:
    """A placeholder's ``$name.a.b`` written as ``.Values.<path>.a.b`` for the variables
    ``values_aliases`` found in its template."""
    if not aliases or "$" not in text:
        return text
    return re.sub(r"\$([A-Za-z_]\w*)\.(?=[A-Za-z_])",
                  lambda m: f".Values.{aliases[m.group(1)]}." if m.group(1) in aliases else m.group(0), text)


def define_symbol(chart: str, name: str) -> str:
    return f"helm-define:{chart}:{name}"


_DEFINE = re.compile(r"^\s*\{\{-?\s*define\s+\"([A-Za-z0-9_.-]+)\"\s*-?\}\}\s*$")
_IF = re.compile(r"^\s*\{\{-?\s*if\s+\$?\.Values\.([A-Za-z0-9_.]+)\s*-?\}\}\s*$")
_ELSE = re.compile(r"^\s*\{\{-?\s*else\s*-?\}\}\s*$")
_END = re.compile(r"^\s*\{\{-?\s*end\s*-?\}\}\s*$")
MAX_DEFINES = 500


def define_symbols(path: str, lines: list[str]) -> dict[str, Expr]:
    """``helm-define:<chart>:<name>`` -> the value of a helper that renders one value, for the
    templates that include it: a ``define`` whose body is one placeholder line, or
    ``{{- if .Values.flag -}}`` one placeholder ``{{- else -}}`` another ``{{- end -}}`` (the first
    branch when the flag is set, else the second: ``coalesce(when(flag, a), b)``). Any other body
    (text, several values, nested blocks) publishes nothing."""
    chart = chart_dir(path)
    if chart is None:
        return {}
    out: dict[str, Expr] = {}
    index = 0
    while index < len(lines) and len(out) < MAX_DEFINES:
        m = _DEFINE.match(lines[index])
        index += 1
        if m is None:
            continue
        body: list[str] = []
        depth = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if _END.match(line) and depth == 0:
                break
            if re.match(r"^\s*\{\{-?\s*(?:if|range|with)\b", line):
                depth += 1
            elif _END.match(line):
                depth -= 1
            if line.strip() and not re.match(r"^\s*\{\{-?\s*/\*.*\*/\s*-?\}\}\s*$", line):
                body.append(line)
        expr = _define_value(path, body)
        if expr is not None:
            out[define_symbol(chart, m.group(1))] = expr
    return out


def _define_value(path: str, body: list[str]) -> Expr | None:
    if len(body) == 1:
        return placeholder_expr(path, body[0])
    if len(body) == 5 and _IF.match(body[0]) and _ELSE.match(body[2]) and _END.match(body[4]):
        first, second = placeholder_expr(path, body[1]), placeholder_expr(path, body[3])
        chart = chart_dir(path)
        if first is None or second is None or chart is None:
            return None
        flag = Ref(symbol(chart, _IF.match(body[0]).group(1)))
        return Call("coalesce", (Call("when", (flag, first)), second))
    return None


_KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<q>[\"']?)(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)(?P=q)"
                       r"[ \t]*:(?:[ \t]+(?P<value>[^#\n]*?))?[ \t]*(?:#.*)?$")


class KeyLine:
    """One ``key: value`` line of a template as written: its column (a list item's ``- `` counted),
    its key (``quoted`` when written ``"key":``, a JSON or Python dict line), its value, and the
    key line enclosing it (``parent`` / ``parent_line``, 0 at the top)."""

    __slots__ = ("number", "line", "column", "key", "value", "dash", "quoted", "parent", "parent_line")

    def __init__(self, number: int, line: str, column: int, key: str, value: str, dash: bool, quoted: bool,
                 parent: str, parent_line: int) -> None:
        self.number, self.line, self.column, self.key, self.value = number, line, column, key, value
        self.dash, self.quoted, self.parent, self.parent_line = dash, quoted, parent, parent_line


def key_lines(lines: list[str], first: int = 1, last: int | None = None):
    """The ``KeyLine`` of each key line of lines ``first``..``last`` (1-based) a template renders,
    nesting read from the columns (a Helm template is not YAML until rendered)."""
    last = len(lines) if last is None else last
    stack: list[tuple[int, str, int]] = []  # (column, key, line number) of the enclosing keys
    for number, line in rendered_lines(lines, first, last):
        m = _KEY_LINE.match(line)
        if m is None:
            continue
        column = len(m.group("indent")) + (len(m.group("dash")) if m.group("dash") else 0)
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent, parent_line = (stack[-1][1], stack[-1][2]) if stack else ("", 0)
        stack.append((column, m.group("key"), number))
        yield KeyLine(number, line, column, m.group("key"), (m.group("value") or "").strip(), bool(m.group("dash")),
                      bool(m.group("q")), parent, parent_line)


_UNIT_AFTER = re.compile(r"^(?P<placeholder>\{\{.*\}\})(?P<unit>ms|s|m|h)$")
_UNIT_AFTER_MS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def duration_expr(path: str, text: str | None, bare_ms: float = 1000.0) -> Expr | None:
    """A placeholder holding a duration (``"60s"``, or a bare number of seconds), in ms. (round 12)
    A unit written after the placeholder (nginx's ``{{ .Values.timeouts.read }}s``) is that of the
    number the value gives."""
    unit = _UNIT_AFTER.match((text or "").strip().rstrip(",;").strip().strip("\"'").strip())
    if unit is not None:
        expr = placeholder_expr(path, unit.group("placeholder"))
        return Call("duration_ms", (expr,), (("bare", Num(_UNIT_AFTER_MS[unit.group("unit")])),)) \
            if expr is not None else None
    expr = placeholder_expr(path, text)
    if expr is None:
        return None
    return Call("duration_ms", (expr,), (("bare", Num(bare_ms)),))


_TEMPLATE_DIRECTIVE = re.compile(r"^[ \t]*\{\{.*\}\}[ \t]*$")
_TEMPLATE_COMMENT_OPEN = re.compile(r"\{\{-?\s*/\*")


def switch_guards(lines: list[str]) -> dict[int, str]:
    """Line number -> the values key of the innermost ``{{ if .Values.a.b }}`` block it sits in (its then-branch),
    for a template's lines; lines under any other block (``if not``, ``with``, ``range``, an ``else``) map to none."""
    out: dict[int, str] = {}
    stack: list[str | None] = []
    for number, line in enumerate(lines, 1):
        if stack and stack[-1]:
            out[number] = stack[-1]
        for m in re.finditer(r"\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*)\}\}", line):
            word, rest = m.group(1), m.group(2)
            if word == "end":
                if stack:
                    stack.pop()
            elif word == "else":
                if stack:
                    stack[-1] = None
            else:
                key = re.fullmatch(r"\s*\$?\.Values\.([A-Za-z0-9_.]+)\s*-?", rest) if word == "if" else None
                stack.append(key.group(1) if key else None)
    return out


_BLOCK = re.compile(r"\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*)\}\}")
_BARE_DOT = re.compile(r"\{\{(-?\s*)\.(?=\s*(?:\||-?\}\}))")


def with_dots(lines: list[str]) -> list[str]:
    """Round 20 (apisix-helm-chart): ``{{- with .Values.webhook.timeoutSeconds }} timeoutSeconds: {{ . }} {{- end }}``:
    each bare ``{{ . }}`` (``{{ . | quote }}``) of the innermost ``with .Values.<path>`` block written as
    ``{{ .Values.<path> }}``, so a placeholder there reads the chart's value; lines elsewhere are unchanged."""
    out: list[str] = []
    stack: list[str | None] = []
    for line in lines:
        if stack and stack[-1] and "{{" in line:
            path = stack[-1]
            head = line.split("{{", 1)[0] if _BLOCK.search(line) is None else None
            if head is not None:
                line = _BARE_DOT.sub(lambda m: "{{" + m.group(1) + ".Values." + path, line)
        for m in _BLOCK.finditer(line):
            word, rest = m.group(1), m.group(2)
            if word == "end":
                if stack:
                    stack.pop()
            elif word == "else":
                if stack:
                    stack[-1] = None
            else:
                key = re.fullmatch(r"\s*\$?\.Values\.([A-Za-z0-9_.]+)\s*-?", rest) if word == "with" else None
                stack.append(key.group(1) if key else None)
        out.append(line)
    return out


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
