"""got: `timeout` (a number, or `{request, connect, response, ...}`) and `retry` (`{limit}` or a number),
per call or on `got.extend(...)`.

What it does: reports got requests as ``outbound_call``, each timeout phase they set, their retry
limit (``max_attempts`` = limit + 1), and ``missing_timeout`` when no timeout is set. Options written
key by key before the call (``var opts = {}; opts.timeout = {...}; got(url, opts)``) count, each on
the line that writes it; got loaded by ``await import("got")`` counts as imported.

Why it matters: got has no timeout by default, and it retries idempotent requests twice on its
own; both are contract terms the callee never sees.

Example::

    await got.post(url, { timeout: { request: 1000 }, retry: { limit: 2 } });  // 1000 ms, 3 attempts
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (HTTP_METHODS, CallInfo, FileContext, Outbound, dotted, is_disabled_value,
                                           js_detector, string_value, unwrap)
from extractors.javascript.detectors._clients import instance_for

ID = "javascript.got"
_PHASES = {"request": "total", "connect": "connect", "lookup": "connect", "secureConnect": "connect",
           "socket": "read", "response": "read", "read": "read", "send": "read"}


@js_detector(ID, ["timeout", "missing_timeout", "retry", "outbound_call"],
          valid=['const got = require("got"); // timeout', 'const retry = { limit: 3 };'],
          invalid=['const got = require("got");\ngot.post("http://risk:8080/score", { json: body });',
                   'import got from "got";\ngot(url, { retry: { limit: 2 } });'])
def detect(ctx: FileContext) -> None:
    names = ctx.local_names_for("got", "got-cjs")  # (round 18, js2) got-cjs: got's CommonJS build, same API
    project_got = _project_got_js1(ctx)
    if not names and not project_got:
        return
    for instance in {id(i): i for i in ctx.instances.values()}.values():
        if instance.library == "got" and instance.create is not None and instance.config is not None:
            target, pending, _ = ctx.url_target(None, instance.base_url)
            _settings(ctx, instance.create, ctx.props(instance.config) or {}, target, pending, "client_config")
    aliases = _aliases(ctx)
    for call in ctx.calls:
        if call.is_new:
            continue
        instance = None
        # `import { got } from "got"` qualifies `got.post` as `got.got.post`
        qualified = "got." + call.qualified[8:] if call.qualified.startswith("got.got.") else call.qualified
        if qualified.startswith("got-cjs."):
            qualified = "got." + qualified[len("got-cjs.got."):] if qualified.startswith("got-cjs.got.") else \
                "got" + qualified[len("got-cjs"):]
        if qualified in ("got", "got.got", "got.default") and not call.receiver:
            method = "get"
        elif call.callee in project_got and not call.receiver:
            method = "get"  # (round 17, js1) the project's own got.extend instance, called as got(url, options)
        elif call.receiver in project_got and call.name in HTTP_METHODS and call.callee.count(".") == 1:
            method = call.name
        elif not call.receiver and call.callee in aliases:
            method = aliases[call.callee]  # `const request = post ? got.post : got.get; request(url, options)`
        elif qualified.startswith("got.") and call.name in HTTP_METHODS and qualified.count(".") == 1:
            method = call.name
        elif qualified == "got.stream" or (qualified.startswith("got.stream.") and call.name in HTTP_METHODS):
            # `got.stream(url, { timeout, retry })`, `got.stream.post(...)` (round 9): the same options
            method = call.name if call.name in HTTP_METHODS else "get"
        else:
            instance = instance_for(ctx, call.receiver) if call.name in HTTP_METHODS else instance_for(ctx, call.callee)
            if instance is None or instance.library != "got":
                continue
            method = call.name if call.name in HTTP_METHODS else "get"
        _request(ctx, call, method, instance)


_PROJECT_GOT_JS1 = re.compile(r"^(?:\.{1,2}/)?(?:.+/)got(?:/index)?(?:\.[cm]?[jt]s)?(?:\.default)?$")


def _project_got_js1(ctx: FileContext) -> set[str]:
    """(round 17, js1) `import got from '../lib/got/index.js'`: a project module named for got (it exports the
    service's `got.extend({...})` instance, jsDelivr's src/lib/got): its calls take got's options."""
    return {name for name, target in ctx.imports.items() if name == "got" and _PROJECT_GOT_JS1.match(target)}


def _aliases(ctx: FileContext) -> dict[str, str | None]:
    """Local names bound to got's request functions: `const send = got.post` -> POST; a ternary
    of two methods -> None (either)."""
    found: dict[str, str | None] = {}
    for node in ctx.nodes_of("variable_declarator"):
        name, value = node.child_by_field_name("name"), unwrap(node.child_by_field_name("value"))
        if name is None or value is None or name.type != "identifier":
            continue
        branches = [value]
        if value.type == "ternary_expression":
            branches = [unwrap(value.child_by_field_name("consequence")),
                        unwrap(value.child_by_field_name("alternative"))]
        methods = set()
        for branch in branches:
            qualified = ctx.qualify(dotted(branch)) if branch is not None else ""
            if not qualified.startswith("got.") or qualified.count(".") != 1 or \
                    qualified.split(".")[1] not in HTTP_METHODS:
                methods = set()
                break
            methods.add(qualified.split(".")[1])
        if methods:
            found[ts.text(name)] = methods.pop() if len(methods) == 1 else None
    return found


def _request(ctx: FileContext, call: CallInfo, method: str | None, instance) -> None:
    first = ctx.resolve_object(call.arg(0))
    if first is not None and call.arg(1) is None:
        options_node, url_node = call.arg(0), (ctx.props(first) or {}).get("url")
    else:
        options_node, url_node = call.arg(1), call.arg(0)
    options = ctx.resolve_object(options_node)
    props = ctx.props(options) if options is not None else {}
    method = string_value((props or {}).get("method")) or method
    base = instance.base_url if instance is not None else None
    target, pending, literal = ctx.url_target(url_node, base)
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method.upper() if method else None,
                                                 "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "got", target, pending)
    found = _settings(ctx, call.node, props or {}, target, pending, "client_config")
    if options_node is not None:
        # `var opts = {}; opts.timeout = { request: 5000 }; opts.retry = { limit: 0 }; got(url, opts)`:
        # each setting on the line that writes it
        for key, value, assignment in ctx.assigned_props(options_node, call.node):
            if key in ("timeout", "retry"):
                found = _settings(ctx, assignment, {key: value}, target, pending, "client_config") or found
                props = {**(props or {}), key: value}
    if found or "timeout" in (props or {}):
        if "timeout" in (props or {}) and is_disabled_value(props["timeout"]):
            ctx.finding("missing_timeout", call.node, ID, {"library": "got", "library_default_ms": None},
                        "high", target, pending)
        return
    if options_node is not None and (options is None or ctx.opaque(options)):
        return
    if instance is not None and (not instance.known_defaults or instance.has_timeout):
        return
    ctx.finding("missing_timeout", call.node, ID, {"library": "got", "library_default_ms": None},
                "high", target, pending)


def _settings(ctx: FileContext, node, props: dict, target, pending, mechanism: str) -> bool:
    """Timeout and retry findings for a got options object; True if a timeout was reported."""
    reported = False
    timeout = props.get("timeout")
    if timeout is not None and not is_disabled_value(timeout):
        phases = ctx.props(ctx.resolve_object(timeout))
        items = [("total", timeout)] if phases is None else \
            [(_PHASES[k], v) for k, v in phases.items() if k in _PHASES and not is_disabled_value(v)]
        for phase, value in items:
            attrs, confidence, tpending = ctx.timeout_value(value)
            attrs["phase"] = phase
            ctx.finding("timeout", node, ID, attrs, confidence, target, tpending + pending)
            reported = True
    retry = props.get("retry")
    if retry is not None:
        limit_node = retry
        retry_props = ctx.props(ctx.resolve_object(retry))
        if retry_props is not None:
            limit_node = retry_props.get("limit")
        custom = retry_props is not None and "calculateDelay" in retry_props and "limit" not in retry_props
        # a calculateDelay of one's own decides when to stop: got's default limit no longer says it
        attempts, confidence, extra = ctx.count_value(limit_node, 1.0, default=None if custom else 2.0)
        attrs = {"max_attempts": attempts, "backoff": "none" if attempts == 1 else "exponential",
                 "retry_on": None, "mechanism": mechanism, "library": "got"}
        ctx.finding("retry", node, ID, attrs, confidence, target, extra + tuple(pending))
    return reported
