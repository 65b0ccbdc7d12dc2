"""A fresh ID made inside code that a retry re-runs, then sent: each attempt carries a new ID.

What it does: finds ``Guid.NewGuid()`` (also ``Guid.CreateVersion7()``, ``Ulid.NewUlid()``)
inside a hand-written retry loop or inside the lambda a retry policy executes
(``retryPolicy.ExecuteAsync(async () => ...)``, ``pipeline.ExecuteAsync(...)``) when the value
then goes out: a header, a request body, an object initialiser, a call argument. An ID made
once before the loop or lambda and reused, or kept with ``??=``, is stable: not reported;
one that is only logged is not sent.

Why it matters: the callee dedupes by that ID; a new one per attempt turns every retry
into a new request.

Example::

    await _retry.ExecuteAsync(async () => {
        var requestId = Guid.NewGuid();                   // new_id_per_attempt
        req.Headers.Add("Idempotency-Key", requestId.ToString());
        return await _http.SendAsync(req);
    });

Use instead: create the ID before ``ExecuteAsync`` and capture it.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, csharp_detector
from extractors.csharp.detectors.retry_loop import retry_loops
from extractors.treesitter import Node, text, walk

ID = "csharp.new_id_per_attempt"
EXECUTE = ("ExecuteAsync", "Execute", "ExecuteAndCaptureAsync", "ExecuteAndCapture", "ExecuteOutcomeAsync")
RETRYISH = re.compile(r"(?i)retr|polic|pipeline|resilien")
LOGGING = re.compile(r"(?i)^(_?log(ger)?|Console|Debug|Trace|Activity)$|Logger$")


def _policy_line(f: CsFile, receiver: Node | None) -> int | None:
    """Line of the retry the executing policy was built with, when it is in this file."""
    if receiver is None:
        return None
    name = text(receiver).removeprefix("this.")
    bound = syntax.local_value(name, receiver)
    if bound is None:
        for node in walk(f.root):
            if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
                values = [c for c in node.named_children if c != node.child_by_field_name("name")]
                bound = values[-1] if values else bound
            elif node.type == "assignment_expression" and \
                    text(node.child_by_field_name("left")).removeprefix("this.") == name:
                bound = node.child_by_field_name("right")
    if bound is None:
        return None
    from extractors.csharp.context import call_anchor
    for node in walk(bound):
        if node.type == "invocation_expression" and "Retry" in syntax.invocation(node).name:
            return call_anchor(node).start_point[0] + 1
        if node.type == "object_creation_expression" and "Retry" in syntax.creation_type(node):
            return node.start_point[0] + 1
    return None


def _regions(f: CsFile) -> list[tuple[Node, int]]:
    regions = [(loop, loop.start_point[0] + 1) for loop, _ in retry_loops(f)]
    for inv in f.invocations_named(*EXECUTE):
        receiver = inv.receiver
        chain = syntax.dotted(receiver)
        line = _policy_line(f, receiver)
        if not (RETRYISH.search(chain.rsplit(".", 1)[-1]) or "Retry" in chain or line is not None):
            continue
        for arg in inv.args:
            body = syntax.lambda_body(arg)
            if body is not None:
                regions.append((body, line or inv.node.start_point[0] + 1))
    return regions


def _is_sending_call(inv_node: Node) -> bool:
    inv = syntax.invocation(inv_node)
    root = inv.receiver_text.split(".")[0]
    return not (LOGGING.search(root) or inv.name.startswith("Log") or inv.name in ("WriteLine", "Write"))


def _flows_out(node: Node, region: Node) -> bool:
    """Is ``node`` (a use of the ID) part of a call argument or an object initialiser in the region?"""
    for parent in syntax.ancestors_of(node):
        if parent == region:
            return False
        if parent.type == "argument":
            owner = parent.parent.parent if parent.parent is not None else None
            if owner is not None and owner.type == "invocation_expression":
                return _is_sending_call(owner)
            return True
        if parent.type in ("initializer_expression", "anonymous_object_creation_expression"):
            return True
    return False


def _variable(generator: Node) -> tuple[str | None, bool]:
    """(variable the ID goes into, memoised with ??=)."""
    for parent in syntax.ancestors_of(generator):
        if parent.type == "variable_declarator":
            return text(parent.child_by_field_name("name")), False
        if parent.type == "assignment_expression" and parent.parent is not None and \
                parent.parent.type == "initializer_expression":
            return None, False  # new Request { Id = Guid.NewGuid() }: the object carries it
        if parent.type == "assignment_expression":
            operator = parent.child_by_field_name("operator")
            return text(parent.child_by_field_name("left")), operator is not None and text(operator) == "??="
        if parent.type in ("argument", "expression_statement", "initializer_expression", "block"):
            return None, False
    return None, False


@csharp_detector(ID, ("new_id_per_attempt",),
                 valid=("var id = Guid.NewGuid();\nawait _retry.ExecuteAsync(() => Send(id));\n",),
                 invalid=("await _retry.ExecuteAsync(() => { var id = Guid.NewGuid(); return Send(id); });\n",))
def detect(f: CsFile) -> Iterable[Finding]:
    generators = f.captured("id")
    regions = _regions(f)
    for generator in generators:
        for region, retry_line in regions:
            if not syntax.is_inside(generator, region):
                continue
            variable, memoised = _variable(generator)
            if memoised:
                break
            if variable is None:
                sent = _flows_out(generator, region)
            else:
                sent = any(n.type == "identifier" and text(n) == variable.removeprefix("this.")
                           and n.start_byte > generator.end_byte and _flows_out(n, region)
                           for n in walk(region))
            if not sent:
                break
            attrs = {"generator": syntax.dotted(generator.child_by_field_name("function")), "variable": variable,
                     "retry_line": retry_line}
            yield f.finding("new_id_per_attempt", generator, ID, attrs, "medium")
            break
