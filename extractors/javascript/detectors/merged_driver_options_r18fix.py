"""(round 18, second-wave fixes) A driver's options merged from several objects and node-config sections.

ONLYOFFICE's database connectors and mail service build the object they hand a driver in steps:
`const extra = config.util.cloneDeep(configSql.get('mysqlExtraOptions')); const configuration =
Object.assign({}, connectionConfiguration, extra); mysql.createPool(configuration)` (configSql being
`config.get('services.CoAuthoring.sql')`), `config.util.extendDeep(connectionConfig, pgPoolExtraOptions); new
pg.Pool(connectionConfig)`, `const settings = Object.assign(connectionDefaultSettings, cfgConnection);
nodemailer.createTransport(Object.assign({}, server, settings))`. The driver's timeout keys are read from
every part: a literal's key is reported on its own line (`socketTimeout: 1000 * 60 * 2`), a node-config
section's key at the driver's call, valued from the default file (kept only when the file sets it):
pg `connectionTimeoutMillis`, mysql / mysql2 `connectTimeout` (ms), oracledb `connectTimeout` (seconds),
nodemailer `connectionTimeout` / `greetingTimeout` (connect) and `socketTimeout` (idle)."""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Ref
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, dotted, object_props, string_value, unwrap

ID = "javascript.merged_driver_options"

# driver (qualified call prefix) -> {key: (phase, ms per unit)}
_PG = {"connectionTimeoutMillis": ("connect", 1.0)}
_MYSQL = {"connectTimeout": ("connect", 1.0)}
_ORACLE = {"connectTimeout": ("connect", 1000.0)}
_MAIL = {"connectionTimeout": ("connect", 1.0), "greetingTimeout": ("connect", 1.0), "socketTimeout": ("idle", 1.0)}
_DRIVERS = (
    (re.compile(r"^pg(\.default)?\.(Pool|Client)$|^pg-pool(\.default)?$"), _PG),
    (re.compile(r"^(mysql2?|mysql2/promise)(\.default)?\.(createPool|createConnection|createPoolCluster)$"), _MYSQL),
    (re.compile(r"^oracledb(\.default)?\.(createPool|getConnection)$"), _ORACLE),
    (re.compile(r"^nodemailer(\.default)?\.createTransport$"), _MAIL),
)


def detect(ctx: FileContext) -> None:
    if b"config" not in ctx.data and b"Object.assign" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        keys = next((k for pattern, k in _DRIVERS if pattern.match(call.qualified or "")), None)
        if keys is None or not call.args:
            continue
        arg = unwrap(call.args[0])
        if arg is None or arg.type not in ("identifier", "call_expression"):
            continue  # a literal handed straight in is client_options' own rule
        literals, sections = [], []
        _sources(ctx, arg, call.node, literals, sections, 0, set())
        if not sections and len(literals) < 2:
            continue  # one plain literal through one name: client_options reads it already
        for obj in literals:
            for key, value in (object_props(obj) or {}).items():
                if key not in keys or value is None:
                    continue
                pair = value.parent
                line = (pair or value).start_point[0] + 1
                if (line, "timeout") in taken:
                    continue
                phase, scale = keys[key]
                expr = ctx.to_expr(value)
                result = ctx.evaluate(expr).value
                attrs = {"timeout_ms": result * scale if isinstance(result, (int, float)) else None, "phase": phase,
                         "expression": ts.text(value), "resolved_from": "literal" if result is not None else "unresolved"}
                pend = () if result is not None else (Pending("timeout_ms", expr, scale),)
                ctx.finding("timeout", pair or value, ID, attrs, "medium", None, pend)
                taken.add((line, "timeout"))
        fn = call.node.child_by_field_name("function") or call.node.child_by_field_name("constructor")
        at = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
        line = (at or call.node).start_point[0] + 1
        if (line, "timeout") in taken:
            continue
        for section in sections:
            for key, (phase, scale) in keys.items():
                ref = Ref(f"$node-config:{section}.{key}")
                attrs = {"timeout_ms": None, "phase": phase, "expression": f"{section}.{key}",
                         "resolved_from": "unresolved"}
                ctx.finding("timeout", call.node, ID, attrs, "medium", None,
                            (Pending("timeout_ms", ref, scale), Pending(KEEP_IF, ref, None)))
                # (one finding per key the section may set; the ones it does not set are dropped)
        taken.add((line, "timeout"))


def _config_path(ctx: FileContext, node: ts.Node | None, site: ts.Node, depth: int) -> str | None:
    """The node-config key a `config.get('a.b')` / `section.get('c')` (section = config.get('a.b')) /
    `config.util.cloneDeep(x)` reads."""
    node = unwrap(node)
    if node is None or depth > 6:
        return None
    if node.type == "identifier":
        return _config_path(ctx, ctx.local_value(ts.text(node), site), site, depth + 1)
    if node.type != "call_expression":
        return None
    fn = dotted(node.child_by_field_name("function")) or ""
    args = node.child_by_field_name("arguments")
    given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if fn.endswith(".util.cloneDeep") and len(given) == 1:
        return _config_path(ctx, given[0], site, depth + 1)
    if fn.endswith(".get") and len(given) == 1 and string_value(given[0]) is not None:
        head = fn[: -len(".get")]
        if ctx.imports.get(head) == "config":
            return string_value(given[0])
        if re.fullmatch(r"[A-Za-z_$][\w$]*", head):
            outer = _config_path(ctx, ctx.local_value(head, site), site, depth + 1)
            return f"{outer}.{string_value(given[0])}" if outer else None
    return None


def _sources(ctx: FileContext, node: ts.Node | None, site: ts.Node, literals: list, sections: list, depth: int,
             seen: set) -> None:
    node = unwrap(node)
    if node is None or depth > 6 or node.start_byte in seen:
        return
    seen.add(node.start_byte)
    if node.type == "object":
        literals.append(node)
        for child in node.named_children:
            if child.type == "spread_element" and child.named_children:
                _sources(ctx, child.named_children[0], site, literals, sections, depth + 1, seen)
        return
    if node.type == "identifier":
        name = ts.text(node)
        value = ctx.local_value(name, site)
        path = _config_path(ctx, value, site, 0) if value is not None else None
        if path is not None:
            sections.append(path)
            return
        if value is not None:
            _sources(ctx, value, site, literals, sections, depth + 1, seen)
        # `config.util.extendDeep(connectionConfig, extra)`, `Object.assign(connectionConfig, extra)` as
        # statements: the later parts merged into the object the name holds
        for call in ctx.calls:
            cname = call.callee or ""
            if (cname.endswith("util.extendDeep") or cname == "Object.assign") and len(call.args) >= 2 and \
                    ts.text(unwrap(call.args[0]) or call.args[0]) == name and call.node.parent is not None and \
                    call.node.parent.type == "expression_statement":
                for part in call.args[1:]:
                    _sources(ctx, part, site, literals, sections, depth + 1, seen)
        return
    if node.type == "call_expression":
        fn = dotted(node.child_by_field_name("function")) or ""
        args = node.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if fn == "Object.assign" or fn.endswith("util.extendDeep"):
            for part in given:
                _sources(ctx, part, site, literals, sections, depth + 1, seen)
            return
        path = _config_path(ctx, node, site, 0)
        if path is not None:
            sections.append(path)
