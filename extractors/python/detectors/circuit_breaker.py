"""circuit_breaker: pybreaker, circuitbreaker, aiobreaker and purgatory breakers.

What it does: reports `pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)` (and
aiobreaker's), `@circuit(failure_threshold=5, recovery_timeout=30)` from `circuitbreaker`
(bare `@circuit` uses its defaults 5 / 30 s), with attributes library, failure_threshold and
reset_timeout_ms, and as target the outbound call inside a decorated function.
Why it matters: a breaker decides what a caller does when a dependency degrades.
Example: `risk_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)`.
"""

from __future__ import annotations

from contract_discovery.values import as_number, normalise_ms
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import dotted
from extractors.python.detectors import _retry

ID = "python.circuit_breaker"

VALID = [
    """\
breaker_count = 0
def circuit_of(board):
    return board.circuits
""",
]

INVALID = [
    """\
import pybreaker
risk_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)  # expect: circuit_breaker library=pybreaker failure_threshold=5 reset_timeout_ms=30000
""",
    """\
from circuitbreaker import circuit

@circuit(failure_threshold=3, recovery_timeout=10)  # expect: circuit_breaker library=circuitbreaker failure_threshold=3 reset_timeout_ms=10000
def score(cart):
    return risk.score(cart)
""",
]

BREAKERS = {"pybreaker.CircuitBreaker": "pybreaker", "aiobreaker.CircuitBreaker": "aiobreaker",
            "purgatory.AsyncCircuitBreakerFactory": "purgatory", "purgatory.SyncCircuitBreakerFactory": "purgatory"}


def _num_attr(f, node, scale=1.0):
    if node is None:
        return None
    settled, _ = f.settle(f.expr(node))
    n = as_number(settled)
    return normalise_ms(n * scale) if n is not None else None


@detector(ID, "python", ("circuit_breaker",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"breaker", b"circuit"):
        return out
    for call in f.calls:
        lib = BREAKERS.get(call.qualified)
        if lib is None:
            continue
        k = call.kwargs
        fail = k.get("fail_max") or k.get("default_threshold")
        reset = k.get("reset_timeout") or k.get("timeout_duration") or k.get("default_ttl")
        out.append(f.finding("circuit_breaker", call.node, ID, {
            "library": lib, "failure_threshold": _num_attr(f, fail.node if fail else None) if fail else (5 if lib == "pybreaker" else None),
            "reset_timeout_ms": _num_attr(f, reset.node if reset else None, 1000.0) if reset else (60000 if lib == "pybreaker" else None),
        }))
    for fn in f.functions:
        for expr in f.decorators(fn):
            c = f.call_of(expr)
            name = c.qualified if c is not None else f.qualify(dotted(expr) or "")
            if name not in ("circuitbreaker.circuit", "circuitbreaker.CircuitBreaker"):
                continue
            k = c.kwargs if c is not None else {}
            target, pending = _retry.target_within(f, fn)
            attrs = {"library": "circuitbreaker",
                     "failure_threshold": _num_attr(f, k["failure_threshold"].node) if "failure_threshold" in k else 5,
                     "reset_timeout_ms": _num_attr(f, k["recovery_timeout"].node, 1000.0) if "recovery_timeout" in k else 30000}
            if "fallback_function" in k:
                attrs["fallback"] = k["fallback_function"].text
            out.append(f.finding("circuit_breaker", expr, ID, attrs, "high", target, pending))
    return out
