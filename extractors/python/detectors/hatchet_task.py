"""Hatchet workflows: a workflow's and a step's (or v1 task's) `timeout`, and a step's `retries`.

What it does: in a file importing hatchet_sdk, reads the decorators Hatchet registers work with,
`@hatchet.workflow(name=..., timeout="60m")`, `@hatchet.step(timeout="10m", retries=2)` and (SDK v1)
`@hatchet.task(execution_timeout=timedelta(minutes=5), retries=3)` / `@workflow.task(...)` /
`durable_task(...)`, also through a project object that hands them on to Hatchet
(`@orchestration_provider.step(retries=1, timeout="360m")` with `def step(self, *a, **kw): return
self.orchestrator.step(*a, **kw)`): the run-time bound of the workflow or step (phase `function`, like
a Celery task's time limit; Hatchet's duration strings `"30s"`, `"10m"`, `"1h"` or a timedelta) and the
step's retries (`retries=N`: N + 1 attempts; `retries=0`: one), at the decorator's called name.
Not reported: `schedule_timeout` (how long a run may wait to be scheduled, not how long it runs),
`on_failure_step` / `concurrency` decorators, a decorator of that shape in a file that does not import
hatchet_sdk, Hatchet's defaults when nothing is written.
Why it matters: a step cut at its timeout stops halfway through its outbound calls and is re-run up to
`retries` times.
Example: `@hatchet.step(retries=1, timeout="360m")`.
"""

from __future__ import annotations

from contract_discovery.values import Call, Num
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import is_none, number_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.hatchet_task"

VALID = [
    """\
from hatchet_sdk import Context, Hatchet

hatchet = Hatchet()


@hatchet.workflow(name="nightly", schedule_timeout="5m")  # ok: a wait to be scheduled, not a run bound
class Nightly:
    @hatchet.step()  # ok: nothing written, Hatchet's defaults
    def run(self, context: Context) -> dict:
        return {}

    @hatchet.on_failure_step(timeout="1m")  # ok: not a step's own bound here
    def failed(self, context: Context) -> dict:
        return {}
""",
    """\
class Provider:  # ok: no hatchet_sdk in this file
    def step(self, **kw):
        return kw


provider = Provider()


@provider.step(retries=3, timeout="10m")
def work():
    pass
""",
]

INVALID = [
    """\
from datetime import timedelta

from hatchet_sdk import ConcurrencyLimitStrategy, Context


def factory(orchestration_provider, service):
    @orchestration_provider.workflow(name="graph-extraction", timeout="360m")  # expect: timeout timeout_ms=21600000 phase=function
    class GraphExtraction:
        @orchestration_provider.step(retries=1, timeout="60m")  # expect: timeout timeout_ms=3600000 phase=function; retry max_attempts=2
        async def extract(self, context: Context) -> dict:
            return await service.extract(context.workflow_input())

        @orchestration_provider.step(retries=0, timeout="10s", parents=["extract"])  # expect: timeout timeout_ms=10000 phase=function; retry max_attempts=1
        async def store(self, context: Context) -> dict:
            return {}

    return GraphExtraction
""",
    """\
from datetime import timedelta

from hatchet_sdk import Context, Hatchet

hatchet = Hatchet()


@hatchet.task(name="embed", execution_timeout=timedelta(minutes=5), retries=3)  # expect: timeout timeout_ms=300000 phase=function; retry max_attempts=4
def embed(input, ctx: Context) -> dict:
    return {}
""",
]

_DECORATORS = {"workflow", "step", "task", "durable_task"}
_TIMEOUT_KEYS = ("timeout", "execution_timeout")


def _hatchet_file(f) -> bool:
    return f.has_any(b"hatchet") and any(v == "hatchet_sdk" or v.startswith("hatchet_sdk.")
                                         for v in f.imports.values())


def _timeout(f, node, at) -> list:
    inner = unwrap(node)
    if inner is None or is_none(inner) or number_value(inner) == 0:
        return []
    # Hatchet's duration strings ("360m", "30s"), a timedelta, or a number of seconds
    expr = Call("duration_ms", (f.expr(node),), (("bare", Num(1000.0)),))
    settled, source = f.settle(expr)
    return f._duration_one(node, expr, settled, source, 1.0, "function", ID, at, None, (), False, "timeout",
                           {"library": "hatchet"})


def _retries(f, node, at) -> list:
    inner = unwrap(node)
    if inner is None or is_none(inner):
        return []
    count, pending, conf = f.count(node, offset=1)
    return [f.finding("retry", at, ID, _retry._attrs(count, None, None, "task_queue", "hatchet"), conf, None, pending)]


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out: list = []
    if not _hatchet_file(f):
        return out
    for dd in T.walk(f.root):
        if dd.type != "decorated_definition":
            continue
        for expr in [c.named_children[0] for c in dd.named_children if c.type == "decorator" and c.named_children]:
            call = f.call_of(expr)
            if call is None or call.name not in _DECORATORS or not call.receiver:
                continue
            for key in _TIMEOUT_KEYS:
                if key in call.kwargs:
                    out += _timeout(f, call.kwargs[key].node, call.node)
            if "retries" in call.kwargs and call.name != "workflow":
                out += _retries(f, call.kwargs["retries"].node, call.node)
    return out
