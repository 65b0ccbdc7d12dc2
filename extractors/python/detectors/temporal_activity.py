"""Temporal (temporalio) activity and workflow options: `start_to_close_timeout=`, `retry_policy=RetryPolicy(maximum_attempts=n)`.

What it does: reads the options a Temporal Python workflow gives each activity it runs
(`workflow.execute_activity` / `start_activity` / `execute_local_activity` and the `_method` /
`_class` variants) and each child workflow (`workflow.execute_child_workflow` /
`start_child_workflow`), also a client starting a workflow (`client.start_workflow` /
`execute_workflow` in a file importing temporalio). Reported at the call, like any call's options:
`start_to_close_timeout` / `schedule_to_close_timeout` (an activity's budget) and
`execution_timeout` / `run_timeout` (a workflow's) as timeouts of phase total (a `timedelta`, or
seconds); `retry_policy=RetryPolicy(maximum_attempts=n)` as a retry of n attempts (the first
counted: 1 means no retry), the policy written inline, bound to a name, or an entry of a dict of
policies (`RETRY_POLICIES["activity:fail_fast"]`), here or in another module (published as
`<NAME>.<key>.maximum_attempts`). Not reported: `heartbeat_timeout` (a liveness gap, not the
call's budget), `schedule_to_start_timeout` (a queue wait), `task_timeout` (a workflow task's
processing bound), a `RetryPolicy` without `maximum_attempts` or with 0 (Temporal retries without
a limit: no bound is written), `retry_policy=None`.
Why it matters: Temporal retries an activity forever by default; the attempts and the per-attempt
budget written at each call are what bounds the work the workflow does against other services.
Example: `await workflow.execute_activity(charge, order, start_to_close_timeout=timedelta(seconds=30),
retry_policy=RetryPolicy(maximum_attempts=3))`.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.python.analysis import is_none, number_value, string_value, unwrap
from extractors.base import detector
from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Ref
from extractors.python.detectors import _retry, module_doc

ID = "python.temporal_activity"

VALID = [
    """\
from datetime import timedelta
from temporalio import workflow
from temporalio.common import RetryPolicy

@workflow.defn
class Nightly:
    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity(
            sync_accounts,
            heartbeat_timeout=timedelta(seconds=20),  # ok: a liveness gap, not the budget
            schedule_to_start_timeout=timedelta(minutes=5),  # ok: a queue wait
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1)),  # ok: no maximum_attempts: unlimited
        )
""",
    """\
from datetime import timedelta

def execute_activity(fn, start_to_close_timeout=None):  # ok: not temporal's
    return fn()

execute_activity(print, start_to_close_timeout=timedelta(seconds=5))
""",
]

INVALID = [
    """\
from datetime import timedelta
from temporalio import workflow
from temporalio.common import RetryPolicy

FAST = RetryPolicy(maximum_attempts=1)
POLICIES = {"slow": RetryPolicy(maximum_attempts=6)}

@workflow.defn
class Payments:
    @workflow.run
    async def run(self, order) -> None:
        await workflow.execute_activity(  # expect: timeout timeout_ms=30000 phase=total; retry max_attempts=3
            charge, order,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
        await workflow.execute_local_activity(check, order, start_to_close_timeout=timedelta(seconds=5), retry_policy=FAST)  # expect: timeout timeout_ms=5000 phase=total; retry max_attempts=1
        await workflow.execute_activity(refund, order, start_to_close_timeout=timedelta(minutes=2), retry_policy=POLICIES["slow"])  # expect: timeout timeout_ms=120000 phase=total; retry max_attempts=6
        await workflow.execute_child_workflow(Ship.run, order, execution_timeout=timedelta(hours=1), retry_policy=FAST)  # expect: timeout timeout_ms=3600000 phase=total; retry max_attempts=1
""",
]

ACTIVITY = ("execute_activity", "start_activity", "execute_local_activity", "start_local_activity",
            "execute_activity_method", "start_activity_method", "execute_activity_class", "start_activity_class",
            "execute_local_activity_method", "start_local_activity_method", "execute_local_activity_class",
            "start_local_activity_class")
CHILD = ("execute_child_workflow", "start_child_workflow")
CLIENT = ("start_workflow", "execute_workflow")
ACTIVITY_TIMEOUTS = ("start_to_close_timeout", "schedule_to_close_timeout")
WORKFLOW_TIMEOUTS = ("execution_timeout", "run_timeout")
MAX = "maximum_attempts"


def _temporal_call(f, call) -> tuple[str, ...] | None:
    """The timeout keywords this call takes, when it is Temporal's."""
    q = call.qualified
    if call.name in ACTIVITY and (q.startswith("temporalio.") or call.receiver == "workflow"):
        return ACTIVITY_TIMEOUTS
    if call.name in CHILD and (q.startswith("temporalio.") or call.receiver == "workflow"):
        return WORKFLOW_TIMEOUTS
    if call.name in CLIENT and call.receiver and not q.startswith("temporalio.workflow"):
        return WORKFLOW_TIMEOUTS
    return None


def _is_policy(f, node) -> bool:
    call = f.call_of(unwrap(node))
    return call is not None and (call.qualified == "temporalio.common.RetryPolicy" or call.callee == "RetryPolicy")


def _local_policy(f, node, depth: int = 0):
    """The `RetryPolicy(...)` call a value stands for in this file: inline, a name bound to one, or
    an entry of a dict literal bound to a name (`POLICIES["slow"]`)."""
    node = unwrap(node)
    if node is None or depth > 3:
        return None
    if _is_policy(f, node):
        return node
    if node.type == "identifier":
        found = f.binding(T.text(node), node)
        return _local_policy(f, found[0], depth + 1) if found else None
    if node.type == "subscript":
        key = string_value(node.child_by_field_name("subscript"))
        base = unwrap(node.child_by_field_name("value"))
        if key is None or base is None or base.type != "identifier":
            return None
        found = f.binding(T.text(base), base)
        table = unwrap(found[0]) if found else None
        if table is not None and table.type == "dictionary":
            for pair in table.named_children:
                if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == key:
                    return _local_policy(f, pair.child_by_field_name("value"), depth + 1)
    return None


def _policy_name(node) -> str | None:
    """The published name of a policy defined elsewhere: `FAST` / `RETRY_POLICIES["activity:fail_fast"]`
    / `policies.FAST` -> `<name>.maximum_attempts`."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("identifier", "attribute"):
        text = "".join(T.text(node).split())
        return None if text.startswith(("self.", "cls.")) else f"{text}.{MAX}"
    if node.type == "subscript":
        key = string_value(node.child_by_field_name("subscript"))
        base = unwrap(node.child_by_field_name("value"))
        if key and base is not None and base.type in ("identifier", "attribute") and "." not in key:
            return f"{''.join(T.text(base).split())}.{key}.{MAX}"
    return None


def _publish(f) -> None:
    """`FAST = RetryPolicy(maximum_attempts=1)` / `POLICIES = {"slow": RetryPolicy(maximum_attempts=6)}` at
    module level: `FAST.maximum_attempts` / `POLICIES.slow.maximum_attempts`, for calls in other modules."""
    for stmt in f.root.named_children:
        if stmt.type != "expression_statement":
            continue
        for child in stmt.named_children:
            if child.type != "assignment":
                continue
            left, right = child.child_by_field_name("left"), unwrap(child.child_by_field_name("right"))
            if left is None or left.type != "identifier" or right is None:
                continue
            name = T.text(left)
            entries = [(name, right)]
            if right.type == "dictionary":
                entries = [(f"{name}.{string_value(p.child_by_field_name('key'))}", p.child_by_field_name("value"))
                           for p in right.named_children if p.type == "pair"
                           and string_value(p.child_by_field_name("key")) and "." not in string_value(p.child_by_field_name("key"))]
            for prefix, value in entries:
                if value is None or not _is_policy(f, value):
                    continue
                kw = f.call_of(unwrap(value)).kwargs.get(MAX)
                if kw is None or number_value(unwrap(kw.node)) == 0:
                    continue
                f.symbols.setdefault(f"{prefix}.{MAX}", f.expr(kw.node, resolve_locals=False))


def _retry_finding(f, call, value):
    attrs = lambda n: _retry._attrs(n, "exponential", None, "client_config", "temporal")  # noqa: E731
    policy = _local_policy(f, value)
    if policy is not None:
        kw = f.call_of(policy).kwargs.get(MAX)
        if kw is None or number_value(unwrap(kw.node)) == 0:
            return None  # no maximum: Temporal retries without a limit
        count, pending, conf = f.count(kw.node)
        return f.finding("retry", call.node, ID, attrs(count), conf if count is not None else "medium", None, pending)
    name = _policy_name(value)
    if name is None:
        return None
    # kept only where another module publishes that policy's maximum (a policy without one retries forever)
    return f.finding("retry", call.node, ID, attrs(None), "medium", None,
                     [Pending("max_attempts", Ref(name), 1.0), Pending(KEEP_IF, Ref(name), None)])


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"temporalio"):
        return out
    _publish(f)
    for call in f.calls:
        keys = _temporal_call(f, call)
        if keys is None:
            continue
        kwargs = f.effective_kwargs(call)
        for key in keys:
            value = kwargs.get(key)
            if value is None or is_none(unwrap(value)):
                continue
            out += f.duration(value, 1000.0, "total", ID, call.node, None)
        policy = kwargs.get("retry_policy")
        if policy is not None and not is_none(unwrap(policy)):
            found = _retry_finding(f, call, policy)
            if found is not None:
                out.append(found)
    return out
