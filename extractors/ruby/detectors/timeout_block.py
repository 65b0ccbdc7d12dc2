"""``Timeout.timeout(5) { ... }``: a deadline around a block of work (Ruby's stdlib Timeout).

What it does: reports ``Timeout.timeout(seconds) { ... }`` (also ``Timeout::timeout``)
as a timeout with phase ``function``: it bounds everything the block does, whatever
client runs inside. ``Timeout.timeout(nil)`` / ``0`` disables it.

Why it matters: it is often the only bound around a call to another service, and it
stacks with (or hides) the client's own timeouts.

Example: ``Timeout.timeout(2) { risk.score(tx) }`` -> timeout 2000 ms, phase function.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, ruby_detector
from extractors.treesitter import text

ID = "ruby.timeout_block"


@ruby_detector(ID, ("timeout", "missing_timeout"),
               valid=("rescue Timeout::Error => e\n", "Timeout::Error\n", "timeout = 5\n"),
               invalid=("Timeout.timeout(2) { work }\n", "Timeout::timeout(5) do\n  work\nend\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("timeout"):
        if f.receiver_of(call) != "Timeout":
            continue
        site = f.site(call)
        if not site.args:
            continue
        value = site.args[0].node
        if syntax.settle(syntax.to_expr(value)) == 0:
            yield f.missing(call, ID, "timeout", None)
            continue
        yield f.timeout(call, value, "function", ID, "timeout")
