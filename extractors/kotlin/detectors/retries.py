"""Retries in Kotlin: Resilience4j (``Retry.of("name", RetryConfig.custom<Any>().maxAttempts(3)...)``,
the ``RetryConfig { maxAttempts(3) }`` DSL, ``@Retry(name = ...)`` with its Spring config),
Spring ``@Retryable``, hand loops (``repeat(3) { try { ... } catch ... }``, ``for (attempt in
1..3)``, ``while (attempt < max)`` with a try), and functions that call themselves again from a
catch with their counter one higher (``if (retryCount < maxRetries) return fetch(retryCount + 1)``).

Also retries written without a try: RxJava ``.retry(n)`` in a subscribed chain (n + 1 tries),
attempt loops that leave on success and pause between tries (when they do remote work), counted
loops around ``runCatching``, reconnect loops whose pause is named for retrying or doubles, tables of
retry delays walked until success, and retry policy objects (``Retry.Fast(maksForsøk = 4)``,
``RetryPolicy(maxRetries = 2)``). Send loops that re-queue a failed message and wait a doubling
pause under a budget of tries. Kafka clients' ``RETRIES_CONFIG`` (n + 1 tries) and Spring Kafka
error-handler back-offs (``FixedBackOff(1000L, 2L)``: 3 deliveries).

What it does: one retry finding per retry policy where it is built or applied, with the total
number of tries, the backoff and the mechanism. ``repeat`` without a try, or ``for (item in
items)``, is not a retry.

Why it matters: retries multiply load on the callee and, with fresh IDs, defeat idempotency.

Example: ``repeat(3) { attempt -> try { send() } catch (e: IOException) { delay(100) } }``
-> retry max_attempts=3 mechanism=loop.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import ATTEMPTS_PARAM, KEEP_IF
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import FILE_SYMBOLS, documented, r4j_setting, settle, settle_count
from extractors.jvm_common import FLIPPED, bound_of, request_key
from extractors.kotlin.detectors.outbound import target_within
from extractors.kotlin.detectors.http_timeouts import _file_function, _remote_work
from extractors.kotlin.retry_scope import (ATTEMPT_NAME, _loop_body, counted_endless_bound, attempts_only, backoff_of, budgeted_backoff, catch_repeat,
                                           is_failover_loop,
                                           is_retry_loop, loop_attempts, retry_loop_without_try,
                                           repeat_retry, until_assigned_loop)
from extractors.kotlin.syntax import (KCall, KotlinFile, _config_backed, annotation_parts, chain, chain_top, expr_of, local_value,
                                      member_value, parameter_default,
                                      name_location, number_of, string_of, timeout_value, with_parameter_defaults)

ID = "kotlin.retry"


def _count(expr):
    value = settle_count(expr) if expr is not None else None
    pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and value is None else ()
    if value is not None and _config_backed(expr, FILE_SYMBOLS.get() or {}):
        # `@Value("\${mapping-retry.count:8}") val retryCount` then `Retry.fixedDelay(retryCount, ..)`: the
        # placeholder's default settles it here, and the service's application.yml may set the property
        pending = (Pending("max_attempts", expr, 1.0),)
    return value, pending


@detector(ID, "kotlin", ["retry", "timeout", "circuit_breaker", "fallback"],
          valid=['val retry = config.retryEnabled', 'fun f(items: List<String>) { for (item in items) { try { send(item) } catch (e: Exception) {} } }',
                 'fun f() { repeat(3) { println(it) } }'],
          invalid=['fun f() { repeat(3) { try { send() } catch (e: Exception) {} } }',
                   'val r = Retry.of("n", RetryConfig.custom<Any>().maxAttempts(3).build())'])
@documented(__doc__)
def detect(kf: KotlinFile) -> None:
    _ktor_request_retry(kf)
    _kotlin_retry_policies(kf)
    _retry_properties(kf)
    _loops(kf)
    _catch_repeats(kf)
    _self_call_retries(kf)
    _helper_retries(kf)
    _library_retry_helpers(kf)
    _failsafe(kf)
    _reactor(kf)
    _reactor_repeat_when_empty(kf)
    _flow_retries(kf)
    _interceptor_retries(kf)
    _authenticator_retries(kf)
    _reauthenticated_resends(kf)
    _work_manager_retries(kf)
    _resilience4j_calls(kf)
    _annotations(kf)
    _spring_core_retry(kf)
    _smack_reconnects(kf)
    _rescheduled_reconnects(kf)
    _callback_reconnects(kf)
    _counter_guarded_recalls(kf)
    _guarded_retry_calls(kf)
    _configured_retry_arguments(kf)
    _retry_policy_objects(kf)
    _delay_table_retries(kf)
    _delay_table_gates(kf)
    _flyway_connect_retries(kf)
    _resend_cycles(kf)
    _kafka_producer_retries(kf)
    _kafka_error_handlers(kf)
    _db_scheduler_failure_handlers(kf)
    _requeued_resends(kf)
    _budget_checks(kf)
    _failure_counts(kf)
    _catch_handler_retries(kf)
    _own_catch_repeats(kf)
    _retried_once_flags(kf)
    _outbox_bounds(kf)
    _retry_event_gates(kf)
    _query_dsl_bounds(kf)
    _retry_decision_calls(kf)
    _stored_failure_bounds(kf)  # last: a function whose retry another reading found is left to it


def _last_try_after(call: KCall) -> bool:
    """``repeat(ATTEMPTS - 1) { try { return check(url) } catch (..) { sleep(..) } }; return check(url)``:
    the same call made once more after the loop, unguarded: one try more than the loop's turns."""
    if call.lambda_ is None:
        return False
    returned = {ts.text(n.named_children[0].named_children[0]) for n in ts.walk(call.lambda_)
                if n.type == "return_expression" and not ts.text(n).startswith("return@") and n.named_children
                and n.named_children[0].type == "call_expression" and n.named_children[0].named_children}
    # (round 21, mulighetsrommet) `val result = block(); if (!condition(result)) return result`: the call whose value
    # the returned name holds
    held = {}
    for n in ts.walk(call.lambda_):
        if n.type == "property_declaration" and n.named_children and n.named_children[-1].type == "call_expression":
            decl = next((c for c in n.named_children if c.type == "variable_declaration"), None)
            made = n.named_children[-1]
            if decl is not None and made.named_children:
                held[ts.text(decl).split(":")[0].strip()] = ts.text(made.named_children[0])
    returned |= {held[ts.text(n.named_children[0])] for n in ts.walk(call.lambda_)
                 if n.type == "return_expression" and not ts.text(n).startswith("return@") and n.named_children
                 and n.named_children[0].type == "identifier" and ts.text(n.named_children[0]) in held}
    following = call.node.next_named_sibling
    while following is not None and (following.type in ("line_comment", "multiline_comment") or _logging(following)):
        # (round 18, dex-processing-status: `// This is the last attempt ..` and `logger.error("Last Attempt ..")`
        # between the loop and the last try)
        following = following.next_named_sibling
    if not returned or following is None:
        return False
    if following.type == "try_expression":
        # (round 20, nl-covid19-notification-app) `try { return block() } catch (ex: Exception) { throw
        # RetryException(..) }`: the last try wrapped to say the retries ran out
        body = next((c for c in following.named_children if c.type in ("block", "statements")), None)
        statements = [c for c in body.named_children if c.type not in ("line_comment", "multiline_comment")] \
            if body is not None else []
        if body is not None and statements and statements[0].type == "statements":
            statements = list(statements[0].named_children)
        if not statements:
            return False
        following = statements[0]
    if following.type == "return_expression" and following.named_children:
        following = following.named_children[0]
    return following.type == "call_expression" and bool(following.named_children) \
        and ts.text(following.named_children[0]) in returned


def _logging(node: ts.Node) -> bool:
    """A statement that only logs (``logger.error(..)``, ``log.warn { .. }``, ``println(..)``)."""
    if node.type != "call_expression":
        return False
    call = KCall.of(node)
    if call is None:
        return False
    if call.receiver is None:
        return call.name in ("println", "print")
    return bool(re.fullmatch(r"(logger|log|LOG|LOGGER|logging|Log|Timber)", ts.text(call.receiver))) \
        and call.name in ("error", "warn", "warning", "info", "debug", "trace", "e", "w", "i", "d")


def _count_with_defaults(kf: KotlinFile, at: ts.Node, expr):
    """``_count`` of a loop bound, where a bound written in a parameter of the function around the
    loop that has a default (``maxRepeats: Int = 100``) takes the default: the helper's own count
    unless a caller passes another (``tryUntil(maxRepeats = 10)``, read at that call). Also the bound
    as written in the parameter (``maxRepeats``, ``retries + 1``): what the helper publishes."""
    value, pending = _count(expr)
    if value is not None or expr is None:
        return value, pending, None
    if isinstance(expr, Ref) and "." not in expr.name:
        local = local_value(at, expr.name)
        if local is not None:
            # `val maxRetries = properties.maxWaitTime` before `while (tries < maxRetries)`: what it holds
            value, pending = _count(expr_of(local))
            return value, pending, None
    name, offset = None, 0.0
    if isinstance(expr, Ref):
        name = expr.name
    elif isinstance(expr, BinOp) and expr.op in ("+", "-") and isinstance(expr.left, Ref) \
            and isinstance(expr.right, Num):
        name, offset = expr.left.name, float(expr.right.value) * (1 if expr.op == "+" else -1)
    if name is None:
        return value, pending, None
    defaulted = with_parameter_defaults(kf, at, Ref(name))
    if defaulted == Ref(name):
        return value, pending, None
    settled, _ = _count(defaulted if not offset else BinOp("+", defaulted, Num(offset)))
    if settled is None:
        return value, pending, None
    written = name if not offset else f"{name} {'+' if offset > 0 else '-'} {abs(int(offset))}"
    return settled, (), written


def _count_with_last_try(expr):
    """``expr + 1``, folding ``n - 1`` back to ``n`` (``repeat(times - 1) { try { return block() } .. }; return
    block()`` makes ``times`` tries: the parameter as written, so the helper publishes it for its callers)."""
    if isinstance(expr, BinOp) and expr.op == "-" and expr.right == Num(1.0):
        return expr.left
    return BinOp("+", expr, Num(1.0))


def _loops(kf: KotlinFile) -> None:
    for call in kf.calls:
        found = repeat_retry(call.node)
        if found is None:
            continue
        if attempts_only(call.node) and _ui_work(kf, call.lambda_) and not _remote_work(kf, call.lambda_):
            continue  # `repeat(8) { attempt -> scrollToItem(i); if (visible) return; delay(..) }`: local work
        if attempts_only(call.node) and _remote_only_returned(kf, call.lambda_):
            continue  # `repeat(3) { attempt -> if (limiter.tryAcquire()) return api.call(); sleep(..) }`: waits
            # for a local permit; the remote call, once made, ends the loop whatever its outcome
        _, expr = found
        if _last_try_after(call):
            expr = _count_with_last_try(expr)
        value, pending, written = _count_with_defaults(kf, call.node, expr)
        target, tp = target_within(kf, call.lambda_)
        line, col = call.name_node.start_point[0] + 1, call.name_node.start_point[1] + 1
        attrs = {"max_attempts": value, "backoff": backoff_of(call.lambda_), "retry_on": _catches(call.lambda_),
                 "mechanism": "loop", "library": None}
        if written:
            attrs["attempts_expression"] = written
        kf.sink.add("retry", (line, col, line, col + len(kf.evidence(call.name_node))), ID, attrs,
                    kf.evidence(call.node), "high" if value is not None else "medium", target, pending + tp)
    for loop in kf.loops:
        if not is_retry_loop(loop):
            continue
        if retry_loop_without_try(loop) and not _remote_work(kf, _loop_body(loop)):
            continue  # `for (retry in 1..5) { delay(1000); db.find(id)?.let { return it } }`: a local poll
        if until_assigned_loop(loop) and not _remote_work(kf, _loop_body(loop)):
            continue  # `while (x == null) { try { x = parseLocal() } catch .. }`: no remote call tried again
        attempts = loop_attempts(loop)
        if attempts is None:
            attempts = counted_endless_bound(loop, kf.data)
        if attempts is not None and _first_try_before(loop):
            attempts = _count_with_last_try(attempts)
        value, pending, written = _count_with_defaults(kf, loop, attempts)
        if value is None and not pending and loop.type == "while_statement" and _local_tries(kf, _loop_body(loop)):
            continue  # `while (true) { delay(1000); val ip = try { getIp() } catch .. }`: polling the device
        body = _loop_body(loop)
        target, tp = target_within(kf, body)
        line, col = loop.start_point[0] + 1, loop.start_point[1] + 1
        backoff = backoff_of(body)
        if backoff == "none" and loop.type == "while_statement" and budgeted_backoff(body):
            backoff = "exponential"  # the pause doubles and is waited out through a helper
        attrs = {"max_attempts": value, "backoff": backoff, "retry_on": _catches(body),
                 "mechanism": "loop", "library": None}
        if written:
            attrs["attempts_expression"] = written
        if is_failover_loop(loop):
            attrs["failover"] = True
        kf.sink.add("retry", (line, col, line, col + len(ts.text(loop).splitlines()[0])), ID, attrs,
                    kf.evidence(loop), "high" if value is not None else "medium", target, pending + tp)


def _remote_only_returned(kf: KotlinFile, lam: ts.Node) -> bool:
    """Is every remote call of a try-less attempt loop the value of a ``return`` (so a failure of it is never
    followed by another turn), while the loop's other work is local? Then the loop retries no call."""
    returns = [n for n in ts.walk(lam) if n.type in ("jump_expression", "return_expression")
               and ts.text(n).startswith("return") and not ts.text(n).startswith("return@")]
    returned_remote = [r for r in returns if r.named_children and _remote_work(kf, r)]
    if not returned_remote:
        return False
    for inner in kf.calls:
        if not kf.within(inner.node, lam) or any(kf.within(inner.node, r) for r in returns):
            continue
        if _remote_work(kf, inner.node):
            return False
    return True


def _first_try_before(loop: ts.Node) -> bool:
    """``var response = chain.proceed(request); while (!response.isSuccessful && tries < 3) { tries++;
    response = chain.proceed(request) }``: the first try is made before the loop (the same call, into the
    variable the condition tests); the loop counts only the tries again."""
    if loop.type != "while_statement":
        return False
    body = _loop_body(loop)
    cond = next((c for c in loop.named_children if c is not body), None)
    if body is None or cond is None:
        return False
    again = {}
    for node in ts.walk(body):
        if node.type == "assignment" and len(node.named_children) >= 2 \
                and node.named_children[-1].type == "call_expression":
            again[ts.text(node.named_children[0])] = ts.text(node.named_children[-1])
    if not again:
        return False
    before = loop.prev_named_sibling
    for _ in range(3):  # the first try is among the statements just before the loop
        if before is None:
            return False
        if before.type in ("property_declaration", "assignment") and before.named_children:
            target = before.named_children[0]
            name = ts.text(next((c for c in ts.walk(target) if c.type == "identifier"), target))
            value = before.named_children[-1]
            if name in again and ts.text(value) == again[name] and re.search(r"\b" + re.escape(name) + r"\b",
                                                                            ts.text(cond)):
                return True
        before = before.prev_named_sibling
    return False


def _local_tries(kf: KotlinFile, body: ts.Node) -> bool:
    """Every try in the loop calls only functions of this file (no receiver) that do no remote work."""
    tries = [n for n in ts.walk(body) if n.type == "try_expression"]
    if not tries:
        return False
    for node in tries:
        block = next((c for c in node.named_children if c.type == "block"), None) or node
        calls = [c for c in kf.calls if kf.within(c.node, block) and not any(
            a.type == "catch_block" for a in ts.ancestors(c.node) if kf.within(a, node))]
        if not calls:
            return False
        for call in calls:
            if call.receiver is not None:
                return False
            local = _file_function(kf, call.name)
            if local is None and _REMOTE_NAME.search(call.name):
                return False
            if local is not None and _remote_work(kf, local):
                return False
    return True


_REMOTE_NAME = re.compile(r"fetch|download|upload|request|api|client|http|remote|network|server|rpc|send|call|"
                          r"query|post|sync|login|connect|load", re.IGNORECASE)


def _ktor_request_retry(kf: KotlinFile) -> None:
    """``install(HttpRequestRetry) { retryOnServerErrors(maxRetries = 3); exponentialDelay() }``:
    maxRetries re-sends, so max_attempts = maxRetries + 1 (Ktor's default maxRetries is 3)."""
    for call in kf.calls:
        if not (call.name == "install" and call.args and ts.text(call.args[0]).endswith("HttpRequestRetry")
                or _ktor_per_request_retry(kf, call)):
            continue
        retries: Expr = Num(3.0)
        backoff = "exponential"
        if call.lambda_ is not None:
            for inner in kf.calls:
                if not kf.within(inner.node, call.lambda_):
                    continue
                node = inner.arg("maxRetries", 0)
                if (inner.name.startswith("retryOn") or inner.name == "retryIf") and node is not None \
                        and node.type != "lambda_literal" and ts.text(node) not in ("-1", "maxRetries", "this.maxRetries"):
                    # `retryIf(5) { _, response -> ... }`: maxRetries first, the predicate after
                    # (-1, Ktor's default there, keeps the count set before; so does the config's own
                    # `maxRetries` handed back: `retryOnExceptionIf(3) { .. }; retryIf(maxRetries) { .. }`, round 18).
                    retries = expr_of(node)
                elif inner.name == "constantDelay":
                    backoff = "fixed"
                elif inner.name == "noDelay":
                    backoff = "none"
            for node in kf.assignments:
                if kf.within(node, call.lambda_) and ts.text(node.named_children[0]) == "maxRetries":
                    retries = expr_of(node.named_children[-1])
        expr = BinOp("+", retries, Num(1.0))
        value, pending = _count(expr)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                     "library": "ktor"}, kf.evidence(call.node), "high" if value is not None else "medium",
                    None, pending)


_KOTLIN_RETRY = "com.github.michaelbull.retry"


def _kotlin_retry_policies(kf: KotlinFile) -> None:
    """michaelbull's kotlin-retry: ``val retryPolicy = limitAttempts(3) + fullJitterBackoff(base = 10,
    max = 5_000)`` is a policy of 3 tries in all, reported where it is made (it may serve several
    ``retry(retryPolicy) { }`` blocks, which are not reported again)."""
    _kotlin_retry_blocks(kf)
    if _KOTLIN_RETRY not in kf.imports.get("limitAttempts", "") + kf.imports.get("stopAtAttempts", ""):
        return
    for call in kf.calls:
        # kotlin-retry 2.x names the limit stopAtAttempts(n): n tries in all, as limitAttempts(n) in 1.x
        if call.name not in ("limitAttempts", "stopAtAttempts") or call.receiver is not None or not call.args:
            continue
        value, pending = _count(expr_of(call.args[0]))
        backoff = "exponential" if "Backoff" in ts.text(call.node.parent or call.node) else None
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                     "library": "kotlin-retry"}, kf.evidence(call.node), "high" if value is not None else "medium",
                    None, pending)


_KOTLIN_RETRY_LIMIT = re.compile(r"\b(limitAttempts|stopAtAttempts|limitByDelay|stopAtDelay)\s*\(")


def _kotlin_retry_blocks(kf: KotlinFile) -> None:
    """Round 14 (FaucETH): kotlin-retry's ``retry { rpc.getBalance(a) }`` with no policy runs its default,
    ``constantDelay(50) + limitAttempts(5)``: 5 tries, reported at the block. A policy written in place
    with no limit in it (``retry(handle1559NotAvailable + decorrelatedJitterBackoff(10, 5000)) { .. }``)
    tries until the policy says stop: a retry with no bound (value unknown). A policy held in a name
    (``retry(retryPolicy) { }``) is reported where it is made (its limitAttempts), not here."""
    if _KOTLIN_RETRY not in kf.imports.get("retry", ""):
        return
    for call in kf.calls:
        if call.name != "retry" or call.receiver is not None or call.lambda_ is None or call.named_args \
                and "policy" not in call.named_args:
            continue
        policy = call.named_args.get("policy") or (call.args[0] if call.args else None)
        if policy is not None:
            text = ts.text(policy)
            if _KOTLIN_RETRY_LIMIT.search(text) or policy.type in ("identifier", "navigation_expression") \
                    or not any(c.type == "call_expression" for c in ts.walk(policy)):
                continue  # limited in place (reported at limitAttempts), or a named policy made elsewhere
            # a sum naming another policy: one made with a limit in this file keeps the bound
            names = {ts.text(n) for n in ts.walk(policy) if n.type == "identifier"}
            if any(_KOTLIN_RETRY_LIMIT.search(ts.text(p)) for p in ts.walk(kf.tree.root_node)
                   if p.type == "property_declaration" and any(
                       c.type == "variable_declaration" and ts.text(c).split(":")[0].strip() in names
                       for c in p.named_children)):
                continue
            value = None
            backoff = "exponential" if "Backoff" in text else ("fixed" if "constantDelay" in text else None)
        else:
            value, backoff = 5, "fixed"
        target, tp = target_within(kf, call.lambda_)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "library",
                     "library": "kotlin-retry"}, kf.evidence(call.node), "high" if value is not None else "medium",
                    target, tp)


# Ktor's request builders: a `retry { }` in one of their lambdas configures HttpRequestRetry for that request.
_KTOR_REQUESTS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "prepareGet",
                            "preparePost", "prepareRequest", "submitForm", "submitFormWithBinaryData"})


def _ktor_per_request_retry(kf: KotlinFile, call: KCall) -> bool:
    """``client.get(url) { retry { constantDelay(50, 100) } }``: Ktor's per-request HttpRequestRetry settings
    (its config starts at retryOnExceptionOrServerErrors(3): 4 tries unless the block sets maxRetries)."""
    if call.name != "retry" or call.args or call.named_args or call.lambda_ is None or call.receiver is not None \
            or b"io.ktor.client" not in kf.data:
        return False
    for parent in ts.ancestors(call.node):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            outer = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
            return outer is not None and outer.name in _KTOR_REQUESTS and outer.receiver is not None
        if parent.type in ("function_declaration", "class_body"):
            return False
    return False


# A client's retry count set as a property of its configuration (`Tmdb3 { maxRetriesOnException = 3 }`,
# `fun TraktClientConfig.applyConfig() { maxRetries = 3 }`, `client.maxAttempts = 4`): retries are re-sends
# after the first try, attempts count it.
_RETRY_PROPERTY = re.compile(r"^max(Retries|RetryCount|Retry|RetryAttempts|Attempts)(On[A-Z]\w*)?$")


def _retry_properties(kf: KotlinFile) -> None:
    for node in kf.assignments:
        named = node.named_children
        if len(named) < 2 or not _plain_assignment(node):
            continue
        left, right = named[0], named[-1]
        name = ts.text(left).rsplit(".", 1)[-1].strip()
        if left.type not in ("simple_identifier", "identifier", "navigation_expression", "directly_assignable_expression") \
                or not _RETRY_PROPERTY.match(name) or ts.text(right) == "null":
            continue
        if _in_ktor_retry_block(node):
            continue  # counted with its install(HttpRequestRetry)
        if _library_property(kf, node, left, name):
            continue  # round 13: `SimpleRetryPolicy().apply { maxAttempts = n }`: kotlin.library_knobs reports it
        if "." not in ts.text(left) and _declared_around(kf, node, name):
            continue  # a variable in scope (a loop bound, a counter, the class's own field), not a client's setting
        if any(a.type in ("for_statement", "while_statement", "do_while_statement", "catch_block")
               for a in ts.ancestors(node)):
            continue  # raised or reset as the retries happen
        expr = expr_of(right)
        tries = expr if "Attempts" in name else BinOp("+", expr, Num(1.0))
        value, pending = _count(tries)
        kf.sink.add("retry", ts.location(node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": None}, kf.evidence(node), "medium", None, pending)


def _library_property(kf: KotlinFile, node: ts.Node, left: ts.Node, name: str) -> bool:
    """Whether kotlin.library_knobs reads this property assignment as a known library's option."""
    from extractors.kotlin.detectors.library_knobs import PROPERTIES, _context, _pick
    knobs = PROPERTIES.get(name)
    if not knobs:
        return False
    receiver = left.named_children[0] if left.type == "navigation_expression" and left.named_children else None
    return _pick(kf, knobs, _context(node, receiver)) is not None


_SCOPES = ("class_body", "function_body", "lambda_literal", "source_file", "statements", "block", "control_structure_body")


def _declared_around(kf: KotlinFile, node: ts.Node, name: str) -> bool:
    """A ``val``/``var`` of this name declared in a scope that holds ``node``."""
    for decl in kf.properties:
        declared = next((c for c in ts.walk(decl) if c.type == "variable_declaration"), None)
        if declared is None or not ts.text(declared).split(":")[0].strip() == name:
            continue
        scope = next((a for a in ts.ancestors(decl) if a.type in _SCOPES), None)
        if scope is not None and kf.within(node, scope):
            return True
    return False


def _plain_assignment(node: ts.Node) -> bool:
    """``x = 3``, not ``x += 1``."""
    named = node.named_children
    between = ts.text(node)[named[0].end_byte - node.start_byte:named[-1].start_byte - node.start_byte].strip()
    return between == "="


def _in_ktor_retry_block(node: ts.Node) -> bool:
    for parent in ts.ancestors(node):
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
            if call is not None and call.name == "install" and call.args \
                    and ts.text(call.args[0]).endswith("HttpRequestRetry"):
                return True
    return False


_REACTOR_SPECS = {"backoff": "exponential", "fixedDelay": "fixed", "max": "none", "maxInARow": "none"}


def _bound_value(node: ts.Node):
    """A count as an Expr, read through a local or member ``val`` of its name (``val maxRetries: Long =
    webClientConfiguration.maxRetries`` in the class: that settings property)."""
    if node.type == "identifier":
        bound = local_value(node, ts.text(node)) or member_value(node, ts.text(node))
        if bound is not None:
            return expr_of(bound)
    return expr_of(node)


def _reactor(kf: KotlinFile) -> None:
    """Reactor from Kotlin: ``mono.retry(2)`` (3 tries) and ``Retry.backoff(3, Duration.ofMillis(100))``."""
    imported = kf.imports.get("Retry", "").startswith("reactor.")
    for call in kf.calls:
        receiver = ts.text(call.receiver) if call.receiver is not None else ""
        if call.receiver is None and kf.imports.get(call.name, "") == f"reactor.util.retry.Retry.{call.name}":
            receiver = "Retry"  # `import reactor.util.retry.Retry.max` ... `retryWhen(max(3))`
        reactor = imported or receiver in ("reactor.util.retry.Retry", "Retry") and call.receiver is None \
            or receiver == "reactor.util.retry.Retry"
        if receiver == "reactor.util.retry.Retry":
            receiver = "Retry"
        if call.name == "retry" and not call.args and call.receiver is not None \
                and re.search(r"\.repeat\(\s*\)\s*$", receiver):
            continue  # round 18 (matrix-sms-bridge): `..delaySubscription(10 s).repeat().retry()`: a poll that
            # repeats forever, kept alive after an error; no request tried again
        if call.name == "retry" and call.receiver is not None and call.receiver.type == "call_expression" \
                and call.lambda_ is None and any(w in receiver.lower() for w in ("mono", "flux", "bodyto", "retrieve", "just")):
            expr = BinOp("+", expr_of(call.args[0]), Num(1.0)) if call.args else None
            value, pending = _count(expr) if expr is not None else (None, ())
            backoff = "none"
        elif reactor and receiver == "Retry" and call.name in _REACTOR_SPECS and call.args:
            if ts.text(call.args[0]).endswith("MAX_VALUE"):
                value, pending = None, ()
            else:
                value, pending = _count(BinOp("+", _bound_value(call.args[0]), Num(1.0)))
            backoff = _REACTOR_SPECS[call.name]
        elif reactor and receiver == "Retry" and call.name == "indefinitely":
            value, pending, backoff = None, (), "none"
        else:
            continue
        attrs = {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "call",
                 "library": "reactor"}
        param = _null_default_elvis(call.args[0]) if call.args and receiver == "Retry" else None
        if param is not None:
            # `Retry.backoff(maxRetries ?: this.maxRetries, ..)` in `fun spec(maxRetries: Long? = null)`:
            # a caller's argument bounds it (kotlin.wrapper_call publishes the parameter)
            attrs["attempts_expression"] = f"{param} + 1"
        kf.sink.add("retry", name_location(call.node, call.name_node), ID, attrs, kf.evidence(call.name_node),
                    "high" if value is not None or call.name == "indefinitely" else "medium", None, pending)


def _reactor_repeat_when_empty(kf: KotlinFile) -> None:
    """Round 18 (pagopa-wallet-service): Reactor's ``mono.repeatWhenEmpty(n) { .. }`` / ``.repeatWhenEmpty {
    Flux.fromIterable(IntStream.range(0, MAX_NUMBER_ATTEMPTS - 1).toList()) }`` subscribes to the chain again
    (its calls made again: a Redis ``setIfAbsent`` that lost the race) while it completes empty: one try more
    than the repeats, ``n`` given first or the count of what the companion emits (``IntStream.range(a, b)``,
    ``Flux.range(start, count)``, ``(a until b)``); unbounded (``Long.MAX_VALUE``, a companion without a range) is
    null. Only where the file imports Reactor."""
    if b"repeatWhenEmpty" not in kf.data or b"reactor." not in kf.data:
        return
    for call in kf.calls:
        if call.name != "repeatWhenEmpty" or call.receiver is None:
            continue
        expr = None
        if call.args and call.args[0].type != "lambda_literal" and not ts.text(call.args[0]).endswith("MAX_VALUE"):
            expr = BinOp("+", _bound_value(call.args[0]), Num(1.0))
        elif call.lambda_ is not None:
            for inner in kf.calls:
                if not kf.within(inner.node, call.lambda_) or inner.name != "range" or len(inner.args) != 2:
                    continue
                lo, hi = expr_of(inner.args[0]), expr_of(inner.args[1])
                receiver = ts.text(inner.receiver) if inner.receiver is not None else ""
                count = hi if receiver.endswith("Flux") else (hi if lo == Num(0) else BinOp("-", hi, lo))
                expr = BinOp("+", count, Num(1.0))
                break
            if expr is None:
                for node in ts.walk(call.lambda_):
                    if node.type in ("infix_expression", "range_expression") and len(node.named_children) >= 2 \
                            and (node.type == "range_expression" or ts.text(node.named_children[1]) == "until"):
                        lo, hi = expr_of(node.named_children[0]), expr_of(node.named_children[-1])
                        count = BinOp("-", hi, lo) if node.type == "infix_expression" else BinOp("+", BinOp("-", hi, lo), Num(1.0))
                        expr = BinOp("+", count, Num(1.0))
                        break
        value, pending = _count(expr) if expr is not None else (None, ())
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "none", "retry_on": None, "mechanism": "call",
                     "library": "reactor"}, kf.evidence(call.name_node),
                    "high" if value is not None else "medium", None, pending)


def _null_default_elvis(node: ts.Node) -> str | None:
    """``p ?: fallback`` where ``p`` is a parameter of the function declared ``= null``: ``p``."""
    if node.type not in ("binary_expression", "elvis_expression") or len(node.named_children) != 2 \
            or not any(c.type == "?:" for c in node.children):
        return None
    left = node.named_children[0]
    if left.type != "identifier":
        return None
    default = parameter_default(left, ts.text(left))
    return ts.text(left) if default is not None and ts.text(default) == "null" else None


_FLOW_STAR = b"import kotlinx.coroutines.flow.*"
_FLIPPED = FLIPPED


def _flow_imported(kf: KotlinFile, name: str) -> bool:
    return kf.imports.get(name, "").startswith("kotlinx.coroutines.flow.") or _FLOW_STAR in kf.data


def _flow_retries(kf: KotlinFile) -> None:
    """kotlinx.coroutines Flow: ``flow.retry(3)`` (4 tries), ``flow.retry { pred }`` (unbounded) and
    ``flow.retryWhen { cause, attempt -> attempt < 3 }`` (the bound read from the attempt test)."""
    for call in kf.calls:
        if call.receiver is None or call.name not in ("retry", "retryWhen"):
            continue
        if "schedule" in ts.text(call.receiver).lower() and b"import arrow." in kf.data:
            continue  # Arrow's `Schedule.recurs<Throwable>(3).retry { }`: kotlin.library_knobs reads the schedule
        rx = _rx_chain(kf, call)
        if not rx and not _flow_imported(kf, call.name):
            continue
        pending: tuple = ()
        if call.name == "retry":
            if not call.args and call.lambda_ is None and not rx:
                continue  # Paging's items.retry() and other zero-argument retries
            if call.args:
                value, pending = _count(BinOp("+", expr_of(call.args[0]), Num(1.0)))
            else:
                value = None  # retries = Long.MAX_VALUE; RxJava's retry(): again and again
        else:
            if call.lambda_ is None:
                continue
            value, pending = _attempt_bound(call.lambda_)
        backoff = _flow_backoff(call.lambda_)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "call",
                     "library": "rxjava" if rx else "kotlinx-coroutines"}, kf.evidence(call.name_node),
                    "high" if value is not None else "medium", None, pending)


_RX_OPERATORS = {"subscribeOn", "observeOn", "subscribe", "blockingGet", "blockingSubscribe", "blockingFirst",
                 "subscribeWith", "toObservable", "toSingle", "toFlowable"}


def _rx_chain(kf: KotlinFile, call: KCall) -> bool:
    """``api.getProfile(url).retry(3).subscribeOn(io()).subscribe(..)``: an RxJava chain (the file
    imports RxJava and the chain around the call schedules or subscribes)."""
    if b"io.reactivex" not in kf.data:
        return False
    top = chain_top(call.node)
    return any(c.name in _RX_OPERATORS for c in chain(KCall.of(top) or call))


def _attempt_bound(lam: ts.Node):
    """Total tries from ``attempt < N`` (N + 1), ``attempt <= N`` (N + 2), ``attempt >= N`` (N + 1)
    or ``attempt > N`` (N + 2) in a retryWhen predicate; attempt counts retries from 0."""
    params = next((c for c in lam.named_children if c.type == "lambda_parameters"), None)
    names = [ts.text(p).split(":")[0].strip() for p in params.named_children] if params is not None else []
    if len(names) < 2:
        return None, ()
    attempt = names[1]
    for node in ts.walk(lam):
        if node.type not in ("comparison_expression", "binary_expression") or node.named_child_count != 2:
            continue
        left, right = node.named_children
        op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
        if op not in _FLIPPED:
            continue
        if ts.text(right) == attempt:
            left, right, op = right, left, _FLIPPED[op]
        if ts.text(left) != attempt:
            continue
        return _count(bound_of(op, expr_of(right)))
    return None, ()


def _flow_backoff(lam: ts.Node | None) -> str:
    if lam is None:
        return "none"
    for node in ts.walk(lam):
        if node.type == "call_expression" and ts.text(node).startswith("delay("):
            text = ts.text(node)
            return "exponential" if any(w in text for w in (" shl ", "pow(", "2.0.pow", "* 2")) else "fixed"
    return "none"


def _interceptor_retries(kf: KotlinFile) -> None:
    """An OkHttp interceptor that sends the request again after looking at the answer:
    ``val r = chain.proceed(req); if (r.code == 401) { ...; chain.proceed(retried) }`` (the second
    ``proceed`` runs after the first on the same path; ``if (a) proceed(x) else proceed(y)`` is one
    send). A loop around ``proceed`` is a retry loop of its own."""
    by_scope: dict[int, list[KCall]] = {}
    for call in kf.calls:
        if call.name != "proceed" or call.receiver is None or not call.args \
                or "chain" not in ts.text(call.receiver).lower():
            continue
        scope = None
        for parent in ts.ancestors(call.node):
            if parent.type in ("for_statement", "while_statement", "do_while_statement"):
                break
            if parent.type in ("function_declaration", "lambda_literal"):
                scope = parent
                break
        if scope is not None:
            by_scope.setdefault(scope.id, []).append(call)
    for calls in by_scope.values():
        keys = [_request_key(kf, c.args[0], c.node) for c in calls]
        befores = [[j for j in range(i) if keys[j] == keys[i] and _runs_before(calls[j].node, calls[i].node)]
                   for i in range(len(calls))]
        for i, later in enumerate(calls):
            before = befores[i]
            if not before or any(i in b for b in befores[i + 1:]):
                continue  # one finding per resend path, at its last send
            kf.sink.add("retry", name_location(later.node, later.name_node), ID,
                        {"max_attempts": len(before) + 1, "backoff": "none", "retry_on": None,
                         "mechanism": "interceptor", "library": "okhttp"}, kf.evidence(later.node), "medium")


def _request_key(kf: KotlinFile, arg: ts.Node, at: ts.Node) -> str:
    """Which request a ``proceed`` argument sends: ``original`` for ``original``,
    ``original.newBuilder()...`` or a local ``val retried = original.newBuilder()...`` (locals are
    followed back: ``val original = chain.request()`` makes all of them ``chain``);
    ``Api.refreshRequest`` for ``Api.refreshRequest(token)`` (another request)."""
    scope = next((a for a in ts.ancestors(at) if a.type in ("function_declaration", "lambda_literal")), None)
    values: dict[str, str] = {}
    for node in ts.walk(scope) if scope is not None else ():
        if node.type == "property_declaration" and node.start_byte < at.start_byte:
            decl = next((c for c in node.named_children if c.type == "variable_declaration"), None)
            if decl is not None and node.named_children[-1] is not decl:
                values.setdefault(ts.text(decl).split(":")[0].strip(), ts.text(node.named_children[-1]).strip())
    return request_key(ts.text(arg), values)


def _runs_before(first: ts.Node, later: ts.Node) -> bool:
    """``first`` is a statement (or inside one) of a block that also holds ``later`` further down,
    and its answer is looked at (not ``return chain.proceed(..)``)."""
    statement = first
    while statement.parent is not None and statement.parent.type not in ("block", "statements", "function_body",
                                                                         "lambda_literal"):
        statement = statement.parent
        if statement.type in ("jump_expression", "return_expression"):
            return False
    block = statement.parent
    return block is not None and block.start_byte <= later.start_byte and later.end_byte <= block.end_byte \
        and later.start_byte >= statement.end_byte


def _authenticator_retries(kf: KotlinFile) -> None:
    """An OkHttp ``Authenticator`` (``override fun authenticate(route, response)``, or a lambda given
    to ``authenticator``/``proxyAuthenticator``/``Authenticator { }``) returning
    ``response.request.newBuilder()...build()`` makes OkHttp send the request again (after a 401/407),
    as long as it keeps returning one (up to OkHttp's follow-up limit): max_attempts unknown."""
    if b"uthenticator" not in kf.data:
        return
    # the file's functions that rebuild a request (`newRequestWithAccessToken(request, token) =
    # request.newBuilder().header(..).build()`): an authenticate() returning one of them re-sends too
    rebuilders = set()
    for fn in ts.walk(kf.tree.root_node):
        name = next((c for c in fn.named_children if c.type in ("simple_identifier", "identifier")), None) \
            if fn.type == "function_declaration" else None
        if name is not None and ts.text(name) != "authenticate" and _rebuilds_request(ts.text(fn)):
            rebuilders.add(ts.text(name))
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        name = next((c for c in fn.named_children if c.type in ("simple_identifier", "identifier")), None)
        if name is None or ts.text(name) != "authenticate":
            continue
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        if params is None or "Response" not in ts.text(params):
            continue
        if not _rebuilds_request(ts.text(fn)) and not any(
                re.search(r"\breturn\s+" + re.escape(r) + r"\(", ts.text(fn)) for r in rebuilders):
            continue
        line, col = name.start_point[0] + 1, name.start_point[1] + 1
        _authenticator_finding(kf, (line, col, line, col + len("authenticate")), name, "401")
    for call in kf.calls:
        if call.name not in ("authenticator", "proxyAuthenticator", "Authenticator"):
            continue
        lam = call.lambda_
        if lam is None and call.args:
            lam = next((n for n in ts.walk(call.args[0]) if n.type == "lambda_literal"), None)
        if lam is None or not _rebuilds_request(ts.text(lam)):
            continue
        _authenticator_finding(kf, name_location(call.node, call.name_node), call.name_node,
                               "407" if call.name == "proxyAuthenticator" else "401")


# A branch that answers an authentication failure, and a call that gets new credentials.
_AUTH_FAILURE = re.compile(r"unauthori[sz]ed|\b401\b|expired|auth\w*(error|fail)|token\w*(error|invalid|expired)|"
                           r"invalid\w*token", re.IGNORECASE)
_REAUTH_CALL = re.compile(r"^(refresh\w*|renew\w*|re[aA]uth\w*|login|logIn|signIn|authenticate|"
                          r"(fetch|get|new|obtain|request|acquire)\w*Token|invalidate\w*|expire\w*)$")


def _reauthenticated_resends(kf: KotlinFile) -> None:
    """Round 18 (evaka's VardaClient): ``executeWithToken(request, token).use { response -> if
    (isVardaTokenError(response)) { val newToken = refreshToken(); executeWithToken(request, newToken) } }``: the
    same request sent once more after new credentials were fetched, in a branch that answers an authentication
    failure: 2 tries, at the repeated call (the round-12 convention). Not: a branch that only refreshes, a second
    call sending another request, calls in a loop (a retry loop of its own)."""
    if not re.search(rb"(?i)refresh|renew|reauth|login|signin|authenticate|token|invalidate|expire", kf.data):
        return
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    by_name: dict[tuple[str, str], list[KCall]] = {}
    for call in kf.calls:
        if not call.args:
            continue
        receiver = ts.text(call.receiver) if call.receiver is not None else ""
        by_name.setdefault((call.name, receiver), []).append(call)
    for calls in by_name.values():
        for i, later in enumerate(calls):
            line = later.name_node.start_point[0] + 1
            if line in taken or _REAUTH_CALL.match(later.name):
                continue
            if ts.text(later.args[0]) == "it" or later.args[0].type not in ("identifier", "navigation_expression"):
                continue  # (the request, as a name: not a lambda's `it` nor a value made in place)
            fn = next((a for a in ts.ancestors(later.node) if a.type == "function_declaration"), None)
            if fn is None or (later.receiver is None and _function_parameter(fn, later.name)):
                continue  # `serverCall(token)` of a helper's own lambda: its callers' work (the round-9 convention)
            first = next((c for c in calls[:i] if c.node.end_byte <= later.node.start_byte
                          and ts.text(c.args[0]) == ts.text(later.args[0]) and kf.within(c.node, fn)
                          and (_runs_before(c.node, later.node) or _answer_handled_by(c.node, later.node))), None)
            if first is None:
                continue
            branch = None
            for parent in ts.ancestors(later.node):
                if parent.type in ("for_statement", "while_statement", "do_while_statement", "function_declaration"):
                    break
                if parent.type == "if_expression" and parent.named_children \
                        and not kf.within(later.node, parent.named_children[0]) \
                        and _AUTH_FAILURE.search(ts.text(parent.named_children[0])):
                    branch = parent
                    break
            else:
                continue
            if branch is None or kf.within(first.node, branch) or _in_loop(first.node):
                continue
            if not any(_REAUTH_CALL.match(c.name) and kf.within(c.node, branch) and c.node.end_byte <= later.node.start_byte
                       for c in kf.calls):
                continue
            taken.add(line)
            kf.sink.add("retry", name_location(later.node, later.name_node), ID,
                        {"max_attempts": 2, "backoff": "none", "retry_on": ["401"], "mechanism": "call",
                         "library": None}, kf.evidence(later.node), "medium")


def _function_parameter(fn: ts.Node, name: str) -> bool:
    """``name`` is a parameter of ``fn`` with a function type (``serverCall: suspend (token: T) -> R``)."""
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    for param in params.named_children if params is not None else ():
        if param.type == "parameter" and param.named_children and ts.text(param.named_children[0]) == name:
            return "->" in ts.text(param)
    return False


def _answer_handled_by(first: ts.Node, later: ts.Node) -> bool:
    """``executeWithToken(request, token).use { response -> .. later .. }``: ``later`` sits in a lambda handed the
    first call's answer (a call chained on it)."""
    node = first
    while node.parent is not None and node.parent.type in ("navigation_expression", "call_expression",
                                                          "annotated_lambda", "navigation_suffix"):
        node = node.parent
        if node.type == "call_expression" and node.start_byte == first.start_byte and node.end_byte > first.end_byte:
            lam = next((n for n in ts.walk(node) if n.type == "lambda_literal" and n.start_byte > first.end_byte), None)
            if lam is not None and lam.start_byte <= later.start_byte and later.end_byte <= lam.end_byte:
                return True
    return False


def _in_loop(node: ts.Node) -> bool:
    for parent in ts.ancestors(node):
        if parent.type == "function_declaration":
            return False
        if parent.type in ("for_statement", "while_statement", "do_while_statement"):
            return True
    return False


def _rebuilds_request(text: str) -> bool:
    return ".newBuilder()" in text and re.search(r"\brequest\b", text) is not None


# Round 18 (evaka's suomi.fi client): an authenticator that answers only the first 401 (`val isFirstAttempt =
# response.priorResponse == null; if (.. && isFirstAttempt) rebuilt else null`): the request is sent twice at most.
_FIRST_FOLLOW_UP = re.compile(r"priorResponse\s*(==|!=)\s*null|null\s*(==|!=)\s*\w+\.priorResponse")


def _authenticator_finding(kf: KotlinFile, loc, anchor: ts.Node, status: str) -> None:
    scope = anchor
    for parent in ts.ancestors(anchor):
        scope = parent
        if parent.type in ("call_expression", "function_declaration"):
            break
    tries = 2 if _FIRST_FOLLOW_UP.search(ts.text(scope)) else None
    kf.sink.add("retry", loc, ID, {"max_attempts": tries, "backoff": "none", "retry_on": [status],
                                   "mechanism": "interceptor", "library": "okhttp"}, kf.evidence(anchor), "medium")


def _work_manager_retries(kf: KotlinFile) -> None:
    """A WorkManager worker that asks to run again after a failure: bounded when the branch it sits
    in tests the run count (``if (shouldRetry && runAttemptCount < 3) Result.retry()`` -> 4 runs,
    counted from 0; ``if (isLastRunAttempt()) failure() else retry()`` through a one-line function of
    the file); unbounded when it answers a failure (in a catch block, or the else of a branch that
    reports success); otherwise a reschedule."""
    for call in kf.calls:
        if call.name != "retry" or call.receiver is None or call.args or call.lambda_ is not None \
                or not ts.text(call.receiver).endswith("Result"):
            continue
        found, in_catch, child = None, False, call.node
        for parent in ts.ancestors(call.node):
            if parent.type == "function_declaration":
                break
            if parent.type == "catch_block":
                in_catch = True
            if parent.type == "if_expression" and found is None and parent.named_children:
                condition = parent.named_children[0]
                branches = parent.named_children[1:]
                in_else = len(branches) >= 2 and kf.within(child, branches[-1])
                if not kf.within(child, condition):
                    found = _run_count_bound(kf, condition, negate=in_else)
            child = parent
        if found is None:
            found = _run_count_guard(kf, call.node)
        if found is not None:
            anchor, expr = found
            value, pending = _count(expr)
            kf.sink.add("retry", ts.location(anchor), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "workmanager"}, kf.evidence(anchor), "high" if value is not None else "medium",
                        None, pending)
        elif in_catch or _after_failed_work(kf, call.node):
            kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "workmanager"}, kf.evidence(call.node), "medium")


def _run_count_guard(kf: KotlinFile, node: ts.Node):
    """``if (runAttemptCount > 2) { return Result.failure() }`` before the work, and a ``Result.retry()``
    further down the same function: the work runs while the count passes the guard (``> 2`` -> runs 0, 1, 2:
    3 tries; ``>= 3`` -> 3). (anchor: the guard's comparison, tries) or None."""
    fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None)
    if fn is None:
        return None
    for guard in ts.walk(fn):
        if guard.type != "if_expression" or guard.start_byte >= node.start_byte or not guard.named_children:
            continue
        condition, branches = guard.named_children[0], guard.named_children[1:]
        if not branches or "failure(" not in ts.text(branches[0]) or kf.within(node, guard):
            continue
        for cmp in ts.walk(condition):
            found = _run_count_comparison(cmp)
            if found is None:
                continue
            op, right = found
            if op == ">":
                return cmp, BinOp("+", expr_of(right), Num(1.0))
            if op == ">=":
                return cmp, expr_of(right)
    return None


def _after_failed_work(kf: KotlinFile, node: ts.Node) -> bool:
    """``if (download().isSuccess) Result.success() else Result.retry()``: the retry answers the
    work's failure (the other branch reports success); likewise the ``else ->`` of a ``when`` whose
    other branch reports success (``when { state.isSuccessful -> Result.success(); else -> Result.retry() }``)."""
    child = node
    for parent in ts.ancestors(node):
        if parent.type == "function_declaration":
            return False
        if parent.type == "when_entry":
            when = parent.parent
            others = [e for e in (when.named_children if when is not None else ()) if e.type == "when_entry"
                      and e is not parent and e.id != parent.id]
            entry = ts.text(parent).lstrip()
            condition = entry.split("->", 1)[0]
            # (round 20, nl-covid19-notification-app) an entry for the work's failed outcome (`is Result.Error ->
            # Result.retry()`, `is UploadResult.Retry -> Result.retry()`) beside one that reports success
            failed = entry.startswith("else") or bool(_FAILED_ENTRY.search(condition))
            return failed and any(".success(" in ts.text(e) for e in others)
        if parent.type == "if_expression":
            branches = parent.named_children[1:]
            if len(branches) >= 2 and kf.within(child, branches[-1]):
                return "Result.success(" in ts.text(branches[0]) or ".success(" in ts.text(branches[0])
            if len(branches) >= 2 and kf.within(child, branches[0]) and ".success(" in ts.text(branches[-1]):
                # `if (results.awaitAll().any { !it }) Result.retry() else Result.success()`: the test
                # asks whether the work failed (not whether the app is ready to work at all)
                return bool(_FAILED_WORK.search(ts.text(parent.named_children[0])))
            return False
        child = parent
    return False


# A `when` entry for a failed outcome: `is ProcessResult.Error`, `Failure`, `is UploadResult.Retry`, `false`.
_FAILED_ENTRY = re.compile(r"(?i)error|fail|retry|exception|timeout|unavailable|^\s*false\s*$")


# A test of the work's outcome: `any { !it }`, `isFailure`, `hasErrors`, `!ok`, `failed.isNotEmpty()`.
_FAILED_WORK = re.compile(r"fail|error|!\s*it\b|!\s*ok\b|isSuccess|succe|^\(?\s*(should|needs?|must)Retry\s*\)?$",
                          re.IGNORECASE)


def _run_count_comparison(node: ts.Node) -> tuple[str, ts.Node] | None:
    """A comparison of WorkManager's ``runAttemptCount`` with a bound, as (operator, bound) with the
    count on the left (``3 > runAttemptCount`` -> ``("<", 3)``); None for any other node."""
    if node.type not in ("comparison_expression", "binary_expression") or node.named_child_count != 2:
        return None
    left, right = node.named_children
    op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
    if op not in _FLIPPED:
        return None
    if ts.text(right) == "runAttemptCount":
        left, right, op = right, left, _FLIPPED[op]
    return (op, right) if ts.text(left) == "runAttemptCount" else None


def _run_count_bound(kf: KotlinFile, condition: ts.Node, negate: bool = False, depth: int = 0):
    for node in ts.walk(condition):
        if node.type == "prefix_expression" and ts.text(node).startswith("!") and node.named_children:
            found = _run_count_bound(kf, node.named_children[-1], not negate, depth)
            if found is not None:
                return found
        if node.type == "call_expression" and depth == 0:
            inner = KCall.of(node)
            body = _one_line_function(kf, inner.name) if inner is not None and inner.receiver is None \
                and not inner.args else None
            if body is not None:
                found = _run_count_bound(kf, body, negate, depth + 1)
                if found is not None:
                    return node, found[1]
        found = _run_count_comparison(node)
        if found is None:
            continue
        op, right = found
        if (op in ("<", "<=")) == negate:
            continue  # the retry sits where no further run is allowed
        return node, bound_of(op, expr_of(right))
    return None


def _one_line_function(kf: KotlinFile, name: str) -> ts.Node | None:
    """The expression ``fun name() = <expr>`` / ``fun name(): Boolean { return <expr> }`` returns."""
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        ident = next((c for c in fn.named_children if c.type in ("simple_identifier", "identifier")), None)
        if ident is None or ts.text(ident) != name:
            continue
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if body is None or not body.named_children:
            return None
        inner = body.named_children[0]
        if inner.type == "block":
            statements = inner.named_children
            if len(statements) == 1 and statements[0].type in ("jump_expression", "return_expression") \
                    and statements[0].named_children:
                return statements[0].named_children[-1]
            return None
        return inner
    return None


def _catch_repeats(kf: KotlinFile) -> None:
    for try_node in kf.tries:
        block = catch_repeat(try_node)
        if block is None:
            continue
        if any(is_retry_loop(a) or (a.type == "call_expression" and repeat_retry(a) is not None)
               for a in ts.ancestors(try_node)):
            continue  # the loop around it is the retry
        clause = block.parent
        user = next((c for c in clause.named_children if c.type == "user_type"), None)
        body = next((c for c in try_node.named_children if c.type == "block"), None)
        target, tp = target_within(kf, body) if body is not None else (None, ())
        line, col = try_node.start_point[0] + 1, try_node.start_point[1] + 1
        kf.sink.add("retry", (line, col, line, col + 3), ID,
                    {"max_attempts": 2, "backoff": backoff_of(block), "retry_on": [ts.text(user)] if user is not None else None,
                     "mechanism": "catch", "library": None}, kf.evidence(try_node), "medium", target, tp)


def _parameters(fn: ts.Node) -> dict[str, ts.Node | None]:
    """A function's parameters with their default values (None when there is none)."""
    params: dict[str, ts.Node | None] = {}
    holder = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    last = None
    for child in holder.named_children if holder is not None else []:
        if child.type == "parameter":
            ident = next((c for c in child.named_children if c.type == "identifier"), None)
            last = ts.text(ident) if ident is not None else None
            if last:
                params[last] = None
        elif last is not None and child.type not in ("parameter_modifiers", "annotation", "line_comment",
                                                       "multiline_comment"):
            params[last] = child
    return params


def _self_call_retries(kf: KotlinFile) -> None:
    """``fun fetch(tries: Int = 0) { try { ... } catch (e: IOException) { if (tries < MAX) return
    fetch(tries + 1) ... } }``: a function that calls itself again with its counter one higher,
    under a bound on that counter, from a catch block (or with a counter named for attempts).
    Tries: ``bound - start + 1`` for ``<`` (one more for ``<=``), the counter starting at its default."""
    seen: set[int] = set()
    for call in kf.calls:
        if call.receiver is not None and ts.text(call.receiver) != "this":
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        if fn is None or fn.id in seen:
            continue
        name_node = next((c for c in fn.named_children if c.type == "identifier"), None)
        if name_node is None or ts.text(name_node) != call.name:
            continue
        params = _parameters(fn)
        counter = next((p for arg in call.args for p in [_plus_one(arg)] if p in params), None)
        if counter is None and _flag_retry(kf, call, fn):
            seen.add(fn.id)
            body = next((c for c in fn.named_children if c.type == "function_body"), None)
            target, tp = target_within(kf, body) if body is not None else (None, ())
            kf.sink.add("retry", name_location(fn, name_node), ID,
                        {"max_attempts": 2, "backoff": "none", "retry_on": _catches(body) if body is not None else None,
                         "mechanism": "recursion", "library": None}, kf.evidence(name_node), "high", target, tp)
            continue
        if counter is None:
            _count_down(kf, call, fn, name_node, params, seen)
            continue
        in_catch = any(a.type == "catch_block" for a in ts.ancestors(call.node) if kf.within(a, fn))
        if not in_catch and not ATTEMPT_NAME.search(counter):
            continue  # `page + 1` under `page < pages`: walking pages, not trying again
        guard = _counter_guard(call.node, fn, counter)
        exit_bound = None
        if guard is None:
            exit_guard = _exit_guard(kf, call.node, fn, counter)
            if exit_guard is None:
                continue
            guard, exit_bound = (exit_guard[0], ts.text(exit_guard[1])), exit_guard[1]
        op, bound = guard
        seen.add(fn.id)
        start = params.get(counter)
        if start is None:
            start = _caller_start(kf, fn, call.name, counter, list(params))
        if bound in params:
            # a parameter bound: its default (`maxRetries: Int = 3`); callers may pass another
            bound_expr = expr_of(params[bound]) if params[bound] is not None else None
        elif exit_bound is not None:
            bound_expr = expr_of(exit_bound)
        else:
            bound_expr = _bound_expr(call.node, fn, counter)
        expr = None
        if bound_expr is not None and start is not None:
            expr = BinOp("+", BinOp("-", bound_expr, expr_of(start)), Num(2.0 if op == "<=" else 1.0))
        value, pending = _count(expr)
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        target, tp = target_within(kf, body) if body is not None else (None, ())
        kf.sink.add("retry", name_location(fn, name_node), ID,
                    {"max_attempts": value, "backoff": backoff_of(body) if body is not None else "none",
                     "retry_on": _catches(body) if body is not None else None, "mechanism": "recursion",
                     "library": None},
                    kf.evidence(name_node), "high" if value is not None else "medium", target, pending + tp)


_RETRY_FLAG = re.compile(r"retr(y|ied|ying)|again|second|lastAttempt", re.IGNORECASE)


def _caller_start(kf: KotlinFile, fn: ts.Node, name: str, counter: str, order: list[str]) -> ts.Node | None:
    """round 11: ``private fun warmUp(attempt: Int)`` without a default, started by the file's other calls
    (``warmUp(attempt = 0)``): the number they all pass for the counter."""
    starts = []
    for other in kf.calls:
        if other.name != name or kf.within(other.node, fn) or \
                (other.receiver is not None and ts.text(other.receiver) != "this"):
            continue
        arg = other.named_args.get(counter)
        if arg is None and counter in order and order.index(counter) < len(other.args) and not other.named_args:
            arg = other.args[order.index(counter)]
            arg = arg.named_children[-1] if arg.type == "value_argument" and arg.named_children else arg
        if arg is None or arg.type not in ("integer_literal", "number_literal"):
            return None
        starts.append(arg)
    return starts[0] if starts and len({ts.text(s) for s in starts}) == 1 else None


def _flag_retry(kf: KotlinFile, call: KCall, fn: ts.Node) -> bool:
    """``fun token(id: String, forceRecreate: Boolean) { try { .. } catch (e: Exception) { if (recreated)
    throw e else return token(id, forceRecreate = true) } }``: a function that calls itself once more
    from a catch, turning on a Boolean parameter it was called without: two tries in all (the flag,
    once on, stops the next failure from calling again)."""
    catch = next((a for a in ts.ancestors(call.node) if a.type == "catch_block" and kf.within(a, fn)), None)
    named_for_retry = False
    if catch is None:
        # `if (file.length() == 0L) { if (isRetry) throw ..; download(out, url, isRetry = true) }`: outside a
        # catch, the flag must be named for the second try and the function must give up on it
        catch = fn
        named_for_retry = True
    if not any(n.type == "throw_expression" for n in ts.walk(catch)):
        return False  # the second failure must end it (`if (recreated) throw e`)
    if any(a.type == "lambda_literal" and kf.within(a, catch) for a in ts.ancestors(call.node)):
        return False  # `setAction { setPhoto(.., true) }`: a button the user presses, not a retry
    params_node = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    declared = [(ts.text(i), ts.text(ty)) for p in (params_node.named_children if params_node is not None else ())
                if p.type == "parameter"
                for i in [next((c for c in p.named_children if c.type == "identifier"), None)]
                for ty in [next((c for c in p.named_children if c.type in ("user_type", "nullable_type")), None)]
                if i is not None and ty is not None]
    flags = {name for name, typ in declared if typ.rstrip("?") == "Boolean"
             and (not named_for_retry or _RETRY_FLAG.search(name))}
    passed = [(declared[i][0], a) for i, a in enumerate(call.args) if i < len(declared)] + list(call.named_args.items())
    if not any(name in flags and ts.text(arg) == "true" for name, arg in passed):
        return False
    # the same flag must not be passed on as it was (`token(id, force)`: no end in sight)
    return len(call.args) + len(call.named_args) == len(declared)


def _count_down(kf: KotlinFile, call: KCall, fn: ts.Node, name_node: ts.Node,
                params: dict[str, ts.Node | None], seen: set[int]) -> None:
    """``fun invite(req: R, retryCount: Int = 2) { ... if (retryCount > 0) invite(req, retryCount - 1) }``:
    the counter is the number of retries left, one lower on each self-call. Tries: ``start - floor + 1``
    for ``>`` (one more for ``>=``), the counter starting at its default."""
    counter = next((p for arg in call.args for p in [_minus_one(arg)] if p in params), None)
    if counter is None or not ATTEMPT_NAME.search(counter):
        return  # `depth - 1` walking a tree, `page - 1`: not trying again
    guard = None
    for cond in _conditions(call.node, fn):
        for node in ts.walk(cond):
            if node.type not in ("comparison_expression", "binary_expression") or len(node.named_children) != 2:
                continue
            left, right = node.named_children
            op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
            if ts.text(left) == counter and op in (">", ">="):
                guard = op, right
            elif ts.text(right) == counter and op in ("<", "<="):
                guard = (">" if op == "<" else ">="), left
    if guard is None:
        guard = _early_exit_guard(call.node, fn, counter)
    if guard is None:
        return
    seen.add(fn.id)
    op, floor = guard
    start = params.get(counter)
    expr = None
    if start is not None:
        expr = BinOp("+", BinOp("-", expr_of(start), expr_of(floor)), Num(2.0 if op == ">=" else 1.0))
    value, pending = _count(expr)
    body = next((c for c in fn.named_children if c.type == "function_body"), None)
    target, tp = target_within(kf, body) if body is not None else (None, ())
    attrs = {"max_attempts": value, "backoff": backoff_of(body) if body is not None else "none",
             "retry_on": _catches(body) if body is not None else None, "mechanism": "recursion", "library": None}
    floor_value = number_of(ts.text(floor)) if floor.type == "number_literal" else None
    if start is not None and floor_value is not None and floor_value == int(floor_value):
        # the counter as written (round 18): the function publishes it for its callers that leave it out (rule b)
        offset = int((2 if op == ">=" else 1) - floor_value)
        attrs["attempts_expression"] = f"{counter} {'+' if offset >= 0 else '-'} {abs(offset)}"
    kf.sink.add("retry", name_location(fn, name_node), ID, attrs,
                kf.evidence(name_node), "high" if value is not None else "medium", target, pending + tp)


def _early_exit_guard(call: ts.Node, fn: ts.Node, counter: str) -> tuple[str, ts.Node] | None:
    """Round 18 (evaka's ``executeWithRetries(request, remainingTries: Int = 5)``): the guard written as an early
    exit before the self-call, ``if (remainingTries <= 0) { response.close(); throw .. }`` (an ``if`` without
    ``else`` of the function's own body whose block ends in ``throw`` or ``return``): the self-call runs while
    ``remainingTries > 0``. (">", floor) for ``<=`` / ``==``, (">=", floor) for ``<``."""
    body = next((c for c in fn.named_children if c.type == "function_body"), None)
    block = next((c for c in body.named_children if c.type in ("block", "statements")), None) if body is not None else None
    for stmt in block.named_children if block is not None else ():
        if stmt.start_byte >= call.start_byte:
            return None
        if stmt.type != "if_expression" or len(stmt.named_children) != 2:
            continue  # (an `else` branch: not an early exit)
        cond, then = stmt.named_children
        last = then.named_children[-1] if then.type in ("block", "statements", "control_structure_body") \
            and then.named_children else then
        if last.type not in ("throw_expression", "return_expression", "jump_expression") \
                or not ts.text(last).startswith(("throw", "return")):
            continue
        if cond.type not in ("binary_expression", "comparison_expression", "equality_expression") \
                or len(cond.named_children) != 2:
            continue
        left, right = cond.named_children
        op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
        if ts.text(left) == counter and op in ("<=", "=="):
            return ">", right
        if ts.text(left) == counter and op == "<":
            return ">=", right
        if ts.text(right) == counter and op in (">=", "=="):
            return ">", left
        if ts.text(right) == counter and op == ">":
            return ">=", left
    return None


def _minus_one(arg: ts.Node) -> str | None:
    """``retriesLeft - 1`` / ``retries.dec()`` (also as a named argument)."""
    node = arg
    if node.type == "value_argument":
        node = node.named_children[-1] if node.named_children else node
    m = re.fullmatch(r"(\w+)-1|(\w+)\.dec\(\)", ts.text(node).replace(" ", ""))
    return (m.group(1) or m.group(2)) if m else None


def _plus_one(arg: ts.Node) -> str | None:
    """``retryCount + 1`` / ``attempt.inc()`` (also as a named argument ``attempt = attempt + 1``)."""
    node = arg
    if node.type == "value_argument":
        node = node.named_children[-1] if node.named_children else node
    text = ts.text(node).replace(" ", "")
    m = re.fullmatch(r"(\w+)\+1|(\w+)\.inc\(\)", text)
    return (m.group(1) or m.group(2)) if m else None


def _conditions(call: ts.Node, fn: ts.Node):
    for a in ts.ancestors(call):
        if a == fn:
            return
        if a.type == "if_expression":
            cond = a.named_children[0] if a.named_children else None
            if cond is not None:
                yield cond
        elif a.type == "when_entry" and a.parent is not None and len(a.named_children) > 1 \
                and not any(c.type == "when_subject" for c in a.parent.named_children):
            # round 11: a subject-less `when { attempt < 4 -> retry(attempt + 1) }` entry's condition
            yield from a.named_children[:-1]


def _counter_guard(call: ts.Node, fn: ts.Node, counter: str) -> tuple[str, str] | None:
    """``counter < bound`` (or ``bound > counter``) in an ``if`` around the self-call: (op, bound text)."""
    for cond in _conditions(call, fn):
        for node in ts.walk(cond):
            if node.type not in ("comparison_expression", "binary_expression") or len(node.named_children) != 2:
                continue
            left, right = node.named_children
            op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
            if ts.text(left) == counter and op in ("<", "<="):
                return op, ts.text(right)
            if ts.text(right) == counter and op in (">", ">="):
                return ("<" if op == ">" else "<="), ts.text(left)
    return None


def _exit_guard(kf: KotlinFile, call: ts.Node, fn: ts.Node, counter: str) -> tuple[str, ts.Node] | None:
    """Round 13 (dwp kafka-to-hbase): ``suspend fun go(attempts: Int): T = try { f() } catch (e: Exception) {
    delay(..); if (attempts > maxAttempts - 1) { throw e }; go(attempts + 1) }``: no condition around the
    self-call, but an ``if`` before it, in the same block, that gives up (throws or returns) once the counter
    passed a bound. Read as the condition of going on: ``counter > b`` exits -> (``<=``, b), ``counter >= b``
    -> (``<``, b); ``b < counter`` / ``b <= counter`` likewise."""
    block = next((a for a in ts.ancestors(call) if a.type in ("catch_block", "function_body", "block", "statements")
                  and kf.within(a, fn)), None)
    if block is None:
        return None
    for node in ts.walk(block):
        if node.type != "if_expression" or node.end_byte > call.start_byte or not node.named_children:
            continue
        then = next((c for c in node.named_children[1:] if c.type in ("control_structure_body", "block",
                                                                        # round 16: `if (attempt >= 3) throw e`,
                                                                        # a bare branch (no body node around it)
                                                                        "throw_expression", "jump_expression",
                                                                        "return_expression")), None)
        if then is None or not any(n.type in ("throw_expression", "jump_expression", "return_expression")
                                   for n in ts.walk(then)):
            continue
        cond = node.named_children[0]
        if cond.type not in ("comparison_expression", "binary_expression") or len(cond.named_children) != 2:
            continue
        left, right = cond.named_children
        op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
        if ts.text(left) == counter and op in (">", ">="):
            return ("<=" if op == ">" else "<"), right
        if ts.text(right) == counter and op in ("<", "<="):
            return ("<=" if op == "<" else "<"), left
    return None


def _bound_expr(call: ts.Node, fn: ts.Node, counter: str) -> Expr | None:
    for cond in _conditions(call, fn):
        for node in ts.walk(cond):
            if node.type in ("comparison_expression", "binary_expression") and len(node.named_children) == 2:
                left, right = node.named_children
                if ts.text(left) == counter:
                    return expr_of(right)
                if ts.text(right) == counter:
                    return expr_of(left)
    return None


def _catches(body: ts.Node) -> list[str] | None:
    names = []
    for n in ts.walk(body):
        if n.type == "catch_block":
            user = next((c for c in n.named_children if c.type == "user_type"), None)
            if user is not None:
                names.append(ts.text(user))
    return names or None


def _resilience4j_calls(kf: KotlinFile) -> None:
    done: set[int] = set()
    for call in kf.calls:
        receiver = ts.text(call.receiver) if call.receiver is not None else ""
        if call.name in ("retry", "timeLimiter") and "registry" in receiver.lower() and call.args:
            _registry_lookup(kf, call)
            continue
        if call.name == "ofDefaults" and receiver == "Retry":
            kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                        {"max_attempts": 3, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                         "library": "resilience4j", "instance": string_of(call.args[0]) if call.args else None},
                        kf.evidence(call.node), "high")
            continue
        dsl = call.name == "RetryConfig" and call.receiver is None and call.lambda_ is not None
        custom = call.name == "custom" and receiver == "RetryConfig"
        if not (dsl or custom):
            continue
        scope_text = ts.text(call.node)
        if dsl:
            inner = [c for c in kf.calls if kf.within(c.node, call.lambda_)]
        else:
            top = chain_top(call.node)
            if top.id in done:
                continue
            done.add(top.id)
            top_call = KCall.of(top)
            inner = chain(top_call) if top_call is not None else [call]
            scope_text = ts.text(top)
        by_name = {c.name: c for c in inner}
        attempts = by_name.get("maxAttempts")
        value, pending = (3, ())
        anchor = call
        if attempts is not None and attempts.args:
            # `.maxAttempts(maxAttempts)` in a function whose parameter defaults it: that default
            value, pending = _count(with_parameter_defaults(kf, attempts.args[0], expr_of(attempts.args[0])))
            anchor = attempts
        names = " ".join(by_name)
        backoff = "exponential" if "xponential" in scope_text else "random" if "andomized" in names else "fixed"
        attrs = {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                 "library": "resilience4j", "instance": _instance_of(call.node)}
        wait = by_name.get("waitDuration")
        if wait is not None:
            tv = timeout_value(wait.args)
            if tv is not None:
                attrs["wait_ms"] = settle(tv[0], tv[1])[0]
        target, tp = _usage_target(kf, call.node)
        kf.sink.add("retry", name_location(anchor.node, anchor.name_node), ID, attrs,
                    kf.evidence(anchor.name_node), "high" if not pending else "medium", target, pending + tp)


def _registry_lookup(kf: KotlinFile, call: KCall) -> None:
    """``retryRegistry.retry("risk")`` / ``timeLimiterRegistry.timeLimiter("risk")``: numbers from config."""
    instance = string_of(call.args[0])
    if instance is None:
        bound = kf.symbols.get(ts.text(call.args[0]).strip())
        instance = bound.value if isinstance(bound, Str) else None
    if instance is None:
        return
    loc = name_location(call.node, call.name_node)
    evidence = kf.evidence(call.name_node)
    if call.name == "retry":
        # kept only when the service's Spring config names the instance (or configs.default): else the lookup
        # takes the default config of a registry the code builds itself (`RetryRegistry.of(config)`), whose
        # `RetryConfig.custom().maxAttempts(3)` is reported where it is built
        kf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                       "mechanism": "client_config", "library": "resilience4j", "instance": instance},
                    evidence, "medium", None,
                    (Pending("max_attempts", r4j_setting("retry", instance, "maxAttempts"), 1.0),
                     Pending("backoff", r4j_setting("retry", instance, "backoff"), None),
                     Pending(KEEP_IF, r4j_setting("retry", instance, "maxAttempts"), None)))
    else:
        key = f"resilience4j.timelimiter.instances.{instance}.timeoutDuration"
        kf.sink.add("timeout", loc, ID, {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                         "expression": key, "library": "resilience4j", "instance": instance},
                    evidence, "medium", None,
                    (Pending("timeout_ms", r4j_setting("timelimiter", instance, "timeoutDuration"), 1.0),))


_EXECUTE = ("executeSuspendFunction", "executeSupplier", "executeCallable", "executeRunnable", "executeFunction")


def _usage_target(kf: KotlinFile, config_node: ts.Node):
    """``val retry = Retry.of(...)`` then ``retry.executeSuspendFunction { client.post(url) }``:
    the retried call's target, when the retry is used in the same file."""
    prop = next((a for a in ts.ancestors(config_node) if a.type == "property_declaration"), None)
    decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None) if prop else None
    if decl is None:
        return None, ()
    name = ts.text(decl).split(":")[0].strip()
    for call in kf.calls:
        if call.name in _EXECUTE and call.lambda_ is not None and call.receiver is not None \
                and ts.text(call.receiver).removeprefix("this.") == name:
            return target_within(kf, call.lambda_)
    return None, ()


def _instance_of(node: ts.Node) -> str | None:
    """The name in ``Retry.of("name", <config>)`` around a config."""
    for parent in ts.ancestors(node):
        if parent.type == "call_expression":
            call = KCall.of(parent)
            if call is not None and call.name == "of" and call.receiver is not None \
                    and ts.text(call.receiver) == "Retry" and call.args:
                return string_of(call.args[0])
        if parent.type in ("function_declaration", "class_body", "property_declaration"):
            break
    return None


def _annotations(kf: KotlinFile) -> None:
    for ann in kf.annotations:
        name, args = annotation_parts(ann)
        fn = next((a for a in ts.ancestors(ann) if a.type in ("function_declaration", "class_declaration")), None)
        target, tp = target_within(kf, fn) if fn is not None else (None, ())
        loc = ts.location(ann)
        if name in ("Retry", "Timeout") and _microprofile(kf, name):
            _microprofile_annotation(kf, ann, name, args, loc, target, tp)
            continue
        if name in ("Retry", "CircuitBreaker", "TimeLimiter"):
            instance = string_of(args.get("name") or args.get("value"))
            if instance is None:
                continue
            if name == "Retry":
                kf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                               "mechanism": "decorator", "library": "resilience4j", "instance": instance},
                            kf.evidence(ann), "medium", target,
                            (Pending("max_attempts", r4j_setting("retry", instance, "maxAttempts"), 1.0),
                             Pending("backoff", r4j_setting("retry", instance, "backoff"), None)) + tp)
            elif name == "CircuitBreaker":
                kf.sink.add("circuit_breaker", loc, ID, {"library": "resilience4j", "instance": instance},
                            kf.evidence(ann), "high", target, tp)
            else:
                key = f"resilience4j.timelimiter.instances.{instance}.timeoutDuration"
                kf.sink.add("timeout", loc, ID, {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                                 "expression": key, "library": "resilience4j", "instance": instance},
                            kf.evidence(ann), "medium", target,
                            (Pending("timeout_ms", r4j_setting("timelimiter", instance, "timeoutDuration"), 1.0),) + tp)
            fallback = string_of(args.get("fallbackMethod"))
            if fallback:
                kf.sink.add("fallback", loc, ID, {"library": "resilience4j", "instance": instance, "method": fallback},
                            kf.evidence(ann), "high", target, tp)
        elif name == "Retryable":
            if kf.imports.get("Retryable", "").startswith("org.springframework.resilience."):
                # Spring Framework 7's core @Retryable counts re-tries: maxRetries (default 3) after the
                # first call, so @Retryable is 4 tries (Spring Retry's maxAttempts 3 counts the first)
                max_node = args.get("maxRetries")
                value, pending = _count(BinOp("+", expr_of(max_node), Num(1.0))) if max_node is not None else (4, ())
                backoff = "exponential" if "multiplier" in args else "fixed"
                kf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": backoff, "retry_on": None,
                                               "mechanism": "decorator", "library": "spring-framework"},
                            kf.evidence(ann), "high" if not pending else "medium", target, pending + tp)
                continue
            if kf.imports.get("Retryable", "").startswith("io.micronaut."):
                # round 13: Micronaut `@Retryable(attempts = "5")` counts re-tries ("3" by default: 4 tries), a
                # placeholder (`"\${x.attempts:5}"`) waits for its setting, a constant of the file is read
                node = args.get("attempts")
                text = (string_of(node) or "").strip() if node is not None else "3"
                held = kf.symbols.get(ts.text(node)) if node is not None and node.type != "string_literal" else None
                if isinstance(held, Str):
                    text = held.value.strip()  # `attempts = ATTEMPTS` with `const val ATTEMPTS = "2"`
                elif node is not None and node.type == "identifier":
                    m = re.search(rb"\bconst\s+val\s+" + re.escape(ts.text(node).encode()) + rb"\s*(?::\s*String\s*)?=\s*\"(\d+)\"",
                                  kf.data)
                    text = m.group(1).decode() if m else text
                inner = Num(float(text)) if text.isdigit() else _spring_placeholder_count(text) if text.startswith("${") \
                    else expr_of(node) if node is not None and node.type != "string_literal" else None
                value, pending = _count(BinOp("+", inner, Num(1.0))) if inner is not None else (None, ())
                kf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": "exponential" if "multiplier" in args
                                               else "fixed", "retry_on": None, "mechanism": "decorator",
                                               "library": "micronaut"},
                            kf.evidence(ann), "high" if not pending else "medium", target, pending + tp)
                continue
            max_node = args.get("maxAttempts")
            value, pending = _count(expr_of(max_node)) if max_node is not None else (3, ())
            expression = string_of(args.get("maxAttemptsExpression")) if max_node is None else None
            if expression is not None:
                # round 13 (dwp hbase-to-mongo-export): `maxAttemptsExpression = "\${sns.retry.maxAttempts:5}"`:
                # the property where the service's config sets it, else the placeholder's default
                placeholder = _spring_placeholder_count(expression)
                if placeholder is not None:
                    value, pending = _count(placeholder)
                else:
                    value, pending = None, ()
            backoff = "exponential" if "multiplier" in ts.text(args.get("backoff")) else "fixed"
            kf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": backoff, "retry_on": None,
                                           "mechanism": "decorator", "library": "spring-retry"},
                        kf.evidence(ann), "high" if not pending else "medium", target, pending + tp)
            if fn is not None and fn.type == "class_declaration" and value is not None and not pending:
                _publish_composed_retry(kf, fn, value)
        elif name in ("TaskStepBeskrivelse", "TaskBeskrivelse") \
                and kf.imports.get(name, "no.nav.familie.prosessering").startswith("no.nav.familie.prosessering"):
            _familie_task(kf, ann, args, fn, loc, target, tp)
        elif name[:1].isupper() and fn is not None and fn.type == "function_declaration" \
                and not kf.imports.get(name, "").startswith(_LIBRARY_ANNOTATIONS):
            _propose_composed_retry(kf, ann, name, args, loc, target, tp)


# Constructor dependencies of a task that keep its work in the service itself: its own tables and task queue.
_LOCAL_DEPENDENCY = re.compile(r"(Repository|Repo|Dao|TaskService|TaskRepository|JdbcTemplate|DataSource)$")


def _familie_task(kf: KotlinFile, ann: ts.Node, args: dict, cls: ts.Node | None, loc, target, tp) -> None:
    """Round 22 (tilleggsstonader-sak): NAV's familie-prosessering tasks, ``@TaskStepBeskrivelse(taskStepType = ..,
    maxAntallFeil = 50, triggerTidVedFeilISekunder = ..)`` on an ``AsyncTaskStep`` class: a failed task is run again
    from the task table until it has failed ``maxAntallFeil`` times ("antall forsøk", the library's default 3), so
    that many tries of the task's work, at the annotation. A task whose ``doTask`` is empty, or whose constructor
    takes only the service's own repositories and task service (it writes rows and plans other tasks), does no
    remote work and is not reported."""
    if cls is None or cls.type != "class_declaration":
        return
    deps = []
    for param in ts.walk(cls):
        if param.type == "class_parameter":
            kind = next((c for c in param.named_children if c.type in ("user_type", "nullable_type")), None)
            if kind is not None:
                deps.append(ts.text(kind).split("<", 1)[0].rstrip("?").rsplit(".", 1)[-1])
        elif param.type == "class_body":
            break
    if all(_LOCAL_DEPENDENCY.search(d) for d in deps):
        return  # no dependency, or only the service's own tables and task queue
    do_task = next((f for f in ts.walk(cls) if f.type == "function_declaration"
                    and any(ts.text(c) == "doTask" for c in f.named_children if c.type == "identifier")), None)
    body = next((c for c in do_task.named_children if c.type == "function_body"), None) if do_task else None
    if body is not None and not any(n.type == "call_expression" for n in ts.walk(body)):
        return  # `override fun doTask(task: Task) { // kan slettes }`: nothing runs
    node = args.get("maxAntallFeil")
    value, pending = _count(expr_of(node)) if node is not None else (3, ())
    delay = args.get("triggerTidVedFeilISekunder")
    kf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": "fixed" if delay is not None else None,
                                   "retry_on": None, "mechanism": "job", "library": "familie-prosessering"},
                kf.evidence(ann), "high" if not pending else "medium", target, pending + tp)


# db-scheduler's failure handlers: None for re-tried without limit (a pause, then again), "max" for a bound
_DB_SCHEDULER_HANDLERS = {"ExponentialBackoffFailureHandler": None, "OnFailureRetryLater": None,
                          "MaxRetriesFailureHandler": "max"}


def _db_scheduler_failure_handlers(kf: KotlinFile) -> None:
    """Round 21 (mulighetsrommet): db-scheduler one-time tasks (``Tasks.oneTime(..).onFailure(FailureHandler
    .ExponentialBackoffFailureHandler(ofMinutes(5)))``, ``.onFailureRetryLater()``): a failed execution is run again
    after a pause, without limit (null); ``MaxRetriesFailureHandler(n, ..)`` ends after n failures more than the first
    (n + 1 runs). At the ``onFailure`` call. A recurring task's handler only moves its next scheduled run (not read)."""
    if b"kagkarlsson" not in kf.data:
        return
    for call in kf.calls:
        if call.name not in ("onFailure", "onFailureRetryLater"):
            continue
        if call.receiver is None or not re.search(r"\boneTime(?:Task)?\s*\(", ts.text(call.receiver)):
            continue  # a recurring task: its schedule runs it again anyway
        if call.name == "onFailureRetryLater":
            handler, bound = "OnFailureRetryLater", None
        else:
            made = KCall.of(call.args[0]) if call.args and call.args[0].type == "call_expression" else None
            handler = made.name if made is not None else None
            if handler not in _DB_SCHEDULER_HANDLERS:
                continue
            bound = made.args[0] if _DB_SCHEDULER_HANDLERS[handler] == "max" and made.args else None
            if _DB_SCHEDULER_HANDLERS[handler] == "max" and bound is None:
                continue
        value, pending = _count(BinOp("+", expr_of(bound), Num(1.0))) if bound is not None else (None, ())
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "exponential" if handler and "Exponential" in handler
                     else "fixed", "retry_on": None, "mechanism": "job", "library": "db-scheduler"},
                    kf.evidence(call.name_node), "high" if not pending else "medium", None, pending)


_TIMER_CALLS = frozenset({"timer", "fixedRateTimer", "scheduleAtFixedRate", "scheduleWithFixedDelay"})
_TAKE_CALLS = frozenset({"poll", "pollFirst", "removeFirstOrNull", "removeFirst", "take"})
_REQUEUE_CALLS = frozenset({"add", "offer", "addLast", "put"})


def _requeued_resends(kf: KotlinFile) -> None:
    """Round 21 (round-20 request, su-se-bakover's KafkaPublisherClient): a publisher that puts a record whose send
    failed on a queue of its own (``failed.add(record)`` in the send's catch or error callback) and a timer that takes
    one off that queue and sends it again (``timer(period = ..) { failed.poll()?.let { publiser(it.topic(), ..) } }``):
    a failed send is retried without limit (null), at the re-send in the timer."""
    if b"poll" not in kf.data and b"removeFirst" not in kf.data and b"take" not in kf.data:
        return
    functions = {}
    for fn in ts.walk(kf.tree.root_node):
        if fn.type == "function_declaration":
            ident = next((c for c in fn.children if c.type in ("identifier", "simple_identifier")), None)
            if ident is not None:
                functions.setdefault(ts.text(ident), fn)
    for call in kf.calls:
        if call.name not in _TIMER_CALLS or call.lambda_ is None:
            continue
        for take in ts.walk(call.lambda_):
            taken = KCall.of(take) if take.type == "call_expression" else None
            if taken is None or taken.name not in _TAKE_CALLS or taken.receiver is None \
                    or taken.receiver.type != "identifier":
                continue
            queue = ts.text(taken.receiver)
            # the item taken is sent again by a function of this file that puts a failed item back on that queue
            around = take.parent
            while around is not None and around.type not in ("call_expression", "statements", "lambda_literal"):
                around = around.parent
            scope = around if around is not None and around.type == "call_expression" else call.lambda_
            for sub in ts.walk(scope):
                resend = KCall.of(sub) if sub.type == "call_expression" and sub is not take else None
                if resend is None or resend.receiver is not None or resend.name not in functions:
                    continue
                if not _requeues_on_failure(functions[resend.name], queue):
                    continue
                target, tp = target_within(kf, functions[resend.name])
                kf.sink.add("retry", name_location(resend.node, resend.name_node), ID,
                            {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "requeue",
                             "library": None},
                            kf.evidence(resend.name_node), "medium", target, tp)
                break


def _requeues_on_failure(fn: ts.Node, queue: str) -> bool:
    """Does ``fn`` put an item back on ``queue`` when its work failed: ``queue.add(..)`` in a catch, or in the branch
    of a send callback's error (``when (exception) { null -> ..; else -> failed.add(record) }``)?"""
    for node in ts.walk(fn):
        made = KCall.of(node) if node.type == "call_expression" else None
        if made is None or made.name not in _REQUEUE_CALLS or made.receiver is None or ts.text(made.receiver) != queue:
            continue
        for up in ts.ancestors(node):
            if up is fn:
                break
            if up.type == "catch_block":
                return True
            if up.type == "when_expression":
                subject = next((c for c in up.named_children if c.type == "when_subject"), None)
                if subject is not None and re.search(r"(?i)exception|error|throwable|\bex?\b|\berr\b", ts.text(subject)):
                    return True
            if up.type == "if_expression" and re.search(r"(?i)(exception|error|throwable)\s*!=\s*null",
                                                          ts.text(up.named_children[0]) if up.named_children else ""):
                return True
    return False


def _microprofile(kf: KotlinFile, name: str) -> bool:
    """Is ``@name`` MicroProfile Fault Tolerance's (imported by name or with the package's star import)?"""
    imported = kf.imports.get(name, "")
    return imported.startswith("org.eclipse.microprofile.faulttolerance.") or (
        not imported and b"import org.eclipse.microprofile.faulttolerance.*" in kf.data)


# ChronoUnit constants in ms (MicroProfile's @Timeout unit)
_CHRONO_MS = {"NANOS": 1e-6, "MICROS": 1e-3, "MILLIS": 1.0, "SECONDS": 1000.0, "MINUTES": 60000.0, "HOURS": 3600000.0}


def _microprofile_annotation(kf: KotlinFile, ann: ts.Node, name: str, args, loc, target, tp) -> None:
    """Round 21 (faf-icebreaker): MicroProfile Fault Tolerance from Kotlin (Quarkus, Helidon, Open Liberty).
    ``@Retry`` re-tries ``maxRetries`` times after the first call (3 by default: 4 tries; -1: without limit);
    ``@Timeout`` bounds the method (``value`` in ``unit``, 1000 ms by default), as the Java extractor reads them."""
    if name == "Retry":
        node = args.get("maxRetries")
        text = ts.text(node).strip() if node is not None else "3"
        if text.startswith("-"):
            value, pending = None, ()  # -1: re-tried without limit
        else:
            value, pending = _count(BinOp("+", expr_of(node), Num(1.0))) if node is not None else (4, ())
        backoff = "fixed" if "delay" in args or node is None else "fixed"
        kf.sink.add("retry", loc, ID, {"max_attempts": value, "backoff": backoff, "retry_on": None,
                                       "mechanism": "decorator", "library": "microprofile"},
                    kf.evidence(ann), "high" if not pending else "medium", target, pending + tp)
        return
    node = args.get("value")
    unit_node = args.get("unit")
    unit = _CHRONO_MS.get(ts.text(unit_node).rsplit(".", 1)[-1]) if unit_node is not None else 1.0
    if unit is None:
        return
    expr = expr_of(node) if node is not None else Num(1000.0)
    kf.sink.timeout(loc, ID, "total", expr, unit, ts.text(node) if node is not None else "@Timeout",
                    kf.evidence(ann), extra={"library": "microprofile"}, zero_disables=False)


_COMPOSED_RETRY = "$composed_retry"
_LIBRARY_ANNOTATIONS = ("org.", "io.", "javax.", "jakarta.", "kotlin.", "java.", "com.fasterxml.", "lombok.")


def _publish_composed_retry(kf: KotlinFile, cls: ts.Node, value) -> None:
    """Round 19 (hmpps-person-record): a project's composed Spring Retry annotation, ``@Retryable annotation class
    WebRetryable(@get:AliasFor(annotation = Retryable::class, attribute = "maxAttemptsExpression") val maxAttempts:
    String = "3", ..)``: it applies to nothing by itself; each method it annotates retries with the aliased
    parameter's default (or the meta ``@Retryable``'s own count), published as ``WebRetryable.$composed_retry``."""
    if not any(c.type == "modifiers" and re.search(r"\bannotation\b", ts.text(c)) for c in cls.named_children):
        return
    ident = next((c for c in cls.named_children if c.type in ("identifier", "type_identifier")), None)
    if ident is None:
        return
    count = float(value)
    ctor = next((c for c in cls.named_children if c.type == "primary_constructor"), None)
    params = next((c for c in ctor.named_children if c.type == "class_parameters"), None) if ctor else None
    for param in (params.named_children if params is not None else ()):
        mods = next((c for c in param.named_children if c.type == "modifiers"), None)
        if param.type != "class_parameter" or mods is None \
                or not re.search(r"AliasFor\b[^)]*\"maxAttempts(Expression)?\"", ts.text(mods)):
            continue
        pid = next((c for c in param.named_children if c.type == "identifier"), None)
        default = param.named_children[-1] if any(c.type == "=" for c in param.children) else None
        text = (string_of(default) or ts.text(default)).strip() if default is not None else ""
        if text.isdigit():
            count = float(text)
            if pid is not None:
                kf.symbols.setdefault(f"{ts.text(ident)}.{_COMPOSED_RETRY}:param", Str(ts.text(pid)))
        break
    kf.symbols.setdefault(f"{ts.text(ident)}.{_COMPOSED_RETRY}", Num(count))


def _propose_composed_retry(kf: KotlinFile, ann: ts.Node, name: str, args, loc, target, tp) -> None:
    """``@WebRetryable fun getProbationCase(crn)``: a retry at the annotation, with the composed annotation's
    default (rule b) or the count it is handed (``@WebRetryable(maxAttempts = "5")``, rule c); kept only when
    ``name`` is a composed retry annotation of the project (``_publish_composed_retry``)."""
    marker = Ref(f"{name}.{_COMPOSED_RETRY}")
    value: Expr = marker
    for key, node in args.items():
        text = (string_of(node) or ts.text(node)).strip()
        if re.search(r"attempt|retr|max", key, re.IGNORECASE) and text.isdigit():
            value = Num(float(text))
    kf.sink.add("retry", loc, ID, {"max_attempts": None, "backoff": None, "retry_on": None,
                                   "mechanism": "decorator", "library": "spring-retry", "via": name},
                kf.evidence(ann), "medium", target,
                (Pending("max_attempts", value, 1.0), Pending(KEEP_IF, marker, None)) + tp)


def _spring_placeholder_count(text: str):
    """``${a.b:5}`` -> coalesce(Ref("a.b"), 5); ``${a.b}`` -> Ref("a.b"); anything else (SpEL) None."""
    from extractors.java.jvm import _PLACEHOLDER, parse_config_scalar
    m = _PLACEHOLDER.match(text.strip())
    if m is None:
        return None
    key, default = m.group(1).strip(), m.group(2)
    return Call("coalesce", (Ref(key), parse_config_scalar(default))) if default is not None else Ref(key)


# The project's own retry helpers, called with a count and the work as a trailing lambda:
# `retry(3) { fetch() }`, `retrySilently(times, delay) { }`, `withRetry(maxRetries = 2) { }`.
_HELPER = re.compile(r"^(with|run|do|execute)?[Rr]etry(ing)?(?!If|On|When)([A-Z]\w*)?$")  # not Ktor's retryIf/retryOn...
_ATTEMPTS_WORDS = re.compile(r"times|attempt|(?<!re)tries|count", re.IGNORECASE)
_RETRIES_WORDS = re.compile(r"retr", re.IGNORECASE)
# A helper parameter that may count tries or re-tries.
_COUNT_PARAM = re.compile(r"times|attempt|tries|count|retr|max|limit|^n$|num", re.IGNORECASE)


def _spec_argument(node: ts.Node) -> bool:
    """Is the call the argument of a reactive ``retryWhen(..)`` / ``retry(..)`` (a retry spec handed over)?"""
    arg = node.parent
    if arg is None or arg.type != "value_argument":
        return False
    outer = next((a for a in ts.ancestors(arg) if a.type == "call_expression"), None)
    call = KCall.of(outer) if outer is not None else None
    return call is not None and call.name in ("retryWhen", "retry", "retryWith", "retryWithBackoff") \
        and call.receiver is not None


def _helper_retries(kf: KotlinFile) -> None:
    """A call of a retry helper with no receiver, a count first and a trailing lambda: the count is
    total tries when it is named for them (``times``, ``attempts``, ``retryTimes``) and re-tries,
    one fewer than the tries, when named for retries (``maxRetries``, ``MAX_RETRIES``); a bare number
    reads by the helper's first parameter when the file defines it, else as tries. A count that is
    a parameter of the calling function takes its default."""
    for call in kf.calls:
        if call.receiver is not None or call.lambda_ is None or not _HELPER.match(call.name):
            continue
        if call.name == "retry" and _KOTLIN_RETRY in kf.imports.get("retry", ""):
            continue  # kotlin-retry's `retry(policy) { }`: bounded by its policy, reported where that is made
        if _spec_argument(call.node):
            continue  # round 14 (aap-fss-proxy): `.retryWhen(retrySpec(log, "/graphql") { it is X })` builds the
            # spec (its lambda a predicate, not the work) that a helper of another class makes and reports
        arg, word = None, ""
        for key in ("times", "maxAttempts", "attempts", "maxRetries", "retries", "maxRetry", "count"):
            if key in call.named_args:
                arg, word = call.named_args[key], key
                break
        if arg is None and call.args:
            arg = call.args[0]
            word = ts.text(arg) if arg.type in ("identifier", "navigation_expression") else ""
            definition = next((fn for fn in ts.walk(kf.tree.root_node) if fn.type == "function_declaration"
                               and any(c.type == "identifier" and ts.text(c) == call.name for c in fn.named_children[:3])),
                              None)
            first = next(iter(_parameters(definition)), "") if definition is not None else ""
            if definition is not None and not _COUNT_PARAM.search(first):
                continue  # `retryWaiting(jobId) { }` defined here: its first parameter counts nothing
            if not word:
                word = first
        if arg is None or arg.type in ("string_literal", "lambda_literal", "boolean_literal"):
            continue
        expr = expr_of(arg)
        if arg.type == "identifier":
            fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
            params = _parameters(fn) if fn is not None else {}
            if params.get(ts.text(arg)) is not None:
                expr = expr_of(params[ts.text(arg)])  # `retryTimes: Int = RETRY_TIMES`
        guarded = _early_exit_tries(kf, call, arg)
        if guarded is not None:
            expr = guarded  # the helper's own guard says what its bound counts
        elif _RETRIES_WORDS.search(word) and not _ATTEMPTS_WORDS.search(word):
            expr = BinOp("+", expr, Num(1.0))
        elif not _ATTEMPTS_WORDS.search(word) and arg.type in ("number_literal", "integer_literal") \
                and isinstance(expr, Num) and expr.value <= 1:
            # round 14 (nextcloud-talk): `withRetry(1) { .. }` of a helper this file cannot read: one try in
            # all would retry nothing, so the count is of re-tries (2 tries)
            expr = BinOp("+", expr, Num(1.0))
        value, pending = _count(expr)
        key = next((k for k, v in call.named_args.items() if v is arg), 0)
        if value is not None and not _defined_here(kf, call.name) and arg.type in ("number_literal", "identifier",
                                                                                   "navigation_expression"):
            # the helper of another file says what its count means when it publishes it
            # (`withRetry(retries: Int)` re-tries: 1 -> 2 tries); this reading is the fallback
            published = BinOp("-", BinOp("+", expr_of(arg), Ref(f"{call.name}.{ATTEMPTS_PARAM}:{key}")), Num(1.0))
            pending = (Pending("max_attempts", Call("coalesce", (published, Num(float(value)))), 1.0),)
        target, tp = target_within(kf, call.lambda_)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": backoff_of(call.lambda_), "retry_on": None,
                     "mechanism": "call", "library": None},
                    kf.evidence(call.name_node), "high" if value is not None else "medium", target, pending + tp)


# Round 16 (round-15 request, k9-ettersending-api): a known library's retry helper called with a trailing
# lambda, by the class it is imported from -> (the parameter bounding it, the tries when the call leaves it out).
# NAV's dusseldorf-ktor `Retry.retry(operation, initialDelay, maxDelay, factor, tries = 3, logger) { }`
# (`repeat(tries - 1) { try block } + a last try`: `tries` counts every try).
_LIBRARY_RETRY_HELPERS = {
    "no.nav.helse.dusseldorf.ktor.core.Retry": ("retry", "tries", 3.0),
}


def _library_retry_helpers(kf: KotlinFile) -> None:
    for call in kf.calls:
        if call.lambda_ is None:
            continue
        if call.receiver is None:
            imported = kf.imports.get(call.name, "")
            owner = imported.rsplit(".", 1)[0] if imported.endswith("." + call.name) else ""
        elif call.receiver.type in ("identifier", "simple_identifier"):
            owner = kf.imports.get(ts.text(call.receiver), "")
        else:
            continue
        spec = _LIBRARY_RETRY_HELPERS.get(owner)
        if spec is None or spec[0] != call.name:
            continue
        _, param, default = spec
        arg = call.named_args.get(param)
        if arg is not None:
            expr = expr_of(arg)
        elif len(call.args) >= 5:
            expr = expr_of(call.args[4])
        else:
            expr = Num(default)
        value, pending = _count(expr)
        target, tp = target_within(kf, call.lambda_)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "exponential", "retry_on": None,
                     "mechanism": "call", "library": owner.rsplit(".", 2)[-2] if "." in owner else None},
                    kf.evidence(call.name_node), "high" if value is not None else "medium", target, pending + tp)


_FAILSAFE_PACKAGES = ("dev.failsafe.", "net.jodah.failsafe.")


def _failsafe(kf: KotlinFile) -> None:
    """Round 16 (mongo-migration-stream): Failsafe in Kotlin, its builders taking type arguments
    (``RetryPolicy.builder<Nothing>()``, ``Timeout.builder<Nothing>(d)``). A policy's ``withMaxRetries(n)``
    (n + 1 tries; -1: unbounded) or ``withMaxAttempts(n)`` (n; -1: unbounded) at that setter's line, a builder
    built without either (Failsafe's default 2 retries: 3 tries) or ``RetryPolicy.ofDefaults()`` at the
    ``builder``/``ofDefaults`` line; ``Timeout.builder(d)`` / ``Timeout.of(d)`` -> a timeout of d at that line.
    Only in a file importing Failsafe."""
    if not any(v.startswith(_FAILSAFE_PACKAGES) for v in kf.imports.values()):
        return
    for call in kf.calls:
        receiver = ts.text(call.receiver) if call.receiver is not None else ""
        policy = re.sub(r"\s+", "", receiver)
        if call.name in ("withMaxRetries", "withMaxAttempts") and call.args \
                and re.match(r"^(RetryPolicy\.builder(<[^()]*>)?\(\)|RetryPolicy(<[^()]*>)?\(\))", policy):
            arg = call.args[0]
            text = ts.text(arg).replace(" ", "")
            expr = expr_of(arg)
            unbounded = text in ("-1", "Int.MAX_VALUE", "Integer.MAX_VALUE")
            if not unbounded and arg.type in ("identifier", "navigation_expression"):
                settled = settle(expr, 1.0)[0] if expr is not None else None
                unbounded = isinstance(settled, (int, float)) and settled < 0
            if unbounded:
                value, pending = None, ()
            else:
                value, pending = _count(BinOp("+", expr, Num(1.0)) if call.name == "withMaxRetries" else expr)
        elif call.name == "ofDefaults" and receiver == "RetryPolicy" and not call.args \
                or call.name == "build" and re.match(r"^RetryPolicy\.builder(<[^()]*>)?\(\)", policy) \
                and not re.search(r"\.withMax(Retries|Attempts)\(", policy):
            value, pending = 3, ()
        elif call.name in ("builder", "of") and receiver == "Timeout" and call.args:
            found = timeout_value(list(call.args))
            if found is None:
                continue
            expr, scale, source = found
            kf.sink.timeout(name_location(call.node, call.name_node), ID, "total", expr, scale, source,
                            kf.evidence(call.name_node), extra={"library": "failsafe"})
            continue
        else:
            continue
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": "failsafe"}, kf.evidence(call.name_node), "high" if value is not None else "medium",
                    None, pending)


def _early_exit_tries(kf: KotlinFile, call: KCall, arg: ts.Node):
    """``retryHanging(maxRetries = 3, currentRetry = 0) { }`` with the file's ``fun retryHanging(maxRetries:
    Int, currentRetry: Int = 0, ..) { if (currentRetry >= maxRetries) throw ..; try { work() } catch (..) {
    retryHanging(maxRetries, currentRetry + 1, ..) } }``: a self-calling helper that gives up first when its
    counter reached the bound: ``bound - start`` tries (``>``: one more), the counter starting at what the
    call passes (else its default, else 0). None when the helper has no such guard."""
    definition = next((fn for fn in ts.walk(kf.tree.root_node) if fn.type == "function_declaration"
                       and any(c.type == "identifier" and ts.text(c) == call.name for c in fn.named_children[:3])),
                      None)
    if definition is None:
        return None
    params = _parameters(definition)
    names = list(params)
    key = next((k for k, v in call.named_args.items() if v is arg), None)
    if key is None:
        index = next((i for i, a in enumerate(call.args) if a is arg), None)
        key = names[index] if index is not None and index < len(names) else None
    if key not in params:
        return None
    body = next((c for c in definition.named_children if c.type == "function_body"), None)
    if body is None or not any(n.type == "call_expression" and getattr(KCall.of(n), "name", None) == call.name
                               for n in ts.walk(body)):
        return None  # not calling itself again
    for node in ts.walk(body):
        if node.type != "if_expression" or not node.named_children:
            continue
        then = next((c for c in node.named_children[1:] if c.type in ("control_structure_body", "block")), None)
        if then is None or not any(n.type in ("jump_expression", "throw_expression", "return_expression")
                                   for n in ts.walk(then)):
            continue
        cond = node.named_children[0]
        if cond.type not in ("comparison_expression", "binary_expression") or len(cond.named_children) != 2:
            continue
        left, right = cond.named_children
        op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
        lt, rt = ts.text(left), ts.text(right)
        if rt == key and op in (">=", ">") and lt in params and lt != key:
            counter = lt
        elif lt == key and op in ("<=", "<") and rt in params and rt != key:
            counter, op = rt, (">=" if op == "<=" else ">")
        else:
            continue
        start_node = call.named_args.get(counter)
        if start_node is None:
            index = names.index(counter)
            start_node = call.args[index] if index < len(call.args) else params[counter]
        start = ts.text(start_node).strip() if start_node is not None else "0"
        if not start.isdigit():
            return None
        tries = BinOp("-", expr_of(arg), Num(float(start)))
        return BinOp("+", tries, Num(1.0)) if op == ">" else tries
    return None


def _spring_core_retry(kf: KotlinFile) -> None:
    """Spring Framework 7's programmatic retry (``org.springframework.core.retry``): ``RetryTemplate()``
    and ``RetryPolicy.withDefaults()`` (3 retries after the first call: 4 tries), ``RetryPolicy.withMaxRetries(n)``
    and ``RetryPolicy.builder().maxRetries(n)`` (n + 1; ``withMaxAttempts``/``maxAttempts`` in 7.0's
    milestones counted re-tries too), a builder without a bound (its default: 4). Spring Retry's own
    ``RetryTemplate`` (``org.springframework.retry``) is another detector's."""
    if not any(v.startswith("org.springframework.core.retry") for v in kf.imports.values()):
        return
    for call in kf.calls:
        receiver = ts.text(call.receiver) if call.receiver is not None else ""
        node = None
        if call.name in ("withMaxRetries", "withMaxAttempts") and receiver.endswith("RetryPolicy") and call.args:
            node = call.args[0]
        elif call.name in ("maxRetries", "maxAttempts") and call.args and "RetryPolicy.builder()" in receiver:
            node = call.args[0]
        elif call.name == "withDefaults" and receiver.endswith("RetryPolicy") or \
                call.name == "RetryTemplate" and call.receiver is None and not call.args and not call.named_args \
                and kf.imports.get("RetryTemplate", "").startswith("org.springframework.core.retry"):
            top = chain_top(call.node)
            if call.name == "RetryTemplate" and top is not call.node:
                continue  # `RetryTemplate().apply { retryPolicy = .. }`: the policy set there bounds it
            value, pending = 4, ()
        elif call.name == "build" and receiver.startswith("RetryPolicy.builder()") \
                and not re.search(r"\.max(Retries|Attempts)\(", receiver):
            value, pending = 4, ()
        else:
            continue
        if node is not None:
            value, pending = _count(BinOp("+", _bound_value(node), Num(1.0)))
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "spring-framework"}, kf.evidence(call.name_node), "high" if not pending else "medium",
                    None, pending)


def _defined_here(kf: KotlinFile, name: str) -> bool:
    return any(fn.type == "function_declaration" and any(c.type == "identifier" and ts.text(c) == name
                                                        for c in fn.named_children[:3])
               for fn in ts.walk(kf.tree.root_node))


def _smack_reconnects(kf: KotlinFile) -> None:
    """``ReconnectionManager.setEnabledPerDefault(true)`` / ``ReconnectionManager.getInstanceFor(conn)
    .enableAutomaticReconnection()``: Smack (XMPP) reconnects a dropped connection again and again,
    with no bound (``false`` or ``disableAutomaticReconnection()`` turns it off)."""
    for call in kf.calls:
        if call.name == "setEnabledPerDefault":
            if call.receiver is None or not ts.text(call.receiver).endswith("ReconnectionManager") \
                    or len(call.args) != 1 or ts.text(call.args[0]) != "true":
                continue
        elif call.name == "enableAutomaticReconnection":
            if call.receiver is None or "ReconnectionManager" not in ts.text(call.receiver):
                continue
        else:
            continue
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": "smack"}, kf.evidence(call.name_node), "medium", None, ())


_RECONNECT_NAME = re.compile(r"reconnect|retry|retries|tryAgain", re.IGNORECASE)


def _rescheduled_reconnects(kf: KotlinFile) -> None:
    """``fun scheduleReconnect() { ... schedule({ try { client.connect(...) } catch (e: Exception) {
    scheduleReconnect() } }, delay, MILLISECONDS) }``: a function named for reconnecting/retrying that
    calls itself again, with no counter argument, when the attempt fails (from a catch). The bound,
    if any, is kept in state outside the call: max_attempts unknown."""
    seen: set[int] = set()
    for call in kf.calls:
        if call.args or (call.receiver is not None and ts.text(call.receiver) != "this"):
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        if fn is None or fn.id in seen:
            continue
        name_node = next((c for c in fn.named_children if c.type == "identifier"), None)
        if name_node is None or ts.text(name_node) != call.name or not _RECONNECT_NAME.search(call.name):
            continue
        if not any(a.type == "catch_block" for a in ts.ancestors(call.node) if kf.within(a, fn)):
            continue
        seen.add(fn.id)
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        target, tp = target_within(kf, body) if body is not None else (None, ())
        kf.sink.add("retry", name_location(fn, name_node), ID,
                    {"max_attempts": None, "backoff": backoff_of(body) if body is not None else "none",
                     "retry_on": _catches(body) if body is not None else None, "mechanism": "recursion",
                     "library": None},
                    kf.evidence(name_node), "medium", target, tp)


_FAILURE_CALLBACK = re.compile(r"^on(Failure|Error|Closed|Close|Disconnected?|ConnectionLost|ConnectFailed)$|^connectionLost$")


def _callback_reconnects(kf: KotlinFile) -> None:
    """``override fun onFailure(ws: WebSocket, t: Throwable, r: Response?) { .. scheduleReconnect(retrySeconds) }``:
    a failure callback of a connection that calls a function of the file named for reconnecting: the
    connection is tried again after each failure, with no bound in sight (max_attempts unknown)."""
    for call in kf.calls:
        if not _RECONNECT_CALL.search(call.name) or (call.receiver is not None and ts.text(call.receiver) != "this"):
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        name_node = next((c for c in fn.named_children if c.type == "identifier"), None) if fn is not None else None
        if name_node is None or not _FAILURE_CALLBACK.match(ts.text(name_node)):
            continue
        if any(a.type == "lambda_literal" and a.start_byte > fn.start_byte and _USER_ACTION.search(ts.text(a.parent.parent)
               if a.parent is not None and a.parent.parent is not None else "") for a in ts.ancestors(call.node)):
            continue
        if _file_function(kf, call.name) is None:
            continue  # the callee must be this file's own reconnecting code
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "callback",
                     "library": None}, kf.evidence(call.name_node), "medium", None, ())


def _counter_guarded_recalls(kf: KotlinFile) -> None:
    """``else if (retryAttempt < maxRetries) { retryAttempt++; executeAsync() }``: outside any loop, a
    branch taken while a counter of attempts is below a bound, which counts one more and starts the work
    again: bound + 1 tries (``<=``: bound + 2), the counter starting from 0."""
    taken = {(f.line, f.kind) for f in kf.sink.findings}
    for node in ts.walk(kf.tree.root_node):
        if node.type != "if_expression" or not node.named_children:
            continue
        cond, then = node.named_children[0], next((c for c in node.named_children[1:]
                                                    if c.type in ("control_structure_body", "block")), None)
        if then is None or any(a.type in ("for_statement", "while_statement", "do_while_statement")
                               for a in ts.ancestors(node)):
            continue
        for part in _conjunct_parts(cond):
            bound = _attempt_comparison(part)
            if bound is None:
                continue
            counter, limit, inclusive = bound
            if not (_counts_one_more(then, counter) or _stores_one_more_before(node, counter)) \
                    or not _starts_work(kf, then, counter):
                continue
            line = node.start_point[0] + 1
            if (line, "retry") in taken:
                break
            written = expr_of(limit)
            if isinstance(written, Ref) and "." not in written.name:
                held = member_value(node, written.name)  # `private val maxRetries: Int = MAX_RETRIES_DEFAULT`
                if held is not None:
                    written = expr_of(held)
            expr = BinOp("+", written, Num(2.0 if inclusive else 1.0))
            value, pending, _ = _count_with_defaults(kf, node, expr)
            kf.sink.add("retry", ts.location(node), ID,
                        {"max_attempts": value, "backoff": backoff_of(then), "retry_on": None,
                         "mechanism": "call", "library": None}, kf.evidence(node), "medium", None, pending)
            taken.add((line, "retry"))
            break


def _conjunct_parts(cond: ts.Node) -> list[ts.Node]:
    while cond.type == "parenthesized_expression" and cond.named_children:
        cond = cond.named_children[0]
    if cond.type in ("conjunction_expression", "binary_expression") and any(c.type == "&&" for c in cond.children):
        return [p for c in cond.named_children for p in _conjunct_parts(c)]
    return [cond]


def _attempt_comparison(part: ts.Node):
    """``retryAttempt < maxRetries`` -> (counter, bound node, inclusive)."""
    if part.type not in ("comparison_expression", "binary_expression") or len(part.named_children) != 2:
        return None
    left, right = part.named_children
    op = ts.text(part)[left.end_byte - part.start_byte:right.start_byte - part.start_byte].strip()
    name = ts.text(left).removeprefix("this.")
    if op not in ("<", "<=") or not re.fullmatch(r"[A-Za-z_]\w*", name) or not ATTEMPT_NAME.search(name):
        return None
    if not ATTEMPT_NAME.search(ts.text(right)) and not re.search(r"max|limit", ts.text(right), re.IGNORECASE):
        return None  # `retryBackoff < RETRY_TIMER_MAX_TIME`: a time budget (see _guarded_retry_calls)
    if re.search(r"delay|backoff|millis|timer|time", name, re.IGNORECASE):
        return None
    return name, right, op == "<="


def _stores_one_more_before(node: ts.Node, counter: str) -> bool:
    """Round 14 (Hedvig notification-service): ``catch (e: RuntimeException) { val retryCount =
    jobDataMap.getIntOrNull("RETRY_COUNT") ?: 0; jobDataMap.putAsString("RETRY_COUNT", retryCount + 1);
    if (retryCount < MAX_RETRIES) rescheduleJob(context) }``: the failure path writes the count one higher into
    the work's stored data (a job's data map, a message header) before the test, and the branch starts the
    work again. Only in a catch, with the count handed on as ``counter + 1``."""
    catch = next((a for a in ts.ancestors(node) if a.type == "catch_block"), None)
    if catch is None:
        return False
    wanted = {f"{counter}+1", f"{counter}.inc()", f"{counter}.plus(1)"}
    return any(n.type == "value_argument" and n.end_byte <= node.start_byte
               and ts.text(n).replace(" ", "") in wanted for n in ts.walk(catch))


def _counts_one_more(then: ts.Node, counter: str) -> bool:
    for n in ts.walk(then):
        text = ts.text(n).replace("this.", "").replace(" ", "")
        if n.type in ("postfix_expression", "unary_expression") and text in (f"{counter}++", f"++{counter}"):
            return True
        if n.type == "assignment" and (text.startswith(f"{counter}+=1") or text.startswith(f"{counter}={counter}+1")):
            return True
    return False


_NOT_WORK = re.compile(r"^(log\w*|debug\w*|info|warn\w*|error\w*|verbose\w*|d|e|i|w|v|println|print|"
                       r"delay|sleep|format|toString|require|check|assert\w*)$")


def _starts_work(kf: KotlinFile, then: ts.Node, counter: str) -> bool:
    """A call in the branch other than logging or pacing (`executeAsync()`, `fetch(id)`)."""
    for call in kf.calls:
        if kf.within(call.node, then) and not _NOT_WORK.match(call.name) and call.name != counter \
                and not (call.receiver is not None and re.match(r"(Log|Timber|logger|log|LOG)$", ts.text(call.receiver))):
            return True
    return False


# the condition of an error branch: a failed call, an error code, a backoff budget (not `isStopped`)
_FAILURE_TEST = re.compile(r"error|fail|exception|unavailable|disconnect|timeout|timed|backoff|retry|status|code|"
                           r"network|offline|http|response", re.IGNORECASE)


def _condition_text(node: ts.Node) -> str:
    """An if's condition, or a when entry's conditions (before its ``->``)."""
    if node.type == "if_expression":
        return ts.text(node.named_children[0]) if node.named_children else ""
    parts = []
    for child in node.children:
        if child.type == "->":
            break
        parts.append(ts.text(child))
    return " ".join(parts)


_RETRY_FUNCTION = re.compile(r"^(retry|schedule[A-Z]\w*Retry|retrying)[A-Z]\w*$")
_UI_HANDLER = re.compile(r"^on\w*(Click|Tap|Press|Button|Swipe|Refresh)\w*$")


def _makes_error(fn: ts.Node, ident: ts.Node) -> bool:
    """Round 19 (hmpps-integration-api): ``internal fun retryError(response, ..): Mono<ResponseException> =
    Mono.error(ResponseException(..))``, called from an ``onStatus`` handler: it builds the error a retry policy
    elsewhere reacts to; it tries nothing again."""
    if re.search(r"(Error|Exception)$", ts.text(ident)):
        return True
    kind = next((c for c in fn.named_children if c.type in ("user_type", "nullable_type")), None)
    return kind is not None and re.search(r"(Error|Exception|Throwable)\b", ts.text(kind)) is not None


def _guarded_retry_calls(kf: KotlinFile) -> None:
    """``if (retryBackoff < RETRY_TIMER_MAX_TIME) { retryWithBackoff() }``, a result handler's branch calling
    ``retryBillingServiceConnectionWithExponentialBackoff()``: a function of this file named for retrying,
    called under a condition (an error branch), not from a UI handler and not from itself: the work is tried
    again, with no count in sight (max_attempts unknown)."""
    taken = {(f.line, f.kind) for f in kf.sink.findings}
    for call in kf.calls:
        if not _RETRY_FUNCTION.match(call.name) or (call.receiver is not None and ts.text(call.receiver) != "this"):
            continue
        target = _file_function(kf, call.name)
        if target is not None and target.type != "function_declaration":
            target = next((a for a in ts.ancestors(target) if a.type == "function_declaration"), None)
        if target is None or kf.within(call.node, target):
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type == "function_declaration"), None)
        name_node = next((c for c in fn.named_children if c.type == "identifier"), None) if fn is not None else None
        if name_node is None or _UI_HANDLER.match(ts.text(name_node)):
            continue
        guarded = any(a.type == "catch_block" or a.type in ("if_expression", "when_entry")
                      and _FAILURE_TEST.search(_condition_text(a)) for a in ts.ancestors(call.node) if kf.within(a, fn))
        ident = next((c for c in target.named_children if c.type == "identifier"), None)
        if not guarded or ident is None or _makes_error(target, ident):
            continue
        # one retry per retrying function, at its declaration (where a recursive retry is reported too)
        loc = name_location(target, ident)
        first, last = target.start_point[0] + 1, target.end_point[0] + 1
        if any(kind == "retry" and first <= line <= last for line, kind in taken):
            continue
        kf.sink.add("retry", (first, target.start_point[1] + 1, loc[2], loc[3]), ID,
                    {"max_attempts": None, "backoff": backoff_of(target), "retry_on": None,
                     "mechanism": "call", "library": None}, kf.evidence(target), "medium", None, ())
        taken.add((first, "retry"))


_RECONNECT_CALL = re.compile(r"reconnect|^(schedule)?retry(Connection|Connect)?$|^tryAgain$", re.IGNORECASE)
_USER_ACTION = re.compile(r"setAction|setOnClickListener|onClick|setPositiveButton", re.IGNORECASE)


# A setting that counts re-sends, read from a settings object: `config.numRetries`, `settings.maxRetries`.
_RETRY_SETTING = re.compile(r"^(num|max)(Retries|RetryCount|Retry)$|^retr(y|ies)Count$")


# A receiver that holds settings (`config.retryCount`), not a record of what happened (`retriedData.retryCount`).
_SETTINGS_RECEIVER = re.compile(r"(?i)conf|setting|propert|option|policy|param|spec|env")


def _caught(node: ts.Node, name: str) -> bool:
    """``name`` is the parameter of a ``catch`` around ``node``, or a failure the code names so
    (``exception.maxRetries`` in a loop over caught exceptions)."""
    if re.fullmatch(r"e|ex|exc|exception|error|err|cause|failure|t|throwable", name):
        return True
    return any(a.type == "catch_block" and any(c.type == "identifier" and ts.text(c) == name
                                              for c in a.named_children[:1]) for a in ts.ancestors(node))


def _configured_retry_arguments(kf: KotlinFile) -> None:
    """``JibriSession(this, room, config.pendingTimeout, config.numRetries, detector)``: a retry count
    read from a settings object and handed to a constructor, which retries with it. Counted where it
    is passed (the constructor is out of sight); retries are re-sends, attempts count the first try."""
    for call in kf.calls:
        if not call.name[:1].isupper():
            continue  # a function may be a helper counted at its own call, or a log line
        for arg in [*call.args, *call.named_args.values()]:
            if arg.type != "navigation_expression":
                continue
            text = ts.text(arg)
            if not _RETRY_SETTING.match(text.rsplit(".", 1)[-1]) or text.startswith("this."):
                continue
            if _caught(arg, text.split(".", 1)[0]):
                continue  # `Failure(maxRetries = e.maxRetries)`: handed on from a caught failure, set where thrown
            if re.match(r"^retr(y|ies)Count$", text.rsplit(".", 1)[-1]) \
                    and not _SETTINGS_RECEIVER.search(text.rsplit(".", 1)[0].rsplit(".", 1)[-1]):
                continue  # `RetriedData(transactionRetriedData.retryCount)`: how many were made, copied into a record
            value, pending = _count(BinOp("+", expr_of(arg), Num(1.0)))
            kf.sink.add("retry", ts.location(arg), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": None}, kf.evidence(arg), "medium", None, pending)


# Named counts of a retry policy object: tries (`maxAttempts`, `attempts`, Scandinavian `maksForsøk`) or
# re-tries (`maxRetries`, one fewer than the tries).
# (`attempt = n` alone is which try an event is about, not how many.)
_POLICY_TRIES = re.compile(r"^(?:(max|maks|total)(Attempts?|Tries|Fors(ø|o)k|Forsøg|Försök)|attempts|tries)$",
                           re.IGNORECASE)
_POLICY_RETRIES = re.compile(r"^(max|maks|num)?(Retries|RetryCount)$|^maxRetry$", re.IGNORECASE)


def _retry_policy_objects(kf: KotlinFile) -> None:
    """``Retry.Fast(maksForsøk = 4, delay = 100.milliseconds)``, ``RetryPolicy(maxAttempts = 3)``: a
    retry policy built as an object (a constructor named for retrying, or one of a ``Retry`` type's
    nested classes) and handed to a client, with its count named."""
    for call in kf.calls:
        if not call.name[:1].isupper() or not call.named_args:
            continue
        owner = ts.text(call.receiver).rsplit(".", 1)[-1] if call.receiver is not None else ""
        failure = call.name.endswith(("Exception", "Error", "Failure"))
        if "Retry" not in call.name and not owner.endswith("Retry") and not failure:
            continue
        for name, arg in call.named_args.items():
            if failure:
                if _failure_retries(kf, call, name, arg):
                    break
                continue
            if arg.type not in ("number_literal", "integer_literal", "identifier", "navigation_expression"):
                continue
            if _POLICY_TRIES.match(name):
                expr = expr_of(arg)
            elif _POLICY_RETRIES.match(name):
                expr = BinOp("+", expr_of(arg), Num(1.0))
            else:
                continue
            value, pending = _count(expr)
            kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": None}, kf.evidence(call.name_node),
                        "high" if value is not None else "medium", None, pending)
            break


def _failure_retries(kf: KotlinFile, call: KCall, name: str, arg: ts.Node) -> bool:
    """``throw ChunkFailedException(msg, cause, maxRetries = 2)``: a failure that tells the job
    framework catching it how often to run the work again (a literal count: 2 re-tries are 3 tries,
    ``-1`` again and again, ``0`` none). Reported where the count is written."""
    tries = _POLICY_TRIES.match(name)
    if not tries and not _POLICY_RETRIES.match(name):
        return False
    text = ts.text(arg).replace(" ", "").rstrip("lL")
    if not re.fullmatch(r"-?\d+", text):
        return False
    count = int(text)
    if count == 0 or tries and count == 1:
        return True  # no retry
    value = None if count < 0 else count if tries else count + 1
    kf.sink.add("retry", ts.location(arg), ID,
                {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": None}, kf.evidence(arg), "medium" if value is None else "high", None, ())
    return True


_DELAY_TABLE = re.compile(r"(retr|backoff).*(delay|interval|wait|backoff)|(delay|wait)s?.*retr", re.IGNORECASE)
_NOT_THE_CALL = re.compile(r"^(delay|sleep|log|d|i|w|e|v|debug|info|warn|error|trace|println|print)$")


def _delay_table_retries(kf: KotlinFile) -> None:
    """``RETRY_DELAYS_MS.forEachIndexed { i, wait -> delay(wait); if (fetch()) return }``: a table of
    waits walked until the call succeeds; one try per wait, plus the first when the same call is made
    before the walk."""
    for call in kf.calls:
        if call.name not in ("forEach", "forEachIndexed") or call.receiver is None or call.lambda_ is None:
            continue
        table = ts.text(call.receiver).rsplit(".", 1)[-1]
        if not _DELAY_TABLE.search(table) or not any(
                n.type == "call_expression" and ts.text(n).startswith(("delay(", "Thread.sleep(", "sleep("))
                for n in ts.walk(call.lambda_)):
            continue
        if not any(n.type in ("jump_expression", "return_expression") and ts.text(n).startswith(("return", "break"))
                   and not ts.text(n).startswith("return@forEach") for n in ts.walk(call.lambda_)):
            continue
        size = _table_size(kf, table)
        expr = Num(float(size)) if size is not None else None
        if expr is not None and _tried_before(kf, call):
            expr = Num(float(size + 1))
        value, pending = _count(expr)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "table", "retry_on": None, "mechanism": "loop",
                     "library": None}, kf.evidence(call.node), "high" if value is not None else "medium", None, pending)


_GATE_NAME = re.compile(r"^(?:should|can|may|is)(?:Retry|Retries|TryAgain|Rerun)\w*$|^\w*(?:[rR]etryDue|[rR]etryAllowed)$")
_DELAY_TABLE_TYPE = re.compile(r"^Map<\s*(?:Long|Int)\s*,\s*(?:kotlin\.time\.)?Duration\s*>$")


def _delay_table_gates(kf: KotlinFile) -> None:
    """Round 22 (round-21 request, su-se-bakover): ``fun Failures.shouldRetry(clock, delayTable: Map<Long, Duration> =
    mapOf(1L to 1.minutes, .., 10L to 24.hours), maxDelay: Duration = 24.hours)``: the gate a job asks before it
    runs a failed item again, the wait looked up in a table by the number of failures so far (past its end, the
    largest); nothing stops the item after some count, so a retry without limit (null), at the function's name.
    Only a function named as a retry decision with a parameter that is such a table and a comparison with a
    time; a predicate on an error (``shouldRetry(e: Throwable)``) has no table."""
    if b"Duration" not in kf.data or b"etry" not in kf.data:
        return
    for fn in ts.walk(kf.tree.root_node):
        if fn.type != "function_declaration":
            continue
        ident = next((c for c in fn.named_children if c.type in ("identifier", "simple_identifier")), None)
        if ident is None or not _GATE_NAME.match(ts.text(ident)):
            continue
        params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
        tables = []
        for param in (params.named_children if params is not None else ()):
            kind = next((c for c in param.named_children if c.type in ("user_type", "nullable_type")), None)
            name = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
            if kind is not None and name is not None and _DELAY_TABLE_TYPE.match(re.sub(r"\s+", " ", ts.text(kind))):
                tables.append(ts.text(name))
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if not tables or body is None:
            continue
        text = ts.text(body)
        if not any(re.search(rf"\b{re.escape(t)}\s*\[", text) for t in tables) \
                or not re.search(r">=|<=|>|<|isAfter|isBefore", text):
            continue
        target, tp = target_within(kf, body)
        kf.sink.add("retry", name_location(fn, ident), ID,
                    {"max_attempts": None, "backoff": "table", "retry_on": None, "mechanism": "gate",
                     "library": None}, kf.evidence(ident), "medium", target, tp)


def _table_size(kf: KotlinFile, name: str) -> int | None:
    for prop in kf.properties:
        decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
        if decl is None or not decl.named_children or ts.text(decl.named_children[0]) != name:
            continue
        init = prop.named_children[-1]
        inner = KCall.of(init) if init.type == "call_expression" else None
        if inner is not None and inner.receiver is None and inner.name in ("listOf", "arrayOf", "longArrayOf",
                                                                           "intArrayOf", "listOfNotNull"):
            return len(inner.args)
    return None


def _tried_before(kf: KotlinFile, walk: KCall) -> bool:
    """The walk's call is made once before the walk, in the same function (the first try)."""
    fn = next((a for a in ts.ancestors(walk.node) if a.type == "function_declaration"), None)
    if fn is None:
        return False
    inside = {c.name for c in kf.calls if kf.within(c.node, walk.lambda_) and not _NOT_THE_CALL.match(c.name)}
    return any(c.name in inside for c in kf.calls
               if kf.within(c.node, fn) and c.node.end_byte <= walk.node.start_byte)


def _flyway_connect_retries(kf: KotlinFile) -> None:
    """``Flyway.configure().connectRetries(10)``: Flyway tries to reach the database again, up to 10
    more times, before the migration (and usually the start) fails."""
    for call in kf.calls:
        if call.name != "connectRetries" or len(call.args) != 1 or call.receiver is None:
            continue
        if "Flyway" not in ts.text(call.receiver) and b"org.flywaydb" not in kf.data:
            continue
        value, pending = _count(BinOp("+", expr_of(call.args[0]), Num(1.0)))
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                     "library": "flyway"}, kf.evidence(call.name_node), "high" if value is not None else "medium",
                    None, pending)


def _kafka_producer_retries(kf: KotlinFile) -> None:
    """A Kafka client's ``retries`` setting in its config map or properties
    (``mapOf(RETRIES_CONFIG to 10)``, ``props[ProducerConfig.RETRIES_CONFIG] = 3``, ``put("retries", 5)``):
    the producer sends a failed batch again up to n more times (n + 1 tries)."""
    from extractors.kotlin.syntax import kafka_entries
    for key, anchor, value in kafka_entries(kf):
        if key not in ("RETRIES_CONFIG", "retries"):
            continue
        count, pending = _count(BinOp("+", expr_of(value), Num(1.0)))
        if count is not None and count > 1_000_000:
            count = None  # Integer.MAX_VALUE: until delivery.timeout.ms runs out
        kf.sink.add("retry", ts.location(anchor), ID,
                    {"max_attempts": count, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "kafka"}, kf.evidence(anchor), "high" if count is not None else "medium", None,
                    pending)


# Spring Kafka back-offs handed to a listener's error handler: each failed record is delivered to the
# listener again after the pause, up to the back-off's limit.
_ERROR_HANDLERS = ("DefaultErrorHandler", "SeekToCurrentErrorHandler", "DefaultAfterRollbackProcessor",
                   "CommonErrorHandler")


def _kafka_error_handlers(kf: KotlinFile) -> None:
    """``DefaultErrorHandler(recoverer, FixedBackOff(1000L, 2L))`` (2 re-deliveries: 3 tries),
    ``ExponentialBackOffWithMaxRetries(4)`` (5 tries), ``ExponentialBackOff(1000L, 1.5)`` without a
    maxElapsedTime or maxAttempts (no limit: None). A back-off built for anything else (a Spring
    Retry template, a scheduler) is not this."""
    for call in kf.calls:
        if call.name not in ("FixedBackOff", "ExponentialBackOff", "ExponentialBackOffWithMaxRetries") \
                or call.receiver is not None:
            continue
        if not _handed_to_error_handler(call.node):
            continue
        if call.name == "FixedBackOff" and len(call.args) == 2 and not ts.text(call.args[1]).endswith("UNLIMITED_ATTEMPTS"):
            value, pending = _count(BinOp("+", expr_of(call.args[1]), Num(1.0)))
        elif call.name == "ExponentialBackOffWithMaxRetries" and call.args:
            value, pending = _count(BinOp("+", expr_of(call.args[0]), Num(1.0)))
        elif call.name == "ExponentialBackOff":
            # round 22 (populasjonstilgangskontroll): `ExponentialBackOff(1_000L, 2.0).apply { maxInterval = 30_000L;
            # maxElapsedTime = 60_000L }` stops once the back-offs handed out reach the elapsed limit: a count
            value, pending = _exponential_backoff_tries(call), ()
        else:
            value, pending = None, ()  # no count: until a time limit, or for ever
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": "fixed" if call.name == "FixedBackOff" else "exponential",
                     "retry_on": None, "mechanism": "client_config", "library": "spring-kafka"},
                    kf.evidence(call.name_node), "high" if value is not None else "medium", None, pending)


_BACKOFF_SETTINGS = {"initialInterval": "initial", "multiplier": "multiplier", "maxInterval": "max_interval",
                     "maxElapsedTime": "max_elapsed", "maxAttempts": "max_attempts"}


def _exponential_backoff_tries(call: KCall) -> int | None:
    """Tries of Spring's ``ExponentialBackOff(initial, multiplier)`` whose ``maxElapsedTime`` or ``maxAttempts`` is
    set in an ``apply { }`` on it (or through its setters): the back-offs it hands out before the sum of those
    handed out reaches ``maxElapsedTime`` (Spring checks the elapsed sum before each one), each the previous times
    the multiplier, capped at ``maxInterval`` (defaults: 2000 ms, 1.5, 30000 ms); tries = back-offs + 1. None when
    neither limit is written or a value is not a literal or a constant of the file."""
    settings: dict[str, float] = {"initial": 2000.0, "multiplier": 1.5, "max_interval": 30000.0}
    for key, node in zip(("initial", "multiplier"), call.args):
        value = settle_count(expr_of(node)) if key == "initial" else _float_of(node)
        if value is None:
            return None
        settings[key] = float(value)
    scope = call.node.parent
    while scope is not None and scope.type in ("navigation_expression", "navigation_suffix"):
        scope = scope.parent
    outer = KCall.of(scope) if scope is not None and scope.type == "call_expression" else None
    if outer is not None and outer.name in ("apply", "also") and outer.lambda_ is not None:
        for node in ts.walk(outer.lambda_):
            if node.type == "assignment" and len(node.named_children) >= 2:
                name = ts.text(node.named_children[0]).removeprefix("it.").removeprefix("this.")
                value_node = node.named_children[-1]
            elif node.type == "call_expression":
                inner = KCall.of(node)
                if inner is None or not inner.name.startswith("set") or len(inner.args) != 1:
                    continue
                name, value_node = inner.name[3:4].lower() + inner.name[4:], inner.args[0]
            else:
                continue
            key = _BACKOFF_SETTINGS.get(name)
            if key is None:
                continue
            value = _float_of(value_node) if key == "multiplier" else settle_count(expr_of(value_node))
            if value is None:
                return None
            settings[key] = float(value)
    if "max_elapsed" not in settings and "max_attempts" not in settings:
        return None
    elapsed, interval, backoffs = 0.0, -1.0, 0
    limit = settings.get("max_elapsed", float("inf"))
    cap = settings.get("max_attempts", float("inf"))
    while elapsed < limit and backoffs < cap:
        if backoffs > 10_000:
            return None
        interval = min(settings["initial"] if interval < 0 else interval * settings["multiplier"],
                       settings["max_interval"])
        elapsed += interval
        backoffs += 1
    return backoffs + 1


def _float_of(node: ts.Node) -> float | None:
    text = ts.text(node).replace("_", "").rstrip("fFdDlL")
    try:
        return float(text)
    except ValueError:
        return None


def _handed_to_error_handler(node: ts.Node) -> bool:
    """Inside the arguments of a Spring Kafka error handler's constructor, as a call or as the
    superclass a class delegates to (``class H : DefaultErrorHandler(null, FixedBackOff(..))``)."""
    for parent in ts.ancestors(node):
        if parent.type in ("call_expression", "constructor_invocation", "delegation_specifier"):
            head = ts.text(parent).split("(", 1)[0].strip()
            if head.rsplit(".", 1)[-1] in _ERROR_HANDLERS:
                return True
        if parent.type in ("class_body", "function_declaration", "source_file", "statements"):
            return False
    return False


_UI_WORDS = re.compile(r"scroll|focus|layout|animat|frame|visible|viewport|draw|render|measure|recompos|snapshot",
                       re.IGNORECASE)


def _ui_work(kf: KotlinFile, body: ts.Node) -> bool:
    """A call in the body that moves or lays out the screen (``listState.scrollToItem(i)``,
    ``requester.requestFocus()``, ``withFrameNanos { }``)."""
    return any(kf.within(c.node, body) and (_UI_WORDS.search(c.name) or (
        c.receiver is not None and _UI_WORDS.search(ts.text(c.receiver).rsplit(".", 1)[-1])))
        for c in kf.calls)


_RESEND_NAME = re.compile(r"retry|retries|reconnect|resend|tryAgain", re.IGNORECASE)


def _resend_cycles(kf: KotlinFile) -> None:
    """``suspend fun retrySending(id) { delay(backoff); sendStatus(id) }`` where ``sendStatus`` ends,
    on a failure, in ``retrySending`` again (through functions of the file, up to three calls deep):
    a retry that goes round through the sending code, bounded by nothing the file shows."""
    functions = _file_functions(kf)
    for name, fn in functions.items():
        if not _RESEND_NAME.search(name):
            continue
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if body is None or not any(n.type == "call_expression" and ts.text(n).startswith(("delay(", "Thread.sleep(",
                                                                                          "sleep("))
                                   for n in ts.walk(body)):
            continue
        callees = _plain_calls(kf, body)
        if name in callees:
            continue  # calls itself: the recursion detectors' case
        if not any(g != name and g in functions and _reaches(kf, functions, g, name, 3) for g in callees):
            continue
        name_node = next(c for c in fn.named_children if c.type == "identifier")
        target, tp = target_within(kf, body)
        value, pending = _count(_incremented_bound(body))
        kf.sink.add("retry", name_location(fn, name_node), ID,
                    {"max_attempts": value, "backoff": backoff_of(body), "retry_on": _catches(body),
                     "mechanism": "recursion", "library": None}, kf.evidence(name_node),
                    "high" if value is not None else "medium", target, pending + tp)


def _incremented_bound(body: ts.Node):
    """Round 13 (dwp hbase-to-mongo-export): ``return if (++retryAttempts < scanMaxRetries.toInt()) { sleep; reopen;
    read() } else throw ..``: the cycle goes round while a counter, raised in the test itself, stays under a
    bound (the counter starting at 0): ``++n < b`` -> b tries, ``++n <= b`` -> b + 1, ``n++ < b`` -> b + 1,
    ``n++ <= b`` -> b + 2. None without such a test."""
    for node in ts.walk(body):
        if node.type != "if_expression" or not node.named_children:
            continue
        cond = node.named_children[0]
        if cond.type not in ("comparison_expression", "binary_expression") or len(cond.named_children) != 2:
            continue
        left, right = cond.named_children
        op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
        if op not in ("<", "<=") or left.type not in ("prefix_expression", "postfix_expression", "unary_expression"):
            continue
        text = ts.text(left).strip()
        if text.startswith("++"):
            extra = 0.0
        elif text.endswith("++"):
            extra = 1.0
        else:
            continue
        if op == "<=":
            extra += 1.0
        return BinOp("+", expr_of(right), Num(extra)) if extra else expr_of(right)
    return None


_DONE_COUNT = re.compile(r"^(retried\w*|retries(Done|Made|SoFar)?|retryCount|retryAttempts?|attempts?(Made|SoFar)?|"
                         r"attemptCount|tries|tryCount|numRetries)$", re.IGNORECASE)
_MAX_COUNT = re.compile(r"^max\w*(Retries|Retry|Attempts?|Tries)$|^(retryLimit|maxRetry|retriesMax)$", re.IGNORECASE)


def _retry_decision_calls(kf: KotlinFile) -> None:
    """Round 14 (ebxml-processor's Kafka retry topics): ``decideRetry(ttl, retriedAlready = record.retryCount(),
    maxRetries = config().errorRetryPolicyIncoming.maxRetries, exception)`` with ``fun decideRetry(..,
    retriedAlready: Int, maxRetries: Int, ..)`` in the file testing ``retriedAlready >= maxRetries``: a decision
    helper that lets the work be tried again while the count of tries made stays under the bound it is handed.
    Reported at each call that hands it a bound (the helper's parameter has no default: the callers hold the
    value): a count of re-tries (``retried``, ``retries``) gives bound + 1 tries, a count of attempts the bound."""
    functions = _file_functions(kf)
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    for call in kf.calls:
        fn = functions.get(call.name)
        if fn is None or (call.receiver is not None and ts.text(call.receiver) != "this") or kf.within(call.node, fn):
            continue  # (a call from inside the function is a recursion retry, read by _self_call_retries)
        order = list(_parameters(fn))
        done = next((p for p in order if _DONE_COUNT.match(p)), None)
        limit = next((p for p in order if _MAX_COUNT.match(p)), None)
        if done is None or limit is None:
            continue
        body = next((c for c in fn.named_children if c.type == "function_body"), None)
        if body is None:
            continue
        text = re.sub(r"\s+", "", ts.text(body))
        if f"{done}>={limit}" not in text and f"{limit}<={done}" not in text and f"{done}<{limit}" not in text:
            continue
        arg = call.named_args.get(limit)
        if arg is None and not call.named_args and order.index(limit) < len(call.args):
            arg = call.args[order.index(limit)]
        if arg is None or arg.type in ("string_literal", "lambda_literal"):
            continue
        line = call.node.start_point[0] + 1
        if line in taken:
            continue
        retries_counted = re.match(r"retr|numRetries", done, re.IGNORECASE) is not None
        expr = BinOp("+", expr_of(arg), Num(1.0)) if retries_counted else expr_of(arg)
        value, pending = _count(expr)
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "stored_count",
                     "library": None, "attempts_expression": ts.text(arg) + (" + 1" if retries_counted else "")},
                    kf.evidence(call.node), "medium", None, pending)
        taken.add(line)


def _file_functions(kf: KotlinFile) -> dict[str, ts.Node]:
    out: dict[str, ts.Node] = {}
    for node in ts.walk(kf.tree.root_node):
        if node.type == "function_declaration":
            ident = next((c for c in node.named_children if c.type == "identifier"), None)
            if ident is not None:
                out.setdefault(ts.text(ident), node)
    return out


def _plain_calls(kf: KotlinFile, scope: ts.Node) -> set[str]:
    return {c.name for c in kf.calls if kf.within(c.node, scope)
            and (c.receiver is None or ts.text(c.receiver) == "this")}


def _reaches(kf: KotlinFile, functions: dict[str, ts.Node], start: str, target: str, depth: int) -> bool:
    seen, frontier = {start}, [start]
    for _ in range(depth):
        following = []
        for name in frontier:
            body = next((c for c in functions[name].named_children if c.type == "function_body"), None)
            for callee in (_plain_calls(kf, body) if body is not None else ()):
                if callee == target:
                    return True
                if callee in functions and callee not in seen:
                    seen.add(callee)
                    following.append(callee)
        frontier = following
    return False


def _budget_checks(kf: KotlinFile) -> None:
    """``while (downloading) { when (fetchChunk()) { Failed -> if (numberOfTries < MAX_RETRIES) {
    delay(200); numberOfTries++ } else { pause(); break } ... } }``: a loop that is not a retry loop as
    a whole, whose failure branch tries again while a counter of tries stays under a bound (and
    gives up, or waits, in its branches). Tries: the bound + 1 for ``<`` (+ 2 for ``<=``), the counter
    starting at 0. Reported at the check."""
    if not kf.loops or (b"++" not in kf.data and b"+= 1" not in kf.data) \
            or not ATTEMPT_NAME.search(kf.data.decode("utf-8", "replace")):
        return
    seen: set[int] = set()
    for node in (n for loop in kf.loops for n in ts.walk(loop)):
        if node.type != "if_expression" or not node.named_children or node.id in seen:
            continue
        seen.add(node.id)
        cond = node.named_children[0]
        if cond.type != "binary_expression" or len(cond.named_children) != 2:
            continue
        left, right = cond.named_children
        op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
        if left.type == "identifier" and op in ("<", "<="):
            counter, bound = left, right
        elif right.type == "identifier" and op in (">", ">="):
            counter, bound, op = right, left, FLIPPED[op]
        else:
            continue
        name = ts.text(counter)
        if not ATTEMPT_NAME.search(name) or bound.type not in ("identifier", "navigation_expression", "number_literal"):
            continue
        branches = [c for c in node.named_children[1:] if c.type in ("block", "control_structure_body")]
        if not branches or not _increments(branches[0], name):
            continue
        exits_else = len(branches) > 1 and _exits_plainly(branches[1])
        if not exits_else and not _waits_in(branches[0]):
            continue
        loop = next((a for a in ts.ancestors(node) if a.type in ("for_statement", "while_statement", "do_while_statement")
                     or a.type in ("function_declaration", "lambda_literal")), None)
        if loop is None or loop.type not in ("for_statement", "while_statement", "do_while_statement") \
                or is_retry_loop(loop):
            continue
        fn = next((a for a in ts.ancestors(loop) if a.type == "function_declaration"), None)
        start = _counter_start(fn, name) if fn is not None else None
        if start != 0:
            continue
        value, pending = _count(bound_of(op, expr_of(bound)))
        kf.sink.add("retry", ts.location(node), ID,
                    {"max_attempts": value, "backoff": backoff_of(branches[0]), "retry_on": None,
                     "mechanism": "loop", "library": None}, kf.evidence(node),
                    "high" if value is not None else "medium", None, pending)


def _increments(scope: ts.Node, name: str) -> bool:
    for n in ts.walk(scope):
        text = ts.text(n).replace(" ", "")
        if n.type in ("unary_expression", "postfix_expression", "prefix_expression") and text in (f"{name}++", f"++{name}"):
            return True
        if n.type == "assignment" and text in (f"{name}+=1", f"{name}={name}+1"):
            return True
    return False


def _exits_plainly(scope: ts.Node) -> bool:
    return any(n.type in ("jump_expression", "return_expression", "throw_expression")
               and ts.text(n).startswith(("return", "break", "throw")) and not ts.text(n).startswith("return@")
               or n.type == "identifier" and ts.text(n) == "break" for n in ts.walk(scope))


def _waits_in(scope: ts.Node) -> bool:
    return any(n.type == "call_expression" and n.named_children
               and re.match(r"^(delay|sleep|Thread\.sleep)$", ts.text(n.named_children[0]).replace(" ", ""))
               for n in ts.walk(scope))


def _counter_start(fn: ts.Node, name: str) -> int | None:
    """The literal a ``var`` counter of the function starts at (``var tries = 0``)."""
    for n in ts.walk(fn):
        if n.type != "property_declaration" or not any(c.type == "var" for c in n.children):
            continue
        decl = next((c for c in n.named_children if c.type == "variable_declaration"), None)
        ident = next((c for c in decl.named_children if c.type == "identifier"), None) if decl is not None else None
        if ident is not None and ts.text(ident) == name:
            value = n.named_children[-1]
            return int(ts.text(value)) if value.type == "number_literal" and ts.text(value).isdigit() else None
    return None


# A counter of failed tries kept on the work item (`download.tries`, `item.managementErrorRetrials`).
_TRIES_COUNTER = re.compile(r"(attempt|retr(y|ies|ials?)|tries|tried)\w*$", re.IGNORECASE)


_AGAIN_NAME = re.compile(r"retry|restart|again|reconnect|WithFallback", re.IGNORECASE)


def _failure_counts(kf: KotlinFile) -> None:
    """``catch (e: Exception) { download.tries++; download.state = Queued; if (download.tries >= MAX_RETRIES)
    { download.state = Error } }`` and ``if (++item.errorRetrials > maxRetries) { fail(item); return }``:
    a catch that counts the failure on the work item and gives up at a bound, the item being queued
    again otherwise. The counter is raised before the test: ``>=`` bound tries, ``>`` bound + 1."""
    if b"++" not in kf.data and b"+= 1" not in kf.data:
        return
    scopes = [c for attempt in kf.tries for c in attempt.named_children if c.type == "catch_block"]
    for fn in ts.walk(kf.tree.root_node):
        # `suspend fun restartPlaybackWithFallback(..) { retries++; if (retries > MAX) return false; .. }`:
        # a function named for trying again, called on each failure, that counts its own calls
        ident = next((c for c in fn.children if c.type == "identifier"), None) if fn.type == "function_declaration" else None
        if ident is not None and _AGAIN_NAME.search(ts.text(ident)):
            scopes.append(fn)
    for catch in scopes:
        body = catch.named_children[-1] if catch.named_children else None
        if body is not None and body.type == "function_body":
            body = next((c for c in body.named_children if c.type == "block"), None)
        if body is None or body.type != "block":
            continue
        raised: set[str] = set()
        for stmt in body.named_children:
            text = ts.text(stmt).replace(" ", "")
            m = re.fullmatch(r"(?:\+\+)?([\w.]+?)(?:\+\+|\+=1)?", text)
            if stmt.type in ("unary_expression", "postfix_expression", "prefix_expression", "assignment") and m \
                    and text != m.group(1) and _TRIES_COUNTER.search(m.group(1)):
                raised.add(m.group(1))
                continue
            if stmt.type != "if_expression" or not stmt.named_children:
                continue
            cond = stmt.named_children[0]
            if cond.type != "binary_expression" or len(cond.named_children) != 2:
                continue
            left, right = cond.named_children
            op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
            counter = ts.text(left).replace(" ", "")
            pre = counter.startswith("++")
            counter = counter.lstrip("+")
            if op not in (">=", ">") or not _TRIES_COUNTER.search(counter) or not (pre or counter in raised):
                continue
            if catch.type == "function_declaration" and not _exits_plainly(stmt):
                continue
            if right.type not in ("identifier", "navigation_expression", "number_literal"):
                continue
            bound = expr_of(right)
            if isinstance(bound, Ref) and "." not in bound.name:
                local = local_value(stmt, bound.name)
                if local is not None:
                    bound = expr_of(local)
            expr = bound if op == ">=" else BinOp("+", bound, Num(1.0))
            value, pending = _count(expr)
            kf.sink.add("retry", ts.location(stmt), ID,
                        {"max_attempts": value, "backoff": None,
                         "retry_on": _catches(catch) if catch.type == "catch_block" else None, "mechanism": "loop",
                         "library": None}, kf.evidence(stmt), "high" if value is not None else "medium", None, pending)
            break


_STORED_COUNTER = re.compile(r"(failure|failed|error|retry|retries|retried|resent|resend|redelivery|delivery"
                             r"Attempt|sendAttempt)\w*Count$|^(failures|retries|retryCount|resends|resendCount)$",
                             re.IGNORECASE)
_MAX_RETRY_SETTING = re.compile(r"^max(Retry|Retries)(Count)?$|^maxRetryAttempts$")
_GIVE_UP = re.compile(r"\b(return|throw)\b|drop|delete|remove|abandon|discard|fail|giveUp|deadLetter", re.IGNORECASE)


def _stored_failure_bounds(kf: KotlinFile) -> None:
    """``if (config.backoffConfig.enabled && metadata.failureCount >= config.backoffConfig.maxRetryCount) {
    return DropBatch(..) }``: a failure count kept with the work (a batch, a message) tested against a
    configured retry maximum before the work is sent again, the work given up at the bound. Tries: the
    bound for ``>=``, one more for ``>``."""
    if b"max" not in kf.data:
        return
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    prior = set(taken)
    for node in ts.walk(kf.tree.root_node):
        if node.type not in ("comparison_expression", "binary_expression") or len(node.named_children) != 2:
            continue
        left, right = node.named_children
        op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
        if op not in (">=", ">"):
            continue
        counter = ts.text(left).replace(" ", "").rsplit(".", 1)[-1]
        bound_name = ts.text(right).replace(" ", "").rsplit(".", 1)[-1]
        if right.type != "navigation_expression" or not _STORED_COUNTER.search(counter) \
                or not _MAX_RETRY_SETTING.match(bound_name):
            continue  # the bound is a configured field (`config.backoff.maxRetryCount`), not a local count
        fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None)
        if fn is not None and any(fn.start_point[0] < line <= fn.end_point[0] + 1 for line in prior):
            continue  # the function's retry is already read (a retry-delay policy, a loop)
        guard = next((a for a in ts.ancestors(node) if a.type in ("if_expression", "when_entry")), None)
        branch = " ".join(ts.text(c) for c in guard.named_children[1:2]) if guard is not None else ""
        if not _GIVE_UP.search(branch):
            continue  # the branch taken at the bound gives the work up (not a label or a log line)
        line = node.start_point[0] + 1
        if line in taken:
            continue
        bound = expr_of(right)
        expr = bound if op == ">=" else BinOp("+", bound, Num(1.0))
        value, pending = _count(expr)
        kf.sink.add("retry", ts.location(node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "loop", "library": None},
                    kf.evidence(node), "medium", None, pending)
        taken.add(line)


_EVENT_BOUND = re.compile(r"^max(Retry|Retries|Attempts|RetryAttempts|RetryCount)$", re.IGNORECASE)
_REQUEUE = re.compile(r"enqueue|requeue|send|publish|schedule|produce|offer|emit", re.IGNORECASE)


def _retry_event_gates(kf: KotlinFile) -> None:
    """Round 13 (pagopa event-dispatcher, the round-12 request): ``Mono.just(retryEvent).filter {
    it.data.retryCount <= maxAttempts }.switchIfEmpty(Mono.error(NoRetryAttemptsLeft(..))).flatMap { enqueue(it) }``:
    a retry event (a queued message carrying its count of retries, this one included) sent again only while
    that count stays within a bound: bound + 1 tries for ``<=``, bound for ``<``. The bound is often a
    constructor parameter of a base class (no default: a forwarder), published for the subclasses that pass
    it (``RetryEventService<..>(maxAttempts = maxAttempts, ..)``)."""
    if b"filter" not in kf.data and b"takeIf" not in kf.data:
        return
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    for call in kf.calls:
        if call.name not in ("filter", "takeIf") or call.lambda_ is None or call.receiver is None:
            continue
        for node in ts.walk(call.lambda_):
            if node.type not in ("comparison_expression", "binary_expression") or len(node.named_children) != 2:
                continue
            left, right = node.named_children
            op = ts.text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
            counter = ts.text(left).replace(" ", "").rsplit(".", 1)[-1]
            bound_name = ts.text(right).replace(" ", "").rsplit(".", 1)[-1]
            if op not in ("<", "<=") or left.type != "navigation_expression" or not _STORED_COUNTER.search(counter) \
                    or right.type not in ("identifier", "navigation_expression") or not _EVENT_BOUND.match(bound_name):
                continue
            fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None)
            if fn is None or not any(kf.within(c.node, fn) and _REQUEUE.search(c.name) for c in kf.calls):
                continue  # nothing sent again in the function
            line = node.start_point[0] + 1
            if line in taken:
                continue
            bound = expr_of(right)
            expr = BinOp("+", bound, Num(1.0)) if op == "<=" else bound
            value, pending = _count(expr)
            kf.sink.add("retry", ts.location(node), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "requeue",
                         "library": None, "attempts_expression": ts.text(right) + (" + 1" if op == "<=" else "")},
                        kf.evidence(node), "medium", None, pending)
            taken.add(line)


_DSL_BELOW = {"lt": 0.0, "less": 0.0, "lte": 1.0, "lessEq": 1.0}


def _dsl_method_comparison(node: ts.Node):
    """``MessagePendingAckTable.resentCount.less(maxResends)`` (Exposed, called as a method rather than
    infix): (the column, the operator's name, the bound), or None."""
    if node.type != "call_expression" or not node.named_children:
        return None
    call = KCall.of(node)
    if call is None or call.name not in _DSL_BELOW or call.receiver is None or len(call.args) != 1 \
            or call.named_args or call.lambda_ is not None or call.receiver.type != "navigation_expression":
        return None
    return call.receiver, call.name, call.args[0]


def _query_dsl_bounds(kf: KotlinFile) -> None:
    """Round 13 (IHCL order service): ``orderCollection.find(and(Order::orderStatus eq PENDING, Order::retryCount lt
    prop.bookingRetryCount))`` (KMongo; Exposed ``Orders.retries less 5``): a job's query that picks the work to send
    again while its stored count of tries stays under a bound, the typed-DSL form of ``_outbox_bounds``' SQL:
    bound tries for ``lt`` / ``less``, bound + 1 for ``lte`` / ``lessEq``. Reported where the bound is applied."""
    if not any(w in kf.data for w in (b" lt ", b" less ", b" lte ", b" lessEq ", b".less(", b".lessEq(")):
        return
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    for node in ts.walk(kf.tree.root_node):
        dotted = _dsl_method_comparison(node)
        if dotted is not None:
            left, op, right = dotted  # round 14 (ebxml-processor): `Table.resentCount.less(maxResends)`
        elif node.type != "infix_expression" or len(node.named_children) != 3:
            continue
        else:
            left, op_node, right = node.named_children
            op = ts.text(op_node)
        if op not in _DSL_BELOW or left.type not in ("navigation_expression", "callable_reference"):
            continue
        field = re.split(r"::|\.", ts.text(left).replace(" ", ""))[-1]
        if not _STORED_COUNTER.search(field) or right.type not in ("identifier", "navigation_expression",
                                                                   "number_literal", "integer_literal"):
            continue
        line = node.start_point[0] + 1
        if line in taken:
            continue
        bound = expr_of(right)
        expr = BinOp("+", bound, Num(1.0)) if _DSL_BELOW[op] else bound
        value, pending = _count(expr)
        kf.sink.add("retry", ts.location(node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "stored_count",
                     "library": None, "attempts_expression": ts.text(right) + (" + 1" if _DSL_BELOW[op] else "")},
                    kf.evidence(node), "medium", None, pending)
        taken.add(line)


_LOCAL_STORAGE = re.compile(r"SharedPreferences|KeyStore|Keystore|DataStore|SQLiteDatabase|openDatabase|\bFile\(|"
                            r"deleteDatabase|MasterKey", re.IGNORECASE)


# A function named for local computation (parse, decode, format, ...) whose body does no network work.
_PURE_NAME = re.compile(r"^(parse|decode|encode|format|validate|convert|normali[sz]e|sanitize|compute|calculate|"
                        r"extract|split|tokeni[sz]e|serialize|deserialize)", re.IGNORECASE)
_NETWORK_WORK = re.compile(r"http|client|api\b|request\(|send|fetch|connect|execute|newCall|socket|rpc|stub|"
                           r"upload|download|query\(", re.IGNORECASE)


def _catch_handler_retries(kf: KotlinFile) -> None:
    """``try { attemptOAuth(method) } catch (e: NegativeResponse) { handleTemporaryFailure(method, e) }``
    with ``handleTemporaryFailure`` (a function of this file) making the same call again
    (``invalidateToken(); try { attemptOAuth(method) } catch ..``): one try more, from the handler.
    Reported at the second call."""
    if not kf.tries:
        return
    functions = {}
    for fn in ts.walk(kf.tree.root_node):
        if fn.type == "function_declaration":
            ident = next((c for c in fn.children if c.type == "identifier"), None)
            if ident is not None:
                functions.setdefault(ts.text(ident), []).append(fn)
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    done: set[int] = set()
    for attempt in kf.tries:
        block = next((c for c in attempt.named_children if c.type == "block"), None)
        if block is None or len(block.named_children) > 2:
            continue
        # the call the try is about: a statement of its own (`attemptOAuth(m)`, `return attemptOAuth(m)`)
        tried = set()
        for stmt in block.named_children:
            while stmt.type in ("return_expression", "jump_expression") and stmt.named_children:
                stmt = stmt.named_children[0]
            if stmt.type == "call_expression":
                tried.add(_plain_call_name(stmt))
        tried -= {None}
        for catch in (c for c in attempt.named_children if c.type == "catch_block"):
            for call in (n for n in ts.walk(catch) if n.type == "call_expression"):
                handler = _plain_call_name(call)
                if handler is None or handler in tried or len(functions.get(handler, ())) != 1:
                    continue
                fn = functions[handler][0]
                if kf.within(attempt, fn):
                    continue  # the handler is the function around the try: recursion, read elsewhere
                again = next((n for n in ts.walk(fn) if n.type == "call_expression"
                              and _plain_call_name(n) in tried and _plain_call_name(n) in functions), None)
                if again is None or again.id in done:
                    continue
                repeated = functions.get(_plain_call_name(again), [None])[0]
                if _LOCAL_STORAGE.search(ts.text(fn)) or repeated is not None and _LOCAL_STORAGE.search(ts.text(repeated)):
                    continue  # rebuilding a corrupted local store and opening it again: no other service
                if repeated is not None and _PURE_NAME.match(_plain_call_name(again) or "") \
                        and not _NETWORK_WORK.search(ts.text(repeated)):
                    continue  # a parser tried again on another part of the input (`parseBech32Url(param)`): no call
                line = again.start_point[0] + 1
                done.add(again.id)
                if line in taken:
                    continue
                kf.sink.add("retry", ts.location(again), ID,
                            {"max_attempts": 2, "backoff": "none", "retry_on": _catches(attempt), "mechanism": "call",
                             "library": None}, kf.evidence(again), "medium", None, ())


# A data layer's receiver (`repository.withUntrusted { }`, `remoteDataSource.load()`): work that may reach a backend.
_DATA_LAYER = re.compile(r"(repository|repo|datasource)$", re.IGNORECASE)


def _own_catch_repeats(kf: KotlinFile) -> None:
    """``try { createTrustedTruststore(ts, certs) } catch (e: Exception) { repository.invalidate();
    createTrustedTruststore(ts, certs) }``: the catch calls the same function of this file as the try did,
    with the same arguments (after some clean-up): a second try. Counted when that function does remote
    work (an outbound call, a client or service, or a repository / data source that may reach a backend),
    not when it parses or rebuilds local storage. Reported at the second call (2 tries)."""
    if not kf.tries:
        return
    taken = {f.line for f in kf.sink.findings if f.kind == "retry"}
    for attempt in kf.tries:
        block = next((c for c in attempt.named_children if c.type == "block"), None)
        if block is None or any(a.type in ("for_statement", "while_statement", "do_while_statement")
                                for a in ts.ancestors(attempt)):
            continue  # a loop around the try is the retry (read by the loop readers)
        tried: dict[str, str] = {}
        for stmt in block.named_children[:1]:
            # the call the try is about: its first statement (`markSuccess(id)` after the remote call is
            # bookkeeping, made again in a catch to record the outcome, not a second try)
            while stmt.type in ("return_expression", "jump_expression", "property_declaration",
                                "assignment") and stmt.named_children:
                stmt = stmt.named_children[-1]
            if stmt.type == "call_expression" and _plain_call_name(stmt) is not None:
                tried[_plain_call_name(stmt)] = _arguments_text(stmt)
        if not tried:
            continue
        for catch in (c for c in attempt.named_children if c.type == "catch_block"):
            cblock = next((c for c in catch.named_children if c.type == "block"), None)
            for stmt in (cblock.named_children if cblock is not None else ()):
                while stmt.type in ("return_expression", "jump_expression", "property_declaration",
                                    "assignment") and stmt.named_children:
                    stmt = stmt.named_children[-1]
                name = _plain_call_name(stmt) if stmt.type == "call_expression" else None
                if name is None or tried.get(name) != _arguments_text(stmt):
                    continue
                fn = _file_function(kf, name)
                if fn is None or kf.within(attempt, fn) or _LOCAL_STORAGE.search(ts.text(fn)) \
                        or _PURE_NAME.match(name):
                    continue  # not this file's, recursion (read elsewhere), local storage, or a parser
                if not (_remote_work(kf, fn) or any(c.receiver is not None and kf.within(c.node, fn)
                                                    and _DATA_LAYER.search(ts.text(c.receiver).rsplit(".", 1)[-1])
                                                    for c in kf.calls)):
                    continue
                line = stmt.start_point[0] + 1
                if line in taken:
                    continue
                taken.add(line)
                kf.sink.add("retry", ts.location(stmt), ID,
                            {"max_attempts": 2, "backoff": "none", "retry_on": _catches(attempt),
                             "mechanism": "catch", "library": None}, kf.evidence(stmt), "medium", None, ())


def _arguments_text(call: ts.Node) -> str:
    args = next((c for c in call.named_children if c.type == "value_arguments"), None)
    return re.sub(r"\s+", "", ts.text(args)) if args is not None else ""


def _plain_call_name(node: ts.Node) -> str | None:
    """The name of a call of a function of the file (no receiver, or ``this.``)."""
    head = node.named_children[0] if node.named_children else None
    if head is None:
        return None
    if head.type == "identifier":
        return ts.text(head)
    if head.type == "navigation_expression" and ts.text(head).startswith("this.") and ts.text(head).count(".") == 1:
        return ts.text(head)[5:]
    return None


_RETRIED_FLAG = re.compile(r"retried|retry|retrying", re.IGNORECASE)


def _retried_once_flags(kf: KotlinFile) -> None:
    """``var alreadyRetriedOnce = false; while (next != null) { val page = runCatching { fetch(next) }
    .getOrNull(); if (page == null && alreadyRetriedOnce) return; if (page == null) { alreadyRetriedOnce =
    true; continue } ... }``: a loop that goes round once more after a failure, remembered in a flag
    named for retrying, and gives up on the second: 2 tries. Reported at the give-up check."""
    for loop in kf.loops:
        body = _loop_body(loop)
        if body is None:
            continue
        flags = set()
        for n in ts.walk(body):
            if n.type == "assignment" and len(n.named_children) == 2 and ts.text(n.named_children[1]) == "true" \
                    and n.named_children[0].type == "identifier" and _RETRIED_FLAG.search(ts.text(n.named_children[0])):
                block = n.parent
                if block is not None and any(c.type in ("jump_expression",) and ts.text(c).startswith("continue")
                                             or c.type == "identifier" and ts.text(c) == "continue"
                                             for c in block.named_children):
                    flags.add(ts.text(n.named_children[0]))
        if not flags:
            continue
        for node in ts.walk(body):
            if node.type != "if_expression" or not node.named_children:
                continue
            cond = node.named_children[0]
            words = {ts.text(c) for c in ts.walk(cond) if c.type == "identifier"}
            if not words & flags or "&&" not in ts.text(cond) or ts.text(cond).lstrip().startswith("!"):
                continue
            branch = next((c for c in node.named_children[1:] if c.type in ("block", "control_structure_body")), None)
            if branch is None or not _exits_plainly(branch):
                continue
            kf.sink.add("retry", ts.location(node), ID,
                        {"max_attempts": 2, "backoff": "none", "retry_on": None, "mechanism": "loop", "library": None},
                        kf.evidence(node), "medium", None, ())
            break


def _outbox_bounds(kf: KotlinFile) -> None:
    """``WHERE retry_count < :maxRetries`` with ``.addValue("maxRetries", MAX_RETRY_COUNT)``: an outbox
    table whose rows are sent again while their count of failed sends stays under a bound (the count
    starts at 0): bound tries for ``<``, bound + 1 for ``<=``. Reported where the bound is bound."""
    if b":" not in kf.data:
        return
    for call in kf.calls:
        if call.name not in ("addValue", "setParameter", "bind", "param", "set") or len(call.args) != 2:
            continue
        name = string_of(call.args[0])
        if not name or not (_POLICY_RETRIES.match(name) or _POLICY_TRIES.match(name)):
            continue
        op = None
        for outer in ts.ancestors(call.node):
            if outer.type in ("function_declaration", "class_body"):
                break
            if outer.type != "call_expression":
                continue
            text = ts.text(outer)
            outer_call = KCall.of(outer)
            for arg in (outer_call.args if outer_call is not None else ()):
                if arg.type == "identifier":
                    local = local_value(arg, ts.text(arg))  # `val query = """ ... """` handed to the call
                    text += ts.text(local) if local is not None else ""
            m = re.search(r"(<=|<|>=|>)\s*:" + re.escape(name) + r"\b", text)
            if m:
                op = m.group(1)  # the query this value is bound to
                break
        if op not in ("<", "<="):
            continue
        bound = expr_of(call.args[1])
        value, pending = _count(bound if op == "<" else BinOp("+", bound, Num(1.0)))
        kf.sink.add("retry", name_location(call.node, call.name_node), ID,
                    {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "loop", "library": None},
                    kf.evidence(call.name_node), "high" if value is not None else "medium", None, pending)
