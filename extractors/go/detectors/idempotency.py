"""Provider-side deduplication: a Go handler that answers a repeated request from what it stored.

What it does: reports ``idempotency_key`` where a function takes its key from the request -- a
header (``r.Header.Get("Idempotency-Key")``, gin's ``c.GetHeader(...)``) or a key-named field of a
parameter (``req.IdempotencyKey``, ``in.TransactionId``) -- looks it up in a map or store
(``if prev, ok := seen[key]; ok {``, ``if v, err := rdb.Get(ctx, key).Result(); err == nil {``,
``found, _ := store.Exists(ctx, key)`` then ``if found {``) and returns early from that branch.
``key`` is the header name, else the field's name; ``operation`` the route the handler is
registered under in the same file (``http.HandleFunc("/entries", PostEntry)``, gin's
``r.POST("/redeem", ...)``), ``handler`` its name; ``window_ms`` is the TTL of a store call with
the same key (``rdb.SetNX(ctx, key, v, 24*time.Hour)``), else null. A memo cache keyed by
something that does not come from the request (``cache[sku]`` of a computed ``sku``) is not a
dedupe and is not reported.

Why it matters: the provider dedupes by this key; callers must send the same key on every retry
of one operation, or each retry is processed again.

Example: ``key := r.Header.Get("Idempotency-Key")`` ... ``if prev, ok := seen[key]; ok { ...; return }``
-> idempotency_key key=Idempotency-Key.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.gofile import Draft, GoFile, descendants, node_text

ID = "go.idempotency"
# Header names and request fields that carry a dedupe key (a trace header never answers from a store).
KEY_WORDS = re.compile(r"idempot|dedup|transaction.?id|tx.?id|event.?id|message.?id|request.?id|nonce", re.I)
_HEADER_GETTERS = {"Get", "GetHeader", "Header", "Values"}
_LOOKUPS = re.compile(r"^(Get|Load|Exists|Has|Lookup|Fetch|Contains|Find\w*|Seen|IsMember|SIsMember|HGet|HExists|Peek)$")
_STORES = re.compile(r"^(Set|SetNX|SetEX|SetNx|Store|Put|Add|Save|Insert\w*|Create\w*|HSet|SAdd|Remember|Mark\w*)$")


def _header_key(gf: GoFile, call: ts.Node) -> str | None:
    """``r.Header.Get("Idempotency-Key")`` / ``c.GetHeader("X-Idempotency-Key")`` -> the header name."""
    fn = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if fn is None or fn.type != "selector_expression" or args is None or not args.named_children:
        return None
    if node_text(fn.child_by_field_name("field")) not in _HEADER_GETTERS:
        return None
    value = gf.string_value(args.named_children[0])
    return value[0] if value and KEY_WORDS.search(value[0]) else None


def _params(fn: ts.Node) -> set[str]:
    params = fn.child_by_field_name("parameters")
    out = set()
    for decl in params.named_children if params is not None else []:
        for child in decl.children_by_field_name("name"):
            out.add(node_text(child))
    return out


def _request_key(gf: GoFile, node: ts.Node, params: set[str]) -> str | None:
    """The key name when ``node`` reads a dedupe key from the request, else None."""
    node = _unwrap(node)
    if node.type == "call_expression":
        return _header_key(gf, node)
    if node.type == "selector_expression":
        operand, field = node.child_by_field_name("operand"), node_text(node.child_by_field_name("field"))
        root = operand
        while root is not None and root.type == "selector_expression":
            root = root.child_by_field_name("operand")
        if root is not None and root.type == "identifier" and node_text(root) in params and KEY_WORDS.search(field):
            return field
    return None


def _unwrap(node: ts.Node) -> ts.Node:
    while node.type in ("parenthesized_expression",) and node.named_children:
        node = node.named_children[0]
    return node


def _keys_of(gf: GoFile, fn: ts.Node, body: ts.Node) -> dict[str, str]:
    """Variables holding a request key in this function: variable -> key name."""
    params = _params(fn)
    keys: dict[str, str] = {}
    for node in descendants(body, skip_functions=True):
        if node.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
            continue
        left = node.child_by_field_name("left") or node.child_by_field_name("name")
        right = node.child_by_field_name("right") or node.child_by_field_name("value")
        if left is None or right is None:
            continue
        lefts = left.named_children if left.type == "expression_list" else [left]
        rights = right.named_children if right.type == "expression_list" else [right]
        if len(lefts) != len(rights):
            continue
        for l, r in zip(lefts, rights):
            key = _uses_key(gf, r, keys, params)
            if key is not None and l.type == "identifier":
                keys[node_text(l)] = key
    return keys


def _uses_key(gf: GoFile, node: ts.Node, keys: dict[str, str], params: set[str]) -> str | None:
    """The key name when ``node`` is a key variable, a request key read, or builds on one
    (``"entry:" + key``, ``fmt.Sprintf("entry:%s", key)``)."""
    node = _unwrap(node)
    if node.type == "identifier" and node_text(node) in keys:
        return keys[node_text(node)]
    direct = _request_key(gf, node, params)
    if direct is not None:
        return direct
    if node.type == "binary_expression":
        return _uses_key(gf, node.child_by_field_name("left"), keys, params) or \
            _uses_key(gf, node.child_by_field_name("right"), keys, params)
    if node.type == "call_expression" and node_text(node.child_by_field_name("function")) in ("fmt.Sprintf", "string"):
        args = node.child_by_field_name("arguments")
        for a in args.named_children if args is not None else []:
            found = _uses_key(gf, a, keys, params)
            if found:
                return found
    return None


def _lookup_key(gf: GoFile, node: ts.Node, keys, params) -> str | None:
    """``seen[key]`` or ``store.Get(ctx, key)`` (also at the head of ``.Result()`` chains)."""
    if node.type == "index_expression":
        return _uses_key(gf, node.child_by_field_name("index"), keys, params)
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "selector_expression" \
                and _LOOKUPS.match(node_text(fn.child_by_field_name("field"))):
            args = node.child_by_field_name("arguments")
            for a in args.named_children if args is not None else []:
                found = _uses_key(gf, a, keys, params)
                if found:
                    return found
    return None


def _returns(block: ts.Node | None) -> bool:
    return block is not None and any(n.type == "return_statement" for n in descendants(block, skip_functions=True))


def _assigned_names(node: ts.Node) -> set[str]:
    left = node.child_by_field_name("left")
    if left is None:
        return set()
    lefts = left.named_children if left.type == "expression_list" else [left]
    return {node_text(n) for n in lefts if n.type == "identifier" and node_text(n) != "_"}


def _guarded_lookup(gf: GoFile, body: ts.Node, keys, params) -> tuple[ts.Node, str] | None:
    """A lookup by the key whose result decides an ``if`` that returns (the answer from the store)."""
    for stmt in descendants(body, skip_functions=True):
        if stmt.type != "if_statement" or not _returns(stmt.child_by_field_name("consequence")):
            continue
        head = [c for c in (stmt.child_by_field_name("initializer"), stmt.child_by_field_name("condition")) if c]
        for part in head:
            for node in [part, *descendants(part, skip_functions=True)]:
                found = _lookup_key(gf, node, keys, params)
                if found:
                    return node, found
        # found, _ := store.Exists(ctx, key) ... if found { return }
        condition_names = {node_text(n) for part in head for n in [part, *descendants(part)] if n.type == "identifier"}
        prev = stmt.prev_named_sibling
        steps = 0
        while prev is not None and steps < 4:
            if prev.type in ("short_var_declaration", "assignment_statement") and _assigned_names(prev) & condition_names:
                right = prev.child_by_field_name("right")
                for node in [right, *descendants(right, skip_functions=True)] if right is not None else []:
                    found = _lookup_key(gf, node, keys, params)
                    if found:
                        return node, found
            prev, steps = prev.prev_named_sibling, steps + 1
    return None


def _window(gf: GoFile, body: ts.Node, keys, params) -> float | None:
    """The TTL of a store call by the same key (``rdb.SetNX(ctx, key, v, 24*time.Hour)``)."""
    for node in descendants(body, skip_functions=True):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "selector_expression" or not _STORES.match(node_text(fn.child_by_field_name("field"))):
            continue
        args = node.child_by_field_name("arguments")
        items = args.named_children if args is not None else []
        if not any(_uses_key(gf, a, keys, params) for a in items):
            continue
        for a in reversed(items):
            if "time." in node_text(a):
                return gf.duration(a).value
    return None


_ROUTERS = {"HandleFunc": None, "Handle": None, "GET": "GET", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH",
            "DELETE": "DELETE", "Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE"}


def _routes(gf: GoFile) -> tuple[dict[int, str], dict[str, str]]:
    """Routes registered in this file: func literal id -> route, handler name -> route
    (``http.HandleFunc("/entries", PostEntry)``, ``r.POST("/redeem", func(c *gin.Context) {..})``,
    Go 1.22 patterns ``mux.HandleFunc("POST /entries", ..)``)."""
    by_node: dict[int, str] = {}
    by_name: dict[str, str] = {}
    for call in gf.calls:
        if call.name not in _ROUTERS or len(call.args) < 2:
            continue
        path = gf.string_value(call.args[0])
        if not path or not (path[0].startswith("/") or " /" in path[0]):
            continue
        verb = _ROUTERS[call.name]
        route = f"{verb} {path[0]}" if verb else path[0]
        for arg in call.args[1:]:
            if arg.type == "func_literal":
                by_node[arg.id] = route
            elif arg.type in ("identifier", "selector_expression"):
                by_name[node_text(arg).rsplit(".", 1)[-1]] = route
    return by_node, by_name


@detector(
    ID, "go", ("idempotency_key",),
    valid=(
        'package p\nimport "net/http"\nvar cache = map[string]int{}\n'
        'func Price(w http.ResponseWriter, r *http.Request) {\n\tsku := normalise(r.URL.Path)\n'
        '\tif v, ok := cache[sku]; ok {\n\t\twrite(w, v)\n\t\treturn\n\t}\n}\n',
        'package p\nimport "net/http"\nfunc H(w http.ResponseWriter, r *http.Request) {\n'
        '\tid := r.Header.Get("X-Request-ID")\n\tlog.Printf("request %s", id)\n}\n',
    ),
    invalid=(
        'package p\nimport "net/http"\nvar seen = map[string]string{}\n'
        'func Post(w http.ResponseWriter, r *http.Request) {\n\tkey := r.Header.Get("Idempotency-Key")\n'
        '\tif prev, ok := seen[key]; ok {\n\t\tw.Write([]byte(prev))\n\t\treturn\n\t}\n\tseen[key] = "done"\n}\n',
    ),
)
def detect(gf: GoFile) -> list[Draft]:
    """Handlers that answer a repeated request key from a map or store."""
    drafts = []
    routes = None
    for fn in descendants(gf.tree.root_node):
        if fn.type not in ("function_declaration", "method_declaration", "func_literal"):
            continue
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        params = _params(fn)
        keys = _keys_of(gf, fn, body)
        found = _guarded_lookup(gf, body, keys, params)
        if found is None:
            continue
        node, key = found
        name = fn.child_by_field_name("name")
        handler = node_text(name) if name is not None else None
        if routes is None:
            routes = _routes(gf)
        operation = routes[0].get(fn.id) or (routes[1].get(handler) if handler else None)
        attributes = {"key": key, "window_ms": _window(gf, body, keys, params), "operation": operation,
                      "handler": handler}
        drafts.append(Draft(gf.finding("idempotency_key", node, ID, attributes, confidence="medium")))
    return drafts
