"""Resilience4j retries, circuit breakers and time limiters in Java.

What it does: reports ``@Retry(name = "risk")``, ``@CircuitBreaker(name = ..., fallbackMethod = ...)``
and ``@TimeLimiter(name = ...)`` where they are applied. Their numbers live in Spring config, so
they are emitted pending: ``max_attempts`` as ``Ref("resilience4j.retry.instances.risk.maxAttempts")``,
the time limit as ``Ref("resilience4j.timelimiter.instances.risk.timeoutDuration")`` (the spring
extractor publishes every config key, including the effective value an instance inherits from
its ``baseConfig`` or ``configs.default``). Programmatic ``RetryConfig.custom().maxAttempts(3)``
chains and ``Retry.ofDefaults`` are reported where they are built.

Why it matters: the annotation is where the retry applies (and which call it wraps); counting
the retry here and only reading numbers from config gives one retry per retried method.

Example: ``@Retry(name = "gateway")`` + ``resilience4j.retry.instances.gateway.maxAttempts: 3``
-> retry max_attempts=3 at the annotation.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import r4j_setting as setting, settle_count
from extractors.java.syntax import (JavaFile, annotation_args, arguments, chain, chain_top, enclosing,
                                    expr_of, local_initializer, name_location, string_of, timeout_value)

ID = "java.resilience4j"
PREFIX = "resilience4j"


def _instance(args, jf: JavaFile) -> str | None:
    """The instance name: a literal, or a String constant of the file (``name = BACKEND_A``)."""
    node = args.get("name") or args.get("value")
    return _name_of(node, jf)


def _name_of(node, jf: JavaFile) -> str | None:
    if node is None:
        return None
    literal = string_of(node)
    if literal is not None:
        return literal
    bound = jf.symbols.get(ts.text(node).replace(" ", ""))
    return bound.value if isinstance(bound, Str) else None


@detector(ID, "java", ["retry", "circuit_breaker", "timeout", "fallback"],
          valid=['Retry retry = null; // a variable named retry', 'String s = "@Retry(name = x)";'],
          invalid=['@Retry(name = "risk") public Score score() { return null; }',
                   'RetryConfig c = RetryConfig.custom().maxAttempts(3).build();'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for site in jf.annotations:
        if site.name not in ("Retry", "CircuitBreaker", "TimeLimiter"):
            continue
        if site.name == "CircuitBreaker" and ("microprofile" in jf.imports.get(site.name, "") or (
                site.name not in jf.imports and b"import org.eclipse.microprofile.faulttolerance.*" in jf.data)):
            # MicroProfile Fault Tolerance's breaker (Quarkus, Open Liberty, Helidon): no instance name; its
            # @Retry/@Timeout are java.libraries'
            scope = enclosing(site.node, ("method_declaration", "class_declaration", "interface_declaration"))
            target, target_pending = target_within(jf, scope) if scope is not None else (None, ())
            jf.sink.add("circuit_breaker", ts.location(site.node), ID, {"library": "microprofile"},
                        jf.evidence(site.node), "high", target, target_pending)
            continue
        if not _is_resilience4j(jf, site.name):
            continue
        args = annotation_args(site.node)
        instance = _instance(args, jf)
        if instance is None:
            continue
        scope = enclosing(site.node, ("method_declaration", "class_declaration", "interface_declaration"))
        target, target_pending = target_within(jf, scope) if scope is not None else (None, ())
        loc = ts.location(site.node)
        evidence = jf.evidence(site.node)
        if site.name == "Retry":
            jf.sink.add("retry", loc, ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "decorator",
                         "library": "resilience4j", "instance": instance},
                        evidence, "medium", target,
                        (Pending("max_attempts", setting("retry", instance, "maxAttempts"), 1.0),
                         Pending("backoff", setting("retry", instance, "backoff"), None)) + target_pending)
        elif site.name == "CircuitBreaker":
            jf.sink.add("circuit_breaker", loc, ID, {"library": "resilience4j", "instance": instance},
                        evidence, "high", target, target_pending)
        else:
            key = f"{PREFIX}.timelimiter.instances.{instance}.timeoutDuration"
            jf.sink.add("timeout", loc, ID,
                        {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                         "expression": key, "library": "resilience4j", "instance": instance},
                        evidence, "medium", target,
                        (Pending("timeout_ms", setting("timelimiter", instance, "timeoutDuration"), 1.0),)
                        + target_pending)
        fallback = string_of(args.get("fallbackMethod"))
        if fallback:
            jf.sink.add("fallback", loc, ID, {"library": "resilience4j", "instance": instance, "method": fallback},
                        evidence, "high", target, target_pending)
    _programmatic(jf)


def _is_resilience4j(jf: JavaFile, name: str) -> bool:
    """``@Retry``/``@CircuitBreaker`` come from resilience4j unless the file imports another one."""
    qualified = jf.imports.get(name, "")
    return not qualified or "resilience4j" in qualified


def _registry_lookups(jf: JavaFile, site) -> bool:
    """``retryRegistry.retry("risk")``, ``circuitBreakerRegistry.circuitBreaker("risk")``,
    ``CircuitBreaker.ofDefaults("risk")`` and Spring Cloud ``cbFactory.create("risk")``."""
    if site.name not in ("retry", "circuitBreaker", "timeLimiter", "ofDefaults", "of", "create"):
        return False  # none of the lookups below
    receiver = ts.text(site.node.child_by_field_name("object"))
    args = arguments(site.node)
    instance = _name_of(args[0], jf) if args else None
    if instance is None:
        return False
    if site.name in ("retry", "timeLimiter") and not _applies_spring_instance(jf, site, receiver, args):
        return True  # handled: nothing to report
    low = receiver.lower()
    loc = name_location(site.node, site.name_node)
    evidence = jf.evidence(site.name_node)
    if site.name == "retry" and "registry" in low:
        if _configured_in_code(jf, args[0], instance):
            return True  # the RetryConfig registered under this name is the finding (reported where it is built)
        jf.sink.add("retry", loc, ID,
                    {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": "resilience4j", "instance": instance}, evidence, "medium", None,
                    (Pending("max_attempts", setting("retry", instance, "maxAttempts"), 1.0),
                     Pending("backoff", setting("retry", instance, "backoff"), None)))
        return True
    if site.name == "timeLimiter" and "registry" in low:
        key = f"{PREFIX}.timelimiter.instances.{instance}.timeoutDuration"
        jf.sink.add("timeout", loc, ID,
                    {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": key,
                     "library": "resilience4j", "instance": instance}, evidence, "medium", None,
                    (Pending("timeout_ms", setting("timelimiter", instance, "timeoutDuration"), 1.0),))
        return True
    if (site.name == "circuitBreaker" and "registry" in low) \
            or (site.name in ("ofDefaults", "of") and receiver == "CircuitBreaker"):
        jf.sink.add("circuit_breaker", loc, ID, {"library": "resilience4j", "instance": instance}, evidence, "high")
        return True
    if site.name == "create" and ("circuitbreakerfactory" in low or low.endswith("cbfactory")):
        jf.sink.add("circuit_breaker", loc, ID, {"library": "spring-cloud-circuitbreaker", "instance": instance},
                    evidence, "high")
        return True
    return False


def _configured_in_code(jf: JavaFile, name_node, instance: str) -> bool:
    """``registry.addConfiguration("managed-write", RetryConfig.custom()...build())`` in the same file: the lookup
    ``registry.retry("managed-write")`` uses that configuration, already reported where the RetryConfig is built
    (reporting the lookup too would count one retry twice)."""
    source = ts.text(jf.tree.root_node)
    spelled = re.escape(ts.text(name_node).strip())
    return bool(re.search(rf"addConfiguration\s*\(\s*(?:{spelled}|\"{re.escape(instance)}\")\s*,", source)) \
        and "RetryConfig" in source


_OBSERVERS = ("getEventPublisher", "getMetrics", "getName", "getRetryConfig", "getTimeLimiterConfig")


def _applies_spring_instance(jf: JavaFile, site, receiver: str, args) -> bool:
    """A registry lookup whose numbers come from Spring config: not given a config in code
    (``registry.retry("x", config)``; a registry built in code, ``RetryRegistry.of(config)``; the
    config is reported where it is built), and not only observed (``.getEventPublisher()``)."""
    if len(args) > 1:
        return False
    parent = site.node.parent
    if parent is not None and parent.type == "method_invocation" \
            and parent.child_by_field_name("object") == site.node \
            and ts.text(parent.child_by_field_name("name")) in _OBSERVERS:
        return False
    name = receiver.removeprefix("this.")
    if name.isidentifier():
        scope = enclosing(site.node, ("method_declaration", "constructor_declaration", "class_body")) or jf.tree.root_node
        if re.search(rf"\b{re.escape(name)}\s*=\s*\w*Registry\s*\.\s*of\s*\(", ts.text(scope)):
            return False
    return True


# Round 11: a class of the project that looks a retry up by a name it is handed (``Resilience4jRetryFilter(RetryRegistry
# registry, String clientName) { .. retry = registry.retry(available.contains(clientName) ? clientName : "default"); }``)
# publishes ``<Class>.$r4j_retry_name:<index>``; each construction handing it a registry and a name is a retry with
# that instance's settings (rule c: the helper's own lookup only forwards its parameter).
R4J_NAME = "$r4j_retry_name"


def _named_lookups(jf: JavaFile) -> None:
    for site in jf.calls:
        if site.name != "retry" or "registry" not in ts.text(site.node.child_by_field_name("object") or site.node).lower():
            continue
        args = arguments(site.node)
        if len(args) != 1 or args[0].type != "identifier":
            continue
        member = enclosing(site.node, ("constructor_declaration", "method_declaration"))
        if member is None or member.type != "constructor_declaration":
            continue
        params = [ts.text(p.child_by_field_name("name")) for p in member.child_by_field_name("parameters").named_children
                  if p.type == "formal_parameter"]
        name = ts.text(args[0])
        if name not in params:
            initializer = local_initializer(args[0])
            used = [n for n in (ts.walk(initializer) if initializer is not None else ())
                    if n.type == "identifier" and ts.text(n) in params]
            if initializer is None or initializer.type not in ("ternary_expression", "identifier") or \
                    len({ts.text(n) for n in used}) != 1:
                continue
            name = ts.text(used[0])
        cls = enclosing(member, ("class_declaration",))
        if cls is not None:
            jf.symbols.setdefault(f"{ts.text(cls.child_by_field_name('name'))}.{R4J_NAME}:{params.index(name)}", Num(1))


def _named_constructions(jf: JavaFile) -> None:
    """``new Resilience4jRetryFilter(retryRegistry, COURT_DATA_API_WEB_CLIENT_NAME)``: a construction handing a retry
    registry and an instance name; kept when the class publishes the name's position (``$keep_if``)."""
    for site in jf.news:
        args = arguments(site.node)
        if len(args) < 2 or not any(a.type in ("identifier", "field_access") and "retryregistry" in ts.text(a).lower()
                                    for a in args):
            continue
        type_name = site.name.removeprefix("new ").rsplit(".", 1)[-1].split("<", 1)[0]
        for index, arg in enumerate(args):
            instance = _name_of(arg, jf)
            if instance is None:
                continue
            jf.sink.add("retry", ts.location(site.node), ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "resilience4j", "instance": instance, "via": type_name}, jf.evidence(site.node),
                        "medium", None,
                        (Pending("max_attempts", setting("retry", instance, "maxAttempts"), 1.0),
                         Pending("backoff", setting("retry", instance, "backoff"), None),
                         Pending(KEEP_IF, Ref(f"{type_name}.{R4J_NAME}:{index}"), None)))


def _programmatic(jf: JavaFile) -> None:
    _named_lookups(jf)
    _named_constructions(jf)
    done: set[int] = set()
    for site in jf.calls:
        if _registry_lookups(jf, site):
            continue
        owner = ts.text(site.node.child_by_field_name("object"))
        if site.name == "ofDefaults" and owner == "TimeLimiterConfig":
            jf.sink.add("timeout", name_location(site.node, site.name_node), ID,
                        {"timeout_ms": 1000, "phase": "total", "resolved_from": "library_default",
                         "expression": "TimeLimiterConfig.ofDefaults()", "library": "resilience4j"},
                        jf.evidence(site.node), "high")
            continue
        if site.name == "ofDefaults" and owner in ("Retry", "RetryConfig"):
            args = arguments(site.node)
            jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                        {"max_attempts": 3, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                         "library": "resilience4j", "instance": string_of(args[0]) if args else None},
                        jf.evidence(site.node), "high")
            continue
        if site.name != "custom" or ts.text(site.node.child_by_field_name("object")) != "RetryConfig":
            continue
        top = chain_top(site.node)
        if top.id in done:
            continue
        done.add(top.id)
        calls = {ts.text(c.child_by_field_name("name")): c for c in chain(top) if c.type == "method_invocation"}
        attempts_node = calls.get("maxAttempts")
        pending = ()
        max_attempts = 3
        anchor = site
        if attempts_node is not None and arguments(attempts_node):
            expr = expr_of(arguments(attempts_node)[0])
            max_attempts = settle_count(expr)
            if max_attempts is None:
                pending = (Pending("max_attempts", expr, 1.0),)
            loc = name_location(attempts_node, attempts_node.child_by_field_name("name"))
        else:
            loc = name_location(site.node, site.name_node)
        backoff = "fixed"
        chain_text = ts.text(top)
        if "ExponentialBackoff" in chain_text or "exponentialBackoff" in chain_text or "ofExponential" in chain_text:
            backoff = "exponential"
        elif "Randomized" in chain_text:
            backoff = "random"
        retry_on = [ts.text(a).removesuffix(".class") for name in ("retryExceptions",) if name in calls
                    for a in arguments(calls[name])] or None
        attrs = {"max_attempts": max_attempts, "backoff": backoff, "retry_on": retry_on,
                 "mechanism": "client_config", "library": "resilience4j"}
        wait = calls.get("waitDuration")
        if wait is not None:
            value = timeout_value(arguments(wait))
            if value is not None:
                from extractors.java.jvm import settle
                attrs["wait_ms"] = settle(value[0], value[1])[0]
        jf.sink.add("retry", loc, ID, attrs, jf.evidence(anchor.node if attempts_node is None else attempts_node.child_by_field_name("name")),
                    "high" if not pending else "medium", None, pending)
