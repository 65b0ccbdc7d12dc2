"""A deadline checked while work repeats: ``if (DateTime.UtcNow.Subtract(start).TotalMinutes > MaxMinutes)``.

What it does: reports a comparison of the time elapsed since a start (``DateTime.UtcNow -
start``, ``DateTime.UtcNow.Subtract(start)``, ``stopwatch.Elapsed``, ``sw.ElapsedMilliseconds``)
with a limit, or of the clock with a deadline (``DateTime.UtcNow > deadline`` where ``deadline
= DateTime.UtcNow.AddSeconds(30)``), inside a loop or a lambda run per item (``items.Select(async
x => ...)``), as a timeout with phase ``deadline``. The unit comes from the property read
(``TotalMinutes``, ``TotalSeconds``, ``TotalMilliseconds``, ``ElapsedMilliseconds``) or from the
TimeSpan compared with.

Not reported: the same comparison outside repeated work (an age check on a record), a loop
that only counts items, a time budget on a computation (a loop that awaits nothing and calls nothing
named for I/O or waiting, itself or through this file's methods), the age of each item the loop walks (``foreach (var s in services)
if (DateTime.UtcNow - s.LastUpdated > Period)``: whether that item is due, not a bound on the loop),
the age of a time stamp read from data (``DateTimeOffset.Now - DateTimeOffset.FromUnixTimeSeconds(
t.FinishedAt) >= seedTime``), a cut-off time (``oldest < DateTime.UtcNow - TimeSpan.FromHours(24)``) and
a time passed that lets work start (``if (DateTime.Now.Subtract(firstRun) > TimeSpan.FromHours(1))
await DoWork();``: a schedule; a deadline's branch stops, cancels or flags the work).

Round 13: a loop waiting for a child process to end (``while (!proc.HasExited && DateTime.UtcNow <
deadline)``) is no call either; round 14: nor is a deadline whose branch kills local processes (``if (now -
orphanStart >= OrphanKillCeiling) KillOrphanedArmaProcesses();``, a watchdog of processes).

Why it matters: a batch or polling loop often has no client timeout of its own; the deadline is
the only bound on how long the job keeps calling.

Example: ``if (DateTime.UtcNow.Subtract(startTime).TotalMinutes > 10)`` in a per-item lambda ->
timeout 600000 ms, phase deadline.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.values import BinOp, Expr, Num, Unknown
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.loop_deadline"
NOW = ("DateTime.UtcNow", "DateTime.Now", "DateTimeOffset.UtcNow", "DateTimeOffset.Now")
UNITS = {"TotalMilliseconds": 1.0, "ElapsedMilliseconds": 1.0, "TotalSeconds": 1000.0, "TotalMinutes": 60000.0,
         "TotalHours": 3600000.0}
LOOPS = ("for_statement", "while_statement", "do_statement", "foreach_statement")
COMPARE = (">", ">=", "<", "<=")
FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _is_now(node: Node | None) -> bool:
    node = syntax.unwrap(node)
    if node is None:
        return False
    if node.type == "member_access_expression" and syntax.dotted(node) in NOW:
        return True
    if node.type == "member_access_expression" and text(node.child_by_field_name("name")) == "CurrentUtcDateTime":
        return True  # round 12: a Durable orchestration's replay-safe clock (`context.CurrentUtcDateTime`)
    # _timeProvider.GetUtcNow() / TimeProvider.System.GetUtcNow()
    return node.type == "invocation_expression" and syntax.invocation(node).name in ("GetUtcNow", "GetLocalNow")


def _elapsed(node: Node | None) -> tuple[bool, float | None]:
    """(is it a time elapsed, the ms per unit it is read in; None = a TimeSpan)."""
    node = syntax.unwrap(node)
    if node is None:
        return False, None
    unit = None
    if node.type == "member_access_expression":
        name = text(node.child_by_field_name("name"))
        if name in UNITS:
            unit = UNITS[name]
            if name == "ElapsedMilliseconds":
                return True, unit
            node = syntax.unwrap(node.child_by_field_name("expression"))
        elif name == "Elapsed":
            return True, None
    if node is None:
        return False, None
    if node.type == "member_access_expression" and text(node.child_by_field_name("name")) == "Elapsed":
        return True, unit
    if node.type == "invocation_expression":
        inv = syntax.invocation(node)
        if inv.name == "Subtract" and _is_now(inv.receiver):
            return not (inv.args and _item_age(inv.args[0])), unit
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "-" \
            and _is_now(node.child_by_field_name("left")):
        start = node.child_by_field_name("right")
        return not (_item_age(start) or _read_from_data(start) or _span(start) or _read_each_turn(start)), unit
    return False, None


LOOPS = ("for_statement", "while_statement", "do_statement", "foreach_statement")


def _read_each_turn(start: Node | None) -> bool:
    """``var x = cache.Get<DateTime>(key); if (DateTime.UtcNow - x > ...)`` / ``var update = repo.Get(id);
    ... DateTime.Now - update.UpdatedAt``: the start is a value read anew in each turn of the loop (a
    record's age), not the one start a deadline counts from, taken before the loop."""
    root = syntax.unwrap(start)
    while root is not None and root.type == "member_access_expression":
        root = syntax.unwrap(root.child_by_field_name("expression"))
    if root is None or root.type != "identifier":
        return False
    loop = syntax.enclosing(root, LOOPS)
    if loop is None:
        return False
    bound = syntax.local_value(text(root), root)
    if bound is None or not syntax.is_inside(bound, loop):
        return False
    value = syntax.unwrap(bound)
    return not (_is_now(value) or (value is not None and value.type == "invocation_expression" and
                                   syntax.invocation(value).callee in ("Stopwatch.StartNew",)))


def _read_from_data(start: Node | None) -> bool:
    """``DateTimeOffset.FromUnixTimeSeconds(torrent.FinishedAt)`` / ``DateTime.Parse(x.Date)``: a time
    stamp read from a record (its age), not a start the code took from the clock."""
    start = syntax.unwrap(start)
    while start is not None and start.type == "cast_expression":
        start = syntax.unwrap(start.child_by_field_name("value"))
    return start is not None and start.type == "invocation_expression" and not _is_now(start)


def _span(node: Node | None) -> bool:
    """``TimeSpan.FromHours(24)`` / ``new TimeSpan(...)``: ``now - span`` is a cut-off time, not an elapsed time."""
    node = syntax.unwrap(node)
    if node is None:
        return False
    if node.type == "object_creation_expression":
        return text(node.child_by_field_name("type")) == "TimeSpan"
    return node.type == "invocation_expression" and syntax.invocation(node).callee.startswith("TimeSpan.From")


def _item_age(start: Node | None) -> bool:
    """`s.LastUpdated` where `s` is the item a foreach or a per-item lambda is at: its age."""
    start = syntax.unwrap(start)
    if start is not None and start.type == "identifier" and _peeked_item_r16(start):
        return True
    if start is None or start.type != "member_access_expression":
        return False
    root = start
    while root is not None and root.type == "member_access_expression":
        root = syntax.unwrap(root.child_by_field_name("expression"))
    if root is None or root.type != "identifier":
        return False
    name = text(root)
    for parent in syntax.ancestors_of(start):
        if parent.type == "foreach_statement" and text(parent.child_by_field_name("left")) == name:
            return True
        if parent.type == "lambda_expression" and syntax.lambda_param(parent) == name:
            return True
    return False


def _peeked_item_r16(start: Node) -> bool:
    """Round 16 (nadekobot): ``while (_tracker.TryPeek(out var stamp)) { if (DateTime.UtcNow - stamp < _maxTime)
    break; _tracker.Dequeue(); }``: the time stamp the loop's own condition takes out of a collection is the age
    of the item it is at (a purge of old entries), no bound on a call."""
    name = text(start)
    for parent in syntax.ancestors_of(start):
        if parent.type in ("while_statement", "do_statement", "for_statement"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and re.search(r"\bout\s+(?:var|[\w.<>?]+)\s+" + re.escape(name) + r"\b",
                                                   text(condition)):
                return True
    return False


def _deadline_duration(node: Node | None) -> Node | None:
    """``deadline`` bound to ``DateTime.UtcNow.AddSeconds(30)`` / ``DateTime.UtcNow + span``: the amount."""
    node = syntax.unwrap(node)
    if node is not None and node.type == "identifier":
        node = syntax.unwrap(syntax.local_value(text(node), node))
    if node is None:
        return None
    if node.type == "invocation_expression":
        inv = syntax.invocation(node)
        if inv.name.startswith("Add") and _is_now(inv.receiver) and inv.args:
            return node
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+" \
            and _is_now(node.child_by_field_name("left")):
        return node.child_by_field_name("right")
    return None


ADD_UNITS = {"AddMilliseconds": 1.0, "AddSeconds": 1000.0, "AddMinutes": 60000.0, "AddHours": 3600000.0}


def _repeated(node: Node) -> bool:
    for parent in syntax.ancestors_of(node):
        if parent.type in LOOPS:
            return True
        if parent.type == "lambda_expression":
            owner = syntax.enclosing(parent, ("invocation_expression",))
            return owner is not None and syntax.invocation(owner).name in (
                "Select", "ForEach", "ForEachAsync", "SelectMany", "Parallel.ForEach")
        if parent.type in ("method_declaration", "local_function_statement", "constructor_declaration"):
            return False
    return False


@csharp_detector(ID, ("timeout",),
                 valid=("if (DateTime.UtcNow - user.CreatedAt > TimeSpan.FromDays(7)) { Expire(); }\n",
                        "foreach (var i in items) { Send(i); }\n",
                        'var msg = "DateTime.UtcNow > deadline";\n'),
                 invalid=("var start = DateTime.UtcNow;\nforeach (var i in items) {\n"
                          "  if (DateTime.UtcNow.Subtract(start).TotalMinutes > 10) break;\n  Send(i);\n}\n",
                          "class J { void M() {\n  var deadline = DateTime.UtcNow.AddSeconds(30);\n"
                          "  while (DateTime.UtcNow < deadline) { if (Poll()) break; }\n} }\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for node in walk(f.root):
        if node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in COMPARE:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if not _repeated(node):
            continue
        found = False
        expr: Expr = Unknown("")
        for side, other in ((left, right), (right, left)):
            is_elapsed, unit = _elapsed(side)
            if is_elapsed:
                found = True
                expr = syntax.duration_ms(other) if unit is None else _scaled(syntax.number(other), unit)
                break
            if _is_now(side):
                amount = _deadline_duration(other)
                if amount is None:
                    continue
                found = True
                if amount.type == "invocation_expression" and _is_now(syntax.invocation(amount).receiver):
                    inv = syntax.invocation(amount)
                    expr = _scaled(syntax.number(inv.args[0]), ADD_UNITS[inv.name]) if inv.name in ADD_UNITS \
                        else syntax.duration_ms(inv.args[0]) if inv.name == "Add" else Unknown(text(amount))
                else:
                    expr = syntax.duration_ms(amount)
                break
        if found and not _schedules_work(node) and not _computes(f, node) and not _awaits_process_exit(node) and \
                not _waits_for_lock_r20(node):
            yield f.timeout_from(node, expr, text(node), "deadline", ID, "clock")


LOCK_TAKE_R20 = re.compile(r"^(LockTake|TryLock|TryAcquire|AcquireLock|TryAcquireLock|AcquireAsync|TakeLock|"
                           r"TryTakeLock|TryEnter|LockAsync)\w*$")


def _waits_for_lock_r20(comparison: Node) -> bool:
    """Round 20 (featbit): ``while (..) { if (await redis.LockTakeAsync(key, value, ttl)) { ..; return; } if
    (waitStopwatch.Elapsed > maxWait) throw ..; await Task.Delay(poll); }``: a loop that tries to take a
    (distributed) lock until a deadline is a lock wait, which the C# sets leave out."""
    loop = syntax.enclosing(comparison, ("for_statement", "while_statement", "do_statement"))
    return loop is not None and any(
        n.type == "invocation_expression" and LOCK_TAKE_R20.match(syntax.invocation(n).name or "")
        for n in walk(loop))


def _awaits_process_exit(comparison: Node) -> bool:
    """Round 13: ``while (!proc.HasExited && DateTime.UtcNow < deadline)`` / ``do { .. } while
    (!localProcess.HasExited && elapsed < 5 s)``: a wait for a child process to end after it was told to stop
    (crank stopping perfcollect / dotnet-trace), no call of this service."""
    node = comparison.parent
    while node is not None and node.type in ("binary_expression", "parenthesized_expression",
                                             "prefix_unary_expression"):
        node = node.parent
    if node is not None and node.type == "if_statement" and node.child_by_field_name("consequence") is not None and \
            syntax.is_inside(comparison, node.child_by_field_name("condition")) and any(
                n.type == "invocation_expression" and re.search(r"Kill", syntax.invocation(n).name or "")
                for n in walk(node.child_by_field_name("consequence"))):
        return True  # round 14: `if (DateTime.UtcNow - orphanStart >= OrphanKillCeiling) KillOrphanedProcesses();`
    if node is None or node.type not in ("while_statement", "do_statement"):
        return False
    condition = node.child_by_field_name("condition")
    if condition is not None and syntax.is_inside(comparison, condition) and \
            re.search(r"\.Count\s*(>=|>|==)\s*\w+|\.Count\(\)\s*(>=|>)|\.Any\(\)", text(condition)):
        # round 14: `do { batch = await repo.ClaimDueOrders(); await Publish(batch); } while (batch.Count >= 50 &&
        # sw.ElapsedMilliseconds < 60_000)`: a time budget for draining a backlog in batches, not a bound on a call
        return True
    return condition is not None and syntax.is_inside(comparison, condition) and \
        re.search(r"\.HasExited\b", text(condition)) is not None


# Calls that may leave the process (or wait for something that does): a loop making none computes.
CALLING = re.compile(r"^(Send|Get|Post|Put|Patch|Delete|Request|Download|Upload|Query|Fetch|Execute|Invoke|Call|"
                     r"Read|Write|Save|Load|Publish|Push|Poll|Sleep|Wait|Delay|Connect|Open|Ping|Check|Process|"
                     r"Handle|Sync|Update|Insert|Commit|Refresh|Run|Start|Notify|Dispatch|Receive|Consume)|Async$")


PURE_TYPES = frozenset({"HashCode", "Math", "MathF", "Enumerable", "string", "String", "Convert", "TimeSpan",
                        "Stopwatch", "Array", "Guid", "BitConverter", "Random", "Money", "Interlocked"})


def _computes(f: CsFile, comparison: Node) -> bool:
    """A time budget on a computation (``if (sw.Elapsed > TimeSpan.FromSeconds(10)) break;`` in a search over
    combinations): the loop awaits nothing and calls nothing named for I/O or waiting (``Send``,
    ``Get...``, ``...Async``, ``Sleep``...) nor anything held in a field (``_proxy.Remove(...)``), itself or
    through this file's methods it calls. Such a loop calls no callee, so its deadline bounds none."""
    loop = next((p for p in syntax.ancestors_of(comparison) if p.type in LOOPS), None)
    if loop is None:
        return False
    body = loop.child_by_field_name("body")
    if body is not None and (body.type == "empty_statement" or body.type == "block" and not body.named_children):
        return True  # round 19 (nl-covid19-notification): `while (sw.Elapsed <= delay) { }`, a busy wait: no call
    own = {text(m.child_by_field_name("name")): m for m in walk(f.root) if m.type == "method_declaration"}

    def only_computes(scope: Node, depth: int) -> bool:
        for node in walk(scope):
            if node.type in ("await_expression", "yield_statement"):
                return False
            if node.type != "invocation_expression":
                continue
            inv = syntax.invocation(node)
            if inv.receiver_text in ("Stopwatch",) or inv.name in ("StartNew", "Restart"):
                continue
            receiver = inv.receiver_text
            if inv.name in IN_MEMORY_TAKES:
                continue  # round 11: `_logs.Reader.TryRead(out item)`: a non-blocking take from an in-process queue
            if CALLING.search(inv.name) or receiver.startswith(("_", "this.", "base.")) or (
                    receiver[:1].isupper() and receiver.split(".")[0] not in PURE_TYPES):
                return False  # named for I/O, or a service held in a field or reached by a property
            if not inv.receiver_text and inv.name in own and (depth >= 2 or not only_computes(own[inv.name], depth + 1)):
                return False
        return True

    return only_computes(loop, 0)


# a channel's or concurrent collection's non-blocking takes: in the process, no callee
IN_MEMORY_TAKES = frozenset({"TryRead", "TryDequeue", "TryTake", "TryPeek", "TryPop"})

STOPS = ("break_statement", "return_statement", "throw_statement", "continue_statement", "yield_statement")


def _schedules_work(comparison: Node) -> bool:
    """``if (roundedMinute % 60 == 0 && DateTime.Now.Subtract(firstRun) > TimeSpan.FromHours(1)) { await
    DoWork(); }``: the time passed lets work start (a schedule); a deadline stops, cancels or flags the
    work (``break``, ``return``, ``throw``, ``cts.Cancel()``, ``timedOut = true``)."""
    branch = comparison.parent
    while branch is not None and branch.type in ("binary_expression", "parenthesized_expression",
                                                 "prefix_unary_expression"):
        branch = branch.parent
    if branch is None or branch.type != "if_statement":
        return False
    consequence = branch.child_by_field_name("consequence")
    if consequence is None or not syntax.is_inside(comparison, branch.child_by_field_name("condition")):
        return False
    if _not_yet_due(comparison, consequence):
        return True
    for node in walk(consequence):
        if node.type in STOPS:
            return False
        if node.type == "invocation_expression" and syntax.invocation(node).name in ("Cancel", "CancelAsync", "Stop",
                                                                                       "Abort", "Kill", "Dispose"):
            return False
        if node.type == "assignment_expression" and text(node.child_by_field_name("right")) in ("true", "false"):
            return False
    return True


def _not_yet_due(comparison: Node, consequence: Node) -> bool:
    """``if (buffer.Count <= 50 && DateTimeOffset.Now - _lastFlush <= TimeSpan.FromSeconds(10)) continue;``: while
    the time passed is still under the limit the turn is skipped -- a batch waiting to be due (a schedule),
    not a deadline stopping work (round 11)."""
    inner = consequence.named_children if consequence.type == "block" else [consequence]
    if len(inner) != 1 or inner[0].type != "continue_statement" or comparison.type != "binary_expression":
        return False
    op = text(comparison.child_by_field_name("operator"))
    left, right = text(comparison.child_by_field_name("left")), text(comparison.child_by_field_name("right"))
    clock = ("Now", "Elapsed")
    if any(w in left for w in clock) and not any(w in right for w in clock):
        return op in ("<", "<=")
    if any(w in right for w in clock) and not any(w in left for w in clock):
        return op in (">", ">=")
    return False


def _scaled(expr: Expr, unit: float) -> Expr:
    if isinstance(expr, Unknown):
        return expr
    return syntax.fold(BinOp("*", expr, Num(unit))) if unit != 1.0 else expr
