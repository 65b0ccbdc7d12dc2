"""urllib.request: `urlopen(url, timeout=...)`.

What it does: reports the timeout of `urllib.request.urlopen` (keyword or third positional).
Why it matters: without one, urlopen waits on the global socket default (forever).
Example: `urlopen(req, timeout=10)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.urllib'

VALID = [
    """\
import urllib.parse
urllib.parse.urlencode({"timeout": 5})
""",
]

INVALID = [
    """\
from urllib.request import urlopen
urlopen("http://ledger/entries", timeout=10)  # expect: timeout timeout_ms=10000 phase=total; outbound_call method=GET
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
