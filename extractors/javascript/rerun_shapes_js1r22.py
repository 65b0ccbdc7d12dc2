"""(round 22, js1) Re-sends after a failure that the retry detectors did not take (homebridge-nest):

- a method that calls itself again from a failure handler after waiting or re-authenticating, where
  the wait is not a statement of the catch block itself but of a branch inside it
  (`catch (e) { if (e.status == 400) {...} else { log(); await Promise.delay(15000); return await
  this.auth(); } }`), or in a promise chain (`.catch(() => this.auth().then(() => this.pushUpdates(data)))`,
  `.catch(() => Promise.delay(15000).then(() => this.pushUpdates(data)))`): the call is made again,
  unbounded unless a count guards it;
- a `while (true)` / `for (;;)` loop whose catch waits and `continue`s (`catch (e) { if (e.status >= 500)
  { await Promise.delay(15000); continue; } }`): the loop goes round to send the failed call again.

Neither a wait nor a re-authentication in the success path, nor a recursion with other arguments
than the function's own parameters in the promise form, is taken."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, descendants, dotted, inside

_WAIT_NAME = re.compile(r"(^|\.)(sleep|delay|wait|waitFor|pause|setTimeout|timeout)$", re.I)
_AUTH_NAME = re.compile(r"(^|\.)(re)?(auth|authenticate|authorize|login|logIn|signIn|refresh\w*|renew\w*|"
                        r"\w*[Tt]oken\w*)$")
_WAIT_AWAIT = re.compile(r"^await\s+new\s+Promise\s*\(\s*\(?\s*[\w$]*\s*\)?\s*=>\s*setTimeout\b")
_LOOP_EXITS = ("while_statement", "for_statement", "do_statement", "for_in_statement")


def _failure_handler(node: ts.Node) -> bool:
    if node.type == "catch_clause":
        return True
    if node.type not in ("arrow_function", "function_expression", "function") or node.parent is None or \
            node.parent.type != "arguments" or node.parent.parent is None:
        return False
    callee = dotted(node.parent.parent.child_by_field_name("function"))
    args = [a for a in node.parent.named_children if a.type != "comment"]
    return callee.endswith(".catch") or callee.endswith(".then") and len(args) == 2 and args[1] == node


def _waits_or_reauths(stmt: ts.Node) -> bool:
    """`await sleep(ms)`, `await Promise.delay(ms)`, `await new Promise(r => setTimeout(r, ms))`, or
    `await this.auth()` as a statement of its own."""
    node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else stmt
    if node.type != "await_expression" or not node.named_children:
        return False
    if _WAIT_AWAIT.search(ts.text(node)):
        return True
    inner = node.named_children[0]
    if inner.type != "call_expression":
        return False
    callee = dotted(inner.child_by_field_name("function"))
    return bool(_WAIT_NAME.search(callee) or _AUTH_NAME.search(callee))


def _chained_on_wait_or_auth(fn_node: ts.Node) -> bool:
    """``fn_node`` is handed to `.then(...)` of a wait or a re-authentication call."""
    if fn_node.parent is None or fn_node.parent.type != "arguments" or fn_node.parent.parent is None:
        return False
    then_call = fn_node.parent.parent
    member = then_call.child_by_field_name("function")
    if member is None or member.type != "member_expression" or ts.text(member.child_by_field_name("property")) != "then":
        return False
    head = member.child_by_field_name("object")
    if head is None or head.type != "call_expression":
        return False
    callee = dotted(head.child_by_field_name("function"))
    return bool(_WAIT_NAME.search(callee) or _AUTH_NAME.search(callee))


def _same_arguments(call: ts.Node, fn: ts.Node) -> bool:
    """The re-call hands on the function's own parameters (or nothing): the same request again."""
    args = call.child_by_field_name("arguments")
    given = [ts.text(a) for a in (args.named_children if args is not None else []) if a.type != "comment"]
    params = fn.child_by_field_name("parameters")
    names = []
    for p in (params.named_children if params is not None else []):
        node = p.child_by_field_name("left") if p.type == "assignment_pattern" else p
        names.append(ts.text(node))
    return given == names[:len(given)]


def rerun_after_failure(ctx, call: ts.Node, fn: ts.Node) -> bool:
    """The self-call ``call`` of ``fn`` re-sends after a failure, a wait or a re-authentication first."""
    path = []
    handler = None
    for parent in ts.ancestors(call):
        if parent == fn:
            break
        if _failure_handler(parent):
            handler = parent
            break
        path.append(parent)
    if handler is None:
        return False
    for node in [call, *path]:
        if node.type in FUNCTION_TYPES and _chained_on_wait_or_auth(node):
            return _same_arguments(call, fn)
    for node in path + [handler.child_by_field_name("body") or handler]:
        if node.type != "statement_block":
            continue
        for stmt in node.named_children:
            if stmt.start_byte >= call.start_byte:
                break
            if inside(call, stmt):
                break
            if _waits_or_reauths(stmt):
                return True
    return False


def continue_after_failure(loop: ts.Node, body: ts.Node) -> bool:
    """`while (true) { try { ... } catch (e) { if (retryable) { await delay(ms); continue; } ... } }`."""
    condition = loop.child_by_field_name("condition")
    if loop.type == "while_statement":
        if condition is None or re.sub(r"[\s()]", "", ts.text(condition)) not in ("true", "1", "!0"):
            return False
    elif loop.type == "for_statement":
        if condition is not None and ts.text(condition).strip(" ;") not in ("", "true"):
            return False
    else:
        return False
    for node in descendants(body, stop_at_functions=True):
        if node.type != "continue_statement" or node.named_children:  # a labelled continue: another loop
            continue
        owner = next((p for p in ts.ancestors(node) if p.type in _LOOP_EXITS), None)
        if owner != loop:
            continue
        handler = next((p for p in ts.ancestors(node) if p.type == "catch_clause" or p == loop), None)
        if handler is None or handler == loop:
            continue
        block = node.parent
        while block is not None and block != handler:
            if block.type == "statement_block" and any(
                    _waits_or_reauths(s) for s in block.named_children if s.end_byte <= node.start_byte):
                return _leaves_on_success(loop, body)
            block = block.parent
    return False


def _leaves_on_success(loop: ts.Node, body: ts.Node) -> bool:
    """A `return` or `break` of this loop outside every catch clause: the loop ends once the work went
    through (not a worker loop that runs forever)."""
    for node in descendants(body, stop_at_functions=True):
        if node.type not in ("return_statement", "break_statement"):
            continue
        if any(p.type == "catch_clause" for p in ts.ancestors(node) if inside(p, body)):
            continue
        if node.type == "break_statement" and next((p for p in ts.ancestors(node) if p.type in _LOOP_EXITS
                                                    or p.type == "switch_statement"), None) != loop:
            continue
        return True
    return False


def local_rejecter(callback: ts.Node, reject: str, depth: int = 0) -> bool:
    """`setTimeout(timeoutFunction, ms)` where `const timeoutFunction = () => { cleanAndReject({ code:
    'ETIMEDOUT' }) }` and `const cleanAndReject = val => { ...; rej(val) }` are declared in the same
    promise executor (homebridge-nest's HTTP/2 observe stream): the named callback settles the promise
    with an error, through at most two local functions."""
    if depth > 2 or callback.type != "identifier":
        return False
    body = _local_function(callback, ts.text(callback))
    if body is None:
        return False
    for node in descendants(body):
        if node.type == "throw_statement":
            return True
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None:
            continue
        if ts.text(fn) == reject:
            return True
        if fn.type == "identifier" and ts.text(fn) != ts.text(callback) and local_rejecter(fn, reject, depth + 1):
            return True
    return False


def _local_function(site: ts.Node, name: str) -> ts.Node | None:
    """The function a block around ``site`` declares as `const name = (...) => ...` or `function name`."""
    for parent in ts.ancestors(site):
        if parent.type not in ("statement_block", "program"):
            continue
        for stmt in parent.named_children:
            if stmt.type == "function_declaration" and ts.text(stmt.child_by_field_name("name")) == name:
                return stmt
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in stmt.named_children:
                if declarator.type == "variable_declarator" and \
                        ts.text(declarator.child_by_field_name("name")) == name:
                    value = declarator.child_by_field_name("value")
                    return value if value is not None and value.type in FUNCTION_TYPES else None
        if parent.type in FUNCTION_TYPES:
            continue
    return None


def _arg_texts(call: ts.Node) -> frozenset:
    args = call.child_by_field_name("arguments")
    return frozenset(" ".join(ts.text(a).split()) for a in (args.named_children if args is not None else [])
                     if a.type != "comment")


def rearmed(timer_call: ts.Node, executor: ts.Node) -> bool:
    """An earlier `setTimeout` of the same executor with the same callback and delay: the same deadline
    armed again (on each chunk or ping of a stream), reported once at its first arming; or a socket's
    `socket.setTimeout(ms, onTimeout)` just before with the same delay and callback (uptime-kuma's
    STARTTLS dialog: the socket's bound is the one reported)."""
    texts = _arg_texts(timer_call)
    args = timer_call.child_by_field_name("arguments")
    first = next((a for a in (args.named_children if args is not None else []) if a.type != "comment"), None)
    params = executor.child_by_field_name("parameters")
    settles = {ts.text(p) for p in (params.named_children if params is not None else [])}
    # a socket's bound counts only for a named local callback (not the executor's own `reject`)
    named = first is not None and first.type == "identifier" and ts.text(first) not in settles
    for node in descendants(executor):
        if node.start_byte >= timer_call.start_byte:
            return False
        if node.type != "call_expression":
            continue
        callee = dotted(node.child_by_field_name("function"))
        if callee in ("setTimeout", "globalThis.setTimeout", "global.setTimeout") or \
                (named and callee.endswith(".setTimeout")):
            if _arg_texts(node) == texts:
                return True
    return False


def stepped_give_up(call, fn: ts.Node):
    """`function ping(client, count, callback) { ... if (count === 4) { return callback(new Error(...)) }
    return ping(client, ++count, callback) }` (auth0's connector, re-pinging after a missed pong): a
    parameter stepped by one in the self-call, given up on when it reaches a bound checked before it.
    Returns (bound node, operator) or None; the count starts at 0 (a parameter left undefined is set to
    0, or the first call passes 0)."""
    params = fn.child_by_field_name("parameters")
    names = [ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"]
    stepped = None
    for arg in call.args:
        text = re.sub(r"\s+", "", ts.text(arg))
        m = re.fullmatch(r"(?:\+\+([\w$]+)|([\w$]+)\+1)", text)
        if m and (m.group(1) or m.group(2)) in names:
            stepped = m.group(1) or m.group(2)
            break
    if stepped is None or not _on_error(call.node, fn):
        return None
    for node in descendants(fn):
        if node.start_byte >= call.node.start_byte:
            break
        if node.type != "if_statement":
            continue
        cond = re.sub(r"[\s()]", "", ts.text(node.child_by_field_name("condition") or node))
        m = re.fullmatch(re.escape(stepped) + r"(===|==|>=)(\d+)", cond)
        if m is None:
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is None or inside(call.node, consequence):
            continue
        if not any(n.type in ("return_statement", "throw_statement") for n in [consequence, *descendants(consequence)]):
            continue
        return int(m.group(2)), m.group(1)
    return None


_ERROR_WORDS = re.compile(r"\berr\b|error|timeout|timedout|fail|!\s*res(ponse)?\b|status|code", re.I)


def _on_error(call: ts.Node, fn: ts.Node) -> bool:
    """The self-call sits in a failure handler or in a branch whose condition names an error."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if _failure_handler(parent):
            return True
        if parent.type == "if_statement" and _ERROR_WORDS.search(ts.text(parent.child_by_field_name("condition") or parent)):
            consequence = parent.child_by_field_name("consequence")
            if consequence is not None and inside(call, consequence):
                return True
    return False


_LOCAL_RECEIVER = re.compile(r"^(fs\w*|fse|fsp|fsExt\w*|fsPromises|path|console|logger|log|Math|JSON|Object|Array|"
                             r"String|Number|Buffer|process|this\.log\w*|this\.logger)$", re.I)
_LOCAL_CALLEE = re.compile(r"^(setTimeout|setImmediate|clearTimeout|process\.nextTick|require)$")


def local_only(ctx, fn: ts.Node) -> bool:
    """(round 22, js1) A function re-calling itself that touches nothing but the local file system
    (sinopia's `open_flock(name, ..., tries - 1, backoff * 2, cb)`: fs.open, a flock, fs.close), its own
    callback parameters, timers and logs: local work, no service called; nothing outbound is seen in it."""
    body = fn.child_by_field_name("body")
    if body is None or ctx.outbound_in(body):
        return False
    params = fn.child_by_field_name("parameters")
    own = {ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"}
    name = fn.child_by_field_name("name")
    own.add(ts.text(name) if name is not None else "")
    local = 0
    for node in descendants(body):
        if node.type != "call_expression":
            continue
        callee = ts.text(node.child_by_field_name("function") or node).replace("?.", ".")
        receiver = callee.rsplit(".", 1)[0] if "." in callee else ""
        if receiver and _LOCAL_RECEIVER.match(receiver):
            local += receiver.lower().startswith("fs")
            continue
        if callee in own or _LOCAL_CALLEE.match(callee):
            continue
        return False
    return local > 0
