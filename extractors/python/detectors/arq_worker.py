"""arq (asyncio Redis job queue): a worker's `job_timeout` / `max_tries`, per function and per cron job.

What it does: in a file importing arq, reads the worker settings class arq is started with (`class
WorkerSettings:` holding `functions = [...]`, `cron_jobs`, `redis_settings`, or a class handed to
`run_worker(...)` / `create_worker(...)`) and `Worker(...)`'s keywords: `job_timeout` (seconds, the
bound on one job's run: phase function, like a Celery task's time limit) and `max_tries` (how many
times a job runs, the first counted, when it raises `Retry` or is cut off), reported at the
attribute's line; `func(coroutine, timeout=s, max_tries=n)` and `cron(coroutine, ..., timeout=s,
max_tries=n)` per job, at the call. `None` / `0` are not reported, nor arq's defaults when nothing is
written (300 s, 5 tries), nor `keep_result` / `poll_delay` / `health_check_interval` (retention and
pacing, not bounds), nor a class of that shape in a file that does not use arq.
Why it matters: a job over its `job_timeout` is cancelled halfway through its outbound calls, and
retried up to `max_tries` times.
Example: `class WorkerSettings: functions = [sync]; job_timeout = 5 * 60 * 60; max_tries = 3`.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import body_statements, is_none, number_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.arq_worker"

VALID = [
    """\
from arq.connections import RedisSettings

class WorkerSettings:
    functions = [sync]
    redis_settings = RedisSettings()
    keep_result = 3600  # ok: retention, not a bound
    health_check_interval = 30  # ok: pacing
    job_timeout = None  # ok: no limit written
""",
    """\
class WorkerSettings:  # ok: no arq in this file
    functions = [sync]
    job_timeout = 60
    max_tries = 2
""",
]

INVALID = [
    """\
from arq import cron, func, run_worker
from arq.connections import RedisSettings

class WorkerSettings:
    functions = [sync, func(export, timeout=600, max_tries=1)]  # expect: timeout timeout_ms=600000 phase=function; retry max_attempts=1
    cron_jobs = [cron(cleanup, hour=3, timeout=120)]  # expect: timeout timeout_ms=120000 phase=function
    redis_settings = RedisSettings()
    job_timeout = 5 * 60 * 60  # expect: timeout timeout_ms=18000000 phase=function
    max_tries = 3  # expect: retry max_attempts=3
""",
]

_MARKS = ("functions", "cron_jobs", "redis_settings")
_STARTERS = ("run_worker", "create_worker", "Worker")


def _settings_classes(f) -> list:
    started = set()
    for call in f.calls:
        if call.name in _STARTERS and call.args:
            arg = unwrap(call.args[0].node)
            if arg is not None and arg.type == "identifier":
                started.add(T.text(arg))
    out = []
    for name, cls in f.classes.items():
        body = cls.child_by_field_name("body")
        attrs = {left for stmt in body_statements(body) for left, _ in f._assignments_in(stmt)}
        if name in started or attrs & set(_MARKS):
            out.append((cls, body))
    return out


def _timeout(f, node, at) -> list:
    inner = unwrap(node)
    if inner is None or is_none(inner) or number_value(inner) == 0:
        return []
    return f.duration(node, 1000.0, "function", ID, at, None)


def _tries(f, node, at) -> list:
    inner = unwrap(node)
    if inner is None or is_none(inner) or number_value(inner) == 0:
        return []
    count, pending, conf = f.count(node)
    return [f.finding("retry", at, ID, _retry._attrs(count, None, None, "task_queue", "arq"), conf, None, pending)]


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"arq"):
        return out
    if not any(v == "arq" or v.startswith("arq.") for v in f.imports.values()):
        return out
    for cls, body in _settings_classes(f):
        for stmt in body_statements(body):
            for left, right in f._assignments_in(stmt):
                if left == "job_timeout":
                    out += _timeout(f, right, stmt)
                elif left == "max_tries":
                    out += _tries(f, right, stmt)
    for call in f.calls:
        q = call.qualified
        if q in ("arq.func", "arq.worker.func", "arq.cron", "arq.cron.cron"):
            if "timeout" in call.kwargs:
                out += _timeout(f, call.kwargs["timeout"].node, call.node)
            if "max_tries" in call.kwargs:
                out += _tries(f, call.kwargs["max_tries"].node, call.node)
        elif q in ("arq.Worker", "arq.worker.Worker"):
            if "job_timeout" in call.kwargs:
                out += _timeout(f, call.kwargs["job_timeout"].node, call.node)
            if "max_tries" in call.kwargs:
                out += _tries(f, call.kwargs["max_tries"].node, call.node)
    return out
