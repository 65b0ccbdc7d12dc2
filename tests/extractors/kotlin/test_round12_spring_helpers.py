"""Kotlin round 12 (held-out sets pagopa-event-dispatcher, cantus, boober): a bean method's parameter that Spring
injects from configuration (``@Value("${nodo.readTimeout}") readTimeout: Long``) is a configuration read, not a
helper parameter its callers hand in (no forwarder); ``Mono.block(duration)`` with a ``Duration`` parameter and the
calls of a project extension function imported by name that leave it out; a superclass constructor call
(``class DbhClient(..) : RetryingRestTemplateWrapper(restTemplate, retries = retries)``) is a call of that class's
constructor, and a call passing 0 re-tries still makes one try."""

from __future__ import annotations

from .support import scan_service as _scan


WEB_CONFIG = """package app
import io.netty.channel.ChannelOption
import io.netty.handler.timeout.ReadTimeoutHandler
import org.springframework.beans.factory.annotation.Value
import reactor.netty.http.client.HttpClient
import java.util.concurrent.TimeUnit

class WebClientConfig {
    fun nodoApi(
        @Value("\\${nodo.readTimeout}") nodoReadTimeout: Long,
        @Value("\\${nodo.connectionTimeout}") nodoConnectionTimeout: Int,
    ): HttpClient =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, nodoConnectionTimeout)
            .doOnConnected { c -> c.addHandlerLast(ReadTimeoutHandler(nodoReadTimeout, TimeUnit.MILLISECONDS)) }

    fun cantus(@Value("\\${cantus.connectTimeout:5000}") connectTimeout: Int): HttpClient =
        HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)

    fun plain(connectTimeout: Int): HttpClient =
        HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)

    fun unused(@Value("\\${cantus.timeout:5000}") timeout: Int, name: String): String = name
}
"""


def test_value_injected_bean_method_parameters_are_configuration_reads(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/WebClientConfig.kt": WEB_CONFIG,
        "src/main/resources/application.properties": "nodo.readTimeout=${NODO_READ_TIMEOUT}\nnodo.connectionTimeout=3000\n",
    })
    assert ("WebClientConfig.kt", 14, "timeout", 3000) in found  # the property's value
    assert ("WebClientConfig.kt", 15, "timeout", None) in found  # an env var without a default: unknown, reported
    assert ("WebClientConfig.kt", 18, "timeout", 5000) in found  # the placeholder's default
    # a parameter without an injecting annotation stays a forwarder (its callers hold the value); an injected
    # parameter that bounds nothing is nothing
    assert [f for f in found if f[1] in (21, 23)] == []


ERROR_HANDLER = """package app.controller
import reactor.core.publisher.Mono
import java.time.Duration

private const val BLOCK_TIMEOUT: Long = 300

fun <T> Mono<T>.blockAndHandleError(
    duration: Duration = Duration.ofSeconds(BLOCK_TIMEOUT),
    message: String? = null
) = this.toMono<T>().block(duration)

fun <T> Mono<T>.blockCount(count: Int = 3) = this.take(count).block()
"""

DOCKER_CLIENT = """package app.service
import app.controller.blockAndHandleError
import app.controller.blockCount

class DockerHttpClient(private val webClient: WebClient) {
    fun manifest(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>()
        .blockAndHandleError(message = "GET manifest")

    fun quick(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>()
        .blockAndHandleError(Duration.ofSeconds(5))

    fun counted(url: String) = webClient.get().uri(url).retrieve().bodyToMono<String>().blockCount()
}
"""


def test_mono_block_with_a_duration_parameter_and_the_extension_calls_that_leave_it_out(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/controller/ErrorHandler.kt": ERROR_HANDLER,
        "src/main/kotlin/app/service/DockerHttpClient.kt": DOCKER_CLIENT,
    })
    assert ("ErrorHandler.kt", 10, "timeout", 300000) in found  # rule (a): the default at the block line
    assert ("DockerHttpClient.kt", 7, "timeout", 300000) in found  # rule (b): the call leaving it out
    assert ("DockerHttpClient.kt", 10, "timeout", 5000) in found  # rule (c): the call passing a value
    # an Int parameter handed to take(): no block bound
    assert [f for f in found if f[0] == "ErrorHandler.kt" and f[1] == 12] == []
    assert [f for f in found if f[0] == "DockerHttpClient.kt" and f[1] == 12] == []


WRAPPER = """package app.utils
import org.springframework.retry.policy.NeverRetryPolicy
import org.springframework.retry.policy.SimpleRetryPolicy
import org.springframework.retry.support.RetryTemplate
import org.springframework.web.client.RestTemplate

open class RetryingRestTemplateWrapper(
    val restTemplate: RestTemplate,
    open val retries: Int = 3,
    val backoff: Long = 500,
) {
    private val retryTemplate = RetryTemplate().apply {
        if (retries == 0) {
            setRetryPolicy(NeverRetryPolicy())
        } else {
            setRetryPolicy(SimpleRetryPolicy(retries))
        }
    }
}
"""

SUBCLASSES = """package app.service
import app.utils.RetryingRestTemplateWrapper
import org.springframework.beans.factory.annotation.Value

class BitbucketWrapper(restTemplate: RestTemplate) : RetryingRestTemplateWrapper(restTemplate)

class MattermostWrapper(restTemplate: RestTemplate) : RetryingRestTemplateWrapper(
    restTemplate = restTemplate,
    retries = 0,
)

class DbhWrapper(
    restTemplate: RestTemplate,
    @Value("\\${integrations.dbh.retries:5}") override val retries: Int
) : RetryingRestTemplateWrapper(restTemplate = restTemplate, retries = retries)

class Forwarding(restTemplate: RestTemplate, retries: Int) : RetryingRestTemplateWrapper(restTemplate, retries)

class NotFound(message: String) : RuntimeException(message)
"""


def test_superclass_constructor_calls_of_a_retry_wrapper(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/utils/RetryingRestTemplateWrapper.kt": WRAPPER,
        "src/main/kotlin/app/service/Wrappers.kt": SUBCLASSES,
    })
    assert ("RetryingRestTemplateWrapper.kt", 16, "retry", 3) in found  # rule (a) at the policy
    assert ("Wrappers.kt", 5, "retry", 3) in found  # rule (b): retries left out
    assert ("Wrappers.kt", 7, "retry", 1) in found  # retries = 0: never retried, one try
    assert ("Wrappers.kt", 15, "retry", 5) in found  # an injected property's default
    # a subclass handing on its own parameter without a default is a forwarder; a library superclass is nothing
    assert [f for f in found if f[0] == "Wrappers.kt" and f[1] in (17, 19)] == []


WAIT_UNTIL = """package app.coroutines
import kotlinx.coroutines.delay
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

val DEFAULT_INTERVAL = 300.milliseconds

suspend fun waitUntil(
    timeout: Duration,
    checkInterval: Duration = DEFAULT_INTERVAL,
    conditionEvaluator: suspend () -> Boolean,
) {
    suspend fun waitUntil(available: Long, interval: Long) {
        require(available >= interval) { "Await condition expired" }
        if (!conditionEvaluator()) {
            delay(interval.milliseconds)
            waitUntil(available - interval, interval)
        }
    }
    waitUntil(timeout.inWholeMilliseconds, checkInterval.inWholeMilliseconds)
}
"""

CLUSTER = """package app.cluster
import app.coroutines.waitUntil
import kotlin.time.Duration.Companion.seconds

interface ClusterClient {
    suspend fun triggerJobSync(spec: String, checkJobInterval: Long = 30, maxSecondsDuration: Long = 60): String
}

class SlurmClusterClient(private val ssh: SshClient) : ClusterClient {
    override suspend fun triggerJobSync(spec: String, checkJobInterval: Long, maxSecondsDuration: Long): String {
        val job = ssh.submit(spec)
        await(job, checkJobInterval, maxSecondsDuration)
        return job
    }

    private suspend fun await(job: String, checkJobInterval: Long, maxSecondsDuration: Long) {
        waitUntil(checkInterval = checkJobInterval.seconds, timeout = maxSecondsDuration.seconds) {
            ssh.status(job) == "COMPLETED"
        }
    }
}
"""

SECURITY = """package app.security
import app.cluster.ClusterClient

class SecurityService(private val clusterClient: ClusterClient) {
    suspend fun createFolder(job: String) {
        clusterClient.triggerJobSync(job, checkJobInterval = 2)
    }
    suspend fun copy(job: String) {
        clusterClient.triggerJobSync(job)
    }
    suspend fun long(job: String) {
        clusterClient.triggerJobSync(job, 5, 600)
    }
}
"""


def test_a_polling_helper_and_an_interface_default_left_out_through_the_interface(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/coroutines/WaitUntil.kt": WAIT_UNTIL,
        "src/main/kotlin/app/cluster/SlurmClusterClient.kt": CLUSTER,
        "src/main/kotlin/app/security/SecurityService.kt": SECURITY,
    })
    assert ("SecurityService.kt", 6, "timeout", 60000) in found  # the interface's default, in seconds
    assert ("SecurityService.kt", 9, "timeout", 60000) in found
    assert ("SecurityService.kt", 12, "timeout", 600000) in found  # a value passed
    # rule (a) where the implementation hands on the default its interface declares; the helper's own parameter and
    # the private await's hand-on are forwarders (no value of their own)
    assert [f for f in found if f[0] in ("WaitUntil.kt", "SlurmClusterClient.kt") and f[2] == "timeout"] \
        == [("SlurmClusterClient.kt", 12, "timeout", 60000)]


def test_an_override_without_an_interface_default_is_a_forwarder(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/coroutines/WaitUntil.kt": WAIT_UNTIL,
        "src/main/kotlin/app/cluster/SlurmClusterClient.kt": CLUSTER.replace(
            "checkJobInterval: Long = 30, maxSecondsDuration: Long = 60", "checkJobInterval: Long, maxSecondsDuration: Long"),
    })
    assert [f for f in found if f[2] == "timeout"] == []


def test_a_function_not_named_for_waiting_is_no_polling_helper(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/Render.kt": """package app
import kotlin.time.Duration
suspend fun render(timeout: Duration, page: String) { delay(10); draw(page) }
suspend fun waitUntil(timeout: Duration, ready: () -> Boolean) { while (!ready()) spin() }
""",
        "src/main/kotlin/app/Use.kt": """package app
import kotlin.time.Duration.Companion.seconds
suspend fun use() { render(5.seconds, "x"); waitUntil(5.seconds) { true } }
""",
    })
    assert found == []


def test_commons_net_ftp_client_timeouts_through_a_factory_chain(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/ftp/Common.kt": """package app.ftp
import org.apache.commons.net.ftp.FTPClient
import kotlin.time.Duration

fun ftpClient(connectTimeout: Duration, defaultTimeout: Duration): FTPClient =
    FTPClient().apply {
        this.connectTimeout = connectTimeout.inWholeMilliseconds.toInt()
        this.defaultTimeout = defaultTimeout.inWholeMilliseconds.toInt()
    }

val probe = FTPClient().apply { connectTimeout = 1500 }
""",
        "src/main/kotlin/app/ftp/FtpClient.kt": """package app.ftp
import kotlin.time.Duration.Companion.milliseconds

interface FtpClient {
    fun list(path: String): List<String>
    companion object {
        fun create(ftpUrl: String, defaultTimeout: Long, connectionTimeout: Long): FtpClient =
            SimpleFtpClient(ftpUrl, defaultTimeout, connectionTimeout)
    }
}

private class SimpleFtpClient(
    private val ftpUrl: String,
    private val defaultTimeout: Long,
    private val connectionTimeout: Long,
) : FtpClient {
    override fun list(path: String): List<String> {
        val ftp = ftpClient(connectionTimeout.milliseconds, defaultTimeout.milliseconds)
        ftp.connect(ftpUrl)
        return ftp.listNames(path).toList()
    }
}
""",
        "src/main/kotlin/app/Config.kt": """package app
import app.ftp.FtpClient
class Config {
    fun ftp(): FtpClient = FtpClient.create(
        ftpUrl = "ftp.example.org",
        defaultTimeout = 30000,
        connectionTimeout = 5000,
    )
}
""",
    })
    assert ("Config.kt", 4, "timeout", 30000) in found
    assert ("Config.kt", 4, "timeout", 5000) in found
    assert ("Common.kt", 11, "timeout", 1500) in found
    assert [f for f in found if f[0] in ("FtpClient.kt",) or f[0] == "Common.kt" and f[1] in (7, 8)] == []


def test_an_injected_null_default_setting_handed_to_a_helper_is_left_out_not_a_value(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/RetryApiService.kt": """package app
import org.springframework.beans.factory.annotation.Value
import reactor.util.retry.Retry
import java.time.Duration
class RetryApiService(
    @Value("\\${hmpps.web-client.max-retries:3}") private val maxRetryAttempts: Long,
    @Value("\\${hmpps.web-client.backoff-millis:100}") private val backoffMillis: Long,
) {
    fun getBackoffSpec(maxRetryAttempts: Long? = null, backoffMillis: Long? = null) = Retry.backoff(
        maxRetryAttempts ?: this.maxRetryAttempts,
        Duration.ofMillis(backoffMillis ?: this.backoffMillis),
    )
}
""",
        "src/main/kotlin/app/AppointmentsApiService.kt": """package app
import org.springframework.beans.factory.annotation.Value
class AppointmentsApiService(
    @Value("\\${hmpps.web-client.appointments.max-retries:#{null}}") private val maxRetryAttempts: Long?,
    retryApiService: RetryApiService,
) {
    private val backoffSpec = retryApiService.getBackoffSpec(maxRetryAttempts, null)
}
""",
    })
    # the call leaves the bound to the helper's default (3 re-tries): one finding, never one valued from the setting
    assert [f for f in found if f[0] == "AppointmentsApiService.kt"] == [("AppointmentsApiService.kt", 7, "retry", 4)]
