"""A Ktor client's settings take the destination of the calls made through that client (Kotlin).

Round 21 (lead, polyglot18): ``private val client = HttpClient(CIO) { install(HttpTimeout) {
requestTimeoutMillis = config.requestTimeoutMs }; install(HttpRequestRetry) { retryOnServerErrors(maxRetries
= 2) } }`` configures every call made through ``client``; the calls name the service
(``client.get("${config.baseUrl}/v1/breakdown/$id")``), the settings did not, so the timeout and retry
contracts of that dependency were not checked against the provider's. This step runs after the detectors:
a timeout, retry or breaker reported inside an ``HttpClient(..) { }`` block assigned to a property (or a
local) without a destination of its own takes the destination of the calls made through that name in
this file, when they all point at one place (calls to two services leave the settings without one).
"""

from __future__ import annotations

from dataclasses import replace

from extractors import treesitter as ts
from extractors.java.jvm import url_target
from extractors.kotlin.detectors.outbound import _outbound_calls
from extractors.kotlin.syntax import KotlinFile, expr_of

ID = "kotlin.client_destination"
_KINDS = ("timeout", "retry", "circuit_breaker")


def _holder(node: ts.Node) -> str:
    """The name a property or local declaration gives the value ``node`` (``val client = HttpClient(..)``)."""
    parent = node.parent
    while parent is not None and parent.type not in ("property_declaration", "function_body", "class_body",
                                                      "statements", "source_file"):
        parent = parent.parent
    if parent is None or parent.type != "property_declaration":
        return ""
    decl = next((c for c in parent.named_children if c.type == "variable_declaration"), None)
    name = next((c for c in decl.named_children if c.type in ("simple_identifier", "identifier")), None) \
        if decl is not None else None
    return ts.text(name) if name is not None else ""


def detect(kf: KotlinFile) -> None:
    if b"HttpClient" not in kf.data or not kf.sink.findings:
        return
    blocks: list[tuple[int, int, str]] = []
    for call in kf.calls:
        if call.name != "HttpClient" or call.lambda_ is None:
            continue
        name = _holder(call.node)
        if name:
            blocks.append((call.node.start_point[0] + 1, call.node.end_point[0] + 1, name))
    if not blocks:
        return
    for first, last, name in blocks:
        destinations = {}
        for call, found in _outbound_calls(kf):
            receiver = ts.text(call.receiver) if call.receiver is not None else ""
            if receiver not in (name, f"this.{name}"):
                continue
            target, pending = url_target(expr_of(found[1]))
            if target is None and not pending:
                continue
            destinations[repr((target.url if target else None, pending))] = (target, pending)
        if len(destinations) != 1:
            continue
        target, pending = next(iter(destinations.values()))
        findings = kf.sink.findings
        for i, fd in enumerate(findings):
            if fd.kind in _KINDS and first <= fd.line <= last and fd.target is None and \
                    not any(p.attribute == "url" for p in fd.pending):
                findings[i] = replace(fd, target=target, pending=(*fd.pending, *pending))
