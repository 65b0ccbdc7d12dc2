"""Round 21 (Java): shapes the held-out sets of round 21 found at their first scan (causeway, reportportal-service-api,
terra-workspace-manager, verify-hub, heroic, mod-source-record-manager, alfresco-transform-core)."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.test_round19_java import _found, _scanned

BREW_CLIENT = ("src/main/java/org/acme/brew/BrewClientImpl.java", """package org.acme.brew;

import org.eclipse.microprofile.faulttolerance.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;

public class BrewClientImpl {
    @Retry
    @ExponentialBackoff
    public Build findBuild(int id) {
        return koji.getBuild(id);
    }

    @Retry
    public boolean isDeleted(int id) {
        return koji.getBuild(id) == null;
    }
}
""")

# Quarkus' per-method overrides written in YAML: the quoted key loses its quotes when the file is read
FT_YAML = ("src/main/resources/application.yaml", """quarkus:
  fault-tolerance:
    "org.acme.brew.BrewClientImpl/findBuild":
      retry:
        max-retries: ${fault-tolerance.max-retry}
    "org.acme.brew.BrewClientImpl/untagBuild":
      retry:
        max-retries: 9
fault-tolerance:
  max-retry: 4
""")


def test_quarkus_fault_tolerance_override_from_yaml_with_quoted_key(tmp_path):
    # findBuild: max-retries 4 from the yaml (through a placeholder): 5 tries; isDeleted: no key names it (untagBuild
    # names another method), MicroProfile's default 3 retries: 4 tries
    assert _scanned(tmp_path, [BREW_CLIENT, FT_YAML]) == [
        ("BrewClientImpl.java", 7, "retry", 5), ("BrewClientImpl.java", 13, "retry", 4)]


def test_quarkus_fault_tolerance_override_from_properties_keeps_quotes(tmp_path):
    props = ("src/main/resources/application.properties",
             'quarkus.fault-tolerance."org.acme.brew.BrewClientImpl/findBuild".retry.max-retries=2\n')
    assert _scanned(tmp_path, [BREW_CLIENT, props]) == [
        ("BrewClientImpl.java", 7, "retry", 3), ("BrewClientImpl.java", 13, "retry", 4)]


JOOQ_REPO = ("src/main/java/org/acme/dao/AttributeRepository.java", """package org.acme.dao;

import org.jooq.DSLContext;

public class AttributeRepository {
    private static final int TIMEOUT_SEC = 10;
    private final DSLContext dsl;

    public List<String> keys(Long projectId) {
        return dsl.selectDistinct(ATTR.KEY).from(ATTR).where(ATTR.PROJECT_ID.eq(projectId))
            .queryTimeout(TIMEOUT_SEC).fetch(ATTR.KEY);
    }
}
""")


def test_jooq_query_timeout_in_seconds():
    assert _found([JOOQ_REPO]) == [("AttributeRepository.java", 11, "timeout", 10000.0)]


def test_query_timeout_outside_jooq_is_not_read():
    # a project's own builder method of the same name in a file without jOOQ: not a statement limit
    code = ("src/main/java/org/acme/search/SearchRequest.java", """package org.acme.search;

public class SearchRequest {
    public SearchRequest build() {
        return new Builder().queryTimeout(10).build();
    }
}
""")
    assert _found([code]) == []


def test_aws_waiter_override_wait_timeout():
    code = ("src/main/java/org/acme/aws/AwsUtils.java", """package org.acme.aws;

import java.time.Duration;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.sagemaker.waiters.SageMakerWaiter;

public class AwsUtils {
    private static final Duration WAITER_TIMEOUT = Duration.ofMinutes(30);

    public static SageMakerWaiter waiter(SageMakerClient client) {
        return SageMakerWaiter.builder()
            .client(client)
            .overrideConfiguration(
                WaiterOverrideConfiguration.builder()
                    .waitTimeout(WAITER_TIMEOUT)
                    .build())
            .build();
    }

    public static Duration lease() {
        return Lease.builder().waitTimeout(Duration.ofSeconds(5)).build().duration();
    }
}
""")
    # the waiter's limit; not a `waitTimeout` of some other builder
    assert _found([code]) == [("AwsUtils.java", 15, "timeout", 1800000.0)]


REDIS_CONFIG = ("src/main/java/org/acme/hub/RedisConfiguration.java", """package org.acme.hub;

import java.time.Duration;
import static java.time.temporal.ChronoUnit.SECONDS;

public class RedisConfiguration {
    private Duration timeout = Duration.of(20L, SECONDS);

    public Duration getTimeout() {
        return timeout;
    }
}
""")

HUB_MODULE = ("src/main/java/org/acme/hub/HubModule.java", """package org.acme.hub;

import io.lettuce.core.RedisClient;

public class HubModule {
    private SessionStore sessionStore(RedisConfiguration config) {
        RedisClient redisClient = RedisClient.create();
        redisClient.setDefaultTimeout(config.getTimeout());
        return new SessionStore(redisClient.connect());
    }

    private void transactions(PlatformTransactionManager manager, Scheduler scheduler) {
        scheduler.setDefaultTimeout(30);
    }
}
""")


def test_lettuce_default_timeout_through_a_configuration_getter():
    # the configuration class's field default (20 s) read through its getter; a scheduler's setDefaultTimeout is
    # no Redis client
    assert _found([REDIS_CONFIG, HUB_MODULE]) == [("HubModule.java", 8, "timeout", 20000.0)]


DATASTAX_MODULE = ("src/main/java/org/acme/metric/DatastaxMetricModule.java", """package org.acme.metric;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.acme.common.Duration;

public class DatastaxMetricModule {
    private static final Duration DEFAULT_READ_TIMEOUT = new Duration(30, TimeUnit.SECONDS);
    private final Duration readTimeout;

    public DatastaxMetricModule(Optional<Duration> readTimeout) {
        this.readTimeout = readTimeout.orElse(DEFAULT_READ_TIMEOUT);
    }

    public Managed<Connection> connection() {
        return new ManagedSetupConnection(seeds, readTimeout);
    }
}
""")

SETUP_CONNECTION = ("src/main/java/org/acme/metric/ManagedSetupConnection.java", """package org.acme.metric;

import com.datastax.driver.core.SocketOptions;

public class ManagedSetupConnection {
    private final Duration readTimeout;

    public ManagedSetupConnection(List<String> seeds, Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Cluster build() {
        final SocketOptions socketOptions = new SocketOptions()
            .setReadTimeoutMillis((int) readTimeout.toMilliseconds());
        return Cluster.builder().withSocketOptions(socketOptions).build();
    }
}
""")


def test_duration_object_built_from_amount_and_unit_is_a_default(tmp_path):
    # heroic: `new Duration(30, TimeUnit.SECONDS)` as the Optional's fallback, handed to the client's constructor
    # (the setter forwards the constructor's parameter: the contract is at the construction)
    assert _scanned(tmp_path, [DATASTAX_MODULE, SETUP_CONNECTION]) == [("DatastaxMetricModule.java", 16, "timeout", 30000)]


def test_dropwizard_duration_factories():
    code = ("src/main/java/org/acme/pay/CustomJerseyClientConfiguration.java", """package org.acme.pay;

import io.dropwizard.util.Duration;

public class ClientFactory {
    private static final Duration READ_TIMEOUT = Duration.milliseconds(2000L);
    private static final Duration CONNECT_TIMEOUT = Duration.seconds(4);

    public Client client(ClientBuilder builder) {
        return builder
            .property(ClientProperties.READ_TIMEOUT, (int) READ_TIMEOUT.toMilliseconds())
            .property(ClientProperties.CONNECT_TIMEOUT, (int) CONNECT_TIMEOUT.toMilliseconds())
            .build();
    }
}
""")
    from contract_discovery.values import BinOp, Num
    from extractors.java.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract(code[0], code[1].encode()).symbols
    assert symbols["READ_TIMEOUT"] == Num(2000.0)
    assert symbols["CONNECT_TIMEOUT"] == BinOp("*", Num(4.0), Num(1000.0))


JOURNAL_DAO = ("src/main/java/org/acme/dao/JournalRecordDaoImpl.java", """package org.acme.dao;

import io.vertx.core.Future;
import io.vertx.core.Promise;

public class JournalRecordDaoImpl {
    private static final int MAX_RETRIES = 5;

    public Future<Void> saveBatch(List<Tuple> tuples, String tenantId) {
        return executeWithRetry(INSERT_SQL, tuples, tenantId, MAX_RETRIES, 100L).mapEmpty();
    }

    private Future<RowSet<Row>> executeWithRetry(String query, List<Tuple> tuples, String tenantId, int retriesLeft,
                                                 long delayMs) {
        return pgClientFactory.createInstance(tenantId)
            .execute(query, tuples)
            .recover(ex -> {
                if (isDeadlock(ex) && retriesLeft > 0) {
                    Promise<RowSet<Row>> promise = Promise.promise();
                    vertx.setTimer(delayMs, tid -> executeWithRetry(query, tuples, tenantId, retriesLeft - 1, delayMs * 2)
                        .onComplete(promise));
                    return promise.future();
                }
                return Future.failedFuture(ex);
            });
    }
}
""")


def test_count_down_recursion_in_a_recover_handler():
    # 5 retries left at the first call: 6 tries, at the call that says how many (the count has no default)
    assert _found([JOURNAL_DAO], "retry") == [("JournalRecordDaoImpl.java", 10, "retry", 6)]


CONSUMER = ("src/main/java/org/acme/kafka/BatchConsumerVerticle.java", """package org.acme.kafka;

import io.reactivex.rxjava3.core.Completable;
import java.util.concurrent.TimeUnit;

public class BatchConsumerVerticle {
    void listen() {
        disposables.add(events()
            .flatMapCompletable(batch -> saveRecords(batch)
                .onErrorResumeNext(error -> {
                    if (error instanceof RebalanceInProgressException) {
                        return Completable.timer(1, TimeUnit.SECONDS)
                            .andThen(saveRecords(batch));
                    }
                    return Completable.complete();
                }))
            .subscribe());
    }

    Completable saveRecords(Batch batch) {
        return repository.save(batch);
    }

    private Completable commitOffset(Map<TopicPartition, OffsetAndMetadata> offsets) {
        return Completable.fromAction(() -> consumer.commit(offsets))
            .onErrorResumeNext(error -> {
                if (error instanceof RebalanceInProgressException) {
                    return Completable.timer(1, TimeUnit.SECONDS);
                }
                return Completable.timer(1, TimeUnit.SECONDS).andThen(commitOffset(offsets));
            })
            .doOnError(error -> log.error("commit failed", error));
    }

    private Completable loadPage(int page) {
        return client.page(page).onErrorResumeNext(error -> fallback(page));
    }

    private Completable fallback(int page) {
        return cache.page(page).onErrorResumeNext(error -> Completable.complete());
    }
}
""")


def test_reactive_error_handlers_that_send_again():
    # the save made again once after a rebalance (2 tries, at the repeated call); the commit made again until it
    # succeeds (null, at the method's name); a fallback to another method or a handler that gives up is no retry
    assert _found([CONSUMER], "retry") == [("BatchConsumerVerticle.java", 13, "retry", 2),
                                           ("BatchConsumerVerticle.java", 24, "retry", None)]


def test_local_file_read_again_with_another_charset_is_no_retry():
    code = ("src/main/java/org/acme/extract/HtmlExtractor.java", """package org.acme.extract;

import java.io.FileInputStream;
import java.io.InputStream;

public class HtmlExtractor {
    public Map<String, String> extract(File sourceFile) throws IOException {
        String charsetGuess = "UTF-8";
        int tries = 0;
        while (tries < 3) {
            try (InputStream in = new FileInputStream(sourceFile)) {
                parser.parse(new InputStreamReader(in, charsetGuess), callback, tries > 0);
                break;
            } catch (ChangedCharSetException e) {
                tries++;
                charsetGuess = e.getCharSetSpec();
            }
        }
        return properties;
    }

    public void upload(File file) throws IOException {
        int attempts = 0;
        while (attempts < 3) {
            try (InputStream in = new FileInputStream(file)) {
                storageClient.upload(bucket, file.getName(), in);
                return;
            } catch (IOException e) {
                attempts++;
            }
        }
    }
}
""")
    # the local re-read is no retry; a loop that reads a file and uploads it is one (3 tries)
    assert _found([code], "retry") == [("HtmlExtractor.java", 24, "retry", 3)]


def test_endless_loop_asking_a_retry_policy_object():
    code = ("src/main/java/org/acme/logic/CommitRetry.java", """package org.acme.logic;

public final class CommitRetry {
    static <T> T commitRetry(Persist persist, CommitAttempt<T> attempt, TryLoopState tls) throws RetryTimeoutException {
        long t1 = tls.currentNanos();
        for (int i = 0; true; i++, t1 = tls.currentNanos()) {
            try {
                return attempt.attempt(persist);
            } catch (RetryException e) {
                if (!tls.retry(t1)) {
                    throw new RetryTimeoutException(i);
                }
            }
        }
    }

    void consume(BlockingQueue<Event> queue) {
        while (true) {
            try {
                handler.handle(queue.take());
            } catch (InterruptedException e) {
                if (!running()) {
                    return;
                }
            }
        }
    }
}
""")
    # the policy object decides when to stop (its bounds are its own: null); a consumer that stops when the service
    # stops is no retry
    assert _found([code], "retry") == [("CommitRetry.java", 6, "retry", None)]


DW_CONFIG = ("dpc-api/src/main/java/org/acme/api/ApiConfiguration.java", """package org.acme.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import org.acme.fhir.configuration.FHIRClientConfiguration;
import org.acme.bluebutton.config.BBClientConfiguration;

public class ApiConfiguration extends Configuration {
    @JsonProperty("bbclient")
    private BBClientConfiguration clientConfiguration = new BBClientConfiguration();

    @JsonProperty("attributionClient")
    private final FHIRClientConfiguration fhirClientConfiguration = new FHIRClientConfiguration();

    public FHIRClientConfiguration getFhirClientConfiguration() {
        return this.fhirClientConfiguration;
    }
}
""")

TIMEOUTS = ("dpc-common/src/main/java/org/acme/fhir/configuration/TimeoutConfiguration.java", """package org.acme.fhir.configuration;

public class TimeoutConfiguration {
    private Integer connectionTimeout;
    private Integer socketTimeout;

    public Integer getConnectionTimeout() { return connectionTimeout; }
    public Integer getSocketTimeout() { return socketTimeout; }
}
""")

FHIR_CLIENT_CONFIG = ("dpc-common/src/main/java/org/acme/fhir/configuration/FHIRClientConfiguration.java", """package org.acme.fhir.configuration;

public class FHIRClientConfiguration {
    private TimeoutConfiguration timeouts;

    public TimeoutConfiguration getTimeouts() { return timeouts; }
}
""")

BB_CLIENT_CONFIG = ("dpc-bluebutton/src/main/java/org/acme/bluebutton/config/BBClientConfiguration.java",
                    """package org.acme.bluebutton.config;

import org.acme.fhir.configuration.TimeoutConfiguration;

public class BBClientConfiguration {
    private TimeoutConfiguration timeouts = new TimeoutConfiguration();

    public TimeoutConfiguration getTimeouts() { return timeouts; }
}
""")

API_MODULE = ("dpc-api/src/main/java/org/acme/api/ApiModule.java", """package org.acme.api;

import org.acme.fhir.configuration.FHIRClientConfiguration;
import org.acme.fhir.configuration.TimeoutConfiguration;

public class ApiModule extends DropwizardAwareModule<ApiConfiguration> {
    public IGenericClient attributionClient(FhirContext ctx) {
        FHIRClientConfiguration fhirClientConfiguration = configuration().getFhirClientConfiguration();
        IRestfulClientFactory factory = ctx.getRestfulClientFactory();
        TimeoutConfiguration timeoutConfiguration = fhirClientConfiguration.getTimeouts();
        factory.setSocketTimeout(timeoutConfiguration.getSocketTimeout());
        return factory.newGenericClient(fhirClientConfiguration.getServerBaseUrl());
    }
}
""")

BB_MODULE = ("dpc-bluebutton/src/main/java/org/acme/bluebutton/BlueButtonClientModule.java", """package org.acme.bluebutton;

import org.acme.bluebutton.config.BBClientConfiguration;
import org.acme.fhir.configuration.TimeoutConfiguration;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;

public class BlueButtonClientModule {
    private final BBClientConfiguration bbClientConfiguration;

    public BlueButtonClientModule(BBClientConfiguration bbClientConfiguration) {
        this.bbClientConfiguration = bbClientConfiguration;
    }

    private RequestConfig requestConfig() {
        final TimeoutConfiguration timeouts = this.bbClientConfiguration.getTimeouts();
        return RequestConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(timeouts.getConnectionTimeout()))
            .build();
    }
}
""")

DW_YAML = ("dpc-api/src/main/resources/application.yml", """bbclient:
  timeouts:
    connectionTimeout: 5000 # ms
attributionClient:
  timeouts:
    socketTimeout: 20000 # ms
""")


def test_dropwizard_configuration_read_through_getter_locals():
    # the YAML key under the field's @JsonProperty name, reached through a local taken from the settings object's
    # getter (the member's class has no default of its own)
    from extractors.spring.extractor import SpringExtractor
    from tests.extractors.java.support import resolve

    results = [EXTRACTOR.extract(path, text.encode()) for path, text in
               (DW_CONFIG, TIMEOUTS, FHIR_CLIENT_CONFIG, BB_CLIENT_CONFIG, API_MODULE, BB_MODULE)]
    results.append(SpringExtractor().extract(DW_YAML[0], DW_YAML[1].encode()))
    found = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                   for f in resolve(results) if f.kind == "timeout")
    assert found == [("ApiModule.java", 11, 20000.0), ("BlueButtonClientModule.java", 18, 5000.0)]


def test_member_default_of_the_class_still_wins_over_the_key():
    # TimeoutConfiguration with its own field default: the class's value (no YAML needed)
    timeouts = (TIMEOUTS[0], TIMEOUTS[1].replace("private Integer socketTimeout;", "private Integer socketTimeout = 7000;"))
    assert _found([DW_CONFIG, timeouts, FHIR_CLIENT_CONFIG, API_MODULE]) == [("ApiModule.java", 11, "timeout", 7000.0)]


def test_message_sent_again_with_its_try_count_in_a_header():
    code = ("src/main/java/org/acme/reporting/ReportingErrorHandler.java", """package org.acme.reporting;

import org.springframework.beans.factory.annotation.Value;

public class ReportingErrorHandler implements ErrorHandler {
    private final String RETRY_COUNT_HEADER = "x-retry-count";

    @Value("${reporting.retry.max-count:20}")
    private Integer maxRetryCount;

    @Override
    public void handleError(Throwable t) {
        Message failedMessage = ((ListenerExecutionFailedException) t).getFailedMessage();
        int retryCount = getRetryCount(failedMessage.getMessageProperties());
        if (checkRetryExceeded(retryCount)) {
            rabbitTemplate.send(PARKING_LOT, failedMessage);
            return;
        }
        failedMessage.getMessageProperties().setHeader(RETRY_COUNT_HEADER, retryCount + 1);
        rabbitTemplate.send(RETRY_EXCHANGE, retryQueue(retryCount), failedMessage);
    }

    public boolean isBlocked(String ip) {
        int attempts = failures.get(ip);
        if (attempts >= MAX_ATTEMPTS) {
            return true;
        }
        failures.put(ip, attempts + 1);
        return false;
    }

    private boolean checkRetryExceeded(long retries) {
        return retries >= maxRetryCount;
    }
}
""")
    # deliveries with the count 0..20: 21; a failed-login counter (nothing sent again) is no retry
    assert _found([code], "retry") == [("ReportingErrorHandler.java", 15, "retry", 21)]


def test_loop_that_calls_again_while_the_call_asks_to_be_retried():
    code = ("src/main/java/org/acme/consumer/ConsumerThread.java", """package org.acme.consumer;

public class ConsumerThread {
    private void consumeOneWithRetry(final byte[] body) throws InterruptedException {
        long sleep = RETRY_INITIAL_SLEEP;
        while (shouldStop.getCount() > 0) {
            final boolean retry = consumeOne(body);
            if (retry) {
                shouldStop.await(sleep, TimeUnit.SECONDS);
                sleep = Math.min(sleep * 2, RETRY_MAX_SLEEP);
                continue;
            }
            break;
        }
    }

    private void drain() {
        while (running) {
            final boolean more = fetchPage();
            if (more) {
                continue;
            }
            break;
        }
    }
}
""")
    # the hand-off made again until it is accepted (null); paging on while there is more is no retry
    assert _found([code], "retry") == [("ConsumerThread.java", 6, "retry", None)]


def test_datastax_pool_timeout_given_directly_or_only_when_configured():
    code = ("src/main/java/org/acme/metric/DatastaxPoolingOptions.java", """package org.acme.metric;

import com.datastax.driver.core.PoolingOptions;

public class DatastaxPoolingOptions {
    private final Optional<Integer> poolTimeoutMillis;
    private final Optional<Integer> idleTimeoutSeconds;

    public void apply(final Cluster.Builder builder) {
        final PoolingOptions pooling = new PoolingOptions();
        this.poolTimeoutMillis.ifPresent(pooling::setPoolTimeoutMillis);
        this.idleTimeoutSeconds.ifPresent(pooling::setIdleTimeoutSeconds);
        builder.withPoolingOptions(pooling);
    }

    public PoolingOptions fixed() {
        return new PoolingOptions().setPoolTimeoutMillis(5000);
    }
}
""")
    # the acquire wait applied only when configured (null) and a fixed one; not the idle timeout
    assert _found([code]) == [("DatastaxPoolingOptions.java", 11, "timeout", None),
                              ("DatastaxPoolingOptions.java", 17, "timeout", 5000.0)]


def test_error_handlers_that_fall_back_or_repair_first_are_no_resend():
    code = ("src/main/java/org/acme/upload/Uploader.java", """package org.acme.upload;

public class Uploader {
    private Future<String> moveAtomicallyWithFallBack(String source, String target) {
        return fs.move(source, target, new CopyOptions().setAtomicMove(true))
                 .recover(cause -> {
                     if (cause instanceof AtomicMoveNotSupportedException) {
                         return fs.move(source, target, new CopyOptions().setAtomicMove(false));
                     }
                     return Future.failedFuture(cause);
                 });
    }

    public Mono<String> deleteHold(String requestId) {
        return client.deleteHoldRequest(requestId)
            .onErrorResume(HttpClientResponseException.class, error -> this.cancelHold(requestId)
                .flatMap(cancelled -> client.deleteHoldRequest(requestId)));
    }
}
""")
    # a fallback with other options, a repair made before the call again: not the same call sent again
    assert _found([code], "retry") == []


def test_a_finished_future_made_again_in_an_error_handler_is_no_resend():
    code = ("src/main/java/org/acme/pubsub/KafkaTopicServiceImpl.java", """package org.acme.pubsub;

import static io.vertx.core.Future.succeededFuture;

public class KafkaTopicServiceImpl {
    public Future<Void> createTopics(List<String> eventTypes, String tenantId) {
        return succeededFuture()
            .compose(r -> kafkaAdminClientService.createKafkaTopics(topics, tenantId))
            .onFailure(e -> LOGGER.error("not created", e))
            .recover(e -> succeededFuture());
    }
}
""")
    assert _found([code], "retry") == []
