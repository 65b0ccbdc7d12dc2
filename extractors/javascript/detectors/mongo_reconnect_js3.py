"""(round 19, js3) The MongoDB driver's (3.x legacy topology) and Mongoose's `reconnectTries` option.

`mongoClient.connect(url, { poolSize, reconnectTries: params.reconnectTries, reconnectInterval }, cb)`
(fiware-sth-comet): after the connection is lost the driver tries to reconnect that many times,
`reconnectInterval` ms apart: the first connection plus `reconnectTries` tries (30 by default), at the key (a
client made by connect). `Number.MAX_VALUE` (or Infinity) is no limit.
Not: a file that imports neither mongodb nor mongoose, an object handed to no connect / client construction.
"""

from __future__ import annotations

import re

from extractors.javascript.context import FileContext, dotted, key_name, unwrap

ID = "javascript.client_options"

_CONNECT = re.compile(r"(^|\.)(connect|createConnection|MongoClient|openUri)$")


def detect(ctx: FileContext) -> None:
    if b"reconnectTries" not in ctx.data or not any(
            m.split(".", 1)[0] in ("mongodb", "mongoose") for m in ctx.imports.values()):
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        name = call.callee if not call.is_new else dotted(call.node.child_by_field_name("constructor"))
        if not _CONNECT.search(name or ""):
            continue
        for arg in call.args:
            obj = unwrap(arg)
            if obj is not None and obj.type == "identifier":
                obj = ctx.resolve_object(obj)
            if obj is None or obj.type != "object":
                continue
            for pair in obj.named_children:
                if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "reconnectTries":
                    continue
                value = unwrap(pair.child_by_field_name("value"))
                line = pair.start_point[0] + 1
                if value is None or (line, "retry") in taken:
                    continue
                if re.search(r"MAX_VALUE|MAX_SAFE_INTEGER|Infinity", value.text.decode("utf-8", "replace")):
                    attempts, confidence, pending = None, "high", ()
                else:
                    attempts, confidence, pending = ctx.count_value(value, 1.0)
                attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": "connection lost",
                         "mechanism": "client_config", "library": "mongodb"}
                taken.add((line, "retry"))
                ctx.finding("retry", pair, ID, attrs, confidence, None, pending)
