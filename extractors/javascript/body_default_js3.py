"""(round 19, js3) A parameter given its default in the function's body, not in its signature.

`const retryInstance = (options, checkFn, callback) => { if (!options) { options = { retries: 100 } } ...
retry.operation(options) }` (gekko's exchange retry helper): a call handing `null` or `undefined` (or
nothing) for `options` gets `{ retries: 100 }`, as `options = { retries: 100 }` in the signature would
for a call leaving it out. Read here: the first statements of the body (before any other use of the
parameter) of the shapes

- `if (!p) { p = <value> }`, `if (!p) p = <value>`, `if (p == null)`, `if (p === undefined)`, `if (p === null)`,
  `if (typeof p === 'undefined')`
- `p = p || <value>`, `p = p ?? <value>`, `p ||= <value>`, `p ??= <value>`

Only object literals are taken as such a default here (a number fallback is the `fallback` reading of
the helpers that read `timeout || 5000` already). ``body_default(fn, name)`` gives (value node, what a
call must hand to get it: "falsy" for `!p`/`||`/`== null`, "undefined" for `=== undefined`/`??`,
"null" for `=== null`).
"""

from __future__ import annotations

from extractors import treesitter as ts

_FUNCTION_TYPES = frozenset({
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function", "function",
})


def _unwrap(node):
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _is_param(fn, name: str) -> bool:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return False
    if params.type == "identifier":
        return ts.text(params) == name
    for param in params.named_children:
        node = param
        if param.type in ("required_parameter", "optional_parameter"):
            if param.child_by_field_name("value") is not None:
                return False  # a signature default of its own: that one is read
            node = param.child_by_field_name("pattern")
        if node is not None and node.type == "identifier" and ts.text(node) == name:
            return True
    return False


def _condition_kind(cond, name: str) -> str | None:
    """What `cond` tests the parameter for: "falsy", "undefined", "null" or None."""
    cond = _unwrap(cond)
    if cond is None:
        return None
    if cond.type == "unary_expression" and ts.text(cond).startswith("!") and cond.named_children:
        inner = _unwrap(cond.named_children[0])
        if inner is not None and inner.type == "identifier" and ts.text(inner) == name:
            return "falsy"
        return None
    if cond.type != "binary_expression":
        return None
    op = ts.text(cond.child_by_field_name("operator"))
    left, right = _unwrap(cond.child_by_field_name("left")), _unwrap(cond.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if right.type == "identifier" and ts.text(right) == name:
        left, right = right, left
    if left.type == "unary_expression" and ts.text(left).replace(" ", "") == f"typeof{name}" and \
            op in ("==", "===") and ts.text(right).strip("'\"") == "undefined":
        return "undefined"
    if left.type != "identifier" or ts.text(left) != name:
        return None
    if op == "==" and right.type in ("null", "undefined"):
        return "falsy_nullish"
    if op == "===" and right.type == "undefined":
        return "undefined"
    if op == "===" and right.type == "null":
        return "null"
    return None


def _assigned(stmt, name: str):
    """The value of `name = <value>` when ``stmt`` is that statement (or a block holding only it)."""
    if stmt is not None and stmt.type == "statement_block":
        inner = [c for c in stmt.named_children if c.type != "comment"]
        if len(inner) != 1:
            return None
        stmt = inner[0]
    if stmt is None or stmt.type != "expression_statement" or not stmt.named_children:
        return None
    assign = stmt.named_children[0]
    if assign.type != "assignment_expression":
        return None
    left = assign.child_by_field_name("left")
    if left is None or left.type != "identifier" or ts.text(left) != name:
        return None
    return _unwrap(assign.child_by_field_name("right"))


def body_default(fn, name: str):
    """(value node, "falsy" | "undefined" | "null" | "nullish") of the in-body default of parameter
    ``name`` of ``fn`` when it is an object literal; None otherwise."""
    if fn is None or fn.type not in _FUNCTION_TYPES or not _is_param(fn, name):
        return None
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    for stmt in body.named_children[:6]:
        if stmt.type == "comment":
            continue
        found = _default_of(stmt, name)
        if found is not None:
            value, kind = found
            return (value, kind) if value is not None and value.type == "object" else None
        if any(n.type == "identifier" and ts.text(n) == name for n in _walk(stmt)):
            return None  # read (or written) before any default: not the parameter's default
    return None


def _default_of(stmt, name: str):
    if stmt.type == "if_statement" and stmt.child_by_field_name("alternative") is None:
        kind = _condition_kind(stmt.child_by_field_name("condition"), name)
        if kind is None:
            return None
        value = _assigned(stmt.child_by_field_name("consequence"), name)
        if value is None:
            return None
        return value, "nullish" if kind == "falsy_nullish" else kind
    if stmt.type == "expression_statement" and stmt.named_children:
        assign = stmt.named_children[0]
        if assign.type == "augmented_assignment_expression":
            left = assign.child_by_field_name("left")
            op = ts.text(assign.child_by_field_name("operator"))
            if left is not None and ts.text(left) == name and op in ("||=", "??="):
                return _unwrap(assign.child_by_field_name("right")), "falsy" if op == "||=" else "nullish"
            return None
        value = _assigned(stmt, name)
        if value is not None and value.type == "binary_expression":
            op = ts.text(value.child_by_field_name("operator"))
            left = _unwrap(value.child_by_field_name("left"))
            if op in ("||", "??") and left is not None and left.type == "identifier" and ts.text(left) == name:
                return _unwrap(value.child_by_field_name("right")), "falsy" if op == "||" else "nullish"
    return None


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.named_children)


def takes_default(kind: str, arg) -> bool:
    """Whether a call's argument ``arg`` (a node, None when left out) gets a default of ``kind``."""
    if arg is None:
        return kind != "null"
    t = arg.type
    if t == "undefined" or (t == "identifier" and ts.text(arg) == "undefined"):
        return kind != "null"
    if t == "null":
        return kind in ("falsy", "nullish", "null")
    return False


def default_member(node):
    """("options.retries") when ``node`` is the value of a member of a parameter's in-body default object
    (`if (!options) options = { retries: 100 }`): a count read there is that parameter's member, which
    its callers may hand (rule c) or leave to the default (rule b)."""
    pair = node.parent if node is not None else None
    if pair is None or pair.type != "pair" or pair.child_by_field_name("value") != node:
        return None
    obj = pair.parent
    holder = obj.parent if obj is not None else None
    while holder is not None and holder.type == "parenthesized_expression":
        holder = holder.parent
    if holder is None or holder.type not in ("assignment_expression", "augmented_assignment_expression",
                                             "binary_expression"):
        return None
    if holder.type == "binary_expression":
        holder = holder.parent
        if holder is None or holder.type != "assignment_expression":
            return None
    left = holder.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    name = ts.text(left)
    fn = holder.parent
    while fn is not None and fn.type not in _FUNCTION_TYPES:
        fn = fn.parent
    found = body_default(fn, name)
    if found is None or found[0].start_byte != obj.start_byte:
        return None
    key = pair.child_by_field_name("key")
    if key is None or key.type not in ("property_identifier", "identifier"):
        return None
    return f"{name}.{ts.text(key)}"


def uses_after_default(node, name: str) -> list:
    """The identifiers reading parameter ``name`` after the in-body default holding ``node``."""
    fn = node.parent
    while fn is not None and fn.type not in _FUNCTION_TYPES:
        fn = fn.parent
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return []
    return [n for n in _walk(body) if n.type == "identifier" and ts.text(n) == name and n.start_byte > node.end_byte
            and not (n.parent is not None and n.parent.type == "assignment_expression"
                     and n.parent.child_by_field_name("left") == n)]


_MOMENT_UNITS = {"ms": 1.0, "millisecond": 1.0, "milliseconds": 1.0, "s": 1000.0, "second": 1000.0,
                 "seconds": 1000.0, "m": 60000.0, "minute": 60000.0, "minutes": 60000.0, "h": 3600000.0,
                 "hour": 3600000.0, "hours": 3600000.0, "d": 86400000.0, "day": 86400000.0, "days": 86400000.0}


def moment_duration_ms(imports: dict, fn: str, args: list) -> float | None:
    """(round 19, js3) `moment.duration(60, 'seconds')` of the moment package: its milliseconds (what `+duration`
    and `duration.asMilliseconds()` give), else None."""
    head, _, rest = fn.partition(".")
    if rest != "duration" or imports.get(head, "").split(".", 1)[0] not in ("moment", "moment-timezone") or \
            len(args) != 2 or args[0].type != "number":
        return None
    unit = ts.text(args[1]).strip("'\"`") if args[1].type == "string" else None
    try:
        return float(ts.text(args[0])) * _MOMENT_UNITS[unit] if unit in _MOMENT_UNITS else None
    except ValueError:
        return None
