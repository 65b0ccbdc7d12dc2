"""HttpClient: ``Timeout`` settings, clients that never time out, and the requests they send.

What it does: reports ``client.Timeout = TimeSpan.FromSeconds(5)``, ``new HttpClient {
Timeout = ... }`` and ``services.AddHttpClient("risk", c => c.Timeout = ...)`` (phase
``total``: HttpClient.Timeout bounds the whole request). ``Timeout.InfiniteTimeSpan``
is a ``missing_timeout`` (waits forever). Each ``GetAsync`` / ``PostAsync`` /
``PostAsJsonAsync`` / ``SendAsync(new HttpRequestMessage(HttpMethod.Post, url))`` on an
HttpClient is an outbound call, aimed at ``BaseAddress`` joined with the path when known.

Why it matters: HttpClient waits 100 s by default; a caller with a 500 ms budget needs
its own timeout. A client without one is not reported (the 100 s default applies).

Example: ``new HttpClient { Timeout = TimeSpan.FromMilliseconds(800) }`` -> timeout 800 ms, total.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import HTTP_METHODS, CsFile, Url, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.http_client"
LIBRARY = "HttpClient"
CLIENTISH = re.compile(r"(?i)(http|client)$")
REGISTRATIONS = ("AddHttpClient", "ConfigureHttpClient")


def http_client_names(f: CsFile) -> dict[str, Node | None]:
    """Names bound to an HttpClient in this file -> the node that created it (when seen)."""
    names: dict[str, Node | None] = {}
    nodes = [*f.captured("declaration"), *f.captured("assign")]
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))  # the order of a walk
    for node in nodes:
        if node.type == "variable_declaration":
            type_name = text(node.child_by_field_name("type"))
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                value = syntax.unwrap(values[-1]) if values else None
                name = text(declarator.child_by_field_name("name"))
                if type_name.endswith("HttpClient") or _creates_client(value):
                    typed_new = value is not None and value.type == "implicit_object_creation_expression"
                    names[name] = value if _creates_client(value) or typed_new else names.get(name)
        elif node.type == "parameter" and text(node.child_by_field_name("type")).endswith("HttpClient"):
            names.setdefault(text(node.child_by_field_name("name")), None)
        elif node.type == "property_declaration" and text(node.child_by_field_name("type")).endswith("HttpClient"):
            names.setdefault(text(node.child_by_field_name("name")), None)
        elif node.type == "assignment_expression":
            right = syntax.unwrap(node.child_by_field_name("right"))
            if _creates_client(right):
                names[_bare(text(node.child_by_field_name("left")))] = right
    return names


def _bare(name: str) -> str:
    return name[5:] if name.startswith("this.") else name


def _creates_client(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type == "object_creation_expression":
        return syntax.creation_type(node) == "HttpClient"
    if node.type == "implicit_object_creation_expression":
        return False
    if node.type == "invocation_expression":
        return syntax.invocation(node).name == "CreateClient"
    return False


def _registration(node: Node) -> syntax.Invocation | None:
    """The ``AddHttpClient(...)`` / ``ConfigureHttpClient(...)`` whose lambda holds ``node``."""
    current = node
    while current is not None:
        if current.type == "invocation_expression":
            inv = syntax.invocation(current)
            if inv.name in REGISTRATIONS:
                return inv
        current = current.parent
    return None


def registration_chain(inv: syntax.Invocation) -> syntax.Invocation | None:
    """Walk down a fluent chain (``AddHttpClient(..).AddPolicyHandler(..)``) to its AddHttpClient."""
    node = inv.node
    while node is not None and node.type == "invocation_expression":
        current = syntax.invocation(node)
        if current.name == "AddHttpClient":
            return current
        node = syntax.unwrap(current.receiver)
    return None


def client_url(f: CsFile, registration: syntax.Invocation | None) -> tuple[Url | None, str | None]:
    """(BaseAddress, client name) of an AddHttpClient registration."""
    if registration is None:
        return None, None
    name = syntax.string_literal(registration.args[0]) if registration.args else None
    for arg in registration.args:
        body = syntax.lambda_body(arg)
        if body is None:
            continue
        for node in walk(body):
            if node.type == "assignment_expression" and text(node.child_by_field_name("left")).endswith("BaseAddress"):
                return f.url_of(node.child_by_field_name("right")), name
    # .ConfigureHttpClient(c => c.BaseAddress = ...) chained on the registration
    parent = registration.node.parent
    while parent is not None and parent.type in ("member_access_expression", "invocation_expression"):
        if parent.type == "invocation_expression":
            inv = syntax.invocation(parent)
            if inv.name == "ConfigureHttpClient":
                for arg in inv.args:
                    body = syntax.lambda_body(arg)
                    for node in walk(body) if body is not None else []:
                        if node.type == "assignment_expression" and text(node.child_by_field_name("left")).endswith("BaseAddress"):
                            return f.url_of(node.child_by_field_name("right")), name
        parent = parent.parent
    return None, name


def _base_address(f: CsFile, receiver: str, creation: Node | None) -> Url | None:
    if creation is not None and creation.type in ("object_creation_expression", "implicit_object_creation_expression"):
        items = syntax.initializer_items(creation)
        if "BaseAddress" in items:
            return f.url_of(items["BaseAddress"])
    for node in f.assignments:
        left = text(node.child_by_field_name("left"))
        if left in (f"{receiver}.BaseAddress", f"this.{receiver}.BaseAddress"):
            return f.url_of(node.child_by_field_name("right"))
    return None


def _own_option_copied_r21(left_text: str, right: Node | None) -> bool:
    """Round 21 (beatleader-server): ``options.Backchannel.Timeout = options.BackchannelTimeout;`` in a copied
    authentication handler's post-configure: an options object handing its own setting to its own client, the
    value whatever the options were given elsewhere (or the framework's default), no setting of this line."""
    value = syntax.unwrap(right)
    if value is None or value.type != "member_access_expression" or "." not in left_text:
        return False
    root = left_text.split(".", 1)[0]
    return text(value).split(".", 1)[0] == root and left_text.count(".") >= 2 and root[:1].islower()


@csharp_detector(ID, ("timeout", "missing_timeout", "outbound_call"),
                 valid=('var msg = "Timeout = 5 seconds";\n', "smtp.Timeout = 10000;\n",
                        "var client = new HttpClient();\n"),
                 invalid=("var c = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };\n",
                          'services.AddHttpClient("risk", c => c.Timeout = TimeSpan.FromSeconds(2));\n'))
def detect(f: CsFile) -> Iterable[Finding]:
    clients = http_client_names(f)
    for assign in f.assignments:
        left = assign.child_by_field_name("left")
        right = assign.child_by_field_name("right")
        left_text = text(left)
        if not (left_text == "Timeout" or left_text.endswith(".Timeout")):
            continue
        expr = syntax.duration_ms(right)
        url: Url | None = None
        operation = None
        if _own_option_copied_r21(left_text, right):
            continue
        if left_text == "Timeout":
            creation = syntax.enclosing(assign, ("object_creation_expression",))
            if creation is None or syntax.creation_type(creation) != "HttpClient" or \
                    assign.parent is None or assign.parent.type != "initializer_expression":
                continue
            items = syntax.initializer_items(creation)
            url = f.url_of(items["BaseAddress"]) if "BaseAddress" in items else None
        else:
            receiver = _bare(left_text[: -len(".Timeout")])
            registration = _registration(assign)
            lambda_param = None
            if registration is not None:
                for arg in registration.args:
                    if syntax.lambda_body(arg) is not None and syntax.is_inside(assign, arg):
                        lambda_param = syntax.lambda_param(arg)
                        if receiver != lambda_param and receiver == syntax.last_lambda_param(arg):
                            lambda_param = receiver  # `AddHttpClient<T>((sp, client) => ...)` (round 21)
            if registration is not None and receiver == lambda_param:
                url, operation = client_url(f, registration_chain(registration) or registration)
            elif receiver in clients:
                url = _base_address(f, receiver, clients[receiver])
            elif not (CLIENTISH.search(receiver) and _is_timespan(right)):
                continue  # a Timeout of something else (SmtpClient, SqlCommand...), or an int in ms
        target, pending = f.target(url, None)
        finding = f.timeout_from(assign, expr, text(right), "total", ID, LIBRARY, target, pending)
        if operation:  # a named client ("risk"): a strong hint for the service it calls
            finding = dataclasses.replace(finding, attributes={**finding.attributes, "client_name": operation})
        yield finding

    for inv in f.invocations:
        if inv.name not in HTTP_METHODS:
            continue
        receiver = _bare(inv.receiver_text)
        if receiver not in clients and not (CLIENTISH.search(receiver) and receiver not in ("", "base")):
            continue
        if receiver.endswith(("Handler", "handler")) or not inv.args:
            continue
        method = HTTP_METHODS[inv.name]
        url_node = inv.args[0]
        message = syntax.unwrap(url_node)
        if message is not None and message.type == "identifier":
            bound = syntax.local_value(text(message), message)
            if bound is not None and bound.type == "object_creation_expression":
                message = bound
        if message is not None and message.type == "object_creation_expression" and \
                syntax.creation_type(message) == "HttpRequestMessage":
            args, _ = syntax.arguments(message.child_by_field_name("arguments"))
            if args:
                method = text(args[0]).rsplit(".", 1)[-1].upper() if text(args[0]).startswith("HttpMethod.") else method
            url_node = args[1] if len(args) > 1 else None
            for key, value in syntax.initializer_items(message).items():
                if key == "RequestUri":
                    url_node = value
                elif key == "Method" and text(value).startswith("HttpMethod."):
                    method = text(value).rsplit(".", 1)[-1].upper()
        elif inv.name in ("SendAsync", "Send"):
            continue
        path_url = f.url_of(url_node) if url_node is not None else None
        base = _base_address(f, receiver, clients.get(receiver))
        if base is not None and path_url is not None and path_url.literal is None and path_url.expr is None:
            url = base.joined(path_url.path)
        else:
            url = path_url or base
        finding = f.outbound(inv.node, ID, method, url)
        creation = clients.get(receiver)
        if creation is not None and creation.type == "invocation_expression":
            factory = syntax.invocation(creation)
            name = syntax.string_literal(factory.args[0]) if factory.args else None
            if name:  # factory.CreateClient("payment"): the named client says which service
                finding = dataclasses.replace(finding, attributes={**finding.attributes, "client_name": name})
        yield finding


def _is_timespan(node: Node | None) -> bool:
    raw = text(node)
    return "TimeSpan" in raw or "InfiniteTimeSpan" in raw
