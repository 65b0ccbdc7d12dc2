"""HTTP-looking calls on clients of unknown origin (`self.session.get(url, timeout=5)`).

What it does: when the receiver is named like an HTTP client (session, http, client, api) and
the call uses an HTTP verb with a URL-like first argument, reports the call and its timeout
with lower confidence than the library-specific detectors.
Why it matters: clients are often injected, so their type is not visible in the file.
Example: `self.http.post(self.base_url + "/score", json=body, timeout=self.timeout)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.http_client'

VALID = [
    """\
def f(cache):
    cache.get("key", timeout=5)
""",
]

INVALID = [
    """\
class C:
    def __init__(self, session):
        self.session = session
    def score(self, url):
        return self.session.post(url, timeout=2)  # expect: timeout timeout_ms=2000; outbound_call method=POST
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
