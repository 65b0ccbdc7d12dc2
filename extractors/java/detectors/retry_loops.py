"""Hand-written retry loops in Java.

What it does: reports a ``for``/``while``/``do`` loop whose counter or bound is named for
attempts or retries (``attempt``, ``retries``, ``MAX_TRIES``) and whose body catches failures
(``try``/``catch``), with the number of tries when the bounds say it
(``for (int attempt = 0; attempt < 3; attempt++)`` -> 3; a counter of tries left lowered by one per pass,
``int attempts = 3; while (attempts > 0) { ... attempts--; }`` -> 3; a bound kept in a local set just before the
loop, ``int retryTimes = 10; for (time = 1; time <= retryTimes; ..)`` -> 10) and the backoff its sleeps show.
A counted loop bounded by a retry count that chains re-sends without a try (``for (i = 0; i < retryTimes; i++)
result = resend(result, ..);``, a reactive failover to other upstreams) is a retry too: retryTimes + 1 tries.
A for-each over items, or a loop without a try, is not a retry; a for-each over a service's
instances whose try returns on success and whose catch moves on to the next one
(``for (Server s : servers) { try { return call(s); } catch (IOException e) { log } }``) is a
failover retry: ``max_attempts`` is the number of instances (null), ``failover: true``.

Why it matters: hand loops hide retry amplification from every config file.

Also the seed's single retry in a catch block: ``try { return risk.score(id); } catch
(TimeoutException e) { return risk.score(newId); }`` -> retry max_attempts=2, mechanism catch. The same for a
helper that retries the task it is handed (``try { return task.run(); } catch (E e) { return task.run(); }``: 2
tries; a catch that hands the task to another such helper of the class, ``return runWithRetry(task);``, one try
more than that helper), reported at the ``try``.

Also a method that calls itself again from a catch with its counter one higher under a bound
(``if (attempt < MAX) return send(req, attempt + 1);``; the counter starts where the file's other
call passes a number), mechanism recursion; also one that counts tries left down (``fetch(addr, retryTime - 1)``
under ``if (retryTime == 0) return null;``, first called with 3: 3 tries).

Also a retry count kept between runs and compared with its bound where the next try is scheduled
(``if (retryCount > maxRetries) return false; else prepareNextRetry(blob, ..)``: bound + 2 tries), mechanism
loop (a loop across runs).

Also a loop over items that steps its counter back after a failed item (``if (paths[i] == null) { i--; }``): the
same item tried again without a bound (max_attempts null); not the step back after removing an element.

Also the resends that are not loops: an OkHttp interceptor that proceeds again with the same
request after looking at the first answer (``Response r = chain.proceed(req); if (r.code() == 401)
return chain.proceed(req.newBuilder()...build());`` -> 2 tries), an OkHttp ``Authenticator`` whose
``authenticate(route, response)`` returns ``response.request().newBuilder()...`` (OkHttp sends it
again: tries unknown), and a WorkManager worker that returns ``Result.retry()`` under
``getRunAttemptCount() < 3`` (4 runs).

Example: ``for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) { try { ... } catch ... }``
-> retry max_attempts=MAX_ATTEMPTS (pending), mechanism loop.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Num, Ref, Unknown
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import ATTEMPT_NAME, settle_count
from extractors.java.retry_scope import (backoff_of, catch_repeat, counted_failover, field_countdown, is_retry_loop,
                                        loop_attempts, passes_over_instances, task_retry)
from extractors.java.syntax import JavaFile, arguments, expr_of, local_value, name_location, unparenthesized
from extractors.jvm_common import FLIPPED, bound_of, request_key

ID = "java.retry_loop"


@detector(ID, "java", ["retry"],
          valid=['for (Item item : items) { try { send(item); } catch (Exception e) { log(e); } }',
                 'for (String host : hosts) { try { return InetAddress.getByName(host); } catch (Exception e) { throw e; } }',
                 'for (int i = 0; i < items.size(); i++) { try { send(items.get(i)); } catch (Exception e) {} }'],
          invalid=['for (int attempt = 0; attempt < 3; attempt++) { try { call(); break; } catch (Exception e) {} }',
                   'try { return riskClient.score(id); } catch (Exception e) { return riskClient.score(newId); }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for loop in jf.loops:
        passes = passes_over_instances(loop)
        if passes is not None:
            _passes_retry(jf, loop, passes)
            continue
        if not is_retry_loop(loop) or any(a.type == "for_statement" and passes_over_instances(a) is not None
                                          for a in ts.ancestors(loop)):
            continue
        expr = loop_attempts(loop)
        if expr is not None and (_final_try(loop) or _first_try(loop)):
            expr = _one_more(expr)
        counted_field = field_countdown(loop) if expr is None else None
        if counted_field is not None:
            expr = counted_field[1]  # the field's default; its constructor parameter is published for callers
        max_attempts = settle_count(expr) if expr is not None else None
        pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and max_attempts is None else ()
        body = loop.child_by_field_name("body")
        catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause"
                   for t in ts.walk(n) if t.type == "catch_type"]
        target, target_pending = target_within(jf, body)
        line, column = loop.start_point[0] + 1, loop.start_point[1] + 1
        loc = (line, column, line, column + len(ts.text(loop).splitlines()[0]))
        attrs = {"max_attempts": max_attempts, "backoff": backoff_of(body), "retry_on": catches or None,
                 "mechanism": "loop", "library": None}
        if loop.type == "enhanced_for_statement" or counted_failover(loop):
            attrs["failover"] = True
        if counted_field is not None:
            attrs["attempts_expression"] = counted_field[0]
        jf.sink.add("retry", loc, ID, attrs,
                    jf.evidence(loop), "high" if max_attempts is not None else "medium", target,
                    pending + target_pending)
    for try_node in jf.tries:
        block, tries = catch_repeat(try_node), 2
        if block is None:
            block, tries = task_retry(try_node) or (None, 2)
        if block is None:
            continue
        if any(a.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement") and is_retry_loop(a)
               for a in ts.ancestors(try_node)):
            continue  # the loop around it is the retry
        clause = block.parent
        catches = [ts.text(t) for t in ts.walk(clause) if t.type == "catch_type"]
        target, target_pending = target_within(jf, try_node.child_by_field_name("body"))
        line, column = try_node.start_point[0] + 1, try_node.start_point[1] + 1
        jf.sink.add("retry", (line, column, line, column + 3), ID,
                    {"max_attempts": tries, "backoff": backoff_of(block), "retry_on": catches or None,
                     "mechanism": "catch", "library": None},
                    jf.evidence(try_node), "medium", target, target_pending)
    _self_calls(jf)
    _reactive_error_resends(jf)
    _recursive_failover(jf)
    _stored_retry_counts(jf)
    _counted_retry_rules(jf)
    _scheduled_retries(jf)
    _handed_down_counts(jf)
    _requeue_limits(jf)
    _header_requeue_limits(jf)
    _failure_handler_counts(jf)
    _delivery_limits(jf)
    _flag_retries(jf)
    _interceptor_resends(jf)
    _authenticators(jf)
    _work_manager(jf)
    _item_redone(jf)
    _scheduled_redo(jf)
    _driver_retry_policies(jf)
    _failure_callback_resends(jf)
    _next_retry_schedules(jf)
    _retry_method_guards(jf)


def _passes_retry(jf: JavaFile, loop, passes) -> None:
    """Round 18: passes over a service's instances (``retry_scope.passes_over_instances``), at the outer loop."""
    body = loop.child_by_field_name("body")
    max_attempts = settle_count(passes)
    catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause" for t in ts.walk(n) if t.type == "catch_type"]
    target, target_pending = target_within(jf, body)
    line, column = loop.start_point[0] + 1, loop.start_point[1] + 1
    jf.sink.add("retry", (line, column, line, column + len(ts.text(loop).splitlines()[0])), ID,
                {"max_attempts": max_attempts, "backoff": backoff_of(body), "retry_on": catches or None,
                 "mechanism": "loop", "library": None, "failover": True},
                jf.evidence(loop), "high" if max_attempts is not None else "medium", target,
                ((Pending("max_attempts", passes, 1.0),) if max_attempts is None else ()) + target_pending)


# The Cassandra (DataStax) driver's retry decisions that send the request again.
_RETRY_DECISION = re.compile(r"RetryDecision\.(RETRY_SAME|RETRY_NEXT)|RetryDecision\.(retry|tryNextHost)\(")


def _driver_retry_policies(jf: JavaFile) -> None:
    """Round 12: a class implementing the DataStax driver's ``RetryPolicy`` decides per failure whether the driver
    sends the request again, from ``retryCount`` (retries made so far): ``if (retryCount < MAX_RETRIES && ..)
    decision = RetryDecision.RETRY_SAME;`` -> MAX_RETRIES + 1 tries, ``(retryCount == 0) ? RETRY_SAME : RETHROW``
    -> 2 tries; reported at the comparison. Not the ``...Verdict`` methods that only delegate."""
    if b"RetryPolicy" not in jf.data or b"com.datastax" not in jf.data:
        return
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        name = ts.text(method.child_by_field_name("name"))
        if not re.fullmatch(r"on[A-Z]\w*", name) or name.endswith("Verdict"):
            continue
        params = [ts.text(p.child_by_field_name("name")) for p in ts.walk(method.child_by_field_name("parameters"))
                  if p.type == "formal_parameter"]
        counter = next((p for p in params if re.fullmatch(r"(retryCount|nbRetry|retries|retryNumber)", p)), None)
        body = method.child_by_field_name("body")
        if counter is None or body is None or not _RETRY_DECISION.search(ts.text(body)):
            continue
        for node in ts.walk(body):
            if node.type != "binary_expression" or ts.text(node.child_by_field_name("left")).strip() != counter:
                continue
            op = ts.text(node.child_by_field_name("operator"))
            right = node.child_by_field_name("right")
            # the comparison must lead to a retry decision: the if's then-branch or the ternary's first arm
            holder = next((a for a in ts.ancestors(node) if a.type in ("if_statement", "ternary_expression")), None)
            if holder is None:
                continue
            arm = holder.child_by_field_name("consequence")
            if arm is None or not _RETRY_DECISION.search(ts.text(arm)):
                continue
            if op == "<":
                expr = BinOp("+", expr_of(right), Num(1))
            elif op == "<=":
                expr = BinOp("+", expr_of(right), Num(2))
            elif op == "==" and ts.text(right).strip() == "0":
                expr = Num(2)
            else:
                continue
            _counted_retry(jf, node, expr, "driver_policy")
    _driver_policy_helpers(jf)


_DRIVER_GIVE_UP = re.compile(r"RetryDecision\.(RETHROW|IGNORE)|RetryDecision\.(rethrow|ignore)\(")


def _driver_policy_helpers(jf: JavaFile) -> None:
    """Round 18: a driver ``RetryPolicy`` whose ``on..`` methods hand the retry count and a bound to one helper of the
    class (reaper's ``retryIfIdempotent(request, retry, MAX_READ_RETRIES, ..)`` with ``if (retry >= maxRetries) return
    RetryDecision.RETHROW; .. return RetryDecision.RETRY_NEXT;``): bound + 1 tries (``>``: bound + 2), the bound the
    value every call of the helper in the file passes (unknown when they differ), reported at the comparison."""
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        name = ts.text(method.child_by_field_name("name"))
        body = method.child_by_field_name("body")
        if re.fullmatch(r"on[A-Z]\w*", name) or body is None or not _RETRY_DECISION.search(ts.text(body)):
            continue
        params = [ts.text(p.child_by_field_name("name")) for p in (method.child_by_field_name("parameters").named_children)
                  if p.type == "formal_parameter"]
        counter = next((p for p in params if re.fullmatch(r"(retry|retryCount|nbRetry|retries|retryNumber)", p)), None)
        if counter is None:
            continue
        calls = [n for n in ts.walk(jf.tree.root_node) if n.type == "method_invocation"
                 and ts.text(n.child_by_field_name("name")) == name and len(arguments(n)) == len(params)
                 and (n.child_by_field_name("object") is None or ts.text(n.child_by_field_name("object")) == "this")]
        if not calls:
            continue
        for node in ts.walk(body):
            if node.type != "binary_expression" or ts.text(node.child_by_field_name("left")).strip() != counter:
                continue
            op, right = ts.text(node.child_by_field_name("operator")), node.child_by_field_name("right")
            holder = next((a for a in ts.ancestors(node) if a.type == "if_statement"), None)
            arm = holder.child_by_field_name("consequence") if holder is not None else None
            if op not in (">=", ">") or arm is None or not _DRIVER_GIVE_UP.search(ts.text(arm)):
                continue
            bound = expr_of(right)
            if right.type == "identifier" and ts.text(right) in params:
                index = params.index(ts.text(right))
                given = [expr_of(arguments(c)[index]) for c in calls]
                settled = {settle_count(g) for g in given}
                bound = given[0] if len(settled) == 1 and None not in settled else None
            if bound is None:
                continue
            _counted_retry(jf, node, BinOp("+", bound, Num(1 if op == ">=" else 2)), "driver_policy")


_REDO_METHOD = re.compile(r"^(retry|resend|redo|tryAgain)(Later|After|Request|Call|Send)?$", re.IGNORECASE)
_TIMER_CALL = re.compile(r"^(setTimer|schedule|scheduleOnce|runLater|delay|postDelayed)$")


def _scheduled_redo(jf: JavaFile) -> None:
    """``protected Uni<String> retry(HttpResponse r, JsonNode config, JsonNode secrets, Object payload) {
    vertx.setTimer(retryAfterMs, id -> execute(config, secrets, payload)...); }``: a method named for trying again
    that schedules the class's own operation once more with the arguments it was handed (after a 429/403
    Retry-After); the operation may answer ``retry(..)`` again, so nothing bounds the tries (max_attempts null),
    reported at the scheduled call (round 10)."""
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        if not _REDO_METHOD.match(_method_name(method)):
            continue
        params = {ts.text(p.child_by_field_name("name")) for p in (method.child_by_field_name("parameters").named_children
                                                                   if method.child_by_field_name("parameters") else [])
                  if p.type == "formal_parameter"}
        cls = method.parent
        own = {_method_name(m) for m in (cls.named_children if cls is not None else ()) if m.type == "method_declaration"}
        for timer in (n for n in ts.walk(method) if n.type == "method_invocation"):
            if not _TIMER_CALL.match(ts.text(timer.child_by_field_name("name"))):
                continue
            call = next((c for c in ts.walk(timer) if c.type == "method_invocation" and c is not timer
                         and any(a.type == "lambda_expression" for a in ts.ancestors(c) if jf.within(a, timer))
                         and (c.child_by_field_name("object") is None or ts.text(c.child_by_field_name("object")) == "this")
                         and ts.text(c.child_by_field_name("name")) in own - {_method_name(method)}
                         and len([a for a in arguments(c) if a.type == "identifier" and ts.text(a) in params]) >= 2),
                        None)
            if call is None:
                continue
            name_node = call.child_by_field_name("name")
            target, target_pending = target_within(jf, method)
            jf.sink.add("retry", name_location(call, name_node), ID,
                        {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "resend",
                         "library": None}, jf.evidence(name_node), "medium", target, target_pending)
            break


def _item_redone(jf: JavaFile) -> None:
    """``for (int i = 0; i < urls.length; i++) { paths[i] = download(urls[i]); if (paths[i] == null) { log(..); i--; } }``:
    a loop over items that steps its counter back after a failed item, so the same item is tried again without a
    bound (max_attempts null), mechanism loop. Not the step back after removing an element (``list.remove(i); i--``)."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for loop in jf.loops:
        if loop.type != "for_statement" or loop.start_point[0] + 1 in taken:
            continue
        update = " ".join(ts.text(u) for u in loop.children_by_field_name("update")).replace(" ", "")
        m = re.fullmatch(r"(?:(\w+)\+\+|\+\+(\w+)|(\w+)\+=1)", update)
        body = loop.child_by_field_name("body")
        if m is None or body is None:
            continue
        counter = next(g for g in m.groups() if g)
        for node in ts.walk(body):
            if node.type != "if_statement":
                continue
            consequence = node.child_by_field_name("consequence")
            condition = ts.text(node.child_by_field_name("condition") or node).replace(" ", "")
            text = ts.text(consequence).replace(" ", "") if consequence is not None else ""
            stepped = re.search(rf"(?<![\w.]){counter}--|--{counter}(?!\w)|(?<![\w.]){counter}-=1", text)
            failed = re.search(r"==null|^\(!|==false|<0\)|fail|error", condition, re.IGNORECASE)
            if stepped and failed and not re.search(r"\.(remove|delete|poll|splice)\w*\(", text):
                target, target_pending = target_within(jf, body)
                line, column = loop.start_point[0] + 1, loop.start_point[1] + 1
                jf.sink.add("retry", (line, column, line, column + len(ts.text(loop).splitlines()[0])), ID,
                            {"max_attempts": None, "backoff": backoff_of(body), "retry_on": None, "mechanism": "loop",
                             "library": None}, jf.evidence(loop), "medium", target, target_pending)
                break


def _one_more(expr):
    """``tries - 1`` plus the last try after the loop: ``tries``."""
    if isinstance(expr, BinOp) and expr.op == "-" and isinstance(expr.right, Num):
        rest = float(expr.right.value) - 1.0
        return expr.left if rest == 0 else BinOp("-", expr.left, Num(rest))
    return BinOp("+", expr, Num(1))


def _final_try(loop) -> bool:
    """``for (i = 1; i < tryTimes; i++) { try { return call(); } catch (E e) { sleep } } return call();``: the
    statement after the loop makes the call of the loop's try once more, unguarded (the last try)."""
    after = loop.next_named_sibling
    while after is not None and after.type in ("line_comment", "block_comment"):
        after = after.next_named_sibling
    body = loop.child_by_field_name("body")
    if after is None or body is None or after.type not in ("return_statement", "expression_statement"):
        return False
    tried = next((n for n in ts.walk(body) if n.type == "try_statement"), None)
    block = tried.child_by_field_name("body") if tried is not None else None
    calls = {ts.text(n).replace(" ", "") for n in ts.walk(block) if n.type == "method_invocation"} if block is not None else set()
    last = {ts.text(n).replace(" ", "") for n in ts.walk(after) if n.type == "method_invocation"}
    return bool(calls & last)


_RESEND = re.compile(r"^(proceed|execute|send\w*|call|request|invoke|exchange|post\w*|put\w*|fetch\w*|connect|"
                     r"perform\w*|upload\w*|download\w*)$")


def _first_try(loop) -> bool:
    """Round 11: ``Response response = chain.proceed(request); int tryCount = 1; while (shouldRetry(response) &&
    tryCount < maxRetries) { ..; response = chain.proceed(request); tryCount++; }``: the first try is made just
    before the loop (one of the two statements before it makes the call the loop's body makes again)."""
    body = loop.child_by_field_name("body")
    if body is None or loop.type not in ("while_statement", "for_statement"):
        return False
    again = {ts.text(n).replace(" ", "") for n in ts.walk(body) if n.type == "method_invocation"
             and n.child_by_field_name("object") is not None and n.parent is not None
             and n.parent.type in ("assignment_expression", "variable_declarator")
             and _RESEND.match(ts.text(n.child_by_field_name("name")))}
    before, seen = loop.prev_named_sibling, 0
    while before is not None and seen < 2:
        if before.type not in ("line_comment", "block_comment"):
            seen += 1
            made = {ts.text(n).replace(" ", "") for n in ts.walk(before) if n.type == "method_invocation"
                    and n.parent is not None and n.parent.type in ("assignment_expression", "variable_declarator")}
            if made & again:
                return True
        before = before.prev_named_sibling
    return False


# Calls that schedule the next try of work whose failures are counted somewhere kept (a blob's metadata, a row),
# or the next run of a timer task that sends again (`if (retries < retryCount) { schedule(); }`).
_SCHEDULE_RETRY = re.compile(r"^(prepare|schedule|queue|enqueue|plan)\w*Retry\w*$|^(retryLater|requeue|reschedule)\w*$"
                             r"|^schedule$", re.IGNORECASE)


_GIVE_UP = re.compile(r"\b(doNotRetry|noRetry|notRetry|dontRetry|giveUp)\b")
_RUNS_MADE = re.compile(r"(times|attempts?|retries|retryCount|tries|runCount)$", re.IGNORECASE)


def _requeue_limits(jf: JavaFile) -> None:
    """``if (request.getTimes() > 3) { return Result.doNotRetry(); } request.setTimes(request.getTimes() + 1);
    request.getTask().run();``: work re-queued on failure (a reconciler's queue), counted before each run and
    given up past the bound: bound + 1 runs (``>``; ``>=``: bound)."""
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is None or not _GIVE_UP.search(ts.text(consequence)):
            continue
        for condition in _conjuncts(node.child_by_field_name("condition")):
            if condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            name = ts.text(left).rstrip("()").rsplit(".", 1)[-1].removeprefix("get") if left is not None else ""
            if op not in (">", ">=") or right is None or not _RUNS_MADE.search(name):
                continue
            bound = expr_of(right)
            expr = BinOp("+", bound, Num(1)) if op == ">" else bound
            _counted_retry(jf, node, expr, "loop")
            break


def _failure_handler_counts(jf: JavaFile) -> None:
    """Round 15: ``void retryLater(Reminder r, Throwable failure) { if (r.getFailureAttempts() > MAX_FAILURE_RETRY) {
    log; return; } r.setRemindAt(now + 1 min); r.setFailureAttempts(r.getFailureAttempts() + 1); r.insert(); }``: a
    failure handler (a Throwable/Exception parameter, or a catch) that stores the item back for a later run with its
    count of failures one higher, and gives up once the stored count passes the bound. The count is checked after a
    failure, before it is raised: with ``>`` the item runs bound + 2 times (counts 0..bound+1), ``>=`` bound + 1.
    Reported at the comparison (mechanism redelivery)."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is None or not any(n.type in ("return_statement", "throw_statement") for n in ts.walk(consequence)):
            continue
        method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "lambda_expression")), None)
        if method is None:
            continue
        params = method.child_by_field_name("parameters")
        in_failure = any(a.type == "catch_clause" for a in ts.ancestors(node)) or (params is not None and re.search(
            r"\b(Throwable|\w*Exception|\w*Error)\b", ts.text(params)) is not None)
        if not in_failure:
            continue
        for condition in _conjuncts(node.child_by_field_name("condition")):
            if condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if op not in (">", ">=") or left is None or right is None or not _LIMIT.search(ts.text(right)):
                continue
            name = ts.text(left).replace(" ", "").rstrip("()").rsplit(".", 1)[-1].removeprefix("get")
            if not _RUNS_MADE.search(name) and not _FAILURES.search(name):
                continue
            after = jf.data[node.end_byte:method.end_byte].decode("utf-8", "replace")
            if not re.search(r"\bset" + re.escape(name[:1].upper() + name[1:]) + r"\s*\(", after) \
                    or not re.search(re.escape(re.sub(r"\s", "", ts.text(left))) + r"\+1\b", re.sub(r"\s", "", after)):
                continue  # the count is not stored back one higher: a login attempt check, a report
            line = condition.start_point[0] + 1
            if line in taken:
                break
            bound = expr_of(right)
            _counted_retry(jf, condition, BinOp("+", bound, Num(2.0 if op == ">" else 1.0)), "redelivery")
            taken.add(line)
            break


# A method that works out when a failed item is tried next (Kill Bill's getNextNotificationTime,
# getNextRetryDateForPaymentFailure): its count-versus-bound check is the retry's bound
_NEXT_TRY = re.compile(r"^(get|compute|calculate)?Next\w*(Time|Date|Retry|Attempt)\w*$", re.IGNORECASE)
_TRY_COUNT = re.compile(r"attempt|retr(y|ies)|tries|count", re.IGNORECASE)


def _next_retry_schedules(jf: JavaFile) -> None:
    """Round 18: a method working out when a failed item is tried next, which gives up (answers null) once its count
    of tries passes a bound: ``getNextNotificationTime(int attemptNumber, ..) { List<TimeSpan> retries =
    config.getPushNotificationsRetries(ctx); if (attemptNumber > retries.size()) return null; .. }`` (attemptNumber
    counts from 1: bound + 1 tries), ``if (retryCount < retryDays.size()) { result = next date }`` and ``if
    (retryAttempt < config.getPluginFailureRetryMaxAttempts(ctx)) { .. }`` (retries from 0: bound + 1 tries). The
    bound: a list's number of items (``.size()`` of a settings list: its default's items) or a setting. Reported at
    the comparison. Not a method named otherwise, nor a comparison of something not named for tries."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        if not _NEXT_TRY.match(ts.text(method.child_by_field_name("name"))):
            continue
        body = method.child_by_field_name("body")
        for node in (n for n in ts.walk(body) if n.type == "if_statement") if body is not None else ():
            condition = unparenthesized(node.child_by_field_name("condition"))
            if condition is None or condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if op not in ("<", ">") or left.type != "identifier" or not _TRY_COUNT.search(ts.text(left)):
                continue
            consequence = ts.text(node.child_by_field_name("consequence"))
            if op == ">" and not re.search(r"return\s+(null|Optional\.empty\(\))", consequence):
                continue  # past the bound: gives up
            bound = _bound_value(right)
            line = condition.start_point[0] + 1
            if bound is None or line in taken:
                continue
            _counted_retry(jf, condition, BinOp("+", bound, Num(1.0)), "redelivery")
            taken.add(line)


_RETRY_METHOD = re.compile(r"^(retry|redeliver|resend)[A-Z]?\w*$")
_RESEND_CALL = re.compile(r"request|send|deliver|post|publish|dispatch", re.IGNORECASE)


def _retry_method_guards(jf: JavaFile) -> None:
    """Round 18: a method that sends a failed item again while a count of its tries allows (FOLIO mod-pubsub's
    ``retryDelivery(..) { if (retry.get(subscriber).get() <= RETRY_NUMBER) { .. doRequest(..) .. } }``), the count
    raised elsewhere in the file once per send (``retry.get(subscriber).incrementAndGet()`` where each delivery's
    handler is made): a count of tries made, so ``<=`` gives bound + 1 tries (``<``: bound). Reported at the
    comparison. Not a count the file never raises, nor a guard around no re-send."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        body = method.child_by_field_name("body")
        if not _RETRY_METHOD.match(ts.text(method.child_by_field_name("name"))) or body is None:
            continue
        for node in (c for c in body.named_children if c.type == "if_statement"):
            condition = unparenthesized(node.child_by_field_name("condition"))
            if condition is None or condition.type != "binary_expression" \
                    or ts.text(condition.child_by_field_name("operator")) not in ("<", "<="):
                continue
            counter = re.sub(r"\s", "", ts.text(condition.child_by_field_name("left")))
            held = counter[:-len(".get()")] if counter.endswith(".get()") else counter
            consequence = node.child_by_field_name("consequence")
            if not any(n.type == "method_invocation" and _RESEND_CALL.search(ts.text(n.child_by_field_name("name")))
                       for n in ts.walk(consequence)):
                continue
            raised = [n for n in ts.walk(jf.tree.root_node) if not _inside(n, method) and (
                n.type == "method_invocation" and ts.text(n.child_by_field_name("name")) in (
                    "incrementAndGet", "getAndIncrement")
                and re.sub(r"\s", "", ts.text(n.child_by_field_name("object") or n)) == held
                or n.type == "update_expression" and re.sub(r"\s", "", ts.text(n)) in (held + "++", "++" + held))]
            line = condition.start_point[0] + 1
            if not raised or line in taken:
                continue
            bound = expr_of(condition.child_by_field_name("right"))
            op = ts.text(condition.child_by_field_name("operator"))
            _counted_retry(jf, condition, BinOp("+", bound, Num(1.0)) if op == "<=" else bound, "redelivery")
            taken.add(line)


def _bound_value(node):
    """``retries.size()`` of a local read from settings (``Ref(X.$size)``), a settings getter, a constant."""
    from extractors.java.syntax import local_initializer
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) == "size" and not arguments(node):
        holder = node.child_by_field_name("object")
        initializer = local_initializer(holder) if holder is not None and holder.type == "identifier" else None
        listed = expr_of(initializer) if initializer is not None else None
        return Ref(listed.name + ".$size") if isinstance(listed, Ref) else None
    value = expr_of(node)
    return None if isinstance(value, Unknown) else value


def _failure_callback_resends(jf: JavaFile) -> None:
    """Round 18: a failure callback that sends the same request again while its count of re-sends is under a bound
    (Maxwell's BigQuery ``onFailure(Throwable t) { if (appendContext.retryCount < MAX_RETRY_COUNT && retriable) {
    appendContext.retryCount++; this.parent.sendAsync(appendContext.r, this.cc); return; } }``): the count starts at
    0 before the first send, so ``<`` gives bound + 1 tries (``<=``: bound + 2). Reported at the comparison. Not a
    count that is not raised in that branch (a report), nor a branch that sends nothing."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        consequence = node.child_by_field_name("consequence")
        method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "lambda_expression")), None)
        params = method.child_by_field_name("parameters") if method is not None else None
        if consequence is None or params is None or not re.search(r"\b(Throwable|\w*Exception)\b", ts.text(params)):
            continue
        for condition in _conjuncts(node.child_by_field_name("condition")):
            if condition.type != "binary_expression" or ts.text(condition.child_by_field_name("operator")) not in ("<", "<="):
                continue
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            counter = re.sub(r"\s", "", ts.text(left)) if left is not None else ""
            if left is None or right is None or left.type not in ("identifier", "field_access") \
                    or not ATTEMPT_NAME.search(counter.rsplit(".", 1)[-1]):
                continue
            raised = any(n.type == "update_expression" and re.sub(r"\s", "", ts.text(n)) in (counter + "++", "++" + counter)
                         for n in ts.walk(consequence))
            sends = [n for n in ts.walk(consequence) if n.type == "method_invocation"
                     and re.search(r"send|publish|write|append|call|execute|submit|post|put|request",
                                   ts.text(n.child_by_field_name("name")), re.IGNORECASE)
                     and not re.search(r"(?i)log", ts.text(n.child_by_field_name("object") or n))]
            line = condition.start_point[0] + 1
            if not raised or not sends or line in taken:
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            _counted_retry(jf, condition, BinOp("+", expr_of(right), Num(1.0 if op == "<" else 2.0)), "callback")
            taken.add(line)
            break


def _counted_retry(jf: JavaFile, node, expr, mechanism: str, backoff: str | None = None) -> None:
    """A retry at ``node`` whose attempts are ``expr`` (settled here when it can be, else pending)."""
    value = settle_count(expr)
    jf.sink.add("retry", ts.location(node), ID,
                {"max_attempts": value, "backoff": backoff, "retry_on": None, "mechanism": mechanism, "library": None},
                jf.evidence(node), "medium", None, (Pending("max_attempts", expr, 1.0),) if value is None else ())


# A count of deliveries of a message or failures of a task so far, and a bound named as a limit.
_DELIVERIES = re.compile(r"(re)?deliver(y|ies|ed)?(Count|Cnt|Times|Num)$", re.IGNORECASE)
_FAILURES = re.compile(r"fail(ed|ure|ures|s)?(Count|Cnt|Times|Num)$", re.IGNORECASE)
_LIMIT = re.compile(r"max|limit|retr|attempt|tries", re.IGNORECASE)


def _delivery_limits(jf: JavaFile) -> None:
    """``if (deliveryCount < maxDeliveryCount) { /* let it come back */ } else { deadLetter(..) }``,
    ``if (failedCnt < taskRetryNum) { redispatch(task) }``: a message handler or task tracker that lets work be
    tried again while a count kept by the broker or store is under its bound (a retry across deliveries, mechanism
    redelivery): the bound for a count of deliveries, bound + 1 for a count of failures. Not a login counter
    (``retryCount >= maxRetryCount``: not named for deliveries or failures), not a threshold."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        if condition is None or condition.type != "binary_expression":
            continue
        op = ts.text(condition.child_by_field_name("operator"))
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if op not in ("<", "<=") or left is None or right is None:
            continue
        name = ts.text(left).replace(" ", "").rstrip("()").rsplit(".", 1)[-1].removeprefix("get")
        deliveries, failures = _DELIVERIES.search(name), _FAILURES.search(name)
        if not (deliveries or failures) or not _LIMIT.search(ts.text(right)) or right.type not in (
                "identifier", "field_access", "method_invocation"):
            continue
        line = node.start_point[0] + 1
        if line in taken:
            continue
        bound = expr_of(right)
        expr = BinOp("+", bound, Num(1)) if failures else bound
        if op == "<=":
            expr = BinOp("+", expr, Num(1))
        _counted_retry(jf, node, expr, "redelivery")


def _flag_retries(jf: JavaFile) -> None:
    """``void run(boolean retryOnFailure) { ..call..; if (failed && retryOnFailure) schedule(() -> run(false)); }``: a
    method that runs itself once more with its retry flag off after a failure (2 tries), mechanism recursion. The flag
    is a boolean parameter named for retrying; the second run is the same method called with ``false`` there."""
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        params = method.child_by_field_name("parameters")
        name = ts.text(method.child_by_field_name("name"))
        flags = [i for i, p in enumerate(c for c in (params.named_children if params is not None else ())
                                         if c.type == "formal_parameter")
                 if ts.text(p.child_by_field_name("type")) in ("boolean", "Boolean")
                 and ATTEMPT_NAME.search(ts.text(p.child_by_field_name("name")))]
        if len(flags) != 1:
            continue
        formal = [c for c in params.named_children if c.type == "formal_parameter"]
        flag, position = ts.text(formal[flags[0]].child_by_field_name("name")), flags[0]
        for node in ts.walk(method.child_by_field_name("body") or method):
            if node.type != "if_statement" or flag not in [ts.text(n) for n in ts.walk(node.child_by_field_name("condition"))
                                                           if n.type == "identifier"]:
                continue
            again = [c for c in ts.walk(node.child_by_field_name("consequence")) if c.type == "method_invocation"
                     and ts.text(c.child_by_field_name("name")) == name and len(arguments(c)) == len(formal)
                     and ts.text(arguments(c)[position]) == "false"]
            if again:
                jf.sink.add("retry", ts.location(node), ID,
                            {"max_attempts": 2, "backoff": "fixed" if re.search(r"schedule|sleep|Timer|delay",
                                                                                ts.text(node)) else "none",
                             "retry_on": None, "mechanism": "recursion", "library": None},
                            jf.evidence(node), "medium", None, ())
                break


# reads or edits of a collection or string at a position (`list.get(count - 1)`: the last item), no restart
_POSITIONAL_ACCESS = frozenset({"get", "remove", "set", "elementAt", "charAt", "subList", "substring", "getAt",
                                "listIterator", "codePointAt"})


def _handed_down_counts(jf: JavaFile) -> None:
    """``if (log.getExecutorFailRetryCount() > 0) { trigger(jobId, RETRY, log.getExecutorFailRetryCount() - 1, ..) }``:
    the work is started again with the retries it has left, one fewer (a count kept with the work: how many
    is data, max_attempts null). Reported at the call that starts it again."""
    for site in jf.calls:
        for arg in arguments(site.node):
            while arg.type == "parenthesized_expression" and arg.named_child_count:
                arg = arg.named_children[0]
            if arg.type != "binary_expression" or ts.text(arg.child_by_field_name("operator")) != "-" \
                    or ts.text(arg.child_by_field_name("right")) != "1":
                continue
            counter = ts.text(arg.child_by_field_name("left")).replace(" ", "")
            if not ATTEMPT_NAME.search(counter.rsplit(".", 1)[-1]) or not counter.endswith("()") \
                    or re.search(r"delay|backoff|sleep|wait|log|print", site.name, re.IGNORECASE) \
                    or site.name in _POSITIONAL_ACCESS:
                continue  # a count kept with the work (a getter), handed to what starts it again (not a backoff;
                # round 15: not `attempts.get(session.getAttemptsCount() - 1)`, the last item of a list)
            guard = next((a for a in ts.ancestors(site.node) if a.type == "if_statement"), None)
            condition = guard.child_by_field_name("condition") if guard is not None else None
            text = ts.text(condition).replace(" ", "") if condition is not None else ""
            if not (f"{counter}>0" in text or f"{counter}>=1" in text or f"0<{counter}" in text):
                continue
            method = next((a for a in ts.ancestors(site.node) if a.type == "method_declaration"), None)
            if method is not None and _method_name(method) == site.name:
                continue  # a method calling itself with one fewer: read by _self_calls
            jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "loop",
                         "library": None, "expression": ts.text(arg)},
                        jf.evidence(site.name_node), "medium", None, ())
            break


# Round 21: a message sent again with its try count in a header (`props.setHeader("x-retry-count", count + 1)`,
# `headers.put(RETRY_COUNT, count + 1)`), then handed to the broker again.
_HEADER_BUMP = re.compile(r"\b(?:setHeader|header|put|add)\s*\(\s*[\w.\"-]+\s*,\s*(\w+)\s*\+\s*1\s*\)")
_BROKER_RESEND = re.compile(r"\.\s*(?:send|convertAndSend|basicPublish|publish|produce)\s*\(")


def _header_requeue_limits(jf: JavaFile) -> None:
    """Round 21 (reportportal-service-api): a consumer's error handler that reads a try count from the failed message's
    header, gives up past a bound (``if (checkRetryExceeded(retryCount)) { send to the parking lot; return; }``, the
    comparison in a boolean helper of the class, ``return retries >= maxRetryCount;``) and otherwise sends the message
    again with the count one higher (``setHeader(RETRY_COUNT_HEADER, retryCount + 1); rabbitTemplate.send(RETRY_EXCHANGE,
    .., failedMessage)``): a retry across deliveries, the count starting at 0 when the header is absent: bound + 1
    deliveries for ``>=`` (bound + 2 for ``>``), at the bound's check, mechanism redelivery."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    helpers: dict[str, tuple[str, str, ts.Node]] = {}
    for method in (n for n in ts.walk(jf.tree.root_node) if n.type == "method_declaration"):
        body = method.child_by_field_name("body")
        params = [p for p in (method.child_by_field_name("parameters").named_children
                              if method.child_by_field_name("parameters") else []) if p.type == "formal_parameter"]
        statements = [c for c in (body.named_children if body is not None else ()) if c.type not in (
            "line_comment", "block_comment")]
        if len(params) != 1 or len(statements) != 1 or statements[0].type != "return_statement" \
                or not statements[0].named_children:
            continue
        comparison = unparenthesized(statements[0].named_children[0])
        if comparison is None or comparison.type != "binary_expression":
            continue
        op = ts.text(comparison.child_by_field_name("operator"))
        if op in (">=", ">") and ts.text(comparison.child_by_field_name("left")) == ts.text(
                params[0].child_by_field_name("name")):
            helpers[_method_name(method)] = (op, ts.text(params[0].child_by_field_name("name")),
                                             comparison.child_by_field_name("right"))
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement" or node.start_point[0] + 1 in taken:
            continue
        condition = unparenthesized(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None or not re.search(r"\breturn\b", ts.text(consequence)):
            continue
        counter = bound = op = None
        if condition.type == "binary_expression" and ts.text(condition.child_by_field_name("operator")) in (">=", ">") \
                and condition.child_by_field_name("left").type == "identifier":
            op, counter, bound = (ts.text(condition.child_by_field_name("operator")),
                                  ts.text(condition.child_by_field_name("left")), condition.child_by_field_name("right"))
        elif condition.type == "method_invocation" and condition.child_by_field_name("object") is None \
                and ts.text(condition.child_by_field_name("name")) in helpers and len(arguments(condition)) == 1 \
                and arguments(condition)[0].type == "identifier":
            op, _, bound = helpers[ts.text(condition.child_by_field_name("name"))]
            counter = ts.text(arguments(condition)[0])
        if counter is None or not ATTEMPT_NAME.search(counter):
            continue
        method = next((a for a in ts.ancestors(node) if a.type == "method_declaration"), None)
        if method is None:
            continue
        after = ts.text(method)[node.end_byte - method.start_byte:]
        bumped = [m.group(1) for m in _HEADER_BUMP.finditer(after)]
        if counter not in bumped or not _BROKER_RESEND.search(after):
            continue
        taken.add(node.start_point[0] + 1)
        expr = BinOp("+", expr_of(bound), Num(1.0 if op == ">=" else 2.0))
        max_attempts = settle_count(expr)
        pending = (Pending("max_attempts", expr, 1.0),) if max_attempts is None else ()
        line, column = node.start_point[0] + 1, node.start_point[1] + 1
        jf.sink.add("retry", (line, column, line, column + 2), ID,
                    {"max_attempts": max_attempts, "backoff": None, "retry_on": None, "mechanism": "redelivery",
                     "library": None},
                    jf.evidence(node), "medium", None, pending)


def _conjuncts(condition):
    """The comparisons of an if's condition joined by ``&&`` (one condition: itself)."""
    condition = unparenthesized(condition)
    if condition is None:
        return []
    if condition.type == "binary_expression" and ts.text(condition.child_by_field_name("operator")) == "&&":
        return _conjuncts(condition.child_by_field_name("left")) + _conjuncts(condition.child_by_field_name("right"))
    return [condition]


def _scheduled_retries(jf: JavaFile) -> None:
    """``if (retryCount > maxRetries) { return false; } else { prepareNextRetry(blob, count); }``: a retry count kept
    between runs, compared with its bound where the next try is scheduled (``>`` -> bound + 2 tries: the count
    of retries made starts at 0)."""
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        whole = node.child_by_field_name("condition")
        found = None
        for condition in _conjuncts(whole):
            if condition.type != "binary_expression":
                continue
            op = ts.text(condition.child_by_field_name("operator"))
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if op not in FLIPPED or left is None or right is None:
                continue
            if _counted_up(left) and re.search(r"max|limit", ts.text(right), re.IGNORECASE) and op in ("<", "<="):
                # round 11: `if (attempts.incrementAndGet() < retryConfig.maxAttempts()) { scheduledRetry =
                # retryScheduler.apply(delay); }`: the count of failed runs so far, one higher first: bound runs
                found = condition, ("<=" if op == "<" else "<"), right
                break
            if left.type != "identifier" or not ATTEMPT_NAME.search(ts.text(left)):
                if right.type == "identifier" and ATTEMPT_NAME.search(ts.text(right)):
                    op, left, right = FLIPPED[op], right, left
                else:
                    continue
            # the bound: `maxRetries`, `retryLimit`, `retryCount` beside a counter of retries made, a number
            if re.search(r"max|limit", ts.text(right), re.IGNORECASE) or right.type == "decimal_integer_literal" or (
                    ts.text(left) != ts.text(right) and re.search(r"(count|times)$", ts.text(right), re.IGNORECASE)
                    and ATTEMPT_NAME.search(ts.text(right))):
                found = condition, op, right
                break
        if found is None:
            continue
        condition, op, right = found
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
        if not any(b is not None and any(n.type == "method_invocation" and (
                _SCHEDULE_RETRY.match(ts.text(n.child_by_field_name("name")))
                or _RETRY_SCHEDULER.search(ts.text(n.child_by_field_name("object") or n.child_by_field_name("name"))))
                for n in ts.walk(b)) for b in branches):
            continue
        if _counted_up(condition.child_by_field_name("left")):
            expr = expr_of(right) if op == "<=" else BinOp("+", expr_of(right), Num(1.0))
            _counted_retry(jf, condition, expr, "loop", backoff="fixed")
            continue
        expr = bound_of(op, expr_of(right))
        if expr is None:
            continue
        _counted_retry(jf, condition, expr, "loop", backoff="fixed")


# A scheduler of the next try handed in or kept (`retryScheduler.apply(delay)`).
_RETRY_SCHEDULER = re.compile(r"retry\w*schedul|schedul\w*retr", re.IGNORECASE)


def _counted_up(node: ts.Node | None) -> bool:
    """``attempts.incrementAndGet()`` / ``++attempts``: a count of tries made, one higher, read in the test."""
    if node is None:
        return False
    if node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) == "incrementAndGet" \
            and not arguments(node):
        return bool(ATTEMPT_NAME.search(ts.text(node.child_by_field_name("object") or node)))
    return node.type == "update_expression" and ts.text(node).startswith("++") \
        and bool(ATTEMPT_NAME.search(ts.text(node)))


def _method_name(method: ts.Node) -> str:
    return ts.text(method.child_by_field_name("name"))


def _self_calls(jf: JavaFile) -> None:
    """``Result send(Req r, int attempt) { try { ... } catch (IOException e) { if (attempt < MAX) return
    send(r, attempt + 1); throw e; } }``: a method that calls itself again with its counter one higher
    under a bound, from a catch (or with a counter named for attempts). The counter starts where the
    file's other call passes a number (``send(r, 0)``); tries = bound - start + 1 for ``<``."""
    seen: set[int] = set()
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if receiver is not None and ts.text(receiver) != "this":
            continue
        method = next((a for a in ts.ancestors(site.node) if a.type in ("method_declaration", "class_body")), None)
        if method is None or method.type != "method_declaration" or method.id in seen \
                or _method_name(method) != site.name:
            continue
        if any(a.type == "lambda_expression" for a in ts.ancestors(site.node) if jf.within(a, method)) \
                and not _reactive_resend(site.node, method) and not _timer_rescheduled(site.node):
            continue  # a callback that calls the method later (not a retry of this call)
        params = [ts.text(p.child_by_field_name("name")) for p in (method.child_by_field_name("parameters").named_children
                                                                    if method.child_by_field_name("parameters") else [])
                  if p.type == "formal_parameter"]
        args = arguments(site.node)
        if len(args) != len(params):
            continue
        index = next((i for i, a in enumerate(args) if _plus_one(a) == params[i]), None)
        if index is None:
            index = next((i for i, a in enumerate(args) if ts.text(a) == params[i] and ATTEMPT_NAME.search(params[i])
                          and _bumped_before(site.node, method, params[i])), None)
        if index is None:
            _count_down_call(jf, site, method, params, args, seen)
            continue
        counter = params[index]
        in_catch = any(a.type == "catch_clause" for a in ts.ancestors(site.node) if jf.within(a, method))
        if not in_catch and not ATTEMPT_NAME.search(counter):
            continue  # `page + 1` under `page < pages`: walking pages
        guard = _counter_guard(site.node, method, counter)
        if guard is None:
            continue
        seen.add(method.id)
        op, bound = guard
        start = _start_value(jf, site.name, len(params), index, method)
        if start is None and re.search(r"attempt", counter, re.IGNORECASE) \
                and _entry_guard(site.node, method, counter) == guard:
            # round 12: no call in this file says where the count starts (the callers are in other files): an
            # attempt number the method gives up on at entry counts from 1 when it stops past the bound (`if
            # (attempt > MAX_ATTEMPTS) fail`: attempts 1..MAX) and from 0 when it stops at it (`attempt >= MAX`:
            # 0..MAX-1): MAX tries either way
            start = Num(0.0) if isinstance(bound, BinOp) else Num(1.0)
        if isinstance(bound, Ref) and bound.name in params:
            # `if (currentRetryCount < maxRetries) .. send(req, maxRetries, currentRetryCount + 1)`: the bound is
            # handed down unchanged; the file's first call says what it is (`send(req, maxRetries, 0)` after
            # `int maxRetries = oauth.getMaxRetries() != null ? oauth.getMaxRetries() : 1;`)
            bound = _outer_argument(jf, site.name, len(params), params.index(bound.name), method)
        expr = None
        if start is not None and bound is not None:
            tries = BinOp("-", bound, start) if start != Num(0.0) else bound
            expr = BinOp("+", tries, Num(2.0 if op == "<=" else 1.0))
        max_attempts = settle_count(expr) if expr is not None else None
        pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and max_attempts is None else ()
        body = method.child_by_field_name("body")
        catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause"
                   for t in ts.walk(n) if t.type == "catch_type"]
        target, target_pending = target_within(jf, body)
        name = method.child_by_field_name("name")
        jf.sink.add("retry", ts.location(name), ID,
                    {"max_attempts": max_attempts, "backoff": backoff_of(body), "retry_on": catches or None,
                     "mechanism": "recursion", "library": None},
                    jf.evidence(name), "high" if max_attempts is not None else "medium", target,
                    pending + target_pending)


def _timer_rescheduled(call: ts.Node) -> bool:
    """Round 19: the call is the whole body of a lambda handed to a timer (FOLIO's ``vertx.setTimer(retryInterval, h
    -> createLockWithRetry(noOfAttempts + 1, future, records))`` in the failure branch of the try's callback): the
    method runs again after a delay, a retry when its counter rises under a bound (the caller checks both)."""
    lam = call.parent
    while lam is not None and lam.type in ("expression_statement", "block"):
        lam = lam.parent
    if lam is None or lam.type != "lambda_expression" or lam.parent is None or lam.parent.type != "argument_list":
        return False
    scheduler = lam.parent.parent
    return scheduler is not None and scheduler.type == "method_invocation" \
        and ts.text(scheduler.child_by_field_name("name")) in ("setTimer", "schedule", "runLater")


def _count_down_call(jf: JavaFile, site, method: ts.Node, params: list[str], args, seen: set[int]) -> None:
    """``KVTable fetch(String addr, Integer retryTime) { if (retryTime == 0) return null; try { ... } catch (E e) {
    fetch(addr, retryTime - 1); ... } }`` called with ``fetch(addr, 3)``: tries left counted down, 3 tries."""
    index = next((i for i, a in enumerate(args) if re.fullmatch(r"(\w+)-1", ts.text(a).replace(" ", ""))
                  and ts.text(a).replace(" ", "")[:-2] == params[i]), None)
    if index is None or method.id in seen:
        return
    counter = params[index]
    if not any(a.type == "catch_clause" for a in ts.ancestors(site.node) if jf.within(a, method)) \
            and not ATTEMPT_NAME.search(counter):
        return
    body = method.child_by_field_name("body")
    extra = None
    for stmt in (body.named_children if body is not None else ()):
        if stmt.type != "if_statement":
            continue
        text = ts.text(stmt.child_by_field_name("condition")).replace(" ", "").strip("()")
        consequence = ts.text(stmt.child_by_field_name("consequence"))
        if not re.search(r"\b(return|throw)\b", consequence):
            continue
        if text in (f"{counter}==0", f"{counter}<=0", f"{counter}<1", f"0=={counter}", f"0>={counter}"):
            extra = 0.0
        elif text in (f"{counter}<0", f"0>{counter}"):
            extra = 1.0
        if extra is not None:
            break
    guarded = False
    if extra is None and _left_guard(site.node, method, counter):
        # round 18: the guard around the call itself, in the catch (maxwell's `catch (SQLException e) { if (nTries >
        # 0) withSQLRetry(nTries - 1, inner); else throw e; }`): counter = re-tries left, counter + 1 tries
        extra, guarded = 1.0, True
    if extra is None:
        return
    seen.add(method.id)
    start = _start_value(jf, site.name, len(params), index, method)
    expr = (start if extra == 0.0 else BinOp("+", start, Num(extra))) if start is not None else None
    if expr is None and guarded:
        # no call in this file says where it starts: the tries are the caller's (published for calls in other
        # files, `pool.withSQLRetry(1, ..)`: 2 tries at that call)
        expr = BinOp("+", Ref(counter), Num(1.0))
    max_attempts = settle_count(expr) if expr is not None else None
    pending = (Pending("max_attempts", expr, 1.0),) if expr is not None and max_attempts is None else ()
    catches = [ts.text(t) for n in ts.walk(body) if n.type == "catch_clause" for t in ts.walk(n) if t.type == "catch_type"]
    target, target_pending = target_within(jf, body)
    name = method.child_by_field_name("name")
    jf.sink.add("retry", ts.location(name), ID,
                {"max_attempts": max_attempts, "backoff": backoff_of(body), "retry_on": catches or None,
                 "mechanism": "recursion", "library": None},
                jf.evidence(name), "high" if max_attempts is not None else "medium", target, pending + target_pending)


def _left_guard(call: ts.Node, method: ts.Node, counter: str) -> bool:
    """The recursive call sits, inside a catch, under ``if (counter > 0)`` (``>= 1``, ``0 < counter``) whose other
    branch gives up (throws or returns)."""
    node = call
    while node is not None and node.id != method.id:
        parent = node.parent
        if parent is not None and parent.type == "if_statement" and parent.child_by_field_name("consequence") is not None \
                and parent.child_by_field_name("consequence").id == node.id:
            text = ts.text(parent.child_by_field_name("condition")).replace(" ", "").strip("()")
            # round 21: also one part of a conjunction (`if (isDeadlock(ex) && retriesLeft > 0)`)
            parts = [p.strip("()") for p in text.split("&&")] if "||" not in text else [text]
            if any(p in (f"{counter}>0", f"{counter}>=1", f"0<{counter}", f"1<={counter}") for p in parts):
                alternative = parent.child_by_field_name("alternative")
                in_catch = any(a.type == "catch_clause" for a in ts.ancestors(parent) if a.id != method.id
                               and _inside(a, method))
                # round 21: the error handler of a reactive/async chain stands for the catch (Vert.x `.recover(ex ->
                # {..})`, Reactor/RxJava `onErrorResume(..)`, `exceptionally(..)`: mod-source-record-manager), and an
                # `if` whose branch returns gives up by the `return`/`throw` that follows it
                in_catch = in_catch or _in_error_handler(parent, method)
                gives_up = (alternative is not None and re.search(r"\b(throw|return)\b", ts.text(alternative)) is not None) \
                    or (alternative is None and _returns_after(parent)
                        and re.search(r"\breturn\b", ts.text(parent.child_by_field_name("consequence"))) is not None)
                return in_catch and gives_up
        node = parent
    return False


# The error branch of an asynchronous chain: Vert.x futures, Reactor, RxJava, CompletableFuture, Mutiny.
_ERROR_HANDLERS = ("recover", "recoverWith", "onErrorResume", "onErrorResumeNext", "onErrorResumeWith", "exceptionally",
                   "exceptionallyCompose", "exceptionallyComposeAsync", "otherwise", "onFailure")


# Factories of a finished future/publisher: making one again sends nothing.
_ASYNC_VALUE = re.compile(r"succeededFuture|failedFuture|completedFuture|failedStage|completedStage|just|empty|error|"
                          r"complete|never|of|ofNullable|defer|fromCallable|fromSupplier|supplyAsync|runAsync")


def _error_handler_call(node: ts.Node, method: ts.Node) -> ts.Node | None:
    """The ``recover``/``onErrorResume``/``exceptionally``.. call whose lambda holds ``node`` (within ``method``)."""
    for a in ts.ancestors(node):
        if a.id == method.id:
            return None
        if a.type == "lambda_expression" and a.parent is not None and a.parent.type == "argument_list" \
                and a.parent.parent is not None and a.parent.parent.type == "method_invocation" \
                and ts.text(a.parent.parent.child_by_field_name("name")) in _ERROR_HANDLERS:
            return a.parent.parent
    return None


def _in_error_handler(node: ts.Node, method: ts.Node) -> bool:
    return _error_handler_call(node, method) is not None


def _returns_after(stmt: ts.Node) -> bool:
    """The statement after ``stmt`` in its block returns or throws (the give-up path of an ``if`` without ``else``)."""
    sibling = stmt.next_named_sibling
    while sibling is not None and sibling.type in ("line_comment", "block_comment"):
        sibling = sibling.next_named_sibling
    return sibling is not None and sibling.type in ("return_statement", "throw_statement")


def _reactive_error_resends(jf: JavaFile) -> None:
    """Round 21 (mod-source-record-manager): the error handler of an asynchronous chain sends again.

    * a method whose returned chain's error handler calls the method again with its own parameters unchanged
      (``Completable commitOffset(Map o) { return commit(o).onErrorResumeNext(e -> Completable.timer(1, SECONDS)
      .andThen(commitOffset(o))); }``): tried again until it succeeds (max_attempts null), at the method's name;
    * a call whose error handler makes the same call again once (``save(batch).onErrorResumeNext(e -> { if (e
      instanceof RebalanceInProgressException) return timer(1, SECONDS).andThen(save(batch)); .. })``): 2 tries,
      at the repeated call (the catch-and-send-again of the file's own function)."""
    taken = {(f.line, f.kind) for f in jf.sink.findings}
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        method = next((a for a in ts.ancestors(site.node) if a.type in ("method_declaration", "class_body")), None)
        if method is None or method.type != "method_declaration":
            continue
        handler = _error_handler_call(site.node, method)
        if handler is None:
            continue
        if (receiver is None or ts.text(receiver) == "this") and _method_name(method) == site.name:
            params = [ts.text(p.child_by_field_name("name")) for p in (
                method.child_by_field_name("parameters").named_children
                if method.child_by_field_name("parameters") else []) if p.type == "formal_parameter"]
            args = [ts.text(a).replace(" ", "") for a in arguments(site.node)]
            if args != params or not _reactive_resend(site.node, method):
                continue
            name = method.child_by_field_name("name")
            if (name.start_point[0] + 1, "retry") in taken:
                continue
            taken.add((name.start_point[0] + 1, "retry"))
            body = method.child_by_field_name("body")
            target, target_pending = target_within(jf, body)
            jf.sink.add("retry", ts.location(name), ID,
                        {"max_attempts": None, "backoff": backoff_of(body), "retry_on": None,
                         "mechanism": "recursion", "library": None},
                        jf.evidence(name), "medium", target, target_pending)
            continue
        first = handler.child_by_field_name("object")
        while first is not None and first.type == "method_invocation" \
                and ts.text(first.child_by_field_name("name")) not in (site.name,) \
                and first.child_by_field_name("object") is not None \
                and first.child_by_field_name("object").type == "method_invocation":
            first = first.child_by_field_name("object")  # `save(b).doOnError(..).onErrorResumeNext(..)`
        if first is None or first.type != "method_invocation" or ts.text(first.child_by_field_name("name")) != site.name \
                or _ASYNC_VALUE.fullmatch(site.name):
            continue  # not `succeededFuture().compose(..).recover(e -> succeededFuture())`: a value, no call
        own_receiver = first.child_by_field_name("object")
        if (ts.text(own_receiver) if own_receiver is not None else "") != (ts.text(receiver) if receiver is not None else "") \
                or _method_name(method) == site.name:
            continue
        if [ts.text(a).replace(" ", "") for a in arguments(first)] != [ts.text(a).replace(" ", "") for a in arguments(site.node)]:
            continue  # a fallback done another way (`fs.move(s, t, atomic)` then `fs.move(s, t, nonAtomic)`)
        lambdas = [a for a in ts.ancestors(site.node) if a.type == "lambda_expression" and _inside(a, handler)]
        if len(lambdas) != 1:
            continue  # made after another step (`cancelHold(..).flatMap(r -> delete(id))`): a repair, then the call
        line = site.node.start_point[0] + 1
        if (line, "retry") in taken:
            continue
        taken.add((line, "retry"))
        target, target_pending = target_within(jf, site.node)
        jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                    {"max_attempts": 2, "backoff": backoff_of(handler), "retry_on": None,
                     "mechanism": "catch", "library": None},
                    jf.evidence(site.node), "medium", target, target_pending)


def _inside(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _plus_one(arg: ts.Node) -> str | None:
    m = re.fullmatch(r"(\w+)\+1|\+\+(\w+)", ts.text(arg).replace(" ", ""))
    return (m.group(1) or m.group(2)) if m else None


def _counter_guard(call: ts.Node, method: ts.Node, counter: str):
    """``counter < bound`` (or ``bound > counter``) in an ``if`` around the self-call: (op, bound Expr); else an
    early give-up the method opens with (``if (attempt > MAX) return failedFuture(e);``, round 11)."""
    for a in ts.ancestors(call):
        if a == method:
            return _entry_guard(call, method, counter)
        if a.type != "if_statement" or a.child_by_field_name("condition") is None:
            continue
        for node in ts.walk(a.child_by_field_name("condition")):
            if node.type != "binary_expression":
                continue
            op = ts.text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if ts.text(left) == counter and op in ("<", "<="):
                return op, local_value(right)
            if ts.text(right) == counter and op in (">", ">="):
                return ("<" if op == ">" else "<="), local_value(left)
    return None


def _entry_guard(call: ts.Node, method: ts.Node, counter: str):
    """``if (attempt > MAX_ATTEMPTS && e != null) { return CompletableFuture.failedFuture(e); }`` as one of the
    method's first statements, before the self-call: a run goes on while ``attempt <= MAX``, so the next run is
    made while ``attempt < MAX`` (``>=`` gives up one earlier). Returns the around-the-call form (op, bound)."""
    body = method.child_by_field_name("body")
    for stmt in (body.named_children if body is not None else ()):
        if stmt.start_byte >= call.start_byte:
            break
        if stmt.type != "if_statement" or stmt.child_by_field_name("alternative") is not None:
            continue
        consequence = ts.text(stmt.child_by_field_name("consequence"))
        if not re.search(r"\b(return|throw)\b", consequence):
            continue
        for node in ts.walk(stmt.child_by_field_name("condition")):
            if node.type != "binary_expression":
                continue
            op = ts.text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if ts.text(left) == counter and op in (">", ">="):
                bound = expr_of(right)
            elif ts.text(right) == counter and op in ("<", "<="):
                bound = expr_of(left)
            else:
                continue
            return "<", (bound if op in (">", "<") else BinOp("-", bound, Num(1.0)))
    return None


# What is left of a list after its first element: `candidates.stream().skip(1)`, `servers.subList(1, n)`.
_REST_OF = r"\b{0}\s*\.\s*(?:stream\(\)\s*\.\s*skip\(\s*1\s*\)|subList\(\s*1\b)"


_SEND_NAME = re.compile(r"(post|put|send|call|invoke|request|execute|exchange|publish|notify|deliver|upload|dispatch"
                        r"|submit|issue|trigger)", re.IGNORECASE)


def _stored_retry_counts(jf: JavaFile) -> None:
    """``int retryCount = credential.getRetryCount(); if (FAILED && retryCount <= retryMaxCount) { .. restUtil.postApi(..);
    .. credential.setRetryCount(retryCount + 1); }``: a job that tries a stored item again while the try count kept
    with it is under its bound, and stores the count one higher (a retry across runs, mechanism redelivery).
    Reported at the comparison; a counter nothing stores back (a login attempt check) is not one."""
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for node in ts.walk(jf.tree.root_node):
        if node.type != "if_statement":
            continue
        condition, consequence = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
        if condition is None or consequence is None:
            continue
        for comparison in (n for n in ts.walk(condition) if n.type == "binary_expression"):
            op = ts.text(comparison.child_by_field_name("operator"))
            left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
            if op not in ("<", "<=") or left is None or right is None or left.type != "identifier" \
                    or right.type not in ("identifier", "field_access", "method_invocation"):
                continue
            counter = ts.text(left)
            if not ATTEMPT_NAME.search(counter) or not _LIMIT.search(ts.text(right)):
                continue
            stored = re.search(r"\bset\w*\(\s*" + re.escape(counter) + r"\s*\+\s*1\s*\)", ts.text(consequence))
            calls = [n for n in ts.walk(consequence) if n.type == "method_invocation" and _SEND_NAME.match(
                ts.text(n.child_by_field_name("name")))]  # it sends the item again (not a login counter's save)
            line = comparison.start_point[0] + 1
            if line in taken:
                continue
            if not stored or not calls:
                if _carried_count_rerun(node, consequence, counter):
                    # round 22 (mod-inventory): the count travels with the work (`eventPayload.put(CURRENT_RETRY_NUMBER,
                    # String.valueOf(retryNumber + 1)); processEvent(..)`) and is checked after a failure: retries made
                    # so far, so `<` gives bound + 1 tries
                    _counted_retry(jf, comparison, BinOp("+", expr_of(right), Num(1.0 if op == "<" else 2.0)),
                                   "redelivery")
                    taken.add(line)
                    break
                continue
            expr = BinOp("+", expr_of(right), Num(1.0)) if op == "<=" else expr_of(right)
            _counted_retry(jf, comparison, expr, "redelivery")
            taken.add(line)
            break


def _counted_retry_rules(jf: JavaFile) -> None:
    """Round 22 (terra-workspace-manager, a round-21 request): a Stairway ``RetryRule`` of the project's own whose
    ``retrySleep()`` allows another try while counters stay under their bounds (``if (shortIntervalCounter <
    SHORT_INTERVAL_COUNT) { shortIntervalCounter++; sleep(..); return true; } if (longIntervalCounter <
    LONG_INTERVAL_COUNT) { ..; return true; } return false;``): the bounds' sum of retries after the first try (sum +
    1 tries), reported where the file creates the rule (``return new LongSyncRetryRule();``). A ``return true``
    outside such a counted branch (an unbounded rule) reports nothing."""
    if b"retrySleep" not in jf.data or b"RetryRule" not in jf.data:
        return
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        interfaces = cls.child_by_field_name("interfaces")
        if interfaces is None or not re.search(r"\bRetryRule\b", ts.text(interfaces)):
            continue
        body = cls.child_by_field_name("body")
        method = next((m for m in (body.named_children if body is not None else ()) if m.type == "method_declaration"
                       and ts.text(m.child_by_field_name("name")) == "retrySleep"), None)
        block = method.child_by_field_name("body") if method is not None else None
        if block is None:
            continue
        bounds, counted = [], set()
        for branch in (c for c in block.named_children if c.type == "if_statement"):
            condition = unparenthesized(branch.child_by_field_name("condition"))
            consequence = branch.child_by_field_name("consequence")
            if condition is None or condition.type != "binary_expression" or consequence is None \
                    or ts.text(condition.child_by_field_name("operator")) not in ("<", "<="):
                continue
            counter = ts.text(condition.child_by_field_name("left")).removeprefix("this.")
            returns = [n for n in ts.walk(consequence) if n.type == "return_statement" and ts.text(n).replace(" ", "")
                       == "returntrue;"]
            if not returns or not re.search(rf"(?<![\w.]){re.escape(counter)}\s*(\+\+|\+=\s*1)|\+\+\s*{re.escape(counter)}\b",
                                            ts.text(consequence)):
                continue
            bound = expr_of(condition.child_by_field_name("right"))
            op = ts.text(condition.child_by_field_name("operator"))
            bounds.append(BinOp("+", bound, Num(1.0)) if op == "<=" else bound)
            counted.update(r.id for r in returns)
        trues = [n for n in ts.walk(block) if n.type == "return_statement" and ts.text(n).replace(" ", "") == "returntrue;"]
        if not bounds or any(r.id not in counted for r in trues):
            continue
        total = Num(1.0)
        for bound in bounds:
            total = BinOp("+", total, bound)
        name = ts.text(cls.child_by_field_name("name"))
        for made in (n for n in ts.walk(jf.tree.root_node) if n.type == "object_creation_expression"
                     and ts.text(n.child_by_field_name("type")).split("<", 1)[0] == name):
            line = made.start_point[0] + 1
            if line not in taken:
                _counted_retry(jf, made, total, "job")
                taken.add(line)


_FAILURE_PATH = re.compile(r"error|fail|exception|conflict", re.IGNORECASE)
_NOT_RERUN = re.compile(r"^(put\w*|get|remove|set\w*|format|valueOf|toString|parseInt|trace|debug|info|warn|error"
                        r"|add\w*|contains\w*|isEmpty|size|equals)$")


def _carried_count_rerun(node, consequence, counter: str) -> bool:
    """Round 22: an ``if (count < bound)`` on a failure path (a method named for errors or failures, or one handed a
    Throwable, an exception or a failed result) whose branch puts the count one higher into the work's own payload
    or context (``payload.getContext().put(CURRENT_RETRY_NUMBER, String.valueOf(count + 1))``) and runs the work
    again (a call other than the put, a getter or a log line). Not a branch that only records the count (a login
    attempt), nor a check outside a failure path."""
    text = ts.text(consequence)
    if not re.search(r"\bput\w*\([^;]*?(?<![\w.])" + re.escape(counter) + r"\s*\+\s*1\b", text):
        return False
    method = next((a for a in ts.ancestors(node) if a.type in ("method_declaration", "lambda_expression")), None)
    if method is None:
        return False
    name = ts.text(method.child_by_field_name("name")) if method.type == "method_declaration" else ""
    params = method.child_by_field_name("parameters")
    if not (_FAILURE_PATH.search(name) or (params is not None and re.search(
            r"\b(Throwable|\w*Exception|AsyncResult|Failure)\b", ts.text(params)))):
        return False
    return any(n.type == "method_invocation" and not _NOT_RERUN.match(ts.text(n.child_by_field_name("name")))
               and not (ts.text(n.child_by_field_name("name")).startswith("get") and not arguments(n))
               and not re.search(r"(?i)\blog(ger)?\b", ts.text(n.child_by_field_name("object") or n))
               for n in ts.walk(consequence))


def _recursive_failover(jf: JavaFile) -> None:
    """``mono(f, candidates) { return candidates.get(0).get().flatMap(f).onErrorResume(pred, th -> { var rest =
    candidates.stream().skip(1).filter(..).toList(); .. return mono(f, rest); }); }``: a method that, on a failure,
    calls itself with the rest of its list of instances (failover: as many tries as instances, max_attempts null),
    from a catch or an error handler. Reported at the method's name."""
    seen: set[int] = set()
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if receiver is not None and ts.text(receiver) != "this":
            continue
        method = next((a for a in ts.ancestors(site.node) if a.type in ("method_declaration", "class_body")), None)
        if method is None or method.type != "method_declaration" or method.id in seen or _method_name(method) != site.name:
            continue
        params = [ts.text(p.child_by_field_name("name")) for p in (method.child_by_field_name("parameters").named_children
                                                                    if method.child_by_field_name("parameters") else [])
                  if p.type == "formal_parameter"]
        args = arguments(site.node)
        if len(args) != len(params):
            continue
        rest = False
        for index, arg in enumerate(args):
            text = ts.text(arg)
            if arg.type == "identifier":
                from extractors.java.syntax import local_initializer
                initializer = local_initializer(arg)
                text = ts.text(initializer) if initializer is not None else text
            if re.search(_REST_OF.format(re.escape(params[index])), text):
                rest = True
        if not rest:
            continue
        on_error = any(a.type == "catch_clause" for a in ts.ancestors(site.node) if jf.within(a, method)) or any(
            a.type == "method_invocation" and re.match(r"onError(Resume|Return|Continue)", ts.text(a.child_by_field_name("name")))
            for a in ts.ancestors(site.node) if jf.within(a, method))
        if not on_error:
            continue
        seen.add(method.id)
        body = method.child_by_field_name("body")
        target, target_pending = target_within(jf, body)
        name = method.child_by_field_name("name")
        jf.sink.add("retry", ts.location(name), ID,
                    {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "recursion",
                     "library": None, "failover": True},
                    jf.evidence(name), "medium", target, target_pending)


def _bumped_before(call: ts.Node, method: ts.Node, counter: str) -> bool:
    """``attempt++; .. return load(token, attempt);``: the counter raised by one before the self-call, in the
    block around it."""
    block = next((a for a in ts.ancestors(call) if a.type == "block"), None)
    if block is None or not method.start_byte <= block.start_byte:
        return False
    for node in ts.walk(block):
        if node.start_byte >= call.start_byte:
            break
        text = ts.text(node).replace(" ", "")
        if node.type == "update_expression" and text in (f"{counter}++", f"++{counter}"):
            return True
        if node.type == "assignment_expression" and text in (f"{counter}+=1", f"{counter}={counter}+1"):
            return True
    return False


def _reactive_resend(call: ts.Node, method: ts.Node) -> bool:
    """The self-call sits in the error/response branch of a reactive chain the method returns (``return
    next.exchange(req).flatMap(resp -> { if (resp.statusCode().value() == 401 && n < max) return
    resp.releaseBody().then(send(req, n + 1)); .. })``): the method sends again, later but for this call."""
    returns = [a for a in ts.ancestors(call) if a.type == "return_statement" and a.parent is not None
               and (a.parent == method.child_by_field_name("body"))]
    return bool(returns)


def _outer_argument(jf: JavaFile, name: str, arity: int, index: int, method: ts.Node):
    """The argument the file's first call from outside the method passes at ``index``, through a local set once
    before it (``int maxRetries = cfg.getMaxRetries() != null ? cfg.getMaxRetries() : 1;``)."""
    from extractors.java.syntax import local_initializer

    for site in jf.calls:
        if site.name != name or jf.within(site.node, method):
            continue
        args = arguments(site.node)
        if len(args) != arity:
            continue
        arg = args[index]
        if arg.type == "identifier":
            initializer = local_initializer(arg)
            if initializer is not None:
                return expr_of(initializer)
        return expr_of(arg)
    return None


def _start_value(jf: JavaFile, name: str, arity: int, index: int, method: ts.Node):
    """The number the file's first call from outside the method passes as the counter."""
    for site in jf.calls:
        if site.name != name or jf.within(site.node, method):
            continue
        args = arguments(site.node)
        if len(args) == arity and args[index].type == "decimal_integer_literal":
            return expr_of(args[index])
    return None


def _interceptor_resends(jf: JavaFile) -> None:
    by_scope: dict[int, list] = {}
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if site.name != "proceed" or receiver is None or "chain" not in ts.text(receiver).lower() \
                or not arguments(site.node):
            continue
        scope = None
        for parent in ts.ancestors(site.node):
            if parent.type in ("for_statement", "while_statement", "do_statement", "enhanced_for_statement"):
                break
            if parent.type in ("method_declaration", "lambda_expression"):
                scope = parent
                break
        if scope is not None:
            by_scope.setdefault(scope.id, []).append(site)
    for sites in by_scope.values():
        keys = [_request_key(arguments(s.node)[0], s.node) for s in sites]
        befores = [[j for j in range(i) if keys[j] == keys[i] and _runs_before(sites[j].node, sites[i].node)]
                   for i in range(len(sites))]
        for i, later in enumerate(sites):
            before = befores[i]
            if before and not any(i in later_before for later_before in befores[i + 1:]):
                # one finding per resend path, at its last send (3 tries: send, resend, resend)
                jf.sink.add("retry", name_location(later.node, later.name_node), ID,
                            {"max_attempts": len(before) + 1, "backoff": "none", "retry_on": None,
                             "mechanism": "interceptor", "library": "okhttp"}, jf.evidence(later.node), "medium")


def _request_key(arg: ts.Node, at: ts.Node) -> str:
    """Which request a ``proceed`` argument sends, following local variables back
    (``Request retried = original.newBuilder()...`` and ``Request original = chain.request()`` are both
    ``chain``); ``Api.refreshRequest(..)`` is another request."""
    scope = next((a for a in ts.ancestors(at) if a.type in ("method_declaration", "lambda_expression")), None)
    values: dict[str, str] = {}
    for node in ts.walk(scope) if scope is not None else ():
        if node.type == "variable_declarator" and node.start_byte < at.start_byte and node.child_by_field_name("value"):
            values.setdefault(ts.text(node.child_by_field_name("name")), ts.text(node.child_by_field_name("value")))
    return request_key(ts.text(arg), values)


def _runs_before(first: ts.Node, later: ts.Node) -> bool:
    statement = first
    while statement.parent is not None and statement.parent.type not in ("block", "lambda_expression"):
        statement = statement.parent
        if statement.type in ("return_statement", "throw_statement"):
            return False
    block = statement.parent
    return block is not None and block.start_byte <= later.start_byte and later.end_byte <= block.end_byte \
        and later.start_byte >= statement.end_byte


def _authenticators(jf: JavaFile) -> None:
    """``authenticate(Route, Response)`` methods and ``builder.authenticator((route, response) -> ..)``
    / ``proxyAuthenticator`` lambdas that return the request again with credentials."""
    if b"uthenticat" not in jf.data:
        return
    for node in ts.walk(jf.tree.root_node):
        if node.type == "method_declaration" and _method_name(node) == "authenticate":
            params, body, anchor = node.child_by_field_name("parameters"), node.child_by_field_name("body"), \
                node.child_by_field_name("name")
            if params is None or "Response" not in ts.text(params):
                continue
        elif node.type == "lambda_expression" and node.parent is not None and node.parent.type == "argument_list" \
                and node.parent.parent is not None and node.parent.parent.type == "method_invocation" \
                and ts.text(node.parent.parent.child_by_field_name("name")) in ("authenticator", "proxyAuthenticator"):
            params, body, anchor = node.child_by_field_name("parameters"), node.child_by_field_name("body"), node
        else:
            continue
        if body is None or ".newBuilder()" not in ts.text(body) or "request" not in ts.text(body):
            continue
        jf.sink.add("retry", ts.location(anchor) if anchor is not node else (ts.location(node)[0], ts.location(node)[1],
                                                                           ts.location(node)[0], ts.location(node)[1] + 1),
                    ID, {"max_attempts": None, "backoff": "none", "retry_on": ["407" if "roxy" in ts.text(node.parent)
                                                                              else "401"],
                         "mechanism": "interceptor", "library": "okhttp"}, jf.evidence(anchor), "medium")


def _work_manager(jf: JavaFile) -> None:
    """``Result.retry()`` in a WorkManager worker: bounded when the branch it sits in tests the run
    count (``if (getRunAttemptCount() < 3) return Result.retry();``, ``if (isLastRunAttempt()) fail;
    else retry`` with ``isLastRunAttempt()`` comparing it in the same class); unbounded when it answers
    a failure (a catch block, or the else of a branch that reports success); a reschedule (stopped,
    no network) otherwise, not reported."""
    for site in jf.calls:
        receiver = site.node.child_by_field_name("object")
        if site.name != "retry" or receiver is None or not ts.text(receiver).endswith("Result") \
                or arguments(site.node):
            continue
        found = None
        in_catch = False
        child = site.node
        for parent in ts.ancestors(site.node):
            if parent.type in ("method_declaration", "lambda_expression"):
                break
            if parent.type == "catch_clause":
                in_catch = True
            if parent.type in ("if_statement", "ternary_expression") and found is None:
                condition = parent.child_by_field_name("condition")
                alternative = parent.child_by_field_name("alternative")
                in_else = alternative is not None and jf.within(child, alternative)
                if condition is not None and not jf.within(child, condition):
                    found = _run_count_bound(jf, condition, negate=in_else)
            child = parent
        if found is not None:
            anchor, expr = found
            value = settle_count(expr)
            jf.sink.add("retry", ts.location(anchor), ID,
                        {"max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "workmanager"}, jf.evidence(anchor), "high" if value is not None else "medium",
                        None, () if value is not None else (Pending("max_attempts", expr, 1.0),))
        elif in_catch or _after_failed_work(jf, site.node):
            jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                        {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "workmanager"}, jf.evidence(site.node), "medium")


_FLIP = FLIPPED


def _after_failed_work(jf: JavaFile, node: ts.Node) -> bool:
    """``if (download()) return Result.success(); else return Result.retry();`` (or the ternary):
    the retry answers the work's failure."""
    child = node
    for parent in ts.ancestors(node):
        if parent.type in ("method_declaration", "lambda_expression"):
            return False
        if parent.type in ("if_statement", "ternary_expression"):
            consequence = parent.child_by_field_name("consequence")
            alternative = parent.child_by_field_name("alternative")
            if alternative is not None and consequence is not None and jf.within(child, alternative):
                return ".success(" in ts.text(consequence)
            return False
        child = parent
    return False


_RUN_COUNT = re.compile(r"(this\.)?(getRunAttemptCount\(\)|runAttemptCount)")


def _run_count_bound(jf: JavaFile, condition: ts.Node, negate: bool = False, depth: int = 0):
    """(anchor, total runs) from a condition on the run count that lets another run happen:
    ``getRunAttemptCount() < 3`` in the branch with the retry, ``>= 2`` in the other one; a call to
    a boolean method of the file is read through (one level)."""
    for node in ts.walk(condition):
        if node.type == "unary_expression" and ts.text(node).startswith("!"):
            inner = node.named_children[-1] if node.named_children else None
            found = _run_count_bound(jf, inner, not negate, depth) if inner is not None else None
            if found is not None:
                return found
        if node.type == "method_invocation" and depth == 0 and not arguments(node) \
                and node.child_by_field_name("object") is None:
            body = _returned_expression(jf, ts.text(node.child_by_field_name("name")))
            if body is not None:
                found = _run_count_bound(jf, body, negate, depth + 1)
                if found is not None:
                    return node, found[1]
        if node.type != "binary_expression":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = ts.text(node.child_by_field_name("operator"))
        if left is None or right is None or op not in _FLIP:
            continue
        if _RUN_COUNT.fullmatch(ts.text(right)):
            left, right, op = right, left, _FLIP[op]
        if not _RUN_COUNT.fullmatch(ts.text(left)):
            continue
        allows = op in ("<", "<=")
        if allows == negate:
            continue  # the retry is in the branch where no further run is allowed: not this bound
        return node, bound_of(op, expr_of(right))
    return None


def _returned_expression(jf: JavaFile, name: str) -> ts.Node | None:
    """The expression ``boolean name() { return <expr>; }`` of this file returns."""
    for node in ts.walk(jf.tree.root_node):
        if node.type == "method_declaration" and _method_name(node) == name:
            body = node.child_by_field_name("body")
            statements = [c for c in (body.named_children if body is not None else []) if c.type != "line_comment"]
            if len(statements) == 1 and statements[0].type == "return_statement" and statements[0].named_children:
                return statements[0].named_children[0]
    return None
