"""Round 15 (held-out sets signal-registration-service, tj-bot, openvsx, promat-service, myconext): a setter chained
on a freshly made policy/config object (Failsafe 2's ``new RetryPolicy<>().withMaxRetries(3)``), JobRunr
``@Job(retries = 0)`` (one run), a helper's plain parameter that shares its name with a ``@Value`` parameter of a
bean method in the same file (the helper's site is no setting of its own: rule (c) at the calls), the last item of a
list read with ``count - 1`` (no restart), and a failure handler that stores an item back with its failure count one
higher until the count passes a bound."""

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


FAILSAFE2 = """package org.acme;

import java.time.Duration;
import net.jodah.failsafe.RetryPolicy;

public class Connector {
    private static final RetryPolicy<Response> RETRY_POLICY = new RetryPolicy<Response>()
            .handle(ProcessingException.class)
            .handleResultIf(response -> response.getStatus() == 500)
            .withDelay(Duration.ofSeconds(5))
            .withMaxRetries(3);

    private final Stats stats = new Stats().withMaxRetries(7);
    private final Counter counter = new Counter().withCount(3);
}
"""


def test_a_setter_chained_on_a_new_retry_policy_is_the_policys_retries():
    # n retries after the first try: 4 tries, at the setter's line; `new Stats()` is no policy or client settings
    assert _retries(FAILSAFE2) == [(11, 4)]


def test_a_setter_chained_on_a_new_client_configuration():
    source = """package org.acme;
import com.amazonaws.ClientConfiguration;
class Aws {
    ClientConfiguration config() {
        return new ClientConfiguration()
            .withMaxErrorRetry(2);
    }
}
"""
    assert _retries(source) == [(6, 3)]


def test_jobrunr_retries_zero_is_one_run():
    source = """package org.acme;
import org.jobrunr.jobs.annotations.Job;
class Jobs {
    @Job(name = "Update counts", retries = 0)
    public void update() { }

    @Job(name = "Remove file", retries = 10)
    public void remove() { }

    @Job(name = "Mirror")
    public void mirror() { }
}
"""
    assert _retries(source) == [(4, 1), (7, 11)]


POOLS = """package org.acme;

import org.springframework.beans.factory.annotation.Value;

public class RestTemplateConfig {
    @Bean
    public PoolConfig foregroundPool(
            @Value("${ovsx.foreground.connectTimeout:10000}") int connectTimeout,
            @Value("${ovsx.foreground.socketTimeout:10000}") int socketTimeout) {
        return createPool(connectTimeout, socketTimeout);
    }

    @Bean
    public PoolConfig backgroundPool(
            @Value("${ovsx.background.connectTimeout:30000}") int connectTimeout,
            @Value("${ovsx.background.socketTimeout:60000}") int socketTimeout) {
        return createPool(connectTimeout, socketTimeout);
    }

    private PoolConfig createPool(int connectTimeout, int socketTimeout) {
        var connectionConfig = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout, TimeUnit.MILLISECONDS))
                .setSocketTimeout(Timeout.of(socketTimeout, TimeUnit.MILLISECONDS))
                .build();
        return new PoolConfig(connectionConfig);
    }
}
"""


def test_a_helper_parameter_named_like_a_value_parameter_is_no_setting_at_the_helper():
    # rule (c): each bean's call passes its property defaults; the helper's own lines take their callers' values
    # (the helper's own sites keep their parameter unresolved, which the pipeline leaves out; before round 15 they
    # took the first bean's property default, 10000, by the shared name)
    assert _timeouts(POOLS) == [(10, "connect", 10000), (10, "read", 10000),
                                (17, "connect", 30000), (17, "read", 60000),
                                (22, "connect", None), (23, "read", None)]


def test_a_value_parameter_used_in_its_own_bean_method_still_resolves():
    source = """package org.acme;

import org.springframework.beans.factory.annotation.Value;

public class ClientConfig {
    @Bean
    public RestTemplate restTemplate(@Value("${client.connect-timeout:2500}") int connectTimeout) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(connectTimeout);
        return new RestTemplate(factory);
    }
}
"""
    assert _timeouts(source) == [(9, "connect", 2500)]


def test_the_last_item_of_a_list_is_no_handed_down_count():
    source = """package org.acme;
class Sessions {
    Instant expiry(Session session) {
        if (session.getRegistrationAttemptsCount() > 0) {
            return Instant.ofEpochMilli(
                session.getRegistrationAttemptsList().get(session.getRegistrationAttemptsCount() - 1)
                    .getExpirationEpochMillis());
        }
        return null;
    }

    void again(Log log) {
        if (log.getExecutorFailRetryCount() > 0) {
            trigger(log.getJobId(), log.getExecutorFailRetryCount() - 1);
        }
    }
}
"""
    assert [line for line, _ in _retries(source)] == [14]


REMINDERS = """package org.acme;

public final class RemindRoutine {
    private static final int MAX_FAILURE_RETRY = 3;

    private void send(PendingReminder reminder) {
        channel.sendMessage(reminder.getContent())
            .queue(ok -> {}, failure -> attemptRetryReminder(reminder, failure));
    }

    private void attemptRetryReminder(PendingReminder pendingReminder, Throwable failure) {
        if (pendingReminder.getFailureAttempts() > MAX_FAILURE_RETRY) {
            logger.warn("Failed to send a reminder, skipping it", failure);
            return;
        }

        int failureAttempts = pendingReminder.getFailureAttempts() + 1;
        Instant remindAt = Instant.now().plus(1, ChronoUnit.MINUTES);
        database.write(context -> {
            pendingReminder.setRemindAt(remindAt);
            pendingReminder.setFailureAttempts(failureAttempts);
            pendingReminder.insert();
        });
    }
}
"""


def test_a_failure_handler_storing_the_failure_count_back_until_a_bound():
    # counts 0..4 are tried (the check comes after a failure, before the count is raised): 5 runs
    assert _retries(REMINDERS) == [(12, 5)]
    assert _retries(REMINDERS.replace("> MAX_FAILURE_RETRY", ">= MAX_FAILURE_RETRY")) == [(12, 4)]


def test_a_login_attempt_check_is_no_stored_retry():
    # the count is not stored back one higher (a person's failed logins, counted elsewhere): nothing
    source = """package org.acme;
class Login {
    private static final int MAX_ATTEMPTS = 5;

    void onFailure(User user, AuthenticationException e) {
        if (user.getFailedAttempts() > MAX_ATTEMPTS) {
            lock(user);
            return;
        }
        audit.record(user, e);
    }
}
"""
    assert _retries(source) == []
    # outside a failure handler (no Throwable parameter, no catch): not this rule
    assert _retries(REMINDERS.replace(", Throwable failure", "").replace("reminder, failure)", "reminder)")) == []


AZURE = """package org.acme;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

class Storage {
    PagedIterable<BlobItem> list(BlobContainerClient container, ListBlobsOptions options) {
        return container.listBlobs(options, Duration.ofMinutes(5));
    }

    void upload(BlobClient blob, BlobParallelUploadOptions options, Duration uploadTimeout) {
        blob.uploadWithResponse(options, uploadTimeout, Context.NONE);
    }

    void copy(BlobClient blob, String source) {
        blob.beginCopy(source, Duration.of(1, ChronoUnit.SECONDS)).waitForCompletion();
        blob.getContainerClient().listBlobs(new ListBlobsOptions(), null);
    }
}
"""


def test_an_azure_operations_duration_timeout_argument():
    found = _timeouts(AZURE)
    assert (10, "total", 300000) in found
    assert [line for line, _, _ in found] == [10, 14]  # the poller's interval and a null timeout are none
    # the same calls in a file not using the Azure SDK: nothing
    assert _timeouts(AZURE.replace("import com.azure.core.util.Context;\n", "").replace(
        "com.azure.storage.blob", "org.acme.blob")) == []


CXF = """package org.acme;

import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;

class SoapCache {
    private static final int RESPONSE_TIMEOUT = 28000;

    protected void implementTimeout(IdentityWebServiceSoap port) {
        Client client = ClientProxy.getClient(port);
        HTTPConduit httpConduit = (HTTPConduit) client.getConduit();
        HTTPClientPolicy clientPolicy = new HTTPClientPolicy();
        clientPolicy.setReceiveTimeout(RESPONSE_TIMEOUT);
        httpConduit.setClient(clientPolicy);
    }
}
"""


def test_a_cxf_client_policys_receive_timeout():
    assert _timeouts(CXF) == [(15, "read", 28000)]


def test_a_jms_receive_timeout_is_no_client_timeout():
    # a JMS consumer's wait for a message (queue long-polling): not labelled, not reported
    source = """package org.acme;
import org.springframework.jms.core.JmsTemplate;
class Jms {
    JmsTemplate template(ConnectionFactory factory) {
        JmsTemplate jmsTemplate = new JmsTemplate(factory);
        jmsTemplate.setReceiveTimeout(5000);
        return jmsTemplate;
    }
}
"""
    assert _timeouts(source) == []


RETRYER = ("src/main/java/org/acme/lib/HttpRetryer.java", """package org.acme.lib;

public class HttpRetryer {
    private final CloseableHttpClient httpClient;
    private final int maxRetries;

    public HttpRetryer(CloseableHttpClient httpClient, int maxRetries) {
        this.httpClient = httpClient;
        this.maxRetries = maxRetries;
    }

    public HTTPReply send(HttpUriRequest request) throws IOException {
        int tryCount = 0;
        boolean retry = false;
        HTTPReply reply = null;
        do {
            try (CloseableHttpResponse response = httpClient.execute(request)) {
                reply = read(response);
                retry = response.getStatusLine().getStatusCode() >= 500;
            } catch (IOException e) {
                retry = true;
            }
        } while (retry && (tryCount++ < maxRetries));
        return reply;
    }
}
""")

FACTORY = ("src/main/java/org/acme/app/Factory.java", """package org.acme.app;

import org.acme.lib.HttpRetryer;

public class Factory {
    private static final int MAX_HTTP_RETRIES = 0;

    HttpRetryer plain(CloseableHttpClient client) {
        return new HttpRetryer(client, MAX_HTTP_RETRIES);
    }

    HttpRetryer twice(CloseableHttpClient client) {
        return new HttpRetryer(client, 2);
    }
}
""")


def test_a_do_while_retry_counting_with_a_post_increment_published_by_its_constructor():
    # `tryCount++ < maxRetries` after a first run: maxRetries + 1 tries; the count comes from the constructor (no
    # default): rule (c) at each `new HttpRetryer(..)`, nothing at the helper's loop
    found = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                   for f in resolve([EXTRACTOR.extract(p, t.encode()) for p, t in (RETRYER, FACTORY)])
                   if f.kind == "retry" and f.attributes.get("max_attempts") is not None)
    assert found == [("Factory.java", 9, 1), ("Factory.java", 13, 3)]


HUTOOL = """package org.acme;

import cn.hutool.http.HttpUtil;
import java.nio.charset.StandardCharsets;

class FlinkApi {
    private static final int SERVER_TIME_OUT_ACTIVE = 10000;

    String get(String url) {
        return HttpUtil.get(url, SERVER_TIME_OUT_ACTIVE);
    }

    String post(String url, String body) {
        return HttpUtil.post(url, body, 3000);
    }

    String plain(String url, String body) {
        HttpUtil.get(url, StandardCharsets.UTF_8);
        HttpUtil.get(url);
        return HttpUtil.post(url, body);
    }
}
"""


def test_hutool_positional_timeouts():
    assert _timeouts(HUTOOL) == [(10, "total", 10000), (14, "total", 3000)]
    # another HttpUtil (a project's own, not Hutool's): not this rule
    assert (14, "total", 3000) not in _timeouts(HUTOOL.replace("cn.hutool.http.HttpUtil", "org.acme.util.HttpUtil"))


FABRIC8 = """package org.acme;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

class Operator {
    void redeploy(KubernetesClient kubernetesClient, FlinkDeployment flinkDeployment) {
        kubernetesClient.resource(flinkDeployment).delete();
        kubernetesClient.resource(flinkDeployment).waitUntilCondition(Objects::isNull, 1, TimeUnit.MINUTES);
        kubernetesClient.resource(flinkDeployment).createOrReplace();
        kubernetesClient.pods().withName("x").waitUntilReady(5, TimeUnit.MINUTES);
        latch.await(5, TimeUnit.SECONDS);
    }
}
"""


def test_fabric8_bounded_waits_for_a_resources_state():
    found = _timeouts(FABRIC8)
    assert (10, "total", 60000) in found and (12, "total", 300000) in found
    assert _timeouts(FABRIC8.replace("import io.fabric8.kubernetes.client.KubernetesClient;\n", "")) \
        == [f for f in found if f[0] not in (10, 12)]
