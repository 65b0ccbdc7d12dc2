"""Round 22 (TypeScript, js2): Temporal workflow timeouts in the options a workflow starts with (crowd.dev's
child workflows and schedules): `workflowExecutionTimeout` / `workflowRunTimeout` at their keys."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor

WORKFLOW = """import { executeChild, proxyActivities } from '@temporalio/workflow';
const { load } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });
export async function parent(member: any) {
  await executeChild(enrichMember, {
    workflowId: 'member-enrichment/' + member.id,
    workflowExecutionTimeout: '15 minutes',
    retry: { maximumAttempts: 5 },
  });
  await executeChild(other, { workflowId: 'o', workflowExecutionTimeout: undefined, workflowTaskTimeout: '10s' });
}
"""

SCHEDULE = """import { ScheduleOverlapPolicy } from '@temporalio/client';
export const schedule = async (client: any) => {
  await client.schedule.create({
    scheduleId: 'members-enrichment',
    spec: { cronExpressions: ['0 * * * *'] },
    action: {
      type: 'startWorkflow',
      workflowType: triggerMembersEnrichment,
      taskQueue: 'members-enrichment',
      workflowRunTimeout: '2 hours',
    },
  });
};
"""

PLAIN = """// not Temporal: a form's field names
export const fields = { workflowExecutionTimeout: 30000, label: 'Timeout' };
"""


def _timeouts(path: str, source: str) -> dict[int, object]:
    result = JavascriptExtractor().extract(path, source.encode())
    return {f.line: f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"
            and not any(p.attribute == "$keep_if" for p in f.pending)}


def test_a_child_workflows_execution_timeout_is_a_bound_at_its_key():
    found = _timeouts("src/workflows/parent.ts", WORKFLOW)
    assert found.get(6) == 900000
    assert found.get(2) == 10000  # the activity options, as before


def test_an_undefined_value_and_the_workflow_task_timeout_are_no_bound():
    assert 9 not in _timeouts("src/workflows/parent.ts", WORKFLOW)


def test_a_scheduled_workflows_run_timeout_is_read():
    assert _timeouts("src/schedules/enrich.ts", SCHEDULE).get(10) == 7200000


def test_the_key_outside_a_temporal_file_is_not_read():
    assert 2 not in _timeouts("src/ui/fields.ts", PLAIN)
