"""``IO.select(nil, [socket], nil, 3)`` / ``socket.wait_readable(5)``: a raw socket's wait bound.

What it does: in a file that opens sockets itself (``Socket.new``, ``TCPSocket``,
``connect_nonblock``), reports the fourth argument of ``IO.select`` and the
argument of ``wait_readable``/``wait_writable`` as a timeout in seconds. Waiting for a socket
to become writable after ``connect_nonblock`` is the connect timeout (phase connect); waiting
to read is phase read.

Not reported: ``IO.select`` without a timeout (waits for ever), with ``0`` (a non-blocking
poll, not a bound), over pipes in a file without sockets (``read_nonblock`` on a child
process's output), a ``select`` on an array, or one whose wait is what is left of a deadline
(``remaining = deadline - Time.now``: the deadline is the contract, where the loop checks it).

Why it matters: code that speaks a protocol over a bare socket has no client library whose
timeout could be read; this wait is the only bound.

Example: ``sock.connect_nonblock(addr) rescue IO::WaitWritable; IO.select(nil, [sock], nil, 3)``
-> timeout 3000 ms, phase connect.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, ruby_detector

ID = "ruby.socket_wait"
SOCKETS = re.compile(rb"\b(?:Socket\.new|Socket\.tcp|TCPSocket|UNIXSocket|SSLSocket|connect_nonblock)\b")


@ruby_detector(ID, ("timeout",),
               valid=("IO.select([reader], nil, nil, 5)  # a pipe, no socket here\n",
                      "s = Socket.new(:INET, :STREAM)\nIO.select([s])\n",
                      "out.read_nonblock(1024)\nIO.select([out], nil, nil, 5)\n",
                      "s = TCPSocket.new(host, 80)\nIO.select([s], nil, nil, 0)\n"),
               invalid=("s = Socket.new(:INET, :STREAM)\ns.connect_nonblock(addr)\nIO.select(nil, [s], nil, 3)\n",))
def detect(f: RubyFile) -> Iterable[Finding]:
    if not SOCKETS.search(f.data):
        return
    connecting = b"connect_nonblock" in f.data
    for call in f.calls_named("select", "wait_readable", "wait_writable"):
        method = f.method_of(call)
        site = f.site(call)
        if method == "select":
            if f.receiver_of(call) != "IO" or len(site.args) < 4:
                continue
            writes = site.args[1].node
            phase = "connect" if connecting and writes.type != "nil" else "read"
            value = site.args[3].node
        else:
            if not site.args or f.receiver_of(call) in ("", "IO"):
                continue
            phase = "connect" if method == "wait_writable" and connecting else "read"
            value = site.args[0].node
        if value.type == "nil" or syntax.settle(syntax.to_expr(value)) == 0:
            continue
        if _deadline_left(value):
            continue  # `remaining = deadline - Time.now`: what is left of a deadline the loop around it checks
        yield f.timeout(call, value, phase, ID, "socket")


def _deadline_left(value) -> bool:
    """``remaining_time = deadline - Time.now`` (inline or in a local): the wait is bounded by the
    deadline set elsewhere (``deadline = Time.now + @timeout``, reported where the loop checks it)."""
    from extractors.ruby.detectors.client_options import _time_left

    return _time_left(value)
