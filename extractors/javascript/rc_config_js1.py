"""(round 21, js1) Settings loaded with the `rc` package over a default JSON file (Mojaloop's services).

`const RC = require('parse-strings-in-object')(require('rc')('CSET', require('../../config/default.json')))`
then `WINDOW_AGGREGATION_RETRY_COUNT: RC.WINDOW_AGGREGATION.RETRY_COUNT` (src/lib/config.js of every Mojaloop
service): `rc` returns the default object with the app's rc files and `<APPNAME>_...` variables laid over it,
so a member path of that object is the default file's leaf, which extractors/nodeconfig publishes for
`config/default.json` as `$node-config:<dotted.key>`.

Not: an `rc` call whose defaults are not a required `config/default.json` (an object literal, another file),
a member read through a computed key.
"""

from __future__ import annotations

from contract_discovery.values import Expr, Ref
from extractors import treesitter as ts
from extractors.javascript.context import dotted, member_chain, string_value, unwrap


def _rc_defaults(value: ts.Node | None, depth: int = 0) -> bool:
    """`require('rc')(name, require('.../config/default.json'))`, maybe wrapped in one more call."""
    value = unwrap(value)
    if value is None or value.type != "call_expression" or depth > 2:
        return False
    fn = unwrap(value.child_by_field_name("function"))
    args = value.child_by_field_name("arguments")
    items = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if fn is not None and fn.type == "call_expression" and dotted(fn.child_by_field_name("function")) == "require":
        inner = fn.child_by_field_name("arguments")
        spec = next((a for a in (inner.named_children if inner is not None else []) if a.type != "comment"), None)
        if spec is not None and string_value(spec) == "rc":
            defaults = unwrap(items[1]) if len(items) > 1 else None
            if defaults is None or defaults.type != "call_expression" or \
                    dotted(defaults.child_by_field_name("function")) != "require":
                return False
            dargs = defaults.child_by_field_name("arguments")
            path = next((a for a in (dargs.named_children if dargs is not None else []) if a.type != "comment"), None)
            text = string_value(path) if path is not None else None
            return bool(text) and text.replace("\\", "/").endswith("config/default.json")
    # `require('parse-strings-in-object')(require('rc')(...))`: the wrapper keeps the keys
    return len(items) == 1 and _rc_defaults(items[0], depth + 1)


def rc_names(ctx) -> set[str]:
    names = getattr(ctx, "_rc_names_js1_cache", None)
    if names is not None:
        return names
    names = set()
    for stmt in ctx.tree.root_node.named_children:
        if stmt.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for decl in stmt.named_children:
            name = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
            if name is not None and name.type == "identifier" and _rc_defaults(decl.child_by_field_name("value")):
                names.add(ts.text(name))
    ctx._rc_names_js1_cache = names
    return names


def rc_member(ctx, node: ts.Node) -> Expr | None:
    """`RC.WINDOW_AGGREGATION.RETRY_COUNT` of an `rc` settings object: `$node-config:WINDOW_AGGREGATION.RETRY_COUNT`."""
    names = rc_names(ctx)
    if not names:
        return None
    chain = member_chain(node)
    if chain is None or chain[0] not in names:
        return None
    return Ref("$node-config:" + ".".join(chain[1]))
