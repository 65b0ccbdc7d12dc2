"""retrying, retry and stamina decorators.

What it does: reports `@retry(stop_max_attempt_number=N, wait_fixed=...)` (retrying),
`@retry(ExcType, tries=N, delay=d, backoff=2)` (the `retry` package; `tries=-1` is
unbounded) and `@stamina.retry(on=..., attempts=N)`, with `max_attempts` counting the first try.
Which library a bare `@retry` belongs to is read from the file's imports; a decorator
named `retry` that is not imported from a known library is not reported.
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `@retry(stop_max_attempt_number=3, wait_fixed=2000)`.
"""

from __future__ import annotations

from extractors.base import detector
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
from retry import retry

@retry(ConnectionError, tries=5, delay=1, backoff=2)  # expect: retry max_attempts=5 backoff=exponential retry_on=ConnectionError library=retry
def ping():
    pass
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
