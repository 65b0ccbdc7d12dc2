"""Round 19, second-wave fixes (Java): shapes the measure-only sets found (apicurio-registry, keywhiz, web3signer,
stargate-apis, zowe-api-layer, kestra, educ-grad-student-api)."""

from __future__ import annotations

from tests.extractors.java.test_round19_java import _found

KESTRA_ANNOTATION = ("core/annotations/Retryable.java", '''package io.kestra.core.annotations;
import io.micronaut.aop.Around;
@Around
public @interface Retryable {
    Class<? extends Throwable>[] includes() default {};
    String attempts() default "${kestra.retries.attempts:5}";
    String delay() default "${kestra.retries.delay:1s}";
}
''')

STORAGE = ("core/storages/StorageInterface.java", '''package io.kestra.core.storages;
import io.kestra.core.annotations.Retryable;
public interface StorageInterface {
    @Retryable(includes = {IOException.class})
    InputStream get(String tenantId, URI uri) throws IOException;
    // @Retryable
    boolean retryable = false;
}
''')


def test_project_retry_annotation_reads_its_declared_default():
    assert _found([KESTRA_ANNOTATION, STORAGE]) == [("StorageInterface.java", 4, "retry", 6)]


def test_project_retry_annotation_with_spring_style_max_attempts_default():
    declared = ("a/MyRetry.java", '''package a.b;
public @interface Retryable { int maxAttempts() default 4; }
''')
    use = ("a/Client.java", '''package a.c;
import a.b.Retryable;
class Client { @Retryable void call() { rest.getForObject(url, String.class); } }
''')
    assert _found([declared, use]) == [("Client.java", 3, "retry", 4)]


def test_project_retry_annotation_without_a_declaration_keeps_springs_default():
    use = ("a/Client.java", '''package a.c;
import a.b.Retryable;
class Client { @Retryable void call() { rest.getForObject(url, String.class); } }
''')
    assert _found([use]) == [("Client.java", 3, "retry", 3)]


def test_spring_retryable_is_unchanged():
    use = ("a/Client.java", '''package a.c;
import org.springframework.retry.annotation.Retryable;
class Client { @Retryable void call() { rest.getForObject(url, String.class); } }
''')
    other = KESTRA_ANNOTATION
    assert _found([use, other]) == [("Client.java", 3, "retry", 3)]


def test_optional_accessor_get_and_local_duration_to_millis():
    config = ("a/GrpcConfig.java", '''package a;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
@ConfigMapping(prefix = "stargate.grpc")
public interface GrpcConfig {
  @WithDefault("PT30S")
  Optional<Duration> callDeadline();
}
''')
    use = ("a/Interceptor.java", '''package a;
class Interceptor {
  private final GrpcConfig grpcConfig;
  private CallOptions withDeadline(CallOptions callOptions) {
    if (grpcConfig.callDeadline().isPresent()) {
      Duration deadline = grpcConfig.callDeadline().get();
      return callOptions.withDeadline(Deadline.after(deadline.toMillis(), TimeUnit.MILLISECONDS));
    }
    return callOptions;
  }
}
''')
    assert _found([config, use], "timeout") == [("Interceptor.java", 7, "timeout", 30000)]


def test_constructor_field_from_optional_or_else_read_through_a_differently_named_getter():
    params = ("a/ConnectionParameters.java", '''package a;
public class ConnectionParameters {
  private static final Long DEFAULT_TIMEOUT_MILLISECONDS = 10_000L;
  private final long timeoutMs;
  private ConnectionParameters(final String host, final Optional<Long> timeoutMs) {
    this.timeoutMs = timeoutMs.orElse(DEFAULT_TIMEOUT_MILLISECONDS);
  }
  public long getTimeoutMilliseconds() {
    return timeoutMs;
  }
}
''')
    use = ("a/Connection.java", '''package a;
class Connection {
  private final ConnectionParameters connectionParameters;
  String read(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis(connectionParameters.getTimeoutMilliseconds()))
        .GET().build();
    return send(request);
  }
}
''')
    assert _found([params, use], "timeout") == [("Connection.java", 6, "timeout", 10000)]


def test_picocli_option_field_default_read_through_the_interface():
    option = ("cli/PicoCliAzureParameters.java", '''package cli;
import picocli.CommandLine.Option;
public class PicoCliAzureParameters implements AzureParameters {
  @Option(names = {"--azure-response-timeout"}, description = "The response timeout (in seconds)")
  private long timeout = 60;
  @Option(names = {"--azure-retries"}, defaultValue = "4")
  private int retries;
  @Option(names = {"--azure-name"})
  private String name = "vault";
  public long getTimeout() { return timeout; }
}
''')
    from extractors.java.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract(*[option[0], option[1].encode()]).symbols
    assert str(symbols["AzureParameters.timeout"]) .startswith("Call(func='coalesce', args=(Num(value=60.0)")
    assert "Num(value=4.0)" in str(symbols["PicoCliAzureParameters.retries"])
    assert "PicoCliAzureParameters.name" not in symbols


def test_or_else_on_a_method_call_is_not_read_as_a_plain_default_trap():
    # `Optional.ofNullable(x).orElse(..)` keeps its own reading (the setting, else the default)
    use = ("a/C.java", '''package a;
class C {
  static final int DEFAULT_TIMEOUT = 5000;
  void f(Config config) { client.setReadTimeout(Optional.ofNullable(config.getReadTimeout()).orElse(DEFAULT_TIMEOUT)); }
}
''')
    assert _found([use], "timeout") == [("C.java", 4, "timeout", 5000)]


def test_microprofile_override_only_a_dev_profile_sets_does_not_win(tmp_path):
    from tests.extractors.java.test_round19_java import _scanned
    files = [("src/main/java/a/b/DataStore.java", '''package a.b;
import org.eclipse.microprofile.faulttolerance.Retry;
public class DataStore {
  @Retry(maxRetries = 4, delay = 3)
  protected Response fetchSupportedFeatures(Stub bridge) {
    return bridge.getSupportedFeatures(request);
  }
}
'''), ("src/main/resources/application-dev.yaml", '''a:
  b:
    DataStore/fetchSupportedFeatures/Retry/maxRetries: 0
'''), ("src/main/resources/application.yaml", '''quarkus:
  http:
    port: 8080
''')]
    assert [f for f in _scanned(tmp_path, files) if f[2] == "retry"] == [("DataStore.java", 4, "retry", 5)]


def test_microprofile_override_the_default_profile_sets_wins(tmp_path):
    from tests.extractors.java.test_round19_java import _scanned
    files = [("src/main/java/a/b/DataStore.java", '''package a.b;
import org.eclipse.microprofile.faulttolerance.Retry;
public class DataStore {
  @Retry(maxRetries = 4, delay = 3)
  protected Response fetchSupportedFeatures(Stub bridge) {
    return bridge.getSupportedFeatures(request);
  }
}
'''), ("src/main/resources/application.yaml", '''a:
  b:
    DataStore/fetchSupportedFeatures/Retry/maxRetries: 1
''')]
    assert [f for f in _scanned(tmp_path, files) if f[2] == "retry"] == [("DataStore.java", 4, "retry", 2)]


def test_jdbc_driver_socket_timeout_put_under_a_constant_key():
    db = ("a/DbConnection.java", '''package a;
import org.postgresql.ds.PGSimpleDataSource;
class DbConnection {
  private static final String PG_SOCKET_TIMEOUT_PARAM = "socketTimeout";
  static final long DEFAULT_PG_SOCKET_TIMEOUT_SECONDS = Duration.ofMinutes(5).toSeconds();
  private static Properties addHikari(final Properties properties) {
    if (!properties.containsKey("dataSource." + PG_SOCKET_TIMEOUT_PARAM)) {
      properties.put("dataSource." + PG_SOCKET_TIMEOUT_PARAM, DEFAULT_PG_SOCKET_TIMEOUT_SECONDS);
    }
    return properties;
  }
  private static Properties labels(final Properties properties) {
    properties.put("socketLabel", 5);
    return properties;
  }
}
''')
    assert _found([db]) == [("DbConnection.java", 8, "timeout", 300000)]


def test_okhttp_retry_on_connection_failure_is_no_retry_setting():
    # polyglot5's trap and the Kotlin/Java sets: switching OkHttp's silent connection retry off (or on) is not reported
    client = ("a/ClientUtils.java", '''package a;
import okhttp3.OkHttpClient;
class ClientUtils {
  static OkHttpClient client() {
    OkHttpClient.Builder client = new OkHttpClient().newBuilder();
    client.retryOnConnectionFailure(false);
    OkHttpClient.Builder other = new OkHttpClient().newBuilder().retryOnConnectionFailure(true);
    boolean retryOnConnectionFailure = false;
    return client.build();
  }
}
''')
    assert _found([client], "retry") == []


def test_gateway_retry_filter_built_in_code():
    routing = ("a/RoutingConfig.java", '''package a;
import org.springframework.cloud.gateway.filter.FilterDefinition;
class RoutingConfig {
  List<FilterDefinition> filters() {
    FilterDefinition retryFilter = new FilterDefinition();
    retryFilter.setName("Retry");
    retryFilter.addArg("retries", "5");
    FilterDefinition other = new FilterDefinition();
    other.setName("RequestSize");
    other.addArg("retries", "2");
    return List.of(retryFilter, other);
  }
}
''')
    assert _found([routing], "retry") == [("RoutingConfig.java", 7, "retry", 6)]


def test_websocket_client_send_timeout_eureka_pool_wait_and_dns_query_timeout():
    ws = ("a/WebSocketConfig.java", '''package a;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.apache.tomcat.websocket.Constants;
class WebSocketConfig {
  @Value("${server.webSocket.asyncWriteTimeout:60000}")
  private long sendTimeout;
  private String ioTimeout = "45000";
  WebSocketClient client() {
    var wsContainer = new WsWebSocketContainer();
    wsContainer.setAsyncSendTimeout(sendTimeout);
    ServerContainer server = serverContainer();
    server.setAsyncSendTimeout(1000);
    config.getUserProperties().put(Constants.IO_TIMEOUT_MS_PROPERTY, ioTimeout);
    return null;
  }
  static Supplier eureka() {
    RestTemplateTimeoutProperties properties = new RestTemplateTimeoutProperties();
    properties.setConnectRequestTimeout(180000);
    return null;
  }
  RestWebClient() {
    this.httpClient = HttpClient.create(ConnectionProvider.create("student-api")).compress(true)
        .resolver(spec -> spec.queryTimeout(Duration.ofMillis(200)).trace("DNS", LogLevel.TRACE));
    Query q = query.queryTimeout(5);
  }
}
''')
    assert _found([ws], "timeout") == [("WebSocketConfig.java", 10, "timeout", 60000),
                                        ("WebSocketConfig.java", 13, "timeout", 45000),
                                        ("WebSocketConfig.java", 18, "timeout", 180000),
                                        ("WebSocketConfig.java", 23, "timeout", 200)]


def test_for_each_with_only_parse_failures_is_no_failover():
    auth = ("a/ClientAuthFactory.java", '''package a;
class ClientAuthFactory {
  private boolean containsUri(List<String> uriList, URI targetUri) {
    for (String uri : uriList) {
      try {
        if (new URI(uri).equals(targetUri)) {
          return true;
        }
      } catch (URISyntaxException e) {
        logger.warn("Unable to parse URI", e);
      }
    }
    return false;
  }
  private String fetch(List<String> urls) {
    for (String url : urls) {
      try {
        return restTemplate.getForObject(url, String.class);
      } catch (RestClientException e) {
        logger.warn("next", e);
      }
    }
    throw new IllegalStateException();
  }
}
''')
    assert _found([auth], "retry") == [("ClientAuthFactory.java", 16, "retry", None)]


def test_future_taken_from_a_list_of_local_tasks_is_no_call_timeout():
    loader = ("a/SignerLoader.java", '''package a;
class SignerLoader {
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  void load(List<String> batch) {
    final List<Future<LoadResult>> futures = new ArrayList<>();
    for (String path : batch) {
      futures.add(executor.submit(() -> processFile(path)));
    }
    collect(futures);
  }
  LoadResult collect(final List<Future<LoadResult>> futures) throws InterruptedException {
    for (int i = 0; i < futures.size(); i++) {
      final Future<LoadResult> future = futures.get(i);
      final LoadResult result = future.get(config.taskTimeoutSeconds(), TimeUnit.SECONDS);
    }
    return null;
  }
}
''')
    assert _found([loader], "timeout") == []


def test_bare_retry_named_qualifier_on_a_producer_is_no_retry():
    producer = ("a/RetriableConfiguration.java", '''package a;
import jakarta.enterprise.inject.Produces;
public class RetriableConfiguration {
  @Produces
  @Retriable
  RetriableBridge retriableBridge(StargateBridge bridge) { return new RetriableBridge(bridge); }
  @Retriable
  Response call() { return client.get(); }
}
''')
    assert _found([producer], "retry") == [("RetriableConfiguration.java", 7, "retry", None)]


def test_project_retryer_made_from_a_policy_with_negative_max_attempt():
    wrapper = ("a/JooqWrapper.java", '''package a;
import io.kestra.core.utils.RetryUtils;
public class JooqWrapper {
  private <T> RetryUtils.Instance<T, RuntimeException> retryer() {
    return retryUtils.of(
        Random.builder()
            .minInterval(Duration.ofMillis(50))
            .maxAttempt(-1)
            .maxDuration(Duration.ofSeconds(60))
            .build());
  }
  private <T> RetryUtils.Instance<T, RuntimeException> bounded() {
    return retryUtils.of(Exponential.builder().maxAttempt(3).build());
  }
  Object other() { return List.of(Exponential.builder().maxAttempt(3).build()); }
}
''')
    assert _found([wrapper], "retry") == [("JooqWrapper.java", 5, "retry", None), ("JooqWrapper.java", 13, "retry", 3)]


def test_cdi_instance_getter_and_apicurio_sdk_default_retry():
    conf = ("a/KafkaSqlConfiguration.java", '''package a;
public class KafkaSqlConfiguration {
  @ConfigProperty(name = "apicurio.kafkasql.coordinator.response-timeout", defaultValue = "30000")
  Integer responseTimeout;
  public Duration getResponseTimeout() { return Duration.ofMillis(responseTimeout); }
}
''')
    coord = ("a/KafkaSqlCoordinator.java", '''package a;
public class KafkaSqlCoordinator {
  @Inject
  Instance<KafkaSqlConfiguration> configuration;
  public Object waitForResponse(UUID uuid) {
    boolean completed = latches.get(uuid).await(
        configuration.get().getResponseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return completed;
  }
}
''')
    sdk = ("a/Resolver.java", '''package a;
import io.apicurio.registry.client.common.RegistryClientOptions;
class Resolver {
  RegistryClientOptions options() {
    return RegistryClientOptions.create(url)
        .httpAdapter(HttpAdapterType.JDK)
        .retry();
  }
}
''')
    assert _found([conf, coord], "timeout") == [("KafkaSqlCoordinator.java", 6, "timeout", 30000)]
    assert _found([sdk], "retry") == [("Resolver.java", 7, "retry", 4)]


def test_each_discovery_request_queried_in_turn_is_a_failover():
    service = ("a/InstanceRetrievalService.java", '''package a;
class InstanceRetrievalService {
  public Applications getAll(boolean delta) {
    List<EurekaServiceInstanceRequest> requestInfoList = construct(null, delta);
    for (EurekaServiceInstanceRequest requestInfo : requestInfoList) {
      try {
        String responseBody = queryDiscoveryForInstances(requestInfo);
        return extractApplications(responseBody);
      } catch (Exception e) {
        log.debug("Not able to contact discovery service", e);
      }
    }
    return null;
  }
  public Item firstParsed(List<String> texts) {
    for (String text : texts) {
      try {
        return parseItem(text);
      } catch (Exception e) {
        log.debug("skip", e);
      }
    }
    return null;
  }
}
''')
    assert _found([service], "retry") == [("InstanceRetrievalService.java", 5, "retry", None)]


def test_project_retry_budget_object_made_with_its_count():
    base = ("a/RetryMechanism.java", '''package a.b;
public abstract class RetryMechanism {
  private final int maxRetries;
  private int retriesPerformed = 0;
  public RetryMechanism(final int maxRetries) { this.maxRetries = maxRetries; }
  public boolean retriesAvailable() { return retriesPerformed < maxRetries; }
  public void incrementRetries() { retriesPerformed++; }
}
''')
    sub = ("a/NonceTooLowRetryMechanism.java", '''package a.b;
public class NonceTooLowRetryMechanism extends RetryMechanism {
  public NonceTooLowRetryMechanism(final int maxRetries) { super(maxRetries); }
}
''')
    use = ("a/SendTransactionHandler.java", '''package a.b;
class SendTransactionHandler {
  private static final int MAX_NONCE_RETRIES = 10;
  Transmitter create() {
    Object other = new RetryCounterView(MAX_NONCE_RETRIES);
    return new RetryingTransmitter(new NonceTooLowRetryMechanism(MAX_NONCE_RETRIES));
  }
}
''')
    assert _found([base, sub, use], "retry") == [("SendTransactionHandler.java", 6, "retry", 11)]
