"""(round 20, ts second wave) A call raced against a timer inside a hand-made promise (ocean-node's
detectNetwork):

    return new Promise((resolve) => {
      const timeout = setTimeout(() => { resolve({ ready: false, error: 'TIMEOUT' }) }, 3000)
      provider.getBlock('latest')
        .then((block) => { clearTimeout(timeout); resolve({ ready: block.hash !== null }) })
        .catch((err) => { clearTimeout(timeout); resolve({ ready: false, error: err.message }) })
    })

The promise settles after 3 s whatever the call does: a timeout of that call, at the timer's line. Only
when the timer's callback settles the promise (resolve/reject) and the call's `.then` clears the timer;
a bare delay (`new Promise((r) => setTimeout(r, ms))`) clears nothing and is no bound."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, dotted, unwrap
from extractors.javascript.detectors import client_options

_FUNCTIONS = ("arrow_function", "function_expression", "function")


def detect(ctx: FileContext) -> None:
    if b"clearTimeout" not in ctx.data or b"new Promise" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for node in ts.walk(ctx.tree.root_node):
        if node.type != "new_expression" or dotted(node.child_by_field_name("constructor")) != "Promise":
            continue
        args = node.child_by_field_name("arguments")
        executor = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if executor is None or executor.type not in _FUNCTIONS:
            continue
        params = executor.child_by_field_name("parameters") or executor.child_by_field_name("parameter")
        settle = [ts.text(p) for p in (params.named_children if params is not None and params.type != "identifier"
                                       else [params] if params is not None else [])]
        settle = [re.sub(r"\s*:.*$", "", s) for s in settle if s]
        body = executor.child_by_field_name("body")
        if not settle or body is None or body.type != "statement_block":
            continue
        for decl in body.named_children:
            if decl.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for d in decl.named_children:
                value = unwrap(d.child_by_field_name("value")) if d.type == "variable_declarator" else None
                if value is None or value.type != "call_expression" or \
                        dotted(value.child_by_field_name("function")) not in ("setTimeout", "global.setTimeout"):
                    continue
                targs = [a for a in value.child_by_field_name("arguments").named_children if a.type != "comment"]
                if len(targs) < 2 or unwrap(targs[0]) is None or unwrap(targs[0]).type not in _FUNCTIONS:
                    continue
                if not re.search(r"(?<![\w$.])(" + "|".join(map(re.escape, settle)) + r")\s*\(", ts.text(targs[0])):
                    continue
                if ".abort(" in ts.text(targs[0]):
                    continue  # a timer aborting a controller: read where its signal goes (fetch, socket waits)
                timer = ts.text(d.child_by_field_name("name"))
                raced = _cleared_after_call(body, timer, decl)
                if raced is None:
                    continue
                first, last = raced.start_point[0] + 1, raced.end_point[0] + 1
                if any(f.kind == "timeout" and first <= f.line <= last for f in ctx.findings):
                    continue  # the raced call carries its own bound, read there
                client_options._timeout(ctx, decl, targs[1], "total", taken)


def _cleared_after_call(body: ts.Node, timer: str, decl: ts.Node) -> ts.Node | None:
    """The later statement that calls something and clears ``timer`` in its `.then` callback, or None."""
    for stmt in body.named_children:
        if stmt.start_byte <= decl.start_byte:
            continue
        for call in descendants(stmt):
            if call.type != "call_expression":
                continue
            fn = unwrap(call.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) != "then":
                continue
            cargs = call.child_by_field_name("arguments")
            if cargs is not None and re.search(r"clearTimeout\(\s*" + re.escape(timer) + r"\s*\)", ts.text(cargs)):
                inner = unwrap(fn.child_by_field_name("object"))
                if inner is not None and inner.type == "call_expression":
                    return stmt
    return None
