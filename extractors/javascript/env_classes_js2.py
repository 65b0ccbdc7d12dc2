"""(round 18, js2) A NestJS service's environment class validated with class-validator:

    export class EnvironmentVariables {
      @IsNumber() @Transform(({ value }) => parseInt(value, 10))
      public CL_API_GET_RESPONSE_TIMEOUT = 15000;
    }

`ConfigModule.forRoot({ validate })` turns it into the values `configService.get('CL_API_GET_RESPONSE_TIMEOUT')`
returns: the field's initializer is the default the service runs with unless the variable is set
(lido's ethereum-validators-monitoring, council-daemon and keys-api write their settings this way).
Each such field (an UPPER_CASE name, at least one decorator imported from class-validator or
class-transformer) publishes `$envdefault.<NAME>`, the default `config.get("NAME")` already looks for.
"""

from __future__ import annotations

import re

from contract_discovery.values import Unknown
from extractors import treesitter as ts

_ENV_FIELD = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_VALIDATOR_MODULES = ("class-validator", "class-transformer")


def _decorator_names(field: ts.Node) -> list[str]:
    names = []
    for child in field.children:
        if child.type != "decorator":
            continue
        inner = next((c for c in child.named_children), None)
        if inner is not None and inner.type == "call_expression":
            inner = inner.child_by_field_name("function")
        if inner is not None and inner.type == "identifier":
            names.append(ts.text(inner))
    return names


def collect_validated_env_class(ctx, env_default_prefix: str) -> None:
    """Publish `$envdefault.NAME` for each defaulted, validator-decorated UPPER_CASE field of a class."""
    validators = ctx.local_names_for(*_VALIDATOR_MODULES)
    if not validators:
        return
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type not in ("class_declaration", "class", "abstract_class_declaration"):
            stack.extend(node.named_children)
            continue
        body = node.child_by_field_name("body")
        for field in body.named_children if body is not None else ():
            if field.type != "public_field_definition":
                continue
            name_node = field.child_by_field_name("name")
            value = field.child_by_field_name("value")
            name = ts.text(name_node) if name_node is not None else ""
            if value is None or not _ENV_FIELD.match(name) or \
                    not any(d in validators for d in _decorator_names(field)):
                continue
            expr = ctx.to_expr(value, scoped=False)
            if not isinstance(expr, Unknown):
                ctx.symbols.setdefault(env_default_prefix + name, expr)
