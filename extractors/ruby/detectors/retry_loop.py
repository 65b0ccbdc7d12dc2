"""``3.times do ... return if ok ... sleep ... end``: a counted loop that tries again after a pause.

What it does: reports ``N.times do ... end`` (``MAX_RETRIES.times``, ``attempts.times``) as a
retry of ``N`` attempts (mechanism loop) when the block leaves on success (``return``/``break``,
usually ``return true if reachable?(host)``) and pauses between turns (``sleep``). The count is
the receiver: a literal, or a constant the pipeline resolves.

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
