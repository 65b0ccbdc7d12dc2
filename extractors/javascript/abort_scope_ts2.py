"""(round 21, ts2) The function an AbortController's timer lives in when the fetch using its signal runs in a
callback: `const controller = new AbortController(); const timeout = setTimeout(() => controller.abort(),
BITDEX_TIMEOUT_MS); const res = await withSpan('bitdex:http', attrs, () => fetch(url, { signal:
controller.signal }))` (civitai's BitDex client; tracing, metrics and retry wrappers take the request as a
callback). The controller is a closure variable of the callback, declared (with its timer) in an outer
function: that function is where the timer is looked for."""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import FUNCTION_TYPES, descendants, enclosing_function


def _declares(fn: ts.Node, name: str) -> bool:
    """``name`` is a parameter of ``fn`` or declared in its own body (not in a nested function)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is not None and any(n.type in ("identifier", "shorthand_property_identifier_pattern")
                                  and ts.text(n) == name for n in [params, *descendants(params)]):
        return True
    body = fn.child_by_field_name("body")
    for node in descendants(body, stop_at_functions=True) if body is not None else ():
        if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name:
            return True
    return False


def closure_scope_ts2(ctx, controller: str, scope: ts.Node) -> ts.Node:
    """``scope``, or the nearest enclosing function that declares ``controller`` when ``scope`` is a callback
    (an arrow or function expression handed as an argument) that does not: up to three levels."""
    name = controller.split(".", 1)[0]
    if not name or name == "this":
        return scope
    current = scope
    for _ in range(3):
        if current is None or current.type not in FUNCTION_TYPES or _declares(current, name):
            return current if current is not None else scope
        parent = current.parent
        if parent is None or parent.type != "arguments":
            return scope  # not a callback: the controller comes from elsewhere (a field, a global)
        outer = enclosing_function(current)
        if outer is None:
            return scope
        current = outer
    return current if current is not None and _declares(current, name) else scope
