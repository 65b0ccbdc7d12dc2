"""(round 20, js2) Two ternaries a setting's value is written with that the context did not read:

    const RPC_REQUEST_TIMEOUT = _.isEmpty(process.env.RPC_REQUEST_TIMEOUT)
        ? 5000
        : assertEnvVarType('RPC_REQUEST_TIMEOUT', process.env.RPC_REQUEST_TIMEOUT, EnvVarType.Integer);

(0x-api's config.ts): the code's default when the variable is empty, else the environment's value; and

    statement_timeout: config.disableDatabaseStatementTimeout ? undefined : 10 * 1000,

(reservoir's pg-promise pools): the setting the service runs with unless a flag switches it off.
"""

from __future__ import annotations

import re

from contract_discovery.values import Call, Env, Ref
from extractors import treesitter as ts
from extractors.javascript.context import ENV_DEFAULT, unwrap

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


def spread_override_js2(options: ts.Node | None, key: str) -> str | None:
    """`{ numOfAttempts: 5, ...options }`: the identifier spread after `key`'s pair (its members win)."""
    options = unwrap(options)
    if options is None or options.type != "object":
        return None
    seen_key = False
    for child in options.named_children:
        if child.type == "pair" and ts.text(child.child_by_field_name("key")).strip("\"'") == key:
            seen_key = True
        elif child.type == "spread_element" and seen_key and child.named_children and \
                unwrap(child.named_children[0]) is not None and unwrap(child.named_children[0]).type == "identifier":
            return ts.text(unwrap(child.named_children[0]))
    return None


_ENV_HOLDER = re.compile(r"(?i)^(envs?|environment|env_?vars|parsed_?env)$")
_ENV_VAR = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def imported_env_member_js2(ctx, name: str):
    """`envs.NANGO_WEBHOOK_TIMEOUT_MS` with `import { envs } from './envs.js'` (nango: `export const envs =
    parseEnvs(ENVS)`, the zod schema ENVS written in another package): the holder module's own member
    when it publishes one, else the variable with the default the service's env schema declares
    (`$envdefault.NAME`, published by the schema's file)."""
    head, _, member = name.partition(".")
    if head not in ctx.imports or not _ENV_HOLDER.match(head) or not _ENV_VAR.match(member):
        return None
    return Call("coalesce", (Ref(name), Env(member, Ref(ENV_DEFAULT + member))))


def reconnect_switched_off_js2(value: ts.Node | None) -> bool:
    """`reconnectStrategy: () => false` (node-redis), `retryStrategy: () => null` (ioredis), `reconnectStrategy:
    false`: the client never reconnects (one try)."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type == "false":
        return True
    if value.type != "arrow_function":
        return False
    body = unwrap(value.child_by_field_name("body"))
    if body is not None and body.type == "statement_block":
        statements = [s for s in body.named_children if s.type != "comment"]
        if len(statements) != 1 or statements[0].type != "return_statement" or not statements[0].named_children:
            return False
        body = unwrap(statements[0].named_children[0])
    return body is not None and ts.text(body) in ("false", "null", "undefined")
