"""Timeouts and retry bounds handed to the project's own helpers (defined in another file).

What it does: a call of a function or method of the project that passes a duration, a number or a
constant (`httputil.Post(ctx, url, 3*time.Second)`, `types.Retry(op, "scale", maxRetries, d)` with
`const maxRetries = 20`,
`e.newClient(timeout)` with `timeout := 5 * time.Second`) proposes, for each such argument, a
`total` timeout and (for a plain number) a retry. The pipeline keeps a proposal only when the
callee's file published that parameter: a helper whose parameter becomes a client's timeout, a
context deadline or a retry loop's bound (`func Retry(r routine, attempts int) { for i := 0; i <
attempts; i++ {...} }`) publishes `<name>.$timeout_param:<index>` / `$attempts_param` (see
`extractors.wrappers`), under the names its callers use: `Retry` and `types.Retry` (package
name) for a function, `getHTTPClient` and `Exporter.getHTTPClient` for a method (a call through a
value, `e.getHTTPClient(t)`, names the bare method; a one-word method, `Do`, `Post`, `Fetch`, is too
common a name to publish bare). Durations are in ms on both sides, so a helper
that takes `ms int` and builds `time.Duration(ms) * time.Millisecond` publishes 1 ms per unit and
one that builds `time.Duration(sec) * time.Second` 1000. A helper that retries once per delay of its
variadic schedule (`func Retry(f, after ...time.Duration)` ranging over `after`) publishes
`Retry.$attempts_param:*1`, and a call handing it delays (`util.Retry(op, d1, d2, d3)`, or a slice
literal spread, `util.Retry(op, delays...)`) proposes that many tries. A field of a value named as a
setting (`cfg.Timeout`, `s.conf.MaxRetries`, `settings.Transient.StorageTimeout`) is proposed too: a
setting handed to a helper is a contract where it is handed, valued by its default when one is known
(a struct tag, a flag, DefaultConfig, or the literal a local config was built from before the
service's settings were decoded into it: `cc := struct{...}{Timeout: request.Timeout}`), else null.
Helper chains: a call that hands on the calling function's own numeric parameter (`return
Post(ctx, url, timeout)` in `GetJSON(ctx, url, timeout)`, also `time.Duration(sec) * time.Second`
or `retries + 1`) is a forward proposal, never reported: GetJSON then publishes what Post publishes
(`wrappers.forward_proposal`), so `GetJSON(ctx, u, 2*time.Second)` is kept and valued 2000.
Constructor parameters: a function that stores its parameters in fields of a type this file has
methods for (`return &Cache{timeout: timeout}`, `c.retries = retries`, a functional option's `r.attempts
= attempts`) publishes them through the methods that use `c.timeout` as a deadline or `c.retries` as a
loop bound (`wrappers.Function.aliases`), so `NewCache(addr, 3*time.Second, 4)` is kept and valued.
Settings structs (round 7): a helper handing a setting field of its struct parameter to a helper's
timeout parameter (`SyncPost(..., before *BeforeConfig) { c.post(..., before.Timeout) }`) publishes
`SyncPost.$timeout_param:<i>.field`, one handing the whole struct on publishes what the inner helper
does, and a call naming a settings struct (`&h.cfg.Webhooks.BeforePush`) is proposed against that
slot (null: the value is in the service's configuration).
A constructor that clamps a parameter before storing it (`if retryCount < 0 { retryCount = 0 }; return
&Client{retryCount: retryCount}`) still publishes it, and a setting converted to a number
(`int64(cfg.HttpTimeoutMs)`) is proposed like the field.
What is left of a deadline (`NewClient(time.Until(deadline))`) is proposed as a timeout, null.
Not proposed: calls of a helper named for stopping something (`e.WaitForStop(ctx, 10*time.Minute, true)`,
`stopWorker(d)`: the grace what it stops gets before it is killed, round 16),
0 (no bound chosen), strings, `nil`, literals of structs and funcs, spread slices
(`delays...`), fields not named as a setting, calls of the standard library and of known libraries
(their detectors read them), and calls on a line where another detector already reports that kind.

Why it matters: most services call their dependencies through a helper of their own; the
value each call site hands it is the contract with that dependency.

Example: `resp, err := httputil.Post(ctx, riskURL, 3*time.Second)` with `func Post(ctx, url string,
timeout time.Duration)` building `&http.Client{Timeout: timeout}` -> timeout 3000 ms, total.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors import wrappers
from extractors.base import detector
from extractors.go.gofile import outside_stdlib, OPAQUE, Draft, GoFile, descendants, inner_expression, node_text

ID = "go.wrapper_call"

# Builtins and conversions: never a helper.
_BUILTINS = frozenset({
    "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min", "new",
    "panic", "print", "println", "real", "recover", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
    "uint16", "uint32", "uint64", "uintptr", "float32", "float64", "string", "byte", "rune", "bool", "error",
})
# Argument shapes that can carry a number or a duration.
_VALUE_TYPES = ("int_literal", "float_literal", "binary_expression", "identifier", "selector_expression",
                "call_expression", "type_conversion_expression", "parenthesized_expression")


def _callee(gf: GoFile, call) -> str | None:
    """The name a helper publishes itself under for this call, or None for a library/builtin call."""
    function = call.node.child_by_field_name("function")
    if function is None:
        return None
    function = inner_expression(function)
    if function.type == "identifier":
        name = node_text(function)
        bound = gf.lookup_local(name, call.node) if name not in _BUILTINS else None
        if bound is not None and getattr(bound, "type", None) == "func_literal":
            return _closure_name(name, bound)  # `probe := func(url string, timeout time.Duration) {...}` (round 11)
        if name in _BUILTINS or bound is not None:
            return None  # a builtin, or a func value held in a local or parameter
        return name
    if function.type != "selector_expression":
        return None
    operand = function.child_by_field_name("operand")
    field = node_text(function.child_by_field_name("field"))
    if operand is not None and operand.type == "identifier" and gf.lookup_local(node_text(operand), call.node) is None:
        alias = node_text(operand)
        if alias in gf.imports:
            path = gf.imports[alias]
            if alias in gf.packages or not outside_stdlib(path):
                return None  # the standard library or a library some detector knows
            if alias == _own_package_name_r15(gf):
                # round 15 (version-checker): `cache.New(timeout, timeout*2)` of patrickmn/go-cache in the
                # project's own package `cache`: another package of the same name, never this one, whose
                # helpers (`cache.New` here) the chain would take it for (a cache's expiry read as a bound)
                return None
            return f"{alias}.{field}"
        if gf.package_of(alias, call.node):
            return None
    if operand is not None and operand.type == "identifier":
        owner = _own_receiver_type(gf, call.node, node_text(operand))
        if owner is not None:
            owner = _promoting_owner_r17(gf, owner, field) or owner
            return f"{owner}.{field}"  # `j.request(...)` in a method of JPush: the helper `JPush.request`
    if operand is not None and not _distinctive(field):
        owner = _value_type(gf, call.node, operand)
        if owner is not None:
            return f"{owner}.{field}"  # `pool.Get(d)` with `pool := uh.defaultTransportPool`: `TransportPool.Get`
        made_by = gf._made_by_package(node_text(operand), call.node) if operand.type == "identifier" else None
        if made_by is not None:
            # round 20 (cauldron): `db, err := githubstorage.New(...); db.Ping(ctx, storage.DefaultDBPingMaxRetries,
            # d)`: a one-word method of a value that project package made, as that package publishes it
            return f"{made_by}.(*).{field}"
    return field  # a method through a value: its bare name


def _promoting_owner_r17(gf: GoFile, owner: str, method: str) -> str | None:
    """The embedded type whose method `owner` promotes: `dsl.GetDaemonSet(sleep, timeout)` in a method of
    `DaemonSetSingleLock struct { DaemonSetLock; ... }` calls `DaemonSetLock.GetDaemonSet` of this file, the
    name that helper publishes itself under (round 17, the round-16 kured request)."""
    methods: dict[str, set[str]] = {}
    for fn in gf.root.named_children:
        if fn.type == "method_declaration" and fn.child_by_field_name("name") is not None:
            methods.setdefault(node_text(fn.child_by_field_name("name")), set()).add(_receiver_type(fn) or "")
    if method not in methods or owner in methods[method]:
        return None
    for spec in descendants(gf.root):
        if spec.type != "type_spec" or node_text(spec.child_by_field_name("name")) != owner:
            continue
        struct = spec.child_by_field_name("type")
        if struct is None or struct.type != "struct_type":
            return None
        for decl in descendants(struct):
            if decl.type != "field_declaration" or decl.child_by_field_name("name") is not None:
                continue
            embedded = re.sub(r"^\*|^\w+\.", "", node_text(decl.child_by_field_name("type")).strip())
            if embedded in methods[method]:
                return embedded
    return None


def _own_package_name_r15(gf: GoFile) -> str | None:
    """The name in this file's `package` clause."""
    clause = next((n for n in gf.root.named_children if n.type == "package_clause"), None)
    ident = next((c for c in clause.named_children if c.type == "package_identifier"), None) if clause else None
    return node_text(ident) if ident is not None else None


def _value_type(gf: GoFile, at: ts.Node, operand: ts.Node) -> str | None:
    """The type (bare name, package dropped) of the value a one-word method is called on, when this
    file says it: a field of the enclosing method's receiver (`uh.defaultTransportPool`, typed in this
    file's struct) or a local every assignment of which is such a field of one type (`pool :=
    uh.defaultTransportPool; if h2 { pool = uh.http2OnlyTransportPool }`; round 12, KEDA's upstream)."""
    def field_type(node: ts.Node) -> str | None:
        node = inner_expression(node)
        if node.type != "selector_expression":
            return None
        head = node.child_by_field_name("operand")
        if head is None or head.type != "identifier" or _own_receiver_type(gf, at, node_text(head)) is None:
            return None
        declared = gf.struct_field_types.get(node_text(node.child_by_field_name("field")))
        if not declared or not re.fullmatch(r"(?:\w+\.)?[A-Z]\w*", declared):
            return None
        return declared.rsplit(".", 1)[-1]

    if operand.type == "selector_expression":
        return field_type(operand)
    if operand.type != "identifier":
        return None
    name = node_text(operand)
    fns = gf.enclosing_functions(at)
    if not fns:
        return None
    types = set()
    for holder in ts.walk(fns[0]):
        if holder.type not in ("short_var_declaration", "assignment_statement") or holder.start_byte > at.start_byte:
            continue
        left, right = holder.child_by_field_name("left"), holder.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1 or \
                node_text(left.named_children[0]) != name:
            continue
        types.add(field_type(right.named_children[0]))
    return types.pop() if len(types) == 1 and None not in types else None


def _own_receiver_type(gf: GoFile, node: ts.Node, name: str) -> str | None:
    """The type of the enclosing method's receiver when `name` is that receiver."""
    for fn in gf.enclosing_functions(node)[-1:]:
        if fn.type != "method_declaration" or _receiver_name(fn) != name:
            return None
        return _receiver_type(fn)
    return None


def _forwarded(gf: GoFile, node: ts.Node) -> bool:
    """An argument that is a parameter (or range variable) of the calling function."""
    node = inner_expression(node)
    return node.type == "identifier" and gf.lookup_local(node_text(node), node) is OPAQUE


def _constant(gf: GoFile, expr: Expr) -> bool:
    """A number, a duration or a constant: literals, package-level names (`scoreTimeout`,
    `config.DefaultTimeout` of an imported package), env lookups; not a field of a value
    (`cfg.Timeout`, `f.Config.Retries`: configuration handed on, read where it is applied)."""
    if isinstance(expr, Unknown):
        return False
    if isinstance(expr, BinOp):
        return _constant(gf, expr.left) and _constant(gf, expr.right)
    if isinstance(expr, Call):
        return all(_constant(gf, a) for a in expr.args)
    if isinstance(expr, Ref):
        if expr.name.startswith(("$flagname:", "$flag:")):
            return True  # a command-line flag's value (`c.Duration("forge-timeout")`): its default is known
        head, dot, _ = expr.name.partition(".")
        return "$" not in expr.name and (not dot or head in gf.imports)  # not a getter's result
    return isinstance(expr, (Num, Env))


_SETTING_NAME = re.compile(r"(?i)timeout|deadline|retries|retry|attempts|tries")


def _setting_field(expr: Expr) -> bool:
    """`cfg.Timeout`, `s.options.RequestTimeout`, `c.conf.MaxRetries`: a setting of the service
    handed to a helper (its value is the setting's default when one is known, else null); also a
    field of a settings group named so (`cfg.Timeouts.Connect`, round 11)."""
    if not isinstance(expr, Ref) or "$" in expr.name or "." not in expr.name:
        return False
    parts = expr.name.split(".")
    return bool(_SETTING_NAME.search(parts[-1])) or \
        (len(parts) >= 3 and bool(re.fullmatch(r"(?i)timeouts|retries", parts[-2])))


# A configuration getter named for a bound: `r.c.AuthenticatorJwtJwkMaxWait()`, `cfg.RequestTimeout()`.
_GETTER_SETTING = re.compile(r"(?i)timeout|deadline|maxwait|retries|attempts|tries")


def _setting_getter(expr: Expr) -> bool:
    """`credentials.NewFetcherDefault(r, r.c.AuthenticatorJwtJwkMaxWait(), ...)`: a configuration getter's
    answer handed to a helper, valued by the getter's published fallback (`$getter.<Name>`; round 12)."""
    return isinstance(expr, Ref) and "$getter." in expr.name and \
        bool(_GETTER_SETTING.search(expr.name.rsplit(".", 1)[-1]))


def _setting_expression(gf: GoFile, expr: Expr) -> bool:
    """A setting field converted or scaled by constants: `time.Duration(cfg.Catalogue.Timeout) *
    time.Second`, `int64(cfg.TimeoutMs)` (round 11)."""
    if _setting_field(expr):
        return True
    if isinstance(expr, BinOp):
        return (_setting_expression(gf, expr.left) and _constant(gf, expr.right)) or \
            (_constant(gf, expr.left) and _setting_expression(gf, expr.right))
    if isinstance(expr, Call) and len(expr.args) == 1:
        return _setting_expression(gf, expr.args[0])
    return False


def _scaled_setting_r15(gf: GoFile, expr: Expr) -> bool:
    """Round 15 (statping): a local holding a setting in another unit, `timeout := time.Duration(s.Timeout) *
    time.Second`, handed to a helper: the setting itself (null when it cannot be valued), unlike a local
    that adds to it (`hard := cfg.Timeout + 5*time.Second`)."""
    return isinstance(expr, BinOp) and expr.op in ("*", "/") and (
        (_setting_expression(gf, expr.left) and _constant(gf, expr.right)) or
        (expr.op == "*" and _constant(gf, expr.left) and _setting_expression(gf, expr.right)))


def _local_default(gf: GoFile, node: ts.Node) -> ts.Node | None:
    """`cc.Timeout` where the function built `cc := struct{...}{Timeout: request.Timeout}` (or
    `cc := Config{Timeout: d}`, `&Config{...}`) before decoding the service's configuration into it:
    the field's default is the value the literal gives it."""
    if node.type != "selector_expression":
        return None
    operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
    if operand is None or field is None or operand.type != "identifier":
        return None
    bound = gf.lookup_local(node_text(operand), node)
    if bound is None or not hasattr(bound, "type"):
        return None
    value = inner_expression(bound)
    if value.type == "unary_expression" and node_text(value.child_by_field_name("operator")) == "&":
        value = inner_expression(value.child_by_field_name("operand"))
    if value.type != "composite_literal":
        return None
    comp = next((c for c in gf.composites if c.node.id == value.id), None)
    if comp is not None:
        return comp.fields.get(node_text(field))
    body = value.child_by_field_name("body")  # an anonymous `struct {...}{...}`: read its keyed elements
    for element in body.named_children if body is not None else []:
        if element.type != "keyed_element" or len(element.named_children) != 2:
            continue
        key, held = element.named_children
        if node_text(key).strip() == node_text(field):
            return inner_expression(held.named_children[0]) if held.type == "literal_element" and \
                held.named_children else held
    return None


def _declared_type(gf: GoFile, name: str, node: ts.Node) -> str | None:
    """The declared type of parameter `name` of the innermost enclosing function that has it (a
    closure sees its outer function's parameters)."""
    for fn in gf.enclosing_functions(node):
        params = fn.child_by_field_name("parameters")
        for decl in params.named_children if params is not None else []:
            if decl.type == "parameter_declaration" and any(node_text(n) == name for n in decl.children_by_field_name("name")):
                type_node = decl.child_by_field_name("type")
                while type_node is not None and type_node.type == "pointer_type" and type_node.named_child_count:
                    type_node = type_node.named_children[0]
                return gf.type_name(type_node) if type_node is not None else None
    return None


def _has_string(expr: Expr) -> bool:
    if isinstance(expr, Str):
        return True
    if isinstance(expr, BinOp):
        return _has_string(expr.left) or _has_string(expr.right)
    return False


def _integer_like(gf: GoFile, node: ts.Node) -> bool:
    """A count, not a duration: no `time.` unit in it, nor in the constant or local it names
    (`quoteTimeout = 1500 * time.Millisecond`)."""
    texts = [node_text(node)]
    held = gf.resolve_name(node)
    texts.append(node_text(held))
    if held.type == "identifier" and gf.declarations.get(node_text(held)) is not None:
        texts.append(node_text(gf.declarations[node_text(held)]))
    return node.type != "float_literal" and not any("time." in t or "Duration" in t for t in texts)


_CONVERSION = re.compile(rb"(u?int(8|16|32|64)?|float(32|64))\(")


# `r.c.AuthenticatorJwtJwkMaxWait()`: a getter without arguments named for a bound (round 12)
_GETTER_CALL = re.compile(rb"[\w.]+\.\w*(?i:timeout|deadline|maxwait|retries|attempts|tries)\(\)")


def _may_carry(node: ts.Node) -> bool:
    """By shape alone: an argument that may be a number, a duration or a constant."""
    if node.type == "unary_expression" and (node.text or b"").startswith(b"*"):
        # `NewDeadlineTransport(*httpConnectTimeout, ...)`: a flag.Duration's pointer, read (round 18, nsq_to_http)
        operand = node.child_by_field_name("operand")
        return operand is not None and operand.type in ("identifier", "selector_expression")
    if node.type not in _VALUE_TYPES:
        return False
    if node.type == "call_expression":
        # a duration built with package time, or a number converted (`int64(cfg.HttpTimeoutMs)`)
        return b"time." in (node.text or b"") or bool(_CONVERSION.match(node.text or b"")) or \
            bool(_GETTER_CALL.fullmatch(node.text or b""))
    return node.type != "identifier" or node.text not in (b"nil", b"true", b"false", b"iota", b"ctx", b"err")


def _forward_value(gf: GoFile, call, node: ts.Node) -> Expr | None:
    """The argument in terms of the calling function's own parameter, when it is nothing else:
    `timeout` -> Ref(timeout), `time.Duration(ms) * time.Millisecond` -> Ref(ms) * 1 (ms per unit),
    `retries + 1` -> Ref(retries) + 1."""
    fns = gf.enclosing_functions(call.node)
    if not fns:
        return None
    params = _params(fns[0])
    if not params:
        return None
    raw = gf.to_expr(node)
    expr, scale = _as_param(raw, params)
    if isinstance(expr, Ref) and expr.name in params:
        return expr if scale == 1.0 else BinOp("*", expr, Num(scale))
    if isinstance(expr, BinOp) and expr.op in ("+", "-") and scale == 1.0:
        refs = [s for s in (expr.left, expr.right) if isinstance(s, Ref) and s.name in params]
        nums = [s for s in (expr.left, expr.right) if isinstance(s, Num)]
        if len(refs) == 1 and len(nums) == 1:
            return expr
    return None


_NUMERIC_TYPE = re.compile(r"^(u?int(8|16|32|64)?|float(32|64)|(time\.)?Duration)$")


def _numeric_parameter(gf: GoFile, node: ts.Node) -> bool:
    """A parameter declared as a number or a duration (or of a type this file cannot see)."""
    declared = gf.parameter_type(node_text(node), node)
    return declared is None or bool(_NUMERIC_TYPE.match(declared))


def _forwards(gf: GoFile, call) -> list[tuple[int, ts.Node, Expr]]:
    """The arguments that hand on the calling function's own parameter (a helper chain)."""
    out = []
    for index, arg in enumerate(call.args):
        node = inner_expression(arg)
        if node.type not in ("identifier", "binary_expression", "call_expression", "type_conversion_expression"):
            continue
        if node.type == "identifier" and not _forwarded(gf, node):
            continue
        if node.type == "identifier" and not _numeric_parameter(gf, node):
            continue  # a string, a context, a client handed on: no bound
        value = _forward_value(gf, call, node)
        if value is not None:
            out.append((index, node, value))
    return out


def _values(gf: GoFile, call) -> list[tuple[int, ts.Node, Expr]]:
    """The arguments that carry a number, a duration or a constant, with their value (cheap shape
    tests first: most arguments are variables, strings and calls)."""
    out = []
    for index, arg in enumerate(call.args):
        node = inner_expression(arg)
        if not _may_carry(node) or _forwarded(gf, node):
            continue
        until = gf.call_at(node) if node.type == "call_expression" else None
        if until is not None and until.qualified == "time.Until":
            # `NewClient(time.Until(deadline), ...)`: what is left of a deadline, a timeout no one can value
            out.append((index, node, Unknown(" ".join(node_text(node).split()))))
            continue
        raw = gf.to_expr(node)
        if not _constant(gf, raw) and not (_setting_field(raw) or (node.type != "identifier" and
                                                                 _setting_expression(gf, raw))) and \
                not _setting_getter(raw) and not (node.type == "identifier" and _scaled_setting_r15(gf, raw)):
            continue  # (a local computed from a setting, `hardTimeout := cfg.Timeout + 5s`, is not handed as is)
        default = _local_default(gf, node) if _setting_field(raw) else None
        if default is not None:
            raw = gf.to_expr(default)  # `cc := struct{...}{Timeout: request.Timeout}; decode(other, &cc)`
        expr = gf._substitute(raw, at=node) if not isinstance(raw, Num) else raw
        if isinstance(expr, Num) and expr.value == 0:
            continue  # 0: no timeout, no tries chosen
        if _has_string(expr):
            continue  # a string constant (`providerName = "Gemini"`)
        out.append((index, node, expr))
    return out


def _stored_receiver_fields(gf: GoFile) -> set[str]:
    """`uh.responseHeaderTimeout` for every method receiver field a constructor of this file fills from
    its own parameter (the aliases of `_constructors`)."""
    if b"func " not in gf.data:
        return set()
    try:
        return {alias for fn in _constructors(gf, _package_name(gf)) for alias in fn.aliases if "." in alias}
    except Exception:  # noqa: BLE001 - a constructor the reading gets wrong costs only this forwarding
        return set()


def _constructor_fields_handed(gf: GoFile, call, stored: set[str]) -> list[tuple[int, ts.Node, Expr]]:
    """Arguments that are a receiver field a constructor filled from its parameter, directly
    (`pool.Get(uh.responseHeaderTimeout)`) or through a local first bound to it (`t :=
    uh.responseHeaderTimeout; if route.Timeout != nil { t = route.Timeout.Duration }; pool.Get(t)`)."""
    if not stored:
        return []
    out = []
    for index, arg in enumerate(call.args):
        node = inner_expression(arg)
        source = node
        if node.type == "identifier":
            fns = gf.enclosing_functions(call.node)
            first = None
            for holder in ts.walk(fns[0]) if fns else ():
                if holder.type != "short_var_declaration" or holder.start_byte > call.node.start_byte:
                    continue
                left, right = holder.child_by_field_name("left"), holder.child_by_field_name("right")
                if left is not None and right is not None and left.named_child_count == 1 and \
                        right.named_child_count == 1 and node_text(left.named_children[0]) == node_text(node):
                    first = inner_expression(right.named_children[0])
            if first is None:
                continue
            source = first
        text = "".join(node_text(source).split())
        if source.type == "selector_expression" and text in stored:
            out.append((index, node, Ref(text)))
    return out


def proposals(gf: GoFile) -> list[Finding]:
    out: list[Finding] = []
    stored_fields = _stored_receiver_fields(gf)
    for call in gf.calls:
        if not call.args:
            continue
        omitted = _option_omitted_proposal(gf, call)
        if omitted is not None:
            out.append(omitted)
        variadic = inner_expression(call.args[-1]).type == "variadic_argument"
        if not variadic and not any(_may_carry(inner_expression(a)) for a in call.args):
            continue  # only variables, strings, literals of structs and funcs, calls
        callee = _callee(gf, call)
        if callee is None:
            continue
        for index, node, value in _forwards(gf, call):
            # `return post(url, timeout)` in `func get(url string, timeout time.Duration)`: never
            # reported; it makes `get` publish its parameter when `post` publishes its own
            out.append(wrappers.forward_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                                 callee=callee, key=index, value=value,
                                                 expression=" ".join(node_text(node).split())))
        held = _constructor_fields_handed(gf, call, stored_fields)
        for index, node, value in held:
            # `transport := pool.Get(responseHeaderTimeout)` with `responseHeaderTimeout :=
            # uh.responseHeaderTimeout`, a field NewUpstream fills from its own parameter: the
            # constructor's call is where the value is handed (round 12), this line only forwards it
            out.append(wrappers.forward_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                                 callee=callee, key=index, value=value,
                                                 expression=" ".join(node_text(node).split())))
        if _STOP_GRACE_HELPER_R16.fullmatch(call.name or ""):
            continue  # `e.WaitForStop(ctx, 10*time.Minute, true)`: how long what it stops gets before it is
            # killed, a stop grace, no bound on a call (round 16, wings); the helper still publishes its
            # parameter, so its own `context.WithTimeout(bg, duration)` stays a forwarder
        values = [v for v in _values(gf, call) if v[0] not in {h[0] for h in held}]
        for index, node, expr in values:
            expression = " ".join(node_text(node).split())
            out.append(wrappers.timeout_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                                 callee=callee, key=index, value=expr, expression=expression))
            if _integer_like(gf, node):
                out.append(wrappers.retry_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                                   callee=callee, key=index, value=expr, expression=expression))
        if variadic or any("time." in node_text(node) for _, node, _ in values):
            out.extend(_schedule_proposals(gf, call, callee))
        out.extend(_config_struct_proposals(gf, call, callee))
    return out


def _option_omitted_proposal(gf: GoFile, call) -> Finding | None:
    """Rule (b) at a call handing a request helper functional options of its package
    (`httputil.Post(url, httputil.SendTLS(c.tls))`, round 19, kraken): the helper's default timeout
    when none of the options given is its timeout option (`$timeout_option:options`, published with
    the default by `_option_defaults_r19b`); kept only then. Options spread from a slice
    (`opts...`) may hold it: no proposal."""
    function = call.node.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return None
    operand = function.child_by_field_name("operand")
    if operand is None or operand.type != "identifier":
        return None
    alias = node_text(operand)
    names: list[str] = []
    guarded: list[tuple[str, Expr]] = []  # (option, the value whose being set appends it)
    for index, arg in enumerate(call.args):
        node = inner_expression(arg)
        if node.type == "variadic_argument":
            if index != len(call.args) - 1:
                return None
            spread = _spread_options_r19b(gf, call, node, alias)
            if spread is None:
                return None
            names += spread[0]
            guarded += spread[1]
            continue
        if index == 0 or node.type != "call_expression":
            continue
        inner = node.child_by_field_name("function")
        if inner is not None and inner.type == "selector_expression" and \
                node_text(inner.child_by_field_name("operand")) == alias:
            names.append(node_text(inner.child_by_field_name("field")))
    if not names:
        return None
    callee = _callee(gf, call)
    if callee is None or "." not in callee:
        return None
    marker = Ref(f"{callee}.{wrappers.TIMEOUT_OMITTED}:{OPTIONS_SLOT}")
    found = wrappers.omitted_timeout_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                              callee=callee, positional=0)
    if found is None:
        return None
    pending = [p for p in found.pending if p.attribute not in ("timeout_ms", wrappers.KEEP_IF, "phase")]
    return replace(found, pending=(
        Pending("timeout_ms", Ref(f"{callee}.{wrappers.TIMEOUT_DEFAULT}:{OPTIONS_SLOT}"), 1.0),
        Pending(wrappers.KEEP_IF, marker, None),
        Pending(wrappers.KEEP_IF, Call("not_in", (Ref(f"{callee}.{TIMEOUT_OPTION}:{OPTIONS_SLOT}"),
                                                  *(Str(n) for n in names))), None),
        # an option appended only when its value is set (`if conf.Timeout != 0 { opts = append(opts,
        # agenthttp.WithTimeout(conf.Timeout)) }`) is given when that value resolves, else left out
        *(Pending(wrappers.KEEP_IF, Call("not_in", (Ref(f"{callee}.{TIMEOUT_OPTION}:{OPTIONS_SLOT}"), Call(
            "coalesce", (Call("when", (value, Str(n))), Str(""))))), None) for n, value in guarded),
        Pending("phase", Str("total"), None), *pending))


def _spread_options_r19b(gf: GoFile, call, spread: ts.Node, alias: str) -> tuple[list[str], list[tuple[str, Expr]]] | None:
    """`clientOptions := []agenthttp.ClientOption{agenthttp.WithAuthToken(conf.Token)}; if conf.Timeout != 0 {
    clientOptions = append(clientOptions, agenthttp.WithTimeout(conf.Timeout)) }; agenthttp.NewClient(
    clientOptions...)` (round 19, second wave, buildkite-agent): the options a local slice of this function
    holds, the ones appended under a check that their value is set apart (with that value), or None when
    the slice is not one this function builds from its package's options."""
    held = spread.named_children[0] if spread.named_children else None
    if held is None or held.type != "identifier":
        return None
    name = node_text(held)
    fns = gf.enclosing_functions(call.node)
    scope = fns[-1] if fns else gf.root
    declared = [n for n in descendants(scope, skip_functions=True)
                if n.type == "short_var_declaration" and n.start_byte < call.node.start_byte
                and node_text(n.child_by_field_name("left")).strip() == name]
    right = declared[-1].child_by_field_name("right") if declared else None
    if right is None or right.named_child_count != 1:
        return None
    literal = inner_expression(right.named_children[0])
    if literal.type != "composite_literal" or not node_text(literal.child_by_field_name("type")).startswith("[]"):
        return None

    def option(node: ts.Node) -> tuple[str, ts.Node] | None:
        node = inner_expression(node)
        if node.type == "literal_element" and node.named_children:
            node = inner_expression(node.named_children[0])
        inner = node.child_by_field_name("function") if node.type == "call_expression" else None
        if inner is None or inner.type != "selector_expression" or node_text(inner.child_by_field_name("operand")) != alias:
            return None
        return node_text(inner.child_by_field_name("field")), node

    names: list[str] = []
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        found = option(element)
        if found is None:
            return None  # something else in the slice (a variable, another package's option): unknown
        names.append(found[0])
    guarded: list[tuple[str, Expr]] = []
    for c in gf.calls_within(scope.start_byte, scope.end_byte):
        if c.callee != "append" or not c.args or node_text(c.args[0]).strip() != name:
            continue
        for arg in c.args[1:]:
            found = option(arg)
            if found is None:
                return None
            condition = None
            for a in ts.ancestors(c.node):
                if a.type == "if_statement":
                    condition = a.child_by_field_name("condition")
                    break
                if a.id == scope.id:
                    break
            opt_args = found[1].child_by_field_name("arguments")
            value = opt_args.named_children[0] if opt_args is not None and opt_args.named_child_count == 1 else None
            guard = re.fullmatch(r"\s*([\w.]+)\s*(!=|>)\s*(0|nil)\s*", node_text(condition)) if condition is not None else None
            if guard is not None and value is not None and "".join(node_text(value).split()) == guard.group(1):
                info = gf.duration(value)
                held_value = Num(float(info.value)) if info.value is not None else next(
                    (p.expr for p in info.pending if p.attribute == "timeout_ms"), gf.to_expr(inner_expression(value)))
                guarded.append((found[0], held_value))
            else:
                names.append(found[0])
    return names, guarded


# An argument that names a configuration value: `&c.config.Webhooks.BeforePush`, `cfg.Mongo`, `opts`.
_CONFIG_ARGUMENT = re.compile(r"(?i)conf|settings|options|\bopts\b|\bcfg\b")
FIELD_SLOT = "field"  # `$timeout_param:<index>.field`: the parameter is a struct, a field of it the timeout


def _config_struct_proposals(gf: GoFile, call, callee: str) -> list[Finding]:
    """`c.webhookBeforeOnlinePush(ctx, &c.config.WebhooksConfig.BeforeOnlinePush, ...)`: a config
    struct handed to a helper that reads a timeout from one of its fields (published by the helper as
    `$timeout_param:<index>.field`). Its value is in the service's configuration: the struct's `Timeout`
    key of the config files (extractors/goconfig), else null."""
    out = []
    for index, arg in enumerate(call.args):
        node = inner_expression(arg)
        if node.type == "unary_expression" and node_text(node.child_by_field_name("operator")) == "&":
            node = inner_expression(node.child_by_field_name("operand"))
        if node.type not in ("selector_expression", "identifier") or not _CONFIG_ARGUMENT.search(node_text(node)):
            continue
        if node.type == "identifier" and gf.lookup_local(node_text(node), node) is OPAQUE:
            continue  # the calling function's own parameter: a forward, published below
        if _receivers_own_config_r19b(gf, node):
            continue  # `conf := c.conf; conf.Endpoint = e; c.New(conf)`: the config the value was built with
        expression = " ".join(node_text(node).split())
        # the struct's `Timeout` in the service's config files (`beforeOnlinePush.timeout: 5` in
        # webhooks.yml), in the unit the helper publishes for the slot; else null
        parts = re.sub(r"\s+", "", node_text(node)).split(".")
        keys = gf.config_keys([*parts, "Timeout"]) if all(p.isidentifier() for p in parts) and len(parts) > 1 else ()
        value = Call("coalesce", keys) if keys else Unknown(expression)
        out.append(wrappers.timeout_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                             callee=callee, key=f"{index}.{FIELD_SLOT}",
                                             value=value, expression=expression))
    return out


def _receivers_own_config_r19b(gf: GoFile, node: ts.Node) -> bool:
    """`func (c *Client) FromPing(resp *Ping) *Client { conf := c.conf; conf.Endpoint = resp.Endpoint; return
    c.New(conf) }` (round 19, second wave, buildkite-agent): a copy of the receiver's own config (or the field
    itself, `c.New(c.conf)`) handed to a constructor carries the settings the value was built with; their
    contract is where the caller filled that config, not at this call."""
    fns = gf.enclosing_functions(node)
    method = fns[-1] if fns else None
    if method is None or method.type != "method_declaration":
        return False
    receiver = _receiver_name(method)
    if not receiver:
        return False
    held = node
    if node.type == "identifier":
        bound = gf.lookup_local(node_text(node), node)
        if bound is None or bound is OPAQUE or not hasattr(bound, "type"):
            return False
        held = inner_expression(bound)
    return held.type == "selector_expression" and re.fullmatch(
        rf"{re.escape(receiver)}\.\w+(\(\))?", "".join(node_text(held).split())) is not None


def _spread_length(gf: GoFile, node: ts.Node) -> int | None:
    """`delays...` of a slice literal this file writes: how many items it holds."""
    held = gf.resolve_name(inner_expression(node))
    if held.type == "identifier" and gf.declarations.get(node_text(held)) is not None:
        held = inner_expression(gf.declarations[node_text(held)])
    items = held.child_by_field_name("body") if held.type == "composite_literal" else None
    return len([c for c in items.named_children if c.type != "comment"]) if items is not None else None


def _schedule_proposals(gf: GoFile, call, callee: str) -> list[Finding]:
    """`util.Retry(op, 100*time.Millisecond, 300*time.Millisecond)`, `util.Retry(op, delays...)`: the
    delays a helper's variadic schedule gets (one try per delay), as `$attempts_param:*<index>`."""
    out = []
    args = call.args
    for start in range(1, len(args)):
        tail = [inner_expression(a) for a in args[start:]]
        if tail[-1].type == "variadic_argument":
            if len(tail) != 1:
                continue
            count = _spread_length(gf, tail[0].named_children[0]) if tail[0].named_children else None
        elif all(t.type in _VALUE_TYPES for t in tail) and any("time." in node_text(t) for t in tail):
            count = len(tail)
        else:
            continue
        if not count:
            continue
        expression = " ".join(node_text(args[start]).split()) + (", ..." if len(tail) > 1 else "")
        out.append(wrappers.retry_proposal(path=gf.path, language="go", node=call.node, detector=ID, callee=callee,
                                           key=f"*{start}", value=Num(float(count)), expression=expression))
    return out


@detector(
    ID, "go", ("timeout", "retry"),
    valid=('package p\nimport "net/http"\nfunc f(c *http.Client, name string) { send(c, name, "timeout") }\n',),
    invalid=('package p\nimport ("time"; "example.com/app/httputil")\n'
             'func f() { httputil.Post(ctx, "http://risk/score", 3*time.Second) }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """Proposed timeouts/retries at calls of the project's helpers (kept if the callee publishes)."""
    return [Draft(f) for f in proposals(gf)]


# --- publishing -----------------------------------------------------------------------------------

def _params(fn: ts.Node) -> tuple[str, ...]:
    params = fn.child_by_field_name("parameters")
    out: list[str] = []
    for decl in params.named_children if params is not None else []:
        if decl.type in ("parameter_declaration", "variadic_parameter_declaration"):
            names = [node_text(n) for n in decl.children_by_field_name("name")]
            out.extend(names or ["_"])
    return tuple(out)


def _closure_name(name: str, literal: ts.Node) -> str:
    """The name a function literal kept in a local (`probe := func(...) {...}`) publishes itself under:
    the local's name and the literal's line, no dot (seen by its own file only)."""
    return f"{name}@{literal.start_point[0] + 1}"


def _closures(gf: GoFile) -> list[wrappers.Function]:
    """`testConnection := func(cl *kgo.Client, timeout time.Duration) error { ctx, cancel :=
    context.WithTimeout(ctx, timeout) ... }` then `testConnection(cl, 15*time.Second)`: a helper kept in a
    local, whose parameter a call hands the value (round 11)."""
    out = []
    if b":= func(" not in gf.data and b"= func(" not in gf.data:
        return out
    for node in ts.walk(gf.root):
        if node.type != "func_literal":
            continue
        holder = node.parent
        if holder is None or holder.type != "expression_list" or holder.named_child_count != 1:
            continue
        declaration = holder.parent
        if declaration is None or declaration.type not in ("short_var_declaration", "assignment_statement"):
            continue
        left = declaration.child_by_field_name("left")
        if left is None or left.named_child_count != 1 or left.named_children[0].type != "identifier":
            continue
        params = _params(node)
        if not params:
            continue
        name = node_text(left.named_children[0])
        out.append(wrappers.Function(names=(_closure_name(name, node),), first_line=node.start_point[0] + 1,
                                     last_line=node.end_point[0] + 1, params=params))
    return out


def _distinctive(name: str) -> bool:
    """Two camel-case words or more: `getHTTPClient`, `FetchStock` (not `Do`, `Post`, `Fetch`)."""
    return len(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)) >= 2


def _receiver_type(fn: ts.Node) -> str | None:
    receiver = fn.child_by_field_name("receiver")
    for decl in receiver.named_children if receiver is not None else []:
        type_node = decl.child_by_field_name("type")
        while type_node is not None and type_node.type in ("pointer_type",) and type_node.named_child_count:
            type_node = type_node.named_children[0]
        if type_node is not None and type_node.type == "generic_type":
            type_node = type_node.child_by_field_name("type")
        if type_node is not None:
            return node_text(type_node)
    return None


def _package_name(gf: GoFile) -> str | None:
    for node in gf.root.named_children:
        if node.type == "package_clause":
            name = next((c for c in node.named_children if c.type == "package_identifier"), None)
            return node_text(name) if name is not None else None
    return None


def _receiver_name(fn: ts.Node) -> str | None:
    receiver = fn.child_by_field_name("receiver")
    for decl in receiver.named_children if receiver is not None else []:
        names = decl.children_by_field_name("name")
        if names:
            return node_text(names[0])
    return None


def _stored_parameters(gf: GoFile, fn: ts.Node, params: tuple[str, ...], types: set[str]) -> dict[str, dict[str, str]]:
    """Type -> {field: parameter} for the fields a function fills with its own parameters:
    `return &Cache{timeout: timeout}`, `c := &Cache{}; c.timeout = timeout`, and a functional
    option's `return func(r *Retry) *Retry { r.attempts = attempts; return r }`."""
    out: dict[str, dict[str, str]] = {}
    body = fn.child_by_field_name("body")
    if body is None:
        return out
    for comp in gf.composites:
        if not (body.start_byte <= comp.node.start_byte < body.end_byte) or comp.type_name not in types:
            continue
        for field, value in comp.fields.items():
            if value.type == "identifier" and node_text(value) in params and \
                    gf.lookup_local(node_text(value), value) is not None:
                out.setdefault(comp.type_name, {}).setdefault(field, node_text(value))
    for assignment in gf.field_assignments:
        if not (body.start_byte <= assignment.node.start_byte < body.end_byte):
            continue
        value = inner_expression(assignment.value)
        if value.type != "identifier" or node_text(value) not in params or assignment.operand.type != "identifier":
            continue
        operand = node_text(assignment.operand)
        owner = gf.parameter_type(operand, assignment.node)
        if owner is None:
            bound = gf.lookup_local(operand, assignment.node)
            if bound is not None and hasattr(bound, "type"):
                made = inner_expression(bound)
                if made.type == "unary_expression":
                    made = inner_expression(made.child_by_field_name("operand"))
                comp = next((c for c in gf.composites if c.node.id == made.id), None)
                owner = comp.type_name if comp is not None else None
        if owner in types:
            out.setdefault(owner, {}).setdefault(assignment.field, node_text(value))
    return out


def _constructors(gf: GoFile, package: str | None) -> list[wrappers.Function]:
    """A function that stores its parameters in fields of a type this file has methods for
    (`NewCache(addr, timeout)` -> `&Cache{timeout: timeout}`): one Function per method of that
    type, named as the constructor, whose aliases say which receiver field holds which parameter
    (`c.timeout` -> `timeout`), so a method's `context.WithTimeout(ctx, c.timeout)` publishes the
    constructor's parameter and `NewCache("redis:6379", 3*time.Second)` is kept and valued."""
    methods: dict[str, list[tuple[ts.Node, str]]] = {}
    for fn in gf.root.named_children:
        if fn.type == "method_declaration":
            owner, receiver = _receiver_type(fn), _receiver_name(fn)
            if owner and receiver:
                methods.setdefault(owner, []).append((fn, receiver))
    if not methods:
        return []
    out = []
    for fn in gf.root.named_children:
        if fn.type != "function_declaration":
            continue
        params = _params(fn)
        name_node = fn.child_by_field_name("name")
        if not params or name_node is None:
            continue
        name = node_text(name_node)
        names = (name, f"{package}.{name}") if package else (name,)
        for owner, stored in _stored_parameters(gf, fn, params, set(methods)).items():
            for method, receiver in methods.get(owner, []):
                aliases = {}
                for field, param in stored.items():
                    aliases[f"{receiver}.{field}"] = param
                    aliases.setdefault(field, param)
                out.append(wrappers.Function(names=names, first_line=method.start_point[0] + 1,
                                             last_line=method.end_point[0] + 1, params=params, aliases=aliases))
    return out


def functions(gf: GoFile) -> list[wrappers.Function]:
    package = _package_name(gf)
    out = []
    for fn in gf.root.named_children:
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        name_node = fn.child_by_field_name("name")
        params = _params(fn)
        if name_node is None or not params:
            continue
        name = node_text(name_node)
        if fn.type == "function_declaration":
            names = (name, f"{package}.{name}") if package else (name,)
        else:
            owner = _receiver_type(fn)
            # a call through a value names the bare method: published bare only when the name is
            # distinctive (two words or more, `getHTTPClient`), not a verb every client has (`Do`, `Post`)
            bare = (name,) if _distinctive(name) else ()
            names = bare + ((f"{owner}.{name}",) if owner else ())
            if owner and package and not _distinctive(name):
                names += (f"{package}.(*).{name}",)  # called through a value that package made (round 20)
            if not names:
                continue
        out.append(wrappers.Function(names=names, first_line=fn.start_point[0] + 1, last_line=fn.end_point[0] + 1,
                                     params=params))
    try:
        out.extend(_constructors(gf, package))
    except Exception:  # noqa: BLE001 - a constructor the reading gets wrong costs only its publication
        pass
    out.extend(_closures(gf))
    return out


# A helper named for stopping something this process runs (a container, a worker, a server).
_STOP_GRACE_HELPER_R16 = re.compile(r"(?:[Ww]aitFor|[Ww]aitUntil)?(?:Stop|Shutdown|Terminate|Drain|GracefulStop)(?:[A-Z]\w*)?|"
                                    r"(?:stop|shutdown|terminate|drain|gracefulStop)(?:[A-Z]\w*)?")


def _as_param(expr: Expr, params: tuple[str, ...]) -> tuple[Expr, float]:
    """A detector's pending value in terms of the helper's parameters: `Unknown(timeout)` (a
    parameter, opaque to the detector) -> Ref(timeout); `time.Duration(sec) * time.Second` ->
    Ref(sec) at 1000 ms per unit."""
    if isinstance(expr, Unknown) and expr.text in params:
        return Ref(expr.text), 1.0
    indexed = re.fullmatch(r"\s*(\w+)\s*\[\s*0\s*\]\s*", expr.text) if isinstance(expr, Unknown) else None
    if indexed is not None and indexed.group(1) in params:
        # `func (n *NATS) Ready(timeout ...time.Duration)` using `time.After(timeout[0])`: the first
        # value a call hands the variadic parameter (`n.Ready(readyTimeout)`) is that timeout
        return Ref(indexed.group(1)), 1.0
    if isinstance(expr, Ref) and expr.name in params:
        return expr, 1.0  # `c.timeout`, a receiver field a constructor fills from its parameter
    if isinstance(expr, Call) and expr.func == "coalesce" and expr.args and isinstance(expr.args[0], Ref) and \
            expr.args[0].name in params:
        return expr.args[0], 1.0  # `c.retryCount` or the defaults found for such a field: the field itself
    if isinstance(expr, BinOp):
        if expr.op == "*" and isinstance(expr.right, Num):
            inner, scale = _as_param(expr.left, params)
            if isinstance(inner, Ref) and inner.name in params:
                return inner, scale * float(expr.right.value)
        if expr.op == "*" and isinstance(expr.left, Num):
            inner, scale = _as_param(expr.right, params)
            if isinstance(inner, Ref) and inner.name in params:
                return inner, scale * float(expr.left.value)
        if expr.op in ("+", "-"):
            left, ls = _as_param(expr.left, params)
            right, rs = _as_param(expr.right, params)
            if ls == 1.0 and rs == 1.0:
                return BinOp(expr.op, left, right), 1.0
    return expr, 1.0


def publish(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    """The symbols this file publishes for the callers of its helpers (see ``extractors.wrappers``)."""
    fns = functions(gf)
    if not fns:
        return {}
    rewritten = []
    for f in findings:
        if f.kind not in ("timeout", "retry"):
            continue
        if f.detector == ID:
            if f.attributes.get("forward"):
                rewritten.append(f)  # a helper chain: publishes the calling function's parameter
            continue
        around = [x for x in fns if x.first_line <= f.line <= x.last_line]
        if not around:
            continue
        # the parameters, and the receiver fields a constructor stores them in (`c.timeout`)
        names = tuple(dict.fromkeys(n for x in around for n in (*x.params, *x.aliases)))
        attribute = "timeout_ms" if f.kind == "timeout" else "max_attempts"
        pending = []
        for p in f.pending:
            if p.attribute == attribute:
                expr, scale = _as_param(p.expr, names)
                p = Pending(p.attribute, expr, (p.scale or 1.0) * scale)
            pending.append(p)
        rewritten.append(replace(f, pending=tuple(pending)))
    out = wrappers.publish(fns, rewritten, own_detectors=(ID,))
    out.update(_schedule_params(gf, fns, findings))
    for name, expr in wrappers.new_id_publications(fns, findings).items():
        out.setdefault(name, expr)  # (round 22) a helper minting a fresh ID per attempt, for its callers' retries
    try:
        for name, expr in _option_params_r19(gf, findings).items():
            out.setdefault(name, expr)
    except Exception:  # noqa: BLE001 - an option the reading gets wrong costs only its publication
        pass
    try:
        for name, expr in _option_defaults_r19b(gf, findings).items():
            out.setdefault(name, expr)
    except Exception:  # noqa: BLE001 - an option the reading gets wrong costs only its publication
        pass
    for name, expr in _struct_params(gf, fns).items():
        out.setdefault(name, expr)
    return out


def _option_params_r19(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    """Functional options of a request helper (round 19, kraken): `func SendTimeout(timeout
    time.Duration) SendOption { return func(o *sendOptions) { o.timeout = timeout } }` beside `func
    Send(...) { opts := &sendOptions{timeout: 60 * time.Second}; ...; &http.Client{Timeout:
    opts.timeout} }`: the option stores its parameter in a field of an options type that a function
    of this file makes locally and hands to a timeout, so the option publishes that parameter
    (`SendTimeout.$timeout_param:0`) and `httputil.SendTimeout(5*time.Second)` is kept and valued."""
    if b"func(" not in gf.data:
        return {}
    timeouts = [f for f in findings if f.kind == "timeout" and f.detector != ID]
    if not timeouts:
        return {}
    lines = gf.data.decode("utf-8", "replace").splitlines()
    # options types made as a local inside a function body: type -> [(first line, last line, local)]
    made: dict[str, list[tuple[int, int, str]]] = {}
    for comp in gf.composites:
        fns = gf.enclosing_functions(comp.node)
        if not fns:
            continue
        node = comp.node
        if node.parent is not None and node.parent.type == "unary_expression":
            node = node.parent
        holder = node.parent
        declaration = holder.parent if holder is not None and holder.type == "expression_list" else None
        if declaration is None or declaration.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
            continue
        left = declaration.child_by_field_name("left") or declaration.child_by_field_name("name")
        local = node_text(left.named_children[0]) if left is not None and left.named_children else node_text(left)
        if not re.fullmatch(r"\w+", local or ""):
            continue
        fn = fns[-1]
        made.setdefault(comp.type_name, []).append((fn.start_point[0] + 1, fn.end_point[0] + 1, local))
    if not made:
        return {}
    package = _package_name(gf)
    out: dict[str, Expr] = {}
    for fn in gf.root.named_children:
        if fn.type != "function_declaration":
            continue
        params, name_node = _params(fn), fn.child_by_field_name("name")
        if not params or name_node is None or b"func(" not in gf.data[fn.start_byte:fn.end_byte]:
            continue
        name = node_text(name_node)
        for owner, stored in _stored_parameters(gf, fn, params, set(made)).items():
            for field, param in stored.items():
                used = any(first <= f.line <= last and f.line - 1 < len(lines) and
                           re.search(rf"\b{re.escape(local)}\.{re.escape(field)}\b", lines[f.line - 1])
                           for first, last, local in made[owner] for f in timeouts)
                if not used:
                    continue
                index = params.index(param)
                for n in ((name, f"{package}.{name}") if package else (name,)):
                    out.setdefault(f"{n}.{wrappers.TIMEOUT_PARAM}:{index}", Num(1.0))
                    out.setdefault(f"{n}.{wrappers.TIMEOUT_PARAM}:{param}", Num(1.0))
    return out


# round 19 (second wave): a call of a request helper taking functional options that gives none of
# its timeout option gets the options type's default (rule b); see `_option_defaults_r19b`.
OPTIONS_SLOT = "options"
TIMEOUT_OPTION = "$timeout_option"


def _variadic_param(fn: ts.Node) -> str | None:
    params = fn.child_by_field_name("parameters")
    for decl in params.named_children if params is not None else []:
        if decl.type == "variadic_parameter_declaration":
            names = decl.children_by_field_name("name")
            return node_text(names[0]) if names else None
    return None


def _option_defaults_r19b(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    """Rule (b) for functional options (round 19, kraken): `func Send(method, url string, options
    ...SendOption)` makes `opts := &sendOptions{timeout: 60 * time.Second}`, applies its options
    (`for _, o := range options { o(opts) }`) and hands `opts.timeout` to a client's Timeout, and
    `SendTimeout(d)` of this file stores its parameter in that field. A call of Send giving no
    SendTimeout gets the 60 s: Send publishes `Send.$timeout_omitted:options`, the default
    (`$timeout_default:options`) and the option that overrides it (`$timeout_option:options` =
    "SendTimeout"); so do the functions of this file that hand their own options on to it
    (`func Get(url string, options ...SendOption) { return Send("GET", url, options...) }`)."""
    if b"func(" not in gf.data or b"range " not in gf.data:
        return {}
    timeouts = [f for f in findings if f.kind == "timeout" and f.detector != ID and not f.attributes.get("forward")]
    if not timeouts:
        return {}
    lines = gf.data.decode("utf-8", "replace").splitlines()
    declared = [fn for fn in gf.root.named_children if fn.type == "function_declaration"
                and fn.child_by_field_name("name") is not None]
    # option function -> (options type, field it stores its parameter in)
    options: dict[tuple[str, str], str] = {}
    types = {c.type_name for c in gf.composites}
    for fn in declared:
        params = _params(fn)
        if not params or len(params) != 1 or b"func(" not in gf.data[fn.start_byte:fn.end_byte]:
            continue
        for owner, stored in _stored_parameters(gf, fn, params, types).items():
            for field in stored:
                options.setdefault((owner, field), node_text(fn.child_by_field_name("name")))
    if not options:
        return {}
    package = _package_name(gf)
    published: dict[str, tuple[Expr, str]] = {}  # function -> (default, option name)
    for fn in declared:
        variadic = _variadic_param(fn)
        body = fn.child_by_field_name("body")
        if variadic is None or body is None:
            continue
        text = gf.data[body.start_byte:body.end_byte].decode("utf-8", "replace")
        for comp in gf.composites:
            if not (body.start_byte <= comp.node.start_byte < body.end_byte):
                continue
            node = comp.node.parent if comp.node.parent is not None and comp.node.parent.type == "unary_expression" \
                else comp.node
            holder = node.parent
            declaration = holder.parent if holder is not None and holder.type == "expression_list" else None
            if declaration is None or declaration.type not in ("short_var_declaration", "assignment_statement"):
                continue
            left = declaration.child_by_field_name("left")
            local = node_text(left.named_children[0]) if left is not None and left.named_children else ""
            if not re.fullmatch(r"\w+", local) or not re.search(
                    rf"range\s+{re.escape(variadic)}\b[\s\S]*?\b\w+\(\s*&?{re.escape(local)}\s*\)", text):
                continue  # the options are not applied to this value
            for (owner, field), option in options.items():
                if owner != comp.type_name or field not in comp.fields:
                    continue
                first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
                for f in timeouts:
                    if not (first <= f.line <= last and f.line - 1 < len(lines) and
                            re.search(rf"\b{re.escape(local)}\.{re.escape(field)}\b", lines[f.line - 1])):
                        continue
                    value = f.attributes.get("timeout_ms")
                    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 \
                            and f.attributes.get("phase") in (None, "total"):
                        published.setdefault(node_text(fn.child_by_field_name("name")), (Num(float(value)), option))
    if not published:
        return {}
    # functions handing their own options on to a published one: `return Send("GET", url, options...)`
    for _ in range(3):
        for fn in declared:
            name, variadic = node_text(fn.child_by_field_name("name")), _variadic_param(fn)
            if name in published or variadic is None:
                continue
            for call in gf.calls:
                if not (fn.start_byte <= call.node.start_byte < fn.end_byte) or not call.args:
                    continue
                last_arg = inner_expression(call.args[-1])
                callee = call.node.child_by_field_name("function")
                if last_arg.type == "variadic_argument" and node_text(last_arg).replace(" ", "") == f"{variadic}..." \
                        and callee is not None and callee.type == "identifier" and node_text(callee) in published:
                    published[name] = published[node_text(callee)]
                    break
    out: dict[str, Expr] = {}
    for name, (default, option) in published.items():
        for n in ((name, f"{package}.{name}") if package else (name,)):
            out[f"{n}.{wrappers.TIMEOUT_OMITTED}:{OPTIONS_SLOT}"] = Num(1)
            out[f"{n}.{wrappers.TIMEOUT_DEFAULT}:{OPTIONS_SLOT}"] = default
            out[f"{n}.{TIMEOUT_OPTION}:{OPTIONS_SLOT}"] = Str(option)
    return out


def _struct_params(gf: GoFile, fns: list[wrappers.Function]) -> dict[str, Expr]:
    """A helper whose parameter is a struct of settings: `SyncPost(..., before *BeforeConfig) {
    c.post(..., before.Timeout) }` hands a setting field of it to a helper's timeout parameter ->
    `SyncPost.$timeout_param:4.field`; a helper handing the whole struct on (`webhookBefore(ctx, before)
    -> SyncPost(..., before)`) publishes what the inner one publishes for it."""
    found: dict[str, list[Expr]] = {}
    plain = [fn for fn in fns if not fn.aliases]
    for call in gf.calls:
        if not call.args:
            continue
        around = [fn for fn in plain if fn.first_line <= call.line <= fn.last_line]
        if not around:
            continue
        callee = None
        for index, arg in enumerate(call.args):
            node = inner_expression(arg)
            if node.type == "selector_expression":
                operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
                if operand is None or operand.type != "identifier" or field is None or \
                        not _SETTING_NAME.search(node_text(field)):
                    continue
                param, slot = node_text(operand), str(index)
            elif node.type == "identifier":
                param, slot = node_text(node), f"{index}.{FIELD_SLOT}"
            else:
                continue
            if gf.lookup_local(param, node) is not OPAQUE:
                continue
            declared = _declared_type(gf, param, node)
            if declared is not None and _NUMERIC_TYPE.match(declared):
                continue  # a number handed on: the plain forward chain
            if node.type == "identifier" and not _CONFIG_ARGUMENT.search(declared or ""):
                continue  # only a settings struct is followed whole (`before *config.BeforeConfig`)
            callee = callee or _callee(gf, call)
            if callee is None:
                break
            for fn in around:
                if param not in fn.params:
                    continue
                own = f"{fn.params.index(param)}.{FIELD_SLOT}"
                for name in fn.names:
                    for marker in (wrappers.TIMEOUT_PARAM, wrappers.TIMEOUT_PHASE):
                        refs = found.setdefault(f"{name}.{marker}:{own}", [])
                        ref = Ref(f"{callee}.{marker}:{slot}")
                        if ref not in refs:
                            refs.append(ref)
    # handed to several helpers (`webhook.WithCondition(ctx, before, ...)` and, inside, `SyncPost(...,
    # before)`): whichever of them publishes the field
    return {key: refs[0] if len(refs) == 1 else Call("coalesce", tuple(refs)) for key, refs in found.items()}


def _schedule_params(gf: GoFile, fns: list[wrappers.Function], findings: list[Finding]) -> dict[str, Expr]:
    """A retry loop over the helper's variadic delays (`func Retry(f, after ...time.Duration) { for _, d
    := range after {...} }`) tries once per delay: `Retry.$attempts_param:*1` = 1 try per delay."""
    out: dict[str, Expr] = {}
    loops = {loop.start_point[0] + 1: loop for loop in gf.loops}
    for f in findings:
        if f.kind != "retry" or f.detector != "go.retry" or f.line not in loops:
            continue
        clause = next((c for c in loops[f.line].named_children if c.type == "range_clause"), None)
        ranged = node_text(clause.child_by_field_name("right")) if clause is not None else ""
        for fn in fns:
            if not (fn.first_line <= f.line <= fn.last_line) or not fn.params or fn.params[-1] != ranged:
                continue
            node = next((n for n in gf.root.named_children if n.start_point[0] + 1 == fn.first_line
                         and n.type in ("function_declaration", "method_declaration")), None)
            params = node.child_by_field_name("parameters") if node is not None else None
            if params is None or not params.named_children or \
                    params.named_children[-1].type != "variadic_parameter_declaration":
                continue
            for name in fn.names:
                out.setdefault(f"{name}.{wrappers.ATTEMPTS_PARAM}:*{len(fn.params) - 1}", Num(1.0))
    return out


