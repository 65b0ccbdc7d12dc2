"""(round 22, js1) A request's options built in a local declared without a value and assigned later
(homebridge-nest's auth(): `let req, body;` then, branch by branch, `req = { method, timeout, url }`
and `result = (await axios(req)).data`).

The object a use site reads is the latest `name = { ... }` of the function that precedes the site
in a block enclosing it, together with the branch assignments after it (an `if`/`else` that each
build their own object before a shared call); when no assignment encloses the site, every earlier
one in the function is a candidate. The candidates must agree (the same keys and the same text for
each key's value) for one of them to stand for the local: otherwise nothing is resolved. Nested
functions are not looked into (a callback's assignment runs at another time)."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, descendants, unwrap

_BLOCKS = ("statement_block", "program", "switch_body")


def assigned_object(scope: ts.Node, name: str, site: ts.Node) -> ts.Node | None:
    """The object literal the local ``name`` (declared without a value in ``scope``) holds at ``site``."""
    fn = next((p for p in ts.ancestors(site) if p.type in FUNCTION_TYPES), None)
    body = fn if fn is not None else scope
    if fn is not None and not _inside(fn, scope) and fn is not scope:
        # the declaration's block is inside the function, or the function inside the block: use the inner one
        body = scope if _inside(scope, fn) else fn
    assigns = []
    for node in descendants(body, stop_at_functions=True):
        if node.type != "assignment_expression" or node.end_byte > site.start_byte:
            continue
        left = node.child_by_field_name("left")
        right = unwrap(node.child_by_field_name("right"))
        if left is None or left.type != "identifier" or ts.text(left) != name:
            continue
        if unreachable(node):
            continue  # after a `return` of its block: never runs
        if right is None or right.type != "object":
            return None  # assigned something else somewhere before: cannot tell
        assigns.append((node, right))
    if not assigns:
        return None
    enclosing = [i for i, (node, _) in enumerate(assigns) if _encloses_site(node, site)]
    candidates = assigns[enclosing[-1]:] if enclosing else assigns
    shapes = {_shape(obj) for _, obj in candidates}
    if len(shapes) != 1:
        return None
    return candidates[-1][1]


def _encloses_site(assign: ts.Node, site: ts.Node) -> bool:
    block = next((p for p in ts.ancestors(assign) if p.type in _BLOCKS or p.type in FUNCTION_TYPES), None)
    return block is not None and block.type in _BLOCKS and _inside(site, block)


def _inside(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _shape(obj: ts.Node) -> tuple:
    """The timing keys of an object literal with their values' text (other keys may differ)."""
    out = []
    for child in obj.named_children:
        if child.type == "pair":
            key = ts.text(child.child_by_field_name("key")).strip("'\"")
            if "timeout" in key.lower() or "retr" in key.lower() or key in ("signal", "deadline"):
                out.append((key, " ".join(ts.text(child.child_by_field_name("value")).split())))
        elif child.type == "shorthand_property_identifier" and "timeout" in ts.text(child).lower():
            out.append((ts.text(child), ts.text(child)))
    return tuple(sorted(out))


def declared_then_assigned(decl: ts.Node, scope: ts.Node, name: str, site: ts.Node) -> ts.Node | None:
    """`var req;` (no value) in ``decl``, assigned object literals later: the object at ``site``."""
    for declarator in decl.named_children:
        if declarator.type != "variable_declarator":
            continue
        dname = declarator.child_by_field_name("name")
        if dname is not None and dname.type == "identifier" and ts.text(dname) == name:
            if declarator.child_by_field_name("value") is not None:
                return None
            return assigned_object(scope, name, site)
    return None


_EXITS = ("return_statement", "throw_statement", "break_statement", "continue_statement")
_HOISTED = ("function_declaration", "generator_function_declaration", "class_declaration", "empty_statement")


def unreachable(node: ts.Node) -> bool:
    """Inside a statement that follows a `return` / `throw` / `break` / `continue` of the same block
    (`return false; // eslint-disable-next-line` then the old login code); function declarations,
    hoisted, stay reachable."""
    child = node
    for parent in ts.ancestors(node):
        if parent.type in FUNCTION_TYPES:
            return False
        if parent.type in _BLOCKS and child.type not in _HOISTED:
            for sibling in parent.named_children:
                if sibling.start_byte >= child.start_byte:
                    break
                if sibling.type in _EXITS:
                    return True
        child = parent
    return False
