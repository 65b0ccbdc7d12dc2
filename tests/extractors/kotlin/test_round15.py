"""Kotlin round 15 (held-out sets usonia, openbmclapi.kt, DevcordBot, fb-pages-discord-bot): a project retry
helper whose bound is a MEMBER of an options parameter (``repeat(strategy.attempts)``) valued at each call from
the options object it is handed (in place or through a local ``val``), a local ``val timeout = 30.seconds``
handed to a helper, a helper timeout defaulting to ``Duration.INFINITE`` (no bound: its line only forwards),
and a call of the file's own top-level helper leaving its defaulted bound out (rule b). Traps: an options
object whose member the helper does not read, a non-options argument, a local ``var``, a name in a string."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR

from .support import resolve_kept

HELPER = """package usonia.kotlin
import kotlin.time.Duration
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

suspend fun <T> runRetryable(
    attemptTimeout: Duration = Duration.INFINITE,
    strategy: RetryStrategy,
    onError: suspend (Throwable) -> Unit = {},
    block: suspend () -> T,
): Result<T> {
    val timeoutBlock: suspend () -> T = { withTimeout(attemptTimeout) { block() } }
    return runCatching {
        repeat(strategy.attempts) { attempt ->
            try {
                return@runCatching timeoutBlock()
            } catch (e: Throwable) {
                onError(e)
                if (attempt >= strategy.attempts - 1) throw e
                delay(strategy.calculateDelay(attempt))
            }
        }
        throw IllegalStateException("unreachable")
    }
}

sealed interface RetryStrategy {
    val attempts: Int
    fun calculateDelay(attempt: Int): Duration
    data class Static(override val attempts: Int, val timeout: Duration) : RetryStrategy {
        override fun calculateDelay(attempt: Int): Duration = timeout
    }
}
"""

CALLER = """package usonia.notion
import usonia.kotlin.RetryStrategy
import usonia.kotlin.runRetryable
import kotlin.time.Duration.Companion.seconds
import kotlin.time.Duration.Companion.milliseconds

class Reporter(private val client: NotionClient) {
    suspend fun report(token: String) {
        val reports = runRetryable(
            strategy = RetryStrategy.Static(attempts = 20, timeout = 500.milliseconds),
        ) {
            client.queryDatabase(token)
        }
        val retryStrategy = RetryStrategy.Static(
            attempts = 5,
            timeout = 10.seconds,
        )
        val timeout = 30.seconds
        runRetryable(
            strategy = retryStrategy,
            attemptTimeout = timeout,
        ) {
            client.updatePage(token, "runRetryable(strategy = x)")
        }
        runRetryable(attemptTimeout = 60.seconds, strategy = RetryStrategy.Static(attempts = 10, timeout = 1.seconds)) {
            client.createPage(token)
        }
    }
}
"""


def _kept(files: dict[str, str]):
    results = [EXTRACTOR.extract(p, s.encode()) for p, s in files.items()]
    # (the pipeline drops a helper's line that only forwards its callers' value: `$forwarder:<line>:<col>:<kind>`)
    forwarders = {(r.path, k) for r in results for k in r.symbols if k.startswith("$forwarder:")}
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in resolve_kept(results) if f.kind in ("timeout", "retry")
                  and (f.path, f"$forwarder:{f.line}:{f.column}:{f.kind}") not in forwarders)


def test_options_member_bound_is_valued_at_each_call_and_the_helper_only_forwards():
    found = _kept({"kotlin-extensions/src/Requests.kt": HELPER, "notion/src/Reporter.kt": CALLER})
    assert found == [
        ("Reporter.kt", 9, "retry", 20),
        ("Reporter.kt", 19, "retry", 5),
        ("Reporter.kt", 19, "timeout", 30000),
        ("Reporter.kt", 25, "retry", 10),
        ("Reporter.kt", 25, "timeout", 60000),
    ]


def test_options_object_of_a_helper_that_reads_no_member_and_a_var_are_no_contract():
    helper = """package app
fun <T> send(options: SendOptions, block: () -> T): T {
    println(options.attempts)
    return block()
}
data class SendOptions(val attempts: Int, val label: String)
"""
    caller = """package app
class Sender {
    fun go() {
        send(options = SendOptions(attempts = 3, label = "x")) { ping() }
        var timeout = 1000
        timeout += 1
        other(timeout = timeout)
    }
}
"""
    assert _kept({"src/Send.kt": helper, "src/Sender.kt": caller}) == []


def test_options_member_timeout_is_valued_from_the_object_handed_in():
    helper = """package app
import kotlinx.coroutines.withTimeout
suspend fun <T> guarded(policy: CallPolicy, block: suspend () -> T): T = withTimeout(policy.timeoutMs) { block() }
data class CallPolicy(val timeoutMs: Long)
"""
    caller = """package app
class Client {
    suspend fun go() = guarded(CallPolicy(timeoutMs = 2500)) { api.fetch() }
}
"""
    assert _kept({"src/Guarded.kt": helper, "src/Client.kt": caller}) == [("Client.kt", 3, "timeout", 2500)]


def test_same_file_top_level_schedule_helper_call_leaving_its_bound_out_gets_the_default():
    found = _kept({"src/Util.kt": """package app
import arrow.resilience.Schedule
import arrow.resilience.retryEither
import kotlin.time.Duration.Companion.seconds

suspend fun <T> catchingApi(callID: Int, block: suspend () -> T) =
    timeoutSchedule(callID)
        .retryEither { block() }

suspend fun <T> plain(block: suspend () -> T) = describe(1)

private fun timeoutSchedule(
    callID: Int,
    reoccurs: Long = 6,
) = Schedule
    .recurs<Throwable>(reoccurs)
    .and(Schedule.exponential(10.seconds))

private fun describe(callID: Int): String = "timeoutSchedule($callID)"
"""})
    assert found == [("Util.kt", 7, "retry", 7), ("Util.kt", 16, "retry", 7)]


def test_apache_engine_options_set_inside_customize_client_are_the_engines():
    found = _kept({"src/Http.kt": """package app
import io.ktor.client.HttpClient
import io.ktor.client.engine.apache5.Apache5

val client = HttpClient(Apache5) {
    engine {
        customizeClient {
            socketTimeout = 10_000
            connectTimeout = 0
        }
    }
}

class Other {
    fun build() = Builder().customizeClient { socketTimeout = 5 }
}
"""})
    # (`connectTimeout = 0`, no bound, is reported as written, as for a plain `engine { }`: labels put it under ignore)
    assert found == [("Http.kt", 8, "timeout", 10000), ("Http.kt", 9, "timeout", 0)]


def test_kord_linear_retry_counts_its_tries_and_another_librarys_class_is_not_it():
    found = _kept({"src/Kord.kt": """package app
import dev.kord.gateway.DefaultGateway
import dev.kord.gateway.retry.LinearRetry
import kotlin.time.Duration.Companion.seconds

fun gateway() = DefaultGateway {
    reconnectRetry = LinearRetry(10.seconds, 120.seconds, 60)
}
""", "src/Other.kt": """package app
import com.example.retry.LinearRetry
val policy = LinearRetry(1, 2, 3)
"""})
    assert found == [("Kord.kt", 7, "retry", 60)]


def test_extension_helper_parameter_shadows_a_same_named_field_and_calls_hold_the_value():
    found = _kept({"src/main/kotlin/app/WebClientConfiguration.kt": """package app
import org.springframework.beans.factory.annotation.Value
import org.springframework.context.annotation.Bean
import org.springframework.web.reactive.function.client.WebClient
import uk.gov.justice.hmpps.kotlin.auth.healthWebClient
import java.time.Duration

class WebClientConfiguration(
  @param:Value("\\${prison-register.url}") val prisonRegisterBaseUri: String,
  @param:Value("\\${api.health-timeout:2s}") val healthTimeout: Duration,
) {
  @Bean
  fun prisonRegisterWebClientWrapper(builder: WebClient.Builder): WebClientWrapper = builder.wrappedHealthWebClient(prisonRegisterBaseUri, healthTimeout)

  @Bean
  fun health(builder: WebClient.Builder): WebClient = builder.healthWebClient(prisonRegisterBaseUri, healthTimeout)
}

data class WebClientWrapper(val baseUrl: String, val webClient: WebClient)

fun WebClient.Builder.wrappedHealthWebClient(url: String, healthTimeout: Duration): WebClientWrapper = WebClientWrapper(url, this.healthWebClient(url, healthTimeout))
"""})
    assert found == [("WebClientConfiguration.kt", 13, "timeout", 2000), ("WebClientConfiguration.kt", 16, "timeout", 2000)]


def test_a_member_of_a_request_parameter_stays_the_helpers_contract():
    found = _kept({"src/Manager.kt": """package app
import java.util.concurrent.TimeUnit

class Manager {
    fun startService(serviceParams: ServiceParams): String {
        repeat(serviceParams.attempts) { attempt ->
            try {
                return client.call()
            } catch (e: java.io.IOException) {
                Thread.sleep(1000)
            }
        }
        throw IllegalStateException("no answer")
    }
}
"""})
    assert found == [("Manager.kt", 6, "retry", None)]
