"""Round 21 (Go helper): a project's own retry helper bounded by a functional option.

    // package retry
    type Option func(int, error) bool
    func Do(fn func(attempt int) (bool, error), opts ...Option) error { for { for _, opt = range opts {
        if !opt(n, err) { return err } }; ...; n++ } }
    func Limit(n int) Option { return func(a int, _ error) bool { return a < n } }

    // a caller (goalert)
    err = retry.DoTemporaryError(func(int) error { ... },
        retry.Log(ctx),
        retry.Limit(10),
        retry.FibBackoff(time.Second),
    )

`Limit` answers "try again?" for attempt `a` (counted from 0) while `a < n`: n tries (`a <= n`: n + 1).
The option's file publishes `Limit.$attempts_option:0` (and `<package>.Limit...`) = 1 + the extra try,
and a call handing `retry.Limit(10)` to another call proposes a retry of 10 tries AT THAT CALL (the
helper call's line, the convention for a multi-line call), kept only where the option is published. A
list of options kept in a variable (`retryOpts := []retry.Option{..., retry.Limit(10), ...}`) and handed
to several calls is the policy's definition: the retry is proposed at the list. An option's value that
is not known (`retry.Limit(m.cfg.SMTP.Retries)`, a config field without default) is null.
"""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Num, Ref, Unknown
from extractors import wrappers
from extractors.go.detectors.wrapper_call import _callee, _forwarded, _integer_like, _may_carry, _package_name
from extractors.go.gofile import Draft, GoFile, inner_expression, node_text

ID = "go.wrapper_call"  # proposals, as the project-helper proposals of detectors/wrapper_call.py
ATTEMPTS_OPTION = "$attempts_option"

_INTEGER = re.compile(r"u?int(8|16|32|64)?")
# an option named for a bound on tries (`Limit`, `MaxAttempts`, `Retries`, `Tries`)
_BOUND_OPTION = re.compile(r"(?i)limit|attempt|retr|tries|max|times")


def _single_statement(block) -> object | None:
    if block is None:
        return None
    statements = [c for c in block.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    return statements[0] if len(statements) == 1 else None


def _returned(statement) -> object | None:
    if statement is None or statement.type != "return_statement" or statement.named_child_count != 1:
        return None
    value = statement.named_children[0]
    if value.type == "expression_list" and value.named_child_count == 1:
        value = value.named_children[0]
    return inner_expression(value)


def _param_names(params) -> list[tuple[str, str]]:
    out = []
    for decl in params.named_children if params is not None else []:
        type_node = decl.child_by_field_name("type")
        names = decl.children_by_field_name("name")
        for n in names or [None]:
            out.append((node_text(n) if n is not None else "_", node_text(type_node) if type_node is not None else ""))
    return out


def _attempt_limit(fn) -> float | None:
    """`func Limit(n int) Option { return func(a int, _ error) bool { return a < n } }` -> the tries beyond n
    the option allows (0 for `a < n` / `n > a`, 1 for `a <= n` / `n >= a`); None for any other function."""
    params = _param_names(fn.child_by_field_name("parameters"))
    if len(params) != 1 or not _INTEGER.fullmatch(params[0][1]):
        return None
    bound = params[0][0]
    literal = _returned(_single_statement(fn.child_by_field_name("body")))
    if literal is None or literal.type != "func_literal":
        return None
    inner = _param_names(literal.child_by_field_name("parameters"))
    if not inner or not _INTEGER.fullmatch(inner[0][1]) or inner[0][0] in ("_", bound):
        return None
    if node_text(literal.child_by_field_name("result")).strip() != "bool":
        return None
    compared = _returned(_single_statement(literal.child_by_field_name("body")))
    if compared is None or compared.type != "binary_expression":
        return None
    left, right = (inner_expression(compared.child_by_field_name(k)) for k in ("left", "right"))
    op = node_text(compared.child_by_field_name("operator"))
    attempt = inner[0][0]
    if node_text(left) == attempt and node_text(right) == bound and op in ("<", "<="):
        return 0.0 if op == "<" else 1.0
    if node_text(left) == bound and node_text(right) == attempt and op in (">", ">="):
        return 0.0 if op == ">" else 1.0
    return None


def publish(gf: GoFile, findings: list[Finding]) -> dict[str, object]:
    """`<name>.$attempts_option:0` for each attempt-limit option this file declares, `<name>.$policy_param`
    for each retry helper run by a backoff policy it is handed."""
    out: dict[str, object] = publish_policies(gf, findings)
    out.update(steps_symbols(gf))
    out.update(backoff_param_symbols(gf))
    package = _package_name(gf)
    out.update(_option_chains(gf, package))
    if b"func(" not in gf.data or b"bool" not in gf.data:
        return out
    for fn in gf.root.named_children:
        if fn.type != "function_declaration" or fn.child_by_field_name("name") is None:
            continue
        extra = _attempt_limit(fn)
        if extra is None:
            continue
        name = node_text(fn.child_by_field_name("name"))
        for n in ((name, f"{package}.{name}") if package else (name,)):
            out[f"{n}.{ATTEMPTS_OPTION}:0"] = Num(1.0 + extra)
    return out


def _option_chains(gf: GoFile, package: str | None) -> dict[str, object]:
    """`func Wrap(fn F, attempts int, backoff time.Duration) F { ... DoTemporaryError(op, Log(ctx),
    Limit(attempts), FibBackoff(backoff)) ... }`: a helper handing its own parameter to an attempt-limit
    option publishes that parameter as its attempts bound (`Wrap.$attempts_param:1`), valued by the option's
    publication, so `retry.Wrap(lookup, 12, d)` is a retry of 12 tries (goalert's pgx dial and lookup)."""
    out: dict[str, object] = {}
    for call in gf.calls:
        if len(call.args) != 1 or _holder(call.node) is None:
            continue
        arg = inner_expression(call.args[0])
        if arg.type != "identifier" or not _forwarded(gf, arg):
            continue
        callee = _callee(gf, call)
        fns = [f for f in gf.enclosing_functions(call.node) if f.type == "function_declaration"]
        if callee is None or not fns or fns[-1].child_by_field_name("name") is None:
            continue
        names = [n for n, _, _ in _function_params(fns[-1])]
        if node_text(arg) not in names:
            continue  # a parameter of a closure inside
        name = node_text(fns[-1].child_by_field_name("name"))
        index = names.index(node_text(arg))
        marker = Ref(f"{callee}.{ATTEMPTS_OPTION}:0")
        for n in ((name, f"{package}.{name}") if package else (name,)):
            for slot in (index, node_text(arg)):
                out.setdefault(f"{n}.{wrappers.ATTEMPTS_PARAM}:{slot}", marker)
    return out


def _holder(node):
    """Where an option handed to something is reported: the call it is an argument of, or the list of
    options (a composite literal) it is an element of; None when it stands alone."""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is not None and parent.type == "argument_list" and parent.parent is not None and \
            parent.parent.type == "call_expression":
        return parent.parent
    if parent is not None and parent.type == "literal_element":
        parent = parent.parent
    if parent is not None and parent.type == "literal_value" and parent.parent is not None and \
            parent.parent.type == "composite_literal":
        return parent.parent
    return None


def detect(gf: GoFile) -> list[Draft]:
    """A retry proposed where a project option bounding attempts is handed on (kept if published)."""
    drafts: list[Draft] = []
    if b"(" not in gf.data:
        return drafts
    for call in gf.calls:
        if len(call.args) != 1 or call.receiver is None:
            continue
        holder = _holder(call.node)
        if holder is None:
            continue
        callee = _callee(gf, call)
        if callee is None or "." not in callee:
            continue  # a project package's option (`retry.Limit(10)`), not a method of some value
        arg = inner_expression(call.args[0])
        if not _BOUND_OPTION.search(call.name or "") or not call.name[:1].isupper() or not _may_carry(arg) or \
                arg.type in ("func_literal", "call_expression") or \
                arg.type in ("interpreted_string_literal", "raw_string_literal") or not _integer_like(gf, arg):
            continue  # only a count can bound tries
        if _forwarded(gf, arg):
            continue  # `retry.Limit(attempts)` in `func Wrap(fn, attempts int, ...)`: Wrap's callers' bound
        value = gf.to_expr(arg)
        if isinstance(value, Unknown):
            value = Ref(node_text(arg))
        marker = Ref(f"{callee}.{ATTEMPTS_OPTION}:0")
        expression = " ".join(node_text(call.node).split())
        finding = wrappers._finding(gf.path, "go", holder, ID, "retry", "medium", "", {
            "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
            "expression": expression, "via": callee},
            (Pending("max_attempts", BinOp("-", BinOp("+", value, marker), Num(1)), 1.0),
             Pending(wrappers.KEEP_IF, marker, None)))
        drafts.append(Draft(finding))
    return drafts + policy_proposals(gf) + policy_struct_drafts(gf)


# --- a project's retry loop run by a policy its caller hands in ---------------------------------------
#
#   func Retry(ctx context.Context, operation backoff.Operation, bo backoff.BackOff, ns *State) error {
#       bo.Reset()
#       for { err := operation(); if err == nil { return nil }; next := bo.NextBackOff(); if next == backoff.Stop {
#           return err }; ... }
#   }
#
# (netbird's nbgrpc.Retry, a copy of backoff.Retry), and goalert's `retry.Do(fn, opts ...Option)` whose loop
# stops when one of the options handed in says so (`for _, opt = range opts { if !opt(n, err) { return err } }`):
# the loop's bound is its caller's policy, so the loop is a forwarder (dropped), the helper publishes
# `<name>.$policy_param` and each call of it handing a backoff policy is proposed as a retry (null: a
# policy's count is its builder's; the options of `Do` are read by the option proposals above).
POLICY_PARAM = "$policy_param"
_BACKOFF_TYPE = re.compile(r"(?i)\bback_?off\b|BackOff$|Backoff$")


def _function_params(fn) -> list[tuple[str, str, bool]]:
    out = []
    params = fn.child_by_field_name("parameters")
    for decl in params.named_children if params is not None else []:
        type_node = decl.child_by_field_name("type")
        variadic = decl.type == "variadic_parameter_declaration"
        for n in decl.children_by_field_name("name"):
            out.append((node_text(n), node_text(type_node) if type_node is not None else "", variadic))
    return out


def _own_text(loop) -> str:
    """The loop's text without the loops nested in it (a policy stopping an inner loop is not this one's)."""
    text = node_text(loop)
    body = loop.child_by_field_name("body")
    for node in _walk(body) if body is not None else ():
        if node.type == "for_statement" and node.id != loop.id:
            text = text.replace(node_text(node), "")
    return text


def _policy_loop(gf: GoFile, loop, fn) -> tuple[int, bool] | None:
    """(index of the parameter whose policy stops this loop, whether it is a backoff policy) or None."""
    text = _own_text(loop)
    for index, (name, type_text, variadic) in enumerate(_function_params(fn)):
        if not variadic and _BACKOFF_TYPE.search(type_text.split(".")[-1]) and \
                re.search(rf"\b{re.escape(name)}\s*\.\s*NextBackOff\s*\(", text):
            return index, True
        if variadic:
            whole = node_text(loop)
            ranged = re.search(rf"for\s+_\s*,\s*(\w+)\s*:?=\s*range\s+{re.escape(name)}\b", whole)
            if ranged and re.search(rf"!\s*{re.escape(ranged.group(1))}\s*\(", whole):
                return index, False
    return None


def _loop_at(gf: GoFile, line: int):
    stack = [gf.root]
    while stack:
        node = stack.pop()
        if node.type == "for_statement" and node.start_point[0] + 1 == line:
            return node
        if node.start_point[0] + 1 <= line <= node.end_point[0] + 1:
            stack.extend(node.named_children)
    return None


def _forwarding(gf: GoFile, f: Finding) -> tuple[object, int, bool] | None:
    if f.kind != "retry" or f.detector != "go.retry":
        return None
    loop = _loop_at(gf, f.line)
    fns = gf.enclosing_functions(loop) if loop is not None else []
    fn = fns[0] if fns else None
    if fn is None or fn.type not in ("function_declaration", "method_declaration"):
        return None
    found = _policy_loop(gf, loop, fn)
    return (fn, *found) if found is not None else None


def adjust(gf: GoFile, findings: list[Finding]) -> list[Finding]:
    """Drops the retry loops whose bound is a policy the function was handed."""
    if b"NextBackOff" not in gf.data and b"range" not in gf.data:
        return findings
    return [f for f in findings if _forwarding(gf, f) is None]


def publish_policies(gf: GoFile, findings: list[Finding]) -> dict[str, object]:
    out: dict[str, object] = {}
    package = _package_name(gf)
    for f in findings:
        found = _forwarding(gf, f)
        if found is None or not found[2] or found[0].type != "function_declaration":
            continue
        name = node_text(found[0].child_by_field_name("name"))
        for n in ((name, f"{package}.{name}") if package else (name,)):
            out[f"{n}.{POLICY_PARAM}"] = Num(float(found[1]))
    return out


def policy_proposals(gf: GoFile) -> list[Draft]:
    drafts: list[Draft] = []
    for call in gf.calls:
        if len(call.args) < 2 or call.receiver is None:
            continue
        callee = _callee(gf, call)
        if callee is None or "." not in callee or not re.search(r"(?i)retry|retries|backoff", callee.rsplit(".", 1)[-1]):
            continue
        marker = Ref(f"{callee}.{POLICY_PARAM}")
        finding = wrappers._finding(gf.path, "go", call.node, ID, "retry", "medium", "", {
            "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
            "expression": " ".join(node_text(call.node).split())[:200], "via": callee},
            (Pending(wrappers.KEEP_IF, marker, None),))
        drafts.append(Draft(finding))
    return drafts


# --- a project retry helper handed a policy struct, defaulted when nil (argo-events' DoWithRetry) ---------
#
#   var DefaultBackoff = aev1.Backoff{Steps: 5, Duration: &d, ...}
#   func DoWithRetry(backoff *aev1.Backoff, f func() error) error {
#       if backoff == nil { backoff = &DefaultBackoff }
#       b, err := Convert2WaitBackoff(backoff)
#       ...
#       _ = wait.ExponentialBackoff(*b, func() (bool, error) { ... })
#   }
#   // callers: DoWithRetry(&sharedutil.DefaultBackoff, f), DoWithRetry(nil, f),
#   //          DoWithRetry(spec.ConnectionBackoff, f), DoWithRetry(&backoff, f) with backoff := aev1.Backoff{Steps: 10}
#
# The policy type's Steps count every try (wait.ExponentialBackoff, client-go's retry.OnError). A package
# variable holding such a literal publishes `<Var>.$steps`; the helper publishes `<F>.$backoff_param:<i>` =
# its nil default's steps and reports its own retry call with that default (rule a); each call handing it
# a policy is proposed with that policy's Steps: a literal of the call's function, a package variable
# (`&sharedutil.DefaultBackoff`), else (nil, a spec's field left unset) the helper's default (rule b).
# A library retry handed a policy converted from such a variable (`b, _ := Convert(&DefaultBackoff);
# wait.ExponentialBackoff(*b, cond)`) takes that variable's Steps.
BACKOFF_PARAM = "$backoff_param"
STEPS = "$steps"
_POLICY_TYPE = re.compile(r"Backoff$|BackOff$|RetryStrategy$|RetryPolicy$")
_LIBRARY_RETRY = re.compile(r"\b(?:wait\.ExponentialBackoff\w*|retry\.OnError|retry\.RetryOnConflict)\(")


def _policy_literal(node) -> object | None:
    """The composite literal of a policy type holding `Steps` (`aev1.Backoff{Steps: 5}`, `&T{...}`)."""
    node = inner_expression(node) if node is not None else None
    if node is not None and node.type == "unary_expression" and node_text(node).startswith("&"):
        node = inner_expression(node.child_by_field_name("operand"))
    if node is None or node.type != "composite_literal":
        return None
    type_text = node_text(node.child_by_field_name("type"))
    if not _POLICY_TYPE.search(type_text.split(".")[-1]):
        return None
    body = node.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        if element.type == "keyed_element" and element.named_child_count == 2:
            key = element.named_children[0]
            key = key.named_children[0] if key.type == "literal_element" and key.named_children else key
            if node_text(key) == "Steps":
                value = element.named_children[1]
                return value.named_children[0] if value.type == "literal_element" and value.named_children else value
    return None


def steps_symbols(gf: GoFile) -> dict[str, object]:
    """`<Var>.$steps` for each package variable holding a policy literal with Steps."""
    out: dict[str, object] = {}
    if b"Steps" not in gf.data:
        return out
    for decl in gf.root.named_children:
        if decl.type != "var_declaration":
            continue
        specs = [s for c in decl.named_children for s in ([c] if c.type == "var_spec" else c.named_children)
                 if s.type == "var_spec"]
        for spec in specs:
            names = spec.children_by_field_name("name")
            value = spec.child_by_field_name("value")
            values = value.named_children if value is not None and value.type == "expression_list" else [value]
            if len(names) != 1 or len(values) != 1:
                continue
            steps = _policy_literal(values[0])
            if steps is not None:
                expr = gf.to_expr(steps)
                if not isinstance(expr, Unknown):
                    out[f"{node_text(names[0])}.{STEPS}"] = expr
    return out


def _steps_of(gf: GoFile, node, at) -> object | None:
    """The Steps of the policy a node names: a literal (`&T{Steps: 10}`), a local bound to one, or a package
    variable (`&DefaultBackoff`, `&sharedutil.DefaultBackoff`, through `<Var>.$steps`)."""
    node = inner_expression(node)
    if node.type == "unary_expression" and node_text(node).startswith("&"):
        node = inner_expression(node.child_by_field_name("operand"))
    literal = _policy_literal(node)
    if literal is not None:
        return gf.to_expr(literal)
    if node.type == "identifier":
        bound = gf.default_binding(node_text(node), at)
        if hasattr(bound, "type"):
            literal = _policy_literal(bound)
            if literal is not None:
                return gf.to_expr(literal)
            if bound.type in ("unary_expression", "identifier", "selector_expression") and bound is not node:
                return _steps_of(gf, bound, at) if bound.start_byte < at.start_byte else None
        if bound is None:
            return Ref(f"{node_text(node)}.{STEPS}")
        return None
    if node.type == "selector_expression":
        operand = node.child_by_field_name("operand")
        if operand is not None and operand.type == "identifier" and node_text(operand) in gf.imports and \
                gf.lookup_local(node_text(operand), at) is None:
            return Ref(f"{node_text(operand)}.{node_text(node.child_by_field_name('field'))}.{STEPS}")
    return None


def _nil_default_param(gf: GoFile, fn) -> tuple[int, object, object] | None:
    """(index, the default's steps, the library retry call node) for `if p == nil { p = &Default }` before a
    library retry in a function whose parameter p is a policy pointer."""
    body = fn.child_by_field_name("body")
    if body is None or not _LIBRARY_RETRY.search(node_text(body)):
        return None
    for index, (name, type_text, variadic) in enumerate(_function_params(fn)):
        if variadic or not type_text.startswith("*") or not _POLICY_TYPE.search(type_text.split(".")[-1]):
            continue
        found = re.search(rf"if\s+{re.escape(name)}\s*==\s*nil\s*\{{\s*{re.escape(name)}\s*=\s*([&\w.]+)\s*\}}",
                          node_text(body))
        if not found:
            continue
        assigned = next((n for n in _walk(body) if n.type == "assignment_statement"
                         and node_text(n.child_by_field_name("left")).strip() == name), None)
        right = assigned.child_by_field_name("right") if assigned is not None else None
        default = _steps_of(gf, right.named_children[0], right) if right is not None and right.named_children else None
        call = next((c for c in gf.calls_within(body.start_byte, body.end_byte)
                     if _LIBRARY_RETRY.search(node_text(c.node).split("(")[0] + "(")), None)
        if default is not None and call is not None:
            return index, default, call.node
    return None


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.named_children))


def backoff_param_symbols(gf: GoFile) -> dict[str, object]:
    out: dict[str, object] = {}
    if b"nil" not in gf.data or not _LIBRARY_RETRY.search(gf.data.decode("utf-8", "replace")):
        return out
    package = _package_name(gf)
    for fn in gf.root.named_children:
        if fn.type != "function_declaration" or fn.child_by_field_name("name") is None:
            continue
        found = _nil_default_param(gf, fn)
        if found is None:
            continue
        name = node_text(fn.child_by_field_name("name"))
        for n in ((name, f"{package}.{name}") if package else (name,)):
            out[f"{n}.{BACKOFF_PARAM}:{found[0]}"] = found[1]
    return out


def _library_retry_draft(gf: GoFile, node, steps, expression: str, pending_only: bool) -> Draft:
    pending = (Pending("max_attempts", steps, 1.0),) + ((Pending(wrappers.KEEP_IF, steps, None),) if pending_only else ())
    return Draft(gf.finding("retry", node, "go.libraries",
                            {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                             "mechanism": "client_config", "library": "k8s.io/apimachinery/wait",
                             "expression": expression}, confidence="medium", pending=pending))


def policy_struct_drafts(gf: GoFile) -> list[Draft]:
    """Rule (a) at the helper's own library retry, the calls handing it a policy, and a library retry of a
    policy converted from a package variable."""
    drafts: list[Draft] = []
    if b"ackoff" not in gf.data and b"etry" not in gf.data:
        return drafts
    for fn in gf.root.named_children:
        if fn.type == "function_declaration":
            found = _nil_default_param(gf, fn)
            if found is not None:
                drafts.append(_library_retry_draft(gf, found[2], found[1], "the policy's Steps (default when nil)",
                                                   False))
    for call in gf.calls:
        if not call.args:
            continue
        text = node_text(call.node)
        if _LIBRARY_RETRY.match(text.split("(")[0] + "(") or _LIBRARY_RETRY.search(text.split("(")[0] + "("):
            first = inner_expression(call.args[0])
            if first.type == "unary_expression" and node_text(first).startswith("*"):
                held = inner_expression(first.child_by_field_name("operand"))
                bound = gf.lookup_local(node_text(held), call.node) if held.type == "identifier" else None
                made = gf.call_at(bound) if hasattr(bound, "type") and bound.type == "call_expression" else None
                if made is not None and len(made.args) == 1 and node_text(made.args[0]).startswith("&"):
                    steps = _steps_of(gf, made.args[0], call.node)
                    if steps is not None:
                        drafts.append(_library_retry_draft(gf, call.node, steps, f"Steps of {node_text(made.args[0])}",
                                                           True))
            continue
        callee = _callee(gf, call)
        if callee is None or not re.search(r"(?i)retry|backoff", callee.rsplit(".", 1)[-1]):
            continue
        for index, arg in enumerate(call.args):
            node = inner_expression(arg)
            if node.type == "func_literal":
                continue
            if node_text(node) != "nil" and not re.search(r"(?i)backoff|retry|strategy|policy", node_text(node)):
                continue
            marker = Ref(f"{callee}.{BACKOFF_PARAM}:{index}")
            given = _steps_of(gf, node, call.node) if node_text(node) != "nil" else None
            value = Call("coalesce", (given, marker)) if given is not None else marker
            finding = wrappers._finding(gf.path, "go", call.node, ID, "retry", "medium", "", {
                "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                "expression": f"{node_text(node)} (a policy's Steps, else the helper's default)", "via": callee},
                (Pending("max_attempts", value, 1.0), Pending(wrappers.KEEP_IF, marker, None)))
            drafts.append(Draft(finding))
    return drafts
