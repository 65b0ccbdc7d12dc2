"""Kotlin round 13 (held-out sets hint, envoy-control, cross-cluster-replication, kafka-to-hbase,
hbase-to-mongo-export): Spring Retry's ``maxAttemptsExpression``, ``@Value`` field injection, HBase client
configuration keys, AWS SDK v1 ``ClientConfiguration().apply { }`` properties, Fuel's ``Request.timeout``,
Spring MVC's async handler timeout, a class body swallowed by ``CoroutineScope by GlobalScope {``, nested
objects' constants, recursion retries bounded by an early exit or a raised counter, and the traps (a Kafka
poll timeout, a ``retry`` variable, a ``timeout`` word in a string, a ``.timeout()`` of Reactor)."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR
from extractors.kotlin.syntax import parse_kotlin
from extractors import treesitter as ts

from .support import resolve_kept, scan_service as _scan


def _found(source: str, path: str = "src/main/kotlin/A.kt"):
    result = EXTRACTOR.extract(path, source.encode())
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"),
                   f.attributes.get("phase") if f.kind == "timeout" else None)
                  for f in resolve_kept([result]) if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


def _resolved(files: dict[str, str]):
    results = [EXTRACTOR.extract(p, s.encode()) for p, s in files.items()]
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in resolve_kept(results) if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


def test_spring_retry_max_attempts_expression_takes_the_placeholder_default():
    found = _found("""package app
import org.springframework.retry.annotation.Backoff
import org.springframework.retry.annotation.Retryable

class SnsServiceImpl(private val sns: AmazonSNS) {
    @Retryable(value = [Exception::class],
        maxAttemptsExpression = "\\${sns.retry.maxAttempts:5}",
        backoff = Backoff(delayExpression = "\\${sns.retry.delay:1000}", multiplierExpression = "\\${sns.retry.multiplier:2}"))
    fun send() = sns.publish("topic", "payload")

    @Retryable(maxAttemptsExpression = "#{\\${x.y} * 2}")
    fun spel() = sns.publish("topic", "payload")

    @Retryable
    fun plain() = sns.publish("topic", "payload")

    val retryDelay = "timeout of 5 retries"
}
""")
    assert ("retry", 6, 5, None) in found
    assert ("retry", 11, None, None) in found  # a SpEL expression: unknown, not the default 3
    assert ("retry", 14, 3, None) in found
    assert [f for f in found if f[1] == 17] == []


def test_value_field_injection_gives_its_placeholder_default():
    found = _found("""package app
import org.apache.http.client.config.RequestConfig
import org.springframework.beans.factory.annotation.Value

class SecureHttpClientProvider {
    private fun requestConfig(): RequestConfig =
        RequestConfig.custom().run {
            setConnectTimeout(connectTimeout.toInt())
            setSocketTimeout(socketTimeout.toInt())
            build()
        }

    @Value("\\${connect.timeout:300000}")
    private lateinit var connectTimeout: String

    @Value("\\${socket.timeout:2000}")
    private var socketTimeout: String = "100"
}
""")
    assert ("timeout", 8, 300000, "connect") in found
    assert ("timeout", 9, 2000, "read") in found  # Spring writes the field after the initializer


def test_hbase_configuration_keys():
    found = _found("""package app
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.hbase.HConstants

object Config {
    val retries = 7
    val config = Configuration().apply {
        set(HConstants.ZOOKEEPER_QUORUM, getEnv("QUORUM") ?: "zookeeper")
        set(HConstants.HBASE_RPC_TIMEOUT_KEY, getEnv("K2HB_HBASE_RPC_TIMEOUT_MILLISECONDS") ?: "1200000")
        setInt(HConstants.HBASE_CLIENT_OPERATION_TIMEOUT, 1800000)
        set(HConstants.HBASE_CLIENT_PAUSE, "50")
        set(HConstants.HBASE_CLIENT_RETRIES_NUMBER, getEnv("K2HB_HBASE_RETRIES") ?: "50")
        setInt("hbase.client.scanner.timeout.period", 60000)
        set("zookeeper.session.timeout", "90000")
    }
    fun getEnv(name: String): String? = System.getenv(name)
}
""")
    assert ("timeout", 9, 1200000, "per_try") in found
    assert ("timeout", 10, 1800000, "total") in found
    assert ("retry", 12, 51, None) in found  # 50 re-tries after the first call
    assert ("timeout", 13, 60000, "read") in found
    assert [f for f in found if f[1] in (8, 11, 14)] == []  # quorum, pause, the ZooKeeper session


def test_hbase_keys_need_hadoop():
    assert _found("""package app
fun f(m: MutableMap<String, String>) { m.set("hbase.rpc.timeout", "5000") }
""") == []


def test_aws_v1_client_configuration_apply_block():
    found = _found("""package app
import com.amazonaws.ClientConfiguration
import com.amazonaws.services.s3.AmazonS3ClientBuilder

class AwsConfig {
    fun s3() = AmazonS3ClientBuilder.standard().withClientConfiguration(ClientConfiguration().apply {
        maxConnections = 256
        socketTimeout = 1800000
        connectionTimeout = 5000
        maxErrorRetry = 4
    }).build()

    fun other(w: Widget) = w.apply { socketTimeout = 5 }
}
""")
    assert ("timeout", 8, 1800000, "read") in found
    assert ("timeout", 9, 5000, "connect") in found
    assert ("retry", 10, 5, None) in found
    assert [f for f in found if f[1] == 13] == []


def test_spring_retry_policy_apply_block_reported_once():
    found = _found("""package app
import org.springframework.retry.policy.SimpleRetryPolicy

class Job {
    fun step() = builder.faultTolerant()
        .retryPolicy(SimpleRetryPolicy().apply {
            maxAttempts = 20
        })
}
""")
    assert [f for f in found if f[0] == "retry"] == [("retry", 7, 20, None)]


def test_fuel_request_timeout_is_the_connect_timeout():
    found = _found("""package app
import com.github.kittinunf.fuel.core.Request
import com.github.kittinunf.fuel.httpGet

abstract class FuelClient(protected val baseUrl: String) {
    companion object {
        private const val TIMEOUT = 120000
    }

    fun get(url: String) = "$baseUrl/$url".httpGet().addTimeouts().response()

    protected fun Request.addTimeouts(): Request {
        return this.timeout(TIMEOUT)
                .timeoutRead(TIMEOUT)
    }

    fun text() = "the timeout(5) is here"
}
""")
    assert ("timeout", 13, 120000, "connect") in found
    assert ("timeout", 14, 120000, "read") in found
    assert [f for f in found if f[1] == 17] == []


def test_timeout_call_without_fuel_is_not_fuel():
    found = _found("""package app
fun f(session: Session) = session.timeout(5000)
""")
    assert [f for f in found if f[3] == "connect"] == []


def test_spring_mvc_async_support_timeout():
    found = _found("""package app
import org.springframework.web.servlet.config.annotation.*

@Configuration
class MvcConfig : WebMvcConfigurer {
    override fun configureAsyncSupport(configurer: AsyncSupportConfigurer) {
        configurer.setDefaultTimeout(ASYNC_TIMEOUT_MS)
    }

    fun cache(c: Cache) { c.setDefaultTimeout(5) }

    companion object {
        private const val ASYNC_TIMEOUT_MS = 10 * 60 * 1000L
    }
}
""")
    assert ("timeout", 7, 600000, "total") in found
    assert [f for f in found if f[1] == 10] == []


def test_class_body_after_interface_delegation_is_read():
    source = b"""package app
class Repo(private val client: Client) : Base(), CoroutineScope by GlobalScope {
    companion object {
        const val REQ_TIMEOUT = 60000L
    }
    fun state() = client.admin().cluster().state(req).actionGet(REQ_TIMEOUT)
}
"""
    tree = parse_kotlin(source)
    cls = tree.root_node.named_children[1]
    assert any(c.type == "class_body" for c in cls.named_children)
    result = EXTRACTOR.extract("src/main/kotlin/Repo.kt", source)
    assert result.symbols.get("Repo.REQ_TIMEOUT") is not None
    assert ts.text(tree.root_node).count("\n") == source.decode().count("\n")


def test_nested_object_constants_read_by_their_full_name():
    found = _resolved({
        "src/main/kotlin/Config.kt": """package app
object Config {
    object Retry {
        val maxAttempts: Int = System.getenv("K2HB_RETRY_MAX_ATTEMPTS")?.toInt() ?: 3
    }
}
""",
        "src/main/kotlin/RetryUtility.kt": """package app
import kotlinx.coroutines.delay

object RetryUtility {
    suspend fun <T> retry(f: () -> T): T {
        suspend fun go(attempts: Int): T =
            try {
                f()
            } catch (e: Exception) {
                delay(1000)
                if (attempts > Config.Retry.maxAttempts - 1) {
                    throw e
                }
                go(attempts + 1)
            }
        return go(1)
    }

    fun walk(node: Node, depth: Int) {
        if (depth > 10) return
        walk(node.child, depth + 1)
    }
}
""",
    })
    assert ("retry", 6, 3) in found  # gives up once attempts > 2, starting at 1: 3 tries
    assert [f for f in found if f[1] == 20] == []  # walking a tree, not trying again


def test_cycle_bounded_by_a_counter_raised_in_its_test():
    found = _found("""package app
import org.springframework.beans.factory.annotation.Value

class HBaseReader {
    fun read(): Result? =
        try {
            scanner().next().also { retryAttempts = 0 }
        } catch (e: Exception) {
            reopenScannerAndRetry(e)
        }

    private fun reopenScannerAndRetry(e: Exception): Result? {
        return if (++retryAttempts < scanMaxRetries.toInt()) {
            Thread.sleep(scanRetrySleepMs.toLong())
            scanner = newScanner()
            read()
        } else {
            throw e
        }
    }

    private var retryAttempts = 0

    @Value("\\${scan.max.retries:100}")
    private var scanMaxRetries: String = "100"

    @Value("\\${scan.retry.sleep.ms:10000}")
    private var scanRetrySleepMs: String = "10000"
}
""")
    assert ("retry", 12, 100, None) in found


def test_kafka_poll_timeout_default_is_not_a_call_timeout():
    found = _found("""package app
import java.time.Duration

object Kafka {
    val pollTimeout: Duration = System.getenv("POLL")?.let { Duration.parse(it) } ?: Duration.ofSeconds(3)
    val requestTimeoutMs = settings?.timeout ?: 3000
}
""")
    assert [f for f in found if f[1] == 5] == []


def test_micronaut_retryable_counts_retries():
    found = _found("""package x
import io.micronaut.http.client.annotation.Client
import io.micronaut.retry.annotation.Retryable

@Client("https://no-where/retry-me")
@Retryable(attempts = ATTEMPTS, delay = "1ms")
interface RetryingClient {
    fun retryMe(): String
    companion object {
        const val ATTEMPTS = "2"
    }
}

@Client("https://x")
@Retryable(attempts = "\\${retrying.attempts:5}", delay = "\\${retrying.delay}")
interface B { fun a(): String }

@Client("https://y")
@Retryable
interface C { fun a(): String }
""")
    assert ("retry", 6, 3, None) in found
    assert ("retry", 15, 6, None) in found
    assert ("retry", 19, 4, None) in found


def test_catch_on_its_own_line_parses():
    source = b"""package x
class LeaseHelper(val client: Client) {
    fun renew(timeout: Long) {
        try {
            client.execute(Renew.INSTANCE, request).actionGet(timeout)
        }
        catch (e: NotFound) {
            log.info("gone")
        }
        finally {
            done()
        }
    }
    fun other() = 1
}
"""
    tree = parse_kotlin(source)
    assert not tree.root_node.has_error
    assert ts.text(tree.root_node).count("\n") == source.decode().count("\n")


def test_endless_loop_retried_once_under_a_flag():
    found = _found("""package x
import org.opensearch.transport.client.Client

class LeaseHelper(val client: Client) {
    fun addRetentionLease(request: AddRequest) {
        var canRetry = true
        while (true) {
            try {
                client.execute(Add.INSTANCE, request).actionGet(60000L)
                break
            } catch (e: AlreadyExistsException) {
                if (canRetry) {
                    canRetry = false
                    clearStale()
                } else {
                    throw e
                }
            }
        }
    }

    fun poll(queue: Queue) {
        var running = true
        while (true) {
            try {
                queue.take()
            } catch (e: InterruptedException) {
                if (running) { log() } else { throw e }
            }
        }
    }
}
""")
    assert ("retry", 7, 2, None) in found
    assert [f for f in found if f[0] == "retry" and f[1] == 23] == []


def test_helper_timeout_defaulting_to_another_files_constant(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/Repo.kt": """package x
class Repo {
    companion object {
        const val REQ_TIMEOUT = 60000L
    }
}
""",
        "src/main/kotlin/Store.kt": """package x
import org.opensearch.transport.client.Client
class Store(val client: Client) {
    fun getMetadata(req: GetRequest, timeout: Long): Response = client.get(req).actionGet(timeout)
}
""",
        "src/main/kotlin/Manager.kt": """package x
class Manager(private val store: Store) {
    fun getIndexMetadata(index: String, primary: Boolean = false, timeout: Long = Repo.REQ_TIMEOUT): Meta {
        return store.getMetadata(GetRequest(index), timeout)
    }
}
""",
        "src/main/kotlin/Caller.kt": """package x
class Caller(private val manager: Manager) {
    fun meta(index: String) = manager.getIndexMetadata(index, primary = true)
    fun quick(index: String) = manager.getIndexMetadata(index, false, 500L)
}
""",
    })
    assert ("Caller.kt", 3, "timeout", 60000) in found  # rule (b): the call leaves the timeout to its default
    assert ("Caller.kt", 4, "timeout", 500) in found  # rule (c)
    assert ("Manager.kt", 4, "timeout", 60000) in found  # rule (a): the default handed on
    assert [f for f in found if f[0] == "Store.kt"] == []  # a forwarder


def test_retry_event_gate_in_a_base_class_bounds_the_subclasses(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/RetryEventService.kt": """package x
import reactor.core.publisher.Mono

abstract class RetryEventService<E>(
  private val queueAsyncClient: QueueAsyncClient,
  private val maxAttempts: Int,
) {
  fun enqueueRetryEvent(event: E, retriedCount: Int): Mono<Void> {
    val retryEvent = buildRetryEvent(event, retriedCount + 1)
    return Mono.just(retryEvent)
      .filter { it.data.retryCount <= maxAttempts }
      .switchIfEmpty(Mono.error(NoRetryAttemptsLeftException()))
      .flatMap { queueAsyncClient.sendMessageWithResponse(it) }
  }

  fun pages(items: List<Item>) = items.filter { it.page.retryCount <= maxPages }
  abstract fun buildRetryEvent(event: E, count: Int): E
}
""",
        "src/main/kotlin/RefundRetryService.kt": """package x
class RefundRetryService(
  client: QueueAsyncClient,
) :
  RetryEventService<Event>(
    queueAsyncClient = client,
    maxAttempts = 3,
  ) {
  override fun buildRetryEvent(event: Event, count: Int) = event
}
""",
    })
    assert ("RefundRetryService.kt", 5, "retry", 4) in found  # 3 re-enqueued retries after the first try
    assert [f for f in found if f[0] == "RetryEventService.kt"] == []  # the base class's bound is a forwarder


def test_settings_field_handed_down_a_helper_chain(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/SyncProperties.kt": """package x
class SyncProperties {
    var pollingInterval: Long = 1
    var pageSize: Int = 50
}
""",
        "src/main/kotlin/EnvoyControlProperties.kt": """package x
class EnvoyControlProperties {
    var sync = SyncProperties()
}
""",
        "src/main/kotlin/RemoteServices.kt": """package x
import java.util.concurrent.TimeUnit

class RemoteServices(private val client: ControlPlaneClient) {
    fun getChanges(interval: Long, size: Int) = getClusterState("dc", interval, size)

    private fun getClusterState(cluster: String, interval: Long, size: Int) =
        client.getState(cluster, size)
            .thenApply { it }
            .orTimeout(interval, TimeUnit.SECONDS)
}
""",
        "src/main/kotlin/RemoteClusterStateChanges.kt": """package x
class RemoteClusterStateChanges(
    val properties: EnvoyControlProperties,
    private val remoteServices: RemoteServices
) {
    fun stream() =
        remoteServices
            .getChanges(properties.sync.pollingInterval, properties.sync.pageSize)

    fun ftp() = ftpClient(properties.sync.ftpIn)
}
""",
        "src/main/kotlin/Ftp.kt": """package x
import org.apache.commons.net.ftp.FTPClient

fun ftpClient(cfg: FtpProperties) = FTPClient().apply {
    connectTimeout = cfg.connectTimeout
    setDataTimeout(cfg.dataTimeout)
}
""",
    })
    assert [f for f in found if f[0] == "RemoteClusterStateChanges.kt"] == [("RemoteClusterStateChanges.kt", 8, "timeout", 1000)]
    assert [f for f in found if f[0] == "RemoteServices.kt"] == []  # forwarders


def test_typed_query_picking_work_under_a_stored_retry_count():
    found = _found("""package x
import org.litote.kmongo.*

class OrderRepository(private val orders: CoroutineCollection<Order>, private val prop: Props) {
    suspend fun retryable(): List<Order> {
        val query = and(
            Order::orderStatus eq "PENDING",
            Order::retryCount lt 3,
            Order::amount lt 500,
        )
        return orders.find(query).toList()
    }
    suspend fun fresh() = orders.find(Order::retryCount eq 0).toList()
    suspend fun inclusive() = orders.find(Order::retryCount lte prop.maxRetries).toList()
}
""")
    assert ("retry", 8, 3, None) in found
    assert [f for f in found if f[1] in (9, 13)] == []
    assert [f[:2] for f in found if f[1] == 14] == [("retry", 14)]


def test_ktor_and_typesafe_config_reads_take_application_conf_values(tmp_path):
    found = _scan(tmp_path, {
        "src/main/resources/application.conf": """ktor {
  deployment {
    port = 8080
    requestTimeoutMillis = 5000
    fromEnv = ${?TIMEOUT}
  }
}
app {
  http {
    timeout = 20 seconds
  }
}
""",
        "src/main/kotlin/Clients.kt": """package x
import io.ktor.client.*
import io.ktor.client.plugins.*
import io.ktor.server.application.*
import com.typesafe.config.Config

fun Application.client() = HttpClient {
    install(HttpTimeout) {
        requestTimeoutMillis = environment.config.property("ktor.deployment.requestTimeoutMillis").getString().toLong()
        connectTimeoutMillis = environment.config.propertyOrNull("ktor.deployment.fromEnv")?.getString()?.toLong() ?: 3000
    }
}

class Typesafe(private val config: Config) {
    val client = HttpClient {
        install(HttpTimeout) {
            socketTimeoutMillis = config.getDuration("app.http.timeout").toMillis()
        }
    }
    val label = config.getString("app.http.timeout")
}
""",
    })
    kotlin = [f for f in found if f[0] == "Clients.kt"]
    assert ("Clients.kt", 9, "timeout", 5000) in kotlin
    assert ("Clients.kt", 10, "timeout", 3000) in kotlin  # the variable is not set: the code's default
    assert ("Clients.kt", 17, "timeout", 20000) in kotlin
