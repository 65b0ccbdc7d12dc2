"""Retry libraries: axios-retry, p-retry, async-retry, cockatiel's `retry(...)` and `Policy` builder.

Also exponential-backoff's `backOff(fn, { numOfAttempts })` (counts every attempt, 10 by default).

Also the `retry` package's `retry.operation({ retries, factor, forever })` with `operation.attempt(fn)`
(retries after the first try, 10 by default; `forever` without a limit).

Also caolan/async's `async.retry({ times, interval }, task)` (`times` counts every attempt, 5 by default).

Also trigger.dev's `retry.fetch(url, { retry: { byStatus: { "500-599": { maxAttempts: 3 } } } })` (the
largest `maxAttempts` of its status / connection-error / timeout policies; every try counted; no
`retry` option, no re-sends) and `retry.onThrow(fn, { maxAttempts })` (3 by default). A task's own
`retry: { maxAttempts }` is a job policy and is not read.

Also a count handed to a retry wrapper of the project, on the call: `withGmailRetry(() => op(), 5)`
(the wrapper's file publishes whether its count parameter counts retries or attempts; this file's
own wrapper is read directly) or `withRetry(fn, { maxRetries: 2 })` (by the key's meaning).
cockatiel before 3.0 builds the policy as ``Policy.handleAll().retry().attempts(3)``.

What it does: reports each retry policy as a ``retry`` finding with ``max_attempts`` counting the
first try (`retries: 3` means 4 attempts; each library's default count applies when none is
given), the backoff, and the function (or axios instance) being retried, so a fresh ID made
inside it is seen as one per attempt.

Why it matters: a retry multiplies the load a dependency sees and, with a new request ID per
attempt, defeats the callee's idempotency.

Example::

    axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });  // 4 attempts
    await pRetry(() => score(cart), { retries: 5 });                               // 6 attempts
"""

from __future__ import annotations

import re

from extractors import treesitter as ts
from extractors.javascript.context import (FUNCTION_TYPES, CallInfo, FileContext, RetryScope, descendants,
                                           dotted, js_detector, unwrap)
from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Num, Ref
from extractors.javascript.context import RETRY_WRAPPER
from extractors.javascript.detectors._clients import instance_for

ID = "javascript.retry_library"


@js_detector(ID, ["retry"],
          valid=['const retry = false; // a variable named retry', 'function retry() {}\nretry();'],
          invalid=['import pRetry from "p-retry";\nawait pRetry(run, { retries: 5 });',
                   'import axiosRetry from "axios-retry";\naxiosRetry(client, { retries: 3 });'])
def detect(ctx: FileContext) -> None:
    policies: dict[str, tuple[int, object, tuple]] = {}
    for call in ctx.calls:
        if call.is_new:
            continue
        if call.qualified in ("axios-retry", "axios-retry.default"):
            _axios_retry(ctx, call)
        elif call.qualified in ("p-retry", "p-retry.default"):
            _function_retry(ctx, call, "p-retry", "retries", 10, 1.0)
        elif call.qualified in ("async-retry", "async-retry.default"):
            _function_retry(ctx, call, "async-retry", "retries", 10, 1.0)
        elif call.qualified in ("promise-retry", "promise-retry.default"):
            # `promiseRetry((retry, n) => fn().catch(retry), { retries: 5 })` (round 11): retries after
            # the first try, 10 by default; the options may come first (`promiseRetry(opts, fn)`)
            from extractors.javascript.detectors import promise_retry_r18fix as pr
            if pr.options_first(ctx, call):  # (round 18 fixes) not `promiseRetry(func, options)` with two names
                call = CallInfo(node=call.node, callee=call.callee, qualified=call.qualified,
                                args=[call.args[1], call.args[0], *call.args[2:]], is_new=call.is_new, awaited=call.awaited)
            if pr.polls_remote_state(pr.local_function(ctx, call.arg(0)) or _function_node(ctx, call.arg(0))):
                continue  # retry() only while a remote status is not yet the awaited one: a poll
            _function_retry(ctx, call, "promise-retry", "retries", 10, 1.0)
        elif call.qualified in ("exponential-backoff.backOff", "exponential-backoff.default.backOff"):
            # `backOff(fn, { numOfAttempts: 4 })`: numOfAttempts counts every try (10 by default)
            _function_retry(ctx, call, "exponential-backoff", "numOfAttempts", 10, 0.0)
        elif call.qualified in _ASYNC_RETRY:
            _async_retry(ctx, call)
        elif call.qualified in ("retry.operation", "retry.default.operation"):
            _node_retry(ctx, call)
        elif _TRIGGER_RETRY.match(call.qualified):
            _trigger_retry(ctx, call)
        elif call.name == "retry" and _policy_chain_root(ctx, call.node):
            found = _cockatiel_chain(ctx, call)
            name = _bound_name(_chain_top(call.node))
            if found is not None and name:
                policies[name] = found
        elif call.qualified == "cockatiel.retry":
            found = _cockatiel(ctx, call)
            name = _bound_name(call.node)
            if found is not None and name:
                policies[name] = found
    _interceptor_retries(ctx)
    try:
        _error_config_resends(ctx)
    except Exception:  # an odd handler costs only this finding
        pass
    try:
        _wrapper_counts(ctx)
    except Exception:  # an odd call costs only this finding
        pass
    if policies:
        reached: dict[int, list] = {}
        for call in ctx.calls:
            if call.name == "execute" and call.receiver in policies and call.args:
                line, target, pending = policies[call.receiver]
                body = _function_node(ctx, call.arg(0))
                if target is None and not pending and body is not None:
                    # `riskRetry.execute(() => request(RISK_URL + "/v1/score"))`: the policy retries that call
                    target, pending = ctx.first_target_in(body)
                    reached.setdefault(line, []).append((target, tuple(pending)))
                _retried_function(ctx, call.arg(0), line, target, pending)
        _policy_targets(ctx, reached)


def _policy_targets(ctx: FileContext, reached: dict[int, list]) -> None:
    """A policy object executed around calls to one destination retries that destination: its
    finding gets the target (several destinations, or none known: left without)."""
    from dataclasses import replace
    for i, f in enumerate(ctx.findings):
        if f.kind != "retry" or f.detector != ID or f.target is not None or f.line not in reached:
            continue
        found = {repr((t, p)): (t, p) for t, p in reached[f.line] if t is not None or p}
        if len(found) == 1:
            target, pending = next(iter(found.values()))
            ctx.findings[i] = replace(f, target=target, pending=(*f.pending, *pending))


_COUNT_KEYS = {"retries": 1.0, "maxRetries": 1.0, "retryCount": 1.0, "attempts": 0.0, "maxAttempts": 0.0,
               "tries": 0.0}


def _wrapper_counts(ctx: FileContext) -> None:
    """`withGmailRetry(() => gmail.users.threads.get(...), 5)`: a count handed to a retry wrapper of the
    project (named for retrying, handed the operation first), reported on the call: at the position
    of its count parameter when the wrapper is this file's, else the first number after the
    operation, made attempts with what its file publishes for that position (`withGmailRetry.$attempts_param:1`,
    extractors.wrappers);
    `withRetry(fn, { maxRetries: 2 })` by the key's own meaning. A call that hands no count runs
    with the wrapper's default, reported once where the wrapper retries."""
    from contract_discovery.resolve import ATTEMPTS_PARAM
    from contract_discovery.values import BinOp, Num, Ref
    from extractors.javascript.context import RETRY_WRAPPER, retry_count_param
    from extractors.javascript.detectors.client_options import _project_module
    for call in ctx.calls:
        if call.is_new or "." in call.callee or not call.args or not RETRY_WRAPPER.search(call.callee):
            continue
        operation = unwrap(call.args[0])
        if operation is None or operation.type not in FUNCTION_TYPES:
            continue
        from extractors.javascript.local_work_ts2 import retries_local_work
        if retries_local_work(ctx, operation):
            continue  # (round 21, ts2) local processes / files retried: no service called
        own = ctx.functions.get(call.callee)
        module = ctx.imports.get(call.callee)
        made = _made_by_package_retry(ctx, call.callee) if own is None and module is None else None
        package = own is None and module is not None and not _project_module(ctx, module) and \
            not re.match(r"(create|make|build)[A-Z]", call.callee)  # (a factory makes a retry function)
        if own is None and module is None and made is None:
            continue
        line = call.node.start_point[0] + 1
        if any(f.kind == "retry" and f.line == line for f in ctx.findings):
            continue
        attempts, confidence, pending = None, "medium", ()
        found = False
        for arg in call.args[1:]:
            obj = ctx.resolve_object(arg)
            props = ctx.props(obj) if obj is not None else None
            key = next((k for k in (props or {}) if k in _COUNT_KEYS), None)
            if key is not None:
                attempts, confidence, pending = ctx.count_value(props[key], _COUNT_KEYS[key])
                found = True
                break
        if not found and (package or made is not None):
            default = _package_default(ctx, made if made is not None else call.node)
            if made is None and default is None:
                continue  # a package's retry function handed no count: its own default, unknown here
            # `const retryHttp = createRetryable(isRetryable)` from a package (round 9): every call
            # retries with the package's default count (known for a few packages)
            attempts = default
            found = True
        elif not found and own is not None:
            param = retry_count_param(own)
            if param is not None and param[0] < len(call.args):
                value = unwrap(call.args[param[0]])
                if value is not None and value.type not in ("undefined", "null"):
                    attempts, confidence, pending = ctx.count_value(value, param[1])
                    found = True
        elif not found:
            position = next((i for i, a in enumerate(call.args) if i and unwrap(a) is not None
                             and (unwrap(a).type == "number" or _count_named_js2(unwrap(a)))), None)
            if position is not None:
                # the wrapper's file publishes what its bound adds to the count it is handed
                # (`withGmailRetry.$attempts_param:1` = 2 when it counts retries: extractors.wrappers)
                marker = Ref(f"{call.callee}.{ATTEMPTS_PARAM}:{position}")
                expr = BinOp("-", BinOp("+", ctx.to_expr(unwrap(call.args[position])), marker), Num(1))
                attempts, confidence, pending = ctx.count_from_expr(expr)
                found = True
        if not found and own is None and not package and made is None and module is not None and \
                len(call.args) == 1:
            # `retryHttp(() => agent.call(...))` of a project file (round 9): kept only when that
            # file made the function with a package's retry factory (`createRetryable(...)`, see
            # package_retry_symbols); the package's default count is not readable
            attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call",
                     "library": None, "expression": "(default)", "via": call.callee}
            ctx.finding("retry", call.node, ID, attrs, "medium", None,
                        (Pending(KEEP_IF, Ref(f"{call.callee}.{PACKAGE_RETRY}"), None),
                         Pending("max_attempts", Ref(f"{call.callee}.{PACKAGE_RETRY_ATTEMPTS}"), 1.0)))
            continue
        if not found:
            continue
        body = _function_node(ctx, operation)
        target, upending = ctx.first_target_in(body) if body is not None else (None, ())
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call",
                 "library": None}
        from extractors.javascript.local_work_ts2 import retried_helper_pending
        local_ts2 = retried_helper_pending(ctx, body)  # (round 21, ts2) a project helper that runs a local process
        finding = ctx.finding("retry", call.node, ID, attrs, confidence, target, tuple(pending) + upending + local_ts2)
        _retried_function(ctx, operation, finding.line, target, upending)


_COUNT_NAME_JS2 = re.compile(r"(?i)retr|attempt|tries|times|count|^max")
_NOT_COUNT_JS2 = re.compile(r"(?i)delay|timeout|wait|interval|backoff|sleep|ms$|_ms_|millis|sec|minute")


def _count_named_js2(node: ts.Node) -> bool:
    """`retryPromise(() => api.raw(url), RETRY, 30)` (round 16, your-spotify): a constant named for a
    count (`RETRY`, `MAX_ATTEMPTS`, `this.maxRetries`) is the count handed to a retry wrapper, before a
    later bare number (there the seconds between tries); a delay's name (`RETRY_DELAY_MS`) is not."""
    if node.type not in ("identifier", "member_expression"):
        return False
    last = ts.text(node).rsplit(".", 1)[-1]
    return bool(_COUNT_NAME_JS2.search(last)) and not _NOT_COUNT_JS2.search(last)


def _made_by_package_retry(ctx: FileContext, name: str) -> ts.Node | None:
    """`export const retryHttp = createRetryable((err) => ...)`: a file-level function made by a
    package's retry factory (named for retrying), the call that makes it."""
    from extractors.javascript.detectors.client_options import _project_module
    value = None
    for decl in ctx.tree.root_node.named_children:
        decl = decl.child_by_field_name("declaration") if decl.type == "export_statement" else decl
        if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in decl.named_children:
            dname = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if dname is not None and ts.text(dname) == name:
                value = declarator.child_by_field_name("value")
    value = unwrap(value)
    if value is None or value.type != "call_expression":
        return None
    fn = dotted(value.child_by_field_name("function"))
    module = ctx.imports.get(fn.split(".", 1)[0], "")
    if not module or _project_module(ctx, module) or not RETRY_WRAPPER_NAME.search(fn.rsplit(".", 1)[-1]):
        return None
    return value


RETRY_WRAPPER_NAME = re.compile(r"retr(y|ies|yable|ying)", re.I)
PACKAGE_RETRY = "$package_retry"
PACKAGE_RETRY_ATTEMPTS = "$package_retry_attempts"
# the tries a package's retry helpers make when handed no count: @atproto/common's `retry(fn, opts)`
# and `createRetryable(isRetryable)` (maxRetries = 3 -> 4 tries)
_PACKAGE_RETRY_DEFAULTS = {"@atproto/common": 4, "@atproto/common-web": 4}


def _package_default(ctx: FileContext, call: ts.Node) -> int | None:
    """The default tries of the package whose retry helper ``call`` calls (or is made by)."""
    fn = dotted(call.child_by_field_name("function")) if call.type == "call_expression" else ""
    module = ctx.imports.get(fn.split(".", 1)[0], "")
    for package, tries in _PACKAGE_RETRY_DEFAULTS.items():
        if module == package or module.startswith(package + "."):
            return tries
    return None


def package_retry_symbols(ctx: FileContext) -> dict:
    """`export const retryHttp = createRetryable(...)` with the factory from a package: published as
    `retryHttp.$package_retry` so another file's calls of it are retries (see _wrapper_counts)."""
    out = {}
    for decl in ctx.tree.root_node.named_children:
        decl = decl.child_by_field_name("declaration") if decl.type == "export_statement" else decl
        if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for declarator in decl.named_children:
            name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            made = _made_by_package_retry(ctx, ts.text(name)) if name is not None and name.type == "identifier" \
                and RETRY_WRAPPER.search(ts.text(name)) else None
            if made is not None:
                out[f"{ts.text(name)}.{PACKAGE_RETRY}"] = Num(1)
                default = _package_default(ctx, made)
                if default is not None:
                    out[f"{ts.text(name)}.{PACKAGE_RETRY_ATTEMPTS}"] = Num(default)
    return out
_INTERCEPTOR = re.compile(r"^(.+)\.interceptors\.response\.use$")
_FLAG = re.compile(r"\.(_retry|_isRetry|isRetry|retried|_retried|hasRetried)\b")


def _gives_up_js2(comparison: ts.Node) -> bool:
    """The comparison is an `if` condition whose branch rejects, throws or returns (the give-up test)."""
    parent = comparison.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None or parent.type != "if_statement":
        return False
    branch = parent.child_by_field_name("consequence")
    text = ts.text(branch) if branch is not None else ""
    return bool(re.search(r"\b(throw|return)\b|\breject\(", text))


def _interceptor_retries(ctx: FileContext) -> None:
    """`client.interceptors.response.use(ok, async (error) => { ...; return client(error.config) })`:
    the error handler sends the request again, through the request interceptors once more."""
    for call in ctx.calls:
        m = _INTERCEPTOR.match(call.callee)
        if m is None or len(call.args) < 2:
            continue
        client = m.group(1)
        handler = _function_node(ctx, call.arg(1))
        if handler is None:
            continue
        resend = [c for c in ctx.calls_in(handler)
                  if c.callee in (client, f"{client}.request") or c.qualified in ("axios", "axios.request")]
        if not resend:
            continue
        body = ts.text(handler)
        attempts, confidence, pending = None, "medium", ()
        if _FLAG.search(body):
            attempts = 2  # a one-shot flag: the original try and one retry
        else:
            from extractors.javascript.detectors.retry_loops import _comparison
            for node in descendants(handler):
                comp = _comparison(node)
                if comp is not None and comp[1] in ("<", "<="):
                    offset = 1.0 if comp[1] == "<" else 2.0
                    attempts, confidence, pending = ctx.count_value(comp[2], offset)
                    break
                if comp is not None and comp[1] in (">=", ">") and _gives_up_js2(node):
                    # `if (config.__retryCount >= retry) return Promise.reject(err)` (round 14, jackson):
                    # the handler gives up once the counter reaches the bound, so bound retries + the first try
                    offset = (1.0 if comp[1] == ">=" else 2.0) - (1.0 if comp[3] else 0.0)
                    attempts, confidence, pending = ctx.count_value(comp[2], offset)
                    break
        instance = instance_for(ctx, client)
        target, upending = (None, ())
        if instance is not None:
            target, upending, _ = ctx.url_target(None, instance.base_url)
        attrs = {"max_attempts": attempts, "backoff": _backoff_of(_delay_text(ctx, handler), "none"),
                 "retry_on": None, "mechanism": "client_config", "library": "axios-interceptor"}
        found = ctx.finding("retry", call.node, ID, attrs, confidence, target, tuple(pending) + upending)
        for other in ctx.calls:
            if other.callee == f"{client}.interceptors.request.use" and other.args:
                ctx.retry_scopes.append(RetryScope(other.arg(0), found.line, target, upending))


_AUTH_FAILURE = re.compile(r"\b40[13]\b|refresh|unauthori[sz]ed|expired", re.I)


def _error_config_resends(ctx: FileContext) -> None:
    """`async function onResponseError(error) { const { config, response } = error; if (response?.status
    === 401) { await refreshToken(); return await instance.request(config) } }`: an axios error
    handler registered elsewhere (handed to a client factory of the project) that sends the failed
    request again after renewing the login: a re-send, reported on it (no count: null)."""
    if b"config" not in ctx.data:
        return
    for fn in ctx.nodes_of("function_declaration", "variable_declarator"):
        if fn.type == "variable_declarator":
            fn = unwrap(fn.child_by_field_name("value"))
            if fn is None or fn.type not in FUNCTION_TYPES:
                continue
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        first = params.named_children[0] if params is not None and params.type != "identifier" and params.named_children \
            else params
        pattern = first.child_by_field_name("pattern") if first is not None and first.type != "identifier" else first
        error = ts.text(pattern) if pattern is not None and pattern.type == "identifier" else None
        if error is None or not re.fullmatch(r"e|err|error|axiosError|requestError", error):
            continue
        body = fn.child_by_field_name("body")
        if body is None or not _AUTH_FAILURE.search(ts.text(body)):
            continue
        configs = {f"{error}.config"}
        for node in descendants(body, stop_at_functions=True):
            if node.type == "variable_declarator" and ts.text(node.child_by_field_name("value") or body) == error:
                name = node.child_by_field_name("name")
                if name is not None and name.type == "object_pattern" and \
                        any(ts.text(c) == "config" for c in name.named_children):
                    configs.add("config")
        if any(ts.text(a.child_by_field_name("function") or a) .endswith("interceptors.response.use")
               for a in ts.ancestors(fn) if a.type == "call_expression"):
            continue  # read by _interceptor_retries
        for call in ctx.calls_in(body):
            if call.args and ts.text(call.args[0]) in configs and \
                    (call.name == "request" or call.qualified in ("axios", "axios.request")):
                attrs = {"max_attempts": 2 if _FLAG.search(ts.text(body)) else None, "backoff": "none",
                         "retry_on": "auth", "mechanism": "client_config", "library": "axios-interceptor"}
                ctx.finding("retry", call.node, ID, attrs, "medium", None, ())
                break


def _delay_text(ctx: FileContext, body: ts.Node) -> ts.Node | None:
    for call in ctx.calls_in(body):
        if re.search(r"sleep|delay|wait|setTimeout|backoff", call.name, re.I):
            return call.arg(1) if call.name == "setTimeout" and len(call.args) > 1 else call.arg(0)
    return None


def _backoff_of(node: ts.Node | None, default: str) -> str:
    if node is None:
        return default
    raw = ts.text(node)
    if re.search(r"exponential|\*\*|Math\.pow|<<", raw, re.I):
        return "exponential"
    if re.search(r"linear|\*\s*\w*(retry|attempt)|(retry|attempt)\w*\s*\*", raw, re.I):
        return "linear"
    if "random" in raw.lower():
        return "random"
    return "fixed"


def _axios_retry(ctx: FileContext, call: CallInfo) -> None:
    client = dotted(call.arg(0))
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    attempts, confidence, pending = ctx.count_value(props.get("retries"), 1.0, default=3.0)
    condition = props.get("retryCondition")
    attrs = {"max_attempts": attempts, "backoff": _backoff_of(props.get("retryDelay"), "none"),
             "retry_on": ts.text(condition) if condition is not None else "network_or_idempotent",
             "mechanism": "client_config", "library": "axios-retry"}
    target, upending = None, ()
    instance = instance_for(ctx, client)
    if instance is not None:
        target, upending, _ = ctx.url_target(None, instance.base_url)
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending)
    # Request interceptors run again for every attempt axios-retry makes.
    for other in ctx.calls:
        if other.callee == f"{client}.interceptors.request.use" and other.args:
            ctx.retry_scopes.append(RetryScope(other.arg(0), found.line, target, upending))


def _function_retry(ctx: FileContext, call: CallInfo, library: str, key: str, default: int, offset: float) -> None:
    from extractors.javascript.local_work_ts2 import retries_local_work
    if retries_local_work(ctx, _function_node(ctx, call.arg(0))):
        return  # (round 21, ts2) `pRetry(() => $`umount ...`)`: local processes / files, no service called
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    attempts, confidence, pending = ctx.count_value(props.get(key), offset, default=float(default))
    if not props:
        from extractors.javascript.options_member_js2r22 import named_options_member
        named = named_options_member(ctx, call.arg(1), key, float(default))
        if named is not None:  # (round 22, js2) `retry(helper, ASYNC_RETRY_OPTIONS)` of another file's constant
            from contract_discovery.model import Pending as _Pending
            attempts, confidence = None, "medium"
            pending = (_Pending("max_attempts", BinOp("+", named, Num(offset)) if offset else named, 1.0),)
    forever = props.get("forever")
    if forever is not None and ts.text(forever).strip() == "true":
        # (round 20, js1) `promiseRetry(f, { forever: true, factor: 1 })` (p-retry too): no limit, not the default 10
        attempts, confidence, pending = None, "high", ()
    backoff = "exponential"
    factor = props.get("factor")
    if factor is not None and ts.text(factor).strip() in ("1", "1.0"):
        backoff = "fixed"
    if attempts == 1:
        backoff = "none"
    fn = call.arg(0)
    body = _function_node(ctx, fn)
    target, upending = ctx.first_target_in(body) if body is not None else (None, ())
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "call",
             "library": library}
    from extractors.javascript.ternary_js2 import spread_override_js2
    spread = spread_override_js2(call.arg(1), key)
    if spread is not None and attempts is not None:
        # (round 20, js2) `backOff(fn, { numOfAttempts: 5, ...options })` in a helper (nango's retryWithBackoff):
        # the caller's options member wins, the literal is its default (rule a here, c at calls naming it)
        attrs["attempts_expression"] = f"{spread}.{key}"
        attrs["fallback"] = attempts
    from extractors.javascript.local_work_ts2 import retried_helper_pending
    local_ts2 = retried_helper_pending(ctx, body)  # (round 21, ts2) a project helper that runs a local process
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending + local_ts2)
    _retried_function(ctx, fn, found.line, target, upending)


def _node_retry(ctx: FileContext, call: CallInfo) -> None:
    """The `retry` package: `const operation = retry.operation({ retries: 3, factor: 1 })` then
    `operation.attempt(fn)`; `retries` are after the first try (10 by default), `forever` has no limit."""
    props = ctx.props(ctx.resolve_object(call.arg(0))) or {}
    forever = props.get("forever")
    if forever is not None and ts.text(forever).strip() == "true":
        attempts, confidence, pending = None, "high", ()
    else:
        attempts, confidence, pending = ctx.count_value(props.get("retries"), 1.0, default=10.0)
    factor = props.get("factor")
    backoff = "fixed" if factor is not None and ts.text(factor).strip() in ("1", "1.0") else "exponential"
    if attempts == 1:
        backoff = "none"
    name = _bound_name(call.node)
    attempted = next((c for c in ctx.calls if name and c.callee == f"{name}.attempt" and c.args), None)
    fn = attempted.arg(0) if attempted is not None else None
    body = _function_node(ctx, fn) if fn is not None else None
    target, upending = ctx.first_target_in(body) if body is not None else (None, ())
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "call", "library": "retry"}
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending)
    if fn is not None:
        _retried_function(ctx, fn, found.line, target, upending)


# trigger.dev's retry helpers (round 11): `retry.fetch(url, { retry: { byStatus: { "500-599": { maxAttempts: 3 } } } })`
# and `retry.onThrow(fn, { maxAttempts: 3 })`; maxAttempts counts every try (3 by default)
_TRIGGER_RETRY = re.compile(r"^@trigger\.dev/sdk(?:/v3)?\.retry\.(fetch|onThrow)$")


def _trigger_retry(ctx: FileContext, call: CallInfo) -> None:
    """`retry.fetch(url, { retry: {...} })`: the fetch is re-sent per the status / connection-error /
    timeout policies of its `retry` option (the largest `maxAttempts` among them bounds a call; no
    `retry` option, no retries); `retry.onThrow(fn, { maxAttempts })` re-runs fn when it throws."""
    if _TRIGGER_RETRY.match(call.qualified).group(1) == "onThrow":
        _function_retry(ctx, call, "trigger.dev", "maxAttempts", 3, 0.0)
        return
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    policy = unwrap(props.get("retry"))
    if policy is None or policy.type != "object":
        return
    counts = [p.child_by_field_name("value") for p in descendants(policy)
              if p.type == "pair" and ts.text(p.child_by_field_name("key")).strip("\"'") == "maxAttempts"]
    best = None
    for node in counts:
        attempts, confidence, pending = ctx.count_value(node, 0.0, default=3.0)
        if best is None or (attempts or 0) > (best[0] or 0):
            best = (attempts, confidence, pending)
    if best is None:
        return
    attempts, confidence, pending = best
    target, upending = ctx.first_target_in(call.node)
    attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none", "retry_on": None,
             "mechanism": "call", "library": "trigger.dev"}
    ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending)


_ASYNC_RETRY = {"async.retry", "async.retryable", "async/retry", "async/retryable", "async/retry.default",
                "async/retryable.default", "async.default.retry", "async.default.retryable",
                # (round 17, js1) Aigle, a Bluebird-style promise library with async's API: `Aigle.retry({ times,
                # interval }, fn)`, times counting every attempt, 5 by default (nodejs/github-bot)
                "aigle.retry", "aigle.default.retry", "aigle.Aigle.retry"}


def _async_retry(ctx: FileContext, call: CallInfo) -> None:
    """caolan/async: `async.retry({ times: 3, interval: 100 }, task, cb)`, `async.retry(3, task)`,
    `async.retry(task)`. `times` counts every attempt (5 when not given)."""
    first = unwrap(call.arg(0))
    if first is None:
        return
    if first.type in FUNCTION_TYPES or (len(call.args) == 1 and first.type == "identifier"
                                        and ctx.resolve_object(first) is None):
        options, fn = None, first  # `async.retry(task)`: the defaults
    else:
        options, fn = first, call.arg(1)
    props = ctx.props(ctx.resolve_object(options)) if options is not None else {}
    if options is not None and props is None and unwrap(options).type in ("number", "identifier", "member_expression"):
        count = options  # `async.retry(3, task)`
        interval = None
    else:
        count = (props or {}).get("times")
        interval = (props or {}).get("interval")
    attempts, confidence, pending = ctx.count_value(count, 0.0, default=5.0)
    backoff = "none" if interval is None or ts.text(interval).strip() == "0" else "fixed"
    if interval is not None and unwrap(interval).type in FUNCTION_TYPES:
        backoff = _backoff_of(interval, "fixed")
    if attempts == 1:
        backoff = "none"
    body = _function_node(ctx, fn)
    inner = unwrap(fn)
    if body is None and inner is not None and inner.type == "call_expression" and \
            dotted(inner.child_by_field_name("function")).rsplit(".", 1)[-1] in ("ensureAsync", "asyncify"):
        args = inner.child_by_field_name("arguments")  # `async.ensureAsync(function (callback) {...})`
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        body = unwrap(given[0]) if given and unwrap(given[0]).type in FUNCTION_TYPES else None
    if body is not None and body.type in FUNCTION_TYPES and _in_memory_task(ctx, body):
        return  # `job = self.findJob(params); return job ? callback() : callback("NOPE")`: a wait, no I/O
    target, upending = ctx.first_target_in(body) if body is not None else (None, ())
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "call",
             "library": "async"}
    found = ctx.finding("retry", call.node, ID, attrs, confidence, target, pending + upending)
    _retried_function(ctx, fn, found.line, target, upending)


def _in_memory_task(ctx: FileContext, fn: ts.Node) -> bool:
    """A task that does no I/O: nothing awaited, no outbound call, and its callback is only called
    (never handed to another call, as `client.get(key, callback)` would): an in-memory check retried
    while something else catches up."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    names = {ts.text(p) for p in (params.named_children if params is not None and params.type != "identifier" else
                                  [params] if params is not None else []) if p.type == "identifier"}
    if not names or ctx.outbound_in(fn):
        return False
    for node in descendants(fn):
        if node.type == "await_expression" or node.type in FUNCTION_TYPES and node != fn:
            return False
        if node.type == "call_expression":
            args = node.child_by_field_name("arguments")
            if any(a.type in FUNCTION_TYPES or ts.text(a) in names for a in (args.named_children if args else [])):
                return False
    return True


def _cockatiel(ctx: FileContext, call: CallInfo):
    props = ctx.props(ctx.resolve_object(call.arg(1))) or {}
    # cockatiel's maxAttempts counts retries after the first call.
    attempts, confidence, pending = ctx.count_value(props.get("maxAttempts"), 1.0, default=None)
    backoff = props.get("backoff")
    attrs = {"max_attempts": attempts, "backoff": _backoff_of(backoff, "fixed") if backoff is not None else "none",
             "retry_on": ts.text(call.arg(0)) if call.arg(0) is not None else None,
             "mechanism": "call", "library": "cockatiel"}
    found = ctx.finding("retry", call.node, ID, attrs, "medium" if attempts is not None else confidence,
                        None, pending)
    return found.line, None, ()


def _bound_name(node: ts.Node) -> str | None:
    parent = node.parent
    if parent is not None and parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return dotted(parent.child_by_field_name("left"))
    return None


def _function_node(ctx: FileContext, fn: ts.Node | None) -> ts.Node | None:
    fn = unwrap(fn)
    if fn is None:
        return None
    if fn.type in FUNCTION_TYPES:
        return fn
    if fn.type == "identifier":
        return ctx.functions.get(ts.text(fn))
    if fn.type == "call_expression":  # fn.bind(this) and the like
        inner = fn.child_by_field_name("function")
        if inner is not None and inner.type == "member_expression":
            return _function_node(ctx, inner.child_by_field_name("object"))
    return None


def _retried_function(ctx: FileContext, fn: ts.Node | None, line: int, target, pending) -> None:
    body = _function_node(ctx, fn)
    if body is not None:
        ctx.retry_scopes.append(RetryScope(body, line, target, tuple(pending)))


def _policy_chain_root(ctx: FileContext, node: ts.Node) -> bool:
    """`Policy.handleAll().retry()`: cockatiel's builder API (before 3.0), rooted at its `Policy`."""
    fn = node.child_by_field_name("function")
    current = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "member_expression" else None
    while current is not None and current.type in ("call_expression", "member_expression"):
        inner = current.child_by_field_name("function") if current.type == "call_expression" \
            else current.child_by_field_name("object")
        current = unwrap(inner)
    if current is None or current.type != "identifier":
        return False
    return ctx.imports.get(ts.text(current)) in ("cockatiel.Policy", "cockatiel")


def _chain_top(node: ts.Node) -> ts.Node:
    """The outermost call of `x.retry().attempts(3).exponential()` starting at its `retry()`."""
    top = node
    while top.parent is not None and top.parent.type == "member_expression" and \
            top.parent.parent is not None and top.parent.parent.type == "call_expression":
        top = top.parent.parent
    return top


def _cockatiel_chain(ctx: FileContext, call: CallInfo):
    attempts_node = None
    backoff = "none"
    current = call.node
    while current.parent is not None and current.parent.type == "member_expression" and \
            current.parent.parent is not None and current.parent.parent.type == "call_expression":
        method = ts.text(current.parent.child_by_field_name("property"))
        current = current.parent.parent
        args = current.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if method == "attempts":
            attempts_node = first
        elif method == "exponential":
            backoff = "exponential"
        elif method in ("delay", "backoff"):
            backoff = _backoff_of(first, "fixed")
    if attempts_node is not None:
        # `.attempts(n)` counts retries after the first call.
        attempts, confidence, pending = ctx.count_value(attempts_node, 1.0)
    else:
        attempts, confidence, pending = None, "medium", ()  # retries until it succeeds
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "call",
             "library": "cockatiel"}
    found = ctx.finding("retry", current, ID, attrs, confidence, None, pending)
    return found.line, None, ()
