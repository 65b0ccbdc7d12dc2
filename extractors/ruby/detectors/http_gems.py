"""RestClient, Typhoeus, http.rb and Excon: timeouts, calls without any, and the requests sent.

What it does: ``RestClient::Request.execute(method:, url:, timeout: 5, open_timeout: 2)``,
``RestClient::Resource.new(url, timeout: 5)``, ``Typhoeus.get(url, timeout: 5,
connecttimeout: 1)`` (``timeout_ms:`` too), ``HTTP.timeout(connect: 1, read: 5).get(url)``
and ``Excon.new(url, read_timeout: 5, connect_timeout: 1)``. An http.rb ``timeout(n)`` on a client
kept apart from its requests counts too (``http.timeout(30)``, ``MyApp::Http.timeout(15)``,
``super.timeout(60)`` in a method named ``http``/``client``): any ``.timeout`` call with one number,
constant or ``connect:``/``read:``/``write:``/``global:`` options on a receiver named like an HTTP
client; its options may be a hash held in a local (``timeout = { connect: 5, read: 10
}.merge(options)`` ... ``HTTP.headers(h).timeout(timeout)``). Calls that cannot carry a
timeout (``RestClient.get``) or carry none are reported as ``missing_timeout`` with the
library's own default: 60 s for RestClient and Excon, none at all (``null``, waits
forever) for Typhoeus (libcurl) and http.rb.

Why it matters: a client with no timeout turns a slow dependency into a stuck worker.

Example: ``Typhoeus.get(url)`` -> missing_timeout, library_default_ms null.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import HTTP_VERBS, RubyFile
from extractors.treesitter import Node, text

ID = "ruby.http_gems"

REST_CLIENT = {"timeout": "total", "open_timeout": "connect", "read_timeout": "read", "write_timeout": "write"}
TYPHOEUS = {"timeout": ("total", 1000.0), "timeout_ms": ("total", 1.0),
            "connecttimeout": ("connect", 1000.0), "connecttimeout_ms": ("connect", 1.0)}
HTTP_RB = {"connect": "connect", "read": "read", "write": "read", "global": "total"}
EXCON = {"read_timeout": "read", "connect_timeout": "connect", "write_timeout": "write"}


@ruby_detector(ID, ("timeout", "missing_timeout", "outbound_call"),
          valid=("client.get('http://risk', timeout: 5)  # unknown client\n",
                 "HTTP::Error\n"),
          invalid=("RestClient.get('http://risk/score')\n", "Typhoeus.get('http://risk', timeout: 2)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    chained = set()
    for call in f.calls:
        method = f.method_of(call)
        rtext = f.receiver_of(call)
        root = rtext.split(".")[0].split("(")[0]
        site = f.site(call)
        first = site.args[0].node if site.args else None
        if rtext == "RestClient" and method in HTTP_VERBS:
            url = f.url_of(first)
            target, pending = f.target(url)
            yield f.outbound(call, ID, method, url)
            yield f.missing(call, ID, "rest-client", 60000, target, pending)
        elif (rtext, method) in (("RestClient.Request", "execute"), ("RestClient.Resource", "new")):
            url_node = site.kwargs["url"].node if "url" in site.kwargs else first
            url = f.url_of(url_node)
            target, pending = f.target(url)
            if method == "execute":
                verb = syntax.symbol_name(site.kwargs["method"].node) if "method" in site.kwargs else None
                yield f.outbound(call, ID, verb or "request", url)
            found = False
            for key, phase in REST_CLIENT.items():
                if key in site.kwargs:
                    found = True
                    yield f.timeout(_at(call, site.kwargs[key].node), site.kwargs[key].node, phase, ID, "rest-client",
                                    target, pending)
            if not found and not _opaque(site):
                yield f.missing(call, ID, "rest-client", 60000, target, pending)
        elif (rtext == "Typhoeus" and method in (*HTTP_VERBS, "head")) or (rtext == "Typhoeus.Request" and method == "new"):
            url = f.url_of(first)
            target, pending = f.target(url)
            verb = method if method != "new" else (
                syntax.symbol_name(site.kwargs["method"].node) if "method" in site.kwargs else "get")
            yield f.outbound(call, ID, verb or "request", url)
            found = False
            for key, (phase, scale) in TYPHOEUS.items():
                if key in site.kwargs:
                    found = found or phase == "total"
                    yield f.timeout(_at(call, site.kwargs[key].node), site.kwargs[key].node, phase, ID, "typhoeus",
                                    target, pending, scale=scale)
            if not found and not _opaque(site):
                yield f.missing(call, ID, "typhoeus", None, target, pending)
        elif root == "HTTP" and method in HTTP_VERBS:
            url = f.url_of(first)
            target, pending = f.target(url)
            yield f.outbound(call, ID, method, url)
            timeout_call = _chain_call(call, "timeout")
            if timeout_call is not None:
                chained.add(timeout_call.id)
            if timeout_call is None:
                yield f.missing(call, ID, "http.rb", None, target, pending)
            else:
                yield from _http_rb_timeout(f, timeout_call, target, pending)
        elif rtext == "Excon" and (method == "new" or method in HTTP_VERBS):
            url = f.url_of(first)
            target, pending = f.target(url)
            if method != "new":
                yield f.outbound(call, ID, method, url)
            for key, phase in EXCON.items():
                if key in site.kwargs:
                    yield f.timeout(_at(call, site.kwargs[key].node), site.kwargs[key].node, phase, ID, "excon",
                                    target, pending)


    for call in f.calls_named("timeout"):
        if call.id not in chained and _client_timeout(f, call):
            yield from _http_rb_timeout(f, call, None, (), anchor=call.child_by_field_name("method"))


# `Timeout.timeout`, `Rack::Timeout`, `Regexp.timeout`: not a client's setting.
_NOT_CLIENTS = ("Timeout", "Rack", "Regexp", "Net::ReadTimeout")


def _at(call: Node, value: Node) -> Node:
    """Where a keyword option's finding goes: the option's own line when a multi-line call puts it
    below the called name (`Typhoeus.get(url,` / `  timeout: 10)`: the Ruby sets' convention since
    round 15, as client_options and faraday place theirs), else the call."""
    pair = value.parent
    if pair is not None and pair.type == "pair" and pair.start_point[0] > call.start_point[0]:
        return pair
    return call


def _client_timeout(f: RubyFile, call: Node) -> bool:
    """`http.timeout(30)` / `Http.internal.timeout(1)` / `super.timeout(60)` inside `def http`."""
    receiver = call.child_by_field_name("receiver")
    site = f.site(call)
    if receiver is None or call.child_by_field_name("block") is not None:
        return False
    if not ((len(site.args) == 1 and not site.kwargs) or (not site.args and set(site.kwargs) & set(HTTP_RB))):
        return False
    if site.args and site.args[0].node.type not in ("integer", "float", "constant", "scope_resolution") \
            and _local_timeout_hash(site.args[0].node) is None:
        return False  # `x.timeout(timeout)`: a value passed on (the delegating wrapper itself)
    raw = text(receiver)
    if raw.split("::")[0].split(".")[0] in _NOT_CLIENTS:
        return False
    if receiver.type == "super":
        method = receiver.parent
        while method is not None and method.type not in ("method", "singleton_method"):
            method = method.parent
        name = text(method.child_by_field_name("name")) if method is not None else ""
        return "http" in name.lower() or "client" in name.lower()
    return "http" in raw.lower()


def _opaque(site) -> bool:
    return any(a.node.type in ("hash_splat_argument", "splat_argument") for a in site.args)


def _chain_call(call: Node, name: str) -> Node | None:
    node = call.child_by_field_name("receiver")
    while node is not None and node.type == "call":
        if text(node.child_by_field_name("method")) == name:
            return node
        node = node.child_by_field_name("receiver")
    return None


def _local_timeout_hash(arg: Node) -> Node | None:
    """``timeout = { write: 10, connect: 10, read: 10 }.merge(options)`` ... ``.timeout(timeout)``:
    the hash literal a local holds (through a ``merge`` of caller options), when it names a phase; or
    a constant's (``TIMEOUTS = { connect: 5, read: 60 }.freeze`` ... ``HTTP.timeout(TIMEOUTS)``)."""
    if arg.type == "constant":
        value = syntax.constant_hash_literal(text(arg), arg)
    elif arg.type == "identifier":
        value = syntax.local_assignment(text(arg), arg)
    else:
        return None
    while value is not None and value.type == "call" and text(value.child_by_field_name("method")) in (
            "merge", "reverse_merge", "dup", "freeze"):
        value = value.child_by_field_name("receiver")
    if value is None or value.type != "hash":
        return None
    keys = {text(p.child_by_field_name("key")).rstrip(":").lstrip(":") for p in value.named_children
            if p.type == "pair" and p.child_by_field_name("key") is not None}
    return value if keys & set(HTTP_RB) else None


def _http_rb_timeout(f: RubyFile, call: Node, target, pending, anchor: Node | None = None) -> Iterable[Finding]:
    site = f.site(call)
    at = anchor or call
    held = _local_timeout_hash(site.args[0].node) if len(site.args) == 1 else None
    if held is not None:
        for pair in held.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            phase = HTTP_RB.get(text(key).rstrip(":").lstrip(":")) if key is not None else None
            value = pair.child_by_field_name("value")
            if phase is not None and value is not None:
                yield f.timeout(at, value, phase, ID, "http.rb", target, pending)
        return
    if site.args and site.args[0].node.type not in ("simple_symbol",):
        yield f.timeout(at, site.args[0].node, "total", ID, "http.rb", target, pending)
    for key, phase in HTTP_RB.items():
        if key in site.kwargs:
            yield f.timeout(at, site.kwargs[key].node, phase, ID, "http.rb", target, pending)
