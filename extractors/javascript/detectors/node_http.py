"""Node's http/https: the `timeout` request option and `req.setTimeout(ms)`.

What it does: reports `http.request` / `http.get` (and https; also one of the two picked by scheme,
`(https ? httpsRequest : httpRequest)(url, options)`, also kept in a variable (`const get = tls ?
https.get : http.get; get(url, opts)`), or a module picked into a variable,
`const protocol = tls ? https : http; protocol.request(...)`) as ``outbound_call``, the socket timeout they
set (option or `setTimeout` on the request), and ``missing_timeout`` without either.

Why it matters: Node's HTTP client has no timeout by default; an idle socket is kept forever.

Example::

    const req = https.request({ hostname: "risk", port: 8080, path: "/score", timeout: 500 });
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (CallInfo, FileContext, Outbound, dotted, is_disabled_value, js_detector,
                                           number_value, string_value, unwrap)

ID = "javascript.node_http"
_MODULES = ("http", "https")


@js_detector(ID, ["timeout", "missing_timeout", "outbound_call"],
          valid=['http.createServer(handler).listen(8080);', 'const http = require("http"); // timeout'],
          invalid=['const https = require("https");\nhttps.get("https://risk:8443/score", (res) => {});'])
def detect(ctx: FileContext) -> None:
    if not ctx.local_names_for(*_MODULES):
        return
    for call in ctx.calls:
        if call.is_new:
            continue
        if call.qualified in _CALLS and _own_health_probe_js1(ctx, call):
            continue
        if call.qualified in _CALLS:
            _request(ctx, call)
        else:
            chosen = _either_request(ctx, call) or _either_module(ctx, call)
            if chosen is not None:
                _request(ctx, call, chosen)


_CALLS = ("http.request", "http.get", "https.request", "https.get")
_LOCAL_HOSTS_JS1 = ("localhost", "127.0.0.1", "0.0.0.0", "::1")


def _own_health_probe_js1(ctx: FileContext, call: CallInfo) -> bool:
    """(round 18, js1) a container health-check script (`bin/healthcheck.js`: `http.request({ host: 'localhost',
    port, timeout: 2000, path: '/iot/about' })`, FIWARE's IoT agent) probing the service's own port: no
    contract with another service."""
    if "health" not in ctx.path.rsplit("/", 1)[-1].lower():
        return False
    options = unwrap(call.arg(0))
    if options is not None and options.type == "identifier":
        options = unwrap(ctx.local_value(ts.text(options), call.node))
    if options is None or options.type != "object":
        return False
    for pair in options.named_children:
        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")).strip("'\"") in ("host", "hostname") and \
                string_value(pair.child_by_field_name("value")) in _LOCAL_HOSTS_JS1:
            return True
    return False


def _either_request(ctx: FileContext, call: CallInfo) -> str | None:
    """`(url.protocol === "https:" ? httpsRequest : httpRequest)(url, options, cb)`: the call is one of
    two request functions picked by scheme; read as the first (the options are the same)."""
    fn = unwrap(call.node.child_by_field_name("function"))
    if fn is not None and fn.type == "identifier" and ts.text(fn) not in ctx.imports:
        # `const get = url.protocol.startsWith("https") ? https.get : http.get; get(url, { timeout }, cb)`
        fn = unwrap(ctx.local_value(ts.text(fn), call.node))
    if fn is None or fn.type != "ternary_expression":
        return None
    picked = [ctx.qualify(dotted(unwrap(fn.child_by_field_name(b)))) for b in ("consequence", "alternative")]
    if all(q in _CALLS for q in picked) and picked[0].rsplit(".", 1)[-1] == picked[1].rsplit(".", 1)[-1]:
        return picked[0]
    return None


def _either_module(ctx: FileContext, call: CallInfo) -> str | None:
    """`const protocol = useTLS ? https : http; protocol.request(options, cb)`: the module is picked
    by scheme into a variable; read as the first branch's (the options are the same)."""
    head, _, method = call.callee.rpartition(".")
    if method not in ("request", "get") or not head.isidentifier() or head in ctx.imports:
        return None
    value = unwrap(ctx.local_value(head, call.node))
    if value is None or value.type != "ternary_expression":
        return None
    picked = [ctx.qualify(dotted(unwrap(value.child_by_field_name(b)))) for b in ("consequence", "alternative")]
    if sorted(picked) == ["http", "https"]:
        return f"{picked[0]}.{method}"
    return None


def _request(ctx: FileContext, call: CallInfo, qualified: str | None = None) -> None:
    qualified = qualified or call.qualified
    options_node = None
    url_node = None
    for arg in call.args[:2]:
        obj = ctx.resolve_object(arg)
        if obj is not None:
            options_node = arg
            break
        if url_node is None and unwrap(arg).type not in ("arrow_function", "function_expression"):
            url_node = arg
    options = ctx.resolve_object(options_node)
    props = ctx.props(options) if options is not None else {}
    method = (string_value(props.get("method")) or "GET").upper()
    scheme = qualified.split(".")[0]
    target, pending, literal = (None, (), None)
    if url_node is not None:
        target, pending, literal = ctx.url_target(url_node)
    elif props:
        target, pending, literal = _options_url(ctx, props, scheme)
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method, "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, scheme, target, pending)
    timeout = props.get("timeout")
    if timeout is not None and not is_disabled_value(timeout):
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "read"
        ctx.finding("timeout", call.node, ID, attrs, confidence, target, tpending + pending)
        return
    set_timeout = _set_timeout_call(ctx, call)
    if set_timeout is not None:
        attrs, confidence, tpending = ctx.timeout_value(set_timeout.arg(0))
        attrs["phase"] = "read"
        ctx.finding("timeout", set_timeout.node, ID, attrs, confidence, target, tpending + pending)
        return
    if options is not None and ctx.opaque(options):
        return
    ctx.finding("missing_timeout", call.node, ID, {"library": scheme, "library_default_ms": None},
                "medium", target, pending)


def _options_url(ctx: FileContext, props: dict, scheme: str):
    host = string_value(props.get("hostname")) or string_value(props.get("host"))
    if host is None:
        return None, (), None
    port = props.get("port")
    port_text = string_value(port) or (str(int(number_value(port))) if number_value(port) is not None else None)
    path = string_value(props.get("path")) or ""
    url = f"{scheme}://{host}{':' + port_text if port_text else ''}{path}"
    from contract_discovery.model import Target
    return Target(url=url), (), url


def _set_timeout_call(ctx: FileContext, call: CallInfo) -> CallInfo | None:
    """`req.setTimeout(ms)` on the request's variable, or chained `http.get(...).setTimeout(ms)`."""
    parent = call.node.parent
    if parent is not None and parent.type == "member_expression" and \
            ts.text(parent.child_by_field_name("property")) == "setTimeout":
        for other in ctx.calls:
            if other.node.child_by_field_name("function") == parent and other.args:
                return other
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is None or parent.type != "variable_declarator":
        return None
    name = ts.text(parent.child_by_field_name("name"))
    for other in ctx.calls:
        if other.callee == f"{name}.setTimeout" and other.args and other.node.start_byte > call.node.start_byte:
            return other
    return None
