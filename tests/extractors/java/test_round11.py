"""Round 11 (held-out sets openremote, polaris, laa-dces-drc-integration, laa-maat-orchestration, search.quarkus.io):
reactor-netty pool waits, a field default a setter replaces read through the class's getter, log formatting in a
catch, a ReadTimeoutHandler that pings, typed feature flags built with their default, Apache Iceberg's Tasks retry
(also through a helper's parameter), a recursion that gives up at its entry, a field filled by the injected
constructor's delegation."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
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


POOL = """package org.acme;
import java.time.Duration;
import reactor.netty.resources.ConnectionProvider;
class Pools {
    ConnectionProvider pool() {
        return ConnectionProvider.builder("custom")
                .maxIdleTime(Duration.ofSeconds(20))
                .pendingAcquireTimeout(Duration.ofSeconds(60))
                .build();
    }
    void other(Limiter limiter) {
        limiter.pendingAcquireTimeout(Duration.ofSeconds(5));
        String timeout = "pendingAcquireTimeout(Duration.ofSeconds(9))";
    }
}
"""


def test_a_connection_pools_pending_acquire_timeout_is_a_wait_for_a_connection():
    assert _timeouts(("src/main/java/org/acme/Pools.java", POOL)) == [("Pools.java", 8, 60000)]


NETTY = """package org.acme;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
public abstract class IoClient {
    protected int connectTimeout = 5000;
    protected int backoffMillis = 1000;
    protected Bootstrap bootstrap;

    public int getConnectTimeoutMillis() {
        return this.connectTimeout;
    }

    public void setConnectTimeoutMillis(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    protected void configureChannel() {
        bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, getConnectTimeoutMillis());
    }

    protected void waitFor(CompletableFuture<Void> connectFuture) throws Exception {
        connectFuture.get(getConnectTimeoutMillis() + 1000L, TimeUnit.MILLISECONDS);
    }

    protected void grow(CompletableFuture<Void> connectFuture) throws Exception {
        backoffMillis = backoffMillis * 2;
        bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, backoffMillis);
    }
}
"""


def test_a_field_default_only_a_setter_replaces_is_the_classs_own_default():
    got = _timeouts(("src/main/java/org/acme/IoClient.java", NETTY))
    assert ("IoClient.java", 20, 5000) in got and ("IoClient.java", 24, 6000) in got
    # a field the class recomputes is no default
    assert ("IoClient.java", 29, None) in got


CATCH = """package org.acme;
import java.util.logging.Level;
import java.util.logging.Logger;
class Certs {
    private static final Logger LOG = Logger.getLogger("x");
    boolean check(Object connection, Cert cert) {
        try {
            LOG.finest(() -> "checking " + BrokerService.connectionToString(connection));
            cert.verify();
            return true;
        } catch (Exception e) {
            LOG.log(Level.INFO, "failed: " + BrokerService.connectionToString(connection), e);
        }
        return false;
    }
    Object score(String id, RiskService riskService) {
        try {
            return riskService.score(id);
        } catch (RuntimeException e) {
            return riskService.score(id);
        }
    }
}
"""


def test_a_call_that_formats_a_log_message_in_a_catch_is_no_retry():
    assert _retries(("src/main/java/org/acme/Certs.java", CATCH)) == [("Certs.java", 17, 2)]


PING = """package org.acme;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;
class Pipeline {
    void init(io.netty.channel.Channel channel) {
        channel.pipeline().addFirst(new ReadTimeoutHandler(10000, TimeUnit.MILLISECONDS) {
            @Override
            protected void readTimedOut(ChannelHandlerContext ctx) throws Exception {
                doPing(ctx);
            }
        });
        channel.pipeline().addLast(new ReadTimeoutHandler(30));
        channel.pipeline().addLast(new ReadTimeoutHandler(15, TimeUnit.SECONDS) {
            @Override
            protected void readTimedOut(ChannelHandlerContext ctx) throws Exception {
                ctx.close();
            }
        });
    }
}
"""


def test_a_read_timeout_handler_that_only_pings_is_no_limit():
    assert _timeouts(("src/main/java/org/acme/Pipeline.java", PING)) == [
        ("Pipeline.java", 13, 30000), ("Pipeline.java", 14, 15000)]


FLAGS = """package org.acme.core;
public class FeatureConfiguration<T> {
    public static final FeatureConfiguration<Integer> AZURE_TIMEOUT_MILLIS =
        PolarisConfiguration.<Integer>builder()
            .key("AZURE_TIMEOUT_MILLIS")
            .description("Timeout in milliseconds for Azure API requests.")
            .defaultValue(15000)
            .buildFeatureConfiguration();
    public static final FeatureConfiguration<Integer> AZURE_RETRY_COUNT =
        PolarisConfiguration.<Integer>builder()
            .key("AZURE_RETRY_COUNT")
            .defaultValue(3)
            .buildFeatureConfiguration();
    public static final FeatureConfiguration<String> LABEL =
        PolarisConfiguration.<String>builder().key("LABEL").defaultValue("timeout").buildFeatureConfiguration();
}
"""

AZURE = """package org.acme.storage;
import static org.acme.core.FeatureConfiguration.AZURE_RETRY_COUNT;
import static org.acme.core.FeatureConfiguration.AZURE_TIMEOUT_MILLIS;
import java.time.Duration;
import reactor.util.retry.Retry;
class Azure {
    Object token(RealmConfig realmConfig, Credential credential) {
        int timeoutMillis = realmConfig.getConfig(AZURE_TIMEOUT_MILLIS);
        int retryCount = realmConfig.getConfig(AZURE_RETRY_COUNT);
        return credential.getToken("scope")
            .timeout(Duration.ofMillis(timeoutMillis))
            .retryWhen(Retry.backoff(retryCount, Duration.ofMillis(100)))
            .block();
    }
}
"""


def test_a_typed_flag_built_with_its_default_is_read_through_a_local():
    files = (("src/main/java/org/acme/core/FeatureConfiguration.java", FLAGS),
             ("src/main/java/org/acme/storage/Azure.java", AZURE))
    assert ("Azure.java", 11, 15000) in _timeouts(*files)
    assert ("Azure.java", 12, 4) in _retries(*files)  # 3 retries after the first try


ICEBERG = """package org.acme.catalog;
import org.apache.iceberg.util.Tasks;
public class Catalog {
    private RealmConfig realmConfig;

    class Ops {
        void refresh(String location) {
            refreshFromMetadataLocation(location, null, getMaxRefreshRetries(), l -> load(l));
        }

        void refreshView(String location) {
            refreshFromMetadataLocation(location, null, getMaxRefreshRetries(), l -> load(l));
        }

        protected void refreshFromMetadataLocation(String location, Object shouldRetry, int numRetries, Object loader) {
            Tasks.foreach(location).retry(numRetries).exponentialBackoff(100, 5000, 600000, 4.0).run(l -> load(l));
        }
    }

    void commit(Object ops) {
        Tasks.foreach(ops).retry(4).exponentialBackoff(100, 60000, 1800000, 2.0).run(o -> apply(o));
    }

    private int getMaxRefreshRetries() {
        return realmConfig.getConfig(Flags.MAX_METADATA_REFRESH_RETRIES);
    }
}
"""

FLAG_2 = """package org.acme.catalog;
public class Flags {
    public static final Flag<Integer> MAX_METADATA_REFRESH_RETRIES =
        Config.<Integer>builder().key("MAX_METADATA_REFRESH_RETRIES").defaultValue(2).build();
}
"""


def test_icebergs_task_retry_counts_retries_after_the_first_try():
    files = (("src/main/java/org/acme/catalog/Catalog.java", ICEBERG),
             ("src/main/java/org/acme/catalog/Flags.java", FLAG_2))
    got = _retries(*files)
    # the helper's parameter (no default) is a contract at each call handing it a value; the commit's own 4 retries
    assert got == [("Catalog.java", 8, 3), ("Catalog.java", 12, 3), ("Catalog.java", 21, 5)]
    # `retry(n)` of another library is not Iceberg's
    other = ICEBERG.replace("org.apache.iceberg.util.Tasks", "org.acme.util.Tasks")
    assert _retries(("src/main/java/org/acme/catalog/Catalog.java", other),
                    ("src/main/java/org/acme/catalog/Flags.java", FLAG_2)) == []


TASKS = """package org.acme.task;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
public class TaskExecutor {
    private static final long TASK_RETRY_DELAY = 1000;

    public void addTask(long id) {
        tryHandleTask(id, null, 1);
    }

    private CompletableFuture<Void> tryHandleTask(long id, Throwable previousError, int attempt) {
        if (attempt > 3) {
            return CompletableFuture.failedFuture(previousError);
        }
        return CompletableFuture.runAsync(() -> handle(id), executor)
            .exceptionallyComposeAsync(
                t -> tryHandleTask(id, t, attempt + 1),
                CompletableFuture.delayedExecutor(TASK_RETRY_DELAY * attempt, TimeUnit.MILLISECONDS, executor));
    }

    private CompletableFuture<Void> walk(long id, int page) {
        if (id < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> visit(id, page), executor)
            .thenCompose(v -> walk(id, page + 1));
    }
}
"""


def test_a_recursion_that_gives_up_at_its_entry_counts_its_runs():
    assert _retries(("src/main/java/org/acme/task/TaskExecutor.java", TASKS)) == [("TaskExecutor.java", 11, 3)]


INJECTED = """package org.acme.catalog;
import jakarta.inject.Inject;
import org.apache.iceberg.util.Tasks;
public class CommitUtils {
    private final int maxCommitRetries;

    @Inject
    public CommitUtils(RealmConfig realmConfig) {
        this(realmConfig.getConfig(Flags.ICEBERG_COMMIT_MAX_RETRIES));
    }

    @VisibleForTesting
    public CommitUtils(int maxCommitRetries) {
        this.maxCommitRetries = maxCommitRetries;
    }

    void commit(Object ops) {
        Tasks.foreach(ops).retry(maxCommitRetries).run(o -> apply(o));
    }
}
"""

FLAG_3 = """package org.acme.catalog;
public class Flags {
    public static final Flag<Integer> ICEBERG_COMMIT_MAX_RETRIES =
        Config.<Integer>builder().key("ICEBERG_COMMIT_MAX_RETRIES").defaultValue(4).build();
}
"""


def test_a_field_the_injected_constructor_fills_by_delegation():
    files = (("src/main/java/org/acme/catalog/CommitUtils.java", INJECTED),
             ("src/main/java/org/acme/catalog/Flags.java", FLAG_3))
    assert _retries(*files) == [("CommitUtils.java", 18, 5)]
    # without the injection marks, a public primary constructor others call with their own values decides
    plain = INJECTED.replace("    @Inject\n", "").replace("    @VisibleForTesting\n", "")
    assert _retries(("src/main/java/org/acme/catalog/CommitUtils.java", plain),
                    ("src/main/java/org/acme/catalog/Flags.java", FLAG_3)) == [("CommitUtils.java", 16, None)]


FILTER = """package org.acme.filter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.reactor.retry.RetryOperator;
import java.util.Set;
import java.util.stream.Collectors;
public class RetryFilter implements ExchangeFilterFunction {
    private final Retry retry;
    private static final String DEFAULT_RETRY = "default";

    public RetryFilter(RetryRegistry retryRegistry, String clientName) {
        Set<String> available = retryRegistry.getAllRetries().stream().map(Retry::getName).collect(Collectors.toSet());
        String retryName = available.contains(clientName) ? clientName : DEFAULT_RETRY;
        retry = retryRegistry.retry(retryName);
    }

    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return next.exchange(request).transformDeferred(RetryOperator.of(retry));
    }
}
"""

CLIENTS = """package org.acme.config;
import io.github.resilience4j.retry.RetryRegistry;
import org.acme.filter.RetryFilter;
public class Clients {
    public static final String HARDSHIP = "hardshipWebClient";

    WebClient hardship(WebClient.Builder builder, RetryRegistry retryRegistry) {
        RetryFilter retryFilter =
                new RetryFilter(retryRegistry, HARDSHIP);
        return builder.filter(retryFilter).build();
    }

    WebClient evidence(WebClient.Builder builder, RetryRegistry retryRegistry) {
        RetryFilter retryFilter = new RetryFilter(retryRegistry, "evidenceWebClient");
        Object other = new Audit(retryRegistry, "not-a-retry");
        return builder.filter(retryFilter).build();
    }
}
"""


def test_a_project_class_looking_a_retry_up_by_the_name_it_is_handed():
    findings = _findings(("src/main/java/org/acme/filter/RetryFilter.java", FILTER),
                         ("src/main/java/org/acme/config/Clients.java", CLIENTS))
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("instance")) for f in findings if f.kind == "retry")
    # at each construction handing a name (the helper's own lookup forwards it); Audit publishes no name position
    assert got == [("Clients.java", 9, "hardshipWebClient"), ("Clients.java", 14, "evidenceWebClient")]


RESTEASY = """package org.acme.web;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
class Clients {
    Object client() {
        return new ResteasyClientBuilderImpl()
                .connectionPoolSize(10)
                .connectionCheckoutTimeout(5000, TimeUnit.MILLISECONDS)
                .connectTimeout(10000, TimeUnit.MILLISECONDS)
                .build();
    }
}
"""


def test_resteasy_waits_for_a_pooled_connection():
    assert _timeouts(("src/main/java/org/acme/web/Clients.java", RESTEASY)) == [
        ("Clients.java", 8, 5000), ("Clients.java", 9, 10000)]


SESSION = """package org.acme.gateway;
import java.util.concurrent.TimeUnit;
class Tunnels {
    static final long RESPONSE_TIMEOUT_MILLIS = 15000;
    void start(TunnelSession session, Cache cache) {
        session.connectFuture.orTimeout(RESPONSE_TIMEOUT_MILLIS - 1000, TimeUnit.MILLISECONDS);
        cache.loadFuture.orTimeout(500, TimeUnit.MILLISECONDS);
    }
}
"""


def test_a_connection_future_another_object_keeps():
    # a future named for the connection it stands for; a cache's load is local work
    assert _timeouts(("src/main/java/org/acme/gateway/Tunnels.java", SESSION)) == [("Tunnels.java", 6, 14000)]


EXECUTOR = """package org.acme.util;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
public class SimpleExecutor implements AutoCloseable {
    public void waitForSuccessOrThrow(Duration timeout) throws Exception {
        CompletableFuture.allOf(pending()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    public void close() { }
}
"""

FETCHER = """package org.acme.fetching;
import java.time.Duration;
import org.acme.util.SimpleExecutor;
class Fetcher {
    static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);
    void fetch() throws Exception {
        try (SimpleExecutor executor = new SimpleExecutor()) {
            executor.submit(() -> cloneRepository());
            executor.waitForSuccessOrThrow(FETCH_TIMEOUT);
        }
    }
}
"""


def test_a_helper_called_on_a_try_with_resources_variable():
    got = _timeouts(("src/main/java/org/acme/util/SimpleExecutor.java", EXECUTOR),
                    ("src/main/java/org/acme/fetching/Fetcher.java", FETCHER))
    # the helper's own `.get(timeout..)` forwards its parameter (the pipeline drops it: a forwarder)
    assert [g for g in got if g[0] == "Fetcher.java"] == [("Fetcher.java", 9, 600000)]


STATE = """package org.acme.indexing;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
public class IndexingState {
    private final RetryConfig retryConfig;
    private final Function<Duration, Cancellable> retryScheduler;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Cancellable scheduledRetry;

    IndexingState(RetryConfig retryConfig, Function<Duration, Cancellable> retryScheduler) {
        this.retryConfig = retryConfig;
        this.retryScheduler = retryScheduler;
    }

    boolean scheduleRetry() {
        if (attempts.incrementAndGet() < retryConfig.maxAttempts()) {
            scheduledRetry = retryScheduler.apply(retryConfig.delay());
            return true;
        }
        return false;
    }

    boolean throttle() {
        if (requests.incrementAndGet() < retryConfig.maxRequests()) {
            scheduledRetry = retryScheduler.apply(retryConfig.delay());
        }
        return attempts.incrementAndGet() < retryConfig.maxAttempts();
    }
}
"""

RETRY_CONFIG = """package org.acme.indexing;
import io.smallrye.config.WithDefault;
import java.time.Duration;
public interface RetryConfig {
    @WithDefault("3")
    int maxAttempts();
    @WithDefault("1M")
    Duration delay();
    int maxRequests();
}
"""


def test_a_count_of_failed_runs_compared_where_the_next_run_is_scheduled():
    got = _retries(("src/main/java/org/acme/indexing/IndexingState.java", STATE),
                   ("src/main/java/org/acme/indexing/RetryConfig.java", RETRY_CONFIG))
    # a count of requests is no count of tries; a comparison that schedules nothing is no retry
    assert got == [("IndexingState.java", 18, 3)]


BUILDER = """package org.acme.web;
import java.util.concurrent.TimeUnit;
public class WebTargets {
    public static Client createClient(Object executor, int poolSize, long overrideSocketTimeout, Object configurator) {
        return new ResteasyClientBuilderImpl()
                .connectionPoolSize(poolSize)
                .readTimeout(overrideSocketTimeout, TimeUnit.MILLISECONDS)
                .build();
    }
}
"""

AGENT = """package org.acme.agent;
import java.util.Optional;
import org.acme.web.WebTargets;
class HttpAgentProtocol {
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 10000;
    Object createClient(Agent agent, Object executorService) {
        Integer readTimeout = agent.getRequestTimeoutMillis().orElse(null);
        return WebTargets.createClient(
                executorService, 1, Optional.ofNullable(readTimeout).orElse(DEFAULT_READ_TIMEOUT_MILLIS).longValue(), null);
    }
    Object other(Agent agent, Object executorService) {
        return WebTargets.createClient(executorService, 1, agent.getTimeout().orElse(null), null);
    }
}
"""


def test_an_optional_setting_of_the_caller_with_its_default_handed_to_a_helper():
    got = _timeouts(("src/main/java/org/acme/web/WebTargets.java", BUILDER),
                    ("src/main/java/org/acme/agent/HttpAgentProtocol.java", AGENT))
    # the default applies unless the agent sets one; `orElse(null)` hands no value
    assert [g for g in got if g[0] == "HttpAgentProtocol.java"] == [("HttpAgentProtocol.java", 8, 10000)]


WATCHDOG = """package org.acme.gateway;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
class Connector {
    static final long RESPONSE_TIMEOUT_MILLIS = 15000;
    ScheduledExecutorService scheduler;
    void startSync() {
        send("read-assets");
        scheduler.schedule(this::onSyncAssetsTimeout, RESPONSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> handleTimeout("x"), 5, TimeUnit.SECONDS);
        scheduler.schedule(this::cleanupTimeouts, 30, TimeUnit.SECONDS);
        scheduler.schedule(this::refresh, 60, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(this::checkTimeout, 1, 1, TimeUnit.SECONDS);
    }
}
"""


def test_a_one_shot_schedule_of_a_timeout_handler_is_a_watchdog():
    assert _timeouts(("src/main/java/org/acme/gateway/Connector.java", WATCHDOG)) == [
        ("Connector.java", 9, 15000), ("Connector.java", 10, 5000)]


LOMBOK = """package org.acme.http;
import java.time.Duration;
import lombok.Builder;
import okhttp3.OkHttpClient;
public class HttpClient {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private final OkHttpClient okHttpClient;

    @Builder(buildMethodName = "buildInternal")
    private HttpClient(int maxRetries, long retryInterval, boolean useProxy, Duration callTimeout) {
        callTimeout = callTimeout == null ? DEFAULT_TIMEOUT : callTimeout;
        okHttpClient = new OkHttpClient.Builder()
                .callTimeout(callTimeout)
                .addInterceptor(new RetryInterceptor(maxRetries, retryInterval))
                .build();
    }

    public static class HttpClientBuilder {
        private int maxRetries = 3;
        private long retryInterval = 500;
        private boolean useProxy = false;

        public HttpClient build() {
            return buildInternal();
        }
    }
}
"""

INTERCEPTOR = """package org.acme.http;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Response;
public class RetryInterceptor implements Interceptor {
    private final int maxRetries;
    private final long retryInterval;

    public RetryInterceptor(int maxRetries, long retryInterval) {
        this.maxRetries = maxRetries;
        this.retryInterval = retryInterval;
    }

    public Response intercept(Chain chain) throws IOException {
        okhttp3.Request request = chain.request();
        Response response = chain.proceed(request);
        int tryCount = 1;
        while (shouldRetry(response) && tryCount < maxRetries) {
            long backoff = (long) Math.pow(2, (tryCount - 1)) * retryInterval;
            response.close();
            try {
                TimeUnit.MILLISECONDS.sleep(backoff);
            } catch (InterruptedException e) {
                throw new IOException("Retry interrupted", e);
            }
            response = chain.proceed(request);
            tryCount++;
        }
        return response;
    }

    private boolean shouldRetry(Response response) {
        return response.code() >= 500;
    }
}
"""

USERS = """package org.acme.ci;
import org.acme.http.HttpClient;
class Jenkins {
    private static final HttpClient shared = HttpClient.builder().build();
    private final HttpClient httpClient;
    Jenkins(boolean useProxy) {
        HttpClient.HttpClientBuilder clientBuilder = HttpClient.builder();
        if (useProxy) {
            clientBuilder.useProxy(true);
        }
        this.httpClient = clientBuilder.build();
    }
    Object other() {
        return Report.builder().title("timeout").build();
    }
}
"""


def test_a_lombok_builders_defaults_at_the_helper_and_at_each_client_built():
    files = (("src/main/java/org/acme/http/HttpClient.java", LOMBOK),
             ("src/main/java/org/acme/http/RetryInterceptor.java", INTERCEPTOR),
             ("src/main/java/org/acme/ci/Jenkins.java", USERS))
    timeouts, retries = _timeouts(*files), _retries(*files)
    # rule a at the helper (its null default, the interceptor handed the builder's default of 3 tries)
    assert ("HttpClient.java", 13, 20000) in timeouts and ("HttpClient.java", 14, 3) in retries
    # rule b at each build() leaving them out; another class's builder is none of it
    assert ("Jenkins.java", 4, 20000) in timeouts and ("Jenkins.java", 11, 20000) in timeouts
    assert ("Jenkins.java", 4, 3) in retries and ("Jenkins.java", 11, 3) in retries
    assert not any(line == 14 for name, line, _ in timeouts + retries if name == "Jenkins.java")
    # the interceptor's loop forwards its parameter (no value of its own: the pipeline drops it as a forwarder)
    assert all(value is None for name, _, value in retries if name == "RetryInterceptor.java")


def test_the_delegated_field_is_no_forwarder_through_the_pipeline(tmp_path):
    from pathlib import Path

    from contract_discovery.pipeline import scan

    root = tmp_path / "svc"
    for rel, text in (("src/main/java/org/acme/catalog/CommitUtils.java", INJECTED),
                      ("src/main/java/org/acme/catalog/Flags.java", FLAG_3)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "pom.xml").write_text("<project><artifactId>svc</artifactId></project>\n")
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    got = [(Path(f.path).name, f.line, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry"]
    assert got == [("CommitUtils.java", 18, 5)]
