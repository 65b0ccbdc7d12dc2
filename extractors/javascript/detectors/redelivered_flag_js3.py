"""(round 19, js3) An AMQP consumer that requeues a failed message once and drops it when redelivered.

`} else if (job.fields.redelivered) { channel.nack(job, false, false) } else { channel.nack(job) }` and
`if (job.fields.redelivered) { return channel.nack(job, false, false) } return channel.nack(job)` (amqplib,
greenkeeper's worker): the message is handled twice at most (the first delivery and one redelivery): a retry of
2 tries at the requeueing nack. The requeueing call is `nack(msg)` / `nack(msg, false)` / `nack(msg, false, true)`
or `reject(msg)` / `reject(msg, true)`; the branch on `<msg>.fields.redelivered` must drop it (`nack(msg, false,
false)`, `reject(msg, false)`, `ack(msg)`) and hold the requeue in its `else`, or return before it.
Not: a requeue without that check (its bound is the broker's, if any), a check that requeues too.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, inside, unwrap

ID = "javascript.retry_loop"

_REDELIVERED = re.compile(r"^[\w$.]*\.fields\.redelivered$|^[\w$.]*\.redelivered$")


def _requeues(call) -> bool:
    args = [ts.text(unwrap(a)) for a in call.args]
    if call.name == "nack":
        return len(args) == 1 or (len(args) == 2 and args[1] == "false") or (len(args) == 3 and args[2] == "true")
    if call.name == "reject":
        return len(args) == 1 or (len(args) == 2 and args[1] == "true")
    return False


def _drops(ctx: FileContext, block) -> bool:
    for call in ctx.calls_in(block):
        args = [ts.text(unwrap(a)) for a in call.args]
        if call.name == "nack" and len(args) == 3 and args[2] == "false":
            return True
        if call.name == "reject" and len(args) == 2 and args[1] == "false":
            return True
        if call.name == "ack" and "." in call.callee:
            return True
    return False


def detect(ctx: FileContext) -> None:
    if b"redelivered" not in ctx.data or b"nack" not in ctx.data and b"reject" not in ctx.data:
        return
    checks = []
    for node in [n for n in descendants(ctx.tree.root_node) if n.type == "if_statement"]:
        cond = unwrap(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if cond is None or consequence is None or not _REDELIVERED.match(ts.text(cond)):
            continue
        if not _drops(ctx, consequence) or any(_requeues(c) for c in ctx.calls_in(consequence)
                                               if c.name in ("nack", "reject") and "." in c.callee):
            continue
        checks.append(node)
    if not checks:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.name not in ("nack", "reject") or "." not in call.callee or not _requeues(call):
            continue
        check = next((c for c in checks if _after(call.node, c)), None)
        if check is None:
            continue
        line = call.node.start_point[0] + 1
        if (line, "retry") in taken:
            continue
        taken.add((line, "retry"))
        attrs = {"max_attempts": 2, "backoff": "none", "retry_on": None, "mechanism": "redelivery",
                 "library": "amqplib"}
        ctx.finding("retry", call.node, ID, attrs, "medium")


def _after(node, check) -> bool:
    """The requeue sits in the check's `else`, or follows the check in its block when the check returns."""
    alternative = check.child_by_field_name("alternative")
    if alternative is not None and inside(node, alternative):
        # (not inside a nested `if` of its own that is not the redelivered one's chain)
        return True
    parent = check.parent
    if parent is None or not inside(node, parent) or node.start_byte < check.end_byte:
        return False
    consequence = check.child_by_field_name("consequence")
    returns = consequence is not None and any(n.type in ("return_statement", "throw_statement")
                                              for n in [consequence, *descendants(consequence)])
    siblings = [s for s in parent.named_children if s.start_byte >= check.end_byte]
    return returns and any(inside(node, s) for s in siblings[:2])
