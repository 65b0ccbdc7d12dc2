"""(round 20, ts second wave) fetch wrapped by a retrying package: `this.fetch = args.fetch ??
fetchRetry(fetch)` (quirrel's client, `import fetchRetry from "@vercel/fetch-retry"`): every request made
through the wrapped fetch is retried by the package, 5 retries by default (6 tries; @vercel/fetch-retry
hands its `retry` options to async-retry), 3 for `fetch-retry` (jonbern's, `fetchRetry(fetch, { retries
})`). A retry at the wrapping call, counting the options' `retries` when the call gives them."""

from __future__ import annotations

from extractors.javascript.context import FileContext, object_props, unwrap
from extractors.javascript.detectors import client_options

_DEFAULT_RETRIES = {"@vercel/fetch-retry": 5, "fetch-retry": 3}


def detect(ctx: FileContext) -> None:
    if b"fetch-retry" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for call in ctx.calls:
        if call.is_new or "." in call.callee:
            continue
        module = (ctx.imports.get(call.callee) or "").split(".default")[0]
        if module not in _DEFAULT_RETRIES or not call.args:
            continue
        if (unwrap(call.args[0]).type if unwrap(call.args[0]) is not None else "") not in ("identifier", "member_expression"):
            continue
        options = object_props(call.args[1]) if len(call.args) > 1 else None
        retries = (options or {}).get("retries")
        if retries is not None:
            client_options._retry(ctx, call.node, retries, 1.0, module, taken, backoff="exponential")
            continue
        line = call.node.start_point[0] + 1
        if (line, "retry") in taken:
            continue
        taken.add((line, "retry"))
        ctx.finding("retry", call.node, client_options.ID,
                    {"max_attempts": _DEFAULT_RETRIES[module] + 1, "backoff": "exponential", "retry_on": None,
                     "mechanism": "client_config", "library": module, "resolved_from": "library_default"},
                    "medium", None, ())
