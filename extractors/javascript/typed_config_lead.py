"""Round 20 (lead, polyglot17): settings handed to a client class as a typed config object.

`export function loadConfig(env = process.env): CheckoutConfig { return { riskTimeoutMs:
parseInt(env.RISK_TIMEOUT_MS || '400', 10), riskBaseUrl: env.RISK_BASE_URL || 'http://risk:8000' } }`
builds the object; `class RiskClient { constructor(private readonly config: CheckoutConfig) {} ... }`
reads `this.config.riskTimeoutMs`. The builder publishes each member as `$typed:CheckoutConfig.<member>`
(the same symbols a typed variable publishes, `_collect_typed_settings`), the reader refers to it.
A URL member publishes its fallback string, so the calls built on it have a destination.
"""

from __future__ import annotations

import re

from contract_discovery.values import Expr, Ref, Str
from extractors import treesitter as ts

_FUNCTIONS = ("function_declaration", "function_expression", "arrow_function", "method_definition",
              "generator_function_declaration")
_URL_KEY = re.compile(r"(?:url|uri|endpoint|host|address|addr|origin)$", re.I)


def returned_objects(ctx, type_key) -> list[tuple[str, ts.Node]]:
    """(type key, object literal) for each function of the file annotated to return a capitalised type
    and returning object literals (`function loadConfig(): CheckoutConfig { return {...} }`,
    `const load = (): Cfg => ({...})`)."""
    from extractors.javascript.context import unwrap
    out: list[tuple[str, ts.Node]] = []
    functions = list(ctx.nodes_of("function_declaration", "generator_function_declaration", "method_definition"))
    for decl in ctx.nodes_of("variable_declarator"):  # `const load = (): Cfg => ({...})` (arrows are not indexed)
        value = unwrap(decl.child_by_field_name("value"))
        if value is not None and value.type in ("arrow_function", "function_expression", "function"):
            functions.append(value)
    if functions:
        for fn in functions:
            key = type_key(fn.child_by_field_name("return_type"))
            if not key or not key[:1].isupper():
                continue
            body = fn.child_by_field_name("body")
            if body is None:
                continue
            value = unwrap(body)
            if value is not None and value.type == "object":
                out.append((key, value))  # an arrow function's expression body
                continue
            stack = list(body.named_children)
            while stack:
                node = stack.pop()
                if node.type in _FUNCTIONS or node.type == "class_body":
                    continue
                if node.type == "return_statement" and node.named_children:
                    value = unwrap(node.named_children[0])
                    if value is not None and value.type == "object":
                        out.append((key, value))
                    continue
                stack.extend(node.named_children)
    return out


def url_member_value(ctx, node: ts.Node | None) -> Expr | None:
    """A URL member's fallback: `env.RISK_BASE_URL || 'http://risk:8000'`, or a literal URL."""
    from extractors.javascript.context import string_value, unwrap
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("??", "||"):
        node = unwrap(node.child_by_field_name("right"))
    value = string_value(node) if node is not None else None
    return Str(value) if value and re.match(r"[a-z][a-z0-9+.-]*://", value) else None


def publish_url_members(ctx, names: list[str], obj: ts.Node, typed_prefix: str) -> None:
    from extractors.javascript.context import key_name
    for pair in obj.named_children:
        member = key_name(pair.child_by_field_name("key")) if pair.type == "pair" else None
        if not member or not _URL_KEY.search(member):
            continue
        expr = url_member_value(ctx, pair.child_by_field_name("value"))
        if expr is not None:
            for name in names:
                ctx.symbols.setdefault(f"{typed_prefix}{name}.{member}", expr)


def constructor_typed_field(node: ts.Node, field: str, type_key) -> str:
    """The type key of the constructor parameter property `field` of the class around `node`
    (`constructor(private readonly config: CheckoutConfig)`), else ""."""
    from extractors.javascript.context import constructor_param
    param = constructor_param(node, field)
    if param is None or not any(c.type == "accessibility_modifier" or ts.text(c) == "readonly" for c in param.children):
        return ""
    key = type_key(param.child_by_field_name("type"))
    return key if key[:1].isupper() else ""


def typed_this_member(node: ts.Node, name: str, type_key, setting_key: re.Pattern, typed_prefix: str) -> Expr | None:
    """`this.config.riskTimeoutMs` (or `...riskBaseUrl`) of a constructor parameter property typed
    `CheckoutConfig`: `$typed:CheckoutConfig.riskTimeoutMs`."""
    field, _, member = name[5:].partition(".")
    if not member or "." in member:
        return None
    if not (setting_key.search(member) or _URL_KEY.search(member)):
        return None
    key = constructor_typed_field(node, field, type_key)
    return Ref(f"{typed_prefix}{key}.{member}") if key else None


def publish_class_fields(ctx, setting_key: re.Pattern, typed_prefix: str) -> None:
    """Round 21 (lead, polyglot18): a settings class whose fields carry their defaults
    (`export class Settings { riskTimeoutMs = Number(process.env.RISK_TIMEOUT_MS ?? 350); riskUrl =
    process.env.RISK_URL ?? 'http://risk:8000' }`), read elsewhere through a parameter or parameter
    property typed by it (`constructor(private readonly cfg: Settings = settings)` reading
    `cfg.riskTimeoutMs` / `this.cfg.riskAttempts`). Each instance field with a numeric value or fallback
    publishes `$typed:<Class>.<field>` (the same symbol a typed object literal publishes), a URL field
    its fallback string."""
    from extractors.javascript.context import key_name, unwrap
    for member in ctx.nodes_of("public_field_definition", "field_definition"):
        body = member.parent
        cls = body.parent if body is not None and body.type == "class_body" else None
        name = cls.child_by_field_name("name") if cls is not None and cls.type == "class_declaration" else None
        if name is None or not ts.text(name)[:1].isupper() or any(ts.text(c) == "static" for c in member.children):
            continue
        field = key_name(member.child_by_field_name("name") or member.child_by_field_name("property"))
        value = member.child_by_field_name("value")
        if not field or value is None:
            continue
        symbol = f"{typed_prefix}{ts.text(name)}.{field}"
        if _URL_KEY.search(field):
            expr = url_member_value(ctx, value)
            if expr is not None:
                ctx.symbols.setdefault(symbol, expr)
            continue
        if not setting_key.search(field):
            continue
        node = unwrap(value)
        if node is not None and node.type == "call_expression" and \
                ts.text(node.child_by_field_name("function")) in ("Number", "parseInt", "parseFloat"):
            args = node.child_by_field_name("arguments")
            node = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        expr = ctx._typed_setting_value(node)
        if expr is not None:
            ctx.symbols.setdefault(symbol, expr)
