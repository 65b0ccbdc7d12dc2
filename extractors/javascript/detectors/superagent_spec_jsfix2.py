"""(round 20, jsfix2) A superagent timeout spec handed to a project's request helper.

`buildRestClient(tokenSource, url, 'Prisoner Search API', { agent, timeout: timeoutSpec })` with
`const timeoutSpec = { response: ..., deadline: ... }` (or `timeout: config.apis.hdc.timeout`, a member of
the imported settings whose `timeout` block holds `response` / `deadline`): the helper hands it to
superagent's `.timeout(spec)`, so the call carries two bounds, the wait for the response (phase read)
and the whole request (phase total), as superagent's own `.timeout({ response, deadline })` does.
A spec of the imported settings is read through the settings module: the total is its `deadline`, else
the value itself (a plain number), and the read phase is kept only when the settings hold a `response`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Num, Ref
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, Pending, object_props, unwrap

_PHASES = {"response": "read", "deadline": "total"}


def spec_timeouts(ctx: FileContext, call_node: ts.Node, key: str, value: ts.Node, emit_timeout, emit) -> bool:
    """Report the spec's phases on the helper call; True when it was a spec (nothing else to report)."""
    if key != "timeout":
        return False
    inner = unwrap(value)
    if inner is None:
        return False
    obj = inner if inner.type == "object" else ctx.resolve_object(inner) if inner.type == "identifier" else None
    if obj is not None and obj.type == "object":
        props = object_props(obj) or {}
        phases = [(_PHASES[k], v) for k, v in props.items() if k in _PHASES and v is not None]
        if not phases:
            return False
        for phase, member in phases:
            emit_timeout(call_node, member, phase)
            _publish_handed(ctx, re.sub(r"\s+", "", ts.text(unwrap(member) or member)))
        return True
    text = re.sub(r"\s+", "", ts.text(inner))
    if inner.type != "member_expression" or not re.fullmatch(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+\.timeout", text) \
            or text.split(".", 1)[0] not in ctx.imports:
        return False
    _publish_handed(ctx, text)
    # a member of the imported settings: its deadline (else the value itself) is the whole request's bound
    total = Call("coalesce", (Ref(f"{text}.deadline"), Ref(text)))
    emit(call_node, {"expression": text, "timeout_ms": None, "resolved_from": "unresolved", "phase": "total",
                     "scope": "client"}, "medium", (Pending("timeout_ms", total, 1.0),))
    read = Ref(f"{text}.response")
    emit(call_node, {"expression": f"{text}.response", "timeout_ms": None, "resolved_from": "unresolved",
                     "phase": "read", "scope": "client"}, "medium",
         (Pending("timeout_ms", read, 1.0), Pending(KEEP_IF, read, None)))
    return True


HANDED = "$spec_handed."  # a settings block's `timeout` spec some call hands to a project helper


def _publish_handed(ctx: FileContext, text: str) -> None:
    """`config.apis.hdc.timeout` (imported settings) handed to a project helper: the settings module's
    `timeout` block at apis.hdc is read by the project's own code (the call holds the contract)."""
    text = re.sub(r"\.(response|deadline)$", "", text)
    head, _, rest = text.partition(".")
    if head in ctx.imports and rest.endswith("timeout"):
        ctx.symbols[f"{HANDED}{rest}"] = Num(1)


def config_block_path(value: ts.Node) -> str | None:
    """`apis: { hdc: { timeout: { response, deadline } } }` -> "apis.hdc.timeout" (the keys from the
    outermost object literal down to the `timeout` pair holding ``value``)."""
    keys = []
    node = value.parent
    while node is not None:
        if node.type == "pair":
            key = node.child_by_field_name("key")
            keys.append(ts.text(key).strip("'\""))
        elif node.type not in ("object", "parenthesized_expression", "as_expression", "satisfies_expression"):
            break
        node = node.parent
    return ".".join(reversed(keys)) if keys and keys[0] == "timeout" else None


def unless_handed(ctx: FileContext, value: ts.Node, start: int) -> None:
    """The settings block's phases reported since ``start``: dropped when a call of the project hands
    this block to its own request helper (reported there, phases and values, round 20 licences); kept
    when a library consumes the block (hmpps-incentives-ui's RestClient)."""
    path = config_block_path(value)
    if path is None:
        return
    handed = Call("not_in", (Call("coalesce", (Ref(f"{HANDED}{path}"), Num(0))), Num(1)))
    for i in range(start, len(ctx.findings)):
        fd = ctx.findings[i]
        if fd.kind == "timeout":
            ctx.findings[i] = replace(fd, pending=(*fd.pending, Pending(KEEP_IF, handed, None)))
