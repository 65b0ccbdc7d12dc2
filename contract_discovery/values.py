"""A small, language-neutral expression tree for values found in code, and its evaluator.

Extractors translate the syntax of a setting (``0.2``, ``TIMEOUT * 2``,
``float(os.getenv("RISK_TIMEOUT", "0.5"))``, ``2 * time.Second``) into these
nodes; the pipeline evaluates them later against the constants of every file of
the same service. Nothing here imports or runs scanned code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Union


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Ref:
    """A reference to a name: ``TIMEOUT``, ``settings.RISK_TIMEOUT``, ``Config.timeout``."""

    name: str


@dataclass(frozen=True)
class Env:
    """An environment lookup with an optional default: ``os.getenv("X", "5")``."""

    var: str
    default: "Expr | None" = None


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * / // %
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Call:
    """A conversion or helper call the evaluator understands: float, int, str, max, min,
    timedelta(seconds=..) (args as positional then keyword pairs), and ``concat`` for string
    interpolation (f-strings, template literals): the parts joined as text; ``coalesce`` for
    fallbacks (Spring ``${key:default}``): the first argument that resolves; ``when(condition,
    value)``: the value when the condition resolves to something truthy; ``duration_ms`` for a
    value that may be a duration string (``"30s"``, ``"PT30S"``, ``"00:00:30"``: see
    ``duration_text_ms``), a number counting in the keyword ``bare``'s ms per unit; ``placeholder`` for a
    constant whose text is a Spring/MicroProfile ``"${key:default}"``: the setting it names, else its default."""

    func: str
    args: tuple["Expr", ...] = ()
    kwargs: tuple[tuple[str, "Expr"], ...] = ()


@dataclass(frozen=True)
class Tuple:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Unknown:
    text: str


Expr = Union[Num, Str, Ref, Env, BinOp, Call, Tuple, Unknown]

# Provenance ranks: the weakest source along an evaluation wins.
_RANK = {"literal": 0, "constant": 1, "config": 2, "env_default": 3, "unresolved": 9}


def weakest(a: str, b: str) -> str:
    return a if _RANK.get(a, 9) >= _RANK.get(b, 9) else b


@dataclass(frozen=True)
class Evaluated:
    value: float | str | tuple | None
    resolved_from: str  # literal / constant / config / env_default / unresolved


Lookup = Callable[[str], "tuple | None"]
"""Resolves a name to (expression, provenance of the binding: 'constant' or 'config') or to
(expression, provenance, lookup to evaluate that expression with)."""

_MAX_DEPTH = 40

_TIMEDELTA_UNITS = {
    "weeks": 604800.0, "days": 86400.0, "hours": 3600.0, "minutes": 60.0,
    "seconds": 1.0, "milliseconds": 0.001, "microseconds": 0.000001,
}


def evaluate(expr: Expr, lookup: Lookup | None = None, _depth: int = 0) -> Evaluated:
    """Evaluate ``expr``; never raises, never guesses: anything unknown is ``unresolved``."""
    if _depth > _MAX_DEPTH:
        return Evaluated(None, "unresolved")
    d = _depth + 1
    if isinstance(expr, Num):
        return Evaluated(expr.value, "literal")
    if isinstance(expr, Str):
        return Evaluated(expr.value, "literal")
    if isinstance(expr, Tuple):
        parts = [evaluate(i, lookup, d) for i in expr.items]
        prov = "literal"
        for p in parts:
            prov = weakest(prov, p.resolved_from)
        return Evaluated(tuple(p.value for p in parts), prov)
    if isinstance(expr, Ref):
        if lookup is None:
            return Evaluated(None, "unresolved")
        found = lookup(expr.name)
        if found is None:
            return Evaluated(None, "unresolved")
        bound, provenance = found[0], found[1]
        # A binding may come with the scope it must be evaluated in (the file that defines it).
        inner_lookup = found[2] if len(found) > 2 else lookup
        inner = evaluate(bound, inner_lookup, d)
        if inner.value is None:
            return Evaluated(None, "unresolved")
        return Evaluated(inner.value, weakest(provenance, inner.resolved_from))
    if isinstance(expr, Env):
        configured = lookup("$env:" + expr.var) if lookup is not None else None
        if configured is not None:
            inner = evaluate(configured[0], None, d)
            return Evaluated(inner.value, "config" if inner.value is not None else "unresolved")
        if lookup is not None and "." in expr.var and expr.var[:1].islower() and lookup(expr.var) is not None:
            # a Spring-style placeholder with a fallback (`${risk.timeout-ms:500}`): the property the
            # service's configuration sets wins over the fallback
            inner = evaluate(Ref(expr.var), lookup, d)
            if inner.value is not None:
                return Evaluated(inner.value, weakest("config", inner.resolved_from))
        if expr.default is None:
            return Evaluated(None, "unresolved")
        inner = evaluate(expr.default, lookup, d)
        if inner.value is None:
            return Evaluated(None, "unresolved")
        return Evaluated(inner.value, weakest("env_default", inner.resolved_from))
    if isinstance(expr, BinOp):
        left, right = evaluate(expr.left, lookup, d), evaluate(expr.right, lookup, d)
        if expr.op == "+" and isinstance(left.value, str) and isinstance(right.value, str):
            return Evaluated(left.value + right.value, weakest(left.resolved_from, right.resolved_from))
        lv, rv = _as_number(left.value), _as_number(right.value)
        if expr.op in ("*", "/") and isinstance(left.value, tuple) and rv is not None and (rv or expr.op == "*"):
            # a (connect, read) pair scaled to ms: each part that is a number
            scaled = tuple(None if _as_number(v) is None else (_as_number(v) * rv if expr.op == "*" else _as_number(v) / rv)
                           for v in left.value)
            return Evaluated(scaled, weakest(left.resolved_from, right.resolved_from))
        if lv is None or rv is None:
            return Evaluated(None, "unresolved")
        try:
            value = {
                "+": lambda: lv + rv, "-": lambda: lv - rv, "*": lambda: lv * rv,
                "/": lambda: lv / rv, "//": lambda: lv // rv, "%": lambda: lv % rv,
                "**": lambda: lv ** rv if abs(rv) < 64 else math.inf,
            }[expr.op]()
        except (KeyError, ZeroDivisionError, OverflowError):
            return Evaluated(None, "unresolved")
        if not math.isfinite(value):
            return Evaluated(None, "unresolved")
        return Evaluated(value, weakest(left.resolved_from, right.resolved_from))
    if isinstance(expr, Call):
        return _evaluate_call(expr, lookup, d)
    return Evaluated(None, "unresolved")


def _evaluate_call(expr: Call, lookup: Lookup | None, depth: int) -> Evaluated:
    if expr.func == "coalesce":  # the first argument that resolves: ${key:default}, instance -> defaults
        for arg in expr.args:
            found = evaluate(arg, lookup, depth)
            if found.value is not None:
                return found
        return Evaluated(None, "unresolved")
    if expr.func == "when":  # when(condition, value): the value, if the condition resolves to something truthy
        if len(expr.args) != 2:
            return Evaluated(None, "unresolved")
        condition = evaluate(expr.args[0], lookup, depth)
        if condition.value in (None, 0, False, ""):
            return Evaluated(None, "unresolved")
        return evaluate(expr.args[1], lookup, depth)
    if expr.func == "absent":  # absent(x): 1 when x resolves to nothing (round 22: a reading yielding to a helper's)
        found = evaluate(expr.args[0], lookup, depth) if expr.args else Evaluated(None, "unresolved")
        return Evaluated(1.0 if found.value in (None, 0, False, "") else 0.0, "literal")
    if expr.func == "config_at":  # round 13 (java): the setting whose key a constant holds (`@ConfigProperty(name = K)`)
        key = evaluate(expr.args[0], lookup, depth) if expr.args else Evaluated(None, "unresolved")
        if not isinstance(key.value, str) or not key.value:
            return Evaluated(None, "unresolved")
        found = evaluate(Ref(key.value), lookup, depth)
        return Evaluated(found.value, weakest("config", found.resolved_from)) if found.value is not None else found
    if expr.func == "dsn_param":  # round 21: a DSN's parameter once the DSN resolves (`?connect_timeout=4`, `connect_timeout=3`)
        dsn = evaluate(expr.args[0], lookup, depth) if expr.args else Evaluated(None, "unresolved")
        key = expr.args[1].value if len(expr.args) > 1 and isinstance(expr.args[1], Str) else None
        if not isinstance(dsn.value, str) or not key:
            return Evaluated(None, "unresolved")
        m = re.search(rf"(?:^|[?&;\s]){re.escape(key)}\s*=\s*'?(\d+(?:\.\d+)?)", dsn.value)
        if not m:
            return Evaluated(None, "unresolved")
        return Evaluated(float(m.group(1)), weakest("config", dsn.resolved_from))
    if expr.func == "placeholder":  # round 18 (java): a constant's "${key:default}" text, read as the setting it names
        text = evaluate(expr.args[0], lookup, depth) if expr.args else Evaluated(None, "unresolved")
        if isinstance(text.value, (int, float)) and not isinstance(text.value, bool):
            return text
        if not isinstance(text.value, str):
            return Evaluated(None, "unresolved")
        m = re.fullmatch(r"\s*\$\{([^}:]+)(?::([^}]*))?\}\s*", text.value)
        if not m:
            number = _as_number(text.value)
            return Evaluated(number, text.resolved_from) if number is not None else Evaluated(None, "unresolved")
        found = evaluate(Ref(m.group(1).strip()), lookup, depth)
        if found.value is not None:
            return Evaluated(found.value, weakest("config", found.resolved_from))
        default = _as_number(m.group(2)) if m.group(2) is not None else None
        return Evaluated(default, "env_default") if default is not None else Evaluated(None, "unresolved")
    args = [evaluate(a, lookup, depth) for a in expr.args]
    kwargs = {k: evaluate(v, lookup, depth) for k, v in expr.kwargs}
    prov = "literal"
    for a in [*args, *kwargs.values()]:
        prov = weakest(prov, a.resolved_from)
    func = expr.func
    if func == "not_in":  # not_in(needle, *names): 1 when the needle resolves to none of the names (round 11)
        if not args or args[0].value is None:
            return Evaluated(None, "unresolved")
        return Evaluated(0.0 if _as_text(args[0].value) in {_as_text(a.value) for a in args[1:]} else 1.0, prov)
    if func == "concat":  # string interpolation: f"{BASE}/score", `${BASE}/score`, "#{BASE}/score"
        if any(a.value is None for a in args):
            return Evaluated(None, "unresolved")
        return Evaluated("".join(_as_text(a.value) for a in args), prov)
    if func in ("float", "int", "Number", "parseInt", "parseFloat", "Integer.parseInt", "Long.parseLong", "to_i", "to_f"):
        if len(args) < 1:
            return Evaluated(None, "unresolved")
        number = _as_number(args[0].value)
        if number is None:
            return Evaluated(None, "unresolved")
        if func in ("int", "parseInt", "Integer.parseInt", "Long.parseLong", "to_i"):
            number = float(int(number))
        return Evaluated(number, prov)
    if func == "str":
        return Evaluated(None if not args or args[0].value is None else str(args[0].value), prov)
    if func == "len":  # len(list): how many items (round 19, python: `max_retries=len(RETRY_DELAYS)`)
        value = args[0].value if args else None
        return Evaluated(float(len(value)), prov) if isinstance(value, (tuple, list)) else Evaluated(None, "unresolved")
    if func == "first":  # first(list): a list's first element (`resolv.timeouts = [5, 8, 13]`: the first try's); a scalar is itself
        if not args or args[0].value is None:
            return Evaluated(None, "unresolved")
        value = args[0].value
        if isinstance(value, (tuple, list)):
            return Evaluated(value[0], prov) if value and value[0] is not None else Evaluated(None, "unresolved")
        return Evaluated(value, prov)
    if func in ("max", "min") and args:
        numbers = [_as_number(a.value) for a in args]
        if any(n is None for n in numbers):
            return Evaluated(None, "unresolved")
        return Evaluated(max(numbers) if func == "max" else min(numbers), prov)  # type: ignore[type-var]
    if func == "duration_ms":
        # a value that may be a duration string ("30s", "PT30S", "00:00:30", "1m30s") or a number in
        # the unit the keyword `bare` gives (absent: a bare number is not a duration here)
        if not args or args[0].value is None:
            return Evaluated(None, "unresolved")
        value = args[0].value
        if isinstance(value, str):
            ms = duration_text_ms(value)
            if ms is not None:
                return Evaluated(ms, prov)
        number = _as_number(value)
        bare = _as_number(kwargs["bare"].value) if "bare" in kwargs else None
        if number is None or bare is None:
            return Evaluated(None, "unresolved")
        return Evaluated(number * bare, prov)
    if func == "timedelta":
        total = 0.0
        positional_units = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
        for unit, a in zip(positional_units, args):
            n = _as_number(a.value)
            if n is None:
                return Evaluated(None, "unresolved")
            total += n * _TIMEDELTA_UNITS[unit]
        for unit, a in kwargs.items():
            n = _as_number(a.value)
            if n is None or unit not in _TIMEDELTA_UNITS:
                return Evaluated(None, "unresolved")
            total += n * _TIMEDELTA_UNITS[unit]
        return Evaluated(total, prov)
    return Evaluated(None, "unresolved")


def ref_names(expr: Expr, include_env: bool = False) -> list[str]:
    """Every name an expression refers to (``Ref`` nodes, and with ``include_env`` the variables
    of ``Env`` lookups), depth first, left to right."""
    out: list[str] = []
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            out.append(node.name)
        elif isinstance(node, Env):
            if include_env:
                out.append(node.var)
            if node.default is not None:
                stack.append(node.default)
        elif isinstance(node, BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
            stack.extend(v for _, v in node.kwargs)
        elif isinstance(node, Tuple):
            stack.extend(reversed(node.items))
    return out


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def as_number(value: object) -> float | None:
    """Public form of the numeric coercion the evaluator uses (strings from env defaults count)."""
    return _as_number(value)


def normalise_ms(value: float | None) -> float | int | None:
    """Round a millisecond figure for output: integers stay integers, others keep 3 decimals."""
    if value is None:
        return None
    rounded = round(value, 3)
    return int(rounded) if float(rounded).is_integer() else rounded


# --- duration strings ---------------------------------------------------------------------------

_UNIT_WORDS_MS = {
    "ns": 1e-6, "nanos": 1e-6, "nanosecond": 1e-6, "nanoseconds": 1e-6,
    "us": 1e-3, "µs": 1e-3, "μs": 1e-3, "micros": 1e-3, "microsecond": 1e-3, "microseconds": 1e-3,
    "ms": 1.0, "milli": 1.0, "millis": 1.0, "msec": 1.0, "msecs": 1.0, "millisecond": 1.0, "milliseconds": 1.0,
    "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "second": 1000.0, "seconds": 1000.0,
    "m": 60_000.0, "min": 60_000.0, "mins": 60_000.0, "minute": 60_000.0, "minutes": 60_000.0,
    "h": 3_600_000.0, "hr": 3_600_000.0, "hrs": 3_600_000.0, "hour": 3_600_000.0, "hours": 3_600_000.0,
    "d": 86_400_000.0, "day": 86_400_000.0, "days": 86_400_000.0,
    "w": 604_800_000.0, "week": 604_800_000.0, "weeks": 604_800_000.0,
}
_PART = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zµμ]+)\s*", re.IGNORECASE)
_ISO = re.compile(r"^P(?:(?P<w>\d+(?:[.,]\d+)?)W)?(?:(?P<d>\d+(?:[.,]\d+)?)D)?"
                  r"(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$",
                  re.IGNORECASE)
_ISO_MS = {"w": 604_800_000.0, "d": 86_400_000.0, "h": 3_600_000.0, "m": 60_000.0, "s": 1000.0}
# .NET TimeSpan text: [d.]hh:mm:ss[.fffffff]
_TIMESPAN = re.compile(r"^(?:(?P<d>\d+)\.)?(?P<h>\d{1,2}):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$")


def duration_text_ms(text: object) -> float | None:
    """A duration written as text, in ms; None when the text is not one (a bare number is not: its
    unit depends on who reads it).

    Forms: Go / protobuf / Istio / nginx / Spring / HOCON / humanized (``"500ms"``, ``"1.5s"``,
    ``"1m30s"``, ``"2h"``, ``"30 seconds"``, ``"5 min"``), ISO 8601 (``"PT30S"``, ``"P1DT2H"``) and
    .NET TimeSpan (``"00:00:30"``, ``"1.02:00:00"``, ``"00:00:00.5"``). A sign is kept."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if not s or len(s) > 64:
        return None
    sign = 1.0
    if s[0] in "+-":
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:].strip()
    if s[:1] in ("P", "p"):
        m = _ISO.match(s)
        if m is None or not any(m.group(g) for g in _ISO_MS):
            return None
        return sign * sum(float(m.group(g).replace(",", ".")) * unit for g, unit in _ISO_MS.items() if m.group(g))
    m = _TIMESPAN.match(s)
    if m is not None:
        if int(m.group("m")) > 59 or float(m.group("s")) >= 60:
            return None
        return sign * ((int(m.group("d") or 0) * 24 + int(m.group("h"))) * 3_600_000.0
                       + int(m.group("m")) * 60_000.0 + float(m.group("s")) * 1000.0)
    total, pos = 0.0, 0
    while pos < len(s):
        part = _PART.match(s, pos)
        if part is None:
            return None
        unit = _UNIT_WORDS_MS.get(part.group(2).lower())
        if unit is None:
            return None
        total += float(part.group(1)) * unit
        pos = part.end()
    return sign * total if pos else None
