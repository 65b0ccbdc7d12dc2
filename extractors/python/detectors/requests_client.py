"""requests: per-call `timeout=`, Session subclasses and mounted adapters that set a default.

What it does: reports the timeout of every `requests` call (functions, `Session` methods,
`requests.request`), a `(connect, read)` tuple as two findings (phase connect and read),
the default a `Session` subclass or an `HTTPAdapter` subclass injects (`kwargs.setdefault(
"timeout", ...)`, `kwargs.update({"timeout": 5})` in `send`, `self.timeout = ...`; also in a mixin of the
same file: `class TimeoutHTTPAdapter(TimeoutAdapter, HTTPAdapter)`), and an `outbound_call` with its URL target.
Why it matters: requests has no default timeout; the value is the caller's side of a latency contract.
Example: `requests.post(RISK_URL, json=payload, timeout=0.2)` -> timeout 200 ms, phase total.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.requests'

VALID = [
    """\
import queue
q = queue.Queue()
q.get(timeout=1)
""",
    """\
import logging
logging.info("request timeout was %s", 5)  # the word timeout in a string
""",
]

INVALID = [
    """\
import requests
requests.post("http://risk:8080/score", json={}, timeout=0.2)  # expect: timeout timeout_ms=200 phase=total resolved_from=literal; outbound_call method=POST url=http://risk:8080/score target.operation=score
""",
    """\
import requests
TIMEOUT = (3.05, 27)
requests.get("http://a/b", timeout=TIMEOUT)  # expect: timeout timeout_ms=3050 phase=connect resolved_from=constant; timeout timeout_ms=27000 phase=read; outbound_call method=GET
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
