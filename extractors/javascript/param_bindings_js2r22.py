"""The names a function's parameters bind (round 22, js2).

A TypeScript parameter's type (`retryOptions: Parameters<typeof retry>[1] = ASYNC_RETRY_OPTIONS`)
and its default value read names without binding them: counting `retry` as a parameter made the
`retry(helper, retryOptions)` call below it a call of a local binding, not of the imported
async-retry (supaglue's retryWhenAxiosRateLimited was not seen at all). Only the identifiers of
the binding patterns count: a plain parameter, the pattern of a TypeScript required / optional
parameter, the left side of a default, and the names destructured from an object or array
pattern (`{ retries = 3, ...rest }`, `[first]`).
"""

from __future__ import annotations

from collections.abc import Iterator

from extractors import treesitter as ts

_CONTAINERS = {"formal_parameters", "object_pattern", "array_pattern", "rest_pattern"}


def parameter_bindings(params: ts.Node) -> set[str]:
    """The names bound by a `formal_parameters` node (or an arrow function's single parameter)."""
    return set(_bound(params, 0))


def _bound(node: ts.Node | None, depth: int) -> Iterator[str]:
    if node is None or depth > 12:
        return
    kind = node.type
    if kind in ("identifier", "shorthand_property_identifier_pattern"):
        yield ts.text(node)
    elif kind in ("required_parameter", "optional_parameter"):
        yield from _bound(node.child_by_field_name("pattern"), depth + 1)
    elif kind in ("assignment_pattern", "object_assignment_pattern"):
        yield from _bound(node.child_by_field_name("left"), depth + 1)
    elif kind == "pair_pattern":
        yield from _bound(node.child_by_field_name("value"), depth + 1)
    elif kind in _CONTAINERS:
        for child in node.named_children:
            yield from _bound(child, depth + 1)
