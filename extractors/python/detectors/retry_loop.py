"""Hand-written retry loops, and a call repeated in its own `except` handler.

What it does: reports a bounded loop (`for attempt in range(N)`, `for attempt in service_retries()` (a
function named for attempts: a library's known count, OCCRP servicelayer's 30, or one of this file
returning `range(N)`; else unknown), `while attempt < N`,
`while True` with `if attempt >= N: raise`) whose body holds a `try` that leaves the loop on
success (`return`/`break`) and an `except` that lets it go round again (continue, sleep,
log, or re-raise only on the last attempt). `max_attempts` is the number of iterations;
backoff comes from the `sleep` argument (`2 ** attempt` exponential, `attempt * k` linear,
a constant fixed, none without sleep). Also reports `try: client.score(x) except Timeout:
client.score(y)` (two attempts). Not reported: `for item in items` loops, loops whose
variable is passed into the attempted call (pagination, batches), handlers that always
raise/return/break, loops that only retake a local lock (`lock.acquire(timeout=...)`), and loops whose handler, after a
conflict (`IntegrityError`, duplicate key), changes what the next pass sends (`data.name = f"{name} ({i})"`:
a free name is searched for).
Why it matters: retries multiply load on the callee and must agree with its idempotency.
Example: `for attempt in range(3): try: return post(...) except Timeout: time.sleep(2 ** attempt)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.retry_loop"

VALID = [
    """\
import asyncio
from contextlib import suppress


async def evict_forever(cache):
    while True:  # ok: a periodic task, nothing left on success
        with suppress(KeyError):
            cache.pop("stale")
        await asyncio.sleep(30)
""",
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
    """\
from sqlalchemy.exc import IntegrityError

def create(repo, data, original):
    for i in range(1, 11):  # ok: a free name is searched for, each pass inserts other data
        try:
            return repo.create(data)
        except IntegrityError:
            repo.session.rollback()
            data.name = f"{original} ({i})"
    attempts = 0
    offset = 0
    while True:  # ok: the handler moves the offset the next insert is built from
        if attempts >= 3:
            raise RuntimeError("no free name")
        counter = offset + 1
        try:
            insert_named(repo, counter)
            break
        except IntegrityError:
            attempts += 1
            offset += 1
""",
]

INVALID = [
    """\
async def request(session, api, url):
    for _ in (1, 2):  # expect: retry max_attempts=2 mechanism=loop
        async with session.get(url, headers=api.headers()) as resp:
            if resp.status == 401:
                api.token = None
                continue
            return await resp.json()


def pages(session, url, count):
    for page in range(count):  # ok: the loop variable is data (a page), not an attempt
        resp = session.get(url, params={"page": page})
        if resp.status_code == 404:
            continue
        return resp
""",
    """\
async def connect(api):
    for attempt in (1, 2):  # expect: retry max_attempts=2 mechanism=loop
        try:
            await api.refresh_token()
            return await api.connect()
        except AuthError:
            api.token = None
            if attempt == 2:
                raise


def checksum(items):
    for n in (1, 2, 3):  # ok: no try, nothing tried again
        items.append(n)
""",
    """\
import asyncio
from contextlib import suppress


async def install(instance, version):
    while True:  # expect: retry max_attempts=None mechanism=loop
        with suppress(DockerError):
            await instance.install(version)
            break
        await asyncio.sleep(30)
""",
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
    """\
from sqlalchemy.exc import IntegrityError

def save(session, order):
    for attempt in range(2):  # expect: retry max_attempts=2 backoff=none retry_on=IntegrityError mechanism=loop
        try:
            session.add(order)
            return session.commit()
        except IntegrityError:
            session.rollback()
            last_error = attempt
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID]
