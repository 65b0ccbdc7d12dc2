"""fallback: what a caller does instead when an outbound call fails or times out.

What it does: reports an `except` clause catching a timeout/connection/RPC error around an
outbound call (requests, httpx, aiohttp, urllib, gRPC) whose handler returns a value instead
of raising (`except requests.Timeout: return {"decision": "allow"}`), and circuitbreaker's
`fallback_function=`. attributes: `on` (the exception types), `returns` (the returned
expression), `library`.
Why it matters: the fallback (allow, block, queue for review) is part of the contract the
provider's timeout behaviour must fit.
Example: `except requests.Timeout: return Decision.ALLOW_WITH_MONITORING`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import body_statements
from extractors.python.detectors import _retry

ID = "python.fallback"

FAILURES = re.compile(r"(Timeout|TimeoutError|ConnectionError|ConnectError|RequestException|RequestError|HTTPError|"
                      r"RpcError|ClientError|TransportError|URLError|CircuitBreakerError|CircuitBreakerError)")

VALID = [
    """\
import requests
def score(cart):
    try:
        return requests.post("http://risk/score", json=cart, timeout=1).json()
    except requests.Timeout:
        raise
""",
]

INVALID = [
    """\
import requests
def score(cart):
    try:
        return requests.post("http://risk/score", json=cart, timeout=1).json()
    except requests.Timeout:  # expect: fallback on=requests.Timeout returns="allow_with_monitoring"
        return "allow_with_monitoring"
""",
]


@detector(ID, "python", ("fallback",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.tries and not f.has_any(b"circuit"):
        return out  # a fallback is an except handler, or circuitbreaker's fallback_function
    outbound = _retry.outbound_map(f)
    for t in f.tries:
        body = t.child_by_field_name("body")
        calls = [n for n in T.walk(body) if n.type == "call" and n.id in outbound]
        if not calls:
            continue
        ob = outbound[calls[0].id]
        for clause in (c for c in t.named_children if c.type == "except_clause"):
            types = _retry._except_types_of(clause)
            if not FAILURES.search(types):
                continue
            block = next((c for c in clause.named_children if c.type == "block"), None)
            stmts = body_statements(block)
            if not stmts or stmts[-1].type != "return_statement":
                continue
            value = next(iter(stmts[-1].named_children), None)
            if value is None or T.text(value) == "None":
                continue
            out.append(f.finding("fallback", clause, ID, {"on": types, "returns": T.text(value)[:120],
                                                           "library": None if ob.library == "heuristic" else ob.library},
                                     "medium", ob.target, ob.pending))
    for fn in f.functions:
        for expr in f.decorators(fn):
            c = f.call_of(expr)
            if c is not None and c.qualified == "circuitbreaker.circuit" and "fallback_function" in c.kwargs:
                target, pending = _retry.target_within(f, fn)
                out.append(f.finding("fallback", expr, ID, {"on": "circuit open",
                                                             "returns": c.kwargs["fallback_function"].text,
                                                             "library": "circuitbreaker"}, "high", target, pending))
    return out
