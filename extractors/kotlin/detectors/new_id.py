"""A fresh ID made once per retry attempt and sent out (Kotlin).

What it does: reports ``UUID.randomUUID()`` evaluated inside a retried scope -- a
``repeat(n) { try ... }`` body, a retry loop, a lambda given to ``retry.executeSuspendFunction``
and friends, or a function annotated ``@Retry``/``@Retryable`` -- when the ID is sent (passed
to a call or used by one later in the scope). An ID made before the loop is stable: not reported.

Why it matters: the callee dedupes by that ID; a new one per attempt defeats it.

Example: ``repeat(3) { try { client.post(url) { header("Idempotency-Key", UUID.randomUUID()) } } catch ... }``.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.kotlin.retry_scope import retry_line
from extractors.kotlin.syntax import KCall, KotlinFile, name_location

ID = "kotlin.new_id_per_attempt"


def _sent(call_node: ts.Node, scope: ts.Node) -> tuple[bool, str | None]:
    node = call_node
    # UUID.randomUUID().toString()
    while node.parent is not None and node.parent.type == "navigation_expression" and node.parent.parent is not None \
            and node.parent.parent.type == "call_expression" and node.parent.named_children[0] == node:
        node = node.parent.parent
    parent = node.parent
    if parent is not None and parent.type in ("value_argument",):
        return not _logging(parent), None
    if parent is not None and parent.type == "string_literal" or parent is not None and parent.type == "interpolation":
        holder = next((a for a in ts.ancestors(node) if a.type in ("value_argument", "property_declaration")), None)
        if holder is not None and holder.type == "value_argument":
            return True, None
    prop = parent if parent is not None and parent.type == "property_declaration" else None
    if prop is None and parent is not None and parent.type in ("string_literal", "interpolation"):
        prop = next((a for a in ts.ancestors(node) if a.type == "property_declaration"), None)
    if prop is None:
        return False, None
    decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
    if decl is None:
        return False, None
    variable = ts.text(decl).split(":")[0].strip()
    for n in ts.walk(scope):
        if n.type == "identifier" and ts.text(n) == variable and n.start_byte > prop.end_byte:
            arg = next((a for a in ts.ancestors(n) if a.type == "value_argument"), None)
            if arg is not None and scope.start_byte <= arg.start_byte and not _logging(arg):
                return True, variable
    return False, variable


_LOGGERS = re.compile(r"^(log|logger|LOG|LOGGER|MDC|println|Tracer|span)$")


def _logging(value_argument: ts.Node) -> bool:
    """The argument goes to a log line or the MDC only (a trace id the callee never sees)."""
    call_node = value_argument.parent.parent if value_argument.parent is not None else None
    if call_node is None or call_node.type != "call_expression":
        return False
    call = KCall.of(call_node)
    if call is None:
        return False
    owner = ts.text(call.receiver) if call.receiver is not None else call.name
    return _LOGGERS.match(owner) is not None


@detector(ID, "kotlin", ["new_id_per_attempt"],
          valid=['fun f() { val id = UUID.randomUUID(); repeat(3) { try { send(id) } catch (e: Exception) {} } }'],
          invalid=['fun f() { repeat(3) { try { send(UUID.randomUUID()) } catch (e: Exception) {} } }'])
@documented(__doc__)
def detect(kf: KotlinFile) -> None:
    for call in kf.calls:
        if call.name != "randomUUID" or call.receiver is None or ts.text(call.receiver).rsplit(".", 1)[-1] != "UUID":
            continue
        found = retry_line(call.node)
        if found is None:
            continue
        line, scope = found
        sent, variable = _sent(call.node, scope)
        if not sent:
            continue
        kf.sink.add("new_id_per_attempt", name_location(call.node, call.node), ID,
                    {"generator": "java.util.UUID.randomUUID", "variable": variable, "retry_line": line},
                    kf.evidence(call.node), "high")
