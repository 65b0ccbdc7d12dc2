"""(round 19, js3) A call handing `null` / `undefined` to a helper whose body gives that parameter a default.

`const retryInstance = (options, checkFn, callback) => { if (!options) { options = { retries: 100, ... } }
const operation = retry.operation(options); ... }` exported as `retry` (gekko's exchangeUtils), called as
`retry(undefined, fetch, handle)` / `retry(null, fetch, handle)` in every exchange wrapper: each such call
gets the body's default (rule b: 101 tries, at the call), and a call handing `{ retries: 3 }` its own value
(rule c, wrapper_call's proposal). The helper's file publishes, besides the member (`<name>.$attempts_param:
0.retries`, read from the retry finding's ``attempts_expression``), what a call handing null / undefined at
that position gets: `<name>.$attempts_omitted:nil<i>` / `:undef<i>` and `<name>.$attempts_default:...`; a
call here proposes `omitted_retry_proposal(positional="nil<i>")`, kept only where that was published.

Also (``export_aliases``): a helper exported under another name (`module.exports = { retry: retryInstance }`,
`exports.retry = retryInstance`) publishes under that name too, as its callers address it.
Not: a `null` handed to a helper without such an in-body default (no publication, the proposal is dropped),
a default that is no object literal, a default assigned after the parameter was read.
"""

from __future__ import annotations

import re

from contract_discovery.resolve import ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED
from contract_discovery.values import Expr, Num
from extractors import treesitter as ts
from extractors import wrappers
from extractors.javascript.body_default_js3 import body_default
from extractors.javascript.context import FileContext, dotted, key_name, number_value, object_props, unwrap
from extractors.javascript.detectors import wrapper_call

ID = wrapper_call.ID

_NIL = {"null": "nil", "undefined": "undef"}


def detect(ctx: FileContext) -> None:
    for call in list(ctx.calls):
        nils = [(i, _NIL[unwrap(a).type]) for i, a in enumerate(call.args)
                if unwrap(a) is not None and unwrap(a).type in _NIL]
        if not nils:
            continue
        try:
            callee = wrapper_call._helper_callee(ctx, call)
        except Exception:  # noqa: BLE001 - one odd call costs only its proposal
            continue
        if callee is None:
            continue
        first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
        if any(f.kind == "retry" and first <= f.line <= last and not any(p.attribute == "$keep_if" for p in f.pending)
               for f in ctx.findings):
            continue  # another detector reads this call already
        node = wrapper_call._call_site(call.node)
        for position, tag in nils:
            finding = wrappers.omitted_retry_proposal(
                path=ctx.path, language="javascript", node=node, detector=ID, callee=callee,
                positional=f"{tag}{position}", args=wrapper_call._url_args(ctx, call))
            if finding is not None:
                ctx.findings.append(finding)


_BOUND = re.compile(r"^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)(?:\s*([+-])\s*(\d+(?:\.\d+)?))?$")


def publish(ctx: FileContext, findings) -> dict[str, Expr]:
    """What a call handing null / undefined for a parameter defaulted in the body gets (see the module doc)."""
    retries = [f for f in findings if f.kind == "retry" and f.attributes.get("attempts_expression")]
    if not retries:
        return {}
    out: dict[str, Expr] = {}
    for names, fn in wrapper_call._helpers(ctx):
        first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
        inside = [f for f in retries if first <= f.line <= last]
        if not inside:
            continue
        positional = wrapper_call._positional_names(fn)
        for position, param in enumerate(positional):
            found = body_default(fn, param)
            if found is None:
                continue
            value, kind = found
            members = object_props(value) or {}
            for fd in inside:
                match = _BOUND.match(str(fd.attributes.get("attempts_expression")).strip())
                if match is None or match.group(1) != param or match.group(2) not in members:
                    continue
                number = number_value(members[match.group(2)])
                if number is None:
                    continue
                offset = float(match.group(4) or 0) * (-1 if match.group(3) == "-" else 1)
                made = Num(number + offset)
                tags = {"falsy": ("nil", "undef"), "nullish": ("nil", "undef"), "undefined": ("undef",),
                        "null": ("nil",)}[kind]
                counts = [f"{t}{position}" for t in tags]
                if kind != "null":
                    counts += [str(n) for n in range(position + 1)]  # the argument left out altogether
                for name in names:
                    for count in counts:
                        out.setdefault(f"{name}.{ATTEMPTS_OMITTED}:{count}", Num(1))
                        out.setdefault(f"{name}.{ATTEMPTS_DEFAULT}:{count}", made)
    return out


def export_aliases(ctx: FileContext, symbols: dict) -> dict[str, Expr]:
    """`module.exports = { retry: retryInstance }`: the publications of `retryInstance.$...` under `retry.$...`."""
    aliases: dict[str, str] = {}
    for stmt in ctx.tree.root_node.named_children:
        if stmt.type != "expression_statement" or not stmt.named_children:
            continue
        assign = stmt.named_children[0]
        if assign.type != "assignment_expression":
            continue
        target = dotted(assign.child_by_field_name("left"))
        value = unwrap(assign.child_by_field_name("right"))
        if value is None:
            continue
        if target == "module.exports" and value.type == "object":
            for pair in value.named_children:
                if pair.type != "pair":
                    continue
                key, held = key_name(pair.child_by_field_name("key")), unwrap(pair.child_by_field_name("value"))
                if key and held is not None and held.type == "identifier" and ts.text(held) != key:
                    aliases[ts.text(held)] = key
        elif re.fullmatch(r"(?:module\.)?exports\.[A-Za-z_$][\w$]*", target) and value.type == "identifier" and \
                ts.text(value) != target.rsplit(".", 1)[-1]:
            aliases[ts.text(value)] = target.rsplit(".", 1)[-1]
    if not aliases:
        return {}
    out: dict[str, Expr] = {}
    for name, expr in symbols.items():
        head, dot, rest = name.partition(".")
        if dot and rest.startswith("$") and head in aliases:
            out[f"{aliases[head]}.{rest}"] = expr
    return out
