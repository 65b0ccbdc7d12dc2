"""(round 20, ts second wave) An environment class whose getters return its fields (GOV.UK One Login's
lambdas, ipv-cri-f2f-api):

    export class EnvironmentVariables {
      private GOVUKNOTIFY_MAX_RETRIES = process.env.GOVUKNOTIFY_MAX_RETRIES;
      constructor(logger, serviceType) {
        if (!this.GOVUKNOTIFY_MAX_RETRIES || ...) { this.GOVUKNOTIFY_MAX_RETRIES = "3"; }
      }
      maxRetries(): number { return +this.GOVUKNOTIFY_MAX_RETRIES!; }
    }

publishes `EnvironmentVariables.maxRetries.$return` = Env("GOVUKNOTIFY_MAX_RETRIES", 3): the value the
service runs with unless the variable is set (the constant the class writes when it is missing). A
caller holding the class in a typed field or variable (`this.environmentVariables.maxRetries()`) reads
it (`getter_ref`, from `FileContext.to_expr`)."""

from __future__ import annotations

import re

from contract_discovery.values import Env, Num, Ref
from extractors import treesitter as ts
from extractors.javascript.context import descendants, unwrap

_RETURNED_FIELD = re.compile(r"^(?:\+|Number\(|parseInt\(|parseFloat\()?\s*this\.([A-Za-z_$][\w$]*)\s*!?\s*(?:\)|,\s*10\))?$")


def publish(ctx) -> None:
    if b"constructor" in ctx.data:
        _constructor_fallbacks(ctx)
    if b"process.env" not in ctx.data:
        return
    for cls in (n for n in ts.walk(ctx.tree.root_node) if n.type in ("class_declaration", "abstract_class_declaration")):
        name = cls.child_by_field_name("name")
        body = cls.child_by_field_name("body")
        if name is None or body is None:
            continue
        envs: dict[str, str] = {}
        methods = []
        for member in body.named_children:
            if member.type in ("public_field_definition", "field_definition"):
                key = member.child_by_field_name("name") or member.child_by_field_name("property")
                value = ts.text(member.child_by_field_name("value") or member).strip()
                match = re.fullmatch(r"\+?\s*process\.env\.([A-Z][A-Z0-9_]*)\s*!?", value)
                if key is not None and member.child_by_field_name("value") is not None and match:
                    envs[ts.text(key)] = match.group(1)
            elif member.type == "method_definition":
                methods.append(member)
        if not envs:
            continue
        defaults: dict[str, float] = {}
        for node in descendants(body):
            if node.type != "assignment_expression":
                continue
            left = ts.text(node.child_by_field_name("left"))
            field = left[5:] if left.startswith("this.") else None
            right = unwrap(node.child_by_field_name("right"))
            if field not in envs or right is None:
                continue
            text = ts.text(right).strip("\"'`")
            if right.type in ("number", "string") and re.fullmatch(r"\d+(?:\.\d+)?", text):
                if field in defaults and defaults[field] != float(text):
                    defaults[field] = float("nan")  # two different constants: none claimed
                else:
                    defaults[field] = float(text)
        for method in methods:
            params = method.child_by_field_name("parameters")
            if params is not None and params.named_children:
                continue
            mbody = method.child_by_field_name("body")
            stmts = [s for s in (mbody.named_children if mbody is not None else []) if s.type != "comment"]
            if len(stmts) != 1 or stmts[0].type != "return_statement" or not stmts[0].named_children:
                continue
            match = _RETURNED_FIELD.match(ts.text(stmts[0].named_children[0]).strip())
            if match is None or match.group(1) not in envs:
                continue
            field = match.group(1)
            default = defaults.get(field)
            expr = Env(envs[field], Num(default)) if default is not None and default == default else Env(envs[field])
            ctx.symbols.setdefault(f"{ts.text(name)}.{ts.text(method.child_by_field_name('name'))}.$return", expr)


def getter_ref(ctx, fn: str, node: ts.Node):
    """`this.environmentVariables.maxRetries()` (no arguments), the holder typed as a class imported from
    the project: Ref(`<Class>.<method>.$return`); None otherwise."""
    holder, _, method = fn.rpartition(".")
    if not holder or not re.fullmatch(r"[A-Za-z_$][\w$]*", method) or holder.count(".") > 1:
        return None
    from extractors.javascript.detectors.wrapper_call import _instance_class
    cached = "_wrapper_holders" in ctx.__dict__
    cls = _instance_class(ctx, holder, node)
    if not cached:
        ctx.__dict__.pop("_wrapper_holders", None)  # read before the file is fully known: not kept
    return Ref(f"{cls}.{method}.$return") if cls is not None else None


_FALLBACK = re.compile(r"^this\.([A-Za-z_$][\w$]*)$")


def _constructor_fallbacks(ctx) -> None:
    """`class TypesenseConfig { constructor(options: TypesenseConfigOptions) { this.numRetries =
    options.numRetries || 3 } }` (ocean-node): the field is the fallback unless the options set it,
    published as `$typed:TypesenseConfig.numRetries` (what `this.config.numRetries` of a parameter
    property typed `TypesenseConfig` reads, typed_config_lead)."""
    from extractors.javascript.context import TYPED
    for cls in (n for n in ts.walk(ctx.tree.root_node) if n.type in ("class_declaration", "abstract_class_declaration")):
        name = cls.child_by_field_name("name")
        body = cls.child_by_field_name("body")
        ctor = next((m for m in (body.named_children if body is not None else [])
                     if m.type == "method_definition" and ts.text(m.child_by_field_name("name")) == "constructor"), None)
        if name is None or ctor is None or ctor.child_by_field_name("body") is None:
            continue
        params = ctor.child_by_field_name("parameters")
        param_names = {ts.text(p.child_by_field_name("pattern")) for p in (params.named_children if params is not None else [])
                       if p.type in ("required_parameter", "optional_parameter") and p.child_by_field_name("pattern") is not None}
        for stmt in ctor.child_by_field_name("body").named_children:
            inner = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
            if inner is None or inner.type != "assignment_expression":
                continue
            field = _FALLBACK.match(ts.text(inner.child_by_field_name("left")))
            right = unwrap(inner.child_by_field_name("right"))
            if field is None or right is None or right.type != "binary_expression" or \
                    ts.text(right.child_by_field_name("operator")) not in ("||", "??"):
                continue
            left, fallback = unwrap(right.child_by_field_name("left")), unwrap(right.child_by_field_name("right"))
            if left is None or left.type != "member_expression" or fallback is None or fallback.type != "number" or \
                    ts.text(left).split(".", 1)[0].rstrip("?") not in param_names:
                continue
            try:
                value = float(ts.text(fallback).replace("_", ""))
            except ValueError:
                continue
            ctx.symbols.setdefault(f"{TYPED}{ts.text(name)}.{field.group(1)}", Num(value))
