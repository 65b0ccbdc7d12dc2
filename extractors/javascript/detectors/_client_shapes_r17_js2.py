"""Client timeouts of two shapes earlier rounds missed (part of the client options detector, round 17,
js2: the nostream, browserless and uniswap-routing-api sets).

What it does:

- the `ws` package's client: `new WebSocket(url, { timeout: 5000 })` / `{ handshakeTimeout }` (also after
  a protocols argument): the opening handshake's bound (connect phase), on the key's line
  (client-constructor convention); a browser `WebSocket` takes no options object and is never read;
- a class extending a client class of a package hands its options to that class's constructor:
  `class Limiter extends q { constructor() { super({ concurrency, timeout: config.getTimeout() }) } }`
  (the `queue` package's job bound), `class SingleJsonRpcProvider extends StaticJsonRpcProvider {
  constructor() { super({ url, timeout: 8000 }) } }` (ethers' request bound): the `timeout` key of the
  object given to `super(...)` is that client's, on the key's line. Never a class of the project, an
  Error, an event emitter, a stream, a server or a test's class;
- an API client's `retries` beside a destination or credentials key in a package class's options
  (`new taskcluster.Queue({ rootUrl, credentials, retries: 5 })`: retries after the first try);
- a request kept in a pending map with its resolve/reject and a timer that settles it, then sent
  (`const timeout = setTimeout(settle, this.requestsTimeout); this.requests.set(id, { timeout, resolve,
  reject }); this.sendToRequestChannel(msg)`): the timer bounds the wait for the reply (on its line);
- @discordjs/voice `entersState(connection, status, 30_000)`: a bounded wait for the voice connection's
  state, on the call.

Why it matters: neither call is named as a client (`new WebSocket`, `super`), so the bare `timeout` key
was read nowhere, and a service subclassing its client is common (providers, queues, SDK wrappers).

Example::

    const ws = new WebSocket(address, { timeout: 5000 });      // timeout 5000 ms (connect)
    class Provider extends StaticJsonRpcProvider {
      constructor(url) { super({ url, timeout: 8000 }); }      // timeout 8000 ms
    }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, object_props, unwrap

ID = "javascript.client_options"

_WS_MODULES_R17_JS2 = ("ws", "isomorphic-ws")
_WS_KEYS_R17_JS2 = ("timeout", "handshakeTimeout")
# base classes whose options bound nothing outbound (or are the project's own server / test scaffolding)
_NOT_A_CLIENT_BASE_R17_JS2 = re.compile(
    r"^(node:)?(events|stream|util|worker_threads|child_process|http|https|net|tls)$|^(react|vue|svelte|jest|vitest|"
    r"mocha|@jest/|@playwright/test|express|koa|fastify|@nestjs/common|@nestjs/core|@nestjs/passport|passport)")
_SERVERISH_BASE_R17_JS2 = re.compile(r"Error$|Emitter$|Server$|Stream$|Transform$|Readable$|Writable$|Duplex$|"
                                     r"Component$|Controller$|Test", re.I)


def detect(ctx: FileContext) -> None:
    data = ctx.data
    try:
        if b"WebSocket" in data and b"imeout" in data:
            _ws_client(ctx)
        if b"super(" in data and b"timeout" in data:
            _super_options(ctx)
        if b"retries" in data and b"new " in data:
            _api_client_retries(ctx)
        if b"setTimeout" in data and (b"resolve" in data or b"reject" in data):
            _pending_request_timers(ctx)
        if b"entersState" in data:
            _enters_state(ctx)
    except Exception:  # an odd file costs only these findings
        return


def _emit(ctx: FileContext, pair: ts.Node, value: ts.Node, phase: str, library: str | None) -> None:
    line = pair.start_point[0] + 1
    if any(f.line == line and f.kind == "timeout" for f in ctx.findings):
        return
    attrs, confidence, pending = ctx.timeout_value(value, 1.0)
    if attrs.get("timeout_ms") is not None and attrs["timeout_ms"] <= 0:
        return  # 0 / -1: no bound
    attrs["phase"], attrs["library"] = phase, library
    ctx.finding("timeout", pair, ID, attrs, confidence, None, pending)


def _ws_client(ctx: FileContext) -> None:
    for call in ctx.calls:
        if not call.is_new or call.callee.split(".")[-1] not in ("WebSocket", "WS", "Ws") or len(call.args) < 2:
            continue
        module = ctx.imports.get(call.callee.split(".", 1)[0], "")
        if module not in _WS_MODULES_R17_JS2 and call.qualified.split(".", 1)[0] not in _WS_MODULES_R17_JS2:
            continue
        options = unwrap(call.args[-1])
        if options is None or options.type != "object":
            continue
        props = object_props(options) or {}
        for key in _WS_KEYS_R17_JS2:
            value = props.get(key)
            if value is not None and value.parent is not None:
                _emit(ctx, value.parent, value, "connect", "ws")


# keys saying where an API client calls and as whom (`new taskcluster.Queue({ rootUrl, credentials, retries })`)
_DESTINATION_KEYS_R17_JS2 = {"rootUrl", "baseUrl", "baseURL", "url", "endpoint", "host", "credentials", "apiKey",
                             "accessToken", "token", "auth"}


def _api_client_retries(ctx: FileContext) -> None:
    """`new taskcluster.Queue({ rootUrl, credentials, retries: options.retry ? 0 : 5 })` (round-16 request,
    taskcluster-hooks): `retries` beside a destination or credentials key in the options of a package's
    class: that API client's retries after the first try, on the key's line."""
    from extractors.javascript.detectors import client_options  # (imports this module)

    for call in ctx.calls:
        if not call.is_new or not call.args:
            continue
        module = ctx.imports.get(call.callee.split(".", 1)[0], "")
        if not module or client_options._project_module(ctx, module) or _NOT_A_CLIENT_BASE_R17_JS2.search(module):
            continue
        options = unwrap(call.args[-1])
        if options is None or options.type != "object":
            continue
        props = object_props(options) or {}
        value = props.get("retries")
        if value is None or value.parent is None or value.parent.type != "pair" or \
                not props.keys() & _DESTINATION_KEYS_R17_JS2:
            continue
        line = value.parent.start_point[0] + 1
        if any(f.line == line and f.kind == "retry" for f in ctx.findings):
            continue
        client_options._retry(ctx, value.parent, value, 1.0, module, {(f.line, f.kind) for f in ctx.findings})


def _enters_state(ctx: FileContext) -> None:
    """`await entersState(connection, VoiceConnectionStatus.Ready, 60_000)` from @discordjs/voice
    (round-16 request, muse/evobot): a bounded wait for the voice connection (Discord's voice servers)
    to reach a state, on the call's line; a third argument that is an AbortSignal bounds nothing here."""
    for call in ctx.calls:
        if call.callee != "entersState" or len(call.args) < 3:
            continue
        if not ctx.imports.get("entersState", "").startswith("@discordjs/voice"):
            continue
        value = unwrap(call.args[2])
        if value is None or re.search(r"signal|abort", ts.text(value), re.I):
            continue
        _emit(ctx, call.node, value, "total", "@discordjs/voice")


_SENDS_R17_JS2 = re.compile(r"send|publish|emit|write|broadcast|request|post|dispatch|call", re.I)
# a message to a local process or thread (a worker's parentPort, a child's stdin): out of scope
_LOCAL_IPC_R17_JS2 = re.compile(r"postMessage|stdin|(^|\.)(process|parentPort|worker|child|subprocess|proc|ipc)\.send$",
                                re.I)


def _pending_request_timers(ctx: FileContext) -> None:
    """`const timeout = setTimeout(() => { ...settle with what came... }, this.requestsTimeout);
    this.requests.set(requestId, { type, timeout, resolve, reject }); this.sendToRequestChannel(msg)`
    (soketi's cross-node requests, any request/reply over pub/sub, IPC or a socket): a request kept in a
    pending map with its resolve/reject and a timer that settles it: the timer bounds the reply's wait.
    On the setTimeout line, when the function sends something after registering the request."""
    for call in ctx.calls:
        if call.callee not in ("setTimeout", "global.setTimeout", "globalThis.setTimeout") or len(call.args) < 2:
            continue
        holder = call.node.parent
        if holder is None or holder.type != "variable_declarator":
            continue
        handle = ts.text(holder.child_by_field_name("name"))
        fn = next((p for p in ts.ancestors(call.node) if p.type in (
            "function_declaration", "method_definition", "arrow_function", "function_expression", "function")), None)
        if fn is None:
            continue
        entry = None
        for node in descendants(fn, stop_at_functions=True):
            if node.type != "object" or node.start_byte < call.node.end_byte:
                continue
            keys = set()
            for child in node.named_children:
                if child.type == "shorthand_property_identifier":
                    keys.add(ts.text(child))
                elif child.type == "pair":
                    value = child.child_by_field_name("value")
                    if value is not None and ts.text(value) == handle:
                        keys.add(handle)
                    keys.add(ts.text(child.child_by_field_name("key")))
            if handle in keys and keys & {"resolve", "reject"} and _stored_in_collection(node):
                entry = node
                break
        if entry is None:
            continue
        sends = [c for c in ctx.calls if c.node.start_byte > entry.end_byte and c.node.end_byte <= fn.end_byte
                 and _SENDS_R17_JS2.search(c.callee.split(".")[-1]) and not c.callee.startswith(("Log.", "console."))
                 and not _LOCAL_IPC_R17_JS2.search(c.callee)]
        if not sends:
            continue
        _emit(ctx, call.node, call.args[1], "total", None)


def _stored_in_collection(obj: ts.Node) -> bool:
    """`map.set(id, { ... })`, `this.pending[id] = { ... }`."""
    parent = obj.parent
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        return fn is not None and fn.type == "member_expression" and \
            ts.text(fn.child_by_field_name("property")) in ("set", "push", "add")
    if parent is not None and parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        return left is not None and left.type == "subscript_expression"
    return False


def _super_options(ctx: FileContext) -> None:
    for method in ctx.nodes_of("method_definition"):
        name = method.child_by_field_name("name")
        if name is None or ts.text(name) != "constructor":
            continue
        for call in descendants(method, stop_at_functions=True):
            if call.type == "call_expression":
                _super_call(ctx, call)


def _super_call(ctx: FileContext, call: ts.Node) -> None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "super":
        return
    args = call.child_by_field_name("arguments")
    options = next((unwrap(a) for a in (args.named_children if args is not None else ())
                    if unwrap(a) is not None and unwrap(a).type == "object"), None)
    if options is None:
        return
    value = (object_props(options) or {}).get("timeout")
    if value is None or value.parent is None or value.parent.type != "pair":
        return
    base = _base_class_module(ctx, call)
    if base is None:
        return
    _emit(ctx, value.parent, value, "total", base)


def _base_class_module(ctx: FileContext, node: ts.Node) -> str | None:
    """The package the enclosing class extends a class of (`class Limiter extends q`, `q` from 'queue'),
    None for a class of the project, a builtin, a server or a test's class."""
    cls = next((p for p in ts.ancestors(node) if p.type in ("class_declaration", "class", "abstract_class_declaration")),
               None)
    if cls is None:
        return None
    heritage = next((c for c in cls.named_children if c.type == "class_heritage"), None)
    if heritage is None:
        return None
    text = ts.text(heritage)
    match = re.search(r"extends\s+([A-Za-z_$][\w$.]*)\s*(\(?)", text)
    if match is None or match.group(2):
        return None  # a mixin's class (`extends PassportStrategy(Strategy, 'google')`): a strategy's settings
    base = match.group(1)
    if _SERVERISH_BASE_R17_JS2.search(base.split(".")[-1]):
        return None
    module = ctx.imports.get(base.split(".", 1)[0], "")
    if not module or module.startswith(".") or module.startswith("@/") or module.startswith("~") or \
            _NOT_A_CLIENT_BASE_R17_JS2.search(module):
        return None
    if module.split("/", 1)[0] in (ctx.path.split("/", 1)[0],) or any(
            module == m or module.startswith(m + "/") for m in getattr(ctx, "local_modules", ()) or ()):
        return None  # a path alias into the project's own sources
    return module
