"""gRPC connections and calls: `grpc.Dial/DialContext/NewClient`, `grpc.WithTimeout`, stub calls.

What it does: each connection is an `outbound_call` (protocol grpc) to its address;
`grpc.WithTimeout(d)` (a deprecated dial option) is a `connect` timeout of that connection;
a call on a stub made by `pb.NewXClient(conn)` is an `outbound_call` whose operation is the RPC
name (its deadline comes from the context, reported by go.context_timeout).

Why it matters: gRPC has no default deadline, so which context a call gets is its timeout.

Example: `grpc.Dial("risk:9090", grpc.WithTimeout(time.Second))` -> timeout 1000 ms, connect.
"""

from __future__ import annotations

import re

from contract_discovery.model import Target
from extractors.base import detector
from extractors.go.detectors.http_client import OutboundCall, receiver_keys, storage_keys
from extractors.go.gofile import Draft, GoFile, TargetRef, inner_expression, node_text

ID = "go.grpc"

_STUB = re.compile(r"New(\w+)Client")
_DIAL = {"grpc.Dial": 0, "grpc.DialContext": 1, "grpc.NewClient": 0}


def grpc_outbound(gf: GoFile) -> list[OutboundCall]:
    cached = getattr(gf, "_go_grpc", None)
    if cached is not None:
        return cached
    out: list[OutboundCall] = []
    conns: dict[str, TargetRef | None] = {}
    for call in gf.calls:
        if call.qualified in _DIAL and len(call.args) > _DIAL[call.qualified]:
            target = gf.url_ref(call.args[_DIAL[call.qualified]])
            keys = storage_keys(gf, call.node)
            for key in keys:
                conns[key] = target
            out.append(OutboundCall(call.node, "grpc", None, target, keys, True, "grpc"))
    # Stubs: pb.NewRiskClient(conn). The conn may come from another file (a struct field);
    # then the call still counts, with the RPC name as its operation and no URL.
    stubs: dict[str, tuple[TargetRef | None, str]] = {}
    stub_nodes: dict[int, tuple[TargetRef | None, str]] = {}
    for call in gf.calls:
        m = _STUB.fullmatch(call.name) if call.name.startswith("New") else None
        if not m or not call.args or "." not in call.callee or call.package:
            continue
        if re.search(r"\bctx\b|context\.", node_text(call.args[0])):
            continue  # cloud SDK constructors take a context, not a connection
        keys = receiver_keys(gf, call.args[0]) & set(conns)
        base = conns[next(iter(keys))] if keys else None
        stub_nodes[call.node.id] = (base, m.group(1))
        for key in storage_keys(gf, call.node):
            stubs[key] = (base, m.group(1))
    for call in gf.calls if stubs or stub_nodes else ():
        receiver = call.receiver
        if receiver is None or call.package:
            continue
        receiver = inner_expression(receiver)
        found = stub_nodes.get(receiver.id) if receiver.type == "call_expression" else None
        keys: set[str] = set()
        if found is None:
            keys = receiver_keys(gf, receiver) & set(stubs)
            found = stubs[next(iter(keys))] if keys else None
        if found is None:
            continue
        base, service = found
        url = base.target.url if base is not None and base.target is not None else None
        target = TargetRef(target=Target(url=url, operation=call.name))
        if base is not None and base.pending is not None:
            target = TargetRef(pending=base.pending)
        out.append(OutboundCall(call.node, "grpc", call.name, target, keys, True, "grpc", stub=service))
    gf._go_grpc = out  # type: ignore[attr-defined]
    return out


@detector(
    ID, "go", ("timeout", "outbound_call"),
    valid=('package p\nfunc f() { conn := dial("x"); _ = conn }\n',),
    invalid=('package p\nimport "google.golang.org/grpc"\nfunc f() { conn, _ := grpc.Dial("risk:9090"); _ = conn }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """gRPC dials, dial timeouts and stub calls."""
    drafts = []
    for call in grpc_outbound(gf):
        url = call.target.target.url if call.target is not None and call.target.target is not None else None
        attributes = {"protocol": "grpc", "method": call.method, "url": url}
        if call.stub:
            attributes["stub"] = call.stub
        drafts.append(Draft(gf.finding("outbound_call", call.node, ID, attributes,
                                       target=call.target)))
    for call in gf.calls:
        if call.qualified != "grpc.WithTimeout" or not call.args:
            continue
        info = gf.duration(call.args[0])
        dial = next((c for c in grpc_outbound(gf) if c.node.start_byte <= call.node.start_byte
                     and call.node.end_byte <= c.node.end_byte), None)
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "connect", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending,
                       target=dial.target if dial is not None else None),
            linkable=dial is None))
    return drafts
