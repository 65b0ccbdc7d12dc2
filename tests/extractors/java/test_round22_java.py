"""Round 22 (Java): shapes the held-out sets of round 22 found at their first scan (exhort, wa-task-management-api,
hypertrace config-service, strimzi operators, mod-inventory)."""

from __future__ import annotations

from tests.extractors.java.test_round19_java import _found, _scanned

# --- a Camel route's circuit breaker with a MicroProfile Fault Tolerance timeout from a String @ConfigProperty ---

CAMEL_ROUTE = ("src/main/java/org/acme/OssIndexIntegration.java", """package org.acme;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

public class OssIndexIntegration extends EndpointRouteBuilder {

  @ConfigProperty(name = "api.ossindex.timeout", defaultValue = "10s")
  String timeout;

  @ConfigProperty(name = "api.ossindex.mode", defaultValue = "fast")
  String mode;

  @Override
  public void configure() {
    from(direct("ossCheckVersionEndpoint"))
      .circuitBreaker()
        .faultToleranceConfiguration()
          .timeoutEnabled(true)
          .timeoutDuration(timeout)
        .end()
        .to(vertxHttp("{{api.ossindex.host}}"));
    from(direct("osvScan"))
      .circuitBreaker()
        .resilience4jConfiguration()
          .timeoutDuration(2500)
        .end()
        .to(vertxHttp("{{api.osv.host}}"));
    from(direct("limited"))
      .circuitBreaker()
        .faultToleranceConfiguration()
          .timeoutDuration(mode)
        .end();
    scheduler.timeoutDuration(timeout);
  }
}
""")


def test_camel_fault_tolerance_timeout_with_string_duration_default():
    # the String default "10s" says how long; "fast" is no duration (unresolved); a `.timeoutDuration` on something
    # that is no circuit breaker's configuration (a scheduler) is not read
    assert _found([CAMEL_ROUTE], "timeout") == [
        ("OssIndexIntegration.java", 20, "timeout", 10000.0),
        ("OssIndexIntegration.java", 26, "timeout", 2500.0),
        ("OssIndexIntegration.java", 32, "timeout", None)]


def test_string_duration_default_from_application_properties_wins(tmp_path):
    props = ("src/main/resources/application.properties", "api.ossindex.timeout=3s\n")
    found = [f for f in _scanned(tmp_path, [CAMEL_ROUTE, props]) if f[1] == 20]
    assert found == [("OssIndexIntegration.java", 20, "timeout", 3000.0)]


# --- JPA query hints: a key held in a constant, NOWAIT lock hints, the Hibernate duplicate ---

REPO = ("src/main/java/org/acme/TaskResourceRepository.java", """package org.acme;

import javax.persistence.QueryHint;
import org.springframework.data.jpa.repository.QueryHints;

public interface TaskResourceRepository {
    String LOCK_TIMEOUT_STR = "javax.persistence.lock.timeout";

    @QueryHints({@QueryHint(name = LOCK_TIMEOUT_STR, value = "0")})
    Optional<TaskResource> findById(String id);

    @QueryHints({@QueryHint(name = LOCK_TIMEOUT_STR, value = "5000")})
    Optional<TaskResource> findByIdAndWaitForLock(String id);

    @QueryHints({
        @QueryHint(name = LOCK_TIMEOUT_STR, value = "0"),
        @QueryHint(name = "javax.persistence.query.timeout", value = "5000"),
        @QueryHint(name = "org.hibernate.timeout", value = "5")
    })
    void insertAndLock(String id);

    @QueryHints({@QueryHint(name = "org.hibernate.timeout", value = "7")})
    List<TaskResource> findAllReadOnly();

    @QueryHints({@QueryHint(name = LOCK_TIMEOUT_STR, value = "-2")})
    List<TaskResource> findNextSkippingLocked();

    @QueryHints({@QueryHint(name = NOT_A_HINT, value = "5000")})
    List<TaskResource> findOther();
}
""")


def test_query_hints_with_a_constant_key_and_lock_modes():
    # lock.timeout "0" (NOWAIT) and "-2" (skip locked) name modes, not waits; the Hibernate hint beside the JPA query
    # timeout is the same bound (one finding); alone it counts (seconds); a constant that is no hint key is not read
    assert _found([REPO], "timeout") == [
        ("TaskResourceRepository.java", 12, "timeout", 5000.0),
        ("TaskResourceRepository.java", 17, "timeout", 5000.0),
        ("TaskResourceRepository.java", 22, "timeout", 7000.0)]


# --- gRPC: a deadline from the class's own getter, its amount from a settings class's default instance ---

CLIENT_CONFIG = ("config-object-store/src/main/java/org/acme/store/ClientConfig.java", """package org.acme.store;

import java.time.Duration;
import lombok.Value;

@Value
public class ClientConfig {
  Duration timeout;
  public static ClientConfig DEFAULT = new ClientConfig(Duration.ofSeconds(10));
}
""")

OBJECT_STORE = ("config-object-store/src/main/java/org/acme/store/IdentifiedObjectStore.java", """package org.acme.store;

import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

public abstract class IdentifiedObjectStore<T> {
  private final ConfigServiceBlockingStub configServiceBlockingStub;
  private final ClientConfig clientConfig;

  protected IdentifiedObjectStore(ConfigServiceBlockingStub stub, ClientConfig clientConfig) {
    this.configServiceBlockingStub = stub;
    this.clientConfig = clientConfig;
  }

  protected IdentifiedObjectStore(ConfigServiceBlockingStub stub) {
    this(stub, ClientConfig.DEFAULT);
  }

  public List<T> getAllObjects(RequestContext context) {
    return context.call(
        () -> this.configServiceBlockingStub
                .withDeadline(getDeadline())
                .getAllConfigs(request));
  }

  protected Deadline getDeadline() {
    return Deadline.after(this.clientConfig.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}
""")

PUSHED_DOWN = ("config-object-store/src/main/java/org/acme/store/FilteredStore.java", """package org.acme.store;

public abstract class FilteredStore<T> extends IdentifiedObjectStore<T> {
  public List<T> getMatching(RequestContext context) {
    return context.call(() -> this.stub.withDeadline(getDeadline()).getAllConfigs(request));
  }

  public Deadline getTtlDeadline() {
    return ttl;
  }

  public List<T> getOthers(RequestContext context) {
    return context.call(() -> this.stub.withDeadline(getTtlDeadline()).getAllConfigs(request));
  }
}
""")


def test_grpc_deadline_from_own_getter_and_default_instance(tmp_path):
    # the getter's Deadline.after reads the ClientConfig field, whose default its DEFAULT instance gives (10 s); an
    # inherited getter (FilteredStore) and a getter returning a field are not read
    assert _scanned(tmp_path, [CLIENT_CONFIG, OBJECT_STORE, PUSHED_DOWN]) == [
        ("IdentifiedObjectStore.java", 22, "timeout", 10000.0)]


def test_default_instance_needs_one_creation_with_one_argument_per_field():
    twice = ("src/main/java/org/acme/Limits.java", """package org.acme;

import java.time.Duration;
import lombok.Value;

@Value
public class Limits {
  Duration timeout;
  public static Limits DEFAULT = new Limits(Duration.ofSeconds(10));
  public static Limits SLOW = new Limits(Duration.ofSeconds(60));
}
""")
    from extractors.java.extractor import EXTRACTOR
    result = EXTRACTOR.extract(twice[0], twice[1].encode())
    assert "Limits.timeout" not in result.symbols
    single = (twice[0], twice[1].replace("  public static Limits SLOW = new Limits(Duration.ofSeconds(60));\n", ""))
    from contract_discovery.values import evaluate
    held = EXTRACTOR.extract(single[0], single[1].encode()).symbols["Limits.timeout"]
    assert evaluate(held, lambda name: None).value == 10000.0


# --- guava-retrying's stop strategy imported statically ---

LABELS = ("src/main/java/org/acme/LabelsService.java", """package org.acme;

import static com.github.rholder.retry.StopStrategies.stopAfterAttempt;
import static com.github.rholder.retry.WaitStrategies.fixedWait;

import com.github.rholder.retry.RetryerBuilder;
import java.util.concurrent.TimeUnit;

public class LabelsService {
  public Response getOrCreate(Request request) throws Exception {
    return RetryerBuilder.<Response>newBuilder()
        .retryIfExceptionOfType(StatusRuntimeException.class)
        .withStopStrategy(stopAfterAttempt(2))
        .withWaitStrategy(fixedWait(100, TimeUnit.MILLISECONDS))
        .build()
        .call(() -> this.configClient.getOrCreate(request));
  }
}
""")


def test_statically_imported_guava_stop_strategy():
    assert _found([LABELS], "retry") == [("LabelsService.java", 13, "retry", 2)]


def test_stop_after_attempt_of_another_class_is_not_guava():
    other = (LABELS[0], LABELS[1].replace("import static com.github.rholder.retry.StopStrategies.stopAfterAttempt;",
                                          "import static org.acme.Limits.stopAfterAttempt;"))
    assert _found([other], "retry") == []


# --- an operator's environment parameter with its default, read through the config class's getter ---

OPERATOR_CONFIG = ("user-operator/src/main/java/org/acme/user/UserOperatorConfig.java", """package org.acme.user;

public class UserOperatorConfig {
    public static final ConfigParameter<Long> OPERATION_TIMEOUT_MS = new ConfigParameter<>("STRIMZI_OPERATION_TIMEOUT_MS", LONG, "300000", CONFIG_VALUES);
    public static final ConfigParameter<String> SCRAM_MODE = new ConfigParameter<>("STRIMZI_SCRAM_MODE", STRING, "fast", CONFIG_VALUES);

    public long getOperationTimeoutMs() {
        return get(OPERATION_TIMEOUT_MS);
    }

    public String getScramMode() {
        return get(SCRAM_MODE);
    }

    public <T> T get(ConfigParameter<T> value) {
        return (T) this.map.get(value.key());
    }
}
""")

CONTROLLER = ("user-operator/src/main/java/org/acme/user/UserController.java", """package org.acme.user;

import java.util.concurrent.TimeUnit;

public class UserController {
    private final long operationTimeoutMs;

    public UserController(UserOperatorConfig config) {
        this.operationTimeoutMs = config.getOperationTimeoutMs();
    }

    public void reconcileAll() throws Exception {
        Set<String> users = userOperator.getAllUsers(namespace).toCompletableFuture().get(operationTimeoutMs, TimeUnit.MILLISECONDS);
    }
}
""")


def test_config_parameter_default_through_getter(tmp_path):
    from extractors.java.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract(OPERATOR_CONFIG[0], OPERATOR_CONFIG[1].encode()).symbols
    assert "UserOperatorConfig.scramMode" not in symbols  # a non-numeric default publishes nothing
    assert _scanned(tmp_path, [OPERATOR_CONFIG, CONTROLLER]) == [("UserController.java", 13, "timeout", 300000.0)]


# --- a retry count carried in the work's payload, checked after a failure, the work run again ---

HANDLER = ("src/main/java/org/acme/UpdateItemEventHandler.java", """package org.acme;

public class UpdateItemEventHandler {
  private static final String CURRENT_RETRY_NUMBER = "CURRENT_RETRY_NUMBER";
  private static final int MAX_RETRIES_COUNT = Integer.parseInt(System.getenv().getOrDefault("inventory.di.ol.retry.number", "1"));

  private void processOLError(DataImportEventPayload payload, Promise<Item> promise, Failure failure) {
    int currentRetryNumber = payload.getContext().get(CURRENT_RETRY_NUMBER) == null ? 0 : Integer.parseInt(payload.getContext().get(CURRENT_RETRY_NUMBER));
    if (currentRetryNumber < MAX_RETRIES_COUNT) {
      payload.getContext().put(CURRENT_RETRY_NUMBER, String.valueOf(currentRetryNumber + 1));
      LOGGER.warn("OL error updating Item - {}. Retry handler...", failure.getReason());
      getActualItemAndReInvokeCurrentHandler(payload, promise);
    } else {
      payload.getContext().remove(CURRENT_RETRY_NUMBER);
      promise.fail("retries exhausted");
    }
  }

  private void onLoginPage(Session session) {
    int attemptCount = session.get("attempts") == null ? 0 : (int) session.get("attempts");
    if (attemptCount < MAX_LOGIN_ATTEMPTS) {
      session.put("attempts", attemptCount + 1);
      showLoginForm(session);
    }
  }

  private void recordError(Map<String, String> payload, Throwable cause) {
    int retryNumber = Integer.parseInt(payload.getOrDefault("retry", "0"));
    if (retryNumber < MAX_RETRIES_COUNT) {
      payload.put("retry", String.valueOf(retryNumber + 1));
      LOGGER.warn("failed", cause);
    }
  }
}
""")


def test_retry_count_carried_in_payload_after_a_failure():
    # processOLError: 1 retry after the first try (2 tries); a login page's attempt counter (no failure path) and a
    # failure path that only records the count (nothing run again) are no retries
    assert _found([HANDLER], "retry") == [("UpdateItemEventHandler.java", 9, "retry", 2)]


# --- a catch that saves the item with a new state is no second try ---

CANCEL = ("src/main/java/org/acme/TaskManagementService.java", """package org.acme;

public class TaskManagementService {
    public void cancelTask(TaskResource task) {
        try {
            camundaService.cancelTask(task.getTaskId());
            taskDatabaseService.saveTask(task);
        } catch (TaskCancelException ex) {
            task.setState(CFTTaskState.TERMINATED);
            taskDatabaseService.saveTask(task);
        }
    }

    public Score score(Transaction tx) {
        try {
            return riskClient.score(tx);
        } catch (TimeoutException ex) {
            tx.setAttempt(2);
            return riskClient.score(tx);
        }
    }
}
""")


def test_catch_saving_a_new_state_is_no_retry():
    assert _found([CANCEL], "retry") == [("TaskManagementService.java", 15, "retry", 2)]


# --- a config facade's getter reading down a chain of settings getters ---

FACADE = ("metacat-common-server/src/main/java/org/acme/props/DefaultConfigImpl.java", """package org.acme.props;

public class DefaultConfigImpl implements Config {
    private final MetacatProperties metacatProperties;
    private final Helper helper;

    public DefaultConfigImpl(final MetacatProperties metacatProperties, final Helper helper) {
        this.metacatProperties = metacatProperties;
        this.helper = helper;
    }

    @Override
    public long getElasticSearchCallTimeout() {
        return this.metacatProperties.getElasticsearch().getTimeout();
    }

    @Override
    public long getElasticSearchBulkCallTimeout() {
        return this.metacatProperties.getElasticsearch().getBulkTimeout(42);
    }

    @Override
    public long getHelperTimeout() {
        return this.helper.getTimeout();
    }
}
""")

PROPS = ("metacat-common-server/src/main/java/org/acme/props/MetacatProperties.java", """package org.acme.props;

import lombok.Data;
import org.springframework.boot.context.properties.ConfigurationProperties;

@Data
@ConfigurationProperties("metacat")
public class MetacatProperties {
    private ElasticsearchProperties elasticsearch = new ElasticsearchProperties();
}
""")

ES_PROPS = ("metacat-common-server/src/main/java/org/acme/props/ElasticsearchProperties.java", """package org.acme.props;

import lombok.Data;

@Data
public class ElasticsearchProperties {
    private long timeout = 30;
    private long bulkTimeout = 120;
}
""")

ES_UTIL = ("metacat-common-server/src/main/java/org/acme/search/ElasticSearchUtilImpl.java", """package org.acme.search;

import org.acme.props.Config;
import org.elasticsearch.common.unit.TimeValue;

public class ElasticSearchUtilImpl {
    private final TimeValue esCallTimeout;

    public ElasticSearchUtilImpl(final Client client, final Config config) {
        this.client = client;
        this.esCallTimeout = TimeValue.timeValueSeconds(config.getElasticSearchCallTimeout());
    }

    public void delete(final String type, final String id) {
        client.prepareDelete(esIndex, type, id).execute().actionGet(esCallTimeout);
    }
}
""")


def test_config_facade_getter_down_a_settings_chain():
    from extractors.java.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract(FACADE[0], FACADE[1].encode()).symbols
    assert str(symbols["Config.elasticSearchCallTimeout"]) == "Ref(name='MetacatProperties.elasticsearch.timeout')"
    # a chain with an argument, and a field of no settings type, publish nothing
    assert "Config.elasticSearchBulkCallTimeout" not in symbols and "Config.helperTimeout" not in symbols
    assert _found([FACADE, PROPS, ES_PROPS, ES_UTIL], "timeout") == [("ElasticSearchUtilImpl.java", 15, "timeout", 30000.0)]


# --- Cloud Bigtable's classic client: per-RPC-kind timeouts and scan-timeout retries ---

BIGTABLE = ("src/main/java/org/acme/BigtableConnectionBuilder.java", """package org.acme;

import com.google.cloud.bigtable.config.CallOptionsConfig;
import com.google.cloud.bigtable.config.RetryOptions;

public class BigtableConnectionBuilder {
    public BigtableConnection call() throws Exception {
        final var retryOptions = RetryOptions.builder()
            .setEnableRetries(true)
            .setMaxScanTimeoutRetries(10)
            .build();
        var callOptionsConfig = CallOptionsConfig.builder()
                .setReadRowsRpcTimeoutMs(43200000)
                .setMutateRpcTimeoutMs(600000)
                .setShortRpcTimeoutMs(60000)
                .setUseTimeout(true).build();
        report.setShortRpcTimeoutMs(5);
        stats.setMaxScanTimeoutRetries(3);
        return new BigtableConnection(callOptionsConfig, retryOptions);
    }
}
""")


def test_bigtable_call_options_and_scan_timeout_retries():
    # only on the library's own builders: a report's or a stats object's setter of the same name is not read
    assert _found([BIGTABLE]) == [
        ("BigtableConnectionBuilder.java", 10, "retry", 11),
        ("BigtableConnectionBuilder.java", 13, "timeout", 43200000.0),
        ("BigtableConnectionBuilder.java", 14, "timeout", 600000.0),
        ("BigtableConnectionBuilder.java", 15, "timeout", 60000.0)]


# --- a Mutiny Uni kept in a local before it is awaited ---

AGENT = ("src/main/java/org/acme/AgentJFRService.java", """package org.acme;

import io.smallrye.mutiny.Uni;

public class AgentJFRService {
    private final AgentClient client;

    public InputStream openStream(long id) {
        Uni<InputStream> u = client.openFlightRecordingStream(id);
        InputStream is = u.await().atMost(Duration.ofSeconds(10));
        return new BufferedInputStream(is);
    }

    public String local() {
        Uni<String> made = Uni.createFrom().item("x");
        return made.await().atMost(Duration.ofSeconds(3));
    }
}
""")


def test_mutiny_uni_kept_in_a_local_before_the_wait():
    # the local made by a client call is awaited with a bound; one made from an item in memory is local work
    assert _found([AGENT], "timeout") == [("AgentJFRService.java", 10, "timeout", 10000.0)]


# --- a Stairway retry rule of the project's own, counted in retrySleep() ---

RULES = ("src/main/java/org/acme/RetryRules.java", """package org.acme;

import bio.terra.stairway.RetryRule;
import java.util.concurrent.TimeUnit;

public class RetryRules {
  private static class LongSyncRetryRule implements RetryRule {
    private static final int SHORT_INTERVAL_COUNT = 6;
    private static final int LONG_INTERVAL_COUNT = 16;
    private int shortIntervalCounter;
    private int longIntervalCounter;

    @Override
    public boolean retrySleep() throws InterruptedException {
      if (shortIntervalCounter < SHORT_INTERVAL_COUNT) {
        shortIntervalCounter++;
        TimeUnit.SECONDS.sleep(10);
        return true;
      }
      if (longIntervalCounter < LONG_INTERVAL_COUNT) {
        longIntervalCounter++;
        TimeUnit.SECONDS.sleep(30);
        return true;
      }
      return false;
    }
  }

  private static class ForeverRule implements RetryRule {
    private int counter;

    @Override
    public boolean retrySleep() throws InterruptedException {
      if (counter < 3) {
        counter++;
        return true;
      }
      TimeUnit.SECONDS.sleep(60);
      return true;
    }
  }

  public static RetryRule longSync() {
    return new LongSyncRetryRule();
  }

  public static RetryRule forever() {
    return new ForeverRule();
  }
}
""")


def test_stairway_retry_rule_counted_in_retry_sleep():
    # 6 + 16 retries after the first try: 23 tries, where the rule is made; a rule that also says yes past its
    # counter (unbounded) is not counted here
    assert _found([RULES], "retry") == [("RetryRules.java", 44, "retry", 23)]


# --- SmallRye Fault Tolerance's programmatic Guard ---

GUARD = ("src/main/java/org/acme/Tolerance.java", """package org.acme;

import io.smallrye.faulttolerance.api.Guard;
import java.time.temporal.ChronoUnit;

public class Tolerance {
    Guard guard() {
        return Guard.create()
                .withRetry()
                    .maxRetries(5)
                    .delay(100, ChronoUnit.MILLIS)
                .done()
                .build();
    }

    Settings settings() {
        return Settings.builder().maxRetries(9).build();
    }
}
""")


def test_smallrye_programmatic_guard_retry():
    # 5 retries after the first try, once (another builder's maxRetries is left to the generic builder rule)
    found = _found([GUARD], "retry")
    assert [f for f in found if f[1] == 10] == [("Tolerance.java", 10, "retry", 6)]
    minus = (GUARD[0], GUARD[1].replace(".maxRetries(5)", ".maxRetries(-1)"))
    assert [f for f in _found([minus], "retry") if f[1] == 10] == [("Tolerance.java", 10, "retry", None)]
