"""Round 17 (Java): a project's time-bounded polling helper retrying the work its lambda does (brooklin's
``PollUtils.poll(() -> { try { return call(); } catch (E e) { return null; } }, Objects::nonNull, period, timeout)``):
a retry (max_attempts null) at the call, in another file than the helper; a poll of a condition through the same
helper is no retry."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve

POLL_UTILS = """package com.acme.common;

import java.util.Optional;

public final class PollUtils {
  public static boolean poll(BooleanSupplier cond, long periodMs, long timeoutMs) {
    return poll((n) -> cond.getAsBoolean(), periodMs, timeoutMs, null);
  }

  public static <T> boolean poll(InterruptablePredicate<T> cond, long periodMs, long timeoutMs, T arg) {
    long startMs = System.currentTimeMillis();
    while (true) {
      try {
        if (cond.test(arg)) {
          return true;
        }
        Thread.sleep(periodMs);
      } catch (InterruptedException e) {
        break;
      }
      if (timeoutMs > 0 && System.currentTimeMillis() - startMs >= timeoutMs) {
        break;
      }
    }
    return false;
  }

  public static <T> Optional<T> poll(InterruptableSupplier<T> supplier, InterruptablePredicate<T> cond,
      long periodMs, long timeoutMs) {
    long startMs = System.currentTimeMillis();
    while (true) {
      T ret;
      try {
        ret = supplier.get();
        if (cond.test(ret)) {
          return Optional.of(ret);
        }
        Thread.sleep(periodMs);
      } catch (InterruptedException e) {
        break;
      }
      if (System.currentTimeMillis() - startMs >= timeoutMs) {
        break;
      }
    }
    return Optional.empty();
  }
}
"""

CLIENT = """package com.acme.client;

import com.acme.common.PollUtils;
import java.util.Objects;

public class StreamClient {
  public Stream getStream(String name) {
    return PollUtils.poll(() -> {
      try {
        return doGetStream(name);
      } catch (RemoteInvocationException e) {
        if (e.getCause() instanceof TimeoutException) {
          return null;
        }
        throw new StreamException(name, e);
      }
    }, Objects::nonNull, getRetryPeriodMs(), getRetryTimeoutMs()).orElseThrow(RetriesExhaustedException::new);
  }

  public Duration retention(AdminClient admin, String topic) {
    return PollUtils.poll(() -> {
      try {
        Config config = admin.describeConfigs(topic).all().get();
        if (config != null) {
          return Duration.ofMillis(config.retention());
        }
      } catch (ExecutionException e) {
        log.warn("retention timeout for {}", topic, e);
      }
      return null;
    }, Objects::nonNull, 1000, 10000).orElse(null);
  }

  public boolean stopped(Processor processor) {
    // a wait for a state: nothing fails and is tried again
    return PollUtils.poll(processor::isStopped, 200, 5000);
  }

  public boolean stoppedToo(Processor processor) {
    return PollUtils.poll(() -> {
      return processor.isStopped();
    }, 200, 5000);
  }

  public Result once(Worker worker) {
    // a library-less helper this scan does not hold: no loop known, no retry
    return Jobs.submit(() -> {
      try {
        return worker.run();
      } catch (IOException e) {
        return null;
      }
    });
  }
}
"""

COUNTED = """package com.acme.common;

public final class Repeat {
  // calls the task once per item, no sleep and no clock: not a polling helper
  public static <T> void each(Supplier<T> task, int times) {
    for (int i = 0; i < times; i++) {
      task.get();
    }
  }

  // sleeps, but no time budget: not published
  public static <T> T spin(Supplier<T> task, long periodMs) {
    while (true) {
      T t = task.get();
      if (t != null) {
        return t;
      }
      Thread.sleep(periodMs);
    }
  }
}
"""

USES_COUNTED = """package com.acme.client;

import com.acme.common.Repeat;

public class Uses {
  void f(Client c) {
    Repeat.spin(() -> {
      try {
        return c.call();
      } catch (Exception e) {
        return null;
      }
    }, 100);
  }
}
"""


def _retries(files):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"), f.detector)
                  for f in resolve(results) if f.kind == "retry")


def test_poll_helper_retrying_a_failing_lambda_is_a_time_bounded_retry():
    got = _retries([("common/src/main/java/com/acme/common/PollUtils.java", POLL_UTILS),
                    ("client/src/main/java/com/acme/client/StreamClient.java", CLIENT)])
    assert got == [("StreamClient.java", 8, None, "java.poll_retry"),
                   ("StreamClient.java", 21, None, "java.poll_retry")]


def test_poll_helper_published_only_for_its_sleeping_time_bounded_loop():
    result = EXTRACTOR.extract("common/src/main/java/com/acme/common/PollUtils.java", POLL_UTILS.encode())
    assert sorted(k for k in result.symbols if "$poll_retry" in k) == ["PollUtils.poll.$poll_retry:0",
                                                                       "PollUtils.poll.$poll_retry:1"]
    counted = EXTRACTOR.extract("common/src/main/java/com/acme/common/Repeat.java", COUNTED.encode())
    assert not [k for k in counted.symbols if "$poll_retry" in k]


def test_no_poll_retry_without_the_helpers_publication():
    got = _retries([("common/src/main/java/com/acme/common/Repeat.java", COUNTED),
                    ("client/src/main/java/com/acme/client/Uses.java", USES_COUNTED)])
    assert not [g for g in got if g[3] == "java.poll_retry"]
    # the caller alone (the helper not in the scan): nothing kept
    alone = _retries([("client/src/main/java/com/acme/client/StreamClient.java", CLIENT)])
    assert not [g for g in alone if g[3] == "java.poll_retry"]


CONSTANTS = """package dashboard.control;

import org.apache.hc.client5.http.config.RequestConfig;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

public interface Constants {
    String HEADER = "X-IDP";

    default ClientHttpRequestFactory clientHttpRequestFactory(int timeout) {
        HttpComponentsClientHttpRequestFactory requestFactory = new HttpComponentsClientHttpRequestFactory();
        requestFactory.setReadTimeout(timeout);
        return requestFactory;
    }

    default String header(String user, int length) {
        return user.substring(0, length);
    }
}
"""

BASE_CLIENT = """package com.acme.common;

public abstract class BaseClient {
    protected String get(String url, int timeoutMs) {
        return http.newCall(url).timeout(timeoutMs, TimeUnit.MILLISECONDS).execute();
    }
}
"""

STATS = """package dashboard.stats;

import dashboard.control.Constants;
import org.springframework.web.client.RestTemplate;

public class StatsImpl implements Stats, Constants {
    private final RestTemplate restTemplate;

    public StatsImpl() {
        this.restTemplate = new RestTemplate(clientHttpRequestFactory(10 * 1000));
        String h = header("user", 3);
    }
}
"""

ORDERS = """package com.acme.orders;

import com.acme.common.BaseClient;

public class OrdersClient extends BaseClient {
    String order(String id) {
        return get("http://orders/" + id, 2500);
    }

    String local(String id) {
        return format(id, 3000);
    }
}
"""


def _timeouts(files):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                  for f in resolve(results) if f.kind == "timeout")


def test_inherited_interface_default_method_helper_gets_the_value_at_the_call():
    got = _timeouts([("src/main/java/dashboard/control/Constants.java", CONSTANTS),
                     ("src/main/java/dashboard/stats/StatsImpl.java", STATS)])
    # the default method forwards its parameter (no contract there); the implementing class's call holds it;
    # `header("user", 3)` is no timeout (the parameter becomes none)
    # (the pipeline drops the helper's forwarder line: `wrappers.forwarder_key`)
    assert [g for g in got if g[0] == "StatsImpl.java"] == [("StatsImpl.java", 10, 10000.0)]


def test_inherited_superclass_helper_of_another_file():
    got = _timeouts([("common/src/main/java/com/acme/common/BaseClient.java", BASE_CLIENT),
                     ("orders/src/main/java/com/acme/orders/OrdersClient.java", ORDERS)])
    assert [g for g in got if g[0] == "OrdersClient.java"] == [("OrdersClient.java", 7, 2500.0)]
    # without the parent in the scan nothing is kept
    assert _timeouts([("orders/src/main/java/com/acme/orders/OrdersClient.java", ORDERS)]) == []


VALUE_NAMED_AS_KEY = """package com.acme;

import org.springframework.beans.factory.annotation.Value;

public class Clients {
    @Value("${readTimeout}")
    private int readTimeout;

    @Value("${app.client.write-timeout}")
    private int writeTimeout;

    RestTemplate restTemplate() {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setReadTimeout(readTimeout);
        return new RestTemplate(factory);
    }

    @Bean
    JiraClient jira(@Value("${jiraConnectionTimeout}") int jiraConnectionTimeout) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(jiraConnectionTimeout);
        return new JiraClient(factory);
    }
}
"""


def test_value_property_whose_key_is_the_variables_own_name():
    from extractors.spring.extractor import EXTRACTOR as SPRING
    results = [EXTRACTOR.extract("src/main/java/com/acme/Clients.java", VALUE_NAMED_AS_KEY.encode()),
               SPRING.extract("src/main/resources/application.properties",
                              b"readTimeout=7000\njiraConnectionTimeout=10000\n# readTimeout in a comment\n")]
    got = sorted((f.line, f.attributes.get("timeout_ms")) for f in resolve(results)
                 if f.kind == "timeout" and f.path.endswith(".java"))
    assert got == [(14, 7000.0), (21, 10000.0)]


def test_spring_cloud_vault_client_timeouts():
    from extractors.spring.extractor import EXTRACTOR as SPRING
    text = b"""spring:
  cloud:
    vault:
      kv:
        enabled: true
      uri: ${VAULT_URI}
      connection-timeout: 5000
      read-timeout: 15000
      fail-fast: true
  session:
    timeout: 30m
"""
    result = SPRING.extract("src/main/resources/bootstrap-cloud.yaml", text)
    got = sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms")) for f in resolve([result])
                 if f.kind == "timeout")
    assert got == [(7, "connect", 5000.0), (8, "read", 15000.0)]


def test_quarkus_test_profile_keys_are_not_the_services_settings():
    from extractors.spring.extractor import EXTRACTOR as SPRING
    text = (b"quarkus.mongodb.connection-string=mongodb://mongodb:27017\n"
            b"%test.quarkus.mongodb.server-selection-timeout=1S\n"
            b"%prod.quarkus.mongodb.connect-timeout=5S\n"
            b"%dev,test.quarkus.redis.timeout=2S\n")
    result = SPRING.extract("src/main/resources/application.properties", text)
    got = sorted((f.line, f.attributes.get("timeout_ms")) for f in resolve([result]) if f.kind == "timeout")
    assert got == [(3, 5000.0), (4, 2000.0)]


MUTINY_AND_HAZELCAST = """package webapp.tier.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

public class Streams {
    public Multi<String> convert(String message) {
        return Multi.createFrom().items(message)
                .onCompletion()
                .invoke(() -> log("done"))
                .onFailure()
                .retry().atMost(3)
                .onFailure()
                .recoverWithCompletion();
    }

    public Multi<String> generate() {
        return Multi.createFrom().ticks().every(Duration.ofSeconds(period))
                .map(tick -> generateMessage())
                .onFailure()
                .retry().atMost(3);
    }

    public Uni<String> fetch(String id) {
        return client.get(id)
                .onFailure()
                .retry().atMost(3);
    }

    public Uni<String> fetchItem(String id) {
        return Uni.createFrom().item(id)
                .onItem().transformToUni(i -> client.get(i))
                .onFailure()
                .retry().atMost(2);
    }

    public HazelcastInstance instance() {
        ClientConfig clientConfig = new ClientConfig();
        clientConfig.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(5000)
                .setMaxBackoffMillis(10000);
        return HazelcastClient.newHazelcastClient(clientConfig);
    }
}
"""


def test_mutiny_retry_of_a_local_stream_is_none_and_hazelcast_cluster_connect_timeout():
    findings = resolve([EXTRACTOR.extract("src/main/java/webapp/tier/service/Streams.java",
                                          MUTINY_AND_HAZELCAST.encode())])
    retries = sorted((f.line, f.attributes.get("max_attempts")) for f in findings if f.kind == "retry")
    timeouts = sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                      for f in findings if f.kind == "timeout")
    assert retries == [(27, 4), (34, 3)]
    assert timeouts == [(40, "connect", 5000.0)]


QUERY_CLIENT = """package org.acme.gateway.util;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.time.Duration;

public class QueryServiceClient {
    private final QueryServiceBlockingStub stub;
    private final Duration timeoutDuration;

    public QueryServiceClient(QueryServiceBlockingStub stub, Duration timeoutDuration) {
        this.stub = stub;
        this.timeoutDuration = timeoutDuration;
    }

    public Result executeQuery(Request request) {
        return stub.withDeadlineAfter(timeoutDuration.toMillis(), MILLISECONDS).execute(request);
    }
}
"""

GATEWAY = """package org.acme.gateway;

import com.typesafe.config.Config;
import java.time.Duration;
import org.acme.gateway.util.QueryServiceClient;

public class GatewayServiceImpl {
    private static final String QUERY_SERVICE_CONFIG_KEY = "query.service.config";
    private static final String REQUEST_TIMEOUT_CONFIG_KEY = "request.timeout";

    public GatewayServiceImpl(Config appConfig) {
        Config untypedQsConfig = appConfig.getConfig(QUERY_SERVICE_CONFIG_KEY);
        QueryServiceClient queryServiceClient =
            new QueryServiceClient(
                newStub(untypedQsConfig.getString("host")),
                Duration.ofMillis(untypedQsConfig.getInt(REQUEST_TIMEOUT_CONFIG_KEY)));
        int threads = untypedQsConfig.getInt("threads");
    }
}
"""

CONF = b"""query.service.config = {
  host = localhost
  port = 8090
  request.timeout = 10000
}
"""


def test_typesafe_config_sub_config_read_passed_to_a_constructor_kept_deadline():
    from extractors.spring.extractor import EXTRACTOR as SPRING
    results = [EXTRACTOR.extract("impl/src/main/java/org/acme/gateway/util/QueryServiceClient.java",
                                 QUERY_CLIENT.encode()),
               EXTRACTOR.extract("impl/src/main/java/org/acme/gateway/GatewayServiceImpl.java", GATEWAY.encode()),
               SPRING.extract("service/src/main/resources/configs/common/application.conf", CONF)]
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms")) for f in resolve(results)
                 if f.kind == "timeout" and f.path.endswith("GatewayServiceImpl.java"))
    assert got == [("GatewayServiceImpl.java", 14, 10000.0)]


READINESS = """package com.acme.client;

import com.acme.common.PollUtils;

public class Ready {
  boolean waitReady(Client client) {
    return PollUtils.poll(() -> {
      try {
        return client.isReady();
      } catch (IOException e) {
        return false;
      }
    }, 500, 30000);
  }
}
"""


def test_readiness_poll_answering_false_is_a_wait_not_a_retry():
    got = _retries([("common/src/main/java/com/acme/common/PollUtils.java", POLL_UTILS),
                    ("client/src/main/java/com/acme/client/Ready.java", READINESS)])
    assert not [g for g in got if g[3] == "java.poll_retry"]


MUTINY_WORK = """package org.acme;

import io.smallrye.mutiny.Uni;

public class Work {
    Uni<Void> fail(Task task) {
        return Uni.createFrom().voidItem()
                .onItem().invoke(() -> controller.fail(task.getName()))
                .onFailure().retry().atMost(5);
    }

    Uni<Object> respond(Object i) {
        return Uni.createFrom().item(i)
                .invoke(onResponse)
                .onFailure().retry().atMost(20);
    }
}
"""


def test_mutiny_local_source_with_work_in_an_invoke_still_retries():
    findings = resolve([EXTRACTOR.extract("src/main/java/org/acme/Work.java", MUTINY_WORK.encode())])
    assert sorted((f.line, f.attributes.get("max_attempts")) for f in findings if f.kind == "retry") == \
        [(9, 6), (15, 21)]
