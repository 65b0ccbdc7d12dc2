"""A service's own timeout and retry settings, as a chart or manifest hands them to the service:
environment-style keys of a ConfigMap or a container's ``env`` (``REGISTRY_HTTP_CLIENT_TIMEOUT``,
``WEBHOOK_JOB_MAX_RETRY``) and the client blocks of a configuration file a ConfigMap holds
(``redis: {addr: ..., dialtimeout: 10s, readtimeout: 10s}``).

When the service's code is not in the repository (a chart for a published image: Harbor, Sentry,
GitLab ...) these lines are the only evidence of the limits its calls run with.

Read line by line as written (a Helm template is not YAML until it is rendered):

- an environment-style name (capitals and underscores) with a ``TIMEOUT`` part is a timeout
  (``phase: total``), one ending in ``MAX_RETRY`` / ``MAX_RETRIES`` / ``RETRIES`` / ``RETRY_COUNT`` a
  retry count (``+ 1``), one ending in ``MAX_ATTEMPTS`` / ``ATTEMPTS`` an attempts count; names of an
  idle / keep-alive / TTL / session / lock / cache / server-side / shutdown / probe setting or of a
  backoff / interval / delay are not. Both ``KEY: value`` (ConfigMap ``data``) and ``- name: KEY``
  followed by ``value:`` (a container's ``env``) are read; the finding is at the key's line.
- the value: a duration with its unit (``"5m0s"``, ``10s``); a number whose unit the name gives
  (``_MS``, ``_SECONDS``, ``_MINUTES``); a ``{{ .Values.x }}`` placeholder, settled from the chart's
  values.yaml (a duration there, or a number whose unit the name or the values.yaml comment beside
  the key gives: ``timeout: 3 # in seconds``). A bare number whose unit nothing says is not
  reported (it cannot be checked, and idle timeouts are often written so).
- a client block's ``dialtimeout`` / ``connect_timeout`` / ``readtimeout`` / ``writetimeout`` (any
  case, ``_`` optional) under a key naming a client (redis, database, postgres, mysql, mongo,
  memcached, elasticsearch, kafka, rabbitmq, amqp, nats, etcd, upstream, backend, client, ...),
  written as a duration: ``phase: connect`` / ``read`` / ``write``. A server's blocks (``http``,
  ``server``, ``listen``) are not client blocks.
"""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, duration_text_ms, normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import chart_dir, placeholder_expr, rendered_lines

ID = "kubernetes.service_settings"

_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<q>[\"']?)(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)(?P=q)[ \t]*:"
                  r"(?:[ \t]+(?P<value>[^#\n]*?))?[ \t]*(?:#.*)?$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NOT_A_CALL = {"IDLE", "KEEPALIVE", "KEEP", "ALIVE", "TTL", "SESSION", "LOCK", "CACHE", "SHUTDOWN", "GRACE",
               "GRACEFUL", "PROBE", "LIVENESS", "READINESS", "STARTUP", "SERVER", "LISTEN", "LISTENER",
               "INACTIVITY", "INACTIVE", "EXPIRY", "EXPIRATION", "EXPIRE", "BACKOFF", "INTERVAL", "DELAY",
               "WAIT", "SLEEP", "POLL", "LOGIN", "PASSWORD", "TOKEN", "JWT", "COOKIE", "UI", "BROWSER",
               "TERMINATION", "DRAIN", "HEARTBEAT", "REAPER", "JITTER", "PERIOD"}
_UNIT_MS = {"MS": 1.0, "MILLIS": 1.0, "MILLISECONDS": 1.0, "MSEC": 1.0, "SECONDS": 1000.0, "SECS": 1000.0,
            "SEC": 1000.0, "S": 1000.0, "MINUTES": 60000.0, "MINS": 60000.0, "MIN": 60000.0,
            "HOURS": 3600000.0}
_CLIENT_PARENT = re.compile(
    r"^(?:redis|rediss|sentinel|database|db|postgres|postgresql|pg|mysql|mariadb|mongo|mongodb|memcache|"
    r"memcached|elasticsearch|elastic|opensearch|kafka|rabbitmq|rabbit|amqp|nats|etcd|consul|zookeeper|"
    r"upstream|backend|client|http_client|httpclient|cache|storage|s3|ldap|smtp|grpc_client)"
    r"(?:[_-]?(?:conn|connection|client|pool|config|options|opts))?$", re.I)
_CLIENT_RETRY = re.compile(r"^(?:retry|retries|max_?retries|max_?retry)$", re.I)
_CLIENT_KEY = re.compile(r"^(dial|connect|read|write)_?timeout$", re.I)
_PHASE = {"dial": "connect", "connect": "connect", "read": "read", "write": "write"}
_PLACEHOLDER_KEY = re.compile(r"\.Values\.([A-Za-z0-9_.]+)")


_HAS_ENV = re.compile(rb"[A-Z0-9_](?:TIMEOUT|RETRY|RETRIES|ATTEMPTS)\b|\b(?:TIMEOUT|RETRIES|ATTEMPTS)_[A-Z]")
_HAS_CLIENT = re.compile(rb"(?i)\b(?:dial|connect|read|write)_?timeout\s*:|\bretry\s*:|\bretries\s*:")


def has_settings(data: bytes) -> bool:
    """Whether the text may hold a setting read here (cheap: no parsing)."""
    return bool(_HAS_ENV.search(data) or _HAS_CLIENT.search(data))


def _env_kind(name: str) -> tuple[str, float, float | None] | None:
    """("timeout", 0, ms per unit or None) / ("retry", added to the count, None) for an
    environment-style name that is a call's timeout or retry bound, else None."""
    if not _ENV_NAME.match(name):
        return None
    parts = [p for p in name.split("_") if p]
    if any(p in _NOT_A_CALL for p in parts):
        return None
    if "TIMEOUT" in parts or any(p.endswith("TIMEOUT") for p in parts):
        unit = _UNIT_MS.get(parts[-1]) if parts[-1] != "TIMEOUT" else None
        return "timeout", 0.0, unit
    tail = "_".join(parts[-2:])
    if tail in ("MAX_RETRY", "MAX_RETRIES", "RETRY_COUNT", "RETRY_TIMES", "RETRY_MAX") or parts[-1] == "RETRIES":
        return "retry", 1.0, None
    if tail == "MAX_ATTEMPTS" or parts[-1] == "ATTEMPTS":
        return "retry", 0.0, None
    return None


def _finding(path: str, number: int, line: str, kind: str, attributes: dict, pending=(),
             confidence: str = "high") -> Finding:
    column = len(line) - len(line.lstrip()) + 1
    return Finding(kind=kind, path=path, line=number, column=column, end_line=number, end_column=len(line) + 1,
                   language=LANGUAGE, detector=ID, confidence=confidence, attributes=attributes,
                   evidence=line.strip()[:200], pending=tuple(pending))


def _unit_symbol(path: str, value: str) -> Expr | None:
    """The ms per unit the chart's values.yaml comment gives the key a placeholder reads."""
    chart = chart_dir(path)
    m = _PLACEHOLDER_KEY.search(value)
    if chart is None or m is None:
        return None
    return Ref(f"helm-unit:{chart}:Values.{m.group(1)}")


def _timeout(path: str, number: int, line: str, name: str, value: str, unit: float | None,
             phase: str) -> Finding | None:
    attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": value,
             "setting": name}
    text = value.strip().strip("\"'").strip()
    if "{{" in text:
        expr = placeholder_expr(path, text)
        if expr is None:
            return _finding(path, number, line, "timeout", attrs, confidence="low")
        bare: Expr | None = Num(unit) if unit is not None else _unit_symbol(path, text)
        converted = Call("duration_ms", (expr,), (("bare", bare),) if bare is not None else ())
        return _finding(path, number, line, "timeout", attrs, pending=(Pending("timeout_ms", converted, 1.0),),
                        confidence="medium")
    ms = duration_text_ms(text) if text and not text.replace(".", "", 1).isdigit() else None
    if ms is None and unit is not None:
        try:
            ms = float(text) * unit
        except ValueError:
            ms = None
    if ms is None or ms <= 0:
        return None  # a number whose unit nothing says, or no timeout (0)
    attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal")
    return _finding(path, number, line, "timeout", attrs)


def _retry(path: str, number: int, line: str, name: str, value: str, add: float) -> Finding | None:
    attrs = {"max_attempts": None, "mechanism": "client_config", "library": None, "expression": value,
             "setting": name}
    text = value.strip().strip("\"'").strip()
    if "{{" in text:
        expr = placeholder_expr(path, text)
        if expr is None:
            return _finding(path, number, line, "retry", attrs, confidence="low")
        return _finding(path, number, line, "retry", attrs,
                        pending=(Pending("max_attempts", BinOp("+", expr, Num(add)), 1.0),), confidence="medium")
    try:
        count = float(text)
    except ValueError:
        return None
    if count < 0 or not count.is_integer():
        return None
    attrs["max_attempts"] = int(count + add)
    return _finding(path, number, line, "retry", attrs)


def findings_in_lines(path: str, lines: list[str], first: int = 1, last: int | None = None) -> list[Finding]:
    last = len(lines) if last is None else last
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []  # (column, key) of the enclosing keys
    pending_env: tuple[int, str, str] | None = None  # `- name: X` waiting for its `value:`
    for number, line in rendered_lines(lines, first, last):
        m = _KEY.match(line)
        if m is None:
            continue
        column = len(m.group("indent")) + (len(m.group("dash")) if m.group("dash") else 0)
        while stack and stack[-1][0] >= column:
            stack.pop()
        key, value = m.group("key"), (m.group("value") or "").strip()
        parent = stack[-1][1] if stack else ""
        stack.append((column, key))
        if key == "name" and m.group("dash") and _env_kind(value.strip("\"'")) is not None:
            pending_env = (number, value.strip("\"'"), line)
            continue
        if key == "value" and pending_env is not None and not m.group("dash"):
            found_at, name, name_line = pending_env
            pending_env = None
            out.extend(_env_finding(path, found_at, name_line, name, value))
            continue
        if m.group("dash"):
            pending_env = None
        if value and _env_kind(key) is not None:
            out.extend(_env_finding(path, number, line, key, value))
            continue
        if value and _CLIENT_RETRY.match(key) and _CLIENT_PARENT.match(parent):
            found = _retry(path, number, line, key, value, 1.0)  # retries after the first try
            if found is not None and (found.attributes["max_attempts"] is not None or found.pending):
                out.append(found)
            continue
        client = _CLIENT_KEY.match(key)
        if value and client and _CLIENT_PARENT.match(parent):
            found = _timeout(path, number, line, key, value, None, _PHASE[client.group(1).lower()])
            if found is not None and (found.attributes["timeout_ms"] is not None or found.pending):
                out.append(found)
    return out


def _env_finding(path: str, number: int, line: str, name: str, value: str) -> list[Finding]:
    kind = _env_kind(name)
    if kind is None or not value:
        return []
    if kind[0] == "timeout":
        found = _timeout(path, number, line, name, value, kind[2], "total")
    else:
        found = _retry(path, number, line, name, value, kind[1])
    return [found] if found is not None else []


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n'
                 '  REDIS_IDLE_TIMEOUT_SECONDS: "300"\n  REQUEST_TIMEOUT: "30"\n  RETRY_BACKOFF_MS: "200"\n'],
          invalid=['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n'
                   '  UPSTREAM_TIMEOUT_MS: "2500"\n  WEBHOOK_MAX_RETRY: "3"\n'])
def detect(path: str, lines: list[str]) -> list[Finding]:
    """The timeout and retry settings a chart or manifest hands to a service.

    What it does: reads ConfigMaps, workloads' container `env` and a chart's `.tpl` helpers line by
    line for environment-style keys naming a call's timeout (`REGISTRY_HTTP_CLIENT_TIMEOUT`,
    `UPSTREAM_TIMEOUT_MS`) or retry bound (`WEBHOOK_JOB_MAX_RETRY`: retries, + 1; `..._MAX_ATTEMPTS`),
    and a configuration file's client blocks (`redis: {dialtimeout: 10s, readtimeout: 10s}`,
    `mysql_conn: {retry: 2}`). Values: a duration with its unit, a number whose unit the name says,
    or a `{{ .Values.x }}` placeholder settled from values.yaml, whose unit may come from the comment
    beside the key (`timeout: 3 # in seconds`). Idle, keep-alive, TTL, session, lock, server-side,
    backoff and interval settings are not read, nor a bare number whose unit nothing says.

    Why it matters: when a chart deploys a published image, these lines are the only evidence of the
    limits the service's calls run with.

    Example: `UPSTREAM_TIMEOUT_MS: "2500"` -> `timeout timeout_ms=2500 phase=total`."""
    return findings_in_lines(path, lines)
