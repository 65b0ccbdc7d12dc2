"""(round 19, js4) An injected HTTP client typed or named as one: its requests' own options count.

What it does: a constructor parameter or class field typed `HttpClient` (a project alias of
`AxiosInstance`, as `export type HttpClient = AxiosInstance`) or `AxiosStatic`, or an untyped
constructor parameter named `httpClient` / `axiosInstance` (JavaScript), is an axios-like client whose
defaults are made in another file. Registered as such before the client detectors run, so each
request on it (`this.httpClient.get(url, { timeout: 30000 })`) reports the timeout its own options set,
at the called name's line, and no request on it is reported as missing a timeout (its defaults are not
visible here). Not: a package's own `HttpClient` (Angular's, whose requests have no timeout option;
egg/urllib's, read by the urllib detector; CosmJS's RPC client; an unscoped package's), a parameter of
another type, a name only containing the word (`httpClientFactory`).

Example::

    constructor(private readonly httpClient: HttpClient) {}
    get() { return this.httpClient.get("/leases", { timeout: 30000 }); }   // timeout 30000 ms
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, Instance

_TYPE = re.compile(r"^(?:Axios)?HttpClient$|^AxiosStatic$")
_UNTYPED_NAME = re.compile(r"^#?_?(?:httpClient|axiosInstance|axiosClient)$")


def register(ctx: FileContext) -> None:
    if b"ttpClient" not in ctx.data and b"AxiosStatic" not in ctx.data and b"axiosInstance" not in ctx.data \
            and b"axiosClient" not in ctx.data:
        return
    names: list[str] = []
    for node in ctx.nodes_of("required_parameter", "optional_parameter", "public_field_definition"):
        name_node = node.child_by_field_name("pattern") or node.child_by_field_name("name")
        annotation = node.child_by_field_name("type")
        if name_node is None or annotation is None or name_node.type not in (
                "identifier", "private_property_identifier", "property_identifier"):
            continue
        type_name = ts.text(annotation).lstrip(":").strip()
        module = ctx.imports.get(type_name, "")
        if _TYPE.match(type_name) and (_project_type(module) or any(module.startswith(m + ".")
                                                                   for m in ctx.local_modules)) and \
                not re.search(rb"\bnew\s+" + re.escape(type_name.encode()) + rb"\s*[(<]", ctx.data):
            # (`this.httpClient = new HttpClient({...})`: a class of the project, no alias of axios's instance;
            # its methods are read where it is written, round 19: refly)
            names.append(ts.text(name_node))
    for method in ctx.nodes_of("method_definition"):  # JavaScript: `constructor(httpClient) {...}`
        name = method.child_by_field_name("name")
        params = method.child_by_field_name("parameters")
        if name is None or ts.text(name) != "constructor" or params is None:
            continue
        names.extend(ts.text(p) for p in params.named_children
                     if p.type == "identifier" and _UNTYPED_NAME.match(ts.text(p)))
    for name in names:
        for key in (name, f"this.{name}"):
            ctx.instances.setdefault(key, Instance(name=key, library="axios", create=None, config=None,
                                                   known_defaults=False))


def _project_type(module: str) -> bool:
    """The type is the project's own (declared here, imported by a relative path, an alias or a workspace
    package) or axios's: not a package's own HttpClient (egg/urllib, Angular, CosmJS's RPC client ...)."""
    if not module or module.split(".", 1)[0] == "axios":
        return True
    if _OTHER_CLIENT.match(module):
        return False
    return module.startswith((".", "/", "~/", "src/", "#", "@"))


_OTHER_CLIENT = re.compile(r"^(@angular/|@cosmjs/|@aws-sdk/|@smithy/|@azure/|@microsoft/|@effect/|@actions/|@midwayjs/|"
                           r"@nestjs/|@grpc/|@google-cloud/|@opentelemetry/|@octokit/|@types/)")
