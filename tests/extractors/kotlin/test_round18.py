"""Kotlin round 18 (held-out sets pagopa-wallet-service, sykmeldinger-backend; the round-17 warm-up request):
start-up warm-up calls a service makes to its own localhost are no contract with another service; Ktor's
``retryIf(maxRetries)`` handing the config's own count back; a connection loop whose counter is read against a
bound named for the tries (``while (!connected && current++ < retries)``)."""
from __future__ import annotations

from .support import scan_service as _scan

WARMUP_UTILS = """package app.warmup
object WarmupUtils {
    const val WALLETS_URL = "http://localhost:8080/wallets"
}
"""

CONTROLLER = """package app
import app.warmup.WarmupUtils
import app.warmup.WarmupFunction
import java.net.URI
import java.time.Duration
import org.springframework.web.reactive.function.client.WebClient

class WalletController(private val webClient: WebClient = WebClient.create()) {
    @WarmupFunction
    fun createWalletWarmup() {
        webClient
            .post()
            .uri(URI.create(WarmupUtils.WALLETS_URL))
            .retrieve()
            .toBodilessEntity()
            .block(Duration.ofSeconds(10))
    }

    @WarmupFunction
    fun getWalletWarmup() {
        webClient.get().uri("http://localhost:8080/wallets/1").retrieve().toBodilessEntity()
            .block(Duration.ofSeconds(10))
    }

    fun notify(id: String) {
        webClient.post().uri("https://notifier.example.com/events").retrieve().toBodilessEntity()
            .block(Duration.ofSeconds(5))
    }

    fun self(id: String) {
        webClient.get().uri("http://localhost:8080/wallets/1").retrieve().toBodilessEntity()
            .block(Duration.ofSeconds(7))
    }
}
"""

SUMMARY_WARMUP = """package app
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

class PortfolioSummaryWarmup(private val port: Int) {
    fun warmUp() {
        val baseUrl = "http://localhost:${port}"
        val client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()
        client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/summary")).timeout(Duration.ofSeconds(30))
            .GET().build(), HttpResponse.BodyHandlers.discarding())
    }
}
"""

CACHE_WARMUP = """package app
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

class CacheWarmup(private val crawler: Crawler) {
    // warms the cache from the crawler service (another service): its bounds stay
    fun warmUp() {
        val client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(4)).build()
        client.send(HttpRequest.newBuilder(URI.create("https://crawler.internal/all")).timeout(Duration.ofSeconds(9))
            .GET().build(), HttpResponse.BodyHandlers.discarding())
    }
}
"""


def test_warmup_calls_to_own_localhost_are_dropped(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/warmup/WarmupUtils.kt": WARMUP_UTILS,
                             "src/main/kotlin/app/WalletController.kt": CONTROLLER})
    lines = {(f[1], f[2]): f[3] for f in found if f[0] == "WalletController.kt"}
    assert (16, "timeout") not in lines  # @WarmupFunction, WarmupUtils.WALLETS_URL
    assert (22, "timeout") not in lines  # @WarmupFunction, "http://localhost:8080/..."
    assert lines[(27, "timeout")] == 5000  # a call to another service
    assert lines[(32, "timeout")] == 7000  # localhost outside a warm-up: not this rule's


def test_warmup_class_with_localhost_base_url_is_dropped(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/PortfolioSummaryWarmup.kt": SUMMARY_WARMUP})
    assert [f for f in found if f[0] == "PortfolioSummaryWarmup.kt"] == []


def test_warmup_of_other_services_keeps_its_bounds(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/CacheWarmup.kt": CACHE_WARMUP})
    assert ("CacheWarmup.kt", 11, "timeout", 4000) in found
    assert ("CacheWarmup.kt", 12, "timeout", 9000) in found


KTOR_RETRY = """package app
import io.ktor.client.HttpClient
import io.ktor.client.HttpClientConfig
import io.ktor.client.engine.apache.Apache
import io.ktor.client.plugins.HttpRequestRetry

val config: HttpClientConfig<*>.() -> Unit = {
    install(HttpRequestRetry) {
        constantDelay(100, 0, false)
        retryOnExceptionIf(3) { request, throwable -> true }
        retryIf(maxRetries) { request, response -> response.status.value in 500..599 }
    }
}
val other: HttpClientConfig<*>.() -> Unit = {
    install(HttpRequestRetry) {
        retryIf(5) { _, response -> !response.status.isSuccess() }
    }
}
val client = HttpClient(Apache, config)
"""


def test_ktor_retry_if_handing_back_max_retries_keeps_the_count(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Clients.kt": KTOR_RETRY})
    assert ("Clients.kt", 8, "retry", 4) in found   # retryOnExceptionIf(3), then retryIf(maxRetries): 3 re-tries
    assert ("Clients.kt", 15, "retry", 6) in found  # retryIf(5)


DATABASE = """package app
import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource

class Database(
    private val url: String,
    private val retries: Long = 30,
    private val sleepTime: Long = 1_000
) {
    fun initializeDatasource(): HikariDataSource? {
        var current = 0
        var connected = false
        var ds: HikariDataSource? = null
        while (!connected && current++ < retries) {
            try {
                ds = HikariDataSource(HikariConfig().apply { jdbcUrl = url })
                connected = true
            } catch (ex: Exception) {
                Thread.sleep(sleepTime)
            }
        }
        return ds
    }

    fun drain(queue: ArrayDeque<String>, pages: Int) {
        var page = 0
        while (queue.isNotEmpty() && page++ < pages) {
            queue.removeFirst()
        }
    }
}
"""


def test_connection_loop_counter_against_a_tries_bound(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Database.kt": DATABASE})
    assert ("Database.kt", 14, "retry", 30) in found  # retries: Long = 30 (rule a)
    assert [f for f in found if f[1] == 27] == []  # a loop over pages is no retry


TOKEN_CLIENT = """package app
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.web.client.RestTemplateBuilder
import org.springframework.retry.policy.SimpleRetryPolicy
import org.springframework.retry.support.RetryTemplate
import java.time.Duration

@ConfigurationProperties(prefix = "spring.security.oauth2.client.provider.hmppsauth.token-request")
data class TokenRequestConfig(
  val connectTimeoutMs: Long,
  val readTimeoutMs: Long,
  val retries: Int,
  val writeTimeoutMs: Long = 900,
)

data class NotBound(val connectTimeoutMs: Long)

class TokenClient(private val config: TokenRequestConfig, private val other: NotBound,
                  private val builder: RestTemplateBuilder) {
  private val retryTemplate = RetryTemplate().apply {
    setRetryPolicy(SimpleRetryPolicy(config.retries))
  }
  private val rest = builder
    .setConnectTimeout(Duration.ofMillis(config.connectTimeoutMs))
    .setReadTimeout(Duration.ofMillis(config.readTimeoutMs))
    .build()
  private val plain = builder
    .setConnectTimeout(Duration.ofMillis(config.writeTimeoutMs))
    .setReadTimeout(Duration.ofMillis(other.connectTimeoutMs))
    .build()
}
"""

TOKEN_YML = """spring:
  security:
    oauth2:
      client:
        provider:
          hmppsauth:
            token-request:
              connect-timeout-ms: 500
              readTimeoutMs: 700
              retries: 3
"""


def test_configuration_properties_constructor_bound_from_yaml(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/TokenClient.kt": TOKEN_CLIENT,
                             "src/main/resources/application.yml": TOKEN_YML})
    assert ("TokenClient.kt", 21, "retry", 3) in found        # SimpleRetryPolicy(config.retries): retries: 3
    assert ("TokenClient.kt", 24, "timeout", 500) in found    # connect-timeout-ms (kebab case)
    assert ("TokenClient.kt", 25, "timeout", 700) in found    # readTimeoutMs (as written)
    assert ("TokenClient.kt", 28, "timeout", 900) in found    # not in the yml: the constructor default
    assert ("TokenClient.kt", 29, "timeout", None) in found   # a class nobody binds: no value


UNIQUE_IDS = """package app
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono
import java.time.Duration
import java.util.stream.IntStream

class UniqueIdUtils(private val ids: IdTemplateWrapper) {
    companion object {
        const val MAX_NUMBER_ATTEMPTS = 3
    }

    fun generateUniqueId(): Mono<String> {
        return Mono.fromSupplier { newId() }
            .flatMap { id -> ids.saveIfAbsent(id, Duration.ofSeconds(60)).map { saved -> Pair(id, saved) } }
            .filter { (_, saved) -> saved }
            .map { (id, _) -> id }
            .repeatWhenEmpty {
                Flux.fromIterable(IntStream.range(0, MAX_NUMBER_ATTEMPTS - 1).toList())
            }
            .switchIfEmpty(Mono.error { IllegalStateException() })
    }

    fun lookup(key: String): Mono<String> = ids.find(key).repeatWhenEmpty(4) { it.delayElements(Duration.ofMillis(50)) }

    fun forever(key: String): Mono<String> = ids.find(key).repeatWhenEmpty(Long.MAX_VALUE) { it }

    fun notReactor(list: MutableList<Int>) = list.repeatWhenEmptyLocal()
}
"""


def test_reactor_repeat_when_empty_is_a_bounded_retry(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/UniqueIdUtils.kt": UNIQUE_IDS})
    assert ("UniqueIdUtils.kt", 17, "retry", 3) in found     # range(0, 3 - 1): 2 repeats, 3 tries
    assert ("UniqueIdUtils.kt", 23, "retry", 5) in found     # repeatWhenEmpty(4): 5 tries
    assert ("UniqueIdUtils.kt", 25, "retry", None) in found  # unbounded
    assert [f for f in found if f[1] == 27] == []


HELPER_TWO_TIMEOUTS = """package app
import io.netty.handler.timeout.ReadTimeoutHandler
import org.springframework.http.client.reactive.ReactorClientHttpConnector
import org.springframework.web.reactive.function.client.WebClient
import reactor.netty.http.client.HttpClient
import java.time.Duration

class WebClients(private val builder: WebClient.Builder) {
  fun auth(): WebClient = create("http://auth", 3, 21)
  fun same(): WebClient = create("http://same", 7, 7)

  private fun create(baseUrl: String, readTimeoutSeconds: Int = 10, responseSeconds: Long = 20): WebClient {
    val httpClient = HttpClient.create()
      .doOnConnected { it.addHandlerLast(ReadTimeoutHandler(readTimeoutSeconds)) }
      .responseTimeout(Duration.ofSeconds(responseSeconds))
    return builder.clientConnector(ReactorClientHttpConnector(httpClient)).baseUrl(baseUrl).build()
  }
}
"""


def test_helper_passing_read_handler_and_response_timeout(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/WebClients.kt": HELPER_TWO_TIMEOUTS})
    at9 = sorted(f[3] for f in found if f[1] == 9 and f[2] == "timeout")
    assert at9 == [3000, 21000]  # ReadTimeoutHandler's 3 s and responseTimeout's 21 s, both passed at the call
    at10 = sorted(f[3] for f in found if f[1] == 10 and f[2] == "timeout")
    assert at10 == [7000, 7000]
    assert ("WebClients.kt", 14, "timeout", 10000) in found  # rule a at the handler
    assert ("WebClients.kt", 15, "timeout", 20000) in found  # rule a at responseTimeout
