"""Hand-written retry loops: ``for``/``while``/``do`` around a ``try`` that leaves the loop on success.

What it does: a loop counts as a retry when its body has a ``try`` whose block ``return``s or
``break``s (success ends the loop) and a ``catch`` that lets the loop go round again. The
bound comes from the loop (``for (var attempt = 1; attempt <= 3; attempt++)`` -> 3 tries), a
guard in the catch (``if (++attempt >= MaxAttempts) throw;``) or a catch filter
(``catch (HttpRequestException) when (attempt < 3)``); a ``Task.Delay`` gives the backoff.
``foreach`` and loops over ``.Count``/``.Length`` walk items: never retries; so do loops whose
counter or its limit names items (``page``, ``keywords``, ``offset``, ``i <= PagesToSearch``...) and loops over a cursor the body moves
along (``while (row != null) { ...; row = row.PreviousElementSibling; }``). A try that sets the flag
the loop tests (``while (!success) { try { Send(); success = true; } catch ... }``) ends the loop on
success like a ``break``; the bound may sit in an ``&&`` part of a catch filter (``when
(!token.IsCancellationRequested && attempt < maxAttempts)``) or in an ``if`` whose ``else`` throws
(``if (attempt < Delays.Count) { wait; attempt++; } else throw;`` with 3 delays -> 4 tries); of a
bound chosen by a condition (``retries >= (clientError ? 1 : MaxRetries)``) the configured one. A try
that only does local disk work (``File``/``Directory``/``Clipboard`` calls, a ``DirectoryInfo``, or this file's
methods doing only that) retries no callee.

Why it matters: every turn of the loop reaches the callee again.

A message handed back to a retry queue while its count is under a bound (``if (message.RetryCount
< _maxRetries) await PublishToRetryAsync(message)``) is a retry too (mechanism call, the bound
left to the reader: it counts redeliveries of the message, not calls in this process); so is a
work item put back on its queue while its count of attempts made is under a bound (``if (failed &&
item.Attempts < 3) queue.Enqueue(item);`` -> 3 attempts). So is a
method that schedules itself again for the same job while a count it raised is under a bound
(``job.TryCount++; if (job.TryCount < MaxTry && reschedule) _jobs.Schedule(c => NotifyHttp(job, c),
delay)`` -> ``MaxTry`` attempts).
A ``while`` loop that waits (``Task.Delay``) and awaits again the call whose answer its condition
tests (``var eps = await api.GetEpisodes(id); while (!eps.Any()) { await Task.Delay(500); eps = await
api.GetEpisodes(id); }``) calls the callee until it answers as hoped: a retry (mechanism loop) when
the same call was made before the loop or a counter bounds the loop. The bound counts the call
before the loop and the loop's turns (``if (tries >= 10) break; tries++;`` -> 11); without a
counter it is unbounded (null). A paging loop (the condition on a cursor or a count) is not one.
A ``catch`` that awaits again the very call its ``try`` awaited (``try { await SendAsync(req) }
catch { await SendAsync(req); throw; }``) is one retry: 2 attempts, mechanism call; not when it
first switches an entity's ``State`` (an update that failed saved again as an insert: an upsert).
A loop whose every ``catch`` leaves it (``throw``, ``break``, ``return``) retries nothing.

A branch that raises a counter named for retries while it is under a bound and goes round again
(``if (retries < MaxRetries) { retries++; messages.Add(fix); continue; }`` in the loop that asks the
callee) is a retry, reported at the branch (``MaxRetries = 1`` -> 2 attempts).

A ``while (true)`` loop that leaves when a flag named for a retry is set (``if (retried) throw ...;``)
and sets it at the end of its turn (``await RenewToken(); retried = true;``) sends twice: 2 attempts.

A backward ``goto`` is a loop too: ``retry: ... try { await conn.OpenAsync(); } catch (PostgresException
ex) when (ex.IsTransient && retries > 0) { retries--; await Task.Delay(100); goto retry; }`` is a
retry (reported at the label) when the ``goto`` sits in a ``catch``, follows a ``Task.Delay``, or
its label is named for it (``retry``, ``again``). The bound comes from a counter compared in the
catch filter or in the ``if`` around the ``goto`` (``retries > 0`` from 10 -> 11 attempts,
``retry < 5`` with ``retry++`` -> 6, ``++attempt < 3`` -> 3); with none, the loop goes on until it
succeeds (null: an optimistic-concurrency re-read, a probe retried forever). A loop that is itself
the target of such a label is reported once, at the label.

A branch taken when the answer says the session is gone (``if (result.Result == NotLoggedIn)``)
that signs in again and repeats the call the answer came from (``AuthenticateClient(...); response =
_httpClient.Execute(request);``) sends twice: 2 attempts, mechanism call, reported at the repeat.
The answer may also be a page that lacks its logged-in marks (``!html.Contains("logout.php")``,
``page.IsRedirect``) when a comment in or above the branch says it logs in again (``// re-login``)
and something is called before the repeat (``await ApplyConfiguration(null)``); and the repeat may
follow an ``if`` that returned the good answer (``if (ok) return response; await LoginAsync();
response = await Get(url);``). The repeat may drop optional arguments or reorder named ones.
A method that calls itself once more with its retry flag off (``Request<T>(msg, bool enableRetry)``
... ``if (enableRetry && expired) return await Request<T>(fresh, false);``) sends twice at most: 2
attempts, mechanism call, reported at the second call. An item handed back to its scheduler with its retry count raised while under a bound (``if
(timer.RetryCount < 10) { timer.RetryCount++; _timers.AddOrUpdate(timer); }``) is tried again by the
scheduler: 11 tries (10 retries after the first). A method calling itself again for local
work only (deleting a file, ``File``/``Directory``/``FileSystem`` calls) retries no callee: not
reported.

A counted ``for`` loop whose counter or limit is named for tries that sends again, without a
try/catch, when the answer is missing or bad (``for (byte i = 0; i < maxTries; i++) { var r = await
Get(url); if (r == null) continue; return r; }``, or ``(i < MaxTries) && (response == null)`` in its
condition, the answer reaching the tested name through this turn's locals) is a retry (mechanism
loop, the loop's turns), and so is one that leaves on a good answer and waits before asking again
(``for (var i = 0; i < TimeOutRetryTimes; i++) { var r = await Ask(); if (r.Ok) return r; await
Task.Delay(500); }``); one that asks for another item each turn is not. A method that calls itself again with its count of attempts made raised (``int attempt = 0`` ...
``if (attempt < 3 && busy) return await client.Retry(call, attempt + 1);``, or ``if (attempt == 5)
throw ...;`` before the call) retries while the bound holds (``< 3`` from 0: 4 attempts; ``== 5``: 6),
reported at that call (without a bound, from a ``catch``: null); a counter named for pages is not one.
A method that calls itself
with its count of tries lowered (``if (--maxTries == 0) return null; return await Get(request,
maxTries);``) retries up to that parameter (null); one that calls itself once more with a flag of any
name off (``allowSessionRefresh``) when the branches around the call sign in again and test the answer
of a call that sent the same request is 2 attempts (a call that refreshes before sending anything is
not a retry).

A ``while (true)`` loop that asks, leaves on a good answer and ends each turn either waiting to ask again
while a counter named for tries is under a bound or giving up (``if (++tries < maxRetries) await
Task.Delay(w); else return r;``, or ``if (++tries >= max) return r; await Task.Delay(..);``) is a retry:
``maxRetries`` tries (round 13). A bound that defaults to a constant of the class (``int maxRetries =
MaxRetries``) is valued where the helper lives and still published for the callers.

Round 13: the catch's repeat may hand the operation a fresh client made to replace the broken one
(``useAsync(newFtpClient)`` after ``useAsync(ftpClient)``); an item taken from a queue kept in a store is
given up when its count of attempts reaches a bound (``if (evt.AttemptCount >= 10) { await
repo.DeleteAsync(evt.Id); .. }``): 10 tries, at the comparison.

Round 14: a ``do`` loop that goes round while the answer a call stored is missing or false (``do { try {
secret = await dapr.GetSecretAsync(..); } catch { delay } } while (secret == null)``, ``do { ..; saved = await
state.TrySaveAsync(o); } while (!saved)``) is a retry of unknown bound (not a lock wait, a work / paging flag
such as ``done``, nor a loop that drops a discarded item); a counted loop repeating the call made just before
it counts that call too (``maxAttempts`` tries); a count-bounded poll of a remote ``Status`` / ``State`` is a
wait, and ``while (listener.IsListening)`` an accept loop; a method calling itself with an already-retried
flag set (``hasRetried: true``) and a handled message handed back marked as the retry (``ScheduleAsync(cmd
with { IsRetry = true })``) are 2 attempts; a catch's repeat may drop a trailing cancellation token, and a
repeat whose named string argument differs (``queryName:``) is another query.

Example: ``for (var i = 0; i < 3; i++) { try { return await Send(); } catch (HttpRequestException) { } }``
-> retry max_attempts 3, mechanism loop.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Expr, Num, Ref, Unknown, as_number, evaluate, ref_names
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.retry_loop"
NESTED = ("lambda_expression", "local_function_statement", "anonymous_method_expression", "for_statement",
          "while_statement", "do_statement", "foreach_statement")
COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
           "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
COUNTER = re.compile(r"(?i)attempt|retr|tries|try")


def _own(node: Node, loop: Node) -> bool:
    """``node`` belongs to ``loop`` itself, not to a nested loop or lambda inside it."""
    for parent in syntax.ancestors_of(node):
        if parent == loop:
            return True
        if parent.type in NESTED:
            return False
    return False


def retry_loops(f: CsFile) -> list[tuple[Node, Node]]:
    """(loop, try statement) for each loop that is a retry."""
    found = []
    for loop in f.captured("loop"):
        condition = loop.child_by_field_name("condition")
        if condition is not None and re.search(r"\.(Count|Length)\b|\.Count\(\)", text(condition)):
            continue
        if _walks_items(loop, condition) or _pumps_live_connection(condition):
            continue
        for attempt in (n for n in walk(loop) if n.type == "try_statement" and _own(n, loop)):
            body = attempt.child_by_field_name("body")
            catches = [c for c in attempt.named_children if c.type == "catch_clause"]
            if body is None or not catches:
                continue
            exits = any(n.type in ("return_statement", "break_statement") and _own(n, loop) and
                        syntax.is_inside(n, body) and not _breaks_switch(n, loop) for n in walk(body)) or \
                _sets_flag(loop, body)
            if _reads_next_input(loop, attempt):
                continue
            if exits and any(not _always_throws(c) and not _catch_ends_loop(c, loop) for c in catches) and \
                    not _local_work(f, body) and \
                    not _waits_on_started_task(loop, body) and not _asks_user(loop) and \
                    not _moves_target(loop, attempt) and not _periodic(loop, body) and \
                    not _failure_moves_on(loop, body, catches):
                found.append((loop, attempt))
                break
    return found


def _breaks_switch(node: Node, loop: Node) -> bool:
    """A ``break`` that ends a ``switch`` section inside the loop, not the loop (round 11)."""
    if node.type != "break_statement":
        return False
    for parent in syntax.ancestors_of(node):
        if parent == loop:
            return False
        if parent.type in ("switch_statement", "switch_section"):
            return True
    return False


NEXT_INPUT = re.compile(r"^(Read|Receive|Accept|Dequeue|TryDequeue|Take|Consume|WaitToRead)\w*$")


def _reads_next_input(loop: Node, attempt: Node) -> bool:
    """The loop reads its next input before the try (``string? line = await reader.ReadLineAsync(ct);``,
    ``var msg = await socket.ReceiveAsync(..)``): a message pump handling a new request each turn, not
    the same call tried again (round 11)."""
    body = loop.child_by_field_name("body")
    if body is None or body.type != "block":
        return False
    for statement in body.named_children:
        if statement.start_byte >= attempt.start_byte:
            break
        if statement.type not in ("local_declaration_statement", "expression_statement"):
            continue
        for node in walk(statement):
            if node.type == "invocation_expression" and NEXT_INPUT.match(syntax.invocation(node).name or ""):
                return True
    return False


# round 14: `while (_httpListener.IsListening) { try { ctx = await listener.GetContextAsync(); .. } catch { } }`: a server's
# accept loop, each turn another request
LIVE = re.compile(r"^[\w.]*\b(IsConnected|Connected|IsOpen|IsAlive|IsListening)$")


def _pumps_live_connection(condition: Node | None) -> bool:
    """``while (!viewer.DisconnectRequested && viewer.IsConnected) { try { send frame } catch { log } }``: a
    loop that runs as long as a connection is up is its session (a pump of frames, messages, reads), each
    turn new work; a retry runs while the call has not succeeded (``while (!client.IsConnected)``)."""
    return condition is not None and any(
        n.type in ("identifier", "member_access_expression") and LIVE.match(text(n)) or _socket_open_r20(n)
        for n in _conjuncts(condition))


# round 20 (thrivedevcenter): `while (!socket.CloseStatus.HasValue)`, `while (ws.State == WebSocketState.Open)`:
# a WebSocket's receive loop, running as long as the socket is open
SOCKET_OPEN_R20 = re.compile(r"^!\s*[\w.]*\bCloseStatus\.HasValue$|^[\w.]*\bState\s*==\s*WebSocketState\.Open$|"
                             r"^[\w.]*\bCloseStatus\s*==\s*null$")


def _socket_open_r20(node: Node) -> bool:
    return bool(SOCKET_OPEN_R20.match(text(node).strip()))


PERIOD_WORDS = re.compile(r"(?i)interval|period|frequency|schedule|cron")
NOT_PERIOD_WORDS = re.compile(r"(?i)retry|backoff|attempt|failure|error")


def _periodic(loop: Node, body: Node) -> bool:
    """The try body itself pauses for the loop's period (``await Task.Delay(TimeSpan.FromMinutes(timeInterval),
    stoppingToken)`` after running the job): a scheduler that goes round after success too, its catch
    only logging and pausing; no retry."""
    for node in walk(body):
        if node.type != "invocation_expression" or not _own(node, loop):
            continue
        inv = syntax.invocation(node)
        if inv.callee not in ("Task.Delay", "Thread.Sleep") or not inv.args:
            continue
        if syntax.enclosing(node, ("catch_clause",)) is not None:
            continue
        raw = text(inv.args[0])
        if PERIOD_WORDS.search(raw) and not NOT_PERIOD_WORDS.search(raw):
            return True
    return False


# round 12: `line` but not `deadline`/`timeline` (`while (DateTime.UtcNow < deadline)` walks no items)
ITEM_COUNTER = re.compile(r"(?i)page|keyword|offset|skip|cursor|batch|chunk|row|item|index|(?<!dead)(?<!time)line|word|record")


def _walks_items(loop: Node, condition: Node | None) -> bool:
    """The loop steps through items, not attempts: its counter names them (``for (var page = 0; page <
    maxPages; page++)``, ``while (--searchKeywords > 0)``) or its condition tests a cursor the body moves
    along a structure (``while (row != null) { ...; row = row.PreviousElementSibling; }``)."""
    if condition is None:
        return False
    cmp = _comparison(condition, None)
    if cmp is not None and ITEM_COUNTER.search(cmp[0]) and not COUNTER.search(cmp[0]):
        return True
    if cmp is not None and cmp[2] is not None and ITEM_COUNTER.search(text(cmp[2])) and \
            not COUNTER.search(text(cmp[2])):
        return True  # `for (var i = 1; i <= PagesToSearch; i++)`: the limit names pages
    cursors = set()
    for part in _conjuncts(condition):
        if part.type == "binary_expression" and text(part.child_by_field_name("operator")) == "!=" and \
                text(part.child_by_field_name("right")) == "null" and \
                part.child_by_field_name("left").type == "identifier":
            cursors.add(text(part.child_by_field_name("left")))
    body = loop.child_by_field_name("body")
    for node in walk(body) if body is not None and cursors else []:
        if node.type == "assignment_expression" and text(node.child_by_field_name("left")) in cursors:
            right = syntax.unwrap(node.child_by_field_name("right"))
            if right is not None and right.type == "member_access_expression":
                return True
    return False


PROMPTS = re.compile(r"^(Prompt\w*|ReadLine|ReadKey|ReadPassword|RequestString|AskUser\w*|Confirm\w*)$")


def _asks_user(loop: Node) -> bool:
    """The loop asks the person at the console (``await _input.PromptYesNo(...)``, ``Console.ReadLine()``):
    an interactive retry, no contract with a service."""
    return any(n.type == "invocation_expression" and PROMPTS.match(syntax.invocation(n).name or "")
               for n in walk(loop))


def _moves_target(loop: Node, attempt: Node) -> bool:
    """Each turn tries another target: a local the try's calls are handed is set again in the loop
    from a list or a chain (``currentZone = $"{subDomains.Last()}.{currentZone}"``, ``host = hosts[i]``,
    ``url = urls.Dequeue()``, ``server = server.Next``): a walk over candidates, not a retry."""
    body = attempt.child_by_field_name("body")
    if body is None:
        return False
    handed = set()
    for node in walk(body):
        if node.type == "invocation_expression":
            for arg in [*syntax.invocation(node).args, *syntax.invocation(node).named.values()]:
                handed.update(text(n) for n in walk(arg) if n.type == "identifier")
    for node in walk(loop):
        if node.type != "assignment_expression" or syntax.is_inside(node, body):
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier" or text(left) not in handed or \
                COUNTER.search(text(left)):
            continue
        if right.type == "element_access_expression" or re.search(
                r"\.(Dequeue|Pop|Next|Last|First|Skip|MoveNext|Parent)\b|\[", text(right)):
            return True
    return False


def _sets_flag(loop: Node, body: Node) -> bool:
    """The try sets to ``true``/``false`` a flag the loop's condition tests (``while (!success) { try {
    Send(); success = true; } catch ... }``): success ends the loop."""
    condition = loop.child_by_field_name("condition")
    tested = {text(n) for n in walk(condition) if n.type == "identifier"} if condition is not None else set()
    loop_body = loop.child_by_field_name("body")
    for statement in loop_body.named_children if loop_body is not None and loop_body.type == "block" else []:
        # round 11: `while (true) { try { Subscribe(); resubscribed = true; } catch { log } if (resubscribed) break; }`
        test = syntax.unwrap(statement.child_by_field_name("condition")) if statement.type == "if_statement" else None
        if test is not None and test.type == "identifier" and statement.child_by_field_name("alternative") is None \
                and _leaves(statement.child_by_field_name("consequence")):
            tested.add(text(test))
    if any(n.type == "assignment_expression" and _own(n, loop) and
           re.sub(r"^this\.", "", text(n.child_by_field_name("left"))) in tested and
           text(n.child_by_field_name("right")) in ("true", "false") for n in walk(body)):
        return True  # (round 21, openmu: `this._isInitialized = true;` of `while (!this._isInitialized && ..)`)
    if _connects_until_connected_r21(loop, condition, body):
        return True
    # round 14: `do { try { secret = await dapr.GetSecretAsync(..); } catch { log; delay } } while (secret == null);`:
    # the try stores the answer the condition waits for, so success ends the loop
    awaited = _null_tested(condition) if loop.type != "for_statement" else set()  # counted: csharp _answer_loops
    if any(LOCK_WAIT.search(name.lstrip("@")) for name in awaited):
        return False
    return bool(awaited) and any(
        n.type == "assignment_expression" and _own(n, loop) and text(n.child_by_field_name("left")) in awaited and
        _answer_of_call(n.child_by_field_name("right")) for n in walk(body))


CONNECTED_R21 = re.compile(r"^!\s*([\w.]+)\.(Connected|IsConnected|IsOpen)$")


def _connects_until_connected_r21(loop: Node, condition: Node | None, body: Node) -> bool:
    """Round 21 (openmu): ``while (!socket.Connected) { try { await socket.ConnectAsync(host, port); } catch { log;
    delay } }``: the try connects the very object whose state the loop waits for, so success ends the loop."""
    for conjunct in _conjuncts(condition):
        match = CONNECTED_R21.match(text(conjunct).strip())
        if match is None:
            continue
        receiver = match.group(1)
        if any(n.type == "invocation_expression" and _own(n, loop) and
               syntax.invocation(n).receiver_text == receiver and
               re.match(r"(Connect|Open|Reconnect)", syntax.invocation(n).name or "") for n in walk(body)):
            return True
    return False


def _null_tested(condition: Node | None) -> set[str]:
    """Names an ``&&`` part of the loop's condition tests for null (``x == null``, ``null == x``, ``x is null``)."""
    names = set()
    for part in _conjuncts(condition):
        if part.type == "binary_expression" and text(part.child_by_field_name("operator")) == "==":
            left, right = part.child_by_field_name("left"), part.child_by_field_name("right")
            if text(right) == "null":
                names.add(text(left))
            elif text(left) == "null":
                names.add(text(right))
        elif part.type == "is_pattern_expression" and text(part).replace(" ", "").endswith("isnull"):
            names.add(text(part.named_children[0]))
    return names


def _answer_of_call(right: Node | None) -> bool:
    """The assigned value is what a call (not a delay, log or read of the next input) answered: ``await
    client.GetAsync(..)``, ``client.PostAsync(..).Result``."""
    right = syntax.unwrap(right)
    if right is None:
        return False
    calls = [n for n in walk(right) if n.type == "invocation_expression"]
    if not calls:
        return False
    outer = syntax.invocation(calls[0])
    return not _delays_call(calls[0]) and not NEXT_INPUT.match(outer.name or "") and \
        not PROMPTS.match(outer.name or "") and not outer.name.startswith(("Log", "Write"))


LOCAL_FILE_TYPES_R18 = frozenset({"FileStream", "FileInfo", "DirectoryInfo"})


def _local_work(f: CsFile, body: Node) -> bool:
    """Every call the try makes is file-system work or logging, directly or through a method of this
    file that only does that (``ClearReadOnly(path); Directory.Delete(path, true);``): no callee."""
    methods = {text(m.child_by_field_name("name")): m for m in walk(f.root) if m.type == "method_declaration"}
    local = False
    for node in walk(body):
        if node.type == "object_creation_expression" and syntax.creation_type(node) in LOCAL_FILE_TYPES_R18:
            local = True  # round 18 (sui-matcher): `await using var s = new FileStream(path, FileMode.Open, ..)`
            continue
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        receiver = inv.receiver_text
        if inv.name in NEUTRAL_CALLS or "log" in receiver.lower() or _conditional_log_r19(inv.name):
            continue
        if syntax.enclosing(node, ("catch_filter_clause",)) is not None or receiver.endswith(".Message"):
            continue  # round 16 (kernel-memory): `catch (IOException e) when (e.Message.Contains("not empty"))`
        if receiver.split(".", 1)[0].split("(", 1)[0] in LOCAL_COMPUTE:
            continue  # round 11: `Console.WriteLine(..)`, `SHA256.Create().ComputeHash(bytes)` beside the file read
        if _local_receiver(receiver, node):
            local = True
            continue
        if not receiver and inv.name in methods and _local_only(methods[inv.name], inv.name):
            local = True  # round 19 (lancommander): `ExtractFilesFromZip(tempFile, dir)`, the file's own unzip
            continue
        if _process_work_r20(inv, node):
            local = True
            continue
        return False
    return local


PROCESS_TYPES_R20 = ("Process", "ProcessStartInfo", "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo")


def _process_work_r20(inv: syntax.Invocation, node: Node) -> bool:
    """Round 20 (thrivedevcenter): a local process started or read (``process.BeginOutputReadLine()`` on a
    ``Process``, ``Process.Start(info)``, ``StartProcessInternal(startInfo, ..)`` handed a ``ProcessStartInfo``):
    work of this machine, no callee."""
    receiver = inv.receiver_text
    if receiver in ("Process", "System.Diagnostics.Process"):
        return True
    if receiver.isidentifier() and syntax.declared_type(receiver, node) in PROCESS_TYPES_R20:
        return True
    return any(syntax.unwrap(a) is not None and syntax.unwrap(a).type == "identifier" and
               syntax.declared_type(text(syntax.unwrap(a)), node) in PROCESS_TYPES_R20 for a in inv.args)


def _conditional_log_r19(name: str) -> bool:
    """``logger?.LogTrace(..)``: a conditional access names the whole call, receiver and all."""
    return "?." in name and "log" in name.split("?.", 1)[0].lower()


def _catch_ends_loop(catch: Node, loop: Node) -> bool:
    """The catch sets the flag the loop tests to the value that stops it (``while (hasMore) { try { page;
    hasMore = false at the end } catch { hasMore = false; log } }``): a failure ends the loop, no retry."""
    condition = syntax.unwrap(loop.child_by_field_name("condition"))
    if condition is None:
        return False
    if condition.type == "identifier":
        flag, stop = text(condition), "false"
    elif condition.type == "prefix_unary_expression" and text(condition).startswith("!") and \
            condition.named_child_count == 1 and syntax.unwrap(condition.named_children[0]) is not None and \
            syntax.unwrap(condition.named_children[0]).type == "identifier":
        flag, stop = text(syntax.unwrap(condition.named_children[0])), "true"
    else:
        return False
    body = catch.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        node = statement.named_children[0] if statement.type == "expression_statement" and \
            statement.named_child_count == 1 else None
        if node is not None and node.type == "assignment_expression" and \
                text(node.child_by_field_name("left")) == flag and text(node.child_by_field_name("right")) == stop:
            return True
    return False


def _failure_moves_on(loop: Node, body: Node, catches: list[Node]) -> bool:
    """The loop's counter is stepped by the try and by a catch alike (``while (start < end) { try { Fetch(start);
    start++; } catch (JsonException) { log; start++; } }``): a failure skips to the next item as a success does;
    the loop walks items, it does not try one again."""
    cmp = _comparison(loop.child_by_field_name("condition"), None)
    if cmp is None or COUNTER.search(cmp[0]):
        return False
    counter = cmp[0]
    if not _steps(counter, [body]):
        return False
    return any(_steps(counter, [c.child_by_field_name("body")]) == _steps(counter, [body])
               for c in catches if c.child_by_field_name("body") is not None)


def _always_throws(catch: Node) -> bool:
    """The catch always leaves: it ends in `throw`, `break` or `return` with no `if` to skip it (a
    failure ends the loop, so the loop does not go round again for it)."""
    body = catch.child_by_field_name("body")
    statements = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    if not statements:
        return False
    last = statements[-1]  # (a comment after `throw;` is no statement)
    if last.type == "expression_statement" and last.named_child_count == 1:
        call = syntax.unwrap(last.named_children[0])
        if call is not None and call.type == "await_expression" and call.named_child_count:
            call = syntax.unwrap(call.named_children[0])
        if call is not None and call.type == "invocation_expression" and "Throw" in syntax.invocation(call).name:
            last = None  # `await CloseSocketAndThrow(...)`: a helper that always throws
    return (last is None or last.type in ("throw_statement", "break_statement", "return_statement")) and \
        not any(n.type in ("if_statement",) for n in body.named_children)


def _waits_on_started_task(loop: Node, body: Node) -> bool:
    """The try's first await waits again on a task started before the loop (``var scanning =
    rpc.StartScanAsync(..); while (true) { ...; try { var r = await scanning.WithCancellation(cts.Token);
    ... } catch (OperationCanceledException) { } }``): a wait with a deadline that is renewed, the
    callee is not called again."""
    for first in (n for n in walk(body) if n.type == "await_expression" and n.named_child_count):
        waited = syntax.unwrap(first.named_children[0])
        if waited is not None and waited.type == "invocation_expression" and \
                syntax.invocation(waited).name in ("WithCancellation", "WaitAsync", "ConfigureAwait"):
            waited = syntax.unwrap(syntax.invocation(waited).receiver)
        if waited is None or waited.type != "identifier":
            return False
        # the declaration that reaches this await (not a same-named local of an earlier loop of the method)
        bound = syntax.local_value(text(waited), first)
        if bound is not None and syntax.unwrap(bound) is not None and \
                syntax.unwrap(bound).type == "object_creation_expression":
            continue  # `throttle.WaitAsync(delay)` on a `new SemaphoreSlim(1, 1)`: a local pause, look further
        return bound is not None and not syntax.is_inside(bound, loop)
    return False


@csharp_detector(ID, ("retry",),
                 valid=("foreach (var item in items) { try { Process(item); return; } catch (Exception) { } }\n",
                        "for (var i = 0; i < items.Count; i++) { try { Save(items[i]); } catch (IOException) { } }\n"),
                 invalid=("for (var attempt = 0; attempt < 3; attempt++) { try { return Send(); } catch (HttpRequestException) { } }\n",
                          "try { await SendAsync(msg, false); } catch (Exception) { await SendAsync(msg, true); throw; }\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    polls = _job_state_polls_r17(f)
    started = _local_process_waits_r19(f)
    for finding in _detect_loops(f):
        if finding.attributes.get("max_attempts") is None and finding.line in polls:
            continue
        if finding.line in started:
            continue
        yield _named_default_bound(f, finding)


def _local_process_waits_r19(f: CsFile) -> set[int]:
    """Round 19 (efs-fulfilment): ``var process = new Process { StartInfo = .. }; process.Start(); .. for (var i = 0;
    i < maxRetries; i++) { var r = await toolClient.ListWorkspaceAsync(..); if (ok) break; await Task.Delay(1000); }``:
    a loop after the method started a local process waits for that process to come up, no retry of a dependency."""
    if b"Process" not in f.data:
        return set()
    lines = set()
    for loop in f.captured("loop"):
        method = syntax.enclosing(loop, METHODS)
        if method is None:
            continue
        before = f.data[method.start_byte:loop.start_byte].decode("utf-8", "replace")
        if re.search(r"\bnew\s+(?:System\.Diagnostics\.)?Process\s*[({]", before) and re.search(r"\.Start\(\s*\)", before) \
                or re.search(r"\bProcess\.Start\(", before):
            lines.add(loop.start_point[0] + 1)
    return lines


# round 17 (round-16 request, geh-electricity-market): a remote job's state named in a loop's condition
JOB_STATE_R17 = re.compile(r"^[\w.?]*\b(IsPending|IsRunning|IsInProgress|InProgress|IsQueued|IsProcessing|"
                           r"IsExecuting|StillRunning|IsBusy)$")


def _job_state_polls_r17(f: CsFile) -> set[int]:
    """``do { response = await GetStatus(..); if (response.IsSucceeded) return response; } while
    (response.IsPending || response.IsRunning);``: a loop that goes on while a remote job reports it is still
    pending or running polls that job (its wait is no retry of a failed call): the lines of such loops, whose
    unbounded retry findings are dropped (a count-bounded one stays)."""
    lines = set()
    for loop in f.captured("loop"):
        condition = syntax.unwrap(loop.child_by_field_name("condition"))
        parts = [syntax.unwrap(p) for c in _conjuncts(condition) for p in _disjuncts(c)] if condition is not None else []
        if parts and all(p is not None and p.type in ("identifier", "member_access_expression")
                         and JOB_STATE_R17.match(text(p)) for p in parts):
            lines.add(loop.start_point[0] + 1)
    return lines


def _named_default_bound(f: CsFile, finding: Finding) -> Finding:
    """Round 13: a loop bounded by a parameter that defaults to a constant (``byte maxTries = MaxTries``) is
    valued with the constant (``Ref("MaxTries")``, rule (a)); whatever shape of loop found it, the parameter
    is named for the callers (``attempts_expression``) so a call leaving it out gets the constant and one
    passing a count gets its own (ArchiSteamFarm's WebBrowser.UrlHead / UrlPost)."""
    if finding.attributes.get("attempts_expression") or len(finding.pending) != 1 or \
            finding.pending[0].attribute != "max_attempts":
        return finding
    expr, offset = finding.pending[0].expr, 0.0
    if isinstance(expr, BinOp) and expr.op == "+" and isinstance(expr.right, Num):
        expr, offset = expr.left, float(expr.right.value)
    if not isinstance(expr, Ref) or not float(offset).is_integer():
        return finding
    loop = next((n for n in f.captured("loop") if n.start_point[0] + 1 == finding.line), None)
    method = syntax.enclosing(loop, ("method_declaration", "local_function_statement")) if loop is not None else None
    params = method.child_by_field_name("parameters") if method is not None else None
    if params is None:
        return finding
    for param in (p for p in params.named_children if p.type == "parameter"):
        pname = text(param.child_by_field_name("name"))
        default = syntax.parameter_default(pname, param)
        if default is not None and text(default) == expr.name and \
                any(n.type == "identifier" and text(n) == pname for n in walk(loop)):
            named = pname if not offset else f"{pname} {'+' if offset > 0 else '-'} {abs(int(offset))}"
            return replace(finding, attributes={**finding.attributes, "attempts_expression": named})
    return finding


def _detect_loops(f: CsFile) -> Iterable[Finding]:
    loops = retry_loops(f)
    yield from _catch_retries(f, {attempt.id for _, attempt in loops})
    polls = [*_poll_retries(f, {loop.id for loop, _ in loops}), *_counted_polls(f, {loop.id for loop, _ in loops})]
    yield from polls
    yield from _reauth_retries(f)
    yield from _flag_retries(f)
    yield from _flagged_resends(f)
    yield from _tries_recursion(f)
    yield from _counted_up_recursion_r20(f)
    yield from _rising_recursion(f)
    yield from _flag_recursion_r17(f)
    polled = {p.line for p in polls}
    yield from _answer_loops(f, {loop.id for loop, _ in loops} | {
        n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _continue_retries(f, {loop.id for loop, _ in loops})
    yield from _status_resend_continues_r20(f, {loop.id for loop, _ in loops})
    yield from _should_retry_properties_r20(f)
    yield from _flag_loops(f, {loop.id for loop, _ in loops})
    yield from _guarded_loops(f, {loop.id for loop, _ in loops} | {
        n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _do_while_retries(f, {loop.id for loop, _ in loops} | {
        n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _tail_guarded_loops(f, {loop.id for loop, _ in loops} | {
        n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _until_answer_loops(f, {loop.id for loop, _ in loops} | {
        n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _unbounded_answer_loops_r19(f, {n.id for n in f.captured("loop") if n.start_point[0] + 1 in polled})
    yield from _connect_failure_give_ups_r18(f)
    yield from _property_counter_redeliveries_r18(f)
    yield from _prefix_count_give_ups_r19(f)
    yield from _language_ext_retries_r19(f)
    yield from _same_call_recursion_r19(f)
    yield from _error_handler_give_ups_r19(f)
    yield from _header_count_resends_r20(f)
    goto_labels = []
    for finding, label in _goto_retries(f):
        goto_labels.append(label)
        yield finding
    for loop, attempt in loops:
        if loop.parent is not None and any(loop.parent == label for label in goto_labels):
            continue  # `retry: while (...) { ... goto retry; }`: reported once, at the label
        catches = [c for c in attempt.named_children if c.type == "catch_clause"]
        retry_on = []
        for catch in catches:
            declaration = next((c for c in catch.named_children if c.type == "catch_declaration"), None)
            retry_on.append(text(declaration.child_by_field_name("type")) if declaration is not None else "Exception")
        attempts, pending = _bound(loop, catches)
        tried_before = _tried_before(loop, attempt)
        if attempts is not None and tried_before:
            attempts += 1
        attrs = {"max_attempts": attempts, "backoff": _backoff(loop), "retry_on": retry_on,
                 "mechanism": "loop", "library": None}
        if attempts is not None:
            # `attempt < maxAttempts` with `int maxAttempts = 5`: the default settles it here, and the
            # parameter is published for the callers that pass their own bound
            _, symbolic = _bound(loop, catches, params_symbolic=True)
            if symbolic and tried_before:
                symbolic = (Pending("max_attempts", BinOp("+", symbolic[0].expr, Num(1.0)), 1.0),)
            expression = _attempts_expression(symbolic)
            if expression is not None:
                attrs["attempts_expression"] = expression
        elif pending:
            # round 13: `int maxRetries = MaxRetries` (a constant of the class): the default is valued where the
            # helper lives, and the parameter is still published for the callers (winget RetryHelper)
            _, symbolic = _bound(loop, catches, params_symbolic=True)
            if symbolic and tried_before:
                symbolic = (Pending("max_attempts", BinOp("+", symbolic[0].expr, Num(1.0)), 1.0),)
            expression = _attempts_expression(symbolic)
            if expression is not None and symbolic[0].expr != pending[0].expr:
                attrs["attempts_expression"] = expression
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _header_count_resends_r20(f: CsFile) -> Iterable[Finding]:
    """Round 20 (das-payments-v2; the open request of a retry counted by the message itself): a handler's helper
    that reads how often a message was tried from one of its headers, gives up past a bound and otherwise sends
    the same message again with the count raised (``var retries = .. int.Parse(context.MessageHeaders[key]);
    if (++retries > maxnumberOfRetries) return false; options.SetHeader(key, retries.ToString()); await
    context.Send(message, options);``): bound + 1 tries (``>=``: the bound), at the check. A bound that is a
    parameter with a default is that default here and named for the callers (rule (a) / (b))."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        cmp = syntax.unwrap(branch.child_by_field_name("condition"))
        if cmp is None or cmp.type != "binary_expression" or \
                text(cmp.child_by_field_name("operator")) not in (">", ">="):
            continue
        left, right = syntax.unwrap(cmp.child_by_field_name("left")), cmp.child_by_field_name("right")
        counted = left
        if counted is not None and counted.type == "prefix_unary_expression" and text(counted).startswith("++"):
            counted = syntax.unwrap(counted.named_children[0]) if counted.named_child_count else None
        if counted is None or counted.type != "identifier" or not COUNTER.search(text(counted)):
            continue
        name = text(counted)
        method = syntax.enclosing(branch, ("method_declaration", "local_function_statement"))
        read = syntax.unwrap(syntax.local_value(name, branch))
        if method is None or read is None or not re.search(r"Header", text(read)):
            continue
        consequence = branch.child_by_field_name("consequence")
        leaves = consequence is not None and any(n.type in ("return_statement", "throw_statement")
                                                 for n in walk(consequence))
        after = [n for n in walk(method) if n.type == "invocation_expression" and n.start_byte > branch.end_byte]
        marks = any(syntax.invocation(n).name == "SetHeader" and any(
            text(syntax.unwrap(a)).startswith(name) for a in syntax.invocation(n).args if syntax.unwrap(a) is not None)
            for n in after)
        sends = any(RESEND.match(syntax.invocation(n).name or "") for n in after)
        if not (leaves and marks and sends):
            continue
        add = 1.0 if text(cmp.child_by_field_name("operator")) == ">" else 0.0
        attempts, pending = count(right, add=add)
        attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "call",
                 "library": None}
        bound = syntax.unwrap(right)
        if bound is not None and bound.type == "identifier":
            param = syntax.parameter_node(text(bound), bound)
            if param is not None and syntax.parameter_default(text(bound), param) is not None:
                attrs["attempts_expression"] = f"{text(bound)} + 1" if add else text(bound)
        yield f.finding("retry", cmp, ID, attrs, "medium" if attempts is None else "high", pending=pending)


def _flag_loops(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``var retried = false; while (true) { var r = await Send(); if (r.IsSuccessStatusCode) return r; if
    (retried) throw ...; await RenewToken(); retried = true; }``: the loop goes round once more after the
    flag named for a retry is set, and leaves when it is: 2 attempts, reported at the loop."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type not in ("while_statement", "for_statement", "do_statement"):
            continue
        condition = loop.child_by_field_name("condition")
        if condition is not None and text(condition) != "true":
            continue
        body = loop.child_by_field_name("body")
        if body is None or body.type != "block":
            continue
        statements = body.named_children
        for i, st in enumerate(statements):
            if st.type != "if_statement" or st.child_by_field_name("alternative") is not None:
                continue
            flag = syntax.unwrap(st.child_by_field_name("condition"))
            if flag is None or flag.type != "identifier" or not COUNTER.search(text(flag)) or \
                    not _leaves_by_throw(st.child_by_field_name("consequence")):
                continue
            name = text(flag)
            declared = syntax.local_value(name, loop)
            if declared is None or text(declared) != "false" or syntax.is_inside(declared, loop):
                continue
            later = statements[i + 1:]
            if not later or not (later[-1].type == "expression_statement" and
                                 re.fullmatch(rf"{re.escape(name)}\s*=\s*true;", text(later[-1]))):
                continue
            if _local_work(f, body):
                continue
            attrs = {"max_attempts": 2, "backoff": None, "retry_on": ["result"], "mechanism": "loop",
                     "library": None}
            yield f.finding("retry", loop, ID, attrs, "medium")
            break


def _returns(consequence: Node | None) -> bool:
    if consequence is None:
        return False
    last = consequence.named_children[-1] if consequence.type == "block" and consequence.named_children else consequence
    return last.type == "return_statement"


def _leaves_by_throw(consequence: Node | None) -> bool:
    if consequence is None:
        return False
    last = consequence.named_children[-1] if consequence.type == "block" and consequence.named_children else consequence
    return last.type in ("throw_statement", "return_statement", "break_statement")


def _continue_retries(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``while (true) { var reply = await Ask(messages); if (Malformed(reply)) { if (retries < MaxRetries)
    { retries++; messages.Add(fix); continue; } ... } ... }``: a branch that raises a counter named for
    retries while it is under a bound and goes round again asks the callee once more (``MaxRetries = 1``
    -> 2 attempts; a counter of attempts made is its own bound). Reported at that branch."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition, consequence = branch.child_by_field_name("condition"), branch.child_by_field_name("consequence")
        if condition is None or consequence is None or consequence.type != "block":
            continue
        statements = consequence.named_children
        if not statements or statements[-1].type != "continue_statement":
            continue
        loop = syntax.enclosing(branch, ("while_statement", "do_statement", "for_statement", "foreach_statement"))
        if loop is None or loop.id in seen or loop.type == "foreach_statement":
            continue
        cmp = syntax.unwrap(condition)
        if cmp is None or cmp.type != "binary_expression" or text(cmp.child_by_field_name("operator")) not in ("<", "<="):
            continue
        counter = syntax.unwrap(cmp.child_by_field_name("left"))
        if counter is None or counter.type != "identifier" or not COUNTER.search(text(counter)) or \
                _steps(text(counter), statements) <= 0:
            continue
        if loop.type == "for_statement" and _steps(text(counter), [loop.child_by_field_name("update")]
                                                   if loop.child_by_field_name("update") is not None else []):
            continue  # the loop's own counter: a counted loop, read as one
        body = loop.child_by_field_name("body")
        if body is None or _local_work(f, body):
            continue
        retries = re.search(r"(?i)retr", text(counter)) is not None
        add = (1.0 if retries else 0.0) + (1.0 if text(cmp.child_by_field_name("operator")) == "<=" else 0.0)
        attempts, pending = count(cmp.child_by_field_name("right"), add=add)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": ["result"], "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", branch, ID, attrs, "medium" if attempts is not None else "low", pending=pending)


STATUS_TEST_R20 = re.compile(r"StatusCode|\b429\b|TooManyRequests|ServiceUnavailable|IsSuccessStatusCode|Throttl")


def _status_resend_continues_r20(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """Round 20 (guildsaber): ``while (page <= maxPage) { var response = await http.GetAsync(url); if
    (response.StatusCode == (HttpStatusCode)429) { rateLimitRetries++; if (rateLimitRetries > 8) { yield return
    Failure(..); yield break; } await Task.Delay(..); continue; } page++; rateLimitRetries = 0; .. }``: a paging
    (or any) loop whose branch on a throttled / failed answer counts a retry counter up, gives up past a bound,
    and goes round again without moving on sends the same request again: a retry, at the loop. The tries: the
    counter's start (a literal before the loop) to the bound, the failing try included (``> 8`` from 0: 9).
    A branch that moves on (no ``continue``), a counter not named for tries, or a test of no answer is not this."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition, consequence = branch.child_by_field_name("condition"), branch.child_by_field_name("consequence")
        if condition is None or consequence is None or consequence.type != "block" or \
                not STATUS_TEST_R20.search(text(condition)):
            continue
        statements = [c for c in consequence.named_children if c.type != "comment"]
        if not statements or statements[-1].type != "continue_statement":
            continue
        loop = syntax.enclosing(branch, ("while_statement", "do_statement", "for_statement", "foreach_statement"))
        if loop is None or loop.id in seen or loop.type == "foreach_statement":
            continue
        own, outer = syntax.enclosing(branch, METHODS), syntax.enclosing(loop, METHODS)
        if own is None or outer is None or own.id != outer.id:
            continue
        body = loop.child_by_field_name("body")
        if body is None or not any(n.type == "await_expression" and n.start_byte < branch.start_byte
                                   for n in walk(body)):
            continue  # no request made in the loop before the test
        if any(n.type in ("postfix_unary_expression", "prefix_unary_expression", "assignment_expression") and
               n.start_byte < branch.start_byte and re.search(r"\+\+|--|\+=|-=", text(n)) and
               not (n.type == "assignment_expression" and text(n.child_by_field_name("operator")) == "=")
               for n in walk(body)):
            continue  # `options.Page++;` before the test: the loop moved on, the `continue` skips an item
        for guard in (c for c in statements if c.type == "if_statement"):
            cmp = syntax.unwrap(guard.child_by_field_name("condition"))
            give_up = guard.child_by_field_name("consequence")
            if cmp is None or cmp.type != "binary_expression" or give_up is None:
                continue
            operator = text(cmp.child_by_field_name("operator"))
            counter = syntax.unwrap(cmp.child_by_field_name("left"))
            if operator not in (">", ">=") or counter is None or counter.type != "identifier" or \
                    not COUNTER.search(text(counter)):
                continue
            if not (_gives_up(give_up) or _throws(give_up) or any(
                    n.type in ("yield_statement", "return_statement", "throw_statement") and
                    ("break" in text(n) or n.type != "yield_statement") for n in walk(give_up))):
                continue
            name = text(counter)
            before = [c for c in statements if c.end_byte <= guard.start_byte]
            after = [c for c in statements if c.start_byte >= guard.end_byte]
            stepped_before, stepped_after = _steps(name, before), _steps(name, after)
            if stepped_before + stepped_after != 1:
                continue
            start = syntax.local_value(name, loop)
            start = syntax.settle(syntax.number(start)) if start is not None else None
            limit = syntax.settle(syntax.number(syntax.unwrap(cmp.child_by_field_name("right"))))
            attempts = None
            if start is not None and limit is not None:
                # counted before the test: the try that takes the counter past the bound is the last
                attempts = limit - start + (1 if operator == ">" else 0) + (1 if stepped_after else 0)
            attrs = {"max_attempts": normalise(attempts) if attempts is not None and attempts > 0 else None,
                     "backoff": _backoff(loop), "retry_on": ["result"], "mechanism": "loop", "library": None}
            seen.add(loop.id)
            yield f.finding("retry", loop, ID, attrs, "medium")
            break


SHOULD_RETRY_R20 = re.compile(r"^(Should|Can|May)Retry$|^(Has)?Retries(Left|Remaining)$")


def _should_retry_properties_r20(f: CsFile) -> Iterable[Finding]:
    """Round 20 (group-membership-management): ``public const int MaxBatchRetries = 5; public int RetryCount {
    get; set; } public bool ShouldRetry => RetryCount < MaxBatchRetries; public ChunkOfUsers UpdateIdForRetry() {
    RetryCount++; return this; }``: a work item that carries its own count of retries and says whether it may be
    sent again (the code re-queues it while ``ShouldRetry``): a retry bound, at the predicate. A counter the
    class never counts up, or a predicate no code reads, is not this."""
    for prop in (n for n in walk(f.root) if n.type == "property_declaration"):
        name = text(prop.child_by_field_name("name"))
        if not SHOULD_RETRY_R20.match(name) or text(prop.child_by_field_name("type")) != "bool":
            continue
        arrow = next((c for c in prop.named_children if c.type == "arrow_expression_clause"), None)
        cmp = syntax.unwrap(arrow.named_children[-1]) if arrow is not None and arrow.named_child_count else None
        if cmp is None or cmp.type != "binary_expression":
            continue
        operator = text(cmp.child_by_field_name("operator"))
        counter = syntax.unwrap(cmp.child_by_field_name("left"))
        limit = cmp.child_by_field_name("right")
        if operator not in ("<", "<=") or counter is None or counter.type != "identifier" or \
                not COUNTER.search(text(counter)):
            continue
        owner = syntax.enclosing(prop, ("class_declaration", "record_declaration", "struct_declaration"))
        if owner is None or _steps(text(counter), [owner]) <= 0:
            continue  # the class never counts the tries up
        if sum(1 for n in walk(f.root) if n.type in ("identifier", "member_access_expression")
               and text(n).rsplit(".", 1)[-1] == name and n.type == "identifier") < 2:
            continue  # no code reads the predicate
        value = syntax.settle(syntax.number(syntax.unwrap(limit)))
        if value is None and syntax.unwrap(limit) is not None and syntax.unwrap(limit).type == "identifier":
            declarator = next((n for n in walk(owner) if n.type == "variable_declarator" and
                               text(n.child_by_field_name("name")) == text(syntax.unwrap(limit))), None)
            initial = declarator.named_children[-1] if declarator is not None and \
                declarator.named_child_count > 1 else None
            value = syntax.settle(syntax.number(syntax.unwrap(initial))) if initial is not None else None
        add = (1.0 if re.search(r"(?i)retr", text(counter)) else 0.0) + (1.0 if operator == "<=" else 0.0)
        attrs = {"max_attempts": normalise(value + add) if value is not None else None, "backoff": None,
                 "retry_on": ["result"], "mechanism": "loop", "library": None}
        yield f.finding("retry", prop, ID, attrs, "medium")


def _tried_before(loop: Node, attempt: Node) -> bool:
    """The loop sits in the ``catch`` of a ``try`` that made the same call first (``try { Migrate(); }
    catch (NpgsqlException) { while (true) { try { Migrate(); return; } catch { ... } } }``): that
    first call is an attempt too."""
    body = attempt.child_by_field_name("body")
    if body is None:
        return False
    tried = {syntax.invocation(n).callee for n in walk(body) if n.type == "invocation_expression"}
    tried = {c for c in tried if c not in DELAYS and not re.search(r"(?i)log", c)}
    for parent in syntax.ancestors_of(loop):
        if parent.type in METHODS:
            return False
        if parent.type == "catch_clause" and parent.parent is not None:
            first = parent.parent.child_by_field_name("body")
            return first is not None and any(
                n.type == "invocation_expression" and syntax.invocation(n).callee in tried for n in walk(first))
    return False


# --- round 18: a reconnecting client's failure handler that gives up -------------------------------

CONNECT_FAILED_R18 = re.compile(r"ConnectingFailed|ConnectionFailed|ConnectFailed|Disconnected")
STOPS_R18 = ("Stop", "StopAsync", "Dispose", "DisposeAsync", "DisconnectAsync", "Disconnect", "Close", "CloseAsync",
             "StopApplication")


def _connect_failure_give_ups_r18(f: CsFile) -> Iterable[Finding]:
    """Round 18 (flotilla): a client that reconnects on its own (MQTTnet's managed client, a hub connection) and an
    event handler for its failures (``OnConnectingFailed(ConnectingFailedEventArgs e)``) that counts them and gives up
    past a bound: ``if (_reconnectAttempts >= _maxRetryAttempts) { ..; StopAsync(ct); return; } _reconnectAttempts++;``
    is a retry at that check, ``max + 1`` tries; when the stop itself waits on a setting (``if (_shouldFailOnMax)
    StopAsync(..)``) the bound applies only when configured: null."""
    for method in (n for n in walk(f.root) if n.type in ("method_declaration", "local_function_statement")):
        name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        if not (CONNECT_FAILED_R18.search(name) and name.startswith(("On", "Handle")) or params is not None and
                any(CONNECT_FAILED_R18.search(text(p.child_by_field_name("type")) or "") and
                    text(p.child_by_field_name("type")).endswith("EventArgs")
                    for p in params.named_children if p.type == "parameter" and p.child_by_field_name("type"))):
            continue
        body = method.child_by_field_name("body")
        for statement in body.named_children if body is not None and body.type == "block" else []:
            if statement.type != "if_statement":
                continue
            cmp = _comparison(statement.child_by_field_name("condition"), None)
            if cmp is None or cmp[1] in ("==", "!=") or not COUNTER.search(cmp[0]):
                continue
            counter, op, limit_node, inline, before = cmp
            consequence = statement.child_by_field_name("consequence")
            if not _gives_up_by_return_r18(consequence) and not _throws(consequence):
                continue
            step = _steps(counter, [method], skip=statement) + inline
            if step <= 0:
                continue
            inner = consequence.named_children if consequence.type == "block" else [consequence]
            stops = any(s.type == "expression_statement" and s.named_children and
                        s.named_children[0].type in ("invocation_expression", "await_expression") and
                        _stop_call_r18(s.named_children[0]) for s in inner) or _throws(consequence)
            attempts, pending = None, ()
            if stops:
                runs = [_goto_run(0.0, v, NEGATE[op], inline, before, step) for v in (10.0, 11.0)]
                if None not in runs and runs[1] - runs[0] == 1:
                    attempts, pending = count(limit_node, runs[0] - 10.0)
            elif not any(n.type == "invocation_expression" and _stop_call_r18(n) for n in walk(consequence)):
                continue  # nothing is stopped: a warning only
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "callback",
                     "library": None}
            yield f.finding("retry", statement, ID, attrs, "medium", pending=pending)
            break


MESSAGE_PROPERTIES_R18 = re.compile(r"\.(ApplicationProperties|UserProperties|Headers)\b")
SENDS_R18 = re.compile(r"^(Send|Publish|Schedule|Enqueue)\w*")


FAILED_ANSWER_R19 = re.compile(r"(?i)error|fail|status|code|expired|invalid|limit|throttl|busy|retry|timeout|"
                               r"unavailable|\b(429|503)\b")


def _error_handler_give_ups_r19(f: CsFile) -> Iterable[Finding]:
    """Round 19 (btms-backend): a consumer error handler that answers the bus ``ProcessResult.Retry`` (SlimMessageBus
    runs the handler again) until its count of failures passes a bound (``var retryCount = ctx.GetRetryAttempt();
    if (retryCount > options.Value.ErrorRetries) return ProcessResult.Failure;``): the count is of retries, so
    one more try than the bound (``>= N``: N), at the check; the bound valued where the pipeline knows it."""
    for method in (n for n in walk(f.root) if n.type in ("method_declaration", "local_function_statement")):
        body = method.child_by_field_name("body")
        if body is None or "ProcessResult.Retry" not in text(body):
            continue
        for branch in (n for n in walk(body) if n.type == "if_statement"):
            cmp = syntax.unwrap(branch.child_by_field_name("condition"))
            if cmp is None or cmp.type != "binary_expression" or \
                    text(cmp.child_by_field_name("operator")) not in (">", ">="):
                continue
            left = syntax.unwrap(cmp.child_by_field_name("left"))
            if not _counter_like(left) or not re.search(r"(?i)retr|attempt", text(left)):
                continue
            consequence = branch.child_by_field_name("consequence")
            if consequence is None or "ProcessResult.Retry" in text(consequence) or \
                    not (_returns(consequence) or _throws(consequence)):
                continue
            op = text(cmp.child_by_field_name("operator"))
            attempts, pending = count(cmp.child_by_field_name("right"), add=1.0 if op == ">" else 0.0)
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call",
                     "library": "SlimMessageBus"}
            yield f.finding("retry", branch, ID, attrs, "medium", pending=pending)
            break


def _same_call_recursion_r19(f: CsFile) -> Iterable[Finding]:
    """Round 19 (prowlarr): an async method that, when its answer reports a failure, returns a call of itself with
    its own arguments (``if (json.error_code is 5) { return await FetchIndexerResponse(request); }`` in
    ``FetchIndexerResponse(IndexerRequest request)``): the request is sent again for as long as the failure
    lasts, with no count: an unbounded retry (null), at the call. A call with other arguments (a walk, a
    paging step) or one not under a failure test is not this."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        body = method.child_by_field_name("body")
        params = method.child_by_field_name("parameters")
        if body is None or params is None or not any(n.type == "await_expression" for n in walk(body)):
            continue
        name = text(method.child_by_field_name("name"))
        own = [text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"]
        for call in (n for n in walk(body) if n.type == "invocation_expression"):
            inv = syntax.invocation(call)
            if inv.name != name or inv.receiver_text not in ("", "this") or inv.named or \
                    [text(syntax.unwrap(a)) for a in inv.args] != own:
                continue
            statement = next((a for a in syntax.ancestors_of(call) if a.type.endswith("_statement")), None)
            if statement is None or statement.type != "return_statement":
                continue
            branch = syntax.enclosing(call, ("if_statement",))
            if branch is None or not syntax.is_inside(branch, method) or \
                    syntax.is_inside(call, branch.child_by_field_name("condition")) or \
                    not FAILED_ANSWER_R19.search(text(branch.child_by_field_name("condition"))):
                continue
            attrs = {"max_attempts": None, "backoff": "none", "retry_on": ["result"], "mechanism": "call",
                     "library": None}
            yield f.finding("retry", call, ID, attrs, "medium")


LANGUAGE_EXT_RETRIES_R19 = ("retry", "retryWhile", "retryUntil")
_RECURS_R19 = re.compile(r"\bSchedule\.recurs\(\s*([^()]+?)\s*\)")


def _language_ext_retries_r19(f: CsFile) -> Iterable[Finding]:
    """Round 19 (eryph): LanguageExt's ``retry(Schedule.NoDelayOnFirst & Schedule.spaced(2 s) & Schedule.recurs(5),
    effect)`` / ``retryWhile(Schedule.Forever & Schedule.recurs(5), effect, e => ..)``: the effect runs again
    while it fails, as many times as the schedule recurs (5 -> 6 tries; a schedule without ``recurs``:
    unbounded, null), at the call. Only with a ``Schedule.`` first argument (a method of the project named
    ``retry`` is not this)."""
    for inv in f.invocations:
        if inv.name not in LANGUAGE_EXT_RETRIES_R19 or inv.receiver is not None or not inv.args:
            continue
        schedule = inv.args[0]
        if "Schedule." not in text(schedule):
            continue
        found = _RECURS_R19.search(text(schedule))
        attempts, pending = (None, ())
        if found:
            bound = next((n for n in walk(schedule) if n.type == "invocation_expression" and
                          syntax.invocation(n).name == "recurs"), None)
            if bound is not None and syntax.invocation(bound).args:
                attempts, pending = count(syntax.invocation(bound).args[0], add=1.0)
        backoff = "exponential" if "exponential" in text(schedule) else ("fixed" if "spaced" in text(schedule)
                                                                         else None)
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "library",
                 "library": "LanguageExt"}
        yield f.finding("retry", inv.node, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _prefix_count_give_ups_r19(f: CsFile) -> Iterable[Finding]:
    """Round 19 (nl-covid19-notification): an attempt method that counts itself in a field and gives up past a
    bound (``if (++_attemptCount > AttemptCountMax) throw new InvalidOperationException(..);`` at the top of
    ``WriteAttempt()``), called again by its caller while it fails (``var ok = await WriteAttempt(); while (!ok)
    ok = await WriteAttempt();``): that many tries (``>= N``: N - 1), at the guard. The method must be called
    more than once (or inside a loop) in its class; a counter that is no attempt count is not this."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        cmp = syntax.unwrap(branch.child_by_field_name("condition"))
        if cmp is None or cmp.type != "binary_expression":
            continue
        op = text(cmp.child_by_field_name("operator"))
        left, right = syntax.unwrap(cmp.child_by_field_name("left")), cmp.child_by_field_name("right")
        if op not in (">", ">=") or left is None or left.type != "prefix_unary_expression" or \
                not text(left).startswith("++") or right is None:
            continue
        counter = text(left)[2:].strip().removeprefix("this.")
        if not re.search(r"(?i)attempt|retr|tries|tried", counter):
            continue
        if not _throws(branch.child_by_field_name("consequence")):
            continue
        method = syntax.enclosing(branch, ("method_declaration", "local_function_statement"))
        holder = syntax.enclosing(branch, ("class_declaration", "record_declaration", "struct_declaration"))
        if method is None or holder is None:
            continue
        name = text(method.child_by_field_name("name"))
        if not any(d.type == "variable_declarator" and text(d.child_by_field_name("name")) == counter and
                   syntax.enclosing(d, ("field_declaration",)) is not None for d in walk(holder)):
            continue  # a field that outlives each attempt (a local would start again at every call)
        calls = [n for n in walk(holder) if n.type == "invocation_expression" and
                 syntax.invocation(n).name == name and not syntax.is_inside(n, method)]
        if len(calls) < 2 and not any(syntax.enclosing(c, ("while_statement", "do_statement", "for_statement"))
                                      is not None for c in calls):
            continue
        attempts, pending = count(right, add=0.0 if op == ">" else -1.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", branch, ID, attrs, "medium", pending=pending)


def _property_counter_redeliveries_r18(f: CsFile) -> Iterable[Finding]:
    """Round 18 (plan-technology): a consumer that counts its own redeliveries in a property of the message: it
    reads the count (``message.ApplicationProperties.TryGetValue("DeliveryAttempts", out var o) && int.TryParse(..,
    out int n)``, a header), gives up when it reaches the bound (``if (deliveryAttempts >= _options.MaxAttempts)
    return false;``) and otherwise sends a copy carrying the count plus one (``props.Add("DeliveryAttempts", ++n);
    await _sender.SendMessageAsync(copy)``, here or in a method of the class it hands the count to). The first
    delivery carries no count (0): ``>= N`` allows N + 1 deliveries; a retry at the check, mechanism redelivery."""
    if not re.search(rb"\.(ApplicationProperties|UserProperties|Headers)\b", f.data):
        return
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        body = method.child_by_field_name("body")
        if body is None:
            continue
        for statement in (n for n in walk(body) if n.type == "if_statement"):
            cmp = _comparison(statement.child_by_field_name("condition"), None)
            if cmp is None or cmp[1] not in (">=", ">") or not COUNTER.search(cmp[0]) and "deliver" not in cmp[0].lower():
                continue
            counter, op, limit_node, inline, before = cmp
            consequence = statement.child_by_field_name("consequence")
            if not (_gives_up_by_return_r18(consequence) or _throws(consequence)):
                continue
            # the count comes from the message's properties, before the check
            read = any(n.type in ("assignment_expression", "variable_declarator") and n.end_byte <= statement.start_byte
                       and (text(n.child_by_field_name("left") if n.type == "assignment_expression"
                                 else n.child_by_field_name("name")) == counter)
                       and _from_properties_r18(n, body) for n in walk(body))
            if not read:
                continue
            if not _sends_copy_with_count_r18(f, method, statement, counter):
                continue
            runs = [_goto_run(0.0, v, NEGATE[op], inline, before, 1.0) for v in (10.0, 11.0)]
            if None in runs or runs[1] - runs[0] != 1:
                continue
            attempts, pending = count(limit_node, runs[0] - 10.0)
            attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "redelivery",
                     "library": None}
            yield f.finding("retry", statement, ID, attrs, "medium", pending=pending)
            break


def _from_properties_r18(assignment: Node, body: Node) -> bool:
    """``n = existing`` where ``existing`` is the ``out`` of a parse guarded by a read of the message's properties,
    or ``n = (int)message.ApplicationProperties["Key"]``."""
    value = assignment.child_by_field_name("right") if assignment.type == "assignment_expression" else \
        next((c for c in assignment.named_children if c != assignment.child_by_field_name("name")), None)
    if value is None:
        return False
    if MESSAGE_PROPERTIES_R18.search(text(value)):
        return True
    branch = syntax.enclosing(assignment, ("if_statement",))
    condition = branch.child_by_field_name("condition") if branch is not None else None
    return condition is not None and MESSAGE_PROPERTIES_R18.search(text(condition)) is not None and \
        re.search(r"\bout\s+(?:\w+\s+)?" + re.escape(text(syntax.unwrap(value))) + r"\b", text(condition)) is not None


def _sends_copy_with_count_r18(f: CsFile, method: Node, check: Node, counter: str) -> bool:
    """After the check, the method (or a method of its class handed the count) writes the count back into a
    message's properties and sends a message."""
    regions = [method]
    for call in (n for n in walk(method) if n.type == "invocation_expression" and n.start_byte > check.end_byte):
        inv = syntax.invocation(call)
        if inv.receiver_text in ("", "this") and any(text(syntax.unwrap(a)) == counter for a in inv.args):
            holder = syntax.enclosing(method, ("class_declaration", "record_declaration", "struct_declaration"))
            for other in (n for n in walk(holder) if n.type == "method_declaration") if holder is not None else []:
                if text(other.child_by_field_name("name")) == inv.name:
                    regions.append(other)
    for region in regions:
        calls = [syntax.invocation(n) for n in walk(region) if n.type == "invocation_expression"]
        writes = any(c.name in ("Add", "TryAdd") and MESSAGE_PROPERTIES_R18.search("." + c.receiver_text.rsplit(".", 1)[-1])
                     for c in calls) or any(
            n.type == "assignment_expression" and MESSAGE_PROPERTIES_R18.search(text(n.child_by_field_name("left")))
            for n in walk(region))
        if writes and any(SENDS_R18.match(c.name) for c in calls):
            return True
    return False


def _stop_call_r18(node: Node) -> bool:
    node = syntax.unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = syntax.unwrap(node.named_children[0])
    return node is not None and node.type == "invocation_expression" and syntax.invocation(node).name in STOPS_R18


# --- goto retries ----------------------------------------------------------------------------

GOTO_LABEL = re.compile(r"(?i)retry|again|attempt|^try")
METHODS = ("method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression",
           "accessor_declaration")


def _goto_retries(f: CsFile):
    """(finding, labeled statement) for each label a later `goto` in the same method jumps back to."""
    for label in (n for n in walk(f.root) if n.type == "labeled_statement"):
        name_node = next((c for c in label.children if c.type == "identifier"), None)
        if name_node is None:
            continue
        name = text(name_node)
        scope = syntax.enclosing(label, METHODS)
        if scope is None:
            continue
        gotos = [g for g in walk(scope) if g.type == "goto_statement" and g.start_byte > label.start_byte
                 and any(c.type == "identifier" and text(c) == name for c in g.children)
                 and syntax.enclosing(g, METHODS) == scope]
        if not gotos:
            continue
        catches = [syntax.enclosing(g, ("catch_clause",)) for g in gotos]
        between = f.data[label.start_byte:max(g.end_byte for g in gotos)]
        if not (any(c is not None for c in catches) or GOTO_LABEL.search(name)
                or re.search(rb"Task\.Delay|Thread\.Sleep", between)):
            continue
        attempts, expression = _goto_bound(label, gotos, catches)
        if _goto_not_a_retry(label, gotos, catches, attempts) or _goto_switches_request(label, gotos):
            continue
        if attempts is None:
            attempts = _goto_flag_bound(label, gotos)
        retry_on = sorted({text(d.child_by_field_name("type")) for c in catches if c is not None
                           for d in c.named_children if d.type == "catch_declaration"
                           and d.child_by_field_name("type") is not None}) or None
        backoff = "fixed" if re.search(rb"Task\.Delay|Thread\.Sleep", between) else None
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on, "mechanism": "loop",
                 "library": None}
        if expression is not None:
            attrs["attempts_expression"] = expression
        yield f.finding("retry", label, ID, attrs, "high" if attempts is not None else "medium"), label


PAUSES = re.compile(r"Task\.Delay|Thread\.Sleep")
STATE_TEST = re.compile(r"\bIs[A-Z]\w*|\.(Is|Has)[A-Z]\w*")
LOCAL_SIGNAL = re.compile(r"\.Task\b|Signal|Event\b|WaitToRead|WaitOne")


def _goto_not_a_retry(label: Node, gotos: list[Node], catches: list[Node | None], attempts) -> bool:
    """A backward ``goto`` that is a loop of another kind:

    - nothing between the label and the ``goto`` awaits (a fix-point over local data: ``retry: ...
      if (removedSome) goto retry;``, a name made unique again);
    - the success path goes round too (an unconditional ``goto`` outside any ``catch``, or one only
      guarded by cancellation): a polling / event loop, unless only the failures wait before going round
      (``catch { await Task.Delay(retryDelay); retryDelay += ...; goto retry; }``, a restart with backoff);
    - the ``goto`` follows an await of a local signal (``await waitNextEvent.Task``: a long poll);
    - outside any ``catch``, unbounded, it waits and goes round while a state test holds
      (``if (info.IsSynching(network)) { await Task.Delay(..); goto retry; }``): waiting for a state."""
    region_end = max(g.end_byte for g in gotos)
    awaits = [n for n in walk(syntax.enclosing(label, METHODS) or label)
              if n.type == "await_expression" and label.start_byte <= n.start_byte < region_end]
    if not awaits and not any(c is not None for c in catches):
        return True
    in_catch_pause = any(c is not None and PAUSES.search(text(c)) for c in catches)
    outside_pause = any(PAUSES.search(text(n)) for n in awaits
                        if syntax.enclosing(n, ("catch_clause",)) is None or
                        not any(c is not None and syntax.is_inside(n, c) for c in catches))
    for goto, catch in zip(gotos, catches):
        if catch is not None:
            continue
        guard = syntax.enclosing(goto, ("if_statement", "catch_clause", "labeled_statement"))
        condition = guard.child_by_field_name("condition") if guard is not None and guard.type == "if_statement" \
            else None
        if condition is None or re.fullmatch(r"!?\s*[\w.]*IsCancellationRequested", text(condition).strip()):
            if not (in_catch_pause and not outside_pause):
                return True  # the success path loops as well: a poll or event loop
            continue
        before = [n for n in awaits if n.end_byte <= goto.start_byte and syntax.is_inside(n, guard)]
        if before and LOCAL_SIGNAL.search(text(before[-1])) and not PAUSES.search(text(before[-1])):
            return True  # waits for a local signal, then reads again: a long poll
        if attempts is None and STATE_TEST.search(text(condition)) and any(PAUSES.search(text(n)) for n in before):
            return True  # waits while a state holds
    return False


def _guards_up_to(goto: Node, label: Node) -> list[Node]:
    """The ``if`` statements around ``goto`` after ``label``, innermost first."""
    found, node = [], goto.parent
    while node is not None and node.start_byte > label.start_byte:
        if node.type == "if_statement":
            found.append(node)
        node = node.parent
    return found


def _flag_tested_false(condition: Node | None) -> set[str]:
    """``!didUnlock && code == X`` / ``didUnlock == false`` -> {"didUnlock"}."""
    names, node = set(), syntax.unwrap(condition)
    if node is None:
        return names
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) in ("&&", "||"):
        if text(node.child_by_field_name("operator")) == "&&":
            names |= _flag_tested_false(node.child_by_field_name("left"))
            names |= _flag_tested_false(node.child_by_field_name("right"))
        return names
    match = re.fullmatch(r"!\s*(\w+)|(\w+)\s*==\s*false", text(node).strip())
    if match:
        names.add(match.group(1) or match.group(2))
    return names


def _goto_flag_bound(label: Node, gotos: list[Node]) -> float | None:
    """``var didUnlock = false; retry: Send(); if (failed && !didUnlock) { Unlock(); didUnlock = true;
    goto retry; }``: a flag set on the way back lets the call run once more: 2 attempts."""
    for goto in gotos:
        guards = _guards_up_to(goto, label)
        for guard in guards:
            for flag in _flag_tested_false(guard.child_by_field_name("condition")):
                start = syntax.unwrap(syntax.local_value(flag, label))
                if start is None or text(start) != "false":
                    continue
                if any(n.type == "assignment_expression" and text(n.child_by_field_name("left")) == flag and
                       text(n.child_by_field_name("right")) == "true" and n.end_byte <= goto.start_byte
                       for n in walk(guard)):
                    return 2.0
    return None


def _goto_switches_request(label: Node, gotos: list[Node]) -> bool:
    """On the way back the code sets a local the retried statements read to another literal
    (``wsSubscription = "newBlocks"; isRetry = true; goto retry;``): the second try asks for another
    variant (an older server's topic), a fallback, not a retry of the same request."""
    method = syntax.enclosing(label, METHODS)
    if method is None:
        return False
    for goto in gotos:
        guards = _guards_up_to(goto, label)
        region = guards[-1] if guards else None
        if region is None:
            continue
        for node in walk(region):
            if node.type != "assignment_expression" or node.end_byte > goto.start_byte:
                continue
            left, right = node.child_by_field_name("left"), syntax.unwrap(node.child_by_field_name("right"))
            if left is None or right is None or left.type != "identifier" or \
                    right.type not in ("string_literal", "integer_literal", "real_literal"):
                continue
            name = text(left)
            declared = syntax.local_value(name, label)
            if declared is None or declared.start_byte > label.start_byte or COUNTER.search(name):
                continue
            if any(n.type == "identifier" and text(n) == name and label.start_byte < n.start_byte < region.start_byte
                   for n in walk(method)):
                return True
    return False


def _comparisons(node: Node | None):
    """Every comparison of a counter in a condition joined by `&&` (`ex.IsTransient && retries > 0`)."""
    node = syntax.unwrap(node)
    if node is None or node.type != "binary_expression":
        return []
    op = text(node.child_by_field_name("operator"))
    if op == "&&":
        return _comparisons(node.child_by_field_name("left")) + _comparisons(node.child_by_field_name("right"))
    found = _comparison(node, None)
    return [found] if found else []


def _goto_bound(label: Node, gotos: list[Node], catches: list[Node | None]) -> tuple[float | None, str | None]:
    """(attempts allowed by the counter the goto's catch filter or enclosing `if` tests, else None;
    the bound in terms of the method's parameter when the limit or the counter's start is one:
    ``maxRetries + 1``)."""
    for goto, catch in sorted(zip(gotos, catches), key=lambda pair: not _general_catch_r18(pair[1])):
        tests = []
        shifted: dict[int, Node] = {}  # test -> the throwing guard it came from
        if catch is not None:
            clause = next((c for c in catch.named_children if c.type == "catch_filter_clause"), None)
            if clause is not None and clause.named_child_count:
                tests.extend(_comparisons(clause.named_children[0]))
        guard = syntax.enclosing(goto, ("if_statement", "catch_clause"))
        if guard is not None and guard.type == "if_statement":
            alternative = guard.child_by_field_name("alternative")
            if alternative is not None and syntax.is_inside(goto, alternative):
                # round 18 (thor): `catch { rateLimit++; if (rateLimit > 50) { give up } else { goto limitGoto; } }`:
                # the goto runs while the test fails, after the count moved
                single = _comparison(guard.child_by_field_name("condition"), None)
                if single is not None:
                    counter, op, limit_node, inline, before = single
                    tests.append((counter, NEGATE[op], limit_node, inline, before))
                    shifted[len(tests) - 1] = guard
            else:
                first = len(tests)
                tests.extend(_comparisons(guard.child_by_field_name("condition")))
                if catch is not None and guard.parent is not None and guard.parent.parent == catch:
                    # `catch { tries++; if (tries < 3) goto again; throw; }`: the test sees the count moved
                    for index in range(first, len(tests)):
                        shifted[index] = guard
        if catch is not None and not tests:
            # `catch { retries += 1; if (retries > maxRetries) throw; ...; goto TOP; }`: the throw ends the loop
            # (round 18, thor: or returns, `if (count > 5) { ..; return; } count++; goto rateLimit;`)
            body = catch.child_by_field_name("body")
            for statement in body.named_children if body is not None else []:
                if statement.type == "if_statement" and (
                        _throws(statement.child_by_field_name("consequence"))
                        or statement.end_byte <= goto.start_byte
                        and _gives_up_by_return_r18(statement.child_by_field_name("consequence"))):
                    for c, o, n, i, b in _comparisons(statement.child_by_field_name("condition")):
                        tests.append((c, NEGATE[o], n, i, b))
                        shifted[len(tests) - 1] = statement
        if not tests:
            # round 11: `AGAIN: try { if (retry++ >= 3) { ...; return null; } await Create(); } catch ... goto AGAIN;`:
            # the labelled statement gives up first when its counter is spent
            guard = _give_up_guard(_opening_statements(label))
            if guard is not None:
                attempts = _guarded_tries(guard, label, [catch if catch is not None else goto])
                if attempts is not None:
                    return attempts, None
        for index, (counter, op, limit_node, inline, before) in enumerate(tests):
            limit = syntax.settle(syntax.number(limit_node))
            start_node = syntax.local_value(counter, label)
            if start_node is not None and start_node.type == "identifier":
                start_node = syntax.local_value(text(start_node), label) or start_node
            start = syntax.settle(syntax.number(start_node)) if start_node is not None else None
            region = catch if catch is not None else (guard or goto)
            step = _steps(counter, [region]) - inline
            if index in shifted and start is not None:
                # the count moves before the test: the test sees it already moved
                statement = shifted[index]
                start += sum(_steps(counter, [s]) for s in statement.parent.named_children
                             if s.end_byte <= statement.start_byte)
            bare_limit = syntax.unwrap(limit_node)
            if limit is None and start is not None and bare_limit is not None and bare_limit.type == "identifier" and \
                    syntax.parameter_node(text(bare_limit), bare_limit) is not None:
                # `int? maxRetries = null` ... `maxRetries ??= DEFAULT_RETRIES` ... `if (retries > maxRetries) throw;`:
                # the bound is the caller's (or the default a call leaving it out gets)
                runs = [_goto_run(start, v, op, inline, before, step) for v in (10.0, 11.0)]
                if None not in runs and runs[1] - runs[0] == 1:
                    offset = int(runs[0] - 10)
                    name = text(bare_limit)
                    return None, name if not offset else f"{name} {'+' if offset > 0 else '-'} {abs(offset)}"
            if limit is None or start is None:
                continue
            attempts = _goto_run(start, limit, op, inline, before, step)
            expression = None
            if attempts is not None:
                for node, is_limit in ((limit_node, True), (start_node, False)):
                    bare = syntax.unwrap(node)
                    if bare is None or bare.type != "identifier" or syntax.parameter_node(text(bare), bare) is None:
                        continue
                    runs = [_goto_run(start if is_limit else v, v if is_limit else limit, op, inline, before, step)
                            for v in (10.0, 11.0)]
                    if None not in runs and runs[1] - runs[0] == 1:
                        offset = int(runs[0] - 10)
                        expression = text(bare) if not offset else \
                            f"{text(bare)} {'+' if offset > 0 else '-'} {abs(offset)}"
            return attempts, expression
    return None, None


def _general_catch_r18(catch: Node | None) -> bool:
    """``catch`` / ``catch (Exception e)``: the clause that retries any failure (round 18, thor: of a goto
    loop whose rate-limit catch allows 11 tries and whose general catch 6, the general one bounds it)."""
    if catch is None:
        return False
    declaration = next((c for c in catch.named_children if c.type == "catch_declaration"), None)
    if declaration is None:
        return True
    kind = declaration.child_by_field_name("type")
    return kind is not None and text(kind).rsplit(".", 1)[-1] == "Exception"


def _gives_up_by_return_r18(branch: Node | None) -> bool:
    """A branch whose last top-level statement is a ``return``."""
    if branch is None:
        return False
    inner = branch.named_children if branch.type == "block" else [branch]
    return bool(inner) and inner[-1].type == "return_statement"


def _opening_statements(node: Node) -> list[Node]:
    """The first statements a labelled statement (or a loop's body) runs: a block's, a try's block's."""
    statement = next((c for c in node.named_children if c.type != "identifier"), None) \
        if node.type == "labeled_statement" else node
    if statement is not None and statement.type == "try_statement":
        statement = statement.child_by_field_name("body")
    if statement is None:
        return []
    return statement.named_children if statement.type == "block" else [statement]


def _give_up_guard(statements: list[Node]):
    """``if (retry++ >= 3) { log; return null; }`` opening a retried region: (counter, the op under which
    the region goes on, limit node, inline step, inline before) -- the guard's test negated."""
    for statement in statements[:2]:
        if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None:
            continue
        consequence = statement.child_by_field_name("consequence")
        if not (_gives_up(consequence) or _throws(consequence)):
            continue
        cmp = _comparison(statement.child_by_field_name("condition"), None)
        if cmp is None or not COUNTER.search(cmp[0]):
            continue
        counter, op, limit_node, inline, before = cmp
        return counter, NEGATE[op], limit_node, inline, before
    return None


def _guarded_tries(guard, scope: Node, regions: list[Node]) -> float | None:
    """Tries a region opened by a give-up guard makes: the guard passes, the callee is tried, the
    counter moves by ``regions``' steps, until the guard gives up."""
    counter, op, limit_node, inline, before = guard
    limit = syntax.settle(syntax.number(limit_node))
    start_node = syntax.local_value(counter, scope)
    start = syntax.settle(syntax.number(start_node)) if start_node is not None else None
    if limit is None or start is None:
        return None
    step = _steps(counter, regions)
    if step == 0 and not inline:
        return None
    return _count_turns(start, 0, limit, op, inline, before, step)


def _count_turns(value: float, turns: int, limit: float, op: str, inline: float, before: bool, step: float) -> float | None:
    """How many turns a counted loop makes: from ``value`` after ``turns`` turns, each test compares the
    counter (moved by ``inline`` before or after the test: ``++i < n`` / ``i++ < n``) with ``limit``, and a
    turn that passes adds ``step``; None past 1000 turns (unbounded)."""
    while turns < 1000:
        value += inline if before else 0.0
        holds = COMPARE[op](value, limit)
        value += inline if not before else 0.0
        if not holds:
            return float(turns)
        turns += 1
        value += step
    return None


def _guarded_loops(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``retry = 0; while (true) { if (retry++ >= 3) { log; return null; } var ok = await Start(id); if (ok)
    break; await Task.Delay(500); }``: a loop with no bound of its own that gives up when a counter named for
    tries is spent, leaves on a good answer and waits before asking again: 3 tries (round 11)."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type not in ("while_statement", "for_statement"):
            continue
        condition = loop.child_by_field_name("condition")
        if condition is not None and text(condition) != "true":
            continue
        body = loop.child_by_field_name("body")
        if body is None or body.type != "block":
            continue
        statements = body.named_children
        guard = _give_up_guard(statements)
        if guard is None or not _delays(loop) or _local_work(f, body):
            continue
        opening = next(s for s in statements if s.type == "if_statement")
        rest = [s for s in statements if s.start_byte > opening.end_byte]
        if not any(n.type == "invocation_expression" for s in rest for n in walk(s)) or not any(
                s.type == "if_statement" and _leaves(s.child_by_field_name("consequence")) for s in rest):
            continue
        attempts = _guarded_tries(guard, loop, rest)
        attrs = {"max_attempts": int(attempts) if attempts is not None else None, "backoff": _backoff(loop),
                 "retry_on": ["result"], "mechanism": "loop", "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium")


def _tail_guarded_loops(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``int tries = 0; while (true) { var r = await func(); if (r.Ok) return r; if (++tries < maxRetries) await
    Task.Delay(waitTime); else return r; }``: a loop with no bound of its own that asks, leaves on a good answer
    and at its end either waits to ask again while a counter named for tries is under a bound or gives up:
    ``maxRetries`` tries (round 13, winget-cli-restsource RetryHelper / WinGetAppConfig). The inverse form
    ``if (++tries >= max) return r; await Task.Delay(..);`` is the same. A bound that is a parameter is
    valued from its default and named for the callers (``attempts_expression``)."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type not in ("while_statement", "for_statement"):
            continue
        condition = loop.child_by_field_name("condition")
        if condition is not None and text(condition) != "true":
            continue
        body = loop.child_by_field_name("body")
        if body is None or body.type != "block" or len(body.named_children) < 3 or _local_work(f, body):
            continue
        statements = body.named_children
        if _give_up_guard(statements) is not None:
            continue  # an opening guard: `_guarded_loops`
        last = statements[-1]
        guard = None
        if last.type == "if_statement" and last.child_by_field_name("alternative") is not None:
            consequence, alternative = last.child_by_field_name("consequence"), last.child_by_field_name("alternative")
            if _waits(consequence) and (_throws(alternative) or _gives_up(_else_body(alternative))):
                guard = (last, False)
        elif len(statements) >= 4 and _waits(last) and statements[-2].type == "if_statement" and \
                statements[-2].child_by_field_name("alternative") is None:
            consequence = statements[-2].child_by_field_name("consequence")
            if _throws(consequence) or _gives_up(consequence):
                guard = (statements[-2], True)
        if guard is None:
            continue
        statement, negate = guard
        cmp = _comparison(statement.child_by_field_name("condition"), None)
        if cmp is None or not COUNTER.search(cmp[0]):
            continue
        counter, op, limit_node, inline, before = cmp
        op = NEGATE[op] if negate else op
        earlier = [s for s in statements if s.end_byte <= statement.start_byte]
        if not any(n.type == "invocation_expression" and not _delays_call(n) for s in earlier for n in walk(s)) or \
                not any(s.type == "if_statement" and _leaves(s.child_by_field_name("consequence")) for s in earlier):
            continue
        start_node = syntax.local_value(counter, loop)
        start = syntax.settle(syntax.number(start_node)) if start_node is not None else None
        if start is None:
            continue
        step = _steps(counter, [s for s in statements if s != statement])
        if step == 0 and not inline:
            continue

        def tries(limit: float) -> float | None:
            turns = _count_turns(start, 0, limit, op, inline, before, step)
            return turns + 1 if turns is not None else None

        limit = syntax.settle(syntax.number(limit_node))
        pending: tuple[Pending, ...] = ()
        attrs = {"max_attempts": None, "backoff": _backoff(loop), "retry_on": ["result"], "mechanism": "loop",
                 "library": None}
        bare = syntax.unwrap(limit_node)
        if limit is None and bare is not None and bare.type == "identifier":
            # the bound as the limit plus what the counting adds (`++tries < max` from 0: max tries)
            low, high = tries(10.0), tries(11.0)
            if low is None or high is None or high - low != 1.0:
                continue
            offset = low - 10.0
            name = text(bare)
            default = syntax.parameter_default(name, loop)
            local = syntax.local_value(name, loop)
            value_node = default if default is not None else local
            if value_node is not None:
                limit = syntax.settle(syntax.number(value_node))
            if limit is None:
                value = syntax.number(value_node) if value_node is not None else Ref(name)
                if not isinstance(value, Ref):
                    continue
                pending = (Pending("max_attempts", BinOp("+", value, Num(offset)) if offset else value, 1.0),)
            if default is not None:
                attrs["attempts_expression"] = name if not offset else \
                    f"{name} {'+' if offset > 0 else '-'} {abs(int(offset))}"
        if limit is not None:
            attempts = tries(limit)
            if attempts is None:
                continue
            attrs["max_attempts"] = int(attempts)
        elif not pending:
            continue
        yield f.finding("retry", loop, ID, attrs, "high" if attrs["max_attempts"] is not None else "medium",
                        pending=pending)


NOT_YET = re.compile(r"^!|==\s*null$|^null\s*==|!=\s*(HttpStatusCode\.OK|true)\b|==\s*false$")


def _do_while_retries(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``do { response = await client.GetAsync(url); retries++; } while (!response.IsSuccessStatusCode &&
    retries < 3);``: a ``do`` loop that calls, counts its turns with a counter named for tries and goes round
    again while the outcome is not yet good and the counter is under a bound: a retry (3 tries), mechanism
    loop; ``payload.Retries >= retries`` bounds it by a setting (its value, else null). Round 13 (crank's Azure
    DevOps worker). A ``do`` loop without a test of the outcome (a paging loop) is none."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type != "do_statement":
            continue
        condition = syntax.unwrap(loop.child_by_field_name("condition"))
        body = loop.child_by_field_name("body")
        if condition is None or body is None or condition.type != "binary_expression" or \
                text(condition.child_by_field_name("operator")) != "&&" or _local_work(f, body):
            continue
        parts = [syntax.unwrap(condition.child_by_field_name(side)) for side in ("left", "right")]
        cmp = next((c for c in (_comparison(p, None) for p in parts) if c and COUNTER.search(c[0])), None)
        if cmp is None:
            continue
        counter, op, limit_node, inline, before = cmp
        outcome = next((p for p in parts if _comparison(p, counter) is None), None)
        if outcome is None or not NOT_YET.search(re.sub(r"\s+", " ", text(outcome)).strip()):
            continue
        if not any(n.type == "invocation_expression" and not _delays_call(n) and not
                   syntax.invocation(n).name.startswith(("Log", "Write")) for n in walk(body)):
            continue
        start_node = syntax.local_value(counter, loop)
        start = syntax.settle(syntax.number(start_node)) if start_node is not None else None
        step = _steps(counter, [body])
        if start is None or (step == 0 and not inline):
            continue

        def tries(limit: float) -> float | None:
            value, attempts = start, 0
            while attempts < 1000:
                attempts += 1
                value += step
                value += inline if before else 0.0
                holds = COMPARE[op](value, limit)
                value += inline if not before else 0.0
                if not holds:
                    return float(attempts)
            return None

        limit = syntax.settle(syntax.number(limit_node))
        attrs = {"max_attempts": None, "backoff": _backoff(loop), "retry_on": ["result"], "mechanism": "loop",
                 "library": None}
        pending: tuple[Pending, ...] = ()
        if limit is not None:
            attempts = tries(limit)
            if attempts is None:
                continue
            attrs["max_attempts"] = int(attempts)
        else:
            low, high = tries(10.0), tries(11.0)
            if low is not None and high is not None and high - low == 1.0:
                value = syntax.number(limit_node)
                if isinstance(value, Ref):
                    offset = low - 10.0
                    pending = (Pending("max_attempts", BinOp("+", value, Num(offset)) if offset else value, 1.0),)
        yield f.finding("retry", loop, ID, attrs, "high" if attrs["max_attempts"] is not None else "medium",
                        pending=pending)


def _waits(node: Node | None) -> bool:
    """The branch (or statement) pauses before the next turn: a ``Task.Delay`` / ``Thread.Sleep`` in it."""
    return node is not None and any(n.type == "invocation_expression" and _delays_call(n) for n in walk(node))


DONE_WORDS = re.compile(r"(?i)done|finish|complet|empty|more|end|last|exit|quit|stop|cancel")


def _until_answer_loops(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """Round 14: ``do { state = await GetStateAsync(..); ..; saved = await state.TrySaveAsync(options); } while
    (!saved);`` (an optimistic-concurrency write repeated until it lands), or ``do { .. products = await
    dapr.InvokeMethodAsync(..) .. } while (products == null)``: a ``do`` loop without a counter that goes
    round while the answer a call gave it is false or missing calls the callee until it answers as hoped: a
    retry of unknown bound (null), mechanism loop. Only a cancellation test may stand beside the answer's;
    a flag named for the end of work (``done``, ``hasMore``, ``completed``) is a work or paging loop."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type != "do_statement":
            continue
        body = loop.child_by_field_name("body")
        answers, other = set(), False
        for part in _conjuncts(loop.child_by_field_name("condition")):
            raw = re.sub(r"\s+", "", text(part))
            if "Cancellation" in raw:
                continue
            if part.type == "prefix_unary_expression" and raw.startswith("!") and \
                    syntax.unwrap(part.named_children[0]).type == "identifier":
                answers.add(raw[1:])
            elif raw.endswith("==false") and part.type == "binary_expression":
                answers.add(text(part.child_by_field_name("left")))
            elif _null_tested(part):
                answers |= _null_tested(part)
            else:
                other = True
        if other or not answers or body is None or any(DONE_WORDS.search(a) or COUNTER.search(a) or
                                                       LOCK_WAIT.search(a.lstrip("@")) for a in answers):
            continue  # (`do { @lock = await cache.TryAcquireLock(key); } while (@lock == null)`: waits for a lock)
        if not any(n.type == "assignment_expression" and _own(n, loop) and
                   text(n.child_by_field_name("left")) in answers and _answer_of_call(n.child_by_field_name("right"))
                   for n in walk(body)):
            continue
        if _local_work(f, body) or _asks_user(loop):
            continue
        if any(n.type == "assignment_expression" and _own(n, loop) and text(n.child_by_field_name("left")) in answers
               and text(n.child_by_field_name("right")) in ("null", "false", "default") for n in walk(body)):
            continue  # `itemAction = null;` at the end of a turn that discarded it: the loop takes the next item
        if any(n.type == "if_statement" and _own(n, loop) and _null_tested(n.child_by_field_name("condition")) & answers
               and _leaves(n.child_by_field_name("consequence")) for n in walk(body)):
            continue  # `if (itemAction == null) return null;`: a missing answer ends the loop, it is not asked again
        attrs = {"max_attempts": None, "backoff": _backoff(loop), "retry_on": ["result"], "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", loop, ID, attrs, "medium")


CONFLICT_R19 = re.compile(r"PreconditionFailed|\bConflict\b|\b412\b|\b409\b")


def _unbounded_answer_loops_r19(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """Round 19, two loops without a bound that call again until the answer is the hoped one (null, mechanism loop):

    - epr-packaging-frontend: ``while (!stoppingToken.IsCancellationRequested) { if (await TryLoadAsync()) return;
      ..; await Task.Delay(delay, stoppingToken); }``: a ``Try..`` call answering success ends the loop, a failure
      waits and goes round (not a lock: ``TryAcquireLockAsync``);
    - dnceng: ``while (true) { var e = await table.GetEntityAsync(..); update(e); var r = await table.UpdateEntityAsync(
      e, e.ETag); if (r.Status == (int)HttpStatusCode.PreconditionFailed) { log; continue; } return; }``: an
      optimistic-concurrency write that lost the race reads and writes again."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type != "while_statement":
            continue
        condition, body = loop.child_by_field_name("condition"), loop.child_by_field_name("body")
        if body is None or body.type != "block" or not all(
                text(part).strip() == "true" or "Cancellation" in text(part) for part in _conjuncts(condition)):
            continue
        statements = [c for c in body.named_children if c.type != "comment"]
        if not statements or _local_work(f, body) or _asks_user(loop):
            continue
        if any(n.type == "try_statement" and _own(n, loop) and any(
                m.type == "invocation_expression" and not _delays_call(m)
                for m in walk(n.child_by_field_name("body"))) for n in walk(body)):
            continue  # a try around the call: the try/catch loops' shape, read there
        if any(n.type == "binary_expression" and text(n.child_by_field_name("operator")) in COMPARE and
               _own(n, loop) and _comparison(n, None) and COUNTER.search(_comparison(n, None)[0])
               for n in walk(body)):
            continue  # a counter compared in the loop: a bounded shape, read elsewhere
        first = statements[0]
        if first.type == "if_statement" and _leaves(first.child_by_field_name("consequence")) and \
                any(_delays_call(n) for n in walk(body) if n.type == "invocation_expression"):
            test = syntax.unwrap(first.child_by_field_name("condition"))
            if test is not None and test.type == "await_expression" and test.named_children:
                test = syntax.unwrap(test.named_children[0])
            called = syntax.invocation(test).name if test is not None and test.type == "invocation_expression" else ""
            if re.match(r"Try[A-Z]", called or "") and not LOCK_WAIT.search(called):
                yield f.finding("retry", loop, ID, {"max_attempts": None, "backoff": _backoff(loop),
                                                    "retry_on": ["result"], "mechanism": "loop", "library": None},
                                "medium")
                continue
        if text(condition).strip() != "true" or statements[-1].type not in ("return_statement", "break_statement"):
            continue
        for branch in (n for n in walk(body) if n.type == "if_statement" and _own(n, loop)):
            consequence = branch.child_by_field_name("consequence")
            last = consequence.named_children[-1] if consequence is not None and consequence.type == "block" and \
                consequence.named_children else consequence
            if last is None or last.type != "continue_statement" or \
                    not CONFLICT_R19.search(text(branch.child_by_field_name("condition"))):
                continue
            yield f.finding("retry", loop, ID, {"max_attempts": None, "backoff": _backoff(loop),
                                                "retry_on": ["result"], "mechanism": "loop", "library": None}, "medium")
            break


def _delays_call(node: Node) -> bool:
    return syntax.invocation(node).callee in DELAYS


def _goto_run(start: float, limit: float, op: str, inline: float, before: bool, step: float) -> float | None:
    value, attempts = start, 1
    while attempts < 1000:
        value += inline if before else 0.0
        allowed = COMPARE[op](value, limit)
        value += inline if not before else 0.0
        if not allowed:
            return float(attempts)
        value += step
        attempts += 1
    return None


# --- bound analysis --------------------------------------------------------------------------

def _comparison(node: Node | None, counter: str | None):
    """(counter, op, limit node, inline step) for ``attempt < 3`` / ``++attempt >= Max`` / ``3 > attempt``."""
    node = syntax.unwrap(node)
    if node is None or node.type != "binary_expression":
        return None
    op = text(node.child_by_field_name("operator"))
    if op not in COMPARE:
        return None
    left, right = syntax.unwrap(node.child_by_field_name("left")), syntax.unwrap(node.child_by_field_name("right"))
    for side, other, oper in ((left, right, op), (right, left, FLIP[op])):
        name, step, before = _counter_of(side)
        if name is not None and (counter is None or name == counter):
            return name, oper, other, step, before
    return None


def _counter_of(node: Node | None):
    """identifier -> (name, 0, True); ++x -> (name, 1, True); x++ -> (name, 1, False)."""
    if node is None:
        return None, 0, True
    if node.type == "identifier":
        return text(node), 0.0, True
    if node.type in ("prefix_unary_expression", "postfix_unary_expression") and node.named_child_count == 1 \
            and node.named_children[0].type == "identifier":
        step = 1.0 if "++" in text(node) else -1.0
        return text(node.named_children[0]), step, node.type == "prefix_unary_expression"
    return None, 0, True


def _steps(name: str, nodes: Iterable[Node], skip: Node | None = None) -> float:
    total = 0.0
    for root in nodes:
        for node in walk(root):
            if skip is not None and syntax.is_inside(node, skip):
                continue
            if node.type in ("prefix_unary_expression", "postfix_unary_expression") and node.named_child_count == 1 \
                    and text(node.named_children[0]) == name:
                total += 1.0 if "++" in text(node) else -1.0
            elif node.type == "assignment_expression" and text(node.child_by_field_name("left")) == name:
                op = text(node.child_by_field_name("operator")) if node.child_by_field_name("operator") else ""
                value = syntax.settle(syntax.number(node.child_by_field_name("right")))
                if value is not None and op in ("+=", "-="):
                    total += value if op == "+=" else -value
    return total


NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _continues_then_throws(statement: Node) -> bool:
    """An ``if`` whose branch only goes round again (``continue``) and is followed by a ``throw``."""
    consequence = statement.child_by_field_name("consequence")
    if consequence is None or statement.child_by_field_name("alternative") is not None:
        return False
    inner = consequence.named_children if consequence.type == "block" else [consequence]
    if [n.type for n in inner] != ["continue_statement"]:
        return False
    following = statement.next_named_sibling
    return following is not None and following.type == "throw_statement"


def _limit(node: Node | None) -> Node | None:
    """The bound a comparison uses; of ``clientError ? 1 : MaxRetries`` the configured one (the branch
    that is a name, the other a literal special case), or the larger of two literals."""
    inner = syntax.unwrap(node)
    if inner is None or inner.type != "conditional_expression":
        return node
    yes, no = inner.child_by_field_name("consequence"), inner.child_by_field_name("alternative")
    values = [syntax.settle(syntax.number(b)) for b in (yes, no)]
    literal = [syntax.unwrap(b) is not None and syntax.unwrap(b).type in ("integer_literal", "real_literal")
               for b in (yes, no)]
    if all(v is not None for v in values) and all(literal):
        return yes if values[0] >= values[1] else no
    if literal[0] != literal[1]:
        return no if literal[0] else yes
    return node


def _throws(branch: Node | None) -> bool:
    """``throw;`` or a block / ``else`` holding one at its top level."""
    if branch is not None and branch.type == "else_clause":
        branch = branch.named_children[-1] if branch.named_children else None
    return branch is not None and (branch.type == "throw_statement" or any(
        n.type == "throw_statement" for n in branch.named_children))


def _guard_candidates(body: Node | None) -> list[Node]:
    """The catch's own statements, then the ``if`` statements nested in its branches and ``switch``
    sections (``catch (SqlException ex) { switch (ex.Number) { case ..: retryCount++; if (retryCount <
    MAX_RETRIES) { wait } else { return; } } }``), not those of a nested loop or function."""
    if body is None:
        return []
    direct = list(body.named_children)
    seen = {(n.start_byte, n.end_byte) for n in direct}
    nested = []
    for node in walk(body):
        if node.type != "if_statement" or (node.start_byte, node.end_byte) in seen:
            continue
        if any(a.type in NESTED or a.type in ("while_statement", "do_statement", "foreach_statement")
               for a in _between(node, body)):
            continue
        nested.append(node)
    return direct + nested


def _between(node: Node, top: Node) -> list[Node]:
    out = []
    parent = node.parent
    while parent is not None and (parent.start_byte, parent.end_byte, parent.type) != \
            (top.start_byte, top.end_byte, top.type):
        out.append(parent)
        parent = parent.parent
    return out


def _else_body(alternative: Node | None) -> Node | None:
    if alternative is not None and alternative.type == "else_clause":
        return alternative.named_children[-1] if alternative.named_children else None
    return alternative


def _gives_up(branch: Node | None) -> bool:
    """A catch's branch that ends the retry loop without throwing: its last top-level statement is a
    ``break`` (of that loop: the branch holds no loop or switch of its own) or a ``return``."""
    if branch is None:
        return False
    inner = branch.named_children if branch.type == "block" else [branch]
    if not inner or inner[-1].type not in ("break_statement", "return_statement"):
        return False
    return inner[-1].type == "return_statement" or not any(
        n.type in ("while_statement", "for_statement", "foreach_statement", "do_statement", "switch_statement")
        for n in walk(branch))


def _conjunct_comparison(node: Node | None, counter: str | None):
    """``_comparison`` of the node, or of the first of its ``&&`` parts that compares the counter
    (``when (!token.IsCancellationRequested && attempt < maxAttempts)``)."""
    direct = _comparison(node, counter)
    if direct or counter is not None:
        return direct or next((c for c in (_comparison(n, counter) for n in _conjuncts(node)) if c), None)
    return next((c for c in (_comparison(n, None) for n in _conjuncts(node)) if c and COUNTER.search(c[0])), None)


def _predicate_comparison_r17(node: Node | None, counter: str | None):
    """Round 17 (NuGet Insights): ``catch (Exception ex) when (ShouldRetry(attempt, fetchedHeaders, ex, token))``
    over ``static bool ShouldRetry(int attempt, ..) { return attempt < 3 && fetchedHeaders && ..; }`` in the same
    file: the predicate's comparison of the parameter the counter is handed to, as the counter's own."""
    node = syntax.unwrap(node)
    if node is None or node.type != "invocation_expression":
        return None
    inv = syntax.invocation(node)
    if inv.receiver_text not in ("", "this") or inv.named:
        return None
    root = node
    while root.parent is not None:
        root = root.parent
    for method in (n for n in walk(root) if n.type in ("method_declaration", "local_function_statement")
                   and text(n.child_by_field_name("name")) == inv.name):
        params = [c for c in (method.child_by_field_name("parameters") or method).named_children
                  if c.type == "parameter"]
        body = method.child_by_field_name("body")
        if body is None:
            body = next((c for c in method.named_children if c.type == "arrow_expression_clause"), None)
        if body is None or len(params) != len(inv.args):
            continue
        if body.type == "arrow_expression_clause":
            returned = body.named_children[0] if body.named_child_count else None
        else:
            statements = body.named_children
            returned = statements[0].named_children[0] if len(statements) == 1 and \
                statements[0].type == "return_statement" and statements[0].named_child_count else None
        if returned is None:
            continue
        for param, arg in zip(params, inv.args):
            arg_node = syntax.unwrap(arg)
            if arg_node is None or arg_node.type != "identifier":
                continue
            if (counter is not None and text(arg_node) != counter) or \
                    (counter is None and not COUNTER.search(text(arg_node))):
                continue
            cmp = _conjunct_comparison(returned, text(param.child_by_field_name("name")))
            if cmp:
                return (text(arg_node),) + tuple(cmp[1:])
    return None


def _disjunct_comparison(node: Node | None, counter: str | None):
    """``_comparison`` of the one ``||`` part of a throwing guard that compares the counter (the other
    parts give up early on errors not worth retrying)."""
    parts = _disjuncts(node)
    if len(parts) < 2:
        return None
    found = [c for c in (_comparison(n, counter) for n in parts) if c and (counter is not None or COUNTER.search(c[0]))]
    return found[0] if len(found) == 1 else None


def _disjuncts(node: Node | None) -> list[Node]:
    node = syntax.unwrap(node)
    if node is None:
        return []
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "||":
        return _disjuncts(node.child_by_field_name("left")) + _disjuncts(node.child_by_field_name("right"))
    return [node]


def _bound(loop: Node, catches: list[Node], params_symbolic: bool = False) -> tuple[float | None, tuple[Pending, ...]]:
    """(attempts, pending) of a retry loop. With ``params_symbolic`` a bound that is a parameter of the
    method stays that parameter (the default it may have is what a caller leaving it out gets)."""
    condition = loop.child_by_field_name("condition")
    loop_cmp = _comparison(condition, None) or _conjunct_comparison(condition, None)
    counter = loop_cmp[0] if loop_cmp else None
    guard = None  # comparison that throws when true
    guard_statement = None
    filt = None
    decisive = catches[0]  # the catch whose guard decides (only one catch runs per failed attempt)
    # round 19 (dnceng): `catch (OperationCanceledException e) when (e.CancellationToken == token) { throw; }`
    # before `catch (Exception) when (retry-- > 0)`: a catch that always leaves decides nothing, and its
    # filter compares no counter
    deciding = [c for c in catches if not _always_throws(c)]
    for catch in (deciding if deciding and len(deciding) < len(catches) else catches):
        if guard is not None or filt is not None:
            break
        decisive = catch
        filter_clause = next((c for c in catch.named_children if c.type == "catch_filter_clause"), None)
        if filter_clause is not None and filter_clause.named_child_count:
            cmp = _conjunct_comparison(filter_clause.named_children[0], counter) or \
                _predicate_comparison_r17(filter_clause.named_children[0], counter)
            if cmp:
                filt, counter = cmp, cmp[0]
        body = catch.child_by_field_name("body")
        for statement in _guard_candidates(body):
            if statement.type == "if_statement" and guard is None:
                consequence = statement.child_by_field_name("consequence")
                alternative = statement.child_by_field_name("alternative")
                # `if (++failures >= Max) { log; break; }`: giving up quietly ends the attempts like a throw
                throws = _throws(consequence) or _gives_up(consequence)
                cmp = _conjunct_comparison(statement.child_by_field_name("condition"), counter)
                if throws and not cmp:
                    # `if (!exceptionFilter(ex) || @try >= tryCount) throw;`: a throw on either part stops the
                    # attempts at the counter's part at the latest
                    cmp = _disjunct_comparison(statement.child_by_field_name("condition"), counter)
                if throws and cmp:
                    guard, counter, guard_statement = cmp, cmp[0], statement
                elif cmp and not throws and (_throws(alternative) or _gives_up(_else_body(alternative))) and \
                        _comparison(statement.child_by_field_name("condition"), counter):
                    # `if (attempt < Delays.Count) { wait; attempt++; } else throw;`
                    guard, counter, guard_statement = (cmp[0], NEGATE[cmp[1]]) + cmp[2:], cmp[0], statement
                elif cmp and _continues_then_throws(statement):
                    # `if (--retries > 0) continue; throw;`: the loop stops when the test fails
                    guard, counter, guard_statement = (cmp[0], NEGATE[cmp[1]]) + cmp[2:], cmp[0], statement
    if counter is None:
        return None, ()
    catch_total = _steps(counter, [decisive])
    other_catches = sum(_steps(counter, [c]) for c in catches if c != decisive)
    catch_before = 0.0
    if guard_statement is not None:
        # round 12: the steps that run before the guard, in its block and in each enclosing block up to the
        # catch (`attempt++; if (ct.IsCancellationRequested) return; else if (attempt >= max) return;`)
        catch_body = decisive.child_by_field_name("body")
        node = guard_statement
        while node is not None and node.parent is not None and node != catch_body:
            parent = node.parent
            if parent.type == "block" or parent == guard_statement.parent:
                for statement in parent.named_children:
                    if statement == node:
                        break
                    catch_before += _steps(counter, [statement])
            node = parent
    inline = sum(cmp[3] for cmp in (guard, filt) if cmp is not None)
    catch_after = catch_total - catch_before - inline
    update = loop.child_by_field_name("update")
    update_step = (_steps(counter, [update]) if update is not None else 0.0) + catch_after
    body = loop.child_by_field_name("body")
    body_step = (_steps(counter, [body]) if body is not None else 0.0) - catch_total - other_catches
    start_node = None
    initializer = loop.child_by_field_name("initializer")
    if initializer is not None:
        for declarator in (n for n in walk(initializer) if n.type == "variable_declarator"):
            if text(declarator.child_by_field_name("name")) == counter:
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                start_node = values[-1] if values else None
    if start_node is None:
        start_node = syntax.local_value(counter, loop)
    # `var retriesRemaining = retryCount + 1` counted down: with params_symbolic the start stays the parameter
    start_expr = _limit_expr(start_node, params_symbolic) if start_node is not None else Num(0.0)
    symbolic = []
    limits = {}
    for label, cmp in (("loop", loop_cmp), ("guard", guard), ("filter", filt)):
        if cmp is None:
            continue
        expr = _limit_expr(_limit(cmp[2]), params_symbolic)
        value = syntax.settle(expr)
        if value is None:
            if isinstance(expr, Unknown):
                return None, ()
            symbolic.append((label, expr))
        limits[label] = value
    start = syntax.settle(start_expr)
    if start is None:
        if isinstance(start_expr, Unknown):
            return None, ()
        symbolic.append(("start", start_expr))

    # Several symbolic sides over one name (``retry < Max`` and ``retry == Max - 1``): sample the
    # name itself and evaluate each side with it, so the bound stays one expression of that name.
    names = {tuple(ref_names(expr)) for _, expr in symbolic}
    shared = next(iter(names))[0] if len(names) == 1 and len(next(iter(names))) == 1 else None

    def run(sample: float | None) -> float | None:
        values = dict(limits)
        begin = start
        for label, expr in symbolic:
            value = sample
            if shared is not None and sample is not None:
                value = as_number(evaluate(expr, lambda n: (Num(sample), "literal") if n == shared else None).value)
            if label == "start":
                begin = value
            else:
                values[label] = value
        return _simulate(loop.type, begin or 0.0, body_step, update_step, catch_before,
                         loop_cmp, values.get("loop"), guard, values.get("guard"), filt, values.get("filter"))

    if not symbolic:
        result = run(None)
        return result, ()
    if shared is not None:
        symbolic_expr: Expr = Ref(shared)  # the samples stood for the name itself
    elif len({expr for _, expr in symbolic}) == 1:
        symbolic_expr = symbolic[0][1]  # the samples stood for the one symbolic side
    else:
        return None, ()
    samples = [run(v) for v in (10.0, 11.0, 12.0)]
    if any(s is None for s in samples):
        return None, ()
    slope = samples[1] - samples[0]
    if slope == 0 and samples[2] == samples[0]:
        return samples[0], ()  # another, literal bound decides (a catch filter tighter than the loop)
    if slope not in (1, -1) or samples[2] - samples[1] != slope:
        return None, ()
    offset = samples[0] - 10 * slope
    expr = symbolic_expr if slope == 1 else BinOp("*", symbolic_expr, Num(-1.0))
    if offset:
        expr = BinOp("+", expr, Num(offset))
    return None, (Pending("max_attempts", expr, 1.0),)


def _limit_expr(node: Node | None, params_symbolic: bool) -> Expr:
    bare = syntax.unwrap(node)
    if params_symbolic and bare is not None and bare.type == "identifier" and \
            syntax.parameter_node(text(bare), bare) is not None:
        return Ref(text(bare))
    if params_symbolic and bare is not None and bare.type == "binary_expression" and \
            text(bare.child_by_field_name("operator")) in ("+", "-"):
        # `attempt < maxRetries - 1` with `int maxRetries = 2`: the parameter itself, so its callers' counts
        # are read as this loop reads them (3 tries for `maxRetries: 3`)
        left, right = bare.child_by_field_name("left"), bare.child_by_field_name("right")
        if syntax.unwrap(left) is not None and syntax.unwrap(left).type == "identifier" and \
                syntax.parameter_node(text(syntax.unwrap(left)), left) is not None:
            other = syntax.number(right)
            if syntax.settle(other) is not None:
                return BinOp(text(bare.child_by_field_name("operator")), Ref(text(syntax.unwrap(left))), other)
    return syntax.number(node)


def _attempts_expression(pending: tuple[Pending, ...]) -> str | None:
    """``maxAttempts`` / ``maxRetries + 1``: the bound in terms of one parameter, as
    ``wrappers.publish`` reads the ``attempts_expression`` attribute."""
    expr = pending[0].expr if pending else None
    offset = 0.0
    if isinstance(expr, BinOp) and expr.op == "+" and isinstance(expr.right, Num):
        expr, offset = expr.left, float(expr.right.value)
    if not isinstance(expr, Ref) or not float(offset).is_integer():
        return None
    if not offset:
        return expr.name
    return f"{expr.name} {'+' if offset > 0 else '-'} {abs(int(offset))}"


def _holds(cmp, limit, counter) -> bool:
    return COMPARE[cmp[1]](counter, limit)


def _simulate(kind, start, body_step, update_step, catch_before, loop_cmp, loop_limit, guard, guard_limit,
              filt, filter_limit, cap=1000):
    counter = start

    def loop_holds() -> bool:
        # `while (retries-- > 0)`: the condition's own step, before or after the test
        nonlocal counter
        counter += loop_cmp[3] if loop_cmp[4] else 0.0
        holds = _holds(loop_cmp, loop_limit, counter)
        counter += loop_cmp[3] if not loop_cmp[4] else 0.0
        return holds

    for attempt in range(1, cap + 1):
        if kind != "do_statement" and loop_cmp is not None and not loop_holds():
            return attempt - 1
        counter += body_step
        if filt is not None:
            counter += filt[3] if filt[4] else 0
            allowed = _holds(filt, filter_limit, counter)
            counter += filt[3] if not filt[4] else 0
            if not allowed:
                return attempt
        counter += catch_before
        if guard is not None:
            counter += guard[3] if guard[4] else 0
            stop = _holds(guard, guard_limit, counter)
            counter += guard[3] if not guard[4] else 0
            if stop:
                return attempt
        counter += update_step
        if kind == "do_statement" and loop_cmp is not None and not loop_holds():
            return attempt
    return None


def _backoff(loop: Node) -> str:
    for node in walk(loop):
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        if inv.callee not in ("Task.Delay", "Thread.Sleep", "await Task.Delay") or not inv.args:
            continue
        raw = text(inv.args[0])
        if "Math.Pow" in raw or "<<" in raw:
            return "exponential"
        if "Random" in raw or "Next(" in raw or "Jitter" in raw:
            return "random"
        names = [text(n) for n in walk(inv.args[0]) if n.type == "identifier"]
        if "*" in raw and any(COUNTER.search(n) for n in names):
            return "linear"
        return "fixed"
    return "none"


def _awaited_calls(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [n for n in walk(node) if n.type == "invocation_expression" and n.parent is not None
            and n.parent.type == "await_expression"]


def _catch_retries(f: CsFile, in_loops: set[int]) -> Iterable[Finding]:
    """``try { await SendAsync(req, false); } catch { await SendAsync(req, true); throw; }``: one retry."""
    for attempt in (n for n in walk(f.root) if n.type == "try_statement"):
        if attempt.id in in_loops:
            continue  # the loop around it is the retry
        # the operation the try attempts: its first awaited call (not a later ack or cleanup); in
        # synchronous code the call its `return` hands back (`return login.Send();`)
        first = [n for n in _awaited_calls(attempt.child_by_field_name("body"))
                 if not _in_early_exit_r16(n, attempt.child_by_field_name("body"))][:1]
        synchronous = not first
        if synchronous:
            # round 22 (altinn-authentication, get-an-identity): a value returned from a guard that leaves
            # (`if (bad) { return Result.Invalid(); }` / `return this.PageWithErrors();`) is the error answer
            # on the way out, not the operation the try attempts; the catch returning the same answer again
            # is no second attempt
            first = [n for n in _returned_calls(attempt.child_by_field_name("body"))
                     if not _in_early_exit_r16(n, attempt.child_by_field_name("body"))][:1]
        if first and re.match(r"(Task\.Delay|Thread\.Sleep)\b", syntax.invocation(first[0]).callee):
            continue  # a pause tried again after its failure is a pause, not a call
        if first and PURE_FACTORY.match(syntax.invocation(first[0]).callee):
            continue  # `return Array.Empty<T>();` in an early return and again in the catch: a value, no call
        if first and _local_work(f, attempt.child_by_field_name("body")):
            continue  # reading a file's size again after clearing its read-only flag: no callee
        tried = {syntax.invocation(n).callee for n in first}
        found_in_catch = False
        for catch in (c for c in attempt.named_children if c.type == "catch_clause"):
            calls = _returned_calls(catch.child_by_field_name("body")) if synchronous else \
                _awaited_calls(catch.child_by_field_name("body"))
            again = [n for n in calls if syntax.invocation(n).callee in tried and _same_arguments(n, first[0])
                     and _same_built_receiver_r16(n, first[0])]
            if not again or _switches_to_insert(catch) or any(n.type == "goto_statement" for n in walk(catch)):
                continue  # a catch that goes back to a label: the goto loop is the retry
            if _switches_setting(catch, again[0]):
                continue  # falls back to another key or protocol, then asks once: another request
            if _fixes_files(catch):
                continue  # clears a file's read-only flag, then reads it again: no callee
            if _cleans_up_r20(again[0], catch):
                continue  # `catch { await CleanResourceAsync(CancellationToken.None); throw; }`: cleanup on the way out
            if _creates_missing_r20(again[0], catch):
                continue  # `catch (NotFound) { await AddEntityAsync(new ..); entity = await GetEntityAsync(..); }`
            again = _operation_again_r16(attempt, first[0], calls) or again
            found_in_catch = True
            declaration = next((c for c in catch.named_children if c.type == "catch_declaration"), None)
            retry_on = [text(declaration.child_by_field_name("type")) if declaration is not None else "Exception"]
            attrs = {"max_attempts": 2, "backoff": "none", "retry_on": retry_on, "mechanism": "call", "library": None}
            yield f.finding("retry", again[0], ID, attrs, "medium")
        if not found_in_catch and first and not synchronous:
            again_after = _again_after_failure(attempt, first[0])
            if again_after is not None:
                attrs = {"max_attempts": 2, "backoff": "none", "retry_on": _caught(attempt), "mechanism": "call",
                         "library": None}
                yield f.finding("retry", again_after, ID, attrs, "medium")
    yield from _requeues(f)
    yield from _dead_letter_guards(f)
    yield from _dequeue_give_ups(f)
    yield from _catch_requeues(f)
    yield from _persisted_tries(f)
    yield from _guarded_repeats(f)
    # var ok = await SendAsync(msg, false); if (!ok) { await SendAsync(msg, true); }
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition = syntax.unwrap(branch.child_by_field_name("condition"))
        if condition is None or condition.type != "prefix_unary_expression" or not text(condition).startswith("!"):
            continue
        tested = syntax.unwrap(condition.named_children[0]) if condition.named_child_count else None
        if tested is None or tested.type != "identifier":
            continue
        bound = syntax.unwrap(syntax.local_value(text(tested), branch))
        if bound is None or bound.type != "await_expression" or not bound.named_child_count:
            continue
        call = syntax.unwrap(bound.named_children[0])
        if call is None or call.type != "invocation_expression":
            continue
        callee = syntax.invocation(call).callee
        again = [n for n in _awaited_calls(branch.child_by_field_name("consequence"))
                 if syntax.invocation(n).callee == callee and _same_arguments(n, call)]
        if again and not _switches_setting(branch.child_by_field_name("consequence"), again[0]):
            attrs = {"max_attempts": 2, "backoff": "none", "retry_on": ["result"], "mechanism": "call", "library": None}
            yield f.finding("retry", again[0], ID, attrs, "medium")


CLEANUP_CALL_R20 = re.compile(r"^(Clean|Cleanup|Clear|Delete|Remove|Dispose|Close|Release|Rollback|RollBack|Abort|"
                             r"Purge|Reset|Teardown|TearDown|Unlock|Drop)")
CREATE_CALL_R20 = re.compile(r"^(Add|Create|Insert|Init|Initiali[sz]e|Ensure|Put|Upsert|Provision|Register)")


def _cleans_up_r20(again: Node, catch: Node) -> bool:
    """Round 20 (fhir-analytics-pipelines): ``try { await CleanResourceAsync(token); ..work.. } catch (X) { log;
    await CleanResourceAsync(CancellationToken.None); throw new RetriableJobException(..); }``: a cleanup the
    try makes before its work and the catch makes again before re-throwing is local cleanup on the way out, not
    a second attempt of an operation."""
    name = syntax.invocation(_without_configure_await(again)).name or ""
    if not CLEANUP_CALL_R20.match(name):
        return False
    body = catch.child_by_field_name("body")
    return body is not None and _always_throws(catch)


def _creates_missing_r20(again: Node, catch: Node) -> bool:
    """Round 20 (fhir-analytics-pipelines): ``try { entity = await table.GetEntityAsync(pk, rk); } catch (..) when
    (NotFound) { await table.AddEntityAsync(new ..); entity = await table.GetEntityAsync(pk, rk); }``: the thing
    was missing, so it is made and then read: create-if-missing, not a retry of a failed read."""
    body = catch.child_by_field_name("body")
    receiver = syntax.invocation(_without_configure_await(again)).receiver_text
    if body is None or not receiver:
        return False
    for node in walk(body):
        if node.type == "invocation_expression" and node.start_byte < again.start_byte and \
                not syntax.is_inside(node, again) and node.id != again.id:
            inv = syntax.invocation(node)
            # the same store (`_table.AddEntityAsync` then `_table.GetEntityAsync`), not a fresh request object
            # made by a factory (`login = _factory.Create(..); return login.Send();`)
            if CREATE_CALL_R20.match(inv.name or "") and inv.receiver_text == receiver:
                return True
    return False


CREDENTIAL_CALL_R16 = re.compile(r"(?i)token|cookie|auth|log_?[io]n|sign_?in|session|credential|crumb|csrf")


def _operation_again_r16(attempt: Node, first: Node, calls: list[Node]) -> list[Node]:
    """Round 16 (cleanuparr): ``try { token = await auth.GetValidTokenAsync(); return await http.Send(req); }
    catch (AuthException) { await auth.Invalidate(); token = await auth.GetValidTokenAsync(); return await
    http.Send(req); }``: the catch repeats the token fetch and then the request; the retry is the request's (the
    try's last awaited call), not the token fetch before it."""
    body = attempt.child_by_field_name("body")
    tried = [n for n in _awaited_calls(body) if not _in_early_exit_r16(n, body)]
    if len(tried) < 2 or tried[-1].id == first.id or not CREDENTIAL_CALL_R16.search(syntax.invocation(first).name or ""):
        return []  # only a credential fetched first is not the operation (NBXplorer: broadcast, then a save after it)
    last = tried[-1]
    callee = syntax.invocation(last).callee
    return [n for n in calls if syntax.invocation(n).callee == callee and _same_arguments(n, last)]


def _in_early_exit_r16(call: Node, body: Node | None) -> bool:
    """Round 16 (nadekobot): the call sits in a guard that leaves (``if (role is null) { await
    StopStreamRole(g); return; }`` / ``{ await Reply(err).SendAsync(); return; }``): a report on the way
    out, not the operation the try attempts."""
    node = call.parent
    while node is not None and body is not None and node.id != body.id:
        if node.type == "if_statement":
            consequence = node.child_by_field_name("consequence")
            if consequence is not None and syntax.is_inside(call, consequence) and any(
                    n.type in ("return_statement", "throw_statement") for n in walk(consequence)):
                return True
        node = node.parent
    return False


def _same_built_receiver_r16(again: Node, first: Node) -> bool:
    """Round 16 (nadekobot): ``Response().Embed(..).SendAsync()`` in the try and ``Response().Error(..)
    .SendAsync()`` in the catch send two messages built apart: when the receivers are built by calls, the
    same request needs the same receiver."""
    a = syntax.invocation(_without_configure_await(again)).receiver
    b = syntax.invocation(_without_configure_await(first)).receiver
    if a is None or b is None:
        return True
    ta, tb = re.sub(r"\s+", "", text(a)), re.sub(r"\s+", "", text(b))
    return ta == tb or "(" not in ta + tb


def _switches_setting(region: Node | None, again: Node) -> bool:
    """Before asking again the code changes what is asked or how: a local the call is handed is set
    anew (``newAccount = _accounts.NewAccount("RS256");``), or a setting is switched to a fixed value
    (``_proxy.SslProtocols = SslProtocols.Tls12;``, ``client.UseHttp2 = false;``): a fallback, not a
    retry of the same request. A fresh token or client (``Authorization = new ...(token)``,
    ``client = Connect()``) is not such a switch."""
    if region is None:
        return False
    handed = set()
    for arg in [*syntax.invocation(again).args, *syntax.invocation(again).named.values()]:
        handed.update(text(n) for n in walk(arg) if n.type == "identifier")
    for node in walk(region):
        if node.type != "assignment_expression" or node.start_byte >= again.start_byte:
            continue
        left, right = node.child_by_field_name("left"), syntax.unwrap(node.child_by_field_name("right"))
        if left is None or right is None or syntax.is_inside(again, node):
            continue
        lam = syntax.enclosing(node, ("lambda_expression", "anonymous_method_expression"))
        if lam is not None and syntax.is_inside(lam, region):
            continue  # `Create<RequestLogin>(r => { r.UseUnicode = true; })`: the request built anew
        if left.type == "identifier" and text(left) in handed and not COUNTER.search(text(left)):
            value = syntax.unwrap(right.named_children[0]) if right.type == "await_expression" and \
                right.named_child_count else right
            if value is not None and value.type in LITERALS + ("string_literal",):
                return True  # `protocol = "http/1.1"`
            if value is not None and value.type == "invocation_expression" and \
                    not _signs_in(syntax.invocation(value).name) and any(
                        syntax.unwrap(a) is not None and syntax.unwrap(a).type in LITERALS + ("string_literal",)
                        for a in syntax.invocation(value).args):
                return True  # `newAccount = _accounts.NewAccount("RS256")`: another variant asked for
        if left.type == "member_access_expression" and (
                right.type in ("boolean_literal", "integer_literal", "string_literal", "null_literal") or
                (right.type == "member_access_expression" and text(right)[:1].isupper() and
                 "Token" not in text(right))):
            return True
    return False


def _fixes_files(catch: Node) -> bool:
    """The catch works on the file system before it calls again (``new FileInfo(path).IsReadOnly = false``)."""
    for node in walk(catch):
        if node.type == "object_creation_expression" and \
                syntax.creation_type(node).rsplit(".", 1)[-1] in LOCAL_TYPES:
            return True
        if node.type == "invocation_expression" and _local_receiver(syntax.invocation(node).receiver_text, node):
            return True
    return False


def _returned_calls(node: Node | None) -> list[Node]:
    """The calls ``return`` statements hand back (``return login.Send();``), in order."""
    if node is None:
        return []
    out = []
    for statement in (n for n in walk(node) if n.type == "return_statement" and n.named_child_count):
        value = syntax.unwrap(statement.named_children[0])
        if value is not None and value.type == "invocation_expression":
            out.append(value)
    return out


def _caught(attempt: Node) -> list[str]:
    out = []
    for catch in (c for c in attempt.named_children if c.type == "catch_clause"):
        declaration = next((c for c in catch.named_children if c.type == "catch_declaration"), None)
        out.append(text(declaration.child_by_field_name("type")) if declaration is not None else "Exception")
    return out


def _again_after_failure(attempt: Node, first: Node) -> Node | None:
    """The same call made again after the ``try``, on the path only a failure takes:

    - the try returns the call's answer and a catch swallows the error, then the call comes again
      (``try { return await func(); } catch (IOException) { } return await func();``);
    - the try sets a flag after the call and ``if (!flag)`` after the try makes it again
      (``try { await Update(src); ok = true; } catch (GitException) { } if (!ok) { Reset(); await
      Update(src); }``)."""
    body = attempt.child_by_field_name("body")
    catches = [c for c in attempt.named_children if c.type == "catch_clause"]
    if body is None or not catches or all(_always_throws(c) for c in catches):
        return None
    block = attempt.parent
    if block is None or block.type != "block":
        return None
    after = [c for c in block.named_children if c.start_byte > attempt.end_byte]
    callee = syntax.invocation(first).callee
    returned = syntax.enclosing(first, ("return_statement",))
    if returned is not None and syntax.is_inside(returned, body):
        for statement in after:
            hits = [n for n in _awaited_calls(statement) if syntax.invocation(n).callee == callee
                    and _same_arguments(n, first)]
            if hits:
                return hits[0]
            if statement.type in ("return_statement", "throw_statement"):
                return None
        return None
    flags = {text(n.child_by_field_name("left")) for n in walk(body) if n.type == "assignment_expression"
             and text(n.child_by_field_name("right")) == "true" and n.start_byte > first.end_byte
             and n.child_by_field_name("left").type == "identifier"}
    for statement in after:
        if statement.type != "if_statement":
            continue
        condition = syntax.unwrap(statement.child_by_field_name("condition"))
        if condition is None or not re.fullmatch(r"!\s*(\w+)|(\w+)\s*==\s*false", text(condition).strip()) or \
                (re.sub(r"[!=\s]|false", "", text(condition))) not in flags:
            continue
        hits = [n for n in _awaited_calls(statement.child_by_field_name("consequence"))
                if syntax.invocation(n).callee == callee and _same_arguments(n, first)]
        if hits:
            return hits[0]
    return None


TRIVIAL_PREDICATE = re.compile(r"^(Try|Is|Has|Can|Contains|Exists|Equals|Any|Get)")
# Calls that make a value and reach no callee: the same one in a catch as in the try is no second attempt.
PURE_FACTORY = re.compile(
    r"^(Array\.Empty|Enumerable\.(Empty|Repeat|Range)|Task\.From(Result|Exception|Canceled)|ValueTask\.FromResult|"
    r"Immutable\w+\.(Create|Empty)|(string|String)\.\w+|Tuple\.Create|ValueTuple\.Create|Results\.\w+|"
    r"TypedResults\.\w+|Ok|BadRequest|NotFound|StatusCode|Problem|Json|View|Content|NoContent|Unauthorized)$")


def _guarded_repeats(f: CsFile) -> Iterable[Finding]:
    """``if (Login(user, password)) return true; ... ForceLogout(); return Login(user, password);``: the
    call whose success returned at once made again further down the method: 2 attempts."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition = syntax.unwrap(branch.child_by_field_name("condition"))
        if condition is not None and condition.type == "await_expression" and condition.named_child_count:
            condition = syntax.unwrap(condition.named_children[0])
        consequence = branch.child_by_field_name("consequence")
        if condition is None or condition.type != "invocation_expression" or consequence is None or \
                branch.child_by_field_name("alternative") is not None:
            continue
        inv = syntax.invocation(condition)
        if TRIVIAL_PREDICATE.match(inv.name) or not inv.args:
            continue
        leaves = consequence.type == "return_statement" or (
            consequence.type == "block" and consequence.named_child_count == 1 and
            consequence.named_children[0].type == "return_statement")
        method = syntax.enclosing(branch, METHODS)
        if not leaves or method is None:
            continue
        again = [n for n in walk(method) if n.type == "invocation_expression" and n.start_byte > branch.end_byte
                 and syntax.invocation(n).callee == inv.callee and _same_arguments(n, condition)
                 and syntax.enclosing(n, METHODS) == method and not _guard_again(n)
                 and _within(branch.parent, n)]
        if again:
            attrs = {"max_attempts": 2, "backoff": "none", "retry_on": ["result"], "mechanism": "call",
                     "library": None}
            yield f.finding("retry", again[0], ID, attrs, "medium")


def _within(scope: Node | None, node: Node) -> bool:
    """Round 20 (thrivedevcenter): the repeated call sits in the block that holds the first check (the flow
    goes on to it once that check fails), not in a sibling branch (``if (group is A) { if (IsAdmin(user))
    return true; .. } if (group is B) return IsAdmin(user);``: the same check for another case)."""
    return scope is None or scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte


def _guard_again(call: Node) -> bool:
    """``if (ShouldStopTest(key)) return;`` once more further down: the same check that leaves the method,
    made again at a later point (a stop or state check), not the call repeated after a failure."""
    node = call
    while node.parent is not None and node.parent.type in ("parenthesized_expression", "prefix_unary_expression",
                                                            "await_expression", "binary_expression"):
        node = node.parent
    branch = node.parent
    return branch is not None and branch.type == "if_statement" and branch.child_by_field_name("condition") == node \
        and _leaves_by_throw(branch.child_by_field_name("consequence"))


def _switches_to_insert(catch: Node) -> bool:
    """`catch (DbUpdateException) { ctx.Entry(x).State = EntityState.Added; await ctx.SaveChangesAsync(); }`:
    the update failed, so the same save now inserts: another operation (an upsert), not a retry."""
    body = catch.child_by_field_name("body")
    return body is not None and any(
        n.type == "assignment_expression" and text(n.child_by_field_name("left")).endswith(".State")
        for n in walk(body))


LITERALS = ("boolean_literal", "integer_literal", "real_literal", "null_literal")


def _type_arguments(call: Node) -> str:
    """``Api.Request<List<SonarrError>>(..)`` -> ``<List<SonarrError>>``."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "member_access_expression":
        function = function.child_by_field_name("name")
    if function is None or function.type != "generic_name":
        return ""
    return "".join(text(c) for c in function.named_children if c.type == "type_argument_list")


def _without_configure_await(call: Node) -> Node:
    """``x.SendAsync(req).ConfigureAwait(false)`` -> ``x.SendAsync(req)``: the call whose arguments say what
    is asked (round 12: two different calls both ending in ``.ConfigureAwait(false)`` are not the same)."""
    inv = syntax.invocation(call)
    receiver = syntax.unwrap(inv.receiver)
    if inv.name == "ConfigureAwait" and receiver is not None and receiver.type == "invocation_expression":
        return receiver
    return call


def _same_arguments(again: Node, first: Node) -> bool:
    """The same request again: the same arguments, but for literal flags (``SendAsync(msg, true)``), and
    the same answer asked for (``Request<NewSeries>(req)`` then ``Request<List<Error>>(req)`` reads the
    failure's body: another call)."""
    again, first = _without_configure_await(again), _without_configure_await(first)
    a, b = syntax.invocation(again), syntax.invocation(first)
    a_args, b_args = _without_token(a.args), _without_token(b.args)
    if len(a_args) != len(b_args) or _type_arguments(again) != _type_arguments(first) or a.named.keys() != b.named.keys():
        return False
    for x, y in zip(a_args, b_args):
        x, y = syntax.unwrap(x), syntax.unwrap(y)
        if x is None or y is None:
            return False
        if text(x) != text(y) and not (x.type in LITERALS and y.type in LITERALS) and not _fresh_copy(x, y):
            return False
    for key in a.named.keys() & b.named.keys():
        x, y = syntax.unwrap(a.named[key]), syntax.unwrap(b.named[key])
        if x is not None and y is not None and x.type == y.type == "string_literal" and text(x) != text(y):
            # round 14: `QueryFirst<bool>(sql, args, queryName: "find_system_from_commands")` then `queryName:
            # "find_system_from_messages"` after a negative answer: a follow-up query, not the same one again
            return False
        if x is not None and y is not None and {text(x), text(y)} == {"true", "false"} and \
                re.match(r"(?i)strict|relax|lenient|fallback|safe|validate", key):
            # round 19 (onefuzz): `Render(field, url, strictRendering: true)` then `strictRendering: false` in the
            # catch: a relaxed mode tried after the strict one failed, not the same call again
            return False
    return True


CANCEL_TOKEN = re.compile(r"(?i)^(cancellationToken|ct|cancel\w*|stoppingToken|token\.Token|cts\.Token|CancellationToken\.None)$")


def _without_token(args: list) -> list:
    """Round 14: the arguments but a trailing cancellation token (``DownloadBlobAsync(org, path, n,
    cancellationToken)`` repeated as ``DownloadBlobAsync(org, path, n)`` in the catch: the same request)."""
    return list(args[:-1]) if args and CANCEL_TOKEN.match(text(args[-1]).strip()) else list(args)


def _fresh_copy(again: Node, first: Node) -> bool:
    """Round 13 (Fluffle's FTP storage): ``useAsync(newFtpClient)`` in the catch after ``useAsync(ftpClient)``
    failed: the same operation on a fresh client made to replace the broken one is the same request again.
    Round 21 (beatleader-server, teams-shifts-wfm-connectors): ``var retryRequest = new HttpRequestMessage(HttpMethod.Get,
    endpoint)`` built like the first ``request`` (the same creation, word for word) is the same request too."""
    if again.type != "identifier" or first.type != "identifier":
        return False
    if re.fullmatch(r"(?i)(new|fresh|renewed|replacement|next|retry)_?" + re.escape(text(first)), text(again)):
        return True
    return _same_creation_r21(again, first)


def _creation_of_r21(name: Node) -> Node | None:
    """The ``new T(..)`` the local ``name`` was declared with in its method (``var x = new T(..)`` or
    ``using (var x = new T(..))``), the last declaration before the use."""
    method = syntax.enclosing(name, METHODS)
    if method is None:
        return None
    found = None
    for node in walk(method):
        if node.start_byte >= name.start_byte:
            break
        if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == text(name):
            values = [syntax.unwrap(c) for c in node.named_children if c != node.child_by_field_name("name")]
            found = values[-1] if values and values[-1] is not None and \
                values[-1].type == "object_creation_expression" else None
    return found


def _same_creation_r21(again: Node, first: Node) -> bool:
    a, b = _creation_of_r21(again), _creation_of_r21(first)
    return a is not None and b is not None and a != b and "".join(text(a).split()) == "".join(text(b).split())


COUNTER_WORDS = ("retrycount", "retries", "attempt", "deliverycount", "redelivery", "trycount", "tries")
REQUEUE_WORDS = ("Retry", "Requeue", "Republish")


def _counter_like(node: Node | None) -> bool:
    node = syntax.unwrap(node)
    if node is None or node.type not in ("identifier", "member_access_expression"):
        return False
    last = text(node).rsplit(".", 1)[-1].lower()
    return any(word in last for word in COUNTER_WORDS)


def _requeues(f: CsFile) -> Iterable[Finding]:
    """``if (message.RetryCount < _maxRetries) { await PublishToRetryAsync(message); }``."""
    rising = list(_rising_calls(f))
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition = branch.child_by_field_name("condition")
        consequence = branch.child_by_field_name("consequence")
        if condition is None or consequence is None:
            continue
        bounded = any(
            n.type == "binary_expression" and text(n.child_by_field_name("operator")) in ("<", "<=")
            and _counter_like(n.child_by_field_name("left"))
            for n in walk(condition))
        if not bounded:
            continue
        calls = [n for n in walk(consequence) if n.type == "invocation_expression"
                 and any(word in syntax.invocation(n).name for word in REQUEUE_WORDS)]
        method = syntax.enclosing(branch, ("method_declaration", "local_function_statement"))
        own_name = text(method.child_by_field_name("name")) if method is not None else None
        again = [n for n in walk(consequence) if n.type == "invocation_expression" and own_name
                 and syntax.invocation(n).name == own_name]
        if again and any(syntax.is_inside(call, consequence) for _, call, _, _ in rising):
            continue  # `if (attempt < 3) return await Retry(call, attempt + 1);`: the recursion is the retry
        if calls:
            attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
            yield f.finding("retry", branch, ID, attrs, "low")
        elif _enqueued_again(condition, consequence) is not None:
            # `if (failed && workItem.Attempts < 3) workQueue.Enqueue(workItem);`: tried again from the queue
            attempts, pending = _enqueued_again(condition, consequence)
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call",
                     "library": None}
            yield f.finding("retry", branch, ID, attrs, "medium" if attempts is not None or pending else "low",
                            pending=pending)
        elif again and not _local_only(method, own_name):
            # `job.TryCount++; if (job.TryCount < MaxTry && failed) Schedule(c => NotifyHttp(job, c), ...)`:
            # the method schedules itself again for the same job while its count is under the bound
            attrs = {"max_attempts": _self_bound(f, branch, condition, method), "backoff": None, "retry_on": None,
                     "mechanism": "call", "library": None}
            yield f.finding("retry", branch, ID, attrs, "medium" if attrs["max_attempts"] is not None else "low")
        else:
            bound = _rescheduled(branch, condition, consequence)
            if bound is not None:
                attrs = {"max_attempts": bound[0], "backoff": None, "retry_on": None, "mechanism": "call",
                         "library": None}
                yield f.finding("retry", branch, ID, attrs, "medium" if bound[0] is not None else "low")


DEAD_FLAG = re.compile(r"(?i)dead|poison|exhaust|giveup|gaveup")
COMPARE_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def _configured_side(node: Node | None) -> Node | None:
    """``_options.Max <= 0 ? 5 : _options.Max``: the configured bound (the fallback only guards a bad value)."""
    node = syntax.unwrap(node)
    if node is not None and node.type == "identifier":
        bound = syntax.unwrap(syntax.local_value(text(node), node))
        if bound is not None and bound.type == "conditional_expression":
            node = bound
    if node is None or node.type != "conditional_expression":
        return node
    condition = syntax.unwrap(node.child_by_field_name("condition"))
    tested = text(condition.child_by_field_name("left")) if condition is not None and \
        condition.type == "binary_expression" else None
    for side in ("consequence", "alternative"):
        branch = syntax.unwrap(node.child_by_field_name(side))
        if branch is not None and tested is not None and text(branch) == tested:
            return branch
    return node


def _dead_letter_guards(f: CsFile) -> Iterable[Finding]:
    """Round 12 (fullstackhero's outbox): ``catch (Exception ex) { var isDead = message.RetryCount + 1 >=
    maxRetries; await _outbox.MarkAsFailedAsync(message, ex.Message, isDead); }``: a stored item that failed
    stays pending for the next run until its count of failures reaches the bound, then is dead-lettered: a
    retry across runs at the comparison (``RetryCount + 1 >= N``: N tries; ``RetryCount >= N``: N + 1, the
    count being of the failures before this one)."""
    for catch in (n for n in walk(f.root) if n.type == "catch_clause"):
        body = catch.child_by_field_name("body")
        for declarator in (n for n in walk(body) if n.type == "variable_declarator") if body is not None else []:
            name = text(declarator.child_by_field_name("name"))
            values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
            cmp = syntax.unwrap(values[-1]) if values else None
            if not DEAD_FLAG.search(name) or cmp is None or cmp.type != "binary_expression" or \
                    text(cmp.child_by_field_name("operator")) not in (">=", ">"):
                continue
            left = syntax.unwrap(cmp.child_by_field_name("left"))
            plus_one = False
            if left is not None and left.type == "binary_expression" and \
                    text(left.child_by_field_name("operator")) == "+" and text(left.child_by_field_name("right")) == "1":
                left, plus_one = syntax.unwrap(left.child_by_field_name("left")), True
            if left is None or left.type != "member_access_expression" or not _counter_like(left):
                continue
            limit = syntax.number(_configured_side(cmp.child_by_field_name("right")))
            add = (0.0 if plus_one else 1.0) + (1.0 if text(cmp.child_by_field_name("operator")) == ">" else 0.0)
            value = syntax.settle(limit)
            attrs = {"max_attempts": normalise(value + add) if value is not None else None, "backoff": None,
                     "retry_on": None, "mechanism": "call", "library": None}
            pending = () if value is not None or isinstance(limit, Unknown) else (
                Pending("max_attempts", BinOp("+", limit, Num(add)) if add else limit, 1.0),)
            yield f.finding("retry", cmp, ID, attrs, "medium", pending=pending)


GIVE_UP_CALL = re.compile(r"^(Delete|DeadLetter|MoveToDeadLetter|MoveToPoison|MarkAsFailed|MarkFailed|Abandon|"
                          r"Discard)\w*$")


def _dequeue_give_ups(f: CsFile) -> Iterable[Finding]:
    """Round 13 (Fluffle's MongoDB queues): an item taken from a queue whose count of attempts reaches a bound is
    given up (``if (evt.AttemptCount >= 10) { await repo.DeleteAsync(evt.Id); continue; }``, or ``if
    (item.AttemptCount < 10) break;`` followed by moving it to the failures and deleting it): the queue tries
    each item that many times, each try redelivered after its visibility time: 10 tries (``> N``: N + 1),
    mechanism call, at the comparison."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        cmp = syntax.unwrap(branch.child_by_field_name("condition"))
        if cmp is None or cmp.type != "binary_expression":
            continue
        op = text(cmp.child_by_field_name("operator"))
        left, right = syntax.unwrap(cmp.child_by_field_name("left")), cmp.child_by_field_name("right")
        if left is not None and left.type == "member_access_expression" and text(left).endswith(".DequeueCount") \
                and syntax.settle(syntax.number(right)) is None:
            yield from _dequeue_guard_setting_r18(f, branch, cmp, op, left, right,
                                                  branch.child_by_field_name("consequence"))
            continue
        if op not in ("<", "<=", ">", ">=") or left is None or not _counter_like(left) or \
                not re.search(r"(?i)attempt|deliver|dequeue", text(left)):
            continue
        if left.type == "identifier" and (syntax.enclosing(branch, ("catch_clause",)) is None or op not in (">=", ">")):
            # round 21 (docspace-server): `catch (Exception ex) { if (deliveryCount >= MaxRetryAttempts) { ..
            # MoveToDeadLetterQueueAsync(..) } }`, the delivery count handed in: only a give-up after a failure
            continue
        limit = syntax.settle(syntax.number(right))
        if limit is None and right is not None and syntax.unwrap(right) is not None and \
                syntax.unwrap(right).type == "identifier":
            limit = syntax.settle(f.constants.get(text(syntax.unwrap(right)))) \
                if f.constants.get(text(syntax.unwrap(right))) is not None else None
        consequence = branch.child_by_field_name("consequence")
        if limit is None:
            continue
        if op in (">=", ">"):
            gives_up = consequence is not None and any(
                n.type == "invocation_expression" and GIVE_UP_CALL.match(syntax.invocation(n).name)
                for n in walk(consequence))
            attempts = limit if op == ">=" else limit + 1
        else:
            inner = consequence.named_children if consequence is not None and consequence.type == "block" else \
                [consequence] if consequence is not None else []
            parent = branch.parent
            after = [c for c in parent.named_children if c.start_byte > branch.end_byte] if parent is not None else []
            gives_up = len(inner) == 1 and inner[0] is not None and \
                inner[0].type in ("break_statement", "continue_statement", "return_statement") and any(
                    n.type == "invocation_expression" and GIVE_UP_CALL.match(syntax.invocation(n).name)
                    for st in after for n in walk(st))
            attempts = limit if op == "<" else limit + 1
        if not gives_up or attempts <= 0:
            continue
        attrs = {"max_attempts": int(attempts), "backoff": None, "retry_on": None, "mechanism": "call",
                 "library": None}
        yield f.finding("retry", cmp, ID, attrs, "medium")


def _dequeue_guard_setting_r18(f: CsFile, branch: Node, cmp: Node, op: str, left: Node, right: Node | None,
                               consequence: Node | None) -> Iterable[Finding]:
    """Round 18 (sui-matcher): an Azure Storage queue message received and, before it is handled, moved to the
    poison queue once its 1-based ``DequeueCount`` passes a setting (``if (message.DequeueCount >
    options.Value.MaxDequeueCount) { .. poisonQueueClient.SendMessageAsync(..); .. }``): that many deliveries
    (``>= N``: N - 1), valued where the pipeline knows the setting, at the comparison. A check in a catch (after
    a failed try) is another shape (csharp.job_retry)."""
    if op not in (">", ">=") or not text(left).endswith(".DequeueCount") or consequence is None or right is None:
        return
    if syntax.enclosing(branch, ("catch_clause",)) is not None:
        return
    method = syntax.enclosing(branch, ("method_declaration", "local_function_statement"))
    if method is None or not any(n.type == "invocation_expression" and n.end_byte < branch.start_byte and
                                 re.match(r"Receive\w*$", syntax.invocation(n).name or "") for n in walk(method)):
        return  # the check where the message is received, before it is handled (not a requeue helper's, altinn-events)
    node = syntax.unwrap(right)
    if node is None or node.type not in ("member_access_expression", "identifier") or \
            not re.search(r"(?i)max\w*(dequeue|deliver|retr|attempt)", text(node)):
        return
    if not any(n.type == "invocation_expression" and (GIVE_UP_CALL.match(syntax.invocation(n).name) or
                                                      re.search(r"(?i)poison|deadletter", text(n)))
               for n in walk(consequence)):
        return
    attempts, pending = count(right, add=0.0 if op == ">" else -1.0)
    attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
    yield f.finding("retry", cmp, ID, attrs, "medium", pending=pending)


CATCH_REQUEUE = re.compile(r"(?i)^(?:queue|enqueue|requeue|schedule|publish|send|push)\w*retry|^requeue|retrylater$")


def _catch_requeues(f: CsFile) -> Iterable[Finding]:
    """``catch (Exception e) { logger.LogError(..); queueForRetry(item); }``: the failed item goes back to the
    queue (``ScheduleRetry``, ``RequeueAsync``) to be tried again; bounded elsewhere if at all (null)."""
    for catch in (n for n in walk(f.root) if n.type == "catch_clause"):
        body = catch.child_by_field_name("body")
        for statement in body.named_children if body is not None else []:
            call = statement.named_children[0] if statement.type == "expression_statement" and \
                statement.named_children else None
            if call is not None and call.type == "await_expression" and call.named_children:
                call = call.named_children[0]
            if call is None or call.type != "invocation_expression":
                continue
            if CATCH_REQUEUE.search(syntax.invocation(call).name):
                if _counted_down_by_callers_r20(call):
                    break
                attrs = {"max_attempts": None, "backoff": None, "retry_on": _caught_types(catch), "mechanism": "call",
                         "library": None}
                yield f.finding("retry", call, ID, attrs, "low")
                break


def _counted_down_by_callers_r20(call: Node) -> bool:
    """Round 20 (thrivedevcenter): ``catch (SocketException) { await Requeue(job, retries - 1, server); }`` in
    ``Execute(.., int retries, ..)``: the job scheduled again with the count its caller handed in lowered by one;
    the count has no default here, so the bound is the callers' (a forwarder: the contract is at each call that
    starts the count)."""
    for arg in syntax.invocation(call).args:
        node = syntax.unwrap(arg)
        if node is None or node.type != "binary_expression" or text(node.child_by_field_name("operator")) != "-" or \
                text(node.child_by_field_name("right")).strip() != "1":
            continue
        left = syntax.unwrap(node.child_by_field_name("left"))
        if left is None or left.type != "identifier" or not COUNTER.search(text(left)):
            continue
        param = syntax.parameter_node(text(left), left)
        if param is not None and syntax.parameter_default(text(left), param) is None:
            return True
    return False


def _caught_types(catch: Node) -> list[str]:
    declaration = next((c for c in catch.named_children if c.type == "catch_declaration"), None)
    kind = declaration.child_by_field_name("type") if declaration is not None else None
    return [text(kind) if kind is not None else "Exception"]


MAX_TRIES = re.compile(r"(?i)^max_?(tries|attempts|retries|retrycount|sendtries|sendattempts)$")
TRIES_FIELD = re.compile(r"(?i)(tries|attempts|retrycount|retries)$")


def _persisted_tries(f: CsFile) -> Iterable[Finding]:
    """``const int maxTries = 3; var emails = await _queue.SearchEmails(.., maxTries, ..); foreach (var e in
    emails) { try { await _sender.SendEmail(..); } finally { e.SentTries = e.SentTries + 1; await
    _queue.Update(e); } }``: a stored item is fetched again on the next run while its count of tries is
    under the bound, and each run counts one more try: a retry across runs, at the call that applies
    the bound (``maxRetries``: one more attempt than the retries)."""
    for method in (n for n in walk(f.root) if n.type in ("method_declaration", "local_function_statement")):
        body = method.child_by_field_name("body")
        if body is None:
            continue
        bumps = [n for n in walk(body)
                 if (n.type == "assignment_expression" and TRIES_FIELD.search(text(n.child_by_field_name("left")))
                     and "." in text(n.child_by_field_name("left")) and
                     (text(n.child_by_field_name("operator")) == "+=" or
                      re.search(r"\+\s*1\b", text(n.child_by_field_name("right")))))
                 or (n.type in ("postfix_unary_expression", "prefix_unary_expression") and "++" in text(n)
                     and n.named_child_count == 1 and n.named_children[0].type == "member_access_expression"
                     and TRIES_FIELD.search(text(n.named_children[0])))]
        if not bumps:
            continue
        for declarator in (n for n in walk(body) if n.type == "variable_declarator"):
            name = text(declarator.child_by_field_name("name"))
            values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
            if not MAX_TRIES.match(name) or not values:
                continue
            bound = syntax.settle(syntax.number(values[-1]))
            if bound is None or bound <= 0:
                continue
            uses = [n for n in walk(body) if n.type == "identifier" and text(n) == name and n.parent is not None
                    and n.parent.type == "argument"]
            if not uses:
                continue
            call = syntax.enclosing(uses[0], ("invocation_expression",))
            if call is None or not any(b.start_byte > call.end_byte for b in bumps):
                continue
            attempts = bound + 1 if "retr" in name.lower() else bound
            attrs = {"max_attempts": normalise(attempts), "backoff": None, "retry_on": None, "mechanism": "call",
                     "library": None}
            yield f.finding("retry", call, ID, attrs, "medium")


# round 19 (onefuzz): `QueueWebhook(newMessage)`, a project helper putting the item back on its queue
QUEUED_AGAIN_R19 = re.compile(r"Enqueue|^Queue[A-Z]\w*|^Requeue")


def _enqueued_again(condition: Node, consequence: Node) -> tuple[float | None, tuple] | None:
    """``if (workItem.Attempts < 3) { queue.Enqueue(workItem); }``: the item whose count of tries is under
    the bound put back on a queue. A count of attempts made (``Attempts``, ``Tries``) bounds the tries
    themselves (``< 3`` -> 3); a count of retries leaves the bound to the reader (None)."""
    for node in walk(condition):
        if node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in ("<", "<="):
            continue
        counter = syntax.unwrap(node.child_by_field_name("left"))
        if not _counter_like(counter) or counter.type != "member_access_expression":
            continue
        owner = text(counter.child_by_field_name("expression"))
        if not any(n.type == "invocation_expression" and QUEUED_AGAIN_R19.search(syntax.invocation(n).name)
                   and any(text(a) == owner for a in syntax.invocation(n).args) for n in walk(consequence)):
            continue
        name = text(counter.child_by_field_name("name")).lower()
        if not ("attempt" in name or "tries" in name or name.startswith("try")):
            return (None, ())
        # round 19: a constant of the class (`const int MAX_TRIES = 5`) is valued by the pipeline
        return count(node.child_by_field_name("right"), add=0.0 if text(node.child_by_field_name("operator")) == "<"
                     else 1.0)
    return None


def _rescheduled(branch: Node, condition: Node, consequence: Node) -> tuple[float | None] | None:
    """``if (timer.RetryCount < 10) { timer.RetryCount++; _timers.AddOrUpdate(timer); }``: the item handed
    back to its scheduler with its retry count raised -> 11 tries (the count is of retries made)."""
    for node in walk(condition):
        if node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in ("<", "<="):
            continue
        counter = syntax.unwrap(node.child_by_field_name("left"))
        if not _counter_like(counter) or counter.type != "member_access_expression":
            continue
        owner = text(counter.child_by_field_name("expression"))
        raised = any(n.type in ("postfix_unary_expression", "prefix_unary_expression") and "++" in text(n)
                     and text(n.named_children[0]) == text(counter) for n in walk(consequence) if n.named_child_count)
        handed = any(n.type == "invocation_expression" and any(text(a) == owner for a in syntax.invocation(n).args)
                     for n in walk(consequence))
        if not (raised and handed):
            continue
        limit = syntax.settle(syntax.number(node.child_by_field_name("right")))
        if limit is None:
            return (None,)
        return (limit + (1 if text(node.child_by_field_name("operator")) == "<" else 2),)
    return None


LOCAL_RECEIVERS = ("File", "Directory", "FileSystem", "Path", "_fileSystem", "fileSystem", "Clipboard",
                   # round 19 (lancommander): archives unpacked on the local disk (System.IO.Compression, SharpCompress)
                   "ZipFile", "ReaderFactory", "ArchiveFactory", "WriterFactory", "TarFile")
NEUTRAL_CALLS = ("ConfigureAwait", "Delay", "Sleep", "ToString", "Format", "nameof")
# types whose calls compute or print in the process (no callee): they keep a try that reads files local work
LOCAL_COMPUTE = ("Console", "TimeSpan", "SHA1", "SHA256", "SHA384", "SHA512", "MD5", "Encoding", "Convert", "Math", "Guid",
                 "Interlocked")  # round 18 (sui-matcher): `Interlocked.Increment(ref _processedCount)`, in-process


def _local_only(method: Node | None, own_name: str | None) -> bool:
    """Every call of the method is file-system work, logging or a pause (``DeleteTempFiles``)."""
    if method is None:
        return False
    local = False
    for node in walk(method):
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        receiver = inv.receiver_text
        if inv.name == own_name or inv.name in NEUTRAL_CALLS or "log" in receiver.lower() or _conditional_log_r19(inv.name):
            continue
        if _local_receiver(receiver, node):
            local = True
            continue
        return False
    return local


LOCAL_TYPES = ("DirectoryInfo", "FileInfo", "FileStream", "StreamReader", "StreamWriter")


def _local_receiver(receiver: str, call: Node) -> bool:
    """``File.Delete``, ``_fileSystem.Move``, or a local made as ``new DirectoryInfo(path)``."""
    if receiver.rsplit(".", 1)[-1] in LOCAL_RECEIVERS or receiver.split(".", 1)[0] in LOCAL_RECEIVERS:
        return True
    if not receiver.isidentifier():
        return False
    bound = syntax.unwrap(syntax.local_value(receiver, call))
    if bound is not None and bound.type == "invocation_expression":
        # round 19 (lancommander): `using (var reader = ReaderFactory.OpenReader(ts, ..)) reader.WriteAllToDirectory(..)`
        made = syntax.invocation(bound).receiver_text
        return made in LOCAL_RECEIVERS and made not in ("Path",)
    return bound is not None and bound.type == "object_creation_expression" and \
        syntax.creation_type(bound).rsplit(".", 1)[-1] in LOCAL_TYPES


RETRY_FLAG = re.compile(r"(?i)retry|retries")


ALREADY_RETRIED_FLAG = re.compile(r"(?i)^(has|already|is|did|was)_?(been_?)?retr(ied|ying|y)$|^retried$")


RESEND = re.compile(r"^(Schedule|Publish|Send|Enqueue|Requeue|Republish|Redeliver|Defer)\w*$")
RETRY_MARK = re.compile(r"(?i)retr(y|ied)")


def _flagged_resends(f: CsFile) -> Iterable[Finding]:
    """Round 14: ``await messageContext.ScheduleAsync(command with { IsProcessOrderRetry = true }, delay)`` in the
    handler of ``command``: the message handed back once more marked as the retry (its handler does not
    hand a retry back again): 2 attempts, mechanism call, at the resend (altinn-notifications)."""
    for node in walk(f.root):
        if node.type != "invocation_expression":
            continue
        inv = syntax.invocation(node)
        if not RESEND.match(inv.name or "") or not inv.args:
            continue
        message = syntax.unwrap(inv.args[0])
        if message is None or message.type != "with_expression":
            continue
        source = syntax.unwrap(message.named_children[0]) if message.named_child_count else None
        if source is None or source.type != "identifier" or syntax.parameter_node(text(source), node) is None:
            continue
        marks = [n for n in walk(message) if n.type in ("with_initializer", "assignment_expression")
                 and RETRY_MARK.search(text(n).split("=", 1)[0]) and text(n).split("=", 1)[-1].strip() == "true"]
        if not marks:
            continue
        attrs = {"max_attempts": 2, "backoff": "fixed", "retry_on": ["result"], "mechanism": "call", "library": None}
        yield f.finding("retry", node, ID, attrs, "medium")


def _flag_retries(f: CsFile) -> Iterable[Finding]:
    """``Request(msg, bool enableRetry)`` calling ``Request(fresh, false)`` once more: 2 sends."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        own_name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        if params is None:
            continue
        plist = [p for p in params.named_children if p.type == "parameter"]
        flags = [(i, text(p.child_by_field_name("name"))) for i, p in enumerate(plist)
                 if text(p.child_by_field_name("type")) == "bool"]
        if not flags:
            continue
        body = method.child_by_field_name("body")
        for node in walk(body) if body is not None else ():
            if node.type != "invocation_expression":
                continue
            inv = syntax.invocation(node)
            if inv.name != own_name or inv.receiver_text not in ("", "this"):
                continue
            for index, name in flags:
                passed = inv.named.get(name) if name in inv.named else (inv.args[index] if index < len(inv.args) else None)
                # round 14: a flag saying the call is already the retry (`bool hasRetried = false` ... `catch (..)
                # when (!hasRetried) { await Refresh(); await Execute(msg, true); }`) is passed true
                stop = "true" if ALREADY_RETRIED_FLAG.search(name) else "false"
                if passed is None or text(passed) != stop:
                    continue
                tested = any(n.type == "identifier" and text(n) == name and syntax.enclosing(
                    n, ("if_statement", "catch_filter_clause", "conditional_expression")) is not None for n in walk(body))
                if not tested:
                    continue
                if not RETRY_FLAG.search(name) and stop == "false" and not _refreshed_repeat(node, inv, name, method):
                    continue
                attrs = {"max_attempts": 2.0, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
                yield f.finding("retry", node, ID, attrs, "medium")
                break


def _refreshed_repeat(call: Node, inv, flag: str, method: Node) -> bool:
    """``if (IsSessionExpiredUri(response.FinalUri)) { if (allowSessionRefresh && await RefreshSession())
    return await Get(request, ..., false); }``: a flag of any name, when the branches around the call test
    the flag, sign in again, and test the answer of a call that sent the same request (its first argument)."""
    conditions = [a.child_by_field_name("condition") for a in syntax.ancestors_of(call)
                  if a.type == "if_statement" and syntax.is_inside(a, method)
                  and syntax.is_inside(call, a.child_by_field_name("consequence") or a)]
    conditions = [c for c in conditions if c is not None]
    if not any(n.type == "identifier" and text(n) == flag for c in conditions[:1] for n in walk(c)):
        return False
    if not any(n.type == "invocation_expression" and _signs_in(syntax.invocation(n).name)
               for c in conditions for n in walk(c)):
        return False
    first = syntax.unwrap(inv.args[0]) if inv.args else None
    if first is None or first.type != "identifier":
        return False
    for condition in conditions:
        for answer in _answer_calls(condition, method):
            if any(n.type == "identifier" and text(n) == text(first) for n in walk(answer)):
                return True
    return False


def _tries_recursion(f: CsFile) -> Iterable[Finding]:
    """``if (--maxTries == 0) return null; return await Get(request, ..., maxTries, ...);``,
    ``return await Unlock(service, code, --maxTries);`` or ``Download(msg, retry - 1)``: a method that asks again by calling itself with
    its count of tries lowered, until the count runs out (the count is a parameter: null)."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        own_name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        if params is None or body is None:
            continue
        counts = [text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"
                  and text(p.child_by_field_name("type")) in ("int", "byte", "short", "uint", "ushort", "long")
                  and COUNTER.search(text(p.child_by_field_name("name")))]
        if counts and any(p.type == "parameter" and text(p.child_by_field_name("type")) in PROCESS_TYPES_R20
                          for p in params.named_children):
            continue  # round 20 (thrivedevcenter): `RunProcessAsync(ProcessStartInfo info, .., int startRetries = 3)`
        for name in counts:
            lowered = [n for n in walk(body) if n.type in ("prefix_unary_expression", "postfix_unary_expression")
                       and "--" in text(n) and n.named_child_count and text(n.named_children[0]) == name
                       or n.type == "binary_expression" and text(n.child_by_field_name("operator")) == "-"
                       and text(n.child_by_field_name("left")) == name
                       and text(n.child_by_field_name("right")) == "1"]  # Download(..., retry - 1)
            if not lowered:
                continue
            for node in walk(body):
                if node.type != "invocation_expression":
                    continue
                inv = syntax.invocation(node)
                if inv.name != own_name or inv.receiver_text not in ("", "this"):
                    continue
                passes = [a for a in [*inv.args, *inv.named.values()]
                          if any(n.type == "identifier" and text(n) == name for n in walk(a))]
                if not passes or not any(d.start_byte < node.start_byte or syntax.is_inside(d, node) for d in lowered):
                    continue  # the count is lowered before (or as) it is passed: a call made before any try is not
                attrs = {"max_attempts": None, "backoff": None, "retry_on": ["result"], "mechanism": "call",
                         "library": None}
                param = next(p for p in params.named_children if p.type == "parameter"
                             and text(p.child_by_field_name("name")) == name)
                default = syntax.parameter_default(name, param)
                start = syntax.settle(syntax.number(default)) if default is not None else None
                attempts = _lowered_attempts(method, node, name, start, lowered) if start is not None else None
                if attempts is not None:
                    # `TryAsync(Func<Task> task, int retryCount = 3)`: the default's attempts here (a default set
                    # in code), and the parameter named for the callers that pass or leave out a count
                    attrs["max_attempts"] = normalise(attempts)
                    offset = attempts - start
                    attrs["attempts_expression"] = name if not offset else f"{name} {'+' if offset > 0 else '-'} " \
                                                                             f"{normalise(abs(offset))}"
                yield f.finding("retry", node, ID, attrs, "medium")


def _counted_up_recursion_r20(f: CsFile) -> Iterable[Finding]:
    """Round 20 (fhir-analytics-pipelines): ``catch (ETag conflict) { if (retryCount >= MaxRetryCount) throw ..;
    result = await GetIncrementalJobIds(queueType, count, retryCount + 1, token); }`` in ``GetIncrementalJobIds(..,
    int retryCount, ..)``: the method asks again by calling itself with its count of tries raised, until a guard
    gives up. The tries: the guard's limit less the count the other callers start with (a literal they all pass),
    plus one (``>=``) or two (``>``); null when the start or limit is not known. A call passing ``page + 1`` (not
    a count of tries), or with no guard that gives up on the count, is not this."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        own_name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        if params is None or body is None:
            continue
        plist = [p for p in params.named_children if p.type == "parameter"]
        for index, param in enumerate(plist):
            name = text(param.child_by_field_name("name"))
            if text(param.child_by_field_name("type")) not in ("int", "byte", "short", "uint", "long") or \
                    not COUNTER.search(name):
                continue
            raised = re.compile(rf"^(\+\+\s*{re.escape(name)}|{re.escape(name)}\s*\+\s*1|1\s*\+\s*{re.escape(name)})$")
            for call in (n for n in walk(body) if n.type == "invocation_expression"):
                inv = syntax.invocation(call)
                if inv.name != own_name or inv.receiver_text not in ("", "this") or len(inv.args) <= index or \
                        not raised.match(text(syntax.unwrap(inv.args[index])).strip()):
                    continue
                limit, op = None, None
                for branch in (n for n in walk(body) if n.type == "if_statement" and n.start_byte < call.start_byte
                               and not syntax.is_inside(call, n)):
                    cmp = syntax.unwrap(branch.child_by_field_name("condition"))
                    consequence = branch.child_by_field_name("consequence")
                    if cmp is None or cmp.type != "binary_expression" or not (
                            _gives_up(consequence) or _throws(consequence)):
                        continue
                    left, right = cmp.child_by_field_name("left"), cmp.child_by_field_name("right")
                    operator = text(cmp.child_by_field_name("operator"))
                    if text(left) == name and operator in (">=", ">"):
                        limit, op = right, operator
                    elif text(right) == name and operator in ("<=", "<"):
                        limit, op = left, {"<=": ">=", "<": ">"}[operator]
                    if limit is not None:
                        break
                if limit is None:
                    continue
                starts = set()
                for other in (n for n in walk(f.root) if n.type == "invocation_expression"
                              and not syntax.is_inside(n, method)):
                    oinv = syntax.invocation(other)
                    if oinv.name == own_name and len(oinv.args) == len(plist):
                        starts.add(syntax.settle(syntax.number(syntax.unwrap(oinv.args[index]))))
                bound = syntax.settle(syntax.number(syntax.unwrap(limit)))
                if bound is None and syntax.unwrap(limit) is not None and syntax.unwrap(limit).type == "identifier":
                    declarator = next((n for n in walk(f.root) if n.type == "variable_declarator" and
                                       text(n.child_by_field_name("name")) == text(syntax.unwrap(limit))), None)
                    value = declarator.named_children[-1] if declarator is not None and \
                        declarator.named_child_count > 1 else None
                    bound = syntax.settle(syntax.number(syntax.unwrap(value))) if value is not None else None
                attrs = {"max_attempts": None, "backoff": None, "retry_on": ["exception"], "mechanism": "call",
                         "library": None}
                if len(starts) == 1 and None not in starts and bound is not None:
                    start = starts.pop()
                    attrs["max_attempts"] = normalise(bound - start + (1 if op == ">=" else 2))
                yield f.finding("retry", call, ID, attrs, "medium")


def _lowered_attempts(method: Node, call: Node, name: str, start: float, lowered: list[Node]) -> float | None:
    """How many times a method that lowers its count of tries and calls itself runs, from the count's
    default: ``retryCount--; if (retryCount <= 0) throw; .. await TryAsync(task, retryCount);`` from 3 -> 3
    attempts; ``if (--maxTries == 0) return null; return await Get(.., maxTries);`` likewise. None when no
    branch before the call leaves on a comparison of the count with a number."""
    checks = []
    for branch in (n for n in walk(method) if n.type == "if_statement" and n.end_byte <= call.start_byte):
        if syntax.enclosing(branch, METHODS) != method or not _leaves_by_throw(branch.child_by_field_name("consequence")):
            continue
        for part in _conjuncts(branch.child_by_field_name("condition")):
            cmp = _comparison(part, name)
            limit = syntax.settle(syntax.number(cmp[2])) if cmp is not None else None
            if cmp is not None and limit is not None:
                checks.append((branch.start_byte, cmp[1], limit, cmp[3], cmp[4]))
    if not checks:
        return None
    # `retryCount--;` as a statement of its own before the checks (a lowering inside a check is its inline step)
    first_check = min(c[0] for c in checks)
    statements = sum(1 for d in lowered if d.start_byte < first_check and d.parent is not None
                     and d.parent.type == "expression_statement")
    passed = next((a for a in syntax.invocation(call).args if any(n.type == "identifier" and text(n) == name
                                                                  for n in walk(a))), None)
    on_pass = 1.0 if passed is not None and (text(passed).replace(" ", "") in (f"{name}-1", f"--{name}")) else 0.0
    value, attempts = start, 1.0
    while attempts < 1000:
        value -= statements
        for _, op, limit, step, before in sorted(checks):
            if before:
                value += step
            holds = COMPARE[op](value, limit)
            if not before:
                value += step
            if holds:
                return attempts
        value -= on_pass
        attempts += 1
    return None


def _flag_recursion_r17(f: CsFile) -> Iterable[Finding]:
    """Round 17 (iotedge): ``async Task<Twin> GetTwin(bool retrying = false) { try { .. } catch (Exception) {
    if (!retrying && client != null) { await client.CloseAsync(); return await this.GetTwin(true); } .. } }``:
    a failure calls the method once more with its bool flag set, which the guard then refuses: 2 attempts,
    at the recursive call."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        own_name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        if params is None or body is None:
            continue
        flags = [(i, text(p.child_by_field_name("name"))) for i, p in
                 enumerate(c for c in params.named_children if c.type == "parameter")
                 if text(p.child_by_field_name("type")) == "bool"]
        for index, name in flags:
            for node in walk(body):
                if node.type != "invocation_expression":
                    continue
                inv = syntax.invocation(node)
                if inv.name != own_name or inv.receiver_text not in ("", "this"):
                    continue
                passed = inv.named.get(name)
                if passed is None and len(inv.args) > index and not inv.named:
                    passed = inv.args[index]
                if passed is None or text(syntax.unwrap(passed)) != "true":
                    continue
                if syntax.enclosing(node, ("catch_clause",)) is None or \
                        syntax.enclosing(syntax.enclosing(node, ("catch_clause",)), METHODS) != method:
                    continue
                guard = node.parent
                guarded = False
                while guard is not None and guard != method:
                    if guard.type == "if_statement" and re.search(
                            rf"!\s*{re.escape(name)}\b|\b{re.escape(name)}\s*==\s*false\b",
                            text(guard.child_by_field_name("condition"))):
                        guarded = True
                        break
                    guard = guard.parent
                if not guarded:
                    continue
                attrs = {"max_attempts": 2, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
                yield f.finding("retry", node, ID, attrs, "medium")


def _rising_recursion(f: CsFile) -> Iterable[Finding]:
    """``Task<T> Retry<T>(this Client client, Func<Task<T>> call, int attempt = 0)`` ... ``if (attempt < 3 &&
    busy) return await client.Retry(call, attempt + 1);`` (or ``if (attempt == 5) throw ...;`` before
    it): a method that calls itself again with its count of attempts made raised, under a bound:
    ``< 3`` from 0 -> 3 retries, 4 attempts. Reported at the call that goes round again."""
    for method, node, name, start in _rising_calls(f):
        retries = _rising_retries(method, node, name, start)
        if retries is None or _local_only(method, text(method.child_by_field_name("name"))):
            continue  # deleting a local file again reaches no callee
        attrs = {"max_attempts": None if retries == UNBOUNDED else normalise(retries + 1.0), "backoff": "exponential" if "Pow" in text(method) else None,
                 "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", node, ID, attrs, "medium")


UNBOUNDED = -1.0


def normalise(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _rising_calls(f: CsFile):
    """(method, self call, counter parameter, its default) for each call of a method to itself that
    hands its counter parameter on raised by one (``attempt + 1``, ``++attempt``)."""
    for method in (n for n in walk(f.root) if n.type == "method_declaration"):
        own_name = text(method.child_by_field_name("name"))
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        if params is None or body is None:
            continue
        plist = [p for p in params.named_children if p.type == "parameter"]
        this_param = next((text(p.child_by_field_name("name")) for p in plist[:1]
                           if any(text(c) == "this" for c in p.children)), None)
        for p in plist:
            name = text(p.child_by_field_name("name"))
            if text(p.child_by_field_name("type")) not in ("int", "byte", "short", "uint", "long") or \
                    not COUNTER.search(name):
                continue
            default = syntax.parameter_default(name, p)
            start = syntax.settle(syntax.number(default)) if default is not None else None
            if start is None:
                continue
            for node in walk(body):
                if node.type != "invocation_expression":
                    continue
                inv = syntax.invocation(node)
                if inv.name != own_name or inv.receiver_text not in ("", "this", this_param or "this"):
                    continue
                if any(re.fullmatch(rf"{re.escape(name)}\s*\+\s*1|\+\+\s*{re.escape(name)}", text(syntax.unwrap(a)))
                       for a in [*inv.args, *inv.named.values()]):
                    yield method, node, name, start


def _rising_retries(method: Node, call: Node, name: str, start: float) -> float | None:
    """How many times the call goes round: while the ``if`` around it holds (``attempt < 3``), or until
    an earlier branch leaves the method (``if (attempt == 5) throw``)."""
    limits = []
    for parent in syntax.ancestors_of(call):
        if parent == method:
            break
        if parent.type == "if_statement" and not syntax.is_inside(call, parent.child_by_field_name("condition")):
            consequence = parent.child_by_field_name("consequence")
            if consequence is not None and syntax.is_inside(call, consequence):
                for part in _conjuncts(parent.child_by_field_name("condition")):
                    cmp = _comparison(part, name)
                    if cmp is not None and cmp[3] == 0:
                        limits.append(("while", cmp[1], cmp[2]))
    for branch in (n for n in walk(method) if n.type == "if_statement" and n.end_byte <= call.start_byte):
        consequence = branch.child_by_field_name("consequence")
        if not _leaves_by_throw(consequence) or syntax.enclosing(branch, METHODS) != method:
            continue
        for part in _conjuncts(branch.child_by_field_name("condition")):
            cmp = _comparison(part, name)
            if cmp is not None and cmp[3] == 0:
                limits.append(("until", cmp[1], cmp[2]))
    if not limits:
        # no bound: going round after every failure (the call sits in a catch) is a retry without end
        return UNBOUNDED if syntax.enclosing(call, ("catch_clause",)) is not None else None
    value, retries = start, 0.0
    while retries < 1000:
        for kind, op, limit_node in limits:
            limit = syntax.settle(syntax.number(limit_node))
            if limit is None:
                return None
            holds = COMPARE[op](value, limit)
            if (kind == "while" and not holds) or (kind == "until" and holds):
                return retries
        retries += 1
        value += 1
    return None


def _answer_loops(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``for (byte i = 0; i < maxTries; i++) { response = await Get(url); if (response == null) continue;
    ... return response; }`` and ``for (i = 0; (i < MaxTries) && (response == null); i++) { response =
    await Post(...); }``: a counted loop (its counter or its limit named for tries) that sends again when
    the answer is missing or bad, without a try/catch."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type != "for_statement":
            continue
        condition = loop.child_by_field_name("condition")
        body = loop.child_by_field_name("body")
        if condition is None or body is None or re.search(r"\.(Count|Length)\b|\.Count\(\)", text(condition)):
            continue
        cmp = next((c for c in (_comparison(n, None) for n in _conjuncts(condition))
                    if c and (COUNTER.search(c[0]) or COUNTER.search(text(c[2])) or _bare_count(c, body))), None)
        if cmp is None or ITEM_COUNTER.search(cmp[0]):
            continue
        tested = {text(n) for n in walk(condition) if n.type == "identifier"} - {cmp[0]}
        refetched = _fed_by_calls(loop, body, tested) if tested else []
        awaited = [syntax.unwrap(n.named_children[0]) for n in walk(body) if n.type == "await_expression"
                   and _own(n, loop) and n.named_child_count]
        calls = [c for c in awaited if c is not None and c.type == "invocation_expression"
                 and syntax.invocation(c).callee not in DELAYS and "Delay" not in syntax.invocation(c).name]
        if not refetched and not _continues_on_answer(loop, body, calls):
            continue
        attempts, pending = _turns(loop, cmp)
        if refetched and _called_before(loop, refetched[0]):
            # round 14: `var output = await execute(); for (var attempt = 1; attempt < maxAttempts && Failed(output);
            # attempt++) { ..; output = await execute(); }`: the call before the loop is the first attempt
            attempts = attempts + 1 if attempts is not None else None
            pending = tuple(_plus_one(p) for p in pending)
        attempts = int(attempts) if attempts is not None else None
        attrs = {"max_attempts": attempts, "backoff": _backoff(loop), "retry_on": ["result"],
                 "mechanism": "loop", "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _plus_one(pending: Pending) -> Pending:
    """The same bound with one more attempt (``maxAttempts - 1`` -> ``maxAttempts``)."""
    expr = pending.expr
    if isinstance(expr, BinOp) and expr.op == "+" and isinstance(expr.right, Num):
        offset = float(expr.right.value) + 1.0
        expr = BinOp("+", expr.left, Num(offset)) if offset else expr.left
    else:
        expr = BinOp("+", expr, Num(1.0))
    return replace(pending, expr=expr)


def _bare_count(cmp, body: Node) -> bool:
    """``for (var i = 0; i < 3; i++) { .. response = await Send(..); if (response.StatusCode == Unauthorized)
    continue; .. break; }``: a counter the turn never reads, bounded by a small number: the loop counts
    turns, not items (then read as tries when the turn asks again on the answer)."""
    limit = syntax.settle(syntax.number(cmp[2]))
    return limit is not None and 1 < limit <= 10 and not any(
        n.type == "identifier" and text(n) == cmp[0] for n in walk(body))


def _fed_by_calls(loop: Node, body: Node, tested: set[str]) -> list[Node]:
    """The awaited calls of a turn whose answer reaches a name the loop's condition tests, through
    assignments and this turn's declarations (``var response = await Get(); if (ok) result =
    response.Content;`` feeds ``result == null``)."""
    sources: dict[str, set[str]] = {}
    called: dict[str, list[Node]] = {}
    for node in walk(body):
        if not _own(node, loop):
            continue
        if node.type == "assignment_expression":
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        elif node.type == "variable_declarator":
            values = [c for c in node.named_children if c != node.child_by_field_name("name")]
            target, value = node.child_by_field_name("name"), (values[-1] if values else None)
        else:
            continue
        if target is None or value is None or target.type != "identifier":
            continue
        sources.setdefault(text(target), set()).update(text(n) for n in walk(value) if n.type == "identifier")
        awaited = [syntax.unwrap(a.named_children[0]) for a in walk(value) if a.type == "await_expression"
                   and a.named_child_count]
        called.setdefault(text(target), []).extend(
            c for c in awaited if c is not None and c.type == "invocation_expression"
            and syntax.invocation(c).callee not in DELAYS)
    feeding = set(tested)
    for _ in range(3):
        feeding |= {source for name in list(feeding) for source in sources.get(name, ())}
    return [call for name in feeding for call in called.get(name, [])]


def _continues_on_answer(loop: Node, body: Node, calls: list[Node]) -> bool:
    """An ``if`` on the answer of an awaited call of this turn that goes round again (``continue``),
    and a way out with the answer (``return``/``break``)."""
    answers = set()
    for call in calls:
        holder = call.parent
        while holder is not None and holder.type not in ("variable_declarator", "assignment_expression"):
            if holder == body:
                holder = None
                break
            holder = holder.parent
        if holder is not None:
            target = holder.child_by_field_name("name") if holder.type == "variable_declarator" \
                else holder.child_by_field_name("left")
            if target is not None:
                answers.add(text(target))
    if not answers:
        return False
    again = any(n.type == "if_statement" and _own(n, loop) and
                any(m.type == "identifier" and text(m) in answers for m in walk(n.child_by_field_name("condition")))
                and any(m.type == "continue_statement" and _own(m, loop)
                        for m in walk(n.child_by_field_name("consequence")))
                for n in walk(body))
    leaves = any(n.type in ("return_statement", "break_statement") and _own(n, loop) for n in walk(body))
    if again and leaves:
        return True
    # `if (result.Ok) return result.Value; .. await Task.Delay(wait);`: the good answer leaves the loop and
    # the turn waits before it asks again (a bad answer falls through to the next turn)
    exits = any(n.type == "if_statement" and _own(n, loop) and
                any(m.type == "identifier" and text(m) in answers for m in walk(n.child_by_field_name("condition")))
                and any(m.type in ("return_statement", "break_statement") and _own(m, loop)
                        for m in walk(n.child_by_field_name("consequence")))
                for n in walk(body))
    waits = any(n.type == "invocation_expression" and _own(n, loop) and
                (syntax.invocation(n).callee in DELAYS or syntax.invocation(n).name == "Delay")
                for n in walk(body))
    return exits and waits


def _self_bound(f: CsFile, branch: Node, condition: Node, method: Node) -> float | None:
    """`count < Max` after `count++` earlier in the method: Max tries in all (the count is of tries made)."""
    for node in walk(condition):
        if node.type != "binary_expression" or text(node.child_by_field_name("operator")) != "<":
            continue
        counter, limit_node = node.child_by_field_name("left"), node.child_by_field_name("right")
        if not _counter_like(counter):
            continue
        counted = any(n.type in ("postfix_unary_expression", "prefix_unary_expression") and "++" in text(n)
                      and text(n.named_children[0]) == text(counter) and n.end_byte <= branch.start_byte
                      for n in walk(method) if n.named_child_count)
        if not counted:
            return None
        limit = syntax.settle(syntax.number(limit_node))
        if limit is None and limit_node is not None and limit_node.type == "identifier":
            limit = _field_value(f, text(limit_node))
        return limit
    return None


def _field_value(f: CsFile, name: str) -> float | None:
    """`readonly int MaxTry = 6;` / `const int MaxTry = 6;` declared in this file."""
    for node in walk(f.root):
        if node.type != "field_declaration":
            continue
        modifiers = {text(c) for c in node.named_children if c.type == "modifier"}
        if not modifiers & {"readonly", "const"}:
            continue
        for declarator in (n for n in walk(node) if n.type == "variable_declarator"):
            if text(declarator.child_by_field_name("name")) == name:
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                return syntax.settle(syntax.number(values[-1])) if values else None
    return None


# --- loops that call again until the answer is as hoped ---------------------------------------

DELAYS = ("Task.Delay", "Thread.Sleep")
EXITS = ("break_statement", "return_statement", "throw_statement")


def _delays(loop: Node) -> bool:
    return any(n.type == "invocation_expression" and _own(n, loop) and syntax.invocation(n).callee in DELAYS
               for n in walk(loop))


def _refetches(loop: Node, body: Node, tested: set[str]) -> list[tuple[str, Node]]:
    """(variable, awaited call) for each ``v = await Call(...)`` in the loop that feeds the condition,
    directly or through another variable assigned from it in the loop."""
    assigned: list[tuple[str, Node]] = []
    derived: dict[str, set[str]] = {}
    for node in walk(body):
        if node.type != "assignment_expression" or not _own(node, loop):
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            continue
        names = {text(n) for n in walk(right) if n.type == "identifier"}
        derived.setdefault(text(left), set()).update(names)
        awaited = [n for n in walk(right) if n.type == "await_expression"]
        calls = [syntax.unwrap(a.named_children[0]) for a in awaited if a.named_child_count]
        calls = [c for c in calls if c is not None and c.type == "invocation_expression"
                 and syntax.invocation(c).callee not in DELAYS]
        if calls:
            assigned.append((text(left), calls[0]))
    feeding = set(tested)
    for _ in range(3):
        feeding |= {name for name, sources in derived.items() if sources & feeding}
        feeding |= {source for name, sources in derived.items() if name in feeding for source in sources}
    return [(name, call) for name, call in assigned if name in feeding]


def _called_before(loop: Node, call: Node) -> bool:
    """The same call (callee and arguments) in a statement before the loop in its block."""
    holder = loop.parent
    if holder is None:
        return False
    callee = syntax.invocation(call).callee
    for statement in holder.named_children:
        if statement.start_byte >= loop.start_byte:
            break
        for node in walk(statement):
            if node.type == "invocation_expression" and syntax.invocation(node).callee == callee \
                    and _same_arguments(node, call):
                return True
    return False


def _conjuncts(node: Node | None) -> list[Node]:
    node = syntax.unwrap(node)
    if node is None:
        return []
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "&&":
        return _conjuncts(node.child_by_field_name("left")) + _conjuncts(node.child_by_field_name("right"))
    return [node]


def _poll_bound(loop: Node, body: Node, call: Node, before: bool) -> float | None:
    """Calls made: the one before the loop (if any) and one per turn, until a counter stops it."""
    loop_cmp = next((c for c in (_comparison(n, None) for n in _conjuncts(loop.child_by_field_name("condition")))
                     if c and COUNTER.search(c[0])), None)
    statements = body.named_children if body.type == "block" else [body]
    counter = loop_cmp[0] if loop_cmp else None
    plan = []  # ("guard", cmp) / ("step", n) / ("call",) in body order
    for statement in statements:
        if statement.type == "if_statement":
            consequence = statement.child_by_field_name("consequence")
            stops = consequence is not None and (consequence.type in EXITS or any(
                n.type in EXITS for n in consequence.named_children))
            cmp = _comparison(statement.child_by_field_name("condition"), counter)
            if stops and cmp and COUNTER.search(cmp[0]):
                counter = cmp[0]
                plan.append(("guard", cmp))
                continue
        if syntax.is_inside(call, statement):
            plan.append(("call", None))
        elif counter is not None:
            plan.append(("step", _steps(counter, [statement])))
        else:
            plan.append(("pending", statement))
    if counter is None:
        return None
    plan = [("step", _steps(counter, [item[1]])) if item[0] == "pending" else item for item in plan]
    start = syntax.settle(syntax.number(syntax.local_value(counter, loop))) if syntax.local_value(counter, loop) \
        is not None else None
    limits = []
    for cmp in [loop_cmp] + [item[1] for item in plan if item[0] == "guard"]:
        if cmp is None:
            continue
        limit = syntax.settle(syntax.number(cmp[2]))
        if limit is None:
            return None
        limits.append(limit)
    value = start if start is not None else 0.0
    calls = 1 if before else 0
    for _ in range(1000):
        if loop_cmp is not None and not COMPARE[loop_cmp[1]](value, limits[0]):
            return float(calls)
        index = 1 if loop_cmp is not None else 0
        for kind, item in plan:
            if kind == "guard":
                value += item[3] if item[4] else 0
                if COMPARE[item[1]](value, limits[index]):
                    return float(calls)
                value += item[3] if not item[4] else 0
                index += 1
            elif kind == "step":
                value += item
            else:
                calls += 1
    return None


# a lock's holder (`lockValue`, `_distributedLock`, `isLocked`; not `block`/`clock`)
LOCK_WAIT = re.compile(r"^_?(lock|mutex|semaphore|lease)|Lock|Mutex|Semaphore|Lease")


REMOTE_STATE_FIELD_TEST = re.compile(r"\.(Status|State|Phase|ProvisioningState|Stage)\s*(==|!=)\s*(\"|[A-Z]\w*\.)")


def _waits_for_state(condition: Node | None) -> bool:
    """Round 14: ``while (attempts > 0 && order.Status != OrderStatus.Ready) { await Task.Delay(w); order = await
    ctx.Resource(); attempts--; }``: the loop reads a remote resource's state until it changes (an ACME order,
    a cloud operation), a wait for someone else's work bounded by a count of looks; the call it repeats
    did not fail, so it is no retry (certify)."""
    return condition is not None and REMOTE_STATE_FIELD_TEST.search(text(condition)) is not None


STATE_QUESTION_R18 = re.compile(r"^(Has|Is)[A-Z]\w*$")


def _asks_state_r18(call: Node) -> bool:
    """Round 18 (geh-market-participant): ``while (!has2Fa && waitTimeS <= 4) { await Task.Delay(..); has2Fa = await
    _auth.HasTwoFactorAuthenticationAsync(id).ConfigureAwait(false); }``: the call asks a yes/no question about a
    remote state (``Has..`` / ``Is..``) and the loop waits for the answer to change (someone else's work, an
    eventually consistent directory): a poll, not a failed call tried again."""
    node = syntax.unwrap(call)
    while node is not None and node.type == "invocation_expression" and \
            syntax.invocation(node).name in ("ConfigureAwait", "AsTask"):
        node = syntax.unwrap(syntax.invocation(node).receiver)
    return node is not None and node.type == "invocation_expression" and \
        STATE_QUESTION_R18.match(syntax.invocation(node).name) is not None


def _poll_retries(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type != "while_statement":
            continue
        condition = loop.child_by_field_name("condition")
        body = loop.child_by_field_name("body")
        if condition is None or body is None or not _delays(loop):
            continue
        tested = {text(n) for n in walk(condition) if n.type == "identifier"}
        if any(LOCK_WAIT.search(name) for name in tested):
            continue  # round 11: `while (lockValue is not null) { await Task.Delay(100); lockValue = await
            # cache.GetAsync(lockKey); }`: waiting for another holder's lock to go, not a failed call tried again
        refetched = _refetches(loop, body, tested)
        if not refetched or _waits_for_state(condition) or _asks_state_r18(refetched[0][1]):
            continue
        call = refetched[0][1]
        before = _called_before(loop, call)
        attempts = _poll_bound(loop, body, call, before)
        if not before and attempts is None:
            continue  # neither a first call nor a counter: a paging or polling loop of its own
        attrs = {"max_attempts": attempts, "backoff": _backoff(loop), "retry_on": ["result"],
                 "mechanism": "loop", "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium")


def _asks(condition: Node | None, counter: str, loop: Node) -> bool:
    """The condition calls something (not a local check of the counter) and leaves the counter out of
    the call: it asks the same question each turn (``_proxy.HasHashTorrent(hash)``), it does not
    walk items (``Probe(ports[i])``)."""
    if condition is None:
        return False
    calls = [n for n in walk(condition) if n.type == "invocation_expression"]
    for name in {text(n) for n in walk(condition) if n.type == "identifier"} - {counter}:
        value = syntax.unwrap(syntax.local_value(name, condition))
        if value is not None and syntax.is_inside(value, loop):  # `var found = _proxy.Get(gid);` this turn
            calls += [n for n in walk(value) if n.type == "invocation_expression"]
    return bool(calls) and not any(n.type == "identifier" and text(n) == counter
                                   for call in calls for n in walk(call))


def _turns(loop: Node, cmp) -> tuple[float | None, tuple[Pending, ...]]:
    """How many times a counted loop goes round: its condition, start and per-turn step."""
    counter, op, limit_node, inline, before = cmp
    start_node = None
    initializer = loop.child_by_field_name("initializer")
    if initializer is not None:
        for declarator in (n for n in walk(initializer) if n.type == "variable_declarator"):
            if text(declarator.child_by_field_name("name")) == counter:
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                start_node = values[-1] if values else None
    if start_node is None:
        start_node = syntax.local_value(counter, loop)
    start = syntax.settle(syntax.number(start_node)) if start_node is not None else None
    step = sum(_steps(counter, [n]) for n in (loop.child_by_field_name("update"), loop.child_by_field_name("body"))
               if n is not None)
    if start is None or (step == 0 and not inline):
        return None, ()
    body_first = loop.type == "do_statement"  # `do { .. } while (++retry < _retries)`: one turn before any test

    def run(limit: float) -> float | None:
        if body_first:
            return _count_turns(start + step, 1, limit, op, inline, before, step)
        return _count_turns(start, 0, limit, op, inline, before, step)

    expr = syntax.number(limit_node)
    limit = syntax.settle(expr)
    if limit is not None:
        return run(limit), ()
    if isinstance(expr, Unknown):
        return None, ()
    samples = [run(v) for v in (10.0, 11.0, 12.0)]
    if any(x is None for x in samples) or samples[1] - samples[0] != 1 or samples[2] - samples[1] != 1:
        return None, ()
    offset = samples[0] - 10
    return None, (Pending("max_attempts", BinOp("+", expr, Num(offset)) if offset else expr, 1.0),)


def _counted_polls(f: CsFile, seen: set[int]) -> Iterable[Finding]:
    """``for (var i = 0; i < tries; i++) { if (_proxy.HasHashTorrent(hash)) return true; Thread.Sleep(d); }``:
    the callee is asked again after a pause until it answers yes, at most ``tries`` times; without a
    pause when the counter is named for tries (``for (var attempt = 0; attempt < 2; attempt++) { await
    Delete(path); if (!await Exists(path)) return true; }`` -> 2)."""
    for loop in f.captured("loop"):
        if loop.id in seen or loop.type not in ("for_statement", "while_statement", "do_statement"):
            continue
        condition = loop.child_by_field_name("condition")
        body = loop.child_by_field_name("body")
        if condition is None or body is None:
            continue
        if re.search(r"\.(Count|Length)\b|\.Count\(\)", text(condition)):
            continue
        cmp = _comparison(condition, None)
        if cmp is not None and not _delays(loop) and not re.search(r"(?i)attempt|retr|tries", cmp[0]):
            continue  # without a pause, only a counter named for tries says the loop asks again
        if cmp is None or (cmp[3] == 0 and not sum(
                _steps(cmp[0], [n]) for n in (loop.child_by_field_name("update"), body) if n is not None)):
            continue  # not a counter: `while (DateTime.UtcNow < deadline)` is a deadline, not a count
        if re.search(r"(?i)timeout|seconds|secs\b|millis|duration|minutes", text(cmp[2])):
            continue  # `i < ConfirmationTimeoutSeconds` with a pause of a second: a wait of so long, not tries
        statements = body.named_children if body.type == "block" else [body]
        for st in list(statements):
            block = st.child_by_field_name("body") if st.type == "try_statement" else None
            if block is not None:
                # `try { var r = await Get(); if (r != null) return true; }`: the answer returned from the try
                statements = [*statements, *(s for s in block.named_children if s.type == "if_statement" and _returns(
                    s.child_by_field_name("consequence")))]
        answered = [st for st in statements if st.type == "if_statement" and _asks(
            st.child_by_field_name("condition"), cmp[0], loop) and _leaves(st.child_by_field_name("consequence"))]
        if not answered or _local_work(f, body):
            continue  # round 11: `while (runCount <= RunLimit) { if (fileSystem.File.Exists(p)) return Hash(..); }`: disk
        if _own_database_poll_r22(body):
            continue  # round 22: asks the service's own database again (`_db.Applications.FirstOrDefault(..)`)
        attempts, pending = _turns(loop, cmp)
        attempts = int(attempts) if attempts is not None else None
        attrs = {"max_attempts": attempts, "backoff": _backoff(loop), "retry_on": ["result"],
                 "mechanism": "loop", "library": None}
        yield f.finding("retry", loop, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


# round 22 (eligibility-checking-engine): the service's own EF Core context (`_db`, `_dbContext`, `context`,
# `dbContext`, `_context`, `AppDbContext`) and the LINQ / EF calls that read it
OWN_DB_RECEIVER_R22 = re.compile(r"^(?:this\.)?_?(?:db|dbContext|context|\w*DbContext|\w*Db)\b", re.IGNORECASE)
OWN_DB_QUERY_R22 = re.compile(r"^(FirstOrDefault|First|SingleOrDefault|Single|Any|All|Count|LongCount|Find|ToList|"
                              r"ToArray|Where|Select|OrderBy\w*|ThenBy\w*|AsNoTracking|Include|ThenInclude|Max|Min|Sum|"
                              r"Take|Skip|Set|Entry|Reload)(Async)?$")
POLL_NEUTRAL_R22 = re.compile(r"^(Delay|Sleep|Wait|ConfigureAwait|ToString|Substring|Log\w*|Serialize\w*|"
                              r"Deserialize\w*|Next|NewGuid|Format|Contains|Equals|Replace|Trim\w*)$")


def _own_database_poll_r22(body: Node) -> bool:
    """Round 22 (eligibility-checking-engine): ``for (attempt < 5) { var r = Make(); if (_db.Applications.
    FirstOrDefault(x => x.Reference == r) == null) return r; Task.Delay(5).Wait(); }`` and ``for (i <= 3) { var c =
    await _db.Checks.Where(..).FirstOrDefaultAsync(); if (c != null) break; await Task.Delay(1000); }``: the
    loop asks the service's own database (an EF context's set, read with LINQ) until a row is there or free:
    a poll of its own database, not a call to another service tried again. Every call of the body is such a
    query, a pause, logging or local computing."""
    queried = False
    for node in walk(body):
        if node.type != "invocation_expression":
            continue
        predicate = syntax.enclosing(node, ("lambda_expression",))
        if predicate is not None and syntax.is_inside(predicate, body):
            continue  # a predicate's calls (`x => x.Reference == r`) run in the query
        inv = syntax.invocation(node)
        name = inv.name or ""
        receiver = inv.receiver_text or ""
        if OWN_DB_QUERY_R22.match(name) and OWN_DB_RECEIVER_R22.match(receiver):
            queried = True
            continue
        if POLL_NEUTRAL_R22.match(name) or "log" in receiver.lower() or \
                receiver.split(".", 1)[0] in (*LOCAL_COMPUTE, "Task", "Thread", "DateTime", "JsonConvert",
                                              "JsonSerializer", "string", "String", "Random", "_random", "random"):
            continue
        return False
    return queried


def _leaves(consequence: Node | None) -> bool:
    """The branch ends the loop with the answer (``return true;`` / ``break;``), not with a failure."""
    if consequence is None:
        return False
    inner = consequence.named_children if consequence.type == "block" else [consequence]
    return bool(inner) and inner[-1].type in ("return_statement", "break_statement")


REJECTED = re.compile(r"(?i)unauthori[sz]ed|forbidden|not_?logged|logged_?out|expired|invalid_?(token|session)|"
                      r"session|reauth|status_?code|\b40[13]\b|error|log_?(in|out)(?!formation)|logged|sign_?in|redirect")
# a comment saying the branch signs in again (``// re-login``, ``cookies become invalid, login again``)
SIGN_IN_COMMENT = re.compile(r"(?i)\bre-?\s?log|\blog\s?in\b|\bsign\s?in\b|\bre-?auth|\bsession\b")
LOCAL_STEP = re.compile(r"(Build|Deserialize\w*|Parse\w*|TryParse\w*|ToJson|ToString|ToObject|ToList|ToArray|"
                        r"Read\w*)$")
SIGN_IN_WORDS = {"login", "logon", "signin", "relogin", "token", "refresh", "reconnect", "reauthenticate"}
# round 21 (teams-shifts-wfm-connectors): a guard that returns the answer when it says the caller is signed in
# (`if (IsAuthenticated(response)) return response;`): what the method does next before asking again signs in
SIGNED_IN_GUARD_R21 = re.compile(r"(?i)authenticated|authori[sz]ed|logged_?in|signed_?in")
# round 21 (beatleader-server): a comment saying the branch sends the request once more (``// the server
# provided a nonce, retry once``)
RETRY_COMMENT_R21 = re.compile(r"(?i)\bretry\b|\btry (it )?again\b|\bre-?send\b")


def _signs_in(name: str) -> bool:
    """``AuthenticateClient``, ``LoginAsync``, ``RefreshToken``, ``SignIn`` (not ``LogInformation``)."""
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]
    pairs = {a + b for a, b in zip(words, words[1:])}
    return any(w.startswith("auth") or w in SIGN_IN_WORDS for w in words) or bool(pairs & {"login", "signin", "logon"})


def _values_before(name: str, use: Node, method: Node) -> list[Node]:
    """Every value ``name`` got in ``method`` before ``use`` (``response = await Get(url); if (...)
    response = await FollowRedirect(response);``: both)."""
    found: list[Node] = []
    for node in walk(method):
        if node.start_byte >= use.start_byte:
            break
        if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
            values = [c for c in node.named_children if c != node.child_by_field_name("name")]
            found += values[-1:]
        elif node.type == "assignment_expression" and text(node.child_by_field_name("left")) == name:
            right = node.child_by_field_name("right")
            found += [right] if right is not None else []
    return found


def _answer_calls(condition: Node, method: Node) -> list[Node]:
    """The calls whose answer the condition tests, through up to three locals."""
    calls: list[Node] = []
    names = {text(n) for n in walk(condition) if n.type == "identifier"}
    seen: set[str] = set()
    for _ in range(3):
        found = set()
        for name in names - seen:
            seen.add(name)
            for value in _values_before(name, condition, method):
                calls += [n for n in walk(value) if n.type == "invocation_expression"]
                found |= {text(n) for n in walk(value) if n.type == "identifier"}
        names = found
    return calls


def _reauth_retries(f: CsFile) -> Iterable[Finding]:
    """``if (result.Result == NotLoggedIn) { AuthenticateClient(...); response = _httpClient.Execute(req); }``."""
    for branch in (n for n in walk(f.root) if n.type == "if_statement"):
        condition = branch.child_by_field_name("condition")
        consequence = branch.child_by_field_name("consequence")
        if condition is None or consequence is None:
            continue
        method = syntax.enclosing(branch, METHODS)
        if method is None:
            continue
        if _leaves(consequence) and branch.child_by_field_name("alternative") is None:
            yield from _reauth_after_guard(f, branch, condition, method)
        tests = [condition] + [a.child_by_field_name("condition") for a in syntax.ancestors_of(branch)
                               if a.type == "if_statement" and syntax.is_inside(a, method)]
        if not any(t is not None and REJECTED.search(text(t)) for t in tests):
            continue
        answers = _answer_calls(condition, method)
        catch = syntax.enclosing(branch, ("catch_clause",) + METHODS)
        if catch is not None and catch.type == "catch_clause" and catch.parent is not None:
            tried = catch.parent.child_by_field_name("body")  # the answer is the failure of the try's call
            made = [n for n in walk(tried) if n.type == "invocation_expression"] if tried is not None else []
            awaited = [n for n in made if n.parent is not None and n.parent.type == "await_expression" or
                       n.parent is not None and n.parent.type == "member_access_expression" and
                       n.parent.parent is not None and n.parent.parent.type == "invocation_expression" and
                       n.parent.parent.parent is not None and n.parent.parent.parent.type == "await_expression"]
            # round 14: of an async try, the awaited calls are the ones that can fail with the answer; a
            # bookkeeping call beside them (`cdnPool.ReturnConnection(connection)`) made again is no retry
            answers += awaited or made
        answers = [c for c in answers if syntax.invocation(c).callee not in DELAYS]
        if not answers:
            continue
        calls = [n for n in walk(consequence) if n.type == "invocation_expression"]
        said = _says_sign_in(f, branch, consequence)
        finding = _repeat(f, calls, answers, said)
        if finding is not None:
            yield finding


def _repeat(f: CsFile, calls: list[Node], answers: list[Node], said: bool, signed_in: bool = False) -> Finding | None:
    """The first of ``calls`` that repeats one of ``answers`` after signing in again, as a finding."""
    for index, outer in enumerate(calls):
        # round 21 (teams-shifts-wfm-connectors): `await http.SendAsync(retryRequest).ConfigureAwait(false)`:
        # the call inside `.ConfigureAwait(false)` is the one compared
        call = _without_configure_await(outer)
        callee = syntax.invocation(call).callee
        if LOCAL_STEP.match(syntax.invocation(call).name) or (
                outer.parent is not None and outer.parent.type == "member_access_expression"):
            continue  # building the request again (`b.Post().Build()`) or reading the answer: not the call
        if not any(syntax.invocation(a).callee == callee and _same_function(call, a) and _same_request(call, a) or
                   _same_through_state_r19(call, a) for a in (_without_configure_await(x) for x in answers)):
            continue
        if _local_receiver(syntax.invocation(call).receiver_text, call):
            continue  # `Path.Combine(...)` again: no callee
        before = [c for c in calls[:index] if not syntax.is_inside(outer, c) and not syntax.is_inside(c, outer)]
        signs_in = signed_in or any(_signs_in(syntax.invocation(c).name) for c in before) or (said and any(
            syntax.invocation(c).callee not in DELAYS and "log" not in syntax.invocation(c).receiver_text.lower()
            for c in before))
        if signs_in:
            attrs = {"max_attempts": 2, "backoff": "none", "retry_on": ["result"], "mechanism": "call",
                     "library": None}
            return f.finding("retry", call, ID, attrs, "medium")
        return None
    return None


def _same_through_state_r19(again: Node, first: Node) -> bool:
    """Round 19 (prowlarr): Polly v8's state overload, ``pipeline.ExecuteAsync(static async (state, _) => await
    state._httpClient.ExecuteProxiedAsync(state.HttpRequest, state.Definition), (_httpClient, request.HttpRequest,
    Definition))``, then ``_httpClient.ExecuteProxiedAsync(request.HttpRequest, Definition)`` after signing in
    again: the same call once the state tuple's elements stand for their names."""
    lam = syntax.enclosing(first, ("lambda_expression",))
    if lam is None or lam.parent is None or lam.parent.type != "argument":
        return False
    params = lam.child_by_field_name("parameters")
    names = [text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"] \
        if params is not None else []
    execute = syntax.enclosing(lam, ("invocation_expression",))
    if not names or execute is None or not syntax.invocation(execute).name.startswith("Execute"):
        return False
    args = syntax.invocation(execute).args
    tuple_node = syntax.unwrap(args[1]) if len(args) > 1 and syntax.unwrap(args[0]) == lam else None
    if tuple_node is None or tuple_node.type != "tuple_expression":
        return False
    elements = {}
    for item in (c for c in tuple_node.named_children if c.type == "argument"):
        raw = text(item.named_children[-1]) if item.named_children else ""
        elements[raw.rsplit(".", 1)[-1]] = raw  # a tuple element is named after the member it reads
    state = names[0]

    def spelled(node: Node) -> str:
        out = text(node)
        for name, raw in elements.items():
            out = re.sub(rf"\b{re.escape(state)}\.{re.escape(name)}\b", raw, out)
        return "".join(out.split())

    return spelled(first.child_by_field_name("function")) == "".join(text(again.child_by_field_name("function")).split()) \
        and [spelled(a) for a in syntax.invocation(first).args] == \
        ["".join(text(a).split()) for a in syntax.invocation(again).args]


def _same_function(a: Node, b: Node) -> bool:
    """The same method with the same type arguments (``Get<ThemeSettings>()`` is not ``Get<Policies>()``)."""
    fa, fb = a.child_by_field_name("function"), b.child_by_field_name("function")
    return fa is not None and fb is not None and "".join(text(fa).split()) == "".join(text(fb).split())


def _same_request(again: Node, first: Node) -> bool:
    """The same request: the same arguments (``_same_arguments``), or the same first argument with the
    repeat's other arguments among the first call's, in any order (``Get(url)`` after ``Get(url,
    headers: h)``; named arguments reordered)."""
    if _same_arguments(again, first):
        return True
    a, b = syntax.invocation(again), syntax.invocation(first)
    if not a.args or not b.args or text(a.args[0]) != text(b.args[0]):
        return False
    return {text(x) for x in a.args} <= {text(y) for y in b.args}


def _says_sign_in(f: CsFile, branch: Node, consequence: Node) -> bool:
    """A comment in the branch, on its ``if`` line or just above it says it signs in again."""
    first_line = branch.start_point[0]
    lines = f.data.split(b"\n")
    for node in walk(consequence):
        if node.type == "comment" and SIGN_IN_COMMENT.search(text(node)):
            return True
    above = first_line - 1
    while above >= 0 and lines[above].strip().startswith(b"//"):
        above -= 1
    for row in range(above + 1, branch.child_by_field_name("condition").end_point[0] + 1):
        line = lines[row].decode("utf-8", "replace")
        comment = line[line.index("//"):] if "//" in line else ""
        if SIGN_IN_COMMENT.search(comment) or RETRY_COMMENT_R21.search(comment):
            return True
    return False


def _reauth_after_guard(f: CsFile, branch: Node, condition: Node, method: Node) -> Iterable[Finding]:
    """``if (response.Content.Contains("logout")) return response; await LoginAsync(); response = await
    Request(url);``: the answer was good and left; what follows signs in and asks again."""
    answers = [c for c in _answer_calls(condition, method) if syntax.invocation(c).callee not in DELAYS]
    if not answers or branch.parent is None or branch.parent.type != "block":
        return
    following = []
    sibling = branch.next_named_sibling
    while sibling is not None:
        following.append(sibling)
        sibling = sibling.next_named_sibling
    # the sign-in is a statement of its own between the guard and the repeat (`await LoginAsync();`)
    signed = False
    for statement in following:
        if not signed:
            inner = statement.named_children[0] if statement.type == "expression_statement" and \
                statement.named_child_count else None
            if inner is not None and inner.type == "assignment_expression":
                # round 21 (teams-shifts-wfm-connectors): `cookies = await RequestCookiesAsync(ct);`
                inner = inner.child_by_field_name("right")
            inner = syntax.unwrap(inner.named_children[0]) if inner is not None and inner.type == "await_expression" \
                and inner.named_child_count else syntax.unwrap(inner)
            signed = inner is not None and inner.type == "invocation_expression" and (
                _signs_in(syntax.invocation(inner).name) or SIGNED_IN_GUARD_R21.search(text(condition)) is not None
                and syntax.invocation(inner).callee not in DELAYS)
            continue
        calls = [n for n in walk(statement) if n.type == "invocation_expression"]
        finding = _repeat(f, calls, answers, False, signed_in=True)
        if finding is not None:
            yield finding
            return