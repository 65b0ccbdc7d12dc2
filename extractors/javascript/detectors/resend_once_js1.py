"""(round 20, js1) A request sent once more when its first answer failed.

What it does: `let res = await fetchSafe(imgUrl, { maxRedirects }); if (!res.ok) { res = await
fetchSafe(imgUrl, { headers: { Authorization }, maxRedirects }) }` (WeKan's Trello avatar download: anonymous
first, with OAuth after a failure): the same function called again on the same first argument, assigned to
the same variable, in a branch that tests the first answer (`!res`, `!res.ok`, `res.status === 401`,
`res.statusCode !== 200`): a ``retry`` of 2 tries on the repeated call (the sets' convention for a
re-authenticate-and-send-again).

Never: a second call on another argument (`find(email)` then `find(email.toLowerCase())`: another
question), a call of another function, a branch that tests something else, a second call that is not
assigned back to the variable, a line that already carries a retry.

Why it matters: the failing dependency is asked twice, and the caller waits for both answers.

Example::

    let res = await fetch(url); if (!res.ok) { res = await fetch(url, { headers: auth }) }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, RetryScope, js_detector, unwrap

ID = "javascript.resend_once"


def _call_of(value: ts.Node | None) -> ts.Node | None:
    value = unwrap(value)
    if value is not None and value.type == "await_expression" and value.named_children:
        value = unwrap(value.named_children[0])
    return value if value is not None and value.type == "call_expression" else None


def _signature(call: ts.Node) -> tuple[str, str] | None:
    fn = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    first = next(iter(args.named_children), None) if args is not None else None
    if fn is None or first is None:
        return None
    return re.sub(r"\s+", "", ts.text(fn)), re.sub(r"\s+", "", ts.text(first))


_REQUESTISH = re.compile(r"fetch|request|axios|got|http|download|(^|\.)(get|post|put|patch|send)$", re.I)


def _tests_answer(condition: ts.Node, name: str, callee: str) -> bool:
    """The branch tests the first answer as an HTTP response (`!res.ok`, `res.status === 401`), or as
    missing (`!res`) when the call is a request (not a lookup: `if (!user) user = await users.findOne(q)`
    after creating it is another question)."""
    text = re.sub(r"\s+", "", ts.text(condition))
    n = re.escape(name)
    if re.search(r"!" + n + r"\.ok(?![\w$])|" + n + r"\.(status|statusCode)(!==?|===?|>=?|<)\d{3}|"
                 + n + r"\.ok(===?|!==?)(false|true)", text):
        return True
    return re.search(r"!" + n + r"(?![\w$.])", text) is not None and _REQUESTISH.search(callee) is not None


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.named_children))


@js_detector(ID, ["retry"],
             valid=["let user = await find(email);\nif (!user) { user = await find(email.toLowerCase()) }",
                    "let user = await users.findOneAsync(q);\nif (!user) { await create(q); user = await users.findOneAsync(q) }",
                    "let res = await fetch(url);\nif (!res.ok) { other = await fetch(url) }",
                    "let res = await fetch(url);\nif (done) { res = await fetch(url) }"],
             invalid=["let res = await fetchSafe(imgUrl, { maxRedirects: 3 });\nif (!res.ok) {\n"
                      "  res = await fetchSafe(imgUrl, { headers: { Authorization: auth } });\n}"])
def detect(ctx: FileContext) -> None:
    if b"if" not in ctx.data:
        return
    reported = {f.line for f in ctx.findings if f.kind == "retry"}
    for decl in (n for n in _walk(ctx.tree.root_node) if n.type == "variable_declarator"):
        try:
            name_node = decl.child_by_field_name("name")
            first = _call_of(decl.child_by_field_name("value"))
            if name_node is None or name_node.type != "identifier" or first is None:
                continue
            sig = _signature(first)
            statement = decl.parent
            block = statement.parent if statement is not None else None
            if sig is None or block is None:
                continue
            name = ts.text(name_node)
            siblings = block.named_children
            idx = next((i for i, s in enumerate(siblings) if s == statement), None)
            if idx is None:
                continue
            for stmt in siblings[idx + 1: idx + 3]:
                if stmt.type != "if_statement":
                    continue
                condition, consequence = stmt.child_by_field_name("condition"), stmt.child_by_field_name("consequence")
                if condition is None or consequence is None or not _tests_answer(condition, name, sig[0]):
                    continue
                for node in _walk(consequence):
                    if node.type != "assignment_expression":
                        continue
                    left = node.child_by_field_name("left")
                    again = _call_of(node.child_by_field_name("right"))
                    if left is None or ts.text(left) != name or again is None or _signature(again) != sig:
                        continue
                    line = again.start_point[0] + 1
                    if line in reported:
                        continue
                    attrs = {"max_attempts": 2.0, "backoff": "none", "retry_on": None, "mechanism": "resend",
                             "library": None}
                    found = ctx.finding("retry", again, ID, attrs, "medium")
                    ctx.retry_scopes.append(RetryScope(consequence, found.line, None, ()))
                    reported.add(found.line)
        except Exception:  # an odd declaration costs only this finding
            continue
