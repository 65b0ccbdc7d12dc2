"""Kotlin round 18, second wave (held-out sets evaka, dex-processing-status, airbyte-workload-launcher,
matrix-sms-bridge): the shapes their first scans missed, each with a trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan


# --- a helper's defaulted options object (`buildHttpClient(timeouts = TimeoutConfig())`) ----------------------

TIMEOUT_CONFIG = """package app.shared
import java.time.Duration

data class TimeoutConfig(
    val connectTimeout: Duration = Duration.ofSeconds(30),
    val readTimeout: Duration = Duration.ofSeconds(30),
    val writeTimeout: Duration = Duration.ofSeconds(20),
    val callTimeout: Duration? = null,
)
"""

FACTORY = """package app.shared
import okhttp3.OkHttpClient

fun buildHttpClient(
    timeouts: TimeoutConfig = TimeoutConfig(),
    rootUrl: String? = null,
): OkHttpClient {
    val builder =
        OkHttpClient.Builder()
            .connectTimeout(timeouts.connectTimeout)
            .readTimeout(timeouts.readTimeout)
            .writeTimeout(timeouts.writeTimeout)
    timeouts.callTimeout?.let { builder.callTimeout(it) }
    return builder.build()
}

fun buildOther(options: Options, rootUrl: String? = null): OkHttpClient = OkHttpClient.Builder().build()
"""

CLIENTS = """package app
import app.shared.TimeoutConfig
import app.shared.buildHttpClient
import app.shared.buildOther
import java.time.Duration

class Dvv {
    private val httpClient =
        buildHttpClient(
            rootUrl = "https://dvv.example.com",
        )
}

class Jamix {
    private val httpClient =
        buildHttpClient(
            rootUrl = "https://jamix.example.com",
            timeouts =
                TimeoutConfig(
                    connectTimeout = Duration.ofSeconds(120),
                    readTimeout = Duration.ofSeconds(120),
                    writeTimeout = Duration.ofSeconds(120),
                ),
        )
}

class Bi {
    private val httpClient =
        buildHttpClient(
            rootUrl = "https://bi.example.com",
            timeouts = TimeoutConfig(readTimeout = Duration.ofMinutes(5)),
        )
    private val other = buildOther(Options(readTimeout = Duration.ofMinutes(5)))
}
"""


def test_defaulted_options_object_left_out_gets_every_member_default(tmp_path):
    found = _scan(tmp_path, {"shared/TimeoutConfig.kt": TIMEOUT_CONFIG, "shared/Factory.kt": FACTORY,
                             "Clients.kt": CLIENTS})
    at = lambda line: sorted((f[2], f[3], f[4]) for f in found if f[0] == "Clients.kt" and f[1] == line)
    # rule a at the helper's lines, with the class's defaults
    assert ("Factory.kt", 10, "timeout", 30000, "connect") in found
    assert ("Factory.kt", 12, "timeout", 20000, "write") in found
    # rule b: the call leaving the object out
    assert at(9) == [("timeout", 20000, "write"), ("timeout", 30000, "connect"), ("timeout", 30000, "read")]
    # rule c: every member given
    assert at(16) == [("timeout", 120000, "connect"), ("timeout", 120000, "read"), ("timeout", 120000, "write")]
    # one member given: it, and the defaults of the others
    assert at(29) == [("timeout", 20000, "write"), ("timeout", 30000, "connect"), ("timeout", 300000, "read")]
    # trap: an options object handed to a helper that applies none of its members
    assert at(33) == []
    assert not any(f[0] == "TimeoutConfig.kt" for f in found)


# --- a job queue's retry counts -------------------------------------------------------------------------------

RUNNER = """package app.async
import java.time.Duration

private const val defaultRetryCount = 24 * 60 / 5

class AsyncJobRunner<T : Any>(private val pool: String) {
    fun plan(
        tx: Any,
        payloads: Iterable<T>,
        retryCount: Int = defaultRetryCount,
        retryInterval: Duration = Duration.ofMinutes(5),
        runAt: Long,
    ) = plan(tx, payloads.map { JobParams(it, retryCount, retryInterval, runAt) })

    fun plan(tx: Any, jobs: Iterable<JobParams<T>>) { }
}

data class JobParams<T>(val payload: T, val retryCount: Int, val retryInterval: Duration, val runAt: Long)
"""

SCHEDULER = """package app.job
import app.async.AsyncJobRunner

private const val ASYNC_JOB_RETRY_COUNT = 12

data class ScheduledJobSettings(val enabled: Boolean, val schedule: String, val retryCount: Int? = null)

class ScheduledJobRunner(private val asyncJobRunner: AsyncJobRunner<String>) {
    fun planAsyncJob(tx: Any, definition: Definition) {
        val (job, settings) = definition
        asyncJobRunner.plan(
            tx,
            listOf(job),
            retryCount = settings.retryCount ?: ASYNC_JOB_RETRY_COUNT,
            runAt = 0L,
        )
    }
}
"""

SERVICE = """package app
import app.async.AsyncJobRunner
import app.job.ScheduledJobSettings

class DvvService(private val asyncJobRunner: AsyncJobRunner<String>) {
    fun update(tx: Any, ssns: List<String>) {
        asyncJobRunner.plan(
            tx,
            payloads = ssns,
            runAt = 0L,
        )
        asyncJobRunner.plan(tx, ssns, retryCount = 1, runAt = 0L)
        asyncJobRunner.plan(tx, ssns.map { JobParams(it, 3, INTERVAL, 0L) })
        val retryCount = ssns.size
        println("planned with retryCount = $retryCount")
    }
}

enum class Jobs(val settings: ScheduledJobSettings) {
    A(ScheduledJobSettings(enabled = true, schedule = "nightly", retryCount = 1)),
    B(ScheduledJobSettings(enabled = true, schedule = "nightly")),
}

data class RetriedData(val retryCount: Int)
val record = RetriedData(retryCount = 3)
"""


def test_job_queue_plan_leaving_the_count_out_gets_the_runner_default(tmp_path):
    found = _scan(tmp_path, {"async/AsyncJobRunner.kt": RUNNER, "job/Scheduler.kt": SCHEDULER,
                             "DvvService.kt": SERVICE})
    service = {(f[1], f[2]): f[3] for f in found if f[0] == "DvvService.kt"}
    assert service[(7, "retry")] == 288  # retryCount left out: 24 * 60 / 5 (rule b)
    assert service[(12, "retry")] == 1
    assert (13, "retry") not in service  # JobParams carry their own counts (no runAt named)
    assert service[(20, "retry")] == 1  # ScheduledJobSettings(retryCount = 1): the count the scheduler plans with
    assert (21, "retry") not in service  # left out: the class default is null (the scheduler's fallback is its own)
    assert (25, "retry") not in service  # a record named like it, no job queue reads RetriedData
    assert ("Scheduler.kt", 11, "retry", 12, None) in found


def test_job_settings_count_without_a_queue_reading_it_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"DvvService.kt": SERVICE.replace("asyncJobRunner.plan", "asyncJobRunner.send")})
    assert [f for f in found if f[2] == "retry"] == []


# --- a counted recursion re-sending on HTTP 429, its guard an early exit ---------------------------------------

RECURSION = """package app.http
import java.util.concurrent.TimeUnit
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.Response

fun OkHttpClient.executeWithRetries(
    request: Request,
    remainingTries: Int = 5,
): Response {
    val response = newCall(request).execute()
    if (response.code != 429) {
        return response
    }
    if (remainingTries <= 0) {
        response.close()
        throw IllegalStateException("throttled after all retries")
    }
    response.close()
    TimeUnit.SECONDS.sleep(1)
    return executeWithRetries(request, remainingTries - 1)
}

fun walk(node: Node, depth: Int = 10): Int {
    if (depth <= 0) return 0
    return node.children.sumOf { walk(it, depth - 1) }
}

fun get(url: String) = fetchWithTimeout(url, 5000)
fun fetchWithTimeout(url: String, timeoutMs: Long): String =
    OkHttpClient.Builder().callTimeout(timeoutMs, TimeUnit.MILLISECONDS).build().newCall(Request.Builder().url(url).build()).execute().body!!.string()
"""

CALLER = """package app
import app.http.executeWithRetries
import okhttp3.OkHttpClient
import okhttp3.Request

class Client(private val client: OkHttpClient) {
    fun send(request: Request) =
        client.executeWithRetries(request).use { it.code }
    fun sendTwice(request: Request) = client.executeWithRetries(request, 1)
}
"""


def test_counted_recursion_with_an_early_exit_guard(tmp_path):
    found = _scan(tmp_path, {"http/Extensions.kt": RECURSION, "Client.kt": CALLER})
    retries = [f[:4] for f in found if f[2] == "retry"]
    assert ("Extensions.kt", 7, "retry", 6) in retries  # remainingTries = 5 left after the first: 6 tries
    assert not any(f[0] == "Extensions.kt" and f[1] in (21, 24, 26) for f in retries)  # the self-call; a depth walk
    assert ("Client.kt", 8, "retry", 6) in retries  # leaves it out (rule b)
    assert ("Client.kt", 9, "retry", 2) in retries  # passes 1 (rule c)
    assert ("Extensions.kt", 29, "timeout", 5000, "total") in found  # an overload handing a value on still proposes


# --- re-authenticate and send again -------------------------------------------------------------------------

REAUTH = """package app
import java.time.Duration
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.Response

class VardaClient(private val client: OkHttpClient) {
    private var token: String? = null

    fun <T> execute(request: Request, fn: (Response) -> T): T {
        val token = getToken()
        return executeWithToken(request, token).use { response ->
            if (isTokenError(response)) {
                val newToken = refreshToken()
                executeWithToken(request, newToken).use { fn(it) }
            } else {
                fn(response)
            }
        }
    }

    fun <T> other(request: Request, other: Request, fn: (Response) -> T): T {
        val first = executeWithToken(request, getToken())
        if (first.code == 401) {
            refreshToken()
            return executeWithToken(other, getToken()).use { fn(it) }
        }
        if (first.code == 500) {
            return executeWithToken(request, getToken()).use { fn(it) }
        }
        return fn(first)
    }

    private fun executeWithToken(request: Request, token: String): Response =
        client.newCall(request.newBuilder().header("Authorization", "Token $token").build()).execute()
    private fun isTokenError(response: Response) = response.code == 403
    private fun refreshToken(): String = "t"
    private fun getToken(): String = token ?: refreshToken()
}

class SfiClient(private val store: Store) {
    private val httpClient: OkHttpClient =
        OkHttpClient.Builder()
            .connectTimeout(Duration.ofMinutes(1))
            .authenticator { _, response ->
                val isFirstAttempt = response.priorResponse == null
                if (isFirstAttempt) {
                    response.request.newBuilder().header("Authorization", store.get()).build()
                } else null
            }
            .build()
    private val unbounded: OkHttpClient =
        OkHttpClient.Builder()
            .authenticator { _, response ->
                response.request.newBuilder().header("Authorization", store.get()).build()
            }
            .build()
}
"""


def test_reauthenticate_and_send_again_is_two_tries(tmp_path):
    found = _scan(tmp_path, {"VardaClient.kt": REAUTH})
    retries = {f[1]: f[3] for f in found if f[2] == "retry"}
    assert retries.get(15) == 2  # the same request sent again after refreshToken(), on a token error
    assert 26 not in retries  # another request after the refresh
    assert 29 not in retries  # the same request again on a 500: no new credentials
    assert retries.get(45) == 2  # an authenticator answering only the first 401
    assert retries.get(54, "missing") is None  # one answering every 401: OkHttp's follow-up limit


# --- a Duration constant of another file handed to a duration-only knob ---------------------------------------

COMMON = """package app.reports
import java.time.Duration

val REPORT_STATEMENT_TIMEOUT: Duration = Duration.ofMinutes(10)
"""

JOBS = """package app
import app.reports.REPORT_STATEMENT_TIMEOUT
import java.time.Duration

class Jobs(private val db: Db) {
    fun export() {
        db.read { tx ->
            tx.setStatementTimeout(REPORT_STATEMENT_TIMEOUT)
        }
    }
    fun other(timeout: Duration) {
        db.read { tx -> tx.setStatementTimeout(timeout) }
    }
}
"""


def test_statement_timeout_from_a_duration_constant_of_another_file(tmp_path):
    found = _scan(tmp_path, {"reports/Common.kt": COMMON, "Jobs.kt": JOBS})
    assert ("Jobs.kt", 8, "timeout", 600000, "total") in found
    assert not any(f[0] == "Jobs.kt" and f[1] == 12 for f in found)  # the caller's own value (a forwarder)


# --- library options: Temporal, Camel, Couchbase, fabric8; a deadline around awaiting remote work ---------------

TEMPORAL = """package app
import io.temporal.activity.ActivityOptions
import io.temporal.common.RetryOptions
import java.time.Duration

object WorkflowActivity {
    val options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setScheduleToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setMaximumAttempts(3)
                .build()
        )
        .build()
    val forever = RetryOptions.newBuilder().setMaximumAttempts(0).build()
}
"""

CAMEL = """package app
import org.apache.camel.builder.RouteBuilder

class AwsRoutes : RouteBuilder() {
    override fun configure() {
        onException(Exception::class.java)
            .maximumRedeliveries(3)
            .redeliveryDelay(1000)
            .handled(true)
        onException(IllegalStateException::class.java)
            .maximumRedeliveries(-1)
    }
}
"""

NOT_CAMEL = """package app
class NotCamel {
    fun f(policy: Policy) = policy.maximumRedeliveries(3)
}
"""

COUCHBASE = """package app
import com.couchbase.client.java.Bucket
import com.couchbase.client.java.Cluster
import com.couchbase.client.java.diagnostics.PingOptions
import java.time.Duration

class Repo(private val bucket: Bucket, private val cluster: Cluster) {
    init {
        bucket.waitUntilReady(Duration.ofSeconds(10))
    }
    fun ping() {
        val timeout = Duration.ofSeconds(2)
        val result = cluster.ping(PingOptions.pingOptions().timeout(timeout))
    }
}
"""

DEFERRED = """package app
import com.rabbitmq.client.Channel
import com.rabbitmq.client.Connection
import java.time.Duration
import kotlinx.coroutines.*

class HealthCheck(private val rabbitMQConnection: Connection?) {
    fun check(): Boolean {
        var channel: Channel? = null
        var d: Deferred<Channel?>? = null
        GlobalScope.launch {
            d = async {
                rabbitMQConnection?.createChannel()
            }
        }
        runBlocking {
            withTimeout(Duration.ofSeconds(5).toMillis()) {
                channel = d?.await()
            }
        }
        return channel?.isOpen ?: false
    }

    fun local(): Int {
        var d: Deferred<Int>? = null
        GlobalScope.launch { d = async { (1..10).sum() } }
        var total = 0
        runBlocking { withTimeout(Duration.ofSeconds(7).toMillis()) { total = d!!.await() } }
        return total
    }
}
"""

FABRIC8 = """package app
import io.fabric8.kubernetes.api.model.Pod
import io.fabric8.kubernetes.client.KubernetesClient
import java.time.Duration
import java.util.Objects
import java.util.concurrent.TimeUnit

class Pods(private val kubernetesClient: KubernetesClient) {
    fun delete(pod: Pod, namespace: String) {
        kubernetesClient
            .pods()
            .inNamespace(namespace)
            .resource(pod)
            .withTimeout(DELETE_TIMEOUT_MINUTES, TimeUnit.MINUTES)
            .delete()
        kubernetesClient.pods().inNamespace(namespace).withLabels(mapOf())
            .waitUntilCondition(Objects::isNull, MAX_DELETION_TIMEOUT, TimeUnit.SECONDS)
    }

    fun waitForPodReady(pod: Pod, waitDuration: Duration) {
        kubernetesClient
            .resource(pod)
            .waitUntilCondition({ p: Pod? -> p != null }, waitDuration.toMinutes(), TimeUnit.MINUTES)
    }

    companion object {
        const val DELETE_TIMEOUT_MINUTES = 1L
        const val MAX_DELETION_TIMEOUT = 45L
    }
}
"""

CONSTANTS = """package app.constants
import java.time.Duration

object KubeConstants {
    val INIT_CONTAINER_STARTUP_TIMEOUT: Duration = Duration.ofMinutes(15)
    val INIT_CONTAINER_TERMINATION_TIMEOUT: Duration = Duration.ofMinutes(2)
    val FULL_POD_TIMEOUT: Duration = INIT_CONTAINER_STARTUP_TIMEOUT.plus(INIT_CONTAINER_TERMINATION_TIMEOUT)
}
"""

POD_CLIENT = """package app
import app.constants.KubeConstants.FULL_POD_TIMEOUT
import io.fabric8.kubernetes.api.model.Pod
import java.time.Duration

class PodClient(private val pods: Pods) {
    fun launch(pod: Pod) {
        waitForReady(pod)
        pods.waitForPodReady(pod, POD_INIT_TIMEOUT_VALUE)
    }

    private fun waitForReady(pod: Pod, timeout: Duration = STARTUP_TIMEOUT) {
        pods.waitForPodReady(pod, timeout)
    }

    companion object {
        private val SLACK: Duration = Duration.ofSeconds(5)
        val POD_INIT_TIMEOUT_VALUE: Duration = Duration.ofMinutes(15)
        val STARTUP_TIMEOUT: Duration = FULL_POD_TIMEOUT.plus(SLACK)
    }
}
"""


def test_temporal_activity_options(tmp_path):
    found = _scan(tmp_path, {"WorkflowActivity.kt": TEMPORAL})
    assert ("WorkflowActivity.kt", 8, "timeout", 10000, "total") in found
    assert ("WorkflowActivity.kt", 9, "timeout", 60000, "total") in found
    assert ("WorkflowActivity.kt", 12, "retry", 3, None) in found
    assert ("WorkflowActivity.kt", 16, "retry", None, None) in found  # 0: unlimited


def test_camel_redeliveries(tmp_path):
    found = _scan(tmp_path, {"AwsRoutes.kt": CAMEL, "NotCamel.kt": NOT_CAMEL})
    retries = {f[1]: f[3] for f in found if f[2] == "retry" and f[0] == "AwsRoutes.kt"}
    assert retries[7] == 4  # 3 redeliveries after the first try
    assert retries[11] is None  # -1: forever
    assert not any(f[0] == "NotCamel.kt" for f in found)  # no Camel import: a policy of another library
    assert not any(f[2] == "timeout" for f in found)  # redeliveryDelay is a pause


def test_couchbase_waits(tmp_path):
    found = _scan(tmp_path, {"Repo.kt": COUCHBASE})
    assert ("Repo.kt", 9, "timeout", 10000, "total") in found
    assert ("Repo.kt", 13, "timeout", 2000, "total") in found


def test_deadline_around_awaiting_a_deferred_remote_call(tmp_path):
    found = _scan(tmp_path, {"HealthCheck.kt": DEFERRED})
    assert ("HealthCheck.kt", 17, "timeout", 5000, "total") in found
    assert not any(f[1] == 28 for f in found)  # a local sum awaited: no remote work


def test_fabric8_waits_and_duration_sums(tmp_path):
    found = _scan(tmp_path, {"Pods.kt": FABRIC8, "constants/KubeConstants.kt": CONSTANTS, "PodClient.kt": POD_CLIENT})
    assert ("Pods.kt", 14, "timeout", 60000, "total") in found  # .withTimeout(1, MINUTES).delete()
    assert ("Pods.kt", 17, "timeout", 45000, "total") in found  # waitUntilCondition(.., 45, SECONDS)
    assert not any(f[0] == "Pods.kt" and f[1] == 23 for f in found)  # the caller's Duration: a forwarder
    assert ("PodClient.kt", 9, "timeout", 900000, "total") in found  # rule c
    assert ("PodClient.kt", 13, "timeout", 1025000, "total") in found  # rule a: 15 min + 2 min + 5 s
    assert ("PodClient.kt", 8, "timeout", 1025000, "total") in found  # rule b


# --- one last try after a repeat, past a comment and a log line; fallbacks and polls that are no retries ----------

LAST_TRY = """package app
import kotlinx.coroutines.delay
import mu.KotlinLogging

suspend fun <P> retryWithBackoff(numOfRetries: Int = 3, baseDelay: Long = 1000, block: suspend () -> P): P {
    val logger = KotlinLogging.logger {}
    var currentDelay = baseDelay
    repeat(numOfRetries) {
        try {
            return block()
        } catch (e: Exception) {
            logger.error("Attempt failed: ${e.message}")
            delay(currentDelay)
            currentDelay *= 2
        }
    }
    // This is the last attempt
    logger.error("Last attempt, if it fails again the exception is thrown")
    return block()
}

suspend fun <P> noLastTry(numOfRetries: Int = 3, block: suspend () -> P): P? {
    repeat(numOfRetries) {
        try {
            return block()
        } catch (e: Exception) {
            delay(100)
        }
    }
    println("giving up")
    return null
}
"""

SQS = """package app
class Sqs(private val client: SqsClient) {
    suspend fun delete(id: String) {
        retryWithBackoff(numOfRetries = 5) { client.deleteMessage(id) }
    }
}
"""

K8S = """package app
import io.fabric8.kubernetes.api.model.Pod
import io.fabric8.kubernetes.client.KubernetesClient
import java.util.concurrent.TimeUnit

class Wrapper(private val kubernetesClient: KubernetesClient) {
    fun deletePod(pod: Pod, namespace: String) =
        try {
            kubernetesClient.pods().inNamespace(namespace).resource(pod).withTimeout(1, TimeUnit.MINUTES).delete()
        } catch (e: Exception) {
            kubernetesClient.pods().inNamespace(namespace).resource(pod).withGracePeriod(0).delete()
        }

    fun getPod(name: String, namespace: String) =
        try {
            kubernetesClient.pods().inNamespace(namespace).withName(name).get()
        } catch (e: Exception) {
            kubernetesClient.pods().inNamespace(namespace).withName(name).get()
        }
}
"""

POLL = """package app
import java.time.Duration
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

class Inbox(private val webClient: WebClient) {
    fun start() {
        Mono.just(true)
            .flatMapMany { Flux.fromStream(listFiles()) }
            .delaySubscription(Duration.ofSeconds(10))
            .repeat()
            .retry()
            .subscribe()
    }
    fun fetch() = webClient.get().retrieve().bodyToMono(String::class.java).retry(2)
}
"""


def test_last_try_after_a_log_line_and_a_comment(tmp_path):
    found = _scan(tmp_path, {"Retry.kt": LAST_TRY, "Sqs.kt": SQS})
    retries = {(f[0], f[1]): f[3] for f in found if f[2] == "retry"}
    assert retries[("Retry.kt", 8)] == 4  # repeat(3) and one last try
    assert retries[("Retry.kt", 23)] == 3  # no last try: println then return null
    assert retries[("Sqs.kt", 4)] == 6  # numOfRetries = 5 (rule c)


def test_forced_delete_in_the_catch_is_a_fallback(tmp_path):
    found = _scan(tmp_path, {"Wrapper.kt": K8S})
    retries = {f[1]: f[3] for f in found if f[2] == "retry"}
    assert 8 not in retries  # a graceful delete, then a forced one
    assert retries.get(15) == 2  # the same read again: a retry
    assert ("Wrapper.kt", 9, "timeout", 60000, "total") in found


def test_endless_repeat_kept_alive_by_retry_is_a_poll(tmp_path):
    found = _scan(tmp_path, {"Inbox.kt": POLL})
    retries = {f[1]: f[3] for f in found if f[2] == "retry"}
    assert 12 not in retries
    assert retries.get(15) == 3


LAMBDA_HELPER = """package app
class Sync(private val accounts: Accounts) {
    suspend fun <T> getCacheTokenOrLogin(serverCall: suspend (token: String) -> T): T {
        return try {
            val token = accounts.getAccessToken() ?: refreshToken()
            serverCall(token)
        } catch (ex: Exception) {
            if (isHttpUnauthorized(ex)) {
                val token = refreshToken()
                serverCall(token)
            } else {
                throw ex
            }
        }
    }

    fun send(client: Client, original: Request, token: String?): Response =
        if (isPublic(original)) {
            client.send(original)
        } else if (token != null) {
            refreshToken()
            client.send(original)
        } else {
            client.send(original)
        }

    private fun refreshToken(): String = "t"
}
"""


def test_reauth_traps_lambda_helper_and_other_branches(tmp_path):
    found = _scan(tmp_path, {"Sync.kt": LAMBDA_HELPER})
    assert [f for f in found if f[2] == "retry"] == []  # the helper's lambda: its callers hold the retry (round 9);
    # sends in other branches of one `if`: one send each
