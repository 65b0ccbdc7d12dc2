"""aiohttp: `ClientTimeout(total, connect, sock_connect, sock_read)` and `timeout=` on sessions and calls.

What it does: reports each phase of a `ClientTimeout`, numeric per-call timeouts, and the
5-minute library default of a `ClientSession` created without one.
Why it matters: the 300 s default is far beyond any interactive latency budget.
Example: `aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3))`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.aiohttp'

VALID = [
    """\
import asyncio
async def f(q):
    await asyncio.sleep(1)
""",
]

INVALID = [
    """\
import aiohttp
t = aiohttp.ClientTimeout(total=3, sock_connect=1)  # expect: timeout timeout_ms=3000 phase=total; timeout timeout_ms=1000 phase=connect
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
