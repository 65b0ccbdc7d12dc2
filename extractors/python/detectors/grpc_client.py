"""gRPC: the `timeout=` (deadline) of calls on generated stubs, and where they go.

What it does: finds calls on objects built by a `...Stub(channel)` constructor (also
`.future(...)` and `.with_call(...)`), reports their deadline (phase `deadline`, keyword or
second positional argument) and an `outbound_call` (protocol grpc, method = the RPC name)
whose target URL comes from the channel (`grpc.insecure_channel("risk:50051")`).
A stub call without a deadline is reported by python.missing_timeout (gRPC waits forever).
Why it matters: gRPC has no default deadline.
Example: `stub.ScoreTransaction(req, timeout=0.5)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _grpc, module_doc

ID = "python.grpc"

VALID = [
    """\
import grpc
channel = grpc.insecure_channel("risk:50051")
channel.close()
""",
]

INVALID = [
    """\
import grpc
from risk.v1 import risk_pb2_grpc
channel = grpc.insecure_channel("risk:50051")
stub = risk_pb2_grpc.RiskStub(channel)
stub.ScoreTransaction(request, timeout=0.5)  # expect: timeout timeout_ms=500 phase=deadline target.operation=ScoreTransaction; outbound_call protocol=grpc method=ScoreTransaction url=risk:50051
""",
]


@detector(ID, "python", ("timeout", "outbound_call"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _grpc.analyse(f) if fd.detector == ID]
