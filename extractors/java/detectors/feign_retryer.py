"""Feign's retryer: ``new Retryer.Default(period, maxPeriod, maxAttempts)``.

What it does: reports a Feign ``Retryer.Default`` bean or builder argument with its attempts
(``maxAttempts`` counts the first try; ``new Retryer.Default()`` means 5) and Feign's backoff
(the wait grows by 1.5x from ``period`` up to ``maxPeriod``: exponential).

Round 16: a retry count put into a client's settings map under a dotted key (``props.put("rebalance.max.retries",
"5")``: 6 tries) or an UPPER_SNAKE constant (``hiveConf.setInt(HiveConfigConstants.HIVE_METASTORE_DS_RETRY, 0)``: 0
turns retrying off, one try, reported); Elasticsearch ``setRetryOnConflict(n)`` (an update that lost a version race,
n + 1 tries).

Why it matters: Feign retries are configured once for every call of a client, invisibly to the
code that makes the call.

Example: ``@Bean Retryer retryer() { return new Retryer.Default(100, 1000, 3); }`` -> retry max_attempts=3.

Also Apache Curator's (ZooKeeper client) retry policies, built the same way and handed to the client
once: ``new ExponentialBackoffRetry(baseSleepMs, maxRetries)`` and ``BoundedExponentialBackoffRetry(base,
maxSleep, maxRetries)`` (maxRetries + 1 tries, exponential), ``RetryNTimes(n, sleepMs)`` (n + 1, fixed),
``RetryOneTime(sleepMs)`` (2); library "curator".

Also Alibaba Druid's connection pool: ``ds.setConnectionErrorRetryAttempts(n)`` (on a DruidDataSource or
a dynamic-datasource DruidConfig) retries a failed connect n more times; with
``setBreakAfterAcquireFailure(true)`` on the same object in the same method it then gives up (n + 1
tries), else the pool keeps trying (max_attempts null); library "druid".

Also Jedis's cluster client: ``new JedisCluster(nodes, clientConfig, maxAttempts, maxTotalRetriesDuration,
pool)`` tries each command up to ``maxAttempts`` times (all tries counted; 5 when left out) within
``maxTotalRetriesDuration`` (a timeout, phase total, at that argument); library "jedis". And the NATS
client's ``new Options.Builder().maxReconnects(n)``: n reconnect tries after a lost connection (n + 1 in
all), -1 forever (max_attempts null); library "nats".

Also retry counts set on a client's options builder (``GreptimeOptions.newBuilder(..).writeMaxRetries(3)``,
``maxRetries(n)``, ``setMaxRetries(n)``, ``setRetryAttempts(n)``, ``maxErrorRetry(n)``, ``retryCount(n)``/
``loginRetryCount(n)``: n retries after the first
try, n + 1 in all; only in a builder chain or on a receiver named or typed as a config/options/builder/client), and
Kafka's producer ``RETRIES_CONFIG``/``"retries"`` put in its properties (n + 1 tries); library "client". A ``withRetry(..)`` in a client's builder chain
(``X.newBuilder(..).withRetry(configName, executor)``) is a retry whose tries come from named configuration
(max_attempts null).

Also Google Cloud clients' ``RetrySettings.newBuilder()...build()``: ``setMaxAttempts(n)`` tries (all counted),
else tries until the total timeout (max_attempts null); exponential when the delay multiplier is above 1;
library "gax".

Also Apache HttpClient's retry strategies: ``new DefaultHttpRequestRetryStrategy(maxRetries, interval)`` (HttpClient
5; ``new DefaultHttpRequestRetryStrategy()`` retries once), ``new DefaultHttpRequestRetryHandler(n, ..)`` /
``StandardHttpRequestRetryHandler`` (HttpClient 4), and a subclass's ``super(maxRetries, ...)``: n + 1 tries;
library "apache-httpclient". AWS SDK v1's ``new RetryPolicy(condition, backoff, maxErrorRetry, honor)``: n + 1 tries;
AsyncHttpClient's ``setMaxRequestRetry(n)``: n + 1. A hand-written handler (``implements HttpRequestRetryHandler``/``HttpRequestRetryStrategy``)
whose ``retryRequest(.., executionCount, ..)`` gives up past a bound (``if (executionCount > 3) return false;``: 4
tries; ``>= 3``: 3) is reported at that bound.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented, settle, settle_count
from extractors.java.detectors.http_timeouts import own_settings_object as _own_settings_object
from extractors.java.detectors.http_timeouts import client_settings_put
from extractors.java.syntax import (JavaFile, arguments, chain, declared_type, enclosing, expr_of, local_initializer,
                                    name_location, string_of, timeout_value, unparenthesized)

ID = "java.feign_retryer"


@detector(ID, "java", ["retry", "timeout"],
          valid=['Retryer retryer = Retryer.NEVER_RETRY;', 'new Retry.Default(1, 2, 3);'],
          invalid=['Retryer r = new Retryer.Default(100, 1000, 3);', 'Retryer r = new Retryer.Default();'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    _curator(jf)
    _druid(jf)
    _jedis_cluster(jf)
    _nats_reconnects(jf)
    _retry_setters(jf)
    _gax_retry_settings(jf)
    _apache_retry_strategies(jf)
    _retry_handlers(jf)
    _aws_retry_policies(jf)
    for site in jf.news:
        if site.name.replace(" ", "") not in ("newRetryer.Default", "newDefault") or \
                (site.name.endswith("new Default") and jf.imports.get("Default", "") != "feign.Retryer.Default"):
            continue
        args = arguments(site.node)
        expr = expr_of(args[2]) if len(args) >= 3 else Num(5.0)
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        attrs = {"max_attempts": value, "backoff": "exponential", "retry_on": None,
                 "mechanism": "client_config", "library": "feign"}
        if args:
            attrs["wait_ms"] = settle(expr_of(args[0]), 1.0)[0] if args else 100
        jf.sink.add("retry", ts.location(site.node), ID, attrs, jf.evidence(site.node),
                    "high" if value is not None else "medium", None, pending)


# Curator policy -> (index of maxRetries among the arguments (None: a fixed count), backoff, wait index).
_CURATOR = {"ExponentialBackoffRetry": (1, "exponential"), "BoundedExponentialBackoffRetry": (2, "exponential"),
            "RetryNTimes": (0, "fixed"), "RetryOneTime": (None, "fixed")}


def _curator(jf: JavaFile) -> None:
    for site in jf.news:
        type_name = site.name.removeprefix("new ").strip().rsplit(".", 1)[-1]
        if type_name not in _CURATOR:
            continue
        if type_name in ("RetryNTimes", "RetryOneTime") and not (
                jf.imports.get(type_name, "").startswith("org.apache.curator")
                or "org.apache.curator" in site.name):
            continue  # Hadoop and others have policies of the same names
        index, backoff = _CURATOR[type_name]
        args = arguments(site.node)
        if index is None:
            expr = Num(2.0)
        elif len(args) > index:
            expr = BinOp("+", expr_of(args[index]), Num(1.0))
        else:
            continue
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        attrs = {"max_attempts": value, "backoff": backoff, "retry_on": None,
                 "mechanism": "client_config", "library": "curator"}
        wait = args[1] if type_name == "RetryNTimes" and len(args) > 1 else (args[0] if args else None)
        if wait is not None:
            attrs["wait_ms"] = settle(expr_of(wait), 1.0)[0]
        jf.sink.add("retry", ts.location(site.node), ID, attrs, jf.evidence(site.node),
                    "high" if value is not None else "medium", None, pending)


def _druid(jf: JavaFile) -> None:
    for site in jf.calls:
        if site.name != "setConnectionErrorRetryAttempts" or len(arguments(site.node)) != 1:
            continue
        receiver = site.node.child_by_field_name("object")
        owner = ts.text(receiver) if receiver is not None else ""
        scope = enclosing(site.node, ("method_declaration", "constructor_declaration", "lambda_expression"))
        bounded = any(
            other.name == "setBreakAfterAcquireFailure" and scope is not None and jf.within(other.node, scope)
            and ts.text(other.node.child_by_field_name("object") or other.node) == owner
            and [ts.text(a) for a in arguments(other.node)] == ["true"]
            for other in jf.calls)
        expr = BinOp("+", expr_of(arguments(site.node)[0]), Num(1.0))
        value = settle_count(expr) if bounded else None
        pending = (Pending("max_attempts", expr, 1.0),) if bounded and value is None else ()
        attrs = {"max_attempts": value, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                 "library": "druid"}
        jf.sink.add("retry", ts.location(site.node), ID, attrs, jf.evidence(site.node),
                    "medium" if pending else "high", None, pending)


_POOLISH = re.compile(r"pool", re.IGNORECASE)


def _jedis_cluster(jf: JavaFile) -> None:
    """``new JedisCluster(nodes, clientConfig, maxAttempts[, maxTotalRetriesDuration[, pool]])``."""
    for site in jf.news:
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] != "JedisCluster":
            continue
        args = arguments(site.node)
        if len(args) < 3 or not re.search(r"config", ts.text(args[1]), re.IGNORECASE) or _POOLISH.search(ts.text(args[1])):
            continue  # (nodes, timeout, ...) int forms and (nodes, pool) are not read here
        expr = expr_of(args[2])
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", ts.location(args[2]), ID,
                    {"max_attempts": value, "backoff": "none", "retry_on": None, "mechanism": "client_config",
                     "library": "jedis"},
                    jf.evidence(args[2]), "high" if value is not None else "medium", None, pending)
        if len(args) >= 4 and not _POOLISH.search(ts.text(args[3])):
            timeout = timeout_value(args[3:4])
            if timeout is not None:
                texpr, scale, source = timeout
                jf.sink.timeout(ts.location(args[3]), ID, "total", texpr, scale, source, jf.evidence(args[3]),
                                extra={"library": "jedis"}, zero_disables=False)


def _nats_reconnects(jf: JavaFile) -> None:
    """``new Options.Builder().server(url).maxReconnects(n).build()``: the NATS client's reconnect tries."""
    for site in jf.calls:
        if site.name != "maxReconnects" or len(arguments(site.node)) != 1:
            continue
        top = ts.text(chain(site.node)[0])
        if not re.search(r"Options\.(Builder\(\)|builder\(\))", top.replace(" ", "")):
            continue
        expr = BinOp("+", expr_of(arguments(site.node)[0]), Num(1.0))
        value = settle_count(expr)
        if value is not None and value <= 0:
            value = None  # -1: reconnect forever
        jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                    {"max_attempts": value, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "nats", "reconnect": True},
                    jf.evidence(site.name_node), "high" if value is not None else "medium", None, ())


def _getter_local(node):
    """Round 18: a count kept in a local read once from a settings getter (nrtsearch's `int maxRetries =
    configuration.getMaxS3ClientRetries(); if (maxRetries > 0) RetryPolicy.builder(..).numRetries(maxRetries)`): the
    getter's value (a config class's field of another file); any other argument as written."""
    if node.type == "identifier":
        init = local_initializer(node)
        if init is not None and init.type == "method_invocation" and not arguments(init) \
                and re.fullmatch(r"get[A-Z]\w*", ts.text(init.child_by_field_name("name"))) \
                and init.child_by_field_name("object") is not None:
            return expr_of(init)
    return expr_of(node)


_RETRY_SETTER = re.compile(r"(?:set|with)?(?:write|read|request|call|connect|connection|http|send)?"
                           r"(?:MaxRetries|maxRetries|MaxRetry|maxRetry|RetryAttempts|retryAttempts|MaxErrorRetry|maxErrorRetry"
                           r"|NumRetries|numRetries|RetryTimes|retryTimes|MaxRequestRetry|maxRequestRetry"
                           # a retry count named for what it bounds (`loginRetryCount(3)`, `setMaxRetryCount(5)`); a bare
                           # `retryCount` is more often a task's count of tries made so far (a domain field)
                           r"|(?:max|Max|login|Login|reconnect|Reconnect|connect|Connect|request|Request)RetryCount)"
                           r"(WhenSendFailed|WhenSendAsyncFailed)?")  # RocketMQ producers
_CLIENT_RECEIVER = re.compile(r"config|options|builder|client|settings|producer", re.IGNORECASE)
# the type of a `new X()` whose chained setters configure a client or a policy (round 15)
_NEW_SETTINGS_OBJECT = re.compile(r"(RetryPolicy|Configuration|Config|Options|Settings)$")


def _retry_setters(jf: JavaFile) -> None:
    for site in jf.calls:
        args = arguments(site.node)
        if len(args) == 2 and site.name in _PROPERTY_PUTS and _kafka_retries_key(args[0], jf):
            expr = BinOp("+", expr_of(args[1]), Num(1.0))
            anchor = site.node
        elif len(args) == 2 and site.name in _CONF_PUTS and _conf_retries_key(jf, site.node, args[0]) is not None:
            # round 16: a retry count put into a client's settings map (`hiveConf.setInt(HiveConfigConstants
            # .HIVE_METASTORE_DS_RETRY, 0)`, `props.put("rebalance.max.retries", n)`): n retries, n + 1 tries (a key
            # naming attempts without "retr" counts tries); 0 turns retrying off: one try, reported
            value_node = args[1]
            expr = expr_of(value_node)
            if isinstance(expr, Str) and re.fullmatch(r"\d+", expr.value.strip()):
                expr = Num(float(expr.value))
            if _conf_retries_key(jf, site.node, args[0]) == "retries":
                expr = BinOp("+", expr, Num(1.0))
            value = settle_count(expr)
            if value is not None and value < 1:
                continue
            jf.sink.add("retry", ts.location(site.node), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "client"}, jf.evidence(site.node), "high" if value is not None else "medium", None,
                        () if value is not None else (Pending("max_attempts", expr, 1.0),))
            continue
        elif site.name in ("setRetryOnConflict", "retryOnConflict") and len(args) == 1 and b"elasticsearch" in jf.data:
            # round 16: Elasticsearch's update of a document that lost a version race, retried n times (n + 1 tries)
            expr = BinOp("+", expr_of(args[0]), Num(1.0))
            value = settle_count(expr)
            if value is not None and value <= 1:
                continue
            jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": "version_conflict",
                         "mechanism": "client_config", "library": "elasticsearch"}, jf.evidence(site.name_node),
                        "high" if value is not None else "medium", None,
                        () if value is not None else (Pending("max_attempts", expr, 1.0),))
            continue
        elif site.name == "withRetry" and args and _builder_built(site.node):
            # `FaultTolerantHttpClient.newBuilder(..).withRetry(configuration.retryConfigurationName(), executor)`: a
            # retry whose tries come from a named configuration
            jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "client"}, jf.evidence(site.name_node), "medium", None, ())
            continue
        elif len(args) == 1 and _RETRY_SETTER.fullmatch(site.name) and _client_setting(jf, site.node) \
                and not _counter_bump(site.name, args[0]) and not _own_settings_object(jf, site.node) \
                and not (b"org.springframework.core.retry" in jf.data
                         and re.sub(r"\s", "", ts.text(site.node)).startswith("RetryPolicy.builder()")):
            # (Spring Framework 7's `RetryPolicy.builder().maxRetries(n)` is java.spring_retry's; Failsafe's
            # `RetryPolicy.builder().withMaxRetries(3)` stays this setter's)
            expr = BinOp("+", _getter_local(args[0]), Num(1.0))
            anchor = site.name_node
            owner = _project_builder(jf, site.node)
            if owner is not None:
                # round 12: the project's own builder (`HttpClient.builder().maxRetries(1)`, a Lombok @Builder whose
                # parameter reaches a retry loop) counts tries the way its helper publishes
                # (`HttpClient.builder.$attempts_param:maxRetries`); the library reading (n + 1) otherwise
                project = BinOp("-", BinOp("+", expr_of(args[0]), Ref(f"{owner}.builder.$attempts_param:{site.name}")),
                                Num(1.0))
                expr = Call("coalesce", (project, expr))
                jf.sink.add("retry", name_location(site.node, anchor), ID,
                            {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                             "library": "client"}, jf.evidence(anchor), "medium", None,
                            (Pending("max_attempts", expr, 1.0),))
                continue
        else:
            continue
        value = settle_count(expr)
        if value is not None and value <= 1 and not (anchor is site.node and value == 1):
            continue  # no retries: one try (round 12: except Kafka's `retries` 0, which turns off the producer's
            # default of retrying without end: one try, a setting worth reporting)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", name_location(site.node, anchor) if anchor is site.name_node else ts.location(site.node),
                    ID, {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "kafka" if anchor is site.node else "client"},
                    jf.evidence(anchor), "high" if value is not None else "medium", None, pending)


def _builder_built(node) -> bool:
    """A call in a chain that starts from a builder factory (``X.newBuilder(..)``, ``X.builder()``)."""
    items = chain(node)
    return len(items) > 2 and any(i.type == "method_invocation" and
                                  ts.text(i.child_by_field_name("name")) in ("newBuilder", "builder", "custom")
                                  for i in items[:-1])


def _counter_bump(name: str, arg) -> bool:
    """``info.setRetryAttempts(info.getRetryAttempts() + 1)``: a count of tries made so far, not a limit."""
    prop = name.removeprefix("set").removeprefix("with")
    # `client.setRetryTimes(config.getRetryTimes())` copies a setting onto the client: that is the contract
    return arg.type != "method_invocation" and ("get" + prop[:1].upper() + prop[1:]) in ts.text(arg)


def _project_builder(jf: JavaFile, node: ts.Node) -> str | None:
    """``HttpClient.builder()...maxRetries(1)`` where ``HttpClient`` is a class of the project (imported from a package
    sharing this file's first two segments, or of this package): the class name, else None."""
    head = next((i for i in chain(node) if i.type == "method_invocation"), None)
    if head is None or ts.text(head.child_by_field_name("name")) != "builder":
        return None
    owner = head.child_by_field_name("object")
    if owner is None or owner.type != "identifier" or not ts.text(owner)[:1].isupper():
        return None
    name = ts.text(owner)
    package = getattr(jf, "package", None) or ""
    qualified = jf.imports.get(name)
    if qualified is None:
        return name if package else None  # a class of this package (no import)
    return name if package and qualified.split(".")[:2] == package.split(".")[:2] else None


def _kafka_retries_key(node, jf: JavaFile | None = None) -> bool:
    if node.type == "string_literal":
        return ts.text(node).strip('"') == "retries"
    text = ts.text(node)
    if node.type == "identifier" and jf is not None:  # `import static ...ProducerConfig.RETRIES_CONFIG`
        return text == "RETRIES_CONFIG" and jf.imports.get(text, "").startswith("org.apache.kafka")
    return node.type == "field_access" and text.endswith(".RETRIES_CONFIG") and \
        text.split(".")[0].endswith(("ProducerConfig", "CommonClientConfigs", "AdminClientConfig", "StreamsConfig"))


# Round 16: a retry count in a settings map: a dotted key (`hive.metastore.ds.retry.attempts`, `rebalance.max.retries`)
# or an UPPER_SNAKE constant (`HIVE_METASTORE_DS_RETRY`, `MAX_RETRIES`) put on a properties/config receiver.
_CONF_PUTS = ("put", "putIfAbsent", "setProperty", "setInt", "setLong")
_CONF_RETRY_STRING = re.compile(r"(?:^|\.)(?:max\.)?(retries|retry\.attempts|retry\.count|retry\.times|retries\.max"
                                r"|retry\.max|max\.attempts|attempts)$", re.IGNORECASE)
_CONF_RETRY_CONSTANT = re.compile(r"([A-Z0-9_]*_)?(MAX_)?(RETRY|RETRIES|ATTEMPTS)(_ATTEMPTS|_COUNT|_TIMES|_MAX|_NUM)?")
_NOT_RETRY_KEY = re.compile(r"backoff|delay|interval|wait|timeout|period|enable|sleep|ms$", re.IGNORECASE)


def _conf_retries_key(jf: JavaFile, node, key) -> str | None:
    """"retries" (n + 1 tries) or "attempts" (n tries) for a settings key naming a retry bound; None otherwise.
    Kafka's producer `retries` is `_kafka_retries_key`'s."""
    if key.type == "string_literal":
        text = string_of(key) or ""
        if "." not in text or not _CONF_RETRY_STRING.search(text):
            return None
    elif key.type in ("identifier", "field_access"):
        text = ts.text(key).rsplit(".", 1)[-1]
        if not _CONF_RETRY_CONSTANT.fullmatch(text):
            return None
    else:
        return None
    if _NOT_RETRY_KEY.search(text) or _kafka_retries_key(key, jf):
        return None
    if not client_settings_put(node):
        return None  # not a settings map, or one the project stores and reads later: no client's configuration
    return "attempts" if "retr" not in text.lower() else "retries"


# How a client's properties map is filled: `props.put(..)`, `props.putIfAbsent(..)` (a default the caller's own
# properties may override), `properties.setProperty(..)`.
_PROPERTY_PUTS = ("put", "putIfAbsent", "setProperty")


def _client_setting(jf: JavaFile, node) -> bool:
    """A setter in a builder chain, or on a receiver named or declared like a client's config."""
    items = chain(node)
    if len(items) > 2 and re.search(r"\b(builder|newBuilder|custom)\(|\.Builder\(", ts.text(items[0]) + "".join(
            ts.text(i.child_by_field_name("name")) + "(" for i in items[1:] if i.type == "method_invocation")):
        return True
    if items and items[0].type == "object_creation_expression" and len(items) > 1 and _NEW_SETTINGS_OBJECT.search(
            re.sub(r"<.*", "", ts.text(items[0].child_by_field_name("type") or items[0]))):
        # round 15: a setter chained on a freshly made policy/config object: Failsafe 2's `new RetryPolicy<Response>()
        # .handle(..).withMaxRetries(3)`, AWS SDK v1's `new ClientConfiguration().withMaxErrorRetry(3)`
        return True
    receiver = node.child_by_field_name("object")
    if receiver is None:
        return False
    if receiver.type == "method_invocation":
        return _client_setting(jf, receiver) or bool(_CLIENT_RECEIVER.search(ts.text(receiver.child_by_field_name("name"))))
    name = ts.text(receiver)
    typed = declared_type(node, name) if receiver.type == "identifier" else None
    return bool(_CLIENT_RECEIVER.search(name) or (typed and _CLIENT_RECEIVER.search(typed)))


def _gax_retry_settings(jf: JavaFile) -> None:
    for site in jf.calls:
        if site.name != "newBuilder" or ts.text(site.node.child_by_field_name("object")) != "RetrySettings":
            continue
        calls = {}
        current = site.node
        while current.parent is not None and current.parent.type == "method_invocation" \
                and current.parent.child_by_field_name("object") == current:
            current = current.parent
            calls[ts.text(current.child_by_field_name("name"))] = current
        attempts = calls.get("setMaxAttempts")
        holder = site.node.parent
        if attempts is None and holder is not None and holder.type == "variable_declarator" \
                and re.search(r"\b" + re.escape(ts.text(holder.child_by_field_name("name"))) + r"\s*::\s*setMaxAttempts\b",
                              ts.text(enclosing(site.node, ("method_declaration", "constructor_declaration")) or holder)):
            continue  # round 20 (second wave): `retry::setMaxAttempts` applied only when configured, reported there
        value, pending = None, ()
        if attempts is not None and arguments(attempts):
            expr = expr_of(arguments(attempts)[0])
            value = settle_count(expr)
            if value == 0:
                value = None  # 0: as many tries as the total timeout allows
            elif value is None:
                pending = (Pending("max_attempts", expr, 1.0),)
        multiplier = calls.get("setRetryDelayMultiplier")
        factor = settle(expr_of(arguments(multiplier)[0]), 1.0)[0] if multiplier is not None and arguments(multiplier) else None
        backoff = "exponential" if factor is None or factor > 1 else "fixed"
        jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                     "library": "gax"},
                    jf.evidence(site.name_node), "high" if value is not None else "medium", None, pending)


# Apache HttpClient retry strategies/handlers -> retries when built without arguments.
_APACHE_RETRY = {"DefaultHttpRequestRetryStrategy": 1, "DefaultHttpRequestRetryHandler": 3,
                 "StandardHttpRequestRetryHandler": 3}


def _apache_retry_strategies(jf: JavaFile) -> None:
    sites = [(s.node, s.name.removeprefix("new ").strip().rsplit(".", 1)[-1]) for s in jf.news]
    for node in ts.walk(jf.tree.root_node):  # `class X extends DefaultHttpRequestRetryStrategy { X() { super(6, ..); } }`
        if node.type == "explicit_constructor_invocation" and ts.text(node).startswith("super"):
            cls = enclosing(node, ("class_declaration",))
            parent = cls.child_by_field_name("superclass") if cls is not None else None
            base = ts.text(parent).removeprefix("extends").strip().split("<")[0].rsplit(".", 1)[-1] if parent is not None else ""
            if base in _APACHE_RETRY:
                sites.append((node, base))
    for node, kind in sites:
        if kind not in _APACHE_RETRY:
            continue
        args = arguments(node)
        anchor = args[0] if args else node
        retries = expr_of(args[0]) if args else Num(float(_APACHE_RETRY[kind]))
        expr = BinOp("+", retries, Num(1.0))
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", ts.location(anchor), ID,
                    {"max_attempts": value, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "apache-httpclient"},
                    jf.evidence(anchor), "high" if value is not None else "medium", None, pending)


def _aws_retry_policies(jf: JavaFile) -> None:
    """AWS SDK v1 ``new RetryPolicy(retryCondition, backoffStrategy, maxErrorRetry, honorMaxErrorRetryInClientConfig)``
    given to ``ClientConfiguration.withRetryPolicy(..)``: maxErrorRetry retries, n + 1 tries (round 10)."""
    if not any(q.startswith("com.amazonaws.") for q in jf.imports.values()):
        return
    for site in jf.news:
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] != "RetryPolicy":
            continue
        args = arguments(site.node)
        if len(args) != 4:
            continue
        expr = BinOp("+", expr_of(args[2]), Num(1.0))
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", ts.location(site.node), ID,
                    {"max_attempts": value, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                     "library": "aws-sdk"}, jf.evidence(site.node), "high" if value is not None else "medium", None,
                    pending)


def _retry_handlers(jf: JavaFile) -> None:
    for method in ts.walk(jf.tree.root_node):
        if method.type != "method_declaration" or ts.text(method.child_by_field_name("name")) != "retryRequest":
            continue
        params = method.child_by_field_name("parameters")
        counts = [ts.text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
                  if p.type == "formal_parameter" and ts.text(p.child_by_field_name("type")) == "int"]
        if len(counts) != 1:
            continue
        body = method.child_by_field_name("body")
        for node in ts.walk(body) if body is not None else ():
            if node.type != "if_statement":
                continue
            condition = unparenthesized(node.child_by_field_name("condition"))
            if condition is None or condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if ts.text(left) != counts[0] or op not in (">", ">="):
                continue
            if "return false" not in ts.text(node.child_by_field_name("consequence")).replace("  ", " "):
                continue
            bound = expr_of(right)
            expr = BinOp("+", bound, Num(1.0)) if op == ">" else bound
            value = settle_count(expr)
            pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
            jf.sink.add("retry", ts.location(condition), ID,
                        {"max_attempts": value, "backoff": "fixed" if "sleep" in ts.text(body) else "none",
                         "retry_on": None, "mechanism": "client_config", "library": "apache-httpclient"},
                        jf.evidence(condition), "high" if value is not None else "medium", None, pending)
            break
