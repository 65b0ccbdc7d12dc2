"""Sequelize options written as a configuration object of their own (round 19, js1: DEFRA's ffc services,
sequelize-cli `config/database.js`): `{ dialect: 'postgres', dialectOptions: { statement_timeout: 360000 },
retry: { max: 10, timeout: 360000 }, pool: {...} }` exported and handed to `new Sequelize(config)` (or a
wrapper such as ffc-database's `new Database(config)`) in another file.

What it does: in an object literal whose ``dialect`` is one of Sequelize's (postgres, mysql, mariadb,
sqlite, mssql, db2, snowflake, oracle), reports retry-as-promised's ``retry.max`` (every try counted)
and its per-try ``retry.timeout``, and the driver's ``dialectOptions.statement_timeout`` /
``query_timeout`` (PostgreSQL) and ``connectTimeout`` (MySQL / MariaDB), each at its key's line (the
retry object may be a constant of the file handed by name: `retry,` of `const retry = { max: 10 }`).
An object handed to `new Sequelize(...)` in the same file is left to the driver detector, which
reports the same options there.

Never: an object without a Sequelize dialect (a knex or TypeORM config), a pool's acquire wait (pool
waits are not labelled in the JS sets), a zero or disabled value, a sqlite file (local).

Why it matters: these bound every query and connection attempt the service makes to its database.

Example::

    const retry = { backoffBase: 500, match: [/SequelizeConnectionError/], max: 10, timeout: 360000 }
    module.exports = { dialect: 'postgres', dialectOptions: { statement_timeout: 360000 }, retry }
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import (FileContext, is_disabled_value, js_detector, key_name, object_props,
                                           string_value, unwrap)

ID = "javascript.sequelize_config"
_DIALECTS = {"postgres", "mysql", "mariadb", "mssql", "db2", "snowflake", "oracle"}
_DIALECT_TIMEOUTS = {"statement_timeout": "total", "query_timeout": "total", "connectTimeout": "connect"}


def _pair_of(obj: ts.Node, key: str) -> ts.Node | None:
    for child in obj.named_children:
        if child.type == "pair" and key_name(child.child_by_field_name("key")) == key:
            return child
        if child.type == "shorthand_property_identifier" and ts.text(child) == key:
            return child
    return None


def _handed_to_sequelize(obj: ts.Node) -> bool:
    node = obj.parent
    while node is not None and node.type in ("arguments", "parenthesized_expression"):
        node = node.parent
    return node is not None and node.type == "new_expression" and \
        ts.text(node.child_by_field_name("constructor") or node).split(".")[-1] == "Sequelize"


@js_detector(ID, ["timeout", "retry"],
             valid=["module.exports = { client: 'pg', pool: { acquireTimeoutMillis: 30000 } }",
                    "module.exports = { dialect: 'sqlite', retry: { max: 10 } }"],
             invalid=["module.exports = { dialect: 'postgres', retry: { max: 10 } }"])
def detect(ctx: FileContext) -> None:
    if b"dialect" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    objects, stack = [], [ctx.tree.root_node]
    while stack:  # (objects are not indexed; the file says `dialect`, so it is worth the walk)
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        if node.type == "object" and b"dialect" in ctx.data[node.start_byte:node.end_byte]:
            objects.append(node)
    for obj in objects:
        dialect = _pair_of(obj, "dialect")
        if dialect is None or dialect.type != "pair":
            continue
        name = string_value(unwrap(dialect.child_by_field_name("value")))
        if name not in _DIALECTS or _handed_to_sequelize(obj):
            continue
        retry = _pair_of(obj, "retry")
        if retry is not None:
            value = retry if retry.type == "shorthand_property_identifier" else retry.child_by_field_name("value")
            policy = ctx.resolve_object(value)
            if (policy is None or unwrap(policy).type != "object") and value is not None and \
                    value.type in ("shorthand_property_identifier", "identifier"):
                policy = ctx.local_value(ts.text(value), value)  # `retry,` of `const retry = { max: 10 }`
            if policy is not None and unwrap(policy).type == "object":
                policy = unwrap(policy)
                most = _pair_of(policy, "max")
                if most is not None and most.type == "pair":
                    _report(ctx, "retry", most, most.child_by_field_name("value"), taken)
                per_try = _pair_of(policy, "timeout")
                if per_try is not None and per_try.type == "pair":
                    _report(ctx, "timeout", per_try, per_try.child_by_field_name("value"), taken)
        options = _pair_of(obj, "dialectOptions")
        inner = ctx.resolve_object(options.child_by_field_name("value")) if options is not None and \
            options.type == "pair" else None
        if inner is not None and unwrap(inner).type == "object":
            for key, phase in _DIALECT_TIMEOUTS.items():
                pair = _pair_of(unwrap(inner), key)
                if pair is not None and pair.type == "pair":
                    _report(ctx, "timeout", pair, pair.child_by_field_name("value"), taken, phase)


def _report(ctx: FileContext, kind: str, pair: ts.Node, value: ts.Node | None, taken: set, phase: str = "total") -> None:
    value = unwrap(value)
    line = pair.start_point[0] + 1
    if value is None or is_disabled_value(value) or (line, kind) in taken:
        return
    taken.add((line, kind))
    if kind == "retry":
        attempts, confidence, pending = ctx.count_value(value, 0.0)
        attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                 "mechanism": "client_config", "library": "sequelize"}
        ctx.finding("retry", pair, ID, attrs, confidence, None, pending)
        return
    attrs, confidence, pending = ctx.timeout_value(value)
    attrs["phase"] = phase
    attrs["library"] = "sequelize"
    ctx.finding("timeout", pair, ID, attrs, confidence, None, pending)

