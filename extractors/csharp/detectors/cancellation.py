"""Deadlines from cancellation: ``new CancellationTokenSource(TimeSpan)`` and ``cts.CancelAfter(...)``.

What it does: reports a token source that cancels itself after a delay (a ``TimeSpan`` or an
``int`` of milliseconds) as a timeout with phase ``deadline``: whatever call receives the
token gives up then.

Why it matters: it is often the real bound on an outbound call, tighter or looser than the
HttpClient's own timeout.

Example: ``using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));`` -> timeout 3000 ms, deadline.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, csharp_detector
from extractors.treesitter import Node, text

ID = "csharp.cancellation"
LIBRARY = "CancellationTokenSource"


def _value(node: Node):
    raw = text(node)
    if "TimeSpan" in raw or "InfiniteTimeSpan" in raw:
        return syntax.duration_ms(node)
    unwrapped = syntax.unwrap(node)
    if unwrapped is not None and unwrapped.type in ("integer_literal", "binary_expression", "real_literal"):
        return syntax.number(node)  # milliseconds
    return syntax.duration_ms(node)


@csharp_detector(ID, ("timeout",),
                 valid=("var cts = new CancellationTokenSource();\n", "cts.Cancel();\n"),
                 invalid=("var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));\n",
                          "cts.CancelAfter(2000);\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for creation in f.creations:
        if syntax.creation_type(creation) != "CancellationTokenSource":
            continue
        args, _ = syntax.arguments(creation.child_by_field_name("arguments"))
        if args:
            yield f.timeout_from(creation, _value(args[0]), text(args[0]), "deadline", ID, LIBRARY)
    for inv in f.invocations_named("CancelAfter"):
        if inv.args:
            yield f.timeout_from(inv.node, _value(inv.args[0]), text(inv.args[0]), "deadline", ID, LIBRARY)
