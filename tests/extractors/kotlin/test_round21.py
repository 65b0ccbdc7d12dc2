"""Kotlin round 21 (held-out sets faf-icebreaker, useid-backend-service, mulighetsrommet; su-se-bakover's MQ
property): the shapes their first scans missed, each with a trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan, scan_service


# --- MicroProfile Fault Tolerance from Kotlin ---

MICROPROFILE = '''package app

import org.eclipse.microprofile.faulttolerance.Retry
import org.eclipse.microprofile.faulttolerance.Timeout
import java.time.temporal.ChronoUnit

class XirsysAdapter(private val client: XirsysClient) {
    @Retry
    fun listChannel() = client.listChannel()

    @Retry(maxRetries = 5, delay = 200)
    fun createChannel(name: String) = client.createChannel(name)

    @Retry(maxRetries = -1)
    fun forever() = client.listChannel()

    @Timeout(2, unit = ChronoUnit.SECONDS)
    fun requestIceServers() = client.ice()

    @Timeout
    fun byDefault() = client.ice()
}
'''

RESILIENCE4J_RETRY = '''package app

import io.github.resilience4j.retry.annotation.Retry

class Other(private val client: XirsysClient) {
    @Retry(name = "xirsys")
    fun call() = client.listChannel()
}
'''


def test_microprofile_retry_and_timeout(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"XirsysAdapter.kt": MICROPROFILE})}
    assert ("XirsysAdapter.kt", 8, "retry", 4) in found      # maxRetries 3 by default: 4 tries
    assert ("XirsysAdapter.kt", 11, "retry", 6) in found     # maxRetries = 5
    assert ("XirsysAdapter.kt", 14, "retry", None) in found  # -1: without limit
    assert ("XirsysAdapter.kt", 17, "timeout", 2000) in found
    assert ("XirsysAdapter.kt", 20, "timeout", 1000) in found  # @Timeout's default 1000 ms


def test_a_resilience4j_retry_is_not_read_as_microprofile(tmp_path) -> None:
    found = _scan(tmp_path, {"Other.kt": RESILIENCE4J_RETRY})
    assert not any(kind == "retry" and value == 4 for _, _, kind, value, _ in found)


# --- JVM-wide client timeouts set as system properties ---

SYSTEM_PROPERTIES = '''package app

import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.context.annotation.Configuration
import org.springframework.stereotype.Component

@Component
@ConfigurationProperties(prefix = "eidservice")
class EidServiceProperties {
    lateinit var url: String
    var connectTimeoutInMillis: Int? = null
    var readTimeoutInMillis: Int = 20000
}

@Configuration
class EidServiceConfig(private var eidServiceProperties: EidServiceProperties) {
    init {
        System.setProperty("sun.net.client.defaultConnectTimeout", eidServiceProperties.connectTimeoutInMillis.toString())
        System.setProperty("sun.net.client.defaultReadTimeout", eidServiceProperties.readTimeoutInMillis.toString())
        System.setProperty("com.ibm.mq.cfg.TCP.Connect_Timeout", "10")
        System.setProperty("user.timezone", "UTC")
        val props = java.util.Properties()
        props.setProperty("sun.net.client.defaultReadTimeout", "5")
        log.info("sun.net.client.defaultReadTimeout is set")
    }
}
'''

APPLICATION_YAML = '''eidservice:
  url: https://eid
  connectTimeoutInMillis: 30000 # 30s
'''


def test_system_property_timeouts_valued_from_a_settings_class(tmp_path) -> None:
    found = scan_service(tmp_path, {"src/main/kotlin/app/EidServiceConfig.kt": SYSTEM_PROPERTIES,
                                    "src/main/resources/application.yaml": APPLICATION_YAML})
    assert ("EidServiceConfig.kt", 18, "timeout", 30000) in found  # bound from eidservice.connectTimeoutInMillis
    assert ("EidServiceConfig.kt", 19, "timeout", 20000) in found  # not in the yaml: the property's initial value
    assert ("EidServiceConfig.kt", 20, "timeout", 10000) in found  # IBM MQ's TCP connect timeout, seconds
    assert not [f for f in found if f[0] == "EidServiceConfig.kt" and f[1] in (21, 23, 24)]


# --- a Config data class's defaulted count read by the client it configures (rule a at the parameter, c at each
# construction passing a value), its class nested in the client ---

CLIENT = '''package app

import io.ktor.client.HttpClient
import io.ktor.client.plugins.HttpRequestRetry

class ApiClient(
    engine: HttpClientEngine,
    config: Config = Config(),
    baseUri: String,
) {
    data class Config(
        val maxRetries: Int = 0,
    )

    private val client: HttpClient = HttpClient(engine) {
        install(HttpRequestRetry) {
            retryIf(config.maxRetries) { _, response -> response.status.value >= 500 }
            exponentialDelay()
        }
    }
}
'''

MODULE = '''package app

import io.ktor.server.auth.AuthenticationProvider

fun services() = module {
    single {
        ApiClient(
            config = ApiClient.Config(maxRetries = 2),
            baseUri = "http://api",
            engine = engine,
        )
    }
}

private class NoOp(name: String) : AuthenticationProvider(object : Config(name) {}) {
}
'''


def test_a_nested_config_data_class_default_and_its_constructions(tmp_path) -> None:
    found = scan_service(tmp_path, {"src/main/kotlin/app/ApiClient.kt": CLIENT, "src/main/kotlin/app/Module.kt": MODULE})
    assert ("ApiClient.kt", 12, "retry", 1) in found   # maxRetries = 0: retries off, 1 try (rule a)
    assert ("Module.kt", 8, "retry", 3) in found       # ApiClient.Config(maxRetries = 2) (rule c)
    assert not [f for f in found if f[0] == "ApiClient.kt" and f[1] == 8]  # `config: Config = Config()`: the default
    assert not [f for f in found if f[0] == "Module.kt" and f[1] == 15]    # a library's own nested Config


# --- db-scheduler one-time tasks' failure handlers ---

TASKS = '''package app

import com.github.kagkarlsson.scheduler.task.FailureHandler
import com.github.kagkarlsson.scheduler.task.helper.Tasks
import java.time.Duration.ofMinutes

class DistribuerBrev(private val dokdistClient: DokdistClient) {
    val task = Tasks
        .oneTime(javaClass.simpleName, TaskData::class.java)
        .onFailure(FailureHandler.ExponentialBackoffFailureHandler<TaskData>(ofMinutes(5)))
        .execute { inst, _ -> dokdistClient.distribuer(inst.data.id) }

    val bounded = Tasks.oneTime("journalfor", TaskData::class.java)
        .onFailure(FailureHandler.MaxRetriesFailureHandler(3, FailureHandler.OnFailureRetryLater(ofMinutes(1))))
        .execute { inst, _ -> dokdistClient.distribuer(inst.data.id) }

    val recurring = Tasks.recurring("generate", schedule)
        .onFailure(FailureHandler.ExponentialBackoffFailureHandler(ofMinutes(60)))
        .execute { _, _ -> generate() }

    fun other(result: Result<String>) = result.onFailure { log.error("failed", it) }
}
'''


def test_db_scheduler_one_time_task_failure_handlers(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"DistribuerBrev.kt": TASKS})}
    assert ("DistribuerBrev.kt", 10, "retry", None) in found  # exponential backoff, without limit
    assert ("DistribuerBrev.kt", 14, "retry", 4) in found     # MaxRetriesFailureHandler(3, ..): 4 runs
    assert not [f for f in found if f[1] in (18, 21) and f[2] == "retry"]  # a recurring task; Result.onFailure


# --- a retry helper running its caller's work again until a condition says it succeeded ---

HELPER = '''package app

import kotlinx.coroutines.delay

suspend fun <T> retry(
    times: Int = 10,
    delayMs: Long = 1000,
    condition: (T) -> Boolean = { true },
    block: suspend () -> T,
): T {
    repeat(times - 1) {
        val result = block()

        if (!condition(result)) {
            return result
        }

        delay(delayMs)
    }

    return block()
}

suspend fun waitUntil(check: suspend () -> Boolean) {
    repeat(30) {
        if (check()) return
        delay(1000)
    }
}
'''


def test_a_work_parameter_retried_until_a_condition_holds(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Retry.kt": HELPER})}
    assert ("Retry.kt", 11, "retry", 10) in found  # repeat(times - 1) + the last try: 10 (rule a)
    assert not [f for f in found if f[1] == 25]     # a predicate polled until it holds: a wait, not a retry


# --- a failed send put back on a queue that a timer sends again (round-20 request, su-se-bakover) ---

REQUEUE = '''package app

import java.util.LinkedList
import java.util.Queue
import kotlin.concurrent.timer

class KafkaPublisherClient(private val producer: Producer<String, String>) {
    private val failed: Queue<ProducerRecord<String, String>> = LinkedList()
    private val work: Queue<String> = LinkedList()

    init {
        timer(name = "retry", daemon = true, period = 60_000) {
            failed.poll()?.let {
                log.info("sending again")
                publiser(it.topic(), it.value())
            }
        }
        timer(name = "crawl", period = 1000) {
            work.poll()?.let { crawl(it) }
        }
    }

    fun publiser(topic: String, melding: String) {
        val record = ProducerRecord(topic, melding)
        try {
            producer.send(record) { metadata, exception ->
                when (exception) {
                    null -> log.info("sent")
                    else -> failed.add(record)
                }
            }
        } catch (exception: Throwable) {
            failed.add(record)
        }
    }

    fun crawl(url: String) {
        links(url).forEach { work.add(it) }
    }
}
'''


def test_a_failed_send_requeued_and_sent_again_by_a_timer(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"KafkaPublisherClient.kt": REQUEUE})}
    assert ("KafkaPublisherClient.kt", 15, "retry", None) in found  # without limit, at the re-send
    assert not [f for f in found if f[1] == 19 and f[2] == "retry"]  # a work queue fed by its own work: no retry


def test_a_settings_class_lateinit_property_is_bound_from_configuration() -> None:
    from contract_discovery.values import Call, Ref
    from extractors.kotlin.extractor import EXTRACTOR
    symbols = EXTRACTOR.extract("src/main/kotlin/app/P.kt", b'''package app
import org.springframework.boot.context.properties.ConfigurationProperties

@ConfigurationProperties(prefix = "svc")
class P {
    lateinit var readTimeout: java.time.Duration
    lateinit var url: String
}

class NotSettings {
    lateinit var readTimeout: java.time.Duration
}
''').symbols
    assert symbols["P.readTimeout"] == Call("coalesce", (Ref("svc.read-timeout"), Ref("svc.readTimeout")))
    assert symbols["P.url"] == Ref("svc.url")
    assert "NotSettings.readTimeout" not in symbols


POLL = '''package app

import kotlinx.coroutines.delay

data class PollingOptions(
    val maxAttempts: Int = 10,
    val pollingIntervalMs: Long = 3_000,
)

class Tools(private val pollingOptions: PollingOptions = PollingOptions()) {
    suspend fun pollTxAvailability(txId: String) {
        var attempts = 0
        while (attempts < pollingOptions.maxAttempts) {
            attempts += 1
            val found = runCatching { fetchTransactionById(txId) }.getOrNull()
            if (found == true) return
            delay(pollingOptions.pollingIntervalMs)
        }
    }
}
'''


def test_a_data_class_bound_read_by_a_hand_loop_is_not_published_as_a_retry_default(tmp_path) -> None:
    """newm-server's pollTxAvailability: a loop bounded by `pollingOptions.maxAttempts` may be a poll; only a library's
    retry (Ktor, Reactor) or a retry helper's call configured from the data class makes its default a retry (rule a)."""
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Tools.kt": POLL})}
    assert not [f for f in found if f[1] == 6]
