"""Task-queue retries: Celery (`autoretry_for=`, `self.retry(...)`), RQ `Retry(max=N)`, dramatiq actors, kombu retry
policy dicts (`{"max_retries": 2, "interval_start": 0.2}`, round 21) and a task class's `retry_kwargs`.

What it does: reports `@app.task(autoretry_for=(X,), max_retries=N, retry_backoff=True)` and a task
retrying itself by hand (`raise self.retry(exc=..., countdown=...)` in its body, or a bounded task handing
`self` to a helper that calls `task.retry(...)`), both at the decorator where the bound lives, with `max_attempts`
= N + 1 (Celery's `max_retries` counts retries; the default 3 gives 4 attempts; `None` retries
forever), backoff exponential with `retry_backoff` or a `countdown` using `**`, else fixed,
`retry_on` from `autoretry_for` / `exc=`, and the outbound call made by the task as target.
RQ's `Retry(max=N, interval=...)` is N + 1 attempts (backoff fixed for one interval, linear
for a growing list); `@dramatiq.actor(max_retries=N)` is N + 1 (dramatiq backs off
exponentially; its default is 20 retries); Huey's `@huey.task(retries=N, retry_delay=S)` (also
`db_task`/`periodic_task`, an instance's `@jobs.task(...)`, and the call form
`huey.task(retries=retries)(fn)` of a decorator factory) is N + 1. An ID generated inside a retried task is
regenerated on every retry (see python.new_id). A class-based Celery task (`class UpdateDocsTask(Task):
autoretry_for = (X,); max_retries = N`, or a method calling `self.retry(...)`) is read the same way, at its
`max_retries` line; one declaring `max_retries` that never retries is not reported. A project's own
wrapper of `shared_task` is a Celery task decorator when it is given Celery's own `autoretry_for=` (or is
named `..._task` and given `bind=` and `max_retries=`): `@shared_dedicated_queue_retry_task(autoretry_for=
(Exception,), max_retries=1 if settings.DEBUG else 5)` (the deployed branch: 6). A decorator object made once (`shared_task_with_retry = shared_task(autoretry_for=(Exception,), retry_kwargs={"max_retries": 3})`, used as `@shared_task_with_retry`) is reported once, at its definition; options splatted in from a module dict (`@shared_task(**_RETRY)`, `_RETRY = {"autoretry_for": ..., "max_retries": 5}`, also through `{**_RETRY, ...}`) at the dict's `max_retries` pair. Celery's
`CELERY_BROKER_TRANSPORT_OPTIONS` / `broker_transport_options` (and the task publish retry policy)
`{"max_retries": n}` bounds publishing a task to the broker: n + 1 tries, at the `max_retries` pair;
`broker_connection_max_retries` bounds re-establishing the broker connection (None or 0: forever). django-q's `Q_CLUSTER = {"max_attempts": N}`
(N attempts; 0: forever) and django-post_office's `POST_OFFICE = {"MAX_RETRIES": N}` (N + 1) at their key lines.
django-pgtransaction's `@pgtransaction.atomic(isolation_level=SERIALIZABLE, retry=N)` runs the transaction again on a
serialization failure or deadlock: N + 1 attempts at the decorator (a project decorator factory handing it its
own parameter publishes it for its callers: `@atomic_with_retry(retries=3)`).
Why it matters: a task retried minutes later repeats every outbound call it makes.
Example: `@shared_task(bind=True, autoretry_for=(requests.Timeout,), max_retries=5, retry_backoff=True)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.detectors import _retry, module_doc

ID = "python.task_retry"

VALID = [
    """\
db_connection_max_retries = None  # ok: not Celery's setting (this project's own name)
""",
    """\
from celery import shared_task

@shared_task
def cleanup():
    pass
""",
]

INVALID = [
    """\
import requests
from celery import shared_task

@shared_task(bind=True, autoretry_for=(requests.RequestException,), max_retries=5, retry_backoff=True)  # expect: retry max_attempts=6 backoff=exponential retry_on=requests.RequestException mechanism=decorator library=celery
def notify(self, url, payload):
    requests.post(url, json=payload, timeout=5)
""",
    """\
from common.custom_celery_tasks import shared_dedicated_queue_retry_task

@shared_dedicated_queue_retry_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=100)  # expect: retry max_attempts=101 backoff=exponential mechanism=decorator library=celery
def register_tenant(**kwargs):
    pass
""",
    """\
CELERY_BROKER_URL = "amqp://rabbitmq"
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 3, "interval_start": 0, "interval_step": 0.2}  # expect: retry max_attempts=4 library=celery
""",
    """\
broker_connection_max_retries = None  # expect: retry max_attempts=None library=celery
""",
    """\
CELERY_BROKER_CONNECTION_MAX_RETRIES = 10  # expect: retry max_attempts=11 library=celery
""",
    """\
from rq import Retry
job = queue.enqueue(sync_ledger, retry=Retry(max=3, interval=[10, 30, 60]))  # expect: retry max_attempts=4 backoff=linear library=rq
""",
    """\
import dramatiq

@dramatiq.actor(max_retries=5)  # expect: retry max_attempts=6 backoff=exponential library=dramatiq
def charge(order_id):
    pass
""",
    """\
from huey import RedisHuey
jobs = RedisHuey("jobs")

@jobs.task(retries=2, retry_delay=10)  # expect: retry max_attempts=3 backoff=fixed library=huey
def ping(url):
    pass
""",
    """\
from .celeryconf import app

@app.task(bind=True, max_retries=12)  # expect: retry max_attempts=13 backoff=exponential mechanism=call library=celery
def deliver(self, delivery_id):
    try:
        send(delivery_id)
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=2 ** self.request.retries)  # ok: reported at the decorator
""",
]


# Celery settings bounding the publishing of a task to the broker (kombu's connection retries): the
# old upper-case names of a Django settings module and the lower-case ones of a Celery config module
PUBLISH_SETTINGS = ("CELERY_BROKER_TRANSPORT_OPTIONS", "BROKER_TRANSPORT_OPTIONS", "broker_transport_options",
                    "CELERY_TASK_PUBLISH_RETRY_POLICY", "task_publish_retry_policy")


def _publish_retries(f) -> list:
    """`CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 3, ...}` (and the task publish retry policy):
    a task's apply_async retries reaching the broker n times, n + 1 tries; at the `max_retries` pair."""
    from extractors import treesitter as T
    from extractors.python.analysis import string_value, unwrap
    out = []
    if not f.has_any(b"max_retries"):
        return out
    tables = [(left, unwrap(right)) for stmt in f.root.named_children for left, right in f._assignments_in(stmt)]
    for call in f.calls:
        # `app.conf.update(broker_transport_options={...})` / `Celery("x", broker_transport_options={...})`
        # (round 13, hypothesis-lms): the same settings given as keywords of Celery's own config calls
        if call.callee.endswith("conf.update") or call.qualified in ("celery.Celery", "Celery"):
            tables += [(key, unwrap(arg.node)) for key, arg in call.kwargs.items() if key in PUBLISH_SETTINGS]
    for left, table in tables:
            if left not in PUBLISH_SETTINGS or table is None or table.type != "dictionary":
                continue
            if left.islower() and not f.has_any(b"broker_url", b"result_backend", b"conf.update", b"celery("):
                continue
            for pair in table.named_children:
                if pair.type != "pair" or string_value(pair.child_by_field_name("key")) != "max_retries":
                    continue
                value_node = pair.child_by_field_name("value")
                if value_node is None:
                    continue
                if T.text(value_node) == "None":
                    value, extra, conf = None, [], "high"  # kombu retries publishing forever
                else:
                    value, extra, conf = f.count(value_node, offset=1)
                out.append(f.finding("retry", pair, ID, _retry._attrs(
                    value, "linear", None, "client_config", "celery", setting=left), conf, None, extra))
    return out


# Celery's reconnection to the broker: retries before giving up (None or 0: forever). The names are
# Celery's own (no other library spells them), so no broker_url is asked for beside them.
RECONNECT_SETTINGS = ("broker_connection_max_retries", "BROKER_CONNECTION_MAX_RETRIES",
                      "CELERY_BROKER_CONNECTION_MAX_RETRIES")


def _reconnect_retries(f) -> list:
    """`broker_connection_max_retries = None` in a Celery config module: the worker and the producers
    re-establish a lost broker connection forever (null); `= 10`: ten retries, 11 tries."""
    from extractors import treesitter as T
    from extractors.python.analysis import unwrap
    out = []
    if not f.has_any(b"broker_connection_max_retries"):
        return out
    from extractors.python.detectors.settings_timeout import celery_conf_settings, celery_imported
    if celery_imported(f):
        # (round 19, openfec) `app.conf.update(broker_connection_max_retries=None)` at the call
        for name, node, at in celery_conf_settings(f, ("broker_connection_max_retries",)):
            value_node = unwrap(node)
            if T.text(value_node) in ("None", "0"):
                value, extra, conf = None, [], "high"
            else:
                value, extra, conf = f.count(value_node, offset=1)
            out.append(f.finding("retry", at, ID, _retry._attrs(
                value, "linear", None, "client_config", "celery", setting=name), conf, None, extra))
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            value_node = unwrap(right)
            if left not in RECONNECT_SETTINGS or value_node is None:
                continue
            if T.text(value_node) in ("None", "0"):
                value, extra, conf = None, [], "high"
            else:
                value, extra, conf = f.count(value_node, offset=1)
            out.append(f.finding("retry", stmt, ID, _retry._attrs(
                value, "linear", None, "client_config", "celery", setting=left), conf, None, extra))
    return out


def _settings_retries(f) -> list:
    """(round 18) django-q's `Q_CLUSTER = {"max_attempts": N}` (N attempts of a failed task; 0 retries forever)
    and django-post_office's `POST_OFFICE = {"MAX_RETRIES": N}` (a failed mail re-sent N times: N + 1), at the
    key line of a settings module."""
    from extractors.python.analysis import string_value, unwrap
    out = []
    if not f.has_any(b"q_cluster", b"post_office"):
        return out
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            table = unwrap(right)
            if left not in ("Q_CLUSTER", "POST_OFFICE") or table is None or table.type != "dictionary":
                continue
            key, offset = ("max_attempts", 0) if left == "Q_CLUSTER" else ("MAX_RETRIES", 1)
            for pair in table.named_children:
                value = pair.child_by_field_name("value") if pair.type == "pair" else None
                if value is None or string_value(pair.child_by_field_name("key")) != key:
                    continue
                if offset == 0 and (unwrap(value).text or b"").strip() == b"0":
                    count, extra, conf = None, [], "high"
                else:
                    count, extra, conf = f.count(value, offset=offset)
                out.append(f.finding("retry", pair, ID, _retry._attrs(
                    count, "fixed", None, "client_config", "django_q" if left == "Q_CLUSTER" else "post_office"),
                    conf, None, extra))
    return out


@detector(ID, "python", ("retry",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    published = _publish_retries(f)
    return [fd for fd in _retry.analyse(f).findings if fd.detector == ID] + published + \
        _reconnect_retries(f) + _settings_retries(f) + _kombu_retry_policies(f, published)


# the keys of kombu's retry policy (Connection.ensure / Producer.publish(retry_policy=) / Celery's
# apply_async(retry_policy=)) beside max_retries: no other library spells them
KOMBU_POLICY_KEYS = ("interval_start", "interval_step", "interval_max")


def _kombu_retry_policies(f, published) -> list:
    """(round 21, hypothesis h) A kombu retry policy written as a dict (`RETRY_POLICY_QUICK = {"max_retries": 2,
    "interval_start": 0.2, "interval_step": 0.2}` handed to `producer.publish(.., retry=True, retry_policy=..)`,
    `kombu.Connection(.., transport_options=..)` or Celery's `apply_async(retry_policy={..})`): max_retries
    retries, n + 1 tries (None: forever), at the `max_retries` pair, once however many calls use it. Known by
    its interval_start / interval_step / interval_max keys, which no other library spells; not the broker
    transport options read above."""
    from extractors import treesitter as T
    from extractors.python.analysis import string_value
    out = []
    if not f.has_any(b"max_retries") or not f.has_any(*(k.encode() for k in KOMBU_POLICY_KEYS)):
        return out
    seen = {(fd.line, fd.column) for fd in published}
    for node in T.walk(f.root):
        if node.type != "dictionary":
            continue
        pairs = {string_value(p.child_by_field_name("key")): p for p in node.named_children if p.type == "pair"}
        pair = pairs.get("max_retries")
        if pair is None or not any(k in pairs for k in KOMBU_POLICY_KEYS):
            continue
        value_node = pair.child_by_field_name("value")
        if value_node is None or (pair.start_point[0] + 1, pair.start_point[1] + 1) in seen:
            continue
        if T.text(value_node) == "None":
            value, extra, conf = None, [], "high"
        else:
            value, extra, conf = f.count(value_node, offset=1)
        out.append(f.finding("retry", pair, ID, _retry._attrs(
            value, "linear", None, "client_config", "kombu"), conf, None, extra))
    return out
