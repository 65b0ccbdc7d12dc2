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
    if node.type == "call" and text(node.child_by_field_name("method")) in ("to_i", "to_f"):
        node = node.child_by_field_name("receiver")
    if node is None or node.type != "call":
        return False
    return syntax.callee_text(node) in NOW


def _bound(node: Node) -> Node:
    if node.type == "identifier":
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


def _in_loop(node: Node) -> bool:
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
    for node in walk(f.root):
        if node.type != "binary" or syntax._operator(node) not in COMPARISONS:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or not _in_loop(node) or _local_lock_wait(f, node):
            continue
        value = None
        for clock, other in ((left, right), (right, left)):
            if _is_now(clock):
                value = _duration(other)
                break
            # Time.now - started > limit
            if clock.type == "binary" and syntax._operator(clock) == "-" and _is_now(clock.child_by_field_name("left")):
                value = other
                break
        else:
            continue
        if value is None:
            attrs = {"timeout_ms": None, "phase": "deadline", "resolved_from": "unresolved", "expression": text(node)}
            yield f.finding("timeout", node, ID, attrs, "low")
        else:
            yield f.timeout(node, value, "deadline", ID, "ruby")


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
