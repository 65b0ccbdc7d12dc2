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
