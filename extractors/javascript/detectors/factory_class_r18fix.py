"""(round 18, second-wave fixes) A constructor a project factory returns, and the options its callers give it.

fxa-auth-server's lib/backendService.js: `module.exports = function createBackendServiceAPI(log, config,
serviceName, methods) { function Service(url, options = {}) { this._pool = new Pool(url, options) } ...;
return Service }`, and in lib/customs.js `const CustomsAPI = createBackendServiceAPI(log, config, 'customs',
{...}); this.api = new CustomsAPI(url, { timeout: 3000 })`. The returned constructor hands its options on to
the pool helper (whose `timeout: options.timeout || 5000` publishes `Pool.$timeout_param:1.timeout`): the
factory's file publishes that link for the constructor it returns (`<factory>.$return.$timeout_param:1.timeout`,
also without the name for a default export), and each construction through a factory's result that names a
timeout in an options literal is proposed there (rule c, at the key), kept only when the link resolves."""

from __future__ import annotations

import re

from contract_discovery.resolve import TIMEOUT_PARAM
from contract_discovery.values import Ref
from extractors import treesitter as ts
from extractors import wrappers
from extractors.javascript.context import FUNCTION_TYPES, FileContext, descendants, dotted, key_name, unwrap

ID = "javascript.wrapper_call"
_TIMEOUT_KEY = re.compile(r"^(timeout|timeoutMs|requestTimeout|connectTimeout|connectionTimeout)$")
_PHASE = "$timeout_phase"


def detect(ctx: FileContext) -> None:
    _publish_returned_constructors(ctx)
    _propose_constructions(ctx)


def _exported_factories(ctx: FileContext):
    """(name or None, function node, is default export) of `module.exports = function F(...) {}` and
    `module.exports.F = ...` / `exports.F = function ...`."""
    for node in descendants(ctx.tree.root_node):
        if node.type != "assignment_expression":
            continue
        left, right = ts.text(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
        if right is None or right.type not in FUNCTION_TYPES:
            continue
        name_node = right.child_by_field_name("name")
        if left == "module.exports":
            yield (ts.text(name_node) if name_node is not None else None), right, True
        elif re.fullmatch(r"(module\.)?exports\.[A-Za-z_$][\w$]*", left):
            yield left.rsplit(".", 1)[-1], right, False


def _publish_returned_constructors(ctx: FileContext) -> None:
    forwards = [f for f in ctx.findings if f.kind == "timeout" and f.attributes.get("forward")]
    if not forwards:
        return
    for name, fn, default in _exported_factories(ctx):
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        returned = {ts.text(unwrap(r.named_children[0])) for r in body.named_children
                    if r.type == "return_statement" and r.named_children and unwrap(r.named_children[0]) is not None
                    and unwrap(r.named_children[0]).type == "identifier"}
        for inner in body.named_children:
            if inner.type != "function_declaration" or ts.text(inner.child_by_field_name("name")) not in returned:
                continue
            params = inner.child_by_field_name("parameters")
            names = []
            for p in (params.named_children if params is not None else []):
                target = p.child_by_field_name("left") if p.type == "assignment_pattern" else p
                names.append(ts.text(target) if target is not None and target.type == "identifier" else None)
            first, last = inner.start_point[0] + 1, inner.end_point[0] + 1
            for f in forwards:
                if not first <= f.line <= last:
                    continue
                via, key = f.attributes.get("via"), f.attributes.get("key")
                given = next((p.expr for p in f.pending if p.attribute == "$forward"), None)
                if not via or key is None or not isinstance(given, Ref):
                    continue
                head, _, member = given.name.partition(".")
                if head not in names or "." in member:
                    continue
                own = f"{names.index(head)}" + (f".{member}" if member else "")
                for prefix in ([f"{name}.$return"] if name else []) + (["$return"] if default else []):
                    ctx.symbols.setdefault(f"{prefix}.{TIMEOUT_PARAM}:{own}", Ref(f"{via}.{TIMEOUT_PARAM}:{key}"))
                    ctx.symbols.setdefault(f"{prefix}.{_PHASE}:{own}", Ref(f"{via}.{_PHASE}:{key}"))


def _propose_constructions(ctx: FileContext) -> None:
    from extractors.javascript.detectors.wrapper_call import _project_import
    taken = {(f.line, f.kind) for f in ctx.findings if not f.attributes.get("forward")}
    for call in ctx.calls:
        if not call.is_new or "." in call.callee or not call.args:
            continue
        made = unwrap(ctx.local_value(call.callee, call.node))
        if made is None or made.type != "call_expression":
            continue
        factory = dotted(made.child_by_field_name("function")) or ""
        head = factory.split(".", 1)[0]
        if not factory or head not in ctx.imports or not _project_import(ctx, head):
            continue
        callee = f"{factory}.$return"
        for index, arg in enumerate(call.args):
            obj = unwrap(arg)
            if obj is None or obj.type != "object":
                continue
            for pair in obj.named_children:
                if pair.type != "pair":
                    continue
                key = key_name(pair.child_by_field_name("key")) or ""
                value = unwrap(pair.child_by_field_name("value"))
                if not _TIMEOUT_KEY.match(key) or value is None:
                    continue
                line = pair.start_point[0] + 1
                if (line, "timeout") in taken:
                    continue
                expr = ctx.to_expr(value)
                ctx.findings.append(wrappers.timeout_proposal(
                    path=ctx.path, language="javascript", node=pair, detector=ID, callee=callee,
                    key=f"{index}.{key}", value=expr, expression=ts.text(value)))
                taken.add((line, "timeout"))
