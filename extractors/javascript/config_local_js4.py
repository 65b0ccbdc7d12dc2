"""(round 19, js4) A local holding the service's parsed configuration, read by an environment variable's name.

`const config = c.resolve(CORE_CONFIG)` (a DI container's configuration token: tsyringe, inversify, awilix),
`const config = envSchema.parse(process.env)`: `config.POSTGRES_CONNECT_TIMEOUT` reads that variable, with
the default the service's env schema declares (`$envdefault.NAME`, a zod `.default(3)`), as a parameter
holding the settings does. Not: a local made otherwise (`const config = { ... }`, `new Config()`), a token
not named for configuration or the environment.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts

_TOKEN = re.compile(r"(?:^|\.)[A-Z][A-Z0-9_]*(?:CONFIG|ENV)[A-Z0-9_]*$")
_SCHEMA = re.compile(r"(?i)(env|config)\w*schema\w*\.(parse|safeParse|validateSync)$|^(parseEnv|loadEnv|getEnv|"
                     r"loadConfig|getConfig)$")
_SCOPES = ("statement_block", "program", "class_body")


def resolved_config_local(node: ts.Node, head: str) -> bool:
    if not re.fullmatch(r"[a-z][\w$]*", head) or not re.search(r"(?i)conf|env|settings", head):
        return False
    for scope in ts.ancestors(node):
        if scope.type not in _SCOPES:
            continue
        for stmt in scope.named_children:
            if stmt.start_byte > node.start_byte:
                break
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                name = decl.child_by_field_name("name")
                if decl.type != "variable_declarator" or name is None or ts.text(name) != head:
                    continue
                return _config_value(decl.child_by_field_name("value"))
    return False


def _config_value(value: ts.Node | None) -> bool:
    while value is not None and value.type in ("await_expression", "parenthesized_expression", "as_expression",
                                               "non_null_expression"):
        value = value.named_children[0] if value.named_children else None
    if value is None or value.type != "call_expression":
        return False
    fn = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    callee = re.sub(r"\s+", "", ts.text(fn)) if fn is not None else ""
    callee = re.sub(r"<.*>$", "", callee)
    first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
    if callee.endswith((".resolve", ".get")) and first is not None and _TOKEN.search(ts.text(first)):
        return True
    return bool(_SCHEMA.search(callee))
