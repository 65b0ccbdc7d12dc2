"""``3.times do ... return if ok ... sleep ... end``: a counted loop that tries again after a pause.

What it does: reports ``N.times do ... end`` (``MAX_RETRIES.times``, ``attempts.times``) as a
retry of ``N`` attempts (mechanism loop) when the block leaves on success (``return``/``break``,
usually ``return true if reachable?(host)``) and pauses between turns (``sleep``). The count is
the receiver: a literal, or a constant the pipeline resolves.

A countdown loop that re-sends while the answer says to and tries remain counts too:
``retries = max_retries; while retriable?(response) && retries > 0 ... retries -= 1; sleep(d);
response = yield request end`` is a retry of ``retries + 1`` attempts (the first send comes before
the loop); the count is the countdown's start: a literal, or a keyword parameter's default of the
same name in the file (``def initialize(max_retries: 2)``), else left to the pipeline.

An endless loop that counts down its tries and gives up at zero counts too (a home-made
``until_result(tries:)``): ``loop do tries -= 1; result = yield; return result if result; raise if
tries == 0; sleep(wait) end`` -> ``tries`` attempts (``tries + 1`` when the give-up check comes before
the countdown); a start that is the method's own parameter is the callers' value (published for
them, see ``ruby.wrapper_call``).

A counting-up loop around a rescued call (``tries = 0; while tries < MAX; begin; return call;
rescue E; tries += 1; raise if tries >= MAX; end; end``) counts too: the give-up check's limit (or
the loop condition's) minus the counter's literal start.

A give-up check in the rescue clause of a loop that re-sends a call (round 18: Katello's Candlepin
actions, Gemstash's ``with_retries``) counts whatever the loop: ``until ids.empty? begin call; break
rescue Conflict => e; raise e if (retries += 1) == max_retries ... end end`` (the counter raised in
the check itself, a local limit) -> ``max_retries - start`` attempts, one finding per check, at the
check (a ``break`` instead of the ``raise`` gives up too); ``loop do times -= 1; begin return yield
rescue E; raise unless times > 0 end end`` -> ``times`` attempts (a defaulted parameter is the
helper's default and its callers' value). No pause is needed: the rescue and the give-up say it.

A counted poll for a remote result is a bounded wait, not a retry (round 20): ``def
poll_for_scan_status(key) 20.times do ... return tag if tag.present?; sleep 0.5 end; raise
PollForScanResultTimeoutError end`` (a method named ``poll_*``/``wait_for_*``, or a timeout error
raised once the tries are spent, and no rescued call in the loop) -> a timeout of the tries times the
pause (10 s), mechanism poll, at the loop.

Not reported: ``N.times`` that builds or walks things (no early exit, or no pause), ``each``
loops, a variable named ``retries``.
Nor (round 21) a counted loop whose only calls besides ``sleep`` ask about a local process or thread
(``5.times do sleep 1; return unless @process.alive? end`` after a SIGTERM): a child's exit awaited.

Why it matters: every turn reaches the callee again; a start-up probe that tries three times
three seconds apart delays boot by up to the sum.

Example: ``MAX_RETRIES.times do |i| return true if ping(host); sleep 2 end`` with
``MAX_RETRIES = 3`` -> retry max_attempts 3, backoff fixed.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, Ref
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts, ruby_detector
from extractors.treesitter import Node, text, walk

ID = "ruby.retry_loop"
NESTED = ("block", "do_block", "lambda", "method", "singleton_method", "class", "module")


def _own(node: Node, block: Node) -> bool:
    parent = node.parent
    while parent is not None and parent != block:
        if parent.type in NESTED:
            return False
        parent = parent.parent
    return parent == block


def _pauses(f: RubyFile, block: Node) -> str | None:
    for node in walk(block):
        if node.type == "call" and f.method_of(node) == "sleep" and f.receiver_of(node) in ("", "Kernel") \
                and _own(node, block):
            arg = node.child_by_field_name("arguments")
            raw = text(arg) if arg is not None else ""
            return "exponential" if "**" in raw else ("linear" if "*" in raw else "fixed")
        if node.type == "identifier" and text(node) == "sleep" and _own(node, block):
            return "fixed"
    return None


_POLL_METHOD = re.compile(r"^(?:poll|wait_for|wait_until|await)(?:_|$)")
_TIMEOUT_ERROR = re.compile(r"Timeout|TimedOut|TimeOut")


# A child process's or thread's state: `@process.alive?`, `thread.status`, `Process.wait(pid, WNOHANG)`.
PROCESS_STATE = frozenset({"alive?", "exited?", "running?", "stopped?", "status", "success?", "pid", "wait",
                           "waitpid", "wait2", "kill", "join"})


def _process_wait(f: RubyFile, block: Node) -> bool:
    """Every call in the block other than ``sleep`` asks about a process or thread of this host
    (``return unless @process.alive?``, ``break if Process.wait(pid, Process::WNOHANG)``): a wait for
    a child to exit after a signal (round 21, canine's kill_process), no call to another service is
    made again."""
    calls = [n for n in walk(block) if n.type == "call" and f.method_of(n) != "sleep"]
    return bool(calls) and all(f.method_of(n) in PROCESS_STATE for n in calls)


def _poll_for_result(f: RubyFile, call: Node) -> bool:
    """``def poll_for_scan_status(key) N.times do ... return tag if tag.present?; sleep s end; raise
    PollForScanResultTimeoutError end``: a bounded wait for a remote resource's state (the Ruby sets'
    convention: a timeout of the tries times the pause, not a retry; no failed call is sent again).
    Told by the method's name (``poll_*``, ``wait_for_*``) or a timeout error raised once the tries
    are spent."""
    method = syntax.enclosing(call, ("method", "singleton_method", "block", "do_block", "lambda"))
    if method is None or method.type not in ("method", "singleton_method"):
        return False
    if any(n.type == "rescue" for n in walk(call.child_by_field_name("block"))):
        return False  # a rescued call tried again: a retry
    if _POLL_METHOD.match(text(method.child_by_field_name("name"))):
        return True
    for node in walk(method):
        if node.start_byte <= call.end_byte or node.type != "call" or f.method_of(node) not in ("raise", "fail"):
            continue
        arg = node.child_by_field_name("arguments")
        if arg is not None and arg.named_child_count and _TIMEOUT_ERROR.search(text(arg.named_children[0])):
            return True
    return False


def _bounded_wait(f: RubyFile, call: Node, receiver: Node, block: Node) -> Finding | None:
    """The wait's bound: the tries times the pause (seconds), at the loop's line."""
    from contract_discovery.values import normalise_ms

    pause = None
    for node in walk(block):
        if node.type == "call" and f.method_of(node) == "sleep" and f.receiver_of(node) in ("", "Kernel") \
                and _own(node, block):
            arg = node.child_by_field_name("arguments")
            pause = arg.named_children[0] if arg is not None and arg.named_child_count == 1 else None
            break
    if pause is None:
        return None
    tries, pause_expr = syntax.to_expr(_initial(receiver)), syntax.to_expr(_initial(pause))
    n, p = syntax.settle(tries), syntax.settle(pause_expr)
    attrs = {"timeout_ms": normalise_ms(n * p * 1000.0) if n is not None and p is not None else None,
             "phase": "total", "mechanism": "poll", "library": None}
    pending = () if attrs["timeout_ms"] is not None else (Pending("timeout_ms", BinOp("*", tries, pause_expr), 1000.0),)
    return f.finding("timeout", call, ID, attrs, "medium", pending=pending)


def _initial(node: Node) -> Node:
    """``@tries`` written once, in the class's ``initialize`` (``@tries = Settings.poll.max_attempts.to_i``):
    that value; any other node as it is."""
    if node.type != "instance_variable":
        return node
    klass = syntax.enclosing(node, ("class",))
    writes = [n for n in walk(klass) if n.type == "assignment"
              and text(n.child_by_field_name("left")) == text(node)] if klass is not None else []
    if len(writes) != 1:
        return node
    method = syntax.enclosing(writes[0], ("method",))
    if method is None or text(method.child_by_field_name("name")) != "initialize":
        return node
    return writes[0].child_by_field_name("right") or node


@ruby_detector(ID, ("retry",),
               valid=("3.times do |i|\n  create(i)\n  sleep 1\nend\n",
                      "items.each do |item|\n  return item if item.ok?\n  sleep 1\nend\n",
                      "3.times do |i|\n  return i if ready?(i)\nend\n"),
               invalid=("3.times do |attempt|\n  return true if ping(host)\n  sleep 2\nend\n",))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("times"):
        receiver = call.child_by_field_name("receiver")
        block = call.child_by_field_name("block")
        if receiver is None or block is None or call.child_by_field_name("arguments") is not None:
            continue
        if receiver.type not in ("integer", "constant", "scope_resolution", "identifier", "instance_variable"):
            continue
        exits = [n for n in walk(block) if n.type in ("return", "break") and _own(n, block)]
        backoff = _pauses(f, block)
        if not exits or backoff is None:
            continue
        if _process_wait(f, block):
            continue  # `5.times do sleep 1; return unless @process.alive? end`: a child process's exit awaited
        if _poll_for_result(f, call):
            found = _bounded_wait(f, call, receiver, block)
            if found is not None:
                yield found
            continue
        attempts, pending = max_attempts(receiver)
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", call, ID, attrs, "high" if attempts is not None else "medium", pending=pending)
    earlier = []
    for finding in _countdowns(f):
        earlier.append(finding)
        yield finding
    for finding in _endless_countdowns(f):
        earlier.append(finding)
        yield finding
    for finding in _count_up_rescues(f):
        earlier.append(finding)
        yield finding
    for finding in _count_up_until_ok(f, {fd.line for fd in earlier}):
        earlier.append(finding)
        yield finding
    yield from _rescue_guards(f, {fd.line for fd in earlier})
    yield from _consecutive_failures(f)


_FAILURE_COUNTER = re.compile(r"^@\w*(?:fail|error)\w*count\w*$|^@\w*count\w*(?:fail|error)\w*$", re.IGNORECASE)
_GIVE_UP_CALLS = ("raise", "fail", "exit", "exit!", "abort", "stop", "shutdown")


def _consecutive_failures(f: RubyFile) -> Iterable[Finding]:
    """``@batch_send_failure_count += 1`` on a failed send (a rescue or an else branch), ``= 0`` on success,
    and ``if @batch_send_failure_count >= 5 ... exit(1)``: a sender whose kept batch goes out again on the
    next turn gives up after that many failures in a row (round 18, ubicloud's batchers): N attempts at
    the check (``>``: one more). The counter is an instance variable named for failures."""
    for method in walk(f.root):
        if method.type not in ("method", "singleton_method"):
            continue
        steps: dict[str, set[str]] = {}
        for node in walk(method):
            if node.type == "operator_assignment" and text(node).replace(" ", "").endswith("+=1"):
                name = text(node.child_by_field_name("left") or node)
                steps.setdefault(name, set()).add("up")
            elif node.type == "assignment" and text(node.child_by_field_name("right") or node) == "0":
                steps.setdefault(text(node.child_by_field_name("left") or node), set()).add("reset")
        for guard in walk(method):
            if guard.type not in ("if", "if_modifier"):
                continue
            condition = guard.child_by_field_name("condition")
            if condition is None or condition.type != "binary" or _operator(condition) not in (">=", ">"):
                continue
            left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
            if left is None or right is None or not _FAILURE_COUNTER.match(text(left)) \
                    or steps.get(text(left)) != {"up", "reset"}:
                continue
            branch = guard.child_by_field_name("consequence") or guard.child_by_field_name("body")
            if branch is None or not any(n.type in ("return", "break") or n.type == "call" and f.method_of(n) in _GIVE_UP_CALLS
                                         or n.type == "identifier" and text(n) in _GIVE_UP_CALLS for n in walk(branch)):
                continue
            if not any(n.type == "rescue" for n in walk(method)) and "else" not in text(method):
                continue
            attempts, pending = max_attempts(_local_limit(right), add=1.0 if _operator(condition) == ">" else 0.0)
            if attempts is None and not pending:
                continue
            attrs = {"max_attempts": attempts, "backoff": "none", "retry_on": None, "mechanism": "loop",
                     "library": None}
            yield f.finding("retry", guard, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


_UP_GUARD = {"<": 0.0, "<=": 1.0}
_GIVE_UP_AT = {">=": 0.0, "==": 0.0, ">": 1.0}


def _count_up_rescues(f: RubyFile) -> Iterable[Finding]:
    """``tries = 0; while tries < MAX ... begin return call rescue E; tries += 1; raise if tries >=
    MAX end end``: a counting-up loop whose body rescues a failure and leaves on success. The
    attempts are the give-up check's limit (``>=``/``==``: L - start; ``>``: one more), else the
    loop condition's (``<``: L - start; ``<=``: one more); the counter must start at a literal."""
    yield from _endless_count_up_rescues(f)
    for loop in walk(f.root):
        if loop.type != "while":
            continue
        condition, body = loop.child_by_field_name("condition"), loop.child_by_field_name("body")
        if condition is None or body is None or condition.type != "binary":
            continue
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        operator = _operator(condition)
        if left is None or right is None or left.type not in ("identifier", "instance_variable") \
                or operator not in _UP_GUARD:
            continue
        counter = text(left)
        if not any(n.type == "operator_assignment" and text(n).replace(" ", "") == f"{counter}+=1"
                   and _own(n, body) for n in walk(body)):
            continue
        if not any(n.type == "rescue" and _own(n, body) for n in walk(body)) or \
                not any(n.type in ("return", "break") and _own(n, body) for n in walk(body)):
            continue  # a failure handled and a success that leaves: else a plain counting loop
        start = _start_value(loop, counter)
        if start is None or start.type != "integer":
            continue
        begin = float(text(start).replace("_", ""))
        limit, add = right, _UP_GUARD[operator] - begin
        guard = _give_up_at(f, body, counter)
        if guard is not None:
            limit, add = guard[0], _GIVE_UP_AT[guard[1]] - begin
        attempts, pending = max_attempts(limit, add=add)
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": _pauses(f, body) or "none", "retry_on": None,
                 "mechanism": "loop", "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


_SUCCESS = re.compile(r"(?i)(ok|success|succeeded|accepted)")


def _count_up_until_ok(f: RubyFile, reported: set[int]) -> Iterable[Finding]:
    """``count = 0; while count < tries; count += 1; resp = yield; break if ok_code(resp); end``: a
    counting-up loop that sends again until the answer is a success (no rescue: the answer says it).
    The break (or return) must test, for success, a value the loop's own body got from a call or a
    block (``yield``); the attempts are the condition's limit minus the counter's literal start."""
    for loop in walk(f.root):
        if loop.type != "while" or loop.start_point[0] + 1 in reported:
            continue
        condition, body = loop.child_by_field_name("condition"), loop.child_by_field_name("body")
        if condition is None or body is None or condition.type != "binary":
            continue
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        operator = _operator(condition)
        if left is None or right is None or left.type != "identifier" or operator not in _UP_GUARD:
            continue
        counter = text(left)
        if not any(n.type == "operator_assignment" and text(n).replace(" ", "") == f"{counter}+=1"
                   and _own(n, body) for n in walk(body)):
            continue
        got = {text(n.child_by_field_name("left")) for n in walk(body) if n.type == "assignment" and _own(n, body)
               and n.child_by_field_name("left") is not None
               and (n.child_by_field_name("right") or n).type in ("call", "yield")}
        if not got:
            continue
        leaves = False
        for node in walk(body):
            if node.type not in ("if_modifier", "if") or not _own(node, body):
                continue
            test = node.child_by_field_name("condition")
            branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
            if test is None or branch is None or not any(n.type in ("break", "return") for n in walk(branch)):
                continue
            names = {text(n) for n in walk(test) if n.type == "identifier"}
            if names & got and _SUCCESS.search(text(test)):
                leaves = True
        if not leaves:
            continue
        start = _start_value(loop, counter)
        if start is None or start.type != "integer":
            continue
        add = _UP_GUARD[operator] - float(text(start).replace("_", ""))
        attempts, pending = max_attempts(right, add=add)
        attrs = {"max_attempts": attempts, "backoff": _pauses(f, body) or "none", "retry_on": None,
                 "mechanism": "loop", "library": None}
        constant = _constant_default(right)
        if attempts is None and constant is not None:
            # `def local_api_retry_errors(tries: ERROR_RETRIES)`: the helper's default (rule a); the
            # bound named as written, so the helper publishes its parameter for its callers
            attrs["attempts_expression"] = text(right) + (f" + {int(add)}" if add else "")
            pending = (Pending("max_attempts", BinOp("+", constant, Num(add)) if add else constant, 1.0),)
        if attempts is None and not pending:
            continue
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _constant_default(limit: Node) -> Ref | None:
    """The constant a limit parameter defaults to (``tries: ERROR_RETRIES``), or None."""
    if limit.type != "identifier":
        return None
    declared = syntax.parameter_default(text(limit), limit)
    if declared is None or declared.type not in ("constant", "scope_resolution"):
        return None
    return Ref(syntax.callee_text(declared))


def _endless_count_up_rescues(f: RubyFile) -> Iterable[Finding]:
    """``attempt = 0; loop do attempt += 1; sleep(...); client.call; break; rescue E; raise if attempt
    > 30 end``: an endless loop whose block rescues the failure and gives up past a bound (its own
    rescue clause), leaving on success: the give-up check's limit (``>``: L - start, ``>=``: one less)."""
    for call in f.calls_named("loop"):
        block = call.child_by_field_name("block")
        if call.child_by_field_name("receiver") is not None or block is None:
            continue
        body = block.child_by_field_name("body") or next(
            (c for c in block.named_children if c.type in ("body_statement", "block_body")), None)
        if body is None:
            continue
        counters = [text(n.child_by_field_name("left")) for n in walk(body) if n.type == "operator_assignment"
                    and text(n).replace(" ", "").endswith("+=1") and _own(n, body)]
        if len(set(counters)) != 1:
            continue
        counter = counters[0]
        if not any(n.type == "rescue" and _own(n, body) for n in walk(body)) or \
                not any(n.type in ("return", "break") and _own(n, body) for n in walk(body)):
            continue
        guard = _give_up_at(f, body, counter)
        start = _start_value(call, counter)
        if guard is None or start is None or start.type != "integer":
            continue
        begin = float(text(start).replace("_", ""))
        attempts, pending = max_attempts(guard[0], add=_GIVE_UP_AT[guard[1]] - begin)
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": _pauses(f, body) or "none", "retry_on": None,
                 "mechanism": "loop", "library": None}
        rescue = next(n for n in walk(body) if n.type == "rescue" and _own(n, body))
        anchor = next((n for n in walk(rescue) if n.type in ("if", "if_modifier")), call)
        yield f.finding("retry", anchor, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


_LOOP_BODY = {"while": "body", "until": "body"}
_UNLESS_FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!="}


def _loops(f: RubyFile) -> Iterable[tuple[Node, Node]]:
    """(loop, body) of every ``while``/``until`` loop and ``loop do`` block."""
    for node in walk(f.root):
        if node.type in _LOOP_BODY and node.child_by_field_name("body") is not None:
            yield node, node.child_by_field_name("body")
        elif node.type == "call" and f.method_of(node) == "loop" and node.child_by_field_name("receiver") is None \
                and node.child_by_field_name("block") is not None:
            block = node.child_by_field_name("block")
            body = block.child_by_field_name("body") or next(
                (c for c in block.named_children if c.type in ("body_statement", "block_body")), None)
            if body is not None:
                yield node, body


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_statements" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _gives_up(f: RubyFile, branch: Node | None) -> bool:
    return branch is not None and any(
        n.type in ("return", "break") or n.type == "call" and f.method_of(n) in ("raise", "fail")
        or n.type == "identifier" and text(n) in ("raise", "fail") for n in walk(branch))


def _local_limit(limit: Node) -> Node:
    """``max_retries`` assigned a number earlier in the method: that number."""
    if limit.type == "identifier":
        bound = syntax.local_assignment(text(limit), limit)
        if bound is not None and bound.type in ("integer", "float"):
            return bound
    return limit


def _rescue_guards(f: RubyFile, reported: set[int]) -> Iterable[Finding]:
    for loop, body in _loops(f):
        if any(loop.start_point[0] + 1 <= line <= loop.end_point[0] + 1 for line in reported):
            continue  # already told by another shape of this detector
        if not any(n.type in ("return", "break") and _own(n, body) for n in walk(body)) \
                and loop.type != "until":
            continue  # no way out on success: a worker's endless loop
        for rescue in (n for n in walk(body) if n.type == "rescue" and _own(n, body)):
            for guard in walk(rescue):
                if guard.type not in ("if", "if_modifier", "unless", "unless_modifier") or not _own(guard, body):
                    continue
                branch = guard.child_by_field_name("consequence") or guard.child_by_field_name("body")
                if not _gives_up(f, branch):
                    continue
                counted = _guard_count(f, loop, body, guard)
                if counted is None:
                    continue
                attempts, pending = counted
                if attempts is None and not pending:
                    continue
                attrs = {"max_attempts": attempts, "backoff": _pauses(f, body) or "none", "retry_on": None,
                         "mechanism": "loop", "library": None}
                yield f.finding("retry", guard, ID, attrs, "high" if attempts is not None else "medium",
                                pending=pending)


def _guard_count(f: RubyFile, loop: Node, body: Node, guard: Node):
    """The attempts a give-up check allows, or None when it is no counter's check."""
    condition = _unwrap(guard.child_by_field_name("condition"))
    negated = guard.type in ("unless", "unless_modifier")
    if condition is None:
        return None
    if condition.type == "call" and text(condition).replace(" ", "").endswith((".zero?", ".positive?")):
        receiver = condition.child_by_field_name("receiver")
        if receiver is None or receiver.type != "identifier":
            return None
        zero = text(condition).rstrip().endswith(".zero?")
        if zero == negated:
            return None
        return _countdown_count(f, loop, body, guard, receiver)
    if condition.type != "binary":
        return None
    left, right = _unwrap(condition.child_by_field_name("left")), condition.child_by_field_name("right")
    operator = _operator(condition)
    if left is None or right is None:
        return None
    if negated:
        operator = _UNLESS_FLIP.get(operator, "")
    if left.type == "operator_assignment" and text(left).replace(" ", "").endswith("+=1"):
        counter = left.child_by_field_name("left")
        if counter is None or operator not in _GIVE_UP_AT:
            return None
        return _count_up(loop, text(counter), right, operator)
    if left.type != "identifier":
        return None
    counter = text(left)
    steps = [n for n in walk(body) if n.type == "operator_assignment" and _own(n, body)
             and text(n.child_by_field_name("left") or n) == counter]
    if any(text(n).replace(" ", "").endswith("+=1") for n in steps) and operator in _GIVE_UP_AT:
        return _count_up(loop, counter, right, operator)
    if any("-=1" in text(n).replace(" ", "") for n in steps) and operator in ("<=", "==") and text(right) == "0":
        return _countdown_count(f, loop, body, guard, left)
    return None


def _count_up(loop: Node, counter: str, limit: Node, operator: str):
    start = _start_value(loop, counter)
    if start is None or start.type != "integer":
        return None
    begin = float(text(start).replace("_", ""))
    return max_attempts(_local_limit(limit), add=_GIVE_UP_AT[operator] - begin)


def _countdown_count(f: RubyFile, loop: Node, body: Node, guard: Node, counter: Node):
    name = text(counter)
    decrement = next((n for n in walk(body) if n.type == "operator_assignment" and _own(n, body)
                      and text(n.child_by_field_name("left") or n) == name and "-=" in text(n)), None)
    if decrement is None:
        return None
    add = 1.0 if guard.start_byte < decrement.start_byte else 0.0
    start = _start_value(loop, name)
    if start is not None:
        return max_attempts(_local_limit(start), add=add)
    if _parameter(loop, name):
        return max_attempts(counter, add=add)  # the helper's default; its callers' value (published)
    return None


def _operator(node: Node) -> str:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    return text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()


def _give_up_at(f: RubyFile, body: Node, counter: str) -> tuple[Node, str] | None:
    """(limit, operator) of ``raise ... if tries >= MAX`` / ``if attempts >= MAX ... raise ... end`` in
    the loop's own body, or None."""
    for node in walk(body):
        if node.type not in ("if", "if_modifier") or not _own(node, body):
            continue
        condition = node.child_by_field_name("condition")
        if condition is None or condition.type != "binary":
            continue
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if left is None or right is None or text(left) != counter or _operator(condition) not in _GIVE_UP_AT:
            continue
        branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
        if branch is not None and any(n.type in ("return", "break") or n.type == "call" and f.method_of(n) in (
                "raise", "fail") or n.type == "identifier" and text(n) in ("raise", "fail") for n in walk(branch)):
            return right, _operator(condition)
    return None


def _countdowns(f: RubyFile) -> Iterable[Finding]:
    yield from _endless_count_up_rescues(f)
    for loop in walk(f.root):
        if loop.type != "while":
            continue
        condition, body = loop.child_by_field_name("condition"), loop.child_by_field_name("body")
        if condition is None or body is None:
            continue
        counters = {text(n.child_by_field_name("left")) for n in walk(condition) if _above_zero(n)}
        if not counters:
            continue
        decremented = {text(n.child_by_field_name("left")) for n in walk(body)
                       if n.type == "operator_assignment" and "-=" in text(n) and _own(n, body)}
        counter = next(iter(sorted(counters & decremented)), None)
        backoff = _pauses(f, body)
        # `while retries > 0 && keys.blank?; begin; keys = fetch; rescue E; log; end; retries -= 1; end`:
        # the call is made inside the loop, once per turn: the countdown's start is the attempts
        inside = _rescued_call(body) and _stops_on_success(condition, body, counters)
        if counter is None or (backoff is None and not inside):
            continue
        start = _start_value(loop, counter)
        attempts, pending = _count(f, start, add=0.0 if inside else 1.0)
        backoff = backoff or "none"
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _above_zero(node: Node) -> bool:
    """`retries > 0` (a local or instance variable compared with zero)."""
    if node.type != "binary":
        return False
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or left.type not in ("identifier", "instance_variable") or text(right) != "0":
        return False
    operator = text(node)[left.end_byte - node.start_byte:right.start_byte - node.start_byte].strip()
    return operator == ">"


def _start_value(loop: Node, counter: str) -> Node | None:
    """The right side of the last `counter = ...` before the loop in the same method."""
    method = loop.parent
    while method is not None and method.type not in ("method", "singleton_method", "program"):
        method = method.parent
    found = None
    for node in walk(method) if method is not None else ():
        if node.start_byte >= loop.start_byte:
            break
        if node.type == "assignment" and text(node.child_by_field_name("left")) == counter:
            found = node.child_by_field_name("right")
    return found


def _stops_on_success(condition: Node, body: Node, counters: set[str]) -> bool:
    """The loop ends once the call worked: its condition tests something besides the countdown
    (``retries > 0 && keys.blank?``) or its body leaves (``break``/``return``). A countdown over a
    batch (``while remaining > 0``, one item per turn) does neither."""
    if any(n.type in ("break", "return") and _own(n, body) for n in walk(body)):
        return True
    if condition.type == "binary" and text(condition).count("&&") + text(condition).count(" and ") >= 1:
        names = {text(n) for n in walk(condition) if n.type in ("identifier", "instance_variable", "call")}
        return bool(names - counters)
    return False


def _rescued_call(body: Node) -> bool:
    """The loop's body (not a nested block) holds a ``begin ... rescue`` around a call."""
    for node in walk(body):
        if node.type == "begin" and _own(node, body) and any(c.type == "rescue" for c in node.named_children) \
                and any(n.type == "call" for n in walk(node)):
            return True
    return False


def _count(f: RubyFile, start: Node | None, add: float = 1.0):
    if start is None:
        return None, ()
    if start.type in ("identifier", "instance_variable"):
        name = text(start).lstrip("@")
        defaults = [n.child_by_field_name("value") for n in walk(f.root)
                    if n.type in ("keyword_parameter", "optional_parameter")
                    and text(n.child_by_field_name("name")) == name and n.child_by_field_name("value") is not None]
        if len(defaults) == 1:
            return max_attempts(defaults[0], add=add)
    return max_attempts(start, add=add)


def _endless_countdowns(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("loop"):
        block = call.child_by_field_name("block")
        if block is None or call.child_by_field_name("receiver") is not None:
            continue
        backoff = _pauses(f, block)
        exits = [n for n in walk(block) if n.type in ("return", "break") and _own(n, block)]
        if backoff is None or not exits:
            continue
        decrements = [n for n in walk(block) if n.type == "operator_assignment" and "-=" in text(n)
                      and _own(n, block) and n.child_by_field_name("left") is not None]
        for decrement in decrements:
            counter = text(decrement.child_by_field_name("left"))
            guard = _give_up(f, block, counter)
            if guard is None:
                continue
            check_first = guard.start_byte < decrement.start_byte
            start = _start_value(call, counter)
            if start is not None:
                attempts, pending = max_attempts(start, add=1.0 if check_first else 0.0)
            elif _parameter(call, counter):
                from contract_discovery.model import Pending
                from contract_discovery.values import BinOp, Num, Ref
                expr = BinOp("+", Ref(counter), Num(1.0)) if check_first else Ref(counter)
                attempts, pending = None, (Pending("max_attempts", expr, 1.0),)
            else:
                continue
            attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "loop",
                     "library": None}
            yield f.finding("retry", call, ID, attrs, "high" if attempts is not None else "medium", pending=pending)
            break


_AT_ZERO = {"==": 0.0, "<=": 0.0, "<": 1.0}


def _give_up(f: RubyFile, block: Node, counter: str) -> Node | None:
    """The statement that stops the loop once the counter reaches zero (``raise ... if tries == 0``,
    ``if tries.zero? ... return ... end``), or None."""
    for node in walk(block):
        if node.type not in ("if", "if_modifier") or not _own(node, block):
            continue
        condition = node.child_by_field_name("condition")
        if condition is None or not _at_zero(condition, counter):
            continue
        branch = node.child_by_field_name("consequence") or node.child_by_field_name("body")
        if branch is not None and any(n.type in ("return", "break") or n.type == "call" and f.method_of(n) in (
                "raise", "fail") or n.type == "identifier" and text(n) in ("raise", "fail") for n in walk(branch)):
            return node
    return None


def _at_zero(condition: Node, counter: str) -> bool:
    if condition.type == "call" and f"{counter}.zero?" == text(condition).replace(" ", ""):
        return True
    if condition.type != "binary":
        return False
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if left is None or right is None or text(left) != counter:
        return False
    operator = text(condition)[left.end_byte - condition.start_byte:right.start_byte - condition.start_byte].strip()
    return operator in _AT_ZERO and text(right) == str(int(_AT_ZERO[operator]))


def _parameter(node: Node, name: str) -> bool:
    method = node.parent
    while method is not None and method.type not in ("method", "singleton_method"):
        method = method.parent
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param if param.type == "identifier" else param.child_by_field_name("name")
        if own is not None and text(own) == name and param.type in (
                "identifier", "optional_parameter", "keyword_parameter"):
            return True
    return False
