"""Round 16 (held-out sets secor, waggle-dance, brooklin, metacat): settings maps filled under constant keys
(``properties.put(HttpClientFactory.HTTP_REQUEST_TIMEOUT, "10000")``, Hive/Hadoop ``conf.setInt(KEY, ms)``) and
retry counts put the same way (``hiveConf.setInt(HIVE_METASTORE_DS_RETRY, 0)``: one try); dotted keys with an
underscore (``transport.tcp.connect_timeout`` "60s"); a Kafka key behind a prefix; the legacy Kafka consumer's
``consumer.timeout.ms`` (a poll, not reported); Elasticsearch ``actionGet(TimeValue)`` / a request builder's
``.get(TimeValue)`` and ``setRetryOnConflict(n)``; Thrift ``new TSocket(host, port, socketMs[, connectMs])``, the legacy
``SimpleConsumer``'s socket timeout and Curator's ``blockUntilConnected(30, SECONDS)``."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _findings(path: str, source: str):
    return resolve([EXTRACTOR.extract(path, source.encode())])


def _retries(source: str, path: str = "src/main/java/org/acme/T.java"):
    return sorted((f.line, f.attributes.get("max_attempts")) for f in _findings(path, source) if f.kind == "retry")


def _timeouts(source: str, path: str = "src/main/java/org/acme/T.java"):
    return sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                  for f in _findings(path, source) if f.kind == "timeout")


SETTINGS_MAPS = """package org.acme;

import java.util.Map;

public class Settings {
    HiveConf hive() {
        final HiveConf result = new HiveConf();
        result.setInt(HiveConfigConstants.JAVAX_JDO_DATASTORETIMEOUT, 60000);
        result.setInt(HiveConfigConstants.HIVE_METASTORE_DS_RETRY, 0);
        result.setInt(HiveConfigConstants.SESSION_TIMEOUT, 5000);
        result.setInt(HiveConfigConstants.RETRY_DELAY, 500);
        return result;
    }

    void http() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(HttpClientFactory.HTTP_REQUEST_TIMEOUT, "10000");
        properties.put(HttpClientFactory.HTTP_MAX_RESPONSE_SIZE, "256000000");
        response.put(TIMEOUT, 5000);
        stats.put(MAX_RETRIES, 3);
        String timeout = "the timeout word in a string";
        Settings s = Settings.builder().put("cluster.name", "x").put("transport.tcp.connect_timeout", "60s").build();
        props.put("consumer.timeout.ms", "10000");
        props.putIfAbsent(DOMAIN_PRODUCER + "." + ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put("rebalance.max.retries", "5");
        props.put("rebalance.backoff.ms", "2000");
        factory.create(properties);
    }
}
"""


def test_constant_keyed_settings_maps():
    assert _timeouts(SETTINGS_MAPS) == [(8, "total", 60000.0), (17, "total", 10000.0), (22, "connect", 60000.0),
                                        (24, "total", 30000.0)]
    # retries 0 turns retrying off (one try); 5 retries are 6 tries; a delay, a session timeout, a map that is not
    # a client's settings (`response`, `stats`) and the poll wait of the legacy consumer are not reported
    assert _retries(SETTINGS_MAPS) == [(9, 1), (25, 6)]


ELASTICSEARCH = """package org.acme;

import org.elasticsearch.client.Client;
import org.elasticsearch.common.unit.TimeValue;

public class Indexer {
    private static final int NO_OF_CONFLICT_RETRIES = 3;
    private static final TimeValue FIXED = TimeValue.timeValueSeconds(5);
    private final TimeValue esCallTimeout;
    private final TimeValue esBulkCallTimeout;

    Indexer(Config config) {
        this.esCallTimeout = TimeValue.timeValueSeconds(config.getElasticSearchCallTimeout());
        this.esBulkCallTimeout = TimeValue.timeValueSeconds(120);
    }

    void index() {
        client.prepareDelete(index, type, id).execute().actionGet(esCallTimeout);
        client.prepareUpdate(index, type, id)
            .setRetryOnConflict(NO_OF_CONFLICT_RETRIES).setDoc(builder).get(esCallTimeout);
        bulkRequest.execute().actionGet(esBulkCallTimeout);
        request.execute().actionGet(FIXED);
        request.execute().actionGet();
        cache.get(key);
        final SearchResponse response = client.prepareSearch(index)
            .setScroll(new TimeValue(config.getElasticSearchScrollTimeout()))
            .execute()
            .actionGet(esCallTimeout);
    }
}
"""


def test_elasticsearch_waits_and_conflict_retries():
    assert _timeouts(ELASTICSEARCH) == [(18, "total", None), (20, "total", None), (21, "total", 120000.0),
                                        (22, "total", 5000.0), (28, "total", None)]
    assert _retries(ELASTICSEARCH) == [(20, 4)]


def test_actionget_outside_elasticsearch_is_not_a_wait():
    source = ELASTICSEARCH.replace("org.elasticsearch.client.Client", "org.acme.Client").replace(
        "org.elasticsearch.common.unit.TimeValue", "org.acme.TimeValue")
    assert [t for t in _timeouts(source) if t[0] in (18, 21, 22, 28)] == []
    assert _retries(source) == []


THRIFT = """package org.acme;

import org.apache.curator.framework.CuratorFramework;
import org.apache.thrift.transport.TSocket;
import kafka.javaapi.consumer.SimpleConsumer;

public class Clients {
    void open(String host, int port) {
        int clientSocketTimeout = (int) conf.getTimeVar(ConfVars.METASTORE_CLIENT_SOCKET_TIMEOUT, TimeUnit.MILLISECONDS);
        TSocket socket = new TSocket(host, port, clientSocketTimeout);
        TSocket both = new TSocket(host, port, 5000, 2000);
        SimpleConsumer consumer = new SimpleConsumer(host, port, 100000, 64 * 1024, "leaderLookup");
        boolean connected = curator.blockUntilConnected(30, TimeUnit.SECONDS);
        TSocket plain = new TSocket(host, port);
    }
}
"""


def test_thrift_sockets_simple_consumer_and_curator_connect_wait():
    assert _timeouts(THRIFT) == [(10, "read", None), (11, "connect", 2000.0), (11, "read", 5000.0),
                                 (12, "read", 100000.0), (13, "connect", 30000.0)]


def test_tsocket_read_timeout_survives_a_forwarded_connect_parameter():
    source = """package org.acme;

import org.apache.thrift.transport.TSocket;

public class Manager {
    private final int connectionTimeout;

    public Manager(final int connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    void open(String host, int port) {
        int socketTimeout = (int) conf.getTimeVar(ConfVars.METASTORE_CLIENT_SOCKET_TIMEOUT, TimeUnit.MILLISECONDS);
        TSocket transport = new TSocket(host, port, socketTimeout, connectionTimeout);
    }
}
"""
    # the connect limit is the constructor's parameter (valued where the class is built, dropped by the pipeline as
    # a forwarder at its own line and column); the read limit, at another column, stays
    found = [f for f in _findings("src/main/java/org/acme/T.java", source) if f.kind == "timeout"]
    assert sorted((f.line, f.attributes.get("phase")) for f in found) == [(14, "connect"), (14, "read")]
    assert len({(f.line, f.column) for f in found}) == 2


GUAVA_RETRYING = """package org.acme;

import com.github.rholder.retry.Retryer;
import com.github.rholder.retry.RetryerBuilder;
import com.github.rholder.retry.StopStrategies;
import com.github.rholder.retry.StopStrategy;

public class Storage {
    private static final StopStrategy DEFAULT_RETRY_STOP_STRATEGY = StopStrategies.stopAfterAttempt(100);
    private static final StopStrategy INLINE_STOP = StopStrategies.stopAfterAttempt(4);
    private static final Retryer<Void> UNUSED_RETRYER = RetryerBuilder.<Void>newBuilder()
        .retryIfExceptionOfType(IllegalStateException.class)
        .withStopStrategy(StopStrategies.stopAfterAttempt(3))
        .build();
    private static final Retryer<Void> USED_RETRYER = RetryerBuilder.<Void>newBuilder()
        .withStopStrategy(StopStrategies.stopAfterAttempt(5))
        .build();
    private final Retryer<Void> inline = RetryerBuilder.<Void>newBuilder().withStopStrategy(INLINE_STOP).build();

    Storage(Connection connection) {
        this(connection, DEFAULT_RETRY_STOP_STRATEGY);
    }

    void write() throws Exception {
        USED_RETRYER.call(() -> null);
        inline.call(() -> null);
    }
}
"""


def test_guava_stop_strategy_constants_handed_on_and_unused_retryers():
    # the constant handed to a constructor is no retry where it is written; the retryer nobody uses is none either;
    # a constant given to `.withStopStrategy(INLINE_STOP)` and a used retryer stay
    assert _retries(GUAVA_RETRYING) == [(10, 4), (16, 5)]


def test_thrift_server_request_timeout_unit():
    source = """package org.acme;

import org.apache.thrift.server.TThreadPoolServer;

public class Server {
    void start() {
        TThreadPoolServer.Args args = new TThreadPoolServer.Args(serverSocket)
            .minWorkerThreads(minWorkerThreads)
            .requestTimeout(configuration.getThriftServerRequestTimeout())
            .requestTimeoutUnit(configuration.getThriftServerRequestTimeoutUnit());
        TThreadPoolServer.Args fixed = new TThreadPoolServer.Args(serverSocket)
            .requestTimeout(500)
            .requestTimeoutUnit(TimeUnit.MILLISECONDS);
        TThreadPoolServer.Args plain = new TThreadPoolServer.Args(serverSocket).requestTimeout(20);
    }
}
"""
    assert _timeouts(source) == [(9, "total", None), (12, "total", 500.0), (14, "total", 20000.0)]


def test_private_getter_that_starts_from_a_default():
    source = """package org.acme;

public class HiveConfig {
    private static final int DEFAULT_DATASTORE_READ_TIMEOUT = 120000;

    public JdbcTemplate readTemplate(final ConnectorContext context, final DataSource dataSource) {
        final JdbcTemplate result = new JdbcTemplate(dataSource);
        result.setQueryTimeout(getDataStoreReadTimeout(context) / 1000);
        return result;
    }

    public JdbcTemplate otherTemplate(final ConnectorContext context, final DataSource dataSource) {
        final JdbcTemplate result = new JdbcTemplate(dataSource);
        result.setQueryTimeout(getComputed(context) / 1000);
        return result;
    }

    private int getDataStoreReadTimeout(final ConnectorContext context) {
        int result = DEFAULT_DATASTORE_READ_TIMEOUT;
        if (context.getConfiguration().containsKey("javax.jdo.option.DatastoreReadTimeoutMillis")) {
            result = Integer.parseInt(context.getConfiguration().get("javax.jdo.option.DatastoreReadTimeoutMillis"));
        }
        return result;
    }

    private int getComputed(final ConnectorContext context) {
        int result = DEFAULT_DATASTORE_READ_TIMEOUT;
        if (context.isFast()) {
            return 1000;
        }
        return result;
    }
}
"""
    # the default unless the deployment sets the key; a method that may return something else is not read
    assert _timeouts(source) == [(8, "read", 120000.0), (14, "read", None)]


def test_aws_sdk_v2_retry_modes_and_camel_spring_transaction_error_handler():
    source = """package org.acme;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;

public class Aws {
    ClientOverrideConfiguration sns() {
        return ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .build();
    }

    ClientOverrideConfiguration legacy() {
        return ClientOverrideConfiguration.builder().retryPolicy(RetryMode.LEGACY).build();
    }

    ClientOverrideConfiguration custom(RetryMode mode) {
        return ClientOverrideConfiguration.builder().retryStrategy(mode).build();
    }
}
"""
    assert _retries(source) == [(9, 3), (14, 4)]
    camel = """package org.acme;

public abstract class TransactionalRoutes extends BaseRouteBuilder {
    @Override
    public void configure() {
        errorHandler(springTransactionErrorHandler()
                .redeliveryDelay(redeliveryDelay)
                .maximumRedeliveries(3)
                .useExponentialBackOff());
    }
}
"""
    assert _retries(camel) == [(8, 4)]


def test_invoke_all_in_a_helper_that_derives_its_wait_from_a_parameter():
    source = """package org.acme;

public class PanopticExecutor {
    public <T> List<T> executeRequests(List<Callable<List<T>>> allRequests, long requestTimeout, String errorMessage) {
        long totalTimeout = getTotalTimeout(requestTimeout, allRequests);
        futures = executorService.invokeAll(allRequests, totalTimeout, TimeUnit.MILLISECONDS);
        long fixed = computeTimeout(allRequests);
        more = executorService.invokeAll(allRequests, fixed, TimeUnit.MILLISECONDS);
        done = executorService.invokeAll(allRequests, 5, TimeUnit.SECONDS);
        return null;
    }
}
"""
    assert _timeouts(source) == [(8, "total", None), (9, "total", 5000.0)]


def test_deadline_wait_for_a_remote_command_is_a_helper_timeout():
    source = """package org.acme;

public class QuboleClient {
    private static final long WAIT_MS = 300000;

    private void waitForCompletion(int commandId, long timeout) throws Exception {
        URL url = new URL("https://api.qubole.com/api/v1.2/commands/" + commandId);
        long endTime = System.currentTimeMillis() + timeout;
        while (System.currentTimeMillis() < endTime) {
            Map response = makeRequest(url, null);
            if (response.get("status").equals("done")) {
                return;
            }
            Thread.sleep(3000);
        }
        throw new IOException("failed to return within timeout.");
    }

    private void waitForLocalFlag(long timeout) throws Exception {
        long endTime = System.currentTimeMillis() + timeout;
        while (System.currentTimeMillis() < endTime) {
            if (started.get()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    public void addPartition(int id) throws Exception {
        waitForCompletion(id, WAIT_MS);
        waitForLocalFlag(WAIT_MS);
    }
}
"""
    # the helper's own deadline is its parameter (forwarded); the call passing the value holds the contract; a wait
    # on a local flag is none
    found = [(f.line, f.attributes.get("timeout_ms"), f.attributes.get("budget"))
             for f in _findings("src/main/java/org/acme/QuboleClient.java", source) if f.kind == "timeout"]
    assert (30, 300000.0, "wait") in found
    assert all(line not in (20, 31) for line, _, _ in found)


def test_a_settings_record_stored_for_later_is_no_client_configuration():
    source = """package org.acme;

public class RestRequestBuilder {
    @PostConstruct
    private void init() {
        for (String serviceName : serviceNames) {
            HashMap<String, String> propertiesMap = new HashMap<>();
            propertiesMap.put(REST_TIMEOUT, env.getProperty(serviceName.concat(REST_TIMEOUT)));
            propertiesMap.put(MAX_RETRIES, env.getProperty(serviceName.concat(MAX_RETRIES)));
            mapBuilder.put(serviceName, propertiesMap);
        }
    }

    RestClient client(String uri) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(HttpClientFactory.HTTP_REQUEST_TIMEOUT, "10000");
        return FACTORY.getClient(uri, properties);
    }
}
"""
    assert _timeouts(source) == [(16, "total", 10000.0)]
    assert _retries(source) == []


def test_a_constant_key_put_only_when_configured_is_not_counted():
    source = """package org.acme;

public class FileIOFactory {
    Map<String, String> props(S3AccessConfig s3AccessConfig) {
        Map<String, String> properties = new HashMap<>();
        s3AccessConfig
            .readTimeout()
            .ifPresent(
                d ->
                    properties.put(
                        HttpClientProperties.APACHE_SOCKET_TIMEOUT_MS, String.valueOf(d.toMillis())));
        properties.put(HttpClientProperties.APACHE_CONNECTION_TIMEOUT_MS, "5000");
        return properties;
    }
}
"""
    assert _timeouts(source) == [(12, "connect", 5000.0)]


LOGGED_SETTINGS = """package org.acme;

import java.util.Map;
import java.util.TreeMap;

public class ResolverConfig {
    void logConfigAtStartup(@Observes Startup event) {
        Map<String, Object> config = new TreeMap<>();
        config.put(RETRY_MAX_ATTEMPTS, getMaxRetryAttempts());
        config.put(KESSEL_TIMEOUT_MS, getKesselTimeoutMs());
        Log.info("=== Startup configuration ===");
        config.forEach((key, value) -> Log.infof("%s=%s", key, value));
    }

    Map<String, Object> clientConfig() {
        Map<String, Object> config = new TreeMap<>();
        config.put(KESSEL_TIMEOUT_MS, 30000);
        return config;
    }
}
"""


def test_a_settings_map_that_never_leaves_its_method_configures_nothing():
    # round 17 (notifications-backend): a listing built only to be logged is no client's settings;
    # the same map returned to its caller is
    assert _timeouts(LOGGED_SETTINGS) == [(17, "total", 30000.0)]
    assert _retries(LOGGED_SETTINGS) == []
