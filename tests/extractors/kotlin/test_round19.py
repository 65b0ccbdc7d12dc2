"""Kotlin round 19 (held-out sets hmpps-visits-orchestration, hmpps-prisoner-search, tiltakspenger-datadeling): the
shapes their first scans missed, each with a trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan


# --- Mono.block(apiTimeout) with apiTimeout a constructor property (`@Value("\${x.timeout:10s}") val t: Duration`) ---

CLIENT = '''package app
import org.springframework.beans.factory.annotation.Value
import org.springframework.stereotype.Component
import org.springframework.web.reactive.function.client.WebClient
import reactor.core.publisher.Mono
import java.time.Duration

@Component
class AlertsApiClient(
  private val webClient: WebClient,
  @param:Value("\\${alerts.api.timeout:10s}") private val apiTimeout: Duration,
  private val retries: Long = 3,
) {
  private val localWait: Duration = Duration.ofSeconds(2)

  fun getAlerts(id: String): List<String>? = getAlertsAsMono(id).block(apiTimeout)

  fun getAlertsAsMono(id: String): Mono<List<String>> = webClient.get()
    .uri("/alerts/$id")
    .retrieve()
    .bodyToMono(List::class.java) as Mono<List<String>>

  fun getOne(id: String): String? = webClient.get().uri("/alert/$id")
    .retrieve()
    .bodyToMono(String::class.java)
    .blockOptional(apiTimeout).orElse(null)

  fun local(): String? = cache.block(localWait)
  fun count(): Long = counter.block(retries)
}
'''


def test_block_with_a_duration_property(tmp_path) -> None:
    got = _scan(tmp_path, {"AlertsApiClient.kt": CLIENT})
    assert ("AlertsApiClient.kt", 16, "timeout", 10000, "total") in got
    assert ("AlertsApiClient.kt", 26, "timeout", 10000, "total") in got
    # a block on no reactive chain (a cache), a property that is no Duration: nothing
    assert not [g for g in got if g[1] in (28, 29)], got


# --- Spring Retry's NeverRetryPolicy(): retries off, one attempt ---------------------------------------------------

PUBLISHER = '''package app
import org.springframework.retry.policy.NeverRetryPolicy
import uk.gov.justice.hmpps.sqs.HmppsQueueService

class DomainEventPublisher(private val queues: HmppsQueueService) {
  private val topic by lazy { queues.findByTopicId("events")!! }

  fun publish(type: String, body: String) {
    topic.publish(
      eventType = type,
      event = body,
      retryPolicy = NeverRetryPolicy(),
    )
  }
}
'''

NO_SPRING = '''package app

class NeverRetryPolicy
fun policy() = NeverRetryPolicy()
'''


def test_never_retry_policy_is_one_attempt(tmp_path) -> None:
    got = _scan(tmp_path, {"DomainEventPublisher.kt": PUBLISHER, "Own.kt": NO_SPRING})
    assert ("DomainEventPublisher.kt", 12, "retry", 1, None) in got
    assert not [g for g in got if g[0] == "Own.kt"]   # a class of the project's own with that name


BRANCHED = '''package app
import org.springframework.retry.policy.NeverRetryPolicy
import org.springframework.retry.policy.SimpleRetryPolicy
import org.springframework.retry.support.RetryTemplate

class Wrapper(private val retries: Int = 3) {
    fun template(): RetryTemplate = RetryTemplate().apply {
        if (retries == 0) {
            setRetryPolicy(NeverRetryPolicy())
        } else {
            setRetryPolicy(SimpleRetryPolicy(retries))
        }
    }
}
'''


def test_never_retry_policy_of_a_zero_count_branch(tmp_path) -> None:
    got = _scan(tmp_path, {"Wrapper.kt": BRANCHED})
    assert not [g for g in got if g[1] == 9], got   # the branch for a count of 0, not a setting of its own
    assert [g for g in got if g[1] == 11 and g[2] == "retry"], got
