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
from contract_discovery.resolve import (ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, ATTEMPTS_PARAM, TIMEOUT_DEFAULT,
                                        TIMEOUT_OMITTED, TIMEOUT_PARAM)
from contract_discovery.values import BinOp, Num, Ref, Str, Tuple, Unknown
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


def class_local_name(path: str, method: Node) -> str | None:
    """The file-local name qualified by the method's class (``path#Travis.AuthorizerClient.connection``):
    two classes of one file may define a ``connection`` each; a call the file makes on one of them
    (``connection.get`` inside the class, ``AuthorizerClient.new(id).connection``) names that one."""
    chain = syntax.class_chain(method)
    name = text(method.child_by_field_name("name"))
    return f"{path}#{'.'.join([*chain, name])}" if chain and name else None


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
            elif value.type in ("constant", "scope_resolution"):
                defaults[name] = Ref(syntax.callee_text(value))  # `timeout: TIMEOUT`: the constant
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
    inherited = _superclass_paths(method, name)
    # an instance method of a class is also found by its subclasses' calls without receiver
    # (`class CaRequest < ApiRequest; ... delete(path)` with `ApiRequest#delete(path, timeout = 60)`),
    # even under a generic name: those calls look it up under their superclass's paths
    own = _paths(chain, name) if syntax.enclosing(method, ("class",)) is not None \
        and syntax.enclosing(method, ("method", "singleton_method")) is None and not name.endswith("=") else ()
    if name in GENERIC or len(name) < MIN_BARE or name.endswith(("=", "?")):
        return (*inherited, *own)
    return (name, *inherited, *own)


def _superclass_paths(method: Node, name: str) -> tuple[str, ...]:
    """``class Task < Travis::Task; def process(timeout)``: the superclass calls the subclass's
    method (a template method: ``process(params[:timeout] || DEFAULT_TIMEOUT)`` in ``Travis::Task``),
    so it is published under the superclass's paths too (``Travis.Task.process``, ``Task.process``)."""
    klass = syntax.enclosing(method, ("class",))
    if klass is None or syntax.enclosing(method, ("method", "singleton_method")) is not None:
        return ()
    superclass = klass.child_by_field_name("superclass")
    if superclass is None or not superclass.named_child_count:
        return ()
    parts = syntax.callee_text(superclass.named_children[0]).split(".")
    if not parts or not parts[-1][:1].isupper():
        return ()
    return tuple(".".join([*parts[i:], name]) for i in range(len(parts)))


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
    findings = list(findings)
    fresh = [x for x in findings if x.kind == "new_id_per_attempt"]  # (round 22) for `<helper>.$new_id`
    forwards = [x for x in findings if x.attributes.get("forward")]
    findings = [x for x in findings if x.detector not in own_detectors and x.kind in ("timeout", "retry")]
    if not findings and not forwards:
        return {}
    functions: list[wrappers.Function] = []
    keyword_only: dict[tuple[str, ...], set[int]] = {}
    extra: dict[str, Num] = {}
    for method in walk(f.root):
        if method.type not in ("method", "singleton_method"):
            continue
        qualified = class_local_name(f.path, method)
        names = (*names_of(method), local_name(f.path, text(method.child_by_field_name("name"))),
                 *((qualified,) if qualified else ()))
        positional, keywords, defaults = _params(method)
        first, last = method.start_point[0] + 1, method.end_point[0] + 1
        params = (*positional, *keywords)
        if params:
            functions.append(wrappers.Function(names=names, first_line=first, last_line=last, params=params,
                                               defaults=defaults, defaulted=_defaulted(method)))
            keyword_only[names] = {i for i, p in enumerate(params) if p in keywords}
        # options hashes: `options[:timeout] || 60` read in the method's own body
        splats = _hash_splats(method)
        holders = {p for p in [*positional, *splats] if p in ("options", "opts", "params", "args", "config", "settings")
                   or p.endswith(("_options", "_opts"))}
        for finding in findings:
            if finding.kind != "timeout" or not (first <= finding.line <= last) or not holders:
                continue
            key = _hash_key(str(finding.attributes.get("expression") or ""), holders)
            if key is not None:
                for name in names:
                    extra.setdefault(f"{name}.{TIMEOUT_PARAM}:{key}", Num(_scale(finding)))
                made = _lookup_default(finding)
                holder = str(finding.attributes.get("expression") or "").strip().split("[", 1)[0].split(".", 1)[0]
                if made is not None and holder in splats:
                    # `def http_head(uri_str, **opts)` with `opts[:timeout] || TIMEOUT`: a call giving no
                    # `timeout:` gets the fallback (rule b; a call naming a timeout asks another marker)
                    phase = str(finding.attributes.get("phase") or "total")
                    for count in range(len(positional) + 1):
                        for name in names:
                            extra.setdefault(f"{name}.{TIMEOUT_OMITTED}:{count}", Num(1))
                            extra.setdefault(f"{name}.{TIMEOUT_DEFAULT}:{count}", made)
                            if phase != "total":
                                extra.setdefault(f"{name}.$timeout_phase:omitted:{count}", Str(phase))
    extra.update(_constructor_params(f, findings))
    methods = list(functions)
    for klass_fn in _constructor_functions(f):
        functions.append(klass_fn)
        keyword_only[klass_fn.names] = {i for i, p in enumerate(klass_fn.params) if p in klass_fn.aliases.get("$keywords", ())}
    functions = [fn if "$keywords" not in fn.aliases else wrappers.Function(
        names=fn.names, first_line=fn.first_line, last_line=fn.last_line, params=fn.params, defaults=fn.defaults,
        aliases={k: v for k, v in fn.aliases.items() if k != "$keywords"}, defaulted=fn.defaulted) for fn in functions]
    # a method handing its own parameter on (`def self.lock(name, timeout_seconds: 30) new(name, timeout_seconds:)`)
    # forwards for that method alone: the class's constructor (a function spanning the class, see
    # `_constructor_functions`) would read the same name as its own parameter of that name
    own = [fd for fd in forwards if _own_forward(fd, methods)]
    out = wrappers.publish(functions, [*findings, *(fd for fd in forwards if fd not in own)], own_detectors=own_detectors)
    if own:
        for key, value in wrappers.publish(methods, own, own_detectors=own_detectors).items():
            out.setdefault(key, value)
    _publish_constant_forwards(functions, forwards, out)
    _publish_splat_forwards(f, out)
    _publish_destructured(f, findings, out)
    for names, indexes in keyword_only.items():
        for name in names:
            for index in indexes:  # a keyword parameter has no position a caller could fill
                for marker in (TIMEOUT_PARAM, ATTEMPTS_PARAM):
                    out.pop(f"{name}.{marker}:{index}", None)
    for key, value in extra.items():
        out.setdefault(key, value)
    _connect_read_defaults(functions, findings, out)
    for key, value in wrappers.new_id_publications(functions, fresh).items():
        out.setdefault(key, value)  # a helper minting a fresh ID per attempt: its callers' retries carry it on
    return out


def _publish_constant_forwards(functions: list, forwards: list[Finding], out: dict) -> None:
    """``def get(api_frag, tries: ERROR_RETRIES) local_api_retry_errors(tries: tries) { ... }``: a
    helper handing on a parameter whose default is a constant publishes what its calls leaving it out
    get through the inner helper (the shared chain publishes numeric defaults only; round 18: feeder)."""
    by_line = wrappers.ByLine(forwards)
    for fn in functions:
        if not fn.params or not fn.names:
            continue
        for fd in by_line.within(fn.first_line, fn.last_line):
            callee, key = fd.attributes.get("via"), fd.attributes.get("key")
            value = next((p.expr for p in fd.pending if p.attribute == wrappers.FORWARD), None)
            if not callee or key is None or not isinstance(value, Ref) or value.name not in fn.params:
                continue
            default = fn.defaults.get(value.name)
            if not isinstance(default, Ref):
                continue
            attempts = Ref(f"{callee}.{ATTEMPTS_PARAM}:{key}")
            wrappers._publish_omitted(out, fn, value.name, ATTEMPTS_OMITTED, ATTEMPTS_DEFAULT,
                                      attempts, BinOp("-", BinOp("+", default, attempts), Num(1)))
            timeout = Ref(f"{callee}.{TIMEOUT_PARAM}:{key}")
            wrappers._publish_omitted(out, fn, value.name, TIMEOUT_OMITTED, TIMEOUT_DEFAULT,
                                      timeout, BinOp("*", default, timeout))


def _publish_splat_forwards(f: RubyFile, out: dict) -> None:
    """``def http_head(uri_str, **opts) HttpUtil.http_head(uri_str, **opts) end`` (an ``include``d
    module's instance method handing its options on): a call of it leaving the timeout out gets what the
    inner helper's calls leaving it out get (round 18, feeder)."""
    from extractors.ruby.detectors.wrapper_call import callee_names

    for method in walk(f.root):
        if method.type not in ("method", "singleton_method"):
            continue
        splats = _hash_splats(method)
        if not splats:
            continue
        positional, _, _ = _params(method)
        names = (*names_of(method), local_name(f.path, text(method.child_by_field_name("name"))))
        qualified = class_local_name(f.path, method)
        names = (*names, *((qualified,) if qualified else ()))
        for call in walk(method):
            if call.type != "call":
                continue
            arguments = call.child_by_field_name("arguments")
            items = [a for a in (arguments.named_children if arguments is not None else ()) if a.type != "comment"]
            if not any(a.type == "hash_splat_argument" and text(a).lstrip("*") in splats for a in items):
                continue
            inner = [n for n in callee_names(f, call) if n not in names]
            if not inner or any(a.type in ("splat_argument", "pair") for a in items):
                continue
            count = sum(1 for a in items if a.type not in ("hash_splat_argument", "block_argument"))
            for marker in (TIMEOUT_OMITTED, TIMEOUT_DEFAULT, "$timeout_phase:omitted"):
                ref = Ref(f"{inner[0]}.{marker}:{count}")
                for name in names:
                    out.setdefault(f"{name}.{marker}:{len(positional)}", ref)


def _publish_destructured(f: RubyFile, findings: list[Finding], out: dict) -> None:
    """``def get_response_token(uri, req, timeout = nil) open, read = if timeout then [timeout, timeout]
    else [APP_CONFIG[..], APP_CONFIG[..]] end`` ... ``open_timeout: open.to_i, read_timeout: read.to_i``:
    a call leaving the parameter out gets the fallbacks, one per phase (rule b; round 18, portus)."""
    by_method: dict = {}
    for finding in findings:
        if finding.kind != "timeout":
            continue
        name = re.sub(r"\.(to_i|to_f)$", "", str(finding.attributes.get("expression") or "").strip())
        if not re.fullmatch(r"[a-z_]\w*", name):
            continue
        for method in walk(f.root):
            if method.type in ("method", "singleton_method") and \
                    method.start_point[0] + 1 <= finding.line <= method.end_point[0] + 1:
                use = next((n for n in walk(method) if n.type == "identifier" and text(n) == name
                            and n.start_point[0] + 1 == finding.line), None)
                found = syntax.destructured_fallback(name, use) if use is not None else None
                if found is not None:
                    phase = str(finding.attributes.get("phase") or "total")
                    by_method.setdefault(method.id, (method, found[0], {}))[2].setdefault(
                        phase, BinOp("*", syntax.to_expr(found[1]), Num(1000.0)))
    for method, param, phases in by_method.values():
        positional, keywords, _ = _params(method)
        params = [*positional, *keywords]
        if param not in positional:
            continue
        qualified = class_local_name(f.path, method)
        names = (*names_of(method), local_name(f.path, text(method.child_by_field_name("name"))),
                 *((qualified,) if qualified else ()))
        for count in range(params.index(param) + 1):
            for name in names:
                wrappers._publish_default(out, name, str(count), phases)


def _hash_splats(method: Node) -> list[str]:
    params = method.child_by_field_name("parameters")
    out = []
    for param in params.named_children if params is not None else ():
        if param.type == "hash_splat_parameter":
            name = param.child_by_field_name("name") or next((c for c in param.named_children
                                                              if c.type == "identifier"), None)
            if name is not None:
                out.append(text(name))
    return out


def _lookup_default(finding: Finding):
    """The ms an options lookup's fallback gives (a settled value, or the pending constant)."""
    ms = finding.attributes.get("timeout_ms")
    if isinstance(ms, (int, float)) and ms:
        return Num(float(ms))
    pending = next((p for p in finding.pending if p.attribute == "timeout_ms"), None)
    if pending is not None and isinstance(pending.expr, Ref) and pending.scale:
        return BinOp("*", pending.expr, Num(float(pending.scale)))
    return None


def _own_forward(fd: Finding, methods: list) -> bool:
    """A forward of a parameter of the (non-constructor) method it sits in."""
    value = next((p.expr for p in fd.pending if p.attribute == wrappers.FORWARD), None)
    if not isinstance(value, Ref):
        return False
    return any(fn.first_line <= fd.line <= fn.last_line and value.name in fn.params
               and not any(n.endswith(".new") for n in fn.names) for fn in methods)


def _connect_read_defaults(functions, findings: list[Finding], out: dict) -> None:
    """``def self.fetch(url, connect_timeout: 2, read_timeout: 8)`` called as ``fetch(url)``: the call
    leaves both out, two contracts (connect 2 s, read 8 s). The omitted default becomes the pair
    (connect ms, read ms), which the pipeline reports as one finding per phase."""
    for fn in functions:
        phases: dict[str, float] = {}
        for fd in findings:
            if fd.kind != "timeout" or not (fn.first_line <= fd.line <= fn.last_line):
                continue
            param = str(fd.attributes.get("expression") or "").strip()
            default = fn.defaults.get(param)
            phase = fd.attributes.get("phase")
            if isinstance(default, (int, float)) and not isinstance(default, bool) and phase in ("connect", "read"):
                ms = fd.attributes.get("timeout_ms")
                if isinstance(ms, (int, float)) and ms:
                    phases.setdefault(phase, float(ms))
        if set(phases) != {"connect", "read"}:
            continue
        pair = Tuple((Num(phases["connect"]), Num(phases["read"])))
        for name in fn.names:
            for key in [k for k in out if k.startswith(f"{name}.{TIMEOUT_DEFAULT}:")]:
                out[key] = pair


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


def _constructor_functions(f: RubyFile) -> list[wrappers.Function]:
    """Each class whose ``initialize`` stores a parameter in an instance variable (``@num_retries =
    num_retries``), as the core's constructor Function: its names are what a construction call
    writes (``RetryableClient.new``), its lines the whole class, its aliases the fields (a finding
    in any method bounded by ``@num_retries`` publishes the constructor's parameter). The keyword
    parameters ride along under ``$keywords`` (taken out before the core sees the aliases)."""
    out = []
    for klass in walk(f.root):
        if klass.type != "class":
            continue
        init = next((m for m in walk(klass) if m.type == "method"
                     and text(m.child_by_field_name("name")) == "initialize"), None)
        if init is None or syntax.enclosing(init, ("class",)) != klass:
            continue
        sources = _ivar_sources(klass)
        if not sources:
            continue
        positional, keywords, defaults = _params(init)
        names = _paths(syntax.class_chain(init), "new")
        if not names:
            continue
        aliases = dict(sources)
        aliases["$keywords"] = tuple(keywords)  # type: ignore[assignment]
        out.append(wrappers.Function(names=names, first_line=klass.start_point[0] + 1,
                                     last_line=klass.end_point[0] + 1, params=(*positional, *keywords),
                                     defaults=defaults, aliases=aliases, defaulted=_defaulted(init)))
    return out


def ivar_defaults(f: RubyFile) -> dict:
    """``@num_retries`` -> 3 when every class of the file that sets it does so only in ``initialize``
    from a parameter whose default is that number (``def initialize(num_retries: 3) @num_retries =
    num_retries``): a bound read from the field is the constructor's default unless a construction
    passes another value (that one is proposed at the construction, see ``_constructor_functions``)."""
    found: dict[str, float | None] = {}
    for klass in walk(f.root):
        if klass.type != "class":
            continue
        init = next((m for m in walk(klass) if m.type == "method"
                     and text(m.child_by_field_name("name")) == "initialize"), None)
        if init is None:
            continue
        _positional, _keywords, defaults = _params(init)
        for ivar, param in _ivar_sources(klass).items():
            value = defaults.get(param)
            writes = [n for n in walk(klass) if n.type in ("assignment", "operator_assignment")
                      and text(n.child_by_field_name("left")) == ivar]
            if value is None or len(writes) != 1:
                found[ivar] = None
            elif found.get(ivar, value) != value:
                found[ivar] = None
            else:
                found[ivar] = value
    return {k: Num(v) for k, v in found.items() if v is not None}


def _defaulted(method: Node) -> frozenset[str]:
    """The parameters with a default of any kind other than ``nil`` (``timeout = 30``, ``timeout:
    TIMEOUT``, ``timeout: config.timeout``): a setting handing one on is the helper's own default
    (reported there, convention (a)), never a forwarder, whatever value the default has."""
    return frozenset(_param_names(method)[1])


def _param_names(method: Node) -> tuple[set[str], set[str]]:
    """(parameter names, those with a default other than nil: `timeout: 5`, `timeout: @timeout`)."""
    positional, keywords, _defaults = _params(method)
    defaulted = set()
    params = method.child_by_field_name("parameters")
    for param in params.named_children if params is not None else ():
        value = param.child_by_field_name("value") if param.type in ("optional_parameter", "keyword_parameter") else None
        if value is not None and value.type != "nil":
            defaulted.add(text(param.child_by_field_name("name")))
    return set(positional) | set(keywords), defaulted


_BARE = re.compile(r"^\s*(@?[a-z_]\w*)\s*(?:\.to_[if])?\s*$")


def _name_of(finding: Finding) -> str | None:
    """The one name a finding's value is, when it is just a name (``timeout``, ``@timeout``,
    ``count + 1``)."""
    attribute = "timeout_ms" if finding.kind == "timeout" else "max_attempts"
    pending = next((p for p in finding.pending if p.attribute == attribute), None)
    expr = pending.expr if pending is not None else None
    from contract_discovery.values import BinOp, Ref
    while isinstance(expr, BinOp) and isinstance(expr.right, Num):
        expr = expr.left
    if isinstance(expr, Ref):
        return expr.name
    if pending is None:
        match = _BARE.match(str(finding.attributes.get("expression") or ""))
        if match is not None:
            return match.group(1)
    return None


def drop_forwarders(f: RubyFile, findings: list[Finding], own_detectors: tuple[str, ...]) -> list[Finding]:
    """A timeout or retry bound that is just the enclosing method's own parameter with no default
    (or ``nil``: ``def build(url, connect_timeout) client.connect_timeout = connect_timeout``), or a
    field the constructor fills from such a parameter (``Timeout.timeout @timeout``), is no contract
    of its own: the callers' values are (published for them by ``publish``, which runs first). A
    parameter with a default stays (``timeout: 5``, ``timeout: @timeout``): the helper's own default."""
    methods = [m for m in walk(f.root) if m.type in ("method", "singleton_method")]
    out = []
    for finding in findings:
        value = finding.attributes.get("timeout_ms" if finding.kind == "timeout" else "max_attempts")
        name = _name_of(finding) if finding.kind in ("timeout", "retry") and value is None \
            and finding.detector not in own_detectors else None
        if name is not None and _forwarded(name, finding.line, methods):
            continue
        out.append(finding)
    return out


def _forwarded(name: str, line: int, methods: list[Node]) -> bool:
    around = [m for m in methods if m.start_point[0] + 1 <= line <= m.end_point[0] + 1]
    if not around:
        return False
    method = max(around, key=lambda m: m.start_byte)
    names, defaults = _param_names(method)
    if not name.startswith("@") and name not in names and syntax.enclosing(method, ("class",)) is not None \
            and f"@{name}" in _ivar_sources(syntax.enclosing(method, ("class",))):
        name = f"@{name}"  # `attr_reader :timeout` of the constructor's `@timeout = timeout`
    if name.startswith("@"):
        klass = syntax.enclosing(method, ("class",))
        if klass is None:
            return False
        param = _ivar_sources(klass).get(name)
        init = next((m for m in walk(klass) if m.type == "method"
                     and text(m.child_by_field_name("name")) == "initialize"), None)
        if param is None or init is None:
            return False
        writes = [n for n in walk(klass) if n.type in ("assignment", "operator_assignment")
                  and text(n.child_by_field_name("left")) == name]
        return len(writes) == 1 and param not in _param_names(init)[1]
    if name not in names and _read_from_parameter(name, method, names - defaults):
        return True
    return name in names and name not in defaults


def _read_from_parameter(name: str, method: Node, params: set[str]) -> bool:
    """``headers, path, timeout = req.values_at(:headers, :path, :timeout)`` / ``timeout =
    req[:timeout]`` / ``req.fetch(:timeout)`` with ``req`` the method's own parameter (no default):
    the value rides in on the caller's request, set where that request is built; handing it to a
    client is no contract of its own (a fallback, ``req[:timeout] || 5``, is one)."""
    for node in walk(method):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            continue
        names = [text(n) for n in walk(left) if n.type == "identifier"] if left.type == "left_assignment_list" \
            else [text(left)] if left.type == "identifier" else []
        if name not in names:
            continue
        if right.type == "element_reference":
            holder = right.child_by_field_name("object")
        elif right.type == "call" and text(right.child_by_field_name("method")) in ("values_at", "fetch", "dig") \
                and not (text(right.child_by_field_name("method")) == "fetch" and
                         len((right.child_by_field_name("arguments") or right).named_children) > 1):
            holder = right.child_by_field_name("receiver")
        else:
            return False
        return holder is not None and holder.type == "identifier" and text(holder) in params
    return False


# A constructor keyword that switches a retry on (`retry_on_transient_errors: false`, `retries_on:
# []`, `retry: false`): the name says retry, the default turns it off.
SWITCH_NAME = re.compile(r"retr", re.I)
RETRY_SWITCH = "$retry_switch"


def retry_switches(f: RubyFile, findings: Iterable[Finding]) -> dict:
    """``class Client; def initialize(url, retry_on_transient_errors: false, retries_on: [])`` with a
    retry loop of its own (``retry if retryable?(e) && attempt < MAX_RETRIES_ATTEMPTS``): the
    loop's bound, published as ``<Class>.new.$retry_switch:<keyword>`` for the constructions that
    switch the retry on (``Client.new(url, retry_on_transient_errors: true)``, read by
    ``ruby.wrapper_call``). Only a bound that settles here (a number or a constant of this file)."""
    out: dict = {}
    retries = [x for x in findings if x.kind == "retry" and x.detector in ("ruby.rescue_retry", "ruby.retry_loop")]
    if not retries:
        return out
    for init in walk(f.root):
        if init.type != "method" or text(init.child_by_field_name("name")) != "initialize":
            continue
        klass = syntax.enclosing(init, ("class",))
        if klass is None:
            continue
        first, last = klass.start_point[0] + 1, klass.end_point[0] + 1
        bound = None
        for finding in retries:
            if not first <= finding.line <= last:
                continue
            value = finding.attributes.get("max_attempts")
            if value is None:
                pending = next((p for p in finding.pending if p.attribute == "max_attempts"), None)
                if pending is not None and isinstance(pending.expr, Ref) and pending.expr.name in f.constants:
                    value = syntax.settle(f.constants[pending.expr.name])
            if value is not None:
                bound = value
                break
        if bound is None:
            continue
        params = init.child_by_field_name("parameters")
        for param in params.named_children if params is not None else ():
            if param.type != "keyword_parameter":
                continue
            name = text(param.child_by_field_name("name"))
            default = param.child_by_field_name("value")
            if not SWITCH_NAME.search(name) or default is None or not (
                    default.type in ("false", "nil") or (default.type == "array" and not default.named_child_count)):
                continue
            for path in names_of(init):
                out[f"{path}.{RETRY_SWITCH}:{name}"] = Num(float(bound))
    return out


FIELD = "$field"


def field_defaults(f: RubyFile) -> dict:
    """``class Config; attr_accessor :timeout; def initialize(url:, timeout: 30) @timeout = timeout``:
    the field's default published as ``<Class>.$field:timeout`` (every shorter path too) for the
    objects of other files read as ``config.timeout`` (see ``field_reference``)."""
    out: dict = {}
    for klass in walk(f.root):
        if klass.type != "class":
            continue
        readers = set()
        for call in walk(klass):
            if call.type == "call" and text(call.child_by_field_name("method")) in ("attr_reader", "attr_accessor") \
                    and call.child_by_field_name("receiver") is None and syntax.enclosing(call, ("class",)) == klass:
                args = call.child_by_field_name("arguments")
                readers |= {syntax.symbol_name(a) for a in (args.named_children if args is not None else ())}
        init = next((m for m in walk(klass) if m.type == "method"
                     and text(m.child_by_field_name("name")) == "initialize"), None)
        if init is None or not readers:
            continue
        _positional, _keywords, defaults = _params(init)
        chain = syntax.class_chain(init)
        for ivar, param in _ivar_sources(klass).items():
            name = ivar[1:]
            if name not in readers or param not in defaults:
                continue
            value = defaults[param]
            for i in range(len(chain)):
                out[f"{'.'.join(chain[i:])}.{FIELD}:{name}"] = value if not isinstance(value, (int, float)) else Num(value)
        for name in sorted(r for r in readers if r):
            # `@state_timeout = options['state_timeout'] || DEFAULT_STATE_TIMEOUT` (round 22,
            # bosh-openstack-cpi, read elsewhere as `@openstack.state_timeout`): the options' fallback
            from extractors.ruby.context import initialize_fallback

            write = next((n for n in walk(init) if n.type == "assignment"
                          and text(n.child_by_field_name("left")) == "@" + name), None)
            fallback = initialize_fallback("@" + name, write) if write is not None else None
            expr = syntax.to_expr(fallback) if fallback is not None else None
            if expr is None or isinstance(expr, Unknown):
                continue
            for i in range(len(chain)):
                out.setdefault(f"{'.'.join(chain[i:])}.{FIELD}:{name}", expr)
    out.update(_literal_readers(f, out))
    return out


def _literal_readers(f: RubyFile, known: dict) -> dict:
    """A settings class's reader that returns a number (``class Configuration; def iqdb_read_timeout;
    5; end``: Danbooru's config class, round 21 e621ng): published as ``<Class>.$field:<name>`` like a
    field default, for ``Danbooru.config.iqdb_read_timeout`` (see ``field_reference``). Only timeout /
    retry names, only methods without parameters whose body is that one value."""
    out: dict = {}
    for method in walk(f.root):
        if method.type != "method":
            continue
        name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        if not syntax.DEFAULT_KEY_NAME.search(name) or (params is not None and params.named_children):
            continue
        body = method.child_by_field_name("body") or next(
            (c for c in method.named_children if c.type == "body_statement"), None)
        statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
        if len(statements) != 1 or statements[0].type not in ("integer", "float", "call", "binary"):
            continue
        expr = syntax.to_expr(statements[0])
        if syntax.settle(expr) is None:
            continue
        chain = syntax.class_chain(method)
        for i in range(len(chain)):
            key = f"{'.'.join(chain[i:])}.{FIELD}:{name}"
            if key not in known:
                out[key] = expr
    return out


def field_reference(node: Node):
    """``config.timeout`` inside ``module LagoMcpClient; class Client`` where ``config`` holds an object
    of the class its name spells (``LagoMcpClient::Config``, ``Config``): that class's published
    field default (``field_defaults``), tried from the innermost namespace out; None otherwise."""
    from contract_discovery.values import Call

    if node.type != "call" or node.child_by_field_name("arguments") is not None:
        return None
    receiver = node.child_by_field_name("receiver")
    attr = text(node.child_by_field_name("method"))
    if receiver is not None and receiver.type == "call" and receiver.child_by_field_name("arguments") is None \
            and text(receiver.child_by_field_name("method")) in ("config", "configuration", "settings"):
        # `Danbooru.config.iqdb_read_timeout` (round 21, e621ng): the app's settings object, an instance
        # of `Danbooru::Configuration` (or `::Config`, `::Settings`) whose reader returns the value
        owner = receiver.child_by_field_name("receiver")
        if owner is None or owner.type not in ("constant", "scope_resolution"):
            return None
        base = syntax.callee_text(owner)
        names = [f"{base}.{klass}" for klass in ("Configuration", "Config", "Settings")]
        return Call("coalesce", tuple(Ref(f"{name}.{FIELD}:{attr}") for name in names))
    if receiver is None or receiver.type not in ("identifier", "instance_variable"):
        return None
    holder = text(receiver).lstrip("@")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", holder):
        return None
    klass = "".join(part.capitalize() for part in holder.split("_"))
    chain = syntax.class_chain(node)[:-1]  # the namespaces around the reading class
    names = [".".join([*chain[:i], klass]) for i in range(len(chain), -1, -1)]
    attr = text(node.child_by_field_name("method"))
    return Call("coalesce", tuple(Ref(f"{name}.{FIELD}:{attr}") for name in names))
