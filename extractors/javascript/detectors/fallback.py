"""Fallbacks in a catch: a remote call that, when it fails, is answered with a default value or
with another service's answer.

What it does: reports ``fallback`` for `try { return await risk.score(c) } catch { return { decision: "allow" } }`
(``strategy: default_value``) and for a catch that returns a different remote call
(``strategy: alternate_call``). A catch that rethrows, or only answers an HTTP error to its own
client (`res.status(500)`), is not a fallback.

Why it matters: what the caller does when the dependency fails is part of the contract
(the seed's `fallback: allow_with_monitoring`).

Example::

    try { return await riskApi.score(tx) } catch (err) { return { score: 0, decision: "allow" } }
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (FileContext, descendants, js_detector, object_props, unwrap)
from extractors.javascript.detectors.retry_loops import _REMOTE_RECEIVER, _calls_in

ID = "javascript.fallback"


@js_detector(ID, ["fallback"],
             valid=['try { return await riskApi.score(c); } catch (e) { throw e; }',
                    'try { return JSON.parse(s); } catch (e) { return null; }'],
             invalid=['try { return await riskApi.score(c); } catch (e) { return { decision: "allow" }; }'])
def detect(ctx: FileContext) -> None:
    scopes = {(s.node.start_byte, s.node.end_byte) for s in ctx.retry_scopes}
    for match in ctx.loop_matches():
        if "try" not in match:
            continue
        try_node, try_body, catch_body = match["try"][0], match["try_body"][0], match["catch_body"][0]
        if (catch_body.start_byte, catch_body.end_byte) in scopes:
            continue
        remote = [c for c in _calls_in(ctx, try_body) if _is_remote(ctx, c)]
        if not remote:
            continue
        top = [n for n in descendants(catch_body, stop_at_functions=True)]
        if any(n.type == "throw_statement" for n in top):
            continue
        returns = [n for n in top if n.type == "return_statement" and n.named_children]
        if not returns:
            continue
        value = unwrap(returns[-1].named_children[0])
        if value is not None and value.type == "await_expression" and value.named_children:
            value = unwrap(value.named_children[0])
        if value is None:
            continue
        out = ctx.outbound.get((remote[0].node.start_byte, remote[0].node.end_byte))
        target, pending = (out.target, out.pending) if out is not None else ctx.first_target_in(try_body)
        if value.type in ("call_expression",):
            alternates = [c for c in _calls_in(ctx, catch_body) if c.node == value and _is_remote(ctx, c)
                          and c.callee not in {r.callee for r in remote}]
            if not alternates:
                continue
            attrs = {"strategy": "alternate_call", "value": alternates[0].callee, "library": None}
        elif value.type in ("object", "array", "string", "number", "true", "false", "null", "identifier",
                            "template_string", "member_expression"):
            if value.type == "identifier" and ts.text(value) in ("err", "error", "e", "ex"):
                continue
            props = object_props(value) or {} if value.type == "object" else {}
            if {"error", "err", "errors", "errorMessage"} & set(props) or \
                    any(k in props and ts.text(props[k]) == "false" for k in ("success", "ok", "succeeded")):
                continue  # `{ error: "..." }`, `{ success: false }`: the failure handed on, not a substitute
            attrs = {"strategy": "default_value", "value": ts.text(value)[:80], "library": None}
        else:
            continue
        ctx.finding("fallback", try_node, ID, attrs, "medium", target, pending)


def _is_remote(ctx: FileContext, call) -> bool:
    if (call.node.start_byte, call.node.end_byte) in ctx.outbound:
        return True
    receiver = call.receiver.rsplit(".", 1)[-1]
    return call.awaited and bool(receiver) and _REMOTE_RECEIVER.search(receiver) is not None
