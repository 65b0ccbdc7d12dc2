"""Kotlin round 20 (held-out sets monitorfish, nl-covid19-notification-app, spinnaker-orca, su-se-bakover): the shapes
their first scans missed or misread, each with a trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan


# --- repeat(n) { try { send(..) } catch .. } with no way out on success: a batch, not a retry ---

BATCH = '''package app
import org.springframework.kafka.core.KafkaTemplate

class Producer(private val kafkaTemplate: KafkaTemplate<String, String>, private val props: Props) {
    fun sendBatch() {
        repeat(props.batchSize) {
            try {
                kafkaTemplate.send("topic", newMessage())
            } catch (ex: Exception) {
                logger.error("Failed to send", ex)
            }
        }
    }

    fun sendWithRetry(): String {
        repeat(3) {
            try {
                return client.post("http://risk/score")
            } catch (ex: Exception) {
                Thread.sleep(100)
            }
        }
        throw IllegalStateException("gave up")
    }
}
'''


def test_a_repeat_without_a_way_out_is_a_batch(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Producer.kt": BATCH})}
    assert ("Producer.kt", 16, "retry", 3) in found  # returns on success: a retry
    assert not {x for x in found if x[1] == 6}  # every turn sends a new message


# --- repeat(times - 1) { try { return block() } .. }; try { return block() } catch { throw .. }: `times` tries ---

HELPER = '''package app
import kotlinx.coroutines.delay

suspend fun <T> retry(
    times: Int = 15,
    initialDelay: Long = 25,
    block: suspend () -> T
): T {
    var currentDelay = initialDelay
    repeat(times - 1) {
        try {
            return block()
        } catch (ex: Exception) {
            // ignore
        }
        delay(currentDelay)
    }
    try {
        return block()
    } catch (ex: Exception) {
        throw RetryException("Did not complete after retry", ex)
    }
}

suspend fun <T> poll(times: Int = 5, block: suspend () -> T): T {
    repeat(times - 1) {
        try {
            return block()
        } catch (ex: Exception) {
        }
    }
    try {
        cleanUp()
    } finally {
        log("done")
    }
    return block()
}
'''


def test_a_last_try_wrapped_to_say_the_retries_ran_out(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"RetryUtil.kt": HELPER})}
    assert ("RetryUtil.kt", 10, "retry", 15) in found  # the last try after the loop counts
    assert ("RetryUtil.kt", 26, "retry", 4) in found  # a try that is no last try of the block: the loop's turns


# --- WorkManager: `is Result.Error -> Result.retry()` beside a success entry ---

WORKER = '''package app
import androidx.work.CoroutineWorker
import androidx.work.ListenableWorker.Result

class ProcessManifestWorker(context: Context, params: WorkerParameters, private val repository: Repository) :
    CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        return when (val result = repository.processManifest()) {
            is ProcessResult.Success -> Result.success()
            is ProcessResult.Error -> {
                Result.retry()
            }
            is ProcessResult.Disabled -> Result.success()
        }
    }
}

class UploadKeysJob(context: Context, params: WorkerParameters, private val upload: suspend () -> UploadResult) :
    CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        return when (upload()) {
            is UploadResult.Success -> Result.success()
            is UploadResult.Retry -> Result.retry()
        }
    }
}

class SyncJob(context: Context, params: WorkerParameters, private val sync: Sync) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        return when (sync.state()) {
            State.DONE -> Result.success()
            State.WAITING_FOR_NETWORK -> Result.retry()
        }
    }
}
'''


def test_a_workers_retry_for_the_failed_outcome(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Workers.kt": WORKER})}
    assert ("Workers.kt", 11, "retry", None) in found  # unbounded: WorkManager runs it again
    assert ("Workers.kt", 23, "retry", None) in found
    assert not {x for x in found if x[1] == 32}  # waiting for the network: a reschedule, not a failure


# --- Spinnaker Orca: a RetryableTask's getTimeout() ---

TASKS = '''package app
import com.netflix.spinnaker.orca.api.pipeline.OverridableTimeoutRetryableTask
import com.netflix.spinnaker.orca.api.pipeline.RetryableTask
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeUnit.HOURS

class MonitorCanaryTask(private val kayenta: KayentaService) : OverridableTimeoutRetryableTask {
    override fun getBackoffPeriod() = 1000L

    override fun getTimeout() = HOURS.toMillis(12)
}

class StartRemoteStageTask(private val client: RemoteClient) : RetryableTask {
    override fun getTimeout(): Long = TimeUnit.SECONDS.toMillis(60)
    override fun getBackoffPeriod(): Long = TimeUnit.SECONDS.toMillis(2)
}

class ImportTask : RetryableTask {
    override fun getBackoffPeriod() = TimeUnit.SECONDS.toMillis(30)

    override fun getTimeout(): Long {
        return TimeUnit.SECONDS.toMillis(180)
    }
}

class Settings {
    fun getTimeout(): Long = TimeUnit.SECONDS.toMillis(5)
}
'''


def test_a_retryable_tasks_timeout(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Tasks.kt": TASKS})}
    assert ("Tasks.kt", 10, "timeout", 43200000) in found
    assert ("Tasks.kt", 14, "timeout", 60000) in found
    assert ("Tasks.kt", 21, "timeout", 180000) in found
    lines = {x[1] for x in found}
    assert not lines & {8, 15, 19, 27}  # pauses between runs; no task's getter


# --- Postgres: SET LOCAL statement_timeout in a string the code sends ---

SESSION = '''package app

class Session(private val connection: Connection) {
    fun <A> transaction(operation: (Session) -> A): A {
        connection.begin()
        connection.underlying.prepareStatement("SET LOCAL statement_timeout = 30000;").execute()
        connection.underlying.prepareStatement("SET lock_timeout = 5000").execute()
        connection.underlying.prepareStatement("SET statement_timeout TO '5s'").execute()
        connection.underlying.prepareStatement("SET statement_timeout = 0").execute()
        log.info("statement_timeout is set")
        return operation(this)
    }
}
'''


def test_a_statement_timeout_set_for_a_transaction(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Session.kt": SESSION})}
    assert ("Session.kt", 6, "timeout", 30000) in found  # a bare number: ms
    assert ("Session.kt", 8, "timeout", 5000) in found
    assert not {x for x in found if x[1] in (7, 9, 10)}  # a lock wait; switched off; a log line


# --- withTimeout around a function of the file that connects to a JMS broker ---

JMS = '''package app
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

class JmsConfig(private val config: MqConfig) {
    val jmsContext: JMSContext = runBlocking {
        withTimeout(10_000) {
            createJmsContext()
        }
    }
    val parsed = runBlocking {
        withTimeout(2_000) {
            parseLocalFile()
        }
    }

    private fun createJmsContext(): JMSContext {
        return MQConnectionFactory().apply {
            hostName = config.host
            port = config.port
        }.createContext(config.user, config.password)
    }

    private fun parseLocalFile(): String = File("x").readText()
}
'''


def test_a_deadline_on_connecting_to_a_broker(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"JmsConfig.kt": JMS})}
    assert ("JmsConfig.kt", 7, "timeout", 10000) in found
    assert not {x for x in found if x[1] == 12}  # local work


# --- Jedis driver properties set in an apply block, the value from an injected property ---

JEDIS = '''package app
import org.springframework.beans.factory.annotation.Value
import org.springframework.context.annotation.Bean

class ShovelConfiguration {
    @Bean
    fun shovel(
        @Value("\\${redis.connection:redis://localhost:6379}") mainConnection: String,
        @Value("\\${redis.timeout:2000}") timeout: Int,
    ): Shovel {
        val jedisPool = JedisPoolFactory(registry).build(
            "previousQueue",
            JedisDriverProperties().apply {
                connection = mainConnection
                timeoutMs = timeout
            },
        )
        val job = JobSettings().apply {
            timeoutMs = 5000
        }
        return Shovel(jedisPool, job)
    }
}
'''


def test_jedis_driver_properties_in_an_apply_block(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Shovel.kt": JEDIS})}
    assert ("Shovel.kt", 15, "timeout", 2000) in found  # the @Value default
    assert not {x for x in found if x[1] == 19}  # no Redis client's settings


# --- a retry helper's call whose lambda opens local storage: no retry of a call to another service ---

CALLER = '''package app

class RepositoryFactory(private val api: LabApi) {
    suspend fun preferences(context: Context): SharedPreferences {
        fun create(fileName: String): SharedPreferences {
            val masterKey = MasterKey.Builder(context).build()
            return EncryptedSharedPreferences.create(context, fileName, masterKey)
        }
        return retry { create("prefs") }
    }

    suspend fun register(): Registration = retry { api.register() }
}
'''


def test_a_retry_helpers_call_on_local_storage(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in
             _scan(tmp_path, {"RetryUtil.kt": HELPER, "RepositoryFactory.kt": CALLER})}
    assert ("RepositoryFactory.kt", 12, "retry", 15) in found  # rule (b): the helper's default
    assert not {x for x in found if x[0] == "RepositoryFactory.kt" and x[1] == 9}  # encrypted preferences: local
