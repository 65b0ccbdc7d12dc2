"""urllib3: `PoolManager(timeout=...)`, `urllib3.Timeout(connect, read, total)`, per-request timeouts.

What it does: reports each phase of a `urllib3.Timeout` and numeric timeouts on pools and requests.
Why it matters: urllib3's default is the socket default, i.e. no timeout.
Example: `urllib3.PoolManager(timeout=urllib3.Timeout(connect=1.0, read=5.0))`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.detectors._http import analyse

ID = 'python.urllib3'

VALID = [
    """\
import urllib3
urllib3.disable_warnings()
""",
]

INVALID = [
    """\
import urllib3
http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1.0, read=5.0))  # expect: timeout timeout_ms=1000 phase=connect; timeout timeout_ms=5000 phase=read
""",
]


@detector(ID, "python", ('timeout', 'outbound_call'), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return [fd for fd in analyse(f).findings if fd.detector == ID]
