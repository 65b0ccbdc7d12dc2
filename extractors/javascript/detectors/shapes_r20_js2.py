"""(round 20, js2) Shapes of the round-20 TypeScript sets, reported under existing detector ids.

A Temporal retry policy written once and handed to several `proxyActivities` by name (Latitude's
apps/workflows: `export const defaultActivityRetryPolicy: NonNullable<ActivityOptions["retry"]> =
{ initialInterval: "1 second", backoffCoefficient: 2, maximumAttempts: 18 }`, then `retry:
defaultActivityRetryPolicy` in eleven proxies): one retry setting, at the policy's definition
(`maximumAttempts` counts every try; 0 means no limit). An inline `retry: { maximumAttempts }` stays
client_options' (at the `retry:` key).
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, object_props, unwrap
from extractors.javascript.detectors import client_options

_TEMPORAL = re.compile(rb"""from\s+['"]@temporalio/|require\(\s*['"]@temporalio/""")
_POLICY_TYPE = re.compile(r"\bRetryPolicy\b|ActivityOptions\s*\[\s*['\"]retry['\"]\s*\]|\bRetryOptions\b")
_POLICY_KEYS = {"initialInterval", "backoffCoefficient", "maximumInterval", "nonRetryableErrorTypes"}


def detect(ctx: FileContext) -> None:
    if b"maximumAttempts" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    _temporal_policies(ctx, taken)


def _temporal_policies(ctx: FileContext, taken: set) -> None:
    temporal = _TEMPORAL.search(ctx.data) is not None
    for decl in ts.walk(ctx.tree.root_node):
        if decl.type != "variable_declarator":
            continue
        props = object_props(decl.child_by_field_name("value"))
        if not props or "maximumAttempts" not in props:
            continue
        annotation = decl.child_by_field_name("type")
        typed = annotation is not None and _POLICY_TYPE.search(ts.text(annotation)) is not None
        if not typed and not (temporal and props.keys() & _POLICY_KEYS):
            continue
        coefficient = unwrap(props.get("backoffCoefficient"))
        client_options._retry(ctx, decl, props["maximumAttempts"], 0.0, "temporal", taken,
                              backoff="fixed" if coefficient is not None and ts.text(coefficient) in ("1", "1.0")
                              else "exponential", zero_unbounded=True)
