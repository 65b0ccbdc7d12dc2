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


def body_fallback_forward_js2(ctx, call, callee: str, position: int, inner: ts.Node, forward, call_site) -> None:
    """(round 20, js2) `post(BASE_URL, body, options, timeout_millis || 60000)` in `postQualifire(body, key?,
    timeout_millis?)` (Portkey's guardrail plugins): the value handed on (60 s, rule a here) is also the
    helper's own optional parameter with a default set in the body: a forward of that parameter, with
    the fallback as its default, so calls leaving it out are rule (b) and calls passing it rule (c)."""
    from extractors.javascript.context import _parameter_default, enclosing_function
    if inner.type != "binary_expression" or ts.text(inner.child_by_field_name("operator")) not in ("||", "??"):
        return
    left, right = unwrap(inner.child_by_field_name("left")), unwrap(inner.child_by_field_name("right"))
    if left is None or right is None or left.type != "identifier" or right.type != "number":
        return
    fn = enclosing_function(inner)
    found, default = _parameter_default(fn, ts.text(left)) if fn is not None else (False, None)
    if not found or default is not None:
        return  # not a parameter of the helper around, or one with a default of its own
    before = len(ctx.findings)
    forward(ctx, call, callee, position, left)
    for finding in ctx.findings[before:]:
        if finding.attributes.get("forward"):
            finding.attributes["fallback"] = float(ts.text(right).replace("_", ""))


def drop_raced_fetch_js2(ctx, race: ts.Node, deadline_id: str) -> None:
    """`return Promise.race([\n fetch(url, { signal }).catch(...),\n new Promise((_, reject) => setTimeout(() => {
    controller.abort(); reject(..) }, timeout)) ])` (Snapshot's customFetch, Portkey's URL check): the race's
    timer is also the fetch's abort signal; one setting, reported at the race, not again at the fetch
    on a line of its own below it."""
    line = race.start_point[0] + 1
    last = race.end_point[0] + 1
    mine = [f for f in ctx.findings if f.kind == "timeout" and f.line == line and f.detector == deadline_id]
    if not mine:
        return
    value = mine[0].attributes.get("timeout_ms")
    ctx.findings[:] = [f for f in ctx.findings if not (
        f.kind == "timeout" and f.detector == "javascript.fetch" and line < f.line <= last
        and f.attributes.get("timeout_ms") == value)]


def fallback_options_literal_js2(ctx, name: ts.Node, site: ts.Node) -> ts.Node | None:
    """(round 20, js2) `const retryConfig = config?.retryConfig || { maxAttempts: 3, delayMs: 50 }; return
    retry(fetch, retryConfig)` (nango's OrchestratorClient.routeFetch): the options a helper is handed unless
    the caller gave its own are the literal fallback: its members are proposed as values handed there
    (rule a at the helper call)."""
    from extractors.javascript.context import enclosing_function
    value = unwrap(ctx.local_value(ts.text(name), site))
    if value is None or value.type != "binary_expression" or \
            ts.text(value.child_by_field_name("operator")) not in ("||", "??"):
        return None
    right = unwrap(value.child_by_field_name("right"))
    if right is None or right.type != "object":
        return None
    scope = enclosing_function(value)
    if scope is None or not (scope.start_byte <= site.start_byte <= scope.end_byte):
        return None
    return right
