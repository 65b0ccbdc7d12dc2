"""(round 19, js2) Serverless infrastructure written in TypeScript: AWS CDK (aws-cdk-lib, @aws-cdk/*) and
SST (sst/constructs v2, the global `sst.aws.*` of v3) construct props.

The sst-console set: `bus.subscribe("run.created", { handler: "...", timeout: "15 minute" })`,
`new Queue(stack, "q", { consumer: { function: { handler, timeout: "3 minutes" } }, cdk: { queue: {
visibilityTimeout: Duration.seconds(180) } } })`, `new EventBus(stack, "bus", { defaults: { retries: 20 } })`.
In a file importing one of those packages:

- a handler's `timeout` (an SST duration string `"5 minute"`, a CDK `Duration.seconds(30)` /
  `cdk.Duration.minutes(5)`, SST's `toCdkDuration("5 minute")`; a plain number is SST's seconds, only
  beside a `handler` key): the function's execution bound, at the key;
- a queue's `visibilityTimeout`: the consumer's lease, at the key (phase ``visibility``, as the
  CloudFormation extractor reports a queue's);
- an EventBridge target's or event source's `retries` / `retryAttempts` (the retries after the first
  delivery: N + 1 tries; SST's EventBus `defaults.retries` once at its key), a Lambda's async
  `retryAttempts`, a dead-letter queue's `maxReceiveCount` (redeliveries, as written, the CloudFormation
  convention).

Nothing is reported in a file without such an import (a `timeout: "5 minute"` elsewhere is some other
library's, read by its own detector)."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from contract_discovery.values import normalise_ms
from extractors.javascript.context import FileContext, object_props, string_value, unwrap

ID = "javascript.infra_constructs"

_IMPORT = re.compile(rb"""from\s+['"](?:aws-cdk-lib(?:/[\w-]+)?|@aws-cdk/[\w-]+|sst/constructs|sst)['"]|"""
                     rb"""require\(\s*['"](?:aws-cdk-lib(?:/[\w-]+)?|@aws-cdk/[\w-]+|sst/constructs)['"]\s*\)|"""
                     rb"""\bnew\s+sst\.aws\.[A-Z]""")
_UNITS = {"ms": 1.0, "milli": 1.0, "millis": 1.0, "millisecond": 1.0, "milliseconds": 1.0,
          "s": 1000.0, "sec": 1000.0, "secs": 1000.0, "second": 1000.0, "seconds": 1000.0,
          "m": 60000.0, "min": 60000.0, "mins": 60000.0, "minute": 60000.0, "minutes": 60000.0,
          "h": 3600000.0, "hour": 3600000.0, "hours": 3600000.0, "day": 86400000.0, "days": 86400000.0}
_DURATION_CALL = re.compile(r"^(?:[\w$]+\.)*Duration\.(millis|seconds|minutes|hours|days)$")
_DURATION_SCALE = {"millis": 1.0, "seconds": 1000.0, "minutes": 60000.0, "hours": 3600000.0, "days": 86400000.0}
_TIMEOUT_KEYS = ("timeout", "visibilityTimeout")
_RETRY_KEYS = ("retries", "retryAttempts", "maxReceiveCount")


def detect(ctx: FileContext) -> None:
    from extractors.javascript.detectors import shapes_r20_js2  # (round 20, js2) run from here: no extractor.py edit
    shapes_r20_js2.detect(ctx)
    if _IMPORT.search(ctx.data) is None:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    for pair in ts.walk(ctx.tree.root_node):
        if pair.type != "pair":
            continue
        key = pair.child_by_field_name("key")
        value = unwrap(pair.child_by_field_name("value"))
        if key is None or value is None:
            continue
        name = string_value(key) if key.type == "string" else ts.text(key)
        if name in _TIMEOUT_KEYS:
            _timeout(ctx, pair, name, value, taken)
        elif name in _RETRY_KEYS:
            _retry(ctx, pair, name, value, taken)


def duration_ms(ctx: FileContext, node: ts.Node | None, bare_seconds: bool = False) -> tuple[float | None, str] | None:
    """The ms of a construct duration, or None when the node is no duration. (ms, how): ms None when the
    amount is a name the file does not resolve."""
    node = unwrap(node)
    if node is None:
        return None
    text = string_value(node)
    if text is not None:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*", text)
        if m and m.group(2).lower() in _UNITS:
            return float(m.group(1)) * _UNITS[m.group(2).lower()], "literal"
        return None
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        args = [a for a in (node.child_by_field_name("arguments").named_children
                            if node.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
        if fn is None or len(args) != 1:
            return None
        callee = ts.text(fn)
        m = _DURATION_CALL.match(callee)
        if m:
            amount = _number(ctx, args[0])
            return (amount * _DURATION_SCALE[m.group(1)] if amount is not None else None), "literal"
        if callee.split(".")[-1] == "toCdkDuration":
            return duration_ms(ctx, args[0])
        return None
    if bare_seconds and node.type == "number":
        amount = _number(ctx, node)
        return (amount * 1000.0 if amount is not None else None), "literal"
    return None


def _number(ctx: FileContext, node: ts.Node) -> float | None:
    node = unwrap(node)
    if node is None:
        return None
    try:
        return float(ts.text(node).replace("_", ""))
    except ValueError:
        pass
    attrs, _, _ = ctx.timeout_value(node, 1.0)
    value = attrs.get("timeout_ms")
    return float(value) if isinstance(value, (int, float)) else None


def _timeout(ctx: FileContext, pair: ts.Node, name: str, value: ts.Node, taken) -> None:
    obj = pair.parent
    siblings = object_props(obj) or {} if obj is not None and obj.type == "object" else {}
    bare = name == "timeout" and "handler" in siblings
    read = duration_ms(ctx, value, bare_seconds=bare)
    if read is None:
        return
    ms, how = read
    line = pair.start_point[0] + 1
    if (line, "timeout") in taken:
        return
    taken.add((line, "timeout"))
    attrs = {"expression": ts.text(value), "timeout_ms": normalise_ms(ms) if ms is not None else None,
             "resolved_from": how, "phase": "visibility" if name == "visibilityTimeout" else "function",
             "scope": "handler", "library": "aws-cdk"}
    ctx.finding("timeout", pair, ID, attrs, "high" if ms is not None else "medium")


def _retry(ctx: FileContext, pair: ts.Node, name: str, value: ts.Node, taken) -> None:
    if value.type != "number":
        return
    try:
        count = int(float(ts.text(value).replace("_", "")))
    except ValueError:
        return
    if count < 0:
        return
    obj = pair.parent
    if obj is None or obj.type != "object":
        return
    if name == "maxReceiveCount":
        if "queue" not in (object_props(obj) or {}):
            return  # `deadLetterQueue: { queue, maxReceiveCount: 5 }` only
        attempts, mechanism = count, "redelivery"
    else:
        attempts, mechanism = count + 1, "event_delivery"
    line = pair.start_point[0] + 1
    if (line, "retry") in taken:
        return
    taken.add((line, "retry"))
    attrs = {"max_attempts": attempts, "backoff": None, "retry_on": "error", "mechanism": mechanism,
             "library": "aws-cdk", "expression": ts.text(pair)}
    ctx.finding("retry", pair, ID, attrs, "high")
