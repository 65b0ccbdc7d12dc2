"""Reactor retries: ``mono.retry(3)``, ``.retryWhen(Retry.backoff(3, Duration.ofMillis(100)))``.

What it does: reports Reactor's ``retry(n)`` (n re-subscriptions: n + 1 tries; ``retry()`` is
unbounded) on a Mono/Flux chain (named so, or with an operator only a reactive publisher has, such as ``doOnError``), and the ``reactor.util.retry.Retry`` specs
``backoff(n, minBackoff)`` (exponential), ``fixedDelay(n, delay)`` (fixed), ``max(n)`` /
``maxInARow(n)`` (no backoff) and ``indefinitely()`` (unbounded) where they are built. RxJava
(files importing ``io.reactivex``): ``observable.retry(n)`` and ``.retryWhen(errors -> ...)``
(unbounded unless the handler ``take(n)``s; ``delay`` in it is a fixed backoff). A spec filtered to optimistic-lock
conflicts only (``.filter(OptimisticLockingFailureException.class::isInstance)``) re-reads and re-writes the
service's own record after a lost update; it repeats no failed call and is not reported.

Why it matters: WebClient calls are often retried this way, far from any retry config.

Example: ``webClient.get().uri(u).retrieve().bodyToMono(T.class).retry(2)`` -> retry max_attempts=3.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Num
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import conflict_only, documented, settle_count
from extractors.java.syntax import JavaFile, arguments, expr_of, local_value, name_location

ID = "java.reactor_retry"
_SPECS = {"backoff": "exponential", "fixedDelay": "fixed", "max": "none", "maxInARow": "none", "indefinitely": "none"}


_REACTOR_WORDS = ("mono", "flux", "bodyto", "exchange", "retrieve", "just", "defer")
# Operators only a reactive publisher has (Reactor or RxJava: `retry(n)` re-subscribes n times in both):
# `client.getToken(ctx).map(..).timeout(d).doOnError(..).retry(6)` is a reactive chain although no word of it
# says Mono or Flux (an Azure SDK client returns a Mono).
_REACTIVE_OPERATORS = frozenset(("doOnError", "doOnSuccess", "onErrorResume", "onErrorMap", "onErrorReturn",
                                 "onErrorResumeNext", "subscribeOn", "publishOn", "observeOn", "switchIfEmpty",
                                 "flatMapMany", "thenReturn", "delayElement", "doFinally", "onErrorContinue"))


def reactive_chain(node: ts.Node) -> bool:
    """Is ``node`` a call chain with an operator only a reactive publisher has?"""
    current = node
    while current is not None and current.type == "method_invocation":
        if ts.text(current.child_by_field_name("name")) in _REACTIVE_OPERATORS:
            return True
        current = current.child_by_field_name("object")
    return False
    current = node
    while current is not None and current.type == "method_invocation":
        if ts.text(current.child_by_field_name("name")) in _REACTOR_OPERATORS:
            return True
        current = current.child_by_field_name("object")
    return False
_RX_WORDS = ("observable", "single", "flowable", "completable", "maybe", "fromcallable")


def _rx_retry_when(jf: JavaFile, site, handler: ts.Node) -> None:
    """``.retryWhen(errors -> errors.delay(1, SECONDS))``: every error re-subscribes (unbounded)
    unless the handler ``take(n)``s: n + 1 tries."""
    value, pending = None, ()
    for call in ts.walk(handler):
        if call.type == "method_invocation" and ts.text(call.child_by_field_name("name")) == "take" \
                and len(arguments(call)) == 1:
            expr = BinOp("+", expr_of(arguments(call)[0]), Num(1))
            value = settle_count(expr)
            pending = (Pending("max_attempts", expr, 1.0),) if value is None else ()
            break
    backoff = "fixed" if ".delay(" in ts.text(handler) or "timer(" in ts.text(handler) else "none"
    jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "call",
                 "library": "rxjava"}, jf.evidence(site.name_node), "medium", None, pending)


def _spec_filter(spec: ts.Node) -> str:
    """The text of the ``.filter(..)`` applied to a retry spec in its chain (``Retry.backoff(8, d).filter(X.class::isInstance)``)."""
    current = spec
    while current.parent is not None and current.parent.type == "method_invocation" \
            and current.parent.child_by_field_name("object") == current:
        current = current.parent
        if ts.text(current.child_by_field_name("name")) == "filter":
            return ts.text(current.child_by_field_name("arguments"))
    return ""


# Mutiny's retry builder steps between `retry()` and its bound (`atMost(n)`).
_MUTINY_RETRY_STEPS = frozenset(("withBackOff", "withJitter", "withExecutor"))


def _mutiny_retry(receiver: ts.Node | None) -> bool:
    """Is ``receiver`` (what ``atMost(n)`` is called on) Mutiny's ``..onFailure(..).retry()`` with optional
    ``withBackOff``/``withJitter`` steps? Not ``uni.await()`` (``await().atMost(d)`` is a wait)."""
    current = receiver
    while current is not None and current.type == "method_invocation":
        name = ts.text(current.child_by_field_name("name"))
        if name == "retry":
            owner = current.child_by_field_name("object")
            return not arguments(current) and owner is not None and owner.type == "method_invocation" \
                and ts.text(owner.child_by_field_name("name")) == "onFailure"
        if name not in _MUTINY_RETRY_STEPS:
            return False
        current = current.child_by_field_name("object")
    return False


# Round 17: Mutiny sources of local values, and the synchronous steps between such a source and its retry.
_MUTINY_LOCAL_SOURCES = frozenset({"items", "item", "ticks", "range", "iterable", "emitter", "empty", "nothing",
                                   "failure", "optional", "nullItem", "voidItem"})
_MUTINY_LOCAL_STEPS = frozenset({"every", "map", "invoke", "onCompletion", "onItem", "filter", "select", "where", "log",
                                 "onFailure", "onSubscription", "onCancellation", "transform", "skip", "broadcast",
                                 "toAllSubscribers", "emitOn", "runSubscriptionOn", "retry", "withBackOff",
                                 "withJitter", "ifNoItem", "first", "last", "distinct"})


def _mutiny_local_stream(receiver: ts.Node | None) -> bool:
    """Round 17: the retry re-subscribes a stream of local values with only synchronous steps in between
    (``Multi.createFrom().items(message).onCompletion().invoke(..).onFailure().retry().atMost(3)``, a ticks stream
    mapped to generated messages): nothing remote is tried again, no contract."""
    current = receiver
    while current is not None and current.type == "method_invocation":
        name = ts.text(current.child_by_field_name("name"))
        owner = current.child_by_field_name("object")
        if owner is not None and owner.type == "method_invocation" \
                and ts.text(owner.child_by_field_name("name")) == "createFrom":
            root = owner.child_by_field_name("object")
            return name in _MUTINY_LOCAL_SOURCES and root is not None and ts.text(root) in ("Multi", "Uni")
        if name not in _MUTINY_LOCAL_STEPS:
            return False
        if name == "invoke" and not all(_logs_only(a) for a in arguments(current)):
            return False  # `.invoke(onResponse)`, `.invoke(() -> controller.fail(..))`: work that may be remote
        current = owner
    return False


def _logs_only(arg: ts.Node) -> bool:
    """A lambda whose body only logs (``() -> logger.log(Level.INFO, "done")``)."""
    if arg.type != "lambda_expression":
        return False
    calls = [n for n in ts.walk(arg) if n.type == "method_invocation"]
    outer = [c for c in calls if not any(a.type == "method_invocation" for a in ts.ancestors(c)
                                         if a.start_byte >= arg.start_byte and a is not c and a != c)]
    return bool(outer) and all(re.fullmatch(r"(?i)log(ger)?", ts.text(c.child_by_field_name("object") or
                                                                      c.child_by_field_name("name")))
                               for c in outer)


def _mutiny_retry_head(node: ts.Node) -> bool:
    """``..onFailure(..).retry()`` followed (through backoff steps) by a bound: Mutiny, not Reactor's ``retry()``."""
    owner = node.child_by_field_name("object")
    if owner is None or owner.type != "method_invocation" or ts.text(owner.child_by_field_name("name")) != "onFailure":
        return False
    current = node.parent
    while current is not None and current.type == "method_invocation":
        name = ts.text(current.child_by_field_name("name"))
        if name in ("atMost", "indefinitely", "until", "expireIn", "expireAt", "when"):
            return True
        if name not in _MUTINY_RETRY_STEPS:
            return False
        current = current.parent
    return False


def _counted_filter(spec: ts.Node):
    """Round 18: ``Retry.max(maxRetry + 1).filter(t -> .. && retryCount.get() < maxRetry).doBeforeRetry(s ->
    retryCount.incrementAndGet())``: the filter stops re-subscribing once the counter the spec raises before each
    retry reaches the bound: at most that many retries (``<=``: one more). None without such a pair."""
    current, bound, counter = spec.parent, None, None
    while current is not None and current.type == "method_invocation":
        name = ts.text(current.child_by_field_name("name"))
        lam = next((a for a in arguments(current) if a.type == "lambda_expression"), None)
        if name == "filter" and lam is not None:
            for node in ts.walk(lam):
                if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("<", "<="):
                    left = node.child_by_field_name("left")
                    written = ts.text(left).replace(" ", "")
                    if left.type == "method_invocation" and written.endswith(".get()"):
                        counter = written[:-len(".get()")]
                        bound = local_value(node.child_by_field_name("right"))
                        if ts.text(node.child_by_field_name("operator")) == "<=":
                            bound = BinOp("+", bound, Num(1))
        elif name == "doBeforeRetry" and lam is not None and counter is not None \
                and re.search(re.escape(counter) + r"\.(incrementAndGet|getAndIncrement)\(\)", ts.text(lam)):
            return bound
        current = current.parent
    return None


def _is_reactor_retry_class(jf: JavaFile) -> bool:
    qualified = jf.imports.get("Retry", "")
    return qualified.startswith("reactor.")


@detector(ID, "java", ["retry"],
          valid=['retryRegistry.retry("risk");', 'boolean retry = false;', 'Retry.of("x", config);'],
          invalid=['webClient.get().uri(u).retrieve().bodyToMono(String.class).retry(2);'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    reactor_retry = _is_reactor_retry_class(jf)
    rx = any(q.startswith("io.reactivex") for q in jf.imports.values()) or b"import io.reactivex" in jf.data
    words = _REACTOR_WORDS + (_RX_WORDS if rx else ())
    mutiny = any(q.startswith("io.smallrye.mutiny") for q in jf.imports.values()) or b"io.smallrye.mutiny" in jf.data \
        or b"import io.quarkus" in jf.data
    for site in jf.calls:
        node = site.node
        obj = node.child_by_field_name("object")
        args = arguments(node)
        if mutiny and site.name == "atMost" and len(args) == 1 and _mutiny_retry(obj) and not _mutiny_local_stream(obj):
            # round 12: SmallRye Mutiny `uni.onFailure(..).retry().withBackOff(d).atMost(n)`: n re-subscriptions
            # (n + 1 tries), reported at `atMost`, where the bound is written
            expr = BinOp("+", local_value(args[0]), Num(1))
            value = settle_count(expr)
            pending = (Pending("max_attempts", expr, 1.0),) if value is None else ()
            backoff = "exponential" if "withBackOff" in ts.text(obj) else "none"
            jf.sink.add("retry", name_location(node, site.name_node), ID,
                        {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "call",
                         "library": "mutiny"}, jf.evidence(site.name_node), "high" if value else "medium", None,
                        pending)
            continue
        if mutiny and site.name in ("expireIn", "expireAt") and len(args) == 1 and _mutiny_retry(obj):
            # round 13: `..onFailure(..).retry().withBackOff(d, max).expireIn(ms)`: re-subscriptions until a time is
            # up (the tries are not counted: unknown), reported where that bound is written
            backoff = "exponential" if "withBackOff" in ts.text(obj) else "none"
            jf.sink.add("retry", name_location(node, site.name_node), ID,
                        {"max_attempts": None, "backoff": backoff, "retry_on": None, "mechanism": "call",
                         "library": "mutiny"}, jf.evidence(site.name_node), "medium", None, ())
            continue
        if mutiny and site.name == "retry" and not args and _mutiny_retry_head(node):
            continue  # the bound is the `atMost(n)` that follows (reported there); `indefinitely()` is unbounded
        if rx and site.name == "retryWhen" and obj is not None and len(args) == 1 \
                and args[0].type == "lambda_expression":
            _rx_retry_when(jf, site, args[0])
            continue
        if site.name == "retry" and obj is not None and obj.type == "method_invocation" \
                and (not args or args[0].type in ("decimal_integer_literal", "identifier", "field_access")):
            receiver = ts.text(obj).lower()
            if "registry" in receiver or not (any(w in receiver for w in words) or reactive_chain(obj)):
                continue
            if not args and re.search(r"\.(repeatWhen|repeat)\s*\(", ts.text(obj)):
                continue  # round 20 (dpc-app): `poll().repeatWhen(c -> c.delay(freq, ms)).retry()`: a polling stream
                # started again after an error, not a call tried again (polls are no retries)
            if args:
                expr = BinOp("+", expr_of(args[0]), Num(1))
                value = settle_count(expr)
            else:
                expr, value = None, None
            pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and value is None else ()
            jf.sink.add("retry", name_location(node, site.name_node), ID,
                        {"max_attempts": value, "backoff": "none", "retry_on": None, "mechanism": "call",
                         "library": "reactor" if any(w in receiver for w in _REACTOR_WORDS) or not rx else "rxjava"},
                        jf.evidence(site.name_node), "high" if value else "medium", None, pending)
        elif site.name in _SPECS and obj is not None and ts.text(obj) == "Retry" and reactor_retry:
            if conflict_only(_spec_filter(node)):
                continue  # re-reads and re-writes one's own record after a lost update: not a repeated call
            if site.name == "indefinitely":
                expr, value = None, None
            elif args:
                capped = _counted_filter(node)
                retries = local_value(args[0])
                expr = BinOp("+", Call("min", (retries, capped)) if capped is not None else retries, Num(1))
                value = settle_count(expr)
                if value is not None and value > 10**9:
                    value = None  # Long.MAX_VALUE and friends: unbounded
            else:
                continue
            pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and value is None \
                and not ts.text(args[0]).endswith("MAX_VALUE") else ()
            jf.sink.add("retry", name_location(node, site.name_node), ID,
                        {"max_attempts": value, "backoff": _SPECS[site.name], "retry_on": None,
                         "mechanism": "call", "library": "reactor"},
                        jf.evidence(site.name_node), "high" if value or site.name == "indefinitely" else "medium",
                        None, pending)
