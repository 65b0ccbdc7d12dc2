"""backoff: `@backoff.on_exception(...)` and `@backoff.on_predicate(...)`.

What it does: reports `max_attempts` from `max_tries` (which counts the first try; absent
means unbounded unless `max_time`, reported as `max_time_ms`), backoff from the wait
generator (`expo`/`fibo` exponential, `constant` fixed), `retry_on` from the exception
argument, and the target of the outbound call inside the decorated function.
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `@backoff.on_exception(backoff.expo, requests.RequestException, max_tries=4)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.backoff"

VALID = [
    """\
backoff = 2.0
def wait(attempt):
    return backoff ** attempt
""",
]

INVALID = [
    """\
import backoff
import requests

@backoff.on_exception(backoff.expo, (requests.Timeout, requests.ConnectionError), max_tries=4)  # expect: retry max_attempts=4 backoff=exponential retry_on=requests.Timeout,requests.ConnectionError mechanism=decorator
def fetch(url):
    return requests.get(url, timeout=2)
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
