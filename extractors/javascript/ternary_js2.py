"""(round 20, js2) Two ternaries a setting's value is written with that the context did not read:

    const RPC_REQUEST_TIMEOUT = _.isEmpty(process.env.RPC_REQUEST_TIMEOUT)
        ? 5000
        : assertEnvVarType('RPC_REQUEST_TIMEOUT', process.env.RPC_REQUEST_TIMEOUT, EnvVarType.Integer);

(0x-api's config.ts): the code's default when the variable is empty, else the environment's value; and

    statement_timeout: config.disableDatabaseStatementTimeout ? undefined : 10 * 1000,

(reservoir's pg-promise pools): the setting the service runs with unless a flag switches it off.
"""

from __future__ import annotations

from extractors import treesitter as ts
from extractors.javascript.context import unwrap

_EMPTY_CHECKS = ("isEmpty", "_.isEmpty", "lodash.isEmpty", "isNil", "_.isNil", "isUndefined", "_.isUndefined")


def empty_check_target(condition: ts.Node | None) -> ts.Node | None:
    """`_.isEmpty(x)`, `isNil(x)`, `_.isUndefined(x)` -> x (an identifier or member)."""
    condition = unwrap(condition)
    if condition is None or condition.type != "call_expression":
        return None
    if ts.text(condition.child_by_field_name("function")) not in _EMPTY_CHECKS:
        return None
    args = condition.child_by_field_name("arguments")
    given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    target = unwrap(given[0]) if len(given) == 1 else None
    if target is None or target.type not in ("identifier", "member_expression", "subscript_expression"):
        return None
    return target


def switched_off_branch(condition: ts.Node | None, consequence: ts.Node | None,
                        alternative: ts.Node | None) -> ts.Node | None:
    """`flag ? undefined : value`: the value, when the condition is a plain flag (an identifier or a
    member, possibly negated) and the other branch leaves the option out."""
    condition = unwrap(condition)
    if condition is None or consequence is None or alternative is None:
        return None
    if condition.type == "unary_expression" and ts.text(condition.child_by_field_name("operator")) == "!":
        condition = unwrap(condition.child_by_field_name("argument"))
    if condition is None or condition.type not in ("identifier", "member_expression"):
        return None
    if ts.text(unwrap(consequence)) in ("undefined", "null") and \
            ts.text(unwrap(alternative)) not in ("undefined", "null"):
        return alternative
    return None
