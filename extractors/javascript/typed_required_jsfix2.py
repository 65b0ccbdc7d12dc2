"""(round 20, jsfix2) A settings parameter whose declared type requires the member a request reads.

`buildRestClient(tokenSource, url, name, config: RestClientConfig)` reading `.timeout(config.timeout)`,
with `interface RestClientConfig { timeout: TimeoutSpec }` in the same file: every call must hand the
member in (it has no default anywhere), so the helper's request only forwards it (docs/architecture.md,
rule a/b/c: no contract at the helper; the calls passing a value hold it). A settings object typed
without the member, with it optional (`timeout?:`), or untyped stays a config field (round 9).
"""

from __future__ import annotations

from extractors import treesitter as ts


def _declared_members(root: ts.Node, type_name: str) -> dict[str, bool] | None:
    """member -> required, of `interface <type_name> { ... }` / `type <type_name> = { ... }` in this file."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("interface_declaration", "type_alias_declaration") and \
                ts.text(node.child_by_field_name("name")) == type_name:
            body = node.child_by_field_name("body") or node.child_by_field_name("value")
            if body is None:
                return None
            members: dict[str, bool] = {}
            for part in body.named_children:
                if part.type != "property_signature":
                    continue
                name = part.child_by_field_name("name")
                if name is None:
                    continue
                optional = any(c.type == "?" for c in part.children)
                members[ts.text(name)] = not optional
            return members
        stack.extend(node.named_children)
    return None


def required_member(fn: ts.Node, key: str) -> bool:
    """True when ``key`` (`<position>.<member>`) is a member the parameter's declared type requires."""
    position, _, member = key.partition(".")
    if not position.isdigit() or not member or "." in member:
        return False
    params = fn.child_by_field_name("parameters")
    named = [p for p in (params.named_children if params is not None else []) if p.type != "comment"]
    if int(position) >= len(named):
        return False
    param = named[int(position)]
    if param.type != "required_parameter" or param.child_by_field_name("value") is not None:
        return False
    annotation = param.child_by_field_name("type")
    type_node = annotation.named_children[0] if annotation is not None and annotation.named_children else None
    if type_node is None or type_node.type != "type_identifier":
        return False
    root = fn
    while root.parent is not None:
        root = root.parent
    members = _declared_members(root, ts.text(type_node))
    return bool(members) and members.get(member) is True


MEMBER_HANDED = "$member_handed."  # `<helper>.<position>.<member>`: a call of the project hands the member in
_CHECK = "$handed_check:"


def handed_check(finding) -> str:
    return f"{_CHECK}{finding.line}:{finding.column}:{finding.kind}"


def handed_expr(names, key: str):
    from contract_discovery.values import Call, Num, Ref
    return Call("coalesce", (*(Ref(f"{MEMBER_HANDED}{name}.{key}") for name in names if name), Num(0)))


def publish_handed(ctx, callee: str, position: int, member: str) -> None:
    """A call handing `{ <member>: ... }` to a project helper (reported at the call)."""
    from contract_discovery.values import Num
    if callee and "." not in callee:
        ctx.symbols[f"{MEMBER_HANDED}{callee}.{position}.{member}"] = Num(1)


def keep_unless_handed(findings, symbols) -> tuple:
    """The helper's own setting of a required settings member: kept unless some call of the project
    hands the member in an object of its own (then that call holds the contract: a forwarder here)."""
    from dataclasses import replace
    from contract_discovery.model import Pending
    from contract_discovery.resolve import KEEP_IF
    from contract_discovery.values import Call, Num
    out = []
    for fd in findings:
        check = symbols.get(handed_check(fd))
        if check is not None:
            fd = replace(fd, pending=(*fd.pending, Pending(KEEP_IF, Call("not_in", (check, Num(1))), None)))
        out.append(fd)
    return tuple(out)
