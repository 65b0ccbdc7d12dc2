"""Round 19 (second wave, gofix2): a helper's options struct whose timeout field gets its default
inside the helper's body, rule (b) at each call whose struct leaves the field out.

    // package httpwrapper
    func NewClient(config *Config) Client {
        if config.Timeout == 0 {
            config.Timeout = models.DefaultConnectorClientTimeout
        }
        httpClient := &http.Client{Timeout: config.Timeout}   // rule (a): the helper's own line
        ...
    }

    // a caller in another package
    config := &httpwrapper.Config{Transport: t}               // no Timeout
    client.httpClient = httpwrapper.NewClient(config)         // rule (b): 10 s, at the call

The helper's file publishes `<pkg>.NewClient.$field_default_g2:<index>` (the default) and
`<pkg>.NewClient.$field_name_g2:<index>` (the field, "Timeout") when a timeout finding of its
body reads `config.Timeout`; a call handing a struct literal (or a local holding one, not assigned
that field before the call) that names no such key proposes the default, kept when the callee
publishes it and the field is not among the literal's keys. A call passing the field
(`&Config{Timeout: 5 * time.Second}`) is rule (c), read where the literal is (client_config).
"""

from __future__ import annotations

import re

from dataclasses import replace
from pathlib import Path

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Call, Expr, Ref, Str
from extractors import treesitter as ts
from extractors import wrappers
from extractors.go.detectors.wrapper_call import ID, _callee, _package_name
from extractors.go.gofile import outside_stdlib, Draft, GoFile, _package_folder, inner_expression, node_text

# its proposals are the helper-call detector's (go.wrapper_call): one per argument, never merged
DEFAULT = "$field_default_g2"
FIELD = "$field_name_g2"

_TIMEOUT_FIELD = re.compile(r"(?i)timeout|deadline")
# `if config.Timeout == 0 {`, `if c.Timeout <= 0 {`
_ZERO_CHECK = r"if\s+{p}\.(\w+)\s*(?:==|<=)\s*0\s*\{{\s*{p}\.\1\s*=\s*([^\n;]+?)\s*\n"


def _params(fn: ts.Node) -> list[str]:
    out = []
    params = fn.child_by_field_name("parameters")
    for decl in params.named_children if params is not None else []:
        names = decl.children_by_field_name("name")
        out.extend(node_text(n) for n in names) if names else out.append("")
    return out


def publish(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    out = read_at_use(gf, findings)
    for key, expr in _defaults(gf, findings).items():
        out.setdefault(key, expr)
    return out


def _defaults(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    if b"== 0" not in gf.data and b"<= 0" not in gf.data:
        return {}
    package = _package_name(gf)
    timeouts = [f for f in findings if f.kind == "timeout" and f.detector != ID]
    if not timeouts:
        return {}
    lines = gf.data.decode("utf-8", "replace").splitlines()
    out: dict[str, Expr] = {}
    for fn in gf.root.named_children:
        if fn.type != "function_declaration":
            continue
        name_node, body = fn.child_by_field_name("name"), fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        text = gf.data[body.start_byte:body.end_byte].decode("utf-8", "replace")
        first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
        for index, param in enumerate(_params(fn)):
            if not param.isidentifier():
                continue
            for found in re.finditer(_ZERO_CHECK.format(p=re.escape(param)), text):
                field, default_text = found.group(1), found.group(2)
                if not _TIMEOUT_FIELD.search(field):
                    continue
                read = [f for f in timeouts if first <= f.line <= last and f.line - 1 < len(lines)
                        and re.search(rf"\b{re.escape(param)}\.{field}\b", lines[f.line - 1])]
                if not read:
                    continue
                offset = body.start_byte + len(text[:found.start(2)].encode("utf-8"))
                node = body.descendant_for_byte_range(offset, offset + len(default_text.encode("utf-8")))
                while node is not None and node.parent is not None and node_text(node) != default_text \
                        and node.end_byte - node.start_byte < len(default_text.encode("utf-8")):
                    node = node.parent
                if node is None or node_text(node) != default_text:
                    continue
                default = gf.to_expr(node, duration=True)
                name = node_text(name_node)
                for n in ((name, f"{package}.{name}") if package else (name,)):
                    out.setdefault(f"{n}.{DEFAULT}:{index}", default)
                    out.setdefault(f"{n}.{FIELD}:{index}", Str(field))
    return out


def _literal_keys(gf: GoFile, arg: ts.Node, call_node: ts.Node) -> list[str] | None:
    """The keys of the struct literal handed as `arg` (`&T{...}`, `T{...}`, or a local holding one
    that no assignment of a field changes before the call), else None."""
    node = inner_expression(arg)
    local = None
    if node.type == "identifier":
        local = node_text(node)
        node = inner_expression(gf.resolve_name(node))
    if node.type == "unary_expression" and node_text(node.child_by_field_name("operator")) == "&":
        node = inner_expression(node.child_by_field_name("operand"))
    if node.type != "composite_literal":
        return None
    body = node.child_by_field_name("body")
    if body is None:
        return None
    if local is not None:
        fns = gf.enclosing_functions(call_node)
        if not fns:
            return None
        between = gf.data[node.end_byte:call_node.start_byte].decode("utf-8", "replace")
        if re.search(rf"\b{re.escape(local)}\.\w+\s*=[^=]|\b{re.escape(local)}\s*=[^=]", between):
            return None  # a field set (or the local replaced) after the literal
    keys = []
    for element in body.named_children:
        if element.type != "keyed_element" or element.named_child_count != 2:
            if element.type not in ("comment",):
                return None  # positional fields: every field given
            continue
        keys.append(node_text(element.named_children[0]).strip())
    return keys


def proposals(gf: GoFile) -> list[Finding]:
    out = []
    for call in gf.calls:
        if not call.args or len(call.args) > 4:
            continue
        callee = None
        for index, arg in enumerate(call.args):
            keys = _literal_keys(gf, arg, call.node)
            if keys is None or any(_TIMEOUT_FIELD.search(k) for k in keys):
                continue
            callee = callee or _callee(gf, call)
            if callee is None or "." not in callee:
                break
            found = wrappers.omitted_timeout_proposal(path=gf.path, language="go", node=call.node, detector=ID,
                                                      callee=callee, positional=index)
            if found is None:
                continue
            rest = [p for p in found.pending if p.attribute not in ("timeout_ms", wrappers.KEEP_IF, "phase")]
            out.append(replace(found, pending=(
                Pending("timeout_ms", Ref(f"{callee}.{DEFAULT}:{index}"), 1.0),
                Pending(wrappers.KEEP_IF, Ref(f"{callee}.{DEFAULT}:{index}"), None),
                Pending(wrappers.KEEP_IF, Call("not_in", (Ref(f"{callee}.{FIELD}:{index}"),
                                                          *(Str(k) for k in keys))), None),
                Pending("phase", Str("total"), None), *rest)))
    return out


def detect(gf: GoFile) -> list[Draft]:
    """Proposed default timeouts at calls handing a helper a settings struct without its timeout field."""
    return [Draft(f) for f in proposals(gf)]


# --- a settings struct's field the consuming package bounds a call with itself ---------------------

READ_AT_USE = "$field_read_g2"  # `$field_read_g2:<folder>.<Type>/<Field>` = "used"


def read_at_use(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    """Round 19 (gofix2, cloudcost-exporter): `func New(ctx, config *Config) *AWS { return &AWS{
    collectorTimeout: config.CollectorTimeout} }` and, in a method, `context.WithTimeout(a.ctx,
    a.collectorTimeout)`: the package bounds its calls with the settings struct's field where it
    uses it (that line is reported, valued by what the service builds the struct with), so the
    literal that fills the field (`&aws.Config{CollectorTimeout: d}` in main) is no contract of
    its own: `$field_read_g2:<folder>.Config/CollectorTimeout` = "used"."""
    folder = _package_folder(Path(gf.path).parent.as_posix()) if "/" in gf.path else ""
    if not folder:
        return {}
    structs = gf._struct_bodies[0]
    stored: dict[str, tuple[str, str]] = {}  # receiver field -> (settings type, its field)
    for fn in gf.root.named_children:
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        text = node_text(body)
        for param, type_text in _typed_params(fn):
            if type_text not in structs or not param.isidentifier():
                continue
            for m in re.finditer(rf"(?:\b|\.)(\w+)\s*:?=?\s*{re.escape(param)}\.(\w+)\s*[,\n]", text):
                if _TIMEOUT_FIELD.search(m.group(2)) and m.group(1) != m.group(2):
                    stored.setdefault(m.group(1), (type_text, m.group(2)))
    if not stored:
        return {}
    lines = gf.data.decode("utf-8", "replace").splitlines()
    out: dict[str, Expr] = {}
    methods = [fn for fn in gf.root.named_children if fn.type == "method_declaration"]
    for f in findings:
        if f.kind != "timeout" or f.detector == ID or f.line - 1 >= len(lines):
            continue
        if not any(fn.start_point[0] < f.line <= fn.end_point[0] + 1 for fn in methods):
            continue
        for field, (type_name, leaf) in stored.items():
            if re.search(rf"\b\w+\.{re.escape(field)}\b", lines[f.line - 1]):
                out[f"{READ_AT_USE}:{folder}.{type_name}/{leaf}"] = Str("used")
    return out


def _typed_params(fn: ts.Node) -> list[tuple[str, str]]:
    out = []
    params = fn.child_by_field_name("parameters")
    for decl in params.named_children if params is not None else []:
        type_node = decl.child_by_field_name("type")
        type_text = node_text(type_node).lstrip("*") if type_node is not None else ""
        out.extend((node_text(n), type_text) for n in decl.children_by_field_name("name"))
    return out


def literal_kept_if_unread(gf: GoFile, findings: list[Finding]) -> list[Finding]:
    """A timeout read at a field of another project package's settings literal (`&aws.Config{
    CollectorTimeout: d}`) is kept unless that package publishes it uses the field itself."""
    at = _literal_keys_at(gf)
    if not at:
        return findings
    out = []
    for f in findings:
        key = at.get((f.line, f.column)) if f.kind == "timeout" and f.detector == "go.client_config" else None
        if key is not None:
            f = replace(f, pending=(*f.pending, Pending(wrappers.KEEP_IF, Call(
                "not_in", (Call("coalesce", (Ref(key), Str("none"))), Str("used"))), None)))
        out.append(f)
    return out


def _literal_keys_at(gf: GoFile) -> dict[tuple[int, int], str]:
    at: dict[tuple[int, int], str] = {}
    if b"{" not in gf.data:
        return at
    for comp in gf.composites:
        alias, _, own = comp.type_name.partition(".")
        path = gf.imports.get(alias) if own else None
        if path is None or not outside_stdlib(path) or alias in gf.packages:
            continue
        folder = path.rstrip("/").rsplit("/", 1)[-1]
        for field in comp.fields:
            element = comp.elements.get(field)
            if element is not None and _TIMEOUT_FIELD.search(field):
                at[(element.start_point[0] + 1, element.start_point[1] + 1)] = f"{READ_AT_USE}:{folder}.{own}/{field}"
    return at

