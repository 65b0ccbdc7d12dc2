"""(round 20, js1) The total-time budget of a retry loop: an elapsed-time check that gives up.

What it does: in a loop a retry detector reported (`for (let attempt = 1; ; attempt += 1) { try { return await
write() } catch (error) { const outOfTime = Date.now() - startedAt + delay >= MAX_TOTAL_MS; if (outOfAttempts
|| outOfTime) throw error; await sleep(delay) } }`, WeKan's busy-write retry), a comparison of the time
elapsed since a start taken before the loop (`Date.now() - startedAt`, also with the next wait added) with a
bound, written in an `if` that throws, returns or breaks (directly, or through a variable the `if` tests): a
``timeout`` of that bound (the whole retrying call's), on the comparison's line (a deadline loop is labelled
at its check).

Never: a check outside a reported retry loop (a poll's schedule, a rate limiter), an elapsed time only
logged, a comparison with no start taken before the loop, a line some detector already reported.

Why it matters: the caller waits at most that long for all the tries together, whatever the count says.

Example::

    for (let attempt = 1; ; attempt++) { try { return await op() } catch (e) { if (Date.now() - start >= 2000) throw e } }
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, js_detector, unwrap

ID = "javascript.retry_budget"
_LOOPS = ("for_statement", "while_statement", "do_statement", "for_in_statement")
_ELAPSED = re.compile(r"^(Date\.now\(\)|performance\.now\(\)|new Date\(\)\.getTime\(\))\s*-\s*([\w$.]+)")


def _walk(node: ts.Node):
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.named_children))


def _gives_up(branch: ts.Node | None) -> bool:
    if branch is None:
        return False
    if branch.type in ("throw_statement", "return_statement", "break_statement"):
        return True
    return any(n.type in ("throw_statement", "return_statement", "break_statement") for n in _walk(branch))


def _elapsed_bound(cmp: ts.Node) -> tuple[str, ts.Node] | None:
    """(start variable, bound node) of `Date.now() - start [+ x] >= bound` / `bound <= Date.now() - start`."""
    if cmp.type != "binary_expression":
        return None
    op = ts.text(cmp.child_by_field_name("operator"))
    left, right = unwrap(cmp.child_by_field_name("left")), unwrap(cmp.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if op in ("<", "<="):
        op, left, right = (">" if op == "<" else ">="), right, left
    if op not in (">", ">="):
        return None
    m = _ELAPSED.match(re.sub(r"\s+", " ", ts.text(left)))
    if not m:
        return None
    return m.group(2), right


@js_detector(ID, ["timeout"],
             valid=["while (true) { if (Date.now() - start > 5000) { log('slow') } await poll() }",
                    "const t = Date.now() - start >= 2000;"],
             invalid=["async function write() {\n  const startedAt = Date.now();\n  for (let attempt = 1; ; attempt += 1) {\n"
                      "    try {\n      return await original();\n    } catch (error) {\n"
                      "      if (attempt >= 5 || Date.now() - startedAt >= 2000) throw error;\n    }\n  }\n}"])
def detect(ctx: FileContext) -> None:
    if b".now()" not in ctx.data and b"getTime()" not in ctx.data:
        return
    retry_lines = {f.line for f in ctx.findings if f.kind == "retry"}
    taken = {(f.line, f.kind) for f in ctx.findings}
    for loop in (n for n in _walk(ctx.tree.root_node) if n.type in _LOOPS):
        try:
            if loop.start_point[0] + 1 not in retry_lines:
                continue
            body = loop.child_by_field_name("body")
            if body is None:
                continue
            flags: dict[str, tuple[ts.Node, str, ts.Node]] = {}
            for node in _walk(body):
                if node.type == "variable_declarator":
                    value = unwrap(node.child_by_field_name("value"))
                    found = _elapsed_bound(value) if value is not None else None
                    name = node.child_by_field_name("name")
                    if found is not None and name is not None and name.type == "identifier":
                        flags[ts.text(name)] = (value, *found)
            for node in _walk(body):
                if node.type != "if_statement" or not _gives_up(node.child_by_field_name("consequence")):
                    continue
                condition = node.child_by_field_name("condition")
                hits = [(n, *_elapsed_bound(n)) for n in _walk(condition) if _elapsed_bound(n) is not None]
                hits += [flags[ts.text(n)] for n in _walk(condition) if n.type == "identifier" and ts.text(n) in flags]
                for cmp, start, bound in hits:
                    if loop.start_byte <= _declared_at(ctx, start, loop):
                        continue  # the start is taken inside the loop: each try's own, not the total
                    line = cmp.start_point[0] + 1
                    if (line, "timeout") in taken:
                        continue
                    attrs, confidence, pending = ctx.timeout_value(bound)
                    attrs["phase"], attrs["scope"], attrs["mechanism"] = "total", "call", "retry_budget"
                    ctx.finding("timeout", cmp, ID, attrs, confidence, None, pending)
                    taken.add((line, "timeout"))
        except Exception:  # an odd loop costs only this finding
            continue


def _declared_at(ctx: FileContext, name: str, loop: ts.Node) -> int:
    """The byte where `name` gets its value before the loop (a large number when not found there)."""
    for parent in ts.ancestors(loop):
        for node in _walk(parent):
            if node.start_byte >= loop.start_byte:
                break
            if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name:
                return node.start_byte
    return 1 << 62
