"""(round 18, js2) The bound a counted retry loop reads, written for the helper's callers.

`for (let attempt = 1; attempt <= attempts; attempt += 1) { try { ... return } catch { ... } }` inside
`runModuleInitWithTimeoutAndRetry(callback, options)` with `const { maxAttempts = 3 } = options ?? {}` and
`const attempts = Math.max(1, maxAttempts)` (refly's @refly/utils): the loop makes `attempts` tries. Its
finding names that bound (`attempts_expression`), so wrapper_call can publish the options member it reads
(rule a at the loop, b/c at each call). Only a loop over one declared counter starting at 0 or 1 and stepping
by one, bounded by a plain name."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import unwrap

_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def loop_bound_expression(loop: ts.Node) -> str | None:
    if loop.type == "while_statement":
        return _while_counter_bound_js2(loop)
    if loop.type != "for_statement":
        return None
    init = loop.child_by_field_name("initializer")
    condition = loop.child_by_field_name("condition")
    increment = loop.child_by_field_name("increment")
    if init is not None and increment is not None:
        countdown = _countdown_bound_js2(loop, init, condition, increment)
        if countdown is not None:
            return countdown
    if init is None or condition is None or increment is None:
        return None
    declarators = [d for d in init.named_children if d.type == "variable_declarator"]
    if len(declarators) != 1:
        return None
    counter = declarators[0].child_by_field_name("name")
    start = unwrap(declarators[0].child_by_field_name("value"))
    if counter is None or start is None or start.type != "number" or ts.text(start) not in ("0", "1"):
        return None
    name = ts.text(counter)
    step = re.sub(r"\s+", "", ts.text(increment))
    if step not in (f"{name}++", f"++{name}", f"{name}+=1", f"{name}={name}+1"):
        return None
    comp = condition.named_children[0] if condition.type == "expression_statement" and condition.named_children \
        else condition
    comp = unwrap(comp)
    if comp is None or comp.type != "binary_expression":
        return None
    op = ts.text(comp.child_by_field_name("operator"))
    left, right = unwrap(comp.child_by_field_name("left")), unwrap(comp.child_by_field_name("right"))
    if left is None or right is None or ts.text(left) != name or right.type != "identifier" or \
            not _NAME.fullmatch(ts.text(right)) or op not in ("<", "<="):
        return None
    tries = (1 if op == "<=" else 0) - int(ts.text(start))  # tries = bound + this
    bound = ts.text(right)
    return bound if tries == 0 else f"{bound} + {tries}" if tries > 0 else f"{bound} - {-tries}"


def _countdown_bound_js2(loop: ts.Node, init: ts.Node, condition: ts.Node | None, increment: ts.Node) -> str | None:
    """(round 19, js2) A countdown from a plain name: `for (let tries = retries; ; tries--) { try { return
    await q() } catch (e) { if (tries == 1) throw e } }` (PowerSync's mysql_utils.retriedQuery with `const {
    retries = 2 } = options`): `retries` tries; `for (let n = retries; n > 0; n--)` likewise."""
    declarators = [d for d in init.named_children if d.type == "variable_declarator"]
    if len(declarators) != 1:
        return None
    counter, start = declarators[0].child_by_field_name("name"), unwrap(declarators[0].child_by_field_name("value"))
    if counter is None or start is None or start.type != "identifier" or not _NAME.fullmatch(ts.text(start)):
        return None
    name = ts.text(counter)
    if re.sub(r"\s+", "", ts.text(increment)) not in (f"{name}--", f"--{name}", f"{name}-=1"):
        return None
    bound = ts.text(start)
    comp = condition.named_children[0] if condition is not None and condition.type == "expression_statement" and \
        condition.named_children else condition
    comp = unwrap(comp) if comp is not None and comp.type not in (";", "empty_statement") else None
    if comp is not None and comp.type == "binary_expression":
        op = ts.text(comp.child_by_field_name("operator"))
        left, right = unwrap(comp.child_by_field_name("left")), unwrap(comp.child_by_field_name("right"))
        if left is not None and right is not None and ts.text(left) == name and ts.text(right) == "0" and op == ">":
            return bound
        if left is not None and right is not None and ts.text(left) == name and ts.text(right) == "1" and op == ">=":
            return bound
        return None
    if comp is not None:
        return None
    # no condition: the body gives up when the counter reaches 1 (`if (tries == 1) throw e`)
    body = loop.child_by_field_name("body")
    for node in ts.walk(body) if body is not None else ():
        if node.type != "if_statement":
            continue
        test = unwrap(node.child_by_field_name("condition"))
        if test is None or test.type != "binary_expression":
            continue
        op = ts.text(test.child_by_field_name("operator"))
        left, right = unwrap(test.child_by_field_name("left")), unwrap(test.child_by_field_name("right"))
        if left is None or right is None or ts.text(left) != name:
            continue
        gives_up = any(n.type in ("throw_statement", "return_statement", "break_statement")
                       for n in ts.walk(node.child_by_field_name("consequence")))
        if not gives_up:
            continue
        if op in ("==", "===", "<=") and ts.text(right) == "1":
            return bound
        if op in ("==", "===", "<=") and ts.text(right) == "0":
            return f"{bound} + 1"
    return None


_MEMBER = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?")


def _while_counter_bound_js2(loop: ts.Node) -> str | None:
    """(round 20, js2) `let attempt = -1; while (attempt < options.max) { attempt += 1; try { return await
    fn() } catch (err) { if (attempt >= options.max) throw err; ... } }` (nango's retryFlexible): a counter
    declared just before the loop with a numeric start, bumped by one in the body, under a plain name or
    an options member: `options.max + 1` tries (the bound less the start)."""
    condition = unwrap(loop.child_by_field_name("condition"))
    if condition is not None and condition.type == "parenthesized_expression" and condition.named_children:
        condition = unwrap(condition.named_children[0])
    if condition is None or condition.type != "binary_expression":
        return None
    op = ts.text(condition.child_by_field_name("operator"))
    left, right = unwrap(condition.child_by_field_name("left")), unwrap(condition.child_by_field_name("right"))
    if op not in ("<", "<=") or left is None or right is None or left.type != "identifier" or \
            right.type not in ("identifier", "member_expression") or not _MEMBER.fullmatch(ts.text(right)):
        return None
    name = ts.text(left)
    start = None
    sibling = loop.prev_named_sibling
    while sibling is not None and start is None:
        if sibling.type in ("lexical_declaration", "variable_declaration"):
            for decl in sibling.named_children:
                if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == name:
                    value = unwrap(decl.child_by_field_name("value"))
                    text = ts.text(value) if value is not None else ""
                    if re.fullmatch(r"-?\d+", text.replace(" ", "")):
                        start = int(text.replace(" ", ""))
                    else:
                        return None
        sibling = sibling.prev_named_sibling
    if start is None:
        return None
    body = loop.child_by_field_name("body")
    bumps = [n for n in ts.walk(body) if body is not None and (
        n.type == "update_expression" and ts.text(n.child_by_field_name("argument")) == name and "++" in ts.text(n)
        or n.type == "augmented_assignment_expression" and ts.text(n.child_by_field_name("left")) == name
        and re.sub(r"\s+", "", ts.text(n)) == f"{name}+=1")]
    if len(bumps) != 1:
        return None
    tries = (1 if op == "<=" else 0) - start
    bound = ts.text(right)
    return bound if tries == 0 else f"{bound} + {tries}" if tries > 0 else f"{bound} - {-tries}"
