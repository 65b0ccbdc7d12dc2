"""Faraday connections: timeouts, the faraday-retry middleware, missing timeouts, and requests.

What it does: reads ``Faraday.new(url: ..., request: { timeout: 5, open_timeout: 2 })``,
``conn.options.timeout = 5`` and per-request ``req.options.timeout = 5``; reports the
retry middleware (``f.request :retry, max: 2`` -> 3 attempts: ``max`` counts retries);
reports a connection that never gets a timeout, and each ``conn.get/post(...)`` as an
outbound call aimed at the connection's URL.
Also (round 21): connection options a method without parameters returns, when its name says so
(``def faraday_options; { request: { timeout: 10, open_timeout: 10 } }; end`` in a settings class,
handed to ``Faraday.new`` in other files), each phase at its option's line.

Why it matters: Faraday's default adapter (Net::HTTP) waits 60 s per phase; the retry
middleware re-sends the same request, so the callee sees up to ``max + 1`` copies.

Example: ``Faraday.new(url: RISK_URL, request: { timeout: 0.5 })`` -> timeout 500 ms, total.
Use instead: always pass ``request: { timeout:, open_timeout: }``.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Ref, normalise_ms
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import HTTP_VERBS, RubyFile, Url, field_default, max_attempts, number_value
from extractors.treesitter import Node, text, walk

ID = "ruby.faraday"
LIBRARY = "faraday"
DEFAULT_MS = 60000  # the default adapter is Net::HTTP: 60 s open/read

PHASES = {"timeout": "total", "open_timeout": "connect", "read_timeout": "read", "write_timeout": "write"}
RETRY_MIDDLEWARE = ("Faraday.Retry.Middleware", "Faraday.Request.Retry")


def _is_faraday_new(f: RubyFile, call: Node) -> bool:
    receiver = f.receiver_of(call)
    method = f.method_of(call)
    return method == "new" and receiver in ("Faraday", "Faraday.Connection")


def _option_line(call: Node, value: Node) -> Node:
    """Where a ``request: { timeout: }`` option's finding goes: the option's own line when a
    multi-line ``Faraday.new(`` puts it below the called name (``Faraday.new(`` / ``url: URL,`` /
    ``request: { timeout: 30, open_timeout: 5 }``), the Ruby sets' convention for keyword options of
    a multi-line client call (round 15; http_gems and client_options place theirs there), else the call."""
    pair = value.parent
    if pair is not None and pair.type == "pair" and pair.start_point[0] > call.start_point[0]:
        return pair
    return call


_HOLDER_NAME = re.compile(r"faraday|connection|http|request|client", re.I)


def _options_holders(f: RubyFile) -> Iterable[Node]:
    """Hash literals a method without parameters returns (its last statement), when the name says
    connection options (``faraday_options``, ``http_client_options``); a constant's hash the generic
    option reader (ruby.client_options) reports already."""
    for node in walk(f.root):
        if node.type == "method":
            name = text(node.child_by_field_name("name"))
            params = node.child_by_field_name("parameters")
            if params is not None and params.named_children:
                continue
            body = node.child_by_field_name("body") or next(
                (c for c in node.named_children if c.type == "body_statement"), None)
            statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
            value = statements[-1] if statements else None
        else:
            continue
        if value is not None and value.type == "hash" and _HOLDER_NAME.search(name or ""):
            yield value


def _connection_names(call: Node) -> list[str]:
    """Names a ``Faraday.new`` result is reachable by: the variable and the memoising method."""
    names = []
    parent = call.parent
    if parent is not None and parent.type in ("assignment", "operator_assignment"):
        names.append(text(parent.child_by_field_name("left")))
    method = syntax.enclosing(call, ("method",))
    if method is not None:
        names.append(text(method.child_by_field_name("name")))
        names.append("self." + text(method.child_by_field_name("name")))
    return names


def _base_url(f: RubyFile, call: Node) -> Url | None:
    site = f.site(call)
    if "url" in site.kwargs:
        return f.url_of(site.kwargs["url"].node)
    if site.args and site.args[0].node.type != "hash":
        return f.url_of(site.args[0].node)
    return None


def _block_param(call: Node) -> str | None:
    block = call.child_by_field_name("block")
    if block is None:
        return None
    params = block.child_by_field_name("parameters")
    if params is None or params.named_child_count == 0:
        return None
    return text(params.named_children[0])


@ruby_detector(ID, ("timeout", "missing_timeout", "retry", "outbound_call"),
          valid=("options = { timeout: 5 }  # not a Faraday connection\n",
                 "settings.options.timeout = 5  # not a Faraday connection\n", "msg = 'faraday timeout 5'\n"),
          invalid=("conn = Faraday.new(url: 'http://risk')\nconn.get('/score')\n",
                   "Faraday.new(url: 'http://risk') { |f| f.request :retry, max: 2 }\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    connections: dict[str, tuple[Node, Url | None]] = {}
    block_params: dict[int, tuple[str, Node]] = {}
    timed: set[int] = set()  # ids of Faraday.new calls with a timeout somewhere
    for call in f.calls:
        if not _is_faraday_new(f, call):
            continue
        base = _base_url(f, call)
        klass = syntax.enclosing(call, ("class",))
        for name in _connection_names(call):
            connections[name] = (call, base)
            # two classes of a file may each memoize a `connection`: a call uses its own class's
            f.class_connections[(klass.id if klass is not None else 0, name)] = (call, base)
        param = _block_param(call)
        if param:
            block_params[call.id] = (param, call.child_by_field_name("block"))
    f.connections.update({name: node for name, (node, _) in connections.items()})

    # Faraday.new(... request: { timeout: 5 }) and the retry middleware in its block
    for call in f.calls:
        if not _is_faraday_new(f, call):
            continue
        site = f.site(call)
        target, pending = f.target(_base_url(f, call))
        request = site.kwargs.get("request")
        if (request is not None and request.node.type != "hash") or any(
                a.node.type in ("identifier", "hash_splat_argument", "splat_argument", "constant", "call")
                for a in site.args[1:]):
            timed.add(call.id)  # options built elsewhere: cannot tell, so do not claim a missing timeout
        for key, value in syntax.hash_items(request.node if request else None).items():
            if key in PHASES:
                timed.add(call.id)
                yield f.timeout(_option_line(call, value), value, PHASES[key], ID, LIBRARY, target, pending,
                                library_default_ms=None)
        for pair in _shorthand_pairs(request.node if request else None):
            key = syntax.pair_key(pair)
            found = _shorthand(f, call, pair, key, target, pending)
            if found is not None:
                timed.add(call.id)
                yield found
        if call.id in block_params:
            param, block = block_params[call.id]
            yield from _middleware(f, block, param, target, pending)

    # Faraday::RackBuilder.new do |builder| builder.use Faraday::Retry::Middleware, max: 2 end (a middleware
    # stack handed to a client such as Octokit)
    for call in f.calls:
        if f.method_of(call) == "new" and f.receiver_of(call) == "Faraday.RackBuilder":
            param = _block_param(call)
            if param:
                yield from _middleware(f, call.child_by_field_name("block"), param, None, ())

    # `super do |conn| conn.request :retry, retry_options end`: a subclass adding the retry middleware to the
    # connection its parent's builder yields (the Faraday.new sits in the parent's file)
    for call in walk(f.root):
        if call.type != "call" or not call.named_children or call.named_children[0].type != "super" \
                or call.child_by_field_name("block") is None:
            continue
        param = _block_param(call)
        if param:
            yield from _middleware(f, call.child_by_field_name("block"), param, None, ())

    # Writers: conn.options.timeout = 5, f.options.timeout = 5, req.options.timeout = 5, f.options[:timeout] = 5
    for match in f.setters:
        receiver = match.get("receiver", [None])[0]
        attr = match.get("attr", [None])[0]
        if receiver is None or attr is None:
            continue
        key = text(attr).lstrip(":")
        if key not in PHASES:
            continue
        if not (receiver.type == "call" and text(receiver.child_by_field_name("method")) == "options"):
            continue
        owner = text(receiver.child_by_field_name("receiver"))
        assign = match["assign"][0]
        conn = _owner_connection(f, owner, assign, connections, block_params)
        request_call = _enclosing_request(f, assign, owner, connections)
        if conn is None and request_call is None:
            continue
        if conn is not None:
            timed.add(conn.id)
            url = _base_url(f, conn)
        else:
            owner_conn = text(request_call.child_by_field_name("receiver"))  # type: ignore[union-attr]
            if owner_conn == "Faraday":  # Faraday.get(url) do |req| req.options.timeout = 1 end
                site = f.site(request_call)
                url = f.url_of(site.args[0].node) if site.args else None
                timed.add(request_call.id)
            else:
                url = _request_url(f, request_call)  # type: ignore[arg-type]
            if owner_conn in connections:
                timed.add(_connection(f, connections, owner_conn, request_call)[0].id)  # its requests carry their own timeout
        target, pending = f.target(url)
        yield f.timeout(assign, match["value"][0], PHASES[key], ID, LIBRARY, target, pending)

    # A connection-options hash kept apart and handed to Faraday.new in other files (round 21, e621ng):
    # `def faraday_options; { request: { timeout: 10, open_timeout: 10 }, headers: h }; end` in a config
    # class, `Faraday.new(Danbooru.config.faraday_options)` in five clients: each phase at its option's line
    for hash_node in _options_holders(f):
        request = syntax.hash_items(hash_node).get("request")
        if request is None or request.type != "hash":
            continue
        for key, value in syntax.hash_items(request).items():
            if key in PHASES and value.parent is not None and value.parent.type == "pair":
                yield f.timeout(value.parent, value, PHASES[key], ID, LIBRARY, None, (), library_default_ms=None)

    # Connections with no timeout anywhere
    for call in f.calls:
        if _is_faraday_new(f, call) and call.id not in timed:
            target, pending = f.target(_base_url(f, call))
            yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)

    # Requests: conn.get('/path'), Faraday.get(url)
    for call in f.calls:
        method = f.method_of(call)
        if method not in HTTP_VERBS and method != "run_request":
            continue
        receiver = call.child_by_field_name("receiver")
        rtext = text(receiver) if receiver is not None else ""
        site = f.site(call)
        if rtext == "Faraday":
            url = f.url_of(site.args[0].node) if site.args else None
            target, pending = f.target(url)
            yield f.outbound(call, ID, method, url)
            if call.id not in timed:
                yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)
        elif rtext in connections:
            yield f.outbound(call, ID, *_request_method_url(f, call, _connection(f, connections, rtext, call)[1]))


def _shorthand_pairs(node: Node | None) -> list[Node]:
    """The ``timeout:`` pairs of ``request: { timeout:, open_timeout: }`` written without a value (Ruby
    3.1 shorthand for ``timeout: timeout``)."""
    if node is None or node.type != "hash":
        return []
    return [c for c in node.named_children if c.type == "pair" and c.child_by_field_name("value") is None
            and syntax.pair_key(c) in PHASES]


def _shorthand(f: RubyFile, call: Node, pair: Node, key: str, target, pending) -> Finding | None:
    """``Faraday.new(url:, request: { timeout: })``: the name ``timeout`` is the enclosing method's
    parameter (its default, else its callers' value: a forwarder), a local set earlier in the method,
    or the class's reader of a field the constructor fills (``attr_reader :timeout`` with
    ``def initialize(url, type, timeout = 30) @timeout = timeout``): the constructor's default, and
    the constructions passing a value carry theirs (the constructor is published as a helper)."""
    phase = PHASES[key]
    method = syntax.enclosing(pair, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param if param.type == "identifier" else param.child_by_field_name("name")
        if own is None or text(own) != key:
            continue
        default = param.child_by_field_name("value") if param.type != "identifier" else None
        number = syntax.settle(syntax.to_expr(default)) if default is not None else None
        if number is not None:
            attrs = {"timeout_ms": normalise_ms(number * 1000.0), "phase": phase, "resolved_from": "default",
                     "expression": key}
            return f.finding("timeout", call, ID, attrs, "medium", target, pending)
        attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": key}
        return f.finding("timeout", call, ID, attrs, "medium", target,
                         (*pending, Pending("timeout_ms", Ref(key), 1000.0)))
    bound = syntax.local_assignment(key, pair)
    if bound is not None:
        return f.timeout(call, bound, phase, ID, LIBRARY, target, pending, library_default_ms=None)
    default = field_default(key, pair)
    if default is None:
        return None
    expr = syntax.to_expr(default)
    number = syntax.settle(expr)
    attrs = {"timeout_ms": normalise_ms(number * 1000.0) if number is not None else None, "phase": phase,
             "resolved_from": "default" if number is not None else "unresolved", "expression": "@" + key}
    extra = () if number is not None else (Pending("timeout_ms", expr, 1000.0),)
    return f.finding("timeout", call, ID, attrs, "medium", target, (*pending, *extra))


def _request_method_url(f: RubyFile, call: Node, base: Url | None) -> tuple[str, Url | None]:
    method = f.method_of(call)
    site = f.site(call)
    args = site.args
    if method == "run_request" and args:
        method = syntax.symbol_name(args[0].node) or ""
        args = args[1:]
    given = f.url_of(args[0].node) if args else None
    if base is None or (given is not None and (given.literal is not None or given.expr is not None)):
        return method, given if given is not None or base is None else base
    return method, base.joined(given.path if given is not None else None)


def _request_url(f: RubyFile, call: Node) -> Url | None:
    receiver = text(call.child_by_field_name("receiver"))
    klass = syntax.enclosing(call, ("class",))
    own = f.class_connections.get((klass.id if klass is not None else 0, receiver))
    node = own[0] if own is not None else f.connections.get(receiver)
    base = _base_url(f, node) if node is not None else None
    return _request_method_url(f, call, base)[1]


def _owner_connection(f: RubyFile, owner: str, node: Node, connections, block_params) -> Node | None:
    # f.options.timeout inside Faraday.new do |f| ... end
    for call_id, (param, block) in block_params.items():
        if owner == param and block is not None and syntax.is_inside(node, block):
            return block.parent
    if owner in connections:
        return _connection(f, connections, owner, node)[0]
    return None


def _connection(f: RubyFile, connections, name: str, node: Node):
    """(Faraday.new call, base url) a name reaches from ``node``: the one its own class builds, else the
    file's last of that name."""
    klass = syntax.enclosing(node, ("class",))
    return f.class_connections.get((klass.id if klass is not None else 0, name)) or connections[name]


def _enclosing_request(f: RubyFile, node: Node, owner: str, connections) -> Node | None:
    """``conn.post('/x') do |req| req.options.timeout = 2 end``: the request call."""
    for parent in syntax.ancestors_of(node):
        if parent.type in ("block", "do_block"):
            params = parent.child_by_field_name("parameters")
            call = parent.parent
            if (params is not None and params.named_child_count and text(params.named_children[0]) == owner
                    and call is not None and call.type == "call"
                    and f.method_of(call) in (*HTTP_VERBS, "run_request")
                    and (text(call.child_by_field_name("receiver")) in connections
                         or text(call.child_by_field_name("receiver")) == "Faraday")):
                return call
    return None


def _middleware(f: RubyFile, block: Node, param: str, target, pending) -> Iterable[Finding]:
    """``f.request :retry, max: 2, interval: 0.5, backoff_factor: 2`` -> retry with max + 1 attempts."""
    for node in walk(block):
        if node.type != "call" or text(node.child_by_field_name("receiver")) != param:
            continue
        method = text(node.child_by_field_name("method"))
        site = syntax.call_site(node)
        if not site.args:
            continue
        first = site.args[0].node
        is_retry = (method == "request" and syntax.symbol_name(first) == "retry") or (
            method == "use" and syntax.callee_text(first) in RETRY_MIDDLEWARE)
        if not is_retry:
            continue
        options = dict(site.kwargs)
        opaque = False  # options handed in a value this file cannot read (`c.request :retry, config[:retries]`)
        merged: dict = {}
        if len(site.args) > 1:
            hash_node = site.args[1].node
            if hash_node.type == "identifier":
                # a local (`opts = { max: 3 }`), else a method of the class returning a hash literal
                hash_node = syntax.local_assignment(text(hash_node), hash_node) or \
                    syntax.method_hash(text(hash_node), hash_node) or hash_node
            elif hash_node.type == "constant":
                # `RETRY = { max: 5, ... }.freeze` in the class or file: `c.request :retry, RETRY`
                hash_node = syntax.constant_hash_literal(text(hash_node), hash_node) or hash_node
            elif hash_node.type == "call" and f.method_of(hash_node) in ("merge", "reverse_merge", "deep_merge"):
                hash_node, merged = _merged_defaults(f, hash_node)
            options.update({k: _Arg(v) for k, v in syntax.hash_items(hash_node).items()})
            options.update({k: _Arg(v) for k, v in merged.items()})
            if hash_node.type == "identifier":
                hash_node = _config_read_method(text(hash_node), hash_node) or hash_node
            # a constant defined elsewhere (another file, a gem): its max is unknown here
            opaque = _reads_another_object(hash_node) or hash_node.type in ("constant", "scope_resolution")
        max_node = options["max"].node if "max" in options else None
        attempts, pend = max_attempts(max_node, add=1) if max_node is not None else ((None if opaque else 3), ())
        interval = number_value(options["interval"].node) if "interval" in options else 0.0
        factor = number_value(options["backoff_factor"].node) if "backoff_factor" in options else 1.0
        if factor is not None and factor > 1:
            backoff = "exponential"
        elif interval == 0.0:
            backoff = "none"
        else:
            backoff = "fixed"
        retry_on = None
        if "exceptions" in options:
            retry_on = [syntax.ruby_name(e) for e in options["exceptions"].node.named_children] or None
        if "retry_statuses" in options:
            statuses = [text(s) for s in options["retry_statuses"].node.named_children]
            retry_on = (retry_on or []) + statuses
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on,
                 "mechanism": "client_config", "library": "faraday-retry"}
        yield f.finding("retry", node, ID, attrs, "high" if not pend else "medium", target, (*pending, *pend))


def _merged_defaults(f: RubyFile, call: Node) -> tuple[Node, dict]:
    """``RETRY_DEFAULTS.merge(Rails.configuration.x.http.retry_options)``: the file's own defaults (a
    constant hash, a local or a method returning a hash literal) with a literal hash merged over them;
    settings merged in from elsewhere are taken not to override them (they are read where they are set).
    Returns the defaults' hash node and the merged literal's items (``reverse_merge``: the other way)."""
    receiver = call.child_by_field_name("receiver")
    base = receiver
    if receiver is not None and receiver.type == "constant":
        base = syntax.constant_hash_literal(text(receiver), receiver) or receiver
    elif receiver is not None and receiver.type == "identifier":
        base = syntax.local_assignment(text(receiver), receiver) or syntax.method_hash(text(receiver), receiver) \
            or receiver
    site = f.site(call)
    other = site.args[0].node if len(site.args) == 1 and site.args[0].node.type == "hash" else None
    items = syntax.hash_items(other) if other is not None else {k: a.node for k, a in site.kwargs.items()}
    if base is None or base.type != "hash":
        return call, {}
    if f.method_of(call) == "reverse_merge":
        return base, {}  # the file's hash wins over what is merged under it
    return base, items


class _Arg:
    def __init__(self, node: Node):
        self.node = node


def _config_read_method(name: str, node: Node) -> Node | None:
    """``def retry_config; config[:retries]; end``: the one expression a method of the enclosing class
    without parameters returns, when it reads another object's setting (unknown here)."""
    from extractors.ruby.detectors.job_retry import _only_value

    klass = syntax.enclosing(node, ("class", "module"))
    if klass is None:
        return None
    for method in walk(klass):
        if method.type == "method" and text(method.child_by_field_name("name")) == name:
            value = _only_value(method)
            return value if value is not None and _reads_another_object(value) else None
    return None


def _reads_another_object(node: Node) -> bool:
    """``config[:retries]`` / ``settings.retries``: a value read from another object."""
    return node.type == "element_reference" or (node.type == "call" and node.child_by_field_name("receiver") is not None)

