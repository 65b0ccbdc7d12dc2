"""Client timeouts set on Java HTTP clients.

What it does: reports the connect/read/total timeouts set through RestTemplateBuilder,
Simple/HttpComponentsClientHttpRequestFactory, RestClient, WebClient/Reactor Netty
(``.timeout(Duration)``, ``responseTimeout``, ``CONNECT_TIMEOUT_MILLIS``), OkHttp
(``connectTimeout(5, TimeUnit.SECONDS)``, ``callTimeout``), Apache ``RequestConfig``,
``java.net.http`` (``HttpClient.newBuilder().connectTimeout``, ``HttpRequest.newBuilder().timeout``),
Feign ``new Request.Options(...)``, Resilience4j ``TimeLimiterConfig.timeoutDuration`` and gRPC
``stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)`` and ``stub.withDeadline(Deadline.after(..))`` (also through a
``toDeadline(duration)`` helper) (phase deadline), in ms. Spring MVC async
handlers: ``new DeferredResult<>(30000L, ...)``, ``new SseEmitter(60000L)``, ``new WebAsyncTask<>(5000L,
callable)`` bound how long the server holds the request (phase total, library spring-mvc). Futures of
remote calls (``responseFuture.get(30, SECONDS)``; also a private method's future parameter when every call in the
file hands it a remote-sounding call, ``recordSendLog(sendAsync(req))``), ``executor.invokeAny(tasks, 5, SECONDS)`` /
``invokeAll`` (a job's wait on its tasks), ``socket.setSoTimeout`` and ``socket.connect(address, ms)``.
JPA query hints that bound a database call: ``@QueryHint(name = "javax.persistence.lock.timeout", value =
"10000")`` and ``query.setHint("jakarta.persistence.query.timeout", 5000)`` (ms; Hibernate's
``org.hibernate.timeout`` is in seconds), phase total, library jpa. Spring transaction timeouts, in seconds, that
bound the database work of a transaction: ``@Transactional(timeout = 30)`` (also ``timeoutString``), a
transaction manager's ``setDefaultTimeout(30)`` and ``transactionTemplate.setTimeout(30)`` (receiver typed or
named as a transaction manager/template); -1, the default, is not a limit; phase total, library spring-tx.

Google Cloud clients' ``RetrySettings.newBuilder().setTotalTimeout(..)`` (total) and ``setInitialRpcTimeout(..)``
(per_try); Jakarta Mail style properties (``props.put("mail.smtp.timeout", ms)``, a dotted key ending in
``.timeout``/``.connectiontimeout``); a send/invoke call handed a configured timeout as its last argument
(``mailService.send(.., config.getTimeout())``). Setters called on an object of a class the file declares (a
settings object filling its defaults) are not client settings. A blocking wait on a WebClient call (``..retrieve().bodyToMono(T.class).block(Duration.ofSeconds(5))``). Reactor's
``mono.timeout(duration, Mono.error(..))`` (a limit with a fallback publisher) when the first argument is
declared or built as a ``Duration``. Setters named for their phase and unit on any client (Armeria ``connectTimeoutMillis``/``responseTimeoutMillis``/
``requestTimeout``/``ctx.setRequestTimeout``, Jedis ``connectionTimeoutMillis``/``socketTimeoutMillis``, RabbitMQ
``setConnectionTimeout``, health-checked endpoint groups' ``selectionTimeoutMillis``; ``...Seconds`` in s;
write and idle timeouts are not read; a limit named for its unit alone, ``ZkConfiguration.builder().timeoutMs(..)``,
``setTimeoutSeconds(5)``, is phase total), Redisson's ``config.useSingleServer()...setTimeout(3000)`` (phase read),
the DataStax driver's ``config.withDuration(DefaultDriverOption.REQUEST_TIMEOUT, ...)``, RocketMQ: an admin call's literal last argument (``mqAdminExt.getAllTopicConfig(addr, 10000L)``), ``new
DefaultMQAdminExt(rpcHook, timeoutMillis)``, a producer's ``setSendMsgTimeout(ms)``. XXL-JOB executors'
``executor.setTimeout(3)`` (seconds, its calls to the admin), JDBC's
``statement.setQueryTimeout(30)`` / ``jdbcTemplate.setQueryTimeout(30)`` and ``connection.isValid(5)`` (seconds), Kafka client settings put
in a properties map (``REQUEST_TIMEOUT_MS_CONFIG``, ``DELIVERY_TIMEOUT_MS_CONFIG``, ``MAX_BLOCK_MS_CONFIG``,
``DEFAULT_API_TIMEOUT_MS_CONFIG``, or their ``"request.timeout.ms"`` names; not the session timeout), and waits on
a project's HTTP helper called with a timeout-named argument (``OkHttpUtils.post(url, headers, body, timeout,
timeout, timeout)``, ``HttpUtil.get(url, params.getConnectTimeout())``; one finding per call), synchronous remoting
calls given their wait as the last argument (``sendMsgSync(channel, msg, 3000)``,
``invokeSync(addr, request, TIMEOUT_MS)``; not a timeout parameter passed through by a wrapper), latch waits
after sending something in the same method (``latch.await(120, SECONDS)`` after ``sendMsg(..)``), Lettuce's
``RedisURI.builder().withTimeout(Duration)``, a future declared with a future type (``KafkaFuture<String> id = admin.describeCluster().clusterId();
id.get(1, SECONDS)``) when a client made it.

Round 16: a settings map filled under a constant key named for a timeout (``properties.put(HttpClientFactory
.HTTP_REQUEST_TIMEOUT, "10000")``, ``hiveConf.setInt(HiveConfigConstants.JAVAX_JDO_DATASTORETIMEOUT, ms)``; the receiver
named or declared as properties/config/settings; not session/idle/lock/poll keys), dotted keys with an underscore
(Elasticsearch ``Settings.builder().put("transport.tcp.connect_timeout", "60s")``) and Kafka keys behind a prefix;
the legacy Kafka consumer's ``consumer.timeout.ms`` is a poll (not reported). Elasticsearch
``..execute().actionGet(timeout)`` and a request builder's ``.get(TimeValue)`` (``TimeValue.timeValueSeconds(30)``,
also through a field set in the constructor); Thrift ``new TSocket(host, port, socketMs[, connectMs])`` (read,
connect) and a Thrift server's ``.requestTimeout(n)`` in its ``requestTimeoutUnit`` (seconds by default); the legacy
Kafka ``new SimpleConsumer(host, port, soTimeout, ..)``; Curator ``blockUntilConnected(30, SECONDS)`` (connect). A
deadline loop that asks another system for a state and sleeps between asks (``long end = now + timeout; while (now <
end) { makeRequest(statusUrl); .. sleep(3000); }``): a bounded wait for a remote resource (budget "wait"), a helper's
parameter when the deadline is one; an executor's ``invokeAll(tasks, t, unit)`` whose ``t`` is derived from the
helper's own timeout parameter is the helper applying it.

Why it matters: the caller's timeout is half of a latency contract; a 5s timeout in front of a
dependency whose p99 is 8s makes every slow call a retry.

Example: ``new OkHttpClient.Builder().callTimeout(2, TimeUnit.SECONDS)`` -> timeout 2000ms, phase total.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Num, Str, Unknown
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.jvm import TIMEOUT_SETTERS, url_target, wait_is_timeout
from extractors.java.detectors.outbound import _root_name, base_target, client_target, url_expr
from extractors.java.jvm import duration_text_ms, parse_config_scalar
from extractors.java.syntax import (SETTINGS_CLASS, JavaFile, annotation_args, arguments, chain, chain_top, declared_type,
                                    duration_of, enclosing, expr_of, local_initializer, name_location, project_type,
                                    string_of, strip_number, timeout_value, unit_of)

ID = "java.http_timeouts"
# A bare `.timeout(x)` is only a client timeout on these chains (Mono/Flux, HttpRequest builders...).
_TIMEOUT_CONTEXT = ("http", "web", "rest", "request", "client", "mono", "flux", "uri", "retrieve",
                    "bodyto", "exchange", "call", "feign",
                    # round 22 (exhort): an Apache Camel route's circuit breaker, `.circuitBreaker()
                    # .faultToleranceConfiguration().timeoutEnabled(true).timeoutDuration(timeout)` (MicroProfile Fault
                    # Tolerance) or `.resilience4jConfiguration().timeoutDuration(ms)`: the limit on the route's call
                    "faulttoleranceconfiguration", "resilience4jconfiguration")


def chain_target(jf: JavaFile, node: ts.Node):
    """A URL given in the same builder/call chain (baseUrl, rootUri, uri, url, newBuilder) as the
    setting; a relative path (``pricing.get().uri("/quote")``) takes the base URL its client was built
    with; else the calls made through the client the chain is stored in (``client_target``)."""
    relative = None
    for item in chain(node):
        if item.type != "method_invocation":
            continue
        name = ts.text(item.child_by_field_name("name"))
        if name in ("baseUrl", "rootUri", "uri", "url", "newBuilder") and arguments(item):
            arg = arguments(item)[0]
            if arg.type == "method_invocation" and ts.text(arg.child_by_field_name("name")) == "create" and arguments(arg):
                arg = arguments(arg)[0]
            if arg.type == "string_literal" and not (string_of(arg) or "").startswith(("/", "http", "${")):
                continue  # a path template such as "{id}": not where the call goes
            if name in ("uri", "url", "newBuilder") and arg.type not in (
                    "string_literal", "binary_expression", "identifier", "field_access"):
                continue
            target = url_target(url_expr(arg))
            if (target[0] is not None and target[0].url and target[0].url.startswith("/")):
                relative = relative or target
                continue
            return target
    root = _root_name(node)
    if root:
        base = base_target(jf, root)
        if base[0] is not None or base[1]:
            return base
    if relative is not None:
        return relative
    return client_target(jf, node)


def _is_timeout_context(node: ts.Node, args) -> bool:
    if duration_of(args[0]) is not None or (len(args) > 1 and unit_of(args[1]) is not None):
        return True
    if len(args) == 2 and _reactive_fallback(args[1]) and _duration_typed(node, args[0]):
        return True  # Reactor `mono.timeout(duration, Mono.error(..))`: the limit with a fallback publisher
    if len(args) > 1:
        return False  # `Filters.timeout(defaultTimeout, perEndpoint)`: a factory, the limit is set inside it
    if _duration_typed(node, args[0]) and _REACTOR_OPERATORS.search(ts.text(node.child_by_field_name("object") or node)):
        return True  # `response.retryWhen(spec).timeout(duration)`: a Reactor chain's limit given as a Duration
    receiver = ts.text(node.child_by_field_name("object")).lower()
    return any(word in receiver for word in _TIMEOUT_CONTEXT)


def own_settings_object(jf: JavaFile, node: ts.Node) -> bool:
    """A setter called on an object of a class this file declares (``TbLambdaNodeConfiguration configuration =
    new TbLambdaNodeConfiguration(); configuration.setConnectionTimeout(10);`` in its ``defaultConfiguration()``),
    or on ``this``/no receiver in a class that has the field: the app's own settings, applied elsewhere."""
    classes = jf.__dict__.get("_declared_classes")
    if classes is None:
        classes = {ts.text(n.child_by_field_name("name")) for n in ts.walk(jf.tree.root_node)
                   if n.type in ("class_declaration", "record_declaration")}
        jf.__dict__["_declared_classes"] = classes
    receiver = node.child_by_field_name("object")
    if receiver is None or ts.text(receiver) == "this":
        cls = enclosing(node, ("class_declaration",))
        name = ts.text(node.child_by_field_name("name")).removeprefix("set")
        field = name[:1].lower() + name[1:]
        body = cls.child_by_field_name("body") if cls is not None else None
        return body is not None and any(
            m.type == "field_declaration" and any(d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == field
                                                  for d in m.named_children) for m in body.named_children)
    if receiver.type == "identifier":
        declared = declared_type(node, ts.text(receiver))
        # also a settings class of the project (`RocketMQProducerConfig props = ..; props.setRetryTimes(n)`):
        # a value stored for later, applied where the client reads it
        return declared in classes or (declared is not None and SETTINGS_CLASS.search(declared) is not None
                                       and declared in jf.imports and project_type(jf, declared, strict=True))
    if receiver.type == "object_creation_expression":
        return ts.text(receiver.child_by_field_name("type")) in classes
    return False


def _reactive_fallback(node: ts.Node) -> bool:
    """``Mono.error(..)`` / ``Mono.just(x)`` / ``Flux.empty()``: the publisher a Reactor timeout switches to."""
    return node.type == "method_invocation" and ts.text(node.child_by_field_name("object")) in ("Mono", "Flux")


# Operators only a Reactor publisher chain has (a bare `.timeout(duration)` after them bounds the publisher).
_REACTOR_OPERATORS = re.compile(r"\.(retryWhen|flatMap|flatMapMany|onErrorResume|onErrorMap|subscribeOn|publishOn|"
                                r"doOnError|doOnNext|switchIfEmpty|zipWith|thenReturn|bodyToMono|bodyToFlux)\s*\(")


def _duration_typed(node: ts.Node, arg: ts.Node) -> bool:
    """A name declared ``Duration`` (parameter, local or field), or a local set from a Duration factory."""
    if arg.type != "identifier":
        return False
    if declared_type(node, ts.text(arg)) == "Duration":
        return True
    initial = local_initializer(arg)
    return initial is not None and duration_of(initial) is not None


@detector(ID, "java", ["timeout"],
          valid=[
              'log.info("connectTimeout was exceeded");',
              'cache.expireAfterWrite(Duration.ofSeconds(30));',
              'options.setTimeout(null);',
              'RateLimiterConfig c = RateLimiterConfig.custom().timeoutDuration(Duration.ofMillis(250)).build();',
              'return ExchangeFilters.timeout(monitor.getDefaultTimeout(), monitor.getTimeouts());',
          ],
          invalid=[
              'new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS);',
              'builder.setReadTimeout(Duration.ofMillis(800));',
              'factory.setConnectTimeout(2000);',
          ])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for site in jf.calls:
        node = site.node
        if site.name in ("actionGet", "get") and _es_wait(jf, site):
            continue
        if site.name == "get":
            if _http_helper(node):
                _helper_timeout(jf, site)
            else:
                _future_wait(jf, site)
            continue
        if site.name == "connect":
            _socket_connect(jf, site)
            continue
        if site.name in ("invokeAny", "invokeAll") and len(arguments(node)) == 3 and unit_of(arguments(node)[2]) is not None:
            # `executor.invokeAny(List.of(consumeTask), spec.getTimeoutMs() + 1000, MILLISECONDS)`: how long the
            # caller waits for the tasks (a job's limit), phase total
            if _derived_from_parameter(arguments(node)[1]):
                continue  # round 16: `long total = getTotalTimeout(requestTimeout, ..); invokeAll(tasks, total, ..)` in
                # a helper: the parameter's value is chosen (and counted) at the helper's calls
            value = timeout_value(arguments(node)[1:])
            if value is not None:
                jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                                jf.evidence(site.name_node), extra={"library": "executor"}, zero_disables=False)
            continue
        if (_SYNC_CALL.match(site.name) or _SEND_CALL.match(site.name)) and "timeout" not in site.name.lower():
            _sync_call(jf, site)
            continue
        if _admin_call(node, arguments(node)):
            value = timeout_value(arguments(node)[-1:])
            if value is not None:  # RocketMQ admin: `mqAdminExt.getAllTopicConfig(addr, 10000L)` (its last argument)
                jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                                jf.evidence(site.name_node), extra={"library": "rocketmq"}, zero_disables=False)
            continue
        if site.name in _HTTP_VERBS and _http_helper(node):
            _helper_timeout(jf, site)
            continue
        if site.name == "register" and _health_check_timeout(node):
            # round 14: Vert.x `healthCheckHandler.register("sql", 10_000, promise -> ..)`: the procedure (a query
            # to the database, a call to a dependency) fails after that many ms
            value = arguments(node)[1]
            jf.sink.timeout(name_location(node, site.name_node), ID, "total", expr_of(value), 1.0, ts.text(value),
                            jf.evidence(site.name_node), extra={"library": "vertx-health"}, zero_disables=False)
            continue
        if site.name == "put" and len(arguments(node)) == 2 and _json_config_timeout(node):
            # round 14: a Vert.x client's JsonObject config (`configJson.put("connectTimeoutMS", timeout)`, the
            # Mongo client's serverSelectionTimeoutMS/socketTimeoutMS), also set inside `Optional.ofNullable(
            # getConnectTimeout()).ifPresent(timeout -> configJson.put(..))` (the value the Optional holds)
            args = arguments(node)
            key = string_of(args[0]) or ""
            value_node = _optional_source(args[1]) or args[1]
            jf.sink.timeout(name_location(node, site.name_node), ID, "connect" if "connect" in key.lower() else "total",
                            expr_of(value_node), 1.0, ts.text(value_node), jf.evidence(site.name_node),
                            extra={"property": True}, zero_disables=False)
            continue
        if site.name in ("put", "setProperty") and len(arguments(node)) == 2 and _property_timeout(arguments(node)[0]) \
                and not _conf_constant_timeout(jf, node, arguments(node)[0]):
            args = arguments(node)
            value = expr_of(args[1])
            initializer = local_initializer(args[1]) if args[1].type == "identifier" else None
            if initializer is not None and not isinstance(expr_of(initializer), Unknown):
                value = expr_of(initializer)  # `String timeout = String.valueOf(..); props.put("..timeout", timeout)`
            if isinstance(value, Str) and re.fullmatch(r"\d+", value.value.strip()):
                value = Num(float(value.value))  # properties hold text: "5000"
            elif isinstance(value, Str) and duration_text_ms(value.value) is not None:
                value = Num(duration_text_ms(value.value))  # round 16: Elasticsearch settings hold "60s"
            jf.sink.timeout(name_location(node, site.name_node), ID, _property_timeout(args[0]), value, 1.0,
                            ts.text(args[1]), jf.evidence(site.name_node), extra={"property": True}, zero_disables=False)
            continue
        if site.name in ("orTimeout", "completeOnTimeout"):
            _future_wait(jf, site)
            continue
        if site.name == "schedule" and len(arguments(node)) == 3 and _timeout_handler(arguments(node)[0]) \
                and unit_of(arguments(node)[2]) is not None:
            # round 11: `scheduler.schedule(this::onSyncAssetsTimeout, RESPONSE_TIMEOUT_MILLIS, MILLISECONDS)`: a
            # watchdog that gives up on an answer after that long (a one-shot schedule of a timeout handler)
            value = timeout_value(arguments(node)[1:])
            if value is not None:
                jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                                jf.evidence(site.name_node), extra={"library": "watchdog"}, zero_disables=False)
            continue
        if site.name == "ask" and _akka_ask(jf, site):
            continue
        if site.name == "result" and _akka_await(jf, site):
            continue
        phase = TIMEOUT_SETTERS.get(site.name) or _WRITE_SETTERS.get(site.name) or _ALIYUN_SETTERS.get(site.name)
        int_scale = 1.0
        args = arguments(node)
        if phase is None and site.name in ("setMaxWait", "setMaxWaitMillis") and len(args) == 1 and _pool_datasource(jf, node):
            if ts.text(args[0]).replace(" ", "").startswith("-"):
                continue  # -1: wait for a pooled connection forever
            phase = "connect"  # Druid / DBCP `ds.setMaxWait(60000)`: waiting for a pooled connection (ms)
        if site.name == "setSoTimeout" and _accepted_socket(node):
            continue  # `Socket s = serverSocket.accept(); s.setSoTimeout(..)`: a connection made to us, not by us
        if phase is None and len(args) == 1:
            phase = _round19_setter(jf, node, site.name)
        if phase is None:
            phase, int_scale = _suffixed_setter(site.name)
            if phase is not None and _data_object_setter(node, site.name, args):
                continue  # `taskDef.setResponseTimeoutSeconds(3600)`, `to.setX(from.getX())`: a domain object's field
            if phase is not None and _UNIT_ONLY.fullmatch(site.name) and (not _builder_setting(node) or _copied(site.name, args)):
                continue  # `config.setTimeoutMs(request.getTimeoutMs())`: a limit named for its unit alone counts on a
                # settings builder only, and not as a copy of the same property from another object
        if site.name == "requestTimeout" and len(args) == 1 and phase is not None \
                and re.search(r"TThreadPoolServer|THsHaServer|TThreadedSelectorServer", ts.text(chain_top(node))):
            # round 16: Thrift server args `.requestTimeout(20).requestTimeoutUnit(unit)`: in the chain's unit, else
            # Thrift's default, seconds
            unit_call = re.search(r"\.requestTimeoutUnit\(\s*([\w.]+)\s*\)", ts.text(chain_top(node)))
            unit = _TIME_UNITS.get(unit_call.group(1).rsplit(".", 1)[-1]) if unit_call else None
            int_scale = unit or 1000.0
        if site.name == "setConnectionTimeout" and len(args) == 1 and _paho_options(node):
            int_scale = 1000.0  # Paho `MqttConnectOptions.setConnectionTimeout(10)`: seconds to connect to the broker
        if phase is None and site.name == "setTimeout" and len(args) == 1 and re.search(
                r"(Connection|Socket)$", declared_type(node, ts.text(node.child_by_field_name("object") or node)) or ""):
            phase = "read"  # `TCPMasterConnection tcpConnection; tcpConnection.setTimeout(ms)`: its socket's limit
        if phase is None and site.name == "setReceiveTimeout" and len(args) == 1 and _cxf_client_policy(jf, node):
            # round 15: Apache CXF `HTTPClientPolicy policy = new HTTPClientPolicy(); policy.setReceiveTimeout(28000)`
            # for a JAX-WS/JAX-RS port's conduit: how long to wait for the response (ms); not JMS's receive wait
            phase = "read"
        if phase is None and site.name == "setTimeout" and len(args) == 1 and _datastax_statement(jf, node):
            # round 20 (second wave): the DataStax Java driver 4's per-statement timeout
            # (`prepared.boundStatementBuilder(values).setTimeout(config.dmlTimeout())`, `SimpleStatement.builder(cql)
            # .setTimeout(Duration.ofSeconds(5))`, `stmt.setTimeout(..)`): how long the driver waits for the answer
            phase = "total"
        if phase is None and site.name in _BIGTABLE_CALL_OPTIONS and len(args) == 1 \
                and "CallOptionsConfig" in ts.text(chain_top(node)):
            # round 22 (heroic, a round-21 request): Cloud Bigtable's classic client, `CallOptionsConfig.builder()
            # .setReadRowsRpcTimeoutMs(..).setMutateRpcTimeoutMs(..).setShortRpcTimeoutMs(..)`: each RPC kind's limit (ms)
            phase = "total"
        if phase is None and site.name in ("setTimeout", "timeout") and _redisson_chain(node):
            phase = "read"  # Redisson's server config: how long to wait for a command's answer (ms)
        if phase is None and site.name == "withTimeout" and args and _builder_chain(node) and \
                (duration_of(args[0]) is not None or (len(args) > 1 and unit_of(args[1]) is not None)):
            phase = "total"  # Lettuce `RedisURI.builder().withTimeout(Duration.ofSeconds(10))`: a command's limit
        if site.name in ("await", "tryAcquire") and _awaits_reply(jf, node, args):
            phase = "total"
        if site.name == "newClient" and len(args) == 4 and ts.text(node.child_by_field_name("object") or node).endswith(
                "CuratorFrameworkFactory"):
            # Curator `CuratorFrameworkFactory.newClient(connectString, sessionTimeoutMs, connectionTimeoutMs, retryPolicy)`
            phase, args = "connect", args[2:3]
        if site.name == "blockUntilConnected" and len(args) == 2 and unit_of(args[1]) is not None:
            phase = "connect"  # round 16: Curator `client.blockUntilConnected(30, SECONDS)`: the wait to reach ZooKeeper
        if site.name in ("waitForConfirmsOrDie", "waitForConfirms") and len(args) == 1 and _rabbit_channel(jf):
            phase = "total"  # RabbitMQ publisher confirms: `channel.waitForConfirmsOrDie(ackTimeoutMs)`
        if site.name in ("confirmTimeout", "rpcTimeout") and len(args) == 1 and duration_of(args[0]) is not None \
                and _rabbit_channel(jf):
            phase = "total"  # RabbitMQ Streams: a producer's `confirmTimeout(Duration)`, the environment's `rpcTimeout`
        if site.name in ("atMost", "after") and len(args) == 1 and _mutiny_wait(jf, node, site.name):
            phase = "total"  # Mutiny `mailer.send(m).await().atMost(d)` / `..ifNoItem().after(d).fail()`
        if site.name in ("block", "blockOptional", "blockFirst", "blockLast") and len(args) == 1 \
                and (_WEB_CHAIN.search(ts.text(node.child_by_field_name("object") or node)) or _remote_publisher(node)
                     or _blocked_client_call(jf, node) or _blocked_web_local(node)):
            phase = "total"  # `webClient.get()..retrieve().bodyToMono(T.class).block(Duration.ofSeconds(5))`
        if site.name == "setTimeout" and len(args) == 1 and _jgit_transport_command(jf, node):
            phase, int_scale = "total", 1000.0  # round 13: JGit `git.fetch()...setTimeout(60)`: the remote I/O (seconds)
        if site.name == "setTimeout" and len(args) == 1 and _XXL_EXECUTOR.search(
                declared_type(node, ts.text(node.child_by_field_name("object") or node)) or ""):
            phase, int_scale = "total", 1000.0  # XXL-JOB executor: its calls to the admin (seconds)
        if site.name in ("setQueryTimeout", "isValid") and len(args) == 1 and _jdbc_receiver(node, site.name):
            phase, int_scale = "read", 1000.0  # JDBC: statement/JdbcTemplate query limit, connection check (seconds)
        if site.name == "queryTimeout" and len(args) == 1 and _jooq_query(jf, node):
            # round 21: jOOQ `dsl.select(..).from(..).where(..).queryTimeout(10).fetch()` (reportportal): the JDBC
            # statement's limit, in seconds
            phase, int_scale = "read", 1000.0
        if site.name == "setPoolTimeoutMillis" and len(args) == 1 and re.search(
                r"PoolingOptions", ts.text(chain_top(node)) + " " + (declared_type(
                    node, ts.text(node.child_by_field_name("object") or node)) or "")):
            phase = "connect"  # round 21: DataStax driver 3 `new PoolingOptions().setPoolTimeoutMillis(5000)` (acquire wait)
        if site.name == "waitTimeout" and len(args) == 1 and "WaiterOverrideConfiguration" in ts.text(chain_top(node)):
            # round 21: AWS SDK v2 waiters `WaiterOverrideConfiguration.builder().waitTimeout(Duration.ofMinutes(30))`
            # (terra-workspace-manager's SageMaker waiter): how long `waitUntil..` polls the service for a state
            phase = "total"
        if site.name == "setSendMsgTimeout" and len(args) == 1:
            phase = "total"  # RocketMQ producer: how long a send may take (ms)
        if site.name == "withDeadline" and len(args) == 1:
            deadline = _deadline_args(args[0])
            if deadline is None:
                continue
            phase, args = "deadline", deadline
        if site.name in _GAX_TIMEOUTS and "RetrySettings" in ts.text(chain(node)[0]):
            phase = _GAX_TIMEOUTS[site.name]  # Google Cloud clients: RetrySettings.newBuilder().setTotalTimeout(..)
        if site.name in ("withDuration", "withInt", "withLong") and len(args) == 2:
            phase = _driver_option_phase(args[0])  # DataStax driver: config.withDuration(REQUEST_TIMEOUT, ...)
            args = args[1:]
        elif site.name in ("put", "putIfAbsent", "setProperty") and len(args) == 2 and _kafka_timeout_key(args[0]):
            phase, args = _kafka_timeout_key(args[0]), args[1:]
        elif site.name in _CONF_PUTS and len(args) == 2 and _conf_constant_timeout(jf, node, args[0]):
            # round 16: a client setting put into a configuration map under a constant key named for a timeout
            # (`properties.put(HttpClientFactory.HTTP_REQUEST_TIMEOUT, "10000")`, Hadoop/Hive
            # `hiveConf.setInt(HiveConfigConstants.JAVAX_JDO_DATASTORETIMEOUT, ms)`)
            phase, int_scale = _conf_constant_timeout(jf, node, args[0])
            args = args[1:]
        if phase is None and site.name in ("put", "putIfAbsent", "setProperty") and len(args) == 2:
            driver = _jdbc_driver_key(jf, node, args)
            if driver is not None:
                phase, int_scale = driver
                args = args[1:]
        if phase is None and site.name == "put" and len(args) == 2 \
                and ts.text(args[0]).rsplit(".", 1)[-1] == "IO_TIMEOUT_MS_PROPERTY":
            # round 19: Tomcat's WebSocket client `config.getUserProperties().put(Constants.IO_TIMEOUT_MS_PROPERTY,
            # ioTimeout)`: the opening handshake's I/O limit (ms; the value is text, "45000")
            phase, args = "connect", args[1:]
        if site.name == "option" and len(args) == 2 and ts.text(args[0]).endswith("CONNECT_TIMEOUT_MILLIS"):
            phase, args = "connect", args[1:]
        if site.name == "pendingAcquireTimeout" and len(args) == 1 and "ConnectionProvider" in ts.text(chain_top(node)):
            # round 11: reactor-netty `ConnectionProvider.builder("p").pendingAcquireTimeout(Duration.ofSeconds(60))`:
            # how long a request waits for a pooled connection (as Hikari's connectionTimeout; Kotlin counts it too)
            phase = "connect"
        if site.name == "property" and len(args) == 2 and _JAXRS_TIMEOUT.fullmatch(ts.text(args[0]).replace(" ", "")):
            # JAX-RS/Jersey `ClientBuilder.newBuilder().property(ClientProperties.READ_TIMEOUT, ms)`
            phase, args = ("connect" if "CONNECT" in ts.text(args[0]).upper() else "read"), args[1:]
        if phase is None or not args or args[0].type == "null_literal":
            continue
        if site.name in ("timeout", "timeoutDuration") and not _is_timeout_context(node, args):
            continue
        if site.name == "waitForCompletion" and not wait_is_timeout([ts.text(a) for a in args], duration_of(args[0]) is not None):
            continue
        if site.name == "timeoutDuration" and "RateLimiter" in ts.text(chain_top(node)):
            continue  # a rate limiter's wait for a permit, not a limit on the call
        if site.name == "timeout" and _BATCHING.search(ts.text(chain_top(node))):
            continue  # Pulsar `BatchReceivePolicy.builder().timeout(..)`: how long a batch collects, not a call's limit
        if site.name.startswith("set") and own_settings_object(jf, node):
            continue  # `configuration.setConnectionTimeout(10)` on the app's own settings class: a default, not a client
        value = timeout_value(args, int_scale)
        if site.name in ("put", "putIfAbsent", "setProperty") and args[0].type == "string_literal" \
                and re.fullmatch(r"\d+", (string_of(args[0]) or "").strip()):
            # `props.put(StreamsConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000")`: Kafka parses the string (ms)
            value = (Num(float((string_of(args[0]) or "").strip())), 1.0, ts.text(args[0]))
        if value is None:
            continue
        expr, scale, source = value
        target, target_pending = chain_target(jf, node)
        if _null_guarded(node, args[0]):
            # round 12: `if (opts.getReadTimeout() != null) builder.readTimeout(opts.getReadTimeout());`: set only
            # when configured; kept when the value resolves (a default somewhere), else nothing is set
            target_pending = tuple(target_pending) + (Pending(KEEP_IF, expr, None),)
        jf.sink.timeout(name_location(node, site.name_node), ID, phase, expr, scale, source,
                        jf.evidence(site.name_node), target=target, target_pending=target_pending,
                        zero_disables=site.name not in ("timeout", "timeoutDuration"))
    _query_hints(jf)
    _transaction_timeouts(jf)
    _retry_budgets(jf)
    _applied_references(jf)
    for site in jf.news:
        type_name = site.name.removeprefix("new ").rsplit(".", 1)[-1]
        args = arguments(site.node)
        if type_name == "DefaultMQAdminExt" and len(args) == 2:
            jf.sink.timeout(ts.location(site.node), ID, "total", expr_of(args[1]), 1.0, ts.text(args[1]),
                            jf.evidence(site.node), extra={"library": "rocketmq"}, zero_disables=False)
            continue
        if type_name in ("ReadTimeoutHandler",) and args:
            if _idle_trigger(site.node):
                continue
            unit = unit_of(args[1]) if len(args) > 1 else None
            jf.sink.timeout(ts.location(site.node), ID, "read", expr_of(args[0]), unit or 1000.0,
                            ts.text(args[0]), jf.evidence(site.node))
        elif site.name.endswith("Request.Options") and args:
            _feign_options(jf, site, args)
        elif type_name == "TSocket" and len(args) in (3, 4) and b"org.apache.thrift" in jf.data:
            # round 16: Thrift `new TSocket(host, port, socketTimeout[, connectTimeout])`: the socket's read limit
            # (ms); with four arguments the connect limit is the last one
            jf.sink.timeout(ts.location(site.node), ID, "read", expr_of(args[2]), 1.0, ts.text(args[2]),
                            jf.evidence(site.node), extra={"library": "thrift"}, zero_disables=True)
            if len(args) == 4:  # (at the type's column: a forwarded parameter is dropped by line, column and kind)
                jf.sink.timeout(name_location(site.node, site.name_node), ID, "connect", expr_of(args[3]), 1.0,
                                ts.text(args[3]),
                                jf.evidence(site.node), extra={"library": "thrift"}, zero_disables=True)
        elif type_name == "SimpleConsumer" and len(args) == 5 and b"kafka" in jf.data:
            # round 16: Kafka's legacy `new SimpleConsumer(host, port, soTimeout, bufferSize, clientId)` (ms)
            jf.sink.timeout(ts.location(site.node), ID, "read", expr_of(args[2]), 1.0, ts.text(args[2]),
                            jf.evidence(site.node), extra={"library": "kafka"}, zero_disables=True)
        elif type_name.split("<")[0] in _ASYNC_HANDLERS and len(args) >= _ASYNC_HANDLERS[type_name.split("<")[0]] \
                and args[0].type not in ("null_literal", "lambda_expression", "string_literal"):
            jf.sink.timeout(ts.location(site.node), ID, "total", expr_of(args[0]), 1.0, ts.text(args[0]),
                            jf.evidence(site.node), extra={"library": "spring-mvc"})


_BATCHING = re.compile(r"Batch\w*Policy|Batching\w*Policy")


def _null_guarded(node: ts.Node, arg: ts.Node) -> bool:
    """Is the call inside the then-branch of ``if (<arg> != null)`` (the argument's own text), in its method?"""
    wanted = re.sub(r"\s+", "", ts.text(arg)) + "!=null"
    child, current = node, node.parent
    while current is not None and current.type not in ("method_declaration", "constructor_declaration",
                                                       "lambda_expression", "class_body"):
        if current.type == "if_statement" and current.child_by_field_name("consequence") == child:
            condition = re.sub(r"[\s()]", "", ts.text(current.child_by_field_name("condition")))
            if wanted.replace("(", "").replace(")", "") in condition.split("&&"):
                return True
        child, current = current, current.parent
    return False


_TIMEOUT_HANDLER = re.compile(r"^(on|handle|fire|notify)?\w*Time[dD]?[oO]ut$")


def _timeout_handler(arg: ts.Node) -> bool:
    """``this::onSyncAssetsTimeout`` / ``() -> onTimeout(id)``: a handler named for a timeout."""
    if arg.type == "method_reference":
        return bool(_TIMEOUT_HANDLER.match(ts.text(arg).rsplit("::", 1)[-1].strip()))
    if arg.type == "lambda_expression":
        body = arg.child_by_field_name("body")
        if body is not None and body.type == "method_invocation":
            return bool(_TIMEOUT_HANDLER.match(ts.text(body.child_by_field_name("name"))))
        if body is not None and any(n.type == "object_creation_expression" and re.sub(r"^.*\.", "", ts.text(
                n.child_by_field_name("type"))) == "TimeoutException" for n in ts.walk(body)):
            # round 14: `executor.schedule(() -> { TimeoutException ex = new TimeoutException(..); return
            # promise.complete(mapper.apply(ex)); }, d.toMillis(), MILLISECONDS)`: a future failed after d (the
            # asynchronous timeout of Java 8 futures)
            return True
    return False


def _idle_trigger(creation: ts.Node) -> bool:
    """Round 11: ``new ReadTimeoutHandler(PING_MILLIS, MILLISECONDS) { protected void readTimedOut(ctx) { doPing(ctx); } }``:
    an anonymous subclass whose ``readTimedOut`` neither closes, fails nor hands on to the default is a trigger for
    idle work (a ping), not a limit on the read."""
    body = next((c for c in creation.named_children if c.type == "class_body"), None)
    if body is None:
        return False
    for member in body.named_children:
        if member.type == "method_declaration" and ts.text(member.child_by_field_name("name")) == "readTimedOut":
            text = ts.text(member.child_by_field_name("body") or member)
            return not re.search(r"super\.readTimedOut|\.close\(|\bthrow\b|fireExceptionCaught", text)
    return False


_POOL_TYPES = re.compile(r"^(Druid\w*DataSource|DruidConfig|BasicDataSource|\w*PoolingDataSource)$")


def _pool_datasource(jf: JavaFile, node: ts.Node) -> bool:
    """A Druid or DBCP pool (``DruidDataSource ds = new DruidDataSource(); ds.setMaxWait(60000)``): by the receiver's
    declared or constructed type, or a data-source-named receiver in a file importing Druid/DBCP."""
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    if receiver.type == "object_creation_expression":
        return bool(_POOL_TYPES.match(ts.text(receiver.child_by_field_name("type")).rsplit(".", 1)[-1]))
    if receiver.type == "field_access" and ts.text(receiver.child_by_field_name("object")) == "this":
        receiver = receiver.child_by_field_name("field")
    if receiver.type != "identifier":
        return False
    declared = declared_type(node, ts.text(receiver))
    if declared is not None:
        return bool(_POOL_TYPES.match(declared))
    return bool(re.search(r"data_?source|^ds$|druid", ts.text(receiver), re.IGNORECASE)) and any(
        q.startswith(("com.alibaba.druid", "org.apache.commons.dbcp")) for q in jf.imports.values())


# Setters named for the phase and the unit of their number, across clients (Armeria
# `responseTimeoutMillis`, Jedis `socketTimeoutMillis`, RabbitMQ `setConnectionTimeout`, Armeria
# `requestTimeout`/`setRequestTimeout`, health-checked endpoint groups' `selectionTimeoutMillis`).
_SUFFIXED = re.compile(r"(?:set|with)?(connect|connection|con|read|response|request|socket|so|call|selection|handshake)?"
                       r"Timeout(millis|ms|inmillis|milliseconds|seconds|secs|insecs|inseconds)?", re.IGNORECASE)
_PHASE_WORD = {"connect": "connect", "connection": "connect", "con": "connect", "selection": "connect", "handshake": "connect", "read": "read",
               "response": "read", "socket": "read", "so": "read", "request": "total", "call": "total"}


_TIME_UNITS = {"MILLISECONDS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0, "HOURS": 3600000.0}


_BIGTABLE_CALL_OPTIONS = frozenset({"setReadRowsRpcTimeoutMs", "setMutateRpcTimeoutMs", "setShortRpcTimeoutMs",
                                    "setReadRowsRpcAttemptTimeoutMs", "setMutateRpcAttemptTimeoutMs",
                                    "setShortRpcAttemptTimeoutMs"})


def _suffixed_setter(name: str) -> tuple[str | None, float]:
    """(phase, ms per unit of a plain number) for a setter named like ``connectTimeoutMillis``,
    ``setConnectionTimeout`` or ``requestTimeout``; (None, 1.0) otherwise. Getters (``getXTimeout``) and
    names without a leading verb or unit that are not the plain phase words are left out."""
    m = _SUFFIXED.fullmatch(name)
    if m is None or name[:1].isupper():
        return None, 1.0
    suffix = (m.group(2) or "").lower()
    if m.group(1) is None and suffix not in ("ms", "millis", "inmillis", "milliseconds"):
        return None, 1.0  # a bare `timeout(..)`/`setTimeout(..)`: only on the clients that are known for it
    # `ZkConfiguration.builder().timeoutMs(30000)`, `setTimeoutSeconds(5)`: a limit named for its unit alone (total)
    phase = _PHASE_WORD[m.group(1).lower()] if m.group(1) else "total"
    return phase, 1000.0 if suffix.startswith(("sec", "insec")) else 1.0


_UNIT_ONLY = re.compile(r"(?:set|with)?timeout(?:ms|millis|inmillis|milliseconds)", re.IGNORECASE)


def _builder_setting(node: ts.Node) -> bool:
    """A call in a chain that starts from a builder factory (``ZkConfiguration.builder().timeoutMs(..)``,
    ``X.newBuilder()``, ``new X.Builder()``)."""
    items = chain(node)
    if len(items) == 2 and items[0].type == "identifier":
        # round 19: the options object kept in a local first (kafdrop's `DeleteTopicsOptions options = new
        # DeleteTopicsOptions(); options.timeoutMs(5000); adminClient.deleteTopics(topics, options)`)
        made = local_initializer(items[0])
        if made is not None and made.type == "object_creation_expression" and not arguments(made) \
                and ts.text(made.child_by_field_name("type")).endswith("Options"):
            return True
    # round 12: also an options object made for one call, Kafka Admin's `new ListOffsetsOptions().timeoutMs(5000)`
    return any((i.type == "method_invocation" and ts.text(i.child_by_field_name("name")) in ("builder", "newBuilder", "custom"))
               or (i.type == "object_creation_expression" and "Builder" in ts.text(i.child_by_field_name("type")))
               or (i.type == "object_creation_expression" and not arguments(i)
                   and ts.text(i.child_by_field_name("type")).endswith("Options"))
               for i in items[:-1])


def _copied(name: str, args) -> bool:
    """``.timeoutMs(def.getTimeoutMs())``: the same property copied from another object."""
    prop = name.removeprefix("set").removeprefix("with")
    return bool(args) and args[0].type == "method_invocation" and not arguments(args[0]) and \
        ts.text(args[0].child_by_field_name("name")).lower() == "get" + prop.lower()


_XXL_EXECUTOR = re.compile(r"^XxlJob\w*Executor$")
# JGit's commands that talk to a remote (TransportCommand): their setTimeout(seconds) bounds the remote I/O.
_JGIT_TRANSPORT = frozenset(("fetch", "push", "pull", "lsRemote", "cloneRepository", "submoduleUpdate"))


def _jgit_transport_command(jf: JavaFile, node: ts.Node) -> bool:
    """``git.push()..setTimeout(n)`` / ``Git.cloneRepository()..setTimeout(n)`` in a file importing JGit."""
    if not any(q.startswith("org.eclipse.jgit") for q in jf.imports.values()):
        return False
    return any(step.type == "method_invocation" and ts.text(step.child_by_field_name("name")) in _JGIT_TRANSPORT
               and not arguments(step) for step in chain(node)[:-1])


# A reactive call that reaches another system (`notifier.notify(ctx)`, `client.send(msg)`), blocked on.
_REMOTE_PUBLISHER = re.compile(r"^(notify|send|publish|deliver|post|request|invoke|call|execute|exchange)([A-Z]\w*)?$")
# ..on an object that talks to another system by its name (not a local `notificationCenter`, not a store's client)
_REMOTE_OWNER = re.compile(r"(notifier|sender|publisher|producer|gateway|api|stub|webhook|rpc)$", re.IGNORECASE)


def _blocked_web_local(block: ts.Node) -> bool:
    """Round 20 (ab2d): ``Mono<T> orgInfoMono = webClient.post().uri(..)..exchangeToMono(..); .. orgInfoMono.block(
    Duration.ofMinutes(1))``: blocking on a local that holds a WebClient exchange, set once before."""
    receiver = block.child_by_field_name("object")
    if receiver is None or receiver.type != "identifier":
        return False
    initializer = local_initializer(receiver)
    return initializer is not None and initializer.type == "method_invocation" \
        and bool(_WEB_CHAIN.search(ts.text(initializer)))


def _remote_publisher(block: ts.Node) -> bool:
    """``notifier.notify(context).block(TIMEOUT)``: blocking on the publisher a remote-sounding call of an
    object returned (not ``Mono.just(..)``, not a local computation)."""
    receiver = block.child_by_field_name("object")
    if receiver is None or receiver.type != "method_invocation":
        return False
    first = chain(receiver)
    call = next((c for c in first if c.type == "method_invocation"), None)
    if call is None or call.child_by_field_name("object") is None:
        return False
    owner = ts.text(call.child_by_field_name("object")).rsplit(".", 1)[-1]
    return bool(_REMOTE_OWNER.search(owner)) and bool(_REMOTE_PUBLISHER.match(ts.text(call.child_by_field_name("name"))))


def _rabbit_channel(jf: JavaFile) -> bool:
    return any(q.startswith(("com.rabbitmq.", "org.springframework.amqp.")) for q in jf.imports.values())


_MUTINY_REMOTE = re.compile(r"(client|mailer|service|api|stub|gateway|proxy|sender|publisher|producer|webhook|rpc"
                            r"|connectionManager)$", re.IGNORECASE)  # round 13: a manager of connections to targets


def _mutiny_wait(jf: JavaFile, node: ts.Node, name: str) -> bool:
    """SmallRye Mutiny's bounds on a ``Uni``: ``uni.await().atMost(Duration)`` (block for the item) and
    ``uni.ifNoItem().after(Duration).fail()`` (fail when none comes), in a file importing Mutiny or Quarkus, on a
    chain that makes a remote-sounding call (``mailer.send(..)``, ``client.fetch(..)``, also inside a lambda of the
    chain); not ``Uni.createFrom().item(x)`` or other local work."""
    receiver = node.child_by_field_name("object")
    if receiver is None or receiver.type != "method_invocation" or arguments(receiver) \
            or ts.text(receiver.child_by_field_name("name")) != ("await" if name == "atMost" else "ifNoItem"):
        return False
    if not any(q.startswith(("io.smallrye.mutiny", "io.quarkus")) for q in jf.imports.values()):
        # round 13: a file that only awaits the Unis other classes return (`client.ping().await().atMost(t)`) imports
        # nothing of Mutiny; `.await()`/`.ifNoItem()` called on a call's result is Mutiny's shape (Awaitility's
        # `await().atMost(..)` starts a chain of its own)
        owner = receiver.child_by_field_name("object")
        if owner is None or owner.type != "method_invocation":
            return False
    return _mutiny_remote_chain(jf, receiver, depth=1)


def _mutiny_remote_chain(jf: JavaFile, receiver: ts.Node, depth: int) -> bool:
    """Does the chain ``receiver`` call another system: an owner named or typed like a client (``syncService.valid(..)``,
    ``TokensHelper tokens; tokens.getTokens(c)``), or (round 12) a method of this class that returns such a chain
    (``validateKeyAsync(..).await().atMost(d)``, one level deep)?"""
    for call in ts.walk(receiver):
        if call.type != "method_invocation":
            continue
        owner = call.child_by_field_name("object")
        if owner is None and depth > 0:
            method = _own_method(jf, ts.text(call.child_by_field_name("name")))
            body = method.child_by_field_name("body") if method is not None else None
            if body is not None and any(_mutiny_remote_chain(jf, r, depth - 1)
                                        for r in ts.walk(body) if r.type == "return_statement"):
                return True
            continue
        if owner is None or owner.type not in ("identifier", "field_access"):
            continue
        owner_name = ts.text(owner).rsplit(".", 1)[-1]
        typed = (declared_type(owner, owner_name) or "") if owner.type == "identifier" else ""
        made = local_initializer(owner) if owner.type == "identifier" and depth > 0 else None
        declaration = made.parent.parent if made is not None and made.parent is not None else None
        if made is not None and made.type == "method_invocation" and declaration is not None \
                and declaration.type == "local_variable_declaration" and ts.text(
                    declaration.child_by_field_name("type")).split("<", 1)[0] in ("Uni", "Multi", "var"):
            # round 22 (cryostat): the Uni kept in a local first (`Uni<InputStream> u = client.openStream(id);
            # u.await().atMost(client.getTimeout())`): the chain it was made by
            if _mutiny_remote_chain(jf, made, depth - 1):
                return True
            continue
        if (_MUTINY_REMOTE.search(owner_name) or _MUTINY_REMOTE_TYPE.search(typed)) and not _OWN_STORE.search(owner_name) \
                and not _LOCAL_PUBLISHER.search(owner_name):
            return True
    return False


# Types whose methods answer from another system (Quarkus OIDC's `TokensHelper` fetches tokens from the provider).
_MUTINY_REMOTE_TYPE = re.compile(r"(client|service|api|stub|gateway|proxy|sender|TokensHelper)$", re.IGNORECASE)


def _own_method(jf: JavaFile, name: str) -> ts.Node | None:
    """The method of this file declared with ``name`` (the first one), else None."""
    for node in ts.walk(jf.tree.root_node):
        if node.type == "method_declaration" and ts.text(node.child_by_field_name("name")) == name:
            return node
    return None


# Receivers whose publishers signal something of this process (a sink, a processor, a lock), not a reply.
_LOCAL_PUBLISHER = re.compile(r"(sink|processor|subject|emitter|latch|lock|semaphore|queue|scheduler|cache)s?$", re.IGNORECASE)


def _blocked_client_call(jf: JavaFile, block: ts.Node) -> bool:
    """``adminClient.listTopics(true).block(Duration.ofSeconds(5))``, ``service.get(c).timeout(..).block(T)``: blocking
    (with a bound) on the publisher an instance method of a field/parameter/local returned, in a file importing
    Reactor. Not a static factory's publisher (``Mono.just(x)``, ``Mono.fromCallable(..)``), not a local sink's."""
    if not (any(q.startswith("reactor.") for q in jf.imports.values()) or b"import reactor." in jf.data):
        return False
    receiver = block.child_by_field_name("object")
    if receiver is None or receiver.type != "method_invocation":
        return False
    call = next((c for c in chain(receiver) if c.type == "method_invocation"), None)
    owner = call.child_by_field_name("object") if call is not None else None
    if owner is not None and owner.type == "field_access" and ts.text(owner.child_by_field_name("object")) == "this":
        owner = owner.child_by_field_name("field")
    if owner is None or owner.type != "identifier" or not ts.text(owner)[:1].islower():
        return False
    declared = declared_type(owner, ts.text(owner)) or ""
    if _OWN_STORE.search(ts.text(owner)) or _OWN_STORE.search(declared):
        return False  # `repository.findById(id).block(d)`, halo's `extensionClient.fetch(..)`: the own store's read
    if not (_CLIENT_OWNER.search(ts.text(owner)) or _CLIENT_OWNER.search(declared)):
        return False  # `counter.count()`, `notificationCenter.notify(..)`: nothing says another system answers
    return not _LOCAL_PUBLISHER.search(ts.text(owner)) and \
        ts.text(call.child_by_field_name("name")) not in ("asMono", "asFlux", "next", "then")


# A receiver named or typed like a client of another system (`adminClientService`, `ReactiveAdminClient ac`).
_CLIENT_OWNER = re.compile(r"(client|service|api|stub|gateway|proxy|admin|connector)$", re.IGNORECASE)


# The service's own data store behind a reactive API (a Spring Data repository, a DAO, halo's ExtensionClient).
_OWN_STORE = re.compile(r"(repo|repository|dao|store|extensionclient)$", re.IGNORECASE)


def _derived_from_parameter(arg: ts.Node) -> bool:
    """A local set once from a call that is handed a numeric parameter of the enclosing method named for a timeout
    (``long totalTimeout = getTotalTimeout(requestTimeout, allRequests)``)."""
    if arg.type != "identifier":
        return False
    initializer = local_initializer(arg)
    method = enclosing(arg, ("method_declaration", "constructor_declaration"))
    if initializer is None or initializer.type != "method_invocation" or method is None:
        return False
    params = method.child_by_field_name("parameters")
    names = {ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
             if p.type == "formal_parameter" and ts.text(p.child_by_field_name("type")) in ("int", "long", "Integer", "Long")}
    return any(a.type == "identifier" and ts.text(a) in names and re.search(r"(?i)timeout|millis|ms$", ts.text(a))
               for a in arguments(initializer))


def _retry_budgets(jf: JavaFile) -> None:
    """``final long endTime = System.currentTimeMillis() + readTimeoutMs; do { try { .. } catch .. }
    while (System.currentTimeMillis() <= endTime);``: a time budget for a call and its retries (phase
    total), where the deadline is set; only when the loop it ends is a retry loop."""
    from extractors.java.retry_scope import is_retry_loop

    for node in ts.walk(jf.tree.root_node):
        if node.type != "variable_declarator":
            continue
        value = node.child_by_field_name("value")
        if value is None or value.type != "binary_expression" or ts.text(value.child_by_field_name("operator")) != "+":
            continue
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        clock = next((side for side in (left, right) if re.fullmatch(
            r"System\.(currentTimeMillis|nanoTime)\(\)", ts.text(side).replace(" ", ""))), None)
        if clock is None:
            continue
        amount = right if clock == left else left
        name = ts.text(node.child_by_field_name("name"))
        method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
        if method is None:
            continue
        loops = [n for n in ts.walk(method) if n.type in ("while_statement", "do_statement", "for_statement")
                 and n.start_byte > node.start_byte and name in re.findall(r"\w+", ts.text(n.child_by_field_name("condition")))]
        budget = "retries"
        if loops and not any(is_retry_loop(loop) for loop in loops) and any(_remote_state_wait(loop) for loop in loops):
            budget = "wait"  # round 16: polling a remote job until it is done, up to a deadline (Qubole's command status)
        elif not loops or not any(is_retry_loop(loop) for loop in loops):
            continue
        scale = 0.000001 if "nanoTime" in ts.text(clock) else 1.0
        jf.sink.timeout(ts.location(node), ID, "total", expr_of(amount), scale, ts.text(amount),
                        jf.evidence(node), extra={"budget": budget}, zero_disables=False)


_REMOTE_STATUS_CALL = re.compile(r"(make|send|do|execute)?(Http)?Request\w*|get\w*(Status|State)|describe\w+", re.IGNORECASE)


def _remote_state_wait(loop: ts.Node) -> bool:
    """A deadline loop that asks another system for a state and sleeps between asks: a request-named call
    (``makeRequest(url, null)``, ``client.getJobStatus(id)``, ``describeStacks(..)``) on no local collection, and a
    ``Thread.sleep``/``TimeUnit.X.sleep`` in the body."""
    body = loop.child_by_field_name("body")
    if body is None or not re.search(r"\bsleep\(", ts.text(body)):
        return False
    for node in ts.walk(body):
        if node.type != "method_invocation":
            continue
        name = ts.text(node.child_by_field_name("name"))
        receiver = node.child_by_field_name("object")
        if _REMOTE_STATUS_CALL.fullmatch(name) and (receiver is None or _CLIENT_OWNER.search(
                ts.text(receiver).rsplit(".", 1)[-1]) or name.lower().endswith("request")):
            return True
    return False


def _paho_options(node: ts.Node) -> bool:
    """A call on Paho's ``MqttConnectOptions`` (its timeouts are in seconds)."""
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    if receiver.type == "object_creation_expression":
        return ts.text(receiver.child_by_field_name("type")).rsplit(".", 1)[-1] == "MqttConnectOptions"
    return receiver.type == "identifier" and declared_type(node, ts.text(receiver)) == "MqttConnectOptions"


def _deadline_args(arg: ts.Node) -> list[ts.Node] | None:
    """The amount (and unit) a gRPC ``withDeadline(..)`` is given: ``Deadline.after(5, SECONDS)``, or a one-argument
    helper named for deadlines (``toDeadline(KEY_TRANSPARENCY_RPC_TIMEOUT)``) taking the Duration."""
    if arg.type != "method_invocation":
        return None
    name = ts.text(arg.child_by_field_name("name"))
    inner = arguments(arg)
    if name == "after" and ts.text(arg.child_by_field_name("object")) == "Deadline" and len(inner) == 2:
        return inner
    if re.search(r"deadline", name, re.IGNORECASE) and len(inner) == 1:
        return inner
    receiver = arg.child_by_field_name("object")
    if not inner and re.search(r"deadline", name, re.IGNORECASE) and (receiver is None or ts.text(receiver) == "this"):
        # round 22 (hypertrace config-service): the class's own getter of the deadline, `stub.withDeadline(getDeadline())`
        # with `protected Deadline getDeadline() { return Deadline.after(this.clientConfig.getTimeout().toMillis(),
        # TimeUnit.MILLISECONDS); }`: the amount and unit it returns
        returned = _own_getter_return(arg, name)
        if returned is not None and returned.type == "method_invocation":
            after = _deadline_args(returned)
            if after is not None and ts.text(returned.child_by_field_name("name")) == "after":
                return after
    return None


def _own_getter_return(call: ts.Node, name: str) -> ts.Node | None:
    """The expression a parameterless method ``name`` of the enclosing class returns (its one return statement)."""
    cls = enclosing(call, ("class_declaration", "enum_declaration"))
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return None
    for member in body.named_children:
        if member.type != "method_declaration" or ts.text(member.child_by_field_name("name")) != name:
            continue
        params = member.child_by_field_name("parameters")
        if params is not None and params.named_child_count:
            continue
        returns = [n for n in ts.walk(member) if n.type == "return_statement"]
        if len(returns) == 1 and returns[0].named_child_count:
            return returns[0].named_children[0]
    return None


_MQ_ADMIN = re.compile(r"^(Default)?MQAdminExt\w*$")


def _admin_call(node: ts.Node, args) -> bool:
    """A RocketMQ admin call (receiver declared ``MQAdminExt``/``DefaultMQAdminExt``) whose last argument is a
    literal number of ms: the API's ``timeoutMillis``."""
    receiver = node.child_by_field_name("object")
    if receiver is None or receiver.type != "identifier" or len(args) < 2 or args[-1].type not in _INT_LITERAL:
        return False
    if (strip_number(ts.text(args[-1])) or 0) < 100:
        return False  # a small number is a count or a time-range bound, not a wait in ms
    return bool(_MQ_ADMIN.match(declared_type(node, ts.text(receiver)) or "")
                or re.fullmatch(r"\w*mqAdmin\w*", ts.text(receiver), re.IGNORECASE))  # a field inherited from a base class


def _lettuce_client(node: ts.Node) -> bool:
    """The receiver is a Lettuce client: declared ``RedisClient``/``RedisClusterClient`` or named like one."""
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    name = ts.text(receiver)
    typed = declared_type(node, name) if receiver.type == "identifier" else None
    if typed:
        return bool(re.fullmatch(r"(?:io\.lettuce\.core\.(?:cluster\.)?)?Redis(?:Cluster)?Client", typed))
    return bool(re.fullmatch(r"(?:this\.)?redis(?:Cluster)?Client", name, re.IGNORECASE))


def _jooq_query(jf: JavaFile, node: ts.Node) -> bool:
    """A jOOQ query chain (the file imports ``org.jooq``): ``.queryTimeout(n)`` sets its statement's limit."""
    return any(q.startswith("org.jooq") for q in jf.imports.values()) or b"import org.jooq." in jf.data


def _jdbc_receiver(node: ts.Node, name: str) -> bool:
    """``stmt.setQueryTimeout(30)`` / ``jdbcTemplate.setQueryTimeout(30)`` / ``connection.isValid(5)``."""
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    text = ts.text(receiver)
    typed = declared_type(node, text) if receiver.type == "identifier" else None
    words = (r"statement|stmt|ps|jdbc|template|query" if name == "setQueryTimeout" else r"connection|conn")
    return bool(re.search(words, text, re.IGNORECASE) or (typed and re.search(words, typed, re.IGNORECASE)))


# A reactive chain that makes an HTTP call (WebClient), so a blocking wait on it bounds the call.
_WEB_CHAIN = re.compile(r"\.(retrieve|exchangeToMono|exchangeToFlux|bodyToMono|bodyToFlux)\(|webClient", re.IGNORECASE)

# Google API clients' (gax) RetrySettings: the limit over all tries, and each try's first limit.
_GAX_TIMEOUTS = {"setTotalTimeout": "total", "setTotalTimeoutDuration": "total",
                 "setInitialRpcTimeout": "per_try", "setInitialRpcTimeoutDuration": "per_try"}


def _builder_chain(node: ts.Node) -> bool:
    """A setter in a builder chain (``X.builder()...``, ``new X.Builder()...``, ``X.newBuilder()...``)."""
    return bool(re.search(r"\b(builder|newBuilder|custom)\(\)|\.Builder\(", ts.text(chain_top(node))))


def _awaits_reply(jf: JavaFile, node: ts.Node, args) -> bool:
    """``latch.await(120, TimeUnit.SECONDS)`` after sending something in the same method
    (``manageServer.sendMsg(node, message)``): how long to wait for the answer. A latch awaited with
    no send before it, or without a time limit, is local coordination."""
    receiver = node.child_by_field_name("object")
    if receiver is None or len(args) != 2 or unit_of(args[1]) is None:
        return False
    method = enclosing(node, ("method_declaration", "constructor_declaration"))
    if method is None:
        return False
    if _REMOTE_WAIT.search(ts.text(method.child_by_field_name("name")) + " " + ts.text(receiver)) \
            and "timeout" in ts.text(args[0]).lower():
        return True  # `waitToJoinRoom() { joinLatch.await(getMucJoinWaitTimeout(), SECONDS) }`: a remote answer awaited
    if _sent_before(jf, node, method):
        return True
    # round 10: a private helper handed the latch (`waitAndThrowExceptions(CountDownLatch latch, ..)`), every call of
    # which in the file comes after a send in its own method (`curator.getData().inBackground(cb).forPath(p)`)
    params = method.child_by_field_name("parameters")
    name = ts.text(receiver)
    if params is None or not any(p.type == "formal_parameter" and ts.text(p.child_by_field_name("name")) == name
                                 and "Latch" in ts.text(p.child_by_field_name("type")) for p in params.named_children) \
            or not re.search(r"\bprivate\b", ts.text(next((c for c in method.children if c.type == "modifiers"), method))):
        return False
    method_name = ts.text(method.child_by_field_name("name"))
    calls = [c for c in jf.calls if c.name == method_name and not jf.within(c.node, method)]
    return bool(calls) and all(_sent_before(jf, c.node, enclosing(c.node, ("method_declaration", "constructor_declaration")))
                               for c in calls)


def _sent_before(jf: JavaFile, node: ts.Node, method: ts.Node | None) -> bool:
    """Something was sent earlier in ``method``, before ``node``."""
    if method is None:
        return False
    return any(jf.within(other.node, method) and other.node.start_byte < node.start_byte
               and (re.match(r"(send|publish|invite|dial|createCall|connect)([A-Z]\w*)?$", other.name)
                    or _client_execute(other.node, other.name)
                    or other.name == "inBackground"  # Curator: an asynchronous ZooKeeper read or write
                    or other.name == "newWebSocket")  # OkHttp: waiting for the handshake's answer
               for other in jf.calls)


# What a wait named for a remote answer waits for (the method or the latch says it).
_REMOTE_WAIT = re.compile(r"join|connect|reply|response|answer|ack\b|handshake", re.IGNORECASE)


def _client_execute(node: ts.Node, name: str) -> bool:
    """``httpclient.execute(httpGet, callback)``: a request handed to an (async) HTTP client."""
    receiver = node.child_by_field_name("object")
    return name in ("execute", "executeAsync", "newCall", "enqueue") and receiver is not None \
        and bool(re.search(r"client|http", ts.text(receiver), re.IGNORECASE))


# Domain objects that carry a timeout as data (a workflow's task definition, a DTO, a proto message).
_DATA_RECEIVER = re.compile(r"(task|def|definition|dto|entity|model|proto|record|event|message|to)$", re.IGNORECASE)


def _data_object_setter(node: ts.Node, name: str, args) -> bool:
    """A phase-named setter that copies the same property from another object (``to.setResponseTimeoutSeconds(
    from.getResponseTimeoutSeconds())``) or is called on a receiver named or typed like a domain object."""
    receiver = node.child_by_field_name("object")
    if _sent_as_data(node):
        return True
    if receiver is None or receiver.type != "identifier":
        return False
    typed = declared_type(node, ts.text(receiver)) or ""
    if _DATA_RECEIVER.search(ts.text(receiver)):
        return True  # named for the data it is (`to`, `taskDef`), whatever builder type it has
    if _CLIENT_LIKE.search(ts.text(receiver)) or _CLIENT_LIKE.search(typed):
        return False  # `factory.setConnectionTimeout(config.getConnectionTimeout())` configures a client
    prop = name.removeprefix("set").removeprefix("with")
    if args and args[0].type == "method_invocation" and not arguments(args[0]) \
            and ts.text(args[0].child_by_field_name("name")) == "get" + prop[:1].upper() + prop[1:]:
        return True
    return bool(_DATA_RECEIVER.search(typed))


def _sent_as_data(node: ts.Node) -> bool:
    """``api.modifyClientConfig(app, ip, new ClusterClientConfig().setRequestTimeout(20).setServerHost(h))``: a
    settings object built in place and handed to a call that stores or sends it (modify/update/save/push/publish/send/
    put...): the settings of some other process, not of a client here."""
    root = chain(node)[0]
    if root.type != "object_creation_expression":
        return False
    top = chain_top(node)
    holder = top.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None or holder.parent.type != "method_invocation":
        return False
    return bool(re.match(r"(modify|update|save|push|publish|send|put|store|apply|change)", 
                         ts.text(holder.parent.child_by_field_name("name"))))


_CLIENT_LIKE = re.compile(r"client|factory|builder|config|options|settings|pool|source|template|connection|server",
                          re.IGNORECASE)


_REDISSON_SERVERS = re.compile(r"\.use(Single|Cluster|Sentinel|Replicated|MasterSlave)Servers?\(\)")


def _redisson_chain(node: ts.Node) -> bool:
    """``config.useSingleServer().setAddress(..).setTimeout(3000)``: Redisson's command response timeout."""
    return bool(_REDISSON_SERVERS.search(ts.text(chain_top(node))))


# DataStax Java driver options that bound a call (DefaultDriverOption.*).
_DRIVER_OPTIONS = {"REQUEST_TIMEOUT": "total", "CONNECTION_CONNECT_TIMEOUT": "connect",
                   "CONNECTION_INIT_QUERY_TIMEOUT": "connect", "CONTROL_CONNECTION_TIMEOUT": "connect"}


def _driver_option_phase(node: ts.Node) -> str | None:
    return _DRIVER_OPTIONS.get(ts.text(node).rsplit(".", 1)[-1])


# Kafka client settings that bound a call (ms): the constants of ProducerConfig/ConsumerConfig/
# AdminClientConfig/CommonClientConfigs and their property names.
_KAFKA_TIMEOUTS = {"REQUEST_TIMEOUT_MS_CONFIG": "total", "request.timeout.ms": "total",
                   "DELIVERY_TIMEOUT_MS_CONFIG": "total", "delivery.timeout.ms": "total",
                   "MAX_BLOCK_MS_CONFIG": "total", "max.block.ms": "total",
                   "DEFAULT_API_TIMEOUT_MS_CONFIG": "total", "default.api.timeout.ms": "total",
                   "SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG": "connect",
                   "socket.connection.setup.timeout.ms": "connect"}


def _kafka_timeout_key(node: ts.Node) -> str | None:
    """``props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms)`` / ``props.put("request.timeout.ms", ms)``; also
    under a prefix (``props.put(DOMAIN_PRODUCER + "." + ProducerConfig.MAX_BLOCK_MS_CONFIG, ms)``, round 16)."""
    while node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "+":
        node = node.child_by_field_name("right")
    if node.type == "string_literal":
        return _KAFKA_TIMEOUTS.get(string_of(node) or "")
    text = ts.text(node)
    if node.type == "field_access" and text.split(".")[0].endswith(("Config", "Configs")):
        return _KAFKA_TIMEOUTS.get(text.rsplit(".", 1)[-1])
    if node.type == "identifier" and text.endswith("_MS_CONFIG"):
        return _KAFKA_TIMEOUTS.get(text)  # statically imported: `props.put(REQUEST_TIMEOUT_MS_CONFIG, 10_000)`
    return None


# Round 16: settings maps filled under constant keys (`props.put(KEY, v)`, Hadoop's `conf.setInt(KEY, v)`).
_CONF_PUTS = ("put", "putIfAbsent", "setProperty", "setInt", "setLong")
_CONF_RECEIVER = re.compile(r"conf|prop|setting|option|param", re.IGNORECASE)
# an UPPER_SNAKE constant naming a call's timeout (`HTTP_REQUEST_TIMEOUT`, `JAVAX_JDO_DATASTORETIMEOUT`, `X_TIMEOUT_MS`)
_CONF_TIMEOUT_CONSTANT = re.compile(r"[A-Z0-9_]*TIMEOUT(_MS|_MILLIS|_SECONDS|_SECS|_SEC)?")
_NOT_CALL_CONSTANT = re.compile(r"SESSION|IDLE|KEEPALIVE|KEEP_ALIVE|LEASE|TTL|EXPIR|SHUTDOWN|CLOSE|LOCK|POLL|STOP"
                                r"|HEARTBEAT|LINGER|CACHE|_MS_CONFIG$")


def client_settings_put(node: ts.Node) -> bool:
    """``node`` (a ``put``/``setInt``...) fills a client's settings map: its receiver is named or declared as
    properties/config/settings, and the map is neither stored in another collection nor filled only when present."""
    receiver = node.child_by_field_name("object")
    if receiver is None or receiver.type not in ("identifier", "field_access"):
        return False
    typed = declared_type(node, ts.text(receiver)) if receiver.type == "identifier" else None
    if not (_CONF_RECEIVER.search(ts.text(receiver)) or (typed and _CONF_RECEIVER.search(typed))):
        return False
    return not (settings_record(node) or only_if_present(node) or kept_in_method_r17(node))


_LOGGER_R17 = re.compile(r"(?i)^(?:log|logger|_log|_logger)$")


def kept_in_method_r17(node: ts.Node) -> bool:
    """Round 17 (notifications-backend): the map a ``put`` fills is a local of the method that never leaves it
    (``Map<String, Object> config = new TreeMap<>(); config.put(RETRY_MAX_ATTEMPTS, getMaxRetryAttempts()); ..
    config.forEach((k, v) -> Log.infof("%s=%s", k, v));``): not returned, stored, handed to a call other than a
    logger's, nor captured by a lambda that does: a settings listing to log, no client's configuration."""
    receiver = node.child_by_field_name("object")
    method = enclosing(node, ("method_declaration", "constructor_declaration"))
    if receiver is None or receiver.type != "identifier" or method is None:
        return False
    name = ts.text(receiver)
    declared = False
    for use in ts.walk(method):
        if use.type != "identifier" or ts.text(use) != name or use.parent is None:
            continue
        parent = use.parent
        if parent.type == "method_invocation" and parent.child_by_field_name("object") == use:
            if ts.text(parent.child_by_field_name("name")) not in ("put", "putAll", "putIfAbsent", "forEach",
                                                                    "entrySet", "keySet", "values", "size"):
                return False
            continue
        if parent.type == "variable_declarator" and parent.child_by_field_name("name") == use:
            declared = declared or (parent.parent is not None and parent.parent.type == "local_variable_declaration")
            continue
        if parent.type == "argument_list" and parent.parent is not None and parent.parent.type == "method_invocation":
            logger = parent.parent.child_by_field_name("object")
            if logger is not None and _LOGGER_R17.match(ts.text(logger)):
                continue
        return False  # returned, assigned, stored, handed on
    return declared


def only_if_present(node: ts.Node) -> bool:
    """A put inside ``optional.ifPresent(d -> props.put(KEY, ..))``: set only when the operator configures it (the
    Java sets do not count these, polaris' S3 client properties)."""
    lam = enclosing(node, ("lambda_expression", "method_declaration", "constructor_declaration"))
    if lam is None or lam.type != "lambda_expression" or lam.parent is None or lam.parent.parent is None:
        return False
    call = lam.parent.parent
    return call.type == "method_invocation" and ts.text(call.child_by_field_name("name")) in ("ifPresent",
                                                                                            "ifPresentOrElse")


def settings_record(node: ts.Node) -> bool:
    """The map a ``put`` fills is itself stored in another collection in the same method (``propertiesMap.put(
    REST_TIMEOUT, env.getProperty(..)); mapBuilder.put(serviceName, propertiesMap)``): a record of settings the
    project reads later, not a client's configuration (mosip's RestRequestBuilder)."""
    receiver = node.child_by_field_name("object")
    method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
    if receiver is None or receiver.type != "identifier" or method is None:
        return False
    name = ts.text(receiver)
    for call in ts.walk(method):
        if call.type == "method_invocation" and call is not node \
                and ts.text(call.child_by_field_name("name")) in ("put", "add", "putIfAbsent", "computeIfAbsent") \
                and any(a.type == "identifier" and ts.text(a) == name for a in arguments(call)):
            return True
    return False


def _conf_constant_timeout(jf: JavaFile, node: ts.Node, key: ts.Node) -> tuple[str, float] | None:
    """(phase, ms per unit) of a constant key naming a timeout put into a settings map (a receiver named or declared
    as properties/config/settings); Kafka's own ``*_MS_CONFIG`` keys are `_kafka_timeout_key`'s."""
    if key.type not in ("identifier", "field_access"):
        return None
    name = ts.text(key).rsplit(".", 1)[-1]
    if not _CONF_TIMEOUT_CONSTANT.fullmatch(name) or _NOT_CALL_CONSTANT.search(name) or not client_settings_put(node):
        return None
    phase = "connect" if "CONNECT" in name else "read" if re.search(r"READ|SOCKET", name) else "total"
    return phase, 1000.0 if re.search(r"_SEC(ONDS|S)?$", name) else 1.0


# JDBC drivers' connection properties (PostgreSQL's in seconds, MySQL's in ms): the socket read and connect limits.
_JDBC_DRIVER_KEYS = {"socketTimeout": "read", "connectTimeout": "connect", "loginTimeout": "connect"}


def _jdbc_driver_key(jf: JavaFile, node: ts.Node, args) -> tuple[str, float] | None:
    """Round 19 (web3signer): a JDBC driver's timeout property put into the data source's properties
    (``properties.put("dataSource." + PG_SOCKET_TIMEOUT_PARAM, DEFAULT_PG_SOCKET_TIMEOUT_SECONDS)`` with
    ``PG_SOCKET_TIMEOUT_PARAM = "socketTimeout"``): (phase, ms per unit): seconds for PostgreSQL (the file names it,
    or the value's name says seconds), ms otherwise (MySQL). The key is a literal or a constant of the file, also
    after a Hikari ``dataSource.`` prefix."""
    key = args[0]
    while key.type == "binary_expression" and ts.text(key.child_by_field_name("operator")) == "+":
        key = key.child_by_field_name("right")
    if key.type == "string_literal":
        text = string_of(key) or ""
    elif key.type in ("identifier", "field_access"):
        value = jf.symbols.get(ts.text(key).rsplit(".", 1)[-1]) if key.type == "identifier" else jf.symbols.get(ts.text(key))
        text = value.value if isinstance(value, Str) else ""
    else:
        return None
    phase = _JDBC_DRIVER_KEYS.get(text.removeprefix("dataSource."))
    if phase is None or not client_settings_put(node):
        return None
    seconds = re.search(rb"postgres|PGSimpleDataSource|PGProperty|\bPG_", jf.data) is not None \
        or re.search(r"(?i)sec(ond)?s?$", ts.text(args[1])) is not None
    return phase, 1000.0 if seconds else 1.0


# Spring MVC async results whose first constructor argument is the request timeout in ms, with the
# number of arguments that makes it one (WebAsyncTask(callable) has none).
_ASYNC_HANDLERS = {"DeferredResult": 1, "SseEmitter": 1, "WebAsyncTask": 2}


# Futures of local work: handed to an executor or CompletableFuture's own pool, or computed in this process.
_LOCAL_ASYNC = re.compile(r"(^|\.)(submit|supplyAsync|runAsync|schedule\w*|invokeAll|invokeAny|completedFuture|"
                          r"compute\w*|calculate\w*|thenApply\w*|thenCompose\w*|thenCombine\w*)$|executor|pool|scheduler",
                          re.IGNORECASE)

_JAXRS_TIMEOUT = re.compile(r"(\w+\.)*ClientProperties\.(CONNECT_TIMEOUT|READ_TIMEOUT)|"
                            r'"jersey\.config\.client\.(connectTimeout|readTimeout)"')

# Starting or stopping the service's own server or runtime (a future waited on at startup/shutdown, not a call).
_OWN_SERVER = re.compile(r"\.listen\(|^(\w*server|vertx)\.(close|shutdown\w*|stop|undeploy\w*)\("
                         # round 19: FOLIO's `launcher.start(port).get(70, SECONDS)`, `vertx.deployVerticle(..)`: its own
                         # server's start-up
                         r"|\.deployVerticle\(|^\w*(launcher|server|verticle)\.start\(", re.IGNORECASE)

# A future that stands for a remote call, by its name or by the call that made it.
_REMOTE_FUTURE = re.compile(r"request|response|http|rpc|lease|endpoint|call|client|reply|connect|handshake", re.IGNORECASE)
_REMOTE_MAKER = re.compile(r"client|http|rest|web|stub|channel|api|gateway|proxy|sendAsync|execute|lease|exchange"
                           r"|\.(write|send|publish|query|fetch|request|invoke)\w*$|db$", re.IGNORECASE)


# A blocking request/response call of a remoting layer whose last argument is its wait for the answer
# (`remotingServer.sendMsgSync(channel, message, 3000)`, RocketMQ's `invokeSync(addr, request, 3000)`).
_SYNC_CALL = re.compile(r"(send|invoke|request|call|rpc)\w*Sync$", re.IGNORECASE)
_INT_LITERAL = ("decimal_integer_literal", "hex_integer_literal")
# Calls that send or invoke something remote; they count only with a timeout-named last argument.
_SEND_CALL = re.compile(r"^(send|invoke|request|call|rpc|publish)([A-Z]\w*)?$")
# Properties maps of a client library: a dotted key ending in a timeout name (Jakarta Mail's
# `mail.smtp.timeout` / `mail.smtp.connectiontimeout`, `sun.net.client.defaultReadTimeout`).
_PROPERTY_TIMEOUT = re.compile(r"(?:[.-](?:default)?|\.\w+_)(timeout|connectiontimeout|connecttimeout|readtimeout"
                               r"|sockettimeout)(?:\.period|\.ms|ms)?$", re.IGNORECASE)
# Property keys whose "timeout" is not a wait on a call: sessions, idle connections, leases, keep-alives.
_NOT_CALL_PROPERTY = re.compile(r"session|idle|keepalive|keep-alive|lease|ttl|expir"
                                # round 16: the legacy Kafka consumer's wait for the next message (a poll, not a call)
                                r"|^consumer\.timeout\.ms$", re.IGNORECASE)


# Round 14: camelCase timeout keys of a JSON client config (Vert.x Mongo/JDBC/Redis clients take a JsonObject).
_JSON_TIMEOUT_KEY = re.compile(r"(connect|connection|socket|read|serverSelection|request|query|wait)?Timeout(MS|Ms|Millis)?")
_JSON_CONFIG_RECEIVER = re.compile(r"config|options|json|settings", re.IGNORECASE)


def _json_config_timeout(node: ts.Node) -> bool:
    """``configJson.put("connectTimeoutMS", 10000)``: a camelCase timeout key put into a config object."""
    receiver = node.child_by_field_name("object")
    key = arguments(node)[0]
    if receiver is None or key.type != "string_literal" or not _JSON_CONFIG_RECEIVER.search(ts.text(receiver)):
        return False
    text = string_of(key) or ""
    return bool(_JSON_TIMEOUT_KEY.fullmatch(text)) and not _NOT_CALL_PROPERTY.search(text)


def _health_check_timeout(node: ts.Node) -> bool:
    """``readinessHandler.register("sql", Duration.ofSeconds(10).toMillis(), p -> ..)`` on a Vert.x health-check
    handler (the receiver named for health/readiness/liveness): name, timeout in ms, procedure."""
    args = arguments(node)
    receiver = node.child_by_field_name("object")
    return len(args) == 3 and receiver is not None and args[0].type == "string_literal" \
        and args[2].type in ("lambda_expression", "method_reference") \
        and bool(re.search(r"health|readiness|liveness", ts.text(receiver), re.IGNORECASE))


def _optional_source(value: ts.Node) -> ts.Node | None:
    """``Optional.ofNullable(getConnectTimeout()).ifPresent(timeout -> x.put(.., timeout))``: for the lambda's
    parameter, the expression the Optional wraps."""
    if value.type != "identifier":
        return None
    lam = value.parent
    while lam is not None and lam.type != "lambda_expression":
        lam = lam.parent
    if lam is None:
        return None
    params = lam.child_by_field_name("parameters")
    if params is None or ts.text(params).strip("() ") != ts.text(value):
        return None
    call = lam.parent.parent if lam.parent is not None else None  # argument_list -> method_invocation
    if call is None or call.type != "method_invocation" or ts.text(call.child_by_field_name("name")) != "ifPresent":
        return None
    optional = call.child_by_field_name("object")
    if optional is None or optional.type != "method_invocation" \
            or ts.text(optional.child_by_field_name("name")) not in ("ofNullable", "of") or len(arguments(optional)) != 1:
        return None
    return arguments(optional)[0]


def _property_timeout(key: ts.Node) -> str | None:
    """The phase of a properties key (a string, or a concatenation ending in a string) naming a timeout."""
    parts: list[str] = []
    stack = [key]
    while stack:  # `MAIL_PROP + protocol + ".timeout"` -> "xx.timeout" (names stand for unknown text)
        node = stack.pop()
        if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "+":
            stack.extend([node.child_by_field_name("right"), node.child_by_field_name("left")])
        else:
            parts.append(string_of(node) if node.type == "string_literal" else "x")
    text = "".join(p or "" for p in parts)
    if key.type != "string_literal" and not (key.type == "binary_expression" and "." in text):
        return None
    m = _PROPERTY_TIMEOUT.search(text)
    if m is None or _NOT_CALL_PROPERTY.search(text) or text in _KAFKA_TIMEOUTS:
        return None  # Kafka's own keys are read with their phase by `_kafka_timeout_key`
    word = text.lower()  # `com.sun.jndi.ldap.connect.timeout`, `mail.smtp.connectiontimeout`
    return "connect" if "connect" in word.rsplit(".", 2)[-2] + m.group(1).lower() \
        or "connect_" in word.rsplit(".", 1)[-1] else "read"  # round 16: `transport.tcp.connect_timeout`


def _sync_call(jf: JavaFile, site) -> None:
    """The wait a synchronous remote call is given: a number, or a constant/field named for a
    timeout, as its last argument (with a TimeUnit after it, the two). A timeout that is a parameter
    of the method around the call is passed through (a wrapper), and counted where it is chosen."""
    args = arguments(site.node)
    if len(args) < 2:
        return
    value_args = args[-2:] if unit_of(args[-1]) is not None else args[-1:]
    last = value_args[0]
    if last.type in ("identifier", "field_access"):
        name = ts.text(last).rsplit(".", 1)[-1]
        if not re.search(r"timeout", name, re.IGNORECASE) or _is_parameter(site.node, name):
            return
    elif last.type == "method_invocation":
        if arguments(last) or not re.fullmatch(r"get\w*Timeout\w*", ts.text(last.child_by_field_name("name"))):
            return  # `mailService.send(.., mailSender, config.getTimeout())`: a configured wait handed over
    elif last.type not in _INT_LITERAL or not _SYNC_CALL.match(site.name):
        return
    value = timeout_value(value_args)
    if value is None:
        return
    expr, scale, source = value
    if len(value_args) == 1 and last.type != "method_invocation":
        scale = _unit_of_name(ts.text(last).rsplit(".", 1)[-1]) or scale  # `maxRequestTimeoutNs`
    jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", expr, scale, source,
                    jf.evidence(site.name_node), zero_disables=False)


def _unit_of_name(name: str) -> float | None:
    """ms per unit a timeout's name says: ``...Ns``/``Nanos`` 1e-6, ``...Ms``/``Millis`` 1, ``...Sec(onds)`` 1000."""
    m = re.search(r"(?:_|(?<=[a-z]))(ns|nanos|ms|millis|sec|secs|seconds|inseconds|inmillis)$", name, re.IGNORECASE)
    if m is None:
        return None
    suffix = m.group(1).lower()
    return 0.000001 if suffix in ("ns", "nanos") else 1.0 if suffix in ("ms", "millis", "inmillis") else 1000.0


# A project's HTTP helper called with the timeouts it should use
# (`OkHttpUtils.post(url, headers, null, body, timeout, timeout, timeout)`).
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "doGet", "doPost", "doPut", "doDelete", "execute",
               "request", "exchange"}
_HTTP_HELPER = re.compile(r"^[A-Z]\w*(Http|Rest|Web)\w*(Utils?|Helper|Tool|Tools|Client)$")


def _http_helper(node: ts.Node) -> bool:
    receiver = node.child_by_field_name("object")
    return receiver is not None and receiver.type == "identifier" and bool(_HTTP_HELPER.match(ts.text(receiver)))


def _timeout_named(arg: ts.Node, call: ts.Node) -> bool:
    """An argument that names a timeout: a field or constant (not a parameter passed through), or a getter."""
    if arg.type in ("identifier", "field_access"):
        name = ts.text(arg).rsplit(".", 1)[-1]
        return bool(re.search(r"timeout", name, re.IGNORECASE)) and not _is_parameter(call, name)
    if arg.type == "method_invocation" and not arguments(arg):
        return bool(re.fullmatch(r"get\w*Timeout\w*", ts.text(arg.child_by_field_name("name"))))
    return False


def _helper_timeout(jf: JavaFile, site) -> None:
    """One finding per helper call: the first timeout-named argument (the helper's own settings apply them)."""
    arg = next((a for a in arguments(site.node) if _timeout_named(a, site.node)), None)
    if arg is None:
        return
    jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", expr_of(arg), 1.0, ts.text(arg),
                    jf.evidence(site.name_node), zero_disables=False)


def _is_parameter(node: ts.Node, name: str) -> bool:
    method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is None:
        return False
    if params.type == "identifier":
        return ts.text(params) == name
    return any(ts.text(p.child_by_field_name("name") or p) == name for p in params.named_children)


def _socket_connect(jf: JavaFile, site) -> None:
    """``socket.connect(address, SOCKET_CONNECT_TIMEOUT)``: java.net.Socket's connect timeout (ms)."""
    args = arguments(site.node)
    receiver = site.node.child_by_field_name("object")
    if len(args) != 2 or receiver is None or "socket" not in ts.text(receiver).lower():
        return
    jf.sink.timeout(name_location(site.node, site.name_node), ID, "connect", expr_of(args[1]), 1.0, ts.text(args[1]),
                    jf.evidence(site.name_node), extra={"library": "java.net"})


# Socket write bounds (phase write): OkHttp `writeTimeout(10, SECONDS)`, Jetty/Vert.x style `setWriteTimeout(ms)`.
# Java only: the Kotlin extractor shares TIMEOUT_SETTERS and keeps its own label conventions.
_WRITE_SETTERS = {"writeTimeout": "write", "setWriteTimeout": "write"}


def _cxf_client_policy(jf: JavaFile, node) -> bool:
    """The receiver is an Apache CXF ``HTTPClientPolicy`` (declared so, made with ``new HTTPClientPolicy()``, or
    the file imports CXF's transports and the receiver is named for a client policy)."""
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    text = ts.text(receiver)
    if "HTTPClientPolicy" in text or re.search(r"HTTPClientPolicy", declared_type(node, text) or ""):
        return True
    return b"org.apache.cxf" in jf.data and re.search(r"(client|http)Policy$", text, re.IGNORECASE) is not None
# round 12: the Aliyun (Alibaba Cloud) core SDK's request limits, `CommonRequest.setSysConnectTimeout(ms)` /
# `setSysReadTimeout(ms)` (SMS, voice and other Aliyun API calls), in ms.
_ALIYUN_SETTERS = {"setSysConnectTimeout": "connect", "setSysReadTimeout": "read",
                   # the Elasticsearch low-level RestClientBuilder (6.x): a request's limit across its own retries
                   "setMaxRetryTimeoutMillis": "total"}


def _round19_setter(jf: JavaFile, node: ts.Node, name: str) -> str | None:
    """Round 19 (zowe-api-layer, educ-grad-student-api), Java only:

    * ``properties.setConnectRequestTimeout(180000)``: Spring Cloud Netflix's ``RestTemplateTimeoutProperties`` for
      the Eureka client (waiting for a pooled connection, as Apache's ``setConnectionRequestTimeout``; ms);
    * ``container.setAsyncSendTimeout(ms)`` on a Jakarta/Tomcat WebSocket client container (``WsWebSocketContainer``,
      ``ContainerProvider.getWebSocketContainer()``): a send's write limit; not a server container's;
    * Reactor Netty's ``HttpClient.create().resolver(spec -> spec.queryTimeout(Duration.ofMillis(200)))``: each DNS
      query's limit (connect);
    * a Vert.x ``HttpClientRequest``'s ``request.idleTimeout(ms)`` (read)."""
    receiver = node.child_by_field_name("object")
    if name == "setConnectRequestTimeout":
        return "connect"
    if name == "setAsyncSendTimeout" and receiver is not None and receiver.type == "identifier":
        initializer = local_initializer(receiver)
        typed = (declared_type(node, ts.text(receiver)) or "") + " " + (ts.text(initializer) if initializer is not None else "")
        if re.search(r"WebSocketContainer", typed) and "Server" not in typed:
            return "write"
        return None
    if name == "idleTimeout" and receiver is not None and re.search(r"(?i)req(uest)?$", ts.text(receiver)) \
            and re.search(rb"import\s+io\.vertx\.core\.http\.", jf.data):
        # a Vert.x client request's `request.idleTimeout(ms)` (web3signer's VertxRequestTransmitter): the request fails
        # when no data arrives for that long (read)
        return "read"
    if name == "queryTimeout":
        lam = enclosing(node, ("lambda_expression", "method_declaration"))
        call = lam.parent.parent if lam is not None and lam.type == "lambda_expression" and lam.parent is not None \
            else None
        if call is not None and call.type == "method_invocation" and ts.text(call.child_by_field_name("name")) == "resolver":
            return "connect"
    return None


def _accepted_socket(node: ts.Node) -> bool:
    """``socket.setSoTimeout(..)`` on a socket a server accepted (``Socket s = serverSocket.accept()``, also a
    try-with-resources): the read limit of a connection made to this service, not of its own call."""
    receiver = node.child_by_field_name("object")
    if receiver is None or receiver.type != "identifier":
        return False
    name = ts.text(receiver)
    method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
    for n in ts.walk(method) if method is not None else ():
        if n.type in ("variable_declarator", "resource") and ts.text(n.child_by_field_name("name")) == name:
            value = n.child_by_field_name("value")
            if value is not None and value.type == "method_invocation" and \
                    ts.text(value.child_by_field_name("name")) == "accept":
                return True
    return False


_AKKA_PATTERNS = re.compile(r"^(akka\.pattern\.|org\.apache\.pekko\.pattern\.)?(Patterns|PatternsCS|AskPattern)$")


def _akka_ask(jf: JavaFile, site) -> bool:
    """Akka/Pekko's ask: ``Patterns.ask(actor, message, Duration.ofMillis(5000))`` (also a ``Timeout``, a
    ``new Timeout(5, SECONDS)`` or a number of ms) and typed ``AskPattern.ask(actor, replyTo -> .., Duration,
    scheduler)``: the reply must come within that time (phase total, library akka)."""
    node = site.node
    receiver = node.child_by_field_name("object")
    args = arguments(node)
    if receiver is None or not _AKKA_PATTERNS.match(ts.text(receiver)) or len(args) < 3:
        return False
    if _local_actor(jf, args[0]):
        return True  # round 20: an ask of an actor of this JVM (sunbird's `Patterns.ask(actorRef, request, t)`): local work
    limit = args[2]
    if limit.type == "object_creation_expression" and ts.text(limit.child_by_field_name("type")).endswith("Timeout"):
        value = timeout_value(arguments(limit))
    elif limit.type == "method_invocation" and ts.text(limit.child_by_field_name("object")).endswith("Timeout") \
            and ts.text(limit.child_by_field_name("name")) in ("create", "apply", "durationToTimeout"):
        value = timeout_value(arguments(limit))
    else:
        value = timeout_value([limit])
    if value is None:
        return False
    jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                    jf.evidence(site.name_node), extra={"library": "akka"}, zero_disables=False)
    return True


# Round 20: what says an ask goes to another node: an ActorSelection (remote actors are looked up by path) or a
# remote actor path in the file (`akka://%s@%s/user/%s`, `akka.tcp://`, `pekko://`).
_REMOTE_ACTOR = re.compile(r"ActorSelection|actorSelection\(|\b(akka(\.tcp)?|pekko)://")


def _local_actor(jf: JavaFile, actor: ts.Node) -> bool:
    """Round 20 (sunbird-userorg-service): ``Patterns.ask(actorRef, request, t)`` on an ``ActorRef`` in a file that
    never looks an actor up by path: an actor of this process (a Guice/Play-injected actor), the ask bounds local
    work, not a call. PowerJob's ``Patterns.ask(actorSelection, ..)`` (an ``ActorSelection`` of a remote path) stays."""
    if _REMOTE_ACTOR.search(ts.text(actor)):
        return False
    declared = declared_type(actor, ts.text(actor), raw=True) if actor.type == "identifier" else None
    if declared is not None and "ActorSelection" in declared:
        return False
    return not _REMOTE_ACTOR.search(jf.data.decode("utf-8", "replace"))


def _akka_await(jf: JavaFile, site) -> bool:
    """Round 20 (sunbird-userorg-service): Scala's ``Await.result(future, timeout.duration())`` from Java, on a
    future that is no ask of a local actor (``ElasticSearchHelper.getResponseFromFuture``: ``Await.result(future,
    timeout.duration())`` with ``static Timeout timeout = new Timeout(5, TimeUnit.SECONDS)``, the futures of
    Elasticsearch calls): how long the caller waits for the answer (phase total). The bound is an Akka ``Timeout``'s
    ``duration()``, a ``Duration.create(n, unit)`` / ``FiniteDuration.apply(n, unit)``, local or a field of the file."""
    node = site.node
    receiver = node.child_by_field_name("object")
    args = arguments(node)
    if receiver is None or ts.text(receiver) != "Await" or len(args) != 2 \
            or not (b"scala.concurrent" in jf.data or b"akka." in jf.data):
        return False
    awaited = args[0]
    if awaited.type == "identifier":
        made = local_initializer(awaited)
        if made is not None and re.search(r"\b(Patterns|PatternsCS|AskPattern)\s*\.\s*ask\s*\(|\bask\s*\(",
                                          ts.text(made)):
            return True  # waiting for a local actor's reply: local work
    value = _scala_duration(args[1])
    if value is None:
        return False
    jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                    jf.evidence(site.name_node), extra={"library": "scala-await"}, zero_disables=False)
    return True


def _scala_duration(node: ts.Node, depth: int = 0):
    """(amount, ms per unit, text) of ``timeout.duration()`` (an Akka ``Timeout`` built ``new Timeout(5,
    TimeUnit.SECONDS)``), ``Duration.create(5, TimeUnit.SECONDS)``, ``FiniteDuration.apply(..)``, or of a local / a
    field of the file holding one."""
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) == "duration" \
            and not arguments(node) and node.child_by_field_name("object") is not None and depth < 3:
        return _scala_duration(node.child_by_field_name("object"), depth + 1)
    if node.type == "object_creation_expression" and ts.text(node.child_by_field_name("type")).endswith(
            ("Timeout", "FiniteDuration")):
        return timeout_value(arguments(node))
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) in ("create", "apply") \
            and ts.text(node.child_by_field_name("object") or node).endswith(("Duration", "Timeout")):
        args = arguments(node)
        if len(args) == 1 and args[0].type == "object_creation_expression":
            return _scala_duration(args[0], depth + 1)  # `Timeout.create(Duration.ofSeconds(5))`
        return timeout_value(args)
    if node.type == "identifier" and depth < 3:
        made = local_initializer(node)
        if made is not None:
            return _scala_duration(made, depth + 1)
        cls = next((a for a in ts.ancestors(node) if a.type == "class_body"), None)
        for member in (cls.named_children if cls is not None else ()):
            if member.type != "field_declaration":
                continue  # a field of the class (not another method's local of the same name)
            for declarator in (d for d in member.named_children if d.type == "variable_declarator"):
                value = declarator.child_by_field_name("value")
                if ts.text(declarator.child_by_field_name("name")) == ts.text(node) and value is not None:
                    return _scala_duration(value, depth + 1)
    return None


# Round 16: Elasticsearch's Java clients: `client.prepareSearch(..).execute().actionGet(esCallTimeout)`, a request
# builder's `.get(TimeValue)`: how long the caller waits for the cluster's answer (TimeValue, ms, or an amount and unit).
_ES_TIME_VALUE = {"timeValueMillis": 1.0, "timeValueSeconds": 1000.0, "timeValueMinutes": 60000.0,
                  "timeValueHours": 3600000.0, "timeValueNanos": 1e-6}


def _es_time_value(node: ts.Node, depth: int = 0) -> tuple[Expr, float] | None:
    """(amount, ms per unit) of a TimeValue expression: ``TimeValue.timeValueSeconds(30)``, ``new TimeValue(30000)``,
    a local or a field set once to one (also in a constructor); an Unknown amount when only the type is known."""
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) in _ES_TIME_VALUE \
            and len(arguments(node)) == 1:
        return expr_of(arguments(node)[0]), _ES_TIME_VALUE[ts.text(node.child_by_field_name("name"))]
    if node.type == "object_creation_expression" and ts.text(node.child_by_field_name("type")) == "TimeValue":
        args = arguments(node)
        if len(args) == 1:
            return expr_of(args[0]), 1.0
        if len(args) == 2 and unit_of(args[1]) is not None:
            return expr_of(args[0]), unit_of(args[1])
        return None
    if depth < 2 and node.type in ("identifier", "field_access"):
        name = ts.text(node).removeprefix("this.")
        initializer = local_initializer(node) if node.type == "identifier" else None
        if initializer is not None:
            return _es_time_value(initializer, depth + 1)
        root = node
        while root.parent is not None:
            root = root.parent
        for assigned in _assignments_to(root, name):
            found = _es_time_value(assigned, depth + 1)
            if found is not None:
                return found
        if re.search(r"\bTimeValue\s+" + re.escape(name) + r"\b", ts.text(root)):
            return Unknown(name), 1.0
    return None


def _assignments_to(root: ts.Node, name: str) -> list:
    """The right-hand sides assigned to a field or variable of that name in the file (declarations included)."""
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            if left is not None and ts.text(left).removeprefix("this.") == name:
                out.append(node.child_by_field_name("right"))
        elif node.type == "variable_declarator":
            if ts.text(node.child_by_field_name("name")) == name and node.child_by_field_name("value") is not None:
                out.append(node.child_by_field_name("value"))
        stack.extend(node.children)
    return out


def _es_wait(jf: JavaFile, site) -> bool:
    node = site.node
    args = arguments(node)
    if site.name == "get" and not (len(args) == 1 and re.search(r"\.prepare[A-Z]\w*\(", ts.text(node))):
        return False
    if site.name == "actionGet" and not (b"org.elasticsearch" in jf.data or b"opensearch" in jf.data):
        return False
    if len(args) == 2 and unit_of(args[1]) is not None:
        value = (expr_of(args[0]), unit_of(args[1]))
    elif len(args) == 1:
        value = _es_time_value(args[0])
        if value is None and site.name == "actionGet" and args[0].type in ("decimal_integer_literal", "identifier"):
            value = (expr_of(args[0]), 1.0)  # `actionGet(long timeoutMillis)`
    else:
        return False
    if value is None:
        return False
    jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], ts.text(args[0]),
                    jf.evidence(site.name_node), extra={"library": "elasticsearch"}, zero_disables=False)
    return True


def _future_wait(jf: JavaFile, site) -> None:
    """``responseFuture.get(30, TimeUnit.SECONDS)``: waiting at most that long for a remote call's
    result (phase total). Futures of local work (``CompletableFuture.supplyAsync(this::compute)``)
    are not limits on a call, unless the wait is a setting named as a timeout (a job handler's
    ``executorTimeout``)."""
    node = site.node
    args = arguments(node)
    if site.name == "completeOnTimeout":
        args = args[1:]  # `future.completeOnTimeout(fallback, 5, SECONDS)`: the value given when the time is up
    receiver = node.child_by_field_name("object")
    if len(args) != 2 or unit_of(args[1]) is None or receiver is None:
        return
    if _SHUTDOWN_WAIT.search(ts.text(args[0])) or (receiver.type == "method_invocation" and _SHUTDOWN_WAIT.search(
            ts.text(receiver.child_by_field_name("name")))):
        return  # round 10: `producer.closeAsync().orTimeout(..)`, `future.get(config.getChannelShutdownTimeout(), ..)`:
        # how long shutting down may take, not a bound on a call
    if receiver.type == "method_invocation":
        # `producer.send(record).get(10, SECONDS)`, `admin.describeCluster().clusterId().get(1, SECONDS)`,
        # `configService.getClusterState(app).get(10, SECONDS)`: the future of a call, waited on where it is made;
        # not the future of work handed to a local executor (`executor.submit(task).get(..)`, `supplyAsync`).
        if _LOCAL_ASYNC.search(ts.text(receiver).split("(", 1)[0]) or _LOCAL_ASYNC.search(_root_type(receiver)):
            return
        if _OWN_SERVER.search(re.sub(r"\s+", "", ts.text(receiver))):
            return  # `httpServer.close()...get(5, SECONDS)`, `vertx.close()`, `..listen()`: starting/stopping its own server
        if _own_server_closed(receiver):
            return
        value = timeout_value(args)
        if value is not None:
            jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                            jf.evidence(site.name_node), extra={"library": "future"})
        return
    if receiver.type == "field_access" and receiver.child_by_field_name("field") is not None:
        # round 11: `session.connectFuture.orTimeout(RESPONSE_TIMEOUT_MILLIS - 1000, MILLISECONDS)`: a future another
        # object keeps, remote by its name
        field = ts.text(receiver.child_by_field_name("field")).lower()
        if re.search(r"future|promise", field) and _REMOTE_FUTURE.search(re.sub(r"future|promise", "", field)):
            value = timeout_value(args)
            if value is not None:
                jf.sink.timeout(name_location(node, site.name_node), ID, "total", value[0], value[1], value[2],
                                jf.evidence(site.name_node), extra={"library": "future"})
        return
    if receiver.type != "identifier":
        return
    name = ts.text(receiver)
    typed_future = bool(re.search(r"(Future|Promise)\b", _declared_type_text(node, name)))
    if "future" not in name.lower() and not name.lower().endswith(("promise", "task")) and not typed_future:
        return  # `KafkaFuture<String> maybeClusterId = admin.describeCluster().clusterId()` is one by its type
    maker = _declared_value(node, name)
    named_limit = "timeout" in ts.text(args[0]).lower()
    if named_limit and _local_work(jf, maker):
        return  # `Future<Object> f = executor.submit(() -> evaluateExpression(..)); f.get(cfg.evaluationTimeout(), ..)`
    if maker is not None and maker.type == "method_invocation" and ts.text(maker.child_by_field_name("name")) == "get" \
            and _all_submitted_local(jf):
        return  # round 19: `Future<LoadResult> future = futures.get(i); future.get(config.taskTimeoutSeconds(), ..)`
        # over the file's `executor.submit(() -> processFile(..))` tasks (web3signer's key loading): local work
    if named_limit:
        pass  # `futureTask.get(trigger.getExecutorTimeout(), SECONDS)`: a configured limit on the task, by its name
    elif maker is not None and maker.type == "object_creation_expression":
        if not _completed_by_call(jf, node, name):
            return
    elif maker is not None:
        if maker.type != "method_invocation" or not (_REMOTE_MAKER.search(ts.text(maker).split("(", 1)[0])
                                                     or _REMOTE_MAKER.search(_root_type(maker))
                                                     or _submitted_client_task(maker)):
            return
    elif not _REMOTE_FUTURE.search(name.lower().replace("future", "")) and not _future_parameter(node, name) \
            and not _fed_remote_futures(jf, node, name):
        return
    value = timeout_value(args)
    if value is None:
        return
    expr, scale, source = value
    jf.sink.timeout(name_location(node, site.name_node), ID, "total", expr, scale, source,
                    jf.evidence(site.name_node), extra={"library": "future"})


def _submitted_client_task(maker: ts.Node) -> bool:
    """Round 20 (ab2d): ``KinesisEventProcessor processor = new KinesisEventProcessor(event, client, streamId);
    Future<Void> future = ex.submit(processor); future.get(10, TimeUnit.SECONDS)``: a task handed to an executor that
    is built with a client of another system (an argument named or typed like a client): its future is that call's."""
    if ts.text(maker.child_by_field_name("name")) not in ("submit", "supplyAsync", "runAsync"):
        return False
    for task in arguments(maker):
        made = local_initializer(task) if task.type == "identifier" else task
        if made is None or made.type != "object_creation_expression":
            continue
        for arg in arguments(made):
            name = ts.text(arg).rsplit(".", 1)[-1]
            typed = declared_type(arg, name) if arg.type == "identifier" else None
            if re.search(r"(client|stub)$", name, re.IGNORECASE) or (typed and re.search(r"(Client|Stub)$", typed)):
                return True
    return False


# Settings applied through a method reference, by name and phase (beyond TIMEOUT_SETTERS): the Google API client's
# RetrySettings (the whole call's budget, one RPC's limit).
_REFERENCE_SETTERS = {"setTotalTimeout": "total", "setLogicalTimeout": "total", "setInitialRpcTimeout": "per_try",
                      "setMaxRpcTimeout": "per_try",
                      # round 21 (heroic): the DataStax driver 3's `PoolingOptions.setPoolTimeoutMillis`, the wait for a
                      # pooled connection (as Hikari's and Agroal's acquire waits)
                      "setPoolTimeoutMillis": "connect"}
_REFERENCE_RETRIES = ("setMaxAttempts", "maxAttempts", "setMaxRetries", "maxRetries", "numRetries", "setNumRetries")
_SETTINGS_HOLDER = re.compile(r"(Builder|Options|Settings|Configuration|Config)$|builder|options|settings|client|retry",
                              re.IGNORECASE)


def _applied_references(jf: JavaFile) -> None:
    """Round 20 (second wave): a client option applied only when configured, through a method reference
    (``http.readTimeout().ifPresent(httpClient::socketTimeout)``, ``gcsConfig.maxAttempts().ifPresent(
    retry::setMaxAttempts)``, ``configureDuration(config.totalTimeout(), retrySettings::setTotalTimeout)``): the setting
    is there, its value unknown here (null), at the reference. Only on a builder, options, settings or client object
    (not ``dto::setTimeout``), and not a write or idle limit."""
    if b"::" not in jf.data:
        return
    for ref in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_reference"):
        parts = [c for c in ref.named_children]
        if len(parts) != 2 or parts[0].type != "identifier" or parts[1].type != "identifier" \
                or ref.parent is None or ref.parent.type != "argument_list":
            continue
        name, receiver = ts.text(parts[1]), ts.text(parts[0])
        phase = TIMEOUT_SETTERS.get(name) or _REFERENCE_SETTERS.get(name)
        retry = name in _REFERENCE_RETRIES
        if phase is None and not retry or phase == "deadline" or name in ("timeout", "waitForCompletion"):
            continue
        kind = declared_type(ref, receiver, raw=True) or ""
        if not (_SETTINGS_HOLDER.search(kind) or _SETTINGS_HOLDER.search(receiver)):
            continue
        loc = ts.location(ref)
        if retry:
            jf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                           "mechanism": "client_config", "library": None},
                        jf.evidence(ref), "medium")
        else:
            jf.sink.timeout(loc, ID, phase, Unknown(ts.text(ref)), 1.0, ts.text(ref), jf.evidence(ref),
                            zero_disables=False)


_DATASTAX_STATEMENT = re.compile(r"(Bound|Simple|Batch)?Statement(Builder)?$|^Statement<")


def _datastax_statement(jf: JavaFile, node: ts.Node) -> bool:
    """A call on a DataStax driver 4 statement or statement builder, in a file importing the driver."""
    if b"com.datastax.oss.driver" not in jf.data:
        return False
    text = re.sub(r"\s+", "", ts.text(chain_top(node)))
    if re.search(r"(boundStatementBuilder|SimpleStatement\.builder|SimpleStatement\.newInstance|BatchStatement\.builder"
                 r"|\.bind)\(", text):
        return True
    receiver = node.child_by_field_name("object")
    if receiver is not None and receiver.type == "identifier":
        return bool(_DATASTAX_STATEMENT.search(declared_type(node, ts.text(receiver), raw=True) or ""))
    return False


def _own_server_closed(receiver: ts.Node) -> bool:
    """Round 20 (second wave): ``app.close().toCompletionStage().toCompletableFuture().get(1, MINUTES)`` where ``app`` is
    declared as a server, Vert.x or application (cassandra-sidecar's ``close(Server app)``): the wait for its own
    shutdown."""
    node = receiver
    while node is not None and node.type == "method_invocation":
        inner = node.child_by_field_name("object")
        if ts.text(node.child_by_field_name("name")) in ("close", "stop", "shutdown", "undeploy") \
                and inner is not None and inner.type == "identifier":
            kind = declared_type(node, ts.text(inner)) or ""
            return bool(re.search(r"(Server|Vertx|Application|App)$", kind))
        node = inner
    return False


# A wait for the service's own shutdown: a limit named for it, or the future of a close/shutdown call.
_SHUTDOWN_WAIT = re.compile(r"shutdown|closeAsync|close[A-Z]\w*Timeout|closeTimeout|terminat", re.IGNORECASE)


def _local_work(jf: JavaFile, maker: ts.Node | None) -> bool:
    """``executor.submit(() -> evaluate(expr))`` / ``CompletableFuture.supplyAsync(this::compute)``: work handed to a
    local executor whose task makes no call that looks remote (no outbound call, no client/send/request/exchange..);
    waiting on it bounds a computation, not a call."""
    if maker is None or maker.type != "method_invocation" or not re.fullmatch(
            r"submit|supplyAsync|runAsync|schedule\w*", ts.text(maker.child_by_field_name("name"))):
        return False  # not `cache.computeIfAbsent(k, id -> supplyAsync(..))`: what the task does is further away
    tasks = [a for a in arguments(maker) if a.type in ("lambda_expression", "method_reference")]
    if not tasks:
        return False
    from extractors.java.detectors.outbound import outbound_sites
    for task in tasks:
        if task.type == "method_reference" and _REMOTE_MAKER.search("." + ts.text(task).rsplit("::", 1)[-1]):
            return False
        if any(jf.within(site.node, task) for site, _ in outbound_sites(jf)):
            return False
        if any(jf.within(site.node, task) and _REMOTE_MAKER.search("." + site.name) for site in jf.calls):
            return False
    return True


def _all_submitted_local(jf: JavaFile) -> bool:
    """The file hands work to an executor (``submit``/``supplyAsync``/``runAsync``) and every such task is local work
    (``_local_work``): a future the file takes from a collection is one of those."""
    makers = [site.node for site in jf.calls if site.name in ("submit", "supplyAsync", "runAsync")]
    return bool(makers) and all(_local_work(jf, m) for m in makers)


def _future_parameter(node: ts.Node, name: str) -> bool:
    """``static <T> T getValue(CompletableFuture<T> future) { return future.get(10, SECONDS); }``: a generic helper
    bounding the wait on whatever future its callers hand it (the futures of their calls)."""
    method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "lambda_expression")), None)
    if method is None or method.type != "method_declaration":
        return False
    # a generic await helper (`<T> T getValue(CompletableFuture<T> f)`): not the future of one local computation
    # (`void add(Future<Integer> sumFuture)`)
    generics = {ts.text(n) for n in ts.walk(method.child_by_field_name("type_parameters"))
                if n.type in ("type_identifier", "identifier")} if method.child_by_field_name("type_parameters") else set()
    params = method.child_by_field_name("parameters")
    for param in (params.named_children if params is not None else ()):
        if param.type == "formal_parameter" and ts.text(param.child_by_field_name("name")) == name:
            m = re.search(r"(?:Future|Promise)\s*<\s*(\w+)\s*>", ts.text(param.child_by_field_name("type")))
            return m is not None and m.group(1) in generics
    return False


def _fed_remote_futures(jf: JavaFile, node: ts.Node, name: str) -> bool:
    """``private void recordSendLog(CompletableFuture<Void> future, ..) { future.orTimeout(10, SECONDS)..}`` whose calls in
    the file hand it the future of a remote-sounding call (``recordSendLog(sendP2PAsync(req), "P2P")``)."""
    method = enclosing(node, ("method_declaration",))
    if method is None:
        return False
    params = method.child_by_field_name("parameters")
    names = [ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
             if p.type == "formal_parameter"]
    if name not in names:
        return False
    index, method_name = names.index(name), ts.text(method.child_by_field_name("name"))
    fed = False
    for site in jf.calls:
        if site.name != method_name or len(arguments(site.node)) != len(names):
            continue
        arg = arguments(site.node)[index]
        if arg.type == "method_invocation" and ts.text(arg.child_by_field_name("name")) in ("get", "orElseThrow") \
                and not arguments(arg) and arg.child_by_field_name("object") is not None \
                and arg.child_by_field_name("object").type == "identifier":
            # round 18: `waitFor(guid, notifyOptional.get())` with `val notifyOptional = this.notifySchool(..)`: the
            # Optional holds the future of the call that made it
            maker = local_initializer(arg.child_by_field_name("object"))
            arg = maker if maker is not None and maker.type == "method_invocation" else arg
            if arg is maker and _SENDS.search(ts.text(arg.child_by_field_name("name"))):
                fed = True
                continue
        if arg.type != "method_invocation" or not _REMOTE_MAKER.search("." + ts.text(arg.child_by_field_name("name"))):
            return False
        fed = True
    return fed


# A call that sends something out (its future completes when the other side answered)
_SENDS = re.compile(r"^(notify|send|publish|email|mail)\w*", re.IGNORECASE)


def _completed_by_call(jf: JavaFile, node: ts.Node, name: str) -> bool:
    """``CompletableFuture<Boolean> future = new CompletableFuture<>(); socket.send(data, port, host,
    result -> future.complete(..)); future.get(5, SECONDS)``: a future completed in the callback of a
    send/write/request call made before the wait in the same method (the wait is that call's limit)."""
    method = enclosing(node, ("method_declaration", "constructor_declaration"))
    if method is None:
        return False
    for other in jf.calls:
        if not (jf.within(other.node, method) and other.node.start_byte < node.start_byte):
            continue
        if other.name not in ("complete", "completeExceptionally") or \
                ts.text(other.node.child_by_field_name("object") or other.node) != name:
            continue
        lam = enclosing(other.node, ("lambda_expression",))
        call = lam.parent.parent if lam is not None and lam.parent is not None else None
        if call is not None and call.type == "method_invocation" and \
                _REMOTE_MAKER.search("." + ts.text(call.child_by_field_name("name"))):
            return True
    return False


def _root_type(call: ts.Node) -> str:
    """The declared type of the variable a call chain starts from (``admin`` in
    ``admin.describeCluster().clusterId()`` declared ``AdminClient admin``), or ""."""
    root = chain(call)[0]
    if root.type != "identifier":
        return ""
    return declared_type(call, ts.text(root)) or ""


def _declared_type_text(node: ts.Node, name: str) -> str:
    """The declared type of the local ``name`` in the method around ``node`` (generics kept), or ""."""
    method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "constructor_declaration",
                                                                 "lambda_expression")), None)
    for n in (ts.walk(method) if method is not None else ()):
        if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == name \
                and n.parent is not None and n.parent.type == "local_variable_declaration":
            return ts.text(n.parent.child_by_field_name("type"))
    # round 12: else a field of the class (`private final CompletableFuture<OidcClient> oidcClient;`)
    body = next((a for a in ts.ancestors(node) if a.type == "class_body"), None)
    for member in (body.named_children if body is not None else ()):
        if member.type == "field_declaration" and any(
                d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                for d in member.named_children):
            return ts.text(member.child_by_field_name("type"))
    return ""


def _declared_value(node: ts.Node, name: str) -> ts.Node | None:
    """The initial value of the local variable ``name`` in the method around ``node``."""
    method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "constructor_declaration",
                                                                 "lambda_expression")), None)
    if method is None:
        return None
    for n in ts.walk(method):
        if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == name:
            return n.child_by_field_name("value")
    return None


def _feign_options(jf: JavaFile, site, args) -> None:
    """``new Request.Options(connectMs, readMs)``, ``(5, SECONDS, 10, SECONDS, true)`` or ``(Duration, Duration, bool)``."""
    loc = ts.location(site.node)
    evidence = jf.evidence(site.node)
    pairs = []
    if len(args) >= 4 and unit_of(args[1]) is not None and unit_of(args[3]) is not None:
        pairs = [("connect", expr_of(args[0]), unit_of(args[1]), args[0]),
                 ("read", expr_of(args[2]), unit_of(args[3]), args[2])]
    elif len(args) >= 2:
        for phase, arg in (("connect", args[0]), ("read", args[1])):
            duration = duration_of(arg)
            if duration is not None:
                pairs.append((phase, duration[0], duration[1], arg))
            else:
                pairs.append((phase, expr_of(arg), 1.0, arg))
    for phase, expr, scale, arg in pairs:
        jf.sink.timeout(loc, ID, phase, expr, scale, ts.text(arg), evidence,
                        extra={"library": "feign"})


# JPA hints that limit a query or its lock wait -> ms per unit of their value.
QUERY_HINTS = {"javax.persistence.lock.timeout": 1.0, "jakarta.persistence.lock.timeout": 1.0,
               "javax.persistence.query.timeout": 1.0, "jakarta.persistence.query.timeout": 1.0,
               "org.hibernate.timeout": 1000.0}


def _lock_mode(value: ts.Node, text: str | None) -> bool:
    """A lock.timeout hint that names a mode, not a wait: "0" (NOWAIT: fail at once), a negative one (-2 skip locked
    rows, -1 wait forever), or Hibernate's ``LockOptions.SKIP_LOCKED``/``NO_WAIT``/``WAIT_FOREVER`` (as Kotlin)."""
    if text is not None:
        number = text.strip()
        return re.fullmatch(r"-?\d+", number) is not None and int(number) <= 0
    literal = ts.text(value).replace(" ", "")
    if re.fullmatch(r"-?\d+", literal):
        return int(literal) <= 0
    return literal.rsplit(".", 1)[-1] in ("SKIP_LOCKED", "NO_WAIT", "WAIT_FOREVER")


def _sibling_query_timeout(jf: JavaFile, hint: ts.Node) -> bool:
    """Another ``@QueryHint`` of the same ``@QueryHints({..})`` names the JPA query timeout."""
    group = hint.parent
    if group is None:
        return False
    for other in group.named_children:
        if other is hint or other.type != "annotation":
            continue
        key = _hint_key(jf, annotation_args(other).get("name"))
        if key in ("javax.persistence.query.timeout", "jakarta.persistence.query.timeout"):
            return True
    return False


def _hint_key(jf: JavaFile, key: ts.Node | None) -> str | None:
    """A JPA hint's name: a literal, or (round 22, wa-task-management-api) a constant of the file or class that holds
    it (`String LOCK_TIMEOUT_STR = "javax.persistence.lock.timeout"; .. @QueryHint(name = LOCK_TIMEOUT_STR, ..)`)."""
    if key is None:
        return None
    if key.type == "string_literal":
        return string_of(key)
    if key.type in ("identifier", "field_access"):
        text = ts.text(key)
        value = jf.symbols.get(text)
        if value is None:
            value = jf.symbols.get(text.rsplit(".", 1)[-1])
        return value.value if isinstance(value, Str) else None
    return None


def _query_hints(jf: JavaFile) -> None:
    for site in jf.annotations:
        if site.name != "QueryHint":
            continue
        args = annotation_args(site.node)
        key = _hint_key(jf, args.get("name"))
        value = args.get("value")
        if key not in QUERY_HINTS or value is None:
            continue
        text = string_of(value) if value.type == "string_literal" else None
        if key.endswith("lock.timeout") and _lock_mode(value, text):
            continue
        if key == "org.hibernate.timeout" and _sibling_query_timeout(jf, site.node):
            continue  # the same statement bound in Hibernate's own key beside the JPA one: one setting
        expr = parse_config_scalar(text) if text is not None else expr_of(value)
        jf.sink.timeout(ts.location(site.node), ID, "total", expr, QUERY_HINTS[key], ts.text(value),
                        jf.evidence(site.node), extra={"library": "jpa", "hint": key}, zero_disables=False)
    for site in jf.calls:
        args = arguments(site.node)
        if site.name != "setHint" or len(args) != 2:
            continue
        key = _hint_key(jf, args[0])
        if key not in QUERY_HINTS:
            continue
        jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", expr_of(args[1]), QUERY_HINTS[key],
                        ts.text(args[1]), jf.evidence(site.name_node), extra={"library": "jpa", "hint": key},
                        zero_disables=False)


_TX_MANAGER = re.compile(r"(transaction|tx)_?(manager|template)", re.IGNORECASE)


def _quarkus_transaction(call: ts.Node) -> bool:
    """A ``.timeout(n)`` on a chain that starts at Quarkus' ``QuarkusTransaction`` (``beginOptions()``,
    ``runOptions()``, ``requiringNew()``, ``joiningExisting()``, ``disallowingExisting()``, ``suspendingExisting()``)."""
    receiver = call.child_by_field_name("object")
    while receiver is not None and receiver.type == "method_invocation":
        owner = receiver.child_by_field_name("object")
        if owner is not None and owner.type == "identifier" and ts.text(owner) == "QuarkusTransaction":
            return True
        receiver = owner
    return False


def _transaction_timeouts(jf: JavaFile) -> None:
    """Spring transaction timeouts (seconds): the annotation, the manager's default, a template's."""
    for site in jf.annotations:
        if site.name not in ("Transactional", "org.springframework.transaction.annotation.Transactional") and not (
                site.name == "TransactionConfiguration" and jf.imports.get("TransactionConfiguration", "").startswith(
                    "io.quarkus.narayana")):
            # Quarkus Narayana `@TransactionConfiguration(timeout = 3600)` (seconds) counts like Spring's
            continue
        args = annotation_args(site.node)
        value = args.get("timeout")
        if value is None and args.get("timeoutString") is not None:
            text = string_of(args["timeoutString"])
            expr = parse_config_scalar(text) if text is not None else None
        else:
            expr = expr_of(value) if value is not None else None
        if expr is None or ts.text(value or args["timeoutString"]).strip().strip('"') == "-1":
            continue
        source = value if value is not None else args["timeoutString"]
        jf.sink.timeout(ts.location(site.node), ID, "total", expr, 1000.0, ts.text(source), jf.evidence(site.node),
                        extra={"library": "spring-tx"}, zero_disables=False)
    for site in jf.calls:
        args = arguments(site.node)
        if site.name == "timeout" and len(args) == 1 and _quarkus_transaction(site.node):
            # round 20 (sbomer): `QuarkusTransaction.begin(QuarkusTransaction.beginOptions().timeout(600))`,
            # `QuarkusTransaction.requiringNew().timeout(10).run(..)`: the transaction's limit in seconds
            if ts.text(args[0]).strip() not in ("0", "-1"):
                jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", expr_of(args[0]), 1000.0,
                                ts.text(args[0]), jf.evidence(site.name_node), extra={"library": "quarkus-narayana"},
                                zero_disables=False)
            continue
        if site.name == "setDefaultTimeout" and args and _lettuce_client(site.node):
            # round 21: Lettuce `RedisClient redisClient = RedisClient.create(uri); redisClient.setDefaultTimeout(
            # config.getTimeout())` (verify-hub): every command's limit (a Duration, or an amount and a TimeUnit)
            value = timeout_value(args)
            if value is not None:
                jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", value[0], value[1], value[2],
                                jf.evidence(site.name_node), extra={"library": "lettuce"}, zero_disables=False)
            continue
        if site.name not in ("setDefaultTimeout", "setTimeout") or len(args) != 1:
            continue
        receiver = site.node.child_by_field_name("object")
        if receiver is None:
            continue
        name = ts.text(receiver)
        typed = declared_type(site.node, name) if receiver.type == "identifier" else None
        wanted = "TransactionTemplate" if site.name == "setTimeout" else "TransactionManager"
        if not ((typed and typed.endswith(wanted)) or (_TX_MANAGER.search(name) and
                                                        wanted.lower().endswith(_TX_MANAGER.search(name).group(2).lower()))):
            continue
        if ts.text(args[0]).strip() == "-1":
            continue  # TransactionDefinition.TIMEOUT_DEFAULT: the store's own limit, none here
        jf.sink.timeout(name_location(site.node, site.name_node), ID, "total", expr_of(args[0]), 1000.0,
                        ts.text(args[0]), jf.evidence(site.name_node), extra={"library": "spring-tx"},
                        zero_disables=False)
