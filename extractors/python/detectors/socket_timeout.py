"""Socket timeouts: `socket.create_connection(addr, timeout)`, `sock.settimeout(x)`, `socket.setdefaulttimeout(x)`,
ZeroMQ socket options and a websocket's receive wait.

What it does: reports the seconds given (phase total). `settimeout(None)` (blocking) and
`settimeout(0)` (non-blocking: every call returns at once) are no timeouts and are not reported.
pyzmq: `sock.setsockopt(zmq.RCVTIMEO, ms)` (phase read), `SNDTIMEO` (total), `CONNECT_TIMEOUT`
(connect), also as `sock.RCVTIMEO = ms`, in milliseconds; -1 (wait forever) and a value read back
with `getsockopt` (restoring an earlier setting) are not reported. A websocket's
`ws.receive(timeout=10)` / `receive_json` / `receive_str` / `receive_bytes` (aiohttp) and
`session.ws_connect(url, receive_timeout=10)` bound the wait for the peer's next message (phase read).
Why it matters: raw sockets block forever by default.
Example: `sock.settimeout(2.5)`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import is_none, number_value, unwrap

ID = "python.socket"

VALID = [
    """\
import socket
s = socket.socket()
s.settimeout(None)
s.settimeout(0)  # ok: non-blocking mode, not a bound
s.settimeout(0.0)  # ok: non-blocking mode, not a bound
""",
]

INVALID = [
    """\
import zmq


def connect(ctx, endpoint, timeout_ms):
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.RCVTIMEO, 200)  # expect: timeout timeout_ms=200 phase=read
    sock.setsockopt(zmq.SNDTIMEO, 200)  # expect: timeout timeout_ms=200 phase=total
    sock.setsockopt(zmq.LINGER, 0)  # ok: not a timeout
    sock.RCVTIMEO = 1500  # expect: timeout timeout_ms=1500 phase=read
    original = sock.getsockopt(zmq.RCVTIMEO)
    sock.setsockopt(zmq.RCVTIMEO, 30000)  # expect: timeout timeout_ms=30000 phase=read
    sock.setsockopt(zmq.RCVTIMEO, original)  # ok: restores the earlier setting
    sock.setsockopt(zmq.SNDTIMEO, -1)  # ok: wait forever
    return sock
""",
    """\
async def auth(ws, session, url):
    msg = await ws.receive_json(timeout=10)  # expect: timeout timeout_ms=10000 phase=read
    other = await ws.receive(timeout=2.5)  # expect: timeout timeout_ms=2500 phase=read
    free = await ws.receive()  # ok: no timeout given
    timeout = "receive(timeout=3)"  # ok: a string
    async with session.ws_connect(url, receive_timeout=30) as client:  # expect: timeout timeout_ms=30000 phase=read
        return await client.receive(timeout=None)  # ok: None waits forever
""",
    """\
import socket
conn = socket.create_connection(("risk", 8080), timeout=3)  # expect: timeout timeout_ms=3000 phase=total
conn.settimeout(0.5)  # expect: timeout timeout_ms=500 phase=total
""",
]


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"socket", b"settimeout", b"rcvtimeo", b"sndtimeo", b"receive"):
        return out
    for call in f.calls:
        arg = None
        if call.qualified == "socket.create_connection":
            arg = call.arg("timeout", 1)
        elif call.qualified == "socket.setdefaulttimeout" or (call.name == "settimeout" and call.receiver):
            arg = call.arg("value", 0)
        if arg is None or is_none(unwrap(arg.node)) or (
                call.name == "settimeout" and number_value(unwrap(arg.node)) == 0) or _sentinel_param(f, arg.node):
            continue
        if call.name == "settimeout" and _listening(f, call):
            continue  # a listening server socket's accept() wait, no call to another service (round 18)
        out += f.duration(arg.node, 1000.0, "total", ID, call.node, None)
    if f.has_any(b"rcvtimeo", b"sndtimeo", b"connect_timeout"):
        out += _zmq(f)
    if f.has_any(b"receive"):
        out += _websocket_receive(f)
    return out


def _listening(f, call) -> bool:
    """`s.listen(128); s.settimeout(t)` in the same function: the socket accepts connections (its timeout
    bounds accept(), how long the server waits for a peer), it calls nobody."""
    scope = f.enclosing_function(call.node)
    return any(c.name == "listen" and c.receiver == call.receiver and f.enclosing_function(c.node) == scope
               for c in f.calls if c.node.id != call.node.id)


# pyzmq socket options that are timeouts (milliseconds), and the phase each bounds
ZMQ_OPTIONS = {"RCVTIMEO": "read", "SNDTIMEO": "total", "CONNECT_TIMEOUT": "connect"}
RECEIVES = frozenset({"receive", "receive_json", "receive_str", "receive_bytes"})


def _zmq(f) -> list:
    out = []
    for call in f.method_calls(("setsockopt",)):
        if len(call.args) < 2:
            continue
        option = T.text(unwrap(call.args[0].node)).rsplit(".", 1)[-1]
        phase = ZMQ_OPTIONS.get(option)
        value = unwrap(call.args[1].node)
        if phase is None or value is None or _restored(f, value) or number_value(value) in (-1, 0):
            continue
        out += f.duration(value, 1.0, phase, ID, call.node, None)
    for node in T.walk(f.root):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or left.type != "attribute" or right is None:
            continue
        option = T.text(left.child_by_field_name("attribute"))
        phase = ZMQ_OPTIONS.get(option) if option != "CONNECT_TIMEOUT" else None  # a settings field, maybe
        if phase is None or _restored(f, right) or number_value(right) in (-1, 0) or is_none(right):
            continue
        out += f.duration(right, 1.0, phase, ID, node, None)
    return out


# the private "no timeout given" sentinels of socket and urllib3 (`socket._GLOBAL_DEFAULT_TIMEOUT`, urllib3's
# `_DEFAULT_TIMEOUT`): a parameter defaulting to one only hands on what its caller gave
_SENTINEL_DEFAULT = re.compile(r"(^|\.)_(GLOBAL_)?DEFAULT_TIMEOUT$")


def _sentinel_param(f, node) -> bool:
    """`def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT): ... sock.settimeout(timeout)`
    (a copy of the stdlib's, round 15, pretalx): the caller's value, no setting here."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    fn = f.enclosing_function(node)
    default = f.function_params(fn).get(T.text(node)) if fn is not None else None
    return default is not None and bool(_SENTINEL_DEFAULT.search(T.text(default)))


def _restored(f, value) -> bool:
    """A value read back from the socket (`original = sock.getsockopt(zmq.RCVTIMEO)`)."""
    if value.type == "call":
        return "getsockopt" in T.text(value)
    if value.type != "identifier":
        return False
    found = f.binding(T.text(value), value)
    return found is not None and "getsockopt" in T.text(found[0])


def _websocket_receive(f) -> list:
    out = []
    for call in f.method_calls(tuple(RECEIVES) + ("ws_connect",)):
        arg = call.kwargs.get("receive_timeout" if call.name == "ws_connect" else "timeout")
        if arg is None or not call.receiver or is_none(unwrap(arg.node)):
            continue
        if call.receiver.isidentifier() and _server_side_socket(f, call):
            continue  # (round 21, ha-supervisor) the server's end of an inbound websocket: waiting on its client
        out += f.duration(arg.node, 1000.0, "read", ID, call.node, None)
    return out


# the server's end of a websocket a request opened (aiohttp's web.WebSocketResponse, Starlette/FastAPI's WebSocket
# handed to a route)
_SERVER_WEBSOCKETS = ("aiohttp.web.WebSocketResponse", "aiohttp.web_ws.WebSocketResponse", "web.WebSocketResponse",
                      "WebSocketResponse")


def _server_side_socket(f, call) -> bool:
    """The receiver is a local made by aiohttp's `web.WebSocketResponse()` (the handler's side of a websocket a
    client opened), or a parameter annotated `WebSocket` (Starlette / FastAPI routes)."""
    found = f.binding(call.receiver, call.node)
    made = f.call_of(unwrap(found[0])) if found else None
    if made is not None and (made.qualified in _SERVER_WEBSOCKETS or made.qualified.endswith(".WebSocketResponse")):
        return True
    fn = f.enclosing_function(call.node)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    for p in params.named_children if params is not None else ():
        if p.type == "typed_parameter" and p.named_children and T.text(p.named_children[0]) == call.receiver:
            annotation = p.child_by_field_name("type")
            if annotation is not None and T.text(annotation).rsplit(".", 1)[-1] == "WebSocket":
                return True
    return False
