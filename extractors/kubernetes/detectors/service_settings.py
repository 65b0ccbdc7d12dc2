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
  reported (it cannot be checked, and idle timeouts are often written so), except (round 10) a
  fraction (``"0.1"``, ``"2.5"``): seconds, as no one writes a fraction of a millisecond.
- a client block's ``dialtimeout`` / ``connect_timeout`` / ``readtimeout`` / ``writetimeout`` (any
  case, ``_`` optional) under a key naming a client (redis, database, postgres, mysql, mongo,
  memcached, elasticsearch, kafka, rabbitmq, amqp, nats, etcd, upstream, backend, client, ...),
  written as a duration: ``phase: connect`` / ``read`` / ``write``. A server's blocks (``http``,
  ``server``, ``listen``) are not client blocks.
- (round 9) the configuration files a chart renders for the service in other shapes, with the same
  name rules read word by word (``socket.timeout.ms`` -> SOCKET TIMEOUT MS, ``SendTimeoutSec`` ->
  SEND TIMEOUT SEC): dotted property names (Kafka / librdkafka ``request.timeout.ms``,
  ``message.send.max.retries``) in any shape (``key: v``, ``"key": v,`` of a JSON or Python dict,
  ``- name: "key"`` + ``value:`` as Relay's ``kafka_config`` list, ``key=v``); quoted keys of a JSON
  document (Mattermost's config.json ``"SendTimeoutSec": 30``); XML elements
  (``<operation_timeout_ms>10000</operation_timeout_ms>``; round 10: in a ClickHouse configuration,
  ``<yandex>`` / ``<clickhouse>``, a number without a unit suffix is seconds, as ClickHouse reads
  ``<http_connection_timeout>10</http_connection_timeout>``); and a connection string's timeout
  parameters (``...@tcp(db:3306)/app?readTimeout=30s&writeTimeout=30s``, ``postgres://...?
  connect_timeout=10``, JDBC / MongoDB ``connectTimeout(MS)`` / ``socketTimeout(MS)``), each with
  its driver's unit; environment variables in .NET's form (``Worker__RequestTimeoutSeconds``) in a
  container's ``env`` list or a ConfigMap's ``data``. An unquoted camelCase YAML key is not read
  this way otherwise (a manifest's own fields:
  probes' ``timeoutSeconds``), nor a bare number whose unit nothing says. A line another detector
  of this extractor reports (Envoy, nginx, request templates) is not reported twice.
"""

from __future__ import annotations

import re

from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, duration_text_ms, normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import chart_dir, expand_aliases, key_lines, placeholder_expr, rendered_lines, \
    switch_guards, symbol, \
    values_aliases

ID = "kubernetes.service_settings"

_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NOT_A_CALL = {"IDLE", "KEEPALIVE", "KEEP", "ALIVE", "TTL", "SESSION", "LOCK", "CACHE", "SHUTDOWN", "GRACE",
               "GRACEFUL", "PROBE", "LIVENESS", "READINESS", "STARTUP", "SERVER", "LISTEN", "LISTENER",
               "INACTIVITY", "INACTIVE", "EXPIRY", "EXPIRATION", "EXPIRE", "BACKOFF", "INTERVAL", "DELAY",
               "WAIT", "SLEEP", "POLL", "LOGIN", "PASSWORD", "TOKEN", "JWT", "COOKIE", "UI", "BROWSER",
               "TERMINATION", "DRAIN", "HEARTBEAT", "REAPER", "JITTER", "PERIOD", "LOG", "HEALTH",
               "HEALTHCHECK", "AWAY", "TYPING", "EDIT", "LINGER", "SCRAPE", "EVALUATION",
               # round 12: a cluster's bootstrap / leader election window (Weaviate's RAFT_BOOTSTRAP_TIMEOUT)
               "BOOTSTRAP", "ELECTION",
               # round 15: a local sandbox's initialisation / run bound (Plane's runner INIT_TIMEOUT_MS,
               # EXECUTION_TIMEOUT_MS), read since the prefilter takes names going on after TIMEOUT
               "INIT", "EXECUTION",
               # round 15: a lease held on a blob or a record (a lock's life), an age after which a record
               # counts as stale (HMCTS blob router's STORAGE_BLOB_LEASE_TIMEOUT_IN_MINUTES, ENVELOPE_STALE_TIMEOUT_HR)
               "LEASE", "STALE",
               # round 14: a server's persistent (keep-alive) connection wait (Puma's PERSISTENT_TIMEOUT)
               "PERSISTENT",
               # round 19 (camunda-platform-helm): a wait for the service's own work to finish (Camunda's data
               # migration MIGRATION_PROCESS_IMPORTERFINISHEDTIMEOUT, waiting for the chart's own importer)
               "FINISHED",
               # round 19 (linkerd2): a sidecar proxy's inbound side (LINKERD2_PROXY_INBOUND_CONNECT_TIMEOUT: the proxy
               # connecting to its own pod's application; INBOUND_ACCEPT_USER_TIMEOUT: the connections it accepts)
               "INBOUND",
               # round 20 (openwhisk-deploy-kube): a multiplier of another bound (`loadbalancer.timeoutFactor: 2`)
               "FACTOR", "MULTIPLIER"}
# the servers a service calls, named by what they serve (REPO_SERVER, AUTH_SERVER, LDAP_SERVER ...)
_REMOTE_SERVER_NOUNS = {"REPO", "AUTH", "AUTHORIZATION", "IDENTITY", "OIDC", "LDAP", "SMTP", "MAIL", "DNS", "NTP",
                        "METADATA", "REGISTRY", "LICENSE", "LICENCE", "UPSTREAM", "BACKEND", "REMOTE", "DEX"}
_UNIT_MS = {"MS": 1.0, "MILLIS": 1.0, "MILLISECONDS": 1.0, "MSEC": 1.0, "SECONDS": 1000.0, "SECS": 1000.0,
            "SEC": 1000.0, "S": 1000.0, "MINUTES": 60000.0, "MINS": 60000.0, "MIN": 60000.0,
            "HOURS": 3600000.0, "HR": 3600000.0, "HRS": 3600000.0, "HOUR": 3600000.0,  # HR: round 15
            "DAYS": 86400000.0, "DAY": 86400000.0}  # round 20 (airbyte-platform-chart: SYNC_JOB_MAX_TIMEOUT_DAYS)
_CLIENT_PARENT = re.compile(
    r"^(?:redis|rediss|sentinel|database|db|postgres|postgresql|pg|mysql|mariadb|mongo|mongodb|memcache|"
    r"memcached|elasticsearch|elastic|opensearch|kafka|rabbitmq|rabbit|amqp|nats|etcd|consul|zookeeper|"
    r"upstream|backend|client|http_client|httpclient|cache|storage|s3|ldap|smtp|grpc_client|"
    # round 20 (jenkins-helm-charts): a Kubernetes API client's block (the Jenkins Kubernetes cloud's JCasC
    # `- kubernetes: {connectTimeout: .., readTimeout: ..}`)
    r"kubernetes|k8s)"
    r"(?:[_-]?(?:conn|connection|client|pool|config|options|opts))?$", re.I)
_CLIENT_RETRY = re.compile(r"^(?:retry|retries|max_?retries|max_?retry)$", re.I)
_CLIENT_KEY = re.compile(r"^(dial|connect|read|write)_?timeout$", re.I)
# (round 16) a bare `timeout` key of a client block (Authelia's `ldap: {timeout: 5 seconds}`,
# `notifier.smtp.timeout`, `storage.postgres.timeout`), or of a connection pool's block (the wait for a
# free connection: `pooling: {timeout: 10 seconds}`); not under a cache / storage key (a TTL there)
_BARE_TIMEOUT = re.compile(r"^timeout$", re.I)
_BARE_NOT_CLIENT = re.compile(r"^(?:cache|storage|s3)(?:[_-]?(?:conn|connection|client|pool|config|options|opts))?$", re.I)
_POOL_PARENT = re.compile(r"^(?:pool|pooling|connection_?pool|conn_?pool)$", re.I)
_PHASE = {"dial": "connect", "connect": "connect", "read": "read", "write": "write"}
_PLACEHOLDER_KEY = re.compile(r"\.Values\.([A-Za-z0-9_.]+)")


_HAS_ENV = re.compile(rb"[A-Z0-9_](?:TIMEOUT|RETRY|RETRIES|ATTEMPTS|MAX_ATTEMPT)\b|\b(?:TIMEOUT|RETRIES|ATTEMPTS)_[A-Z]"
                      # round 15: a name going on after the word (REPO_SERVER_TIMEOUT_SECONDS, K8SCLIENT_RETRY_MAX),
                      # an on/off switch (RETRY_ENABLED, ENABLE_RETRIES)
                      rb"|[A-Z0-9]_(?:TIMEOUT|RETRY|RETRIES|ATTEMPTS)_[A-Z]|\bRETR(?:Y|IES)_ENABLED?\b|\bENABLED?_RETR")
_HAS_CLIENT = re.compile(rb"(?i)\b(?:dial|connect|read|write)_?timeout\s*:|\bretry\s*:|\bretries\s*:")
# round 16: a bare `timeout:` with a client or pool block opened somewhere in the file
_HAS_BARE = re.compile(rb"(?m)^[ \t]+timeout[ \t]*:[ \t]*\S")
_HAS_CLIENT_BLOCK = re.compile(rb"(?im)^[ \t]+(?:redis|sentinel|database|db|postgres|postgresql|pg|mysql|mariadb|"
                               rb"mongo|mongodb|memcached?|elasticsearch|opensearch|kafka|rabbitmq|amqp|nats|etcd|"
                               rb"consul|zookeeper|upstream|backend|client|http_client|ldap|smtp|grpc_client|pool|"
                               rb"pooling)[ \t]*:[ \t]*$")
_HAS_OTHER = re.compile(rb"[a-z]\.timeout\.ms\b|\.(?:max\.)?retries[\"']?\s*[:=]|\"[A-Za-z_.]*(?:Timeout|timeout|TIMEOUT)[A-Za-z_]*\"\s*:"
                        rb"|<[a-z_]*timeout[a-z_]*>|[?&][A-Za-z_]*[Tt]imeout(?:MS)?=")


_HAS_FLAG = re.compile(rb"-[ \t]+[\"']?--?[a-z][a-z0-9-]*(?:timeout|retries|attempts|requeue)[a-z0-9-]*="
                       rb"|-[ \t]+[\"']?--?[a-z][A-Za-z0-9]*(?:Timeout|Retries|Attempts)[A-Za-z0-9]*=")
_HAS_SNAKE = re.compile(rb"-[ \t]+name:[ \t]*[\"']?[A-Za-z][A-Za-z0-9_]*_(?:timeout|retries|attempts|wait)\b"
                        # round 20: a configuration path in mixed case (`CONFIG_x_queueManager_maxRetriesToGetQueue`)
                        rb"|-[ \t]+name:[ \t]*[\"']?[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*(?:[Tt]imeout|max(?:Retries|Attempts))")


# round 21: a snake_case configuration key (`rpc_response_timeout = ..`, `automatic_retries => 60`, `exec_adc_timeout:`)
_HAS_SNAKE_CONFIG = re.compile(rb"(?m)^[ \t]*[a-z][a-z0-9]*_[a-z0-9_]*(?:timeout|retries|attempts)[a-z0-9_]*[ \t]*(?:=|:)")


def has_settings(data: bytes) -> bool:
    """Whether the text may hold a setting read here (cheap: no parsing)."""
    return bool(_HAS_ENV.search(data) or _HAS_CLIENT.search(data) or _HAS_OTHER.search(data)
                or _HAS_SNAKE_CONFIG.search(data) or b"waitForPodSec:" in data or b"laveConnectTimeout" in data
                or (_HAS_BARE.search(data) and _HAS_CLIENT_BLOCK.search(data))
                or _HAS_FLAG.search(data) or _HAS_SNAKE.search(data)
                or (b"exporters:" in data and _HAS_DB_EXPORTER.search(data) is not None)
                or (b"timeouts:" in data and b"access:" in data and b"clickhouse" in data.lower())
                or b"errors.retry.timeout" in data)  # round 22: a Kafka Connect connector's error retries


_HAS_DB_EXPORTER = re.compile(rb"\b(?:dsn|datasource|data_source|connection_string):")


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(name: str) -> list[str]:
    """A setting's name as upper-case words: ``socket.timeout.ms`` -> SOCKET TIMEOUT MS,
    ``SendTimeoutSec`` -> SEND TIMEOUT SEC, ``operation_timeout_ms`` -> OPERATION TIMEOUT MS."""
    return [w.upper() for part in re.split(r"[._\-\s]+", name) for w in _WORD.findall(part)]


def _config_kind(name: str) -> tuple[str, float, float | None, str] | None:
    """``_env_kind`` for a configuration file's key read word by word, with the phase its words say
    (CONNECT / DIAL: connect, READ / SOCKET: read, WRITE: write, else total)."""
    parts = words(name)
    if len(parts) < 2 or len(parts) > (12 if _MIXED.match(name) else 8):  # a configuration path: longer
        return None
    kind = _env_kind("_".join(parts))
    if kind is None:
        return None
    phase = next((p for w, p in (("CONNECT", "connect"), ("CONNECTION", "connect"), ("DIAL", "connect"),
                                 ("READ", "read"), ("SOCKET", "read"), ("WRITE", "write")) if w in parts), "total")
    return (*kind, phase)


def setting_kind(name: str) -> tuple[str, float, float | None, str] | None:
    """(kind, added to a retry count, ms per unit the name gives or None, phase) of a setting's
    name, environment-style (``UPSTREAM_TIMEOUT_MS``: phase total) or read word by word
    (``Worker__MaxTaskTimeout``, ``socket.timeout.ms``); None when it is no call's bound."""
    env = _env_kind(name)
    if env is not None:
        return (*env, "total")
    return _config_kind(name)


# a connection string's timeout parameters: (scheme test, parameter) -> (phase, ms per bare unit or None)
_DSN_PARAM = re.compile(r"[?&](?P<key>[A-Za-z_]+)=(?P<value>\{\{[^}]*\}\}|[^&\"'\s,;)}]+)")
_DSN_KINDS = (
    (re.compile(r"@(?:tcp|unix)\("), {"timeout": ("connect", None), "readTimeout": ("read", None),
                                      "writeTimeout": ("write", None)}),
    (re.compile(r"\bjdbc:(?:mysql|mariadb)://"), {"connectTimeout": ("connect", 1.0), "socketTimeout": ("read", 1.0)}),
    (re.compile(r"\bjdbc:postgresql://"), {"connectTimeout": ("connect", 1000.0), "socketTimeout": ("read", 1000.0)}),
    (re.compile(r"\bpostgres(?:ql)?://"), {"connect_timeout": ("connect", 1000.0)}),
    (re.compile(r"\bmysql(?:\+\w+)?://"), {"connect_timeout": ("connect", 1000.0), "read_timeout": ("read", 1000.0),
                                            "write_timeout": ("write", 1000.0)}),
    (re.compile(r"\bmongodb(?:\+srv)?://"), {"connectTimeoutMS": ("connect", 1.0), "socketTimeoutMS": ("read", 1.0)}),
    (re.compile(r"\brediss?://"), {"dial_timeout": ("connect", None), "read_timeout": ("read", None),
                                    "write_timeout": ("write", None)}),
)


def _dsn_findings(path: str, number: int, line: str) -> list[Finding]:
    """The timeout parameters of the connection strings written on one line, each with its
    driver's unit (a duration with its unit; a bare number only where the driver gives one)."""
    if "=" not in line or "?" not in line:
        return []
    out: list[Finding] = []
    for scheme, params in _DSN_KINDS:
        if not scheme.search(line):
            continue
        for m in _DSN_PARAM.finditer(line):
            if m.group("key") not in params:
                continue
            phase, unit = params[m.group("key")]
            text = m.group("value")
            if text.startswith("{{"):
                # round 18 (gravitee cockpit): `mongodb://..?{{- if .Values.mongo.connectTimeoutMS }}&connectTimeoutMS=
                # {{ .Values.mongo.connectTimeoutMS }}{{- end }}`: the value the chart's values.yaml gives, in the driver's unit
                expr = placeholder_expr(path, text) if unit is not None else None
                if expr is None:
                    continue
                attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": text,
                         "setting": m.group("key"), "library": "connection_string"}
                converted = Call("duration_ms", (expr,), (("bare", Num(unit)),))
                out.append(_finding(path, number, line, "timeout", attrs,
                                    pending=(Pending("timeout_ms", converted, 1.0),), confidence="medium"))
                continue
            ms = duration_text_ms(text) if not text.replace(".", "", 1).isdigit() else (
                float(text) * unit if unit is not None else None)
            if ms is None or ms <= 0:
                continue
            attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal",
                     "expression": m.group(0).lstrip("?&"), "setting": m.group("key"), "library": "connection_string"}
            out.append(_finding(path, number, line, "timeout", attrs))
        break
    return out


# an entry's name in a `- name:` / `value:` list: a dotted property, or an environment variable in
# .NET's configuration form (`Worker__MaxTaskTimeoutSeconds`, `ConnectionStrings__Timeout`)
_NAMED = re.compile(r"^(?:[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+|[A-Za-z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+)$")
# round 11: an environment variable named in lower case, with underscores (`upstream_timeout`)
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# round 20 (openwhisk-deploy-kube): an environment variable in mixed case, a configuration path written with
# underscores (Lightbend config overrides: `CONFIG_whisk_runtime_delete_timeout`), read word by word
_MIXED = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$")
# the keys of a ConfigMap or Secret whose entries are environment variables
_DATA_KEYS = {"data", "stringData"}

_XML = re.compile(r"^[ \t]*<(?P<tag>[A-Za-z_][\w.-]*)>(?P<value>[^<]*)</(?P=tag)>[ \t]*(?:<!--.*-->[ \t]*)?$")


def _env_kind(name: str) -> tuple[str, float, float | None] | None:
    """("timeout", 0, ms per unit or None) / ("retry", added to the count, None) for an
    environment-style name that is a call's timeout or retry bound, else None."""
    if not _ENV_NAME.match(name):
        return None
    parts = [p for p in name.split("_") if p]
    # round 11: a message's acknowledgement deadline (NATS JetStream `ack_wait`, Pub/Sub's ack
    # deadline): how long the consumer may hold it before it is redelivered
    unit = _UNIT_MS.get(parts[-1]) if len(parts) > 2 else None
    if (parts[:-1] if unit is not None else parts)[-2:] in (["ACK", "WAIT"], ["ACK", "DEADLINE"]):
        return "timeout", 0.0, unit
    # (round 18, lead) an OAuth token request is a call to the token endpoint (compass' system-fetcher
    # APP_OAUTH_TOKEN_REQUEST_TIMEOUT), though TOKEN alone names a token's lifetime
    excluded = {p for p in parts if p in _NOT_A_CALL}
    # a Spring-relaxed name written as one word (`IMPORTERFINISHEDTIMEOUT` for importerFinishedTimeout): the
    # words before its TIMEOUT
    excluded |= {w for p in parts if p.endswith("TIMEOUT") and p != "TIMEOUT"
                 for w in _NOT_A_CALL if len(w) > 3 and p[:-len("TIMEOUT")].endswith(w)}
    if "SERVER" in excluded and "SELECTION" in parts:
        # (round 19) the Mongo driver's serverSelectionTimeoutMS (MONGO_SERVER_SELECTION_TIMEOUT_MS): the client's
        # wait for a server to send the operation to, not a server's own timeout
        excluded.discard("SERVER")
    if "SERVER" in excluded and any(p == "SERVER" and i > 0 and parts[i - 1] in _REMOTE_SERVER_NOUNS
                                    for i, p in enumerate(parts)):
        # (round 20, argo-helm) a server the service calls, named by what it serves (Argo CD's
        # ARGOCD_SERVER_REPO_SERVER_TIMEOUT_SECONDS: the API server's calls to the repo server)
        excluded.discard("SERVER")
    if excluded and not (excluded == {"TOKEN"} and "REQUEST" in parts):
        return None
    # (round 18, lead) a read-header timeout is a server's (Go's http.Server ReadHeaderTimeout:
    # APP_READ_HEADER_TIMEOUT, APP_READ_REQUEST_HEADERS_TIMEOUT), not a call's
    if {"HEADER", "HEADERS"} & set(parts) and "READ" in parts:
        return None
    if parts[0] == "GITSYNC" or parts[:2] == ["GIT", "SYNC"]:
        return None  # round 18 (airflow-helm-charts): the git-sync sidecar's checkout of the DAGs / content (out of scope)
    if "TIMEOUT" in parts or any(p.endswith("TIMEOUT") for p in parts):
        unit = _UNIT_MS.get(parts[-1]) if parts[-1] != "TIMEOUT" else None
        return "timeout", 0.0, unit
    tail = "_".join(parts[-2:])
    if tail in ("MAX_RETRY", "MAX_RETRIES", "RETRY_COUNT", "RETRY_TIMES", "RETRY_MAX") or parts[-1] == "RETRIES" \
            or parts[-1] in ("MAXRETRIES", "MAXRETRY"):
        # (round 19, camunda-platform-helm: MIGRATION_PROCESS_RETRY_MAXRETRIES, Spring's relaxed `retry.maxRetries`)
        return "retry", 1.0, None
    for i in range(len(parts) - 2):
        # (round 20, openwhisk-deploy-kube) a bound named for what is tried (`maxRetriesToGetQueue`,
        # `MAX_ATTEMPTS_TO_CONNECT`): retries after the first try / attempts in all
        if parts[i] == "MAX" and parts[i + 2] == "TO" and parts[i + 1] in ("RETRIES", "RETRY", "ATTEMPTS"):
            return "retry", 0.0 if parts[i + 1] == "ATTEMPTS" else 1.0, None
    if tail in ("RETRY_TOTAL", "RETRY_CONNECT", "RETRY_READ") and len(parts) >= 3:
        # (round 20, jenkins-helm-charts) urllib3 Retry(total=, connect=, read=) counts as environment settings
        # (the kiwigrid k8s-sidecar's REQ_RETRY_TOTAL / REQ_RETRY_CONNECT / REQ_RETRY_READ of its calls to the
        # service it reloads): retries after the first try
        return "retry", 1.0, None
    if tail in ("REQUEUE_LIMIT", "MAX_REQUEUES", "REQUEUE_MAX") or parts[-1] == "REQUEUES":
        # (round 19, linkerd2: a controller's `-event-requeue-limit=3`, re-queues of a failed event after the first
        # try)
        return "retry", 1.0, None
    if tail in ("MAX_ATTEMPTS", "MAX_ATTEMPT") or parts[-1] in ("ATTEMPTS", "MAXATTEMPTS", "MAXATTEMPT"):
        # (round 20, airbyte-platform-chart: the worker's ACTIVITY_MAX_ATTEMPT, singular)
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


# service-runner (Wikimedia's Node.js services) reading its configuration's values from the environment
_SERVICE_RUNNER_ENV = re.compile(r"^\{env\((?P<name>[A-Z][A-Z0-9_]*)(?:\s*,\s*(?P<default>[^)]*?))?\s*\)\}$")
_FRACTION = re.compile(r"^[0-9]{1,3}\.[0-9]*[1-9][0-9]*$")
# round 21 (sapcc manila): a per-item value with the template's own literal default, inside a range or a define over
# items (`{{ $share.volume_move_cutover_timeout | default 7200 }}`): the default, what an item that sets none runs with
_ITEM_DEFAULT = re.compile(r"^\{\{-?\s*\$[A-Za-z_]\w*(?:\.[A-Za-z0-9_]+)+\s*\|\s*default\s+(?P<default>[0-9]+(?:\.[0-9]+)?|"
                           r"\"[^\"]*\")\s*(?:\|\s*(?:quote|int|int64|toString)\s*)*-?\}\}$")


def _placeholder(path: str, text: str) -> Expr | None:
    """``placeholder_expr``, or the literal default of a per-item placeholder (``_ITEM_DEFAULT``)."""
    expr = placeholder_expr(path, text)
    if expr is None:
        item = _ITEM_DEFAULT.match(text)
        if item is not None:
            default = item.group("default").strip('"')
            try:
                expr = Num(float(default))
            except ValueError:
                expr = Str(default)
    return expr


def _guessed_unit(value: Expr) -> Expr:
    """ms per unit of a bare number no name or comment gives a unit for: 1000 (seconds) below
    1000, else 1 (ms), written as arithmetic the resolver evaluates: 1000 - 999 * min(1, v // 1000)."""
    return BinOp("-", Num(1000.0), BinOp("*", Num(999.0), Call("min", (Num(1.0), BinOp("//", value, Num(1000.0))))))


def _timeout(path: str, number: int, line: str, name: str, value: str, unit: float | None,
             phase: str, guess: bool = False) -> Finding | None:
    attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": value,
             "setting": name}
    text = value.strip().strip("\"'").strip()
    if "{{" in text:
        expr = _placeholder(path, text)
        if expr is None:
            return _finding(path, number, line, "timeout", attrs, confidence="low")
        bare: Expr | None = Num(unit) if unit is not None else _unit_symbol(path, text)
        if unit is None and guess and bare is None:
            bare = _guessed_unit(expr)  # round 21: a rendered configuration file's bare number (see _snake_config)
        elif unit is None and bare is not None and (_ENV_NAME.match(name) or guess):
            # round 13: an environment setting whose name and values.yaml comment give no unit
            # (`JIBRI_PENDING_TIMEOUT: {{ .Values.jibri.timeout }}`, 90): as a values.yaml's own
            # environment settings are read (values_env_findings), seconds below 1000, else ms
            bare = Call("coalesce", (bare, _guessed_unit(expr)))
        converted = Call("duration_ms", (expr,), (("bare", bare),) if bare is not None else ())
        return _finding(path, number, line, "timeout", attrs, pending=(Pending("timeout_ms", converted, 1.0),),
                        confidence="medium")
    ms = duration_text_ms(text) if text and not text.replace(".", "", 1).isdigit() else None
    if ms is None and unit is not None:
        try:
            ms = float(text) * unit
        except ValueError:
            ms = None
    if ms is None and unit is None and _FRACTION.match(text):
        ms = float(text) * 1000.0  # round 10: "0.1", "2.5": seconds (no one writes a fraction of a ms)
    if ms is None and unit is None and guess and text.isdigit():
        ms = float(text) * (1000.0 if float(text) < 1000 else 1.0)  # round 21: seconds below 1000, else ms
    if ms is None or ms <= 0:
        return None  # a number whose unit nothing says, or no timeout (0)
    attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal")
    return _finding(path, number, line, "timeout", attrs)


# a controller's refresh period or operation deadline, a local evaluation: no call's bound (Argo CD's
# ARGOCD_RECONCILIATION_TIMEOUT, ..._SELF_HEAL_TIMEOUT_SECONDS, ..._SYNC_TIMEOUT, ..._NORMALIZER_JQ_TIMEOUT)
_REF_NOT_A_CALL = {"RECONCILIATION", "RECONCILE", "RESYNC", "SYNC", "HEAL", "JQ", "NORMALIZER"}


def _env_from_ref(path: str, number: int, name: str, line: str) -> list[Finding]:
    """(round 15) An env entry named as a call's timeout or retry bound whose value comes from a
    ConfigMap's or Secret's key (``valueFrom: configMapKeyRef: {key: server.repo.server.timeout.seconds,
    optional: true}``): the setting is there, its value is the key's (most often left to the user,
    an optional key no values file sets): a finding with no value, at the `- name:` line."""
    if _REF_NOT_A_CALL & set(name.split("_")):
        return []
    if _retry_switch_name(name):
        kind: tuple | None = ("retry",)
    elif name.split("_")[-1] in ("ENABLED", "ENABLE", "DISABLED", "DISABLE", "FLAG", "MODE", "TYPE", "POLICY"):
        return []  # a flag beside the setting (SCANNER_TIMEOUT_OVERRIDE_ENABLED), no bound
    else:
        env = _env_kind(name)
        kind = env if env is not None else (_config_kind(name) if _NAMED.match(name) else None)
    if kind is None:
        return []
    if kind[0] == "timeout":
        attrs = {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": "valueFrom",
                 "setting": name}
    else:
        attrs = {"max_attempts": None, "mechanism": "client_config", "library": None, "expression": "valueFrom",
                 "setting": name}
    return [_finding(path, number, line, kind[0], attrs, confidence="medium")]


_REF_KEY = re.compile(r"(?:^|[{,\s])key:\s*[\"']?([A-Za-z0-9_.-]+)")


def _ref_key(lines: list[str], number: int, value: str) -> str | None:
    """The ConfigMap key a ``configMapKeyRef`` at line ``number`` names: inline (``{name: x, key: K}``)
    or on one of the lines below it."""
    m = _REF_KEY.search(value)
    if m is not None:
        return m.group(1)
    for text in lines[number:number + 4]:
        m = _REF_KEY.search(text)
        if m is not None:
            return m.group(1)
    return None


def _retry(path: str, number: int, line: str, name: str, value: str, add: float) -> Finding | None:
    attrs = {"max_attempts": None, "mechanism": "client_config", "library": None, "expression": value,
             "setting": name}
    text = value.strip().strip("\"'").strip()
    if "{{" in text:
        expr = _placeholder(path, text)
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
    pending_env: tuple[int, str, str] | None = None  # `- name: X` waiting for its `value:`
    pending_from: tuple[int, str, str] | None = None  # `- name: X` + `valueFrom:`, waiting for the ref
    keyed: set[int] = set()
    aliases = values_aliases(lines[first - 1:last]) if chart_dir(path) is not None else {}
    written = None  # the keys this text writes a value for (a ConfigMap's data lines), when first asked
    rendered_config = renders_config(path)
    if rendered_config:
        # an Envoy configuration's snake_case keys are the Envoy detector's (its admin cluster not a call)
        from extractors.kubernetes.detectors.envoy_config import has_envoy
        rendered_config = not has_envoy("\n".join(lines[first - 1:last]).encode("utf-8", errors="replace"))
    kafka_blocks = _kafka_property_blocks(lines, first, last) if b"retries" in "\n".join(
        lines[first - 1:last]).encode("utf-8", errors="replace") else set()
    for key in key_lines(lines, first, last):
        keyed.add(key.number)
        name, value, line, number = key.key, key.value.rstrip(",").strip(), key.line, key.number
        if name == "retries" and not key.dash and key.parent_line in kafka_blocks:
            # round 22 (radar-helm-charts): a Kafka client's `retries: 15` in a YAML map of its properties (beside
            # `request.timeout.ms`, `session.timeout.ms`): a producer's re-sends after the first try
            found = _retry(path, number, line, name, value, 1.0)
            if found is not None and (found.attributes["max_attempts"] is not None or found.pending):
                out.append(found)
            continue
        if aliases and "$" in value:
            value = expand_aliases(value, aliases)  # round 16: `$auth.ldap.timeout` -> .Values.<map>.ldap.timeout
        out.extend(_dsn_findings(path, number, line))
        listed = value.strip("\"'")
        if name == "name" and key.dash and _SNAKE.match(listed) and _env_kind(listed.upper()) is not None:
            # round 11: lower-case environment names (OpenFaaS' upstream_timeout); a bare read_timeout /
            # write_timeout so named is a server's own (the OpenFaaS gateway's HTTP server)
            if set(listed.upper().split("_")) in _SERVER_FLAG_WORDS:
                pending_env = None
                continue
            listed = listed.upper()
        if name == "name" and key.dash and (_env_kind(listed) is not None or _retry_switch_name(listed) or
                                            ((_NAMED.match(listed) or _MIXED.match(listed))
                                             and _config_kind(listed) is not None)):
            pending_env = (number, listed, line)
            continue
        if name == "value" and pending_env is not None and not key.dash:
            found_at, listed_name, name_line = pending_env
            pending_env = None
            out.extend(_env_finding(path, found_at, name_line, listed_name, value))
            continue
        if pending_from is not None:
            from_env, pending_from = pending_from, None
            if name in ("configMapKeyRef", "secretKeyRef") and not key.dash:
                if name == "configMapKeyRef":
                    if written is None:
                        written = {k.key for k in key_lines(lines, first, last) if not k.dash and k.value}
                    if _ref_key(lines, number, value) in written:
                        # round 20 (airbyte-platform-chart): the chart writes that ConfigMap key itself, in this
                        # file (a helper's `.env` define reading the key its `configVars` define writes): the
                        # setting is the data line, the env entry only names it
                        continue
                out.extend(_env_from_ref(path, *from_env))
                continue
        if name == "valueFrom" and pending_env is not None and not key.dash:
            pending_from, pending_env = pending_env, None  # round 15: the value is a ConfigMap's key
            continue
        if key.dash:
            pending_env = None
        if not value or value in ("{", "["):
            continue
        if (name.endswith("_RETRY") or _retry_switch_name(name)) and _env_kind(name) is None:
            switch = _retry_switch(path, number, line, name, value)  # (round 14) an on/off retry switch
            if switch:
                out.append(switch)
            if switch is not None:
                continue
        if _env_kind(name) is not None:
            service_runner = _SERVICE_RUNNER_ENV.match(value.strip("\"'"))
            if service_runner is not None and chart_dir(path) is not None:
                # round 22 (round-21 request, wikimedia termbox): service-runner's `MEDIAWIKI_REQUEST_TIMEOUT:
                # '{env(MEDIAWIKI_REQUEST_TIMEOUT)}'`: the container's environment, which these charts fill from
                # values.yaml's `config.public`; the placeholder's own fallback when given
                source = "{{ .Values.config.public." + service_runner.group("name") + " }}"
                fallback = service_runner.group("default")
                if fallback:
                    source = source[:-3] + " | default " + (fallback if fallback.replace(".", "", 1).isdigit()
                                                            else '"' + fallback + '"') + " }}"
                value = source
            out.extend(_env_finding(path, number, line, name, value))
            continue
        if ("." in name or key.quoted or (key.parent in _DATA_KEYS and "__" in name)) and \
                _config_kind(name) is not None:
            out.extend(_env_finding(path, number, line, name, value))
            continue
        jcasc = _JCASC_OPTIONS.get(name) if not key.dash and ("waitForPod" in name or "lave" in name) else None
        if jcasc is not None:
            found = _timeout(path, number, line, name, value, 1000.0, jcasc)
            if found is not None and (found.attributes["timeout_ms"] is not None or found.pending):
                out.append(found)
            continue
        if rendered_config and not key.dash and _snake_config(name):
            if not _SERVER_BLOCK.match(key.parent or "") and not _NOT_A_CALL_PARENT.search(key.parent or "") \
                    and not _in_server_block(lines, number):
                out.extend(_env_finding(path, number, line, name, value, guess=True))
            continue
        if _CLIENT_RETRY.match(name) and _CLIENT_PARENT.match(key.parent):
            found = _retry(path, number, line, name, value, 1.0)  # retries after the first try
            if found is not None and (found.attributes["max_attempts"] is not None or found.pending):
                out.append(found)
            continue
        client = _CLIENT_KEY.match(name)
        if client and _CLIENT_PARENT.match(key.parent):
            found = _timeout(path, number, line, name, value, None, _PHASE[client.group(1).lower()])
            if found is not None and (found.attributes["timeout_ms"] is not None or found.pending
                                      or _guarded_by_itself(lines, number, value)):
                out.append(found)
        elif _BARE_TIMEOUT.match(name) and not key.dash and key.parent and (
                (_CLIENT_PARENT.match(key.parent) and not _BARE_NOT_CLIENT.match(key.parent))
                or _POOL_PARENT.match(key.parent)):
            found = _timeout(path, number, line, name, value, None, "total")
            if found is not None and (found.attributes["timeout_ms"] is not None or found.pending):
                out.append(found)
    clickhouse = None
    section = None  # round 21: the INI section a rendered configuration's line is in (`[network_api:neutron]`)
    for number, line in rendered_lines(lines, first, last):
        header = _INI_SECTION.match(line) if rendered_config else None
        if header is not None:
            section = header.group("name")
            continue
        if number in keyed:
            continue
        flag = _FLAG.match(line)
        if flag is not None:
            out.extend(_flag_findings(path, number, line, flag.group("name"), flag.group("value")))
            continue
        xml = _XML.match(line)
        if xml is not None and _config_kind(xml.group("tag")) is not None:
            if clickhouse is None:  # round 10: ClickHouse's settings without a unit suffix are seconds
                clickhouse = any(_CLICKHOUSE_ROOT.search(text) for text in lines[first - 1:last])
            out.extend(_env_finding(path, number, line, xml.group("tag"), xml.group("value"),
                                    bare_unit=1000.0 if clickhouse else None))
            continue
        if "=" in line:
            out.extend(_dsn_findings(path, number, line))
            prop = _PROPERTY.match(line)
            if prop is not None and prop.group("key") == "errors.retry.timeout":
                out.extend(_connect_error_retries(path, number, line, prop.group("value")))
                continue
            if prop is not None and "." in prop.group("key") and _config_kind(prop.group("key")) is not None:
                out.extend(_env_finding(path, number, line, prop.group("key"), prop.group("value")))
                continue
            ini = _INI_LINE.match(line) if rendered_config else None
            if ini is not None and not _snake_config(ini.group("key")) and ini.group("key").endswith("_timeout") \
                    and "=>" not in line and _documented_as_response_wait(lines, number):
                # round 22 (round-21 request, sapcc designate): `# The time to wait for a response from a server` /
                # `poll_timeout = ..`: named for polling, documented as the wait for a server's answer (seconds)
                found = _timeout(path, number, line, ini.group("key"), ini.group("value"), 1000.0, "total")
                if found is not None:
                    out.append(found)
                continue
            if ini is not None and _snake_config(ini.group("key")) and not _in_server_block(lines, number):
                # an INI line (`key = 300`: Python's configparser / oslo.config options are seconds); a Logstash
                # option (`key => 1000`) by the guess
                seconds = "=>" not in line
                out.extend(_env_finding(path, number, line, ini.group("key"), ini.group("value"),
                                        bare_unit=1000.0 if seconds else None, guess=not seconds))
            elif ini is None and section is not None and _client_section(section):
                bare = _INI_BARE_TIMEOUT.match(line)
                if bare is not None:
                    found = _timeout(path, number, line, "timeout", bare.group("value"), 1000.0, "total")
                    if found is not None:
                        out.append(found)
    found_at = {(f.line, f.kind) for f in out}
    out.extend(f for f in exporter_db_timeouts(path, lines, first, last) if (f.line, f.kind) not in found_at)
    out.extend(f for f in clickhouse_operator_timeouts(path, lines, first, last) if (f.line, f.kind) not in found_at)
    out = _behind_switches(path, lines, out)
    out = _backoff_bounds(lines, first, last, out)
    out.sort(key=lambda f: (f.line, f.column, f.kind))
    return out


_IF_GUARD = re.compile(r"^\s*\{\{-?\s*if\s+(?P<expr>[.$][A-Za-z0-9_.$]*)\s*-?\}\}\s*$")
_PLACEHOLDER_PATH = re.compile(r"^\{\{-?\s*(?P<expr>[.$][A-Za-z0-9_.$]*)\s*(?:\|[^}]*)?-?\}\}$")


def _guarded_by_itself(lines: list[str], number: int, value: str) -> bool:
    """Round 22 (radar-helm-charts): ``{{- if .s3.connectTimeout }}`` / ``connectTimeout: {{ .s3.connectTimeout | int
    }}`` / ``{{- end }}``: a setting the template writes only when the value is given (a scoped value this reading
    cannot settle): a setting applied only when configured, reported without a value."""
    m = _PLACEHOLDER_PATH.match(value.strip().strip("\"'"))
    if m is None or number < 2:
        return False
    guard = _IF_GUARD.match(lines[number - 2])
    return guard is not None and guard.group("expr") == m.group("expr")


# a Kafka client's own dotted property names, by which a YAML map is told to hold a Kafka client's properties
_KAFKA_PROPERTY = re.compile(r"^(?:bootstrap\.servers|acks|(?:request|session|delivery|transaction|max\.block|"
                             r"default\.api|retry\.backoff|linger|commit\.interval|max\.poll\.interval)"
                             r"(?:\.timeout)?\.ms|max\.request\.size|enable\.idempotence|compression\.type)$")


def _kafka_property_blocks(lines: list[str], first: int, last: int) -> set[int]:
    """The lines of the keys whose children include Kafka client properties (``properties: {acks: all,
    request.timeout.ms: 30000}``)."""
    return {k.parent_line for k in key_lines(lines, first, last)
            if not k.dash and k.parent_line and _KAFKA_PROPERTY.match(k.key)}


def _connect_error_retries(path: str, number: int, line: str, value: str) -> list[Finding]:
    """Round 22 (radar-helm-charts): a Kafka Connect connector's ``errors.retry.timeout=300000``: a failed operation
    is retried until that many ms have passed (-1: for ever; both without a count, null); 0 (the default) never."""
    text = value.strip().strip("\"'")
    try:
        ms = int(text)
    except ValueError:
        return []
    attempts = 1 if ms == 0 else None
    return [_finding(path, number, line, "retry", {
        "max_attempts": attempts, "mechanism": "client_config", "library": "kafka-connect",
        "expression": line.strip(), "setting": "errors.retry.timeout",
        "retry_window_ms": ms if ms > 0 else None})]


def _backoff_bounds(lines: list[str], first: int, last: int, found: list[Finding]) -> list[Finding]:
    """Round 20 (concourse-chart): ``CONCOURSE_VAULT_RETRY_MAX`` beside ``CONCOURSE_VAULT_RETRY_INITIAL``: a backoff's
    initial and largest interval (Vault's `retryMax: 5m`), not a count; a RETRY_MAX without such a sibling stays."""
    names = None
    out = []
    for f in found:
        setting = str(f.attributes.get("setting") or "")
        if f.kind == "retry" and setting.upper().endswith("RETRY_MAX"):
            if names is None:
                names = "\n".join(lines[first - 1:last]).upper()
            prefix = setting.upper()[:-len("MAX")]
            if re.search(rf"\b{re.escape(prefix)}(?:INITIAL|MIN)\b", names):
                continue
        out.append(f)
    return out


def _behind_switches(path: str, lines: list[str], found: list[Finding]) -> list[Finding]:
    """Round 19 (linkerd2): a literal setting a template writes only when a switch of the values is on
    (``{{ if .Values.proxy.disableOutboundProtocolDetectTimeout -}} - name: LINKERD2_PROXY_OUTBOUND_DETECT_TIMEOUT
    value: "365d" {{ end -}}``): kept unless the chart's values turn that switch off (false, 0, empty); a
    switch the values do not hold keeps it."""
    chart = chart_dir(path)
    if chart is None or "{{" not in "".join(lines[:4000]):
        return found
    guards = None
    out = []
    for f in found:
        expression = str(f.attributes.get("expression") or "")
        if f.attributes.get("setting") is None or "{{" in expression or f.pending:
            out.append(f)
            continue
        if guards is None:
            guards = switch_guards(lines)
        key = guards.get(f.line)
        if key is None:
            out.append(f)
            continue
        out.append(replace(f, pending=(*f.pending, Pending(
            KEEP_IF, Call("coalesce", (Ref(symbol(chart, key)), Num(1.0))), None))))
    return out


# round 11: a container's command-line flag as one `args` / `command` item: `- "--fetch-timeout=1h"`
_FLAG = re.compile(r"""^[ \t]*-[ \t]+(?P<q>["']?)--?(?P<name>[a-z][a-z0-9]*(?:-[a-z0-9]+)+|"""
                   # round 22 (round-21 request, kyma): a Go flag named in camelCase (`--proxyTimeout={{ .. }}`)
                   r"""[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)="""
                   r"""(?P<value>(?:\{\{[^}]*\}\}|[^"'\s{])+)(?P=q)[ \t]*(?:#.*)?$""")
# the flags a server takes for its own listener (Go's http.Server, gunicorn, Weaviate): not a call's bound
_SERVER_FLAG_WORDS = ({"READ", "TIMEOUT"}, {"WRITE", "TIMEOUT"}, {"READ", "HEADER", "TIMEOUT"},
                      {"REQUEST", "TIMEOUT"}, {"HANDLER", "TIMEOUT"}, {"GRACEFUL", "TIMEOUT"})


def _flag_findings(path: str, number: int, line: str, name: str, value: str) -> list[Finding]:
    """A command-line flag of a container naming a call's bound, read word by word
    (``--fetch-timeout=1h``: FETCH TIMEOUT; ``--upstream-max-retries=3``), valued as a duration with
    its unit (or a number whose unit the name gives). A server's own listener flags
    (``--read-timeout``, ``--write-timeout``, ``--request-timeout``) and placeholders are not read."""
    parts = words(name)
    if set(parts) in _SERVER_FLAG_WORDS:
        return []
    if "-" not in name:
        # a camelCase flag's bare number (its values.yaml's `proxyTimeout: 10`): seconds below 1000, else ms
        return _env_finding(path, number, line, name, value, guess=True)
    return _env_finding(path, number, line, name, value)  # a `{{ .Values.x }}` value: settled from values.yaml


_PROPERTY = re.compile(r"^[ \t]*(?P<key>[a-z][a-z0-9_.-]*)[ \t]*=[ \t]*(?P<value>[^#\s]+)[ \t]*$")


_CLICKHOUSE_ROOT = re.compile(r"<(?:yandex|clickhouse)>")

# Round 21 (sapcc designate / manila / hermes, apisix-ingress-controller): the configuration file a chart's template
# renders for the service, its keys in snake_case: an INI / oslo.config line (`rpc_response_timeout = {{ .Values.x |
# default 300 }}`, `connect_retries = 20`), a Logstash plugin option (`automatic_retries => 60`), a YAML key of a
# configuration document (`exec_adc_timeout: {{ .Values.config.execADCTimeout | default "15s" }}`). Read word by word
# as other configuration keys; a bare number is seconds below 1000, else ms (as values.yaml's environment settings).
_INI_LINE = re.compile(r"^[ \t]*(?P<key>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)[ \t]*=>?[ \t]*(?P<value>\S(?:.*\S)?)[ \t]*$")
# the server-side settings such configurations hold (nginx's client_header_timeout / client_body_timeout / send_timeout
# / lingering_timeout / resolver_timeout, MySQL's net_read_timeout / interactive_timeout, Alertmanager's
# resolve_timeout): not a call's bound
_SNAKE_NOT_A_CALL = ({"CLIENT", "HEADER"}, {"CLIENT", "BODY"}, {"SEND"}, {"LINGERING"}, {"RESOLVER"}, {"RESOLVE"},
                     {"NET"}, {"INTERACTIVE"}, {"DNS"})


# Round 21 (round-20 request, jenkins-helm-charts): the Jenkins Kubernetes plugin's options in a JCasC cloud / pod
# template (`waitForPodSec: 600`: the controller's wait for an agent pod to start; `slaveConnectTimeoutStr: "100"`:
# its wait for the agent to connect back), in seconds -> phase
_JCASC_OPTIONS = {"waitForPodSec": "total", "slaveConnectTimeoutStr": "connect", "slaveConnectTimeout": "connect"}
_INI_SECTION = re.compile(r"^[ \t]*\[(?P<name>[A-Za-z][A-Za-z0-9_:.\-]*)\][ \t]*$")
_INI_BARE_TIMEOUT = re.compile(r"^[ \t]*timeout[ \t]*=[ \t]*(?P<value>\S(?:.*\S)?)[ \t]*$")
# an INI section of the service's own (its defaults, its API server, its policies, caches, locks, its sidecars' cadence)
_NOT_CLIENT_SECTION = re.compile(r"(?i)^(?:default|defaults|api|wsgi|server|app|application|paste|pipeline|filter|"
                                 r"composite|loggers?|handlers?|formatters?|logger_\w+|handler_\w+|oslo_policy|policy|"
                                 r"cache|oslo_concurrency|coordination|healthcheck|heartbeat\w*|cors|profiler|"
                                 r"oslo_middleware|audit\w*|sentry|service_user)$")


def _client_section(name: str) -> bool:
    """(round 21, sapcc designate's ``[network_api:neutron] timeout = 30``) an INI section holding a client's
    options (OpenStack's per-service keystoneauth sections: ``[neutron]``, ``[glance]``, ``[network_api:neutron]``):
    a bare ``timeout`` there bounds the service's calls to that one."""
    return not _NOT_CLIENT_SECTION.match(name)


# a server's own blocks in a configuration (NATS' `cluster { connect_retries: 120 }`: the server's routes to its peers;
# a gateway's, a listener's): no call the service makes
_SERVER_BLOCK = re.compile(r"(?i)^(?:cluster|gateway|gateways|leafnodes|leafnode|server|servers|listen|"
                           r"listener|listeners|websocket|mqtt)$")
# a block of the service's own policies towards its users (Authelia's `regulation: {max_retries: 3}`: failed logins
# before a ban), its probes, locks and leases: no call's bound
_NOT_A_CALL_PARENT = re.compile(r"(?i)regulation|\bban|throttl|login|password|probe|liveness|readiness|startup|lock|lease")
_BRACE_OPEN = re.compile(r"^[ \t]*(?P<name>[A-Za-z_][\w-]*)[ \t]*(?::[ \t]*)?\{[ \t]*$")


def _in_server_block(lines: list[str], number: int) -> bool:
    """Is line ``number`` inside a ``name { ... }`` block (NATS / HOCON style) named for a server's own side?"""
    depth = 0
    for index in range(number - 2, max(-1, number - 400), -1):
        text = lines[index]
        depth += text.count("}") - text.count("{")
        if depth < 0:
            opened = _BRACE_OPEN.match(text)
            return opened is not None and bool(_SERVER_BLOCK.match(opened.group("name")))
    return False


def renders_config(path: str) -> bool:
    """A chart's template (under ``templates/``, not a values file): the configuration text it holds is the
    service's own, rendered as written."""
    return "/templates/" in "/" + path and not path.rsplit("/", 1)[-1].startswith("values")


_RESPONSE_WAIT = re.compile(r"(?i)\b(?:time|how long)\b.*\bwait(?:ing)?\s+for\s+(?:a\s+|the\s+)?(?:response|reply|answer)\b")


def _documented_as_response_wait(lines: list[str], number: int) -> bool:
    """The comment block right above line ``number`` says the setting is the time to wait for a response."""
    index = number - 2
    text = []
    while index >= 0 and lines[index].lstrip().startswith("#") and len(text) < 4:
        text.insert(0, lines[index].lstrip().lstrip("#").strip())
        index -= 1
    return bool(text) and bool(_RESPONSE_WAIT.search(" ".join(text)))


def _snake_config(name: str) -> bool:
    """A snake_case key (two words or more) naming a call's timeout or retry bound, not a server's."""
    if not _SNAKE.match(name) or _config_kind(name) is None:
        return False
    parts = set(words(name))
    return not any(s <= parts for s in _SNAKE_NOT_A_CALL)


# Spring Boot's relaxed environment names of its own properties (`spring.datasource.hikari.connection-timeout` ->
# SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT); a pool's connection check and leak threshold are no call's bound
_SPRING_ENV = re.compile(r"^SPRING_[A-Z0-9]+_[A-Z0-9_]*TIMEOUT$")
_SPRING_NOT_A_CALL = {"VALIDATION", "LEAK", "LIFETIME", "TRANSACTION"}


def _spring_env(name: str) -> bool:
    return bool(_SPRING_ENV.match(name))


def _env_finding(path: str, number: int, line: str, name: str, value: str,
                 bare_unit: float | None = None, guess: bool = False) -> list[Finding]:
    """An environment-style setting (phase total), or a configuration file's key read word by word
    (phase from its words); ``bare_unit``: what a number means when the name gives no unit (the
    configuration's own convention: ClickHouse's seconds)."""
    switch = _retry_switch(path, number, line, name, value.rstrip(",").strip())
    if switch is not None:
        return [switch] if switch else []
    env = _env_kind(name)
    if env is not None and _product_own_work(name, value):
        return []
    kind = (*env, "total") if env is not None else _config_kind(name)
    value = value.rstrip(",").strip()
    if kind is None or not value:
        return []
    if kind[0] == "timeout":
        if env is not None and kind[2] is None and bare_unit is None and _spring_env(name):
            if _SPRING_NOT_A_CALL & set(name.split("_")):
                return []
            # round 22 (radar-helm-charts): a Spring Boot property set through its relaxed environment name
            # (`SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT: "15000"`): Spring binds a bare number to a Duration or a
            # millisecond long, so ms
            bare_unit = 1.0
        found = _timeout(path, number, line, name, value, kind[2] if kind[2] is not None else bare_unit, kind[3],
                         guess=guess)
    else:
        found = _retry(path, number, line, name, value, kind[1])
    return [found] if found is not None else []


# Round 20 (concourse-chart): Concourse's own work, not a call: the default time limits of its build steps
# (CONCOURSE_DEFAULT_GET_TIMEOUT / _PUT_ / _TASK_ / _CHECK_) and of resource checks (GLOBAL_RESOURCE_CHECK_TIMEOUT)
_CONCOURSE_STEP = re.compile(r"^CONCOURSE_(?:DEFAULT_(?:GET|PUT|TASK|CHECK)|(?:GLOBAL_)?RESOURCE_(?:TYPE_)?CHECK)_TIMEOUT$")
# a worker's requests to the container runtime it runs in its own pod (Garden, containerd), read from the worker's
# values (`.Values.concourse.worker.garden.requestTimeout`); the web node's calls to the workers' Garden are calls
_WORKER_RUNTIME = re.compile(r"(?:^|_)(?:GARDEN|CONTAINERD)_")
_WORKER_VALUES = re.compile(r"\.Values\.(?:[A-Za-z0-9_]+\.)*worker\.(?:garden|containerd)\.")


def _product_own_work(name: str, value: str) -> bool:
    """An environment setting that bounds the product's own work rather than a call it makes (see above)."""
    if _CONCOURSE_STEP.match(name):
        return True
    return bool(_WORKER_RUNTIME.search(name) and _WORKER_VALUES.search(value))


_COUNT_TAILS = ("MAX_RETRY", "RETRY_COUNT", "RETRY_TIMES", "RETRY_MAX", "RETRY_LIMIT", "NUM_RETRY")


def _retry_switch_name(name: str) -> bool:
    """(round 15) An on/off retry switch named with ENABLED / ENABLE: ``RETRY_ENABLED``,
    ``HTTP_RETRIES_ENABLED``, ``ENABLE_RETRY`` (Moleculer's retry policy in Rocket.Chat's services).
    Names of a login, a session, a probe ... (what bounds no call) are not read."""
    if not _ENV_NAME.match(name):
        return False
    parts = [p for p in name.split("_") if p]
    if any(p in _NOT_A_CALL for p in parts):
        return False
    if len(parts) >= 2 and parts[-1] in ("ENABLED", "ENABLE") and parts[-2] in ("RETRY", "RETRIES"):
        return True
    return len(parts) >= 2 and parts[0] in ("ENABLE", "ENABLED") and parts[-1] in ("RETRY", "RETRIES")
_TRUE = ("true", "yes", "on")


def _retry_switch(path: str, number: int, line: str, name: str, value: str) -> Finding | bool | None:
    """(round 14) Two retry settings no count gives: a reconnect window (``POOL_RECONNECT_TIMEOUT:
    5.0``: a pool or client retrying a lost connection with backoff for up to that long, a retry
    bounded by time) and an on/off retry switch (``CELERY_TASK_PUBLISH_RETRY: "true"``, or a Helm
    ``{{ .Values.x | ternary "1" "0" }}``): a ``retry`` with ``max_attempts`` null (the count is the
    library's or the code's). False when the switch is off (nothing to report), None for any other
    setting (read as usual)."""
    if not _ENV_NAME.match(name):
        return None
    parts = [p for p in name.split("_") if p]
    text = value.strip().strip("\"'").strip()
    attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": None, "setting": name, "expression": value, "resolved_from": "unresolved"}
    if "RECONNECT" in parts and any(p.endswith("TIMEOUT") for p in parts) and not any(
            p in _NOT_A_CALL for p in parts):
        return _finding(path, number, line, "retry", {**attrs, "mechanism": "reconnect"}, confidence="medium")
    if (parts[-1] == "RETRY" and "_".join(parts[-2:]) not in _COUNT_TAILS and len(parts) > 1) or \
            _retry_switch_name(name):
        if "{{" in text and "ternary" in text:
            return _finding(path, number, line, "retry", attrs, confidence="medium")
        if text.lower() in _TRUE:
            return _finding(path, number, line, "retry", {**attrs, "resolved_from": "literal"})
        if text.lower() in ("false", "no", "off"):
            return False
    return None


# the values keys charts range over into a ConfigMap or a container's env
# (round 19) `envConfig`: PagoPA's aks-microservice-chart-blueprint (`microservice-chart.envConfig: {NPG_READ_TIMEOUT:
# "10000"}`), the chart every pagopa-* service deploys with
_ENV_PARENT = re.compile(r"^(?:config[-_]?map|configmap|env|envs|extra[-_]?envs?|env[-_]?vars|extra[-_]?env[-_]?vars|"
                         r"environment|environment[-_]?variables|env[-_]?variables|extra[-_]?environment|"
                         r"env[-_]?config)$", re.I)



# round 18 (signoz-charts): an OpenTelemetry Collector exporter that writes into a database (its block names a
# `dsn` / `datasource`: ClickHouse's exporters) bounds each write with its `timeout`; an exporter sending telemetry
# on (`otlp`, `endpoint`) is no service call (the wikimedia / sourcegraph sets leave telemetry export out)
_DB_CLIENT_KEYS = {"dsn", "datasource", "data_source", "connection_string"}


def exporter_db_timeouts(path: str, lines: list[str], first: int = 1, last: int | None = None) -> list[Finding]:
    """``exporters: {clickhouselogsexporter: {dsn: tcp://.., timeout: 10s}}`` in a collector's configuration
    (a values.yaml block the chart renders, a ConfigMap): the exporter's ``timeout`` at its line, phase total."""
    if not any("exporters:" in line for line in lines[first - 1:last]):
        return []
    keys = list(key_lines(lines, first, last))
    exporter_lines = {k.number for k in keys if k.parent == "exporters"}
    with_db = {k.parent_line for k in keys if k.parent_line in exporter_lines and k.key in _DB_CLIENT_KEYS}
    out: list[Finding] = []
    for k in keys:
        if k.parent_line in with_db and _BARE_TIMEOUT.match(k.key) and not k.dash and k.value:
            found = _timeout(path, k.number, k.line, k.key, k.value.strip(), None, "total")
            if found is not None and (found.attributes["timeout_ms"] is not None or found.pending):
                out.append(found)
    return out

_OPERATOR_TIMEOUT_PHASE = {"connect": "connect", "query": "total"}


def clickhouse_operator_timeouts(path: str, lines: list[str], first: int = 1, last: int | None = None) -> list[Finding]:
    """Round 18 (signoz-charts): the Altinity ClickHouse operator's configuration (``clickhouse: access: timeouts:
    {connect: 2, query: 5}``, "specified in seconds"): the operator's connections and queries to the ClickHouse
    instances it manages. Not ``metrics: timeouts: collect`` (its own monitoring) nor reconcile waits."""
    text = "\n".join(lines[first - 1:last])
    if "timeouts:" not in text or "clickhouse" not in text.lower():
        return []
    keys = list(key_lines(lines, first, last))
    by_line = {k.number: k for k in keys}
    out: list[Finding] = []
    for k in keys:
        phase = _OPERATOR_TIMEOUT_PHASE.get(k.key)
        if phase is None or k.parent != "timeouts" or k.dash:
            continue
        parent = by_line.get(k.parent_line)
        if parent is None or parent.parent != "access":
            continue
        grand = by_line.get(parent.parent_line)
        if grand is None or grand.parent.lower() != "clickhouse":
            continue
        found = _timeout(path, k.number, k.line, k.key, k.value.strip(), 1000.0, phase)
        if found is not None and (found.attributes["timeout_ms"] is not None or found.pending):
            out.append(found)
    return out


def values_env_findings(path: str, lines: list[str]) -> list[Finding]:
    """(round 12) A chart's values.yaml writing environment settings its templates render into a
    ConfigMap or a container's env (`configMap: { LLM_SOCKET_READ_TIMEOUT: "60" }` ranged over by
    templates/configmap.yaml): each upper-case environment-style key with a written value, as a
    ConfigMap's data line is read (a bare number: seconds below 1000, else ms), when its mapping
    is one such charts range over (`configMap`, `env`, `extraEnv`, `envVars`, `environment` ...).
    Lower-case keys (the chart's own options) are not read here."""
    out: list[Finding] = []
    pending_env: tuple[int, str, str, int] | None = None  # (round 14) `- name: X` waiting for its `value:`
    for key in key_lines(lines, 1, len(lines)):
        name, value = key.key, key.value.rstrip(",").strip()
        # (round 14) a list of name / value pairs under such a key (`extraEnv: [{name: WORKER_TIMEOUT,
        # value: "15"}]`, rendered into the container's env), at the `- name:` line as in a manifest
        listed = value.strip("\"'")
        if name == "name" and key.dash:
            pending_env = (key.number, listed, key.line, key.column) if (
                _ENV_NAME.match(listed) and _ENV_PARENT.match(key.parent or "")
                and _env_kind(listed) is not None) else None
            continue
        if name == "value" and pending_env is not None and not key.dash and key.column == pending_env[3]:
            found_at, listed_name, name_line, _column = pending_env
            pending_env = None
            text = value.strip("\"'")
            if text and "{{" not in text:
                try:
                    number = float(text)
                except ValueError:
                    number = None
                bare = (1000.0 if number < 1000 else 1.0) if number is not None else None
                out.extend(_env_finding(path, found_at, name_line, listed_name, value, bare_unit=bare))
            continue
        if key.dash:
            pending_env = None
        if not value or value in ("{", "[", '""', "''", "|", ">") or "{{" in value or not _ENV_NAME.match(name):
            continue
        if not _ENV_PARENT.match(key.parent or ""):
            continue  # under another key (`config.public`): a template names it where it is used
        if _env_kind(name) is not None:
            # a bare number the name gives no unit for: seconds below 1000 (`"60"`, `"300"`), else
            # milliseconds (`"30000"`): what such settings mean in the services that read them
            try:
                number = float(value.strip("\"'"))
            except ValueError:
                number = None
            bare = (1000.0 if number < 1000 else 1.0) if number is not None else None
            out.extend(_env_finding(path, key.number, key.line, name, value, bare_unit=bare))
    out.extend(exporter_db_timeouts(path, lines))
    return out


# (round 16) the options of widely deployed charts that bound a service's call, read in any values file
# (the chart's own or a deployment's override, also under a parent chart's key): (parent key, key) ->
# ms per unit. Zero to JupyterHub: `singleuser.startTimeout` (KubeSpawner.start_timeout, seconds: the
# hub's bound on starting a user's server through the Kubernetes API), and the same spawner settings
# written as traitlets under `hub.config.KubeSpawner`.
_CHART_OPTIONS = {("singleuser", "startTimeout"): 1000.0, ("KubeSpawner", "start_timeout"): 1000.0,
                  ("KubeSpawner", "http_timeout"): 1000.0,
                  # (round 19, grafana-helm-charts) the Grafana Tempo / Loki / Mimir (Cortex) configuration the
                  # charts render from values: the querier's lookups (`trace_by_id` / `search` `query_timeout`,
                  # Go durations) and the memcached cache clients' `timeout`
                  ("trace_by_id", "query_timeout"): 1000.0, ("search", "query_timeout"): 1000.0,
                  ("memcached", "timeout"): 1000.0, ("memcached_client", "timeout"): 1000.0,
                  # (round 22, dimpact-podiumd) a Grafana datasource's HTTP timeout (`datasources: [{url: ..,
                  # jsonData: {timeout: 300}}]` in the Grafana chart's values), seconds
                  ("jsonData", "timeout"): 1000.0}
# (round 19) retry bounds of the same configurations: (parent, key) -> added to the count. Loki / Cortex
# `query_range.max_retries` is the retry middleware's tries per request; Tempo's query-frontend `max_retries`
# ("number of times to retry a request sent to a querier", `query_frontend:` in the raw config, the chart's
# `queryFrontend.config`) re-tries after the first.
_CHART_RETRIES = {("query_range", "max_retries"): 0.0, ("query_frontend", "max_retries"): 1.0,
                  ("queryFrontend.config", "max_retries"): 1.0}
_HAS_CHART_OPTION = re.compile(rb"(?m)^[ \t]+(?:startTimeout|start_timeout|http_timeout|query_timeout|timeout|"
                               rb"max_retries|acquisitionTimeout|acquireTimeout|acquire_timeout|maxAttempts|max_attempts|"
                               rb"jobTimeout|job_timeout)[ \t]*:")
# (round 20, wire-server's `backgroundJobs: {jobTimeout: 60s, maxAttempts: 3}` rendered into the worker's configuration):
# an application option named as a job's attempts in all or a job's time bound, in a values file; not under a probe's,
# a login's or a lock's key
_JOB_ATTEMPTS = {"maxAttempts", "max_attempts"}
_JOB_TIMEOUT = {"jobTimeout", "job_timeout"}
_NOT_A_JOB_PARENT = re.compile(r"(?i)probe|login|password|auth|lock|lease|health|liveness|readiness|startup")
# (round 19, wire-server) a database connection pool's acquire wait in the application configuration a chart renders
# from values (`postgresqlPool: {size: 100, acquisitionTimeout: 10s}` handed to the ConfigMap with toYaml): the
# wait for a pooled connection, counted as the drivers' pool waits are (Agroal, Hikari, asyncpg). A Go duration
# or a number of ms.
_ACQUIRE_POOL_PARENT = re.compile(r"(?i)^\w*pool$")
_POOL_ACQUIRE = {"acquisitionTimeout", "acquireTimeout", "acquire_timeout"}


# Round 20 (fluent/helm-charts): a Fluent Bit classic-mode [OUTPUT] section written as a values string
# (`config.outputs: | [OUTPUT] Name es ... Retry_Limit False`): `Retry_Limit N` re-tries a failed flush N times after
# the first, `False` / `no_limits` without limit (null), `no_retries` never
_FLUENT_RETRY_LIMIT = re.compile(r"^[ \t]+Retry_Limit[ \t]+(?P<value>[A-Za-z_]+|[0-9]+)[ \t]*$", re.IGNORECASE)


def fluent_bit_retries(path: str, lines: list[str]) -> list[Finding]:
    """The ``Retry_Limit`` of each Fluent Bit ``[OUTPUT]`` section in ``lines`` (after an ``[OUTPUT]`` header, before
    the next section header), at its line."""
    out: list[Finding] = []
    in_output = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            in_output = stripped.upper() == "[OUTPUT]"
            continue
        m = _FLUENT_RETRY_LIMIT.match(line) if in_output else None
        if m is None:
            continue
        value = m.group("value").lower()
        if value.isdigit():
            attempts: int | None = int(value) + 1
        elif value in ("false", "no_limits"):
            attempts = None
        elif value == "no_retries":
            attempts = 1
        else:
            continue
        out.append(_finding(path, number, line, "retry", {
            "max_attempts": attempts, "mechanism": "client_config", "library": "fluent-bit",
            "expression": stripped, "setting": "Retry_Limit"}))
    return out


def chart_option_findings(path: str, data: bytes) -> list[Finding]:
    """(round 16) The `_CHART_OPTIONS` a values file writes, each at its key's line (a number of the
    option's unit or a duration)."""
    if not _HAS_CHART_OPTION.search(data):
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    out: list[Finding] = []
    keys = list(key_lines(lines, 1, len(lines)))
    by_line = {k.number: k for k in keys}
    for key in keys:
        unit = _CHART_OPTIONS.get((key.parent or "", key.key))
        value = key.value.split(" #", 1)[0].strip()
        if unit is None and key.key == "max_retries" and not key.dash and value and "{{" not in value:
            parent = by_line.get(key.parent_line)
            dotted = f"{parent.parent}.{key.parent}" if parent is not None and parent.parent else key.parent or ""
            add = _CHART_RETRIES.get((key.parent or "", key.key), _CHART_RETRIES.get((dotted, key.key)))
            found = _retry(path, key.number, key.line, key.key, value, add) if add is not None else None
            if found is not None:
                out.append(found)
            continue
        if unit is None and (key.key in _JOB_ATTEMPTS or key.key in _JOB_TIMEOUT) and not key.dash and value \
                and "{{" not in value and not _NOT_A_JOB_PARENT.search(key.parent or ""):
            if key.key in _JOB_ATTEMPTS:
                found = _retry(path, key.number, key.line, key.key, value, 0.0)
                if found is not None and (found.attributes["max_attempts"] or 0) > 0:
                    out.append(found)
                continue
            text = value.strip("\"'")
            if not text.replace(".", "", 1).isdigit():  # a duration with its unit; a bare number says none
                found = _timeout(path, key.number, key.line, key.key, value, None, "total")
                if found is not None and found.attributes["timeout_ms"] is not None:
                    out.append(found)
            continue
        phase = "total"
        if unit is None and key.key in _POOL_ACQUIRE and _ACQUIRE_POOL_PARENT.match(key.parent or ""):
            unit, phase = 1.0, "connect"
        if unit is None or key.dash or not value or "{{" in value:
            continue
        found = _timeout(path, key.number, key.line, key.key, value, unit, phase)
        if found is not None and found.attributes["timeout_ms"] is not None:
            out.append(found)
    return out


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
    backoff and interval settings are not read, nor a bare number whose unit nothing says. (Round
    11) A container's command-line flag as one `args` item, read word by word the same way
    (`- "--fetch-timeout=1h"`), except a server's own listener flags (`--read-timeout`).

    Why it matters: when a chart deploys a published image, these lines are the only evidence of the
    limits the service's calls run with.

    Example: `UPSTREAM_TIMEOUT_MS: "2500"` -> `timeout timeout_ms=2500 phase=total`."""
    return findings_in_lines(path, lines)
