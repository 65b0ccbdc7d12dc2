"""(round 19, js4) A cockatiel retry policy that handles only an empty or unfinished result is a poll.

What it does: `retry(handleWhenResult(res => !res), { maxAttempts: 2 })`,
`retry(handleWhenResult(r => !TERMINAL.has(r.status)), { maxAttempts: Infinity })`: the policy runs the
call again only while its answer says "not there yet" (nothing found, a status not final): waiting for
state to appear, not recovering from a failed call. Its retry finding is dropped, and so is a cockatiel
`timeout(...)` wrapped with it (`wrap(timeout(60_000), retry(handleWhenResult(...)))`): the poll's
deadline. Run after the retry and circuit-breaker detectors.
Also exponential-backoff's `backOff(async () => { const r = await request(); if (r === undefined || r ===
null) throw new Error(MESSAGE); return r; }, { retry: isInternalError })` whose `retry` predicate accepts only
the error the callback throws for an empty answer (`error.message === MESSAGE`): a wait for a value.
Not: a policy that also handles errors (`handleAll`, `handleType`, `handleWhen(err => ...)`,
`handleWhenResult(...).orType(...)`, `new Policy({ errorFilter, resultFilter })`), a result predicate
that tests for a failure (`res => res.status >= 500`).
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, unwrap

def detect(ctx: FileContext) -> None:
    if b"backOff" in ctx.data and b"retry" in ctx.data:
        _value_backoff(ctx)
    if b"handleWhenResult" not in ctx.data:
        return
    cockatiel = {n: q.split(".", 1)[1] for n, q in ctx.imports.items() if q.startswith("cockatiel.")}
    polls: list[ts.Node] = []
    for call in ctx.calls:
        if call.is_new or cockatiel.get(call.callee) != "retry" or not call.args:
            continue
        if _poll_handler(cockatiel, call.args[0]):
            polls.append(call.node)
    if not polls:
        return
    lines = {(p.start_point[0] + 1, "retry") for p in polls}
    for wrapped in polls:
        parent = wrapped.parent
        if parent is None or parent.type != "arguments" or parent.parent is None:
            continue
        outer = parent.parent
        if cockatiel.get(dotted(outer.child_by_field_name("function"))) != "wrap":
            continue
        for sibling in parent.named_children:
            sibling = unwrap(sibling)
            if sibling is not None and sibling.type == "call_expression" and \
                    cockatiel.get(dotted(sibling.child_by_field_name("function"))) == "timeout":
                lines.add((sibling.start_point[0] + 1, "timeout"))
    ctx.findings[:] = [f for f in ctx.findings if (f.line, f.kind) not in lines or f.kind not in ("retry", "timeout")]


def _poll_handler(cockatiel: dict, node: ts.Node) -> bool:
    """`handleWhenResult(res => !res)`: a policy handling only a result that is not there yet."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return False
    if cockatiel.get(dotted(node.child_by_field_name("function"))) != "handleWhenResult":
        return False  # (`handleWhenResult(...).orType(...)` is a member call on it: not this node)
    args = node.child_by_field_name("arguments")
    given = [unwrap(a) for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if len(given) != 1 or given[0] is None or given[0].type not in ("arrow_function", "function_expression"):
        return False
    body = unwrap(given[0].child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        returned = [st for st in body.named_children if st.type == "return_statement" and st.named_children]
        if len(returned) != 1 or len(body.named_children) != 1:
            return False
        body = unwrap(returned[0].named_children[0])
    if body is None:
        return False
    params = given[0].child_by_field_name("parameters") or given[0].child_by_field_name("parameter")
    names = re.findall(r"[A-Za-z_$][\w$]*", ts.text(params) if params is not None else "")
    if not names:
        return False
    param = re.escape(names[0])
    text = re.sub(r"\s+", " ", ts.text(body)).strip()
    text = re.sub(r"^\((.*)\)$", r"\1", text)
    if re.fullmatch(rf"!\s*{param}|{param}\s*===?\s*(?:undefined|null)|(?:undefined|null)\s*===?\s*{param}", text):
        return True  # nothing there yet
    # a status that is not final yet: `!TERMINAL_STATUSES.has((result as Tx).status)`
    return bool(re.fullmatch(r"!\s*[\w$.]+\.(?:has|includes)\(.*\b(?:status|state)\)?\s*\)", text, re.I)) and \
        names[0] in text


def _value_backoff(ctx: FileContext) -> None:
    lines = set()
    for call in ctx.calls:
        if call.qualified not in ("exponential-backoff.backOff", "exponential-backoff.default.backOff") or \
                len(call.args) < 2:
            continue
        props = ctx.props(ctx.resolve_object(call.args[1])) or {}
        message = _only_message_predicate(ctx, props.get("retry"))
        callback = unwrap(call.args[0])
        if message is None or callback is None or callback.type not in ("arrow_function", "function_expression"):
            continue
        if _throws_on_empty(ctx, callback, message):
            lines.add(call.node.start_point[0] + 1)
    if lines:
        ctx.findings[:] = [f for f in ctx.findings if not (f.kind == "retry" and f.line in lines)]


def _message_value(ctx: FileContext, node) -> str | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return ts.text(node)[1:-1]
    value = ctx.evaluate(ctx.to_expr(node)).value
    return value if isinstance(value, str) else None


def _only_message_predicate(ctx: FileContext, node) -> str | None:
    """`retry: isInternalError` with `function isInternalError(e) { return e instanceof Error && e.message ===
    MESSAGE }` (or an arrow): the one message the predicate accepts."""
    node = unwrap(node)
    if node is None:
        return None
    fn = node
    if node.type == "identifier":
        fn = ctx.functions.get(ts.text(node))
    if fn is None or fn.type not in ("function_declaration", "arrow_function", "function_expression"):
        return None
    body = unwrap(fn.child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        returned = [st for st in body.named_children if st.type == "return_statement" and st.named_children]
        if len(returned) != 1 or len(body.named_children) != 1:
            return None
        body = unwrap(returned[0].named_children[0])
    if body is None:
        return None
    m = re.search(r"\.message\s*===?\s*([\w$.]+|\"[^\"]*\"|'[^']*')\s*$", ts.text(body))
    if m is None or "||" in ts.text(body):
        return None
    stack = [body]
    while stack:  # the compared value's node
        node = stack.pop()
        if ts.text(node) == m.group(1) and node.type in ("identifier", "member_expression", "string"):
            return _message_value(ctx, node)
        stack.extend(node.named_children)
    return None


def _throws_on_empty(ctx: FileContext, callback, message: str) -> bool:
    """The callback throws an Error with ``message`` in a branch testing its answer for nothing."""
    stack = [callback.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "if_statement":
            condition = ts.text(node.child_by_field_name("condition") or node)
            if re.search(r"===?\s*(?:undefined|null)\b|^\(\s*!\s*[\w$]+\s*\)$", condition):
                for inner in node.child_by_field_name("consequence").named_children \
                        if node.child_by_field_name("consequence") is not None else []:
                    thrown = unwrap(inner.named_children[0]) if inner.type == "throw_statement" and \
                        inner.named_children else None
                    if thrown is not None and thrown.type == "new_expression":
                        args = thrown.child_by_field_name("arguments")
                        first = next((a for a in (args.named_children if args is not None else [])
                                      if a.type != "comment"), None)
                        if first is not None and _message_value(ctx, first) == message:
                            return True
        if node.type not in ("arrow_function", "function_expression", "function_declaration") or node is callback:
            stack.extend(node.named_children)
    return False
