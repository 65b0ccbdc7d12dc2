"""Timeouts and retry bounds handed to a project's own Java helper methods.

What it does: a method whose parameter becomes a timeout or a retry bound in its body
(``static String post(String url, String body, int timeoutMs) { ... .readTimeout(timeoutMs,
MILLISECONDS) ... }``, ``for (int attempt = 0; attempt < maxRetries; attempt++) { try ... }``)
publishes that parameter for its callers (``HttpUtil.post.$timeout_param:2`` valued at the ms per
unit of the argument, ``RetryHelper.withRetry.$attempts_param:0``), under its class's name and
the names of the interfaces the class implements. A call of a project method (a static call
``HttpUtil.post(..)``, a call on a field/local/parameter whose declared type is a project class
``okHttpUtils.post(..)``, a statically imported or same-class method) that passes a number, a
constant (also an ``@Value`` field) or a ``Duration`` at some position is
proposed as a timeout (phase ``total``, or the phase the helper's parameter bounds: the core's
``$timeout_phase``) and, for
integer arguments, as a retry. The pipeline keeps a proposal only when the callee publishes that parameter
(``extractors.wrappers``), and values it. Also (the core's wrapper mechanisms):

- helper chains: a call handing on the calling method's own numeric parameter (``fetch(url, int t) { return
  HttpHelper.post(url, "", t); }``, also ``seconds * 1000``) is a ``forward_proposal``: ``fetch`` then publishes
  ``t`` for its own callers; the forward itself is never a finding;
- constructor parameters: a class whose one constructor with parameters stores some in fields
  (``this.maxAttempts = maxAttempts``) publishes them when a method uses the field as a timeout or a retry
  bound; a construction ``new RetryingClient("stock", 4)`` is proposed like a helper call (callee: the class);
- settings handed to a helper of another file (``AmazonInfoUtils.read(url, config.getConnectTimeout())``):
  a no-argument getter is proposed with the value the settings give.

Not proposed: a forwarder's own parameter (read where it is called), strings, ``null``, plain local
variables, calls of library classes, recursive calls, and lines another detector already reports.

Why it matters: services call their dependencies through their own helpers; the value each call
site hands the helper is the contract with that dependency, and it lives in another file.

Example: ``HttpUtil.post(RISK_URL, body, 3000)`` with ``HttpUtil.post`` in ``util/HttpUtil.java``
-> timeout 3000 ms at the call.
"""

from __future__ import annotations

import dataclasses
import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors import wrappers
from extractors.base import detector
from extractors.java.jvm import documented, settle
from extractors.java.syntax import (LIBRARY_PACKAGES, LIBRARY_TYPES, JavaFile, arguments, chain, declared_type,
                                    duration_of, enclosing, expr_of, local_initializer, project_type, string_of,
                                    unit_of)
from extractors.jvm_common import name_location

ID = "java.wrapper_call"

_CLASSES = ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration")
_SCOPES = ("method_declaration", "constructor_declaration", "lambda_expression")
def _project_type(jf: JavaFile, name: str) -> bool:
    return project_type(jf, name)


def _class_names(cls: ts.Node) -> tuple[str, ...]:
    """The class's name and the names of the interfaces it implements (callers declare either)."""
    names = [ts.text(cls.child_by_field_name("name"))]
    interfaces = cls.child_by_field_name("interfaces")
    if interfaces is not None:
        for node in ts.walk(interfaces):
            if node.type == "type_identifier":
                names.append(ts.text(node))
            elif node.type == "generic_type":
                continue
    return tuple(dict.fromkeys(n for n in names if n))


def _param_names(method: ts.Node) -> tuple[str, ...]:
    """The parameters in order; one Spring injects from a property (``@Value("${x.retries}") int retries``) is a
    setting no caller passes: its slot keeps a name no finding uses (so it is neither published nor a forwarder)."""
    params = method.child_by_field_name("parameters")
    out = []
    for param in (params.named_children if params is not None else ()):
        if param.type == "formal_parameter" and re.search(r"@Value\b", ts.text(next(
                (c for c in param.children if c.type == "modifiers"), None) or param.child_by_field_name("type"))):
            out.append(f"@value:{ts.text(param.child_by_field_name('name'))}")
            continue
        if param.type in ("formal_parameter", "spread_parameter"):
            name = param.child_by_field_name("name")
            if name is None:  # spread_parameter: `String... args`
                declarator = next((c for c in param.named_children if c.type == "variable_declarator"), None)
                name = declarator.child_by_field_name("name") if declarator is not None else None
            if name is not None:
                out.append(ts.text(name))
    return tuple(out)


def _functions(jf: JavaFile) -> list[wrappers.Function]:
    out = []
    for node in ts.walk(jf.tree.root_node):
        if node.type != "method_declaration":
            continue
        cls = enclosing(node, _CLASSES)
        if cls is None:
            continue
        params = _param_names(node)
        if not params:
            continue
        method = ts.text(node.child_by_field_name("name"))
        out.append(wrappers.Function(names=tuple(f"{c}.{method}" for c in _class_names(cls)),
                                     first_line=node.start_point[0] + 1, last_line=node.end_point[0] + 1,
                                     params=params))
    return out


def _scaled(expr: Expr) -> tuple[Ref, float] | None:
    """``seconds * 1000`` / ``1000 * seconds`` / ``ms / 1000`` -> (Ref(seconds), 1000)."""
    if not isinstance(expr, BinOp):
        return None
    left, right = expr.left, expr.right
    if expr.op == "*" and isinstance(left, Ref) and isinstance(right, Num):
        return left, float(right.value)
    if expr.op == "*" and isinstance(right, Ref) and isinstance(left, Num):
        return right, float(left.value)
    if expr.op == "/" and isinstance(left, Ref) and isinstance(right, Num) and right.value:
        return left, 1.0 / float(right.value)
    if expr.op == "+" and (_clock(left) and isinstance(right, Ref) or _clock(right) and isinstance(left, Ref)):
        return (right if isinstance(right, Ref) else left), 1.0  # a deadline: `System.currentTimeMillis() + timeout`
    return None


def _clock(expr: Expr) -> bool:
    return isinstance(expr, Unknown) and re.fullmatch(r"System\.currentTimeMillis\(\)", expr.text.replace(" ", "")) is not None


def _for_publish(findings):
    """The findings as ``wrappers.publish`` reads them: a timeout whose pending value is a parameter
    times a unit (``(int) (seconds * 1000)``, ``TimeUnit.SECONDS.toMillis(seconds)``) is the parameter
    with that scale."""
    out = []
    for f in findings:
        pending = next((p for p in f.pending if p.attribute == "timeout_ms"), None)
        hit = _scaled(pending.expr) if f.kind == "timeout" and pending is not None else None
        if hit is not None:
            ref, factor = hit
            f = dataclasses.replace(f, pending=(Pending("timeout_ms", ref, (pending.scale or 1.0) * factor),))
        out.append(f)
    return out


def _scope_params(node: ts.Node) -> set[str]:
    scope = enclosing(node, _SCOPES)
    names: set[str] = set()
    while scope is not None:
        params = scope.child_by_field_name("parameters")
        if params is not None:
            if params.type == "identifier":
                names.add(ts.text(params))
            else:
                for p in params.named_children:
                    name = p.child_by_field_name("name") if p.type != "identifier" else p
                    if name is not None:
                        names.add(ts.text(name))
        scope = enclosing(scope, _SCOPES)
    return names


def _value(jf: JavaFile, node: ts.Node, depth: int = 0) -> tuple[Expr, bool] | None:
    """(the argument as an Expr, is it a whole number of something) when it is a number, a constant,
    a setting or a duration the caller chose; None for anything else (strings, variables, parameters)."""
    if node is None or depth > 6:
        return None
    t = node.type
    if t in ("decimal_integer_literal", "hex_integer_literal"):
        return expr_of(node), True
    if t == "decimal_floating_point_literal":
        return expr_of(node), False
    if t in ("parenthesized_expression",) and node.named_child_count:
        return _value(jf, node.named_children[0], depth + 1)
    if t == "cast_expression":
        return _value(jf, node.child_by_field_name("value"), depth + 1)
    if t == "binary_expression":
        op = ts.text(node.child_by_field_name("operator"))
        if op not in ("+", "-", "*", "/"):
            return None
        left = _value(jf, node.child_by_field_name("left"), depth + 1)
        right = _value(jf, node.child_by_field_name("right"), depth + 1)
        if left is None or right is None:
            return None
        return BinOp(op, left[0], right[0]), left[1] and right[1] and op != "/"
    if t == "method_invocation":
        duration = duration_of(node)
        if duration is not None:
            inner = _value(jf, arguments(node)[0], depth + 1) if arguments(node) else None
            if inner is None:
                return None
            amount, scale = inner[0], duration[1]
            return (amount if scale == 1.0 else BinOp("*", amount, Num(scale))), False
        name = ts.text(node.child_by_field_name("name"))
        target = node.child_by_field_name("object")
        if name in ("toMillis", "toSeconds", "getSeconds") and target is not None and duration_of(target) is not None \
                and not arguments(node):
            inner = _value(jf, target, depth + 1)  # `Duration.ofSeconds(2).toMillis()`: the duration in ms
            if inner is None:
                return None
            return (inner[0] if name == "toMillis" else BinOp("/", inner[0], Num(1000.0))), False
        if name == "toMillis" and target is not None and unit_of(target) is not None and arguments(node):
            inner = _value(jf, arguments(node)[0], depth + 1)
            return (BinOp("*", inner[0], Num(unit_of(target))), inner[1]) if inner is not None else None
        if _environment_setting(node):
            return expr_of(node), True  # `Integer.parseInt(environment.getProperty("zk.connection-timeout-ms"))`
        typesafe = _typesafe_config_key(jf, node)
        if typesafe is not None:
            # round 17: Typesafe Config `qsConfig.getInt(REQUEST_TIMEOUT_CONFIG_KEY)` with `Config qsConfig =
            # appConfig.getConfig("query.service.config")`: the HOCON key (extractors/spring publishes its leaves)
            return Ref(typesafe), name != "getDuration"
        if name in ("longValue", "intValue") and target is not None and not arguments(node):
            return _value(jf, target, depth + 1)  # round 11: `...orElse(DEFAULT_READ_TIMEOUT_MILLIS).longValue()`
        if name == "orElse" and len(arguments(node)) == 1 and target is not None and target.type == "method_invocation" \
                and re.fullmatch(r"(?:[A-Z]\w*\.)*[A-Z][A-Z0-9_]*", ts.text(arguments(node)[0]).replace(" ", "")):
            # round 11: `Optional.ofNullable(readTimeout).orElse(DEFAULT_READ_TIMEOUT_MILLIS)`: an optional setting of
            # the caller's (an agent's attribute); its named default applies unless that one is set
            # (a timeout only: a count read per call this way stays the call's own, unknown)
            inner = _value(jf, arguments(node)[0], depth + 1)
            return (Call("coalesce", (inner[0],)), False) if inner is not None else None
        return None  # a getter's value is read where the helper applies it
    if t == "identifier":
        name = ts.text(node)
        injected = _injected_parameter(jf, node, name)
        if injected is not None:
            return injected, True  # `@Bean X x(@Value("${auth.retryLimit}") int limit) { return new X(limit); }`
        if name in _scope_params(node):
            return None  # a forwarder: its caller decides
        initializer = local_initializer(node)
        if initializer is not None:
            return _value(jf, initializer, depth + 1)
        expr = expr_of(node)
        if isinstance(expr, Ref) and (expr.name in jf.symbols or re.fullmatch(r"[A-Z][A-Z0-9_]*", name)):
            return expr, True
        return None
    if t == "field_access":
        obj = node.child_by_field_name("object")
        field = ts.text(node.child_by_field_name("field"))
        if obj is not None and ts.text(obj) == "this":
            expr = expr_of(node.child_by_field_name("field"))
            if isinstance(expr, Ref) and expr.name in jf.symbols:
                return expr, True
            return None
        if re.fullmatch(r"[A-Z][A-Z0-9_]*", field):
            return expr_of(node), True  # `Timeouts.RISK_MS`
        return None
    return None


_TYPESAFE_GETTERS = frozenset({"getInt", "getLong", "getDuration", "getDouble", "getNumber", "getMilliseconds"})


def _typesafe_config_key(jf: JavaFile, node: ts.Node, depth: int = 0) -> str | None:
    """Round 17: the dotted HOCON key a Typesafe Config read names, through ``getConfig(prefix)`` sub-configs (a
    local or the receiver chain) and key constants of the file (``REQUEST_TIMEOUT_CONFIG_KEY = "request.timeout"``);
    only in files that import Typesafe Config, only a dotted key (visible service-wide)."""
    if depth > 4 or b"com.typesafe.config" not in jf.data or node is None or node.type != "method_invocation":
        return None
    name = ts.text(node.child_by_field_name("name"))
    args = arguments(node)
    if len(args) != 1 or (depth == 0 and name not in _TYPESAFE_GETTERS) or (depth > 0 and name != "getConfig"):
        return None
    key = _config_key_text(jf, args[0])
    if key is None:
        return None
    receiver = node.child_by_field_name("object")
    if receiver is not None and receiver.type == "identifier":
        initializer = local_initializer(receiver)
        receiver = initializer if initializer is not None else receiver
    prefix = ""
    if receiver is not None and receiver.type == "method_invocation" \
            and ts.text(receiver.child_by_field_name("name")) == "getConfig":
        prefix = _typesafe_config_key(jf, receiver, depth + 1)
        if prefix is None:
            return None
    full = f"{prefix}.{key}" if prefix else key
    return full if depth > 0 or "." in full else None


def _config_key_text(jf: JavaFile, arg: ts.Node) -> str | None:
    text = string_of(arg) if arg.type == "string_literal" else None
    if text is None and arg.type in ("identifier", "field_access"):
        held = jf.symbols.get(ts.text(arg).replace(" ", "")) or jf.symbols.get(ts.text(arg).rsplit(".", 1)[-1])
        text = held.value if isinstance(held, Str) else None
    return text if text and re.fullmatch(r"[\w-]+(\.[\w-]+)*", text) else None


def _environment_setting(node: ts.Node) -> bool:
    """``environment.getProperty("a.b")`` / ``getProperty("a.b", "5")``, also inside ``Integer.parseInt(..)`` /
    ``Long.valueOf(..)``: a configuration key read by its literal name."""
    name = ts.text(node.child_by_field_name("name"))
    obj = ts.text(node.child_by_field_name("object") or node)
    args = arguments(node)
    if name in ("parseInt", "parseLong", "valueOf") and obj in ("Integer", "Long") and len(args) == 1 \
            and args[0].type == "method_invocation":
        return _environment_setting(args[0])
    return name in ("getProperty", "getRequiredProperty") and bool(args) and args[0].type == "string_literal" \
        and obj != "System" and bool(re.fullmatch(r"[\w-]+(\.[\w-]+)+", ts.text(args[0]).strip('"')))


def _injected_parameter(jf: JavaFile, node: ts.Node, name: str) -> Expr | None:
    """The setting an ``@Value`` parameter of the enclosing method or constructor holds (a bean method's injected
    property is configuration, not a forwarded parameter)."""
    member = enclosing(node, ("method_declaration", "constructor_declaration"))
    if member is None:
        return None
    for lam in (a for a in ts.ancestors(node) if a.type == "lambda_expression" and a.start_byte > member.start_byte):
        params = lam.child_by_field_name("parameters")
        if params is not None and name in {ts.text(i) for i in ts.walk(params) if i.type == "identifier"}:
            return None  # a lambda's own parameter of that name
    return jf.value_params.get((member.start_byte, name))


def _callee(jf: JavaFile, call: ts.Node) -> str | None:
    """The name a helper publishes for this call (``HttpUtil.post``), or None."""
    method = ts.text(call.child_by_field_name("name"))
    receiver = call.child_by_field_name("object")
    cls = enclosing(call, _CLASSES)
    if receiver is None or ts.text(receiver) == "this":
        if cls is None:
            return None
        body = cls.child_by_field_name("body")
        own = body is not None and any(m.type == "method_declaration" and ts.text(m.child_by_field_name("name")) == method
                                       for m in body.named_children)
        if own:
            return f"{ts.text(cls.child_by_field_name('name'))}.{method}"
        imported = jf.imports.get(method, "")
        if receiver is None and imported.endswith("." + method) and imported.count(".") >= 2:
            owner = imported.split(".")[-2]
            return f"{owner}.{method}" if _project_type(jf, owner) else None
        if receiver is None and not imported:
            # round 19: a project class's static methods imported together (`import static
            # bio.terra.buffer.service.resource.flight.GoogleUtils.*;` then `pollUntilSuccess(op, interval, timeout)`)
            owners = [q.rsplit(".", 1)[-1] for q in _static_wildcards(jf)
                      if q.rsplit(".", 1)[-1][:1].isupper() and _same_project(jf, q.rsplit(".", 1)[-1], q)]
            if len(dict.fromkeys(owners)) == 1:
                return f"{owners[0]}.{method}"
        return None
    if receiver.type == "field_access" and ts.text(receiver.child_by_field_name("object")) == "this":
        receiver = receiver.child_by_field_name("field")
    held = _getter_held(jf, receiver)
    if held is not None:
        return f"{held}.{method}"
    if receiver.type in ("method_invocation", "object_creation_expression"):
        # a fluent configurator of the project (`new WebClientConfigurator().configureSsl(..)
        # .configureResponseTimeout(timeout)`): its methods return the configurator itself
        root = receiver
        while root.type == "method_invocation" and root.child_by_field_name("object") is not None:
            root = root.child_by_field_name("object")
        written = ts.text(root.child_by_field_name("type")) if root.type == "object_creation_expression" else "."
        built = _new_callee(jf, root) if "." not in re.sub(r"<.*$", "", written) else None  # not `OkHttpClient.Builder`
        return f"{built}.{method}" if built else None
    if receiver.type != "identifier":
        return None
    name = ts.text(receiver)
    if name[:1].isupper():
        return f"{name}.{method}" if _project_type(jf, name) else None
    declared = declared_type(receiver, name, generic=True)
    if declared is None and declared_type(receiver, name, raw=True) == "var":
        declared = _same_name_type(jf, name)
    if declared is None and declared_type(receiver, name, raw=True) is None:
        return _inherited_field_callee(jf, receiver, name, method)
    if declared is None or not _project_type(jf, declared):
        return None
    return f"{declared}.{method}"


def _inherited_field_callee(jf: JavaFile, receiver: ts.Node, name: str, method: str) -> str | None:
    """Round 20: a call through a field the class does not declare, in a class that extends a project class
    (``esOpClient.performRequest(.., 3)`` in KnowStreaming's DAOs, the field declared by ``BaseESDAO``):
    ``<Class>.<field>.<method>``, which the resolver follows through ``<Class>.$super`` to the declaring class and
    its ``<Owner>.<field>.$type`` (published by that class's file). Not for a name some scope of the file declares."""
    cls = enclosing(receiver, ("class_declaration",))
    parent = cls.child_by_field_name("superclass") if cls is not None else None
    if parent is None or any(n.type in ("variable_declarator", "formal_parameter", "catch_formal_parameter",
                                        "inferred_parameters", "resource")
                             and ts.text(n.child_by_field_name("name") or n) == name for n in ts.walk(jf.tree.root_node)):
        return None
    kind = next((n for n in ts.walk(parent) if n.type == "type_identifier"), None)
    if kind is None or not _project_type(jf, ts.text(kind)):
        return None
    return f"{ts.text(cls.child_by_field_name('name'))}.{name}.{method}"


def _getter_held(jf: JavaFile, receiver: ts.Node) -> str | None:
    """Round 18: ``this.context.getMaxwellConnectionPool()`` / ``context.getPool()`` as a call's receiver, on a holder
    of a declared project type: ``MaxwellContext.maxwellConnectionPool``, which the resolver follows to the class the
    getter returns (``MaxwellContext.maxwellConnectionPool.$type``, published by the holder's file)."""
    if receiver.type != "method_invocation" or arguments(receiver):
        return None
    getter = ts.text(receiver.child_by_field_name("name"))
    holder = receiver.child_by_field_name("object")
    if not re.fullmatch(r"get[A-Z]\w*", getter) or holder is None:
        return None
    if holder.type == "field_access" and ts.text(holder.child_by_field_name("object")) == "this":
        holder = holder.child_by_field_name("field")
    if holder.type != "identifier" or ts.text(holder)[:1].isupper():
        return None
    declared = declared_type(holder, ts.text(holder))
    if declared is None or not _project_type(jf, declared):
        return None
    return f"{declared}.{getter[3].lower() + getter[4:]}"


def _same_name_type(jf: JavaFile, name: str) -> str | None:
    """``var httpClient = HttpClientFactory.getHttpClient(vertx);``: the type the file writes out for other
    variables of the same name (``VertxOkapiHttpClient httpClient`` parameters of its other methods), when they
    all agree (round 10, FOLIO's mod-patron); else None."""
    types: set[str] = set()
    for node in ts.walk(jf.tree.root_node):
        if node.type == "formal_parameter" and ts.text(node.child_by_field_name("name")) == name:
            kind = node.child_by_field_name("type")
        elif node.type in ("local_variable_declaration", "field_declaration") and any(
                d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                for d in node.named_children):
            kind = node.child_by_field_name("type")
        else:
            continue
        text = re.sub(r"<.*>$", "", ts.text(kind).strip()).rsplit(".", 1)[-1] if kind is not None else "var"
        if text != "var":
            types.add(text)
    return next(iter(types)) if len(types) == 1 else None


def _recursive(call: ts.Node, callee: str) -> bool:
    """A call of the method it sits in (an overload with another number of parameters is another method:
    ``getHttpClient() { return getHttpClient(connectionTimeout, readTimeout); }`` hands over settings)."""
    scope = enclosing(call, ("method_declaration",))
    if scope is None or callee.rsplit(".", 1)[-1] != ts.text(scope.child_by_field_name("name")):
        return False
    return len(_param_names(scope)) == len(arguments(call)) or call.type != "method_invocation"


@detector(ID, "java", ("timeout", "retry"),
          valid=['class A { String f(String url, int t) { return HttpUtil.post(url, "{}", t); } }',
                 'class A { String f(String url) { return Text.format(url, "{}", "3000"); } }',
                 'class A { String f(String url) { return String.format(url, 3000); } }'],
          invalid=['class A { String f(String url) { return HttpUtil.post(url, "{}", 3000); } }',
                   'class A { static final int TRIES = 3; void f() { RetryHelper.withRetry(TRIES, this::call); } }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    taken = {f.line for f in jf.sink.findings if f.kind in ("timeout", "retry")}
    jf.sink.findings.extend(_forwards(jf))
    builders = _lombok_builders(jf)
    published = wrappers.publish(_functions(jf) + _constructors(jf) + builders, _for_publish(jf.sink.findings),
                                 own_detectors=(ID,))
    for name, expr in wrappers.new_id_publications(_functions(jf) + _constructors(jf), jf.sink.findings).items():
        published.setdefault(name, expr)  # (round 22) a helper minting a fresh ID per attempt
    _builder_defaults_at_helper(jf, builders)
    # the forwards did their work (publishing the calling method's parameter): never findings of the file
    jf.sink.findings[:] = [f for f in jf.sink.findings if not (f.detector == ID and f.attributes.get("forward"))]
    for name, expr in list(_delegated_defaults(jf, published).items()) + list(_telescoped(jf, published).items()) \
            + list(_assigned_defaults(jf, published, taken).items()):
        published.setdefault(name, expr)
    before = {id(f) for f in jf.sink.findings}
    bound = _bind_same_file_calls(jf)
    key_of = getattr(wrappers, "forwarder_key", None)
    if key_of is not None:  # a helper finding bound to this file's one value is a contract, no forwarder
        for finding in jf.sink.findings:
            if id(finding) not in before or not _value_pending(finding):
                # nor is one whose value is not its function's parameter (`future.get(10, SECONDS)` on a future
                # handed in, a re-send whose target is a parameter): only a forwarded value makes a forwarder
                published.pop(key_of(finding), None)
    declared = _declared_classes(jf)
    for site in list(jf.calls) + list(jf.news) + _super_calls(jf):
        call = site.node
        if call.type not in ("method_invocation", "object_creation_expression", "explicit_constructor_invocation"):
            continue
        args = arguments(call)
        if not args:
            _zero_argument_call(jf, site, taken)
            continue
        callee = _any_callee(jf, call)
        # round 17: a receiver-less call of a method the class inherits from a project superclass or interface of
        # another file (`class StatsImpl implements Stats, Constants { .. clientHttpRequestFactory(10 * 1000) .. }`
        # with the default method in Constants): one proposal per candidate; only the publishing one is kept
        for callee in ([callee] if callee is not None else _inherited_callees(jf, call)):
            if not _recursive(call, callee):
                _propose_at_call(jf, site, call, args, callee, bound, taken, declared)
    _builder_calls(jf, taken)
    # round 20 (second wave): a helper that stops or closes something of this process, handed how long to wait for
    # that (Buildfarm's `stop() { stop(DEFAULT_STOP_TIMEOUT); }`): a shutdown wait, not a call's bound
    shutdown = {name_location(s.node, s.name_node)[0] for s in jf.calls if _SHUTDOWN_HELPER.fullmatch(s.name)}
    jf.sink.findings[:] = [f for f in jf.sink.findings if not (f.detector == ID and f.kind == "timeout"
                                                               and f.line in shutdown)]
    for name, expr in published.items():
        jf.symbols.setdefault(name, expr)


_SHUTDOWN_HELPER = re.compile(r"stop|close|shutdown\w*|terminate|destroy|dispose|stopAndWait|closeQuietly")


def _static_wildcards(jf: JavaFile) -> list[str]:
    """The classes whose static members the file imports together (``import static a.b.GoogleUtils.*;``)."""
    return re.findall(r"^import\s+static\s+([\w.]+)\.\*\s*;", jf.data.decode("utf-8", "replace"), re.M)


def _same_project(jf: JavaFile, owner: str, qualified: str) -> bool:
    """A class of the project by its full name: its package shares the file's first two segments."""
    own = (jf.package or "").split(".")[:2]
    return owner not in LIBRARY_TYPES and len(own) == 2 and qualified.split(".")[:2] == own


def _inherited_callees(jf: JavaFile, call: ts.Node) -> list[str]:
    """``<Parent>.<method>`` for a receiver-less (or ``this.``) call of a method the enclosing class does not
    declare, for each superclass/interface it names that is a project type (the file's own classes excluded)."""
    if call.type != "method_invocation":
        return []
    receiver = call.child_by_field_name("object")
    if receiver is not None and ts.text(receiver) != "this":
        return []
    cls = enclosing(call, ("class_declaration",))
    if cls is None:
        return []
    method = ts.text(call.child_by_field_name("name"))
    if method in jf.imports:
        return []  # a static import names its owner (`_callee` read it)
    if _callee(jf, call) is not None:
        return []  # round 19: a static wildcard import of a project class names it
    parents = []
    for field_name in ("superclass", "interfaces"):
        part = cls.child_by_field_name(field_name)
        for node in (ts.walk(part) if part is not None else ()):
            if node.type == "type_identifier" and node.parent is not None and node.parent.type != "type_arguments":
                parents.append(ts.text(node))
    declared = _declared_classes(jf)
    return [f"{p}.{method}" for p in dict.fromkeys(parents) if p not in declared and _inheritable_type(jf, p)]


def _inheritable_type(jf: JavaFile, name: str) -> bool:
    """A parent type that may be the project's: a project type, or one imported from a package of the project's
    first segment (`dashboard.control.Constants` in `dashboard.stats`: two-segment packages); the proposal is kept
    only when the parent publishes the parameter, so a looser test costs nothing."""
    if _project_type(jf, name):
        return True
    full = jf.imports.get(name) or ""
    own = (jf.package or "").split(".")
    return bool(full) and not full.startswith(LIBRARY_PACKAGES) and name not in LIBRARY_TYPES \
        and len(own) <= 2 and full.split(".")[0] == own[0]


_URLISH = re.compile(r"(?i)(?:url|uri|endpoint|host|address)\b|^\"[a-z][a-z0-9+.-]*://")


def _propose_at_call(jf: JavaFile, site, call: ts.Node, args: list, callee: str, bound: dict, taken: set,
                     declared) -> None:
    """The proposals at one call of a project helper (``callee``): left-out defaults and the values it passes."""
    settled = bound.get(callee, set())  # positions a same-file binding already valued in the helper
    if settled and all(i in settled or _value(jf, a) is None for i, a in enumerate(args)):
        return
    loc = name_location(call, site.name_node) if call.type == "method_invocation" else ts.location(call)
    if loc[0] in taken:
        return  # another detector reads this call
    work = any(a.type in ("lambda_expression", "method_reference") for a in args)
    built = call.type == "object_creation_expression"  # a telescoping constructor may fix a value
    # (round 22) the arguments that may be the call's destination (`super(builder, url, Duration.ofSeconds(4))`
    # with `@Value("${acquirer.url:...}") String url`): the helper's `$url_param` picks one
    urls = {i: found[0] for i, a in enumerate(args) if _URLISH.search(ts.text(a))
            and (found := _value(jf, a)) is not None and isinstance(found[0], (Str, Env))}
    omitted = [wrappers.omitted_retry_proposal(
        path=jf.path, language="java", node=call, detector=ID, callee=callee, positional=len(args), args=urls)
        if (work or built) and not settled else None]
    if not settled and (built or _REMOTEISH.search(getattr(site, "name", None) or "") and not _forwards_a_number(call, args)):
        # a constructor or method overload fixing the timeout (`get(url)` -> `get(url, DEFAULT_TIMEOUT)`); not a
        # call handing on the calling method's own number (it fills that slot: a forwarder, not an omission)
        omitted.append(wrappers.omitted_timeout_proposal(
            path=jf.path, language="java", node=call, detector=ID, callee=callee, positional=len(args), args=urls))
    for proposal in (o for o in omitted if o is not None):
        # an overload that fixes the tries (`executeWithRetry0(fn)` -> `executeWithRetry(fn, 3, 100)`)
        jf.sink.findings.append(dataclasses.replace(
            proposal, line=loc[0], column=loc[1], end_line=loc[2], end_column=loc[3],
            evidence=jf.evidence(site.name_node)))
    elsewhere = callee.split(".")[0] not in declared  # a helper of another file (same-file ones are bound)
    for index, arg in enumerate(args):
        if index in settled:
            continue
        found = _value(jf, arg) or (_config_getter(_local_or_self(arg)) if elsewhere or built else None) \
            or _looked_up_setting(jf, arg)
        if found is None:
            continue
        if call.type == "explicit_constructor_invocation" and (_textual(jf, found[0])
                                                               or _delegated_slot(jf, call, index)):
            continue  # round 14: `this(URL, maxWaitSeconds)`: a text constant is no default of a number; a
            # field the file values from this delegation (`syntax._constructor_fields`) holds the contract
        value, whole = found
        if index in urls:
            continue  # the destination, not a bound
        proposals = [wrappers.timeout_proposal(
            path=jf.path, language="java", node=call, detector=ID, callee=callee, key=index, value=value,
            expression=ts.text(arg), args=urls)]
        if whole:
            proposals.append(wrappers.retry_proposal(
                path=jf.path, language="java", node=call, detector=ID, callee=callee, key=index, value=value,
                expression=ts.text(arg), args=urls))
        for finding in proposals:
            jf.sink.findings.append(dataclasses.replace(
                finding, line=loc[0], column=loc[1], end_line=loc[2], end_column=loc[3],
                evidence=jf.evidence(site.name_node)))


def _delegated_slot(jf: JavaFile, delegation: ts.Node, index: int) -> bool:
    """Round 14: the ``index``-th argument of a ``this(..)`` lands in a field the file already values from that
    delegation (``PollingTextractCaller() { this(DEFAULT_MAX_ATTEMPTS, ..); }`` with the primary constructor's
    ``this.maxAttempts = maxAttempts``: ``syntax._constructor_fields`` publishes the field as 10, and its use,
    ``withMaxAttempts(maxAttempts)``, is the contract)."""
    cls = enclosing(delegation, ("class_declaration",))
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return False
    owner = ts.text(cls.child_by_field_name("name"))
    arity = len(arguments(delegation))
    for ctor in (m for m in body.named_children if m.type == "constructor_declaration"):
        params = _param_names(ctor)
        if len(params) != arity or _delegation(ctor) is not None or index >= len(params):
            continue
        block = ctor.child_by_field_name("body")
        for node in (ts.walk(block) if block is not None else ()):
            if node.type == "assignment_expression" and ts.text(node.child_by_field_name("right")) == params[index]:
                field = ts.text(node.child_by_field_name("left")).replace(" ", "").removeprefix("this.")
                if f"{owner}.{field}" in jf.delegated_fields:
                    return True
    return False


def _textual(jf: JavaFile, expr: Expr) -> bool:
    """Round 14: a text value (``"https://.."``, a constant holding one): no timeout or count."""
    from contract_discovery.values import Str
    for _ in range(4):
        if isinstance(expr, Ref) and expr.name in jf.symbols:
            expr = jf.symbols[expr.name]
            continue
        break
    return isinstance(expr, Str)


def _declared_classes(jf: JavaFile) -> set[str]:
    return {ts.text(n.child_by_field_name("name")) for n in ts.walk(jf.tree.root_node) if n.type in _CLASSES}


def _value_pending(finding) -> bool:
    """Does the finding's value (timeout_ms / max_attempts) still wait for a name (a parameter, perhaps)?"""
    attribute = "timeout_ms" if finding.kind == "timeout" else "max_attempts"
    return any(p.attribute == attribute for p in finding.pending)


def _local_or_self(arg: ts.Node) -> ts.Node:
    """A local's initializer (``int maxRetryAttempts = redisProperties.getMaxRetryAttempts();``), else the node."""
    if arg.type == "identifier" and arg.parent is not None:
        initializer = local_initializer(arg)
        if initializer is not None:
            return initializer
    return arg


def _config_getter(arg: ts.Node) -> tuple[Expr, bool] | None:
    """A setting handed to a helper (``AmazonInfoUtils.read(url, config.getConnectTimeout())``): a no-argument
    getter whose value the pipeline may know (a settings class's field, an interface's implementation default)."""
    if arg.type != "method_invocation" or arguments(arg) or arg.child_by_field_name("object") is None:
        return None
    name = ts.text(arg.child_by_field_name("name"))
    expr = expr_of(arg)
    if not re.fullmatch(r"get[A-Z]\w*", name):
        # `bizConfig.longPollingTimeoutInMilli()`: a settings object's own method named for the limit (its value may
        # stay unknown)
        named = re.search(r"timeout|retries|attempts|deadline", name, re.IGNORECASE) and \
            re.search(r"config|setting|propert|option", ts.text(arg.child_by_field_name("object")), re.IGNORECASE)
        return (expr, True) if named else None
    return None if _has_unknown(expr) else (expr, True)


_DEFAULTED_LOOKUP = re.compile(r"\.\s*(?:orElse|getOrDefault|getAttributeOrDefault|getProperty|getInteger|getLong)\s*\(")
_TIMEISH = re.compile(r"time|duration|millis|second|_ms\b|Ms\b", re.IGNORECASE)


def _looked_up_setting(jf: JavaFile, arg: ts.Node, depth: int = 0) -> tuple[Expr, bool] | None:
    """A local or a field holding a setting read per request or from the settings with a default in code (``final
    long timeout = (long) Optional.ofNullable(exchange.getAttribute(HTTP_TIME_OUT)).orElse(3000L);``, ``this.
    responseTimeout = Optional.ofNullable(props.getResponseTimeoutMs()).map(Duration::ofMillis).orElse(DEFAULT);``),
    or a ``Duration`` made of one: handed to a helper, it is that call's setting. Valued by the default when that is
    a time (the setting may change it), else left open (a count of tries read per request)."""
    if depth > 2:
        return None
    initializer = None
    if arg.type == "identifier":
        initializer = local_initializer(arg) or _field_value(arg, ts.text(arg))
    elif arg.type == "field_access" and ts.text(arg.child_by_field_name("object")) == "this":
        initializer = _field_value(arg, ts.text(arg.child_by_field_name("field")))
    while initializer is not None and initializer.type in ("cast_expression", "parenthesized_expression"):
        initializer = initializer.child_by_field_name("value") if initializer.type == "cast_expression" \
            else initializer.named_children[0]
    if initializer is None or initializer.type != "method_invocation":
        return None
    duration = duration_of(initializer)
    if duration is not None:
        inner = arguments(initializer)
        found = _looked_up_setting(jf, inner[0], depth + 1) if inner else None
        if found is None:
            return None
        return (found[0] if duration[1] == 1.0 or isinstance(found[0], Unknown)
                else BinOp("*", found[0], Num(duration[1]))), False
    text = ts.text(initializer)
    if not _DEFAULTED_LOOKUP.search(text):
        return None
    default = None
    if ts.text(initializer.child_by_field_name("name")) == "orElse" and arguments(initializer) and _TIMEISH.search(text):
        default = _value(jf, arguments(initializer)[0])
    if default is not None:
        return default[0], False
    return Unknown(f"a setting looked up per call: {text[:80]}"), True


def _field_value(use: ts.Node, name: str) -> ts.Node | None:
    """The one value a field of the enclosing class is given (its initializer, or the one assignment in its
    constructors), when ``name`` is no local or parameter where it is used."""
    scope = enclosing(use, ("method_declaration", "constructor_declaration", "lambda_expression"))
    if scope is not None and scope.type != "lambda_expression":
        params = scope.child_by_field_name("parameters")
        if any(ts.text(p.child_by_field_name("name") or p) == name for p in (params.named_children if params else ())):
            return None
        body = scope.child_by_field_name("body")
        if body is not None and any(n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == name
                                    for n in ts.walk(body)):
            return None
    cls = enclosing(use, _CLASSES)
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return None
    values = []
    for member in body.named_children:
        if member.type == "field_declaration":
            for d in member.named_children:
                if d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name \
                        and d.child_by_field_name("value") is not None:
                    values.append(d.child_by_field_name("value"))
        elif member.type == "constructor_declaration":
            for node in ts.walk(member):
                if node.type == "assignment_expression" and ts.text(node.child_by_field_name("operator")) == "=" \
                        and ts.text(node.child_by_field_name("left")).replace(" ", "") in (name, f"this.{name}"):
                    values.append(node.child_by_field_name("right"))
    return values[0] if len(values) == 1 else None


class _SuperSite:
    """``super(..)`` in a constructor, shaped like a call site (node, name_node)."""

    def __init__(self, node: ts.Node) -> None:
        self.node = node
        self.name_node = node.child_by_field_name("constructor") or node


def _super_calls(jf: JavaFile) -> list:
    """``super(..)`` in a subclass's constructor. Not a telescoping ``this(DEFAULT_RETRIES, ..)``: the default it fixes
    is counted at the constructions leaving it out (``_telescoped``) and where the class applies the field."""
    return [_SuperSite(n) for n in ts.walk(jf.tree.root_node) if n.type == "explicit_constructor_invocation"
            and ts.text(n.child_by_field_name("constructor")) == "super"]


def _any_callee(jf: JavaFile, call: ts.Node) -> str | None:
    if call.type == "method_invocation":
        return _callee(jf, call)
    if call.type == "object_creation_expression":
        return _new_callee(jf, call)
    # `super("orders", 5)` in a subclass's constructor: the superclass's constructor (a subclass fixing its tries)
    cls = enclosing(call, ("class_declaration",))
    if cls is not None and ts.text(call.child_by_field_name("constructor")) == "this":
        return ts.text(cls.child_by_field_name("name")) or None  # round 14: the class's own primary constructor
    parent = cls.child_by_field_name("superclass") if cls is not None else None
    if parent is None:
        return None
    name = re.sub(r"<.*$", "", ts.text(parent).removeprefix("extends").strip()).strip().rsplit(".", 1)[-1]
    return name if name and _project_type(jf, name) else None


def _new_callee(jf: JavaFile, node: ts.Node) -> str | None:
    """The name a construction call uses (``new RetryableClient<>(..)`` -> ``RetryableClient``), for a project class."""
    if node.child_by_field_name("body") is not None:
        return None  # an anonymous subclass
    written = re.sub(r"<.*$", "", ts.text(node.child_by_field_name("type"))).strip()
    name = written.rsplit(".", 1)[-1]
    if "." in written and written[:1].islower():  # `new redis.clients.jedis.JedisPool(..)`: the package says
        own = (jf.package or "").split(".")[:2]
        return name if len(own) == 2 and written.split(".")[:2] == own else None
    return name if name and _project_type(jf, name) else None


def _constructors(jf: JavaFile) -> list[wrappers.Function]:
    """A class whose one constructor with parameters stores some of them in fields (``this.numberOfRetries =
    numberOfRetries``): a Function named as construction calls name it (the class), over the whole class, whose
    aliases map those fields to the parameters, so a method's retry loop over the field publishes the
    constructor's parameter (``RetryableClient.$attempts_param:5``) for ``new RetryableClient(.., 3)``."""
    out = []
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        body = cls.child_by_field_name("body")
        ctors = [m for m in (body.named_children if body is not None else ()) if m.type == "constructor_declaration"
                 and _param_names(m) and _delegation(m) is None]
        if not ctors and body is not None:
            lombok = _lombok_constructor(cls, body)  # `@RequiredArgsConstructor`: the fields are the parameters
            if lombok:
                owner = ts.text(cls.child_by_field_name("name"))
                aliases = {key: f for f in lombok for key in (f, f"this.{f}", f"{owner}.{f}")}
                out.append(wrappers.Function(names=(owner,), first_line=cls.start_point[0] + 1,
                                             last_line=cls.end_point[0] + 1, params=lombok, aliases=aliases))
            continue
        if len(ctors) != 1:
            continue  # overloads of different shapes: an index would name different parameters
        ctor = ctors[0]  # the primary constructor (telescoping ones delegate to it: `_telescoped`)
        params = _param_names(ctor)
        owner = ts.text(cls.child_by_field_name("name"))
        aliases: dict[str, str] = {}
        block = ctor.child_by_field_name("body")
        for node in (ts.walk(block) if block is not None else ()):
            if node.type != "assignment_expression" or ts.text(node.child_by_field_name("operator")) != "=":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            field = ts.text(left).replace(" ", "").removeprefix("this.")
            if right is None or right.type != "identifier" or ts.text(right) not in params or "." in field:
                continue
            if f"{owner}.{field}" in jf.delegated_fields:
                continue  # round 11: the injected constructor's delegation fills it (no caller's value: no forwarder)
            for key in (field, f"this.{field}", f"{owner}.{field}"):
                aliases[key] = ts.text(right)
        out.append(wrappers.Function(names=(owner,), first_line=cls.start_point[0] + 1, last_line=cls.end_point[0] + 1,
                                     params=params, aliases=aliases, defaults=_initialized_defaults(jf, body, ctor,
                                                                                                   aliases)))
    return out


def _initialized_defaults(jf: JavaFile, body: ts.Node, primary: ts.Node, aliases: dict[str, str]) -> dict[str, Expr]:
    """Round 18: the primary constructor's parameters whose field has an initializer another constructor leaves in
    place (``private int retry = 3;`` with ``IdempotentConfirmer(int retry) { this.retry = retry; }`` and an empty
    ``IdempotentConfirmer() {}``): a construction through that constructor (``new IdempotentConfirmer() { .. }``)
    gets the initializer (rule b), published as the parameter's default."""
    others = [m for m in body.named_children if m.type == "constructor_declaration" and m is not primary
              and _delegation(m) is None]
    out: dict[str, Expr] = {}
    for member in body.named_children:
        if member.type != "field_declaration" or "static" in ts.text(member).split("=")[0].split():
            continue
        for declarator in (d for d in member.named_children if d.type == "variable_declarator"):
            field, value = ts.text(declarator.child_by_field_name("name")), declarator.child_by_field_name("value")
            param = aliases.get(field)
            if param is None or value is None or not any(
                    not any(n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")).replace(
                        " ", "").removeprefix("this.") == field for n in ts.walk(other)) for other in others):
                continue
            found = _value(jf, value)
            if found is not None:
                out[param] = found[0]
    return out


def _lombok_builders(jf: JavaFile) -> list[wrappers.Function]:
    """Round 11: a constructor Lombok builds from (``@Builder private HttpClient(int maxRetries, Duration callTimeout,
    ..)``) is a helper whose calls are ``HttpClient.builder()..build()`` chains naming the arguments they set: a
    Function ``HttpClient.builder`` whose defaults are the partial builder class's field initializers
    (``public static class HttpClientBuilder { private int maxRetries = 3; }``) and the constructor's own null
    defaults (``callTimeout = callTimeout == null ? DEFAULT_TIMEOUT : callTimeout;``)."""
    out = []
    if b"@Builder" not in jf.data:
        return out
    for ctor in (n for n in ts.walk(jf.tree.root_node) if n.type == "constructor_declaration"):
        mods = next((c for c in ctor.children if c.type == "modifiers"), None)
        if mods is None or not re.search(r"@(lombok\.)?Builder\b", ts.text(mods)):
            continue
        cls = enclosing(ctor, ("class_declaration",))
        params = _param_names(ctor)
        if cls is None or not params:
            continue
        owner = ts.text(cls.child_by_field_name("name"))
        defaults: dict[str, Expr] = {}
        body = cls.child_by_field_name("body")
        for nested in (body.named_children if body is not None else ()):
            if nested.type != "class_declaration" or ts.text(nested.child_by_field_name("name")) != f"{owner}Builder":
                continue
            for member in nested.child_by_field_name("body").named_children:
                if member.type != "field_declaration":
                    continue
                for d in (d for d in member.named_children if d.type == "variable_declarator"):
                    name, value = ts.text(d.child_by_field_name("name")), d.child_by_field_name("value")
                    if name in params and value is not None:
                        expr = jf.constant_expr(value)
                        if isinstance(expr, Num):
                            defaults[name] = float(expr.value)  # a number: what a forward's publication reads
                        elif not isinstance(expr, Unknown):
                            defaults[name] = expr
        block = ctor.child_by_field_name("body")
        for node in (block.named_children if block is not None else ()):
            assignment = node.named_children[0] if node.type == "expression_statement" and node.named_children else None
            if assignment is None or assignment.type != "assignment_expression":
                continue
            name = ts.text(assignment.child_by_field_name("left"))
            right = assignment.child_by_field_name("right")
            if name in params and right is not None and right.type == "ternary_expression":
                expr = expr_of(right)  # `p == null ? D : p` -> coalesce(p, D): the default is D
                if isinstance(expr, Call) and expr.func == "coalesce" and expr.args:
                    default = expr.args[-1]
                    if isinstance(default, Ref) and "." not in default.name and default.name in jf.symbols:
                        default = Ref(f"{owner}.{default.name}")  # read from the callers' files: the class's name
                    defaults.setdefault(name, default)
        if defaults:
            out.append(wrappers.Function(names=(f"{owner}.builder",), first_line=ctor.start_point[0] + 1,
                                         last_line=ctor.end_point[0] + 1, params=params, defaults=defaults,
                                         defaulted=frozenset(defaults)))
    return out


def _builder_defaults_at_helper(jf: JavaFile, builders: list[wrappers.Function]) -> None:
    """The builder constructor's own settings of a defaulted parameter hold the default (rule a): the timeout
    ``.callTimeout(callTimeout)`` is the default's value there (a call setting another value holds its own)."""
    for fn in builders:
        for finding in list(jf.sink.findings):
            # `new RetryInterceptor(maxRetries, retryInterval)` handing a defaulted parameter on: the default's
            # contract at that line (kept when the inner helper publishes that position)
            if not (fn.first_line <= finding.line <= fn.last_line and finding.attributes.get("forward")):
                continue
            value = next((p.expr for p in finding.pending if p.attribute == wrappers.FORWARD), None)
            default = fn.defaults.get(value.name) if isinstance(value, Ref) else None
            callee, key = finding.attributes.get("via"), finding.attributes.get("key")
            node = next((site.node for site in list(jf.news) + list(jf.calls)
                         if site.node.start_point[0] + 1 == finding.line), None)
            if not isinstance(default, (int, float)) or not callee or key is None or node is None:
                continue
            for maker in (wrappers.retry_proposal, wrappers.timeout_proposal):
                made = maker(path=jf.path, language="java", node=node, detector=ID, callee=callee, key=key,
                             value=Num(float(default)), expression=f"{value.name} (default)")
                jf.sink.findings.append(dataclasses.replace(
                    made, line=finding.line, column=finding.column, end_line=finding.end_line,
                    end_column=finding.end_column, evidence=finding.evidence))
        for i, finding in enumerate(jf.sink.findings):
            if not fn.first_line <= finding.line <= fn.last_line or finding.kind != "timeout":
                continue
            pending = next((p for p in finding.pending if p.attribute == "timeout_ms"), None)
            if pending is None or not isinstance(pending.expr, Ref) or pending.expr.name not in fn.defaults:
                continue
            expr = fn.defaults[pending.expr.name]
            expr = Num(expr) if isinstance(expr, (int, float)) else expr
            settled, provenance = settle(expr, pending.scale or 1.0)
            attributes = dict(finding.attributes)
            rest = tuple(p for p in finding.pending if p is not pending)
            if settled is not None and provenance in ("literal", "constant"):
                attributes.update(timeout_ms=settled, resolved_from="constant")
                jf.sink.findings[i] = dataclasses.replace(finding, attributes=attributes, pending=rest)
            else:
                jf.sink.findings[i] = dataclasses.replace(finding, pending=(dataclasses.replace(pending, expr=expr),) + rest)


def _builder_calls(jf: JavaFile, taken: set[int]) -> None:
    """``HttpClient.builder().maxRetries(1).build()`` / ``HttpClientBuilder b = HttpClient.builder(); ..
    b.useProxy(true); b.build()``: a call of the ``HttpClient.builder`` helper naming what it sets; the defaults it
    leaves out are proposed at ``build()`` (rule b), the values it sets at their setters (rule c)."""
    for site in jf.calls:
        if site.name != "build" or arguments(site.node):
            continue
        items = chain(site.node)
        root, setters = None, []
        if len(items) >= 2 and items[0].type == "identifier" and items[1].type == "method_invocation" \
                and ts.text(items[1].child_by_field_name("name")) == "builder" and not arguments(items[1]):
            root, setters = ts.text(items[0]), [i for i in items[2:] if i.type == "method_invocation" and i != site.node]
        elif items and items[0].type == "identifier":
            initializer = local_initializer(items[0])
            if initializer is not None and initializer.type == "method_invocation" \
                    and ts.text(initializer.child_by_field_name("name")) == "builder" and not arguments(initializer) \
                    and initializer.child_by_field_name("object") is not None:
                root = ts.text(initializer.child_by_field_name("object"))
                variable = ts.text(items[0])
                method = enclosing(site.node, ("method_declaration", "constructor_declaration"))
                setters = [n for n in (ts.walk(method) if method is not None else ())
                           if n.type == "method_invocation" and n != site.node
                           and ts.text(chain(n)[0]) == variable and n.start_byte < site.node.start_byte]
                setters += [i for i in items[1:] if i.type == "method_invocation" and i != site.node]
        if root is None or not re.fullmatch(r"[A-Z]\w*", root):
            continue
        callee = f"{root}.builder"
        names = [ts.text(s.child_by_field_name("name")) for s in setters]
        loc = name_location(site.node, site.node.child_by_field_name("name"))
        if loc[0] in taken:
            continue
        for proposal in (wrappers.omitted_timeout_proposal(path=jf.path, language="java", node=site.node, detector=ID,
                                                           callee=callee, positional=0, keywords=names),
                         wrappers.omitted_retry_proposal(path=jf.path, language="java", node=site.node, detector=ID,
                                                         callee=callee, positional=0, keywords=names)):
            if proposal is not None:
                jf.sink.findings.append(dataclasses.replace(
                    proposal, line=loc[0], column=loc[1], end_line=loc[2], end_column=loc[3],
                    evidence=jf.evidence(site.node.child_by_field_name("name"))))
        for setter in setters:
            args = arguments(setter)
            found = _value(jf, args[0]) if len(args) == 1 else None
            if found is None:
                continue
            value, whole = found
            key = ts.text(setter.child_by_field_name("name"))
            at = name_location(setter, setter.child_by_field_name("name"))
            if at[0] in taken:
                continue  # another detector reads this setter (`.maxRetries(1)` as a client's retry setting)
            proposals = [wrappers.timeout_proposal(path=jf.path, language="java", node=setter, detector=ID,
                                                   callee=callee, key=key, value=value, expression=ts.text(args[0]))]
            if whole:
                proposals.append(wrappers.retry_proposal(path=jf.path, language="java", node=setter, detector=ID,
                                                         callee=callee, key=key, value=value, expression=ts.text(args[0])))
            for finding in proposals:
                jf.sink.findings.append(dataclasses.replace(
                    finding, line=at[0], column=at[1], end_line=at[2], end_column=at[3],
                    evidence=jf.evidence(setter.child_by_field_name("name"))))


def _lombok_constructor(cls: ts.Node, body: ts.Node) -> tuple[str, ...]:
    """The parameters of the constructor Lombok generates: ``@AllArgsConstructor`` every instance field in order,
    ``@RequiredArgsConstructor`` the final (and ``@NonNull``) ones without an initializer; () otherwise."""
    mods = next((c for c in cls.children if c.type == "modifiers"), None)
    text = ts.text(mods) if mods is not None else ""
    every = re.search(r"@(lombok\.)?AllArgsConstructor\b", text) is not None
    if not every and re.search(r"@(lombok\.)?RequiredArgsConstructor\b", text) is None:
        return ()
    out = []
    for member in body.named_children:
        if member.type != "field_declaration":
            continue
        modifiers = ts.text(next((c for c in member.children if c.type == "modifiers"), None) or member)
        if re.search(r"\bstatic\b", modifiers):
            continue
        for declarator in (d for d in member.named_children if d.type == "variable_declarator"):
            required = (re.search(r"\bfinal\b", modifiers) or "@NonNull" in modifiers) \
                and declarator.child_by_field_name("value") is None
            if every or required:
                out.append(ts.text(declarator.child_by_field_name("name")))
    return tuple(out)


def _assigned_defaults(jf: JavaFile, published: dict[str, Expr], taken: set[int]) -> dict[str, Expr]:
    """Round 14: a constructor with fewer parameters that sets the primary constructor's field itself instead of
    delegating (``BoundedRetryCallable() { this.maxRetries = MAX_RETRIES; }`` beside ``BoundedRetryCallable(long
    min, long max, int maxNumRetries) { this.maxRetries = maxNumRetries; }``): a construction passing that
    constructor's arguments (``new BoundedRetryCallable<T>() { .. }``) gets the constant (``$attempts_omitted:0`` /
    ``$attempts_default:0``, likewise a timeout), as ``_telescoped`` does for ``this(DEFAULT, ..)``. Not when two
    constructors take as many arguments."""
    out: dict[str, Expr] = {}
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        body = cls.child_by_field_name("body")
        ctors = [m for m in (body.named_children if body is not None else ()) if m.type == "constructor_declaration"]
        primaries = [c for c in ctors if _param_names(c) and _delegation(c) is None]
        if len(primaries) != 1:
            continue
        primary = primaries[0]
        params = _param_names(primary)
        owner = ts.text(cls.child_by_field_name("name"))
        slot: dict[str, int] = {}  # field -> the primary's parameter index it stores
        block = primary.child_by_field_name("body")
        for node in (ts.walk(block) if block is not None else ()):
            if node.type == "assignment_expression" and ts.text(node.child_by_field_name("operator")) == "=":
                right = node.child_by_field_name("right")
                if right is not None and right.type == "identifier" and ts.text(right) in params:
                    field = ts.text(node.child_by_field_name("left")).replace(" ", "").removeprefix("this.")
                    slot[field] = params.index(ts.text(right))
        arities = [len(_param_names(c)) for c in ctors]
        for ctor in ctors:
            count = len(_param_names(ctor))
            inner = ctor.child_by_field_name("body")
            if ctor is primary or _delegation(ctor) is not None or arities.count(count) != 1 or inner is None:
                continue
            for node in ts.walk(inner):
                if node.type != "assignment_expression" or ts.text(node.child_by_field_name("operator")) != "=":
                    continue
                field = ts.text(node.child_by_field_name("left")).replace(" ", "").removeprefix("this.")
                index = slot.get(field)
                right = node.child_by_field_name("right")
                found = _value(jf, right) if index is not None and right is not None else None
                if found is None:
                    continue
                value = found[0]
                attempts = published.get(f"{owner}.{wrappers.ATTEMPTS_PARAM}:{index}")
                timeout = published.get(f"{owner}.{wrappers.TIMEOUT_PARAM}:{index}")
                if attempts is not None:
                    out.setdefault(f"{owner}.{wrappers.ATTEMPTS_OMITTED}:{count}", attempts)
                    out.setdefault(f"{owner}.{wrappers.ATTEMPTS_DEFAULT}:{count}",
                                   BinOp("-", BinOp("+", value, attempts), Num(1)))
                if timeout is not None:
                    out.setdefault(f"{owner}.{wrappers.TIMEOUT_OMITTED}:{count}", timeout)
                    out.setdefault(f"{owner}.{wrappers.TIMEOUT_DEFAULT}:{count}", BinOp("*", value, timeout))
    return out


def _delegation(ctor: ts.Node) -> ts.Node | None:
    """The ``this(..)`` a constructor starts with (a telescoping constructor), else None."""
    block = ctor.child_by_field_name("body")
    first = next((c for c in (block.named_children if block is not None else ()) if c.type not in
                  ("line_comment", "block_comment")), None)
    if first is not None and first.type == "explicit_constructor_invocation" \
            and ts.text(first.child_by_field_name("constructor")) == "this":
        return first
    return None


def _telescoped(jf: JavaFile, published: dict[str, Expr]) -> dict[str, Expr]:
    """Java's default arguments for constructors: ``RetryingClient(String name) { this(name, 3); }`` fixing a
    parameter the primary constructor publishes (``RetryingClient.$attempts_param:1``): a construction passing
    that constructor's arguments (``new RetryingClient("stock")``) gets the fixed value
    (``$attempts_omitted:1`` / ``$attempts_default:1``, ``$timeout_omitted:1`` / ``$timeout_default:1``). Not when
    two constructors take as many arguments (the count would not tell which one a call means)."""
    out: dict[str, Expr] = {}
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        body = cls.child_by_field_name("body")
        ctors = [m for m in (body.named_children if body is not None else ()) if m.type == "constructor_declaration"]
        owner = ts.text(cls.child_by_field_name("name"))
        arities = [len(_param_names(c)) for c in ctors]
        for ctor in ctors:
            delegation = _delegation(ctor)
            count = len(_param_names(ctor))
            if delegation is None or arities.count(count) != 1:
                continue
            own_names = _param_names(ctor)
            own = set(own_names)
            for index, arg in enumerate(arguments(delegation)):
                if arg.type == "identifier" and ts.text(arg) in own:
                    # `GithubReleaseInfo(int wait) { this(URL, wait); }`: its parameter takes the primary's slot
                    mine = own_names.index(ts.text(arg))
                    for marker in (wrappers.TIMEOUT_PARAM, wrappers.ATTEMPTS_PARAM, wrappers.TIMEOUT_PHASE):
                        primary = published.get(f"{owner}.{marker}:{index}")
                        if primary is not None and mine != index and f"{owner}.{marker}:{mine}" not in published:
                            out.setdefault(f"{owner}.{marker}:{mine}", primary)
                    continue
                found = _value(jf, arg)
                if found is None or _delegated_slot(jf, delegation, index):
                    continue  # round 14: a field valued in this file from the delegation is no omitted default
                value = found[0]
                attempts = published.get(f"{owner}.{wrappers.ATTEMPTS_PARAM}:{index}")
                if attempts is not None:
                    # the marker is the publication itself: a forward to a helper that publishes nothing holds nothing
                    out.setdefault(f"{owner}.{wrappers.ATTEMPTS_OMITTED}:{count}", attempts)
                    out.setdefault(f"{owner}.{wrappers.ATTEMPTS_DEFAULT}:{count}",
                                   BinOp("-", BinOp("+", value, attempts), Num(1)))
                timeout = published.get(f"{owner}.{wrappers.TIMEOUT_PARAM}:{index}")
                if timeout is not None:
                    out.setdefault(f"{owner}.{wrappers.TIMEOUT_OMITTED}:{count}", timeout)
                    out.setdefault(f"{owner}.{wrappers.TIMEOUT_DEFAULT}:{count}", BinOp("*", value, timeout))
    return out


def _param_expr(arg: ts.Node, params: set[str]) -> Expr | None:
    """The argument in terms of one parameter of the calling method: ``timeout``, ``seconds * 1000``,
    ``TimeUnit.SECONDS.toMillis(seconds)``, ``retries + 1``; None otherwise."""
    while arg.type in ("parenthesized_expression", "cast_expression"):
        arg = arg.child_by_field_name("value") if arg.type == "cast_expression" else arg.named_children[0]
        if arg is None:
            return None
    if arg.type == "identifier":
        return Ref(ts.text(arg)) if ts.text(arg) in params else None
    if arg.type == "binary_expression" and ts.text(arg.child_by_field_name("operator")) in ("*", "/", "+", "-"):
        op = ts.text(arg.child_by_field_name("operator"))
        left, right = arg.child_by_field_name("left"), arg.child_by_field_name("right")
        if left is not None and left.type == "identifier" and ts.text(left) in params:
            number = expr_of(right)
            return BinOp(op, Ref(ts.text(left)), number) if isinstance(number, Num) else None
        if right is not None and right.type == "identifier" and ts.text(right) in params and op in ("*", "+"):
            number = expr_of(left)
            return BinOp(op, number, Ref(ts.text(right))) if isinstance(number, Num) else None
        return None
    if arg.type == "method_invocation" and ts.text(arg.child_by_field_name("name")) == "toMillis":
        target, inner = arg.child_by_field_name("object"), arguments(arg)
        unit = unit_of(target) if target is not None else None
        if unit is not None and len(inner) == 1 and inner[0].type == "identifier" and ts.text(inner[0]) in params:
            return BinOp("*", Ref(ts.text(inner[0])), Num(unit))
    return None


_NUMERIC_TYPES = frozenset({"int", "long", "short", "double", "float", "Integer", "Long", "Short", "Double", "Float",
                            "Duration", "Number"})


def _numeric_params(scope: ts.Node) -> set[str]:
    """The parameters of a method or constructor that can carry a timeout or a count (numbers, Durations)."""
    params = scope.child_by_field_name("parameters")
    out = set()
    for param in (params.named_children if params is not None else ()):
        kind, name = param.child_by_field_name("type"), param.child_by_field_name("name")
        if param.type == "formal_parameter" and kind is not None and name is not None \
                and ts.text(kind).rsplit(".", 1)[-1] in _NUMERIC_TYPES:
            out.add(ts.text(name))
    return out


def _forwards(jf: JavaFile) -> list:
    """Calls of project helpers (and constructions of project classes) handing on the calling method's or
    constructor's own parameter: ``wrappers.forward_proposal`` (never reported), so the calling method publishes
    that parameter for its own callers (a helper chain)."""
    out = []
    for site in list(jf.calls) + list(jf.news) + _super_calls(jf):
        call = site.node
        scope = enclosing(call, ("method_declaration", "constructor_declaration", "lambda_expression"))
        if scope is None or scope.type == "lambda_expression":
            continue
        params = _numeric_params(scope)
        args = arguments(call)
        if not params or not args:
            continue
        callee = _any_callee(jf, call)
        if callee is None or _recursive(call, callee):
            continue
        for index, arg in enumerate(args):
            value = _param_expr(arg, params)
            if value is None:
                continue
            out.append(wrappers.forward_proposal(path=jf.path, language="java", node=call, detector=ID, callee=callee,
                                                 key=index, value=value, expression=ts.text(arg)))
    return out


# A helper named for remote work: a call of it may leave a timeout to an overload's default.
_REMOTEISH = re.compile(r"fetch|get|post|put|patch|delete|call|request|send|client|api|http|download|upload|query|"
                        r"load|execute|invoke|connect|open|sync|push|pull|publish|notify|submit|search|timeout|"
                        r"deadline|service|session|channel", re.IGNORECASE)
_NUMBER_TYPES = re.compile(r"^(int|long|short|double|float|Integer|Long|Short|Double|Float|Duration|Number)$")


def _zero_argument_call(jf: JavaFile, site, taken: set[int]) -> None:
    """``pricing.get()`` where ``Pricing.get() { return get(DEFAULT_TIMEOUT); }``: Java's default argument through a
    zero-argument overload; the call leaving the timeout out is proposed (the core keeps it only when the callee
    publishes ``$timeout_omitted:0``). Only methods named for remote work, not getters (``getName()``, ``isOpen()``)
    and only on a project class the call resolves to."""
    call = site.node
    name = getattr(site, "name", None) or ""
    if call.type == "object_creation_expression":
        _zero_argument_construction(jf, site, taken)
        return
    if call.type != "method_invocation" or not _REMOTEISH.search(name) or \
            re.fullmatch(r"(get|is|has|set|to|with|as)[A-Z]\w*", name):
        return
    callee = _any_callee(jf, call)
    if callee is None or _recursive(call, callee):
        return
    loc = name_location(call, site.name_node)
    if loc[0] in taken:
        return
    proposal = wrappers.omitted_timeout_proposal(path=jf.path, language="java", node=call, detector=ID, callee=callee,
                                                 positional=0)
    if proposal is not None:
        jf.sink.findings.append(dataclasses.replace(proposal, line=loc[0], column=loc[1], end_line=loc[2],
                                                    end_column=loc[3], evidence=jf.evidence(site.name_node)))


def _zero_argument_construction(jf: JavaFile, site, taken: set[int]) -> None:
    """Round 14: ``new RetryableCallable<T>() { T retriableCall() { .. } }.call()`` / ``new RetryingClient()`` of a
    project class whose no-argument constructor fixes the tries or the timeout (``this(DEFAULT_RETRIES, 100)`` or
    ``this.maxRetries = MAX_RETRIES``): the construction leaving them out holds the default (rule b; the core keeps
    the proposal only when the class publishes ``$attempts_omitted:0`` / ``$timeout_omitted:0``)."""
    call = site.node
    written = call.child_by_field_name("type")
    name = re.sub(r"<.*$", "", ts.text(written) if written is not None else "").strip().rsplit(".", 1)[-1]
    if not name or not _project_type(jf, name):
        return
    loc = ts.location(call)
    if loc[0] in taken:
        return
    for maker in (wrappers.omitted_retry_proposal, wrappers.omitted_timeout_proposal):
        proposal = maker(path=jf.path, language="java", node=call, detector=ID, callee=name, positional=0)
        if proposal is not None:
            jf.sink.findings.append(dataclasses.replace(proposal, line=loc[0], column=loc[1], end_line=loc[2],
                                                        end_column=loc[3], evidence=jf.evidence(call)))


def _forwards_a_number(call: ts.Node, args) -> bool:
    """The call hands on a numeric (or Duration) parameter of the method it sits in."""
    scope = enclosing(call, ("method_declaration", "constructor_declaration"))
    params = scope.child_by_field_name("parameters") if scope is not None else None
    numbers = set()
    for param in (params.named_children if params is not None else ()):
        kind, name = param.child_by_field_name("type"), param.child_by_field_name("name")
        if kind is not None and name is not None and _NUMBER_TYPES.match(ts.text(kind).strip()):
            numbers.add(ts.text(name))
    return any(a.type == "identifier" and ts.text(a) in numbers for a in args)


def _delegated_defaults(jf: JavaFile, published: dict[str, Expr]) -> dict[str, Expr]:
    """An overload that calls a retry helper of its class with the tries fixed (``executeWithRetry0(fn) { return
    executeWithRetry(fn, 3, 100); }`` where ``executeWithRetry`` publishes ``$attempts_param:1``): Java's form of a
    default argument. Publishes, for a call passing the overload's own arguments, ``$attempts_omitted:<n>`` and
    ``$attempts_default:<n>`` (the tries it fixes), as ``wrappers.omitted_retry_proposal`` reads them; likewise an
    overload fixing a timeout (``postDefault(url, body) { return post(url, body, 4000); }``): ``$timeout_omitted:<n>``
    / ``$timeout_default:<n>`` (and the phase), read by ``wrappers.omitted_timeout_proposal`` at each call of it (the
    rule for defaults: the overload's own line hands the default on, each call leaving it out gets it too).
    Timeouts only through an overload (the same name, or one extending it: ``postDefault`` -> ``post``): a method
    that merely calls a helper with its own value (``doFetch(app) { fetchOnce(app, 5); }``) holds that value at its
    own call, not a default its callers leave out. Not when two overloads of the class take as many arguments."""
    out: dict[str, Expr] = {}
    methods = [n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"]
    arities: dict[tuple[int, str, int], int] = {}
    for method in methods:
        cls = enclosing(method, _CLASSES)
        key = (cls.id if cls is not None else 0, ts.text(method.child_by_field_name("name")), len(_param_names(method)))
        arities[key] = arities.get(key, 0) + 1
    for method in methods:
        cls = enclosing(method, _CLASSES)
        body = method.child_by_field_name("body")
        if cls is None or body is None:
            continue
        owner = ts.text(cls.child_by_field_name("name"))
        params = _param_names(method)
        if arities.get((cls.id, ts.text(method.child_by_field_name("name")), len(params)), 0) != 1:
            continue  # two overloads take as many arguments: a call's count would not tell which one it means
        for call in (n for n in ts.walk(body) if n.type == "method_invocation"):
            receiver = call.child_by_field_name("object")
            if receiver is not None and ts.text(receiver) not in ("this", owner):
                continue
            callee = ts.text(call.child_by_field_name("name"))
            args = arguments(call)
            for index, arg in enumerate(args):
                timeout = published.get(f"{owner}.{callee}.{wrappers.TIMEOUT_PARAM}:{index}")
                found = None if arg.type == "identifier" and ts.text(arg) in params else _value(jf, arg)
                own_name = ts.text(method.child_by_field_name("name"))
                overload = own_name.startswith(callee) or callee.startswith(own_name)  # get/get, postDefault/post
                if timeout is not None and found is not None and overload:
                    # `get(url) { return get(url, DEFAULT_TIMEOUT); }`: a call of `get(url)` gets the default
                    phase = published.get(f"{owner}.{callee}.{wrappers.TIMEOUT_PHASE}:{index}")
                    for name in (f"{c}.{ts.text(method.child_by_field_name('name'))}" for c in _class_names(cls)):
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{len(params)}", timeout)
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{len(params)}", BinOp("*", found[0], timeout))
                        if phase is not None:
                            out.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:omitted:{len(params)}", phase)
                marker = published.get(f"{owner}.{callee}.{wrappers.ATTEMPTS_PARAM}:{index}")
                if marker is None or found is None:
                    continue
                made = BinOp("-", BinOp("+", expr_of(arg), marker), Num(1))
                for name in (f"{c}.{ts.text(method.child_by_field_name('name'))}" for c in _class_names(cls)):
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_OMITTED}:{len(params)}", marker)
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_DEFAULT}:{len(params)}", made)
    _chained_overloads(methods, arities, out)
    return out


def _chained_overloads(methods: list, arities: dict, out: dict[str, Expr]) -> None:
    """An overload handing its arguments to a shorter-armed overload that itself fixes the timeout (``get(path,
    headers) { return get(path, Map.of(), headers); }`` with ``get(path, params, headers) { return get(path,
    params, headers, DEFAULT_TIMEOUT_MS); }``): its calls leave the same default out, so it publishes the same
    ``$timeout_omitted``/``$timeout_default`` for its own arity (round 10, FOLIO's Okapi client). A few rounds
    settle chains of several overloads."""
    keys = (wrappers.TIMEOUT_OMITTED, wrappers.TIMEOUT_DEFAULT, f"{wrappers.TIMEOUT_PHASE}:omitted")
    for _ in range(3):
        changed = False
        for method in methods:
            cls = enclosing(method, _CLASSES)
            body = method.child_by_field_name("body")
            if cls is None or body is None:
                continue
            owner, own_name = ts.text(cls.child_by_field_name("name")), ts.text(method.child_by_field_name("name"))
            params = _param_names(method)
            if arities.get((cls.id, own_name, len(params)), 0) != 1 \
                    or f"{owner}.{own_name}.{wrappers.TIMEOUT_OMITTED}:{len(params)}" in out:
                continue
            for call in (n for n in ts.walk(body) if n.type == "method_invocation"):
                receiver = call.child_by_field_name("object")
                callee = ts.text(call.child_by_field_name("name"))
                if receiver is not None and ts.text(receiver) not in ("this", owner) \
                        or not (own_name.startswith(callee) or callee.startswith(own_name)):
                    continue
                count = len(arguments(call))
                if count == len(params) and callee == own_name \
                        or f"{owner}.{callee}.{wrappers.TIMEOUT_OMITTED}:{count}" not in out:
                    continue
                for name in (f"{c}.{own_name}" for c in _class_names(cls)):
                    for key in keys:
                        value = out.get(f"{owner}.{callee}.{key}:{count}")
                        if value is not None:
                            out.setdefault(f"{name}.{key}:{len(params)}", value)
                changed = True
                break
        if not changed:
            break


def _substitute(expr: Expr, name: str, value: Expr) -> Expr:
    if isinstance(expr, Ref) and expr.name == name:
        return value
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _substitute(expr.left, name, value), _substitute(expr.right, name, value))
    return expr


def _has_unknown(expr: Expr) -> bool:
    if isinstance(expr, Unknown):
        return True
    if isinstance(expr, BinOp):
        return _has_unknown(expr.left) or _has_unknown(expr.right)
    return False


def _bind_same_file_calls(jf: JavaFile) -> dict[str, set[int]]:
    """A helper whose parameter becomes a timeout or a retry bound, called in this file with one
    value (``gitlabCiClient(addr, token, props.getClient().getTimeout(), ..)`` ->
    ``.readTimeout(timeout, MILLISECONDS)`` in it): when every call of the file passes the same value, and the
    method is private (no other file calls it) or the value is one no call site can carry (a settings getter chain),
    the finding moves to each call, with that value (round 10: at the call, as in every language; the helper's
    line only forwards its parameter). Returns the private
    helpers so bound (``Cls.method`` -> the bound parameters' positions): their calls propose nothing for those
    positions (another parameter, given different values by different calls, is still proposed at each call)."""
    bound: dict[str, set[int]] = {}
    methods = [n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"]
    if not methods:
        return bound
    index = {id(f): i for i, f in enumerate(jf.sink.findings)}
    for method in methods:
        params = _param_names(method)
        if not params:
            continue
        name = ts.text(method.child_by_field_name("name"))
        cls = enclosing(method, _CLASSES)
        owner = ts.text(cls.child_by_field_name("name")) if cls is not None else ""
        calls = [s.node for s in jf.calls if s.name == name and len(arguments(s.node)) == len(params)
                 and not jf.within(s.node, method)
                 and ts.text(s.node.child_by_field_name("object") or s.node).split("(")[0] in (name, "this", owner)]
        if not calls:
            continue
        first, last = method.start_point[0] + 1, method.end_point[0] + 1
        for finding in list(jf.sink.findings):
            if finding.detector == ID or finding.kind not in ("timeout", "retry") or not first <= finding.line <= last:
                continue
            attribute = "timeout_ms" if finding.kind == "timeout" else "max_attempts"
            pending = next((p for p in finding.pending if p.attribute == attribute), None)
            refs = [n for n in _ref_names(pending.expr) if n in params] if pending is not None else []
            if len(refs) != 1:
                continue
            position = params.index(refs[0])
            texts = {ts.text(arguments(c)[position]) for c in calls}
            arg = arguments(calls[0])[position]
            if len(texts) != 1 or (arg.type == "identifier" and ts.text(arg) in _scope_params(arg)):
                continue
            private = re.search(r"\bprivate\b", ts.text(next((c for c in method.children if c.type == "modifiers"),
                                                               method.child_by_field_name("name"))))
            if not private and _value(jf, arg) is not None:
                continue  # a number or constant handed over: proposed at the call (other files call it too)
            value = expr_of(arg)
            if _has_unknown(value) or not all(n in jf.symbols or "." in n or n.isupper() for n in _ref_names(value)):
                continue  # only numbers, constants and settings (not a local variable's name)
            expr = _substitute(pending.expr, refs[0], value)
            rest = tuple(p for p in finding.pending if p is not pending)
            settled, provenance = settle(expr, pending.scale or 1.0) if attribute == "timeout_ms" else (None, None)
            attributes = dict(finding.attributes)
            if settled is not None and provenance in ("literal", "constant"):
                attributes.update(timeout_ms=settled, resolved_from="constant")
                new_pending = rest
            else:
                new_pending = (dataclasses.replace(pending, expr=expr),) + rest
            position_in_sink = index.get(id(finding))
            if position_in_sink is not None:
                # round 10: reported at each call that passes the value, as every language does (rule c); the
                # helper's own line only forwards its parameter (no contract there)
                at_calls = []
                for call in calls:
                    loc = name_location(call, call.child_by_field_name("name"))
                    at_calls.append(dataclasses.replace(
                        finding, attributes=attributes, pending=new_pending, line=loc[0], column=loc[1],
                        end_line=loc[2], end_column=loc[3], evidence=jf.evidence(call.child_by_field_name("name"))))
                jf.sink.findings[position_in_sink] = at_calls[0]
                jf.sink.findings.extend(at_calls[1:])
                if private:
                    bound.setdefault(f"{owner}.{name}", set()).add(position)
    return bound


def _ref_names(expr: Expr | None) -> list[str]:
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, BinOp):
        return _ref_names(expr.left) + _ref_names(expr.right)
    return []
