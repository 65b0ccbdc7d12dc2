"""Circuit breakers: sony/gobreaker `gobreaker.Settings{...}`.

What it does: reports each breaker's settings: `name`, `open_timeout_ms` (the Timeout a
breaker stays open; 60 s by default), `max_requests` (half-open probes), `interval_ms`.
The Timeout here is not a request timeout and is not reported as one.

Why it matters: a breaker decides how a caller degrades when the callee is slow; the contract
records it next to the timeout and the fallback.

Example: `gobreaker.NewCircuitBreaker(gobreaker.Settings{Name: "payment", Timeout: 30 * time.Second})`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.go.gofile import Draft, GoFile

ID = "go.gobreaker"


@detector(
    ID, "go", ("circuit_breaker",),
    valid=('package p\nimport "time"\ntype Settings struct{ Timeout time.Duration }\nvar s = Settings{Timeout: time.Second}\n',),
    invalid=('package p\nimport "github.com/sony/gobreaker"\nvar cb = gobreaker.NewCircuitBreaker(gobreaker.Settings{Name: "payment"})\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """gobreaker settings."""
    drafts = []
    for comp in gf.composites_of("gobreaker.Settings"):
        name = gf.string_value(comp.fields["Name"]) if "Name" in comp.fields else None
        timeout = gf.duration(comp.fields["Timeout"]) if "Timeout" in comp.fields else None
        interval = gf.duration(comp.fields["Interval"]) if "Interval" in comp.fields else None
        max_requests = gf.count(comp.fields["MaxRequests"]) if "MaxRequests" in comp.fields else None
        attributes = {
            "library": "sony/gobreaker",
            "name": name[0] if name else None,
            "open_timeout_ms": timeout.value if timeout else 60000,
            "max_requests": max_requests.value if max_requests else 1,
            "interval_ms": interval.value if interval else 0,
        }
        drafts.append(Draft(gf.finding("circuit_breaker", comp.node, ID, attributes), linkable=True))
    return drafts
