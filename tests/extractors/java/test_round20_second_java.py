"""Round 20, second wave (Java): shapes the held-out sets of round 20's second wave missed at their first scan
(authentication-api, buildfarm, nessie, cassandra-sidecar, marquez)."""

from __future__ import annotations

from tests.extractors.java.test_round19_java import _found

# GOV.UK One Login: Nimbus OAuth requests sent again while the answer says it failed, without a try
OAUTH = ("src/main/java/a/OAuth.java", """package a;

public class OAuth {
    public TokenResponse getToken(String authCode) {
        int count = 0;
        int maxTries = 2;
        TokenResponse tokenResponse;
        do {
            if (count > 0) LOG.warn("Retrying token request");
            count++;
            var tokenRequest = createTokenRequest(authCode);
            tokenResponse = sendHttpRequest(tokenRequest.toHTTPRequest(), TokenResponse::parse);
            if (!tokenResponse.indicatesSuccess()) {
                LOG.warn("Unsuccessful");
            }
        } while (!tokenResponse.indicatesSuccess() && count < maxTries);
        return tokenResponse;
    }

    public HTTPResponse send(UserInfoRequest userInfoRequest) throws IOException {
        int count = 0;
        int maxTries = 3;
        HTTPResponse response;
        do {
            count++;
            response = userInfoRequest.toHTTPRequest().send();
        } while (!response.indicatesSuccess() && count < maxTries);
        return response;
    }

    public void notRetry(List<Item> items) {
        int count = 0;
        int maxTries = 2;
        Item item;
        do {
            item = items.get(count);
            count++;
        } while (!item.isEmpty() && count < maxTries);
    }

    public void pages(Client client) {
        int page = 0;
        Answer answer;
        do {
            answer = client.fetchPage(page++);
        } while (!answer.indicatesSuccess() && page < pageCount);
    }
}
""")

ACCOUNT_DATA = ("src/main/java/a/AccountData.java", """package a;

public class AccountData {
    private static final int MAX_TRIES = 2;

    private HttpResponse<String> sendRequest(HttpRequest request) throws Exception {
        int count = 0;
        while (true) {
            try {
                if (count > 0) LOG.warn("Retrying request after timeout");
                count++;
                return httpClient.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                if (count >= MAX_TRIES) {
                    throw timeoutException(e);
                }
            } catch (IOException e) {
                throw ioException(e);
            }
        }
    }

    private void consume(Queue q) throws Exception {
        int count = 0;
        while (true) {
            try {
                count++;
                process(q.take());
            } catch (HttpTimeoutException e) {
                if (count >= MAX_SIZE) {
                    throw e;
                }
            }
        }
    }
}
""")

JWKS = ("src/main/java/a/Jwks.java", """package a;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;

public class Jwks {
    private static final ResourceRetriever RETRIEVER =
            new DefaultResourceRetriever(25000, 20000);

    public Jwks(URL url) {
        this.jwkSource =
                JWKSourceBuilder.create(url, RETRIEVER)
                        .retrying(true)
                        .cache(true)
                        .build();
        this.other = JWKSourceBuilder.create(url).retrying(false).build();
        this.third = flux.retrying(true);
        LOG.info("JWKSourceBuilder.create(url).retrying(true)");
    }
}
""")

UNRELATED_RETRIEVER = ("src/main/java/b/Fetch.java", """package b;

public class Fetch {
    private final Retriever r = new DefaultResourceRetriever(25000, 20000);
}
""")

CONFIG = ("src/main/java/a/ConfigurationService.java", """package a;

public class ConfigurationService {
    public long getAccountDataApiCallTimeout() {
        return Long.parseLong(
                System.getenv().getOrDefault("ACCOUNT_DATA_API_CALL_TIMEOUT", "6000"));
    }

    public String getAccountDataUri() {
        return System.getenv().getOrDefault("ACCOUNT_DATA_URI", "http://localhost");
    }
}
""")

ACCOUNT_CALL = ("src/main/java/a/AccountCall.java", """package a;

import java.net.http.HttpRequest;

public class AccountCall {
    private final ConfigurationService configurationService;

    public HttpResponse<String> delete(String id) {
        var request =
                HttpRequest.newBuilder(URI.create("http://x/" + id))
                        .DELETE()
                        .timeout(
                                Duration.ofMillis(
                                        configurationService.getAccountDataApiCallTimeout()))
                        .build();
        return httpClient.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
""")


def test_do_loop_sent_again_while_the_answer_says_it_failed():
    found = _found([OAUTH], "retry")
    assert ("OAuth.java", 8, "retry", 2) in found
    assert ("OAuth.java", 24, "retry", 3) in found
    assert not any(f[1] in (35, 46) for f in found)  # a loop over items; a page loop is no retry of a failure


def test_endless_loop_with_a_plain_counter_under_a_tries_bound():
    found = _found([ACCOUNT_DATA], "retry")
    assert ("AccountData.java", 8, "retry", 2) in found
    assert not any(f[1] == 24 for f in found)  # the bound is no count of tries


def test_nimbus_jwk_source_retrying_and_resource_retriever():
    found = _found([JWKS])
    assert ("Jwks.java", 8, "timeout", 25000) in found and ("Jwks.java", 8, "timeout", 20000) in found
    assert ("Jwks.java", 13, "retry", 2) in found
    assert not any(f[1] in (16, 17, 18) for f in found)  # retrying(false), another builder, a string
    assert not _found([UNRELATED_RETRIEVER])  # not Nimbus's


def test_env_getter_default_read_through_a_config_service():
    assert ("AccountCall.java", 12, "timeout", 6000) in _found([CONFIG, ACCOUNT_CALL], "timeout")


# Buildfarm: settings objects of a config package (no settings-like names) read through a singleton's getters
CONFIGS = ("src/main/java/build/farm/common/config/FarmConfigs.java", """package build.farm.common.config;

@Data
public final class FarmConfigs {
  private static FarmConfigs instance;
  private long defaultActionTimeout = 600;
  private Server server = new Server();
  private Backplane backplane = new Backplane();

  public static FarmConfigs getInstance() { return instance; }
}
""")
SERVER = ("src/main/java/build/farm/common/config/Server.java", """package build.farm.common.config;

@Data
public class Server {
  private int expectTimeout = 60;
}
""")
BACKPLANE = ("src/main/java/build/farm/common/config/Backplane.java", """package build.farm.common.config;

@Data
public class Backplane {
  private int timeout = 10000; // Milliseconds
}
""")
SHARD = ("src/main/java/build/farm/instance/Shard.java", """package build.farm.instance;

import build.farm.common.config.Backplane;
import build.farm.common.config.FarmConfigs;
import io.grpc.Context;
import redis.clients.jedis.DefaultJedisClientConfig;

public class Shard {
  private static FarmConfigs configs = FarmConfigs.getInstance();

  <T> T expect(Executor executor) {
    Context.CancellableContext withDeadline =
        Context.current()
            .withDeadlineAfter(
                configs.getServer().getExpectTimeout(), SECONDS, contextDeadlineScheduler);
    return null;
  }

  static DefaultJedisClientConfig createJedisConfig() {
    Backplane backplane = configs.getBackplane();
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder();
    builder.connectionTimeoutMillis(Integer.max(2000, backplane.getTimeout()));
    builder.socketTimeoutMillis(Math.min(1000, backplane.getTimeout()));
    return builder.build();
  }
}
""")

RETRIERS = ("src/main/java/build/farm/worker/Stubs.java", """package build.farm.worker;

public class Stubs {
  private static Retrier newStubRetrier() {
    return new Retrier(
        Backoff.exponential(
            java.time.Duration.ofMillis(100),
            java.time.Duration.ofMillis(5000),
            /*options.experimentalRemoteRetryMultiplier=*/ 2,
            0.1,
            /*options.experimentalRemoteRetryMaxAttempts=*/ 5),
        Retrier.DEFAULT_IS_RETRIABLE);
  }

  void write() {
    Retrier retrier = new Retrier(Backoff.sequential(5), Retrier.DEFAULT_IS_RETRIABLE);
    Retrier none = new Retrier(Backoff.NO_RETRIES, Retrier.DEFAULT_IS_RETRIABLE);
    Other other = new Retrier(Policy.sequential(5), x);
  }
}
""")

CACHE = ("src/main/java/build/farm/cas/Cache.java", """package build.farm.cas;

public class Cache {
  protected final ConcurrentMap<String, Entry> storage;
  private final EntryClient client;

  Entry waitFor(String key) throws IOException {
    Entry existingEntry = null;
    int attempts = 10;
    while (existingEntry == null && attempts-- != 0) {
      existingEntry = storage.get(key);
      try {
        MILLISECONDS.sleep(10);
      } catch (InterruptedException intEx) {
        throw new IOException(intEx);
      }
    }
    return existingEntry;
  }

  Entry fetch(String key) throws IOException {
    Entry existingEntry = null;
    int attempts = 10;
    while (existingEntry == null && attempts-- != 0) {
      existingEntry = client.get(key);
      try {
        MILLISECONDS.sleep(10);
      } catch (InterruptedException intEx) {
        throw new IOException(intEx);
      }
    }
    return existingEntry;
  }
}
""")

SUBSCRIPTION = ("src/main/java/build/farm/instance/Subscription.java", """package build.farm.instance;

public class Subscription {
  private static final long DEFAULT_STOP_TIMEOUT = 1000;
  private final Subscriber subscriber;

  public void stop(long timeoutMillis) {
    Future<Void> f = subscriber.unsubscribeAsync();
    f.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    stop(DEFAULT_STOP_TIMEOUT);
  }
}
""")

DAEMON = ("src/main/java/a/Daemon.java", """package a;

public class Daemon {
  private static boolean close(Server app) {
    try {
      app.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      return true;
    } catch (Exception ex) {
      return false;
    }
  }

  private static String call(ApiClient client) throws Exception {
    return client.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
""")


def test_settings_objects_of_a_config_package_through_a_singleton():
    found = _found([CONFIGS, SERVER, BACKPLANE, SHARD], "timeout")
    assert ("Shard.java", 14, "timeout", 60000) in found
    assert ("Shard.java", 22, "timeout", 10000) in found  # Integer.max(2000, 10000)
    assert ("Shard.java", 23, "timeout", 1000) in found  # Math.min(1000, 10000)


def test_grpc_retrier_with_its_backoff_made_in_place():
    found = _found([RETRIERS], "retry")
    assert ("Stubs.java", 5, "retry", 6) in found
    assert ("Stubs.java", 16, "retry", 6) in found
    assert not any(f[1] in (17, 18) for f in found)


def test_poll_of_an_in_memory_map_is_no_retry():
    found = _found([CACHE], "retry")
    assert not any(f[1] == 10 for f in found)
    assert ("Cache.java", 24, "retry", None) in found  # the same loop over a client's call is


def test_shutdown_waits_are_no_call_bounds():
    assert not any(f[1] == 13 for f in _found([SUBSCRIPTION], "timeout"))
    found = _found([DAEMON], "timeout")
    assert not any(f[1] == 6 for f in found)
    assert ("Daemon.java", 14, "timeout", 120000) in found  # a client's close is no server's


# Nessie: settings applied only when configured, through method references
REFERENCES = ("src/main/java/a/Clients.java", """package a;

public class Clients {
  public static SdkHttpClient apacheHttpClient(S3Config s3Config) {
    ApacheHttpClient.Builder httpClient = ApacheHttpClient.builder();
    s3Config.http().ifPresent(http -> {
      http.readTimeout().ifPresent(httpClient::socketTimeout);
      http.connectTimeout().ifPresent(httpClient::connectionTimeout);
      http.writeTimeout().ifPresent(httpClient::writeTimeout);
      http.connectionMaxIdleTime().ifPresent(httpClient::connectionMaxIdleTime);
    });
    return httpClient.build();
  }

  static RetrySettings buildRetrySettings(GcsConfig gcsConfig) {
    RetrySettings.Builder retry = RetrySettings.newBuilder();
    gcsConfig.maxAttempts().ifPresent(retry::setMaxAttempts);
    gcsConfig.totalTimeout().map(duration).ifPresent(retry::setTotalTimeout);
    gcsConfig.maxRetryDelay().map(duration).ifPresent(retry::setMaxRetryDelay);
    return retry.build();
  }

  static void bigtable(Config config, RetrySettings.Builder retrySettings) {
    configureDuration(config.initialRpcTimeout(), retrySettings::setInitialRpcTimeout);
  }

  static void copy(Source from, Target dto) {
    from.readTimeout().ifPresent(dto::setReadTimeout);
  }
}
""")

CASSANDRA = ("src/main/java/a/Backend.java", """package a;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

public class Backend {
  private final BackendConfig config;

  BoundStatement buildStatement(String cql, Object... values) {
    PreparedStatement prepared = statements.computeIfAbsent(cql, c -> session.prepare(c));
    return prepared
        .boundStatementBuilder(values)
        .setTimeout(config.dmlTimeout())
        .build();
  }

  void create(String createTable) {
    SimpleStatement stmt = SimpleStatement.builder(createTable).setTimeout(Duration.ofSeconds(5)).build();
    session.execute(stmt);
  }

  void other(Job job) {
    job.setTimeout(Duration.ofSeconds(7));
  }
}
""")
BACKEND_CONFIG = ("src/main/java/a/BackendConfig.java", """package a;

@Value.Immutable
public interface BackendConfig extends BaseConfig {
  @Value.Default
  default Duration dmlTimeout() {
    return Duration.parse(DEFAULT_DML_TIMEOUT);
  }
}
""")
BASE_CONFIG = ("src/main/java/a/BaseConfig.java", """package a;

public interface BaseConfig {
  String DEFAULT_DML_TIMEOUT = "PT3S";
}
""")

PERSIST = ("src/main/java/a/Persist.java", """package a;

import static a.Constants.DEFAULT_BULK_READ_TIMEOUT;

public class Persist {
  private final long apiTimeoutMillis;

  Persist(Backend backend) {
    this.apiTimeoutMillis = backend.config().totalApiTimeout().orElse(DEFAULT_BULK_READ_TIMEOUT).toMillis();
  }

  Row read(String key) throws Exception {
    ApiFuture<Row> handle = dataClient.readRowAsync(table, key);
    return handle.get(apiTimeoutMillis, MILLISECONDS);
  }
}
""")
CONSTANTS = ("src/main/java/a/Constants.java", """package a;

final class Constants {
  static final Duration DEFAULT_BULK_READ_TIMEOUT = Duration.ofSeconds(5);
}
""")


def test_settings_applied_through_method_references():
    found = _found([REFERENCES])
    assert ("Clients.java", 7, "timeout", None) in found and ("Clients.java", 8, "timeout", None) in found
    assert ("Clients.java", 17, "retry", None) in found and ("Clients.java", 18, "timeout", None) in found
    assert ("Clients.java", 24, "timeout", None) in found
    assert not any(f[1] in (9, 10, 16, 19, 28) for f in found)  # write / idle limits, the builder, delays, a DTO


def test_datastax_statement_timeouts_and_an_immutables_default():
    found = _found([CASSANDRA, BACKEND_CONFIG, BASE_CONFIG], "timeout")
    assert ("Backend.java", 13, "timeout", 3000) in found
    assert ("Backend.java", 18, "timeout", 5000) in found
    assert not any(f[1] == 23 for f in found)  # not a driver statement


def test_field_kept_from_an_optional_with_an_imported_default():
    assert ("Persist.java", 14, "timeout", 5000) in _found([PERSIST, CONSTANTS], "timeout")


# Marquez: Flyway's connect retries from a Dropwizard factory's @Setter field default
FLYWAY = ("src/main/java/a/db/FlywayFactory.java", """package a.db;

import org.flywaydb.core.Flyway;

public final class FlywayFactory {
  private static final int DEFAULT_CONNECT_RETRIES = 0;
  @Getter @Setter private int connectRetries = DEFAULT_CONNECT_RETRIES;
  @Getter @Setter private String table = "flyway_schema_history";

  public Flyway build(DataSource source) {
    return Flyway.configure()
        .dataSource(source)
        .connectRetries(connectRetries)
        .table(table)
        .load();
  }
}
""")

# cassandra-sidecar: a Jackson-bound YAML configuration whose no-argument constructor hands the defaults on
JMX_IMPL = ("src/main/java/a/config/yaml/JmxConfigurationImpl.java", """package a.config.yaml;

public class JmxConfigurationImpl implements JmxConfiguration {
    @JsonProperty("max_retries")
    protected final int maxRetries;

    public JmxConfigurationImpl() {
        this(3, 200L);
    }

    public JmxConfigurationImpl(int maxRetries, long retryDelayMillis) {
        this.maxRetries = maxRetries;
    }

    @Override
    @JsonProperty("max_retries")
    public int maxRetries() {
        return maxRetries;
    }
}
""")
RETRY_USER = ("src/main/java/a/server/Module.java", """package a.server;

public class Module {
    void connect(JmxConfiguration jmxConfiguration) {
        Tasks.foreach(ops).retry(jmxConfiguration.maxRetries()).run(op -> op.apply());
    }
}
""")
PLAIN_IMPL = ("src/main/java/b/Client.java", """package b;

public class Client implements Api {
    protected final int maxRetries;

    public Client() {
        this(3);
    }

    public Client(int maxRetries) {
        this.maxRetries = maxRetries;
    }
}
""")


def test_flyway_connect_retries_from_a_setter_field_default():
    assert ("FlywayFactory.java", 13, "retry", 1) in _found([FLYWAY], "retry")


def test_jackson_configuration_no_argument_constructor_defaults():
    from extractors.java.extractor import EXTRACTOR

    symbols = EXTRACTOR.extract(JMX_IMPL[0], JMX_IMPL[1].encode()).symbols
    assert symbols.get("JmxConfiguration.maxRetries") is not None
    assert "Client.maxRetries" not in EXTRACTOR.extract(PLAIN_IMPL[0], PLAIN_IMPL[1].encode()).symbols  # no Jackson
