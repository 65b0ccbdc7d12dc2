"""Provider-side deduplication in C#: a handler that answers a repeated request key from storage.

Round 21 (lead, polyglot18): C# had no provider-side detector. What it does: reports
``idempotency_key`` where a controller action or minimal-API handler takes a key from the request --
a ``[FromHeader(Name = "Idempotency-Key")]`` parameter (a key-named header, or a key-named parameter
under a bare ``[FromHeader]``), ``Request.Headers["Idempotency-Key"]`` or
``Request.Headers.TryGetValue("Idempotency-Key", out var key)`` -- looks it up with that key
(``_cache.GetStringAsync($"capture:{key}")``, ``db.Payments.AnyAsync(p => p.Key == key)``,
``FindAsync``/``FirstOrDefaultAsync``/``TryGetValue``/``StringGetAsync``/``KeyExistsAsync``) and has an
``if`` that returns. ``key`` is the header name, ``handler`` the method, ``operation`` the route
(``[HttpPost("...")]`` under the class's ``[Route("...")]``) when written, ``window_ms`` null. A header
that is only logged or forwarded, or a lookup keyed by something else, is not reported.

Why it matters: the provider dedupes by this key; a caller that makes a new key per retry gets the
operation performed twice.

Example: ``Capture([FromHeader(Name = "Idempotency-Key")] string key, ...) { var seen = await
_cache.GetStringAsync($"capture:{key}"); if (seen is not null) return Ok(seen); ... }`` -> idempotency_key
key=Idempotency-Key.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors import treesitter as ts
from extractors.csharp.context import CsFile, csharp_detector

ID = "csharp.idempotency"
KEY_WORDS = re.compile(r"idempot|dedup|transaction.?id|tx.?id|event.?id|message.?id|request.?id|nonce", re.I)
_LOOKUP = re.compile(r"^(Get\w*|Find\w*|Exists\w*|Any\w*|TryGetValue|Contains\w*|FirstOrDefault\w*|"
                     r"SingleOrDefault\w*|StringGet\w*|KeyExists\w*|Lookup\w*|Load\w*|Fetch\w*)$")
_VERBS = {"HttpPost": "POST", "HttpPut": "PUT", "HttpPatch": "PATCH", "HttpDelete": "DELETE", "HttpGet": "GET"}


def _string(node: ts.Node | None) -> str | None:
    if node is None or node.type not in ("string_literal", "verbatim_string_literal"):
        return None
    return ts.text(node).lstrip("@").strip('"')


def _attributes(node: ts.Node) -> list[ts.Node]:
    return [a for lst in node.named_children if lst.type == "attribute_list" for a in lst.named_children
            if a.type == "attribute"]


def _attr_name(attr: ts.Node) -> str:
    name = attr.child_by_field_name("name") or attr.named_children[0]
    return ts.text(name).rsplit(".", 1)[-1].removesuffix("Attribute")


def _attr_args(attr: ts.Node) -> tuple[list[ts.Node], dict[str, ts.Node]]:
    args = next((c for c in attr.named_children if c.type == "attribute_argument_list"), None)
    positional, named = [], {}
    for arg in args.named_children if args is not None else []:
        kids = arg.named_children
        if len(kids) == 1 and kids[0].type == "assignment_expression":
            left, right = kids[0].child_by_field_name("left"), kids[0].child_by_field_name("right")
            named[ts.text(left)] = right
        elif len(kids) == 2 and kids[0].type == "identifier":  # `Name = "x"` read as name + value
            named[ts.text(kids[0])] = kids[1]
        elif kids:
            positional.append(kids[-1])
    return positional, named


def _header_params(method: ts.Node) -> dict[str, tuple[str, ts.Node]]:
    """Parameter name -> (header, parameter node) for key-named `[FromHeader]` parameters."""
    params = method.child_by_field_name("parameters") or next(
        (c for c in method.named_children if c.type == "parameter_list"), None)
    out: dict[str, tuple[str, ts.Node]] = {}
    for param in params.named_children if params is not None else []:
        if param.type != "parameter":
            continue
        name_node = param.child_by_field_name("name")
        if name_node is None:
            continue
        for attr in _attributes(param):
            if _attr_name(attr) != "FromHeader":
                continue
            _, named = _attr_args(attr)
            header = _string(named.get("Name")) or ts.text(name_node)
            if KEY_WORDS.search(header):
                out[ts.text(name_node)] = (header, param)
    return out


def _header_reads(body: ts.Node) -> dict[str, tuple[str, ts.Node]]:
    """Locals read from a key-named request header: `var key = Request.Headers["Idempotency-Key"]`,
    `Request.Headers.TryGetValue("Idempotency-Key", out var key)`."""
    out: dict[str, tuple[str, ts.Node]] = {}
    for node in ts.walk(body):
        if node.type == "variable_declarator" and node.named_child_count >= 2:
            value = node.named_children[-1]
            if value.type == "element_access_expression" and ".Headers" in ts.text(value).split("[", 1)[0] + "." \
                    or value.type == "element_access_expression" and ts.text(value).startswith("Headers["):
                key = _string(next((c for c in ts.walk(value) if c.type in ("string_literal",)), None))
                if key and KEY_WORDS.search(key):
                    out[ts.text(node.named_children[0])] = (key, node)
        elif node.type == "invocation_expression":
            fn = node.child_by_field_name("function")
            if fn is None or not ts.text(fn).endswith("Headers.TryGetValue"):
                continue
            args = [a for a in (node.child_by_field_name("arguments") or node).named_children if a.type == "argument"]
            key = _string(args[0].named_children[0]) if args and args[0].named_children else None
            out_var = next((c for c in ts.walk(args[1]) if c.type == "identifier"), None) if len(args) > 1 else None
            if key and KEY_WORDS.search(key) and out_var is not None:
                # `out var key`: the declared name is the last identifier of the declaration
                names = [c for c in ts.walk(args[1]) if c.type == "identifier"]
                out[ts.text(names[-1])] = (key, node)
    return out


def _looked_up(body: ts.Node, name: str) -> ts.Node | None:
    """A lookup call keyed by ``name`` (the variable in its arguments), in a body with an `if` that returns."""
    word = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
    lookup = None
    for node in ts.walk(body):
        if node.type != "invocation_expression":
            continue
        fn = node.child_by_field_name("function")
        called = ts.text(fn.child_by_field_name("name") if fn is not None and fn.type == "member_access_expression"
                         else fn).split("<", 1)[0] if fn is not None else ""
        args = node.child_by_field_name("arguments")
        if _LOOKUP.match(called) and args is not None and word.search(ts.text(args)):
            lookup = node
            break
    if lookup is None:
        return None
    returns = any(n.type == "if_statement" and any(c.type == "return_statement" for c in ts.walk(n))
                  for n in ts.walk(body))
    return lookup if returns else None


def _operation(method: ts.Node) -> str | None:
    verb, path = None, None
    for attr in _attributes(method):
        name = _attr_name(attr)
        if name in _VERBS:
            verb = _VERBS[name]
            positional, named = _attr_args(attr)
            path = _string(positional[0]) if positional else _string(named.get("template"))
    if verb is None:
        return None
    cls = method.parent.parent if method.parent is not None else None
    prefix = ""
    if cls is not None and cls.type in ("class_declaration", "record_declaration"):
        for attr in _attributes(cls):
            if _attr_name(attr) == "Route":
                positional, _ = _attr_args(attr)
                prefix = (_string(positional[0]) or "") if positional else ""
    route = "/".join(p.strip("/") for p in (prefix, path or "") if p and p.strip("/"))
    return f"{verb} /{route}" if route else verb


@csharp_detector(ID, ("idempotency_key",),
                 valid=('class C { public IActionResult Get([FromHeader(Name = "X-Request-ID")] string id) '
                        '{ _log.LogInformation(id); return Ok(); } }\n',
                        'class C { public async Task<IActionResult> P(string sku) { var v = await _cache.GetStringAsync(sku); '
                        'if (v != null) { return Ok(v); } return Ok(); } }\n'),
                 invalid=('class C { public async Task<IActionResult> Capture([FromHeader(Name = "Idempotency-Key")] string key) '
                          '{ var seen = await _cache.GetStringAsync($"c:{key}"); if (seen != null) { return Ok(seen); } '
                          'return Ok(); } }\n',))
def detect(f: CsFile) -> Iterable[Finding]:
    if not KEY_WORDS.search(f.data.decode("utf-8", "replace")):
        return
    for method in ts.walk(f.root):
        if method.type not in ("method_declaration", "local_function_statement", "lambda_expression"):
            continue
        body = method.child_by_field_name("body")
        if body is None:
            continue
        keys = _header_params(method)
        for name, read in _header_reads(body).items():
            keys.setdefault(name, read)
        for name, (header, at) in keys.items():
            if _looked_up(body, name) is None:
                continue
            handler = method.child_by_field_name("name")
            yield f.finding("idempotency_key", at, ID, {
                "key": header, "window_ms": None,
                "operation": _operation(method) if method.type == "method_declaration" else None,
                "handler": ts.text(handler) if handler is not None else None}, "medium")
            break
