"""Database and cache client timeouts.

What it does: reports `connect_timeout` of psycopg/psycopg2/pymysql/MySQLdb `connect(...)`
(phase connect; also inside a DSN string `"... connect_timeout=5"`, or a DSN held in a setting or a constant
of another module, `connect(settings.REPLICA_DSN)`, `create_engine(DATABASE_URL)`: kept when the resolved
DSN carries `connect_timeout`), asyncpg
`connect(timeout=..., command_timeout=...)` (connect / read), SQLAlchemy
`create_engine(pool_timeout=..., connect_args={"connect_timeout": ...})` (pool_timeout is
reported with phase connect: it bounds waiting for a connection), Django
`DATABASES[...]["OPTIONS"]["connect_timeout"]` (also filled item by item at module level,
`DATABASES["default"]["OPTIONS"] = {...}`, and psycopg 3's `"pool": {"timeout": N}`, the wait for a free
connection, phase connect), and redis clients'
`socket_connect_timeout` (connect) and `socket_timeout` (read; `None` written out is redis-py's no bound,
not reported). Values are seconds. Also a driver's
arguments filled key by key (`connect_args["timeout"] = t`, `connect_args["command_timeout"] = t`,
`connect_args["options"] = f"-c statement_timeout={ms}"`, the last in milliseconds), and psycopg_pool's
`ConnectionPool(dsn, timeout=30)` (waiting for a free connection: phase connect), and a PostgreSQL
`execute("SET statement_timeout = '600s'")` (phase read; not in an Alembic or Django migration).
Why it matters: a database without a connect timeout hangs its callers when it fails over.
Example: `create_engine(url, connect_args={"connect_timeout": 3})`.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Str
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import string_value, unwrap
from extractors.treesitter import Arg

ID = "python.db"

CONNECTS = ("psycopg2.connect", "psycopg.connect", "psycopg.AsyncConnection.connect", "pymysql.connect",
            "MySQLdb.connect", "mysql.connector.connect", "psycopg_pool.ConnectionPool", "psycopg_pool.AsyncConnectionPool",
            "psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool", "aiomysql.connect",
            "aiomysql.create_pool")
ENGINES = ("sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine", "create_engine",
           "create_async_engine")
REDIS = ("redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.asyncio.Redis", "redis.asyncio.from_url",
         "redis.Redis.from_url", "redis.ConnectionPool", "redis.asyncio.ConnectionPool", "aioredis.from_url",
         "redis.cluster.RedisCluster", "redis.sentinel.Sentinel")

VALID = [
    """\
from alembic import op


def upgrade():
    op.execute("SET statement_timeout = 5000")  # ok: a migration's one-off budget
""",
    """\
def note(cursor):
    cursor.execute("SELECT 'SET statement_timeout = 5'")  # ok: not a SET statement
""",
    """\
import psycopg2
conn = psycopg2.connect(dsn)
""",
    """\
def render(request_args, connect_args):
    request_args["timeout"] = 5  # ok: not a database driver's arguments
    connect_args["application_name"] = "api"  # ok: not a timeout
""",
]

INVALID = [
    """\
from sqlalchemy import text


def reindex(request):
    request.db.execute(text("SET statement_timeout = '600s'"))  # expect: timeout timeout_ms=600000 phase=read
    request.db.execute(text("SELECT 1"))  # ok: not a setting
""",
    """\
import sqlalchemy as sa

_TIMEOUT = 60000  # milliseconds


def search(context, data_dict):
    timeout = context.get('query_timeout', _TIMEOUT)
    context['connection'].execute(sa.text(  # expect: timeout timeout_ms=60000 phase=read
        f"SET LOCAL statement_timeout TO {timeout}"))
    context['connection'].execute(sa.text(f"SELECT * FROM {data_dict['resource_id']} LIMIT {timeout}"))  # ok: not a SET
""",
    """\
from sqlalchemy import create_engine
engine = create_engine(DB_URL, pool_timeout=10, connect_args={"connect_timeout": 3})  # expect: timeout timeout_ms=10000 phase=connect; timeout timeout_ms=3000 phase=connect
""",
    """\
from sqlalchemy.ext.asyncio import create_async_engine


def make_engine(dsn, command_timeout=None, connect_timeout=None):
    connect_args = {"prepared_statement_cache_size": 0}
    if command_timeout is not None:
        connect_args["command_timeout"] = command_timeout  # expect: timeout phase=read resolved_from=unresolved
    if connect_timeout is not None:
        connect_args["timeout"] = connect_timeout  # expect: timeout phase=connect resolved_from=unresolved
    connect_args["options"] = "-c statement_timeout=5000"  # expect: timeout timeout_ms=5000 phase=read
    return create_async_engine(dsn, connect_args=connect_args)
""",
    """\
from psycopg_pool import ConnectionPool

pool = ConnectionPool(DSN, min_size=2, timeout=12)  # expect: timeout timeout_ms=12000 phase=connect
""",
    """\
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"connect_timeout": 5},  # expect: timeout timeout_ms=5000 phase=connect
    }
}
""",
]

_DSN = re.compile(r"connect_timeout\s*=\s*(\d+(?:\.\d+)?)")


def _named_dsn_timeout(f, call, node) -> list:
    """(round 21, lead: polyglot19) `psycopg2.connect(settings.REPLICA_DSN)`, `create_engine(DATABASE_URL)`: a
    DSN held in a name (a settings file's value, a constant of another module, an env default) whose text may
    carry `connect_timeout=N` (seconds); proposed, and kept only when the resolved DSN has one."""
    node = unwrap(node)
    if node is None or node.type not in ("identifier", "attribute", "call", "subscript"):
        return []
    if node.type == "identifier" and not (T.text(node).isupper() or T.text(node) in f.imports):
        return []  # a local or a parameter (`connect(dsn)`): its callers' value, not a setting of this file
    value = Call("dsn_param", (f.expr(node), Str("connect_timeout")))
    return [f.finding("timeout", call.node, ID, {
        "timeout_ms": None, "phase": "connect", "resolved_from": "unresolved",
        "expression": f"connect_timeout in {T.text(node)}"}, "medium",
        pending=(Pending("timeout_ms", value, 1000.0), Pending(KEEP_IF, value, None)))]
# a dict of driver arguments filled key by key: `connect_args["connect_timeout"] = 5`
CONNECT_ARGS = re.compile(r"(^|[^A-Za-z])(connect|conn|connection|db|database)_?(args|kwargs|params|options)(\W|$)", re.I)
ITEM_PHASES = {"connect_timeout": "connect", "timeout": "connect", "command_timeout": "read", "read_timeout": "read",
               "write_timeout": "read", "socket_timeout": "read", "socket_connect_timeout": "connect"}
_STATEMENT = re.compile(r"statement_timeout\s*=\s*(\d+)")


def _connect_args_items(f) -> list:
    """`connect_args["timeout"] = connect_timeout` (asyncpg: connect), `connect_args["command_timeout"] = x`,
    `connect_args["options"] = f"-c statement_timeout={ms}"` (PostgreSQL, milliseconds): a driver's
    arguments filled one key at a time before `create_engine(url, connect_args=connect_args)`."""
    out = []
    if not f.has_any(b"_args[", b"_kwargs[", b"_params[", b"_options["):
        return out
    for node in f.query("assignments").get("item", []):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "subscript":
            continue
        owner = left.child_by_field_name("value")
        key = string_value(left.child_by_field_name("subscript"))
        if owner is None or key is None or not CONNECT_ARGS.search(T.text(owner)):
            continue
        if key in ITEM_PHASES:
            out += f.duration(right, 1000.0, ITEM_PHASES[key], ID, node, None)
        elif key == "options" and "statement_timeout" in T.text(right):
            value = unwrap(right)
            literal = _STATEMENT.search(string_value(value) or "")
            if literal:
                out.append(f.finding("timeout", node, ID, {
                    "timeout_ms": int(literal.group(1)), "phase": "read", "resolved_from": "literal",
                    "expression": literal.group(0)}))
                continue
            inner = next((x for x in T.walk(value) if x.type == "interpolation"), None)
            expr = inner.named_children[0] if inner is not None and inner.named_children else None
            if expr is not None:
                out += f.duration(expr, 1.0, "read", ID, node, None)
    return out


# `SET statement_timeout = '600s'` / `SET LOCAL statement_timeout TO 5000` (PostgreSQL: a bare number is ms)
_SET_STATEMENT = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?statement_timeout\s*(?:=|TO)\s*'?(\d+(?:\.\d+)?)\s*"
                            r"(ms|s|min|h)?'?\s*;?\s*$", re.I)
_SQL_UNITS = {None: 1.0, "ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0}
_SQL_RUNNERS = ("execute", "exec_driver_sql", "executescript")


def _set_statement_timeout(f) -> list:
    """`session.execute(text("SET statement_timeout = '600s'"))`, `cursor.execute("SET statement_timeout
    TO 5000")`: the statements that follow on that connection are cut after that long (phase read),
    reported at the execute call. Not in a migration (a file importing alembic or Django's migrations:
    a one-off schema script's budget)."""
    out = []
    if not f.has_any(b"statement_timeout") or any(
            m == "alembic" or m.startswith("alembic.") or m.startswith("django.db.migrations")
            for m in f.imports.values()):
        return out
    for call in f.calls:
        if call.name not in _SQL_RUNNERS or not call.args:
            continue
        arg = unwrap(call.args[0].node)
        inner = f.call_of(arg) if arg is not None and arg.type == "call" else None
        if inner is not None and inner.name == "text" and inner.args:
            arg = unwrap(inner.args[0].node)
        m = _SET_STATEMENT.match(string_value(arg) or "") if arg is not None else None
        if m is None:
            out += _set_statement_fstring(f, arg, call)
            continue
        unit = (m.group(2) or "").lower() or None
        out.append(f.finding("timeout", call.node, ID, {
            "timeout_ms": int(float(m.group(1)) * _SQL_UNITS[unit]), "phase": "read", "resolved_from": "literal",
            "expression": m.group(0).strip()}))
    return out


# `f"SET LOCAL statement_timeout TO {timeout}"` (round 12, ckan's datastore): one interpolated value
_SET_STATEMENT_F = re.compile(r"^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?statement_timeout\s*(?:=|TO)\s*'?\x00\s*"
                              r"(ms|s|min|h)?'?\s*;?\s*$", re.I)


def _set_statement_fstring(f, arg, call) -> list:
    if arg is None or arg.type != "string":
        return []
    holes = [c for c in arg.named_children if c.type == "interpolation"]
    if len(holes) != 1:
        return []
    body = "".join("\x00" if c.type == "interpolation" else T.text(c) for c in arg.named_children
                   if c.type in ("string_content", "interpolation"))
    m = _SET_STATEMENT_F.match(body)
    value = next((c for c in holes[0].named_children if c.type not in ("format_specifier", "type_conversion")), None)
    if m is None or value is None:
        return []
    found = f.binding(T.text(value), value) if value.type == "identifier" else None
    lookup = f.call_of(unwrap(found[0])) if found else None
    if lookup is not None and lookup.name == "get" and len(lookup.args) == 2 and string_value(lookup.args[0].node):
        # `timeout = context.get('query_timeout', _TIMEOUT)`: a request's own setting, else that default
        value = lookup.args[1].node
    return f.duration(value, _SQL_UNITS[(m.group(1) or "").lower() or None], "read", ID, call.node, None)


def _pairs(node):
    node = unwrap(node)
    if node is None:
        return {}
    if node.type == "dictionary":
        return {string_value(p.child_by_field_name("key")): p.child_by_field_name("value")
                for p in node.named_children if p.type == "pair"}
    if node.type == "call" and T.text(node.child_by_field_name("function")) == "dict":
        args = node.child_by_field_name("arguments")
        return {T.text(k.child_by_field_name("name")): k.child_by_field_name("value")
                for k in (args.named_children if args is not None else []) if k.type == "keyword_argument"}
    return {}


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"timeout", b"connect(", b"create_engine(", b"create_async_engine("):
        return out  # every setting read here is a *timeout keyword (or connect_timeout= in a DSN, maybe a named one)
    for call in f.calls:
        q = call.qualified
        k = {name: Arg(node=node, text=T.text(node), keyword=name) for name, node in f.effective_kwargs(call).items()}
        if q in CONNECTS or (q.endswith(".connect") and q.split(".")[0] in ("psycopg2", "psycopg", "pymysql", "MySQLdb", "asyncpg", "aiopg")):
            if q.startswith("asyncpg"):
                if "timeout" in k:
                    out += f.duration(k["timeout"].node, 1000.0, "connect", ID, call.node, None)
                if "command_timeout" in k:
                    out += f.duration(k["command_timeout"].node, 1000.0, "read", ID, call.node, None)
                continue
            if "connect_timeout" in k:
                out += f.duration(k["connect_timeout"].node, 1000.0, "connect", ID, call.node, None)
            if q.startswith("psycopg_pool.") and "timeout" in k:
                # psycopg_pool: how long getconn()/connection() waits for a free connection
                out += f.duration(k["timeout"].node, 1000.0, "connect", ID, call.node, None)
            for kw in ("read_timeout", "write_timeout"):
                if kw in k:
                    out += f.duration(k[kw].node, 1000.0, "read", ID, call.node, None)
            dsn = string_value(call.args[0].node) if call.args else None
            if dsn is None and call.args and call.args[0].node.type in ("string", "concatenated_string"):
                dsn = T.text(call.args[0].node)  # (round 20) an f-string DSN: `f"... password='{pw}' connect_timeout=1"`
            m = _DSN.search(dsn or "")
            if m:
                out.append(f.finding("timeout", call.node, ID, {
                    "timeout_ms": int(float(m.group(1)) * 1000), "phase": "connect", "resolved_from": "literal",
                    "expression": m.group(0)}))
            elif dsn is None and call.args and "connect_timeout" not in k:
                out += _named_dsn_timeout(f, call, call.args[0].node)
        elif q in ENGINES or q.endswith((".create_engine", ".create_async_engine")):
            if "pool_timeout" in k:
                out += f.duration(k["pool_timeout"].node, 1000.0, "connect", ID, call.node, None)
            args = _pairs(k["connect_args"].node) if "connect_args" in k else {}
            for key, phase in (("connect_timeout", "connect"), ("timeout", "connect"), ("read_timeout", "read"),
                               ("command_timeout", "read")):
                if key in args and args[key] is not None:
                    out += f.duration(args[key], 1000.0, phase, ID, call.node, None)
            url = string_value(call.args[0].node) if call.args else None
            m = _DSN.search(url or "")
            if m:
                out.append(f.finding("timeout", call.node, ID, {
                    "timeout_ms": int(float(m.group(1)) * 1000), "phase": "connect", "resolved_from": "literal",
                    "expression": m.group(0)}))
            elif url is None and call.args and "connect_timeout" not in args:
                out += _named_dsn_timeout(f, call, call.args[0].node)
        elif q in REDIS or (q.startswith("redis.") and q.rsplit(".", 1)[-1] in ("Redis", "StrictRedis", "from_url")):
            for kw, phase in (("socket_connect_timeout", "connect"), ("socket_timeout", "read")):
                # `socket_timeout=None` written out is redis-py's own "no bound": nothing to report
                if kw in k and T.text(unwrap(k[kw].node) or k[kw].node) != "None":
                    out += f.duration(k[kw].node, 1000.0, phase, ID, call.node, None)
    out += _connect_args_items(f)
    out += _set_statement_timeout(f)
    # Django settings: DATABASES = {"alias": {"OPTIONS": {"connect_timeout": N}}}
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            if left != "DATABASES":
                continue
            for alias, conf in _pairs(right).items():
                options = _pairs(conf).get("OPTIONS") if conf is not None else None
                opts = _pairs(options) if options is not None else {}
                out += _database_options(f, alias, opts)
    out += _database_items(f)
    return out


def _database_options(f, alias, opts: dict) -> list:
    """The timeouts of one database's OPTIONS dict: the driver's connect_timeout (also sqlite's / a driver's
    `timeout`), read_timeout, and psycopg 3's connection pool `"pool": {"timeout": N}` (the wait for a free
    connection, phase connect: round 18, kitsune)."""
    out = []
    pool = _pairs(opts["pool"]) if opts.get("pool") is not None else {}
    for table, key, phase in (((opts, "connect_timeout", "connect"), (opts, "timeout", "connect"),
                               (opts, "read_timeout", "read"), (pool, "timeout", "connect"))):
        node = table.get(key)
        if node is not None:
            pair = node.parent
            out += f.duration(node, 1000.0, phase, ID, pair if pair is not None else node, None,
                              extra={"database": alias})
    return out


def _subscript_path(node) -> tuple[str | None, list]:
    """`DATABASES["default"]["OPTIONS"]` -> ("DATABASES", ["default", "OPTIONS"]) (string keys only)."""
    keys = []
    while node is not None and node.type == "subscript":
        keys.append(string_value(node.child_by_field_name("subscript")))
        node = node.child_by_field_name("value")
    if node is None or node.type != "identifier" or any(k is None for k in keys):
        return None, []
    return T.text(node), keys[::-1]


def _database_items(f) -> list:
    """Django settings filling DATABASES item by item at module level (also under an `if`): `DATABASES["default"][
    "OPTIONS"] = {"connect_timeout": 10, "pool": {"timeout": 30}}` or `DATABASES["default"]["OPTIONS"][
    "connect_timeout"] = 10` (round 18, kitsune)."""
    out = []
    if not f.has_any(b"databases["):
        return out
    for node in f.query("assignments").get("item", []):
        if f.enclosing_function(node) is not None:
            continue
        name, keys = _subscript_path(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if name != "DATABASES" or right is None or len(keys) < 2 or keys[1] != "OPTIONS":
            continue
        if len(keys) == 2:
            out += _database_options(f, keys[0], _pairs(right))
        elif len(keys) == 3 and keys[2] in ("connect_timeout", "read_timeout"):
            out += f.duration(right, 1000.0, "connect" if keys[2] == "connect_timeout" else "read", ID, node, None,
                              extra={"database": keys[0]})
    return out
