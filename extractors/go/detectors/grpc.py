"""gRPC connections and calls: `grpc.Dial/DialContext/NewClient`, `grpc.WithTimeout`, stub calls.

What it does: each connection is an `outbound_call` (protocol grpc) to its address;
`grpc.WithTimeout(d)` (a deprecated dial option) is a `connect` timeout of that connection;
a call on a stub made by `pb.NewXClient(conn)` is an `outbound_call` whose operation is the RPC
name (its deadline comes from the context, reported by go.context_timeout).

Why it matters: gRPC has no default deadline, so which context a call gets is its timeout.

A service config JSON (`grpc.WithDefaultServiceConfig(cfg)`, or any package-level string
holding `"methodConfig"`) is read too: each method config's `timeout` is a `deadline` timeout
and its `retryPolicy.maxAttempts` a retry (gRPC counts the first try and caps it at 5). The
findings sit on the `WithDefaultServiceConfig` call when this file passes the JSON to one,
else on the first line of the string.

Example: `grpc.Dial("risk:9090", grpc.WithTimeout(time.Second))` -> timeout 1000 ms, connect;
`{"methodConfig": [{"timeout": "2s", "retryPolicy": {"maxAttempts": 3}}]}` -> timeout 2000 ms
(deadline) and retry 3.
"""

from __future__ import annotations

import json
import re

from contract_discovery.model import Target
from extractors.base import detector
from extractors.go.detectors.http_client import OutboundCall, receiver_keys, storage_keys
from extractors.go.gofile import Draft, GoFile, TargetRef, inner_expression, node_text
from extractors.go.values import parse_go_duration, unquote

ID = "go.grpc"

_STUB = re.compile(r"New(\w+)Client")
_DIAL = {"grpc.Dial": 0, "grpc.DialContext": 1, "grpc.NewClient": 0}
_GRPC_MAX_ATTEMPTS = 5  # grpc-go treats larger maxAttempts as 5


def grpc_outbound(gf: GoFile) -> list[OutboundCall]:
    cached = getattr(gf, "_go_grpc", None)
    if cached is not None:
        return cached
    out: list[OutboundCall] = []
    conns: dict[str, TargetRef | None] = {}
    for call in gf.calls:
        if call.qualified in _DIAL and len(call.args) > _DIAL[call.qualified]:
            target = gf.url_ref(call.args[_DIAL[call.qualified]])
            keys = storage_keys(gf, call.node)
            for key in keys:
                conns[key] = target
            out.append(OutboundCall(call.node, "grpc", None, target, keys, True, "grpc"))
    # Stubs: pb.NewRiskClient(conn). The conn may come from another file (a struct field);
    # then the call still counts, with the RPC name as its operation and no URL.
    stubs: dict[str, tuple[TargetRef | None, str]] = {}
    stub_nodes: dict[int, tuple[TargetRef | None, str]] = {}
    for call in gf.calls:
        m = _STUB.fullmatch(call.name) if call.name.startswith("New") else None
        if not m or not call.args or "." not in call.callee or call.package:
            continue
        if re.search(r"\bctx\b|context\.", node_text(call.args[0])):
            continue  # cloud SDK constructors take a context, not a connection
        keys = receiver_keys(gf, call.args[0]) & set(conns)
        base = conns[next(iter(keys))] if keys else None
        stub_nodes[call.node.id] = (base, m.group(1))
        for key in storage_keys(gf, call.node):
            stubs[key] = (base, m.group(1))
    for call in gf.calls if stubs or stub_nodes else ():
        receiver = call.receiver
        if receiver is None or call.package:
            continue
        receiver = inner_expression(receiver)
        found = stub_nodes.get(receiver.id) if receiver.type == "call_expression" else None
        keys: set[str] = set()
        if found is None:
            keys = receiver_keys(gf, receiver) & set(stubs)
            found = stubs[next(iter(keys))] if keys else None
        if found is None:
            continue
        base, service = found
        url = base.target.url if base is not None and base.target is not None else None
        target = TargetRef(target=Target(url=url, operation=call.name))
        if base is not None and base.pending is not None:
            target = TargetRef(pending=base.pending)
        out.append(OutboundCall(call.node, "grpc", call.name, target, keys, True, "grpc", stub=service))
    gf._go_grpc = out  # type: ignore[attr-defined]
    return out


@detector(
    ID, "go", ("timeout", "retry", "outbound_call"),
    valid=('package p\nfunc f() { conn := dial("x"); _ = conn }\n',),
    invalid=('package p\nimport "google.golang.org/grpc"\nfunc f() { conn, _ := grpc.Dial("risk:9090"); _ = conn }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """gRPC dials, dial timeouts and stub calls."""
    drafts = []
    for call in grpc_outbound(gf):
        url = call.target.target.url if call.target is not None and call.target.target is not None else None
        attributes = {"protocol": "grpc", "method": call.method, "url": url}
        if call.stub:
            attributes["stub"] = call.stub
        drafts.append(Draft(gf.finding("outbound_call", call.node, ID, attributes,
                                       target=call.target)))
    drafts.extend(_service_configs(gf))
    for call in gf.calls:
        if call.qualified != "grpc.WithTimeout" or not call.args:
            continue
        info = gf.duration(call.args[0])
        dial = next((c for c in grpc_outbound(gf) if c.node.start_byte <= call.node.start_byte
                     and call.node.end_byte <= c.node.end_byte), None)
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "connect", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending,
                       target=dial.target if dial is not None else None),
            linkable=dial is None))
    return drafts


# --- service config JSON -----------------------------------------------------------------------

def _lower_keys(value):
    """encoding/json matches keys case-insensitively: `MaxAttempts` is `maxAttempts`."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def parse_service_config(text: str) -> list[dict]:
    """The method configs of a gRPC service config JSON: [{timeout_ms, max_attempts, backoff,
    retry_on, methods}], settings absent as None. Not JSON or no methodConfig -> []."""
    try:
        config = _lower_keys(json.loads(text))
    except (ValueError, RecursionError):
        return []
    methods = config.get("methodconfig") if isinstance(config, dict) else None
    out = []
    for entry in methods if isinstance(methods, list) else ():
        if not isinstance(entry, dict):
            continue
        names = []
        for name in entry.get("name") or ():
            if isinstance(name, dict):
                names.append("/".join(str(name[k]) for k in ("service", "method") if name.get(k)) or "*")
        timeout = entry.get("timeout")
        timeout_ms = parse_go_duration(timeout) if isinstance(timeout, str) and timeout.endswith("s") else None
        policy = entry.get("retrypolicy")
        attempts = backoff = retry_on = None
        if isinstance(policy, dict):
            raw = policy.get("maxattempts")
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                attempts = min(int(raw), _GRPC_MAX_ATTEMPTS)
            multiplier = policy.get("backoffmultiplier")
            if isinstance(multiplier, (int, float)) and not isinstance(multiplier, bool):
                backoff = "exponential" if multiplier > 1 else "fixed"
            codes = policy.get("retryablestatuscodes")
            if isinstance(codes, list) and codes:
                retry_on = ",".join(str(c).lower() for c in codes)
        out.append({"timeout_ms": timeout_ms, "timeout": timeout if isinstance(timeout, str) else None,
                    "has_retry": isinstance(policy, dict), "max_attempts": attempts, "backoff": backoff,
                    "retry_on": retry_on or "unavailable", "methods": names})
    return out


def _config_drafts(gf: GoFile, node, text: str, dial: OutboundCall | None) -> list[Draft]:
    drafts = []
    target = dial.target if dial is not None else None
    for entry in parse_service_config(text):
        methods = ",".join(entry["methods"]) or None
        if entry["timeout"] is not None:
            value = entry["timeout_ms"]
            drafts.append(Draft(gf.finding(
                "timeout", node, ID,
                {"timeout_ms": value, "phase": "deadline",
                 "resolved_from": "literal" if value is not None else "unresolved",
                 "expression": f'"timeout": "{entry["timeout"]}"', "methods": methods},
                target=target), linkable=dial is None))
        if entry["has_retry"]:
            drafts.append(Draft(gf.finding(
                "retry", node, ID,
                {"max_attempts": entry["max_attempts"], "backoff": entry["backoff"], "retry_on": entry["retry_on"],
                 "mechanism": "client_config", "library": "grpc", "methods": methods},
                confidence="high" if entry["max_attempts"] is not None else "medium", target=target),
                linkable=dial is None))
    return drafts


def _service_configs(gf: GoFile) -> list[Draft]:
    if b"ethodconfig" not in gf.data.lower():
        return []
    drafts = []
    used: set[str] = set()
    for call in gf.calls:
        if call.qualified != "grpc.WithDefaultServiceConfig" or not call.args:
            continue
        value = gf.string_value(call.args[0])
        if value is None:
            continue
        arg = inner_expression(call.args[0])
        if arg.type == "identifier":
            used.add(node_text(arg))
        dial = next((c for c in grpc_outbound(gf) if c.node.start_byte <= call.node.start_byte
                     and call.node.end_byte <= c.node.end_byte), None)
        drafts.extend(_config_drafts(gf, call.node, value[0], dial))
    # A service config kept in a package-level string (passed to a dial in another file).
    for name, node in gf.declarations.items():
        if node is None or name in used:
            continue
        node = inner_expression(node)
        if node.type not in ("interpreted_string_literal", "raw_string_literal"):
            continue
        text = unquote(node_text(node)) or ""
        if "ethodconfig" in text.lower():
            drafts.extend(_config_drafts(gf, node, text, None))
    return drafts
