"""Kotlin round 20, second wave (held-out set hmpps-approved-premises-api): a data class's constructor default read
as a retry bound in another file (rule a at the default, b/c at the constructions), with traps."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan

CONFIG = '''package app
import org.springframework.web.reactive.function.client.WebClient

data class WebClientConfig(
  val webClient: WebClient,
  val maxRetryAttempts: Long = 1,
  val retryOnReadTimeout: Boolean = false,
)

data class CacheConfig(val name: String, val retries: Int = 3)

class WebClientConfiguration {
  fun a(): WebClientConfig {
    return WebClientConfig(
      WebClient.builder().build(),
      retryOnReadTimeout = true,
    )
  }
  fun b(): WebClientConfig = WebClientConfig(
      WebClient.builder().build(), maxRetryAttempts = 3,
    )
  fun c(): WebClientConfig = WebClientConfig(WebClient.builder().build(), 4)
  fun d(): CacheConfig = CacheConfig("x")
}
'''

CLIENT = '''package app
import reactor.util.retry.Retry

abstract class BaseClient(private val webClientConfig: WebClientConfig, private val cache: CacheConfig) {
  fun doRequest(): String {
    log.info("retries: ${cache.retries}")
    val result = webClientConfig.webClient.get()
      .retrieve()
      .toEntity(String::class.java)
      .retryWhen(
        Retry.max(webClientConfig.maxRetryAttempts)
          .filter { true },
      )
      .block()!!
    return result.body
  }
}
'''


def test_a_data_class_default_read_as_a_bound_is_at_the_default_and_the_constructions(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in
             _scan(tmp_path, {"WebClientConfiguration.kt": CONFIG, "BaseClient.kt": CLIENT})}
    assert ("WebClientConfiguration.kt", 6, "retry", 2) in found  # rule a: Retry.max(1), 2 tries
    assert ("WebClientConfiguration.kt", 14, "retry", 2) in found  # rule b: left out (a boolean switch named)
    assert ("WebClientConfiguration.kt", 19, "retry", 4) in found  # rule c: maxRetryAttempts = 3
    assert ("WebClientConfiguration.kt", 22, "retry", 5) in found  # rule c, positional
    # traps: a bound-named default never read as a bound (only logged), and its construction
    assert not {x for x in found if x[0] == "WebClientConfiguration.kt" and x[1] in (10, 23)}


def test_a_data_class_default_nobody_reads_as_a_bound_is_nothing(tmp_path) -> None:
    found = _scan(tmp_path, {"WebClientConfiguration.kt": CONFIG})
    assert not [x for x in found if x[2] == "retry"]


# --- try { handle(); service.save(e, Status.PROCESSED) } catch { service.save(e, Status.FAILED) }: an outcome ---

DISPATCH = '''package app

class Dispatcher(private val inboxEventService: InboxEventService, private val client: RiskClient) {
  fun dispatchEvent(inboxEvent: InboxEventEntity) {
    try {
      handler.handle(inboxEvent)
      inboxEventService.updateInboxEventStatusAndSave(inboxEvent, ProcessedStatus.PROCESSED)
    } catch (e: Throwable) {
      inboxEventService.updateInboxEventStatusAndSave(inboxEvent, ProcessedStatus.FAILED)
    }
  }

  fun score(id: String): Score {
    try {
      return client.score(id, Region.EU)
    } catch (e: java.io.IOException) {
      return client.score(id, Region.EU)
    }
  }
}
'''


def test_a_catch_recording_another_enum_outcome_is_no_retry(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"Dispatcher.kt": DISPATCH})}
    assert not {x for x in found if x[1] == 5}  # PROCESSED then FAILED: bookkeeping of the outcome
    assert ("Dispatcher.kt", 14, "retry", 2) in found  # the same enum argument again: a second attempt


SELF_READ = '''package app
import org.springframework.retry.policy.SimpleRetryPolicy

open class RetryingWrapper(
    val restTemplate: RestTemplate,
    open val retries: Int = 3,
) {
    fun policy() = SimpleRetryPolicy(retries)
}
'''


def test_a_class_applying_its_own_defaulted_bound_is_left_to_its_line(tmp_path) -> None:
    found = {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, {"RetryingWrapper.kt": SELF_READ})}
    assert not {x for x in found if x[1] == 6}  # not at the default: the line applying it holds the contract
