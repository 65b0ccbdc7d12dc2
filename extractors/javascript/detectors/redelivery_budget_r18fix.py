"""(round 18, second-wave fixes) A consumer's retry budget checked against a count the message carries.

A queue consumer re-queues a task while the count its message carries is below a bound, or drops it past the
bound (ONLYOFFICE's task queues and document callbacks):
`const redeliveredCount = message.properties.headers['x-redelivered-count']; if (!redeliveredCount ||
redeliveredCount < cfgMaxRedeliveredCount) { headers['x-redelivered-count'] = ...; yield addTaskString(...) }`
(amqplib), `if (context.message.delivery_count > cfgMaxRedeliveredCount) { ...; ack() }` (rhea), `const attempt =
cmd.getAttempt() || 0; if (attempt < tenCallbackBackoffOptions.retries) { needRetry = true }` (a callback re-sent
through a delayed queue). The message is tried bound + 1 times (`<` re-queues until the count reaches the bound,
`>` drops once it passes it; `<=` / `>=` one more / one fewer), at the check. The count must be one the message
or command carries (a redelivery header, `delivery_count`, `deliveryCount`, `redelivered`, a `getAttempt()`
getter); a `<` check must lead to a re-send (a call named add / push / publish / send / requeue / retry, or a
retry flag set true). Never a loop's own counter, nor a count of this process's tries."""

from __future__ import annotations

import re

from contract_discovery.values import BinOp, Num, Ref, Unknown
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, unwrap

ID = "javascript.retry_loop"
_CARRIED = re.compile(r"redeliver|delivery_?count|deliveryCount|getAttempts?\(|x-retry-count|x-death", re.I)
_GIVE_UP_COUNT = re.compile(r"redeliver|delivery_?count|deliveryCount|x-death", re.I)
_RESEND_CALL = re.compile(r"(^|\.)(\w*(add|push|publish|send|requeue|retry|Retry|schedule)\w*)$")
_RETRY_FLAG = re.compile(r"(?i)retry")


def detect(ctx: FileContext) -> None:
    if not _CARRIED.search(ctx.data.decode("utf-8", "replace")):
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for node in descendants(ctx.tree.root_node):
        if node.type != "if_statement":
            continue
        try:
            _check(ctx, node, reported)
        except Exception:  # an odd check costs only this finding
            continue


def _count_text(ctx: FileContext, node: ts.Node, site: ts.Node) -> str:
    text = ts.text(node)
    if node.type == "identifier":
        value = ctx.local_value(text, site)
        if value is not None:
            text += " " + ts.text(value)
    return text


def _check(ctx: FileContext, stmt: ts.Node, reported: set) -> None:
    line = stmt.start_point[0] + 1
    if line in reported:
        return
    condition = stmt.child_by_field_name("condition")
    consequence = stmt.child_by_field_name("consequence")
    if condition is None or consequence is None:
        return
    if any(a.type in ("for_statement", "while_statement", "do_statement") and
           a.child_by_field_name("condition") is not None and
           a.child_by_field_name("condition").start_byte <= stmt.start_byte < a.child_by_field_name("condition").end_byte
           for a in ts.ancestors(stmt)):
        return
    for comp in [condition, *descendants(condition)]:
        comp = unwrap(comp)
        if comp is None or comp.type != "binary_expression":
            continue
        op = ts.text(comp.child_by_field_name("operator"))
        if op not in ("<", "<=", ">", ">="):
            continue
        left, right = unwrap(comp.child_by_field_name("left")), unwrap(comp.child_by_field_name("right"))
        if left is None or right is None or right.type not in ("identifier", "member_expression", "number"):
            continue
        count = _count_text(ctx, left, stmt)
        if not _CARRIED.search(count):
            continue
        if op in ("<", "<="):
            if not _resends(ctx, consequence):
                continue
            offset = 1 if op == "<" else 2
        else:
            if not _GIVE_UP_COUNT.search(count):
                continue
            offset = 1 if op == ">" else 0
        bound = _bound_expr(ctx, right, stmt)
        if bound is None:
            return
        expr = bound if offset == 0 else BinOp("+", bound, Num(float(offset)))
        attempts, confidence, pending = ctx.count_from_expr(expr)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "requeue", "library": None}
        ctx.finding("retry", stmt, ID, attrs, "medium", None, pending)
        reported.add(line)
        return


def _resends(ctx: FileContext, block: ts.Node) -> bool:
    for call in ctx.calls_in(block):
        if _RESEND_CALL.search(call.callee or ""):
            return True
    for n in descendants(block, stop_at_functions=True):
        if n.type == "assignment_expression" and _RETRY_FLAG.search(ts.text(n.child_by_field_name("left"))) and \
                ts.text(n.child_by_field_name("right")) == "true":
            return True
    return False


def _bound_expr(ctx: FileContext, node: ts.Node, site: ts.Node):
    """The bound: a node-config value read through `ctx.getCfg(key, cfgDefault)` (a member of one:
    `tenCallbackBackoffOptions.retries`), else what the file says of it."""
    from extractors.javascript.detectors.member_timeout_r18fix import _config_key
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        key = _config_key(ctx, obj, site) if obj is not None and prop is not None else None
        if key:
            return Ref(f"$node-config:{key}.{ts.text(prop)}")
    elif node.type == "identifier":
        key = _config_key(ctx, node, site)
        if key:
            return Ref(f"$node-config:{key}")
    expr = ctx.to_expr(node)
    return None if isinstance(expr, Unknown) else expr
