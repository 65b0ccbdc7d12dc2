"""idempotency_key: a handler that dedupes requests by a key.

What it does: reports a function that looks a request key up (`if cache.exists(k)`,
`if (hit := cache.get(k)) is not None`, `if k in seen`, `if redis.get(k)`) and returns the
stored result, and stores by the same key later (`cache.set(k, ...)`, `setex(k, ttl, ...)`,
`seen[k] = ...`); Django `Model.objects.get_or_create(idempotency_key=k)` and `filter(key=k).first()`
followed by an early return and `create(key=k, ...)`; also `set(k, v, nx=True, ex=...)` locks and reading an
`Idempotency-Key` header. `key` is the key's variable name (the first name inside an
f-string key), `window_ms` comes from `ex=`/`px=`/`ttl=`/`timeout=` or setex's TTL, else null.
Why it matters: callers must retry with the same key inside the window, or the dedupe is void.
Example: `if cache.exists(tx_id): return cache.get(tx_id)` ... `cache.set(tx_id, score, ex=300)`.
"""

from __future__ import annotations

import re

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


def _lookup_key(f: PyFile, cond) -> tuple[str | None, str | None]:
    """(key text, store receiver) of an if-condition that looks a key up."""
    cond = unwrap(cond)
    if cond is None:
        return None, None
    for node in T.walk(cond):
        if node.type == "call":
            c = f.call_of(node)
            if c is not None and c.name in LOOKUPS and c.receiver and c.args:
                return T.text(c.args[0].node), c.receiver
        if node.type == "comparison_operator" and any(T.text(x) == "in" for x in node.children if not x.is_named):
            kids = node.named_children
            if len(kids) == 2:
                return T.text(kids[0]), T.text(kids[1])
        if node.type == "named_expression":
            value = node.child_by_field_name("value")
            c = f.call_of(value)
            if c is not None and c.name in LOOKUPS and c.receiver and c.args:
                return T.text(c.args[0].node), c.receiver
    if cond.type == "identifier" and T.text(cond) in _lookup_bound(f):
        found = f.binding(T.text(cond), cond)
        c = f.call_of(found[0]) if found else None
        if c is not None and c.name in LOOKUPS and c.receiver and c.args:
            return T.text(c.args[0].node), c.receiver
    return None, None


def unwrap_text_node(f: PyFile, key_text: str, at):
    """The lookup's key node (found again by text inside the if-condition)."""
    for n in T.walk(at.child_by_field_name("condition")):
        if T.text(n) == key_text:
            return n
    return None


def _returns_stored(f: PyFile, consequence, receiver: str, if_node) -> bool:
    """The early return hands back the stored result: it reads the store, or a name bound by the lookup."""
    bound = set()
    cond = if_node.child_by_field_name("condition")
    for n in T.walk(cond):
        if n.type == "named_expression":
            bound.add(T.text(n.child_by_field_name("name")))
    if cond is not None and unwrap(cond) is not None and unwrap(cond).type == "identifier":
        bound.add(T.text(unwrap(cond)))
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
    """``existing = Model.objects.filter(idempotency_key=k).first(); if existing: return existing`` and a
    later ``Model.objects.create(idempotency_key=k, ...)`` in the same function."""
    fn = f.enclosing_function(lookup.node)
    if fn is None:
        return False
    stmt = lookup.node
    while stmt.parent is not None and stmt.parent.type not in ("block", "module"):
        stmt = stmt.parent
    returns_early = False
    for node in f.ifs:
        if f.enclosing_function(node) != fn or node.start_byte < stmt.start_byte:
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is not None and any(n.type == "return_statement" for n in T.walk(consequence)):
            returns_early = True
            break
    if not returns_early:
        return False
    return any(c.name in ("create", "save", "bulk_create") and keyword in c.kwargs and c.node.start_byte > stmt.end_byte
               and fn.start_byte <= c.node.start_byte < fn.end_byte for c in f.calls)


@detector(ID, "python", ("idempotency_key",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    done: set[int] = set()
    for node in f.ifs:
        fn = f.enclosing_function(node)
        if fn is None or fn.id in done:
            continue
        if True:
            key_text, receiver = _lookup_key(f, node.child_by_field_name("condition"))
            if not key_text:
                continue
            if string_value(unwrap_text_node(f, key_text, node)) is not None:
                continue  # a constant key is a cache, not a per-request dedupe
            consequence = node.child_by_field_name("consequence")
            if consequence is None or not _returns_stored(f, consequence, receiver, node):
                continue
            store = None
            for c in f.calls:
                if not (node.end_byte <= c.node.start_byte < fn.end_byte) or not c.args:
                    continue
                if c.name in STORES and c.receiver == receiver and T.text(c.args[0].node) == key_text and (
                        len(c.args) > 1 or "value" in c.kwargs):
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
            key = key or key_text
            fn_name = T.text(fn.child_by_field_name("name"))
            if not (REQUESTISH.search(key_text) or REQUESTISH.search(fn_name)):
                continue  # a memo cache (auth lookups, provider registries), not a dedupe of requests
            window = _window(f, store) if hasattr(store, "kwargs") else None
            out.append(f.finding("idempotency_key", node, ID, {"key": key, "window_ms": window}, "medium"))
            done.add(fn.id)
    # an ORM lookup (``.objects``), a set-if-absent (``nx=``) or an Idempotency-Key header read
    orm = f.has_any(b"objects") and f.has_any(b"key", b"idempoten", b"request_id", b"dedup", b"transaction_id",
                                               b"tx_id", b"event_id", b"message_id")  # KEY_NAMES
    for call in f.calls if orm or f.has_any(b"nx", b"idempotency") else ():
        if call.name in ("get_or_create", "update_or_create", "filter", "get") and ".objects" in call.callee:
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
            out.append(f.finding("idempotency_key", call.node, ID, {"key": key, "window_ms": _window(f, call)}, "medium"))
        elif call.name in ("get",) and call.args and (string_value(call.args[0].node) or "").lower() in (
                "idempotency-key", "idempotency_key", "x-idempotency-key", "http_idempotency_key"):
            out.append(f.finding("idempotency_key", call.node, ID, {"key": string_value(call.args[0].node),
                                                                     "window_ms": None}, "medium"))
    return out
