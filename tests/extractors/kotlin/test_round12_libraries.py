"""Kotlin round 12 (held-out sets beatsaver-main, jibri, pagopa-event-dispatcher, biostudies-backend): Ktor's
per-request ``retry { }``, Selenium's page-load timeout and explicit waits, timeout options in a connection URI's
query, Netty's ``ReadTimeoutHandler(0)`` (no timeout), a retry helper written ``repeat(times - 1) { .. }; return
block()`` (``times`` tries, published for its callers), and two traps: a future of a scheduled local task, and a
``retryCount`` copied from a record into an event."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR

from .support import scan_service as _scan


def _contracts(source: str, path: str = "src/A.kt"):
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in EXTRACTOR.extract(path, source.encode()).findings
                  if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


def test_ktor_per_request_retry_block():
    found = _contracts("""package x
import io.ktor.client.plugins.retry
import io.ktor.client.request.get

suspend fun user(client: HttpClient, token: String) =
    client.get("https://discord.com/api/users/@me") {
        retry {
            constantDelay(50, 100)
        }
    }.body<String>()

suspend fun counted(client: HttpClient) = client.post("https://x/y") { retry { maxRetries = 1 } }

fun local(items: List<String>) = retry { items.first() }
""")
    assert ("retry", 7, 4) in found  # HttpRequestRetry's per-request config starts at 3 re-tries
    assert ("retry", 12, 2) in found
    assert [f for f in found if f[1] == 14] == []  # not in a Ktor request builder


def test_selenium_page_load_and_explicit_waits():
    found = _contracts("""package x
import org.openqa.selenium.support.ui.WebDriverWait
import java.time.Duration

class CallPage(private val driver: ChromeDriver) {
    fun visit(url: String): Boolean {
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60))
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20))
        WebDriverWait(driver, Duration.ofSeconds(30)).until { joined() }
        WebDriverWait(driver, 5).until { left() }
        return true
    }
}
""")
    assert ("timeout", 7, 60000) in found
    assert ("timeout", 9, 30000) in found
    assert ("timeout", 10, 5000) in found  # the old API's seconds
    assert [f for f in found if f[1] == 8] == []  # a local script's bound


def test_selenium_names_without_the_library_are_nothing():
    assert _contracts("""package x
class Wait(val d: Driver) {
    fun f() { WebDriverWait(d, 30).go(); pageLoadTimeout(5) }
}
""") == []


def test_connection_uri_query_timeouts():
    found = _contracts("""package x
object Mongo {
    val client = KMongo.createClient(
        "mongodb://$user:$pass@$host:$port/$db?serverSelectionTimeoutMS=2000&connectTimeoutMS=3000"
    )
    val pg = "jdbc:postgresql://db/orders?socketTimeout=30"
    val log = "retry with timeout=5 later"
    val idle = "http://svc/path?idleTimeout=60000"
    val placeholder = "mongodb://h/?connectTimeoutMS=${'$'}{MONGO_TIMEOUT}"
}
""")
    assert found == [("timeout", 4, 2000), ("timeout", 4, 3000), ("timeout", 6, 30000)]


def test_read_timeout_handler_zero_disables_the_timeout():
    found = _contracts("""package x
import io.netty.handler.timeout.ReadTimeoutHandler
val c = HttpClient.create().doOnConnected { it.addHandlerLast(ReadTimeoutHandler(0)) }
val d = HttpClient.create().doOnConnected { it.addHandlerLast(ReadTimeoutHandler(10)) }
""")
    assert found == [("timeout", 4, 10000)]


def test_waiting_for_a_cancelled_scheduled_task_is_not_a_call_bound():
    found = _contracts("""package x
import java.util.concurrent.TimeUnit
fun main() {
    val statusUpdaterTask = TaskPools.recurringTasksPool.scheduleAtFixedRate(1, TimeUnit.MINUTES) {
        webhookClient.updateStatus(status)
    }
    statusUpdaterTask.cancel(true)
    statusUpdaterTask.get(5, TimeUnit.SECONDS)
    val reply = producer.send(record)
    reply.get(10, TimeUnit.SECONDS)
}
""")
    assert found == [("timeout", 10, 10000)]


def test_a_retry_count_copied_from_a_record_is_no_bound():
    found = _contracts("""package x
fun build(transactionRetriedData: TransactionRetriedData, config: JibriConfig) {
    val event = TransactionClosureRetriedEvent(id, TransactionClosureRetriedData(err, transactionRetriedData.retryCount))
    val session = JibriSession(room, config.pendingTimeout, config.retryCount)
}
""")
    assert [f[:2] for f in found] == [("retry", 4)]  # the settings object's count is one


def test_repeat_times_minus_one_then_a_last_try_is_times_tries(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/utils/ProcessUtils.kt": """package app.utils
suspend fun <T> retry(times: Int, initialDelay: Long = 100, block: suspend () -> T): T {
    var currentDelay = initialDelay
    repeat(times - 1) {
        try {
            return block()
        } catch (e: Exception) {
            logger.error(e) { "failed" }
        }
        delay(currentDelay)
    }
    return block()
}
""",
        "src/main/kotlin/app/FileDownloader.kt": """package app
import app.utils.retry
class FileDownloader(private val api: PmcApi) {
    suspend fun download(id: String) = retry(RETRIES) { api.downloadFile(id) }
    companion object {
        const val RETRIES = 3
    }
}
""",
    })
    assert ("FileDownloader.kt", 4, "retry", 3) in found
    assert [f for f in found if f[0] == "ProcessUtils.kt"] == []  # the helper forwards its callers' count


def test_aurora_kubernetes_client_settings_in_code():
    found = _contracts("""package x
import no.skatteetaten.aurora.kubernetes.KubernetesConfiguration
import no.skatteetaten.aurora.kubernetes.RetryConfiguration
import java.time.Duration

class ApplicationConfig(val kubernetesClientConfig: KubernetesConfiguration) {
    fun managementClient(builder: WebClient.Builder): KubernetesReactorClient =
        kubernetesClientConfig.copy(
            retry = RetryConfiguration(0),
            timeout = kubernetesClientConfig.timeout.copy(read = Duration.ofSeconds(2))
        ).createServiceAccountReactorClient(builder, null).build()

    fun other() = KubernetesConfiguration(retry = RetryConfiguration(times = 3),
        timeout = HttpClientTimeoutConfiguration(connect = Duration.ofSeconds(1), write = Duration.ofSeconds(9)))
    fun notTimeout() = person.copy(read = 5)
}
""")
    assert found == [("retry", 9, 1), ("retry", 13, 4), ("timeout", 10, 2000), ("timeout", 14, 1000)]


def test_aurora_names_without_the_client_are_nothing():
    assert _contracts("""package x
val r = RetryConfiguration(3)
val t = settings.timeout.copy(read = Duration.ofSeconds(2))
""") == []


def test_coroutine_future_of_work_bounded_with_or_timeout():
    found = _contracts("""package x
import kotlinx.coroutines.future.future
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

abstract class GoboDataLoader<K, V> {
    abstract suspend fun getByKeys(keys: Set<K>): Map<K, V>
    fun load(keys: Set<K>) = scope.future { getByKeys(keys) }.orTimeout(3, TimeUnit.MINUTES)
    fun built(result: Any) = CompletableFuture.supplyAsync { result }.orTimeout(5, TimeUnit.SECONDS)
    fun value(v: Int) = scope.future { v }.orTimeout(1, TimeUnit.SECONDS)
}
""")
    assert found == [("timeout", 8, 180000)]


def test_resilience4j_max_attempts_from_a_destructured_pair():
    found = _contracts("""package x
import io.github.resilience4j.retry.RetryConfig
import java.time.Duration

fun a(): RetryConfig {
    val (attempts, wait) = Pair(5, Duration.ofMillis(200))
    return RetryConfig.custom<Any>().maxAttempts(attempts).waitDuration(wait).build()
}

fun b(): RetryConfig {
    val (delayMs, attempts) = 100L to 4
    return RetryConfig.custom<Any>().maxAttempts(attempts).build()
}

fun c(settings: Settings): RetryConfig {
    val (attempts, wait) = settings.retryPair()
    return RetryConfig.custom<Any>().maxAttempts(attempts).build()
}
""")
    assert ("retry", 7, 5) in found
    assert ("retry", 12, 4) in found
    assert ("retry", 17, None) in found  # a pair computed at run time: unknown, not a wrong number


def test_a_polling_loop_with_its_own_elapsed_time_deadline():
    found = _contracts("""package x
class Provisioner(val openShiftClient: OpenShiftClient, @Value("\\${x.provisioning-timeout:20000}") val provisioningTimeout: Long) {
    fun waitForCompletion(requests: List<Request>) {
        val startTime = System.currentTimeMillis()
        fun hasTimedOut() = System.currentTimeMillis() - startTime > provisioningTimeout
        while (true) {
            requests.forEach { it.result = openShiftClient.performOpenShiftCommand(it.command) }
            if (requests.all { it.done } || hasTimedOut()) break
            Thread.sleep(1000)
        }
    }

    fun inline(client: HttpClient) {
        val start = System.currentTimeMillis()
        while (System.currentTimeMillis() - start < 5000) { client.get("x") }
        do {
            val status = client.get("status")
            if (System.currentTimeMillis() - start >= 30000) throw TimeoutException()
        } while (status != "done")
    }

    fun throttled(client: HttpClient) {
        var lastLog = 0L
        while (true) {
            client.get("x")
            if (System.currentTimeMillis() - lastLog > 60000) { log.info("still polling"); lastLog = now() }
        }
    }

    fun local(queue: Queue) {
        val start = System.currentTimeMillis()
        while (true) {
            if (queue.isEmpty() || System.currentTimeMillis() - start > 1000) break
            queue.poll()
        }
    }
}
""")
    assert ("timeout", 5, 20000) in found
    assert ("timeout", 15, 5000) in found  # the loop runs while under the limit
    assert ("timeout", 18, 30000) in found
    # a log throttle inside the loop; a loop over local work
    assert [f for f in found if f[1] in (26, 33)] == []


def test_a_task_scheduled_to_end_the_work_kept_as_a_timeout():
    found = _contracts("""package x
import java.util.concurrent.TimeUnit
class JibriManager {
    private var serviceTimeoutTask: ScheduledFuture<*>? = null
    private var statusTask: ScheduledFuture<*>? = null
    fun start(params: ServiceParams) {
        serviceTimeoutTask = pool.schedule(params.usageTimeoutMinutes.toLong(), TimeUnit.MINUTES) { stopService() }
        statusTask = pool.schedule(1, TimeUnit.MINUTES) { publishStatus() }
        val usageTimeout = pool.schedule(30, TimeUnit.SECONDS) { stopService() }
    }
}
""")
    assert found == [("timeout", 7, None), ("timeout", 9, 30000)]


def test_a_typed_route_after_a_property_is_not_read_as_its_getter():
    source = """package x
fun Route.userRoute(client: HttpClient) {
    val formatter = DateTimeFormatter.ofPattern("yyyy-MM-dd")
    get<UsersApi.UserPlaylist> {
        val image = client.get(user.avatar) {
            timeout {
                requestTimeoutMillis = 60000
            }
        }
    }
}
"""
    result = EXTRACTOR.extract("src/A.kt", source.encode())
    assert not result.errors
    assert ("timeout", 7, 60000) in _contracts(source)
