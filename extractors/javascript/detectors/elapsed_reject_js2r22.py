"""(round 22, js2) A budget checked by hand inside a promise's handler and given up on by rejecting it:
`const submitStart = now(); return new Promise((resolve, reject) => { const handler = async (block)
=> { if (now() - submitStart > this.submitTimeout) return reject("timeout"); ...
provider.send("eth_sendBundle", ...) }; provider.on("block", handler) })` (skandha's private-relay
submitters: a bundle re-sent on each block until the relay includes it or the budget runs out).

Like the `if (Date.now() - start > budget) throw new Error("timeout")` check (javascript.deadline),
with the clock read through a project helper (`now()`, `utils.now()`) or Date.now(), and the give-up
a `reject(...)` with a timeout message (returned or not). Reported on the comparison, with the
budget as the bound. Never: a check whose branch rejects with anything else or only logs, a
comparison of two timestamps without a subtraction from the clock, a promise that sends nothing out
(a local computation's budget)."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, dotted, unwrap

ID = "javascript.deadline"
_CLOCK = re.compile(r"^(?:Date\.now\(\)|performance\.now\(\)|new Date\(\)\.getTime\(\)|(?:[\w$]+\.)?now\(\))\s*-\s*[\w$.]+$")
_TIMED_OUT = re.compile(r"(?i)\btime[sd]?\s*-?out|\btimed\s*out\b|ETIMEDOUT")
_SENDS = re.compile(r"(?i)(^|\.)(send\w*|fetch\w*|request|post|get|call|invoke|publish\w*|execute)$")


def detect(ctx: FileContext) -> None:
    if b"reject" not in ctx.data or b"now()" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for node in descendants(ctx.tree.root_node):
        if node.type != "if_statement" or b"now()" not in node.text:
            continue
        condition, consequence = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
        if condition is None or consequence is None or not _rejects_timed_out(consequence):
            continue
        executor = _promise_executor(node)
        if executor is None or not _sends(executor):
            continue
        for comparison in [condition, *descendants(condition)]:
            if comparison.type != "binary_expression" or \
                    ts.text(comparison.child_by_field_name("operator")) not in (">", ">="):
                continue
            left = unwrap(comparison.child_by_field_name("left"))
            if left is None or not _CLOCK.match(re.sub(r"\s+", " ", ts.text(left)).strip()):
                continue
            value = unwrap(comparison.child_by_field_name("right"))
            line = comparison.start_point[0] + 1
            if value is None or (line, "timeout") in taken or ts.text(value) in ("0", "Infinity"):
                break
            taken.add((line, "timeout"))
            attrs, confidence, pending = ctx.timeout_value(value)
            attrs["phase"], attrs["scope"], attrs["mechanism"] = "total", "call", "deadline"
            ctx.finding("timeout", comparison, ID, attrs, confidence, None, pending)
            break


def _rejects_timed_out(branch: ts.Node) -> bool:
    """The branch calls `reject(...)` with a timeout message (`reject("timeout")`, `reject(new
    TimeoutError())`, `reject(new Error("timed out"))`)."""
    for call in [branch, *descendants(branch, stop_at_functions=True)]:
        if call.type != "call_expression" or dotted(call.child_by_field_name("function")) != "reject":
            continue
        args = call.child_by_field_name("arguments")
        if args is not None and _TIMED_OUT.search(ts.text(args)):
            return True
    return False


def _promise_executor(node: ts.Node) -> ts.Node | None:
    """The function handed to the `new Promise(...)` around ``node`` (through nested handlers)."""
    for parent in ts.ancestors(node):
        if parent.type == "new_expression" and dotted(parent.child_by_field_name("constructor")) == "Promise":
            args = parent.child_by_field_name("arguments")
            first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
            first = unwrap(first)
            return first if first is not None and first.type in FUNCTION_TYPES else None
    return None


def _sends(executor: ts.Node) -> bool:
    """The promise's work calls out (a send, fetch, request, RPC call), not only local code."""
    for call in descendants(executor):
        if call.type != "call_expression":
            continue
        callee = dotted(call.child_by_field_name("function"))
        if callee and "." in callee and _SENDS.search(callee) and not callee.startswith(("this.logger", "console.")):
            return True
        if callee and re.fullmatch(r"(fetch\w*|axios\w*|request)", callee):
            return True
    return False
