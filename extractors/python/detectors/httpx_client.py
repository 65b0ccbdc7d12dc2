"""httpx: `timeout=` on functions and clients, `httpx.Timeout(...)`, and the 5 s library default.

What it does: reports per-call and per-client timeouts, each phase of an `httpx.Timeout`,
and, where no timeout is given, httpx's own 5 s default (`resolved_from: library_default`).
Why it matters: httpx always times out, but 5 s is rarely the budget the caller meant.
Example: `httpx.Client(base_url=RISK_URL, timeout=httpx.Timeout(2.0, connect=0.5))`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.httpx'

VALID = [
    """\
import httpx
x = {"timeout": 5}
""",
]

INVALID = [
    """\
import httpx
client = httpx.Client(timeout=httpx.Timeout(2.0, connect=0.5))  # expect: timeout timeout_ms=500 phase=connect; timeout timeout_ms=2000 phase=read
""",
    """\
import httpx
httpx.get("http://risk/score")  # expect: timeout timeout_ms=5000 resolved_from=library_default; outbound_call method=GET
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
