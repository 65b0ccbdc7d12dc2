"""superagent: `.timeout(ms)` / `.timeout({ response, deadline })` and `.retry(n)` on a request chain.

What it does: reports superagent requests as ``outbound_call``, their timeouts (``deadline`` is the
whole request, ``response`` the wait for the first byte), their retries (``max_attempts`` = n + 1)
and ``missing_timeout`` when the chain sets none.

Why it matters: superagent has no timeout unless one is set on the request.

Example::

    await request.post(url).send(body).timeout({ response: 500, deadline: 2000 }).retry(2);
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (HTTP_METHODS, FileContext, Outbound, is_disabled_value,
                                           js_detector)

ID = "javascript.superagent"
_METHODS = set(HTTP_METHODS) | {"del"}


@js_detector(ID, ["timeout", "missing_timeout", "retry", "outbound_call"],
          valid=['request.get(url).timeout(500);\n// the word timeout'],
          invalid=['import request from "superagent";\nrequest.get("http://risk:8080/score");'])
def detect(ctx: FileContext) -> None:
    if not ctx.local_names_for("superagent"):
        return
    by_function = {}
    for c in ctx.calls:
        fn = c.node.child_by_field_name("function")
        if not c.is_new and fn is not None:
            by_function[(fn.start_byte, fn.end_byte)] = c
    for call in ctx.calls:
        if call.is_new or not call.qualified.startswith("superagent.") or call.name not in _METHODS \
                or call.qualified.count(".") != 1:
            continue
        target, pending, literal = ctx.url_target(call.arg(0))
        method = "DELETE" if call.name == "del" else call.name.upper()
        ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method, "url": literal},
                    "high", target, pending)
        ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "superagent", target, pending)
        timed = False
        current = call.node
        while True:
            member = current.parent
            if member is None or member.type != "member_expression" or member.child_by_field_name("object") != current:
                break
            chained = by_function.get((member.start_byte, member.end_byte))
            if chained is None:
                break
            name = ts.text(member.child_by_field_name("property"))
            if name == "timeout" and chained.args:
                timed = True
                _timeout(ctx, chained, target, pending)
            elif name == "retry":
                attempts, confidence, extra = ctx.count_value(chained.arg(0), 1.0, default=1.0)
                ctx.finding("retry", chained.node, ID,
                            {"max_attempts": attempts, "backoff": "none", "retry_on": None,
                             "mechanism": "call", "library": "superagent"}, confidence, target, extra + pending)
            current = chained.node
        if not timed:
            ctx.finding("missing_timeout", call.node, ID, {"library": "superagent", "library_default_ms": None},
                        "high", target, pending)


def _timeout(ctx: FileContext, chained, target, pending) -> None:
    arg = chained.arg(0)
    phases = ctx.props(ctx.resolve_object(arg))
    items = [("total", arg)] if phases is None else \
        [({"deadline": "total", "response": "read"}[k], v) for k, v in phases.items() if k in ("deadline", "response")]
    for phase, value in items:
        if is_disabled_value(value):
            continue
        attrs, confidence, tpending = ctx.timeout_value(value)
        attrs["phase"] = phase
        ctx.finding("timeout", chained.node, ID, attrs, confidence, target, tpending + pending)
