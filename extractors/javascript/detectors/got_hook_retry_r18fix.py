"""(round 18, second-wave fixes) got's afterResponse hook re-sending the request with merged options.

`const afterResponseHook = async (response, retryWithMergedOptions) => { if (response.statusCode === 401) {
const token = await tokens.refresh(); return retryWithMergedOptions({ headers: { authorization: ... } }) }
return response }` given to `got.extend({ hooks: { afterResponse: [afterResponseHook] } })` (DEFRA's charge
module client): the request is sent once more with fresh options when its answer says so: 2 tries, at the
re-send. Only a function listed under `afterResponse` (inline or by name) of a file that uses got, calling its
second parameter under a check of the answer's status (`if (response.statusCode === 401)`)."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, key_name, unwrap

ID = "javascript.retry_library"


def detect(ctx: FileContext) -> None:
    if b"afterResponse" not in ctx.data or not any("got" in m.rsplit("/", 1)[-1].lower() for m in ctx.imports.values()):
        return  # got, or a project module wrapping it (`require('./got-with-proxy')`)
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for pair in descendants(ctx.tree.root_node):
        if pair.type != "pair" or key_name(pair.child_by_field_name("key")) != "afterResponse":
            continue
        value = unwrap(pair.child_by_field_name("value"))
        if value is None or value.type != "array":
            continue
        for item in value.named_children:
            fn = unwrap(item)
            if fn is not None and fn.type == "identifier":
                fn = unwrap(ctx.local_value(ts.text(fn), pair))
            if fn is None or fn.type not in FUNCTION_TYPES:
                continue
            params = fn.child_by_field_name("parameters")
            names = [ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"]
            if len(names) < 2:
                continue
            body = fn.child_by_field_name("body")
            for call in (ctx.calls_in(body) if body is not None else []):
                if call.callee != names[1]:
                    continue
                line = call.node.start_point[0] + 1
                if line in reported or not _on_status(call.node, fn):
                    continue
                attrs = {"max_attempts": 2, "backoff": "none", "retry_on": "response", "mechanism": "call",
                         "library": "got"}
                ctx.finding("retry", call.node, ID, attrs, "medium")
                reported.add(line)


def _on_status(call: ts.Node, fn: ts.Node) -> bool:
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and "status" in ts.text(condition).lower():
                return True
    return False
