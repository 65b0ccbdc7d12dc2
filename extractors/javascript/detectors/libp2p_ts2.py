"""(round 20, ts second wave) libp2p's per-operation bounds (ocean-node's P2P component).

libp2p methods take an options object whose `signal` aborts the operation: `this._libp2p.dial(peer,
{ signal: AbortSignal.timeout(10000) })`, `libp2p.peerRouting.findPeer(id, { signal:
AbortSignal.timeout(3000) })`, `connection.newStream(protocol, options)`; the DHT's
`contentRouting.findProviders(cid, { queryFuncTimeout: timeout || 20000 })` bounds each query; and
`createLibp2p({ connectionManager: { dialTimeout } })` bounds every dial. A timeout at the call (the line
of the method's name, for a chained `this._libp2p\n.dial(...)`); a signal written once in a local
options object shared by several calls (`const options = { signal: AbortSignal.timeout(10_000) }`) is one
setting, at its `signal:` line. A signal chosen by a ternary between a fixed fallback and the function's
own parameter (`isNaN(timeout) || timeout === 0 ? AbortSignal.timeout(5000) : AbortSignal.timeout(timeout)`)
is the fallback (rule a). The peerStore's and inbound handlers' signals are not outbound calls: left out.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, _parameter_default, dotted, enclosing_function, object_props, unwrap
from extractors.javascript.detectors import client_options

_METHODS = {"dial", "dialProtocol", "findPeer", "findProviders", "getClosestPeers", "newStream", "provide"}
_RECEIVER = re.compile(r"libp2p|peerRouting|contentRouting|(^|\.)(connection|conn)$", re.I)


def detect(ctx: FileContext) -> None:
    if b"libp2p" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    from extractors.javascript.detectors.fetch import _UNKNOWN, signal_timeout
    for node in ts.walk(ctx.tree.root_node):
        if node.type == "pair" and ts.text(node.child_by_field_name("key")) == "dialTimeout":
            holder = node.parent.parent if node.parent is not None else None
            if holder is not None and holder.type == "pair" and \
                    ts.text(holder.child_by_field_name("key")) == "connectionManager":
                client_options._timeout(ctx, node, node.child_by_field_name("value"), "connect", taken)
            continue
        if node.type != "call_expression":
            continue
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            continue
        prop = fn.child_by_field_name("property")
        if ts.text(prop) not in _METHODS or not _RECEIVER.search(dotted(fn.child_by_field_name("object")) or ""):
            continue
        args = node.child_by_field_name("arguments")
        items = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        if len(items) < 2:
            continue
        options = unwrap(items[-1])
        if options is None:
            continue
        if options.type == "object":
            props = object_props(options) or {}
            if "queryFuncTimeout" in props:
                client_options._timeout(ctx, prop, props["queryFuncTimeout"], "total", taken)
                continue
            signal = props.get("signal")
            if signal is None:
                continue
            ms = _fallback_signal(signal, node)
            if ms is None:
                ms = signal_timeout(ctx, signal, node)
            if ms is _UNKNOWN or not isinstance(ms, ts.Node):
                continue
            client_options._timeout(ctx, prop, ms, "total", taken)
        elif options.type == "identifier":
            value = ctx.local_value(ts.text(options), node)
            value = unwrap(value)
            if value is None or value.type != "object":
                continue
            pair = next((p for p in value.named_children if p.type == "pair"
                         and ts.text(p.child_by_field_name("key")) == "signal"), None)
            if pair is None:
                continue
            ms = signal_timeout(ctx, pair.child_by_field_name("value"), pair)
            if ms is _UNKNOWN or not isinstance(ms, ts.Node):
                continue
            client_options._timeout(ctx, pair, ms, "total", taken)


def _fallback_signal(signal: ts.Node, call: ts.Node) -> ts.Node | None:
    """`cond(timeout) ? AbortSignal.timeout(5000) : AbortSignal.timeout(timeout)` (either order), `timeout` a
    parameter without a default of the function around: the fixed branch's ms node."""
    signal = unwrap(signal)
    if signal is None or signal.type != "ternary_expression":
        return None
    branches = [unwrap(signal.child_by_field_name(b)) for b in ("consequence", "alternative")]
    ms = []
    for branch in branches:
        if branch is None or branch.type != "call_expression" or \
                dotted(branch.child_by_field_name("function")) != "AbortSignal.timeout":
            return None
        args = branch.child_by_field_name("arguments")
        first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if first is None:
            return None
        ms.append(first)
    fixed = [m for m in ms if m.type == "number"]
    named = [m for m in ms if m.type == "identifier"]
    if len(fixed) != 1 or len(named) != 1:
        return None
    fn = enclosing_function(call)
    is_param, default = _parameter_default(fn, ts.text(named[0])) if fn is not None else (False, None)
    condition = signal.child_by_field_name("condition")
    if not is_param or default is not None or condition is None or \
            not re.search(r"(?<![\w$.])" + re.escape(ts.text(named[0])) + r"(?![\w$])", ts.text(condition)):
        return None
    return fixed[0]


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))
