"""Timeouts written as a `select` on `time.After`: the wait for a result gives up after a duration.

What it does: `select { case r := <-done: ...; case <-time.After(d): return false }` bounds the wait
for whatever the other cases receive (a dial in a goroutine, a stream's first message): a `total`
timeout of `d`. Also when the channel is made first (`expired := time.After(s.Timeout)`) and a case
of a later `select` receives from it, and for a timer made first (`timer := time.NewTimer(d)` ...
`case <-timer.C: return api.ErrTimeout`). The case must give up as a failure: return `false`, an error
or `ctx.Err()`, cancel a context, or record the failure (`result.AddError(...)`, `result.Success =
false`); inside a loop it must also leave. Not timeouts: a case that only waits or does the next
round of work (`case <-time.After(backoff):`, `case <-time.After(interval): ping()`: a pause or a
periodic job), one that answers a fallback (`return emptyResult`) or returns nil (a backoff
done), logging only, a `select` with no other case (a sleep), waits on the inbound end of a stream
(a function taking a `ServerStream`), and the waits of functions that stop or drain something
(`Shutdown`, `Close`, `Stop`: a grace period) or for something to come up (`waitForPort`), unless
a wait after a command hands its caller a timeout error (`waitForChargerEnabledState`: `case
<-timer.C: return api.ErrTimeout`), and waits for a local slot (a function named `acquire`/`lock…`,
a bound named for a backlog, a lock, an idle time), and a hand-off to the process's own consumer (the
other cases only send: `case storage <- request: return true`, round 10). A request published to
many responders (`nc.PublishMsg(msg)` with a reply inbox) whose replies a loop gathers until a timer
fires is bounded by that timer even when the case goes on with what came (`return res, nil`,
`done = true` read by `for !done`, round 11). Only
what the case always does counts: `if err := ping(); err != nil { return err }` after a periodic
tick gives up on the ping's error, not on the wait.

Why it matters: such a bound is how long the caller waits for its dependency, the same contract a
client's timeout states, just written by hand.

Example: `case <-time.After(config.Timeout): return false` -> timeout, total, config.Timeout.
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.base import detector
from extractors.go.detectors.client_config import _NOT_A_CALL_BOUND
from extractors.go.gofile import FUNCTION_TYPES, Draft, GoFile, descendants, inner_expression, node_text

ID = "go.select_timeout"

# Functions whose waits are grace periods of their own process, not bounds on a dependency.
# A function named for a wait (`waitForPort`, `WaitForReady`) bounds a start-up wait for something to
# come up, not a call.
_GRACE_FUNCTION = re.compile(r"(?i)shutdown|stop|close|drain|graceful|terminate|cleanup|^wait")
# Waits for a local slot or lock (a throttle's backlog, a semaphore), not for a dependency.
_LOCAL_WAIT = re.compile(r"(?i)^(acquire|lock|trylock|throttle|semaphore)")
_STOPS = re.compile(r"(?i)shutdown|stop|close|drain|graceful|terminate|cleanup")
# An error value named as a timeout: `api.ErrTimeout`, `os.ErrDeadlineExceeded`, `context.DeadlineExceeded`.
_TIMEOUT_ERROR = re.compile(r"(?i)^(\w+\.)?(err\w*(timeout|timedout|deadline)\w*|\w*deadlineexceeded)$")


def _returns_timeout_error(case: ts.Node) -> bool:
    for n in _case_nodes(case):
        if n.type == "return_statement":
            values = [v for c in n.named_children for v in ([c] if c.type != "expression_list" else c.named_children)]
            if any(v.type in ("identifier", "selector_expression") and _TIMEOUT_ERROR.match(node_text(v)) for v in values):
                return True
    return False
# How a case gives up: a call that cancels or records the failure (`cancel()`, `result.AddError(e)`),
# an assignment of the outcome (`result.Success = false`, `err = ErrTimeout`), a return of a failure.
_GIVE_UP_CALL = re.compile(r"(?i)(cancel|abort|fail|adderr|seterr|markfailed)\w*")
_GIVE_UP_ASSIGNED = re.compile(r"(?i)err|success|fail|timedout|timeout")
# (`return context.DeadlineExceeded`: the context package's own failure, round 12)
_FAILURE_VALUE = re.compile(r"\bfalse\b|(?i:err)|\bError\b|(?i:timeout|timedout)|DeadlineExceeded")
# round 18: a case that ends the process, or logs an error naming the timeout, outside a loop
_ENDS_PROCESS = re.compile(r"(?i)fatal\w*|panic\w*|exit")
_LOGS_ERROR = re.compile(r"(?i)errorf?|errorw|warnf?|warningf?")
_NAMES_TIMEOUT = re.compile(r"(?i)time\s*out|timed\s*out|deadline")
# A parameter that is the inbound end of a stream: waiting for its first message is the server's side.
_INBOUND = re.compile(r"ServerStream|_\w*Server\b|http\.Request|ResponseWriter")


def _receive_case(node: ts.Node) -> ts.Node | None:
    """The communication_case whose receive is `<-node`."""
    parent = node.parent
    if parent is None or parent.type != "unary_expression" or node_text(parent.child_by_field_name("operator")) != "<-":
        return None
    statement = parent.parent
    if statement is not None and statement.type == "expression_list":
        statement = statement.parent
    if statement is None or statement.type != "receive_statement":
        return None
    case = statement.parent
    return case if case is not None and case.type == "communication_case" else None


def _cases_receiving(gf: GoFile, call) -> list[ts.Node]:
    """The cases that receive from what `time.After` returned: in place, or through a local
    (`expired := time.After(d)` ... `case <-expired:`); for `t := time.NewTimer(d)`, the cases
    receiving `<-t.C`."""
    timer = call.qualified == "time.NewTimer"
    case = None if timer else _receive_case(call.node)
    if case is not None:
        return [case]
    holder = call.node.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None or holder.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return []
    left = holder.child_by_field_name("left") if holder.type != "var_spec" else None
    names = [node_text(n) for n in (left.named_children if left is not None else holder.children_by_field_name("name"))]
    if len(names) != 1:
        return []
    fns = gf.enclosing_functions(call.node)
    scope = fns[0] if fns else None
    if scope is None:
        return []
    out = []
    for n in descendants(scope, skip_functions=True):
        if n.type == "identifier" and node_text(n) == names[0] and n.start_byte > call.node.end_byte:
            channel = n
            if timer:
                parent = n.parent
                if parent is None or parent.type != "selector_expression" or \
                        node_text(parent.child_by_field_name("field")) != "C":
                    continue
                channel = parent
            case = _receive_case(channel)
            if case is not None:
                out.append(case)
    return out


def _case_nodes(case: ts.Node) -> list[ts.Node]:
    """The case's own statements (not those under an `if`, a nested select or a func literal: what
    the case does whenever it fires) and the expressions in them."""
    statements = [c for c in case.named_children if c.type not in ("receive_statement", "comment")]
    if len(statements) == 1 and statements[0].type == "statement_list":
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    out = []
    stack = list(reversed(statements))
    while stack:
        n = stack.pop()
        out.append(n)
        if n.type in ("select_statement", "func_literal", "if_statement", "for_statement", "block",
                      "expression_switch_statement", "type_switch_statement"):
            continue
        stack.extend(reversed(n.named_children))
    return out


def _gives_up(case: ts.Node, in_loop: bool) -> bool:
    """The case ends the wait as a failure (not a pause of a loop, nor a fallback answer)."""
    nodes = _case_nodes(case)
    leaves = any(n.type in ("return_statement", "break_statement", "goto_statement") for n in nodes)
    if in_loop and not leaves:
        return False  # `for { select { case <-time.After(interval): work() } }`: a periodic job
    for n in nodes:
        if n.type == "return_statement" and n.named_child_count and _FAILURE_VALUE.search(node_text(n)):
            return True  # return false / return errors.New("timeout ...") / return ctx.Err()
        if n.type == "call_expression":
            function = node_text(n.child_by_field_name("function"))
            if _GIVE_UP_CALL.fullmatch(function.rsplit(".", 1)[-1]):
                return True
            if _ENDS_PROCESS.fullmatch(function.rsplit(".", 1)[-1]):
                return True  # `logger.Log.Fatal("Failed to connect")`, `panic(...)`: the process gives up (round 18)
            if not in_loop and _LOGS_ERROR.fullmatch(function.rsplit(".", 1)[-1]) and \
                    _NAMES_TIMEOUT.search(node_text(n.child_by_field_name("arguments"))) and \
                    not _STOPS.search(node_text(n.child_by_field_name("arguments"))):
                # (not "timed out waiting for the monitor to stop": a grace period of its own)
                return True  # `log.Error("watchComet init instances timeout")`: the wait ends as a failure (round 18)
        if n.type == "assignment_statement" and _GIVE_UP_ASSIGNED.search(node_text(n.child_by_field_name("left"))):
            return True
        if n.type == "send_statement" and not in_loop and \
                _FAILURE_VALUE.search(node_text(n.child_by_field_name("value"))):
            # `c <- &ComponentHealthStatus{Name: name, Error: "... timeout"}`: the failure handed to whoever
            # waits for the answer (round 10)
            return True
    return False


def _in_loop(node: ts.Node) -> bool:
    for ancestor in ts.ancestors(node):
        if ancestor.type in FUNCTION_TYPES:
            return False
        if ancestor.type == "for_statement":
            return True
    return False


def _inbound(gf: GoFile, fn: ts.Node | None) -> bool:
    params = fn.child_by_field_name("parameters") if fn is not None else None
    return params is not None and _INBOUND.search(node_text(params)) is not None


def _select_of(case: ts.Node) -> ts.Node | None:
    parent = case.parent
    return parent if parent is not None and parent.type == "select_statement" else None


def _hands_off(case: ts.Node) -> bool:
    """The select's other cases only send (`case storage <- request: return true`): the wait is for
    the process's own consumer to take a value, no call to a dependency (a `ctx.Done()` case aside)."""
    select = _select_of(case)
    if select is None:
        return False
    others = [o for o in select.named_children if o.type == "communication_case" and o != case]
    sends = receives = 0
    for other in others:
        head = next((c for c in other.named_children if c.type != "comment"), None)
        if head is not None and head.type == "send_statement":
            sends += 1
        elif head is not None and "Done()" not in node_text(head):
            receives += 1
    return sends > 0 and receives == 0


_PUBLISHES = frozenset({"Publish", "PublishMsg", "PublishRequest"})
# round 20 (tinode): requests sent to several peers whose replies come on a channel (`node.callAsync(method,
# req, &resp, done)`, net/rpc's `client.Go(...)`)
_ASYNC_CALL_R20 = re.compile(r"(?i)call_?async|\w*async(?:call|request|send)|Go")


def _gathers_replies(gf: GoFile, case: ts.Node, scope: ts.Node | None) -> bool:
    """`nc.PublishMsg(&msg)` with a reply inbox, then `for !done { select { case m := <-replies: ...;
    case <-pollTimer.C: done = true } }`: a request published to many responders whose replies are
    gathered until the timer fires; the timer bounds the wait for the replies even though the case
    goes on with what came (round 11). The case must end the gathering: leave, or set the flag the
    loop's condition reads."""
    if scope is None or not any((c.name in _PUBLISHES or _ASYNC_CALL_R20.fullmatch(c.name or "")) and c.receiver is not None
                                and c.node.end_byte < case.start_byte
                                for c in gf.calls_within(scope.start_byte, case.start_byte)):
        return False
    nodes = _case_nodes(case)
    if any(n.type in ("return_statement", "break_statement") for n in nodes):
        return True
    loop = next((a for a in ts.ancestors(case) if a.type in ("for_statement", *FUNCTION_TYPES)), None)
    header = next((c for c in loop.named_children if c.type not in ("block", "comment")), None) \
        if loop is not None and loop.type == "for_statement" else None
    if header is not None and header.type == "for_clause":
        # round 20 (tinode): `for i := 0; i < nodeCount && voteCount < expectVotes; { select { ...; case
        # <-timeout.C: i = nodeCount } }`: the case ends the gathering through the clause's condition
        header = header.child_by_field_name("condition")
    if header is None:
        return False
    flags = set(re.findall(r"\w+", node_text(header)))
    return any(n.type == "assignment_statement" and node_text(n.child_by_field_name("left")).strip() in flags
               for n in nodes)


def _joins_own_goroutines(scope: ts.Node) -> bool:
    """Every goroutine the function starts only waits for the process's own goroutines (`done <-
    g.Wait()` of an errgroup, `wg.Wait(); close(done)`): the select bounds a join of local work, a
    drain at shutdown, no call to another service (round 12: crowdsec's waitErrGroup, once a case
    answering `context.DeadlineExceeded` counted as giving up)."""
    gos = [n for n in ts.walk(scope) if n.type == "go_statement"]
    if not gos:
        return False
    for go in gos:
        calls = [c for c in ts.walk(go) if c.type == "call_expression" and
                 (c.child_by_field_name("function") is None or c.child_by_field_name("function").type != "func_literal")]
        names = [node_text(c.child_by_field_name("function")).rsplit(".", 1)[-1] for c in calls]
        if not names or "Wait" not in names or any(n not in ("Wait", "close") for n in names):
            return False
    return True


@detector(
    ID, "go", ("timeout",),
    valid=('package p\nimport "time"\nfunc f(ctx context.Context) {\n\tfor {\n\t\tselect {\n'
           '\t\tcase <-ctx.Done():\n\t\t\treturn\n\t\tcase <-time.After(10 * time.Second):\n\t\t}\n\t}\n}\n',),
    invalid=('package p\nimport "time"\nfunc f(ch chan bool) bool {\n\tselect {\n\tcase r := <-ch:\n\t\treturn r\n'
             '\tcase <-time.After(2 * time.Second):\n\t\treturn false\n\t}\n}\n',),
)
def detect(gf: GoFile) -> list[Draft]:
    """A `select` that gives up on `time.After(d)`."""
    drafts = []
    for call in gf.calls:
        if call.qualified not in ("time.After", "time.NewTimer") or len(call.args) != 1:
            continue
        fns = gf.enclosing_functions(call.node)
        named = [fn for fn in fns if fn.child_by_field_name("name") is not None]
        waiting_for_confirmation = False
        if named and _GRACE_FUNCTION.search(node_text(named[0].child_by_field_name("name"))):
            if _STOPS.search(node_text(named[0].child_by_field_name("name"))):
                continue
            # `waitForChargerEnabledState` after a command: kept when the case hands its caller a
            # timeout error (`return api.ErrTimeout`), the contract a caller sees; a start-up wait
            # (`waitForPort`) answers false or its own message
            waiting_for_confirmation = True
        if fns and _inbound(gf, fns[0]):
            continue  # `case <-time.After(d)` beside `<-stream.Channel()` of a ServerStream: an inbound wait
        scope = fns[0] if fns else None
        gathers = [c for c in _cases_receiving(gf, call) if _gathers_replies(gf, c, scope)]
        cases = [c for c in _cases_receiving(gf, call)
                 if (_gives_up(c, _in_loop(c)) or c in gathers) and not _hands_off(c)]
        if waiting_for_confirmation:
            cases = [c for c in cases if _returns_timeout_error(c)]
        cases = [c for c in cases if _select_of(c) is not None and
                 sum(1 for o in _select_of(c).named_children if o.type in ("communication_case", "default_case")) > 1]
        if not cases:
            continue
        if scope is not None and _joins_own_goroutines(scope):
            continue  # `go func() { done <- g.Wait() }(); select { ...; case <-time.After(d): }`: a shutdown join
        argument = inner_expression(call.args[0])
        if argument.type == "call_expression" and node_text(argument.child_by_field_name("function")) == "time.Until":
            continue  # `time.After(time.Until(t.deadline))`: a deadline carried down, no setting of its own (round 13)
        info = gf.duration(call.args[0])
        if info.value == 0:
            continue
        bound_name = re.split(r"[.\s()]", node_text(call.args[0]).strip().rstrip(")"))[-1]
        if (_NOT_A_CALL_BOUND.search(bound_name) and not gathers) or \
                (named and _LOCAL_WAIT.match(node_text(named[0].child_by_field_name("name")))):
            continue  # `time.NewTimer(t.backlogTimeout)` in `acquire`: a wait for a local slot, no call
        drafts.append(Draft(
            gf.finding("timeout", call.node, ID,
                       {"timeout_ms": info.value, "phase": "total", "resolved_from": info.resolved_from,
                        "expression": info.expression},
                       confidence=info.confidence if info.value is not None else "medium", pending=info.pending),
            link=("scope", scope.start_byte, scope.end_byte) if scope is not None else None, linkable=True))
    return drafts
