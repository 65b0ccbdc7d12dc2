"""(round 22, js1) HTTP proxies: the bound on the request a proxy sends to its target.

`http-proxy`'s `httpProxy.createProxyServer({ target, proxyTimeout: 5000 })` (also `createServer`,
`createProxy`) and `proxy.web(req, res, { target, proxyTimeout })`, `http-proxy-middleware`'s
`createProxyMiddleware({ target, proxyTimeout: 10000 })` (v0/v1 `proxy({...})` too, the options
possibly a constant declared before: Node Solid Server's CORS proxy), `express-http-proxy`'s
`proxy(host, { timeout: 2000 })`: `proxyTimeout` (or express-http-proxy's `timeout`) is how long the
proxy waits for the target (total), at the key of a constructor's options and at the `web(...)` call.

Not: http-proxy's `timeout` (the incoming socket's, inbound), a `proxyTimeout` key of any other object."""

from __future__ import annotations

from extractors.javascript.context import FileContext, unwrap

ID = "javascript.proxy"
_FACTORIES = {"http-proxy": {"createProxyServer", "createServer", "createProxy"},
              "http-proxy-middleware": {"createProxyMiddleware", "legacyCreateProxyMiddleware", ""},
              "express-http-proxy": {""}}


def detect(ctx: FileContext) -> None:
    if b"proxy" not in ctx.data.lower() or b"imeout" not in ctx.data:
        return
    modules = {m for m in ctx.imports.values() if m.split(".", 1)[0] in _FACTORIES}
    if not modules:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    servers = set()
    for call in ctx.calls:
        head, _, rest = call.qualified.partition(".")
        rest = rest.removeprefix("default.").removeprefix("default")
        if head not in _FACTORIES:
            continue
        if rest in _FACTORIES[head]:
            index = 1 if head == "express-http-proxy" else 0
            key = "timeout" if head == "express-http-proxy" else "proxyTimeout"
            props = ctx.props(ctx.resolve_object(call.arg(index))) or {}
            value = props.get(key)
            if value is not None:
                _report(ctx, value.parent if value.parent is not None and value.parent.type == "pair" else call.node,
                        value, taken)
            if head == "http-proxy":
                holder = call.node.parent
                if holder is not None and holder.type == "variable_declarator":
                    name = holder.child_by_field_name("name")
                    if name is not None:
                        servers.add(name.text.decode())
    for call in ctx.calls:
        if call.name == "web" and call.receiver in servers and len(call.args) >= 3:
            props = ctx.props(ctx.resolve_object(call.arg(2))) or {}
            value = props.get("proxyTimeout")
            if value is not None:
                _report(ctx, call.node, value, taken)


def _report(ctx: FileContext, node, value, taken) -> None:
    inner = unwrap(value)
    if inner is None or inner.type in ("null", "undefined"):
        return
    line = node.start_point[0] + 1
    if (line, "timeout") in taken:
        return
    attrs, confidence, pending = ctx.timeout_value(value)
    attrs["phase"] = "total"
    attrs["scope"] = "client"
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)
    taken.add((line, "timeout"))
