"""Deadlines: a wait on an outbound call bounded by a timer that rejects.

What it does: reads JavaScript's own deadline idioms, where no client option is involved:

- ``Promise.race([call, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))])``,
  also with the timer promise declared before in the same function (``const timeoutPromise = new
  Promise(...)``) or written as ``sleep(ms).then(() => { throw ... })``: reported on the race (the
  raced work may be a connection the file started, ``p = client.connect()`` ... ``p.then(...)``);
- a promise that rejects from its own timer while it waits for a reply,
  ``new Promise((resolve, reject) => { const timer = setTimeout(() => reject(err), ms); socket.send(...) })``,
  (also a timer that tears the awaited connection down and settles with no answer:
  ``setTimeout(() => { socket.destroy(); resolve(null) }, 3000)``),
  callback-style code's timer that hands the caller's callback (a parameter, or a completion
  function declared around it) a timeout error (``setTimeout(() => callback(DENYSOFT, 'plugin
  timeout'), ms)``), and
  a budget checked by hand and given up on with a timeout error (``if (Date.now() - start >
  env.CHAT_API_TIMEOUT) throw new ORPCError("TIMEOUT", ...)``, on the comparison), and
  when the promise's function sends something out (a request, a publish, a socket write, a client
  call): reported on the ``setTimeout``. A ``timeout`` parameter with a default
  (``pushWait(msg, timeout = 30000)``) is handed to the callers (see wrapper_call).

Never: a timer that resolves (``new Promise((r) => setTimeout(r, ms))``: a sleep), a race without
anything but timers, a rejecting timer in a promise that waits for nothing outbound (a local
computation, a UI animation), ``setTimeout`` with a bare callback that rejects nothing, a timer of
0 ms.

Why it matters: the caller gives up after that time whatever the client's own settings are, so it
is the wait the contract of the call really has.

Example::

    await Promise.race([query, new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 5000))]);
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, descendants, dotted, enclosing_function,
                                           inside, js_detector, unwrap)

ID = "javascript.deadline"

_TIMERS = ("setTimeout", "globalThis.setTimeout", "window.setTimeout", "global.setTimeout")
_SLEEPS = re.compile(r"^(sleep|delay|wait|setTimeoutPromise|timeout)$", re.I)
# what sends something out: a request, a publish, a socket write, a client or service call
_SENDS = re.compile(r"^(send\w*|write|publish\w*|request\w*|query|execute|emit|connect|createConnection|invoke|post|put|"
                    r"push|push[A-Z]\w*|fetch|rpush|lpush|xadd|produce|sendMessage|sendToQueue|probe|lookup|resolve\d*|"
                    r"resolve(Any|Mx|Txt|Ns|Srv|Cname)|[A-Z]\w*)$")
_LOCAL_RECEIVERS = re.compile(r"^(console|Math|JSON|Object|Array|Promise|Date|Number|String|this\.logger|logger|log|"
                              r"res|reply|window|document|process|Buffer|crypto|path|fs|util|timers)$|"
                              r"(^|\.)(stdin|stdout|stderr)$")  # a child process's pipes: local work


@js_detector(ID, ["timeout"],
             valid=['await new Promise((resolve) => setTimeout(resolve, 1000)); // a sleep',
                    'await Promise.race([sleep(100), sleep(200)]);',
                    'const t = setTimeout(() => console.log("timeout"), 5000);'],
             invalid=['await Promise.race([fetch(url), new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 5000))]);'])
def detect(ctx: FileContext) -> None:
    if b".now()" in ctx.data:
        try:
            _elapsed_checks(ctx, {(f.line, f.kind) for f in ctx.findings})
        except Exception:  # an odd branch costs only this finding
            pass
    if b"setInterval" in ctx.data and b"clearInterval" in ctx.data:
        try:
            _idle_watchdogs(ctx, {(f.line, f.kind) for f in ctx.findings})
        except Exception:  # an odd interval costs only this finding
            pass
    if b"setTimeout" not in ctx.data and b"race" not in ctx.data:
        return
    taken = {(f.line, f.kind) for f in ctx.findings}
    raced: set[int] = set()
    for call in ctx.calls:
        try:
            if call.callee == "Promise.race":
                _race(ctx, call, taken, raced)
        except Exception:  # one odd call must not cost the file's other findings
            continue
    for call in ctx.calls:
        try:
            if call.callee in _TIMERS and call.node.start_byte not in raced:
                _executor_timer(ctx, call, taken)
                _callback_timer(ctx, call, taken)
                _pending_map_timer_r21js1(ctx, call, taken)
        except Exception:
            continue
    try:
        _timer_factories_js2(ctx, taken)
    except Exception:  # an odd factory costs only its publication
        pass
    for call in ctx.calls:
        try:
            if call.callee in _TIMERS:
                _forced_close_js2(ctx, call, taken)
                _stream_idle_js2(ctx, call, taken)
                _answer_watchdog_js2(ctx, call, taken)
        except Exception:
            continue


_FORCE_JS2 = re.compile(r"(?i)(^|\.)(force\w*|destroy|terminate|kill|disconnect|abort)$")
_CLOSING_JS2 = re.compile(r"(?i)(^|\.)(quit|close|end|disconnect|shutdown|drain|flush|stop)$")


def _forced_close_js2(ctx: FileContext, call, taken) -> None:
    """`const t = setTimeout(() => this.forceQuit(), 2000); try { await this.client.quit() } finally {
    clearTimeout(t) }` (round 14, safe-client-gateway; the zwave-js-ui MQTT close): a clean close of a
    connection given a time after which the timer forces it shut; the bound is reported on the timer."""
    if len(call.args) < 2:
        return
    callback = unwrap(call.arg(0))
    if callback is None:
        return
    forced = [c for c in ctx.calls_in(callback) if _FORCE_JS2.search(c.callee)] \
        if callback.type in FUNCTION_TYPES else \
        ([callback] if callback.type in ("member_expression", "identifier") and _FORCE_JS2.search(dotted(callback)) else [])
    if not forced:
        return
    holder = call.node.parent
    while holder is not None and holder.type in ("parenthesized_expression", "as_expression"):
        holder = holder.parent
    if holder is None or holder.type != "variable_declarator":
        return
    handle = ts.text(holder.child_by_field_name("name"))
    fn = enclosing_function(call.node)
    if fn is None:
        return
    start = call.node.end_byte
    cleared = any(c.callee == "clearTimeout" and c.args and ts.text(unwrap(c.args[0])) == handle
                  for c in ctx.calls_in(fn))
    closing = [c for c in ctx.calls_in(fn) if c.node.start_byte > start and _CLOSING_JS2.search(c.callee)
               and "." in c.callee and c.node.parent is not None and c.node.parent.type == "await_expression"]
    if cleared and closing:
        _emit(ctx, call.node, call.arg(1), taken)


_GIVE_UP_JS2 = re.compile(r"(^|\.)(exit|reject|abort|destroy|disconnect|close|terminate|kill)$")
_SOCKET_MAKER_JS2 = re.compile(r"^(io|connect|socket\.io-client\.\w+|socket\.io-client)$|(^|\.)(io|connect)$")


def _answer_watchdog_js2(ctx: FileContext, call, taken) -> None:
    """`const ioClient = io(url, {...}); ioClient.on('connect', () => { ioClient.emit('register', ...); const t =
    setTimeout(() => { showError('no answer in 30 s').finally(() => process.exit(1)) }, 30000);
    ioClient.on('client-registered', () => { clearTimeout(t); ... }) })` (round 16, keyshade's CLI): a timer
    that gives up (exits, rejects, disconnects, throws) unless an event of a socket client opened in a
    function around it clears it first: the bound of the wait for the server's answer, on the timer."""
    if len(call.args) < 2:
        return
    callback = unwrap(call.arg(0))
    if callback is None or callback.type not in FUNCTION_TYPES:
        return
    if not any(n.type == "throw_statement" or n.type == "call_expression" and
               _GIVE_UP_JS2.search(dotted(n.child_by_field_name("function")) or "") for n in descendants(callback)):
        return
    holder = call.node.parent
    while holder is not None and holder.type in ("parenthesized_expression", "as_expression"):
        holder = holder.parent
    if holder is None or holder.type != "variable_declarator":
        return
    handle = ts.text(holder.child_by_field_name("name"))
    outer = None
    for parent in ts.ancestors(call.node):
        if parent.type in FUNCTION_TYPES:
            outer = parent
    if outer is None:
        return
    nodes = list(descendants(outer))
    sockets = set()
    for node in nodes:
        if node.type != "variable_declarator":
            continue
        value = unwrap(node.child_by_field_name("value"))
        while value is not None and value.type == "await_expression" and value.named_children:
            value = unwrap(value.named_children[0])
        if value is None:
            continue
        if value.type == "call_expression":
            callee = dotted(value.child_by_field_name("function")) or ""
            if not (_SOCKET_MAKER_JS2.search(callee) or ctx.qualify(callee).startswith("socket.io-client")):
                continue
        elif value.type == "new_expression":
            if (dotted(value.child_by_field_name("constructor")) or "").split(".")[-1] not in ("WebSocket", "Socket"):
                continue
        else:
            continue
        sockets.add(ts.text(node.child_by_field_name("name")))
    if not sockets:
        return
    for node in nodes:
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        name = dotted(fn) or ""
        if "." not in name or name.rsplit(".", 1)[1] not in ("on", "once") or name.rsplit(".", 1)[0] not in sockets:
            continue
        args = node.child_by_field_name("arguments")
        handler = unwrap(args.named_children[-1]) if args is not None and args.named_children else None
        if handler is not None and handler.type in FUNCTION_TYPES and any(
                n.type == "call_expression" and dotted(n.child_by_field_name("function")) == "clearTimeout"
                and n.child_by_field_name("arguments") is not None
                and ts.text(n.child_by_field_name("arguments")).strip("() ") == handle
                for n in descendants(handler)):
            _emit(ctx, call.node, call.arg(1), taken)
            return


def _stream_idle_js2(ctx: FileContext, call, taken) -> None:
    """`const addTimeoutToStream = (stream, ms, msg) => { let t = setTimeout(() => stream.destroy(new
    Error(msg)), ms); stream.on('data', () => { clearTimeout(t); t = setTimeout(..., ms) }) }` (round 14,
    lido-keys-api: a database read stream): a stream handed in is destroyed after `ms` without data,
    re-armed on each chunk; an inactivity bound on the read (the helper's callers hand the ms)."""
    if len(call.args) < 2:
        return
    callback = unwrap(call.arg(0))
    fn = enclosing_function(call.node)
    if callback is None or callback.type not in FUNCTION_TYPES or fn is None:
        return
    outer = fn
    for parent in ts.ancestors(call.node):
        if parent.type in FUNCTION_TYPES and parent != callback:
            outer = parent  # the helper itself, when the timer is re-armed in a nested handler
    holder = outer.child_by_field_name("parameters") or outer.child_by_field_name("parameter")
    params = {ts.text(n) for n in ([holder, *descendants(holder)] if holder is not None else []) if n.type == "identifier"}
    destroyed = {c.callee.rsplit(".", 1)[0] for c in ctx.calls_in(callback)
                 if c.callee.endswith(".destroy") or c.callee.endswith(".emit") and c.args and
                 ts.text(unwrap(c.args[0])).strip("'\"`") == "error"} & params
    if not destroyed:
        return
    text = ts.text(outer)
    if not any(re.search(re.escape(s) + r"\s*\.\s*on\(\s*['\"]data['\"]", text) for s in destroyed):
        return
    line = call.node.start_point[0] + 1
    if any(f.kind == "timeout" and f.line in range(outer.start_point[0] + 1, outer.end_point[0] + 2)
           and f.detector == ID for f in ctx.findings):
        return  # the first arming only, not the re-arming in the data handler
    _emit(ctx, call.node, call.arg(1), taken)
    ctx.findings[-1].attributes["phase"] = "idle" if ctx.findings and ctx.findings[-1].line == line else \
        ctx.findings[-1].attributes.get("phase")


def _timer_factories_js2(ctx: FileContext, taken) -> None:
    """(round 13) `export function rejectAfter(ms: number) { return new Promise((_, reject) =>
    setTimeout(() => reject(new Error("timed out")), ms)) }`: a function whose promise rejects from its
    timer after its own parameter is what a race elsewhere bounds its work with (`Promise.race([call,
    rejectAfter(5000)])`). The timer's ms is the parameter: a finding on the timer that names it makes
    the function a helper (wrapper_call publishes `rejectAfter.$timeout_param:0`), so each call of it
    in another file passing a number is proposed with that number; the finding itself is a forwarder
    (kept only when the parameter has a default: rule a)."""
    text = ctx.data.decode("utf-8", "replace")
    for name, fn in {id(v): (k, v) for k, v in ctx.functions.items()}.values():
        if fn.type not in FUNCTION_TYPES:
            continue
        exported = any(a.type == "export_statement" for a in ts.ancestors(fn)) or re.search(
            rf"export\s*\{{[^}}]*\b{re.escape(name)}\b|module\.exports\b[^;]*\b{re.escape(name)}\b|"
            rf"exports\.{re.escape(name)}\b", text)
        if not exported:
            continue  # a factory of this file alone: its races read it where they are (_factory_timer)
        body = unwrap(fn.child_by_field_name("body"))
        if body is None:
            continue
        promise = body if body.type == "new_expression" else next(
            (unwrap(n.named_children[0]) for n in descendants(body, stop_at_functions=True)
             if n.type == "return_statement" and n.named_children), None)
        executor = _new_promise_executor(promise)
        ms = unwrap(_rejecting_timer(executor)) if executor is not None else None
        if ms is None or ms.type != "identifier":
            continue
        params = fn.child_by_field_name("parameters")
        names = [ts.text(p.child_by_field_name("pattern") or p.child_by_field_name("left") or p)
                 for p in (params.named_children if params is not None else [])]
        if ts.text(ms) not in names:
            continue
        settle = executor.child_by_field_name("parameters") or executor.child_by_field_name("parameter")
        allowed = {*_TIMERS, "clearTimeout", *(ts.text(p) for p in (
            [settle] if settle is not None and settle.type == "identifier" else
            settle.named_children if settle is not None else []))}
        calls = [n for n in descendants(executor) if n.type == "call_expression"]
        if any(dotted(n.child_by_field_name("function")) not in allowed for n in calls):
            continue  # the promise does work of its own (`fetch(...)` under the timer): read by _executor_timer
        timer = next((n for n in calls if dotted(n.child_by_field_name("function")) in _TIMERS), None)
        if timer is not None:
            _emit(ctx, timer, ms, taken)


_ELAPSED = re.compile(r"^(?:Date\.now\(\)|performance\.now\(\)|new Date\(\)\.getTime\(\))\s*-\s*[\w$.?]+$")


def _elapsed_checks(ctx: FileContext, taken) -> None:
    """`if (Date.now() - startedAt > env.CHAT_API_TIMEOUT) throw new ORPCError("TIMEOUT", ...)`: a
    budget checked by hand between steps, given up on with a timeout error (on the comparison)."""
    for node in descendants(ctx.tree.root_node):
        if node.type != "if_statement" or b".now()" not in node.text:
            continue
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None:
            continue
        throws = [n for n in [consequence, *descendants(consequence, stop_at_functions=True)]
                  if n.type == "throw_statement"]
        if not throws or not any(_TIMED_OUT.search(ts.text(t)) for t in throws) or _in_poll(node):
            continue
        for comparison in [condition, *descendants(condition)]:
            if comparison.type != "binary_expression" or \
                    ts.text(comparison.child_by_field_name("operator")) not in (">", ">="):
                continue
            left = unwrap(comparison.child_by_field_name("left"))
            if left is None or not _ELAPSED.match(re.sub(r"\s+", " ", ts.text(left)).strip()):
                continue
            _emit(ctx, comparison, comparison.child_by_field_name("right"), taken)
            break


_NOW = re.compile(r"^(?:Date\.now\(\)|performance\.now\(\)|new Date\(\)\.getTime\(\)|Number\(new Date\(\)\)|\+new Date\(\))$")
_ENDS_WAIT = re.compile(r"(^|\.)(resolve|reject|end|abort|destroy|close|cancel)$")


def _idle_watchdogs(ctx: FileContext, taken) -> None:
    """`const check = setInterval(() => { const diffMs = Number(new Date()) - lastChunkTime; if (diffMs >=
    timeoutThresholdMs) { ...; clearInterval(check); resolve(fullText) } }, 500)` (round 12, AnythingLLM's
    provider streams): a stream given up on after no chunk for that long, an idle bound checked by hand
    (on the comparison). The check must stop the interval and end the wait (resolve / end / abort);
    a sweep deleting old entries is no bound on a call."""
    for call in ctx.calls:
        if call.callee not in ("setInterval", "globalThis.setInterval") or call.arg(0) is None:
            continue
        callback = unwrap(call.arg(0))
        if callback.type not in FUNCTION_TYPES:
            continue
        stamps: dict[str, str] = {}  # locals of the callback: name -> the text of their value
        for node in descendants(callback, stop_at_functions=True):
            if node.type == "variable_declarator" and node.child_by_field_name("value") is not None:
                stamps[ts.text(node.child_by_field_name("name"))] = re.sub(
                    r"\s+", " ", ts.text(unwrap(node.child_by_field_name("value")))).strip()

        def elapsed(node) -> bool:
            node = unwrap(node)
            if node is None:
                return False
            if node.type == "identifier" and ts.text(node) in stamps:
                text = stamps[ts.text(node)]
            else:
                text = re.sub(r"\s+", " ", ts.text(node)).strip()
            head, sep, _rest = text.partition(" - ")
            return bool(sep) and bool(_NOW.match(head) or head in stamps and _NOW.match(stamps[head]))

        for branch in descendants(callback, stop_at_functions=True):
            if branch.type != "if_statement":
                continue
            condition, consequence = branch.child_by_field_name("condition"), branch.child_by_field_name("consequence")
            if condition is None or consequence is None:
                continue
            names = [dotted(n.child_by_field_name("function")) for n in descendants(consequence, stop_at_functions=True)
                     if n.type == "call_expression"]
            if "clearInterval" not in names or not any(_ENDS_WAIT.search(n) for n in names if n):
                continue
            for comparison in [condition, *descendants(condition)]:
                if comparison.type == "binary_expression" and \
                        ts.text(comparison.child_by_field_name("operator")) in (">", ">=") and \
                        elapsed(comparison.child_by_field_name("left")):
                    _emit(ctx, comparison, comparison.child_by_field_name("right"), taken)
                    break


def _in_poll(node: ts.Node) -> bool:
    """The check sits in a loop that waits between passes: a poll's give-up time (waiting for a
    remote job to finish), not a budget on work this code does."""
    for loop in ts.ancestors(node):
        if loop.type in FUNCTION_TYPES:
            return False
        if loop.type in ("while_statement", "do_statement", "for_statement", "for_in_statement"):
            body = loop.child_by_field_name("body")
            return body is not None and any(
                n.type == "call_expression" and re.search(r"(?i)sleep|delay|wait|setTimeout|pause|^timer$",
                                                          dotted(n.child_by_field_name("function")).rsplit(".", 1)[-1])
                for n in descendants(body, stop_at_functions=True))
    return False


_TIMED_OUT = re.compile(r"(?i)\btime[sd]?\s*-?out|\btimed\s*out\b|ETIMEDOUT")


def _callback_timer(ctx: FileContext, call, taken) -> None:
    """`timeout_id = setTimeout(() => callback(DENYSOFT, 'plugin timeout'), item.timeout * 1000)`:
    callback-style code giving up on the work it started, from a timer that calls the caller's
    callback (a parameter of a function around it) with a timeout error."""
    if len(call.args) < 2 or (call.node.start_point[0] + 1, "timeout") in taken:
        return
    callback = unwrap(call.arg(0))
    if callback is None or callback.type not in FUNCTION_TYPES:
        return
    params: set[str] = set()  # the callbacks in reach: parameters, and completion functions declared around
    for fn in ts.ancestors(call.node):
        if fn.type in FUNCTION_TYPES:
            holder = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
            if holder is not None:
                params |= {ts.text(n) for n in [holder, *descendants(holder)] if n.type == "identifier"}
            body = fn.child_by_field_name("body")
            for stmt in (body.named_children if body is not None else []):
                if stmt.type == "function_declaration" and stmt.child_by_field_name("name") is not None:
                    params.add(ts.text(stmt.child_by_field_name("name")))
    for node in descendants(callback):
        if node.type != "call_expression":
            continue
        name = dotted(node.child_by_field_name("function"))
        if name not in params or name in ("resolve", "reject", "res", "rej"):
            continue
        args = node.child_by_field_name("arguments")
        # the error it hands over: a message or an error made with one (never a comment or the
        # body of a function handed along)
        said = [ts.text(n) for a in (args.named_children if args is not None else []) if a.type not in FUNCTION_TYPES
                for n in [a, *descendants(a, stop_at_functions=True)] if n.type in ("string", "template_string")]
        if any(_TIMED_OUT.search(text) for text in said):
            _emit(ctx, call.node, call.arg(1), taken)
            return
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if all(ts.text(a) in ("null", "undefined") for a in given) and _reply_timer(ctx, call):
            # `const timer = setTimeout(() => { callback(); ... }, 60000)` beside a message sent out
            # and a reply handler clearing the timer: the caller hears nothing after the bound
            _emit(ctx, call.node, call.arg(1), taken)
            return


def _pending_map_timer_r21js1(ctx: FileContext, call, taken) -> None:
    """(round 21, js1) `map[corrID].to = setTimeout(callbackError, timeout, corrID); rpcExc.publish(to, {method,
    args, corrID, replyTo})` with `const callbackError = (id) => { Object.keys(map[id].fn).forEach((k) => {
    map[id].fn[k]('timeout') }) }` (Licode's AMQP RPC layers): a request-reply over a queue whose pending
    callbacks, kept in a map by correlation id, hear a timeout error from the timer armed as the request goes
    out. The timer's callback (inline, or a function of this file) calls a stored callback (a member or an
    element, not a name) with a timeout message, and the function arming it sends something out."""
    if len(call.args) < 2 or (call.node.start_point[0] + 1, "timeout") in taken:
        return
    callback = unwrap(call.arg(0))
    if callback is not None and callback.type == "identifier":
        callback = ctx.functions.get(ts.text(callback))
    if callback is None or callback.type not in FUNCTION_TYPES:
        return
    stored = False
    for node in descendants(callback):
        if node.type != "call_expression":
            continue
        fn_node = unwrap(node.child_by_field_name("function"))
        if fn_node is None or fn_node.type not in ("subscript_expression", "member_expression"):
            continue
        args = node.child_by_field_name("arguments")
        said = [ts.text(a) for a in (args.named_children if args is not None else []) if a.type == "string"]
        if any(_TIMED_OUT.search(text) for text in said) and "[" in ts.text(fn_node):
            stored = True
            break
    if not stored:
        return
    scope = enclosing_function(call.node)
    if scope is None or not _sends(ctx, scope, exclude=(), remote_receivers=True):
        return
    _emit(ctx, call.node, call.arg(1), taken)


def _reply_timer(ctx: FileContext, call) -> bool:
    """The timer's handle is cleared elsewhere in its function (by the reply) and the function sends
    something out: a request whose answer the timer stops waiting for."""
    holder = call.node.parent
    while holder is not None and holder.type in ("parenthesized_expression", "as_expression"):
        holder = holder.parent
    if holder is None or holder.type != "variable_declarator":
        return False
    handle = ts.text(holder.child_by_field_name("name"))
    fn = enclosing_function(call.node)
    if fn is None:
        return False
    cleared = any(c.callee == "clearTimeout" and c.args and ts.text(unwrap(c.args[0])) == handle
                  for c in ctx.calls_in(fn))
    return cleared and _sends(ctx, fn, exclude=(), remote_receivers=True)


def _emit(ctx: FileContext, node: ts.Node, value: ts.Node, taken) -> None:
    line = node.start_point[0] + 1
    if (line, "timeout") in taken:
        return
    value = unwrap(value)
    if value is None or ts.text(value) in ("0", "undefined", "null", "Infinity"):
        return
    taken.add((line, "timeout"))
    attrs, confidence, pending = ctx.timeout_value(value)
    attrs["phase"] = "total"
    attrs["scope"] = "call"
    attrs["mechanism"] = "deadline"
    ctx.finding("timeout", node, ID, attrs, confidence, None, pending)


def _rejects(callback: ts.Node | None, reject: str | None) -> bool:
    """The timer's callback rejects the promise (`reject(...)`) or throws."""
    callback = unwrap(callback)
    if callback is None:
        return False
    if reject and callback.type == "identifier":
        if ts.text(callback) == reject:
            return True  # `setTimeout(reject, ms)`
        from extractors.javascript.rerun_shapes_js1r22 import local_rejecter  # (round 22, js1) a named local
        return local_rejecter(callback, reject)
    if callback.type not in FUNCTION_TYPES:
        return False
    for node in descendants(callback):
        if node.type == "throw_statement":
            return True
        if reject and node.type == "call_expression":
            if dotted(node.child_by_field_name("function")) == reject:
                return True
            args = node.child_by_field_name("arguments")
            # `finish(reject, new Error("timed out"))`: handed to a helper that settles with it
            if args is not None and any(a.type == "identifier" and ts.text(a) == reject for a in args.named_children):
                return True
    return False


_TEARDOWNS = {"destroy", "abort", "end", "terminate", "close"}


def _reruns_enclosing_js1(callback: ts.Node | None, promise: ts.Node) -> bool:
    """`setTimeout(() => { resolve(makeRequest(req, retries - 1)) }, 500)` in `makeRequest`'s own promise
    (round 14, js1: snyk broker's downstream requests): the timer runs the enclosing function again, a
    retry's delay before the next try, not a bound on the wait."""
    callback = unwrap(callback)
    outer = enclosing_function(promise)
    if callback is None or callback.type not in FUNCTION_TYPES or outer is None:
        return False
    name_node = outer.child_by_field_name("name")
    if name_node is None and outer.parent is not None and outer.parent.type == "variable_declarator":
        name_node = outer.parent.child_by_field_name("name")
    if name_node is None and outer.parent is not None and outer.parent.type == "assignment_expression":
        # (round 21, js1) `this.disableTrigger = function (id, trigger, retryCount) {...}` re-called as
        # `utilsDB.disableTrigger(id, trigger, retryCount + 1)` from the timer (OpenWhisk's providers)
        left = outer.parent.child_by_field_name("left")
        name_node = left.child_by_field_name("property") if left is not None and left.type == "member_expression" \
            else None
    name = ts.text(name_node) if name_node is not None else ""
    if not name:
        return False
    return any(node.type == "call_expression" and dotted(node.child_by_field_name("function")).rsplit(".", 1)[-1] == name
               for node in descendants(callback))


def _tears_down(callback: ts.Node | None, resolve: str | None) -> bool:
    """`setTimeout(() => { socket.destroy(); resolve(null); }, 3000)`: the timer gives up on the
    connection it is waiting on and settles the promise with what stands for no answer."""
    callback = unwrap(callback)
    if callback is None or not resolve or callback.type not in FUNCTION_TYPES:
        return False
    settles = torn = False
    for node in descendants(callback):
        if node.type != "call_expression":
            continue
        fn = dotted(node.child_by_field_name("function"))
        if fn == resolve:
            settles = True
        elif fn and "." in fn and fn.rsplit(".", 1)[-1] in _TEARDOWNS and \
                not _LOCAL_RECEIVERS.search(fn.rsplit(".", 1)[0]):
            torn = True
    return settles and torn


def _gives_up_waiting(ctx: FileContext, timer, executor: ts.Node, resolve: str | None) -> bool:
    """`setTimeout(() => { log.warn("no 'end' came"); resolveDc() }, CONNECT_TIMEOUT_MS); client.disconnect(reason,
    () => { clearTimeout(t); resolveDc() })` (round 11): the timer settles the promise the reply's callback
    (handed to another party's method) settles too: it stops waiting for that reply. Not a sleep (nothing
    else settles it)."""
    callback = unwrap(timer.arg(0))
    if not resolve or callback is None or callback.type not in FUNCTION_TYPES or not _settles_in(callback, (resolve,)):
        return False
    for call in ctx.calls_in(executor):
        if call.node == timer.node or call.callee in _TIMERS or "." not in call.callee or \
                _LOCAL_RECEIVERS.search(call.receiver) or _ITERATION.match(call.name):
            continue
        if any(_settles_in(a, (resolve,)) for a in call.args):
            return True
    return False


def _deferred(ctx: FileContext, call) -> str | None:
    """`const defer = promiseutil.defer()` (a deferred: `defer.promise`, `defer.resolve`, `defer.reject`) in the
    function around the timer: its name."""
    scope = enclosing_function(call.node)
    if scope is None:
        return None
    for node in descendants(scope, stop_at_functions=True):
        if node.type != "variable_declarator":
            continue
        value, name = unwrap(node.child_by_field_name("value")), node.child_by_field_name("name")
        if value is not None and value.type == "as_expression" and value.named_children:
            value = unwrap(value.named_children[0])
        if value is None or name is None or name.type != "identifier" or value.type != "call_expression":
            continue
        if re.fullmatch(r"(?:[\w$]+\.)*(?:defer|deferred|createDeferred|makeDeferred)",
                        dotted(value.child_by_field_name("function")) or "", re.I):
            return ts.text(name)
    return None


def _executor_params(fn: ts.Node) -> tuple[str | None, str | None]:
    """(resolve, reject) names of a promise executor `(resolve, reject) => ...`."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return None, None
    if params.type == "identifier":
        return ts.text(params), None
    names = []
    for param in params.named_children:
        pattern = param.child_by_field_name("pattern") or param
        names.append(ts.text(pattern) if pattern.type == "identifier" else None)
    return (names[0] if names else None), (names[1] if len(names) > 1 else None)


def _new_promise_executor(node: ts.Node | None) -> ts.Node | None:
    node = unwrap(node)
    if node is None or node.type != "new_expression" or dotted(node.child_by_field_name("constructor")) != "Promise":
        return None
    args = node.child_by_field_name("arguments")
    first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
    return first if first is not None and first.type in FUNCTION_TYPES else None


def _rejecting_timer(executor: ts.Node) -> ts.Node | None:
    """The ms of the executor's own `setTimeout(() => reject(...), ms)` (not one in a nested function
    other than the timer's callback)."""
    _resolve, reject = _executor_params(executor)
    for args in _own_timers(executor):
        if len(args) >= 2 and _rejects(args[0], reject):
            return args[1]
    return None


def _own_timers(executor: ts.Node):
    """The arguments of each `setTimeout(...)` the executor itself calls (not a nested function)."""
    for node in descendants(executor):
        if node.type != "call_expression" or dotted(node.child_by_field_name("function")) not in _TIMERS:
            continue
        if enclosing_function(node) != executor:
            continue
        yield [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]


def _sentinel_timer(executor: ts.Node) -> ts.Node | None:
    """The ms of the executor's `setTimeout(() => resolve(null), ms)`: it settles with a value the
    caller tells from the work's answer (a bare `setTimeout(resolve, ms)` is a pause)."""
    resolve, _reject = _executor_params(executor)
    if not resolve:
        return None
    for args in _own_timers(executor):
        callback = unwrap(args[0]) if args else None
        if len(args) < 2 or callback is None or callback.type not in FUNCTION_TYPES:
            continue
        for inner in descendants(callback):
            if inner.type == "call_expression" and dotted(inner.child_by_field_name("function")) == resolve:
                given = inner.child_by_field_name("arguments")
                if given is not None and given.named_children:
                    return args[1]
    return None


def _timer_promise(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    """The ms of a timer promise: a `new Promise` rejecting (or settling with a sentinel) from its
    own timer, or `setTimeout(ms, sentinel)` of `timers/promises`."""
    node = unwrap(node)
    if node is None:
        return None
    executor = _new_promise_executor(node)
    if executor is not None:
        return _rejecting_timer(executor) or _sentinel_timer(executor)
    if node.type == "call_expression":
        callee = ctx.qualify(dotted(node.child_by_field_name("function")))
        args = node.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if callee in ("timers/promises.setTimeout", "node:timers/promises.setTimeout") and len(given) >= 2:
            return given[0]
    return None


def _timer_of(ctx: FileContext, element: ts.Node, site: ts.Node) -> ts.Node | None:
    """The ms of a race element that is a rejecting (or sentinel) timer, else None."""
    element = unwrap(element)
    if element is None:
        return None
    if element.type == "await_expression" and element.named_children:
        element = unwrap(element.named_children[0])
    found = _timer_promise(ctx, element)
    if found is not None:
        return found
    if element.type == "identifier":
        return _timer_promise(ctx, ctx.local_value(ts.text(element), site))
    if element.type == "call_expression":
        made = _factory_timer(ctx, element)
        if made is not None:
            return made
    if element.type == "call_expression":
        fn = unwrap(element.child_by_field_name("function"))
        # `sleep(ms).then(() => { throw new Error("timeout") })`
        if fn is not None and fn.type == "member_expression" and ts.text(fn.child_by_field_name("property")) == "then":
            inner = unwrap(fn.child_by_field_name("object"))
            args = element.child_by_field_name("arguments")
            handler = args.named_children[0] if args is not None and args.named_children else None
            if inner is not None and inner.type == "identifier":
                inner = unwrap(ctx.local_value(ts.text(inner), site))  # `const timeout = delay(9000)`
            if inner is not None and inner.type == "call_expression" and (_rejects(handler, None) or
                                                                         _returns_value(handler)):
                name = dotted(inner.child_by_field_name("function")).rsplit(".", 1)[-1]
                inner_args = inner.child_by_field_name("arguments")
                first = inner_args.named_children[0] if inner_args is not None and inner_args.named_children else None
                if _SLEEPS.match(name) and first is not None:
                    return first
    return None


def _returns_value(handler: ts.Node | None) -> bool:
    """`() => ({ status: "timeout" })`: the sleep settles with a sentinel the caller tells apart."""
    handler = unwrap(handler)
    if handler is None or handler.type not in FUNCTION_TYPES:
        return False
    body = unwrap(handler.child_by_field_name("body"))
    return body is not None and body.type in ("object", "string", "number", "true", "false", "null")


def _factory_timer(ctx: FileContext, call: ts.Node) -> ts.Node | None:
    """`createTimeoutPromise(TIMEOUT)` / `timeout(ms, name)` where this file's function returns a
    promise rejecting from its timer after its parameter: the ms handed to it."""
    name = dotted(call.child_by_field_name("function"))
    fn = ctx.functions.get(name) if "." not in name else None
    if fn is None:
        for decl in ctx.nodes_of("variable_declarator"):
            if ts.text(decl.child_by_field_name("name")) == name:
                value = unwrap(decl.child_by_field_name("value"))
                if value is not None and value.type in FUNCTION_TYPES and inside(call, enclosing_function(decl) or ctx.tree.root_node):
                    fn = value
                    break
    if fn is None:
        return None
    body = unwrap(fn.child_by_field_name("body"))
    promise = body if body is not None and body.type == "new_expression" else next(
        (unwrap(n.named_children[0]) for n in descendants(body, stop_at_functions=True)
         if n.type == "return_statement" and n.named_children), None) if body is not None else None
    executor = _new_promise_executor(promise)
    ms = _rejecting_timer(executor) if executor is not None else None
    if ms is None and executor is not None:
        # (round 18, js1) `const failOver = () => new Promise((resolve) => { setTimeout(() => resolve(false),
        # CONNECTION_TIMEOUT) })` raced by `Promise.race([onConnected(), failOver()])` (bbb-webrtc-sfu): a timer
        # settling with a sentinel the caller tells from the work's answer, made by a factory
        ms = _sentinel_timer(executor)
    if ms is None:
        return None
    ms = unwrap(ms)
    params = fn.child_by_field_name("parameters")
    names = []
    for param in (params.named_children if params is not None else []):
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
        names.append(ts.text(pattern) if pattern is not None and pattern.type == "identifier" else "")
    if ms.type == "identifier" and ts.text(ms) in names:
        args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
        index = names.index(ts.text(ms))
        return args[index] if index < len(args) else None
    return ms


def _is_timer_like(element: ts.Node) -> bool:
    """A bare sleep (`sleep(100)`, `new Promise(r => setTimeout(r, ms))`): not work being waited on."""
    element = unwrap(element)
    if element is None:
        return True
    if element.type == "call_expression":
        name = dotted(element.child_by_field_name("function")).rsplit(".", 1)[-1]
        return bool(_SLEEPS.match(name))
    return _new_promise_executor(element) is not None


_LOCAL_WORK = re.compile(r"^(close|stop|end|destroy|shutdown|dispose|terminate|kill|wait\w*|run|render|compute\w*|"
                         r"calculate\w*|parse\w*|import)$", re.I)


def _assigned_connection(ctx: FileContext, name: str) -> bool:
    """A variable the file sets to a client's connect call (`p = client.connect().catch(log)`)."""
    for assign in ctx.nodes_of("assignment_expression", "variable_declarator"):
        left = assign.child_by_field_name("left") or assign.child_by_field_name("name")
        right = unwrap(assign.child_by_field_name("right") or assign.child_by_field_name("value"))
        if left is None or ts.text(left) != name:
            continue
        while right is not None and right.type == "call_expression":
            fn = unwrap(right.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression":
                break
            prop = ts.text(fn.child_by_field_name("property"))
            if prop in ("then", "catch", "finally"):
                right = unwrap(fn.child_by_field_name("object"))
                continue
            if prop in ("connect", "open") and not _LOCAL_RECEIVERS.match(dotted(fn.child_by_field_name("object"))):
                return True
            break
    return False


def _work(ctx: FileContext, element: ts.Node, site: ts.Node) -> bool:
    """The raced work is a call this code names (`fetch(url)`, `db.raw(sql)`, `const p = client.get(k)`),
    not whatever a helper was handed (`withTimeout(promise, ms)`, `fn(...args)`) nor shutting something
    down (`node.close()`)."""
    element = unwrap(element)
    if element is not None and element.type == "await_expression" and element.named_children:
        element = unwrap(element.named_children[0])
    if element is not None and element.type == "identifier":
        element = unwrap(ctx.local_value(ts.text(element), site))
    if element is not None and element.type == "member_expression" and \
            unwrap(element.child_by_field_name("object")) is not None and \
            unwrap(element.child_by_field_name("object")).type == "identifier":
        # `connection.client` of `const connection = new RedisConnection(opts)`: a client's pending
        # connection, made here
        made = unwrap(ctx.local_value(ts.text(unwrap(element.child_by_field_name("object"))), site))
        if made is not None and made.type == "await_expression" and made.named_children:
            made = unwrap(made.named_children[0])
        return made is not None and made.type == "new_expression" and \
            not dotted(made.child_by_field_name("constructor")).startswith(("Promise", "Map", "Set", "Array"))
    if element is not None and element.type == "ternary_expression":
        # `content ? Promise.resolve(null) : safeFetch(url)`: the branch that does the work
        return any(_work(ctx, element.child_by_field_name(side), site) for side in ("consequence", "alternative")
                   if element.child_by_field_name(side) is not None and
                   unwrap(element.child_by_field_name(side)).type == "call_expression" and
                   not dotted(unwrap(element.child_by_field_name(side)).child_by_field_name("function")).startswith("Promise."))
    if element is not None and element.type == "await_expression" and element.named_children:
        element = unwrap(element.named_children[0])
    executor = _new_promise_executor(element)
    if executor is not None:
        # `const connectionPromise = new Promise(async (resolve) => { await pgClient.connect(); ... })`
        # (round 12): a promise whose executor sends something out is the work raced
        return _rejecting_timer(executor) is None and _sentinel_timer(executor) is None and \
            (_sends(ctx, executor, exclude=()) or _package_callback_js1(ctx, executor))
    if element is None or element.type != "call_expression":
        return False
    fn = unwrap(element.child_by_field_name("function"))
    callee = dotted(fn)
    while fn is not None and fn.type == "member_expression" and \
            ts.text(fn.child_by_field_name("property")) in ("then", "catch", "finally"):
        inner = unwrap(fn.child_by_field_name("object"))  # `client.get(k).then(parse)`
        if inner is not None and inner.type == "identifier":
            # `initialConnectPromise.then(...)` of `initialConnectPromise = client.connect().catch(...)`
            # elsewhere in the file (round 10): the pending connection that call started
            return _assigned_connection(ctx, ts.text(inner))
        if inner is None or inner.type != "call_expression":
            return False
        fn = unwrap(inner.child_by_field_name("function"))
        callee = dotted(fn)
    head, name = callee.split(".", 1)[0], callee.rsplit(".", 1)[-1]
    if _LOCAL_WORK.match(name) or callee in ("Promise.resolve", "Promise.reject"):
        return False  # (`Promise.resolve(value)`: a value already there, no work)
    for parent in ts.ancestors(site) if "." not in callee else ():
        if parent.type in FUNCTION_TYPES:
            params = parent.child_by_field_name("parameters") or parent.child_by_field_name("parameter")
            if params is not None and re.search(r"(?<![\w$.])" + re.escape(head) + r"(?![\w$])", ts.text(params)):
                return False  # `fn(job)`: a function the caller hands in
    return True


def _package_callback_js1(ctx: FileContext, executor: ts.Node) -> bool:
    """(round 18, js1) `new Promise((resolve, reject) => { mediaServerClient(url, options, (error, client) => {
    if (error) return reject(error); resolve(client) }) })` (bbb-webrtc-sfu's Kurento connect): the executor
    hands a function a package exports (not the project's own) a callback that settles the promise: the
    package's reply is the work raced."""
    resolve, reject = _executor_params(executor)
    settles = tuple(n for n in (resolve, reject) if n)
    if not settles:
        return False
    for call in ctx.calls_in(executor):
        head = call.callee.split(".", 1)[0]
        if "." in call.callee or head not in ctx.imports or ctx.shadowed(head, call.node) or \
                ctx.imports[head].startswith(".") or ctx._project_import_js1(head):
            continue
        if any(_settles_in(a, settles) for a in call.args):
            return True
    return False


def _param_names(site: ts.Node) -> set[str]:
    for parent in ts.ancestors(site):
        if parent.type in FUNCTION_TYPES:
            params = parent.child_by_field_name("parameters") or parent.child_by_field_name("parameter")
            return set(re.findall(r"[A-Za-z_$][\w$]*", ts.text(params))) if params is not None else set()
    return set()


def _helper(ctx: FileContext, element: ts.Node, ms: ts.Node, site: ts.Node) -> bool:
    """`withTimeout(promise, timeoutMs)`: a helper racing what it is handed against the ms it is
    handed: reported here with the parameter, so that its callers' values reach their calls (see
    wrapper_call). A constant budget around handed-in work (`Promise.race([fn(job), JOB_TIMEOUT])`)
    is a job's, not a call's."""
    params = _param_names(site)
    element, ms = unwrap(element), unwrap(ms)
    if element is None or ms is None or ms.type != "identifier" or ts.text(ms) not in params:
        return False
    if element.type == "identifier":
        return ts.text(element) in params
    if element.type == "call_expression":
        return dotted(element.child_by_field_name("function")).split(".", 1)[0] in params
    return False


def _result_used(node: ts.Node) -> bool:
    """The race's answer is kept (`const client = await Promise.race(...)`, returned): the caller
    tells the work's answer from the pause's empty one."""
    parent = node.parent
    while parent is not None and parent.type in ("await_expression", "parenthesized_expression", "as_expression"):
        parent = parent.parent
    return parent is not None and parent.type in ("variable_declarator", "assignment_expression", "return_statement",
                                                  "arrow_function")


def _fixed_helper(element: ts.Node, ms: ts.Node, site: ts.Node) -> bool:
    """`withTimeout(maybeSlow) { return Promise.race([timer(this.cacheTimeoutMs), maybeSlow]) }`: a
    helper racing the promise it is handed against a bound of its own (a field, a constant, a
    setting; not a parameter): that bound is the deadline of every call through it."""
    params = _param_names(site)
    element, ms = unwrap(element), unwrap(ms)
    if element is None or ms is None or element.type != "identifier" or ts.text(element) not in params:
        return False
    return not any(re.search(r"(?<![\w$.])" + re.escape(p) + r"(?![\w$])", ts.text(ms)) for p in params)


def _pause_of(ctx: FileContext, element: ts.Node, site: ts.Node) -> ts.Node | None:
    """The ms of a pause: `new Promise(r => setTimeout(r, ms))` (also assigned within the arrow,
    `r => (this.t = setTimeout(r, ms))`), a local holding one, or `sleep(ms)` / `delay(ms)`."""
    element = unwrap(element)
    if element is not None and element.type == "identifier":
        element = unwrap(ctx.local_value(ts.text(element), site))
    if element is None:
        return None
    executor = _new_promise_executor(element)
    if executor is not None:
        resolve, _reject = _executor_params(executor)
        for node in descendants(executor):
            if node.type == "call_expression" and dotted(node.child_by_field_name("function")) in _TIMERS:
                args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
                if len(args) >= 2 and resolve and ts.text(unwrap(args[0])) == resolve:
                    return args[1]
        return None
    if element.type == "call_expression":
        name = dotted(element.child_by_field_name("function")).rsplit(".", 1)[-1]
        args = element.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if _SLEEPS.match(name) and name.lower() != "timeout" and len(given) == 1:
            return given[0]
    return None


def _budget(ctx: FileContext, element: ts.Node, ms: ts.Node, site: ts.Node) -> bool:
    """`Promise.race([handler(url, request), createTimeoutPromise(TIMEOUT)])`, `Promise.race([fn(job),
    timeoutPromise])` with a constant or configured ms: the budget of a handler or a job, whatever
    work it was handed (not a helper's parameter: see _helper)."""
    params = _param_names(site)
    element, ms = unwrap(element), unwrap(ms)
    if element is None or ms is None or (ms.type == "identifier" and ts.text(ms) in params):
        return False
    if element.type == "identifier":  # `const work = handler(input, ctx); Promise.race([work, timeout])`
        element = unwrap(ctx.local_value(ts.text(element), site))
        if element is not None and element.type == "await_expression" and element.named_children:
            element = unwrap(element.named_children[0])
        if element is None:
            return False
    for parent in ts.ancestors(site):  # the work may be a parameter of a function further out
        if parent.type in FUNCTION_TYPES:
            found = parent.child_by_field_name("parameters") or parent.child_by_field_name("parameter")
            if found is not None:
                params |= set(re.findall(r"[A-Za-z_$][\w$]*", ts.text(found)))
    if element.type == "call_expression":
        name = dotted(element.child_by_field_name("function"))
        return name.split(".", 1)[0] in params and not _LOCAL_WORK.match(name.rsplit(".", 1)[-1])
    return False


def _race(ctx: FileContext, call, taken, raced: set[int]) -> None:
    array = unwrap(call.arg(0))
    if array is None or array.type != "array":
        return
    elements = [e for e in array.named_children if e.type != "comment"]
    timers = [(e, _timer_of(ctx, e, call.node)) for e in elements]
    found = [(e, ms) for e, ms in timers if ms is not None]
    pause = False
    if not found:
        # `Promise.race([connection.client, new Promise(r => setTimeout(r, ms))])`: a pause raced
        # against work ends the wait all the same (the race settles empty-handed)
        timers = [(e, _pause_of(ctx, e, call.node)) for e in elements]
        found = [(e, ms) for e, ms in timers if ms is not None]
        pause = True
        if len(found) != 1 or not _result_used(call.node):
            return  # (`await Promise.race([fetch(url), pause])` with the answer dropped: fire and forget)
    others = [e for e, ms in timers if ms is None and not _is_timer_like(e)]
    element, ms = found[0]
    if not others or not all(_work(ctx, e, call.node) or (not pause and _helper(ctx, e, ms, call.node)) or
                             _budget(ctx, e, ms, call.node) or _fixed_helper(e, ms, call.node) for e in others):
        return
    for node in descendants(element):
        if node.type == "call_expression" and dotted(node.child_by_field_name("function")) in _TIMERS:
            raced.add(node.start_byte)
    inner = unwrap(element)
    if inner is not None and inner.type == "identifier":
        value = ctx.local_value(ts.text(inner), call.node)
        for node in descendants(value) if value is not None else ():
            if node.type == "call_expression" and dotted(node.child_by_field_name("function")) in _TIMERS:
                raced.add(node.start_byte)
    _emit(ctx, call.node, ms, taken)
    from extractors.javascript.ternary_js2 import drop_raced_fetch_js2
    drop_raced_fetch_js2(ctx, call.node, ID)  # (round 20, js2) the race's bound, not again at its fetch


def _with_resolvers_reject(ctx: FileContext, call) -> str | None:
    """`const { promise, resolve, reject } = Promise.withResolvers()` in the function around the timer:
    the name of its reject."""
    scope = enclosing_function(call.node)
    if scope is None:
        return None
    for node in descendants(scope, stop_at_functions=True):
        if node.type != "variable_declarator":
            continue
        value = unwrap(node.child_by_field_name("value"))
        name = node.child_by_field_name("name")
        if value is None or name is None or value.type != "call_expression" or \
                dotted(value.child_by_field_name("function")) != "Promise.withResolvers" or name.type != "object_pattern":
            continue
        for item in name.named_children:
            if item.type == "shorthand_property_identifier_pattern" and ts.text(item) == "reject":
                return "reject"
            if item.type == "pair_pattern" and ts.text(item.child_by_field_name("key")) == "reject":
                return ts.text(item.child_by_field_name("value"))
    return None


def _executor_timer(ctx: FileContext, call, taken) -> None:
    """`new Promise((resolve, reject) => { setTimeout(() => reject(...), ms); socket.send(...) })`."""
    if len(call.args) < 2:
        return
    settle = _with_resolvers_reject(ctx, call) if b"withResolvers" in ctx.data else None
    if settle is not None and _rejects(call.arg(0), settle):
        scope = enclosing_function(call.node)
        if _sends(ctx, scope, exclude=(settle,)):
            _emit(ctx, call.node, call.arg(1), taken)
        return
    deferred = _deferred(ctx, call) if b"efer" in ctx.data else None
    if deferred is not None and _rejects(call.arg(0), f"{deferred}.reject"):
        # `const defer = promiseutil.defer(); setTimeout(() => { ...; defer.reject(err) }, JOIN_TIMEOUT_MS);
        # client.join(channel, () => defer.resolve(room))` (round 11): a deferred's reject, the reply's callback
        scope = enclosing_function(call.node)
        if _sends(ctx, scope, exclude=(f"{deferred}.reject", f"{deferred}.resolve")):
            _emit(ctx, call.node, call.arg(1), taken)
        return
    executor = enclosing_function(call.node)
    while executor is not None and _new_promise_executor(executor.parent.parent if executor.parent is not None
                                                         and executor.parent.type == "arguments" else None) is None:
        executor = enclosing_function(executor)
        if executor is None:
            return
    if executor is None:
        return
    _resolve, reject = _executor_params(executor)
    if not (reject and _rejects(call.arg(0), reject) and _rejecting_timer(executor) is not None) and \
            not _tears_down(call.arg(0), _resolve) and not _gives_up_waiting(ctx, call, executor, _resolve):
        return
    promise = executor.parent.parent
    from extractors.javascript.rerun_shapes_js1r22 import rearmed
    if rearmed(call.node, executor):
        return  # (round 22, js1) the same deadline armed again on each chunk: read at its first arming
    if _used_in_race(ctx, promise):
        return  # read at the race
    if _reruns_enclosing_js1(call.arg(0), promise):
        return  # a retry's wait before the next try (retry_loops reads the re-call), no deadline
    if _aborts_handed_signal(call.arg(0), executor):
        return  # the call the timer aborts holds the bound (a fetch's signal: read at the fetch, round 12)
    outer = enclosing_function(promise) or promise
    if not _sends(ctx, outer, exclude=(reject, _resolve)) and not _settles_handed_promise(executor, call, _resolve):
        return
    race = _raced_factory_js1(ctx, promise)
    _emit(ctx, race if race is not None else call.node, call.arg(1), taken)


def _raced_factory_js1(ctx: FileContext, promise: ts.Node) -> ts.Node | None:
    """(round 18, js1) `const failOver = () => new Promise((resolve, reject) => { setTimeout(() => {
    element.getLocalSessionDescriptor((e, d) => e ? reject(e) : resolve(d)) }, GATHERING_TIMEOUT) }); ...
    return Promise.race([handleGatheringDone, failOver()])` (bbb-webrtc-sfu's Kurento adapter): the timer's
    promise is what a local factory returns, and the factory's call is raced: the bound is the race's, read
    on the race as the file's other races are."""
    fn = enclosing_function(promise)
    if fn is None:
        return None
    body = unwrap(fn.child_by_field_name("body"))
    returned = body is not None and (body == promise or any(
        n.type == "return_statement" and n.named_children and unwrap(n.named_children[0]) == promise
        for n in descendants(body, stop_at_functions=True)))
    holder = fn.parent
    if not returned or holder is None or holder.type != "variable_declarator":
        return None
    name = ts.text(holder.child_by_field_name("name"))
    scope = enclosing_function(holder) or ctx.tree.root_node
    for race in ctx.calls_in(scope):
        array = unwrap(race.arg(0)) if race.callee == "Promise.race" else None
        if array is not None and array.type == "array" and any(
                unwrap(e) is not None and unwrap(e).type == "call_expression" and
                dotted(unwrap(e).child_by_field_name("function")) == name for e in array.named_children):
            return race.node
    return None


def _settles_handed_promise(executor: ts.Node, timer_call, resolve: str | None) -> bool:
    """`function timedFunction(prom, timeout) { return new Promise((resolve, reject) => { setTimeout(() =>
    reject(err), timeout); prom.then(resolve).catch(reject) }) }` (round 13, EmailEngine): a helper
    settling with the promise it is handed, or the timer's rejection first, bounded by a parameter
    (reported here with it, so that each call's value reaches the call, as a race helper's does)."""
    params = _param_names(executor.parent.parent) if executor.parent is not None and \
        executor.parent.parent is not None else set()
    ms = unwrap(timer_call.arg(1))
    if not params or not resolve or ms is None or ms.type != "identifier" or ts.text(ms) not in params:
        return False
    for node in descendants(executor, stop_at_functions=True):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) != "then":
            continue
        receiver = dotted(fn.child_by_field_name("object")).split(".", 1)[0]
        args = node.child_by_field_name("arguments")
        first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if receiver in params and receiver != ts.text(ms) and first is not None and \
                (ts.text(first) == resolve or first.type in FUNCTION_TYPES and resolve in ts.text(first)):
            return True
    return False


def _aborts_handed_signal(callback: ts.Node | None, executor: ts.Node) -> bool:
    """`setTimeout(() => { controller.abort(); reject(new Error("Request timed out")) }, timeout);
    fetch(input, { ...init, signal: controller.signal })` (round 12, a fetchWithTimeout helper): the
    timer aborts a controller whose signal the executor hands to a call; that call's detector reports
    the bound, once."""
    callback = unwrap(callback)
    if callback is None or callback.type not in FUNCTION_TYPES:
        return False
    aborted = set()
    for node in descendants(callback, stop_at_functions=True):
        if node.type == "call_expression":
            fn = dotted(node.child_by_field_name("function"))
            if fn.endswith(".abort") and fn.count(".") >= 1:
                aborted.add(fn[: -len(".abort")])
    if not aborted:
        return False
    for node in descendants(executor):
        if node.type == "member_expression" and not inside(node, callback) and \
                ts.text(node.child_by_field_name("property")) == "signal" and \
                dotted(node.child_by_field_name("object")) in aborted and \
                any(p.type == "arguments" for p in ts.ancestors(node)):
            return True
    return False


def _used_in_race(ctx: FileContext, promise: ts.Node) -> bool:
    for parent in ts.ancestors(promise):
        if parent.type == "call_expression" and dotted(parent.child_by_field_name("function")) == "Promise.race":
            return True
        if parent.type in FUNCTION_TYPES:
            break
    declarator = promise.parent
    if declarator is not None and declarator.type == "variable_declarator":
        name = ts.text(declarator.child_by_field_name("name"))
        scope = enclosing_function(promise) or ctx.tree.root_node
        for call in ctx.calls_in(scope):
            if call.callee == "Promise.race" and call.arg(0) is not None and \
                    re.search(r"(?<![\w$.])" + re.escape(name) + r"(?![\w$])", ts.text(call.arg(0))):
                return True
    return False


def _sends(ctx: FileContext, scope: ts.Node, exclude, remote_receivers: bool = False) -> bool:
    """The function sends something out: an outbound call another detector read, or a method call
    named for sending (`socket.send`, `this.pub.publish`, `client.Check`, `this.push(message)`).
    Never a server starting to listen (`server.listen(port, cb)` beside the timer: the bind's bound,
    an inbound side)."""
    if any(call.name == "listen" and "." in call.callee for call in ctx.calls_in(scope)):
        return False
    if ctx.outbound_in(scope):
        return True
    for call in ctx.calls_in(scope):
        if call.callee in exclude or call.callee in _TIMERS or "." not in call.callee:
            continue
        receiver = call.receiver
        if _LOCAL_RECEIVERS.search(receiver) or receiver.startswith(("console.", "Math.", "JSON.")):
            continue
        if call.name in ("then", "catch", "finally", "once", "on", "off", "removeListener", "addListener",
                         "removeAllListeners", "clearTimeout", "destroy", "close", "end", "toString", "push") \
                and not (call.name == "push" and receiver == "this" and len(call.args) == 1):
            continue
        if _SENDS.match(call.name):
            return True
        if remote_receivers and _REMOTE_RECEIVER.search(receiver) and not _ITERATION.match(call.name) and \
                not _LOCAL_WORK.match(call.name):
            # `db.redis.get('dns:' + key, (err, value) => { clearTimeout(waitUntil); ... })` (round 12): any
            # command of a client of another service (Redis, a database, a connection) goes out
            return True
        if exclude and not _ITERATION.match(call.name) and re.fullmatch(r"[\w$.]+", receiver or "") and \
                any(_settles_in(a, exclude) for a in call.args):
            # `client.names(channel, (ch, names) => { clearTimeout(t); resolve(names) })` (round 11): the reply
            # comes back through a callback handed to another party's method, which settles the promise
            return True
    return False


# a receiver that is a client of another service: its commands go out whatever they are called
_REMOTE_RECEIVER = re.compile(r"(^|\.)(redis|redisClient|[a-z]*[rR]edis|[a-zA-Z]*Client|client|conn|connection|"
                              r"socket|pool|db|database|mongo|pg|knex|prisma|sequelize)$")


# a collection's own iteration or a local scheduling call: its callback is no reply
_ITERATION = re.compile(r"^(forEach|map|filter|reduce\w*|some|every|find\w*|sort|flatMap|each|nextTick|setImmediate|"
                        r"queueMicrotask|then|catch|finally)$")


def _settles_in(arg: ts.Node, settles) -> bool:
    """A function handed as an argument that calls one of the promise's own settle functions."""
    fn = unwrap(arg)
    if fn is None or fn.type not in FUNCTION_TYPES:
        return False
    names = {name for name in settles if name}
    return any(node.type == "call_expression" and ts.text(node.child_by_field_name("function")) in names
               for node in descendants(fn))
