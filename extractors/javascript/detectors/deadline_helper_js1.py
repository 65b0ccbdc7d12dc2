"""(round 20, js1) A project's deadline helper: a timer of a parameter bounding the work handed in.

What it does: `function withDeadline(promise, ms, onTimeout) { return new Promise((resolve, reject) => {
const timer = setTimeout(() => reject(onTimeout()), ms); Promise.resolve(promise).then(...) }) }` (WeKan's
import deadline, its FerretDB governor's `withTimeout(promise, ms)`), and a watchdog `async function
watchdog(f, timeout, kill) { const t = setTimeout(kill, timeout); const result = await f(); clearTimeout(t)
}` (the TokenBridge oracle's worker iterations): the timer's parameter is the deadline of the work the caller
hands in. Reported on the ``setTimeout`` with the parameter's value, so the helper publishes that parameter
(wrapper_call) and each call handing it a value is the contract (``withTimeout(db.command(...), 2000)``).

Never: a timer of a constant or of a variable that is no parameter, a timer whose callback neither rejects,
settles the promise nor calls a parameter (a plain delay), a helper that waits for nothing handed in (the
promise or function is not a parameter), a line some detector already reported.

Why it matters: the caller gives up (or the process stops) after that time whatever the call's own client
settings say.

Example::

    function withTimeout(promise, ms) { return new Promise((res, rej) => { setTimeout(() => rej(new Error('t')), ms); promise.then(res, rej) }) }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, js_detector, unwrap

ID = "javascript.deadline_helper"
_TIMERS = {"setTimeout", "global.setTimeout", "Meteor.setTimeout"}


def _params(fn: ts.Node) -> list[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [ts.text(params)]
    out = []
    for p in params.named_children:
        if p.type in ("required_parameter", "optional_parameter"):
            p = p.child_by_field_name("pattern")
        p = p.child_by_field_name("left") if p is not None and p.type == "assignment_pattern" else p
        if p is not None and p.type == "identifier":
            out.append(ts.text(p))
    return out


def _outer_function(node: ts.Node) -> ts.Node | None:
    """The outermost function around ``node`` that is a named helper (a declaration, a method, or a function
    assigned to a name)."""
    found = None
    for parent in ts.ancestors(node):
        if parent.type in ("function_declaration", "method_definition"):
            return parent
        if parent.type in FUNCTION_TYPES and parent.parent is not None and \
                parent.parent.type in ("variable_declarator", "pair", "assignment_expression"):
            found = parent
            break
    return found


def _settles_or_calls(callback: ts.Node | None, params: list[str]) -> bool:
    """The timer rejects, settles with a marker (`resolve({ __timeout: true })`) or calls a parameter
    (`kill`); a bare `resolve` (or `resolve()`) is a sleep."""
    if callback is None:
        return False
    if callback.type == "identifier":
        return ts.text(callback) in params or ts.text(callback) == "reject"
    text = ts.text(callback)
    return re.search(r"\breject\s*\(|\bresolve\s*\(\s*[^)\s]", text) is not None or \
        any(re.search(r"(?<![\w$.])" + re.escape(p) + r"\s*\(", text) for p in params)


def _waits_for_a_parameter(fn: ts.Node, params: list[str], timer_params: set[str]) -> bool:
    text = ts.text(fn.child_by_field_name("body") or fn)
    for p in params:
        if p in timer_params:
            continue
        e = re.escape(p)
        if re.search(r"(await\s+" + e + r"\s*\(|await\s+" + e + r"(?![\w$])|Promise\.(resolve|race)\(\s*\[?\s*"
                     + e + r"(?![\w$])|(?<![\w$.])" + e + r"\s*\.then\s*\()", text):
            return True
    return False


@js_detector(ID, ["timeout"],
             valid=["function delay(ms) { return new Promise((resolve) => setTimeout(resolve, ms)) }",
                    "function later(fn, ms) { setTimeout(() => console.log('x'), ms) }",
                    "function guard(promise) { setTimeout(() => process.exit(1), 5000); return promise }"],
             invalid=["function withTimeout(promise, ms) {\n  return new Promise((resolve, reject) => {\n"
                      "    const timer = setTimeout(() => reject(new Error('timeout')), ms);\n"
                      "    Promise.resolve(promise).then(resolve, reject);\n  });\n}"])
def detect(ctx: FileContext) -> None:
    if b"setTimeout" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        try:
            if call.callee not in _TIMERS or len(call.args) < 2:
                continue
            delay = unwrap(call.arg(1))
            if delay is None or delay.type != "identifier":
                continue
            fn = _outer_function(call.node)
            params = _params(fn) if fn is not None else []
            name = ts.text(delay)
            if name not in params:
                continue
            callback = unwrap(call.arg(0))
            if not _settles_or_calls(callback, params):
                continue
            first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
            if any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
                continue  # the deadline detector read the helper already (at its race or timer)
            if not _waits_for_a_parameter(fn, params, {name}):
                continue
            line = call.node.start_point[0] + 1
            if (line, "timeout") in taken:
                continue
            attrs, confidence, pending = ctx.timeout_value(delay)
            attrs["phase"], attrs["scope"], attrs["mechanism"] = "total", "call", "deadline_helper"
            ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
            taken.add((line, "timeout"))
        except Exception:  # an odd timer costs only this finding
            continue
