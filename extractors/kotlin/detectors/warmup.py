"""Start-up warm-up calls a service makes to its own address (Kotlin): not contracts with another service.

Round 18 (round-17 request; pagopa-wallet-service, pagopa-payment-requests, portfolio): a service that warms
its JIT and caches at start-up by calling its own HTTP API (``@WarmupFunction fun createWalletWarmup() {
webClient.post().uri(URI.create(WarmupUtils.WALLETS_URL))...block(Duration.ofSeconds(10)) }`` with
``WALLETS_URL = "http://localhost:8080/wallets"``; ``class PortfolioSummaryWarmup { fun warmUp() { val baseUrl =
"http://localhost:${resolvePort()}"; HttpClient.newBuilder().connectTimeout(..) } }``) bounds a call to itself:
no other service is on the other side. This step runs after the detectors and drops the timeouts and retries
they reported inside such a function: one that is a warm-up (annotated ``@Warmup..`` / ``@..Warmup..``, named
``warmUp`` / ``warmup..`` / ``..Warmup``, or a member of a class so named) AND names the service's own address
(a string literal with ``localhost`` / ``127.0.0.1`` / ``0.0.0.0``, or a ``..URL`` / ``..URI`` constant of a
warm-up object such as ``WarmupUtils.WALLETS_URL``). A warm-up that calls other services (mokey's
``CacheWarmup.warmUp(attempt)`` retrying ``crawlerService.cacheAtStartup()``) names no own address and keeps
its findings; so does a self-call outside a warm-up.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.kotlin.syntax import KotlinFile

ID = "kotlin.warmup_self_calls"

_WARMUP = re.compile(r"warm_?up", re.IGNORECASE)
_OWN_ADDRESS = re.compile(r"""["'][a-z]*://(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\b|["'](?:localhost|127\.0\.0\.1)[:"']""",
                          re.IGNORECASE)
_WARMUP_URL = re.compile(r"\b\w*warm_?up\w*\.[A-Z0-9_]*(?:URL|URI)[A-Z0-9_]*\b", re.IGNORECASE)
_KINDS = ("timeout", "retry")


def _name(node: ts.Node, types: tuple[str, ...]) -> str:
    child = next((c for c in node.named_children if c.type in types), None)
    return ts.text(child) if child is not None else ""


def _annotations(node: ts.Node) -> str:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    if modifiers is None:
        return ""
    return " ".join(ts.text(c) for c in modifiers.named_children if c.type == "annotation")


def _is_warmup(fn: ts.Node) -> bool:
    if _WARMUP.search(_name(fn, ("simple_identifier", "identifier"))) or _WARMUP.search(_annotations(fn)):
        return True
    for anc in ts.ancestors(fn):
        if anc.type in ("class_declaration", "object_declaration") \
                and _WARMUP.search(_name(anc, ("type_identifier", "simple_identifier", "identifier"))):
            return True
    return False


def _warmup_ranges(kf: KotlinFile) -> list[tuple[int, int]]:
    ranges = []
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration" or not _is_warmup(fn):
            continue
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if body is None:
            continue
        text = ts.text(body)
        if _OWN_ADDRESS.search(text) or _WARMUP_URL.search(text):
            ranges.append((fn.start_point[0] + 1, fn.end_point[0] + 1))
    return ranges


def detect(kf: KotlinFile) -> None:
    if not _WARMUP.search(kf.data.decode("utf-8", "replace")):
        return
    ranges = _warmup_ranges(kf)
    if not ranges:
        return
    kf.sink.findings[:] = [f for f in kf.sink.findings
                           if f.kind not in _KINDS or not any(a <= f.line <= b for a, b in ranges)]
