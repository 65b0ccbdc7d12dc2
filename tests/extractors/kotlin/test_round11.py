"""Kotlin round 11 (held-out sets gobo, mokey, swabbie, spinnaker-keel-core, hm-grunndata-import): a coroutine
deadline inside a ``@Scheduled`` job bounds the job's run whatever the block calls, and a settings class's
timeout read through a subclass that only names its superclass (``class ResourceCheckConfig :
BaseSchedulerConfig()``) or through a member built from a settings class of another file
(``var check: BaseSchedulerConfig = BaseSchedulerConfig()``)."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR

from .support import scan_service as _scan


def _contracts(source: bytes, path: str = "src/A.kt"):
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in EXTRACTOR.extract(path, source).findings
                  if f.kind in ("timeout", "retry") and f.detector != "kotlin.wrapper_call")


SCHEDULED = b"""package app
import kotlinx.coroutines.withTimeout
import org.springframework.scheduling.annotation.Scheduled

class CheckScheduler(private val actuator: ResourceActuator, private val repository: Repo) {
    @Scheduled(fixedDelayString = "PT1S")
    fun checkResources() {
        runBlocking {
            repository.due().forEach {
                withTimeout(120_000) {
                    launch { actuator.checkResource(it) }
                }
            }
        }
    }

    fun notScheduled() {
        runBlocking {
            withTimeout(5_000) { actuator.checkResource(1) }
        }
    }
}
"""


def test_a_coroutine_deadline_in_a_scheduled_job_bounds_the_run():
    assert _contracts(SCHEDULED) == [("timeout", 10, 120000)]


def test_a_deadline_outside_a_scheduled_function_still_needs_remote_work():
    # the same block in a plain function: a local actuator, no outbound call, not reported
    source = SCHEDULED.replace(b'@Scheduled(fixedDelayString = "PT1S")\n', b"")
    assert _contracts(source) == []
    # a scheduled job that only pauses (delay, the word timeout in a string) has no deadline
    paused = b"""package app
import org.springframework.scheduling.annotation.Scheduled

class Job(private val repo: Repo) {
    @Scheduled(fixedDelay = 60_000)
    fun run() = runBlocking {
        delay(1_000)
        log.info("timeout of 5000 not set")
        repo.cleanUp()
    }
}
"""
    assert _contracts(paused) == []


def test_a_timeout_read_through_a_settings_subclass_is_the_superclass_default(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/BaseSchedulerConfig.kt": """package app
import java.time.Duration

open class BaseSchedulerConfig {
  var batchSize: Int = 5
  var timeoutDuration: Duration = Duration.ofMinutes(2)
}
""",
        "src/main/kotlin/app/ResourceCheckConfig.kt": """package app
import org.springframework.boot.context.properties.ConfigurationProperties

@ConfigurationProperties(prefix = "keel.resource-check")
class ResourceCheckConfig : BaseSchedulerConfig()
""",
        "src/main/kotlin/app/EnvironmentDeletionConfig.kt": """package app
import org.springframework.boot.context.properties.ConfigurationProperties

@ConfigurationProperties(prefix = "keel.environment-deletion")
class EnvironmentDeletionConfig {
  var enabled: Boolean = true
  var check: BaseSchedulerConfig = BaseSchedulerConfig()
}
""",
        "src/main/kotlin/app/CheckScheduler.kt": """package app
import kotlinx.coroutines.withTimeout
import org.springframework.scheduling.annotation.Scheduled

class CheckScheduler(
  private val resourceCheckConfig: ResourceCheckConfig,
  private val deletionConfig: EnvironmentDeletionConfig,
  private val actuator: ResourceActuator,
) {
  @Scheduled(fixedDelayString = "PT1S")
  fun checkResources() = runBlocking {
    withTimeout(resourceCheckConfig.timeoutDuration.toMillis()) {
      launch { actuator.checkResource() }
    }
  }

  @Scheduled(fixedDelayString = "PT1S")
  fun checkDeletions() = runBlocking {
    withTimeout(deletionConfig.check.timeoutDuration.toMillis()) {
      launch { actuator.deleteResources() }
    }
  }
}
""",
    })
    assert found == [("CheckScheduler.kt", 12, "timeout", 120000), ("CheckScheduler.kt", 19, "timeout", 120000)]


def test_a_member_the_subclass_declares_itself_wins_over_the_superclass(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/BaseSchedulerConfig.kt": """package app
import java.time.Duration

open class BaseSchedulerConfig {
  open var timeoutDuration: Duration = Duration.ofMinutes(2)
}
""",
        "src/main/kotlin/app/SlowCheckConfig.kt": """package app
import java.time.Duration
import org.springframework.boot.context.properties.ConfigurationProperties

@ConfigurationProperties(prefix = "slow-check")
class SlowCheckConfig : BaseSchedulerConfig() {
  override var timeoutDuration: Duration = Duration.ofMinutes(10)
}
""",
        "src/main/kotlin/app/Job.kt": """package app
import kotlinx.coroutines.withTimeout
import org.springframework.scheduling.annotation.Scheduled

class Job(private val config: SlowCheckConfig, private val checker: Checker) {
  @Scheduled(fixedDelay = 1000)
  fun run() = runBlocking {
    withTimeout(config.timeoutDuration.toMillis()) { checker.check() }
  }
}
""",
    })
    assert found == [("Job.kt", 8, "timeout", 600000)]


AWAIT_WITH_RETRY = """package app
import reactor.util.retry.Retry
import java.time.Duration

suspend inline fun <reified T : Any> WebClient.ResponseSpec.awaitWithRetry(
    min: Long = 100,
    maxAttempts: Long = 3
): T = bodyToMono<T>()
    .retryWhen(
        Retry.backoff(maxAttempts, Duration.ofMillis(min))
    ).awaitSingle()

suspend inline fun <reified T : Any> WebClient.postJson(uri: String, body: Any) = this.post()
    .uri(uri)
    .retrieve()
    .awaitWithRetry<T>()
"""


def test_a_helper_called_at_the_end_of_a_chain_in_its_own_file_and_package(tmp_path):
    found = _scan(tmp_path, {
        "src/main/kotlin/app/WebClientUtils.kt": AWAIT_WITH_RETRY,
        # the same package needs no import in Kotlin
        "src/main/kotlin/app/AffiliationService.kt": """package app

class AffiliationService(private val webClient: WebClient) {
    suspend fun affiliations(): List<String> = webClient.get()
        .uri("/api/affiliation")
        .retrieve()
        .awaitWithRetry()

    suspend fun names(): List<String> = webClient.get()
        .uri("/api/names")
        .retrieve()
        .awaitWithRetry(maxAttempts = 5)

    suspend fun plain(): String = webClient.get()
        .retrieve()
        .awaitSingleOrNull()
}
""",
    })
    # Reactor's Retry.backoff counts re-tries: 3 -> 4 tries at the helper (rule a) and each call leaving it out
    # (rule b), 5 -> 6 where a call passes it (rule c); a library call at the end of a chain is no helper
    assert found == [("AffiliationService.kt", 7, "retry", 4), ("AffiliationService.kt", 12, "retry", 6),
                     ("WebClientUtils.kt", 10, "retry", 4), ("WebClientUtils.kt", 16, "retry", 4)]


def test_kork_retry_support_and_the_aws_sdk_v1_retry_policy():
    source = b"""package app
import com.amazonaws.ClientConfiguration
import com.amazonaws.retry.PredefinedRetryPolicies.DEFAULT_BACKOFF_STRATEGY
import com.amazonaws.retry.PredefinedRetryPolicies.DEFAULT_MAX_ERROR_RETRY
import com.amazonaws.retry.RetryPolicy
import com.netflix.spinnaker.kork.core.RetrySupport
import java.time.Duration

const val maxRetries: Int = 3

class Edda(private val retrySupport: RetrySupport, private val orca: OrcaService) {
  private val maxAttempts: Int = 5
  private val timeoutMillis: Long = 5000

  fun images() = retrySupport.retry({ orca.images() }, maxRetries, 5000L, false)

  fun task(id: String) = retrySupport.retry(
    { orca.getTask(id) },
    maxAttempts, Duration.ofMillis(timeoutMillis), false
  )

  fun clientConfiguration() = ClientConfiguration()
    .withRetryPolicy(
      RetryPolicy(
        null, DEFAULT_BACKOFF_STRATEGY, DEFAULT_MAX_ERROR_RETRY, true
      )
    )
}
"""
    # kork counts tries in all (3, 5); the SDK constant is 3 re-tries (4 tries); `timeoutMillis` is the back-off
    assert _contracts(source) == [("retry", 15, 3), ("retry", 17, 5), ("retry", 24, 4)]


def test_a_retry_call_that_is_not_kork_is_left_alone():
    # Kotlin Flow's retry(n) and a project `retry(..)` without kork's RetrySupport are not kork's
    source = b"""package app
import kotlinx.coroutines.flow.retry

class Poller(private val retrier: Retrier, private val api: Api) {
  fun flow() = api.events().retry(3)
  fun other() = retrier.retry({ api.call() }, 7, 100L, false)
}
"""
    assert ("retry", 6, 7) not in _contracts(source)


WARM_UP = b"""package app

class CacheWarmup(val crawler: CrawlerService) {
    fun afterPropertiesSet() {
        warmUp(attempt = 0)
    }

    private fun warmUp(attempt: Int) {
        if (attempt < 5) {
            runCatching { crawler.cacheAtStartup() }.getOrElse {
                when {
                    attempt < 4 -> {
                        sleep(10000)
                        warmUp(attempt + 1)
                    }
                    else -> log.error("gave up")
                }
            }
        }
    }
}
"""


def test_a_self_call_guarded_in_a_when_entry_and_started_by_the_file_call():
    # attempts 0..4: the inner `when` entry's guard decides the self-call, the counter starts at the caller's 0
    assert _contracts(WARM_UP) == [("retry", 8, 5)]
    # callers that start the counter differently leave the count open (still one recursion retry)
    two_starts = WARM_UP.replace(b"warmUp(attempt = 0)\n", b"warmUp(attempt = 0)\n        warmUp(2)\n")
    assert _contracts(two_starts) == [("retry", 9, None)]
