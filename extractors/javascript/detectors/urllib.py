"""urllib (node-urllib) and Egg.js's HttpClient built on it: `timeout` (ms, or `[connect, response]`)
and `retry` (retries after the first try) in a request's options.

What it does: reports `urllib.request(url, options)` / `urllib.curl(...)`, a urllib `HttpClient`
made in the file, an Egg/tegg/Midway injected HTTP client (`this.httpClient.request(url, options)`,
`httpclient.request(...)`, `ctx.curl(url, options)`) as ``outbound_call`` with the timeout phases
and the retry count (``max_attempts`` = retry + 1) their options set. A client reached only by a
field or parameter named `httpClient`/`httpclient` counts when its options name a urllib setting
(`timeout`, `retry`) and the first argument is not an HTTP method (Angular's
`HttpClient.request("GET", url)`). No ``missing_timeout``: urllib has a default of its own (5 s).

Why it matters: registry mirrors and Egg services make every remote call through this client; its
per-call timeout and retry count are the contract.

Example::

    await this.httpClient.request(url, { timeout: 30_000, retry: 3, followRedirect: true });  // 30 s, 4 tries
"""

from __future__ import annotations

from extractors.javascript.context import (HTTP_METHODS, CallInfo, FileContext, Outbound, is_disabled_value,
                                           js_detector, string_value, unwrap)

ID = "javascript.urllib"
# frameworks whose injected HTTP client is urllib's (Egg, tegg, Midway, Chair)
_FRAMEWORKS = ("urllib", "egg", "@eggjs", "@midwayjs", "chair", "@ali")
_METHODS = ("request", "curl", "requestThunk")
_CLIENT_NAMES = ("httpclient", "httpclientnext")
_EGG_RECEIVERS = ("ctx", "app", "this.ctx", "this.app", "agent", "this.agent")


@js_detector(ID, ["timeout", "retry", "outbound_call"],
          valid=['this.httpClient.request("GET", url, { observe: "body" });',
                 'const timeout = 5000; // httpClient.request timeout'],
          invalid=['await this.httpClient.request("http://registry:80/pkg", { timeout: 10_000, retry: 2 });'])
def detect(ctx: FileContext) -> None:
    framework = any(target == m or target.startswith((m + ".", m + "/", m + "-"))
                    for target in ctx.imports.values() for m in _FRAMEWORKS)
    for call in ctx.calls:
        if call.is_new or call.name not in _METHODS:
            continue
        qualified = call.qualified
        if qualified.startswith("urllib.") and qualified.count(".") == 1:
            pass
        elif call.receiver.rsplit(".", 1)[-1].lower() in _CLIENT_NAMES:
            if not framework and not _named_setting(ctx, call):
                continue
        elif call.name == "curl" and framework and call.receiver in _EGG_RECEIVERS:
            pass
        elif _project_urllib_js1(ctx, call):
            pass
        else:
            continue
        if (string_value(call.arg(0)) or "").lower() in HTTP_METHODS:
            continue  # Angular's HttpClient.request(method, url, options)
        _request(ctx, call)


def _project_urllib_js1(ctx: FileContext, call: CallInfo) -> bool:
    """(round 15, js1) `var urllib = require('../common/urllib'); yield urllib.request(url, {...})`:
    the project's own module named for urllib (it exports a `urllib.create(...)` client with its
    agents): its requests take urllib's options. Only a module of the project (relative import)
    whose file is named urllib, reached by the name it was imported as."""
    head = call.receiver
    module = ctx.imports.get(head, "") if head and "." not in head else ""
    if not module or module not in ctx.local_modules:
        return False
    return module.rsplit("/", 1)[-1].lower() in ("urllib", "urllib_client", "urllib-client")


def _named_setting(ctx: FileContext, call: CallInfo) -> bool:
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    return "timeout" in props or "retry" in props


def _request(ctx: FileContext, call: CallInfo) -> None:
    options = ctx.resolve_object(call.arg(1))
    props = dict(ctx.props(options) or {})
    for key, value, _ in ctx.assigned_props(call.arg(1), call.node):
        # (round 15, js1) `options.timeout = options.timeout || 120000; urllib.request(url, options)`
        if key in ("timeout", "retry", "method"):
            props[key] = value
    method = string_value(props.get("method")) or "GET"
    target, pending, literal = ctx.url_target(call.arg(0))
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method.upper(), "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "urllib", target, pending)
    timeout = props.get("timeout")
    if timeout is not None and not is_disabled_value(timeout):
        pair = unwrap(timeout)
        items = [("total", timeout)]
        if pair is not None and pair.type == "array" and len(pair.named_children) == 2:
            items = list(zip(("connect", "read"), pair.named_children))  # [connect, response]
        for phase, value in items:
            attrs, confidence, tpending = ctx.timeout_value(value)
            attrs["phase"] = phase
            ctx.finding("timeout", call.node, ID, attrs, confidence, target, tpending + pending)
    retry = props.get("retry")
    if retry is not None:
        attempts, confidence, extra = ctx.count_value(retry, 1.0)
        attrs = {"max_attempts": attempts, "backoff": "none" if attempts == 1 else "fixed", "retry_on": None,
                 "mechanism": "client_config", "library": "urllib"}
        ctx.finding("retry", call.node, ID, attrs, confidence, target, extra + tuple(pending))
