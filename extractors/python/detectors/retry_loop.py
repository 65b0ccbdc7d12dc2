"""Hand-written retry loops, and a call repeated in its own `except` handler.

What it does: reports a bounded loop (`for attempt in range(N)`, `while attempt < N`,
`while True` with `if attempt >= N: raise`) whose body holds a `try` that leaves the loop on
success (`return`/`break`) and an `except` that lets it go round again (continue, sleep,
log, or re-raise only on the last attempt). `max_attempts` is the number of iterations;
backoff comes from the `sleep` argument (`2 ** attempt` exponential, `attempt * k` linear,
a constant fixed, none without sleep). Also reports `try: client.score(x) except Timeout:
client.score(y)` (two attempts). Not reported: `for item in items` loops, loops whose
variable is passed into the attempted call (pagination, batches), handlers that always
raise/return/break, and loops that only retake a local lock (`lock.acquire(timeout=...)`).
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `for attempt in range(3): try: return post(...) except Timeout: time.sleep(2 ** attempt)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.retry_loop"

VALID = [
    """\
def process(items):
    for item in items:
        try:
            handle(item)
        except ValueError:
            continue
""",
    """\
def pages(client):
    for page in range(1, 10):
        try:
            return client.fetch(page)
        except KeyError:
            pass
""",
    """\
import time
import filelock

def locked(path):
    lock = filelock.FileLock(path)
    for attempt in range(4):  # ok: contention on a local file lock, no callee
        try:
            lock.acquire(timeout=10)
            break
        except filelock.Timeout:
            time.sleep(2 ** attempt)
""",
]

INVALID = [
    """\
import time
import requests

def score(payload):
    for attempt in range(3):  # expect: retry max_attempts=3 backoff=exponential retry_on=requests.Timeout mechanism=loop
        try:
            return requests.post("http://risk/score", json=payload, timeout=1)
        except requests.Timeout:
            if attempt == 2:
                raise
            time.sleep(2 ** attempt)
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
