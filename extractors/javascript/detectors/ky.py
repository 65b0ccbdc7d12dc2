"""ky: `timeout` (ms, or `false`), `retry` (a number or `{ limit }`), per call or on `ky.create/extend`.

What it does: reports ky requests as ``outbound_call``; their timeout, or ky's own default of
10 s (``resolved_from: library_default``) when none is set; ``missing_timeout`` for
`timeout: false`; and explicit retry limits (``max_attempts`` = limit + 1).

An instance the project exports from another file, named for ky (`import { safeKy } from
"./lib/ky"`), has its per-call options read and no default assumed.

Why it matters: ky's defaults (10 s, two retries of idempotent requests) are contract terms
nobody wrote down; `timeout: false` waits forever.

Example::

    const api = ky.create({ prefixUrl: "http://risk:8080", timeout: 200, retry: 0 });
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, HTTP_METHODS, CallInfo, FileContext, Outbound, inside,
                                           is_disabled_value, js_detector, string_value, unwrap)

ID = "javascript.ky"
KY_DEFAULT_TIMEOUT_MS = 10000


@js_detector(ID, ["timeout", "missing_timeout", "retry", "outbound_call"],
             valid=['const ky = "a ky timeout";', 'sky.get("x");'],
             invalid=['import ky from "ky";\nawait ky.post("http://risk:8080/score", { timeout: 200 });'])
def detect(ctx: FileContext) -> None:
    instances: dict[str, tuple] = {}
    # `import { safeKy } from "@typebot.io/lib/ky"`: an instance the project made with `ky.create`
    # in another file (named for ky): its defaults are unknown here, its per-call options are read
    from extractors.javascript.detectors.client_options import _project_module
    for local, target in ctx.imports.items():
        if re.fullmatch(r"(?:[a-z][A-Za-z0-9]*K|k)y", local) and _project_module(ctx, target.rsplit(".", 1)[0]):
            instances[local] = (None, False, False)
    if not ctx.local_names_for("ky", "ky-universal") and not instances:
        return
    for call in ctx.calls:
        if call.is_new or call.qualified.replace("ky-universal", "ky") not in ("ky.create", "ky.extend"):
            continue
        parent = call.node.parent
        name = None
        if parent is not None and parent.type == "variable_declarator":
            name = parent.child_by_field_name("name").text.decode()
        props = ctx.props(ctx.resolve_object(call.arg(0))) or {}
        base = props.get("prefixUrl")
        target, pending, _ = ctx.url_target(None, base)
        known = call.arg(0) is None or (ctx.resolve_object(call.arg(0)) is not None
                                        and not ctx.opaque(ctx.resolve_object(call.arg(0))))
        _settings(ctx, call.node, props, target, pending, default_timeout=False)
        if name:
            instances[name] = (base, "timeout" in props, known)
    for call in ctx.calls:
        if call.is_new:
            continue
        qualified = call.qualified.replace("ky-universal", "ky")
        instance = None
        if qualified == "ky" and not call.receiver:
            method = "get"
        elif qualified.startswith("ky.") and call.name in HTTP_METHODS and qualified.count(".") == 1:
            method = call.name
        elif call.receiver in instances and call.name in HTTP_METHODS:
            instance, method = instances[call.receiver], call.name
        elif call.callee in instances:
            instance, method = instances[call.callee], "get"
        else:
            continue
        _request(ctx, call, method, instance)


def _request(ctx: FileContext, call: CallInfo, method: str, instance) -> None:
    options_node = call.arg(1)
    options = ctx.resolve_object(options_node)
    props = ctx.props(options) if options is not None else {}
    method = string_value((props or {}).get("method")) or method
    base = instance[0] if instance is not None else None
    target, pending, literal = ctx.url_target(call.arg(0), base)
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method.upper(), "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "ky", target, pending)
    if options is not None and "retry" not in (props or {}):
        _forwarded_retry(ctx, call, options, target, pending)
    if options_node is not None and (options is None or ctx.opaque(options)) and "timeout" not in (props or {}):
        if "retry" in (props or {}):  # `{ ...init, retry: 0 }`: the retry it writes, whatever it spreads
            _retry(ctx, call.node, props["retry"], target, pending)
        return
    inherited = instance is not None and (instance[1] or not instance[2])
    _settings(ctx, call.node, props or {}, target, pending, default_timeout=not inherited)


def _settings(ctx: FileContext, node, props: dict, target, pending, default_timeout: bool) -> None:
    timeout = props.get("timeout")
    if timeout is not None and unwrap(timeout).type == "false":
        ctx.finding("missing_timeout", node, ID, {"library": "ky", "library_default_ms": KY_DEFAULT_TIMEOUT_MS},
                    "high", target, pending)
    elif timeout is not None and not is_disabled_value(timeout):
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        ctx.finding("timeout", node, ID, attrs, confidence, target, tpending + pending)
    elif timeout is None and default_timeout:
        ctx.finding("timeout", node, ID, {"timeout_ms": KY_DEFAULT_TIMEOUT_MS, "phase": "total",
                                          "resolved_from": "library_default", "expression": ""},
                    "medium", target, pending)
    retry = props.get("retry")
    if retry is not None:
        _retry(ctx, node, retry, target, pending)


def _retry(ctx: FileContext, node, retry, target, pending) -> None:
    retry_props = ctx.props(ctx.resolve_object(retry))
    limit_node = retry_props.get("limit") if retry_props is not None else retry
    attempts, confidence, extra = ctx.count_value(limit_node, 1.0, default=2.0)
    ctx.finding("retry", node, ID, {"max_attempts": attempts,
                                    "backoff": "none" if attempts == 1 else "exponential",
                                    "retry_on": None, "mechanism": "client_config", "library": "ky"},
                confidence, target, extra + tuple(pending))


def _forwarded_retry(ctx: FileContext, call: CallInfo, options, target, pending) -> None:
    """`const send = (url, options) => ky(url, { ...options, throwHttpErrors: false })`, called in this
    file as `send(url, { ...init, retry: retries })`: the caller's `retry` reaches ky. Reported on the
    caller's `retry` key."""
    fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES), None)
    name = _function_name(fn) if fn is not None else None
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if not name or params is None:
        return
    names = [ts.text(p.child_by_field_name("pattern") or p.child_by_field_name("left") or p)
             for p in params.named_children]
    spread = [ts.text(unwrap(c.named_children[0])) for c in options.named_children
              if c.type == "spread_element" and c.named_children]
    for index, param in enumerate(names):
        if param not in spread:
            continue
        for caller in ctx.calls:
            if caller.name != name or caller.receiver not in ("", "this") or inside(caller.node, fn):
                continue
            obj = ctx.resolve_object(caller.arg(index))
            if obj is None:
                continue
            for pair in obj.named_children:
                if pair.type == "pair" and ts.text(pair.child_by_field_name("key")) == "retry":
                    _retry(ctx, pair, pair.child_by_field_name("value"), target, pending)


def _function_name(fn) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name"))
    return None
