"""Idempotency in a request handler: look a request key up, and store the result under it.

What it does: reports ``idempotency_key`` where an Express/Koa/Nest handler calls
`store.get(key)` / `has` / `exists` and later `store.set(key, ...)` (or `setex`) on the same store
with the same key, the key coming from the request. ``window_ms`` comes from a Redis `EX`/`PX`
argument or `setex` seconds when present.

Why it matters: the provider dedupes by this key; callers must keep it stable across retries.

Example::

    const cached = await redis.get(`score:${req.body.transactionId}`);
    ...
    await redis.set(`score:${req.body.transactionId}`, JSON.stringify(score), "EX", 300);
"""

from __future__ import annotations

import re

from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.javascript.context import (FileContext, enclosing_function, js_detector, number_value,
                                           object_props, string_value, unwrap)

ID = "javascript.idempotency"
_LOOKUPS = {"get", "has", "exists", "hget", "getItem"}
_STORES = {"set", "setex", "psetex", "setItem", "hset", "setnx"}
_NOT_STORES = re.compile(r"(^|\.)(cookies|session|headers|query|params|searchParams|res|req|ctx|response|request|"
                         r"url|map|seen|visited|state|props|config|options|env)$", re.I)
_REQUEST = re.compile(r"\b(req|request|ctx\.request|body|headers|dto|payload|params)\b")


@js_detector(ID, ["idempotency_key"],
          valid=['app.get("/x", (req, res) => { const v = cache.get("config"); res.send(v); });'],
          invalid=['app.post("/score", async (req, res) => { const k = req.body.transactionId;\n'
                   'if (await cache.has(k)) return res.json(await cache.get(k));\n'
                   'await cache.set(k, 1); });'])
def detect(ctx: FileContext) -> None:
    reported: set[int] = set()
    for lookup in ctx.calls:
        if lookup.name not in _LOOKUPS or not lookup.receiver or not lookup.args \
                or _NOT_STORES.search(lookup.receiver):
            continue
        fn = enclosing_function(lookup.node)
        if fn is None or fn.start_byte in reported or not _is_handler(fn):
            continue
        key_text = _norm(ts.text(lookup.arg(0)))
        for store in ctx.calls_in(fn):
            if store.name not in _STORES or store.receiver != lookup.receiver or not store.args:
                continue
            if store.node.start_byte <= lookup.node.start_byte or enclosing_function(store.node) != fn:
                continue
            if _norm(ts.text(store.arg(0))) != key_text:
                continue
            key = _key_name(ctx, lookup.arg(0), fn)
            if key is None:
                continue
            reported.add(fn.start_byte)
            ctx.finding("idempotency_key", lookup.node, ID,
                        {"key": key, "window_ms": normalise_ms(_window_ms(store)), "store": lookup.receiver},
                        "medium")
            break


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_handler(fn: ts.Node) -> bool:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    text = ts.text(params) if params is not None else ""
    if re.search(r"\b(req|request|ctx)\b", text):
        return True
    decorated = fn.prev_named_sibling
    return decorated is not None and decorated.type == "decorator" and \
        re.match(r"@(Post|Put|Patch|Get|Delete|MessagePattern|EventPattern)\b", ts.text(decorated)) is not None


def _key_name(ctx: FileContext, node: ts.Node, fn: ts.Node, depth: int = 0) -> str | None:
    """The request field the key is built from (`transactionId`, `idempotency-key`), or None."""
    node = unwrap(node)
    if node is None or depth > 3:
        return None
    raw = ts.text(node)
    if node.type == "identifier":
        value = ctx.local_value(raw, node)
        if value is not None:
            return _key_name(ctx, value, fn, depth + 1)
        params = fn.child_by_field_name("parameters")
        return raw if params is not None and re.search(rf"\b{re.escape(raw)}\b", ts.text(params)) else None
    if node.type == "template_string":
        for sub in node.named_children:
            if sub.type == "template_substitution" and sub.named_children:
                found = _key_name(ctx, sub.named_children[0], fn, depth + 1)
                if found:
                    return found
        return None
    if node.type == "binary_expression":
        for side in ("right", "left"):
            found = _key_name(ctx, node.child_by_field_name(side), fn, depth + 1)
            if found:
                return found
        return None
    if node.type in ("member_expression", "subscript_expression", "call_expression"):
        if not _REQUEST.search(raw):
            return None
        if node.type == "subscript_expression":
            return string_value(node.child_by_field_name("index")) or raw
        if node.type == "call_expression":  # req.get("Idempotency-Key"), req.header("x")
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            return string_value(first) or raw
        return ts.text(node.child_by_field_name("property"))
    return None


def _window_ms(store) -> float | None:
    args = store.args
    if store.name == "setex" and len(args) >= 2:
        value = number_value(args[1])
        return value * 1000 if value is not None else None
    if store.name == "psetex" and len(args) >= 2:
        return number_value(args[1])
    for i, arg in enumerate(args):
        flag = (string_value(arg) or "").upper()
        if flag in ("EX", "PX") and i + 1 < len(args):
            value = number_value(args[i + 1])
            if value is not None:
                return value * (1000 if flag == "EX" else 1)
        props = object_props(arg)
        if props:
            for key, scale in (("EX", 1000), ("PX", 1), ("ttl", 1)):
                if key in props and number_value(props[key]) is not None:
                    return number_value(props[key]) * scale
    return None
