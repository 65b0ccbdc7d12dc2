"""A fresh request/transaction ID made inside a retry: one ID per attempt.

What it does: reports ``new_id_per_attempt`` where `crypto.randomUUID()`, `uuid.v4()` / `v4()` /
`uuidv4()`, `nanoid()`, `ulid()`, `cuid()` (or, with low confidence, a helper named like
`generateId()`) runs inside a retry loop body, a function handed to a retry library, an axios
request interceptor of a client with axios-retry, or the catch block of the seed's
try/catch-then-call-again, and the value is then sent (passed to a call, put in a request object).
An ID made once before the loop and reused is stable and is not reported.

Why it matters: the callee dedupes retries by that ID; a new one per attempt turns every retry
into a new transaction (scored twice, billed twice).

Example::

    catch (err) { const newTxId = crypto.randomUUID(); return await score(newTxId, cart); }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, CallInfo, FileContext, RetryScope, descendants,
                                           dotted, inside, js_detector, key_name, string_value)

ID = "javascript.fresh_id"
_KNOWN = {
    "crypto.randomUUID": "crypto.randomUUID", "crypto.webcrypto.randomUUID": "crypto.randomUUID",
    "window.crypto.randomUUID": "crypto.randomUUID", "globalThis.crypto.randomUUID": "crypto.randomUUID",
    "self.crypto.randomUUID": "crypto.randomUUID",
    "uuid.v4": "uuid.v4", "uuid.v1": "uuid.v1", "uuid.v7": "uuid.v7", "uuid.default.v4": "uuid.v4",
    "nanoid.nanoid": "nanoid", "nanoid": "nanoid", "ulid.ulid": "ulid", "ulid": "ulid", "cuid": "cuid",
    "@paralleldrive/cuid2.createId": "cuid2.createId", "short-uuid.generate": "short-uuid.generate",
    "crypto.randomBytes": "crypto.randomBytes",
}
_BARE = {"uuidv4": "uuid.v4", "uuid": "uuid.v4", "nanoid": "nanoid", "randomUUID": "crypto.randomUUID"}
_HELPER = re.compile(r"^(generate|gen|new|create|make)_?(request|req|tx|transaction|idempotency|correlation|"
                     r"trace|message|msg|event)?_?(id|uuid|key)$", re.I)


@js_detector(ID, ["new_id_per_attempt"],
          valid=['const id = crypto.randomUUID();\nfor (let attempt = 0; attempt < 3; attempt++) '
                 '{ try { return await post(id); } catch (e) {} }'],
          invalid=['for (let attempt = 0; attempt < 3; attempt++) { const id = crypto.randomUUID(); '
                   'try { return await post(id); } catch (e) {} }'])
def detect(ctx: FileContext) -> None:
    if not ctx.retry_scopes:
        return
    scopes = _with_called_functions(ctx, ctx.retry_scopes)
    for call in ctx.calls:
        generator, confidence = _generator(ctx, call)
        if generator is None:
            continue
        scope = _innermost(scopes, call.node)
        if scope is None:
            continue
        variable, sent = _destination(ctx, call, scope.node)
        if not sent:
            continue
        ctx.finding("new_id_per_attempt", call.node, ID,
                    {"generator": generator, "variable": variable, "retry_line": scope.retry_line},
                    confidence, scope.target, scope.pending)


def _generator(ctx: FileContext, call: CallInfo) -> tuple[str | None, str]:
    if call.is_new:
        return None, "high"
    qualified = call.qualified.replace("node:", "")
    if qualified in _KNOWN:
        if qualified in ("nanoid", "ulid", "cuid") and call.callee not in ctx.imports:
            return None, "high"
        return _KNOWN[qualified], "high"
    if call.callee in _BARE and call.callee not in ctx.imports:
        return _BARE[call.callee], "medium"
    if _HELPER.match(call.name):
        return call.callee, "low"
    return None, "high"


def _with_called_functions(ctx: FileContext, scopes: list[RetryScope]) -> list[RetryScope]:
    """Add the bodies of this file's functions called from a retry scope (two levels deep)."""
    result = list(scopes)
    frontier = list(scopes)
    seen = {(s.node.start_byte, s.node.end_byte) for s in scopes}
    for _ in range(2):
        nxt = []
        for scope in frontier:
            for call in ctx.calls_in(scope.node):
                fn = ctx.functions.get(call.name) if call.receiver in ("", "this") else None
                if fn is None or inside(fn, scope.node):
                    continue
                key = (fn.start_byte, fn.end_byte)
                if key in seen:
                    continue
                seen.add(key)
                extra = RetryScope(fn, scope.retry_line, scope.target, scope.pending)
                result.append(extra)
                nxt.append(extra)
        frontier = nxt
    return result


def _innermost(scopes: list[RetryScope], node: ts.Node) -> RetryScope | None:
    best = None
    for scope in scopes:
        if inside(node, scope.node) and (best is None or
                                         scope.node.end_byte - scope.node.start_byte <
                                         best.node.end_byte - best.node.start_byte):
            best = scope
    return best


def _destination(ctx: FileContext, call: CallInfo, scope: ts.Node) -> tuple[str | None, bool]:
    """(variable, sent): where the ID goes. Passed to a call, put into an object, template or
    property assignment that reaches a call, or bound to a name that a later call uses."""
    node = call.node
    key = None
    while True:
        parent = node.parent
        if parent is None:
            return None, False
        kind = parent.type
        if kind == "arguments":
            if key is None and parent.parent is not None and parent.parent.type == "call_expression":
                # `headers.set("X-Request-Id", uuid())`: the header names the value
                fn = parent.parent.child_by_field_name("function")
                args = parent.named_children
                if fn is not None and ts.text(fn).rsplit(".", 1)[-1] in ("set", "append", "setHeader", "header") \
                        and len(args) >= 2 and args[1] == node:
                    key = string_value(args[0])
            return key, True
        if kind == "pair":
            key = key or key_name(parent.child_by_field_name("key"))
        elif kind == "variable_declarator":
            name_node = parent.child_by_field_name("name")
            name = ts.text(name_node)
            return (key or name), _used_later(ctx, name, parent, scope)
        elif kind == "assignment_expression":
            left = parent.child_by_field_name("left")
            if left is not None and left.type in ("member_expression", "subscript_expression"):
                return key or dotted(left), True
            name = ts.text(left)
            return key or name, _used_later(ctx, name, parent, scope)
        elif kind == "return_statement":
            return key, True  # `function headers() { return { "X-Request-Id": uuid() } }`: handed to the caller
        elif kind in FUNCTION_TYPES or kind in ("statement_block", "expression_statement", "program"):
            return key, False
        node = parent


_LOGGING = re.compile(r"^(console|logger|log|this\.logger|this\.log|span|tracer)\b|\.(log|debug|info|warn|"
                      r"error|trace|setAttribute|addEvent)$")


def _used_later(ctx: FileContext, name: str, decl: ts.Node, scope: ts.Node) -> bool:
    for call in ctx.calls_in(scope):
        if call.node.start_byte < decl.end_byte or _LOGGING.search(call.callee):
            continue
        for arg in call.args:
            nodes = [arg, *descendants(arg)]
            if any(n.type in ("identifier", "shorthand_property_identifier") and ts.text(n) == name for n in nodes):
                return True
    # `{ headers: { "X-Request-Id": id } }` built first and passed later also counts via the object's name
    for node in descendants(scope):
        if node.start_byte < decl.end_byte:
            continue
        if node.type == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is not None and any(n.type in ("identifier", "shorthand_property_identifier")
                                         and ts.text(n) == name for n in [value, *descendants(value)]):
                other = node.child_by_field_name("name")
                if other is not None and other.type == "identifier" and ts.text(other) != name:
                    if _used_later(ctx, ts.text(other), node, scope):
                        return True
    return False
