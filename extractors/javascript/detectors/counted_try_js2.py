"""(round 19, js2) A counted loop around one try that leaves the loop once its awaited call went through.

Firecrawl's `for (let i = 0; i < 3; i++) { try { await blob.save(doc); break } catch (error) { if (i === 2)
throw error; else logger.error("Error saving index document to GCS, retrying") } }` and `while (i++ <= 10) {
try { const { error } = await supabase.from(t).insert(row); if (error) { log; await sleep(75) } else { done =
true; break } } catch (error) { log; await sleep(75) } }`: the counter is called `i`, nothing in the header
says retry, but the loop holds one try whose block breaks (or returns) after an awaited call and whose catch
goes round again (or gives up only once the counter reached its last value): the call is tried up to the
bound. Not a loop walking items (`items[i]`, checked by the caller), nor a poll that waits before its call."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FileContext, unwrap

_HEADER = re.compile(r"^\s*\(?\s*(?:\+\+|--)?([A-Za-z_$][\w$]*)(?:\+\+|--)?\s*(<=|<)\s*(\d+|[A-Z][A-Z0-9_]*)\s*\)?\s*$")
_WAIT = re.compile(r"(^|\.)(sleep|delay|wait|setTimeout|timeout)$", re.I)


def counted_try_until_done(ctx: FileContext, loop: ts.Node, body: ts.Node) -> bool:
    counter = _counter(loop)
    if counter is None or body is None:
        return False
    steps = [n for n in body.named_children if n.type != "comment"]
    if len(steps) != 1 or steps[0].type != "try_statement":
        return False
    block, handler = steps[0].child_by_field_name("body"), steps[0].child_by_field_name("handler")
    caught = handler.child_by_field_name("body") if handler is not None else None
    if block is None or caught is None:
        return False
    inside = list(_own(block))
    if not any(n.type in ("break_statement", "return_statement") for n in inside):
        return False
    awaited = [n for n in inside if n.type == "await_expression"]
    calls = [c for n in awaited for c in ctx.calls_in(n)]
    if not calls or all(_WAIT.search(c.callee or "") for c in calls):
        return False
    first_await = min(n.start_byte for n in awaited)
    if any(_WAIT.search(c.callee or "") and c.node.start_byte < first_await for c in calls):
        return False  # waits before its call: a poll
    if re.search(r"\[\s*" + re.escape(counter) + r"\s*\]", ts.text(block)):
        return False  # `urls[i]`: a walk over items, each tried once
    for node in _own(caught):
        if node.type in ("break_statement", "return_statement"):
            return False
        if node.type == "throw_statement" and not _under_counter_check(node, caught, counter):
            return False
    return True


def _counter(loop: ts.Node) -> str | None:
    if loop.type == "for_statement":
        condition = loop.child_by_field_name("condition")
        increment = loop.child_by_field_name("increment")
        if condition is None or increment is None:
            return None
        text = ts.text(condition).rstrip(";")
        m = _HEADER.match(text)
        if m is None or not re.fullmatch(re.escape(m.group(1)) + r"\s*(\+\+|\+=\s*1)|\+\+" + re.escape(m.group(1)),
                                         ts.text(increment).strip()):
            return None
        return m.group(1)
    if loop.type == "while_statement":
        condition = unwrap(loop.child_by_field_name("condition"))
        if condition is None:
            return None
        text = ts.text(condition)
        m = _HEADER.match(text)
        if m is None or not re.search(r"\+\+", text):
            return None  # `while (i++ <= 10)`: the header counts
        return m.group(1)
    return None


def _own(node: ts.Node):
    """The node's descendants outside nested functions."""
    stack = list(reversed(node.named_children))
    while stack:
        current = stack.pop()
        yield current
        if current.type in ("function_declaration", "function_expression", "arrow_function", "function",
                            "method_definition", "generator_function", "generator_function_declaration"):
            continue
        stack.extend(reversed(current.named_children))


def _under_counter_check(node: ts.Node, stop: ts.Node, counter: str) -> bool:
    for parent in ts.ancestors(node):
        if parent == stop:
            return False
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            if condition is not None and re.search(r"(?<![\w$.])" + re.escape(counter) + r"(?![\w$])",
                                                   ts.text(condition)):
                return True
    return False


def counted_try_attempts(ctx: FileContext, loop: ts.Node):
    """(count, confidence, pending) of such a loop: `i < 3` from 0 -> 3, `i++ <= 10` from 0 -> 11."""
    counter = _counter(loop)
    if counter is None:
        return None
    if loop.type == "for_statement":
        init = loop.child_by_field_name("initializer")
        decls = [d for d in (init.named_children if init is not None else []) if d.type == "variable_declarator"]
        start = unwrap(decls[0].child_by_field_name("value")) if len(decls) == 1 else None
        condition = loop.child_by_field_name("condition")
        text = ts.text(condition).rstrip(";")
        post = False
    else:
        start = _initial(ctx, loop, counter)
        text = ts.text(unwrap(loop.child_by_field_name("condition")))
        post = bool(re.search(re.escape(counter) + r"\s*\+\+", text))
    if start is None or start.type != "number" or ts.text(start) not in ("0", "1"):
        return None
    m = _HEADER.match(text)
    op, bound = m.group(2), m.group(3)
    node = next((n for n in ts.walk(loop) if n.type in ("number", "identifier") and ts.text(n) == bound
                 and n.start_byte > loop.start_byte), None)
    if node is None:
        return None
    # tries = bound (for `<` from 0) + 1 for `<=`, - start, and a pre-increment in a while header counts
    # one less (`++i <= 10` from 0 runs with 1..10), a post-increment none (`i++ <= 10`: 0..10)
    offset = (1.0 if op == "<=" else 0.0) - float(ts.text(start))
    if loop.type == "while_statement" and not post:
        offset -= 1.0
    return ctx.count_value(node, offset)


def _initial(ctx: FileContext, loop: ts.Node, counter: str) -> ts.Node | None:
    for parent in ts.ancestors(loop):
        if parent.type in ("statement_block", "program"):
            for stmt in parent.named_children:
                if stmt.start_byte >= loop.start_byte:
                    break
                if stmt.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for decl in stmt.named_children:
                    if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == counter:
                        return unwrap(decl.child_by_field_name("value"))
            return None
    return None
