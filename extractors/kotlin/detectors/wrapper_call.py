"""Timeouts and retry bounds handed to a project's own helper functions (cross-file wrappers).

What it does: two halves that meet in the pipeline (``extractors.wrappers``).
Publish: a function or method (or a class's constructor) of this file whose parameter becomes a
timeout or bounds a retry in its body (``fun post(url: String, timeoutMs: Long) = client.newBuilder().callTimeout(timeoutMs,
MILLISECONDS)``, ``fun <T> withRetry(times: Int, block: () -> T) { repeat(times) { try ... } }``)
publishes that parameter under the names callers use: ``post`` for a top-level or extension
function, ``HttpUtil.post`` (and, for a distinctive name, ``post``) for a member of a class or
object. A function that hands its own parameter on to such a helper of the file publishes it too
(``tryUntilItDoesntBreak(maxRepeats: Int = 100) = tryUntil(maxRepeats = maxRepeats, ...)``).
Propose: a call that passes a number, an upper-case constant or a duration (``30.seconds``,
``Duration.ofSeconds(2)``, in ms) at some position or name (``callApi(url, 2000)``,
``withRetry(3) { }``, ``HttpUtil.post(url, body, TIMEOUT_MS)``, ``tryUntil(maxRepeats = 10) { }``)
is proposed as a timeout (phase total) and, for a whole number, as a retry; the pipeline keeps a
proposal only when a file of the service published that parameter, and values it. Not proposed:
arguments that are variables or the caller's own parameters (forwarders), strings, booleans,
``null``, and calls whose line already carries a finding of that kind from another detector.
Why it matters: most services call their dependencies through helpers of their own; the value
each call site hands the helper is the contract with that dependency.
Example: ``HttpUtil.post(url, body, 3000)`` with ``HttpUtil`` in another file -> timeout 3000 ms.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, Tuple, Unknown
from extractors import treesitter as ts
from extractors import wrappers
from extractors.base import detector
from extractors.java.jvm import TIMEOUT_SETTERS, documented, settle
from extractors.kotlin.retry_scope import lambda_retry_helpers
from extractors.kotlin.syntax import (KCall, KotlinFile, declared_type, duration_of, expr_of, local_value,
                                     member_value,
                                     parameter_default)
from extractors.kotlin.syntax import _name_of

ID = "kotlin.wrapper_call"

# Member names too common to publish bare (a call `map.get(5)` must not meet `Client.get(timeoutMs)`):
# such members are published only as `Owner.name`.
_COMMON = frozenset({
    "get", "set", "put", "post", "patch", "delete", "head", "add", "remove", "send", "execute", "call", "invoke",
    "run", "start", "stop", "wait", "await", "join", "poll", "take", "offer", "submit", "schedule", "connect",
    "read", "write", "close", "open", "lock", "tryLock", "sleep", "delay", "of", "from", "with", "copy", "apply",
    "let", "also", "map", "filter", "first", "retry", "request", "fetch", "load", "save", "update", "find",
    "create", "build", "init", "handle", "process", "accept", "test", "check", "use", "emit", "publish",
})
_CONST = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Standard-library members called on expressions (`list.joinToString(..)`, `s.substring(1)`): never a helper.
_STDLIB_MEMBER = re.compile(r"^(to[A-Z]\w*|as[A-Z]\w*|is[A-Z]\w*|on[A-Z]\w*|joinToString|substring\w*|replace\w*|"
                            r"split|trim\w*|format|append\w*|forEach\w*|filter\w*|map\w*|flatMap\w*|"
                            r"getOrDefault|getOrElse|getOrNull|firstOrNull|lastOrNull|contains\w*|startsWith|"
                            r"endsWith|equals|compareTo|hashCode|sortedBy\w*|groupBy|associate\w*|putAll|addAll|"
                            r"removeAll|retainAll|setRefreshPolicy|setSource|source|routing|opType|timeout|"
                            r"withTimeout|plus\w*|minus\w*|coerce\w*|take\w*|drop\w*|chunked|windowed|zip|sum\w*)$")
# A field named for a timeout or a retry bound (`requestTimeout`, `readTimeoutMs`, `maxRetries`, `maxAttempts`).
_FIELD_TIMEOUT = re.compile(r"[tT]imeout(In)?(Ms|Millis|MilliSeconds|Milliseconds|Seconds|Secs?)?$|[dD]eadline$")
_FIELD_BOUND = re.compile(r"^(max)?([rR]etries|[rR]etry[cC]ount|[aA]ttempts|[rR]etryAttempts)$|^max[A-Z]\w*(Retries|Attempts)$")
# Library packages and types, and the standard library's own functions: their calls are read by the
# library detectors (a proposal there would only be dropped).
_LIBRARY_PACKAGES = ("java.", "javax.", "kotlin.", "kotlinx.", "android.", "androidx.", "okhttp3.", "io.ktor.",
                     "org.springframework.", "reactor.", "io.github.resilience4j.", "com.google.", "org.apache.",
                     "io.reactivex.", "retrofit2.", "org.jetbrains.", "io.netty.", "com.fasterxml.")
_LIBRARY_TYPES = frozenset({"Duration", "TimeUnit", "Thread", "Math", "String", "Integer", "Long", "System",
                            "Executors", "CompletableFuture", "Instant", "ChronoUnit", "Dispatchers", "Mono", "Flux",
                            "Retry", "RetryConfig", "TimeLimiter", "CircuitBreaker", "FixedBackOff",
                            "ExponentialBackOff", "Result", "Log", "Timber", "LocalDateTime", "LocalDate"})
_STDLIB = frozenset({"repeat", "delay", "withTimeout", "withTimeoutOrNull", "listOf", "mutableListOf", "mapOf",
                     "setOf", "arrayOf", "intArrayOf", "require", "check", "println", "print", "maxOf", "minOf",
                     "launch", "async", "runBlocking", "sleep", "TODO", "error", "lazy", "Pair", "Triple",
                     "retryIf", "retryOnServerErrors", "retryOnException", "retryOnExceptionIf", "exponentialDelay",
                     "constantDelay", "until", "downTo", "step", "coerceAtLeast", "coerceAtMost", "coerceIn"})


@detector(ID, "kotlin", ["timeout", "retry"],
          valid=['fun f(timeout: Long) { println("waited $timeout") }',
                 'fun f() { val sizes = listOf(2000, 3000) }'],
          invalid=['fun f() { HttpUtil.post("http://risk/x", body, 3000) }'])
@documented(__doc__)
def detect(kf: KotlinFile) -> None:
    _injected_parameter_values(kf)
    _publish_abstract_member_defaults(kf)
    _publish_setting_fields(kf)
    _publish_lambda_retry_helpers(kf)
    _propose(kf)
    _publish_member_reads(kf)
    _propose_constructor_defaults(kf)
    if any(f.kind in ("timeout", "retry") and (f.detector != ID or f.attributes.get("forward"))
           for f in kf.sink.findings):
        functions = _functions(kf)  # only a file with a finding (or a forwarder) may publish a helper
        kf.symbols.update({k: v for k, v in _publish(kf, functions).items() if k not in kf.symbols})
        _publish_named_defaults(kf, functions)
        _settle_defaults(kf, functions)


def _publish_named_defaults(kf: KotlinFile, functions) -> None:
    """Round 13 (opensearch cross-cluster-replication): ``fun getIndexReplicationMetadata(.., timeout: Long =
    RemoteClusterRepository.REQ_TIMEOUT): M { return store.getMetadata(req, primary, timeout) }``: a helper whose
    timeout or bound parameter defaults to a NAME (a constant of another file, not a number the shared publisher
    reads) and is applied or handed on (the file publishes ``$timeout_param`` / ``$attempts_param`` for it): a
    call leaving it out gets that default (rule b), published as the numeric defaults are."""
    for fn in functions:
        for index, (param, default_node) in enumerate(fn.params):
            default = _default_value(kf, default_node) if default_node is not None else None
            if default is None or isinstance(default, Num) or not _refs(default):
                continue  # none, or a number: the shared publisher reads those
            for name in fn.names:
                for marker_key, omitted, given in ((wrappers.TIMEOUT_PARAM, wrappers.TIMEOUT_OMITTED, wrappers.TIMEOUT_DEFAULT),
                                                   (wrappers.ATTEMPTS_PARAM, wrappers.ATTEMPTS_OMITTED, wrappers.ATTEMPTS_DEFAULT)):
                    if f"{name}.{marker_key}:{index}" not in kf.symbols:
                        continue
                    if marker_key == wrappers.ATTEMPTS_PARAM and not _BOUND_NAME.search(param):
                        continue
                    if marker_key == wrappers.TIMEOUT_PARAM and not _TIMEOUT_NAME.search(param):
                        continue
                    marker = Ref(f"{name}.{marker_key}:{index}")
                    made = BinOp("*", default, marker) if marker_key == wrappers.TIMEOUT_PARAM \
                        else BinOp("-", BinOp("+", default, marker), Num(1.0))
                    for count in range(index + 1):
                        kf.symbols.setdefault(f"{name}.{omitted}:{count}", marker)
                        kf.symbols.setdefault(f"{name}.{given}:{count}", made)


# Annotations that inject a configuration property into a parameter: Spring / Micronaut `@Value("${key:default}")`,
# MicroProfile / Quarkus `@ConfigProperty(name = "key", defaultValue = "..")`.
_INJECTING = frozenset({"Value", "ConfigProperty"})


def _injected_parameters(kf: KotlinFile) -> list[tuple[int, int, dict[str, Expr]]]:
    """Per function: (first line, last line, {parameter: the property it is injected from}) for the parameters
    of a bean method that Spring fills from configuration (``fun nodoApi(@Value("\\${nodo.readTimeout}")
    readTimeout: Long)``): ``Ref("nodo.readTimeout")``, or ``coalesce(Ref(key), default)`` with a placeholder
    default. Such a parameter is a configuration read, not a value the method's callers hand in."""
    from extractors.java.jvm import _PLACEHOLDER, parse_config_scalar
    from extractors.kotlin.syntax import annotation_parts, string_of
    if b"Value(" not in kf.data and b"ConfigProperty(" not in kf.data:
        return []
    out = []
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        if params is None:
            continue
        mapping: dict[str, Expr] = {}
        injected: ts.Node | None = None
        for child in params.children:
            if child.type == "parameter_modifiers":
                injected = next((a for a in child.named_children if a.type == "annotation"
                                 and annotation_parts(a)[0] in _INJECTING), None)
                continue
            if child.type != "parameter":
                continue
            ann, injected = injected, None
            ident = next((c for c in child.named_children if c.type in ("identifier", "simple_identifier")), None)
            if ann is None or ident is None:
                continue
            name, args = annotation_parts(ann)
            if name == "ConfigProperty":
                key, default = string_of(args.get("name")), string_of(args.get("defaultValue"))
            else:
                text = string_of(args.get("value"))
                m = _PLACEHOLDER.match(text.strip()) if text else None
                key, default = (m.group(1).strip(), m.group(2)) if m else (None, None)
            if not key:
                continue
            mapping[ts.text(ident)] = Call("coalesce", (Ref(key), parse_config_scalar(default))) \
                if default is not None else Ref(key)
        if mapping:
            out.append((fn.start_point[0] + 1, fn.end_point[0] + 1, mapping))
    return out


def _injected(modifiers: ts.Node | None) -> bool:
    """Whether the ``parameter_modifiers`` before a parameter hold an injecting annotation (``@Value(..)``)."""
    from extractors.kotlin.syntax import annotation_parts
    return modifiers is not None and modifiers.type in ("parameter_modifiers", "modifiers") and any(
        a.type == "annotation" and annotation_parts(a)[0] in _INJECTING for a in modifiers.named_children)


def _injected_parameter_values(kf: KotlinFile) -> None:
    """A timeout or a retry bound written with an injected parameter (see ``_injected_parameters``) is read in
    terms of the property: settled from the placeholder's default here (kept pending: the service's
    application.yml / .properties may set the key), else left to the resolver as the key."""
    from contract_discovery.values import evaluate, normalise_ms
    from extractors.java.jvm import _file_lookup
    scopes = _injected_parameters(kf)
    if not scopes:
        return
    findings = kf.sink.findings
    for i, fd in enumerate(findings):
        if fd.kind not in ("timeout", "retry") or not fd.pending:
            continue
        scope = next((m for first, last, m in scopes if first <= fd.line <= last), None)
        if scope is None:
            continue
        attrs, pending, changed = dict(fd.attributes), [], False
        for p in fd.pending:
            names = [n for n in _refs(p.expr) if n in scope] if p.attribute in ("timeout_ms", "max_attempts") else []
            if not names:
                pending.append(p)
                continue
            expr = p.expr
            for n in names:
                expr = _subst(expr, n, scope[n])
            pending.append(replace(p, expr=expr))
            changed = True
            try:
                value = evaluate(expr, _file_lookup).value
            except RecursionError:
                value = None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number = float(value) * (p.scale if p.scale is not None else 1.0)
                attrs[p.attribute] = normalise_ms(number) if p.attribute == "timeout_ms" else int(number)
                attrs["resolved_from"] = "config_default"
        if changed:
            findings[i] = replace(fd, attributes=attrs, pending=tuple(pending))


INHERITED_DEFAULT = "$kotlin-param-default"


def _publish_abstract_member_defaults(kf: KotlinFile) -> None:
    """An interface's (or abstract class's) member that declares a default for a timeout or a bound
    (``interface ClusterClient { suspend fun triggerJobSync(spec: JobSpec, checkJobInterval: Long = 30,
    maxSecondsDuration: Long = 60): Job }``): its implementations inherit it without writing it, and publish the
    parameter under the interface's name (``ClusterClient.triggerJobSync.$timeout_param:2``). Published here: what a
    call through the interface that leaves it out gets (the default, in the implementation's unit), kept only when
    an implementation applies the parameter (round 12, biostudies)."""
    if b"interface " not in kf.data and b"abstract " not in kf.data:
        return
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration" or any(c.type == "function_body" for c in fn.named_children):
            continue
        owner = _owner(fn)
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        if not owner or ident is None or params is None:
            continue
        name, children, index = f"{owner}.{ts.text(ident)}", params.children, -1
        for i, child in enumerate(children):
            if child.type != "parameter":
                continue
            index += 1
            if not (i + 2 < len(children) and children[i + 1].type == "=") or _injected(children[i - 1] if i else None):
                continue
            pid = next((c for c in child.named_children if c.type in ("identifier", "simple_identifier")), None)
            default = _default_value(kf, children[i + 2])
            if pid is None or default is None:
                continue
            param = ts.text(pid)
            if _TIMEOUT_NAME.search(param) or _BOUND_NAME.search(param):
                # the default as written, for an implementation that hands the parameter on (rule (a) there)
                kf.symbols.setdefault(f"{name}.{INHERITED_DEFAULT}:{param}", default)
            for count in range(index + 1):
                if _TIMEOUT_NAME.search(param):
                    marker = Ref(f"{name}.{wrappers.TIMEOUT_PARAM}:{index}")
                    kf.symbols.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", marker)
                    kf.symbols.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", BinOp("*", default, marker))
                elif _BOUND_NAME.search(param):
                    marker = Ref(f"{name}.{wrappers.ATTEMPTS_PARAM}:{index}")
                    kf.symbols.setdefault(f"{name}.{wrappers.ATTEMPTS_OMITTED}:{count}", marker)
                    kf.symbols.setdefault(f"{name}.{wrappers.ATTEMPTS_DEFAULT}:{count}",
                                          BinOp("-", BinOp("+", default, marker), Num(1.0)))


# A settings class's field named for a timeout or a bound, under its bare name: what `cfg.connectTimeout` holds
# when the call site cannot name `cfg`'s class (a lambda's destructured value). Valued at such a call only when
# its own name does not resolve; the first settings class of the service with that field gives it.
SETTING_FIELD = "$kotlin-setting"
_SETTINGS_CLASS = re.compile(r"^[A-Z]\w*(Properties|Config|Configuration|Settings|Options)$")


def _publish_setting_fields(kf: KotlinFile) -> None:
    for key, value in list(kf.symbols.items()):
        owner, _, field = key.rpartition(".")
        if "$" in key or "." in owner or not _SETTINGS_CLASS.match(owner) or not isinstance(value, Num):
            continue
        if _FIELD_TIMEOUT.search(field) or _FIELD_BOUND.search(field):
            kf.symbols.setdefault(f"{SETTING_FIELD}.{field}", Ref(key))


def _publish_lambda_retry_helpers(kf: KotlinFile) -> None:
    """A helper that runs its lambda again after the lambda failed (``redoOnce { }``, ``retryOnce(operation =
    { })``, ``safeApiCallWithUnauthorizedRetry(msg) { api.search() }``: ``retry_scope.lambda_retry_helper``)
    has a fixed number of tries, whatever the caller passes: published as what a call leaving the bound out
    gets (``omitted_retry_proposal``), so each call is a retry of the work in its lambda, where that work is
    named. The helper's body is not a contract of its own (the lambda is its callers')."""
    kf.lambda_helpers = {}
    if b"->" not in kf.data:
        return
    kf.lambda_helpers = lambda_retry_helpers(kf.tree.root_node)
    if not kf.lambda_helpers:
        return
    by_node = {f.node.id: f for f in _functions(kf)}
    infos = [wrappers.Function(names=published.names, first_line=published.node.start_point[0] + 1,
                               last_line=published.node.end_point[0] + 1,
                               params=tuple(p for p, _ in published.params), fixed_attempts=tries)
             for fn_id, tries in kf.lambda_helpers.items() for published in [by_node.get(fn_id)] if published is not None]
    for key, value in wrappers.publish(infos, ()).items():
        kf.symbols.setdefault(key, value)


# --- the file's functions ---------------------------------------------------------------------

class _Fn:
    def __init__(self, node: ts.Node, name: str, names: tuple[str, ...], params: list[tuple[str, ts.Node | None]],
                 aliases: dict[str, str] | None = None, extra: tuple[str, ...] = ()):
        self.node, self.name, self.names, self.params = node, name, names, params
        self.aliases = aliases or {}
        self.extra = extra  # the names a member also answers to: its supertypes', `*.name`


def _functions(kf: KotlinFile) -> list[_Fn]:
    out = []
    for node in ts.walk(kf.tree.root_node):
        if node.type == "class_declaration":
            ctor = _constructor(node)
            if ctor is not None:
                out.append(ctor)
            continue
        if node.type != "function_declaration":
            continue
        ident = next((c for c in node.children if c.type in ("identifier", "simple_identifier")), None)
        params_node = next((c for c in node.named_children if c.type == "function_value_parameters"), None)
        if ident is None or params_node is None:
            continue
        name = ts.text(ident)
        params: list[tuple[str, ts.Node | None]] = []
        children = params_node.children
        for i, child in enumerate(children):
            if child.type != "parameter":
                continue
            pid = next((c for c in child.named_children if c.type in ("identifier", "simple_identifier")), None)
            if pid is None or _injected(children[i - 1] if i else None):
                continue  # (a parameter Spring fills from configuration is no value a caller hands in)
            default = children[i + 2] if i + 2 < len(children) and children[i + 1].type == "=" else None
            params.append((ts.text(pid), default))
        owner = _owner(node)
        if owner is False:
            continue  # a local function or one of an anonymous object: no caller elsewhere names it
        if owner is None:
            names: tuple[str, ...] = (name,)
            receiver = _extension_receiver(node, ident)
            if receiver is not None and name not in _COMMON:
                # round 15 (hmpps-subject-access-request-api): `fun WebClient.Builder.wrappedHealthWebClient(..)` called
                # as `builder.wrappedHealthWebClient(..)` on a `builder: WebClient.Builder`: the call names it by the
                # receiver's type (`Builder.wrappedHealthWebClient`)
                names = (name, f"{receiver}.{name}")
        else:
            common = name in _COMMON or len(name) < 4
            names = (f"{owner}.{name}",) if common else (f"{owner}.{name}", name)
            extra: tuple[str, ...] = ()
            if _overrides(node):
                # `class HttpRemoteClient : RemoteClient { override fun head(..) }`: callers hold the
                # interface (`client: RemoteClient`), so the member is published under its supertypes too
                extra += tuple(f"{sup}.{name}" for sup in _supertypes(node) if sup != owner)
            if common:
                # a receiver whose type the call site cannot name (a lambda's destructured value): proposed
                # as `*.head` only when it hands the member a field named for a timeout (see _propose)
                extra += (f"{_ANY}.{name}",)
            out.append(_Fn(node, name, names + extra, params, extra=extra))
            continue
        out.append(_Fn(node, name, names, params))
    return out


def _constructor(cls: ts.Node) -> _Fn | None:
    """A class's primary constructor, named as callers build it (``RiskClient(2000)``): its
    parameters may become a timeout or a retry bound anywhere in the class body."""
    ident = next((c for c in cls.named_children if c.type in ("identifier", "type_identifier")), None)
    ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
    params_node = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
    if ident is None or params_node is None or _owner(cls) is False:
        return None
    params: list[tuple[str, ts.Node | None]] = []
    aliases: dict[str, str] = {}
    for param in params_node.named_children:
        if param.type != "class_parameter":
            continue
        pid = next((c for c in param.named_children if c.type == "identifier"), None)
        if pid is None or _injected(next((c for c in param.named_children if c.type == "modifiers"), None)):
            continue  # (`@Value("\${integrations.dbh.retries:0}") override val retries`: a configuration read)
        default = param.named_children[-1] if any(c.type == "=" for c in param.children) else None
        params.append((ts.text(pid), default))
        if any(c.type in ("val", "var") for c in param.children):
            aliases[f"this.{ts.text(pid)}"] = ts.text(pid)
    if not params:
        return None
    aliases.update(_field_aliases(cls, {p for p, _ in params}))
    return _Fn(cls, ts.text(ident), (ts.text(ident),), params, aliases)


def _field_aliases(cls: ts.Node, params: set[str]) -> dict[str, str]:
    """The fields a class stores its constructor parameters in (``private val timeout = timeoutMs``,
    ``init { this.timeout = timeoutMs }``, ``Duration.ofMillis(timeoutMs)``), as ``wrappers.Function``
    aliases: a method using the field uses the parameter."""
    body = next((c for c in cls.named_children if c.type == "class_body"), None)
    out: dict[str, str] = {}
    if body is None:
        return out
    for member in body.named_children:
        pairs = []
        if member.type == "property_declaration":
            decl = next((c for c in member.named_children if c.type == "variable_declaration"), None)
            ident = next((c for c in decl.named_children if c.type in ("identifier", "simple_identifier")), None) \
                if decl is not None else None
            value = member.named_children[-1] if member.named_children else None
            if ident is not None and value is not None and value != decl:
                pairs.append((ts.text(ident), value))
        elif member.type == "anonymous_initializer":
            for node in ts.walk(member):
                if node.type == "assignment" and len(node.named_children) >= 2:
                    left, right = node.named_children[0], node.named_children[-1]
                    name = ts.text(left).removeprefix("this.")
                    if _WORD.fullmatch(name):
                        pairs.append((name, right))
        for name, value in pairs:
            param = _param_in(ts.text(value), params)
            if param is not None and name not in params:
                out[name] = param
                out[f"this.{name}"] = param
    return out


_ANY = "*"


def _overrides(fn: ts.Node) -> bool:
    mods = next((c for c in fn.named_children if c.type == "modifiers"), None)
    return mods is not None and any(ts.text(c) == "override" for c in ts.walk(mods) if c.child_count == 0)


def _supertypes(fn: ts.Node) -> list[str]:
    """The interfaces and classes the class around a member names after ``:`` (``RemoteClient``)."""
    for parent in ts.ancestors(fn):
        if parent.type in ("class_declaration", "object_declaration"):
            specs = next((c for c in parent.named_children if c.type == "delegation_specifiers"), None)
            out = []
            for spec in (specs.named_children if specs is not None else ()):
                typ = next((c for c in ts.walk(spec) if c.type == "user_type"), None)
                if typ is not None:
                    text = ts.text(typ).split("<", 1)[0].rsplit(".", 1)[-1].strip()
                    if _WORD.fullmatch(text):
                        out.append(text)
            return out
    return []


def _owner(fn: ts.Node):
    """The class/object a function is a member of (a companion's class), None at top level, False
    for a function inside another function or an anonymous object."""
    for parent in ts.ancestors(fn):
        if parent.type in ("function_declaration", "lambda_literal", "object_literal", "anonymous_function"):
            return False
        if parent.type == "companion_object":
            continue
        if parent.type in ("class_declaration", "object_declaration"):
            ident = next((c for c in parent.named_children if c.type in ("identifier", "type_identifier")), None)
            return ts.text(ident) if ident is not None else False
        if parent.type == "source_file":
            return None
    return None


# --- propose at calls ---------------------------------------------------------------------------

def _library(kf: KotlinFile, head: str) -> bool:
    imported = kf.imports.get(head)
    if imported is not None and kf.package and not imported.startswith(_LIBRARY_PACKAGES) \
            and imported.split(".")[:2] == kf.package.split(".")[:2]:
        # the project's own class of a library-looking name (`import no.nav.app.retry.Retry`, then
        # `Retry.withRetry { }`): its helper, not resilience4j's or Reactor's `Retry`
        return False
    return head in _LIBRARY_TYPES or kf.imports.get(head, "").startswith(_LIBRARY_PACKAGES)


def _callee(kf: KotlinFile, call: KCall) -> str | None:
    """The name a call's helper publishes under (``post``, ``HttpUtil.post``, ``Client.post`` for a
    receiver declared ``Client``); None for library calls and receivers that are expressions."""
    if call.receiver is None:
        if call.name in _STDLIB or _library(kf, call.name):
            # a member of the class (or its companion) around the call shadows an imported library function of
            # that name (`submitForm(..)` inside `HttpClientUtils` that declares its own `fun submitForm`)
            owner = _member_owner(call.node, call.name) if call.name not in _STDLIB else None
            return f"{owner}.{call.name}" if owner is not None else None
        if call.name in _COMMON or len(call.name) < 4:
            # `build(uri, t)` inside a class calling its own member: published only as `Owner.build`
            owner = _member_owner(call.node, call.name)
            if owner is not None:
                return f"{owner}.{call.name}"
        return call.name
    recv = call.receiver
    text = ts.text(recv)
    if _library(kf, call.name):
        return None
    imported = kf.imports.get(call.name)
    if imported is not None and call.name[:1].islower() and not _STDLIB_MEMBER.match(call.name):
        # `client.suspendUntilTimeout(ms) { }` with `import a.b.util.suspendUntilTimeout` (or a companion's
        # `SuspendUtils.Companion.suspendUntilTimeout`): an extension function of the project, imported by
        # name, published under that name whatever the receiver's type
        return call.name  # `client.submitForm(..)` with `import io.ktor.client.request.forms.submitForm`: the library's
        # extension of the receiver, whatever helper of the same name the project has elsewhere
    if recv.type == "identifier":
        if text[:1].isupper():
            return None if _library(kf, text) else f"{text}.{call.name}"
        declared = declared_type(call.node, text)
        if declared is not None and _library(kf, declared):
            if re.search(rb"\bfun\s+(<[^>]*>\s*)?" + re.escape(f"{declared}.{call.name}(".encode()), kf.data):
                # `private suspend fun HttpClient.get(url, .., requestTimeoutAfter: Long)`: the file's own
                # extension of the library type, published as its class's member (or top-level name)
                owner = _member_owner(call.node, call.name)
                return f"{owner}.{call.name}" if owner is not None else call.name
            return None
        if declared is None and call.name in TIMEOUT_SETTERS:
            return None  # `builder.readTimeout(t, SECONDS)`: a client builder's setter, read by http_timeouts
        return f"{declared}.{call.name}" if declared else call.name
    if recv.type == "navigation_expression" and text.startswith("this.") and text.count(".") == 1:
        declared = declared_type(call.node, text[5:])
        if declared is not None and _library(kf, declared):
            return None
        return f"{declared}.{call.name}" if declared else call.name
    if recv.type in ("navigation_expression", "postfix_expression", "unary_expression", "call_expression") \
            and text[:1].islower() and not (recv.type == "call_expression" and call.name in TIMEOUT_SETTERS) \
            and call.name not in _COMMON and len(call.name) >= 4 and not _STDLIB_MEMBER.match(call.name):
        # `monitorCtx.queries!!.indexDocLevelQueries(..)`: a distinctive member name, as its class publishes it;
        # round 11: also at the end of a chain (`client.get().retrieve().awaitWithRetry()`), the project's
        # extension function of the same file or package (Kotlin needs no import there)
        return call.name
    return None


def _member_owner(node: ts.Node, name: str) -> str | None:
    """The class around ``node`` when it (or its companion object) declares a member function ``name``:
    a companion's members are published under the class's name (``HttpClientUtils.get``), so a call
    from one companion member to another (``get(..) = invoke(.., timeout = timeout)``) names it so."""
    in_companion = False
    for parent in ts.ancestors(node):
        if parent.type == "companion_object":
            in_companion = in_companion or _declares(parent, name)
            continue
        if parent.type in ("class_declaration", "object_declaration"):
            if in_companion or _declares(parent, name):
                owner = next((c for c in parent.named_children if c.type in ("identifier", "type_identifier")),
                             None)
                return ts.text(owner) if owner is not None else None
            return None
    return None


def _declares(holder: ts.Node, name: str) -> bool:
    """Does a class/object/companion body declare a member function ``name``?"""
    body = next((c for c in holder.named_children if c.type == "class_body"), None)
    for member in (body.named_children if body is not None else ()):
        ident = next((c for c in member.children if c.type in ("identifier", "simple_identifier")), None) \
            if member.type == "function_declaration" else None
        if ident is not None and ts.text(ident) == name:
            return True
    return False


# A settings field named for a scalar a helper may apply as a timeout or a bound (`pollingInterval`, `waitSeconds`),
# not a nested settings object (`filesProperties.ftpIn`, handed whole to a client factory)
_SCALAR_SETTING = re.compile(r"interval|period|duration|millis|seconds|minutes|Ms$|_ms$|timeout|deadline|ttl|wait|"
                             r"retr|attempt|tries|count|max|limit", re.IGNORECASE)


def _value(arg: ts.Node, own: frozenset[str] | set[str] = frozenset()) -> tuple[Expr, bool] | None:
    """The argument in ms (a duration) or as written (a number or constant), and whether it may
    count tries (a whole number or a constant); None for anything else. A local value named for a
    timeout or a retry bound (``val timeout = manager.timeoutFor(host)``; not one of ``own``, the
    caller's parameters: those are forwarded) is the call's contract, valued when the name resolves."""
    if arg.type == "number_literal":
        text = ts.text(arg).lower().rstrip("lfu")
        if text.startswith(("0x", "0b")):
            return None
        return expr_of(arg), not any(c in text for c in ".e")
    if arg.type == "identifier" and _CONST.match(ts.text(arg)):
        return Ref(ts.text(arg)), True
    if arg.type == "identifier" and ts.text(arg) not in own and (
            _FIELD_TIMEOUT.search(ts.text(arg)) or _FIELD_BOUND.search(ts.text(arg))):
        read = _property_read(member_value(arg, ts.text(arg)))
        if read is None:
            # round 15 (usonia): `val timeout = 30.seconds` earlier in the calling function (or a `val` of the class)
            # handed on as `attemptTimeout = timeout`: that duration in ms, that number
            local = local_value(arg, ts.text(arg)) or member_value(arg, ts.text(arg))
            duration = duration_of(local) if local is not None else None
            if duration is not None:
                return _ms(duration), False
            if local is not None and local.type == "number_literal":
                return _value(local, own)
        return (read if read is not None else Ref(ts.text(arg))), bool(_FIELD_BOUND.search(ts.text(arg)))
    if arg.type in ("postfix_expression", "unary_expression") and ts.text(arg).endswith("!!") \
            and arg.named_child_count == 1:
        arg = arg.named_children[0]  # `monitorCtx.indexTimeout!!`
    if arg.type == "navigation_expression":
        duration = duration_of(arg)
        if duration is not None:
            return _ms(duration), False
        last = ts.text(arg).rsplit(".", 1)[-1]
        plain = all(c.type in ("identifier", "navigation_expression") for c in ts.walk(arg) if c.is_named)
        if _CONST.match(last) and plain:
            return expr_of(arg), True
        if plain and (ts.text(arg)[:1].islower() or last[:1].islower()) and not ts.text(arg).startswith("this.") \
                and (_FIELD_TIMEOUT.search(last) or _FIELD_BOUND.search(last)):
            # (also an object's setting field: `PluginSettings.operationTimeoutMs`)
            # a configuration field handed to the helper (`cfg.requestTimeout`, `monitorCtx.indexTimeout`):
            # the contract of this call, valued when the field's default is known
            expr = expr_of(arg)
            head = ts.text(arg).split(".", 1)[0]
            if ts.text(arg).count(".") == 1 and declared_type(arg, head) is None:
                # `(host, config, client) -> client.head(.., config.connectTimeout)`: the receiver's class is
                # out of sight: a settings class's field of that name, when the name itself does not resolve
                expr = Call("coalesce", (expr, Ref(f"{SETTING_FIELD}.{last}")))
            return expr, bool(_FIELD_BOUND.search(last))
        head = ts.text(arg).split(".", 1)[0]
        if plain and head[:1].islower() and ts.text(arg).count(".") >= 2 and _SCALAR_SETTING.search(last) \
                and re.search(r"(Config|Configuration|Properties|Settings|Options)$", declared_type(arg, head) or ""):
            # round 13 (allegro envoy-control): `remoteServices.getChanges(properties.sync.pollingInterval)` with
            # `properties: EnvoyControlProperties`: a settings object's field handed to a helper, whatever its name;
            # kept only when the helper applies that parameter as a timeout or a bound
            return expr_of(arg), bool(_FIELD_BOUND.search(last))
        return None
    if arg.type == "call_expression":
        duration = duration_of(arg)
        if duration is not None:
            return _ms(duration), False
        read = KCall.of(arg)
        if read is not None and read.name in _PROPERTY_READS and read.receiver is not None and read.args:
            # `environment.getRequiredProperty("$clientId.endpoint.timeout", Duration::class.java)` handed to a
            # helper: a setting, valued from the configuration when its key is literal, else unknown here
            key = _property_read(arg)
            return (key if key is not None else Unknown(ts.text(arg))), False
        return None
    return None


_PROPERTY_READS = frozenset({"getRequiredProperty", "getProperty"})


def _property_read(init: ts.Node | None) -> Expr | None:
    """``environment.getRequiredProperty("auth.max-retry-attempts", Long::class.java)`` -> the Spring key
    (resolved among the service's configuration files); ``getProperty("k", 3)`` with its default."""
    if init is None or init.type != "call_expression":
        return None
    call = KCall.of(init)
    if call is None or call.name not in _PROPERTY_READS or not call.args or call.receiver is None:
        return None
    key = ts.text(call.args[0])
    if not (key.startswith('"') and key.endswith('"')) or "$" in key:
        return None
    ref = Ref(key.strip('"'))
    if call.name == "getProperty" and len(call.args) > 1 and call.args[1].type == "number_literal":
        return Call("coalesce", (ref, expr_of(call.args[1])))
    return ref


def _ms(duration: tuple[Expr, float]) -> Expr:
    expr, scale = duration
    return expr if scale == 1.0 else BinOp("*", expr, Num(scale))


def _null_like(kf: KotlinFile, arg: ts.Node) -> bool:
    """``null``, or a property injected from a setting whose default is null (``@Value`` with ``:#{null}``)."""
    if ts.text(arg) == "null":
        return True
    if arg.type != "identifier":
        return False
    value = kf.symbols.get(ts.text(arg))
    return isinstance(value, Call) and value.func == "coalesce" and len(value.args) == 2 \
        and isinstance(value.args[1], Str) and value.args[1].value == "#{null}"


# A parameter a forwarder may hand on as a timeout or a bound (its name says so).
_FORWARDABLE = re.compile(r"timeout|deadline|wait|ttl|duration|millis|seconds|minutes|_ms$|Ms$|retr|attempt|tries|"
                          r"times|count|limit|backoff|delay|max", re.IGNORECASE)
# A helper named for remote work (or a class built): a call leaving its defaulted timeout out gets the default.
_REMOTEISH = re.compile(r"fetch|get|post|put|patch|delete|call|request|send|client|api|http|download|upload|query|"
                        r"load|execute|invoke|connect|open|sync|push|pull|publish|notify|submit|search|index|within|"
                        r"timeout|deadline|retrofit|service|session|channel|stub|create|build",
                        re.IGNORECASE)
# A helper named for retrying: a call that leaves its attempts parameter out gets the default bound.
# A keyword argument that is a retry bound (the core's list plus `maxRepeats`-like names).
_BOUND_KEYWORD = re.compile(r"retr|attempt|tries|times|count|repeats", re.IGNORECASE)
_RETRYISH = re.compile(r"retr|backoff|attempt|resilien|tryUntil|untilSuccess", re.IGNORECASE)


_SUPERTYPE_CALL_R22 = re.compile(rb"\bclass\s+\w+(?:<[^>]*>)?\s*:\s*[\w.]+(?:<[^>]*>)?\s*\(")


def _supertype_calls(kf: KotlinFile) -> list[KCall]:
    """The superclass constructor calls of the file's classes (``class DbhClient(..) :
    RetryingRestTemplateWrapper(restTemplate, retries = retries)``), read as calls of that class's constructor."""
    if b") : " not in kf.data and b"):" not in kf.data and b") :\n" not in kf.data and \
            not _SUPERTYPE_CALL_R22.search(kf.data):
        return []  # (round 22: `class RiskClient : BaseClient("http://risk:8080", timeoutMs = 250)`, no constructor)
    out = []
    for node in ts.walk(kf.tree.root_node):
        if node.type != "constructor_invocation" or node.parent is None or node.parent.type != "delegation_specifier":
            continue
        user = next((c for c in node.named_children if c.type == "user_type"), None)
        ident = next((c for c in reversed(user.named_children) if c.type in ("identifier", "type_identifier")), None) \
            if user is not None else None
        va_list = next((c for c in node.named_children if c.type == "value_arguments"), None)
        if ident is None or va_list is None:
            continue
        args: list[ts.Node] = []
        named_args: dict[str, ts.Node] = {}
        for va in va_list.named_children:
            parts = va.named_children
            if len(parts) >= 2 and parts[0].type == "identifier" and any(c.type == "=" for c in va.children):
                named_args[ts.text(parts[0])] = parts[-1]
            elif parts:
                args.append(parts[-1])
        out.append(KCall(node, ts.text(ident), ident, None, args, named_args, None))
    return out


def _project_extension(kf: KotlinFile, name: str) -> bool:
    """Round 17 (round-16 request, keyworker-api): ``eventQueue.publishBatch(jsonMapper, it)`` with
    ``import <the project's package>.publishBatch``: an extension function of the project imported by name (its
    file publishes what a call leaving its defaulted retry policy out gets)."""
    imported = kf.imports.get(name)
    return imported is not None and bool(kf.package) and not imported.startswith(_LIBRARY_PACKAGES) \
        and imported.split(".")[:2] == kf.package.split(".")[:2] and name[:1].islower()


def _local_storage_only(kf: KotlinFile, lam: ts.Node) -> bool:
    """A lambda whose work (its text, and the bodies of the file's functions it calls by name) opens local storage
    (shared preferences, a key store, a database file) and names no network work: what a retry helper runs again
    there is no call to another service."""
    from extractors.kotlin.detectors.retries import _LOCAL_STORAGE, _NETWORK_WORK
    texts = [ts.text(lam)]
    called = {ts.text(n.named_children[0]) for n in ts.walk(lam)
              if n.type == "call_expression" and n.named_children and n.named_children[0].type in ("identifier",
                                                                                                   "simple_identifier")}
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
        if ident is not None and ts.text(ident) in called:
            texts.append(ts.text(fn))
    text = "\n".join(texts)
    return bool(_LOCAL_STORAGE.search(text)) and not _NETWORK_WORK.search(text)


def _propose(kf: KotlinFile) -> None:
    taken = {(f.line, f.kind) for f in kf.sink.findings}
    # round 21: the findings kept whatever other files say (not a library knob's proposal that a bound field of
    # another file must confirm): a settings class's construction `Config(maxRetries = 2)` proposes its value to
    # the class that reads the member, though a job-queue knob also proposes it
    firm = {(f.line, f.kind) for f in kf.sink.findings if not any(p.attribute == wrappers.KEEP_IF for p in f.pending)}
    for call in [*kf.calls, *_supertype_calls(kf)]:
        if _self_call(call):
            continue  # a function calling itself again (a recursion retry: reported at the function's name)
        if (_RETRYISH.search(call.name) or call.lambda_ is not None and call.name[:1].islower()
                and call.name not in _STDLIB and not _STDLIB_MEMBER.match(call.name)
                or call.receiver is not None and call.receiver.type == "identifier"
                and ts.text(call.receiver)[:1].isupper() and call.name[:1].islower()
                and not _library(kf, ts.text(call.receiver))
                or call.receiver is None and _member_owner(call.node, call.name) is not None
                or call.receiver is None and call.name in _top_level_functions(kf)
                or call.receiver is not None and _project_extension(kf, call.name)
                or _project_construction(kf, call)) \
                and (call.name_node.start_point[0] + 1, "retry") not in taken:
            # (or a member of the class around the call: `downloadBlobAsByteArray(url)` inside `BlobAccess`)
            # a retry helper by its name, or any member of a project object (`Provider.nextArticle(lang)` whose
            # `retryLimit = MAX_RETRY_LIMIT` the call leaves out): kept only when the helper publishes that default
            callee = _callee(kf, call)
            if callee is not None and _project_construction(kf, call) and call.node.parent is not None \
                    and call.node.parent.type in ("class_parameter", "parameter_with_optional_type", "parameter"):
                # round 21 (mulighetsrommet): `config: Config = Config()`, the default object of a constructor
                # parameter: the data class's own defaults (rule a at its parameters), not another construction
                callee = None
            if callee is not None and any(_BOUND_KEYWORD.search(k) for k, v in call.named_args.items()
                                          if ts.text(v) not in ("true", "false")):
                callee = None  # `tryUntil(maxRepeats = maxRepeats, ..)`: the bound is passed by name, not left out
            around = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
            if callee is not None and around is not None and around.id in kf.lambda_helpers:
                callee = None  # a helper handing its own lambda to another retry helper: its callers hold the retry
            if callee is not None and call.lambda_ is not None and _local_storage_only(kf, call.lambda_):
                callee = None  # (round 20) `retry { create(fileName) }` opening encrypted preferences: local work
            if callee is not None:
                # `retryApiService.getBackoffSpec()`: kept when the helper publishes what an omitted bound gives
                # an argument that is null (a literal, or a setting whose default is `#{null}`) leaves it out too
                positional = next((i for i, a in enumerate(call.args) if _null_like(kf, a)), len(call.args))
                found = wrappers.omitted_retry_proposal(
                    path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee,
                    positional=positional, keywords=[k for k, v in call.named_args.items()
                                                     if ts.text(v) not in ("true", "false")],
                    evidence=kf.evidence(call.name_node))  # (round 20: `retryOnReadTimeout = true` is a switch)
                if found is not None and _project_construction(kf, call) and b"HttpMethod." in kf.data \
                        and b"HttpMethod.GET" not in kf.data:
                    # a client built here only for other methods than GET: kept when the class retries those too
                    found = replace(found, pending=tuple(
                        replace(p, expr=Ref(f"{callee}.{_NON_GET}:{positional}")) if p.attribute == wrappers.KEEP_IF
                        else p for p in found.pending))
                if found is not None:
                    kf.sink.findings.append(found)

        keyed = [(i, a) for i, a in enumerate(call.args)] + list(call.named_args.items())
        callee = _callee(kf, call) if not _library_call(call) else None
        if callee is None:
            continue
        urls = wrappers.literal_url_args((k, ts.text(a)) for k, a in keyed)  # (round 22) `BaseClient("http://risk:8080", ..)`: the call's destination
        if callee == call.name and call.receiver is not None and (call.name in _COMMON or len(call.name) < 4) \
                and any(_timeout_field(a) for _, a in keyed):
            # `client.head(uri, cfg.connectTimeout)` on a receiver of unknown type: the member as every class
            # of the service publishes it (`*.head`); the argument's name says it is a timeout
            callee = f"{_ANY}.{call.name}"
        line = call.name_node.start_point[0] + 1
        if (line, "timeout") not in taken and (call.name[:1].isupper() or _REMOTEISH.search(call.name)
                                               or call.receiver is None and _member_owner(call.node, call.name)
                                               or call.receiver is not None and callee == call.name
                                               and kf.imports.get(call.name) is not None):
            # (or an extension function of the project imported by name: `mono.blockAndHandleError(..)`)
            # `fetchJson(url)` with `timeout: Long = 5000`: kept when the helper publishes that default
            positional = next((i for i, a in enumerate(call.args) if _null_like(kf, a)), len(call.args))
            found = wrappers.omitted_timeout_proposal(
                path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee,
                positional=positional, keywords=list(call.named_args), evidence=kf.evidence(call.name_node),
                args=urls)
            if found is not None:
                # the phase of the parameter left out (the first one after the passed arguments)
                phase = Pending("phase", Call("coalesce", (Ref(f"{callee}.{wrappers.TIMEOUT_PHASE}:{positional}"),
                                                           Str("total"))), None)
                kf.sink.findings.append(replace(found, pending=(*found.pending, phase)))
        params = _own_parameters(call.node)
        own = {p for p in params if _FORWARDABLE.search(p)}
        for key, arg in keyed:
            forwarded = _forwarded(arg, own)
            if forwarded is not None:
                _propose_default(kf, call, callee, key, arg, forwarded, taken)
                # `fun get(url, timeoutMs) = post(url, null, timeoutMs)`: never reported, it publishes `get`'s
                # parameter for get's own callers (a helper chain)
                kf.sink.findings.append(wrappers.forward_proposal(
                    path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee, key=key,
                    value=forwarded, expression=ts.text(arg)))
        _propose_option_members(kf, call, callee, keyed, params)
        if not keyed or not any(_value(a, params) is not None for _, a in keyed):
            continue
        # the call's own lines (not its trailing lambda): a finding there already reads this call
        # (a helper of this file applied at the arguments, `withRetry(3) { }` read by name)
        last = max(a.end_point[0] for _, a in keyed) + 1
        kinds = {kind for (at, kind) in (firm if call.name[:1].isupper() else taken) if line <= at <= last}
        for key, arg in keyed:
            found = _value(arg, params)
            if found is None or _forwarded(arg, own) is not None or _null_like(kf, arg):
                continue  # (`waitUntil(timeout = maxSecondsDuration.seconds)`: the caller's own parameter, forwarded;
                # `getBackoffSpec(maxRetryAttempts, ..)` of an injected `:#{null}` setting: left out, read above)
            value, countable = found
            expression = ts.text(arg)
            if "timeout" not in kinds:
                kf.sink.findings.append(wrappers.timeout_proposal(
                    path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee, key=key,
                    value=value, expression=expression, evidence=kf.evidence(call.name_node), args=urls))
            if countable and "retry" not in kinds:
                kf.sink.findings.append(_at_least_one_try(wrappers.retry_proposal(
                    path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee, key=key,
                    value=value, expression=expression, evidence=kf.evidence(call.name_node), args=urls)))


def _project_construction(kf: KotlinFile, call: KCall) -> bool:
    """Round 19 (hmpps-integration-api): ``WebClientWrapper(baseUrl)``, a project class built without a receiver,
    leaving out ``retryAttempts: Long = 3L`` that its members hand to ``Retry.backoff(retryAttempts, ..)``: a
    retry at the construction (rule b), kept only when the class publishes that default. A class whose retries
    are guarded to GETs (``if (method == HttpMethod.GET) requestWithRetry(..)``) retries nothing for a holder
    that only sends other methods (``$attempts_any_method``, see ``_retry_get_only``)."""
    return call.receiver is None and call.name[:1].isupper() and call.name not in _STDLIB \
        and not _library(kf, call.name) and kf.imports.get(call.name, "").split(".")[:1] != ["java"]


_NON_GET = "$attempts_non_get"


def _retry_get_only(kf: KotlinFile, cls: ts.Node, findings: list[Finding]) -> bool:
    """Every retry of the class is in a member reached only from the then-branch of an ``if`` on a GET
    (``if (method == HttpMethod.GET) requestWithRetry(..) else ..``): non-idempotent requests are sent once."""
    first, last = cls.start_point[0] + 1, cls.end_point[0] + 1
    members: set[str] = set()
    for fd in findings:
        if fd.kind != "retry" or fd.detector == ID or not first <= fd.line <= last:
            continue
        node = kf.tree.root_node.descendant_for_point_range((fd.line - 1, max(fd.column - 1, 0)),
                                                            (fd.line - 1, max(fd.column - 1, 0)))
        fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None) if node else None
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None) \
            if fn is not None else None
        if ident is None:
            return False
        members.add(ts.text(ident))
    if not members:
        return False
    calls = [c for c in kf.calls if c.name in members and first <= c.node.start_point[0] + 1 <= last
             and (c.receiver is None or ts.text(c.receiver) == "this")]
    if not calls:
        return False
    for call in calls:
        guarded = False
        for a in ts.ancestors(call.node):
            if a.type == "if_expression" and len(a.named_children) >= 2 \
                    and re.search(r"\bGET\b", ts.text(a.named_children[0])) \
                    and a.named_children[1].start_byte <= call.node.start_byte < a.named_children[1].end_byte:
                guarded = True
                break
        if not guarded:
            return False
    return True


def _self_call(call: KCall) -> bool:
    """``return executeWithRetries(request, remainingTries - 1)`` inside ``fun executeWithRetries``: a function
    calling itself with one of its own parameters one lower or higher (a counter; not an overload handing a
    default on, ``fun get(url) = get(url, 5000)``)."""
    if call.receiver is not None and ts.text(call.receiver) != "this":
        return False
    fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
    ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None) \
        if fn is not None else None
    if ident is None or ts.text(ident) != call.name:
        return False
    own = _own_parameters(call.node)
    for arg in [*call.args, *call.named_args.values()]:
        m = re.fullmatch(r"(\w+)[-+]1|(\w+)\.(dec|inc)\(\)", ts.text(arg).replace(" ", ""))
        if m and (m.group(1) or m.group(2)) in own:
            return True
    return False


def _at_least_one_try(fd: Finding) -> Finding:
    """A call passing 0 re-tries to a helper (``RetryingRestTemplateWrapper(restTemplate, retries = 0)``, which then
    never retries) still makes its one try: max_attempts is at least 1."""
    return replace(fd, pending=tuple(replace(p, expr=Call("max", (p.expr, Num(1.0))))
                                     if p.attribute == "max_attempts" else p for p in fd.pending))


def _default_value(kf: KotlinFile, default: ts.Node) -> Expr | None:
    """A parameter's default as an Expr (a duration in ms); None for ``null`` or what no Expr says."""
    if ts.text(default) == "null":
        return None
    duration = duration_of(default)
    if duration is not None:
        return _ms(duration)
    try:
        value = kf._constant_expr(default)
    except RecursionError:
        return None
    return None if isinstance(value, Unknown) else value


def _subst(expr: Expr, name: str, value: Expr) -> Expr:
    """``expr`` with ``Ref(name)`` replaced by ``value``."""
    if isinstance(expr, Ref):
        return value if expr.name == name else expr
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _subst(expr.left, name, value), _subst(expr.right, name, value))
    if isinstance(expr, Call):
        return replace(expr, args=tuple(_subst(a, name, value) for a in expr.args))
    return expr


def _refs(expr: Expr) -> list[str]:
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, BinOp):
        return _refs(expr.left) + _refs(expr.right)
    if isinstance(expr, Call):
        return [n for a in expr.args for n in _refs(a)]
    return []


_BOUND_NAME = re.compile(r"retr|attempt|tries|times", re.IGNORECASE)
_TIMEOUT_NAME = re.compile(r"timeout|deadline|wait|ttl|millis|seconds|minutes|_ms$|Ms$|duration", re.IGNORECASE)


def _propose_default(kf: KotlinFile, call: KCall, callee: str, key, arg: ts.Node, forwarded: Expr,
                     taken: set[tuple[int, str]]) -> None:
    """A helper handing its own DEFAULTED parameter on to another helper (``fun get(url, timeout: Long =
    REQUEST_TIMEOUT_MILLIS) = invoke(url, timeout = timeout)``): a default set in code, reported at the
    argument with the default's value (convention (a)); kept only when the inner helper applies that
    parameter. A parameter without a default is a forwarder only (the calls that pass a value hold it)."""
    names = _refs(forwarded)
    if len(names) != 1:
        return
    default = parameter_default(arg, names[0])
    value = _default_value(kf, default) if default is not None else None
    if value is None:
        for inherited in _inherited_defaults(arg, names[0]):
            _propose_inherited_default(kf, call, callee, key, arg, forwarded, names[0], inherited, taken)
        return
    value = _subst(forwarded, names[0], value)
    line = arg.start_point[0] + 1
    expression = f"{ts.text(arg)} (default {ts.text(default)})"
    bound, timed = _BOUND_NAME.search(names[0]), _TIMEOUT_NAME.search(names[0])
    if (timed or not bound) and (line, "timeout") not in taken:
        kf.sink.findings.append(wrappers.timeout_proposal(
            path=kf.path, language="kotlin", node=arg, detector=ID, callee=callee, key=key,
            value=value, expression=expression, evidence=kf.evidence(call.name_node)))
    if (bound or not timed) and (line, "retry") not in taken:
        kf.sink.findings.append(wrappers.retry_proposal(
            path=kf.path, language="kotlin", node=arg, detector=ID, callee=callee, key=key,
            value=value, expression=expression, evidence=kf.evidence(call.name_node)))


def _inherited_defaults(arg: ts.Node, param: str) -> list[str]:
    """``override suspend fun handleRequest(accNo: String, version: Int, waitTime: Duration)`` of a class whose
    interface declares ``waitTime: Duration = 5.minutes``: the symbols its supertypes may publish that default
    under (``ExtSubmissionSubmitter.handleRequest.$kotlin-param-default:waitTime``)."""
    fn = next((a for a in ts.ancestors(arg) if a.type == "function_declaration"), None)
    if fn is None or not _overrides(fn):
        return []
    ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    if ident is None or params is None or not any(
            c.type == "parameter" and any(ts.text(i) == param for i in c.named_children if i.type == "identifier")
            for c in params.named_children):
        return []
    return [f"{sup}.{ts.text(ident)}.{INHERITED_DEFAULT}:{param}" for sup in _supertypes(fn)]


def _propose_inherited_default(kf: KotlinFile, call: KCall, callee: str, key, arg: ts.Node, forwarded: Expr,
                               param: str, inherited: str, taken: set[tuple[int, str]]) -> None:
    """Convention (a) for an override handing on a parameter whose default its interface declares (round 12,
    biostudies): proposed with that default, kept only when the supertype publishes it and the inner helper
    applies the parameter."""
    value = _subst(forwarded, param, Ref(inherited))
    line = arg.start_point[0] + 1
    expression = f"{ts.text(arg)} (the supertype's default)"
    bound, timed = _BOUND_NAME.search(param), _TIMEOUT_NAME.search(param)
    made = []
    if (timed or not bound) and (line, "timeout") not in taken:
        made.append(wrappers.timeout_proposal(
            path=kf.path, language="kotlin", node=arg, detector=ID, callee=callee, key=key,
            value=value, expression=expression, evidence=kf.evidence(call.name_node)))
    if (bound or not timed) and (line, "retry") not in taken:
        made.append(wrappers.retry_proposal(
            path=kf.path, language="kotlin", node=arg, detector=ID, callee=callee, key=key,
            value=value, expression=expression, evidence=kf.evidence(call.name_node)))
    for fd in made:
        kf.sink.findings.append(replace(fd, pending=tuple(
            replace(p, expr=BinOp("*", Ref(inherited), p.expr)) if p.attribute == wrappers.KEEP_IF else p
            for p in fd.pending)))


def _settle_defaults(kf: KotlinFile, functions: list[_Fn]) -> None:
    """A helper's own setting of its DEFAULTED parameter (``timeout { requestTimeoutMillis = timeout }`` in
    ``fun invoke(.., timeout: Long? = REQUEST_TIMEOUT_MILLIS)``) is valued at the default (convention (a)):
    a default set in code, the only evidence when the helper's callers live outside the scan. Runs after
    the file's helpers are published (publication reads the parameter itself)."""
    spans = sorted(((fn.node.start_point[0] + 1, fn.node.end_point[0] + 1, fn) for fn in functions),
                   key=lambda t: t[1] - t[0])
    for i, fd in enumerate(kf.sink.findings):
        if fd.detector == ID or fd.kind not in ("timeout", "retry") or fd.attributes.get("forward"):
            continue
        attribute = "timeout_ms" if fd.kind == "timeout" else "max_attempts"
        pending = next((p for p in fd.pending if p.attribute == attribute), None)
        if pending is None:
            continue
        names = _refs(pending.expr)
        if len(names) != 1:
            continue
        fn = next((fn for first, last, fn in spans if first <= fd.line <= last
                   and any(p == names[0] for p, _ in fn.params)), None)
        default = next((d for p, d in fn.params if p == names[0]), None) if fn is not None else None
        if default is None:
            continue
        value = _default_value(kf, default)
        if value is None:
            continue
        if pending.scale not in (None, 1.0) and duration_of(default) is not None:
            continue  # a duration default (ms) under a unit scale: left to the pipeline's forwarder logic
        settled = Pending(attribute, _subst(pending.expr, names[0], value), pending.scale)
        kf.sink.findings[i] = replace(fd, pending=tuple(settled if p is pending else p for p in fd.pending))


def _timeout_field(arg: ts.Node) -> bool:
    """``cfg.connectTimeout``, ``settings.readTimeoutMs``: a field named for a timeout."""
    return arg.type == "navigation_expression" and bool(_FIELD_TIMEOUT.search(ts.text(arg).rsplit(".", 1)[-1]))


def _library_call(call: KCall) -> bool:
    """A call the library detectors read: ``Foo.builder()`` chains and standard library functions."""
    return call.receiver is None and call.name in _STDLIB


def _own_parameters(node: ts.Node) -> set[str]:
    """The parameters of the function around a call, and the constructor parameters and fields of
    the class around it (the names a forwarder hands on)."""
    out: set[str] = set()
    for parent in ts.ancestors(node):
        if parent.type == "function_declaration":
            params = next((c for c in parent.named_children if c.type == "function_value_parameters"), None)
            previous = None
            for param in (params.named_children if params is not None else ()):
                ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
                if param.type == "parameter" and ident is not None and not _injected(previous):
                    out.add(ts.text(ident))
                previous = param
        elif parent.type == "class_declaration":
            ctor = _constructor(parent)
            if ctor is not None:
                out.update(p for p, _ in ctor.params)
                out.update(a for a in ctor.aliases if not a.startswith("this."))
            break
    return out


def _forwarded(arg: ts.Node, own: set[str]) -> Expr | None:
    """The argument in terms of one of the caller's own parameters (``timeoutMs``,
    ``timeoutSeconds * 1000``, ``timeout.seconds``, ``Duration.ofSeconds(timeout.toLong())``,
    ``retries + 1``); None when it is anything else."""
    if not own:
        return None
    text = ts.text(arg).replace("this.", "")
    if arg.type == "identifier":
        return Ref(text) if text in own else None
    expr = expr_of(arg)
    if isinstance(expr, BinOp) and expr.op in ("*", "/", "+", "-") and (
            isinstance(expr.left, Ref) and expr.left.name in own and isinstance(expr.right, Num)
            or isinstance(expr.right, Ref) and expr.right.name in own and isinstance(expr.left, Num)):
        return expr  # `seconds * 1000`, `retries + 1`
    param = _param_in(text, own)
    if param is None:
        return None
    duration = duration_of(arg)
    if duration is not None:
        return Ref(param) if duration[1] == 1.0 else BinOp("*", Ref(param), Num(duration[1]))
    if isinstance(expr, Ref) and expr.name == param:
        return expr
    return None


# --- publish the file's helpers -----------------------------------------------------------------

_WRAPPING = frozenset({"Duration", "ofSeconds", "ofMillis", "ofMinutes", "ofNanos", "of", "toLong", "toInt",
                       "toDouble", "TimeUnit", "SECONDS", "MILLISECONDS", "MINUTES", "MICROSECONDS", "NANOSECONDS",
                       "seconds", "milliseconds", "minutes", "inWholeMilliseconds", "toMillis", "toJavaDuration",
                       "java", "time", "util", "concurrent", "kotlin", "ChronoUnit", "MILLIS", "toDuration",
                       "DurationUnit"})
_WORD = re.compile(r"[A-Za-z_]\w*")


def _param_in(expression: str, params: set[str]) -> str | None:
    """The one parameter an expression is written in (``Duration.ofSeconds(timeout.toLong())`` ->
    ``timeout``), when nothing else but unit wrappers appear in it."""
    words = [w for w in _WORD.findall(expression) if w not in _WRAPPING]
    return words[0] if len(words) == 1 and words[0] in params else None


def _for_publish(fd: Finding, params: set[str], defaults: dict[str, float],
                 aliases: dict[str, str] | None = None, bare: frozenset[str] = frozenset()) -> Finding:
    """A finding as ``wrappers.publish`` reads it: a timeout settled from a parameter's default, or
    whose expression wraps the parameter (or the field a constructor stores it in) in a unit, names
    the parameter as its expression."""
    if fd.kind != "timeout":
        return fd
    expression = str(fd.attributes.get("expression") or "").strip()
    if expression in bare and isinstance(fd.attributes.get("timeout_ms"), (int, float)):
        # round 15 (hmpps-subject-access-request-api): `fun ..wrappedHealthWebClient(url, healthTimeout: Duration) =
        # healthWebClient(url, healthTimeout)` in a file whose class also has a `healthTimeout` field (a `@Value` with
        # a default): the parameter shadows the field, the value is the caller's (a forwarder)
        return replace(fd, attributes={**fd.attributes, "timeout_ms": None},
                       pending=(*[p for p in fd.pending if p.attribute != "timeout_ms"],
                                Pending("timeout_ms", Ref(expression), 1.0)))
    aliases = aliases or {}
    pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
    if pending is not None and isinstance(pending.expr, Ref) and (pending.expr.name in params
                                                                  or pending.expr.name in aliases):
        return fd
    expression = str(fd.attributes.get("expression") or "").replace("this.", "")
    let = _NULLABLE_LET.match(expression)
    if let and let.group(1) in params and pending is None and fd.attributes.get("timeout_ms") is None:
        # round 16 (index-management): `timeoutInSeconds?.let { TimeValue(timeoutInSeconds, TimeUnit.SECONDS) }`
        # is the parameter in a unit, applied only when a caller gives one
        inner = let.group(2).replace("it", let.group(1)) if re.search(r"\bit\b", let.group(2)) else let.group(2)
        if _param_in(inner, {let.group(1)} | _LET_UNITS) == let.group(1) or \
                [w for w in _WORD.findall(inner) if w not in _WRAPPING and w not in _LET_UNITS] == [let.group(1)]:
            return _with(fd, let.group(1), (Pending("timeout_ms", Ref(let.group(1)), _let_scale(inner)),))
    param = _param_in(expression, params | set(aliases))
    if param is None:
        return fd
    if param in aliases:
        field_name, param = param, aliases[param]
        if pending is not None and isinstance(pending.expr, BinOp) and isinstance(pending.expr.left, Ref) \
                and pending.expr.left.name == field_name:
            pending = Pending(pending.attribute, BinOp(pending.expr.op, Ref(param), pending.expr.right), pending.scale)
    if pending is not None and isinstance(pending.expr, BinOp) and pending.expr.op == "*" \
            and isinstance(pending.expr.left, Ref) and pending.expr.left.name == param \
            and isinstance(pending.expr.right, Num):
        scale = (pending.scale or 1.0) * float(pending.expr.right.value)
        return _with(fd, param, (Pending("timeout_ms", Ref(param), scale),))
    if pending is None and isinstance(fd.attributes.get("timeout_ms"), (int, float)) and defaults.get(param):
        return _with(fd, param, ())
    if pending is not None and isinstance(defaults.get(param), Ref) and pending.expr == defaults[param]:
        # `.readTimeout(readTimeoutSec, SECONDS)` valued from the parameter's default constant: the parameter
        return _with(fd, param, (Pending("timeout_ms", Ref(param), pending.scale),))
    return fd


def _elvis_fallback(kf: KotlinFile, fn: ts.Node, param: str) -> Expr | None:
    """``param ?: fallback`` in the body of a function whose ``param`` defaults to null: what a call
    that leaves the parameter out gets (a name of the file read through its symbols)."""
    for node in ts.walk(fn):
        if node.type != "binary_expression" or len(node.named_children) != 2 \
                or not any(c.type == "?:" for c in node.children):
            continue
        left, right = node.named_children
        if left.type != "identifier" or ts.text(left) != param:
            continue
        expr = expr_of(right)
        if isinstance(expr, Ref) and expr.name in kf.symbols:
            return kf.symbols[expr.name]
        return expr if not isinstance(expr, Ref) else None
    return None


_NULLABLE_LET = re.compile(r"^(\w+)\s*\?\.\s*let\s*\{\s*(.*?)\s*\}$", re.DOTALL)
_LET_UNITS = frozenset({"TimeValue", "timeValueSeconds", "timeValueMillis", "timeValueMinutes"})


def _let_scale(inner: str) -> float | None:
    """ms per unit of a parameter wrapped as ``TimeValue(x, TimeUnit.SECONDS)`` / ``Duration.ofSeconds(x)``
    (None when the unit cannot be told)."""
    if re.search(r"SECONDS|[sS]econds\b|ofSeconds|timeValueSeconds", inner):
        return 1000.0
    if re.search(r"MINUTES|[mM]inutes\b|ofMinutes|timeValueMinutes", inner):
        return 60000.0
    if re.search(r"MILLI|[mM]illis|ofMillis|milliseconds", inner):
        return 1.0
    return None


def _with(fd: Finding, expression: str, pending: tuple[Pending, ...]) -> Finding:
    from dataclasses import replace
    return replace(fd, attributes={**fd.attributes, "expression": expression}, pending=pending)


def _publish(kf: KotlinFile, functions: list[_Fn]) -> dict[str, Expr]:
    findings = [f for f in kf.sink.findings if f.detector != ID and f.kind in ("timeout", "retry")]
    forwards = [f for f in kf.sink.findings if f.detector == ID and f.attributes.get("forward")]
    published: dict[str, Expr] = {}
    infos = []
    for fn in functions:
        if not fn.params:
            continue
        names = tuple(p for p, _ in fn.params)
        defaults: dict[str, float | Expr] = {}
        unbounded = {p for p, default in fn.params if default is not None and _UNBOUNDED.match(ts.text(default))}
        for p, default in fn.params:
            if default is None or p in unbounded:
                continue  # (round 15: `attemptTimeout: Duration = Duration.INFINITE`: no bound when left out)
            if ts.text(default) == "null":
                fallback = _elvis_fallback(kf, fn.node, p)
                if fallback is not None:
                    defaults[p] = fallback
                else:
                    # round 16 (index-management: `timeoutInSeconds: Long? = null` applied as
                    # `timeoutInSeconds?.let { TimeValue(it, SECONDS) }`): a null default sets no bound, so the
                    # helper's line only forwards and each call passing a value holds the contract
                    unbounded.add(p)
                continue
            try:
                number = settle(kf._constant_expr(default), 1.0)[0]
            except RecursionError:
                number = None
            if isinstance(number, (int, float)) and not isinstance(number, bool) and number:
                defaults[p] = number
            elif number is None:
                written = kf._constant_expr(default)
                if isinstance(written, Ref) and (_CONST.match(written.name.rsplit(".", 1)[-1])
                                                 or written.name in kf.symbols):
                    # (or a property of the file: `retries: Int = blobDownloadRetryCount`, an env lookup
                    # with a fallback, valued where the calls that leave it out are resolved)
                    # `readTimeoutSec: Long = OkHttpConnectionFactory.DEFAULT_READ_TIMEOUT_SEC`: another
                    # file's constant, valued where the calls that leave it out are resolved
                    defaults[p] = written
        first, last = fn.node.start_point[0] + 1, fn.node.end_point[0] + 1
        info = wrappers.Function(names=fn.names, first_line=first, last_line=last, params=names, defaults=defaults,
                                 aliases=fn.aliases,
                                 defaulted=frozenset(p for p, default in fn.params
                                                     if default is not None and p not in unbounded))
        infos.append((fn, info))
    # direct publications first: a forwarder handing a parameter to several helpers of the file takes the one
    # that applies it (not one that hands it back: `a(t)` -> `b(t)` -> `a(t)` would publish nothing)
    direct: set[str] = set()
    for fn, info in infos:
        inside = [_for_publish(f, set(info.params), dict(info.defaults), fn.aliases, _bare_parameters(fn))
                  for f in findings if info.first_line <= f.line <= info.last_line]
        direct.update(wrappers.publish([info], inside, own_detectors=(ID,)))
    forwards.sort(key=lambda f: f"{f.attributes.get('via')}.{wrappers.TIMEOUT_PARAM}:{f.attributes.get('key')}"
                  not in direct and f"{f.attributes.get('via')}.{wrappers.ATTEMPTS_PARAM}:{f.attributes.get('key')}"
                  not in direct)
    for fn, info in infos:
        names, defaults = info.params, dict(info.defaults)
        first, last = info.first_line, info.last_line
        inside = [_for_publish(f, set(names), defaults, fn.aliases, _bare_parameters(fn)) for f in findings
                  if first <= f.line <= last]
        inside += [f for f in forwards if first <= f.line <= last]
        # (convention, round 8: a defaulted parameter is counted at the helper (a) AND at each call that leaves
        # it out (b), whether the helper's own finding was settled from the default here or not)
        made = wrappers.publish([info], inside, own_detectors=(ID,))
        if made:  # (round 22) the URL parameter of a helper that publishes a bound, read from the findings as made
            made.update(wrappers.url_publications([info], [f for f in kf.sink.findings if f.detector != ID
                                                           and first <= f.line <= last]))
        published.update({k: v for k, v in made.items() if k not in published})
    # a supertype's or `*.` name only for a member that applies the value (or hands it to a helper this file
    # publishes): a test double forwarding to a lambda (`override fun head(..) = headHandler(..)`) must not
    # shadow the real implementation under the interface's name
    extra = {n for fn, _ in infos for n in fn.extra}
    for key in [k for k in published if k.split(".$", 1)[0] in extra]:
        value = published[key]
        if isinstance(value, Ref) and value.name not in published:
            callee = value.name.split(".$", 1)[0]
            if "." not in callee and kf.imports.get(callee) and not _library(kf, callee):
                continue  # handed to a project helper imported by name (`waitUntil(timeout = waitTime)`, round 12)
            del published[key]
    _publish_parameter_members(infos, findings, published)
    _publish_defaulted_options(kf, infos, findings, published)
    _publish_constructor_options(kf, infos, findings, published)
    for fn, _ in infos:
        if fn.node.type == "class_declaration" and not _retry_get_only(kf, fn.node, findings):
            for name in fn.names:
                for key in [k for k in published if k.startswith(f"{name}.{wrappers.ATTEMPTS_OMITTED}:")]:
                    published.setdefault(f"{name}.{_NON_GET}:{key.rsplit(':', 1)[1]}", Num(1))
    # forwarders: a function handing its own parameter on to a helper this file publishes
    if not published:
        return published
    by_node = {fn.node.id: (fn, info) for fn, info in infos}
    forwarding = []  # (function, its info, a call in it passing a bare name)
    for call in kf.calls:
        if not any(a.type == "identifier" for a in [*call.args, *call.named_args.values()]):
            continue
        for outer in ts.ancestors(call.node):
            if outer.id in by_node:
                forwarding.append((*by_node[outer.id], call))
                break
    for _ in range(3):
        grown = False
        for fn, info, call in forwarding:
            callee = _callee(kf, call)
            if callee is None:
                continue
            keyed = [(i, a) for i, a in enumerate(call.args)] + list(call.named_args.items())
            for key, arg in keyed:
                if arg.type != "identifier" or ts.text(arg) not in info.params:
                    continue
                param = ts.text(arg)
                for marker in (wrappers.TIMEOUT_PARAM, wrappers.ATTEMPTS_PARAM):
                    value = published.get(f"{callee}.{marker}:{key}")
                    if value is None:
                        continue
                    index = info.params.index(param)
                    for name in info.names:
                        for k in (f"{name}.{marker}:{index}", f"{name}.{marker}:{param}"):
                            if k not in published:
                                published[k] = value
                                grown = True
        if not grown:
            break
    return published


# A parameter default that sets no bound: a call leaving the parameter out gets none (round 15, usonia's
# `runRetryable(attemptTimeout: Duration = Duration.INFINITE, ..)`), and the helper's own line only forwards.
_OPTIONS_TYPE = re.compile(r"(Strategy|Policy|Options|Opts|Retry|Backoff)$|^(strategy|policy|options|retry)", re.IGNORECASE)
_SETTINGS_TYPE = re.compile(r"(Properties|Config|Configuration|Settings|Props|Env|Environment)$")
_UNBOUNDED = re.compile(r"^(Duration\.)?INFINITE$|^(Long|Int)\.MAX_VALUE$")


def _publish_parameter_members(infos, findings: list[Finding], published: dict[str, Expr]) -> None:
    """Round 15 (usonia): a helper whose retry bound or timeout is a MEMBER of a parameter without a default
    (``fun <T> runRetryable(strategy: RetryStrategy, ..) { repeat(strategy.attempts) { .. } }``; the detectors
    read it as ``RetryStrategy.attempts``, the parameter's type): published as ``name.$attempts_param:strategy.attempts``
    (and ``:1.attempts`` by position), so a call handing an options object built with that member
    (``strategy = RetryStrategy.Bracket(attempts = 5, ..)``, inline or through a local ``val``) holds the contract
    (``_propose_option_members``); the helper's own line only forwards what its callers pass."""
    for fn, info in infos:
        if not info.names or fn.node.type != "function_declaration":
            continue  # (a class's constructor parameters are its injected dependencies and settings, not options)
        types: dict[str, str] = {}
        optionish: set[str] = set()  # the parameters typed (or named) as a retry policy / options object
        body = next((c for c in fn.node.named_children if c.type in ("function_body", "class_body")), None)
        for param, default in fn.params:
            if default is not None:
                continue
            kind = declared_type(body, param) if body is not None and body.named_children else None
            if kind and _SETTINGS_TYPE.search(kind):
                continue  # `config: ClientConfig`: a settings object, its members valued where it is declared
            types[param] = param
            if kind:
                types.setdefault(kind, param)
            if _OPTIONS_TYPE.search(kind or param):
                optionish.add(param)
        if not types:
            continue
        for fd in findings:
            if not info.first_line <= fd.line <= info.last_line or fd.detector == ID or fd.kind not in ("timeout", "retry"):
                continue
            attribute = "max_attempts" if fd.kind == "retry" else "timeout_ms"
            if fd.attributes.get(attribute) is not None:
                continue
            pending = next((p for p in fd.pending if p.attribute == attribute), None)
            if pending is None or not isinstance(pending.expr, Ref) or pending.expr.name.count(".") != 1:
                continue
            head, member = pending.expr.name.split(".")
            param = types.get(head)
            if param is None or not member[:1].islower():
                continue
            marker = wrappers.ATTEMPTS_PARAM if fd.kind == "retry" else wrappers.TIMEOUT_PARAM
            value = Num(1.0) if fd.kind == "retry" else Num(float(pending.scale or 1.0))
            index = info.params.index(param) if param in info.params else None
            for name in info.names:
                published.setdefault(f"{name}.{marker}:{param}.{member}", value)
                if index is not None:
                    published.setdefault(f"{name}.{marker}:{index}.{member}", value)
            if param in optionish:
                # (only a policy / options object: `serviceParams: ServiceParams` may come from a request, its
                # member read here stays this line's contract, as jibri's usage timeout is labelled)
                published.setdefault(wrappers.forwarder_key(fd), Num(1))


def _publish_defaulted_options(kf: KotlinFile, infos, findings: list[Finding], published: dict[str, Expr]) -> None:
    """Round 18 (evaka): a helper whose options parameter has a default built in place
    (``fun buildHttpClient(timeouts: TimeoutConfig = TimeoutConfig(), ..) { OkHttpClient.Builder()
    .connectTimeout(timeouts.connectTimeout).readTimeout(timeouts.readTimeout) .. }``). The helper's lines are
    contracts with the class's defaults (rule a, read by the detectors); a call leaving the object out gets every
    member's default, one finding per phase (rule b: ``$timeout_default:<k>`` a tuple, its phases named); a call
    handing an object built in place (``timeouts = TimeoutConfig(readTimeout = 5.minutes)``) holds the members it
    gives (``$timeout_param:timeouts.readTimeout``, with the member's phase) and the defaults of the ones it leaves
    out (``$timeout_default:timeouts.-readTimeout``, rule c with the rest by rule b)."""
    for fn, info in infos:
        if not info.names or fn.node.type != "function_declaration":
            continue
        for index, (param, default) in enumerate(fn.params):
            if default is None or default.type != "call_expression":
                continue
            made = KCall.of(default)
            if made is None or not made.name[:1].isupper() or made.args or made.named_args \
                    or made.lambda_ is not None:
                continue  # (only `Options()`: the class's own defaults)
            members: dict[str, tuple[str, Expr, float]] = {}  # member -> (phase, value in ms, ms per unit)
            for fd in findings:
                if fd.kind != "timeout" or not info.first_line <= fd.line <= info.last_line or fd.detector == ID:
                    continue
                match = re.fullmatch(rf"{re.escape(param)}\.([a-z]\w*)", str(fd.attributes.get("expression") or ""))
                if match is None or match.group(1) in members:
                    continue
                member, phase = match.group(1), str(fd.attributes.get("phase") or "total")
                pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
                ms = fd.attributes.get("timeout_ms")
                if isinstance(ms, (int, float)) and not isinstance(ms, bool):
                    value, scale = Num(float(ms)), 1.0
                    try:
                        written = settle(kf.symbols.get(f"{made.name}.{member}"), 1.0)[0]
                    except (RecursionError, TypeError, AttributeError):
                        written = None
                    if isinstance(written, (int, float)) and not isinstance(written, bool) and written:
                        scale = float(ms) / float(written)  # (`.connectTimeout(t.connectSecs, SECONDS)`)
                elif pending is not None:
                    scale = float(pending.scale or 1.0)
                    value = pending.expr if scale == 1.0 else BinOp("*", pending.expr, Num(scale))
                else:
                    continue  # (`timeouts.callTimeout?.let { .. }` with a null default: no bound)
                members[member] = (phase, value, scale)
            if not members:
                continue
            names = sorted(members)

            def defaults(left: list[str]) -> tuple[Expr, Str]:
                if len(left) == 1:
                    return members[left[0]][1], Str(members[left[0]][0])
                return Tuple(tuple(members[m][1] for m in left)), Str(",".join(members[m][0] for m in left))

            for name in fn.names:
                for member, (phase, _, scale) in members.items():
                    for key in (param, index):
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:{key}.{member}", Num(scale))
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:{key}.{member}", Str(phase))
                value, phases = defaults(names)
                for count in range(index + 1):
                    published.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", Num(1))
                    published.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", value)
                    published.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:omitted:{count}", phases)
                if len(names) > 4:
                    continue
                for mask in range(1, (1 << len(names)) - 1):
                    given = [m for i, m in enumerate(names) if mask >> i & 1]
                    value, phases = defaults([m for m in names if m not in given])
                    for key in (param, index):
                        suffix = f"{key}.-{','.join(given)}"
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{suffix}", Num(1))
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{suffix}", value)
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:omitted:{suffix}", phases)


def _publish_constructor_options(kf: KotlinFile, infos, findings: list[Finding], published: dict[str, Expr]) -> None:
    """Round 19 (hmpps-integration-api): a client class whose constructor takes an options object with a default
    built in place (``class RestApiClient(val apiName: String, val baseUrl: String, val defaultOptions:
    RestApiOptions = RestApiOptions())``) and whose members read that class's members through a value of its type
    (``Retry.backoff(opts.retryAttempts, ..)``, ``.responseTimeout(Duration.ofSeconds(options.responseTimeoutSeconds))``,
    with ``opts: RestApiOptions``). Those lines are contracts with the data class's defaults (rule a, read by the
    detectors); a construction leaving the object out (``RestApiClient(name, url)``) gets each of them (rule b):
    ``$timeout_default:<k>`` (one finding per phase) and ``$attempts_default:<k>``, for ``k`` up to the object's
    position."""
    for fn, info in infos:
        if not info.names or fn.node.type != "class_declaration":
            continue
        for index, (param, default) in enumerate(fn.params):
            if default is None or default.type != "call_expression":
                continue
            made = KCall.of(default)
            if made is None or not made.name[:1].isupper() or made.args or made.named_args \
                    or made.lambda_ is not None:
                continue  # (only `Options()`: the class's own defaults)
            kind_name = made.name.rsplit(".", 1)[-1]
            timeouts: list[tuple[str, Expr]] = []  # (phase, value in ms), one per member read
            attempts: float | None = None
            seen: set[tuple[str, str]] = set()
            for fd in findings:
                if fd.detector == ID or fd.kind not in ("timeout", "retry") \
                        or not info.first_line <= fd.line <= info.last_line:
                    continue
                got = fd.attributes.get("max_attempts" if fd.kind == "retry" else "timeout_ms")
                if not isinstance(got, (int, float)) or isinstance(got, bool) or not got:
                    continue
                member = _options_member_read(kf, fd, param, kind_name)
                if member is None or (fd.kind, member) in seen:
                    continue
                seen.add((fd.kind, member))
                if fd.kind == "retry":
                    attempts = float(got) if attempts is None else attempts
                else:
                    timeouts.append((str(fd.attributes.get("phase") or "total"), Num(float(got))))
            for name in fn.names:
                for count in range(index + 1):
                    if attempts is not None:
                        published.setdefault(f"{name}.{wrappers.ATTEMPTS_OMITTED}:{count}", Num(1))
                        published.setdefault(f"{name}.{wrappers.ATTEMPTS_DEFAULT}:{count}", Num(attempts))
                    if timeouts:
                        value = timeouts[0][1] if len(timeouts) == 1 else Tuple(tuple(v for _, v in timeouts))
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", Num(1))
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", value)
                        published.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:omitted:{count}",
                                             Str(",".join(p for p, _ in timeouts)))


def _options_member_read(kf: KotlinFile, fd: Finding, param: str, kind_name: str) -> str | None:
    """The member of the options class ``kind_name`` a finding's line reads (``opts.retryAttempts`` with ``opts:
    RestApiOptions``, or the constructor's own ``defaultOptions.retryAttempts``), when that class declares it."""
    node = kf.tree.root_node.descendant_for_point_range((fd.line - 1, max(fd.column - 1, 0)),
                                                        (fd.end_line - 1, max(fd.end_column - 2, 0)))
    while node is not None and node.parent is not None and node.start_point[0] + 1 == fd.line \
            and node.type not in ("call_expression", "property_declaration", "statements"):
        node = node.parent
    if node is None:
        return None
    for sub in ts.walk(node):
        if sub.type != "navigation_expression" or sub.start_point[0] + 1 != fd.line:
            continue
        m = re.fullmatch(r"(\w+)\??\.([a-z]\w*)", ts.text(sub))
        if m is None or f"{kind_name}.{m.group(2)}" not in kf.symbols:
            continue
        head = m.group(1)
        if head == param or declared_type(sub, head) == kind_name:
            return m.group(2)
    return None


def _option_members(arg: ts.Node) -> dict[str, ts.Node]:
    """The named arguments of an options object a call hands a helper: a constructor call written in place
    (``RetryStrategy.Bracket(attempts = 5, timeouts = ..)``) or through a local / member ``val`` holding one."""
    node = arg
    if node.type == "identifier":
        node = local_value(arg, ts.text(arg)) or member_value(arg, ts.text(arg))
    if node is None or node.type != "call_expression":
        return {}
    made = KCall.of(node)
    if made is None or not made.name[:1].isupper() or made.lambda_ is not None:
        return {}
    return dict(made.named_args)


def _propose_option_members(kf: KotlinFile, call: KCall, callee: str, keyed, params) -> None:
    """Each member of an options object handed to a helper, proposed under ``key.member`` (see
    ``_publish_parameter_members``): kept only when the helper reads that member as a bound or a timeout."""
    for key, arg in keyed:
        if arg.type not in ("identifier", "call_expression"):
            continue
        given = _option_members(arg)
        if given:
            # the members the object leaves to its class's defaults (published by `_publish_defaulted_options`)
            suffix = f"{key}.-{','.join(sorted(given))}"
            found = wrappers.omitted_timeout_proposal(
                path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee,
                positional=suffix, evidence=kf.evidence(call.name_node))  # type: ignore[arg-type]
            if found is not None:
                kf.sink.findings.append(found)
        for member, node in given.items():
            found = _value(node, params)
            if found is None:
                continue
            value, countable = found
            expression = f"{ts.text(arg)}.{member}" if arg.type == "identifier" else ts.text(node)
            kf.sink.findings.append(wrappers.timeout_proposal(
                path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee,
                key=f"{key}.{member}", value=value, expression=expression, evidence=kf.evidence(call.name_node)))
            if countable:
                kf.sink.findings.append(_at_least_one_try(wrappers.retry_proposal(
                    path=kf.path, language="kotlin", node=call.name_node, detector=ID, callee=callee,
                    key=f"{key}.{member}", value=value, expression=expression, evidence=kf.evidence(call.name_node))))


def _top_level_functions(kf: KotlinFile) -> frozenset[str]:
    """The names of the file's own top-level functions. Round 15 (fb-pages-discord-bot): ``timeoutSchedule(callID)``
    leaving out ``reoccurs: Long = 6`` of ``private fun timeoutSchedule(..) = Schedule.recurs(reoccurs)..`` in the same
    file: a call of the file's own helper leaving its bound out gets the default (rule b), whatever the helper's name."""
    cached = getattr(kf, "_cd_top_level_functions", None)
    if cached is None:
        names = set()
        for node in kf.tree.root_node.named_children:
            if node.type == "function_declaration":
                ident = next((c for c in node.children if c.type in ("identifier", "simple_identifier")), None)
                if ident is not None:
                    names.add(ts.text(ident))
        cached = frozenset(names)
        try:
            kf._cd_top_level_functions = cached
        except AttributeError:
            pass
    return cached


def _bare_parameters(fn: _Fn) -> frozenset[str]:
    """The parameters of a function (not a class's constructor) that have no default: a name in its body that is one
    of them is the caller's value, whatever a field of the same name holds."""
    if fn.node.type != "function_declaration":
        return frozenset()
    return frozenset(p for p, default in fn.params if default is None)


def _extension_receiver(fn: ts.Node, ident: ts.Node) -> str | None:
    """The simple name of an extension function's receiver type (``fun WebClient.Builder.x()`` -> ``Builder``)."""
    for child in fn.children:
        if child.start_byte >= ident.start_byte:
            break
        if child.type in ("user_type", "receiver_type"):
            text = re.sub(r"<.*", "", ts.text(child)).strip().rstrip("?")
            last = text.rsplit(".", 1)[-1]
            return last if re.fullmatch(r"[A-Z]\w*", last) else None
    return None


_BOUND_SETTINGS = re.compile(r"@(ConfigurationProperties|ConstructorBinding|ConfigProperties|ConfigMapping)\b")


def _publish_member_reads(kf: KotlinFile) -> None:
    """Round 20 (hmpps-approved-premises-api): ``Retry.max(webClientConfig.maxRetryAttempts)`` with ``webClientConfig:
    WebClientConfig``, the data class of another file declaring ``val maxRetryAttempts: Long = 1``: the bound is that
    class's constructor parameter, so its default (rule a) and each construction leaving it out (rule b) or passing
    one (rule c) are the contracts. Published as ``WebClientConfig.$attempts_param:maxRetryAttempts`` (1 + offset)
    for ``_propose_constructor_defaults`` and the constructions' proposals; only for a member read through a value
    (``cfg.maxRetryAttempts``), never a class's own constant (``RetryConfig.MAX``)."""
    for fd in list(kf.sink.findings):
        if fd.kind != "retry" or fd.detector == ID:
            continue
        expr = next((p.expr for p in fd.pending if p.attribute == "max_attempts"), None)
        # (a library's retry configured from the data class, not a hand loop: a loop bounded by `opts.maxAttempts` may
        # be a poll, newm-server's pollTxAvailability)
        settled = expr is None and isinstance(fd.attributes.get("max_attempts"), (int, float)) \
            and bool(fd.attributes.get("library") or fd.attributes.get("mechanism") == "call")
        if settled:
            expr = _settled_member_read(kf, fd)  # round 21: the data class of this file, settled to its default
        offset = 0.0
        if isinstance(expr, BinOp) and expr.op == "+" and isinstance(expr.right, Num):
            expr, offset = expr.left, expr.right.value
        if not isinstance(expr, Ref) or expr.name.count(".") != 1:
            continue
        owner, member = expr.name.split(".")
        if not owner[:1].isupper() or not member[:1].islower() or 1.0 + offset <= 0:
            continue
        lines = kf.data.decode("utf-8", "replace").splitlines()
        line = lines[fd.line - 1] if 0 < fd.line <= len(lines) else ""
        if not settled and not re.search(rf"\b[a-z]\w*\??\.{re.escape(member)}\b", line):
            continue
        kf.symbols.setdefault(f"{owner}.{wrappers.ATTEMPTS_PARAM}:{member}", Num(1.0 + offset))


def _settled_member_read(kf: KotlinFile, fd: Finding) -> Expr | None:
    """Round 21 (mulighetsrommet): ``retryIf(config.maxRetries)`` with ``config: Config = Config()`` and ``data class
    Config(val maxRetries: Int = 0)`` in the same file: the count settled here to the data class's default
    (``max_attempts`` 1) is still that class's constructor parameter. ``Ref("Config.maxRetries") + offset`` (the
    offset the settled count adds to the default), as a read of another file's class would be pending."""
    node = kf.tree.root_node.descendant_for_point_range((fd.line - 1, max(fd.column - 1, 0)),
                                                        (fd.line - 1, max(fd.column - 1, 0)))
    # the outermost expression starting on the finding's line (`install(HttpRequestRetry) { retryIf(config.maxRetries)
    # .. }`, or the `retryIf(..)` call itself)
    while node is not None and node.parent is not None and node.parent.start_point[0] + 1 == fd.line \
            and node.parent.type not in ("statements", "class_body", "source_file"):
        node = node.parent
    if node is None or node.start_point[0] + 1 != fd.line:
        return None
    for sub in ts.walk(node):
        if sub.type != "navigation_expression":
            continue
        m = re.fullmatch(r"([a-z]\w*)\??\.([a-z]\w*)", ts.text(sub))
        if m is None or not _BOUND_NAME.search(m.group(2)):
            continue
        owner = declared_type(sub, m.group(1))
        default = kf.symbols.get(f"{owner}.{m.group(2)}") if owner else None
        if not isinstance(default, Num):
            continue
        offset = float(fd.attributes["max_attempts"]) - default.value
        return BinOp("+", Ref(f"{owner}.{m.group(2)}"), Num(offset)) if offset else Ref(f"{owner}.{m.group(2)}")
    return None


def _propose_constructor_defaults(kf: KotlinFile) -> None:
    """The other half of ``_publish_member_reads``: a class of this file (not a settings class bound from
    configuration) whose constructor parameter has a numeric default and a bound's name (``val maxRetryAttempts: Long
    = 1``): a retry proposed at the default (rule a, kept when some file reads the member as a bound), and the
    constructor's ``$attempts_param:<index>`` / ``$attempts_omitted`` / ``$attempts_default`` published in terms of
    that read, for the constructions (rules b and c). A class whose own body reads the member is left to the
    helper publisher (its line applying the bound holds the default)."""
    for cls in ts.walk(kf.tree.root_node):
        if cls.type != "class_declaration":
            continue
        name = _name_of(cls)
        ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
        params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
        modifiers = next((c for c in cls.named_children if c.type == "modifiers"), None)
        if not name or params is None or (modifiers is not None and _BOUND_SETTINGS.search(ts.text(modifiers))):
            continue
        # round 21 (mulighetsrommet): a class nested in another (`MulighetsrommetApiClient.Config`), built by that
        # qualified name in other files: its constructor published under it too
        outer = [_name_of(a) for a in ts.ancestors(cls) if a.type in ("class_declaration", "object_declaration")]
        qualified = ".".join([*reversed([o for o in outer if o]), name]) if outer and all(outer) else None
        body = next((c for c in cls.named_children if c.type in ("class_body", "enum_class_body")), None)
        index = -1
        for param in params.named_children:
            if param.type != "class_parameter":
                continue
            index += 1
            ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
            if ident is None or not any(c.type in ("val", "var") for c in param.children) \
                    or not any(c.type == "=" for c in param.children):
                continue
            member = ts.text(ident)
            default = param.named_children[-1]
            if not _BOUND_NAME.search(member) or default.type not in ("number_literal", "integer_literal", "long_literal"):
                continue
            if body is not None and re.search(rf"\b{re.escape(member)}\b", ts.text(body)):
                continue  # the class applies it itself (`SimpleRetryPolicy(retries)`): its own line holds it
            try:
                value = Num(float(ts.text(default).rstrip("lL").replace("_", "")))
            except ValueError:
                continue
            marker = Ref(f"{name}.{wrappers.ATTEMPTS_PARAM}:{member}")
            # a nested class under its qualified name only: a simple `Config` would take every library's nested
            # `Config` (Ktor's `AuthenticationProvider.Config(name)`) for this one
            for published in (qualified,) if qualified else (name,):
                kf.symbols.setdefault(f"{published}.{wrappers.ATTEMPTS_PARAM}:{index}", marker)
                kf.symbols.setdefault(f"{published}.{wrappers.ATTEMPTS_PARAM}:{member}", marker) \
                    if published != name else None
                for count in range(index + 1):
                    kf.symbols.setdefault(f"{published}.{wrappers.ATTEMPTS_OMITTED}:{count}", marker)
                    kf.symbols.setdefault(f"{published}.{wrappers.ATTEMPTS_DEFAULT}:{count}",
                                          BinOp("-", BinOp("+", value, marker), Num(1.0)))
            kf.sink.findings.append(_at_least_one_try(wrappers.retry_proposal(
                path=kf.path, language="kotlin", node=default, detector=ID, callee=name, key=member, value=value,
                expression=f"{member} = {ts.text(default)} (constructor default)", evidence=kf.evidence(param))))
