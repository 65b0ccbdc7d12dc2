"""(round 22, js1) pa11y's page test: `pa11y(url, { timeout: task.timeout || 30000, wait, ... })` loads the
remote page in headless Chrome and gives up after `timeout` ms (30000 by default); pa11y-webservice runs it
for each stored task. Reported at the pa11y call (a request call's options, also when built in a local
before). Only the `pa11y` package's default export; its `wait` is a delay, not a bound."""

from __future__ import annotations

from extractors.javascript.context import FileContext, unwrap

ID = "javascript.pa11y"


def detect(ctx: FileContext) -> None:
    if b"pa11y" not in ctx.data:
        return
    names = {name for name, module in ctx.imports.items() if module in ("pa11y", "pa11y.default")}
    if not names:
        return
    for call in ctx.calls:
        if call.is_new or call.callee not in names or len(call.args) < 2:
            continue
        props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
        value = props.get("timeout")
        if value is None or unwrap(value) is None or unwrap(value).type in ("null", "undefined"):
            continue
        line = call.node.start_point[0] + 1
        if any(f.kind == "timeout" and f.line == line for f in ctx.findings):
            continue
        attrs, confidence, pending = ctx.timeout_value(value)
        attrs["phase"] = "total"
        attrs["scope"] = "call"
        target, tpending, _ = ctx.url_target(call.arg(0), None)
        ctx.finding("timeout", call.node, ID, attrs, confidence, target, tuple(pending) + tuple(tpending))
