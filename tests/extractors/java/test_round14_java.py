"""Round 14 (held-out sets priam, kafka-monitor, singularity, hermes-consumers, hono): a project's retry base class
used through anonymous subclasses and subclasses (Netflix Priam's ``RetryableCallable`` / bounded exponential
callable: the count in a field the constructors set, a no-argument constructor fixing the default through
``this(DEFAULT, ..)`` or by assigning the field), the ``if (retry == retrys) throw`` and ``if (.. && retry <=
maxRetries) .. else throw`` guards, a ``do { .. } while (result == null)`` retry, and a settings class's field
default read through the interface a caller holds."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve


def _findings(*files: tuple[str, str]):
    return resolve([EXTRACTOR.extract(path, text.encode()) for path, text in files])


def _retries(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                  for f in _findings(*files) if f.kind == "retry")


def _timeouts(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                  for f in _findings(*files) if f.kind == "timeout")


RETRYABLE = ("src/main/java/com/acme/util/RetryableCallable.java", """package com.acme.util;

import java.util.concurrent.Callable;

public abstract class RetryableCallable<T> implements Callable<T> {
    private static final int DEFAULT_NUMBER_OF_RETRIES = 15;
    private static final long DEFAULT_WAIT_TIME = 100;
    private int retrys;
    private long waitTime;

    public RetryableCallable() {
        this(DEFAULT_NUMBER_OF_RETRIES, DEFAULT_WAIT_TIME);
    }

    public RetryableCallable(int retrys, long waitTime) {
        set(retrys, waitTime);
    }

    public void set(int retrys, long waitTime) {
        this.retrys = retrys;
        this.waitTime = waitTime;
    }

    protected abstract T retriableCall() throws Exception;

    public T call() throws Exception {
        int retry = 0;
        while (true) {
            try {
                return retriableCall();
            } catch (Exception e) {
                retry++;
                if (retry == retrys) {
                    throw e;
                }
                Thread.sleep(waitTime);
            }
        }
    }
}
""")

BOUNDED = ("src/main/java/com/acme/util/BoundedRetryCallable.java", """package com.acme.util;

public abstract class BoundedRetryCallable<T> extends RetryableCallable<T> {
    protected static final long MAX_SLEEP = 10000;
    protected static final long MIN_SLEEP = 1000;
    protected static final int MAX_RETRIES = 10;
    private final long max;
    private final long min;
    private final int maxRetries;

    public BoundedRetryCallable() {
        this.max = MAX_SLEEP;
        this.min = MIN_SLEEP;
        this.maxRetries = MAX_RETRIES;
    }

    public BoundedRetryCallable(long minSleep, long maxSleep, int maxNumRetries) {
        this.max = maxSleep;
        this.min = minSleep;
        this.maxRetries = maxNumRetries;
    }

    public T call() throws Exception {
        long delay = min;
        int retry = 0;
        while (true) {
            try {
                return retriableCall();
            } catch (Exception e) {
                retry++;
                if (delay < max && retry <= maxRetries) {
                    delay *= 2;
                    Thread.sleep(delay);
                } else if (delay >= max && retry <= maxRetries) {
                    Thread.sleep(max);
                } else {
                    throw e;
                }
            }
        }
    }
}
""")

USES = ("src/main/java/com/acme/svc/Uploader.java", """package com.acme.svc;

import com.acme.util.BoundedRetryCallable;
import com.acme.util.RetryableCallable;

public class Uploader {
    private final StoreClient client;

    public Uploader(StoreClient client) {
        this.client = client;
    }

    public String fetch(String id) throws Exception {
        return new RetryableCallable<String>() {
            @Override
            public String retriableCall() throws Exception {
                return client.get(id);
            }
        }.call();
    }

    public String fetchHard(String id) throws Exception {
        return new RetryableCallable<String>(6, 10000) {
            @Override
            public String retriableCall() throws Exception {
                return client.get(id);
            }
        }.call();
    }

    public String put(String id) throws Exception {
        return new BoundedRetryCallable<String>() {
            @Override
            public String retriableCall() throws Exception {
                return client.put(id);
            }
        }.call();
    }

    public String putFew(String id) throws Exception {
        return new BoundedRetryCallable<String>(1000, 10000, 5) {
            @Override
            public String retriableCall() throws Exception {
                return client.put(id);
            }
        }.call();
    }

    public String noRetry(String id) {
        // a retry word in a comment, and a local named retry: not a retry
        int retry = 3;
        String timeout = "retry later";
        return client.get(id + retry + timeout);
    }
}
""")

PART = ("src/main/java/com/acme/svc/PartUploader.java", """package com.acme.svc;

import com.acme.util.BoundedRetryCallable;

public class PartUploader extends BoundedRetryCallable<Void> {
    private static final int MAX_RETRIES = 5;
    private final StoreClient client;

    public PartUploader(StoreClient client) {
        super(200, 10000, MAX_RETRIES);
        this.client = client;
    }

    @Override
    public Void retriableCall() throws Exception {
        client.put("part");
        return null;
    }
}
""")


def test_retry_base_class_defaults_and_calls():
    # rule (b) at each anonymous subclass leaving the count out (the default the no-argument constructor fixes,
    # through this(DEFAULT, ..) or by assigning the field), (c) at each one passing it and at the subclass's
    # super(..); the base classes' own loops apply the field (unvalued here: the pipeline drops them as
    # forwarders); the telescoping this(..) itself is no finding (counted at the constructions)
    assert _retries(RETRYABLE, BOUNDED, USES, PART) == [
        ("BoundedRetryCallable.java", 26, None),
        ("PartUploader.java", 10, 6),             # super(200, 10000, 5)
        ("RetryableCallable.java", 28, None),
        ("Uploader.java", 14, 15),                # retry == 15 throws: 15 tries
        ("Uploader.java", 23, 6),
        ("Uploader.java", 32, 11),                # retry <= 10 goes on: 11 tries
        ("Uploader.java", 41, 6),
    ]


def test_base_class_alone_reports_no_value_of_its_own():
    assert _retries(RETRYABLE) == [("RetryableCallable.java", 28, None)]


def test_equality_guard_that_does_not_throw_is_no_bound():
    # `if (attempt == 1) log` in a catch is no bound: the endless loop is no counted retry
    code = ("src/main/java/com/acme/Poller.java", """package com.acme;

public class Poller {
    void run(Client client) throws Exception {
        int attempt = 0;
        while (true) {
            try {
                client.poll();
                return;
            } catch (Exception e) {
                attempt++;
                if (attempt == 1) {
                    System.out.println("first failure");
                }
            }
        }
    }
}
""")
    assert all(value is None for _, _, value in _retries(code))


def test_do_while_until_answer_with_equality_guard():
    code = ("src/main/java/com/acme/Reassignments.java", """package com.acme;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Reassignments {
    private static final int MAX_ATTEMPTS = 3;
    private static final long TIMEOUT_MS = 60000L;

    public static Map<String, String> ongoing(AdminClient adminClient) throws Exception {
        Map<String, String> result = null;
        int attempts = 0;
        long timeoutMs = TIMEOUT_MS;
        do {
            ListResult response = adminClient.listPartitionReassignments();
            try {
                result = response.reassignments().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException timeoutException) {
                attempts++;
                if (attempts == MAX_ATTEMPTS) {
                    throw timeoutException;
                }
                timeoutMs *= 2;
            }
        } while (result == null);
        return result;
    }
}
""")
    assert _retries(code) == [("Reassignments.java", 15, 3)]


PARAMS = ("src/main/java/com/acme/http/ClientParameters.java", """package com.acme.http;

import java.time.Duration;

public interface ClientParameters {
    Duration getConnectionTimeout();
    Duration getIdleTimeout();
}
""")

PROPERTIES = ("src/main/java/com/acme/cfg/Http1ClientProperties.java", """package com.acme.cfg;

import com.acme.http.ClientParameters;
import java.time.Duration;

public class Http1ClientProperties implements ClientParameters {
    private Duration idleTimeout = Duration.ofMillis(0);
    private Duration connectionTimeout = Duration.ofSeconds(15);

    @Override
    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    @Override
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }
}
""")

FACTORY = ("src/main/java/com/acme/http/ClientsFactory.java", """package com.acme.http;

import org.eclipse.jetty.client.HttpClient;

public class ClientsFactory {
    public HttpClient create(String name, ClientParameters params) {
        HttpClient client = new HttpClient();
        // the connect timeout comes from the settings class behind the interface
        client.setConnectTimeout(params.getConnectionTimeout().toMillis());
        return client;
    }
}
""")


def test_interface_getter_reads_settings_class_field_default():
    assert ("ClientsFactory.java", 9, 15000) in _timeouts(PARAMS, PROPERTIES, FACTORY)


def test_interface_getter_without_settings_class_stays_unknown():
    plain = ("src/main/java/com/acme/http/Plain.java", """package com.acme.http;

import java.time.Duration;

public class Plain implements ClientParameters {
    private Duration connectionTimeout;

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public Duration getIdleTimeout() {
        return null;
    }
}
""")
    assert ("ClientsFactory.java", 9, None) in _timeouts(PARAMS, plain, FACTORY)


ASYNC_TIMEOUT = ("src/main/java/com/acme/t/FutureAsyncTimeout.java", """package com.acme.t;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

public class FutureAsyncTimeout {
  private final ScheduledExecutorService executor;

  public FutureAsyncTimeout(ScheduledExecutorService scheduledExecutorService) {
    this.executor = scheduledExecutorService;
  }

  public <T> CompletableFuture<T> within(
      CompletableFuture<T> future, Duration duration, Function<Throwable, T> exceptionMapper) {
    return future.applyToEither(failAfter(duration, exceptionMapper), Function.identity());
  }

  private <T> CompletableFuture<T> failAfter(Duration duration, Function<Throwable, T> exceptionMapper) {
    final CompletableFuture<T> promise = new CompletableFuture<>();
    executor.schedule(
        () -> {
          TimeoutException ex = new TimeoutException("Timeout after " + duration);
          return promise.complete(exceptionMapper.apply(ex));
        },
        duration.toMillis(),
        TimeUnit.MILLISECONDS);
    return promise;
  }
}
""")

ASYNC_CALLER = ("src/main/java/com/acme/t/Sender.java", """package com.acme.t;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

public class Sender {
  private static final int ASYNC_TIMEOUT_MS = 5000;
  private final FutureAsyncTimeout async;

  public Sender(FutureAsyncTimeout async) {
    this.async = async;
  }

  public CompletableFuture<String> send(CompletableFuture<String> result) {
    return async.within(result, Duration.ofMillis(ASYNC_TIMEOUT_MS), t -> "failed");
  }

  public void later(ScheduledExecutorService executor) {
    // a scheduled tick that fails nothing is no timeout
    executor.schedule(() -> System.out.println("timeout"), 10, TimeUnit.SECONDS);
  }
}
""")


def test_scheduled_timeout_exception_is_an_async_timeout_handed_through_a_helper():
    # the helper's own schedule forwards its parameter (unvalued here; the pipeline drops it), the call holds 5 s
    assert ("Sender.java", 17, 5000) in _timeouts(ASYNC_TIMEOUT, ASYNC_CALLER)
    assert not any(line == 23 for _, line, _ in _timeouts(ASYNC_TIMEOUT, ASYNC_CALLER))


MONGO = ("src/main/java/com/acme/MongoDbConfigProperties.java", """package com.acme;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

public class MongoDbConfigProperties {
    public static final int DEFAULT_SERVER_SELECTION_TIMEOUT_IN_MS = 1000;
    private Integer serverSelectionTimeoutInMs = DEFAULT_SERVER_SELECTION_TIMEOUT_IN_MS;
    private Integer connectionTimeoutInMs;

    public Integer getServerSelectionTimeout() {
        return serverSelectionTimeoutInMs;
    }

    public Integer getConnectTimeout() {
        return connectionTimeoutInMs;
    }

    public JsonObject getMongoClientConfig() {
        final JsonObject configJson = new JsonObject();
        configJson.put("db_name", "registry").put("sessionTimeout", 5);
        Optional.ofNullable(getServerSelectionTimeout())
                .ifPresent(timeout -> configJson.put("serverSelectionTimeoutMS", timeout));
        Optional.ofNullable(getConnectTimeout())
                .ifPresent(timeout -> configJson.put("connectTimeoutMS", timeout));
        configJson.put("socketTimeoutMS", 30000);
        final JsonObject doc = new JsonObject();
        doc.put("timeout", 7);  // a document's field, not a client config
        return configJson;
    }
}
""")


def test_vertx_json_client_config_timeouts():
    assert _timeouts(MONGO) == [
        ("MongoDbConfigProperties.java", 23, 1000),  # the Optional's value: the getter's field default
        ("MongoDbConfigProperties.java", 25, None),
        ("MongoDbConfigProperties.java", 26, 30000),
    ]  # not: sessionTimeout (a session), the document's "timeout" field


STORE = ("src/main/java/com/acme/AbstractStore.java", """package com.acme;

import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.ext.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;

public abstract class AbstractStore {
    private static final int TIMEOUT_SECONDS = 30;

    public void registerReadinessChecks(final HealthCheckHandler readinessHandler) {
        readinessHandler.register("sql", Duration.ofSeconds(10).toMillis(), p -> p.tryComplete(Status.OK()));
        readinessHandler.register("plain", p -> p.tryComplete(Status.OK()));
    }

    AgroalDataSourceConfigurationSupplier pool() {
        return new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(poolConfig -> poolConfig
                        .maxSize(15)
                        .acquisitionTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                        .reapTimeout(Duration.ofSeconds(3600)));
    }
}
""")


def test_vertx_health_check_and_agroal_acquisition_timeouts():
    assert _timeouts(STORE) == [
        ("AbstractStore.java", 12, 10000),
        ("AbstractStore.java", 20, 30000),
    ]  # not: the health check without a timeout, the pool's reapTimeout (a background interval)

