"""Kotlin round 17 (held-out sets dp-inntekt, helse-spesialist, phoenixd, hmpps-activities-management-api): a Ktor
engine built by its factory (``CIO.create { requestTimeout = .. }``), a Hikari config set through the lambda parameter
of ``also``/``let`` (``HikariConfig().also { it.connectionTimeout = .. }``), Apache HttpClient 5's
``Timeout.of(Duration)``, a library class's constructor called by a subclass declaration
(``class S : DefaultHttpRequestRetryStrategy(5, ..)``), a member call handed ``<what>Timeout = <Duration>`` by name,
and the hmpps-kotlin ``unauthenticatedWebClient`` / free ``oAuth2AuthorizedClientProvider(t)`` builders."""
from __future__ import annotations

from .support import scan_service as _scan


ENGINE = """package app
import io.ktor.client.HttpClient
import io.ktor.client.engine.HttpClientEngine
import io.ktor.client.engine.cio.CIO
import kotlin.time.Duration.Companion.seconds

class InntektClient(
    private val url: String,
    engine: HttpClientEngine =
        CIO.create {
            requestTimeout = 30.seconds.inWholeMilliseconds
        },
) {
    private val client = HttpClient(engine)
}

object Factory {
    fun create(block: () -> Unit) = block()
}
val notAnEngine = Factory.create { val requestTimeout = 5 }
"""


def test_ktor_engine_factory_block(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/InntektClient.kt": ENGINE})
    assert ("InntektClient.kt", 11, "timeout", 30000) in found
    assert [f for f in found if f[1] == 20] == []  # a project object's `create { }` is no engine


HIKARI = """package app
import com.zaxxer.hikari.HikariConfig
import java.time.Duration

class Migrator(val url: String) {
    private val hikariConfig =
        HikariConfig().also {
            it.jdbcUrl = url
            it.connectionTimeout = Duration.ofSeconds(5).toMillis()
            it.maximumPoolSize = 2
        }
    private val named = HikariConfig().let { cfg -> cfg.connectionTimeout = 3000; cfg }
    private val other = Settings().also { it.connectionTimeout = 7000 }
    // connectionTimeout = 9000 in a comment
}
"""


def test_hikari_through_the_lambda_parameter(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Migrator.kt": HIKARI})
    assert ("Migrator.kt", 9, "timeout", 5000) in found
    assert ("Migrator.kt", 12, "timeout", 3000) in found
    assert [f for f in found if f[1] in (13, 14)] == []  # not a Hikari config; a comment


APACHE = """package app
import org.apache.hc.client5.http.fluent.Request
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy
import org.apache.hc.core5.util.TimeValue
import org.apache.hc.core5.util.Timeout
import java.time.Duration

class KrrClient(val uri: String) {
    class SpleisRetryStrategy : DefaultHttpRequestRetryStrategy(5, TimeValue.ofSeconds(1L)) {
        fun idempotent() = true
    }
    class NotFound(message: String) : RuntimeException(message)

    fun hent() = Request
        .post(uri)
        .connectTimeout(Timeout.of(Duration.ofSeconds(10)))
        .responseTimeout(Timeout.ofSeconds(20))
        .execute()
}
"""


def test_apache5_timeout_of_duration_and_superclass_retry_strategy(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/KrrClient.kt": APACHE})
    assert ("KrrClient.kt", 9, "retry", 6) in found  # 5 re-tries after the first try
    assert ("KrrClient.kt", 16, "timeout", 10000) in found
    assert ("KrrClient.kt", 17, "timeout", 20000) in found
    assert [f for f in found if f[1] == 12] == []  # a library superclass that is no knob


PEER = """package app
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

class Api(val peer: Peer, val scope: Scope) {
    suspend fun pay(amount: Long, offer: String, note: String?) {
        peer.payOffer(amount, offer, payerNote = note, fetchInvoiceTimeout = 30.seconds)
        val flow = source.stateIn(scope, SharingStarted.WhileSubscribed(stopTimeout = 5.seconds), null)
        ui.showBanner(dismissTimeout = 3.seconds)
        val retryTimeout = 4.seconds
        cache.put(key, sessionTimeout = 10.seconds)
    }
    suspend fun forward(t: Duration) = peer.payOffer(1, "o", fetchInvoiceTimeout = t)
}
"""


def test_named_operation_timeout_of_a_member_call(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Api.kt": PEER})
    assert ("Api.kt", 7, "timeout", 30000) in found
    # a UI flow's stop timeout, a banner, a session: no bounds on a call; a parameter handed on: a forwarder
    assert [f for f in found if f[1] in (8, 9, 10, 11, 13)] == []


HMPPS = """package app
import org.springframework.beans.factory.annotation.Value
import org.springframework.web.reactive.function.client.WebClient
import uk.gov.justice.hmpps.kotlin.auth.oAuth2AuthorizedClientProvider
import uk.gov.justice.hmpps.kotlin.auth.unauthenticatedWebClient
import java.time.Duration

class WebClientConfiguration(
  @Value("\\${bank-holiday.api.url}") private val bankHolidayApiUrl: String,
  @Value("\\${api.timeout:30s}") private val apiTimeout: Duration,
  @Value("\\${auth.timeout:2s}") private val authTimeout: Duration,
) {
  fun authorizedClientProvider() = oAuth2AuthorizedClientProvider(authTimeout)

  fun bankHolidayApiWebClient(builder: WebClient.Builder) = builder
    .unauthenticatedWebClient(bankHolidayApiUrl, apiTimeout)
}

fun unauthenticatedWebClient(url: String, timeout: Duration) = WebClient.create(url)
val c = unauthenticatedWebClient("http://x", Duration.ofSeconds(9))
"""


def test_hmpps_unauthenticated_client_and_token_provider(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/WebClientConfiguration.kt": HMPPS})
    assert ("WebClientConfiguration.kt", 13, "timeout", 2000) in found
    assert ("WebClientConfiguration.kt", 16, "timeout", 30000) in found


JDBC = """package app
import com.zaxxer.hikari.HikariConfig
import java.sql.Connection
import java.sql.PreparedStatement
import kotlin.time.Duration.Companion.minutes

fun pool() = HikariConfig().apply {
    addDataSourceProperty(
        "oracle.jdbc.ReadTimeout", 5.minutes.inWholeMilliseconds.toString()
    )
    addDataSourceProperty("oracle.jdbc.fanEnabled", "false")
}

fun Connection.query(sql: String): PreparedStatement {
    val query = prepareStatement(sql)
    query.queryTimeout = 300
    return query
}

fun plan(db: Db, jobs: List<Job>) = db.transaction { tx ->
    tx.setStatementTimeout(Duration.ofMinutes(10))
    asyncJobRunner.plan(
        tx,
        jobs,
        retryCount = 1,
    )
    scheduler.plan(tx, jobs, retryCount = 3)
}
"""


def test_jdbc_query_timeout_property_oracle_driver_keys_statement_timeout_and_job_plans(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Db.kt": JDBC})
    assert ("Db.kt", 8, "timeout", 300000) in found  # Oracle's read timeout, ms as text
    assert ("Db.kt", 16, "timeout", 300000) in found  # Statement.queryTimeout in seconds
    assert ("Db.kt", 21, "timeout", 600000) in found
    assert ("Db.kt", 22, "retry", 1) in found  # eVaka: attempts left, 1 = one try
    assert [f for f in found if f[1] in (11, 27)] == []  # another driver key; a scheduler that is no job runner


TYPED = {
    "src/main/kotlin/app/RetryPolicy.kt": """package app
data class RetryPolicy(
    val maxAttempts: Int = 3,
)
""",
    "src/main/kotlin/app/TurboConfig.kt": """package app
data class TurboConfig(
    val url: String,
    val retryPolicy: RetryPolicy = RetryPolicy(),
    val other: RetryPolicy = RetryPolicy(maxAttempts = 7),
)
""",
    "src/main/kotlin/app/Factory.kt": """package app
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.HttpRequestRetry

object Factory {
    fun build(config: TurboConfig) = HttpClient(CIO) {
        install(HttpRequestRetry) {
            maxRetries = config.retryPolicy.maxAttempts
        }
    }
}
""",
}


def test_a_settings_property_built_with_its_class_default_reads_that_class_in_another_file(tmp_path):
    found = _scan(tmp_path, TYPED)
    assert [f for f in found if f[0] == "Factory.kt"] == [("Factory.kt", 8, "retry", 4)]  # 3 re-tries: 4 tries


POLICY = {
    "src/main/kotlin/app/events/PublishBatch.kt": """package com.acme.events
import org.springframework.retry.RetryPolicy
import org.springframework.retry.support.RetryTemplate
import uk.gov.justice.hmpps.sqs.DEFAULT_RETRY_POLICY
import uk.gov.justice.hmpps.sqs.HmppsQueue

fun HmppsQueue.publishBatch(
  mapper: Mapper,
  events: Collection<Event>,
  retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
) {
  val retryTemplate =
    RetryTemplate().apply {
      setRetryPolicy(retryPolicy)
    }
  retryTemplate.execute<Unit, RuntimeException> { sqsClient.sendMessageBatch(events) }
}

fun HmppsQueue.publishWith(policy: RetryPolicy) {
  RetryTemplate().apply { setRetryPolicy(policy) }
}
""",
    "src/main/kotlin/app/jobs/Trigger.kt": """package com.acme.jobs
import com.acme.events.publishBatch
import uk.gov.justice.hmpps.sqs.HmppsQueue

class Trigger(private val eventQueue: HmppsQueue, private val mapper: Mapper) {
  fun run(events: List<Event>) {
    events.chunked(10).forEach { eventQueue.publishBatch(mapper, it) }
    eventQueue.publishBatch(mapper, events, myPolicy)
    val text = events.joinToString(",")
  }
}
""",
}


def test_a_defaulted_retry_policy_of_an_extension_helper_and_its_calls(tmp_path):
    found = _scan(tmp_path, POLICY)
    # rule (a): round 22 knows hmpps-sqs' DEFAULT_RETRY_POLICY (`SimpleRetryPolicy().apply { maxAttempts = 4 }`)
    assert ("PublishBatch.kt", 14, "retry", 4) in found
    assert ("Trigger.kt", 7, "retry", None) in found  # rule (b): the call leaves the policy out
    assert [f for f in found if f[0] == "Trigger.kt" and f[1] in (8, 9)] == []  # a policy passed; a stdlib call
    assert [f for f in found if f[0] == "PublishBatch.kt" and f[1] == 20] == []  # a parameter without default


THROTTLED = """package app
private val client = HttpClient()

private suspend inline fun get(url: String): HttpResponse {
    while (true) {
        val response = client.get(url)
        if (response.status == HttpStatusCode.TooManyRequests) {
            delay(1.seconds)
        } else {
            return response
        }
    }
}

fun drain(queue: Queue) {
    while (true) {
        val item = queue.take()
        if (item.code == 429) {
            delay(1000)
        } else {
            return
        }
    }
}

suspend fun once(url: String): HttpResponse {
    while (true) {
        val response = client.get(url)
        if (response.status == HttpStatusCode.TooManyRequests) {
            throw RateLimited()
        }
        return response
    }
}
"""


def test_an_endless_loop_waiting_out_a_throttled_answer_is_an_unbounded_retry(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/Pk.kt": THROTTLED})
    assert ("Pk.kt", 5, "retry", None) in found
    assert [f for f in found if f[1] in (16, 27)] == []  # a local queue; a throttled answer that gives up


MONGO = {
    "src/main/kotlin/app/MongoProperties.kt": """package app
import java.time.Duration

private val DEFAULT_MONGO_TIMEOUT = Duration.ofSeconds(30)

data class MongoProperties(
    val uri: String,
    val timeoutProperties: MongoTimeoutProperties = MongoTimeoutProperties.DEFAULT,
) {
    data class MongoTimeoutProperties(
        val connectTimeout: Duration,
        val maxWaitTime: Duration,
    ) {
        companion object {
            val DEFAULT = MongoTimeoutProperties(
                connectTimeout = DEFAULT_MONGO_TIMEOUT,
                maxWaitTime = Duration.ofSeconds(5),
            )
        }
    }
}
""",
    "src/main/kotlin/app/MongoClientFactory.kt": """package app
import com.mongodb.MongoClientSettings
import java.util.concurrent.TimeUnit.SECONDS
import java.util.concurrent.TimeUnit.MILLISECONDS

object MongoClientFactory {
    fun settings(mongoProperties: MongoProperties, other: Other) = MongoClientSettings.builder()
        .applyToSocketSettings {
            it.connectTimeout(mongoProperties.timeoutProperties.connectTimeout.seconds.toInt(), SECONDS)
            it.readTimeout(other.readSeconds, SECONDS)
        }
        .applyToConnectionPoolSettings {
            it.maxWaitTime(mongoProperties.timeoutProperties.maxWaitTime.toMillis(), MILLISECONDS)
        }
        .build()
}
""",
}


def test_a_companion_default_instance_and_a_durations_whole_seconds(tmp_path):
    found = _scan(tmp_path, MONGO)
    assert ("MongoClientFactory.kt", 9, "timeout", 30000) in found
    assert ("MongoClientFactory.kt", 13, "timeout", 5000) in found
    assert ("MongoClientFactory.kt", 10, "timeout", None) in found  # a number of seconds of unknown value


OWN_POLICY = """package com.acme.helpers
import org.springframework.retry.RetryPolicy
import org.springframework.retry.policy.SimpleRetryPolicy
import org.springframework.retry.support.RetryTemplate

val DEFAULT_RETRY_POLICY: RetryPolicy = SimpleRetryPolicy().apply { maxAttempts = 4 }

internal fun Client.send(message: String, retryTemplate: RetryTemplate) = retryTemplate.execute<Unit, Exception> {
  send(message)
}

internal fun Queue.sendMessage(message: String, retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY) =
  client.send(message, retryTemplate = RetryTemplate().apply { setRetryPolicy(retryPolicy) })
"""


def test_a_policy_the_file_builds_is_reported_where_built_not_where_handed_on(tmp_path):
    found = _scan(tmp_path, {"src/main/kotlin/app/QueueHelpers.kt": OWN_POLICY})
    assert ("QueueHelpers.kt", 6, "retry", 4) in found
    assert [f for f in found if f[1] in (9, 13)] == []
