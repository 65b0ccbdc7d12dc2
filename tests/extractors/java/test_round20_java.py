"""Round 20 (Java): shapes the held-out sets of round 20 found at their first scan (knowstreaming, ab2d, dpc-app,
sbomer, sunbird-userorg-service, kogito-jobs-service)."""

from __future__ import annotations

from tests.extractors.java.test_round19_java import _found, _scanned

# KnowStreaming's ES helper: a do-loop that queries again while the answer is missing, bounded by a count handed in
ES_CLIENT = ("src/main/java/com/acme/km/persistence/es/ESOpClient.java", """package com.acme.km.persistence.es;

public class ESOpClient {
    @Value("${es.client.max-retry-cnt:5}")
    private Integer maxRetryCnt;

    public ESQueryResponse performRequest(String indexName, String queryDsl) {
        return doQuery(new ESQueryRequest().indices(indexName).source(queryDsl));
    }

    public <R> R performRequest(String indexName, String queryDsl, Function<ESQueryResponse, R> func, int tryTimes) {
        ESQueryResponse esQueryResponse;
        do {
            esQueryResponse = doQuery(new ESQueryRequest().indices(indexName).source(queryDsl));
        } while (tryTimes-- > 0 && null == esQueryResponse);
        return func.apply(esQueryResponse);
    }

    public boolean index(String indexName, String id, String source) {
        ESIndexResponse response = null;
        try {
            ESClient esClient = this.getESClientFromPool();
            for (int i = 0; i < this.maxRetryCnt; ++i) {
                response = esClient.index(indexName, id, source);
                if (response == null) {
                    continue;
                }
                return response.ok();
            }
        } catch (Exception e) {
            LOGGER.error("index failed", e);
        }
        return false;
    }

    private ESQueryResponse doQuery(ESQueryRequest request) {
        return null;
    }
}
""")

BASE_DAO = ("src/main/java/com/acme/km/persistence/es/BaseESDAO.java", """package com.acme.km.persistence.es;

public abstract class BaseESDAO {
    protected static final ILog LOGGER = LoggerUtil.getESLogger();

    @Autowired
    protected ESOpClient esOpClient;
}
""")

METRIC_DAO = ("src/main/java/com/acme/km/persistence/es/dao/BaseMetricESDAO.java", """package com.acme.km.persistence.es.dao;

import com.acme.km.persistence.es.BaseESDAO;

public class BaseMetricESDAO extends BaseESDAO {
    protected static final int FIVE_MIN = 5 * 60 * 1000;
}
""")

CONSTANTS = ("src/main/java/com/acme/km/common/constant/ESConstant.java", """package com.acme.km.common.constant;

public class ESConstant {
    public static final Integer DEFAULT_RETRY_TIME = 3;
}
""")

BROKER_DAO = ("src/main/java/com/acme/km/persistence/es/dao/BrokerMetricESDAO.java", """package com.acme.km.persistence.es.dao;

import static com.acme.km.common.constant.ESConstant.*;

public class BrokerMetricESDAO extends BaseMetricESDAO {
    public Long countBrokers(String index, String dsl) {
        return esOpClient.performRequest(
                index,
                dsl,
                s -> handle(s),
                DEFAULT_RETRY_TIME
        );
    }

    public Long countOnce(String index, String dsl) {
        return esOpClient.performRequest(index, dsl, s -> handle(s), 0);
    }

    public Long latest(String index, String dsl) {
        return handle(esOpClient.performRequest(index, dsl));
    }
}
""")


def test_do_loop_while_answer_missing_through_an_inherited_field():
    # rule (c) at each call of the helper: tryTimes 3 -> 4 tries (the do-loop runs once before its check), 0 -> 1;
    # the field is declared two classes up; the constant comes through a static wildcard import
    found = _found([ES_CLIENT, BASE_DAO, METRIC_DAO, CONSTANTS, BROKER_DAO], "retry")
    assert ("BrokerMetricESDAO.java", 7, "retry", 4) in found
    assert ("BrokerMetricESDAO.java", 16, "retry", 1) in found
    assert not any(f[0] == "BrokerMetricESDAO.java" and f[1] == 20 for f in found)  # the overload without tries


def test_for_loop_that_continues_while_no_answer_came():
    # `for (i < maxRetryCnt) { r = call(); if (r == null) continue; return ..; }`: maxRetryCnt tries (5)
    assert ("ESOpClient.java", 23, "retry", 5) in _found([ES_CLIENT], "retry")


def test_call_through_a_local_of_the_same_name_is_not_an_inherited_field():
    local = ("src/main/java/com/acme/km/persistence/es/dao/OtherDAO.java", """package com.acme.km.persistence.es.dao;

public class OtherDAO extends BaseMetricESDAO {
    public Long count(String index, String dsl) {
        Other esOpClient = new Other();
        return esOpClient.performRequest(index, dsl, s -> handle(s), 3);
    }
}
""")
    assert not any(f[0] == "OtherDAO.java" for f in _found([ES_CLIENT, BASE_DAO, METRIC_DAO, local], "retry"))


# ab2d's scheduled tasks: a do-loop that runs the work again while its result is a retryable failure
TASKS = ("src/main/java/com/acme/coverage/CoverageTasks.java", """package com.acme.coverage;

public class CoverageTasks {
    public void copyAll() {
        for (String contract : contracts) {
            val result = executeWithRetry(
                    () -> syncService.copy(contract),
                    List.of(SYNC_FAILED, LOCK_FAILED),
                    5,
                    Duration.ofSeconds(15));
        }
    }

    private SyncResult executeWithRetry(Supplier<SyncResult> supplier, List<SyncResult> retryableStates,
                                        int maxNumAttempts, Duration sleepTime) throws Exception {
        int attempts = 0;
        SyncResult result = null;
        do {
            attempts++;
            result = supplier.get();
            if (!retryableStates.contains(result)) {
                return result;
            }
            try {
                Thread.sleep(sleepTime.toMillis());
            } catch (InterruptedException e) {
                throw e;
            }
        }
        while (attempts <= maxNumAttempts);
        return result;
    }
}
""")


def test_do_loop_again_while_result_is_retryable():
    # attempts counted from 0 up to maxNumAttempts inclusive: 6 tries at the call passing 5 (rule c)
    assert _found([TASKS], "retry") == [("CoverageTasks.java", 6, "retry", 6)]


def test_loops_that_are_no_retry():
    code = ("src/main/java/com/acme/Drain.java", """package com.acme;

public class Drain {
    public void drain(int maxAttempts) {
        int attempts = 0;
        Item item;
        do {
            item = queue.poll();
            process(item);
        } while (attempts++ < maxAttempts);
    }

    public Status waitDone(int maxRetries) {
        int retries = 0;
        Status status;
        do {
            status = client.status();
            if (status == Status.DONE) {
                return status;
            }
            Thread.sleep(100);
        } while (retries++ < maxRetries);
        return status;
    }

    public void run() {
        drain(3);
        waitDone(5);
    }
}
""")
    # a loop that processes each item (no answer checked) and a poll waiting for a state: neither is a retry
    assert _found([code], "retry") == []


def test_module_named_like_build_output_is_scanned(tmp_path):
    # CMS AB2D's `coverage` Maven module (coverage/src/main/java): a module, not a coverage report
    module = ("coverage/src/main/java/com/acme/coverage/SyncService.java", """package com.acme.coverage;

public class SyncService {
    @Transactional(timeout = 3600)
    public void sync() { repository.copy(); }
}
""")
    report = ("web/coverage/Api.java", """package x;
public class Api { @Transactional(timeout = 20) public void f() {} }
""")
    assert _scanned(tmp_path, [module, report]) == [("SyncService.java", 4, "timeout", 3600000)]


def test_akka_ask_of_a_local_actor_is_no_call_but_a_remote_one_is():
    local = ("src/main/java/org/acme/actor/UserActor.java", """package org.acme.actor;

import akka.actor.ActorRef;
import akka.pattern.Patterns;
import akka.util.Timeout;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.Duration;

public class UserActor {
    public Object save(ActorRef actorRef, Object request) throws Exception {
        Timeout t = new Timeout(Duration.create(10, TimeUnit.SECONDS));
        Future<Object> future = Patterns.ask(actorRef, request, t);
        return Await.result(future, t.duration());
    }
}
""")
    remote = ("src/main/java/org/acme/remote/AkkaTransporter.java", """package org.acme.remote;

import akka.actor.ActorSelection;
import akka.pattern.Patterns;

public class AkkaTransporter {
    private static final String AKKA_NODE_PATH = "akka://%s@%s/user/%s";

    public Object ask(ActorSelection actorSelection, Object request) {
        return Patterns.ask(actorSelection, request, Duration.ofMillis(5000));
    }
}
""")
    # the ask of an actor of this JVM and the wait on its reply are local work; the ask by path of a remote node stays
    assert _found([local, remote], "timeout") == [("AkkaTransporter.java", 10, "timeout", 5000)]


def test_scala_await_on_a_store_future():
    helper = ("src/main/java/org/acme/es/ElasticSearchHelper.java", """package org.acme.es;

import akka.util.Timeout;
import scala.concurrent.Await;
import scala.concurrent.Future;

public class ElasticSearchHelper {
    public static final int WAIT_TIME = 5;
    public static Timeout timeout = new Timeout(WAIT_TIME, TimeUnit.SECONDS);

    public static Object getResponseFromFuture(Future future) {
        try {
            return Await.result(future, timeout.duration());
        } catch (Exception e) {
            return null;
        }
    }

    public static Object search(Future response) throws Exception {
        Timeout timeout = new Timeout(30, TimeUnit.SECONDS);
        return Await.result(response, timeout.duration());
    }
}
""")
    assert _found([helper], "timeout") == [("ElasticSearchHelper.java", 13, "timeout", 5000),
                                            ("ElasticSearchHelper.java", 21, "timeout", 30000)]


def test_block_on_a_local_holding_a_webclient_exchange():
    code = ("src/main/java/org/acme/hpms/AuthService.java", """package org.acme.hpms;

public class AuthService {
    private WebClient webClient;

    void refresh() {
        Mono<AuthResponse> orgInfoMono = webClient
                .post().uri(authUri)
                .exchangeToMono(response -> response.bodyToMono(AuthResponse.class));
        AuthResponse r = orgInfoMono.block(Duration.ofMinutes(1));
        Mono<String> local = Mono.just("x");
        String s = local.block(Duration.ofSeconds(1));
    }
}
""")
    assert _found([code], "timeout") == [("AuthService.java", 10, "timeout", 60000)]


def test_quarkus_transaction_timeouts():
    code = ("src/main/java/org/acme/release/ReleaseListener.java", """package org.acme.release;

import io.quarkus.narayana.jta.QuarkusTransaction;

public class ReleaseListener {
    protected static final int INCREASED_TIMEOUT_SEC = 600;

    void save() {
        QuarkusTransaction.begin(QuarkusTransaction.beginOptions().timeout(INCREASED_TIMEOUT_SEC));
        QuarkusTransaction.requiringNew().timeout(30).run(() -> repository.persist(x));
        options.timeout(5);
    }
}
""")
    assert _found([code], "timeout") == [("ReleaseListener.java", 9, "timeout", 600000),
                                          ("ReleaseListener.java", 10, "timeout", 30000)]


def test_datastax_stock_retry_policies():
    code = ("src/main/java/org/acme/cassandra/ConnectionManager.java", """package org.acme.cassandra;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.policies.DefaultRetryPolicy;
import com.datastax.driver.core.policies.FallthroughRetryPolicy;

public class ConnectionManager {
    Cluster create(String[] hosts) {
        return Cluster.builder().addContactPoints(hosts).withRetryPolicy(DefaultRetryPolicy.INSTANCE).build();
    }

    Cluster noRetry(String[] hosts) {
        return Cluster.builder().addContactPoints(hosts).withRetryPolicy(FallthroughRetryPolicy.INSTANCE).build();
    }

    Cluster custom(String[] hosts) {
        return Cluster.builder().addContactPoints(hosts).withRetryPolicy(new MyRetryPolicy()).build();
    }
}
""")
    assert _found([code], "retry") == [("ConnectionManager.java", 9, "retry", 2), ("ConnectionManager.java", 13, "retry", 1)]


def test_config_property_default_from_a_config_mapping_interface():
    mapping = ("src/main/java/org/acme/recipient/HttpRecipientConfiguration.java", """package org.acme.recipient;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "kogito.job.recipient.http")
public interface HttpRecipientConfiguration {
    @WithDefault("180000")
    long timeoutInMillis();
}
""")
    base = ("src/main/java/org/acme/recipient/RequestExecutor.java", """package org.acme.recipient;

public abstract class RequestExecutor {
    protected long timeout;

    protected RequestExecutor(long timeout, Vertx vertx) {
        this.timeout = timeout;
    }

    protected Uni<HttpResponse<Buffer>> execute(String url) {
        return client.requestAbs(HttpMethod.POST, url).timeout(timeout).send();
    }
}
""")
    executor = ("src/main/java/org/acme/recipient/HttpJobExecutor.java", """package org.acme.recipient;

import org.eclipse.microprofile.config.inject.ConfigProperty;

public class HttpJobExecutor extends RequestExecutor {
    public HttpJobExecutor(@ConfigProperty(name = "kogito.job.recipient.http.timeout-in-millis") long timeout,
                           Vertx vertx) {
        super(timeout, vertx);
    }
}
""")
    assert ("HttpJobExecutor.java", 8, "timeout", 180000) in _found([mapping, base, executor], "timeout")


def test_spel_literal_default_of_a_placeholder(tmp_path):
    props = ("src/main/resources/application.properties",
             "api.okta-connection-timeout=${AB2D_OKTA_CONNECTION_TIMEOUT:#{5}}\n")
    config = ("src/main/java/org/acme/api/JwtConfig.java", """package org.acme.api;

public class JwtConfig {
    @Bean
    public AccessTokenVerifier verifier(@Value("${api.okta-connection-timeout}") int oktaConnectionTimeout) {
        return JwtVerifiers.accessTokenVerifierBuilder()
                .setConnectionTimeout(Duration.ofSeconds(oktaConnectionTimeout))
                .build();
    }
}
""")
    assert _scanned(tmp_path, [props, config]) == [("JwtConfig.java", 7, "timeout", 5000)]


def test_catch_that_recreates_a_local_directory_is_no_retry():
    code = ("src/main/java/org/acme/worker/JobProcessor.java", """package org.acme.worker;

public class JobProcessor {
    private FileService fileService;

    private void createOutputDirectory(Path outputDirPath) {
        try {
            fileService.createDirectory(outputDirPath);
        } catch (UncheckedIOException e) {
            deleteExistingDirectory(outputDirPath);
            fileService.createDirectory(outputDirPath);
        }
    }
}
""")
    assert _found([code], "retry") == []


def test_future_of_a_task_built_with_a_client():
    code = ("src/main/java/org/acme/events/KinesisEventLogger.java", """package org.acme.events;

public class KinesisEventLogger {
    private final KinesisAsyncClient client;

    public void log(Event event) throws Exception {
        ThreadPoolTaskExecutor ex = config.kinesisLogProcessingPool();
        KinesisEventProcessor processor = new KinesisEventProcessor(event, client, streamId);
        Future<Void> future = ex.submit(processor);
        future.get(10, TimeUnit.SECONDS);
        Future<Void> local = ex.submit(new Compressor(event));
        local.get(5, TimeUnit.SECONDS);
    }
}
""")
    assert _found([code], "timeout") == [("KinesisEventLogger.java", 10, "timeout", 10000)]


def test_unbounded_retry_of_a_polling_stream_is_no_retry():
    code = ("src/main/java/org/acme/engine/AggregationEngine.java", """package org.acme.engine;

import io.reactivex.Observable;

public class AggregationEngine {
    void pollQueue() {
        this.subscribe = this.createQueueObserver()
                .repeatWhen(completed -> completed.delay(pollingFrequency, TimeUnit.MILLISECONDS))
                .doOnError(error -> logger.error("Unable to complete job.", error))
                .retry()
                .subscribe(this::processJobBatch);
    }

    Single<String> fetch() {
        return Single.fromCallable(() -> client.get(url)).retry(3);
    }
}
""")
    assert _found([code], "retry") == [("AggregationEngine.java", 15, "retry", 4)]
