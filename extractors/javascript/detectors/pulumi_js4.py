"""(round 19, js4) Pulumi AWS resources written in TypeScript: a Lambda function's `timeout`.

What it does: in a file importing `@pulumi/aws`, `new aws.lambda.Function("name", { ..., timeout: 120 })`
(also `aws.lambda.CallbackFunction`, and the class imported by name from `@pulumi/aws/lambda`): the
function's execution bound in seconds, reported at the key (phase ``function``, as the CDK and
CloudFormation functions' are). A value from a constant or an expression is settled as the other
timeouts are (seconds).
Not: a `timeout` of another resource (an EventRule, a Pulumi `customTimeouts` of the deployment engine),
a file without the import.
"""

from __future__ import annotations

import re

from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, unwrap

ID = "javascript.infra_constructs"
_FUNCTIONS = ("lambda.Function", "lambda.CallbackFunction")


def detect(ctx: FileContext) -> None:
    if b"@pulumi/aws" not in ctx.data:
        return
    roots = {local for local, module in ctx.imports.items() if module.split(".", 1)[0] == "@pulumi/aws"}
    if not roots:
        return
    # (a proposal of the wrapper call detector at the key, for a helper nobody publishes, gives way)
    taken = {(f.line, f.kind) for f in ctx.findings if f.detector != "javascript.wrapper_call"}
    reported: set[int] = set()
    for call in ctx.calls:
        if not call.is_new or not _lambda_function(ctx, call, roots):
            continue
        options = ctx.resolve_object(call.arg(1))
        props = ctx.props(options) or {}
        value = props.get("timeout")
        if value is None or unwrap(value) is None or unwrap(value).type in ("null", "undefined", "object"):
            continue
        pair = value.parent
        while pair is not None and pair.type != "pair":
            pair = pair.parent
        node = pair if pair is not None else call.node
        line = node.start_point[0] + 1
        if (line, "timeout") in taken:
            continue
        taken.add((line, "timeout"))
        attrs, confidence, pending = ctx.timeout_value(value, 1000.0)
        if isinstance(attrs.get("timeout_ms"), (int, float)):
            attrs["timeout_ms"] = normalise_ms(attrs["timeout_ms"])
        attrs.update({"phase": "function", "scope": "handler", "library": "pulumi-aws"})
        ctx.finding("timeout", node, ID, attrs, confidence, None, pending)
        reported.add(line)
    if reported:
        ctx.findings[:] = [f for f in ctx.findings if not (f.detector == "javascript.wrapper_call" and
                                                           f.kind == "timeout" and f.line in reported)]


def _lambda_function(ctx: FileContext, call, roots: set) -> bool:
    constructor = dotted(call.node.child_by_field_name("constructor"))
    if not constructor:
        return False
    head, _, rest = constructor.partition(".")
    if head in roots and rest in _FUNCTIONS:
        return True  # `import * as aws from "@pulumi/aws"`
    module = ctx.imports.get(head, "")
    return bool(re.fullmatch(r"@pulumi/aws(?:/lambda)?\.(?:lambda\.)?(?:Function|CallbackFunction)", module)) and not rest \
        or module == "@pulumi/aws.lambda" and rest in ("Function", "CallbackFunction")
