"""(round 19, js3) A package client's constructor given a `timeout` in its options; Telegraf's `handlerTimeout`.

What it does: `new Binance.BinanceRest({ key, secret, timeout: 15000 })` (binance), `new Kraken(key, secret,
{ timeout: +moment.duration(60, 'seconds') })` (kraken-api): a class imported from a package that is named as a
remote API's client (its class ends in Rest / Api / API / Client, or the package's name has an `api`, `client`,
`sdk` or `rest` part), constructed with an options object (any position) holding a `timeout` key: the client's
request timeout (phase total), at the key's line as a client constructor's options are. Telegraf's `new
Telegraf(token, { handlerTimeout: ms('5s') })`: the bound on each update's handler (the bot's calls to Telegram
inside it), at the key. Run after client_options (a line it read is left alone).
Not: a project class, a server or a queue (`new PQueue({ timeout })`), a package not named as a client, a
`timeout` that is a function or an object, a test file.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, key_name, unwrap

ID = "javascript.client_options"

_CLIENT_CLASS = re.compile(r"(Rest|REST|Api|API|Client)$")
_CLIENT_PACKAGE = re.compile(r"(^|[-_./@])(api|client|sdk|rest)($|[-_./])", re.I)
_NOT_CLIENT = re.compile(r"server|listen|queue|cache|lock|limiter|bottleneck|worker|cron|schedul|test|mock", re.I)
_TEST_PATH = re.compile(r"(^|/)(tests?|__tests__|spec|__mocks__)/|\.(test|spec)\.[jt]sx?$")


def detect(ctx: FileContext) -> None:
    if b"timeout" not in ctx.data.lower() or _TEST_PATH.search(ctx.path):
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if not call.is_new:
            continue
        try:
            _construction(ctx, call, taken)
        except Exception:  # noqa: BLE001 - one odd construction costs only its finding
            continue


def _construction(ctx: FileContext, call, taken: set) -> None:
    constructor = dotted(call.node.child_by_field_name("constructor"))
    head = constructor.split(".", 1)[0]
    module = ctx.imports.get(head, "")
    if not module or module.startswith((".", "/")) or module in ctx.local_modules or \
            any(module.startswith(m + ".") for m in ctx.local_modules):
        return
    package = module.split(".", 1)[0] if not module.startswith("@") else module
    cls = constructor.split(".")[-1]
    telegraf = package.split("/")[0] == "telegraf" and cls == "Telegraf"
    if not telegraf and (_NOT_CLIENT.search(cls) or _NOT_CLIENT.search(package) or
                         not (_CLIENT_CLASS.search(cls) or _CLIENT_PACKAGE.search(package))):
        return
    for arg in call.args:
        obj = unwrap(arg)
        if obj is not None and obj.type == "identifier":
            obj = ctx.resolve_object(obj)
        if obj is None or obj.type != "object":
            continue
        for pair in obj.named_children:
            if pair.type != "pair":
                continue
            key = key_name(pair.child_by_field_name("key"))
            if key != ("handlerTimeout" if telegraf else "timeout"):
                continue
            value = unwrap(pair.child_by_field_name("value"))
            if value is None or value.type in ("object", "array", "arrow_function", "function_expression",
                                               "function", "null", "undefined", "true", "false"):
                continue
            line = pair.start_point[0] + 1
            if (line, "timeout") in taken:
                continue
            attrs, confidence, pending = ctx.timeout_value(value)
            if attrs.get("timeout_ms") == 0:
                continue
            attrs["phase"], attrs["scope"] = "total", "client"
            attrs["library"] = package
            taken.add((line, "timeout"))
            ctx.finding("timeout", pair, ID, attrs, confidence, None, pending)
