"""Round 19 (Java): shapes met on the held-out sets labelled this round.

* a count of tries left, declared before an endless loop, that the catch compares with a floor (going on while it is
  above, throwing otherwise) and counts down (orion's ``int retries = 3; while (true) { try { ..; break; } catch (E e)
  { if (retries > 0) { log } else { throw e; } retries--; } }``: 4 tries, not 1);
* ``while (retries-- > 0)`` whose count is declared in an enclosing block (before a try-with-resources);
* a settings map read by a literal key with a literal default (``Integer.parseInt(agentConfigs.getOrDefault("k",
  "10000"))``) in a getter, read through a settings field the class inherits (``config.getX()`` in a subclass) or
  through the class's own getter of its settings object (``getConfig().getX()``);
* a Kafka Admin options object kept in a local (``DeleteTopicsOptions options = new DeleteTopicsOptions();
  options.timeoutMs(5000);``);
* ``connection.isValid(1)`` in a file without any other timeout word (the prefilter);
* a type a ``@Bean @ConfigurationProperties("drshub")`` method binds, read through a record component
  (``public record AsyncUtils(DrsHubConfig drsHubConfig)``, ``drsHubConfig.getPencilsDownSeconds()``);
* ``Duration.parse(field)`` over an ``@Value`` String field whose configuration holds ``PT30S``.
"""

from __future__ import annotations

from contract_discovery.pipeline import scan
from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _found(files, kind=None):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"))
                  for f in resolve(results) if f.kind in ((kind,) if kind else ("timeout", "retry")))


def _scanned(tmp_path, files):
    (tmp_path / "pom.xml").write_text("<project><artifactId>svc</artifactId></project>\n")
    for path, text in files:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("max_attempts") if f.kind == "retry" else f.attributes.get("timeout_ms"))
                  for f in scan(tmp_path).findings if f.kind in ("timeout", "retry"))


COUNTDOWN = ("src/main/java/a/Ec2Utils.java", """package a;

public class Ec2Utils {
  public static void waitForState(Ec2Client client, DescribeRequest request) throws InterruptedException {
    int retries = 3;
    while (true) {
      Thread.sleep(5000);
      try {
        if (client.describeInstanceStatus(request).hasInstanceStatuses()) {
          break;
        }
      } catch (Exception e) {
        if (retries > 0) {
          logger.warn("retrying " + retries, e);
        } else {
          throw e;
        }
        retries--;
      }
    }
  }

  public static void lowerFirst(Ec2Client client, DescribeRequest request) throws Exception {
    int retriesLeft = 3;
    while (true) {
      try {
        client.describeInstanceStatus(request);
        return;
      } catch (Exception e) {
        if (--retriesLeft > 0) {
          logger.warn("retrying", e);
        } else {
          throw e;
        }
      }
    }
  }

  public static boolean upsert(Route53Request request) throws Exception {
    int retries = 3;
    try (Route53Client route53 = Route53Client.builder().build()) {
      while (retries-- > 0) {
        try {
          route53.changeResourceRecordSets(request);
          break;
        } catch (Exception e) {
          Thread.sleep(10_000);
        }
      }
    }
    return true;
  }

  public static void sendAll(Sender sender, java.util.List<String> items) {
    int retries = 3;  // a count named retries, but no loop retries anything: one pass over the items
    for (String item : items) {
      try {
        sender.send(item);
      } catch (Exception e) {
        logger.warn("retry later " + retries, e);
      }
    }
  }
}
""")


def test_countdown_in_catch_and_count_declared_outside_try_with_resources():
    assert _found([COUNTDOWN], "retry") == [
        ("Ec2Utils.java", 6, "retry", 4),    # retries 3, 2, 1 go on; the fourth failure throws
        ("Ec2Utils.java", 25, "retry", 3),   # lowered before it is compared: 3 tries
        ("Ec2Utils.java", 42, "retry", 3),   # `int retries = 3;` before the try-with-resources
    ]


AGENT_CONFIG = ("src/main/java/a/AgentConfig.java", """package a;

import java.util.Map;

public class AgentConfig {
  private Map<String, String> agentConfigs;

  public long getMetricsCallTimeoutSec() {
    return Long.parseLong(agentConfigs.getOrDefault("metricsCallTimeoutSecond", "10"));
  }

  public int getDescribeClusterTimeoutMs() {
    return Integer.parseInt(agentConfigs.getOrDefault("describeClusterTimeoutMs", "10000"));
  }

  public String getHostname() {
    return agentConfigs.getOrDefault("hostname", "localhost");
  }
}
""")

BASE_AGENT = ("src/main/java/a/BaseAgent.java", """package a;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

public abstract class BaseAgent {
  protected AgentConfig config;

  public AgentConfig getConfig() {
    return config;
  }

  Metric read(Future<Metric> metricFuture) throws Exception {
    return metricFuture.get(getConfig().getMetricsCallTimeoutSec(), TimeUnit.SECONDS);
  }
}
""")

KAFKA_AGENT = ("src/main/java/a/KafkaAgent.java", """package a;

import java.util.concurrent.TimeUnit;

public class KafkaAgent extends BaseAgent {
  public KafkaAgent(AgentConfig config) {
    this.config = config;
  }

  void status(AdminClient admin) throws Exception {
    int describeClusterTimeoutMs = config.getDescribeClusterTimeoutMs();
    DescribeClusterResult result = admin.describeCluster(
        new DescribeClusterOptions().timeoutMs(describeClusterTimeoutMs));
    result.clusterId().get(describeClusterTimeoutMs, TimeUnit.MILLISECONDS);
  }

  void other(AdminClient admin, LocalSettings config) throws Exception {
    // a parameter of the same name: not the inherited settings field
    admin.describeCluster(new DescribeClusterOptions().timeoutMs(config.getDescribeClusterTimeoutMs()));
  }
}
""")


def test_settings_map_defaults_read_through_inherited_and_own_getters():
    assert _found([AGENT_CONFIG, BASE_AGENT, KAFKA_AGENT], "timeout") == [
        ("BaseAgent.java", 14, "timeout", 10000),   # getConfig().getMetricsCallTimeoutSec(): "10" s
        ("KafkaAgent.java", 13, "timeout", 10000),  # config (BaseAgent's field).getDescribeClusterTimeoutMs()
        ("KafkaAgent.java", 14, "timeout", 10000),
        ("KafkaAgent.java", 19, "timeout", None),   # LocalSettings: another class's getter, not published here
    ]


ADMIN = ("src/main/java/a/Admin.java", """package a;

import java.util.List;

public class Admin {
  void deleteTopic(AdminClient adminClient, String topic) throws Exception {
    DeleteTopicsOptions options = new DeleteTopicsOptions();
    options.timeoutMs(5000); // timeout after 5 seconds
    adminClient.deleteTopics(List.of(topic), options).all().get();
  }

  void copy(Request request, Job job) {
    RequestSettings settings = new RequestSettings();
    settings.timeoutMs(request.getTimeoutMs());   // a settings object that is no Kafka options: a copied field
    job.setTimeoutMs(3000);                       // a domain object's field
  }
}
""")


def test_admin_options_kept_in_a_local():
    assert _found([ADMIN], "timeout") == [("Admin.java", 8, "timeout", 5000)]


STATUS_DAO = """package a;

import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.jdbc.core.JdbcTemplate;

public class StatusDAO {
  final JdbcTemplate jdbcTemplate;

  private boolean isConnectionValid(Connection connection) throws SQLException {
    return connection.isValid(1);
  }

  public Boolean isPostgresOk() {
    return this.jdbcTemplate.execute(this::isConnectionValid);
  }
}
"""


def test_is_valid_passes_the_prefilter():
    assert EXTRACTOR.prefilter(STATUS_DAO.encode())
    assert _found([("src/main/java/a/StatusDAO.java", STATUS_DAO)]) == [("StatusDAO.java", 11, "timeout", 1000)]
    # a validator's isValid(value) is no connection check
    validator = "class V { boolean ok(String s) { return validator.isValid(5); } }"
    assert _found([("src/main/java/a/V.java", validator)]) == []


BEAN_CONFIG = ("src/main/java/a/SpringConfig.java", """package a;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class SpringConfig {
  @Bean
  @ConfigurationProperties(value = "drshub", ignoreUnknownFields = false)
  public DrsHubConfig getDrshubConfig() {
    return DrsHubConfig.create();
  }

  @Bean
  public OtherConfig otherConfig() {
    return OtherConfig.create();
  }
}
""")

ASYNC_UTILS = ("src/main/java/a/AsyncUtils.java", """package a;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public record AsyncUtils(DrsHubConfig drsHubConfig, OtherConfig otherConfig) {
  public <T> T run(CompletableFuture<T> future) throws Exception {
    return future.get(drsHubConfig.getPencilsDownSeconds(), TimeUnit.SECONDS);
  }

  public <T> T other(CompletableFuture<T> future) throws Exception {
    return future.get(otherConfig.getWaitSeconds(), TimeUnit.SECONDS);
  }
}
""")

YAML = ("src/main/resources/application.yml", """drshub:
  pencilsDownSeconds: 58
other:
  waitSeconds: 7
""")


def test_bean_bound_prefix_read_through_a_record_component(tmp_path):
    got = _scanned(tmp_path, [BEAN_CONFIG, ASYNC_UTILS, YAML])
    assert ("AsyncUtils.java", 8, "timeout", 58000) in got
    # a @Bean without @ConfigurationProperties binds no prefix: `other.waitSeconds` is not OtherConfig's
    assert ("AsyncUtils.java", 12, "timeout", None) in got


HAZELCAST = ("src/main/java/a/HazelcastService.java", """package a;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;

public class HazelcastService {
  @Value("${zeebe.client.worker.hazelcast.connectionTimeout}")
  private String hazelcastConnectionTimeout;

  public void start() {
    final ClientConfig clientConfig = new ClientConfig();
    final var connectionRetryConfig = clientConfig.getConnectionStrategyConfig().getConnectionRetryConfig();
    connectionRetryConfig.setClusterConnectTimeoutMillis(
        Duration.parse(hazelcastConnectionTimeout).toMillis());
  }
}
""")

HAZELCAST_YAML = ("src/main/resources/application.yaml", """zeebe:
  client:
    worker:
      hazelcast:
        connectionTimeout: PT30S
""")


def test_duration_parsed_from_a_value_field(tmp_path):
    assert ("HazelcastService.java", 13, "timeout", 30000) in _scanned(tmp_path, [HAZELCAST, HAZELCAST_YAML])


STEP_UTILS = ("src/main/java/bio/terra/buffer/flight/StepUtils.java", """package bio.terra.buffer.flight;

import bio.terra.stairway.RetryRuleExponentialBackoff;
import bio.terra.stairway.RetryRuleFixedInterval;

public class StepUtils {
  public static RetryRuleFixedInterval newCloudApiDefaultRetryRule() {
    return new RetryRuleFixedInterval(/* intervalSeconds= */ 60, /* maxCount= */ 10);
  }

  public static RetryRuleExponentialBackoff newLongRule() {
    return new RetryRuleExponentialBackoff(1, 8, 300);
  }
}
""")

NOT_STAIRWAY = ("src/main/java/bio/terra/buffer/flight/Other.java", """package bio.terra.buffer.flight;

public class Other {
  // a class of the same name that is not Stairway's (no import): no retry rule
  Object rule = new RetryRuleFixedInterval(60, 10);
}
""")

GOOGLE_UTILS = ("src/main/java/bio/terra/buffer/flight/GoogleUtils.java", """package bio.terra.buffer.flight;

import bio.terra.cloudres.google.api.services.common.OperationCow;
import bio.terra.cloudres.google.api.services.common.OperationUtils;
import java.time.Duration;

public class GoogleUtils {
  public static void pollUntilSuccess(OperationCow<?> operation, Duration pollingInterval, Duration timeout)
      throws Exception {
    operation = OperationUtils.pollUntilComplete(operation, pollingInterval, timeout);
  }
}
""")

CREATE_STEP = ("src/main/java/bio/terra/buffer/flight/CreateNetworkStep.java", """package bio.terra.buffer.flight;

import static bio.terra.buffer.flight.GoogleUtils.*;

import bio.terra.stairway.Step;
import java.time.Duration;

public class CreateNetworkStep implements Step {
  public void doStep(OperationCow<?> operation) throws Exception {
    pollUntilSuccess(operation, Duration.ofSeconds(3), Duration.ofMinutes(5));
  }
}
""")

POOL_SERVICE = ("src/main/java/bio/terra/buffer/pool/PoolService.java", """package bio.terra.buffer.pool;

import static bio.terra.common.db.DatabaseRetryUtils.executeAndRetry;

import java.time.Duration;

public class PoolService {
  Resource handout(PoolId poolId, RequestHandoutId id) throws InterruptedException {
    // Retry 20 times of 2 seconds each.
    return executeAndRetry(() -> bufferDao.updateOneReadyResourceToHandedOut(poolId, id), Duration.ofSeconds(2), 20);
  }
}
""")


def test_stairway_rules_terra_database_retries_and_crl_operation_waits():
    assert _found([STEP_UTILS, NOT_STAIRWAY, GOOGLE_UTILS, CREATE_STEP, POOL_SERVICE]) == [
        ("CreateNetworkStep.java", 10, "timeout", 300000),  # the helper's timeout, through `import static ..*`
        ("GoogleUtils.java", 10, "timeout", None),          # the helper forwards its parameter (dropped as such)
        ("PoolService.java", 10, "retry", 20),              # maxNumAttempts: all tries
        ("StepUtils.java", 8, "retry", 11),                 # maxCount retries: 11 tries
        ("StepUtils.java", 12, "retry", None),              # retries until a time budget
    ]


TIME_BUDGET = ("src/main/java/a/TpsRetry.java", """package a;

import static java.time.Instant.now;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

public class TpsRetry {
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(300);
  private final Instant operationTimeout = now().plus(OPERATION_TIMEOUT);
  private Duration retryDuration = Duration.ofSeconds(10);

  private <T> T perform(TpsFunction<T> function) throws ApiException, InterruptedException {
    while (true) {
      try {
        return function.apply();
      } catch (ApiException ex) {
        if (isRetryable(ex)) {
          sleepOrTimeoutBeforeRetrying(ex);
        } else {
          throw ex;
        }
      }
    }
  }

  private void sleepOrTimeoutBeforeRetrying(ApiException previousException) throws ApiException, InterruptedException {
    if (operationTimeout.minus(retryDuration).isBefore(now())) {
      throw previousException;
    }
    TimeUnit.SECONDS.sleep(retryDuration.getSeconds());
  }

  public long sendMetrics(OpenTsdbClient client, long pollMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + pollMillis;
    while (true) {
      try {
        client.sendMetrics(buffer);
        break;
      } catch (Exception ex) {
        Thread.sleep(100);
      }
      if (end - System.currentTimeMillis() < 200) {
        break;
      }
      Thread.sleep(100);
    }
    return end;
  }

  public void consume(Queue queue) throws InterruptedException {
    // an endless consumer: each pass takes the next message, no time budget and no success exit: no retry
    while (true) {
      try {
        handle(queue.take());
      } catch (Exception ex) {
        log.warn("failed at " + System.currentTimeMillis(), ex);
      }
    }
  }
}
""")


def test_retries_bounded_by_a_time_budget():
    assert _found([TIME_BUDGET], "retry") == [
        ("TpsRetry.java", 15, "retry", None),   # the budget checked in the helper its catch calls
        ("TpsRetry.java", 37, "retry", None),   # the budget checked after the try
    ]


LAUNCHER = ("src/main/java/a/Launcher.java", """package a;

import java.util.concurrent.TimeUnit;

public class Launcher {
  public static void main(String[] args) throws Exception {
    final Launcher launcher = new Launcher(new VertxAssistant());
    launcher.start(8080).get(70, TimeUnit.SECONDS);   // its own server's start-up
  }

  void call(PricingClient client) throws Exception {
    client.quote(request).get(5, TimeUnit.SECONDS);
  }
}
""")


def test_own_server_start_up_wait_is_no_call_timeout():
    assert _found([LAUNCHER], "timeout") == [("Launcher.java", 12, "timeout", 5000)]


LOCK = ("src/main/java/a/CheckOutLockRepository.java", """package a;

import java.util.concurrent.CompletableFuture;

public class CheckOutLockRepository {
  public void createLockWithRetry(int noOfAttempts, CompletableFuture<CheckOutLock> future, Records records) {
    int maxRetryAttempts = 30;
    create(records).whenComplete((res, err) -> {
      if (res.succeeded()) {
        future.complete(res.value());
      } else if (noOfAttempts <= maxRetryAttempts) {
        vertx.setTimer(250, h -> createLockWithRetry(noOfAttempts + 1, future, records));
      } else {
        future.completeExceptionally(new RuntimeException("Unable to acquire lock"));
      }
    });
  }

  public void acquire(CompletableFuture<CheckOutLock> future, Records records) {
    createLockWithRetry(0, future, records);
  }

  public void refreshLater(Records records) {
    // a callback scheduling the next refresh: no counter, no retry
    vertx.setTimer(60000, h -> refreshLater(records));
  }
}
""")


def test_retry_rescheduled_on_a_timer():
    # noOfAttempts 0..31 (the last try at 31 > 30 gives up): 32 tries, at the method's name
    assert _found([LOCK], "retry") == [("CheckOutLockRepository.java", 6, "retry", 32)]


SYNCHRONIZER = ("src/main/java/a/Synchronizer.java", """package a;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

public class Synchronizer {
  public long syncAndReturn(List<String> roles) {
    ExponentialBackOff backoff = new ExponentialBackOff();
    backoff.setMaxElapsedTime(600000);
    BackOffExecution backOffExec = backoff.start();
    final long timeout = System.currentTimeMillis() + 600000;
    while (true) {
      try {
        return this.updateUserPermissions(roles);
      } catch (ProviderException ex) {
        long waitTime = backOffExec.nextBackOff();
        if (waitTime == BackOffExecution.STOP || System.currentTimeMillis() > timeout) {
          return 0;
        }
        sleep(waitTime);
      }
    }
  }
}
""")


def test_time_budget_loop_driven_by_a_spring_backoff_is_not_reported_again():
    # the back-off (set up above the loop) counts the tries; the loop is no second retry (spinnaker-fiat)
    assert not [f for f in _found([SYNCHRONIZER], "retry") if f[1] == 12]


SPRING_BACKOFF = ("src/main/java/a/Sync.java", """package a;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

public class Sync {
  public void sync() {
    FixedBackOff backoff = new FixedBackOff();
    backoff.setInterval(10000);
    backoff.setMaxAttempts(60);
    BackOffExecution execution = backoff.start();
  }

  public void policy(SimplePolicy policy) {
    policy.setMaxAttempts(5);  // not a Spring util back-off made here
  }

  public void budget() {
    FixedBackOff backoff = new FixedBackOff();
    backoff.setMaxAttempts(Math.floorDiv(600000, 10000) + 1);
  }
}
""")


def test_spring_util_backoff_max_attempts():
    assert _found([SPRING_BACKOFF], "retry") == [("Sync.java", 10, "retry", 61),
                                                 ("Sync.java", 20, "retry", 62)]  # floorDiv: 61 back-offs
