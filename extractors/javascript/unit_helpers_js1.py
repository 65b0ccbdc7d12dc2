"""Time-unit helpers a file declares for itself (round 19, js1: DEFRA flood-app).

`const seconds = secs => secs * 1000`, `const minutes = min => seconds(min * 60)`,
`function hours(n) { return n * 60 * 60 * 1000 }`: a top-level one-parameter function whose body is
only arithmetic on its parameter (and calls of other such helpers) is inlined where the file calls it
(`const STANDARD_TIMEOUT = seconds(10)` -> 10 * 1000), so a setting written with it has its value.
Anything else in the body (a call of another function, a member read, a second statement) makes it
no unit helper: it stays an unknown call.
"""

from __future__ import annotations

from contract_discovery.values import BinOp, Expr, Num, Unknown
from extractors import treesitter as ts

_ARITHMETIC = ("+", "-", "*", "/")


def _unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _top_level_functions(ctx) -> dict[str, ts.Node]:
    """name -> function node of the file's top-level `function f(x)` / `const f = x => ...`."""
    cached = getattr(ctx, "_unit_helper_functions_js1", None)
    if cached is not None:
        return cached
    found: dict[str, ts.Node] = {}
    root = ctx.tree.root_node if hasattr(ctx, "tree") else None
    for stmt in (root.named_children if root is not None else []):
        if stmt.type == "export_statement" and stmt.named_children:
            stmt = stmt.named_children[-1]
        if stmt.type == "function_declaration":
            name = stmt.child_by_field_name("name")
            if name is not None:
                found.setdefault(ts.text(name), stmt)
        elif stmt.type in ("lexical_declaration", "variable_declaration"):
            for decl in stmt.named_children:
                if decl.type != "variable_declarator":
                    continue
                name, value = decl.child_by_field_name("name"), _unwrap(decl.child_by_field_name("value"))
                if name is not None and name.type == "identifier" and value is not None and \
                        value.type in ("arrow_function", "function_expression", "function"):
                    found.setdefault(ts.text(name), value)
    ctx._unit_helper_functions_js1 = found
    return found


def _single_param(fn: ts.Node) -> str | None:
    param = fn.child_by_field_name("parameter")
    if param is not None:
        return ts.text(param) if param.type == "identifier" else None
    params = fn.child_by_field_name("parameters")
    names = [p for p in (params.named_children if params is not None else []) if p.type != "comment"]
    if len(names) != 1:
        return None
    p = names[0]
    if p.type == "required_parameter":  # TypeScript `(secs: number)`
        p = p.child_by_field_name("pattern")
    return ts.text(p) if p is not None and p.type == "identifier" else None


def _body_expression(fn: ts.Node) -> ts.Node | None:
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return _unwrap(body)
    statements = [s for s in body.named_children if s.type != "comment"]
    if len(statements) != 1 or statements[0].type != "return_statement" or not statements[0].named_children:
        return None
    return _unwrap(statements[0].named_children[0])


def _translate(ctx, node: ts.Node | None, param: str, arg: Expr, depth: int) -> Expr | None:
    node = _unwrap(node)
    if node is None or depth > 6:
        return None
    if node.type == "number":
        return ctx.to_expr(node)
    if node.type == "identifier":
        return arg if ts.text(node) == param else None
    if node.type == "binary_expression":
        op = ts.text(node.child_by_field_name("operator"))
        if op not in _ARITHMETIC:
            return None
        left = _translate(ctx, node.child_by_field_name("left"), param, arg, depth + 1)
        right = _translate(ctx, node.child_by_field_name("right"), param, arg, depth + 1)
        return BinOp(op, left, right) if left is not None and right is not None else None
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        listed = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if fn is None or fn.type != "identifier" or len(listed) != 1:
            return None
        inner_arg = _translate(ctx, listed[0], param, arg, depth + 1)
        return _inline(ctx, ts.text(fn), inner_arg, depth + 1) if inner_arg is not None else None
    return None


def _uses_param(node: ts.Node, param: str) -> bool:
    if node.type == "identifier":
        return ts.text(node) == param
    return any(_uses_param(c, param) for c in node.named_children)


def _inline(ctx, name: str, arg: Expr, depth: int) -> Expr | None:
    fn = _top_level_functions(ctx).get(name)
    if fn is None or depth > 6:
        return None
    param = _single_param(fn)
    body = _body_expression(fn)
    if param is None or body is None or body.type not in ("binary_expression", "call_expression") or \
            not _uses_param(body, param):
        return None
    return _translate(ctx, body, param, arg, depth)


def is_unit_helper_call_js1(ctx, node: ts.Node) -> bool:
    """`seconds(10)` calling a unit helper of this file (see the module doc)."""
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    listed = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if fn is None or fn.type != "identifier" or len(listed) != 1:
        return False
    return _inline(ctx, ts.text(fn), Num(1.0), 0) is not None


def unit_helper_value_js1(ctx, fn: str, args: list, scoped: bool, depth: int) -> Expr | None:
    """The inlined value of `seconds(10)` (a unit helper of this file), else None."""
    if "." in fn or len(args) != 1:
        return None
    arg = ctx.to_expr(args[0], scoped, depth + 1)
    if isinstance(arg, Unknown):
        return None
    return _inline(ctx, fn, arg, 0)
