"""Provider-side deduplication in Java: a handler that answers a repeated request key from storage.

What it does: reports ``idempotency_key`` where a method takes a key from the request -- a
``@RequestHeader("Idempotency-Key")`` parameter, ``request.getHeader(...)`` /
``headers.getFirst(...)`` of a key-named header, or a key-named accessor of a parameter
(``req.idempotencyKey()``, ``cmd.getTransactionId()``) -- looks it up
(``charges.findByIdempotencyKey(key)``, ``existsBy...``, ``cache.get(key)``, ``redis.opsForValue().get(key)``)
and answers from that lookup: an ``if`` on its result (``existing.isPresent()``, ``!= null``, the
call itself) that returns, or ``return repo.findBy..(key).map(..).orElseGet(..)``. ``key`` is the
header name, else the parameter/accessor name; ``operation`` the route of the handler's mapping
(``POST /charges``, class ``@RequestMapping`` prefix included), ``handler`` the method; ``window_ms`` is the TTL
(a literal, or a name declared ``Duration``) of a store call with the same key
(``ops.setIfAbsent(key, v, Duration.ofHours(24))``, ``store.save(key, body, KEY_RETENTION)``), else null. A memo
cache keyed by a value the method computes (``cache.get(sku)``) is not a dedupe and is not reported.

Why it matters: the provider dedupes by this key; a caller that makes a new key per retry gets
the operation performed twice.

Example: ``create(@RequestHeader("Idempotency-Key") String key, ...) { Optional<Charge> existing =
charges.findByIdempotencyKey(key); if (existing.isPresent()) return ok(existing.get()); ...}``
-> idempotency_key key=Idempotency-Key.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented, settle
from extractors.java.syntax import (JavaFile, annotation_args, annotation_name, arguments, duration_of, string_of,
                                    unit_of, expr_of)

ID = "java.idempotency"
KEY_WORDS = re.compile(r"idempot|dedup|transaction.?id|tx.?id|event.?id|message.?id|request.?id|nonce", re.I)
_LOOKUP = re.compile(r"^(find\w*|get|getIfPresent|exists\w*|contains\w*|hasKey|load|lookup|fetch|read\w*|isMember)$")
_STORE = re.compile(r"^(set|setIfAbsent|put|putIfAbsent|save\w*|insert\w*|store|add|remember)$")
_HEADER_GETTERS = ("getHeader", "getFirst", "header", "getHeaderString")
_HEADER_ANNOTATIONS = frozenset({"RequestHeader", "Header", "HeaderParam"})


def _header_param(param: ts.Node) -> str | None:
    mods = next((c for c in param.children if c.type == "modifiers"), None)
    for ann in mods.named_children if mods is not None else []:
        # Spring's @RequestHeader, Micronaut's @Header, JAX-RS's @HeaderParam (round 20, polyglot17)
        if ann.type in ("annotation", "marker_annotation") and annotation_name(ann) in _HEADER_ANNOTATIONS:
            args = annotation_args(ann)
            name = string_of(args.get("value") or args.get("name"))
            if name and KEY_WORDS.search(name):
                return name
    return None


def _params(method: ts.Node) -> dict[str, str | None]:
    """Parameter name -> the header it is bound to (None for other parameters)."""
    params = method.child_by_field_name("parameters")
    out: dict[str, str | None] = {}
    for p in params.named_children if params is not None else []:
        if p.type == "formal_parameter":
            out[ts.text(p.child_by_field_name("name"))] = _header_param(p)
    return out


def _request_key(node: ts.Node, params: dict[str, str | None], keys: dict[str, str]) -> str | None:
    """The key name when ``node`` is (or builds on) a request key."""
    t = node.type
    if t == "identifier":
        name = ts.text(node)
        if name in keys:
            return keys[name]
        if params.get(name):
            return params[name]
        return None
    if t == "parenthesized_expression" and node.named_children:
        return _request_key(node.named_children[0], params, keys)
    if t == "binary_expression":
        return _request_key(node.child_by_field_name("left"), params, keys) or \
            _request_key(node.child_by_field_name("right"), params, keys)
    if t == "method_invocation":
        name = ts.text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        args = arguments(node)
        if name in _HEADER_GETTERS and args:
            header = string_of(args[0])
            return header if header and KEY_WORDS.search(header) else None
        if obj is not None and obj.type == "identifier" and ts.text(obj) in params and not args \
                and KEY_WORDS.search(name):
            return re.sub(r"^get(?=[A-Z])", "", name)[:1].lower() + re.sub(r"^get(?=[A-Z])", "", name)[1:]
        if name in ("format", "formatted", "concat", "toString", "trim"):
            for a in ([obj] if obj is not None else []) + args:
                found = _request_key(a, params, keys)
                if found:
                    return found
    return None


def _keys(method: ts.Node, params) -> dict[str, str]:
    """Locals holding a request key: variable -> key name."""
    keys: dict[str, str] = {}
    for node in ts.walk(method):
        if node.type == "variable_declarator" and node.child_by_field_name("value") is not None:
            found = _request_key(node.child_by_field_name("value"), params, keys)
            if found:
                keys[ts.text(node.child_by_field_name("name"))] = found
    return keys


def _is_lookup(node: ts.Node, params, keys) -> str | None:
    if node.type != "method_invocation" or not _LOOKUP.match(ts.text(node.child_by_field_name("name"))):
        return None
    if node.child_by_field_name("object") is None:
        return None
    for a in arguments(node):
        found = _request_key(a, params, keys)
        if found:
            return found
    return None


def _returns(node: ts.Node | None) -> bool:
    return node is not None and (node.type == "return_statement"
                                 or any(n.type == "return_statement" for n in ts.walk(node)))


def _guarded(node: ts.Node, method: ts.Node) -> bool:
    """Does the method answer from this lookup? An if on it (or on the variable it fills) that
    returns, or a return of an Optional chain built on it."""
    current = node
    for parent in ts.ancestors(node):
        if parent.type == "if_statement" and jf_within(current, parent.child_by_field_name("condition")):
            return _returns(parent.child_by_field_name("consequence"))
        if parent.type == "return_statement":
            return any(ts.text(n.child_by_field_name("name")) in ("map", "orElseGet", "orElse", "orElseThrow")
                       for n in ts.walk(parent) if n.type == "method_invocation")
        if parent.type == "variable_declarator":
            variable = ts.text(parent.child_by_field_name("name"))
            return _variable_guards(variable, parent, method)
        if parent.type in ("expression_statement", "block", "method_declaration", "lambda_expression"):
            return False
        current = parent
    return False


def jf_within(node: ts.Node, scope: ts.Node | None) -> bool:
    return scope is not None and scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte


def _variable_guards(variable: str, declarator: ts.Node, method: ts.Node) -> bool:
    for stmt in ts.walk(method):
        if stmt.type != "if_statement" or stmt.start_byte < declarator.end_byte:
            continue
        condition = stmt.child_by_field_name("condition")
        if condition is not None and any(n.type == "identifier" and ts.text(n) == variable for n in ts.walk(condition)) \
                and _returns(stmt.child_by_field_name("consequence")):
            return True
    return False


def _window(method: ts.Node, params, keys) -> float | None:
    for node in ts.walk(method):
        if node.type != "method_invocation" or not _STORE.match(ts.text(node.child_by_field_name("name"))):
            continue
        args = arguments(node)
        if not args or not any(_request_key(a, params, keys) for a in args):
            continue
        for i, a in enumerate(args):
            duration = duration_of(a)
            if duration is None and i + 1 < len(args) and unit_of(args[i + 1]) is not None:
                duration = (expr_of(a), unit_of(args[i + 1]))
            if duration is None and a.type in ("identifier", "field_access") and _is_duration_name(a):
                duration = (expr_of(a), 1.0)  # `save(key, body, KEY_RETENTION)`: a Duration constant, kept in ms
            if duration is not None:
                return settle(duration[0], duration[1])[0]
    return None


def _is_duration_name(node: ts.Node) -> bool:
    """A name declared as a ``Duration`` (a constant or field of the file, a local or parameter of the method)."""
    name = ts.text(node).rsplit(".", 1)[-1]
    root = node
    while root.parent is not None:
        root = root.parent
    for n in ts.walk(root):
        if n.type in ("field_declaration", "local_variable_declaration") and \
                ts.text(n.child_by_field_name("type")).rsplit(".", 1)[-1] == "Duration" and \
                any(d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                    for d in n.named_children):
            return True
    return False


_MAPPINGS = {"PostMapping": "POST", "PutMapping": "PUT", "PatchMapping": "PATCH", "DeleteMapping": "DELETE",
             "GetMapping": "GET", "RequestMapping": None}


def _mapping(node: ts.Node) -> tuple[str | None, str] | None:
    """(verb, path) of a Spring mapping annotation on a method or class."""
    mods = next((c for c in node.children if c.type == "modifiers"), None)
    for ann in mods.named_children if mods is not None else []:
        if ann.type in ("annotation", "marker_annotation") and annotation_name(ann) in _MAPPINGS:
            args = annotation_args(ann) if ann.type == "annotation" else {}
            path = string_of(args.get("value") or args.get("path")) or ""
            return _MAPPINGS[annotation_name(ann)], path
    return None


def _operation(method: ts.Node) -> str | None:
    """``POST /billing/charges`` from ``@PostMapping("/charges")`` under ``@RequestMapping("/billing")``."""
    mapping = _mapping(method)
    if mapping is None:
        return None
    verb, path = mapping
    cls = next((a for a in ts.ancestors(method) if a.type == "class_declaration"), None)
    prefix = _mapping(cls) if cls is not None else None
    full = "/" + "/".join(p.strip("/") for p in ((prefix[1] if prefix else ""), path) if p.strip("/"))
    return f"{verb} {full}" if verb else full


@detector(ID, "java", ["idempotency_key"],
          valid=['@GetMapping("/price") int price(@RequestParam String sku) { String k = sku.trim(); '
                 'Integer v = cache.get(k); if (v != null) { return v; } return compute(k); }',
                 'void log(@RequestHeader("X-Request-Id") String id) { log.info("request {}", id); }'],
          invalid=['@PostMapping("/charges") Charge create(@RequestHeader("Idempotency-Key") String key, '
                   '@RequestBody Req req) { Optional<Charge> old = charges.findByIdempotencyKey(key); '
                   'if (old.isPresent()) { return old.get(); } return charges.save(new Charge(key, req)); }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for method in ts.walk(jf.tree.root_node):
        if method.type != "method_declaration":
            continue
        params = _params(method)
        keys = _keys(method, params)
        if not keys and not params:
            continue
        for node in ts.walk(method):
            key = _is_lookup(node, params, keys)
            if key is None or not _guarded(node, method):
                continue
            name = node.child_by_field_name("name")
            line, col, _, _ = ts.location(name)
            _, _, end_line, end_col = ts.location(node)
            jf.sink.add("idempotency_key", (line, col, end_line, end_col), ID,
                        {"key": key, "window_ms": _window(method, params, keys),
                         "operation": _operation(method), "handler": ts.text(method.child_by_field_name("name"))},
                        jf.evidence(name), "medium")
            break
