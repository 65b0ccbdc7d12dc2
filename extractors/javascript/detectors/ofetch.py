"""ofetch / Nuxt `$fetch`: `timeout` (ms) and `retry` (retries after the first try), per call or on `ofetch.create`.

What it does: reports ofetch requests (`ofetch(url, opts)`, `$fetch(url, opts)`, an instance made with
`ofetch.create({ baseURL, timeout, retry })`) as ``outbound_call``, their timeout and their retry limit
(``max_attempts`` = retry + 1, `retry: false` = 1). An instance's own settings are reported at its
`create` call. A request to another service with no timeout anywhere is ``missing_timeout`` (ofetch sets
none: the runtime's fetch waits).

Why it matters: ofetch retries GET-like requests once by default and never times out unless told to;
`retry: 2, timeout: 1500` on a POST is a contract the provider must honour (three sends).

Example::

    const inventory = ofetch.create({ baseURL: "http://inventory:8080" });
    await inventory("/v1/reserve", { method: "POST", retry: 2, timeout: 1500 });
"""

from __future__ import annotations

from extractors.javascript.context import (CallInfo, FileContext, Outbound, is_disabled_value, js_detector,
                                           string_value, unwrap)

ID = "javascript.ofetch"
_MODULES = ("ofetch", "ofetch/node")
_ENTRIES = {"ofetch", "$fetch"}


@js_detector(ID, ["timeout", "missing_timeout", "retry", "outbound_call"],
             valid=['const ofetch = "an ofetch timeout of 3 s";', 'await myfetch("http://risk:8080/x", { retry: 2 });'],
             invalid=['import { ofetch } from "ofetch";\nawait ofetch("http://risk:8080/score", { timeout: 200 });',
                      'await $fetch("http://risk:8080/score", { method: "POST", retry: 2 });'])
def detect(ctx: FileContext) -> None:
    entries = {local for local, target in ctx.imports.items()
               if target in _MODULES or target.rsplit(".", 1)[0] in _MODULES
               and target.rsplit(".", 1)[-1] in (*_ENTRIES, "default")}
    nuxt_global = "$fetch" not in ctx.imports and b"$fetch" in ctx.data
    if not entries and not nuxt_global:
        return
    if nuxt_global:
        entries.add("$fetch")
    instances: dict[str, tuple] = {}
    for call in ctx.calls:
        if call.is_new or call.receiver not in entries or call.name != "create":
            continue
        parent = call.node.parent
        props = ctx.props(ctx.resolve_object(call.arg(0))) or {}
        base = props.get("baseURL") or props.get("baseUrl")
        target, pending, _ = ctx.url_target(None, base)
        _settings(ctx, call.node, props, target, pending)
        if parent is not None and parent.type == "variable_declarator":
            known = call.arg(0) is None or not ctx.opaque(ctx.resolve_object(call.arg(0)))
            instances[parent.child_by_field_name("name").text.decode()] = (base, "timeout" in props or not known)
    for call in ctx.calls:
        if call.is_new:
            continue
        if call.callee in entries and not call.receiver:
            instance = None
        elif call.receiver in entries and call.name == "raw":
            instance = None
        elif call.callee in instances and not call.receiver:
            instance = instances[call.callee]
        elif call.receiver in instances and call.name == "raw":
            instance = instances[call.receiver]
        else:
            continue
        if call.callee == "$fetch" and nuxt_global and ctx.shadowed("$fetch", call.node):
            continue
        _request(ctx, call, instance)


def _request(ctx: FileContext, call: CallInfo, instance) -> None:
    options_node = call.arg(1)
    options = ctx.resolve_object(options_node)
    props = (ctx.props(options) if options is not None else None) or {}
    method = (string_value(props.get("method")) or "get").upper()
    base = props.get("baseURL") or props.get("baseUrl") or (instance[0] if instance is not None else None)
    target, pending, literal = ctx.url_target(call.arg(0), base)
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method, "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "ofetch", target, pending)
    inherited = instance is not None and instance[1]
    unknown = options_node is not None and (options is None or ctx.opaque(options))
    _settings(ctx, call.node, props, target, pending,
              missing=not inherited and not unknown and "timeout" not in props and target is not None)


def _settings(ctx: FileContext, node, props: dict, target, pending, missing: bool = False) -> None:
    timeout = props.get("timeout")
    if timeout is not None and not is_disabled_value(timeout):
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        attrs["library"] = "ofetch"
        ctx.finding("timeout", node, ID, attrs, confidence, target, tpending + pending)
    elif missing or (timeout is not None and target is not None):
        ctx.finding("missing_timeout", node, ID, {"library": "ofetch", "library_default_ms": None},
                    "medium", target, pending)
    retry = props.get("retry")
    if retry is not None:
        value = unwrap(retry)
        if value is not None and value.type == "false":
            attempts, confidence, extra = 1, "high", ()
        else:
            attempts, confidence, extra = ctx.count_value(retry, 1.0)
        ctx.finding("retry", node, ID, {"max_attempts": attempts,
                                        "backoff": "none" if attempts == 1 else "fixed",
                                        "retry_on": None, "mechanism": "client_config", "library": "ofetch"},
                    confidence, target, extra + tuple(pending))
