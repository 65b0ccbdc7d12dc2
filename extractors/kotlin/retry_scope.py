"""Where Kotlin code retries: ``repeat(n) { try ... }``, counted ``for``/``while`` loops with a
try, lambdas handed to a retry executor (``retry.executeSuspendFunction { }``), and functions
carrying ``@Retry``/``@Retryable``."""

from __future__ import annotations

import re

from contract_discovery.values import BinOp, Expr, Num, Ref, Unknown
from extractors import treesitter as ts
from extractors.java.jvm import ATTEMPT_NAME as _JVM_ATTEMPT_NAME

# `entries`, `countries`, `registries`: a lower-case letter before `tries` (other than `re`) is another word.
_NOT_TRIES = re.compile(r"(?<=[a-z])(?<!re)tries")


class _AttemptName:
    """The JVM pattern for a name counting attempts, without the words that merely end in `tries`
    (`for (file in jarFile.entries())` walks a jar, it does not try again)."""

    def search(self, text: str):
        return _JVM_ATTEMPT_NAME.search(_NOT_TRIES.sub("", text))


ATTEMPT_NAME = _AttemptName()
from extractors.kotlin.syntax import KCall, annotation_parts, expr_of, function_annotations

_EXECUTORS = {"executeSuspendFunction", "executeSupplier", "executeCallable", "executeRunnable",
              "decorateSuspendFunction", "decorateSupplier", "decorateCallable", "executeFunction", "execute"}


# Calls that catch what their block throws, as a try does.
_CATCHING = {"runCatching", "kotlin.runCatching", "Either.catch", "catching"}


def _has_try(body: ts.Node, catching: bool = False) -> bool:
    """A try in the body (not in a nested loop, class or function); with ``catching``, a
    ``runCatching { }`` too (the caller then asks for remote work: UI code wraps focus requests so)."""
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type == "try_expression":
            return True
        if catching and node.type == "call_expression" and node.named_children \
                and ts.text(node.named_children[0]) in _CATCHING:
            return True  # `runCatching { api.pull() }.fold(onSuccess = .., onFailure = { attempts++ })`
        if node.type in ("for_statement", "while_statement", "do_while_statement", "class_body",
                         "function_declaration") or (node.type == "call_expression" and _is_repeat(node)):
            continue
        stack.extend(node.named_children)
    return False


def _is_repeat(node: ts.Node) -> bool:
    head = node  # cheap test first: a receiver-less `repeat` call starts with the identifier `repeat`
    while head is not None and head.type == "call_expression":
        head = head.named_children[0] if head.named_children else None
    if head is None or head.type != "identifier" or head.text != b"repeat":
        return False
    call = KCall.of(node)
    return call is not None and call.name == "repeat" and call.receiver is None and call.lambda_ is not None


def repeat_retry(node: ts.Node) -> tuple[KCall, Expr] | None:
    """``repeat(3) { try { ... } catch ... }`` or ``repeat(3) { attempt -> ...; if (ok) return x;
    delay(..) }`` (an attempt-named counter and a return out of the function on success) ->
    (call, attempts)."""
    if node.type != "call_expression" or not _is_repeat(node):
        return None
    call = KCall.of(node)
    if call is None or not call.args or call.lambda_ is None:
        return None
    if not _has_try(call.lambda_) and not _attempts_until_success(call.lambda_) \
            and not _work_parameter_until_success(node, call.lambda_):
        return None
    if not _leaves_early(call.lambda_) and _batch_count(call.args[0]):
        return None  # round 20 (monitorfish): `repeat(props.batchSize) { try { send(newMessage()) } catch .. }`: a batch
    return call, expr_of(call.args[0])


def _batch_count(arg: ts.Node) -> bool:
    """A ``repeat`` count that is no number of tries: a name (``props.producer.batchSize``, ``count``) that
    says nothing of attempts, retries or times; a literal (``repeat(3)``) may be either."""
    text = ts.text(arg).strip()
    if re.fullmatch(r"[0-9_]+[lL]?", text):
        return False
    return not ATTEMPT_NAME.search(text) and not re.search(r"(?i)times|max", text)


def _leaves_early(lam: ts.Node) -> bool:
    """Whether a ``repeat`` body can end its turns before the last one on success: a ``return`` (out of
    the function, or ``return@label`` out of an enclosing lambda or of this turn guarded by a flag), a
    ``throw`` out of a catch's last turn counts too. A body with none of them makes every turn
    whatever the outcome: a batch of calls, not a retry."""
    for node in ts.walk(lam):
        if node.type in ("jump_expression", "return_expression"):
            text = ts.text(node)
            if text.startswith(("return", "break", "throw")):
                return True
    return False


def attempts_only(node: ts.Node) -> bool:
    """A ``repeat`` retry found by its attempt counter and success return alone (no try)."""
    call = KCall.of(node)
    return call is not None and call.lambda_ is not None and not _has_try(call.lambda_)


_PAUSE_CALL = re.compile(r"^(?:delay|sleep|Thread\.sleep|TimeUnit\.\w+\.sleep)$")


def _work_parameter_until_success(node: ts.Node, lam: ts.Node) -> bool:
    """Round 21 (mulighetsrommet): a retry helper running its caller's work again (``suspend fun <T> retry(times: Int
    = 10, .., block: suspend () -> T): T { repeat(times - 1) { val result = block(); if (!condition(result)) return
    result; delay(delayMs) }; return block() }``): the turn invokes a function-typed parameter of the function around
    it, returns out of that function (success) and pauses before the next turn."""
    fn = next((a for a in ts.ancestors(node) if a.type == "function_declaration"), None)
    params = next((c for c in fn.named_children if c.type == "function_value_parameters"), None) if fn else None
    work = set()
    for param in (params.named_children if params is not None else ()):
        if param.type != "parameter":
            continue
        ident = next((c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
        typ = next((c for c in param.named_children if c.type == "function_type"
                    or c.type == "user_type" and False), None)
        declared = ts.text(param).split(":", 1)[-1].split("=", 1)[0].strip()
        if ident is not None and (typ is not None or "->" in declared) \
                and not re.search(r"->\s*(?:Boolean|Unit)\??\s*\)?\??$", declared):
            work.add(ts.text(ident))  # (a predicate, `check: () -> Boolean`, is polled, not retried)
    if not work:
        return False
    invoked = paused = returned = False
    for sub in ts.walk(lam):
        if sub.type == "call_expression":
            callee = sub.named_children[0] if sub.named_children else None
            name = ts.text(callee) if callee is not None else ""
            if name in work:
                invoked = True
            elif _PAUSE_CALL.match(name):
                paused = True
        elif sub.type in ("jump_expression", "return_expression") and ts.text(sub).startswith("return") \
                and not ts.text(sub).startswith("return@") and ts.text(sub).strip() != "return":
            returned = True  # the work's value handed back on success
    return invoked and paused and returned


def _attempts_until_success(lam: ts.Node) -> bool:
    params = next((c for c in lam.named_children if c.type == "lambda_parameters"), None)
    names = [ts.text(p).split(":")[0].strip() for p in params.named_children] if params is not None else []
    if not names or not ATTEMPT_NAME.search(names[0]):
        return False
    for node in ts.walk(lam):
        if node.type in ("jump_expression", "return_expression") and ts.text(node).startswith("return") \
                and not ts.text(node).startswith("return@"):
            return True
    return False


def _loop_body(loop: ts.Node) -> ts.Node | None:
    return next((c for c in reversed(loop.named_children) if c.type in ("block", "control_structure_body")), None)


# What a failover loop walks: the instances/addresses of one service, tried in turn.
_INSTANCES = re.compile(r"(servers?|services?|hosts?|endpoints?|instances?|urls?|uris?|nodes?|replicas?|"
                        r"addresses|brokers?|mirrors?|backends?|upstreams?)$", re.IGNORECASE)


def is_failover_loop(loop: ts.Node) -> bool:
    """``for (address in inetAddresses) { try { return connect(address) } catch (e: IOException) { .. } }``:
    the same request tried on each instance until one answers (the try returns on success and a
    catch moves on). A loop over items whose try does not return is not one."""
    if loop.type != "for_statement":
        return False
    body = _loop_body(loop)
    header = [c for c in loop.named_children if c is not body]
    names = [ts.text(c).rsplit(".", 1)[-1].rstrip("()") for c in header]
    if body is None or not any(_INSTANCES.search(n) for n in names if n):
        return False
    for node in ts.walk(body):
        if node.type != "try_expression":
            continue
        block = next((c for c in node.named_children if c.type == "block"), None)
        catches = [c for c in node.named_children if c.type == "catch_block"]
        if block is None or not catches or not _returns_from(block):
            continue
        if any(not _ends_in_throw(c) for c in catches):
            return True
    return False


def _returns_from(block: ts.Node) -> bool:
    stack = list(block.named_children)
    while stack:
        node = stack.pop()
        if node.type in ("return_expression", "jump_expression") and ts.text(node).startswith("return") \
                and not ts.text(node).startswith("return@"):
            return True
        if node.type not in ("lambda_literal", "function_declaration", "class_body", "for_statement",
                             "while_statement", "do_while_statement"):
            stack.extend(node.named_children)
    return False


def _ends_in_throw(catch: ts.Node) -> bool:
    block = next((c for c in catch.named_children if c.type == "block"), None)
    statements = block.named_children if block is not None else []
    return bool(statements) and ts.text(statements[-1]).startswith(("throw", "return"))


def is_retry_loop(loop: ts.Node) -> bool:
    if is_failover_loop(loop):
        return True
    if loop.type not in ("for_statement", "while_statement", "do_while_statement"):
        return False
    body = _loop_body(loop)
    if body is None:
        return False
    if loop.type == "while_statement" and backoff_wait(body) and _exits(body, plain=True):
        return True
    if loop.type == "while_statement" and budgeted_backoff(body):
        return True
    if loop.type == "while_statement" and _catch_backoff(body):
        return True
    if _endless_with_give_up(loop, body) is not None or _endless_with_flag(loop, body) is not None:
        return True
    if _counted_endless(loop, body) is not None:
        return True
    if loop.type == "while_statement" and _until_assigned(loop, body):
        return True
    if loop.type == "while_statement" and _throttled_again(loop, body):
        return True
    header = [ts.text(n) for c in loop.named_children if c is not body for n in ts.walk(c) if n.type == "identifier"]
    if not any(ATTEMPT_NAME.search(name) for name in header):
        return _counted_try_until_success(loop, body)
    if _new_input_each_turn(loop, body):
        return False
    return _has_try(body, catching=True) or (_exits(body) and _waits(body)) or _until_usable(loop) \
        or _breaks_on_success(body)


# an answer that asks the caller to come back later: HTTP 429 / 503 by name or number, a rate limit
_THROTTLED = re.compile(r"TooManyRequests|ServiceUnavailable|\b(429|503)\b|[rR]ate[_]?[lL]imit|retry[_-]?[aA]fter",
                        re.IGNORECASE)


def _throttled_again(loop: ts.Node, body: ts.Node) -> bool:
    """Round 17 (round-16 request, cozy-discord): ``while (true) { val response = client.get(url); if
    (response.status == HttpStatusCode.TooManyRequests) { delay(wait) } else { return response } }``: an endless
    loop that waits out a throttled answer and asks again, leaving with the answer otherwise (no count: unbounded).
    The caller checks that the turn does remote work."""
    cond = next((c for c in loop.named_children if c is not body), None)
    if cond is None or ts.text(cond).strip("() ") != "true" or not _exits(body, plain=True):
        return False
    for node in ts.walk(body):
        if node.type != "if_expression" or not node.named_children:
            continue
        if not _THROTTLED.search(ts.text(node.named_children[0])):
            continue
        then = node.named_children[1] if len(node.named_children) > 1 else None
        if then is not None and _waits(then) and not _exits(then):
            return True
    return False


_SUCCESS_TEST = re.compile(r"\.(isSuccessful|isSuccess|successful|is2xxSuccessful|ok)\b|\bstatus(Code)?\s*==\s*"
                           r"(200|201|202|204|HttpStatus\w*\.OK|Status\.OK)\b")


def _breaks_on_success(body: ts.Node) -> bool:
    """Round 16 (round-15 request, sf-henvendelse-api-proxy): a counted loop without try/catch whose turn makes
    a call into a variable and leaves on its success (``while (retryCount <= maxRetries) { response =
    client(request); if (response.status.successful) break; retryCount++ }``): a failed answer is asked
    again. The loop's header names the attempt counter (checked by the caller); the caller checks remote work."""
    assigned = set()
    for node in ts.walk(body):
        if node.type in ("assignment", "property_declaration") and len(node.named_children) >= 2 \
                and node.named_children[-1].type == "call_expression":
            target = node.named_children[0]
            assigned.add(ts.text(next((c for c in ts.walk(target) if c.type == "identifier"), target)))
    if not assigned:
        return False
    for node in ts.walk(body):
        if node.type != "if_expression" or not node.named_children:
            continue
        cond = ts.text(node.named_children[0])
        if not _SUCCESS_TEST.search(cond) or not any(re.search(r"\b" + re.escape(v) + r"\b", cond) for v in assigned):
            continue
        rest = node.named_children[1:]
        if any(_exits(r) for r in rest[:1]):
            return True
    return False


_UNTIL_NULL = re.compile(r"^\(?\s*([a-z]\w*)\s*==\s*null\s*\)?$")


def _until_assigned(loop: ts.Node, body: ts.Node) -> bool:
    """Round 14 (FaucETH): ``while (nonce == null) { try { nonce = rpc.getTransactionCount(a) } catch (e: X)
    { log(..) }; delay(1000) }``: the loop asks again, after a pause, until the call in its try has answered
    (the condition tests that the try's assignment happened; a catch that does not leave lets the next turn
    come). A retry with no bound; the caller checks that the call is remote work. A loop whose condition
    tests a state other than the try's own answer is a poll, not this."""
    cond = next((c for c in loop.named_children if c is not body and c.type not in ("block", "control_structure_body")),
                None)
    m = _UNTIL_NULL.match(ts.text(cond).strip()) if cond is not None else None
    if m is None or not _waits(body):
        return False
    var = m.group(1)
    tries = [n for n in body.named_children if n.type == "try_expression"]
    if len(tries) != 1:
        return False
    block = next((c for c in tries[0].named_children if c.type == "block"), None)
    catches = [c for c in tries[0].named_children if c.type == "catch_block"]
    if block is None or not catches or any(_gives_up(c) for c in catches):
        return False
    return any(n.type == "assignment" and len(n.named_children) >= 2 and ts.text(n.named_children[0]).strip() == var
               and n.named_children[-1].type == "call_expression" for n in block.named_children)


def until_assigned_loop(loop: ts.Node) -> bool:
    body = _loop_body(loop)
    return loop.type == "while_statement" and body is not None and _until_assigned(loop, body)


def _until_usable(loop: ts.Node) -> bool:
    """``while (tries++ <= retryLimit && title.isEmpty()) { title = fetch() }``: a counted loop that asks
    again while the answer is not usable yet (the condition tests the counter and the result); the caller
    checks that the body does remote work."""
    if loop.type not in ("while_statement", "do_while_statement"):
        return False
    body = _loop_body(loop)
    cond = next((c for c in loop.named_children if c is not body and c.type not in ("block", "control_structure_body")),
                None)
    parts = _conjuncts(cond)
    counted = [p for p in parts if _counter_name(p) is not None and ATTEMPT_NAME.search(_counter_name(p))
               and _counter_bound(loop, p) is not None]
    if not (len(parts) >= 2 and counted and any(_NO_RESULT.search(ts.text(p)) for p in parts if p not in counted)):
        return False
    # `offset += PAGE` handed to the next call: each turn asks for another page, not the same thing again
    counter = _counter_name(counted[0])
    stepped = {ts.text(n.named_children[0]) for n in ts.walk(body) if n.type == "assignment" and n.named_children
               and any(c.type in ("+=", "-=") for c in n.children)}
    stepped |= {ts.text(n.named_children[0]) for n in ts.walk(body) if n.type in ("postfix_expression",
                "unary_expression") and n.named_child_count == 1 and ts.text(n).endswith(("++", "--"))}
    stepped.discard(counter or "")
    arguments = {ts.text(a) for n in ts.walk(body) if n.type == "value_argument" for a in n.named_children
                 if a.type == "identifier"}
    return not (stepped & arguments)


# the answer is not there yet (empty, null): asked again; a comparison with a target state (`revision <
# newRevision`) is a poll for the callee to catch up, not a retry
_NO_RESULT = re.compile(r"\.isEmpty\(\)|\.isNullOrEmpty\(\)|\.isNullOrBlank\(\)|\.isBlank\(\)|==\s*null\b|"
                        r"!\s*\w+(\.\w+)*\.isNotEmpty\(\)|\.size\s*<|"
                        # a failed answer (`!response.isSuccessful`, `result.isFailure`): asked again
                        r"!\s*\w+(\.\w+)*\.isSuccess(ful)?\b|\.isFailure\b")


_PACING = re.compile(r"delay|backoff|sleep|wait|log|jitter|pow|format|toString|min|max|coerce", re.IGNORECASE)


def _new_input_each_turn(loop: ts.Node, body: ts.Node) -> bool:
    """``for (attempt in 0..5) { val name = memberName(displayName, attempt); try { put(name) } ... }``:
    each turn derives a new input from the counter (another name after a conflict), so the turns are
    different requests, not the same one again. A wait or a log line computed from it is not that."""
    named = [c for c in loop.named_children if c is not body]
    var = next((ts.text(n) for n in ts.walk(named[0]) if n.type == "identifier"), None) if named else None
    if var is None or loop.type != "for_statement":
        return False
    for prop in (n for n in ts.walk(body) if n.type == "property_declaration"):
        value = prop.named_children[-1] if prop.named_children else None
        if value is None or value.type != "call_expression" or not value.named_children:
            continue
        callee = ts.text(value.named_children[0])
        args = next((c for c in value.named_children if c.type == "value_arguments"), None)
        if args is None or _PACING.search(callee):
            continue
        if any(a.type == "value_argument" and ts.text(a).strip() == var for a in args.named_children):
            return True
    return False


def _counted_endless(loop: ts.Node, body: ts.Node) -> str | None:
    """``while (true) { sourceAttempts++; val outcome = attempt(); if (failed && next != null) { continue };
    return outcome }``: an endless loop that counts its attempts (a counter named for them grown at the top
    level of the body), goes round again with ``continue`` and leaves with ``return``: the counter's name."""
    if loop.type != "while_statement":
        return None
    named = [c for c in loop.named_children if c is not body]
    if not named or ts.text(named[0]).strip("() ") != "true":
        return None
    counter = None
    for stmt in body.named_children:
        text = ts.text(stmt).replace(" ", "")
        m = re.fullmatch(r"(\+\+)?([A-Za-z_]\w*)(\+\+)?|([A-Za-z_]\w*)\+=1", text)
        name = m and (m.group(2) if (m.group(1) or m.group(3)) else m.group(4))
        if name and ATTEMPT_NAME.search(name):
            counter = name
            break
    if counter is None:
        return None
    walk = list(ts.walk(body))
    goes_on = any(n.type == "jump_expression" and ts.text(n) == "continue" or
                  n.type == "identifier" and ts.text(n) == "continue" for n in walk)
    leaves = any(n.type in ("jump_expression", "return_expression") and ts.text(n).startswith("return")
                 and not ts.text(n).startswith("return@") for n in walk)
    return counter if goes_on and leaves else None


def counted_endless_bound(loop: ts.Node, source: bytes) -> Expr | None:
    """The bound of a counted endless loop's counter, wherever the file compares it
    (``sourceAttempts < MAX_API_SOURCE_ATTEMPTS`` in the helper that decides on another try): the
    counter is grown before each attempt, so ``< n`` allows n attempts, ``<= n`` n + 1."""
    body = _loop_body(loop)
    counter = _counted_endless(loop, body) if body is not None else None
    if counter is None:
        return None
    m = re.search(rb"\b" + re.escape(counter.encode()) + rb"\s*(<=?)\s*([A-Za-z_][\w.]*|\d+)", source)
    if m is None:
        return None
    bound = m.group(2).decode()
    expr = Num(int(bound)) if bound.isdigit() else Ref(bound)
    return BinOp("+", expr, Num(1)) if m.group(1) == b"<=" else expr


def _endless_with_give_up(loop: ts.Node, body: ts.Node) -> Expr | None:
    """``var attempt = 0; while (true) { try { return block() } catch (e: Exception) { if (attempt >=
    retries) throw e; attempt++ } }``: a loop left on success, whose catch gives up (throws) once a
    counter of failures from 0 reaches a bound -> the tries (``>=``: bound + 1, ``>``: bound + 2)."""
    if loop.type != "while_statement":
        return None
    named = [c for c in loop.named_children if c is not body]
    if not named or ts.text(named[0]).strip("() ") != "true":
        return None
    tries = [n for n in body.named_children if n.type == "try_expression"]
    if len(tries) != 1:
        return None
    block = next((c for c in tries[0].named_children if c.type == "block"), None)
    if block is None or not any(n.type in ("jump_expression", "return_expression") and ts.text(n).startswith("return")
                                and not ts.text(n).startswith("return@") for n in ts.walk(block)):
        return None
    for catch in (c for c in tries[0].named_children if c.type == "catch_block"):
        for node in ts.walk(catch):
            if node.type != "if_expression" or not node.named_children:
                continue
            cond = node.named_children[0]
            if cond.type != "binary_expression" or len(cond.named_children) != 2:
                continue
            left, right = cond.named_children
            op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
            branch = ts.text(node)[cond.end_byte - node.start_byte:]
            if op not in (">=", ">") or left.type != "identifier" or "throw" not in branch:
                continue
            counter = ts.text(left)
            if not re.search(r"\b" + re.escape(counter) + r"\s*(\+\+|\+=\s*1)|\+\+\s*" + re.escape(counter), ts.text(catch)):
                continue
            if _declared_before(loop, counter) not in (Num(0), Num(0.0)):
                continue
            bound = expr_of(right)
            if isinstance(bound, Unknown):
                return None
            return BinOp("+", bound, Num(1.0 if op == ">=" else 2.0))
    return None


def _endless_with_flag(loop: ts.Node, body: ts.Node) -> Expr | None:
    """Round 13 (opensearch cross-cluster-replication): ``var canRetry = true; while (true) { try { add(); break }
    catch (e: AlreadyExists) { if (canRetry) { canRetry = false; clearStale() } else { throw e } } }``: a loop
    left on success whose catch goes round once more while a Boolean flag allows it, turning the flag off
    (``if (!retried) { retried = true } else throw e`` likewise): two tries."""
    if loop.type != "while_statement":
        return None
    named = [c for c in loop.named_children if c is not body]
    if not named or ts.text(named[0]).strip("() ") != "true":
        return None
    tries = [n for n in body.named_children if n.type == "try_expression"]
    if len(tries) != 1:
        return None
    block = next((c for c in tries[0].named_children if c.type == "block"), None)
    if block is None or not any((n.type in ("jump_expression", "return_expression") or n.type == "identifier"
                                 and ts.text(n) == "break") and ts.text(n).startswith(("break", "return"))
                                and not ts.text(n).startswith(("return@", "break@")) for n in ts.walk(block)):
        return None
    for catch in (c for c in tries[0].named_children if c.type == "catch_block"):
        for node in ts.walk(catch):
            if node.type != "if_expression" or not node.named_children:
                continue
            cond = ts.text(node.named_children[0]).strip("() ")
            negated = cond.startswith("!")
            flag = cond.lstrip("!").strip()
            if not re.fullmatch(r"[A-Za-z_]\w*", flag):
                continue
            initial = _declared_text_before(loop, flag)
            if initial != ("false" if negated else "true"):
                continue
            branches = [c for c in node.named_children[1:] if c.type in ("control_structure_body", "block")]
            if len(branches) != 2:
                continue
            turned = "true" if negated else "false"
            if not re.search(r"\b" + re.escape(flag) + r"\s*=\s*" + turned + r"\b", ts.text(branches[0])) \
                    or not any(n.type == "throw_expression" for n in ts.walk(branches[1])):
                continue
            return Num(2.0)
    return None


def _declared_text_before(loop: ts.Node, name: str) -> str | None:
    """The initializer text of ``var name = ..`` declared before the loop in the same block."""
    block = loop.parent
    if block is None:
        return None
    for child in block.named_children:
        if child.start_byte >= loop.start_byte:
            break
        if child.type == "property_declaration":
            decl = next((c for c in child.named_children if c.type == "variable_declaration"), None)
            if decl is not None and ts.text(decl).split(":")[0].strip() == name:
                return ts.text(child.named_children[-1]).strip()
    return None


def _counted_try_until_success(loop: ts.Node, body: ts.Node) -> bool:
    """``for (it in 1..maxRepeats) { try { return fn() } catch (e: Exception) { last = e } }``: a
    counted loop whose variable the body never reads, around a try that leaves on success and a
    catch that lets the next turn come (the same work again, not the next item)."""
    if loop.type != "for_statement":
        return False
    named = [c for c in loop.named_children if c is not body]
    if len(named) < 2 or not (named[-1].type == "range_expression" or named[-1].type == "infix_expression"
                              and len(named[-1].named_children) == 3
                              and ts.text(named[-1].named_children[1]) in ("until", "downTo")):
        return False
    var = next((ts.text(n) for n in ts.walk(named[0]) if n.type == "identifier"), None)
    if var is None or any(n.type == "identifier" and ts.text(n) == var for n in ts.walk(body)):
        return False
    tries = [n for n in body.named_children if n.type == "try_expression"]
    if len(tries) != 1:
        return False
    attempt = tries[0]
    block = next((c for c in attempt.named_children if c.type == "block"), None)
    catches = [c for c in attempt.named_children if c.type == "catch_block"]
    if block is None or not catches:
        return False
    succeeds = any(n.type in ("jump_expression", "return_expression") and ts.text(n).startswith(("return", "break"))
                   and not ts.text(n).startswith(("return@", "break@")) for n in ts.walk(block))
    # a catch that always throws ends the loop at the first failure: no retry
    throws_always = all(any(s.type in ("throw_expression", "jump_expression") and ts.text(s).startswith("throw")
                            for s in (c.named_children[-1].named_children if c.named_children else ()))
                        and not any(n.type == "if_expression" or n.type == "when_expression" for n in ts.walk(c))
                        for c in catches)
    return succeeds and not throws_always


def retry_loop_without_try(loop: ts.Node) -> bool:
    """A counted loop taken for a retry by its exit and its pause alone (no try, no backoff): the
    caller checks that it does remote work (a counted poll of the app's own database is not one)."""
    body = _loop_body(loop)
    return body is not None and not _has_try(body) and not is_failover_loop(loop) \
        and not (loop.type == "while_statement" and backoff_wait(body))


_WAIT = re.compile(r"^(delay|sleep|Thread\.sleep|SystemClock\.sleep|TimeUnit\.\w+\.sleep)$")


def _waits(body: ts.Node) -> bool:
    """A pause between tries in the body: ``delay(..)``, ``Thread.sleep(..)``."""
    return any(node.type == "call_expression" and node.named_children
               and _WAIT.match(ts.text(node.named_children[0]).replace(" ", ""))
               for node in ts.walk(body))


def _exits(body: ts.Node, plain: bool = False) -> bool:
    """A ``return`` (out of the function, or of the lambda around the loop) or ``break`` in the body;
    with ``plain``, only an unlabelled one (``return@launch`` in an error branch gives up instead)."""
    return any(node.type in ("jump_expression", "return_expression")
               and (ts.text(node).startswith(("return", "break")))
               and not (plain and ts.text(node).startswith(("return@", "break@")))
               or node.type == "identifier" and ts.text(node) == "break"  # `if (done) break` parses so
               for node in ts.walk(body))


def backoff_wait(body: ts.Node) -> bool:
    """``delay(retryDelay)`` / ``delay(backoff)``, or a pause whose length the body doubles
    (``wait = (wait * 2).coerceAtMost(MAX)``): waiting out a failure before trying again, not a
    poll's fixed interval."""
    for node in body.named_children:  # a statement of the loop itself, not an error path's pause
        while node.type in ("statement", "expression_statement") and node.named_children:
            node = node.named_children[0]
        if node.type != "call_expression" or not node.named_children \
                or not _WAIT.match(ts.text(node.named_children[0]).replace(" ", "")):
            continue
        args = [a for a in ts.walk(node) if a.type == "value_argument"]
        if not args:
            continue
        arg = ts.text(args[0])
        if re.search(r"retr|backoff", arg, re.IGNORECASE):
            return True
        if re.fullmatch(r"[A-Za-z_]\w*", arg) and re.search(
                r"\b" + re.escape(arg) + r"\s*(=\s*\(?\s*" + re.escape(arg) + r"\s*(\*\s*2\b|shl)|\*=\s*2\b)",
                ts.text(body)):
            return True
    return False


def _catch_backoff(body: ts.Node) -> bool:
    """``while (isActive) { try { subscribe() } catch (e: IOException) { delay(retrySeconds * 1000L) } }``: a
    failure caught in the loop's own try is waited out with a pause named for retrying, and the loop goes
    round to call again (a reconnect loop). A catch that leaves the loop (``break``/``return``) is not one,
    nor a consumer that takes the next item each turn (``val batch = events.receive()``)."""
    for stmt in body.named_children:
        if stmt.type == "property_declaration" and _TAKES_NEXT.search(ts.text(stmt)):
            return False
    for node in ts.walk(body):
        if node.type in ("for_statement", "while_statement", "do_while_statement", "lambda_literal",
                         "function_declaration") and node is not body:
            continue
        if node.type != "catch_block":
            continue
        if any(a.type in ("for_statement", "while_statement", "do_while_statement", "lambda_literal")
               for a in ts.ancestors(node) if a.start_byte > body.start_byte and a.end_byte <= body.end_byte):
            continue  # a catch of an inner loop or lambda
        if _gives_up(node):
            continue
        for call in ts.walk(node):
            if call.type == "call_expression" and call.named_children \
                    and _WAIT.match(ts.text(call.named_children[0]).replace(" ", "")):
                args = [a for a in ts.walk(call) if a.type == "value_argument"]
                if not args:
                    continue
                text = ts.text(args[0])
                # the pause's own name, or the local val it was computed into (`val wait = RETRY_SECONDS[n]`)
                for ident in (n for n in ts.walk(args[0]) if n.type == "identifier"):
                    for prop in (p for p in ts.walk(node) if p.type == "property_declaration"):
                        decl = next((c for c in prop.named_children if c.type == "variable_declaration"), None)
                        if decl is not None and ts.text(decl).split(":")[0].strip() == ts.text(ident):
                            text += " " + ts.text(prop)
                if re.search(r"retr|backoff|reconnect", text, re.IGNORECASE):
                    return True
    return False


_STOPPING = re.compile(r"isActive|cancel|closed|stopp|shutdown|running", re.IGNORECASE)


def _gives_up(catch: ts.Node) -> bool:
    """A ``break`` / ``return`` in a catch, other than one taken when the loop is being stopped
    (``if (!isActive) break``): the failure ends the loop instead of trying again."""
    for node in ts.walk(catch):
        if not (node.type in ("jump_expression", "return_expression") and ts.text(node).startswith(("return", "break"))
                or node.type == "identifier" and ts.text(node) == "break"):
            continue
        guard = next((a for a in ts.ancestors(node) if a.type == "if_expression"), None)
        if guard is not None and guard.start_byte >= catch.start_byte and guard.named_children \
                and _STOPPING.search(ts.text(guard.named_children[0])):
            continue
        return True
    return False


_TAKES_NEXT = re.compile(r"\b(receive\w*|poll|take|next|dequeue|consume\w*|pop|read\w*)\s*\(", re.IGNORECASE)


_WAIT_NAME = re.compile(r"retr|backoff|wait|delay", re.IGNORECASE)
_BUDGET_NAME = re.compile(r"retr|attempt|tries", re.IGNORECASE)


def budgeted_backoff(body: ts.Node) -> bool:
    """A send loop that re-queues what failed and tries it again later: the pause doubles
    (``retryWait * 2``) and is waited out (``delay(retryWait)``, ``resendDelayWait(retryWait)``),
    and a budget of tries is tested (``if (retriesToGo <= 0) drop``). A loop with only a fixed
    pause, or with no budget, is a poll or a consumer, not a retry."""
    text = ts.text(body)
    doubled = {m.group(1) for m in re.finditer(r"\b([A-Za-z_]\w*)\s*(?:\)\s*)?(?:\*\s*2\b|shl\s+1\b|\*=\s*2\b)", text)}
    doubled = {name for name in doubled if _WAIT_NAME.search(name)}
    if not doubled:
        return False
    waited = False
    for node in ts.walk(body):
        if node.type != "call_expression" or not node.named_children:
            continue
        callee = ts.text(node.named_children[0]).replace(" ", "").rsplit(".", 1)[-1]
        if not (_WAIT.match(callee) or re.search(r"delay|sleep|wait|pause|backoff", callee, re.IGNORECASE)):
            continue
        args = [a for a in ts.walk(node) if a.type == "value_argument"]
        if args and ts.text(args[0]).strip() in doubled:
            waited = True
            break
    if not waited:
        return False
    for node in ts.walk(body):
        if node.type in ("comparison_expression", "binary_expression") and node.named_child_count == 2:
            left, right = node.named_children
            op = text[left.end_byte - body.start_byte:right.start_byte - body.start_byte].strip()
            if op in ("<", "<=", ">", ">=") and (left.type == "identifier" and _BUDGET_NAME.search(ts.text(left))
                                                  or right.type == "identifier" and _BUDGET_NAME.search(ts.text(right))):
                return True
    return False


def loop_attempts(loop: ts.Node) -> Expr | None:
    """``for (attempt in 1..3)`` -> 3; ``0 until n`` -> n; ``while (attempt < 3)`` -> 3; a failover
    loop over instances: as many tries as instances (None)."""
    if is_failover_loop(loop):
        return None
    body = _loop_body(loop)
    endless = _endless_with_give_up(loop, body) if body is not None else None
    if endless is None and body is not None:
        endless = _endless_with_flag(loop, body)
    if endless is not None:
        return endless
    named = [c for c in loop.named_children if c.type not in ("block", "control_structure_body")]
    if loop.type == "for_statement" and len(named) >= 2:
        it = named[-1]
        if it.type == "range_expression" and len(it.named_children) == 2:
            lo, hi = (expr_of(c) for c in it.named_children)
            if isinstance(lo, Unknown) or isinstance(hi, Unknown):
                return None
            if isinstance(lo, Num) and isinstance(lo.value, (int, float)):
                # `1..n` is n tries, `0..n` n + 1 (kept a name plus a number: a helper's bound)
                extra = 1 - float(lo.value)
                return hi if extra == 0 else BinOp("+" if extra > 0 else "-", hi, Num(abs(extra)))
            return BinOp("+", BinOp("-", hi, lo), Num(1))
        if it.type == "infix_expression" and len(it.named_children) == 3 and ts.text(it.named_children[1]) == "until":
            lo, hi = expr_of(it.named_children[0]), expr_of(it.named_children[2])
            if isinstance(lo, Unknown) or isinstance(hi, Unknown):
                return None
            return BinOp("-", hi, lo) if lo != Num(0) else hi
        return None
    if loop.type in ("while_statement", "do_while_statement"):
        cond = loop.child_by_field_name("condition") or (named[0] if named else None)
        if loop.type == "do_while_statement":
            cond = next((c for c in loop.named_children if c.type not in ("block", "control_structure_body")
                         and c.type != "statements"), None)
        parts = _conjuncts(cond)
        if len(parts) > 1:  # `revision < newRevision && retry < max`: the comparison of the attempts counter
            counted = [p for p in parts if _counter_name(p) is not None and ATTEMPT_NAME.search(_counter_name(p))]
            # round 18 (sykmeldinger-backend): `while (!connected && current++ < retries)`: a counter of any name
            # read against a bound named for the tries
            parts = counted or [p for p in parts if _counter_name(p) is not None and _bound_name(p) is not None
                                and ATTEMPT_NAME.search(_bound_name(p))]
        for part in parts:
            found = _counter_bound(loop, part)
            if found is not None:
                return found
    return None


def _counter_name(cond: ts.Node) -> str | None:
    left = cond.child_by_field_name("left") or (cond.named_children[0] if cond.named_children else None)
    if left is not None and left.type in ("postfix_expression", "unary_expression") and left.named_child_count == 1:
        left = left.named_children[0]
    return ts.text(left) if left is not None and left.type == "identifier" else None


def _bound_name(cond: ts.Node) -> str | None:
    """The name a comparison's counter is held under (``current++ < retries`` -> ``retries``)."""
    if cond.type not in ("comparison_expression", "binary_expression") or len(cond.named_children) != 2:
        return None
    right = cond.child_by_field_name("right") or cond.named_children[1]
    return ts.text(right) if right.type in ("identifier", "navigation_expression") else None


def _conjuncts(cond: ts.Node | None) -> list[ts.Node]:
    """``a < n && ok.isEmpty()`` -> [``a < n``, ``ok.isEmpty()``] (a loop left early on success)."""
    if cond is None:
        return []
    while cond.type == "parenthesized_expression" and cond.named_children:
        cond = cond.named_children[0]
    if cond.type == "conjunction_expression" or (cond.type == "binary_expression" and any(
            c.type == "&&" for c in cond.children)):
        return [p for c in cond.named_children for p in _conjuncts(c)]
    return [cond]


def _counter_bound(loop: ts.Node, cond: ts.Node) -> Expr | None:
    """``attempt < 3`` -> 3; ``tries++ < 5`` (read, then counted) -> 5; ``tries++ <= limit`` -> limit + 1;
    in a do-while the body runs once before the first test: one more."""
    if cond.type not in ("comparison_expression", "binary_expression"):
        return None
    left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
    if (left is None or right is None) and len(cond.named_children) == 2:
        left, right = cond.named_children
    if left is None or right is None:
        return None
    op = ts.text(cond)[left.end_byte - cond.start_byte:right.start_byte - cond.start_byte].strip()
    if op not in ("<", "<="):
        return None
    post = left.type in ("postfix_expression", "unary_expression") and ts.text(left).endswith("++") \
        and not ts.text(left).startswith("++") and left.named_child_count == 1
    counter = left.named_children[0] if post else left
    pre = False
    if not post and left.type in ("prefix_expression", "unary_expression") and ts.text(left).startswith("++") \
            and left.named_child_count == 1:
        # round 16 (round-15 request, bot-russian-consulate): `do { .. } while (++invocationNumber < maxAttempts)`
        # counts first, then compares
        counter, pre = left.named_children[0], True
    atomic = _atomic_step(left)
    if atomic is not None:
        # round 14 (currency-service): `while (attempt.getAndIncrement() <= n)` on an AtomicInteger reads then
        # counts, as `attempt++`; `attempt.incrementAndGet() <= n` counts first, as `++attempt`
        counter, post, pre = atomic[0], atomic[1] == "getAndIncrement", atomic[1] == "incrementAndGet"
    if counter.type != "identifier":
        return None
    bound = expr_of(right)
    if isinstance(bound, Unknown):
        return None
    start = _declared_before(loop, ts.text(counter))
    if atomic is not None:
        m = re.fullmatch(r"Atomic(?:Integer|Long)\(\s*(\d*)\s*L?\s*\)", getattr(start, "text", "") or "")
        start = (Num(float(m.group(1))) if m.group(1) else Num(0)) if m else None
        if m is None:
            return None
    if pre:
        start = Num(float(start.value) + 1) if isinstance(start, Num) and isinstance(start.value, (int, float)) \
            else Num(1.0) if start is None else BinOp("+", start, Num(1))
    total = bound if start in (None, Num(0)) else BinOp("-", bound, start)
    extra = (1 if op == "<=" else 0) + (1 if loop.type == "do_while_statement" and (post or pre and atomic is None)
                                        else 0)
    if pre and atomic is None and isinstance(start, Num) and isinstance(start.value, (int, float)):
        offset = extra - float(start.value)  # (one offset: `maxAttempts`, not `maxAttempts - 1 + 1`)
        return bound if offset == 0 else BinOp("+" if offset > 0 else "-", bound, Num(abs(offset)))
    return BinOp("+", total, Num(extra)) if extra else total


def _atomic_step(left: ts.Node) -> tuple[ts.Node, str] | None:
    """``attempt.getAndIncrement()`` / ``attempt.incrementAndGet()``: the counter and the step's name."""
    if left.type != "call_expression" or not left.named_children:
        return None
    callee = left.named_children[0]
    if callee.type != "navigation_expression" or len(callee.named_children) != 2:
        return None
    receiver, suffix = callee.named_children
    name = ts.text(suffix).lstrip(".").strip()
    if name not in ("getAndIncrement", "incrementAndGet") or receiver.type != "identifier":
        return None
    return receiver, name


def _declared_before(loop: ts.Node, name: str) -> Expr | None:
    block = loop.parent
    if block is None:
        return None
    for child in block.named_children:
        if child.start_byte >= loop.start_byte:
            break
        if child.type == "property_declaration":
            decl = next((c for c in child.named_children if c.type == "variable_declaration"), None)
            if decl is not None and ts.text(decl).split(":")[0].strip() == name:
                return expr_of(child.named_children[-1])
    return None


def backoff_of(body: ts.Node) -> str:
    text = ts.text(body)
    if not re.search(r"\b(delay|sleep)\s*\(", text):
        return "none"
    if re.search(r"Math\.pow|\.pow\(|shl|\*=\s*\d|\*\s*2\b|backoff\s*\*", text):
        return "exponential"
    if re.search(r"(delay|sleep)\s*\([^)]*(attempt|retr|tries|\bit\b)[^)]*\*|\*\s*\(?\s*(attempt|it)\b", text):
        return "linear"
    return "fixed"


_REMOTE_RECEIVER = re.compile(r"(api|client|service|svc|http|gateway|remote|rpc|stub|proxy|template|rest)$",
                              re.IGNORECASE)


_NOT_A_REQUEST = re.compile(r"^(get|is|has|log|to|shutdown|close|cancel|stop|interrupt|release|dispose)", re.IGNORECASE)
# Clients that record what happened (`telemetryClient.trackEvent("x-failed", ..)` in the catch after
# `trackEvent("x-success", ..)` in the try): reporting each outcome, never a second attempt.
_RECORDING_RECEIVER = re.compile(r"telemetry|metric|statsd|analytics|tracker|tracing|sentry|audit", re.IGNORECASE)
# Round 14 (ebxml-processor): calls named for recording an outcome (`eventRegistrationService.registerEvent(
# PAYLOAD_READ, ..)` in the try, `registerEvent(ERROR_WHILE_READING, ..)` in the catch): bookkeeping of each
# outcome, never a second attempt of the work.
_RECORDING_CALL = re.compile(r"^(register|record|track|report|log|save|store)\w*Event$|^(record|track|audit)[A-Z]|"
                             r"^incr(ement)?[A-Z]\w*$")


_LITERALS = ("number_literal", "integer_literal", "long_literal", "string_literal", "boolean_literal")


# Round 20 (hmpps-approved-premises-api): an enum constant argument (`ProcessedStatus.PROCESSED` in the try,
# `ProcessedStatus.FAILED` in the catch) is compared as a literal: recording each outcome is not a second attempt.
_ENUM_CONSTANT = re.compile(r"(?:[a-z]\w*\.)*[A-Z]\w*\.[A-Z][A-Z0-9_]*")


def _callee_literals(scope: ts.Node) -> dict[str, list[tuple[str | None, ...]]]:
    """Remote-looking calls made as statements or for their value (not as another call's argument),
    with, per call, the text of each argument that is a literal (None for others)."""
    out: dict[str, list[tuple[str | None, ...]]] = {}
    for node in ts.walk(scope):
        if node.type == "call_expression":
            call = KCall.of(node)
            if call is None or call.receiver is None or _NOT_A_REQUEST.match(call.name) \
                    or _RECORDING_CALL.match(call.name) \
                    or not _REMOTE_RECEIVER.search(ts.text(call.receiver).rsplit(".", 1)[-1]) \
                    or _RECORDING_RECEIVER.search(ts.text(call.receiver).rsplit(".", 1)[-1]):
                continue
            if node.parent is not None and node.parent.type == "value_argument":
                continue
            literals = tuple(ts.text(a) if a.type in _LITERALS or _ENUM_CONSTANT.fullmatch(ts.text(a)) else None
                             for a in call.args)
            out.setdefault(ts.text(call.receiver) + "." + call.name, []).append(literals)
    return out


def _same_request(tried: list[tuple[str | None, ...]], again: list[tuple[str | None, ...]]) -> bool:
    """Could a call in the catch send what the try sent? Not when a literal argument differs
    (``log.lagreResponse(id, 200, "")`` then ``log.lagreResponse(id, 500, "")``: recording the
    outcome, once per branch, is not a second attempt)."""
    for first in tried:
        for second in again:
            if not any(a is not None and b is not None and a != b for a, b in zip(first, second)):
                return True  # (a shorter call may leave defaulted arguments out: compared where both pass one)
    return False


# Round 18 (airbyte's KubernetesClientWrapper.deletePod): the catch does the operation again in a forced mode
# (`.withGracePeriod(0).delete()` after `.withTimeout(1, MINUTES).delete()` failed, `force = true`, `forceDelete`).
_FORCED = re.compile(r"withGracePeriod\(\s*0L?\s*\)|gracePeriod\w*\s*=\s*0|\bforce\s*=\s*true|\.force[A-Z]\w*\(|"
                     r"\.force\(\s*(true)?\s*\)")


def catch_repeat(try_node: ts.Node) -> ts.Node | None:
    """``try { risk.score(id) } catch (e: TimeoutException) { risk.score(newId) }``: the catch
    block that calls the same remote function again (the second attempt), or None."""
    if try_node.type != "try_expression":
        return None
    body = next((c for c in try_node.named_children if c.type == "block"), None)
    if body is None:
        return None
    first = _callee_literals(body)
    if not first:
        return None
    catches = [b for c in try_node.named_children if c.type == "catch_block"
               for b in [next((x for x in c.named_children if x.type == "block"), None)] if b is not None]
    tail = _last_call_key(body) if len(body.named_children) > 1 else None
    if tail is not None and (len(catches) < 2 or not all(tail in _callee_literals(b) for b in catches)):
        tail = None
    for clause in try_node.named_children:
        if clause.type == "catch_block":
            block = next((c for c in clause.named_children if c.type == "block"), None)
            if block is None:
                continue
            if _FORCED.search(ts.text(block)) and not _FORCED.search(ts.text(body)):
                continue  # a graceful delete, then a forced one when it fails: a fallback, not the same request
            again = _callee_literals(block)
            keys = again.keys() & first.keys()
            if tail is not None:
                # `try { assign(); markDone(); jobs.reconcile(id) } catch (e: X) { markError(); jobs.reconcile(id) }
                # catch (e: Y) { ..; jobs.reconcile(id) }`: every outcome ends with the same bookkeeping call
                keys = keys - {tail}
            if any(_same_request(first[key], again[key]) for key in keys):
                return block
    return None


def _last_call_key(block: ts.Node) -> str | None:
    """``receiver.name`` of the call that is the block's last statement, if it is one."""
    if not block.named_children:
        return None
    last = block.named_children[-1]
    if last.type != "call_expression":
        return None
    call = KCall.of(last)
    return ts.text(call.receiver) + "." + call.name if call is not None and call.receiver is not None else None


def retry_annotation(fn: ts.Node) -> ts.Node | None:
    for ann in function_annotations(fn):
        name, _ = annotation_parts(ann)
        if name in ("Retry", "Retryable"):
            return ann
    return None


def retry_line(node: ts.Node) -> tuple[int, ts.Node] | None:
    """The line of the retry that runs ``node`` once per attempt, with the retried scope."""
    for parent in ts.ancestors(node):
        if parent.type in ("for_statement", "while_statement", "do_while_statement") and is_retry_loop(parent):
            body = _loop_body(parent)
            if body is not None and body.start_byte <= node.start_byte:
                return parent.start_point[0] + 1, body
        if parent.type == "block" and parent.parent is not None and parent.parent.type == "catch_block":
            try_node = parent.parent.parent
            if try_node is not None and catch_repeat(try_node) == parent:
                return try_node.start_point[0] + 1, parent
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None and parent.parent.type == "annotated_lambda" else None
            if owner is not None and owner.type == "call_expression":
                if repeat_retry(owner) is not None:
                    return owner.start_point[0] + 1, parent
                call = KCall.of(owner)
                if call is not None and call.name in _EXECUTORS and call.receiver is not None \
                        and "retr" in ts.text(call.receiver).lower():
                    return owner.start_point[0] + 1, parent
        if parent.type == "function_declaration":
            ann = retry_annotation(parent)
            if ann is not None:
                return ann.start_point[0] + 1, parent
            return None
        if parent.type == "class_body":
            return None
    return None


# A test of a first try's outcome that leads to trying again: `result.isFailure`, `!response.isSuccessful`,
# `result.exceptionOrNull() != null`, `e is IOException`.
_FAILURE_TEST = re.compile(r"\bisFailure\b|exceptionOrNull\(\)\s*!=\s*null|!\s*[\w.]*\bisSuccess(ful)?\b|"
                           r"\bis\s+[\w.]*(Exception|Error|Failure)\b")
# Calls whose trailing lambda runs only after the work before them failed.
_ON_FAILURE = {"recoverCatching", "recover", "onFailure", "getOrElse", "onErrorResume", "onErrorResumeNext",
               "onErrorReturn", "catch"}
_LOOPS = ("for_statement", "while_statement", "do_while_statement")
# A lambda parameter that is told an outcome, not the work (`onSuccess()` in the try and in the catch).
_CALLBACK = re.compile(r"^on[A-Z]|callback|listener|handler|^done$|complete|^notify|^report", re.IGNORECASE)


def _function_params(fn: ts.Node) -> list[ts.Node]:
    holder = next((c for c in fn.named_children if c.type == "function_value_parameters"), None)
    return [c for c in holder.named_children if c.type == "parameter"] if holder is not None else []


def lambda_params(fn: ts.Node) -> set[str]:
    """The names of a function's parameters typed as functions (``block: suspend (Boolean) -> R``)."""
    out = set()
    for param in _function_params(fn):
        typ = next((c for c in param.named_children if c.type not in ("identifier", "parameter_modifiers",
                                                                       "annotation")), None)
        ident = next((c for c in param.named_children if c.type == "identifier"), None)
        if ident is not None and typ is not None and any(n.type == "function_type" for n in ts.walk(typ)):
            out.add(ts.text(ident))
    return out


def _invocations(fn: ts.Node, names: set[str]) -> dict[str, list[ts.Node]]:
    """Calls of the function's lambda parameters in its own body (``block(true)``, ``call()``,
    ``operation.invoke()``), not in nested functions or classes."""
    out: dict[str, list[ts.Node]] = {}
    body = next((c for c in fn.named_children if c.type == "function_body"), None)
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("function_declaration", "class_declaration", "object_literal"):
            continue
        if node.type == "call_expression" and node.named_children:
            head = node.named_children[0]
            name = ts.text(head) if head.type == "identifier" else None
            if head.type == "navigation_expression" and ts.text(head).endswith(".invoke"):
                name = ts.text(head)[:-len(".invoke")]
            if name in names:
                out.setdefault(name, []).append(node)
        stack.extend(node.named_children)
    for nodes in out.values():
        nodes.sort(key=lambda n: n.start_byte)
    return out


def _rerun_arguments(call: ts.Node) -> str:
    """A call's arguments as written, with boolean literals blanked (``block(false)`` / ``block(true)``: the
    same work, told that it is the second time)."""
    args = next((c for c in call.named_children if c.type == "value_arguments"), None)
    if args is None:
        return ""
    text = ts.text(args)
    for lit in sorted((n for n in ts.walk(args) if n.type == "boolean_literal"
                       or n.type == "identifier" and ts.text(n) in ("true", "false")), key=lambda n: -n.start_byte):
        text = text[:lit.start_byte - args.start_byte] + "?" + text[lit.end_byte - args.start_byte:]
    return re.sub(r"\s+", "", text)


def _statement_run(inv: ts.Node) -> bool:
    """Is the call of the lambda the work itself, not a value handed to another call or a string
    (``log("failed: ${getUuid(item)}")``, ``subscribe(getUuid(item))``)?"""
    parent = inv.parent
    return parent is not None and parent.type not in ("value_argument", "interpolated_expression",
                                                      "string_literal", "line_string_expression")


def _after_failure(inv: ts.Node, fn: ts.Node, others: list[ts.Node]) -> bool:
    """Is this call of the lambda reached only after an earlier call of it failed, with the same arguments
    (a call with another one, ``check(primary)`` then ``check(fallback)``, is a fallback; ``callback(result)``
    then ``callback(null)`` reports the outcome)?"""
    if not _statement_run(inv):
        return False
    earlier = [o for o in others if o.start_byte < inv.start_byte and _statement_run(o)
               and _rerun_arguments(o) == _rerun_arguments(inv)]
    if not earlier:
        return False
    child = inv
    for parent in ts.ancestors(inv):
        if parent == fn:
            return False
        if parent.type == "catch_block":
            attempt = parent.parent
            tried = next((c for c in attempt.named_children if c.type == "block"), None) if attempt is not None else None
            if tried is not None and any(tried.start_byte <= o.start_byte < tried.end_byte for o in earlier):
                return True
        if parent.type == "lambda_literal":
            owner = parent.parent.parent if parent.parent is not None else None
            call = KCall.of(owner) if owner is not None and owner.type == "call_expression" else None
            if call is not None and call.name in _ON_FAILURE:
                return True
        if parent.type == "if_expression" and parent.named_children and child != parent.named_children[0] \
                and _FAILURE_TEST.search(ts.text(parent.named_children[0])) \
                and any(o.end_byte <= parent.start_byte for o in earlier):
            return True
        child = parent
    return False


def lambda_retry_helpers(root: ts.Node) -> dict[int, int]:
    """The file's lambda retry helpers (function node id -> tries), also those that only hand their lambda
    to one of them (``fun rxCompletable(call: () -> Completable) = rxSingle { t -> call(t).toSingle() }``:
    the same tries, a helper chain within the file)."""
    functions = [fn for fn in ts.walk(root) if fn.type == "function_declaration"]
    found: dict[int, tuple[int, str]] = {}
    for fn in functions:
        hit = _retried_lambda(fn)
        if hit:
            found[fn.id] = hit
    names = {}
    for fn in functions:
        ident = next((c for c in fn.children if c.type == "identifier"), None)
        if ident is not None:
            names.setdefault(ts.text(ident), []).append(fn)
    for _ in range(3):
        grew = False
        helpers = {name: (found[f.id][0], found[f.id][1], f) for name, fns in names.items() for f in fns
                   if f.id in found}
        for fn in functions:
            if fn.id in found:
                continue
            forwarded = chain_forward(fn, helpers)
            if forwarded:
                found[fn.id] = forwarded
                grew = True
        if not grew:
            break
    return {k: v[0] for k, v in found.items()}


def chain_forward(fn: ts.Node, helpers: dict[str, tuple[int, str, ts.Node]]) -> tuple[int, str] | None:
    """(tries, own parameter) when ``fn`` hands its own lambda parameter to the re-run lambda of a retry helper
    of the file (passed as it, or called inside the lambda given in its place), else None. Handing a lambda
    to another parameter of the helper (``onUnauthorized = onUnauthorized``) is not."""
    params = lambda_params(fn)
    if not params or not helpers:
        return None
    body = next((c for c in fn.named_children if c.type == "function_body"), None)
    for node in ts.walk(body) if body is not None else ():
        if node.type != "call_expression":
            continue
        call = KCall.of(node)
        if call is None or call.name not in helpers:
            continue
        tries, rerun, helper = helpers[call.name]
        order = [ts.text(i) for p in _function_params(helper) for i in p.named_children if i.type == "identifier"]
        arg = call.named_args.get(rerun)
        if arg is None and rerun in order and order.index(rerun) < len(call.args):
            arg = call.args[order.index(rerun)]
        if arg is None and call.lambda_ is not None and order and order[-1] == rerun:
            arg = call.lambda_
        if arg is None:
            continue
        if arg.type == "identifier" and ts.text(arg) in params:
            return tries, ts.text(arg)
        for n in ts.walk(arg):
            if n.type == "call_expression" and n.named_children and n.named_children[0].type == "identifier" \
                    and ts.text(n.named_children[0]) in params:
                return tries, ts.text(n.named_children[0])
    return None


def lambda_retry_helper(fn: ts.Node) -> int | None:
    hit = _retried_lambda(fn)
    return hit[0] if hit else None


def _retried_lambda(fn: ts.Node) -> tuple[int, str] | None:
    """``suspend fun <T> retryOnce(operation: suspend () -> T): T = try { operation() } catch (e: Exception)
    { operation() }``, ``runCatching { block(false) }.recoverCatching { block(true) }``, ``val r = call();
    if (r.isFailure) return call()``: a function that runs its lambda parameter again after the first run
    failed (in the catch, a recovering call's lambda, or a branch that tests the failure). Returns the tries
    (1 + the runs after a failure); None when the function is no such helper, or runs the lambda in a loop
    (the loop is the retry, counted by its bound)."""
    names = {n for n in lambda_params(fn) if not _CALLBACK.search(n)}
    if not names:
        return None
    for name, nodes in _invocations(fn, names).items():
        if len(nodes) < 2:
            continue
        if any(a.type in _LOOPS or a.type == "call_expression" and _is_repeat(a)
               for n in nodes for a in ts.ancestors(n) if fn.start_byte <= a.start_byte and a != fn):
            return None
        later = sum(1 for n in nodes if _after_failure(n, fn, nodes))
        if later:
            return 1 + later, name
    return None
