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

Not reported: ``N.times`` that builds or walks things (no early exit, or no pause), ``each``
loops, a variable named ``retries``.

Why it matters: every turn reaches the callee again; a start-up probe that tries three times
three seconds apart delays boot by up to the sum.

Example: ``MAX_RETRIES.times do |i| return true if ping(host); sleep 2 end`` with
``MAX_RETRIES = 3`` -> retry max_attempts 3, backoff fixed.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
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
        attempts, pending = max_attempts(receiver)
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", call, ID, attrs, "high" if attempts is not None else "medium", pending=pending)
    yield from _countdowns(f)


def _countdowns(f: RubyFile) -> Iterable[Finding]:
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
        if counter is None or backoff is None:
            continue
        start = _start_value(loop, counter)
        attempts, pending = _count(f, start)
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


def _count(f: RubyFile, start: Node | None):
    if start is None:
        return None, ()
    if start.type in ("identifier", "instance_variable"):
        name = text(start).lstrip("@")
        defaults = [n.child_by_field_name("value") for n in walk(f.root)
                    if n.type in ("keyword_parameter", "optional_parameter")
                    and text(n.child_by_field_name("name")) == name and n.child_by_field_name("value") is not None]
        if len(defaults) == 1:
            return max_attempts(defaults[0], add=1.0)
    return max_attempts(start, add=1.0)
