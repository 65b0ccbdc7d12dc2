"""Round 12 (lead, from the whylogs-container measure set): michaelbull's kotlin-retry policies are
reported where they are made (``limitAttempts(n)``: n tries in all), and the ``retry(policy) { }``
blocks that use them are not reported again as helper calls with an unknown count."""

from __future__ import annotations

from extractors.kotlin.extractor import EXTRACTOR


def _retries(source: str, path: str = "src/Writer.kt"):
    return sorted((f.line, f.attributes.get("max_attempts"), f.attributes.get("library"))
                  for f in EXTRACTOR.extract(path, source.encode()).findings
                  if f.kind == "retry" and f.detector != "kotlin.wrapper_call")


def test_kotlin_retry_policy_counts_at_its_definition():
    assert _retries("""package x
import com.github.michaelbull.retry.policy.RetryPolicy
import com.github.michaelbull.retry.policy.fullJitterBackoff
import com.github.michaelbull.retry.policy.limitAttempts
import com.github.michaelbull.retry.policy.plus

internal val retryPolicy: RetryPolicy<Throwable> = limitAttempts(3) + fullJitterBackoff(base = 10, max = 5_000)
val defaultRetryPolicy: RetryPolicy<Throwable> = limitAttempts(MAX_TRIES)
const val MAX_TRIES = 5
""") == [(7, 3, "kotlin-retry"), (8, 5, "kotlin-retry")]


def test_retry_blocks_using_a_kotlin_retry_policy_are_not_counted_again():
    assert _retries("""package x
import com.github.michaelbull.retry.retry

class WhyLabsWriter {
    suspend fun write(profile: Profile) {
        val response = retry(retryPolicy) { client.upload(profile) }
    }
}
""", path="src/WhyLabsWriter.kt") == []


def test_a_project_retry_helper_and_another_libraries_limit_attempts_still_count():
    found = _retries("""package x

fun <T> retry(times: Int, block: () -> T): T { repeat(times - 1) { try { return block() } catch (e: Exception) {} }; return block() }

fun send() = retry(3) { client.post(url) }
fun other() = limitAttempts(9)
""")
    assert (5, 3, None) in found and not any(line == 6 for line, _, _ in found)
