"""Database and cache client timeouts.

What it does: reports `connect_timeout` of psycopg/psycopg2/pymysql/MySQLdb `connect(...)`
(phase connect; also inside a DSN string `"... connect_timeout=5"`), asyncpg
`connect(timeout=..., command_timeout=...)` (connect / read), SQLAlchemy
`create_engine(pool_timeout=..., connect_args={"connect_timeout": ...})` (pool_timeout is
reported with phase connect: it bounds waiting for a connection), Django
`DATABASES[...]["OPTIONS"]["connect_timeout"]`, and redis clients'
`socket_connect_timeout` (connect) and `socket_timeout` (read). Values are seconds.
Why it matters: a database without a connect timeout hangs its callers when it fails over.
Example: `create_engine(url, connect_args={"connect_timeout": 3})`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import string_value, unwrap
from extractors.treesitter import Arg

ID = "python.db"

CONNECTS = ("psycopg2.connect", "psycopg.connect", "psycopg.AsyncConnection.connect", "pymysql.connect",
            "MySQLdb.connect", "mysql.connector.connect", "psycopg_pool.ConnectionPool",
            "psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool", "aiomysql.connect",
            "aiomysql.create_pool")
ENGINES = ("sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine", "create_engine",
           "create_async_engine")
REDIS = ("redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.asyncio.Redis", "redis.asyncio.from_url",
         "redis.Redis.from_url", "redis.ConnectionPool", "redis.asyncio.ConnectionPool", "aioredis.from_url",
         "redis.cluster.RedisCluster", "redis.sentinel.Sentinel")

VALID = [
    """\
import psycopg2
conn = psycopg2.connect(dsn)
""",
]

INVALID = [
    """\
from sqlalchemy import create_engine
engine = create_engine(DB_URL, pool_timeout=10, connect_args={"connect_timeout": 3})  # expect: timeout timeout_ms=10000 phase=connect; timeout timeout_ms=3000 phase=connect
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
    if not f.has_any(b"timeout"):
        return out  # every setting read here is a *timeout keyword (or connect_timeout= in a DSN)
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
            for kw in ("read_timeout", "write_timeout"):
                if kw in k:
                    out += f.duration(k[kw].node, 1000.0, "read", ID, call.node, None)
            dsn = string_value(call.args[0].node) if call.args else None
            m = _DSN.search(dsn or "")
            if m:
                out.append(f.finding("timeout", call.node, ID, {
                    "timeout_ms": int(float(m.group(1)) * 1000), "phase": "connect", "resolved_from": "literal",
                    "expression": m.group(0)}))
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
        elif q in REDIS or (q.startswith("redis.") and q.rsplit(".", 1)[-1] in ("Redis", "StrictRedis", "from_url")):
            for kw, phase in (("socket_connect_timeout", "connect"), ("socket_timeout", "read")):
                if kw in k:
                    out += f.duration(k[kw].node, 1000.0, phase, ID, call.node, None)
    # Django settings: DATABASES = {"alias": {"OPTIONS": {"connect_timeout": N}}}
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            if left != "DATABASES":
                continue
            for alias, conf in _pairs(right).items():
                options = _pairs(conf).get("OPTIONS") if conf is not None else None
                opts = _pairs(options) if options is not None else {}
                for key, phase in (("connect_timeout", "connect"), ("timeout", "connect"),
                                   ("read_timeout", "read")):
                    node = opts.get(key)
                    if node is not None:
                        pair = node.parent
                        out += f.duration(node, 1000.0, phase, ID, pair if pair is not None else node, None,
                                          extra={"database": alias})
    return out
