"""(round 21, js1) ES5 code's function-scoped `var` that is never reassigned, read as a `const`.

`module.exports = function (logger) { var retryAttempts = constants.RETRY_ATTEMPTS; ... function
postTrigger(data, retryCount) { ... if (retryCount < retryAttempts) ... } }` (OpenWhisk's providers),
`var healthCheckInterval = config.checkInterval || 10000; ... client.setTimeout(healthCheckInterval, ...)`
(StatsD's proxy): callback-era JavaScript declares its settings with `var` inside the module's function.
`FileContext.local_value` follows `const` declarations only (a `let` or `var` may be reassigned); a `var`
whose name no assignment, update or `for` head in its function (nested closures included) ever writes is
as fixed as a `const`.

Not: a `var` written again anywhere in its function (`var attempts = 0; ... attempts++`), a `var`
declaring several names through destructuring, a `var` without a value.
"""

from __future__ import annotations

from extractors import treesitter as ts

_WRITES = ("assignment_expression", "augmented_assignment_expression", "update_expression")
_FUNCTIONS = ("function_declaration", "function_expression", "function", "arrow_function", "method_definition",
              "generator_function_declaration", "generator_function", "program")


def unassigned_var(block: ts.Node, name: str) -> bool:
    """True when the `var name = ...` of ``block`` is never written again in its function."""
    scope = block
    while scope is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    if scope is None:
        return False
    declared = 0
    stack = [scope]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in _WRITES:
            target = node.child_by_field_name("left") if kind != "update_expression" \
                else node.child_by_field_name("argument")
            if target is not None and target.type == "identifier" and ts.text(target) == name:
                return False
        elif kind == "variable_declarator":
            dname = node.child_by_field_name("name")
            if dname is not None and dname.type == "identifier" and ts.text(dname) == name:
                declared += 1
                if declared > 1:  # `var x = 1; ... var x = 2;`: declared twice, written twice
                    return False
        elif kind in ("for_in_statement",):
            left = node.child_by_field_name("left")
            if left is not None and name in ts.text(left).split():
                return False
        stack.extend(node.named_children)
    return declared == 1
