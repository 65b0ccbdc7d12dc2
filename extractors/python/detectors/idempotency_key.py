"""idempotency_key: a handler that dedupes requests by a key.

What it does: reports a function that looks a request key up (`if cache.exists(k)`,
`if (hit := cache.get(k)) is not None`, `cached = cache.get(k)` then `if cached is not None`,
`if k in seen`, `if redis.get(k)`) and returns the stored result, and stores by the same key later
(`cache.set(k, ...)`, `setex(k, ttl, ...)`, `seen[k] = ...`); an ORM lookup by a request-id
keyword that the function returns early when found and creates later: Django
`Model.objects.get_or_create(idempotency_key=k)`, `filter(key=k).first()` ... `create(key=k, ...)`,
SQLAlchemy `Model.query.filter_by(key=k).first()` / `session.query(M).filter_by(...)` ...
`Model(key=k, ...)`; also `set(k, v, nx=True, ex=...)` locks and reading an `Idempotency-Key`
header (`request.headers.get(...)`, `request.headers[...]`, `request.META["HTTP_IDEMPOTENCY_KEY"]`).
A handler that reads the header and dedupes is one finding, at the header read. `key` is the key's
variable name (the first name inside an f-string key), `window_ms` comes from
`ex=`/`px=`/`ttl=`/`timeout=` or setex's TTL, else null. Not reported: a memo cache (the key is
computed from nothing the caller sent, e.g. today's date or a setting, or neither key nor function
name says request; or the store happens in a nested callback, as in a cache of an outbound
webhook's response), a lookup that is not followed by an early return of what it found.
Why it matters: callers must retry with the same key inside the window, or the dedupe is void.
Example: `if cache.exists(tx_id): return cache.get(tx_id)` ... `cache.set(tx_id, score, ex=300)`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.values import as_number, normalise_ms
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import PyFile, dotted, string_value, unwrap

ID = "python.idempotency"

VALID = [
    """\
def total(cache, user):
    value = cache.get("totals")
    cache.set("other", 1)
    return value
""",
    """\
from datetime import date


def score_order(request):
    day = date.today().isoformat()
    weights = cache.get(f"weights:{day}")
    if weights is not None:
        return weights
    weights = load_weights()
    cache.set(f"weights:{day}", weights, timeout=3600)
    return weights
""",
    """\
def create_quote(body):
    previous = Quote.query.filter_by(request_id=body["requestId"]).first()
    if body.get("dryRun"):
        return None
    quote = Quote(request_id=body["requestId"], previous=previous)
    return quote
""",
]

INVALID = [
    """\
def score_transaction(tx_id, cart, user_id):
    if cache.exists(tx_id):  # expect: idempotency_key key=tx_id window_ms=300000
        return cache.get(tx_id)
    score = calculate_fraud_score(cart, user_id)
    cache.set(tx_id, score, ex=300)
    return score
""",
    """\
def score(request):
    tx_id = request.data["transactionId"]
    cached = cache.get(f"score:{tx_id}")  # expect: idempotency_key key=tx_id window_ms=300000
    if cached is not None:
        return Response(cached)
    result = {"score": 0.1}
    cache.set(f"score:{tx_id}", result, timeout=300)
    return Response(result)
""",
    """\
def create_order():
    key = request.headers["Idempotency-Key"]  # expect: idempotency_key key=Idempotency-Key window_ms=None
    existing = Order.query.filter_by(idempotency_key=key).first()
    if existing:
        return jsonify(existing.to_dict())
    order = Order(idempotency_key=key, **request.json)
    db.session.add(order)
    return jsonify(order.to_dict()), 201
""",
    """\
from typing import Annotated
from fastapi import FastAPI, Header

app = FastAPI()
TTL = 600


@app.post("/v1/score")
async def score_transaction(body: dict, idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]):
    cache_key = f"score:{idempotency_key}"
    cached = await redis.get(cache_key)  # expect: idempotency_key key=Idempotency-Key window_ms=600000
    if cached is not None:
        return cached
    result = {"score": 1}
    await redis.set(cache_key, result, ex=TTL, nx=True)
    return result
""",
]

KEY_NAMES = re.compile(r"(idempoten|request_id|dedup|transaction_id|tx_id|event_id|message_id|^key$|_key$)", re.I)
REQUESTISH = re.compile(r"(idempot|dedup|nonce|tx_?id|transaction|request_?id|payment|charge|order|refund|"
                        r"capture|transfer|event_?id|message_?id|webhook|delivery|operation|job_?id|score)", re.I)
LOOKUPS = ("exists", "get", "has_key", "__contains__", "hget", "hexists", "contains", "fetch", "get_or_none")
STORES = ("set", "setex", "psetex", "add", "put", "hset", "store", "save_result", "set_result", "setnx")


def _key_name(node) -> str | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("identifier", "attribute"):
        return dotted(node)
    if node.type == "string":
        for child in node.children:
            if child.type == "interpolation":
                inner = child.child_by_field_name("expression")
                if inner is not None and inner.type in ("identifier", "attribute"):
                    return dotted(inner)
        return None
    if node.type == "binary_operator":
        for side in ("right", "left"):
            k = _key_name(node.child_by_field_name(side))
            if k:
                return k
    if node.type == "call":
        args = node.child_by_field_name("arguments")
        for a in args.named_children if args is not None else []:
            k = _key_name(a)
            if k:
                return k
    return None


def _header_of(f: PyFile, fn, key: str, at) -> str:
    """The request header a key comes from: ``cache_key = f"score:{idempotency_key}"`` with
    ``idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]`` (FastAPI) is keyed by the
    ``Idempotency-Key`` header; else the key's own name (through one local f-string)."""
    name = key
    for _ in range(2):
        found = f.binding(name, at) if "." not in name else None
        if found is None or found[1].id != fn.id:
            break
        inner = _key_name(found[0])
        if not inner or inner == name:
            break
        name = inner
    params = fn.child_by_field_name("parameters")
    for param in params.named_children if params is not None else ():
        ident = next((c for c in param.named_children if c.type == "identifier"), None)
        if ident is None or T.text(ident) != name:
            continue
        text = T.text(param)
        if "Header(" not in text:
            break
        alias = re.search(r"alias\s*=\s*[\"']([^\"']+)", text)
        return alias.group(1) if alias else "-".join(w.capitalize() for w in name.split("_"))
    return name


def _window(f: PyFile, call) -> object:
    for kw, scale in (("ex", 1000), ("px", 1), ("ttl", 1000), ("timeout", 1000), ("expire", 1000),
                      ("expires", 1000)):
        if kw in call.kwargs:
            settled, _ = f.settle(f.expr(call.kwargs[kw].node))
            n = as_number(settled)
            return normalise_ms(n * scale) if n is not None else None
    if call.name in ("setex", "psetex") and len(call.args) > 1:
        settled, _ = f.settle(f.expr(call.args[1].node))
        n = as_number(settled)
        return normalise_ms(n * (1 if call.name == "psetex" else 1000)) if n is not None else None
    if call.name == "set" and len(call.args) > 2:  # django cache.set(key, value, timeout)
        settled, _ = f.settle(f.expr(call.args[2].node))
        n = as_number(settled)
        return normalise_ms(n * 1000) if n is not None else None
    return None


def _lookup_bound(f: PyFile) -> set[str]:
    """Names assigned a lookup call (``cached = cache.get(tx_id)``): the only names an ``if name:``
    can be a lookup through, so no other needs a binding search."""
    names = f._memo.get("idempotency_bound")
    if names is not None:
        return names
    names = set()
    for c in f.method_calls(LOOKUPS):
        if not (c.name in LOOKUPS and c.receiver and c.args):
            continue
        cur, parent = c.node, c.node.parent
        while parent is not None and parent.type in ("parenthesized_expression", "await"):
            cur, parent = parent, parent.parent
        while parent is not None and parent.type == "assignment" and parent.child_by_field_name("right") == cur:
            name = dotted(parent.child_by_field_name("left"))  # a = b = cache.get(k) binds both
            if name is not None:
                names.add(name)
            cur, parent = parent, parent.parent
        if parent is not None and parent.type == "as_pattern":
            alias = parent.child_by_field_name("alias")
            name = dotted(next(iter(alias.named_children), None)) if alias is not None else None
            if name is not None:
                names.add(name)
    f._memo["idempotency_bound"] = names
    return names


def _bound_name(cond) -> str | None:
    """``cached`` of ``if cached:`` / ``if cached is not None:`` / ``if cached != None:``."""
    if cond.type == "identifier":
        return T.text(cond)
    if cond.type == "comparison_operator":
        kids = cond.named_children
        ops = [T.text(x) for x in cond.children if not x.is_named]
        if len(kids) == 2 and kids[0].type == "identifier" and kids[1].type == "none" and ops in (["is not"], ["!="]):
            return T.text(kids[0])
    return None


def _lookup_key(f: PyFile, cond) -> tuple[str | None, str | None, object, str | None]:
    """(key text, store receiver, lookup node, name bound by the lookup) of an if-condition that
    looks a key up; the lookup node is the call (or the ``in`` test), the name is the one the
    lookup's result was bound to (``cached = cache.get(k)`` ... ``if cached is not None``)."""
    cond = unwrap(cond)
    if cond is None:
        return None, None, None, None
    for node in T.walk(cond):
        if node.type == "call":
            c = f.call_of(node)
            if c is not None and c.name in LOOKUPS and c.receiver and c.args:
                return T.text(c.args[0].node), c.receiver, c.node, None
        if node.type == "comparison_operator" and any(T.text(x) == "in" for x in node.children if not x.is_named):
            kids = node.named_children
            if len(kids) == 2:
                return T.text(kids[0]), T.text(kids[1]), node, None
        if node.type == "named_expression":
            value = node.child_by_field_name("value")
            c = f.call_of(value)
            if c is not None and c.name in LOOKUPS and c.receiver and c.args:
                return T.text(c.args[0].node), c.receiver, c.node, T.text(node.child_by_field_name("name"))
    name = _bound_name(cond)
    if name is not None and name in _lookup_bound(f):
        found = f.binding(name, cond)
        c = f.call_of(found[0]) if found else None
        if c is not None and c.name in LOOKUPS and c.receiver and c.args:
            return T.text(c.args[0].node), c.receiver, c.node, name
    return None, None, None, None


def _request_derived(f: PyFile, fn, key_node, depth: int = 0) -> bool:
    """Whether a key comes from the request: a parameter of the handler (``request`` itself, a
    ``tx_id`` argument), or a local bound from one (``tx_id = request.data["transactionId"]``).
    A key computed from nothing the caller sent (``date.today()``, a setting) makes a memo cache."""
    params = set(f.function_params(fn)) - {"self", "cls"}
    names = [n for n in T.walk(key_node) if n.type == "identifier"] if key_node is not None else []
    if key_node is not None and key_node.type == "identifier":
        names = [key_node]
    for n in names:
        parent = n.parent
        if parent is not None and parent.type == "attribute" and parent.child_by_field_name("attribute") == n:
            continue  # the ``id`` of ``event.id``: only the head names a value
        if parent is not None and parent.type == "call" and parent.child_by_field_name("function") == n:
            continue  # a function's name (``str(tx_id)``)
        name = T.text(n)
        if name in params or name == "request":
            return True
        if name in f.imports:
            continue  # a module or function (``date.today()``, ``hashlib``)
        found = f.binding(name, n)
        if found is None:
            return True  # a global or a loop variable: not known to be computed here
        value, scope = found
        if scope.id != fn.id:
            continue  # a module constant
        if depth < 3 and _request_derived(f, fn, value, depth + 1):
            return True
    return False


def unwrap_text_node(f: PyFile, key_text: str, at):
    """The lookup's key node (found again by text inside the lookup)."""
    for n in T.walk(at):
        if T.text(n) == key_text:
            return n
    return None


def _returns_stored(f: PyFile, consequence, receiver: str, bound_name: str | None) -> bool:
    """The early return hands back the stored result: it reads the store, or the name bound by the lookup."""
    bound = {bound_name} if bound_name else set()
    for n in T.walk(consequence):
        if n.type != "return_statement":
            continue
        value = next(iter(n.named_children), None)
        if value is None:
            continue
        text_ = T.text(value)
        if receiver and receiver in text_:
            return True
        if any(x.type == "identifier" and T.text(x) in bound for x in T.walk(value)):
            return True
    return False


def _orm_dedupe(f: PyFile, lookup, keyword: str) -> bool:
    """``existing = Model.objects.filter(idempotency_key=k).first(); if existing: return existing`` (or
    SQLAlchemy's ``Model.query.filter_by(idempotency_key=k).first()``) and a later
    ``Model.objects.create(idempotency_key=k, ...)`` / ``Model(idempotency_key=k, ...)`` in the same
    function. The early return must test what the lookup found: a lookup whose result is only used
    further down is not a dedupe."""
    fn = f.enclosing_function(lookup.node)
    if fn is None:
        return False
    stmt = lookup.node
    while stmt.parent is not None and stmt.parent.type not in ("block", "module"):
        stmt = stmt.parent
    found = {dotted(stmt.child_by_field_name("left"))} if stmt.type == "assignment" else set()
    if stmt.type == "expression_statement":
        inner = next(iter(stmt.named_children), None)
        if inner is not None and inner.type == "assignment":
            found = {dotted(inner.child_by_field_name("left"))}
    found.discard(None)
    returns_early = False
    for node in f.ifs:
        if f.enclosing_function(node) != fn or node.start_byte < stmt.start_byte:
            continue
        cond = node.child_by_field_name("condition")
        tested = cond is not None and (
            (lookup.node.start_byte >= cond.start_byte and lookup.node.end_byte <= cond.end_byte)
            or any(n.type == "identifier" and T.text(n) in found for n in T.walk(cond)))
        consequence = node.child_by_field_name("consequence")
        if tested and consequence is not None and any(
                n.type == "return_statement" and n.named_children for n in T.walk(consequence)):
            returns_early = True
            break
    if not returns_early:
        return False
    for c in f.calls:
        if not (c.node.start_byte > stmt.end_byte and fn.start_byte <= c.node.start_byte < fn.end_byte):
            continue
        if keyword in c.kwargs and (c.name in ("create", "save", "bulk_create", "insert", "values")
                                    or c.name[:1].isupper()):
            return True
    return False


HEADER_NAMES = ("idempotency-key", "idempotency_key", "x-idempotency-key", "http_idempotency_key")
_HEADER_READ = re.compile(rb"(?:headers|meta)\s*\[\s*[\"'](?:x-)?(?:http_)?idempotency[-_]key[\"']\s*\]")


def _header_subscripts(f: PyFile):
    """``request.headers["Idempotency-Key"]`` / ``request.META["HTTP_IDEMPOTENCY_KEY"]`` reads (not writes)."""
    for m in _HEADER_READ.finditer(f.low):
        node = f.root.descendant_for_byte_range(m.start(), m.start())
        while node is not None and node.type != "subscript":
            node = node.parent
        if node is None or node.start_byte > m.start():
            continue
        parent = node.parent
        if parent is not None and parent.type in ("assignment", "augmented_assignment") and (
                parent.child_by_field_name("left") == node):
            continue  # a client setting the header on its own request
        base = dotted(node.child_by_field_name("value")) or ""
        if "req" not in base.lower() or "." not in base:
            continue  # only the incoming request's headers (``request.headers``, ``self.request.META``)
        key = string_value(node.child_by_field_name("subscript"))
        if key is not None and key.lower() in HEADER_NAMES:
            yield node, key


@detector(ID, "python", ("idempotency_key",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    headers: list = []  # the header reads among them
    done: set[int] = set()
    for node in f.ifs:
        fn = f.enclosing_function(node)
        if fn is None or fn.id in done:
            continue
        key_text, receiver, lookup, bound_name = _lookup_key(f, node.child_by_field_name("condition"))
        if not key_text:
            continue
        key_at = unwrap_text_node(f, key_text, lookup)
        if string_value(key_at) is not None:
            continue  # a constant key is a cache, not a per-request dedupe
        consequence = node.child_by_field_name("consequence")
        if consequence is None or not _returns_stored(f, consequence, receiver, bound_name):
            continue
        store = None
        for c in f.calls:
            if not (node.end_byte <= c.node.start_byte < fn.end_byte) or not c.args:
                continue
            if c.name in STORES and c.receiver == receiver and T.text(c.args[0].node) == key_text and (
                    len(c.args) > 1 or "value" in c.kwargs) and f.enclosing_function(c.node) == fn:
                store = c
                break
        if store is None:
            for n in T.walk(fn):
                if n.type == "assignment" and n.start_byte >= node.end_byte:
                    left = n.child_by_field_name("left")
                    if left is not None and left.type == "subscript" and T.text(
                            left.child_by_field_name("value")) == receiver and T.text(
                            left.child_by_field_name("subscript")) == key_text:
                        store = n
                        break
        if store is None:
            continue
        key_node = f.call_of(store.node).args[0].node if hasattr(store, "args") else None
        key = _key_name(key_node) if key_node is not None else None
        key = _header_of(f, fn, key or key_text, store.node if hasattr(store, "node") else store)
        fn_name = T.text(fn.child_by_field_name("name"))
        if not (REQUESTISH.search(key_text) or REQUESTISH.search(fn_name)):
            continue  # a memo cache (auth lookups, provider registries), not a dedupe of requests
        if not _request_derived(f, fn, key_at):
            continue  # keyed by something computed here (a date, a setting): a memo cache
        window = _window(f, store) if hasattr(store, "kwargs") else None
        # the lookup's line: ``cached = cache.get(k)`` when the if only tests what it bound
        at = lookup if lookup is not None and lookup.type == "call" else node
        out.append(f.finding("idempotency_key", at, ID, {"key": key, "window_ms": window}, "medium"))
        done.add(fn.id)
    # an ORM lookup (``.objects``, SQLAlchemy's ``filter_by``), a set-if-absent (``nx=``) or an
    # Idempotency-Key header read
    orm = f.has_any(b"objects", b"filter_by") and f.has_any(  # the words of KEY_NAMES
        b"key", b"idempoten", b"request_id", b"dedup", b"transaction_id", b"tx_id", b"event_id", b"message_id")
    for call in f.calls if orm or f.has_any(b"nx", b"idempotency") else ():
        if (call.name in ("get_or_create", "update_or_create", "filter", "get") and ".objects" in call.callee) or (
                call.name == "filter_by"):
            keyed = [k for k in call.kwargs if KEY_NAMES.search(k)]
            if keyed and (call.name.endswith("_create") or _orm_dedupe(f, call, keyed[0])):
                line = call.node.start_point[0] + 1
                if not any(fd.line == line for fd in out):
                    out.append(f.finding("idempotency_key", call.node, ID, {"key": keyed[0], "window_ms": None},
                                         "medium"))
            continue
        if call.name == "set" and call.args and "nx" in call.kwargs and T.text(call.kwargs["nx"].node) == "True":
            key = _key_name(call.args[0].node) or call.args[0].text
            if any(fd.line == call.node.start_point[0] + 1 for fd in out):
                continue
            owner = f.enclosing_function(call.node)
            if owner is not None and owner.id in done:
                continue  # the store of a lookup-and-return dedupe already reported for this handler
            out.append(f.finding("idempotency_key", call.node, ID, {"key": key, "window_ms": _window(f, call)}, "medium"))
        elif call.name in ("get",) and call.args and (string_value(call.args[0].node) or "").lower() in HEADER_NAMES:
            out.append(f.finding("idempotency_key", call.node, ID, {"key": string_value(call.args[0].node),
                                                                     "window_ms": None}, "medium"))
            headers.append(out[-1])
    if f.has_any(b"idempotency"):
        for node, key in _header_subscripts(f):
            out.append(f.finding("idempotency_key", node, ID, {"key": key, "window_ms": None}, "medium"))
            headers.append(out[-1])
    return _name_handlers(f, _one_per_handler(f, out, headers))


def _name_handlers(f: PyFile, out: list) -> list:
    """Each finding names the function it dedupes in (``handler``): the operation a contract
    lists it under (``score_transaction`` matches a declared ``scoreTransaction``)."""
    named = []
    for fd in out:
        point = (fd.line - 1, max(fd.column - 1, 0))
        node = f.root.descendant_for_point_range(point, point)
        fn = f.enclosing_function(node) if node is not None else None
        name = fn.child_by_field_name("name") if fn is not None else None
        named.append(replace(fd, attributes={**fd.attributes, "handler": T.text(name)}) if name is not None else fd)
    return named


def _one_per_handler(f: PyFile, out: list, headers: list) -> list:
    """A handler that reads the Idempotency-Key header and also dedupes (a lock, a lookup) is one
    operation: one finding, at the header read, named by the header (what the client sends), with
    the window of the dedupe."""
    if not headers or len(out) < 2:
        return out

    def handler(fd):
        point = (fd.line - 1, max(fd.column - 1, 0))
        node = f.root.descendant_for_point_range(point, point)
        fn = f.enclosing_function(node) if node is not None else None
        return fn.id if fn is not None else None

    by_fn = {id(fd): handler(fd) for fd in out}
    drop: set[int] = set()
    merged = {}
    for h in headers:
        fn = by_fn[id(h)]
        if fn is None or id(h) in drop:
            continue
        others = [fd for fd in out if fd is not h and by_fn[id(fd)] == fn and id(fd) not in drop]
        if not others:
            continue
        window = h.attributes.get("window_ms")
        if window is None:
            window = next((fd.attributes["window_ms"] for fd in others if fd.attributes.get("window_ms") is not None),
                          None)
        merged[id(h)] = replace(h, attributes={**h.attributes, "window_ms": window})
        drop.update(id(fd) for fd in others)
    return [merged.get(id(fd), fd) for fd in out if id(fd) not in drop]
