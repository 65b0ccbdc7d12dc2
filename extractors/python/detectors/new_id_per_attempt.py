"""new_id_per_attempt: a fresh request ID made inside a retried scope and sent out.

What it does: inside each retry scope found by the retry detectors (a retry loop's body, a
function under a retry decorator, a `for attempt in Retrying(...)` body, the `except`
handler that calls again), finds `uuid.uuid1/uuid4/uuid7`, `ulid.new()/ULID()`,
`secrets.token_hex/token_urlsafe/token_bytes`, `shortuuid.uuid`, `nanoid.generate`, follows
the value through assignments (`tx_id = str(uuid4())`, `body = {"tx": tx_id}`,
`headers["Idempotency-Key"] = tx_id`) and reports it when it reaches an attempted call
(anything but logging, string helpers and sleeps). An ID made once before the loop, or by
the caller of the retried function, is stable across attempts and is not reported.
Why it matters: a callee that dedupes by that ID sees every retry as a new request
(double scoring, double charging).
Example: `for attempt in range(3): tx = uuid4(); client.score(tx, cart)`; use instead
`tx = uuid4()` before the loop.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import PyFile, dotted
from extractors.python.detectors import _retry

ID = "python.new_id"

GENERATORS = {
    "uuid.uuid1", "uuid.uuid4", "uuid.uuid6", "uuid.uuid7", "uuid_utils.uuid4", "uuid_utils.uuid7",
    "ulid.new", "ulid.ULID", "ulid.ulid", "ulid.create", "ulid.ULID.from_timestamp",
    "secrets.token_hex", "secrets.token_urlsafe", "secrets.token_bytes",
    "shortuuid.uuid", "nanoid.generate", "ksuid.ksuid", "uuid6.uuid7",
}

VALID = [
    """\
import uuid
import requests

def score(payload):
    tx_id = str(uuid.uuid4())  # ok: made once, reused by every attempt
    for attempt in range(3):
        try:
            return requests.post("http://risk/score", json={"tx": tx_id}, timeout=1)
        except requests.Timeout:
            continue
""",
    """\
import uuid
import logging

def sync(items):
    for item in items:
        trace = uuid.uuid4()  # ok: not a retry loop
        try:
            push(item, trace)
        except ValueError:
            continue
""",
]

INVALID = [
    """\
import uuid
import requests
from tenacity import retry, stop_after_attempt

@retry(stop=stop_after_attempt(3))
def score(cart):
    tx_id = str(uuid.uuid4())  # expect: new_id_per_attempt generator=uuid.uuid4 variable=tx_id retry_line=5
    return requests.post("http://risk/score", json={"transaction_id": tx_id, "cart": cart}, timeout=1)
""",
]


def _generator(f: PyFile, node) -> str | None:
    c = f.call_of(node)
    if c is None:
        return None
    q = c.qualified
    if q in GENERATORS:
        return q
    if q in ("ULID", "ulid.ULID") or (q.endswith(".ULID") and "ulid" in q.lower()):
        return "ulid.ULID"
    return None


def _assignment_target(node) -> str | None:
    """The name an expression is assigned to (walking up through str()/.hex/f-strings...)."""
    cur = node
    while cur.parent is not None and cur.parent.type not in ("assignment", "block", "module",
                                                               "expression_statement", "keyword_argument"):
        if cur.parent.type in ("function_definition", "lambda"):
            return None
        cur = cur.parent
    parent = cur.parent
    if parent is not None and parent.type == "assignment":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "subscript":
            left = left.child_by_field_name("value")
        return dotted(left) if left is not None else None
    return None


def _identifiers(node) -> set[str]:
    out = set()
    for n in T.walk(node):
        if n.type in ("identifier", "attribute"):
            d = dotted(n)
            if d:
                out.add(d)
    return out


def _reaches_sink(f: PyFile, scope, gen_node, var: str | None, sinks) -> bool:
    tainted = {var} if var else set()
    assigns = f.scope_assignments(scope) if scope.type == "function_definition" else []
    if scope.type != "function_definition":
        fn = f.enclosing_function(scope) or f.root
        assigns = [a for a in f.scope_assignments(fn)
                   if scope.start_byte <= a[2].start_byte < scope.end_byte]
    changed = True
    while changed and tainted:
        changed = False
        for target, value, _ in assigns:
            base = target.split("[")[0]
            if base not in tainted and _identifiers(value) & tainted:
                tainted.add(base)
                changed = True
    for n in T.walk(scope):
        if n.type != "subscript" or n.parent is None or n.parent.type != "assignment":
            continue
        if n.parent.child_by_field_name("left") != n:
            continue
        right = n.parent.child_by_field_name("right")
        base = dotted(n.child_by_field_name("value"))
        if base and right is not None and (_identifiers(right) & tainted):
            tainted.add(base)
    candidates = sinks if sinks else [n for n in T.walk(scope) if n.type == "call"]
    for node in candidates:
        c = f.call_of(node)
        if c is None or _retry.NOT_SINKS.match(c.qualified) or c.node == gen_node:
            continue
        arglist = node.child_by_field_name("arguments")
        if arglist is None:
            continue
        if gen_node.start_byte >= arglist.start_byte and gen_node.end_byte <= arglist.end_byte:
            return True
        if _identifiers(arglist) & tainted:
            return True
    return False


@detector(ID, "python", ("new_id_per_attempt",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    seen = set()
    if not f.has_any(b"uuid", b"ulid", b"token_", b"nanoid", b"ksuid"):
        return out  # no generator is called in this file
    for scope in _retry.analyse(f).scopes:
        for node in T.walk(scope.node):
            if node.type != "call" or node.id in seen:
                continue
            generator = _generator(f, node)
            if generator is None:
                continue
            var = _assignment_target(node)
            sinks = scope.sink_calls if scope.mechanism == "loop" else []
            if not _reaches_sink(f, scope.node, node, var, sinks):
                continue
            seen.add(node.id)
            target = scope.finding.target if scope.finding is not None else None
            pending = [p for p in (scope.finding.pending if scope.finding else ()) if p.attribute == "url"]
            out.append(f.finding("new_id_per_attempt", node, ID, {
                "generator": generator, "variable": var, "retry_line": scope.line}, "high", target, pending))
    return out
