"""Timeout and retry options of client libraries that Kotlin services use, read from a table.

What it does: reports an option of a library the file imports, where it is set:

- builder setters and constructors (``RedisURI.builder().withTimeout(Duration.ofSeconds(2))``,
  ``SimpleRetryPolicy(4)``, ``Retryer.Default(100, 1000, 3)``, ``JedisPool(cfg, host, port, 2000)``),
- properties set in the library's configuration block (``S3Client { httpClient { connectTimeout =
  3.seconds } }``, ``ConnectionFactory().apply { handshakeTimeout = 6000 }``, ``transaction { queryTimeout
  = 10 }``, ``SimpleRetryPolicy().apply { maxAttempts = 4 }``),
- JavaMail properties by key (``props["mail.smtp.timeout"] = "5000"``, ``put("mail.smtp.connectiontimeout",
  ..)``, ``"mail.smtp.writetimeout" to 4000``), JDBC / Spring ``setQueryTimeout(seconds)`` and Spring's
  ``@Transactional(timeout = seconds)``,
- a wait on a future that an outbound call returned (``producer.send(record).get(10, TimeUnit.SECONDS)``,
  ``client.sendAsync(..).orTimeout(5, TimeUnit.SECONDS)``), and Reactor's blocking wait on a request
  (``webClient.get().uri(u).retrieve().bodyToMono<T>().block(Duration.ofSeconds(5))``).

Libraries (the option's unit in brackets): OkHttp ``writeTimeout`` and Netty ``WriteTimeoutHandler``
[seconds] (phase write); Fuel ``timeoutRead`` / ``FuelManager`` ``timeoutInMillisecond``,
``timeoutReadInMillisecond`` [ms]; Feign ``Request.Options`` and ``Retryer.Default`` (max attempts
counts the first); Hikari ``setConnectionTimeout`` / ``setValidationTimeout`` [ms]; Exposed
``queryTimeout`` [s], ``DatabaseConfig { defaultMaxAttempts }``; Lettuce ``withTimeout``,
``commandTimeout``, ``TimeoutOptions.enabled/fixedTimeout``; Jedis pool timeout [ms],
``DefaultJedisClientConfig`` ``timeoutMillis`` / ``connectionTimeoutMillis`` / ``socketTimeoutMillis``,
``setMaxWait``; Redisson ``setTimeout`` [ms] and ``setRetryAttempts`` (+1 try); MongoDB
``serverSelectionTimeout``, ``maxWaitTime``; RabbitMQ ``connectionTimeout`` / ``handshakeTimeout`` [ms];
Spring Retry / Spring AMQP ``SimpleRetryPolicy``, ``RetryTemplate.builder().maxAttempts``,
``RetryInterceptorBuilder..maxAttempts``; NATS ``request(subject, body, Duration)``; AWS SDK for Kotlin
``httpClient { connectTimeout; socketReadTimeout; socketWriteTimeout; connectionAcquireTimeout }``; AWS SDK
for Java v2 ``RetryPolicy.builder().numRetries`` (+1), ``retryStrategy { it.maxAttempts(n) }``; AWS SDK v1
``ClientConfiguration`` ``withConnectionTimeout`` / ``withSocketTimeout`` / ``withRequestTimeout`` /
``withClientExecutionTimeout`` [ms] and ``withMaxErrorRetry`` (+1); Google gax ``RetrySettings``
``setMaxAttempts``, ``setTotalTimeout``, ``setInitialRpcTimeout`` (per try); Azure
``ExponentialBackoffOptions`` / ``AmqpRetryOptions`` ``setMaxRetries`` (+1), ``setTryTimeout``,
``FixedDelayOptions(maxRetries, delay)``, ``HttpClientOptions.setWriteTimeout``, ``ExponentialBackoff(maxRetries,
..)`` / ``FixedDelay(maxRetries, ..)`` (+1), Azure Storage ``RequestRetryOptions(policy, maxTries, ..)``,
``DownloadRetryOptions.setMaxRetryRequests`` (+1), ``listBlobs(options, timeout)`` / ``listBlobsByHierarchy`` /
``listBlobContainers``; sshj ``SSHClient`` ``connectTimeout`` / ``timeout`` (and their setters) [ms]; JSch
``Session.timeout`` / ``setTimeout`` and ``session.connect(ms)`` / ``channel.connect(ms)``; R2DBC pool
``maxAcquireTime`` / ``maxCreateConnectionTime``; Arrow ``Schedule.recurs(n)`` (+1); Fetch2 downloads
``autoRetryMaxAttempts`` / ``setAutoRetryMaxAttempts`` (+1); OpenSearch / Elasticsearch
``BackoffPolicy.constantBackoff`` / ``exponentialBackoff(delay, maxNumberOfRetries)`` (+1),
``actionGet(timeout)``, ``TransportRequestOptions.builder().withTimeout``, ``cancelAfterTimeInterval``,
``masterNodeTimeout`` / ``clusterManagerNodeTimeout``, ``setMaxRetryTimeoutMillis`` (values in ``TimeValue``);
lavaplayer ``HttpClientTools.setDefaultRequestTimeout(connect, connectionRequest, socket)`` [ms] and the
YouTube IP rotator's ``withRetryLimit`` (+1); google-http-client ``HttpRequest`` properties
``connectTimeout`` / ``readTimeout`` / ``writeTimeout`` [ms] and ``numberOfRetries`` /
``setNumberOfRetries`` (+1); HBase / Hadoop ``Configuration`` keys (``set``/``setInt(HConstants.HBASE_RPC_TIMEOUT_KEY,
..)``, operation / scanner / rpc read and write timeouts [ms], ``hbase.client.retries.number`` (+1)); AWS SDK v1
``ClientConfiguration().apply { socketTimeout; connectionTimeout; requestTimeout; maxErrorRetry }``; Fuel
``Request.timeout(ms)`` (connect); Spring MVC ``AsyncSupportConfigurer.setDefaultTimeout(ms)`` (round 13); Kord
``LinearRetry(first, max, maxTries)`` (round 15).

Each option counts only when the file imports that library (an ``Options.Builder()`` of another
library is not NATS) and, for names that many libraries share, only on the library's own receiver or in
its own block. A literal 0 where the library reads 0 as "no timeout" (OkHttp, Netty, JavaMail, JDBC,
Jedis) is a missing_timeout, a negative ``@Transactional`` timeout is the default (none).

Why it matters: these options bound calls to databases, caches, brokers and cloud APIs as surely as an
HTTP client's timeout does; a survey of the Kotlin ecosystem found them missing from first scans.

Example: ``RedisURI.builder().withTimeout(Duration.ofSeconds(2))`` -> timeout 2000ms phase=total
library=lettuce; ``SimpleRetryPolicy(4)`` -> retry max_attempts=4 library=spring-retry.
"""

from __future__ import annotations

from dataclasses import replace

import re
from dataclasses import dataclass

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented, settle_count
from extractors.kotlin.detectors.http_timeouts import _setter_named_args
from extractors.kotlin.syntax import (KCall, KotlinFile, annotation_parts, declared_type, duration_of, expr_of, name_location, timeout_value,
                                      member_value, parameter_default, string_of, unit_of, with_parameter_defaults)

ID = "kotlin.library_knobs"


@dataclass(frozen=True)
class Knob:
    library: str
    gates: tuple[str, ...]          # import prefixes: the file must import one
    kind: str                       # "timeout" or "retry"
    phase: str = "total"            # timeouts
    unit: float = 1.0               # ms per unit of a plain number (timeouts)
    offset: int = 0                 # tries = value + offset (retries)
    arg: int = 0                    # which argument holds the value (calls)
    scope: tuple[str, ...] = ()     # words the receiver chain or enclosing block must hold (lower case)
    zero_disables: bool = False
    unless: tuple[str, ...] = ()    # words that, in the receiver chain or block, leave it to another detector
    duration: bool = False          # only a Duration argument on a receiver (`container.listBlobs(o, timeout)`):
                                    # a project's own helper of that name takes other things
    default: float | None = None    # the library's value when the call passes none (`DefaultHttpRequestRetryStrategy()`:
                                    # 1 retry, 2 tries); tries for retries


_OKHTTP = ("okhttp3", "io.ktor.client.engine.okhttp")
_RAPIDS = ("no.nav.helse.rapids_rivers", "com.github.navikt.tbd_libs.rapids_and_rivers")
_JEDIS = ("redis.clients.jedis", "io.valkey")  # Valkey's fork (valkey-java) keeps Jedis's API
_AWS1 = ("com.amazonaws",)
_AWS2 = ("software.amazon.awssdk",)
_AWSK = ("aws.sdk.kotlin", "aws.smithy.kotlin")
_GAX = ("com.google.api.gax", "com.google.cloud")
_AZURE = ("com.azure",)
_SPRING_RETRY = ("org.springframework.retry", "org.springframework.amqp")
_OPENSEARCH = ("org.opensearch", "org.elasticsearch")
_LAVAPLAYER = ("com.sedmelluq", "dev.arbjerg.lavaplayer")
_GHTTP = ("com.google.api.client.http",)
_SSHJ = ("net.schmizz.sshj",)
_JSCH = ("com.jcraft.jsch",)
_APACHE5 = ("org.apache.hc.client5",)
_APACHE4 = ("org.apache.http",)

# Setter / builder / constructor calls: name -> candidates (first whose gate and scope hold wins).
CALLS: dict[str, tuple[Knob, ...]] = {
    "writeTimeout": (Knob("okhttp", _OKHTTP, "timeout", "write", zero_disables=True),
                     Knob("aws-sdk-java-v2", _AWS2, "timeout", "write")),
    "WriteTimeoutHandler": (Knob("netty", ("io.netty",), "timeout", "write", unit=1000.0, zero_disables=True),),
    "setWriteTimeout": (Knob("azure-core", _AZURE, "timeout", "write"),),
    "timeoutRead": (Knob("fuel", ("com.github.kittinunf.fuel",), "timeout", "read"),),
    # round 13 (mrc-ide/hint): Fuel's `Request.timeout(ms)` is the connect timeout (timeoutRead the read one); a
    # Reactor / coroutine chain's `.timeout(..)` in the same file is not Fuel's
    "timeout": (Knob("fuel", ("com.github.kittinunf.fuel",), "timeout", "connect",
                     unless=("mono", "flux", "retrieve", "webclient", "flow")),
                # round 16 (ai-summary-podcast): jsoup's `Jsoup.connect(url).timeout(30_000).get()`, connect and read
                # together (ms; 0 waits forever)
                Knob("jsoup", ("org.jsoup",), "timeout", "total", scope=("jsoup",), zero_disables=True),
                # round 18 (dex-processing-status): Couchbase `PingOptions.pingOptions().timeout(Duration)`
                Knob("couchbase", ("com.couchbase",), "timeout", "total", scope=("pingoptions",))),
    # Selenium (round 12, jibri): how long the browser waits for a page to load from the site, and an explicit
    # wait for the remote page to reach a state (`WebDriverWait(driver, Duration.ofSeconds(30)).until { }`,
    # the second argument; a bare number is seconds in the old API)
    "pageLoadTimeout": (Knob("selenium", ("org.openqa.selenium",), "timeout", "total"),),
    "WebDriverWait": (Knob("selenium", ("org.openqa.selenium",), "timeout", "total", unit=1000.0, arg=1),),
    "Options": (Knob("feign", ("feign",), "timeout", "connect", scope=("request",)),),
    "setConnectionTimeout": (Knob("hikari", ("com.zaxxer.hikari",), "timeout", "connect"),
                             Knob("rabbitmq", ("com.rabbitmq.client", "org.springframework.amqp"), "timeout", "connect"),
                             Knob("aws-sdk-java-v1", _AWS1, "timeout", "connect")),
    "setValidationTimeout": (Knob("hikari", ("com.zaxxer.hikari",), "timeout", "read"),),
    "setHandshakeTimeout": (Knob("rabbitmq", ("com.rabbitmq.client",), "timeout", "connect"),),
    "setQueryTimeout": (Knob("jdbc", (), "timeout", "total", unit=1000.0, zero_disables=True),),
    # round 17 (round-16 request, evakaoulu): a transaction handle's statement timeout given as a Duration
    # (eVaka's / Jdbi-based `tx.setStatementTimeout(Duration.ofMinutes(10))`): the database may run each statement so long
    "setStatementTimeout": (Knob("jdbc", (), "timeout", "total", duration=True),),
    "withTimeout": (Knob("fabric8", ("io.fabric8",), "timeout", "total", scope=("pods", "resource", "innamespace")),
                    Knob("lettuce", ("io.lettuce",), "timeout", "total", scope=("redisuri", "builder", "uri")),
                    Knob("opensearch", _OPENSEARCH, "timeout", "total", scope=("transportrequestoptions", "options"))),
    # OpenSearch / Elasticsearch: BackoffPolicy.constantBackoff(delay, maxNumberOfRetries) (+1 try), a
    # blocking wait on an action's future, a search's server-side cancellation, cluster-manager waits
    "constantBackoff": (Knob("opensearch", _OPENSEARCH, "retry", offset=1, arg=1, scope=("backoffpolicy",)),),
    "exponentialBackoff": (Knob("opensearch", _OPENSEARCH, "retry", offset=1, arg=1, scope=("backoffpolicy",)),),
    "actionGet": (Knob("opensearch", _OPENSEARCH, "timeout", "total"),),
    "setCancelAfterTimeInterval": (Knob("opensearch", _OPENSEARCH, "timeout", "total", scope=("request",)),),
    "masterNodeTimeout": (Knob("opensearch", _OPENSEARCH, "timeout", "total"),),
    "clusterManagerNodeTimeout": (Knob("opensearch", _OPENSEARCH, "timeout", "total"),),
    "setMasterNodeTimeout": (Knob("opensearch", _OPENSEARCH, "timeout", "total"),),
    "setMaxRetryTimeoutMillis": (Knob("elasticsearch-rest", _OPENSEARCH, "timeout", "total"),),
    # lavaplayer: the YouTube IP rotator's retry limit (+1 try)
    "withRetryLimit": (Knob("lavaplayer", _LAVAPLAYER, "retry", offset=1),),
    "setDefaultRequestTimeout": (Knob("lavaplayer", _LAVAPLAYER, "timeout", "connect"),),
    "commandTimeout": (Knob("lettuce", ("io.lettuce", "org.springframework.data.redis"), "timeout", "total"),),
    "enabled": (Knob("lettuce", ("io.lettuce",), "timeout", "total", scope=("timeoutoptions",)),),
    "fixedTimeout": (Knob("lettuce", ("io.lettuce",), "timeout", "total"),),
    "JedisPool": (Knob("jedis", _JEDIS, "timeout", "read", arg=3, zero_disables=True),),
    # NAV's rapids-and-rivers: `rapid.publishWithTimeout([key,] message, timeoutInSec)` waits for the Kafka send
    "publishWithTimeout": (Knob("rapids-and-rivers", _RAPIDS, "timeout", "total", unit=1000.0, arg=-1),),
    "timeoutMillis": (Knob("jedis", _JEDIS, "timeout", "read", zero_disables=True),),
    "connectionTimeoutMillis": (Knob("jedis", _JEDIS, "timeout", "connect", zero_disables=True),),
    "socketTimeoutMillis": (Knob("jedis", _JEDIS, "timeout", "read", zero_disables=True),),
    "setMaxWait": (Knob("jedis", _JEDIS, "timeout", "connect"),),
    "setTimeout": (Knob("redisson", ("org.redisson",), "timeout", "read"),
                   Knob("sshj", _SSHJ, "timeout", "read", scope=("ssh", "sftp")),
                   Knob("jsch", _JSCH, "timeout", "read", scope=("session",))),
    "setConnectTimeout": (Knob("sshj", _SSHJ, "timeout", "connect", scope=("ssh", "sftp")),),
    # JSch: `session.connect(30_000)` / `channel.connect(10_000)` (ms to connect)
    "connect": (Knob("jsch", _JSCH, "timeout", "connect", scope=("session", "channel")),),
    "setRetryAttempts": (Knob("redisson", ("org.redisson",), "retry", offset=1),),
    "serverSelectionTimeout": (Knob("mongodb", ("com.mongodb", "org.litote.kmongo"), "timeout", "connect"),),
    "maxWaitTime": (Knob("mongodb", ("com.mongodb", "org.litote.kmongo"), "timeout", "connect"),),
    "SimpleRetryPolicy": (Knob("spring-retry", _SPRING_RETRY, "retry", default=3.0),),
    # round 19 (hmpps-prisoner-search): `topic.publish(.., retryPolicy = NeverRetryPolicy())`: retries off, one try
    "NeverRetryPolicy": (Knob("spring-retry", _SPRING_RETRY, "retry", default=1.0),),
    "maxAttempts": (Knob("spring-retry", _SPRING_RETRY, "retry", scope=("retrytemplate", "retryinterceptorbuilder")),
                    Knob("aws-sdk-java-v2", _AWS2, "retry", scope=("retrystrategy",))),
    "Default": (Knob("feign", ("feign",), "retry", arg=2, scope=("retryer",), default=5.0),),
    "numRetries": (Knob("aws-sdk-java-v2", _AWS2, "retry", offset=1),),
    "withConnectionTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "connect"),),
    "withSocketTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "read"),),
    "withRequestTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total"),),
    "withClientExecutionTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total"),),
    "setRequestTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total"),),
    "setClientExecutionTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total"),),
    "withMaxErrorRetry": (Knob("aws-sdk-java-v1", _AWS1, "retry", offset=1),),
    # round 11: AWS SDK v1 `RetryPolicy(condition, backoff, maxErrorRetry, honorMaxErrorRetryInClientConfig)`
    "RetryPolicy": (Knob("aws-sdk-java-v1", _AWS1, "retry", offset=1, arg=2),),
    # round 11: Spinnaker kork `retrySupport.retry({ call }, maxRetries, backoff, exponential)`: n tries in all
    "retry": (Knob("kork", ("com.netflix.spinnaker.kork",), "retry", arg=1, scope=("retrysupport",)),),
    "setMaxErrorRetry": (Knob("aws-sdk-java-v1", _AWS1, "retry", offset=1),),
    "setMaxAttempts": (Knob("gax", _GAX, "retry", scope=("retrysettings",)),
                       Knob("spring-retry", _SPRING_RETRY, "retry", scope=("retrypolicy", "policy"))),
    "setTotalTimeout": (Knob("gax", _GAX, "timeout", "total"),),
    "setTotalTimeoutDuration": (Knob("gax", _GAX, "timeout", "total"),),
    "setInitialRpcTimeout": (Knob("gax", _GAX, "timeout", "per_try"),),
    "setInitialRpcTimeoutDuration": (Knob("gax", _GAX, "timeout", "per_try"),),
    "setMaxRetries": (Knob("azure-core", _AZURE, "retry", offset=1),),
    "setTryTimeout": (Knob("azure-core", _AZURE, "timeout", "per_try"),),
    "FixedDelayOptions": (Knob("azure-core", _AZURE, "retry", offset=1),),
    # round 15 (fb-pages-discord-bot): Kord's gateway `reconnectRetry = LinearRetry(firstBackoff, maxBackoff, maxTries)`
    # (the third argument: the tries of the reconnect)
    "LinearRetry": (Knob("kord", ("dev.kord",), "retry", arg=2),),
    # Azure core policies (`RetryPolicy(ExponentialBackoff(3, base, max))`, `FixedDelay(3, delay)`: retries after
    # the first try), Azure Storage `RequestRetryOptions(policy, maxTries, ..)` (all tries), a blob download's
    # `DownloadRetryOptions().setMaxRetryRequests(n)` (re-reads after the first), `listBlobs(options, timeout)`
    "ExponentialBackoff": (Knob("azure-core", _AZURE, "retry", offset=1),),
    "FixedDelay": (Knob("azure-core", _AZURE, "retry", offset=1),),
    "RequestRetryOptions": (Knob("azure-storage", _AZURE, "retry", arg=1),),
    "setMaxRetryRequests": (Knob("azure-storage", _AZURE, "retry", offset=1),),
    "listBlobs": (Knob("azure-storage", _AZURE, "timeout", "total", arg=1, duration=True),),
    "listBlobsByHierarchy": (Knob("azure-storage", _AZURE, "timeout", "total", arg=2, duration=True),),
    "listBlobContainers": (Knob("azure-storage", _AZURE, "timeout", "total", arg=1, duration=True),),
    "maxAcquireTime": (Knob("r2dbc-pool", ("io.r2dbc",), "timeout", "connect"),),
    "maxCreateConnectionTime": (Knob("r2dbc-pool", ("io.r2dbc",), "timeout", "connect"),),
    "setAutoRetryMaxAttempts": (Knob("fetch2", ("com.tonyodev.fetch2",), "retry", offset=1),),
    "recurs": (Knob("arrow", ("arrow.",), "retry", offset=1, scope=("schedule",)),),
    "setNumberOfRetries": (Knob("google-http-client", _GHTTP, "retry", offset=1),),
    # Apache HttpClient 5 `DefaultHttpRequestRetryStrategy(maxRetries, interval)` (retries after the first try;
    # none given: 1 retry) and 4.x `DefaultHttpRequestRetryHandler(retryCount, sentRetryEnabled)` /
    # `StandardHttpRequestRetryHandler(..)` (none given: 3 retries); `setMaxRetries` on an AsyncHttpClient-like
    # builder is Azure's above. HttpClient 5's `ConnectionConfig.custom().setSocketTimeout(..)` / `setConnectTimeout`
    # and `RequestConfig` setters are the shared JVM timeout setters (kotlin.http_timeouts).
    "DefaultHttpRequestRetryStrategy": (Knob("apache-httpclient5", _APACHE5, "retry", offset=1, default=2.0),),
    "DefaultHttpRequestRetryHandler": (Knob("apache-httpclient4", _APACHE4, "retry", offset=1, default=4.0),),
    "StandardHttpRequestRetryHandler": (Knob("apache-httpclient4", _APACHE4, "retry", offset=1, default=4.0),),
    # round 18 (dex-processing-status): Temporal's ActivityOptions (how long one run of an activity may take, and the
    # whole of its runs with the retries) and RetryOptions' maximum attempts (tries; 0 = unlimited)
    "setStartToCloseTimeout": (Knob("temporal", ("io.temporal",), "timeout", "total"),),
    "setScheduleToCloseTimeout": (Knob("temporal", ("io.temporal",), "timeout", "total"),),
    "setMaximumAttempts": (Knob("temporal", ("io.temporal",), "retry"),),
    # Apache Camel `onException(E::class.java).maximumRedeliveries(3)` / a RedeliveryPolicy's: redeliveries after
    # the first try (-1: forever), as Java reads them
    "maximumRedeliveries": (Knob("camel", ("org.apache.camel",), "retry", offset=1),),
    # Couchbase: `bucket.waitUntilReady(Duration)` (a bounded wait for the cluster) and a ping's own timeout
    # (`cluster.ping(PingOptions.pingOptions().timeout(d))`)
    "waitUntilReady": (Knob("couchbase", ("com.couchbase",), "timeout", "total", duration=True),
                       # fabric8: `resource.waitUntilReady(n, unit)`, a bounded wait for a remote resource's state
                       Knob("fabric8", ("io.fabric8",), "timeout", "total")),
    # fabric8: `listActivePods(labels).waitUntilCondition(Objects::isNull, 45, TimeUnit.SECONDS)` (the second
    # argument and its unit) and `.resource(pod).withTimeout(1, TimeUnit.MINUTES).delete()`
    "waitUntilCondition": (Knob("fabric8", ("io.fabric8",), "timeout", "total", arg=1),),
}

# Properties set on the library's object or in its block: name -> candidates.
PROPERTIES: dict[str, tuple[Knob, ...]] = {
    "timeoutInMillisecond": (Knob("fuel", ("com.github.kittinunf.fuel",), "timeout", "connect"),),
    "timeoutReadInMillisecond": (Knob("fuel", ("com.github.kittinunf.fuel",), "timeout", "read"),),
    # `config.connectionTimeout = 3000` on a variable declared HikariConfig (kotlin.http_timeouts reads
    # the ones whose receiver or block names hikari).
    "connectionTimeout": (Knob("hikari", ("com.zaxxer.hikari",), "timeout", "connect", scope=("decl:hikariconfig",),
                               unless=("hikari",)),
                          Knob("rabbitmq", ("com.rabbitmq.client",), "timeout", "connect", scope=("connectionfactory", "factory")),
                          Knob("aws-sdk-java-v1", _AWS1, "timeout", "connect", scope=("clientconfiguration",))),
    "validationTimeout": (Knob("hikari", ("com.zaxxer.hikari",), "timeout", "read", scope=("decl:hikariconfig",),
                               unless=("hikari",)),),
    "handshakeTimeout": (Knob("rabbitmq", ("com.rabbitmq.client",), "timeout", "connect", scope=("connectionfactory", "factory")),),
    "queryTimeout": (Knob("exposed", ("org.jetbrains.exposed",), "timeout", "total", unit=1000.0,
                          scope=("transaction",)),
                     Knob("jdbc", (), "timeout", "total", unit=1000.0, zero_disables=True,
                          scope=("statement", "stmt", "jdbctemplate", "template", "preparedstatement")),
                     # round 17 (round-16 request, aap-arenaoppslag): `val query = prepareStatement(sql); query.queryTimeout
                     # = 300` in a file importing java.sql: the JDBC Statement's property form of setQueryTimeout (s)
                     Knob("jdbc", ("java.sql",), "timeout", "total", unit=1000.0, zero_disables=True)),
    "defaultMaxAttempts": (Knob("exposed", ("org.jetbrains.exposed",), "retry", scope=("databaseconfig",)),),
    "defaultRepetitionAttempts": (Knob("exposed", ("org.jetbrains.exposed",), "retry", scope=("databaseconfig",)),),
    "repetitionAttempts": (Knob("exposed", ("org.jetbrains.exposed",), "retry", scope=("transaction",)),),
    "maxAttempts": (Knob("spring-retry", _SPRING_RETRY, "retry", scope=("retrypolicy", "policy")),),
    # Fetch2 (Android downloads): how many times a failed download is started again by itself
    "autoRetryMaxAttempts": (Knob("fetch2", ("com.tonyodev.fetch2",), "retry", offset=1),),
    "cancelAfterTimeInterval": (Knob("opensearch", _OPENSEARCH, "timeout", "total", scope=("request",)),),
    "connectTimeout": (Knob("aws-sdk-kotlin", _AWSK, "timeout", "connect", scope=("httpclient", "engine")),
                       Knob("sshj", _SSHJ, "timeout", "connect", zero_disables=True, scope=("ssh", "sftp")),
                       Knob("google-http-client", _GHTTP, "timeout", "connect", zero_disables=True)),
    # google-http-client's HttpRequest (`request.readTimeout = 20_000`; ms, 0 = none; numberOfRetries: retries
    # after the first try, default 10 when not set)
    "readTimeout": (Knob("google-http-client", _GHTTP, "timeout", "read", zero_disables=True),),
    # sshj's SSHClient (`ssh.connectTimeout = 10_000`, `ssh.timeout = 60_000`: ms, 0 = none) and JSch's Session
    "timeout": (Knob("sshj", _SSHJ, "timeout", "read", zero_disables=True, scope=("ssh", "sftp")),
                Knob("jsch", _JSCH, "timeout", "read", zero_disables=True, scope=("session",))),
    "writeTimeout": (Knob("google-http-client", _GHTTP, "timeout", "write", zero_disables=True),),
    "numberOfRetries": (Knob("google-http-client", _GHTTP, "retry", offset=1),),
    "socketReadTimeout": (Knob("aws-sdk-kotlin", _AWSK, "timeout", "read", scope=("httpclient", "engine")),),
    # round 13 (dwp hbase-to-mongo-export): AWS SDK v1 `ClientConfiguration().apply { socketTimeout = ms }` (the
    # Kotlin property form of the setters above; maxErrorRetry re-tries after the first call)
    "socketTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "read", scope=("clientconfiguration",)),),
    "requestTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total", scope=("clientconfiguration",)),),
    "clientExecutionTimeout": (Knob("aws-sdk-java-v1", _AWS1, "timeout", "total", scope=("clientconfiguration",)),),
    "maxErrorRetry": (Knob("aws-sdk-java-v1", _AWS1, "retry", offset=1, scope=("clientconfiguration",)),),
    "socketWriteTimeout": (Knob("aws-sdk-kotlin", _AWSK, "timeout", "write", scope=("httpclient", "engine")),),
    "connectionAcquireTimeout": (Knob("aws-sdk-kotlin", _AWSK, "timeout", "connect", scope=("httpclient", "engine")),),
}

# JavaMail session properties (ms; 0 or absent = wait forever).
MAIL_KEYS = {"timeout": "read", "connectiontimeout": "connect", "writetimeout": "write"}
_MAIL_KEY = re.compile(r"^mail\.smtps?\.(timeout|connectiontimeout|writetimeout)$")

_SCOPE_FUNCTIONS = {"apply", "also", "run", "with", "let"}
# A future an outbound call returned: the receiver chain or the value the future was read from names one.
_OUTBOUND_FUTURE = re.compile(r"send|async|request|publish|execute|invoke|fetch|call\b|call\(|rpc|grpc|stub|"
                              r"client|producer|http|api\.|upload|download|query", re.IGNORECASE)


# A future of a task scheduled on an executor (`pool.scheduleAtFixedRate(1, MINUTES) { client.update() }`): waiting
# for it (after cancelling it, on shutdown) bounds a local task, not the call inside it (round 12, jibri).
_SCHEDULED_TASK = re.compile(r"^[\w.]*\.schedule(AtFixedRate|WithFixedDelay)?\s*[(<{]")
_BLOCKING = {"block", "blockFirst", "blockLast", "blockOptional"}
# A Mono/Flux of an outbound call: a WebClient / reactor-netty request chain.
_REACTIVE_CALL = re.compile(r"retrieve\(|exchange|bodyTo|awaitBody|\.response\(|\.get\(\)|\.post\(\)|\.put\(\)|"
                            r"webClient|WebClient|client\.|Mono|Flux", re.IGNORECASE)


def _imports(kf: KotlinFile, gates: tuple[str, ...]) -> bool:
    if not gates:
        return True
    if any(v.startswith(gates) for v in kf.imports.values()):
        return True
    return any((b"import " + g.encode()) in kf.data for g in gates)


def _block_owner(node: ts.Node) -> KCall | None:
    """The call whose trailing lambda holds ``node`` (nearest), within the same function."""
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            if owner is not None and owner.type == "call_expression":
                return KCall.of(owner)
            return None
        if parent.type in ("function_declaration", "class_body", "source_file"):
            return None
    return None


def _context(node: ts.Node, receiver: ts.Node | None) -> str:
    """The text that says whose option this is: the receiver chain, else the enclosing block's owner
    (``ConnectionFactory().apply { }`` -> "ConnectionFactory().apply", ``httpClient { }`` -> "httpClient"),
    and ``decl:<type>`` for a receiver variable declared with a type (``st: Statement``)."""
    parts = []
    if receiver is not None:
        parts.append(ts.text(receiver))
        if receiver.type == "identifier":
            declared = declared_type(receiver, ts.text(receiver))
            if declared:
                parts.append("decl:" + declared.rsplit(".", 1)[-1].rstrip("?"))
            else:
                # `val sr = SearchRequest(..)`: the class a local val was built from
                from extractors.kotlin.syntax import local_value
                init = local_value(receiver, ts.text(receiver))
                built = KCall.of(init) if init is not None and init.type == "call_expression" else None
                if built is not None and built.name[:1].isupper():
                    parts.append("decl:" + built.name)
    owner = _block_owner(node)
    for _ in range(3):
        if owner is None:
            break
        subject = owner.receiver if owner.receiver is not None else (owner.args[0] if owner.args and owner.name in _SCOPE_FUNCTIONS else None)
        parts.append(owner.name + " " + (ts.text(subject) if subject is not None else ""))
        if owner.name not in _SCOPE_FUNCTIONS and owner.name not in ("it",):
            break
        owner = _block_owner(owner.node)
    return " ".join(parts).lower()


def _pick(kf: KotlinFile, knobs: tuple[Knob, ...], context: str) -> Knob | None:
    for knob in knobs:
        if not _imports(kf, knob.gates):
            continue
        if knob.scope and not any(w in context for w in knob.scope):
            continue
        plain = " ".join(w for w in context.split() if not w.startswith("decl:"))
        if knob.unless and any(w in plain for w in knob.unless):
            continue
        return knob
    return None


def _number_string(node: ts.Node):
    """``"5000"`` (JavaMail takes strings) -> Num(5000); other expressions as they are."""
    if node.type == "string_literal":
        text = ts.text(node).strip('"')
        try:
            return Num(float(text.replace("_", "")))
        except ValueError:
            return None
    return expr_of(node)


def _timeout(kf: KotlinFile, loc, knob: Knob, value_nodes: list[ts.Node], evidence_node: ts.Node) -> None:
    first = value_nodes[0]
    if _lambda_parameter(first):
        return
    if first.type == "string_literal":
        expr = _number_string(first)
        if expr is None:
            return
        value = (expr, knob.unit, ts.text(first))
    else:
        value = timeout_value(value_nodes, knob.unit)
    if value is None:
        return
    expr, scale, source = value
    if (isinstance(expr, Num) and expr.value < 0) or source.lstrip().startswith("-"):
        return  # -1: the library's default (Spring's TIMEOUT_DEFAULT), not a bound
    expr = with_parameter_defaults(kf, evidence_node, expr)
    kf.sink.timeout(loc, ID, knob.phase, expr, scale, source, kf.evidence(evidence_node),
                    extra={"library": knob.library}, zero_disables=knob.zero_disables)


def _lambda_parameter(node: ts.Node) -> bool:
    """Is ``node`` a name an enclosing lambda declares (``{ millis, count -> policy(millis, count) }``)? Such
    a value arrives from elsewhere (a settings-update callback): a forwarder, counted where it is set."""
    if node.type != "identifier":
        return False
    name = ts.text(node)
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            params = next((c for c in parent.named_children if c.type == "lambda_parameters"), None)
            if params is not None and any(ts.text(i) == name for d in params.named_children
                                          for i in d.named_children if i.type == "identifier"):
                return True
        if parent.type in ("function_declaration", "class_body"):
            return False
    return False


# round 11: library constants handed as a count (`RetryPolicy(.., PredefinedRetryPolicies.DEFAULT_MAX_ERROR_RETRY, ..)`)
_LIBRARY_COUNTS = {"aws-sdk-java-v1": {"DEFAULT_MAX_ERROR_RETRY": 3.0}}


def _retry(kf: KotlinFile, loc, knob: Knob, node: ts.Node, evidence_node: ts.Node) -> None:
    if _lambda_parameter(node):
        return
    member = member_value(node, ts.text(node)) if node.type == "identifier" else None
    # round 11: `private val maxAttempts: Int = 3` of the class around the call
    expr = with_parameter_defaults(kf, evidence_node, expr_of(member if member is not None else node))
    if isinstance(expr, Str):
        return
    if ts.text(node).rsplit(".", 1)[-1] in _LIBRARY_COUNTS.get(knob.library, {}):
        expr = Num(_LIBRARY_COUNTS[knob.library][ts.text(node).rsplit(".", 1)[-1]])  # the library's own constant
    if knob.offset:
        expr = BinOp("+", expr, Num(float(knob.offset)))
    value = settle_count(expr)
    pending = (Pending("max_attempts", expr, 1.0),) if value is None else ()
    attrs = {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": knob.library}
    if knob.offset and ts.text(node).isidentifier():
        attrs["attempts_expression"] = f"{ts.text(node)} + {knob.offset}"
    elif ts.text(node).isidentifier() and value is not None:
        # `SimpleRetryPolicy(retries)` settled from the class's `retries: Int = 3`: the parameter as written, so
        # the class publishes it for the subclasses and callers that pass their own (round 12)
        attrs["attempts_expression"] = ts.text(node)
    kf.sink.add("retry", loc, ID, attrs, kf.evidence(evidence_node),
                "high" if value is not None else "medium", None, pending)


def _superclass_knob_calls(kf: KotlinFile) -> list[KCall]:
    """Round 17 (helse-spesialist): ``class SpleisRetryStrategy : DefaultHttpRequestRetryStrategy(5, ..)``, a
    library class's constructor called by a subclass's declaration: the same knob as a call of it (only names
    this module knows; a project's own base classes are followed by the wrapper detectors)."""
    if b":" not in kf.data:
        return []
    found = []
    for node in ts.walk(kf.tree.root_node):
        if node.type != "constructor_invocation" or node.parent is None or node.parent.type != "delegation_specifier":
            continue
        call = KCall.of(node)
        if call is not None and call.name in CALLS:
            found.append(call)
    return found


def _retries_off_branch(call: KCall) -> bool:
    """``if (retries == 0) setRetryPolicy(NeverRetryPolicy()) else setRetryPolicy(SimpleRetryPolicy(retries))``
    (round 19, boober): the policy of a branch chosen when the configured count is zero; the count's own policy
    in the other branch is the setting."""
    if call.name != "NeverRetryPolicy":
        return False
    for parent in ts.ancestors(call.node):
        if parent.type in ("function_declaration", "class_body", "source_file"):
            return False
        if parent.type in ("if_expression", "when_expression"):
            text = ts.text(parent).replace("NeverRetryPolicy", "")
            if "RetryPolicy(" in text:
                return True
    return False


def _calls(kf: KotlinFile) -> None:
    for call in [*kf.calls, *_superclass_knob_calls(kf)]:
        knobs = CALLS.get(call.name)
        if knobs is None:
            continue
        if not call.args:
            knob = _pick(kf, knobs, _context(call.node, call.receiver))
            named = _setter_named_args(call) if knob is not None and knob.kind == "timeout" else []
            if named:
                # OkHttp `.writeTimeout(timeout = HTTP_WRITE_TIMEOUT, unit = TimeUnit.MILLISECONDS)`
                _timeout(kf, name_location(call.node, call.name_node), knob, named, call.name_node)
            elif knob is not None and knob.default is not None and not call.named_args and call.lambda_ is None \
                    and not _configured_after(call) and not _retries_off_branch(call):
                # `DefaultHttpRequestRetryStrategy()`: the library's own bound, set where the policy is built
                kf.sink.add(knob.kind, name_location(call.node, call.name_node), ID,
                            {"max_attempts": int(knob.default), "backoff": None, "retry_on": None,
                             "mechanism": "client_config", "library": knob.library, "expression": "(default)"},
                            kf.evidence(call.name_node), "medium", None, ())
            continue
        knob = _pick(kf, knobs, _context(call.node, call.receiver))
        if knob is None:
            continue
        if call.name == "Options":
            _feign_options(kf, call, knob)
            continue
        if call.name == "setDefaultRequestTimeout":
            # lavaplayer HttpClientTools.setDefaultRequestTimeout(connect, connectionRequest, socket) [ms]
            loc = name_location(call.node, call.name_node)
            for index, phase in ((0, "connect"), (2, "read")):
                if index < len(call.args):
                    _timeout(kf, loc, Knob(knob.library, knob.gates, "timeout", phase), [call.args[index]],
                             call.name_node)
            continue
        if call.name == "FixedDelayOptions" and "maxRetries" in call.named_args:
            node = call.named_args["maxRetries"]
        elif knob.arg == -1 and call.args:
            node = call.args[-1]  # the last argument, whichever overload (`publishWithTimeout(key, message, 10)`)
        elif knob.arg >= len(call.args) or knob.arg < 0:
            continue
        else:
            node = call.args[knob.arg]
        if knob.duration and (call.receiver is None or duration_of(node) is None and not (
                node.type == "identifier" and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(node)) and len(call.args) == 1)):
            # (round 18, evaka: `tx.setStatementTimeout(REPORT_STATEMENT_TIMEOUT)`, a Duration constant of another
            # file: valued there, in ms)
            continue
        loc = name_location(call.node, call.name_node)
        if knob.kind == "timeout":
            _timeout(kf, loc, knob, [node] if knob.arg == -1 else call.args[knob.arg:], call.name_node)
        elif knob.library in _UNLIMITED_AT and ts.text(node).replace(" ", "") == _UNLIMITED_AT[knob.library]:
            # Temporal `setMaximumAttempts(0)`, Camel `maximumRedeliveries(-1)`: no bound
            kf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                           "mechanism": "client_config", "library": knob.library,
                                           "expression": ts.text(node)}, kf.evidence(call.name_node), "high")
        else:
            _retry(kf, loc, knob, node, call.name_node)


# The value a library reads as "no bound" for its retry count.
_UNLIMITED_AT = {"temporal": "0", "camel": "-1"}


def _configured_after(call: KCall) -> bool:
    """``SimpleRetryPolicy().apply { maxAttempts = n }`` / ``.also { it.setMaxAttempts(n) }``: an object built
    without arguments and configured right away: the setting inside is the bound, not the library default."""
    parent = call.node.parent
    if parent is None or parent.type != "navigation_expression" or parent.named_children[0] != call.node:
        return False
    member = ts.text(parent.named_children[-1])
    return member in _SCOPE_FUNCTIONS or member.startswith("set") or member.startswith("with") \
        or member in ("maxAttempts", "maxRetries")


def _feign_options(kf: KotlinFile, call: KCall, knob: Knob) -> None:
    """``Request.Options(connect, unit, read, unit, follow)`` or ``Request.Options(connectMs, readMs)``."""
    args = call.args
    if len(args) >= 4 and unit_of(args[1]) is not None:
        pairs = [(args[0:2], "connect"), (args[2:4], "read")]
    elif len(args) >= 2:
        pairs = [(args[0:1], "connect"), (args[1:2], "read")]
    else:
        return
    loc = name_location(call.node, call.name_node)
    for nodes, phase in pairs:
        _timeout(kf, loc, Knob(knob.library, knob.gates, "timeout", phase), nodes, call.name_node)


def _properties(kf: KotlinFile) -> None:
    for node in kf.assignments:
        named = node.named_children
        if len(named) < 2 or named[0].type not in ("identifier", "navigation_expression"):
            continue
        left, right = named[0], named[-1]
        name = ts.text(left).rsplit(".", 1)[-1].strip()
        knobs = PROPERTIES.get(name)
        if knobs is None or ts.text(right) == "null":
            continue
        receiver = None
        if left.type == "navigation_expression":
            receiver = left.named_children[0] if left.named_children else None
        knob = _pick(kf, knobs, _context(node, receiver))
        if knob is None:
            continue
        if knob.kind == "timeout":
            _timeout(kf, ts.location(node), knob, [right], node)
        else:
            _retry(kf, ts.location(node), knob, right, node)


# Round 16 (round-14 leftover, newm-server): HikariCP's settings written into the `Properties` a `HikariConfig(props)`
# is built from (`Properties().apply { this["connectionTimeout"] = 10_000L }`), only in a file importing Hikari (ms).
_HIKARI_PROPERTY_KEYS = {"connectionTimeout": "connect", "validationTimeout": "read", "initializationFailTimeout": "connect"}


def _mail_properties(kf: KotlinFile) -> None:
    """JavaMail keys: ``props["mail.smtp.timeout"] = v``, ``props.put("mail.smtp.timeout", v)`` /
    ``setProperty``, ``"mail.smtp.timeout" to v`` (and HikariCP's keys in a file importing Hikari)."""
    hikari = _imports(kf, ("com.zaxxer.hikari",))
    for string in kf.strings:
        key = ts.text(string).strip('"')
        match = _MAIL_KEY.match(key)
        if match is None and not (hikari and key in _HIKARI_PROPERTY_KEYS):
            continue
        phase = MAIL_KEYS[match.group(1)] if match is not None else _HIKARI_PROPERTY_KEYS[key]
        parent = string.parent
        value = None
        at = string
        if parent is not None and parent.type == "index_expression" and parent.parent is not None \
                and parent.parent.type == "assignment" and parent.parent.named_children[0] == parent:
            value, at = parent.parent.named_children[-1], parent.parent
        elif parent is not None and parent.type == "infix_expression":
            kids = parent.named_children
            if len(kids) == 3 and ts.text(kids[1]) == "to" and kids[0] == string:
                value, at = kids[2], parent
        elif parent is not None and parent.type == "value_argument":
            outer = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(outer) if outer is not None and outer.type == "call_expression" else None
            if call is not None and call.name in ("put", "setProperty", "set", "putIfAbsent") \
                    and len(call.args) == 2 and call.args[0] == string:
                value, at = call.args[1], outer
        if value is None:
            continue
        knob = Knob("javamail" if match is not None else "hikari", (), "timeout", phase, zero_disables=True)
        _timeout(kf, ts.location(at), knob, [value], at)


# Round 13 (dwp kafka-to-hbase, hbase-to-mongo-export): an HBase / Hadoop client ``Configuration``'s timeout and
# retry keys, set by the HConstants name or the key string (``conf.setInt(HConstants.HBASE_RPC_TIMEOUT_KEY, ms)``,
# ``set("hbase.client.retries.number", "5")``): ms; retries.number re-tries after the first call (+1).
HBASE_KEYS: dict[str, tuple[str, str]] = {
    "HBASE_RPC_TIMEOUT_KEY": ("hbase.rpc.timeout", "per_try"),
    "HBASE_RPC_READ_TIMEOUT_KEY": ("hbase.rpc.read.timeout", "read"),
    "HBASE_RPC_WRITE_TIMEOUT_KEY": ("hbase.rpc.write.timeout", "write"),
    "HBASE_CLIENT_OPERATION_TIMEOUT": ("hbase.client.operation.timeout", "total"),
    "HBASE_CLIENT_META_OPERATION_TIMEOUT": ("hbase.client.meta.operation.timeout", "total"),
    "HBASE_CLIENT_SCANNER_TIMEOUT_PERIOD": ("hbase.client.scanner.timeout.period", "read"),
    "HBASE_CLIENT_RETRIES_NUMBER": ("hbase.client.retries.number", "retry"),
}
_HBASE_BY_KEY = {key: phase for key, phase in HBASE_KEYS.values()}
_CONFIG_SETTERS = ("set", "setInt", "setLong", "setStrings")


def _numeric_text(expr):
    """``getEnv("T") ?: "1200000"`` -> the same with Num(1200000): a Hadoop configuration takes numbers as text."""
    from contract_discovery.values import Call, Env
    if isinstance(expr, Str):
        try:
            return Num(float(expr.value.strip().replace("_", "")))
        except ValueError:
            return expr
    if isinstance(expr, Call) and expr.func == "coalesce":
        return Call("coalesce", tuple(_numeric_text(a) for a in expr.args), expr.kwargs)
    if isinstance(expr, Env) and expr.default is not None:
        return Env(expr.var, _numeric_text(expr.default))
    return expr


def _hbase_settings(kf: KotlinFile) -> None:
    if not _imports(kf, ("org.apache.hadoop",)):
        return
    for call in kf.calls:
        if call.name not in _CONFIG_SETTERS or len(call.args) != 2:
            continue
        key_node = call.args[0]
        if key_node.type == "string_literal":
            phase = _HBASE_BY_KEY.get(ts.text(key_node).strip('"'))
        else:
            spec = HBASE_KEYS.get(ts.text(key_node).rsplit(".", 1)[-1])
            phase = spec[1] if spec is not None else None
        if phase is None:
            continue
        value = call.args[1]
        loc = name_location(call.node, call.name_node)
        if phase == "retry":
            expr = BinOp("+", _numeric_text(expr_of(value)), Num(1.0))
            count = settle_count(expr)
            kf.sink.add("retry", loc, ID, {"max_attempts": count, "backoff": "exponential", "retry_on": None,
                                           "mechanism": "client_config", "library": "hbase",
                                           "attempts_expression": f"{ts.text(value)} + 1"},
                        kf.evidence(call.name_node), "high" if count is not None else "medium", None,
                        (Pending("max_attempts", expr, 1.0),) if count is None else ())
            continue
        expr = with_parameter_defaults(kf, call.name_node, _numeric_text(expr_of(value)))
        kf.sink.timeout(loc, ID, phase, expr, 1.0, ts.text(value), kf.evidence(call.name_node),
                        extra={"library": "hbase"}, zero_disables=True)


# Round 21 (useid-backend-service, su-se-bakover): JVM-wide client timeouts set as system properties
# (`System.setProperty("sun.net.client.defaultConnectTimeout", ms)`): (phase, ms per unit) by property name
_SYSTEM_PROPERTY_TIMEOUTS = {
    "sun.net.client.defaultConnectTimeout": ("connect", 1.0),  # every HttpURLConnection (JAX-WS, SAAJ, URL.openStream)
    "sun.net.client.defaultReadTimeout": ("read", 1.0),
    "com.sun.xml.ws.connect.timeout": ("connect", 1.0),  # JAX-WS RI (Metro) clients
    "com.sun.xml.ws.request.timeout": ("read", 1.0),
    "com.sun.xml.internal.ws.connect.timeout": ("connect", 1.0),  # the JDK's bundled JAX-WS
    "com.sun.xml.internal.ws.request.timeout": ("read", 1.0),
    "com.ibm.mq.cfg.TCP.Connect_Timeout": ("connect", 1000.0),  # IBM MQ classes' TCP connect (seconds)
    "jdk.httpclient.connectionTimeout": ("connect", 1.0),
}


def _system_property_timeouts(kf: KotlinFile) -> None:
    """``System.setProperty("sun.net.client.defaultReadTimeout", props.readTimeoutInMillis.toString())``: a JVM-wide
    client timeout, at the call, valued from the second argument (a number as text, a config property, ``.toString()``
    of one)."""
    if b"setProperty" not in kf.data:
        return
    for call in kf.calls:
        if call.name != "setProperty" or len(call.args) != 2 or call.receiver is None \
                or ts.text(call.receiver) not in ("System", "java.lang.System"):
            continue
        spec = _SYSTEM_PROPERTY_TIMEOUTS.get(string_of(call.args[0]) or "")
        if spec is None:
            continue
        phase, unit = spec
        value = call.args[1]
        if value.type == "call_expression" and ts.text(value).endswith(".toString()"):
            value = value.named_children[0]
            if value.type == "navigation_expression" and ts.text(value).endswith(".toString"):
                value = value.named_children[0]
        expr = with_parameter_defaults(kf, call.name_node, _numeric_text(expr_of(value)))
        kf.sink.timeout(name_location(call.node, call.name_node), ID, phase, expr, unit, ts.text(call.args[1]),
                        kf.evidence(call.node), extra={"library": "jvm-system-property"}, zero_disables=True)


def _async_support_timeout(kf: KotlinFile) -> None:
    """Round 13 (mrc-ide/hint): Spring MVC ``override fun configureAsyncSupport(configurer: AsyncSupportConfigurer)
    { configurer.setDefaultTimeout(ms) }``: the bound on every async request handler (as
    ``spring.mvc.async.request-timeout``), on a receiver declared AsyncSupportConfigurer or the parameter of
    ``configureAsyncSupport``."""
    if b"setDefaultTimeout" not in kf.data:
        return
    for call in kf.calls:
        if call.name != "setDefaultTimeout" or len(call.args) != 1 or call.receiver is None \
                or call.receiver.type != "identifier":
            continue
        owner = ts.text(call.receiver)
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        named = fn is not None and any(c.type in ("identifier", "simple_identifier")
                                       and ts.text(c) == "configureAsyncSupport" for c in fn.named_children[:3])
        if (declared_type(call.receiver, owner) or "").rsplit(".", 1)[-1] != "AsyncSupportConfigurer" and not named:
            continue
        _timeout(kf, name_location(call.node, call.name_node), Knob("spring-mvc", (), "timeout", "total"),
                 call.args, call.name_node)


def _transactional(kf: KotlinFile) -> None:
    """Spring ``@Transactional(timeout = 5)``: seconds for the transaction's statements."""
    for node in kf.annotations:
        name, args = annotation_parts(node)
        if name != "Transactional" or "timeout" not in args:
            continue
        knob = Knob("spring-tx", (), "timeout", "total", unit=1000.0)
        _timeout(kf, ts.location(node), knob, [args["timeout"]], node)


def _duration_parameter(arg: ts.Node) -> bool:
    """``fun <T> Mono<T>.blockAndHandleError(duration: Duration = Duration.ofSeconds(300)) = ...block(duration)``:
    the argument is a parameter of the function around it declared as a ``Duration`` (or defaulted to one), or
    a property of the class declared as one."""
    if arg.type not in ("identifier", "simple_identifier"):
        return False
    name = ts.text(arg)
    fn = next((a for a in ts.ancestors(arg) if a.type == "function_declaration"), None)
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None) if fn else None
    for param in (params.named_children if params is not None else ()):
        ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
        if param.type == "parameter" and ident is not None and ts.text(ident) == name:
            kind = next((c for c in param.named_children if c.type == "user_type"), None)
            return kind is not None and ts.text(kind).rsplit(".", 1)[-1] == "Duration"
    # round 19 (hmpps-visits-orchestration): a constructor property or typed member of the class
    # (`@Value("\${api.timeout:10s}") private val apiTimeout: Duration` .. `.block(apiTimeout)`)
    from extractors.kotlin.syntax import declared_type
    return declared_type(arg, name) == "Duration"


def _scheduled_timeout_tasks(kf: KotlinFile) -> None:
    """``serviceTimeoutTask = pool.schedule(params.usageTimeoutMinutes.toLong(), TimeUnit.MINUTES) { stop() }``: a
    task scheduled to end the running work after a delay, kept in a field named for a timeout (round 12, jibri's
    usage timeout): a bound on the job, at the ``schedule`` call (the delay and its unit)."""
    for call in kf.calls:
        if call.name != "schedule" or call.receiver is None or call.lambda_ is None or len(call.args) != 2 \
                or unit_of(call.args[1]) is None:
            continue
        holder = call.node.parent
        while holder is not None and holder.type in ("parenthesized_expression", "control_structure_body"):
            holder = holder.parent
        if holder is None or holder.type not in ("assignment", "property_declaration"):
            continue
        target = holder.named_children[0] if holder.named_children else None
        if target is None or not re.search(r"[tT]imeout", ts.text(target).rsplit(".", 1)[-1]):
            continue
        _timeout(kf, name_location(call.node, call.name_node), Knob("java.util.concurrent", (), "timeout", "total"),
                 call.args, call.name_node)


_AURORA_K8S = ("no.skatteetaten.aurora.kubernetes",)
_AURORA_PHASES = {"connect": "connect", "read": "read"}


def _aurora_kubernetes_client(kf: KotlinFile) -> None:
    """Skatteetaten's Aurora kubernetes-reactor(-coroutines) client settings written in code (round 11 request,
    kotlin-mokey): ``RetryConfiguration(times)`` counts Reactor ``Retry.backoff`` re-tries (times + 1 tries;
    ``RetryConfiguration(0)``: one try), and the timeouts of its ``KubernetesConfiguration``
    (``config.timeout.copy(read = Duration.ofSeconds(2))``, ``HttpClientTimeoutConfiguration(connect = .., read =
    ..)``): connect and read (a write timeout is out of scope)."""
    if not _imports(kf, _AURORA_K8S):
        return
    for call in kf.calls:
        if call.name == "RetryConfiguration" and call.receiver is None:
            node = call.args[0] if call.args else call.named_args.get("times")
            if node is not None:
                _retry(kf, name_location(call.node, call.name_node),
                       Knob("aurora-kubernetes", _AURORA_K8S, "retry", offset=1), node, call.name_node)
            continue
        if not (call.name == "HttpClientTimeoutConfiguration" and call.receiver is None
                or call.name == "copy" and call.receiver is not None
                and ts.text(call.receiver).rsplit(".", 1)[-1] == "timeout"):
            continue
        for key, node in call.named_args.items():
            phase = _AURORA_PHASES.get(key)
            if phase is not None:
                _timeout(kf, name_location(call.node, call.name_node),
                         Knob("aurora-kubernetes", _AURORA_K8S, "timeout", phase), [node], call.name_node)


def _coroutine_future_of_work(kf: KotlinFile, receiver: ts.Node) -> bool:
    """``scope.future { getByKeys(keys, ctx) }.orTimeout(3, TimeUnit.MINUTES)`` (round 11 request, kotlin-gobo): a
    kotlinx.coroutines ``future { }`` whose block calls something (suspend work: a batch of backend calls) bounds
    that work; ``supplyAsync { result }`` of a value already built does not."""
    if receiver.type != "call_expression" or not _imports(kf, ("kotlinx.coroutines.future",)):
        return False
    inner = KCall.of(receiver)
    if inner is None or inner.name != "future" or inner.lambda_ is None:
        return False
    return any(n.type == "call_expression" for n in ts.walk(inner.lambda_))


def _future_of_a_value(receiver: ts.Node) -> bool:
    """``CompletableFuture.supplyAsync { result }`` / ``future { v }``: a future of a value already at hand (its block
    is one name or literal), so waiting for it bounds no call."""
    inner = KCall.of(receiver) if receiver.type == "call_expression" else None
    if inner is None or inner.lambda_ is None:
        return False
    if inner.name.startswith("then") or inner.name in ("handle", "exceptionally", "whenComplete"):
        return False  # round 13: a stage on another future (`client.getState(..).thenApply { it }`), not a supplier
    body = [n for n in inner.lambda_.named_children if n.type not in ("comment", "line_comment")]
    statements = body[0].named_children if len(body) == 1 and body[0].type == "statements" else body
    return len(statements) == 1 and statements[0].type in ("identifier", "simple_identifier", "number_literal",
                                                             "string_literal", "boolean_literal")


def _future_waits(kf: KotlinFile) -> None:
    """``future.get(10, TimeUnit.SECONDS)`` / ``orTimeout(5, TimeUnit.SECONDS)`` /
    ``completeOnTimeout(v, 5, TimeUnit.SECONDS)`` on a future an outbound call returned."""
    for call in kf.calls:
        if call.receiver is None or call.lambda_ is not None:
            continue
        if call.name in _BLOCKING and len(call.args) == 1 and (duration_of(call.args[0]) is not None
                                                               or _duration_parameter(call.args[0])) \
                and _REACTIVE_CALL.search(ts.text(call.receiver)):
            # Reactor: `webClient.get().uri(u).retrieve().bodyToMono<T>().block(Duration.ofSeconds(5))`
            knob = Knob("reactor", (), "timeout", "total")
            _timeout(kf, name_location(call.node, call.name_node), knob, call.args, call.name_node)
            continue
        if call.name in ("get", "orTimeout") and len(call.args) == 2:
            nodes = call.args
        elif call.name == "completeOnTimeout" and len(call.args) == 3:
            nodes = call.args[1:]
        else:
            continue
        if unit_of(nodes[1]) is None:
            continue
        source = ts.text(call.receiver)
        if call.receiver.type == "identifier":
            from extractors.kotlin.syntax import local_value
            init = local_value(call.node, source)
            source = ts.text(init) if init is not None else source
        if not (_OUTBOUND_FUTURE.search(source) or _coroutine_future_of_work(kf, call.receiver)) \
                or _SCHEDULED_TASK.match(source) or _future_of_a_value(call.receiver):
            continue
        knob = Knob("java.util.concurrent", (), "timeout", "total")
        _timeout(kf, name_location(call.node, call.name_node), knob, nodes, call.name_node)


@detector(ID, "kotlin", ["timeout", "retry"],
          valid=['val message = "set mail.smtp.timeout to 5000"',
                 'fun f(cache: Cache) = cache.get(5, TimeUnit.SECONDS)',
                 'import foo.Options\nval o = Options.Builder().maxReconnects(5).build()'],
          invalid=['import io.lettuce.core.RedisURI\nval u = RedisURI.builder().withTimeout(Duration.ofSeconds(2)).build()',
                   'import org.springframework.retry.policy.SimpleRetryPolicy\nval p = SimpleRetryPolicy(4)',
                   'fun f() = producer.send(record).get(10, TimeUnit.SECONDS)'])
@documented(__doc__)
def _async_job_plans(kf: KotlinFile) -> None:
    """Round 17 (round-16 request, evakaoulu): eVaka's ``asyncJobRunner.plan(tx, jobs, runAt = .., retryCount = 1)``:
    the job row's retry_count is the number of attempts left (the claim query decrements it and takes only rows
    above 0), so the jobs get that many tries; at the called name."""
    if b"plan" not in kf.data:
        return
    _publish_job_plan_defaults(kf)
    knob = Knob("evaka-async-job", (), "retry")
    for call in kf.calls:
        if call.name != "plan" or call.receiver is None \
                or "jobrunner" not in ts.text(call.receiver).rsplit(".", 1)[-1].lower():
            continue
        given = call.named_args.get("retryCount")
        if given is None:
            # round 18 (evaka): a call leaving retryCount out (`plan(tx, payloads, runAt = now)`) gets the runner's
            # default (`retryCount: Int = defaultRetryCount`, 288), rule b; kept when a file of the service
            # declares it. (`plan(tx, jobs)` of JobParams carrying their own counts names no `runAt`.)
            if "runAt" in call.named_args and len(call.args) <= 2:
                _omitted_job_plan(kf, call, knob)
            continue
        _retry(kf, name_location(call.node, call.name_node), knob, given, call.name_node)
        field = re.fullmatch(r"[a-z]\w*\.(\w+)(\s*\?:.*)?", ts.text(given), re.S)
        if field and _BOUND_FIELD.search(field.group(1)):
            # `retryCount = settings.retryCount ?: ASYNC_JOB_RETRY_COUNT`: a settings class's field the job queue
            # takes its count from; a constructor elsewhere setting it (`ScheduledJobSettings(.., retryCount = 1)`)
            # holds that count (`wrapper_call._propose_bound_fields`)
            kf.symbols.setdefault(f"{BOUND_FIELD}:{field.group(1)}", Num(1.0))


# A settings field a retry knob of the service reads its count from (`settings.retryCount ?: 12`), by field name.
BOUND_FIELD = "$kotlin-bound-field.field"
_BOUND_FIELD = re.compile(r"^(max)?([rR]etries|[rR]etry[cC]ount|[aA]ttempts|[mM]axAttempts)$")
_JOB_PLAN_DEFAULT = "$kotlin-job-plan.retries"


def _bound_fields(kf: KotlinFile) -> None:
    """Round 18 (evaka): ``ScheduledJobSettings(enabled = true, schedule = .., retryCount = 1)``, a project settings
    class built with a count that the service's job queue takes as its retry count (``BOUND_FIELD``, published where
    the queue reads ``settings.retryCount``): that many tries, at the constructor's name; dropped when no job-queue
    call reads a field of that name. Only a class named for settings (``RetriedData(retryCount = 3)`` records the
    retries made)."""
    if b"etryCount" not in kf.data and b"ttempts" not in kf.data and b"etries" not in kf.data:
        return
    knob = Knob("evaka-async-job", (), "retry")
    for call in kf.calls:
        if not call.name[:1].isupper() or call.lambda_ is not None or call.name in CALLS \
                or not re.search(r"(Settings|Config|Configuration|Options|Properties|Policy)$", call.name):
            continue
        for name, arg in call.named_args.items():
            if not _BOUND_FIELD.search(name) or arg.type not in ("number_literal", "identifier", "navigation_expression"):
                continue
            expr = expr_of(arg)
            value = settle_count(expr)
            if arg.type != "number_literal" and not re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(arg).rsplit(".", 1)[-1]):
                continue  # (a variable: the count comes from elsewhere)
            attrs = {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": knob.library, "expression": f"{name} = {ts.text(arg)}"}
            pending = (Pending("max_attempts", expr, 1.0),) if value is None else ()
            kf.sink.add("retry", name_location(call.node, call.name_node), ID, attrs, kf.evidence(call.name_node),
                        "medium", None, (*pending, Pending(KEEP_IF, Ref(f"{BOUND_FIELD}:{name}"), None)))


def _publish_job_plan_defaults(kf: KotlinFile) -> None:
    """The job runner class's ``fun plan(.., retryCount: Int = defaultRetryCount, ..)``: published under the class's
    name (and ``*``) for the calls that leave the count out."""
    if b"retryCount" not in kf.data:
        return
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        if ident is None or params is None or ts.text(ident) != "plan":
            continue
        owner = next((a for a in ts.ancestors(fn) if a.type == "class_declaration"), None)
        owner_name = next((ts.text(c) for c in owner.named_children if c.type in ("type_identifier", "identifier")),
                          None) if owner is not None else None
        if not owner_name or "jobrunner" not in owner_name.lower():
            continue
        children = params.children
        for i, child in enumerate(children):
            if child.type != "parameter" or not (i + 2 < len(children) and children[i + 1].type == "="):
                continue
            pid = next((c for c in child.named_children if c.type in ("identifier", "simple_identifier")), None)
            if pid is None or ts.text(pid) != "retryCount":
                continue
            default = expr_of(children[i + 2])
            value = settle_count(default)
            made = Num(float(value)) if value is not None else default
            kf.symbols.setdefault(f"{_JOB_PLAN_DEFAULT}:{owner_name}", made)
            kf.symbols.setdefault(f"{_JOB_PLAN_DEFAULT}:*", made)


def _omitted_job_plan(kf: KotlinFile, call: KCall, knob: Knob) -> None:
    kind = declared_type(call.node, ts.text(call.receiver)) if call.receiver.type == "identifier" else None
    kind = re.sub(r"<.*", "", kind or "").strip().rsplit(".", 1)[-1]
    made = Ref(f"{_JOB_PLAN_DEFAULT}:*")
    if kind:
        made = Call("coalesce", (Ref(f"{_JOB_PLAN_DEFAULT}:{kind}"), made))
    attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
             "library": knob.library, "expression": "(default retryCount)"}
    kf.sink.add("retry", name_location(call.node, call.name_node), ID, attrs, kf.evidence(call.name_node),
                "medium", None, (Pending("max_attempts", made, 1.0), Pending(KEEP_IF, made, None)))


# Retry policies libraries declare as constants, by (package, name): their tries.
_LIBRARY_POLICIES = {("uk.gov.justice.hmpps.sqs", "DEFAULT_RETRY_POLICY"): 4}


def _retry_policy_parameters(kf: KotlinFile) -> None:
    """Round 17 (round-16 request, keyworker-api): ``fun HmppsQueue.publishBatch(.., retryPolicy: RetryPolicy =
    DEFAULT_RETRY_POLICY) { RetryTemplate().apply { setRetryPolicy(retryPolicy) } }``: a helper's defaulted policy
    parameter handed to Spring Retry's template (rule a at the setter, with the default's value when known here;
    a library constant is unresolved), published for the calls that leave it out (rule b)."""
    if b"setRetryPolicy" not in kf.data or not _imports(kf, _SPRING_RETRY):
        return
    knob = Knob("spring-retry", _SPRING_RETRY, "retry")
    for call in kf.calls:
        if call.name != "setRetryPolicy" or len(call.args) != 1 or call.args[0].type != "identifier":
            continue
        arg = call.args[0]
        default = parameter_default(arg, ts.text(arg))
        if default is None or default.type == "call_expression":
            continue  # (`= SimpleRetryPolicy(3)`: that constructor's own line reports it)
        if re.search(rb"\b(val|var)\s+" + re.escape(ts.text(default).rsplit(".", 1)[-1]).encode() + rb"\b", kf.data):
            continue  # a policy the file builds itself (`val DEFAULT_RETRY_POLICY = SimpleRetryPolicy().apply { maxAttempts
            # = 4 }`, hmpps-prisoner-to-nomis-update): reported where it is built, not again where it is handed on
        before = len(kf.sink.findings)
        _retry(kf, name_location(call.node, call.name_node), knob, arg, call.name_node)
        if len(kf.sink.findings) > before:
            made = kf.sink.findings[-1]
            # the parameter as written, so the helper publishes it for the calls that leave it out
            made.attributes.setdefault("attempts_expression", ts.text(arg))
            known = _LIBRARY_POLICIES.get((kf.imports.get(ts.text(default), "").rsplit(".", 1)[0], ts.text(default)))
            if known is not None and made.attributes.get("max_attempts") is None:
                # round 22 (hmpps-alerts-api): hmpps-sqs' `DEFAULT_RETRY_POLICY` (`SimpleRetryPolicy().apply {
                # maxAttempts = 4 }` in the library): its count, not a pending name no file of the service declares
                made.attributes["max_attempts"] = known
                kf.sink.findings[-1] = replace(made, confidence="high",
                                               pending=tuple(p for p in made.pending if p.attribute != "max_attempts"))


def detect(kf: KotlinFile) -> None:
    _calls(kf)
    _async_job_plans(kf)
    _bound_fields(kf)
    _retry_policy_parameters(kf)
    _properties(kf)
    _mail_properties(kf)
    _hbase_settings(kf)
    _system_property_timeouts(kf)
    _async_support_timeout(kf)
    _transactional(kf)
    _future_waits(kf)
    _aurora_kubernetes_client(kf)
    _scheduled_timeout_tasks(kf)
