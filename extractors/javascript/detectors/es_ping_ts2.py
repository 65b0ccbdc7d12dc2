"""(round 20, ts second wave) The Elasticsearch / OpenSearch client's `pingTimeout` (ocean-node's
ElasticsearchConfigHelper: `new Client({ node, requestTimeout, pingTimeout: finalConfig.pingTimeout,
maxRetries })`): the bound of the client's pings to its nodes (the sniffer's and resurrection's health
checks, 3 s by default), a setting of its own next to `requestTimeout`, at the key."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, unwrap
from extractors.javascript.detectors import client_options

_MODULES = ("@elastic/elasticsearch", "@opensearch-project/opensearch", "elasticsearch")


def detect(ctx: FileContext) -> None:
    if b"pingTimeout" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for call in ctx.calls:
        if not call.is_new or not any((ctx.imports.get(call.callee.split(".", 1)[0]) or "").startswith(m)
                                      for m in _MODULES):
            continue
        obj = unwrap(call.arg(0))
        for pair in (obj.named_children if obj is not None and obj.type == "object" else []):
            if pair.type == "pair" and ts.text(pair.child_by_field_name("key")) == "pingTimeout":
                client_options._timeout(ctx, pair, pair.child_by_field_name("value"), "connect", taken)
