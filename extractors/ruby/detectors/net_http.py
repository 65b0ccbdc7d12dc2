"""Net::HTTP timeouts, calls without a timeout, and the requests they send.

What it does: reports ``http.read_timeout = 5`` / ``open_timeout`` / ``write_timeout``
writers, ``Net::HTTP.start(host, port, read_timeout: 5, open_timeout: 2)`` options,
and the one-shot helpers (``Net::HTTP.get``, ``get_response``, ``post``, ``post_form``)
that cannot take a timeout at all. A ``Net::HTTP.new`` / ``Net::HTTP.start`` whose
connection never gets a timeout in the same method is reported as ``missing_timeout``.

Why it matters: Net::HTTP waits 60 s by default for connect and for each read;
a caller with a 500 ms budget that relies on the default holds its thread for a
minute when the dependency stalls. ``nil`` disables the timeout (waits forever).

Example: ``http.read_timeout = 5`` -> timeout 5000 ms, phase read.
Use instead: set ``open_timeout`` and ``read_timeout`` explicitly on every connection.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, Url
from extractors.treesitter import Node, text, walk

ID = "ruby.net_http"
LIBRARY = "net_http"
DEFAULT_MS = 60000  # Net::HTTP open/read/write timeouts default to 60 s

PHASES = {"read_timeout": "read", "open_timeout": "connect", "write_timeout": "write"}
ONE_SHOT = {"get": "GET", "get_response": "GET", "get_print": "GET", "post": "POST", "post_form": "POST"}
REQUEST_CLASSES = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "Head": "HEAD"}


def _connection_url(f: RubyFile, call: Node, host_only: bool = False) -> Url | None:
    """Where a ``Net::HTTP.new/start(host, port)`` connects (``host_only``: scheme, host and port,
    without the path of the URI the host was read from, to join a request's own path to)."""
    site = f.site(call)
    if not site.args:
        return None
    first = site.args[0].node
    host = syntax.string_literal(first)
    if host is not None and not host.startswith(("http://", "https://")):
        port = syntax.string_literal(site.args[1].node) if len(site.args) > 1 else None
        if port is None and len(site.args) > 1 and site.args[1].node.type == "integer":
            port = text(site.args[1].node)
        scheme = "https" if port == "443" or ("use_ssl" in site.kwargs and site.kwargs["use_ssl"].text == "true") \
            else "http"
        suffix = f":{port}" if port and port not in ("80", "443") else ""
        return Url(literal=f"{scheme}://{host}{suffix}")
    url = f.url_of(first)
    if host_only and url is not None and url.literal is not None:
        parts = urlsplit(url.literal)
        if parts.scheme and parts.netloc:
            return Url(literal=f"{parts.scheme}://{parts.netloc}")
    if host_only and url is not None and url.expr is not None:
        return Url(expr=url.expr)
    return url


def _receiver_is_options(receiver: Node) -> bool:
    return receiver.type == "call" and text(receiver.child_by_field_name("method")) == "options"


def _setters_for(f: RubyFile, name: str, scope: Node) -> bool:
    for match in f.setters:
        receiver = match.get("receiver", [None])[0]
        attr = match.get("attr", [None])[0]
        assign = match["assign"][0]
        if receiver is None or attr is None:
            continue
        if text(receiver) == name and text(attr) in PHASES and syntax.is_inside(assign, scope):
            return True
    return False


@ruby_detector(ID, ("timeout", "missing_timeout", "outbound_call"),
          valid=("config = { read_timeout: 5 }\n",
                 "# the read_timeout = 5 default is fine\n", "label = 'http.read_timeout = 5'\n"),
          invalid=("Net::HTTP.get(URI('http://risk/score'))\n",
                   "Net::HTTP.start('risk', 80, read_timeout: 5) { |h| h.get('/') }\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    # Attribute writers: http.read_timeout = 5
    for match in f.setters:
        attr = match.get("attr", [None])[0]
        receiver = match.get("receiver", [None])[0]
        if attr is None or receiver is None or attr.type != "identifier":
            continue
        name = text(attr)
        if name not in PHASES or _receiver_is_options(receiver):
            continue
        assign = match["assign"][0]
        target, pending = f.target(_receiver_url(f, receiver))
        yield f.timeout(assign, match["value"][0], PHASES[name], ID, LIBRARY, target, pending,
                        library_default_ms=None)

    for call in f.calls:
        receiver = call.child_by_field_name("receiver")
        rtext = syntax.callee_text(receiver)
        method = f.method_of(call)
        site = f.site(call)
        if rtext == "Net.HTTP" and method in ONE_SHOT:
            url = f.url_of(site.args[0].node) if site.args else None
            if url is not None and url.literal is None and url.expr is None and len(site.args) > 1:
                # Net::HTTP.get(host, path): a host name and a path
                host = syntax.string_literal(site.args[0].node)
                path = syntax.string_literal(site.args[1].node)
                url = Url(literal=f"http://{host}{path or ''}", path=path) if host else url
            target, pending = f.target(url)
            yield f.outbound(call, ID, ONE_SHOT[method], url)
            yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)
        elif rtext == "Net.HTTP" and method == "start":
            url = _connection_url(f, call)
            target, pending = f.target(url)
            found = False
            for key, phase in PHASES.items():
                if key in site.kwargs:
                    found = True
                    value = site.kwargs[key].node
                    # a multi-line `Net::HTTP.start(host, port, open_timeout: 30,` / `read_timeout: 180)`:
                    # each option below the called name at its own line (the Ruby sets' convention)
                    pair = value.parent
                    anchor = pair if pair is not None and pair.type == "pair" \
                        and pair.start_point[0] > call.start_point[0] else call
                    yield f.timeout(anchor, value, phase, ID, LIBRARY, target, pending)
            block = call.child_by_field_name("block")
            if not found and not (block is not None and _block_sets_timeout(block)):
                if not _assigned_and_configured(f, call):
                    yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)
        elif rtext == "Net.HTTP" and method == "new":
            if not _assigned_and_configured(f, call):
                target, pending = f.target(_connection_url(f, call))
                yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)
        elif method == "new" and rtext.startswith("Net.HTTP.") and rtext.split(".")[-1] in REQUEST_CLASSES:
            url = f.url_of(site.args[0].node) if site.args else None
            yield f.outbound(call, ID, REQUEST_CLASSES[rtext.split(".")[-1]], _on_connection(f, call, url))
        elif method in CONNECTION_VERBS and receiver is not None and receiver.type in ("identifier", "instance_variable"):
            # http.get("/score") on a Net::HTTP connection (a start block's parameter or a Net::HTTP.new)
            connection = _connection_of(f, text(receiver), call)
            if connection is not None:
                url = f.url_of(site.args[0].node) if site.args else None
                yield f.outbound(call, ID, CONNECTION_VERBS[method], _joined(_connection_url(f, connection, True), url))


CONNECTION_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD",
                    "request_get": "GET", "request_post": "POST"}


def _is_connection(node: Node | None) -> bool:
    """``Net::HTTP.new(...)`` / ``Net::HTTP.start(...)``."""
    return node is not None and node.type == "call" and \
        syntax.callee_text(node.child_by_field_name("receiver")) == "Net.HTTP" and \
        text(node.child_by_field_name("method")) in ("new", "start")


def _connection_of(f: RubyFile, name: str, use: Node) -> Node | None:
    """The ``Net::HTTP.new/start`` call that ``name`` stands for where ``use`` is: a variable bound
    to one, or the parameter of a ``Net::HTTP.start(...) do |http|`` / ``conn.start do |http|`` block."""
    for parent in syntax.ancestors_of(use):
        if parent.type in ("block", "do_block"):
            params = parent.child_by_field_name("parameters")
            owner = parent.parent
            if params is not None and params.named_child_count and text(params.named_children[0]) == name \
                    and owner is not None and owner.type == "call" and text(owner.child_by_field_name("method")) == "start":
                if _is_connection(owner):
                    return owner
                base = owner.child_by_field_name("receiver")
                if base is not None and base.type in ("identifier", "instance_variable"):
                    return _connection_of(f, text(base), owner)
                return None
        if parent.type in ("method", "singleton_method"):
            break
    bound = syntax.local_assignment(name, use)
    return bound if _is_connection(bound) else None


def _joined(base: Url | None, given: Url | None) -> Url | None:
    if base is None or (given is not None and (given.literal is not None or given.expr is not None)):
        return given if given is not None else base
    return base.joined(given.path if given is not None else None) if given is not None and given.path else base


def _on_connection(f: RubyFile, request: Node, url: Url | None) -> Url | None:
    """A ``Net::HTTP::Get.new(path)`` made inside a connection's ``start`` block goes to that connection."""
    if url is not None and (url.literal is not None or url.expr is not None):
        return url
    for parent in syntax.ancestors_of(request):
        if parent.type in ("block", "do_block"):
            owner = parent.parent
            params = parent.child_by_field_name("parameters")
            if owner is not None and owner.type == "call" and text(owner.child_by_field_name("method")) == "start" \
                    and params is not None and params.named_child_count:
                connection = _connection_of(f, text(params.named_children[0]), request)
                if connection is not None:
                    return _joined(_connection_url(f, connection, True), url)
        if parent.type in ("method", "singleton_method"):
            break
    sender = _sent_on(f, request)
    if sender is not None:
        return _joined(_connection_url(f, sender, True), url)
    return url


def _sent_on(f: RubyFile, request: Node) -> Node | None:
    """``req = Net::HTTP::Post.new("/v1/refunds")`` ... ``http.request(req)`` with ``http =
    Net::HTTP.new(host, port)``: the connection the request is sent on (one, in the same method)."""
    holder = request.parent
    if holder is None or holder.type != "assignment" or holder.child_by_field_name("right") != request:
        return None
    left = holder.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    scope = next((p for p in syntax.ancestors_of(request) if p.type in ("method", "singleton_method")), None)
    if scope is None:
        return None
    found = []
    for node in walk(scope):
        if node.type != "call" or text(node.child_by_field_name("method")) != "request":
            continue
        receiver = node.child_by_field_name("receiver")
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_child_count else None
        if receiver is None or receiver.type not in ("identifier", "instance_variable") or first is None \
                or first.type != "identifier" or text(first) != text(left):
            continue
        connection = _connection_of(f, text(receiver), node)
        if connection is not None and all(c.id != connection.id for c in found):
            found.append(connection)
    return found[0] if len(found) == 1 else None


def _receiver_url(f: RubyFile, receiver: Node) -> Url | None:
    """For ``http.read_timeout = 5``: the URL of ``http = Net::HTTP.new(uri.host, uri.port)`` or of
    the ``Net::HTTP.start(host, port) do |http|`` block it is set in."""
    if receiver.type not in ("identifier", "instance_variable"):
        return None
    connection = _connection_of(f, text(receiver), receiver)
    return _connection_url(f, connection) if connection is not None else None


def _block_sets_timeout(block: Node) -> bool:
    for node in walk(block):
        if node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "call" and text(left.child_by_field_name("method")) in PHASES:
                return True
    return False


def _assigned_and_configured(f: RubyFile, call: Node) -> bool:
    """True when ``x = Net::HTTP.new(..)`` is followed by ``x.read_timeout = ..`` in the same scope
    (or the call is not assigned at all but chained/passed on, where we cannot tell)."""
    parent = call.parent
    if parent is None or parent.type not in ("assignment", "operator_assignment"):
        # Net::HTTP.start(...) { } with no assignment: the block was checked by the caller.
        return parent is not None and parent.type not in ("body_statement", "program", "then", "block_body",
                                                          "else", "begin")
    name = text(parent.child_by_field_name("left"))
    return _setters_for(f, name, syntax.scope_of(call))
