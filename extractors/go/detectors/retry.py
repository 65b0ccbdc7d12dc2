"""Retry policies: cenkalti/backoff, avast/retry-go, hashicorp/go-retryablehttp, go-pkgz/repeater, hand loops.

What it does: reports each retry with `max_attempts` counting the first try:
`backoff.Retry(op, backoff.WithMaxRetries(b, 3))` -> 4; `retry.Do(fn, retry.Attempts(3))` -> 3
(Attempts counts every try; retry-go's default is 10); `retryablehttp.NewClient()` with
`RetryMax = 3` -> 4, reported at the line setting RetryMax (default RetryMax 4 -> 5, at NewClient); a loop like
`for attempt := 0; attempt < 3; attempt++ { ...; if err == nil { return }; time.Sleep(d) }` -> 3.
A loop is a retry only if it is bounded by a number (not by a collection), leaves on success,
and sleeps or counts attempts: `for _, item := range items` is not a retry. `for range retryCount`
(Go 1.22 ranges over an int) and `for i := 0; i < int(f.retryCount); i++` count tries when the
bound is named for them; a counter may count up with `n++` or `n += 1`. A loop that only looks at
local state between sleeps (`os.Stat(socketPath)` until the file appears) waits, it retries nothing;
nor does a compare-and-swap loop, nor a poll until a state (`if err == nil && status.Scanning`). A
`switch err { case ErrTxFailed: continue; default: return err }` checks the result like an `if`, a
`for {` loop that leaves when `!retry` tries again while the error allows (null), and a wait on a
ticker made before the loop (`case <-tick.C:` of `backoff.NewTicker(b)`) paces attempts like a sleep.
A `for {` loop that makes a subscription or connection again after it failed (`if err :=
s.runSubscribeLoop(ctx); err != nil {...}` then a wait) retries it until the context ends (null).
A loop over a delay schedule (`for _, d := range delays { if err = f(); err == nil { return };
time.Sleep(d) }`) tries once per delay; a countdown (`retries := m.retries; for { if retries == 0 {
return }; retries--; ... }`) as often as the counter starts with; a counted loop that looks at its
call's result under another name (`res := op(i); if res != nil`) is checked like `err`. A counted
loop that leaves on the first error (`if err != nil { return err }`) and waits for a state polls,
it does not retry.
cenkalti/backoff v5 and later (v6, v7): `backoff.Retry(ctx, op, backoff.WithMaxTries(n))` -> n.
A loop that tries a call returning whether it worked (`if c.registerResources() { return }`) and
waits is a retry until it works (null), unless it waits for a state: it lives in a function named
`wait…`/`poll…`, or every call it makes asks for one (`IsTrackSubscribed`, `isCRDReady`,
`GetStatus`); a loop that leaves on the first error (`if err != nil { return err }`) and waits for a
status is a poll, whatever its call is named; so is a `for {` loop counting its polls (`step++; if step
>= maxStep { break }`) that leaves on the first error (round 12). A first try just before the loop of the call it repeats
adds one attempt (`if err := action(); err == nil {...}; for {...; attempts++; if attempts >= 4
{...}}` -> 5). A counter compared with a bound named for retries counts tries whatever its own name
(`if counter > cfg.Retry.Count { break }`). A range over candidates that returns when the call
worked and gives up only on errors it classifies (`if !isDialError(err) { return err }`) is a
failover, one try per candidate (null); one that merely keeps the last error checks alternatives.
A function that calls itself again, inside a branch that found failures, after it sent something
(`if resp.Failed != nil {...; return s.send(ctx, failed)}`) re-sends until nothing fails (null,
mechanism recursion); a recursion in an `if` initializer walks a tree, one in a loop walks parts.
retryablehttp's package functions (`retryablehttp.Get(url)`) use its default client: 5 tries.
A project's runner named `…BackoffUntil…` / `…RetryUntil…` (not Kubernetes' periodic one) handed a
function that says when it is done (`return true, nil`) or that logs in / connects again retries it
without a count (null); one whose function never says it is done and connects nothing is a schedule.
A function the failure path calls that gives up once a counter reaches a bound named for tries
(`if s.attempt >= s.cfg.MaxReconnectAttempts { return }`), else counts, waits and starts the work again
(`s.attempt++; time.Sleep(d); go s.run(done)`) retries the connection: bound + 1 tries (the first
connection counts), mechanism recursion, reported at the check. A `for {` loop whose counter is compared
with a field (`if s.attempt >= s.maxAttempts { return }`) is valued by that field's default.
Round 11: a loop whose condition names what the call's success fills in (`for c.accountID == "" {
...; if err != nil { sleep } else { c.accountID = ... } }`) retries until it works; an error named
for its step (`lastErr`, `dialErr`) is checked like `err`; a job type whose `MaxFails()` gives a
number beside `ShouldRetry() bool { return true }` (Harbor's jobservice) is run that many times,
reported at the number.

Why it matters: a retrying caller multiplies the load on its callee and, if it makes a fresh
request ID per attempt, defeats the callee's idempotency.

go-pkgz/repeater: `repeater.NewFixed(5, time.Second).Do(ctx, fn)` -> 5 (it counts every try;
also `NewBackoff(n, d)`, exponential, and v1's `NewDefault(n, d)`). A `for {` loop that sends,
sleeps and `continue`s on a status or error it waits out (`if resp.StatusCode == 429 { time.Sleep(d);
continue }`, also inside `if err != nil { if errors.Is(err, ErrLocked) {...} }`) and otherwise
`break`s is a retry until the callee lets it through (null).

sethvargo/go-retry: `retry.Do(ctx, retry.WithMaxRetries(10, retry.NewConstant(d)), fn)` -> 11 (it
counts retries; the policy may sit in a variable and be wrapped in WithJitter/WithCappedDuration/
WithMaxDuration); a policy without WithMaxRetries, and `retry.Constant/Exponential/Fibonacci(ctx, d,
fn)`, retries until the context ends (null).

A counted loop that goes round again on one class of error (`if errors.As(err, &pgErr) &&
pgErr.Code[:2] == "40" { ...; continue }`, a serialization conflict) retries that class even without a
sleep, and its `if err != nil { return err }` on other failures does not make it a poll; nor does it for a
loop whose bound is named for tries (`for range PUB_ACQUIRE_CHANNEL_RETRIES`, a constant of another file)
that goes round again on a bad result. One that continues on a uniqueness collision (`if err ==
ErrTokenInUse { continue }`) draws a new value: no retry. A `for {` redial loop counting its failures
next to its wait under any name (`time.Sleep(d); backoff++; if backoff > 15 { return }`) tries bound + 1
times; a loop that dials again (`d.DialContext`) after a failed dial and a wait, until the context ends,
retries without a count (null). A set-up call before a loop (`SAVEPOINT`) is no first try unless it is the
same call, arguments and all. The call made again in `if err != nil && errors.As(err, &apiErr) &&
apiErr.StatusCode == 404 {...}` is a retry of that failure (2 tries), unless the object changed.

grafana/dskit's `b := backoff.New(ctx, cfg); for b.Ongoing() { ...; b.Wait() }` -> `cfg.MaxRetries`
attempts (dskit counts every try; 0 is unlimited). A counted loop that asks whether an error is
retryable (`if !isRetryable(err) { return }`) is a retry even without a sleep.

A counted loop whose own condition goes round while the call fails (`db, err := database.New(cfg); for i := 0;
err != nil && i < 22; i++ { time.Sleep(d); db, err = database.New(cfg) }`) retries it: 22 + the first try.
A `for` whose condition joins a state and a count (`for *state != ACTIVE || replicas <= 0 {`) waits for a state.
A job that counts its failures and hands itself to a scheduler again until a bound named for tries (`run =
func() error {...; attempt++; if attempt >= maxRetries { return err }; reschedule(d); ...}` with `reschedule`
scheduling `run`) retries its work: bound tries (`>=` after the count), at the check, mechanism recursion.
Round 13: a tagless `switch { case errors.Is(err, ctx.Canceled): return err; case err != nil: sleep; continue }`
checks the result like an `if`; a project's own pause (`backoff := newBackoff(d); ...; backoff(ctx)`,
`sleepCtx(ctx, d)`) paces a loop like time.Sleep, but a sleep in an inner loop paces only that one; a
`for range 2` whose one failed-status branch (`case resp.StatusCode == http.StatusUnauthorized:` refresh
the token) neither returns nor breaks sends again on it (2 tries); the call made again under an error
classifier (`if awserrors.IsLaunchTemplateNotFound(err) { inst, err = p.launch(...) }`) is a retry (2
tries), not after a local file vanished (`errors.Is(err, fs.ErrNotExist)`) nor once the call's input
changed (`w.Error = err; w.buf.Reset(); t.Execute(&w.buf, data)`); a counted wait for a local file is no
retry; a walk over file names that stops on the first that exists (`!errors.Is(err, os.ErrNotExist)`) is
no failover.

Example: `retry.Do(send, retry.Attempts(3), retry.DelayType(retry.FixedDelay))` -> retry 3, fixed.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.http_client import receiver_keys, storage_keys
from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Num, Ref, normalise_ms
from extractors.go.gofile import (outside_stdlib, OPAQUE, Draft, GoCall, GoFile, ValueInfo, descendants, inner_expression,
                                  node_text, within)

ID = "go.retry"

# `tries` as a word or camel-case part (`maxTries`), not inside another word (`entriesCount`).
_ATTEMPTISH = re.compile(r"(?i:attempt|retr)|Tries|TRIES|(?<![A-Za-z])tries|^(?i:try)$|^(?i:tryn)")
_SLEEPS = {"time.Sleep", "time.After", "time.NewTimer", "time.Tick"}


# A project's own pause between tries: `backoff := newBackoff(10 * time.Second); ...; backoff(ctx)`,
# `sleepWithContext(ctx, d)`, `utils.Sleep(ctx, d)` (round 13, ollama's direct-URL loop).
_PAUSE_HELPER = re.compile(r"(?i)back_?off|sleep\w*|\w+_?sleep|pause|"
                           # `if err = handleRateLimit(b.Log, err); err != nil { return err }`: a helper that
                           # sleeps out a rate-limit answer's RetryAfter (round 17, matterbridge's Slack bridge)
                           r"(handle|wait|await)_?(for_?)?rate_?limit\w*")


def _in_inner_loop(node: ts.Node, loop: ts.Node) -> bool:
    """`node` sits in a `for` nested in `loop`: its sleep paces that inner loop (round 13)."""
    return any(a.type == "for_statement" and a.id != loop.id and loop.start_byte <= a.start_byte
               for a in ts.ancestors(node))


def _pause_helper(call) -> bool:
    return call.qualified not in _SLEEPS and _PAUSE_HELPER.fullmatch(call.name or "") is not None


def _file_pause(gf: GoFile, call) -> bool:
    """`if waitForTransferRetry(updateShutdown, dur) { return }`: a function of this file that waits out a
    timer (or stops early on a shutdown signal) paces the loop like time.Sleep (round 18, CoreDNS'
    secondary zone transfer retried with a capped doubling wait)."""
    if call.receiver is not None or not (call.callee or "").isidentifier() or not call.args:
        return False
    fn = gf.functions.get(call.callee)
    if fn is None or fn.type != "function_declaration":
        return False
    body = fn.child_by_field_name("body")
    inner = list(gf.calls_within(body.start_byte, body.end_byte)) if body is not None else []
    return bool(inner) and any(c.qualified in ("time.NewTimer", "time.After", "time.Sleep") for c in inner) and \
        all(c.package in ("time",) or c.name in ("Stop", "Reset") for c in inner)


def _closure_pause(gf: GoFile, call) -> bool:
    """A call of a closure of the same function that waits (`retryOrDie := func(err error) { ...; select {
    case <-time.After(b.Duration()): case <-ctx.Done(): panic(...) } }`, then `retryOrDie(err); continue`):
    it paces the loop like time.Sleep (round 14, envoy ratelimit's Redis connect loop)."""
    if call.receiver is not None or not (call.callee or "").isidentifier():
        return False
    bound = gf.lookup_local(call.callee, call.node)
    if bound is None or not hasattr(bound, "type") or bound.type != "func_literal":
        return False
    return any(c.qualified in _SLEEPS for c in gf.calls_within(bound.start_byte, bound.end_byte))


def _temporal_sleep(gf: GoFile, call) -> bool:
    """Temporal's durable timer in a workflow, `workflow.Sleep(ctx, d)`, pauses like time.Sleep (round 12)."""
    return call.name == "Sleep" and call.callee.split(".", 1)[0] in \
        {alias for alias, path in gf.imports.items() if path.startswith("go.temporal.io/sdk/workflow")}
# A name that holds a number of tries: `retryCount`, `maxRetries`, `attempts`, `numTries`.
_COUNT_NAME = re.compile(r"(?i)(max|num)?_?(retry|retries|attempts?|tries)_?(count|num|max|limit)?")
_V5_OR_LATER = re.compile(r"/v([5-9]|[1-9]\d+)$")
_BACKOFF_RETRY = {"backoff.Retry", "backoff.RetryNotify", "backoff.RetryNotifyWithTimer",
                  "backoff.RetryWithData", "backoff.RetryNotifyWithData"}
_RETRY_GO = {"retry.Do", "retry.DoWithData"}
_GO_RETRY = {"goretry.Do", "goretry.DoValue", "goretry.Constant", "goretry.Exponential", "goretry.Fibonacci"}
_GO_RETRY_KINDS = {"NewConstant": "fixed", "NewExponential": "exponential", "NewFibonacci": "exponential",
                   "Constant": "fixed", "Exponential": "exponential", "Fibonacci": "exponential"}
_RETRY_GO_DELAYS = {"BackOffDelay": "exponential", "FixedDelay": "fixed", "RandomDelay": "random"}


@dataclass
class RetryScope:
    """Code that runs once per attempt: a loop body or a retried function's body."""

    start: int
    end: int
    line: int


def _attrs(info: ValueInfo, backoff, mechanism, library, retry_on="error") -> dict:
    return {"max_attempts": info.value, "backoff": backoff, "retry_on": retry_on,
            "mechanism": mechanism, "library": library}


def _fixed(value: float | None, expression: str, source: str = "literal") -> ValueInfo:
    return ValueInfo(value, source, expression)


# --- retried functions -------------------------------------------------------------------------

def retried_body(gf: GoFile, node: ts.Node | None) -> ts.Node | None:
    """The body run per attempt for an op argument: a func literal, a variable holding one,
    or a function/method of this file named by it (`s.charge`, `sendOnce`)."""
    if node is None:
        return None
    resolved = gf.resolve_name(inner_expression(node))
    if resolved.type == "func_literal":
        return resolved.child_by_field_name("body")
    name = None
    if resolved.type == "identifier":
        name = node_text(resolved)
    elif resolved.type == "selector_expression":
        name = node_text(resolved.child_by_field_name("field"))
    if name and name in gf.functions:
        return gf.functions[name].child_by_field_name("body")
    return None


def _scope(body: ts.Node | None, line: int) -> RetryScope | None:
    return RetryScope(body.start_byte, body.end_byte, line) if body is not None else None


# --- cenkalti/backoff --------------------------------------------------------------------------

def _backoff_policy(gf: GoFile, node: ts.Node | None, depth: int = 0) -> tuple[ValueInfo, str | None]:
    if node is None or depth > 6:
        return _fixed(None, "", "unresolved"), None
    node = gf.resolve_name(inner_expression(node))
    call = gf.call_at(node)
    if call is not None and call.package == "backoff":
        if call.name == "WithMaxRetries" and len(call.args) >= 2:
            _, kind = _backoff_policy(gf, call.args[0], depth + 1)
            return gf.count(call.args[1], offset=1), kind
        if call.name in ("WithContext", "WithBackOff") and call.args:
            return _backoff_policy(gf, call.args[0], depth + 1)
        if call.name == "NewExponentialBackOff":
            return _fixed(None, node_text(node), "unresolved"), "exponential"
        if call.name == "NewConstantBackOff":
            return _fixed(None, node_text(node), "unresolved"), "fixed"
    if node.type == "composite_literal":
        type_name = gf.type_name(node.child_by_field_name("type"))
        kind = {"backoff.ExponentialBackOff": "exponential", "backoff.ConstantBackOff": "fixed",
                "backoff.ZeroBackOff": "none"}.get(type_name)
        if type_name == "backoff.StopBackOff":
            return _fixed(1, node_text(node)), "none"
        return _fixed(None, node_text(node), "unresolved"), kind
    return _fixed(None, node_text(node), "unresolved"), None


def _cenkalti(gf: GoFile, call: GoCall) -> tuple[Draft, RetryScope | None] | None:
    # v5 and later (v6, v7): `Retry(ctx, op, opts...)`, `WithMaxTries(n)` counting every try.
    v5 = any(_V5_OR_LATER.search(path.rstrip("/")) for alias, path in gf.imports.items()
             if gf.packages.get(alias) == "backoff")
    if v5:
        op = call.args[1] if len(call.args) > 1 else None
        info, kind = _fixed(None, "", "unresolved"), "exponential"
        for option in (gf.call_at(a) for a in call.args[2:]):
            if option is None:
                continue
            if option.name == "WithMaxTries" and option.args:
                info = gf.count(option.args[0])
            elif option.name == "WithBackOff" and option.args:
                kind = _backoff_policy(gf, option.args[0])[1] or kind
    else:
        op = call.args[0] if call.args else None
        info, kind = _backoff_policy(gf, call.args[1] if len(call.args) > 1 else None)
    body = retried_body(gf, op)
    if body is not None and _polls_local_state(gf, body, _fn_id(gf, body)):
        # round 15 (headscale): `backoff.Retry(ctx, func() (struct{}, error) { _, err := os.Stat(path); ... })`
        # re-finding a watched file: a wait on local state, no call is tried again
        return None
    draft = Draft(gf.finding("retry", call.node, ID, _attrs(info, kind, "call", "cenkalti/backoff"),
                             confidence=info.confidence if info.value is not None else "medium",
                             pending=info.pending),
                  link=("scope", body.start_byte, body.end_byte) if body is not None else None, linkable=True)
    return draft, _scope(body, call.line)


# --- avast/retry-go ----------------------------------------------------------------------------

def _option_calls(gf: GoFile, args: list[ts.Node]) -> list[GoCall]:
    """Option calls given directly or through a slice variable (`opts...`)."""
    out = []
    for arg in args:
        node = gf.resolve_name(inner_expression(arg.named_children[0] if arg.type == "variadic_argument" else arg))
        for n in [node, *ts.walk(node)]:
            c = gf.call_at(n) if n.type == "call_expression" else None
            if c is not None and c.package == "retry":
                out.append(c)
    return out


def _retry_go(gf: GoFile, call: GoCall) -> tuple[Draft, RetryScope | None]:
    info = _fixed(10, "default", "library_default")
    kind, retry_on = "exponential", "error"
    for option in _option_calls(gf, call.args[1:]):
        if option.name == "Attempts" and option.args:
            info = gf.count(option.args[0])
            if info.value == 0:
                info = _fixed(None, info.expression)  # Attempts(0): until it succeeds
        elif option.name == "DelayType" and option.args:
            text = node_text(option.args[0])
            kinds = [k for name, k in _RETRY_GO_DELAYS.items() if name in text]
            kind = "exponential" if "exponential" in kinds else (kinds[0] if kinds else None)
        elif option.name == "RetryIf":
            retry_on = "predicate"
    body = retried_body(gf, call.args[0] if call.args else None)
    draft = Draft(gf.finding("retry", call.node, ID, _attrs(info, kind, "call", "avast/retry-go", retry_on),
                             confidence=info.confidence, pending=info.pending),
                  link=("scope", body.start_byte, body.end_byte) if body is not None else None, linkable=True)
    return draft, _scope(body, call.line)


def _retry_go_options_elsewhere(gf: GoFile, call: GoCall) -> tuple[Draft, RetryScope | None] | None:
    """`errgroup.NewGroupWithContext(ctx, n, retry.Attempts(1), retry.Delay(time.Second))`: retry-go's
    options handed to another call than retry.Do (a project's or library's runner built on retry-go)
    set the tries of what that call runs; reported at that call like retry.Do."""
    holder = call.node.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None:
        return None
    outer = gf.call_at(holder.parent)
    if outer is None or outer.qualified in _RETRY_GO or outer.package == "retry":
        return None
    info = gf.count(call.args[0]) if call.args else _fixed(None, "", "unresolved")
    if info.value == 0:
        info = _fixed(None, info.expression)
    kind = "exponential"
    for option in _option_calls(gf, outer.args):
        if option.name == "DelayType" and option.args:
            kinds = [k for name, k in _RETRY_GO_DELAYS.items() if name in node_text(option.args[0])]
            kind = "exponential" if "exponential" in kinds else (kinds[0] if kinds else None)
    draft = Draft(gf.finding("retry", outer.node, ID, _attrs(info, kind, "call", "avast/retry-go"),
                             confidence=info.confidence, pending=info.pending),
                  link=("scope", outer.node.start_byte, outer.node.end_byte), linkable=True)
    return draft, None


# --- sethvargo/go-retry -------------------------------------------------------------------------

def _go_retry_policy(gf: GoFile, node: ts.Node | None, depth: int = 0) -> tuple[ValueInfo, str | None]:
    """`retry.WithMaxRetries(n, b)` -> n + 1 tries; wrappers pass through; no limit: until ctx ends."""
    if node is None or depth > 6:
        return _fixed(None, "", "unresolved"), None
    node = gf.resolve_name(inner_expression(node))
    call = gf.call_at(node)
    if call is None or call.package != "goretry":
        return _fixed(None, node_text(node), "unresolved"), None
    if call.name == "WithMaxRetries" and len(call.args) >= 2:
        _, kind = _go_retry_policy(gf, call.args[1], depth + 1)
        return gf.count(call.args[0], offset=1), kind
    if call.name.startswith("With") and call.args:
        return _go_retry_policy(gf, call.args[-1], depth + 1)
    return _fixed(None, node_text(node), "unresolved"), _GO_RETRY_KINDS.get(call.name)


def _go_retry(gf: GoFile, call: GoCall) -> tuple[Draft, RetryScope | None]:
    if call.name in ("Do", "DoValue"):
        info, kind = _go_retry_policy(gf, call.args[1] if len(call.args) > 1 else None)
    else:
        info, kind = _fixed(None, node_text(call.node), "unresolved"), _GO_RETRY_KINDS.get(call.name)
    body = retried_body(gf, call.args[-1] if call.args else None)
    draft = Draft(gf.finding("retry", call.node, ID, _attrs(info, kind, "call", "sethvargo/go-retry"),
                             confidence=info.confidence if info.value is not None else "medium",
                             pending=info.pending),
                  link=("scope", body.start_byte, body.end_byte) if body is not None else None, linkable=True)
    return draft, _scope(body, call.line)


# --- go-pkgz/repeater ---------------------------------------------------------------------------

_REPEATER = {"NewFixed": "fixed", "NewBackoff": "exponential", "NewDefault": "fixed"}


def _repeater(gf: GoFile, call: GoCall) -> tuple[Draft, RetryScope | None] | None:
    """`repeater.NewFixed(5, time.Second).Do(ctx, func() error {...})`: 5 tries in all."""
    if call.name not in _REPEATER or not call.args:
        return None
    info = gf.count(call.args[0])
    if info.value == 0:
        info = _fixed(None, info.expression)
    body = None
    holder = call.node.parent
    if holder is not None and holder.type == "selector_expression" and holder.parent is not None:
        do = gf.call_at(holder.parent)
        if do is not None and do.name == "Do" and do.args:
            body = retried_body(gf, do.args[-1])
    draft = Draft(gf.finding("retry", call.node, ID, _attrs(info, _REPEATER[call.name], "call", "go-pkgz/repeater"),
                             confidence=info.confidence if info.value is not None else "medium",
                             pending=info.pending),
                  link=("scope", body.start_byte, body.end_byte) if body is not None else None, linkable=True)
    return draft, _scope(body, call.line)


# --- hashicorp/go-retryablehttp -----------------------------------------------------------------

def _retryablehttp(gf: GoFile) -> list[Draft]:
    drafts = []
    creations = [(c.node, None) for c in gf.calls if c.qualified == "retryablehttp.NewClient"]
    creations += [(comp.node, comp) for comp in gf.composites_of("retryablehttp.Client")]
    for node, comp in creations:
        keys = storage_keys(gf, node)
        info = _fixed(5, "RetryMax default 4", "library_default")
        kind = "exponential"
        settings = dict(comp.fields) if comp is not None else {}
        at = comp.elements["RetryMax"] if comp is not None and "RetryMax" in comp.elements else node
        for assignment in gf.field_assignments:
            if assignment.field in ("RetryMax", "Backoff") and receiver_keys(gf, assignment.operand) & keys \
                    and assignment.node.start_byte > node.start_byte:
                settings[assignment.field] = assignment.value
                if assignment.field == "RetryMax":
                    at = assignment.node  # `cl.RetryMax = 3`: the line that chooses the bound
        if "RetryMax" in settings:
            info = gf.count(settings["RetryMax"], offset=1)
        if "Backoff" in settings:
            text = node_text(settings["Backoff"])
            kind = "linear" if "Linear" in text else "exponential" if "Default" in text else None
        drafts.append(Draft(gf.finding("retry", at, ID,
                                       _attrs(info, kind, "client_config", "hashicorp/go-retryablehttp",
                                              "error,429,5xx"),
                                       confidence=info.confidence, pending=info.pending),
                            link=("client", frozenset(keys)), linkable=True))
    # `retryablehttp.Get(url)`: the package's functions send with its default client (RetryMax 4)
    for call in gf.calls:
        if call.qualified in _RETRYABLEHTTP_SENDS:
            drafts.append(Draft(gf.finding("retry", call.node, ID,
                                           _attrs(_fixed(5, "the default client's RetryMax 4", "library_default"),
                                                  "exponential", "client_config", "hashicorp/go-retryablehttp",
                                                  "error,429,5xx"),
                                           confidence="high"),
                                linkable=True))
    return drafts


_RETRYABLEHTTP_SENDS = {"retryablehttp.Get", "retryablehttp.Head", "retryablehttp.Post", "retryablehttp.PostForm"}


# --- hand-written loops ------------------------------------------------------------------------

def _conjuncts(cond: ts.Node) -> list[ts.Node]:
    """The comparisons a loop condition joins with `&&`, left to right."""
    if cond.type == "parenthesized_expression" and cond.named_child_count == 1:
        cond = cond.named_children[0]
    if cond.type == "binary_expression" and node_text(cond.child_by_field_name("operator")) == "&&":
        parts = [cond.child_by_field_name("left"), cond.child_by_field_name("right")]
        return [c for p in parts if p is not None for c in _conjuncts(p)]
    return [cond] if cond.type == "binary_expression" else []


def _compares_state(cond: ts.Node, depth: int = 0) -> bool:
    """`status.State != want`, also joined: `*state != ACTIVE || replicas <= 0` (a state and a count
    of ready replicas): the condition of a loop that waits for a state."""
    if cond.type == "parenthesized_expression" and cond.named_child_count == 1 and depth < 6:
        return _compares_state(cond.named_children[0], depth + 1)
    if cond.type != "binary_expression":
        return False
    op = node_text(cond.child_by_field_name("operator"))
    if op in ("||", "&&") and depth < 6:
        return all(side is not None and _compares_state(side, depth + 1)
                   for side in (cond.child_by_field_name("left"), cond.child_by_field_name("right")))
    return op in ("!=", "==") or (depth > 0 and op in ("<", "<=", ">", ">="))


def _header_retries_failure(loop: ts.Node) -> bool:
    """`for i := 0; err != nil && i < 22; i++ { time.Sleep(d); db, err = database.New(cfg) }`: the loop's
    own condition goes round while the call it makes again fails."""
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    cond = clause.child_by_field_name("condition") if clause is not None else None
    return cond is not None and len(_conjuncts(cond)) >= 2 and \
        any(re.fullmatch(r"err\s*!=\s*nil", node_text(c)) for c in _conjuncts(cond))


def _loop_bound(gf: GoFile, loop: ts.Node) -> tuple[str | None, ValueInfo | None, bool] | None:
    """(loop variable, attempts, counted) or None if the loop is not bounded by a count."""
    clause = next((c for c in loop.named_children if c.type != "block" and c.type != "comment"), None)
    if clause is None:
        return None, None, False
    if clause.type == "for_clause":
        init, cond = clause.child_by_field_name("initializer"), clause.child_by_field_name("condition")
        if init is not None and cond is None and init.type == "short_var_declaration":
            left = init.child_by_field_name("left")
            var = node_text(left.named_children[0]) if left is not None and left.named_children else None
            return var, None, False  # `for retry := 0; ; {`: bounded inside, judged below
        if init is None and cond is not None and cond.type == "binary_expression":
            countdown = _header_countdown_r22(gf, clause, cond)
            if countdown is not None:
                return countdown
        if init is None or cond is None or init.type != "short_var_declaration" or cond.type != "binary_expression":
            return None
        # `for i := 1; i < 3 && resp.StatusCode == http.StatusTooManyRequests; i++`: the count is the
        # comparison the conjunction starts with (round 10)
        conjuncts = _conjuncts(cond)
        while node_text(cond.child_by_field_name("operator")) == "&&" and \
                cond.child_by_field_name("left") is not None and cond.child_by_field_name("left").type == "binary_expression":
            cond = cond.child_by_field_name("left")
        left, right = init.child_by_field_name("left"), init.child_by_field_name("right")
        if left is None or right is None or len(left.named_children) != len(right.named_children) or \
                not left.named_children:
            return None
        # `for i, backoff := 1, 2*time.Second; i <= n; i, backoff = i+1, backoff*2`: the counter is the
        # variable the condition compares (round 10)
        names = [node_text(n) for n in left.named_children]
        # `for i := 0; err != nil && i < 22; i++`: the count is whichever conjunct compares the counter
        cond = next((c for c in conjuncts if node_text(c.child_by_field_name("left")) in names), cond)
        compared = node_text(cond.child_by_field_name("left"))
        if compared not in names:
            return None
        var = compared
        start = right.named_children[names.index(compared)]
        op = node_text(cond.child_by_field_name("operator"))
        # round 20 (gh-ost, spicedb): `for i := int64(0); i < maxRetries; i++`, `i := uint8(0)`: a literal start
        converted = re.fullmatch(r"u?int(?:8|16|32|64)?\(\s*(\d+)\s*\)", node_text(start))
        if start.type != "int_literal" and converted is None:
            return _countdown_bound(gf, clause, var, start, cond, op)
        if start.type == "int_literal" and op in (">", ">=") and _ATTEMPTISH.search(var):
            # round 22 (synthetic-monitoring-agent): `for retry := 2; retry > 0; retry-- {`: two tries
            return _countdown_bound(gf, clause, var, start, cond, op)
        op = node_text(cond.child_by_field_name("operator"))
        if node_text(cond.child_by_field_name("left")) != var or op not in ("<", "<="):
            return None
        bound = cond.child_by_field_name("right")
        if re.search(r"\blen\(|\.Len\(|\bcap\(", node_text(bound)):
            return None  # walking a collection, not counting attempts
        if re.search(r"(?i)(batch|page|chunk|buffer)_?size$|BatchSize\(\)$", node_text(bound)):
            return None  # `for i := 0; i < retryBatchSize; i++ { msg, err := ReadMessage(d) ...}`: a batch read
            # message by message, a size of items, not of tries (round 18, Jitsu Bulker's retry consumer)
        offset = (1 if op == "<=" else 0) - float(converted.group(1) if converted else node_text(start))
        return var, gf.count(bound, offset=offset), True
    if clause.type == "range_clause":
        right = clause.child_by_field_name("right")
        left = clause.child_by_field_name("left")
        schedule = _delay_schedule(gf, loop, left, right)
        if schedule is not None:
            return None, schedule, True
        info = gf.count(right)
        one_variable = left is None or len(left.named_children) <= 1  # `for _, m := range xs`: a collection
        if info.value is None and not (one_variable and right is not None and right.type in ("identifier", "selector_expression")
                                       and _counts_tries(node_text(right).rsplit(".", 1)[-1])):
            return None  # ranging over a collection (`for range retryCount` counts: Go 1.22 ranges over ints)
        var = node_text(left.named_children[0]) if left is not None and left.named_children else None
        return var, info, True
    return None, None, False  # `for cond {`: judged by its counter below


def _countdown_bound(gf: GoFile, clause: ts.Node, var: str, start: ts.Node, cond: ts.Node, op: str):
    """`for i := retryTimes; i > 0; i-- {`: a loop counting down from a number of tries named for them
    to a literal floor runs start - floor times (start - floor + 1 with `>=`; round 12)."""
    update = clause.child_by_field_name("update")
    floor = cond.child_by_field_name("right")
    if op not in (">", ">=") or floor is None or floor.type != "int_literal" or update is None or \
            not re.fullmatch(rf"\s*{re.escape(var)}\s*(--|-=\s*1)\s*", node_text(update)):
        return None
    if not _counts_tries(node_text(start).rsplit(".", 1)[-1]) and not _ATTEMPTISH.search(node_text(start)) and \
            not (start.type == "int_literal" and _ATTEMPTISH.search(var)):
        return None  # `for i := len(xs) - 1; i >= 0; i--`: walks a collection backwards
    offset = (1 if op == ">=" else 0) - float(node_text(floor))
    info = gf.count(start, offset=offset)
    if info.value is not None and info.value < 1:
        # `var RetryTimes = 0` that an admin option sets at run time: as written the loop never runs
        return var, ValueInfo(None, "unresolved", info.expression), True
    return var, info, True


def _header_counter_r22(loop: ts.Node, var: str) -> bool:
    """`for i := 0; ; i++ {`: the header counts the passes itself."""
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    update = clause.child_by_field_name("update") if clause is not None else None
    return update is not None and re.fullmatch(rf"\s*{re.escape(var)}\s*(\+\+|\+=\s*1)\s*", node_text(update)) is not None


def _header_starts_at_zero_r22(loop: ts.Node, var: str) -> bool:
    """`for i := 0; ; i++ {`: the header's counter starts at 0."""
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    init = clause.child_by_field_name("initializer") if clause is not None else None
    return init is not None and re.fullmatch(rf"\s*{re.escape(var)}\s*:=\s*0\s*", node_text(init)) is not None


def _attempt_read_bound_r22(gf: GoFile, loop: ts.Node, nodes: list[ts.Node], conditions: list[str]):
    """`for { attempt := int(retryer.Attempt()) + 1; ...; if attempt == maxAttempts { return err }; sleep }`
    (round 22, atlantis's GitLab status updates over jpillora/backoff): the try's number read from a backoff's
    `Attempt()` counter (0 before the first wait), compared with a bound: that many tries (`+ 1` read: the
    bound; read as is: one more; `>`: one more again). (name, ValueInfo) or None."""
    for node in nodes:
        if node.type != "short_var_declaration":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or len(left.named_children) != 1 or len(right.named_children) != 1:
            continue
        name = node_text(left.named_children[0])
        value = node_text(right.named_children[0])
        if not _ATTEMPTISH.search(name) or not re.search(r"\.Attempt\(\s*\)", value):
            continue
        plus_one = bool(re.search(r"\+\s*1\s*$", value))
        for c in conditions:
            m = re.search(rf"\b{re.escape(name)}\s*(==|>=|>)\s*([\w.]+)", c)
            if not m:
                continue
            offset = (0 if plus_one else 1) + (1 if m.group(1) == ">" else 0)
            bound = _identifier_or_number(gf, m.group(2), loop) if "." not in m.group(2) else None
            if bound is not None and bound.type == "identifier":
                # `pipelineMaxAttempts := 2; if g.StatusRetryEnabled { pipelineMaxAttempts = 5 }`: the value
                # chosen before the optional override is the default
                chosen = gf.default_binding(m.group(2), loop)
                if chosen is not None and hasattr(chosen, "type"):
                    bound = chosen  # type: ignore[assignment]
                fns = gf.enclosing_functions(loop)
                entries = [e for e in gf._bindings(fns[0]).get(m.group(2), []) if e[0] < loop.start_byte] if fns else []
                while len(entries) > 1 and _under_flag_r22(entries[-1][1]):
                    entries = entries[:-1]  # `if g.StatusRetryEnabled { pipelineMaxAttempts = 5 }`: only when enabled
                if len(entries) >= 1 and hasattr(entries[-1][1], "type") and chosen is not None and \
                        _under_flag_r22(chosen):
                    bound = entries[-1][1]  # type: ignore[assignment]
            number = gf.settle(gf.to_expr(bound), as_duration=False)[0] if bound is not None else None
            if number is not None:
                return name, _fixed(int(number + offset) if float(number + offset).is_integer() else number + offset,
                                    m.group(0), "literal")
            return name, _fixed(None, m.group(0), "unresolved")
    return None


def _under_flag_r22(value: object) -> bool:
    """A value given inside `if cfg.SomeFlag {` (a bare field of a config, a switch that is off unless set)."""
    if not hasattr(value, "type"):
        return False
    for a in ts.ancestors(value):  # type: ignore[arg-type]
        if a.type in ("function_declaration", "method_declaration", "func_literal"):
            return False
        if a.type == "block" and a.parent is not None and a.parent.type == "if_statement":
            condition = a.parent.child_by_field_name("condition")
            return condition is not None and re.fullmatch(r"\s*\w+(\.\w+)+\s*", node_text(condition)) is not None
    return False


def _header_countdown_r22(gf: GoFile, clause: ts.Node, cond: ts.Node):
    """`for ; retries > 0; retries-- {` (round 22, playbook-dispatcher's DoGetWithRetry): a count of tries
    named for them, kept in a variable made before the loop or handed in as a parameter, counted down to a
    literal floor: as many tries as it holds (a parameter: its callers' values, this loop a forwarder)."""
    update = clause.child_by_field_name("update")
    var_node = cond.child_by_field_name("left")
    floor = cond.child_by_field_name("right")
    op = node_text(cond.child_by_field_name("operator"))
    if var_node is None or var_node.type != "identifier" or floor is None or floor.type != "int_literal" or \
            op not in (">", ">=") or update is None:
        return None
    var = node_text(var_node)
    if not re.fullmatch(rf"\s*{re.escape(var)}\s*(--|-=\s*1)\s*", node_text(update)) or \
            not (_counts_tries(var) or _ATTEMPTISH.search(var)):
        return None
    offset = (1 if op == ">=" else 0) - float(node_text(floor))
    return var, gf.count(var_node, offset=offset), True


# ... or ends with such a word: `PUB_ACQUIRE_CHANNEL_RETRIES`, `maxPublishAttempts`
_COUNT_SUFFIX = re.compile(r"(?i:(^|_)(retries|attempts|tries)(_?(count|num|max|limit))?)$|[a-z](Retries|Attempts|Tries)$")


def _counts_tries(name: str) -> bool:
    """A name that holds a number of tries (a constant defined in another file of the package)."""
    return bool(_COUNT_NAME.fullmatch(name) or _COUNT_SUFFIX.search(name))


def _delay_schedule(gf: GoFile, loop: ts.Node, left, right) -> ValueInfo | None:
    """`for _, delay := range delays { if err = f(); err == nil { return }; time.Sleep(delay) }`: one
    try per delay of the schedule (a collection of waits, not of items): as many tries as delays."""
    body = loop.child_by_field_name("body")
    names = [node_text(n) for n in left.named_children] if left is not None else []
    if body is None or len(names) != 2 or right is None:
        return None
    delay = names[1]
    # `time.Sleep(delay)`, or a wait made of it: `time.Sleep(time.Duration(retryDelayMs) * time.Millisecond)`
    # over a package-level `[5]int{100, 200, 200, 500, 0}` (Jitsu's webhook/Mixpanel senders; round 18)
    scaled = re.compile(rf"(?<![\w.]){re.escape(delay)}(?![\w.])")
    sleeps = [c for c in gf.calls_within(body.start_byte, body.end_byte) if c.qualified in _SLEEPS and c.args and
              (node_text(inner_expression(c.args[0])) == delay or scaled.search(node_text(c.args[0])))]
    if not sleeps:
        return None
    # ... and a delay only scaled into a wait is only waited on: an item a pass works on (`send(item)`,
    # `time.Sleep(time.Duration(len(item)))`) is no delay
    rest = node_text(body)
    for c in sleeps:
        rest = rest.replace(node_text(c.node), "")
    if not any(node_text(inner_expression(c.args[0])) == delay for c in sleeps) and scaled.search(rest):
        return None
    expression = node_text(right)
    held = gf.resolve_name(inner_expression(right))
    if held.type == "identifier" and node_text(held) in gf.declarations and gf.declarations[node_text(held)] is not None:
        held = inner_expression(gf.declarations[node_text(held)])  # a package-level `var delays = []time.Duration{...}`
    if held.type == "composite_literal":
        items = held.child_by_field_name("body")
        count = len([c for c in items.named_children if c.type != "comment"]) if items is not None else 0
        return ValueInfo(float(count), "literal", expression) if count else None
    return ValueInfo(None, "unresolved", f"len({expression})")


def _schedule_values(gf: GoFile, body: ts.Node, arg) -> list[float]:
    """The waits of a delay schedule the loop ranges over (`for _, d := range []time.Duration{...}`)."""
    loop = body.parent
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None) if loop is not None else None
    left = clause.child_by_field_name("left") if clause is not None else None
    if arg is None or left is None or len(left.named_children) != 2 or \
            node_text(left.named_children[1]) != node_text(inner_expression(arg)):
        return []
    held = gf.resolve_name(inner_expression(clause.child_by_field_name("right")))
    if held.type == "identifier" and gf.declarations.get(node_text(held)) is not None:
        held = inner_expression(gf.declarations[node_text(held)])
    items = held.child_by_field_name("body") if held.type == "composite_literal" else None
    values = [gf.duration(c).value for c in items.named_children if c.type != "comment"] if items is not None else []
    return [float(v) for v in values] if values and all(v is not None for v in values) else []


def _backoff_kind(gf: GoFile, body: ts.Node, var: str | None, sleeps: list[GoCall]) -> str:
    if not sleeps:
        return "none"
    arg = sleeps[0].args[0] if sleeps[0].args else None
    text = node_text(arg) if arg is not None else ""
    resolved = gf.resolve_name(inner_expression(arg)) if arg is not None else None
    if resolved is not None and arg is not None and resolved.id != inner_expression(arg).id:
        text += " " + node_text(resolved)  # d := time.Second * time.Duration(i); time.Sleep(d)
    if resolved is not None and resolved.type == "call_expression":
        fn = node_text(resolved.child_by_field_name("function")).rsplit(".", 1)[-1]
        if fn in gf.functions:
            text += " " + node_text(gf.functions[fn])
    schedule = _schedule_values(gf, body, arg)
    if schedule:
        if len(set(schedule)) == 1:
            return "fixed"
        if all(b >= 1.9 * a for a, b in zip(schedule, schedule[1:]) if a):
            return "exponential"
        return "linear" if all(b > a for a, b in zip(schedule, schedule[1:])) else "fixed"
    body_text = node_text(body)
    names = {node_text(n) for n in ts.walk(arg) if n.type == "identifier"} if arg is not None else set()
    grows = any(re.search(rf"\b{re.escape(n)}\s*(\*=\s*2|<<=|=\s*{re.escape(n)}\s*\*\s*2|=\s*min\(\s*{re.escape(n)}\s*\*)",
                          body_text) for n in names)
    if "<<" in text or "Pow(" in text or "Exponential" in text or grows:
        return "exponential"
    if var and re.search(rf"\b{re.escape(var)}\b", text):
        return "linear"
    if "rand" in text:
        return "random"
    return "fixed"


_RESULT_CHECK_BYTES = re.compile(rb"err|StatusCode|ok|nil|(?i:retr)")
# `if cli.registerCustomResources() {`: a call that says whether it worked
_BOOL_CHECK_BYTES = re.compile(rb"\bif\s+[\w.]+\(")
_RETRYABLE_CHECK = re.compile(r"(?i)\b\w*(retryable|shouldretry|canretry)\w*\(")


# --- grafana/dskit backoff -----------------------------------------------------------------------

def _dskit_loop(gf: GoFile, loop) -> tuple[Draft, RetryScope] | None:
    """`b := backoff.New(ctx, cfg); for b.Ongoing() { ...; b.Wait() }`."""
    body = loop.child_by_field_name("body")
    clause = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
    if body is None or clause is None or clause.type != "call_expression":
        return None
    call = gf.call_at(clause)
    if call is None or call.name != "Ongoing" or call.receiver is None:
        return None
    made = gf.call_at(gf.resolve_name(inner_expression(call.receiver)))
    if made is None or made.qualified != "dskitbackoff.New" or len(made.args) < 2:
        return None
    config = gf.resolve_name(inner_expression(made.args[1]))
    declared = gf.declarations.get(node_text(config)) if config.type == "identifier" else None
    if declared is not None and inner_expression(declared).type == "composite_literal":
        config = inner_expression(declared)  # a package-level `var pollBackoff = backoff.Config{...}`
    if config.type == "composite_literal":
        fields = next((c.fields for c in gf.composites if c.node.id == config.id), {})
        info = gf.count(fields["MaxRetries"]) if "MaxRetries" in fields else _fixed(None, "", "unresolved")
    elif config.type in ("identifier", "selector_expression"):
        name = re.sub(r"\s+", "", node_text(config)) + ".MaxRetries"
        value, source = gf.settle(Ref(name), as_duration=False)
        info = _fixed(normalise_ms(value), name, source) if value is not None else _fixed(None, name, "unresolved")
    else:
        info = _fixed(None, node_text(config), "unresolved")
    if info.value == 0:
        info = _fixed(None, info.expression, "unresolved")  # MaxRetries 0: until the context ends
    draft = Draft(gf.finding("retry", loop, ID, _attrs(info, "exponential", "loop", "grafana/dskit"),
                             confidence="high" if info.value is not None else "medium", evidence_node=loop),
                  link=("scope", body.start_byte, body.end_byte), linkable=True)
    return draft, RetryScope(body.start_byte, body.end_byte, loop.start_point[0] + 1)


def _failover(gf: GoFile, loop: ts.Node, body: ts.Node) -> tuple[Draft, RetryScope] | None:
    """`for _, instance := range instances { err = forward(instance); if err == nil { return nil }; if
    !isDialError(err) { return err } }`: the same call tried on one candidate after another until one
    works (a failover), as many tries as there are candidates (null). A walk over items that stops
    at the first failure (`if err != nil { return err }`) is not one."""
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    if clause is None or b"nil" not in gf.data[body.start_byte:body.end_byte]:
        return None
    nodes = list(descendants(body, skip_functions=True))
    names = set()
    for n in nodes:
        if n.type in ("short_var_declaration", "assignment_statement"):
            right, left = n.child_by_field_name("right"), n.child_by_field_name("left")
            values = right.named_children if right is not None else []
            if len(values) == 1 and inner_expression(values[0]).type == "call_expression" and left is not None:
                names.update(node_text(c) for c in left.named_children
                             if c.type == "identifier" and re.search(r"(?i)err", node_text(c)))
    if not names:
        return None
    # round 19: a failed call goes on to the next replica (`if err != nil { continue }`) and the rest
    # leaves the loop; a later `return err` of decoding the answer does not make it a walk (kraken)
    if _over_candidates(clause, body) and (_continues_then_leaves(body, names) or
                                           _continues_label_on_error_r19b(loop, body, names)):
        info = _candidates_info_r20(gf, clause)
        return _draft(gf, loop, body, info, None, [], [], counted=False)
    if _leaves_on_error(nodes):
        return None

    def returns(n) -> bool:
        branch = n.child_by_field_name("consequence")
        return branch is not None and re.search(r"\breturn\b", node_text(branch)) is not None

    ifs = [n for n in nodes if n.type == "if_statement" and n.child_by_field_name("initializer") is None]
    conditions = [node_text(n.child_by_field_name("condition")) for n in ifs]
    success = any(returns(n) and any(re.fullmatch(rf"\s*{re.escape(name)}\s*==\s*nil\s*", c) for name in names)
                  for n, c in zip(ifs, conditions))
    # ... and gives up on the errors another candidate would not cure: `if !proxy.IsDialError(err) { return err }`
    classified = any(returns(n) and any(re.search(rf"\w+\([^()]*\b{re.escape(name)}\b", c) for name in names)
                     for n, c in zip(ifs, conditions))
    # round 19: a range over replicas / endpoints (`for _, client := range clients`, `range
    # c.ring.Locations(d)`) whose call uses the candidate and that goes on to the next one when the call
    # failed (`if err != nil { continue }; break`) or leaves when it worked is a failover too (kraken)
    # (one that only keeps the last error, `if err == nil { return v }`, still checks alternatives:
    # the nameserver walk of go-cert-manager-acme)
    candidates = _over_candidates(clause, body)
    if candidates and success and classified:
        info = _candidates_info_r20(gf, clause)
        return _draft(gf, loop, body, info, None, [], conditions, counted=False)
    if success and classified and any(re.search(r"NotExist|NotFound|IsNotExist", c) for c in conditions):
        return None  # `if !errors.Is(err, os.ErrNotExist) { return err }`: looks for the first name that exists (round 13)
    if success and classified:
        info = _candidates_info_r20(gf, clause)
        return _draft(gf, loop, body, info, None, [], conditions, counted=False)
    return None


def _candidates_info_r20(gf: GoFile, clause: ts.Node) -> ValueInfo:
    """One try per candidate: as many as a slice literal the range walks has elements (`for _, server := range
    licenseServers` with `var licenseServers = []string{a, b}`: 2; round 20, vikunja), else unknown (null)."""
    right = clause.child_by_field_name("right")
    text = f"one try per item of {node_text(right)}"
    literal = None
    if right is not None and right.type == "identifier":
        bound = gf.lookup_local(node_text(right), right)
        literal = bound if bound is not None and hasattr(bound, "type") else (
            gf.declarations.get(node_text(right)) if bound is None else None)
    elif right is not None and right.type == "composite_literal":
        literal = right
    literal = inner_expression(literal) if literal is not None else None
    if literal is not None and literal.type == "composite_literal" and \
            node_text(literal.child_by_field_name("type")).startswith("["):
        body = literal.child_by_field_name("body")
        items = [c for c in (body.named_children if body is not None else []) if c.type != "comment"]
        if items and all(c.type in ("literal_element", "element") for c in items):
            return _fixed(float(len(items)), f"{text} ({len(items)})", "literal")
    return _fixed(None, text, "unresolved")


def _continues_label_on_error_r19b(loop: ts.Node, body: ts.Node, names: set[str]) -> bool:
    """`ORIGINS: for _, client := range clients { for { if err := makeRequest(client); err != nil { ...;
    continue ORIGINS }; return nil } }` (round 19, second wave, kraken's cluster Poll): from an inner loop,
    a failed call goes on to the next candidate by the outer loop's label, and a success returns."""
    holder = loop.parent
    if holder is None or holder.type != "labeled_statement":
        return False
    label = next((c for c in holder.named_children if c.type == "label_name"), None)
    if label is None:
        return False
    text = node_text(body)
    if not re.search(rf"\bcontinue\s+{re.escape(node_text(label))}\b", text) or not re.search(r"\breturn\s+nil\b", text):
        return False
    for node in descendants(body, skip_functions=True):
        if node.type != "if_statement":
            continue
        condition = node_text(node.child_by_field_name("condition"))
        consequence = node_text(node.child_by_field_name("consequence"))
        if any(re.search(rf"\b{re.escape(n)}\s*!=\s*nil", condition) for n in names) and \
                re.search(rf"\bcontinue\s+{re.escape(node_text(label))}\b", consequence):
            return True
    return False


# what a failover walks: the replicas, hosts or endpoints of one service (round 19)
# (round 21: `uri`, clair's AMQP brokers `for _, uri := range f.uris`)
_CANDIDATE_NAMES = re.compile(r"(?i)(client|host|addr|server|endpoint|url|(?-i:\buris?\b|URI|Uri)|peer|origin|replica|"
                              r"backend|upstream|broker|location|mirror|member|seed|node)")


def _over_candidates(clause: ts.Node, body: ts.Node) -> bool:
    """The range walks candidates named for endpoints (`clients`, `hosts`, `c.ring.Locations(d)`) and
    the body uses the loop's variable."""
    right, left = clause.child_by_field_name("right"), clause.child_by_field_name("left")
    if right is None or left is None:
        return False
    variables = [node_text(c) for c in left.named_children if c.type == "identifier" and node_text(c) != "_"]
    if not variables or not _CANDIDATE_NAMES.search(node_text(right) + " " + " ".join(variables)):
        return False
    text = node_text(body)
    return any(re.search(rf"\b{re.escape(v)}\b", text) for v in variables[-1:])


def _continues_then_leaves(body: ts.Node, names: set[str]) -> bool:
    """`mi, err = client.GetMetaInfo(d); if err != nil { continue }; break`: a failed call goes on to the
    next candidate (a `continue` in the error branch), and the statements after it leave the loop."""
    items = [c for c in body.named_children if c.type != "comment"]
    if len(items) == 1 and items[0].type == "statement_list":
        items = [c for c in items[0].named_children if c.type != "comment"]
    for i, item in enumerate(items):
        if item.type != "if_statement":
            continue
        condition = node_text(item.child_by_field_name("condition"))
        consequence = item.child_by_field_name("consequence")
        if consequence is None or not any(re.search(rf"\b{re.escape(n)}\s*!=\s*nil", condition) for n in names):
            continue
        if not any(d.type == "continue_statement" and node_text(d).strip() == "continue"
                   for d in descendants(consequence, skip_functions=True)
                   if not any(a.type == "for_statement" and a.start_byte > body.start_byte for a in ts.ancestors(d))):
            continue
        return any(r.type in ("return_statement", "break_statement") for r in items[i + 1:])
    return False


def _hand_loop(gf: GoFile, loop: ts.Node) -> tuple[Draft, RetryScope] | None:
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    bound = _loop_bound(gf, loop)
    if bound is None:
        return _failover(gf, loop, body)
    var, info, counted = bound
    raw = gf.data[body.start_byte:body.end_byte]
    header_retries = counted and _header_retries_failure(loop) and re.search(rb"\berr\s*=", raw) is not None
    # `for c.accountID == "" { ...; if err != nil { sleep } else { c.accountID = ... } }`: the loop's own
    # condition is its exit once the call worked (round 11)
    first = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
    fills = not counted and first is not None and first.type == "binary_expression" and b"if" in raw and \
        _fills_header_on_success(first, list(descendants(body, skip_functions=True)))
    if not header_retries and not fills and \
            ((b"return" not in raw and b"break" not in raw and b"os.Exit(" not in raw)
             or (b"if" not in raw and b"switch" not in raw)
             or not (_RESULT_CHECK_BYTES.search(raw) or _BOOL_CHECK_BYTES.search(raw))):
        return None  # no exit or no result check can be in there (the tests below need both)
    loop_fn = _fn_id(gf, loop)
    nodes = list(descendants(body, skip_functions=True))
    # a command's check loop ends the process on success (`os.Exit(0)`): an exit like `return` (round 14)
    exits = header_retries or fills or any(n.type in ("return_statement", "break_statement") or
                                           (n.type == "call_expression" and node_text(n).startswith("os.Exit("))
                                           for n in nodes)
    # The condition with its initializer: `if code := status.Code(err); code == codes.Unavailable {`.
    conditions = [node_text(n.child_by_field_name("initializer")) + "; " + node_text(n.child_by_field_name("condition"))
                  if n.child_by_field_name("initializer") is not None else node_text(n.child_by_field_name("condition"))
                  for n in nodes if n.type == "if_statement"]
    # `switch err { case redis.TxFailedErr: continue; default: return err }`: a check of the result too
    conditions += ["switch " + node_text(n.child_by_field_name("value")) for n in nodes
                   if n.type == "expression_switch_statement" and n.child_by_field_name("value") is not None]
    # a tagless `switch { case errors.Is(err, ctx.Canceled): return err; case err != nil: sleep; continue }`:
    # each case's expression is a condition like an `if`'s (round 13, ollama's part up/download loops)
    conditions += [node_text(case.child_by_field_name("value")) for n in nodes
                   if n.type == "expression_switch_statement" and n.child_by_field_name("value") is None
                   for case in n.named_children
                   if case.type == "expression_case" and case.child_by_field_name("value") is not None]
    # `for i := 1; i < 3 && resp.StatusCode == 429; i++ { ...; resp, err = c.Do(req) }`: the loop's own
    # condition checks the result of the call it makes again
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    header = clause.child_by_field_name("condition") if clause is not None else None
    if header is not None and node_text(header.child_by_field_name("operator")) == "&&":
        conditions.append(node_text(header))
    checks_result = any(re.search(r"\berr\b|\b\w+Err\b|StatusCode|\bok\b|(?i:retr)", c) for c in conditions) or \
        _checks_call_result(gf, body, nodes, conditions) or _exits_on_true(gf, nodes, loop_fn)
    if not (exits and checks_result):
        return None
    # `if errors.As(err, &pgErr) && pgErr.Code == "40001" { ...; continue }`: the failures of one class go
    # round again (a serialization conflict, a closed channel), the others leave: a retry of that class.
    if _continues_on_collision(nodes):
        return None  # `if err == ErrTokenInUse { continue }`: a new token is drawn, no failure is retried
    classified = _continues_on_classified_error(nodes)
    bounded_by_retries = bool(counted and info is not None and _ATTEMPTISH.search(info.expression))
    if counted and _leaves_on_error(nodes) and not (classified or bounded_by_retries and _continues(nodes)) and \
            not any(re.search(r"StatusCode|Status\(|(?i:retr)|Temporary|Timeout|Unavailable|\.NotFound\b", c) for c in conditions):
        return None  # `for i := 0; i < maxPolls; i++ { r, err := get(); if err != nil { return err }; if r.Ready {...} }`: a poll
        # (a result answering `payload.NotFound`, sent again after a wait, is a retry of that call: round 12)
    sleeps = [c for c in gf.calls_within(body.start_byte, body.end_byte) if (c.qualified in _SLEEPS or _temporal_sleep(gf, c)
                                                                              or _pause_helper(c) or _closure_pause(gf, c)
                                                                              or _file_pause(gf, c))
              and _fn_id(gf, c.node) == loop_fn and not _in_inner_loop(c.node, loop)] + _ticker_waits(gf, nodes)
    if not sleeps and _compare_and_swap(gf, body, loop_fn):
        return None  # `for { if m.CompareAndSwap(k, old, new) { break }; retries++ }`: contention, no call
    if counted:
        if _polls_local_state(gf, body, loop_fn):
            return None  # `for range 10 { if _, err := os.Stat(p); err == nil { break }; sleep }`: a wait (round 13);
            # without a pause, a value drawn again until it passes a local check (round 19, second wave, answer's
            # `for range maxRetries { password, err = generateRandomPassword(n); ...; checker.CheckPassword(password) }`)
        asks_retryable = any(_RETRYABLE_CHECK.search(c) for c in conditions)
        if not (sleeps or (var and _ATTEMPTISH.search(var)) or asks_retryable or bounded_by_retries or classified
                or _retries_until_success(gf, body, nodes, var, info, loop_fn)
                or (not var and _goes_round_on_failed_status(nodes))):
            return None
        if not any(re.search(r"\berr\b", c) for c in conditions) and _exits_on_true(gf, nodes, loop_fn) and \
                _waits_for_state(gf, loop, body, loop_fn):
            return None  # `func waitForState() { for range 30 { if c.present() { return }; sleep } }`: a poll
    else:
        # `for {` / `for cond {`: needs an attempt counter that is incremented and compared.
        # (not a tally of a stats struct: `counters.retryScheduled++` counts messages sent to a retry topic)
        counters = [name for name in map(_incremented, nodes) if name and _ATTEMPTISH.search(name)
                    and not _TALLY.match(name)]
        # ... or one compared with a bound named for tries: `if counter > tf.conf.Retry.Count { break }`
        counters += [name for name in map(_incremented, nodes) if name and name not in counters and any(
            re.search(rf"\b{re.escape(name)}\s*(>=|>|<|<=)\s*[\w.]+", c) and
            any(_ATTEMPTISH.search(b) for b in re.findall(rf"\b{re.escape(name)}\s*(?:>=|>|<|<=)\s*([\w.]+)", c))
            for c in conditions)]
        # ... or one counted up where the loop waits after a failure and compared with a bound whose
        # branch gives up: `time.Sleep(d); backoff++; if backoff > 15 { return }` (16 tries)
        counters += [name for name in (_paced_counter(gf, n, loop_fn) for n in nodes)
                     if name and name not in counters and _gives_up_at(nodes, name)]
        if var and _ATTEMPTISH.search(var) and sleeps:
            counters.insert(0, var)
        elif var and sleeps and var not in counters and _header_counter_r22(loop, var) and _gives_up_at(nodes, var):
            # round 22 (the select-only retry loops of round 21's requests): `for i := 0; ; i++ { select { case
            # <-ctx.Done(): return; case <-time.After(d): if err := send(); err == nil { return nil }; if i >= 4
            # { return err } } }`: the header's counter, compared with the bound that gives up
            counters.insert(0, var)
        if _polls_local_state(gf, body, loop_fn):
            return None  # `for { if _, err := os.Stat(p); err == nil { return nil }; ...; retries++ }`
        countdown = [name for name in map(_decremented, nodes) if name and _ATTEMPTISH.search(name)]
        if not counters and not countdown and sleeps:
            drawn = _attempt_read_bound_r22(gf, loop, nodes, conditions)
            if drawn is not None:
                return _draft(gf, loop, body, drawn[1], drawn[0], sleeps, conditions, counted=False)
        if not counters and countdown:
            # `retries := m.retries; for { if retries == 0 { return nil, err }; retries--; ... }`: as many
            # tries as the counter starts with
            start = gf.lookup_local(countdown[0], loop)
            info = gf.count(inner_expression(start)) if start is not None and hasattr(start, "type") else \
                _fixed(None, countdown[0], "unresolved")
            return _draft(gf, loop, body, info, countdown[0], sleeps, conditions, counted=False)
        if not counters:
            # `for { ...; retry := isTransient(err); if !retry { return nil, err } }`: another try (on
            # another worker, say) for as long as the error says so.
            if any(re.fullmatch(r"\s*!\s*(retry|retryable|shouldRetry|canRetry)\s*", c) for c in conditions):
                return _draft(gf, loop, body, _fixed(None, "while retryable", "unresolved"), var, sleeps,
                              conditions, counted=False)
            # `for { if err := c.RunOnce(ctx); err != nil { log(err) }; select { case <-ticker.C: case
            # <-ctx.Done(): return } }`: the work done on each tick of a time.Ticker, a periodic job that
            # goes on whether it worked or not (round 10)
            if sleeps and all(c.qualified in ("time.NewTicker", "time.Tick") for c in sleeps) and \
                    not _exits_on_success(nodes):
                return None
            # `for status.State != want { ...; time.Sleep(d); status, err = s.Query() }`: waits for a state
            # the loop's own condition names, no failure is tried again (round 10)
            header = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
            if header is not None and header.type == "binary_expression" and _compares_state(header) and \
                    not re.search(r"\berr\b|(?i:retr|attempt)", node_text(header)) and \
                    not (sleeps and _fills_header_on_success(header, nodes)):
                return None
            # `for { err = f(); if err == nil { break }; time.Sleep(d) }`: retried until it succeeds.
            # ... or `if err != nil { retryOrDie(err); continue }` ... `break`: a failed pass goes round after
            # the wait, the pass that got through leaves (round 14)
            if sleeps and (_exits_on_success(nodes) or _waits_out(gf, body) or _reconnects(gf, body, loop_fn, conditions)
                           or _exits_on_true(gf, nodes, loop_fn) or _continues_on_error(body) or
                           _continues_on_conflict_r17(body, nodes) or
                           (header is not None and header.type == "binary_expression" and
                            _fills_header_on_success(header, nodes))):
                if _waits_for_state(gf, loop, body, loop_fn):
                    return None  # `func waitForCRDs(...) { for { if err := isCRDReady(); err == nil { break } ...`
                return _draft(gf, loop, body, _fixed(None, "until success", "unresolved"), var, sleeps, conditions,
                              counted=False)
            return None
        state_header = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
        if state_header is not None and state_header.type == "binary_expression" and _compares_state(state_header) and \
                not re.search(r"\berr\b|(?i:retr|attempt)", node_text(state_header)) and \
                _leaves_on_error(nodes) and not classified:
            # `for copyStatus == blob.CopyStatusTypePending { props, err := GetProperties(); if err != nil { return
            # err }; if retryCount >= d.maxRetries { abort }; ...; sleep; retryCount++ }`: a poll of a remote copy's
            # state with a bounded count of looks, a failed look ends it (round 18, distribution's Azure driver)
            return None
        if _leaves_on_error(nodes) and not classified and not any(_ATTEMPTISH.search(n) for n in counters) and \
                not any(re.search(r"StatusCode|Status\(|(?i:retr|attempt)|Temporary|Timeout|Unavailable", c)
                        for c in conditions):
            # `for { step++; rsp, err := asyncTask(id); if err != nil { return err }; switch rsp.Status {...};
            # if step >= maxStep { break }; sleep }`: polls a remote job's state, a failed call ends it (round 12)
            return None
        var = counters[0]
        info = _fixed(None, "", "unresolved")
        comparisons = [*conditions]
        clause = next((c for c in loop.named_children if c.type != "block"), None)
        if clause is not None:
            comparisons.append(node_text(clause))
        for c in comparisons:
            m = re.search(rf"\b{re.escape(var)}\s*(>=|>|<|<=)\s*([\w.]+)", c)
            if m:
                bound = _identifier_or_number(gf, m.group(2), loop) if "." not in m.group(2) else None
                number = gf.settle(gf.to_expr(bound), as_duration=False)[0] if bound is not None else None
                offset = 1 if m.group(1) in (">", "<=") else 0
                if c in conditions and ((_checked_before_counted(nodes, c, var) and _starts_at_zero(gf, var, loop)) or
                                        (_header_counter_r22(loop, var) and _header_starts_at_zero_r22(loop, var))):
                    offset += 1  # (round 22: a header's `i++` counts after the pass, so a check in it sees i tries - 1)
                if c in conditions and _counted_first_r20(body, var, c) and _starts_at_zero(gf, var, loop):
                    offset -= 1
                if number is not None:
                    info = _fixed(number + offset, m.group(0), "literal")
                elif "." in m.group(2) and all(p.isidentifier() for p in m.group(2).split(".")):
                    # `if s.attempt >= s.maxReconnectAttempts { return }`: a field, valued where it is
                    # filled (a constructor copying the config's MaxReconnectAttempts, its default)
                    expr = BinOp("+", Ref(m.group(2)), Num(offset)) if offset else Ref(m.group(2))
                    value, source = gf.settle(expr, as_duration=False)
                    info = ValueInfo(value, source, m.group(0)) if value is not None else ValueInfo(
                        None, "unresolved", m.group(0),
                        (Pending("max_attempts", gf._substitute(expr, at=loop), 1.0),))
                elif bound is not None and bound.type == "identifier" and \
                        gf.lookup_local(m.group(2), loop) is OPAQUE and _parameter_of_r20(gf, m.group(2), loop):
                    # round 20 (mev-boost): `for { attempts++; if attempts > maxRetries { return } ... }` bound by
                    # the helper's parameter: its callers' values (`$attempts_param`), this loop a forwarder
                    info = gf.count(bound, offset=offset)
                else:
                    info = _fixed(None, m.group(0), "unresolved")
                break
    if info is not None and info.value is not None and _tried_before(gf, loop, body, loop_fn):
        # `if err := action(); err == nil {...}; for { ...action()...; attempts++; if attempts >= 4 {...} }`
        info = ValueInfo(info.value + 1, info.resolved_from, f"{info.expression} + a first try before the loop",
                         info.pending)
    return _draft(gf, loop, body, info, var, sleeps, conditions, counted)


def _counted_first_r20(body: ts.Node, var: str, condition: str) -> bool:
    """`for { attempts++; ...; if attempts > maxRetries { return }; code, err = send() }`: the loop counts the
    try it is about to make before anything else and gives up before making it, so the bound is the number
    of tries (round 20, mev-boost); checked after the call (`err = send(); ...; if attempts > n`) it is not."""
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    if not statements or _incremented(statements[0]) != var:
        return False
    for st in statements[1:]:
        if st.type == "if_statement" and node_text(st.child_by_field_name("condition")) == condition:
            return True
        if st.type in ("assignment_statement", "short_var_declaration", "expression_statement") and \
                any(d.type == "call_expression" for d in descendants(st)):
            return False  # the try is made before the bound is looked at
    return False


def _parameter_of_r20(gf: GoFile, name: str, loop: ts.Node) -> bool:
    fns = gf.enclosing_functions(loop)
    params = fns[0].child_by_field_name("parameters") if fns else None
    return params is not None and any(node_text(n) == name for decl in params.named_children
                                      for n in decl.children_by_field_name("name"))


def _checked_before_counted(nodes: list[ts.Node], condition: str, var: str) -> bool:
    """`if retryNum > maxRetryNum { return }; retryNum++` in one block: the bound is checked before the
    failure is counted, so the give-up comes one failure later (bound + 2 tries for `>`; round 14,
    go-zero-looklook's WeChat send loop). Counted first (`n++; if n > max`) it is the usual bound + 1."""
    for n in nodes:
        if n.type != "if_statement" or node_text(n.child_by_field_name("condition")) != condition:
            continue
        after = n.next_named_sibling
        while after is not None and after.type == "comment":
            after = after.next_named_sibling
        if after is not None and _incremented(after) == var:
            return True
    return False


def _starts_at_zero(gf: GoFile, var: str, loop: ts.Node) -> bool:
    """The counter is declared before the loop, in its function, with no value or 0 (`var retryNum
    int64`, `n := 0`)."""
    fns = gf.enclosing_functions(loop)
    if not fns:
        return False
    before = gf.data[fns[0].start_byte:loop.start_byte].decode("utf-8", "replace")
    name = re.escape(var)
    found = re.findall(rf"(?m)^\s*(?:var\s+{name}\s+\w+\s*$|var\s+{name}\s*(?:\w+\s*)?=\s*(\S+)\s*$|{name}\s*:=\s*(\S+)\s*$)",
                       before)
    if not found:
        return False
    last = found[-1]
    value = last[0] or last[1]
    return value in ("", "0")


def _retries_until_success(gf: GoFile, body: ts.Node, nodes: list[ts.Node], var: str | None,
                           info: ValueInfo | None, loop_fn: int | None) -> bool:
    """`for range 5 { err = d.login(); if err == nil { break } }`, `for i := 0; i < 10; i++ { s, err :=
    set(k); if err != nil { ...; continue }; ...; return }`: a loop bounded by a number (a literal or a
    constant, not a variable that may count items) that makes the same call on every pass and leaves
    once it worked tries that call again, even without a sleep. A pass that works on the loop's
    variable (`parse(items[i])`) walks items instead."""
    if info is None or info.value is None or not (_exits_on_success(nodes) or _continues_on_error(body)):
        return False
    work = _work_calls(gf, body, loop_fn)
    if not work:
        return False
    if var and any(re.search(rf"\b{re.escape(var)}\b", node_text(c.node)) for c in work):
        return False
    # `rel = path.Dir(rel)` between passes: each pass calls with other arguments, a walk (up folders)
    used = {node_text(n) for c in work for a in c.args for n in [a, *descendants(a)] if n.type == "identifier"}
    for n in nodes:
        if n.type in ("assignment_statement", "inc_statement", "dec_statement"):
            left = n.child_by_field_name("left") if n.type == "assignment_statement" else n
            names = {node_text(c) for c in (left.named_children if left is not None else [])}
            if "err" in names and n.type == "assignment_statement":
                continue  # `tx, err = db.BeginTx(ctx)`, `err = fn(tx)`: what this attempt got, not a step of a walk
            if names & used:
                return False
    return True


def _continues_on_error(body: ts.Node) -> bool:
    """The loop's own `if err != nil { ...; continue }` and a last statement that leaves: the pass
    that failed goes round again, the one that worked ends the loop."""
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "select_statement":
        # round 15 (keel): `for { select { case <-ctx.Done(): return nil, err; default: db, err := open(); if
        # err != nil { sleep; continue }; return db, nil } }`: the default case is the pass, the context
        # its time budget
        cases = [c for c in statements[0].named_children if c.type != "comment"]
        default = next((c for c in cases if c.type == "default_case"), None)
        if default is None or not any(c.type == "communication_case" and re.search(r"\bDone\(\)", node_text(c))
                                      for c in cases):
            return False
        statements = [c for c in default.named_children if c.type != "comment"]
        if len(statements) == 1 and statements[0].type == "statement_list":
            statements = [c for c in statements[0].named_children if c.type != "comment"]
    if not statements or statements[-1].type not in ("return_statement", "break_statement") and \
            not _leaves_on_good_result(statements[-1]):
        return False
    for statement in statements[:-1]:
        if statement.type != "if_statement" or \
                not re.fullmatch(r"\s*err\s*!=\s*nil\s*", node_text(statement.child_by_field_name("condition"))):
            continue
        consequence = statement.child_by_field_name("consequence")
        items = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
        if len(items) == 1 and items[0].type == "statement_list":
            items = [c for c in items[0].named_children if c.type != "comment"]
        if items and items[-1].type == "continue_statement":
            return True
        if items and items[-1].type == "select_statement" and _select_waits_then_continues_r22(items[-1]):
            return True
    return False


def _select_waits_then_continues_r22(select: ts.Node) -> bool:
    """round 22 (synthetic-monitoring-agent's k6 version report): `select { case <-ctx.Done(): return; case
    <-time.After(backoff): continue }` closing an `if err != nil {`: the failed pass waits, then goes round
    again, unless the context ends first."""
    cases = [c for c in select.named_children if c.type == "communication_case"]
    waits = False
    for case in cases:
        text = node_text(case)
        items = [c for c in case.named_children if c.type not in ("comment",)]
        last = items[-1] if items else None
        while last is not None and last.type == "statement_list":
            inner = [c for c in last.named_children if c.type != "comment"]
            last = inner[-1] if inner else None
        if re.search(r"time\.After\(|\.C\b", text.split(":", 1)[0]) and last is not None and \
                last.type == "continue_statement":
            waits = True
    return waits and any(re.search(r"\bDone\(\)", node_text(c).split(":", 1)[0]) for c in cases)


def _leaves_on_good_result(statement: ts.Node) -> bool:
    """A last `if code == dns.RcodeSuccess { return nil }` after the pass's `if err != nil { continue }`:
    the answer that was accepted ends the loop, another one goes round again (CoreDNS' NOTIFY `for range
    3`; round 18). Not a branch that gives up (`if code == Refused { return err }`) or one with an else."""
    if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None or \
            statement.child_by_field_name("initializer") is not None:
        return False
    condition = node_text(statement.child_by_field_name("condition"))
    if not re.search(r"(?i)==\s*[\w.]*(?:success|ok|accepted|statusok|noerror)\w*\s*$", condition):
        return False
    consequence = statement.child_by_field_name("consequence")
    items = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
    if len(items) == 1 and items[0].type == "statement_list":
        items = [c for c in items[0].named_children if c.type != "comment"]
    last = items[-1] if items else None
    return last is not None and (last.type == "break_statement" or last.type == "return_statement" and
                                 re.fullmatch(r"return(\s+nil)?", node_text(last).strip()) is not None)


_CONFLICT_R17 = re.compile(r"Conflict\b|IsConflict\(")


def _continues_on_conflict_r17(body: ts.Node, nodes: list[ts.Node]) -> bool:
    """`for { ds := get(); ...; _, err = client.Update(ctx, ds); if err != nil { if se, ok :=
    err.(*errors.StatusError); ok && se.ErrStatus.Reason == metav1.StatusReasonConflict { time.Sleep(d);
    continue }; return err }; return nil }`: a write that lost an update race (a Kubernetes 409
    Conflict) is read and written again, the pass that got through leaves: a retry until it works
    (round 15's decision for writes that lost a race; round 17, the round-16 kured request)."""
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    if not statements or statements[-1].type not in ("return_statement", "break_statement"):
        return False
    return any(n.type == "if_statement" and _ends_in_continue(n) and
               _CONFLICT_R17.search(node_text(n.child_by_field_name("condition")) + " " +
                                    node_text(n.child_by_field_name("initializer")))
               for n in nodes)


def _tried_before(gf: GoFile, loop: ts.Node, body: ts.Node, loop_fn: int | None) -> bool:
    """The statement just before the loop makes the call the loop repeats: a first try."""
    before = loop.prev_named_sibling
    while before is not None and before.type == "comment":
        before = before.prev_named_sibling
    if before is not None and before.type == "if_statement" and before.child_by_field_name("initializer") is None \
            and re.fullmatch(r"\s*err\s*!=\s*nil\s*", node_text(before.child_by_field_name("condition"))):
        # `resp, err := c.Do(req); if err != nil { return nil, err }; for ... { resp, err = c.Do(req) }`
        before = before.prev_named_sibling
        while before is not None and before.type == "comment":
            before = before.prev_named_sibling
    if before is None or before.type not in ("if_statement", "short_var_declaration", "assignment_statement",
                                             "expression_statement"):
        return False
    scope = before.child_by_field_name("initializer") if before.type == "if_statement" else before
    if scope is None:
        return False
    # the same call, arguments and all: `tx.Exec(ctx, "SAVEPOINT x")` before a loop that runs `tx.Exec(ctx,
    # "RELEASE SAVEPOINT x")` is a set-up, not a first try
    def same(c) -> str:
        return re.sub(r"\s+", "", node_text(c.node))
    tried = {same(c) for c in gf.calls_within(scope.start_byte, scope.end_byte) if c.name not in _NOT_WORK}
    return bool(tried & {same(c) for c in _work_calls(gf, body, loop_fn)})


# A call that holds a connection or subscription open until it breaks (a word of its camel-case name).
_RECONNECTED = {"subscribe", "subscription", "connect", "reconnect", "stream", "listen", "consume", "dial"}


def _reconnects(gf: GoFile, body: ts.Node, loop_fn: int | None, conditions: list[str]) -> bool:
    """`for { if err := s.subscribeOnce(ctx); err != nil { log(err) }; select { case <-ctx.Done(): return;
    case <-time.After(d): } }`: a subscription made again after it fails, until the context ends. The
    call is a statement of the loop itself (not work done on a ticker's case) and the wait a sleep."""
    if not any(re.search(r"\berr\s*!=\s*nil", c) for c in conditions):
        return False
    if _leaves_on_error(list(descendants(body, skip_functions=True))):
        return False  # `resp, err := c.DescribeStream(...); if err != nil { return err }`: waits for a state
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    if not any(c.qualified in ("time.Sleep", "time.After") for c in gf.calls_within(body.start_byte, body.end_byte)):
        return False
    for statement in statements:
        scope = statement.child_by_field_name("initializer") if statement.type == "if_statement" else statement
        if scope is None or statement.type not in ("if_statement", "short_var_declaration", "assignment_statement",
                                                   "expression_statement"):
            continue
        for call in gf.calls_within(scope.start_byte, scope.end_byte):
            words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+", call.name or "")}
            if call.package is None and _fn_id(gf, call.node) == loop_fn and words & _RECONNECTED:
                return True
    return False


# A uniqueness collision: the loop draws a new value (token, id, name) and inserts again.
_COLLISION = re.compile(r"InUse|Exists?\b|AlreadyExists|Duplicate|Taken|Collision|Unique")


def _continues_on_classified_error(nodes: list[ts.Node]) -> bool:
    """An `if` that looks at what the error is (`errors.As(err, &pgErr) && pgErr.Code[:2] == "40"`,
    `errors.Is(err, ErrConflict)`, not merely `err != nil`) and whose block ends with `continue`."""
    for n in nodes:
        if n.type != "if_statement":
            continue
        condition = node_text(n.child_by_field_name("condition"))
        if not re.search(r"\berr\b", condition) or re.fullmatch(r"\s*err\s*[!=]=\s*nil\s*", condition):
            continue
        if not re.search(r"errors\.(Is|As)\(|\.Code\b|\bCode\(|\berr\s*==\s*\w", condition):
            continue
        if _COLLISION.search(condition):
            continue  # `if err == ErrTokenInUse { continue }`: a new token is drawn, a collision, not a failure
        if _ends_in_continue(n):
            return True
        if re.search(r"!\s*errors\.(Is|As)\(|\.(Code|Number)\s*!=", condition) and _ends_in_return_r20(n):
            # round 20 (gh-ost): `if !errors.As(err, &mysqlErr) || mysqlErr.Number != 1205 { return err }`: every
            # other failure leaves, the one class (a lock wait timeout) goes round again
            return True
    return False


def _ends_in_return_r20(if_node: ts.Node) -> bool:
    block = if_node.child_by_field_name("consequence")
    statements = [c for c in (block.named_children if block is not None else []) if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    return bool(statements) and statements[-1].type == "return_statement"


_FAILED_STATUS = re.compile(r"StatusCode\s*==\s*(?:http\.Status(?!OK\b|Created\b|Accepted\b|NoContent\b)\w+|[45]\d\d\b)")


def _goes_round_on_failed_status(nodes: list[ts.Node]) -> bool:
    """`for range 2 { resp, err := send(); if err != nil { return nil, err }; switch { case resp.StatusCode
    == http.StatusUnauthorized: token = refresh() ... default: return resp, nil } }`: one failed answer's
    branch neither returns nor breaks, so the loop sends again on it, every other branch leaves: a
    retry of that answer (round 13, ollama's makeRequestWithRetry)."""
    branches = []
    for n in nodes:
        if n.type == "if_statement":
            branches.append((node_text(n.child_by_field_name("condition")), n.child_by_field_name("consequence")))
        elif n.type == "expression_case" and n.child_by_field_name("value") is not None:
            branches.append((node_text(n.child_by_field_name("value")), n))
    def last(branch: ts.Node) -> ts.Node | None:
        items = [c for c in branch.named_children if c.type != "comment" and c != branch.child_by_field_name("value")]
        if len(items) == 1 and items[0].type == "statement_list":
            items = [c for c in items[0].named_children if c.type != "comment"]
        return items[-1] if items else None

    leaves = any(re.search(r"\breturn\b", node_text(b)) for _, b in branches if b is not None)
    return leaves and any(_FAILED_STATUS.search(c) and b is not None and (end := last(b)) is not None and
                          end.type not in ("return_statement", "break_statement", "continue_statement")
                          for c, b in branches)


def _ends_in_continue(if_node: ts.Node) -> bool:
    """The `if`'s block ends with `continue`."""
    consequence = if_node.child_by_field_name("consequence")
    items = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
    if len(items) == 1 and items[0].type == "statement_list":
        items = [c for c in items[0].named_children if c.type != "comment"]
    return bool(items) and items[-1].type == "continue_statement"


def _continues_on_collision(nodes: list[ts.Node]) -> bool:
    """`if err == ErrTokenInUse { continue }`, `if errors.Is(err, ErrDuplicate) { continue }`: the loop
    draws a new value (a token, an id, a name) when the one it tried is taken."""
    for n in nodes:
        if n.type != "if_statement":
            continue
        condition = node_text(n.child_by_field_name("condition"))
        if not re.search(r"\berr\b", condition) or not _COLLISION.search(condition):
            continue
        if _ends_in_continue(n):
            return True
    return False


def _continues(nodes: list[ts.Node]) -> bool:
    """The loop goes round again somewhere (`if ch.IsClosed() { ...; continue }`)."""
    return any(n.type == "continue_statement" for n in nodes)


def _paced_counter(gf: GoFile, node: ts.Node, loop_fn: int | None) -> str | None:
    """`backoff++` in the block that also waits (`time.Sleep(d); backoff++`): a count of failed tries,
    whatever its name."""
    name = _incremented(node)
    block = node.parent
    if not name or block is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
        return None
    for sibling in block.named_children:
        if sibling.id == node.id:
            continue
        if any(c.qualified in _SLEEPS and _fn_id(gf, c.node) == loop_fn
               for c in gf.calls_within(sibling.start_byte, sibling.end_byte)):
            return name
    return None


def _gives_up_at(nodes: list[ts.Node], name: str) -> bool:
    """`if backoff > 15 { ...; return }`: a bound on the counter whose branch leaves the loop (not a cap on
    the delay, `if backoff > 10 { d = max }`)."""
    for n in nodes:
        if n.type != "if_statement":
            continue
        if not re.fullmatch(rf"\s*{re.escape(name)}\s*(>=|>)\s*\w+\s*", node_text(n.child_by_field_name("condition"))):
            continue
        consequence = n.child_by_field_name("consequence")
        if consequence is not None and any(c.type in ("return_statement", "break_statement")
                                           for c in descendants(consequence)):
            return True
    return False


def _decremented(node: ts.Node) -> str | None:
    """The name a statement counts down: `retries--`, `left -= 1`."""
    if node.type == "dec_statement" and node.named_children:
        return node_text(node.named_children[0])
    if node.type == "assignment_statement" and node_text(node.child_by_field_name("operator")) == "-=" and \
            node_text(node.child_by_field_name("right")).strip() == "1":
        return node_text(node.child_by_field_name("left")).strip()
    return None


def _checks_call_result(gf: GoFile, body: ts.Node, nodes: list[ts.Node], conditions: list[str]) -> bool:
    """`res := op(i); if res != nil {...}`: the loop looks at what its call returned (an error under
    another name)."""
    names = set()
    for n in nodes:
        if n.type not in ("short_var_declaration", "assignment_statement"):
            continue
        right = n.child_by_field_name("right")
        left = n.child_by_field_name("left")
        values = right.named_children if right is not None and right.type == "expression_list" else []
        if len(values) == 1 and inner_expression(values[0]).type == "call_expression" and left is not None:
            names.update(node_text(c) for c in left.named_children if c.type == "identifier")
    names.discard("_")
    return any(re.search(rf"\b{re.escape(name)}\s*[!=]=\s*nil\b", c) for name in names for c in conditions)


def _leaves_on_error(nodes: list[ts.Node]) -> bool:
    """An `if err != nil { ...; return }` that ends the loop on a failed call: failures are not retried."""
    for n in nodes:
        alternative = n.child_by_field_name("alternative") if n.type == "if_statement" else None
        # `if err != nil { return err } else if len(buf) > 0 { return buf }`: an else that goes round no
        # sooner (no `continue`) leaves the failure as it is (round 14, a login transfer's long poll)
        if n.type != "if_statement" or alternative is not None and (
                alternative.type == "block" or any(d.type == "continue_statement" for d in descendants(alternative))):
            continue
        if not re.fullmatch(r"\s*err\s*!=\s*nil\s*", node_text(n.child_by_field_name("condition"))):
            continue
        if _in_error_branch(n):
            continue  # `if err != nil { if err := pause(ctx); err != nil { return }; continue }`: the wait's error
        consequence = n.child_by_field_name("consequence")
        items = [c for c in consequence.named_children if c.type != "comment"] if consequence is not None else []
        if len(items) == 1 and items[0].type == "statement_list":
            items = [c for c in items[0].named_children if c.type != "comment"]
        if items and items[-1].type in ("return_statement", "break_statement") and \
                not any(c.type in ("continue_statement", "if_statement") for i in items for c in [i, *descendants(i)]):
            return True
    return False


def _in_error_branch(node: ts.Node) -> bool:
    """The `if` sits in the block of an enclosing `if err != nil` (up to the loop)."""
    for a in ts.ancestors(node):
        if a.type in ("for_statement", "func_literal", "function_declaration", "method_declaration"):
            return False
        if a.type == "if_statement" and a.id != node.id:
            consequence = a.child_by_field_name("consequence")
            if consequence is not None and consequence.start_byte <= node.start_byte < consequence.end_byte and \
                    re.search(r"\berr\s*!=\s*nil", node_text(a.child_by_field_name("condition"))):
                return True
    return False


def _incremented(node: ts.Node) -> str | None:
    """The name a statement counts up: `retries++`, `retryCount += 1`."""
    if node.type == "inc_statement" and node.named_children:
        return node_text(node.named_children[0])
    if node.type == "assignment_statement" and node_text(node.child_by_field_name("operator")) == "+=" and \
            node_text(node.child_by_field_name("right")).strip() == "1":
        return node_text(node.child_by_field_name("left")).strip()
    return None


# What a loop may call besides the operation it repeats: waiting, formatting, logging.
_BOOKKEEPING = {"time", "fmt", "errors", "strings", "strconv", "math"}
# Local state a loop may wait on: a file, a process's socket appearing.
_LOCAL_STATE = {"os", "filepath", "fs", "syscall"}


def _polls_local_state(gf: GoFile, body: ts.Node, loop_fn: int | None) -> bool:
    """The loop only looks at local state (`os.Stat(socketPath)`) between sleeps: it waits for
    a file to appear, it retries no call."""
    attempted = []
    # round 22 (synthetic-monitoring-agent): `err := func() error { ...; resp, err := h.client.Register(reqCtx,
    # req) ... }()`: a function literal called on the spot is the pass's work, its calls are the loop's own
    invoked = []
    for call in gf.calls_within(body.start_byte, body.end_byte):
        function = call.node.child_by_field_name("function")
        if function is not None and function.type == "func_literal" and _fn_id(gf, call.node) == loop_fn:
            invoked.append((function.start_byte, function.end_byte))
    for call in gf.calls_within(body.start_byte, body.end_byte):
        function = call.node.child_by_field_name("function")
        if function is not None and function.type == "func_literal":
            continue
        if any(start < call.node.start_byte < end for start, end in invoked):
            if call.package not in _BOOKKEEPING and not (_LOG_CALL.fullmatch(call.name or "") and call.receiver is not None) \
                    and (call.callee or "").split(".", 1)[0].lower() not in _LOGGERS:
                attempted.append(call)
            continue
        if _fn_id(gf, call.node) != loop_fn or call.package in _BOOKKEEPING:
            continue
        root = (call.callee or "").split(".", 1)[0]
        if root in _BOOKKEEPING or root.lower() in ("log", "logger", "logging", "slog", "zap", "zerolog", "logrus"):
            continue
        if _LOG_CALL.fullmatch(call.name or "") and call.receiver is not None:
            continue  # `t.nsqd.logf(LOG_ERROR, ...)`: a log line, whatever holds the logger
        if call.name in ("Stopping", "Dying", "Done") and not call.args and call.receiver is not None:
            continue  # `case <-k.tomb.Stopping():`: the process's own stop signal (round 18)
        if call.name == "Err" and not call.args and call.receiver is not None and node_text(call.receiver) == "ctx":
            continue  # `return ctx.Err()` once the context ended (round 19, gofix2)
        attempted.append(call)

    def local(call) -> bool:
        if call.package in _LOCAL_STATE:
            return True
        # `fileInfo.IsDir()` on what `os.Stat` returned
        receiver = call.receiver
        bound = gf.lookup_local(node_text(receiver), call.node) if receiver is not None and \
            receiver.type == "identifier" else None
        made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
        return (made is not None and made.package in _LOCAL_STATE) or _local_work(gf, call, 3)

    return bool(attempted) and all(local(c) for c in attempted)


# Packages whose calls touch only this machine: files, processes, signals, inotify (round 14: a
# config reloader finding a pid file and signalling its sidecar, creating an fsnotify watcher).
# (round 18: the kernel log and the systemd journal, read from the local machine: kmsgparser, sdjournal)
_LOCAL_WORK = _LOCAL_STATE | {"exec", "fsnotify", "signal", "user", "process", "kmsgparser", "sdjournal"}
# Calls that compute, with no I/O, for the local-work test only.
_PURE = _BOOKKEEPING | {"json", "rand", "bytes", "sort", "sync", "atomic", "unicode", "utf8", "base64", "hex",
                        "regexp", "path", "runtime", "filepath", "big"}
# round 19 (second wave, answer): a project package named for checking values (`checker.CheckPassword(pw)`,
# `validator.ValidateEmail(s)`): local work, like the standard library's pure packages
_VALUE_CHECKERS = frozenset({"checker", "checkers", "validator", "validators", "validate", "validation"})
_CONVERSIONS = frozenset({"string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
                          "uint64", "float32", "float64", "byte", "rune", "bool", "[]byte", "[]rune", "panic",
                          "min", "max", "clear", "close"})
_PURE_METHODS = frozenset({"String", "Seconds", "Milliseconds", "Minutes", "Hours", "Unix", "UnixNano", "Error",
                           "IsZero", "Round", "Pid"})
_LOGGERS = ("log", "logger", "logging", "slog", "zap", "zerolog", "logrus", "klog", "glog")
_TALLY = re.compile(r"(?i)(counters?|stats?|metrics?|totals?|summary|result)\.")
_LOG_CALL = re.compile(r"(?i)logf?|printf?|println|errorf|warnf?|warningf|infof?|debugf?|tracef?")
_ID_MAKER = re.compile(r"(?i)(new|next|gen|generate)_?(guid|uuid|id|ulid|ksuid|xid|snowflakeid)")


def _local_work(gf: GoFile, call, depth: int) -> bool:
    """A call that does only local work: a function of the local packages, a signal sent to a process
    (`proc.Signal(sig)`, `p.Kill()`: only a local process can be signalled), or a function of this
    file whose own calls (`depth` levels down) are all local or pure (`r.waitForProcess()` reading a
    pid file, `tryCreateLockFile(path)` opening a file). A loop retrying only such calls retries no
    remote call (round 14)."""
    function = call.node.child_by_field_name("function")
    if call.package in _LOCAL_WORK or (call.receiver is None and call.callee in _CONVERSIONS | _NOT_WORK) or \
            (function is not None and function.type == "func_literal"):
        return True  # a deferred `func() {...}()`: its own calls are looked at one by one
    root = (call.callee or "").split(".", 1)[0]
    if call.package is None and root in gf.imports and gf.lookup_local(root, call.node) is None:
        # an imported package the canonical table does not know: `fsnotify.NewWatcher()`
        last = gf.imports[root].rstrip("/").rsplit("/", 1)[-1]
        return last in _LOCAL_WORK or last in _PURE or last in _VALUE_CHECKERS
    if call.receiver is not None and not call.args and call.name in _PURE_METHODS:
        return True  # `delay.Seconds()`, `r.Signal.String()`
    if call.receiver is not None and call.receiver.type == "identifier" and depth > 0:
        # `f.Close()` on what `os.OpenFile` returned, `p.CreateTime()` on gopsutil's `process.NewProcess(pid)`
        bound = gf.lookup_local(node_text(call.receiver), call.node)
        made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
        if made is not None and made.node.id != call.node.id and _local_work(gf, made, depth - 1):
            return True
    if call.receiver is not None and call.name in ("Signal", "Kill", "Release") and call.package is None:
        return True
    if call.receiver is not None and call.name in ("Add", "AddWith", "Remove") and \
            re.search(r"(?i)watcher$", node_text(call.receiver)) and \
            any("fsnotify" in path for path in gf.imports.values()):
        return True  # `fs.watcher.Add(path)`: an inotify watch of a local file (round 19, gofix2: flagd)
    if call.receiver is not None and call.package is None and call.name[:1].islower():
        # `k.newParser()` on a func-typed field this file fills with a package's function (`newParser:
        # kmsgparser.NewParser`): that function's work (round 18, node-problem-detector)
        filled = {node_text(c.fields[call.name]) for c in gf.composites if call.name in c.fields}
        if len(filled) == 1:
            root = next(iter(filled)).split(".", 1)[0]
            path = gf.imports.get(root)
            if path is not None and "(" not in next(iter(filled)) and \
                    path.rstrip("/").rsplit("/", 1)[-1] in _LOCAL_WORK:
                return True
    if _ID_MAKER.fullmatch(call.name or "") and len(call.args) <= 1:
        # `id, err := t.idFactory.NewGUID()`, `sf.NextID()`: a local ID generator that fails while the
        # clock runs back, asked again after a pause (round 18, NSQ's GenerateID): no remote call
        return True
    if depth <= 0:
        return False
    receiver = call.receiver
    if call.package is not None or (receiver is not None and receiver.type not in ("identifier", "selector_expression")):
        return False
    fn = gf.functions.get(call.name)
    if fn is None or (receiver is None) != (fn.type == "function_declaration"):
        return False
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    inner = [c for c in gf.calls_within(body.start_byte, body.end_byte)
             if c.package not in _PURE and c.name not in _NOT_WORK and c.name != "Error" and
             (c.callee or "").split(".", 1)[0].lower() not in _LOGGERS and
             not ((c.callee or "").split(".", 1)[0] in _PURE and gf.lookup_local((c.callee or "").split(".", 1)[0], c.node) is None)]
    # a function that calls nothing at all (a stub, a getter) is no evidence of local work
    return any(True for _ in gf.calls_within(body.start_byte, body.end_byte)) and \
        all(_local_work(gf, c, depth - 1) for c in inner)


def _waits_out(gf: GoFile, body: ts.Node) -> bool:
    """`for { resp, err = c.Get(u); ...; if resp.StatusCode == 429 { time.Sleep(d); continue }; break }`:
    the loop ends after one pass unless the answer says to wait and send again."""
    def listed(block: ts.Node) -> list[ts.Node]:
        items = [c for c in block.named_children if c.type != "comment"]
        if len(items) == 1 and items[0].type == "statement_list":
            items = [c for c in items[0].named_children if c.type != "comment"]
        return items

    def waits(statement: ts.Node, depth: int) -> bool:
        """An `if` on the answer whose block sleeps and `continue`s, or (one level down) holds
        such an `if`: `if err != nil { if errors.Is(err, ErrLocked) { time.Sleep(d); continue } ...}`."""
        if statement.type != "if_statement":
            return False
        condition = node_text(statement.child_by_field_name("condition"))
        consequence = statement.child_by_field_name("consequence")
        if consequence is None or not re.search(r"StatusCode|\berr\b|(?i:retr)", condition):
            return False
        inner = listed(consequence)
        sleeps = any(c.qualified in _SLEEPS or _pause_helper(c)
                     for c in gf.calls_within(consequence.start_byte, consequence.end_byte))
        if inner and inner[-1].type == "continue_statement" and sleeps:
            return True
        return depth < 1 and any(waits(s, depth + 1) for s in inner)

    statements = listed(body)
    if not statements or statements[-1].type not in ("break_statement", "return_statement"):
        return False
    return any(waits(statement, 0) for statement in statements[:-1])


def _fills_header_on_success(header: ts.Node, nodes: list[ts.Node]) -> bool:
    """`for c.accountID == "" { resp, err := sts.GetCallerIdentity(...); if err != nil { sleep } else {
    c.accountID = *resp.Account } }`: the loop's condition names what the call's success fills in, so
    the loop tries the call again until it works (round 11), unlike a wait for a state it only reads."""
    left = header.child_by_field_name("left")
    if left is None or node_text(header.child_by_field_name("operator")) not in ("==", "<=", "<"):
        return False
    target = re.sub(r"\s+", "", node_text(left))
    for n in nodes:
        if n.type != "if_statement":
            continue
        condition = node_text(n.child_by_field_name("condition"))
        if re.fullmatch(r"\s*(?:err|\w+Err)\s*!=\s*nil\s*", condition):
            branch = n.child_by_field_name("alternative")
        elif re.fullmatch(r"\s*(?:err|\w+Err)\s*==\s*nil\s*", condition):
            branch = n.child_by_field_name("consequence")
        else:
            continue
        for m in descendants(branch) if branch is not None else ():
            if m.type == "assignment_statement" and \
                    re.sub(r"\s+", "", node_text(m.child_by_field_name("left"))) == target:
                return True
    return False


def _exits_on_success(nodes: list[ts.Node]) -> bool:
    # `err`, and an error named for its step (`lastErr`, `dialErr`: round 11)
    for n in nodes:
        if n.type != "if_statement":
            continue
        condition = node_text(n.child_by_field_name("condition"))
        if re.search(r"\b(?:err|\w+Err)\s*==\s*nil\b", condition):
            rest = re.sub(r"\b(?:err|\w+Err)\s*==\s*nil\b|&&|[()\s]", "", condition)
            if rest and not re.search(r"StatusCode|\bok\b|!=\s*nil|Err", rest):
                continue  # `if err == nil && status.Scanning {`: waits for a state, polls
            branch = n.child_by_field_name("consequence")
        elif re.fullmatch(r"\s*(?:err|\w+Err)\s*!=\s*nil\s*", condition):
            branch = n.child_by_field_name("alternative")  # `if err != nil { ... } else { return }`
        else:
            continue
        if branch is not None and re.search(r"\b(return|break)\b", node_text(branch)):
            return True
    return False


# A function that waits for a state, or a call that asks for one: the loop polls, it retries nothing.
_WAITING_FUNCTION = re.compile(r"^(?i:wait|poll|await)")
_STATE_CHECK = re.compile(r"^([Ii]s|[Hh]as)[A-Z]|Ready$|Ready[A-Z]|Present$|^(?i:check)?[A-Za-z]*Status$|^(?i:exists)$")


def _work_calls(gf: GoFile, body: ts.Node, loop_fn: int | None) -> list[GoCall]:
    """The calls a loop makes besides waiting, formatting and logging."""
    out = []
    for call in gf.calls_within(body.start_byte, body.end_byte):
        if _fn_id(gf, call.node) != loop_fn or call.package in _BOOKKEEPING or call.name in _NOT_WORK:
            continue
        root = (call.callee or "").split(".", 1)[0]
        if root in _BOOKKEEPING or root.lower() in ("log", "logger", "logging", "slog", "zap", "zerolog", "logrus") \
                or call.qualified in _SLEEPS or call.name in ("Done", "Err", "Stop", "Reset"):
            continue
        out.append(call)
    return out


def _waits_for_state(gf: GoFile, loop: ts.Node, body: ts.Node, loop_fn: int | None) -> bool:
    """An unbounded loop that waits for something to become true rather than trying a call again:
    it lives in a function named for waiting (`waitForCRDs`, `pollUntilReady`), or every call it
    makes asks for a state (`isCRDReady`, `GetStatus`)."""
    fns = gf.enclosing_functions(loop)
    name_node = fns[0].child_by_field_name("name") if fns else None
    if name_node is not None and _WAITING_FUNCTION.match(node_text(name_node)):
        return True
    # the calls the loop makes itself, not the conversions and getters of their arguments
    work = [c for c in _work_calls(gf, body, loop_fn) if c.node.parent is None or c.node.parent.type != "argument_list"]
    return bool(work) and all(_STATE_CHECK.search(c.name or "") for c in work)


def _exits_on_true(gf: GoFile, nodes: list[ts.Node], loop_fn: int | None) -> bool:
    """`if cli.registerCustomResources() { return }`: a call that says whether it worked, and the
    loop leaves when it did."""
    for n in nodes:
        if n.type != "if_statement" or n.child_by_field_name("initializer") is not None:
            continue
        parent = n.parent.parent if n.parent is not None and n.parent.type == "statement_list" else n.parent
        if parent is None or parent.parent is None or parent.parent.type != "for_statement":
            continue  # a statement of the loop itself, not a check inside an error branch
        condition = inner_expression(n.child_by_field_name("condition"))
        if condition.type != "call_expression" or re.search(r"\berr\b", node_text(condition)):
            continue
        call = gf.call_at(condition)
        if call is None or call.package in _BOOKKEEPING or _fn_id(gf, condition) != loop_fn:
            continue
        branch = n.child_by_field_name("consequence")
        if branch is not None and re.search(r"\b(return|break)\b", node_text(branch)):
            return True
    return False


_TICKERS = {"time.NewTicker", "time.NewTimer", "backoff.NewTicker", "backoff.NewTickerWithTimer"}
_CAS = re.compile(r"CompareAndSwap\w*|CompareAndDelete|LoadOrStore")


def _ticker_waits(gf: GoFile, nodes: list[ts.Node]) -> list[GoCall]:
    """`case <-tick.C:` on a ticker made before the loop (`tick := backoff.NewTicker(b)`): the
    wait between attempts, as the call that made the ticker."""
    out = []
    for n in nodes:
        if n.type != "unary_expression" or node_text(n.child_by_field_name("operator")) != "<-":
            continue
        operand = inner_expression(n.child_by_field_name("operand"))
        if operand.type != "selector_expression" or node_text(operand.child_by_field_name("field")) != "C":
            continue
        owner = operand.child_by_field_name("operand")
        bound = gf.lookup_local(node_text(owner), n) if owner is not None and owner.type == "identifier" else None
        made = gf.call_at(bound) if bound is not None and hasattr(bound, "type") else None
        if made is not None and made.qualified in _TICKERS and made not in out:
            out.append(made)
    return out


def _compare_and_swap(gf: GoFile, body: ts.Node, loop_fn: int | None) -> bool:
    """An optimistic-concurrency loop: it tries a compare-and-swap again, it calls nothing remote."""
    return any(_CAS.fullmatch(c.name) for c in gf.calls_within(body.start_byte, body.end_byte)
               if _fn_id(gf, c.node) == loop_fn)


def _draft(gf: GoFile, loop: ts.Node, body: ts.Node, info: ValueInfo, var: str | None, sleeps: list[GoCall],
           conditions: list[str], counted: bool) -> tuple[Draft, RetryScope]:
    retry_on = "error,status" if any("StatusCode" in c for c in conditions) else "error"
    draft = Draft(gf.finding("retry", loop, ID, _attrs(info, _backoff_kind(gf, body, var, sleeps), "loop", None, retry_on),
                             confidence="high" if counted and info.value is not None else "medium",
                             pending=info.pending, evidence_node=loop),
                  link=("scope", body.start_byte, body.end_byte), linkable=True)
    return draft, RetryScope(body.start_byte, body.end_byte, loop.start_point[0] + 1)


def _fn_id(gf: GoFile, node: ts.Node) -> int | None:
    fns = gf.enclosing_functions(node)
    return fns[0].id if fns else None


def _identifier_or_number(gf: GoFile, text: str, at: ts.Node):
    """Find the node for a name or number seen in a condition (for constant lookup)."""
    for n in ts.walk(at):
        if node_text(n) == text and n.type in ("identifier", "int_literal"):
            return n
    return None


# --- goto loops --------------------------------------------------------------------------------

# Calls that do no work worth trying again: builtins, formatting and logging.
_NOT_WORK = frozenset({"len", "append", "make", "cap", "copy", "delete", "new", "Sprintf", "Errorf", "Printf",
                       "Println", "Print", "Debug", "Debugf", "Info", "Infof", "Warn", "Warnf", "Error"})


def _goto_retries(gf: GoFile) -> list[Draft]:
    """`Retry: res, err := client.Push(...); if len(failed) > 0 && retryCount < maxRetry {
    retryCount++; goto Retry }`: a jump back to a label, taken while a counter stays under a bound
    after it was counted up, over code that calls something, is a retry of that code. Attempts: the
    bound + 1 for `<` (the counter counts retries from 0), + 2 for `<=`; reported at the label."""
    drafts = []
    labels = {}
    unbounded: set[int] = set()
    for node in descendants(gf.root):
        if node.type == "labeled_statement":
            name = node.child_by_field_name("label")
            if name is not None:
                labels.setdefault(node_text(name), []).append(node)
    for node in descendants(gf.root):
        if node.type != "goto_statement":
            continue
        name = next((node_text(c) for c in node.children if c.type == "label_name"), None)
        target = next((l for l in labels.get(name or "", []) if l.start_byte < node.start_byte and
                       gf.enclosing_functions(l)[:1] == gf.enclosing_functions(node)[:1]), None)
        if target is None:
            continue
        bound = _goto_bound(gf, node)
        if bound is None:
            if target.start_byte not in unbounded and _goto_waits_after_failure(gf, target, node):
                # `LOCK_WAIT: select { case <-stop: return; default: }; lock, err := c.LockOpts(opts); if err
                # != nil { log; time.Sleep(retryTime); goto LOCK_WAIT }`: tried again until it works (round 17)
                unbounded.add(target.start_byte)
                info = _fixed(None, "until it succeeds", "unresolved")
                drafts.append(Draft(gf.finding("retry", target, ID, _attrs(info, "fixed", "loop", None),
                                               confidence="medium", evidence_node=target.child_by_field_name("label")),
                                    link=("scope", target.start_byte, node.end_byte)))
            continue
        counter, limit, operator = bound
        if not any(c.name not in _NOT_WORK for c in gf.calls_within(target.start_byte, node.start_byte)):
            continue  # nothing is called again
        offset = 1 if operator == "<" else 2
        info = gf.count(limit, offset=offset)
        drafts.append(Draft(gf.finding("retry", target, ID, _attrs(info, None, "loop", None),
                                       confidence=info.confidence if info.value is not None else "medium",
                                       pending=info.pending,
                                       evidence_node=target.child_by_field_name("label")),
                            link=("scope", target.start_byte, node.end_byte)))
    return drafts


def _goto_waits_after_failure(gf: GoFile, target: ts.Node, goto: ts.Node) -> bool:
    """A jump back without a counter, taken in a branch on an error (`if err != nil`, `if
    strings.Contains(err.Error(), "429")`) after a wait in the same block (`time.Sleep(retryTime)`),
    over code that calls something: the call is tried again until it works. Not when the label marks a
    blocking `select` (`REGISTER_CHECK: select { case <-time.After(ttl): ... }`): that jump waits for
    the next tick of a periodic check."""
    statement = next((c for c in target.named_children if c.type not in ("label_name", "comment")), None)
    if statement is not None and statement.type == "select_statement" and \
            not any(c.type == "default_case" for c in descendants(statement) if c.parent is not None and
                    c.parent.id == statement.id):
        return False
    branch = next((a for a in ts.ancestors(goto) if a.type == "if_statement"), None)
    if branch is None or branch.start_byte < target.start_byte:
        return False  # the branch must lie between the label and the jump
    head = node_text(branch.child_by_field_name("condition")) + " " + node_text(branch.child_by_field_name("initializer"))
    if not re.search(r"\b(err|\w+Err)\b", head) or re.search(r"\b(err|\w+Err)\s*==\s*nil\b", head):
        return False
    block = goto.parent
    if block is not None and block.type == "statement_list":
        block = block.parent
    if block is None:
        return False
    waits = [c for c in gf.calls_within(block.start_byte, goto.start_byte) if c.qualified in _SLEEPS]
    if not waits:
        return False
    return any(c.name not in _NOT_WORK and c.qualified not in _SLEEPS and not re.match(r"(?i)^(log|info|debug|warn|error)", c.name)
               for c in gf.calls_within(target.start_byte, goto.start_byte))


def _goto_bound(gf: GoFile, goto: ts.Node) -> tuple[str, ts.Node, str] | None:
    """(counter, bound, operator) of the `if` guarding a goto: `retryCount < maxRetry` with
    `retryCount++` in the same block before the jump."""
    block = goto.parent
    if block is not None and block.type == "statement_list":
        block = block.parent
    if block is None or block.type != "block" or block.parent is None or block.parent.type != "if_statement":
        return None
    condition = block.parent.child_by_field_name("condition")
    comparisons = [n for n in [condition, *descendants(condition)] if n is not None and n.type == "binary_expression"
                   and node_text(n.child_by_field_name("operator")) in ("<", "<=")]
    counted = node_text(block)[: goto.start_byte - block.start_byte]
    for comparison in comparisons:
        left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
        counter = node_text(left).strip()
        if left.type == "identifier" and re.search(rf"\b{re.escape(counter)}\s*(\+\+|\+=\s*1\b)", counted):
            return counter, right, node_text(comparison.child_by_field_name("operator"))
    return _goto_countdown(gf, goto, condition, counted)


def _goto_countdown(gf: GoFile, goto: ts.Node, condition: ts.Node | None, counted: str) -> tuple[str, ts.Node, str] | None:
    """A countdown guarding a goto: `attempts := 5` earlier in the function, then `if attempts > 0 {
    attempts--; goto L }`, or a helper handed the counter that counts it down (`if
    n.shouldRetryOnError(err, &attempts, d) { goto L }` with `(*attempts)--` in the helper, or a
    helper of another file when the counter is named for tries): the start value retries, + 1 tries."""
    if condition is None:
        return None
    counter = None
    for node in [condition, *descendants(condition)]:
        if node.type == "binary_expression" and node_text(node.child_by_field_name("operator")) in (">", "!=") and \
                node_text(node.child_by_field_name("right")).strip() == "0" and \
                node.child_by_field_name("left").type == "identifier":
            name = node_text(node.child_by_field_name("left")).strip()
            if re.search(rf"\b{re.escape(name)}\s*(--|-=\s*1\b)", counted):
                counter = name
                break
        if node.type == "call_expression":
            call = gf.call_at(node)
            for arg in call.args if call is not None else []:
                if arg.type == "unary_expression" and node_text(arg.child_by_field_name("operator")) == "&" and \
                        arg.child_by_field_name("operand").type == "identifier":
                    name = node_text(arg.child_by_field_name("operand"))
                    helper = gf.functions.get(call.name)
                    if (helper is not None and re.search(r"\(\s*\*\s*\w+\s*\)\s*(--|-=\s*1\b)", node_text(helper))) or \
                            (helper is None and _ATTEMPTISH.search(name)):
                        counter = name
                        break
            if counter is not None:
                break
    if counter is None:
        return None
    fns = gf.enclosing_functions(goto)
    start = None
    for node in descendants(fns[0]) if fns else ():
        if node.start_byte >= goto.start_byte:
            break
        if node.type == "short_var_declaration":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            names = [node_text(n) for n in left.named_children] if left is not None else []
            values = right.named_children if right is not None else []
            if counter in names and len(values) == len(names):
                start = values[names.index(counter)]
    return (counter, start, "<") if start is not None else None


# --- a function that connects again, within a budget -------------------------------------------

_BUDGET_CHECK = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(>=|>)\s*([A-Za-z_][\w.]*)\s*$")


def _reconnect_budgets(gf: GoFile) -> list[Draft]:
    """`func (s *Sub) maybeReconnect(done chan error) { if s.attempt >= s.cfg.MaxReconnectAttempts {
    done <- err; return }; s.attempt++; time.Sleep(backoff(s.attempt)); go s.run(done) }`: a function the
    failure path calls, that gives up once a counter reaches a bound named for tries, else counts, waits
    and starts the work again (no loop: the work calls it again when it fails). Tries: the bound's
    reconnects plus the first connection (bound + 1 for `>=`, + 2 for `>`); reported at the check."""
    drafts = []
    for fn in gf.root.named_children:
        body = fn.child_by_field_name("body") if fn.type in ("function_declaration", "method_declaration") else None
        if body is None:
            continue
        statements = _body_statements(body)
        for index, statement, m in _counted_returns(statements, _BUDGET_CHECK):
            rest = statements[index + 1:]
            text = "\n".join(node_text(s) for s in rest)
            if not re.search(rf"(?m)^\s*{re.escape(m.group(1))}\s*(\+\+|\+=\s*1\b)", text):
                continue
            start, end = (rest[0].start_byte, rest[-1].end_byte) if rest else (0, 0)
            calls = gf.calls_within(start, end)
            sleeps = [c for c in calls if c.qualified in _SLEEPS]
            if not sleeps:
                continue
            after = [c for c in calls if c.node.start_byte > sleeps[-1].node.end_byte and c.name not in _NOT_WORK
                     and c.package is None and not re.match(r"(?i)^(log|info|debug|warn|error|lock|unlock|r?lock)", c.name)]
            if not after:
                continue  # nothing is started again after the wait
            offset = 1 if m.group(2) == ">=" else 2
            bound = m.group(3)
            expr = BinOp("+", Ref(bound), Num(offset))
            value, source = gf.settle(expr, as_duration=False) if "." in bound or bound.isidentifier() else (None, "")
            if value is None:
                info = ValueInfo(None, "unresolved", node_text(statement.child_by_field_name("condition")),
                                 (Pending("max_attempts", gf._substitute(expr, at=statement), 1.0),))
            else:
                info = ValueInfo(normalise_ms(value), source, node_text(statement.child_by_field_name("condition")))
            # mechanism recursion: the work it starts again calls it again when it fails
            drafts.append(Draft(gf.finding("retry", statement, ID, _attrs(info, None, "recursion", None),
                                           confidence=info.confidence if info.value is not None else "medium",
                                           pending=info.pending,
                                           evidence_node=statement.child_by_field_name("condition")),
                                link=("scope", start, end)))
    return drafts


def _counted_retry_methods_r20(gf: GoFile) -> list[Draft]:
    """round 20 (litestream): `func (r *ResumableReader) retry(err error) error { r.retryN++; if r.retryN >
    resumableReaderMaxRetries { return err }; select { case <-ctx.Done(): ...; case <-time.After(backoff): };
    return nil }`: a function the failure path calls that counts the failure, gives up past a bound named for
    retries (both sides attempt-named), else waits before the caller tries again. Tries: the bound's retries
    plus the first (`>`: bound + 1; `>=`: bound), at the check. A count with no wait after it is no retry."""
    drafts = []
    for fn in gf.root.named_children:
        body = fn.child_by_field_name("body") if fn.type in ("function_declaration", "method_declaration") else None
        if body is None or "++" not in node_text(body):
            continue
        statements = _body_statements(body)
        for index, statement, m in _counted_returns(statements, _BUDGET_CHECK):
            if index == 0 or not re.fullmatch(rf"\s*{re.escape(m.group(1))}\s*(\+\+|\+=\s*1)\s*",
                                              node_text(statements[index - 1])):
                continue
            rest = statements[index + 1:]
            if not rest:
                continue
            calls = gf.calls_within(rest[0].start_byte, rest[-1].end_byte)
            if not any(c.qualified in _SLEEPS for c in calls):
                continue  # nothing waits before the next try
            bound = inner_expression(statement.child_by_field_name("condition")).child_by_field_name("right")
            if bound is None:
                continue
            info = gf.count(bound, 1.0 if m.group(2) == ">" else 0.0)
            drafts.append(Draft(gf.finding("retry", statement, ID, _attrs(info, None, "call", None),
                                           confidence=info.confidence if info.value is not None else "medium",
                                           pending=info.pending,
                                           evidence_node=statement.child_by_field_name("condition")),
                                link=("scope", fn.start_byte, fn.end_byte)))
    return drafts


_CONSECUTIVE_BOUND = re.compile(r"(?i)max|limit|threshold|retr|attempt|tries")


def _consecutive_error_budgets(gf: GoFile) -> list[Draft]:
    """round 18: `for { m, err := reader.FetchMessage(ctx); if err != nil { consecutiveFetchErrors++; if
    consecutiveFetchErrors >= maxConsecutiveFetchErrors { ...; break }; <wait>; continue };
    consecutiveFetchErrors = 0; ... }`: a consume loop that calls again after a failed call, pausing,
    and gives up after a bound of consecutive failures (the count goes back to 0 on a success): that
    bound's tries (`>=` after the count; `>`: one more), at the check."""
    drafts = []
    for loop in gf.loops:
        body = loop.child_by_field_name("body")
        header = [c for c in loop.named_children if c.type not in ("block", "comment")]
        if body is None or header:
            continue  # `for {` only
        statements = _body_statements(body)
        for index, statement in enumerate(statements):
            if statement.type != "if_statement" or not re.fullmatch(
                    r"\s*err\s*!=\s*nil\s*", node_text(statement.child_by_field_name("condition"))):
                continue
            before = statements[:index]
            if not before or not any(c.receiver is not None and c.name not in _NOT_WORK
                                     for c in gf.calls_within(before[-1].start_byte, before[-1].end_byte)):
                continue  # the error comes from the call just before
            branch = statement.child_by_field_name("consequence")
            inner = _body_statements(branch) if branch is not None else []
            counted = [re.match(r"\s*(\w+)\s*(\+\+|\+=\s*1\b)", node_text(s)) for s in inner]
            counters = {m.group(1) for m in counted if m}
            if not counters:
                continue
            rest = "\n".join(node_text(s) for s in statements[index + 1:])
            for check in inner:
                if check.type != "if_statement":
                    continue
                m = _COUNTED_CHECK.match(node_text(check.child_by_field_name("condition")))
                if m is None or m.group(1) not in counters or not _CONSECUTIVE_BOUND.search(m.group(3)):
                    continue
                leaves = node_text(check.child_by_field_name("consequence"))
                if not re.search(r"\b(break|return|goto)\b", leaves):
                    continue
                after = inner[inner.index(check) + 1:]
                waits = any(c.qualified in _SLEEPS or c.qualified in ("time.NewTimer", "time.After")
                            for s in after for c in gf.calls_within(s.start_byte, s.end_byte))
                if not waits or not re.search(rf"(?m)^\s*{re.escape(m.group(1))}\s*=\s*0\s*$", rest):
                    continue
                bound = inner_expression(check.child_by_field_name("condition")).child_by_field_name("right")
                info = gf.count(bound, 0.0 if m.group(2) == ">=" else 1.0)
                draft = Draft(gf.finding("retry", check, ID, _attrs(info, "fixed", "loop", None),
                                         confidence=info.confidence if info.value is not None else "medium",
                                         pending=info.pending, evidence_node=check.child_by_field_name("condition")),
                              link=("scope", loop.start_byte, loop.end_byte), linkable=True)
                draft._consecutive = True  # type: ignore[attr-defined]
                drafts.append(draft)
    return drafts


_COUNTED_CHECK = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(>=|>)\s*([A-Za-z_][\w.]*)\s*(?:\|\|.*)?$", re.S)


def _rescheduled_budgets(gf: GoFile) -> list[Draft]:
    """`run = func() error { err := w.ProcessServices(ctx); if err == nil { return nil }; attempt++; if
    attempt >= maxRetries || ctx.Err() != nil { return err }; reschedule(delay); return err }` with
    `reschedule` handing `run` to a scheduler (`gocron.NewTask(run)`): a job that counts its failures and
    schedules itself again until a bound named for tries: bound tries (`>=` after the count), reported at
    the check. The function must hand itself over (by name, directly or through a local closure)."""
    drafts = []
    units: list[tuple[str, ts.Node]] = []
    for node in ts.walk(gf.root):
        if node.type in ("function_declaration", "method_declaration") and node.child_by_field_name("name") is not None:
            units.append((node_text(node.child_by_field_name("name")), node))
        elif node.type == "assignment_statement":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.named_child_count == 1 and right.named_child_count == 1 \
                    and left.named_children[0].type == "identifier" and right.named_children[0].type == "func_literal":
                units.append((node_text(left.named_children[0]), right.named_children[0]))
    for name, fn in units:
        body = fn.child_by_field_name("body")
        if body is None or b"++" not in gf.data[body.start_byte:body.end_byte]:
            continue
        statements = _body_statements(body)
        for index, statement, m in _counted_returns(statements, _COUNTED_CHECK):
            before = "\n".join(node_text(s) for s in statements[:index])
            if not re.search(rf"(?m)^\s*{re.escape(m.group(1))}\s*(\+\+|\+=\s*1\b)", before):
                continue  # counted after the check: `_reconnect_budgets`
            rest = statements[index + 1:]
            if not rest:
                continue
            again = False
            for call in gf.calls_within(rest[0].start_byte, rest[-1].end_byte):
                if any(node_text(inner_expression(a)) == name for a in call.args):
                    again = True  # `time.AfterFunc(d, run)`
                elif call.receiver is None and call.package is None:
                    bound = gf.lookup_local(call.name, call.node)
                    value = inner_expression(bound) if bound is not None and hasattr(bound, "type") else None
                    if value is not None and value.type == "func_literal" and \
                            re.search(rf"\b{re.escape(name)}\b", node_text(value)):
                        again = True  # `reschedule(delay)` whose body schedules `run`
                if again:
                    break
            if not again:
                continue
            offset = 0 if m.group(2) == ">=" else 1
            bound = m.group(3)
            expr = BinOp("+", Ref(bound), Num(offset)) if offset else Ref(bound)
            value, source = gf.settle(expr, as_duration=False)
            condition = node_text(statement.child_by_field_name("condition"))
            if value is None:
                info = ValueInfo(None, "unresolved", condition,
                                 (Pending("max_attempts", gf._substitute(expr, at=statement), 1.0),))
            else:
                info = ValueInfo(normalise_ms(value), source, condition)
            drafts.append(Draft(gf.finding("retry", statement, ID, _attrs(info, None, "recursion", None),
                                           confidence=info.confidence if info.value is not None else "medium",
                                           pending=info.pending,
                                           evidence_node=statement.child_by_field_name("condition")),
                                link=("scope", statement.start_byte, rest[-1].end_byte)))
    return drafts


# --- a project's "backoff until done" runner ---------------------------------------------------

_UNTIL_RUNNER = re.compile(r"(?i)\w*(backoff|retry)\w*until\w*")
_CONNECTING = re.compile(r"(?i)login|logon|connect|dial|subscribe|register|handshake|auth")


def _until_helpers(gf: GoFile) -> list[Draft]:
    """`wait.BackoffUntil(loginFunc, backoffManager, true, stopCh)` of the project's own wait package (not
    Kubernetes', whose BackoffUntil runs a job periodically): runs its function again, with a backoff,
    until the function says it is done (`return true, nil`) or, for one that logs in or connects again
    (`svr.loopLoginUntilSuccess(...)`), until the stop channel closes: a retry without a count (null)."""
    drafts = []
    for call in gf.calls:
        if not call.args or not _UNTIL_RUNNER.fullmatch(call.name) or "k8s.io/" in (gf.imports.get(
                node_text(call.receiver), "") if call.receiver is not None else ""):
            continue
        fn = inner_expression(call.args[0])
        if fn.type == "identifier":
            bound = gf.lookup_local(node_text(fn), call.node)
            fn = inner_expression(bound) if bound is not None and hasattr(bound, "type") else fn
        if fn.type != "func_literal":
            continue
        result = node_text(fn.child_by_field_name("result"))
        if "error" not in result and "bool" not in result:
            continue  # a job that tells nothing about how it went: a schedule
        body = fn.child_by_field_name("body")
        returns = [n for n in descendants(body, skip_functions=True) if n.type == "return_statement"]
        done = any(re.match(r"\s*return\s+true\b", node_text(r)) for r in returns)
        reconnects = any(_CONNECTING.search(c.name) for c in gf.calls_within(body.start_byte, body.end_byte))
        if not (done or reconnects):
            continue  # `sendHeartBeat` returns false every time: a periodic job
        info = _fixed(None, "until done", "unresolved")
        drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, "exponential", "call", None),
                                       confidence="medium"),
                            link=("scope", body.start_byte, body.end_byte)))
    return drafts


_FAILED_CHECK = re.compile(r"\berr\s*!=\s*nil\b")
_PAUSE = re.compile(r"\b(?:After|Sleep|NewTimer)\(")


def _stored_policy_elements_r19b(gf: GoFile) -> list[tuple[str, ts.Node, GoCall]]:
    """(field, keyed element, WithMaxRetries call) for each cenkalti policy `backoff.WithMaxRetries(b, n)`
    kept in a field of a struct literal (`retry := retryOptions{backoff: backoff.WithMaxRetries(
    backoff.NewConstantBackOff(250*time.Millisecond), 2)}`) of a file whose loops ask a field's policy for
    the next pause (`d := opts.retry.backoff.NextBackOff(); if d == backoff.Stop { break }`)."""
    out = []
    for call in gf.calls:
        if call.package != "backoff" or call.name != "WithMaxRetries" or len(call.args) < 2:
            continue
        element = call.node.parent
        if element is not None and element.type == "literal_element":
            element = element.parent
        if element is None or element.type != "keyed_element" or element.named_child_count != 2:
            continue
        field = node_text(element.named_children[0]).strip()
        if field.isidentifier():
            out.append((field, element, call))
    return out


def _stored_policy_fields_r19b(gf: GoFile) -> set[str]:
    return {field for field, _, _ in _stored_policy_elements_r19b(gf)}


def _paced_by_stored_policy_r19b(loop: ts.Node, fields: set[str]) -> bool:
    body = loop.child_by_field_name("body")
    text = node_text(body) if body is not None else ""
    return any(re.search(rf"\w\.{re.escape(f)}\.NextBackOff\(\)", text) for f in fields) and "backoff.Stop" in text


def _stored_backoff_policies_r19b(gf: GoFile) -> list[Draft]:
    """Round 19 (second wave, kraken's httputil.SendRetry): the policy kept in a field is what bounds the
    loop that asks it for pauses: its tries (n + 1) at the WithMaxRetries call; the loop is not reported."""
    drafts = []
    for field, element, call in _stored_policy_elements_r19b(gf):
        if not re.search(rf"\w\.{re.escape(field)}\.NextBackOff\(\)".encode(), gf.data):
            continue
        _, kind = _backoff_policy(gf, call.args[0])
        info = gf.count(call.args[1], offset=1)
        drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, kind, "loop", "cenkalti/backoff"),
                                       confidence=info.confidence if info.value is not None else "medium",
                                       pending=info.pending), linkable=False))
    return drafts


def _holster_until_r19b(gf: GoFile) -> list[Draft]:
    """mailgun/holster's `wg.Until(func(done chan struct{}) bool {...})` (syncutil.WaitGroup, round 19, second
    wave: gubernator's etcd watch restart and re-register): runs its function again for as long as it
    returns true. A function that, when a call failed (`if err := e.watchPeers(); err != nil`), pauses
    (`<-clock.After(backOffTimeout)`) and returns true tries that call again, until the group stops: a
    retry without a count (null), at the Until call. A function returning true only after work done
    (a batch sent, a tick) is a loop, no retry."""
    if not any("mailgun/holster" in path for path in gf.imports.values()):
        return []
    drafts = []
    for call in gf.calls:
        if call.name != "Until" or call.package is not None or len(call.args) != 1:
            continue
        fn = inner_expression(call.args[0])
        if fn.type != "func_literal" or "chan struct{}" not in node_text(fn.child_by_field_name("parameters")) or \
                node_text(fn.child_by_field_name("result")).strip() != "bool":
            continue
        body = fn.child_by_field_name("body")
        retried = False
        for node in descendants(body, skip_functions=True):
            if node.type != "if_statement" or not _FAILED_CHECK.search(node_text(node.child_by_field_name("condition"))):
                continue
            consequence = node.child_by_field_name("consequence")
            text = node_text(consequence) if consequence is not None else ""
            returns = [r for r in descendants(consequence, skip_functions=True) if r.type == "return_statement"] \
                if consequence is not None else []
            if _PAUSE.search(text) and any(re.fullmatch(r"return\s+true", node_text(r).strip()) for r in returns):
                retried = True
                break
        if not retried:
            continue
        info = _fixed(None, "until stopped", "unresolved")
        drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, "fixed", "call", "mailgun/holster"),
                                       confidence="medium"),
                            link=("scope", body.start_byte, body.end_byte)))
    return drafts


# A project's own retry package (`github.com/acme/app/lib/retry`): its runner called with the work.
_RUNNER_NAME = re.compile(r"(?i)^(retry\w*|do|run|exec(ute)?|with\w*retr\w*)$")
# Options that give a count: the option itself is reported (`retry.Attempts(n)`, round 6).
_COUNT_OPTION = re.compile(r"(?i)attempts|retries|tries|maxretr")


def _project_retry_runners(gf: GoFile) -> list[Draft]:
    """`retry.Retry(func() error { return v2DeleteManifest(repo, digest) }, retry.Callback(log))` with
    `retry` the project's own package (Harbor's lib/retry, not a library the detectors know): the work
    is run again until it succeeds or the runner's own budget (a time, not a count) ends: a retry
    without a count (null), at the call. Options giving a count are read where they are written;
    calls without work handed over (`retry.Abort(err)`, `retry.IsRetryable(err)`) are none (round 10)."""
    drafts = []
    for call in gf.calls:
        receiver = call.receiver
        if receiver is None or receiver.type != "identifier" or not _RUNNER_NAME.fullmatch(call.name):
            continue
        alias = node_text(receiver)
        path = gf.imports.get(alias)
        if path is None or gf.packages.get(alias) is not None or not outside_stdlib(path) or \
                not re.search(r"(?i)retr", path.rsplit("/", 1)[-1]) or gf.lookup_local(alias, call.node) is not None:
            continue
        work = [inner_expression(a) for a in call.args]
        work = [gf.resolve_name(a) if a.type == "identifier" else a for a in work]
        if not any(a.type == "func_literal" and "error" in node_text(a.child_by_field_name("result")) for a in work):
            continue
        conditions = [a for a in work if a.type == "func_literal" and
                      re.search(r"\bbool\b", node_text(a.child_by_field_name("result")))]
        if conditions and not any(_condition_tries_again(c) for c in conditions):
            continue  # a condition that stops on an error: one call, or a poll of a state (round 17)
        if path.startswith("github.com/duke-git/lancet/") and call.name == "Retry":
            # lancet's `retry.Retry(fn, retry.RetryTimes(n))` calls fn at most n times; without the option
            # its DefaultRetryTimes, 5 (round 16, manyacg)
            times = [a for a in work if a.type == "call_expression" and
                     node_text(a.child_by_field_name("function")).endswith(".RetryTimes")]
            arguments = times[0].child_by_field_name("arguments") if times else None
            info = gf.count(arguments.named_children[0]) if arguments is not None and arguments.named_child_count \
                else _fixed(5, "lancet retry.DefaultRetryTimes", "library_default")
            drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, None, "call", "duke-git/lancet"),
                                           confidence=info.confidence, pending=info.pending)))
            continue
        if any(_COUNT_OPTION.search(node_text(a.child_by_field_name("function"))) for a in work
               if a.type == "call_expression"):
            continue
        info = _fixed(None, "until the runner's budget", "unresolved")
        drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, None, "call", None),
                                       confidence="medium")))
    return drafts


_NOT_FOUND_CHECK = re.compile(r"NotFound|NotExist")


def _condition_tries_again(fn: ts.Node) -> bool:
    """A condition function handed to a project's runner (`retryutil.Retry(interval, timeout, func()
    (bool, error) {...})`, the Kubernetes ConditionFunc convention: `true` done, an error stops, `false,
    nil` goes round again) tries its call again when it answers `false, nil` after seeing the call fail:
    in a branch on an error (`if err != nil { log; return false, nil }`, `if _, ok :=
    err.(*net.OpError); ok {...}`) or after a success guard (`if err == nil { return true, nil }`). One
    that only answers an error or a state (`return ss.Status.Replicas == n, nil`, `false, nil` for a
    NotFound) calls once or polls a state: no retry (round 17, the postgres operator)."""
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    returns = [n for n in descendants(body, skip_functions=True) if n.type == "return_statement"]
    again = [r for r in returns if re.fullmatch(r"return\s+false\s*,\s*nil", node_text(r).strip())]
    if not again:
        return False
    guarded_success = any(
        re.fullmatch(r"return\s+true\s*,\s*nil", node_text(r).strip()) and any(
            a.type == "if_statement" and re.fullmatch(r"\s*(err|\w+Err)\s*==\s*nil\s*",
                                                     node_text(a.child_by_field_name("condition")))
            for a in ts.ancestors(r) if within(a, body.start_byte, body.end_byte))
        for r in returns)
    for r in again:
        nearest = next((a for a in ts.ancestors(r) if a.type == "if_statement" and
                        within(a, body.start_byte, body.end_byte)), None)
        if nearest is None:
            if guarded_success:
                return True  # `if err == nil { return true, nil }; ...; return false, nil`
            continue
        head = node_text(nearest.child_by_field_name("condition")) + " " + \
            node_text(nearest.child_by_field_name("initializer"))
        if _NOT_FOUND_CHECK.search(head):
            continue  # waits for the thing to exist
        if re.search(r"\b(err|\w+Err)\b", head) and not re.search(r"\b(err|\w+Err)\s*==\s*nil", head):
            return True
    return False


# --- a function that sends again what failed ---------------------------------------------------

_FAILED = re.compile(r"(?i)fail|unprocessed|\berr\s*!=\s*nil|error|\bretr|throttl")
# A re-send after renewing credentials is an auth refresh, not a retry of what failed.
_AUTH = re.compile(r"(?i)token|unauthori[sz]ed|\b401\b|expired|credential|\bauth")
_REFRESHES = re.compile(r"(?i)^(refresh|renew|relogin|reauth)|^login$|(refresh|renew)\w*(token|session|auth)")


# A message's count of earlier tries (a retries header, a delivery or receive count) compared with a bound
# named for tries, the branch past the bound sending it to a dead-letter destination.
_DELIVERY_COUNT = re.compile(r"(?i)^\w*(retries|retry_?count|retrycount|attempts?|deliver(ed|ies|y_?count)|"
                             r"num_?delivered|receive_?count|redeliver\w*)$")
_DEAD_LETTER = re.compile(r"(?i)dead.?letter|\bdlq\b|\bdlx\b|poison")


def _dead_letter_budgets(gf: GoFile) -> list[Draft]:
    """`retries, _ := GetKafkaIntHeader(message, retriesCountHeader); if retries >= cfg.MessagesRetryCount { //
    dead-letter } else { ...republish with retries+1 }`: a consumer handing a failed message to a retry topic
    until its count of retries reaches the bound, then to the dead-letter topic: bound + 1 tries (`>`: bound +
    2); a count of deliveries or receives (`NumDelivered >= max`) counts the first one: bound tries (round 18,
    Jitsu Bulker's stream and batch consumers), reported at the check."""
    drafts = []
    for node in ts.walk(gf.root):
        if node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        if condition is None or condition.type != "binary_expression":
            continue
        op = node_text(condition.child_by_field_name("operator"))
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if op not in (">=", ">") or left is None or right is None:
            continue
        counted = node_text(left).rsplit(".", 1)[-1]
        bound_name = node_text(right).rsplit(".", 1)[-1]
        if not _DELIVERY_COUNT.fullmatch(counted) or not (_counts_tries(bound_name) or _ATTEMPTISH.search(bound_name)
                                                         or re.search(r"(?i)deliver|receive", bound_name)):
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is None or not _DEAD_LETTER.search(node_text(consequence)):
            continue
        retries = re.search(r"(?i)retr", counted) is not None
        offset = (1 if op == ">=" else 2) if retries else (0 if op == ">=" else 1)
        info = gf.count(right, offset=offset)
        drafts.append(Draft(gf.finding("retry", node, ID,
                                       _attrs(info, None, "redelivery", None),
                                       confidence=info.confidence, pending=info.pending), linkable=True))
    return drafts


_BACKOFF_NEXT = re.compile(r"(?i)\b\w*(?:backoff|retr\w*|policy|\bbo)\s*\.\s*(?:Next|Continue|ShouldRetry)\s*\(")
_BOUND_FIELD = re.compile(r"(?i)max(?:retr\w*|attempts?|tries)?|retries|retry(?:count|limit|max)|attempts|tries|limit"
                          r"|attempts?(?:num|number|count)")  # round 19 (gofix2): file.d's BackoffOpts{AttemptNum: n}


def _project_backoff_values(gf: GoFile) -> list[Draft]:
    """round 18: `&backoff.ConstantBackoff{Max: settings.ChunkRetryLimit(ctx), Sleep: d}` of a project type
    whose own method counts tries against that field and stops (`$go-retry-type.`, published by
    GoFile.counted_retry_types): a retry bound at the field's line, tries = the field + what the
    type's check allows (`>`: one more). A proposal: kept only where the type does count against the field."""
    drafts = []
    own_folder = posixpath.basename(posixpath.dirname(gf.path)) if "/" in gf.path else ""
    counted_here = gf.counted_retry_types()
    for comp in gf.composites:
        alias, _, own = comp.type_name.partition(".")
        if own:
            path = gf.imports.get(alias)
            if path is None or not outside_stdlib(path) or alias in gf.packages:
                continue
            folder, type_name = path.rstrip("/").rsplit("/", 1)[-1], own
        elif alias.isidentifier() and own_folder:
            folder, type_name = own_folder, alias
        else:
            continue
        for field, value in comp.fields.items():
            if not _BOUND_FIELD.fullmatch(field) or value.type in ("composite_literal", "unary_expression", "func_literal"):
                continue
            key = Ref(f"$go-retry-type.{folder}.{type_name}/{field}")
            if not own and type_name in gf._struct_names and key.name not in counted_here:
                continue  # a type of this file that counts nothing against the field
            expr = BinOp("-", BinOp("+", gf._substitute(gf.to_expr(value), at=value), key), Num(1.0))
            info = ValueInfo(None, "unresolved", node_text(value), (Pending("max_attempts", expr, 1.0),))
            element = comp.elements.get(field, value)
            # reported as a project helper's proposal (go.wrapper_call): a library read of the same line wins
            drafts.append(Draft(gf.finding("retry", element, "go.wrapper_call", _attrs(info, "constant", "loop", None),
                                           confidence="medium", evidence_node=element,
                                           pending=(*info.pending, Pending("$keep_if", key, 1.0))),
                                link=None, linkable=True))
    return drafts


def _recursive_resends(gf: GoFile) -> list[Draft]:
    """`if resp.FailedPutCount > 0 { ...retry = append(retry, data[i])...; return tf.putRecords(ctx, retry) }`:
    a function that calls itself again, under a check that something failed, with what failed
    (a batch API's partial failures). No bound but the failures running out: max_attempts null."""
    if b"ail" not in gf.data and b"rror" not in gf.data and b"err" not in gf.data:
        return []
    drafts = []
    for fn in gf.root.named_children:
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        name_node, body = fn.child_by_field_name("name"), fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        name = node_text(name_node)
        receiver = None
        if fn.type == "method_declaration":
            params = fn.child_by_field_name("receiver")
            decl = params.named_children[0] if params is not None and params.named_children else None
            names = decl.children_by_field_name("name") if decl is not None else []
            if not names:
                continue
            receiver = node_text(names[0])
        calls = gf.calls_within(body.start_byte, body.end_byte)
        for call in calls:
            if call.name != name or gf.enclosing_functions(call.node)[:1] != [fn]:
                continue
            if receiver is None and call.receiver is not None:
                continue
            if receiver is not None and (call.receiver is None or node_text(call.receiver) != receiver):
                continue
            ancestors = []
            for a in ts.ancestors(call.node):
                if a.id == fn.id:
                    break
                ancestors.append(a)
            if any(a.type == "for_statement" for a in ancestors):
                continue  # a walk over parts (children, pages), not a second send
            # the ifs whose branch holds the call (not the ones whose initializer makes it:
            # `if err := p.walk(e.Left); err != nil {` walks a tree)
            conditions = [node_text(a.child_by_field_name("condition")) for a in ancestors if a.type == "if_statement"
                          and a.child_by_field_name("consequence") is not None
                          and a.child_by_field_name("consequence").start_byte <= call.node.start_byte
                          and call.node.end_byte <= a.child_by_field_name("consequence").end_byte]
            if not any(_FAILED.search(c) and not re.fullmatch(r"\s*err\s*==\s*nil\s*", c) for c in conditions):
                continue
            if any(_BACKOFF_NEXT.search(c) for c in conditions):
                continue  # `&& c.backoff.Next(err)`: the bound is the backoff's, where it is built (round 18)
            if any(re.search(r"\.(Get)?Next\w*\(\s*\)", node_text(a)) for a in call.args):
                continue  # round 21 (rekor): `return tryUpload(ctx, c, pei.GetNext())`: the next candidate of an
                # iterator (another entry format), a walk over alternatives, not the same request again
            counted = _counted_down_parameter(fn, call, conditions)
            if counted is not None:
                # `func retry(attempts int, d time.Duration, f func() error) error { if err := f(); err != nil {
                # if attempts--; attempts > 0 { time.Sleep(d); return retry(attempts, 2*d, f) } } }`: a retry
                # helper whose parameter counts every try; its calls hold the number (round 14)
                info = ValueInfo(None, "unresolved", counted, (Pending("max_attempts", Ref(counted), 1.0),))
                drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, "exponential", "recursion", None),
                                               confidence="medium", pending=info.pending, evidence_node=call.node),
                                    link=("scope", body.start_byte, body.end_byte), linkable=True))
                continue
            if any(_AUTH.search(c) for c in conditions) or any(
                    _REFRESHES.search(c.name or "") and c.line <= call.line and c.name != name and
                    any(a.start_byte <= c.node.start_byte and call.node.end_byte <= a.end_byte
                        for a in ancestors if a.type == "block") for c in calls):
                continue  # `if code == "InvalidAuthenticationToken" { d.refreshToken(); return d.Request(...) }`
            if not any(c.line < call.line and c.name != name and c.package not in _BOOKKEEPING and c.name not in _NOT_WORK
                       for c in calls):
                continue  # nothing was sent before
            info = _fixed(None, "until nothing fails", "unresolved")
            drafts.append(Draft(gf.finding("retry", call.node, ID, _attrs(info, None, "recursion", None),
                                           confidence="medium", evidence_node=call.node),
                                link=("scope", body.start_byte, body.end_byte), linkable=True))
    return drafts


def _counted_down_parameter(fn: ts.Node, call, conditions: list[str]) -> str | None:
    """The parameter named for tries that the function hands to itself again after counting it down and
    checking it (`if attempts--; attempts > 0 { return retry(attempts, ...) }`, `retry(n-1, ...)` under
    `if n > 1`), or None."""
    params = fn.child_by_field_name("parameters")
    names = [node_text(n) for d in (params.named_children if params is not None else [])
             if d.type == "parameter_declaration" for n in d.children_by_field_name("name")]
    for arg in call.args:
        text = re.sub(r"\s+", "", node_text(arg))
        m = re.fullmatch(r"(\w+)(-1)?", text)
        if m is None or m.group(1) not in names or not _ATTEMPTISH.search(m.group(1)):
            continue
        name = m.group(1)
        if any(re.search(rf"\b{re.escape(name)}\s*(>|>=|!=)\s*\d", c) for c in conditions) and \
                (m.group(2) or re.search(rf"\b{re.escape(name)}\s*(--|-=\s*1\b)", node_text(fn))):
            return name
    return None


# --- a call made once more in its own failure branch --------------------------------------------

_TAKES_LOCK = re.compile(r"(?i)^(acquire\w*|\w*lock(file)?|obtainlock\w*|trylock\w*)$")
_NOT_REPEATED = re.compile(r"(?i)^(close|rollback|cancel|unlock|release|stop|log\w*)$")


def _error_call(gf: GoFile, statement: ts.Node) -> GoCall | None:
    """The call whose error a statement keeps: `err := f(x)`, `_, err = f(x)`."""
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
    if left is None or right is None or len(right.named_children) != 1:
        return None
    names = [node_text(c) for c in left.named_children]
    if not names or names[-1] != "err":
        return None
    value = inner_expression(right.named_children[0])
    return gf.call_at(value) if value.type == "call_expression" else None


def _reassigned(block: ts.Node, names: set[str], before: int) -> bool:
    """One of `names` is assigned in `block` before byte `before`."""
    for n in descendants(block):
        if n.start_byte >= before:
            break
        if n.type in ("assignment_statement", "short_var_declaration"):
            left = n.child_by_field_name("left")
            if left is not None and any(node_text(c) in names for c in left.named_children):
                return True
    return False


def _argument_changed(block: ts.Node, names: set[str], before: int) -> bool:
    """A field of one of `names` is assigned, or a method called on one of its fields, in `block` before
    byte `before` (`w.Error = err`, `w.buffer.Reset()`): the call made again gets other input (round 13)."""
    roots = {n for n in names if n not in ("ctx", "err")}
    for n in descendants(block):
        if n.start_byte >= before:
            break
        if n.type == "assignment_statement":
            left = n.child_by_field_name("left")
            for c in (left.named_children if left is not None else []):
                if c.type == "selector_expression" and re.match(r"(\w+)", node_text(c)).group(1) in roots:
                    return True
        elif n.type == "call_expression":
            fn = n.child_by_field_name("function")
            text = node_text(fn) if fn is not None else ""
            if fn is not None and fn.type == "selector_expression" and text.count(".") >= 2 and \
                    text.split(".", 1)[0] in roots:
                return True
    return False


def _repeated_calls(gf: GoFile) -> list[Draft]:
    """`if err := d.deleteFolder(ctx, p); err != nil { log(...); if err := d.deleteFolder(ctx, p); ... }`,
    `err = send(m); if err != nil { err = send(m) }`: the same call (callee and arguments alike) made
    again in the branch that saw it fail: two tries. A different call there is a fallback; the same
    call after success, or a cleanup (`Close`, `Rollback`), is none."""
    drafts = []
    for node in descendants(gf.root):
        # `if err != nil`, or `if err != nil && errors.As(err, &xrpcErr) && xrpcErr.StatusCode == 404`: a
        # failure of one kind (the account not there yet) is tried again
        # ... or a classifier asked about the error: `if awserrors.IsLaunchTemplateNotFound(err) {` (round 13)
        if node.type != "if_statement" or \
                not re.fullmatch(r"\s*(err\s*!=\s*nil|[\w.]+\(\s*err\s*(,[^()]*)?\))\s*(&&.*)?",
                                 node_text(node.child_by_field_name("condition")), re.S):
            continue
        if re.search(r"ErrNotExist|IsNotExist", node_text(node.child_by_field_name("condition"))):
            continue  # `if errors.Is(err, fs.ErrNotExist) { invalidate(k); cache.Get(k) }`: a local file gone (round 13)
        first = _error_call(gf, node.child_by_field_name("initializer"))
        if first is None:
            before = node.prev_named_sibling
            # skipping comments and a declaration for the check (`var xrpcErr *xrpc.Error`)
            while before is not None and (before.type == "comment" or before.type == "var_declaration" and not any(
                    d.type == "call_expression" for d in descendants(before))):
                before = before.prev_named_sibling
            first = _error_call(gf, before)
        if first is None or first.package in _BOOKKEEPING or first.package in _LOCAL_STATE or \
                first.name in _NOT_WORK or _NOT_REPEATED.match(first.name or ""):
            continue
        consequence = node.child_by_field_name("consequence")
        if consequence is None:
            continue
        text = node_text(first.node)
        again = [c for c in gf.calls_within(consequence.start_byte, consequence.end_byte)
                 if c.node.id != first.node.id and node_text(c.node) == text
                 and gf.enclosing_functions(c.node)[:1] == gf.enclosing_functions(node)[:1]]
        if not again or any(a.type == "for_statement" for a in ts.ancestors(again[0].node)
                            if consequence.start_byte <= a.start_byte):
            continue
        if re.search(r"ErrNotExist|IsNotExist", gf.data[consequence.start_byte:again[0].node.start_byte].decode(
                "utf-8", "replace")):
            continue  # `if !errors.Is(err, ErrNotExist) { return err }; fs.MkdirAll(dir); fs.safePath(p)`: made
            # again once what was missing locally was created, no failure retried (round 16, wings)
        names = {node_text(n) for a in first.args for n in [a, *descendants(a)] if n.type == "identifier"}
        if first.receiver is not None and first.receiver.type == "identifier":
            names.add(node_text(first.receiver))  # `blobClient = newBlobClient(otherPath)`: another object
        elif first.receiver is not None and first.receiver.type == "selector_expression":
            # round 20 (tinode): `a.db, err = pgxpool.NewWithConfig(ctx, cfg); err = a.db.Ping(ctx)`: a new pool
            names.add(node_text(first.receiver))
        condition = node_text(node.child_by_field_name("condition"))
        if re.search(r"(?i)duplicate|alreadyexists|\bIsExist\b", condition) and any(
                c.name != first.name and c.package not in _BOOKKEEPING and c.name not in _NOT_WORK
                and c.node.start_byte < again[0].node.start_byte and not re.match(r"(?i)^(log|info|debug|warn|error)", c.name or "")
                for c in gf.calls_within(consequence.start_byte, again[0].node.start_byte)):
            continue  # round 20 (tinode): `if isDuplicateErr(err) { <take the device from its other owner>;
            # return a.deviceInsert(userId, dev) }`: made again once the conflict was cleared, no failure retried
        if re.search(r"ErrNoRows|NotFound|ErrNotFound", condition) and any(
                _CREATES_R21.match(c.name or "") and c.node.start_byte < again[0].node.start_byte
                for c in gf.calls_within(consequence.start_byte, again[0].node.start_byte)):
            continue  # round 21 (goalert): `if errors.Is(err, sql.ErrNoRows) { db.ExecContext(ctx, "INSERT ...");
            # err = db.QueryRowContext(ctx, q).Scan(&id) }`: read again once the missing row was made (get-or-create)
        if _reassigned(consequence, names, again[0].node.start_byte):
            continue  # `msg = withParseMode(m, ""); tbAPI.Send(msg)`: another message, a fallback
        if _argument_changed(consequence, names - ({node_text(first.receiver)} if first.receiver is not None else set()),
                             again[0].node.start_byte):
            continue  # `w.templateBuffer.Reset(); w.Error = err; t.Execute(&w.templateBuffer, data)`: other input
        if any(_TAKES_LOCK.search(c.name or "") and c.node.start_byte < again[0].node.start_byte
               for c in gf.calls_within(consequence.start_byte, consequence.end_byte)):
            continue  # `tok, err := readToken(); if err != nil { acquireLockFile(p); tok, err = readToken() }`:
            # looked at again once it holds the lock (double-checked locking), no failure is retried (round 14)
        info = _fixed(2, f"{text} again when it failed", "literal")
        drafts.append(Draft(gf.finding("retry", again[0].node, ID, _attrs(info, "none", "repeat", None),
                                       confidence="medium", evidence_node=again[0].node),
                            link=("scope", node.start_byte, node.end_byte), linkable=True))
    return drafts


# a write that makes what a read did not find (round 21)
_CREATES_R21 = re.compile(r"(?i)^(exec|insert|create|put|set|add|upsert|save|register)")


# --- entry point -------------------------------------------------------------------------------

def retry_findings(gf: GoFile) -> list[tuple[Draft, RetryScope | None]]:
    cached = getattr(gf, "_go_retries", None)
    if cached is not None:
        return cached
    out: list[tuple[Draft, RetryScope | None]] = []
    for call in gf.calls:
        if call.qualified in _BACKOFF_RETRY:
            result = _cenkalti(gf, call)
            if result:
                out.append(result)
        elif call.qualified in _RETRY_GO:
            out.append(_retry_go(gf, call))
        elif call.qualified == "retry.Attempts":
            result = _retry_go_options_elsewhere(gf, call)
            if result:
                out.append(result)
        elif call.qualified in _GO_RETRY:
            out.append(_go_retry(gf, call))
        elif call.package == "repeater":
            result = _repeater(gf, call)
            if result:
                out.append(result)
    out += [(d, None) for d in _retryablehttp(gf)]
    if b"MaxFails" in gf.data and b"ShouldRetry" in gf.data:
        out += [(d, None) for d in _job_max_fails(gf)]
    if b"goto" in gf.data:
        out += [(d, None) for d in _goto_retries(gf)]
    out += [(d, None) for d in _recursive_resends(gf)]
    if b"{" in gf.data:
        out += [(d, None) for d in _project_backoff_values(gf)]
    if b"++" in gf.data:
        out += [(d, None) for d in _reconnect_budgets(gf)]
        out += [(d, None) for d in _consecutive_error_budgets(gf)]
        out += [(d, None) for d in _rescheduled_budgets(gf)]
        out += [(d, None) for d in _counted_retry_methods_r20(gf)]
    if b"WithMaxRetries(" in gf.data and b"NextBackOff()" in gf.data:
        out += [(d, None) for d in _stored_backoff_policies_r19b(gf)]
    if b"Until" in gf.data:
        out += [(d, None) for d in _until_helpers(gf)]
        if b"holster" in gf.data:
            out += [(d, None) for d in _holster_until_r19b(gf)]
    if re.search(rb"(?i)dead.?letter|\bdlq\b|\bdlx\b|poison", gf.data):
        out += [(d, None) for d in _dead_letter_budgets(gf)]
    if re.search(rb"(?i)retr", gf.data):
        out += [(d, None) for d in _project_retry_runners(gf)]
    if b"err != nil" in gf.data:
        out += [(d, None) for d in _repeated_calls(gf)]
    looped: set[int] = set()
    stored = _stored_policy_fields_r19b(gf) if b"NextBackOff()" in gf.data else set()
    for loop in gf.loops:
        if stored and _paced_by_stored_policy_r19b(loop, stored):
            continue  # `d := opts.retry.backoff.NextBackOff()`: the policy's tries, reported where it is built
        result = _dskit_loop(gf, loop) or _hand_loop(gf, loop)
        if result:
            out.append(result)
            looped.add(loop.start_byte)
    # a consecutive-failure budget of a loop read as a retry loop already is that loop's bound (round 18)
    out = [(d, s) for d, s in out if not (getattr(d, "_consecutive", False) and d.link[1] in looped)]
    gf._go_retries = out  # type: ignore[attr-defined]
    return out


@detector(
    ID, "go", ("retry",),
    valid=(
        'package p\nfunc f(items []string) error {\n\tfor _, item := range items {\n\t\tif err := send(item); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n',
        'package p\nfunc f() { retry := true; if retry { g() } }\n',
    ),
    invalid=(
        'package p\nimport "time"\nfunc f() error {\n\tfor attempt := 0; attempt < 3; attempt++ {\n\t\tif err := send(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(time.Second)\n\t}\n\treturn nil\n}\n',
        'package p\nimport "github.com/avast/retry-go"\nfunc f() error { return retry.Do(send, retry.Attempts(3)) }\n',
        'package p\nimport ("time"; "github.com/go-pkgz/repeater/v2")\nfunc f() error { return repeater.NewFixed(5, time.Second).Do(ctx, send) }\n',
    ),
)
def detect(gf: GoFile) -> list[Draft]:
    """Retry libraries and hand-written retry loops."""
    return [draft for draft, _ in retry_findings(gf)]


def _method_of(gf: GoFile, type_name: str, method: str):
    for fn in gf.root.named_children:
        if fn.type != "method_declaration" or node_text(fn.child_by_field_name("name")) != method:
            continue
        receiver = fn.child_by_field_name("receiver")
        if receiver is not None and re.search(rf"\*?\s*\b{re.escape(type_name)}\s*\)", node_text(receiver)):
            return fn
    return None


def _job_max_fails(gf: GoFile) -> list[Draft]:
    """A job type of a job queue (Harbor's jobservice, gocraft/work style) that says how often it may fail
    and that it is run again after a failure: `func (j *WebhookJob) MaxFails() uint { return 3 }` beside
    `func (j *WebhookJob) ShouldRetry() bool { return true }` -> the job is tried 3 times, reported where
    the number is given (`return 3`, or `result = 3` for a named result whose other values come from the
    environment). A job whose ShouldRetry returns false, or a MaxFails of 1, retries nothing (round 11,
    a request left open in round 10)."""
    out = []
    for fn in gf.root.named_children:
        if fn.type != "method_declaration" or node_text(fn.child_by_field_name("name")) != "MaxFails":
            continue
        receiver = fn.child_by_field_name("receiver")
        owner = re.search(r"(\w+)\s*\)\s*$", node_text(receiver)) if receiver is not None else None
        should = _method_of(gf, owner.group(1), "ShouldRetry") if owner is not None else None
        body = should.child_by_field_name("body") if should is not None else None
        if body is None or not re.fullmatch(r"\{\s*return\s+true\s*\}", re.sub(r"//[^\n]*", "", node_text(body)).strip()):
            continue
        def single(node):
            node = inner_expression(node) if node is not None else None
            while node is not None and node.type == "expression_list" and node.named_child_count == 1:
                node = inner_expression(node.named_children[0])
            return node

        own = fn.child_by_field_name("body")
        numbers = [(n, single(n.named_children[0]) if n.type == "return_statement" else
                    single(n.child_by_field_name("right")))
                   for n in descendants(own, skip_functions=True)
                   if (n.type == "return_statement" and n.named_child_count == 1) or n.type == "assignment_statement"]
        numbers = [(n, v) for n, v in numbers if v is not None and v.type == "int_literal"]
        if not numbers:
            continue
        first, value_node = numbers[0]
        info = gf.count(inner_expression(value_node))
        if info.value is None or info.value <= 1:
            continue
        out.append(Draft(gf.finding("retry", first, ID,
                                    _attrs(info, None, "job", None, "error"),
                                    confidence="medium"), linkable=False))
    return out


def _body_statements(body) -> list:
    """A function body's statements, comments left out (a body holding one statement_list: its statements)."""
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    return statements


def _counted_returns(statements: list, check: re.Pattern):
    """(index, statement, match) of each `if <attempts> <op> <bound> { ... return ... }` among ``statements`` whose
    condition ``check`` matches with attempt-named sides (groups 1 and 3)."""
    for index, statement in enumerate(statements):
        if statement.type != "if_statement" or statement.child_by_field_name("initializer") is not None:
            continue
        m = check.match(node_text(statement.child_by_field_name("condition")))
        consequence = statement.child_by_field_name("consequence")
        if m is None or consequence is None or "return" not in node_text(consequence) or \
                not (_ATTEMPTISH.search(m.group(1)) and _ATTEMPTISH.search(m.group(3))):
            continue
        yield index, statement, m
