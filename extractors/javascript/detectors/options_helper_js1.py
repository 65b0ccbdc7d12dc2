"""Options helpers: a function or method that returns a client's request options, spread into (or
handed as) the options of requests elsewhere, often in another file (a base class's method).

What it does: a function or class method whose body returns an object literal with a ``timeout``
(a number, or got's ``{ request }`` / ``{ total }``), a ``signal: AbortSignal.timeout(ms)`` or a
``retry`` (a number, or ``{ limit }`` / ``{ retries }``, retries after the first try) publishes them
under its name, service-wide (``<name>.$options_helper:timeout`` / ``:attempts``); a request of a
known client (got, ky, axios, fetch, ofetch, ...) whose options spread ``...this.gotRequestOptions()``
(or are such a call, ``got.post(url, this.requestOptions())``) and set no timeout (or retry) of their
own gets a timeout (a retry, for the clients that read a ``retry`` option) with the helper's value, on
the request's line; kept only when some file of the service publishes that helper (round 13, the
checkmate set: every notification provider spreads its base class's options).

Also an undici dispatcher's options declared once and handed by name (``const AGENT_OPTS = {
headersTimeout, bodyTimeout }; new Agent(AGENT_OPTS)``, also through ``Object.assign({}, AGENT_OPTS,
...)``; ``const RETRY_OPTS = { maxRetries: 5 }; new RetryAgent(agent, RETRY_OPTS)``): each setting on
its key's line (the inline objects are client_options'; round 13, EmailEngine's shared dispatchers).

Never: a returned object without those keys, a spread of an object the file can see (the client
detectors read it), a request whose own options set the timeout after the spread, a call of a
helper whose name says nothing of options handed whole as an argument (``fetch(this.url())``).

Why it matters: the options helper is where the timeout and the retry policy of every one of
those requests are written; the requests themselves show neither.

Example::

    // base.ts
    protected gotRequestOptions() { return { timeout: { request: this.timeoutMs }, retry: { limit: 0 } }; }
    // discord.ts
    await got.post(url, { json, ...this.gotRequestOptions() });   // timeout 30000, 1 attempt
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Expr, Num, Ref
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, descendants, dotted, enclosing_function, js_detector, unwrap

ID = "javascript.options_helper"
TIMEOUT_KEY = "$options_helper:timeout"
ATTEMPTS_KEY = "$options_helper:attempts"
# the clients whose request options take a `retry` key (got's `{ limit }`, ky's number or `{ limit }`)
_RETRY_CLIENTS = frozenset({"got", "ky"})
# a call handed whole as the options argument must say it makes options
_OPTIONS_NAME = re.compile(r"(option|config|settings|opts|params|defaults)", re.I)
_TOTAL_PHASES = ("request", "total")


@js_detector(ID, ["timeout", "retry"],
             valid=['function options() { return { headers: { a: 1 } }; }\nawait got.post(url, { ...options() });',
                    'await fetch(this.url(), { method: "POST" }); // a timeout nowhere'],
             invalid=['import got from "got";\nawait got.post(url, { json, ...this.gotRequestOptions() });'])
def detect(ctx: FileContext) -> None:
    if b"undici" in ctx.data:
        _undici_named_options(ctx)
    if b".timeout" in ctx.data:
        _guarded_defaults_findings_js1(ctx)
    for outbound in list(ctx.outbound.values()):
        call = outbound.node
        if call.type != "call_expression":
            continue
        args = call.child_by_field_name("arguments")
        if args is None:
            continue
        for arg in args.named_children:
            helper, own = _spread_helper(ctx, arg)
            if helper is None:
                continue
            if "timeout" not in own and "signal" not in own:
                sym = f"{helper}.{TIMEOUT_KEY}"
                ctx.finding("timeout", call, ID, {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                                  "expression": f"(options helper) {helper}()", "via": helper},
                            "medium", outbound.target,
                            (Pending("timeout_ms", Ref(sym)), Pending(KEEP_IF, Ref(sym))) + tuple(outbound.pending))
            if outbound.library in _RETRY_CLIENTS and "retry" not in own:
                sym = f"{helper}.{ATTEMPTS_KEY}"
                ctx.finding("retry", call, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                                "mechanism": "call", "library": outbound.library,
                                                "expression": f"(options helper) {helper}()", "via": helper},
                            "medium", outbound.target,
                            (Pending("max_attempts", Ref(sym)), Pending(KEEP_IF, Ref(sym))) + tuple(outbound.pending))
            break


def _spread_helper(ctx: FileContext, arg: ts.Node) -> tuple[str | None, set[str]]:
    """(the helper's name, the keys the options set themselves) for `{ ...this.opts(), a }` or a
    whole `this.requestOptions()` argument."""
    arg = unwrap(arg)
    if arg is None:
        return None, set()
    if arg.type == "call_expression":
        name = _callee_name(arg)
        if name and _OPTIONS_NAME.search(name) and not _args(arg):
            return name, set()
        return None, set()
    if arg.type != "object":
        return None, set()
    helper, own = None, set()
    for child in arg.named_children:
        if child.type == "spread_element" and child.named_children:
            inner = unwrap(child.named_children[0])
            if inner is not None and inner.type == "call_expression" and ctx.resolve_object(inner) is None:
                name = _callee_name(inner)
                if name:
                    helper, own = name, set()  # keys written before the spread are overridden by it
        elif child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None:
                own.add(ts.text(key).strip("'\""))
        elif child.type == "shorthand_property_identifier":
            own.add(ts.text(child))
    return helper, own


def _args(call: ts.Node) -> list[ts.Node]:
    args = call.child_by_field_name("arguments")
    return list(args.named_children) if args is not None else []


def _callee_name(call: ts.Node) -> str | None:
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None:
        return None
    if fn.type == "identifier":
        return ts.text(fn)
    if fn.type == "member_expression":
        prop = fn.child_by_field_name("property")
        return ts.text(prop) if prop is not None else None
    return None


def publish(ctx: FileContext) -> dict[str, Expr]:
    """`<name>.$options_helper:timeout|attempts` for the file's functions and methods returning
    request options (see the module doc)."""
    out: dict[str, Expr] = {}
    if b".timeout" in ctx.data:
        _guarded_defaults_publish_js1(ctx, out)
    for fn, name in _named_functions(ctx):
        for obj in _returned_objects(ctx, fn):
            props = ctx.props(obj) or {}
            timeout = _timeout_expr(ctx, props)
            if timeout is not None:
                out.setdefault(f"{name}.{TIMEOUT_KEY}", timeout)
            attempts = _attempts_expr(ctx, props.get("retry"))
            if attempts is not None:
                out.setdefault(f"{name}.{ATTEMPTS_KEY}", attempts)
    return out


def _named_functions(ctx: FileContext):
    for node in ctx.nodes_of("method_definition"):
        name = node.child_by_field_name("name")
        if name is not None and ts.text(name) != "constructor":
            yield node, ts.text(name)
    for node in ctx.nodes_of("function_declaration"):
        name = node.child_by_field_name("name")
        if name is not None:
            yield node, ts.text(name)
    for node in list(ctx.nodes_of("variable_declarator")) + list(ctx.nodes_of("public_field_definition")) + \
            list(ctx.nodes_of("field_definition")):
        name = node.child_by_field_name("name") or node.child_by_field_name("property")
        value = unwrap(node.child_by_field_name("value"))
        if name is not None and value is not None and value.type in ("arrow_function", "function_expression",
                                                                      "function"):
            yield value, ts.text(name)


def _returned_objects(ctx: FileContext, fn: ts.Node):
    body = fn.child_by_field_name("body")
    if body is None:
        return
    body = unwrap(body)
    if body is not None and body.type == "object":  # `() => ({ timeout: 5000 })`
        yield body
        return
    for node in descendants(body, stop_at_functions=True):
        if node.type == "return_statement" and node.named_children:
            obj = ctx.resolve_object(node.named_children[0])
            if obj is not None:
                yield obj


def _timeout_expr(ctx: FileContext, props: dict) -> Expr | None:
    node = props.get("timeout")
    if node is not None:
        phases = ctx.props(ctx.resolve_object(node))
        if phases is not None:
            node = next((phases[k] for k in _TOTAL_PHASES if k in phases), None)
    if node is None:
        signal = unwrap(props.get("signal"))
        if signal is not None and signal.type == "call_expression" and \
                dotted(signal.child_by_field_name("function")).endswith("AbortSignal.timeout"):
            found = _args(signal)
            node = found[0] if found else None
    if node is None:
        return None
    attrs, _, pending = ctx.timeout_value(node)
    if isinstance(attrs.get("timeout_ms"), (int, float)) and attrs["timeout_ms"]:
        return Num(float(attrs["timeout_ms"]))
    expr = next((p.expr for p in pending if p.attribute == "timeout_ms"), None)
    return expr


def _attempts_expr(ctx: FileContext, node: ts.Node | None) -> Expr | None:
    if node is None:
        return None
    limit = node
    fields = ctx.props(ctx.resolve_object(node))
    if fields is not None:
        limit = next((fields[k] for k in ("limit", "retries", "maxRetries") if k in fields), None)
        if limit is None:
            return None
    count, _, pending = ctx.count_value(limit, 1.0)
    if count is not None:
        return Num(float(count))
    expr = next((p.expr for p in pending if p.attribute == "max_attempts"), None)
    return expr if expr is not None else BinOp("+", ctx.to_expr(limit), Num(1.0))


_UNDICI_TIMEOUTS = {"headersTimeout": "read", "bodyTimeout": "read", "connectTimeout": "connect"}


def _undici_named_options(ctx: FileContext) -> None:
    """`const AGENT_OPTS = {...}; new Agent(AGENT_OPTS)` / `new RetryAgent(agent, RETRY_OPTS)` (see the
    module doc)."""
    handed: dict[str, set[str]] = {}  # const name -> the undici constructors it reaches
    for call in ctx.calls:
        if not call.is_new or not call.qualified.startswith("undici."):
            continue
        for arg in call.args:
            arg = unwrap(arg)
            names = [arg] if arg is not None and arg.type == "identifier" else []
            if arg is not None and arg.type == "call_expression" and \
                    dotted(arg.child_by_field_name("function")) == "Object.assign":
                names = [unwrap(a) for a in _args(arg)]
            for name in names:
                if name is not None and name.type == "identifier":
                    handed.setdefault(ts.text(name), set()).add(call.qualified.rsplit(".", 1)[-1])
    if not handed:
        return
    taken = {(f.line, f.kind, f.attributes.get("phase")) for f in ctx.findings}
    for node in ctx.nodes_of("variable_declarator"):
        name, value = node.child_by_field_name("name"), unwrap(node.child_by_field_name("value"))
        if name is None or value is None or value.type != "object" or ts.text(name) not in handed:
            continue
        makers = handed[ts.text(name)]
        for pair in value.named_children:
            if pair.type != "pair":
                continue
            key, item = ts.text(pair.child_by_field_name("key")), pair.child_by_field_name("value")
            if item is None:
                continue
            line = pair.start_point[0] + 1
            if key in _UNDICI_TIMEOUTS and makers - {"RetryAgent"}:
                phase = _UNDICI_TIMEOUTS[key]
                if (line, "timeout", phase) in taken or (line, "timeout", None) in taken:
                    continue
                attrs, confidence, pending = ctx.timeout_value(item)
                attrs["phase"] = phase
                attrs["library"] = "undici"
                ctx.finding("timeout", pair, ID, attrs, confidence, None, pending)
            elif key == "maxRetries" and "RetryAgent" in makers and not any(
                    t[0] == line and t[1] == "retry" for t in taken):
                count, confidence, pending = ctx.count_value(item, 1.0)
                ctx.finding("retry", pair, ID, {"max_attempts": count, "backoff": "exponential", "retry_on": None,
                                                "mechanism": "client_config", "library": "undici"},
                            confidence, None, pending)


# (round 16, js1) A request helper defaulting its options parameter's timeout in its body:
# `if (!options.timeout) options.timeout = settings.axios.timeout; ... await axios(options)`, also
# `options.timeout = options.timeout || 30000`, `opts.timeout ??= DEFAULT_TIMEOUT`. The default is the
# helper's own contract on the assignment's line (rule a); a call leaving the member out (no argument
# there, or an object literal without `timeout`) gets it (rule b, published as a defaulted options
# member is: `<name>.$timeout_omitted|$timeout_default:<count>`); a call passing one keeps its value
# (rule c, wrapper_call's `$timeout_param:<k>.timeout`). Only a parameter the function hands on whole
# or spread to an outbound request it makes (an options bag of a request), never a local object, never
# an assignment outside such a guard (`options.timeout = 5000` is the request's own setting).
def _guarded_defaults_js1(ctx: FileContext, fn: ts.Node) -> list[tuple[str, int, ts.Node, ts.Node]]:
    """(parameter, position, assignment, default value) of each guarded `P.timeout` default of ``fn``
    whose parameter P is handed to one of its outbound requests."""
    params_node = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    if params_node is None or body is None:
        return []
    positions: dict[str, int] = {}
    for index, param in enumerate(params_node.named_children):
        node = param
        if node.type in ("required_parameter", "optional_parameter"):
            node = node.child_by_field_name("pattern")
        elif node.type == "assignment_pattern":
            node = node.child_by_field_name("left")
        if node is not None and node.type == "identifier":
            positions[ts.text(node)] = index
    if not positions:
        return []
    out = []
    for node in descendants(body, stop_at_functions=True):
        if node.type not in ("assignment_expression", "augmented_assignment_expression"):
            continue
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or right is None or left.type != "member_expression":
            continue
        obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier" or ts.text(prop) != "timeout" or \
                ts.text(obj) not in positions:
            continue
        name = ts.text(obj)
        member = f"{name}.timeout"
        value = None
        if node.type == "augmented_assignment_expression":
            operator = node.child_by_field_name("operator")
            if operator is not None and ts.text(operator) in ("??=", "||="):
                value = right
        elif right.type == "binary_expression" and \
                ts.text(right.child_by_field_name("operator")) in ("||", "??") and \
                re.sub(r"\s+", "", ts.text(right.child_by_field_name("left"))).replace("?.", ".") == member:
            value = right.child_by_field_name("right")
        elif _guarded_by_absence_js1(node, fn, member):
            value = right
        if value is None or not _hands_options_js1(ctx, fn, name):
            continue
        out.append((name, positions[name], node, value))
    return out


def _guarded_by_absence_js1(node: ts.Node, fn: ts.Node, member: str) -> bool:
    """The assignment sits in the consequence of `if (!P.timeout)` (`== null`, `=== undefined`)."""
    cur = node.parent
    while cur is not None and cur != fn:
        if cur.type == "if_statement":
            cond = unwrap(cur.child_by_field_name("condition"))
            text = re.sub(r"\s+", "", ts.text(cond)) if cond is not None else ""
            while text.startswith("(") and text.endswith(")"):
                text = text[1:-1]
            text = text.replace("?.", ".")
            consequence = cur.child_by_field_name("consequence")
            inside = consequence is not None and consequence.start_byte <= node.start_byte <= consequence.end_byte
            return inside and text in (f"!{member}", f"{member}==null", f"{member}===null",
                                       f"{member}===undefined", f"{member}==undefined", f"typeof{member}==='undefined'",
                                       f'typeof{member}==="undefined"')
        cur = cur.parent
    return False


def _hands_options_js1(ctx: FileContext, fn: ts.Node, name: str) -> bool:
    for outbound in ctx.outbound.values():
        call = outbound.node
        if not (fn.start_byte <= call.start_byte and call.end_byte <= fn.end_byte):
            continue
        args = call.child_by_field_name("arguments")
        for arg in (args.named_children if args is not None else []):
            arg = unwrap(arg)
            if arg is None:
                continue
            if arg.type == "identifier" and ts.text(arg) == name:
                return True
            if arg.type == "object" and any(c.type == "spread_element" and c.named_children and
                                            ts.text(unwrap(c.named_children[0])) == name for c in arg.named_children):
                return True
    return False


def _guarded_defaults_findings_js1(ctx: FileContext) -> None:
    seen, functions = set(), {}
    for node in ctx.nodes_of("assignment_expression"):
        left = node.child_by_field_name("left")
        if left is None or left.type != "member_expression" or not ts.text(left).endswith(".timeout"):
            continue
        fn = enclosing_function(node)
        if fn is not None:
            functions.setdefault((fn.start_byte, fn.end_byte), fn)
    for fn in functions.values():
        for name, _, assignment, value in _guarded_defaults_js1(ctx, fn):
            if (assignment.start_byte, assignment.end_byte) in seen:
                continue
            seen.add((assignment.start_byte, assignment.end_byte))
            outbound = next((o for o in ctx.outbound.values()
                             if fn.start_byte <= o.node.start_byte and o.node.end_byte <= fn.end_byte), None)
            if outbound is not None and any(f.kind == "timeout" and outbound.node.start_point[0] + 1 <= f.line
                                            <= outbound.node.end_point[0] + 1 for f in ctx.findings):
                continue  # the request's detector reads the assigned member itself (urllib: at the request)
            attrs, confidence, pending = ctx.timeout_value(value)
            if attrs.get("timeout_ms") is None and not pending:
                continue
            attrs["phase"] = "total"
            attrs["options_default"] = f"{name}.timeout"
            target = outbound.target if outbound is not None else None
            extra = tuple(outbound.pending) if outbound is not None else ()
            ctx.finding("timeout", assignment, ID, attrs, confidence, target, tuple(pending) + extra)


def _guarded_defaults_publish_js1(ctx: FileContext, out: dict) -> None:
    from extractors.javascript.detectors.wrapper_call import _helpers  # (a cycle at import time otherwise)
    from contract_discovery.resolve import TIMEOUT_DEFAULT, TIMEOUT_OMITTED
    for names, fn in _helpers(ctx):
        for _, position, _, value in _guarded_defaults_js1(ctx, fn):
            attrs, _, pending = ctx.timeout_value(value)
            ms = attrs.get("timeout_ms")
            expr = Num(float(ms)) if isinstance(ms, (int, float)) and not isinstance(ms, bool) and ms else \
                next((p.expr if not p.scale or p.scale == 1.0 else BinOp("*", p.expr, Num(p.scale))
                      for p in pending if p.attribute == "timeout_ms"), None)
            if expr is None:
                continue
            for name in names:
                for count in range(position + 1):
                    out.setdefault(f"{name}.{TIMEOUT_OMITTED}:{count}", Num(1))
                    out.setdefault(f"{name}.{TIMEOUT_DEFAULT}:{count}", expr)
                out.setdefault(f"{name}.{TIMEOUT_OMITTED}:{position + 1}:literal", Num(1))
                out.setdefault(f"{name}.{TIMEOUT_DEFAULT}:{position + 1}:literal", expr)
