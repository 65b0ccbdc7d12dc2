"""retrying, retry and stamina decorators.

What it does: reports `@retry(stop_max_attempt_number=N, wait_fixed=...)` (retrying),
`@retry(ExcType, tries=N, delay=d, backoff=2)` (the `retry` package; `tries=-1` is
unbounded) and `@stamina.retry(on=..., attempts=N, timeout=45)`, with `max_attempts` counting the first
try (stamina's `timeout`, the time all attempts together may take, is a timeout of phase `deadline`).
Which library a bare `@retry` belongs to is read from the file's imports; a decorator
named `retry` that is not imported from a known library is not reported.
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `@retry(stop_max_attempt_number=3, wait_fixed=2000)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.analysis import is_none, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.retrying"

VALID = [
    """\
def retry(fn):
    return fn

@retry
def local_decorator_is_not_a_library():
    pass
""",
]

INVALID = [
    """\
from retrying import retry

@retry(stop_max_attempt_number=3, wait_fixed=2000)  # expect: retry max_attempts=3 backoff=fixed library=retrying
def charge(card):
    return gateway.charge(card)
""",
    """\
import datetime as dt

import httpx
import stamina

@stamina.retry(on=httpx.HTTPError, attempts=3, timeout=45)  # expect: retry max_attempts=3 library=stamina; timeout timeout_ms=45000 phase=deadline
def fetch(url):
    return httpx.get(url)

@stamina.retry(on=httpx.HTTPError, attempts=5, timeout=None)  # expect: retry max_attempts=5 library=stamina
def poll(url):
    return httpx.get(url)
""",
    """\
from retry import retry

@retry(ConnectionError, tries=5, delay=1, backoff=2)  # expect: retry max_attempts=5 backoff=exponential retry_on=ConnectionError library=retry
def ping():
    pass
""",
]


@detector(ID, "python", ("retry", "timeout"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
    if not f.has_any(b"stamina"):
        return out
    for fn in f.functions:
        for expr in f.decorators(fn):
            found = _retry.decorator_library(f, expr)
            if found is None or found[0] != "stamina" or found[1] is None:
                continue
            budget = found[1].kwargs.get("timeout")
            if budget is not None and not is_none(unwrap(budget.node)):
                # stamina's timeout: the time every attempt together may take (seconds or a timedelta)
                out += f.duration(budget.node, 1000.0, "deadline", ID, expr, None)
    return out
