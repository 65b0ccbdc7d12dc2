"""Round 19 (second wave, gofix2): a retry count handed in an options struct or to a policy builder
is the contract of the call that hands it (rule c), not of the project's retry loop that reads it.

    type BackoffOpts struct { MinRetention time.Duration; AttemptNum int }
    func (b *RetriableBatcher) Out(...) {
        for {                                                   // forwards b.backoffOpts.AttemptNum
            ...
            if next == backoff.Stop || numTries > b.backoffOpts.AttemptNum { return }
            numTries++
        }
    }
    // a caller:  pipeline.BackoffOpts{AttemptNum: p.config.Retry}   -> Retry + 2 tries, at that line

The loop's file publishes `$go-retry-type.<folder>.<Type>/<Field>` (the tries a value of the field
allows, plus one: GoFile.counted_retry_types' convention, read where the struct is built by
retry._project_backoff_values) and the loop itself, bounded by a field no default of this file
fills, is a forwarder: dropped. The same for a cenkalti policy builder, `func GetBackoff(d, m,
attemptNum uint64) backoff.BackOff { ...; return backoff.WithMaxRetries(b, attemptNum) }`:
`GetBackoff.$attempts_param:2` (attemptNum + 1 tries) for its calls, and `backoff.Retry(op, b)`
of a policy the function was handed as its parameter (`func uploadWork(b backoff.BackOff)`) is
the policy's builder's call's contract: dropped.

`adjust` also drops two readings that are no contracts: a function calling itself on each half of
what it was handed (`middle := (left + right) / 2`, a split-and-resend after HTTP 413: a bisection,
not a retry), and the deadline a streaming handler gives its own inbound stream (a parameter of a
server stream type: `*connect.ServerStream[T]`, `pb.Svc_MethodServer`).
"""

from __future__ import annotations

import re
from pathlib import Path

from contract_discovery.model import Finding
from contract_discovery.values import Call, Expr, Num, Ref, evaluate
from extractors import treesitter as ts
from extractors import wrappers
from extractors.go.detectors.wrapper_call import _package_name
from extractors.go.gofile import GoFile, _field_declarations, _package_folder, inner_expression, node_text

_BOUND_LEAF = re.compile(r"(?i)attempt|retr|tries|max")


def _first_ref(expr: Expr) -> Ref | None:
    if isinstance(expr, Ref):
        return expr
    if isinstance(expr, Call) and expr.func == "coalesce" and expr.args:
        return _first_ref(expr.args[0])
    for attr in ("left", "right"):
        inner = getattr(expr, attr, None)
        if inner is not None:
            found = _first_ref(inner)
            if found is not None:
                return found
    return None


def _field_types(gf: GoFile) -> dict[str, dict[str, str]]:
    """struct type of this file -> {field: its type's name} (pointers stripped)."""
    named = gf._struct_bodies[0]
    out: dict[str, dict[str, str]] = {}
    for type_name, body in named.items():
        fields: dict[str, str] = {}
        for _, names, type_node in _field_declarations(body):
            for name in names:
                fields[name] = node_text(type_node) if type_node is not None else ""
        out[type_name] = fields
    return out


def _receiver(fn: ts.Node) -> tuple[str, str] | None:
    receiver = fn.child_by_field_name("receiver")
    decl = receiver.named_children[0] if receiver is not None and receiver.named_children else None
    names = decl.children_by_field_name("name") if decl is not None else []
    type_node = decl.child_by_field_name("type") if decl is not None else None
    if not names or type_node is None:
        return None
    return node_text(names[0]), node_text(type_node).lstrip("*")


def _params(fn: ts.Node) -> list[tuple[str, str]]:
    out = []
    params = fn.child_by_field_name("parameters")
    for decl in params.named_children if params is not None else []:
        type_node = decl.child_by_field_name("type")
        type_text = node_text(type_node).lstrip("*") if type_node is not None else ""
        names = decl.children_by_field_name("name")
        out.extend((node_text(n), type_text) for n in names) if names else out.append(("", type_text))
    return out


def _options_loops(gf: GoFile, findings: list[Finding]) -> list[tuple[Finding, str, str, float]]:
    """(loop finding, options type, field, tries beyond the field) for each go.retry loop of this
    file bounded by a field of an options struct of this file, held by the receiver or a parameter."""
    if b"struct" not in gf.data:
        return []
    types = _field_types(gf)
    out = []
    for f in findings:
        if f.kind != "retry" or f.detector != "go.retry":
            continue
        pending = next((p for p in f.pending if p.attribute == "max_attempts"), None)
        ref = _first_ref(pending.expr) if pending is not None else None
        if ref is None:
            continue
        parts = ref.name.split(".")
        if not all(p.isidentifier() for p in parts) or len(parts) not in (2, 3) or not _BOUND_LEAF.search(parts[-1]):
            continue
        fn = next((n for n in gf.root.named_children if n.type in ("function_declaration", "method_declaration")
                   and n.start_point[0] + 1 <= f.line <= n.end_point[0] + 1), None)
        if fn is None:
            continue
        holder = None
        if len(parts) == 3 and fn.type == "method_declaration":
            receiver = _receiver(fn)
            if receiver is not None and receiver[0] == parts[0]:
                holder = types.get(receiver[1], {}).get(parts[1])
        elif len(parts) == 2:
            holder = dict(_params(fn)).get(parts[0])
        holder = (holder or "").lstrip("*")
        if holder not in types or parts[-1] not in types[holder]:
            continue
        zero = evaluate(pending.expr, lambda n, leaf=ref.name: (Num(0.0), "literal") if n == leaf else None).value
        one = evaluate(pending.expr, lambda n, leaf=ref.name: (Num(1.0), "literal") if n == leaf else None).value
        if not isinstance(zero, (int, float)) or not isinstance(one, (int, float)) or one - zero != 1 or zero < 0:
            continue  # tries = the field + a constant only
        out.append((f, holder, parts[-1], float(zero)))
    return out


def _defaulted_here(gf: GoFile, type_name: str, field: str) -> bool:
    """This file fills the field somewhere: a literal of the type naming it, a tag default."""
    if any(c.type_name == type_name and field in c.fields for c in gf.composites):
        return True
    return any(path[-1] == field and path[0] == type_name for path in gf.tag_defaults)


def _policy_builders(gf: GoFile) -> dict[str, tuple[int, float]]:
    """function name -> (parameter index, tries per value beyond it) for a function returning a
    cenkalti policy bounded by its parameter: `return backoff.WithMaxRetries(b, attemptNum)`."""
    if b"WithMaxRetries" not in gf.data:
        return {}
    out = {}
    for fn in gf.root.named_children:
        if fn.type != "function_declaration":
            continue
        name_node, body = fn.child_by_field_name("name"), fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        names = [n for n, _ in _params(fn)]
        for ret in (n for n in ts.walk(body) if n.type == "return_statement"):
            value = ret.named_children[0] if ret.named_children else None
            value = value.named_children[0] if value is not None and value.type == "expression_list" \
                and value.named_child_count == 1 else value
            call = gf.call_at(value) if value is not None else None
            if call is None or call.package != "backoff" or call.name != "WithMaxRetries" or len(call.args) != 2:
                continue
            arg = inner_expression(call.args[1])
            if arg.type == "call_expression" and arg.child_by_field_name("arguments") is not None:
                inner = arg.child_by_field_name("arguments").named_children
                arg = inner_expression(inner[0]) if len(inner) == 1 else arg  # `uint64(n)`
            if arg.type == "identifier" and node_text(arg) in names:
                out[node_text(name_node)] = (names.index(node_text(arg)), 2.0)  # n retries: n + 1 tries
    return out


def publish(gf: GoFile, findings: list[Finding]) -> dict[str, Expr]:
    out: dict[str, Expr] = {}
    folder = _package_folder(Path(gf.path).parent.as_posix()) if "/" in gf.path else ""
    if folder:
        for _, type_name, field, beyond in _options_loops(gf, findings):
            out.setdefault(f"$go-retry-type.{folder}.{type_name}/{field}", Num(beyond + 1.0))
    package = _package_name(gf)
    for name, (index, per) in _policy_builders(gf).items():
        for n in ((name, f"{package}.{name}") if package else (name,)):
            out.setdefault(f"{n}.{wrappers.ATTEMPTS_PARAM}:{index}", Num(per))
    return out


def _handed_policy(gf: GoFile, f: Finding) -> bool:
    """`backoff.Retry(op, b)` (cenkalti v4) whose policy `b` is a parameter of the function around it."""
    if f.kind != "retry" or f.detector != "go.retry" or f.attributes.get("library") != "cenkalti/backoff":
        return False
    call = next((c for c in gf.calls if c.line == f.line and c.package == "backoff" and c.name == "Retry"
                 and len(c.args) == 2), None)
    if call is None:
        return False
    policy = inner_expression(call.args[1])
    if policy.type != "identifier":
        return False
    fns = gf.enclosing_functions(call.node)
    outer = fns[-1] if fns else None
    if outer is None or outer.type not in ("function_declaration", "method_declaration"):
        return False
    if any(fn.type == "func_literal" and node_text(policy) in dict(_params(fn)) for fn in fns):
        return False
    return dict(_params(outer)).get(node_text(policy), "").endswith("backoff.BackOff")


def adjust(gf: GoFile, findings: list[Finding]) -> list[Finding]:
    """Drops the loops that forward an options struct's bound and the retries of a handed-in policy."""
    if b"backoff" not in gf.data and b"struct" not in gf.data and b"2" not in gf.data and b"Server" not in gf.data \
            and b"continue" not in gf.data:
        return findings
    drop = {id(f) for f, type_name, field, _ in _options_loops(gf, findings)
            if not _defaulted_here(gf, type_name, field)}
    drop |= {id(f) for f in findings if _handed_policy(gf, f) or _bisection(gf, f) or _server_stream_deadline(gf, f)
             or _paginates(gf, f)}
    return [f for f in findings if id(f) not in drop] if drop else findings


# --- split-and-resend: a bisection, not a retry ---------------------------------------------------

_HALF = re.compile(r"/\s*2\b|>>\s*1\b")


def _bisection(gf: GoFile, f: Finding) -> bool:
    """`middle := (left + right) / 2; p.sendSplit(left, middle, ...); p.sendSplit(middle, right, ...)`
    after a 413: a function that calls itself on each half of what it was handed sends smaller parts
    (file.d's split batch), it does not try the same call again."""
    if f.kind != "retry" or f.detector != "go.retry" or f.attributes.get("mechanism") != "recursion":
        return False
    call = next((c for c in gf.calls if c.line == f.line), None)
    fns = gf.enclosing_functions(call.node) if call is not None else []
    fn = fns[0] if fns else None
    if fn is None or fn.type not in ("function_declaration", "method_declaration"):
        return False
    name = node_text(fn.child_by_field_name("name"))
    selves = [c for c in gf.calls if c.name == name and gf.enclosing_functions(c.node)[:1] == [fn]]
    if len(selves) < 2:
        return False
    for arg in call.args:
        node = inner_expression(arg)
        text = node_text(node)
        if _HALF.search(text):
            return True
        names = re.findall(r"\b[A-Za-z_]\w*\b", text)
        for n in names:
            bound = gf.lookup_local(n, call.node)
            if isinstance(bound, ts.Node) and _HALF.search(node_text(bound)):
                return True
    return False


# --- a server-side stream's own deadline ----------------------------------------------------------

# `stream *connect.ServerStream[T]`, `server syncv1grpc.FlagSyncService_SyncFlagsServer`, `grpc.ServerStream`
_SERVER_STREAM = re.compile(r"\bServerStream\b|\w+_\w+Server$")


def _server_stream_deadline(gf: GoFile, f: Finding) -> bool:
    """`if s.deadline != 0 { ctx, cancel := context.WithDeadline(ctx, time.Now().Add(s.deadline)) }` in a
    streaming handler (a parameter of a server stream type): the lifetime the server gives its own
    inbound stream (flagd's sync and event streams), no bound of a call it makes."""
    if f.kind != "timeout" or f.detector != "go.context_timeout":
        return False
    call = next((c for c in gf.calls if c.line == f.line and c.package == "context"
                 and c.name in ("WithDeadline", "WithTimeout")), None)
    if call is None:
        return False
    fns = gf.enclosing_functions(call.node)
    outer = fns[-1] if fns else None
    if outer is None or outer.type != "method_declaration" and outer.type != "function_declaration":
        return False
    return any(_SERVER_STREAM.search(t) for _, t in _params(outer))


# --- a pagination loop: `continue` only when there are more pages ------------------------------------

_PAGING = re.compile(r"(?i)has_?more|more_?pages?|next_?(?:page|token|cursor|link)|\bcursor\b|is_?truncated")


def _paginates(gf: GoFile, f: Finding) -> bool:
    """`for { ...; page, hasMore, err = list(...); if err != nil { return err }; if hasMore { continue }; ... }`
    (formance's Stripe GetPayments, with a timer that ends the scan early): the loop goes round again
    for the next page, never after a failed call: a pagination, not a retry."""
    if f.kind != "retry" or f.detector != "go.retry" or f.attributes.get("mechanism") != "loop" \
            or f.attributes.get("max_attempts") is not None:
        return False
    loop = next((n for n in gf.loops if n.start_point[0] + 1 == f.line), None)
    body = loop.child_by_field_name("body") if loop is not None else None
    if body is None:
        return False
    continues = []
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type in ("for_statement", "func_literal"):
            continue
        if node.type == "continue_statement":
            continues.append(node)
        stack.extend(node.named_children)
    if not continues:
        return False
    for node in continues:
        holder = node.parent
        while holder is not None and holder.type != "if_statement" and holder.id != body.id:
            holder = holder.parent
        condition = holder.child_by_field_name("condition") if holder is not None and holder.type == "if_statement" \
            else None
        if condition is None or not _PAGING.search(node_text(condition)):
            return False
    return True


# --- a goroutine that waits, tries again and re-arms itself -------------------------------------------

_WAITS = re.compile(r"<-\s*[\w.]+\.After\(|time\.Sleep\(|<-\s*[\w.]+\.C\b|<-\s*time\.After\(")


def detect(gf: GoFile) -> list:
    """nats-kafka's `ensureReconnectTimer()`: `go func() { <-timer.After(interval); ...; if err :=
    server.connectToSTAN(); err != nil { server.reconnectTimer = nil; server.ensureReconnectTimer();
    return }; for id, c := range server.reconnect { if c.Start() == nil { delete(server.reconnect, id) } };
    if len(server.reconnect) > 0 { server.ensureReconnectTimer() } }()`: the method arms a timer whose
    goroutine starts the failed work again and, when it failed again (an error, or what failed still
    left in the collection it deletes from on success), calls the method once more: a retry without a
    bound (null), at each such call. A re-arm under any other condition (a status check, a poll of
    another component) is a wait, not a retry."""
    from extractors.go.gofile import Draft
    drafts = _pending_retries(gf)
    for fn in gf.root.named_children if b"go func" in gf.data else ():
        if fn.type != "method_declaration":
            continue
        receiver = _receiver(fn)
        name_node = fn.child_by_field_name("name")
        body = fn.child_by_field_name("body")
        if receiver is None or name_node is None or body is None:
            continue
        name = node_text(name_node)
        for go in (n for n in ts.walk(body) if n.type == "go_statement"):
            literal = next((n for n in ts.walk(go) if n.type == "func_literal"), None)
            inner = literal.child_by_field_name("body") if literal is not None else None
            if inner is None or not _WAITS.search(node_text(inner)):
                continue
            text = node_text(inner)
            for call in gf.calls_within(inner.start_byte, inner.end_byte):
                if call.name != name or call.receiver is None or node_text(call.receiver) != receiver[0] or call.args:
                    continue
                if gf.enclosing_functions(call.node)[:1] != [literal]:
                    continue  # a deferred `func() { if err := recover(); err != nil {...} }()`: a restart after a panic
                holder = call.node.parent
                while holder is not None and holder.type != "if_statement" and holder.id != inner.id:
                    holder = holder.parent
                condition = holder.child_by_field_name("condition") if holder is not None and \
                    holder.type == "if_statement" else None
                if condition is None:
                    continue
                cond = node_text(condition)
                left = re.fullmatch(r"\s*len\(([\w.]+)\)\s*>\s*0\s*", cond)
                if not (re.search(r"\berr\w*\s*!=\s*nil\b", cond) or
                        left is not None and re.search(rf"\bdelete\(\s*{re.escape(left.group(1))}\s*,", text)):
                    continue
                drafts.append(Draft(gf.finding("retry", call.node, "go.retry",
                                               {"max_attempts": None, "backoff": "fixed", "retry_on": "error",
                                                "mechanism": "recursion", "library": None,
                                                "expression": "re-armed until the work succeeds"},
                                               confidence="medium"),
                                    link=("scope", inner.start_byte, inner.end_byte), linkable=True))
    return drafts


def _pending_retries(gf: GoFile) -> list:
    """file.d's checkPendingHosts: `for { select { case <-p.ctx.Done(): return; case <-ticker.C: for addr
    := range p.pendingHosts { pool, err := p.createConnection(addr); if err != nil { continue }; ...;
    delete(p.pendingHosts, addr) } } }`: each tick tries again what failed before (what the loop has
    not deleted yet), without a bound: null, at the `for`. A tick that drops entries on a time
    check (a ban expiring) retries nothing."""
    from extractors.go.gofile import Draft
    if b"delete(" not in gf.data or b".C" not in gf.data:
        return []
    drafts = []
    for loop in gf.loops:
        body = loop.child_by_field_name("body")
        if body is None or any(c.type in ("for_clause", "range_clause") or c.type.endswith("expression")
                               for c in loop.named_children if c.id != body.id):
            continue  # `for {` only
        text = node_text(body)
        if not re.search(r"<-\s*[\w.]+\.C\b", text):
            continue
        for inner in (n for n in ts.walk(body) if n.type == "for_statement" and n.id != loop.id):
            clause = next((c for c in inner.named_children if c.type == "range_clause"), None)
            ranged = node_text(clause.child_by_field_name("right")) if clause is not None else ""
            inner_body = inner.child_by_field_name("body")
            if not ranged or inner_body is None:
                continue
            inner_text = node_text(inner_body)
            if not re.search(rf"\bdelete\(\s*{re.escape(ranged)}\s*,", inner_text) or \
                    not re.search(r"if\s+err\w*\s*!=\s*nil\s*\{[^{}]*\bcontinue\b", inner_text):
                continue
            drafts.append(Draft(gf.finding("retry", loop, "go.retry",
                                           {"max_attempts": None, "backoff": "fixed", "retry_on": "error",
                                            "mechanism": "loop", "library": None,
                                            "expression": f"each tick, what is left in {ranged}"},
                                           confidence="medium"),
                                link=("scope", inner_body.start_byte, inner_body.end_byte), linkable=True))
            break
    return drafts
