"""Client-configured retries: urllib3 `Retry`, `HTTPAdapter(max_retries=N)`, httpx transports.

What it does: reports `Retry(total=N, backoff_factor=f, status_forcelist=[...])` with
`max_attempts` = N + 1 (urllib3 counts retries after the first try; no `total` means the
library default 10, i.e. 11 attempts), `HTTPAdapter(max_retries=N)` (N + 1, no backoff; also a project's own subclass, `TimeoutHTTPAdapter(max_retries=N,
timeout=T)`; also set after the adapter is made, round 21: `self.adapters['http://'].max_retries = max_retries` in a
requests.Session subclass, `adapter.max_retries = 3`),
`httpx.HTTPTransport(retries=N)` (connect retries), aiohttp_retry's `ExponentialRetry(attempts=N)` and
redis-py's `Retry(ExponentialBackoff(), N)` (N + 1 attempts; a negative N retries forever: unbounded), and urllib3's
per-request `http.request("GET", url, retries=N)` (N + 1; `0` / `False`: one attempt; also through a splatted
local dict).
Why it matters: client-level retries are invisible at the call site but still multiply load.
Example: `Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503])` -> 4 attempts.
"""

from __future__ import annotations

import re

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.urllib3_retry"

VALID = [
    """\
from shop.jobs import Retry

policy = Retry(schedule, 3)  # ok: this project's own Retry class, not redis-py's
""",
    """\
from requests.adapters import HTTPAdapter
adapter = HTTPAdapter(pool_connections=10)
""",
]

INVALID = [
    """\
from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

retry = Retry(ExponentialBackoff(), 3)  # expect: retry max_attempts=4 backoff=exponential library=redis
forever = Retry(ExponentialBackoff(), retries=-1)  # expect: retry max_attempts=None library=redis
r = Redis(host="cache", retry=retry)
""",
    """\
from urllib3.util.retry import Retry
retries = Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503])  # expect: retry max_attempts=4 backoff=exponential mechanism=client_config library=urllib3
""",
    """\
from requests.adapters import HTTPAdapter
adapter = HTTPAdapter(max_retries=2)  # expect: retry max_attempts=3 backoff=none library=requests
""",
]


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    return _mounted_destinations(f, [fd for fd in _retry.analyse(f).findings if fd.detector == ID] + _request_retries(f))


def _mounted_destinations(f, findings: list) -> list:
    """Round 21 (lead, polyglot19): an adapter's retries mounted on a session (`session.mount("http://",
    HTTPAdapter(max_retries=Retry(total=4)))`, or the adapter or the Retry built into a name first) take the
    destination of the calls made through that session, when they all point at one place."""
    if not findings or b".mount(" not in f.data:
        return findings
    from dataclasses import replace

    from extractors.python.detectors import _http
    by_start = {(c.node.start_point[0] + 1, c.node.start_point[1] + 1): c for c in f.calls}
    mounts = [c for c in f.calls if c.name == "mount" and c.receiver and len(c.args) >= 2]
    if not mounts:
        return findings
    outbound = list(_http.analyse(f).outbound.values())
    out = []
    for fd in findings:
        call = by_start.get((fd.line, fd.column))
        if call is None or fd.target is not None or any(p.attribute == "url" for p in fd.pending):
            out.append(fd)
            continue
        session = _mounted_on(f, call, mounts)
        seen = {}
        for ob in outbound if session else ():
            if ob.call.receiver == session and (ob.target is not None or ob.pending):
                seen[repr((ob.target, ob.pending))] = (ob.target, list(ob.pending))
        if len(seen) == 1:
            target, pending = next(iter(seen.values()))
            fd = replace(fd, target=target, pending=(*fd.pending, *pending))
        out.append(fd)
    return out


def _mounted_on(f, call, mounts) -> str | None:
    """The session an adapter built by (or around) ``call`` is mounted on."""
    for mount in mounts:
        adapter = mount.args[1].node
        if adapter.start_byte <= call.node.start_byte and call.node.end_byte <= adapter.end_byte:
            return mount.receiver
    holder = call.node.parent
    if holder is not None and holder.type == "keyword_argument":  # HTTPAdapter(max_retries=Retry(...)) built first
        outer = holder.parent.parent if holder.parent is not None else None
        holder = outer.parent if outer is not None else None
    if holder is None or holder.type != "assignment":
        return None
    name = holder.child_by_field_name("left")
    if name is None or name.type != "identifier":
        return None
    word = re.compile(rf"(?<![\w.]){re.escape(name.text.decode())}(?!\w)")
    for mount in mounts:
        if word.search(mount.args[1].node.text.decode("utf-8", "replace")):
            return mount.receiver
    return None


def _request_retries(f) -> list:
    """(round 18, patroni) urllib3's per-request `retries=`: `http.request("GET", url, retries=0)` (also through a
    local kwargs dict splatted in): N retries after the first try, N + 1 attempts; `0` / `False` is one attempt.
    A `Retry(...)` object is read where it is made; `None` (urllib3's default) is not reported."""
    from extractors import treesitter as T
    from extractors.python.analysis import is_none, unwrap
    out = []
    if not f.has_any(b"retries") or not f.has_any(b"urllib3"):
        return out
    for ob in _retry.outbound_map(f).values():
        if ob.library != "urllib3":
            continue
        node = f.effective_kwargs(ob.call).get("retries")
        inner = unwrap(node) if node is not None else None
        if inner is None or is_none(inner) or inner.type in ("call", "identifier", "attribute") and \
                f.call_of(inner) is not None:
            continue
        if inner.type == "identifier" and _retry._bound_to_retry(f, inner):
            continue
        if T.text(inner) in ("False", "0"):
            value, pending, conf = 1, [], "high"
        elif inner.type == "true":
            continue
        else:
            value, pending, conf = f.count(node, offset=1)
        out.append(f.finding("retry", ob.call.node, ID, _retry._attrs(
            value, "exponential", "connection errors", "client_config", "urllib3"), conf, None, pending))
    return out
