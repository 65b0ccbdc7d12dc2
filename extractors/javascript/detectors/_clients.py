"""HTTP client objects a file makes or receives: `axios.create(...)`, `got.extend(...)`, parameters
and fields typed `AxiosInstance` / `HttpService` / `Got`. Shared by the client detectors."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FileContext, Instance, dotted, is_disabled_value)

_FACTORIES = {"axios.create": "axios", "got.extend": "got"}
_TYPES = {"AxiosInstance": "axios", "HttpService": "nestjs-axios", "Got": "got"}


def _binding_name(node: ts.Node) -> str | None:
    """The name a value is bound to: `const x = v`, `this.x = v`, class field `x = v`."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression",
                                                 "non_null_expression", "await_expression"):
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return ts.text(name) if name is not None and name.type == "identifier" else None
    if parent.type == "assignment_expression":
        return dotted(parent.child_by_field_name("left"))
    if parent.type in ("public_field_definition", "field_definition"):
        name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
        return f"this.{ts.text(name)}" if name is not None else None
    return None


def collect_instances(ctx: FileContext) -> None:
    for call in ctx.calls:
        library = _FACTORIES.get(call.qualified)
        if library is None:
            continue
        name = _binding_name(call.node)
        config = ctx.resolve_object(call.arg(0))
        props = ctx.props(config) if config is not None else None
        known = (call.arg(0) is None) or (props is not None and not ctx.opaque(config))
        timeout = (props or {}).get("timeout")
        instance = Instance(name=name or "", library=library, create=call.node, config=config,
                            known_defaults=known, has_timeout=timeout is not None and not is_disabled_value(timeout),
                            base_url=(props or {}).get("baseURL") or (props or {}).get("prefixUrl"))
        ctx.all_instances.append(instance)
        if name:
            ctx.instances[name] = instance
            if name.startswith("this."):
                existing = ctx.instances.get(name[5:])
                if existing is None or existing.create is not None:
                    ctx.instances[name[5:]] = instance
        else:
            instance.name = f"<anonymous@{call.node.start_byte}>"
            ctx.instances[instance.name] = instance
    _aliases(ctx)
    _inherited_axios_field(ctx)
    for node in ctx.nodes_of("required_parameter", "optional_parameter", "public_field_definition"):
        annotation = node.child_by_field_name("type")
        if annotation is None:
            continue
        raw = ctx.data[annotation.start_byte:annotation.end_byte]
        if b"AxiosInstance" not in raw and b"HttpService" not in raw and b"Got" not in raw:
            continue  # cannot be one of _TYPES
        type_name = ts.text(annotation).lstrip(":").strip()
        library = _TYPES.get(type_name)
        if library is None:
            continue
        name_node = node.child_by_field_name("pattern") or node.child_by_field_name("name")
        if name_node is None:
            continue
        name = ts.text(name_node)
        for key in (name, f"this.{name}"):
            ctx.instances.setdefault(key, Instance(name=key, library=library, create=None, config=None,
                                                   known_defaults=False))


def instance_for(ctx: FileContext, receiver: str) -> Instance | None:
    if not receiver:
        return None
    return ctx.instances.get(receiver)


_AXIOS_FIELD = re.compile(rb"this\.(axios|axiosInstance|axiosClient)\s*\.\s*(?:get|post|put|patch|delete|head|request)\s*[<(]")


def _inherited_axios_field(ctx: FileContext) -> None:
    """``class RadarrApi extends ServarrApi { ... this.axios.get(url, { timeout: T }) }``: a class using a
    field named for axios that this file never sets (declared and made by a base class in another
    file) uses an axios instance whose defaults are not visible here: its per-call options count,
    no call is reported as missing a timeout. Also a function of a prototype split into files
    (`MessageHandler.prototype.poll = poll`, the constructor `this.axios = axios` in another file:
    round 13, Gladys), with no class at all."""
    if b"this.axios" not in ctx.data:
        return
    for m in _AXIOS_FIELD.finditer(ctx.data):
        name = "this." + m.group(1).decode()
        if name in ctx.instances or m.group(1).decode() in ctx.instances:
            continue
        if re.search(rb"this\." + m.group(1) + rb"\s*=(?!=)", ctx.data) or re.search(
                rb"(?m)^\s*(?:(?:private|public|protected|readonly|static|declare)\s+)*" + m.group(1) + rb"\s*[!?]?\s*[:=]",
                ctx.data):
            continue  # set or declared in this file: the file's own readers decide what it is
        ctx.instances[name] = Instance(name=name, library="axios", create=None, config=None, known_defaults=False)


_ALIAS = re.compile(r"^(?:.*(?:\|\||\?\?)\s*)?(axios|got)$")


def _aliases(ctx: FileContext) -> None:
    """`this.client = options.client || axios`: the module itself, injected. Its defaults are unknown."""
    libraries = {local: ctx.imports.get(local, local) for local in ("axios", "got")}
    data = ctx.data
    for node in ctx.nodes_of("variable_declarator", "assignment_expression"):
        value = node.child_by_field_name("value" if node.type == "variable_declarator" else "right")
        if value is None or not data[max(0, value.end_byte - 5):value.end_byte].endswith((b"axios", b"got")):
            continue  # _ALIAS needs the value to end with one of the two names
        if node.type == "variable_declarator":
            name_node = node.child_by_field_name("name")
            name = ts.text(name_node) if name_node is not None and name_node.type == "identifier" else None
        else:
            name = dotted(node.child_by_field_name("left"))
        if not name:
            continue
        m = _ALIAS.match(re.sub(r"\s+", " ", ts.text(value)).strip())
        if m is None or name in ctx.instances or name in ("axios", "got"):
            continue
        library = libraries.get(m.group(1))
        if library not in ("axios", "got"):
            continue
        ctx.instances[name] = Instance(name=name, library=library, create=None, config=None, known_defaults=False)
