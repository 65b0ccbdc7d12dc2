"""replica_read: reads routed to a read replica.

What it does: reports Django `.using("replica")` / `.db_manager("replica")` / `connections["replica"]` (also a name or
setting such as `settings.READ_DB` whose text says replica/reader/read/slave/secondary/
follower/standby), a database router's `db_for_read` returning such an alias,
SQLAlchemy `create_engine(...)` bound to a name or URL saying replica/reader/read-only and
sessions bound to such an engine, and obvious attribute access (`db.replica`,
`self.read_replica`), and MongoDB reads that may come from a secondary (`readPreference=
"secondaryPreferred"`, `read_preference=ReadPreference.SECONDARY`, `?readPreference=secondary`).
`.using("default")`, `csv.reader` and primary read preferences are not reported.
Why it matters: replica lag (seconds) breaks consumers that need fresh data.
Example: `Purchase.objects.using("replica").filter(user_id=uid)`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from contract_discovery.values import Env
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import PyFile, dotted, string_value, unwrap

ID = "python.replica_read"

REPLICA = re.compile(r"(replica|reader|read[_-]?only|readonly|\bread\b|_read\b|\bread_|slave|secondary|"
                     r"follower|standby|\bro\b|_ro\b|\bro_|hot_standby)", re.I)

_ATTRIBUTE_TOKENS = (b"replica", b"reader", b"read_db", b"readonly_db", b"connections[")
_DOT_READ = re.compile(rb"\.(?:ro|read)\b")  # on the lower-cased source
# an attribute of queries/replica_candidates.scm: ``.replica``, ``. read_db`` (lower-cased source)
_ATTRIBUTE_NAMES = re.compile(rb"\.[\s\\]*(?:replica|read_replica|replica_db|readonly_db|read_db|reader_db|reader|ro|read)\b")

VALID = [
    """\
def rows(qs):
    return qs.using("default").all()
""",
    """\
from pymongo import MongoClient, ReadPreference
primary = MongoClient("mongodb://mongo-0/risk", readPreference="primaryPreferred")
orders = primary.risk.get_collection("orders", read_preference=ReadPreference.PRIMARY)
""",
    """\
import csv
def load(path):
    with open(path) as fh:
        return list(csv.reader(fh))
""",
]

INVALID = [
    """\
def purchases(user_id):
    return Purchase.objects.using("replica").filter(user_id=user_id)  # expect: replica_read alias=replica mechanism=django_using
""",
    """\
from pymongo import MongoClient
history = MongoClient("mongodb://mongo-0,mongo-1/risk", readPreference="secondaryPreferred")  # expect: replica_read alias=secondaryPreferred mechanism=mongo_read_preference
""",
    """\
from pymongo import ReadPreference
def recent(db):
    return db.get_collection("orders", read_preference=ReadPreference.SECONDARY).find()  # expect: replica_read alias=SECONDARY mechanism=mongo_read_preference
""",
    """\
class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "reader"  # expect: replica_read alias=reader mechanism=django_router
""",
]


def _alias_of(f: PyFile, node) -> str | None:
    node = unwrap(node)
    if node is None:
        return None
    s = string_value(node)
    if s is not None:
        return s if REPLICA.search(s) else None
    text_ = T.text(node)
    if node.type == "call":
        picks = [v for v in (string_value(n) for n in T.walk(node) if n.type == "string") if v and REPLICA.search(v)]
        if picks:
            return ",".join(picks)
    if REPLICA.search(text_.replace("settings.", "")) and node.type in ("identifier", "attribute", "subscript", "call"):
        value = f.expr(node)
        if isinstance(value, Env):
            return value.var
        settled, _ = f.settle(value)
        return settled if isinstance(settled, str) else text_
    return None


_DRIVER_CONNECTS = frozenset({
    "psycopg.connect", "psycopg.AsyncConnection.connect", "psycopg.Connection.connect", "psycopg2.connect",
    "psycopg_pool.ConnectionPool", "psycopg_pool.AsyncConnectionPool", "asyncpg.connect", "asyncpg.create_pool",
    "aiopg.connect", "aiopg.create_pool", "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect",
    "aiomysql.connect", "aiomysql.create_pool",
})


# MongoDB read preferences that may read a secondary (lagging) member; `primaryPreferred` reads the
# primary whenever there is one
_SECONDARY = re.compile(r"^(secondary|secondaryPreferred|nearest|SECONDARY|SECONDARY_PREFERRED|NEAREST)$")
_URL_PREFERENCE = re.compile(r"[?&]readPreference=(secondary|secondaryPreferred|nearest)\b")


def _mongo_secondary(f: PyFile, call) -> str | None:
    """``MongoClient(uri, readPreference="secondaryPreferred")``, ``read_preference=ReadPreference.SECONDARY``
    (also ``with_options``/``get_collection``/``get_database``), or ``?readPreference=secondary`` in a
    MongoClient's URI: reads that may come from a secondary."""
    for key in ("readPreference", "read_preference"):
        arg = call.kwargs.get(key)
        if arg is None:
            continue
        node = unwrap(arg.node)
        text = string_value(node) if node is not None else None
        if text is None and node is not None:
            text = T.text(node).rsplit(".", 1)[-1].split("(", 1)[0]  # ReadPreference.SECONDARY, Secondary()
            text = {"Secondary": "secondary", "SecondaryPreferred": "secondaryPreferred", "Nearest": "nearest"}.get(text, text)
        if text and _SECONDARY.match(text):
            return text
    if call.name in ("MongoClient", "AsyncIOMotorClient", "AsyncMongoClient") and call.args:
        uri = string_value(unwrap(call.args[0].node))
        match = _URL_PREFERENCE.search(uri or "")
        if match:
            return match.group(1)
    return None


@detector(ID, "python", ("replica_read",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    lines: set[int] = set()

    def add(node, alias, mechanism, confidence="high"):
        line = node.start_point[0] + 1
        if line in lines:
            return
        lines.add(line)
        out.append(f.finding("replica_read", node, ID, {"alias": alias, "mechanism": mechanism}, confidence))

    routing = f.has_any(b"using", b"db_manager", b"create_engine", b"create_async_engine", b"bind",
                        b"readPreference", b"read_preference", b"readpreference", b"connect", b"create_pool",
                        b"ConnectionPool")
    for call in f.calls if routing else ():
        name = call.name
        preference = _mongo_secondary(f, call)
        if preference:
            add(call.node, preference, "mongo_read_preference")
            continue
        if name in ("using", "db_manager") and call.receiver and call.args:
            alias = _alias_of(f, call.args[0].node)
            if alias:
                add(call.node, alias, "django_using" if name == "using" else "django_db_manager")
        elif call.qualified in ("sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
                                "create_engine", "create_async_engine") or call.qualified.endswith(
                                    ("sqlalchemy.create_engine", ".create_async_engine")):
            url = call.arg("url", 0)
            owner = call.node.parent
            target = dotted(owner.child_by_field_name("left")) if owner is not None and owner.type == "assignment" else None
            # The engine's name is the alias when it says replica; else the env var or the URL's
            # host (never the whole URL: it may hold credentials).
            alias = target.split(".")[-1] if target and REPLICA.search(target) else None
            if alias is None and url is not None:
                alias = _alias_of(f, url.node)
                if alias and "://" in alias:
                    alias = urlsplit(alias).hostname or alias.split("://", 1)[1].split("/", 1)[0].split("@")[-1]
            if alias:
                add(call.node, alias, "sqlalchemy_engine")
        elif call.qualified in _DRIVER_CONNECTS:
            # a database driver's own connection or pool to a replica: `psycopg.connect(REPLICA_DSN)`,
            # `asyncpg.create_pool(dsn=...)`, `pymysql.connect(host=READER_HOST)`
            alias = None
            for key, index in (("conninfo", 0), ("dsn", 0), ("host", None)):
                arg = call.arg(key, index) if index is not None else call.kwargs.get(key)
                alias = _alias_of(f, arg.node) if arg is not None else None
                if alias:
                    break
            if alias and "://" in alias:
                alias = urlsplit(alias).hostname or alias.split("://", 1)[1].split("/", 1)[0].split("@")[-1]
            if alias:
                add(call.node, alias, "driver_connect")
        elif call.name in ("sessionmaker", "Session", "AsyncSession", "scoped_session") and "bind" in call.kwargs:
            alias = _alias_of(f, call.kwargs["bind"].node)
            if alias:
                add(call.node, alias, "sqlalchemy_bind")
    for fn in f.functions if f.has_any(b"db_for_read") else ():
        if T.text(fn.child_by_field_name("name")) != "db_for_read":
            continue
        for node in T.walk(fn):
            if node.type == "return_statement":
                value = next(iter(node.named_children), None)
                alias = _alias_of(f, value) if value is not None else None
                if alias is None and value is not None and value.type == "call":
                    strings = [string_value(n) for n in T.walk(value) if n.type == "string"]
                    picks = [s for s in strings if s and REPLICA.search(s)]
                    alias = ",".join(picks) if picks else None
                if alias:
                    add(node, alias, "django_router")
    if not f.has_any(*_ATTRIBUTE_TOKENS) and not (b".r" in f.low and _DOT_READ.search(f.low)):
        return out
    if not f.has_any(b"connections") and not _ATTRIBUTE_NAMES.search(f.low):
        return out  # the query below would match nothing (and it visits every attribute)
    found = f.query("replica_candidates")
    nodes = sorted([*found.get("sub", []), *found.get("attr", [])], key=lambda n: (n.start_byte, -n.end_byte))
    for node in nodes:
        if node.type == "subscript":
            base = f.qualify(dotted(node.child_by_field_name("value")) or "")
            if base in ("django.db.connections", "connections"):
                alias = _alias_of(f, node.child_by_field_name("subscript"))
                if alias:
                    add(node, alias, "django_connections")
            continue
        if node.type != "attribute":
            continue
        if node.parent is not None and node.parent.type == "attribute" and node.parent.child_by_field_name("object") == node:
            pass
        attr = T.text(node.child_by_field_name("attribute"))
        obj = T.text(node.child_by_field_name("object")).lower()
        if attr.lower() in ("replica", "read_replica", "replica_db", "readonly_db", "read_db", "reader_db") or (
                attr.lower() in ("reader", "ro", "read") and re.search(r"(db|database|pool|engine|conn)", obj)):
            parent = node.parent
            if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node:
                continue
            if parent is not None and parent.type == "call" and node.parent.child_by_field_name("function") == node \
                    and attr.lower() == "read":
                continue
            add(node, attr, "attribute", "medium")
    return out
