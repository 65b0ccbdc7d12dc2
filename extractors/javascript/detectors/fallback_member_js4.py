"""(round 19, js4) An options member read with the code's own fallback as a retry bound: its default for callers.

What it does: in a helper of this file (a function, a class's constructor or method), an options member or
positional parameter read with a whole-number fallback that bounds a retry -- handed to a retry helper of the
same file (`httpRetry = (cb, options) => retryWithBackoff(cb, options.maxRetries || 3, 0)`, the recursion
bounded by that parameter) or given to a retry policy (`retry(handle, { maxAttempts: options.maxAttempts ??
DEFAULT_MAX_ATTEMPTS })` in `constructor(rpcClient, options = {})`) -- is an attempts parameter whose default
is the fallback. The helper's own line is the contract with the default (rule a, made by the detectors that
read it); this publishes, for callers in other files, what a call leaving the member out gets (rule b:
`httpRetry(cb, { retryIf })`, `new RetryingRpcClient(rpc)`) and the member itself (rule c: `{ maxRetries: 5
}`), as a destructured `{ maxRetries = 3 }` would.
Not: a fallback that is no whole number, a member nothing publishes as an attempts bound, a parameter of
another function.
"""

from __future__ import annotations

import re

from contract_discovery.resolve import ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, ATTEMPTS_PARAM
from contract_discovery.values import Expr, Num
from extractors import treesitter as ts
from extractors.javascript.context import FileContext, dotted, unwrap

_COUNT_WORD = re.compile(r"(?i)retr|attempt|tries")


def publish(ctx: FileContext, symbols: dict) -> dict[str, Expr]:
    if b"||" not in ctx.data and b"??" not in ctx.data:
        return {}
    from extractors.javascript.detectors.wrapper_call import _helpers, _param_keys
    out: dict[str, Expr] = {}
    for names, fn in _helpers(ctx):
        params = None
        for node in _fallbacks(fn):
            found = _fallback(ctx, node)
            if found is None:
                continue
            holder, member, number = found
            if params is None:
                params = _param_keys(fn)[0]
            key = params.get(holder)
            if key is None or key[1] is None or key[0] != holder:
                continue
            slot = key[1]
            member_key = f"{slot}.{member}" if member else str(slot)
            inner = next((symbols.get(f"{n}.{ATTEMPTS_PARAM}:{member_key}".lstrip(".")) for n in names
                          if isinstance(symbols.get(f"{n}.{ATTEMPTS_PARAM}:{member_key}".lstrip(".")), Num)), None)
            if inner is None:
                inner = _same_file_bound(ctx, node, symbols)
            if not isinstance(inner, Num) or isinstance(inner.value, bool):
                continue
            made = Num(float(number) + float(inner.value) - 1.0)
            for name in names:
                stem = f"{name}." if name else ""  # (a default export: callers name it as they like)
                out.setdefault(f"{stem}{ATTEMPTS_PARAM}:{member_key}", inner)
                if not member:
                    out.setdefault(f"{stem}{ATTEMPTS_PARAM}:{holder}", inner)
                for count in range(slot + 2 if member else slot + 1):
                    out.setdefault(f"{stem}{ATTEMPTS_OMITTED}:{count}", Num(1))
                    out.setdefault(f"{stem}{ATTEMPTS_DEFAULT}:{count}", made)
    return out


def _fallbacks(fn: ts.Node):
    stack = [fn.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("||", "??"):
            yield node
        stack.extend(reversed(node.named_children))


def _same_file_bound(ctx: FileContext, node: ts.Node, symbols: dict):
    """The attempts publication of a same-file helper the fallback is handed to (`retryWithBackoff(cb, x || 3)`)."""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None or parent.type != "arguments" or parent.parent is None or \
            parent.parent.type != "call_expression":
        return None
    callee = dotted(parent.parent.child_by_field_name("function"))
    if not callee or "." in callee or callee not in ctx.functions:
        return None
    position = [c for c in parent.named_children if c.type != "comment"].index(node)
    return symbols.get(f"{callee}.{ATTEMPTS_PARAM}:{position}")


def _fallback(ctx: FileContext, node: ts.Node) -> tuple[str, str, float] | None:
    """(parameter, member or "", fallback) of `options.maxRetries || 3`, `options?.retries ?? MAX`, `retries ?? 3`."""
    right, left = unwrap(node.child_by_field_name("right")), unwrap(node.child_by_field_name("left"))
    if right is None or left is None:
        return None
    if right.type == "number":
        if "." in ts.text(right):
            return None
        number = float(ts.text(right).replace("_", ""))
    elif right.type == "identifier" and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(right)):
        value = ctx.evaluate(ctx.to_expr(right)).value
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value != int(value):
            return None
        number = float(value)
    else:
        return None
    text = re.sub(r"\?\.", ".", ts.text(left))
    m = re.fullmatch(r"([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?", text)
    if m is None or not _COUNT_WORD.search(text):
        return None
    return m.group(1), m.group(2) or "", number
