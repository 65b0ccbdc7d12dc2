"""botocore/boto3: `Config(connect_timeout=..., read_timeout=..., retries={...})`.

What it does: reports `connect_timeout` (phase connect) and `read_timeout` (phase read) of a
botocore `Config`, and its retry policy: `retries={"total_max_attempts": N}` is N attempts;
`{"max_attempts": N}` is N attempts in `standard`/`adaptive` mode and N + 1 in `legacy`
mode (the default when no mode is given, where it counts retries); a mode given without a count
(`retries={"mode": "standard"}`) is that mode's default: 3 attempts (standard, adaptive), 5 (legacy).
Backoff is exponential.
Why it matters: AWS calls default to 60 s timeouts and several retries, rarely what a caller budgets.
Example: `Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})`.
"""

from __future__ import annotations

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import string_value, unwrap

ID = "python.botocore"

CONFIGS = ("botocore.config.Config", "botocore.client.Config", "boto3.session.Config", "botocore.Config",
           "aiobotocore.config.AioConfig", "aiobotocore.AioConfig")  # aiobotocore's subclass (aioboto3 too)

VALID = [
    """\
from app.config import Config
cfg = Config(debug=True)
""",
    """\
from botocore.config import Config
cfg = Config(retries={"note": "mode standard"})  # ok: no mode given, no count
""",
]

INVALID = [
    """\
from botocore.config import Config
cfg = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})  # expect: timeout timeout_ms=2000 phase=connect; timeout timeout_ms=5000 phase=read; retry max_attempts=3 mechanism=client_config library=botocore
""",
    """\
from botocore.config import Config
cfg = Config(retries=dict(max_attempts=20))  # expect: retry max_attempts=21 mechanism=client_config library=botocore
""",
    """\
from botocore.config import Config
cfg = Config(retries={"mode": "standard"})  # expect: retry max_attempts=3 mechanism=client_config library=botocore
""",
    """\
from aiobotocore.config import AioConfig
cfg = AioConfig(connect_timeout=3, read_timeout=9, retries={"max_attempts": 4, "mode": "standard"})  # expect: timeout timeout_ms=3000 phase=connect; timeout timeout_ms=9000 phase=read; retry max_attempts=4 mechanism=client_config
""",
]


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"botocore", b"boto3"):
        return out
    for call in f.calls:
        if call.qualified not in CONFIGS:
            continue
        for kw, phase in (("connect_timeout", "connect"), ("read_timeout", "read")):
            if kw in call.kwargs:
                out += f.duration(call.kwargs[kw].node, 1000.0, phase, ID, call.node, None)
        retries = call.kwargs.get("retries")
        node = unwrap(retries.node) if retries else None
        if node is not None and node.type == "call" and T.text(node.child_by_field_name("function")) == "dict":
            # `retries=dict(max_attempts=20)`: the same policy written as keywords
            arguments = node.child_by_field_name("arguments")
            entries = {T.text(k.child_by_field_name("name")): k.child_by_field_name("value")
                       for k in (arguments.named_children if arguments is not None else [])
                       if k.type == "keyword_argument"}
        elif node is None or node.type != "dictionary":
            continue
        else:
            entries = {string_value(p.child_by_field_name("key")): p.child_by_field_name("value")
                       for p in node.named_children if p.type == "pair"}
        mode = string_value(entries.get("mode")) or "legacy"
        if "total_max_attempts" in entries:
            value, pending, conf = f.count(entries["total_max_attempts"])
        elif "max_attempts" in entries:
            value, pending, conf = f.count(entries["max_attempts"], offset=1 if mode == "legacy" else 0)
        elif string_value(entries.get("mode")) in ("standard", "adaptive", "legacy"):
            # `retries={"mode": "standard"}` alone: the mode's own budget, 3 attempts in standard and adaptive
            # mode, 5 in legacy (round 19, datadog-serverless-functions)
            value, pending, conf = (5 if mode == "legacy" else 3), [], "high"
        else:
            continue
        out.append(f.finding("retry", call.node, ID, {
            "max_attempts": value, "backoff": "exponential", "retry_on": "throttling,transient errors",
            "mechanism": "client_config", "library": "botocore", "mode": mode}, conf, None, pending))
    return out
