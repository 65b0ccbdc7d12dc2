"""Time limits of background jobs: Celery `time_limit=` / `soft_time_limit=`, dramatiq `time_limit=`, RQ `job_timeout=`
and RQ's `@job(queue, timeout=...)` decorator (django-rq, rq.decorators).

What it does: reports the run-time bound a task queue puts on one job, phase `function` (the whole
handler, like a serverless function's timeout): Celery's task decorator `@app.task(time_limit=60,
soft_time_limit=50)` (seconds; the soft limit raises inside the task, the hard one kills the worker
process: one finding each), dramatiq's `@dramatiq.actor(time_limit=60_000)` and a project's own
`@actor(..., time_limit=...)` wrapper (milliseconds, dramatiq's unit), dramatiq's broker-wide
`TimeLimit(time_limit=...)` middleware (milliseconds), and RQ's `queue.enqueue(fn, job_timeout=180)`
on a queue (seconds; `-1` means no limit). Limits splatted into a task decorator from a module dict (`@shared_task(**_LIMITS)`) are reported at the dict's `time_limit` pair (the soft limit only where no hard one is given), once however many tasks share it. django-q's `Q_CLUSTER = {"timeout": N}` and django-post_office's
`POST_OFFICE = {"BATCH_DELIVERY_TIMEOUT": N}` (seconds) at their key lines. `None` is not reported; RQ's `Queue.prepare_data(fn, timeout=t)` (round 21) is read like enqueue, and a limit that is
the helper's own parameter defaulting to None (`def schedule_job(job, timeout=None)`) is left to the calls passing one. Not reported: Celery's app-wide
`task_time_limit` setting (a worker policy), `expires=` / `countdown=` (when a job may start, not how
long it may run), `result_ttl=` (how long a result is kept).
Why it matters: a job killed at its limit stops halfway through its outbound calls and is often retried.
Example: `@shared_task(bind=True, soft_time_limit=25, time_limit=30)`.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import LazyArg, is_none, string_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.task_timeout"

VALID = [
    """\
from celery import shared_task

@shared_task(expires=60, countdown=5)  # ok: when the job may start, not how long it runs
def cleanup():
    pass
""",
    """\
from celery import shared_task

@shared_task(time_limit=None)  # ok: no limit
def export():
    pass

limits = {"time_limit": 30}  # ok: a dict, not a task
""",
    """\
def run(queue, job):
    return queue.enqueue(job, job_timeout=-1, result_ttl=600)  # ok: -1 is no limit; result_ttl is retention


def script(ScriptJob, request):
    return ScriptJob.enqueue(instance=request, job_timeout=request.timeout)  # ok: a project's job class, not an RQ queue
""",
]

INVALID = [
    """\
import requests
from celery import shared_task

@shared_task(bind=True, soft_time_limit=25, time_limit=30)  # expect: timeout timeout_ms=25000 phase=function; timeout timeout_ms=30000 phase=function
def notify(self, url):
    requests.post(url, timeout=5)
""",
    """\
import dramatiq
from dramatiq.middleware import TimeLimit

@dramatiq.actor(max_retries=2, time_limit=180_000)  # expect: timeout timeout_ms=180000 phase=function
def review(org_id):
    pass

middleware = [TimeLimit(time_limit=60_000)]  # expect: timeout timeout_ms=60000 phase=function
""",
    """\
from rq import Queue

def schedule(redis, job):
    return Queue("sync", connection=redis).enqueue(job, job_timeout=180)  # expect: timeout timeout_ms=180000 phase=function
""",
    """\
from django_rq import job

@job("default", timeout=5400)  # expect: timeout timeout_ms=5400000 phase=function
def synchronise(task):
    pass

@job("default")  # ok: the queue's default (its settings)
def poll(task):
    pass
""",
]

TASK_PROCESSOR = ("register_task_handler", "register_recurring_task")
DRAMATIQ_TIME_LIMIT = ("dramatiq.middleware.TimeLimit", "dramatiq.middleware.time_limit.TimeLimit",
                       "dramatiq.TimeLimit")


# RQ's job decorator, as django-rq and rq export it
RQ_JOB_DECORATORS = frozenset({"django_rq.job", "django_rq.decorators.job", "rq.decorators.job", "rq.job"})


def _rq_file(f) -> bool:
    """The module imports RQ, rq-scheduler or django-rq."""
    return any(m == "rq" or m.startswith(("rq.", "rq_scheduler", "django_rq")) for m in f.imports.values())


def _limit(f, arg, scale: float, at) -> list:
    node = unwrap(arg.node)
    if node is None or is_none(node) or arg.text.strip() in ("-1", "0"):
        return []
    found = f.duration(arg.node, scale, "function", ID, at, None)
    if node.type == "identifier" and _none_default_param(f, node):
        # (round 21, bugbug) `def schedule_job(job, timeout=None): q.enqueue(job.func, job_timeout=timeout)`: a
        # call leaving it out gets the queue's own default (read where the queue is made); the calls passing a
        # value hold the contract (published for them), this line none of its own
        found = never_unless_passed(found)
    return found


def never_unless_passed(found: list) -> list:
    """Findings of a helper's parameter defaulting to None: published for the calls that pass a value, never
    reported at the helper's own line (the library's default holds for a call leaving it out)."""
    from dataclasses import replace

    from contract_discovery.model import Pending
    from contract_discovery.resolve import KEEP_IF
    from contract_discovery.values import Unknown
    never = Pending(KEEP_IF, Unknown("the library's default unless a caller passes a value"), None)
    return [replace(fd, pending=(*fd.pending, never)) for fd in found]


def _none_default_param(f, node) -> bool:
    """`node` is a parameter of its function whose default is None (not rebound before)."""
    fn = f.enclosing_function(node)
    if fn is None:
        return False
    name = T.text(node)
    params = f.function_params(fn)
    if name not in params or params[name] is None or not is_none(unwrap(params[name])):
        return False
    return not any(t == name and s.start_byte < node.start_byte for t, _, s in f.scope_assignments(fn))


# Django apps' task-runner settings dicts: (setting, key, seconds per unit). django-q's cluster `timeout` kills a task
# running longer; django-post_office's `BATCH_DELIVERY_TIMEOUT` bounds sending one batch of mail (round 18)
SETTINGS_LIMITS = (("Q_CLUSTER", "timeout"), ("POST_OFFICE", "BATCH_DELIVERY_TIMEOUT"))


def _settings_limits(f) -> list:
    """`Q_CLUSTER = {"timeout": 43200, ...}` / `POST_OFFICE = {"BATCH_DELIVERY_TIMEOUT": 180}` in a settings
    module: the job bound at its key line (seconds; None: no limit)."""
    out = []
    if not f.has_any(b"q_cluster", b"post_office"):
        return out
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            table = unwrap(right)
            for setting, key in SETTINGS_LIMITS:
                if left != setting or table is None or table.type != "dictionary":
                    continue
                for pair in table.named_children:
                    value = pair.child_by_field_name("value") if pair.type == "pair" else None
                    if value is not None and string_value(pair.child_by_field_name("key")) == key and \
                            not is_none(unwrap(value)):
                        out += f.duration(value, 1000.0, "function", ID, pair, None)
    return out


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    out += _settings_limits(f)
    if not f.has_any(b"time_limit", b"job_timeout", b"timelimit", b"register_task_handler", b"register_recurring_task",
                     b"cron(", b"enqueue_call(", b"django_rq", b"rq.decorators", b"from rq import", b"prepare_data("):
        return out
    shared: set = set()
    for fn in f.functions:
        for expr in f.decorators(fn):
            call = f.call_of(expr)
            if call is None:
                continue
            if call.qualified in RQ_JOB_DECORATORS:
                # (round 17) RQ's `@job("default", timeout=5400)` (django-rq, rq.decorators): the job's time limit, s
                for name in ("timeout", "job_timeout"):
                    if name in call.kwargs:
                        out += _limit(f, call.kwargs[name], 1000.0, expr)
            elif _retry._is_task_decorator(f, expr) is not None:
                for name in ("soft_time_limit", "time_limit"):
                    if name in call.kwargs:
                        out += _limit(f, call.kwargs[name], 1000.0, expr)
                # (round 18, kitsune) the limits of a module options dict splatted in (`@shared_task(**_LIMITS)`,
                # `_LIMITS = {"soft_time_limit": ..., "time_limit": ...}`): the hard limit at its key line (the
                # soft one only where no hard limit is given), once however many tasks share the dict
                options, from_dict = _retry.task_options(f, call)
                for name in ("time_limit",) if "time_limit" in options else ("soft_time_limit",):
                    pair = options[name].node.parent if name in from_dict and name in options else None
                    if pair is not None and pair.id not in shared:
                        shared.add(pair.id)
                        out += _limit(f, options[name], 1000.0, pair)
            elif (call.qualified in ("dramatiq.actor", "remoulade.actor") or call.name == "actor") \
                    and "time_limit" in call.kwargs:
                out += _limit(f, call.kwargs["time_limit"], 1.0, expr)
    for call in f.calls:
        if call.qualified.startswith("task_processor.") and call.name in TASK_PROCESSOR and "timeout" in call.kwargs:
            # Flagsmith's task processor: `@register_task_handler(timeout=timedelta(minutes=5))`,
            # `register_recurring_task(run_every=..., timeout=...)`, also applied as a call
            out += _limit(f, call.kwargs["timeout"], 1000.0, call.node)
        elif (call.qualified in DRAMATIQ_TIME_LIMIT or (call.name == "TimeLimit" and "middleware" in call.qualified)) \
                and "time_limit" in call.kwargs:
            out += _limit(f, call.kwargs["time_limit"], 1.0, call.node)
        elif call.name in ("enqueue", "enqueue_call", "enqueue_in", "enqueue_at") and "job_timeout" in call.kwargs \
                and call.receiver and (call.qualified.startswith(("rq.", "django_rq.")) or
                                       "queue" in call.receiver.lower() or call.receiver == "q" or
                                       ("sched" in call.receiver.lower() and _rq_file(f))):
            # also a project's scheduler wrapping RQ (`with DataHubScheduler() as scheduler:
            # scheduler.enqueue(queue_name=q, function=fn, job_timeout=t)` in a module using rq)
            out += _limit(f, call.kwargs["job_timeout"], 1000.0, call.node)
        elif call.name == "enqueue_call" and call.dict_splats and call.receiver and "queue" in call.receiver.lower() \
                and _rq_file(f):
            # round 12 (ckan): RQ's `queue.enqueue_call(func=fn, **rq_kwargs)` with `rq_kwargs["timeout"] =
            # rq_kwargs.get("timeout", default)` filled before (enqueue_call's own name for the job timeout)
            given = f.effective_kwargs(call)
            key = "job_timeout" if "job_timeout" in given else "timeout" if "timeout" in given else None
            if key is not None:
                out += _limit(f, LazyArg(given[key], key), 1000.0, call.node)
        elif call.name == "prepare_data" and "timeout" in call.kwargs and call.receiver and \
                (call.qualified.startswith("rq.") or "queue" in call.receiver.lower()) and _rq_file(f):
            # (round 21, bugbug) RQ's `Queue.prepare_data(fn, args=.., timeout=t)` for `queue.enqueue_many(..)`
            out += _limit(f, call.kwargs["timeout"], 1000.0, call.node)
        elif call.name == "cron" and "timeout" in call.kwargs and call.receiver and \
                "sched" in call.receiver.lower() and _rq_file(f):
            # rq-scheduler's `scheduler.cron(cron_string, func, timeout=s)` (the jobs it enqueues)
            out += _limit(f, call.kwargs["timeout"], 1000.0, call.node)
    return out
