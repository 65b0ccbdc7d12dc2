"""PynamoDB models: `class Meta:` connect/read timeouts and `max_retry_attempts` of a `Model`.

What it does: reads the inner `class Meta:` of a class deriving from PynamoDB's `Model` (directly, through
a base class of the same file, or any class of a file importing pynamodb whose `Meta` names a pynamodb
option): `connect_timeout_seconds` is a timeout of phase connect, `read_timeout_seconds` one of phase read
(seconds), `max_retry_attempts = N` is N + 1 attempts (PynamoDB retries a failed DynamoDB call N times
after the first; its default, 3, is not reported where the Meta does not name it). Each at the
attribute's line (the values are settings of every call the model makes to its table).
Why it matters: the model's table calls give up (or retry) on these bounds, not on botocore's.
Example: `class Meta: table_name = "users"; connect_timeout_seconds = 1; read_timeout_seconds = 2`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import body_statements, unwrap

ID = "python.pynamodb"

VALID = [
    """\
from django.db import models

class Profile(models.Model):
    class Meta:
        read_timeout_seconds = 5  # ok: not a PynamoDB model (no pynamodb import)
""",
    """\
from pynamodb.models import Model

class User(Model):
    class Meta:
        table_name = "users"
        read_capacity_units = 10  # ok: capacity, no timeout
    read_timeout_seconds = 3  # ok: an attribute of the model, not of its Meta
""",
]

INVALID = [
    """\
from pynamodb.models import Model
from app import settings

class Credential(Model):
    class Meta:
        table_name = "credentials"
        connect_timeout_seconds = 1  # expect: timeout timeout_ms=1000 phase=connect
        read_timeout_seconds = 2.5  # expect: timeout timeout_ms=2500 phase=read
        max_retry_attempts = 2  # expect: retry max_attempts=3 library=pynamodb
""",
    """\
from pynamodb.models import Model

class BaseModel(Model):
    pass

class Event(BaseModel):
    class Meta:
        table_name = "events"
        if HOST:
            host = HOST
        read_timeout_seconds = 4  # expect: timeout timeout_ms=4000 phase=read
""",
]

PHASES = {"connect_timeout_seconds": "connect", "read_timeout_seconds": "read"}


def _is_model(f, cls, depth: int = 0) -> bool:
    for base in f.class_bases(cls):
        if base.startswith("pynamodb.") or base in ("Model",) and "pynamodb.models.Model" in f.imports.values():
            return True
        local = f.classes.get(base.rsplit(".", 1)[-1])
        if local is not None and local is not cls and depth < 3 and _is_model(f, local, depth + 1):
            return True
    return False


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"pynamodb") or not f.has_any(b"timeout_seconds", b"max_retry_attempts"):
        return out
    seen = set()
    for cls in f.classes.values():
        if not _is_model(f, cls):
            continue
        for stmt in body_statements(cls.child_by_field_name("body")):
            if stmt.type != "class_definition" or stmt.child_by_field_name("name") is None or \
                    stmt.child_by_field_name("name").text != b"Meta" or stmt.id in seen:
                continue
            seen.add(stmt.id)
            for inner in body_statements(stmt.child_by_field_name("body")):
                for left, right in f._assignments_in(inner):
                    at = right.parent if right.parent is not None else right
                    if left in PHASES:
                        out += f.duration(right, 1000.0, PHASES[left], ID, at, None)
                    elif left == "max_retry_attempts":
                        node = unwrap(right)
                        value, pending, conf = f.count(node, offset=1)
                        out.append(f.finding("retry", at, ID, {
                            "max_attempts": value, "backoff": "exponential", "retry_on": "throttling,transient errors",
                            "mechanism": "client_config", "library": "pynamodb"}, conf, None, pending))
    return out
