"""Kotlin round 22 (held-out sets tilleggsstonader-sak, hm-soknadsbehandling-db, populasjonstilgangskontroll): the
shapes their first scans missed, each with a trap."""
from __future__ import annotations

from tests.extractors.kotlin.support import scan_app as _scan


def _found(tmp_path, files):
    return {(f, line, kind, value) for f, line, kind, value, _ in _scan(tmp_path, files)}


# --- NAV familie-prosessering tasks ---

JOURNALFOR_TASK = '''package app

import no.nav.familie.prosessering.AsyncTaskStep
import no.nav.familie.prosessering.TaskStepBeskrivelse
import no.nav.familie.prosessering.domene.Task

@TaskStepBeskrivelse(
    taskStepType = JournalforTask.TYPE,
    maxAntallFeil = 50,
    settTilManuellOppfølgning = true,
    triggerTidVedFeilISekunder = 31L,
    beskrivelse = "Journalfører vedtaksbrev",
)
class JournalforTask(
    private val journalpostService: JournalpostService,
) : AsyncTaskStep {
    override fun doTask(task: Task) {
        journalpostService.opprettJournalpost(task.payload)
    }

    companion object {
        const val TYPE = "journalfor"
    }
}
'''

DEFAULT_TASK = '''package app

import no.nav.familie.prosessering.AsyncTaskStep
import no.nav.familie.prosessering.TaskStepBeskrivelse
import no.nav.familie.prosessering.domene.Task

@TaskStepBeskrivelse(taskStepType = "oppgave", beskrivelse = "Oppretter oppgave i Gosys")
class OpprettOppgaveTask(private val oppgaveClient: OppgaveClient) : AsyncTaskStep {
    override fun doTask(task: Task) {
        oppgaveClient.opprett(task.payload)
    }
}
'''

# traps: a task that only writes its own rows and plans other tasks, an emptied task, and a project annotation of
# the same name that is not the library's
LOCAL_TASKS = '''package app

import no.nav.familie.prosessering.AsyncTaskStep
import no.nav.familie.prosessering.TaskStepBeskrivelse
import no.nav.familie.prosessering.domene.Task
import no.nav.familie.prosessering.internal.TaskService

@TaskStepBeskrivelse(taskStepType = "daglig", maxAntallFeil = 3, beskrivelse = "Lager en task per behandling")
class DagligTask(
    private val taskService: TaskService,
    private val andelRepository: AndelRepository,
) : AsyncTaskStep {
    override fun doTask(task: Task) {
        andelRepository.finn().forEach { taskService.save(Task("x", it)) }
    }
}

@TaskStepBeskrivelse(taskStepType = "varsel", maxAntallFeil = 1, beskrivelse = "Kan slettes")
class SendVarselTask(private val varselClient: VarselClient) : AsyncTaskStep {
    override fun doTask(task: Task) {
        // TODO - kan slettes når alle tasker er kjørt
    }
}
'''

OTHER_ANNOTATION = '''package app

import app.docs.TaskStepBeskrivelse

@TaskStepBeskrivelse(maxAntallFeil = 7)
class Documented(private val client: OppgaveClient) {
    fun doTask() = client.opprett("x")
}
'''


def test_familie_prosessering_task_retries(tmp_path) -> None:
    found = _found(tmp_path, {"JournalforTask.kt": JOURNALFOR_TASK, "OpprettOppgaveTask.kt": DEFAULT_TASK,
                              "LocalTasks.kt": LOCAL_TASKS, "Documented.kt": OTHER_ANNOTATION})
    assert ("JournalforTask.kt", 7, "retry", 50) in found        # maxAntallFeil = 50, at the annotation
    assert ("OpprettOppgaveTask.kt", 7, "retry", 3) in found     # the library's default 3
    assert not any(f == "LocalTasks.kt" for f, *_ in found)     # own rows and tasks; an emptied doTask
    assert not any(f == "Documented.kt" for f, *_ in found)     # another library's annotation of that name


# --- a bounded wait for a Kafka producer's acknowledgement, in a file without the word "timeout" ---

PRODUCER = '''package app

import org.apache.kafka.clients.producer.Producer
import org.apache.kafka.clients.producer.ProducerRecord
import java.util.concurrent.TimeUnit

class AivenKafkaClient(private val kafkaProducer: Producer<String, String>) {
    fun produceEvent(key: String, event: String) {
        kafkaProducer.send(ProducerRecord("topic", key, event)).get(10, TimeUnit.SECONDS)
    }

    fun local(cache: Cache) = cache.get(5, TimeUnit.SECONDS)
}
'''


def test_future_wait_without_the_word_timeout(tmp_path) -> None:
    found = _found(tmp_path, {"AivenKafkaClient.kt": PRODUCER})
    assert ("AivenKafkaClient.kt", 9, "timeout", 10000) in found
    assert not any(line == 12 for _, line, *_ in found)  # a cache lookup's get(5, SECONDS): no call waited for


# --- Spring Kafka ExponentialBackOff bounded by maxElapsedTime ---

ERROR_HANDLER = '''package app

import org.springframework.kafka.listener.DefaultErrorHandler
import org.springframework.util.backoff.ExponentialBackOff

object KafkaBeans {
    fun bounded() =
        DefaultErrorHandler(ExponentialBackOff(1_000L, 2.0).apply {
            maxInterval = 30_000L
            maxElapsedTime = 60_000L
        })

    fun attempts() = DefaultErrorHandler(ExponentialBackOff().apply { maxAttempts = 4 })

    fun unbounded() = DefaultErrorHandler(ExponentialBackOff(1000L, 1.5))

    fun scheduler() = ExponentialBackOff(1_000L, 2.0).apply { maxElapsedTime = 5_000L }
}
'''


def test_exponential_backoff_elapsed_limit_counts_tries(tmp_path) -> None:
    found = _found(tmp_path, {"KafkaBeans.kt": ERROR_HANDLER})
    # back-offs 1+2+4+8+16+30 s: the sum reaches 60 s after the sixth, so 6 re-deliveries, 7 tries
    assert ("KafkaBeans.kt", 8, "retry", 7) in found
    assert ("KafkaBeans.kt", 13, "retry", 5) in found     # maxAttempts = 4 back-offs: 5 tries
    assert ("KafkaBeans.kt", 15, "retry", None) in found  # no limit written: unbounded
    assert not any(line == 17 for _, line, *_ in found)   # a back-off not handed to an error handler


# --- a retry gate over a table of delays (round-21 request, su-se-bakover) ---

GATE = '''package app

import java.time.Clock
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes

fun Failures.shouldRetry(
    clock: Clock,
    delayTable: Map<Long, Duration> = mapOf(
        1L to 1.minutes,
        2L to 5.minutes,
    ),
    maxDelay: Duration = 24.hours,
): Boolean {
    val wait = delayTable[count]?.coerceAtMost(maxDelay) ?: maxDelay
    return Tidspunkt.now(clock) >= last.plus(wait)
}

fun shouldRetry(e: Throwable): Boolean = e is java.io.IOException

fun nextPoll(delayTable: Map<Long, Duration>, count: Long): Boolean = now() >= last.plus(delayTable[count]!!)

fun shouldRetryLabels(table: Map<String, Duration>, key: String): Boolean = now() >= last.plus(table[key]!!)
'''


def test_retry_gate_over_a_delay_table(tmp_path) -> None:
    found = _found(tmp_path, {"Backoff.kt": GATE})
    assert ("Backoff.kt", 8, "retry", None) in found  # no count ends it: without limit
    assert not any(line in (20, 22, 24) for _, line, *_ in found)  # an error predicate, a poll, a table by name
