"""Round 13 (held-out sets pay-ledger, camunda-connectors, cryostat, centraldogma): a Dropwizard service's
configuration file (config.yaml) as a value source and the settings Dropwizard's own factories read from it,
SmallRye Mutiny waits in files that do not import Mutiny, MicroProfile ``@ConfigProperty(name = CONSTANT)``."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR
from extractors.spring.extractor import EXTRACTOR as SPRING
from tests.extractors.java.support import resolve


def _findings(*files: tuple[str, str]):
    results = [(SPRING if path.endswith((".yaml", ".yml", ".properties")) else EXTRACTOR).extract(path, text.encode())
               for path, text in files]
    return resolve(results)


def _timeouts(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                  for f in _findings(*files) if f.kind == "timeout")


def _retries(*files):
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"))
                  for f in _findings(*files) if f.kind == "retry")


DROPWIZARD_YAML = """server:
  applicationConnectors:
    - type: http
      port: ${PORT:-8080}

database:
  driverClass: org.postgresql.Driver
  url: jdbc:postgresql://${DB_HOST}/ledger
  # the maximum amount of time to wait on an empty pool (timeout: a comment)
  maxWaitForConnection: 1s
  validationQueryTimeout: 2s

jerseyClient:
  timeout: 25500ms
  connectionTimeout: 2s
  timeToLive: 1h
  retries: 0
  userAgent: connector

webhookClient:
  timeout: 3s
  connectionRequestTimeout: 1 minute
  keepAlive: 0ms
  retries: 2

reportingConfig:
  searchQueryTimeoutInSeconds: ${REPORTING_SEARCH_QUERY_TIMEOUT_IN_SECONDS:-55}

messageConfig:
  retryDelayInSeconds: 900
  timeout: 30s
"""


def test_a_dropwizard_config_files_pool_wait_and_client_timeouts_are_reported_at_their_lines():
    found = _timeouts(("src/main/resources/config/config.yaml", DROPWIZARD_YAML))
    # not validationQueryTimeout (the pool's probe), not messageConfig.timeout (no client section), not the port
    assert found == [("config.yaml", 10, 1000), ("config.yaml", 14, 25500), ("config.yaml", 15, 2000),
                     ("config.yaml", 21, 3000), ("config.yaml", 22, 60000)]
    # retries: 0 is one try (no retry); retries: 2 is three
    assert _retries(("src/main/resources/config/config.yaml", DROPWIZARD_YAML)) == [("config.yaml", 24, 3)]


def test_a_yaml_that_is_not_dropwizard_configuration_reports_nothing():
    other = "reportingConfig:\n  timeout: 5s\nhttpClient:\n  timeout: 3s\n  connectionTimeout: 1s\n  userAgent: x\n"
    assert _timeouts(("src/main/resources/settings.yaml", other)) == []


LEDGER_CONFIG = """package uk.gov.pay.ledger.app;
import io.dropwizard.core.Configuration;
public class LedgerConfig extends Configuration {
    private ReportingConfig reportingConfig;
    public ReportingConfig getReportingConfig() { return reportingConfig; }
}
"""

TRANSACTION_DAO = """package uk.gov.pay.ledger.transaction.dao;
import org.jdbi.v3.core.Jdbi;
import uk.gov.pay.ledger.app.LedgerConfig;
public class TransactionDao {
    private final Jdbi jdbi;
    private final LedgerConfig configuration;
    public Long total(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql)
                .setQueryTimeout(configuration.getReportingConfig().getSearchQueryTimeoutInSeconds())
                .mapTo(Long.class).one());
    }
}
"""


def test_a_getter_chain_on_the_dropwizard_configuration_reads_the_config_files_key():
    found = _timeouts(("src/main/resources/config/config.yaml", DROPWIZARD_YAML),
                      ("src/main/java/uk/gov/pay/ledger/app/LedgerConfig.java", LEDGER_CONFIG),
                      ("src/main/java/uk/gov/pay/ledger/transaction/dao/TransactionDao.java", TRANSACTION_DAO))
    assert ("TransactionDao.java", 9, 55000) in found


WEBHOOKS_MODULE = """package uk.gov.pay.webhooks.app;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import java.util.concurrent.TimeUnit;
public class WebhooksModule {
    private final WebhooksConfig configuration;
    RequestConfig requestConfig() {
        var timeoutInMillis = Math.toIntExact(configuration.getWebhookClient().getTimeout().toMilliseconds());
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeoutInMillis, TimeUnit.MILLISECONDS))
                .build();
    }
}
"""


def test_a_dropwizard_duration_read_through_to_milliseconds_and_math_to_int_exact():
    found = _timeouts(("src/main/resources/config/config.yaml", DROPWIZARD_YAML),
                      ("src/main/java/uk/gov/pay/webhooks/app/WebhooksModule.java", WEBHOOKS_MODULE))
    assert ("WebhooksModule.java", 10, 3000) in found


CONFIG_PROPERTIES = """package io.cryostat;
public class ConfigProperties {
    public static final String CONNECTIONS_FAILED_TIMEOUT = "cryostat.connections.failed-timeout";
}
"""

APPLICATION_PROPERTIES = "cryostat.connections.failed-timeout=10s\ncryostat.other.timeout=3s\n"

RULE_JOB = """package io.cryostat.rules;
import java.time.Duration;
import io.cryostat.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
class RuleActivationJob {
    @Inject RuleService ruleService;
    @Inject TargetConnectionManager connectionManager;
    @ConfigProperty(name = ConfigProperties.CONNECTIONS_FAILED_TIMEOUT)
    Duration connectionFailedTimeout;
    void execute(String rule, String jvmId) {
        ruleService.activateRule(rule, jvmId).await().atMost(connectionFailedTimeout);
        connectionManager.executeDirect(rule, jvmId)
                .await()
                .atMost(connectionFailedTimeout);
        await().atMost(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(6));
        counts.await().atMost(Duration.ofSeconds(7));
        String doc = "ruleService.activateRule(r).await().atMost(Duration.ofSeconds(8))";
    }
}
"""


def test_mutiny_waits_in_a_file_that_imports_no_mutiny_and_a_config_property_named_by_a_constant():
    found = _timeouts(("src/main/java/io/cryostat/ConfigProperties.java", CONFIG_PROPERTIES),
                      ("src/main/resources/application.properties", APPLICATION_PROPERTIES),
                      ("src/main/java/io/cryostat/rules/RuleActivationJob.java", RULE_JOB))
    # not Awaitility's await().atMost(..) (a chain of its own), not a local `counts` field, not the string
    assert [f for f in found if f[0] == "RuleActivationJob.java"] == [
        ("RuleActivationJob.java", 11, 10000), ("RuleActivationJob.java", 14, 10000)]


def test_config_at_reads_the_setting_a_key_expression_names():
    from contract_discovery.values import Call, Num, Ref, Str, evaluate
    table = {"K": (Str("a.timeout"), "constant"), "a.timeout": (Num(5000.0), "config")}
    assert evaluate(Call("config_at", (Ref("K"),)), table.get).value == 5000.0
    assert evaluate(Call("config_at", (Ref("MISSING"),)), table.get).value is None
    assert evaluate(Call("config_at", (Num(3.0),)), table.get).value is None  # a key must be text


FT_RESOURCE = """package io.acme.credentials;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import java.time.temporal.ChronoUnit;
public class Credentials {
    @Timeout
    @Retry(retryOn = {SQLException.class})
    public void create(String name) { }

    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public void delete(long id) { }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5)
    public void untouched(long id) { }
}
"""

FT_PROPERTIES = """quarkus.fault-tolerance."io.acme.credentials.Credentials/create".timeout.unit=seconds
quarkus.fault-tolerance."io.acme.credentials.Credentials/create".timeout.value=5
quarkus.fault-tolerance."io.acme.credentials.Credentials/create".retry.max-retries=2
io.acme.credentials.Credentials/delete/Timeout/value=7
# quarkus.fault-tolerance."io.acme.credentials.Credentials/untouched".timeout.value=1
"""


def test_microprofile_fault_tolerance_annotations_read_their_configured_values_first():
    files = (("src/main/resources/application.properties", FT_PROPERTIES),
             ("src/main/java/io/acme/credentials/Credentials.java", FT_RESOURCE))
    assert [t for t in _timeouts(*files) if t[0] == "Credentials.java"] == [
        ("Credentials.java", 6, 5000),     # value 5 in seconds from the Quarkus keys (annotation default: 1 s)
        ("Credentials.java", 10, 7000),    # MicroProfile spelling: the value, in the annotation's unit (s)
        ("Credentials.java", 13, 30000)]   # no property (a comment is none): the annotation
    assert [r for r in _retries(*files) if r[0] == "Credentials.java"] == [
        ("Credentials.java", 7, 3), ("Credentials.java", 14, 6)]


JGIT_MIRROR = """package com.acme.mirror;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
class GitMirror {
    private static final int GIT_TIMEOUT_SECS = 60;
    void run(Git git, Settings settings) throws Exception {
        git.push()
           .setRefSpecs(new RefSpec("main"))
           .setTimeout(GIT_TIMEOUT_SECS)
           .call();
        git.fetch().setRemote("origin").setTimeout(30).call();
        Git.cloneRepository().setURI("https://x/y.git").setTimeout(45).call();
        git.commit().setMessage("setTimeout(5)").call();
        settings.setTimeout(99);
    }
}
"""

AZURE_BLOB = """package com.acme.blob;
import com.azure.storage.blob.models.DownloadRetryOptions;
class BlobReader {
    Object read(BlobClient blobClient) {
        DownloadRetryOptions options = new DownloadRetryOptions().setMaxRetryRequests(3);
        Options other = new Options().setMaxRetryRequests(7);
        return blobClient.downloadContentWithResponse(options, null, null, null);
    }
}
"""


def test_jgit_transport_commands_timeouts_in_seconds_and_not_other_set_timeouts():
    assert _timeouts(("src/main/java/com/acme/mirror/GitMirror.java", JGIT_MIRROR)) == [
        ("GitMirror.java", 9, 60000), ("GitMirror.java", 11, 30000), ("GitMirror.java", 12, 45000)]


def test_azure_storage_download_retry_options():
    assert _retries(("src/main/java/com/acme/blob/BlobReader.java", AZURE_BLOB)) == [("BlobReader.java", 5, 4)]


AGENT_CLIENT = """package io.acme.targets;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
public class AgentClient {
    private final Duration httpTimeout;
    private final String name;
    private AgentClient(String name, Duration httpTimeout) {
        this.name = name;
        this.httpTimeout = httpTimeout;
    }
    Duration getTimeout() { return httpTimeout; }
    String getName() { return name; }
    public static class Factory {
        @ConfigProperty(name = "acme.connections.failed-timeout")
        Duration timeout;
        public AgentClient create(String target) { return new AgentClient(target, timeout); }
    }
}
"""

AGENT_CONNECTION = """package io.acme.targets;
import java.time.Duration;
class AgentConnection {
    private final AgentClient client;
    boolean ping() { return client.ping().await().atMost(client.getTimeout()); }
}
"""


def test_a_getter_of_a_field_a_constructor_keeps_reads_what_the_one_creation_in_the_file_passes():
    found = _timeouts(("src/main/resources/application.properties", "acme.connections.failed-timeout=10s\n"),
                      ("src/main/java/io/acme/targets/AgentClient.java", AGENT_CLIENT),
                      ("src/main/java/io/acme/targets/AgentConnection.java", AGENT_CONNECTION))
    assert found == [("AgentConnection.java", 5, 10000)]


def test_a_field_created_with_different_values_publishes_nothing():
    two = AGENT_CLIENT.replace("return new AgentClient(target, timeout); }",
                               "return new AgentClient(target, timeout); }\n"
                               "        AgentClient slow(String t) { return new AgentClient(t, Duration.ofMinutes(5)); }")
    found = _timeouts(("src/main/resources/application.properties", "acme.connections.failed-timeout=10s\n"),
                      ("src/main/java/io/acme/targets/AgentClient.java", two),
                      ("src/main/java/io/acme/targets/AgentConnection.java", AGENT_CONNECTION))
    assert found == [("AgentConnection.java", 5, None)]


INJECTED = """package io.acme.net;
import java.net.http.HttpClient;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
public class Fetcher {
    private final HttpClient client;
    @Inject
    Fetcher(@ConfigProperty(name = "acme.connect-timeout") Duration connectTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }
}
"""


def test_a_microprofile_config_property_injected_into_a_constructor_parameter():
    found = _timeouts(("src/main/resources/application.properties", "acme.connect-timeout=4s\n"),
                      ("src/main/java/io/acme/net/Fetcher.java", INJECTED))
    assert found == [("Fetcher.java", 9, 4000)]


SEND = """package com.acme.kafka;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
class Publisher {
    Object publish(Producer<String, Object> producer, ProducerRecord<String, Object> record) throws Exception {
        Future<RecordMetadata> response = producer.send(record);
        return toResult(response.get(45, TimeUnit.SECONDS));
    }
}
"""


def test_a_file_whose_only_bound_is_a_future_wait_with_a_time_unit_is_read(tmp_path):
    from contract_discovery.pipeline import scan
    src = tmp_path / "svc" / "src" / "main" / "java" / "com" / "acme" / "kafka"
    src.mkdir(parents=True)
    (tmp_path / "svc" / "pom.xml").write_text("<project><artifactId>svc</artifactId></project>\n")
    (src / "Publisher.java").write_text(SEND)
    found = [(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
             for f in scan(tmp_path, jobs=1).findings if f.kind == "timeout"]
    assert found == [("Publisher.java", 7, 45000)]


MUTINY_EXPIRE = """package io.acme.targets;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
class Connections {
    <T> Uni<T> execute(Uni<T> uni, Duration failedBackoff, Duration failedTimeout) {
        return uni.onFailure(t -> !(t instanceof IllegalStateException))
                .retry()
                .withBackOff(Duration.ofMillis(100), failedBackoff)
                .expireIn(failedTimeout.toMillis());
    }
    void cache(Cache c) { c.put("k", "v").expireIn(5000); }
}
"""


def test_a_mutiny_retry_bounded_by_time_is_a_retry_of_unknown_tries_at_expire_in():
    found = [(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("max_attempts"), f.attributes.get("backoff"))
             for f in _findings(("src/main/java/io/acme/targets/Connections.java", MUTINY_EXPIRE)) if f.kind == "retry"]
    assert found == [("Connections.java", 9, None, "exponential")]
