"""Kotlin round 16 (held-out sets opensearch-index-management, bitty-city, mongo-migration-stream,
ai-summary-podcast): a helper parameter defaulting to ``null`` and applied as ``param?.let { unit(param) }``
sets no bound when left out (the helper's line only forwards; each call passing a value holds the contract,
also a local named ``...TimeoutInSeconds``); OpenSearch/Elasticsearch ``IndexRequest.DEFAULT_TIMEOUT`` (1 min).
Traps: a null default with an elvis fallback keeps its fallback, a call leaving the nullable parameter out has
no contract, a local not named for a timeout, the word timeout in a string."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR

from .support import resolve_kept


def _kept(files: dict[str, str]):
    results = [EXTRACTOR.extract(p, s.encode()) for p, s in files.items()]
    forwarders = {(r.path, k) for r in results for k in r.symbols if k.startswith("$forwarder:")}
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in resolve_kept(results) if f.kind in ("timeout", "retry")
                  and (f.path, f"$forwarder:{f.line}:{f.column}:{f.kind}") not in forwarders)


SEARCH = """package org.opensearch.indexmanagement.transform
import org.opensearch.action.search.SearchRequest
import org.opensearch.common.unit.TimeValue
import java.util.concurrent.TimeUnit

class TransformSearchService(private val client: Client) {
    suspend fun search(transform: Transform, lock: Lock) {
        val searchRequestTimeoutInSeconds = lock.expiry() - 10
        val request = getSearchServiceRequest(transform, 100, searchRequestTimeoutInSeconds)
        client.search(request)
        val preview = getSearchServiceRequest(transform = transform, pageSize = 10)
        val other = lock.next()
        client.search(getSearchServiceRequest(transform, 5, other))
        println("timeoutInSeconds?.let { x }")
    }

    companion object {
        fun getSearchServiceRequest(
            transform: Transform,
            pageSize: Int,
            timeoutInSeconds: Long? = null,
        ): SearchRequest {
            val request = SearchRequest(transform.sourceIndex)
            request.cancelAfterTimeInterval = timeoutInSeconds?.let { TimeValue(timeoutInSeconds, TimeUnit.SECONDS) }
            return request
        }
    }
}
"""


def test_null_default_applied_through_let_is_forwarded_and_each_call_passing_a_value_holds_it():
    # line 9 passes a local named for a timeout (run-time value: null); line 11 leaves it out (no bound);
    # line 13 passes a local not named for one; the helper's line 24 only forwards
    assert _kept({"src/TransformSearchService.kt": SEARCH}) == [
        ("TransformSearchService.kt", 9, "timeout", None),
    ]


def test_null_default_with_an_elvis_fallback_keeps_the_fallback_at_the_helper():
    source = """package app
import java.time.Duration
class Api(private val http: HttpClient) {
    fun fetchAll() = fetchJson("/all")
    fun fetchJson(path: String, timeoutMs: Long? = null): String {
        val request = HttpRequest.newBuilder().timeout(Duration.ofMillis(timeoutMs ?: 5000L)).build()
        return http.send(request)
    }
}
"""
    found = _kept({"src/Api.kt": source})
    assert ("Api.kt", 6, "timeout", 5000) in found  # (not turned into a forwarder)


def test_opensearch_index_request_default_timeout_is_one_minute():
    source = """package org.opensearch.indexmanagement.rollup.action.index
import org.opensearch.action.index.IndexRequest

class TransportIndexRollupAction(private val client: Client) {
    fun put(rollup: Rollup) {
        val request = IndexRequest(INDEX)
            .id(rollup.id)
            .timeout(IndexRequest.DEFAULT_TIMEOUT)
        client.index(request)
    }
}
"""
    assert _kept({"src/TransportIndexRollupAction.kt": source}) == [("TransportIndexRollupAction.kt", 8, "timeout", 60000)]


def test_index_request_default_timeout_of_another_library_is_not_valued():
    source = """package app
import com.example.search.IndexRequest

class Indexer(private val client: Client) {
    fun put(doc: Doc) {
        client.index(IndexRequest(doc).timeout(IndexRequest.DEFAULT_TIMEOUT))
    }
}
"""
    assert all(v != 60000 for *_, v in _kept({"src/Indexer.kt": source}))


DUSSELDORF = """package no.nav.k9.vedlegg
import no.nav.helse.dusseldorf.ktor.core.Retry
import no.nav.helse.dusseldorf.ktor.core.Retry.Companion.retry
import java.time.Duration

class K9MellomlagringGateway(private val client: Client) {
    suspend fun lagre(body: ByteArray): String {
        return retry(
            operation = "lagre-vedlegg",
            initialDelay = Duration.ofMillis(200),
            factor = 2.0,
        ) {
            client.post(body)
        }
    }
    suspend fun hent(id: String) = Retry.retry(operation = "hente-vedlegg", tries = 5) { client.get(id) }
}
"""


def test_dusseldorf_retry_leaving_tries_out_gets_the_library_default_and_a_given_tries_counts():
    assert _kept({"src/K9MellomlagringGateway.kt": DUSSELDORF}) == [
        ("K9MellomlagringGateway.kt", 8, "retry", 3),
        ("K9MellomlagringGateway.kt", 16, "retry", 5),
    ]


def test_a_retry_of_another_owner_is_not_read_as_dusseldorf():
    source = """package app
import kotlinx.coroutines.flow.retry

class Poller(private val api: Api) {
    fun go() = api.stream().retry { it is java.io.IOException }
    fun local() = retry(operation = "x") { api.ping() }
}
fun <T> retry(operation: String, block: () -> T): T = block()
"""
    assert all(v != 3 for *_, v in _kept({"src/Poller.kt": source}))


FAILSAFE = """package pl.allegro.tech.sync
import dev.failsafe.Failsafe
import dev.failsafe.RetryPolicy
import dev.failsafe.Timeout
import java.time.Duration

private val BULK_WRITE_TIMEOUT: Duration = Duration.ofSeconds(10)

class Synchronizer(private val publisher: Publisher) {
    private val timeoutPolicy = Timeout.builder<Nothing>(BULK_WRITE_TIMEOUT).build()
    private val retryPolicy = RetryPolicy.builder<Nothing>()
        .handle(listOf(Exception::class.java))
        .withMaxRetries(3)
        .build()
    private val endless = RetryPolicy.builder<Any>()
        .withMaxRetries(-1)
        .build()
    private val plain = RetryPolicy.builder<Any>().build()
    private val attempts = RetryPolicy.builder<Any>().withMaxAttempts(5).build()

    fun send(batch: List<Event>) = Failsafe.with(retryPolicy).compose(timeoutPolicy).run { publisher.publish(batch) }
}
"""


def test_failsafe_builders_with_kotlin_type_arguments():
    found = _kept({"src/Synchronizer.kt": FAILSAFE})
    assert ("Synchronizer.kt", 10, "timeout", 10000) in found
    assert ("Synchronizer.kt", 13, "retry", 4) in found
    assert ("Synchronizer.kt", 16, "retry", None) in found  # -1: unbounded
    assert ("Synchronizer.kt", 18, "retry", 3) in found  # Failsafe's default: 2 retries
    assert ("Synchronizer.kt", 19, "retry", 5) in found
    assert not any(line == 19 and v == 3 for _, line, _, v in found)  # (the bounded builder is not the default)


def test_a_retry_policy_builder_without_failsafe_imported_is_not_failsafe():
    source = """package app
import org.example.RetryPolicy
class X { val p = RetryPolicy.builder<Any>().withMaxRetries(3).build() }
"""
    assert _kept({"src/X.kt": source}) == []


def test_jsoup_connect_timeout_and_a_reactor_timeout_is_not_jsoup():
    source = """package app
import org.jsoup.Jsoup
import reactor.core.publisher.Mono
import java.time.Duration

class WebsiteFetcher {
    fun fetch(url: String) = Jsoup.connect(url)
        .userAgent("Bot/1.0")
        .timeout(30_000)
        .get()
    fun later(m: Mono<String>) = m.timeout(Duration.ofSeconds(2))
}
"""
    found = _kept({"src/WebsiteFetcher.kt": source})
    assert ("WebsiteFetcher.kt", 9, "timeout", 30000) in found
    assert not any(line == 11 and v == 2 for _, line, _, v in found)


def test_counted_loop_leaving_on_a_successful_answer_without_try_is_a_retry():
    source = """package no.nav.sf
class Cache(private val client: HttpHandler) {
    fun put(request: Request) {
        lateinit var response: Response
        var retryCount = 0
        val maxRetries = 2
        while (retryCount <= maxRetries) {
            response = client(request)
            if (response.status.successful) {
                break
            }
            retryCount++
        }
    }
    fun pages(api: Api) {
        var attempt = 0
        while (attempt < 10) {
            val page = api.fetch(attempt)
            if (page.isEmpty()) break
            attempt++
        }
    }
}
"""
    found = _kept({"src/Cache.kt": source})
    assert ("Cache.kt", 7, "retry", 3) in found
    assert not any(line == 17 for _, line, _, _ in found)  # (a paging loop that stops on an empty page)


def test_do_while_with_a_prefix_increment_bounded_by_the_helpers_parameter_only_forwards():
    source = """package app
class Passport10Service(private val client: ConsulateHttpClient) {
    suspend fun go() = retry(5) { client.startSession() }

    private suspend fun <T> retry(maxAttempts: Int, function: suspend () -> T): T {
        var lastException: Exception
        var invocationNumber = 0
        do {
            try {
                return function()
            } catch (e: SessionException) {
                lastException = e
            }
        } while (++invocationNumber < maxAttempts)
        throw lastException
    }
}
"""
    found = _kept({"src/Passport10Service.kt": source})
    assert ("Passport10Service.kt", 3, "retry", 5) in found
    assert not any(line == 8 for _, line, _, _ in found)


def test_do_while_with_a_prefix_increment_and_a_number_counts_every_try():
    source = """package app
class Sender(private val api: Api) {
    fun send() {
        var attempt = 0
        do {
            try {
                api.post()
                return
            } catch (e: java.io.IOException) {
                println(e)
            }
        } while (++attempt < 4)
    }
}
"""
    assert ("Sender.kt", 5, "retry", 4) in _kept({"src/Sender.kt": source})


EMAIL = """package com.cakk.external.config
import org.springframework.beans.factory.annotation.Value
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.util.Properties

@Configuration
class EmailConfig(
    @Value("\\${spring.mail.properties.mail.smtp.timeout}")
    private val timeout: Int,
) {
    private fun mailProperties(): Properties {
        val properties = Properties()
        properties["mail.smtp.timeout"] = timeout
        return properties
    }
}
"""


def _with_config(files: dict[str, str]):
    from extractors.spring.extractor import EXTRACTOR as SPRING
    results = [(SPRING if p.endswith((".yml", ".yaml")) else EXTRACTOR).extract(p, s.encode()) for p, s in files.items()]
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"))
                  for f in resolve_kept(results) if f.kind == "timeout" and f.path.endswith(".kt"))


def test_a_value_key_only_a_profile_file_sets_takes_that_value():
    found = _with_config({
        "external/src/main/kotlin/EmailConfig.kt": EMAIL,
        "api/src/main/resources/application.yml": "spring:\n  application:\n    name: api\n",
        "api/src/main/resources/application-local.yml": "spring:\n  mail:\n    properties:\n      mail:\n        smtp:\n          timeout: 5000\n",
    })
    assert found == [("EmailConfig.kt", 14, "timeout", 5000)]


def test_profiles_that_disagree_leave_the_value_unknown_and_the_default_profile_wins():
    differ = _with_config({
        "external/src/main/kotlin/EmailConfig.kt": EMAIL,
        "api/src/main/resources/application-local.yml": "spring.mail.properties.mail.smtp.timeout: 5000\n",
        "api/src/main/resources/application-prod.yml": "spring.mail.properties.mail.smtp.timeout: 8000\n",
    })
    assert differ == [("EmailConfig.kt", 14, "timeout", None)]
    default = _with_config({
        "external/src/main/kotlin/EmailConfig.kt": EMAIL,
        "api/src/main/resources/application.yml": "spring.mail.properties.mail.smtp.timeout: 3000\n",
        "api/src/main/resources/application-local.yml": "spring.mail.properties.mail.smtp.timeout: 5000\n",
    })
    assert default == [("EmailConfig.kt", 14, "timeout", 3000)]


def test_tailrec_self_calls_giving_up_with_a_bare_throw_or_return_are_retries():
    source = """package app
class Fetcher(private val api: Api) {
    tailrec suspend fun fetch(id: String, attempt: Int = 1): Data {
        return try {
            api.get(id)
        } catch (e: java.io.IOException) {
            if (attempt >= 3) throw e
            fetch(id, attempt + 1)
        }
    }
    private tailrec fun load(url: String, retries: Int = 0): String? {
        val r = api.call(url)
        if (r.isSuccessful) return r.body
        if (retries >= MAX_RETRIES) return null
        return load(url, retries + 1)
    }
    tailrec fun pages(page: Int = 0, acc: List<Item> = emptyList()): List<Item> {
        val items = api.page(page)
        if (page >= 10) return acc
        return pages(page + 1, acc + items)
    }
    companion object { const val MAX_RETRIES = 2 }
}
"""
    found = [f for f in _kept({"src/Fetcher.kt": source}) if f[2] == "retry"]
    assert ("Fetcher.kt", 3, "retry", 3) in found
    assert ("Fetcher.kt", 11, "retry", 3) in found
    assert not any(line == 17 for _, line, _, _ in found)  # (walking pages, not trying again)


def test_hikari_settings_written_into_properties_and_not_without_hikari():
    source = """package io.newm.chain.database
import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import java.util.Properties

fun init() {
    val ds = HikariDataSource(
        HikariConfig(
            Properties().apply {
                this["dataSourceClassName"] = "org.postgresql.ds.PGSimpleDataSource"
                this["connectionTimeout"] = 10_000L
                this["maxLifetime"] = 1_500_000L
                this["validationTimeout"] = 5_000L
                this["idleTimeout"] = 30_000L
            }
        )
    )
}
"""
    assert _kept({"src/DatabaseInit.kt": source}) == [("DatabaseInit.kt", 11, "timeout", 10000),
                                                       ("DatabaseInit.kt", 13, "timeout", 5000)]
    other = """package app
import java.util.Properties
fun cfg() = Properties().apply { this["connectionTimeout"] = 10_000L }
"""
    assert _kept({"src/Other.kt": other}) == []


def test_a_deadline_the_callers_request_carries_is_no_setting_but_a_config_one_is():
    source = """package io.newm.chain.grpc
import kotlinx.coroutines.withTimeoutOrNull

class NewmChainService(private val client: StateQueryClient, private val config: ChainConfig) {
    suspend fun monitorPaymentAddress(request: MonitorPaymentAddressRequest): MonitorPaymentAddressResponse? {
        return withTimeoutOrNull(request.timeoutMs) {
            client.queryUtxos(request.address)
        }
    }
    suspend fun query(address: String) = withTimeoutOrNull(config.timeoutMs) { client.queryUtxos(address) }
}
"""
    found = _kept({"src/NewmChainService.kt": source})
    assert not any(line == 6 for _, line, _, _ in found)
    assert any(line == 10 and kind == "timeout" for _, line, kind, _ in found)


def test_a_deadline_loop_polling_a_remote_status_is_a_timeout_at_the_deadline_and_a_local_one_is_not():
    source = """package io.newm.ardrive
class ChunkedUploader(private val httpClient: HttpClient) {
    suspend fun finalize(token: String) {
        val maxWaitTimeMs = 120_000L
        val deadline = System.currentTimeMillis() + maxWaitTimeMs
        while (System.currentTimeMillis() < deadline) {
            val status = httpClient.get("https://upload/status/$token").body<Status>()
            if (status.done) return
            delay(1000)
        }
    }
    fun spin(queue: ArrayDeque<Int>) {
        val deadline = System.currentTimeMillis() + 500
        while (System.currentTimeMillis() < deadline) {
            if (queue.isEmpty()) break
            queue.removeFirst()
        }
    }
}
"""
    found = _kept({"src/ChunkedUploader.kt": source})
    # round 17: at the loop's check line, as every language reports a deadline loop (round 16: the `val deadline` line)
    assert ("ChunkedUploader.kt", 6, "timeout", 120000) in found
    assert not any(line in (5, 13, 14) for _, line, _, _ in found)


def test_a_resilience4j_key_only_a_profile_sets_is_not_taken_from_that_profile():
    """Lead, round 16: a resilience4j instance key only `application-local` sets is not its value (the reader
    falls back to `configs.default` / the library default, which the deployed configuration holds:
    spring-boot-microservices-series-v2's local 10 s beat the config server's 2 s)."""
    source = EMAIL.replace("spring.mail.properties.mail.smtp.timeout", "resilience4j.timelimiter.instances.default.timeoutDuration")
    found = _with_config({
        "external/src/main/kotlin/EmailConfig.kt": source,
        "api/src/main/resources/application.yml": "spring:\n  application:\n    name: api\n",
        "api/src/main/resources/application-local.yml": "resilience4j.timelimiter.instances.default.timeoutDuration: 5000\n",
    })
    assert found == [("EmailConfig.kt", 14, "timeout", None)]
