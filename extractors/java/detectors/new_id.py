"""A fresh ID made once per retry attempt and sent out (Java).

What it does: reports ``UUID.randomUUID()`` evaluated inside a retried scope -- a method with
``@Retry``/``@Retryable``, the body of a hand retry loop, or a lambda handed to a retry executor
(``retry.executeSupplier(() -> ...)``, ``retryTemplate.execute(ctx -> ...)``, Failsafe's
``Failsafe.with(retryPolicy).run(() -> ...)``) -- when the ID is
sent: passed straight into a call, or stored in a variable that a call in the same scope uses.
A UUID made once before the loop (or in the caller) and reused is stable and not reported.

Why it matters: the callee dedupes by that ID; a new one per attempt turns each retry into a
new transaction (double charges, duplicate fraud scores).

Example: ``@Retry(name = "gateway") Auth charge(Req r) { String key = UUID.randomUUID().toString();
return rest.postForObject(url, new Charge(key, r), Auth.class); }`` -> new_id_per_attempt.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.retry_scope import retry_line
from extractors.java.syntax import JavaFile, name_location

ID = "java.new_id_per_attempt"


def _sent_variable(jf: JavaFile, call: ts.Node, scope: ts.Node) -> tuple[bool, str | None]:
    """(is the ID sent, the variable holding it)."""
    node = call
    while node.parent is not None and node.parent.type == "method_invocation" \
            and node.parent.child_by_field_name("object") == node:
        node = node.parent  # UUID.randomUUID().toString()
    parent = node.parent
    if parent is not None and parent.type in ("argument_list",):
        return not _logging_only([parent.parent]) if parent.parent is not None else True, None
    if parent is not None and parent.type == "variable_declarator":
        variable = ts.text(parent.child_by_field_name("name"))
    elif parent is not None and parent.type == "assignment_expression":
        variable = ts.text(parent.child_by_field_name("left"))
    else:
        return False, None
    return _used_in_call(variable, node.end_byte, scope, 2), variable


def _used_in_call(variable: str, after: int, scope: ts.Node, depth: int) -> bool:
    """Whether a call in ``scope`` after byte ``after`` is handed ``variable``, or (``depth`` steps)
    a variable built from it (`String body = "{\"id\":\"" + id + "\"}"; post(body)`)."""
    for n in ts.walk(scope):
        if n.type != "identifier" or ts.text(n) != variable or n.start_byte <= after:
            continue
        chain = list(_up_to(n, scope))
        if any(a.type in ("argument_list", "object_creation_expression") for a in chain) \
                and not _logging_only(chain):
            return True
        holder = next((a for a in chain if a.type in ("variable_declarator", "assignment_expression")), None)
        if depth and holder is not None:
            name = holder.child_by_field_name("name" if holder.type == "variable_declarator" else "left")
            if name is not None and name.type == "identifier" and ts.text(name) != variable \
                    and _used_in_call(ts.text(name), holder.end_byte, scope, depth - 1):
                return True
    return False


_LOGGERS = re.compile(r"^(log|logger|LOG|LOGGER|MDC|System\.(out|err)|Tracer|span)$")


def _logging_only(chain) -> bool:
    """The ID only goes to a log line or the MDC: a trace id, not something the callee sees."""
    call = next((a for a in chain if a.type == "method_invocation"), None)
    return call is not None and _LOGGERS.match(ts.text(call.child_by_field_name("object"))) is not None


def _up_to(node: ts.Node, scope: ts.Node):
    for a in ts.ancestors(node):
        if a == scope:
            return
        yield a


@detector(ID, "java", ["new_id_per_attempt"],
          valid=['String id = UUID.randomUUID().toString(); for (int attempt = 0; attempt < 3; attempt++) '
                 '{ try { client.send(id); break; } catch (Exception e) {} }',
                 '@Retryable(maxAttempts = 4) void post() { String id = UUID.randomUUID().toString(); '
                 'String line = "try " + id; log.info(line); http.newCall(request).execute(); }',
                 'void post(Entry e) { Failsafe.with(breaker).run(() -> { String id = UUID.randomUUID().toString(); '
                 'rest.post().header("Idempotency-Key", id).retrieve(); }); }'],
          invalid=['for (int attempt = 0; attempt < 3; attempt++) { try { client.send(UUID.randomUUID()); break; } '
                   'catch (Exception e) {} }',
                   '@Retryable(maxAttempts = 4) void post(long cents) { String entryId = UUID.randomUUID().toString(); '
                   'String body = "{\\"entryId\\":\\"" + entryId + "\\"}"; http.newCall(build(body)).execute(); }',
                   'void post(Entry e) { Failsafe.with(retryPolicy, timeout).run(() -> { String id = UUID.randomUUID().toString(); '
                   'rest.post().header("Idempotency-Key", id).retrieve(); }); }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for site in jf.calls:
        if site.name != "randomUUID" or ts.text(site.node.child_by_field_name("object")).rsplit(".", 1)[-1] != "UUID":
            continue
        found = retry_line(jf, site.node)
        if found is None:
            continue
        line, scope = found
        sent, variable = _sent_variable(jf, site.node, scope)
        if not sent:
            continue
        jf.sink.add("new_id_per_attempt", name_location(site.node, site.node), ID,
                    {"generator": "java.util.UUID.randomUUID", "variable": variable, "retry_line": line},
                    jf.evidence(site.node), "high", *target_within(jf, scope))
