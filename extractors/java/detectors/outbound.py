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

from contract_discovery.model import Pending, Target
from contract_discovery.values import Expr, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.jvm import http_method_from_name, spring_placeholder, url_target
from extractors.java.syntax import JavaFile, annotation_args, arguments, chain, expr_of, name_location, string_of

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
    if site.kind != "call" or site.name not in _OUTBOUND_NAMES:
        return None  # every branch below needs one of these method names
    args = arguments(node)
    receiver = ts.text(node.child_by_field_name("object"))
    low = receiver.lower()
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


def _parents_in_chain(node: ts.Node) -> list[ts.Node]:
    out = []
    current = node
    while current.parent is not None and current.parent.type == "method_invocation" \
            and current.parent.child_by_field_name("object") == current:
        current = current.parent
        out.append(current)
    return out


def target_within(jf: JavaFile, scope: ts.Node) -> tuple[Target | None, tuple[Pending, ...]]:
    """The first outbound call's target inside a method or lambda (for retries and timeouts set there)."""
    for site, found in outbound_sites(jf):
        if found[1] is not None and jf.within(site.node, scope):
            return url_target(url_expr(found[1]))
    return None, ()


def outbound_sites(jf: JavaFile) -> list:
    """(site, ``outbound_of``) for every outbound call of the file, in ``jf.calls`` order; once per file."""
    cached = getattr(jf, "_outbound_sites", None)
    if cached is None:
        cached = [(site, found) for site in jf.calls if (found := outbound_of(jf, site)) is not None]
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
        target, pending = url_target(expr)
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
        jf.sink.add("outbound_call", ts.location(site.node), ID,
                    {"protocol": "http", "method": None, "url": target.url if target else None,
                     "library": "feign", "client_name": name},
                    jf.evidence(site.node), "medium", target, pending)
        fallback = args.get("fallback") or args.get("fallbackFactory")
        if fallback is not None:
            jf.sink.add("fallback", ts.location(site.node), ID,
                        {"library": "feign", "client_name": name, "method": ts.text(fallback).removesuffix(".class")},
                        jf.evidence(site.node), "high", target, pending)
