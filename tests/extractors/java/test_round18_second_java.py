"""Round 18, second wave (Java): shapes the measure-only helpers met on the held-out sets.

* a project retry class used as an anonymous subclass (CacheCloud's ``new IdempotentConfirmer() { .. }.run()``): the
  class's own ``while (retry-- > 0)`` over a field that defaults to 3 is a retry of 3 at the loop (rule a), each
  construction leaving the count out one of 3 at the ``new`` (rule b), one passing a count that count;
* a private field nothing assigns (``private int defaultTimeout = Protocol.DEFAULT_TIMEOUT * 5;``) and a static
  non-final field nothing assigns (``private static int connectTimeout = 4000;``) are constants;
* a for-each over nodes that stops at the first failure (``if (!isOk) break;``), or whose only break leaves an inner
  loop, is no failover retry;
* Apache MINA sshd ``connect(..).verify(ms)`` / ``auth().verify(ms)``, Jedis ``migrate(.., timeout)``.
"""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _found(files, kind=None):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"))
                  for f in resolve(results) if f.kind in ((kind,) if kind else ("timeout", "retry")))


CONFIRMER = """package com.acme.cache.util;

public abstract class IdempotentConfirmer {
    private int retry = 3;

    protected IdempotentConfirmer(int retry) {
        this.retry = retry;
    }

    public IdempotentConfirmer() {
    }

    public abstract boolean execute();

    public boolean run() {
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }
}
"""

CONFIRMER_USE = """package com.acme.cache.redis;

import com.acme.cache.util.IdempotentConfirmer;

public class Reshard {
    public boolean meet(final Jedis jedis) {
        return new IdempotentConfirmer() {
            @Override
            public boolean execute() {
                return "OK".equals(jedis.clusterMeet("h", 1));
            }
        }.run();
    }

    public boolean ping(final Jedis jedis) {
        return new IdempotentConfirmer(5) {
            @Override
            public boolean execute() {
                return jedis.ping() != null;
            }
        }.run();
    }

    public boolean setSlot(final List<HostAndPort> masterNodesList) {
        boolean isOk = false;
        for (HostAndPort hostAndPort : masterNodesList) {
            try {
                String response = jedis(hostAndPort).clusterSetSlotNode(1, "id");
                isOk = response != null;
                if (!isOk) {
                    break;
                }
            } catch (Exception e) {
                log(e);
            }
        }
        return isOk;
    }
}
"""


def test_retry_class_field_default_at_its_loop_and_at_each_construction():
    found = _found([("src/main/java/com/acme/cache/util/IdempotentConfirmer.java", CONFIRMER),
                    ("src/main/java/com/acme/cache/redis/Reshard.java", CONFIRMER_USE)])
    assert ("IdempotentConfirmer.java", 16, "retry", 3) in found  # rule a: the field's default at the loop
    assert ("Reshard.java", 7, "retry", 3) in found  # rule b: no count given
    assert ("Reshard.java", 16, "retry", 5) in found  # a count given
    assert not [f for f in found if f[0] == "Reshard.java" and f[1] == 27]  # stops at the first failing node


RESET_EACH_RUN = """package com.acme.cache.util;

public abstract class Repeater {
    private int retry = 3;

    public boolean run() {
        retry = 3;
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }

    public abstract boolean execute();
}
"""

ONLY_CONSTRUCTOR = """package com.acme.cache.util;

public abstract class Always {
    private int retry = 3;

    public Always(int retry) {
        this.retry = retry;
    }

    public boolean run() {
        while (retry-- > 0) {
            try {
                if (execute()) {
                    return true;
                }
            } catch (Exception e) {
                continue;
            }
        }
        return false;
    }

    public abstract boolean execute();
}
"""


def test_field_default_not_taken_when_reset_or_always_given():
    # assigned again outside a constructor: the count is not the field's default
    assert ("Repeater.java", 8, "retry", 3) not in _found([("src/main/java/com/acme/cache/util/Repeater.java",
                                                            RESET_EACH_RUN)])
    # every constructor sets it: the initializer never holds when the loop runs
    assert ("Always.java", 11, "retry", 3) not in _found([("src/main/java/com/acme/cache/util/Always.java",
                                                           ONLY_CONSTRUCTOR)])


HELPER = """package com.acme.cache.redis;

public interface RedisCenter {
    Jedis getAdminJedis(long appId, String host, int port, int connectionTimeout, int soTimeout);
}
"""

HELPER_IMPL = """package com.acme.cache.redis.impl;

import com.acme.cache.redis.RedisCenter;

public class RedisCenterImpl implements RedisCenter {
    @Override
    public Jedis getAdminJedis(long appId, String host, int port, int connectionTimeout, int soTimeout) {
        Jedis jedis = new Jedis(host, port);
        jedis.getClient().setConnectionTimeout(connectionTimeout);
        jedis.getClient().setSoTimeout(soTimeout);
        return jedis;
    }
}
"""

FIELD_CALLER = """package com.acme.cache.redis;

import redis.clients.jedis.Protocol;

public class Reshard {
    private int defaultTimeout = Protocol.DEFAULT_TIMEOUT * 5;
    private int changingTimeout = 1000;
    private RedisCenter redisCenter;

    public void join(long appId, String host, int port) {
        Jedis a = redisCenter.getAdminJedis(appId, host, port, defaultTimeout, defaultTimeout);
        Jedis b = redisCenter.getAdminJedis(appId, host, port, changingTimeout, changingTimeout);
    }

    public void slower() {
        changingTimeout = changingTimeout * 2;
    }
}
"""


def test_never_assigned_private_field_is_a_constant():
    found = _found([("src/main/java/com/acme/cache/redis/RedisCenter.java", HELPER),
                    ("src/main/java/com/acme/cache/redis/impl/RedisCenterImpl.java", HELPER_IMPL),
                    ("src/main/java/com/acme/cache/redis/Reshard.java", FIELD_CALLER)])
    assert ("Reshard.java", 11, "timeout", 10000) in found
    assert not [f for f in found if f[0] == "Reshard.java" and f[1] == 12 and f[3] is not None]  # assigned: unknown


STATIC_FIELDS = """package com.acme.cache.configuration;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

public class DefaultRestTemplateConfig {
    private static int connectTimeout = 4000;
    private static int readTimeout = 5000;

    RestTemplate restTemplate() {
        HttpComponentsClientHttpRequestFactory f = new HttpComponentsClientHttpRequestFactory();
        f.setConnectTimeout(connectTimeout);
        f.setReadTimeout(readTimeout);
        return new RestTemplate(f);
    }

    static void configure(int t) {
        readTimeout = t;
    }
}
"""


def test_static_non_final_field_nothing_assigns():
    found = _found([("src/main/java/com/acme/cache/configuration/DefaultRestTemplateConfig.java", STATIC_FIELDS)])
    assert ("DefaultRestTemplateConfig.java", 11, "timeout", 4000) in found
    assert ("DefaultRestTemplateConfig.java", 12, "timeout", None) in found  # assigned in configure(): unknown


SSHD = """package com.acme.cache.ssh;

import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;

public class SessionFactory {
    private static final int SSH_CONNECTION_TIMEOUT = 5000;
    private SshClient client;
    private Integer serverConnectTimeout;

    public ClientSession make(String ip) throws Exception {
        ClientSession session = client.connect("root", ip,
                22).verify(SSH_CONNECTION_TIMEOUT, TimeUnit.MILLISECONDS).getSession();
        session.auth().verify(SSH_CONNECTION_TIMEOUT);
        signature.verify(bytes);
        return session;
    }

    public ClientSession configured(String ip) throws Exception {
        ClientSession session = client.connect("root", ip, 22).verify(getServerConnectTimeout()).getSession();
        session.auth().verify();
        return session;
    }
}
"""


def test_mina_sshd_verify_bounds():
    found = _found([("src/main/java/com/acme/cache/ssh/SessionFactory.java", SSHD)])
    assert ("SessionFactory.java", 14, "timeout", 5000) in found
    assert ("SessionFactory.java", 15, "timeout", 5000) in found
    assert not [f for f in found if f[1] in (16, 21, 22)]  # a signature's verify, a configured field, no bound


MIGRATE = """package com.acme.cache.redis;

import redis.clients.jedis.Jedis;

public class Mover {
    private int migrateTimeout = 10000;

    public void move(final Jedis source, final Jedis target, final String key) {
        boolean ok = new Object() {
            private int factor = 1;

            public boolean go() {
                String r = source.migrate(target.getClient().getHost(), target.getClient().getPort(),
                        key, 0, migrateTimeout * (factor++));
                return r != null;
            }
        }.go();
    }
}
"""


def test_jedis_migrate_timeout_first_try():
    found = _found([("src/main/java/com/acme/cache/redis/Mover.java", MIGRATE)])
    assert ("Mover.java", 13, "timeout", 10000) in found
    # a schema tool's migrate(..) in a file that does not use Jedis is none
    other = MIGRATE.replace("import redis.clients.jedis.Jedis;", "import org.flywaydb.core.Flyway;")
    assert not _found([("src/main/java/com/acme/cache/redis/Mover.java", other)])


DRIVER_POLICY = """package io.acme.storage.cassandra;

import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
import com.datastax.oss.driver.api.core.session.Request;

public final class RetryPolicyImpl implements RetryPolicy {
  private static final int MAX_READ_RETRIES = 10;
  private static final int MAX_WRITE_RETRIES = 10;

  private RetryDecision retryIfIdempotent(Request request, int retry, int maxRetries, String methodName) {
    if (retry >= maxRetries) {
      return RetryDecision.RETHROW;
    }
    if (Boolean.TRUE.equals(request.isIdempotent())) {
      return RetryDecision.RETRY_NEXT;
    }
    return RetryDecision.RETHROW;
  }

  @Override
  public RetryDecision onReadTimeout(Request request, ConsistencyLevel cl, int required, int received,
      boolean retrieved, int retry) {
    return retryIfIdempotent(request, retry, MAX_READ_RETRIES, "onReadTimeout");
  }

  @Override
  public RetryDecision onWriteTimeout(Request request, ConsistencyLevel cl, WriteType t, int required, int received,
      int retry) {
    return retryIfIdempotent(request, retry, MAX_WRITE_RETRIES, "onWriteTimeout");
  }
}
"""


def test_driver_retry_policy_helper_bound_from_its_calls():
    found = _found([("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", DRIVER_POLICY)])
    assert ("RetryPolicyImpl.java", 12, "retry", 11) in found
    # calls passing different bounds: the count is unknown, not the first call's
    mixed = DRIVER_POLICY.replace("MAX_WRITE_RETRIES = 10", "MAX_WRITE_RETRIES = 3")
    assert ("RetryPolicyImpl.java", 12, "retry", 11) not in _found(
        [("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", mixed)])
    # not a driver policy (no DataStax import): a comparison of a variable named retry is nothing
    plain = DRIVER_POLICY.replace("com.datastax.oss.driver.api.core", "com.acme")
    assert not [f for f in _found([("src/main/java/io/acme/storage/cassandra/RetryPolicyImpl.java", plain)])
                if f[1] == 12]


PROXY = """package io.acme.management;

import java.time.Duration;

public interface ManagementProxy {
  Duration DEFAULT_JMX_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
}
"""

SEEDS = """package io.acme.management.jmx;

import io.acme.management.ManagementProxy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

public final class Seeds {
  private final ExecutorService executor;

  void tryConnecting(List<Callable<String>> tasks) throws Exception {
    List<Future<String>> futures = executor.invokeAll(
        tasks, (int) ManagementProxy.DEFAULT_JMX_CONNECTION_TIMEOUT.getSeconds(), TimeUnit.SECONDS);
    for (Future<String> endpointFuture : futures) {
      endpointFuture.get(ManagementProxy.DEFAULT_JMX_CONNECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
"""


def test_interface_duration_constant_in_seconds():
    found = _found([("src/main/java/io/acme/management/ManagementProxy.java", PROXY),
                    ("src/main/java/io/acme/management/jmx/Seeds.java", SEEDS)])
    assert ("Seeds.java", 11, "timeout", 5000) in found
    assert ("Seeds.java", 14, "timeout", 5000) in found


CONFIGURATION = """package io.acme;

public class ReaperConfiguration extends Configuration {
  private Integer jmxConnectionTimeoutInSeconds;
  private Integer hangingRepairTimeoutMins;

  public int getJmxConnectionTimeoutInSeconds() {
    return jmxConnectionTimeoutInSeconds != null ? jmxConnectionTimeoutInSeconds : 20;
  }

  public int getHangingRepairTimeoutMins() {
    return hangingRepairTimeoutMins != null ? hangingRepairTimeoutMins : computeDefault();
  }
}
"""

CONTEXT = """package io.acme;

public final class AppContext {
  public ReaperConfiguration config;
}
"""

SUBSCRIPTIONS = """package io.acme.service;

import io.acme.AppContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class Subscriptions {
  private final AppContext context;

  void awaitConnections(List<Node> nodes) throws InterruptedException {
    final CountDownLatch nodesLatch = new CountDownLatch(nodes.size());
    if (!nodesLatch.await(context.config.getJmxConnectionTimeoutInSeconds(), TimeUnit.SECONDS)) {
      return;
    }
    nodesLatch.await(context.config.getHangingRepairTimeoutMins(), TimeUnit.MINUTES);
  }
}
"""


def test_settings_getter_null_fallback_through_a_context_field():
    found = _found([("src/main/java/io/acme/ReaperConfiguration.java", CONFIGURATION),
                    ("src/main/java/io/acme/AppContext.java", CONTEXT),
                    ("src/main/java/io/acme/service/Subscriptions.java", SUBSCRIPTIONS)])
    assert ("Subscriptions.java", 12, "timeout", 20000) in found
    assert ("Subscriptions.java", 15, "timeout", None) in found  # a computed fallback: unknown


CONNECT_ANY = """package io.acme.management;

public final class Connections {
  public Proxy connectAny(Collection<Node> nodes) throws ReaperException {
    List<Node> nodeList = new ArrayList<>(nodes);
    for (int i = 0; i < 2; i++) {
      for (Node node : nodeList) {
        if (counters.successes(node) >= 0 || 1 == i) {
          try {
            return connectImpl(node);
          } catch (ReaperException | RuntimeException e) {
            LOG.info("Unreachable host: ", e);
          }
        }
      }
    }
    throw new ReaperException("no host could be reached");
  }

  public void repairAll(List<Table> tables) {
    for (int i = 0; i < 2; i++) {
      for (Table table : tables) {
        try {
          repair(table);
        } catch (RuntimeException e) {
          LOG.info("failed", e);
        }
      }
    }
  }
}
"""


def test_passes_over_instances():
    found = _found([("src/main/java/io/acme/management/Connections.java", CONNECT_ANY)])
    assert ("Connections.java", 6, "retry", 2) in found
    assert not [f for f in found if f[1] in (7, 21, 22)]  # the inner for-each; two passes over tables: no instances


STARTUP = """package io.acme;

public final class App {
  void initStorage() throws Exception {
    int storageFailures = 0;
    while (true) {
      try {
        storage = Storage.connect(config);
        break;
      } catch (RuntimeException e) {
        storageFailures++;
        if (storageFailures > 60) {
          throw new ReaperException("Too many failures");
        }
        Thread.sleep(10000);
      }
    }
  }

  void drain(Queue q) {
    int failures = 0;
    while (true) {
      try {
        q.take().run();
      } catch (RuntimeException e) {
        if (failures > 60) {
          LOG.warn("many failures");
        }
      }
    }
  }
}
"""


def test_failure_counter_bounding_an_endless_loop():
    found = _found([("src/main/java/io/acme/App.java", STARTUP)])
    assert ("App.java", 6, "retry", 61) in found
    assert not [f for f in found if f[1] == 22]  # never counted up, and its bound does not give up


POOL = """package com.acme.maxwell.util;

public interface ConnectionPool {
  void withSQLRetry(int nTries, RetryableSQLFunction<Connection> inner) throws SQLException;
}
"""

C3P0_POOL = """package com.acme.maxwell.util;

public class C3P0ConnectionPool implements ConnectionPool {
  @Override
  public void withSQLRetry(int nTries, RetryableSQLFunction<Connection> inner) throws SQLException {
    try (final Connection c = getConnection()) {
      inner.apply(c);
    } catch (SQLException e) {
      if (nTries > 0) {
        withSQLRetry(nTries - 1, inner);
      } else {
        throw e;
      }
    }
  }
}
"""

CONTEXT_HOLDER = """package com.acme.maxwell;

import com.acme.maxwell.util.ConnectionPool;

public class MaxwellContext {
  private ConnectionPool maxwellConnectionPool;

  public ConnectionPool getMaxwellConnectionPool() { return maxwellConnectionPool; }

  public String getName() { return "x"; }
}
"""

BOOTSTRAPPER = """package com.acme.maxwell.bootstrap;

import com.acme.maxwell.MaxwellContext;

public class SynchronousBootstrapper {
  private final MaxwellContext context;

  private void setStarted(Long id) throws SQLException {
    this.context.getMaxwellConnectionPool().withSQLRetry(1, (connection) -> {
      connection.prepareStatement("update x").executeUpdate();
    });
    context.getName().withSQLRetry(1, c -> c.run());
  }
}
"""


def test_helper_reached_through_a_getter_of_a_holder():
    found = _found([("src/main/java/com/acme/maxwell/util/ConnectionPool.java", POOL),
                    ("src/main/java/com/acme/maxwell/util/C3P0ConnectionPool.java", C3P0_POOL),
                    ("src/main/java/com/acme/maxwell/MaxwellContext.java", CONTEXT_HOLDER),
                    ("src/main/java/com/acme/maxwell/bootstrap/SynchronousBootstrapper.java", BOOTSTRAPPER)])
    assert ("SynchronousBootstrapper.java", 9, "retry", 2) in found
    assert not [f for f in found if f[0] == "SynchronousBootstrapper.java" and f[1] == 12]  # a String getter


BIGQUERY = """package com.acme.maxwell.producer;

class AppendCompleteCallback implements ApiFutureCallback<AppendRowsResponse> {
  private static final int MAX_RETRY_COUNT = 2;

  public void onFailure(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (appendContext.retryCount < MAX_RETRY_COUNT
        && RETRIABLE_ERROR_CODES.contains(status.getCode())) {
      appendContext.retryCount++;
      try {
        this.parent.sendAsync(appendContext.r, this.cc);
        return;
      } catch (Exception e) {
        System.out.format("Failed to retry append: %s\\n", e);
      }
    }
    if (reportCount < MAX_RETRY_COUNT) {
      LOGGER.error("failed append");
    }
  }
}
"""


def test_failure_callback_resending_under_a_count():
    found = _found([("src/main/java/com/acme/maxwell/producer/AppendCompleteCallback.java", BIGQUERY)])
    assert ("AppendCompleteCallback.java", 8, "retry", 3) in found
    assert not [f for f in found if f[1] == 18]  # a count compared for a report, nothing re-sent


CAMEL_ROUTE = """package no.acme.route;

import org.apache.camel.builder.RouteBuilder;

public class Route extends RouteBuilder {
  @Override
  public void configure() throws Exception {
    errorHandler(defaultErrorHandler()
        .maximumRedeliveries(0)
        .logStackTrace(true));
    from("jms:queue").to("bean:x");
  }
}
"""


def test_camel_error_handler_turning_redelivery_off():
    assert ("Route.java", 9, "retry", 1) in _found([("src/main/java/no/acme/route/Route.java", CAMEL_ROUTE)])


POLARIS = """package org.acme.polaris;

import reactor.util.retry.Retry;

public class PapiClient {
  private final PolarisConfig polarisConfig;

  Mono<Row> find(String path) {
    final var maxRetry = polarisConfig.getMaxHoldFetchingRetry(10);
    AtomicInteger retryCount = new AtomicInteger(0);
    return search(path)
      .retryWhen(Retry.max(maxRetry + 1)
        .filter(throwable -> throwable instanceof FindException && retryCount.get() < maxRetry)
        .doBeforeRetry(signal -> log.debug("retry {}", retryCount.incrementAndGet())));
  }

  Mono<Row> plain(String path) {
    final var maxRetry = polarisConfig.getMaxHoldFetchingRetry(10);
    return search(path).retryWhen(Retry.max(maxRetry + 1));
  }

  Mono<Row> other(String path) {
    final var maxRetry = parser.getMaxHoldFetchingRetry(10);
    return search(path).retryWhen(Retry.max(maxRetry));
  }
}
"""


def test_settings_getter_default_and_a_counting_filter():
    found = _found([("src/main/java/org/acme/polaris/PapiClient.java", POLARIS)])
    assert ("PapiClient.java", 12, "retry", 11) in found  # the filter stops after maxRetry retries
    assert ("PapiClient.java", 19, "retry", 12) in found  # without it, Retry.max(11): 12 tries
    assert ("PapiClient.java", 24, "retry", None) in found  # not a settings object: the default is not known


SIERRA = """package org.acme.sierra;

public class SierraClient {
  private final Integer getHoldsRetryAttempts;

  public SierraClient(HostLms lms) {
    this.getHoldsRetryAttempts = getGetHoldsRetryAttempts(lms.getClientConfig());
  }

  private Integer getGetHoldsRetryAttempts(Map<String, Object> clientConfig) {
    final var retries = GET_HOLDS_RETRY_ATTEMPTS_PROPERTY.getOptionalValueFrom(clientConfig, 25);
    log.info("Get holds retry attempts set to {}", retries);
    return retries;
  }

  Mono<Item> read(String id) {
    return Mono.defer(() -> getItem(id)).retry(getHoldsRetryAttempts);
  }
}
"""


def test_property_constant_read_with_default_through_a_logged_local():
    assert ("SierraClient.java", 17, "retry", 26) in _found([("src/main/java/org/acme/sierra/SierraClient.java",
                                                              SIERRA)])


MICRONAUT = """package org.acme.polaris;

import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClientConfiguration;
import java.time.Duration;
import java.util.Optional;

public class PolarisClientConfig extends DefaultHttpClientConfiguration {
  final Optional<Duration> polarisTimeout = Optional.of(Duration.ofSeconds(120));
  HttpClientConfiguration defaultConfig;

  @Override
  public Optional<Duration> getReadTimeout() {
    return polarisTimeout;
  }

  @Override
  public Optional<Duration> getConnectTimeout() {
    return defaultConfig.getConnectTimeout();
  }
}
"""


def test_micronaut_client_configuration_override():
    found = _found([("src/main/java/org/acme/polaris/PolarisClientConfig.java", MICRONAUT)])
    assert ("PolarisClientConfig.java", 9, "timeout", 120000) in found
    assert not [f for f in found if f[1] in (18, 19)]  # handed on from another configuration


NOTIFY = """package ca.acme.batch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public class BatchProcessor {
  private void processError(final String guid) {
    val notifyOptional = this.notifySchoolForFileFormatErrors(guid);
    if (notifyOptional.isPresent()) {
      final boolean isNotified = this.waitForNotification(guid, notifyOptional.get());
    }
    val countOptional = this.countRows(guid);
    this.waitForCount(guid, countOptional.get());
  }

  private boolean waitForNotification(final String guid, final CompletableFuture<Boolean> booleanCompletableFuture) {
    try {
      return booleanCompletableFuture.get(2000L, TimeUnit.MILLISECONDS);
    } catch (final Exception e) {
      return false;
    }
  }

  private long waitForCount(final String guid, final CompletableFuture<Long> countFuture) throws Exception {
    return countFuture.get(500L, TimeUnit.MILLISECONDS);
  }
}
"""


def test_future_of_a_notification_handed_through_an_optional():
    found = _found([("src/main/java/ca/acme/batch/BatchProcessor.java", NOTIFY)])
    assert ("BatchProcessor.java", 18, "timeout", 2000) in found
    assert not [f for f in found if f[1] == 25]  # a local count's future: no call awaited


RABBIT = """package com.acme.maxwell.producer;

import com.rabbitmq.client.ConnectionFactory;

public class RabbitmqProducer {
  public RabbitmqProducer(MaxwellConfig config) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    if (config.rabbitmqHandshakeTimeout != null) {
      factory.setHandshakeTimeout(config.rabbitmqHandshakeTimeout);
    }
    factory.setChannelRpcTimeout(15000);
  }
}
"""


def test_rabbitmq_connection_factory_timeouts():
    found = _found([("src/main/java/com/acme/maxwell/producer/RabbitmqProducer.java", RABBIT)])
    assert ("RabbitmqProducer.java", 9, "timeout", None) in found
    assert ("RabbitmqProducer.java", 11, "timeout", 15000) in found
    assert not _found([("src/main/java/com/acme/maxwell/producer/RabbitmqProducer.java",
                        RABBIT.replace("com.rabbitmq.client", "com.acme.amqp"))])


MAXWELL_CONFIG = """package com.acme.maxwell;

import java.time.Duration;

public class MaxwellConfig {
  public Duration pubsubTotalTimeout;
  public Duration pubsubOtherTimeout;

  public MaxwellConfig(String[] argv) {
    this.parse(argv);
  }

  private void parse(String[] argv) {
    OptionSet options = parser.parse(argv);
    setup(options, properties);
  }

  private void setup(OptionSet options, Properties properties) {
    this.pubsubTotalTimeout = Duration.ofSeconds(fetchLongOption("pubsub_total_timeout", options, properties, 600L));
    this.pubsubOtherTimeout = Duration.ofSeconds(fetchLongOption("pubsub_other_timeout", options, properties, 5L));
  }

  public void reload() {
    this.pubsubOtherTimeout = Duration.ofSeconds(1);
  }
}
"""

MAXWELL_CONTEXT = """package com.acme.maxwell;

public class MaxwellContext {
  private final MaxwellConfig config;

  public MaxwellConfig getConfig() { return config; }
}
"""

PUBSUB = """package com.acme.maxwell.producer;

import com.acme.maxwell.MaxwellContext;
import com.google.api.gax.retrying.RetrySettings;

public class PubsubProducer {
  public PubsubProducer(MaxwellContext context) {
    RetrySettings retrySettings = RetrySettings.newBuilder()
        .setTotalTimeout(context.getConfig().pubsubTotalTimeout)
        .setInitialRpcTimeout(context.getConfig().pubsubOtherTimeout)
        .build();
  }
}
"""


def test_option_fetch_defaults_set_by_constructor_helpers_read_through_a_getter():
    found = _found([("src/main/java/com/acme/maxwell/MaxwellConfig.java", MAXWELL_CONFIG),
                    ("src/main/java/com/acme/maxwell/MaxwellContext.java", MAXWELL_CONTEXT),
                    ("src/main/java/com/acme/maxwell/producer/PubsubProducer.java", PUBSUB)])
    assert ("PubsubProducer.java", 9, "timeout", 600000) in found
    assert ("PubsubProducer.java", 10, "timeout", None) in found  # set again by reload(): not one value


SKIFE = """package org.acme.billing.config;

import java.util.List;
import org.skife.config.Config;
import org.skife.config.Default;

public interface PaymentConfig {
    @Config("org.acme.payment.retry.days")
    @Default("8,8,8")
    List<Integer> getPaymentFailureRetryDays(@Param("dummy") final InternalTenantContext tenantContext);

    @Config("org.acme.payment.failure.retry.max.attempts")
    @Default("8")
    int getPluginFailureRetryMaxAttempts(@Param("dummy") final InternalTenantContext tenantContext);
}
"""

RESCHEDULER = """package org.acme.billing.payment;

import org.acme.billing.config.PaymentConfig;

public class ControlPlugin {
    private final PaymentConfig paymentConfig;

    private DateTime getNextRetryDateForPaymentFailure(final List<Tx> txs, final InternalCallContext internalContext) {
        DateTime result = null;
        final List<Integer> retryDays = paymentConfig.getPaymentFailureRetryDays(internalContext);
        final int retryCount = attempts(txs) - 1;
        if (retryCount < retryDays.size()) {
            result = internalContext.getCreatedDate().plusDays(retryDays.get(retryCount));
        }
        return result;
    }

    private DateTime getNextRetryDateForPluginFailure(final List<Tx> txs, final InternalCallContext internalContext) {
        final int retryAttempt = attempts(txs) - 1;
        if (retryAttempt < paymentConfig.getPluginFailureRetryMaxAttempts(internalContext)) {
            return internalContext.getCreatedDate().plusSeconds(60);
        }
        return null;
    }

    private DateTime computeSchedule(final List<Tx> txs, final InternalCallContext internalContext) {
        final int retryAttempt = attempts(txs) - 1;
        if (retryAttempt < paymentConfig.getPluginFailureRetryMaxAttempts(internalContext)) {
            return internalContext.getCreatedDate();
        }
        return null;
    }

    private DateTime getNextBillingDate(final List<Item> items) {
        if (items.size() > limits.size()) {
            return null;
        }
        return clock.now();
    }
}
"""


def test_next_retry_schedule_bounded_by_skife_settings():
    found = _found([("src/main/java/org/acme/billing/config/PaymentConfig.java", SKIFE),
                    ("src/main/java/org/acme/billing/payment/ControlPlugin.java", RESCHEDULER)])
    assert ("ControlPlugin.java", 12, "retry", 4) in found
    assert ("ControlPlugin.java", 20, "retry", 9) in found
    assert not [f for f in found if f[1] in (28, 35)]  # not a next-try method; a count of items, not of tries


REDELIVERY = """package org.acme.pubsub;

public class ConsumerService {
  private static final int RETRY_NUMBER = 5;

  private void deliver(Event event, Module subscriber, Map<Module, AtomicInteger> retry) {
    retry.put(subscriber, new AtomicInteger(0));
    doRequest(subscriber.getCallback(), event).onComplete(handler(event, subscriber, retry));
  }

  protected Handler<AsyncResult<Response>> handler(Event event, Module subscriber, Map<Module, AtomicInteger> retry) {
    retry.get(subscriber).incrementAndGet();
    return ar -> {
      if (ar.failed()) {
        retryDelivery(event, subscriber, retry);
      }
    };
  }

  private void retryDelivery(Event event, Module subscriber, Map<Module, AtomicInteger> retry) {
    if (retry.get(subscriber).get() <= RETRY_NUMBER) {
      doRequest(subscriber.getCallback(), event).onComplete(handler(event, subscriber, retry));
    }
  }

  private void retryLater(Event event, AtomicInteger seen) {
    if (seen.get() <= RETRY_NUMBER) {
      doRequest("x", event);
    }
  }
}
"""


def test_retry_method_guarded_by_a_count_raised_per_send():
    found = _found([("src/main/java/org/acme/pubsub/ConsumerService.java", REDELIVERY)])
    assert ("ConsumerService.java", 21, "retry", 6) in found
    assert not [f for f in found if f[1] == 27]  # a count nothing in the file raises
