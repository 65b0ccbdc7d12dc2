"""Per-request options of the generated API SDKs (part of the client options detector, round 13):
`timeout` and `maxRetries` handed as the last argument of a call on an SDK client.

What it does: for a client made from one of the SDK packages that share one request-options shape
(OpenAI's `openai`, Anthropic's `@anthropic-ai/sdk`, `groq-sdk`, `together-ai`, Cerebras,
Cloudflare's `cloudflare`: `new OpenAI({...})`, kept in a variable or a field), a call on that
client whose last argument (after the request body) is an object with ``timeout`` (ms) or
``maxRetries`` (retries after the first try: ``max_attempts`` = n + 1) reports them on the call's
line (`await this.client.chat.completions.create(body, { timeout: 60_000 })`); a client made in another
file is known by the resource path only these SDKs have (`openai.chat.completions.create(body, {
timeout })`, `.messages.create`, `.embeddings.create`, `.responses.create`). The client's own
options (`new OpenAI({ timeout })`) are read by the client options detector; a call with only a
body (one argument) is left alone: its `timeout` key would be a request field, not an option.

Why it matters: a model call is the slowest dependency most services have, and these SDKs retry
twice by default: the per-call bound is the contract that call has.

Example::

    const res = await openai.chat.completions.create({ model, messages }, { timeout: 60_000, maxRetries: 1 });
"""

from __future__ import annotations

import re

from extractors.javascript.context import FileContext, unwrap
from extractors.javascript.detectors._clients import _binding_name

ID = "javascript.client_options"

# packages whose clients take `(body, { timeout, maxRetries, signal })` on every resource method
SDK_PACKAGES_JS2 = frozenset(("openai", "@anthropic-ai/sdk", "groq-sdk", "together-ai",
                              "@cerebras/cerebras_cloud_sdk", "cloudflare", "@mistralai/mistralai"))


_SDK_METHODS = frozenset(("create", "parse", "stream"))
_SDK_RESOURCE = re.compile(r"(^|\.)(chat\.completions|beta\.chat\.completions|messages|beta\.messages|responses|"
                           r"embeddings|audio\.transcriptions|audio\.speech|images|moderations)$")


def _sdk_module(module: str) -> bool:
    head = module.split(".")[0]
    return head in SDK_PACKAGES_JS2 or any(module.startswith(p + "/") for p in SDK_PACKAGES_JS2)


def detect(ctx: FileContext) -> None:
    data = ctx.data
    if b"imeout" not in data and b"maxRetries" not in data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        # a client made in another file (`import { openai } from "@/lib/openai"`): the resource paths only
        # these SDKs have (`openai.chat.completions.create(body, { timeout })`, `anthropic.messages.create`)
        if not call.is_new and len(call.args) >= 2 and call.name in _SDK_METHODS and \
                _SDK_RESOURCE.search(call.receiver or ""):
            _request_options(ctx, call, taken)
    _stainless_request_options_js2(ctx, taken)
    classes = {name for name, module in ctx.imports.items() if _sdk_module(module)}
    if not classes:
        return
    clients: set[str] = set()
    for call in ctx.calls:
        if not call.is_new or call.receiver or call.callee not in classes:
            continue
        name = _binding_name(call.node)
        if name:
            clients.add(name)
            clients.add(name[5:] if name.startswith("this.") else f"this.{name}")
    if not clients:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.is_new or len(call.args) < 2 or not any(
                call.receiver == c or call.receiver.startswith(c + ".") for c in clients):
            continue
        _request_options(ctx, call, taken)


def _request_options(ctx: FileContext, call, taken) -> None:
    options = ctx.resolve_object(call.args[-1])
    if options is None or options.type != "object":
        return
    props = ctx.props(options) or {}
    line = call.node.start_point[0] + 1
    timeout = props.get("timeout")
    if timeout is not None and unwrap(timeout) is not None and unwrap(timeout).type not in ("null", "undefined") \
            and (line, "timeout") not in taken:
        attrs, confidence, pending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        ctx.finding("timeout", call.node, ID, attrs, confidence, None, pending)
        taken.add((line, "timeout"))
    retries = props.get("maxRetries")
    if retries is not None and unwrap(retries) is not None and unwrap(retries).type not in ("null", "undefined") \
            and (line, "retry") not in taken:
        attempts, confidence, pending = ctx.count_value(retries, 1.0)
        attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
                 "retry_on": None, "mechanism": "client_config", "library": "openai-compatible sdk"}
        ctx.finding("retry", call.node, ID, attrs, confidence, None, pending)
        taken.add((line, "retry"))


def _stainless_request_options_js2(ctx: FileContext, taken) -> None:
    """(round 14, safe-client-gateway's Blockaid) any package's client (`this.blockaidClient = new
    Blockaid()`) whose method gets, after its request, an object holding both `timeout` and `maxRetries`:
    the request options every SDK generated the same way (Stainless: Blockaid, Mux, Lithic, Orb, ...)
    takes (`client.evm.addressBulk.scan(body, { timeout: ms, maxRetries: 0 })`); the pair is no request body."""
    classes = {name for name, module in ctx.imports.items()
               if module and not module.startswith((".", "@/", "~/", "#", "src/")) and not _sdk_module(module)}
    clients: set[str] = set()
    for call in ctx.calls:
        if call.is_new and not call.receiver and call.callee in classes:
            name = _binding_name(call.node)
            if name:
                clients.add(name)
                clients.add(name[5:] if name.startswith("this.") else f"this.{name}")
    if not clients:
        return
    for call in ctx.calls:
        if call.is_new or len(call.args) < 2 or not any(
                call.receiver == c or call.receiver.startswith(c + ".") for c in clients):
            continue
        options = ctx.resolve_object(call.args[-1])
        keys = set((ctx.props(options) or {}).keys()) if options is not None and options.type == "object" else set()
        if {"timeout", "maxRetries"} <= keys:
            _request_options(ctx, call, taken)
