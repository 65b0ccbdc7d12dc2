"""(round 21, ts2) An options parameter merged over a defaults object in the helper's body.

`executeWithRetries(fn, options = defaultOptions) { const actual = { ...defaultOptions, ...options };
const { maxAttempts: _maxAttempts } = actual; const maxAttempts = Math.max(_maxAttempts, 1); while (++attempt
<= maxAttempts) ... }` (metriport's @metriport/shared retry helpers; the same shape as `Object.assign({},
DEFAULTS, options)`, `{ ...DEFAULTS, ...(options ?? {}) }`, `_.defaults({}, options, DEFAULTS)`): the merged
object's members are the options parameter's (`<position>.<member>`, what callers write), each defaulting to
the defaults object's number when the caller leaves it (or the whole object) out. The helper's own loop is
rule (a) with that default, calls leaving the member out rule (b), calls naming it rule (c) (wrapper_call
publishes them as it does for `{ maxRetries = 3 } = {}` destructured in the signature).

A merged object handed on whole to another project helper (`executeWithRetries(fn, { ...actualOptions,
shouldRetry })`, executeWithNetworkRetries) forwards its attempts and timeout members to that helper:
`forwarded_members_ts2` names them for wrapper_call's chain proposals, and a call of the outer helper
leaving the member out gets the inner helper's default unless the outer defaults object sets it.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import descendants, unwrap

# members a merged options object hands on to another helper (only kept where that helper publishes them)
FORWARDED_MEMBERS = ("maxAttempts", "maxRetries", "retries", "attempts", "retryCount", "maxRetryCount",
                     "numRetries", "timeout", "timeoutMs", "timeoutInMs", "requestTimeout")


def _root(node: ts.Node) -> ts.Node:
    while node.parent is not None:
        node = node.parent
    return node


def defaults_object(node: ts.Node | None) -> ts.Node | None:
    """The object literal a top-level `const NAME(: Type)? = { ... }` (exported or not) holds, for the
    identifier ``node``; None for anything else."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    name = ts.text(node)
    for stmt in _root(node).named_children:
        holder = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if holder is None or holder.type != "lexical_declaration" or not ts.text(holder).startswith("const"):
            continue
        for decl in holder.named_children:
            if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                value = unwrap(decl.child_by_field_name("value"))
                if value is not None and value.type in ("as_expression", "satisfies_expression") and value.named_children:
                    value = unwrap(value.named_children[0])
                return value if value is not None and value.type == "object" else None
    return None


def _member_number(obj: ts.Node, member: str) -> float | None:
    from extractors.javascript.detectors.wrapper_call import _constant_number, _literal
    for pair in obj.named_children:
        if pair.type == "pair" and _key(pair.child_by_field_name("key")) == member:
            value = pair.child_by_field_name("value")
            number = _literal(value)
            return number if number is not None else _constant_number(value)
    return None


def _key(node: ts.Node | None) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return ts.text(node)
    if node.type == "string":
        return ts.text(node).strip("'\"`")
    return None


def _sets_member(obj: ts.Node, member: str) -> bool:
    return any(pair.type == "pair" and _key(pair.child_by_field_name("key")) == member
               or pair.type == "shorthand_property_identifier" and ts.text(pair) == member
               for pair in obj.named_children)


def _parts(value: ts.Node) -> list[ts.Node] | None:
    """The objects merged, in order: `{ ...A, ...B }` -> [A, B]; `Object.assign({}, A, B)` -> [A, B];
    `_.defaults({}, B, A)` -> [A, B] (lodash fills from the later ones); None for another shape."""
    value = unwrap(value)
    if value is None:
        return None
    if value.type == "object":
        spreads = [c for c in value.named_children if c.type != "comment"]
        if not spreads or any(c.type != "spread_element" for c in spreads):
            return None
        return [unwrap(c.named_children[0]) for c in spreads if c.named_children]
    if value.type == "call_expression":
        fn = ts.text(value.child_by_field_name("function"))
        args = value.child_by_field_name("arguments")
        items = [unwrap(a) for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if len(items) < 3 or items[0] is None or items[0].type != "object" or items[0].named_children:
            return None
        if fn == "Object.assign":
            return items[1:]
        if fn in ("_.defaults", "defaults", "lodash.defaults"):
            return list(reversed(items[1:]))
    return None


def _options_side(node: ts.Node | None) -> ts.Node | None:
    """`options`, `(options ?? {})`, `(options || {})` -> the identifier."""
    node = unwrap(node)
    if node is not None and node.type == "binary_expression" and \
            ts.text(node.child_by_field_name("operator")) in ("??", "||") and \
            ts.text(unwrap(node.child_by_field_name("right"))).replace(" ", "") == "{}":
        node = unwrap(node.child_by_field_name("left"))
    return node if node is not None and node.type == "identifier" else None


def merged_alias_ts2(local: str, value: ts.Node, keys: dict, defaults: dict, merged: dict) -> bool:
    """`const actual = { ...DEFAULTS, ...options }` with ``options`` a positional parameter: ``actual`` is that
    parameter (``keys``) merged over DEFAULTS (``merged[local]``: the defaults objects); the DEFAULTS
    object's numeric members are the options' members with their defaults (`actual.maxAttempts`)."""
    if local in keys:
        return False
    parts = _parts(value)
    if not parts or len(parts) < 2:
        return False
    options = [p for p in parts if _options_side(p) is not None and ts.text(_options_side(p)) in keys]
    if len(options) != 1 or parts[-1] is not options[0]:
        return False  # the caller's object last: its members win over the defaults
    holder = keys[ts.text(_options_side(options[0]))]
    if holder[1] is None or "." in holder[0]:
        return False
    objects = [obj for p in parts[:-1] if (obj := defaults_object(p)) is not None]
    if len(objects) != len(parts) - 1:
        return False
    keys[local] = holder
    merged[local] = (holder, objects)
    for obj in objects:
        for pair in obj.named_children:
            member = _key(pair.child_by_field_name("key")) if pair.type == "pair" else None
            number = _member_number(obj, member) if member else None
            if member and number is not None and re.fullmatch(r"[A-Za-z_$][\w$]*", member):
                keys[f"{local}.{member}"] = (f"{holder[1]}.{member}", None)
                defaults[f"{local}.{member}"] = number
    return True


def merged_destructure_ts2(pattern: ts.Node, value: ts.Node, keys: dict, defaults: dict, merged: dict) -> bool:
    """`const { maxAttempts: _maxAttempts, timeout, retries = 3 } = actual` of a merged object: each local is
    the options member, defaulting to the defaults object's number (else the pattern's own default)."""
    from extractors.javascript.detectors.wrapper_call import _constant_number, _literal
    value = unwrap(value)
    if value is None or value.type != "identifier" or ts.text(value) not in merged:
        return False
    (_, position), objects = merged[ts.text(value)]
    for part in pattern.named_children:
        local = member = None
        own = None
        if part.type == "shorthand_property_identifier_pattern":
            local = member = ts.text(part)
        elif part.type == "pair_pattern":
            member = _key(part.child_by_field_name("key"))
            target = part.child_by_field_name("value")
            if target is not None and target.type == "identifier":
                local = ts.text(target)
            elif target is not None and target.type == "assignment_pattern":
                left = target.child_by_field_name("left")
                local = ts.text(left) if left is not None and left.type == "identifier" else None
                own = target.child_by_field_name("right")
        elif part.type == "object_assignment_pattern":
            left = part.child_by_field_name("left")
            local = member = ts.text(left) if left is not None else None
            own = part.child_by_field_name("right")
        if not local or not member or local in keys:
            continue
        keys[local] = (f"{position}.{member}", None)
        number = None
        for obj in reversed(objects):
            if _sets_member(obj, member):
                number = _member_number(obj, member)
                break
        if number is None and own is not None:
            number = _literal(own)
            if number is None:
                number = _constant_number(own)
        if number is not None:
            defaults[local] = number
    return True


def merged_spread(node: ts.Node | None) -> ts.Node | None:
    """The identifier spread first into an object argument (`{ ...actualOptions, shouldRetry }`), else None."""
    node = unwrap(node)
    if node is None or node.type != "object":
        return None
    for child in node.named_children:
        if child.type == "spread_element" and child.named_children:
            inner = unwrap(child.named_children[0])
            if inner is not None and inner.type == "identifier":
                return inner
    return None


def merged_object_of(fn: ts.Node | None, name: str) -> tuple[ts.Node, list[ts.Node]] | None:
    """(the options parameter's identifier, the defaults objects) when ``name`` is declared at the top of
    ``fn``'s body as a merge of the parameter over defaults objects (or is the parameter itself)."""
    body = fn.child_by_field_name("body") if fn is not None else None
    for stmt in (body.named_children if body is not None and body.type == "statement_block" else []):
        if stmt.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for decl in stmt.named_children:
            if decl.type != "variable_declarator" or ts.text(decl.child_by_field_name("name")) != name:
                continue
            parts = _parts(decl.child_by_field_name("value"))
            if not parts or len(parts) < 2 or _options_side(parts[-1]) is None:
                return None
            objects = [defaults_object(p) for p in parts[:-1]]
            return _options_side(parts[-1]), [o for o in objects if o is not None]
    return None


def unclamped_ts2(expr):
    """`max(x, 1)` / `max(1, x)` (a floor guarding against nonsense values, as `Math.max(_maxAttempts, 1)`) -> x;
    an unresolved `this.<field>.<member>` -> a Ref of it (the field may be an options parameter kept whole)."""
    from contract_discovery.values import Call, Num, Ref, Unknown
    if isinstance(expr, Unknown) and re.fullmatch(r"this\.[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*", expr.text or ""):
        # `this._options.maxRetries`: a member of an options object the constructor keeps whole
        return Ref(expr.text)
    if isinstance(expr, Call) and expr.func in ("max", "Math.max") and len(expr.args) == 2 and not expr.kwargs:
        refs = [a for a in expr.args if isinstance(a, Ref)]
        nums = [a for a in expr.args if isinstance(a, Num)]
        if len(refs) == 1 and len(nums) == 1 and isinstance(nums[0].value, (int, float)) and nums[0].value <= 1:
            return refs[0]
    return expr


SPREAD_FORWARD = "(forward spread)"


def _handed_options(ctx, call, inner: ts.Node) -> tuple[str, list[ts.Node]] | None:
    """(the name of the calling helper's options object spread into ``inner``, the defaults objects spread
    before it or merged into it): `{ ...DEFAULTS, ...options, log }`, `{ ...actualOptions, shouldRetry }`."""
    from extractors.javascript.context import enclosing_function
    from extractors.javascript.detectors.wrapper_call import _forwarded
    inner = unwrap(inner)
    if inner is None or inner.type != "object":
        return None
    spreads = [unwrap(c.named_children[0]) for c in inner.named_children
               if c.type == "spread_element" and c.named_children]
    objects: list[ts.Node] = []
    for index, spread in enumerate(spreads):
        side = _options_side(spread)
        if side is None:
            continue
        name = ts.text(side)
        if _forwarded(side, name):
            before = [defaults_object(s) for s in spreads[:index]]
            if any(o is None for o in before):
                return None
            return name, [o for o in before if o is not None]
        found = merged_object_of(enclosing_function(call.node), name)
        if found is not None and _forwarded(found[0], ts.text(found[0])):
            before = [defaults_object(s) for s in spreads[:index]]
            if any(o is None for o in before):
                return None
            return name, [o for o in before if o is not None] + found[1]
    return None


def spread_forward_ts2(ctx, call, callee: str, position: int, inner: ts.Node) -> bool:
    """`return executeWithRetries(fn, { ...actualOptions, shouldRetry })` with ``actualOptions`` the calling
    helper's options parameter (or its merge over a defaults object), `{ ...defaultS3RetriesConfig, ...options }`:
    the caller's attempts and timeout members reach the inner helper's options (a chain, kept where the inner
    helper publishes the member); a call of the outer helper leaving the member out gets the defaults object's
    number, else the inner helper's default (``spread_omitted_ts2``). True when the call hands such an object on
    (no rule-(b) proposal of its own then)."""
    from dataclasses import replace
    from extractors import wrappers
    from extractors.javascript.detectors.wrapper_call import ID, _call_site
    from contract_discovery.values import Ref
    handed = _handed_options(ctx, call, inner)
    if handed is None:
        return False
    name, objects = handed
    named = {key_of(p) for p in inner.named_children if p.type in ("pair", "shorthand_property_identifier")}
    for member in FORWARDED_MEMBERS:
        if member in named:
            continue  # the inner call names it itself: a proposal (or forward) of its own
        finding = wrappers.forward_proposal(
            path=ctx.path, language="javascript", node=_call_site(call.node), detector=ID, callee=callee,
            key=f"{position}.{member}", value=Ref(f"{name}.{member}"),
            expression=f"{SPREAD_FORWARD} {name}.{member}")
        number = None
        for obj in reversed(objects):
            if _sets_member(obj, member):
                number = _member_number(obj, member)
                break
        if number is not None:
            finding = replace(finding, attributes={**finding.attributes, "spread_default_ts2": number})
        ctx.findings.append(finding)
    return True


def key_of(node: ts.Node) -> str | None:
    if node.type == "shorthand_property_identifier":
        return ts.text(node)
    return _key(node.child_by_field_name("key"))


def spread_forwarded(ctx, call) -> bool:
    """The call hands the calling helper's (merged) options object on in an object literal's spread."""
    return any(_handed_options(ctx, call, arg) is not None for arg in call.args or ())


def spread_omitted_ts2(out: dict, names, key: str, finding, member_default) -> None:
    """A call of the outer helper leaving the forwarded member (or its whole options object) out gets the
    inner helper's default for it (`executeWithNetworkRetries(fn)` -> executeWithRetries' `maxAttempts: 5`),
    unless the outer helper's own defaults object sets the member (then wrapper_call publishes that)."""
    from contract_discovery.resolve import ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, TIMEOUT_DEFAULT, TIMEOUT_OMITTED
    from contract_discovery.values import Num, Ref
    if member_default is not None or not str(finding.attributes.get("expression") or "").startswith(SPREAD_FORWARD):
        return
    callee, inner_key = finding.attributes.get("via"), str(finding.attributes.get("key") or "")
    position, _, member = key.partition(".")
    inner_position = inner_key.partition(".")[0]
    if not callee or not position.isdigit() or not inner_position.isdigit():
        return
    inner_count = int(inner_position) + 1  # the inner call hands an object without the member
    attempts = member in ("maxAttempts", "maxRetries", "retries", "attempts", "retryCount", "maxRetryCount",
                          "numRetries")
    omitted, given = (ATTEMPTS_OMITTED, ATTEMPTS_DEFAULT) if attempts else (TIMEOUT_OMITTED, TIMEOUT_DEFAULT)
    own = finding.attributes.get("spread_default_ts2")
    for name in names:
        for count in range(int(position) + 2):
            if isinstance(own, (int, float)) and not isinstance(own, bool):
                # the outer helper's defaults object sets the member: held where the inner helper reads it
                out[f"{name}.{omitted}:{count}"] = Ref(f"{callee}.{omitted}:{inner_count}")
                out[f"{name}.{given}:{count}"] = Num(float(own))
                continue
            out.setdefault(f"{name}.{omitted}:{count}", Ref(f"{callee}.{omitted}:{inner_count}"))
            out.setdefault(f"{name}.{given}:{count}", Ref(f"{callee}.{given}:{inner_count}"))


def _optional_last_argument(fn: ts.Node | None, key: str, line: int) -> bool:
    """``key`` is a TypeScript optional parameter of ``fn`` (`deadlineMs?: number`) and the last argument of a
    call on ``line`` inside it: undefined handed there leaves out that position only (and nothing after it)."""
    params = fn.child_by_field_name("parameters") if fn is not None else None
    optional = any(p.type == "optional_parameter" and p.child_by_field_name("pattern") is not None
                   and ts.text(p.child_by_field_name("pattern")) == key and p.child_by_field_name("value") is None
                   for p in (params.named_children if params is not None else []))
    if not optional:
        return False
    for node in descendants(fn):
        if node.type != "call_expression" or node.start_point[0] + 1 > line or node.end_point[0] + 1 < line:
            continue
        args = node.child_by_field_name("arguments")
        items = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if items and unwrap(items[-1]) is not None and unwrap(items[-1]).type == "identifier" and \
                ts.text(unwrap(items[-1])) == key:
            return True
    return False


def optional_forward_omitted_ts2(out: dict, names, key: str, index: int, finding, own_defaults, own_defaulted,
                                 fn: ts.Node | None = None) -> None:
    """(round 21, ts2) `safeSysRead(op, fallback, fn, extra?, deadlineMs?)` handing `deadlineMs` straight to
    `withSysReadDeadline(op(), deadlineMs)` whose `ms = env.REDIS_SYS_READ_TIMEOUT_MS`: a call leaving the
    optional parameter out hands `undefined` on, and JavaScript gives the inner parameter its default. The
    outer helper publishes, for calls leaving it out, the inner helper's own omitted markers (held only where
    the inner helper publishes a default for that position). Not for a parameter with a default of its own
    (wrappers publishes that), nor one handed on scaled or in an expression."""
    from contract_discovery.resolve import (ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, TIMEOUT_DEFAULT, TIMEOUT_OMITTED)
    from contract_discovery.values import Ref
    from extractors import wrappers
    if not finding.attributes.get("forward") or key in (own_defaults or {}) or key in (own_defaulted or ()):
        return
    value = next((p.expr for p in finding.pending if p.attribute == wrappers.FORWARD), None)
    callee, inner = finding.attributes.get("via"), finding.attributes.get("key")
    if not isinstance(value, Ref) or value.name != key or not callee or not isinstance(inner, int):
        return
    if not _optional_last_argument(fn, key, finding.line):
        return  # (a plain parameter handed on mid-call: the inner call still hands what comes after it)
    for omitted, given in ((TIMEOUT_OMITTED, TIMEOUT_DEFAULT), (ATTEMPTS_OMITTED, ATTEMPTS_DEFAULT)):
        for count in range(index + 1):
            for name in names:
                wrappers.coalesce_omitted_marker(out, f"{name}.{omitted}:{count}", Ref(f"{callee}.{omitted}:{inner}"))
                wrappers.coalesce_omitted_marker(out, f"{name}.{given}:{count}", Ref(f"{callee}.{given}:{inner}"))
