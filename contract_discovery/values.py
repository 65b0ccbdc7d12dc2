"""A small, language-neutral expression tree for values found in code, and its evaluator.

Extractors translate the syntax of a setting (``0.2``, ``TIMEOUT * 2``,
``float(os.getenv("RISK_TIMEOUT", "0.5"))``, ``2 * time.Second``) into these
nodes; the pipeline evaluates them later against the constants of every file of
the same service. Nothing here imports or runs scanned code.
"""

from __future__ import annotations

import math
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
    fallbacks (Spring ``${key:default}``): the first argument that resolves."""

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
    args = [evaluate(a, lookup, depth) for a in expr.args]
    kwargs = {k: evaluate(v, lookup, depth) for k, v in expr.kwargs}
    prov = "literal"
    for a in [*args, *kwargs.values()]:
        prov = weakest(prov, a.resolved_from)
    func = expr.func
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
    if func in ("max", "min") and args:
        numbers = [_as_number(a.value) for a in args]
        if any(n is None for n in numbers):
            return Evaluated(None, "unresolved")
        return Evaluated(max(numbers) if func == "max" else min(numbers), prov)  # type: ignore[type-var]
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
