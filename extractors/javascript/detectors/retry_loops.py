"""Hand-written retries: a loop with an attempt counter around try/catch, and the seed's
try/catch that calls the same thing again in its catch.

What it does: reports a ``retry`` for a `for`/`while`/`do` loop whose header or counter names an
attempt (`attempt`, `retries`, `tries`) and whose body catches errors from the call it repeats,
with ``max_attempts`` read from the bound (`attempt < 3` from 0 is 3 attempts); and a ``retry``
with 2 attempts for `try { return await score(id) } catch { return await score(newId) }`; a loop
that re-sends on the response status with a delay, or calls something (`await this.checkHealth()`),
ends on its answer and waits before the next try; `for (const _ of Array.from({ length: 5 }))`
around a try/catch that stops on success; a function that calls itself with `retries - 1` (counted
from its first call), `attempt + 1` (also as a stepped copy checked before the call: `const next =
retryCount + 1; if (next > MAX) throw ...; recurse({ retryCount: next })`, MAX + 1 tries), while an
attempt counter is under its bound (also a method of an
object literal calling itself through the variable holding it: `initTasks.connect()`), or after waiting
on a retry signal (Retry-After), or that schedules itself again after a failure (or from a branch
that bumps an attempt counter); a method (`module.setAdd = async function`) whose catch runs it again
on a passing failure (a conflict, a duplicate key from a racing upsert: E11000, 23505, Prisma's P2002),
also a class method that returns itself again from such a catch (without a count); an operation
handed in as a parameter run again from its `.catch` on an expired login or passing failure
(`action().catch(async (err) => { ...relogin; return action() })`: 2 tries); a request sent once
more on a 401/429/503 of its first answer (`if (res.status === 401) { res = await doFetch(token) }`,
also kept destructured: `[status, , data] = await httpProxy(url)` with `status === 403` or a local
`const badRequest = [400, 403].includes(status)`), or after logging in again in a branch on the
answer (`if (data.authPassed === "0") { key = await login(); [...] = await httpProxy(url) }`):
2 tries, on the second request); the operation a function was handed run again from its catch after
a wait (`catch { await sleep(5); return await request() }`: 2 tries, on the try); a catch that re-issues the call on a passing failure and leaves it
running (`checkHeader(url, 60000).then(cache)`, not awaited: on that call). A loop that starts each pass by waiting and then reads something
(a poll for a concurrent check's result) is no retry. A catch that
sends another written command on the same client (`query('ROLLBACK')` after `query('BEGIN')`) is
not a retry, nor one that sends a message saying the work failed (`respond(url, { text: "Failed to
decline" })` after the try's `respond(url, { text: "Declined" })`). Loops over items (`for (const item of items)`) are not retries. A catch that puts the
failed work back on its queue with its attempt counter bumped (`if (item.attempts < max)
queue.push({ ...item, attempts: item.attempts + 1 })`) is a retry bounded by that comparison; so is
work a later event tries again while a store's failure count is under a bound (`const attempts =
this.attempts.get(id) ?? 0; if (attempts >= 3) return; try {...} catch { this.attempts.set(id,
attempts + 1) }`: 3 tries, on the check).

A loop also counts when an awaited call's result ends it (`const r = await query(args); if (r !==
null) return r`, `if (r && r.length > 0) return r`, `[error, data] = await tryCatch(create()); if
(!error) break`), when its catch throws once the count is spent and it returns on the answer
outside the catch, and when each failure path bumps the counter once and checks it right after
(`catch { retries++; if (retries > max) throw }` and the same after a bad status). A catch whose
re-send is guarded by a check it named first (`const isConflictError = err.message.includes(...);
if (isConflictError) ...`) reads as that check. A recursion guarded by an unset flag named for
retrying that the call sets (`!isRetrying` ... `send({ ...args, isRetrying: true })`, or the
positional `send(a, b, true)`) is one retry: 2 tries. A function that runs itself again through a
function of its file it hands itself to (`if (failed && attempt < maxAttempts) return
retryWithBackoff(request, attempt, delay)`, the helper waiting and calling `request()`), while a
counter bumped once per run is under its bound, is a retry on that re-run (round 11); an options
member's fallback bound (`maxAttempts = retryConfig?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS`) makes the
enclosing helper's callers' counts the contract (rules b, c).

Why it matters: these retries are invisible to any library configuration, yet the callee sees
each attempt as a separate request.

Example::

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) { try { return await post() } catch {} }
"""

from __future__ import annotations

import bisect
import re

from contract_discovery.values import BinOp, Expr, Num
from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, FileContext, RetryScope, descendants, dotted,
                                           enclosing_function, inside, js_detector, string_value, unwrap)
from extractors.javascript import context as C

ID = "javascript.retry_loop"
RETRYISH = re.compile(r"attempt|retr(?:y|ies|ied)|tries|tried|trycount|try_count|numtries", re.I)
_NOT_REPEATS = re.compile(
    r"^(console|logger|log|logging|metrics|span|tracer|res|reply|ctx\.res|JSON|Math|Object|Array|Promise|"
    r"String|Number|Date|this\.logger|this\.log)\b|(^|\.)(log|debug|info|warn|error|emit|push|set|"
    r"status|json|end|next|reject|resolve|captureException|inc|observe|record)$")


@js_detector(ID, ["retry"],
          valid=['for (const item of items) { try { await send(item); } catch (e) { log(e); } }',
                 'let retry = true; // a variable named retry',
                 'for (let i = 0; i < rows.length; i++) { try { parse(rows[i]); } catch {} }'],
          invalid=['for (let attempt = 0; attempt < 3; attempt++) { try { return await post(); } catch (e) {} }',
                   'try { return await riskApi.score(id); } catch (e) { return await riskApi.score(newId); }'])
def detect(ctx: FileContext) -> None:
    loops, tries = [], []
    for match in ctx.loop_matches():
        if "loop" in match:
            loops.append(match["loop"][0])
        elif "try" in match:
            tries.append((match["try"][0], match["try_body"][0], match["catch_body"][0]))
    retry_bodies = _Disjoint()
    for loop in sorted(loops, key=lambda n: n.start_byte):
        body = loop.child_by_field_name("body")
        if body is None:
            continue
        if retry_bodies.covers(loop):
            continue  # an inner loop of a retry loop is part of the attempt
        if loop.type == "for_in_statement":
            if _tries_loop(ctx, loop, body):
                retry_bodies.add(body)
            continue
        if _loop_retry(ctx, loop, body):
            retry_bodies.add(body)
    for try_node, try_body, catch_body in sorted(tries, key=lambda t: t[0].start_byte):
        if retry_bodies.covers(try_node):
            continue
        _catch_repeat(ctx, try_node, try_body, catch_body)
    for try_node, _try_body, catch_body in tries:
        if not retry_bodies.covers(try_node):
            try:
                _requeue_retry(ctx, catch_body)
                _stored_counter_retry(ctx, try_node, catch_body)
            except Exception:  # an odd catch costs only this finding
                pass
    _recursive_retries(ctx, retry_bodies)
    try:
        _handoff_retries(ctx, retry_bodies)
    except Exception:  # an odd function costs only this finding
        pass
    try:
        _requeued_with_counter(ctx)
    except Exception:  # an odd assignment costs only this finding
        pass
    _timer_retries(ctx, retry_bodies)
    _counted_timer_reruns(ctx, retry_bodies)
    _promise_catch_repeats(ctx, retry_bodies)
    try:
        _status_resends(ctx, retry_bodies)
    except Exception:  # an odd branch costs only this finding
        pass
    try:
        _empty_answer_resends(ctx, retry_bodies)
    except Exception:  # an odd branch costs only this finding
        pass
    try:
        _persisted_attempts(ctx)
    except Exception:  # an odd query costs only this finding
        pass


_QUIET_CALL = re.compile(r"sleep|delay|wait|log|warn|info|debug|error|trace|emit|metric|increment|setTimeout|resolve",
                         re.I)
_PERSISTED_COUNTER = re.compile(r"^(attempts|attempt_count|attemptCount|retries|retry_count|retryCount|tries)$")


def _persisted_attempts(ctx: FileContext) -> None:
    """An outbox whose rows carry their own attempt counter (round 9): the work still to push is
    selected with `.where('attempts', '<', 10)` and a failed push writes `attempts: (evt.attempts ??
    0) + 1` back: each row is tried at most 10 times across polls. Reported on the selecting
    `.where`; both halves must be in the file (a filter alone is a report, not a retry)."""
    if b"where" not in ctx.data or not re.search(
            rb"(attempts|retries|tries|retryCount|attempt_count|retry_count|attemptCount)\W[^\n]*\+\s*1", ctx.data):
        return
    names = set()
    for pair in descendants(ctx.tree.root_node):
        if pair.type != "pair":
            continue
        key = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        name = ts.text(key).strip("'\"") if key is not None else ""
        if value is not None and _PERSISTED_COUNTER.match(name) and \
                re.search(r"(?<![\w$])" + re.escape(name) + r"\b[^,]*?\+\s*1\b", ts.text(value)):
            names.add(name)
    if not names:
        return
    for call in ctx.calls:
        if call.name not in ("where", "andWhere", "whereRaw") or len(call.args) != 3:
            continue
        column = string_value(unwrap(call.args[0]))
        op = string_value(unwrap(call.args[1]))
        if column is None or column.rsplit(".", 1)[-1] not in names or op not in ("<", "<="):
            continue
        attempts, confidence, pending = ctx.count_value(call.args[2], 1.0 if op == "<=" else 0.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "persisted",
                 "library": None}
        ctx.finding("retry", call.node, ID, attrs, "medium", None, pending)


def _empty_answer_resends(ctx: FileContext, retry_bodies) -> None:
    """`const buffer = await download(msg, opts); if (buffer) { use(buffer) } else { const buffer =
    await download(msg, opts) }` (also `if (!buffer) { buffer = await download(msg, opts) }`) (round
    9): the same request, with the same arguments, sent once more when the first answer came back
    empty: 2 tries, reported on the second call. A different callee or other arguments (a fallback,
    a next page) is not."""
    for call in ctx.calls:
        if not call.awaited or not call.callee or call.is_new or retry_bodies.covers(call.node):
            continue
        kept = _result_name(call)
        if kept is None or not kept[1]:
            continue
        name = kept[0]
        holder = call.node
        while holder.parent is not None and holder.parent.type not in ("statement_block", "program"):
            holder = holder.parent
        block = holder.parent
        if block is None:
            continue
        args = call.node.child_by_field_name("arguments")
        args_text = re.sub(r"\s+", "", ts.text(args)) if args is not None else ""
        sibling = holder.next_named_sibling
        while sibling is not None and sibling.type == "comment":
            sibling = sibling.next_named_sibling
        if sibling is None or sibling.type != "if_statement":
            continue
        condition = unwrap(sibling.child_by_field_name("condition"))
        cond_text = re.sub(r"\s+", "", ts.text(condition)) if condition is not None else ""
        if cond_text == name:
            empty_branch = sibling.child_by_field_name("alternative")
        elif cond_text in (f"!{name}", f"{name}==null", f"{name}===null", f"{name}===undefined"):
            empty_branch = sibling.child_by_field_name("consequence")
        else:
            continue
        if empty_branch is None:
            continue
        again = next((c for c in ctx.calls_in(empty_branch)
                      if c.callee == call.callee and c.awaited and c.node.start_byte > call.node.start_byte
                      and c.node.child_by_field_name("arguments") is not None
                      and re.sub(r"\s+", "", ts.text(c.node.child_by_field_name("arguments"))) == args_text), None)
        if again is None:
            continue
        if any(c.node.end_byte <= again.node.start_byte and not _QUIET_CALL.search(c.name)
               for c in ctx.calls_in(empty_branch)):
            # `if (session == null) { await store.setAsync(...); session = await store.getAsync() }`:
            # a read after populating what was missing, not the same request tried again
            continue
        line = again.node.start_point[0] + 1
        if any(f.kind == "retry" and f.line == line for f in ctx.findings):
            continue
        out = ctx.outbound.get((call.node.start_byte, call.node.end_byte))
        target, upending = (out.target, out.pending) if out is not None else ctx.first_target_in(call.node)
        attrs = {"max_attempts": 2, "backoff": "none", "retry_on": "empty_answer", "mechanism": "call",
                 "library": None}
        ctx.finding("retry", again.node, ID, attrs, "medium", target, upending)


def _promise_catch_repeats(ctx: FileContext, retry_bodies) -> None:
    """`score(id).catch(() => score(newId()))`: the promise form of the seed's retry."""
    by_node = {(c.node.start_byte, c.node.end_byte): c for c in ctx.calls}
    for call in ctx.calls:
        if call.name != "catch" or not call.args or retry_bodies.covers(call.node):
            continue
        handler = unwrap(call.args[-1])
        if handler is None or handler.type not in FUNCTION_TYPES:
            continue
        fn = call.node.child_by_field_name("function")
        inner = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
        while inner is not None and inner.type == "call_expression":
            original = by_node.get((inner.start_byte, inner.end_byte))
            if original is None or original.name not in ("then", "finally"):
                break
            inner_fn = inner.child_by_field_name("function")
            inner = unwrap(inner_fn.child_by_field_name("object")) if inner_fn is not None and \
                inner_fn.type == "member_expression" else None
        original = by_node.get((inner.start_byte, inner.end_byte)) if inner is not None else None
        if original is None:
            continue
        repeats = [c for c in ctx.calls_in(handler) if c.callee == original.callee and
                   (_remote(ctx, c, original) or _handed_operation(ctx, original, handler))]
        if not repeats:
            continue
        out = ctx.outbound.get((original.node.start_byte, original.node.end_byte))
        target, upending = (out.target, out.pending) if out is not None else ctx.first_target_in(original.node)
        attrs = {"max_attempts": 2, "backoff": _backoff(ctx, handler), "retry_on": None,
                 "mechanism": "catch", "library": None}
        found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
        ctx.retry_scopes.append(RetryScope(handler, found.line, target, upending))


_REAUTH = re.compile(r"expired|unauthori[sz]ed|\b401\b|invalid.?token|reauth|re-auth|relogin|re-login", re.I)


def _handed_operation(ctx: FileContext, original, handler: ts.Node) -> bool:
    """`action().catch(async (err) => { if (!(err instanceof TokenExpiredError)) throw err;
    await relogin(); return action(); })`: the operation the function was handed (a parameter),
    run again from a handler that checks the error for a passing failure or an expired login."""
    if "." in original.callee or not original.callee:
        return False
    own = enclosing_function(original.node)
    if own is None:
        return False
    from extractors.javascript.context import _parameter_default
    found, _ = _parameter_default(own, original.callee)
    if not found:
        return False
    text = ts.text(handler)
    return bool(_TRANSIENT.search(text) or _REAUTH.search(text))


_RESEND_CODES = r"(401|403|407|408|409|425|429|500|502|503|504)"
_RELOGIN_CALL = re.compile(r"^(re)?log_?in|^(re)?auth(enticate|orize)?$|token|session|csrf|^refresh", re.I)
_AUTH_WORDS = re.compile(r"auth|session|token|login|expired|csrf", re.I)
_ANY_CODE = re.compile(r"\b" + _RESEND_CODES + r"\b")


def _result_name(call) -> tuple[str, bool] | None:
    """(name, whole answer) the awaited answer of a call is kept in: `res = await f()` -> ("res",
    True) (its status is `res.status`); `[status, type, data] = await f()` / `let [status] = ...` ->
    ("status", False) (the status itself)."""
    node = call.node
    while node.parent is not None and node.parent.type in ("await_expression", "parenthesized_expression"):
        node = node.parent
    holder = node.parent
    if holder is None:
        return None
    if holder.type == "assignment_expression":
        left = holder.child_by_field_name("left")
    elif holder.type == "variable_declarator":
        left = holder.child_by_field_name("name")
    else:
        return None
    if left is not None and left.type == "identifier":
        return ts.text(left), True
    if left is not None and left.type == "array_pattern":
        first = next((c for c in left.children if c.type not in ("[", "]")), None)
        if first is not None and first.type == "identifier":
            return ts.text(first), False
    return None


def _status_check(ctx: FileContext, condition: ts.Node, name: str, whole: bool, fn: ts.Node | None) -> str | None:
    """The passing-failure status a branch's condition checks on the answer kept in ``name``
    (also through a local `const badRequest = [400, 403].includes(status)` it names)."""
    text = ts.text(condition)
    for ident in [condition, *descendants(condition)]:
        if ident.type == "identifier" and ident.text is not None and ts.text(ident) != name:
            value = ctx.local_value(ts.text(ident), condition)
            if value is not None and value.type in ("call_expression", "binary_expression") and \
                    (fn is None or inside(value, fn)):
                text += " " + ts.text(value)
    read = re.escape(name) + (r"\??\.(?:status|statusCode)" if whole else "")
    match = re.search(r"(?<![\w$.])" + read + r"\s*={2,3}\s*" + _RESEND_CODES + r"\b", text) or \
        re.search(r"\[[^\]]*?\b" + _RESEND_CODES + r"\b[^\]]*\]\.includes\(\s*" + read + r"\s*\)", text)
    return match.group(1) if match else None


def _status_resends(ctx: FileContext, retry_bodies) -> None:
    """`let res = await doFetch(token); if (res.status === 401) { token = await login(); res = await
    doFetch(token) }` (also `[status, type, data] = await httpProxy(url)` with `status === 403`):
    the same request sent once more on a status of the first answer (an expired login, a throttled
    or busy callee), or after logging in again in a branch on the answer's session
    (`if (data.authPassed === "0") { key = await login(); [...] = await httpProxy(url) }`): 2
    tries, reported on the second request."""
    hopeless: dict[int, bool] = {}  # per function: no status code or login word anywhere in it
    for call in ctx.calls:
        if not call.awaited or not call.callee or _RELOGIN_CALL.search(call.name):
            continue  # (logging in again is what comes before the re-send, not the re-send)
        kept = _result_name(call)
        if kept is None:
            continue
        name, whole = kept
        fn = enclosing_function(call.node)
        scope = fn or ctx.tree.root_node
        if scope.id not in hopeless:
            text = ts.text(scope)
            hopeless[scope.id] = not (_ANY_CODE.search(text) or _AUTH_WORDS.search(text))
        if hopeless[scope.id] or retry_bodies.covers(call.node):
            continue
        code = None
        branch = None
        for candidate in ts.ancestors(call.node):
            if candidate.type in FUNCTION_TYPES:
                break
            if candidate.type != "if_statement":
                continue
            condition = candidate.child_by_field_name("condition")
            consequence = candidate.child_by_field_name("consequence")
            if condition is None or consequence is None or not inside(call.node, consequence):
                continue
            code = _status_check(ctx, condition, name, whole, fn)
            if code is None and _AUTH_WORDS.search(ts.text(condition)) or code is None and re.search(
                    r"(?<![\w$.])" + re.escape(name) + r"\b", ts.text(condition)):
                relogin = [c for c in ctx.calls_in(consequence)
                           if c.node.end_byte <= call.node.start_byte and c.awaited and not c.is_new
                           and _RELOGIN_CALL.search(c.name)]
                code = "reauth" if relogin else None
            if code is not None:
                branch = candidate
                break
        if branch is None:
            continue
        first = next((c for c in ctx.calls_in(fn or ctx.tree.root_node)
                      if c.callee == call.callee and c.node.end_byte <= branch.start_byte and c.awaited and
                      _result_name(c) == kept), None)
        if first is None:  # (the status read on its answer says it is a request)
            continue
        block = next((p for p in ts.ancestors(first.node) if p.type == "statement_block"), None)
        if block is not None and not inside(branch, block):
            # round 9: the first request sits in another branch (`if (expired) { ... request = await
            # post(url) ... return }`), no answer of it reaches this one: not a re-send
            continue
        if any(f.detector == ID and f.kind == "retry" and f.line == call.node.start_point[0] + 1 for f in ctx.findings):
            continue
        out = ctx.outbound.get((first.node.start_byte, first.node.end_byte))
        target, upending = (out.target, out.pending) if out is not None else ctx.first_target_in(first.node)
        attrs = {"max_attempts": 2, "backoff": "none",
                 "retry_on": "reauth" if code == "reauth" else f"status_{code}", "mechanism": "call", "library": None}
        found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
        ctx.retry_scopes.append(RetryScope(branch.child_by_field_name("consequence"), found.line, target, upending))


_STEP = re.compile(r"(attempt|retr\w*|tries)\s*[-+]\s*1\b|(--|\+\+)\s*(attempt|retr\w*|tries)|"
                   r"(attempt|retr\w*|tries)\w*\s*(--|\+\+)", re.I)


_REQUEUE_CALLS = {"push", "unshift", "add", "enqueue", "requeue", "addBulk"}


def _requeue_retry(ctx: FileContext, catch_body: ts.Node) -> None:
    """`catch (err) { items.forEach((item) => { if (item.attempts < this.maxAttempts)
    queue.push({ ...item, attempts: item.attempts + 1 }) }) }`: the failed work goes back on the queue
    with one more attempt counted, until the bound. Tries: from the counter's first value (an
    `attempts: 1` the file writes; 1 when none is found) up to the bound."""
    for cond_if in _of_type(catch_body, "if_statement"):
        cond = unwrap(cond_if.child_by_field_name("condition"))
        if cond is None or cond.type != "binary_expression":
            continue
        op = ts.text(cond.child_by_field_name("operator"))
        left, bound = unwrap(cond.child_by_field_name("left")), cond.child_by_field_name("right")
        if op not in ("<", "<=") or left is None or left.type != "member_expression" or bound is None:
            continue
        key = ts.text(left.child_by_field_name("property"))
        if not RETRYISH.search(key):
            continue
        counter = ts.text(left)
        step = re.compile(re.escape(counter) + r"\s*\+\s*1\b")
        requeued = False
        for call in _of_type(cond_if.child_by_field_name("consequence"), "call_expression"):
            fn = call.child_by_field_name("function")
            if fn is None or fn.type != "member_expression" or \
                    ts.text(fn.child_by_field_name("property")) not in _REQUEUE_CALLS:
                continue
            for pair in _of_type(call, "pair"):
                value = pair.child_by_field_name("value")
                if ts.text(pair.child_by_field_name("key")) == key and value is not None and step.fullmatch(ts.text(value)):
                    requeued = True
        if not requeued:
            continue
        start = 1.0
        for pair in _of_type(ctx.tree.root_node, "pair"):
            value = unwrap(pair.child_by_field_name("value"))
            if ts.text(pair.child_by_field_name("key")) == key and value is not None and value.type == "number":
                start = float(ts.text(value))
                break
        offset = (1.0 if op == "<" else 2.0) - start
        attempts, confidence, pending = ctx.count_value(bound, offset)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "loop",
                 "library": None}
        ctx.finding("retry", cond_if, ID, attrs, "medium", None, pending)


def _stored_counter_retry(ctx: FileContext, try_node: ts.Node, catch_body: ts.Node) -> None:
    """`const attempts = this.attempts.get(id) ?? 0; if (attempts >= 3) return; try { await
    configure(device) } catch { this.attempts.set(id, attempts + 1) }`: the work is tried again on a
    later event (a message, a timer) while the failures a store counts are under the bound:
    `>= N` is N tries, `> N` one more; reported on the bound's check."""
    fn = enclosing_function(try_node)
    if fn is None:
        return
    for call in ctx.calls_in(catch_body):
        if call.name != "set" or "." not in call.callee or len(call.args) < 2:
            continue
        store = call.receiver
        bumped = unwrap(call.args[1])
        if bumped is not None and bumped.type == "identifier":
            bumped = unwrap(ctx.local_value(ts.text(bumped), bumped))
        if bumped is None or bumped.type != "binary_expression" or \
                not re.fullmatch(r"([A-Za-z_$][\w$]*)\s*\+\s*1", ts.text(bumped)):
            continue
        counter = ts.text(bumped.child_by_field_name("left"))
        read = unwrap(ctx.local_value(counter, try_node))
        if not RETRYISH.search(counter) or read is None or not re.match(
                re.escape(store) + r"\.get\(", ts.text(read)):
            continue
        for branch in descendants(fn, stop_at_functions=True):
            if branch.type != "if_statement" or branch.start_byte >= try_node.start_byte:
                continue
            consequence = branch.child_by_field_name("consequence")
            condition = branch.child_by_field_name("condition")
            gives_up = consequence is not None and any(
                n.type in ("return_statement", "throw_statement") for n in [consequence, *descendants(consequence)])
            for comp in [condition, *(descendants(condition) if condition is not None else [])]:
                found = _comparison(comp, frozenset({counter}))
                if gives_up and found is not None and found[0] == counter and found[1] in (">=", ">"):
                    attempts, confidence, pending = ctx.count_value(found[2], 0.0 if found[1] == ">=" else 1.0)
                    attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call",
                             "library": None}
                    target, upending = ctx.first_target_in(try_node)
                    ctx.finding("retry", branch, ID, attrs, "medium", target, tuple(pending) + upending)
                    return


def _of_type(node: ts.Node | None, kind: str):
    return [] if node is None else [n for n in descendants(node) if n.type == kind]


_RECONNECT = re.compile(r"reconnect", re.I)
from extractors.javascript.rerun_shapes_js1r22 import continue_after_failure as _continue_after_failure_js1r22  # noqa: E402
from extractors.javascript.rerun_shapes_js1r22 import rerun_after_failure as _rerun_after_failure_js1r22  # noqa: E402
from extractors.javascript.rerun_shapes_js1r22 import stepped_give_up as _stepped_give_up_js1r22  # noqa: E402
from extractors.javascript.rerun_shapes_js1r22 import local_only as _local_only_js1r22  # noqa: E402


def _recursive_retries(ctx: FileContext, retry_bodies: list) -> None:
    """`return send(url, { ...opts, retries: retries - 1 })` inside `send` itself: each call is an attempt."""
    from extractors.javascript.status_recall_ts2 import recalled_after_status_wait as recalled_after_status_wait_ts2
    for name, fn in [*ctx.functions.items(), *_prototype_methods_js1(ctx), *_member_methods_js1(ctx)]:
        if retry_bodies.covers(fn) or _RECONNECT.search(name):
            continue  # (`attemptReconnect(attempt + 1)`: a reconnect policy after a drop, not a call's retry)
        selves = ("", "this", _holder(fn)) + (_SELF_ALIASES_JS1 if _self_aliased_js1(fn) else ()) + \
            member_selves_js1(fn)
        recursive = [c for c in ctx.calls_in(fn) if c.name == name and c.receiver in selves
                     and ((_STEP.search(" ".join(ts.text(a) for a in c.args)) and _after_failure(c.node, fn))
                          or _guarded_by_count(c.node, fn)
                          or _waits_on_retry_signal(ctx, c.node, fn) or _rerun_after_error(c.node, fn)
                          or _recalled_after_wait(ctx, c.node, fn)
                          or recalled_after_status_wait_ts2(ctx, c.node, fn)
                          or _stepped_guard(ctx, c, fn) is not None
                          or (_after_failure(c.node, fn) and _flag_guarded(c, fn))
                          or (_after_failure(c.node, fn) and _retry_decision(c.node, fn) is not None)
                          or _zeroed_count_param_js1(fn, c) is not None
                          or (_after_failure(c.node, fn) and _predicate_guard_js1(c, fn) is not None)
                          or _rerun_after_failure_js1r22(ctx, c.node, fn)
                          or (_after_failure(c.node, fn) and _stepped_give_up_js1r22(c, fn) is not None))]
        if not recursive:
            continue
        if _local_only_js1r22(ctx, fn):
            continue  # (round 22, js1) a file lock or other file-system work tried again: local work
        first = recursive[0]
        if _waits_for_local_state_js1(first.node, fn):
            continue
        if _polls_progress_state_js1(first.node, fn):
            continue
        if _draws_again_js2(ctx, first.node, fn):
            continue
        attempts, confidence, pending = None, "medium", ()
        bound = None  # the defaulted parameter counting the retries left, for the helper's callers
        params = fn.child_by_field_name("parameters")
        for param in (params.named_children if params is not None else []):
            left = param.child_by_field_name("pattern") or param.child_by_field_name("left")
            default = param.child_by_field_name("value") or param.child_by_field_name("right")
            member = _stepped_member_default(left, first)
            if member is not None:
                # `({ data, retries = 0, ...options }) => ... request({ ..., retries: retries + 1 })` (round 12):
                # a destructured options member counting up from its default
                attempts, confidence, pending = _counting_up(ctx, fn, member[0], member[1], first)
                break
            if left is not None and left.type == "object_pattern" and default is not None and \
                    unwrap(default).type == "object":
                # `({ retries, operation } = { retries: 30, operation: '' })` re-called with `{ retries: retries - 1 }`
                # (round 14, js1: snyk broker): the default object's count is the retries left
                from extractors.javascript.context import _default_object_member_js1
                member = next((ts.text(p) for p in left.named_children if p.type == "shorthand_property_identifier_pattern"
                               and re.search(r"retr|attempt|tries", ts.text(p), re.I)), None)
                value = _default_object_member_js1(default, member) if member else None
                if value is not None and re.search(re.escape(member) + r"\s*-\s*1\b",
                                                   " ".join(ts.text(a) for a in first.args)):
                    attempts, confidence, pending = ctx.count_value(value, 1.0)
                    break
            if left is not None and default is not None and re.search(r"retr|attempt|tries", ts.text(left), re.I) \
                    and left.type != "object_pattern" \
                    and unwrap(default).type not in ("true", "false"):  # (`retryIfFailed = true`: a flag, no count)
                # (round 18, js1: an options bag `{ attempt = 1, totalAttempts = 3 } = {}` is no count itself: its
                # members are read by the guard, below)
                name = ts.text(left)
                if re.search(re.escape(name) + r"\s*\+\s*1\b", " ".join(ts.text(a) for a in first.args)):
                    attempts, confidence, pending = _counting_up(ctx, fn, name, default, first)
                elif not _counter_checked_js1(fn, name):
                    # (round 17, js1) `return this.request(method, args, retries - 1)` on a 409 with `retries` never
                    # compared (cross-seed's Transmission): the count bounds nothing, the re-sends are unbounded
                    break
                elif not re.search(re.escape(name) + r"\s*-\s*1\b", " ".join(ts.text(a) for a in first.args)) and \
                        _bumped_before_js1(name, first.node, fn, first.node) and \
                        _guard_count(ctx, fn, first) != (None, "medium", ()):
                    # (round 18, js1) `attempt = 0` bumped by `attempt += 1` before `if (attempt < maxTries)`: a
                    # counter of tries made, bounded by the check guarding the self-call
                    attempts, confidence, pending = _guard_count(ctx, fn, first)
                else:  # `retries - 1`: the default is how many retries are left
                    attempts, confidence, pending = ctx.count_value(default, 1.0)
                    if re.search(re.escape(name) + r"\s*-\s*1\b", " ".join(ts.text(a) for a in first.args)):
                        # `getKey(url, cache, retries = 5)` re-called with `retries - 1`: a call passing n
                        # makes n + 1 tries, one leaving it out the default's (rules b, c; round 11)
                        bound = f"{name} + 1"
                break
        else:
            attempts, confidence, pending = _first_call_count(
                ctx, name, fn, params if params is not None else fn.child_by_field_name("parameter"), first)
        if bound is None:
            # (round 17, js1) `if (json.error?.code === NO_AUTH && retries > 0) { ...; return this.call(method,
            # params, 0) }` with `retries = 1` (cross-seed's Deluge call()): the count parameter gates one re-send
            # that passes 0 on; the helper's callers' counts are the contract (rules b, c)
            zeroed = _zeroed_count_param_js1(fn, first, stepped=True)
            if zeroed is not None:
                bound = f"{zeroed} + 1"
        if attempts is None and not pending:
            guarded = _predicate_guard_js1(first, fn)
            if guarded is not None:
                _counter, op, bound_node, start = guarded
                tries = BinOp("-", ctx.to_expr(bound_node), Num(start))
                attempts, confidence, pending = ctx.count_from_expr(BinOp("+", tries, Num(1)) if op == "<=" else tries)
        if attempts is None and not pending:
            bag = _options_bag_guard_js1(ctx, fn, first)
            if bag is not None:
                (attempts, confidence, pending), bound = ctx.count_from_expr(bag[0]), bag[1]
        if attempts is None and not pending and (_guarded_by_count(first.node, fn) or
                                                 _guarded_by_stepped_argument_js1(first, fn)):
            attempts, confidence, pending = _guard_count(ctx, fn, first)
        if attempts is None and not pending:
            attempts, confidence, pending = _callback_bumped_guard_js1(ctx, fn, first)
        if attempts is None and not pending:
            attempts, confidence, pending = _countdown_give_up_r21js1(ctx, name, fn, first)
        if attempts is None and not pending and _stepped_give_up_js1r22(first, fn) is not None:
            bound, op = _stepped_give_up_js1r22(first, fn)  # (round 22, js1) `if (count === 4) return cb(err)`
            attempts, confidence, pending = bound + 1, "medium", ()  # from 0 up to the bound
        if attempts is None and not pending:
            stepped = _stepped_guard(ctx, first, fn)
            if stepped is not None:
                attempts, confidence, pending = ctx.count_from_expr(stepped)
        if attempts is None and not pending:
            flagged = _flagged_counter_guard(ctx, first, fn)
            if flagged is not None:
                attempts, confidence, pending = ctx.count_from_expr(flagged)
        if (attempts is None and not pending or attempts == 1) and _flag_guarded(first, fn):
            attempts, confidence, pending = 2, "high", ()  # one retry under a flag the re-call flips
        if attempts is None and not pending and _zero_guarded_js1(first, fn):
            attempts, confidence, pending = 2, "high", ()  # one retry while the count is still at 0
        if attempts is None and not pending and _retry_decision(first.node, fn) is not None:
            attempts = _decision_tries(_retry_decision(first.node, fn), first.node)
        target, upending = ctx.first_target_in(fn)
        attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, fn), "retry_on": None,
                 "mechanism": "recursion", "library": None}
        if bound is not None:
            attrs["attempts_expression"] = bound
        found = ctx.finding("retry", first.node, ID, attrs, "medium", target, tuple(pending) + upending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))
        for other in recursive[1:]:
            # `if (tlsRetry.shouldRetryWithoutTls(...)) { ignoreTLS = true; return tryConnect() }` beside
            # `if (tlsRetry.isNetworkTimeout(err)) return tryConnect()` (round 12, ZoneMTA): each branch
            # deciding on its own to run the work again is a retry of its own
            guard = _retry_decision(other.node, fn) if _after_failure(other.node, fn) else None
            line = other.node.start_point[0] + 1
            if guard is None and not any(f.kind == "retry" and f.line == line for f in ctx.findings) and \
                    _rerun_after_failure_js1r22(ctx, other.node, fn):
                # (round 22, js1) `.catch(() => Promise.delay(ms).then(() => this.pushUpdates(data)))` beside the
                # re-send after a re-authentication: another path that sends the same call again
                ctx.finding("retry", other.node, ID, dict(attrs), "medium", target, tuple(pending) + upending)
                continue
            if guard is None or any(f.kind == "retry" and f.line == line for f in ctx.findings):
                continue
            extra = {"max_attempts": _decision_tries(guard, other.node), "backoff": _backoff(ctx, fn),
                     "retry_on": None, "mechanism": "recursion", "library": None}
            ctx.finding("retry", other.node, ID, extra, "medium", target, upending)


_RANDOM_DRAW_JS2 = re.compile(r"^(Math\.random|crypto\.randomInt|crypto\.randomUUID|randomInt|randomUUID|nanoid|uuid|"
                              r"uuidv4|v4|cuid|createId|ulid|crypto\.randomBytes|randomBytes)$")


def _draws_again_js2(ctx: FileContext, call: ts.Node, fn: ts.Node) -> bool:
    """`async getRandomPort(tries = 3) { const port = random(); const apps = await repo.getAppsByPort(port);
    if (apps.length === 0) return port; return this.getRandomPort(tries - 1) }` (round 16, runtipi): the
    function draws a new random value each time and calls itself when the draw is taken (a clean answer,
    outside any catch): a search for a free value, not a failed call sent again (as a loop trying new
    names is no retry)."""
    if ctx.outbound_in(fn) or any(p.type == "catch_clause" for p in ts.ancestors(call) if inside(p, fn) and p != fn):
        return False  # (a request re-sent with a fresh request id is a retry)
    drawn = set()
    for c in ctx.calls_in(fn):
        if not _RANDOM_DRAW_JS2.match(c.callee):
            continue
        holder = next((p for p in ts.ancestors(c.node) if p.type == "variable_declarator"), None)
        if holder is not None and inside(holder, fn) and holder.child_by_field_name("name") is not None:
            drawn.add(ts.text(holder.child_by_field_name("name")))
    # the drawn value is what the function hands back once it is free
    return any(n.type == "return_statement" and n.named_children and ts.text(n.named_children[0]) in drawn
               for n in descendants(fn, stop_at_functions=True))


def _zeroed_count_param_js1(fn: ts.Node, recursive, stepped: bool = False) -> str | None:
    """The defaulted count parameter (`retries = 1`) a re-call passes a literal 0 in its place, under an `if`
    whose condition tests it positive (`retries > 0`, `retries >= 1`, `&& retries`), or None. ``stepped``:
    also a count (defaulted or not) the re-call steps down (`--retryAttempt`, `retries - 1`) under such a test
    (across-protocol's `_executeTxnPromisesWithRetry(txPromises, --retryAttempt, ...)`)."""
    params = fn.child_by_field_name("parameters")
    position = 0
    for param in (params.named_children if params is not None else []):
        if param.type == "comment":
            continue
        left = param.child_by_field_name("pattern") or param.child_by_field_name("left")
        default = param.child_by_field_name("value") or param.child_by_field_name("right")
        name = ts.text(left) if left is not None and left.type == "identifier" else ""
        passed = re.sub(r"\s+", "", ts.text(recursive.args[position])) if position < len(recursive.args) else ""
        zeroed = default is not None and unwrap(default).type == "number" and passed == "0"
        stepping = stepped and passed in (f"--{name}", f"{name}-1")
        if name and re.search(r"retr|attempt|tries", name, re.I) and (zeroed or stepping):
            test = re.compile(r"\b" + re.escape(name) + r"\s*(?:>\s*0|>=\s*1|!==?\s*0)(?![\w.])")
            for parent in ts.ancestors(recursive.node):
                if parent == fn:
                    break
                condition = parent.child_by_field_name("condition") if parent.type == "if_statement" else None
                if condition is not None and test.search(ts.text(condition)):
                    return name
            return None
        position += 1
    return None


_COMPARISONS_JS1 = ("<", "<=", ">", ">=", "==", "===", "!=", "!==", "&&", "||")


def _counter_checked_js1(fn: ts.Node, name: str) -> bool:
    """(round 17, js1) whether ``fn``'s body tests the count ``name`` anywhere (`retries > 0`, `!retries`,
    `if (retries)`, `retries && ...`, `Math.max(retries, 0)`, handed to a helper): a count only ever stepped
    down in the re-call's arguments bounds nothing."""
    body = fn.child_by_field_name("body")
    for node in descendants(body) if body is not None else []:  # (also in a callback: `request.on("error", ...)`)
        if node.type != "identifier" or ts.text(node) != name:
            continue
        parent = node.parent
        if parent is None:
            continue
        if parent.type == "binary_expression" and ts.text(parent.child_by_field_name("operator")) in _COMPARISONS_JS1:
            return True
        if parent.type in ("unary_expression", "parenthesized_expression", "ternary_expression", "if_statement",
                           "while_statement", "variable_declarator", "assignment_expression"):
            return True
        if parent.type == "arguments" and not re.search(r"\b" + re.escape(name) + r"\s*-\s*1\b", ts.text(parent)):
            return True
    return False


def _stepped_member_default(pattern: ts.Node | None, recursive):
    """(name, default node) of a member of a destructured parameter named as a retry count, with a
    numeric default, that the self-call hands on one up (`{ retries = 0 }` ... `retries: retries + 1`)."""
    if pattern is None or pattern.type != "object_pattern":
        return None
    args = " ".join(ts.text(a) for a in recursive.args)
    for part in pattern.named_children:
        if part.type != "object_assignment_pattern":
            continue
        left, right = part.child_by_field_name("left"), unwrap(part.child_by_field_name("right"))
        if left is None or right is None or right.type != "number" or not RETRYISH.search(ts.text(left)):
            continue
        if re.search(re.escape(ts.text(left)) + r"\s*\+\s*1\b", args):
            return ts.text(left), right
    return None


def _handoff_retries(ctx: FileContext, retry_bodies) -> None:
    """`async function request() { attempt++; ...; if (failed && attempt < maxAttempts) return
    retryWithBackoff(request, attempt, delay) }` with `retryWithBackoff(fn, ...)` of this file waiting
    and then calling `fn()` (round 11): the function runs itself again through a helper it hands itself
    to, while a counter bumped once per run is under its bound; each run is an attempt."""
    for name, fn in ctx.functions.items():
        if retry_bodies.covers(fn) or _RECONNECT.search(name):
            continue
        handoffs = [c for c in ctx.calls_in(fn) if _hands_itself(ctx, c, name) and enclosing_function(c.node) == fn]
        guarded = [(c, comp) for c in handoffs if (comp := _count_guard(c.node, fn)) is not None]
        if not guarded:
            continue
        first, comp = guarded[0]
        line = first.node.start_point[0] + 1
        if any(f.kind == "retry" and f.line == line for f in ctx.findings):
            continue
        counter, op, bound, _ = comp
        start = _start_value(ctx, counter, fn)
        if start is None:
            continue
        bumps = [n for n in descendants(fn, stop_at_functions=True) if n.type == "update_expression"
                 and ts.text(n.child_by_field_name("argument")) == counter]
        guard = next(p for p in ts.ancestors(first.node) if p.type == "if_statement")
        pre = 1 if bumps and bumps[0].start_byte < guard.start_byte else 0
        extra = (1 if op == "<=" else 0) + (1 - pre)
        expr = BinOp("-", ctx.to_expr(bound), start)
        attempts, confidence, pending = ctx.count_from_expr(BinOp("+", expr, Num(extra)) if extra else expr)
        target, upending = ctx.first_target_in(fn)
        attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, fn), "retry_on": None,
                 "mechanism": "recursion", "library": None}
        if unwrap(bound) is not None and unwrap(bound).type == "identifier" and \
                ctx.evaluate(start).value == 0 and extra == 0:
            # `attempt < maxAttempts` with `maxAttempts = retryConfig?.maxAttempts ?? 3`: the helper's callers
            # hand (or leave out) that member (wrapper_call publishes it when the local reads one)
            attrs["attempts_expression"] = ts.text(unwrap(bound))
        found = ctx.finding("retry", first.node, ID, attrs, "medium", target, tuple(pending) + upending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))


def _hands_itself(ctx: FileContext, call, name: str) -> bool:
    """`retryWithBackoff(request, attempt, delay)`: the call hands the function ``name`` to a function of
    this file that calls that parameter (`return await request()` after a wait)."""
    if "." in call.callee or call.callee == name:
        return False
    index = next((i for i, a in enumerate(call.args) if unwrap(a) is not None and unwrap(a).type == "identifier"
                  and ts.text(unwrap(a)) == name), None)
    helper = ctx.functions.get(call.callee)
    if index is None or helper is None:
        return False
    params = helper.child_by_field_name("parameters")
    names = [ts.text(p.child_by_field_name("pattern") or p) for p in (params.named_children if params is not None else [])
             if p.type != "comment"]
    if index >= len(names):
        return False
    param = names[index].split(":", 1)[0].strip()
    return any(c.callee == param for c in ctx.calls_in(helper))


def _count_guard(call: ts.Node, fn: ts.Node):
    """The comparison (counter, op, bound, incremented) of an `if` around ``call`` (also one operand of
    an `&&` chain: `if (retryable(status) && attempt < maxAttempts)`) whose counter is bumped in ``fn``."""
    body = fn.child_by_field_name("body")
    for parent in ts.ancestors(call):
        if parent == fn:
            return None
        if parent.type != "if_statement" or not inside(call, parent.child_by_field_name("consequence") or parent):
            continue
        for part in _conjuncts(parent.child_by_field_name("condition")):
            comp = _comparison(part)
            if comp is None or comp[1] not in ("<", "<="):
                continue
            if body is not None and any(n.type == "update_expression" and ts.text(n.child_by_field_name("argument"))
                                        == comp[0] for n in descendants(body, stop_at_functions=True)):
                return comp
    return None


_FAILURE_WORDS = re.compile(r"err|fail|status|code|\bok\b|429|5\d\d|time_?out|ECONN|reject|conflict|"
                            r"throttl|limit|unavailable|invalid|expired|denied|!\s*\w*res|=== null|== null|!== 2", re.I)


def _after_failure(call: ts.Node, fn: ts.Node) -> bool:
    """The re-call follows a failure: in a catch clause, a promise's catch/error handler, or a branch
    whose condition names an error, a status or code, a limit (`if (res.status === 429)`,
    `if (!response.ok)`); not a re-run after work that went fine (`await job.finished();
    this.initialize(attempt + 1)`, a re-query after filtering everything out). A function that
    returned earlier on a check (`if (res.ok) return res;`) re-calls itself on the fall-through: the
    check failed."""
    for node in descendants(fn, stop_at_functions=True):
        if node.start_byte >= call.start_byte:
            break
        if node.type == "return_statement" and not inside(call, node) and any(
                p.type == "if_statement" for p in ts.ancestors(node) if inside(p, fn)):
            return True
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type == "catch_clause":
            return True
        if parent.type in ("if_statement", "ternary_expression", "while_statement"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and _FAILURE_WORDS.search(ts.text(condition)):
                return True
        if parent.type == "call_expression":
            callee = dotted(parent.child_by_field_name("function"))
            if callee.endswith((".catch", "catch")) or callee.endswith((".on", ".once")) and \
                    "error" in ts.text(parent.child_by_field_name("arguments") or parent)[:40]:
                return True
        if parent.type in ("arrow_function", "function_expression") and parent.parent is not None and \
                parent.parent.type == "arguments":
            params = parent.child_by_field_name("parameters") or parent.child_by_field_name("parameter")
            if params is not None and re.search(r"\berr", ts.text(params), re.I):
                return True  # `(err, res) => { if (...) return send(..., attempt + 1) }`
    return False


_DECIDES_RETRY = re.compile(r"(?i)retr(y|iable)")


def _retry_decision(call: ts.Node, fn: ts.Node) -> ts.Node | None:
    """The `if` around a self-call whose condition asks something named for retrying
    (`tlsRetry.shouldRetryWithoutTls(ignoreTLS, err)`, `isRetryable(err)`, `retry.isNetworkTimeout(err)`):
    the work's own decision to run again after this failure; None elsewhere."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return None
        if parent.type != "if_statement":
            continue
        consequence = parent.child_by_field_name("consequence")
        condition = parent.child_by_field_name("condition")
        if consequence is None or condition is None or not inside(call, consequence):
            continue
        if any(n.type == "call_expression" and _DECIDES_RETRY.search(dotted(n.child_by_field_name("function")))
               for n in [condition, *descendants(condition)]):
            return parent
    return None


def _decision_tries(guard: ts.Node, call: ts.Node):
    """2 when the branch sets a flag the guard's question is handed (`ignoreTLS = true` before
    `tryConnect()` under `shouldRetryWithoutTls(ignoreTLS, err)`): one more try; None otherwise."""
    condition = ts.text(guard.child_by_field_name("condition"))
    consequence = guard.child_by_field_name("consequence")
    for node in descendants(consequence, stop_at_functions=True):
        if node.start_byte >= call.start_byte:
            break
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("right")) == "true":
            left = ts.text(node.child_by_field_name("left"))
            if re.search(r"(?<![\w$.])" + re.escape(left) + r"(?![\w$])", condition):
                return 2
    return None


def _flag_guarded(call, fn: ts.Node) -> bool:
    """`if (status === 503 && !isRetrying) return send({ ...args, isRetrying: true })`: the call
    sets a flag named for retrying that its own guard checks unset: one retry, 2 tries."""
    flags = set()
    cleared = set()
    params = fn.child_by_field_name("parameters")
    names = []
    for param in (params.named_children if params is not None else []):
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
        names.append(ts.text(pattern) if pattern.type == "identifier" else "")
    for position, arg in enumerate(call.args):
        inner = unwrap(arg)
        if inner is None:
            continue
        if ts.text(inner) == "false" and position < len(names) and names[position]:
            cleared.add(names[position])  # `alias(a, b, team, identify, false)` for `retryIfFailed = true`
        if ts.text(inner) == "true" and position < len(names) and names[position]:
            flags.add(names[position])  # `complete(client, prompt, true)` for `isRetrying?: boolean`
        if inner.type == "object":
            for pair in inner.named_children:
                if pair.type == "pair" and ts.text(pair.child_by_field_name("value")) == "true":
                    flags.add(ts.text(pair.child_by_field_name("key")))
    flags = {f for f in flags if RETRYISH.search(f)}
    # `if (retryIfFailed) await this.alias(..., false)`: a flag allowing a retry, cleared on the re-call
    cleared = {f for f in cleared if re.search(r"retry|retries", f, re.I)}
    if not flags and not cleared:
        return False
    for parent in ts.ancestors(call.node):
        if parent == fn:
            break
        if parent.type == "if_statement":
            condition = ts.text(parent.child_by_field_name("condition"))
            if any(re.search(r"!\s*(?:[\w$]+\.)?" + re.escape(f) + r"\b", condition) for f in flags):
                return True
            if any(re.fullmatch(r"\(?\s*(?:[\w$]+\.)?" + re.escape(f) + r"\s*\)?", condition) for f in cleared):
                return True
            # `if (retry && e?.code === 'ECONNREFUSED') return this.$query(.., fallbackHost, false)` (round 14,
            # mempool): the flag is one of the condition's conjuncts
            parts = [p.strip(" ()") for p in condition.strip().strip("()").split("&&")] if "||" not in condition else []
            if len(parts) > 1 and any(re.fullmatch(r"(?:[\w$]+\.)?" + re.escape(f), p) for f in cleared for p in parts):
                return True
    return False


def _callback_bumped_guard_js1(ctx: FileContext, fn: ts.Node, recursive) -> tuple:
    """(round 21, js1) `let retries = 0; function connectionAttempt(callback) { mongoose.connect(url)
    .then(...).catch((err) => { retries++; if (retries < maxRetries) setTimeout(() => connectionAttempt(callback),
    retryTime * 1000); else callback(err) }) }` (the FIWARE agents' MongoDB connection): the counter lives
    outside the re-run function and is bumped in its error callback before the check guarding the re-run;
    tries = bound - start (one more for `<=`, one more when the bump follows the check)."""
    for parent in ts.ancestors(recursive.node):
        if parent == fn:
            break
        if parent.type != "if_statement" or not inside(recursive.node, parent.child_by_field_name("consequence")
                                                       or parent):
            continue
        comp = _bounding_comparison(parent.child_by_field_name("condition"))
        if comp is None or comp[1] not in ("<", "<="):
            continue
        counter, op, bound, _ = comp
        if "." in counter or not RETRYISH.search(counter):
            continue
        bumps = [n for n in descendants(fn) if n.type in ("update_expression", "augmented_assignment_expression")
                 and ts.text(n).replace(" ", "") in (f"{counter}++", f"++{counter}", f"{counter}+=1")]
        if not bumps:
            continue
        before = any(b.start_byte < parent.start_byte for b in bumps)
        if not before and not any(parent.start_byte <= b.start_byte < recursive.node.start_byte for b in bumps):
            continue
        start = _start_value(ctx, counter, fn)
        if start is None:
            continue
        expr = BinOp("-", ctx.to_expr(bound), start)
        extra = (1 if op == "<=" else 0) + (0 if before else 1)
        return ctx.count_from_expr(BinOp("+", expr, Num(extra)) if extra else expr)
    return None, "medium", ()


def _countdown_give_up_r21js1(ctx: FileContext, name: str, fn: ts.Node, recursive) -> tuple:
    """(round 21, js1) `const addECToCloudHandler = (attempt) => { if (attempt <= 0) { log.error(...);
    process.exit(-1); return; } nuve.addNewErizoController(c).then(...).catch((reason) => { setTimeout(() => {
    attempt -= 1; addECToCloudHandler(attempt); }, 3000) }) }; addECToCloudHandler(5);` (Licode's
    ErizoController): the attempts left count down by one before each re-call and the function gives up at
    its top once none is left: `<= 0` (or `< 1`, `!attempt`) makes `start` tries, `< 0` one more. The start
    is what every outside call passes (a number)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    names = [p for p in ([params] if params is not None and params.type == "identifier"
                         else (params.named_children if params is not None else [])) if p.type != "comment"]
    for position, param in enumerate(names):
        pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else param
        if pattern is None or pattern.type != "identifier":
            continue
        counter = ts.text(pattern)
        handed = unwrap(recursive.arg(position))
        if handed is None or ts.text(handed) != counter:
            continue
        stepped = any(n.type in ("update_expression", "augmented_assignment_expression")
                      and n.start_byte < recursive.node.start_byte
                      and ts.text(n).replace(" ", "") in (f"{counter}--", f"--{counter}", f"{counter}-=1")
                      for n in descendants(fn))
        if not stepped:
            continue
        extra = None
        for node in descendants(fn, stop_at_functions=True):
            if node.type != "if_statement" or node.start_byte > recursive.node.start_byte:
                continue
            text = re.sub(r"\s+", "", ts.text(node.child_by_field_name("condition") or node)).strip("()")
            consequence = node.child_by_field_name("consequence")
            if consequence is None or inside(recursive.node, consequence) or not any(
                    n.type in ("return_statement", "throw_statement") for n in [consequence, *descendants(consequence)]):
                continue
            if text in (f"{counter}<=0", f"{counter}<1", f"!{counter}", f"{counter}===0", f"{counter}==0"):
                extra = 0
            elif text == f"{counter}<0":
                extra = 1
            if extra is not None:
                break
        if extra is None:
            return None, "medium", ()
        outside = [c for c in ctx.calls if c.name == name and not inside(c.node, fn)]
        starts = {ts.text(unwrap(c.arg(position))) for c in outside if c.arg(position) is not None}
        if len(outside) < 1 or len(starts) != 1 or len(outside) != sum(1 for c in outside if c.arg(position) is not None):
            return None, "medium", ()
        start = ctx.to_expr(unwrap(outside[0].arg(position)))
        return ctx.count_from_expr(BinOp("+", start, Num(extra)) if extra else start)
    return None, "medium", ()


def _zero_guarded_js1(call, fn: ts.Node) -> bool:
    """(round 21, js1) `if (retries === 0 && err.statusCode === 401) { cred.del(() => toRemotePerson(person,
    retries + 1, callback)) }` (pump.io's deliveries, remote fetches, remote activities): the re-call steps a
    count parameter that its guard wants at 0: one retry, 2 tries. Not: a guard comparing against another
    number (read by the count rules), a re-call that does not step the count."""
    params = fn.child_by_field_name("parameters")
    names = []
    for param in (params.named_children if params is not None else []):
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
        if pattern.type == "identifier":
            names.append(ts.text(pattern))
    step = " ".join(ts.text(a) for a in call.args)
    stepped = [n for n in names if re.search(r"(?<![\w$.])" + re.escape(n) + r"\s*\+\s*1\b", step)]
    if not stepped:
        return False
    for parent in ts.ancestors(call.node):
        if parent == fn:
            break
        if parent.type != "if_statement":
            continue
        for part in _conjuncts(parent.child_by_field_name("condition")):
            text = re.sub(r"\s+", "", ts.text(part)).strip("()")
            if any(text in (f"{n}===0", f"{n}==0", f"0==={n}", f"0=={n}", f"!{n}") for n in stepped):
                return True
    return False


_SELF_ALIASES_JS1 = ("that", "self", "_this", "_self", "me")


def _prototype_methods_js1(ctx: FileContext) -> list:
    """(round 15, js1) `SyncModuleWorker.prototype.syncByName = function* (...) {...}` (ES5 classes, cnpmjs.org):
    (method name, function) of each function assigned to a prototype's member, which ctx.functions
    (declarations, variables, class methods) leaves out; a name already there is left to it."""
    out = []
    if b".prototype." not in ctx.data:
        return out
    for node in ctx.nodes_of("assignment_expression"):
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        target = dotted(left) if left is not None else ""
        if right is None or right.type not in FUNCTION_TYPES or ".prototype." not in target:
            continue
        name = target.rsplit(".", 1)[-1]
        if name and name not in ctx.functions:
            out.append((name, right))
    return out


def _member_methods_js1(ctx: FileContext) -> list:
    """(round 21, js1) `this.deleteTrigger = function (triggerData, retryCount) {...}` in an ES5 constructor,
    `that.addPublisher = (clientId, ..., retries) => {...}` in a factory building `const that = {}`,
    `ActivityObject.getRemoteObject = function (url, retries, callback) {...}` (a static member),
    `exports.fetch = ...`: (method name, function) of each function assigned to a member of `this`, of a
    plain name or of `module.exports`, which ctx.functions and the prototype walk leave out (a name already
    there is left to them)."""
    out = []
    if b"= function" not in ctx.data and b"=>" not in ctx.data:
        return out
    seen = set(ctx.functions)
    for node in ctx.nodes_of("assignment_expression"):
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or left.type != "member_expression" or right is None or right.type not in FUNCTION_TYPES:
            continue
        target = dotted(left)
        if not target or ".prototype." in target:
            continue
        holder, _, name = target.rpartition(".")
        if holder not in ("this", "module.exports", "exports") and not re.fullmatch(r"[A-Za-z_$][\w$]*", holder):
            continue
        if name and name not in seen:
            seen.add(name)
            out.append((name, right))
    return out


def member_selves_js1(fn: ts.Node) -> tuple:
    """(round 21, js1) The receivers a function assigned to a member calls itself through: the holder
    (`that.addPublisher(...)`, `ActivityObject.getRemoteObject(...)`, `exports.fetch(...)`), and for a member
    of `this` every alias of `this` an enclosing function declares (`var self = this`, `var utilsDB = this`:
    `utilsDB.disableTrigger(...)` inside `this.disableTrigger = function (...) {...}`)."""
    parent = fn.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None or parent.type != "assignment_expression":
        return ()
    left = parent.child_by_field_name("left")
    if left is None or left.type != "member_expression":
        return ()
    holder = dotted(left.child_by_field_name("object"))
    if not holder:
        return ()
    out = [holder]
    if holder == "module.exports":
        out.append("exports")
    if holder == "this":
        for outer in ts.ancestors(parent):
            if outer.type not in FUNCTION_TYPES or outer.type == "arrow_function":
                continue
            body = outer.child_by_field_name("body")
            for decl in descendants(body, stop_at_functions=True) if body is not None else []:
                if decl.type == "variable_declarator":
                    value = unwrap(decl.child_by_field_name("value"))
                    name = decl.child_by_field_name("name")
                    if value is not None and value.type == "this" and name is not None and name.type == "identifier":
                        out.append(ts.text(name))
            break
    return tuple(out)


def _self_aliased_js1(fn: ts.Node) -> bool:
    """`var that = this;` (or self / _this) in the function: its `that.method(...)` calls its own object."""
    body = fn.child_by_field_name("body")
    text = ts.text(body) if body is not None else ""
    return bool(re.search(r"\b(?:var|let|const)\s+(?:that|self|_this|_self|me)\s*=\s*this\b", text))


def _holder(fn: ts.Node) -> str:
    """`let initTasks = { async connect () { ... } }`: the variable holding the object a method is
    written in (its self-call reads `initTasks.connect()`); "" for anything else."""
    obj = fn.parent if fn.type == "method_definition" else None
    holder = obj.parent if obj is not None and obj.type == "object" else None
    if holder is not None and holder.type == "variable_declarator":
        name = holder.child_by_field_name("name")
        return ts.text(name) if name is not None and name.type == "identifier" else ""
    return ""


_TIMERS = ("setTimeout", "globalThis.setTimeout", "global.setTimeout")


def _timer_retries(ctx: FileContext, retry_bodies) -> None:
    """`attempt = function () { tryLock(key, (err, ok) => { if (ok) done(); else setTimeout(attempt, 50) }) }`:
    a function named as an attempt (or a retry) that hands itself to a timer: each run is one more
    try, until whatever stops it (a deadline or a success) does. No count is read."""
    if b"setTimeout" not in ctx.data:
        return
    for call in ctx.calls:
        if call.callee not in _TIMERS or call.arg(0) is None or unwrap(call.arg(0)).type != "identifier":
            continue
        name = ts.text(unwrap(call.arg(0)))
        if not RETRYISH.search(name) or retry_bodies.covers(call.node):
            continue
        fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES and _named(a) == name), None)
        if fn is None or not any(c.node != call.node and c.callee not in _TIMERS and not _NOT_REPEATS.search(c.callee)
                                 for c in ctx.calls_in(fn)):
            continue
        if any(f.detector == ID and f.kind == "retry" and inside(call.node, fn) for f in ctx.findings
               if f.line == call.node.start_point[0] + 1):
            continue
        target, upending = ctx.first_target_in(fn)
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "recursion",
                 "library": None}
        found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))


def _counted_timer_reruns(ctx: FileContext, retry_bodies) -> None:
    """`let retries = 0; let notify = () => { send(...).once('error', () => { if (retries++ <= 5)
    setTimeout(notify, delay); else next() }) }` (round 12, ZoneMTA's bounce notice, WildDuck's GridFS
    insert `if (tryCount++ < 5) return setTimeout(tryStore, 10)`): a function handed to a timer from
    inside itself, under a check of a counter declared outside it that the check steps; each run is
    an attempt. From 0, `c++ < N` re-runs N times (N + 1 tries), `c++ <= N` N + 1 times, `++c < N`
    N - 1 times. A timer outside such a check (a poll, a heartbeat) is not counted here."""
    if b"setTimeout" not in ctx.data:
        return
    for call in ctx.calls:
        if call.callee not in _TIMERS or call.arg(0) is None or retry_bodies.covers(call.node):
            continue
        handed = unwrap(call.arg(0))
        if handed.type in ("arrow_function", "function_expression", "function"):
            body = handed.child_by_field_name("body")
            if body is not None and body.type == "statement_block":
                stmts = [s for s in body.named_children if s.type != "comment"]
                body = stmts[0].named_children[0] if len(stmts) == 1 and stmts[0].type == "expression_statement" \
                    and stmts[0].named_children else None
            body = unwrap(body)
            if body is None or body.type != "call_expression" or \
                    unwrap(body.child_by_field_name("function")).type != "identifier":
                continue
            handed = unwrap(body.child_by_field_name("function"))
        if handed.type != "identifier":
            continue
        name = ts.text(handed)
        fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES and _named(a) == name), None)
        if fn is None:
            continue
        earlier = [f for f in ctx.findings if f.detector == ID and f.kind == "retry"
                   and f.line == call.node.start_point[0] + 1]
        if any(f.attributes.get("max_attempts") is not None or f.pending for f in earlier):
            continue
        guard = None
        for parent in ts.ancestors(call.node):
            if parent == fn:
                break
            if parent.type == "if_statement" and inside(call.node, parent.child_by_field_name("consequence") or parent):
                guard = parent
                break
        condition = unwrap(guard.child_by_field_name("condition")) if guard is not None else None
        if condition is None or condition.type != "binary_expression":
            continue
        left = unwrap(condition.child_by_field_name("left"))
        if left is not None and left.type == "identifier" and _bumped_in_guard_js1(ts.text(left), guard, call.node) \
                and not _close_handler_js1(call.node, fn):
            # (round 18, js1) `if (numRetried <= retries) { numRetried++; return setTimeout(createConnection,
            # retryTime * 1000, callback) }` (FIWARE's IoT agent MQTT/AMQP connect): the counter stepped first
            # thing in the branch reads as `numRetried++ <= retries`
            pass
        elif left is None or left.type != "update_expression" or not ts.text(left).strip().endswith("++") and \
                not ts.text(left).strip().startswith("++"):
            continue
        comp = _comparison(condition)
        if comp is None or comp[1] not in ("<", "<=") or "." in comp[0]:
            continue
        start = _outer_counter_start(fn, comp[0])
        if start is None:
            continue
        extra = (1 if comp[1] == "<" else 2) - (1 if comp[3] else 0) - start
        attempts, confidence, pending = ctx.count_from_expr(BinOp("+", ctx.to_expr(comp[2]), Num(extra)))
        if earlier and attempts is not None and not pending:
            for f in earlier:  # reported as a re-run without a count: this check is its count
                f.attributes["max_attempts"] = attempts
            continue
        if earlier:
            continue
        target, upending = ctx.first_target_in(fn)
        attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, fn), "retry_on": None,
                 "mechanism": "recursion", "library": None}
        found = ctx.finding("retry", call.node, ID, attrs, "medium", target, tuple(pending) + upending)
        ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))


def _bumped_in_guard_js1(counter: str, guard: ts.Node, call: ts.Node) -> bool:
    """The guard's branch steps ``counter`` (`counter++;` / `counter += 1;`) as a statement before ``call``."""
    branch = guard.child_by_field_name("consequence")
    if branch is None or not RETRYISH.search(counter):
        return False
    for stmt in branch.named_children if branch.type == "statement_block" else [branch]:
        if stmt.start_byte >= call.start_byte:
            return False
        inner = unwrap(stmt.named_children[0]) if stmt.type == "expression_statement" and stmt.named_children else None
        if inner is None:
            continue
        if inner.type == "update_expression" and ts.text(inner).replace(" ", "") in (f"{counter}++", f"++{counter}"):
            return True
        if inner.type == "augmented_assignment_expression" and ts.text(inner).replace(" ", "") == f"{counter}+=1":
            return True
    return False


_CLOSE_EVENTS_JS1 = re.compile(r"^['\"](close|end|disconnect|disconnected|offline|error)['\"]$")


def _close_handler_js1(call: ts.Node, fn: ts.Node) -> bool:
    """The timer runs in a handler of the connection's close (`conn.on('close', () => { ... })`): a
    reconnect of a lost connection, not a retry of a failed call."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type == "arguments" and parent.parent is not None and parent.parent.type == "call_expression":
            fn_node = parent.parent.child_by_field_name("function")
            first = next((a for a in parent.named_children if a.type != "comment"), None)
            if fn_node is not None and ts.text(fn_node).rsplit(".", 1)[-1] in ("on", "once", "addListener") and \
                    first is not None and _CLOSE_EVENTS_JS1.match(ts.text(first)):
                return True
    return False


def _outer_counter_start(fn: ts.Node, name: str) -> int | None:
    """The start of `let name = 0` declared in a block around ``fn`` (outside it: it outlives each
    run), as an int; None when it is not declared there with a whole number."""
    for parent in ts.ancestors(fn):
        if parent.type not in ("statement_block", "program"):
            continue
        for stmt in parent.named_children:
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in stmt.named_children:
                dname = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                if dname is None or ts.text(dname) != name:
                    continue
                value = unwrap(declarator.child_by_field_name("value"))
                if value is not None and value.type == "number" and re.fullmatch(r"\d+", ts.text(value)):
                    return int(ts.text(value))
                return None
    return None


def _named(fn: ts.Node) -> str | None:
    """The name a function is known by: its own, or the variable / assignment target holding it."""
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return ts.text(parent.child_by_field_name("left"))
    return None


def _first_call_count(ctx: FileContext, name: str, fn: ts.Node, params, recursive) -> tuple:
    """`const commit = retries => { ...; return commit(retries - 1) }; return commit(5)`: the count
    left comes from the first call, made outside the function (5 retries: 6 tries)."""
    if params is None:
        return None, "medium", ()
    names = [ts.text(p.child_by_field_name("pattern") or p) for p in params.named_children]
    if params.type == "identifier":  # `retries => ...`
        names = [ts.text(params)]
    for index, pname in enumerate(names):
        if not RETRYISH.search(pname):
            continue
        step = " ".join(ts.text(a) for a in recursive.args)
        down = re.search(re.escape(pname) + r"\s*-\s*1\b", step)
        up = re.search(re.escape(pname) + r"\s*\+\s*1\b", step)
        if not down and not up:
            continue
        outside = [c for c in ctx.calls if c.name == name and c.receiver in ("", "this") and not inside(c.node, fn)]
        if len(outside) != 1 or outside[0].arg(index) is None:
            return None, "medium", ()
        if down:
            return ctx.count_value(outside[0].arg(index), 1.0)
        return _counting_up(ctx, fn, pname, outside[0].arg(index), recursive)
    return None, "medium", ()


def _guard_count(ctx: FileContext, fn: ts.Node, recursive) -> tuple:
    """Tries of `if (this.retries < this.maxRetries) { this.retries++; return this.run() }`: the
    counter's first value and the bound, one more try when the counter moves after the check."""
    for parent in ts.ancestors(recursive.node):
        if parent == fn:
            break
        if parent.type != "if_statement":
            continue
        comp = _bounding_comparison(parent.child_by_field_name("condition"))
        if comp is None or comp[1] not in ("<", "<="):
            continue
        counter, op, bound, _ = comp
        start = _start_value(ctx, counter, fn)
        if start is None:
            return None, "medium", ()
        bumps = [n for n in descendants(fn, stop_at_functions=True) if n.type == "update_expression"
                 and ts.text(n.child_by_field_name("argument")) == counter]
        pre = 1 if bumps and bumps[0].start_byte < parent.start_byte else 0
        if not bumps and _bumped_before_js1(counter, recursive.node, fn, parent):
            pre = 1  # (round 18, js1) `attempt += 1` in the catch callback, before the check
        expr = BinOp("-", ctx.to_expr(bound), start)
        extra = (1 if op == "<=" else 0) + (1 - pre)
        return ctx.count_from_expr(BinOp("+", expr, Num(extra)) if extra else expr)
    return None, "medium", ()


def _bounding_comparison(condition: ts.Node | None):
    """The attempt counter's comparison of a condition, alone or one of its `&&` conjuncts
    (`errorInfo.isRetryable && this.initRetryCount < 5`, round 12)."""
    comp = _comparison(condition)
    if comp is not None:
        return comp
    for part in _conjuncts(condition) if condition is not None else []:
        comp = _comparison(part)
        if comp is not None and comp[1] in ("<", "<="):
            return comp
    return None


def _start_value(ctx: FileContext, counter: str, fn: ts.Node) -> Expr | None:
    if counter.startswith("this."):
        expr = ctx.to_expr(_find_member(fn, counter))
        return None if expr.__class__.__name__ == "Unknown" else expr
    value = ctx.local_value(counter, fn)
    if value is None:  # `let attempts = 0;` just above the function
        for parent in ts.ancestors(fn):
            for stmt in parent.named_children if parent.type in ("statement_block", "program") else []:
                if stmt.type == "lexical_declaration":
                    for decl in stmt.named_children:
                        if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == counter:
                            value = decl.child_by_field_name("value")
            if value is not None:
                break
    if value is None:
        found, default = C._parameter_default(fn, counter)
        if found and default is not None and unwrap(default) is not None and unwrap(default).type == "number":
            return ctx.to_expr(default)  # (round 18, js1) `(github, options, attempt = 0) => ...`
        return _parameter_counter_start_js1(fn, counter)
    return ctx.to_expr(value) if value is not None else None


def _parameter_counter_start_js1(fn: ts.Node, counter: str) -> Expr | None:
    """(round 15, js1) `function* syncByName(name, registry, retryCount) { retryCount = retryCount || 0; ...
    if (retryCount < 3) yield that.syncByName(name, registry, retryCount + 1) }`: a retry counter that is
    a parameter without a default starts at the fallback the body gives it, else at 0 (the first
    call leaves it out)."""
    params = fn.child_by_field_name("parameters")
    names = [ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"]
    if counter not in names or not RETRYISH.search(counter):
        return None
    body = fn.child_by_field_name("body")
    match = re.search(r"\b" + re.escape(counter) + r"\s*=\s*" + re.escape(counter) + r"\s*(?:\|\||\?\?)\s*(\d+)\b",
                      ts.text(body) if body is not None else "")
    return Num(float(match.group(1))) if match else Num(0.0)


def _find_member(fn: ts.Node, dotted_name: str) -> ts.Node | None:
    for node in descendants(fn):
        if node.type == "member_expression" and ts.text(node) == dotted_name:
            return node
    return None


def _counting_up(ctx: FileContext, fn: ts.Node, name: str, start: ts.Node, recursive) -> tuple:
    """Attempts of `f(x, retries = 0)` that calls `f(x, retries + 1)`: bounded by the comparison that
    guards the self-call (`if (retries <= 2) return f(x, retries + 1)`: retries at 0, 1, 2, so 4
    attempts) or by the give-up check (`if (retries > 2) throw`, after the request: 4 attempts;
    before it: 3)."""
    first_call = next((c for c in _calls_in(ctx, fn) if c.node.start_byte < recursive.node.start_byte
                       and not _NOT_REPEATS.search(c.callee) and not _SLEEPISH.search(c.name)), None)
    for node in descendants(fn, stop_at_functions=True):
        if node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        comp = None
        for candidate in [condition, *(descendants(condition) if condition is not None else [])]:
            comp = _comparison(candidate, frozenset({name}))
            if comp is not None and comp[0] == name:
                break
            comp = None
        if comp is None:
            continue
        _, op, bound, _ = comp
        n = ctx.to_expr(bound)
        s0 = ctx.to_expr(start)
        guards = inside(recursive.node, node.child_by_field_name("consequence") or node)
        if guards and op in ("<", "<="):
            retries = BinOp("-", n, s0) if op == "<" else BinOp("+", BinOp("-", n, s0), Num(1))
            return ctx.count_from_expr(BinOp("+", retries, Num(1)))
        gives_up = any(x.type == "throw_statement" for x in descendants(node)) or any(
            x.type == "return_statement" and not any(
                c.type == "call_expression" and ts.text(c.child_by_field_name("function")).rsplit(".", 1)[-1]
                == recursive.name for c in descendants(x))
            for x in descendants(node.child_by_field_name("consequence") or node))  # `return fallback()`
        if gives_up and op in (">", ">="):
            made = BinOp("-", n, s0) if op == ">=" else BinOp("+", BinOp("-", n, s0), Num(1))
            after = first_call is not None and first_call.node.start_byte < node.start_byte
            return ctx.count_from_expr(BinOp("+", made, Num(1)) if after else made)
    return None, "medium", ()


def _waits_on_retry_signal(ctx: FileContext, call: ts.Node, fn: ts.Node) -> bool:
    """`const retry = res.headers['retry-after']; if (retry) { await sleep(retry * 1000); return
    this.check() }`: the self-call runs after a wait, on a condition named as a retry."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type != "if_statement":
            continue
        condition = parent.child_by_field_name("condition")
        consequence = parent.child_by_field_name("consequence")
        if condition is None or consequence is None or not RETRYISH.search(ts.text(condition)):
            continue
        return any(_SLEEPISH.search(c.callee) or _SLEEPISH.search(ts.text(c.node.child_by_field_name("function")))
                   for c in ctx.calls_in(consequence) if c.node.start_byte < call.start_byte and c.node != call)
    return False


_FAILED = re.compile(r"\berr(or)?\b|\.error\b|fail", re.I)


def _recalled_after_wait(ctx: FileContext, call: ts.Node, fn: ts.Node) -> bool:
    """`catch (err) { log(...); await new Promise(r => setTimeout(r, 2500)); return this.loginToServer(server) }`
    (round 11): the function calls itself again from its own catch after waiting: a re-try until it goes
    through (no count)."""
    catch = next((p for p in ts.ancestors(call) if p.type == "catch_clause" or p == fn
                  or p.type in FUNCTION_TYPES), None)
    if catch is None or catch.type != "catch_clause" or not inside(catch, fn):
        return False
    block = catch.child_by_field_name("body")
    statement = next((s for s in (block.named_children if block is not None else []) if inside(call, s)), None)
    if statement is None:
        return False
    for earlier in block.named_children:
        if earlier.start_byte >= statement.start_byte:
            break
        text = ts.text(earlier).strip()
        if re.match(r"await\s+", text) and (_WAIT_FIRST.search(text) or any(
                _WAIT_CALL.search(c.callee) for c in ctx.calls_in(earlier))):
            return True
    return False


_LOCAL_STATE_CHECK = re.compile(r"^\(?\s*!\s*(?:[\w$]+\.)*(?:has|is)[A-Z][\w$]*\s*\(")


def _waits_for_local_state_js1(call: ts.Node, fn: ts.Node) -> bool:
    """`if (!hasGuildEventListener(guildId, "expiredMute")) { if (tries < MAX) setTimeout(() =>
    broadcastExpiredMute(guildId, userId, tries + 1), MINUTES) }` (round 14, js1: Zeppelin's loops): the
    function runs again later because something of its own process is not there yet (a listener, a
    registration), not because a call failed: a poll of its own state, no retry."""
    timed = False
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type == "call_expression" and \
                dotted(parent.child_by_field_name("function")) in ("setTimeout", "globalThis.setTimeout"):
            timed = True
        elif timed and parent.type == "if_statement":
            condition = ts.text(parent.child_by_field_name("condition") or parent)
            if "await" not in condition and _LOCAL_STATE_CHECK.search(condition):
                return True
            if _unset_closure_flags_r21js1(parent.child_by_field_name("condition"), fn):
                return True
    return False


def _unset_closure_flags_r21js1(condition: ts.Node | None, fn: ts.Node) -> bool:
    """(round 21, js1) `if (!scan_id && !error) { setTimeout(() => self.getNext(callback), 50); return }`
    (rippled-historical-database's HBase scanner): every conjunct tests that a variable of an enclosing
    scope (set by another callback) is still unset: the function waits for its own state, no failure."""
    parts = _conjuncts(condition) if condition is not None else []
    if not parts:
        return False
    for part in parts:
        part = unwrap(part)
        if part is None or part.type != "unary_expression" or ts.text(part.child_by_field_name("operator")) != "!":
            return False
        arg = unwrap(part.child_by_field_name("argument"))
        if arg is None or arg.type != "identifier":
            return False
        name = ts.text(arg)
        for scope in ts.ancestors(part):
            if scope.type in FUNCTION_TYPES and C._parameter_default(scope, name)[0]:
                return False  # a parameter (`if (!err)` in a callback): the call's own answer
            if scope == fn:
                break
        if any(d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
               for d in descendants(fn)):
            return False  # a local of the function itself: set by this call's own work
        outer = fn.parent
        while outer is not None and outer.type not in FUNCTION_TYPES and outer.type != "program":
            outer = outer.parent
        if outer is None or not any(d.type == "variable_declarator" and ts.text(d.child_by_field_name("name")) == name
                                    for d in descendants(outer, stop_at_functions=True)):
            return False  # not a variable of the enclosing scope
    return True


def _rerun_after_error(call: ts.Node, fn: ts.Node) -> bool:
    """`if (result.error) { setTimeout(() => { launch(); }, 5000); return; }` inside `launch`: the
    function schedules itself again after it failed, or in a branch that bumps an attempt counter
    (no limit)."""
    timer = None
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if timer is None and parent.type == "call_expression" and \
                dotted(parent.child_by_field_name("function")) in ("setTimeout", "globalThis.setTimeout"):
            timer = parent
        elif timer is not None and _failure_handler_js1(parent):
            # `work().catch(err => { setTimeout(() => start(attempt + 1), delay) })`, a catch clause's
            # timer (round 13, EmailEngine's Pub/Sub start): scheduled again because it failed; not a
            # periodic job that schedules itself after a success too (`.then(() => setTimeout(gc, 60000))`)
            return not _also_rescheduled_on_success_js1(call, fn)
        elif timer is not None and parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and _FAILED.search(ts.text(condition)):
                return True
            # `if (failed.length > 0) { reinstallAttempts++; setTimeout(() => reinstall(failed), delay) }`:
            # the branch that schedules the re-run counts it as one more attempt
            consequence = parent.child_by_field_name("consequence")
            if consequence is not None and inside(timer, consequence) and any(
                    n.type == "update_expression" and RETRYISH.search(ts.text(n.child_by_field_name("argument")) or "")
                    for n in descendants(consequence, stop_at_functions=True)):
                return True
    return False


def _also_rescheduled_on_success_js1(call: ts.Node, fn: ts.Node) -> bool:
    """Another self-call of ``fn`` from a timer outside any failure handler: a periodic job."""
    name = dotted(call.child_by_field_name("function")).rsplit(".", 1)[-1]
    for node in descendants(fn):
        if node.type != "call_expression" or node == call or \
                dotted(node.child_by_field_name("function")).rsplit(".", 1)[-1] != name:
            continue
        timed = handled = False
        for parent in ts.ancestors(node):
            if parent == fn:
                break
            if parent.type == "call_expression" and \
                    dotted(parent.child_by_field_name("function")) in ("setTimeout", "globalThis.setTimeout"):
                timed = True
            elif _failure_handler_js1(parent):
                handled = True
        if timed and not handled:
            return True
    return False


def _failure_handler_js1(node: ts.Node) -> bool:
    """A catch clause, or a function handed to `.catch(...)` (or as `.then`'s second argument)."""
    if node.type == "catch_clause":
        return True
    if node.type not in ("arrow_function", "function_expression", "function") or node.parent is None or \
            node.parent.type != "arguments" or node.parent.parent is None:
        return False
    callee = dotted(node.parent.parent.child_by_field_name("function"))
    args = [a for a in node.parent.named_children if a.type != "comment"]
    return callee.endswith(".catch") or callee.endswith(".then") and len(args) == 2 and args[1] == node


def _stepped_guard(ctx: FileContext, call, fn: ts.Node):
    """`const next = retryCount + 1; if (next > MAX_RETRIES) throwLimit(...); ...; recurse({ retryCount:
    next })`: the count handed on is a stepped copy of a retry counter, checked against its bound
    before the call; the counter starts at 0 (a retry count), so `> N` allows N + 1 tries. Returns
    the attempts as an Expr, or None."""
    args = " ".join(ts.text(a) for a in call.args)
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    for decl in descendants(body, stop_at_functions=True):
        if decl.type != "variable_declarator" or decl.end_byte > call.node.start_byte:
            continue
        name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
        if name is None or value is None or not re.search(r"(?<![\w$.])" + re.escape(ts.text(name)) + r"(?![\w$])", args):
            continue
        step = _STEP.search(ts.text(value))
        if step is None or not RETRYISH.search(ts.text(value)):
            continue
        for branch in descendants(body, stop_at_functions=True):
            if branch.type != "if_statement" or not (decl.end_byte <= branch.start_byte < call.node.start_byte):
                continue
            comp = _comparison(branch.child_by_field_name("condition"), frozenset({ts.text(name)}))
            if comp is None or comp[0] != ts.text(name) or comp[1] not in (">", ">="):
                continue
            consequence = branch.child_by_field_name("consequence")
            text = ts.text(consequence) if consequence is not None else ""
            if not re.search(r"\bthrow\b|(?<![\w$.])throw\w*\s*\(|\breturn\b", text):
                continue
            bound = ctx.to_expr(comp[2])
            return BinOp("+", bound, Num(1)) if comp[1] == ">" else bound
    return None


def _bumped_in(name: str, body: ts.Node) -> bool:
    """The body counts ``name`` up or down (`name++`, `name += 1`, `name = name + 1`)."""
    for node in descendants(body, stop_at_functions=True):
        if node.type == "update_expression" and ts.text(node.child_by_field_name("argument")) == name:
            return True
        if node.type in ("augmented_assignment_expression", "assignment_expression") and \
                ts.text(node.child_by_field_name("left")) == name and \
                re.search(r"(?<![\w$.])" + re.escape(name) + r"(?![\w$])|^\s*\d", ts.text(node.child_by_field_name("right"))
                          if node.type == "assignment_expression" else "1"):
            return True
    return False


def _flagged_counter_guard(ctx: FileContext, call, fn: ts.Node):
    """`const tooManyRetryAttempts = dto.retryAttempt && dto.retryAttempt > 2; if (!tooManyRetryAttempts &&
    failed) { return this.validateSession({ ..., retryAttempt: dto.retryAttempt ? dto.retryAttempt + 1 : 1 }) }`
    (round 11): the counter handed on (unset on the first call) is checked after a failure through a flag
    named before; `> N` allows N + 2 tries (counts 0..N + 1), `>= N` N + 1. Returns the attempts as an
    Expr, or None."""
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    guards = [p for p in ts.ancestors(call.node) if p.type == "if_statement" and inside(p, fn)]
    for decl in descendants(body, stop_at_functions=True):
        if decl.type != "variable_declarator" or decl.end_byte > call.node.start_byte:
            continue
        name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
        if name is None or value is None or name.type != "identifier":
            continue
        flag = ts.text(name)
        negated = re.compile(r"!\s*" + re.escape(flag) + r"(?![\w$])")
        if not any(negated.search(ts.text(g.child_by_field_name("condition"))) for g in guards):
            continue
        for part in [value, *descendants(value)]:
            comp = _comparison(part)
            if comp is None or comp[1] not in (">", ">=") or comp[3]:
                continue
            counter = comp[0]
            if not re.search(re.escape(counter) + r"\s*\+\s*1\b", " ".join(ts.text(a) for a in call.args) + " " +
                             ts.text(body)):
                continue  # the counter handed on one up
            bound = ctx.to_expr(comp[2])
            return BinOp("+", bound, Num(2)) if comp[1] == ">" else BinOp("+", bound, Num(1))
    return None


def _guarded_by_stepped_argument_js1(call, fn: ts.Node) -> bool:
    """(round 15, js1) `if (retryCount < 3) { yield sleep(3000); yield that.syncByName(name, retryCount + 1) }`:
    the self-call runs only while a retry counter it hands on one up is under its bound (the counter
    is named for retries: `page + 1` under `page < pages` is pagination)."""
    step = " ".join(ts.text(a) for a in call.args)
    for parent in ts.ancestors(call.node):
        if parent == fn:
            return False
        if parent.type != "if_statement" or not inside(call.node, parent.child_by_field_name("consequence") or parent):
            continue
        comp = _bounding_comparison(parent.child_by_field_name("condition"))
        if comp is None or comp[1] not in ("<", "<=") or not RETRYISH.search(comp[0]):
            continue
        return re.search(r"(?<![\w$.])" + re.escape(comp[0]) + r"\s*\+\s*1\b", step) is not None
    return False


def _guarded_by_count(call: ts.Node, fn: ts.Node) -> bool:
    """`const send = () => { attempts++; ...; setTimeout(() => { if (attempts < max) send(); }) }`:
    the self-call runs only while an attempt counter, bumped once per call, is under its bound."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type != "if_statement" or not inside(call, parent.child_by_field_name("consequence") or parent):
            continue
        comp = _bounding_comparison(parent.child_by_field_name("condition"))
        if comp is None or comp[1] not in ("<", "<="):
            continue
        counter = comp[0]
        body = fn.child_by_field_name("body")
        if body is not None and any(
                n.type == "update_expression" and ts.text(n.child_by_field_name("argument")) == counter
                for n in body.named_children for n in [n, *descendants(n, stop_at_functions=True)]):
            return True
        return _bumped_before_js1(counter, call, fn, parent) or _bumped_in_branch_r21js1(counter, call, fn, parent)
    return False


def _bumped_in_branch_r21js1(counter: str, call: ts.Node, fn: ts.Node, guard: ts.Node) -> bool:
    """(round 21, js1) `if (retries < MAX_ERIZOJS_RETRIES) { retries += 1; that.addPublisher(..., retries) }`
    (Licode's room controller): a count parameter bumped inside the guarded branch, just before the
    self-call that hands it on."""
    if not RETRYISH.search(counter) or "." in counter or not C._parameter_default(fn, counter)[0]:
        return False
    branch = guard.child_by_field_name("consequence")
    if branch is None or not inside(call, branch):
        return False
    for node in descendants(branch, stop_at_functions=True):
        if node.start_byte >= call.start_byte:
            break
        if node.type == "augmented_assignment_expression" and ts.text(node.child_by_field_name("left")) == counter \
                and ts.text(node).replace(" ", "").endswith("+=1"):
            return True
        if node.type == "update_expression" and ts.text(node.child_by_field_name("argument")) == counter:
            return True
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == counter and \
                re.fullmatch(re.escape(counter) + r"\s*\+\s*1", ts.text(node.child_by_field_name("right"))):
            return True
    return False


_IN_PROGRESS_JS1 = re.compile(r"""^['"`](initial|pending|queued|in[ _-]?progress|running|processing|creating|"""
                               r"""provisioning|starting|waiting|scheduled|inprogress)['"`]$""", re.I)


def _polls_progress_state_js1(call: ts.Node, fn: ts.Node) -> bool:
    """(round 18, js1) `if (!res || ['initial', 'in progress'].includes(res?.last_operation?.state)) { const next =
    await this[methodName](...args); await wait(d); return this.retry(methodName, args, { res: next, retries:
    retries + 1 }) }` (cloud.gov Pages' CF client): the function runs itself again while the last answer says
    the remote work is still under way: a poll of remote state, not a failed call sent again."""
    for parent in ts.ancestors(call):
        if parent == fn:
            return False
        if parent.type != "if_statement" or not inside(call, parent.child_by_field_name("consequence") or parent):
            continue
        condition = parent.child_by_field_name("condition")
        text = ts.text(condition) if condition is not None else ""
        if re.search(r"\.(state|status|phase)\b", text) and any(
                n.type == "string" and _IN_PROGRESS_JS1.match(ts.text(n)) for n in descendants(condition)):
            return True
    return False


def _predicate_guard_js1(call, fn: ts.Node):
    """(round 18, js1) `startRecording() { return this._startRecording().catch(() => delay(d).then(() => { if
    (this.shouldRecord()) return this.startRecording() ... })) }` with `shouldRecord() { return ... &&
    this._recordingRetries < RECORDING_MAX_RETRIES }` and `this._recordingRetries++` at the start of each
    try (bbb-webrtc-sfu's recording start): the self-call runs while a predicate method of the class says
    a counter field, stepped once per try, is under its bound. Returns (counter, op, bound node, start) or
    None; the counter starts where the constructor sets it (0 when it does not)."""
    cls = next((p for p in ts.ancestors(fn) if p.type == "class_body"), None)
    if cls is None:
        return None
    for parent in ts.ancestors(call.node):
        if parent == fn:
            return None
        if parent.type != "if_statement" or not inside(call.node, parent.child_by_field_name("consequence") or parent):
            continue
        for part in _conjuncts(parent.child_by_field_name("condition")):
            part = unwrap(part)
            if part is None or part.type != "call_expression":
                continue
            name = dotted(part.child_by_field_name("function"))
            if not name.startswith("this.") or name.count(".") != 1:
                continue
            method = next((m for m in cls.named_children if m.type == "method_definition" and
                           ts.text(m.child_by_field_name("name")) == name[5:]), None)
            body = method.child_by_field_name("body") if method is not None else None
            if body is None:
                continue
            for node in descendants(body, stop_at_functions=True):
                comp = _comparison(node)
                if comp is None or comp[1] not in ("<", "<=") or not comp[0].startswith("this.") or comp[3]:
                    continue
                counter = comp[0]
                if not re.search(re.escape(counter) + r"\s*(\+\+|\+=\s*1\b)", ts.text(cls)):
                    continue
                start = re.search(re.escape(counter) + r"\s*=\s*(\d+)\s*;", ts.text(cls))
                return counter, comp[1], comp[2], float(start.group(1)) if start else 0.0
    return None


_BAG_BOUND_JS1 = re.compile(r"^(total|max|maximum|limit|num|number)_?(of_?)?(attempts?|retries|tries)$|"
                            r"^(attempts?|retries|tries)_?(limit|max)$", re.I)


def _options_bag_guard_js1(ctx: FileContext, fn: ts.Node, call):
    """(round 18, js1) `async startBuildTask(task, job, { attempt = 1, totalAttempts = 3, sleepInterval } = {})`
    that gives up with `if (attempt === totalAttempts) throw error` and runs itself again with `{ attempt:
    attempt + 1, totalAttempts }` (cloud.gov Pages' CF API client): an options bag holding the try counter and
    its bound, each with a default. Tries: bound - start + 1 (`===`, `>=`; `>`: one more), the bound's
    member named for the helper's callers (rules b, c). Returns (Expr, attempts_expression) or None."""
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    if params is None or body is None:
        return None
    for index, param in enumerate(p for p in params.named_children if p.type != "comment"):
        pattern = param.child_by_field_name("left") if param.type == "assignment_pattern" else \
            (param.child_by_field_name("pattern") or param)
        if pattern is None or pattern.type != "object_pattern":
            continue
        members = {}
        for part in pattern.named_children:
            if part.type == "object_assignment_pattern" and part.child_by_field_name("left") is not None:
                members[ts.text(part.child_by_field_name("left"))] = part.child_by_field_name("right")
        for branch in descendants(body):
            if branch.type != "if_statement" or branch.start_byte >= call.node.start_byte:
                continue
            comp = _comparison(branch.child_by_field_name("condition"))
            if comp is None or comp[1] not in ("===", "==", ">=", ">") or comp[0] not in members or comp[3]:
                continue
            bound = unwrap(comp[2])
            bound_name = ts.text(bound) if bound is not None else ""
            if bound_name not in members or not _BAG_BOUND_JS1.match(bound_name):
                continue
            consequence = branch.child_by_field_name("consequence")
            if consequence is None or not re.search(r"\bthrow\b|\breturn\b", ts.text(consequence)):
                continue
            counter = comp[0]
            start = unwrap(members[counter])
            if start is None or start.type != "number" or \
                    not re.search(r"(?<![\w$.])" + re.escape(counter) + r"\s*\+\s*1\b", ts.text(body)):
                continue
            extra = 1.0 if comp[1] == ">" else 0.0
            offset = 1.0 + extra - float(ts.text(start))
            expr = BinOp("+", ctx.to_expr(members[bound_name]), Num(offset)) if offset else ctx.to_expr(members[bound_name])
            written = bound_name if not offset else f"{bound_name} {'+' if offset > 0 else '-'} {abs(int(offset))}"
            return expr, written
    return None


def _bumped_before_js1(counter: str, call: ts.Node, fn: ts.Node, guard: ts.Node) -> bool:
    """(round 18, js1) `const send = (gh, options, attempt = 0) => gh.repos.createCommitStatus(options).catch((err)
    => { attempt += 1; if (attempt < maxTries) return send(gh, options, attempt); throw err })` (cloud.gov
    Pages): a counter named for attempts, a parameter of the function, bumped by `+= 1` (or `= x + 1`)
    in the function holding the self-call, before the check guarding it."""
    if not RETRYISH.search(counter) or "." in counter or not C._parameter_default(fn, counter)[0]:
        return False
    holder = enclosing_function(call) or fn
    if not inside(holder, fn):
        return False
    for node in descendants(holder, stop_at_functions=True):
        if node.start_byte >= guard.start_byte:
            break
        if node.type == "augmented_assignment_expression" and ts.text(node.child_by_field_name("left")) == counter \
                and ts.text(node).replace(" ", "").endswith("+=1"):
            return True
        if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == counter and \
                re.fullmatch(re.escape(counter) + r"\s*\+\s*1", ts.text(node.child_by_field_name("right"))):
            return True
    return False


class _Disjoint:
    """Disjoint byte ranges (retry loop bodies, added in source order) with a bisect lookup."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, node: ts.Node) -> None:
        self.starts.append(node.start_byte)
        self.ends.append(node.end_byte)

    def covers(self, node: ts.Node) -> bool:
        i = bisect.bisect_right(self.starts, node.start_byte) - 1
        return i >= 0 and node.end_byte <= self.ends[i]


def _calls_in(ctx: FileContext, container: ts.Node, cross_functions: bool = False):
    for call in ctx.calls_in(container):
        if not cross_functions:
            fn = next((a for a in ts.ancestors(call.node) if a.type in FUNCTION_TYPES or a == container), None)
            if fn is not None and fn != container and inside(fn, container):
                continue
        yield call


def _loop_retry(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    handlers = [n for n in descendants(body, stop_at_functions=True)
                if n.type == "try_statement" and n.child_by_field_name("handler") is not None]
    header = _header_text(loop)
    counters = _counters(loop, body)
    until_break = _until_break_js2(ctx, loop, body)
    from extractors.javascript.callback_retrier_ts2 import callback_retry_loop
    callback_retrier = callback_retry_loop(loop, body)  # (round 21, ts2) resultRetryer re-invoking its callback
    if not RETRYISH.search(header) and not any(RETRYISH.search(c) for c in counters) and not until_break and \
            not _until_success(ctx, loop, body) and not _failures_against_retry_limit(body, counters, handlers) \
            and not _retry_named_try_loop_js2(loop, body) and not _counted_try_js2(ctx, loop, body) \
            and not _continue_after_failure_js1r22(loop, body):
        return False
    if _walks_items(loop, body):
        return False
    if handlers and _tries_new_names(ctx, body, counters, handlers):
        return False
    if handlers and _resets_on_success_js2(counters, handlers) and not _continue_after_failure_js1r22(loop, body):
        return False
    if handlers and ctx.outbound_in(body) and not any(ctx.outbound_in(h.child_by_field_name("body")) for h in handlers):
        # `while (attempts--) { req = await fetch(url); if (req.status === 403) { try { await
        # transplant() } catch { break } } else break }`: the try guards the recovery step, not the
        # request; the request is re-sent on its answer's status
        handlers = []
    if handlers:
        exits = any(n.type in ("return_statement", "break_statement", "throw_statement")
                    for h in handlers for n in descendants(h.child_by_field_name("body"), stop_at_functions=True)) \
            or _flag_exit(loop, body) or (_gives_up_in_catch(handlers) and _leaves_on_answer(body, handlers))
        if loop.type != "for_statement" and not exits and not until_break and \
                not _continue_after_failure_js1r22(loop, body):
            return False
        if not any(True for h in handlers for _ in _calls_in(ctx, h.child_by_field_name("body"))):
            return False
        if _waits_first(body) and all(_exits_only_on_answer(h.child_by_field_name("body")) for h in handlers):
            # `for (...) { await wait(250); try { const r = await read(); if (r) return r } catch {} }`:
            # it waits first and goes on after a clean answer that is still empty: a poll
            return False
    else:
        # `while (true) { const res = await fetch(url); if (res.ok) return res; ...; await sleep(d); attempt++ }`:
        # a retry on the response status, with no exception involved.
        if callback_retrier:
            pass
        elif not (ctx.outbound_in(body) or _checked_attempt(ctx, body) or _replayed_leftovers_js1(loop, body)) or \
                _backoff(ctx, body) == "none" and not _recovers_on_status(ctx, body):
            return False
        elif _waits_first(body) and not ctx.outbound_in(body):
            return False  # `for (...) { await wait(100); const done = await cache.get(); if (done) return done }`: a poll
    attempts, confidence, pending = _max_attempts(ctx, loop, body, handlers)
    first_call_ts2 = False
    if callback_retrier and not handlers:
        from extractors.javascript.callback_retrier_ts2 import called_before, one_more
        first_call_ts2 = called_before(loop)
        if first_call_ts2:  # the first call, made before the loop, is an attempt too
            attempts, pending = one_more(attempts, pending)
            ctx.param_counts[:] = [(a, b, name, offset + 1) if loop.start_byte <= a and b <= loop.end_byte
                                   else (a, b, name, offset) for a, b, name, offset in ctx.param_counts]
    if attempts is None and not pending and _counted_try_js2(ctx, loop, body):
        from extractors.javascript.detectors.counted_try_js2 import counted_try_attempts
        attempts, confidence, pending = counted_try_attempts(ctx, loop) or (attempts, confidence, pending)
    target, upending = ctx.first_target_in(body)
    attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, body), "retry_on": None,
             "mechanism": "loop", "library": None}
    from extractors.javascript.detectors.loop_bound_js2 import loop_bound_expression
    if (written := loop_bound_expression(loop)) is not None:
        if first_call_ts2:
            from extractors.javascript.callback_retrier_ts2 import written_plus_one
            written = written_plus_one(written)
        if written is not None:
            attrs["attempts_expression"] = written  # (round 18, js2) for a helper's callers (wrapper_call)
    found = ctx.finding("retry", loop, ID, attrs, "medium", target, pending + upending)
    ctx.retry_scopes.append(RetryScope(body, found.line, target, upending))
    return True


def _retry_named_try_loop_js2(loop: ts.Node, body: ts.Node) -> bool:
    """`export const retryPromise = async (fn, max, timeSeconds) => { for (let i = 0; i < max; i += 1) {
    try { const res = await fn(); return res } catch (e) { log(e) } await wait(timeSeconds * 1000) } }`
    (round 16, your-spotify): a counted loop, in a function named for retrying, whose try block awaits
    and returns the answer: each failure goes round again. Neither the counter nor the bound says `retry`;
    the helper's name does."""
    if loop.type != "for_statement":
        return False
    fn = next((p for p in ts.ancestors(loop) if p.type in FUNCTION_TYPES or p.type == "method_definition"), None)
    if fn is None:
        return False
    name = ts.text(fn.child_by_field_name("name")) if fn.child_by_field_name("name") is not None else _named(fn)
    if not name or not RETRYISH.search(name):
        return False
    for node in body.named_children:
        block = node.child_by_field_name("body") if node.type == "try_statement" else None
        inner = list(descendants(block, stop_at_functions=True)) if block is not None else []
        if node.child_by_field_name("handler") is not None and any(n.type == "return_statement" for n in inner) \
                and any(n.type == "await_expression" for n in inner):
            return True
    return False


def _resets_on_success_js2(counters, handlers) -> bool:
    """`while (!signal.aborted) { await sleep(d); try { await task(); attempt = 0; onSuccess() } catch {
    attempt++; onFailure(err, attempt) } }` (round 13, cosmo's pollWithBackoff): the failure counter
    goes back to 0 after a success and the loop goes on: a poll counting consecutive failures (for its
    backoff), not a retry that ends on the first success."""
    names = set(counters)
    if not names:
        return False
    for handler in handlers:
        block = handler.child_by_field_name("body")
        inner = list(descendants(block, stop_at_functions=True)) if block is not None else []
        if block is not None and (any(n.type == "break_statement" for n in block.named_children) or any(
                n.type == "return_statement" and n.named_children for n in inner)):
            continue  # `try { const r = await call(); attempts = 0; return r }`: it ends on the success,
            # with its answer (a bare `if (signal.aborted) return` is the poll being stopped)
        for node in inner:
            if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) in names:
                right = unwrap(node.child_by_field_name("right"))
                if right is not None and ts.text(right) == "0":
                    return True
    return False


_UNIQUENESS = re.compile(r"unique|duplicate|conflict|already\s*exists|exists|P2002|23505|E11000|\b11000\b|ER_DUP", re.I)


def _tries_new_names(ctx: FileContext, body: ts.Node, counters, handlers) -> bool:
    """`for (let attempt = 1; attempt <= MAX; attempt++) { try { return await createCopy(buildCopyName(name,
    attempt)) } catch (e) { if (isUniqueConstraintViolation(e)) continue; throw e } }` (round 12, formbricks):
    each pass asks for a different key made from the counter, until one is free: a search for an unused
    name, not the same work sent again."""
    loop = body.parent
    step = loop.child_by_field_name("increment") if loop is not None and loop.type == "for_statement" else None
    if step is not None and step.type == "update_expression":
        counters = [*counters, ts.text(step.child_by_field_name("argument"))]
    catches = [h.child_by_field_name("handler") for h in handlers if h.child_by_field_name("handler") is not None]
    if not any(_UNIQUENESS.search(ts.text(c)) for c in catches):
        return False
    if _renames_after_conflict(handlers, counters):
        return True
    if not counters:
        return False
    names = [re.compile(r"(?<![\w$.])" + re.escape(c) + r"(?![\w$])") for c in counters]
    for h in handlers:
        for call in _calls_in(ctx, h.child_by_field_name("body")):
            if _NOT_REPEATS.search(call.callee):
                continue
            # the counter itself among the arguments (an identifier, never a word in a comment)
            if any(node.type == "identifier" and ts.text(node) in counters
                   for a in call.args for node in [a, *descendants(a)]):
                return True
    return False


def _failures_against_retry_limit(body: ts.Node, counters, handlers) -> bool:
    """`while (true) { try { ...a batch... } catch (error) { failedBatches++; if (failedBatches >= maxRetries)
    break; await sleep(1000) } }` (round 12, dub's ban job): a catch counting failures against a limit
    named for retries, giving up once it is reached: the batch is tried again until then."""
    for h in handlers:
        catch = h.child_by_field_name("handler")
        if catch is None:
            continue
        for node in descendants(catch, stop_at_functions=True):
            if node.type != "binary_expression" or ts.text(node.child_by_field_name("operator")) not in (">=", ">"):
                continue
            left, right = ts.text(node.child_by_field_name("left")), ts.text(node.child_by_field_name("right"))
            if left in counters and RETRYISH.search(right) and re.fullmatch(r"[\w$.]+", right):
                return True
    return False


_TAKEN_KEY = re.compile(r"unique|duplicate|already\s*exists|taken|P2002|23505|E11000|\b11000\b|ER_DUP", re.I)


def _renames_after_conflict(handlers, counters) -> bool:
    """`catch (error) { if (isDuplicate) { attempt++; currentCode = `${currentCode}${nanoid(2)}`; continue } }`
    (round 12, dub's discount codes): after a duplicate the catch gives the key the try sends a new value
    (a name read in the try) before going round: a search for an unused key, not the same request again."""
    for h in handlers:
        catch = h.child_by_field_name("handler")
        tried = h.child_by_field_name("body")
        if catch is None or tried is None or not _TAKEN_KEY.search(ts.text(catch)) or \
                any(n.type == "await_expression" for n in descendants(catch, stop_at_functions=True)):
            continue  # (a re-read after an optimistic-concurrency conflict is the same write tried again)
        for node in descendants(catch, stop_at_functions=True):
            if node.type != "assignment_expression":
                continue
            left = node.child_by_field_name("left")
            if left is None or left.type != "identifier" or ts.text(left) in counters or re.fullmatch(
                    re.escape(ts.text(left)) + r"\s*[-+]\s*\d+", ts.text(node.child_by_field_name("right")).strip()):
                continue  # (a counter stepped: `attempt = attempt + 1`)
            if re.search(r"(?<![\w$.])" + re.escape(ts.text(left)) + r"(?![\w$])", ts.text(tried)):
                return True
    return False


def _gives_up_in_catch(handlers) -> bool:
    """A catch that throws once its count is spent (`retries++; if (retries > max) throw ...`)."""
    return any(n.type == "throw_statement" for h in handlers
               for n in descendants(h.child_by_field_name("handler") or h, stop_at_functions=True))


def _leaves_on_answer(body: ts.Node, handlers) -> bool:
    """The loop returns or breaks outside its catches (on the answer it was waiting for)."""
    catches = [h.child_by_field_name("handler") for h in handlers if h.child_by_field_name("handler") is not None]
    return any(n.type in ("return_statement", "break_statement") and not any(inside(n, c) for c in catches)
               for n in descendants(body, stop_at_functions=True))


def _recovers_on_status(ctx: FileContext, body: ts.Node) -> bool:
    """A branch on a passing-failure status of the answer that awaits a recovery step (`if
    (req.status === 403) { await streamInfo.transplant(dispatcher) }`) before the loop goes round."""
    if not ctx.outbound_in(body):
        return False
    for branch in descendants(body, stop_at_functions=True):
        if branch.type != "if_statement":
            continue
        condition = branch.child_by_field_name("condition")
        consequence = branch.child_by_field_name("consequence")
        if condition is None or consequence is None or not re.search(
                r"\.(?:status|statusCode)\s*={2,3}\s*" + _RESEND_CODES + r"\b", ts.text(condition)):
            continue
        if any(c.awaited for c in ctx.calls_in(consequence)):
            return True
    return False


_WAIT_FIRST = re.compile(r"^await\s+(?:[\w$]+\.)*(?:sleep|delay|wait[\w$]*|setTimeout|timeout|pause)\s*\(|"
                         r"^await\s+new\s+Promise\s*\(\s*\(?\s*[\w$]*\s*\)?\s*=>\s*setTimeout\b", re.I)


def _exits_only_on_answer(try_body: ts.Node | None) -> bool:
    """Every return/break of the try body sits in an `if` (the loop leaves on an answer, not on a
    call that merely did not throw)."""
    if try_body is None:
        return False
    exits = [n for n in descendants(try_body, stop_at_functions=True)
             if n.type in ("return_statement", "break_statement")]
    return bool(exits) and all(any(p.type == "if_statement" for p in ts.ancestors(n) if inside(p, try_body))
                               for n in exits)


def _waits_first(body: ts.Node) -> bool:
    """The loop's body starts by waiting, unconditionally: it looks again for something made
    elsewhere (a concurrent check's result in a cache), it does not try a request again."""
    statements = [n for n in body.named_children if n.type != "comment"] if body.type == "statement_block" else [body]
    return bool(statements) and statements[0].type == "expression_statement" and \
        bool(_WAIT_FIRST.search(ts.text(statements[0])))


_BLANK_ARRAY = re.compile(r"^(?:Array\.from\(\s*\{\s*length\s*:\s*(?P<a>[^{}]+?)\s*,?\s*\}\s*\)|"
                          r"(?:new\s+)?Array\((?P<b>[^()]+)\)(?:\.fill\(\w*\))?(?:\.keys\(\))?|"
                          r"\[\s*\.\.\.\s*(?:new\s+)?Array\((?P<c>[^()]+)\)(?:\.keys\(\))?\s*\])$")


def _tries_loop(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    """`const iterate = Array.from({ length: 5 }); for (const _ of iterate) { try { ...; break }
    catch { continue } }`: N blank slots walked only to repeat the body, which stops on success."""
    if loop.child_by_field_name("operator") is not None and ts.text(loop.child_by_field_name("operator")) != "of":
        return False
    right = unwrap(loop.child_by_field_name("right"))
    if right is None:
        return False
    if right.type == "identifier":
        right = ctx.local_value(ts.text(right), loop)
    m = _BLANK_ARRAY.match(re.sub(r"\s+", " ", ts.text(right)).strip()) if right is not None else None
    if m is None:
        return False
    left = loop.child_by_field_name("left")
    name = ts.text(left) if left is not None else ""
    if name != "_" and re.search(r"\b" + re.escape(name) + r"\b", ts.text(body)):
        return False  # the slot is used: a walk over something, not a repeat
    handlers = [n for n in descendants(body, stop_at_functions=True)
                if n.type == "try_statement" and n.child_by_field_name("handler") is not None]
    if not handlers:
        return False
    exits = any(n.type in ("return_statement", "break_statement")
                for n in descendants(body, stop_at_functions=True) if not any(
                    inside(n, h.child_by_field_name("handler")) for h in handlers))
    if not exits or not any(True for h in handlers for _ in _calls_in(ctx, h.child_by_field_name("body"))):
        return False
    count = next(g for g in m.groups() if g is not None)
    attempts, confidence, pending = ctx.count_from_expr(ctx.to_expr(_count_node(right, count)))
    target, upending = ctx.first_target_in(body)
    attrs = {"max_attempts": attempts, "backoff": _backoff(ctx, body), "retry_on": None,
             "mechanism": "loop", "library": None}
    found = ctx.finding("retry", loop, ID, attrs, "medium", target, pending + upending)
    ctx.retry_scopes.append(RetryScope(body, found.line, target, upending))
    return True


def _count_node(node: ts.Node, text: str) -> ts.Node:
    """The sub-expression of ``node`` whose text is ``text`` (the N of `Array.from({ length: N })`)."""
    for child in [node, *descendants(node)]:
        if ts.text(child).strip() == text.strip():
            return child
    return node


def _until_success(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    """`while (!reached) { try { await client.whoAmI(); reached = true } catch { await sleep(5000) } }`:
    no counter, but the loop runs only until the call goes through and waits after each failure
    (a drain that sets its flag from data, or gives up in its catch, is no retry)."""
    condition = unwrap(loop.child_by_field_name("condition"))
    text = ts.text(condition) if condition is not None else ""
    match = re.fullmatch(r"\(?\s*!\s*([A-Za-z_$][\w$]*)\s*\)?", text)
    if match is None:
        # `while (!gotRooms && this.bridgeState === 'starting')` (round 11): the flag is one of the loop's
        # conditions, the others say when to stop trying at all
        parts = [p.strip() for p in re.sub(r"^\(|\)$", "", text.strip()).split("&&")] if "||" not in text else []
        flags = [m.group(1) for p in parts if (m := re.fullmatch(r"!\s*([A-Za-z_$][\w$]*)", p))]
        if len(parts) < 2 or len(flags) != 1:
            return False
        flag = flags[0]
    else:
        flag = match.group(1)
    for node in body.named_children:
        if node.type != "try_statement":
            continue
        block, handler = node.child_by_field_name("body"), node.child_by_field_name("handler")
        if block is None or handler is None:
            continue
        # (the flag set once the call went through, or the awaited answer itself: `while (!userMap) { try {
        # userMap = await client.getJoinedRoomMembers(roomId) } catch { await delay(3000) } }`, round 11)
        sets = any(n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == flag
                   and (ts.text(n.child_by_field_name("right")) == "true"
                        or getattr(unwrap(n.child_by_field_name("right")), "type", "") == "await_expression")
                   for n in descendants(block, stop_at_functions=True))
        caught = handler.child_by_field_name("body")
        clears = any(n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) == flag
                     for n in descendants(caught, stop_at_functions=True)) if caught is not None else True
        waits = caught is not None and any(_WAIT_CALL.search(c.callee) or c.callee == "setTimeout"
                                           for c in ctx.calls_in(caught))
        awaited = any(n.type == "await_expression" for n in descendants(block, stop_at_functions=True))
        if sets and not clears and waits and awaited:
            return True
    return False


def _counted_try_js2(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    """(round 19, js2) see counted_try_js2: `for (let i = 0; i < 3; i++) { try { await save(); break } catch
    { if (i === 2) throw e } }`."""
    from extractors.javascript.detectors.counted_try_js2 import counted_try_until_done
    return counted_try_until_done(ctx, loop, body)


def _until_break_js2(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    """`while (true) { try { await this.dataSource.initialize(); break } catch (err) { log(err); await
    sleep(1000); continue } }` (round 14, jackson): no counter and no flag, but the try block leaves the
    loop once its awaited call went through and the catch waits before the next try: the call is retried
    until it succeeds, without bound. A worker loop that goes on after a success is no such retry."""
    condition = unwrap(loop.child_by_field_name("condition"))
    if loop.type != "while_statement" or condition is None or ts.text(condition).strip("() ") != "true":
        return False
    tries = [n for n in body.named_children if n.type != "comment"]
    if len(tries) != 1 or tries[0].type != "try_statement":
        return False
    block, handler = tries[0].child_by_field_name("body"), tries[0].child_by_field_name("handler")
    caught = handler.child_by_field_name("body") if handler is not None else None
    if block is None or caught is None:
        return False
    steps = [n for n in block.named_children if n.type != "comment"]
    if not steps or steps[-1].type not in ("break_statement", "return_statement"):
        return False
    awaited = [n for n in descendants(block, stop_at_functions=True) if n.type == "await_expression"]
    if not awaited or all(_WAIT_CALL.search(c.callee) for n in awaited for c in ctx.calls_in(n)):
        return False
    if any(n.type in ("break_statement", "return_statement", "throw_statement")
           for n in descendants(caught, stop_at_functions=True)):
        return False
    return any(_WAIT_CALL.search(c.callee) for c in ctx.calls_in(caught))


def _flag_exit(loop: ts.Node, body: ts.Node) -> bool:
    """`while (attempt < max && !success) { try { ...; success = true } catch {} attempt++ }`: the
    loop stops on a flag its body sets once the call went through."""
    condition = loop.child_by_field_name("condition")
    flags = set(re.findall(r"!\s*([A-Za-z_$][\w$]*)", ts.text(condition) if condition is not None else ""))
    # (or the awaited answer kept in it: `while (!userMap) { try { userMap = await get() } catch {...} }`)
    return any(n.type == "assignment_expression" and ts.text(n.child_by_field_name("left")) in flags
               and (ts.text(n.child_by_field_name("right")) == "true"
                    or getattr(unwrap(n.child_by_field_name("right")), "type", "") == "await_expression")
               for n in descendants(body, stop_at_functions=True))


def _walks_items(loop: ts.Node, body: ts.Node) -> bool:
    """`for (let attempt = 0; attempt < ids.length; attempt++) { save(ids[attempt]) }`: the counter
    indexes a list (bound by its `.length`, used as a subscript): a walk over items, not a retry."""
    condition = loop.child_by_field_name("condition")
    text = ts.text(condition) if condition is not None else ""
    tables = {m.group(1) for m in re.finditer(r"([\w$.]+)\.length\b", text) if _DELAY_TABLE.search(m.group(1))}
    if re.search(r"\.length\b", re.sub(r"[\w$.]+\.length\b", lambda m: "" if m.group(0)[:-7] in tables
                                                                   else m.group(0), text)):
        return True
    counters = _declared_counters(loop)
    return any(n.type == "subscript_expression" and ts.text(n.child_by_field_name("index")) in counters
               and ts.text(n.child_by_field_name("object")) not in tables
               for n in descendants(body, stop_at_functions=True))


# `for (let attempt = 0; attempt < RETRY_DELAYS.length; attempt++) { await sleep(RETRY_DELAYS[attempt]) ...}`:
# the counter walks a table of waits, one per attempt, not a list of items
_DELAY_TABLE = re.compile(r"delay|backoff|interval|wait|pause|sleep|retr|attempt", re.I)


def _table_length(ctx: FileContext, bound: ts.Node, site: ts.Node):
    """`RETRY_DELAYS.length` of an array literal this file declares: Num(its size), else None."""
    bound = unwrap(bound)
    if bound is None or bound.type != "member_expression" or \
            ts.text(bound.child_by_field_name("property")) != "length":
        return None
    obj = unwrap(bound.child_by_field_name("object"))
    if obj is None or obj.type != "identifier" or not _DELAY_TABLE.search(ts.text(obj)):
        return None
    value = ctx.local_value(ts.text(obj), site)
    if value is None or value.type != "array" or any(c.type == "spread_element" for c in value.named_children):
        return None
    return Num(len(value.named_children))


_SLEEPISH = re.compile(r"sleep|delay|wait|setTimeout|timeout|pause", re.I)


_COUNTDOWN_JS1 = re.compile(r"^\(?\s*([A-Za-z_$][\w$]*)\s*--\s*(===?|<=)\s*0\s*\)?$")


def _replayed_leftovers_js1(loop: ts.Node, body: ts.Node) -> bool:
    """(round 18, js1) `while (hasUnprocessedItems) { const result = await docClient.batchWrite(request);
    hasUnprocessedItems = !!Object.keys(result.UnprocessedItems ?? {}).length; if (hasUnprocessedItems) {
    request = {...}; if (maxRetries-- === 0) throw ...; await sleep(d) } }` (DEFRA rod-licensing's DynamoDB
    batch writes): the loop goes on while an awaited answer leaves work undone, replaying it until a
    countdown named for retries runs out."""
    if loop.type != "while_statement":
        return False
    flag = ts.text(loop.child_by_field_name("condition")).strip("() ")
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", flag):
        return False
    answers = set()
    for node in descendants(body, stop_at_functions=True):
        if node.type == "variable_declarator" and unwrap(node.child_by_field_name("value")) is not None and \
                unwrap(node.child_by_field_name("value")).type == "await_expression":
            answers.add(ts.text(node.child_by_field_name("name")))
    reads_answer = any(
        node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == flag and
        any(n.type == "identifier" and ts.text(n) in answers for n in descendants(node.child_by_field_name("right")))
        for node in descendants(body, stop_at_functions=True))
    if not reads_answer:
        return False
    for node in descendants(body, stop_at_functions=True):
        if node.type != "if_statement":
            continue
        match = _COUNTDOWN_JS1.match(ts.text(node.child_by_field_name("condition")).strip())
        consequence = node.child_by_field_name("consequence")
        if match and RETRYISH.search(match.group(1)) and consequence is not None and \
                re.search(r"\bthrow\b", ts.text(consequence)):
            return True
    return False


def _checked_attempt(ctx: FileContext, body: ts.Node) -> bool:
    """`const ok = await this.checkHealth(); if (ok) return true; await sleep(d)`: an awaited call
    whose result ends the loop (a call we cannot name as outbound, tried again until it answers)."""
    results: set[str] = set()
    for node in descendants(body, stop_at_functions=True):
        if node.type != "await_expression" or not node.named_children:
            continue
        call = unwrap(node.named_children[0])
        if call is None or call.type != "call_expression":
            continue
        callee = ts.text(call.child_by_field_name("function"))
        if _SLEEPISH.search(callee.rsplit(".", 1)[-1]) or _NOT_REPEATS.search(callee):
            continue
        holder = node.parent
        if holder is not None and holder.type == "variable_declarator":
            results.add(ts.text(holder.child_by_field_name("name")))
            pattern = holder.child_by_field_name("name")
        elif holder is not None and holder.type == "assignment_expression":
            pattern = holder.child_by_field_name("left")  # `[error, data] = await tryCatch(create())`
        else:
            pattern = None
        if pattern is not None and pattern.type in ("array_pattern", "object_pattern"):
            # `const [error, data] = await tryCatch(...)` (round 10): each name it binds is the answer
            results.update(ts.text(n) for n in pattern.named_children
                           if n.type in ("identifier", "shorthand_property_identifier_pattern"))
    if not results:
        return False
    for node in descendants(body, stop_at_functions=True):
        if node.type != "if_statement":
            continue
        cond = ts.text(node.child_by_field_name("condition")).strip("() !")
        consequence = node.child_by_field_name("consequence")
        # `if (ok)`, `if (res.ok)`, `if (result !== null)`: an answer came (not `count === 0`: a state
        # waited for, a poll)
        head = re.fullmatch(r"([A-Za-z_$][\w$]*)(?:\??\.[\w$]+)*(?:\s*!==?\s*(?:null|undefined))?", cond.strip())
        if head is None:
            # `if (result && result.length > 0)` (round 10): every conjunct reads the same answer,
            # present or non-empty (not `=== 0`: a state waited for)
            parts = [re.fullmatch(r"([A-Za-z_$][\w$]*)(?:\??\.[\w$]+)*(?:\s*(?:!==?\s*(?:null|undefined)|>\s*0|>=\s*1))?",
                                  part.strip()) for part in cond.split("&&")]
            if len(parts) > 1 and all(parts) and len({m.group(1) for m in parts}) == 1:
                head = parts[0]
        if head is not None and head.group(1) in results and consequence is not None and any(
                n.type in ("return_statement", "break_statement")
                for n in [consequence, *descendants(consequence, stop_at_functions=True)]):
            return True
    return False


def _header_text(loop: ts.Node) -> str:
    parts = []
    for name in ("initializer", "condition", "increment"):
        for child in loop.children_by_field_name(name):
            parts.append(ts.text(child))
    return " ".join(parts)


def _counters(loop: ts.Node, body: ts.Node) -> list[str]:
    names = []
    for node in descendants(body, stop_at_functions=True):
        if node.type == "update_expression":
            names.append(ts.text(node.child_by_field_name("argument")))
        elif node.type == "augmented_assignment_expression":
            names.append(ts.text(node.child_by_field_name("left")))
        elif node.type == "assignment_expression":
            left = ts.text(node.child_by_field_name("left"))
            if _unit_step(node, left) is not None:  # `attempt = attempt + 1`
                names.append(left)
    return names


def _counter_start(ctx: FileContext, name: str, loop: ts.Node) -> Expr | None:
    init = loop.child_by_field_name("initializer")
    if init is not None:
        for decl in ([init] if init.type == "variable_declarator" else init.named_children):
            if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                return ctx.to_expr(decl.child_by_field_name("value"))
    sibling = loop.prev_named_sibling
    while sibling is not None:
        if sibling.type in ("lexical_declaration", "variable_declaration"):
            for decl in sibling.named_children:
                if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                    value = decl.child_by_field_name("value")
                    return ctx.to_expr(value) if value is not None else None
        sibling = sibling.prev_named_sibling
    if name.count(".") == 1:
        # (round 20, ts2) `const queryProgress = { ..., retriesRemaining: 10 }` counted down in the catch
        from extractors.javascript.countdown_param_ts2 import member_counter_start
        return member_counter_start(ctx, name, loop)
    return None


def _note_countdown_start(ctx: FileContext, name: str, loop: ts.Node, at: ts.Node, offset: float) -> None:
    """`let retries = optionalConfig?.retries || 3; while (retries > 0) {...}` (round 10): a countdown
    started from an options member with a fallback counts the caller's value, so the function is a
    helper whose callers leave it out or set it (rules b/c); the bound is noted at the condition."""
    sibling = loop.prev_named_sibling
    while sibling is not None:
        if sibling.type in ("lexical_declaration", "variable_declaration"):
            for decl in sibling.named_children:
                if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                    value = unwrap(decl.child_by_field_name("value"))
                    if value is not None and value.type == "binary_expression" and \
                            ts.text(value.child_by_field_name("operator")) in ("||", "??") and \
                            getattr(unwrap(value.child_by_field_name("right")), "type", "") == "number":
                        ctx.note_param_count(value.child_by_field_name("left"), offset, at=at)
                    return
        sibling = sibling.prev_named_sibling


def _declared_counters(loop: ts.Node) -> frozenset[str]:
    init = loop.child_by_field_name("initializer")
    if init is None:
        return frozenset()
    decls = [init] if init.type == "variable_declarator" else init.named_children
    return frozenset(ts.text(d.child_by_field_name("name")) for d in decls if d.type == "variable_declarator")


def _comparison(node: ts.Node | None, names: frozenset[str] = frozenset()):
    """(counter, op, bound node, counter already incremented) of `c < N`, `N > c`, `++c >= N`;
    the counter is named like an attempt, or is one of ``names`` (the loop's own counter)."""
    node = unwrap(node)
    if node is None or node.type != "binary_expression":
        return None
    op = ts.text(node.child_by_field_name("operator"))
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "===": "===", "==": "==", "!==": "!==", "!=": "!="}
    if op not in flip:
        return None
    left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
    for counter, bound, oper in ((left, right, op), (right, left, flip[op])):
        incremented = False
        if counter is not None and counter.type == "update_expression":
            incremented = ts.text(counter).startswith(("++", "--"))
            counter = counter.child_by_field_name("argument")
        if counter is not None and counter.type in ("identifier", "member_expression") and \
                (RETRYISH.search(ts.text(counter).rsplit(".", 1)[-1]) or ts.text(counter) in names):
            return ts.text(counter), oper, bound, incremented
    return None


def _conjuncts(node: ts.Node) -> list[ts.Node]:
    """The operands of an `a && b && c` chain, in order."""
    node = unwrap(node)
    if node is not None and node.type == "binary_expression" and \
            ts.text(node.child_by_field_name("operator")) == "&&":
        return _conjuncts(node.child_by_field_name("left")) + _conjuncts(node.child_by_field_name("right"))
    return [node] if node is not None else []


def _max_attempts(ctx: FileContext, loop: ts.Node, body: ts.Node, handlers: list[ts.Node]):
    condition = loop.child_by_field_name("condition")
    if condition is not None and condition.type == "expression_statement" and condition.named_children:
        condition = condition.named_children[0]
    if condition is not None and condition.type == "parenthesized_expression":
        condition = unwrap(condition)
    bare = unwrap(condition)
    if bare is not None and bare.type == "update_expression" and ts.text(bare).endswith("--"):
        # `let attempts = 3; while (attempts--) {...}`: one pass per unit of the counter's start
        counter = bare.child_by_field_name("argument")
        if counter is not None and counter.type == "identifier" and RETRYISH.search(ts.text(counter)):
            start = _counter_start(ctx, ts.text(counter), loop)
            if start is not None:
                return ctx.count_from_expr(start)
        return None, "medium", ()
    if bare is not None and bare.type == "identifier" and RETRYISH.search(ts.text(bare)):
        # `while (retries) { try { ... } catch { retries--; } }`: as `retries > 0`
        start = _counter_start(ctx, ts.text(bare), loop)
        step, _ = _step_before(ts.text(bare), loop, body, False)
        if start is not None and step is not None and step < 0:
            return ctx.count_from_expr(start)
        return None, "medium", ()
    comp = _comparison(condition)
    declared = _declared_counters(loop)
    if comp is None and bare is not None and bare.type == "binary_expression" and \
            ts.text(bare.child_by_field_name("operator")) == "&&":
        # `for (let attempt = 0; attempt < attempts && !done; attempt++)` (round 9): the bound is the
        # conjunct comparing the loop's counter; the other (`!done`, `!success`) ends it on an answer
        for part in _conjuncts(bare):
            comp = _comparison(part, declared)
            if comp is not None:
                condition = part
                break
    if (comp is None or (declared and comp[0] not in declared)) and \
            RETRYISH.search(ts.text(condition) if condition is not None else ""):
        # `for (let i = 1; i < retries + 1; i++)`, `for (let i = 0; i < attempts; i++)`: the loop's
        # own counter, not the bound that happens to be named for attempts
        declared_comp = _comparison(condition, declared)
        if declared_comp is not None and declared_comp[0] in declared:
            comp = declared_comp
    if comp is None and declared and _retry_named_try_loop_js2(loop, body):
        # `for (let i = 0; i < max; i += 1)` in `retryPromise(fn, max, ...)` (round 16): the loop's own
        # counter against the helper's bound
        declared_comp = _comparison(condition, declared)
        if declared_comp is not None and declared_comp[0] in declared:
            comp = declared_comp
    if comp is not None and loop.type == "while_statement" and not _bumped_in(comp[0], body):
        # `while (round <= retryCount) { ...; round++ }` (round 11): the side the body counts up is the
        # counter, the one named for retries its bound
        other = unwrap(comp[2])
        if other is not None and other.type == "identifier" and _bumped_in(ts.text(other), body):
            comp = _comparison(condition, frozenset({ts.text(other)})) or comp
    if comp is not None:
        counter, op, bound, pre_stepped = comp
        # (round 21, ts2) `while (++attempt <= maxAttempts)` from 0: the counter is stepped before the
        # comparison, so one pass fewer than `attempt <= maxAttempts` (metriport's executeWithRetries)
        pre = 1.0 if pre_stepped and op in ("<", "<=", ">", ">=") else 0.0
        start = _counter_start(ctx, counter, loop)
        if start is None:
            # (round 20, ts2) `while (retries > 0) { ...; retries-- }` counting down the function's parameter
            from extractors.javascript.countdown_param_ts2 import param_countdown_start
            start = param_countdown_start(ctx, loop, body, counter, bound, op)
        if start is not None:
            n = _table_length(ctx, bound, loop) or ctx.to_expr(bound)
            if isinstance(start, Num) and op in ("<", "<="):
                ctx.note_param_count(bound, (0.0 if op == "<" else 1.0) - float(start.value) - pre)
            elif isinstance(n, Num) and op in (">", ">="):
                _note_countdown_start(ctx, counter, loop, bound,
                                      (0.0 if op == ">=" else -1.0) - float(n.value) + 1.0 - pre)
            expr = {"<": lambda: BinOp("-", n, start), "<=": lambda: BinOp("+", BinOp("-", n, start), Num(1)),
                    ">": lambda: BinOp("-", start, n), ">=": lambda: BinOp("+", BinOp("-", start, n), Num(1))
                    }.get(op, lambda: None)()
            if expr is not None and pre:
                expr = BinOp("-", expr, Num(pre))
            if expr is not None:
                return ctx.count_from_expr(expr)
        return None, "medium", ()
    # while (true) { try {...} catch { if (++attempt >= N) throw e; } }, or without a catch:
    # for (let attempt = 1; ; attempt++) { if (await acquire()) break; if (attempt >= n) throw ...; }
    give_up_areas = [h.child_by_field_name("handler") for h in handlers] or [body]
    for catch in give_up_areas:
        for node in descendants(catch, stop_at_functions=True):
            if node.type != "if_statement":
                continue
            condition = node.child_by_field_name("condition")
            comp = None
            for candidate in [condition, *(descendants(condition) if condition is not None else [])]:
                comp = _comparison(candidate)
                if comp is not None:
                    if not _bumped_in(comp[0], body):
                        # `failedBatches >= maxRetries` (round 12): the side the body steps is the counter
                        comp = _comparison(candidate, frozenset(_counters(loop, body))) or comp
                    break
            if comp is None:
                continue
            counter, op, bound, in_condition = comp
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if alternative is not None and consequence is not None and \
                    not any(n.type == "throw_statement" for n in [consequence, *descendants(consequence)]) and \
                    (any(n.type == "throw_statement" for n in descendants(alternative)) or
                     _breaks_out_js1(alternative, catch)) and \
                    op in ("<", "<=", ">", ">="):
                # `if (remaining > 0 && retryable(err)) { await sleep(d); continue } else { throw err }`:
                # it goes on while the condition holds, gives up in the else branch
                op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]
            elif not any(n.type == "throw_statement" or n.type == "break_statement" and catch is not body
                         and _failures_against_retry_limit(body, [counter], handlers)
                         for n in descendants(node)):
                # (round 12: a catch's `if (failedBatches >= maxRetries) break` gives up as a throw does)
                # `if (conflict && attempt < max) continue; throw e;`: it goes on while under the bound
                consequence = node.child_by_field_name("consequence")
                goes_on = consequence is not None and any(
                    n.type == "continue_statement" for n in [consequence, *descendants(consequence)])
                if not goes_on or op not in ("<", "<=", ">", ">="):
                    continue
                op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]
            # The counter's value when the check runs on attempt k is start + (k - 1 + pre) * step,
            # where pre is 1 when it was bumped before the check (`++c >= n`, `c += 1` earlier in
            # the loop body) and 0 when it is bumped after (`c++ >= n` compares the old value, or
            # `c++` after the if / in the loop's update clause). The loop gives up on the first k
            # whose value meets the condition.
            step, pre = _step_before(counter, node, body, in_condition)
            if step is None:
                return None, "medium", ()
            start = _counter_start(ctx, counter, loop)
            if start is None:
                return None, "medium", ()
            n = ctx.to_expr(bound)
            if step > 0:
                extra = {">=": 1, "===": 1, "==": 1, ">": 2}.get(op)
                expr: Expr = BinOp("-", n, start)
            else:
                extra = {"<=": 1, "===": 1, "==": 1, "<": 2}.get(op)
                expr = BinOp("-", start, n)
            if extra is None:
                return None, "medium", ()
            extra -= pre
            if step > 0 and isinstance(start, Num):
                # (round 13) `while (true) { try {...} catch { attempts++; if (... && attempts <
                # maxAttempts) continue; throw e } }` in `fetchWithRetry(fn, id, log, maxAttempts = 3)`:
                # the bound is the helper's parameter, so its callers' counts are read (rules b, c)
                ctx.note_param_count(bound, float(extra) - float(start.value))
            if extra:
                expr = BinOp("+", expr, Num(extra))
            return ctx.count_from_expr(expr)
    return None, "medium", ()


def _breaks_out_js1(alternative: ts.Node, catch: ts.Node) -> bool:
    """(round 15, js1) `catch (err) { if (tries-- > 0 && delay < maxDelay) { yield sleep(30000) } else { break } }`
    in a `while (true)`: the else branch's `break` leaves the retry loop (gives up as a throw does);
    a break of a loop or switch nested in the branch does not count."""
    for n in descendants(alternative):
        if n.type != "break_statement" or n.named_children:  # (a labelled break: not read)
            continue
        nested = any(p.type in ("for_statement", "for_in_statement", "while_statement", "do_statement",
                                "switch_statement") for p in ts.ancestors(n)
                     if p.start_byte >= alternative.start_byte and p.end_byte <= alternative.end_byte)
        if not nested and catch.start_byte <= alternative.start_byte:
            return True
    return False


def _unit_step(node: ts.Node, counter: str) -> int | None:
    """+1 / -1 when ``node`` bumps ``counter`` by one (`c++`, `--c`, `c += 1`, `c = c - 1`), else None."""
    if node.type == "update_expression":
        if ts.text(node.child_by_field_name("argument")) != counter:
            return None
        return 1 if "++" in ts.text(node) else -1
    if node.type == "augmented_assignment_expression":
        if ts.text(node.child_by_field_name("left")) != counter or ts.text(node.child_by_field_name("right")) != "1":
            return None
        op = ts.text(node.child_by_field_name("operator"))
        return {"+=": 1, "-=": -1}.get(op)
    if node.type == "assignment_expression" and ts.text(node.child_by_field_name("left")) == counter:
        right = unwrap(node.child_by_field_name("right"))
        if right is not None and right.type == "binary_expression" and \
                ts.text(right.child_by_field_name("left")) == counter and ts.text(right.child_by_field_name("right")) == "1":
            return {"+": 1, "-": -1}.get(ts.text(right.child_by_field_name("operator")))
    return None


def _step_before(counter: str, check: ts.Node, body: ts.Node, in_condition: bool) -> tuple[int | None, int]:
    """(direction the counter moves, 1 if it moved before ``check`` on the same attempt else 0).

    ``in_condition`` is the prefix form inside the condition itself (`++c >= n`). A counter bumped
    in more than one place, or by something other than one, is not read (None).
    """
    condition = check.child_by_field_name("condition")
    steps_before, steps, bumps = [], [], []
    for node in descendants(body, stop_at_functions=True):
        step = _unit_step(node, counter)
        if step is None:
            continue
        steps.append(step)
        bumps.append(node)
        if condition is not None and inside(node, condition):
            if in_condition:
                steps_before.append(step)
        elif node.end_byte <= check.start_byte:
            steps_before.append(step)
    if len(steps) == 1:
        return steps[0], len(steps_before)
    if steps and len(set(steps)) == 1 and not in_condition and all(_checked_after(b, counter) for b in bumps):
        # `catch { retries++; if (retries > max) throw } ... retries++; if (retries > max) throw`:
        # each failure path bumps once and checks right after: one step before the check per attempt
        return steps[0], 1
    if steps:
        return None, 0  # bumped in two places: do not guess which ones run on an attempt
    # `for (...; ...; attempt++)`: the update clause runs after the body, so after the check
    loop = body.parent
    clause = loop.child_by_field_name("increment") if loop is not None else None
    step = _unit_step(unwrap(clause), counter) if clause is not None else None
    return step, 0


def _checked_after(bump: ts.Node, counter: str) -> bool:
    """The statement after the bump (in its block) is an `if` comparing the counter."""
    statement = bump
    while statement.parent is not None and statement.parent.type not in ("statement_block", "program"):
        statement = statement.parent
    block = statement.parent
    if block is None:
        return False
    siblings = [n for n in block.named_children if n.type != "comment"]
    following = [n for n in siblings if n.start_byte >= statement.end_byte]
    if not following or following[0].type != "if_statement":
        return False
    condition = following[0].child_by_field_name("condition")
    return condition is not None and re.search(r"(?<![\w$.])" + re.escape(counter) + r"(?![\w$])",
                                               ts.text(condition)) is not None


def _backoff(ctx: FileContext, body: ts.Node) -> str:
    for call in _calls_in(ctx, body, cross_functions=True):
        if not re.search(r"sleep|delay|wait|setTimeout|backoff|pause", call.name, re.I):
            continue
        args = call.args
        if call.name == "setTimeout" and len(args) >= 2:
            delay = args[1]
        elif args:
            delay = args[0]
        else:
            continue
        delay = unwrap(delay)
        raw = ts.text(delay)
        if delay is not None and delay.type == "identifier":
            local = ctx.local_value(raw, delay)
            if local is not None:
                raw = ts.text(local)
                delay = local
        if delay is not None and delay.type == "call_expression":
            helper = ctx.functions.get(ts.text(delay.child_by_field_name("function")).rsplit(".", 1)[-1])
            if helper is not None:  # `sleep(backoff(base, attempt))`: the helper says how it grows
                raw += " " + ts.text(helper)
        if re.search(r"\*\*|Math\.pow|<<|exponential", raw, re.I):
            return "exponential"
        if RETRYISH.search(raw) and "*" in raw:
            return "linear"
        if "random" in raw.lower():
            return "random"
        return "fixed"
    return "none"


def _catch_repeat(ctx: FileContext, try_node: ts.Node, try_body: ts.Node, catch_body: ts.Node) -> None:
    first = {}
    for call in _calls_in(ctx, try_body):
        if _repeatable(ctx, call):
            first.setdefault(call.callee, call)
    own = enclosing_function(try_node)
    own_name = ts.text(own.child_by_field_name("name")) if own is not None and own.child_by_field_name("name") \
        else None
    if own is not None and own_name is None and own.parent is not None and own.parent.type == "variable_declarator":
        own_name = ts.text(own.parent.child_by_field_name("name"))
    own_receiver = None
    if own is not None and own.parent is not None and own.parent.type == "assignment_expression":
        left = own.parent.child_by_field_name("left")  # `module.sortedSetAdd = async function (...) {...}`
        if left is not None and left.type == "member_expression":
            own_name = ts.text(left.child_by_field_name("property"))
            own_receiver = dotted(left.child_by_field_name("object"))
    if own_receiver is not None and own_name:
        for call in _calls_in(ctx, catch_body, cross_functions=True):
            # `module.sortedSetIncrByBulk`'s catch redoes the writes that hit a duplicate key one by
            # one: `retryData.map(([k, i, v]) => module.sortedSetIncrBy(k, i, v))`
            # (or by itself: `key.map(k => module.incrObjectFieldBy(k, field, value))`)
            if call.receiver == own_receiver and not call.awaited and \
                    re.fullmatch(re.escape(call.name) + r"(Bulk|Many|All|Batch)?", own_name) and \
                    _on_caught_error(try_node, catch_body, call, awaited=False):
                target, upending = ctx.first_target_in(try_body)
                attrs = {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "catch",
                         "library": None}
                found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
                ctx.retry_scopes.append(RetryScope(catch_body, found.line, target, upending))
                return
    for call in _calls_in(ctx, catch_body):
        if own_name and any(unwrap(a) is not None and unwrap(a).type == "identifier" and ts.text(unwrap(a)) == own_name
                            for a in call.args):
            continue  # `retryWithBackoff(request, attempt)`: the function handed on to run again (_handoff_retries)
        if own_name and call.name == own_name and call.receiver in ("", "this", own_receiver):
            if own_receiver is not None and call.receiver == own_receiver and _on_caught_error(try_node, catch_body, call) \
                    and not any(f.detector == ID and f.kind == "retry" and f.line == call.node.start_point[0] + 1
                                for f in ctx.findings):
                # `catch (err) { if (err.message.includes('E11000')) return await module.sortedSetAdd(k, s, v) }`:
                # the method runs itself again on a passing failure, without a count
                target, upending = ctx.first_target_in(try_body)
                attrs = {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "recursion",
                         "library": None}
                found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
                ctx.retry_scopes.append(RetryScope(catch_body, found.line, target, upending))
                return
            if own_receiver is None and call.receiver == "this" and not RETRYISH.search(" ".join(ts.text(a) for a in call.args)) \
                    and _on_caught_error(try_node, catch_body, call, awaited=False) and _returned(call) \
                    and not any(f.detector == ID and f.kind == "retry" and f.line == call.node.start_point[0] + 1
                                for f in ctx.findings):
                # a method's catch: `if (error.code === PrismaError.UNIQUE_CONSTRAINT_VIOLATION) return
                # this.createMockServer(user, input)`: it runs again on a passing failure, without a count
                target, upending = ctx.first_target_in(try_body)
                attrs = {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "recursion",
                         "library": None}
                found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
                ctx.retry_scopes.append(RetryScope(catch_body, found.line, target, upending))
                return
            continue  # the function calling itself: a recursive retry, reported as such
        original = first.get(call.callee)
        if original is not None and _raced(original):
            original = None  # the work handed in, awaited through `Promise.race([timeout, callback()])` (round 12)
        if original is None and "." not in call.callee and own is not None and \
                _is_param(own, call.callee) and _repeatable(ctx, call) and \
                not (_CONTINUATION.fullmatch(call.callee) and call.args):
            # `try { return await Promise.race([timeout, callback()]) } catch { return await callback() }`:
            # the work handed in, run once more after the first try failed (or timed out)
            original = next((c for c in _calls_in(ctx, try_body, cross_functions=True) if c.callee == call.callee),
                            None)
            if original is not None and _returned(call):
                target, upending = ctx.first_target_in(try_body)
                attrs = {"max_attempts": 2, "backoff": _backoff(ctx, catch_body), "retry_on": None,
                         "mechanism": "catch", "library": None}
                found = ctx.finding("retry", call.node, ID, attrs, "medium", target, upending)
                ctx.retry_scopes.append(RetryScope(catch_body, found.line, target, upending))
                return
        if original is None or not _repeatable(ctx, call):
            continue
        if not _remote(ctx, call, original) and \
                not _on_caught_error(try_node, catch_body, call, awaited=not _chained(call)) and \
                not _waits_then_reruns(ctx, original, catch_body, call):
            continue
        if _reports_error(try_node, catch_body, call) or _other_command(ctx, call, original) or \
                _to_fallback(call, original) or _tells_failure(call, original) or _failure_outcome(call, original) or \
                _same_ending(ctx, try_body, catch_body, call, original) or _changes_request(catch_body, call) or \
                _creates_missing_js1(ctx, catch_body, call):
            continue
        out = ctx.outbound.get((call.node.start_byte, call.node.end_byte)) or \
            ctx.outbound.get((original.node.start_byte, original.node.end_byte))
        target, upending = (out.target, out.pending) if out is not None else ctx.first_target_in(try_body)
        attrs = {"max_attempts": 2, "backoff": _backoff(ctx, catch_body), "retry_on": None,
                 "mechanism": "catch", "library": None}
        # a re-issue left running on its own (`checkHeader(url, 60000).then(cache)`, not awaited) is
        # reported on that call; a catch that repeats the call in its flow, on the try line
        detached = _chained(call) and not call.awaited and not _returned(call)
        found = ctx.finding("retry", call.node if detached else try_node, ID, attrs, "medium", target, upending)
        ctx.retry_scopes.append(RetryScope(catch_body, found.line, target, upending))
        return


def _raced(call) -> bool:
    """`Promise.race([timeout, callback()])` / `Promise.all([...])`: the call is an element of a Promise
    combinator's array (awaited through it, not on its own)."""
    parent = call.node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
        parent = parent.parent
    holder = parent.parent.parent if parent is not None and parent.type == "array" and parent.parent is not None \
        else None
    return holder is not None and holder.type == "call_expression" and \
        dotted(holder.child_by_field_name("function")).startswith("Promise.")


# a parameter named as the continuation a caller hands in to get the answer, called WITH the answer
# (`callback(notFound.jsonError())` in a socket handler's catch, round 10): answering, not running the
# work again (`callback()` without arguments is the work handed in: tryTwice's retry)
_CONTINUATION = re.compile(r"callback|cb|done|next|resolve|reject|respond|reply|ack|fn_?callback", re.I)


_NOT_FOUND_JS1 = re.compile(r"not\s*found|notfound|\b404\b|ENOENT|NoSuch\w*|does\s*not\s*exist|missing", re.I)
_CREATES_JS1 = re.compile(r"^(create|provision|register|generate|make|add|insert|init(ialize)?)[A-Z_]?\w*$")


def _creates_missing_js1(ctx: FileContext, catch_body: ts.Node, call) -> bool:
    """(round 18, js1) `try { credentials = await api.fetchCredentials(name) } catch (err) { if
    (!err.message.match(/Not found/)) throw err; const service = await api.fetchServiceInstance(name); await
    api.createServiceKey(name, service.guid); credentials = await api.fetchCredentials(name) }` (cloud.gov
    Pages): on a not-found answer the catch creates what was missing and reads it: a repair, not the same
    call tried again after a passing failure."""
    head = ts.text(catch_body)[:max(0, call.node.start_byte - catch_body.start_byte)]
    if not _NOT_FOUND_JS1.search(head):
        return False  # (the check for a missing resource, before the call made again)
    return any(c.node.start_byte < call.node.start_byte and _CREATES_JS1.match(c.name or "")
               for c in _calls_in(ctx, catch_body))


def _changes_request(catch_body: ts.Node, call) -> bool:
    """`catch (err1) { options.body.merge_method = 'merge'; await githubApi.putJson(url, options) }`, `catch {
    delete plContent.users[id]; await client.sendStateEvent(roomId, type, '', plContent) }` (round 11): before
    sending again the catch writes a literal into (or deletes from) the payload it hands the call: another
    way of asking (a fallback, a repair), not the same request tried again."""
    roots = {ts.text(unwrap(a)) for a in call.args if unwrap(a) is not None and unwrap(a).type == "identifier"}
    if not roots:
        return False
    for node in descendants(catch_body):
        if node.start_byte >= call.node.start_byte:
            break
        target = None
        if node.type == "assignment_expression" and getattr(unwrap(node.child_by_field_name("right")), "type", "") in (
                "string", "number", "true", "false"):
            target = node.child_by_field_name("left")
        elif node.type == "unary_expression" and ts.text(node).startswith("delete"):
            target = node.child_by_field_name("argument")
        if target is not None and target.type in ("member_expression", "subscript_expression") and \
                re.match(r"([A-Za-z_$][\w$]*)", ts.text(target)).group(1) in roots:
            return True
    return False


def _returned(call) -> bool:
    """The call's value is what the function returns (`return this.create(...)`, awaited or not)."""
    parent = call.node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression", "as_expression"):
        parent = parent.parent
    return parent is not None and parent.type == "return_statement"


def _reports_error(try_node: ts.Node, catch_body: ts.Node, call) -> bool:
    """`catch (error) { const msg = error.message; await logs.update(id, { status: FAILED, error: msg }) }`:
    the call in the catch hands on the caught error (or something made from it): it records the
    failure, it does not try again."""
    caught = _catch_param(try_node)
    if not caught or not re.fullmatch(r"[A-Za-z_$][\w$]*", caught):
        return False
    names = {caught}
    for node in descendants(catch_body, stop_at_functions=True):
        if node.type == "variable_declarator" and node.end_byte <= call.node.start_byte:
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None and any(
                    re.search(r"(?<![\w$.])" + re.escape(n) + r"(?![\w$])", ts.text(value)) for n in names):
                names.add(ts.text(name))
    args = " ".join(ts.text(a) for a in call.args)
    return any(re.search(r"(?<![\w$.])" + re.escape(n) + r"(?![\w$])", args) for n in names)


_FAILURE_TEXT = re.compile(r"""["'`][^"'`]*\b(?:fail(?:ed|ure|s)?|error|could\s*n[o']t|unable\s+to|went\s+wrong)\b""", re.I)


def _tells_failure(call, original) -> bool:
    """`catch (error) { await fetch(response_url, { body: JSON.stringify({ text: "Failed to decline
    match" }) }) }` after the try's own `fetch(response_url, ...)` (round 10): the catch sends a
    message that says the work failed (a string its first call does not have): it reports the
    failure, it does not try again."""
    again = " ".join(ts.text(a) for a in call.args)
    first = " ".join(ts.text(a) for a in original.args)
    return bool(_FAILURE_TEXT.search(again)) and not _FAILURE_TEXT.search(first)


def _statement_of(node: ts.Node, block: ts.Node) -> ts.Node | None:
    """The statement of ``block`` that holds ``node``."""
    while node is not None and node.parent is not None and node.parent != block:
        node = node.parent
    return node if node is not None and node.parent == block else None


def _same_ending(ctx: FileContext, try_body: ts.Node, catch_body: ts.Node, call, original) -> bool:
    """`try { const f = await download(url); ...; await this.taskService.appendTaskLog(task, log) }
    catch (err) { log.push(...); await this.taskService.appendTaskLog(task, log) }` (round 10): the
    try's last call (saving the log, closing the record) is done on both paths, while the
    work the try began with (an awaited call of another name) is not run again: both paths end
    the same way, nothing is retried."""
    statements = [s for s in try_body.named_children if s.type != "comment"]
    last = _statement_of(original.node, try_body)
    if not statements or last is None or last not in statements or any(
            n.type in ("call_expression", "await_expression", "new_expression")
            for s in statements[statements.index(last) + 1:] for n in [s, *descendants(s)]):
        return False  # (only resets may follow it: `logs = [];`)
    again = {c.callee for c in _calls_in(ctx, catch_body)}
    return any(c.awaited and c.callee != original.callee and c.callee not in again
               and c.node.start_byte < last.start_byte for c in _calls_in(ctx, try_body))


_OUTCOME_WORDS = frozenset({"fail", "failed", "failure", "error", "errored", "rejected", "notfound"})


def _outcome_words(text: str) -> set[str]:
    """The words of the identifiers in ``text``, camelCase split (`TaskState.Fail` -> task, state, fail;
    `notFound.jsonError()` -> not, found, json, error; `notFound` also as `notfound`)."""
    words = set()
    for ident in re.findall(r"[A-Za-z_$][\w$]*", text):
        parts = [p.lower() for p in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", ident)]
        words.update(parts)
        words.update(a + b for a, b in zip(parts, parts[1:]))
    return words


def _failure_outcome(call, original) -> bool:
    """`finishTask(task, TaskState.Success, log)` in the try, `finishTask(task, TaskState.Fail, log)` in
    the catch; `finishFetch(!hasError, name)` then `finishFetch(false, name)`; `callback(reply)` then
    `callback(notFound.jsonError())` (round 10): the catch records or answers the failure through the
    same call, with an argument that names the failed outcome where the try's names another: a
    report, not the work again."""
    for index, again in enumerate(call.args):
        first = original.arg(index)
        if first is None:
            continue
        again_text, first_text = ts.text(again), ts.text(first)
        if again_text == first_text:
            continue
        if _outcome_words(again_text) & _OUTCOME_WORDS and not _outcome_words(first_text) & _OUTCOME_WORDS:
            return True
        if unwrap(again) is not None and unwrap(again).type == "false" and unwrap(first) is not None and \
                unwrap(first).type == "unary_expression" and ts.text(unwrap(first)).startswith("!"):
            return True  # `finishFetch(!hasError, ...)` then `finishFetch(false, ...)`: a computed outcome, then failure
    return False


_FALLBACK_ARG = re.compile(r"fallback|backup|alternat|secondary|mirror|legacy|deprecated", re.I)


def _to_fallback(call, original) -> bool:
    """`try { await fetchStream(url) } catch (err) { if (is404(err)) await fetchStream(fallbackURL) }`:
    the catch goes to another place, named as a fallback (also `getState(roomId, Filter.LegacyStateType)`
    after `getState(roomId, Filter.StateType)`: the legacy name of the same thing, at any argument):
    not the same request again."""
    for index, again in enumerate(call.args):
        first = original.arg(index)
        if _FALLBACK_ARG.search(ts.text(again)) and (first is None or not _FALLBACK_ARG.search(ts.text(first))):
            return True
    return False


_TRANSIENT = re.compile(r"modified|conflict|concurren|deadlock|serializ|transient|timeout|timedout|busy|locked|"
                        r"unavailable|ratelimit|rate_limit|toomany|too_many|throttl|econnreset|retryable|"
                        # an upsert racing another: mongo's duplicate key, postgres' unique violation
                        r"E11000|\b11000\b|duplicate key|23505|"
                        # Prisma's P2002 (and the enums projects name it by)
                        r"unique_?constraint|unique_?violation|\bP2002\b", re.I)


_WAIT_CALL = re.compile(r"(^|\.)(sleep|delay|wait|pause|setTimeout)$", re.I)


def _waits_then_reruns(ctx: FileContext, original, catch_body: ts.Node, call) -> bool:
    """`const withRetry = async (request) => { try { return await request() } catch { await sleep(5);
    return await request() } }`: the operation the function was handed, run again from its catch
    after waiting (a wait says the failure is expected to pass)."""
    if "." in original.callee or not call.awaited:
        return False
    own = enclosing_function(original.node)
    from extractors.javascript.context import _parameter_default
    if own is None or not _parameter_default(own, original.callee)[0]:
        return False
    return any(_WAIT_CALL.search(c.callee) and c.node.end_byte <= call.node.start_byte
               for c in ctx.calls_in(catch_body)) or \
        bool(re.search(r"await\s+new\s+Promise\s*\([^)]*setTimeout", ts.text(catch_body)))


def _on_caught_error(try_node: ts.Node, catch_body: ts.Node, call, awaited: bool = True) -> bool:
    """`catch (err) { if (err instanceof DocModifiedError) return await this.peek(id) }`: the same
    awaited call made again only for a passing failure (a conflict, a timeout, a busy or throttled
    callee), checked on the caught error. A not-found or other failure that leads to the same call
    is a fallback (another mode, another file), not a retry."""
    caught = _catch_param(try_node)
    if not caught or (awaited and not call.awaited):
        return False
    pattern = re.compile(r"(?<![\w$.])" + re.escape(caught) + r"\b")
    for parent in ts.ancestors(call.node):
        if parent == catch_body:
            return False
        if parent.type == "if_statement" and inside(call.node, parent.child_by_field_name("consequence") or parent):
            condition = parent.child_by_field_name("condition")
            text = _with_local_values(ts.text(condition), catch_body) if condition is not None else ""
            if condition is not None and pattern.search(text) and _TRANSIENT.search(text):
                return True
    return False


def _with_local_values(condition: str, catch_body: ts.Node) -> str:
    """`if (isConflictError)` after `const isConflictError = error.message.includes('already exists')`
    in the catch: the condition with the catch's own named checks written out."""
    names = set(re.findall(r"[A-Za-z_$][\w$]*", condition))
    extra = []
    for node in descendants(catch_body, stop_at_functions=True):
        if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) in names:
            value = node.child_by_field_name("value")
            if value is not None:
                extra.append(ts.text(value))
    return " ".join([condition, *extra])


def _other_command(ctx: FileContext, call, original) -> bool:
    """`client.send(new GetSecretValueCommand(...))` in the try, `client.send(new CreateSecretCommand(...))`
    in the catch: one client method, two different operations (AWS SDK v3 style)."""
    def made_by(node):
        node = unwrap(node)
        if node is not None and node.type == "identifier":
            node = ctx.local_value(ts.text(node), node)
        node = unwrap(node)
        if node is not None and node.type == "new_expression":
            return dotted(node.child_by_field_name("constructor")) or None
        return None
    first, again = made_by(original.arg(0)), made_by(call.arg(0))
    if first is not None and again is not None and first != again:
        return True
    # `client.query('BEGIN')` in the try, `client.query('ROLLBACK')` in the catch: two written commands
    first, again = unwrap(original.arg(0)), unwrap(call.arg(0))
    return first is not None and again is not None and first.type in ("string", "template_string") and \
        again.type in ("string", "template_string") and ts.text(first) != ts.text(again)


_REMOTE_RECEIVER = re.compile(r"(api|client|service|svc|http|gateway|remote|rpc|sdk|stub|proxy)$", re.I)


def _remote(ctx: FileContext, call, original) -> bool:
    """The repeated call reaches another service: a known outbound call, a call on something named
    like a client (`riskApi.score`, `this.paymentClient.charge`), or one of this file's functions
    that makes an outbound call (`scoreTransaction(id)`)."""
    for c in (call, original):
        if (c.node.start_byte, c.node.end_byte) in ctx.outbound:
            return True
    receiver = call.receiver.rsplit(".", 1)[-1]
    if receiver and _REMOTE_RECEIVER.search(receiver):
        return True
    if call.name == "goto" and re.search(r"page$", receiver or "", re.I):
        return True  # (round 13) a browser page's navigation (Playwright / Puppeteer `page.goto(url)`) loads a site
    if call.receiver in ("", "this"):
        fn = ctx.functions.get(call.name)
        if fn is not None:
            target, pending = ctx.first_target_in(fn)
            return target is not None or bool(pending) or bool(ctx.outbound_in(fn))
    return False


def _catch_param(try_node: ts.Node) -> str | None:
    handler = try_node.child_by_field_name("handler")
    param = handler.child_by_field_name("parameter") if handler is not None else None
    return ts.text(param) if param is not None else None


def _chained(call) -> bool:
    """`checkHeader(url).then(...)`: the call heads a promise chain (its answer is handled there)."""
    parent = call.node.parent
    if parent is None or parent.type != "member_expression":
        return False
    prop = parent.child_by_field_name("property")
    return prop is not None and ts.text(prop) in ("then", "catch", "finally") and \
        parent.parent is not None and parent.parent.type == "call_expression"


def _repeatable(ctx: FileContext, call) -> bool:
    """A call worth counting as the attempt: awaited or returned, heading a promise chain, or a
    known outbound call."""
    if call.is_new or _NOT_REPEATS.search(call.callee) or not call.callee or "(" in call.callee:
        return False
    if (call.node.start_byte, call.node.end_byte) in ctx.outbound or call.awaited or _chained(call):
        return True
    parent = call.node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
        parent = parent.parent
    return parent is not None and parent.type in ("await_expression", "return_statement", "yield_expression")


def _requeued_with_counter(ctx: FileContext) -> None:
    """`meta.global.exportEvents = async (payload) => { try {...} catch { if (payload.retries < 15)
    await meta.jobs.exportEvents({ ...payload, retries: payload.retries + 1 }).runIn(...) } }`: after
    a failure the work schedules itself again (a job of its own name, any receiver) with a retry
    counter of its payload stepped by one; its bound is the guard around the re-schedule (`< N`:
    N + 1 runs) or a give-up check at the function's start (`if (payload.retries >= N) return`: N)."""
    if b"+ 1" not in ctx.data and b"+1" not in ctx.data:
        return
    taken = {f.line for f in ctx.findings if f.kind == "retry"}
    for node in ctx.nodes_of("assignment_expression"):
        left, fn = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or left.type != "member_expression" or fn is None or fn.type not in FUNCTION_TYPES:
            continue
        name = ts.text(left.child_by_field_name("property"))
        for call in ctx.calls_in(fn):
            if call.name != name or call.node.start_point[0] + 1 in taken or not _after_failure(call.node, fn):
                continue
            counter = None
            for arg in call.args:
                inner = unwrap(arg)
                for pair in (inner.named_children if inner is not None and inner.type == "object" else []):
                    if pair.type != "pair":
                        continue
                    key = ts.text(pair.child_by_field_name("key"))
                    stepped = re.fullmatch(r"([\w$]+)\.(" + re.escape(key) + r")\s*\+\s*1",
                                           ts.text(pair.child_by_field_name("value")).strip())
                    if RETRYISH.search(key) and stepped:
                        counter = f"{stepped.group(1)}.{key}"
            if counter is None:
                continue
            attempts = _requeue_bound(ctx, call.node, fn, counter)
            if attempts is None:
                continue
            attempts_n, confidence, pending = ctx.count_from_expr(attempts)
            attrs = {"max_attempts": attempts_n, "backoff": _backoff(ctx, fn), "retry_on": None,
                     "mechanism": "requeue", "library": None}
            target, upending = ctx.first_target_in(fn)
            found = ctx.finding("retry", call.node, ID, attrs, "medium", target, tuple(pending) + upending)
            ctx.retry_scopes.append(RetryScope(fn, found.line, target, upending))
            taken.add(found.line)
            break


def _requeue_bound(ctx: FileContext, call: ts.Node, fn: ts.Node, counter: str):
    for parent in ts.ancestors(call):
        if parent == fn:
            break
        if parent.type == "if_statement" and inside(call, parent.child_by_field_name("consequence") or parent):
            comp = _comparison(parent.child_by_field_name("condition"), frozenset({counter}))
            if comp is not None and comp[0] == counter and comp[1] in ("<", "<="):
                bound = ctx.to_expr(comp[2])
                return BinOp("+", bound, Num(1 if comp[1] == "<" else 2))
    body = fn.child_by_field_name("body")
    for stmt in (body.named_children if body is not None and body.type == "statement_block" else [])[:3]:
        if stmt.type != "if_statement":
            continue
        comp = _comparison(stmt.child_by_field_name("condition"), frozenset({counter}))
        consequence = ts.text(stmt.child_by_field_name("consequence") or stmt)
        if comp is not None and comp[0] == counter and comp[1] in (">=", ">") and re.search(r"\breturn\b|\bthrow\b",
                                                                                          consequence):
            bound = ctx.to_expr(comp[2])
            return bound if comp[1] == ">=" else BinOp("+", bound, Num(1))
    return None


def _is_param(fn: ts.Node, name: str) -> bool:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return False
    if params.type == "identifier":
        return ts.text(params) == name
    for param in params.named_children:
        pattern = param.child_by_field_name("pattern") or param.child_by_field_name("left") or param
        if pattern is not None and pattern.type == "identifier" and ts.text(pattern) == name:
            return True
    return False
