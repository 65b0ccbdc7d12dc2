"""Spring Retry: ``@Retryable`` and ``RetryTemplate``.

What it does: reports ``@Retryable(maxAttempts = 3, backoff = @Backoff(delay = 100, multiplier = 2))``
(Spring Retry's default is 3 attempts with a fixed 1s backoff), ``maxAttemptsExpression =
"${retry.max:4}"`` as a pending config value, ``RetryTemplate.builder().maxAttempts(3)
.exponentialBackoff(...)`` chains, ``new SimpleRetryPolicy(5)``, and a ``new RetryTemplate()`` given no
retry policy in the method that builds it (the default policy: 3 tries).

A ``@Retryable`` limited to optimistic-lock conflicts (``retryFor = OptimisticLockingFailureException.class``)
redoes a lost update of one's own record and is not reported.

Why it matters: a retried call multiplies the load on the callee and, with a fresh request ID
per attempt, defeats its idempotency.

Spring Framework 7's core resilience (``org.springframework.resilience.annotation.Retryable``) counts
``maxRetries`` after the first call: ``@Retryable`` is 4 tries, ``maxRetries = 5`` 6; its programmatic
``org.springframework.core.retry`` (``new RetryTemplate()`` and ``RetryPolicy.withDefaults()``: 4 tries,
``RetryPolicy.withMaxRetries(n)`` / ``RetryPolicy.builder().maxRetries(n)``: n + 1) likewise.

Micronaut's ``@Retryable(attempts = "5")`` (``io.micronaut.retry.annotation``) counts retries: 6 tries; its
default ``"3"``: 4 tries.

A project's own ``@Retryable`` (imported from the project, round 19: kestra's Micronaut-backed
``io.kestra.core.annotations.Retryable`` with ``String attempts() default "${kestra.retries.attempts:5}"``) takes the
tries its declaration gives by default (6 there), Spring Retry's 3 when no declaration is found.

Example: ``@Retryable(maxAttempts = 4, backoff = @Backoff(delay = 200, multiplier = 2))``
-> retry max_attempts=4 backoff=exponential.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import conflict_only, settle_count, spring_placeholder
from extractors.java.syntax import (JavaFile, annotation_args, arguments, chain, chain_top, enclosing,
                                    expr_of, name_location, string_of)

ID = "java.spring_retry"


def _classes(node) -> list[str] | None:
    if node is None:
        return None
    items = node.named_children if node.type == "element_value_array_initializer" else [node]
    names = [ts.text(i).removesuffix(".class") for i in items]
    return names or None


@detector(ID, "java", ["retry"],
          valid=['boolean retry = props.isRetry();', '// @Retryable(maxAttempts = 3)'],
          invalid=['@Retryable(maxAttempts = 4) void pay() {}', 'RetryTemplate.builder().maxAttempts(3).build();'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    _declared_defaults(jf)
    for site in jf.annotations:
        if site.name != "Retryable":
            continue
        args = annotation_args(site.node)
        pending = ()
        max_attempts: int | None = 3
        source = jf.imports.get("Retryable", "")
        if source and not source.startswith(("org.springframework.", "io.micronaut.")) \
                and not {"attempts", "maxAttempts", "maxAttemptsExpression", "maxRetries"} & set(args):
            # round 19: a project's own `@Retryable` (kestra's `io.kestra.core.annotations.Retryable`, a Micronaut
            # retry whose `String attempts() default "${kestra.retries.attempts:5}"`): the tries its declaration
            # gives by default (published by `_declared_defaults`), Spring Retry's 3 when none is found
            expr = Call("coalesce", (Ref("Retryable.$default_attempts"), Num(3)))
            max_attempts = None
            pending = (Pending("max_attempts", expr, 1.0),)
        elif jf.imports.get("Retryable", "").startswith("org.springframework.resilience."):
            # Spring Framework 7's core `@Retryable` counts re-tries: maxRetries (default 3) after the first
            # call, so `@Retryable` is 4 tries; `maxRetriesString = "${x.retries:5}"` waits for its setting
            if "maxRetries" in args:
                expr = BinOp("+", expr_of(args["maxRetries"]), Num(1))
            elif "maxRetriesString" in args:
                node = args["maxRetriesString"]
                text = (string_of(node) or "").strip()
                inner = Num(float(text)) if text.isdigit() else spring_placeholder(text)
                if inner is None and node.type in ("identifier", "field_access"):
                    # round 18: a constant holding the placeholder (annotation attributes must be constants:
                    # hawkBit's `maxRetriesString = Constants.RETRY_MAX`, "${...jpa.retry-max:10}" in another file)
                    inner = Call("placeholder", (expr_of(node),))
                expr = BinOp("+", inner, Num(1)) if inner is not None else None
            else:
                expr = Num(4)
            max_attempts = settle_count(expr) if expr is not None else None
            if max_attempts is None and expr is not None:
                pending = (Pending("max_attempts", expr, 1.0),)
        elif jf.imports.get("Retryable", "").startswith("io.micronaut."):
            # Micronaut `@Retryable(attempts = "5")`: attempts are retries (SimpleRetry allows attempt < attempts + 1),
            # "3" by default: 4 tries; a placeholder (`"${x.attempts:5}"`) waits for its setting
            text = (string_of(args["attempts"]) or "").strip() if "attempts" in args else "3"
            placeholder = spring_placeholder(text) if text.startswith("${") else None
            expr = Num(float(text)) if text.isdigit() else placeholder if placeholder is not None \
                else expr_of(args.get("attempts"))
            expr = BinOp("+", expr, Num(1))
            max_attempts = settle_count(expr)
            if max_attempts is None:
                pending = (Pending("max_attempts", expr, 1.0),)
        elif "maxAttempts" in args:
            expr = expr_of(args["maxAttempts"])
            max_attempts = settle_count(expr)
            if max_attempts is None:
                pending = (Pending("max_attempts", expr, 1.0),)
        elif "maxAttemptsExpression" in args:
            text = string_of(args["maxAttemptsExpression"]) or ""
            expr = spring_placeholder(text)
            max_attempts = None
            if expr is not None:
                pending = (Pending("max_attempts", expr, 1.0),)
        backoff = "fixed"
        backoff_node = args.get("backoff")
        if backoff_node is not None:
            b = annotation_args(backoff_node) if backoff_node.type == "annotation" else {}
            if "multiplier" in b and (settle_count(expr_of(b["multiplier"])) or 0) > 1 \
                    or "multiplierExpression" in b:
                backoff = "exponential"
            if ts.text(b.get("random")) == "true" if b.get("random") is not None else False:
                backoff = "random"
        retry_on = _classes(args.get("retryFor") or args.get("include") or args.get("value"))
        if retry_on and conflict_only(" ".join(retry_on)):
            continue  # `@Retryable(retryFor = OptimisticLockingFailureException.class)`: a lost update redone
        if jf.imports.get("Retryable", "").startswith("org.springframework.resilience."):
            if "multiplier" in args:
                backoff = "exponential" if (settle_count(expr_of(args["multiplier"])) or 0) > 1 else "fixed"
            else:
                backoff = "exponential" if "multiplierString" in args else "fixed"
            retry_on = _classes(args.get("includes") or args.get("value"))
        scope = enclosing(site.node, ("method_declaration", "class_declaration"))
        target, target_pending = target_within(jf, scope) if scope is not None else (None, ())
        library = "spring-framework" if jf.imports.get("Retryable", "").startswith("org.springframework.resilience.") \
            else "spring-retry"
        jf.sink.add("retry", ts.location(site.node), ID,
                    {"max_attempts": max_attempts, "backoff": backoff, "retry_on": retry_on,
                     "mechanism": "decorator", "library": library},
                    jf.evidence(site.node), "high" if not pending else "medium", target,
                    pending + target_pending)
    done: set[int] = set()
    for site in jf.calls:
        if site.name != "builder" or ts.text(site.node.child_by_field_name("object")) != "RetryTemplate":
            continue
        top = chain_top(site.node)
        if top.id in done:
            continue
        done.add(top.id)
        calls = {ts.text(c.child_by_field_name("name")): c for c in chain(top) if c.type == "method_invocation"}
        attempts = calls.get("maxAttempts")
        max_attempts, pending = 3, ()
        loc = name_location(site.node, site.name_node)
        if attempts is not None and arguments(attempts):
            expr = expr_of(arguments(attempts)[0])
            max_attempts = settle_count(expr)
            pending = () if max_attempts is not None else (Pending("max_attempts", expr, 1.0),)
            loc = name_location(attempts, attempts.child_by_field_name("name"))
        backoff = ("exponential" if "exponentialBackoff" in calls else "random" if "uniformRandomBackoff" in calls
                   else "fixed" if "fixedBackoff" in calls else "none")
        retry_on = [ts.text(a).removesuffix(".class") for a in arguments(calls["retryOn"])] if "retryOn" in calls else None
        jf.sink.add("retry", loc, ID,
                    {"max_attempts": max_attempts, "backoff": backoff, "retry_on": retry_on,
                     "mechanism": "client_config", "library": "spring-retry"},
                    jf.evidence(site.node if attempts is None else attempts.child_by_field_name("name")),
                    "high" if not pending else "medium", None, pending)
    core = _spring_core_retry(jf)
    for site in jf.news:
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] == "RequestHandlerRetryAdvice" \
                and not arguments(site.node):
            _default_advice(jf, site)
            continue
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] == "RetryTemplate" and not arguments(site.node):
            if not core:
                _default_template(jf, site)
            continue
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] != "SimpleRetryPolicy":
            continue
        args = arguments(site.node)
        expr = expr_of(args[0]) if args else (_set_later(site.node) or Num(3))
        max_attempts = settle_count(expr)
        jf.sink.add("retry", ts.location(site.node), ID,
                    {"max_attempts": max_attempts, "backoff": None, "retry_on": None,
                     "mechanism": "client_config", "library": "spring-retry"},
                    jf.evidence(site.node), "high" if max_attempts is not None else "medium", None,
                    () if max_attempts is not None else (Pending("max_attempts", expr, 1.0),))
    _retry_topic_builders(jf)


def _declared_defaults(jf: JavaFile) -> None:
    """A project's own retry annotation (``public @interface Retryable``) publishes the tries it gives when a use
    names no count, as ``<Name>.$default_attempts``: a Micronaut-style ``String attempts() default "5"`` (or
    ``"${kestra.retries.attempts:5}"``) counts retries (+1), ``int maxAttempts() default 4`` tries,
    ``maxRetries()`` retries."""
    if b"@interface" not in jf.data:
        return
    for node in ts.walk(jf.tree.root_node):
        if node.type != "annotation_type_declaration":
            continue
        name = ts.text(node.child_by_field_name("name"))
        body = node.child_by_field_name("body")
        if body is None or "Retr" not in name:
            continue
        for element in body.named_children:
            if element.type != "annotation_type_element_declaration":
                continue
            member = ts.text(element.child_by_field_name("name"))
            value = element.child_by_field_name("value")
            if member not in ("attempts", "maxAttempts", "maxRetries") or value is None:
                continue
            text = string_of(value)
            if text is not None:
                text = text.strip()
                inner = Num(float(text)) if text.isdigit() else spring_placeholder(text) if text.startswith("${") \
                    else None
            else:
                inner = expr_of(value)
            if inner is None:
                continue
            jf.symbols[f"{name}.$default_attempts"] = inner if member == "maxAttempts" else BinOp("+", inner, Num(1))
            break


_CORE_RETRY = "org.springframework.core.retry"


def _spring_core_retry(jf: JavaFile) -> bool:
    """Spring Framework 7's programmatic retry (``org.springframework.core.retry``, round 10): ``new
    RetryTemplate()`` (no policy set on it where it is declared) and ``RetryPolicy.withDefaults()`` are 3 retries
    after the first call (4 tries), ``RetryPolicy.withMaxRetries(n)`` and ``RetryPolicy.builder().maxRetries(n)``
    n + 1, a builder without a bound its default (4). ``new RetryTemplate(policy)`` is bounded by its policy,
    reported where that is built. Spring Retry's own ``RetryTemplate`` (``org.springframework.retry``) is read
    above. True when the file uses this package (its ``RetryTemplate`` is not Spring Retry's)."""
    if not (any(v.startswith(_CORE_RETRY + ".") for v in jf.imports.values())
            or re.search(rb"^import\s+org\.springframework\.core\.retry\.\*\s*;", jf.data, re.M)):
        return False
    if jf.imports.get("RetryTemplate", _CORE_RETRY).startswith("org.springframework.retry"):
        return False  # both packages in one file: the names say which one; Spring Retry's is read above

    def report(node, anchor, expr, backoff):
        value = settle_count(expr)
        pending = () if value is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", name_location(node, anchor) if anchor is not None else ts.location(node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                     "library": "spring-framework"},
                    jf.evidence(anchor if anchor is not None else node), "high" if not pending else "medium",
                    None, pending)

    done: set[int] = set()
    for site in jf.calls:
        receiver = ts.text(site.node.child_by_field_name("object"))
        if receiver != "RetryPolicy" and not receiver.endswith(".RetryPolicy"):
            continue
        args = arguments(site.node)
        if site.name in ("withMaxRetries", "withMaxAttempts") and args:
            report(site.node, site.name_node, BinOp("+", expr_of(args[0]), Num(1)), "fixed")
        elif site.name == "withDefaults":
            report(site.node, site.name_node, Num(4), "fixed")
        elif site.name == "builder":
            top = chain_top(site.node)
            if top.id in done:
                continue
            done.add(top.id)
            calls = {ts.text(c.child_by_field_name("name")): c for c in chain(top) if c.type == "method_invocation"}
            bound = calls.get("maxRetries") or calls.get("maxAttempts")
            multiplier = calls.get("multiplier")
            backoff = "exponential" if multiplier is not None and arguments(multiplier) \
                and (settle_count(expr_of(arguments(multiplier)[0])) or 2) > 1 else "fixed"
            if bound is not None and arguments(bound):
                report(bound, bound.child_by_field_name("name"), BinOp("+", expr_of(arguments(bound)[0]), Num(1)),
                       backoff)
            else:
                report(site.node, site.name_node, Num(4), backoff)
    for site in jf.news:
        if site.name.removeprefix("new ").strip().rsplit(".", 1)[-1] != "RetryTemplate" or arguments(site.node):
            continue
        if _policy_set_later(site.node):
            continue  # `template.setRetryPolicy(RetryPolicy.withMaxRetries(2))`: that policy bounds it
        report(site.node, None, Num(4), "fixed")
    return True


def _policy_set_later(node) -> bool:
    """``RetryTemplate t = new RetryTemplate(); t.setRetryPolicy(..)`` (a local in its method, a field in its
    class): the template is bounded by the policy set on it."""
    declarator = node.parent
    if declarator is None or declarator.type != "variable_declarator":
        return False
    name = ts.text(declarator.child_by_field_name("name"))
    scope = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression")) \
        if declarator.parent is not None and declarator.parent.type == "local_variable_declaration" \
        else enclosing(node, ("class_declaration", "enum_declaration", "record_declaration"))
    if scope is None:
        return False
    for call in ts.walk(scope):
        if call.type == "method_invocation" and ts.text(call.child_by_field_name("name")) == "setRetryPolicy" \
                and ts.text(call.child_by_field_name("object")).removeprefix("this.") == name:
            return True
    return False


def _retry_topic_builders(jf: JavaFile) -> None:
    """spring-kafka ``RetryTopicConfigurationBuilder.newInstance()...maxAttempts(n)...create(template)``: n deliveries
    in all (3 when left out), at ``maxAttempts`` (round 10)."""
    for site in jf.calls:
        if site.name != "newInstance" or ts.text(site.node.child_by_field_name("object")) != "RetryTopicConfigurationBuilder":
            continue
        top = chain_top(site.node)
        calls = {ts.text(c.child_by_field_name("name")): c for c in chain(top) if c.type == "method_invocation"}
        attempts = calls.get("maxAttempts")
        max_attempts, pending, loc, anchor = 3, (), name_location(site.node, site.name_node), site.name_node
        if attempts is not None and arguments(attempts):
            expr = expr_of(arguments(attempts)[0])
            max_attempts = settle_count(expr)
            pending = () if max_attempts is not None else (Pending("max_attempts", expr, 1.0),)
            anchor = attempts.child_by_field_name("name")
            loc = name_location(attempts, anchor)
        backoff = "exponential" if "exponentialBackoff" in calls else "fixed"
        jf.sink.add("retry", loc, ID,
                    {"max_attempts": max_attempts, "backoff": backoff, "retry_on": None, "mechanism": "redelivery",
                     "library": "spring-kafka"},
                    jf.evidence(anchor), "high" if not pending else "medium", None, pending)


def _set_later(node):
    """``SimpleRetryPolicy policy = new SimpleRetryPolicy(); policy.setMaxAttempts(5);``: the tries set on the new
    policy in the same method (else None: the default 3)."""
    declarator = node.parent
    method = enclosing(node, ("method_declaration", "constructor_declaration", "lambda_expression"))
    if declarator is None or declarator.type != "variable_declarator" or method is None:
        return None
    name = ts.text(declarator.child_by_field_name("name"))
    for call in ts.walk(method):
        if call.type == "method_invocation" and ts.text(call.child_by_field_name("name")) == "setMaxAttempts" \
                and ts.text(call.child_by_field_name("object")) == name and len(arguments(call)) == 1:
            return expr_of(arguments(call)[0])
    return None


_BACKOFF_POLICIES = {"FixedBackOffPolicy": "fixed", "ExponentialBackOffPolicy": "exponential",
                     "ExponentialRandomBackOffPolicy": "exponential", "UniformRandomBackOffPolicy": "random"}


def _default_advice(jf: JavaFile, site) -> None:
    """Round 18: Spring Integration's ``new RequestHandlerRetryAdvice()`` (an endpoint's advice chain) retries the
    handler with its own ``RetryTemplate``: Spring Retry's default policy, 3 tries, unless the method that builds it
    hands it another template (``advice.setRetryTemplate(t)``: that template is reported where it is built)."""
    declarator = site.node.parent
    name = ts.text(declarator.child_by_field_name("name")) if declarator is not None \
        and declarator.type == "variable_declarator" else None
    method = enclosing(site.node, ("method_declaration", "constructor_declaration"))
    if method is not None and name is not None and any(
            node.type == "method_invocation" and ts.text(node.child_by_field_name("object")) == name
            and ts.text(node.child_by_field_name("name")) == "setRetryTemplate" for node in ts.walk(method)):
        return
    if name is None and site.node.parent is not None and site.node.parent.type != "return_statement":
        return  # handed straight to something else (configured there): not read here
    jf.sink.add("retry", ts.location(site.node), ID,
                {"max_attempts": 3, "backoff": "none", "retry_on": None, "mechanism": "client_config",
                 "library": "spring-integration"},
                jf.evidence(site.node), "high", None, ())


def _default_template(jf: JavaFile, site) -> None:
    """``RetryTemplate t = new RetryTemplate(); t.setBackOffPolicy(fixed); return t;`` without a
    ``setRetryPolicy`` in the method: Spring Retry's default policy, 3 tries (a policy set there is
    reported where it is built, ``new SimpleRetryPolicy(5)``)."""
    declarator = site.node.parent
    if declarator is None or declarator.type != "variable_declarator":
        return
    name = ts.text(declarator.child_by_field_name("name"))
    method = enclosing(site.node, ("method_declaration", "constructor_declaration"))
    if method is None:
        return
    backoff = "none"
    for node in ts.walk(method):
        if node.type != "method_invocation" or ts.text(node.child_by_field_name("object")) != name:
            continue
        called = ts.text(node.child_by_field_name("name"))
        if called == "setRetryPolicy":
            return
        if called == "setBackOffPolicy" and arguments(node):
            arg = arguments(node)[0]
            kind = ts.text(arg.child_by_field_name("type")) if arg.type == "object_creation_expression" else None
            if kind is None and arg.type == "identifier":
                for n in ts.walk(method):
                    if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == ts.text(arg):
                        value = n.child_by_field_name("value")
                        if value is not None and value.type == "object_creation_expression":
                            kind = ts.text(value.child_by_field_name("type"))
            backoff = _BACKOFF_POLICIES.get((kind or "").rsplit(".", 1)[-1], "fixed" if kind is None else "none")
    jf.sink.add("retry", ts.location(site.node), ID,
                {"max_attempts": 3, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                 "library": "spring-retry"},
                jf.evidence(site.node), "medium", None, ())
