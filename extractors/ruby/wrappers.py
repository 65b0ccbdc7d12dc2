"""Ruby's half of the cross-file helper mechanism (``extractors.wrappers``): which methods of a file
take a timeout or an attempts bound, published under the names callers use.

A method whose parameter becomes a timeout or bounds a retry in its body publishes
``<name>.$timeout_param:<param>`` / ``<name>.$attempts_param:<param>`` (and ``:<index>`` for a
positional parameter) under every name a caller of another file may write:

- a class method (``def self.post``, a method of ``class << self``, of a module with ``extend self``
  or ``module_function``): its full constant path and every shorter one that still names the
  class (``Samson.Retry.with_retries`` and ``Retry.with_retries``), the way callers inside the
  outer module write it;
- ``initialize``: ``<Class>.new`` (and the shorter paths), for ``HttpClient.new(timeout: 5)``;
- an instance method with a distinctive name (``with_retries``, ``fetch_json``; not ``get``,
  ``call``, ``perform``...): the bare name, for callers that inherit or include it or hold an
  instance (``client.fetch_json(url, 5)``).

Ruby helpers often take their options as a hash (``def get(url, options = {})`` ...
``options[:timeout] || 60``) or keep a parameter in an instance variable read elsewhere
(``def initialize(timeout: 5) @timeout = timeout`` ... ``http.read_timeout = @timeout``): such a
timeout publishes the hash key / the constructor's keyword (``HttpClient.new.$timeout_param:timeout``).

Every method is also published under a file-local name (``<path>#<method>``) for the calls of its
own file, whatever its name.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.resolve import ATTEMPTS_PARAM, TIMEOUT_PARAM
from contract_discovery.values import Num
from extractors import wrappers
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile
from extractors.treesitter import Node, text, walk

# Instance-method names too common to publish bare: a call `x.get(url, 5)` says nothing of x.
GENERIC = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "request", "call", "perform", "run", "execute",
    "process", "send", "fetch", "open", "read", "write", "close", "connect", "save", "update", "create", "find",
    "new", "initialize", "build", "start", "stop", "wait", "sleep", "retry", "timeout", "lock", "each", "map",
    "push", "pop", "publish", "deliver", "notify", "handle", "invoke", "apply", "render", "show", "index",
    "destroy", "load", "dump", "parse", "to_s", "to_h", "to_json", "log", "info", "warn", "error", "debug",
    "method_missing", "respond_to_missing?", "setup", "configure", "client", "connection", "http",
})
MIN_BARE = 5  # shorter bare names (`get2`, `post`) are not published


def local_name(path: str, method: str) -> str:
    """The name a method is published under for the calls of its own file (any method name)."""
    return f"{path}#{method}"


def _params(method: Node) -> tuple[list[str], list[str], dict[str, float]]:
    """(positional parameter names, keyword parameter names, numeric defaults in their own unit)."""
    positional: list[str] = []
    keywords: list[str] = []
    defaults: dict[str, float] = {}
    params = method.child_by_field_name("parameters")
    for param in params.named_children if params is not None else ():
        if param.type == "identifier":
            positional.append(text(param))
            continue
        name_node = param.child_by_field_name("name")
        if name_node is None:
            continue
        name = text(name_node)
        if param.type == "optional_parameter":
            positional.append(name)
        elif param.type == "keyword_parameter":
            keywords.append(name)
        else:
            continue  # *rest, **opts, &block
        value = param.child_by_field_name("value")
        if value is not None:
            number = syntax.settle(syntax.to_expr(value))
            if number is not None:
                defaults[name] = number
    return positional, keywords, defaults


def _singleton_module(node: Node) -> bool:
    """A module whose instance methods are its own class methods (``extend self``, ``module_function``)."""
    if node.type != "module":
        return False
    body = node.child_by_field_name("body") or next((c for c in node.named_children if c.type == "body_statement"), None)
    for child in body.named_children if body is not None else ():
        if child.type in ("call", "identifier") and text(child).strip() in ("extend self", "module_function"):
            return True
    return False


def _is_class_method(method: Node) -> bool:
    if method.type == "singleton_method":
        return True
    for parent in syntax.ancestors_of(method):
        if parent.type == "singleton_class":
            return True
        if parent.type in ("class", "module"):
            return _singleton_module(parent)
    return False


def _paths(chain: list[str], method: str) -> tuple[str, ...]:
    """``["Samson", "Retry"], "x"`` -> ("Samson.Retry.x", "Retry.x")."""
    return tuple(".".join([*chain[i:], method]) for i in range(len(chain)))


def names_of(method: Node) -> tuple[str, ...]:
    """Every name a caller in another file may use for this method (see the module doc)."""
    name = text(method.child_by_field_name("name"))
    if not name:
        return ()
    chain = syntax.class_chain(method)
    if name == "initialize":
        return _paths(chain, "new")
    if _is_class_method(method):
        return _paths(chain, name)
    if name in GENERIC or len(name) < MIN_BARE or name.endswith(("=", "?")):
        return ()
    return (name,)


_HASH_KEY = re.compile(r"^\s*@?(\w+)\s*(?:\[\s*:(\w+)\s*\]|\.fetch\(\s*:(\w+)|\.dig\(\s*:(\w+))")


def _hash_key(expression: str, holders: set[str]) -> str | None:
    """``options[:timeout] || 60`` / ``@opts.fetch(:timeout, 5)`` with ``options`` a holder -> "timeout"."""
    match = _HASH_KEY.match(expression)
    if match is None:
        return None
    holder = expression.strip().split("[", 1)[0].split(".", 1)[0]
    if holder not in holders:
        return None
    return match.group(2) or match.group(3) or match.group(4)


def _scale(finding: Finding, fallback: float = 1000.0) -> float:
    """ms per unit of the value the finding reads: its pending scale, else the ratio of its settled
    value to the number it was settled from (``|| 60`` -> 60000 ms: 1000), else seconds."""
    pending = next((p for p in finding.pending if p.attribute == "timeout_ms"), None)
    if pending is not None and pending.scale:
        return float(pending.scale)
    ms = finding.attributes.get("timeout_ms")
    numbers = re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])", str(finding.attributes.get("expression") or ""))
    if isinstance(ms, (int, float)) and ms and numbers:
        number = float(numbers[-1])
        if number:
            return ms / number
    return fallback


def _ivar_sources(klass: Node) -> dict[str, str]:
    """``@timeout = timeout`` / ``@options = options`` in ``initialize``: ivar -> parameter."""
    out: dict[str, str] = {}
    for method in walk(klass):
        if method.type != "method" or text(method.child_by_field_name("name")) != "initialize":
            continue
        positional, keywords, _ = _params(method)
        params = set(positional) | set(keywords)
        for node in walk(method):
            if node.type != "assignment":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "instance_variable" and \
                    right.type == "identifier" and text(right) in params:
                out[text(left)] = text(right)
        break
    return out


def publish(f: RubyFile, findings: Iterable[Finding], own_detectors: tuple[str, ...]) -> dict:
    """The symbols this file publishes for the callers of its methods (see the module doc)."""
    findings = [x for x in findings if x.detector not in own_detectors and x.kind in ("timeout", "retry")]
    if not findings:
        return {}
    functions: list[wrappers.Function] = []
    keyword_only: dict[tuple[str, ...], set[int]] = {}
    extra: dict[str, Num] = {}
    for method in walk(f.root):
        if method.type not in ("method", "singleton_method"):
            continue
        names = (*names_of(method), local_name(f.path, text(method.child_by_field_name("name"))))
        positional, keywords, defaults = _params(method)
        first, last = method.start_point[0] + 1, method.end_point[0] + 1
        params = (*positional, *keywords)
        if params:
            functions.append(wrappers.Function(names=names, first_line=first, last_line=last, params=params,
                                               defaults=defaults))
            keyword_only[names] = {i for i, p in enumerate(params) if p in keywords}
        # options hashes: `options[:timeout] || 60` read in the method's own body
        holders = {p for p in positional if p in ("options", "opts", "params", "args", "config", "settings")
                   or p.endswith(("_options", "_opts"))}
        for finding in findings:
            if finding.kind != "timeout" or not (first <= finding.line <= last) or not holders:
                continue
            key = _hash_key(str(finding.attributes.get("expression") or ""), holders)
            if key is not None:
                for name in names:
                    extra.setdefault(f"{name}.{TIMEOUT_PARAM}:{key}", Num(_scale(finding)))
    extra.update(_constructor_params(f, findings))
    out = wrappers.publish(functions, findings, own_detectors=own_detectors)
    for names, indexes in keyword_only.items():
        for name in names:
            for index in indexes:  # a keyword parameter has no position a caller could fill
                for marker in (TIMEOUT_PARAM, ATTEMPTS_PARAM):
                    out.pop(f"{name}.{marker}:{index}", None)
    for key, value in extra.items():
        out.setdefault(key, value)
    return out


def _constructor_params(f: RubyFile, findings: list[Finding]) -> dict[str, Num]:
    """A timeout read from an instance variable that ``initialize`` fills from its parameter
    (``@timeout = timeout``; ``@options = options`` then ``@options[:timeout]``): the class's
    ``new`` takes it."""
    out: dict[str, Num] = {}
    for klass in walk(f.root):
        if klass.type != "class":
            continue
        sources = _ivar_sources(klass)
        if not sources:
            continue
        init = next((m for m in walk(klass) if m.type == "method"
                     and text(m.child_by_field_name("name")) == "initialize"), None)
        if init is None or syntax.enclosing(init, ("class",)) != klass:
            continue
        names = _paths(syntax.class_chain(init), "new")
        positional, keywords, _ = _params(init)
        first, last = klass.start_point[0] + 1, klass.end_point[0] + 1
        for finding in findings:
            if finding.kind != "timeout" or not (first <= finding.line <= last):
                continue
            expression = str(finding.attributes.get("expression") or "").strip()
            head = re.match(r"^(@\w+)", expression)
            if head is None or head.group(1) not in sources:
                continue
            param = sources[head.group(1)]
            if expression == head.group(1) or re.match(r"^@\w+\s*(\|\||\.to_[if]|$)", expression):
                keys = [param] + ([str(positional.index(param))] if param in positional else [])
            else:
                key = _hash_key(expression, {head.group(1)[1:]} | {head.group(1)})
                keys = [key] if key is not None else []
            for key in keys:
                for name in names:
                    out.setdefault(f"{name}.{TIMEOUT_PARAM}:{key}", Num(_scale(finding)))
    return out
