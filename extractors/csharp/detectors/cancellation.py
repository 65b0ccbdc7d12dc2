"""Deadlines from cancellation: ``new CancellationTokenSource(TimeSpan)`` and ``cts.CancelAfter(...)``.

What it does: reports a token source that cancels itself after a delay (a ``TimeSpan`` or an
``int`` of milliseconds) as a timeout with phase ``deadline``: whatever call receives the
token gives up then.

Why it matters: it is often the real bound on an outbound call, tighter or looser than the
HttpClient's own timeout.

``.WaitAsync(TimeSpan.FromSeconds(30))`` on the task of a call (``udp.ReceiveAsync(ct).AsTask()
.WaitAsync(...)``, or a local the call's task went to: ``var check = CheckNetwork(); await
check.WaitAsync(...)``) is a deadline on that call; on a semaphore or a lock (``_gate.WaitAsync(timeout)``)
it is a wait for a local lock, not reported.

A target-typed ``CancellationTokenSource cts = new(TimeSpan.FromSeconds(10));`` is read the same way.

A race between a task and a pause (``if (await Task.WhenAny(task, Task.Delay(5000)) == task)``, the
pause an ``int`` of ms or a ``TimeSpan``) stops waiting for the task when the pause ends: a deadline
on that task, reported at ``WhenAny``, when the pause is named for a timeout or the method fails on it
(``throw new TimeoutException(..)``, "timed out"); a head start before racing another connection
(happy eyeballs) or a wait before a warning fails nothing. A race of pauses only, or of tasks without a pause, bounds
nothing.

Not reported: a token source whose token nothing receives (``combined.CancelAfter(t)`` and then
the call is passed the outer ``ct``: no limit applies), and one that ends a run of known length
(``new CancellationTokenSource(duration)``, ``recordingDuration``: the length of a recording or a
listening window, not a limit on a call), and one whose token only reaches local waits (a channel
being filled for a batch, ``Task.Delay``, a semaphore, a process exiting, a hosted service's ``StopAsync``,
a pipe server or a listener waiting for a client to connect: ``WaitForConnectionAsync``, ``AcceptTcpClientAsync``,
an awaiter of local state such as ``CreateRoundAwaiterAsync``), or is only linked into a source whose
token nothing receives.

Round 13: a ``CancelAfter`` on a source whose token (itself or linked) only reaches such local waits is not
reported either, nor a source whose token only reaches a local file read or write (``XDocument.LoadAsync(
projectFileStream, .., new CancellationTokenSource(3000).Token)``), nor a duration read through ``.Value``
(``CancelAfter(rule.RuleDuration.Value)``); a bare ``StopAsync(token)`` of a class that is no hosted service
is that class's own operation (it may send a message), not a local wait.

Example: ``using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));`` -> timeout 3000 ms, deadline.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.values import Ref
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, call_anchor, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.cancellation"
LIBRARY = "CancellationTokenSource"


NUMERIC = ("int", "long", "double", "float", "uint", "ulong", "short")


def _numeric_parameter(node: Node | None) -> str | None:
    """``timeoutMs`` / ``timeoutMs.Value`` / ``timeoutMs.GetValueOrDefault()`` where ``timeoutMs`` is an
    ``int?`` (or other number) parameter of the enclosing method: a count of ms its callers hand in."""
    node = syntax.unwrap(node)
    if node is not None and node.type == "invocation_expression" and \
            syntax.invocation(node).name == "GetValueOrDefault" and not syntax.invocation(node).args:
        node = syntax.unwrap(syntax.invocation(node).receiver)
    if node is not None and node.type == "member_access_expression" and \
            text(node.child_by_field_name("name")) == "Value":
        node = syntax.unwrap(node.child_by_field_name("expression"))
    if node is None or node.type != "identifier":
        return None
    method = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement"))
    params = method.child_by_field_name("parameters") if method is not None else None
    for param in params.named_children if params is not None else []:
        if param.type == "parameter" and text(param.child_by_field_name("name")) == text(node):
            kind = text(param.child_by_field_name("type")).rstrip("?")
            return text(node) if kind in NUMERIC else None
    return None


def _value(node: Node):
    bare = syntax.unwrap(node)
    if bare is not None and bare.type in ("identifier", "member_access_expression"):
        fallback = syntax.constructor_fallback(text(bare), bare)
        if fallback is not None:
            return _value(fallback)  # `_timeout = timeout ?? DefaultTimeout` in the constructor
    param = _numeric_parameter(node)
    if param is not None and syntax.settle(syntax.number(syntax.parameter_default(param, node))) is None:
        return Ref(param)  # `CancelAfter(connectionTimeoutMs.Value)` with `int? connectionTimeoutMs = null`
    raw = text(node)
    if "TimeSpan" in raw or "InfiniteTimeSpan" in raw:
        return syntax.duration_ms(node)
    unwrapped = syntax.unwrap(node)
    if unwrapped is not None and unwrapped.type in ("integer_literal", "binary_expression", "real_literal"):
        return syntax.number(node)  # milliseconds
    if unwrapped is not None and unwrapped.type == "identifier":
        held = syntax.unwrap(syntax.local_value(text(unwrapped), unwrapped))
        if held is not None and held.type in ("integer_literal", "real_literal", "binary_expression") and \
                "TimeSpan" not in text(held):
            return syntax.number(held)  # `const int MaxStartDurationMs = 15000; cts.CancelAfter(MaxStartDurationMs)`
    if unwrapped is not None and unwrapped.type == "invocation_expression" and \
            syntax.invocation(unwrapped).callee in ("Math.Min", "System.Math.Min"):
        return syntax.number(node)  # `(int)Math.Min(timeout.Value.TotalMilliseconds, int.MaxValue)`: ms
    return syntax.duration_ms(node)


def _a_duration(arg: Node) -> bool:
    """``duration`` / ``recordingDuration`` / ``discoveryDurationMs``: how long a run lasts, not a limit
    (``MaximumTurnDurationSeconds`` is one: the most a turn may take)."""
    # round 13: `_stateHolder.RuleDuration.Value` (a nullable's value) names the duration before `.Value`
    raw = re.sub(r"(\.Value|\.GetValueOrDefault\(\))+$", "", text(arg).strip())
    words = re.findall(r"[A-Za-z][a-z]*", raw.rsplit(".", 1)[-1])
    lowered = [w.lower() for w in words]
    return "duration" in lowered and not any(
        w in ("timeout", "deadline", "budget", "max", "maximum", "limit") for w in lowered)


def _scope(node: Node, name: str) -> Node:
    """The method declaring local ``name``, else the type (a field used across methods)."""
    method = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement",
                                     "lambda_expression", "accessor_declaration"))
    if method is not None and any(n.type == "variable_declarator" and text(n.child_by_field_name("name")) == name
                                  for n in walk(method)):
        return method
    holder = syntax.enclosing(node, ("class_declaration", "struct_declaration", "record_declaration"))
    return holder if holder is not None else node


def _token_unused(source: Node | None, own: Node) -> bool:
    """The token source named ``source`` appears nowhere in its scope but where it is declared and at ``own``."""
    source = syntax.unwrap(source)
    if source is None or source.type != "identifier":
        return False
    name = text(source)
    scope = _scope(own, name)
    if not any(n.type == "variable_declarator" and text(n.child_by_field_name("name")) == name for n in walk(scope)):
        return False  # declared out of sight (a base class, a partial): assume it is used
    for node in walk(scope):
        if node.type != "identifier" or text(node) != name or syntax.is_inside(node, own):
            continue
        parent = node.parent
        if parent is not None and parent.type == "variable_declarator" and parent.child_by_field_name("name") == node:
            continue
        return False
    return True


# a channel filling, a pause, a process exiting, a hosted service stopping, a server waiting for a client to
# come in (a pipe server's WaitForConnectionAsync, a listener's Accept*): no call of this service
LOCAL_WAITS = ("WaitToReadAsync", "WaitToWriteAsync", "ReadAllAsync", "Delay", "WaitForExitAsync", "StopAsync",
               "WaitForConnectionAsync", "AcceptTcpClientAsync", "AcceptSocketAsync")


def _only_local_waits(name: str, own: Node) -> bool:
    """Every call the token reaches (itself or through a linked source) waits on something local: a
    channel being filled (``_channel.WaitToReadAsync(linked.Token)``), a pause, a semaphore. A batching
    window, not a limit on a call."""
    scope = _scope(own, name)
    names, calls, linked_seen = {name}, [], False
    for _ in range(2):
        for node in walk(scope):
            if node.type != "member_access_expression" or text(node) not in {n + ".Token" for n in names}:
                continue
            call = syntax.enclosing(node, ("invocation_expression",))
            if call is None:
                return False
            inv = syntax.invocation(call)
            if inv.name == "CreateLinkedTokenSource":
                linked = _declared_name(call)
                if linked is None:
                    return False
                names.add(text(linked))
                linked_seen = True
                continue
            calls.append(inv)
    if not calls:
        return linked_seen  # only ever linked into a source whose token nothing receives
    return all(
        _local_wait_name(inv) or "Awaiter" in inv.name or _file_io(inv) or (
            inv.name == "WaitAsync" and re.search(r"(?i)semaphore|lock|gate|mutex", inv.receiver_text)) or
        _channel_take(inv) or _runs_local_command_r16(inv) or _expiry_callback_r18(inv)
        for inv in calls)


EVICTIONS_R18 = ("Remove", "TryRemove", "Evict", "Invalidate", "Expire", "Clear")


def _expiry_callback_r18(inv: syntax.Invocation) -> bool:
    """Round 18 (thor): ``token.Token.Register(() => memoryCache.Remove(key))``: the source is a timer that drops
    a cache entry when its lifetime ends (a TTL), no limit on a call; a callback that does anything else (closes a
    socket, aborts a request) still bounds that call."""
    if inv.name != "Register" or not inv.args:
        return False
    callback = syntax.unwrap(inv.args[0])
    if callback is None or callback.type != "lambda_expression":
        return False
    calls = [syntax.invocation(n) for n in walk(callback) if n.type == "invocation_expression"]
    return bool(calls) and all(c.name in EVICTIONS_R18 for c in calls)


def _runs_local_command_r16(inv: syntax.Invocation) -> bool:
    """Round 16 (cleanuparr): CliWrap's ``Cli.Wrap("apprise").WithArguments(..).ExecuteAsync(cts.Token)`` (also
    ``ExecuteBufferedAsync``) runs a local command: a local process, no call of this service."""
    return inv.name in ("ExecuteAsync", "ExecuteBufferedAsync", "ListenAsync", "Observe") and \
        re.match(r"^(?:CliWrap\.)?Cli\.Wrap\b", inv.receiver_text) is not None


def _local_wait_name(inv: syntax.Invocation) -> bool:
    """A call in LOCAL_WAITS; round 13: a bare ``StopAsync(token)`` the class declares itself (no hosted service) is the
    class's own operation (dotnet-monitor's capture operation sends a stop message to the profiled process)."""
    if inv.name != "StopAsync":
        return inv.name in LOCAL_WAITS
    if inv.receiver_text not in ("", "this"):
        return True
    holder = syntax.enclosing(inv.node, ("class_declaration", "record_declaration", "struct_declaration"))
    body = holder.child_by_field_name("body") if holder is not None else None
    declares = body is not None and any(c.type == "method_declaration" and
                                        text(c.child_by_field_name("name")) == "StopAsync" for c in body.named_children)
    bases = next((c for c in holder.named_children if c.type == "base_list"), None) if holder is not None else None
    # the class's own StopAsync (not one inherited from a runner / hosted service base)
    return not declares or (bases is not None and bool(re.search(r"Hosted|BackgroundService|IHost\b", text(bases))))


LOCAL_FILE = re.compile(r"(?i)filestream|File\.Open|File\.Create")


def _file_io(inv: syntax.Invocation) -> bool:
    """Round 13: reading or writing a local file under a token (``XDocument.LoadAsync(projectFileStream, ..,
    token)``, ``File.ReadAllTextAsync(path, token)``): no call of this service."""
    return inv.receiver_text in ("File", "Directory", "XDocument", "XElement") or \
        any(LOCAL_FILE.search(text(a)) for a in inv.args)


def _inline_local_io(creation: Node) -> bool:
    """``XDocument.LoadAsync(projectFileStream, LoadOptions.None, new CancellationTokenSource(3000).Token)``: a
    source made in place whose token only reaches a local file read or write (crank's project patching)."""
    up = creation.parent
    while up is not None and up.type == "parenthesized_expression":
        up = up.parent
    if up is None or up.type != "member_access_expression" or text(up.child_by_field_name("name")) != "Token":
        return False
    call = syntax.enclosing(up, ("invocation_expression",))
    return call is not None and _file_io(syntax.invocation(call))


def _channel_take(inv: syntax.Invocation) -> bool:
    """Round 12: ``_channel.Reader.ReadAsync(token)`` / ``.Writer.WriteAsync(item, token)``: a take from (a put on)
    an in-process System.Threading.Channels channel (CecoChat's ID channel waiting for the next batch)."""
    return inv.name in ("ReadAsync", "WriteAsync") and inv.receiver_text.endswith((".Reader", ".Writer"))


SERVER_SIDE = re.compile(rb"AuthenticateAsServer|\.AcceptAsync\(|\.AcceptSocket|\.AcceptTcpClient|\bTcpListener\b")
STREAM_IO = ("CopyToAsync", "FlushAsync", "WriteAsync", "ReadAsync", "SendAsync", "ReceiveAsync", "WriteLineAsync")


def _reply_to_client(f: CsFile, name: str, own: Node) -> bool:
    """In a file that accepts connections (``AuthenticateAsServerAsync``, ``listener.AcceptAsync()``),
    a deadline whose token only reaches the reads and writes of the connection's stream
    (``await stream.CopyToAsync(networkStream, cts.Token)``): how long this server waits on a connected
    client, no call to a dependency."""
    if not SERVER_SIDE.search(f.data):
        return False
    scope = _scope(own, name)
    calls = []
    for node in walk(scope):
        if node.type == "member_access_expression" and text(node) == name + ".Token":
            call = syntax.enclosing(node, ("invocation_expression",))
            if call is None:
                return False
            calls.append(syntax.invocation(call))
    return bool(calls) and all(inv.name in STREAM_IO and re.search(r"(?i)stream|socket|writer|pipe", inv.receiver_text)
                               for inv in calls)


def _expiry_flag(creation: Node) -> bool:
    """``_expiry = new CancellationTokenSource(30_000);`` kept in a field whose token the class never
    hands anywhere (only ``_expiry.IsCancellationRequested`` is read: ``public bool TimedOut => ...``):
    how long a subscription lives, no limit on a call."""
    parent = creation.parent
    while parent is not None and parent.type in ("parenthesized_expression", "equals_value_clause"):
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        name = text(left)[5:] if text(left).startswith("this.") else text(left)
        if syntax.enclosing(creation, ("method_declaration", "constructor_declaration", "local_function_statement",
                                       "lambda_expression")) is not None and \
                syntax.local_value(name, creation) is not None and any(
                    n.type == "variable_declarator" and text(n.child_by_field_name("name")) == name
                    for n in walk(syntax.enclosing(creation, ("method_declaration", "constructor_declaration",
                                                              "local_function_statement", "lambda_expression")))):
            return False  # a local: read by the local checks
    elif parent.type == "variable_declarator" and parent.parent is not None and \
            parent.parent.parent is not None and parent.parent.parent.type == "field_declaration":
        name = text(parent.child_by_field_name("name"))
    else:
        return False
    holder = syntax.enclosing(creation, ("class_declaration", "struct_declaration", "record_declaration"))
    if holder is None or not name.isidentifier():
        return False
    for node in walk(holder):
        if node.type == "identifier" and text(node) == name:
            up = node.parent
            if up is not None and up.type == "member_access_expression" and up.child_by_field_name("expression") == node:
                member = text(up.child_by_field_name("name"))
                if member in ("IsCancellationRequested", "Dispose", "Cancel", "CancelAsync", "TryReset"):
                    continue
                return False  # `.Token`, `.CancelAfter`...: handed on
            if up is not None and up.type == "member_access_expression" and text(up.child_by_field_name("expression")) == "this":
                outer = up.parent
                if outer is not None and outer.type == "member_access_expression" and \
                        text(outer.child_by_field_name("name")) in ("IsCancellationRequested", "Dispose", "Cancel"):
                    continue
                if outer is not None and outer.type == "assignment_expression" and outer.child_by_field_name("left") == up:
                    continue
                return False
            if up is not None and up.type in ("variable_declarator",) or \
                    (up is not None and up.type == "assignment_expression" and up.child_by_field_name("left") == node):
                continue
            if up is not None and up.type in ("argument", "return_statement", "arrow_expression_clause",
                                              "equals_value_clause", "using_statement"):
                return False
    return True


def _declared_name(creation: Node) -> Node | None:
    parent = creation.parent
    while parent is not None and parent.type in ("equals_value_clause", "parenthesized_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return parent.child_by_field_name("name")
    if parent is not None and parent.type == "assignment_expression" and \
            text(parent.child_by_field_name("operator")) == "=":
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            return left  # round 12: `timeoutCts = new CancellationTokenSource(timeout);` (declared null before a try)
    return None


def _waits_on_call(inv) -> bool:
    """``call(...).AsTask().WaitAsync(span)`` / ``SendAsync(...).WaitAsync(span)``: the task of a call."""
    receiver = syntax.unwrap(inv.receiver)
    while receiver is not None and receiver.type == "invocation_expression" and \
            syntax.invocation(receiver).name in ("AsTask", "ConfigureAwait"):
        receiver = syntax.unwrap(syntax.invocation(receiver).receiver)
    if receiver is not None and receiver.type == "identifier" and \
            not re.search(r"(?i)semaphore|lock|gate|mutex|signal|event", text(receiver)):
        param = syntax.parameter_node(text(receiver), inv.node)
        if param is not None:
            # `Task<Reply> WaitForReply(Command c, Task<Reply> replyTask)`: the task of the caller's call
            return re.match(r"(?:System\.Threading\.Tasks\.)?(?:Task|ValueTask)\b",
                            text(param.child_by_field_name("type"))) is not None
        # `var check = _network.CheckNetwork(); await check.WaitAsync(TimeSpan.FromSeconds(30));`: the
        # task a call started, held in a local
        started = syntax.unwrap(syntax.local_value(text(receiver), inv.node))
        if started is not None and started.type == "await_expression":
            return False
        return started is not None and started.type == "invocation_expression" and \
            syntax.invocation(started).callee not in ("Task.Delay", "Task.Run", "Task.WhenAll", "Task.WhenAny")
    if receiver is not None and receiver.type == "invocation_expression" and \
            syntax.invocation(receiver).callee in ("Task.Run", "Task.Factory.StartNew") and \
            re.search(r"(?i)\bprocess\w*\.Start\(\)|Process\.Start\(", text(receiver)):
        return False  # round 16 (SS14.MapServer): `Task.Run(() => process.Start()).WaitAsync(1 min)`: a local process
    return receiver is not None and receiver.type == "invocation_expression" and not _own_local_wait(receiver) and \
        not LOCAL_PROCESS_WAITS.match(syntax.invocation(receiver).name or "") and \
        not PERSON_PROMPTS.match(syntax.invocation(receiver).name or "")


def _in_person_prompt(node: Node) -> bool:
    """Round 14 (round-13 request, PluralKit): a token source made in a class that waits for a person's answer
    (``class YesNoPrompt : BaseInteractive``, ``*Dialog``, ``*Wizard``): how long the bot waits for a click or a
    reply, no bound on a call."""
    for owner in syntax.ancestors_of(node):
        if owner.type in ("class_declaration", "record_declaration"):
            names = [text(owner.child_by_field_name("name"))]
            bases = next((c for c in owner.named_children if c.type == "base_list"), None)
            names += [text(b) for b in bases.named_children] if bases is not None else []
            return any(PERSON_WAIT_CLASS.search(n) for n in names)
    return False


PERSON_WAIT_CLASS = re.compile(r"(Prompt|Interactive|Dialog|Wizard|Questionnaire)\b")


# round 14 (round-13 request): `await PromptForUsernameAsync(console).WaitAsync(TimeSpan.FromSeconds(30))`: a wait
# for a person at the console, no call
PERSON_PROMPTS = re.compile(r"^(Prompt\w*|Ask\w*|ReadLine\w*|ReadKey\w*|ReadPassword\w*|Confirm\w*)$")


# round 14: `process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5))`: a wait for a local process to end
# round 18 (altinn-register): `reader.WaitToReadAsync(ct).WaitAsync(TimeSpan.FromSeconds(1))`: a wait for the next
# item of an in-process System.Threading.Channels channel (WaitToReadAsync / WaitToWriteAsync), no call
LOCAL_PROCESS_WAITS = re.compile(r"^(WaitForExit|WaitForExitAsync|WaitForInputIdle|WaitToReadAsync|WaitToWriteAsync)$")


# what a method that only waits for the class's own tasks calls
_LOCAL_TASK_CALLS = frozenset({"WhenAll", "WhenAny", "Delay", "ConfigureAwait", "ToArray", "ToList", "Select", "Where",
                               "Any", "Count", "Values", "Keys", "CompletedTask", "FromResult"})


def _in_disposal_r17(node: Node) -> bool:
    """Round 17 (azure-mcp): ``private async ValueTask DisposeAsyncCore() { using var cts = new
    CancellationTokenSource(s_disposeTimeout); .. }``: a bound on releasing the service's own clients and
    caches while it shuts down (like a host's StopTimeout), no bound on a call it serves or makes."""
    method = syntax.enclosing(node, ("method_declaration", "local_function_statement"))
    return method is not None and text(method.child_by_field_name("name")).startswith("Dispose")


def _own_local_wait(call: Node) -> bool:
    """``WaitPendingBackgroundTasksAsync().WaitAsync(..)`` where the file's own method of that name
    only awaits the class's tasks (``await Task.WhenAll(_backgroundTasks.Keys)``): a wait for local
    work at shutdown, no call to bound."""
    inv = syntax.invocation(call)
    if inv.receiver_text not in ("", "this"):
        return False
    root = call
    while root.parent is not None:
        root = root.parent
    bodies = [m.child_by_field_name("body") for m in walk(root)
              if m.type in ("method_declaration", "local_function_statement") and
              text(m.child_by_field_name("name")) == inv.name]
    if len(bodies) != 1 or bodies[0] is None:
        return False
    calls = [syntax.invocation(n) for n in walk(bodies[0]) if n.type == "invocation_expression"]
    return any(c.name in ("WhenAll", "WhenAny") for c in calls) and all(c.name in _LOCAL_TASK_CALLS for c in calls)


@csharp_detector(ID, ("timeout",),
                 valid=("var cts = new CancellationTokenSource();\n", "cts.Cancel();\n",
                        "await _gate.WaitAsync(TimeSpan.FromSeconds(1));\n"),
                 invalid=("var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));\nawait http.GetAsync(url, cts.Token);\n",
                          "cts.CancelAfter(2000);\n",
                          "var r = await udp.ReceiveAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30));\n",
                          "if (await Task.WhenAny(task, Task.Delay(3000)) != task) throw new TimeoutException();\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    implicit = [n for n, type_name in f.implicit_creations if type_name == "CancellationTokenSource"]
    for creation in [*f.creations, *implicit]:
        if creation.type == "object_creation_expression" and syntax.creation_type(creation) != "CancellationTokenSource":
            continue
        args, _ = syntax.arguments(creation.child_by_field_name("arguments") or syntax._arglist(creation))
        if not args or _a_duration(args[0]):
            continue
        name = _declared_name(creation)
        if name is not None and (_token_unused(name, creation) or _only_local_waits(text(name), creation) or
                                 _reply_to_client(f, text(name), creation)):
            continue
        if name is None and _inline_local_io(creation):
            continue
        if _expiry_flag(creation) or _in_person_prompt(creation) or _in_disposal_r17(creation):
            continue
        yield f.timeout_from(creation, _value(args[0]), text(args[0]), "deadline", ID, LIBRARY)
    for inv in f.invocations_named("CancelAfter"):
        if not inv.args or _a_duration(inv.args[0]) or _token_unused(inv.receiver, inv.node) or \
                _reply_to_client(f, inv.receiver_text, inv.node) or _in_disposal_r17(inv.node):
            continue
        receiver = syntax.unwrap(inv.receiver)
        if receiver is not None and receiver.type == "identifier" and _only_local_waits(text(receiver), inv.node):
            # round 13: `timeoutSource.CancelAfter(t)` whose token, linked, only reaches a process's exit or a
            # listener's WaitForConnectionAsync (dotnet-monitor), as a source made with the delay
            continue
        yield f.timeout_from(inv.node, _value(inv.args[0]), text(inv.args[0]), "deadline", ID, LIBRARY)
    for inv in f.invocations_named("WaitAsync"):
        if not inv.args or not _waits_on_call(inv):
            continue
        arg = inv.args[0]
        raw = text(arg)
        if "TimeSpan" in raw or ("imeout" in raw and "Token" not in raw):
            fallback = syntax.constructor_fallback(raw, arg)
            value = syntax.duration_ms(fallback if fallback is not None else arg)
            yield f.timeout_from(call_anchor(inv.node), value, raw, "deadline", ID, "Task.WaitAsync")
    for inv in f.invocations_named("WhenAny", "WaitAny"):
        found = _race(f, inv)
        if found is not None:
            yield found


# round 16: a TaskCompletionSource a person completes (their next message, a reaction, a button click, a guess)
PERSON_SIGNAL_R16 = re.compile(r"(?i)^\w*(user|input|reaction|interaction|click|button|guess|vote)\w*\.Task$")


def _race(f: CsFile, inv) -> Finding | None:
    """``Task.WhenAny(task, Task.Delay(timeoutMs))``: a deadline of the pause on the other task."""
    if inv.receiver_text not in ("Task", "System.Threading.Tasks.Task") or len(inv.args) != 2:
        return None
    pauses, others = [], []
    for arg in inv.args:
        node = syntax.unwrap(arg)
        if node is not None and node.type == "identifier":
            # `var timeoutTask = Task.Delay(timeout); .. Task.WhenAny(timeoutTask, aggregateTask)`
            held = syntax.unwrap(syntax.local_value(text(node), node))
            if held is not None and held.type == "invocation_expression" and \
                    syntax.invocation(held).callee in ("Task.Delay", "System.Threading.Tasks.Task.Delay"):
                node = held
        if node is not None and node.type == "invocation_expression" and \
                syntax.invocation(node).callee in ("Task.Delay", "System.Threading.Tasks.Task.Delay"):
            pauses.append(syntax.invocation(node))
        else:
            others.append(node)
    if len(pauses) != 1 or len(others) != 1 or not pauses[0].args:
        return None
    if others[0] is not None and re.search(r"(?i)process(Lifetime|Exit|Task)|WaitForExit", text(others[0])):
        return None  # round 13: `Task.WhenAny(processLifetimeTask.Task, Task.Delay(..))`: a child process ending
    if _local_script_r19(others[0]):
        return None  # round 19 (lancommander): `Task.WhenAny(task, Task.Delay(..))` with `task = script.ExecuteAsync()`
    if others[0] is not None and PERSON_SIGNAL_R16.search(text(others[0])):
        return None  # round 16 (nadekobot): `Task.WhenAny(userInputTask.Task, Task.Delay(10000))`: waits for a person
    arg = pauses[0].args[0]
    if _a_duration(arg):
        return None
    if re.sub(r"^System\.Threading\.", "", text(arg).strip()) in ("Timeout.Infinite", "Timeout.InfiniteTimeSpan", "-1"):
        return None  # round 11: `Task.Delay(Timeout.Infinite, token)` ends only when cancelled: no deadline
    method = syntax.enclosing(inv.node, ("method_declaration", "constructor_declaration", "local_function_statement",
                                         "lambda_expression", "accessor_declaration")) or f.root
    if not (re.search(r"(?i)timeout|deadline", text(arg)) or
            re.search(r"TimeoutException|TimedOut|timed out", text(method)) or _race_gives_up(inv.node, others[0]) or
            _completion_checked_r20(inv.node, others[0], method)):
        if not _awaits_own_signal_r17(others[0], method):
            return None  # a head start (`Task.Delay(200)` before racing IPv4) or a wait before a warning: no failure
        if not syntax.is_inside(pauses[0].node, inv.node):
            # `var delayTask = Task.Delay(2500); .. WhenAny(delayTask, a.Task) .. WhenAny(delayTask, b.Task)`: one
            # bound of the request, at the pause both races share
            return f.timeout_from(pauses[0].node, _ms_or_span(arg), text(arg), "deadline", ID, "Task.WhenAny")
    shared = _shared_pause_r20(inv.node, pauses[0].node, method)
    if shared is not None:
        # round 20 (das-payments-v2): `var waitTask = Task.Delay(270 s); WaitAny(dataTask, waitTask); .. WaitAny(more,
        # waitTask)`: one budget for the races that share the pause, at the pause (once, for the first race)
        return f.timeout_from(pauses[0].node, _ms_or_span(arg), text(arg), "deadline", ID, "Task.WhenAny") \
            if shared else None
    return f.timeout_from(call_anchor(inv.node), _ms_or_span(arg), text(arg), "deadline", ID, "Task.WhenAny")


def _shared_pause_r20(race: Node, pause: Node, method: Node) -> bool | None:
    """None when the pause is written in the race or held by a local only this race reads; else whether this
    race is the first of the several that share it."""
    if syntax.is_inside(pause, race):
        return None
    holder = pause.parent
    while holder is not None and holder.type not in ("variable_declarator", "assignment_expression"):
        holder = holder.parent
    if holder is None:
        return None
    name_node = holder.child_by_field_name("name") if holder.type == "variable_declarator" else \
        holder.child_by_field_name("left")
    name = text(name_node) if name_node is not None else ""
    races = [n for n in walk(method) if n.type == "invocation_expression" and
             syntax.invocation(n).name in ("WhenAny", "WaitAny") and
             any(text(syntax.unwrap(a)) == name for a in syntax.invocation(n).args if syntax.unwrap(a) is not None)]
    if len(races) < 2:
        return None
    return races[0].start_byte == race.start_byte


LOCAL_SCRIPT_R19 = re.compile(r"(?i)^_?(ps|powershell|script|process|shell)\w*$")


def _local_script_r19(other: Node | None) -> bool:
    """Round 19 (lancommander): the raced task runs a script or process on this machine (``var script =
    powerShellScriptFactory.Create(..); var task = script.ExecuteAsync<bool>(); .. Task.WhenAny(task, Task.Delay(
    TimeSpan.FromSeconds(10)))``): local work, no call to bound."""
    node = syntax.unwrap(other)
    if node is not None and node.type == "identifier":
        node = syntax.unwrap(syntax.local_value(text(node), node))
    if node is not None and node.type == "await_expression" and node.named_children:
        node = syntax.unwrap(node.named_children[0])
    if node is None or node.type != "invocation_expression":
        return False
    receiver = syntax.unwrap(syntax.invocation(node).receiver)
    if receiver is None or receiver.type != "identifier":
        return False
    if LOCAL_SCRIPT_R19.match(text(receiver)):
        return True
    made = syntax.unwrap(syntax.local_value(text(receiver), receiver))
    return made is not None and re.search(r"PowerShell|ScriptFactory|Process\.Start\b|new\s+Process\b", text(made)) is not None


def _awaits_own_signal_r17(other: Node | None, method: Node) -> bool:
    """Round 17 (round-16 request, nadekobot): ``var complete = new TaskCompletionSource<bool>(); .. handler sets
    it on the answer ..; await SendLeaveVoiceChannelAsync(id); await Task.WhenAny(Task.Delay(1500),
    complete.Task);``: the race waits a known time for the signal the method's own request sets (a hand-made
    request/response), not for another connection (a head start races a task that is no completion source)."""
    match = re.fullmatch(r"(\w+)\.Task", text(other).strip()) if other is not None else None
    if match is None:
        return False
    name = match.group(1)
    if re.search(rf"\b{re.escape(name)}\s*=\s*new\s+TaskCompletionSource\b|"
                 rf"TaskCompletionSource(<[^>]*>)?\s+{re.escape(name)}\s*=\s*new\b", text(method)) is None:
        return False
    # the request the signal answers, sent before the race: not a message asking a person (a prompt, a reply,
    # an embed: the signal is then their answer)
    for node in walk(method):
        if node.type != "invocation_expression" or node.start_byte >= other.start_byte:
            continue
        called = syntax.invocation(node).name or ""
        if re.match(r"^(Send|Request|Publish|Post|Write)\w*Async$", called) and \
                not re.search(r"Message|Reply|Embed|Confirm|Prompt|Respond|Text|Dm|Followup|Interaction", called):
            return True
    return False


def _completion_checked_r20(race: Node, other: Node | None, method: Node) -> bool:
    """Round 20 (das-payments-v2): ``var waitTask = Task.Delay(TimeSpan.FromSeconds(270), ct); Task.WaitAny(dataTask,
    waitTask); if (!dataTask.IsCompleted) throw new InvalidOperationException("Took too long ..");``: after the
    race the method gives up (a throw or a return) when the raced task has not completed: a bounded wait."""
    if other is None or other.type != "identifier":
        return False
    name = text(other)
    for branch in (n for n in walk(method) if n.type == "if_statement" and n.start_byte > race.end_byte):
        condition = text(branch.child_by_field_name("condition") or branch).replace(" ", "")
        if condition not in (f"!{name}.IsCompleted", f"{name}.IsCompleted==false",
                             f"!{name}.IsCompletedSuccessfully"):
            continue
        consequence = branch.child_by_field_name("consequence")
        statements = consequence.named_children if consequence is not None and consequence.type == "block" \
            else [consequence]
        if statements and statements[-1] is not None and statements[-1].type in ("throw_statement", "return_statement"):
            return True
    return False


def _race_gives_up(when_any: Node, other: Node | None) -> bool:
    """Round 15 (Mewdeko): ``if (await Task.WhenAny(receiveTask, Task.Delay(5000)) != receiveTask) return
    new Status { IsOnline = false };``: the branch taken when the pause wins leaves the method (a return or
    a throw, after logging at most) instead of starting other work: the pause bounds the wait for the task.
    A head start that goes on to race another connection calls something in that branch: not this."""
    if other is None:
        return False
    node = when_any
    while node.parent is not None and node.parent.type in ("await_expression", "parenthesized_expression",
                                                         "invocation_expression", "member_access_expression",
                                                         "argument_list", "argument"):
        node = node.parent
    compare = node.parent
    if compare is None or compare.type != "binary_expression":
        return False
    operator = next((text(c) for c in compare.children if not c.is_named), "")
    sides = [syntax.unwrap(compare.child_by_field_name(k)) for k in ("left", "right")]
    if operator not in ("!=", "==") or not any(s is not None and text(s) == text(other) for s in sides):
        return False
    if compare.parent is not None and compare.parent.type in ("return_statement", "arrow_expression_clause"):
        # round 17 (iotedge): `async Task<bool> WaitForInit() => await Task.WhenAny(initTask, Task.Delay(wait)) ==
        # initTask;`: the method answers whether the task finished within the pause: a bounded wait
        return True
    branch_holder = compare.parent
    condition = branch_holder.child_by_field_name("condition") if branch_holder is not None else None
    if branch_holder is None or branch_holder.type != "if_statement" or condition is None or \
            (condition.start_byte, condition.end_byte) != (compare.start_byte, compare.end_byte):
        return False
    branch = branch_holder.child_by_field_name("consequence" if operator == "!=" else "alternative")
    if branch is None:
        return False
    statements = branch.named_children if branch.type == "block" else [branch]
    if not statements or statements[-1].type not in ("return_statement", "throw_statement"):
        return False
    for statement in statements:
        for call in walk(statement):
            if call.type == "invocation_expression" and \
                    not re.search(r"(?i)\blog|Dispose|Cancel", text(call.child_by_field_name("function"))):
                return False  # other work started when the pause wins: a head start, not a bound
    return True


def _ms_or_span(node: Node):
    """``Task.Delay``'s argument: an ``int`` of ms (a literal, a name, ``timeoutMs.Value``) or a TimeSpan."""
    param = _numeric_parameter(node)
    if param is not None and syntax.settle(syntax.number(syntax.parameter_default(param, node))) is None:
        return Ref(param)
    if syntax.timespan_typed(node) or "TimeSpan" in text(node):
        return syntax.duration_ms(node)
    unwrapped = syntax.unwrap(node)
    if unwrapped is not None and unwrapped.type == "identifier":
        held = syntax.unwrap(syntax.local_value(text(unwrapped), unwrapped))
        if held is not None and "TimeSpan" in text(held):
            # round 20 (das-payments-v2): `var waitTime = TimeSpan.Parse(..); Task.Delay(waitTime, ct)`
            return syntax.duration_ms(node)
    if unwrapped is not None and unwrapped.type == "member_access_expression" and \
            text(unwrapped.child_by_field_name("name")) == "Value":
        unwrapped = unwrapped.child_by_field_name("expression")  # timeoutMs.Value of an int?
    return syntax.number(unwrapped)
