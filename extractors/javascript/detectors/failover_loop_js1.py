"""(round 20, js1) A failover loop: one request tried on each endpoint of a list until one answers.

What it does: `for (let count = 0; count < this.urls.length; count++) { const url = this.urls[(start +
count) % n]; try { const result = await send(url, payload); return [result, index] } catch (e) {
errors.push(e) } }` (the TokenBridge oracle's JSON-RPC provider), also `for (const url of urls) { try {
return await fetchFrom(url) } catch (err) { last = err } }`: a ``retry`` on the loop (round 19's
convention: a failover loop is a retry), with as many tries as the list has entries (an array literal's
length, else null).

Never: a loop over anything but endpoints (by the element's or the list's name: urls, hosts, servers,
nodes, providers, nameservers...; phases, rooms, fetchers or folders tried in turn are searches), a loop whose try does not return the awaited answer (it processes every entry: an iteration), a
catch that throws or returns (the first failure ends the loop), a try with no awaited call or request (local
parsing), a loop some detector already reported.

Why it matters: every endpoint that fails before one answers adds its own wait to the caller's.

Example::

    for (const url of this.urls) { try { return await send(url, payload) } catch (e) { errors.push(e) } }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, RetryScope, js_detector, unwrap

ID = "javascript.failover_loop"
_REQUESTISH = re.compile(r"(^|\.)(send\w*|request\w*|fetch\w*|get|post|put|call|invoke|query|execute|connect|"
                         r"try\w*)$", re.I)


_LOCAL = re.compile(r"^(fs|fsp|fse|fsPromises|fs\.promises|path|os|zlib|crypto|child_process|execa|exec\w*|spawn\w*|"
                    r"JSON|Math|sharp|import)(\.|$)")


def _walk(node: ts.Node, stop_at_functions: bool = True):
    stack = list(reversed(node.named_children))
    while stack:
        cur = stack.pop()
        yield cur
        if stop_at_functions and cur.type in ("function_declaration", "function_expression", "arrow_function",
                                              "function", "method_definition"):
            continue
        stack.extend(reversed(cur.named_children))


def _list_bound(loop: ts.Node) -> ts.Node | None:
    """The list a loop walks: `i < LIST.length` (for) or `for (const x of LIST)`."""
    if loop.type == "for_statement":
        condition = loop.child_by_field_name("condition")
        text = ts.text(condition) if condition is not None else ""
        m = re.search(r"<\s*([\w$.]+)\.length\b", text)
        if not m:
            return None
        return next((n for n in _walk(condition, False) if n.type == "member_expression"
                     and ts.text(n) == m.group(1) + ".length"), None)
    if loop.type == "for_in_statement" and any(c.type == "of" for c in loop.children):
        return loop.child_by_field_name("right")
    return None


# What a failover walks: endpoints (round 20, lead: loops over phases, rooms, fetchers or local folders that
# return the first answer are searches, not failovers: coral-talk, matrix-appservice-discord, passport, cross-seed).
_ENDPOINT = re.compile(r"(url|uri|host|server|endpoint|node|peer|provider|rpc|gateway|address|addr|ns|nameserver|"
                       r"mirror|registry|replica|broker|origin|domain|upstream|backend|target|api|base)s?$", re.I)


def _element_names(loop: ts.Node, bound: ts.Node) -> list[str]:
    """The names of what the loop walks: the `for (const x of LIST)` element and LIST, or for an index loop
    LIST and an element taken from it in the body (`const url = this.urls[index]`)."""
    names = []
    listed = unwrap(bound.child_by_field_name("object")) if bound.type == "member_expression" else unwrap(bound)
    if listed is not None:
        names.append(ts.text(listed).replace("?.", ".").split(".")[-1])  # `this.urls`, `config.REPLICATION.SERVERS`
    if loop.type == "for_in_statement":
        left = loop.child_by_field_name("left")
        if left is not None:
            names.append(ts.text(left).split()[-1])
    else:
        body = loop.child_by_field_name("body")
        listed_text = ts.text(listed) if listed is not None else None
        for stmt in (body.named_children if body is not None and body.type == "statement_block" else []):
            if stmt.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for decl in stmt.named_children:
                value = unwrap(decl.child_by_field_name("value")) if decl.type == "variable_declarator" else None
                if value is not None and value.type == "subscript_expression" and \
                        ts.text(value.child_by_field_name("object")) == listed_text:
                    names.append(ts.text(decl.child_by_field_name("name")))
    return [n for n in names if n]


def _walks_endpoints(loop: ts.Node, bound: ts.Node) -> bool:
    return any(_ENDPOINT.search(name) for name in _element_names(loop, bound))


def _param_names(loop: ts.Node) -> set[str]:
    fn = next((p for p in ts.ancestors(loop) if p.type in ("function_declaration", "function_expression",
                                                            "arrow_function", "function", "method_definition")), None)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    return {ts.text(n) for n in _walk(params, False) if n.type == "identifier"} if params is not None else set()


def _answers_first(try_block: ts.Node, params: set[str]) -> bool:
    """The try returns an awaited call's answer (or a variable assigned from one); the call is not a
    parameter of the function (`tryEach(array, f)`: a generic helper, the operation is its caller's)."""
    awaited = False
    for node in _walk(try_block):
        if node.type == "await_expression":
            inner = unwrap(node.named_children[0]) if node.named_children else None
            if inner is not None and inner.type == "call_expression":
                callee = unwrap(inner.child_by_field_name("function"))
                if callee is not None and callee.type == "identifier" and ts.text(callee) in params:
                    return False
                if callee is not None and _LOCAL.match(ts.text(callee)):
                    continue  # `await fs.readFile(fullPath)`: a local file, not an endpoint
                awaited = True
        elif node.type == "call_expression":
            fn = unwrap(node.child_by_field_name("function"))
            if fn is not None and _REQUESTISH.search(ts.text(fn)) and not ts.text(fn).startswith(("JSON.", "Math.")):
                awaited = True
    returns = [n for n in _walk(try_block) if n.type == "return_statement" and n.named_children]
    return awaited and bool(returns)


def _catch_continues(handler: ts.Node) -> bool:
    body = handler.child_by_field_name("body")
    if body is None:
        return True
    for stmt in body.named_children:
        if stmt.type in ("throw_statement", "return_statement"):
            return False
    return True


@js_detector(ID, ["retry"],
             valid=["for (const item of items) { try { await save(item) } catch (e) { log(e) } }",
                    "async function tryEach(array, f) { for (const x of array) { try { return await f(x) } catch (e) { } } }",
                    "for (const dir of DIRS) { try { return (await fs.readFile(dir)).toString() } catch (e) { } }",
                    "for (const s of sources) { try { return JSON.parse(s) } catch (e) { } }",
                    "for (const url of urls) { try { return await fetch(url) } catch (e) { throw e } }"],
             invalid=["async function send(urls, p) {\n  for (const url of urls) {\n    try {\n"
                      "      return await post(url, p)\n    } catch (e) {\n      errors.push(e)\n    }\n  }\n}"])
def detect(ctx: FileContext) -> None:
    if b"try" not in ctx.data or b"catch" not in ctx.data:
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for loop in (n for n in _walk(ctx.tree.root_node, False) if n.type in ("for_statement", "for_in_statement")):
        try:
            line = loop.start_point[0] + 1
            if line in reported:
                continue
            bound = _list_bound(loop)
            body = loop.child_by_field_name("body")
            if bound is None or body is None:
                continue
            if not _walks_endpoints(loop, bound):
                continue
            tries = [n for n in (body.named_children if body.type == "statement_block" else [body])
                     if n.type == "try_statement"]
            if len(tries) != 1:
                continue
            block, handler = tries[0].child_by_field_name("body"), tries[0].child_by_field_name("handler")
            if block is None or handler is None or not _answers_first(block, _param_names(loop)) or not _catch_continues(handler):
                continue
            listed = unwrap(bound.child_by_field_name("object")) if bound.type == "member_expression" else unwrap(bound)
            if listed is not None and listed.type == "identifier":
                listed = unwrap(ctx.local_value(ts.text(listed), loop)) or listed
            attempts = float(len(listed.named_children)) if listed is not None and listed.type == "array" else None
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "failover",
                     "library": None}
            found = ctx.finding("retry", loop, ID, attrs, "medium")
            ctx.retry_scopes.append(RetryScope(block, found.line, None, ()))
            reported.add(found.line)
        except Exception:  # an odd loop costs only this finding
            continue
