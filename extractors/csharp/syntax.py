"""C# syntax helpers: invocations, value expressions and scopes, shared by the C# detectors.

Durations are translated into value expressions in **milliseconds**: ``TimeSpan.FromSeconds(5)``
is ``Num(5000)``, ``TimeSpan.FromSeconds(TimeoutSeconds)`` is ``TimeoutSeconds * 1000``, and a
``static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500)`` constant is stored as
``Num(500)``; every TimeSpan Pending therefore uses ``scale=1``. Plain numbers stay plain
(``const int TimeoutSeconds = 5`` is ``Num(5)``); where a library reads an ``int`` as seconds
(Polly's ``TimeoutAsync(3)``) the Pending carries ``scale=1000``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown, as_number, duration_text_ms, evaluate
from extractors.treesitter import Node, ancestors, text, tree_memo, walk

INFINITE = Unknown("Timeout.InfiniteTimeSpan")  # no timeout at all

TIMESPAN_FACTORS = {
    "FromMilliseconds": 1.0, "FromSeconds": 1000.0, "FromMinutes": 60000.0, "FromHours": 3600000.0,
    "FromDays": 86400000.0, "FromTicks": 0.0001, "FromMicroseconds": 0.001,
}


@dataclass
class Invocation:
    """``receiver.Name<T>(args)``: ``callee`` is the dotted source text without type arguments."""

    node: Node
    callee: str
    name: str
    receiver: Node | None
    args: list[Node] = field(default_factory=list)  # argument expressions, positional
    named: dict[str, Node] = field(default_factory=dict)  # name: value arguments

    @property
    def receiver_text(self) -> str:
        return dotted(self.receiver)


MAX_LINKS = 16  # longer chains are cut at the root end: no detector reads that far


def reset_caches() -> None:
    """Kept for the extractor's per-file hook; names are not cached (node ids repeat across trees)."""


def dotted(node: Node | None) -> str:
    """``Policy.Handle<X>().WaitAndRetryAsync`` -> the dotted text with generic arguments dropped.

    Iterative and cut after ``MAX_LINKS`` links: a 3000-link fluent chain must neither hit
    Python's recursion limit nor cost quadratic time."""
    if node is None:
        return ""
    chain: list[Node] = []
    base = ""
    current: Node | None = node
    while current is not None:
        if len(chain) >= MAX_LINKS:
            base = "…"
            break
        if current.type == "member_access_expression":
            chain.append(current)
            current = current.child_by_field_name("expression")
        elif current.type == "invocation_expression":
            chain.append(current)
            current = current.child_by_field_name("function")
        else:
            if current.type == "generic_name":
                base = _simple_name(current)
            elif current.type in ("this_expression", "this"):
                base = "this"
            else:
                base = text(current)
            break
    for link in reversed(chain):
        if link.type == "invocation_expression":
            base = base + "()"
        else:
            part = _simple_name(link.child_by_field_name("name"))
            base = f"{base}.{part}" if base else part
    return base


def _simple_name(node: Node | None) -> str:
    if node is None:
        return ""
    if node.type == "generic_name":
        first = node.named_children[0] if node.named_child_count else None
        return text(first)
    return text(node)


def invocation(node: Node) -> Invocation:
    function = node.child_by_field_name("function")
    receiver = None
    if function is not None and function.type == "member_access_expression":
        receiver = function.child_by_field_name("expression")
        name = _simple_name(function.child_by_field_name("name"))
    else:
        name = _simple_name(function)
    inv = Invocation(node=node, callee=dotted(function), name=name, receiver=receiver)
    inv.args, inv.named = arguments(node.child_by_field_name("arguments"))
    return inv


def arguments(arglist: Node | None) -> tuple[list[Node], dict[str, Node]]:
    args: list[Node] = []
    named: dict[str, Node] = {}
    if arglist is None:
        return args, named
    for arg in arglist.named_children:
        if arg.type != "argument":
            continue
        name = arg.child_by_field_name("name")
        expression = [c for c in arg.named_children if c != name]
        if not expression:
            continue
        if name is not None:
            named[text(name)] = expression[-1]
        else:
            args.append(expression[-1])
    return args, named


def implicit_type(node: Node) -> str:
    """The type a target-typed ``new(...)`` creates: the declared type of the variable it initialises
    (``CancellationTokenSource cts = new(...)``, a field too) or is assigned to (``_cts = new(...)``
    with ``CancellationTokenSource _cts;``); ``""`` when nothing in the file says."""
    parent = node.parent
    while parent is not None and parent.type in ("equals_value_clause", "parenthesized_expression"):
        parent = parent.parent
    if parent is None:
        return ""
    if parent.type == "variable_declarator" and parent.parent is not None:
        type_node = parent.parent.child_by_field_name("type")
        return _simple_name(type_node).split(".")[-1] if type_node is not None and text(type_node) != "var" else ""
    if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        left = text(parent.child_by_field_name("left"))
        name = left[5:] if left.startswith("this.") else left
        if not name.isidentifier():
            return ""
        scope = enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement",
                                 "accessor_declaration", "lambda_expression"))
        if scope is not None:
            for decl in walk(scope):
                if decl.type == "variable_declarator" and text(decl.child_by_field_name("name")) == name:
                    type_node = decl.parent.child_by_field_name("type") if decl.parent is not None else None
                    return _simple_name(type_node).split(".")[-1] if type_node is not None and \
                        text(type_node) != "var" else ""
        return declared_type(name, node) or ""
    if parent.type == "arrow_expression_clause" and parent.parent is not None and \
            parent.parent.type == "method_declaration":
        # round 11: `private EventSubscriptionRetryPolicy SetRetryPolicy() => new() { .. }`: the method's return type
        type_node = parent.parent.child_by_field_name("returns") or parent.parent.child_by_field_name("type")
        return _simple_name(type_node).split(".")[-1] if type_node is not None and \
            type_node.type in ("identifier", "qualified_name", "generic_name") else ""
    return ""


def creation_type(node: Node) -> str:
    """``new HttpClient { .. }`` -> ``HttpClient`` (generic arguments dropped)."""
    return _simple_name(node.child_by_field_name("type")).split(".")[-1]


def initializer_items(node: Node) -> dict[str, Node]:
    """``new X { A = 1, B = 2 }`` -> {"A": node(1), "B": node(2)}."""
    items: dict[str, Node] = {}
    init = node.child_by_field_name("initializer") or next(
        (c for c in node.named_children if c.type == "initializer_expression"), None)
    if init is None:
        return items
    for child in _release_children_r22(init.named_children):
        if child.type == "assignment_expression":
            left = child.child_by_field_name("left")
            right = child.child_by_field_name("right")
            if left is not None and right is not None:
                items[text(left)] = right
    return items


_DEBUG_SYMBOL_R22 = re.compile(r"^\(?\s*DEBUG\s*\)?$")
_RELEASE_SYMBOL_R22 = re.compile(r"^\(?\s*(RELEASE|!\s*DEBUG)\s*\)?$")


def _shallow_preproc_r22(node: Node, depth: int = 0) -> list[Node]:
    """The ``#if`` directives a parse error wrapped (within two levels of ERROR / member access nodes)."""
    found = []
    for child in node.named_children:
        if child.type == "preproc_if":
            found.append(child)
        elif depth < 2 and child.type in ("ERROR", "member_access_expression"):
            found.extend(_shallow_preproc_r22(child, depth + 1))
    return found


def _release_children_r22(children: list[Node]) -> list[Node]:
    """Round 22 (symbol-collector): an initializer's members under ``#if RELEASE .. #else .. #endif`` (or ``#if
    DEBUG``): the branch a release build compiles (the deployed service), in place of the directive; other
    conditions (``#if NET8_0``) keep their first branch."""
    out: list[Node] = []
    for child in children:
        if child.type not in ("preproc_if", "assignment_expression"):
            # `X = 1,\n#if ..`: the comma before the directive puts it in an ERROR (or a broken member access)
            nested = _shallow_preproc_r22(child)
            if nested:
                out.extend(_release_children_r22(nested))
                continue
        if child.type != "preproc_if":
            out.append(child)
            continue
        condition = child.child_by_field_name("condition")
        condition_text = text(condition).strip() if condition is not None else ""
        alternative = next((c for c in child.named_children if c.type in ("preproc_else", "preproc_elif")), None)
        first = [c for c in child.named_children if c is not condition and c.type not in ("preproc_else", "preproc_elif")
                 and (alternative is None or c.start_byte < alternative.start_byte)]
        if _DEBUG_SYMBOL_R22.match(condition_text):
            chosen = [c for c in alternative.named_children] if alternative is not None else []
        else:
            chosen = first
        out.extend(_release_children_r22(chosen))
    return out


def string_literal(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
        parts = []
        for child in node.named_children:
            if child.type in ("string_literal_content", "escape_sequence", "raw_string_content"):
                parts.append(text(child))
            else:
                return None
        if node.type == "verbatim_string_literal":
            raw = text(node)
            return raw[2:-1] if raw.startswith('@"') else None
        return "".join(parts)
    return None


def unwrap(node: Node | None) -> Node | None:
    """Strip parentheses, casts, ``checked()``, ``await`` and ``!``."""
    while node is not None:
        if node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        elif node.type == "cast_expression":
            node = node.child_by_field_name("value")
        elif node.type in ("checked_expression", "postfix_unary_expression") and node.named_child_count == 1 and \
                text(node).endswith("!"):
            node = node.named_children[0]
        else:
            return node
    return node


TOTAL_UNITS = {"TotalMilliseconds": 1.0, "TotalSeconds": 1000.0, "TotalMinutes": 60000.0, "TotalHours": 3600000.0,
               "TotalDays": 86400000.0, "Ticks": 0.0001}


_DEFAULTED_GETTER = re.compile(r"^(?:Get|Read|TryGet)\w*(?:Property|Value|Setting|Option|Config|Int|Double|Long|Number)"
                               r"\w*$")


# round 22 (adnc): a value chosen by the hosting environment (`env.IsDevelopment() ? 10 : 9`,
# `IsEnvironment("Development")`, `builder.Environment.IsProduction() ? 30 : 5`)
_DEV_TEST_R22 = re.compile(r"^!?\s*\(?\s*[\w.()]*\bIs(Development|Dev|Local|Debug|Staging|Test|Testing)\s*\(\s*\)\s*\)?$|"
                           r"^!?\s*[\w.()]*\bIsEnvironment\s*\(\s*\"(Development|Local|Test|Testing)\"\s*\)$")
_PROD_TEST_R22 = re.compile(r"^!?\s*\(?\s*[\w.()]*\bIsProduction\s*\(\s*\)\s*\)?$|"
                            r"^!?\s*[\w.()]*\bIsEnvironment\s*\(\s*\"Production\"\s*\)$")


def environment_branch_r22(node: Node | None) -> Node | None:
    """Round 22 (adnc): the branch a deployed service takes in a ternary on the hosting environment:
    ``_.IsDevelopment() ? 10 : 9`` -> ``9``; ``env.IsProduction() ? 30 : 5`` -> ``30`` (negations flip)."""
    node = unwrap(node)
    if node is None or node.type != "conditional_expression":
        return None
    condition = unwrap(node.child_by_field_name("condition"))
    if condition is None:
        return None
    raw = re.sub(r"\s+", " ", text(condition)).strip()
    negated = raw.startswith("!")
    if _DEV_TEST_R22.match(raw):
        production = node.child_by_field_name("consequence" if negated else "alternative")
    elif _PROD_TEST_R22.match(raw):
        production = node.child_by_field_name("alternative" if negated else "consequence")
    else:
        return None
    return production


def number(node: Node | None, depth: int = 0) -> Expr:
    """A plain numeric expression (not a duration)."""
    node = unwrap(node)
    if node is None or depth > 12:
        return Unknown("")
    deployed = environment_branch_r22(node)
    if deployed is not None:
        return number(deployed, depth + 1)
    kind = node.type
    raw = text(node)
    if kind == "integer_literal":
        cleaned = raw.replace("_", "").rstrip("uUlL")
        try:
            return Num(float(int(cleaned, 0)))
        except ValueError:
            return Unknown(raw)
    if kind == "real_literal":
        try:
            return Num(float(raw.replace("_", "").rstrip("fFdDmM")))
        except ValueError:
            return Unknown(raw)
    nullable = _nullable_parameter(node)
    if nullable is not None:
        return Ref(text(nullable))  # `timeoutSeconds.Value` of `int? timeoutSeconds`: the parameter
    if kind == "member_access_expression" and text(node.child_by_field_name("name")) == "Value" and \
            unwrap(node.child_by_field_name("expression")) is not None and \
            unwrap(node.child_by_field_name("expression")).type == "member_access_expression":
        # round 20 (smartstore): `_appConfig.DbMigrationCommandTimeout.Value` of an `int?` setting: the setting
        return number(node.child_by_field_name("expression"), depth + 1)
    if kind == "member_access_expression" and text(node.child_by_field_name("name")) in TOTAL_UNITS:
        span = duration_ms(node.child_by_field_name("expression"), depth + 1)
        if not isinstance(span, Unknown) and span is not INFINITE:
            # (int)TimeSpan.FromMinutes(5).TotalSeconds: the span in the unit asked for
            return fold(BinOp("/", span, Num(TOTAL_UNITS[text(node.child_by_field_name("name"))])))
    if kind in ("identifier", "member_access_expression"):
        name = dotted(node)
        if name.startswith(("Math.", "int.", "double.")):
            return Unknown(raw)
        if kind == "member_access_expression" and name.rsplit(".", 1)[-1] in ("Length", "Count"):
            size = collection_size(node.child_by_field_name("expression"))
            if size is not None:
                return Num(float(size))  # WaitAndRetry(delays.Length, ...) over `TimeSpan[] delays = [a, b, c]`
        if kind == "identifier":
            bound = local_value(name, node)
            if bound is None:
                bound = _captured_local_r18(name, node)
            if bound is None:
                element = _tuple_element_r19(name, node, depth)
                if element is not None:
                    return element
            parsed = _try_parse_default_r18(name, bound, depth) if bound is not None else None
            if parsed is not None:
                return parsed
            if bound is not None and bound.type != "identifier":
                return number(bound, depth + 1)  # var retries = 3; ... RetryAsync(retries)
            if bound is None:
                default = parameter_default(name, node)
                if default is not None:
                    return number(default, depth + 1)  # Policy(int retries = 3): no caller passes it
        return Ref(typed_name(name, node))
    if kind == "conditional_access_expression" and re.fullmatch(r"[A-Za-z_]\w*(?:\??\.[A-Za-z_]\w*)+", raw):
        # settings?.RetryAttempts (?? 3): the member read like settings.RetryAttempts, a setting
        return Ref(typed_name(raw.replace("?.", "."), node))
    if kind == "string_literal":
        value = string_literal(node)
        return Str(value) if value is not None else Unknown(raw)
    if kind == "binary_expression":
        op = text(node.child_by_field_name("operator"))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op == "??":
            env = number(left, depth + 1)
            if isinstance(env, Env) and env.default is None:
                return Env(env.var, number(right, depth + 1))
            return _coalesce(left, right, env, number(right, depth + 1), raw)
        if op in ("+", "-", "*", "/", "%"):
            return fold(BinOp(op, number(left, depth + 1), number(right, depth + 1)))
        return Unknown(raw)
    if kind == "invocation_expression":
        inv = invocation(node)
        if inv.callee in ("Environment.GetEnvironmentVariable",) and inv.args:
            name = string_literal(inv.args[0])
            return Env(name) if name is not None else Unknown(raw)
        if inv.name in ("Parse", "ToInt16", "ToInt32", "ToDouble", "ToInt64") and inv.args and inv.receiver_text in (
                "int", "double", "long", "float", "Int32", "Double", "Int64", "Convert", "decimal"):
            inner = number(inv.args[0], depth + 1)
            if isinstance(inner, Unknown):
                return inner
            return Call("int" if inv.receiver_text in ("int", "long", "Int32", "Int64") or inv.name in (
                "ToInt16", "ToInt32", "ToInt64") else "float", (inner,))
        if inv.receiver_text in ("Math", "System.Math") and inv.name == "Min" and len(inv.args) == 2:
            # Math.Min(timeout.TotalMilliseconds, int.MaxValue): only a guard against overflow, the value itself
            bounds = [dotted(unwrap(a)) in _MAX_VALUES for a in inv.args]
            if bounds.count(True) == 1:
                return number(inv.args[bounds.index(False)], depth + 1)
        if inv.receiver_text in ("Math", "System.Math") and inv.name in ("Min", "Max") and len(inv.args) == 2:
            # Math.Min(Math.Max(retries, 3), 10): the value clamped
            return Call(inv.name.lower(), (number(inv.args[0], depth + 1), number(inv.args[1], depth + 1)))
        if inv.name != "GetValue" and len(inv.args) == 2 and string_literal(unwrap(inv.args[0])) is not None and \
                _DEFAULTED_GETTER.match(inv.name):
            # json.GetPropertyValue("timeout", 10), section.GetInt32("retries", 3): a setting read with a default
            # set in code; the default is what the code knows
            default = number(inv.args[1], depth + 1)
            return default if settle(default) is not None else Unknown(raw)
        if inv.name != "GetValue" and len(inv.args) == 3 and string_literal(unwrap(inv.args[1])) is not None and \
                unwrap(inv.args[0]) is not None and unwrap(inv.args[0]).type == "identifier" and \
                re.search(r"(?i)config|settings|section", text(inv.args[0])) and _DEFAULTED_GETTER.match(inv.name):
            # round 20 (group-membership-management): GetIntSetting(configuration, "MaxRetryAfterAttempts", 4): a
            # helper reading a key of the configuration it is handed, with a default set in code
            default = number(inv.args[2], depth + 1)
            return default if settle(default) is not None else Unknown(raw)
        if inv.name == "GetValue" and inv.args:
            # configuration.GetValue<int>("Risk:TimeoutSeconds", 5): a configuration key
            key = string_literal(inv.args[0])
            if key is None:
                return Unknown(raw)
            if len(inv.args) > 1:  # the default when the key is not configured
                return Call("coalesce", (Ref(key), number(inv.args[1], depth + 1)))
            return Ref(key)
        return Unknown(raw)
    if kind == "element_access_expression":
        # configuration["Risk:TimeoutSeconds"]
        key = [c for c in walk(node) if c.type == "string_literal"]
        value = string_literal(key[0]) if key else None
        return Ref(value) if value is not None else Unknown(raw)
    return Unknown(raw)


def _captured_local_r18(name: str, use: Node) -> Node | None:
    """Round 18 (flotilla): a local of the method a lambda captures (``int DATABASE_TIMEOUT; ... o =>
    o.CommandTimeout(DATABASE_TIMEOUT)``): its value before the lambda, when the lambda neither declares it
    nor takes it as a parameter."""
    node = use
    for _ in range(4):
        lam = enclosing(node, ("lambda_expression",))
        if lam is None:
            return None
        declares = any(n.type in ("variable_declarator", "parameter") and
                       text(n.child_by_field_name("name")) == name for n in walk(lam))
        if declares or lambda_param(lam) == name:
            return None
        found = local_value(name, lam)
        if found is not None:
            return found
        node = lam
    return None


def _out_name_r18(call: Node) -> tuple[Node, str] | None:
    """``int.TryParse(src, out var p)`` / ``(src, out p)`` / ``(src, out int p)``: (src, p)."""
    inv = invocation(call)
    if not inv.name.startswith("TryParse") or len(inv.args) < 2:
        return None
    last = inv.args[-1]
    holder = last.parent if last.parent is not None and last.parent.type == "argument" else last
    raw = text(holder).strip()
    match = re.fullmatch(r"out\s+(?:(?:var|int|long|double|float|TimeSpan|uint|short)\s+)?([A-Za-z_]\w*)", raw)
    return (inv.args[0], match.group(1)) if match else None


def _try_parse_default_r18(name: str, bound: Node, depth: int) -> Expr | None:
    """Round 18 (flotilla): a setting parsed with a default in code, ``if (int.TryParse(config["Db:Timeout"], out var
    p)) T = p; else T = 30;`` (either branch order) or ``T = int.TryParse(raw, out var p) ? p : 30``: the key, else
    the default (``coalesce``)."""
    bare = unwrap(bound)
    if bare is not None and bare.type == "conditional_expression":
        branches = (bare.child_by_field_name("consequence"), bare.child_by_field_name("alternative"))
        parses = [_out_name_r18(n) for n in walk(bare.child_by_field_name("condition")) if n.type == "invocation_expression"]
        for source, out in (p for p in parses if p is not None):
            for mine, other in (branches, branches[::-1]):
                if text(unwrap(mine)) == out and settle(number(other, depth + 1)) is not None:
                    return Call("coalesce", (number(source, depth + 1), number(other, depth + 1)))
        return None
    assignment = bound.parent
    if assignment is None or assignment.type != "assignment_expression" or \
            text(assignment.child_by_field_name("left")) != name:
        return None
    default = number(bound, depth + 1)
    if settle(default) is None:
        return None
    branch = assignment.parent
    while branch is not None and branch.type in ("expression_statement", "block", "else_clause"):
        branch = branch.parent
    if branch is None or branch.type != "if_statement":
        return None
    parses = [_out_name_r18(n) for n in walk(branch.child_by_field_name("condition"))
              if n.type == "invocation_expression"]
    for source, out in (p for p in parses if p is not None):
        for other in (branch.child_by_field_name("consequence"), branch.child_by_field_name("alternative")):
            if other is None or is_inside(assignment, other):
                continue
            if any(n.type == "assignment_expression" and text(n.child_by_field_name("left")) == name and
                   text(unwrap(n.child_by_field_name("right"))) == out for n in walk(other)):
                return Call("coalesce", (number(source, depth + 1), default))
    return None


_MAX_VALUES = frozenset(f"{t}.MaxValue" for t in ("int", "long", "uint", "Int32", "Int64", "double", "short"))


def _nullable_parameter(node: Node | None) -> Node | None:
    """``timeout`` of ``timeout.Value`` when ``timeout`` is a parameter of the enclosing method declared
    nullable (``TimeSpan? timeout = null``, ``int? timeoutSeconds``): the value is the parameter itself."""
    if node is None or node.type != "member_access_expression" or text(node.child_by_field_name("name")) != "Value":
        return None
    inner = unwrap(node.child_by_field_name("expression"))
    if inner is None or inner.type != "identifier":
        return None
    param = parameter_node(text(inner), inner)
    kind = param.child_by_field_name("type") if param is not None else None
    return inner if kind is not None and kind.type == "nullable_type" else None


def duration_ms(node: Node | None, depth: int = 0) -> Expr:
    """A TimeSpan expression in ms; ``INFINITE`` for ``Timeout.InfiniteTimeSpan``."""
    node = unwrap(node)
    if node is None or depth > 12:
        return Unknown("")
    deployed = environment_branch_r22(node)
    if deployed is not None:
        return duration_ms(deployed, depth + 1)
    nullable = _nullable_parameter(node)
    if nullable is not None:
        return Ref(text(nullable))  # `timeout.Value` of `TimeSpan? timeout`: the parameter
    raw = text(node)
    name = dotted(node) if node.type in ("member_access_expression", "identifier") else ""
    if name in ("Timeout.InfiniteTimeSpan", "System.Threading.Timeout.InfiniteTimeSpan", "TimeSpan.MaxValue"):
        return INFINITE
    if name == "TimeSpan.Zero":
        return Num(0.0)
    if node.type == "invocation_expression":
        inv = invocation(node)
        if inv.receiver_text in ("TimeSpan", "System.TimeSpan") and inv.name in TIMESPAN_FACTORS and inv.args:
            return fold(BinOp("*", number(inv.args[0], depth + 1), Num(TIMESPAN_FACTORS[inv.name])))
        if inv.receiver_text in ("TimeSpan", "System.TimeSpan") and inv.name == "Parse" and len(inv.args) == 1:
            # round 19 (dnceng): `TimeSpan.Parse(_options.LogScrapingTimeout ?? "00:10:00")`: a setting's text, else
            # the fallback's
            return _parsed_span_r19(inv.args[0], depth)
        return Unknown(raw)
    if node.type in ("object_creation_expression", "implicit_object_creation_expression"):
        if node.type == "object_creation_expression" and creation_type(node) != "TimeSpan":
            return Unknown(raw)
        args, _ = arguments(node.child_by_field_name("arguments") or _arglist(node))
        parts = [number(a, depth + 1) for a in args]
        units = {1: [0.0001], 3: [3600000.0, 60000.0, 1000.0], 4: [86400000.0, 3600000.0, 60000.0, 1000.0],
                 5: [86400000.0, 3600000.0, 60000.0, 1000.0, 1.0]}.get(len(parts))
        if units is None:
            return Unknown(raw)
        total: Expr = Num(0.0)
        for part, unit in zip(parts, units):
            total = BinOp("+", total, BinOp("*", part, Num(unit)))
        return fold(total)
    if node.type == "binary_expression":
        op = text(node.child_by_field_name("operator"))
        if op == "??":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            return _coalesce(left, right, duration_ms(left, depth + 1), duration_ms(right, depth + 1), raw)
        if op in ("+", "-"):
            return fold(BinOp(op, duration_ms(node.child_by_field_name("left"), depth + 1),
                              duration_ms(node.child_by_field_name("right"), depth + 1)))
        if op in ("*", "/"):
            return fold(BinOp(op, duration_ms(node.child_by_field_name("left"), depth + 1),
                              number(node.child_by_field_name("right"), depth + 1)))
        return Unknown(raw)
    if node.type == "identifier":
        bound = local_value(name, node)
        if bound is not None and unwrap(bound) is not None and unwrap(bound).type != "identifier":
            return duration_ms(bound, depth + 1)  # var timeout = TimeSpan.FromSeconds(2); new CancellationTokenSource(timeout)
    if node.type in ("identifier", "member_access_expression"):
        assigned = constructor_value(name, node)
        if assigned is not None:
            return duration_ms(assigned, depth + 1)  # `_timeout = options.Value.Timeout;` in the constructor
        return Ref(typed_name(name, node))
    return Unknown(raw)


def _parsed_span_r19(arg: Node, depth: int) -> Expr:
    """The text ``TimeSpan.Parse`` reads, in ms: a string literal (``"00:10:00"``), a setting (its configured
    text), or ``setting ?? "00:10:00"`` (the setting's, else the literal's)."""
    node = unwrap(arg)
    if node is None:
        return Unknown("")
    if node.type == "string_literal":
        ms = duration_text_ms(text(node).strip('"'))
        return Num(ms) if ms is not None else Unknown(text(node))
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "??":
        first = _parsed_span_r19(node.child_by_field_name("left"), depth + 1)
        fallback = _parsed_span_r19(node.child_by_field_name("right"), depth + 1)
        if isinstance(first, Unknown) or isinstance(fallback, Unknown):
            return Unknown(text(node))
        return Call("coalesce", (first, fallback))
    if node.type in ("identifier", "member_access_expression") and depth < 12:
        return Call("duration_ms", (Ref(typed_name(dotted(node), node)),))
    if node.type == "invocation_expression":
        inv = invocation(node)
        if inv.name != "GetValue" and len(inv.args) == 2 and string_literal(unwrap(inv.args[0])) is not None and \
                _DEFAULTED_GETTER.match(inv.name):
            # round 20 (das-payments-v2): `TimeSpan.Parse(helper.GetSettingOrDefault("WaitTime", "00:04:30"))`: a
            # setting read with a default set in code; the default is what the code knows
            return _parsed_span_r19(inv.args[1], depth + 1)
    return Unknown(text(node))


def _coalesce(left: Node | None, right: Node | None, first: Expr, fallback: Expr, raw: str) -> Expr:
    """``a ?? b``. A parameter of the method on the left (``timeout ?? TimeSpan.FromSeconds(100)`` with
    ``TimeSpan? timeout = null``) is the parameter itself: its callers decide, and the fallback is what
    one that leaves it out gets (``wrapper_call.publish`` reads it as the parameter's default). Anything
    else is the first of the two that resolves (a setting, else the fallback)."""
    left = unwrap(left)
    if left is not None and left.type == "identifier" and parameter_node(text(left), left) is not None:
        return Ref(text(left))
    if isinstance(fallback, Unknown) or fallback is INFINITE or isinstance(first, Unknown) or first is INFINITE:
        return Unknown(raw)
    return Call("coalesce", (first, fallback))


def parameter_node(name: str, use: Node) -> Node | None:
    """The parameter ``name`` of the method, constructor or local function ``use`` is in, if any."""
    method = enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement"))
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is None:
        return None
    return next((p for p in params.named_children if p.type == "parameter" and
                 text(p.child_by_field_name("name")) == name), None)


def constructor_value(name: str, use: Node) -> Node | None:
    """What the field ``name`` (or ``this.name``) gets from its one assignment in the file, when that
    is in a constructor and reads a setting (``_timeout = configuration.Value.RepoIndexingTimeout;``)
    and the use is not in that constructor nor a method with a local of that name."""
    name = name[5:] if name.startswith("this.") else name
    if not name.isidentifier() or local_value(name, use) is not None:
        return None
    root = use
    while root.parent is not None:
        root = root.parent
    assignments = [n for n in walk(root) if n.type == "assignment_expression" and
                   text(n.child_by_field_name("left")) in (name, "this." + name)]
    if len(assignments) != 1:
        return None
    constructor = enclosing(assignments[0], ("constructor_declaration",))
    right = unwrap(assignments[0].child_by_field_name("right"))
    if constructor is None or is_inside(use, constructor) or right is None or \
            right.type != "member_access_expression" or text(assignments[0].child_by_field_name("operator")) != "=":
        return None
    return right


def constructor_fallback(name: str, use: Node) -> Node | None:
    """``_waitForResultTimeout`` set once, in a constructor, to ``waitForResultTimeout ?? DefaultWaitForResultTimeout``
    where the parameter defaults to null: the fallback (what every construction that leaves the parameter
    out gets), when ``use`` is outside that constructor."""
    name = name[5:] if name.startswith("this.") else name
    if not name.isidentifier() or local_value(name, use) is not None or parameter_node(name, use) is not None:
        return None
    root = use
    while root.parent is not None:
        root = root.parent
    assignments = [n for n in walk(root) if n.type == "assignment_expression" and
                   text(n.child_by_field_name("left")) in (name, "this." + name)]
    if len(assignments) != 1 or text(assignments[0].child_by_field_name("operator")) != "=":
        return None
    constructor = enclosing(assignments[0], ("constructor_declaration",))
    right = unwrap(assignments[0].child_by_field_name("right"))
    if constructor is None or is_inside(use, constructor) or right is None or right.type != "binary_expression" or \
            text(right.child_by_field_name("operator")) != "??":
        return None
    left = unwrap(right.child_by_field_name("left"))
    if left is None or left.type != "identifier":
        return None
    param = parameter_node(text(left), assignments[0])
    default = parameter_default(text(left), assignments[0]) if param is not None else None
    if default is None or text(default) not in ("null", "default"):
        return None
    return right.child_by_field_name("right")


OPTION_WRAPPERS = ("IOptions", "IOptionsMonitor", "IOptionsSnapshot")
OPTION_VALUES = ("Value", "CurrentValue")


def typed_name(name: str, use: Node) -> str:
    """``options.TimeoutQuery`` -> ``ContentsOptions.TimeoutQuery`` when this file declares
    ``options`` (a field, property or parameter) as ``ContentsOptions`` or ``IOptions<ContentsOptions>``
    (``_options.Value.Timeout`` too): the name an options class's property default is stored under.
    Anything else keeps its name; ``this.connectTimeout`` is the field ``connectTimeout`` (the name its
    initializer is published under), a longer ``this.`` chain keeps its name."""
    parts = name.split(".")
    if len(parts) == 2 and parts[0] == "this":
        return parts[1]  # a field of this class (longer chains keep their `this.` name: settings read by it)
    if len(parts) == 2 and parts[0] in _BASE_SETTINGS:
        inherited = _generic_base_argument(parts[0], use)
        if inherited:
            # `class OrionDataProvider : DashboardDataProvider<OrionSettings>` reading `Settings.QueryTimeoutMs`:
            # the base class's settings object, of the type its argument names
            return f"{inherited}.{parts[1]}"
    if len(parts) >= 3 and parts[1] in OPTION_VALUES:
        parts = [parts[0], *parts[2:]]
    if len(parts) < 2 or not parts[0] or not (parts[0][0].islower() or parts[0][0] == "_"):
        return name
    declared = _option_value_local_r16(parts[0], use) or declared_type(parts[0], use)
    if not declared and parts[0].startswith("_") and len(parts) >= 2:
        # round 12: a field of a partial class declared in another of its files (`_options.RetryOptions` in
        # DataCleanupDurableFunction.Orchestration.cs): under the class's name, which that file publishes
        # `<Class>._options.$type` for (context.py) so the resolver reads the options class's member
        owner = enclosing(use, ("class_declaration",))
        if owner is not None and is_partial(owner):
            chain = type_chain(use)
            if chain:
                return ".".join([*chain, *parts])
    # round 11: a nested options object (`policyOptions.RetryPolicyOptions.Count` of a `PolicyOptions`)
    # keeps its path under the class's name; the resolver reads the property's class
    # (`PolicyOptions.RetryPolicyOptions.$type`) for the member's default
    return ".".join([declared, *parts[1:]]) if declared else name


def _option_value_local_r16(name: str, use: Node) -> str | None:
    """Round 16 (SS14.Web): ``var options = _options.Value;`` then ``options.AdvertisementStatusTestTimeoutSeconds``:
    the local holds the options class its ``IOptions<T>`` field is declared with (this method's local wins over
    another member of the file of that name: a converter's ``JsonSerializerOptions options`` parameter)."""
    value = unwrap(local_value(name, use))
    if value is None or value.type != "member_access_expression" or \
            text(value.child_by_field_name("name")) not in OPTION_VALUES:
        return None
    holder = unwrap(value.child_by_field_name("expression"))
    if holder is not None and holder.type == "invocation_expression":
        # round 19 (epr-calculator-service): `var options = provider.GetRequiredService<IOptions<DatabaseOptions>>()
        # .Value;`: the options class the container is asked for
        asked = re.match(r"^(?:[\w.]+\.)?Get(?:Required)?Service<\s*(?:[\w.]+\.)?I?Options(?:Monitor|Snapshot)?<\s*"
                         r"(?:[\w.]+\.)?(\w+)\s*>\s*>\s*\(\s*\)$", text(holder))
        return asked.group(1) if asked else None
    return declared_type(text(holder), use) if holder is not None and holder.type == "identifier" else None


_BASE_SETTINGS = ("Settings", "Options", "Config", "Configuration")


def _generic_base_argument(word: str, use: Node) -> str | None:
    """The one type argument of the enclosing class's generic bases named for ``word``
    (``DashboardDataProvider<OrionSettings>`` -> ``OrionSettings`` for ``Settings``), when the file
    declares no member ``word`` of its own."""
    if declared_type(word, use):
        return None
    owner = enclosing(use, ("class_declaration", "record_declaration"))
    base_list = next((c for c in owner.named_children if c.type == "base_list"), None) if owner is not None else None
    if base_list is None:
        return None
    found = {text(n).split(".")[-1] for n in walk(base_list) if n.type == "type_argument_list"
             for n in n.named_children if n.type in ("identifier", "qualified_name") and text(n).endswith(word)}
    return found.pop() if len(found) == 1 else None


def declared_type(name: str, use: Node) -> str | None:
    """The simple type name a field, property or parameter ``name`` of ``use``'s file is declared with."""
    root = use
    while root.parent is not None:
        root = root.parent
    found = _declared_types(root).get(name, ())
    return found[0] if found and all(t == found[0] for t in found) else None


def _declared_types(root: Node) -> dict[str, list[str]]:
    """Name -> the types a field, property, parameter or DI-resolved var of the file is declared with
    (one walk per file)."""
    return tree_memo(root, "csharp.declared", _collect_declared_types)


def _collect_declared_types(root: Node) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in walk(root):
        type_node = None
        name = None
        if node.type == "variable_declarator":
            name = text(node.child_by_field_name("name"))
            declaration = node.parent
            if declaration is not None and declaration.parent is not None and \
                    declaration.parent.type == "field_declaration":
                type_node = declaration.child_by_field_name("type")
            if type_node is None and node.parent is not None and text(node.parent.child_by_field_name("type")) == "var":
                # var options = provider.GetRequiredService<IOptionsSnapshot<IndexerConfiguration>>();
                type_node = _resolved_type(node)
        elif node.type in ("parameter", "property_declaration"):
            name = text(node.child_by_field_name("name"))
            type_node = node.child_by_field_name("type")
        if type_node is None or not name:
            continue
        if type_node.type == "generic_name":
            head = text(type_node.named_children[0]) if type_node.named_children else ""
            args = type_node.named_children[1] if len(type_node.named_children) > 1 else None
            if head not in OPTION_WRAPPERS or args is None or len(args.named_children) != 1:
                continue
            type_node = args.named_children[0]
        if type_node.type == "identifier":
            out.setdefault(name, []).append(text(type_node))
    return out


RESOLVERS = ("GetRequiredService", "GetService", "Resolve", "ResolveKeyed")
SECTION_GETTERS = ("GetSection", "GetRequiredSection")
SECTION_BINDERS = ("Get", "GetValue")


def _resolved_type(declarator: Node) -> Node | None:
    """The type argument of a DI lookup a ``var`` is initialised with (``p.GetRequiredService<T>()``),
    or of a configuration section bound in place (``config.GetSection("Sms").Get<SmsOptions>()``,
    ``?? new SmsOptions()`` after it too): the options class whose property defaults and appsettings
    binding the local's members read."""
    values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
    value = unwrap(values[-1]) if values else None
    if value is not None and value.type == "binary_expression" and value.child_count == 3 and \
            text(value.children[1]) == "??":
        value = unwrap(value.child_by_field_name("left"))
    value = _options_lookup(value)
    if value is None or value.type != "invocation_expression":
        return None
    function = value.child_by_field_name("function")
    generic = function.child_by_field_name("name") if function is not None and \
        function.type == "member_access_expression" else function
    if generic is None or generic.type != "generic_name":
        return None
    head = text(generic.named_children[0])
    if head in SECTION_BINDERS and function.type == "member_access_expression":
        receiver = unwrap(function.child_by_field_name("expression"))
        getter = receiver.child_by_field_name("function") if receiver is not None and \
            receiver.type == "invocation_expression" else None
        getter = getter.child_by_field_name("name") if getter is not None and \
            getter.type == "member_access_expression" else getter
        if getter is None or text(getter) not in SECTION_GETTERS:
            return None
    elif head not in RESOLVERS and not _HOUSE_BINDER.match(head):
        return None
    args = generic.named_children[1] if len(generic.named_children) > 1 else None
    return args.named_children[0] if args is not None and len(args.named_children) == 1 else None


# round 11: a project's own binder of an options class (`builder.Configuration.BindOptions<PolicyOptions>()`,
# `services.GetOptions<GrpcOptions>("Grpc")`): the local holds that class
_HOUSE_BINDER = re.compile(r"^(Get|Bind)\w*(Options|Settings|Config|Configuration)$")


def _options_lookup(value: Node | None) -> Node | None:
    """The DI lookup under ``sp.GetRequiredService<IOptions<T>>().Value`` (``.CurrentValue``) and
    under a no-argument check chained after it (``.Value.NotBeNull()``, ``!``): the invocation whose
    type argument names the options class."""
    for _ in range(3):
        value = unwrap(value)
        if value is None:
            return None
        if value.type == "invocation_expression":
            function = value.child_by_field_name("function")
            arguments = value.child_by_field_name("arguments")
            if function is not None and function.type == "member_access_expression" and \
                    arguments is not None and arguments.named_child_count == 0 and \
                    function.child_by_field_name("name") is not None and \
                    function.child_by_field_name("name").type == "identifier":
                value = function.child_by_field_name("expression")  # `.NotBeNull()`
                continue
            return value
        if value.type == "member_access_expression" and text(value.child_by_field_name("name")) in OPTION_VALUES:
            value = value.child_by_field_name("expression")
            continue
        return value
    return unwrap(value)


def collection_size(node: Node | None) -> int | None:
    """Elements of the array or list literal a local (or field) ``name`` is initialised with."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    bound = unwrap(local_value(text(node), node))
    if bound is None:
        root = node
        while root.parent is not None:
            root = root.parent
        for declarator in walk(root):
            if declarator.type == "variable_declarator" and text(declarator.child_by_field_name("name")) == text(node) \
                    and declarator.parent is not None and declarator.parent.parent is not None \
                    and declarator.parent.parent.type == "field_declaration":
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                bound = unwrap(values[-1]) if values else None
                break
    return collection_items(bound)


def collection_items(bound: Node | None) -> int | None:
    """Elements of an array or list literal (``[a, b]``, ``new[] { a, b }``, ``{ a, b }``)."""
    bound = unwrap(bound)
    if bound is None:
        return None
    if bound.type == "collection_expression":
        items = [c for c in bound.named_children if c.type == "collection_element"]
        return None if any(text(c).startswith("..") for c in items) else len(items)
    if bound.type == "initializer_expression":  # TimeSpan[] delays = { a, b, c };
        return len(bound.named_children)
    if bound.type in ("array_creation_expression", "implicit_array_creation_expression"):
        init = next((c for c in bound.named_children if c.type == "initializer_expression"), None)
        return len(init.named_children) if init is not None else None
    return listed_items(bound)  # `Array.AsReadOnly(new[] { ... })`, `new List<TimeSpan> { ... }`


def _arglist(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type == "argument_list":
            return child
    return None


def fold(expr: Expr) -> Expr:
    """Collapse arithmetic over literals into a number; keep anything symbolic (Unknown poisons)."""
    if _has_unknown(expr):
        return Unknown("")
    result = evaluate(expr)
    if result.resolved_from == "literal" and as_number(result.value) is not None:
        return Num(float(result.value))  # type: ignore[arg-type]
    return _simplify(expr)


def _simplify(expr: Expr) -> Expr:
    if isinstance(expr, BinOp):
        left, right = _simplify(expr.left), _simplify(expr.right)
        if expr.op == "+" and left == Num(0.0):
            return right
        if expr.op == "*" and right == Num(1.0):
            return left
        if expr.op == "*" and (left == Num(0.0) or right == Num(0.0)):
            return Num(0.0)
        return BinOp(expr.op, left, right)
    return expr


def _has_unknown(expr: Expr) -> bool:
    if isinstance(expr, Unknown):
        return True
    if isinstance(expr, BinOp):
        return _has_unknown(expr.left) or _has_unknown(expr.right)
    if isinstance(expr, Call):
        return any(_has_unknown(a) for a in expr.args)
    if isinstance(expr, Env):
        return expr.default is not None and _has_unknown(expr.default)
    return False


def settle(expr: Expr) -> float | None:
    if isinstance(expr, (Ref, Env, Unknown)):
        return None
    result = evaluate(expr)
    if result.resolved_from != "literal":
        return None
    return as_number(result.value)


def enclosing(node: Node, types: tuple[str, ...]) -> Node | None:
    for parent in ancestors(node):
        if parent.type in types:
            return parent
    return None


def is_inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def is_partial(declaration: Node) -> bool:
    """``partial class X``: its members may be declared in other files."""
    return any(c.type == "modifier" and text(c) == "partial" for c in declaration.children)


def type_chain(node: Node) -> list[str]:
    names: list[str] = []
    for parent in ancestors(node):
        if parent.type in ("class_declaration", "struct_declaration", "record_declaration", "interface_declaration"):
            names.insert(0, text(parent.child_by_field_name("name")))
    return names


def namespace_of(root: Node) -> str | None:
    for node in walk(root):
        if node.type in ("file_scoped_namespace_declaration", "namespace_declaration"):
            return text(node.child_by_field_name("name"))
        if node.type in ("class_declaration", "struct_declaration", "record_declaration"):
            return None
    return None


def local_value(name: str, use: Node) -> Node | None:
    """The initialiser of the last ``var name = ...`` / ``name = ...`` before ``use`` in its method."""
    scope = enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement",
                            "lambda_expression", "accessor_declaration")) or use
    found = None
    for node in walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
            values = [c for c in node.named_children if c != node.child_by_field_name("name")]
            if values:
                found = values[-1]
        elif node.type == "assignment_expression" and text(node.child_by_field_name("left")) == name:
            found = node.child_by_field_name("right")
    if found is None and scope is not use and scope.type == "lambda_expression" and scope.parent is not None and \
            not _lambda_parameter_r19(scope, name):
        # round 19 (epr-calculator-service): a local of the enclosing lambda or method the lambda captures
        # (`var options = ..; builder.UseSqlServer(cs, o => o.CommandTimeout(options.X))`)
        return local_value(name, scope)
    return found


def _tuple_element_r19(name: str, use: Node, depth: int) -> Expr | None:
    """Round 19 (efs-fulfilment): ``var (maxRetryAttempts, delayMs) = LoadRetrySettings();`` over a method of the
    file returning ``(MaxRetryAttempts, RetryDelayInMilliseconds)`` (or settings read through a helper): the
    element's value where every return that can be read agrees (the defaults, when the others read configuration
    through a helper)."""
    scope = enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement"))
    if scope is None:
        return None
    for node in walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type != "variable_declarator":
            continue
        pattern = next((c for c in node.named_children if c.type == "tuple_pattern"), None)
        names = [text(c) for c in pattern.named_children] if pattern is not None else []
        if name not in names:
            continue
        value = unwrap(node.named_children[-1])
        if value is None or value.type != "invocation_expression" or invocation(value).receiver is not None:
            return None
        called = invocation(value).name
        root = scope
        while root.parent is not None:
            root = root.parent
        methods = [m for m in walk(root) if m.type in ("method_declaration", "local_function_statement") and
                   text(m.child_by_field_name("name")) == called]
        if len(methods) != 1:
            return None
        settled = set()
        for ret in walk(methods[0]):
            if ret.type != "return_statement" or enclosing(ret, ("method_declaration", "local_function_statement",
                                                                 "lambda_expression")) != methods[0]:
                continue
            tuple_node = next((c for c in ret.named_children if c.type == "tuple_expression"), None)
            items = [c for c in tuple_node.named_children if c.type == "argument"] if tuple_node is not None else []
            if len(items) != len(names):
                continue
            found = number(items[names.index(name)].named_children[-1], depth + 1)
            if not isinstance(found, Unknown):
                settled.add(found)
        if len(settled) == 1:
            return settled.pop()
        # `(MaxRetryAttempts, ..)` and `(GetValue("RETRIES", MaxRetryAttempts), ..)`: the configured read falling
        # back to the same default the other return gives
        reads = [e for e in settled if isinstance(e, Call) and e.func == "coalesce" and e.args]
        if len(reads) == 1 and all(e == reads[0].args[-1] for e in settled if e is not reads[0]):
            return reads[0]
        return None
    return None


def _lambda_parameter_r19(scope: Node, name: str) -> bool:
    params = scope.child_by_field_name("parameters")
    return params is not None and (text(params) == name or any(
        p.type == "parameter" and text(p.child_by_field_name("name")) == name for p in params.named_children))


def parameter_default(name: str, use: Node) -> Node | None:
    """The default of the parameter ``name`` of the method ``use`` is in (``int retries = 3``), if any."""
    method = enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement"))
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is None or not any(p.type == "parameter" and text(p.child_by_field_name("name")) == name
                                 for p in params.named_children):
        # round 21 (docspace-server): a primary constructor's parameter (`class Conn(.., int retryCount = 5)`),
        # read in any member of the class
        owner = enclosing(use, ("class_declaration", "record_declaration", "struct_declaration"))
        primary = next((c for c in owner.named_children if c.type == "parameter_list"), None) \
            if owner is not None else None
        params = primary if primary is not None else params
    if params is None:
        return None
    for param in params.named_children:
        if param.type == "parameter" and text(param.child_by_field_name("name")) == name:
            after_equals = False
            for child in param.children:
                if after_equals and child.is_named:
                    return child
                after_equals = after_equals or (not child.is_named and text(child) == "=")
            return None
    return None


def first_line(node: Node) -> str:
    lines = text(node).splitlines()
    return lines[0].strip()[:200] if lines else ""


def lambda_body(node: Node | None) -> Node | None:
    node = unwrap(node)
    if node is None or node.type not in ("lambda_expression", "anonymous_method_expression"):
        return None
    return node.child_by_field_name("body")


def lambda_param(node: Node | None) -> str | None:
    node = unwrap(node)
    if node is None or node.type != "lambda_expression":
        return None
    params = node.child_by_field_name("parameters")
    if params is None:
        return None
    if params.type == "implicit_parameter":
        return text(params)
    names = [text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"]
    return names[0] if names else None


def last_lambda_param(node: Node | None) -> str | None:
    """The last parameter of a lambda: the HttpClient of `AddHttpClient<T>((sp, client) => ...)` (round 21)."""
    node = unwrap(node)
    params = node.child_by_field_name("parameters") if node is not None and node.type == "lambda_expression" else None
    if params is None or params.type == "implicit_parameter":
        return lambda_param(node)
    names = [text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"]
    return names[-1] if names else None


def descendants(node: Node, *types: str) -> Iterator[Node]:
    for child in walk(node):
        if child.type in types:
            yield child


def ancestors_of(node: Node) -> Iterator[Node]:
    return ancestors(node)


def listed_items(node: Node | None) -> int | None:
    """How many items a collection written out in full holds: ``{ a, b }``, ``new[] { a, b }``,
    ``new List<T> { a, b }``, ``[a, b]``, also through ``Array.AsReadOnly(...)`` / ``.ToList()``."""
    node = unwrap(node)
    for _ in range(4):
        if node is None:
            return None
        if node.type == "initializer_expression":
            return node.named_child_count
        if node.type == "collection_expression":
            return sum(1 for c in node.named_children if c.type == "collection_element")
        if node.type in ("array_creation_expression", "implicit_array_creation_expression",
                         "object_creation_expression"):
            init = node.child_by_field_name("initializer") or next(
                (c for c in node.named_children if c.type == "initializer_expression"), None)
            if init is None or (node.type == "object_creation_expression" and init.named_children and
                                init.named_children[0].type == "assignment_expression"):
                return None  # `new Options { X = 1 }` sets properties, it lists nothing
            return init.named_child_count
        if node.type == "invocation_expression":
            inv = invocation(node)
            if inv.name in ("AsReadOnly", "ToList", "ToArray", "ToImmutableArray", "ToImmutableList"):
                node = unwrap(inv.args[0]) if inv.args and inv.name == "AsReadOnly" and inv.receiver_text == "Array" \
                    else unwrap(inv.receiver)
                continue
        return None
    return None


def timespan_typed(node: Node | None) -> bool:
    """``_commandTimeout`` (or ``this._commandTimeout``) declared in this file as a ``TimeSpan`` or
    ``TimeSpan?``: a field, property, parameter or local of that name, every one a TimeSpan."""
    node = unwrap(node)
    if node is None:
        return False
    name = text(node)
    if name.startswith("this."):
        name = name[5:]
    if not name.isidentifier():
        return False
    root = node
    while root.parent is not None:
        root = root.parent
    types = []
    for decl in walk(root):
        type_node = None
        if decl.type == "variable_declarator" and text(decl.child_by_field_name("name")) == name:
            declaration = decl.parent
            type_node = declaration.child_by_field_name("type") if declaration is not None else None
        elif decl.type in ("parameter", "property_declaration") and text(decl.child_by_field_name("name")) == name:
            type_node = decl.child_by_field_name("type")
        if type_node is not None:
            types.append(text(type_node).rstrip("?"))
    return bool(types) and all(t in ("TimeSpan", "System.TimeSpan") for t in types)


_PURE_TYPES = ("Math", "MathF", "TimeSpan", "System.TimeSpan", "Convert")


def parameter_derived(node: Node | None) -> bool:
    """``var connectTimeout = Math.Clamp(timeout / 5, 2, 5); .. ConnectTimeout = TimeSpan.FromSeconds(connectTimeout)``
    in ``Download(string url, int timeout)``: a value computed only from the method's own parameters that have no
    default (and numbers): the callers' values, so a forwarder of theirs (its contract is at the calls), even
    when no expression can carry it there. False for anything reading a field, a setting or another call."""
    found: list[bool] = []
    through_local: list[bool] = []  # a bare parameter (or a duration of one) is the core's forwarder already

    def walk_value(n: Node | None, depth: int) -> bool:
        n = unwrap(n)
        if n is None or depth > 6:
            return False
        if n.type in ("integer_literal", "real_literal"):
            return True
        if n.type == "identifier":
            name = text(n)
            bound = local_value(name, n)
            if bound is not None:
                through_local.append(True)
                return walk_value(bound, depth + 1)
            method = enclosing(n, ("method_declaration", "constructor_declaration", "local_function_statement"))
            params = method.child_by_field_name("parameters") if method is not None else None
            for p in (params.named_children if params is not None else []):
                if p.type == "parameter" and text(p.child_by_field_name("name")) == name:
                    if parameter_default(name, p) is not None:
                        return False  # a default set in code: a contract of its own (rule a)
                    found.append(True)
                    return True
            return False
        if n.type in ("binary_expression",):
            return all(walk_value(n.child_by_field_name(s), depth + 1) for s in ("left", "right"))
        if n.type in ("cast_expression", "prefix_unary_expression", "checked_expression"):
            return walk_value(n.named_children[-1] if n.named_children else None, depth + 1)
        if n.type == "member_access_expression" and text(n.child_by_field_name("name")).startswith(("Total", "Value")):
            return walk_value(n.child_by_field_name("expression"), depth + 1)
        if n.type == "invocation_expression":
            inv = invocation(n)
            if inv.receiver_text in ("Math", "MathF", "Convert"):
                through_local.append(True)  # round 12: `Convert.ToInt32(Math.Ceiling(timeout.Value.TotalMilliseconds))`
            return inv.receiver_text in _PURE_TYPES and bool(inv.args) and \
                all(walk_value(a, depth + 1) for a in inv.args)
        return False

    return walk_value(node, 0) and bool(found) and bool(through_local)
