"""Fresh IDs per retry attempt: `uuid.New()` and friends inside a retry loop or retried function.

What it does: reports `uuid.New/NewString/NewRandom/NewV4/NewV7`, `ksuid.New`, `xid.New` and
`ulid.Make/MustNew` called inside the body of a retry (a retry loop, or the function given to
backoff.Retry / retry.Do) whose value is then used (sent in a header, a body field, a call).
An ID made once before the loop and reused on every attempt is stable and not reported.

Why it matters: the callee dedupes retries by that ID; a new one per attempt makes each retry a
new request (double charges, double fraud scores, separate log trails).

Example: `for attempt := ...; { req.Header.Set("Idempotency-Key", uuid.NewString()) ... }`.
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.retry import retry_findings
from extractors.go.gofile import Draft, GoFile, node_text, within

ID = "go.new_id"

GENERATORS = {"uuid.New", "uuid.NewString", "uuid.NewRandom", "uuid.NewV4", "uuid.NewV7", "uuid.Must",
              "ksuid.New", "ksuid.NewRandom", "xid.New", "ulid.Make", "ulid.MustNew", "ulid.New"}


def _holder(gf: GoFile, node: ts.Node) -> tuple[str | None, ts.Node | None]:
    """Where the generated value goes: (variable name, declaration) or (field/header name, None)."""
    child, parent = node, node.parent
    # uuid.New().String(), uuid.Must(uuid.NewV7())
    while parent is not None and parent.type in ("selector_expression", "call_expression", "argument_list",
                                                   "parenthesized_expression") \
            and not (parent.type == "argument_list" and gf.call_at(parent.parent) is not None
                     and gf.call_at(parent.parent).package not in ("uuid", "ksuid", "xid", "ulid")):
        child, parent = parent, parent.parent
    if parent is None:
        return None, None
    if parent.type == "expression_list" and parent.parent is not None and \
            parent.parent.type in ("short_var_declaration", "assignment_statement"):
        left = parent.parent.child_by_field_name("left")
        index = [c.id for c in parent.named_children].index(child.id)
        if left is not None and index < len(left.named_children):
            target = left.named_children[index]
            name = node_text(target)
            if target.type == "selector_expression":  # body.RequestID = uuid.NewString(): sent with body
                return node_text(target.child_by_field_name("field")), None
            return name, parent.parent
    if parent.type == "literal_element" and parent.parent is not None and parent.parent.type == "keyed_element":
        return node_text(parent.parent.child_by_field_name("key")).strip(), None
    if parent.type == "argument_list":
        call = gf.call_at(parent.parent)
        if call is not None and call.name in ("Set", "Add") and call.args and call.args[0].type == "interpreted_string_literal":
            return node_text(call.args[0]).strip('"'), None
        return None, None
    return None, None


def _used_after(name: str, declaration: ts.Node, start: int, end: int) -> bool:
    root = declaration
    while root.parent is not None:
        root = root.parent
    for n in ts.walk(root):
        if n.type == "identifier" and node_text(n) == name and n.start_byte > declaration.end_byte \
                and start <= n.start_byte < end and not _assigned_here(n):
            return True
    return False


def _assigned_here(identifier: ts.Node) -> bool:
    """`id = ""`: overwritten, not read."""
    parent = identifier.parent
    holder = parent.parent if parent is not None else None
    return parent is not None and parent.type == "expression_list" and holder is not None \
        and holder.type == "assignment_statement" and holder.child_by_field_name("left") == parent


@detector(
    ID, "go", ("new_id_per_attempt",),
    valid=('package p\nimport ("time"; "github.com/google/uuid")\nfunc f() error {\n\tid := uuid.NewString()\n'
           '\tfor attempt := 0; attempt < 3; attempt++ {\n\t\tif err := send(id); err == nil {\n\t\t\treturn nil\n\t\t}\n'
           '\t\ttime.Sleep(time.Second)\n\t}\n\treturn nil\n}\n',),
    invalid=('package p\nimport ("time"; "github.com/google/uuid")\nfunc f() error {\n'
             '\tfor attempt := 0; attempt < 3; attempt++ {\n\t\tid := uuid.NewString()\n\t\tif err := send(id); err == nil {\n'
             '\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(time.Second)\n\t}\n\treturn nil\n}\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """IDs generated per attempt inside retried code."""
    scopes = [scope for _, scope in retry_findings(gf) if scope is not None]
    drafts = []
    for call in gf.calls:
        if call.qualified not in GENERATORS or call.qualified == "uuid.Must":
            continue
        scope = next((s for s in scopes if within(call.node, s.start, s.end)), None)
        if scope is None:
            continue
        variable, declaration = _holder(gf, call.node)
        if declaration is not None and not _used_after(variable or "", declaration, scope.start, scope.end):
            continue  # made and dropped: never sent
        if variable is None and declaration is None and call.node.parent is not None \
                and call.node.parent.type == "expression_statement":
            continue
        drafts.append(Draft(gf.finding("new_id_per_attempt", call.node, ID,
                                       {"generator": call.qualified, "variable": variable,
                                        "retry_line": scope.line}),
                            link=("scope", scope.start, scope.end), linkable=True))
    return drafts
