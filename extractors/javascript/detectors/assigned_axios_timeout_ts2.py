"""(round 20, ts second wave) A timeout written into an axios request config after the object is built
(ocean-node's Typesense client):

    const requestOptions: AxiosRequestConfig = { method: requestType, url, headers }
    if (skipConnectionTimeout !== true) {
      requestOptions.timeout = this.config.connectionTimeoutSeconds * 1000
    }
    const response = await axios(requestOptions)

A timeout at the assignment, when the local is typed as axios's request config or is handed to an axios
call in the same function; not when the object literal already carries a `timeout` (read there)."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, dotted, enclosing_function, unwrap
from extractors.javascript.detectors import client_options

_AXIOS_CALL = re.compile(r"^axios(?:\.(?:request|get|post|put|patch|delete|head))?$")


def detect(ctx: FileContext) -> None:
    if b"axios" not in ctx.data or b".timeout =" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for node in ts.walk(ctx.tree.root_node):
        if node.type != "assignment_expression":
            continue
        left = node.child_by_field_name("left")
        if left is None or left.type != "member_expression" or ts.text(left.child_by_field_name("property")) != "timeout":
            continue
        holder = left.child_by_field_name("object")
        if holder is None or holder.type != "identifier":
            continue
        fn = enclosing_function(node)
        if fn is None:
            continue
        name = ts.text(holder)
        decl = next((d for d in descendants(fn, stop_at_functions=True) if d.type == "variable_declarator"
                     and ts.text(d.child_by_field_name("name")) == name and d.start_byte < node.start_byte), None)
        if decl is None:
            continue
        value = unwrap(decl.child_by_field_name("value"))
        if value is None or value.type != "object" or any(
                p.type == "pair" and ts.text(p.child_by_field_name("key")) == "timeout" for p in value.named_children):
            continue
        typed = re.search(r"\bAxiosRequestConfig\b", ts.text(decl.child_by_field_name("type") or decl)[:200] or "")
        handed = any(c.type == "call_expression" and _AXIOS_CALL.match(dotted(c.child_by_field_name("function")) or "")
                     and any(ts.text(a) == name for a in (c.child_by_field_name("arguments").named_children
                                                          if c.child_by_field_name("arguments") is not None else []))
                     for c in descendants(fn, stop_at_functions=True))
        if not (typed and ctx.imports.get("AxiosRequestConfig", "").startswith("axios") or handed):
            continue
        client_options._timeout(ctx, node, node.child_by_field_name("right"), "total", taken)
