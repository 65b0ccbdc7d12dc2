"""Socket timeouts: `socket.create_connection(addr, timeout)`, `sock.settimeout(x)`, `socket.setdefaulttimeout(x)`.

What it does: reports the seconds given (phase total). `settimeout(None)` (blocking) and
`settimeout(0)` (non-blocking: every call returns at once) are no timeouts and are not reported.
Why it matters: raw sockets block forever by default.
Example: `sock.settimeout(2.5)`.
"""

from __future__ import annotations

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
import socket
conn = socket.create_connection(("risk", 8080), timeout=3)  # expect: timeout timeout_ms=3000 phase=total
conn.settimeout(0.5)  # expect: timeout timeout_ms=500 phase=total
""",
]


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"socket", b"settimeout"):
        return out
    for call in f.calls:
        arg = None
        if call.qualified == "socket.create_connection":
            arg = call.arg("timeout", 1)
        elif call.qualified == "socket.setdefaulttimeout" or (call.name == "settimeout" and call.receiver):
            arg = call.arg("value", 0)
        if arg is None or is_none(unwrap(arg.node)) or (
                call.name == "settimeout" and number_value(unwrap(arg.node)) == 0):
            continue
        out += f.duration(arg.node, 1000.0, "total", ID, call.node, None)
    return out
