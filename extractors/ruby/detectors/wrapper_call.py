"""A timeout or attempts bound handed to one of the project's own methods (defined in another file).

What it does: at a call of a method that is not a library's (``Services.elasticsearch(timeout: 30)``,
``Samson::Retry.with_retries(Aws::S3::Errors::ServiceError, 3) { ... }``, ``with_retries(5) { ... }``,
``HttpClient.new(timeout: 10)``, ``client.fetch_json(url, 5)``), every argument that is a number, a
constant, a duration (``30.seconds``) or a local set from one is proposed as a timeout (phase total,
in the unit the caller writes: seconds) and, for integer-like values, as a retry bound, keyed by
its position or its keyword. The pipeline keeps a proposal only when the callee's file published
that parameter (``extractors/ruby/wrappers.py``: the method's parameter becomes a timeout or bounds
a retry there) and values it; everything else is dropped.

A call without receiver of a method of the same file (``cancel(timeout: KILL_TIMEOUT)``,
``fetch_with_timeout(30)``) is proposed under that method's file-local name: kept only when its body
makes the parameter a timeout (a kill wait or a page size is none).

Not proposed: arguments that are the caller's own parameters (a forwarder: its callers decide),
strings, ``nil``, symbols, calls of library namespaces (``Timeout``, ``Faraday``, ``Net::HTTP``...)
and lines where another detector already reports that kind (the generic ``timeout:`` option reader
reads most keyword timeouts itself: one contract per call line and kind).

Why it matters: a service calls its dependencies through helpers of its own; the value each call
site hands the helper is the contract with that dependency.

Example: ``GdsApi.with_retries(maximum_number_of_attempts: 5) { ... }`` with ``def
self.with_retries(maximum_number_of_attempts:)`` in another file retrying until the counter reaches
it -> retry max_attempts 5.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import ATTEMPTS_PARAM, KEEP_IF, TIMEOUT_PARAM
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown
from extractors import wrappers
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, is_parameter_of as _is_parameter, ruby_detector
from extractors.ruby.wrappers import GENERIC, MIN_BARE, RETRY_SWITCH, SWITCH_NAME, class_local_name, local_name
from extractors.treesitter import Node, text, walk

ID = "ruby.wrapper_call"

# Receivers that are libraries (their calls are read by the library detectors, or are no calls of
# another service at all).
LIBRARIES = frozenset({
    "Timeout", "Faraday", "Net", "HTTParty", "RestClient", "Typhoeus", "HTTP", "Excon", "Redis", "Sidekiq",
    "ActiveRecord", "ActiveJob", "ActiveSupport", "Rails", "ENV", "File", "Dir", "IO", "Process", "Kernel",
    "Integer", "Float", "String", "Array", "Hash", "JSON", "YAML", "URI", "CGI", "Time", "Date", "DateTime",
    "SecureRandom", "Retriable", "Concurrent", "Thread", "Mutex", "Queue", "Struct", "OpenStruct", "Math",
    "Random", "Rack", "Logger", "Benchmark", "Socket", "TCPSocket", "UDPSocket", "OpenSSL", "Digest",
    "Base64", "Zlib", "Aws", "Google", "Octokit", "Elasticsearch", "OpenSearch", "Stripe", "Vault", "Dalli",
    "ConnectionPool", "Resolv", "Mail", "Net::HTTP", "Signal", "GC", "ObjectSpace", "Regexp", "Range",
    "BigDecimal", "Rational", "Complex", "Set", "Pathname", "Tempfile", "StringIO", "PG", "Mysql2", "Bunny",
    "Kafka", "Rdkafka", "Karafka", "Sentry", "Raven", "Rollbar", "Honeybadger", "Bugsnag", "NewRelic",
    "Prometheus", "StatsD", "Statsd", "I18n", "Nokogiri", "CSV", "ERB", "Psych", "Oj", "MultiJson",
})
NOT_METHODS = frozenset({
    "sleep", "raise", "fail", "puts", "print", "p", "pp", "require", "require_relative", "include", "extend",
    "attr_accessor", "attr_reader", "attr_writer", "private", "protected", "public", "loop", "lambda", "proc",
    "rand", "format", "sprintf", "times", "upto", "downto", "step", "round", "floor", "ceil", "first", "last",
    "take", "drop", "sample", "slice", "each_slice", "in_groups_of", "limit", "offset", "page", "per", "at",
    "ago", "from_now", "since", "seconds", "minutes", "hours", "days", "weeks", "[]", "sidekiq_options",
    "retry_on", "discard_on", "validates", "validate", "has_many", "belongs_to", "has_one", "scope", "sum",
    "round", "truncate", "ljust", "rjust", "center", "pluck", "where", "order", "group", "find", "find_by",
    "perform_in", "perform_at", "set", "wait", "wait_until", "expect", "to", "eq", "be", "allow", "receive",
    "URI", "Integer", "Float", "String", "Array", "Hash", "Rational", "Complex", "Pathname", "BigDecimal",
})


def _number_like(value: Node) -> Expr | None:
    """The argument as a value expression in its own unit when it is a number, a constant, a
    duration, arithmetic of those, or a local set from one; else None."""
    if value.type in ("integer", "float"):
        return syntax.to_expr(value)
    if value.type in ("constant", "scope_resolution"):
        last = syntax.callee_text(value).rsplit(".", 1)[-1]
        return Ref(syntax.callee_text(value)) if len(last) > 1 and (last.isupper() or last[:1].isupper() and "_" in last) else None
    if value.type == "identifier":
        bound = syntax.local_assignment(text(value), value)
        if bound is None or bound.type == "identifier":
            return None
        return _number_like(bound) or _settled(bound)
    if value.type == "binary" and syntax._operator(value) in ("||", "or"):
        # `params[:timeout] || DEFAULT_TIMEOUT`: the fallback, when nothing is passed
        fallback = value.child_by_field_name("right")
        return _number_like(fallback) if fallback is not None else None
    if value.type in ("call", "binary", "parenthesized_statements"):
        return _settled(value)
    return None


def _settled(value: Node) -> Expr | None:
    expr = syntax.to_expr(value)
    if isinstance(expr, Num):
        return expr
    if isinstance(expr, (Str, Unknown, Ref)) or expr is syntax.NIL:
        return None
    if isinstance(expr, Env) and not isinstance(expr.default, Num):
        return None  # an environment string (`ENV.fetch("URL", "http://...")`), unless a number's default
    if isinstance(expr, (Env, Call, BinOp)) and not _names_locals(expr) and not _strings(expr) \
            and not _unknown(expr):
        return expr
    return None


def _unknown(expr: Expr) -> bool:
    if isinstance(expr, Unknown):
        return True
    if isinstance(expr, BinOp):
        return _unknown(expr.left) or _unknown(expr.right)
    if isinstance(expr, Call):
        return any(_unknown(a) for a in expr.args) or any(_unknown(v) for _, v in expr.kwargs)
    if isinstance(expr, Env):
        return expr.default is not None and _unknown(expr.default)
    return False


def _strings(expr: Expr) -> bool:
    """Whether the expression holds a text that is no number (a URL default, a name)."""
    if isinstance(expr, Str):
        try:
            float(expr.value)
        except ValueError:
            return True
        return False
    if isinstance(expr, BinOp):
        return _strings(expr.left) or _strings(expr.right)
    if isinstance(expr, Call):
        return any(_strings(a) for a in expr.args)
    if isinstance(expr, Env):
        return expr.default is not None and _strings(expr.default)
    return False


def _names_locals(expr: Expr) -> bool:
    """Whether the expression reads a lower-case name (a local, a method): not a constant value."""
    if isinstance(expr, Ref):
        return not expr.name.rsplit(".", 1)[-1][:1].isupper()
    if isinstance(expr, BinOp):
        return _names_locals(expr.left) or _names_locals(expr.right)
    if isinstance(expr, Call):
        return any(_names_locals(a) for a in expr.args) or any(_names_locals(v) for _, v in expr.kwargs)
    if isinstance(expr, Env):
        return expr.default is not None and _names_locals(expr.default)
    return False


def callee_names(f: RubyFile, call: Node) -> tuple[str, ...]:
    """The names this call's method may be published under, most specific first; () for a
    library call or a call that names no project method."""
    method = f.method_of(call)
    if not method or method in NOT_METHODS or method.endswith("="):
        return ()
    if method == "super":
        # (round 22) `super(base_url: ..., timeout: 3)` in a subclass's method: the superclass's method of the
        # same name, its constructor (`ApiClient.new`) from `initialize`
        enclosing = syntax.enclosing(call, ("method",))
        name = text(enclosing.child_by_field_name("name")) if enclosing is not None else ""
        if not name:
            return ()
        return _superclass_names(call, "new" if name == "initialize" else name)
    receiver = call.child_by_field_name("receiver")
    if (receiver is None or receiver.type == "self") and method in f.defined_methods:
        # this file's own method: published under a file-local name (qualified by its class when the
        # calling class defines it: two classes of a file may each have a `connection`)
        own = _class_method(method, call)
        qualified = class_local_name(f.path, own) if own is not None else None
        return (qualified, local_name(f.path, method)) if qualified else (local_name(f.path, method),)
    if receiver is None or receiver.type == "self":
        # a class method of the enclosing class/module (`with_retries(...)` inside `module Retry`),
        # else an inherited or included instance method with a distinctive name
        chain = syntax.class_chain(call)
        own = tuple(".".join([*chain[i:], method]) for i in range(len(chain)))
        return own + _superclass_names(call, method) + (
            (method,) if method not in GENERIC and len(method) >= MIN_BARE else ())
    if receiver.type in ("constant", "scope_resolution"):
        path = syntax.callee_text(receiver)
        parts = path.split(".")
        if path.replace(".", "::") in LIBRARIES:
            return ()
        if parts[0] in LIBRARIES:
            # `Faraday::SoapCall.new(url, :ccms)`: a project class the app put inside a library's
            # namespace (app/services/faraday/soap_call.rb). Proposed under its full path only (a
            # shorter `Client.new` could be any project class): the pipeline keeps it only when a
            # project file publishes that class, so the library's own classes propose nothing.
            if method != "new" or len(parts) < 2 or not all(p[:1].isupper() for p in parts):
                return ()
            return (".".join([*parts, method]),)
        own = tuple(".".join([*parts[i:], method]) for i in range(len(parts)))
        if len(parts) == 1 and parts[0] != "ApplicationRecord" and method not in GENERIC and len(method) >= MIN_BARE:
            # `Post.with_timeout(30_000) { ... }` (round 21, e621ng): a model's class method inherited
            # from the app's ApplicationRecord (kept only where that class publishes the method)
            own += (f"ApplicationRecord.{method}",)
        return own
    if receiver.type in ("identifier", "instance_variable", "call"):
        if receiver.type == "call" and f.method_of(receiver) == "new":
            own = _own_class_method(f, receiver.child_by_field_name("receiver"), method)
            if own is not None:
                # `AuthorizerClient.new(id).connection` of a class this file defines
                return (class_local_name(f.path, own) or local_name(f.path, method),)
            return (method,) if method not in GENERIC and len(method) >= MIN_BARE else ()
        if receiver.type == "call" or text(receiver) in ("ENV",):
            return ()
        typed = _receiver_class(receiver, method)
        if method in f.defined_methods and method not in GENERIC and len(method) >= MIN_BARE:
            # `@extractor.extract_text` in the file that defines its own `extract_text` (the class
            # that made @extractor): this file's method, not another file's of the same name (round 18)
            return (local_name(f.path, method),)
        return typed + ((method,) if method not in GENERIC and len(method) >= MIN_BARE else ())
    return ()


def _receiver_class(receiver: Node, method: str) -> tuple[str, ...]:
    """``api.get("shows")`` / ``@apple_api.post(...)``: a receiver named after a project class
    (``Api``, ``AppleApi``) calls that class's method, published under the class's name (round 18,
    feeder: ``Apple::Api#get(api_frag, tries: ERROR_RETRIES)`` called through ``api``). Kept only
    where a project file publishes that class's method."""
    name = text(receiver).lstrip("@")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or len(name) < 3:
        return ()
    if receiver.type == "identifier" and syntax.local_assignment(name, receiver) is not None:
        return ()  # `http = Net::HTTP.new(...)`: a local made here, whatever its name says
    block = receiver.parent
    while block is not None and block.type not in ("method", "singleton_method", "class", "module"):
        params = block.child_by_field_name("parameters") if block.type in ("block", "do_block") else None
        if params is not None and name in {text(p) for p in walk(params) if p.type == "identifier"}:
            return ()  # `Net::HTTP.start(...) do |http| http.get(...)`: the block's own object
        block = block.parent
    klass = "".join(part.capitalize() for part in name.split("_") if part)
    # Ruby's constant lookup: the enclosing namespaces first (`Api` inside `module Megaphone` is
    # `Megaphone::Api`, not another namespace's `Apple::Api`); a top-level name only outside any
    chain = [c for c in syntax.class_chain(receiver)]
    if not chain:
        return (f"{klass}.{method}",)
    return tuple(".".join([*chain[:i], klass, method]) for i in range(len(chain), 0, -1))


def _superclass_names(call: Node, method: str) -> tuple[str, ...]:
    """``class CaRequest < ::Proxy::Puppet::ApiRequest`` calling ``delete(path)``: the superclass's
    instance method, published under its class's paths (``Proxy.Puppet.ApiRequest.delete`` ...)."""
    klass = syntax.enclosing(call, ("class",))
    superclass = klass.child_by_field_name("superclass") if klass is not None else None
    if superclass is None or not superclass.named_child_count:
        return ()
    parts = [p for p in syntax.callee_text(superclass.named_children[0]).split(".") if p]
    if not parts or not all(p[:1].isupper() for p in parts):
        return ()
    return tuple(".".join([*parts[i:], method]) for i in range(len(parts)))


def _unit(names: tuple[str, ...], marker: str, key: str) -> Expr:
    refs = tuple(Ref(f"{name}.{marker}:{key}") for name in names)
    return refs[0] if len(refs) == 1 else Call("coalesce", refs)


def _arguments(f: RubyFile, call: Node) -> list[tuple[str, Node, Node]]:
    """(key, value node, anchor node) for each positional and keyword argument."""
    site = f.site(call)
    out = []
    index = 0
    for arg in site.args:
        if arg.node.type in ("block_argument", "splat_argument", "hash_splat_argument"):
            continue
        out.append((str(index), arg.node, arg.node))
        index += 1
    for key, arg in site.kwargs.items():
        out.append((key, arg.node, arg.node.parent if arg.node.parent is not None else arg.node))
    return out


# values a retry count or timeout never is: exception lists, predicates, blocks
_NEVER_A_BOUND = ("array", "lambda", "string")
_TIMEOUTISH_KEY = re.compile(r"timeout|deadline|wait", re.I)


def _never_a_bound(f: RubyFile, value: Node) -> bool:
    """A list, a lambda, a string, or a constant this file assigns a list (``TRANSIENT_HTTP_ERRORS =
    [RestClient::BadGateway, ...].freeze``): no count nor timeout."""
    if value.type in _NEVER_A_BOUND:
        return True
    if value.type != "constant":
        return False
    for node in walk(f.root):
        if node.type == "assignment" and text(node.child_by_field_name("left")) == text(value):
            right = node.child_by_field_name("right")
            while right is not None and right.type == "call" and text(right.child_by_field_name("method")) == "freeze":
                right = right.child_by_field_name("receiver")
            return right is not None and right.type in _NEVER_A_BOUND
    return False


@ruby_detector(ID, ("timeout", "retry"),
               valid=("Timeout.timeout(5) { work }\n", "sleep 5\n", "Helper.post(*args)\n",
                      "Helper.post(url, **options)\n", "Faraday.new(url, 5)\n"),
               invalid=("HttpHelper.post(url, 5)\n", "with_retries(3) { call }\n",
                        "Services.elasticsearch(timeout: TIMEOUT)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls:
        names = callee_names(f, call)
        if not names:
            continue
        urlp = _url_pending(f, call, names)  # (round 22) the destination the call hands the helper's URL parameter
        positional, keywords = 0, []
        counted: list[str] = []  # keywords given an integer-like value (each proposed as a bound)
        for key, value, anchor in _arguments(f, call):
            if key.isdigit():
                positional += 1
            elif not (_never_a_bound(f, value) and not _TIMEOUTISH_KEY.search(key)):
                keywords.append(key)
            else:
                # `retry_on: [Timeout::Error]`, `retry_if: ->(r) { ... }`: a keyword named like a retry
                # whose value can be no count (a list, a lambda) leaves the attempts parameter out
                continue
            expr = _number_like(value)
            if expr is None:
                forwarded = _forwarded_parameter(value)
                if forwarded is not None:
                    # a helper chain: the calling method hands its own parameter on; published for
                    # ITS callers (never reported itself)
                    yield wrappers.forward_proposal(path=f.path, language="ruby", node=anchor, detector=ID,
                                                    callee=_global_name(f, names[0]), key=key, value=forwarded,
                                                    expression=text(value))
                    expr = _parameter_default(value) if not _recursive(f, call) else None
                    if expr is None:
                        continue  # a parameter without a numeric default: only its callers' values count
                    anchor = call  # rule (a) at the called name's line (a call split over lines)
                else:
                    expr = _setting(value) or _method_value(f, value)
                    if expr is None:
                        continue
            elif value.type == "identifier" and _is_parameter(text(value), value):
                continue  # a forwarder: its own callers decide
            timeout_unit = _unit(names, TIMEOUT_PARAM, key)
            shown = text(value)
            yield f.finding("timeout", anchor, ID, {
                "timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": shown,
                "via": names[0]}, "medium",
                pending=(Pending("timeout_ms", BinOp("*", expr, timeout_unit), 1.0), Pending(KEEP_IF, timeout_unit, None),
                         *urlp))
            if value.type == "float" or (value.type == "call" and text(value).endswith(
                    tuple(syntax.DURATIONS))) or isinstance(expr, Num) and not float(expr.value).is_integer():
                continue
            marker = _unit(names, ATTEMPTS_PARAM, key)
            if not key.isdigit() and not isinstance(expr, Unknown):
                counted.append(key)  # (`client:` handing a local client on is no count)
            yield f.finding("retry", anchor, ID, {
                "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                "expression": shown, "via": names[0]}, "medium",
                pending=(Pending("max_attempts", BinOp("-", BinOp("+", expr, marker), Num(1)), 1.0),
                         Pending(KEEP_IF, marker, None), *urlp))
        yield from _retry_switched_on(f, call, names)
        arguments = call.child_by_field_name("arguments")
        if any(a.type in ("splat_argument", "hash_splat_argument", "forward_argument")
               for a in (arguments.named_children if arguments is not None else ())):
            continue  # `post(*args)` / `get(**opts)` / `get(...)`: what is left out is unknown
        if arguments is None and call.child_by_field_name("block") is None and not _own_method_call(f, call, names) \
                and not (f.method_of(call) == "new" and f.receiver_of(call)[:1].isupper()):
            continue  # `client.read_timeout`, `config.retries`: a reader, not a helper call (`Timeout.new` is one)
        # a defaulted timeout / attempts parameter the call leaves out: the helper's default
        for omitted in (wrappers.omitted_timeout_proposal, wrappers.omitted_retry_proposal):
            if omitted is wrappers.omitted_retry_proposal and counted:
                # `RetryableClient.new(client: dav, limit: 5)`: a count given by keyword is proposed as
                # the bound itself (kept when the helper bounds its retries with `limit`); the
                # positional "left out" key cannot tell it from a keyword the helper ignores
                continue
            found = omitted(path=f.path, language="ruby", node=call, detector=ID, callee=names[0],
                            positional=positional, keywords=keywords)
            if found is not None:
                found = _any_name(_at_method_name(f, call, found), names)
                yield replace(found, pending=(*found.pending, *urlp)) if urlp else found
    # `connection.get(url)` with `def connection(timeout: 25)` in this file: a bare call leaving
    # every defaulted parameter out
    for node, callee in _bare_calls(f):
        for omitted in (wrappers.omitted_timeout_proposal, wrappers.omitted_retry_proposal):
            found = omitted(path=f.path, language="ruby", node=node, detector=ID, callee=callee,
                            positional=0, keywords=())
            if found is not None:
                yield found


def _url_pending(f: RubyFile, call: Node, names: tuple[str, ...]) -> tuple[Pending, ...]:
    """(round 22) ``super(base_url: ENV.fetch("RISK_URL", ...), timeout: 3)``: the arguments that may be the
    call's destination; the helper's published URL parameter (``ApiClient.new.$url_param:base_url``) picks one."""
    args: dict = {}
    for key, value, _ in _arguments(f, call):
        if not (key.isdigit() or _URLISH_KEY.search(key)):
            continue
        url = f.url_of(value)
        if url is not None and url.literal is not None:
            args[key] = Str(url.literal)
        elif url is not None and url.expr is not None and not (isinstance(url.expr, Ref) and _is_parameter(
                url.expr.name, value)):
            args[key] = url.expr
    return wrappers.url_pending(names[0], args)


_URLISH_KEY = re.compile(r"(?i)url|uri|endpoint|host|base|address")


def _at_method_name(f: RubyFile, call: Node, found: Finding) -> Finding:
    """A chain split over lines (``ImageToText\n .new(..)\n .extract_text { .. }``): the proposal
    belongs at the line of the called method's name, as every multi-line call (round 18)."""
    from dataclasses import replace

    method = call.child_by_field_name("method")
    if method is None or method.start_point[0] <= call.start_point[0]:
        return found
    lines = f.data.splitlines()
    line = method.start_point[0] + 1
    evidence = lines[line - 1].decode("utf-8", errors="replace").strip()[:200] if line <= len(lines) else found.evidence
    return replace(found, line=line, column=method.start_point[1] + 1, evidence=evidence)


def _own_class_method(f: RubyFile, constant: Node | None, method: str) -> Node | None:
    """The instance method ``method`` of the class ``constant`` names, when this file defines both."""
    if constant is None or constant.type not in ("constant", "scope_resolution") or method not in f.defined_methods:
        return None
    last = syntax.callee_text(constant).rsplit(".", 1)[-1]
    for klass in walk(f.root):
        if klass.type == "class" and syntax.callee_text(klass.child_by_field_name("name")).rsplit(".", 1)[-1] == last:
            for node in walk(klass):
                if node.type == "method" and text(node.child_by_field_name("name")) == method and \
                        syntax.enclosing(node, ("class", "module")) == klass:
                    return node
    return None


def _own_method_call(f: RubyFile, call: Node, names: tuple[str, ...]) -> bool:
    """``self.connection`` / ``Client.new(id).connection`` of a method this file defines, or a class
    method (``Services.elasticsearch.nodes``): a call without arguments, not a reader (the helper's
    defaulted parameters are left out)."""
    receiver = call.child_by_field_name("receiver")
    if names and receiver is not None and receiver.type in ("constant", "scope_resolution"):
        return True  # `Services.elasticsearch.nodes`: a class method called without arguments
    if not names or not names[0].startswith(f"{f.path}#"):
        return False
    return receiver is None or receiver.type == "self" or (
        receiver.type == "call" and f.method_of(receiver) == "new")


# Where a bare identifier is a zero-argument call of the file's own method (`connection.get(...)`,
# `response = connection`), not a name being defined.
_BARE_CALL_PARENTS = frozenset({"call", "assignment", "operator_assignment", "argument_list", "return",
                                "body_statement", "parenthesized_statements", "binary", "conditional",
                                "element_reference", "pair"})


def _bare_calls(f: RubyFile) -> Iterable[tuple[Node, str]]:
    """(identifier, the helper's file-local name) for each bare identifier naming a method this file defines that is no
    local variable or parameter where it is read: Ruby calls the method (``connection.get(url)``
    with ``def connection(timeout: 25)``), leaving every defaulted parameter out."""
    methods = f.defined_methods
    if not methods:
        return
    for node in walk(f.root):
        if node.type != "identifier" or text(node) not in methods:
            continue
        parent = node.parent
        if parent is None or parent.type not in _BARE_CALL_PARENTS:
            continue
        if parent.type == "call" and parent.child_by_field_name("receiver") != node:
            continue  # `x.connection` is a call node of its own; `connection` as a method name
        if parent.type in ("assignment", "operator_assignment") and parent.child_by_field_name("left") == node:
            continue
        if parent.type == "pair" and parent.child_by_field_name("key") == node:
            continue
        name = text(node)
        if _is_parameter(name, node) or syntax.local_assignment(name, node) is not None or \
                _block_parameter(name, node):
            continue
        own = _class_method(name, node)
        if own is None:
            yield node, local_name(f.path, name)
        elif _defaulted(own):
            yield node, class_local_name(f.path, own) or local_name(f.path, name)


def _class_method(name: str, use: Node) -> Node | None:
    """The method ``name`` that the class around ``use`` defines itself (Ruby calls self's method)."""
    klass = syntax.enclosing(use, ("class", "module"))
    if klass is None:
        return None
    return next((m for m in walk(klass) if m.type == "method" and text(m.child_by_field_name("name")) == name
                 and syntax.enclosing(m, ("class", "module")) == klass), None)


def _defaulted(method: Node) -> bool:
    params = method.child_by_field_name("parameters")
    return any(p.type in ("optional_parameter", "keyword_parameter") and p.child_by_field_name("value") is not None
               for p in (params.named_children if params is not None else ()))


def _block_parameter(name: str, use: Node) -> bool:
    for parent in syntax.ancestors_of(use):
        if parent.type in ("block", "do_block", "lambda"):
            params = parent.child_by_field_name("parameters")
            if params is not None and any(text(p) == name or text(p.child_by_field_name("name")) == name
                                          for p in params.named_children):
                return True
        if parent.type in ("method", "singleton_method"):
            return False
    return False


def _any_name(finding: Finding, names: tuple[str, ...]) -> Finding:
    """An omitted-default proposal made for ``names[0]`` kept under whichever of the names the
    helper's file publishes (``Orders.with_attempts`` or the included module's bare
    ``with_attempts``)."""
    if len(names) < 2:
        return finding
    first = names[0]
    pending = []
    for p in finding.pending:
        expr = p.expr
        if isinstance(expr, Ref) and expr.name.startswith(first + "."):
            marker = expr.name[len(first):]
            expr = Call("coalesce", tuple(Ref(name + marker) for name in names))
        pending.append(Pending(p.attribute, expr, p.scale))
    from dataclasses import replace
    return replace(finding, pending=tuple(pending))


def _global_name(f: RubyFile, name: str) -> str:
    """A method of this file called by its file-local name (``path#post``) is published under a
    name other files can look up too (``HttpUtil.post``): a helper chain is evaluated in the outer
    helper's file, where the inner one must be found."""
    if "#" not in name:
        return name
    method = name.rsplit("#", 1)[1]
    from extractors.ruby.wrappers import names_of
    for node in walk(f.root):
        if node.type in ("method", "singleton_method") and text(node.child_by_field_name("name")) == method:
            found = names_of(node)
            return found[0] if found else name
    return name


NOT_SETTINGS = ("string", "simple_symbol", "delimited_symbol", "nil", "true", "false", "hash", "array", "lambda",
                "block_argument", "regex", "string_array", "symbol_array", "self", "heredoc_beginning")


def _setting(value: Node) -> Expr | None:
    """A value computed or read from configuration (``job_timeout(job)``, ``config.get(:uaa,
    :timeout)``, ``settings.timeout``, ``options[:timeout]``): unknown here, yet a contract when the
    helper's parameter is a timeout or a bound (kept only then, with value null). Not a text, a
    symbol, nil, a literal collection, a block, nor a field holding a constructor's parameter."""
    if value.type in NOT_SETTINGS:
        return None
    if value.type == "instance_variable":
        klass = syntax.enclosing(value, ("class",))
        from extractors.ruby.wrappers import _ivar_sources
        if klass is None or text(value) in _ivar_sources(klass):
            return None
    if value.type == "identifier" and syntax.local_assignment(text(value), value) is None:
        return None  # a bare reader or a block variable: nothing says it is a setting
    if value.type not in ("call", "element_reference", "instance_variable", "identifier", "scope_resolution",
                          "binary", "parenthesized_statements"):
        return None
    return Unknown(text(value)[:80])


def _method_value(f: RubyFile, value: Node) -> Expr | None:
    """``set_custom_timeout(host_timeout)`` / ``quietly_try_to_open(url, timeout)``: a bare name that
    is no local, block variable nor parameter is a call of a method (of this class, its superclass or
    a module): a computed value, a contract when the helper's parameter is a timeout. A zero-argument
    method of this file is named (``Ref``) so its body can value it (extractor.inline_readers)."""
    if value.type != "identifier":
        return None
    name = text(value)
    if _is_parameter(name, value) or syntax.local_assignment(name, value) is not None or _block_parameter(name, value):
        return None
    if name in f.defined_methods:
        return Ref(name)
    return Unknown(name) if DURATION_NAME.search(name) else None


# A method name that says it gives a duration or a count (`host_timeout`, `max_retries`, `wait_seconds`).
DURATION_NAME = re.compile(r"timeout|deadline|retr|attempt|tries|seconds|_secs?$|_ms$|duration|interval", re.IGNORECASE)


def _recursive(f: RubyFile, call: Node) -> bool:
    """A method calling itself (``fetch(location, read_timeout: read_timeout)`` following a
    redirect): its parameters are passed on unchanged, its own default is read where it is used."""
    method = syntax.enclosing(call, ("method", "singleton_method"))
    return method is not None and text(method.child_by_field_name("name")) == f.method_of(call)


def _parameter_default(value: Node) -> Expr | None:
    """``def undeliverable?(timeout: 3) ... mx_domain(timeout: timeout)``: the calling method's own
    parameter with a numeric default hands the helper that default when its callers leave it out:
    the helper's value at this call (the callers' own values reach it through the helper chain)."""
    if value.type != "identifier":
        return None
    method = syntax.enclosing(value, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        if param.type not in ("optional_parameter", "keyword_parameter"):
            continue
        own, default = param.child_by_field_name("name"), param.child_by_field_name("value")
        if own is not None and text(own) == text(value) and default is not None and \
                default.type in ("constant", "scope_resolution"):
            return Ref(syntax.callee_text(default))  # `timeout = DEFAULT_TIMEOUT`: the constant
        if own is not None and text(own) == text(value) and default is not None and (
                default.type in ("integer", "float") or syntax.settle(syntax.to_expr(default)) is not None):
            # `statement_timeout: 10.minutes`: a duration folds to its seconds
            expr = syntax.to_expr(default)
            number = syntax.settle(expr)
            return Num(number) if number is not None else expr
    return None


def _forwarded_parameter(value: Node) -> Expr | None:
    """The argument in terms of the calling method's own parameter (``timeout``, ``seconds * 1000``,
    ``retries + 1``), or None."""
    if value.type == "identifier" and _is_parameter(text(value), value):
        return Ref(text(value))
    if value.type == "binary":
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        op = syntax._operator(value)
        if op in ("*", "/", "+", "-") and left is not None and right is not None and left.type == "identifier" \
                and _is_parameter(text(left), left) and right.type in ("integer", "float"):
            return BinOp(op, Ref(text(left)), syntax.to_expr(right))
        if op in ("*", "+") and left is not None and right is not None and right.type == "identifier" \
                and _is_parameter(text(right), right) and left.type in ("integer", "float"):
            return BinOp(op, syntax.to_expr(left), Ref(text(right)))
    return None


def drop_duplicates(findings: list[Finding]) -> list[Finding]:
    """Proposals on a line where another detector already reports that kind: one contract per
    call line and kind (the generic option reader reads `timeout:` keywords itself). (round 22) At a
    `super(...)` of a project class (the proposals name `<Base>.new`), the proposals stand and the other
    detector's reading holds only when none of them does (the base published nothing for it)."""
    supers: dict[tuple, list[Expr]] = {}
    for x in findings:
        if x.detector == ID and x.kind in ("timeout", "retry") and not x.attributes.get("forward") and \
                x.evidence.lstrip().startswith("super") and str(x.attributes.get("via") or "").endswith(".new"):
            supers.setdefault((x.kind, x.line), []).extend(p.expr for p in x.pending if p.attribute == KEEP_IF)
    taken = {(y.kind, y.line) for y in findings if y.detector != ID and y.kind in ("timeout", "retry")}
    out = []
    for x in findings:
        key = (x.kind, x.line)
        if x.detector != ID and key in supers and supers[key]:
            held = supers[key]
            out.append(replace(x, pending=(*x.pending, Pending(KEEP_IF, Call("absent", (
                held[0] if len(held) == 1 else Call("coalesce", tuple(held)),)), None))))
        elif x.detector != ID or key in supers or x.attributes.get("forward") or key not in taken:
            out.append(x)
    return out


def _retry_switched_on(f: RubyFile, call: Node, names: tuple[str, ...]) -> Iterable[Finding]:
    """``Client.new(url, retry_on_transient_errors: true)`` / ``retries_on: [OpenSSL::SSL::SSLError]``:
    a construction switching on the retry loop of the project's own client, whose bound that class
    publishes (``<Class>.new.$retry_switch:<keyword>``, ``extractors/ruby/wrappers.py``); kept only
    where it does."""
    if f.method_of(call) != "new":
        return
    site = f.site(call)
    for key, arg in site.kwargs.items():
        value = arg.node
        if not SWITCH_NAME.search(key) or not (value.type == "true" or (value.type == "array" and value.named_child_count)):
            continue
        marker = Call("coalesce", tuple(Ref(f"{name}.{RETRY_SWITCH}:{key}") for name in names))
        pair = value.parent if value.parent is not None and value.parent.type == "pair" else call
        yield f.finding("retry", call, ID, {
            "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config", "library": None,
            "expression": text(pair), "via": names[0]}, "medium",
            pending=(Pending("max_attempts", marker, 1.0), Pending(KEEP_IF, marker, None)))
