"""Kotlin round 19, second-wave fixes (held-out sets hmpps-integration-api, hmpps-person-record, sokos-ske-krav):
a client class's defaulted options object and retrying constructor property (rule b at each construction), a
project's composed Spring Retry annotation, Hikari's connectionTimeout through a driver data source's apply, a
function that only builds the error a retry reacts to. Each with its trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan


# --- a client class whose constructor takes `defaultOptions: RestApiOptions = RestApiOptions()` ---

REST_CLIENT = '''package app.extensions
import io.netty.channel.ChannelOption
import org.springframework.web.reactive.function.client.WebClient
import reactor.netty.http.client.HttpClient
import reactor.util.retry.Retry
import java.time.Duration

class RestApiClient(
  val apiName: String,
  val baseUrl: String,
  val defaultOptions: RestApiOptions = RestApiOptions(),
) {
  fun <T : Any> get(path: String, options: RestApiOptions? = null): T? {
    val opts = options ?: defaultOptions
    return webClient(opts).get().uri(path).retrieve().bodyToMono(Any::class.java).retryWhen(retrySpec(opts)).block() as T?
  }

  internal fun retrySpec(opts: RestApiOptions) =
    Retry
      .backoff(opts.retryAttempts, opts.initialBackOffDuration)

  private fun httpClient(options: RestApiOptions) =
    HttpClient
      .create()
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMillis)
      .responseTimeout(Duration.ofSeconds(options.responseTimeoutSeconds))

  internal fun webClient(options: RestApiOptions) =
    WebClient.builder().baseUrl(baseUrl).build()
}

data class RestApiOptions(
  val connectTimeoutMillis: Int = 10_000,
  val responseTimeoutSeconds: Long = 15,
  val retryAttempts: Long = 3L,
  val initialBackOffDuration: Duration = Duration.ofSeconds(3),
)
'''

REST_CONFIG = '''package app.config
import app.extensions.RestApiClient
import app.extensions.RestApiOptions

class RestClientConfig {
  fun sanRestClient(baseUrl: String): RestApiClient = RestApiClient("san", baseUrl)

  fun fastRestClient(baseUrl: String): RestApiClient = RestApiClient("fast", baseUrl, RestApiOptions(retryAttempts = 0))

  fun other(baseUrl: String): Other = Other("x", baseUrl)
}

class Other(val name: String, val url: String, val options: Settings = Settings())
class Settings(val retryAttempts: Long = 3L)
'''


def test_construction_leaving_out_a_defaulted_options_object(tmp_path) -> None:
    got = _scan(tmp_path, {"extensions/RestApiClient.kt": REST_CLIENT, "config/RestClientConfig.kt": REST_CONFIG})
    config = [g for g in got if g[0] == "RestClientConfig.kt"]
    # rule (b) at the construction leaving the options object out: every default the class applies
    assert ("RestClientConfig.kt", 6, "timeout", 10000, "connect") in config
    assert ("RestClientConfig.kt", 6, "timeout", 15000, "read") in config
    assert ("RestClientConfig.kt", 6, "retry", 4, None) in config
    # traps: a construction handing an options object positionally (its own values, not the defaults), and
    # a class whose options object no member reads as a bound
    assert not [g for g in config if g[1] in (8, 10)]
    # rule (a) at the client's own lines
    client = [g for g in got if g[0] == "RestApiClient.kt"]
    assert ("RestApiClient.kt", 20, "retry", 4, None) in client
    assert ("RestApiClient.kt", 25, "timeout", 10000, "connect") in client


# --- a wrapper class retrying with a constructor property (`Retry.backoff(retryAttempts, ..)`), GETs only ---

WRAPPER = '''package app.extensions
import io.netty.channel.ChannelOption
import org.springframework.http.HttpMethod
import org.springframework.web.reactive.function.client.WebClient
import reactor.netty.http.client.HttpClient
import reactor.util.retry.Retry
import java.time.Duration

class WebClientWrapper(
  val baseUrl: String,
  val connectTimeoutMillis: Int = 10_000,
  val retryAttempts: Long = 3L,
) {
  val httpClient = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
  val client: WebClient = WebClient.builder().baseUrl(baseUrl).build()

  fun request(method: HttpMethod, uri: String): String? =
    if (method == HttpMethod.GET) {
      requestWithRetry(method, uri)
    } else {
      client.method(method).uri(uri).retrieve().bodyToMono(String::class.java).block()
    }

  fun requestWithRetry(method: HttpMethod, uri: String): String? =
    client.method(method).uri(uri).retrieve().bodyToMono(String::class.java)
      .retryWhen(Retry.backoff(retryAttempts, Duration.ofSeconds(3)))
      .block()
}
'''

GET_GATEWAY = '''package app.gateways
import app.extensions.WebClientWrapper
import org.springframework.http.HttpMethod

class ActivitiesGateway(baseUrl: String) {
  private val webClient = WebClientWrapper(baseUrl)

  fun regime(id: String) = webClient.request(HttpMethod.GET, "/regime/$id")
}
'''

POST_GATEWAY = '''package app.gateways
import app.extensions.WebClientWrapper
import org.springframework.http.HttpMethod

class CaseNotesGateway(baseUrl: String) {
  private val webClient = WebClientWrapper(baseUrl)

  fun add(id: String) = webClient.request(HttpMethod.POST, "/notes/$id")
}
'''


def test_construction_of_a_wrapper_retrying_a_constructor_property(tmp_path) -> None:
    got = _scan(tmp_path, {"extensions/WebClientWrapper.kt": WRAPPER, "gateways/ActivitiesGateway.kt": GET_GATEWAY,
                           "gateways/CaseNotesGateway.kt": POST_GATEWAY})
    assert ("ActivitiesGateway.kt", 6, "retry", 4, None) in got
    assert ("ActivitiesGateway.kt", 6, "timeout", 10000, "connect") in got
    # trap: a wrapper that retries only GETs, built for POSTs alone: its timeout, no retry
    assert ("CaseNotesGateway.kt", 6, "timeout", 10000, "connect") in got
    assert not [g for g in got if g[0] == "CaseNotesGateway.kt" and g[2] == "retry"]
    assert ("WebClientWrapper.kt", 26, "retry", 4, None) in got


# --- a project's composed Spring Retry annotation ---

WEB_RETRYABLE = '''package app.client
import org.springframework.core.annotation.AliasFor
import org.springframework.retry.annotation.Backoff
import org.springframework.retry.annotation.Retryable

@Target(AnnotationTarget.FUNCTION, AnnotationTarget.CLASS)
@Retention(AnnotationRetention.RUNTIME)
@Retryable
annotation class WebRetryable(
  @get:AliasFor(annotation = Retryable::class, attribute = "maxAttemptsExpression")
  val maxAttempts: String = "3",
  @get:AliasFor(annotation = Retryable::class, attribute = "backoff")
  val backoff: Backoff = Backoff(delay = 500, maxDelay = 1000),
)
'''

DELIUS_CLIENT = '''package app.client
import org.springframework.stereotype.Component
import org.springframework.transaction.annotation.Transactional

@Component
class DeliusClient(private val webClient: WebClient) {

  @WebRetryable
  fun getCase(crn: String): String = webClient.get().uri("/case/$crn").retrieve().bodyToMono(String::class.java).block()!!

  @WebRetryable(maxAttempts = "5")
  fun getAddress(id: Long): String = webClient.get().uri("/address/$id").retrieve().bodyToMono(String::class.java).block()!!

  @Transactional
  fun save(crn: String) = repository.save(crn)

  @Audited
  fun audit(crn: String) = log.info(crn)
}

annotation class Audited(val retries: String = "2")
'''


def test_composed_retry_annotation_counted_at_each_use(tmp_path) -> None:
    got = _scan(tmp_path, {"client/WebRetryable.kt": WEB_RETRYABLE, "client/DeliusClient.kt": DELIUS_CLIENT})
    client = [g for g in got if g[0] == "DeliusClient.kt"]
    assert ("DeliusClient.kt", 8, "retry", 3, None) in client   # the aliased default (rule b)
    assert ("DeliusClient.kt", 11, "retry", 5, None) in client  # the count handed (rule c)
    # traps: a library annotation, a project annotation that is no retry (its parameter named retries)
    assert not [g for g in client if g[1] in (14, 17)]


# --- Hikari's connectionTimeout written inside a JDBC driver's data source apply ---

POSTGRES = '''package app.config
import com.zaxxer.hikari.HikariConfig
import org.postgresql.ds.PGSimpleDataSource
import java.time.Duration

object PostgresConfig {
  fun hikariConfig(): HikariConfig {
    return HikariConfig().apply {
      maximumPoolSize = 5
      dataSource =
        PGSimpleDataSource().apply {
          databaseName = "db"
          connectionTimeout = Duration.ofSeconds(10).toMillis()
        }
    }
  }

  fun other() = Widget().apply {
    connectionTimeout = 5000
  }
}
'''


def test_hikari_setting_inside_a_driver_data_source(tmp_path) -> None:
    got = _scan(tmp_path, {"config/PostgresConfig.kt": POSTGRES})
    assert ("PostgresConfig.kt", 13, "timeout", 10000, "connect") in got
    # trap: the same name in another object's apply, no pool around it
    assert not [g for g in got if g[1] == 19]


# --- a function named for retrying that only builds the error a retry policy reacts to ---

RETRY_ERROR = '''package app
import org.springframework.web.reactive.function.client.ClientResponse
import reactor.core.publisher.Mono

class Client(private val webClient: WebClient) {
  fun get(uri: String) = webClient.get().uri(uri).retrieve()
    .onStatus({ status -> status.value() in listOf(502, 503) }) { response ->
      retryError(response, uri)
    }.bodyToMono(String::class.java).block()

  internal fun retryError(response: ClientResponse, uri: String): Mono<ResponseException> =
    Mono.error(ResponseException("Call to $uri failed", response.statusCode().value()))

  fun load(id: String) {
    val response = webClient.get().uri("/x/$id").retrieve().toBodilessEntity().block()
    if (response?.statusCode?.is5xxServerError == true) {
      retryLoad(id)
    }
  }

  private fun retryLoad(id: String) {
    webClient.get().uri("/x/$id").retrieve().toBodilessEntity().block()
  }
}
'''


def test_a_function_building_the_retry_error_is_no_retry(tmp_path) -> None:
    got = _scan(tmp_path, {"Client.kt": RETRY_ERROR})
    assert not [g for g in got if g[1] == 11]
    # still: a function of the file named for retrying, called again from an error branch
    assert ("Client.kt", 21, "retry", None, None) in got
