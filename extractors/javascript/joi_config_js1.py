"""Joi-validated configuration modules (round 19, js1: DEFRA flood-app, the hapi/DEFRA config shape).

    const schema = joi.object({ httpTimeoutMs: joi.number().default(10000), ... })
    const config = { httpTimeoutMs: process.env.FLOOD_APP_HTTP_TIMEOUT, ... }
    const result = schema.validate(config, { abortEarly: false })
    module.exports = result.value            // or: const value = result.value; module.exports = value

Joi fills each key the object leaves undefined with the schema's `.default(...)`, so a key read from
the environment runs with the schema's default unless the variable is set: `config.httpTimeoutMs`
becomes Env(FLOOD_APP_HTTP_TIMEOUT, 10000) (and a key the object does not set at all, the default).
When the module exports the validated value (`result.value`, `const { value } = schema.validate(...)`),
the validated object's members are published under the names its importers read
(`config.httpTimeoutMs` of `const config = require('./config')`), as for `module.exports = config`.
"""

from __future__ import annotations

from contract_discovery.values import Env, Unknown
from extractors import treesitter as ts

_JOI_MODULES = ("joi", "@hapi/joi", "joi-browser")


def _unwrap(node):
    while node is not None and node.type in ("parenthesized_expression", "await_expression") and node.named_children:
        node = node.named_children[0]
    return node


def _member_call(node, names: tuple[str, ...]):
    """(receiver, args) of `receiver.name(args)` for name in ``names``."""
    node = _unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    prop = fn.child_by_field_name("property")
    if prop is None or ts.text(prop) not in names:
        return None
    args = node.child_by_field_name("arguments")
    return fn.child_by_field_name("object"), [a for a in (args.named_children if args is not None else [])
                                              if a.type != "comment"]


def _chain_root(node) -> str:
    """`joi` of `joi.number().integer().default(5)`."""
    node = _unwrap(node)
    while node is not None and node.type in ("call_expression", "member_expression"):
        node = node.child_by_field_name("function") if node.type == "call_expression" else \
            node.child_by_field_name("object")
        node = _unwrap(node)
    return ts.text(node) if node is not None and node.type == "identifier" else ""


def _default_of(spec):
    """The argument of `.default(x)` anywhere in a Joi chain, else None."""
    node = _unwrap(spec)
    while node is not None and node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression":
            return None
        prop = fn.child_by_field_name("property")
        if prop is not None and ts.text(prop) == "default":
            args = node.child_by_field_name("arguments")
            listed = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
            return listed[0] if listed else None
        node = _unwrap(fn.child_by_field_name("object"))
    return None


def _object_keys(spec):
    """The `{...}` of `joi.object({...})` / `joi.object().keys({...})` anywhere in a chain."""
    node = _unwrap(spec)
    while node is not None and node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression":
            return None
        prop = fn.child_by_field_name("property")
        if prop is not None and ts.text(prop) in ("object", "keys"):
            args = node.child_by_field_name("arguments")
            listed = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
            if listed and _unwrap(listed[0]).type == "object":
                return _unwrap(listed[0])
        node = _unwrap(fn.child_by_field_name("object"))
    return None


def _defaults(ctx, obj, prefix: str, out: dict, depth: int = 0) -> None:
    if obj is None or depth > 4:
        return
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        key_node = pair.child_by_field_name("key")
        key = ts.text(key_node).strip("'\"") if key_node is not None else ""
        spec = pair.child_by_field_name("value")
        if not key or spec is None:
            continue
        nested = _object_keys(spec)
        if nested is not None:
            _defaults(ctx, nested, f"{prefix}{key}.", out, depth + 1)
            continue
        default = _default_of(spec)
        if default is not None and _unwrap(default).type not in ("arrow_function", "function_expression", "function"):
            expr = ctx.to_expr(default, scoped=False)
            if not isinstance(expr, Unknown):
                out[prefix + key] = expr


def collect_joi_config_js1(ctx) -> None:
    if b"validate" not in ctx.data and b"attempt" not in ctx.data:
        return
    joi_names = ctx.local_names_for(*_JOI_MODULES) | {"joi", "Joi"}
    root = ctx.tree.root_node
    schemas: dict[str, dict] = {}
    validated: dict[str, str] = {}  # result name -> validated object name
    exported_result = None
    for stmt in root.named_children:
        if stmt.type in ("lexical_declaration", "variable_declaration"):
            for decl in stmt.named_children:
                if decl.type != "variable_declarator":
                    continue
                name, value = decl.child_by_field_name("name"), _unwrap(decl.child_by_field_name("value"))
                if name is None or value is None:
                    continue
                if name.type == "identifier" and _chain_root(value) in joi_names:
                    keys = _object_keys(value)
                    if keys is not None:
                        found: dict = {}
                        _defaults(ctx, keys, "", found)
                        schemas[ts.text(name)] = found
                        continue
                call = _member_call(value, ("validate", "attempt"))
                if call is not None:
                    receiver, args = call
                    target = _validated_object(receiver, args, schemas)
                    if target is None:
                        continue
                    schema, obj = target
                    _apply(ctx, schemas[schema], obj)
                    method = ts.text(value.child_by_field_name("function").child_by_field_name("property"))
                    if name.type == "identifier" and method == "attempt":
                        validated[ts.text(name) + ".value"] = obj  # `Joi.attempt(config, schema)` returns the value
                    elif name.type == "identifier":
                        validated[ts.text(name)] = obj  # `result.value` is the validated object
                    elif name.type == "object_pattern" and "value" in ts.text(name):
                        validated["value.value"] = obj  # `const { value } = schema.validate(config)`
                elif name.type == "identifier" and value.type == "member_expression" and \
                        ts.text(value.child_by_field_name("property")) == "value" and \
                        ts.text(value.child_by_field_name("object")) in validated:
                    validated[ts.text(name) + ".value"] = validated[ts.text(value.child_by_field_name("object"))]
        elif stmt.type == "expression_statement" and stmt.named_children:
            expr = stmt.named_children[0]
            if expr.type == "assignment_expression" and ts.text(expr.child_by_field_name("left")) == "module.exports":
                exported_result = ts.text(_unwrap(expr.child_by_field_name("right")))
    if exported_result is None:
        return
    obj = None
    if exported_result.endswith(".value") and exported_result[:-6] in validated:
        obj = validated[exported_result[:-6]]
    elif exported_result + ".value" in validated:
        obj = validated[exported_result + ".value"]
    if obj is None:
        return
    prefix = obj + "."
    for key, expr in list(ctx.symbols.items()):
        if key.startswith(prefix) and len(key) > len(prefix):
            ctx.symbols.setdefault(key[len(prefix):], expr)


def _validated_object(receiver, args, schemas):
    """(schema name, object name) of `schema.validate(config)` / `Joi.attempt(config, schema)`."""
    receiver = _unwrap(receiver)
    if receiver is not None and receiver.type == "identifier" and ts.text(receiver) in schemas and args and \
            _unwrap(args[0]).type == "identifier":
        return ts.text(receiver), ts.text(_unwrap(args[0]))
    if len(args) >= 2 and _unwrap(args[0]).type == "identifier" and _unwrap(args[1]).type == "identifier" and \
            ts.text(_unwrap(args[1])) in schemas:
        return ts.text(_unwrap(args[1])), ts.text(_unwrap(args[0]))
    return None


def _apply(ctx, defaults: dict, obj: str) -> None:
    for path, default in defaults.items():
        key = f"{obj}.{path}"
        current = ctx.symbols.get(key)
        if isinstance(current, Env) and current.default is None:
            ctx.symbols[key] = Env(current.var, default)
        elif current is None and not any(k.startswith(key + ".") for k in ctx.symbols):
            ctx.symbols[key] = default
