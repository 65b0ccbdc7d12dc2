"""(round 20, ts second wave) A retry loop counting down its function's own parameter:
`async function fetchTransactionReceipt(txId, provider, retries: number = 2) { while (retries > 0) {
try { ...; retries-- } catch {...} } }` (ocean-node). The count starts at the parameter, so the loop is
bounded by its default (rule a) and by what each call passes (rules b/c: `ctx.note_param_count`)."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import _parameter_default, descendants, enclosing_function, unwrap
from contract_discovery.values import Expr


def _decremented(name: str, body: ts.Node) -> bool:
    for node in descendants(body, stop_at_functions=True):
        if node.type == "update_expression" and ts.text(node).replace(" ", "") in (f"{name}--", f"--{name}"):
            return True
        if node.type == "augmented_assignment_expression" and \
                ts.text(node.child_by_field_name("left")) == name and \
                ts.text(node.child_by_field_name("operator")) == "-=":
            return True
    return False


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def param_countdown_start(ctx, loop: ts.Node, body: ts.Node, counter: str, bound: ts.Node | None,
                          op: str) -> Expr | None:
    """The start of a countdown that is a parameter of the function around ``loop`` (with or without
    a default), noting it as the helper's attempts parameter; None when it is no such countdown."""
    if op not in (">", ">=") or "." in counter:
        return None
    fn = enclosing_function(loop)
    if fn is None:
        return None
    is_param, default = _parameter_default(fn, counter)
    if not is_param or not _decremented(counter, body):
        return None
    n = unwrap(bound)
    if n is None or n.type != "number":
        return None
    try:
        limit = float(ts.text(n))
    except ValueError:
        return None
    name_node = next((c for c in _walk(loop.child_by_field_name("condition") or loop)
                      if c.type == "identifier" and ts.text(c) == counter), None)
    if name_node is None:
        return None
    # tries = start - n (for `>`), start - n + 1 (for `>=`)
    ctx.note_param_count(name_node, (0.0 if op == ">=" else -1.0) - limit + 1.0)
    return ctx.to_expr(name_node)


def member_counter_start(ctx, name: str, loop: ts.Node) -> Expr | None:
    """`const queryProgress = { lastId: '', retriesRemaining: 10 }; while (!queryProgress.exhausted) { try
    {...} catch { queryProgress.retriesRemaining--; if (queryProgress.retriesRemaining <= 0) throw ... } }`
    (graph-indexer's paging loop): the member's value in the object literal a local declared before the
    loop holds."""
    holder, member = name.split(".")
    sibling = loop.prev_named_sibling
    while sibling is not None:
        if sibling.type in ("lexical_declaration", "variable_declaration"):
            for decl in sibling.named_children:
                if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == holder:
                    value = unwrap(decl.child_by_field_name("value"))
                    if value is None or value.type != "object":
                        return None
                    for pair in value.named_children:
                        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")) == member:
                            return ctx.to_expr(pair.child_by_field_name("value"))
                    return None
        sibling = sibling.prev_named_sibling
    return None
