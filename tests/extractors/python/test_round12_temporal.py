"""Round-12 rules (held-out tracecat): Temporal's Python SDK. A workflow's `workflow.execute_activity(...,
start_to_close_timeout=timedelta(...), retry_policy=...)` and child workflows' `execution_timeout` /
`retry_policy`, at the call; the policy's `maximum_attempts` read inline, through a name, or from a dict
of policies defined in another module (`RETRY_POLICIES["activity:fail_fast"]`). With the traps: a
heartbeat timeout, a policy without a maximum (unlimited), `retry_policy=None`, a project function
named `execute_activity`, the word in strings and comments."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def _project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'flows'\n")
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "__init__.py").write_text("")
    (tmp_path / "flows" / "common.py").write_text(
        "from temporalio.common import RetryPolicy\n\n"
        "RETRY_POLICIES = {\n"
        "    'activity:fail_fast': RetryPolicy(maximum_attempts=1, non_retryable_error_types=['X']),\n"
        "    'activity:fail_slow': RetryPolicy(maximum_attempts=6),\n"
        "    'activity:forever': RetryPolicy(maximum_attempts=0),\n"
        "}\n"
        "SLOW = RetryPolicy(maximum_attempts=4)\n"
        "retry_policy = 'timeout'  # ok: a string\n")
    (tmp_path / "flows" / "workflow.py").write_text(
        "from datetime import timedelta\n"
        "from temporalio import workflow\n"
        "from temporalio.common import RetryPolicy\n\n"
        "with workflow.unsafe.imports_passed_through():\n"
        "    from flows.common import RETRY_POLICIES, SLOW\n\n\n"
        "@workflow.defn\n"
        "class Flow:\n"
        "    @workflow.run\n"
        "    async def run(self, args) -> None:\n"
        "        self.timeout = args.timeout\n"
        "        await workflow.execute_activity(\n"                        # 14
        "            load, args,\n"
        "            start_to_close_timeout=timedelta(seconds=30),\n"
        "            retry_policy=RETRY_POLICIES['activity:fail_fast'],\n"
        "        )\n"
        "        await workflow.execute_activity(save, args, start_to_close_timeout=self.timeout,\n"  # 19
        "                                        retry_policy=RETRY_POLICIES['activity:fail_slow'])\n"
        "        await workflow.execute_local_activity(check, args, schedule_to_close_timeout=timedelta(minutes=1),\n"  # 21
        "                                              retry_policy=SLOW)\n"
        "        await workflow.execute_child_workflow(Child.run, args, retry_policy=RETRY_POLICIES['activity:fail_fast'],\n"  # 23
        "                                              execution_timeout=workflow.info().execution_timeout)\n"
        "        await workflow.execute_activity(poll, args, heartbeat_timeout=timedelta(seconds=10),\n"  # 25: ok
        "                                        retry_policy=RETRY_POLICIES['activity:forever'])\n"
        "        await workflow.execute_activity(notify, args, start_to_close_timeout=timedelta(seconds=5),\n"  # 27
        "                                        retry_policy=RetryPolicy(backoff_coefficient=2.0))\n"
        "        await workflow.execute_activity(audit, args, retry_policy=None)  # ok: Temporal's default\n"  # 30
        "        await workflow.execute_activity(user_step, args,\n"        # 29
        "            retry_policy=RetryPolicy(maximum_attempts=args.retry.max_attempts))\n")
    (tmp_path / "flows" / "local.py").write_text(
        "from datetime import timedelta\n\n\n"
        "def execute_activity(fn, start_to_close_timeout=None, retry_policy=None):\n"
        "    return fn()  # ok: a project function of that name, no temporalio here\n\n\n"
        "execute_activity(print, start_to_close_timeout=timedelta(seconds=9), retry_policy=3)\n")


def test_activity_and_child_workflow_timeouts_at_the_call(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _found(tmp_path, "timeout") == [
        ("workflow.py", 14, 30000), ("workflow.py", 19, None), ("workflow.py", 21, 60000),
        ("workflow.py", 23, None), ("workflow.py", 27, 5000)]


def test_retry_policies_inline_named_and_from_another_modules_dict(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _found(tmp_path, "retry") == [
        ("workflow.py", 14, 1), ("workflow.py", 19, 6), ("workflow.py", 21, 4), ("workflow.py", 23, 1),
        ("workflow.py", 30, None)]
