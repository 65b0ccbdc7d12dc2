"""Kotlin round 14 (held-out sets FaucETH, rarible currency-service, Hedvig notification-service,
navikt ebxml-processor): kotlin-retry's bare ``retry { }`` (its default policy) and a policy with no limit,
a loop that asks again until the try's answer arrives, a settings value read through an alias of its
settings path, an AtomicInteger attempts counter, a job's stored count written one higher before the
reschedule test, an Exposed ``less`` called as a method, and the traps (a recording call in the catch, a
named policy, a local parse loop, a page counter, Flow's ``retry``)."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR

from .support import resolve_kept


def _found(source: str, path: str = "src/main/kotlin/A.kt"):
    result = EXTRACTOR.extract(path, source.encode())
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in resolve_kept([result]) if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


def _resolved(files: dict[str, str]):
    results = [EXTRACTOR.extract(p, s.encode()) for p, s in files.items()]
    return sorted((f.kind, f.path, f.line, f.attributes.get("max_attempts"))
                  for f in resolve_kept(results) if f.kind == "retry" and f.detector != "kotlin.wrapper_call")


def test_kotlin_retry_bare_block_is_the_default_five_tries_and_an_unlimited_policy_has_no_bound():
    found = _found("""package app
import com.github.michaelbull.retry.policy.decorrelatedJitterBackoff
import com.github.michaelbull.retry.policy.limitAttempts
import com.github.michaelbull.retry.policy.plus
import com.github.michaelbull.retry.retry

val policy = limitAttempts(3) + decorrelatedJitterBackoff(base = 3L, max = 5000L)

suspend fun send(rpc: EthereumRPC, tx: String) {
    val balance = retry {
        rpc.getBalance(address)
    }
    val fees = retry(handle1559NotAvailable + decorrelatedJitterBackoff(base = 10L, max = 5000L)) {
        suggestFees(rpc)
    }
    val price = retry(limitAttempts(5) + decorrelatedJitterBackoff(base = 10L, max = 5000L)) {
        rpc.gasPrice()
    }
    val named = retry(policy) { rpc.chainId() }
    val flowed = prices.retry(3) { true }
    // retry { this comment is no call }
    val retry = 2
}
""")
    assert found == [("retry", 7, 3), ("retry", 10, 5), ("retry", 13, None), ("retry", 16, 5)]


def test_kotlin_retry_two_names_its_limit_stop_at_attempts():
    found = _found("""package app
import com.github.michaelbull.retry.policy.stopAtAttempts
import com.github.michaelbull.retry.policy.constantDelay
import com.github.michaelbull.retry.policy.plus
import com.github.michaelbull.retry.retry

suspend fun load(api: CatalogApi) = retry(constantDelay(50L) + stopAtAttempts(4)) { api.load() }
""")
    assert found == [("retry", 7, 4)]


def test_retry_without_the_kotlin_retry_import_is_not_that_library():
    found = _found("""package app
fun <T> retry(block: () -> T): T = block()

fun load(api: CatalogApi) = retry { api.load() }
""")
    assert ("retry", 4, 5) not in found


def test_loop_until_the_try_answers_is_a_retry_without_bound():
    found = _found("""package app
import kotlinx.coroutines.delay

suspend fun start(rpc: EthereumRPC) {
    var nonce: BigInteger? = null
    while (nonce == null) {
        try {
            nonce = rpc.getTransactionCount(address)
        } catch (e: EthereumRPCException) {
            log("could not get nonce " + e.message)
        }
        delay(1000)
    }
}
""")
    assert found == [("retry", 6, None)]


def test_loop_until_a_local_parse_answers_or_a_poll_without_try_is_not_one():
    found = _found("""package app
import kotlinx.coroutines.delay

suspend fun local() {
    var parsed: Config? = null
    while (parsed == null) {
        try {
            parsed = parseConfig(readText())
        } catch (e: Exception) {
            println("bad config")
        }
        delay(1000)
    }
}

suspend fun poll(api: JobApi) {
    var status: Status? = null
    while (status == null) {
        status = api.status(id)
        delay(1000)
    }
}

suspend fun givesUp(api: JobApi) {
    var job: Job? = null
    while (job == null) {
        try {
            job = api.find(id)
        } catch (e: Exception) {
            return
        }
        delay(1000)
    }
}
""")
    assert found == []


def test_settings_value_through_an_alias_of_its_path_and_an_atomic_counter():
    found = _resolved({
        "core/src/main/kotlin/app/CurrencyApiProperties.kt": """package app
import java.time.Duration

@ConfigurationProperties("common")
data class CurrencyApiProperties(
    val apiUrl: String,
    val request: RequestProperties = RequestProperties()
)

data class RequestProperties(
    val delay: Duration = Duration.ofSeconds(10),
    val attempts: Int = 3
)
""",
        "core/src/main/kotlin/app/GeckoApiService.kt": """package app

class GeckoApiService(private val geckoApi: GeckoApi, properties: CurrencyApiProperties) {
    private val request = properties.request

    private suspend fun <T> retry(call: suspend () -> T): T? {
        val attempt = AtomicInteger(1)
        while (attempt.getAndIncrement() <= request.attempts) {
            try {
                return call()
            } catch (ex: Throwable) {
                delay(request.delay)
            }
        }
        return null
    }

    suspend fun list() = retry { geckoApi.coinsList() }
}
""",
        "job/src/main/kotlin/app/RatesJob.kt": """package app

class RatesJob(private val geckoApi: GeckoApi, properties: CurrencyApiProperties) {
    suspend fun load(ids: List<String>) {
        val request = properties.request
        ids.forEach { id ->
            var attempt = 1
            while (attempt <= request.attempts) {
                try {
                    geckoApi.history(id)
                    break
                } catch (ex: Throwable) {
                    delay(request.delay)
                }
                attempt += 1
            }
        }
    }
}
"""})
    assert ("retry", "core/src/main/kotlin/app/GeckoApiService.kt", 8, 3) in found
    assert ("retry", "job/src/main/kotlin/app/RatesJob.kt", 8, 3) in found


def test_atomic_increment_and_get_counts_before_the_test():
    found = _found("""package app
import java.util.concurrent.atomic.AtomicInteger

fun fetch(api: PriceApi): Price? {
    val tries = AtomicInteger(0)
    while (tries.incrementAndGet() <= 3) {
        try {
            return api.price()
        } catch (e: IOException) {
            Thread.sleep(500)
        }
    }
    return null
}
""")
    assert found == [("retry", 6, 3)]


def test_job_count_stored_one_higher_before_the_reschedule_test():
    found = _found("""package app

val MAX_RETRIES = 5

fun executeWithRetry(context: JobExecutionContext, function: () -> Unit) {
    try {
        function()
    } catch (e: RuntimeException) {
        val retryCount = context.jobDetail.jobDataMap.getIntOrNull("RETRY_COUNT") ?: 0
        context.jobDetail.jobDataMap.putAsString("RETRY_COUNT", retryCount + 1)
        if (retryCount < MAX_RETRIES) {
            rescheduleJob(context)
        } else {
            log.error("given up", e)
        }
    }
}

fun pages(api: PageApi) {
    try {
        api.first()
    } catch (e: RuntimeException) {
        val page = cursor.get("PAGE") ?: 0
        cursor.put("PAGE", page + 1)
        if (page < MAX_PAGES) {
            loadPage(page)
        }
    }
}
""")
    assert found == [("retry", 11, 6)]


def test_exposed_less_called_as_a_method_on_a_resend_count():
    found = _found("""package app

class PendingAckRepository(private val database: Database) {
    fun findMessagesToResend(): List<Pending> = transaction(database.db) {
        PendingAckTable.select(PendingAckTable.columns)
            .where {
                PendingAckTable.ackReceived.eq(false)
                    .and(PendingAckTable.resentCount.less(4))
                    .and(PendingAckTable.lastSent.less(cutoff))
            }
            .map { it.toPending() }
    }
}
""")
    assert found == [("retry", 8, 4)]


def test_recording_call_in_the_catch_is_no_second_attempt():
    found = _found("""package app

fun read(payloadRepository: PayloadRepository, eventRegistrationService: EventRegistrationService) {
    try {
        val payloads = payloadRepository.getByReferenceId(id)
        if (payloads.isEmpty()) {
            eventRegistrationService.registerEvent(EventType.ERROR_WHILE_READING, requestId = id)
        } else {
            payloads.forEach { eventRegistrationService.registerEvent(EventType.PAYLOAD_READ, it) }
        }
    } catch (ex: Exception) {
        eventRegistrationService.registerEvent(EventType.ERROR_WHILE_READING, requestId = id)
    }
}

fun score(riskService: RiskService) {
    try {
        riskService.score(id)
    } catch (e: TimeoutException) {
        riskService.score(id)
    }
}
""")
    assert found == [("retry", 17, 2)]


def test_constructor_binding_default_value_bounds_the_retry_spec_and_a_handed_spec_is_not_reported_again():
    found = _resolved({
        "src/main/kotlin/app/rest/AbstractRestConfig.kt": """package app.rest
import org.springframework.boot.context.properties.bind.DefaultValue
import reactor.util.retry.Retry.fixedDelay
import java.time.Duration

abstract class AbstractRestConfig(val baseUri: URI, val retry: RetryConfig = DEFAULT) {
    data class RetryConfig(
        @DefaultValue(DEFAULT_RETRIES) val retries: Long,
        @DefaultValue("1000ms") val delayed: Duration) {
        companion object {
            private const val DEFAULT_RETRIES = "3"
            val DEFAULT = RetryConfig(DEFAULT_RETRIES.toLong(), Duration.ofMillis(1000))
        }
    }

    fun retrySpec(log: Logger, path: String = "/", filter: Predicate<in Throwable> = ANY) =
        fixedDelay(retry.retries, retry.delayed).filter(filter)
}
""",
        "src/main/kotlin/app/graphql/AbstractGraphQLAdapter.kt": """package app.graphql

abstract class AbstractGraphQLAdapter(client: WebClient, cfg: AbstractRestConfig) : AbstractWebClientAdapter(client, cfg) {
    protected fun <T : Any> query(graphQL: GraphQlClient, query: String): T? =
        graphQL.document(query)
            .retrieve("data")
            .toEntity(T::class.java)
            .retryWhen(retrySpec(log, "/graphql") { it is RecoverableGraphQLException })
            .block()
}
"""})
    assert found == [("retry", "src/main/kotlin/app/rest/AbstractRestConfig.kt", 17, 4)]


def test_settings_built_in_their_own_companion_from_typesafe_config_by_constant_keys():
    files = {
        "shared/src/main/kotlin/HttpClientConfig.kt": """package app
import com.typesafe.config.Config
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

data class HttpClientConfig(
    val connectTimeout: Duration,
    val maxRetries: Int
) {
    companion object {
        const val CONFIG_PATH = "httpClient"
        const val CONNECT_TIMEOUT_PROPERTY = "connectTimeoutMs"
        const val MAX_RETRIES_PROPERTY = "maxRetries"

        fun create(config: Config): HttpClientConfig {
            val httpClientConfig = if (config.hasPath(CONFIG_PATH)) config.getConfig(CONFIG_PATH) else config
            return HttpClientConfig(
                connectTimeout = httpClientConfig.getLong(CONNECT_TIMEOUT_PROPERTY).milliseconds,
                maxRetries = httpClientConfig.getInt(MAX_RETRIES_PROPERTY)
            )
        }
    }
}
""",
        "shared/src/main/kotlin/HttpClient.kt": """package app
import io.ktor.client.HttpClient
import io.ktor.client.plugins.HttpRequestRetry
import io.ktor.client.plugins.HttpTimeout

fun createHttpClient(config: HttpClientConfig): HttpClient =
    HttpClient(OkHttp) {
        install(HttpTimeout) {
            connectTimeoutMillis = config.connectTimeout.inWholeMilliseconds
        }
        install(HttpRequestRetry) {
            retryOnServerErrors(maxRetries = config.maxRetries)
        }
    }
""",
    }
    results = [EXTRACTOR.extract(p, s.encode()) for p, s in files.items()]
    from contract_discovery.values import Num
    for r in results:  # the service's application.conf (what extractors/spring's HOCON reader publishes)
        r.symbols["httpClient.connectTimeoutMs"] = Num(10000.0)
        r.symbols["httpClient.maxRetries"] = Num(3.0)
    found = sorted((f.kind, f.path, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                   for f in resolve_kept(results) if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")
    assert found == [("retry", "shared/src/main/kotlin/HttpClient.kt", 11, 4),
                     ("timeout", "shared/src/main/kotlin/HttpClient.kt", 9, 10000)]


def test_a_helper_count_of_one_read_elsewhere_is_one_retry():
    found = _found("""package app

fun markRead(repository: ConversationsRepository) = scope.launch {
    withRetry(1) { repository.markConversationAsRead(credentials, url) }
    withRetry(3) { repository.markConversationAsUnread(credentials, url) }
}
""")
    assert found == [("retry", 4, 2), ("retry", 5, 3)]


def test_a_timeout_named_value_handed_by_position_to_a_producer():
    found = _found("""package app
import org.apache.kafka.clients.producer.Producer

class QueueProcessor(
    private val recordProducer: Producer<String, String>,
    private val syncTimeoutSeconds: Long = 15,
    private val pollTimeout: Long = 30,
) {
    fun process(items: List<Item>, cache: LocalCache, lockTimeoutMs: Long) {
        recordProducer.batched(syncTimeoutSeconds) { items.forEach { send(it) } }
        recordProducer.flush()
        cache.put(key, value, syncTimeoutSeconds)
        recordProducer.sendAll(items, lockTimeoutMs)
        recordProducer.poll(pollTimeout)
        val message = "timeout after syncTimeoutSeconds"
    }
}
""")
    assert found == [("timeout", 10, 15000)]


def test_hoplite_config_read_along_its_path_takes_the_environment_default_of_the_conf_file():
    from extractors.spring.extractor import EXTRACTOR as SPRING
    results = [
        SPRING.extract("src/main/resources/application.conf", b"""
client {
  timeoutMs = "${CLIENT_TIMEOUT_MS:-5000}"
  plainMs = 7000
}
retryPolicy {
  maxRetries = "${RETRY_MAX_TIMES:-32}"
}
"""),
        EXTRACTOR.extract("src/main/kotlin/app/Clients.kt", b"""package app
import io.ktor.client.HttpClient
import io.ktor.client.plugins.HttpTimeout

val client = HttpClient(CIO) {
    install(HttpTimeout) {
        requestTimeoutMillis = config().client.timeoutMs
        connectTimeoutMillis = config().client.plainMs
        socketTimeoutMillis = settings.timeoutMs
    }
}
"""),
    ]
    found = sorted((f.line, f.attributes.get("timeout_ms")) for f in resolve_kept(results)
                   if f.kind == "timeout" and f.path.endswith(".kt"))
    assert found == [(7, 5000), (8, 7000), (9, None)]


def test_a_retry_decision_helper_bounds_the_work_at_each_call_that_hands_it_a_bound():
    found = _found("""package app

const val MAX_RETRIES = 32

class RetryService(private val queue: RetryQueue) {
    suspend fun incomingRetryEval(record: Record, exception: Throwable) {
        val (decision, reason) = decideRetry(
            ttl = record.ttl,
            retriedAlready = record.retryCount(),
            maxRetries = MAX_RETRIES,
            exception
        )
        if (decision == RetryDecision.RETRY) queue.sendToRetryQueue(record)
    }

    fun attemptsEval(record: Record) {
        if (mayTryAgain(record.attempts, 5)) queue.resend(record)
        if (pageFits(record.page, 10)) queue.next(record)
    }

    internal fun decideRetry(ttl: Instant?, retriedAlready: Int, maxRetries: Int, throwable: Throwable? = null) =
        when {
            ttl != null && ttl <= Instant.now() -> RetryDecision.TTL_EXPIRED to "expired"
            retriedAlready >= maxRetries -> RetryDecision.MAX_RETRIES_EXCEEDED to "too many"
            else -> RetryDecision.RETRY to "ok"
        }

    private fun mayTryAgain(attempts: Int, maxAttempts: Int) = attempts < maxAttempts

    private fun pageFits(page: Int, maxPages: Int) = page < maxPages
}
""")
    assert found == [("retry", 7, 33), ("retry", 17, 5)]
