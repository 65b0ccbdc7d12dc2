"""Hand-written overall deadlines on a stream being read: `if time.time() - start > LIMIT: raise`.

What it does: reports, inside a loop that reads from the network (`async for chunk in
resp.aiter_bytes()`, `resp.iter_content()`, `sock.recv(...)`, `stream.read(...)`,
`ws.receive()`), an `if` comparing the time elapsed since a start mark (`time.time()`,
`time.monotonic()`, `time.perf_counter()`, `loop.time()`) with a limit (`>` or `>=`) whose
body raises: the whole exchange is cut at that limit however slowly the peer sends. Phase
`total`; the limit is seconds.
Also a helper polling until a deadline made of a clock and its own parameter (`deadline =
loop.time() + timeout`, then a loop that checks `deadline`): that parameter bounds the helper's
work, so the helper is published for its callers (python.wrapper_timeout) and the callers' values
are the contracts (the helper's own line is a forwarder, not reported).
And a `datetime` deadline handed to a library object's method (`deadline = datetime.now() +
timedelta(seconds=360)` then `acme_client.poll_authorizations(order, deadline)`): reported at the
assignment, phase total.
And a wait-for-ready loop running while time is left (`while time.time() - start < timeout:`) that asks
another service's client each round and sleeps between rounds (`await self.httpx_client.get(url)`,
`self.sandbox_service.get_sandbox(id)`; `await asyncio.sleep(1)`): at the `while` line, a defaulted
parameter being the helper's own contract and its callers' (round 13). Also (round 19) a sleeping wait
whose limit is named as a timeout, for state another component fills (`while waited < timeout: if pair in
tracker.order_books: return True; await asyncio.sleep(i); waited += i`, time left summed from the sleeps; `while
not feed.ready: if time.time() - start > timeout: raise`), unless a round checks a local file or process.
And (round 21) a wait bounded by a deadline variable made of a clock and a fixed limit (`deadline =
time.monotonic() + settings.max_wait_seconds`; `if time.monotonic() >= deadline: return None` or `while
time.monotonic() < deadline:`) whose rounds sleep and ask another service (a client, or a function of the file
that calls one): at the check line.
Not reported: elapsed-time checks that only log or break, loops that read nothing from the network
(a poll of one's own state, a progress bar), other `datetime` arithmetic (a deadline only compared, or
handed to this project's own methods), a helper's deadline that waits for child processes to exit.
Why it matters: a per-read socket timeout never fires on a peer that trickles bytes; this bound does.
Example: `async for chunk in resp.aiter_bytes(): ...; if time.time() - start > SCRAPER_TIMEOUT: raise`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import unwrap
from extractors.python.detectors import _grpc, module_doc

ID = "python.elapsed_deadline"

CLOCKS = ("time.time", "time.monotonic", "time.perf_counter", "loop.time", "monotonic", "perf_counter",
          "timeit.default_timer", "default_timer")  # (round 20, loopchain) timeit's clock too
READS = re.compile(r"^(recv|recv_into|recvfrom|read|readline|readexactly|readuntil|aiter_bytes|aiter_raw|"
                   r"aiter_lines|aiter_text|iter_content|iter_lines|iter_bytes|iter_raw|iter_chunked|receive|"
                   r"receive_json|receive_text|receive_bytes|stream)$")

VALID = [
    """\
from datetime import datetime, timedelta


class Certs:
    def expires(self):
        until = datetime.now() + timedelta(days=30)  # ok: never handed to a call
        return until

    def own(self, order):
        deadline = datetime.now() + timedelta(minutes=5)  # ok: handed to this class's own method
        return self.poll(order, deadline)

    def create_key(self, project, client):
        expiry_date = datetime.now() + timedelta(seconds=86400)  # ok: a token's lifetime, not a bound
        return client.create_key(name=project, expiry_date=expiry_date)
""",
    """\
import time

def wait_for_file(path, limit):
    start = time.time()
    while not path.exists():  # ok: a poll of local state, nothing read from the network
        if time.time() - start > limit:
            raise TimeoutError(path)
        time.sleep(1)
""",
    """\
import time

def download(resp, out):
    start = time.monotonic()
    for chunk in resp.iter_content(8192):
        out.write(chunk)
        if time.monotonic() - start > 30:  # ok: only logged, the read goes on
            print("slow download")
""",
]

INVALID = [
    """\
from datetime import datetime, timedelta


def request_certificate(acme_client, order):
    deadline = datetime.now() + timedelta(seconds=360)  # expect: timeout timeout_ms=360000 phase=total
    orderr = acme_client.poll_authorizations(order, deadline)
    return acme_client.finalize_order(orderr, deadline)
""",
    """\
import asyncio
import time


class Server:
    # a one-word method: its callers cannot be told apart, so the default is reported here (a module
    # function or a two-word method is published instead and its callers' values are reported)
    async def up(self, check, timeout=10):
        deadline = time.monotonic() + timeout  # expect: timeout timeout_ms=10000 phase=total
        while True:
            if await check():
                return True
            if time.monotonic() > deadline:
                raise TimeoutError("gave up")
            await asyncio.sleep(0.5)
""",
    """\
import time

SCRAPER_TIMEOUT = 15

async def fetch(client, url):
    body = b""
    async with client.stream("GET", url) as resp:
        start = time.time()
        async for chunk in resp.aiter_bytes(chunk_size=1024):
            body += chunk
            if time.time() - start > SCRAPER_TIMEOUT:  # expect: timeout timeout_ms=15000 phase=total
                raise TimeoutError()
    return body


def call(sock, payload):
    sock.sendall(payload)
    start = time.monotonic()
    while True:
        ch = sock.recv(1)
        if ch == b"":
            break
        if time.monotonic() - start >= 60:  # expect: timeout timeout_ms=60000 phase=total
            raise TimeoutError("peer too slow")


class Sandbox:
    def __init__(self, http_client, limit=10):
        self.http_client = http_client
        self.limit = limit

    def wait_ready(self, url):
        start = time.time()
        while time.time() - start < 120:  # expect: timeout timeout_ms=120000 phase=total
            if self.http_client.get(url).ok:
                return True
            time.sleep(1)

    def spin(self):
        start = time.time()
        while time.time() - start < self.limit:  # ok: a local poll, nothing asked of another service
            time.sleep(0.1)
            self.tick()

    def approved(self, db_session, challenge_id, timeout=300):
        start = time.time()
        while time.time() - start < timeout:  # ok: a poll of one's own database
            if db_session.query(Challenge).filter_by(id=challenge_id).first():
                return True
            time.sleep(1)
""",
]


def _elapsed_limit(f, cond):
    """The limit node of `clock() - start > limit` / `>=`, else None."""
    cond = unwrap(cond)
    if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
        return None
    ops = [T.text(c) for c in cond.children if not c.is_named]
    if ops not in ([">"], [">="]):
        return None
    left, right = cond.named_children
    left = unwrap(left)
    if left is None or left.type != "binary_operator" or T.text(left.child_by_field_name("operator") or left) != "-":
        return None
    clock = f.call_of(unwrap(left.child_by_field_name("left")))
    if clock is None or not (clock.qualified in CLOCKS or clock.callee in CLOCKS) or clock.args:
        return None
    return right


def _reads_network(f, loop) -> bool:
    for n in T.walk(loop):
        if n.type == "call":
            c = f.call_of(n)
            if c is not None and READS.match(c.name) and c.receiver:
                return True
    return False


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = _handed_deadlines(f) if f.has_any(b"timedelta(") else []
    if f.has_any(b"sleep") and f.has_any(b"time_diff", b"elapsed", b"expired", b"time_since"):
        out += _elapsed_helper_checks(f)
    if not f.has_any(b"time()", b"monotonic(", b"perf_counter(", b"default_timer("):
        if f.has_any(b"sleep") and f.has_any(b"+="):
            out += _polling_deadline_loops(f)  # `while waited < timeout: ...; waited += interval` (no clock)
        return out
    for loop in f.loops:
        reads = _reads_network(f, loop)
        body = loop.child_by_field_name("body")
        calls = None
        for n in T.walk(body):
            if n.type != "if_statement":
                continue
            limit = _elapsed_limit(f, n.child_by_field_name("condition"))
            consequence = n.child_by_field_name("consequence")
            if limit is None or consequence is None:
                continue
            if not any(s.type == "raise_statement" for s in consequence.named_children):
                continue
            if not reads:
                # (round 19) a sleeping wait for state another component fills, its limit named as a timeout
                if calls is None:
                    calls = [c for c in (f.call_of(x) for x in T.walk(body) if x.type == "call") if c is not None]
                if not any(c.name == "sleep" for c in calls) or not _named_wait(f, limit, calls) or \
                        _supervises_processes(f, loop):
                    continue
            out += f.duration(limit, 1000.0, "total", ID, n, None)
    out += _deadline_helpers(f)
    out += _polling_deadline_loops(f)
    out += _clock_deadline_loops(f)
    return out


# a project helper measuring the time gone since a start mark (`get_time_diff(start, now)`, `elapsed(start)`)
# or telling whether it has run out (`time_has_expired(start, seconds=N)`)
ELAPSED_HELPER = re.compile(r"(time_diff|elapsed|time_since|seconds_since)", re.I)
EXPIRED_HELPER = re.compile(r"(has_expired|is_expired|time_expired|timed_out)$", re.I)
LIMIT_NAME = re.compile(r"(timeout|deadline|wait_time|max_wait)", re.I)
SLEEP_CALL = re.compile(r"(^|\.)sleep$")


def _elapsed_helper_checks(f) -> list:
    """(round 18, enterprise-gateway, clusterfuzz) A poll step's deadline measured through a project helper:
    `await asyncio.sleep(poll_interval); time_interval = get_time_diff(self.start_time, now())` then `if
    time_interval > self.kernel_launch_timeout: self.log_and_raise(...)` (at the `if` line), and a wait
    for a remote operation `while not dates.time_has_expired(start_time, seconds=OPERATION_TIMEOUT):` whose
    rounds ask a client and sleep (at the `while` line). Seconds, phase total; the limit must be named for a
    timeout or deadline."""
    out = []
    for fn in f.functions:
        body = fn.child_by_field_name("body")
        own = [n for n in T.walk(body) if f.enclosing_function(n) is not None and f.enclosing_function(n).id == fn.id] \
            if body is not None else []
        calls = [f.call_of(n) for n in own if n.type == "call"]
        if not any(c is not None and SLEEP_CALL.search(c.qualified) for c in calls):
            continue
        measured = set()
        for n in own:
            if n.type == "assignment" and n.child_by_field_name("left") is not None and \
                    n.child_by_field_name("left").type == "identifier":
                c = f.call_of(unwrap(n.child_by_field_name("right")))
                if c is not None and ELAPSED_HELPER.search(c.name or ""):
                    measured.add(T.text(n.child_by_field_name("left")))
        for n in own:
            if n.type == "if_statement" and measured:
                cond = unwrap(n.child_by_field_name("condition"))
                consequence = n.child_by_field_name("consequence")
                if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2 or \
                        consequence is None:
                    continue
                if [T.text(c) for c in cond.children if not c.is_named] not in ([">"], [">="]):
                    continue
                left, limit = (unwrap(c) for c in cond.named_children)
                if left is None or T.text(left) not in measured or limit is None or not LIMIT_NAME.search(T.text(limit)):
                    continue
                if not any(s.type == "raise_statement" or (s.type == "call" and re.search(
                        r"raise", T.text(s.child_by_field_name("function")), re.I)) for s in T.walk(consequence)):
                    continue
                out += f.duration(limit, 1000.0, "total", ID, n, None)
            elif n.type == "while_statement":
                cond = unwrap(n.child_by_field_name("condition"))
                inner = unwrap(cond.child_by_field_name("argument")) if cond is not None and \
                    cond.type == "not_operator" else None
                c = f.call_of(inner) if inner is not None else None
                if c is None or not EXPIRED_HELPER.search(c.name or ""):
                    continue
                limit = c.kwargs.get("seconds") or c.kwargs.get("timeout")
                loop_calls = [f.call_of(x) for x in T.walk(n.child_by_field_name("body")) if x.type == "call"]
                if limit is None or not any(x is not None and SLEEP_CALL.search(x.qualified) for x in loop_calls) \
                        or not any(x is not None and x.receiver and POLLED_RECEIVER.search(
                            x.receiver.split("(", 1)[0].rsplit(".", 1)[-1]) for x in loop_calls):
                    continue
                out += f.duration(limit.node, 1000.0, "total", ID, n, None)
    return out


# the object a wait-for-ready loop asks each round: another service's client (never one's own database:
# `db_session.query(Challenge)` polled until approved is a wait on one's own state)
POLLED_RECEIVER = re.compile(r"(client|session|http|service|api|stub|conn|connection)$", re.I)
OWN_DATABASE = re.compile(r"(^|_)(db|database|sql|orm)(_|$)", re.I)


def _remaining_limit(f, cond):
    """The limit node of `clock() - start < limit` / `<=` (a loop that runs while time is left)."""
    cond = unwrap(cond)
    if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
        return None
    if [T.text(c) for c in cond.children if not c.is_named] not in (["<"], ["<="]):
        return None
    left, right = (unwrap(c) for c in cond.named_children)
    if left is not None and left.type == "identifier" and right is not None and _clock_measured(f, cond, T.text(left)):
        # (round 20, loopchain) `while duration < time_out_seconds:` with `duration = timeit.default_timer() - start`
        return right
    if left is not None and left.type == "call" and _is_clock(f, left) and right is not None and \
            right.type == "binary_operator" and T.text(right.child_by_field_name("operator") or right) == "+":
        # `while time.time() < timeout_start + timeout:` (round 18, insights-host-inventory): the added limit
        limit = unwrap(right.child_by_field_name("right"))
        return limit if limit is not None and limit.type in ("identifier", "attribute", "integer", "float") else None
    if left is None or left.type != "binary_operator" or T.text(left.child_by_field_name("operator") or left) != "-":
        return None
    clock = unwrap(left.child_by_field_name("left"))
    return right if clock is not None and clock.type == "call" and _is_clock(f, clock) else None


def _clock_measured(f, at, name: str) -> bool:
    """`name` is assigned elapsed time in the enclosing function (`duration = timeit.default_timer() - start`)."""
    fn = f.enclosing_function(at)
    for n in T.walk(fn) if fn is not None else ():
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name:
            right = unwrap(n.child_by_field_name("right"))
            if right is not None and right.type == "binary_operator" and \
                    T.text(right.child_by_field_name("operator") or right) == "-":
                clock = unwrap(right.child_by_field_name("left"))
                if clock is not None and clock.type == "call" and _is_clock(f, clock):
                    return True
    return False


# (round 20, docsgpt) a read of a value this service keeps in its own Redis / cache (`redis_client.get(code_key)`
# polled for an OAuth code another request stores): waiting on one's own store, not on another service
_OWN_STORE = re.compile(r"(redis|cache)", re.I)


def _own_store_read(c) -> bool:
    return bool(c.receiver and _OWN_STORE.search(c.receiver.rsplit(".", 1)[-1])) and c.name != "ping"


def _polling_deadline_loops(f) -> list:
    """`while time.time() - start < timeout:` asking another service each round and sleeping between
    rounds (`resp = await self.httpx_client.get(url/alive, timeout=5)`, `self.sandbox_service.get_sandbox(id)`;
    `await asyncio.sleep(1)`): a wait-for-ready bound on the whole exchange, at the `while` line (round 13,
    openhands). A parameter with a default is the helper's own contract (rule a) and its callers' (rule b)."""
    out = []
    for loop in f.loops:
        if loop.type != "while_statement":
            continue
        limit = _remaining_limit(f, loop.child_by_field_name("condition"))
        summed = limit is None and _summed_wait_limit(f, loop)
        if limit is None and not summed:
            continue
        limit = limit if limit is not None else summed
        calls = [c for c in (f.call_of(n) for n in T.walk(loop.child_by_field_name("body")) if n.type == "call")
                 if c is not None]
        sleeps = any(c.name == "sleep" for c in calls)
        grpc = _grpc.outbound(f) if f.has_any(b"grpc") else {}
        asks = any(c.receiver and POLLED_RECEIVER.search(c.receiver.rsplit(".", 1)[-1]) and c.name != "sleep"
                   and not OWN_DATABASE.search(c.receiver.rsplit(".", 1)[-1]) and not _own_store_read(c)
                   for c in calls) or any(c.node.id in grpc for c in calls) or \
            any(c.receiver == "self" and _own_method_asks(f, loop, c.name) for c in calls) or \
            _named_wait(f, limit, calls)
        if sleeps and asks and not _supervises_processes(f, loop):
            out += f.duration(limit, 1000.0, "total", ID, loop, None)
    return out


def _summed_wait_limit(f, loop):
    """`while waited < timeout:` whose rounds sleep and add the interval slept (`waited += interval`): time
    left measured by summing the sleeps (round 19, hummingbot-api's order-book waits). The limit, else None."""
    cond = unwrap(loop.child_by_field_name("condition"))
    if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2 or \
            [T.text(c) for c in cond.children if not c.is_named] not in (["<"], ["<="]):
        return None
    left, right = (unwrap(c) for c in cond.named_children)
    if left is None or left.type != "identifier" or right is None:
        return None
    name = T.text(left)
    if _COUNTER_NAME.search(name):
        return None  # (round 22, hacs/r2r) `while attempt_count < 5: ...; attempt_count += 1`: a count of tries
    body = loop.child_by_field_name("body")
    slept = {a.text for c in (f.call_of(n) for n in T.walk(body) if n.type == "call")
             if c is not None and c.name == "sleep" for a in c.args[:1]}
    for n in T.walk(body):
        if n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == name and \
                T.text(n.child_by_field_name("operator") or n).startswith("+"):
            added = n.child_by_field_name("right")
            # the time slept is what is added (`await asyncio.sleep(i); waited += i`), or the name says time
            if (added is not None and T.text(added) in slept) or _TIME_NAME.search(name):
                return right
    return None


# (round 22) a variable counting tries, not time: `attempt_count`, `retries`, `tries`, `n_attempts`
_COUNTER_NAME = re.compile(r"attempt|retr|tries|count|^n_|_n$|^i$|^n$", re.I)
_TIME_NAME = re.compile(r"wait|elapsed|slept|spent|time|sec|ms$", re.I)


# a round that checks this machine only: a file, a child process, a local thread
LOCAL_POLL = re.compile(r"^(exists|isfile|is_file|isdir|is_dir|poll|is_alive|wait|communicate|glob|listdir|stat)$")


def _named_wait(f, limit, calls) -> bool:
    """(round 19, hummingbot-api) A sleeping wait whose limit is named as a timeout (`while waited < timeout:`,
    `timeout = settings.market_data.candles_ready_timeout`) for state another component fills (an order book
    a websocket feeds, `while not candles_feed.ready`): the author's own timeout on that wait. Not a round
    that checks a local file or child process, nor one's own database."""
    limit = unwrap(limit)
    if limit is None or limit.type not in ("identifier", "attribute") or \
            "timeout" not in T.text(limit).rsplit(".", 1)[-1].lower():
        return False
    return not any(LOCAL_POLL.match(c.name or "") or (c.receiver and OWN_DATABASE.search(c.receiver.rsplit(".", 1)[-1]))
                   or c.qualified.startswith(("subprocess.", "os.")) for c in calls)


def _own_method_asks(f, at, name: str) -> bool:
    """`if await self.ping(): return` with the class's `ping` asking another service's client (`client =
    await self.get_client(); await client.ping()`): the loop asks that service through its own method
    (round 14, letta's redis client `wait_for_ready`)."""
    cls = f.enclosing_class(at)
    if cls is None:
        return False
    for fn in f.functions:
        if T.text(fn.child_by_field_name("name")) != name or f.enclosing_class(fn) is None or \
                f.enclosing_class(fn).id != cls.id or fn.start_byte <= at.start_byte < fn.end_byte:
            continue
        for n in T.walk(fn.child_by_field_name("body")):
            c = f.call_of(n) if n.type == "call" else None
            if c is not None and c.receiver and c.name != "sleep" and \
                    POLLED_RECEIVER.search(c.receiver.rsplit(".", 1)[-1]) and \
                    not OWN_DATABASE.search(c.receiver.rsplit(".", 1)[-1]):
                return True
    return False


DEADLINE_NAME = re.compile(r"deadline|timeout", re.I)
NOWS = ("datetime.datetime.now", "datetime.datetime.utcnow", "datetime.now", "datetime.utcnow",
        "django.utils.timezone.now", "timezone.now")


def _handed_deadlines(f) -> list:
    """`deadline = datetime.now() + timedelta(seconds=90)` handed to a library object's method
    (`acme_client.poll_authorizations(order, deadline)`, `finalize_order(orderr, deadline)`): the
    library gives up at that instant, so the call is bounded by the timedelta. Reported at the
    assignment, once however many calls get it; not when the deadline is only compared (a loop of
    one's own: the elapsed checks above read those) nor handed to a function of this project."""
    out = []
    for fn in f.functions:
        for target, value, stmt in f.scope_assignments(fn):
            value = unwrap(value)
            if not target.isidentifier() or value is None or value.type != "binary_operator" or \
                    T.text(value.child_by_field_name("operator")) != "+":
                continue
            sides = [unwrap(value.child_by_field_name("left")), unwrap(value.child_by_field_name("right"))]
            calls = [f.call_of(s) for s in sides if s is not None and s.type == "call"]
            now = next((c for c in calls if c is not None and (c.qualified in NOWS or c.callee in NOWS)), None)
            delta = next((c for c in calls if c is not None and c.name == "timedelta"), None)
            if now is None or delta is None or not DEADLINE_NAME.search(target) or \
                    not _handed_to_library(f, fn, target, stmt):
                continue  # (`expiry_date = now() + timedelta(days=1)` handed on is a lifetime, not a bound)
            parts = []
            for unit, scale in (("seconds", 1000.0), ("minutes", 60000.0), ("hours", 3600000.0),
                                ("milliseconds", 1.0)):
                if unit in delta.kwargs:
                    parts.append((delta.kwargs[unit].node, scale))
            if len(parts) != 1 or delta.args:
                continue  # `timedelta(minutes=1, seconds=30)` or positional days: not read here
            out += f.duration(parts[0][0], parts[0][1], "total", ID, stmt, None)
    return out


def _handed_to_library(f, fn, name: str, stmt) -> bool:
    """``name`` is an argument of a later call on a receiver that is not `self` nor a function of
    this file (a library object's method), and never compared with a clock in this function."""
    handed = False
    for n in T.walk(fn):
        if n.start_byte <= stmt.end_byte:
            continue
        if n.type == "comparison_operator" and any(x.type == "identifier" and T.text(x) == name
                                                   for x in n.named_children):
            return False
        if n.type != "call":
            continue
        c = f.call_of(n)
        arguments = n.child_by_field_name("arguments")
        if c is None or arguments is None or not c.receiver or c.receiver.split(".", 1)[0] in (
                "self", "cls", "super()"):
            continue
        if any(unwrap(a) is not None and unwrap(a).type == "identifier" and T.text(unwrap(a)) == name
               for a in (x.child_by_field_name("value") if x.type == "keyword_argument" else x
                         for x in arguments.named_children)):
            handed = True
    return handed


TIMEOUT_PARAM = re.compile(r"timeout|deadline|wait|seconds|secs|duration|limit", re.I)


def _deadline_helpers(f) -> list:
    """A helper polling until a deadline made of a clock and its own parameter (`deadline =
    loop.time() + timeout` then `while True: ...; if deadline - loop.time() < 0: break`): the
    parameter bounds the helper's work. Only its callers' values are contracts (the finding is a
    forwarder of the parameter: it publishes the helper for python.wrapper_timeout)."""
    out = []
    for fn in f.functions:
        params = f.function_params(fn)
        if not any(TIMEOUT_PARAM.search(p) for p in params):
            continue
        loops = [n for n in T.walk(fn) if n.type in ("while_statement", "for_statement")]
        if not loops:
            continue
        for target, value, stmt in f.scope_assignments(fn):
            value = unwrap(value)
            if value is None or value.type != "binary_operator" or T.text(value.child_by_field_name("operator")) != "+":
                continue
            sides = [unwrap(value.child_by_field_name("left")), unwrap(value.child_by_field_name("right"))]
            clock = next((s for s in sides if s is not None and s.type == "call" and _is_clock(f, s)), None)
            param = next((s for s in sides if s is not None and s.type == "identifier" and T.text(s) in params
                          and TIMEOUT_PARAM.search(T.text(s))), None)
            if clock is None or param is None or not target.isidentifier():
                continue
            checking = [loop for loop in loops if loop.start_byte > stmt.start_byte
                        and re.search(rf"\b{re.escape(target)}\b", T.text(loop))]
            if not checking:
                continue  # the deadline is never checked in a later loop
            if any(_supervises_processes(f, loop) for loop in checking):
                continue  # waiting for child processes to exit (a reaper's grace), not for another service
            out += f.duration(param, 1000.0, "total", ID, stmt, None)
    return out


# a call of an HTTP client library, asked by a function of this file a poll round calls
_HTTP_LIBRARY = re.compile(r"^(requests|httpx|aiohttp|urllib\.request|urllib3)\.")


def _file_function_asks(f, name: str, depth: int = 3, seen: frozenset = frozenset()) -> bool:
    """A module function of this file named `name` asks another service: it calls an HTTP library
    (`httpx.get(url)`), a client-like receiver (`client.get_run(id)`), or another function of this file that
    does, up to `depth` calls down (round 21, bugbug's Treeherder helpers `_job` -> `_get` -> `httpx.get`)."""
    if depth <= 0 or name in seen:
        return False
    for fn in f.functions:
        if T.text(fn.child_by_field_name("name")) != name or f.enclosing_class(fn) is not None:
            continue
        for n in T.walk(fn.child_by_field_name("body")):
            c = f.call_of(n) if n.type == "call" else None
            if c is None or c.name == "sleep":
                continue
            if _HTTP_LIBRARY.match(c.qualified or "") or (
                    c.receiver and POLLED_RECEIVER.search(c.receiver.rsplit(".", 1)[-1])
                    and not OWN_DATABASE.search(c.receiver.rsplit(".", 1)[-1]) and not _own_store_read(c)):
                return True
            if not c.receiver and c.callee and _file_function_asks(f, c.callee, depth - 1, seen | {name}):
                return True
    return False


def _deadline_compare(f, cond, target: str):
    """How `cond` compares the clock with the deadline variable `target`: "passed" for `clock() >= target`
    (or `target <= clock()`), "left" for `clock() < target` (or `target > clock()`), else None."""
    cond = unwrap(cond)
    if cond is not None and cond.type == "boolean_operator" and \
            T.text(cond.child_by_field_name("operator") or cond) == "or":
        # (round 22, jumpserver) `if response.status_code != 400 or time.monotonic() >= deadline: raise`: given
        # up on either, the deadline's side passed
        sides = [_deadline_compare(f, cond.child_by_field_name(k), target) for k in ("left", "right")]
        return "passed" if "passed" in sides else None
    if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
        return None
    ops = [T.text(c) for c in cond.children if not c.is_named]
    left, right = (unwrap(c) for c in cond.named_children)
    if left is None or right is None:
        return None
    if left.type == "call" and _is_clock(f, left) and right.type == "identifier" and T.text(right) == target:
        return {">": "passed", ">=": "passed", "<": "left", "<=": "left"}.get(ops[0]) if len(ops) == 1 else None
    if right.type == "call" and _is_clock(f, right) and left.type == "identifier" and T.text(left) == target:
        return {"<": "passed", "<=": "passed", ">": "left", ">=": "left"}.get(ops[0]) if len(ops) == 1 else None
    return None


_EXITS = ("return_statement", "raise_statement", "break_statement")


def _clock_deadline_loops(f) -> list:
    """(round 21, bugbug) A wait for another service's answer bounded by a deadline made of a clock and a
    fixed limit: `deadline = time.monotonic() + settings.treeherder_ingest_max_wait_seconds`, then a loop
    whose rounds ask another service (a client-like receiver, `client.get_run(id)`, or a function of this
    file that calls one, `_job(project, task_id)` -> `httpx.get`) and sleep, and that gives up once the
    clock passes the deadline (`if time.monotonic() >= deadline: return None`, or `while time.monotonic() <
    deadline:`). At the check line (the `if`, or the `while`), the limit in seconds, phase total. A limit
    that is the function's own parameter is _deadline_helpers' (the helper's callers hold the values). Not a
    loop that only checks local state (a file, a child process, one's own database or cache)."""
    out = []
    if not f.has_any(b"sleep"):
        return out
    for fn in f.functions:
        params = f.function_params(fn)
        loops = [n for n in T.walk(fn) if n.type in ("while_statement", "for_statement")
                 and f.enclosing_function(n) is not None and f.enclosing_function(n).id == fn.id]
        if not loops:
            continue
        for target, value, stmt in f.scope_assignments(fn):
            value = unwrap(value)
            if value is None or value.type != "binary_operator" or T.text(value.child_by_field_name("operator")) != "+" \
                    or not target.isidentifier():
                continue
            sides = [unwrap(value.child_by_field_name("left")), unwrap(value.child_by_field_name("right"))]
            clock = next((s for s in sides if s is not None and s.type == "call" and _is_clock(f, s)), None)
            limit = next((s for s in sides if s is not None and s is not clock), None)
            if clock is None or limit is None or limit.type not in (
                    "identifier", "attribute", "integer", "float", "binary_operator", "parenthesized_expression"):
                continue
            if any(n.type == "identifier" and T.text(n) in params and T.text(n) not in ("self", "cls")
                   for n in T.walk(limit)):
                continue  # the helper's own parameter: _deadline_helpers (not `self.timeout`: round 22, jumpserver)
            for loop in loops:
                if loop.start_byte <= stmt.start_byte:
                    continue
                check = None
                if loop.type == "while_statement" and \
                        _deadline_compare(f, loop.child_by_field_name("condition"), target) == "left":
                    check = loop
                else:
                    for n in T.walk(loop.child_by_field_name("body")):
                        if n.type == "if_statement" and \
                                _deadline_compare(f, n.child_by_field_name("condition"), target) == "passed":
                            consequence = n.child_by_field_name("consequence")
                            if consequence is not None and any(x.type in _EXITS for x in T.walk(consequence)):
                                check = n
                                break
                if check is None:
                    continue
                calls = [c for c in (f.call_of(n) for n in T.walk(loop.child_by_field_name("body"))
                                     if n.type == "call") if c is not None]
                if not any(c.name == "sleep" for c in calls) or _supervises_processes(f, loop):
                    continue
                if any(LOCAL_POLL.match(c.name or "") or c.qualified.startswith(("subprocess.", "os.")) for c in calls):
                    continue
                asks = any(c.receiver and c.name != "sleep" and POLLED_RECEIVER.search(c.receiver.rsplit(".", 1)[-1])
                           and not OWN_DATABASE.search(c.receiver.rsplit(".", 1)[-1]) and not _own_store_read(c)
                           for c in calls) or \
                    any(_HTTP_LIBRARY.match(c.qualified or "") for c in calls) or \
                    any(not c.receiver and c.callee and _file_function_asks(f, c.callee) for c in calls) or \
                    any(c.receiver == "self" and _own_method_asks(f, loop, c.name) for c in calls)
                if asks:
                    out += f.duration(limit, 1000.0, "total", ID, check, None)
                    break
    return out


# Waiting on this machine's processes: reaping children, signalling them
PROCESS_CALLS = re.compile(r"^(os\.(waitpid|wait|wait3|wait4|kill|killpg|waitstatus_to_exitcode)|signal\.\w+|psutil\.\w+)$")


def _supervises_processes(f, loop) -> bool:
    """The loop (or a function of this file it calls) reaps or signals processes (`os.waitpid`,
    `os.kill`, psutil): a grace period for children to exit."""
    functions = {T.text(fn.child_by_field_name("name")): fn for fn in f.functions}
    for scope in (loop, *(functions[c.callee] for c in (f.call_of(n) for n in T.walk(loop) if n.type == "call")
                          if c is not None and c.callee in functions)):
        for n in T.walk(scope):
            if n.type == "call":
                c = f.call_of(n)
                if c is not None and PROCESS_CALLS.match(c.qualified):
                    return True
    return False


def _is_clock(f, node) -> bool:
    c = f.call_of(node)
    return c is not None and not c.args and (c.qualified in CLOCKS or c.callee in CLOCKS
                                             or c.callee.endswith(".time") and "loop" in c.callee.lower())
