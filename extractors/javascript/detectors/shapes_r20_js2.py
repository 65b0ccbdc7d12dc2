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
    # (a helper-call proposal of wrapper_call at the same line, dropped unless another file publishes the
    # helper, does not hold the line)
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    if b"maximumAttempts" in ctx.data:
        _temporal_policies(ctx, taken)
    # (the Lambda commands below are not run: sst-console leaves its runner function's Timeout 900 and
    # MaximumRetryAttempts 0 out as the users' CI builds, nango labels its runner's; an open question)


# The AWS SDK v3 Lambda commands that configure a function the service deploys itself (nango's Lambda
# runner: `new CreateFunctionCommand({ ..., Timeout: Math.min(900, secs) })`, `new
# PutFunctionEventInvokeConfigCommand({ MaximumRetryAttempts: 0 })`): the function's run time bound (in
# seconds) and its asynchronous invocations' retries after the first try, at the keys, as the
# CloudFormation / Terraform extractors read `Timeout` and `MaximumRetryAttempts`.
_LAMBDA_TIMEOUT_COMMANDS = {"CreateFunctionCommand", "UpdateFunctionConfigurationCommand"}
_LAMBDA_RETRY_COMMANDS = {"PutFunctionEventInvokeConfigCommand", "UpdateFunctionEventInvokeConfigCommand"}


def _lambda_commands(ctx: FileContext, taken: set) -> None:
    for call in ctx.calls:
        if not call.is_new or call.name not in _LAMBDA_TIMEOUT_COMMANDS | _LAMBDA_RETRY_COMMANDS:
            continue
        if not call.qualified.startswith("@aws-sdk/client-lambda."):
            continue
        props = object_props(call.arg(0)) or {}
        obj = unwrap(call.arg(0))
        pairs = {ts.text(p.child_by_field_name("key")): p for p in (obj.named_children if obj is not None else [])
                 if p.type == "pair"}
        if call.name in _LAMBDA_TIMEOUT_COMMANDS and "Timeout" in props:
            attrs, confidence, pending = ctx.timeout_value(props["Timeout"], 1000.0)
            attrs["phase"], attrs["scope"] = "total", "handler"
            client_options._emit(ctx, "timeout", pairs["Timeout"], attrs, confidence, pending, taken)
        if call.name in _LAMBDA_RETRY_COMMANDS and "MaximumRetryAttempts" in props:
            client_options._retry(ctx, pairs["MaximumRetryAttempts"], props["MaximumRetryAttempts"], 1.0,
                                  "aws-lambda", taken)


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
