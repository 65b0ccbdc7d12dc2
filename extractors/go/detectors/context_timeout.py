"""Context deadlines: `context.WithTimeout(ctx, d)` and `context.WithDeadline(ctx, t)` (and their
Go 1.21 `...Cause` forms).

What it does: reports each derived context as a timeout of phase `deadline`; the target is
the one dependency the same function then calls, when there is exactly one.

Why it matters: in Go the context deadline, not the client, is usually what bounds a
request to another service (and every gRPC call).

Not reported: a derived context that is thrown away (`_, cancel := ...`), one whose deadline is
another context's (`dl, ok := ctx.Deadline(); context.WithDeadline(base, dl)`: carried over), one that is only
waited on (`case <-ctx.Done():` in a loop that polls local state (round 14: not one that keeps calling a
method of another value, a lock in Redis: that wait is bounded), no call gets it and no
goroutine runs one), and one handed only to stopping something this process runs
(`srv.Shutdown(ctx)`, `GracefulStop`, `Close(ctx)`): a drain budget of its own, like the server's
`ReadTimeout`, not a deadline on a call to another service; nor one handed only to
`exec.CommandContext` (a local process, round 16). The Shutdown of an OpenTelemetry
exporter or SDK provider (`exp, _ := otlptracehttp.New(ctx)`; `tp := sdktrace.NewTracerProvider()`)
flushes what it holds to the collector: that deadline is a call's, and reported.

Example: `ctx, cancel := context.WithTimeout(ctx, 800*time.Millisecond)` -> timeout 800 ms.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.gofile import Draft, GoFile, ValueInfo, inner_expression, node_text

ID = "go.context_timeout"
_SPACE = re.compile(r"\s+")
# Go 1.21's *Cause variants take the same duration / instant, plus the error to report.
_DERIVED = ("context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause")


def _deadline_offset(gf: GoFile, node) -> ValueInfo:
    """`time.Now().Add(d)` -> d; any other instant cannot be read as a duration."""
    call = gf.call_at(gf.resolve_name(inner_expression(node)))
    if call is not None and call.name == "Add" and call.callee.endswith("Now().Add") and call.args:
        return gf.duration(call.args[0])
    return ValueInfo(None, "unresolved", " ".join(node_text(node).split()))


def _discarded(node) -> bool:
    parent = node.parent
    holder = parent.parent if parent is not None else None
    if parent is None or parent.type != "expression_list" or holder is None or \
            holder.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = holder.child_by_field_name("left")
    return left is not None and bool(left.named_children) and node_text(left.named_children[0]) == "_"


def _propagated(gf: GoFile, node) -> bool:
    """`WithDeadline(base, deadline)` with `deadline, ok := ctx.Deadline()`: another context's deadline
    carried over to a detached one (context.WithoutCancel drops it), not a new bound."""
    arg = inner_expression(node)
    call = gf.call_at(arg)
    if call is not None:
        return call.name == "Deadline" and not call.args
    if arg.type != "identifier":
        return False
    name = node_text(arg)
    fns = gf.enclosing_functions(arg)
    for holder in ts.walk(fns[0] if fns else gf.root):
        if holder.type not in ("short_var_declaration", "assignment_statement") or holder.start_byte > arg.start_byte:
            continue
        left, right = holder.child_by_field_name("left"), holder.child_by_field_name("right")
        if left is None or right is None or not any(node_text(n) == name for n in left.named_children):
            continue
        values = right.named_children if right.type == "expression_list" else [right]
        made = gf.call_at(values[0]) if len(values) == 1 else None
        if made is not None and made.name == "Deadline" and not made.args:
            return True
    return False


_WAITS = {"Done", "Err"}  # not Deadline(): `conn.SetDeadline(dl)` passes the bound on


def _bound_context(node):
    """(name, declaration) of the context a derivation is bound to (`ctx, cancel := ...`), else None."""
    parent = node.parent
    holder = parent.parent if parent is not None else None
    if parent is None or parent.type != "expression_list" or holder is None or \
            holder.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = holder.child_by_field_name("left")
    if left is None or not left.named_children or left.named_children[0].type != "identifier":
        return None
    return node_text(left.named_children[0]), holder


def _context_uses(gf: GoFile, node):
    """(scope, declaration, the identifiers naming the derived context after it is bound) in the function
    around ``node``, else None when the derivation is not bound to a name."""
    bound = _bound_context(node)
    if bound is None:
        return None
    name, holder = bound
    fns = gf.enclosing_functions(node)
    scope = fns[0] if fns else gf.root
    uses = [use for use in ts.walk(scope)
            if use.type == "identifier" and use.start_byte >= holder.end_byte and node_text(use) == name]
    cancelled = _cancelled_at_r22(holder)
    if cancelled is not None:
        uses = [use for use in uses if use.start_byte < cancelled]
    return scope, holder, uses


def _cancelled_at_r22(holder) -> int | None:
    """round 22 (AdGuard Home): `ctx, cancel = context.WithTimeout(ctx, shutdownTimeout); shutdownSrv(ctx, srv);
    cancel()` inside an `if`, the function's `ctx` used again after it: the derived context ends at the
    `cancel()` called (not deferred) in the same block; later uses of the name are no longer bounded by it.
    The byte where that call starts, else None."""
    left = holder.child_by_field_name("left")
    names = left.named_children if left is not None else []
    if len(names) < 2 or names[1].type != "identifier":
        return None
    cancel = node_text(names[1])
    block = holder.parent
    if block is None:
        return None
    for statement in block.named_children:
        if statement.start_byte <= holder.end_byte or statement.type != "expression_statement":
            continue
        if re.fullmatch(rf"\s*{re.escape(cancel)}\s*\(\s*\)\s*", node_text(statement)):
            return statement.start_byte
    return None


def _bounds_no_call(gf: GoFile, node) -> bool:
    """The derived context is only waited on (`<-ctx.Done()`, `ctx.Err()`), never handed to a call."""
    found = _context_uses(gf, node)
    if found is None:
        return False
    scope, holder, context_uses = found
    if any(n.type == "go_statement" for n in ts.walk(scope)) and not _goroutines_only_stop(scope, holder):
        return False  # `go func() { done <- call() }(); select { case <-ctx.Done(): ... }` bounds that call
    uses = 0
    for use in context_uses:
        up = use.parent
        if up is not None and up.type == "selector_expression" and up.child_by_field_name("operand") == use:
            if node_text(up.child_by_field_name("field")) in _WAITS:
                if _polls_remote_call(gf, use):
                    return False
                uses += 1
                continue
            return False
        return False
    return uses > 0


def _polls_remote_call(gf: GoFile, use) -> bool:
    """`for !lockObtained { select { case <-ctx.Done(): return errTimeout; default: err := session.ObtainLock(...)
    ...; time.Sleep(d) } }`: the deadline bounds a loop that keeps making a call to something else (a
    Redis lock, a remote state): a bounded wait on that call (round 14, oauth2-proxy's session lock)."""
    from extractors.go.detectors.retry import _BOOKKEEPING, _LOGGERS, _local_work  # the retry detector's test
    loop = next((a for a in ts.ancestors(use) if a.type == "for_statement"), None)
    body = loop.child_by_field_name("body") if loop is not None else None
    if body is None:
        return False
    # what the loop does when the deadline passed (answering the caller) is not what it polls
    case = next((a for a in ts.ancestors(use) if a.type == "communication_case"), None)
    for call in gf.calls_within(body.start_byte, body.end_byte):
        root = (call.callee or "").split(".", 1)[0]
        if call.package in _BOOKKEEPING or root in _BOOKKEEPING or root.lower() in _LOGGERS or \
                call.name in _WAITS or call.name in ("Errorf", "New", "Is", "As"):
            continue
        if case is not None and case.start_byte <= call.node.start_byte < case.end_byte:
            continue
        if call.package is not None or root in gf.imports and gf.lookup_local(root, call.node) is None:
            continue  # a package's function (`R.EncodeJSON(w, ...)`), not a method of a value
        if call.receiver is not None and call.name[:1].isupper() and not _local_work(gf, call, 3):
            return True  # a method of another value, doing more than local work
    return False


_OWN_STOPS = {"Shutdown", "GracefulStop", "Stop", "Close", "Drain"}


def _goroutines_only_stop(scope, holder) -> bool:
    """Every goroutine started after the derivation only stops what this process runs: `go func() {
    grpcServer.GracefulStop(); close(ok) }(); select { case <-ok: case <-ctx.Done(): grpcServer.Stop() }`
    is a drain budget, not a call's deadline (round 12)."""
    gos = [n for n in ts.walk(scope) if n.type == "go_statement" and n.start_byte >= holder.end_byte]
    if not gos:
        return False
    for go in gos:
        for call in ts.walk(go):
            if call.type != "call_expression":
                continue
            fn = call.child_by_field_name("function")
            if fn is None or fn.type == "func_literal":
                continue  # the `go func() {...}()` itself
            name = node_text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else node_text(fn)
            if name not in _OWN_STOPS and name != "close" and not _STOP_HELPER.match(name):
                return False
    return True
# The process's own helpers that stop something: `s.shutdownHTTPServer(ctx)`, `stopWorkers(ctx)`.
# round 20 (supabase auth): `observability.WaitForCleanup(shutdownCtx)`, a wait for exporters to stop at exit
_STOP_HELPER = re.compile(r"(?i)(shutdown|gracefulstop|drain)\w*|(stop|close)[A-Z]\w*|WaitFor(Cleanup|Stop|Shutdown)\w*|"
                          r"(?-i:close|stop)$")  # round 22 (AdGuard Home): `web.auth.close(ctx)`, an own method


# round 21: a method of a client or stub is a call to another service, whatever its name (`StopExpose`)
_RPC_CLIENT_R21 = re.compile(r"(?i)client\b|client$|stub$|\bapi$")

# OpenTelemetry exporters and SDK providers: their Shutdown flushes buffered spans/metrics/logs to a collector.
_TELEMETRY_PACKAGES = ("go.opentelemetry.io/otel/exporters/", "go.opentelemetry.io/otel/sdk/")


def _flushes_telemetry(gf: GoFile, fn, scope) -> bool:
    """`exp.Shutdown(ctx)` where `exp, err := otlptracehttp.New(ctx)` (or `tp := sdktrace.NewTracerProvider(...)`):
    the stop exports what is left over the network, a call to the collector with this budget."""
    receiver = fn.child_by_field_name("operand") if fn is not None and fn.type == "selector_expression" else None
    if receiver is None or receiver.type != "identifier":
        return False
    name = re.escape(node_text(receiver))
    for m in re.finditer(rf"\b{name}\s*(?:,\s*\w+\s*)?:?=\s*(\w+)\.\w+\(", node_text(scope)):
        if (gf.imports.get(m.group(1)) or "").startswith(_TELEMETRY_PACKAGES):
            return True
    return False


def _only_runs_local_commands(gf: GoFile, node) -> bool:
    """The derived context is handed only to `exec.CommandContext(ctx, ...)` (os/exec): it bounds a
    process this one starts on its own machine (`timedatectl`, `git`), out of scope like any local
    process (round 16, wings)."""
    found = _context_uses(gf, node)
    if found is None:
        return False
    scope, holder, context_uses = found
    runs = 0
    for use in context_uses:
        args = use.parent
        if args is not None and args.type == "selector_expression" and \
                node_text(args.child_by_field_name("field")) in ("Done", "Err"):
            continue  # `case <-ctx.Done():` / `ctx.Err()` while the process runs (round 18)
        if args is not None and args.type == "expression_list" and args.parent is not None and \
                args.parent.type == "assignment_statement" and args.parent.child_by_field_name("left") == args:
            continue  # `ctx, cancel = context.WithTimeout(...)` in the other branch
        call = gf.call_at(args.parent) if args is not None and args.type == "argument_list" else None
        if call is None:
            return False
        if _network_program_r20(gf, call, scope):
            return False  # round 20 (zoekt): `executeCmd(ctx, "zoekt-git-clone", ...)`, `git fetch`: a network fetch
        if call.name == "CommandContext" and call.receiver is not None and \
                gf.imports.get(node_text(call.receiver)) == "os/exec":
            runs += 1
            continue
        # round 18: the project's own wrapper of it, `util.Exec(ctx, rule.Path, rule.Args...)` (node-problem-detector)
        path = gf.imports.get(node_text(call.receiver)) if call.receiver is not None else None
        if _EXEC_HELPER.fullmatch(call.name) and (call.receiver is None or (
                path is not None and "." in path.split("/", 1)[0] and node_text(call.receiver) not in gf.packages)):
            runs += 1
            continue
        return False
    return runs > 0


# round 20 (zoekt): a program that talks to another machine (`git fetch`, `zoekt-git-clone`, curl): the context
# run through it bounds a network call, not local work
_NETWORK_PROGRAM = re.compile(r"(?i)curl|wget|rsync|scp|ssh|[\w-]*clone[\w-]*|git")
_GIT_NETWORK_VERB = re.compile(r'"(?:fetch|clone|pull|push|ls-remote)"')


def _network_program_r20(gf: GoFile, call, scope) -> bool:
    """The command a run starts is a network client: its program (the string literal after the context)
    is curl / wget / rsync / scp / ssh / a `*clone*` tool, or git with a fetch / clone / pull / push / ls-remote
    verb among the string literals of the function around it."""
    program = next((a for a in call.args[1:2] if a.type == "interpreted_string_literal"), None)
    if program is None:
        return False
    name = node_text(program).strip('"').rsplit("/", 1)[-1]
    if not _NETWORK_PROGRAM.fullmatch(name):
        return False
    if name.lower() != "git":
        return True
    fns = gf.enclosing_functions(call.node)
    return bool(fns) and _GIT_NETWORK_VERB.search(node_text(fns[0])) is not None


_EXEC_HELPER = re.compile(r"(?i)exec(?:ute)?(?:command|cmd)?(?:context)?|(?:run|new)?command(?:context)?|run(?:cmd|command)")


_WEBSOCKET_LIBS_R20 = ("github.com/coder/websocket", "nhooyr.io/websocket")


def _inbound_websocket_write_r20(gf: GoFile, node) -> bool:
    """round 20 (vikunja): a write deadline on a websocket a browser opened to this server (coder/websocket,
    nhooyr: the file dials none, and the derived context goes only to `Write` / `Ping` / `Close` of a held
    connection): the server's own end of an inbound connection, no call to a dependency."""
    if not any(path in _WEBSOCKET_LIBS_R20 for path in gf.imports.values()) or b"Dial(" in gf.data:
        return False
    found = _context_uses(gf, node)
    if found is None:
        return False
    _, _, uses = found
    if not uses:
        return False
    for use in uses:
        args = use.parent
        if args is not None and args.type == "selector_expression" and \
                node_text(args.child_by_field_name("field")) in ("Done", "Err"):
            continue
        call = gf.call_at(args.parent) if args is not None and args.type == "argument_list" else None
        if call is None or call.name not in ("Write", "Ping", "Close", "CloseNow") or call.receiver is None or \
                call.receiver.type != "selector_expression":
            return False
    return True


_TIMED_OUT_CHECK_R20 = re.compile(r"\s*(?:err\s*==\s*context\.DeadlineExceeded|errors\.Is\(\s*err\s*,\s*"
                                  r"context\.DeadlineExceeded\s*\))\s*")


def _poll_that_loops_on_timeout_r20(gf: GoFile, node) -> bool:
    """round 20 (ghostferry): a wait for the next event in a loop, `ctx, cancel := context.WithTimeout(bg,
    500*time.Millisecond); ev, err = s.binlogStreamer.GetEvent(ctx); if err == context.DeadlineExceeded {
    timedOut = true }` then `if timedOut { continue }`: running out of time is an answer (nothing yet), the
    loop asks again; a poll interval, not a call's budget. The check's branch only continues or sets a flag
    the loop continues on."""
    fns = gf.enclosing_functions(node)
    if not fns:
        return False
    loop = next((a for a in ts.ancestors(node) if a.type == "for_statement"), None)
    if loop is None:
        return False
    for check in ts.walk(fns[0]):
        if check.type != "if_statement" or not _TIMED_OUT_CHECK_R20.fullmatch(
                node_text(check.child_by_field_name("condition"))):
            continue
        branch = node_text(check.child_by_field_name("consequence"))
        if re.fullmatch(r"\{\s*continue\s*\}", branch):
            return True
        flag = re.fullmatch(r"\{\s*(\w+)\s*=\s*true\s*\}", branch)
        if flag and re.search(rf"if\s+{re.escape(flag.group(1))}\s*\{{[^{{}}]*\bcontinue\b", node_text(loop)):
            return True
    return False


# slog's logging methods that take the context (for its values, not as a deadline)
_LOG_WITH_CONTEXT_R22 = frozenset({"InfoContext", "DebugContext", "WarnContext", "ErrorContext", "Log", "LogAttrs"})


def _only_stops_own_server(gf: GoFile, node) -> bool:
    """The derived context is handed only to a stop of something this process runs
    (`srv.Shutdown(ctx)`, `server.GracefulStop`, `consumer.Close(ctx)`, a helper of its own named so,
    `s.shutdownHTTPServer(ctx)`): a drain budget of its own,
    like the server's ReadTimeout, not a deadline on a call to another service."""
    found = _context_uses(gf, node)
    if found is None:
        return False
    scope, holder, context_uses = found
    outer = gf.enclosing_functions(node)
    stops = 0
    for use in context_uses:
        args = use.parent
        if args is not None and args.type == "selector_expression" and \
                node_text(args.child_by_field_name("field")) in _WAITS:
            continue  # `srv.Shutdown(ctx); <-ctx.Done()`: waits out the same drain budget (round 17)
        call = args.parent if args is not None and args.type == "argument_list" else None
        if call is None or call.type != "call_expression":
            return False  # used some other way: a call's budget, a goroutine
        fn = call.child_by_field_name("function")
        # (the called name has its own variable: reusing `name` lost the context's name after the first use)
        called = node_text(fn.child_by_field_name("field")) if fn is not None and fn.type == "selector_expression" \
            else node_text(fn) if fn is not None and fn.type == "identifier" else ""
        if called in _LOG_WITH_CONTEXT_R22:
            continue  # round 22 (AdGuard Home): `web.logger.InfoContext(ctx, "stopped http server")`, a log line
        if called not in _OWN_STOPS and not _STOP_HELPER.match(called):
            return False
        if called not in _OWN_STOPS and fn is not None and fn.type == "selector_expression" and \
                _RPC_CLIENT_R21.search(node_text(fn.child_by_field_name("operand"))):
            return False  # round 21 (netbird): `c.realClient.StopExpose(ctx, req)`, an RPC of a client named Stop*
        if _flushes_telemetry(gf, fn, outer[-1] if outer else gf.root):
            return False  # `exp.Shutdown(ctx)` of an OTLP exporter sends what it buffered to the collector
        stops += 1
    return stops > 0


def _only_serves_inbound_r21(gf: GoFile, node) -> bool:
    """Round 21 (goalert's timeout middleware): `ctx, cancel := context.WithTimeout(req.Context(), d); defer
    cancel(); next.ServeHTTP(w, req.WithContext(ctx))`: the derived context is only handed on to the next
    handler with the inbound request: a server-side budget for serving it (like the server's WriteTimeout),
    no bound chosen for a call to another service."""
    found = _context_uses(gf, node)
    if found is None:
        return False
    _, _, uses = found
    served = 0
    for use in uses:
        args = use.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is None or fn.type != "selector_expression" or node_text(fn.child_by_field_name("field")) != "WithContext":
            return False
        holder = call.parent
        outer = holder.parent if holder is not None and holder.type == "argument_list" else None
        outer_fn = outer.child_by_field_name("function") if outer is not None and outer.type == "call_expression" else None
        if outer_fn is None or outer_fn.type != "selector_expression" or \
                node_text(outer_fn.child_by_field_name("field")) != "ServeHTTP":
            return False
        served += 1
    return served > 0


def _waits_before_closing_r19b(gf: GoFile, node) -> bool:
    """grpc-go's `cs.WaitForStateChange(ctx, state)` followed by `cs.Close()` (round 19, second wave, fabio's
    connection pool cleanup): the derived context only bounds how long a connection that is being dropped
    may go on serving before it is closed, a grace, no call's bound. A wait for a state change that is not
    followed by closing that connection (waiting for Ready while dialing) is a connect bound, kept."""
    found = _context_uses(gf, node)
    if found is None:
        return False
    scope, holder, context_uses = found
    waits = 0
    for use in context_uses:
        args = use.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if fn is None or fn.type != "selector_expression" or node_text(fn.child_by_field_name("field")) != "WaitForStateChange":
            return False
        conn = node_text(fn.child_by_field_name("operand"))
        statement = call
        while statement is not None and statement.parent is not None and statement.parent.type not in ("block", "statement_list"):
            statement = statement.parent
        following = statement.next_named_sibling if statement is not None else None
        while following is not None and following.type == "comment":
            following = following.next_named_sibling
        if following is None or not re.fullmatch(rf"{re.escape(conn)}\.Close\(\)", "".join(node_text(following).split())):
            return False
        waits += 1
    return waits > 0


_LOOP_DEADLINE = re.compile(r"\btime\.Now\(\)\.Before\((\w+)\)|\btime\.Until\((\w+)\)\s*>\s*0\b|"
                            r"\btime\.Since\((\w+)\)\s*<\s*([\w.]+(?:\s*\*\s*[\w.]+)?)")
# Packages whose calls do only local work: a loop calling nothing else waits, it bounds no call.
_LOCAL_PACKAGES = frozenset({"os", "exec", "filepath", "path", "ioutil", "io", "syscall", "time", "fmt", "errors",
                             "strings", "strconv", "log", "slog", "sync", "atomic", "math", "rand", "sort", "bytes",
                             "runtime", "signal"})


def _deadline_loops(gf: GoFile) -> list[Draft]:
    """`deadline := time.Now().Add(defaultTimeout); for time.Now().Before(deadline) && ... { ...try the next
    upstream... }`: a loop that tries a remote call until a deadline is a timeout on those tries, at the
    check (round 18, CoreDNS' forward and grpc plugins; also `time.Until(deadline) > 0`, `time.Since(start) <
    d`). A loop that only does local work between checks waits, it bounds no call."""
    drafts = []
    for loop in gf.loops:
        header = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
        body = loop.child_by_field_name("body")
        if header is None and body is not None:
            drafts.extend(_deadline_check_in_body(gf, body))
            continue
        if header is None or body is None:
            continue
        if header.type == "for_clause":
            header = header.child_by_field_name("condition")
        found = _LOOP_DEADLINE.search(node_text(header)) if header is not None else None
        if found is None:
            continue
        name = found.group(1) or found.group(2) or found.group(3)
        bound = gf.lookup_local(name, loop)
        made = gf.call_at(inner_expression(bound)) if bound is not None and hasattr(bound, "type") else None
        if made is None:
            continue
        if found.group(3):  # `start := time.Now(); for time.Since(start) < d`
            if made.qualified != "time.Now":
                continue
            info = gf.duration(_expression_at(header, found.group(4)))
        else:
            if made.name != "Add" or not (made.callee or "").endswith("Now().Add") or not made.args:
                continue
            info = gf.duration(made.args[0])
        calls = [c for c in gf.calls_within(body.start_byte, body.end_byte)
                 if (c.package or (c.callee or "").split(".", 1)[0]) not in _LOCAL_PACKAGES
                 and not re.fullmatch(r"(?i)logf?|printf?|errorf|warnf?|infof?|debugf?|len|append|Lock|Unlock|Add|Inc",
                                      c.name or "")]
        if not calls:
            continue
        drafts.append(Draft(gf.finding("timeout", loop, ID,
                                       {"timeout_ms": info.value, "phase": "deadline",
                                        "resolved_from": info.resolved_from, "expression": info.expression},
                                       confidence=info.confidence, pending=info.pending), linkable=True))
    return drafts


_BODY_DEADLINE = re.compile(r"^\s*(?:time\.Now\(\)\.After\((\w+)\)|!\s*time\.Now\(\)\.Before\((\w+)\)|"
                            r"time\.Until\((\w+)\)\s*<=?\s*0|time\.Since\((\w+)\)\s*>=?\s*([\w.]+(?:\s*\*\s*[\w.]+)?))\s*$")
_LEAVES = re.compile(r"\b(return|break|goto)\b|\b(os\.Exit|Fatal\w*|panic)\(|\bexit\.\w+\(")


def _deadline_check_in_body(gf: GoFile, body: ts.Node) -> list[Draft]:
    """Round 19 (fabio's initBackend): `deadline := time.Now().Add(cfg.Registry.Timeout); for { if err =
    register(); err == nil { return }; if time.Now().After(deadline) { exit.Fatal(...) }; time.Sleep(d) }`:
    a `for {` loop that gives up once a deadline has passed is a timeout on its tries, at the check."""
    out = []
    ifs = [n for n in ts.walk(body) if n.type == "if_statement" and
           not any(a.type in ("for_statement", "func_literal") and a.start_byte > body.start_byte
                   for a in ts.ancestors(n) if a.start_byte < n.start_byte or a.id != n.id)]
    for node in ifs:
        found = _BODY_DEADLINE.match(node_text(node.child_by_field_name("condition")))
        consequence = node.child_by_field_name("consequence")
        if found is None or consequence is None or not _LEAVES.search(node_text(consequence)):
            continue
        if not _retries_failures(ifs, node) and not _waits_for_remote_result_r22(gf, ifs, node, body):
            continue  # `if err != nil { return err }; if locked { return }`: waits for a state (a lock), no retry
        name = found.group(1) or found.group(2) or found.group(3) or found.group(4)
        bound = gf.lookup_local(name, node)
        made = gf.call_at(inner_expression(bound)) if bound is not None and hasattr(bound, "type") else None
        if made is None:
            continue
        if found.group(4):
            if made.qualified != "time.Now":
                continue
            info = gf.duration(_expression_at(node.child_by_field_name("condition"), found.group(5)))
        else:
            if made.name != "Add" or not (made.callee or "").endswith("Now().Add") or not made.args:
                continue
            info = gf.duration(made.args[0])
        every = gf.calls_within(body.start_byte, body.end_byte)
        local_calls = [c for c in every if (c.package or (c.callee or "").split(".", 1)[0]) in _LOCAL_PACKAGES]
        # what a local call gave (`fileInfo, err := os.Stat(path)`; `fileInfo.IsDir()`) is local too
        local_values = set()
        for c in local_calls:
            holder = c.node.parent.parent if c.node.parent is not None else None
            if holder is not None and holder.type in ("short_var_declaration", "assignment_statement"):
                left = holder.child_by_field_name("left")
                local_values |= {node_text(n) for n in (left.named_children if left is not None else [])}
        calls = [c for c in every
                 if (c.package or (c.callee or "").split(".", 1)[0]) not in _LOCAL_PACKAGES
                 and (c.callee or "").split(".", 1)[0] not in local_values
                 and not re.fullmatch(r"(?i)logf?|printf?|errorf|warnf?|infof?|debugf?|len|append|Lock|Unlock|Add|Inc|"
                                      r"fatalf?|exit|panicf?", c.name or "")
                 and not (c.callee or "").startswith(("log.", "exit."))]
        if not calls:
            continue
        out.append(Draft(gf.finding("timeout", node, ID,
                                    {"timeout_ms": info.value, "phase": "deadline",
                                     "resolved_from": info.resolved_from, "expression": info.expression},
                                    confidence=info.confidence, pending=info.pending), linkable=True))
    return out


def _waits_for_remote_result_r22(gf: GoFile, ifs: list[ts.Node], check: ts.Node, body: ts.Node) -> bool:
    """round 22 (atlantis' GitLab client): `for { mr, resp, err := g.Client.MergeRequests.GetMergeRequest(...); if
    err != nil { return nil, err }; if mr.ChangesCount != "" { break }; if time.Since(pollingStart) >
    g.PollingTimeout { return nil, fmt.Errorf("giving up polling") }; time.Sleep(d) }`: the loop asks a remote
    service again until its answer holds the result (a field of what the call returned in the loop leaves it):
    a bounded wait for that remote result. Not a lock (`if locked { return }`, `acquired`) nor a local value."""
    answers: set[str] = set()
    for node in ts.walk(body):
        if node.type not in ("short_var_declaration", "assignment_statement"):
            continue
        right = node.child_by_field_name("right")
        left = node.child_by_field_name("left")
        values = right.named_children if right is not None else []
        if len(values) != 1 or values[0].type != "call_expression" or left is None:
            continue
        call = gf.call_at(values[0])
        if call is None or (call.package or (call.callee or "").split(".", 1)[0]) in _LOCAL_PACKAGES or \
                re.search(r"(?i)lock|acquire|lease|mutex", call.callee or call.name or ""):
            continue
        first = left.named_children[0] if left.named_children else None
        if first is not None and first.type == "identifier" and node_text(first) != "_":
            answers.add(node_text(first))
    if not answers:
        return False
    for node in ifs:
        if node.id == check.id:
            continue
        condition = node_text(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        if consequence is None or not re.search(r"\bbreak\b|\breturn\b", node_text(consequence)) or \
                re.search(r"\berr\b", condition):
            continue
        if any(re.search(rf"\b{re.escape(name)}\.\w+", condition) for name in answers):
            return True
    return False


def _retries_failures(ifs: list[ts.Node], check: ts.Node) -> bool:
    """The loop tries again after a failed call: it leaves when the call worked (`if err == nil { return }`)
    or its deadline check sits in the failure branch (`if err != nil { if time.Now().After(d) { break } }`),
    and no `if err != nil { return err }` gives up on the first failure."""
    success, in_failure = False, False
    for node in ifs:
        condition = node_text(node.child_by_field_name("condition")).strip()
        consequence = node.child_by_field_name("consequence")
        if consequence is None:
            continue
        text = node_text(consequence)
        if re.fullmatch(r"\w*[eE]rr\w*\s*==\s*nil", condition) and _LEAVES.search(text):
            success = True
        elif re.fullmatch(r"\w*[eE]rr\w*\s*!=\s*nil", condition):
            if consequence.start_byte <= check.start_byte < consequence.end_byte:
                in_failure = True
            elif re.search(r"\breturn\b", text) and "continue" not in text:
                return False
    return success or in_failure


def _expression_at(header: ts.Node, text: str) -> ts.Node | None:
    """The node of `header` written as `text` (the bound of `time.Since(start) < d`)."""
    wanted = "".join(text.split())
    for node in ts.walk(header):
        if "".join(node_text(node).split()) == wanted:
            return node
    return None


@detector(
    ID, "go", ("timeout",),
    valid=('package p\nimport "context"\nfunc f(ctx context.Context) { ctx, cancel := context.WithCancel(ctx); defer cancel(); _ = ctx }\n',
           'package p\nimport ("context"; "time")\nfunc f(busy func() bool) { ctx, cancel := context.WithTimeout(context.Background(), time.Second); defer cancel(); for busy() { <-ctx.Done() } }\n',
           'package p\nimport ("context"; "net/http"; "time")\nfunc f(srv *http.Server) { ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second); defer cancel(); srv.Shutdown(ctx) }\n'),
    invalid=('package p\nimport ("context"; "time")\nfunc f(ctx context.Context) { ctx, cancel := context.WithTimeout(ctx, time.Second); defer cancel(); _ = ctx }\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """context.WithTimeout / WithDeadline as deadline timeouts."""
    drafts = _deadline_loops(gf) if b"time.Now()" in gf.data or b"time.Until(" in gf.data else []
    for call in gf.calls:
        if call.qualified not in _DERIVED or len(call.args) < 2:
            continue
        if _discarded(call.node):
            continue  # `_, cancel := context.WithTimeout(...)`: the deadline bounds nothing
        if _bounds_no_call(gf, call.node):
            continue  # a local wait, not a call's budget
        if _only_stops_own_server(gf, call.node):
            continue  # srv.Shutdown(ctx): this process's own drain budget
        if _only_runs_local_commands(gf, call.node):
            continue  # exec.CommandContext(ctx, "timedatectl"): a local process's budget (round 16)
        if b"websocket" in gf.data and _inbound_websocket_write_r20(gf, call.node):
            continue  # `c.conn.Write(writeCtx, ...)` on a websocket this server accepted: the inbound side
        if b"DeadlineExceeded" in gf.data and _poll_that_loops_on_timeout_r20(gf, call.node):
            continue  # `ev, err = stream.GetEvent(ctx); if err == context.DeadlineExceeded { timedOut = true }`
        if b"WaitForStateChange" in gf.data and _waits_before_closing_r19b(gf, call.node):
            continue  # `cs.WaitForStateChange(ctx, state); cs.Close()`: a grace before closing a connection
        if b"ServeHTTP" in gf.data and _only_serves_inbound_r21(gf, call.node):
            continue  # `next.ServeHTTP(w, req.WithContext(ctx))`: a middleware's budget for the whole request
        if call.qualified in ("context.WithDeadline", "context.WithDeadlineCause") and _propagated(gf, call.args[1]):
            continue  # another context's deadline carried over, set where that context was made
        if call.qualified in ("context.WithTimeout", "context.WithTimeoutCause"):
            info = gf.duration(call.args[1])
        else:
            info = _deadline_offset(gf, call.args[1])
        fns = gf.enclosing_functions(call.node)
        end = fns[0].end_byte if fns else gf.root.end_byte
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "deadline", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending),
            link=("scope", call.node.start_byte, end), linkable=True))
    if b".Deadline()" in gf.data:
        drafts.extend(_fallback_deadlines(gf))
    return drafts


def _fallback_deadlines(gf: GoFile) -> list[Draft]:
    """round 18: `func computeDeadline(ctx context.Context) time.Time { deadline, ok := ctx.Deadline(); if ok {
    return deadline }; return time.Now().Add(defaultRaftApplyTimeout) }`: the deadline a caller without one
    gets (the caller's own deadline is carried down, no setting): a deadline timeout at that return."""
    drafts = []
    for fn in gf.root.named_children:
        body = fn.child_by_field_name("body") if fn.type in ("function_declaration", "method_declaration") else None
        if body is None or "context.Context" not in node_text(fn.child_by_field_name("parameters")) or \
                ".Deadline()" not in node_text(body):
            continue
        statements = [c for c in body.named_children if c.type != "comment"]
        if len(statements) == 1 and statements[0].type == "statement_list":
            statements = [c for c in statements[0].named_children if c.type != "comment"]
        last = statements[-1] if statements else None
        if last is None or last.type != "return_statement" or last.named_child_count != 1:
            continue
        returned = inner_expression(last.named_children[0])
        if returned.type == "expression_list" and returned.named_child_count == 1:
            returned = inner_expression(returned.named_children[0])
        call = gf.call_at(returned) if returned.type == "call_expression" else None
        if call is None or call.name != "Add" or len(call.args) != 1 or call.receiver is None or \
                _SPACE.sub("", node_text(call.receiver)) != "time.Now()":
            continue
        info = gf.duration(call.args[0])
        drafts.append(Draft(
            gf.finding("timeout", last, ID,
                       {"timeout_ms": info.value, "phase": "deadline", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence, pending=info.pending), linkable=False))
    return drafts
