"""A project's own generic options binder (round 12, the dicom-server request of round 11):

    private static IServiceCollection AddFunctionsOptions<T>(this IServiceCollection services,
        IConfiguration configuration, string sectionName, bool isDicomFunction = true) where T : class
    {
        string path = isDicomFunction ? DicomFunctionsConfiguration.SectionName + ":" + sectionName : sectionName;
        services.AddOptions<T>().Bind(configuration.GetSection(path));
        ...
    }
    services.AddFunctionsOptions<DataCleanupOptions>(configuration, DataCleanupOptions.SectionName);

binds each call's type argument to the section the body computes from the call's arguments
(``DicomFunctions:`` + ``DataCleanupOptions.SectionName``; a ``bool`` parameter tested in a conditional
takes the call's literal, else its default). Published as ``$options-section:<T>`` (an Expr the
resolver evaluates), like the bindings ``extractors/appsettings/bindings.py`` reads from the text.
Only a binder and calls in the same file are read; a section the body builds otherwise is left out.
"""

from __future__ import annotations

from contract_discovery.values import BinOp, Expr, Ref, Str
from extractors.csharp import syntax
from extractors.treesitter import Node, text, walk

PREFIX = "$options-section:"
_BINDS = ("Bind", "Configure", "BindConfiguration")


def _parameters(method: Node) -> list[tuple[str, str, Node | None]]:
    """(name, type, default) of the method's parameters, ``this`` receiver included (calls skip it)."""
    params = method.child_by_field_name("parameters")
    out = []
    for p in params.named_children if params is not None else []:
        if p.type != "parameter":
            continue
        value, after_equals = None, False
        for child in p.children:
            if after_equals and child.is_named:
                value = child
                break
            after_equals = after_equals or (not child.is_named and text(child) == "=")
        out.append((text(p.child_by_field_name("name")), text(p.child_by_field_name("type")), value))
    return out


def _section_node(method: Node, type_param: str) -> Node | None:
    """The argument of ``GetSection(..)`` the body binds ``T`` to (``AddOptions<T>().Bind(c.GetSection(x))``,
    ``Configure<T>(c.GetSection(x))``)."""
    body = method.child_by_field_name("body")
    for node in walk(body) if body is not None else []:
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        if inv.name not in _BINDS or not inv.args:
            continue
        chain = text(node.child_by_field_name("function") or node)
        if f"<{type_param}>" not in chain:
            continue
        arg = syntax.unwrap(inv.args[0])
        if arg is None or arg.type != "invocation_expression":
            continue
        section = syntax.invocation(arg)
        if section.name == "GetSection" and len(section.args) == 1:
            return section.args[0]
    return None


def _to_expr(node: Node | None, bindings: dict[str, Expr | bool], depth: int = 0) -> Expr | None:
    node = syntax.unwrap(node)
    if node is None or depth > 8:
        return None
    literal = syntax.string_literal(node)
    if literal is not None:
        return Str(literal)
    if node.type == "identifier":
        name = text(node)
        if name in bindings:
            bound = bindings[name]
            return None if isinstance(bound, bool) else bound
        local = syntax.local_value(name, node)
        return _to_expr(local, bindings, depth + 1) if local is not None else None
    if node.type == "member_access_expression":
        return Ref(syntax.dotted(node))
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        left = _to_expr(node.child_by_field_name("left"), bindings, depth + 1)
        right = _to_expr(node.child_by_field_name("right"), bindings, depth + 1)
        return BinOp("+", left, right) if left is not None and right is not None else None
    if node.type == "conditional_expression":
        condition = syntax.unwrap(node.child_by_field_name("condition"))
        flag = bindings.get(text(condition)) if condition is not None and condition.type == "identifier" else None
        if not isinstance(flag, bool):
            return None
        branch = node.child_by_field_name("consequence" if flag else "alternative")
        return _to_expr(branch, bindings, depth + 1)
    return None


def _literal_bool(node: Node | None) -> bool | None:
    node = syntax.unwrap(node)
    if node is not None and text(node) in ("true", "false"):
        return text(node) == "true"
    return None


def binder_sections(root: Node) -> dict[str, Expr]:
    """``$options-section:<T>`` for each call of a generic options binder of this file."""
    binders: dict[str, tuple[str, list[tuple[str, str, Node | None]], Node, bool]] = {}
    for method in (n for n in walk(root) if n.type == "method_declaration"):
        tparams = method.child_by_field_name("type_parameters")
        names = [text(c) for c in tparams.named_children] if tparams is not None else []
        if len(names) != 1:
            continue
        section = _section_node(method, names[0])
        if section is None:
            continue
        params = _parameters(method)
        plist = method.child_by_field_name("parameters")
        extension = plist is not None and text(plist).lstrip("(").lstrip().startswith("this ")
        binders[text(method.child_by_field_name("name"))] = (names[0], params, section, extension)
    if not binders:
        return {}
    found: dict[str, list[Expr]] = {}
    for node in walk(root):
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        if inv.name not in binders:
            continue
        function = node.child_by_field_name("function")
        if function is not None and function.type == "member_access_expression":
            function = function.child_by_field_name("name")
        generic = function if function is not None and function.type == "generic_name" else None
        targs = next((c for c in generic.named_children if c.type == "type_argument_list"), None) \
            if generic is not None else None
        if targs is None or len(targs.named_children) != 1:
            continue
        type_name = text(targs.named_children[0]).rsplit(".", 1)[-1]
        _, params, section, extension = binders[inv.name]
        declared = params[1:] if extension and inv.receiver is not None else params
        bindings: dict[str, Expr | bool] = {}
        for i, (name, kind, default) in enumerate(declared):
            given = inv.named.get(name) or (inv.args[i] if i < len(inv.args) else None)
            value = given if given is not None else default
            if kind == "bool":
                flag = _literal_bool(value)
                if flag is not None:
                    bindings[name] = flag
            elif kind == "string" and value is not None:
                expr = _to_expr(value, {})
                if expr is not None:
                    bindings[name] = expr
        expr = _to_expr(section, bindings)
        if expr is not None:
            found.setdefault(type_name, []).append(expr)
    return {PREFIX + t: exprs[0] for t, exprs in found.items() if all(e == exprs[0] for e in exprs)}
