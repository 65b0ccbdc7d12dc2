"""gRPC channel service config: `retryPolicy.maxAttempts` and the per-method `timeout` of `grpc.service_config`.

What it does: reads the `options=` of `grpc.insecure_channel` / `secure_channel` (also `grpc.aio`)
for a `("grpc.service_config", json.dumps({...}))` entry (a dict literal, a name bound to one, or a JSON
string) and reports each `methodConfig`'s `retryPolicy` `maxAttempts` as a retry (gRPC counts the
first try; backoff exponential from `backoffMultiplier`) and its `"timeout": "1.5s"` as a timeout of
phase `deadline`, at the line of the setting. Not reported: `hedgingPolicy` (parallel attempts, not
retries), keepalive options, a service config that only names a load-balancing policy.
Why it matters: gRPC retries transparently once a service config enables them; the config is often
far from the calls it governs.
Example: `("grpc.service_config", json.dumps({"methodConfig": [{"retryPolicy": {"maxAttempts": 4}}]}))`.
"""

from __future__ import annotations

import json
import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import string_value, unwrap
from extractors.python.detectors import _grpc, _retry, module_doc

ID = "python.grpc_service_config"

VALID = [
    """\
import grpc
options = [("grpc.keepalive_time_ms", 10000), ("grpc.lb_policy_name", "round_robin")]
channel = grpc.insecure_channel("users:50051", options=options)
""",
    """\
import json
config = json.dumps({"methodConfig": [{"retryPolicy": {"maxAttempts": 4}}]})  # ok: never given to a channel
""",
    """\
import json
import grpc


def channel_then_options():
    options = []
    channel = grpc.insecure_channel("users:50051", options=options)
    options.append(("grpc.service_config", json.dumps({"methodConfig": [{"retryPolicy": {"maxAttempts": 4}}]})))  # ok: after the channel
    return channel


def other_list(retries):
    options = [("grpc.lb_policy_name", "round_robin")]
    retries.append(("grpc.service_config", json.dumps({"methodConfig": [{"retryPolicy": {"maxAttempts": 4}}]})))  # ok: another list
    return grpc.insecure_channel("users:50051", options=options)
""",
]

INVALID = [
    """\
import json
import grpc

SERVICE_CONFIG = {
    "methodConfig": [{
        "name": [{"service": "users.v1.Users"}],
        "timeout": "1.5s",  # expect: timeout timeout_ms=1500 phase=deadline
        "retryPolicy": {
            "maxAttempts": 4,  # expect: retry max_attempts=4 backoff=exponential mechanism=client_config library=grpc
            "initialBackoff": "0.1s",
            "maxBackoff": "1s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }]
}
channel = grpc.insecure_channel("users:50051", options=[("grpc.service_config", json.dumps(SERVICE_CONFIG))])
""",
    """\
import json
import grpc


def get_stub():
    options = []
    config = json.dumps({"methodConfig": [{"name": [{}], "retryPolicy": {
        "maxAttempts": 5,  # expect: retry max_attempts=5
        "retryableStatusCodes": ["UNAVAILABLE"]}}]})
    options.append(("grpc.enable_retries", 1))
    options.append(("grpc.service_config", config))
    return grpc.aio.insecure_channel("store:50050", options=options)
""",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def _resolve(f, node, depth: int = 0):
    node = unwrap(node)
    if node is not None and node.type == "identifier" and depth < 3:
        found = f.binding(T.text(node), node)
        return _resolve(f, found[0], depth + 1) if found else None
    return node


def _appended(f, options):
    """Entries a function adds to its options list before the channel is made (round 12, e-soh):
    `options = []` then `options.append(("grpc.service_config", cfg))` / `options.extend([...])`."""
    node = unwrap(options)
    if node is None or node.type != "identifier":
        return []
    name = T.text(node)
    scope = f.enclosing_function(node) or f.root
    out = []
    for call in f.calls:
        if call.receiver == name and call.name in ("append", "extend", "insert") and call.args and \
                scope.start_byte <= call.node.start_byte < node.start_byte and \
                (f.enclosing_function(call.node) or f.root) == scope:
            out.append(call.args[-1].node)
    return out


def _configs(f, options):
    """The service-config values among a channel's options: dict nodes, or parsed JSON strings."""
    added = _appended(f, options)
    options = _resolve(f, options)
    if options is None and not added:
        return
    for entry in [n for root in ([options] if options is not None else []) + added for n in T.walk(root)]:
        if entry.type != "tuple" or len(entry.named_children) != 2:
            continue
        key, value = entry.named_children
        if string_value(key) != "grpc.service_config":
            continue
        value = _resolve(f, value)
        call = f.call_of(value) if value is not None else None
        if call is not None and call.qualified in ("json.dumps",) and call.args:
            inner = _resolve(f, call.args[0].node)
            if inner is not None and inner.type == "dictionary":
                yield inner, None
            continue
        text = string_value(value) if value is not None else None
        if text:
            try:
                yield None, (json.loads(text), entry)
            except ValueError:
                continue


def _pairs(node):
    for pair in T.walk(node):
        if pair.type == "pair":
            yield string_value(pair.child_by_field_name("key")), pair.child_by_field_name("value"), pair


@detector(ID, "python", ("retry", "timeout"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"grpc.service_config"):
        return out
    for call in f.calls:
        if call.qualified not in _grpc.CHANNELS or "options" not in call.kwargs:
            continue
        for tree, parsed in _configs(f, call.kwargs["options"].node):
            if tree is not None:
                for key, value, pair in _pairs(tree):
                    if key == "maxAttempts":
                        count, pending, conf = f.count(value)
                        out.append(f.finding("retry", pair, ID, _retry._attrs(
                            count, "exponential", _codes(pair), "client_config", "grpc"), conf, None, pending))
                    elif key == "timeout" and _DURATION.match(string_value(value) or ""):
                        seconds = float(_DURATION.match(string_value(value)).group(1))
                        out.append(f.finding("timeout", pair, ID, {
                            "timeout_ms": int(seconds * 1000), "phase": "deadline", "resolved_from": "literal",
                            "expression": string_value(value)}))
            else:
                data, entry = parsed
                for method in (data.get("methodConfig") or []) if isinstance(data, dict) else []:
                    policy = method.get("retryPolicy") or {}
                    if isinstance(policy.get("maxAttempts"), int):
                        out.append(f.finding("retry", entry, ID, _retry._attrs(
                            policy["maxAttempts"], "exponential", ",".join(policy.get("retryableStatusCodes") or [])
                            or None, "client_config", "grpc")))
                    m = _DURATION.match(str(method.get("timeout") or ""))
                    if m:
                        out.append(f.finding("timeout", entry, ID, {
                            "timeout_ms": int(float(m.group(1)) * 1000), "phase": "deadline",
                            "resolved_from": "literal", "expression": method["timeout"]}))
    return out


def _codes(pair) -> str | None:
    """The retryable status codes beside a maxAttempts."""
    policy = pair.parent
    for key, value, _ in _pairs(policy) if policy is not None else ():
        if key == "retryableStatusCodes" and value is not None:
            return ",".join(s for s in (string_value(x) for x in value.named_children) if s) or None
    return None
