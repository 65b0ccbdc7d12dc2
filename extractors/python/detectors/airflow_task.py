"""Apache Airflow task retries and execution timeouts: `retries=` / `execution_timeout=` of a DAG's
`default_args`, of an operator or sensor, and of a `@task(...)` decorator.

What it does: in a file importing airflow, reads `DAG(..., default_args={...})` / `@dag(default_args=...)`
(the dict written in the call, or a module-level name bound to a dict literal) and any operator, sensor or
`@task(...)` call's own keywords. `retries` counts retries after the first try (`retries=3`: 4 attempts);
`execution_timeout=timedelta(...)` bounds one try of a task (phase function). Reported at the call that
takes them (`with DAG(` line, the operator's line, the `@task(` line). `retries=0` / `None` and
`execution_timeout=None` are not reported; nor `retry_delay` (pacing), `dagrun_timeout` (a whole run's
schedule budget), `sla`, nor the same words in a file that does not import airflow.
Why it matters: Airflow re-runs a failed task `retries` times, repeating every outbound call it made,
and kills a try that outlives `execution_timeout` halfway through them.
Example: `with DAG("sync", default_args={"retries": 3, "retry_delay": timedelta(seconds=10)}):`.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import is_none, number_value, string_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.airflow_task"

VALID = [
    """\
from datetime import timedelta

default_args = {"retries": 3, "execution_timeout": timedelta(minutes=5)}  # ok: no airflow in this file
run(retries=2)
""",
    """\
from datetime import timedelta
from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("nightly", default_args={"retries": 0, "retry_delay": timedelta(minutes=5)}):  # ok: no retry
    BashOperator(task_id="x", bash_command="true", retry_delay=timedelta(seconds=30))  # ok: pacing only
    note = "retries=3"  # ok: a string
""",
]

INVALID = [
    """\
from datetime import timedelta
from airflow import DAG
from airflow.decorators import task
from airflow.providers.http.operators.http import HttpOperator

DEFAULTS = {"owner": "ops", "retries": 2, "execution_timeout": timedelta(minutes=10)}

with DAG("sync", default_args=DEFAULTS):  # expect: retry max_attempts=3; timeout timeout_ms=600000 phase=function
    HttpOperator(task_id="ping", endpoint="/ping", retries=4)  # expect: retry max_attempts=5


@task(retries=1, execution_timeout=timedelta(seconds=90))  # expect: retry max_attempts=2; timeout timeout_ms=90000 phase=function
def fetch():
    pass
""",
]


def _module_dicts(f) -> dict:
    """Module-level `NAME = {...}` dict literals."""
    out = {}
    for stmt in f.root.named_children:
        if stmt.type != "expression_statement":
            continue
        for node in stmt.named_children:
            if node.type != "assignment":
                continue
            left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
            if left is not None and left.type == "identifier" and right is not None and right.type == "dictionary":
                out[T.text(left)] = right
    return out


def _dict_items(node, dicts: dict | None = None, depth: int = 0) -> dict:
    items = {}
    for pair in node.named_children:
        if pair.type == "dictionary_splat" and dicts is not None and depth < 3 and pair.named_children:
            # (round 20, telemetry-airflow) `probe_args = {**default_args, "email_on_retry": False}`: the spread
            # dict's entries, overridden by the keys written after it
            spread = unwrap(pair.named_children[0])
            inner = dicts.get(T.text(spread)) if spread is not None and spread.type == "identifier" else None
            if inner is not None:
                items.update(_dict_items(inner, dicts, depth + 1))
        if pair.type == "pair":
            key = string_value(pair.child_by_field_name("key"))
            if key:
                items[key] = pair.child_by_field_name("value")
    return items


def _read(f, settings: dict, at) -> list:
    out = []
    retries = settings.get("retries")
    inner = unwrap(retries) if retries is not None else None
    if inner is not None and not is_none(inner) and number_value(inner) != 0:
        value, pending, conf = f.count(retries, offset=1)
        out.append(f.finding("retry", at, ID, _retry._attrs(value, None, None, "task_queue", "airflow"),
                             conf, None, pending))
    limit = settings.get("execution_timeout")
    inner = unwrap(limit) if limit is not None else None
    if inner is not None and not is_none(inner):
        out += f.duration(limit, 1000.0, "function", ID, at, None)
    return out


def _is_task_call(call) -> bool:
    last = call.qualified.rsplit(".", 1)[-1]
    return last.endswith(("Operator", "Sensor")) or call.qualified in (
        "airflow.decorators.task", "airflow.sdk.task") or call.callee in ("task", "task.python", "task.virtualenv")


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"airflow") or not f.has_any(b"retries", b"execution_timeout"):
        return out
    if not any(v == "airflow" or v.startswith("airflow.") for v in f.imports.values()):
        return out
    dicts = None
    for call in f.calls:
        last = call.qualified.rsplit(".", 1)[-1]
        if last in ("DAG", "dag") and "default_args" in call.kwargs:
            node = unwrap(call.kwargs["default_args"].node)
            if node is not None and node.type == "identifier":
                dicts = _module_dicts(f) if dicts is None else dicts
                node = dicts.get(T.text(node))
            if node is not None and node.type == "dictionary":
                dicts = _module_dicts(f) if dicts is None else dicts
                out += _read(f, _dict_items(node, dicts), call.node)
        elif _is_task_call(call):
            out += _read(f, {k: a.node for k, a in call.kwargs.items()}, call.node)
    return out
