"""A configuration registry keyed by an enum (round 22, js2): Decentraland's Catalyst registers each
setting with its default, `this.registerConfigIfNotAlreadySet(env, EnvironmentConfig.PG_QUERY_TIMEOUT,
() => process.env.PG_QUERY_TIMEOUT ? ms(process.env.PG_QUERY_TIMEOUT) : ms('1m'))`, and the components
read it back by the same key, `env.getConfig<number>(EnvironmentConfig.PG_QUERY_TIMEOUT)` (the pg Pool's
query_timeout, the fetch component's default timeout, in other files).

The file that registers publishes `<Enum>.<KEY>.$registered` (the value, or the provider function's
returned expression, as the code computes it: an env variable with the code's default); a read by
key (`getConfig(Enum.KEY)`, `getSetting`, `getValue`) of an enum the project declares resolves to
it. A registering call is named for registering or setting (`register*`, `set*`, `define*`) and
hands the key, then the value; a read whose key no file registers stays unknown, as before."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from contract_discovery.values import Expr, Ref

REGISTERED = "$registered"
_REGISTERS = re.compile(r"^(register|set|define|put)\w*$", re.I)
_READS = re.compile(r"^get(Config|Setting|Value)$")
_KEY = re.compile(r"^[A-Z][\w$]*\.[A-Za-z_$][\w$]*$")


def _enum_names(ctx) -> set[str]:
    out = set()
    for node in ctx.tree.root_node.named_children:
        decl = node.child_by_field_name("declaration") if node.type == "export_statement" else node
        if decl is not None and decl.type == "enum_declaration":
            name = decl.child_by_field_name("name")
            if name is not None:
                out.add(ts.text(name))
    return out


def publish_registered(ctx) -> dict[str, Expr]:
    from extractors.javascript.context import FUNCTION_TYPES, dotted, unwrap
    out: dict[str, Expr] = {}
    if b"register" not in ctx.data and b"setConfig" not in ctx.data and b"define" not in ctx.data:
        return out
    enums = _enum_names(ctx)
    for call in ctx.calls:
        if call.is_new or not _REGISTERS.match(call.name or "") or len(call.args) < 2:
            continue
        args = [unwrap(a) for a in call.args]
        index = next((i for i, a in enumerate(args) if a is not None and a.type == "member_expression"
                      and _KEY.match(dotted(a) or "")), None)
        if index is None or index + 1 >= len(args):
            continue
        key = dotted(args[index])
        head = key.split(".", 1)[0]
        if head not in enums and head not in ctx.imports:
            continue
        value = args[index + 1]
        if value is None:
            continue
        if value.type in FUNCTION_TYPES:
            body = value.child_by_field_name("body")
            body = unwrap(body)
            if body is None or body.type == "statement_block":
                continue  # a provider with statements: its value is not one expression
            value = body
        expr = ctx.to_expr(value)
        out.setdefault(f"{key}.{REGISTERED}", expr)
    return out


def registered_read(ctx, node: ts.Node) -> Expr | None:
    """`env.getConfig<number>(EnvironmentConfig.PG_QUERY_TIMEOUT)`: the registered value of that key."""
    from extractors.javascript.context import dotted, unwrap
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    if not _READS.match(ts.text(fn.child_by_field_name("property"))):
        return None
    args_node = node.child_by_field_name("arguments")
    args = [a for a in (args_node.named_children if args_node is not None else []) if a.type != "comment"]
    if len(args) != 1:
        return None
    key = unwrap(args[0])
    text = dotted(key) if key is not None and key.type == "member_expression" else ""
    if not text or not _KEY.match(text):
        return None
    head = text.split(".", 1)[0]
    if head not in ctx.imports and head not in _enum_names(ctx):
        return None
    return Ref(f"{text}.{REGISTERED}")


_PG = ("pg", "pg-pool", "pg.default")


def reaches_pg(ctx, obj: ts.Node, depth: int = 0) -> bool:
    """`const defaultOptions = { query_timeout, ... }; const poolConfig = { ...defaultOptions, ...options };
    new Pool(poolConfig)` (Catalyst's database component): an options object handed to pg's Pool /
    Client directly, or spread into the object that is (two steps at most, in one function)."""
    from extractors.javascript.context import FUNCTION_TYPES, descendants, dotted, unwrap
    if obj is None or depth > 2:
        return False
    holder = obj.parent
    if holder is not None and holder.type == "arguments" and holder.parent is not None and \
            holder.parent.type == "new_expression":
        ctor = dotted(holder.parent.child_by_field_name("constructor"))
        module = ctx.imports.get(ctor.split(".", 1)[0], "") if ctor else ""
        return ctor.rsplit(".", 1)[-1] in ("Pool", "Client") and (module in _PG or module.split(".", 1)[0] in _PG)
    if holder is None or holder.type != "variable_declarator":
        return False
    name = ts.text(holder.child_by_field_name("name"))
    scope = next((p for p in ts.ancestors(holder) if p.type in FUNCTION_TYPES), None) or ctx.tree.root_node
    for node in descendants(scope):
        if node.type == "identifier" and ts.text(node) == name and node.parent is not None:
            parent = node.parent
            if parent.type == "arguments" and reaches_pg(ctx, node, depth + 1):
                return True
            if parent.type == "spread_element" and parent.parent is not None and parent.parent.type == "object" \
                    and reaches_pg(ctx, parent.parent, depth + 1):
                return True
    return False
