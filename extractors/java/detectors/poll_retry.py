"""Calls retried by a project's time-bounded polling helper.

What it does: a project method that calls a functional parameter again and again in a loop, sleeping
between calls, until a time budget runs out (brooklin's ``PollUtils.poll(supplier, cond, periodMs,
timeoutMs)``: ``while (true) { ret = supplier.get(); if (cond.test(ret)) return ret; Thread.sleep(periodMs);
if (now - start >= timeoutMs) break; }``) publishes ``<Class>.<method>.$poll_retry:<index>`` for the position
of that parameter (under its class's name and the interfaces it implements). A call of such a helper, in any
file, whose lambda at that position catches a failure and answers ``null``/``Optional.empty()`` (no result yet) so
that the helper calls it again (``PollUtils.poll(() -> { try { return client.get(..); } catch
(RemoteInvocationException e) { if (timedOut(e)) return null; throw .. } }, Objects::nonNull, period,
timeout)``) is a retry of the work in the lambda, bounded by time: max_attempts null, reported at the called
name (kept only when the callee publishes the position: ``$keep_if``).

Not reported: the same helper waiting for a condition (``PollUtils.poll(processor::isStopped, 200, t)``,
``poll(() -> done.get(), ..)``: no failure is caught, a poll of a state, not a retry; a readiness check answering
``false`` when it fails, ``try { return client.isReady(); } catch (E e) { return false; }``: a wait for a state), a loop calling its
parameter once per item, a helper without a sleep or without a time check (a counted retry helper publishes its
attempts parameter through ``wrapper_call``).

Why it matters: services hide their retries of remote calls in such helpers (round 16: brooklin's Rest.li
client, 13 calls); the helper's file holds no remote call and the caller's file holds no loop.

Example: ``PollUtils.poll(() -> { try { return doGet(name); } catch (RemoteInvocationException e) { return
null; } }, Objects::nonNull, 1000, 90000)`` with ``PollUtils.poll`` looping on ``supplier.get()`` -> retry
(max_attempts null) at ``poll``.
"""

from __future__ import annotations

import re

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Num, Ref
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.detectors.wrapper_call import _any_callee, _class_names
from extractors.java.jvm import documented
from extractors.java.syntax import JavaFile, arguments, enclosing, name_location

ID = "java.poll_retry"
POLL_RETRY = "$poll_retry"

_LOOPS = ("while_statement", "do_statement", "for_statement")
_INVOKE = frozenset({"get", "call", "getAsBoolean", "test", "apply", "run", "execute", "invoke"})
_SLEEP = re.compile(r"\b(Thread\.sleep|sleep|\w+\.sleep|SECONDS\.sleep|MILLISECONDS\.sleep)\s*\(")
_CLOCK = re.compile(r"currentTimeMillis\s*\(|nanoTime\s*\(|Instant\.now\s*\(|\bclock\.\w+\(|\bdeadline\b|"
                    r"Stopwatch|elapsed", re.IGNORECASE)
_GIVE_UP = re.compile(r"^return\s+(null|Optional\.empty\(\s*\))\s*;$")


def _helper_positions(method: ts.Node) -> list[int]:
    """The positions of the parameters this method calls again in a time-bounded, sleeping loop."""
    params = method.child_by_field_name("parameters")
    body = method.child_by_field_name("body")
    if params is None or body is None:
        return []
    names = [ts.text(p.child_by_field_name("name")) for p in params.named_children if p.type == "formal_parameter"]
    if len(names) < 2 or not _CLOCK.search(ts.text(body)):
        return []
    out: set[int] = set()
    for loop in (n for n in ts.walk(body) if n.type in _LOOPS):
        text = ts.text(loop)
        if not _SLEEP.search(text) or not _CLOCK.search(text + ts.text(body)):
            continue
        for call in (n for n in ts.walk(loop) if n.type == "method_invocation"):
            receiver = call.child_by_field_name("object")
            if receiver is None or receiver.type != "identifier" or ts.text(call.child_by_field_name("name")) not in _INVOKE:
                continue
            if ts.text(receiver) in names:
                out.add(names.index(ts.text(receiver)))
    return sorted(out)


def _publish(jf: JavaFile) -> None:
    for cls in (n for n in ts.walk(jf.tree.root_node) if n.type == "class_declaration"):
        body = cls.child_by_field_name("body")
        for method in (m for m in (body.named_children if body is not None else ()) if m.type == "method_declaration"):
            for index in _helper_positions(method):
                name = ts.text(method.child_by_field_name("name"))
                for owner in _class_names(cls):
                    jf.symbols.setdefault(f"{owner}.{name}.{POLL_RETRY}:{index}", Num(1))


def _swallows_failure(arg: ts.Node) -> bool:
    """A block lambda that catches a failure and answers null/empty (the helper then calls it again); not one
    answering false (a readiness poll: a wait for a state, no retry)."""
    if arg.type != "lambda_expression":
        return False
    body = arg.child_by_field_name("body")
    if body is None or body.type != "block":
        return False
    own = [n for n in ts.walk(body) if enclosing(n, ("lambda_expression",)) == arg]
    if not any(n.type == "catch_clause" for n in own):
        return False
    return any(n.type == "return_statement" and _GIVE_UP.match(re.sub(r"\s+", " ", ts.text(n)).replace("( )", "()"))
               for n in own)


@detector(ID, "java", ("retry",),
          valid=['class A { boolean f() { return PollUtils.poll(() -> isStopped(), 200, 5000); } }'],
          invalid=['class A { static <T> T poll(Supplier<T> s, long period, long timeoutMs) { long start = '
                   'System.currentTimeMillis(); while (true) { T t = s.get(); if (t != null) return t; '
                   'Thread.sleep(period); if (System.currentTimeMillis() - start > timeoutMs) return null; } } '
                   'Object g() { return poll(() -> { try { return call(); } catch (Exception e) { return null; } }, '
                   '100, 5000); } }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    _publish(jf)
    taken = {f.line for f in jf.sink.findings if f.kind == "retry"}
    for site in jf.calls:
        call = site.node
        args = arguments(call)
        positions = [i for i, a in enumerate(args) if _swallows_failure(a)]
        if not positions:
            continue
        callee = _any_callee(jf, call)
        if callee is None:
            continue
        loc = name_location(call, site.name_node)
        if loc[0] in taken:
            continue
        index = positions[0]
        jf.sink.add("retry", loc, ID,
                    {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                     "expression": f"{callee}(..)", "via": callee, "bounded_by": "time"},
                    jf.evidence(site.name_node), "medium", None,
                    pending=(Pending(KEEP_IF, Ref(f"{callee}.{POLL_RETRY}:{index}"), None),))
