"""tenacity: `@retry(...)`, `Retrying(...)` / `AsyncRetrying(...)`.

What it does: reports each tenacity retry with `max_attempts` from `stop_after_attempt(N)`
(N counts the first try; `stop_after_delay` alone gives null plus `max_delay_ms`), the
backoff from `wait_*` (exponential, fixed, random, linear, none when no wait is given), the
exception types from `retry_if_exception_type(...)`, and as target the outbound call made
inside the decorated function (or the `for attempt in Retrying(...)` loop).
A bare `@retry` retries forever: `max_attempts` null.
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `@retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.5))`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.tenacity"

VALID = [
    """\
retry = 3
retries = [1, 2]
def f(retry_count):
    return retry_count
""",
]

INVALID = [
    """\
import requests
from tenacity import retry, stop_after_attempt, wait_exponential, retry_if_exception_type

@retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.5), retry=retry_if_exception_type(requests.Timeout))  # expect: retry max_attempts=3 backoff=exponential retry_on=requests.Timeout mechanism=decorator library=tenacity target.operation=score
def score(payload):
    return requests.post("http://risk:8080/score", json=payload, timeout=1)
""",
    """\
import tenacity
for attempt in tenacity.Retrying(stop=tenacity.stop_after_attempt(5)):  # expect: retry max_attempts=5 backoff=none mechanism=call
    with attempt:
        do_work()
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
