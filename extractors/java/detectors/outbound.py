"""Outbound HTTP calls from Java and where they go.

What it does: reports RestTemplate calls (``postForObject("http://risk:8080/score", ...)``,
``exchange(url, HttpMethod.POST, ...)``), WebClient/RestClient ``baseUrl``/``uri``, ``@FeignClient``
interfaces (``name`` is the logical service, ``url`` often a ``${property}``), ``java.net.http``
requests and OkHttp ``Request.Builder().url(...)``; a literal URL becomes the target, anything
else a pending URL expression the pipeline resolves.

Why it matters: every other setting (timeout, retry, idempotency) is only checkable once we
know which service it applies to.

Example: ``restTemplate.postForObject("http://risk:8080/score", req, Score.class)``
-> outbound_call POST http://risk:8080/score.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending, Target
from contract_discovery.values import BinOp, Expr, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.jvm import http_method_from_name, spring_placeholder, url_target
from extractors.java.syntax import (JavaFile, annotation_args, arguments, chain, chain_top, enclosing, expr_of, local_initializer,
                                    name_location, string_of)

ID = "java.outbound"
_REST_TEMPLATE = {"getForObject", "getForEntity", "postForObject", "postForEntity", "postForLocation",
                  "put", "patchForObject", "delete", "exchange", "headForHeaders", "optionsForAllow"}
_VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}
_OUTBOUND_NAMES = _REST_TEMPLATE | {"uri", "newBuilder", "url", "baseUrl"}


def _url_arg(node: ts.Node) -> ts.Node:
    """Unwrap ``URI.create(x)`` / ``new URI(x)``."""
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) == "create" and arguments(node):
        return arguments(node)[0]
    if node.type == "object_creation_expression" and ts.text(node.child_by_field_name("type")) == "URI" and arguments(node):
        return arguments(node)[0]
    return node


def url_expr(node: ts.Node) -> Expr:
    expr = expr_of(_url_arg(node))
    if isinstance(expr, Str) and expr.value.startswith("${"):
        return spring_placeholder(expr.value) or expr
    return expr


def outbound_of(jf: JavaFile, site) -> tuple[str | None, ts.Node | None, str] | None:
    """(HTTP method, URL argument node, client library) when the call site is an outbound call."""
    node = site.node
    if site.kind == "new":
        verb = _APACHE_REQUESTS.get(site.name.removeprefix("new ").strip().rsplit(".", 1)[-1])
        args = arguments(node)
        if verb and args and args[0].type not in ("null_literal",):
            return verb, args[0], "apache-httpclient"  # `new HttpPost(base + "/v1/orders")`
        return None
    if site.kind != "call" or site.name not in _OUTBOUND_NAMES:
        return None  # every branch below needs one of these method names
    args = arguments(node)
    receiver = ts.text(node.child_by_field_name("object"))
    low = receiver.lower()
    root_name = _root_name(node)
    if root_name and site.name in _REST_TEMPLATE and "rest" not in low and "template" not in low:
        kind = declared_type(jf, root_name, node) or ""
        if kind.endswith(("RestTemplate", "RestOperations")):  # RestTemplate inventory; inventory.getForObject(..)
            low = f"{low} resttemplate"
    if site.name in _REST_TEMPLATE and args and ("rest" in low or "template" in low):
        method = http_method_from_name(site.name)
        if site.name == "exchange" and len(args) > 1:
            verb = ts.text(args[1]).rsplit(".", 1)[-1]
            method = verb if verb in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") else None
        return method, args[0], "spring-web"
    if site.name == "uri" and args:
        items = chain(node)
        names = [ts.text(i.child_by_field_name("name")) for i in items if i.type == "method_invocation"]
        root = ts.text(items[0]).lower()
        root_name = _root_name(node)
        kind = declared_type(jf, root_name, node) if root_name else None
        if kind in ("WebClient", "RestClient"):
            root = f"{root} {kind.lower()}"
        verb = next((n for n in names if n in _VERBS), None)
        if "webclient" in root or "restclient" in root or "client" in root and verb:
            return (verb.upper() if verb else None), args[0], "webclient" if "web" in root else "restclient"
        if "httprequest" in root or "newbuilder" in " ".join(names).lower():
            verb = next((n for n in names if n.upper() in ("GET", "POST", "PUT", "DELETE")), None)
            return (verb.upper() if verb else None), args[0], "java.net.http"
    if site.name == "newBuilder" and args and ts.text(node.child_by_field_name("object")) == "HttpRequest":
        names = [ts.text(p.child_by_field_name("name")) for p in _parents_in_chain(node)]
        verb = next((n for n in names if n.upper() in ("GET", "POST", "PUT", "DELETE")), None)
        return (verb.upper() if verb else None), args[0], "java.net.http"
    if site.name == "url" and args and "Request.Builder" in ts.text(chain(node)[0]):
        return None, args[0], "okhttp"
    if site.name == "baseUrl" and args:
        return None, args[0], "webclient" if "web" in ts.text(chain(node)[0]).lower() else "restclient"
    return None


# Apache HttpClient (4 and 5 classic) request classes -> their method.
_APACHE_REQUESTS = {"HttpGet": "GET", "HttpPost": "POST", "HttpPut": "PUT", "HttpPatch": "PATCH",
                    "HttpDelete": "DELETE", "HttpHead": "HEAD"}


def _parents_in_chain(node: ts.Node) -> list[ts.Node]:
    out = []
    current = node
    while current.parent is not None and current.parent.type == "method_invocation" \
            and current.parent.child_by_field_name("object") == current:
        current = current.parent
        out.append(current)
    return out


def target_within(jf: JavaFile, scope: ts.Node) -> tuple[Target | None, tuple[Pending, ...]]:
    """The first outbound call's target inside a method or lambda (for retries and timeouts set there).

    A call with a relative path (``rest.get().uri("/levels/{sku}")``) goes where its client does:
    the ``baseUrl`` its field/variable was built with. With no outbound call in the scope, a call on
    an injected client of another file's type named like one (``ledger.balance(a)`` on a
    ``LedgerClient`` field; ``...Client/Api/Feign/Gateway/Proxy``)
    points at the URL that type publishes (``LedgerClient.$url``, from its ``@FeignClient``)."""
    relative = None
    for site, found in outbound_sites(jf):
        if found[1] is not None and jf.within(site.node, scope):
            target = site_target(jf, site, found)
            if target[0] is not None or target[1]:
                if not _is_relative(target):
                    return target
            relative = relative or target
    if relative is not None:
        return relative
    for site in jf.calls:
        if not jf.within(site.node, scope):
            continue
        root = _root_name(site.node)
        kind = declared_type(jf, root, site.node) if root else None
        if kind and _CLIENT_TYPE.search(kind) and "." not in kind:
            return None, (Pending("url", Ref(f"{kind}.$url"), None),)
    return None, ()


# Types whose instances are remote clients by their name (a Feign interface is ``LedgerClient``,
# ``StockApi``); calls on a ``FooService`` or ``FooRepository`` field are local.
_CLIENT_TYPE = re.compile(r"^[A-Z]\w*(Client|Api|Feign|Gateway|Proxy)$")


def _is_relative(target) -> bool:
    """A path without a host (``"/levels/x"``, ``"/entries/" + id``): where it goes is its client's."""
    t, pending = target
    if t is not None and t.url is not None and not pending:
        return not t.service and "://" not in t.url
    for p in pending:
        expr = p.expr
        while isinstance(expr, BinOp):
            expr = expr.left
        if p.attribute == "url" and isinstance(expr, Str) and expr.value.startswith("/"):
            return True
    return False


def _root_name(node: ts.Node) -> str | None:
    """The variable a call chain starts from: ``rest`` for ``this.rest.get().uri(..)``."""
    root = chain(node)[0]
    if root.type == "field_access" and ts.text(root.child_by_field_name("object")) == "this":
        root = root.child_by_field_name("field")
    return ts.text(root) if root is not None and root.type == "identifier" else None


def _declarations(jf: JavaFile, scope: ts.Node) -> dict[str, str]:
    """Names declared in a method/lambda/class body -> their type (generics dropped); once per scope."""
    cache = jf.__dict__.setdefault("_declarations", {})
    found = cache.get(scope.id)
    if found is None:
        found = {}
        for node in ts.walk(scope):
            if node.type not in ("field_declaration", "local_variable_declaration", "formal_parameter"):
                continue
            if node.type == "formal_parameter":
                names = [node.child_by_field_name("name")]
            else:
                names = [d.child_by_field_name("name") for d in node.named_children if d.type == "variable_declarator"]
            kind = node.child_by_field_name("type")
            text = (ts.text(kind) if kind is not None else "").split("<", 1)[0].strip()
            for n in names:
                if n is not None and text:
                    found.setdefault(ts.text(n), text)
        cache[scope.id] = found
    return found


def declared_type(jf: JavaFile, name: str, near: ts.Node) -> str | None:
    """The declared type of a local, parameter or field ``name`` visible at ``near`` (generics dropped)."""
    for scope in ts.ancestors(near):
        if scope.type not in ("method_declaration", "constructor_declaration", "class_body", "lambda_expression"):
            continue
        kind = _declarations(jf, scope).get(name)
        if kind is not None or scope.type == "class_body":
            return kind
    return None


def stored_name(node: ts.Node) -> str | None:
    """The field or variable a builder chain is stored in: ``this.rest = builder...build()`` -> rest."""
    top = chain_top(node)
    parent = top.parent
    if parent is not None and parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "field_access":
            left = left.child_by_field_name("field")
        return ts.text(left) if left is not None and left.type == "identifier" else None
    return None


def _assigned_values(jf: JavaFile, name: str) -> list[ts.Node]:
    """The initializers and assigned values of a field/variable ``name`` in the file (indexed once)."""
    index = jf.__dict__.get("_assignments")
    if index is None:
        index = {}
        for node in ts.walk(jf.tree.root_node):
            if node.type == "variable_declarator":
                left, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            elif node.type == "assignment_expression":
                left, value = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and left.type == "field_access":
                    left = left.child_by_field_name("field")
            else:
                continue
            if left is not None and value is not None:
                index.setdefault(ts.text(left), []).append(value)
        jf.__dict__["_assignments"] = index
    return index.get(name, [])


def base_target(jf: JavaFile, name: str) -> tuple[Target | None, tuple[Pending, ...]]:
    """Where the client stored in ``name`` was pointed when built (``baseUrl``/``rootUri``)."""
    for value in _assigned_values(jf, name):
        for site, found in outbound_sites(jf):
            if found[1] is not None and jf.within(site.node, value):
                target = url_target(url_expr(found[1]))
                if not _is_relative(target):
                    return target
    return None, ()


def site_target(jf: JavaFile, site, found) -> tuple[Target | None, tuple[Pending, ...]]:
    """An outbound call's target; a relative path takes its client's base URL."""
    target = url_target(url_expr(found[1]))
    if _is_relative(target):
        root = _root_name(site.node)
        if root:
            base = base_target(jf, root)
            if base[0] is not None or base[1]:
                return base
    return target


def client_target(jf: JavaFile, node: ts.Node) -> tuple[Target | None, tuple[Pending, ...]]:
    """The target of the calls made through the client a setting configures: the setting's chain is
    stored in a field/variable (``this.rest = builder.setReadTimeout(..).build()``,
    ``HttpClient http = HttpClient.newBuilder().connectTimeout(..).build()``); the calls on that
    name (``rest.postForObject(url, ..)``), or the requests they send (``http.send(req, ..)`` with
    ``req = HttpRequest.newBuilder(URI.create(url))..``), say where it goes."""
    name = stored_name(node) or _stored_through(node)
    if not name:
        return None, ()
    return _calls_through(jf, name, node)


def _stored_through(node: ts.Node, depth: int = 0) -> str | None:
    """A chain handed as an argument to another builder chain that is stored: ``this.http =
    HttpClients.custom().setConnectionManager(Pooling...create().setDefaultConnectionConfig(cfg).build())
    .build()`` -> ``http`` for the inner chain."""
    top = chain_top(node)
    parent = top.parent
    if depth > 4 or parent is None or parent.type != "argument_list" or parent.parent is None \
            or parent.parent.type not in ("method_invocation",):
        return None
    outer = parent.parent
    return stored_name(outer) or _stored_through(outer, depth + 1)


def _calls_through(jf: JavaFile, name: str, node: ts.Node, depth: int = 0) -> tuple[Target | None, tuple[Pending, ...]]:
    """Where the calls made through the client stored in ``name`` go; a config object stored in
    ``name`` and handed to another client's builder (``ConnectionConfig cfg = ...; ...setDefaultConnectionConfig(cfg)``)
    takes that client's calls."""
    base = base_target(jf, name)
    if base[0] is not None or base[1]:
        return base
    for site in jf.calls:
        if _root_name(site.node) != name or jf.within(site.node, chain_top(node)):
            continue
        found = outbound_of(jf, site)
        if found is not None and found[1] is not None:
            target = site_target(jf, site, found)
            if not _is_relative(target):
                return target
        for arg in arguments(site.node):
            if arg.type != "identifier":
                continue
            value = local_initializer(arg)
            if value is None:
                continue
            for inner, inner_found in outbound_sites(jf):
                if inner_found[1] is not None and jf.within(inner.node, value):
                    target = site_target(jf, inner, inner_found)
                    if not _is_relative(target):
                        return target
    if depth < 3:
        for site in jf.calls:
            if any(a.type == "identifier" and ts.text(a) == name for a in arguments(site.node)) \
                    and not jf.within(site.node, chain_top(node)):
                other = stored_name(site.node) or _stored_through(site.node)
                if other and other != name:
                    found = _calls_through(jf, other, site.node, depth + 1)
                    if found[0] is not None or found[1]:
                        return found
    return None, ()


def outbound_sites(jf: JavaFile) -> list:
    """(site, ``outbound_of``) for every outbound call of the file, in ``jf.calls`` order; once per file."""
    cached = getattr(jf, "_outbound_sites", None)
    if cached is None:
        sites = sorted([*jf.calls, *jf.news], key=lambda s: (s.node.start_byte, -s.node.end_byte))
        cached = [(site, found) for site in sites if (found := outbound_of(jf, site)) is not None]
        jf._outbound_sites = cached  # type: ignore[attr-defined]
    return cached


@detector(ID, "java", ["outbound_call", "fallback"],
          valid=['cache.put(key, value);', 'String url = "http://risk:8080/score";'],
          invalid=['restTemplate.postForObject("http://risk:8080/score", req, Score.class);'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for site, found in outbound_sites(jf):
        method, url_node, library = found
        expr = url_expr(url_node)
        target, pending = site_target(jf, site, found)
        url = expr.value if isinstance(expr, Str) else None
        jf.sink.add("outbound_call", name_location(site.node, site.name_node), ID,
                    {"protocol": "http", "method": method, "url": url, "library": library},
                    jf.evidence(site.name_node), "high" if url else "medium", target, pending)
    for site in jf.annotations:
        if site.name != "FeignClient":
            continue
        args = annotation_args(site.node)
        name = string_of(args.get("name") or args.get("value"))
        url_node = args.get("url")
        expr = url_expr(url_node) if url_node is not None else None
        target, pending = url_target(expr)
        if name:
            target = Target(service=name, url=target.url if target else None)
        iface = enclosing(site.node, ("interface_declaration",))
        if iface is not None and (expr is not None or name):
            # Callers in other files reach the client through its type: ``LedgerClient.$url``.
            jf.symbols[f"{ts.text(iface.child_by_field_name('name'))}.$url"] = \
                expr if expr is not None else Str(f"http://{name}")
        jf.sink.add("outbound_call", ts.location(site.node), ID,
                    {"protocol": "http", "method": None, "url": target.url if target else None,
                     "library": "feign", "client_name": name},
                    jf.evidence(site.node), "medium", target, pending)
        fallback = args.get("fallback") or args.get("fallbackFactory")
        if fallback is not None:
            jf.sink.add("fallback", ts.location(site.node), ID,
                        {"library": "feign", "client_name": name, "method": ts.text(fallback).removesuffix(".class")},
                        jf.evidence(site.node), "high", target, pending)
