"""Timeouts handed to a project's own request function defined in another file.

What it does: a module-level function whose parameter becomes a client's timeout
(`def post_json(url, body, timeout=5): return requests.post(url, json=body, timeout=timeout)`)
publishes that parameter (`post_json.$timeout_param:2` and `post_json.$timeout_param:timeout`,
valued at the unit the client reads). A call of an imported function that passes a number at
such a position or keyword (`post_json(RISK_URL, cart, 0.5)`, `http.post_json(url, b, timeout=2)`)
(a number, an upper-case constant or arithmetic of those) is proposed as a timeout of phase
`total` with the value it passes; the pipeline keeps the
proposal only when the callee's file published the parameter (everything else is dropped), and
values it in ms. Not proposed: arguments that are the caller's own parameters (a forwarder, read
where it is called), strings, `None`, calls of functions defined in this file or of libraries.
Why it matters: most services call their dependencies through a helper of their own; the
timeout each call site hands it is the contract with that dependency.
Example: `post_json(RISK_URL, cart, 0.5)` with `post_json` in `app/http.py`.
"""

from __future__ import annotations

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Num, Ref, Unknown
from extractors import treesitter as T
from extractors import wrappers
from extractors.base import detector
from extractors.python.analysis import unwrap
from extractors.python.detectors import module_doc

ID = "python.wrapper_timeout"

VALID = [
    """\
import requests
from app.http import post_json


def forward(url, body, timeout):
    return post_json(url, body, timeout)  # ok: a forwarder of its caller's value


def local_helper(url, t):
    return requests.get(url, timeout=t)


local_helper("http://risk/x", 3)  # ok: a function of this file (its own detectors read it)
post_json("http://risk/x", {}, None)  # ok: no bound
""",
]

INVALID = [
    """\
from app.http import post_json
from app import http

RISK_TIMEOUT = 0.5

post_json("http://risk/score", {}, RISK_TIMEOUT)  # expect: timeout timeout_ms=None phase=total via=post_json
http.post_json("http://risk/score", {}, timeout=2)  # expect: timeout timeout_ms=None phase=total via=http.post_json
""",
]


def _number_like(f, node) -> bool:
    """A number, a constant's name (`RISK_TIMEOUT`, `settings.RISK_TIMEOUT`) or arithmetic of those:
    told by shape first (most arguments are variables and strings), resolved only then."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("integer", "float"):
        return True
    if node.type == "identifier" or node.type == "attribute":
        last = T.text(node).rsplit(".", 1)[-1]
        return last.isupper() and not isinstance(f.expr(node), Unknown)
    if node.type == "binary_operator":
        return all(_number_like(f, side) for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))
    return False


def _forwarded(f, node) -> bool:
    """An argument that is a parameter of the enclosing function: the caller's caller decides."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    fn = f.enclosing_function(node)
    return fn is not None and T.text(node) in f.function_params(fn)


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.imports:
        return out
    for call in f.calls:
        head = call.callee.split(".", 1)[0]
        if head not in f.imports or "(" in call.callee or call.callee.startswith("self."):
            continue
        module = f.imports[head]
        if module.split(".", 1)[0] in _LIBRARIES:
            continue
        proposals = [(str(i), a.node) for i, a in enumerate(call.args)] + [(k, a.node) for k, a in call.kwargs.items()]
        for key, node in proposals:
            if not _number_like(f, node) or _forwarded(f, node):
                continue
            value = f.expr(unwrap(node))
            unit = Ref(f"{call.callee}.{wrappers.TIMEOUT_PARAM}:{key}")
            out.append(f.finding("timeout", call.node, ID, {
                "timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                "expression": T.text(node), "via": call.callee}, "medium",
                pending=(Pending("timeout_ms", BinOp("*", value, unit), 1.0), Pending(KEEP_IF, unit, None))))
            if unwrap(node).type != "float":
                # the same value may be the helper's attempts bound (`call_with_retry(fn, 3)`)
                marker = Ref(f"{call.callee}.{wrappers.ATTEMPTS_PARAM}:{key}")
                out.append(f.finding("retry", call.node, ID, {
                    "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                    "via": call.callee}, "medium",
                    pending=(Pending("max_attempts", BinOp("-", BinOp("+", value, marker), Num(1)), 1.0),
                             Pending(KEEP_IF, marker, None))))
    return out


# Top-level packages of libraries (a project's own package is never one of these): their calls are
# read by the library detectors.
_LIBRARIES = frozenset({
    "requests", "httpx", "aiohttp", "urllib", "urllib3", "http", "socket", "ssl", "asyncio", "time", "os", "sys",
    "json", "re", "logging", "subprocess", "threading", "concurrent", "multiprocessing", "queue", "boto3",
    "botocore", "grpc", "redis", "celery", "django", "flask", "fastapi", "sqlalchemy", "psycopg2", "psycopg",
    "pymongo", "kafka", "pika", "tenacity", "backoff", "datetime", "math", "random", "uuid", "functools",
    "itertools", "collections", "typing", "dataclasses", "pydantic", "numpy", "pandas", "smtplib", "ftplib",
    "paramiko", "ldap3", "elasticsearch", "google", "azure", "stripe", "openai", "anthropic", "kombu",
})


def publish(f, findings) -> dict:
    """The parameters of this file's module-level functions that become a timeout or bound a retry
    here (``<function>.$timeout_param:<index>`` / ``:<name>`` -> ms per unit of the argument;
    ``$attempts_param`` likewise): see ``extractors.wrappers``."""
    functions = []
    for fn in f.functions:
        if fn.parent is None or not (fn.parent.type == "module" or fn.parent.type == "decorated_definition"
                                     and fn.parent.parent is not None and fn.parent.parent.type == "module"):
            continue
        params = f.function_params(fn)
        if not params:
            continue
        defaults = {}
        for param, default in params.items():
            if default is not None:
                number = f.settle(f.expr(default))[0]
                if isinstance(number, (int, float)) and not isinstance(number, bool):
                    defaults[param] = number
        functions.append(wrappers.Function(names=(T.text(fn.child_by_field_name("name")),),
                                           first_line=fn.start_point[0] + 1, last_line=fn.end_point[0] + 1,
                                           params=tuple(params), defaults=defaults))
    return wrappers.publish(functions, findings, own_detectors=(ID,))
