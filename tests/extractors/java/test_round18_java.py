"""Round 18 (Java): shapes met on the round-18 held-out sets.

* a project's own retry binding named for its policy (swatch's ``@RetryWithExponentialBackoff(maxRetries =
  "${AWS_SEND_RETRIES}")``): retries after the first, the count read from the service's properties or the
  placeholder's default;
* Spring Framework 7's ``@Retryable(maxRetriesString = Constants.RETRY_MAX)`` whose constant (in another file)
  holds the placeholder (hawkBit);
* a multi-line ``new JedisPool(..)`` at the constructor's line (maxwell);
* c3p0 ``setAcquireRetryAttempts`` / ``setCheckoutTimeout``, Spring AMQP ``setDeclarationRetries``, Redisson's
  ``node.ping(2, SECONDS)``, mysql-binlog-connector's ``client.connect(5000)``;
* a helper re-running itself from its catch while re-tries are left (``if (nTries > 0) withSQLRetry(nTries - 1,
  inner); else throw e;``): the tries are at the calls of other files (``pool.withSQLRetry(1, ..)``: 2).
"""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from extractors.spring.extractor import EXTRACTOR as SPRING
from tests.extractors.java.support import resolve


def _found(files, kind=None):
    results = [(SPRING if path.endswith(".properties") else EXTRACTOR).extract(path, text.encode())
               for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"))
                  for f in resolve(results) if f.kind in ((kind,) if kind else ("timeout", "retry")))


BINDING = """package com.acme.aws;

import com.acme.faulttolerance.api.RetryWithExponentialBackoff;

public class UsageConsumer {
  @RetryWithExponentialBackoff(
      maxRetries = "${AWS_USAGE_CONTEXT_LOOKUP_RETRIES}",
      retryOn = LookupException.class)
  public Context lookup(Aggregate a) {
    return contractsApi.getContext(a.id());
  }

  @RetryWithExponentialBackoff(maxRetries = "${AWS_SEND_RETRIES}")
  public Response send(Client client, Request request) {
    return client.batchMeterUsage(request);
  }

  @RetryWithExponentialBackoff(maxRetries = "${CONTRACT_CLIENT_MAX_ATTEMPTS:1}", delay = "1s")
  public List<Contract> contracts(Usage u) {
    return contractsApi.getContract(u.org());
  }

  @RetryWithExponentialBackoff(maxRetries = "2")
  public void flush() {
    client.flush();
  }
}
"""

BINDING_PROPERTIES = """AWS_SEND_RETRIES=0
AWS_USAGE_CONTEXT_LOOKUP_RETRIES=3
"""

# the binding's own declaration, a type named like it, the words in a comment and in a string: no retry
NOT_BINDINGS = """package com.acme.faulttolerance.api;

// @RetryWithExponentialBackoff(maxRetries = "3") on a method retries it
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface RetryWithExponentialBackoff {
  String maxRetries() default "";
}

class Holder {
  RetryWithBackoffSettings settings = new RetryWithBackoffSettings(3);
  String doc = "@RetryWithBackoff(maxRetries = 5)";
}
"""


def test_project_retry_binding_counts_retries_from_the_services_properties():
    got = _found([("aws/src/main/java/com/acme/aws/UsageConsumer.java", BINDING),
                  ("aws/src/main/resources/application.properties", BINDING_PROPERTIES)])
    assert got == [("UsageConsumer.java", 6, "retry", 4), ("UsageConsumer.java", 13, "retry", 1),
                   ("UsageConsumer.java", 18, "retry", 2), ("UsageConsumer.java", 23, "retry", 3)]


def test_project_retry_binding_declaration_and_look_alikes_are_no_retry():
    assert _found([("common/src/main/java/com/acme/faulttolerance/api/RetryWithExponentialBackoff.java",
                    NOT_BINDINGS)]) == []


SPRING7_CONSTANTS = """package org.acme.repo.jpa.configuration;

public final class Constants {
    public static final String RETRY_MAX = "${org.acme.repository.jpa.retry-max:10}";
    public static final String RETRY_DELAY = "${org.acme.repository.jpa.retry-delay:100}";
}
"""

SPRING7_MANAGEMENT = """package org.acme.repo.jpa.management;

import org.acme.repo.jpa.configuration.Constants;
import org.springframework.resilience.annotation.Retryable;

public class ModuleManagement {
    @Retryable(includes = ConcurrencyFailureException.class, maxRetriesString = Constants.RETRY_MAX, delayString = Constants.RETRY_DELAY)
    public Module update(final Update update) {
        return repository.save(update);
    }

    @Retryable(maxRetriesString = LOCAL_MAX)
    public Module other(final Update update) {
        return repository.save(update);
    }

    private static final String LOCAL_MAX = "${acme.other.retries:2}";
}
"""


def test_spring7_retryable_max_retries_string_from_a_constant_holding_a_placeholder():
    files = [("repo/src/main/java/org/acme/repo/jpa/configuration/Constants.java", SPRING7_CONSTANTS),
             ("repo/src/main/java/org/acme/repo/jpa/management/ModuleManagement.java", SPRING7_MANAGEMENT)]
    assert _found(files) == [("ModuleManagement.java", 7, "retry", 11), ("ModuleManagement.java", 12, "retry", 3)]
    # the property, when the service sets it, wins over the placeholder's default
    configured = files + [("repo/src/main/resources/application.properties",
                           "org.acme.repository.jpa.retry-max=7\n")]
    assert _found(configured) == [("ModuleManagement.java", 7, "retry", 8), ("ModuleManagement.java", 12, "retry", 3)]


JEDIS = """package com.acme.redis;

import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.Protocol;

public class RedisProducer {
  private final JedisPool pool;

  RedisProducer(Config c) {
    if (c.sentinel != null) {
      pool = new JedisSentinelPool(
        c.sentinel,
        c.sentinels,
        poolConfig(),
        2000,
        c.auth);
    } else {
      pool = new JedisPool(
        poolConfig(),
        c.host,
        c.port,
        3000,
        c.auth);
    }
  }
}
"""


def test_multiline_jedis_pool_timeout_at_the_constructor_line():
    assert _found([("src/main/java/com/acme/redis/RedisProducer.java", JEDIS)]) == [
        ("RedisProducer.java", 12, "timeout", 2000), ("RedisProducer.java", 19, "timeout", 3000)]


LIBRARY_OPTIONS = """package com.acme.db;

import com.mchange.v2.c3p0.ComboPooledDataSource;

public class Pool {
  private final ComboPooledDataSource cpds = new ComboPooledDataSource();

  public void probe() {
    cpds.setAcquireRetryAttempts(1);
    try (Connection c = cpds.getConnection()) {
      cpds.setAcquireRetryAttempts(30);
    }
    cpds.setCheckoutTimeout(5000);
    cpds.setCheckoutTimeout(0);
  }
}
"""

NOT_LIBRARY_OPTIONS = """package com.acme.other;

public class Other {
  void f(Settings s, Socket socket, Node node) {
    s.setAcquireRetryAttempts(3);
    s.setDeclarationRetries(5);
    node.ping(2, TimeUnit.SECONDS);
    socket.connect(5000);
  }
}
"""

AMQP = """package com.acme.amqp;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;

public class Containers {
  SimpleRabbitListenerContainerFactory factory() {
    SimpleRabbitListenerContainerFactory f = new SimpleRabbitListenerContainerFactory();
    f.setDeclarationRetries(5);
    return f;
  }
}
"""

REDISSON = """package com.acme.health;

import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisCluster;

public class RedisHealth {
  int failed(RedisCluster cluster) {
    int failed = 0;
    for (var master : cluster.getMasters()) {
      if (!master.ping(2, TimeUnit.SECONDS)) {
        failed++;
      }
    }
    return failed;
  }
}
"""

BINLOG = """package com.acme.cdc;

import com.github.shyiko.mysql.binlog.BinaryLogClient;

public class Replicator {
  private final BinaryLogClient client;

  public void start() throws Exception {
    this.client.connect(5000);
  }

  public void stop() throws Exception {
    this.client.disconnect();
  }
}
"""


def test_round18_library_options():
    assert _found([("src/main/java/com/acme/db/Pool.java", LIBRARY_OPTIONS)]) == [
        ("Pool.java", 9, "retry", 1), ("Pool.java", 11, "retry", 30), ("Pool.java", 13, "timeout", 5000)]
    assert _found([("src/main/java/com/acme/amqp/Containers.java", AMQP)]) == [("Containers.java", 8, "retry", 6)]
    assert _found([("src/main/java/com/acme/health/RedisHealth.java", REDISSON)]) == [
        ("RedisHealth.java", 10, "timeout", 2000)]
    assert _found([("src/main/java/com/acme/cdc/Replicator.java", BINLOG)]) == [("Replicator.java", 9, "timeout", 5000)]


def test_round18_library_options_need_their_library():
    assert _found([("src/main/java/com/acme/other/Other.java", NOT_LIBRARY_OPTIONS)]) == []


SQL_POOL = """package com.acme.util;

public class C3P0ConnectionPool implements ConnectionPool {
  @Override
  public void withSQLRetry(int nTries, RetryableSQLFunction<Connection> inner) throws SQLException {
    try (final Connection c = getConnection()) {
      inner.apply(c);
      return;
    } catch (SQLException e) {
      if (nTries > 0) {
        LOGGER.error("got SQL Exception: {}, retrying...", e.getLocalizedMessage());
        withSQLRetry(nTries - 1, inner);
      } else {
        throw (e);
      }
    }
  }
}
"""

SQL_POOL_INTERFACE = """package com.acme.util;

public interface ConnectionPool {
  void withSQLRetry(int nTries, RetryableSQLFunction<Connection> inner) throws SQLException;
}
"""

POSITION_STORE = """package com.acme.schema;

import com.acme.util.ConnectionPool;

public class PositionStore {
  private final ConnectionPool connectionPool;

  public void set(Position p) throws Exception {
    connectionPool.withSQLRetry(1, (c) -> {
      c.prepareStatement(SQL).execute();
    });
  }
}
"""

# counting down without a catch (a walk over levels), and a guard with no give-up branch: no retry
NOT_SQL_RETRY = """package com.acme.tree;

public class Tree {
  void walk(Node n, int depth) {
    if (depth > 0) {
      walk(n.child(), depth - 1);
    } else {
      return;
    }
  }

  void keep(Node n, int tries) {
    try {
      n.save();
    } catch (IOException e) {
      if (tries > 0) {
        keep(n, tries - 1);
      }
    }
  }
}
"""


def test_helper_rerunning_itself_while_retries_are_left_is_a_retry_at_the_callers():
    got = _found([("src/main/java/com/acme/util/C3P0ConnectionPool.java", SQL_POOL),
                  ("src/main/java/com/acme/util/ConnectionPool.java", SQL_POOL_INTERFACE),
                  ("src/main/java/com/acme/schema/PositionStore.java", POSITION_STORE)], "retry")
    assert ("PositionStore.java", 9, "retry", 2) in got
    # the helper's own line hands on its caller's count (a forwarder without a default): no value of its own
    assert [g for g in got if g[0] == "C3P0ConnectionPool.java"] in ([], [("C3P0ConnectionPool.java", 5, "retry", None)])


def test_count_down_recursion_without_a_catch_or_give_up_is_no_retry():
    assert _found([("src/main/java/com/acme/tree/Tree.java", NOT_SQL_RETRY)], "retry") == []


RETRY_CONFIG_BUILDER = """package uk.gov.acme.address;

import uk.gov.acme.common.util.retry.RetryConfig;
import uk.gov.acme.common.util.retry.RetryManager;

public class AddressService {
    public Item getWithRetries(Session s) {
        RetryConfig retryConfig = getRetryConfig(500, 3, true);
        return RetryManager.execute(retryConfig, () -> this.get(s));
    }

    private RetryConfig getRetryConfig(int delayMs, int maxAttempts, boolean exponential) {
        return new RetryConfig.Builder()
                .delayBetweenAttempts(delayMs)
                .maxAttempts(maxAttempts)
                .exponentiallyRetry(exponential)
                .build();
    }

    Backoff backoff() {
        // not a retry configuration's builder, and resilience4j's own reading is its detector's
        return new Backoff.Builder().maxAttempts(9).build();
    }
}
"""


def test_retry_configuration_builder_max_attempts_through_a_private_helper():
    assert _found([("lib/src/main/java/uk/gov/acme/address/AddressService.java", RETRY_CONFIG_BUILDER)], "retry") == [
        ("AddressService.java", 8, "retry", 3)]


RETRY_ADVICE = """package uk.gov.acme.config;

import org.springframework.integration.handler.advice.RequestHandlerRetryAdvice;

public class MessageConsumerConfig {
  @Bean
  public RequestHandlerRetryAdvice retryAdvice() {
    RequestHandlerRetryAdvice requestHandlerRetryAdvice = new RequestHandlerRetryAdvice();
    requestHandlerRetryAdvice.setRecoveryCallback(managedMessageRecoverer);
    return requestHandlerRetryAdvice;
  }

  @Bean
  public RequestHandlerRetryAdvice templated() {
    // its own template: read where that is built, not here
    RequestHandlerRetryAdvice advice = new RequestHandlerRetryAdvice();
    advice.setRetryTemplate(template);
    return advice;
  }
}
"""


def test_spring_integration_retry_advice_default_template_is_three_tries():
    assert _found([("src/main/java/uk/gov/acme/config/MessageConsumerConfig.java", RETRY_ADVICE)], "retry") == [
        ("MessageConsumerConfig.java", 8, "retry", 3)]


NRT_CONFIG = """package com.acme.search.config;

public class SearchConfig {
  static final int DEFAULT_MAX_S3_CLIENT_RETRIES = 20;
  private final int maxS3ClientRetries;
  private final String bucket;

  public SearchConfig(InputStream yamlStream) {
    YamlConfigReader configReader = new YamlConfigReader(yamlStream);
    maxS3ClientRetries = configReader.getInteger("maxS3ClientRetries", DEFAULT_MAX_S3_CLIENT_RETRIES);
    bucket = configReader.getString("bucketName", "DEFAULT_BUCKET");
  }

  public int getMaxS3ClientRetries() {
    return maxS3ClientRetries;
  }
}
"""

NRT_S3 = """package com.acme.search.remote;

import com.acme.search.config.SearchConfig;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.RetryMode;

public class S3Util {
  public static S3Client build(SearchConfig configuration) {
    int maxRetries = configuration.getMaxS3ClientRetries();
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    if (maxRetries > 0) {
      RetryPolicy retryPolicy = RetryPolicy.builder(RetryMode.STANDARD).numRetries(maxRetries).build();
      override.retryPolicy(retryPolicy);
    }
    return S3Client.builder().overrideConfiguration(override.build()).build();
  }

  public static RetryPolicy computed(Node node) {
    int tries = node.computeTries(3);
    return RetryPolicy.builder(RetryMode.STANDARD).numRetries(tries).build();
  }
}
"""


def test_settings_reader_default_reaches_a_retry_through_a_getter_and_a_local():
    got = _found([("src/main/java/com/acme/search/config/SearchConfig.java", NRT_CONFIG),
                  ("src/main/java/com/acme/search/remote/S3Util.java", NRT_S3)], "retry")
    assert ("S3Util.java", 12, "retry", 21) in got
    # a local from some other call stays unknown
    assert [g[3] for g in got if g[1] == 20] in ([], [None])
    # a text default is no number
    result = EXTRACTOR.extract("src/main/java/com/acme/search/config/SearchConfig.java", NRT_CONFIG.encode())
    assert "SearchConfig.bucket" not in result.symbols
