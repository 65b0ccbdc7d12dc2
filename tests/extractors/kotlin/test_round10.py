"""Kotlin round 10 (held-out sets klage-dittnav-api, please, hm-brille-api, hmpps-prisoner-from-nomis-migration):
Spring Framework 7's core @Retryable, a self-calling helper's early give-up guard, a project class named like
a library type (`Retry.withRetry { }`), a local numeric `val`, a count settled from a Spring placeholder's
default that application.yml may override, hmpps-kotlin's token client, Valkey's Jedis fork, rapids-and-rivers'
publishWithTimeout, an object member built from a settings class of the file, and telemetry in a catch."""

from __future__ import annotations

from contract_discovery.values import Num, Ref
from extractors.kotlin.extractor import EXTRACTOR

from .support import scan_service as _scan


def _contracts(source: bytes, path: str = "src/A.kt"):
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in EXTRACTOR.extract(path, source).findings
                  if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


def test_spring_framework_7_retryable_counts_retries_after_the_first_call():
    source = b"""package no.nav.app
import org.springframework.resilience.annotation.Retryable

class PdlClient(private val client: WebClient) {
    @Retryable
    fun person(id: String) = client.post().retrieve().block()

    @Retryable(maxRetries = 5, delay = 200, multiplier = 2.0)
    fun other(id: String) = client.post().retrieve().block()
}
"""
    assert _contracts(source) == [("retry", 5, 4), ("retry", 8, 6)]
    # Spring Retry's @Retryable counts the first call: maxAttempts 3 by default
    spring_retry = source.replace(b"org.springframework.resilience.annotation", b"org.springframework.retry.annotation") \
        .replace(b"maxRetries = 5", b"maxAttempts = 5")
    assert _contracts(spring_retry) == [("retry", 5, 3), ("retry", 8, 5)]


def test_a_self_calling_helper_that_gives_up_when_its_counter_reaches_the_bound():
    source = b"""package no.nav.app

fun subscribe(pool: Pool) {
    retryHanging(maxRetries = 3, currentRetry = 0) {
        pool.subscribe()
    }
}

suspend fun retryHanging(maxRetries: Int, currentRetry: Int = 0, block: () -> Unit) {
    if (currentRetry >= maxRetries) {
        throw IllegalStateException("gave up after $maxRetries")
    }
    try {
        block()
    } catch (e: ConnectionException) {
        return retryHanging(maxRetries, currentRetry + 1, block)
    }
}
"""
    assert ("retry", 4, 3) in _contracts(source)  # tries at counter 0, 1, 2
    # a guard `>` lets one more try through
    assert ("retry", 4, 4) in _contracts(source.replace(b"currentRetry >= maxRetries", b"currentRetry > maxRetries"))
    # the call starting the counter at 1 has one try fewer
    assert ("retry", 4, 2) in _contracts(source.replace(b"currentRetry = 0) {", b"currentRetry = 1) {"))
    # no early guard in the helper: `maxRetries` counts re-tries (named for them)
    plain = source.replace(b"    if (currentRetry >= maxRetries) {\n        throw IllegalStateException(\"gave up after $maxRetries\")\n    }\n", b"")
    assert ("retry", 4, 4) in _contracts(plain)


def test_a_local_numeric_val_gives_the_value_of_netty_timeouts():
    source = b"""package no.nav.app
import io.netty.handler.timeout.ReadTimeoutHandler
import reactor.netty.http.client.HttpClient
import java.time.Duration
import java.util.concurrent.TimeUnit

class WebClientConfig {
    fun httpClient(): HttpClient {
        val timeoutInSeconds = 30L
        val label = "timeout"
        return HttpClient.create()
            .responseTimeout(Duration.ofSeconds(timeoutInSeconds))
            .doOnConnected { conn -> conn.addHandlerLast(ReadTimeoutHandler(timeoutInSeconds, TimeUnit.SECONDS)) }
    }

    fun other(timeoutInSeconds: Long): HttpClient = HttpClient.create().responseTimeout(Duration.ofSeconds(timeoutInSeconds))
}
"""
    got = _contracts(source)
    assert ("timeout", 12, 30000) in got and ("timeout", 13, 30000) in got
    assert ("timeout", 16, 30000) not in got  # a parameter of another function: not the local


def test_a_project_class_named_retry_is_a_helper_not_the_library(tmp_path):
    got = _scan(tmp_path, {
        "src/main/kotlin/no/nav/app/retry/Retry.kt": """package no.nav.app.retry
import arrow.resilience.Schedule
import arrow.resilience.retry

class Retry {
    companion object {
        suspend fun <R> withRetry(retries: Long = 3, block: () -> R): R {
            val policy: Schedule<Throwable, *> = Schedule.recurs<Throwable>(retries) and Schedule.exponential(d)
            return policy.retry { block() }
        }
    }
}
""",
        "src/main/kotlin/no/nav/app/Store.kt": """package no.nav.app
import no.nav.app.retry.Retry

class Store(private val pool: Pool) {
    suspend fun ping() = Retry.withRetry { pool.ping() }
}
""",
        "src/main/kotlin/no/nav/app/Reactive.kt": """package no.nav.app
import reactor.util.retry.Retry

class Reactive {
    fun spec() = Retry.withRetry { 1 }
}
""",
    })
    assert ("Store.kt", 5, "retry", 4) in got
    assert ("Retry.kt", 8, "retry", 4) in got
    assert not any(name == "Reactive.kt" for name, *_ in got)  # Reactor's Retry: no project helper of that name


def test_a_retry_count_from_a_placeholder_default_takes_the_application_yml_value(tmp_path):
    got = _scan(tmp_path, {
        "src/main/resources/application.yml": "courtsentencing:\n  mapping-retry:\n    count: 9\n",
        "src/main/kotlin/no/nav/app/MappingService.kt": """package no.nav.app
import org.springframework.beans.factory.annotation.Value
import reactor.util.retry.Retry
import java.time.Duration

class MappingService(
    private val webClient: WebClient,
    @Value("\\${courtsentencing.mapping-retry.count:8}") private val retryCount: Long,
    @Value("\\${courtsentencing.unset.count:2}") private val otherCount: Long,
) {
    suspend fun delete(id: String) = webClient.delete().retrieve().toBodilessEntity()
        .retryWhen(Retry.fixedDelay(retryCount, Duration.ofMillis(1000)))
    suspend fun other(id: String) = webClient.delete().retrieve().toBodilessEntity()
        .retryWhen(Retry.fixedDelay(otherCount, Duration.ofMillis(1000)))
}
""",
    })
    assert ("MappingService.kt", 12, "retry", 10) in got  # 9 re-tries from application.yml
    assert ("MappingService.kt", 14, "retry", 3) in got  # unset: the placeholder's default 2


def test_hmpps_token_client_timeout_valkey_jedis_and_rapids_publish_with_timeout():
    source = b"""package uk.gov.justice.app
import uk.gov.justice.hmpps.kotlin.auth.reactiveOAuth2AuthorizedClientProvider
import no.nav.helse.rapids_rivers.KafkaRapid
import io.valkey.JedisPoolConfig
import java.time.Duration

class Config(private val rapid: KafkaRapid) {
    fun provider(builder: WebClient.Builder) = builder.reactiveOAuth2AuthorizedClientProvider(Duration.ofSeconds(10))
    val pool = io.valkey.JedisPool(JedisPoolConfig(), "host", 6379, 2500)
    fun send(key: String?, message: String) {
        if (key != null) rapid.publishWithTimeout(key, message, 10) else rapid.publishWithTimeout(message, 5)
        rapid.publish(message)
    }
}
"""
    got = _contracts(source)
    assert ("timeout", 8, 10000) in got
    assert ("timeout", 9, 2500) in got
    assert ("timeout", 11, 10000) in got and ("timeout", 11, 5000) in got
    assert not any(line == 12 for _, line, _ in got)  # a publish without a bound
    # without the rapids-and-rivers import, a `publishWithTimeout` is some other API
    other = source.replace(b"import no.nav.helse.rapids_rivers.KafkaRapid\n", b"")
    assert not any(line == 10 for _, line, _ in _contracts(other))


def test_an_object_member_built_from_a_settings_class_of_the_file_holds_its_defaults():
    result = EXTRACTOR.extract("src/Configuration.kt", b"""package no.nav.app
import io.valkey.Protocol

object Configuration {
    val redisProperties = RedisProperties()
    val tuned = RedisProperties(timeout = 500)
    val built = RedisProperties("h", 1)
    val label = "x"

    data class RedisProperties(
        val host: String = "localhost",
        val port: Int = 6379,
        val timeout: Int = Protocol.DEFAULT_TIMEOUT,
    )
}
""")
    assert result.symbols["Configuration.redisProperties.timeout"] == Ref("RedisProperties.timeout")
    assert result.symbols["Protocol.DEFAULT_TIMEOUT"] == Num(2000.0)  # Valkey's fork of Jedis
    assert result.symbols["Configuration.tuned.timeout"] == Num(500.0)
    assert "Configuration.built.timeout" not in result.symbols  # positional arguments are not mapped


def test_telemetry_recorded_in_both_try_and_catch_is_no_retry():
    source = b"""package no.nav.app

class Sync(private val telemetryClient: TelemetryClient, private val nomisApiService: NomisApiService) {
    suspend fun merge(id: String) {
        try {
            nomisApiService.getNotes(id)
            telemetryClient.trackEvent("merge-duplicate", mapOf("id" to id), null)
            telemetryClient.trackEvent("merge", mapOf("id" to id))
        } catch (e: Exception) {
            telemetryClient.trackEvent("merge-failed", mapOf("id" to id))
            throw e
        }
    }

    suspend fun again(id: String) {
        try {
            nomisApiService.postNotes(id)
        } catch (e: TimeoutException) {
            nomisApiService.postNotes(id)
        }
    }
}
"""
    assert _contracts(source) == [("retry", 16, 2)]  # the second: the same call again from the catch


def test_a_call_with_type_arguments_standing_alone_is_read_as_a_call():
    """The grammar reads `val policy = Schedule.recurs<Throwable>(3)` as two comparisons; the file is read
    again with the type arguments blanked (lines and columns hold)."""
    source = b"""package no.nav.app
import arrow.resilience.Schedule

private val policy = Schedule.recurs<Throwable>(5)

fun schedule() = Schedule.recurs<Throwable>(3)

fun local() {
    val p = Schedule.recurs<Map<String, Int>>(2)
    val cmp = a < b
}
"""
    assert _contracts(source) == [("retry", 4, 6), ("retry", 6, 4), ("retry", 9, 3)]
    from extractors.kotlin.syntax import parse_kotlin
    assert len(parse_kotlin(source).root_node.text) == len(source)


def test_spring_framework_7_programmatic_retry_template_and_policy():
    source = b"""package no.nav.app
import org.springframework.core.retry.RetryPolicy
import org.springframework.core.retry.RetryTemplate
import java.time.Duration

class Retries {
    val template = RetryTemplate(RetryPolicy.builder().maxRetries(4).delay(Duration.ofMillis(100)).build())
    val few = RetryTemplate(RetryPolicy.withMaxRetries(2))
    val plain = RetryTemplate()
    val defaults = RetryTemplate(RetryPolicy.withDefaults())
    val unbounded = RetryTemplate(RetryPolicy.builder().delay(Duration.ofMillis(100)).build())
    val applied = RetryTemplate().apply { retryPolicy = RetryPolicy.withMaxRetries(1) }
    val maxRetries = 7
}
"""
    assert _contracts(source) == [("retry", 7, 5), ("retry", 8, 3), ("retry", 9, 4), ("retry", 10, 4),
                                  ("retry", 11, 4), ("retry", 12, 2)]
    # Spring Retry's RetryTemplate (another package) is not read here
    assert _contracts(source.replace(b"org.springframework.core.retry", b"org.springframework.retry.support")) == []
