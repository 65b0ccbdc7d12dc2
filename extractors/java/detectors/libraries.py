"""Timeout and retry options of common JVM libraries not covered by the HTTP-client detectors.

What it does: reports, where they are set in code,

- message redelivery: ActiveMQ ``redeliveryPolicy.setMaximumRedeliveries(3)`` (3 redeliveries: 4 deliveries; -1
  is unlimited: max_attempts null), Spring's ``new FixedBackOff(interval, maxAttempts)`` (its maxAttempts counts
  the retries: n + 1; ``FixedBackOff.UNLIMITED_ATTEMPTS`` unbounded) and Spring Kafka's
  ``new ExponentialBackOffWithMaxRetries(n)`` (n + 1), handed to a listener's error handler; Spring AMQP's
  ``RetryInterceptorBuilder.stateless().maxAttempts(4)`` (all tries counted), and RabbitTemplate's
  ``setReplyTimeout(ms)`` (how long a request/reply call waits, phase total); Smack (XMPP)
  ``SmackConfiguration.setDefaultReplyTimeout(ms)`` / ``connection.setReplyTimeout(ms)`` (files importing Smack);
- Apache Camel redeliveries: ``onException(E.class).maximumRedeliveries(3)``, ``errorHandler(defaultErrorHandler()
  .maximumRedeliveries(3))``, ``new RedeliveryPolicy().maximumRedeliveries(3)`` (3 redeliveries: 4 tries; -1 is
  unlimited), in files using Camel or on those error-handler chains;
- Pulsar's dead-letter policy ``DeadLetterPolicy.builder().maxRedeliverCount(n)`` (n + 1 deliveries);
- Apache Iceberg's task runner ``Tasks.foreach(ops).retry(n).exponentialBackoff(..).run(..)`` (n retries: n + 1
  tries; files importing Iceberg);
- Failsafe ``RetryPolicy.builder().withMaxAttempts(n)`` (n tries; ``withMaxRetries`` is read by the client-retry
  setters) and ``Timeout.of(Duration)`` (files importing Failsafe), Guava Retrying's
  ``StopStrategies.stopAfterAttempt(n)`` (n tries) and ``stopAfterDelay(t, unit)`` (a time budget: max_attempts null);
- Dubbo consumer references ``@DubboReference(timeout = 3000, retries = 2)`` / ``@Reference`` (ms; retries n: n + 1
  tries, Dubbo's default 2 when only the timeout is set is not assumed), Hystrix's
  ``@HystrixProperty(name = "execution.isolation.thread.timeoutInMilliseconds", value = "2000")``, MicroProfile
  Fault Tolerance ``@Timeout(500)`` (ms unless ``unit``) and ``@Retry(maxRetries = 2)`` (n + 1; 4 when left out);
- Azure Storage ``new RequestRetryOptions(type, maxTries, tryTimeoutInSeconds, ..)`` (all tries counted; the
  per-try timeout in seconds) and Azure AMQP ``setTryTimeout(Duration)`` (per_try); an Azure SDK sync operation's
  ``Duration timeout`` argument (``container.listBlobs(options, Duration.ofMinutes(5))``, ``..WithResponse(.., timeout,
  Context.NONE)``; files importing ``com.azure``; not a ``begin..`` poller's interval); Hutool ``HttpUtil.get(url,
  [params,] timeoutMs)`` / ``HttpUtil.post(url, body, timeoutMs)``; fabric8 ``waitUntilCondition(pred, n, unit)`` /
  ``waitUntilReady(n, unit)`` (a bounded wait for a remote resource's state); AWS SDK v2 retry strategies
  ``retryStrategy(b -> b.maxAttempts(5))`` / ``StandardRetryStrategy.builder().maxAttempts(5)`` (all tries);
- ZooKeeper's zkclient ``new ZkClient(servers, connectionTimeout)`` / ``new ZkClient(servers, sessionTimeout,
  connectionTimeout, ..)`` (the connection timeout, ms);
- Redis: Lettuce ``LettuceClientConfiguration.builder().commandTimeout(Duration)`` and
  ``TimeoutOptions.enabled(Duration)`` (a command's limit, total), Jedis constructors given a timeout
  (``new JedisPool(config, host, port, 2000)``, ``new Jedis(host, port, 2000)``, ``new JedisPool(new URI(..), 2000)``:
  connect and read, ms) and Spring Data Redis's ``JedisConnectionFactory.setTimeout(ms)``.

Literal zero or negative counts mean "no retries" or "unbounded" as each library says and are not reported as
bounds. A name in a string or comment, a same-named method of an unrelated receiver (``counter.maxAttempts(3)``
outside those builders, ``template.setReplyTimeout`` on a non-Rabbit template) is not a setting.

Round 19: Terra's Stairway step retry rules (``new RetryRuleFixedInterval(intervalSeconds, maxCount)`` and
``RetryRuleRandomBackoff(.., maxCount)``: maxCount + 1 tries; ``RetryRuleExponentialBackoff``: a time budget, null),
terra-common-lib's ``DatabaseRetryUtils.executeAndRetry(op, sleep, maxNumAttempts)`` (all tries) and the Cloud Resource
Library's ``OperationUtils.pollUntilComplete(op, interval, timeout)`` (a bounded wait for a Google long-running
operation), in files importing them.

Round 16: AWS SDK v2 ``retryStrategy(RetryMode.STANDARD)`` / ``retryPolicy(RetryMode.LEGACY)`` (standard and adaptive
3 tries, legacy 4); Camel ``springTransactionErrorHandler()`` chains; a guava-retrying ``StopStrategy`` constant that the
file hands to a constructor or helper (not to ``.withStopStrategy(CONST)``) is no retry where it is written, and a
``Retryer`` field the file never uses is none.

Why it matters: these are set once on a client, a listener container or an annotation, far from the calls they
govern, and decide how often a message or call is repeated and how long a caller waits.

Example: ``policy.setMaximumRedeliveries(3)`` -> retry max_attempts=4 (library activemq).
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented, settle_count
from extractors.java.syntax import (JavaFile, annotation_args, arguments, chain, chain_top, declared_type, duration_of, expr_of,
                                    enclosing, local_initializer, name_location, project_type, string_of, timeout_value)
from extractors.java.jvm import spring_placeholder

ID = "java.libraries"


# Round 20: the DataStax Java driver's stock retry policies, by class, and the tries each allows.
_DATASTAX_POLICIES = {"DefaultRetryPolicy": 2, "DowngradingConsistencyRetryPolicy": 2, "FallthroughRetryPolicy": 1}


def _retry(jf: JavaFile, loc, expr, evidence: str, library: str, backoff: str | None = None,
           mechanism: str = "client_config", unbounded: bool = False) -> None:
    value = None if unbounded or expr is None else settle_count(expr)
    if value is not None and value > 10**9:
        value = None  # Integer.MAX_VALUE and friends: unbounded
    if value is not None and value < 1:
        return
    pending = () if unbounded or value is not None or expr is None else (Pending("max_attempts", expr, 1.0),)
    if value is not None and not unbounded and isinstance(expr, Call) and any(isinstance(a, Env) for a in expr.args):
        pending = (Pending("max_attempts", expr, 1.0),)  # round 13: a default configuration may override (_mp_configured)
    jf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": backoff, "retry_on": None,
                                   "mechanism": mechanism, "library": library},
                evidence, "high" if value is not None else "medium", None, pending)


_AWS_RETRY_MODE = re.compile(r"(?:software\.amazon\.awssdk\.core\.retry\.)?RetryMode\.(STANDARD|ADAPTIVE|ADAPTIVE_V2|LEGACY)")


def _unapplied_stop_strategy(jf: JavaFile, node) -> bool:
    """Round 16: guava-retrying stop strategies that are no retry where they are written: a field holding the
    StopStrategy itself (``private static final StopStrategy DEFAULT = StopStrategies.stopAfterAttempt(100)``) that the
    file hands to a constructor or helper rather than to ``.withStopStrategy(DEFAULT)``, and a ``Retryer`` field built
    with one that the file never uses (declared, never called)."""
    field = node.parent
    while field is not None and field.type not in ("field_declaration", "method_declaration",
                                                   "constructor_declaration", "class_body", "lambda_expression"):
        field = field.parent
    if field is None or field.type != "field_declaration":
        return False
    declarator = field.child_by_field_name("declarator")
    type_node = field.child_by_field_name("type")
    if declarator is None or type_node is None:
        return False
    name = ts.text(declarator.child_by_field_name("name"))
    rest = jf.data.decode("utf-8", "replace")
    uses = len(re.findall(r"\b" + re.escape(name) + r"\b", rest)) - 1
    kind = re.sub(r"<.*", "", ts.text(type_node)).rsplit(".", 1)[-1]
    if kind == "StopStrategy":
        return uses > 0 and not re.search(r"withStopStrategy\(\s*(\w+\.)?" + re.escape(name) + r"\s*\)", rest)
    if kind == "Retryer":
        return uses == 0
    return False


def _count(node):
    """A count argument, through a local set once before (``int tries = Integer.parseInt(cfg.getMaxRetryTimes()) + 1;
    ...stopAfterAttempt(tries)``)."""
    if node.type == "identifier":
        initializer = local_initializer(node)
        if initializer is not None:
            return expr_of(initializer)
    return expr_of(node)


def _plus_one(node) -> BinOp:
    return BinOp("+", _count(node), Num(1.0))


def _negative(node) -> bool:
    return ts.text(node).replace(" ", "").startswith("-")


# Azure SDK sync client operations that take a `Duration timeout` (listings, `...WithResponse` calls)
_AZURE_TIMED_OPERATION = re.compile(r"list[A-Z]\w*|\w+WithResponse")


def _azure_timeout_argument(args):
    """The `Duration timeout` argument of an Azure SDK operation: the last argument, or the one before a last
    `Context` (`Context.NONE`, a `context` variable); a Duration factory or a name saying timeout, else None."""
    last = args[-1]
    candidate = args[-2] if re.search(r"(^|\.)context$|^Context\.NONE$|^new Context\(", ts.text(last), re.IGNORECASE) \
        else last
    if duration_of(candidate) is not None:
        return candidate
    if candidate.type in ("identifier", "field_access") and re.search(r"timeout", ts.text(candidate), re.IGNORECASE):
        return candidate
    return None


def _hutool_timeout(name: str, args) -> bool:
    """Hutool's ``HttpUtil`` overloads whose last argument is the timeout: ``get(url, int)``, ``get(url, Map, int)``,
    ``post(url, body|Map, int)``; the last argument a number or a name saying timeout (not a charset or a body)."""
    if not (name == "get" and len(args) in (2, 3) or name == "post" and len(args) == 3):
        return False
    last = args[-1]
    if last.type in ("decimal_integer_literal", "binary_expression"):
        return True
    return last.type in ("identifier", "field_access") and re.search(r"time_?out", ts.text(last), re.IGNORECASE) is not None


def _imports(jf: JavaFile, *prefixes: str) -> bool:
    return any(q.startswith(prefixes) for q in jf.imports.values()) or any(
        b"import " + p.encode() in jf.data for p in prefixes)


@detector(ID, "java", ["retry", "timeout"],
          valid=['log.info("setMaximumRedeliveries(3)");', 'counter.maxAttempts(3);',
                 'template.setReplyTimeout(5000);'],
          invalid=['redeliveryPolicy.setMaximumRedeliveries(3);',
                   'new DefaultErrorHandler(new FixedBackOff(1000L, 2L));',
                   'rabbitTemplate.setReplyTimeout(5000);'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    failsafe = _imports(jf, "dev.failsafe", "net.jodah.failsafe")
    smack = _imports(jf, "org.jivesoftware")
    azure = _imports(jf, "com.azure.")
    hutool = _imports(jf, "cn.hutool.http")
    fabric8 = _imports(jf, "io.fabric8.")
    for site in jf.calls:
        node, args = site.node, arguments(site.node)
        receiver = node.child_by_field_name("object")
        owner = ts.text(receiver) if receiver is not None else ""
        if receiver is None and site.name in ("stopAfterAttempt", "stopAfterDelay") \
                and jf.imports.get(site.name, "").endswith(f"StopStrategies.{site.name}"):
            # round 22 (hypertrace config-service): a statically imported guava-retrying stop strategy,
            # `import static com.github.rholder.retry.StopStrategies.stopAfterAttempt; .. .withStopStrategy(stopAfterAttempt(2))`
            owner = "StopStrategies"
        loc = name_location(node, site.name_node)
        if site.name in _ROUND18_SETTERS and _round18_setting(jf, site, node, args, loc):
            continue
        if site.name == "setMaxAttempts" and len(args) == 1 and receiver is not None and receiver.type == "identifier" \
                and _spring_util_backoff(jf, receiver):
            # round 19: Spring's `FixedBackOff backoff = new FixedBackOff(); backoff.setMaxAttempts(n)` (spinnaker-fiat's
            # Synchronizer): n back-offs, n + 1 tries
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "spring-backoff", backoff="fixed"
                   if "Fixed" in ts.text(local_initializer(receiver)) else "exponential")
            continue
        if site.name in ("verify", "migrate", "setHandshakeTimeout", "setChannelRpcTimeout") \
                and _round18_second(jf, site, node, args, loc):
            continue
        if site.name in ("addArg", "of", "retry") \
                and _round19_second(jf, site, node, args, loc):
            continue
        if site.name == "connectRetries" and len(args) == 1 and (_chain_from(node, ("Flyway",))
                                                                 or _imports(jf, "org.flywaydb.")):
            # round 20 (second wave): Flyway's `Flyway.configure().connectRetries(n)`: n more tries to reach the
            # database before migrating (n + 1; 0, the default, one)
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "flyway", backoff="fixed",
                   mechanism="client_config")
            continue
        if site.name == "retrying" and len(args) == 1 and ts.text(args[0]).strip() == "true" \
                and _chain_from(node, ("JWKSourceBuilder",)):
            # round 20 (second wave): Nimbus JOSE's `JWKSourceBuilder.create(url).retrying(true)`: one more fetch of the
            # JWK set after a failed one (2 tries); `retrying(false)` is the default
            _retry(jf, loc, Num(2.0), jf.evidence(site.name_node), "nimbus-jose", mechanism="call")
            continue
        if site.name == "withRetryPolicy" and len(args) == 1 and _imports(jf, "com.datastax.driver.", "com.datastax.oss.") \
                and (tries := _DATASTAX_POLICIES.get(re.sub(r"\s+", "", ts.text(args[0])).rsplit(".", 2)[-2]
                                                     if "." in ts.text(args[0]) else "")) is not None:
            # round 20 (sunbird-userorg-service): the DataStax driver 3's `Cluster.builder().withRetryPolicy(
            # DefaultRetryPolicy.INSTANCE)`: at most one retry of a timed-out or unavailable request (2 tries);
            # FallthroughRetryPolicy never retries (1)
            _retry(jf, loc, Num(float(tries)), jf.evidence(site.name_node), "cassandra")
            continue
        if site.name == "setMaximumRedeliveries" and len(args) == 1 and _redelivery_owner(node, owner):
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "activemq",
                   backoff=None, mechanism="redelivery", unbounded=_negative(args[0]))
        elif site.name == "maximumRedeliveries" and len(args) == 1 and (_camel(jf) or _chain_from(node, _CAMEL_HANDLERS)) \
                and (settle_count(_plus_one(args[0])) != 1 or _chain_from(node, _CAMEL_ROUTE_HANDLERS)):
            # round 18: `errorHandler(defaultErrorHandler().maximumRedeliveries(0))`: a route's error handler turning
            # redelivery off is its setting (1 try), as a retry count of 0 is elsewhere; a 0 for one exception
            # (`onException(E.class).maximumRedeliveries(0)`, an exception left out of the redeliveries) or on a policy
            # object built for later stays unreported
            # Apache Camel `onException(E.class).maximumRedeliveries(3)` / `errorHandler(defaultErrorHandler()
            # .maximumRedeliveries(3))` / `new RedeliveryPolicy().maximumRedeliveries(3)`: 3 redeliveries (4 tries);
            # -1 redelivers forever
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "camel", backoff=_camel_backoff(node),
                   mechanism="redelivery", unbounded=_negative(args[0]))
        elif site.name == "maxRedeliverCount" and len(args) == 1 and _chain_from(node, ("DeadLetterPolicy",)):
            # Pulsar `DeadLetterPolicy.builder().maxRedeliverCount(n)`: n redeliveries after the first delivery
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "pulsar", mechanism="redelivery",
                   unbounded=_negative(args[0]))
        elif site.name == "maxAttempts" and len(args) == 1 and _chain_from(node, ("RetryInterceptorBuilder",)):
            _retry(jf, loc, expr_of(args[0]), jf.evidence(site.name_node), "spring-amqp", mechanism="redelivery")
        elif site.name == "maxAttempts" and len(args) == 1 and (
                _chain_from(node, ("StandardRetryStrategy", "AwsRetryStrategy", "AdaptiveRetryStrategy",
                                   "LegacyRetryStrategy", "SdkDefaultRetryStrategy", "DefaultRetryStrategy"))
                or _in_retry_strategy_lambda(node)):
            _retry(jf, loc, expr_of(args[0]), jf.evidence(site.name_node), "aws-sdk")
        elif site.name == "retry" and len(args) == 1 and _chain_from(node, ("Tasks",)) and _imports(jf, "org.apache.iceberg"):
            # round 11: Apache Iceberg `Tasks.foreach(ops).retry(n)..run(..)`: n retries after the first try (n + 1)
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "iceberg",
                   backoff="exponential" if ".exponentialBackoff(" in ts.text(chain_top(node)) else None,
                   mechanism="call", unbounded=_negative(args[0]))
        elif site.name == "setMaxRetryRequests" and len(args) == 1 and _chain_from(node, ("DownloadRetryOptions",)):
            # round 13: Azure Storage `new DownloadRetryOptions().setMaxRetryRequests(3)`: a download's re-reads of the
            # stream after the first (n + 1 tries)
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "azure-storage", mechanism="call",
                   unbounded=_negative(args[0]))
        elif site.name == "maxRetries" and len(args) == 1 and ".withRetry()" in ts.text(chain_top(node)).replace(" ", "") \
                and _chain_from(node, ("Guard", "TypedGuard", "FaultTolerance")):
            # round 22 (rex): SmallRye Fault Tolerance's programmatic API, `Guard.<T>create().withRetry().maxRetries(n)
            # ..done()`: n retries after the first try (n + 1); -1 retries without bound
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "smallrye-fault-tolerance",
                   unbounded=_negative(args[0]))
        elif site.name == "setMaxScanTimeoutRetries" and len(args) == 1 and _chain_from(node, ("RetryOptions",)):
            # round 22 (heroic, a round-21 request): Cloud Bigtable's classic client `RetryOptions.builder()
            # .setMaxScanTimeoutRetries(n)`: a timed-out scan is sent again n times (n + 1 tries)
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "bigtable", mechanism="call",
                   unbounded=_negative(args[0]))
        elif site.name == "withMaxAttempts" and len(args) == 1 and failsafe and _chain_from(node, ("RetryPolicy",)):
            _retry(jf, loc, _count(args[0]), jf.evidence(site.name_node), "failsafe", unbounded=_negative(args[0]))
        elif site.name == "of" and owner == "Timeout" and failsafe and args and duration_of(args[0]) is not None:
            value = timeout_value(args[:1])
            jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "failsafe"}, zero_disables=False)
        elif site.name == "setTimeout" and len(args) == 1 and _jedis_connection_factory(node, owner):
            # Spring Data Redis `JedisConnectionFactory.setTimeout(ms)` (also from a subclass's constructor)
            value = timeout_value(args)
            if value is not None:
                jf.sink.timeout(loc, ID, "read", value[0], value[1], value[2], jf.evidence(site.name_node),
                                extra={"library": "jedis"})
        elif site.name in ("retryStrategy", "retryPolicy", "forRetryMode") and len(args) == 1 \
                and _AWS_RETRY_MODE.fullmatch(re.sub(r"\s", "", ts.text(args[0]))):
            # round 16: AWS SDK v2 `ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)`: the mode's
            # tries (standard and adaptive 3, legacy 4)
            mode = _AWS_RETRY_MODE.fullmatch(re.sub(r"\s", "", ts.text(args[0]))).group(1)
            _retry(jf, loc, Num(4.0 if mode == "LEGACY" else 3.0), jf.evidence(site.name_node), "aws-sdk")
        elif site.name in ("stopAfterAttempt", "stopAfterDelay") and owner.endswith("StopStrategies") \
                and _unapplied_stop_strategy(jf, node):
            continue  # round 16: a StopStrategy constant handed elsewhere, or a Retryer field nothing uses
        elif site.name == "stopAfterAttempt" and owner.endswith("StopStrategies") and len(args) == 1:
            _retry(jf, loc, _count(args[0]), jf.evidence(site.name_node), "guava-retrying")
        elif site.name == "stopAfterDelay" and owner.endswith("StopStrategies") and args:
            # round 12: `StopStrategies.stopAfterDelay(10, MINUTES)`: tries until a time budget runs out (as many as
            # fit: max_attempts null, as the Java sets count a retry bounded by time)
            _retry(jf, loc, None, jf.evidence(site.name_node), "guava-retrying", unbounded=True)
        elif site.name == "setReplyTimeout" and len(args) == 1 and _rabbit_template(node, owner):
            value = timeout_value(args)
            if value is not None:
                jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                                extra={"library": "spring-amqp"}, zero_disables=False)
        elif site.name in ("setDefaultReplyTimeout", "setReplyTimeout") and len(args) == 1 and smack and (
                owner == "SmackConfiguration" or re.search(r"connection|xmpp", owner + (declared_type(node, owner) or ""),
                                                           re.IGNORECASE)):
            value = timeout_value(args)  # Smack (XMPP): how long a request waits for the server's reply (ms)
            if value is not None:
                jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                                extra={"library": "smack"}, zero_disables=False)
        elif site.name == "setTryTimeout" and len(args) == 1 and duration_of(args[0]) is not None and \
                re.search(r"RetryOptions", (declared_type(node, owner) or "") + ts.text(chain(node)[0])):
            value = timeout_value(args)
            jf.sink.timeout(loc, ID, "per_try", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "azure"}, zero_disables=False)
        elif azure and len(args) >= 2 and _AZURE_TIMED_OPERATION.fullmatch(site.name) \
                and _azure_timeout_argument(args) is not None:
            # round 15: an Azure SDK sync client operation's `Duration timeout` argument, the last one or the one
            # before its `Context` (`container.listBlobs(options, Duration.ofMinutes(5))`, `blob.uploadWithResponse(..,
            # timeout, Context.NONE)`); not `beginCopy(src, Duration.ofSeconds(1))`, a poller's interval
            value = timeout_value([_azure_timeout_argument(args)])
            if value is not None:
                jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                                extra={"library": "azure"}, zero_disables=False)
        elif hutool and owner == "HttpUtil" and site.name in ("get", "post") and _hutool_timeout(site.name, args):
            # round 15: Hutool `HttpUtil.get(url, timeoutMs)` / `get(url, params, timeoutMs)` / `post(url, body,
            # timeoutMs)`: the request's timeout (ms), the last argument; not `get(url, charset)` / `post(url, body)`
            jf.sink.timeout(loc, ID, "total", expr_of(args[-1]), 1.0, ts.text(args[-1]), jf.evidence(site.name_node),
                            extra={"library": "hutool"}, zero_disables=False)
        elif site.name in ("waitUntilCondition", "waitUntilReady") and len(args) >= 2 and fabric8 \
                and timeout_value(args[-2:]) is not None and re.search(r"TimeUnit|SECONDS|MINUTES|MILLISECONDS",
                                                                        ts.text(args[-1])):
            # round 15: fabric8 `client.resource(r).waitUntilCondition(pred, 1, TimeUnit.MINUTES)` /
            # `waitUntilReady(5, MINUTES)`: a bounded wait for a remote resource's state (the timeout; no retry)
            value = timeout_value(args[-2:])
            jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "fabric8"}, zero_disables=False)
        elif site.name == "commandTimeout" and len(args) == 1 and duration_of(args[0]) is not None and \
                _chain_from(node, ("LettuceClientConfiguration", "LettucePoolingClientConfiguration")):
            value = timeout_value(args)
            jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "lettuce"})
        elif site.name == "setDefaultTimeout" and len(args) == 1 and _async_configurer(node, owner):
            # Spring MVC `configureAsyncSupport(AsyncSupportConfigurer configurer) { configurer.setDefaultTimeout(ms); }`:
            # how long an async request handler may take (spring.mvc.async.request-timeout in code)
            jf.sink.timeout(loc, ID, "total", expr_of(args[0]), 1.0, ts.text(args[0]), jf.evidence(site.name_node),
                            extra={"library": "spring-mvc"}, zero_disables=False)
        elif site.name in ("retryForSpecifiedCountOf", "retryForSpecifiedTimeOf") and len(args) == 1 and \
                owner.rsplit(".", 1)[-1] in ("RetryForSpecifiedCountStrategy", "RetryForSpecifiedTimeStrategy", ""):
            if site.name == "retryForSpecifiedCountOf":
                _retry(jf, loc, _count(args[0]), jf.evidence(site.name_node), "jomon")
            else:
                _retry(jf, loc, None, jf.evidence(site.name_node), "jomon")
        elif site.name == "enabled" and owner == "TimeoutOptions" and len(args) == 1 and duration_of(args[0]) is not None:
            value = timeout_value(args)
            jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "lettuce"})
    _terra_library_calls(jf)
    _retry_budget_classes(jf)
    stairway = _imports(jf, "bio.terra.stairway")
    for site in jf.news:
        type_name = site.name.removeprefix("new ").strip().split("<")[0].rsplit(".", 1)[-1]
        args = arguments(site.node)
        loc = ts.location(site.node)
        if len(args) == 1 and re.search(r"Retr(y|ies)", type_name) and project_type(jf, type_name) \
                and type_name not in _LIBRARY_RETRY_NEWS \
                and args[0].type in ("identifier", "field_access", "decimal_integer_literal"):
            # round 19: a project's retry-budget object made with its count (web3signer's `new
            # NonceTooLowRetryMechanism(MAX_NONCE_RETRIES)`), when the class publishes `$retry_budget` (the tries its
            # count adds: 1 for a count of retries after the first, 0 for a count of tries)
            budget = Ref(f"{type_name}.$retry_budget")
            jf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                           "mechanism": "client_config", "library": "project"},
                        jf.evidence(site.node), "medium", None,
                        (Pending("max_attempts", BinOp("+", expr_of(args[0]), budget), 1.0),
                         Pending("$keep_if", budget, None)))
            continue
        if stairway and type_name in _STAIRWAY_RULES and len(args) == 3 - (type_name == "RetryRuleFixedInterval"):
            # round 19: a Stairway step's retry rule (Terra's flights), usually defined once and handed to addStep(..)
            # by many flights: `new RetryRuleFixedInterval(intervalSeconds, maxCount)` / `new RetryRuleRandomBackoff(
            # incrementMs, maxConcurrency, maxCount)` retry maxCount times (maxCount + 1 tries);
            # `new RetryRuleExponentialBackoff(initialS, maxIntervalS, maxOperationTimeS)` until a time budget (null)
            if type_name == "RetryRuleExponentialBackoff":
                _retry(jf, loc, None, jf.evidence(site.node), "stairway", backoff="exponential", unbounded=True)
            else:
                _retry(jf, loc, _plus_one(args[-1]), jf.evidence(site.node), "stairway",
                       backoff=_STAIRWAY_RULES[type_name])
        elif type_name == "FixedBackOff" and len(args) == 2:
            unbounded = "UNLIMITED" in ts.text(args[1]) or _negative(args[1])
            _retry(jf, loc, _plus_one(args[1]), jf.evidence(site.node), "spring-backoff", backoff="fixed",
                   mechanism="redelivery", unbounded=unbounded)
        elif type_name == "ExponentialBackOffWithMaxRetries" and len(args) == 1:
            _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.node), "spring-kafka", backoff="exponential",
                   mechanism="redelivery")
        elif type_name == "RequestRetryOptions" and len(args) >= 3:
            if args[1].type != "null_literal":
                _retry(jf, loc, expr_of(args[1]), jf.evidence(site.node), "azure-storage",
                       backoff="exponential" if "EXPONENTIAL" in ts.text(args[0]) else "fixed")
            if args[2].type != "null_literal":
                jf.sink.timeout(loc, ID, "per_try", expr_of(args[2]), 1000.0, ts.text(args[2]), jf.evidence(site.node),
                                extra={"library": "azure-storage"}, zero_disables=False)
        elif type_name == "RetryForSpecifiedCountStrategy" and len(args) <= 1:
            # jomon `Retryer.executeWithRetry(fn, new RetryForSpecifiedCountStrategy(3))`: tries while currentTry < n (n
            # tries in all); `new RetryForSpecifiedCountStrategy().withMaxNumberOfRetries(10)`; 5 when left out
            count = _chained_argument(site.node, "withMaxNumberOfRetries") or (args[0] if args else None)
            _retry(jf, loc, _count(count) if count is not None else Num(5.0), jf.evidence(site.node), "jomon")
        elif type_name == "RetryForSpecifiedTimeStrategy":
            # jomon: tries again until a time budget is spent (tries unknown)
            _retry(jf, loc, None, jf.evidence(site.node), "jomon")
        elif type_name == "ZkClient" and len(args) in (2, 3, 4, 5) and args[0].type != "object_creation_expression":
            # I0Itec zkclient `new ZkClient(servers, connectionTimeout)` / `(servers, sessionTimeout, connectionTimeout,
            # ..)`: how long it waits to connect to ZooKeeper (ms)
            timeout = args[1] if len(args) == 2 else args[2]
            if timeout.type not in ("string_literal", "null_literal", "object_creation_expression", "lambda_expression"):
                jf.sink.timeout(ts.location(site.node), ID, "connect", expr_of(timeout), 1.0, ts.text(timeout),
                                jf.evidence(site.node), extra={"library": "zkclient"})
        elif type_name == "Retrier" and args and (tries := _backoff_tries(args[0])) is not None:
            # round 20 (second wave): Buildfarm's gRPC `Retrier` (from Bazel's remote module) with its policy made in
            # place: `new Retrier(Backoff.exponential(initial, max, multiplier, jitter, maxAttempts), isRetriable)` /
            # `new Retrier(Backoff.sequential(maxAttempts), ..)`: maxAttempts retries after the first call (n + 1
            # tries; 0 none), at the `new Retrier(`
            _retry(jf, loc, tries[0], jf.evidence(site.node), "grpc-retrier", backoff=tries[1], mechanism="call")
        elif type_name == "DefaultResourceRetriever" and len(args) >= 2 and _imports(jf, "com.nimbusds."):
            # round 20 (second wave): Nimbus JOSE's `new DefaultResourceRetriever(connectTimeout, readTimeout[, sizeLimit])`
            # (ms; 0 is no limit), the fetcher of a remote JWK set or metadata document
            for phase, amount in (("connect", args[0]), ("read", args[1])):
                if amount.type not in ("string_literal", "null_literal", "lambda_expression"):
                    jf.sink.timeout(ts.location(site.node), ID, phase, expr_of(amount), 1.0, ts.text(amount),
                                    jf.evidence(site.node), extra={"library": "nimbus-jose"})
        elif type_name in ("JedisPool", "JedisSentinelPool", "Jedis", "JedisPooled") and _jedis_timeout(type_name, args):
            timeout = _jedis_timeout(type_name, args)
            # at the constructor's line (round 18: a multi-line `new JedisPool(\n config, host, port,\n
            # Protocol.DEFAULT_TIMEOUT, ..)` at the called name's line, as every multi-line call)
            jf.sink.timeout(ts.location(site.node), ID, "read", expr_of(timeout), 1.0, ts.text(timeout),
                            jf.evidence(site.node), extra={"library": "jedis"})
    _annotations(jf)
    _micronaut_client_configurations(jf)


# Micronaut HttpClientConfiguration getters a subclass may override, and the phase each bounds
_MICRONAUT_GETTERS = {"getReadTimeout": "read", "getConnectTimeout": "connect"}


def _micronaut_client_configurations(jf: JavaFile) -> None:
    """Round 18: a Micronaut client configuration subclass (``class PolarisClientConfig extends
    DefaultHttpClientConfiguration``) whose ``getReadTimeout()`` / ``getConnectTimeout()`` override returns a fixed
    ``Optional.of(Duration.ofSeconds(120))``, in a field (the timeout at the field's line) or written in the return
    (at the return). Not an override that hands on another configuration's value (``defaultConfig.getReadTimeout()``)."""
    if not _imports(jf, "io.micronaut.http.client"):
        return
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        parent = cls.child_by_field_name("superclass")
        body = cls.child_by_field_name("body")
        if parent is None or body is None or not re.search(r"\b(Default)?HttpClientConfiguration\b", ts.text(parent)):
            continue
        for method in (m for m in body.named_children if m.type == "method_declaration"):
            phase = _MICRONAUT_GETTERS.get(ts.text(method.child_by_field_name("name")))
            block = method.child_by_field_name("body")
            statements = [s for s in (block.named_children if block is not None else ())
                          if s.type not in ("line_comment", "block_comment")]
            if phase is None or len(statements) != 1 or statements[0].type != "return_statement" \
                    or not statements[0].named_child_count:
                continue
            returned, at = statements[0].named_children[0], statements[0]
            if returned.type == "identifier" or returned.type == "field_access" \
                    and ts.text(returned.child_by_field_name("object")) == "this":
                name = ts.text(returned).removeprefix("this.").strip()
                declarator = next((d for m in body.named_children if m.type == "field_declaration"
                                   for d in m.named_children if d.type == "variable_declarator"
                                   and ts.text(d.child_by_field_name("name")) == name), None)
                if declarator is None or declarator.child_by_field_name("value") is None:
                    continue
                returned, at = declarator.child_by_field_name("value"), declarator
            if returned.type == "method_invocation" and ts.text(returned.child_by_field_name("name")) == "of" \
                    and ts.text(returned.child_by_field_name("object")) == "Optional" and len(arguments(returned)) == 1:
                returned = arguments(returned)[0]
            duration = duration_of(returned)
            if duration is None:
                continue
            jf.sink.timeout(ts.location(at), ID, phase, duration[0], duration[1], ts.text(returned),
                            jf.evidence(at), extra={"library": "micronaut"})


def _spring_util_backoff(jf: JavaFile, receiver) -> bool:
    """A local made as ``new FixedBackOff()`` / ``new ExponentialBackOff()`` of ``org.springframework.util.backoff``."""
    made = local_initializer(receiver)
    return made is not None and made.type == "object_creation_expression" \
        and re.sub(r"<.*$", "", ts.text(made.child_by_field_name("type"))).rsplit(".", 1)[-1] in (
            "FixedBackOff", "ExponentialBackOff") and _imports(jf, "org.springframework.util.backoff")


_STAIRWAY_RULES = {"RetryRuleFixedInterval": "fixed", "RetryRuleRandomBackoff": "random",
                   "RetryRuleExponentialBackoff": "exponential"}


def _terra_library_calls(jf: JavaFile) -> None:
    """Round 19: terra-common-lib's ``DatabaseRetryUtils.executeAndRetry(operation, Duration retrySleep, int
    maxNumAttempts)`` (a database write retried on a retryable error, all tries counted) and the Cloud Resource
    Library's ``OperationUtils.pollUntilComplete(operation, Duration pollingInterval, Duration timeout)`` (a bounded wait
    for a Google long-running operation, phase total), in files importing them (also statically)."""
    if b"executeAndRetry" not in jf.data and b"pollUntilComplete" not in jf.data:
        return
    retry_utils = _imports(jf, "bio.terra.common.db")
    crl = _imports(jf, "bio.terra.cloudres")
    for site in jf.calls:
        node, args = site.node, arguments(site.node)
        receiver = node.child_by_field_name("object")
        owner = ts.text(receiver).rsplit(".", 1)[-1] if receiver is not None else ""
        loc = name_location(node, site.name_node)
        if site.name == "executeAndRetry" and len(args) == 3 and retry_utils \
                and owner in ("", "DatabaseRetryUtils") and duration_of(args[1]) is not None:
            _retry(jf, loc, _count(args[2]), jf.evidence(site.name_node), "terra-common-lib", backoff="fixed")
        elif site.name == "pollUntilComplete" and len(args) == 3 and crl and owner in ("", "OperationUtils"):
            value = timeout_value([args[2]])
            if value is not None:
                jf.sink.timeout(loc, ID, "total", value[0], value[1], value[2], jf.evidence(site.name_node),
                                extra={"library": "terra-cloud-resource-lib"})


_ROUND18_SETTERS = ("setAcquireRetryAttempts", "setCheckoutTimeout", "setDeclarationRetries", "ping", "connect",
                    "maxAttempts")


def _round18_setting(jf: JavaFile, site, node, args, loc) -> bool:
    """Round 18 library options (True when reported):

    * c3p0 (``com.mchange.v2.c3p0``): ``ds.setAcquireRetryAttempts(30)`` the tries to get a new connection from the
      database (<= 0: forever), ``ds.setCheckoutTimeout(ms)`` how long a caller waits for a pooled connection (as
      Hikari's connectionTimeout; 0 waits forever: nothing set);
    * Spring AMQP listener containers: ``setDeclarationRetries(n)`` re-tries a failed passive queue declaration n
      times (n + 1 tries);
    * Redisson's node API: ``node.ping(2, TimeUnit.SECONDS)`` a bounded ping of a Redis node;
    * mysql-binlog-connector: ``client.connect(5000)`` on a ``BinaryLogClient`` waits that long to connect."""
    name = site.name
    if name in ("setAcquireRetryAttempts", "setCheckoutTimeout") and len(args) == 1 \
            and _imports(jf, "com.mchange.v2.c3p0"):
        if name == "setAcquireRetryAttempts":
            _retry(jf, loc, _count(args[0]), jf.evidence(site.name_node), "c3p0", mechanism="client_config",
                   unbounded=_negative(args[0]) or ts.text(args[0]).strip() == "0")
        else:
            value = timeout_value(args)
            if value is None or ts.text(args[0]).strip() == "0":
                return False
            jf.sink.timeout(loc, ID, "connect", value[0], value[1], value[2], jf.evidence(site.name_node),
                            extra={"library": "c3p0"})
        return True
    if name == "setDeclarationRetries" and len(args) == 1 and _imports(jf, "org.springframework.amqp"):
        _retry(jf, loc, _plus_one(args[0]), jf.evidence(site.name_node), "spring-amqp", mechanism="client_config",
               unbounded=_negative(args[0]))
        return True
    if name == "ping" and len(args) == 2 and _imports(jf, "org.redisson") \
            and ts.text(args[1]).rsplit(".", 1)[-1] in _TIME_UNIT_MS:
        jf.sink.timeout(loc, ID, "total", BinOp("*", _count(args[0]), Num(_TIME_UNIT_MS[ts.text(args[1]).rsplit(".", 1)[-1]])),
                        1.0, ts.text(args[0]), jf.evidence(site.name_node), extra={"library": "redisson"})
        return True
    if name == "connect" and len(args) == 1 and _imports(jf, "com.github.shyiko.mysql.binlog") \
            and args[0].type in ("decimal_integer_literal", "identifier", "field_access") \
            and (args[0].type == "decimal_integer_literal" or "timeout" in ts.text(args[0]).lower()):
        jf.sink.timeout(loc, ID, "connect", _count(args[0]), 1.0, ts.text(args[0]), jf.evidence(site.name_node),
                        extra={"library": "mysql-binlog-connector"})
        return True
    if name == "maxAttempts" and len(args) == 1 and any(
            i.type == "object_creation_expression"
            and re.fullmatch(r"(?:\w+\.)*\w*Retry\w*\.Builder|\w*Retry\w*Builder",
                             re.sub(r"<.*>$", "", ts.text(i.child_by_field_name("type")).strip()))
            for i in chain(node)):
        # a retry configuration's own builder (GOV.UK One Login's cri-common-lib `new RetryConfig.Builder()
        # .delayBetweenAttempts(ms).maxAttempts(3).build()` handed to `RetryManager.execute(config, task)`): its tries
        _retry(jf, loc, _count(args[0]), jf.evidence(site.name_node), "retry-config", mechanism="client_config",
               unbounded=_negative(args[0]))
        return True
    return False


_TIME_UNIT_MS = {"MILLISECONDS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0}
# Apache MINA sshd futures whose `verify(timeout)` bounds a remote step: the connect, the authentication, a channel open
_SSHD_STEPS = {"connect": "connect", "auth": "total", "open": "total"}


def _round18_second(jf: JavaFile, site, node, args, loc) -> bool:
    """Round 18, second wave (True when reported):

    * Apache MINA sshd (``org.apache.sshd``): ``client.connect(user, host, port).verify(5000)`` /
      ``.verify(5, TimeUnit.SECONDS)`` / ``.verify(Duration)`` waits that long for the SSH connection (phase
      connect); ``session.auth().verify(ms)`` and ``channel.open().verify(ms)`` for the authentication or the
      channel (total). Not ``verify()`` without a bound, nor a ``verify`` on anything else (a signature, a mock);
    * Jedis ``MIGRATE`` (``redis.clients.jedis``): ``source.migrate(host, port, key, destinationDb, timeout)`` /
      ``migrate(host, port, destinationDb, timeout, params, keys..)``: how long the source node waits for the
      target (ms). A timeout that grows by one step per try (``migrateTimeout * (factor++)`` with ``factor = 1``)
      is the first try's;
    * RabbitMQ's Java client (``com.rabbitmq.client``): ``factory.setHandshakeTimeout(ms)`` (connect) and
      ``setChannelRpcTimeout(ms)`` (total)."""
    if site.name == "verify" and args and _imports(jf, "org.apache.sshd"):
        receiver = node.child_by_field_name("object")
        step = ts.text(receiver.child_by_field_name("name")) if receiver is not None \
            and receiver.type == "method_invocation" else None
        value = timeout_value(args)
        if step not in _SSHD_STEPS or value is None or len(args) > 2 or _configured_field(args[0]):
            return False
        jf.sink.timeout(loc, ID, _SSHD_STEPS[step], value[0], value[1], value[2], jf.evidence(site.name_node),
                        extra={"library": "mina-sshd"})
        return True
    if site.name in ("setHandshakeTimeout", "setChannelRpcTimeout") and len(args) == 1 \
            and _imports(jf, "com.rabbitmq.client"):
        # the RabbitMQ Java client's ConnectionFactory: the AMQP handshake's limit (connect) and each channel RPC's
        # (total), ms
        jf.sink.timeout(loc, ID, "connect" if site.name == "setHandshakeTimeout" else "total", expr_of(args[0]), 1.0,
                        ts.text(args[0]), jf.evidence(site.name_node), extra={"library": "rabbitmq"})
        return True
    if site.name == "migrate" and len(args) >= 5 and _imports(jf, "redis.clients.jedis"):
        timeout = args[4] if len(args) == 5 and args[2].type != "decimal_integer_literal" else args[3]
        if timeout.type in ("string_literal", "null_literal", "object_creation_expression"):
            return False
        amount = _first_try_amount(timeout)
        jf.sink.timeout(loc, ID, "total", amount, 1.0, ts.text(timeout), jf.evidence(site.name_node),
                        extra={"library": "jedis"})
        return True
    return False


# Library classes of one count argument read by this detector's own rules below.
_LIBRARY_RETRY_NEWS = frozenset({"ExponentialBackOffWithMaxRetries", "RetryForSpecifiedCountStrategy",
                                 "RetryNTimes", "RetryOneTime", "RetryUntilElapsed", "SimpleRetryPolicy",
                                 "MaxAttemptsRetryPolicy", "RetryPolicy"})


def _retry_budget_classes(jf: JavaFile) -> None:
    """Round 19: a class named for retries whose one-parameter constructor takes the count (``public
    RetryMechanism(final int maxRetries) { this.maxRetries = maxRetries; }``, or a subclass handing it to ``super``)
    and that compares a counter with it (``retriesPerformed < maxRetries``) or extends such a class: publishes
    ``<Class>.$retry_budget``, 1 when the count is of retries after the first (``maxRetries``), 0 when of tries
    (``maxAttempts``), read at each ``new <Class>(n)``."""
    if b"Retr" not in jf.data:
        return
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        name = ts.text(cls.child_by_field_name("name"))
        body = cls.child_by_field_name("body")
        if body is None or not re.search(r"Retr(y|ies)", name):
            continue
        superclass = cls.child_by_field_name("superclass")
        for ctor in (m for m in body.named_children if m.type == "constructor_declaration"):
            params = ctor.child_by_field_name("parameters")
            formal = [p for p in (params.named_children if params is not None else ()) if p.type == "formal_parameter"]
            if len(formal) != 1 or ts.text(formal[0].child_by_field_name("type")) not in ("int", "Integer", "long"):
                continue
            param = ts.text(formal[0].child_by_field_name("name"))
            kind = 1 if re.search(r"(?i)retr(y|ies)", param) else 0 if re.search(r"(?i)attempt|tries", param) else None
            if kind is None:
                continue
            block = ts.text(ctor.child_by_field_name("body"))
            kept = re.search(r"(?:this\.)?(\w+)\s*=\s*" + re.escape(param) + r"\s*;", block)
            compared = kept is not None and re.search(r"\w+\s*<=?\s*(?:this\.)?" + re.escape(kept.group(1)) + r"\b",
                                                      ts.text(body))
            handed_up = superclass is not None and re.search(r"\bsuper\s*\(\s*" + re.escape(param) + r"\s*\)", block) \
                and re.search(r"Retr(y|ies)", ts.text(superclass))
            if compared or handed_up:
                jf.symbols[f"{name}.$retry_budget"] = Num(float(kind))
                break


def _round19_second(jf: JavaFile, site, node, args, loc) -> bool:
    """Round 19, second wave (True when reported):

    * (not OkHttp's ``retryOnConnectionFailure(false)``: the JVM sets and the polyglot5 acceptance scenario treat
      switching off the library's silent connection retry as no retry setting; reverted after the fresh-clone run);
    * a Spring Cloud Gateway ``FilterDefinition`` built in code for the Retry filter (``retryFilter.setName("Retry");
      retryFilter.addArg("retries", "5")``): 5 retries after the first, 6 tries, at the ``addArg``."""
    receiver = node.child_by_field_name("object")
    if site.name == "addArg" and len(args) == 2 and string_of(args[0]) == "retries" and receiver is not None \
            and receiver.type == "identifier":
        method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
        name = re.escape(ts.text(receiver))
        if method is None or not re.search(name + r'\s*\.\s*setName\s*\(\s*"Retry"\s*\)', ts.text(method)):
            return False
        text = (string_of(args[1]) or "").strip()
        count = Num(float(text)) if text.isdigit() else expr_of(args[1])
        _retry(jf, loc, BinOp("+", count, Num(1.0)), jf.evidence(site.name_node), "spring-cloud-gateway",
               mechanism="filter")
        return True
    if site.name == "retry" and not args and "RegistryClientOptions" in ts.text(chain_top(node)) \
            and _imports(jf, "io.apicurio.registry.client"):
        # the Apicurio Registry Java SDK's `RegistryClientOptions.create(url).retry()`: its default policy, 3 retries
        # after the first call (4 tries)
        _retry(jf, loc, Num(4.0), jf.evidence(site.name_node), "apicurio-registry-sdk", backoff="exponential")
        return True
    if site.name == "of" and len(args) == 1 and receiver is not None and re.search(r"(?i)retr", ts.text(receiver)) \
            and args[0].type == "method_invocation":
        # a project retryer made from a policy built in place (kestra's `retryUtils.of(Random.builder()
        # .maxAttempt(-1).maxDuration(Duration.ofSeconds(60))..build())`): the policy's tries, at the retryer;
        # a negative count (or only a time budget) is unbounded
        calls = {ts.text(c.child_by_field_name("name")): c for c in chain(args[0]) if c.type == "method_invocation"}
        attempts = calls.get("maxAttempt") or calls.get("maxAttempts")
        if attempts is None or not arguments(attempts):
            return False
        count = expr_of(arguments(attempts)[0])
        _retry(jf, name_location(node, site.name_node), count, jf.evidence(site.name_node), "project",
               unbounded=_negative(arguments(attempts)[0]))
        return True
    return False


def _configured_field(arg) -> bool:
    """``verify(getServerConnectTimeout(), ..)`` / ``verify(serverConnectTimeout)`` reading a field of its own class
    that has no initializer (a Lombok ``@Data`` client whose creator sets it): the value is the setter call's, where
    the object is configured, not this line's."""
    name = None
    if arg.type == "method_invocation" and arg.child_by_field_name("object") is None and not arguments(arg):
        getter = ts.text(arg.child_by_field_name("name"))
        if re.fullmatch(r"get[A-Z]\w*", getter):
            name = getter[3].lower() + getter[4:]
    elif arg.type == "identifier":
        name = ts.text(arg)
    if name is None:
        return False
    for body in (a for a in ts.ancestors(arg) if a.type == "class_body"):
        for member in (m for m in body.named_children if m.type == "field_declaration"):
            for d in (d for d in member.named_children if d.type == "variable_declarator"):
                if ts.text(d.child_by_field_name("name")) == name:
                    return d.child_by_field_name("value") is None and "final" not in ts.text(member).split(name)[0]
        return False
    return False


def _first_try_amount(node) -> Expr:
    """``migrateTimeout * (migrateTimeOutFactor++)`` where the factor is a field starting at 1: the first try's
    ``migrateTimeout``; anything else as written."""
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "*":
        for side, other in (("left", "right"), ("right", "left")):
            factor = node.child_by_field_name(side)
            while factor is not None and factor.type == "parenthesized_expression" and factor.named_child_count:
                factor = factor.named_children[0]
            written = ts.text(factor).replace(" ", "") if factor is not None else ""
            if factor is not None and factor.type == "update_expression" and written.endswith("++") \
                    and _field_start(node, written[:-2]) == "1":
                return expr_of(node.child_by_field_name(other))
    return expr_of(node)


def _field_start(node, name: str) -> str | None:
    """The initializer text of field ``name`` of the nearest class around ``node`` that declares it."""
    for body in (a for a in ts.ancestors(node) if a.type == "class_body"):
        for member in (m for m in body.named_children if m.type == "field_declaration"):
            for d in (d for d in member.named_children if d.type == "variable_declarator"):
                if ts.text(d.child_by_field_name("name")) == name and d.child_by_field_name("value") is not None:
                    return ts.text(d.child_by_field_name("value")).strip()
    return None


_CAMEL_ROUTE_HANDLERS = ("errorHandler", "defaultErrorHandler", "deadLetterChannel", "transactionErrorHandler",
                         "springTransactionErrorHandler")
_CAMEL_HANDLERS = ("onException", "errorHandler", "defaultErrorHandler", "deadLetterChannel", "RedeliveryPolicy",
                   "redeliveryPolicy", "transactionErrorHandler", "springTransactionErrorHandler")


def _camel(jf: JavaFile) -> bool:
    return _imports(jf, "org.apache.camel")


def _camel_backoff(node) -> str:
    """``.useExponentialBackOff()`` anywhere in the same chain: exponential; else Camel's fixed redelivery delay."""
    top = node
    while top.parent is not None and top.parent.type == "method_invocation" and top.parent.child_by_field_name("object") == top:
        top = top.parent
    return "exponential" if "useExponentialBackOff" in ts.text(top) else "fixed"


def _chained_argument(node, name: str):
    """The single argument of ``.name(x)`` called on ``node`` in its chain (``new S().withMaxNumberOfRetries(10)``)."""
    current = node
    while current.parent is not None and current.parent.type == "method_invocation" \
            and current.parent.child_by_field_name("object") == current:
        current = current.parent
        if ts.text(current.child_by_field_name("name")) == name and len(arguments(current)) == 1:
            return arguments(current)[0]
    return None


def _async_configurer(node, owner: str) -> bool:
    """``configurer.setDefaultTimeout(..)`` on an ``AsyncSupportConfigurer`` (declared so, or the parameter of
    ``configureAsyncSupport``)."""
    if not owner or "." in owner:
        return False
    if (declared_type(node, owner) or "") == "AsyncSupportConfigurer":
        return True
    method = next((a for a in ts.ancestors(node) if a.type == "method_declaration"), None)
    return method is not None and ts.text(method.child_by_field_name("name")) == "configureAsyncSupport"


def _redelivery_owner(node, owner: str) -> bool:
    """``redeliveryPolicy.setMaximumRedeliveries(3)``, ``factory.getRedeliveryPolicy().setMaximumRedeliveries(3)``,
    ``new RedeliveryPolicy()`` chains, a receiver declared ``RedeliveryPolicy``."""
    if re.search(r"redelivery", owner, re.IGNORECASE):
        return True
    return (declared_type(node, owner) or "").endswith("RedeliveryPolicy")


def _chain_from(node, roots: tuple[str, ...]) -> bool:
    """Is the call part of a chain that starts from one of these classes (``RetryInterceptorBuilder.stateless()``)?"""
    first = chain(node)[0]
    text = ts.text(first).split("(", 1)[0].split("<", 1)[0].strip()
    if first.type == "object_creation_expression":
        text = ts.text(first.child_by_field_name("type")).split("<", 1)[0]
    return text.rsplit(".", 1)[-1] in roots or any(
        ts.text(i).startswith(tuple(r + "." for r in roots)) for i in chain(node)[:2])


def _in_retry_strategy_lambda(node) -> bool:
    """``.retryStrategy(b -> b.maxAttempts(5))`` in an AWS SDK v2 override configuration."""
    for parent in ts.ancestors(node):
        if parent.type == "lambda_expression":
            call = parent.parent.parent if parent.parent is not None else None
            return call is not None and call.type == "method_invocation" and \
                ts.text(call.child_by_field_name("name")) in ("retryStrategy",)
        if parent.type in ("method_declaration", "class_body"):
            return False
    return False


def _rabbit_template(node, owner: str) -> bool:
    declared = declared_type(node, owner.rsplit(".", 1)[-1]) or ""
    return bool(re.search(r"rabbit|amqp", owner + declared, re.IGNORECASE))


def _jedis_connection_factory(node, owner: str) -> bool:
    """``factory.setTimeout(..)`` on a ``JedisConnectionFactory``, or ``setTimeout(..)`` inside a class extending it."""
    if owner:
        return (declared_type(node, owner) or "").endswith("JedisConnectionFactory")
    cls = next((a for a in ts.ancestors(node) if a.type == "class_declaration"), None)
    parent = cls.child_by_field_name("superclass") if cls is not None else None
    return parent is not None and ts.text(parent).rstrip().endswith("JedisConnectionFactory")


def _backoff_tries(node):
    """``Backoff.exponential(initial, max, multiplier, jitter, maxAttempts)`` -> (maxAttempts + 1, "exponential");
    ``Backoff.sequential(maxAttempts)`` -> (maxAttempts + 1, "fixed"); None for another argument."""
    if node.type != "method_invocation" or ts.text(node.child_by_field_name("object")).rsplit(".", 1)[-1] != "Backoff":
        return None
    name, args = ts.text(node.child_by_field_name("name")), arguments(node)
    if name == "exponential" and len(args) == 5:
        return _plus_one(args[4]), "exponential"
    if name == "sequential" and len(args) == 1:
        return _plus_one(args[0]), "fixed"
    return None


def _jedis_timeout(type_name: str, args):
    """The timeout argument of a Jedis constructor: ``new JedisPool(poolConfig, host, port, timeout, ..)``,
    ``new Jedis(host, port, timeout)`` (an int after host and port)."""
    uri = [i for i, a in enumerate(args[:2]) if re.search(r"\bURI\b|^uri$|^url$", ts.text(a).split("(")[0].strip(), re.IGNORECASE)
           or re.search(r"new URI\(|URI\.create\(", ts.text(a))]
    if uri and len(args) > uri[0] + 1 and type_name in ("JedisPool", "JedisPooled", "Jedis"):
        candidate = args[uri[0] + 1]  # `new JedisPool(new URI(connection), timeout)`, `(poolConfig, uri, timeout)`
    elif type_name in ("JedisPool", "JedisPooled") and len(args) >= 4 and args[2].type != "string_literal":
        candidate = args[3]
    elif type_name == "Jedis" and len(args) >= 3:
        candidate = args[2]
    elif type_name == "JedisSentinelPool" and len(args) >= 4:
        candidate = args[3]
    else:
        return None
    if candidate.type in ("decimal_integer_literal",) or (
            candidate.type in ("identifier", "field_access") and "timeout" in ts.text(candidate).lower()):
        return candidate
    return None


_HYSTRIX_TIMEOUT = "execution.isolation.thread.timeoutInMilliseconds"


def _annotations(jf: JavaFile) -> None:
    dubbo = _imports(jf, "org.apache.dubbo", "com.alibaba.dubbo")
    microprofile = _imports(jf, "org.eclipse.microprofile.faulttolerance")
    for site in jf.annotations:
        name = site.name.rsplit(".", 1)[-1]
        args = annotation_args(site.node)
        loc = ts.location(site.node)
        if name == "DubboReference" or (name == "Reference" and dubbo):
            if "timeout" in args:
                jf.sink.timeout(loc, ID, "total", expr_of(args["timeout"]), 1.0, ts.text(args["timeout"]),
                                jf.evidence(site.node), extra={"library": "dubbo"}, zero_disables=False)
            if "retries" in args:
                _retry(jf, loc, _plus_one(args["retries"]), jf.evidence(site.node), "dubbo",
                       unbounded=_negative(args["retries"]))
        elif name == "HystrixProperty" and string_of(args.get("name")) == _HYSTRIX_TIMEOUT and "value" in args:
            text = string_of(args["value"]) or ""
            if re.fullmatch(r"\d+", text.strip()):
                jf.sink.timeout(loc, ID, "total", Num(float(text)), 1.0, text, jf.evidence(site.node),
                                extra={"library": "hystrix"}, zero_disables=False)
        elif microprofile and name == "Timeout" and site.node.type in ("annotation", "marker_annotation"):
            value = args.get("value")
            if value is None and site.node.type == "annotation":
                listed = site.node.child_by_field_name("arguments")
                plain = [c for c in (listed.named_children if listed is not None else [])
                         if c.type != "element_value_pair"]
                value = plain[0] if plain else None
            unit = _chrono_unit(args.get("unit"))
            if value is None:
                jf.sink.timeout(loc, ID, "total", _mp_configured(jf, site.node, "timeout", Num(1000.0), 1.0), 1.0,
                                "@Timeout", jf.evidence(site.node),
                                extra={"library": "microprofile"}, zero_disables=False)  # the default: 1000 ms
            elif unit is not None:
                jf.sink.timeout(loc, ID, "total", _mp_configured(jf, site.node, "timeout", expr_of(value), unit), 1.0,
                                ts.text(value), jf.evidence(site.node),
                                extra={"library": "microprofile"}, zero_disables=False)
        elif name == "RetryableTopic":
            # Spring Kafka non-blocking retries: `@RetryableTopic(attempts = "4")` deliveries in all (retry topics),
            # 3 when left out
            attempts = args.get("attempts")
            text = string_of(attempts) if attempts is not None else "3"
            expr = spring_placeholder(text) if text and "${" in text else (
                Num(float(text)) if text and re.fullmatch(r"\d+", text.strip()) else None)
            _retry(jf, loc, expr, jf.evidence(site.node), "spring-kafka", mechanism="redelivery")
        elif name == "Job" and jf.imports.get("Job", "").startswith("org.jobrunr.") and "retries" in args \
                and _on_method(site.node) and not _negative(args["retries"]):
            # JobRunr `@Job(name = "..", retries = 2)`: a failed background job is run again n times (n + 1 runs);
            # `retries = 0` turns the default 10 retries off: 1 run, a setting (round 15, as Kafka's `retries` 0);
            # without `retries` the server's default-number-of-retries applies (configuration, not read here)
            _retry(jf, loc, _plus_one(args["retries"]), jf.evidence(site.node), "jobrunr", mechanism="redelivery")
        elif _METHOD_RETRY_ANNOTATION.fullmatch(name) and _on_method(site.node) and not args \
                and re.search(r"@(?:\w+\.)*(Produces|Bean)\b", ts.text(site.node.parent)):
            # round 19: a bare annotation beside `@Produces`/`@Bean` (stargate's `@Produces @Retriable
            # RetriableStargateBridge retriableStargateBridge(..)`): a CDI qualifier naming the produced bean
            continue
        elif _METHOD_RETRY_ANNOTATION.fullmatch(name) and _on_method(site.node):
            # a project's or platform's own retry aspect on a method (`@WithRetry`, jcabi `@RetryOnFailure(attempts
            # = 3)`): a retry of that method's calls, its tries from the annotation when it says (else unknown)
            count = _annotation_count(args)
            _retry(jf, loc, count, jf.evidence(site.node), "annotation", mechanism="annotation",
                   unbounded=isinstance(count, BinOp) and isinstance(count.left, Num) and count.left.value < 0
                   or isinstance(count, Num) and count.value < 0)
        elif microprofile and name == "Retry":
            retries = args.get("maxRetries")
            expr = _plus_one(retries) if retries is not None else Num(4.0)
            expr = _mp_configured(jf, site.node, "retry", expr, 1.0)
            _retry(jf, loc, expr, jf.evidence(site.node), "microprofile", mechanism="annotation",
                   unbounded=retries is not None and _negative(retries))


def _mp_configured(jf: JavaFile, annotation, kind: str, own: Expr, unit: float) -> Expr:
    """Round 13: MicroProfile Fault Tolerance reads a method's annotation values from configuration first: Quarkus
    ``quarkus.fault-tolerance."<pkg.Class>/<method>".timeout.value`` / ``.timeout.unit`` / ``.retry.max-retries``,
    and the MicroProfile spelling ``<pkg.Class>/<method>/Timeout/value`` / ``/Timeout/unit`` /
    ``/Retry/maxRetries``. The property's value wins over the annotation's (a unit left out keeps the annotation's;
    extractors/spring publishes a unit property's ms as ``<key>$ms``); without such a property, the annotation."""
    method = annotation.parent.parent if annotation.parent is not None and annotation.parent.type == "modifiers" else None
    cls = enclosing(annotation, ("class_declaration",))
    if method is None or method.type != "method_declaration" or cls is None:
        return BinOp("*", own, Num(unit)) if unit != 1.0 else own
    owner = ".".join(p for p in (getattr(jf, "package", "") or "", ts.text(cls.child_by_field_name("name"))) if p)
    target = f"{owner}/{ts.text(method.child_by_field_name('name'))}"
    options: list[Expr] = []
    # round 21: a YAML file drops the key's quotes (`quarkus: fault-tolerance: "pkg.C/m": retry: max-retries: ..`
    # flattens to `quarkus.fault-tolerance.pkg.C/m.retry.max-retries`: causeway), a properties file keeps them
    quarkus = (f'quarkus.fault-tolerance."{target}"', f"quarkus.fault-tolerance.{target}")
    if kind == "timeout":
        for value_key, unit_key in ((f"{quarkus[0]}.timeout.value", f"{quarkus[0]}.timeout.unit"),
                                    (f"{quarkus[1]}.timeout.value", f"{quarkus[1]}.timeout.unit"),
                                    (f"{target}/Timeout/value", f"{target}/Timeout/unit")):
            options.append(BinOp("*", Ref(value_key), Call("coalesce", (Ref(unit_key + "$ms"), Num(unit)))))
    else:
        for key in (f"{quarkus[0]}.retry.max-retries", f"{quarkus[1]}.retry.max-retries",
                    f"{target}/Retry/maxRetries"):
            options.append(BinOp("+", Ref(key), Num(1.0)))
    # the annotation's own value, unless the environment sets the MicroProfile property (MicroProfile Config maps
    # `C/m/Timeout/value` to the variable `C_M_TIMEOUT_VALUE`): the pipeline evaluates it again with the service's
    # configuration
    key = f"{target}/{'Timeout/value' if kind == 'timeout' else 'Retry/maxRetries'}"
    options.append(Env(re.sub(r"[^A-Za-z0-9]", "_", key).upper(),
                       BinOp("*", own, Num(unit)) if unit != 1.0 else own))
    return Call("coalesce", tuple(options))


# Retry annotations of libraries without a detector of their own and of projects' own aspects (MOSIP's `@WithRetry`,
# jcabi-aspects' `@RetryOnFailure`, `@Retrying`, `@AutoRetry`); Spring's `@Retryable`, Resilience4j's and
# MicroProfile's `@Retry` have theirs, and `@EnableRetry` switches retries on (no retry of its own).
# Round 18: also a project's own binding named for its policy (`@RetryWithExponentialBackoff(maxRetries =
# "${AWS_SEND_RETRIES}")`, an interceptor binding over SmallRye FaultTolerance in RedHatInsights' swatch).
_METHOD_RETRY_ANNOTATION = re.compile(
    r"(?:With|Auto)Retr(?:y|ies)\w*|Retrying|Retriable|RetryOn(?:Failure|Exception|Error)|Retr(?:y|ies)With[A-Z]\w*")


def _on_method(annotation) -> bool:
    mods = annotation.parent
    return mods is not None and mods.type == "modifiers" and mods.parent is not None \
        and mods.parent.type == "method_declaration"


def _annotation_count(args: dict):
    """The tries an annotation states: ``maxAttempts``/``attempts`` (all tries), ``maxRetries``/``retries``/``times``
    (retries after the first: n + 1); None when it states none."""
    for key in ("maxAttempts", "attempts"):
        if key in args:
            return _annotation_scalar(args[key])
    for key in ("maxRetries", "retries", "times"):
        if key in args:
            scalar = _annotation_scalar(args[key])
            return BinOp("+", scalar, Num(1.0)) if scalar is not None else None
    return None


def _annotation_scalar(node) -> Expr | None:
    """A count an annotation gives, also as text (round 18: a project's binding takes ``String`` attributes so that
    they can hold configuration): ``"3"`` -> 3, ``"${x.retries:5}"`` -> the setting (its default 5),
    ``"${AWS_SEND_RETRIES}"`` -> the property of that name in the service's configuration (MicroProfile Config and
    Spring read ``application.properties`` before the environment), else the environment's; any other text: None."""
    if node.type != "string_literal":
        return _count(node)
    text = (string_of(node) or "").strip()
    if re.fullmatch(r"-?\d+", text):
        return Num(float(text))
    placeholder = spring_placeholder(text) if text.startswith("${") else None
    if isinstance(placeholder, Env):
        return Call("coalesce", (Ref(placeholder.var), placeholder))
    return placeholder


_CHRONO = {"MILLIS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0, "NANOS": 0.000001, "MICROS": 0.001, "HOURS": 3600000.0}


def _chrono_unit(node) -> float | None:
    if node is None:
        return 1.0
    return _CHRONO.get(ts.text(node).rsplit(".", 1)[-1])
