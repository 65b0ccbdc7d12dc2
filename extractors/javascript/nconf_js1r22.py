"""(round 22, js1) Settings read through nconf (auth0's AD/LDAP connector, NodeBB): `nconf.get('KEY')` is the
environment variable KEY when `nconf.env()` is in the chain, else the value `nconf.defaults({...})` gives
(`var defaults = { GROUPS_TIMEOUT_SECONDS: 20 }; nconf.env('||').defaults(defaults)` in lib/initConf.js).

The file that calls `.defaults(obj)` on nconf publishes each leaf as `$nconf.<key>` (nested objects as
`a.b`, the key nconf reads as `a:b`); a read is `Env(KEY, $nconf.KEY)` for a plain key, `$nconf.a.b` for
a nested one. Not: `nconf.file(...)` JSON files, `nconf.set(...)` at run time, `.overrides(...)`."""

from __future__ import annotations

from contract_discovery.values import Env, Expr, Ref
from extractors import treesitter as ts
from extractors.javascript.context import dotted, key_name, unwrap

PREFIX = "$nconf."


def nconf_read(key: str) -> Expr:
    dotted_key = key.replace(":", ".")
    if ":" in key or not key:
        return Ref(PREFIX + dotted_key)
    return Env(key, Ref(PREFIX + dotted_key))


def publish(ctx) -> None:
    """Put `$nconf.<key>` into the file's symbols for each leaf of an object handed to nconf's `.defaults()`."""
    names = {name for name, module in ctx.imports.items() if module == "nconf"}
    if not names or b"defaults" not in ctx.data:
        return
    for node in ts.walk(ctx.tree.root_node):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) != "defaults":
            continue
        root = fn
        while root is not None and root.type in ("member_expression", "call_expression"):
            root = root.child_by_field_name("object") if root.type == "member_expression" else \
                root.child_by_field_name("function")
        if root is None or root.type != "identifier" or ts.text(root) not in names:
            continue
        args = node.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        obj = ctx.resolve_object(given[0]) if given else None
        if obj is not None:
            _leaves(ctx, obj, "", 0)


def _leaves(ctx, obj: ts.Node, prefix: str, depth: int) -> None:
    if depth > 4:
        return
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        key = key_name(pair.child_by_field_name("key"))
        value = unwrap(pair.child_by_field_name("value"))
        if not key or value is None:
            continue
        if value.type == "object":
            _leaves(ctx, value, f"{prefix}{key}.", depth + 1)
        elif value.type in ("number", "string", "true", "false", "binary_expression", "identifier",
                            "member_expression", "call_expression"):
            ctx.symbols.setdefault(PREFIX + prefix + key, ctx.to_expr(value))


def imported_member(ctx, value, key: str) -> Expr | None:
    """(round 22, js1) `const { JOBS_SERVER_DEFAULT_ATTEMPTS } = config` where `config` is the default
    export of a module of the project (`import config from "../config.js"`): that module's member,
    `config.JOBS_SERVER_DEFAULT_ATTEMPTS` (an envalid `cleanEnv` export publishes its keys)."""
    value = unwrap(value)
    if value is None or value.type != "identifier":
        return None
    module = ctx.imports.get(ts.text(value), "")
    if "/" not in module or module.startswith("node:"):
        return None
    return Ref(f"{ts.text(value)}.{key}")


def exported_schema(call) -> bool:
    """The `cleanEnv(...)` call is what the module exports (`export default cleanEnv(...)`,
    `module.exports = cleanEnv(...)`)."""
    parent = call.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "export_statement":
        return True
    if parent.type == "assignment_expression":
        return dotted(parent.child_by_field_name("left")) in ("module.exports", "exports.default")
    return False
