"""(round 19, js3) Postgres `SET statement_timeout` sent as a query built by a local function.

(drivers.py reads a literal `client.query('SET statement_timeout = 5000')`.) A query built by a local function
of the file (`const timeoutQuery = timeout => \\`SET statement_timeout=${timeout}\\`;
client.query(timeoutQuery(this.timeout), cb)`, CARTO's COPY streams) bound every statement the session (or
transaction) runs after it: a timeout (total) at the `.query(` call, valued from the literal or the argument
(`this.timeout = global.settings.copy_timeout || DEFAULT_TIMEOUT` with `DEFAULT_TIMEOUT = "'5h'"`: the code's
fallback, 5 h). Postgres reads a bare number as milliseconds and a string with a unit (`ms`, `s`, `min`, `h`,
`d`). `0` turns the bound off (no finding).
Not: a SELECT or SHOW of the setting, `lock_timeout` / `idle_in_transaction_session_timeout` (other bounds), a
string never sent (a log line).
"""

from __future__ import annotations

import re

from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, unwrap

ID = "javascript.driver_options"

_SET = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?statement_timeout\s*(?:=|\bTO\b)\s*(.*?)\s*;?\s*$", re.I | re.S)
_UNITS = {"ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0, "d": 86400000.0}


def _pg_duration(text: str) -> float | None:
    text = text.replace("\\", "").strip().strip("'\"").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?", text)
    if match is None:
        return None
    return float(match.group(1)) * _UNITS[match.group(2) or "ms"]


def detect(ctx: FileContext) -> None:
    if b"statement_timeout" not in ctx.data:
        return
    builders = _builders(ctx)
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.name != "query" or "." not in call.callee or not call.args:
            continue
        try:
            found = _value(ctx, unwrap(call.arg(0)), builders)
        except Exception:  # noqa: BLE001 - an odd query costs only its finding
            continue
        if found is None:
            continue
        ms, expression = found
        line = call.node.start_point[0] + 1
        if (line, "timeout") in taken or ms == 0:
            continue
        taken.add((line, "timeout"))
        attrs = {"expression": expression, "timeout_ms": normalise_ms(ms) if ms is not None else None,
                 "resolved_from": "literal" if ms is not None else "unresolved", "phase": "total",
                 "scope": "session", "library": "postgres"}
        ctx.finding("timeout", call.node, ID, attrs, "high" if ms is not None else "medium")


def _builders(ctx: FileContext) -> dict:
    """Local functions returning `SET statement_timeout=${param}`: name -> parameter position."""
    out = {}
    for name, fn in ctx.functions.items():
        if fn.type not in FUNCTION_TYPES:
            continue
        body = unwrap(fn.child_by_field_name("body"))
        if body is not None and body.type == "statement_block":
            stmts = [s for s in body.named_children if s.type != "comment"]
            body = unwrap(stmts[0].named_children[0]) if len(stmts) == 1 and stmts[0].type == "return_statement" \
                and stmts[0].named_children else None
        if body is None or body.type != "template_string" or not _SET.match(ts.text(body)[1:-1]):
            continue
        subs = [c for c in body.named_children if c.type == "template_substitution"]
        if len(subs) != 1 or not subs[0].named_children:
            continue
        used = ts.text(subs[0].named_children[0])
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        names = [params] if params is not None and params.type == "identifier" else \
            [p for p in (params.named_children if params is not None else []) if p.type != "comment"]
        for position, param in enumerate(names):
            if ts.text(param) == used:
                out[name] = position
    return out


def _value(ctx: FileContext, arg, builders: dict):
    if arg is None:
        return None
    if arg.type == "call_expression":  # (a literal query is drivers' `_set_statement_timeouts`)
        fn = ts.text(arg.child_by_field_name("function"))
        if fn not in builders:
            return None
        args = arg.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if len(given) <= builders[fn]:
            return None
        handed = given[builders[fn]]
        value = ctx.evaluate(ctx.to_expr(handed)).value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value), ts.text(handed)
        if isinstance(value, str):
            return _pg_duration(value), ts.text(handed)
        return None, ts.text(handed)
    return None
