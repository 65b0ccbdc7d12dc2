"""Client timeouts in Kotlin: Ktor ``HttpTimeout``, per-request ``timeout { }``, OkHttp builders.

What it does: reports ``install(HttpTimeout) { requestTimeoutMillis = 2000; connectTimeoutMillis
= ...; socketTimeoutMillis = ... }`` (total / connect / read), the same assignments inside a
per-request ``timeout { }`` block, the CIO engine's ``requestTimeout``, the engines' own options in ``engine
{ }`` (Apache/Apache5/Android ``socketTimeout`` read, ``connectTimeout`` / ``connectionRequestTimeout``
connect, CIO ``endpoint { connectTimeout; socketTimeout }``; ms), and OkHttp/JVM builder
setters (``connectTimeout(5, TimeUnit.SECONDS)``, ``callTimeout(Duration.ofSeconds(2))``,
``readTimeout(3.seconds)``), all in ms. Coroutine deadlines ``withTimeout(5.seconds) { ... }`` /
``withTimeoutOrNull(3_000) { ... }`` (phase total) when the block does remote work: an outbound
call, or a call named for it (``fetch``, ``download``, ``upload``, ``request``, ``api``, ``client``,
``http``, ``remote``, ``network``, ``server``); a deadline on local waits (a DAO flow, a decoder,
a lock, a ``DownloadManager.status`` flow) is not a call limit. Hikari pool settings written as
properties (``HikariConfig().apply { connectionTimeout = 30_000 }``). JPA query hints that bound a
database call: ``@QueryHints(QueryHint(name = "javax.persistence.lock.timeout", value = "10000"))`` and
``query.setHint("jakarta.persistence.query.timeout", 5000)`` (ms; ``org.hibernate.timeout`` in seconds).
Timeouts handed by name to the constructor of a client, transport or request
(``HttpKlientConfig(timeout = timeout)``, ``WebSocketRequest(msg, timeout = 2.minutes)``), read
through local vals, file constants and parameter defaults, and counted at a same-file helper's calls
when the helper passes its parameter on. Media3 data-source setters in ms (``setReadTimeoutMs``).
Deadlines also count around a DNS lookup, around waiting for the answer to something sent (a
``Deferred.await()`` after a send, or in a function handed the socket), around the caller's block
in a runner (``withTimeout(t) { block() }``), and around a function of the file that does remote work.
reactor-netty clients: ``.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ms)``, Netty's
``ReadTimeoutHandler(seconds)`` and a ``ConnectionProvider`` pool's ``pendingAcquireTimeout``
(the wait for a pooled connection). JDBC driver timeouts handed through the pool
(``addDataSourceProperty("socketTimeout", 30)``: seconds for PostgreSQL, ms for MySQL, left out
when the file names neither). A value read from the environment with a default
(``System.getenv("T")?.toLong() ?: 3000``) is the default (env_default) and stays pending, so a
deployment file that sets the variable replaces it. Paho MQTT's connect timeout (seconds) and
forced-disconnect wait, Kafka clients' request/delivery/max-block timeouts in their config maps,
and builder setters fed by a helper's parameters (the default at the setter, a caller's value at
its argument).

Why it matters: the caller's timeout is half of every latency contract.

Example: ``install(HttpTimeout) { requestTimeoutMillis = 2000 }`` -> timeout 2000ms phase=total.
The UK Ministry of Justice's hmpps-kotlin WebClient builders (``healthWebClient(url, healthTimeout)``,
``authorisedWebClient(.., timeout)``) with the Duration they are handed.
A callback named for a timeout posted after a delay while the function loads or connects
(``loadUrl(server); postDelayed(timeoutRunnable, 10_000)``).
"""

from __future__ import annotations

import re

from contract_discovery.values import Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import TIMEOUT_SETTERS, documented, wait_is_timeout
from extractors.kotlin.detectors.outbound import outbound_of
from extractors.kotlin.syntax import (KCall, KotlinFile, annotation_parts, duration_of, expr_of, function_annotations,
                                      local_value, name_location,
                                      parameter_default, timeout_value, unit_of, with_parameter_defaults)

ID = "kotlin.http_timeouts"
_KTOR = {"requestTimeoutMillis": "total", "connectTimeoutMillis": "connect", "socketTimeoutMillis": "read"}
# Ktor client engines' options set in `engine { }` (ms): Apache, Apache5, Android, CIO's `endpoint { }`.
_KTOR_ENGINE = {"connectTimeout": "connect", "socketTimeout": "read", "connectionRequestTimeout": "connect",
                "connectAttemptTimeout": "connect"}
_CONTEXT = ("http", "web", "rest", "request", "client", "mono", "flux", "uri", "retrieve", "call", "builder")


# Ktor client engines whose factory takes the engine config block (`CIO.create { }`, `OkHttp.create { }`).
_KTOR_ENGINE_FACTORIES = frozenset({"CIO", "OkHttp", "Apache", "Apache5", "Java", "Android", "Jetty", "Darwin", "Curl",
                                    "WinHttp", "Js"})


def _timeout_block(node: ts.Node) -> str | None:
    """"plugin" for ``install(HttpTimeout) { }``, "request" for ``timeout { }``, "engine" for ``engine { }``."""
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            if owner is None or owner.type != "call_expression":
                return None
            call = KCall.of(owner)
            if call is None:
                return None
            if call.name in ("customizeClient", "customizeRequest") and not call.args:
                # round 15 (mospolyhelper): `engine { customizeClient { socketTimeout = 10_000 } }`: the Apache
                # builder has no such property, the name is the engine config's around it
                continue
            if call.name == "install" and call.args and ts.text(call.args[0]).endswith("HttpTimeout"):
                return "plugin"
            if call.name == "timeout" and not call.args:
                return "request"
            if call.name in ("engine", "endpoint"):
                return "engine"  # `engine { }` of a client; CIO's `engine { endpoint { } }`
            if call.name == "create" and call.receiver is not None and not call.args \
                    and ts.text(call.receiver) in _KTOR_ENGINE_FACTORIES:
                # round 17 (dp-inntekt): `CIO.create { requestTimeout = 30_000 }`, an engine built on its own
                # (handed to `HttpClient(engine)`, often as a parameter's default): the engine's config block
                return "engine"
            return None
        if parent.type in ("function_declaration", "class_body"):
            return None
    return None


@detector(ID, "kotlin", ["timeout"],
          valid=['val message = "requestTimeoutMillis exceeded"',
                 'cache.expireAfterWrite(Duration.ofSeconds(30))',
                 'val requestTimeoutMillis = 5000',
                 'suspend fun f() = withTimeoutOrNull(1.minutes) { dao.observeItems().first() }'],
          invalid=['HttpClient(CIO) { install(HttpTimeout) { requestTimeoutMillis = 2000 } }',
                   'suspend fun f() = withTimeout(3.seconds) { api.fetchQuote() }',
                   'OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS).build()'])
@documented(__doc__)
def detect(kf: KotlinFile) -> None:
    _task_timeouts(kf)
    _statement_timeouts(kf)
    _query_hints(kf)
    _coroutine_deadlines(kf)
    _socket_connects(kf)
    _awaited_replies(kf)
    _defaulted_timeouts(kf)
    _named_timeout_arguments(kf)
    _member_timeout_arguments(kf)
    _netty_options(kf)
    _uri_query_timeouts(kf)
    _elapsed_time_deadlines(kf)
    _polling_helper_timeouts(kf)
    _driver_properties(kf)
    _mqtt_disconnects(kf)
    _kafka_timeouts(kf)
    _hmpps_web_clients(kf)
    _posted_timeouts(kf)
    _positional_timeout_arguments(kf)
    for node in kf.calls:
        if node.name in _MS_SETTERS and len(node.args) == 1 and node.receiver is not None:
            # ExoPlayer/Media3 data sources (`CronetDataSource.Factory(..).setConnectionTimeoutMs(t)`): ms.
            arg = node.args[0]
            kf.sink.timeout(name_location(node.node, node.name_node), ID, _MS_SETTERS[node.name],
                            binding_expr(kf, arg), 1.0, ts.text(arg), kf.evidence(node.name_node),
                            extra={"library": "media3"})
    for node in kf.assignments:
        named = node.named_children
        if len(named) < 2:
            continue
        left, right = named[0], named[-1]
        name = ts.text(left).rsplit(".", 1)[-1]
        block = _timeout_block(node)
        if block in ("plugin", "request") and name in _KTOR:
            phase = _KTOR[name]
        elif block == "engine" and name == "requestTimeout":
            phase = "total"
        elif block == "engine" and name in _KTOR_ENGINE and b"io.ktor.client" in kf.data:
            # the engine's own options, in ms: Apache/Apache5 `socketTimeout` / `connectTimeout` /
            # `connectionRequestTimeout`, Android `connectTimeout` / `socketTimeout`, CIO `endpoint { }`
            phase = _KTOR_ENGINE[name]
        elif name in _HIKARI and _in_scope_of(left, ("hikari",)):
            # `HikariConfig().apply { connectionTimeout = 45.seconds.inWholeMilliseconds }` (ms).
            if ts.text(right) == "null":
                continue
            kf.sink.timeout(ts.location(node), ID, _HIKARI[name], expr_of(right), 1.0, ts.text(right),
                            kf.evidence(node), extra={"library": "hikari"}, zero_disables=False)
            continue
        elif name in _COMMONS_NET and b"org.apache.commons.net" in kf.data and _in_scope_of(
                left.named_children[-1] if left.type == "navigation_expression" and ts.text(left).startswith("this.")
                else left, ("ftp",)):
            # Apache Commons Net `FTPClient().apply { this.connectTimeout = ..; this.defaultTimeout = .. }` (ms; round
            # 12, biostudies): connecting to the server, and the socket's reads
            kf.sink.timeout(ts.location(node), ID, _COMMONS_NET[name], expr_of(right), 1.0, ts.text(right),
                            kf.evidence(node), extra={"library": "commons-net"})
            continue
        elif name in _JEDIS and _in_scope_of(left, ("jedis",)):
            # (round 20, spinnaker-orca) `JedisDriverProperties().apply { timeoutMs = timeout }`, `JedisPoolConfig` /
            # client config objects: the Redis client's socket / connect timeout, ms
            if ts.text(right) == "null":
                continue
            kf.sink.timeout(ts.location(node), ID, _JEDIS[name], expr_of(right), 1.0, ts.text(right),
                            kf.evidence(node), extra={"library": "jedis"})
            continue
        elif name == "connectionTimeout" and _in_scope_of(left, ("connectoptions", "mqtt")):
            # Paho `MqttConnectOptions().apply { connectionTimeout = 30 }`: seconds to connect to the broker.
            if ts.text(right) == "null":
                continue
            kf.sink.timeout(ts.location(node), ID, "connect", expr_of(right), 1000.0, ts.text(right),
                            kf.evidence(node), extra={"library": "paho-mqtt"})
            continue
        elif name in _PROPERTIES and _on_connection(left):
            # `socket.soTimeout = 60_000`, `conn.connectTimeout = 5000`, `(url.openConnection() as
            # HttpURLConnection).apply { readTimeout = 5000 }`: JVM setters written as properties (ms; 0 = none).
            if ts.text(right) == "null":
                continue
            kf.sink.timeout(ts.location(node), ID, _PROPERTIES[name], expr_of(right), 1.0, ts.text(right),
                            kf.evidence(node), extra={"library": "smack" if name == "replyTimeout" else "java.net"})
            continue
        elif name == "idleTimeout" and _in_scope_of(left, ("client",)):
            # `WebSocketClient().apply { idleTimeout = Duration.ofMinutes(1) }`, `httpClient.idleTimeout =
            # 30_000` (Jetty): how long the connection may sit without data before the client drops it.
            value = timeout_value([right])
            if value is None:
                continue
            kf.sink.timeout(ts.location(node), ID, "read", value[0], value[1], value[2], kf.evidence(node),
                            extra={"library": "jetty"})
            continue
        else:
            continue
        if ts.text(right) == "null":
            continue
        extra = {"library": "ktor", "scope": "request" if block == "request" else "client"}
        if ts.text(right).endswith(("INFINITE_TIMEOUT_MS", "Long.MAX_VALUE")):
            kf.sink.add("missing_timeout", ts.location(node), ID,
                        {"library": "ktor", "library_default_ms": None, "phase": phase,
                         "expression": ts.text(right), "reason": "infinite"}, kf.evidence(node), "high")
            continue
        kf.sink.timeout(ts.location(node), ID, phase, expr_of(right), 1.0, ts.text(right), kf.evidence(node),
                        extra=extra, zero_disables=False)
    for call in kf.calls:
        phase = TIMEOUT_SETTERS.get(call.name) or _REPLY_SETTERS.get(call.name)
        if phase is None or call.lambda_ is not None:
            continue
        args = call.args or _setter_named_args(call)
        if not args:
            continue
        if call.name == "waitForCompletion" and not wait_is_timeout([ts.text(a) for a in args], duration_of(args[0]) is not None):
            continue
        if call.name == "timeout" and _local_flow(kf, call):
            continue
        if call.name in ("timeout", "timeoutDuration"):
            receiver = ts.text(call.receiver).lower() if call.receiver is not None else ""
            if duration_of(args[0]) is None and not (len(args) > 1 and unit_of(args[1]) is not None) \
                    and not any(w in receiver for w in _CONTEXT):
                continue
        value = timeout_value(args)
        if value is None:
            continue
        expr, scale, source = value
        zero = call.name not in ("timeout", "timeoutDuration")
        through = _through_parameters(kf, call.node, expr)
        if through is not None:
            # `.connectTimeout(connectTimeout)` in a helper: its parameter's default here, and what each
            # same-file call passes at that call's argument.
            default, passed = through
            if default is not None:
                kf.sink.timeout(name_location(call.node, call.name_node), ID, phase, default, scale, source,
                                kf.evidence(call.name_node), zero_disables=zero)
            _report_passed(kf, passed, phase, scale, ts.text(call.name_node), zero)
            if default is not None or passed:
                continue
        kf.sink.timeout(name_location(call.node, call.name_node), ID, phase, expr, scale, source,
                        kf.evidence(call.name_node), zero_disables=zero)


# The parameter names of the JVM timeout setters (OkHttp `connectTimeout(timeout: Long, unit: TimeUnit)` /
# `connectTimeout(duration: Duration)`, Apache `setConnectTimeout(timeout: Timeout)`), as Kotlin callers may name them.
_SETTER_VALUE_NAMES = ("timeout", "duration", "timeoutMs", "millis", "value")


def _setter_named_args(call: KCall) -> list[ts.Node]:
    """``.connectTimeout(timeout = HTTP_CONNECTION_TIMEOUT, unit = TimeUnit.MILLISECONDS)``: a setter's value
    (and its unit) passed by name, in the order the setter takes them."""
    value = next((call.named_args[n] for n in _SETTER_VALUE_NAMES if n in call.named_args), None)
    if value is None or len(call.named_args) > 2:
        return []
    unit = call.named_args.get("unit")
    return [value, unit] if unit is not None else [value]


def _local_flow(kf: KotlinFile, call: KCall) -> bool:
    """``ipPollingFlow().timeout(15.seconds)`` where ``ipPollingFlow`` is a function of this file that
    does no remote work: a deadline on waiting for local state, not on a call."""
    root = call.receiver
    while root is not None and root.type == "call_expression":
        inner = KCall.of(root)
        if inner is None:
            return False
        if inner.receiver is None:
            local = _file_function(kf, inner.name)
            return local is not None and not _remote_work(kf, local)
        root = inner.receiver
    return False


def _socket_lambda_param(receiver: ts.Node) -> bool:
    """``client`` in ``Socket().use { client -> client.connect(..) }`` (or ``it`` there)."""
    if receiver.type != "identifier":
        return False
    name = ts.text(receiver)
    for parent in ts.ancestors(receiver):
        if parent.type in ("function_declaration", "class_body"):
            return False
        if parent.type != "lambda_literal":
            continue
        params = next((c for c in parent.named_children if c.type == "lambda_parameters"), None)
        names = [ts.text(p).split(":")[0].strip() for p in params.named_children] if params is not None else ["it"]
        if name not in names:
            continue
        owner = parent.parent.parent if parent.parent is not None else None
        call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
        return call is not None and call.receiver is not None and ts.text(call.receiver).replace(" ", "").endswith(
            ("Socket()", "SSLSocket()")) and call.name in ("use", "apply", "run", "let", "also")
    return False


def _substitute(expr, mapping: dict):
    """``expr`` with the names in ``mapping`` replaced by their values (None when one has none)."""
    from contract_discovery.values import BinOp, Call, Ref
    if isinstance(expr, Ref):
        if expr.name in mapping:
            return mapping[expr.name]
        return expr
    if isinstance(expr, BinOp):
        left, right = _substitute(expr.left, mapping), _substitute(expr.right, mapping)
        return None if left is None or right is None else BinOp(expr.op, left, right)
    if isinstance(expr, Call):
        args = tuple(_substitute(a, mapping) for a in expr.args)
        return None if any(a is None for a in args) else Call(expr.func, args, expr.kwargs)
    return expr


def _param_names(expr) -> set[str]:
    from contract_discovery.values import BinOp, Call, Ref
    if isinstance(expr, Ref):
        return {expr.name}
    if isinstance(expr, BinOp):
        return _param_names(expr.left) | _param_names(expr.right)
    if isinstance(expr, Call):
        return set().union(*(_param_names(a) for a in expr.args)) if expr.args else set()
    return set()


def _through_parameters(kf: KotlinFile, at: ts.Node, expr):
    """A setter's value that names parameters of the (non-public-API) function around it:
    (the value with the parameters' defaults, or None when one has none; [(argument, value)] for
    each same-file call of the function that passes one of them). None when no parameter is named."""
    fn = next((a for a in ts.ancestors(at) if a.type in ("function_declaration", "class_body")), None)
    if fn is None or fn.type != "function_declaration":
        return None
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    if params is None:
        return None
    order: list[str] = []
    defaults: dict[str, ts.Node | None] = {}
    children = params.children
    for i, param in enumerate(children):
        if param.type != "parameter":
            continue
        ident = next((c for c in param.named_children if c.type == "identifier"), None)
        if ident is None:
            continue
        order.append(ts.text(ident))
        defaults[ts.text(ident)] = children[i + 2] if i + 2 < len(children) and children[i + 1].type == "=" else None
    names = _param_names(expr) & set(order)
    if not names or any(local_value(at, n) is not None for n in names):
        return None
    mapping = {n: kf._constant_expr(defaults[n]) for n in names if defaults[n] is not None}
    default = _substitute(expr, mapping) if len(mapping) == len(names) else None
    name_node = next((c for c in fn.named_children if c.type == "identifier"), None)
    passed = []
    for call in kf.calls if name_node is not None else ():
        if call.name != ts.text(name_node) or call.receiver is not None or kf.within(call.node, fn):
            continue
        for n in names:
            arg = call.named_args.get(n)
            if arg is None and not call.named_args and order.index(n) < len(call.args):
                arg = call.args[order.index(n)]
            if arg is None:
                continue
            if arg.type == "identifier" and local_value(arg, ts.text(arg)) is None \
                    and _function_parameter(arg)[0] is not None:
                continue  # the caller hands on its own parameter: a forwarder, counted at its callers
            value = _substitute(expr, {**mapping, n: kf._constant_expr(arg)})
            if value is not None:
                passed.append((arg, value))
    return default, passed


def _report_passed(kf: KotlinFile, passed, phase: str, scale: float, via: str, zero: bool, extra: dict | None = None) -> None:
    """Each same-file call's argument for a helper parameter a setting reads: a named argument (``readTimeout =
    ..``) at its own line; a positional one at the helper call's name; once per phase and argument (round 18:
    ``createAuthorizedWebClient(m, url, readSeconds, responseSeconds)`` feeding a ReadTimeoutHandler and a
    responseTimeout, both read phases, is two settings)."""
    for site, site_expr in passed:
        named = site.parent is not None and site.parent.type == "value_argument" and \
            any(c.type == "=" for c in site.parent.children)
        outer = next((a for a in ts.ancestors(site) if a.type == "call_expression"), None)
        helper = KCall.of(outer) if outer is not None and not named else None
        loc = name_location(helper.node, helper.name_node) if helper is not None else ts.location(site)
        seen = kf.__dict__.setdefault("_passed_sites", set())
        if (loc[0], phase, site.start_byte) in seen or any(
                f.line == loc[0] and f.kind == "timeout" and f.detector == ID and f.attributes.get("phase") == phase
                and "via" not in f.attributes for f in kf.sink.findings):
            continue
        seen.add((loc[0], phase, site.start_byte))
        kf.sink.timeout(loc, ID, phase, site_expr, scale, ts.text(site), kf.evidence(site),
                        extra={"via": via, **(extra or {})}, zero_disables=zero)


_REMOTE_WORDS = re.compile(r"fetch|download|upload|request|api|client|http|remote|network|server|rpc|grpc|stub|"
                           r"webservice|socket",
                           re.IGNORECASE)


# Receivers that hold the app's own state, whatever they are named for (`DownloadManager.status`,
# `uploadQueue`, `requestCache`).
# An argument that is a client of another process (`client`, `ctx.client!! as NodeClient`, `httpClient`).
_CLIENT_ARG = re.compile(r"(?:^|[.\s(])(?:[a-z]\w*)?[cC]lient(?:!!)?(?:\s+as\s+\w*Client)?$")
_LOCAL_HOLDER = re.compile(r"(Manager|Queue|Cache|Store|State|Status|Flow|Dao|Database|Preferences|Settings)$")


# A receiver named or typed like a remote endpoint: `maliciousSiteService`, `BillingGateway`.
_REMOTE_TYPE = re.compile(r"(Service|Gateway|Stub|Proxy)$")
# a Retrofit-style service handed out by a factory or a client object (`ServiceFactory.get(site)`,
# `ApiClient.getInstance()`, `retrofit.create(Api::class.java)`)
_SERVICE_FROM_FACTORY = re.compile(r"\b\w*(Service|Api|Client|[rR]etrofit)\w*\.(get|create)\w*\(")


def _coroutine_deadlines(kf: KotlinFile) -> None:
    for call in kf.calls:
        if call.name not in ("withTimeout", "withTimeoutOrNull") or call.receiver is not None \
                or call.lambda_ is None or not call.args:
            continue
        if not _remote_work(kf, call.lambda_) and not _awaits_reply(kf, call) and not _wraps_block(kf, call) \
                and not _scheduled_job(call) and not _awaits_remote_deferred(kf, call):
            continue
        if _callers_deadline(call.args[0]):
            continue
        value = timeout_value(call.args[:1])
        if value is None:
            continue
        expr, scale, source = value
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "total", expr, scale, source,
                        kf.evidence(call.name_node), target=None, extra={"library": "kotlinx-coroutines"},
                        zero_disables=False)


_AWAITED = re.compile(r"\b([a-z]\w*)\s*(?:!!|\?)?\.await\(\)")
_PEER_HOLDER = re.compile(r"(connection|channel|session|cluster)$", re.IGNORECASE)


def _awaits_remote_deferred(kf: KotlinFile, call: KCall) -> bool:
    """Round 18 (dex-processing-status): ``d = async { rabbitMQConnection?.createChannel() }`` started earlier in
    the function, then ``withTimeout(Duration.ofSeconds(5).toMillis()) { channel = d?.await() }``: the deadline
    bounds waiting for that remote work (a channel opened on a broker connection, a database client built)."""
    names = set(_AWAITED.findall(ts.text(call.lambda_)))
    fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
    if not names or fn is None:
        return False
    for inner in kf.calls:
        if inner.name != "async" or inner.lambda_ is None or not kf.within(inner.node, fn) \
                or inner.node.start_byte >= call.node.start_byte:
            continue
        holder = inner.node.parent
        while holder is not None and holder.type not in ("assignment", "property_declaration") and holder != fn:
            holder = holder.parent
        if holder is None or holder == fn:
            continue
        target = ts.text(holder).split("=", 1)[0].replace("val ", "").replace("var ", "").split(":")[0].strip()
        if target not in names:
            continue
        if _remote_work(kf, inner.lambda_) or any(
                kf.within(c.node, inner.lambda_) and c.receiver is not None
                and _PEER_HOLDER.search(ts.text(c.receiver).rstrip("?!").rsplit(".", 1)[-1]) for c in kf.calls):
            return True
    return False


def _callers_deadline(arg: ts.Node) -> bool:
    """Round 16 (newm-server, a gRPC handler's ``withTimeoutOrNull(request.timeoutMs) { .. }``): a bound the
    caller's incoming request message carries (a parameter of the handler typed ``...Request``), not a setting
    of this service (decided: deadlines handed down from a request are no settings of their own)."""
    text = ts.text(arg).replace(" ", "")
    m = re.fullmatch(r"(\w+)\.(\w*([tT]imeout|[dD]eadline)\w*)", text)
    if m is None:
        return False
    fn = next((a for a in ts.ancestors(arg) if a.type == "function_declaration"), None)
    if fn is None:
        return False
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    for param in params.named_children if params is not None else ():
        if param.type != "parameter" or not param.named_children or ts.text(param.named_children[0]) != m.group(1):
            continue
        declared = ts.text(param.named_children[-1]) if len(param.named_children) > 1 else ""
        return bool(re.search(r"Request\??$", declared))
    return False


def _remote_work(kf: KotlinFile, body: ts.Node, depth: int = 0) -> bool:
    """An outbound call in the block, or a call whose name or receiver names remote work (a DNS
    lookup too), or a call of a function of the file whose body does (one level down)."""
    for inner in kf.calls:
        if not kf.within(inner.node, body):
            continue
        if outbound_of(inner) is not None:
            return True
        if inner.name == "proceed" and inner.receiver is not None and "chain" in ts.text(inner.receiver).lower():
            return True  # an OkHttp interceptor's `chain.proceed(request)` sends the request
        if inner.name in ("loadUrl", "postUrl") and inner.receiver is not None \
                and "webview" in ts.text(inner.receiver).lower():
            return True  # an Android WebView loading a remote page (`webView.loadUrl(exception.url)`)
        if inner.name in ("getAllByName", "getByName") and inner.receiver is not None \
                and ts.text(inner.receiver).endswith("InetAddress"):
            return True  # resolving a host name asks a DNS server
        if inner.name in ("createConnection", "createContext", "newConnection") and inner.receiver is not None \
                and "ConnectionFactory" in ts.text(inner.receiver):
            return True  # (round 20, su-se-bakover) a JMS / AMQP connection factory connecting to the broker
        if depth == 0 and (inner.receiver is None or ts.text(inner.receiver) == "this"):
            local = _file_function(kf, inner.name)
            if local is not None and local != next((a for a in ts.ancestors(body) if a.type == "function_declaration"),
                                                   None) and _remote_work(kf, local, depth + 1):
                return True
        if any(_CLIENT_ARG.search(ts.text(a)) for a in [*inner.args, *inner.named_args.values()]):
            return True  # `executePplQuery(query, monitorCtx.client!! as NodeClient)`: a client handed to the call
        if inner.receiver is not None and _SERVICE_FROM_FACTORY.search(ts.text(inner.receiver)):
            return True  # `ServiceFactory.get(wiki).getRandomImages()`, `ApiClient.create(site).x()`: a service built
        receiver = ts.text(inner.receiver).rsplit(".", 1)[-1] if inner.receiver is not None else ""
        if _LOCAL_HOLDER.search(receiver):
            receiver = ""  # `DownloadManager.updates.first { }`: waiting on the app's own state
        if (depth == 0 and _REMOTE_WORDS.search(inner.name) and not inner.name[:1].isupper()) \
                or _REMOTE_WORDS.search(receiver) or _REMOTE_TYPE.search(receiver):
            return True  # (a capitalised name is a constructor: `DownloadStatus(...)` builds a value)
        if receiver.isidentifier():
            declared = re.search(rb"\b" + re.escape(receiver.encode()) + rb"\s*:\s*([A-Z]\w*)", kf.data)
            if declared and (_REMOTE_WORDS.search(declared.group(1).decode())
                             or _REMOTE_TYPE.search(declared.group(1).decode())):
                return True  # `quotes: QuoteApi`, `matches: MatchesService` (a Retrofit service)
    return False


_PROPERTIES = {"soTimeout": "read", "connectTimeout": "connect", "readTimeout": "read",
               # a socket factory's options: `SocketFactoryOptions().apply { socketTimeout = ms }`
               "socketTimeout": "read",
               # Smack (XMPP): how long a request (an IQ) waits for its reply, in ms.
               "replyTimeout": "total"}

# Smack's setters of the same reply timeout (ms): the process-wide default and one connection's.
_REPLY_SETTERS = {"setDefaultReplyTimeout": "total", "setReplyTimeout": "total"}


def _awaited_replies(kf: KotlinFile) -> None:
    """``latch.await(5, TimeUnit.SECONDS)`` after sending something in the same function
    (``connection.sendStanza(ping)``, an outbound call): how long to wait for the answer. A latch
    awaited with no send before it, or with no time limit, is local coordination."""
    for call in kf.calls:
        if call.name not in ("await", "tryAcquire") or call.receiver is None or len(call.args) != 2 \
                or unit_of(call.args[1]) is None:
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        if fn is None:
            continue
        sent = any(kf.within(inner.node, fn) and inner.node.start_byte < call.node.start_byte
                   and (re.match(r"send[A-Z]|send$", inner.name) or outbound_of(inner) is not None)
                   for inner in kf.calls)
        if not sent:
            continue
        value = timeout_value(call.args)
        if value is None:
            continue
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "total", value[0], value[1], value[2],
                        kf.evidence(call.name_node), extra={"library": "java.util.concurrent"}, zero_disables=False)
_CONNECTION_WORDS = ("socket", "connection", "conn", "openconnection", "urlconnection")
_SCOPE_FUNCTIONS = ("apply", "also", "run", "with", "let")


# Hikari's pool settings written as properties: waiting for a pooled connection, the validation query.
_HIKARI = {"connectionTimeout": "connect", "validationTimeout": "read",
           # how long the pool's start waits for its first connection (fails start-up after it).
           "initializationFailTimeout": "connect"}


def _on_connection(left: ts.Node) -> bool:
    """``socket.soTimeout`` / ``conn.readTimeout`` on a socket or URL connection, or a bare
    ``readTimeout`` inside ``connection.apply { }``."""
    return _in_scope_of(left, _CONNECTION_WORDS)


def _in_scope_of(left: ts.Node, words: tuple[str, ...]) -> bool:
    """``subject.name = ...`` or a bare ``name = ...`` inside ``subject.apply { }`` (also/run/with/let),
    where the subject's text holds one of ``words``; ``it.name = ...`` / ``cfg.name = ...`` inside
    ``subject.also { }`` / ``subject.let { cfg -> }`` names the subject through the lambda's parameter
    (round 17, helse-spesialist: ``HikariConfig().also { it.connectionTimeout = .. }``)."""
    if left.type == "navigation_expression":
        receiver = ts.text(left).rsplit(".", 1)[0].lower()
        if any(w in receiver for w in words):
            return True
        lam_param = ts.text(left).rsplit(".", 1)[0].strip()
        return re.fullmatch(r"[A-Za-z_]\w*", lam_param) is not None and _scope_subject_holds(left, lam_param, words)
    if left.type not in ("identifier", "simple_identifier"):
        return False
    for parent in ts.ancestors(left):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
            if call is None or call.name not in _SCOPE_FUNCTIONS:
                return False
            subject = ts.text(call.receiver if call.receiver is not None else (call.args[0] if call.args else owner))
            if any(w in subject.lower() for w in words):
                return True
            if call.name in ("apply", "run", "with") and _DRIVER_DATA_SOURCE.search(subject):
                # round 19 (sokos-ske-krav): `HikariConfig().apply { dataSource = PGSimpleDataSource().apply {
                # connectionTimeout = .. } }`: a JDBC driver's own data source has no such property, Kotlin
                # resolves the name on the outer receiver (the pool's config)
                continue
            return False
        if parent.type in ("function_declaration", "class_body"):
            return False
    return False


# A JDBC driver's plain data source (no pool settings of its own: `connectionTimeout` there is the outer pool's).
_DRIVER_DATA_SOURCE = re.compile(r"^(PG|Pg|MySQL|Mysql|MariaDb|SQLServer|Oracle|H2)\w*DataSource\(")


def _scope_subject_holds(left: ts.Node, param: str, words: tuple[str, ...]) -> bool:
    """``param`` is the parameter (``it`` or a named one) of the innermost lambda around ``left``, that lambda
    is the trailing lambda of ``subject.also { }`` / ``subject.let { }``, and the subject's text holds a word."""
    for parent in ts.ancestors(left):
        if parent.type in ("function_declaration", "class_body"):
            return False
        if parent.type != "lambda_literal":
            continue
        params = next((c for c in parent.named_children if c.type == "lambda_parameters"), None)
        names = [ts.text(c).split(":")[0].strip() for c in params.named_children] if params is not None else ["it"]
        if names != [param]:
            return False
        owner = parent.parent.parent if parent.parent is not None else None
        call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
        if call is None or call.name not in ("also", "let") or call.receiver is None:
            return False
        return any(w in ts.text(call.receiver).lower() for w in words)
    return False


def _socket_connects(kf: KotlinFile) -> None:
    """``socket.connect(address, 30_000)``: java.net.Socket's connect timeout (ms; 0 = none); also on
    the parameter of ``Socket().use { client -> client.connect(address, 15000) }``."""
    for call in kf.calls:
        if call.name != "connect" or len(call.args) != 2 or call.receiver is None:
            continue
        if "socket" not in ts.text(call.receiver).lower() and not _socket_lambda_param(call.receiver):
            continue
        if "websocket" in ts.text(call.receiver).lower():
            continue  # `webSocketClient.connect(endpoint, uri)`: the second argument is where, not how long
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "connect", expr_of(call.args[1]), 1.0,
                        ts.text(call.args[1]), kf.evidence(call.name_node), extra={"library": "java.net"})


# Hibernate's lock-wait constants given as the lock.timeout hint: a mode (skip locked rows, fail at
# once, wait forever), not a bound on a call.
_LOCK_MODES = frozenset({"SKIP_LOCKED", "NO_WAIT", "WAIT_FOREVER"})


_JEDIS = {"timeoutMs": "total", "timeout": "total", "connectionTimeoutMs": "connect", "connectionTimeout": "connect",
          "socketTimeoutMs": "read", "soTimeout": "read", "socketTimeout": "read"}


# (round 20, spinnaker-orca) A pipeline task the orchestrator re-runs until it is done (Spinnaker Orca's
# `RetryableTask`, `OverridableTimeoutRetryableTask`, `CloudProviderAwareRetryableTask`): its `getTimeout()`
# is the bound on the stage task's calls and polls of the remote service, in ms.
_RETRYABLE_TASK = re.compile(r"RetryableTask$")


def _task_timeouts(kf: KotlinFile) -> None:
    """``class MonitorCanaryTask(..) : OverridableTimeoutRetryableTask { override fun getTimeout() =
    HOURS.toMillis(12) }``: the task's timeout at the override (ms). ``getBackoffPeriod()`` is the pause
    between runs (not read); a class that is no such task, or a ``getTimeout`` that is no override, is not
    read."""
    if b"RetryableTask" not in kf.data or b"getTimeout" not in kf.data:
        return
    for cls in ts.walk(kf.tree.root_node):
        if cls.type != "class_declaration":
            continue
        supers = next((c for c in cls.named_children if c.type == "delegation_specifiers"), None)
        names = [ts.text(n) for n in ts.walk(supers) if n.type in ("identifier", "type_identifier")] \
            if supers is not None else []
        body = next((c for c in cls.named_children if c.type == "class_body"), None)
        if body is None or not any(_RETRYABLE_TASK.search(n) for n in names):
            continue
        for fn in body.named_children:
            if fn.type != "function_declaration":
                continue
            ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
            modifiers = next((c for c in fn.named_children if c.type == "modifiers"), None)
            if ident is None or ts.text(ident) != "getTimeout" or modifiers is None \
                    or "override" not in ts.text(modifiers):
                continue
            fbody = next((c for c in fn.named_children if c.type == "function_body"), None)
            value = fbody.named_children[0] if fbody is not None and fbody.named_children else None
            if value is not None and value.type in ("statements", "block"):
                returned = next((n for n in ts.walk(value) if n.type in ("jump_expression", "return_expression")
                                 and ts.text(n).startswith("return ") and n.named_children), None)
                value = returned.named_children[0] if returned is not None else None
            if value is None:
                continue
            expr = expr_of(value)
            kf.sink.timeout(ts.location(ident), ID, "total", expr, 1.0, ts.text(value), kf.evidence(fn),
                            extra={"library": "orca", "mechanism": "task_timeout"})


# (round 20, su-se-bakover) Postgres' statement timeout set from the code for a session or a transaction:
# `prepareStatement("SET LOCAL statement_timeout = 30000;")`, `execute("SET statement_timeout TO '5s'")`. A bare
# number is milliseconds (Postgres' unit for it).
_STATEMENT_TIMEOUT = re.compile(r"(?i)\bset\s+(?:local\s+|session\s+)?statement_timeout\s*(?:=|\bto\b)\s*"
                                r"'?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?'?")
_PG_UNITS = {None: 1.0, "ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0}


def _statement_timeouts(kf: KotlinFile) -> None:
    """``SET [LOCAL] statement_timeout = <n>`` in a string the code sends to Postgres: a timeout on the
    statements of that transaction / session (``phase: total``), at the string's line. A placeholder value
    (``= $timeout``) or ``0`` (off) is not read."""
    if b"statement_timeout" not in kf.data:
        return
    for node in ts.walk(kf.tree.root_node):
        if node.type not in ("string_literal", "line_string_literal", "multi_line_string_literal"):
            continue
        m = _STATEMENT_TIMEOUT.search(ts.text(node))
        if m is None or float(m.group(1)) <= 0:
            continue
        ms = float(m.group(1)) * _PG_UNITS[(m.group(2) or "").lower() or None]
        kf.sink.timeout(ts.location(node), ID, "total", Num(ms), 1.0, m.group(0), kf.evidence(node),
                        extra={"library": "postgres", "setting": "statement_timeout"})


def _query_hints(kf: KotlinFile) -> None:
    from contract_discovery.values import Num
    from extractors.java.detectors.http_timeouts import QUERY_HINTS
    from extractors.kotlin.syntax import string_of
    for call in kf.calls:
        if call.name == "QueryHint":
            key_node, value = call.arg("name", 0), call.arg("value", 1)
        elif call.name == "setHint" and len(call.args) == 2:
            key_node, value = call.args
        else:
            continue
        key = string_of(key_node) if key_node is not None else None
        if key not in QUERY_HINTS or value is None:
            continue
        if ts.text(value).rsplit(".", 1)[-1] in _LOCK_MODES:
            continue  # `LockOptions.SKIP_LOCKED` / `NO_WAIT`: how to lock, not how long to wait
        text = string_of(value) if value.type == "string_literal" else None
        try:
            expr = Num(float(text)) if text is not None else expr_of(value)
        except ValueError:
            continue
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "total", expr, QUERY_HINTS[key], ts.text(value),
                        kf.evidence(call.name_node), extra={"library": "jpa", "hint": key}, zero_disables=False)


# `pingTimeoutMs`, `requestTimeoutMillis`, `replyTimeout`: a name for a timeout, and the unit its number is in.
_TIMEOUT_NAME = re.compile(r"(?:^t|T)imeout(Ms|Millis|Millisecond|Milliseconds)?$")


def _defaulted_timeouts(kf: KotlinFile) -> None:
    """``val pingTimeoutMs = ping?.timeout ?: 3000``: a timeout read from an optional request or
    settings object, with a literal default when it is absent (the default is the contract unless the
    caller sends one). A bare number counts only under a name that says ms; a Duration always."""
    for prop in kf.properties:
        decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
        ident = next((c for c in decl.named_children if c.type == "identifier"), None) if decl is not None else None
        init = prop.named_children[-1] if prop.named_children else None
        if ident is None or init is None or init.type != "binary_expression" or len(init.named_children) != 2:
            continue
        m = _TIMEOUT_NAME.search(ts.text(ident))
        left, right = init.named_children
        if m is None or "?:" not in ts.text(init)[left.end_byte - init.start_byte:right.start_byte - init.start_byte] \
                or "?." not in ts.text(left):
            continue
        if ts.text(ident).lower().startswith("poll"):
            continue  # round 13 (dwp kafka-to-hbase): `val pollTimeout = ..?: Duration.ofSeconds(3)`: a queue's long-poll wait
        duration = duration_of(right)
        if duration is not None:
            expr, scale = duration
        elif right.type in ("number_literal", "integer_literal", "long_literal") and m.group(1):
            expr, scale = expr_of(right), 1.0
        else:
            continue
        kf.sink.timeout(ts.location(right), ID, "total", expr, scale, ts.text(right), kf.evidence(prop),
                        extra={"default_of": ts.text(left)}, zero_disables=False)


# Setters that take milliseconds by name (ExoPlayer/Media3 `DefaultHttpDataSource.Factory`, Cronet and
# HttpEngine data sources).
_MS_SETTERS = {"setConnectTimeoutMs": "connect", "setConnectionTimeoutMs": "connect", "setReadTimeoutMs": "read"}

# A named argument that sets a timeout, and its phase.
_NAMED_TIMEOUT = re.compile(r"^(?:(connect|connection)|(read|socket|so|response)|(request|call|total)?)"
                            r"Timeouts?(Ms|Millis)?$", re.IGNORECASE)
# The constructor of something that talks to another process: `HttpKlientConfig(timeout = ..)`,
# `JavaHttpTransport(connectTimeout = ..)`, `WebSocketRequest(message, timeout = ..)`.
_NETWORK_TYPE = re.compile(r"Http|Client|Klient|Transport|Request|Connection|Socket|Rpc|Grpc|Api[A-Z]?|Stub|"
                           r"Endpoint|Gateway")


def _named_timeout_arguments(kf: KotlinFile) -> None:
    """``HttpKlientConfig(timeout = timeout)``, ``JavaHttpTransport(connectTimeout = 5.seconds)``,
    ``WebSocketRequest(msg, timeout = matterTimeout)``: a timeout handed by name to the constructor
    of a client, transport or request. The value must be a Duration (or a number under a name in ms),
    directly or through a local val, a file constant, or a parameter's default; a parameter of a
    function of the file is counted at that function's calls in the file, with what each passes."""
    for call in kf.calls:
        if not call.name[:1].isupper() or not _NETWORK_TYPE.search(call.name):
            continue
        if any(a.type == "class_declaration" and any(c.type in ("type_identifier", "identifier")
                                                     and ts.text(c) == call.name for c in a.named_children[:3])
               for a in ts.ancestors(call.node)):
            continue  # round 14 (ort-server): `HttpClientConfig.create(config)` in the class's own companion builds
            # the settings from configuration; the client that applies them reports the timeouts
        for name, arg in call.named_args.items():
            m = _NAMED_TIMEOUT.match(name)
            if m is None or name.lower() == "timeouts":
                continue
            phase = "connect" if m.group(1) else "read" if m.group(2) else "total"
            for site, value in _bindings(kf, arg, ms_named=bool(m.group(4))):
                kf.sink.timeout(ts.location(site), ID, phase, value[0], value[1], value[2], kf.evidence(site),
                                extra={"argument": name}, zero_disables=False)


# A member call that opens or uses a connection to another process (`peer.connect(connectTimeout = ..)`,
# `electrumClient.connect(address, socket, timeout = ..)`, `channel.request(msg, timeout = ..)`).
_NETWORK_VERB = re.compile(r"^(connect\w*|open\w*Connection|handshake|request|send\w*|call|execute|fetch\w*|"
                           r"publish|subscribe|login|authenticate|query)$")
_NAMED_DEADLINE = re.compile(r"^(?:(connect|connection|handshake)|(read|socket|response)|(request|call|total))?"
                             r"[tT]imeout(Ms|Millis)?$")


def _member_timeout_arguments(kf: KotlinFile) -> None:
    """``peer.connect(connectTimeout = connectTimeout, handshakeTimeout = handshakeTimeout)``: a timeout handed
    by name to a member call that connects to or calls another process (a library's client: lightning-kmp's
    Peer, an Electrum client, a message channel). Reported with its value when it is known here (a Duration, a
    number under a name in ms, through a local val, a constant or a parameter's default), else unresolved
    (a value picked at run time). Not: the caller's own parameter without a default (a forwarder: its
    callers hold the value), constructors (``_named_timeout_arguments``), calls without a receiver."""
    for call in kf.calls:
        if call.receiver is not None and not _NETWORK_VERB.match(call.name) and call.name not in TIMEOUT_SETTERS:
            _operation_timeout_arguments(kf, call)
            continue
        if call.receiver is None or not _NETWORK_VERB.match(call.name) or call.name in TIMEOUT_SETTERS:
            continue  # (`.connectTimeout(timeout = t, unit = MILLISECONDS)`: the setter itself, read in `detect`)
        for name, arg in call.named_args.items():
            m = _NAMED_DEADLINE.match(name)
            if m is None:
                continue
            phase = "connect" if m.group(1) or call.name.startswith("connect") and not m.group(2) \
                else "read" if m.group(2) else "total"
            if arg.type == "identifier" and _function_parameter(arg)[0] is not None \
                    and parameter_default(arg, ts.text(arg)) is None and local_value(arg, ts.text(arg)) is None:
                continue  # the caller's own parameter: a forwarder
            found = _bindings(kf, arg, ms_named=bool(m.group(4)))
            if found:
                for site, value in found:
                    kf.sink.timeout(ts.location(site), ID, phase, value[0], value[1], value[2], kf.evidence(site),
                                    extra={"argument": name}, zero_disables=False)
            elif arg.type == "identifier" or arg.type == "navigation_expression":
                kf.sink.timeout(ts.location(arg), ID, phase, expr_of(arg), 1.0, ts.text(arg), kf.evidence(arg),
                                extra={"argument": name}, zero_disables=False)


# Round 17 (phoenixd: `peer.payOffer(amount, offer, fetchInvoiceTimeout = 30.seconds)`): a member call of any
# name handed a timeout by a named argument `<what>Timeout`: the bound on that operation of the library's
# client. Not the names of local waits, caches, sessions, UI or shutdown (`WhileSubscribed(stopTimeout = ..)`).
_OPERATION_TIMEOUT = re.compile(r"^([a-z][A-Za-z0-9]*)Timeout(Ms|Millis)?$")
_LOCAL_TIMEOUT_WORDS = re.compile(r"^(stop|idle|keepAlive|keepalive|session|cache|screen|inactivity|animation|debounce|"
                                  r"expire|expiry|ttl|linger|shutdown|close|grace|ui|display|toast|snackbar|dismiss|"
                                  r"poll|lock|lease|visibility|heartbeat|ping|sleep|delay|token|cookie|auth|login|"
                                  r"dialog|input|user|touch|scroll|click|render|layout|test|retry)", re.IGNORECASE)


def _operation_timeout_arguments(kf: KotlinFile, call: KCall) -> None:
    """``peer.payOffer(.., fetchInvoiceTimeout = 30.seconds)``: reported only when the value is a Duration (or a
    number under a ...Ms name) known here, at the argument."""
    if ts.text(call.receiver).rsplit(".", 1)[-1] in ("SharingStarted", "Modifier") or call.name[:1].isupper():
        return  # (constructors: `_named_timeout_arguments`)
    for name, arg in call.named_args.items():
        m = _OPERATION_TIMEOUT.match(name)
        if m is None or _LOCAL_TIMEOUT_WORDS.match(m.group(1)):
            continue
        known = _NAMED_DEADLINE.match(name)
        phase = "total" if known is None else "connect" if known.group(1) else "read" if known.group(2) else "total"
        for site, value in _bindings(kf, arg, ms_named=bool(m.group(2))):
            # (a value written at the call: at the called name's line, the line labels give a multi-line call)
            loc = name_location(call.node, call.name_node) if site == arg else ts.location(site)
            kf.sink.timeout(loc, ID, phase, value[0], value[1], value[2], kf.evidence(site),
                            extra={"argument": name}, zero_disables=False)


def _bindings(kf: KotlinFile, arg: ts.Node, ms_named: bool, depth: int = 0):
    """(where to report, (expr, scale, text)) for a timeout argument: the argument itself when its
    value is known here, else each same-file call of the enclosing function that passes it."""
    init = _binding(kf, arg)
    if init is not None:
        # a parameter's default keeps the parameter's name as its expression: the helper publishes it for
        # its callers (rule (b) at a call leaving it out: `ArenaHttpClient(connectTimeout: Duration = 60.seconds)`)
        text = ts.text(arg) if _defaulted_parameter(arg) else ts.text(init)
        duration = duration_of(init)
        if duration is not None:
            return [(arg, (duration[0], duration[1], text))]
        if ms_named and init.type in ("number_literal", "integer_literal", "long_literal"):
            return [(arg, (expr_of(init), 1.0, text))]
        return []
    if arg.type != "identifier" or depth > 1:
        return []
    fn, index = _function_parameter(arg)
    if fn is None:
        return []
    name_node = next((c for c in fn.named_children if c.type == "identifier"), None)
    if name_node is None:
        return []
    found = []
    for call in kf.calls:
        if call.name != ts.text(name_node) or call.receiver is not None:
            continue
        passed = call.named_args.get(ts.text(arg))
        if passed is None and index < len(call.args) and not call.named_args:
            passed = call.args[index]
        if passed is None:
            continue
        for _, value in _bindings(kf, passed, ms_named, depth + 1):
            found.append((passed, value))
    return found


def _defaulted_parameter(node: ts.Node) -> bool:
    """``node`` names a parameter (with a default) of the function or class constructor around it, not a local."""
    if node.type != "identifier" or local_value(node, ts.text(node)) is not None:
        return False
    return _function_parameter(node)[0] is not None or any(
        p.type == "class_declaration" and ts.text(node) in _constructor_parameters(p) for p in ts.ancestors(node))


def _function_parameter(ident: ts.Node) -> tuple[ts.Node | None, int]:
    """The function whose parameter (without a default) ``ident`` names, and its position."""
    fn = next((a for a in ts.ancestors(ident) if a.type in ("function_declaration", "class_declaration")), None)
    if fn is None or fn.type != "function_declaration":
        return None, -1
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    position = 0
    for param in (params.named_children if params is not None else ()):
        if param.type != "parameter":
            continue
        ident_node = next((c for c in param.named_children if c.type == "identifier"), None)
        if ident_node is not None and ts.text(ident_node) == ts.text(ident):
            return fn, position
        position += 1
    return None, -1


def _binding(kf: KotlinFile, node: ts.Node) -> ts.Node | None:
    """What a timeout argument stands for: itself unless it is a name; a name's local ``val``, the
    default of the parameter of the function or class constructor around it, or a file-level
    ``val``; None when it is none of those (or a parameter without a default)."""
    if node.type != "identifier":
        return node
    name = ts.text(node)
    local = local_value(node, name)
    if local is not None:
        return local
    if _function_parameter(node)[0] is not None or any(
            p.type == "class_declaration" and name in _constructor_parameters(p) for p in ts.ancestors(node)):
        return parameter_default(node, name)
    for prop in kf.properties:
        if any(a.type in ("function_declaration", "lambda_literal", "class_declaration") for a in ts.ancestors(prop)):
            continue
        decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
        ident = next((c for c in decl.named_children if c.type == "identifier"), None) if decl is not None else None
        if ident is not None and ts.text(ident) == name and any(c.type == "val" for c in prop.children):
            value = prop.named_children[-1]
            return value if value != decl else None
    return None


def binding_expr(kf: KotlinFile, node: ts.Node):
    """A setter's ms argument as an Expr, read through a local ``val`` (``val timeout =
    DATA_SOURCE_TIMEOUT.inWholeMilliseconds.toInt()``)."""
    if node.type == "identifier":
        local = local_value(node, ts.text(node))
        if local is not None:
            return expr_of(local)
    return expr_of(node)


def _file_function(kf: KotlinFile, name: str) -> ts.Node | None:
    """The body of the function ``name`` declared in this file (the first one), or None."""
    for node in ts.walk(kf.tree.root_node):
        if node.type == "function_declaration" and any(c.type == "identifier" and ts.text(c) == name
                                                       for c in node.named_children[:3]):
            return next((c for c in node.named_children if c.type == "function_body"), None)
    return None


_PEER_TYPE = re.compile(r"(WebSocket|Socket|Connection|Session)$")


def _awaits_reply(kf: KotlinFile, call: KCall) -> bool:
    """``send(command); withTimeoutOrNull(t) { command.response.await() }`` or an ``authDone.await()``
    in a function handed a ``webSocket: WebSocket``: waiting for the answer of the other side."""
    if not any(kf.within(inner.node, call.lambda_) and inner.name in ("await", "receive") and not inner.args
               and inner.receiver is not None for inner in kf.calls):
        return False
    fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
    if fn is None:
        return False
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    for param in (params.named_children if params is not None else ()):
        typ = next((c for c in param.named_children if c.type in ("user_type", "nullable_type")), None)
        if typ is not None and _PEER_TYPE.search(ts.text(typ).rstrip("?")):
            return True
    return any(kf.within(inner.node, fn) and inner.node.end_byte <= call.node.start_byte
               and (re.match(r"send[A-Z]|send$", inner.name) or outbound_of(inner) is not None)
               and not (inner.receiver is not None and _IN_APP.search(ts.text(inner.receiver)))
               for inner in kf.calls)


# Sends that stay in the app: to a WebView's script (`messaging.sendSubscriptionEvent(..)`), a JS bridge.
_IN_APP = re.compile(r"messaging|webview|javascript|jsbridge|bridge", re.IGNORECASE)


def _scheduled_job(call: KCall) -> bool:
    """``@Scheduled(fixedDelay = ..) fun checkResources() { .. withTimeout(cfg.timeout) { launch { check(it) } } }``:
    a deadline inside a scheduled job (Spring / Micronaut / Quarkus ``@Scheduled``) bounds a run of the job,
    whatever the block calls."""
    fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
    return fn is not None and any(annotation_parts(a)[0] == "Scheduled" for a in function_annotations(fn))


def _wraps_block(kf: KotlinFile, call: KCall) -> bool:
    """``fun launchAsync(block: suspend CoroutineScope.() -> Unit) { withTimeout(30.seconds) { block() } }``:
    a deadline around whatever work the caller hands in (a job or handler runner)."""
    statements = [c for c in call.lambda_.named_children if c.type not in ("lambda_parameters",)]
    if len(statements) != 1 or statements[0].type != "call_expression":
        return False
    inner = KCall.of(statements[0])
    if inner is None or inner.receiver is not None or inner.args:
        return False
    fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None) if fn else None
    for param in (params.named_children if params is not None else ()):
        ident = next((c for c in param.named_children if c.type == "identifier"), None)
        if ident is not None and ts.text(ident) == inner.name and "->" in ts.text(param):
            return True
    return False


def _constructor_parameters(cls: ts.Node) -> set[str]:
    ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
    params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
    return {ts.text(i) for p in (params.named_children if params is not None else ())
            for i in p.named_children[:2] if i.type == "identifier"}


def _mqtt_disconnects(kf: KotlinFile) -> None:
    """Paho ``client.disconnectForcibly(quiesceMs, disconnectMs[, send])``: how long to wait for the
    broker to take the disconnect (reported at that argument). The quiesce period lets work in flight
    finish, a drain like a graceful stop, and is not a call limit; so is ``disconnect(quiesceMs)``."""
    for call in kf.calls:
        if call.name != "disconnectForcibly" or call.receiver is None or len(call.args) not in (2, 3):
            continue
        arg = call.args[1]
        kf.sink.timeout(ts.location(arg), ID, "total", expr_of(arg), 1.0, ts.text(arg), kf.evidence(arg),
                        extra={"library": "paho-mqtt", "operation": "disconnect"}, zero_disables=False)


def _netty_options(kf: KotlinFile) -> None:
    """reactor-netty / Netty from Kotlin: ``.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ms)``
    (connect, ms), ``ReadTimeoutHandler(seconds)`` (read; a TimeUnit as second argument), and a
    connection pool's ``pendingAcquireTimeout(Duration)`` (how long a request waits for a pooled
    connection, like Hikari's connectionTimeout). Another channel option (SO_KEEPALIVE) is not a
    timeout; a WriteTimeoutHandler bounds writes, out of scope like the other write timeouts."""
    for call in kf.calls:
        if call.name == "option" and len(call.args) == 2 and ts.text(call.args[0]).endswith("CONNECT_TIMEOUT_MILLIS"):
            arg = call.args[1]
            kf.sink.timeout(name_location(call.node, call.name_node), ID, "connect", expr_of(arg), 1.0, ts.text(arg),
                            kf.evidence(call.name_node), extra={"library": "netty"})
        elif call.name == "ReadTimeoutHandler" and call.receiver is None and call.args:
            unit = unit_of(call.args[1]) if len(call.args) > 1 else None
            arg = call.args[0]
            # (Netty reads a timeout <= 0 as none: `ReadTimeoutHandler(0)` disables it, round 12)
            kf.sink.timeout(name_location(call.node, call.name_node), ID, "read", expr_of(arg), unit or 1000.0,
                            ts.text(arg), kf.evidence(call.name_node), extra={"library": "netty"})
            through = _through_parameters(kf, call.node, expr_of(arg))
            if through is not None:
                # round 18: `ReadTimeoutHandler(readTimeoutSeconds)` in a same-file helper: what each call passes
                _report_passed(kf, through[1], "read", unit or 1000.0, "ReadTimeoutHandler", True, {"library": "netty"})
        elif call.name == "pendingAcquireTimeout" and len(call.args) == 1 and call.lambda_ is None:
            value = timeout_value(call.args)
            if value is None or not _pool_builder(call):
                continue  # only on a ConnectionProvider's builder: anything else is not reactor-netty's pool
            kf.sink.timeout(name_location(call.node, call.name_node), ID, "connect", value[0], value[1], value[2],
                            kf.evidence(call.name_node), extra={"library": "reactor-netty", "scope": "pool"},
                            zero_disables=False)


_CLOCK_NOW = {"System.currentTimeMillis()": 1.0, "System.nanoTime()": 1e-6, "clock.millis()": 1.0}
_EXITS = ("break", "return", "throw")


_COMMONS_NET = {"connectTimeout": "connect", "defaultTimeout": "read", "dataTimeout": "read"}


def _elapsed_time_deadlines(kf: KotlinFile) -> None:
    """A polling loop with a deadline of its own (``val start = System.currentTimeMillis(); fun hasTimedOut() =
    System.currentTimeMillis() - start > provisioningTimeout; while (true) { poll remote status; if (done ||
    hasTimedOut()) break; sleep }``): the limit, at the comparison, when the comparison (or the local function that
    holds it) ends a loop that does remote work. Not: an elapsed time that only throttles a log line inside the loop."""
    if b"currentTimeMillis()" not in kf.data and b"nanoTime()" not in kf.data:
        return
    for node in ts.walk(kf.tree.root_node):
        if node.type != "binary_expression" or len(node.children) != 3 \
                or ts.text(node.children[1]) not in (">", ">=", "<", "<="):
            continue
        if ts.text(node.children[1]) in ("<", "<=") and not _in_loop_condition(kf, node):
            continue  # `while (now - start < limit) { .. }` runs while under the limit: only as a loop condition
        elapsed, limit = node.children[0], node.children[2]
        if ts.text(node.children[1]) in ("<", "<=") and elapsed.type != "binary_expression" \
                and limit.type in ("identifier", "simple_identifier"):
            # round 16 (newm-server): `val deadline = System.currentTimeMillis() + maxWaitTimeMs;
            # while (System.currentTimeMillis() < deadline) { poll remote status; if (done) return .. }`
            scale = _CLOCK_NOW.get(ts.text(elapsed).replace(" ", ""))
            start = local_value(node, ts.text(limit)) if scale is not None else None
            if start is None or start.type != "binary_expression" or len(start.children) != 3 \
                    or ts.text(start.children[1]) != "+" \
                    or _CLOCK_NOW.get(ts.text(start.children[0]).replace(" ", "")) != scale:
                continue
            if not _ends_remote_loop(kf, node) and not _loop_polls_remote(kf, node):
                continue
            wait = start.children[2]
            expr = with_parameter_defaults(kf, wait, expr_of(wait))
            # round 17: at the loop's check (`while (now < deadline)`), the line every language reports a deadline
            # loop at (round 16 reported it at the `val deadline =` line)
            at = node
            kf.sink.timeout(ts.location(at), ID, "total", expr, scale, ts.text(wait), kf.evidence(at),
                            extra={"library": None, "mechanism": "deadline_loop"})
            continue
        if elapsed.type != "binary_expression" or len(elapsed.children) != 3 or ts.text(elapsed.children[1]) != "-":
            continue
        scale = _CLOCK_NOW.get(ts.text(elapsed.children[0]).replace(" ", ""))
        if scale is None:
            continue
        fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None)
        if fn is None:
            continue
        uses = [node]
        outer = next((a for a in ts.ancestors(fn) if a.type == "function_declaration"), None)
        if outer is not None:
            # a local `fun hasTimedOut() = now - start > limit`: where the outer function calls it
            name = ts.text(next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), fn))
            uses = [c.node for c in kf.calls if c.name == name and c.receiver is None and kf.within(c.node, outer)
                    and not kf.within(c.node, fn)]
        if not any(_ends_remote_loop(kf, use) for use in uses):
            continue
        expr = with_parameter_defaults(kf, limit, expr_of(limit))
        kf.sink.timeout(ts.location(node), ID, "total", expr, scale, ts.text(limit), kf.evidence(node),
                        extra={"library": None, "mechanism": "deadline_loop"})


def _loop_polls_remote(kf: KotlinFile, cond: ts.Node) -> bool:
    """The while loop whose condition ``cond`` is: does its body do remote work?"""
    loop = next((a for a in ts.ancestors(cond) if a.type == "while_statement"), None)
    body = next((c for c in loop.named_children if c.type in ("control_structure_body", "block")), None) \
        if loop is not None else None
    return body is not None and _remote_work(kf, body)


_POLLING_HELPER = re.compile(r"^(waitUntil|waitFor\w*|awaitUntil|awaitCondition|pollUntil|retryUntil|eventually)$")
_POLLING_LIMIT = re.compile(r"^(timeout|maxWait|maxWaitTime|waitTimeout|deadline)$")


def _polling_helper_timeouts(kf: KotlinFile) -> None:
    """A project's own polling helper (``suspend fun waitUntil(timeout: Duration, checkInterval: Duration =
    300.milliseconds, condition: suspend () -> Boolean)``, which re-checks a condition until the time is up): its
    ``timeout`` parameter bounds the wait. Reported at the parameter, so the helper publishes it for its callers (a
    parameter without a default is only a forwarder: each call passing a value is the contract; a default is the
    helper's own, rule (a)). Only a function named for waiting whose body waits (``delay`` / ``sleep``)."""
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if ident is None or params is None or body is None or not _POLLING_HELPER.match(ts.text(ident)) \
                or not re.search(r"\b(delay|sleep|Thread\.sleep)\(", ts.text(body)):
            continue
        for param in params.named_children:
            pid = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
            kind = next((c for c in param.named_children if c.type == "user_type"), None)
            if param.type != "parameter" or pid is None or kind is None or not _POLLING_LIMIT.match(ts.text(pid)) \
                    or ts.text(kind).rsplit(".", 1)[-1] != "Duration":
                continue
            name = ts.text(pid)
            default = parameter_default(pid, name)
            expr = expr_of(default) if default is not None else Ref(name)
            kf.sink.timeout(ts.location(pid), ID, "total", expr, 1.0, name if default is None else ts.text(default),
                            kf.evidence(param), extra={"library": None, "mechanism": "polling_helper"})


def _in_loop_condition(kf: KotlinFile, node: ts.Node) -> bool:
    for parent in ts.ancestors(node):
        if parent.type in ("while_statement", "do_while_statement"):
            body = next((c for c in parent.named_children if c.type in ("block", "control_structure_body")), None)
            return body is None or not kf.within(node, body)
        if parent.type in ("function_declaration", "lambda_literal", "if_expression", "block"):
            return False
    return False


def _ends_remote_loop(kf: KotlinFile, use: ts.Node) -> bool:
    """``use`` is in the condition of a loop, or of an ``if`` that breaks / returns / throws inside a loop, and that
    loop does remote work."""
    child = use
    exits = False
    for parent in ts.ancestors(use):
        if parent.type in ("while_statement", "do_while_statement"):
            body = next((c for c in parent.named_children if c.type in ("block", "control_structure_body")), None)
            in_condition = body is None or not kf.within(use, body)
            return (exits or in_condition) and _remote_work(kf, parent)
        if parent.type == "for_statement":
            return exits and _remote_work(kf, parent)
        if parent.type == "if_expression" and not exits:
            named = parent.named_children
            if named and kf.within(use, named[0]) and any(ts.text(n).split("@")[0] in _EXITS or n.type == "jump_expression"
                                                          for part in named[1:] for n in ts.walk(part)):
                exits = True
        if parent.type in ("function_declaration", "lambda_literal", "class_body"):
            return False
        child = parent
    return False


def _uri_query_timeouts(kf: KotlinFile) -> None:
    """A timeout option in a connection URI's query (``"mongodb://$user:$pass@$host/?serverSelectionTimeoutMS=2000&
    connectTimeoutMS=2000"``, ``"jdbc:mysql://db/orders?connectTimeout=3000"``): the number after ``=``, with the
    phase and unit Java's endpoint_options reads (PostgreSQL's JDBC options are seconds). Only a URI (``://``);
    a placeholder or template value is left to configuration."""
    from extractors.java.detectors.endpoint_options import _POSTGRES_SECONDS, _QUERY_OPTION, _option_phase
    if b"://" not in kf.data:
        return
    for node in kf.strings:
        text = ts.text(node)
        if "://" not in text or "=" not in text or not re.search(r"timeout", text, re.IGNORECASE):
            continue
        seconds = "jdbc:postgresql" in text.lower()
        for m in _QUERY_OPTION.finditer(text):
            phase = _option_phase(m.group("name"))
            raw = m.group("value").strip()
            if phase is None or not re.fullmatch(r"\d+", raw):
                continue
            scale = 1000.0 if seconds and m.group("name").lower() in _POSTGRES_SECONDS else 1.0
            kf.sink.timeout(ts.location(node), ID, phase, Num(float(raw)), scale, raw, kf.evidence(node),
                            extra={"library": "uri", "option": m.group("name")}, zero_disables=False)


def _pool_builder(call: KCall) -> bool:
    """``ConnectionProvider.builder("p").pendingAcquireTimeout(..)``, or the call inside
    ``ConnectionProvider.builder("p").run { pendingAcquireTimeout(..) }``."""
    for node in (call.node, *ts.ancestors(call.node)):
        if node.type == "call_expression" and "ConnectionProvider" in ts.text(node)[:300]:
            return True
        if node.type in ("function_declaration", "class_body", "property_declaration"):
            return False
    return False


# JDBC driver properties that bound a database call: PostgreSQL's are in seconds, MySQL's in ms.
_DRIVER_TIMEOUTS = {"socketTimeout": "read", "connectTimeout": "connect", "loginTimeout": "connect"}


# Round 17 (round-16 request, aap-arenaoppslag): driver properties whose key names the driver, so the unit is known
# whatever else the file names: Oracle's `oracle.jdbc.ReadTimeout` / `oracle.net.CONNECT_TIMEOUT` / `oracle.net.READ_TIMEOUT`
# (ms; matched ignoring case).
_QUALIFIED_DRIVER_TIMEOUTS = {"oracle.jdbc.readtimeout": "read", "oracle.net.connect_timeout": "connect",
                              "oracle.net.read_timeout": "read"}


def _qualified_driver_properties(kf: KotlinFile) -> None:
    """``addDataSourceProperty("oracle.jdbc.ReadTimeout", 5.minutes.inWholeMilliseconds.toString())`` (ms)."""
    if b"oracle." not in kf.data:
        return
    from extractors.kotlin.syntax import string_of
    for call in kf.calls:
        if call.name not in ("addDataSourceProperty", "setProperty", "put") or len(call.args) != 2:
            continue
        key = string_of(call.args[0]) or ""
        phase = _QUALIFIED_DRIVER_TIMEOUTS.get(key.lower())
        if phase is None:
            continue
        arg = call.args[1]
        inner = arg
        if arg.type == "call_expression":
            c = KCall.of(arg)
            if c is not None and c.name == "toString" and not c.args and c.receiver is not None:
                inner = c.receiver  # `5.minutes.inWholeMilliseconds.toString()`: the driver takes text
        number = inner.type == "string_literal" and (string_of(inner) or "").strip().isdigit()
        expr = Num(float(string_of(inner))) if number else expr_of(inner)
        kf.sink.timeout(name_location(call.node, call.name_node), ID, phase, expr, 1.0, ts.text(arg),
                        kf.evidence(call.name_node), extra={"library": "oracle-jdbc", "property": key})


def _driver_properties(kf: KotlinFile) -> None:
    """``HikariDataSource().apply { addDataSourceProperty("socketTimeout", 30) }``: a JDBC driver's
    timeout handed through the pool. The unit follows the driver the file names: PostgreSQL (pgjdbc)
    counts seconds, MySQL/MariaDB Connector/J milliseconds; a file naming neither is left out (the
    number alone does not say which)."""
    from extractors.kotlin.syntax import string_of
    _qualified_driver_properties(kf)
    lowered = kf.data.lower()
    postgres, mysql = b"postgres" in lowered, b"mysql" in lowered or b"mariadb" in lowered
    if postgres == mysql:
        return
    for call in kf.calls:
        if call.name not in ("addDataSourceProperty", "setProperty", "put") or len(call.args) != 2:
            continue
        key = string_of(call.args[0])
        if key not in _DRIVER_TIMEOUTS:
            continue
        if call.name != "addDataSourceProperty" and "datasource" not in ts.text(call.receiver or call.node).lower():
            continue  # `props.put("connectTimeout", ..)` on anything but a data source's properties
        arg = call.args[1]
        number = arg.type == "string_literal" and (string_of(arg) or "").strip().isdigit()
        expr = Num(float(string_of(arg))) if number else expr_of(arg)
        kf.sink.timeout(name_location(call.node, call.name_node), ID, _DRIVER_TIMEOUTS[key], expr,
                        1000.0 if postgres else 1.0, ts.text(arg), kf.evidence(call.name_node),
                        extra={"library": "pgjdbc" if postgres else "mysql-connector-j", "property": key})


# a value named for a timeout, its unit in its name (`syncTimeoutSeconds`, `requestTimeoutMs`)
_TIMEOUT_VALUE_NAME = re.compile(r"^(?:[a-z]\w*)?[tT]imeout(Seconds|Secs|Sec|S|Millis|Ms|MS|Minutes|Mins)$")
_NAME_UNIT = {"Seconds": 1000.0, "Secs": 1000.0, "Sec": 1000.0, "S": 1000.0, "Millis": 1.0, "Ms": 1.0, "MS": 1.0,
              "Minutes": 60000.0, "Mins": 60000.0}
# receivers that talk to another process: a Kafka producer, a client, a template, a stub, a channel
_PEER_RECEIVER = re.compile(r"(producer|client|template|stub|channel|session|connection|api|gateway)$", re.IGNORECASE)


def _positional_timeout_arguments(kf: KotlinFile) -> None:
    """Round 14 (tms-varsel-authority, a round-13 leftover): ``recordProducer.batched(syncTimeoutSeconds) { .. }``
    with ``private val syncTimeoutSeconds: Long = 15`` in the class: a value named for a timeout, its unit in its
    name, handed by position to a call on a producer / client / stub (a library's send that waits that long).
    Reported with the value the name holds here (its default, a local ``val``); a parameter of the enclosing
    function without a default is a forwarder (its callers hold the value) and is left out."""
    for call in kf.calls:
        if call.receiver is None or call.name in TIMEOUT_SETTERS \
                or not _PEER_RECEIVER.search(ts.text(call.receiver).rsplit(".", 1)[-1]):
            continue
        for arg in call.args:
            if arg.type != "identifier":
                continue
            m = _TIMEOUT_VALUE_NAME.match(ts.text(arg))
            if m is None:
                continue
            name = ts.text(arg)
            held = local_value(arg, name) or parameter_default(arg, name)
            if held is None:
                continue
            kf.sink.timeout(ts.location(arg), ID, "total", expr_of(held), _NAME_UNIT[m.group(1)], ts.text(held),
                            kf.evidence(call.node), extra={"argument": name}, zero_disables=False)


def _kafka_timeouts(kf: KotlinFile) -> None:
    """A Kafka client's request/delivery/max-block timeouts in its config map or properties
    (``mapOf(REQUEST_TIMEOUT_MS_CONFIG to 10_000)``, ``props["delivery.timeout.ms"] = 30000``), in ms."""
    from extractors.java.detectors.http_timeouts import _KAFKA_TIMEOUTS
    from extractors.kotlin.syntax import kafka_entries, string_of
    for key, anchor, value in kafka_entries(kf):
        phase = _KAFKA_TIMEOUTS.get(key)
        if phase is None:
            continue
        text = string_of(value) if value.type == "string_literal" else None
        expr = Num(float(text)) if text is not None and text.strip().isdigit() else expr_of(value)
        kf.sink.timeout(ts.location(anchor), ID, phase, expr, 1.0, ts.text(value), kf.evidence(anchor),
                        extra={"library": "kafka", "setting": key}, zero_disables=False)


# The UK Ministry of Justice's hmpps-kotlin starter (`uk.gov.justice.hmpps.kotlin.auth`): WebClient
# builders that set the client's response timeout from a parameter (name, position).
_HMPPS_CLIENTS = {"healthWebClient": ("healthTimeout", 1), "authorisedWebClient": ("timeout", 3),
                  # the WebFlux (reactive) builders of the same library take the same arguments
                  "reactiveHealthWebClient": ("healthTimeout", 1), "reactiveAuthorisedWebClient": ("timeout", 3),
                  # the OAuth2 client-credentials token client (`builder.reactiveOAuth2AuthorizedClientProvider(t)`)
                  "reactiveOAuth2AuthorizedClientProvider": ("timeout", 0),
                  "oAuth2AuthorizedClientProvider": ("timeout", 0),
                  # round 17 (hmpps-activities-management-api): `builder.unauthenticatedWebClient(url, timeout)`
                  "unauthenticatedWebClient": ("timeout", 1), "reactiveUnauthenticatedWebClient": ("timeout", 1)}
# the token-client builders are also imported and called as plain functions (`oAuth2AuthorizedClientProvider(t)`)
_HMPPS_FREE_FUNCTIONS = frozenset({"oAuth2AuthorizedClientProvider", "reactiveOAuth2AuthorizedClientProvider"})


def _hmpps_web_clients(kf: KotlinFile) -> None:
    """``builder.authorisedWebClient(manager, registrationId = "x", url = api, timeout)`` /
    ``builder.healthWebClient(url, healthTimeout)``: the starter's WebClient builders set the response
    timeout they are handed (a Duration). Without the argument the library default applies (not read)."""
    if not any(v.startswith("uk.gov.justice.hmpps.kotlin") for v in kf.imports.values()):
        return
    for call in kf.calls:
        spec = _HMPPS_CLIENTS.get(call.name)
        if spec is None or call.receiver is None and not (
                call.name in _HMPPS_FREE_FUNCTIONS
                and kf.imports.get(call.name, "").startswith("uk.gov.justice.hmpps.kotlin")):
            continue
        arg = call.named_args.get(spec[0]) or _nth_argument(call, spec[1])
        found = timeout_value([arg]) if arg is not None else None
        if found is None:
            continue
        expr, scale, text = found
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "read", expr, scale, text,
                        kf.evidence(call.name_node), extra={"library": "hmpps-kotlin"})


def _nth_argument(call: KCall, position: int) -> ts.Node | None:
    """The argument at ``position`` counting named ones before it (``f(m, id = "x", url = u, timeout)``:
    the fourth is ``timeout``), when it is written without a name."""
    value_args = next((c for c in call.node.named_children if c.type == "value_arguments"), None)
    if value_args is None and call.node.named_children and call.node.named_children[0].type == "call_expression":
        value_args = next((c for c in call.node.named_children[0].named_children if c.type == "value_arguments"), None)
    items = [c for c in (value_args.named_children if value_args is not None else ()) if c.type == "value_argument"]
    if position >= len(items):
        return None
    item = items[position]
    parts = item.named_children
    if not parts or len(parts) >= 2 and parts[0].type == "identifier" and "=" in ts.text(item)[
            parts[0].end_byte - item.start_byte:parts[1].start_byte - item.start_byte]:
        return None
    return parts[-1]


_CONNECTING = re.compile(r"^(loadUrl|connect|open|openConnection|request|fetch|call|send|login|signIn|authenticate)$")


def _posted_timeouts(kf: KotlinFile) -> None:
    """``webView.loadUrl(server); postDelayed(timeoutRunnable, INITIAL_CONNECTION_TIMEOUT)``: a callback
    named for a timeout, posted to fire after a delay while the function starts loading or connecting:
    the deadline on that load (the callback reports the failure; a later success removes it)."""
    if b"postDelayed" not in kf.data:
        return
    for call in kf.calls:
        if call.name != "postDelayed" or len(call.args) != 2 or call.args[0].type not in ("identifier",
                                                                                          "navigation_expression"):
            continue
        if not re.search(r"timeout", ts.text(call.args[0]).rsplit(".", 1)[-1], re.IGNORECASE):
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        if fn is None or not (_remote_work(kf, fn) or any(
                kf.within(c.node, fn) and _CONNECTING.match(c.name) for c in kf.calls)):
            continue
        kf.sink.timeout(name_location(call.node, call.name_node), ID, "total", binding_expr(kf, call.args[1]), 1.0,
                        ts.text(call.args[1]), kf.evidence(call.name_node), extra={"library": "android.os.Handler"})
