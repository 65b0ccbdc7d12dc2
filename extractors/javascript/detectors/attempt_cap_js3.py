"""(round 19, js3) A promise-retry / async-retry function that gives up on its own attempt number.

`promiseRetry((retry, number) => request(...).catch(error => { if (number >= 3) { throw error } retry(error) }),
{ retries: 3 })` (greenkeeper's lockfile request): the options allow 4 tries but the function gives up when the
third fails: 3 tries. `if (number === max404Retries) { log.warn(...) } else { retry(error) }` with `retries:
max404Retries` (5): 5 tries. The attempt number is the function's second parameter (promise-retry's `number`,
async-retry's `attempt`, both counting from 1); a test of it against a number or constant that leads to giving
up (a `throw`, a `return`, `bail(...)`, or a branch whose `else` calls retry) caps the finding's max_attempts:
`>= N`, `== N`, `=== N`: N tries; `> N`: N + 1. The smaller of the cap and the options' count wins.
Not: a test of another variable, a branch that itself calls retry, a count that is not a number.
Also: a retry inside Octokit's error hook (`octokit.hook.error('request', (error, options) => promiseRetry(retry =>
octokitRequest(options).catch(...), { retries: 5 }))`, greenkeeper's plugin) re-sends a request that failed once
already: one more request in all (7).
"""

from __future__ import annotations

from dataclasses import replace

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, FileContext, CallInfo, descendants, unwrap

_LIBRARIES = {"promise-retry": "promise-retry", "promise-retry.default": "promise-retry",
              "async-retry": "async-retry", "async-retry.default": "async-retry"}
_OPS = {">=": 0, "==": 0, "===": 0, ">": 1}
_FLIPPED = {"<=": ">=", "<": ">", "==": "==", "===": "==="}


def detect(ctx: FileContext) -> None:
    for call in ctx.calls:
        library = _LIBRARIES.get(call.qualified)
        if library is None or call.is_new or not call.args:
            continue
        try:
            _cap(ctx, call, library)
        except Exception:  # noqa: BLE001 - an odd function costs only the cap
            continue


def _in_error_hook(call: CallInfo) -> bool:
    """`octokit.hook.error('request', (error, options) => promiseRetry(...))`: the retry re-sends a request that
    already failed once (the hook runs after the first try)."""
    for parent in ts.ancestors(call.node):
        if parent.type != "call_expression":
            continue
        fn = ts.text(parent.child_by_field_name("function") or parent)
        args = parent.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if fn.endswith(".hook.error") and first is not None and ts.text(first).strip("'\"`") == "request":
            return True
    return False


def _after_first_try(ctx: FileContext, call: CallInfo, library: str) -> None:
    line = call.node.start_point[0] + 1
    for i, fd in enumerate(ctx.findings):
        made = fd.attributes.get("max_attempts")
        if fd.kind == "retry" and fd.line == line and fd.detector == "javascript.retry_library" and \
                fd.attributes.get("library") == library and isinstance(made, int) and \
                not any(p.attribute == "max_attempts" for p in fd.pending):
            ctx.findings[i] = replace(fd, attributes={**fd.attributes, "max_attempts": made + 1,
                                                      "after_first_try": True})
            return


def _cap(ctx: FileContext, call: CallInfo, library: str) -> None:
    if _in_error_hook(call):
        _after_first_try(ctx, call, library)
    from extractors.javascript.detectors import promise_retry_r18fix as pr
    from extractors.javascript.detectors.retry_libraries import _function_node
    fn_arg = call.arg(1) if library == "promise-retry" and pr.options_first(ctx, call) else call.arg(0)
    fn = pr.local_function(ctx, fn_arg) or _function_node(ctx, fn_arg)
    if fn is None or fn.type not in FUNCTION_TYPES:
        return
    params = fn.child_by_field_name("parameters")
    names = [ts.text(p) for p in (params.named_children if params is not None else []) if p.type == "identifier"]
    if len(names) < 2:
        return
    retry_name, number = names[0], names[1]
    caps = []
    for node in descendants(fn):
        if node.type != "if_statement":
            continue
        cap = _condition_cap(ctx, node.child_by_field_name("condition"), number)
        if cap is None:
            continue
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if consequence is None or _calls(consequence, retry_name) and library == "promise-retry":
            continue
        gives_up = any(n.type in ("throw_statement", "return_statement") for n in descendants(consequence)) or \
            consequence.type in ("throw_statement", "return_statement") or _calls(consequence, retry_name) or \
            (alternative is not None and _calls(alternative, retry_name))
        if gives_up:
            caps.append(cap)
    if not caps:
        return
    cap = min(caps)
    line = call.node.start_point[0] + 1
    for i, fd in enumerate(ctx.findings):
        if fd.kind == "retry" and fd.line == line and fd.detector == "javascript.retry_library" and \
                fd.attributes.get("library") == library:
            made = fd.attributes.get("max_attempts")
            if isinstance(made, int) and made <= cap:
                return
            attrs = {**fd.attributes, "max_attempts": cap, "capped_by": f"{number} ({cap} tries)"}
            attrs.pop("attempts_expression", None)
            ctx.findings[i] = replace(fd, attributes=attrs, pending=tuple(p for p in fd.pending
                                                                           if p.attribute != "max_attempts"))
            return


def _condition_cap(ctx: FileContext, cond, number: str) -> int | None:
    cond = unwrap(cond)
    if cond is None or cond.type != "binary_expression":
        return None
    op = ts.text(cond.child_by_field_name("operator"))
    left, right = unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if right.type == "identifier" and ts.text(right) == number:
        left, right, op = right, left, _FLIPPED.get(op, "")
    if left.type != "identifier" or ts.text(left) != number or op not in _OPS:
        return None
    value = ctx.evaluate(ctx.to_expr(right)).value
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 1 or value != int(value):
        return None
    return int(value) + _OPS[op]


def _calls(node, name: str) -> bool:
    nodes = [node, *descendants(node)]
    return any(n.type == "call_expression" and ts.text(n.child_by_field_name("function")) == name for n in nodes)
