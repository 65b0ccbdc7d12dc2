"""Client timeouts that a framework reads from a settings module by name.

What it does: reports a module-level assignment (or an upper-case attribute of a module-level
`...Config` / `...Settings` class, Flask's `app.config.from_object(Config)`) of a setting that a
framework hands to its own network client: Django's `EMAIL_TIMEOUT` (the SMTP connection, phase
total), Flask-SQLAlchemy 2's `SQLALCHEMY_POOL_TIMEOUT` (connect: the pool's checkout wait; `None if
DISABLE_POOL else 30` is 30 where a pool exists), Flask-Mailman's `MAIL_TIMEOUT` (total),
Flask-SimpleLDAP's `LDAP_TIMEOUT` (connect), Celery's
`broker_connection_timeout` / `CELERY_BROKER_CONNECTION_TIMEOUT` (connect),
`redis_socket_timeout` / `CELERY_REDIS_SOCKET_TIMEOUT` (read),
`redis_socket_connect_timeout` / `CELERY_REDIS_SOCKET_CONNECT_TIMEOUT` (connect) and
and, inside a settings dict bound to an upper-case name (`RQ_PARAMS`, `CACHES`,
`CELERY_BROKER_TRANSPORT_OPTIONS`), the client keys `socket_connect_timeout` /
`SOCKET_CONNECT_TIMEOUT` / `connect_timeout` / `pool_timeout` (connect) and `socket_timeout` / `SOCKET_TIMEOUT` /
`read_timeout` (read) at any depth (`DATABASES` is the database detector's); in a dict named for a client's
keyword arguments (`CLIENT_KWARGS`, `ES_SEARCH_PARAMS`, `..._ARGS`) also its own `timeout` / `request_timeout`
keys (total); and a memcached cache's
`OPTIONS` `timeout` (pymemcache's send/recv, read; the entry TTL `TIMEOUT` beside it is not). Values are seconds;
an env default (`float(os.getenv("EMAIL_TIMEOUT", "10"))`) or a settings dict's own default
(`EMAIL.get("TIMEOUT", 10)`) is resolved like any other value.
The lower-case Celery names count only in a module that also sets `broker_url` or
`result_backend` (a Celery config module).
CherryPy's `'server.socket_timeout'` (read) and `'response.timeout'` (a handler's deadline) keys
of a config dict are reported in a module that imports cherrypy.
Not reported: `None` and negative values (the framework's default or "no limit": Django's SMTP waits forever,
`LDAP_TIMEOUT = -1`), cache `TIMEOUT`
(a time to live), `SESSION_COOKIE_AGE`, task time limits (job policies).
A dict merged with a literal (`"OPTIONS": DATABASE_OPTIONS | {"connect_timeout": 1}`) is read through
its literal side; django-redis's `CONNECTION_POOL_CLASS_KWARGS` `"timeout"` beside a
`BlockingConnectionPool` is the wait for a free connection (connect).
Why it matters: the framework opens these connections itself, so no call site shows them.
Example: `EMAIL_TIMEOUT = 30.0` in settings.py.
"""

from __future__ import annotations

import re

from contract_discovery.values import Call, Num
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import is_none, string_value, unwrap
from extractors.python.detectors import module_doc

ID = "python.settings_timeout"

SETTINGS = {
    "EMAIL_TIMEOUT": "total",
    # Flask extensions read these from app.config (a module or a config class given to from_object)
    "SQLALCHEMY_POOL_TIMEOUT": "connect",  # Flask-SQLAlchemy 2.x: the pool's checkout wait
    "MAIL_TIMEOUT": "total",  # Flask-Mailman's SMTP connection
    "LDAP_TIMEOUT": "connect",  # Flask-SimpleLDAP: python-ldap's OPT_NETWORK_TIMEOUT
    "broker_connection_timeout": "connect",
    "redis_socket_timeout": "read",
    "redis_socket_connect_timeout": "connect",
}

VALID = [
    """\
EMAIL_TIMEOUT = None  # ok: Django's default, no bound
LDAP_TIMEOUT = -1  # ok: python-ldap's "no limit"
TIMEOUT = 300  # ok: not a framework's client setting
RESPONSES = {"response.timeout": 3600}  # ok: no cherrypy imported here
redis_socket_timeout = 5  # ok: no broker_url or result_backend here, not a Celery config module
options = {"socket_timeout": 5}  # ok: a lower-case local, read where a client is given it
CACHES = {"default": {"TIMEOUT": 300}}  # ok: a cache entry's time to live
BROKER_CONNECTION_TIMEOUT = 30  # ok: no BROKER_URL here, not Celery 3's settings
""",
]

INVALID = [
    """\
import os
EMAIL_TIMEOUT = 30.0  # expect: timeout timeout_ms=30000 phase=total
CELERY_BROKER_CONNECTION_TIMEOUT = int(os.getenv("BROKER_TIMEOUT", "4"))  # expect: timeout timeout_ms=4000 phase=connect
EMAIL = getattr(configuration, "EMAIL", {})
EMAIL_TIMEOUT = EMAIL.get("TIMEOUT", 10)  # expect: timeout timeout_ms=10000 phase=total
SENTINEL_TIMEOUT = 10
RQ_PARAMS = {
    "SOCKET_TIMEOUT": None,  # ok: no bound
    "CONNECTION_KWARGS": {
        "socket_connect_timeout": SENTINEL_TIMEOUT,  # expect: timeout timeout_ms=10000 phase=connect
    },
}
""",
    """\
broker_url = "redis://redis:6379/0"
redis_socket_connect_timeout = 2  # expect: timeout timeout_ms=2000 phase=connect
""",
    """\
import os
BROKER_URL = os.environ.get("RABBITMQ_URL", None)
BROKER_POOL_LIMIT = 1
BROKER_CONNECTION_TIMEOUT = 30  # expect: timeout timeout_ms=30000 phase=connect
""",
    """\
import cherrypy

options = {"server.socket_port": 8181, "server.socket_timeout": 60, "server.thread_pool": 10}  # expect: timeout timeout_ms=60000 phase=read
cherrypy.config.update(options)


class Export:
    @cherrypy.config(**{"response.timeout": 3600})  # expect: timeout timeout_ms=3600000 phase=total
    def download(self):
        return b""
""",
]


# a settings dict named for a client's keyword arguments
KWARGS_SETTING = re.compile(r"_(KWARGS|PARAMS|ARGS|CLIENT_OPTIONS|CONNECTION_OPTIONS|REQUEST_OPTIONS)$")
DICT_KEYS = {"socket_connect_timeout": "connect", "connect_timeout": "connect", "socket_timeout": "read",
             "read_timeout": "read", "pool_timeout": "connect"}


def _memcached_backend(table) -> bool:
    """A Django cache entry whose BACKEND is a memcached client (pymemcache, pylibmc)."""
    for pair in table.named_children:
        if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "BACKEND":
            backend = string_value(unwrap(pair.child_by_field_name("value"))) or ""
            return "memcache" in backend.lower() or "pylibmc" in backend.lower()
    return False


def _merged_dicts(value) -> list:
    """The literal dicts of a settings value: `{...}` itself, or each `{...}` of a dict union
    (`DATABASE_OPTIONS | {"connect_timeout": 1}`, Python 3.9's merge: the literal's keys win)."""
    value = unwrap(value)
    if value is None:
        return []
    if value.type == "dictionary":
        return [value]
    if value.type == "call" and T.text(value.child_by_field_name("function")) == "dict" and \
            value.child_by_field_name("arguments") is not None:
        # `REDIS_CACHE_CONNECTION_PARAMS = dict(socket_timeout=..., ...)` (round 18, insights-rbac): its keywords
        return [value.child_by_field_name("arguments")]
    if value.type == "binary_operator" and T.text(value.child_by_field_name("operator")) == "|":
        return _merged_dicts(value.child_by_field_name("left")) + _merged_dicts(value.child_by_field_name("right"))
    return []


def _blocking_pool(table) -> bool:
    """A django-redis OPTIONS dict whose CONNECTION_POOL_CLASS is redis's BlockingConnectionPool."""
    for pair in table.named_children:
        if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "CONNECTION_POOL_CLASS":
            return "BlockingConnectionPool" in (string_value(unwrap(pair.child_by_field_name("value"))) or "")
    return False


def _dict_timeouts(f, table, depth=0, keys=DICT_KEYS):
    out = []
    if depth > 4 or table is None or table.type not in ("dictionary", "argument_list"):
        return out
    for pair in table.named_children:
        if pair.type == "keyword_argument":  # `dict(socket_timeout=...)`: the keywords are the keys
            key, value = pair.child_by_field_name("name"), unwrap(pair.child_by_field_name("value"))
            name = T.text(key) if key is not None else None
        elif pair.type != "pair":
            continue
        else:
            key, value = pair.child_by_field_name("key"), unwrap(pair.child_by_field_name("value"))
            name = string_value(key) if key is not None else None
        if value is None:
            continue
        merged = _merged_dicts(value)
        if merged:
            # a memcached cache's OPTIONS `"timeout"` is the client's socket send/recv bound (pymemcache),
            # not the entry TTL (`TIMEOUT` beside OPTIONS); django-redis's CONNECTION_POOL_CLASS_KWARGS
            # `"timeout"` beside a BlockingConnectionPool is the wait for a free connection (connect)
            inner = {**DICT_KEYS, "timeout": "read"} if name == "OPTIONS" and _memcached_backend(table) else (
                {**DICT_KEYS, "timeout": "connect"} if name in ("CONNECTION_POOL_CLASS_KWARGS",
                                                                "CONNECTION_POOL_KWARGS") and _blocking_pool(table)
                else DICT_KEYS)
            for part in merged:
                out += _dict_timeouts(f, part, depth + 1, inner)
        elif name and name.lower() in keys and not is_none(value):
            out += f.duration(value, 1000.0, keys[name.lower()], ID, pair, None, extra={"setting": name})
    return out


def _negative(f, node) -> bool:
    """A setting of -1 (or any negative number): the library's "no limit"."""
    settled, _ = f.settle(f.expr(unwrap(node)))
    return isinstance(settled, (int, float)) and not isinstance(settled, bool) and settled < 0


def _apm_timeouts(f, table) -> list:
    """Elastic APM's Django/Flask `ELASTIC_APM = {"SERVER_TIMEOUT": "20s"}`: the agent's requests to
    the APM server; a duration string (`"500ms"`, `"20s"`, `"1m"`) or a number of seconds."""
    out = []
    for pair in table.named_children:
        if pair.type != "pair" or string_value(pair.child_by_field_name("key")) != "SERVER_TIMEOUT":
            continue
        value = unwrap(pair.child_by_field_name("value"))
        if value is None or is_none(value):
            continue
        expr = Call("duration_ms", (f.expr(value),), (("bare", Num(1000.0)),))
        settled, source = f.settle(expr)
        out += f._duration_one(value, expr, settled, source, 1.0, "total", ID, pair, None, (), False, "timeout",
                               {"setting": "ELASTIC_APM.SERVER_TIMEOUT"})
    return out


def _setting(name: str, celery_module: bool, old_celery: bool = False) -> str | None:
    if name in ("EMAIL_TIMEOUT", "SQLALCHEMY_POOL_TIMEOUT", "MAIL_TIMEOUT", "LDAP_TIMEOUT"):
        return SETTINGS[name]
    if name == "BROKER_CONNECTION_TIMEOUT" and old_celery:
        # Celery 3's upper-case names beside `BROKER_URL` (Django settings read without a namespace;
        # round 16, pontoon)
        return SETTINGS["broker_connection_timeout"]
    if name.startswith("CELERY_"):
        return SETTINGS.get(name[len("CELERY_"):].lower())
    return SETTINGS.get(name) if celery_module and name.islower() else None


CONFIG_CLASS = re.compile(r"(Config|Configuration|Settings)$")


def _config_class(f, cls, depth: int = 0) -> bool:
    """`class Config(object)`, `class ProductionSettings(BaseSettings)`, `class Development(Config)`
    (deriving from one of this file)."""
    name = cls.child_by_field_name("name")
    if name is not None and CONFIG_CLASS.search(T.text(name)):
        return True
    return depth < 4 and any(base in f.classes and f.classes[base] is not cls and _config_class(
        f, f.classes[base], depth + 1) for base in f.class_bases(cls))


def _unless_none(node):
    """`None if SQLALCHEMY_DISABLE_POOL else 30`: the setting where it applies (the None branch turns
    the client feature off: no pool, no wait)."""
    value = unwrap(node)
    if value is not None and value.type == "conditional_expression":
        parts = [c for c in value.named_children if c.type != "comment"]
        if len(parts) == 3 and is_none(unwrap(parts[0])) != is_none(unwrap(parts[2])):
            return parts[2] if is_none(unwrap(parts[0])) else parts[0]
    return node


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"_timeout", b"response.timeout"):
        return out
    bindings = [(left, right) for stmt in f.root.named_children for left, right in f._assignments_in(stmt)]
    if f.has_any(b"config["):
        bindings += _flask_config_items(f)
    celery_module = any(left in ("broker_url", "result_backend") for left, _ in bindings)
    old_celery = any(left in ("BROKER_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND") for left, _ in bindings)
    for name, cls in f.classes.items():
        # `class Config(object): SQLALCHEMY_POOL_TIMEOUT = 30` (Flask's app.config.from_object(Config)):
        # the upper-case attributes of a module-level configuration class are settings too
        if _config_class(f, cls) and cls.parent is not None and cls.parent.type == "module":
            body = cls.child_by_field_name("body")
            bindings += [(left, right) for stmt in (body.named_children if body is not None else [])
                         for left, right in f._assignments_in(stmt) if left.isupper()]
    for left, right in bindings:
        if left == "ELASTIC_APM" and unwrap(right) is not None and unwrap(right).type == "dictionary":
            out += _apm_timeouts(f, unwrap(right))
            continue
        if left.isupper() and left != "DATABASES" and _merged_dicts(right):
            # (round 18, the round-17 request) a settings dict named as a client's keyword arguments
            # (`CLIENT_KWARGS = {"timeout": 5}`, `ES_SEARCH_PARAMS = {"request_timeout": 5}`, splatted into a
            # client call elsewhere): its own `timeout` / `request_timeout` keys too
            keys = {**DICT_KEYS, "timeout": "total", "request_timeout": "total"} if KWARGS_SETTING.search(left) \
                and "TRANSPORT" not in left else DICT_KEYS
            for part in _merged_dicts(right):
                out += _dict_timeouts(f, part, keys=keys)
            continue
        phase = _setting(left, celery_module, old_celery)
        if phase is None or is_none(unwrap(right)) or _negative(f, right):
            continue  # `LDAP_TIMEOUT = -1`: no limit (python-ldap, Flask-SimpleLDAP), like None
        right = _unless_none(right)
        out += f.duration(right, 1000.0, phase, ID, right.parent, None, extra={"setting": left})
    if f.has_any(b".conf") and celery_imported(f):
        out += _celery_conf_timeouts(f)
    if f.has_any(b"server.socket_timeout", b"response.timeout") and any(
            module == "cherrypy" or module.startswith("cherrypy.") for module in f.imports.values()):
        out += _cherrypy(f)
    return out


def _flask_config_items(f) -> list:
    """(round 19, openfec) Flask's `app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_timeout": 120, ...}` (also
    `app.config["EMAIL_TIMEOUT"] = 30`) anywhere in the file: a setting bound by its upper-case key."""
    out = []
    for node in T.walk(f.root):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "subscript":
            continue
        base = left.child_by_field_name("value")
        key = string_value(left.child_by_field_name("subscript"))
        if base is not None and T.text(base).endswith("config") and key and re.match(r"^[A-Z][A-Z0-9_]+$", key):
            out.append((key, right))
    return out


def celery_imported(f) -> bool:
    return any(module == "celery" or module.startswith("celery.") for module in f.imports.values())


def celery_conf_settings(f, names) -> list:
    """(setting, value node, node to report at) of Celery settings given in code: the keywords (or a dict's
    string keys) of `app.conf.update(broker_connection_timeout=30, ...)` (at the call) and
    `app.conf.broker_connection_timeout = 30` (at the assignment; round 19, openfec)."""
    out = []
    for call in f.calls:
        if not call.callee.endswith(".conf.update"):
            continue
        for key, a in call.kwargs.items():
            if key in names:
                out.append((key, a.node, call.node))
        for a in call.args:
            if unwrap(a.node) is not None and unwrap(a.node).type == "dictionary":
                for pair in unwrap(a.node).named_children:
                    key = string_value(pair.child_by_field_name("key")) if pair.type == "pair" else None
                    if key in names and pair.child_by_field_name("value") is not None:
                        out.append((key, pair.child_by_field_name("value"), call.node))
    for node in T.walk(f.root):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        m = re.search(r"\.conf\.(\w+)$", T.text(left)) if left is not None and left.type == "attribute" else None
        if m and m.group(1) in names and right is not None:
            out.append((m.group(1), right, node))
    return out


def _celery_conf_timeouts(f) -> list:
    out = []
    for name, value, at in celery_conf_settings(f, SETTINGS):
        if not name.islower() or is_none(unwrap(value)) or _negative(f, value):
            continue
        out += f.duration(value, 1000.0, SETTINGS[name], ID, at, None, extra={"setting": name})
    return out


# CherryPy's config keys (a dict handed to cherrypy.config.update / @cherrypy.config(**{...})), seconds
CHERRYPY = {"server.socket_timeout": "read", "response.timeout": "total"}


def _cherrypy(f) -> list:
    """`{'server.socket_timeout': 60}` (the server's socket reads) and `{'response.timeout': 3600}`
    (a handler's own deadline) of a CherryPy application."""
    from extractors import treesitter as T
    out = []
    for node in T.walk(f.root):
        if node.type != "pair":
            continue
        phase = CHERRYPY.get(string_value(node.child_by_field_name("key")) or "")
        value = node.child_by_field_name("value")
        if phase is None or value is None or is_none(unwrap(value)):
            continue
        out += f.duration(value, 1000.0, phase, ID, node, None, extra={"setting": string_value(
            node.child_by_field_name("key"))})
    return out
