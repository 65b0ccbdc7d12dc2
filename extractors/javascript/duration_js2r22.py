"""Durations built with a date library, read as milliseconds (round 22, js2; a round-21 request):
`dayjs.duration(30, 'seconds').asMilliseconds()`, `moment.duration(2, 'minutes').asMilliseconds()`,
`dayjs.duration({ minutes: 2 }).asMilliseconds()`, Luxon's `Duration.fromObject({ seconds: 30 }).toMillis()`,
and `.asSeconds()` / `.as('seconds')` for a bound written in seconds. Only literal amounts (or names
this file settles) count; the unit is the library's spelling (singular, plural or short)."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from contract_discovery.values import BinOp, Expr, Num

_UNIT_MS = {"millisecond": 1.0, "ms": 1.0, "second": 1000.0, "s": 1000.0, "minute": 60000.0, "m": 60000.0,
            "hour": 3600000.0, "h": 3600000.0, "day": 86400000.0, "d": 86400000.0, "week": 604800000.0, "w": 604800000.0}
_MAKERS = re.compile(r"^(dayjs|moment|dayjs\.default|moment\.default)\.duration$|^Duration\.(fromObject|fromMillis)$")
_READS = {"asMilliseconds": 1.0, "valueOf": 1.0, "toMillis": 1.0, "asSeconds": 1000.0, "as": None}


def _unit(text: str | None) -> float | None:
    if not text:
        return None
    key = text.strip().lower()
    if key in _UNIT_MS:
        return _UNIT_MS[key]
    return _UNIT_MS.get(key.rstrip("s")) if len(key) > 2 else None


def duration_expr(ctx, node: ts.Node, scoped: bool, depth: int) -> Expr | None:
    """The milliseconds of ``node`` (a call reading a duration: `<duration>.asMilliseconds()`), or None."""
    from extractors.javascript.context import dotted, string_value, unwrap
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    read = ts.text(fn.child_by_field_name("property"))
    if read not in _READS:
        return None
    made = unwrap(fn.child_by_field_name("object"))
    if made is None or made.type != "call_expression":
        return None
    maker = dotted(made.child_by_field_name("function"))
    if not _MAKERS.match(maker):
        return None
    args_node = node.child_by_field_name("arguments")
    read_args = [a for a in (args_node.named_children if args_node is not None else []) if a.type != "comment"]
    divisor = _READS[read]
    if read == "as":
        divisor = _unit(string_value(read_args[0])) if read_args else None
        if divisor is None:
            return None
    made_node = made.child_by_field_name("arguments")
    args = [a for a in (made_node.named_children if made_node is not None else []) if a.type != "comment"]
    if not args:
        return None
    total: Expr | None = None
    first = unwrap(args[0])
    if maker.endswith("fromMillis"):
        total = ctx.to_expr(first, scoped, depth + 1)
    elif first is not None and first.type == "object":
        for pair in first.named_children:
            if pair.type != "pair":
                continue
            unit = _unit(ts.text(pair.child_by_field_name("key")).strip("'\""))
            if unit is None:
                return None
            part = BinOp("*", ctx.to_expr(pair.child_by_field_name("value"), scoped, depth + 1), Num(unit))
            total = part if total is None else BinOp("+", total, part)
    elif len(args) >= 2:
        unit = _unit(string_value(args[1]))
        if unit is None:
            return None
        total = BinOp("*", ctx.to_expr(first, scoped, depth + 1), Num(unit))
    elif len(args) == 1:
        total = ctx.to_expr(first, scoped, depth + 1)  # `dayjs.duration(30000)`: milliseconds
    if total is None:
        return None
    return total if divisor == 1.0 else BinOp("/", total, Num(divisor))
