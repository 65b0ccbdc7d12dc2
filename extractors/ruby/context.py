"""One parsed Ruby file as the detectors see it: the tree, query captures and finding factories.

Built once per file; every detector reads from it, so the file is parsed and
each query is run a single time.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import Call, Env, Expr, Num, Ref, Str, Unknown, normalise_ms
from extractors import treesitter as ts
from extractors.ruby import syntax
from extractors.treesitter import CallSite, Node, text
from extractors.common import Url  # noqa: F401 - re-exported for the detectors

GRAMMAR = "ruby"
LANGUAGE = "ruby"
QUERIES = Path(__file__).parent / "queries"

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head")


def query(name: str):
    return ts.load_query(GRAMMAR, str(QUERIES / f"{name}.scm"))


@dataclass
class RubyFile:
    path: str
    data: bytes
    tree: Any
    # Faraday connections: the name a connection is reachable by (conn, @conn, connection) -> Faraday.new node
    connections: dict[str, Node] = field(default_factory=dict)
    # the same per class: (class node id, or 0 at the top level; name) -> (Faraday.new node, base Url)
    class_connections: dict[tuple[int, str], Any] = field(default_factory=dict)
    _memo_method: dict[int, str] = field(default_factory=dict)
    _memo_receiver: dict[int, str] = field(default_factory=dict)
    _memo_site: dict[int, Any] = field(default_factory=dict)

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @cached_property
    def calls(self) -> list[Node]:
        # Captures come in no reliable order: source order, outer call first, so "last one wins"
        # and "first one wins" lookups in the detectors give the same answer on every run.
        return sorted(ts.captures(query("calls"), self.root).get("call", []), key=lambda n: (n.start_byte, -n.end_byte))

    @cached_property
    def constants(self) -> dict[str, Expr]:
        """Constants this file defines (bare and class-qualified names) as value expressions."""
        symbols: dict[str, Expr] = {}
        for match in ts.matches(query("constants"), self.root):
            loaded = syntax.config_for_name(match["value"][0])
            if loaded is not None:
                # (round 21, lead) `RISK_CONFIG = Rails.application.config_for(:risk)`: the file it loads, for the
                # readers of `RISK_CONFIG[:timeout]` anywhere in the app (syntax.to_expr, rails_yaml's leaves)
                symbols[f"{syntax.callee_text(match['name'][0])}.{syntax.CONFIG_FOR_OF}"] = Str(loaded)
                continue
            expr = syntax.to_expr(match["value"][0])
            if isinstance(expr, Unknown):
                continue
            name = syntax.callee_text(match["name"][0])
            chain = syntax.class_chain(match["assign"][0])
            symbols.setdefault(name, expr)
            if chain:
                symbols[".".join([*chain, name])] = expr
                # (round 22, bosh-aws-cpi) `ResourceWait::DEFAULT_WAIT_ATTEMPTS` read from a sibling class of
                # `module Bosh::AwsCloud`: the shorter qualified names a reader inside the namespace writes
                parts = ".".join(chain).split(".")
                for i in range(1, len(parts)):
                    symbols.setdefault(".".join([*parts[i:], name]), expr)
        # `Object.const_set("RETRY_ATTEMPTS", 5)` (rake files define constants this way)
        for call in self.calls_named("const_set"):
            site = self.site(call)
            if len(site.args) == 2 and self.receiver_of(call) in ("Object", "self", ""):
                name = syntax.string_literal(site.args[0].node) or syntax.symbol_name(site.args[0].node)
                expr = syntax.to_expr(site.args[1].node)
                if name and not isinstance(expr, Unknown):
                    symbols.setdefault(name, expr)
        return symbols

    @cached_property
    def defined_methods(self) -> frozenset[str]:
        """Names of the methods this file defines (``def x`` / ``def self.x``)."""
        return frozenset(text(n.child_by_field_name("name")) for n in ts.walk(self.root)
                         if n.type in ("method", "singleton_method"))

    @cached_property
    def setters(self) -> list[dict[str, list[Node]]]:
        return ts.matches(query("setters"), self.root)

    def calls_named(self, *methods: str) -> list[Node]:
        return [c for c, name in zip(self.calls, self._method_names) if name in methods]

    # Per-call facts every detector asks for, worked out once per call of this file (keyed by
    # node id: unique while this file's tree is alive, which it is as long as this object is).
    @cached_property
    def _method_names(self) -> list[str]:
        return [text(c.child_by_field_name("method")) for c in self.calls]

    def method_of(self, call: Node) -> str:
        """``text(call.method)``, memoised."""
        found = self._memo_method.get(call.id)
        if found is None:
            found = self._memo_method[call.id] = text(call.child_by_field_name("method"))
        return found

    def receiver_of(self, call: Node) -> str:
        """``syntax.callee_text(call.receiver)``, memoised."""
        found = self._memo_receiver.get(call.id)
        if found is None:
            found = self._memo_receiver[call.id] = syntax.callee_text(call.child_by_field_name("receiver"))
        return found

    def site(self, call: Node) -> CallSite:
        """``syntax.call_site(call)``, memoised (detectors only read it)."""
        found = self._memo_site.get(call.id)
        if found is None:
            found = self._memo_site[call.id] = syntax.call_site(call)
        return found

    # --- URLs -------------------------------------------------------------------------------
    def url_of(self, node: Node | None, depth: int = 0, param_ok: bool = True) -> Url | None:
        """Follow a URL expression: literals, interpolations, ENV lookups, constants, URI(...)."""
        if node is None or depth > 6:
            return None
        if node.type == "string":
            literal = syntax.string_literal(node)
            if literal is not None:
                if literal.startswith(("http://", "https://")):
                    return Url(literal=literal)
                return Url(path=literal)
            parts = node.named_children
            if parts and parts[0].type == "string_content":
                shown = "".join(text(p) if p.type == "string_content" else "{" + text(p)[2:-1].strip() + "}"
                                for p in parts)
                if text(parts[0]).startswith(("http://", "https://")):
                    return Url(literal=shown)
                return Url(path=shown)  # "/disputes/#{id}": a path with placeholders
            if parts and parts[0].type == "interpolation" and parts[0].named_child_count == 1:
                base = self.url_of(parts[0].named_children[0], depth + 1, param_ok=False)
                rest = "".join(text(p) if p.type == "string_content" else "{}" for p in parts[1:])
                if base is not None:
                    return base.joined(rest or None) if rest else base
            return None
        if node.type == "call":
            method = text(node.child_by_field_name("method"))
            receiver = node.child_by_field_name("receiver")
            site = syntax.call_site(node)
            if method in ("URI", "parse", "join") and (receiver is None or text(receiver) == "URI") and site.args:
                base = self.url_of(site.args[0].node, depth + 1)
                if method == "join" and base is not None and len(site.args) > 1:
                    extra = syntax.string_literal(site.args[1].node)
                    return base.joined(extra)
                return base
            if method in ("host", "to_s", "hostname", "path", "request_uri") and receiver is not None:
                return self.url_of(receiver, depth + 1)
        if node.type == "identifier":
            bound = syntax.local_assignment(text(node), node) or syntax.parameter_default(text(node), node)
            if bound is not None:
                return self.url_of(bound, depth + 1)
            if param_ok and _BASE_URL_NAME.search(text(node)) and is_parameter_of(text(node), node):
                # (round 22) `Faraday.new(url: base_url)` in `def initialize(base_url:, ...)`: the caller's URL
                # (extractors/wrappers.py publishes the parameter as the helper's destination)
                return Url(expr=Ref(text(node)))
            return None
        expr = syntax.to_expr(node)
        if isinstance(expr, Ref) and expr.name in self.constants and depth < 6:
            bound = self.constants[expr.name]
            if isinstance(bound, Str):
                return self.url_of_text(bound.value)
            if isinstance(bound, Env):
                expr = bound
        if isinstance(expr, Env):
            return Url(expr=Env(expr.var, expr.default if not isinstance(expr.default, Unknown) else None))
        if isinstance(expr, Ref):
            return Url(expr=expr)
        if isinstance(expr, Str):
            return self.url_of_text(expr.value)
        if isinstance(expr, Call) and expr.func == "coalesce" and expr.args and isinstance(expr.args[0], Call) \
                and expr.args[0].func == "config_at":
            return Url(expr=expr.args[0])  # (round 21) `RISK_CONFIG[:url]` of a config_for file
        return None

    @staticmethod
    def url_of_text(value: str) -> Url:
        return Url(literal=value) if value.startswith(("http://", "https://")) else Url(path=value)

    @staticmethod
    def target(url: Url | None) -> tuple[Target | None, tuple[Pending, ...]]:
        if url is None:
            return None, ()
        if url.literal is not None:
            return Target(url=url.literal, operation=url.path), ()
        if url.expr is not None:
            return (Target(operation=url.path) if url.path else None), (Pending("url", url.expr, None),)
        if url.path is not None:
            return Target(operation=url.path), ()
        return None, ()

    # --- findings ---------------------------------------------------------------------------
    def finding(self, kind: str, node: Node, detector: str, attributes: dict[str, Any],
                confidence: str = "high", target: Target | None = None,
                pending: Iterable[Pending] = ()) -> Finding:
        anchor = node
        if node.type == "call":
            method = node.child_by_field_name("method")
            if method is not None and method.start_point[0] > node.start_point[0]:
                anchor = method  # a chain split over lines: the line of this call's own method name
        line, column, _, _ = ts.location(anchor)
        _, _, end_line, end_column = ts.location(node)
        lines = self.data.splitlines()
        evidence = lines[line - 1].decode("utf-8", errors="replace").strip()[:200] if 0 < line <= len(lines) else ""
        return Finding(kind=kind, path=self.path, line=line, column=column, end_line=end_line,
                       end_column=end_column, language=LANGUAGE, detector=detector,
                       confidence=confidence, attributes=attributes, evidence=evidence,
                       target=target, pending=tuple(pending))

    def timeout(self, node: Node, value: Node, phase: str, detector: str, library: str,
                target: Target | None = None, pending: Iterable[Pending] = (), scale: float = 1000.0,
                library_default_ms: float | None = None) -> Finding:
        """A timeout finding (or missing_timeout for a literal nil) from a value in seconds.

        A parameter of the enclosing method with a numeric default (`def check(timeout: 3)` ...
        `smtp.read_timeout = timeout`) takes that default, resolved_from "default", medium; so does
        a lookup with a numeric fallback (`params.delete(:open_timeout)&.to_i || 5`,
        `options[:timeout] || 10`) unless the lookup is an environment variable (an Env for the
        pipeline, which may know the variable)."""
        while value.type == "assignment" and value.child_by_field_name("right") is not None:
            value = value.child_by_field_name("right")  # `req.options.timeout = req.options.open_timeout = 1`
        default = parameter_default(value) or fallback_default(value)
        looked_up = None
        if default is None and value.type == "identifier" and not syntax.parameter_default(text(value), value):
            # `timeout = opts[:timeout] || TIMEOUT` ... `http.read_timeout = timeout` (round 18, feeder):
            # the options lookup's fallback, named as the lookup (the helper publishes the key)
            bound = syntax.local_assignment(text(value), value)
            fallback = fallback_default(bound) if bound is not None else None
            if fallback is not None:
                default, looked_up = fallback, text(bound)
        if default is None and value.type == "identifier":
            # `def initialize(src, connect_timeout: DEFAULT_CONNECT_TIMEOUT)`: a constant default
            declared = syntax.parameter_default(text(value), value)
            if declared is not None and declared.type in ("constant", "scope_resolution"):
                default = declared
        if default is None and value.type in ("instance_variable", "identifier"):
            # `http.read_timeout = @timeout` with `def initialize(timeout: 30) @timeout = timeout`
            # (or its `attr_reader :timeout` read as `timeout`): the helper's own default (the
            # constructions passing a value are read at their calls)
            default = field_default(text(value), value)
        if default is None and value.type == "identifier":
            # `request.options[:timeout] = timeout` with `class_attribute :timeout; self.timeout = 5`
            default = class_attribute_default(text(value), value)
        if default is None and value.type == "instance_variable":
            # `@state_timeout = options['state_timeout'] || DEFAULT_STATE_TIMEOUT` in initialize, read in
            # another method (round 22, bosh-openstack-cpi): the options' fallback
            default = initialize_fallback(text(value), value)
        if default is None and value.type == "instance_variable":
            # `@timeout = 1` earlier in the same method, then `Timeout.timeout(@timeout) { ... }`
            assigned = syntax.local_assignment(text(value), value)
            if assigned is not None and syntax.enclosing(value, ("method", "singleton_method")) is not None \
                    and syntax.settle(syntax.to_expr(assigned)) is not None:
                value = assigned
        shown = looked_up or text(value)
        if default is None and value.type == "identifier":
            found = conditional_default(value)
            if found is not None:
                # the parameter the local falls back from: the helper's timeout parameter
                default, shown = found
        if default is not None:
            default_expr = syntax.to_expr(default)
            number = syntax.settle(default_expr)
            if number is not None:
                attrs = {"timeout_ms": normalise_ms(number * scale), "phase": phase,
                         "resolved_from": "default", "expression": shown}
                return self.finding("timeout", node, detector, attrs, "medium", target, pending)
            if isinstance(default_expr, Ref):
                # `options[:timeout] || TIMEOUT_SECONDS`: the constant, when nothing is passed
                attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": shown}
                return self.finding("timeout", node, detector, attrs, "medium", target,
                                    (*pending, Pending("timeout_ms", default_expr, scale)))
        expr = env_helper(self, value) or syntax.to_expr(value)
        if isinstance(expr, Unknown):
            from extractors.ruby.wrappers import field_reference

            expr = field_reference(value) or expr  # `config.timeout`: the Config class's field default
        expression = text(value)
        if expr is syntax.NIL:
            return self.finding("missing_timeout", node, detector,
                                {"library": library, "library_default_ms": library_default_ms},
                                confidence="high", target=target, pending=pending)
        number = syntax.settle(expr)
        if number is not None:
            attrs = {"timeout_ms": normalise_ms(number * scale), "phase": phase,
                     "resolved_from": "literal", "expression": expression}
            return self.finding("timeout", node, detector, attrs, "high", target, pending)
        attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "unresolved", "expression": expression}
        extra = () if isinstance(expr, Unknown) else (Pending("timeout_ms", expr, scale),)
        return self.finding("timeout", node, detector, attrs, "medium", target, (*pending, *extra))

    def missing(self, node: Node, detector: str, library: str, library_default_ms: float | None,
                target: Target | None = None, pending: Iterable[Pending] = ()) -> Finding:
        return self.finding("missing_timeout", node, detector,
                            {"library": library, "library_default_ms": library_default_ms},
                            confidence="medium", target=target, pending=pending)

    def outbound(self, node: Node, detector: str, method: str, url: Url | None, protocol: str = "http") -> Finding:
        target, pending = self.target(url)
        shown = None
        if url is not None:
            shown = url.literal or url.path
        return self.finding("outbound_call", node, detector,
                            {"protocol": protocol, "method": method.upper() or None, "url": shown},
                            confidence="high" if url is not None and url.literal else "medium",
                            target=target, pending=pending)


def parameter_default(value: Node | None) -> Node | None:
    """The numeric default of the enclosing method's parameter that `value` names (`timeout: 3`), or
    of the key an options parameter's hash default holds (`def timeout(options = { after: 60 })` ...
    `options[:after]`)."""
    if value is not None and value.type == "element_reference":
        return _hash_default(value)
    if value is None or value.type != "identifier":
        return None
    method = value.parent
    while method is not None and method.type not in ("method", "singleton_method"):
        method = method.parent
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        if param.type in ("keyword_parameter", "optional_parameter") and \
                text(param.child_by_field_name("name")) == text(value):
            default = param.child_by_field_name("value")
            if default is None:
                return None
            if default.type in ("integer", "float"):
                return default
            # `max_timeout: 2 * 60 * 60`, `timeout: 30.seconds`: a default that folds to a number
            return default if syntax.settle(syntax.to_expr(default)) is not None else None
    return None


def field_default(name: str, node: Node) -> Node | None:
    """The default of the constructor parameter a field holds, when ``name`` is that field
    (``@timeout``) or the class's reader of it (``timeout`` with ``attr_reader :timeout``, no local
    nor parameter of that name): ``def initialize(url, timeout = 30) @timeout = timeout`` -> ``30``.
    Only a field ``initialize`` alone writes, from a parameter whose default folds to a number or is
    a constant (``timeout: TIMEOUT``); None otherwise (the field is the constructions' value)."""
    from extractors.ruby.wrappers import _ivar_sources

    klass = syntax.enclosing(node, ("class",))
    if klass is None:
        return None
    if not name.startswith("@"):
        if syntax.local_assignment(name, node) is not None or is_parameter_of(name, node):
            return None
        name = "@" + name
    param = _ivar_sources(klass).get(name)
    init = next((m for m in ts.walk(klass) if m.type == "method"
                 and text(m.child_by_field_name("name")) == "initialize"), None)
    if param is None or init is None:
        return None
    writes = [n for n in ts.walk(klass) if n.type in ("assignment", "operator_assignment")
              and text(n.child_by_field_name("left")) == name]
    if len(writes) != 1:
        return None
    params = init.child_by_field_name("parameters")
    for item in params.named_children if params is not None else ():
        if item.type in ("keyword_parameter", "optional_parameter") and \
                text(item.child_by_field_name("name")) == param:
            default = item.child_by_field_name("value")
            if default is None or default.type == "nil":
                return None
            if default.type in ("constant", "scope_resolution") or syntax.settle(syntax.to_expr(default)) is not None:
                return default
    return None


def initialize_fallback(name: str, node: Node) -> Node | None:
    """The fallback of the one write of field ``name`` in its class, made in ``initialize`` from an
    options lookup (``@state_timeout = options['state_timeout'] || DEFAULT_STATE_TIMEOUT``)."""
    klass = syntax.enclosing(node, ("class",))
    if klass is None:
        return None
    writes = [n for n in ts.walk(klass) if n.type in ("assignment", "operator_assignment")
              and text(n.child_by_field_name("left")) == name]
    if len(writes) != 1 or writes[0].type != "assignment":
        return None
    method = syntax.enclosing(writes[0], ("method", "singleton_method"))
    if method is None or text(method.child_by_field_name("name")) != "initialize":
        return None
    return fallback_default(writes[0].child_by_field_name("right"))


CLASS_ATTRIBUTE_DECLARATIONS = ("class_attribute", "cattr_accessor", "mattr_accessor", "cattr_reader",
                                "mattr_reader", "attr_accessor", "attr_reader")


def class_attribute_default(name: str, node: Node) -> Node | None:
    """The class-level value of an attribute the enclosing class declares, when ``name`` (read in a
    method, no local nor parameter of that name) is that attribute: ``class_attribute :timeout`` with
    ``self.timeout = 5`` in the class body (or ``class_attribute :timeout, default: 5``), or the
    attributes API of ActiveModel / StoreModel (``attribute :open_timeout, :integer, default: 5``).
    Round 19 (e-petitions' Feed::Base, bops' file downloaders). Only a value that folds to a number."""
    if node.type != "identifier" or syntax.local_assignment(name, node) is not None or is_parameter_of(name, node):
        return None
    method = syntax.enclosing(node, ("method",))
    klass = syntax.enclosing(node, ("class",))
    if method is None:
        return None
    if klass is None:
        # anyway_config's `attr_config` in a module's `included do ... class_eval do` (round 22, pact-broker)
        klass = syntax.enclosing(node, ("module",))
        if klass is None:
            return None
    declared = False
    value = None
    for n in ts.walk(klass):
        if n.type == "call" and n.child_by_field_name("receiver") is None and \
                syntax.enclosing(n, ("method", "singleton_method")) is None:
            called = text(n.child_by_field_name("method"))
            site = syntax.call_site(n)
            names = [syntax.symbol_name(a.node) for a in site.args]
            if called in CLASS_ATTRIBUTE_DECLARATIONS and name in names:
                declared = declared or called != "attr_reader" and called != "attr_accessor" or \
                    syntax.enclosing(n, ("singleton_class",)) is not None
                if "default" in site.kwargs:
                    value = site.kwargs["default"].node
            elif called == "attribute" and names[:1] == [name] and "default" in site.kwargs:
                declared, value = True, site.kwargs["default"].node
        elif n.type == "assignment" and syntax.enclosing(n, ("method", "singleton_method")) is None:
            left = n.child_by_field_name("left")
            if left is not None and text(left).replace(" ", "") == f"self.{name}":
                value = n.child_by_field_name("right")
    if not declared:
        # anyway_config (round 22, the round-21 pact-broker request): `attr_config(pool_timeout: 5)` declares a
        # setting and its default (env / YAML may override it), also inside `def self.included(config)
        # config.class_eval do ... end`
        for n in ts.walk(klass):
            if n.type == "call" and n.child_by_field_name("receiver") is None and \
                    text(n.child_by_field_name("method")) == "attr_config":
                site = syntax.call_site(n)
                if name in site.kwargs:
                    declared, value = True, site.kwargs[name].node
    if not declared or value is None or syntax.settle(syntax.to_expr(value)) is None:
        return None
    return value


ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")


def env_helper(f: "RubyFile", value: Node):
    """``timeout_from_env("ASSISTANT_READ_TIMEOUT", DEFAULT_READ_TIMEOUT)`` with ``def
    timeout_from_env(name, default)`` in this file reading ``ENV[name]``: the variable, with the
    second argument as its default (an Env for the pipeline)."""
    if value.type != "call" or value.child_by_field_name("receiver") is not None:
        return None
    site = f.site(value)
    if len(site.args) != 2 or site.kwargs:
        return None
    name = syntax.string_literal(site.args[0].node)
    if not name or not ENV_NAME.match(name):
        return None
    method = f.method_of(value)
    for node in ts.walk(f.root):
        if node.type == "method" and text(node.child_by_field_name("name")) == method:
            params = node.child_by_field_name("parameters")
            first = params.named_children[0] if params is not None and params.named_children else None
            if first is not None and first.type == "identifier" and re.search(
                    r"\bENV(?:\[|\.fetch\()\s*" + re.escape(text(first)) + r"\b", text(node)):
                return Env(name, syntax.to_expr(site.args[1].node))
            return None
    return None


def conditional_default(value: Node) -> tuple[Node, str] | None:
    """``t = timeout.nil? || timeout.to_i == 0 ? DEFAULT_TIMEOUT : timeout.to_i`` ... ``Timeout.timeout(t)``:
    a local that falls back to a constant or number when a parameter gives nothing; that fallback
    is the value used unless a caller passes one (the callers' values are read at their calls).
    Only when the other branch reads a parameter of the method (else the local is plain logic):
    (the fallback, that parameter's name)."""
    from extractors.ruby import syntax as _syntax

    bound = _syntax.local_assignment(text(value), value)
    if bound is None or bound.type != "conditional":
        return None
    branches = [bound.child_by_field_name("consequence"), bound.child_by_field_name("alternative")]
    if any(b is None for b in branches):
        return None
    fixed = [b for b in branches if b.type in ("integer", "float", "constant", "scope_resolution")]
    other = [b for b in branches if b not in fixed]
    if len(fixed) != 1 or len(other) != 1:
        return None
    names = [text(n) for n in ts.walk(other[0]) if n.type == "identifier"]
    params = [name for name in names if is_parameter_of(name, value)]
    if not params:
        return None
    # named as the parameter when that one has a default of its own (a helper's timeout parameter,
    # published for its callers); a `nil` default leaves the local's name (the fallback is the value)
    return fixed[0], (params[0] if _has_default(params[0], value) else text(value))


def _has_default(name: str, node: Node) -> bool:
    method = syntax.enclosing(node, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        if param.type in ("optional_parameter", "keyword_parameter") and text(param.child_by_field_name("name")) == name:
            default = param.child_by_field_name("value")
            return default is not None and default.type != "nil"
    return False


_BASE_URL_NAME = re.compile(r"(?i)url|uri|endpoint|host|server|base")


def is_parameter_of(name: str, node: Node) -> bool:
    """Whether ``name`` is a parameter of the method around ``node``."""
    method = syntax.enclosing(node, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param if param.type == "identifier" else param.child_by_field_name("name")
        if own is not None and text(own) == name:
            return True
    return False


def _hash_default(value: Node) -> Node | None:
    holder = value.child_by_field_name("object")
    keys = [c for c in value.named_children if c != holder]
    if holder is None or holder.type != "identifier" or len(keys) != 1:
        return None
    key = syntax.symbol_name(keys[0])
    default = syntax.parameter_default(text(holder), value)
    if not key or default is None or default.type != "hash":
        return None
    for pair in default.named_children:
        if pair.type == "pair" and syntax.pair_key(pair) == key:
            number = pair.child_by_field_name("value")
            return number if number is not None and syntax.settle(syntax.to_expr(number)) is not None else None
    return None


def fallback_default(value: Node | None) -> Node | None:
    """`lookup || 5`: the number used when the lookup (a hash, params or options read) gives nothing;
    also `options.fetch(:timeout, Setting[:dns_timeout])` (not ENV's: an Env)."""
    if value is not None and value.type == "call" and text(value.child_by_field_name("method")) == "fetch":
        receiver = value.child_by_field_name("receiver")
        args = value.child_by_field_name("arguments")
        items = [a for a in (args.named_children if args is not None else ()) if a.type != "comment"]
        if receiver is not None and text(receiver) != "ENV" and len(items) == 2 and (
                items[1].type in ("integer", "float", "constant", "scope_resolution")
                or isinstance(syntax.to_expr(items[1]), Ref)):
            return items[1]
        return None
    if value is None or value.type != "binary":
        return None
    operator = next((c for c in value.children if c.type in ("||", "or")), None)
    left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
    if operator is None or left is None or right is None or right.type not in (
            "integer", "float", "constant", "scope_resolution"):
        return None
    if "ENV" in text(left) or not re.search(r"\[|\.(delete|fetch|dig|\[\])\b", text(left)):
        return None
    return right


def number_value(node: Node | None) -> float | None:
    if node is None:
        return None
    return syntax.settle(syntax.to_expr(node))


def max_attempts(node: Node | None, add: float = 0.0) -> tuple[float | None, tuple[Pending, ...]]:
    """A retry count: a literal (plus ``add``) or a Pending for the pipeline."""
    if node is None:
        return None, ()
    expr = syntax.to_expr(node)
    number = syntax.settle(expr)
    if number is not None:
        return normalise_ms(number + add), ()
    default = parameter_default(node) if node.type == "identifier" else None
    number = syntax.settle(syntax.to_expr(default)) if default is not None else None
    if number is not None:
        # `def setup(url, retries: 3) ... f.request :retry, max: retries`: the helper's own default
        # (rule a); the pending bound still names the parameter, so the helper publishes it for
        # its callers (rule b/c at the calls)
        from contract_discovery.values import BinOp
        return normalise_ms(number + add), (Pending("max_attempts", BinOp("+", expr, Num(add)) if add else expr, 1.0),)
    if isinstance(expr, Unknown):
        return None, ()
    from contract_discovery.values import BinOp
    return None, (Pending("max_attempts", BinOp("+", expr, Num(add)) if add else expr, 1.0),)


# A branch only a local or test environment runs, chosen by the environment variable itself
# (``if ENV['RACK_ENV'] == 'test'``: a local DynamoDB endpoint with its own timeouts; round 20, sixnines
# and 0pdd). ``Rails.env.test?`` branches are left out by the extractor; this is the Sinatra / Rack form.
_ENV_VAR = r"ENV(?:\[\s*['\"](?:RACK|RAILS|APP)_ENV['\"]\s*\]|\.fetch\(\s*['\"](?:RACK|RAILS|APP)_ENV['\"][^)]*\))"
_LOCAL_NAME = r"['\"](?:test|development|dev)['\"]"
_ENV_LOCAL = re.compile(rf"^(?:{_ENV_VAR}\s*==\s*{_LOCAL_NAME}|{_LOCAL_NAME}\s*==\s*{_ENV_VAR}|"
                        rf"{_ENV_VAR}\s*!=\s*['\"]production['\"])$")
_ENV_PRODUCTION = re.compile(rf"^{_ENV_VAR}\s*==\s*['\"]production['\"]$")


def env_local_branches(file: "RubyFile") -> list[tuple[int, int]]:
    """Line spans of the branches only a test or development environment runs, chosen by
    ``ENV['RACK_ENV']`` / ``ENV['RAILS_ENV']`` / ``ENV['APP_ENV']``: the consequence of ``if ... == 'test'``
    (or ``!= 'production'``), the ``else`` of ``if ... == 'production'``, the body of ``unless ... ==
    'production'``."""
    if b"_ENV" not in file.data:
        return []
    cached = getattr(file, "_env_local_spans", None)
    if cached is not None:
        return cached
    spans = []
    for node in ts.walk(file.root):
        if node.type not in ("if", "unless", "if_modifier", "unless_modifier", "conditional"):
            continue
        condition = node.child_by_field_name("condition")
        words = re.sub(r"\s+", " ", ts.text(condition).strip()) if condition is not None else ""
        if words.startswith("(") and words.endswith(")"):
            words = words[1:-1].strip()
        branch = None
        if node.type in ("if", "if_modifier", "conditional") and _ENV_LOCAL.match(words):
            branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
            if node.type == "if_modifier":
                branch = node.named_children[0] if node.named_children else None
        elif node.type in ("unless", "unless_modifier") and _ENV_PRODUCTION.match(words):
            branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
            if node.type == "unless_modifier":
                branch = node.named_children[0] if node.named_children else None
        elif node.type in ("if", "conditional") and _ENV_PRODUCTION.match(words):
            branch = node.child_by_field_name("alternative")
        if branch is not None:
            spans.append((branch.start_point[0] + 1, branch.end_point[0] + 1))
    try:
        file._env_local_spans = spans
    except Exception:  # pragma: no cover - defensive
        pass
    return spans


# A class-level macro that defines timeout readers (round 20, monadic-chat: `define_timeouts "OLLAMA", open: 5,
# read: 600, write: 60` makes `open_timeout` / `read_timeout` / `write_timeout` return those numbers unless
# configured); its keyword `open:` names the reader `open_timeout`, a keyword `read_timeout:` names itself.
_TIMEOUT_MACRO = re.compile(r"^(?:define|def|set|declare|configure)_?\w*timeouts?$")


def macro_readers(file: "RubyFile") -> dict[tuple[int, int, str], float]:
    """(class/module first line, last line, reader name) -> the number a timeout macro of that class
    or module gives the reader."""
    cached = getattr(file, "_macro_readers", None)
    if cached is not None:
        return cached
    out: dict[tuple[int, int, str], float] = {}
    if b"timeout" in file.data:
        for call in ts.walk(file.root):
            if call.type != "call" or call.child_by_field_name("receiver") is not None:
                continue
            method = call.child_by_field_name("method")
            if method is None or not _TIMEOUT_MACRO.match(ts.text(method)):
                continue
            holder = call.parent
            if holder is None or holder.type not in ("body_statement", "program") or (
                    holder.type == "body_statement" and (holder.parent is None
                                                         or holder.parent.type not in ("class", "module"))):
                continue  # only a declaration in a class's or module's body
            scope = holder.parent if holder.type == "body_statement" else None
            first, last = (scope.start_point[0] + 1, scope.end_point[0] + 1) if scope is not None else (0, 1 << 30)
            arguments = call.child_by_field_name("arguments")
            for pair in (arguments.named_children if arguments is not None else ()):
                if pair.type != "pair":
                    continue
                key = syntax.pair_key(pair)
                value = pair.child_by_field_name("value")
                if not key or value is None or value.type not in ("integer", "float"):
                    continue
                try:
                    number = float(ts.text(value).replace("_", ""))
                except ValueError:
                    continue
                name = key if key.endswith("_timeout") else f"{key}_timeout"
                out[(first, last, name)] = number
    try:
        file._macro_readers = out
    except Exception:  # pragma: no cover - defensive
        pass
    return out


def _settle_macro_readers(f: "RubyFile", found: list) -> list:
    """Findings whose value is a bare reader a timeout macro of their class defines (``http.timeout(
    connect: open_timeout)`` under ``define_timeouts "X", open: 5``): that number."""
    readers = macro_readers(f)
    if not readers:
        return found
    from dataclasses import replace as _replace

    out = []
    for fd in found:
        pending = getattr(fd, "pending", ())
        hit = None
        for p in pending:
            if p.attribute == "timeout_ms" and isinstance(p.expr, Ref):
                spans = sorted(((a, b) for a, b, name in readers if name == p.expr.name and a <= fd.line <= b),
                               key=lambda span: span[1] - span[0])
                if spans and fd.attributes.get("timeout_ms") is None:
                    hit = (p, readers[(*spans[0], p.expr.name)])
                    break
        if hit is None:
            out.append(fd)
            continue
        p, number = hit
        attrs = dict(fd.attributes)
        attrs["timeout_ms"] = normalise_ms(number * (p.scale or 1000.0))
        attrs["resolved_from"] = "constant"
        out.append(_replace(fd, attributes=attrs, pending=tuple(x for x in pending if x is not p)))
    return out


def ruby_detector(id: str, kinds, valid=(), invalid=()):
    """``@detector`` for a Ruby detector function whose user documentation is its module docstring.
    Its timeouts and retries inside a branch only a test or development environment runs
    (``env_local_branches``) are left out."""
    import functools
    import sys

    from extractors.base import detector

    def wrap(func):
        if not func.__doc__:
            func.__doc__ = sys.modules[func.__module__].__doc__

        @functools.wraps(func)
        def run(f, *args, **kwargs):
            found = func(f, *args, **kwargs)
            if found is None or not isinstance(f, RubyFile):
                return found
            spans = env_local_branches(f)
            readers = macro_readers(f)
            if not spans and not readers:
                return found
            found = [fd for fd in found if getattr(fd, "kind", None) not in ("timeout", "retry")
                     or not any(first <= fd.line <= last for first, last in spans)]
            return _settle_macro_readers(f, found) if readers else found

        return detector(id, "ruby", kinds, valid=valid, invalid=invalid)(run)

    return wrap
