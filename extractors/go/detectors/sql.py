"""Database handles: read replicas, DSN timeouts and the queries sent to a replica.

What it does: `sql.Open` / `sqlx.Open|Connect` / `pgxpool.New` / `pgx.Connect` / gorm's driver
`postgres.Open(dsn)` / `mysql.Open(dsn)` (gorm.io/driver/...) is an
`outbound_call` (protocol db). When the DSN, its variable or env name, or the handle it is
stored in says replica / reader / ro (`replicaDB`, `ORDERS_REPLICA_DSN`, host
`orders-db-replica`), it is a `replica_read`, and so is every query on that handle (with the
table read as `dataset`). Timeouts written in the DSN become `timeout` findings: mysql
`timeout=` (connect) and `readTimeout=` (read), postgres `connect_timeout=` (connect, seconds)
and `statement_timeout=` (total, ms). A DSN built parameter by parameter counts too: a call that
hands the postgres key `"connect_timeout"` / `"statement_timeout"` and its value to a query or map
setter (`q.Add("connect_timeout", strconv.Itoa(cfg.ConnectTimeout))`, `setIfPositive(m,
"connect_timeout", v)`); log calls that merely name the key are not settings. A session or
transaction bound set in SQL (`tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d",
d.Milliseconds()))`, also statement_timeout) is a timeout (total, ms) at the Exec. A DSN read from
configuration at the open (`viper.GetString("db.dsn")`, an env value) or taken as the opening function's
parameter (`func OpenReplica(ctx context.Context, dsn string)`, its callers' value) gives its
`connect_timeout` once the pipeline resolves it (kept only when the DSN carries one; round 21).

Why it matters: a replica lags its primary; a consumer that needs fresh data (fraud velocity
checks) must not read it without saying so.

Example: `replicaDB, _ := sql.Open("postgres", "postgres://orders-db-replica/orders")` -> replica_read.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending, Target
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Env, Ref, Str, Unknown, normalise_ms
from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.http_client import receiver_keys, storage_keys
from extractors.go.gofile import Draft, GoFile, TargetRef, inner_expression, node_text
from extractors.go.values import (DSN_TIMEOUTS, dsn_host, dsn_timeouts, is_replica_host, is_replica_name, parse_go_duration,
                                 parse_go_number, redact_dsn)

ID = "go.sql"

_OPEN = {"sql.Open": 1, "sqlx.Open": 1, "sqlx.Connect": 1, "sqlx.MustOpen": 1, "sqlx.MustConnect": 1,
         "pgxpool.New": 1, "pgxpool.Connect": 1, "pgx.Connect": 1}
_QUERY_METHODS = {"Query", "QueryContext", "QueryRow", "QueryRowContext", "Queryx", "QueryxContext",
                  "QueryRowx", "QueryRowxContext", "NamedQuery", "NamedQueryContext"}
_SQLX_READS = {"Select", "SelectContext", "Get", "GetContext"}
_FROM = re.compile(r"\bFROM\s+([A-Za-z_][\w.\"]*)", re.IGNORECASE)


def _names_in(node: ts.Node) -> list[str]:
    """Identifiers, fields and string contents in an expression (DSN variable and env names)."""
    out = []
    for n in [node, *ts.walk(node)]:
        if n.type in ("identifier", "field_identifier"):
            out.append(node_text(n))
        elif n.type in ("interpreted_string_literal_content", "raw_string_literal_content") \
                and re.fullmatch(r"[A-Z][A-Z0-9_]*", node_text(n)):  # env names, not DSN text
            out.append(node_text(n))
    return out


def _dataset(gf: GoFile, args) -> str | None:
    for arg in args:
        value = gf.string_value(arg)
        if value is not None:
            m = _FROM.search(value[0])
            if m:
                return m.group(1).strip('"')
    return None


_DSN_KEYS = {"connect_timeout": ("connect", 1000.0), "statement_timeout": ("total", 1.0)}
_TO_STRING = {"strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint", "fmt.Sprint", "fmt.Sprintf"}
_LOGGING = re.compile(r"(?i)^(log|print|info|debug|warn|error|fatal|panic|trace|with|errorf|sprintf|msg)")


# Driver parameters a DSN's map of parameters holds, put one by one (round 18, Jitsu Bulker:
# `utils.MapPutIfAbsent(config.Parameters, "dial_timeout", "60s")`): key -> (phase, unit of a bare number:
# None when the driver wants a Go duration). Only where the map or query is named for parameters.
_DRIVER_KEYS = {"timeout": ("connect", None), "readTimeout": ("read", None), "writeTimeout": ("write", None),
                "dial_timeout": ("connect", None), "read_timeout": ("read", None),
                "loginTimeout": ("connect", 1000.0), "requestTimeout": ("total", 1000.0),
                "clientTimeout": ("total", 1000.0)}
_PARAMETER_HOLDER = re.compile(r"(?i)param|dsn|\bquery\b|\bq\b|connparams|connectionparams")


def _driver_parameter(gf: GoFile, call, index: int) -> Draft | None:
    """`MapPutIfAbsent(config.Parameters, "timeout", "60s")`, `params["readTimeout"] = "30s"`-like puts of a
    driver's timeout parameter with a literal value (a Go duration, or seconds where the driver counts them)."""
    key = gf.string_value(inner_expression(call.args[index]))
    if key is None or key[0] not in _DRIVER_KEYS or index == 0 or \
            not _PARAMETER_HOLDER.search(node_text(call.args[index - 1])):
        return None
    phase, unit = _DRIVER_KEYS[key[0]]
    value = inner_expression(call.args[index + 1])
    if value.type == "unary_expression" and node_text(value).startswith("&"):
        value = inner_expression(value.child_by_field_name("operand"))  # `&minute`: a map of *string
    text = gf.string_value(value)
    if text is None:
        return None
    ms = parse_go_duration(text[0].strip()) if unit is None else None
    if ms is None and unit is not None and re.fullmatch(r"\d+(\.\d+)?", text[0].strip()):
        ms = float(text[0].strip()) * unit
    if ms is None:
        return None
    attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": text[1],
             "expression": f"{key[0]}={text[0]}"}
    return Draft(gf.finding("timeout", call.node, ID, attrs))


def _dsn_parameter_settings(gf: GoFile) -> list[Draft]:
    """`q.Add("connect_timeout", strconv.Itoa(v))`: a timeout written into a DSN being built."""
    drafts = []
    for call in gf.calls:
        if b"imeout" not in gf.data[call.node.start_byte:call.node.end_byte] or _LOGGING.match(call.name):
            continue
        for index, arg in enumerate(call.args[:-1]):
            key = gf.string_value(inner_expression(arg))
            if key is not None and key[0] in _DRIVER_KEYS:
                driver = _driver_parameter(gf, call, index)
                if driver is not None:
                    drafts.append(driver)
                    break
            if key is None or key[0] not in _DSN_KEYS:
                continue
            phase, unit = _DSN_KEYS[key[0]]
            value = inner_expression(call.args[index + 1])
            converter = gf.call_at(value)
            if converter is not None and converter.qualified in _TO_STRING and converter.args:
                value = inner_expression(converter.args[-1] if converter.name == "Sprintf" else converter.args[0])
            info = gf.count(value)
            if info.value is not None:
                attrs = {"timeout_ms": normalise_ms(info.value * unit), "phase": phase, "resolved_from": info.resolved_from,
                         "expression": f"{key[0]}={info.expression}"}
                drafts.append(Draft(gf.finding("timeout", call.node, ID, attrs, confidence=info.confidence)))
            else:
                pending = tuple(Pending("timeout_ms", p.expr, unit) for p in info.pending)
                attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved",
                         "expression": f"{key[0]}={info.expression}"}
                drafts.append(Draft(gf.finding("timeout", call.node, ID, attrs, confidence="medium",
                                               pending=pending)))
            break
    return drafts


# `tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", ms))`: a Postgres session's bound on its statements
_SESSION_SET = re.compile(r"(?i)^\s*SET\s+(?:/\*.*?\*/\s*)?(?:LOCAL\s+|SESSION\s+|@@session\.)?(lock_timeout|statement_timeout|"
                          r"lock_wait_timeout|innodb_lock_wait_timeout|max_execution_time)\s*(?::=|=|TO)\s*'?%d'?\s*;?\s*$")
# MySQL's lock waits are set in seconds (round 20, gh-ost's `set session lock_wait_timeout:=%d`); the others in ms
_SECONDS_SETTINGS = {"lock_wait_timeout", "innodb_lock_wait_timeout"}
_EXECS = {"Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext",
          "RawQuery"}  # gobuffalo/pop: `tx.RawQuery(q).Exec()` (round 20, supabase auth)


def _session_settings(gf: GoFile) -> list[Draft]:
    """`tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", timeout.Milliseconds()))`: how long each
    statement of the transaction (or session) may wait for a lock / run, in ms."""
    drafts = []
    for call in gf.calls:
        if call.name not in _EXECS or not call.args or b"_timeout" not in gf.data[call.node.start_byte:call.node.end_byte] \
                and not (b"_timeout" in gf.data and any(inner_expression(a).type == "identifier" for a in call.args[:2])):
            continue
        for arg in call.args[:2]:
            formatter = gf.call_at(inner_expression(arg))
            at = call.node
            if formatter is None and inner_expression(arg).type == "identifier":
                # round 20 (gh-ost, supabase auth): `query := fmt.Sprintf("set session lock_wait_timeout:=%d", n);
                # tx.Exec(query)`: the statement built in a local, reported where its value is written
                bound = gf.lookup_local(node_text(inner_expression(arg)), arg)
                formatter = gf.call_at(inner_expression(bound)) if bound is not None and hasattr(bound, "type") else None
                at = formatter.node if formatter is not None else at
            if formatter is None or formatter.qualified != "fmt.Sprintf" or len(formatter.args) != 2:
                continue
            text = gf.string_value(inner_expression(formatter.args[0]))
            found = _SESSION_SET.match(text[0]) if text is not None else None
            if found is None:
                continue
            value = inner_expression(formatter.args[1])
            if value.type == "identifier":
                bound = gf.lookup_local(node_text(value), value)
                if bound is not None and hasattr(bound, "type"):
                    value = inner_expression(bound)
            millis = gf.call_at(value)
            scale = 1000.0 if found.group(1).lower() in _SECONDS_SETTINGS else 1.0
            if millis is not None and millis.name == "Milliseconds" and not millis.args and millis.receiver is not None:
                info = gf.duration(inner_expression(millis.receiver))  # the duration, in ms
                scale = 1.0
            else:
                info = gf.count(value)  # Postgres reads a bare number as ms, MySQL's lock waits as seconds
            attrs = {"timeout_ms": normalise_ms(info.value * scale) if info.value is not None else None,
                     "phase": "total", "resolved_from": info.resolved_from,
                     "expression": f"{found.group(1)}={info.expression}"}
            pending = tuple(Pending("timeout_ms", p.expr, (p.scale or 1.0) * scale) for p in info.pending)
            drafts.append(Draft(gf.finding("timeout", at, ID, attrs, confidence=info.confidence,
                                           pending=pending)))
            break
    return drafts


# round 19 (orchestrator): `fmt.Sprintf("%s:%s@tcp(%s:%d)/%s?timeout=%ds&readTimeout=%ds", ...,
# cfg.ConnectTimeoutSeconds, cfg.ReadTimeoutSeconds)`: a DSN timeout filled in by a format verb
_FORMAT_DSN = re.compile(r"(?:^|[?&\s;/])(timeout|readTimeout|connect_timeout|statement_timeout)="
                         r"(%[-+# 0-9.]*[a-zA-Z])(ms|s|m|h)?(?=$|[&\s;])")
_FORMAT_VERB = re.compile(r"%(?:%|[-+# 0-9.]*[a-zA-Z])")
_SUFFIX_MS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
_SHOWN_DSN_WORDS = {"safe", "redact", "redacted", "mask", "masked", "sanitize", "sanitized", "string", "log",
                    "print", "describe", "display"}


def _dsn_format_settings(gf: GoFile) -> list[Draft]:
    """`fmt.Sprintf("...?timeout=%ds&readTimeout=%ds", ..., connectSec, readSec)`: each DSN timeout a
    verb fills is a timeout at the argument that fills it (seconds by the `s` after `%d`, a Go duration
    for `%s`/`%v`, whole seconds for postgres' connect_timeout), valued like that argument."""
    drafts = []
    if b"imeout=%" not in gf.data:
        return drafts
    for call in gf.calls:
        if call.qualified != "fmt.Sprintf" or len(call.args) < 2:
            continue
        text = gf.string_value(inner_expression(call.args[0]))
        if text is None or "imeout=%" not in text[0]:
            continue
        fns = gf.enclosing_functions(call.node)
        name = fns[-1].child_by_field_name("name") if fns else None
        if name is not None and {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", node_text(name))} & \
                _SHOWN_DSN_WORDS:
            continue  # `safeMySQLURI()`: a DSN without its password, for the logs
        verbs = [m.start() for m in _FORMAT_VERB.finditer(text[0]) if m.group() != "%%"]
        made: list = []
        for m in _FORMAT_DSN.finditer(text[0]):
            key, verb, suffix = m.group(1), m.group(2), m.group(3)
            if m.start(2) not in verbs or verbs.index(m.start(2)) + 1 >= len(call.args):
                continue
            arg = inner_expression(call.args[verbs.index(m.start(2)) + 1])
            phase, bare_unit = DSN_TIMEOUTS[key]
            if suffix:
                unit = _SUFFIX_MS[suffix]
            elif bare_unit is not None:
                unit = bare_unit
            elif verb[-1] in "sv":
                unit = None  # `timeout=%s` with `d.String()` or a duration: a Go duration
            else:
                continue  # `timeout=%d` without a unit: the driver rejects it
            if unit is None:
                holder = gf.call_at(arg)
                if holder is not None and holder.name == "String" and holder.receiver is not None and not holder.args:
                    arg = inner_expression(holder.receiver)
                info = gf.duration(arg)
                scale = 1.0
            else:
                info = gf.count(arg, attribute="timeout_ms")
                scale = unit
            expression = f"{key}={verb}{suffix or ''} <- {info.expression}"
            if info.value is not None:
                attrs = {"timeout_ms": normalise_ms(info.value * scale), "phase": phase,
                         "resolved_from": info.resolved_from, "expression": expression}
                made.append((arg, attrs, info.confidence, ()))
            else:
                pending = tuple(Pending("timeout_ms", p.expr, (p.scale or 1.0) * scale) if p.attribute == "timeout_ms"
                                else p for p in info.pending)
                attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": expression}
                made.append((arg, attrs, "medium", pending))
        for arg, attrs, confidence, pending in made:
            # round 20 (tinode): a DSN holding one such setting is reported at the call (`connStr :=
            # fmt.Sprintf(...` with its arguments one a line); two or more, each at its argument (orchestrator)
            at = call.node if len(made) == 1 else arg
            drafts.append(Draft(gf.finding("timeout", at, ID, attrs, confidence=confidence, pending=pending)))
    return drafts


# round 21 (sftpgo): a DSN written by fmt.Sprintf whose format holds the timeouts as literals
# (`"host='%s' ... sslmode=%s connect_timeout=10"`, `"%s:%s@tcp([%s]:%d)/%s?timeout=10s&writeTimeout=60s&readTimeout=60s"`)
# and is kept in a variable opened elsewhere: each literal timeout is a setting at the Sprintf.
_FORMAT_LITERAL_DSN = re.compile(r"(?:^|[?&\s;])(timeout|readTimeout|writeTimeout|connect_timeout)=([0-9][0-9.]*[a-zµ]*)(?=$|[&\s;'])")
_LITERAL_DSN_KEYS = {"timeout": ("connect", None), "readTimeout": ("read", None), "writeTimeout": ("write", None),
                     "connect_timeout": ("connect", 1000.0)}
# the format is a DSN: a mysql address, libpq keywords, or a database URL scheme
_DSN_SHAPE = re.compile(r"@(tcp|unix)\(|\b(dbname|sslmode|host)=|\b(postgres|postgresql|mysql)://")


def _dsn_format_literals(gf: GoFile) -> list[Draft]:
    drafts: list[Draft] = []
    if b"imeout=" not in gf.data:
        return drafts
    for call in gf.calls:
        if call.qualified != "fmt.Sprintf" or len(call.args) < 2:
            continue
        text = gf.string_value(inner_expression(call.args[0]))
        if text is None or not _DSN_SHAPE.search(text[0]):
            continue
        fns = gf.enclosing_functions(call.node)
        name = fns[-1].child_by_field_name("name") if fns else None
        if name is not None and {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", node_text(name))} & \
                _SHOWN_DSN_WORDS - {"string"}:
            continue  # a DSN for the logs (`getConnectionString()` builds the one opened)
        for m in _FORMAT_LITERAL_DSN.finditer(text[0]):
            key, raw = m.group(1), m.group(2)
            phase, bare_unit = _LITERAL_DSN_KEYS[key]
            number = parse_go_number(raw)
            ms = number * bare_unit if number is not None and bare_unit is not None else parse_go_duration(raw)
            if ms is None:
                continue
            drafts.append(Draft(gf.finding("timeout", call.node, ID,
                                           {"timeout_ms": round(ms, 3) if ms % 1 else int(ms), "phase": phase,
                                            "resolved_from": "literal", "expression": f"{key}={raw}"})))
    return drafts


# round 21 (polyglot17's open request): a DSN default written in a config struct's tag
# (`ReplicaDSN string \`envconfig:"ORDERS_REPLICA_DSN" default:"postgres://...&connect_timeout=3"\``)
_TAG_DEFAULT = re.compile(r'\b(?:default|envDefault|env-default)\s*:\s*"((?:[^"\\]|\\.)*)"')


def _dsn_tag_defaults(gf: GoFile) -> list[Draft]:
    """Each timeout a DSN default in a struct field's tag holds, at the field: the service opens that DSN
    while its environment leaves the setting out."""
    drafts: list[Draft] = []
    if b"imeout=" not in gf.data or b"efault" not in gf.data:
        return drafts
    for node in ts.walk(gf.root):
        if node.type != "field_declaration":
            continue
        tag = node.child_by_field_name("tag")
        found = _TAG_DEFAULT.search(node_text(tag)) if tag is not None else None
        if found is None or not _DSN_SHAPE.search(found.group(1)):
            continue
        for param, phase, ms, raw in dsn_timeouts(found.group(1)):
            drafts.append(Draft(gf.finding("timeout", node, ID,
                                           {"timeout_ms": round(ms, 3) if ms % 1 else int(ms), "phase": phase,
                                            "resolved_from": "env_default", "expression": f"{param}={raw}"},
                                           confidence="medium")))
    return drafts


def _named_dsn_timeout(gf: GoFile, call, dsn_node: ts.Node, target) -> list[Draft]:
    """(round 21, lead: polyglot19) a DSN the code reads from configuration (`viper.GetString("db.dsn")`, an env
    value) or takes as its function's parameter (`func OpenReplica(ctx, dsn string)`, each call publishing what it
    hands: `$go-arg`): its `connect_timeout`, proposed, kept only when the resolved DSN carries one."""
    expr = gf.config_string(dsn_node)
    if expr is None and dsn_node.type == "identifier":
        fns = gf.enclosing_functions(dsn_node)
        fn = fns[-1] if fns else None
        params = gf._constructor_parameters(fn) if fn is not None and fn.type == "function_declaration" else {}
        found = params.get(node_text(dsn_node))
        folder = gf._own_folder_r20() if found is not None else ""
        if found is not None and folder:
            expr = Ref(f"$go-arg.{folder}.{node_text(fn.child_by_field_name('name'))}:{found[0]}")
    if expr is None:
        expr = gf.to_expr(dsn_node)
        if not isinstance(expr, Env):
            return []
    value = Call("dsn_param", (expr, Str("connect_timeout")))
    return [Draft(gf.finding("timeout", call.node, ID, {
        "timeout_ms": None, "phase": "connect", "resolved_from": "unresolved",
        "expression": f"connect_timeout in {node_text(dsn_node)}"}, confidence="medium", target=target,
        pending=(Pending("timeout_ms", value, 1000.0), Pending(KEEP_IF, value, None))))]


@detector(
    ID, "go", ("replica_read", "timeout", "outbound_call"),
    valid=('package p\nimport "database/sql"\nfunc f(db *sql.DB) { db.Query("SELECT 1 FROM orders"); retry := db; _ = retry }\n',),
    invalid=('package p\nimport "database/sql"\nfunc f() { replicaDB, _ := sql.Open("postgres", "postgres://orders-db-replica/orders"); _ = replicaDB }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """Replica handles, their queries, and DSN timeouts."""
    drafts: list[Draft] = _dsn_parameter_settings(gf) + _session_settings(gf) + _dsn_format_settings(gf) + \
        _dsn_format_literals(gf) + _dsn_tag_defaults(gf)
    replica_keys: set[str] = set()
    replica_targets: dict[str, TargetRef] = {}
    opens = dict(_OPEN)
    # gorm's drivers: `gorm.Open(postgres.Open(dsn), &gorm.Config{})` opens the DSN handed to the driver
    opens.update({f"{alias}.Open": 0 for alias, path in gf.imports.items()
                  if path.startswith("gorm.io/driver/") and "sqlite" not in path})  # sqlite: a local file
    for call in gf.calls:
        index = opens.get(call.qualified) if call.qualified in opens else opens.get(call.callee)
        if index is None or len(call.args) <= index:
            continue
        dsn_node = inner_expression(call.args[index])
        resolved = gf.string_value(dsn_node)
        dsn, provenance = resolved if resolved is not None else (None, "unresolved")
        keys = storage_keys(gf, call.node)
        # Outbound call to the database.
        target = None
        if dsn is not None and provenance in ("literal", "constant"):
            target = TargetRef(target=Target(url=redact_dsn(dsn)))
        else:  # from the environment: let the pipeline map ORDERS_REPLICA_DSN (or its default)
            expr = gf.to_expr(dsn_node)
            if isinstance(expr, Env) and isinstance(expr.default, Str):
                expr = Env(expr.var, Str(redact_dsn(expr.default.value)))
            if not isinstance(expr, Unknown):
                target = TargetRef(pending=Pending("url", expr, None))
        drafts.append(Draft(gf.finding("outbound_call", call.node, ID,
                                       {"protocol": "db", "method": None,
                                        "url": redact_dsn(dsn) if dsn is not None else None},
                                       target=target)))
        # Replica?
        host = dsn_host(dsn) if dsn else ""
        names = _names_in(gf.resolve_name(dsn_node)) + _names_in(dsn_node)
        mechanism = None
        if host and is_replica_host(host):
            mechanism = "dsn_host"
        elif any(is_replica_name(n) for n in names if not n.startswith(("postgres", "mysql"))):
            mechanism = "dsn_name"
        elif any(is_replica_name(k) for k in keys):
            mechanism = "handle_name"
        if mechanism:
            replica_keys |= keys
            if target is not None:
                replica_targets[target.key] = target
            alias = next(iter(sorted(k.split("@")[0] for k in keys)), None) or host
            drafts.append(Draft(gf.finding("replica_read", call.node, ID,
                                           {"alias": alias, "mechanism": mechanism, "host": host or None},
                                           confidence="high" if mechanism == "dsn_host" else "medium",
                                           target=target)))
        # DSN timeouts: of the whole DSN, or of the literal parts of one built around an env value
        # (`os.Getenv("ORDERS_DSN") + "?timeout=5s&readTimeout=3s"`).
        texts = [(dsn, provenance)] if dsn is not None else [
            (node_text(n), "literal") for n in [dsn_node, *ts.walk(dsn_node)]
            if n.type in ("interpreted_string_literal_content", "raw_string_literal_content")]
        written = False
        for text, provenance in texts:
            for param, phase, ms, raw in dsn_timeouts(text):
                written = True
                drafts.append(Draft(gf.finding(
                    "timeout", call.node, ID,
                    {"timeout_ms": round(ms, 3) if ms % 1 else int(ms), "phase": phase,
                     "resolved_from": provenance, "expression": f"{param}={raw}"},
                    confidence="high" if provenance in ("literal", "constant") else "medium",
                    target=target)))
        if dsn is None and not written:
            drafts += _named_dsn_timeout(gf, call, dsn_node, target)
    # Queries on a replica handle.
    for call in gf.calls:
        if call.receiver is None or call.package:
            continue
        if call.name not in _QUERY_METHODS and call.name not in _SQLX_READS:
            continue
        keys = receiver_keys(gf, call.receiver)
        last = node_text(call.receiver).rsplit(".", 1)[-1]
        named = is_replica_name(last)
        if not (keys & replica_keys or named):
            continue
        if call.name in _SQLX_READS and not (keys & replica_keys) and not re.search(r"(?i)db|sql|pool|conn", last):
            continue
        drafts.append(Draft(gf.finding("replica_read", call.node, ID,
                                       {"alias": last, "mechanism": "handle",
                                        "dataset": _dataset(gf, call.args)},
                                       confidence="high" if keys & replica_keys else "medium",
                                       # the file's one replica, when it opens exactly one
                                       target=next(iter(replica_targets.values())) if len(replica_targets) == 1 else None)))
    return drafts
