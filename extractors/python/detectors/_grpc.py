"""The gRPC engine: calls on generated stubs (``XStub(channel)``), their deadline and target."""

from __future__ import annotations

from contract_discovery.model import Finding, Pending, Target
from extractors import treesitter as T
from extractors.python.analysis import PyCall, PyFile, _has_ref_or_env, is_none, unwrap
from extractors.python.detectors._http import Outbound
from extractors.treesitter import Node

CHANNELS = ("grpc.insecure_channel", "grpc.secure_channel", "grpc.aio.insecure_channel",
            "grpc.aio.secure_channel", "grpc.intercept_channel")


def analyse(f: PyFile) -> list[Finding]:
    if "grpc" not in f._memo:
        out: list[Finding] = []
        outbound: dict[int, Outbound] = {}
        # a stub is what a generated client's class is called (``RiskStub(channel)``)
        for call in f.calls if f.has_any(b"stub") else ():
            try:
                out.extend(_stub_call(f, call, outbound))
            except Exception as exc:
                f.note_error("python.grpc", exc)
        if f.has_any(b"import grpc", b"from grpc", b"_pb2_grpc"):
            seen = {fd.line for fd in out}
            for call in f.calls:
                try:
                    out.extend(_sdk_stub_call(f, call, outbound, seen) or _dynamic_stub_call(f, call, outbound))
                except Exception as exc:
                    f.note_error("python.grpc", exc)
        f._memo["grpc"] = out
        f._memo["grpc_outbound"] = outbound
    return f._memo["grpc"]


def outbound(f: PyFile) -> dict[int, Outbound]:
    analyse(f)
    return f._memo["grpc_outbound"]


def _channel_target(f: PyFile, stub_ctor: Node | None, method: str) -> tuple[Target | None, list[Pending]]:
    ctor = f.call_of(stub_ctor)
    if ctor is None or not ctor.args:
        return Target(operation=method), []
    chan = unwrap(ctor.args[0].node)
    for _ in range(3):
        if chan is not None and chan.type == "identifier":
            found = f.binding(T.text(chan), chan)
            chan = unwrap(found[0]) if found else None
        elif chan is not None and chan.type == "attribute" and T.text(chan).startswith("self."):
            cls = f.enclosing_class(chan)
            values = f.self_attr_values(cls, T.text(chan)[5:]) if cls is not None else []
            chan = unwrap(values[0]) if values else None
        else:
            break
    c = f.call_of(chan)
    if c is None or c.qualified not in CHANNELS or not c.args:
        return Target(operation=method), []
    if c.qualified == "grpc.intercept_channel":
        return _channel_target_from(f, c.args[0].node, method)
    return _target_from_expr(f, c.args[0].node, method)


def _channel_target_from(f: PyFile, node: Node, method: str) -> tuple[Target | None, list[Pending]]:
    c = f.call_of(node)
    if c is not None and c.qualified in CHANNELS and c.args:
        return _target_from_expr(f, c.args[0].node, method)
    return Target(operation=method), []


def _target_from_expr(f: PyFile, node: Node, method: str) -> tuple[Target | None, list[Pending]]:
    value = f.expr(node)
    settled, source = f.settle(value)
    if isinstance(settled, str) and source in ("literal", "constant"):
        return Target(url=settled, operation=method), []
    if _has_ref_or_env(value):
        return Target(operation=method), [Pending("url", value, None)]
    return Target(operation=method), []


def _stub_call(f: PyFile, call: PyCall, outbound: dict) -> list[Finding]:
    func = call.node.child_by_field_name("function")
    if func is None or func.type != "attribute":
        return []
    method = call.name
    recv = func.child_by_field_name("object")
    if method in ("future", "with_call") and recv is not None and recv.type == "attribute":
        method = T.text(recv.child_by_field_name("attribute"))
        recv = recv.child_by_field_name("object")
    if not method[:1].isupper():
        return []
    ref = f.client_of(recv)
    if ref is None or ref.kind != "grpc.Stub":
        return []
    target, pending = _channel_target(f, ref.ctor, method)
    det = "python.grpc"
    out = [f.finding("outbound_call", call.node, det,
                     {"protocol": "grpc", "method": method, "url": target.url if target else None,
                      "url_expression": None, "library": "grpc"}, "high", target, pending)]
    outbound[call.node.id] = Outbound(call, "grpc", "grpc", method, target, pending,
                                      target.url if target else None, "")
    arg = call.kwargs.get("timeout") or (call.args[1] if len(call.args) > 1 else None)
    if arg is not None and not is_none(unwrap(arg.node)):
        out += f.duration(arg.node, 1000.0, "deadline", det, call.node, target, pending)
    elif not call.dict_splats:
        out.append(f.finding("missing_timeout", call.node, "python.missing_timeout",
                             {"library": "grpc", "library_default_ms": None}, "high", target, pending))
    return out


import re  # noqa: E402

# a generated service client kept under a service-like name (`self.inventory_svc`, `stub`, `rbac_client`)
_SERVICE_RECEIVER = re.compile(r"(svc|service|stub|client)$", re.I)


def _sdk_stub_call(f: PyFile, call: PyCall, outbound: dict, seen: set) -> list[Finding]:
    """(round 18, insights-host-inventory) A vendor SDK's gRPC client in a file importing grpc: `self.inventory_svc,
    self.channel = ClientBuilder(target).build()` then `self.inventory_svc.Check(request, timeout=self.timeout)`:
    a CamelCase RPC method on a service-named receiver given a deadline (seconds)."""
    arg = call.kwargs.get("timeout")
    if arg is None and len(call.args) == 2 and _pb2_message(f, call.args[0].node):
        # (round 20, loopchain) `peer_stub.BlockSync(loopchain_pb2.BlockSyncRequest(...), conf.GRPC_TIMEOUT)`: a
        # generated stub's second positional parameter is the deadline
        arg = call.args[1]
    if call.node.id in outbound or arg is None or not call.receiver or \
            not re.fullmatch(r"[A-Z][A-Za-z0-9]+", call.name) or call.callee in f.classes:
        return []
    last = call.receiver.rsplit(".", 1)[-1]
    if not _SERVICE_RECEIVER.search(last) or last in f.classes:
        return []
    if is_none(unwrap(arg.node)):
        return []
    target = Target(operation=call.name)
    outbound[call.node.id] = Outbound(call, "grpc", "grpc", call.name, target, [], None, "")
    return f.duration(arg.node, 1000.0, "deadline", "python.grpc", call.node, target, [])


def _pb2_message(f: PyFile, node: Node) -> bool:
    """A protobuf message made in place (`loopchain_pb2.BlockSyncRequest(...)`, a class of a `*_pb2` module)."""
    c = f.call_of(unwrap(node))
    return c is not None and "." in c.callee and f.qualify(c.callee).rsplit(".", 1)[0].endswith("_pb2")


_STUBISH = re.compile(r"stub$", re.I)


def _dynamic_stub_call(f: PyFile, call: PyCall, outbound: dict) -> list[Finding]:
    """(round 20, loopchain's StubManager) `stub_method = getattr(self.__stub, method_name)` then
    `stub_method(message, timeout)` / `stub_method.future(message, timeout)` in a file importing grpc: a stub's
    RPC looked up by name, its second positional parameter (or `timeout=`) the deadline."""
    if call.node.id in outbound:
        return []
    if call.receiver and call.name in ("future", "with_call") and call.receiver.isidentifier():
        local = call.receiver
    elif not call.receiver and call.callee.isidentifier():
        local = call.callee
    else:
        return []
    found = f.binding(local, call.node)
    made = f.call_of(unwrap(found[0])) if found else None
    if made is None or made.callee != "getattr" or len(made.args) < 2 or \
            not _STUBISH.search(made.args[0].text.rsplit(".", 1)[-1]):
        return []
    arg = call.kwargs.get("timeout") or (call.args[1] if len(call.args) >= 2 else None)
    if arg is None or is_none(unwrap(arg.node)):
        return []
    target = Target(operation=None)
    outbound[call.node.id] = Outbound(call, "grpc", "grpc", None, target, [], None, "")
    return f.duration(arg.node, 1000.0, "deadline", "python.grpc", call.node, target, [])
