"""(round 22, js1) Request wrappers that retry by themselves: `retry-request` and `requestretry`.

- `retry-request` (Google's, over `request` or teeny-request): `retryRequest(requestOpts, [opts], callback)`
  re-sends on a 429, a 5xx or a network error `opts.retries` times after the first try (2 by default:
  3 tries). Tiledesk's webhooks: `var request = require('retry-request', { request: require('request') });
  request({ url, json, method: 'POST' }, cb)`: 3 tries, on the call.
- `requestretry`: `request({ url, maxAttempts: 4, retryDelay: 500 }, cb)` (also `.get/.post/...`):
  `maxAttempts` counts every try (5 by default).

Reported on the call, with the request's target; a call whose options turn retries off (`retries: 0`,
`maxAttempts: 1`) is one try."""

from __future__ import annotations

from extractors.javascript.context import FileContext, RetryScope, unwrap

ID = "javascript.retry_request"
_METHODS = {"get", "post", "put", "patch", "del", "delete", "head"}


def detect(ctx: FileContext) -> None:
    if b"retry-request" not in ctx.data and b"requestretry" not in ctx.data:
        return
    for call in ctx.calls:
        if call.is_new or not call.args:
            continue
        module = call.qualified
        head, _, method = module.partition(".")
        if head == "retry-request" and method in ("", "default"):
            _retry_request(ctx, call)
        elif head == "requestretry" and (method in ("", "default") or method in _METHODS):
            _requestretry(ctx, call)


def _target(ctx: FileContext, options):
    props = ctx.props(ctx.resolve_object(options)) or {}
    url = props.get("url") or props.get("uri")
    node = unwrap(options)
    if url is None and node is not None and node.type in ("string", "template_string", "identifier") and \
            ctx.resolve_object(options) is None:
        url = options
    target, pending, _ = ctx.url_target(url, None)
    return target, pending, props


def _retry_request(ctx: FileContext, call) -> None:
    target, upending, _props = _target(ctx, call.arg(0))
    opts = call.arg(1)
    node = unwrap(opts)
    props = {}
    if node is not None and node.type not in ("function_expression", "arrow_function", "function"):
        props = ctx.props(ctx.resolve_object(opts)) or {}
    attempts, confidence, pending = ctx.count_value(props.get("retries"), 1.0, default=2.0)
    if props.get("retries") is None:
        attempts, confidence, pending = 3, "high", ()
    attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none", "retry_on": None,
             "mechanism": "call", "library": "retry-request"}
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, tuple(pending) + tuple(upending))
    ctx.retry_scopes.append(RetryScope(call.node, found.line, target, tuple(upending)))


def _requestretry(ctx: FileContext, call) -> None:
    options = call.arg(0)
    if unwrap(options) is not None and unwrap(options).type in ("string", "template_string") and len(call.args) > 1:
        options = call.arg(1)  # `request.get(url, { maxAttempts }, cb)`
    target, upending, props = _target(ctx, options)
    if props.get("maxAttempts") is None:
        attempts, confidence, pending = 5, "high", ()
    else:
        attempts, confidence, pending = ctx.count_value(props.get("maxAttempts"), 0.0, default=5.0)
    attrs = {"max_attempts": attempts, "backoff": "fixed" if attempts != 1 else "none", "retry_on": None,
             "mechanism": "call", "library": "requestretry"}
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, tuple(pending) + tuple(upending))
    ctx.retry_scopes.append(RetryScope(call.node, found.line, target, tuple(upending)))
