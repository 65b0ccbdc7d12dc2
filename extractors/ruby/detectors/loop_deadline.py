"""A deadline checked in a loop: ``until Time.now > deadline`` with ``deadline = 10.seconds.from_now``.

What it does: reports a comparison of the clock (``Time.now``, ``Time.zone.now``,
``Time.current``, ``Process.clock_gettime``) with a deadline inside a loop (``while``,
``until``, ``loop do``) as a timeout with phase ``deadline``; the value is the duration the
deadline was built from (``10.seconds.from_now``, ``Time.now + 30``, ``start + limit``,
``Time.now - started > limit``), unresolved when it cannot be read.

A timer object asked in a loop counts the same way: ``timer = Timer.new(45)`` ... ``break if
timer.expired?`` inside ``while``/``loop`` (a class named ``*Timer``/``*Deadline``/``*Budget``/
``*Stopwatch`` made with one duration, asked ``expired?``/``exceeded?``/``timed_out?``/``over?``)
is a 45 s deadline, at the line that makes the timer.

A deadline kept for the request being handled counts the same way outside a loop:
``RequestStore.store[:deadline] = Time.zone.now + API_SLA`` (or ``Current.request_deadline =
5.seconds.from_now``, ``Thread.current[:deadline] = ...``), which the service's clients read back to
bound each call the request makes (phase total, at the assignment).

A deadline made for one call counts too: ``WebsocketFrameReader.read(socket, deadline: 20.seconds.from_now)``
or ``connect_deadline = [Time.current + CONNECT_DEADLINE, @stop].min`` handed to ``create(uri, deadline:
connect_deadline)`` (at the line making it; not a record's ``deadline:`` column in ``Task.create``).

Not reported (round 17): a deadline the method was handed (``def listen(relay, deadline)``: its maker
holds the contract), a session's expiry (``deadline = session.expires_at``: a wait on a person), the
run loop of a stoppable worker (``until Time.current >= @stop_deadline || @stopping``) and an idle
cutoff (``Time.current - last_active_at > IDLE_GRACE``).

Not reported: a loop waiting for a lock of this process or machine (``try_lock``, ``flock``, or a
lock class whose loop calls nothing but the clock: the lock attempt is yielded), the same comparison outside a loop (a session age check is not a bound on
work), a loop over items without a clock, a sleep.

Why it matters: a hand-written poll or paging loop often has no client timeout of its own;
the deadline is the only bound on how long the caller waits.

Example: ``deadline = 10.seconds.from_now; until Time.zone.now > deadline do poll end`` ->
timeout 10000 ms, phase deadline.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, ruby_detector
from extractors.treesitter import Node, text, walk

ID = "ruby.loop_deadline"

NOW = {"Time.now", "Time.zone.now", "Time.current", "DateTime.now", "Process.clock_gettime"}
LOOPS = ("while", "until", "while_modifier", "until_modifier", "for")
COMPARISONS = (">", ">=", "<", "<=")


def _is_now(node: Node | None) -> bool:
    if node is None:
        return False
    while node is not None and node.type == "call" and text(node.child_by_field_name("method")) in (
            "to_i", "to_f", "utc") and syntax.callee_text(node) not in NOW:
        node = node.child_by_field_name("receiver")  # `Time.now.utc`, `Time.now.to_f`
    if node is None or node.type != "call":
        return False
    return syntax.callee_text(node) in NOW


def _bound(node: Node) -> Node:
    if node.type in ("identifier", "instance_variable"):
        # (round 19, bosh: `@deadline = Time.now.to_i + deadline` earlier in the same method)
        found = syntax.local_assignment(text(node), node)
        if found is not None:
            return found
    return node


def _duration(deadline: Node) -> Node | None:
    """The duration a deadline expression was built from, or None."""
    node = _bound(deadline)
    if node.type == "call" and text(node.child_by_field_name("method")) == "from_now":
        return node.child_by_field_name("receiver")
    if node.type == "binary" and syntax._operator(node) == "+":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if _is_now(left) or _is_now(_bound(left)):
            return right
        if _is_now(right) or _is_now(_bound(right)):
            return left
    return None


def _retry_guard(node: Node) -> bool:
    """``rescue RpcTimeout; retry if @deadline - Time.now.to_i > 0``: the condition of a ``retry`` in a
    rescue clause, which re-runs the begin block like a loop (round 19, bosh)."""
    for parent in syntax.ancestors_of(node):
        if parent.type in ("if_modifier", "unless_modifier"):
            body = parent.child_by_field_name("body")
            return body is not None and body.type == "retry" and any(
                a.type == "rescue" for a in syntax.ancestors_of(parent))
        if parent.type not in ("binary", "parenthesized_statements", "unary"):
            return False
    return False


def _in_loop(node: Node) -> bool:
    if _retry_guard(node):
        return True
    if _recursing(node):
        return True
    for parent in syntax.ancestors_of(node):
        if parent.type in LOOPS:
            return True
        if parent.type in ("block", "do_block") and parent.parent is not None and parent.parent.type == "call" \
                and text(parent.parent.child_by_field_name("method")) == "loop" \
                and parent.parent.child_by_field_name("receiver") is None:
            return True
        if parent.type in ("method", "singleton_method", "class", "module", "lambda"):
            return False
    return False


def _recursing(node: Node) -> bool:
    """The comparison sits in a method that calls itself again (``def get(endpoint, params,
    first_request_time = nil, retry_counter = 0) ... if elapsed > @retry_timeout; raise ...; end ...
    return self.get(endpoint, params, first_request_time, retry_counter + 1)``; round 22, the round-21
    cartodb request): the recursion is the loop the deadline bounds."""
    method = syntax.enclosing(node, ("method", "lambda", "block", "do_block"))
    if method is None or method.type != "method":
        return False
    name = text(method.child_by_field_name("name"))
    for call in walk(method):
        if call.type == "call" and text(call.child_by_field_name("method")) == name and \
                (call.child_by_field_name("receiver") is None or text(call.child_by_field_name("receiver")) == "self"):
            return True
    return False


LOCK_CLASS = re.compile(r"(?:lock|mutex|semaphore)$", re.IGNORECASE)
CLOCKS = ("Time", "Process", "DateTime", "Kernel")


def _loop_of(node: Node) -> Node | None:
    for parent in syntax.ancestors_of(node):
        if parent.type in LOOPS:
            return parent
        if parent.type in ("block", "do_block") and parent.parent is not None and parent.parent.type == "call" \
                and text(parent.parent.child_by_field_name("method")) == "loop":
            return parent
        if parent.type in ("method", "singleton_method", "class", "module", "lambda"):
            return None
    return None


def _local_lock_wait(f: RubyFile, node: Node) -> bool:
    """A loop waiting for a lock of this process or machine: it tries ``try_lock``/``flock``, or it
    sits in a lock class (``Flock``, ``MultiLock``) and calls nothing but the clock (the lock attempt
    is yielded). A lock held in a service (``redis.set(key, nx: true)``) is a call and stays."""
    loop = _loop_of(node)
    if loop is None:
        return False
    calls = [n for n in walk(loop) if n.type == "call"]
    if any(f.method_of(c) in ("try_lock", "flock") for c in calls):
        return True
    chain = syntax.class_chain(node)
    if not chain or not LOCK_CLASS.search(chain[-1]):
        return False
    return all(f.receiver_of(c).split(".", 1)[0] in ("", *CLOCKS) for c in calls
               if c.child_by_field_name("receiver") is not None and f.method_of(c) not in ("to_f", "to_i", "now"))


@ruby_detector(ID, ("timeout",),
               valid=("if Time.now - session_at > TIMEOUT\n  logout\nend\n",
                      "items.each { |i| send(i) }\n", "# until Time.now > deadline\n"),
               invalid=("deadline = 10.seconds.from_now\nuntil Time.zone.now > deadline\n  poll\nend\n",
                        "start = Time.now\nloop do\n  raise 'slow' if Time.now > start + 30\n  fetch\nend\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    yield from _timer_objects(f)
    yield from _request_deadlines(f)
    yield from _deadline_arguments(f)
    yield from _counted_waits(f)
    yield from _predicate_deadlines(f)
    guarded: set = set()
    for node in walk(f.root):
        if node.type != "binary" or syntax._operator(node) not in COMPARISONS:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or not _in_loop(node) or _local_lock_wait(f, node):
            continue
        if _retry_guard(node):
            # one deadline for the begin block: a second rescue's guard of the same comparison is the same
            method = next((p for p in syntax.ancestors_of(node) if p.type in ("method", "singleton_method")), None)
            key = (method.id if method is not None else None, text(node))
            if key in guarded:
                continue
            guarded.add(key)
        value = None
        for clock, other in ((left, right), (right, left)):
            if _is_now(clock):
                value = _duration(other)
                break
            # Time.now - started > limit
            if clock.type == "binary" and syntax._operator(clock) == "-" and _is_now(clock.child_by_field_name("left")):
                value = other
                break
            # `@deadline - Time.now.to_i > 0`: time left before a deadline (round 19, bosh)
            if clock.type == "binary" and syntax._operator(clock) == "-" and _is_now(clock.child_by_field_name("right")) \
                    and other.type == "integer" and text(other) == "0":
                value = _duration(clock.child_by_field_name("left"))
                break
            # `elapsed = Time.now - start_time` ... `fail "timed out" if elapsed > timeout` (round 18, katello)
            elapsed = syntax.local_assignment(text(clock), clock) if clock.type == "identifier" else None
            if elapsed is not None and elapsed.type == "binary" and syntax._operator(elapsed) == "-" \
                    and _is_now(elapsed.child_by_field_name("left")):
                clock = elapsed
                value = other
                break
        else:
            continue
        if _not_a_call_bound(node, clock, other):
            continue
        if value is None:
            attrs = {"timeout_ms": None, "phase": "deadline", "resolved_from": "unresolved", "expression": text(node)}
            yield f.finding("timeout", node, ID, attrs, "low")
        else:
            yield f.timeout(node, value, "deadline", ID, "ruby")


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_statements" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _single_expression(method: Node) -> Node | None:
    params = method.child_by_field_name("parameters")
    if params is not None and params.named_children:
        return None
    body = method.child_by_field_name("body")
    statements = [c for c in (body.named_children if body is not None else []) if c.type != "comment"]
    return statements[0] if len(statements) == 1 else None


def _predicate_deadlines(f: RubyFile) -> Iterable[Finding]:
    """A poll loop's check through a predicate of the file (round 22, the round-21 cartodb request:
    ``until done do; if timeout? ... end`` with ``def timeout?; (Time.now - @started_at) > default_timeout;
    end`` and ``def default_timeout; DEFAULT_TIMEOUT; end``): the elapsed-time bound, at the check in the
    loop (phase deadline)."""
    if b"?" not in f.data:
        return
    methods = {text(m.child_by_field_name("name")): m for m in walk(f.root) if m.type == "method"}
    bounds: dict[str, Node] = {}
    for name, method in methods.items():
        if not name.endswith("?"):
            continue
        expr = _unwrap(_single_expression(method))
        if expr is None or expr.type != "binary" or syntax._operator(expr) not in (">", ">="):
            continue
        elapsed = _unwrap(expr.child_by_field_name("left"))
        if elapsed is None or elapsed.type != "binary" or syntax._operator(elapsed) != "-" \
                or not _is_now(elapsed.child_by_field_name("left")):
            continue
        bounds[name] = expr.child_by_field_name("right")
    if not bounds:
        return
    for node in walk(f.root):
        if node.type not in ("identifier", "call") or text(node.child_by_field_name("method") if node.type == "call"
                                                            else node) not in bounds:
            continue
        if node.type == "call" and (node.child_by_field_name("receiver") is not None
                                    or node.child_by_field_name("arguments") is not None):
            continue
        holder = node.parent
        if holder is None or holder.type not in ("if", "unless", "if_modifier", "unless_modifier", "while", "until") \
                or holder.child_by_field_name("condition") != node or _loop_of(node) is None:
            continue
        bound = bounds[text(node.child_by_field_name("method") if node.type == "call" else node)]
        if bound is not None and bound.type == "identifier" and text(bound) in methods:
            # `default_timeout` read through a reader of the file returning one value (`DEFAULT_TIMEOUT`)
            bound = _single_expression(methods[text(bound)]) or bound
        if bound is None:
            continue
        found = f.timeout(node, bound, "deadline", ID, "ruby")
        if found.kind == "timeout" and (found.attributes.get("timeout_ms") is not None or found.pending):
            yield found


# A loop's stop flag beside the clock (`until Time.current >= @stop_deadline || @stopping`): a worker's or
# supervisor's run loop, stopped on request or after its run time, no bound on a call.
STOP_FLAG = re.compile(r"^(?:@|self\.)?(?:stop|stopping|stopped|shutdown|shutting_down|terminat|quit|running|"
                       r"cancel|exit|done|finished|closed)\w*\??$", re.IGNORECASE)
# An inactivity cutoff (`Time.current - last_active_at > IDLE_GRACE`): how long to linger idle.
IDLE = re.compile(r"idle|last_(?:active|activity|seen|message|heartbeat|used)", re.IGNORECASE)


def _not_a_call_bound(node: Node, clock: Node, other: Node) -> bool:
    """The clock comparison bounds no call: a deadline handed in as a parameter (its maker holds the
    contract, as with a request's deadline), the run loop of a stoppable worker (a stop flag beside the
    clock in the loop's condition), or an idle cutoff."""
    if IDLE.search(text(other)) or IDLE.search(text(clock)):
        return True
    if other.type == "identifier" and re.search(r"expir|valid_until", text(_bound(other)), re.IGNORECASE) \
            and _bound(other) is not other:
        return True  # `deadline = @auth_session.expires_at`: a session's expiry, a wait on a person
    if other.type in ("identifier", "instance_variable") and _handed_in(other):
        return True
    condition = node
    while condition.parent is not None and condition.parent.type in ("binary", "parenthesized_statements", "unary"):
        condition = condition.parent
    if condition is not node and condition.parent is not None and condition.parent.type in LOOPS:
        for part in walk(condition):
            if part.type in ("identifier", "instance_variable", "call") and part is not node \
                    and STOP_FLAG.match(text(part)):
                return True
    return False


def _handed_in(name_node: Node) -> bool:
    """``def listen(relay, deadline)`` ... ``while Time.current < deadline``: a deadline the method was
    handed (not made in it): ``@deadline`` set from a parameter of ``initialize`` without default counts too."""
    name = text(name_node)
    if name_node.type == "identifier":
        if syntax.local_assignment(name, name_node) is not None:
            return False
        method = syntax.enclosing(name_node, ("method", "singleton_method"))
        params = method.child_by_field_name("parameters") if method is not None else None
        for param in params.named_children if params is not None else []:
            own = param.child_by_field_name("name") if param.type != "identifier" else param
            if own is not None and text(own) == name and param.type in ("identifier", "keyword_parameter") \
                    and (param.type == "identifier" or param.child_by_field_name("value") is None):
                return True
    return False


TIMER_CLASS = re.compile(r"(?:Timer|Deadline|Budget|Stopwatch|Countdown)$")
EXPIRED = ("expired?", "expired", "exceeded?", "timed_out?", "over?", "elapsed?", "passed?")


def _timer_objects(f: RubyFile) -> Iterable[Finding]:
    seen = set()
    for call in f.calls:
        if f.method_of(call) not in EXPIRED or not _in_loop(call):
            continue
        receiver = call.child_by_field_name("receiver")
        if receiver is None or receiver.type != "identifier":
            continue
        made = syntax.local_assignment(text(receiver), receiver)
        if made is None or made.type != "call" or text(made.child_by_field_name("method")) != "new":
            continue
        cls = syntax.callee_text(made.child_by_field_name("receiver")).split(".")[-1]
        site = f.site(made)
        if not TIMER_CLASS.search(cls) or len(site.args) != 1 or made.id in seen:
            continue
        seen.add(made.id)
        anchor = made.parent if made.parent is not None and made.parent.type == "assignment" else made
        yield f.timeout(anchor, site.args[0].node, "deadline", ID, "ruby")


# Request-scoped storage: what one request's handling reads back anywhere (a client's middleware).
REQUEST_STORES = ("RequestStore.store", "RequestStore", "Thread.current", "Current")


def _request_deadlines(f: RubyFile) -> Iterable[Finding]:
    """``RequestStore.store[:deadline] = Time.zone.now + API_SLA`` (or ``Current.deadline =
    5.seconds.from_now``): a deadline kept for the request being handled, which the service's clients
    read back (prison-visits' Excon Deadline middleware turns it into each call's read/write
    timeout): a bound on every call the request makes, reported with its duration (phase total)."""
    for node in walk(f.root):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            continue
        if left.type == "element_reference":
            store = left.child_by_field_name("object")
            keys = [c for c in left.named_children if c != store]
            name = text(keys[0]).lstrip(":").strip("'\"") if len(keys) == 1 else ""
        elif left.type == "call":
            store = left.child_by_field_name("receiver")
            name = text(left.child_by_field_name("method"))
        else:
            continue
        if store is None or "deadline" not in name.lower() or syntax.callee_text(store) not in REQUEST_STORES:
            continue
        duration = _duration(right)
        if duration is not None:
            yield f.timeout(node, duration, "total", ID, "ruby")


# Model writes and lookups: a `deadline:` there is a column of a record, no bound on a call.
RECORD_WRITES = frozenset({"new", "create", "create!", "build", "update", "update!", "update_columns", "update_column",
                           "assign_attributes", "where", "find_by", "find_or_create_by", "find_or_create_by!",
                           "find_or_initialize_by", "insert", "insert_all", "upsert", "upsert_all", "save", "save!",
                           "perform_later", "perform_async", "set"})


def _deadline_arguments(f: RubyFile) -> Iterable[Finding]:
    """``WebsocketFrameReader.read(socket, deadline: 20.seconds.from_now)``, or ``connect_deadline =
    [Time.current + CONNECT_DEADLINE, @stop].min`` handed on as ``create(uri, deadline: connect_deadline)``:
    a deadline made for one call (the clock plus a duration; in ``[...].min`` the clock's own element)
    bounds that call. Reported with the duration at the line making it (the call's, when inline);
    a local also checked against the clock in a loop is reported there instead."""
    for pair in walk(f.root):
        if pair.type != "pair" or "deadline" not in (syntax.pair_key(pair) or "").lower():
            continue
        holder = pair.parent
        if holder is None or holder.type != "argument_list" or holder.parent is None or holder.parent.type != "call":
            continue
        if text(holder.parent.child_by_field_name("method")) in RECORD_WRITES:
            continue  # `Task.create(name: n, deadline: Time.now + 3.days)`: a record's date column
        value = pair.child_by_field_name("value")
        anchor: Node = holder.parent
        if value is not None and value.type == "identifier":
            made = syntax.local_assignment(text(value), value)
            if made is None or _checked_in_loop(value):
                continue
            anchor, value = (made.parent if made.parent is not None else made), made
        if value is None:
            continue
        if value.type == "call" and text(value.child_by_field_name("method")) == "min" \
                and value.child_by_field_name("receiver") is not None \
                and value.child_by_field_name("receiver").type == "array":
            made_here = [item for item in value.child_by_field_name("receiver").named_children
                         if _duration(item) is not None]
            if len(made_here) != 1:
                continue
            value = made_here[0]
        duration = _duration(value)
        if duration is not None:
            yield f.timeout(anchor, duration, "total", ID, "ruby")


def _checked_in_loop(use: Node) -> bool:
    """The local is compared with the clock inside a loop of the same method (reported there)."""
    method = syntax.enclosing(use, ("method", "singleton_method"))
    if method is None:
        return False
    name = text(use)
    for node in walk(method):
        if node.type == "binary" and syntax._operator(node) in COMPARISONS and _in_loop(node):
            sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
            if any(side is not None and text(side) == name for side in sides) and any(_is_now(side) for side in sides):
                return True
    return False


WAIT_BOUND = re.compile(r"^@?(?:[a-z_]*_)?(?:timeout|wait_timeout|max_wait(?:_time)?|deadline)(?:_(?:s|sec|secs|seconds))?$|"
                        r"^(?:[A-Z_]*_)?(?:TIMEOUT|MAX_WAIT)(?:_S|_SEC|_SECS|_SECONDS)?$")
OWN_DATABASE = re.compile(r"ApplicationRecord|\.uncached\b|\.where\(|\.find_by\b|\.reload\b")
_OWN_STOP = ("block", "do_block", "lambda", "method", "singleton_method", "class", "module")


def _counted_waits(f: RubyFile) -> Iterable[Finding]:
    """A poll that pauses and gives up once a timeout-named bound is passed, counted without the clock in
    the check (round 18: feeder's ``break [true, recs] if wait_timed_out?(waited, wait_timeout)`` with
    ``def wait_for(recs, wait_timeout: API_WAIT_TIMEOUT)``, Portus's ``raise ... if count >= WAIT_TIMEOUT``
    with ``sleep WAIT_INTERVAL; count += 5``): the bound, in seconds, at the give-up check (phase
    deadline). The bound must be a constant, a field or the method's own parameter (a parameter with a
    default is the helper's default and its callers' value, see ``ruby.wrapper_call``); the loop must
    sleep in its own body; a check of the clock is the comparison rule's."""
    for loop in walk(f.root):
        if loop.type in ("while", "until"):
            body = loop.child_by_field_name("body")
        elif loop.type == "call" and f.method_of(loop) == "loop" and loop.child_by_field_name("receiver") is None \
                and loop.child_by_field_name("block") is not None:
            body = loop.child_by_field_name("block")
        else:
            continue
        if body is None or not any(n.type == "call" and f.method_of(n) == "sleep" or n.type == "identifier"
                                   and text(n) == "sleep" for n in walk(body) if _own_node(n, body)):
            continue
        if OWN_DATABASE.search(text(body)):
            continue  # a poll of the app's own records (docuseal's LockEvent wait): no remote's bound
        for guard in walk(body):
            if guard.type not in ("if", "if_modifier", "unless", "unless_modifier") or not _own_node(guard, body):
                continue
            condition = guard.child_by_field_name("condition")
            branch = guard.child_by_field_name("consequence") or guard.child_by_field_name("body")
            if condition is None or branch is None or not any(
                    n.type in ("break", "return") or n.type == "call" and f.method_of(n) in ("raise", "fail")
                    or n.type == "identifier" and text(n) in ("raise", "fail") for n in walk(branch)):
                continue
            if any(n.type == "call" and _is_now(n) for n in walk(condition)):
                continue  # the clock compared: the comparison rule's
            bound = _wait_bound(condition)
            if bound is None:
                continue
            yield f.timeout(guard, bound, "deadline", ID, "ruby")
            break


def _own_node(node: Node, body: Node) -> bool:
    parent = node.parent
    while parent is not None and parent != body:
        if parent.type in _OWN_STOP:
            return False
        parent = parent.parent
    return parent == body


def _wait_bound(condition: Node) -> Node | None:
    """The timeout-named operand of a comparison (``count >= WAIT_TIMEOUT``) or an argument of a check
    (``wait_timed_out?(waited, wait_timeout)``), when it is a constant, a field or a parameter."""
    candidates = []
    if condition.type == "binary" and syntax._operator(condition) in COMPARISONS:
        candidates = [condition.child_by_field_name("left"), condition.child_by_field_name("right")]
    elif condition.type == "call" and re.search(r"(?i)timed?_?out|expire|exceed|deadline|too_long|waited",
                                                text(condition.child_by_field_name("method") or condition)):
        # `wait_timed_out?(waited, wait_timeout)`: a check that says it asks the bound (not `work_done?`)
        arguments = condition.child_by_field_name("arguments")
        candidates = list(arguments.named_children) if arguments is not None else []
    for node in candidates:
        if node is None or node.type not in ("identifier", "constant", "scope_resolution", "instance_variable"):
            continue
        name = text(node).split("::")[-1]
        if not WAIT_BOUND.match(name):
            continue
        if node.type == "identifier" and not _is_parameter(node):
            continue  # a local: its maker is read where it is made
        return node
    return None


def _is_parameter(node: Node) -> bool:
    method = syntax.enclosing(node, ("method", "singleton_method"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else ():
        own = param if param.type == "identifier" else param.child_by_field_name("name")
        if own is not None and text(own) == text(node):
            return True
    return False
