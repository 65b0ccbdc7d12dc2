"""(round 22, js2) Temporal workflow timeouts: `workflowExecutionTimeout` and `workflowRunTimeout` in the
options a workflow is started with: a child workflow (`executeChild(enrichMember, { workflowId,
workflowExecutionTimeout: '60 minutes', retry: {...} })`), a client start (`client.workflow.start(fn,
{ taskQueue, workflowExecutionTimeout })`) or a schedule's `action` (crowd.dev's members enrichment
worker). Each bounds the whole workflow run (a job), reported at its key as the activity options'
`startToCloseTimeout` are; `workflowTaskTimeout` (the worker's own task processing) is not read,
nor a key set to `undefined`. Only in files that import a Temporal package."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, key_name
from extractors.javascript.detectors import client_options

_KEYS = ("workflowExecutionTimeout", "workflowRunTimeout")


def detect(ctx: FileContext) -> None:
    if b"@temporalio/" not in ctx.data or not any(k.encode() in ctx.data for k in _KEYS):
        return
    if not any(module.startswith("@temporalio/") for module in ctx.imports.values()):
        return
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    for pair in descendants(ctx.tree.root_node):
        if pair.type != "pair" or key_name(pair.child_by_field_name("key")) not in _KEYS:
            continue
        obj = pair.parent
        if obj is None or obj.type != "object":
            continue
        client_options._timeout(ctx, pair, pair.child_by_field_name("value"), "total", taken)
