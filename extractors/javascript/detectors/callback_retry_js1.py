"""A callback-style retry: the completion callback that runs the operation again with itself as the callback
while an attempt counter is under its bound (round 19, js1: FIWARE PEP steelskin's Keystone login).

    var retries = config.authentication.retries || 3, attempts = 0;
    function retry(error, result) {
        if (error && error.name === 'AUTHENTICATION_REJECTED' && attempts < retries) {
            attempts++;
            process.nextTick(processFlow.bind(null, retry));     // 4 tries, on this line
        } else { next(error, result); }
    }
    processFlow(retry);

What it does: reports a ``retry`` at the call that schedules the operation again (``process.nextTick``,
``setImmediate``, ``setTimeout``, or a direct call) when its argument hands the enclosing function itself on
as the callback (`op.bind(null, retry)`, `() => op(retry)`, `op(retry)`), inside a branch guarded by
`counter < bound` (or `<=`) whose counter the branch bumps, with the counter or the bound named for
attempts / retries / tries; the counter's start (`attempts = 0`) and the bound give the tries (`<` from
0: bound + 1, the first run and one per retry).

Never: a timer that hands on another function, a branch without such a guard (a poll, a reconnect loop),
a counter not bumped in the branch, a guard named for something else (`i < items.length`).

Why it matters: each re-run is another request to the service the operation calls.

Example::

    function done(err) { if (err && tries < MAX_TRIES) { tries++; setTimeout(() => login(done), 500) } }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, RetryScope, js_detector, unwrap

ID = "javascript.callback_retry"
_SCHEDULERS = {"process.nextTick", "setImmediate", "setTimeout"}
_COUNTISH = re.compile(r"retr|attempt|tries", re.I)


def _fn_name(fn: ts.Node) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return ts.text(name) if name is not None and name.type == "identifier" else None
    return None


def _hands_itself_on(arg: ts.Node | None, name: str) -> bool:
    """`op.bind(null, retry)`, `() => op(retry)`, `function () { op(retry) }` for name `retry`."""
    arg = unwrap(arg)
    if arg is None:
        return False
    text = ts.text(arg)
    if arg.type == "call_expression" and text.split("(", 1)[0].endswith(".bind"):
        return re.search(r"\bbind\(\s*[\w$.]+\s*,(?:[^()]*,)?\s*" + re.escape(name) + r"\s*[,)]", text) is not None
    if arg.type in ("arrow_function", "function_expression", "function"):
        return re.search(r"[\w$.]+\((?:[^()]*,)?\s*" + re.escape(name) + r"\s*[,)]", text) is not None
    return False


def _guard(call: ts.Node, fn: ts.Node):
    """(counter, op, bound node) of the `counter < bound` guarding ``call`` in ``fn``, the counter bumped in
    the guarded branch; else None."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return None
        if parent.type != "if_statement":
            continue
        consequence = parent.child_by_field_name("consequence")
        if consequence is None or not (consequence.start_byte <= call.start_byte < consequence.end_byte):
            continue
        condition = parent.child_by_field_name("condition")
        stack = [condition] if condition is not None else []
        while stack:
            node = unwrap(stack.pop())
            if node is None:
                continue
            if node.type == "binary_expression":
                op = ts.text(node.child_by_field_name("operator"))
                if op in ("&&",):
                    stack.extend([node.child_by_field_name("left"), node.child_by_field_name("right")])
                    continue
                left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
                if op in ("<", "<=") and left is not None and right is not None and left.type == "identifier":
                    counter = ts.text(left)
                    if not (_COUNTISH.search(counter) or _COUNTISH.search(ts.text(right))):
                        continue
                    body = ts.text(consequence)
                    if re.search(r"(?<![\w$.])" + re.escape(counter) + r"\s*(\+\+|\+=\s*1\b)|\+\+\s*" + re.escape(counter)
                                 + r"(?![\w$])", body):
                        return counter, op, right
        return None
    return None


def _declared_value(name: str, site: ts.Node) -> ts.Node | None:
    """The initial value of `var` / `let` / `const name = ...` in a block around ``site`` (a callback's
    counter and bound are usually `var attempts = 0, retries = ...` of the function around it)."""
    for parent in ts.ancestors(site):
        if parent.type not in ("statement_block", "program"):
            continue
        for stmt in parent.named_children:
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in stmt.named_children:
                dname = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                if dname is not None and dname.type == "identifier" and ts.text(dname) == name:
                    return unwrap(declarator.child_by_field_name("value"))
    return None


def _start(ctx: FileContext, counter: str, site: ts.Node) -> float | None:
    value = _declared_value(counter, site)
    if value is None or value.type != "number":
        return None
    try:
        return float(ts.text(value))
    except ValueError:
        return None


@js_detector(ID, ["retry"],
             valid=["function done(err) { if (err && i < items.length) { i++; process.nextTick(run.bind(null, done)) } }",
                    "function done(err) { if (err && attempts < 3) { process.nextTick(run.bind(null, other)) } }"],
             invalid=["let attempts = 0;\nfunction done(err) {\n  if (err && attempts < 3) {\n    attempts++;\n"
                      "    process.nextTick(run.bind(null, done));\n  }\n}"])
def detect(ctx: FileContext) -> None:
    if not any(word in ctx.data for word in (b"nextTick", b"setImmediate", b"setTimeout", b"bind(")):
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for call in ctx.calls:
        if call.callee not in _SCHEDULERS or call.arg(0) is None:
            continue
        line = call.node.start_point[0] + 1
        if line in reported:
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES and _fn_name(a)), None)
        name = _fn_name(fn) if fn is not None else None
        if not name or not _hands_itself_on(call.arg(0), name):
            continue
        guard = _guard(call.node, fn)
        if guard is None:
            continue
        counter, op, bound = guard
        start = _start(ctx, counter, call.node)
        if start is None:
            continue
        # runs: the first, then one per retry while counter (from start) < bound: bound - start retries
        offset = 1.0 - start + (1.0 if op == "<=" else 0.0)
        if unwrap(bound).type == "identifier" and ctx.local_value(ts.text(unwrap(bound)), call.node) is None:
            bound = _declared_value(ts.text(unwrap(bound)), call.node) or bound  # `var retries = cfg.retries || 3`
        attempts, confidence, pending = ctx.count_value(bound, offset)
        attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "callback",
                 "library": None}
        found = ctx.finding("retry", call.node, ID, attrs, confidence, None, pending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, None, ()))
        reported.add(found.line)
