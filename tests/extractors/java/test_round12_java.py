"""Round 12 (held-out sets streamshub-console, data-prepper-aws-sinks, jetlinks-community, mod-login, stargate-data-api):
the Aliyun SDK's request timeouts, Kafka Admin call options, SmallRye Mutiny retries and waits on a method of the
class, a setter guarded by ``!= null`` on a value without default, a loop that only waits, a count of tries left
lowered in a catch, Kafka's ``retries`` 0, a settings map's ``getOrDefault``, a nested @ConfigMapping type named
through its owner, HOCON ``application.conf`` (DataStax driver, Play WS) and the R2DBC pool's acquire wait."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from extractors.spring.extractor import EXTRACTOR as SPRING
from tests.extractors.java.support import resolve


def _findings(*files: tuple[str, str]):
    results = [EXTRACTOR.extract(path, text.encode()) for path, text in files]
    return resolve(results)


def _timeouts(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                  for f in _findings(*files) if f.kind == "timeout")


def _retries(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                  for f in _findings(*files) if f.kind == "retry")


ALIYUN = """package org.acme;
import com.aliyuncs.CommonRequest;
class SmsNotifier {
    private final int connectTimeout = 1000;
    private final int readTimeout = 5000;
    void send(String domain) {
        CommonRequest request = new CommonRequest();
        request.setSysDomain(domain);
        request.setSysConnectTimeout(connectTimeout);
        request.setSysReadTimeout(readTimeout);
        String doc = "request.setSysReadTimeout(9000)";
        // request.setSysConnectTimeout(7000);
    }
}
"""


def test_the_aliyun_sdks_request_connect_and_read_timeouts():
    assert _timeouts(("src/main/java/org/acme/SmsNotifier.java", ALIYUN)) == [
        ("SmsNotifier.java", 9, 1000), ("SmsNotifier.java", 10, 5000)]


KAFKA_ADMIN = """package org.acme;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
class Topics {
    private static final DescribeFeaturesOptions FEATURES = new DescribeFeaturesOptions().timeoutMs(5000);
    void offsets(Admin adminClient, java.util.Map m, Request req) {
        adminClient.listOffsets(m, new ListOffsetsOptions()
                .timeoutMs(3000));
        adminClient.listOffsets(m, new ListOffsetsOptions().timeoutMs(req.getTimeoutMs()));
        task.timeoutMs(4000);
    }
}
"""


def test_a_kafka_admin_calls_options_timeout_and_not_a_copied_or_other_objects_one():
    assert _timeouts(("src/main/java/org/acme/Topics.java", KAFKA_ADMIN)) == [
        ("Topics.java", 5, 5000), ("Topics.java", 8, 3000)]


MUTINY = """package org.acme;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
class Sync {
    static final int MAX = 2;
    SyncApi syncService;
    Uni<String> validate(String key) {
        return syncService.valid(key)
            .onFailure(e -> e instanceof RuntimeException)
            .retry()
            .withBackOff(Duration.ofMillis(100))
            .withJitter(0.5)
            .atMost(MAX);
    }
    Uni<String> forever() {
        return syncService.valid("k").onFailure().retry().indefinitely();
    }
    void check(String key) {
        validate(key).await().atMost(Duration.ofSeconds(10));
    }
    Uni<Integer> local() {
        return Uni.createFrom().item(1);
    }
    void checkLocal(Uni<String> u) {
        local().await().atMost(Duration.ofSeconds(2));
        u.select().first(3);
        int retry = 3;
        String s = "onFailure().retry().atMost(5)";
    }
}
"""


def test_a_mutiny_retry_bounded_by_at_most_and_a_wait_on_an_own_method_that_calls_another_service():
    files = (("src/main/java/org/acme/Sync.java", MUTINY),)
    assert _retries(*files) == [("Sync.java", 13, 3)]
    assert _timeouts(*files) == [("Sync.java", 19, 10000)]


GUARDED = """package org.acme;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
class LambdaClients {
    static Object create(ClientOptions clientOptions) {
        NettyNioAsyncHttpClient.Builder builder = NettyNioAsyncHttpClient.builder()
                .connectionTimeout(clientOptions.getConnectionTimeout());
        if (clientOptions.getReadTimeout() != null) {
            builder.readTimeout(clientOptions.getReadTimeout());
        }
        if (clientOptions.getWriteTimeout() != null) {
            builder.writeTimeout(clientOptions.getWriteTimeout());
        }
        return builder.build();
    }
}
"""

GUARDED_OPTIONS = """package org.acme;
import java.time.Duration;
import com.fasterxml.jackson.annotation.JsonProperty;
public class ClientOptions {
    @JsonProperty("connection_timeout")
    private Duration connectionTimeout = Duration.ofSeconds(60);
    @JsonProperty("read_timeout")
    private Duration readTimeout;
    @JsonProperty("write_timeout")
    private Duration writeTimeout = Duration.ofSeconds(5);
    public Duration getConnectionTimeout() { return connectionTimeout; }
    public Duration getReadTimeout() { return readTimeout; }
    public Duration getWriteTimeout() { return writeTimeout; }
}
"""


def test_a_setter_guarded_by_not_null_counts_only_when_the_setting_has_a_value():
    assert _timeouts(("src/main/java/org/acme/LambdaClients.java", GUARDED),
                     ("src/main/java/org/acme/ClientOptions.java", GUARDED_OPTIONS)) == [
        ("LambdaClients.java", 6, 60000), ("LambdaClients.java", 11, 5000)]


LOOPS = """package org.acme;
class Loops {
    private final int maxRetries = 5;
    void waitForBreaker() {
        int retries = 0;
        while (circuitBreaker.isOpen() && retries < config.getCircuitBreakerRetries()) {
            try {
                LOG.warn("open {}", retries + 1);
                Thread.sleep(config.getCircuitBreakerWaitInterval());
                retries++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
    boolean sendWithPause(Client client) {
        int attempt = 0;
        while (attempt < 3) {
            if (client.post("x")) return true;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            attempt++;
        }
        return false;
    }
    boolean flush(java.util.List<Object> records) throws InterruptedException {
        boolean uploaded = false;
        int retryCount = maxRetries;
        do {
            try {
                publish(records);
                uploaded = true;
            } catch (RuntimeException e) {
                --retryCount;
                if (retryCount == 0) {
                    return uploaded;
                }
                Thread.sleep(5000);
            }
        } while (!uploaded);
        return uploaded;
    }
    int compute(int n) {
        int left = 5;
        do {
            try { n = step(n); } catch (RuntimeException e) { --left; if (left == 0) return -1; }
        } while (n > 0);
        return n;
    }
}
"""


def test_a_loop_that_only_sleeps_is_no_retry_and_a_count_of_tries_left_lowered_in_a_catch_is():
    assert _retries(("src/main/java/org/acme/Loops.java", LOOPS)) == [("Loops.java", 19, 3), ("Loops.java", 33, 5)]


PRODUCER = """package org.acme;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
class Producers {
    Map<String, Object> producerConfig() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.RETRIES_CONFIG, 0);
        return configs;
    }
    void other(Client client) {
        client.setMaxRetries(0);
        int retries = 0;
    }
}
"""


def test_kafka_producer_retries_zero_is_one_try():
    assert _retries(("src/main/java/org/acme/Producers.java", PRODUCER)) == [("Producers.java", 9, 1)]


SETTINGS_MAP = """package org.folio.util;
import static org.folio.rest.RestVerticle.MODULE_SPECIFIC_ARGS;
import static org.folio.util.Constants.DEFAULT_TIMEOUT;
import static org.folio.util.Constants.LOOKUP_TIMEOUT;
import io.vertx.ext.web.client.WebClientOptions;
public class WebClientFactory {
  public static void init() {
      int lookupTimeout = Integer.parseInt(MODULE_SPECIFIC_ARGS.getOrDefault(LOOKUP_TIMEOUT, DEFAULT_TIMEOUT));
      WebClientOptions options = new WebClientOptions();
      options.setConnectTimeout(lookupTimeout);
      int other = Integer.parseInt(map.getOrDefault(key, "5000"));
      options.setConnectTimeout(other);
  }
}
"""

CONSTANTS = """package org.folio.util;
public class Constants {
  public static final String LOOKUP_TIMEOUT = "lookup.timeout";
  public static final String DEFAULT_TIMEOUT = "1000";
}
"""


def test_a_settings_maps_get_or_default_with_a_constant_key_is_its_default():
    found = _timeouts(("src/main/java/org/folio/util/WebClientFactory.java", SETTINGS_MAP),
                      ("src/main/java/org/folio/util/Constants.java", CONSTANTS))
    assert ("WebClientFactory.java", 10, 1000) in found
    assert ("WebClientFactory.java", 12, 5000) not in found  # a key in a variable: the map's own value, unknown


MAPPING = """package org.acme;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
@ConfigMapping(prefix = "stargate.sync-service")
public interface SyncConfig {
  SyncConfig.RetryConfig retry();
  interface RetryConfig {
    @WithDefault("3")
    int maxRetries();
  }
}
"""

MAPPING_USER = """package org.acme;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
public class SyncClient {
  @Inject SyncConfig syncConfig;
  SyncApi syncService;
  Uni<String> get(String k) {
    return syncService.credential(k)
        .onFailure()
        .retry()
        .atMost(syncConfig.retry().maxRetries());
  }
}
"""


def test_a_nested_config_mapping_type_named_through_its_owner_resolves():
    assert _retries(("src/main/java/org/acme/SyncConfig.java", MAPPING),
                    ("src/main/java/org/acme/SyncClient.java", MAPPING_USER)) == [("SyncClient.java", 11, 4)]


HOCON = """datastax-java-driver {
  advanced.metadata {
    schema.request-timeout = 10 seconds
  }
  # basic.request.timeout = 99 seconds
  basic.request.timeout = 20 seconds
  advanced.request-tracker {
    logs {
      slow { threshold = 1 second }
    }
  }
  advanced.metrics {
    session {
      enabled = [cql-requests, cql-client-timeouts]
    }
  }
  profiles {
    create {
      basic.request.timeout = 10 seconds
    }
    table-read {
      basic.request.timeout = "15 seconds"
      consistency = LOCAL_QUORUM
    }
  }
}
play.ws.timeout.request = 30s
play.ws.timeout.connection = 5000
akka.actor.timeout = 5s
"""


def test_hocon_application_conf_driver_and_play_ws_timeouts():
    result = SPRING.extract("src/main/resources/application.conf", HOCON.encode())
    found = sorted((f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"))
                   for f in result.findings if f.kind == "timeout")
    assert found == [(3, 10000, "total"), (6, 20000, "total"), (19, 10000, "total"), (22, 15000, "total"),
                     (27, 30000, "total"), (28, 5000, "connect")]
    assert SPRING.claims("src/main/resources/application.conf")
    assert not SPRING.claims("deploy/nginx.conf")


def test_the_r2dbc_pools_acquire_wait():
    text = "spring:\n  r2dbc:\n    pool:\n      max-idle-time: 2m\n      max-acquire-time: 30s\n"
    result = SPRING.extract("src/main/resources/application.yml", text.encode())
    assert [(f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"))
            for f in result.findings if f.kind == "timeout"] == [(5, 30000, "connect")]


DRIVER_POLICY = """package org.acme;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
public class ProxyRetryPolicy implements RetryPolicy {
  private static final int MAX_RETRIES = 3;
  public RetryDecision onWriteTimeout(Request request, WriteType writeType, int retryCount) {
    var decision = RetryDecision.RETHROW;
    if (retryCount < MAX_RETRIES && writeType == WriteType.CAS) {
      decision = RetryDecision.RETRY_SAME;
    }
    LOG.debug("retryCount {} < {}", retryCount, retryCount < 10);
    return decision;
  }
  public RetryDecision onUnavailable(Request request, int retryCount) {
    return (retryCount == 0) ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
  }
  public RetryDecision onRequestAborted(Request request, Throwable error, int retryCount) {
    if (retryCount < 5) {
      LOG.warn("aborted");
    }
    return RetryDecision.RETHROW;
  }
  public RetryVerdict onWriteTimeoutVerdict(Request request, WriteType writeType, int retryCount) {
    RetryDecision d = onWriteTimeout(request, writeType, retryCount);
    return () -> d;
  }
}
"""


def test_a_cassandra_driver_retry_policys_retry_decisions():
    assert _retries(("src/main/java/org/acme/ProxyRetryPolicy.java", DRIVER_POLICY)) == [
        ("ProxyRetryPolicy.java", 8, 4), ("ProxyRetryPolicy.java", 15, 2)]


POLL_WITH_CALL = """package org.acme;
class Statuses {
    private Optional<Status> getStatusWithRetries(UUID id) {
        for (int retryCount = 0; retryCount < 3; retryCount++) {
            Optional<Status> status = getStatusFromRepository(id);
            if (status.isPresent()) {
                return status;
            }
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.empty();
    }
}
"""


def test_a_loop_that_sleeps_between_calls_with_arguments_stays_a_retry():
    assert _retries(("src/main/java/org/acme/Statuses.java", POLL_WITH_CALL)) == [("Statuses.java", 4, 3)]


RECURSION = """package org.acme;
import java.util.concurrent.CompletableFuture;
public abstract class Cleanup {
  public static final int MAX_ATTEMPTS = 3;
  public CompletableFuture<Void> tryDelete(String file, Throwable e, int attempt) {
    if (attempt > MAX_ATTEMPTS && e != null) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.runAsync(() -> io.deleteFile(file))
        .exceptionallyComposeAsync(newEx -> tryDelete(file, newEx, attempt + 1));
  }
  public CompletableFuture<Void> tryPurge(String file, Throwable e, int attempt) {
    if (attempt >= MAX_ATTEMPTS && e != null) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.runAsync(() -> io.purge(file))
        .exceptionallyComposeAsync(newEx -> tryPurge(file, newEx, attempt + 1));
  }
}
"""


def test_an_attempt_number_given_up_at_entry_counts_the_bounds_tries_when_the_callers_are_elsewhere():
    assert _retries(("src/main/java/org/acme/Cleanup.java", RECURSION)) == [("Cleanup.java", 5, 3), ("Cleanup.java", 12, 3)]


GUAVA_RETRYER = """package org.acme;
import com.github.rholder.retry.Retryer;
import com.github.rholder.retry.RetryerBuilder;
import com.github.rholder.retry.StopStrategies;
import com.github.rholder.retry.WaitStrategies;
import java.util.concurrent.TimeUnit;
class Checkpoints {
    void checkpoint(Checkpointer checkpointer) throws Exception {
        final Retryer<Void> retryer = RetryerBuilder.<Void>newBuilder()
                .retryIfExceptionOfType(ThrottlingException.class)
                .withWaitStrategy(WaitStrategies.fixedWait(1, TimeUnit.SECONDS))
                .withStopStrategy(StopStrategies.stopAfterDelay(10, TimeUnit.MINUTES))
                .build();
        retryer.call(() -> { checkpointer.checkpoint(); return null; });
        Retryer<Void> forever = RetryerBuilder.<Void>newBuilder().withStopStrategy(StopStrategies.neverStop()).build();
        String doc = "StopStrategies.stopAfterDelay(5, TimeUnit.SECONDS)";
    }
}
"""


def test_a_guava_retryer_bounded_by_a_delay_is_a_retry_without_a_count():
    found = [f for f in _findings(("src/main/java/org/acme/Checkpoints.java", GUAVA_RETRYER)) if f.kind == "retry"]
    assert [(f.line, f.attributes.get("max_attempts")) for f in found] == [(12, None)]


READINESS = """package org.acme;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
class DataLoader {
    private void waitForElasticSearch() {
        var retries = 0;
        while (retries < 3) {
            try {
                var health = elasticHealthCheck.health();
                if (health.isOk())
                    return;
            } catch (Exception e) {
            }
            retries++;
            try {
                TimeUnit.SECONDS.sleep(3);
            } catch (InterruptedException e) {
            }
        }
        throw new RuntimeException("Cannot connect to elastic search");
    }
    private void load() {
        var retries = 0;
        while (retries < 3) {
            try {
                client.index(request);
                return;
            } catch (Exception e) {
            }
            retries++;
        }
    }
    Object client() {
        return RestClient.builder(new HttpHost("es", 9200))
                .setRequestConfigCallback(config -> config.setConnectTimeout(5000))
                .setMaxRetryTimeoutMillis(30000);
    }
}
"""


def test_a_readiness_poll_is_no_retry_and_the_es_rest_clients_max_retry_timeout():
    files = (("src/main/java/org/acme/DataLoader.java", READINESS),)
    assert _retries(*files) == [("DataLoader.java", 25, 3)]
    assert _timeouts(*files) == [("DataLoader.java", 36, 5000), ("DataLoader.java", 37, 30000)]


FUTURE_FIELD = """package org.acme;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
class Auth {
    private final CompletableFuture<OidcClient> oidcClient;
    private final CompletableFuture<String> computed;
    Auth() {
        oidcClient = clients.newClient(config).subscribeAsCompletionStage();
        computed = CompletableFuture.supplyAsync(() -> "x");
    }
    String header() throws Exception {
        OidcClient client = oidcClient.get(10, TimeUnit.SECONDS);
        return computed.get(5, TimeUnit.SECONDS);
    }
}
"""


def test_a_wait_on_a_future_field_named_for_a_client_and_not_on_local_work():
    assert _timeouts(("src/main/java/org/acme/Auth.java", FUTURE_FIELD)) == [("Auth.java", 12, 10000)]


OWN_CLIENT = """package com.acme.universal.http;
import lombok.Builder;
import okhttp3.OkHttpClient;
public class HttpClient {
    private final OkHttpClient okHttpClient;
    @Builder
    public HttpClient(int maxRetries, long retryInterval) {
        okHttpClient = new OkHttpClient.Builder()
                .addInterceptor(new RetryInterceptor(maxRetries, retryInterval))
                .build();
    }
    public static class HttpClientBuilder {
        private int maxRetries = 3;
        private long retryInterval = 500;
    }
}
"""

OWN_INTERCEPTOR = """package com.acme.universal.http;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
public class RetryInterceptor implements Interceptor {
    private final int maxRetries;
    private final long retryInterval;
    public RetryInterceptor(int maxRetries, long retryInterval) {
        this.maxRetries = maxRetries;
        this.retryInterval = retryInterval;
    }
    @Override
    public Response intercept(Chain chain) throws java.io.IOException {
        Request request = chain.request();
        Response response = chain.proceed(request);
        int tryCount = 1;
        while (response.code() >= 500 && tryCount < maxRetries) {
            response.close();
            try {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(retryInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.IOException("Retry interrupted", e);
            }
            response = chain.proceed(request);
            tryCount++;
        }
        return response;
    }
}
"""

OWN_CLIENT_USER = """package com.acme.service.scm;
import com.acme.universal.http.HttpClient;
import software.amazon.awssdk.core.retry.RetryPolicy;
public class GithubManager {
    private final HttpClient httpClient;
    public GithubManager() {
        httpClient = HttpClient.builder()
                .maxRetries(1)
                .build();
        RetryPolicy policy = RetryPolicy.builder().numRetries(4).build();
    }
}
"""


def test_the_projects_own_builder_counts_retries_the_way_its_helper_does():
    found = _retries(("src/main/java/com/acme/universal/http/HttpClient.java", OWN_CLIENT),
                     ("src/main/java/com/acme/universal/http/RetryInterceptor.java", OWN_INTERCEPTOR),
                     ("src/main/java/com/acme/service/scm/GithubManager.java", OWN_CLIENT_USER))
    assert ("GithubManager.java", 8, 1) in found  # maxRetries is the helper's count of tries
    assert ("GithubManager.java", 10, 5) in found  # the AWS SDK's numRetries: n + 1


def test_a_builder_of_the_project_alone_keeps_the_library_reading():
    assert ("GithubManager.java", 8, 2) in _retries(("src/main/java/com/acme/service/scm/GithubManager.java",
                                                       OWN_CLIENT_USER))
