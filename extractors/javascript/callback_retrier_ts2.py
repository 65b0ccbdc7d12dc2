"""(round 21, ts2) A project's retry helper that re-invokes the callback it is handed while the answer is not
acceptable, bounded by a count: BlueBubbles' `resultRetryer({ maxTries = 3, delayMs = 1000, getData,
dataLoopCondition }) { let data = await getData(null); let attempt = 1; while (dataLoopCondition(data) &&
attempt < maxTries) { await waitMs(delayMs); data = await getData(data); attempt += 1 } }` (behind its
`@AsyncRetryer({ maxTries: 12 })` method decorator). Nothing outbound is visible in the loop (the callback
is the caller's) and it waits first, as a poll would; the helper's name (retry, retrier, retryer) and the
counted re-call of its own callback parameter say it retries. The first call made before the loop is one
more attempt than the loop's passes."""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, descendants, unwrap

_RETRY_NAME = re.compile(r"retr(y|ier|yer|ies)", re.I)


def _function_of(loop: ts.Node) -> ts.Node | None:
    node = loop.parent
    while node is not None:
        if node.type in FUNCTION_TYPES or node.type == "method_definition":
            return node
        node = node.parent
    return None


def _name(fn: ts.Node) -> str:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name"))
    return ""


def _callback_params(fn: ts.Node) -> set[str]:
    """The parameter names of ``fn`` (plain, or destructured from its options object)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    out: set[str] = set()
    for node in [params, *descendants(params)] if params is not None else []:
        if node.type in ("identifier", "shorthand_property_identifier_pattern") and \
                node.parent is not None and node.parent.type != "type_annotation":
            out.add(ts.text(node))
    return out


def callback_retry_loop(loop: ts.Node, body: ts.Node) -> bool:
    """``loop`` re-invokes (awaits) a callback parameter of a function named for retrying, under a condition
    comparing a counter."""
    fn = _function_of(loop)
    if fn is None or not _RETRY_NAME.search(_name(fn)):
        return False
    condition = loop.child_by_field_name("condition")
    if condition is None or not re.search(r"\w\s*(<=?|>=?)\s*\w", ts.text(condition)):
        return False
    params = _callback_params(fn)
    for node in descendants(body, stop_at_functions=True):
        if node.type != "await_expression" or not node.named_children:
            continue
        call = unwrap(node.named_children[0])
        if call is not None and call.type == "call_expression":
            callee = call.child_by_field_name("function")
            if callee is not None and callee.type == "identifier" and ts.text(callee) in params:
                return True
    return False


def called_before(loop: ts.Node) -> bool:
    """The callback the loop re-invokes is called once before the loop, in the statements just before it."""
    fn = _function_of(loop)
    if fn is None:
        return False
    params = _callback_params(fn)
    sibling = loop.prev_named_sibling
    for _ in range(4):
        if sibling is None:
            return False
        for node in [sibling, *descendants(sibling, stop_at_functions=True)]:
            if node.type == "call_expression":
                callee = node.child_by_field_name("function")
                if callee is not None and callee.type == "identifier" and ts.text(callee) in params and \
                        node.parent is not None and node.parent.type == "await_expression":
                    return True
        sibling = sibling.prev_named_sibling
    return False


def one_more(attempts, pending):
    """(attempts + 1, the pending bound + 1)."""
    from contract_discovery.model import Pending
    from contract_discovery.values import BinOp, Num
    if isinstance(attempts, (int, float)) and not isinstance(attempts, bool):
        attempts = attempts + 1
    pending = tuple(Pending(p.attribute, BinOp("+", p.expr, Num(1)), p.scale) if p.attribute == "max_attempts"
                    else p for p in pending)
    return attempts, pending


def written_plus_one(written: str) -> str | None:
    """`maxTries - 1` -> `maxTries`, `maxTries` -> `maxTries + 1`, `n + 2` -> `n + 3`; None when not of that form."""
    match = re.fullmatch(r"\s*([A-Za-z_$][\w$.]*)\s*(?:([+-])\s*(\d+))?\s*", written)
    if match is None:
        return None
    offset = int(match.group(3) or 0) * (-1 if match.group(2) == "-" else 1) + 1
    if offset == 0:
        return match.group(1)
    return f"{match.group(1)} {'+' if offset > 0 else '-'} {abs(offset)}"
