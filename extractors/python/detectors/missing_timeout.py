"""missing_timeout: an outbound call that can wait forever.

What it does: reports `requests` calls (functions and `Session` methods) with no `timeout`
and no default from the session (a timeout-setting adapter mounted on it, a `Session`
subclass that injects one), any call or client given `timeout=None` (requests, httpx,
aiohttp, urllib3), `urlopen` without a timeout, urllib3 pools and requests without one,
and gRPC stub calls without `timeout=`. httpx and aiohttp calls without a timeout are not
reported: those libraries have a default (reported as a `timeout` with
`resolved_from: library_default`). A `**kwargs` splat whose content is unknown counts as
"may carry a timeout" (as ruff S113 does); a splat of a dict literal without `timeout` does not.
Why it matters: a hung dependency then hangs the caller, and no latency contract holds.
Example: `requests.get(url)`; use instead `requests.get(url, timeout=(3.05, 27))`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors import _grpc, _http

ID = "python.missing_timeout"

VALID = [
    """\
import requests
requests.get("http://localhost", timeout=10)
""",
    """\
import httpx
httpx.get("http://localhost")
""",
    """\
import requests
def fetch(url, **kwargs):
    return requests.get(url, **kwargs)
""",
    """\
import requests
from requests.adapters import HTTPAdapter

class TimeoutAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        kwargs.setdefault("timeout", 5)
        return super().send(request, **kwargs)

session = requests.Session()
session.mount("https://", TimeoutAdapter())
session.get("https://risk/score")
""",
]

INVALID = [
    """\
import requests
requests.get("http://localhost")  # expect: missing_timeout library=requests library_default_ms=None
requests.post("http://localhost", timeout=None)  # expect: missing_timeout library=requests
""",
    """\
import requests
with requests.Session() as s:
    s.get("http://localhost")  # expect: missing_timeout library=requests
""",
    """\
import httpx
httpx.Client(timeout=None)  # expect: missing_timeout library=httpx
""",
]


@detector(ID, "python", ("missing_timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    found = [fd for fd in _http.analyse(f).findings if fd.detector == ID]
    found += [fd for fd in _grpc.analyse(f) if fd.detector == ID]
    return found
