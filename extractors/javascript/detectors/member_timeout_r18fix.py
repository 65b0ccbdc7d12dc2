"""(round 18, second-wave fixes) A helper whose timeout is a member of a timeout object it is handed, fed
from node-config by its callers.

ONLYOFFICE's Common/sources/utils.js: `async function downloadUrlPromise(ctx, uri, optTimeout, ...) { const
axiosConfig = { ...options, signal: optTimeout?.wholeCycle ? AbortSignal.timeout(ms(optTimeout.wholeCycle)) :
undefined, timeout: optTimeout?.connectionAndInactivity ? ms(optTimeout.connectionAndInactivity) : undefined };
await axios(axiosConfig) }`. The parameter has no default, so the helper's own request is a forwarder (no
contract there: its `axios(axiosConfig)` is not reported); it publishes `<name>.$timeout_member:<index>` =
the member its request reads (`connectionAndInactivity`). A caller in another file handing it a value read
from node-config (`const t = ctx.getCfg('services.x.callbackRequestTimeout', cfgCallbackRequestTimeout)`
with `cfgCallbackRequestTimeout = config.get('services.x.callbackRequestTimeout')`, or `config.get(key)`
itself) is the contract (rule c, at the called name), valued at that member of the JSON object, an
ms-style duration ("10m") or a number of ms. Kept only when the helper's file published the member."""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, unwrap

ID = "javascript.member_timeout"
MEMBER = "$timeout_member"
_TIMEOUT_KEY = re.compile(r"^(timeout|timeoutMs|requestTimeout)$")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_CONFIG_KEY = re.compile(r"^\$node-config:(.+)$")


def _fn_name(fn: ts.Node) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        n = parent.child_by_field_name("name")
        return ts.text(n) if n is not None and n.type == "identifier" else None
    return None


def _plain_params(fn: ts.Node) -> list[str | None]:
    params = fn.child_by_field_name("parameters")
    out: list[str | None] = []
    if params is None:
        return out
    for p in params.named_children:
        if p.type == "identifier":
            out.append(ts.text(p))
        elif p.type in ("required_parameter", "optional_parameter") and p.child_by_field_name("value") is None \
                and (pat := p.child_by_field_name("pattern")) is not None and pat.type == "identifier":
            out.append(ts.text(pat))
        else:
            out.append(None)  # defaulted or destructured: not this shape
    return out


def _member_read(value: ts.Node, params: list[str | None]) -> tuple[int, str] | None:
    """`P?.m ? ms(P.m) : undefined`, `ms(P.m)`, `P.m`: (index of P, m)."""
    text = re.sub(r"\s+", "", ts.text(value))
    if "||" in text or "??" in text:
        return None  # `cfg.timeout || 60000`: the helper's own default (rule a), not a forwarded member
    found = set(re.findall(r"(?<![\w$.])([A-Za-z_$][\w$]*)\??\.([A-Za-z_$][\w$]*)", text))
    found = {(p, m) for p, m in found if p in params}
    if len(found) != 1:
        return None
    p, m = next(iter(found))
    if len(text) > 120:
        return None
    return params.index(p), m


def detect(ctx: FileContext) -> None:
    _publish_members(ctx)
    _propose_at_calls(ctx)


def _publish_members(ctx: FileContext) -> None:
    drop: set[int] = set()
    for fn in descendants(ctx.tree.root_node):
        if fn.type not in FUNCTION_TYPES:
            continue
        name = _fn_name(fn)
        params = _plain_params(fn)
        if not name or not any(params):
            continue
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        for pair in descendants(body, stop_at_functions=True):
            if pair.type != "pair":
                continue
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is None or value is None or not _TIMEOUT_KEY.match(ts.text(key).strip("'\"")):
                continue
            read = _member_read(value, params)
            if read is None:
                continue
            index, member = read
            ctx.symbols.setdefault(f"{name}.{MEMBER}:{index}", Str(member))
            obj = pair.parent
            drop.add(obj.start_byte)
            holder = obj.parent
            if holder is not None and holder.type == "variable_declarator":
                local = holder.child_by_field_name("name")
                if local is not None:
                    for call in ctx.calls_in(body):
                        if any(ts.text(unwrap(a) or a) == ts.text(local) for a in call.args):
                            drop.add(call.node.start_byte)
    if drop:
        # the helper's own request only forwards the member: no contract there (a forwarder)
        lines = set()
        for call in ctx.calls:
            if call.node.start_byte in drop:
                lines.add(call.node.start_point[0] + 1)
        ctx.findings[:] = [f for f in ctx.findings if not (
            f.kind == "timeout" and f.line in lines and f.attributes.get("timeout_ms") is None and
            all(isinstance(p.expr, Unknown) for p in f.pending if p.attribute == "timeout_ms"))]


def _config_key(ctx: FileContext, node: ts.Node | None, site: ts.Node, depth: int = 0) -> str | None:
    node = unwrap(node)
    if node is None or depth > 3:
        return None
    if node.type == "identifier":
        return _config_key(ctx, ctx.local_value(ts.text(node), site), site, depth + 1)
    expr = ctx.to_expr(node)
    if isinstance(expr, Ref) and (m := _CONFIG_KEY.match(expr.name)):
        return m.group(1)
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        named = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if fn is not None and ts.text(fn).rsplit(".", 1)[-1] in ("getCfg", "getConfig") and len(named) == 2:
            # a per-tenant override read with the node-config default: `ctx.getCfg(key, cfgX)`
            return _config_key(ctx, named[1], site, depth + 1)
    return None


def _propose_at_calls(ctx: FileContext) -> None:
    from extractors.javascript.detectors.wrapper_call import _helper_callee
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in ctx.calls:
        if call.is_new or not call.args:
            continue
        callee = _helper_callee(ctx, call)
        if not callee:
            continue
        for index, arg in enumerate(call.args):
            inner = unwrap(arg)
            if inner is None or inner.type not in ("identifier", "call_expression", "member_expression"):
                continue
            if inner.type == "member_expression":
                inner = _literal_member(ctx, inner, call.node)
            if inner is None:
                continue
            key = _config_key(ctx, inner, call.node)
            whole = None
            if key is None:
                whole = _same_valued_literal(ctx, inner, call.node)
                if whole is None:
                    continue
            fn = call.node.child_by_field_name("function")
            at = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
            line = (at or call.node).start_point[0] + 1
            if (line, "timeout") in taken:
                continue
            member = Ref(f"{callee}.{MEMBER}:{index}")
            if whole is not None:
                # a timeout object built here with one setting in every member: that setting
                value = Call("duration_ms", (Ref(f"$node-config:{whole}"),), (("bare", Num(1.0)),))
            else:
                value = Call("duration_ms", (Call("config_at", (Call("concat", (Str(f"$node-config:{key}."), member)),)),),
                             (("bare", Num(1.0)),))
            node = at or call.node
            start, end = node.start_point, call.node.end_point
            ctx.findings.append(Finding(
                kind="timeout", path=ctx.path, line=start[0] + 1, column=start[1] + 1, end_line=end[0] + 1,
                end_column=end[1] + 1, language="javascript", detector=ID, confidence="medium",
                attributes={"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                            "expression": ts.text(inner), "via": callee},
                evidence=ctx.line_text(start[0] + 1).strip()[:200],
                pending=(Pending("timeout_ms", value, 1.0), Pending(KEEP_IF, member, None))))
            taken.add((line, "timeout"))
            break


def _literal_member(ctx: FileContext, node: ts.Node, site: ts.Node) -> ts.Node | None:
    """`requestParams.timeout` of a local `const requestParams = { timeout: timeoutOptions, ... }`: its value."""
    obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
    if obj is None or prop is None or obj.type != "identifier":
        return None
    literal = unwrap(ctx.local_value(ts.text(obj), site))
    if literal is None or literal.type != "object":
        return None
    for pair in literal.named_children:
        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")).strip("'\"") == ts.text(prop):
            return unwrap(pair.child_by_field_name("value"))
        if pair.type == "shorthand_property_identifier" and ts.text(pair) == ts.text(prop):
            return None
    return None


def _same_valued_literal(ctx: FileContext, node: ts.Node, site: ts.Node) -> str | None:
    """`const timeoutOptions = { connectionAndInactivity: tenAiApiTimeout, wholeCycle: tenAiApiTimeout }`: the
    node-config key every member reads (whichever member the helper takes, it is that setting)."""
    literal = unwrap(ctx.local_value(ts.text(node), site)) if node.type == "identifier" else None
    if literal is None or literal.type != "object":
        return None
    values = [unwrap(p.child_by_field_name("value")) for p in literal.named_children if p.type == "pair"]
    if not values or len(values) != len(literal.named_children) or any(v is None for v in values) or \
            len({ts.text(v) for v in values}) != 1:
        return None
    return _config_key(ctx, values[0], site)
