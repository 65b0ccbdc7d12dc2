"""(round 20, js1) Retries that re-run an operation by scheduling it again, without a counter.

What it does: two callback-era shapes of "try it again later" (zenbot's and gekko's exchange wrappers,
zenbot's backfill), each a ``retry`` without a bound we can count (``max_attempts`` null):

- a retry helper that re-runs a method picked by name: a function named for a retry whose parameter is
  the method's name, and whose timer (``setTimeout``, ``setImmediate``, ``process.nextTick``) calls
  ``obj[method].apply(obj, args)`` / ``.call(...)`` / ``obj[method](...args)``: reported on that re-call
  (the helper's many callers carry no bound of their own)::

      function retry (method, args) {
        setTimeout(function () { exchange[method].apply(exchange, args) }, 10000)   // here, null
      }

- a function that schedules itself again from its own error path: inside function ``f``, in a ``catch``
  clause, a ``.catch(...)`` callback or an ``if (err ...)`` branch, a timer handed ``f`` itself
  (``setImmediate(getNext)``, ``setTimeout(runTasks, 10000, trades)``, ``setTimeout(() => f(x), ms)``),
  when ``f`` makes an outbound call (a call on another object: an exchange, a client, a collection)::

      function getNext () {
        exchange.getTrades(opts, function (err, trades) {
          if (err) { if (err.code === 'ETIMEDOUT') return setImmediate(getNext) }   // here, null
          ...

Never: a timer handing on another function, the same self-call also made outside an error path (a poll
loop that runs again whatever happened), a branch guarded by an attempt counter (callback_retry and
counted_recursion count those), a method picked by a name that is not a parameter of a retry-named
function, a line that already carries a retry.

Why it matters: each re-run is another request to the service; without a bound, a dependency that stays
down is called forever.

Example::

    function retry (method, args) { setTimeout(() => exchange[method].apply(exchange, args), 10000) }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, RetryScope, js_detector, unwrap

ID = "javascript.rerun_retry"
_SCHEDULERS = {"setTimeout", "setImmediate", "process.nextTick", "global.setTimeout", "Meteor.setTimeout"}
_RETRY_NAME = re.compile(r"retr(y|ies)|again", re.I)
_ERRORISH = re.compile(r"^(err|error|e|ex|exc|er|error_?\w*|\w*Err(or)?)$")
_COUNTISH = re.compile(r"retr|attempt|tries|count", re.I)


def _fn_name(fn: ts.Node) -> str | None:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type in ("variable_declarator", "pair", "assignment_expression"):
        name = parent.child_by_field_name("name") or parent.child_by_field_name("key") or \
            parent.child_by_field_name("left")
        if name is not None and name.type in ("identifier", "property_identifier"):
            return ts.text(name)
    return None


def _params(fn: ts.Node) -> list[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [ts.text(params)]
    out = []
    for p in params.named_children:
        if p.type in ("required_parameter", "optional_parameter"):  # TypeScript
            p = p.child_by_field_name("pattern")
        p = p.child_by_field_name("left") if p is not None and p.type == "assignment_pattern" else p
        if p is not None and p.type == "identifier":
            out.append(ts.text(p))
    return out


def _timer_callback(call) -> ts.Node | None:
    arg = unwrap(call.arg(0))
    return arg if arg is not None and arg.type in ("arrow_function", "function_expression", "function") else None


def _dispatch_recalls(fn: ts.Node, params: list[str]):
    """`obj[method].apply(...)` / `.call(...)` / `obj[method](...)` calls with `method` a parameter."""
    for node in _walk(fn):
        if node.type != "call_expression":
            continue
        callee = unwrap(node.child_by_field_name("function"))
        if callee is None:
            continue
        target = callee
        if callee.type == "member_expression" and ts.text(callee.child_by_field_name("property")) in ("apply", "call"):
            target = unwrap(callee.child_by_field_name("object"))
        if target is not None and target.type == "subscript_expression":
            index = unwrap(target.child_by_field_name("index"))
            if index is not None and index.type == "identifier" and ts.text(index) in params:
                yield node


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.named_children))


def _functions(ctx: FileContext) -> list[ts.Node]:
    return [n for n in _walk(ctx.tree.root_node) if n.type in FUNCTION_TYPES]


def _inside(node: ts.Node, container: ts.Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _dispatch_helpers(ctx: FileContext, reported: set[int]) -> None:
    for fn in _functions(ctx):
        name = _fn_name(fn)
        if not name or not _RETRY_NAME.search(name):
            continue
        params = _params(fn)
        if not params:
            continue
        for call in ctx.calls_in(fn):
            if call.callee not in _SCHEDULERS:
                continue
            body = _timer_callback(call)
            if body is None:
                continue
            for recall in _dispatch_recalls(body, params):
                line = recall.start_point[0] + 1
                if line in reported or _counted(fn):
                    continue
                attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "rescheduled",
                         "library": None}
                found = ctx.finding("retry", recall, ID, attrs, "medium")
                ctx.retry_scopes.append(RetryScope(fn, found.line, None, ()))
                reported.add(found.line)


def _counted(fn: ts.Node) -> bool:
    """A guard `x < bound` with a counter named for tries in the function: counted elsewhere."""
    text = ts.text(fn)
    return re.search(r"\b\w*(retr|attempt|tries)\w*\s*(<|<=|>=|>)\s*[\w$.]+", text, re.I) is not None


def _counter_guarded(node: ts.Node, fn: ts.Node) -> bool:
    """An `if` around ``node`` (within ``fn``) compares a counter named for tries with a bound."""
    for parent in ts.ancestors(node):
        if parent == fn:
            return False
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and re.search(r"\w*(retr|attempt|tries|count)\w*\s*(<|<=|>=|>)",
                                                   ts.text(condition), re.I):
                return True
    return False


def _error_path(node: ts.Node, fn: ts.Node) -> bool:
    """``node`` sits in a catch clause, a `.catch(...)` callback or an `if (err ...)` branch within ``fn``."""
    for parent in ts.ancestors(node):
        if parent == fn:
            return False
        if parent.type == "catch_clause":
            return True
        if parent.type in ("arrow_function", "function_expression", "function"):
            call = parent.parent.parent if parent.parent is not None else None
            if call is not None and call.type == "call_expression":
                callee = unwrap(call.child_by_field_name("function"))
                if callee is not None and callee.type == "member_expression" and \
                        ts.text(callee.child_by_field_name("property")) == "catch":
                    return True
        if parent.type == "if_statement":
            consequence = parent.child_by_field_name("consequence")
            condition = parent.child_by_field_name("condition")
            if consequence is None or condition is None or not _inside(node, consequence):
                continue
            idents = [ts.text(n) for n in _walk(condition) if n.type == "identifier"]
            if idents and _ERRORISH.match(idents[0]):
                return True
    return False


def _hands_itself(call, name: str) -> bool:
    arg = unwrap(call.arg(0))
    if arg is None:
        return False
    if arg.type == "identifier":
        return ts.text(arg) == name
    if arg.type == "call_expression" and re.match(re.escape(name) + r"\.bind\(", ts.text(arg)):
        return True
    if arg.type == "arrow_function":
        body = unwrap(arg.child_by_field_name("body"))
        if body is not None and body.type == "call_expression" and \
                ts.text(body.child_by_field_name("function")) == name:
            return True
        if body is not None and body.type == "statement_block" and len(body.named_children) == 1:
            stmt = body.named_children[0]
            inner = unwrap(stmt.named_children[0]) if stmt.type == "expression_statement" and stmt.named_children else None
            return inner is not None and inner.type == "call_expression" and \
                ts.text(inner.child_by_field_name("function")) == name
    return False


def _outbound(ctx: FileContext, fn: ts.Node, name: str) -> bool:
    """``fn`` calls a method of another object (a client, an exchange, a collection), not only itself."""
    for call in ctx.calls_in(fn):
        head, _, rest = call.callee.partition(".")
        if rest and head not in ("console", "Math", "JSON", "Object", "Array", "Promise", "process", "logger", "log",
                                 "_", "moment", "Date", "Number", "String", "Buffer", "path", "fs", "util") \
                and call.callee not in _SCHEDULERS:
            return True
    return False


def _self_reruns(ctx: FileContext, reported: set[int]) -> None:
    for fn in _functions(ctx):
        if fn.type in ("arrow_function", "method_definition"):
            continue
        name = _fn_name(fn)
        if not name:
            continue
        schedules = [c for c in ctx.calls_in(fn) if c.callee in _SCHEDULERS and _hands_itself(c, name)]
        if not schedules:
            continue
        # the enclosing function of each schedule must be fn itself or a callback inside it (not another
        # named function declared within)
        on_error = [c for c in schedules if _error_path(c.node, fn) and not _counter_guarded(c.node, fn)]
        others = [c for c in schedules if not _error_path(c.node, fn) and not _counter_guarded(c.node, fn)]
        if not on_error or others or not _outbound(ctx, fn, name):
            continue  # nothing on an error path, or a poll that runs again whatever happened
        for call in on_error:
            line = call.node.start_point[0] + 1
            if line in reported:
                continue
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "rescheduled",
                     "library": None}
            found = ctx.finding("retry", call.node, ID, attrs, "medium")
            ctx.retry_scopes.append(RetryScope(fn, found.line, None, ()))
            reported.add(found.line)


@js_detector(ID, ["retry"],
             valid=["function poll() { client.get(u, function (err) { setTimeout(poll, 5000) }) }",
                    "function retry(method, args) { setTimeout(function () { other.run(args) }, 1000) }",
                    "function run(cb) { client.get(u, function (err) { if (err && attempts < 3) { attempts++; "
                    "setTimeout(run, 100) } }) }"],
             invalid=["function retry(method, args) {\n  setTimeout(function () {\n    exchange[method].apply(exchange, args)\n"
                      "  }, 10000)\n}",
                      "function getNext() {\n  exchange.getTrades(opts, function (err, trades) {\n"
                      "    if (err) { return setImmediate(getNext) }\n    save(trades)\n  })\n}"])
def detect(ctx: FileContext) -> None:
    data = ctx.data
    if not any(w in data for w in (b"setTimeout", b"setImmediate", b"nextTick")):
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    try:
        if b"apply(" in data or b".call(" in data or b"](" in data:
            _dispatch_helpers(ctx, reported)
    except Exception:  # an odd function costs only this finding
        pass
    try:
        _self_reruns(ctx, reported)
    except Exception:
        pass
