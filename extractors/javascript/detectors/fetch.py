"""fetch: `AbortSignal.timeout(ms)`, an AbortController aborted by `setTimeout`, or no bound at all.

What it does: reports each `fetch(...)` (global, `node-fetch`, `undici` and its `request(url, {...})`, `cross-fetch`, a wrapper
of the code base named like fetch, a `fetchImpl = globalThis.fetch` parameter or constructor parameter
property (`this.fetchImpl(url, init)`), a `fetch` method of an
injected wrapper whose init carries a time-bound signal: `this.fetchService.fetch(url, { signal })`) as an ``outbound_call``; a ``timeout`` when its `signal` is `AbortSignal.timeout(ms)` (also inside
`AbortSignal.any([...])`) or the `signal` of a controller that a `setTimeout(..., ms)` in the same
function aborts, or the signal a helper named for a timeout hands its callback
(`withTimeoutAsync(async (signal) => fetch(url, { signal }), 5000)`: the ms given, else the helper's
default parameter `timeout = 10000`, also when the helper lives in another file);
``missing_timeout`` when there is no `signal` at all. Its ``library_default_ms``
is 300000 (undici's headersTimeout/bodyTimeout) for `undici`'s fetch and for the global fetch in a
file that imports a Node-only builtin (`node:fs`, `child_process`, ...): Node's fetch is undici's.
Elsewhere (a browser, node-fetch, a file that does not say where it runs) it is None: waits forever.

Why it matters: fetch has no total timeout of its own; without a signal a slow dependency holds
the caller for as long as the socket lives (in Node, up to 5 minutes per wait for headers or data).

Example::

    await fetch(url, { signal: AbortSignal.timeout(500) });   // timeout 500 ms
    await fetch(url);                                         // missing_timeout
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from contract_discovery.values import Expr, Ref
from extractors.javascript.context import (FUNCTION_TYPES, TIMEOUT_HELPER, CallInfo, FileContext, Outbound,
                                           _parameter_default, descendants, dotted, enclosing_function,
                                           helper_timeout_param, is_disabled_value, js_detector, key_name,
                                           string_value, unwrap)

ID = "javascript.fetch"
_FETCH = {"fetch", "globalThis.fetch", "window.fetch", "self.fetch", "global.fetch", "node-fetch",
          "node-fetch.default", "undici.fetch", "cross-fetch", "isomorphic-fetch", "cross-fetch.fetch",
          "undici.request"}  # undici's request(url, { signal, ... }) takes the same signal
_UNKNOWN = object()


@js_detector(ID, ["timeout", "missing_timeout", "outbound_call"],
          valid=['setTimeout(() => setLoading(false), 300);',
                 'const label = "fetch(url) timeout";',
                 'this.store.fetch("key");'],
          invalid=['fetch("http://risk:8080/score");',
                   'fetch(url, { method: "POST", signal: AbortSignal.timeout(500) });'])
def detect(ctx: FileContext) -> None:
    for call in ctx.calls:
        if call.is_new:
            continue
        if call.qualified in _FETCH:
            _fetch(ctx, call, wrapper=False)
        elif call.callee == "fetch" and "fetch" in ctx.imports:
            # `import fetch from "@app/utils/fetch"`: a wrapper of this code base. Its own defaults are
            # not visible here, so only what the call itself sets is reported.
            _fetch(ctx, call, wrapper=True)
        elif _fetch_like(ctx, call) or _fetch_method(ctx, call):
            _fetch(ctx, call, wrapper=True)


def _fetch_like(ctx: FileContext, call: CallInfo) -> bool:
    """`fetchWithProxy(url, init)` imported from this code base, or `fetchImpl(input, init)` where
    `fetchImpl = globalThis.fetch` is the parameter's default: fetch under another name."""
    name = call.callee
    if name.startswith("this.") and name.count(".") == 1 and "fetch" in name.lower():
        # `constructor(private readonly fetchImpl: FetchLike = fetch)` then `this.fetchImpl(url, init)`
        default = ctx._class_field(call.node, name[5:])
        return default is not None and ts.text(default) in _FETCH
    if "." in name or "fetch" not in name.lower() or name == "fetch":
        return False
    module = ctx.imports.get(name)
    if module is not None:
        from extractors.javascript.detectors.client_options import _project_module
        if _project_module(ctx, module):
            return True
        # `import { fetchWithProxy } from "network"` (a tsconfig path): fetch-like when its init
        # carries a signal, as only a fetch's does
        init = ctx.resolve_object(call.arg(1))
        return (init is not None and "signal" in (ctx.props(init) or {})) or \
            _builder_signal(ctx, call.arg(1)) is not None
    default = ctx.local_value(name, call.node)
    if default is not None and unwrap(default).type == "ternary_expression":
        # `const fetchFn = requestOptions.dispatcher ? undiciFetch : globalThis.fetch` (round 12,
        # MagicMirror's HTTPFetcher): fetch whichever branch is taken
        branches = [unwrap(unwrap(default).child_by_field_name(side)) for side in ("consequence", "alternative")]
        return all(b is not None and (ts.text(b) in _FETCH or ctx.qualify(dotted(b)) in _FETCH) for b in branches)
    if default is not None:
        return ts.text(default) in _FETCH
    # `let fetchImpl = fetch; if (jar) fetchImpl = fetchCookie(fetch, jar); fetchImpl(url, opts)`:
    # rebound, so no single value; fetch-like when its init carries a time-bound signal
    init = ctx.resolve_object(call.arg(1))
    signal = (ctx.props(init) or {}).get("signal") if init is not None else None
    return signal is not None and signal_timeout(ctx, signal, call.node) is not _UNKNOWN


def _fetch_method(ctx: FileContext, call: CallInfo) -> bool:
    """`this.fetchService.fetch(url, { signal: AbortSignal.timeout(ms) })`: a method named fetch of
    an injected wrapper, when its init carries a time-bound signal, as only a fetch's init does (a
    store's `cache.fetch("key")` has none)."""
    if call.name != "fetch" or "." not in call.callee or call.qualified in _FETCH:
        return False
    init = ctx.resolve_object(call.arg(1))
    props = (ctx.props(init) or {}) if init is not None else {}
    signal = props.get("signal")
    if signal is None and _fetch_init_timeout_js2(ctx, call, props):
        return True
    return signal is not None and signal_timeout(ctx, signal, call.node) is not _UNKNOWN


_FETCH_INIT_KEYS_JS2 = {"method", "headers", "body"}


def _fetch_init_timeout_js2(ctx: FileContext, call: CallInfo, props: dict) -> bool:
    """`snapshot.utils.fetch(url, { method, headers, timeout: HTTP_WEBHOOK_TIMEOUT })` (round 16,
    snapshot-webhook): a library's fetch helper (a member of an imported package) handed an init that
    reads as a fetch's (method / headers / body) with a `timeout` in ms, as node-fetch v2 and its
    wrappers take. A store's `cache.fetch(key, { timeout })` has no such init keys."""
    if "timeout" not in props or not (_FETCH_INIT_KEYS_JS2 & set(props)):
        return False
    root = call.callee.split(".")[0]
    return root in ctx.imports


def _timeout_attrs(ctx: FileContext, ms):
    """timeout_value for a node, or for the Expr of a helper's default (`withTimeout(cb)` imported)."""
    if isinstance(ms, Expr):
        return ctx.timeout_from_expr(ms, getattr(ms, "name", "") or str(ms))
    return ctx.timeout_value(ms)


def _fetch(ctx: FileContext, call: CallInfo, wrapper: bool) -> None:
    init_node = call.arg(1)
    init = ctx.resolve_object(init_node)
    if init is None and unwrap(init_node) is not None and unwrap(init_node).type == "call_expression":
        init = _built_options(ctx, unwrap(init_node))  # `fetch(url, buildFetchOptions({ ..., signal }))`
    props = ctx.props(init) if init is not None else None
    method = (string_value((props or {}).get("method")) or "GET").upper()
    target, pending, literal = ctx.url_target(call.arg(0))
    ctx.finding("outbound_call", call.node, ID, {"protocol": "http", "method": method, "url": literal},
                "high", target, pending)
    ctx.outbound[(call.node.start_byte, call.node.end_byte)] = Outbound(call.node, "fetch", target, pending)
    if init_node is not None and (init is None or ctx.opaque(init)) and \
            not {"signal", "timeout"} & set(props or {}):
        built = _builder_signal(ctx, init_node)
        if built is not None:  # `fetchStream(url, historyFetchOptions())`: reported once, in the builder
            pair, value = built
            line = pair.start_point[0] + 1
            if not any(f.detector == ID and f.kind == "timeout" and f.line == line for f in ctx.findings):
                attrs, confidence, tpending = _timeout_attrs(ctx, value)
                attrs["phase"] = "total"
                ctx.finding("timeout", pair, ID, attrs, confidence, None, tpending)
        return  # options built elsewhere: cannot tell
    signal = (props or {}).get("signal")
    timeout = (props or {}).get("timeout")  # node-fetch v2 and fetch wrappers take `timeout` in ms
    if timeout is not None and not is_disabled_value(timeout):
        attrs, confidence, tpending = ctx.timeout_value(timeout)
        attrs["phase"] = "total"
        ctx.finding("timeout", call.node, ID, attrs, confidence, target, tpending + pending)
        return
    if signal is None or is_disabled_value(signal):
        if call.qualified.startswith("undici.") and {"headersTimeout", "bodyTimeout"} & set(props or {}):
            return  # undici's own bounds, read by the driver_options detector
        if not wrapper:
            ctx.finding("missing_timeout", call.node, ID,
                        {"library": "fetch", "library_default_ms": _undici_default(ctx, call)}, "high", target, pending)
        return
    ms = signal_timeout(ctx, signal, call.node)
    if ms is _UNKNOWN or ms is None:
        return
    attrs, confidence, tpending = _timeout_attrs(ctx, ms)
    attrs["phase"] = "total"
    ctx.finding("timeout", call.node, ID, attrs, confidence, target, tpending + pending)
    controller = dotted(unwrap(signal))
    if controller.endswith(".signal"):
        _rearmed_timers(ctx, controller[: -len(".signal")], call, target, pending)


def _rearmed_timers(ctx: FileContext, controller: str, call: CallInfo, target, pending) -> None:
    """`watchdog = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS)` after the fetch answered,
    re-armed while its body is read: an idle bound between chunks (phase read), on that timer."""
    scope = enclosing_function(call.node) or ctx.tree.root_node
    for timer in ctx.calls_in(scope):
        if timer.callee not in ("setTimeout", "globalThis.setTimeout", "window.setTimeout") or \
                timer.node.start_byte <= call.node.end_byte or timer.arg(1) is None:
            continue
        callback = timer.arg(0)
        if callback is None or not (dotted(callback) == f"{controller}.abort" or any(
                n.type == "call_expression" and dotted(n.child_by_field_name("function")) == f"{controller}.abort"
                for n in descendants(callback))):
            continue
        attrs, confidence, tpending = _timeout_attrs(ctx, timer.arg(1))
        attrs["phase"] = "read"
        ctx.finding("timeout", timer.node, ID, attrs, confidence, target, tpending + pending)


# Node's own fetch is undici's: without a signal it gives up after 300 s without response headers
# (headersTimeout) or between body chunks (bodyTimeout). Browsers and node-fetch set no such bound.
UNDICI_DEFAULT_MS = 300000
# builtins only Node has (no browser bundle polyfills them); `path`, `events`, `buffer`, `crypto`,
# `util`, `url` and `stream` are left out because bundlers ship browser versions of them
_NODE_ONLY = {"fs", "fs/promises", "child_process", "net", "tls", "http", "https", "http2", "os", "cluster",
              "worker_threads", "dgram", "dns", "dns/promises", "timers/promises", "readline", "v8", "vm",
              "zlib", "perf_hooks", "async_hooks", "inspector", "stream/promises"}


_NODE_SCHEME = re.compile(rb"""(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(?\s*)["']node:""")


def _undici_default(ctx: FileContext, call: CallInfo) -> int | None:
    """300000 for `undici`'s fetch, and for the global fetch in a file that imports a Node-only
    builtin (`node:fs`, `child_process`, ...); None (waits forever) elsewhere: a browser, node-fetch,
    or a file that does not say where it runs."""
    if call.qualified in ("undici.fetch", "undici.request"):
        return UNDICI_DEFAULT_MS
    if call.qualified not in ("fetch", "globalThis.fetch", "global.fetch"):
        return None
    modules = {m.split(".", 1)[0] if not m.startswith(("fs/", "dns/", "timers/", "stream/")) else m.rsplit(".", 1)[0]
               for m in ctx.imports.values()}
    if modules & _NODE_ONLY or (b"node:" in ctx.data and _NODE_SCHEME.search(ctx.data)):
        return UNDICI_DEFAULT_MS
    return None


def _builder_signal(ctx: FileContext, init: ts.Node | None):
    """(pair, ms node) of `signal: AbortSignal.timeout(ms)` in the object literal that a function of
    this file returns, when the init is that function's call (`fetchStream(url, historyOptions())`)
    or spreads it (`{ ...historyOptions(), method: "POST" }`); else None."""
    init = unwrap(init)
    if init is None:
        return None
    calls = [init] if init.type == "call_expression" else [
        unwrap(c.named_children[0]) for c in init.named_children
        if c.type == "spread_element" and c.named_children] if init.type == "object" else []
    for call in calls:
        if call is None or call.type != "call_expression" or call.child_by_field_name("arguments") is None \
                or call.child_by_field_name("arguments").named_children:
            continue
        fn = ctx.functions.get(dotted(call.child_by_field_name("function")).removeprefix("this."))
        if fn is None:
            continue
        body = unwrap(fn.child_by_field_name("body"))
        returned = [body] if body is not None and body.type == "object" else [
            unwrap(n.named_children[0]) for n in descendants(fn, stop_at_functions=True)
            if n.type == "return_statement" and n.named_children]
        for obj in returned:
            if obj is None or obj.type != "object":
                continue
            for pair in obj.named_children:
                if pair.type != "pair" or ts.text(pair.child_by_field_name("key")) != "signal":
                    continue
                ms = signal_timeout(ctx, pair.child_by_field_name("value"), pair)
                if ms is not _UNKNOWN and ms is not None:
                    return pair, ms
    return None


def _built_options(ctx: FileContext, call: ts.Node, depth: int = 0) -> ts.Node | None:
    """The object literal handed to an options builder, when it (or an object nested in it) carries
    the `signal`: the builder is assumed to pass it on."""
    args = call.child_by_field_name("arguments")
    for arg in (args.named_children if args is not None else []):
        obj = ctx.resolve_object(arg)
        if obj is None:
            continue
        props = ctx.props(obj) or {}
        if "signal" in props or "timeout" in props:
            return obj
        for value in props.values():
            inner = ctx.resolve_object(value)
            if inner is not None and depth < 2:
                inner_props = ctx.props(inner) or {}
                if "signal" in inner_props or "timeout" in inner_props:
                    return inner
    return None


def signal_timeout(ctx: FileContext, node: ts.Node | None, site: ts.Node, depth: int = 0):
    """The node holding the ms of a signal's timeout, or _UNKNOWN when the signal is not time-bound here."""
    node = unwrap(node)
    if node is None or depth > 4:
        return _UNKNOWN
    if node.type == "call_expression":
        callee = dotted(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        items = [a for a in args.named_children] if args is not None else []
        if callee == "AbortSignal.timeout":
            return items[0] if items else _UNKNOWN
        if callee == "AbortSignal.any" and items and items[0].type == "identifier":
            # (round 19, js2) `const signals = [timeout.signal]; ...; AbortSignal.any(signals)` (PowerSync's
            # Convex client): the array a local holds
            held = unwrap(ctx.local_value(ts.text(items[0]), site))
            items = [held] if held is not None and held.type == "array" else items
        if callee == "AbortSignal.any" and items and items[0].type == "array":
            for element in items[0].named_children:
                found = signal_timeout(ctx, element, site, depth + 1)
                if found is not _UNKNOWN:
                    return found
        return _UNKNOWN
    if node.type == "ternary_expression":
        # `options.signal ? AbortSignal.any([AbortSignal.timeout(5000), options.signal]) : AbortSignal.timeout(5000)`
        found = [signal_timeout(ctx, node.child_by_field_name(b), site, depth + 1) for b in ("consequence", "alternative")]
        known = [f for f in found if f is not _UNKNOWN]
        if len(known) == 2 and ts.text(known[0]) == ts.text(known[1]):
            return known[0]
        # `timeout > 0 ? AbortSignal.timeout(timeout) : undefined`: bounded whenever a timeout is given
        other = [unwrap(node.child_by_field_name(b)) for b, f in zip(("consequence", "alternative"), found)
                 if f is _UNKNOWN]
        if len(known) == 1 and len(other) == 1 and other[0] is not None and \
                (other[0].type in ("undefined", "null") or ts.text(other[0]) == "undefined"):
            return known[0]
        return _UNKNOWN
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("??", "||"):
        # `options.signal ?? AbortSignal.timeout(options.timeout ?? this.timeout)` (round 12): a caller's own
        # signal when it hands one, else the code's time-bound one
        left = unwrap(node.child_by_field_name("left"))
        if left is not None and left.type == "member_expression" and \
                ts.text(left.child_by_field_name("property")) == "signal":
            return signal_timeout(ctx, node.child_by_field_name("right"), site, depth + 1)
        return _UNKNOWN
    if node.type in ("identifier", "shorthand_property_identifier"):
        helped = _helper_signal(ctx, ts.text(node), node)
        if helped is not None:
            return helped
        value = ctx.local_value(ts.text(node), site)
        if value is None:
            holder = _destructured_signal_js2(ts.text(node), site)
            return abort_timer(ctx, holder, site) if holder is not None else _UNKNOWN
        return signal_timeout(ctx, value, site, depth + 1)
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        if prop is None or ts.text(prop) != "signal":
            return _UNKNOWN
        controller = dotted(node.child_by_field_name("object"))
        return abort_timer(ctx, controller, site)
    return _UNKNOWN


def _destructured_signal_js2(name: str, site: ts.Node) -> str | None:
    """`const { signal } = controller;` (or `{ signal: name }`) in a function around ``site`` (round 14,
    lido-keys-api): the controller whose signal ``name`` is."""
    for fn in ts.ancestors(site):
        if fn.type not in FUNCTION_TYPES and fn.type != "method_definition":
            continue
        body = fn.child_by_field_name("body")
        for node in descendants(body, stop_at_functions=True) if body is not None else ():
            if node.type != "variable_declarator":
                continue
            pattern, value = node.child_by_field_name("name"), unwrap(node.child_by_field_name("value"))
            if pattern is None or pattern.type != "object_pattern" or value is None or \
                    value.type not in ("identifier", "member_expression"):
                continue
            for part in pattern.named_children:
                if name == "signal" and part.type == "shorthand_property_identifier_pattern" and \
                        ts.text(part) == "signal" or part.type == "pair_pattern" and \
                        key_name(part.child_by_field_name("key")) == "signal" and \
                        ts.text(part.child_by_field_name("value")) == name:
                    return dotted(value)
        return None
    return None


def _helper_signal(ctx: FileContext, name: str, site: ts.Node):
    """`withTimeoutAsync(async (signal) => fetch(url, { signal }), 5000)`: the signal is the parameter
    of a callback handed to a helper named for a timeout, which aborts it after the ms it is given
    (the argument that is no function), else after its own default: read here when the helper is
    this file's, else the `<helper>.$timeout` symbol its file publishes. None when the name is no
    such parameter (a local, or a parameter of anything else); _UNKNOWN when nothing bounds it."""
    for parent in ts.ancestors(site):
        if parent.type not in FUNCTION_TYPES:
            continue
        found, _default = _parameter_default(parent, name)
        if not found:
            continue
        args = parent.parent
        call = args.parent if args is not None and args.type == "arguments" else None
        if call is None or call.type != "call_expression":
            return None
        callee = dotted(call.child_by_field_name("function"))
        short = callee.rsplit(".", 1)[-1]
        if not TIMEOUT_HELPER.search(short) or short in ("setTimeout", "clearTimeout"):
            return None
        others = [a for a in args.named_children if a.type != "comment" and a != parent]
        for other in others:
            inner = unwrap(other)
            if inner is not None and inner.type not in FUNCTION_TYPES and inner.type != "object":
                return inner  # `withTimeout(cb, options.timeout)`: the ms it is given
        if "." in callee:
            return _UNKNOWN
        fn = ctx.functions.get(callee)
        if fn is not None:
            param = helper_timeout_param(fn)
            return param if param is not None else _UNKNOWN
        if callee in ctx.imports:
            return Ref(f"{callee}.$timeout")  # the default its own file publishes
        return _UNKNOWN
    return None


def abort_timer(ctx: FileContext, controller: str, site: ts.Node):
    """The delay of a `setTimeout(() => controller.abort(), ms)` in the function around ``site``."""
    scope = enclosing_function(site) or ctx.tree.root_node
    from extractors.javascript.abort_scope_ts2 import closure_scope_ts2
    scope = closure_scope_ts2(ctx, controller, scope)  # (round 21, ts2) a callback's closure: the outer function
    for call in ctx.calls_in(scope):
        if call.callee not in ("setTimeout", "globalThis.setTimeout", "window.setTimeout"):
            continue
        callback = call.arg(0)
        if callback is None:
            continue
        aborts = dotted(callback) == f"{controller}.abort" or any(
            n.type == "call_expression" and dotted(n.child_by_field_name("function")) == f"{controller}.abort"
            for n in descendants(callback))
        if aborts:
            return call.arg(1) if call.arg(1) is not None else _UNKNOWN
    from extractors.javascript.detectors.call_waits_js2 import promise_timer_abort
    return promise_timer_abort(ctx, scope, controller)
