"""Outbound HTTP calls from Kotlin: Ktor ``client.post("http://...")``, OkHttp
``Request.Builder().url(...)``, Spring's RestTemplate/WebClient and ``@FeignClient`` interfaces.

What it does: reports the call with its method and URL (a literal URL is the target; a
template like ``"$baseUrl/send"`` stays pending for the pipeline).

Why it matters: settings only become contracts once we know which service they point at.

Example: ``client.post("http://notifications:8080/send")`` -> outbound_call POST.
"""

from __future__ import annotations

from contract_discovery.model import Target
from contract_discovery.values import Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented, http_method_from_name, spring_placeholder, url_target
from extractors.kotlin.syntax import (KCall, KotlinFile, annotation_parts, chain, chain_root_text, expr_of,
                                      name_location, string_of)

ID = "kotlin.outbound"
_KTOR_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "submitForm"}
_REST_TEMPLATE = {"getForObject", "getForEntity", "postForObject", "postForEntity", "put", "patchForObject",
                  "delete", "exchange"}


def outbound_of(call: KCall) -> tuple[str | None, ts.Node, str] | None:
    receiver = ts.text(call.receiver).lower() if call.receiver is not None else ""
    if call.name in _KTOR_VERBS and call.args and "client" in receiver:
        return (call.name.upper() if call.name in _KTOR_VERBS - {"request", "submitForm"} else None), call.args[0], "ktor"
    if call.name in _REST_TEMPLATE and call.args and ("rest" in receiver or "template" in receiver):
        return http_method_from_name(call.name), call.args[0], "spring-web"
    if call.name == "url" and call.args and "Request.Builder" in chain_root_text(call):
        return None, call.args[0], "okhttp"
    if call.name == "uri" and call.args and "client" in chain_root_text(call).lower():
        verb = next((c.name.upper() for c in chain(call) if c.name in _KTOR_VERBS), None)
        return verb, call.args[0], "webclient"
    if call.name == "baseUrl" and call.args:
        return None, call.args[0], "webclient"
    return None


def _outbound_calls(kf: KotlinFile) -> list[tuple[KCall, tuple[str | None, ts.Node, str]]]:
    """Every outbound call of the file with what ``outbound_of`` says of it, in ``kf.calls`` order
    (computed once per file: each retry scope then scans only these)."""
    cached = getattr(kf, "_outbound_calls", None)
    if cached is None:
        cached = [(call, found) for call in kf.calls if (found := outbound_of(call)) is not None]
        kf._outbound_calls = cached  # type: ignore[attr-defined]
    return cached


def target_within(kf: KotlinFile, scope: ts.Node):
    for call, found in _outbound_calls(kf):
        if kf.within(call.node, scope):
            return url_target(expr_of(found[1]))
    return None, ()


@detector(ID, "kotlin", ["outbound_call"],
          valid=['map.put("a", 1)', 'val url = "http://risk:8080/score"'],
          invalid=['suspend fun f() { client.post("http://notifications:8080/send") }'])
@documented(__doc__)
def detect(kf: KotlinFile) -> None:
    for call, found in _outbound_calls(kf):
        method, url_node, library = found
        expr = expr_of(url_node)
        target, pending = url_target(expr)
        url = expr.value if isinstance(expr, Str) else None
        kf.sink.add("outbound_call", name_location(call.node, call.name_node), ID,
                    {"protocol": "http", "method": method, "url": url, "library": library},
                    kf.evidence(call.name_node), "high" if url else "medium", target, pending)
    for ann in kf.annotations:
        name, args = annotation_parts(ann)
        if name != "FeignClient":
            continue
        client = string_of(args.get("name") or args.get("value"))
        url_text = string_of(args.get("url"))
        expr = (spring_placeholder(url_text) or Str(url_text)) if url_text else None
        target, pending = url_target(expr)
        if client:
            target = Target(service=client, url=target.url if target else None)
        kf.sink.add("outbound_call", ts.location(ann), ID,
                    {"protocol": "http", "method": None, "url": target.url if target else None,
                     "library": "feign", "client_name": client}, kf.evidence(ann), "medium", target, pending)
