"""(round 19, js2) Bounded waits written as one call.

- BullMQ's `await job.waitUntilFinished(queueEvents, ttl)` (Firecrawl's waitForJob: `timeout ?? 180000`):
  the wait for a worker's result, bounded by its second argument (ms); a wait without one has no bound.
- A TCP socket's idle timeout `socket.setTimeout(60_000, () => socket.destroy(..))` (PowerSync's binlog
  listener on `this.zongji.connection._socket`): on a receiver named as a socket, with a callback (or
  a `socket.on('timeout', ..)` in the file) that ends the connection; `setTimeout(0)` turns it off (no
  finding, see the extractor's zero rule). Not `req.setTimeout` of Node's http (node_http reads it).

Both at the called name's line."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, unwrap

ID = "javascript.deadline"

_SOCKET = re.compile(r"(^|\.)_?(socket|sock|[A-Za-z]*Socket)$")
_ENDS = re.compile(r"\.(destroy|end|close|terminate)\(")


def detect(ctx: FileContext) -> None:
    if b"waitUntilFinished" not in ctx.data and b"setTimeout" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.is_new:
            continue
        if call.name == "waitUntilFinished" and call.receiver and len(call.args) >= 2:
            _emit(ctx, call.node, call.arg(1), "total", taken, {"library": "bullmq", "wait": "job_result"})
        elif call.name == "setTimeout" and call.receiver and _SOCKET.search(call.receiver) and call.args:
            callback = unwrap(call.arg(1))
            ends = callback is not None and _ENDS.search(ts.text(callback)) is not None or \
                re.search(re.escape(call.receiver).encode() + rb"\.on\(\s*['\"]timeout['\"]", ctx.data) is not None
            if ends:
                _emit(ctx, call.node, call.arg(0), "idle", taken, {"library": "net", "wait": "socket_idle"})


def _emit(ctx: FileContext, node: ts.Node, value: ts.Node | None, phase: str, taken, extra: dict) -> None:
    if value is None:
        return
    line = node.start_point[0] + 1
    if (line, "timeout") in taken:
        return
    taken.add((line, "timeout"))
    attrs, confidence, pending = ctx.timeout_value(value, 1.0)
    attrs = dict(attrs)
    attrs.update({"phase": phase, "scope": "client"}, **extra)
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


_PROMISE_TIMER = re.compile(r"^(timers/promises|node:timers/promises)\.setTimeout$")
_SLEEPY = re.compile(r"^(sleep|delay|wait|setTimeoutPromise)$", re.I)


def promise_timer_abort(ctx: FileContext, scope: ts.Node, controller: str):
    """(used by fetch.abort_timer) `delay(ms, undefined, { signal }).then(() => controller.abort(err))` with
    `import { setTimeout as delay } from 'timers/promises'` (PowerSync's Convex client), or a project's
    `sleep(ms).then(() => ac.abort())`: the node holding the ms, else fetch's unknown marker."""
    from extractors.javascript.detectors.fetch import _UNKNOWN, dotted

    for call in ctx.calls_in(scope):
        if call.name != "then" or call.is_new:
            continue
        fn = unwrap(call.node.child_by_field_name("function"))
        inner = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
        if inner is None or inner.type != "call_expression":
            continue
        timer = dotted(inner.child_by_field_name("function"))
        qualified = ctx.qualify(timer) if timer else ""
        if not (_PROMISE_TIMER.match(qualified or "") or _SLEEPY.match(timer.rsplit(".", 1)[-1] if timer else "")):
            continue
        callback = call.arg(0)
        if callback is None:
            continue
        aborts = dotted(callback) == f"{controller}.abort" or any(
            n.type == "call_expression" and dotted(n.child_by_field_name("function")) == f"{controller}.abort"
            for n in ts.walk(callback))
        if not aborts:
            continue
        args = [a for a in (inner.child_by_field_name("arguments").named_children
                            if inner.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
        return args[0] if args else _UNKNOWN
    return _UNKNOWN
