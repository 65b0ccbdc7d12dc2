"""node-libcurl: `curl.setOpt("TIMEOUT", s)` / `setOpt(Curl.option.CONNECTTIMEOUT_MS, ms)` and curly's
options (`curly.get(url, { timeout: 5, connectTimeoutMs: 500 })`).

What it does: in a file importing node-libcurl, reports each timeout option set on a handle
(``TIMEOUT`` and ``CONNECTTIMEOUT`` in seconds, ``TIMEOUT_MS`` / ``CONNECTTIMEOUT_MS`` in ms; the
option named by its string or by ``Curl.option.X``), connect phase for the CONNECT ones, on the
``setOpt`` line; and the same options of a ``curly`` call (``timeout``, ``timeoutMs``,
``connectTimeout``, ``connectTimeoutMs``) on the call (round 13, the round-12 request from the
upptime set).

Never: a ``setOpt`` of a file that does not import node-libcurl, other options (``DNS_CACHE_TIMEOUT``
is a cache's lifetime, ``LOW_SPEED_TIME`` a speed floor), a timeout of 0 (libcurl: none).

Why it matters: libcurl waits as long as the transfer takes unless these are set.

Example::

    curl.setOpt("CONNECTTIMEOUT", 30);   // 30000 ms, connect
    curl.setOpt(Curl.option.TIMEOUT_MS, 2500);
"""

from __future__ import annotations

from extractors.javascript.context import FileContext, dotted, js_detector, string_value, unwrap

ID = "javascript.libcurl"
_OPTIONS = {"TIMEOUT": ("total", 1000.0), "TIMEOUT_MS": ("total", 1.0),
            "CONNECTTIMEOUT": ("connect", 1000.0), "CONNECTTIMEOUT_MS": ("connect", 1.0)}
_CURLY = {"timeout": ("total", 1000.0), "timeoutMs": ("total", 1.0),
          "connectTimeout": ("connect", 1000.0), "connectTimeoutMs": ("connect", 1.0)}


@js_detector(ID, ["timeout"],
             valid=['const { Curl } = require("node-libcurl");\ncurl.setOpt("DNS_CACHE_TIMEOUT", 0);',
                    'handle.setOpt("TIMEOUT", 5); // no node-libcurl import'],
             invalid=['import { Curl } from "node-libcurl";\nconst curl = new Curl();\ncurl.setOpt("TIMEOUT", 30);'])
def detect(ctx: FileContext) -> None:
    if b"libcurl" not in ctx.data or not ctx.local_names_for("node-libcurl"):
        return
    taken = {(f.line, f.kind, f.attributes.get("phase")) for f in ctx.findings}
    curly = ctx.local_names_for("node-libcurl.curly")
    for call in ctx.calls:
        if call.name == "setOpt" and call.receiver and len(call.args) >= 2:
            key = unwrap(call.arg(0))
            name = string_value(key) if key is not None and key.type == "string" else \
                dotted(key).rsplit(".", 1)[-1] if key is not None else None
            if name in _OPTIONS:
                _report(ctx, call.node, call.arg(1), *_OPTIONS[name], taken)
        elif call.callee.split(".", 1)[0] in curly and len(call.args) >= 2:
            options = ctx.props(ctx.resolve_object(call.arg(1))) or {}
            for key, (phase, scale) in _CURLY.items():
                if key in options:
                    _report(ctx, call.node, options[key], phase, scale, taken)


def _report(ctx: FileContext, node, value, phase: str, scale: float, taken) -> None:
    value = unwrap(value)
    line = node.start_point[0] + 1
    if value is None or ts_text(value) in ("0", "null", "undefined") or (line, "timeout", phase) in taken:
        return
    taken.add((line, "timeout", phase))
    attrs, confidence, pending = ctx.timeout_value(value, scale)
    attrs["phase"] = phase
    attrs["library"] = "node-libcurl"
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


def ts_text(node) -> str:
    from extractors import treesitter as ts
    return ts.text(node)
