"""Context deadlines: `context.WithTimeout(ctx, d)` and `context.WithDeadline(ctx, t)` (and their
Go 1.21 `...Cause` forms).

What it does: reports each derived context as a timeout of phase `deadline`; the target is
the one dependency the same function then calls, when there is exactly one.

Why it matters: in Go the context deadline, not the client, is usually what bounds a
request to another service (and every gRPC call).

Example: `ctx, cancel := context.WithTimeout(ctx, 800*time.Millisecond)` -> timeout 800 ms.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.go.gofile import Draft, GoFile, ValueInfo, inner_expression, node_text

ID = "go.context_timeout"
# Go 1.21's *Cause variants take the same duration / instant, plus the error to report.
_DERIVED = ("context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause")


def _deadline_offset(gf: GoFile, node) -> ValueInfo:
    """`time.Now().Add(d)` -> d; any other instant cannot be read as a duration."""
    call = gf.call_at(gf.resolve_name(inner_expression(node)))
    if call is not None and call.name == "Add" and call.callee.endswith("Now().Add") and call.args:
        return gf.duration(call.args[0])
    return ValueInfo(None, "unresolved", " ".join(node_text(node).split()))


def _discarded(node) -> bool:
    parent = node.parent
    holder = parent.parent if parent is not None else None
    if parent is None or parent.type != "expression_list" or holder is None or \
            holder.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = holder.child_by_field_name("left")
    return left is not None and bool(left.named_children) and node_text(left.named_children[0]) == "_"


@detector(
    ID, "go", ("timeout",),
    valid=('package p\nimport "context"\nfunc f(ctx context.Context) { ctx, cancel := context.WithCancel(ctx); defer cancel(); _ = ctx }\n',),
    invalid=('package p\nimport ("context"; "time")\nfunc f(ctx context.Context) { ctx, cancel := context.WithTimeout(ctx, time.Second); defer cancel(); _ = ctx }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """context.WithTimeout / WithDeadline as deadline timeouts."""
    drafts = []
    for call in gf.calls:
        if call.qualified not in _DERIVED or len(call.args) < 2:
            continue
        if _discarded(call.node):
            continue  # `_, cancel := context.WithTimeout(...)`: the deadline bounds nothing
        if call.qualified in ("context.WithTimeout", "context.WithTimeoutCause"):
            info = gf.duration(call.args[1])
        else:
            info = _deadline_offset(gf, call.args[1])
        fns = gf.enclosing_functions(call.node)
        end = fns[0].end_byte if fns else gf.root.end_byte
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "deadline", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending),
            link=("scope", call.node.start_byte, end), linkable=True))
    return drafts
