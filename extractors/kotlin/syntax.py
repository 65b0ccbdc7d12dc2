"""The Kotlin view the detectors read: one parse, calls (with trailing lambdas folded in),
assignments, loops, annotations, constants, imports, and Kotlin expressions as value Exprs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Str, Unknown
from extractors import treesitter as ts
from extractors.java.jvm import DURATION_FACTORIES, KOTLIN_DURATION_PROPS, UNIT_CONSTANTS, FindingSink
from extractors.jvm_common import SourceLines, load_query, name_location, parse_number  # noqa: F401 - re-exported

QUERIES = Path(__file__).parent / "queries"
GRAMMAR = "kotlin"


def query(name: str):
    return load_query(GRAMMAR, QUERIES, name)


def number_of(text: str) -> float | None:
    return parse_number(text, "lLfFuU", "lLuU")


_SIMPLE_TEMPLATE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(.*)$", re.DOTALL)


def string_parts(node: ts.Node) -> list[Expr]:
    """A string literal as parts: text as Str, ``$name`` / ``${expr}`` templates as Exprs.

    The grammar splits ``"$id/x"`` into the contents "$" and "id/x"; that pair is a template."""
    parts: list[Expr] = []
    pending_dollar = False
    for child in node.named_children:
        if child.type == "string_content":
            content = ts.text(child)
            if pending_dollar:
                pending_dollar = False
                m = _SIMPLE_TEMPLATE.match(content)
                if m:
                    parts.append(Ref(m.group(1)))
                    if m.group(2):
                        parts.append(Str(m.group(2)))
                    continue
                parts.append(Str("$"))
            if content == "$":
                pending_dollar = True
                continue
            parts.append(Str(content))
        elif child.type == "escape_sequence":
            parts.append(Str(ts.text(child)[1:]))
        elif child.type == "interpolation" and child.named_child_count:
            parts.append(expr_of(child.named_children[0]))
        else:
            parts.append(Unknown(ts.text(child)))
    if pending_dollar:
        parts.append(Str("$"))
    return parts


def string_of(node: ts.Node | None) -> str | None:
    """A string literal without templates, else None."""
    if node is None or node.type != "string_literal":
        return None
    parts = string_parts(node)
    if all(isinstance(p, Str) for p in parts):
        return "".join(p.value for p in parts)  # type: ignore[union-attr]
    return None


def nav_parts(node: ts.Node) -> tuple[ts.Node | None, str]:
    """``a.b.c`` -> (node of ``a.b``, "c")."""
    named = node.named_children
    if len(named) >= 2:
        return named[0], ts.text(named[-1])
    return None, ts.text(node)


_TYPE_NAME = re.compile(r"[A-Z]\w*")


def _declared_in(params: ts.Node | None, kind: str, name: str) -> ts.Node | None:
    for param in (params.named_children if params is not None else ()):
        if param.type == kind and any(c.type in ("identifier", "simple_identifier") and ts.text(c) == name
                                      for c in param.named_children[:2]):
            return next((c for c in param.named_children if c.type in ("user_type", "nullable_type")), None)
    return None


def _scope_subject(node: ts.Node) -> ts.Node | None:
    """The identifier a scope function makes the receiver around ``node``: ``with(x) { }``,
    ``x.run { }`` / ``x.apply { }``; None outside one (or for another lambda first)."""
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
            if call is None or call.name not in ("with", "run", "apply"):
                return None
            subject = call.args[0] if call.name == "with" and call.args else call.receiver
            return subject if subject is not None and subject.type == "identifier" else None
        if parent.type in ("function_declaration", "class_body"):
            return None
    return None


def _let_subject(node: ts.Node) -> ts.Node | None:
    """The receiver of the ``let`` / ``also`` / ``takeIf`` whose lambda (with the implicit ``it``) holds
    ``node``: ``serverConfig.timeouts`` for ``serverConfig.timeouts?.let { f(it.connectTimeoutMs) }``."""
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            if any(c.type == "lambda_parameters" for c in parent.named_children):
                return None  # a named parameter: `it` is an outer one
            call_node = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(call_node) if call_node is not None and call_node.type == "call_expression" else None
            if call is None or call.name not in ("let", "also", "takeIf", "takeUnless") or call.receiver is None:
                return None
            return call.receiver
        if parent.type in ("function_declaration", "class_body"):
            return None
    return None


def _with_subject_type(node: ts.Node, name: str) -> str | None:
    """The declared class of ``x`` for a bare ``name`` inside ``with(x) { }`` that is not a parameter,
    local ``val`` or typed member where it is used; None otherwise."""
    subject = _scope_subject(node)
    if subject is None:
        return None
    call_node = next((a for a in ts.ancestors(node) if a.type == "call_expression"
                      and ts.text(a).startswith("with(")), None)
    if call_node is None or declared_type(node, name) is not None or local_value(node, name) is not None:
        return None
    return declared_type(subject, ts.text(subject))


def declared_type(use: ts.Node, name: str) -> str | None:
    """The declared class of ``name`` where ``use`` sits: a parameter of an enclosing function, a
    constructor parameter or typed property of an enclosing class (``config: AgentConfiguration`` ->
    ``AgentConfiguration``; generic and function types give None)."""
    for parent in ts.ancestors(use):
        found = None
        if parent.type == "function_declaration":
            params = next((c for c in parent.named_children if c.type == "function_value_parameters"), None)
            found = _declared_in(params, "parameter", name)
        elif parent.type in ("class_declaration", "object_declaration"):
            ctor = next((c for c in parent.named_children if c.type == "primary_constructor"), None)
            params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
            found = _declared_in(params, "class_parameter", name) if params is not None else None
            body = next((c for c in parent.named_children if c.type == "class_body"), None)
            for member in (body.named_children if body is not None and found is None else ()):
                decl = next((c for c in member.named_children if c.type == "variable_declaration"), None) \
                    if member.type == "property_declaration" else None
                if decl is not None and decl.named_children and ts.text(decl.named_children[0]) == name:
                    found = next((c for c in decl.named_children if c.type in ("user_type", "nullable_type")), None)
        if found is not None:
            text = ts.text(found).rstrip("?").rsplit(".", 1)[-1]
            return text if _TYPE_NAME.fullmatch(text) else None
    return None


_SETTINGS_SUFFIX = re.compile(r"(Properties|Config|Configuration|Settings|Options)$")


def _nested_settings(declared: str, rest: str) -> Ref | None:
    """``properties.languageTool.readTimeoutSeconds`` with ``properties: TolgeeProperties``: the nested
    group is, by the settings convention, a class of its own named for it with the same suffix
    (``LanguageToolProperties.readTimeoutSeconds``), often declared in another file."""
    suffix = _SETTINGS_SUFFIX.search(declared)
    group, _, field = rest.partition(".")
    if suffix is None or not field or "." in field or not group[:1].islower():
        return None
    return Ref(f"{group[:1].upper()}{group[1:]}{suffix.group(1)}.{field}")


# a configuration object loaded by a no-argument function (hoplite's `fun config() = ConfigLoader..load<Config>()`),
# read along a path of properties
_LOADED_CONFIG_READ = re.compile(r"(?:config|appConfig|applicationConfig|configuration|loadConfig|getConfig)\(\)\.?"
                                 r"((?:[a-z]\w*)(?:\.[a-z]\w*)+)")


def _expr_parts(expr: Expr) -> list:
    """The expression and every expression inside it."""
    out, stack = [], [expr]
    while stack:
        e = stack.pop()
        out.append(e)
        if isinstance(e, BinOp):
            stack += [e.left, e.right]
        elif isinstance(e, Call):
            stack += [a for a in e.args if isinstance(a, (Num, Str, Ref, Env, BinOp, Call, Unknown))]
    return out


def _settings_alias_path(node: ts.Node, head: str, rest: str) -> Expr | None:
    """Round 14 (rarible currency-service): ``private val request = properties.request`` in the class (or a
    local ``val``), then ``request.attempts`` with ``properties: CurrencyApiProperties``: the alias stands for
    the settings path it was read from (``CurrencyApiProperties.request.attempts``, or the nested group's own
    class by the settings convention, ``RequestProperties.attempts``). Only an alias of a plain dotted path
    whose first name has a declared class here."""
    init = local_value(node, head)
    if init is None:
        init = member_value(node, head)
    if init is None or init.type != "navigation_expression" \
            or not all(c.type in ("identifier", "navigation_expression") for c in ts.walk(init) if c.is_named):
        return None
    path = ts.text(init).replace(" ", "").replace("\n", "")
    first, _, middle = path.partition(".")
    if not middle or first == head or not first[:1].islower():
        return None
    declared = declared_type(init, first)
    if declared is None:
        return None
    full = f"{middle}.{rest}"
    nested = _nested_settings(declared, full)
    return Call("coalesce", (Ref(f"{declared}.{full}"), nested)) if nested else Ref(f"{declared}.{full}")


def expr_of(node: ts.Node | None) -> Expr:
    if node is None:
        return Unknown("")
    t = node.type
    if t == "number_literal":
        number = number_of(ts.text(node))
        return Num(number) if number is not None else Unknown(ts.text(node))
    if t == "string_literal":
        value = string_of(node)
        if value is not None:
            return Str(value)
        return _template(node)
    if t == "identifier":
        name = ts.text(node)
        if name[:1].islower():
            owner = _with_subject_type(node, name)
            if owner is not None:
                # `with(config) { attempts }`: the subject's property, else whatever `attempts` names here
                return Call("coalesce", (Ref(f"{owner}.{name}"), Ref(name)))
            local = local_value(node, name)
            if local is not None and local.type in ("number_literal", "multiplicative_expression",
                                                    "additive_expression", "parenthesized_expression"):
                # `val timeoutInSeconds = 30L` earlier in the function, then `ReadTimeoutHandler(timeoutInSeconds,
                # SECONDS)`: a local constant of numbers only (never a name the function computes)
                value = expr_of(local)
                if not any(n.type == "identifier" for n in ts.walk(local)):
                    return value
        return Ref(name)
    if t == "parenthesized_expression" and node.named_child_count:
        return expr_of(node.named_children[0])
    if t in ("postfix_expression", "unary_expression") and node.named_child_count == 1 and ts.text(node).endswith("!!"):
        return expr_of(node.named_children[0])  # `System.getenv("T")!!`: the value, asserted present
    if t == "navigation_expression":
        duration = duration_of(node)
        if duration is not None:
            return _scaled(*duration)
        receiver, name = nav_parts(node)
        if receiver is not None and ts.text(receiver) == "this" and name:
            return Ref(name)  # `this.maxRetries`: the class's own property
        if receiver is not None and ts.text(receiver) == "it" and name:
            subject = _let_subject(node)
            if subject is not None:
                inner = expr_of(subject)
                if isinstance(inner, Ref):
                    return Ref(f"{inner.name}.{name}")  # `config.timeouts?.let { it.connectTimeoutMs }`
        if name == "millis" and receiver is not None and receiver.type in ("identifier", "navigation_expression",
                                                                             "call_expression"):
            # a TimeValue's `.millis` (values here are held in ms already), through a local val
            local = local_value(receiver, ts.text(receiver)) if receiver.type == "identifier" else None
            return expr_of(local if local is not None else receiver)
        if name == "inWholeMilliseconds" and receiver is not None:
            inner = duration_of(receiver)
            if inner is not None:
                return _scaled(*inner)
            if receiver.type == "identifier":
                # `TIMEOUT.inWholeMilliseconds` with `val TIMEOUT = 5.seconds`: a file constant is
                # published in ms already; a local val or a parameter's default is read here.
                local = local_value(receiver, ts.text(receiver)) or parameter_default(receiver, ts.text(receiver)) \
                    or member_value(receiver, ts.text(receiver))
                inner = duration_of(local) if local is not None else None
                return _scaled(*inner) if inner is not None else Ref(ts.text(receiver))
            if receiver.type == "navigation_expression" \
                    and all(c.type in ("identifier", "navigation_expression") for c in ts.walk(receiver) if c.is_named):
                # round 14 (ort-server): `config.connectTimeout.inWholeMilliseconds` with `config: HttpClientConfig`:
                # the settings property, a duration held in ms here
                return expr_of(receiver)
        if receiver is not None and receiver.type in ("identifier", "navigation_expression") \
                and all(c.type in ("identifier", "navigation_expression") for c in ts.walk(receiver) if c.is_named):
            dotted = ts.text(node).replace(" ", "").replace("\n", "")
            head, _, rest = dotted.partition(".")
            declared = declared_type(node, head) if head[:1].islower() else None
            if declared is None and head[:1].islower():
                # `with(properties) { httpClient.connectionTimeout }`: a property of the scope's subject.
                subject = _scope_subject(node)
                subject_type = declared_type(subject, ts.text(subject)) if subject is not None else None
                if subject_type is not None and declared_type(node, head) is None:
                    return Ref(f"{subject_type}.{dotted}")
            if declared is not None:
                # `config.retry.attempts` with `config: AgentConfiguration`: that class's property
                # (`AgentConfiguration.retry.attempts`, published by the class's own file).
                nested = _nested_settings(declared, rest)
                return Call("coalesce", (Ref(f"{declared}.{rest}"), nested)) if nested else Ref(f"{declared}.{rest}")
            if head[:1].islower() and rest:
                aliased = _settings_alias_path(node, head, rest)
                if aliased is not None:
                    return aliased
            return Ref(dotted)
        loaded = _LOADED_CONFIG_READ.fullmatch(ts.text(node).replace(" ", "").replace("\n", ""))
        if loaded is not None:
            # round 14 (ebxml-processor): `config().errorRetryPolicyIncoming.maxRetries` with `fun config() =
            # ConfigLoader.builder()..loadConfigOrThrow<Config>()` (hoplite): the loaded file's key of that path
            return Ref(loaded.group(1))
        return Unknown(ts.text(node))
    if t in ("binary_expression", "multiplicative_expression", "additive_expression"):
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            named = node.named_children
            if len(named) != 2:
                return Unknown(ts.text(node))
            left, right = named
        op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
        if op in ("+", "-", "*", "/", "%"):
            return BinOp(op, expr_of(left), expr_of(right))
        if op == "?:":
            # `System.getenv("T")?.toLong() ?: 3000`: the variable, else the default.
            env = _env_default(expr_of(left), expr_of(right))
            if env is not None:
                return env
            if left.type == "identifier" and _null_default_parameter(left):
                # `fun spec(retries: Long? = null) = backoff(retries ?: this.retries)`: a call that leaves
                # the parameter out gets the right side
                return expr_of(right)
            return Call("coalesce", (expr_of(left), expr_of(right)))
        return Unknown(ts.text(node))
    if t == "index_expression" and node.named_child_count == 2:
        # `System.getenv()["T"]`: the process environment read by key.
        base, key = node.named_children
        var = string_of(key)
        if var and ts.text(base).replace(" ", "") in ("System.getenv()", "getenv()"):
            return Env(var, None)
        return Unknown(ts.text(node))
    if t == "call_expression":
        duration = duration_of(node)
        if duration is not None:
            return _scaled(*duration)
        call = KCall.of(node)
        if call is not None:
            if call.name in _NUMBER_PARSES and not call.args and call.receiver is not None:
                inner = expr_of(call.receiver)
                if isinstance(inner, Env):
                    # an environment value is text: parsed here (`getenv("T")?.toLong()`)
                    return Call(_NUMBER_PARSES[call.name], (inner,))
                if not call.name.endswith("OrNull"):
                    return inner
            if call.name == "toMillis" and len(call.args) == 1 and call.receiver is not None \
                    and unit_of(call.receiver) is not None:
                # `TimeUnit.SECONDS.toMillis(n)`: n of that unit in ms
                return _scaled(expr_of(call.args[0]), unit_of(call.receiver))
            if call.name in ("inWholeMilliseconds", "toMillis", "toJavaDuration", "millis", "getMillis") \
                    and call.receiver is not None and not call.args:
                return expr_of(call.receiver)
            setting = setting_read(call)
            if setting is not None:
                return setting
            if call.name == "toSeconds" and not call.args and call.receiver is not None:
                # `ONE_MINUTE.toSeconds()` on a java.time.Duration (held in ms here): whole seconds
                inner = expr_of(call.receiver)
                return BinOp("//", inner, Num(1000.0)) if not isinstance(inner, Unknown) else inner
            if call.name == "getenv" and call.args:
                var = string_of(call.args[0])
                if var:
                    return Env(var, None)
            hocon = _hocon_read(call)
            if hocon is not None:
                return hocon
            if call.name in ("getRequiredProperty", "getProperty") and call.args and call.receiver is not None \
                    and re.search(r"env", ts.text(call.receiver).rsplit(".", 1)[-1], re.IGNORECASE):
                # Spring's `environment.getRequiredProperty("risk.endpoint.timeout", Duration::class.java)`: the key
                # as the service's configuration sets it (`getProperty("k", 3)`: else the default)
                key = string_of(call.args[0])
                if key:
                    if call.name == "getProperty" and len(call.args) > 1 and call.args[1].type == "number_literal":
                        return Call("coalesce", (Ref(key), expr_of(call.args[1])))
                    return Ref(key)
            if not call.args and call.lambda_ is None and _GETTER.search(call.name) and (
                    call.receiver is None or call.receiver.type == "identifier" and ts.text(call.receiver)[:1].isupper()):
                # `HTTPVariables.getHTTPReadTimeout()`: what that object's getter returns (published by its file)
                prefix = f"{ts.text(call.receiver)}." if call.receiver is not None else ""
                return Ref(f"{prefix}{call.name}()")
        return Unknown(ts.text(node))
    return Unknown(ts.text(node))


_HOCON_READS = frozenset({"property", "propertyOrNull", "getDuration", "getLong", "getInt", "getString",
                          "getNumber", "getMilliseconds", "tryGetString"})


def _read_call(node: ts.Node) -> bool:
    """``config.getLong(K)`` / ``env("T").toLong()``: a call that reads a number (round 14: its ``.milliseconds``
    is that many ms)."""
    call = KCall.of(node)
    return call is not None and call.receiver is not None and (call.name in _HOCON_READS or call.name in _NUMBER_PARSES)


def _file_string_const(node: ts.Node, name: str) -> str | None:
    """The text of ``const val NAME = "text"`` anywhere in the file around ``node``."""
    root = node
    for root in ts.ancestors(node):
        pass
    for prop in ts.walk(root):
        if prop.type != "property_declaration" or not prop.named_children:
            continue
        decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
        init = prop.named_children[-1]
        if decl is not None and init.type == "string_literal" and ts.text(decl).split(":")[0].strip() == name \
                and "const" in ts.text(prop).split("val", 1)[0]:
            return string_of(init)
    return None


def _config_subtree(node: ts.Node, name: str) -> str | None:
    """Round 14 (ort-server, the round-13 request): ``val httpClientConfig = if (config.hasPath(CONFIG_PATH))
    config.getConfig(CONFIG_PATH) else config`` (or a plain ``config.getConfig("httpClient")``): the path the
    local's reads sit under (``httpClient``), the key given in place or by a ``const val`` of the file."""
    init = local_value(node, name)
    if init is None:
        return None
    for inner in ts.walk(init):
        if inner.type != "call_expression":
            continue
        call = KCall.of(inner)
        if call is None or call.name != "getConfig" or len(call.args) != 1 or call.receiver is None:
            continue
        arg = call.args[0]
        path = string_of(arg) if arg.type == "string_literal" else (
            _file_string_const(arg, ts.text(arg)) if arg.type == "identifier" else None)
        return path or None
    return None


def _hocon_read(call: "KCall") -> Expr | None:
    """Round 13 (the round-12 HOCON request): a setting read from the service's HOCON / Ktor configuration by
    key -- Ktor ``environment.config.property("app.client.timeout").getString()`` / ``propertyOrNull(..)?.getString()``,
    Typesafe Config ``config.getDuration("app.timeout")`` / ``getLong`` / ``getInt`` -- as the key (``Ref``), which
    the service's configuration files answer; ``.getString()`` on such a read is the read itself. Only on a
    receiver named for a configuration (``config``, ``conf``, ``environment.config``)."""
    if call.receiver is None:
        return None
    recv = ts.text(call.receiver).replace(" ", "").replace("\n", "").rstrip("?!")
    if call.name in ("getString", "getInt", "getLong") and not call.args and call.receiver.type == "call_expression":
        inner = KCall.of(call.receiver)
        if inner is not None and inner.name in ("property", "propertyOrNull"):
            return _hocon_read(inner)  # `config.property("k").getString()`
        return None
    if call.name in _HOCON_READS and len(call.args) == 1 and call.args[0].type == "identifier" \
            and call.receiver.type == "identifier":
        # round 14: `httpClientConfig.getLong(CONNECT_TIMEOUT_PROPERTY)` under `config.getConfig(CONFIG_PATH)`
        prefix = _config_subtree(call.node, recv)
        key = _file_string_const(call.node, ts.text(call.args[0])) if prefix else None
        return Ref(f"{prefix}.{key}") if key else None
    if call.name not in _HOCON_READS or len(call.args) != 1 or call.args[0].type != "string_literal":
        return None
    if not re.search(r"(^|\.)(config|conf|configuration|appConfig|applicationConfig)$", recv, re.IGNORECASE):
        return None
    key = string_of(call.args[0])
    return Ref(key) if key and "." in key else None


# A getter named for a timeout or a bound (`getHTTPReadTimeout`, `defaultRetries`, `maxAttempts`).
_GETTER = re.compile(r"[tT]imeout|[dD]eadline|[rR]etries|[rR]etry[A-Z]|[aA]ttempts|[mM]axTries")

_NUMBER_PARSES = {"toLong": "int", "toInt": "int", "toDouble": "float", "toLongOrNull": "int", "toIntOrNull": "int",
                  "toDoubleOrNull": "float"}


def _null_default_parameter(ident: ts.Node) -> bool:
    """Is ``ident`` a parameter of the enclosing function declared ``= null``?"""
    default = parameter_default(ident, ts.text(ident))
    return default is not None and ts.text(default) == "null"


def _env_default(value: Expr, default: Expr) -> Expr | None:
    """``Env(T)`` / ``int(Env(T))`` with the elvis default folded in; None for anything else."""
    if isinstance(value, Env) and value.default is None:
        return Env(value.var, default)
    if isinstance(value, Call) and len(value.args) == 1 and isinstance(value.args[0], Env) \
            and value.args[0].default is None:
        return Call(value.func, (Env(value.args[0].var, default),))
    return None


def _template(node: ts.Node) -> Expr:
    """``"$base/score"`` -> BinOp("+", Ref(base), Str("/score"))."""
    expr: Expr | None = None
    for part in string_parts(node):
        if expr is None:
            expr = part
        elif isinstance(expr, Str) and isinstance(part, Str):
            expr = Str(expr.value + part.value)
        else:
            expr = BinOp("+", expr, part)
    return expr if expr is not None else Str("")


def _scaled(value: Expr, scale: float) -> Expr:
    return value if scale == 1.0 else BinOp("*", value, Num(scale))


def duration_of(node: ts.Node) -> tuple[Expr, float] | None:
    """``Duration.ofSeconds(2)``, ``2.seconds``, ``500.milliseconds``, ``Duration.of(5, ChronoUnit.SECONDS)``."""
    if node.type == "navigation_expression":
        receiver, name = nav_parts(node)
        if name in KOTLIN_DURATION_PROPS and receiver is not None and (receiver.type in (
                "number_literal", "identifier", "parenthesized_expression", "navigation_expression")
                or receiver.type == "call_expression" and _read_call(receiver)):
            if receiver.type == "navigation_expression" and duration_of(receiver) is not None:
                return None
            return expr_of(receiver), KOTLIN_DURATION_PROPS[name]
        return None
    if node.type != "call_expression":
        return None
    call = KCall.of(node)
    if call is not None and call.receiver is None and call.name in DURATION_FACTORIES and len(call.args) == 1:
        return expr_of(call.args[0]), DURATION_FACTORIES[call.name]  # `import java.time.Duration.ofSeconds`
    if call is not None and call.name == "TimeValue" and call.receiver is None and not call.named_args:
        # OpenSearch / Elasticsearch `TimeValue(5, TimeUnit.MINUTES)`, `TimeValue(500)` (ms)
        if len(call.args) == 2 and unit_of(call.args[1]) is not None:
            return expr_of(call.args[0]), unit_of(call.args[1])
        if len(call.args) == 1:
            return expr_of(call.args[0]), 1.0
        return None
    if call is not None and call.name in TIME_VALUE_FACTORIES and len(call.args) == 1 \
            and (call.receiver is None or ts.text(call.receiver).rsplit(".", 1)[-1] == "TimeValue"):
        return expr_of(call.args[0]), TIME_VALUE_FACTORIES[call.name]  # `TimeValue.timeValueSeconds(30)`
    if call is None or call.receiver is None:
        return None
    if call.name in ("toJavaDuration", "toKotlinDuration") and not call.args:
        return duration_of(call.receiver)  # 1.minutes.toJavaDuration(), Duration.ofSeconds(2).toKotlinDuration()
    owner = ts.text(call.receiver).rsplit(".", 1)[-1]
    if owner not in ("Duration", "Timeout"):
        return None
    if call.name in DURATION_FACTORIES and call.args:
        return expr_of(call.args[0]), DURATION_FACTORIES[call.name]
    if call.name == "of" and len(call.args) == 2:
        unit = unit_of(call.args[1])
        if unit is not None:
            return expr_of(call.args[0]), unit
    if owner == "Timeout" and call.name == "of" and len(call.args) == 1 and call.args[0].type == "call_expression":
        # Apache HttpClient 5 `Timeout.of(Duration.ofSeconds(10))` (round 17, helse-spesialist): the Duration it wraps
        return duration_of(call.args[0])
    return None


# OpenSearch / Elasticsearch `TimeValue.timeValueSeconds(30)` and friends -> ms per unit.
TIME_VALUE_FACTORIES = {"timeValueNanos": 0.000001, "timeValueMillis": 1.0, "timeValueSeconds": 1000.0,
                        "timeValueMinutes": 60000.0, "timeValueHours": 3600000.0, "timeValueDays": 86400000.0}
# OpenSearch / Elasticsearch settings declared with their default: `Setting.positiveTimeSetting("k", default, ..)`.
_SETTING_FACTORY = re.compile(r"^(?:positive)?(?:time|int|long|bytesize|double|float|bool)setting$")


def setting_default(node: ts.Node) -> ts.Node | None:
    """The default argument of an OpenSearch / Elasticsearch setting declaration
    (``Setting.positiveTimeSetting("plugins.x.timeout", TimeValue.timeValueSeconds(30), ..)``; the default
    may be another setting it falls back to); None for anything else."""
    if node.type != "call_expression":
        return None
    call = KCall.of(node)
    if call is None or call.receiver is None or ts.text(call.receiver).rsplit(".", 1)[-1] != "Setting" \
            or not _SETTING_FACTORY.match(call.name.lower()) or len(call.args) < 2:
        return None
    return call.args[1]


def setting_read(call: "KCall") -> Expr | None:
    """A setting read at its use: ``AlertingSettings.INDEX_TIMEOUT.get(settings)`` or
    ``clusterService.clusterSettings.get(REQUEST_TIMEOUT)`` -> Ref to the setting (its default)."""
    if call.name != "get" or len(call.args) != 1 or call.receiver is None:
        return None
    recv = ts.text(call.receiver).replace(" ", "").replace("\n", "").replace("!!", "")
    last = recv.rsplit(".", 1)[-1]
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", last) and all(c.type in ("identifier", "navigation_expression")
                                                       for c in ts.walk(call.receiver) if c.is_named):
        return Ref(recv)
    arg = call.args[0]
    if last == "clusterSettings" and arg.type in ("identifier", "navigation_expression") \
            and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(arg).rsplit(".", 1)[-1]):
        return Ref(ts.text(arg).replace(" ", ""))
    return None


def unit_of(node: ts.Node) -> float | None:
    last = ts.text(node).rsplit(".", 1)[-1].strip()
    if node.type in ("navigation_expression", "identifier") and last in UNIT_CONSTANTS:
        return UNIT_CONSTANTS[last]
    return None


# A java.time.Duration's whole units (`d.seconds` = getSeconds(), `d.toSeconds()`, `d.toMinutes()`), in ms per unit
_DURATION_WHOLE_UNITS = {"seconds": 1000.0, "toSeconds": 1000.0, "toMinutes": 60000.0, "toHours": 3600000.0}


def _whole_units_of_duration(node: ts.Node, unit: float) -> Expr | None:
    """Round 17 (round-16 request, mongo-migration-stream): ``connectTimeout(props.timeouts.connectTimeout.seconds
    .toInt(), SECONDS)``: next to a TimeUnit the number is a java.time.Duration's whole seconds (a Kotlin
    ``Int.seconds`` is a Duration, no number), so the value is the Duration itself (held in ms here) when the unit
    matches the one it was cut to. Only property paths (``a.b.c.seconds``), not number literals."""
    while node.type == "call_expression":
        call = KCall.of(node)
        if call is None or call.receiver is None or call.args:
            return None
        if call.name in ("toInt", "toLong"):
            node = call.receiver
            continue
        if _DURATION_WHOLE_UNITS.get(call.name) == unit:
            receiver = call.receiver
            break
        return None
    else:
        if node.type != "navigation_expression":
            return None
        receiver, name = nav_parts(node)
        if receiver is None or _DURATION_WHOLE_UNITS.get(name) != unit or name != "seconds":
            return None
    if receiver is None or receiver.type not in ("navigation_expression", "identifier") \
            or not all(c.type in ("identifier", "navigation_expression") for c in ts.walk(receiver) if c.is_named):
        return None  # (round 18, airbyte: `waitUntilCondition(.., waitDuration.toMinutes(), TimeUnit.MINUTES)`, a
        # Duration parameter cut to its minutes)
    return expr_of(receiver)


def timeout_value(args: list[ts.Node], int_scale: float = 1.0) -> tuple[Expr, float, str] | None:
    if not args:
        return None
    first = args[0]
    if len(args) >= 2:
        unit = unit_of(args[1])
        if unit is not None:
            whole = _whole_units_of_duration(first, unit)
            if whole is not None:
                return whole, 1.0, f"{ts.text(first)}, {ts.text(args[1])}"
            return expr_of(first), unit, f"{ts.text(first)}, {ts.text(args[1])}"
    duration = duration_of(first)
    if duration is None and first.type == "identifier":
        # `val timeout = 30.seconds` earlier in the same function, or a property of the class around
        # (`val timeout: Duration = Duration.ofSeconds(30)`): a Duration, not a number of ms.
        local = local_value(first, ts.text(first))
        if local is None:
            member = member_value(first, ts.text(first))
            local = member if member is not None and duration_of(member) is not None else None
        if local is not None:
            duration = duration_of(local)
    if duration is not None:
        return duration[0], duration[1], ts.text(first)
    if first.type == "null" or ts.text(first) == "null":
        return None
    return expr_of(first), int_scale, ts.text(first)


def local_value(use: ts.Node, name: str) -> ts.Node | None:
    """The initializer of ``val name = ...`` declared before ``use`` in the innermost function
    around it (not in a nested function); None when there is none or it is reassigned (``var``)."""
    scope = next((a for a in ts.ancestors(use) if a.type == "function_declaration"), None)
    if scope is None:
        return None
    found = None
    for node in ts.walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type != "property_declaration" or not any(c.type == "val" for c in node.children):
            continue
        decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
        value = node.named_children[-1] if node.named_children else None
        multi = next((c for c in node.named_children if c.type == "multi_variable_declaration"), None)
        if multi is not None and value is not None:
            component = _destructured_component(multi, value, name)
            found = component if component is not None else found
            continue
        if decl is None or value is None or value == decl:
            continue
        ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None)
        if ident is not None and ts.text(ident) == name:
            found = value
    return found


def _destructured_component(multi: ts.Node, value: ts.Node, name: str) -> ts.Node | None:
    """``val (attempts, wait) = Pair(5, Duration.ofMillis(200))`` / ``= 5 to 200L`` / ``= Triple(..)``: the
    initializer's component at ``name``'s position (round 11 request: a resilience4j ``maxAttempts(attempts)``)."""
    names = [ts.text(next((c for c in d.named_children if c.type in ("identifier", "simple_identifier")), d))
             for d in multi.named_children if d.type == "variable_declaration"]
    if name not in names:
        return None
    index = names.index(name)
    parts: list[ts.Node] = []
    if value.type == "infix_expression" and len(value.named_children) == 3 \
            and ts.text(value.named_children[1]) == "to":
        parts = [value.named_children[0], value.named_children[2]]
    elif value.type == "call_expression":
        call = KCall.of(value)
        if call is not None and call.receiver is None and call.name in ("Pair", "Triple") and not call.named_args:
            parts = list(call.args)
    return parts[index] if index < len(parts) else None


def member_value(use: ts.Node, name: str) -> ts.Node | None:
    """The initializer of ``private val name = ...`` declared in the body of the class (or object)
    around ``use``; None when there is none, or when it is a ``var`` (it may change)."""
    body = next((a for a in ts.ancestors(use) if a.type == "class_body"), None)
    if body is None:
        return None
    for node in body.named_children:
        if node.type != "property_declaration":
            continue
        decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
        ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None) \
            if decl is not None else None
        if ident is None or ts.text(ident) != name:
            continue
        value = node.named_children[-1]
        if not any(c.type == "val" for c in node.children) or value == decl or not any(c.type == "=" for c in node.children):
            return None
        return value
    return None


def parameter_default(use: ts.Node, name: str) -> ts.Node | None:
    """The default of the parameter ``name`` of the function, or of the primary constructor of the
    class, around ``use`` (``timeOut: Duration = 15.seconds`` -> ``15.seconds``); None when the
    nearest such parameter has no default or there is none."""
    for parent in ts.ancestors(use):
        params = None
        if parent.type == "function_declaration":
            params = next((c for c in parent.named_children if c.type == "function_value_parameters"), None)
        elif parent.type == "class_declaration":
            ctor = next((c for c in parent.named_children if c.type == "primary_constructor"), None)
            params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
        children = params.children if params is not None else []
        for i, param in enumerate(children):
            if param.type not in ("parameter", "class_parameter"):
                continue
            ident = next((c for c in param.named_children if c.type == "identifier"), None)
            if ident is None or ts.text(ident) != name:
                continue
            if param.type == "class_parameter":
                return param.named_children[-1] if any(c.type == "=" for c in param.children) else None
            # a function's default follows its `parameter` node: `parameter = expression`
            if i + 2 < len(children) and children[i + 1].type == "=":
                return children[i + 2]
            return None
    return None


@dataclass
class KCall:
    """A call with its trailing lambda folded in: ``client.post(url) { timeout { } }``."""

    node: ts.Node  # the outermost call_expression (includes the trailing lambda)
    name: str
    name_node: ts.Node
    receiver: ts.Node | None
    args: list[ts.Node]
    named_args: dict[str, ts.Node]
    lambda_: ts.Node | None

    @classmethod
    def of(cls, node: ts.Node) -> "KCall | None":
        named = node.named_children
        if not named:
            return None
        callee = named[0]
        value_args = next((c for c in named[1:] if c.type == "value_arguments"), None)
        annotated = next((c for c in named[1:] if c.type == "annotated_lambda"), None)
        lam = None
        if annotated is not None:
            lam = next((c for c in annotated.named_children if c.type == "lambda_literal"), None)
        if callee.type == "call_expression" and value_args is None and annotated is not None:
            inner = cls.of(callee)
            if inner is None:
                return None
            return cls(node, inner.name, inner.name_node, inner.receiver, inner.args, inner.named_args, lam)
        args: list[ts.Node] = []
        named_args: dict[str, ts.Node] = {}
        if value_args is not None:
            for va in value_args.named_children:
                if va.type != "value_argument":
                    continue
                parts = va.named_children
                if not parts:
                    continue
                # (by offset: in `timeout = timeout` the value's text also starts the argument)
                if len(parts) >= 2 and parts[0].type == "identifier" \
                        and "=" in ts.text(va)[parts[0].end_byte - va.start_byte:parts[1].start_byte - va.start_byte]:
                    named_args[ts.text(parts[0])] = parts[-1]
                else:
                    args.append(parts[-1])
        if callee.type == "identifier":
            return cls(node, ts.text(callee), callee, None, args, named_args, lam)
        if node.type == "constructor_invocation" and callee.type == "user_type" and value_args is not None:
            # round 17 (helse-spesialist): `class S : DefaultHttpRequestRetryStrategy(5, ..)`, the superclass's
            # constructor called with the subclass's values (a type argument list is not the name)
            ident = [c for c in callee.named_children if c.type in ("identifier", "type_identifier")]
            if ident:
                return cls(node, ts.text(ident[-1]), ident[-1], None, args, named_args, None)
            return None
        if callee.type == "navigation_expression":
            receiver, _ = nav_parts(callee)
            return cls(node, ts.text(callee.named_children[-1]), callee.named_children[-1], receiver, args, named_args, lam)
        return None

    def arg(self, name: str, position: int | None = None) -> ts.Node | None:
        if name in self.named_args:
            return self.named_args[name]
        if position is not None and position < len(self.args):
            return self.args[position]
        return None


def is_folded_inner(node: ts.Node) -> bool:
    """The inner ``f(x)`` of ``f(x) { ... }``: the outer call carries it."""
    parent = node.parent
    if parent is None or parent.type != "call_expression" or not parent.named_children:
        return False
    return parent.named_children[0] == node and any(c.type == "annotated_lambda" for c in parent.named_children) \
        and not any(c.type == "value_arguments" for c in parent.named_children)


def chain(call: KCall) -> list[KCall]:
    """Calls of a receiver chain, innermost first, ending with ``call``."""
    items = [call]
    current = call
    while current.receiver is not None and current.receiver.type == "call_expression" and len(items) < 64:
        inner = KCall.of(current.receiver)
        if inner is None:
            break
        items.append(inner)
        current = inner
    items.reverse()
    return items


def chain_root_text(call: KCall) -> str:
    first = chain(call)[0]
    return ts.text(first.node) if first.lambda_ is None else first.name


def chain_top(node: ts.Node) -> ts.Node:
    current = node
    while True:
        parent = current.parent
        if parent is not None and parent.type == "navigation_expression" and parent.named_children \
                and parent.named_children[0] == current and parent.parent is not None \
                and parent.parent.type == "call_expression":
            current = parent.parent
            continue
        return current


def annotation_parts(node: ts.Node) -> tuple[str, dict[str, ts.Node]]:
    """``@Retry(name = "x")`` -> ("Retry", {"name": node}); positional first argument is "value"."""
    inv = next((c for c in node.named_children if c.type == "constructor_invocation"), None)
    if inv is None:
        user = next((c for c in node.named_children if c.type == "user_type"), None)
        return (ts.text(user).rsplit(".", 1)[-1] if user is not None else ""), {}
    user = next((c for c in inv.named_children if c.type == "user_type"), None)
    args: dict[str, ts.Node] = {}
    va_list = next((c for c in inv.named_children if c.type == "value_arguments"), None)
    if va_list is not None:
        for va in va_list.named_children:
            parts = va.named_children
            if len(parts) >= 2 and parts[0].type == "identifier":
                args[ts.text(parts[0])] = parts[-1]
            elif parts:
                args.setdefault("value", parts[-1])
    return (ts.text(user).rsplit(".", 1)[-1] if user is not None else ""), args


def function_annotations(fn: ts.Node) -> list[ts.Node]:
    mods = next((c for c in fn.named_children if c.type == "modifiers"), None)
    return [c for c in mods.named_children if c.type == "annotation"] if mods is not None else []


# Modifiers that may follow the soft keyword `open` when it is one.
_OPEN_MODIFIER = re.compile(rb"\bopen\b(?!\s+(?:class|fun|val|var|override|suspend|inner|operator|infix|inline|"
                            rb"internal|protected|public|private|lateinit|abstract|data|enum|sealed|annotation|"
                            rb"tailrec|external|const|interface|object|value)\b)")


def _config_backed(expr: Expr, symbols: dict, depth: int = 0) -> bool:
    """Whether a value settled here came from a Spring placeholder's default (``@Value("${api.timeout:20s}")``:
    ``coalesce(Ref("api.timeout"), 20000)``): the service's config may set the property."""
    if depth > 4:
        return False
    if isinstance(expr, Call):
        if expr.func == "coalesce" and expr.args and isinstance(expr.args[0], Ref) and "." in expr.args[0].name \
                and expr.args[0].name[:1].islower() and expr.args[0].name not in symbols:
            return True
        return any(_config_backed(a, symbols, depth + 1) for a in expr.args)
    if isinstance(expr, BinOp):
        return _config_backed(expr.left, symbols, depth + 1) or _config_backed(expr.right, symbols, depth + 1)
    if isinstance(expr, Ref) and expr.name in symbols:
        return _config_backed(symbols[expr.name], symbols, depth + 1)
    return False


class EnvDefaultSink:
    """The shared JVM sink, except that a timeout settled here from an environment variable's default
    (``System.getenv("T")?.toLong() ?: 3000``, resolved_from "env_default") keeps its expression as a
    Pending too: the pipeline evaluates it again with the environment a deployment file (compose,
    ``.env``, a Kubernetes container) gives the service, and keeps the default when none sets it."""

    def __init__(self, sink: FindingSink, symbols: dict | None = None) -> None:
        self._sink = sink
        self._symbols = symbols if symbols is not None else {}

    def __getattr__(self, name: str):
        return getattr(self._sink, name)

    def timeout(self, loc, detector: str, phase: str, expr: Expr, scale: float, *args, **kwargs):
        if isinstance(expr, BinOp) and expr.op in ("//", "/") and isinstance(expr.left, Ref) \
                and "." not in expr.left.name and expr.right == Num(1000.0) and scale == 1000.0:
            # `ReadTimeoutHandler(readTimeout.toSeconds().toInt())`: the name itself, in ms (a helper's
            # parameter stays its parameter: a forwarder, its callers hold the value)
            expr, scale = expr.left, 1.0
        finding = self._sink.timeout(loc, detector, phase, expr, scale, *args, **kwargs)
        if finding.kind == "timeout" and (finding.attributes.get("resolved_from") == "env_default"
                                          or _config_backed(expr, self._symbols)) \
                and not any(p.attribute == "timeout_ms" for p in finding.pending):
            kept = replace(finding, pending=(Pending("timeout_ms", expr, scale), *finding.pending))
            findings = self._sink.findings
            for i in range(len(findings) - 1, -1, -1):
                if findings[i] is finding:
                    findings[i] = kept
                    break
            return kept
        return finding


def parse_kotlin(data: bytes) -> ts.Tree:
    """tree-sitter-kotlin reads a property named ``open`` (``if (open) return``) as the start of a
    declaration and loses the rest of the class; when the file does not parse and uses such a name,
    it is parsed again with those ``open``s spelled ``oPen`` (same length: lines and columns hold).
    Likewise, in turn, ``suspend { }`` lambdas and ``when`` guards (``is X if cond ->``)."""
    tree = ts.parse(GRAMMAR, data)
    if not tree.root_node.has_error:
        data, tree = _delegated_class_bodies(data, tree)
        return _generic_calls(data, _stacked_annotations(data, tree))
    current = data
    for needle, rewrite in _REWRITES:
        if needle not in current:
            continue
        renamed = rewrite(current)
        if renamed == current:
            continue
        current = renamed
        retry = ts.parse(GRAMMAR, current)
        if not retry.root_node.has_error:
            return retry
    return tree


_GENERIC_CALL = re.compile(rb"[\w)]<[A-Z][\w.?, <>*]*>\(")
_GENERIC_TEXT = re.compile(r"^[\w.]+<[A-Z][\w.?, <>*]*>\(")


def _generic_calls(data: bytes, tree: ts.Tree) -> ts.Tree:
    """``val policy = Schedule.recurs<Throwable>(3)``: a call with type arguments standing alone (an
    initializer, an expression body) is read by the grammar as ``(a < T) > (3)``, two comparisons. The type
    arguments of such reads are blanked with spaces of the same length and the file parsed again (lines and
    columns hold); the first tree is kept when that does not parse."""
    try:
        if not _GENERIC_CALL.search(data):
            return tree
        buf = bytearray(data)
        changed = False
        for node in ts.walk(tree.root_node):
            if node.type != "binary_expression" or len(node.named_children) != 2 \
                    or node.named_children[-1].type != "parenthesized_expression" \
                    or node.named_children[0].type != "binary_expression":
                continue
            text = ts.text(node)
            m = _GENERIC_TEXT.match(text)
            if m is None:
                continue
            start = node.start_byte + len(text[:m.end()].encode()) - 1  # the "(" after ">"
            lt = node.start_byte + len(text[:text.index("<")].encode())
            buf[lt:start] = b" " * (start - lt)
            changed = True
        if not changed:
            return tree
        retry = ts.parse(GRAMMAR, bytes(buf))
        return tree if retry.root_node.has_error else retry
    except Exception:  # noqa: BLE001 - a file we cannot re-read keeps its first tree
        return tree


def _delegated_class_bodies(data: bytes, tree: ts.Tree) -> tuple[bytes, ts.Tree]:
    """Round 13 (opensearch cross-cluster-replication): ``class R(..) : Repository, CoroutineScope by GlobalScope {
    .. }``: the grammar reads the class body as a trailing lambda of the delegate (``GlobalScope { .. }``), so
    the class has no body and its companion's constants are lost. The ``by <delegate>`` text of such a class
    is blanked with spaces of the same length (it holds no contract) and the file parsed again (lines and
    columns hold); the first tree is kept when that does not parse or still gives no body."""
    try:
        if b" by " not in data:
            return data, tree
        buf = bytearray(data)
        changed = False
        for cls in ts.walk(tree.root_node):
            if cls.type not in ("class_declaration", "object_declaration") \
                    or any(c.type in ("class_body", "enum_class_body") for c in cls.named_children):
                continue
            specs = next((c for c in cls.named_children if c.type == "delegation_specifiers"), None)
            last = specs.named_children[-1] if specs is not None and specs.named_children else None
            deleg = next((c for c in last.named_children if c.type == "explicit_delegation"), None) \
                if last is not None else None
            call = deleg.named_children[-1] if deleg is not None and deleg.named_children else None
            if call is None or call.type != "call_expression" or not call.named_children \
                    or call.named_children[-1].type != "annotated_lambda":
                continue
            by = next((c for c in deleg.children if c.type == "by"), None)
            body = call.named_children[-1]
            if by is None:
                continue
            buf[by.start_byte:body.start_byte] = bytes(b if b in b"\r\n" else 32 for b in data[by.start_byte:body.start_byte])
            changed = True
        if not changed:
            return data, tree
        retry = ts.parse(GRAMMAR, bytes(buf))
        if retry.root_node.has_error:
            return data, tree
        return bytes(buf), retry
    except Exception:  # noqa: BLE001 - a file we cannot re-read keeps its first tree
        return data, tree


def _stacked_annotations(data: bytes, tree: ts.Tree) -> ts.Tree:
    """``@ConfigurationProperties(prefix = "x")\n@Component\nclass S { .. }`` followed by another
    declaration: the grammar reads the annotated class as an expression (``class S { }`` an infix call
    with a lambda) without an error. The class's annotations but one (``@ConfigurationProperties``, else
    the first) are blanked with spaces of the same length and the file parsed again (lines and columns
    hold); the original tree is kept when that does not give a class."""
    try:
        odd = [c for c in tree.root_node.named_children if c.type == "annotated_expression"
               and re.search(rb"(?m)^\s*(data |open |abstract |sealed |enum |private |internal )*(class|object) \w",
                             c.text or b"")]
        if not odd:
            return tree
        buf = bytearray(data)
        for node in odd:
            annotations = [a for a in ts.walk(node) if a.type == "annotation"]
            keep = next((a for a in annotations if b"ConfigurationProperties" in (a.text or b"")), annotations[0]
                        if annotations else None)
            for a in annotations:
                if a is not keep:
                    buf[a.start_byte:a.end_byte] = b" " * (a.end_byte - a.start_byte)
        retry = ts.parse(GRAMMAR, bytes(buf))
        if retry.root_node.has_error or any(c.type == "annotated_expression" for c in retry.root_node.named_children
                                            if c.start_byte in {n.start_byte for n in odd}):
            return tree
        return retry
    except Exception:  # noqa: BLE001 - a file we cannot re-read keeps its first tree
        return tree


# `val payload = suspend { build() }`: the stdlib's suspend-lambda builder, which the grammar reads as
# the modifier; spelled `susPend` (a call of the same length).
_SUSPEND_LAMBDA = re.compile(rb"(?<![\w.])suspend(?=\s*\{)")
# Kotlin 2.1 guards in `when` branches (`is Error if code == 503 ->`), which the grammar does not know:
# the guard is blanked with spaces of the same byte length (lines and columns hold).
_WHEN_GUARD = re.compile(rb"^([ \t]*(?:!?is|!?in)[ \t]+[^\n]*?)([ \t]+if[ \t]+[^\n]*?)(?=[ \t]*->)", re.MULTILINE)

# Kotlin 2.2 multi-dollar strings (`$$"${k:default}"`: `${` is literal text), which the grammar does not
# know: spelled as the classic escaped string of the same length (`$$"${` -> ` "\${`).
_MULTI_DOLLAR = re.compile(rb'\$\$"(\$\{)?')


def _multi_dollar(data: bytes) -> bytes:
    return _MULTI_DOLLAR.sub(lambda m: b' "\\${' if m.group(1) else b'  "', data)


# A statement that starts with a parenthesized name (`(t).let { .. }` as the first line of a `when` branch's
# block), which the grammar reads as the block's lambda parameters: the parentheses become spaces (`  t .let`,
# same length: lines and columns hold).
_PAREN_NAME_STATEMENT = re.compile(rb"(?m)^([ \t]*)\((\w+)\)(?=\.\w)")

_TYPED_ROUTE_CALL = re.compile(rb"(?m)^([ \t]*)(get|set)(?=<[A-Z][\w.?, <>*]*>[ \t]*\{)")
# round 13 (opensearch cross-cluster-replication): `}\n    catch (e: X) {` / `}\n finally {` on a line of its own: the
# grammar wants the clause on the line of the `}`; the line break and indent move after the clause's `{` (same
# length, same lines: only the clause's own header moves up one line)
_HANGING_CLAUSE = re.compile(rb"\}([ \t]*\r?\n[ \t\r\n]*)(catch[ \t]*\([^{}\n]*\)[ \t]*\{|finally[ \t]*\{)")


_REWRITES = (
    (b'$$"', _multi_dollar),
    (b"catch", lambda data: _HANGING_CLAUSE.sub(lambda m: b"}" + m.group(2) + m.group(1), data)),
    (b").", lambda data: _PAREN_NAME_STATEMENT.sub(lambda m: m.group(1) + b" " + m.group(2) + b" ", data)),
    (b"open", lambda data: _OPEN_MODIFIER.sub(b"oPen", data)),
    (b"suspend", lambda data: _SUSPEND_LAMBDA.sub(b"susPend", data)),
    (b" if ", lambda data: _WHEN_GUARD.sub(lambda m: m.group(1) + b" " * len(m.group(2)), data)),
    # round 12 (beatsaver): a Ktor resources route `get<UsersApi.Playlist> { }` on the line after a property
    # (`val f = x.ofPattern("..")`) is read as that property's getter: spelled `gEt` (same length)
    (b"> {", lambda data: _TYPED_ROUTE_CALL.sub(lambda m: m.group(1) + m.group(2)[:1] + m.group(2)[1:2].upper()
                                                + m.group(2)[2:], data)),
)


@dataclass
class KotlinFile(SourceLines):
    path: str
    data: bytes
    tree: ts.Tree
    sink: FindingSink
    package: str | None = None
    imports: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, Expr] = field(default_factory=dict)
    calls: list[KCall] = field(default_factory=list)
    assignments: list[ts.Node] = field(default_factory=list)
    loops: list[ts.Node] = field(default_factory=list)
    annotations: list[ts.Node] = field(default_factory=list)
    strings: list[ts.Node] = field(default_factory=list)
    properties: list[ts.Node] = field(default_factory=list)
    tries: list[ts.Node] = field(default_factory=list)
    # the file's lambda retry helpers (function node id -> tries; kotlin.wrapper_call fills it)
    lambda_helpers: dict[int, int] = field(default_factory=dict)
    _lines: list[bytes] | None = None

    @classmethod
    def parse(cls, path: str, data: bytes, sink: FindingSink) -> "KotlinFile":
        kf = cls(path=path, data=data, tree=parse_kotlin(data), sink=EnvDefaultSink(sink))
        kf.sink._symbols = kf.symbols  # the file's constants, filled below
        kf._header()
        kf._sites()
        kf._constants()
        try:
            kf._getter_constants()
        except Exception:  # noqa: BLE001 - a getter we cannot read costs its value, never the file
            pass
        try:
            kf._init_fallbacks()
        except Exception:  # noqa: BLE001 - an init block we cannot read costs its defaults, never the file
            pass
        try:
            kf._initialized_settings()
        except Exception:  # noqa: BLE001 - an initializer we cannot read costs its settings, never the file
            pass
        try:
            kf._class_defaults()
        except Exception:  # noqa: BLE001 - a settings class we cannot read costs its defaults, never the file
            pass
        return kf

    def _header(self) -> None:
        for child in ts.walk(self.tree.root_node):
            if child.type == "package_header":
                ident = next((c for c in child.named_children if c.type in ("qualified_identifier", "identifier")), None)
                if ident is not None:
                    self.package = ts.text(ident).replace(" ", "")
            elif child.type == "import":
                ident = next((c for c in child.named_children if c.type in ("qualified_identifier", "identifier")), None)
                if ident is None:
                    continue
                name = ts.text(ident).replace(" ", "")
                alias = next((c for c in child.named_children if c.type in ("import_alias", "identifier") and c != ident), None)
                body = ts.text(child)
                if body.rstrip().endswith("*"):
                    continue
                local = ts.text(alias).split()[-1] if alias is not None and " as " in body else name.rsplit(".", 1)[-1]
                # `import a.b.Settings.Companion.TIMEOUT`: a companion's member is published as `Settings.TIMEOUT`
                self.imports[local] = name.replace(".Companion.", ".")
            elif child.type in ("class_declaration", "object_declaration", "function_declaration"):
                break
        from extractors.java.syntax import LIBRARY_CONSTANTS
        for name, (package, value) in LIBRARY_CONSTANTS.items():
            imported = self.imports.get(name.split(".")[0], "")
            if imported.startswith(package) or package == "redis.clients.jedis." and imported.startswith("io.valkey."):
                # `Protocol.DEFAULT_TIMEOUT` of Jedis (or Valkey's fork of it, `io.valkey.Protocol`)
                self.symbols.setdefault(name, value)

    def _sites(self) -> None:
        for name, nodes in ts.captures(query("sites.scm"), self.tree.root_node).items():
            for node in nodes:
                if name == "call":
                    if is_folded_inner(node):
                        continue
                    call = KCall.of(node)
                    if call is not None:
                        self.calls.append(call)
                elif name == "assignment":
                    self.assignments.append(node)
                elif name == "loop":
                    self.loops.append(node)
                elif name == "annotation":
                    self.annotations.append(node)
                elif name == "string":
                    self.strings.append(node)
                elif name == "property":
                    self.properties.append(node)
                elif name == "try":
                    self.tries.append(node)
        # Query captures come in no reliable order: keep every list in source order, so that
        # "the first declaration of a name wins" is deterministic.
        self.calls.sort(key=lambda c: (c.node.start_byte, -c.node.end_byte))
        for nodes in (self.loops, self.annotations, self.assignments, self.strings, self.properties, self.tries):
            nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))

    def _constants(self) -> None:
        for prop in self.properties:
            container = [a for a in ts.ancestors(prop) if a.type in (
                "function_declaration", "lambda_literal", "class_declaration", "object_declaration",
                "companion_object", "anonymous_initializer", "getter", "setter")]
            if container and container[0].type in ("function_declaration", "lambda_literal", "anonymous_initializer",
                                                   "getter", "setter"):
                continue
            decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
            value = prop.named_children[-1] if prop.named_children else None
            if decl is None or value is None or value == decl or value.type in ("variable_declaration", "modifiers"):
                continue
            if not any(c.type == "val" for c in prop.children) and not (
                    container and container[0].type == "class_declaration" and value.type == "call_expression"
                    and KCall.of(value) is not None and setting_read(KCall.of(value)) is not None):
                continue  # a `var` may change (a class's `var` read from a setting starts at the setting's default)
            name = ts.text(next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), decl))
            try:
                expr = self._constant_expr(value)
            except RecursionError:
                continue  # a pathologically deep initializer: skip this constant, keep the file
            if isinstance(expr, Unknown) or isinstance(expr, Ref) and expr.name == name:
                continue
            owner = None
            if container:
                top = container[0]
                if top.type == "companion_object":
                    cls_node = next((a for a in ts.ancestors(top) if a.type == "class_declaration"), None)
                    owner = _name_of(cls_node)
                elif top.type in ("object_declaration", "class_declaration"):
                    owner = _name_of(top)
                if top.type == "class_declaration":
                    if isinstance(expr, Ref) and value.type == "call_expression" and KCall.of(value) is not None \
                            and setting_read(KCall.of(value)) is not None:
                        # `private val requestTimeout = REQUEST_TIMEOUT.get(settings)`: the setting's default
                        self.symbols.setdefault(name, expr)
                    continue  # a class property belongs to instances, not a constant
            self.symbols.setdefault(name, expr)
            if owner:
                self.symbols[f"{owner}.{name}"] = expr
                # round 13 (dwp kafka-to-hbase): `object Config { object Retry { val maxAttempts = .. } }` read as
                # `Config.Retry.maxAttempts`: also published under the enclosing objects' and classes' names
                outer = [_name_of(a) for a in ts.ancestors(container[0]) if a.type in ("object_declaration",
                                                                                     "class_declaration")]
                if container[0].type == "companion_object":
                    outer = outer[1:]  # the companion's class is `owner` already
                if outer and all(outer):
                    self.symbols.setdefault(".".join(reversed(outer)) + f".{owner}.{name}", expr)

    def _getter_constants(self) -> None:
        """``object HTTPVariables { fun getHTTPReadTimeout(): Long = HTTP_READ_TIMEOUT }``: a function without
        parameters, named for a timeout or a bound, that returns one expression: published as
        ``HTTPVariables.getHTTPReadTimeout()`` (what ``expr_of`` makes of a call of it)."""
        for fn in ts.walk(self.tree.root_node):
            if fn.type != "function_declaration":
                continue
            name = _name_of(fn)
            params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
            body = next((c for c in fn.named_children if c.type == "function_body"), None)
            if not name or not _GETTER.search(name) or params is None or params.named_children or body is None \
                    or not body.named_children:
                continue
            inner = body.named_children[0]
            if inner.type == "block":
                statements = inner.named_children
                if len(statements) != 1 or statements[0].type not in ("jump_expression", "return_expression") \
                        or not statements[0].named_children:
                    continue
                inner = statements[0].named_children[-1]
            container = next((a for a in ts.ancestors(fn) if a.type in (
                "function_declaration", "lambda_literal", "class_declaration", "object_declaration",
                "companion_object")), None)
            if container is not None and container.type in ("function_declaration", "lambda_literal",
                                                            "class_declaration"):
                continue  # a local function or an instance's member: not a value of the type
            try:
                expr = self._constant_expr(inner)
            except RecursionError:
                continue
            if isinstance(expr, Unknown):
                continue
            owner = None
            if container is not None and container.type == "companion_object":
                owner = _name_of(next((a for a in ts.ancestors(container) if a.type == "class_declaration"), None))
            elif container is not None:
                owner = _name_of(container)
            self.symbols.setdefault(f"{name}()", expr)
            if owner:
                self.symbols.setdefault(f"{owner}.{name}()", expr)

    def _init_fallbacks(self) -> None:
        """``object PluginSettings { var connectionTimeout: Int; init { connectionTimeout =
        (settings?.get(KEY)?.toInt()) ?: DEFAULT_CONNECTION_TIMEOUT } }``: a property of an object (or a
        companion) that its own ``init`` block sets to a configured value with a fallback holds the fallback
        unless configured (as an env lookup with a default does). Published as ``PluginSettings.connectionTimeout``
        (and the bare name), for a property declared in that object; the first such assignment wins."""
        for init in ts.walk(self.tree.root_node):
            if init.type != "anonymous_initializer":
                continue
            holder = next((a for a in ts.ancestors(init) if a.type in ("object_declaration", "companion_object",
                                                                        "class_declaration")), None)
            if holder is None or holder.type == "class_declaration":
                continue  # a class's init runs per instance, on its constructor's values
            owner = _name_of(holder) if holder.type == "object_declaration" else _name_of(
                next((a for a in ts.ancestors(holder) if a.type == "class_declaration"), None))
            declared = {ts.text(i) for prop in ts.walk(holder) if prop.type == "property_declaration"
                        and next((a for a in ts.ancestors(prop) if a.type in (
                            "object_declaration", "companion_object", "class_declaration", "function_declaration",
                            "anonymous_initializer", "lambda_literal")), None) == holder
                        for d in prop.named_children if d.type == "variable_declaration"
                        for i in d.named_children if i.type in ("identifier", "simple_identifier")}
            for assign in ts.walk(init):
                if assign.type != "assignment" or len(assign.named_children) < 2:
                    continue
                left, right = assign.named_children[0], assign.named_children[-1]
                name = ts.text(left).replace(" ", "").removeprefix("this.")
                if name not in declared or right.type not in ("binary_expression", "elvis_expression") \
                        or len(right.named_children) < 2 or not any(c.type == "?:" for c in right.children):
                    continue
                fallback = right.named_children[-1]
                if fallback.type not in ("identifier", "navigation_expression", "number_literal", "call_expression",
                                         "parenthesized_expression", "multiplicative_expression"):
                    continue
                expr = self._constant_expr(fallback)
                if isinstance(expr, Ref) and isinstance(self.symbols.get(expr.name), Num):
                    expr = self.symbols[expr.name]
                if isinstance(expr, Unknown) or isinstance(expr, Str):
                    continue
                if owner:
                    self.symbols.setdefault(f"{owner}.{name}", expr)
                self.symbols.setdefault(name, expr)

    def _initialized_settings(self) -> None:
        """``init { this.indexTimeout = AlertingSettings.INDEX_TIMEOUT.get(settings) }`` (or in an
        ``initialize(..)`` method): a field set from a setting holds the setting's default."""
        for node in [self.tree.root_node]:
            for assign in ts.walk(node):
                if assign.type != "assignment" or len(assign.named_children) < 2:
                    continue
                left, right = assign.named_children[0], assign.named_children[-1]
                name = ts.text(left).replace(" ", "").removeprefix("this.")
                call = KCall.of(right) if right.type == "call_expression" else None
                read = setting_read(call) if call is not None else None
                if read is None:
                    continue
                if re.fullmatch(r"[a-z]\w*", name):
                    self.symbols.setdefault(name, read)
                elif re.fullmatch(r"[a-z]\w*\.[a-z]\w*", name):
                    # `monitorCtx.indexTimeout = INDEX_TIMEOUT.get(settings)` with `monitorCtx: RunnerContext`:
                    # that class's field starts at the setting's default
                    head, _, field_name = name.partition(".")
                    owner = declared_type(left, head)
                    if owner is not None:
                        self.symbols.setdefault(f"{owner.rsplit('.', 1)[-1].rstrip('?')}.{field_name}", read)

    def _class_defaults(self) -> None:
        """Constructor defaults of the file's classes (``data class RetryConfig(val attempts: Int = 5)``
        -> ``RetryConfig.attempts``): what a settings object holds unless built otherwise. A property
        typed with another class of the file also publishes that class's defaults under its path
        (``AgentConfiguration.retry.attempts``)."""
        classes: dict[str, list[tuple[str, str | None, Expr | None]]] = {}
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration":
                continue
            name = _name_of(cls)
            ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
            params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
            if not name or params is None:
                continue
            entries = []
            for param in params.named_children:
                if param.type != "class_parameter" or not any(c.type in ("val", "var") for c in param.children):
                    continue
                ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
                typ = next((c for c in param.named_children if c.type in ("user_type", "nullable_type")), None)
                after_eq = [c for c in param.children if c.type == "="]
                default = param.named_children[-1] if after_eq else None
                if ident is None:
                    continue
                try:
                    expr = self._constant_expr(default) if default is not None else None
                except RecursionError:
                    expr = None
                if isinstance(expr, Unknown):
                    expr = None
                if expr is None and default is None:
                    expr = self._bound_default_value(param)
                if typ is not None and default is not None and default.type == "navigation_expression":
                    # round 17 (round-16 request, mongo-migration-stream): `val timeouts: MongoTimeoutProperties =
                    # MongoTimeoutProperties.DEFAULT` with `companion object { val DEFAULT = MongoTimeoutProperties(
                    # connectTimeout = DEFAULT_MONGO_TIMEOUT, ..) }` in the file: each named argument of that instance
                    for arg_name, arg_node in self._companion_instance_args(ts.text(typ).rstrip("?"), default).items():
                        try:
                            arg_expr = self._constant_expr(arg_node)
                        except RecursionError:
                            continue
                        if not isinstance(arg_expr, Unknown):
                            self.symbols.setdefault(f"{name}.{ts.text(ident)}.{arg_name}", arg_expr)
                if typ is not None and default is not None and default.type == "call_expression":
                    # round 17 (newm-server's `val retryPolicy: RetryPolicy = RetryPolicy()`, the class in another
                    # file): resolve reads `TurboConfig.retryPolicy.maxAttempts` through `.$type` as the class's default
                    built = KCall.of(default)
                    if built is not None and built.receiver is None and not built.args and not built.named_args \
                            and built.lambda_ is None and built.name == ts.text(typ).rstrip("?") != name:
                        self.symbols.setdefault(f"{name}.{ts.text(ident)}.$type", Str(built.name))
                entries.append((ts.text(ident), ts.text(typ).rstrip("?") if typ is not None else None, expr))
            classes.setdefault(name, entries)
        self._settings_body_defaults()
        self._settings_constructor_bindings()
        self._value_parameters()
        self._value_body_properties()
        for cls_name, entries in classes.items():
            for prop, typ, expr in entries:
                if expr is not None:
                    self.symbols.setdefault(f"{cls_name}.{prop}", expr)
                if typ in classes and typ != cls_name:
                    for inner, _, inner_expr in classes[typ]:
                        if inner_expr is not None:
                            self.symbols.setdefault(f"{cls_name}.{prop}.{inner}", Ref(f"{typ}.{inner}"))
        self._constructed_members(classes)
        self._companion_factories(classes)

    def _companion_instance_args(self, typ: str, default: ts.Node) -> dict[str, ts.Node]:
        """``Type.NAME`` where the file's ``class Type`` has ``companion object { val NAME = Type(a = .., b = ..) }``:
        the named arguments of that instance; empty for anything else."""
        receiver, member = nav_parts(default)
        if receiver is None or not member or ts.text(receiver).rsplit(".", 1)[-1] != typ:
            return {}
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration" or _name_of(cls) != typ:
                continue
            body = next((c for c in cls.named_children if c.type == "class_body"), None)
            for comp in (body.named_children if body is not None else ()):
                if comp.type != "companion_object":
                    continue
                for prop in ts.walk(comp):
                    if prop.type != "property_declaration" or not any(c.type == "=" for c in prop.children):
                        continue
                    decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                    ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")),
                                 None) if decl is not None else None
                    init = prop.named_children[-1]
                    if ident is None or ts.text(ident) != member or init.type != "call_expression":
                        continue
                    built = KCall.of(init)
                    if built is None or built.name != typ or built.args:
                        return {}
                    return dict(built.named_args)
        return {}

    def _companion_factories(self, classes: dict) -> None:
        """Round 14 (ort-server, the round-13 request): ``data class HttpClientConfig(val connectTimeout: Duration,
        ..) { companion object { fun create(config: Config) = HttpClientConfig(connectTimeout =
        httpClientConfig.getLong(CONNECT_TIMEOUT_PROPERTY).milliseconds, ..) } }``: the class builds itself from
        configuration in its own companion, so a property without a default holds what that factory hands it
        (``HttpClientConfig.connectTimeout`` = the ``httpClient.connectTimeoutMs`` setting). Named arguments only;
        one construction per class (several that disagree say nothing)."""
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration":
                continue
            name = _name_of(cls)
            entries = {prop: expr for prop, _, expr in classes.get(name, ())}
            body = next((c for c in cls.named_children if c.type == "class_body"), None)
            companion = next((c for c in (body.named_children if body is not None else ())
                              if c.type == "companion_object"), None)
            if not name or companion is None or not entries:
                continue
            built = [KCall.of(n) for n in ts.walk(companion) if n.type == "call_expression"]
            built = [c for c in built if c is not None and c.name == name and c.receiver is None and c.named_args
                     and not c.args]
            if len(built) != 1:
                continue
            for prop, arg in built[0].named_args.items():
                if prop not in entries or entries[prop] is not None:
                    continue
                try:
                    expr = expr_of(arg)
                except RecursionError:
                    continue
                if any(isinstance(e, Unknown) for e in _expr_parts(expr)):
                    continue
                self.symbols.setdefault(f"{name}.{prop}", expr)

    def _bound_default_value(self, param: ts.Node) -> Expr | None:
        """Round 14 (aap-fss-proxy): Spring Boot's constructor binding ``data class RetryConfig(@DefaultValue(
        DEFAULT_RETRIES) val retries: Long, @DefaultValue("1000ms") val delayed: Duration)``: the property holds
        the annotation's text (a number, or a duration in ms) unless configuration binds another, the text
        given in place or by a ``const val`` of the file."""
        from extractors.java.jvm import parse_config_scalar
        mods = next((c for c in param.named_children if c.type == "modifiers"), None)
        ann = next((a for a in (mods.named_children if mods is not None else ()) if a.type == "annotation"
                    and annotation_parts(a)[0] == "DefaultValue"), None)
        if ann is None:
            return None
        value = annotation_parts(ann)[1].get("value")
        if value is None:
            return None
        text = string_of(value)
        if text is None and value.type == "identifier":
            for prop in ts.walk(self.tree.root_node):
                if prop.type != "property_declaration" or "const" not in ts.text(prop).split("val")[0]:
                    continue
                decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                init = prop.named_children[-1] if prop.named_children else None
                if decl is not None and ts.text(decl).split(":")[0].strip() == ts.text(value) \
                        and init is not None and init.type == "string_literal":
                    text = string_of(init)
                    break
        if not text:
            return None
        parsed = parse_config_scalar(text)
        return parsed if isinstance(parsed, Num) else None

    def _constructed_members(self, classes: dict) -> None:
        """``object Configuration { val redisProperties = RedisProperties() }`` with ``data class
        RedisProperties(val timeout: Int = Protocol.DEFAULT_TIMEOUT)`` in the file: the member holds that
        class's defaults, or the arguments it is built with (``RedisProperties(timeout = 500)``), under
        its path (``Configuration.redisProperties.timeout``)."""
        for prop in ts.walk(self.tree.root_node):
            if prop.type != "property_declaration" or prop.parent is None or prop.parent.type != "class_body":
                continue
            owner = _name_of(prop.parent.parent)
            decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
            value = prop.named_children[-1] if prop.named_children else None
            ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None) \
                if decl is not None else None
            if not owner or ident is None or value is None or value.type != "call_expression":
                continue
            call = KCall.of(value)
            if call is None or call.receiver is not None or call.lambda_ is not None or call.name not in classes \
                    or call.args:
                continue  # (positional arguments: which property each fills is not read here)
            for inner, _, inner_expr in classes[call.name]:
                given = call.named_args.get(inner)
                try:
                    expr = self._constant_expr(given) if given is not None else None
                except RecursionError:
                    expr = None
                if isinstance(expr, Unknown):
                    expr = None
                if expr is None and given is None and inner_expr is not None:
                    expr = Ref(f"{call.name}.{inner}")
                if expr is not None:
                    self.symbols.setdefault(f"{owner}.{ts.text(ident)}.{inner}", expr)

    def _value_parameters(self) -> None:
        """``class ClientConfig(@param:Value("\\${api.timeout:20s}") val timeout: Duration)``: the
        property is the Spring property (``api.timeout`` where the service's config sets it), else the
        placeholder's default (Spring's duration text in ms). Published as ``ClientConfig.timeout``
        and, for uses inside the file, as the bare name."""
        from extractors.java.jvm import _PLACEHOLDER, parse_config_scalar
        if b"Value(" not in self.data:
            return
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration":
                continue
            name = _name_of(cls)
            ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
            params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
            for param in (params.named_children if params is not None and name else ()):
                if param.type != "class_parameter":
                    continue
                mods = next((c for c in param.named_children if c.type == "modifiers"), None)
                ann = next((a for a in (mods.named_children if mods is not None else ()) if a.type == "annotation"
                            and annotation_parts(a)[0] == "Value"), None)
                ident = next((c for c in param.named_children if c.type == "identifier"), None)
                if ann is None or ident is None:
                    continue
                text = string_of(annotation_parts(ann)[1].get("value"))
                m = _PLACEHOLDER.match(text.strip()) if text else None
                if m is None:
                    continue
                key, default = m.group(1).strip(), m.group(2)
                if default is not None:
                    expr: Expr = Call("coalesce", (Ref(key), parse_config_scalar(default)))
                else:
                    expr = Ref(key)
                self.symbols.setdefault(f"{name}.{ts.text(ident)}", expr)
                self.symbols.setdefault(ts.text(ident), expr)

    def _value_body_properties(self) -> None:
        """Round 13 (dwp hbase-to-mongo-export): a class body's ``@Value("\\${connect.timeout:300000}")
        private lateinit var connectTimeout: String`` (field injection, the other Spring shape of
        ``_value_parameters``): the Spring property where the service's config sets it, else the
        placeholder's default. Published as ``Class.prop`` and, for uses inside the file, as the bare
        name (before any initializer the property has: Spring writes the field after construction)."""
        from extractors.java.jvm import _PLACEHOLDER, parse_config_scalar
        if b"Value(" not in self.data:
            return
        for cls in ts.walk(self.tree.root_node):
            if cls.type not in ("class_declaration", "object_declaration"):
                continue
            name = _name_of(cls)
            body = next((c for c in cls.named_children if c.type == "class_body"), None)
            for prop in (body.named_children if body is not None and name else ()):
                if prop.type != "property_declaration":
                    continue
                mods = next((c for c in prop.named_children if c.type == "modifiers"), None)
                ann = next((a for a in (mods.named_children if mods is not None else ()) if a.type == "annotation"
                            and annotation_parts(a)[0] == "Value"), None)
                decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None) \
                    if decl is not None else None
                if ann is None or ident is None:
                    continue
                text = string_of(annotation_parts(ann)[1].get("value"))
                m = _PLACEHOLDER.match(text.strip()) if text else None
                if m is None:
                    continue
                key, default = m.group(1).strip(), m.group(2)
                expr: Expr = Call("coalesce", (Ref(key), parse_config_scalar(default))) if default is not None \
                    else Ref(key)
                self.symbols[f"{name}.{ts.text(ident)}"] = expr
                self.symbols.setdefault(ts.text(ident), expr)

    def _settings_body_defaults(self) -> None:
        """A settings class's body properties with their initial values (``@ConfigurationProperties
        class WorkConfig { var timeout: Duration = Duration.ofMinutes(2) }`` -> ``WorkConfig.timeout``,
        in ms): what the settings hold unless configuration binds another value. Only classes that
        say they hold settings (the annotation, or a name ending in Config/Properties/Settings/Options)."""
        typed: list[tuple[str, str, str]] = []
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration":
                continue
            name = _name_of(cls)
            modifiers = next((c for c in cls.named_children if c.type == "modifiers"), None)
            annotated = modifiers is not None and "ConfigurationProperties" in ts.text(modifiers)
            if not name or not (annotated or re.search(r"(Config|Configuration|Properties|Settings|Options)$", name)):
                continue
            prefix = None
            if annotated:
                # round 21 (useid-backend-service): `@ConfigurationProperties(prefix = "eidservice") class
                # EidServiceProperties { var connectTimeoutInMillis: Int? = null }`: Spring binds each body property
                # to `<prefix>.<kebab-case name>` (or the name as written), else its initial value
                ann = next((a for a in modifiers.named_children if a.type == "annotation"
                            and annotation_parts(a)[0] == "ConfigurationProperties"), None)
                if ann is not None:
                    ann_args = annotation_parts(ann)[1]
                    prefix = string_of(ann_args.get("prefix") or ann_args.get("value"))
            # round 11: `class ResourceCheckConfig : BaseSchedulerConfig()`: a property the class does not
            # declare is the superclass's (`ResourceCheckConfig.$super` = "BaseSchedulerConfig", read by resolve)
            supers = next((c for c in cls.named_children if c.type == "delegation_specifiers"), None)
            for spec in (supers.named_children if supers is not None else ()):
                inv = next((c for c in spec.named_children if c.type == "constructor_invocation"), None)
                user = next((c for c in inv.named_children if c.type == "user_type"), None) if inv else None
                if user is not None and ts.text(user) != name:
                    self.symbols.setdefault(f"{name}.$super", Str(ts.text(user).rsplit(".", 1)[-1]))
            body = next((c for c in cls.named_children if c.type == "class_body"), None)
            for prop in (body.named_children if body is not None else ()):
                if prefix and prop.type == "property_declaration" and not any(c.type == "=" for c in prop.children) \
                        and "lateinit" in ts.text(prop).split("var", 1)[0]:
                    # `lateinit var readTimeout: Duration`: only what configuration binds
                    decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                    ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")),
                                 None) if decl is not None else None
                    if ident is not None:
                        member = ts.text(ident)
                        kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), member)
                        refs = tuple(Ref(k) for k in dict.fromkeys((f"{prefix}.{kebab}", f"{prefix}.{member}")))
                        self.symbols.setdefault(f"{name}.{member}", Call("coalesce", refs) if len(refs) > 1 else refs[0])
                    continue
                if prop.type != "property_declaration" or not any(c.type == "=" for c in prop.children):
                    continue
                decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None) \
                    if decl is not None else None
                if ident is None:
                    continue
                typ = next((c for c in decl.named_children if c.type in ("user_type", "nullable_type")), None)
                if typ is None:
                    # round 13 (allegro envoy-control): `var sync = SyncProperties()`, the class in another file:
                    # resolve reads `EnvoyControlProperties.sync.<member>` through `.$type` as for a typed one
                    init = prop.named_children[-1]
                    built = KCall.of(init) if init.type == "call_expression" else None
                    if built is not None and built.receiver is None and not built.args and built.lambda_ is None \
                            and built.name[:1].isupper() and built.name != name \
                            and re.search(r"(Config|Configuration|Properties|Settings|Options)$", built.name):
                        self.symbols.setdefault(f"{name}.{ts.text(ident)}.$type", Str(built.name))
                if typ is not None:
                    typed.append((name, ts.text(ident), ts.text(typ).rstrip("?")))
                    init = prop.named_children[-1]
                    built = KCall.of(init) if init.type == "call_expression" else None
                    if built is not None and built.receiver is None and built.name == ts.text(typ) != name:
                        # round 11: `var check: BaseSchedulerConfig = BaseSchedulerConfig()`, the class in
                        # another file: resolve reads `BaseSchedulerConfig.<member>` through `.$type`
                        self.symbols.setdefault(f"{name}.{ts.text(ident)}.$type", Str(built.name))
                try:
                    expr = self._constant_expr(prop.named_children[-1])
                except RecursionError:
                    continue
                if prefix and any(c.type in ("var", "val") for c in prop.children):
                    member = ts.text(ident)
                    kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), member)
                    keys: list[Expr] = [Ref(f"{prefix}.{kebab}")] + ([Ref(f"{prefix}.{member}")] if kebab != member else [])
                    if not isinstance(expr, Unknown) and ts.text(prop.named_children[-1]) != "null":
                        keys.append(expr)
                    self.symbols.setdefault(f"{name}.{member}", Call("coalesce", tuple(keys)))
                    continue
                if not isinstance(expr, Unknown):
                    self.symbols.setdefault(f"{name}.{ts.text(ident)}", expr)
        # `var timeouts: TimeoutsConfig? = null` with `class TimeoutsConfig { var connectTimeoutMs = 3000 }` in the
        # file: `ServerConfig.timeouts.connectTimeoutMs` is the nested class's default
        for owner, prop, typ in typed:
            for key in [k for k in self.symbols if k.startswith(typ + ".") and k.count(".") == 1]:
                self.symbols.setdefault(f"{owner}.{prop}.{key.split('.', 1)[1]}", Ref(key))

    def _settings_constructor_bindings(self) -> None:
        """Round 18 (hmpps-interventions-service): ``@ConfigurationProperties(prefix = "a.token-request") data class
        TokenRequestConfig(val connectTimeoutMs: Long, val retries: Int)``: Spring binds each constructor parameter
        to ``<prefix>.<kebab-case name>`` (relaxed binding: ``connect-timeout-ms``, or the name as written), else its
        default. Published as ``TokenRequestConfig.connectTimeoutMs`` as a body property's default is."""
        if b"ConfigurationProperties" not in self.data:
            return
        for cls in ts.walk(self.tree.root_node):
            if cls.type != "class_declaration":
                continue
            name = _name_of(cls)
            modifiers = next((c for c in cls.named_children if c.type == "modifiers"), None)
            ann = next((a for a in (modifiers.named_children if modifiers is not None else ()) if a.type == "annotation"
                        and annotation_parts(a)[0] == "ConfigurationProperties"), None)
            if not name or ann is None:
                continue
            args = annotation_parts(ann)[1]
            prefix = string_of(args.get("prefix") or args.get("value"))
            ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
            params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
            if not prefix or params is None:
                continue
            for param in params.named_children:
                if param.type != "class_parameter":
                    continue
                ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
                if ident is None:
                    continue
                prop = ts.text(ident)
                kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m.group(1).lower(), prop)
                keys = [Ref(f"{prefix}.{kebab}")] + ([Ref(f"{prefix}.{prop}")] if kebab != prop else [])
                if any(c.type == "=" for c in param.children):
                    try:
                        default = self._constant_expr(param.named_children[-1])
                    except RecursionError:
                        default = Unknown("recursion")
                    if not isinstance(default, Unknown):
                        keys.append(default)
                else:
                    bound = self._bound_default_value(param)  # `@DefaultValue("3") val retries: Int`
                    if bound is not None:
                        keys.append(bound)
                self.symbols.setdefault(f"{name}.{prop}", Call("coalesce", tuple(keys)) if len(keys) > 1 else keys[0])

    def _constant_expr(self, node: ts.Node) -> Expr:
        duration = duration_of(node)
        if duration is not None:
            return _scaled(*duration)
        default = setting_default(node)
        if default is not None:
            return self._constant_expr(default)  # a setting stands for its default
        summed = _constant_sum(node)
        if summed is not None:
            return summed
        return expr_of(node)


def _constant_sum(node: ts.Node, depth: int = 0) -> Expr | None:
    """Round 18 (airbyte): ``val FULL_POD_TIMEOUT: Duration = INIT_CONTAINER_STARTUP_TIMEOUT.plus(
    INIT_CONTAINER_TERMINATION_TIMEOUT).plus(POD_READY_TIMEOUT)``, ``FULL_POD_TIMEOUT.plus(Duration.ofSeconds(5))``:
    constants (or durations written in place) added with ``plus`` / taken away with ``minus``, in ms."""
    if depth > 8 or node.type != "call_expression":
        return None
    call = KCall.of(node)
    if call is None or call.name not in ("plus", "minus") or call.receiver is None or len(call.args) != 1 \
            or call.named_args or call.lambda_ is not None:
        return None
    parts = []
    for part in (call.receiver, call.args[0]):
        duration = duration_of(part)
        if duration is not None:
            parts.append(_scaled(*duration))
            continue
        text = ts.text(part).replace(" ", "")
        if part.type in ("identifier", "navigation_expression") and re.fullmatch(r"([A-Z]\w*\.)*[A-Z][A-Z0-9_]*", text):
            parts.append(Ref(text))
            continue
        inner = _constant_sum(part, depth + 1)
        if inner is None:
            return None
        parts.append(inner)
    return BinOp("+" if call.name == "plus" else "-", parts[0], parts[1])


def _name_of(node: ts.Node | None) -> str | None:
    if node is None:
        return None
    name = node.child_by_field_name("name")
    if name is None:
        name = next((c for c in node.named_children if c.type in ("identifier", "type_identifier")), None)
    return ts.text(name) if name is not None else None




def _kafka_key(node: ts.Node, kf: "KotlinFile") -> str | None:
    """``RETRIES_CONFIG`` / ``ProducerConfig.RETRIES_CONFIG`` / ``"retries"`` -> the key's short name
    (a ``*_CONFIG`` constant of a Kafka config class, or the dotted string property)."""
    text = ts.text(node).replace(" ", "")
    if node.type == "string_literal":
        value = string_of(node)
        return value if value and b"kafka" in kf.data.lower() else None
    last = text.rsplit(".", 1)[-1]
    if not last.endswith("_CONFIG"):
        return None
    head = text.rsplit(".", 1)[0] if "." in text else ""
    if head.endswith(("ProducerConfig", "ConsumerConfig", "CommonClientConfigs", "AdminClientConfig", "StreamsConfig")) \
            or kf.imports.get(last, "").startswith("org.apache.kafka") or b"org.apache.kafka" in kf.data:
        return last
    return None


def kafka_entries(kf: "KotlinFile"):
    """(key, node to report at, value) for each Kafka client setting the file writes with a number
    (a literal, a numeric string, or a name): ``KEY to value`` pairs, ``props[KEY] = value`` and
    ``props.put(KEY, value)``. A word (``"retries" to "none"``) is not a setting."""
    if b"_CONFIG" not in kf.data and b"kafka" not in kf.data.lower():
        return
    for key, anchor, value in _kafka_pairs(kf):
        if value.type == "string_literal" and not (string_of(value) or "").strip().isdigit():
            continue
        yield key, anchor, value


def _kafka_pairs(kf: "KotlinFile"):
    for node in ts.walk(kf.tree.root_node):
        if node.type == "infix_expression" and node.named_child_count == 3 \
                and ts.text(node.named_children[1]) == "to":
            key = _kafka_key(node.named_children[0], kf)
            if key is not None:
                yield key, node, node.named_children[2]
        elif node.type == "assignment" and node.named_child_count == 2 \
                and node.named_children[0].type == "index_expression":
            index = node.named_children[0]
            if index.named_child_count == 2:
                key = _kafka_key(index.named_children[1], kf)
                if key is not None:
                    yield key, node, node.named_children[1]
    for call in kf.calls:
        if call.name in ("put", "setProperty") and len(call.args) == 2:
            key = _kafka_key(call.args[0], kf)
            if key is not None:
                yield key, call.node, call.args[1]


def with_parameter_defaults(kf: "KotlinFile", at: ts.Node, expr: Expr) -> Expr:
    """``expr`` with each name that is a parameter of the function around ``at`` replaced by that
    parameter's default (``maxAttempts: Int = DEFAULT_MAX_ATTEMPTS``); unchanged when a named
    parameter has no default or a local ``val`` of the same name comes first."""
    if not isinstance(expr, Ref):
        return expr
    fn = next((a for a in ts.ancestors(at) if a.type in ("function_declaration", "class_body")), None)
    if fn is None or fn.type != "function_declaration" or local_value(at, expr.name) is not None:
        return expr
    default = parameter_default(at, expr.name)
    if default is None:
        return expr
    try:
        value = kf._constant_expr(default)
    except RecursionError:
        return expr
    return expr if isinstance(value, Unknown) else value
