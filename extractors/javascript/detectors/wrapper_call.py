"""Timeouts and retry bounds handed to a project's own helper defined in another file.

What it does: a function, class method or constructor whose parameter becomes a timeout or bounds a
retry in its body (`export async function callApi(url, timeoutMs) { return axios.get(url, {
timeout: timeoutMs }) }`, `constructor({ token, timeout }) { this.client = new PlexClient({
timeout }) }`, `withRetry(fn, maxRetries = 3)` around `pRetry`) publishes that parameter for its
callers in other files (`callApi.$timeout_param:1`, `PlexAPI.$timeout_param:0.timeout`: a member
of an options object is keyed `<position>.<key>`; see ``extractors.wrappers``), with the unit
its body reads it in (`timeoutSec * 1000`: 1000 ms per unit; `opts.timeout ?? 5000` read as 5000
ms: ms). Helpers are top-level functions, class methods and constructors, the members of an object
literal (`module.exports = { get(url, timeout) {...} }`, `export const api = {...}`) and the
methods of a module's shared instance (`export const library = new MediaLibrary()`); a default
export is also published without its name. A helper that hands its options parameter to an
axios/got/ky request whole or spread (`axios.get(url, config)`, `{ ...options, headers }`) without a
timeout of its own publishes that parameter's `timeout` member (ms). A call of such a helper imported from the project
(`callApi(RISK_URL, 2000)`, `http.callApi(...)`, `HttpUtil.post(url, body, 3)`, `new PlexAPI({
timeout: 5000 })`, `this.plex.getStatus(1500)` on a field or variable typed or made as an imported
class) that passes a number, a constant, or arithmetic of those (for an options object: its
members named for a time or a count of tries) is proposed as a timeout of phase `total` (on the
call; a constructor's option on its own line) and, for whole numbers, as a retry; the scan keeps a proposal only when the helper's file published that
parameter, and values it there. Not proposed: strings, booleans, `null`/`undefined`, variables
that are not constants, calls of functions of this file or of packages.
The core's three extensions (``extractors.wrappers``): a call handing the calling function's own
parameter on (`getScore(url, timeoutMs) { return callApi(url, timeoutMs) }`, also `seconds *
1000`, `opts.timeout`, `retries - 1`) is a ``forward_proposal`` (never reported), so the outer
helper publishes that parameter in terms of the inner one and ITS callers' values are kept (a
helper chain); a constructor storing a parameter in a field (`this.timeoutMs = timeoutMs`,
`this.t = Number(opts.t) || 30`, `constructor(private readonly timeoutMs: number)`) publishes it
for `new X(...)` when any method reads the field as a timeout or bound; and an awaited call or a
construction leaving a defaulted timeout parameter out gets the default
(``omitted_timeout_proposal``; likewise attempts left to a wrapper's default,
``omitted_retry_proposal``, also a member default of an options parameter: `withRetry(fn, { maxRetries
= 3 } = {})`).
Round 11: an argument read from a record with the code's own fallback (`fetchTimeout(url,
monitor.timeout || 10000)`) is proposed with the fallback's value; a parameter defaulting to an
imported helper (`sendHttpRequest: ISendHttpRequest = sendHttpRequestDefault`, injected for tests)
calls that helper; the rest of a destructured options parameter (`({ organizationId, ...options })`,
`const { schema, ...textOptions } = options`) is that options object, handed on whole to another
file's helper (its `timeout` member is forwarded) or spread into an AI SDK call (`generateText({
...textOptions, model })`, also through a local): `generateOrganizationAIObject({ timeout: 45_000 })`
reaches the model call two helpers down. A member read with the code's own fallback and handed to a
request of the helper's (`fetchTimeout(webhook.url, webhook.timeout ?? 5000)` in `notify(webhook)`) is
the helper's default (rule a), not a forwarder. A parameter WITH a default handed on to another helper
(`buildFunctionChain(conn, fetchTimeoutMs = 2000)` calling `makeFetch(conn.id, log, fetchTimeoutMs)`) is
rule (a) at that call too, with the default's value (as Python and Ruby), besides its chain link.
Why it matters: most services call their dependencies through a helper of their own; the
timeout each call site hands it is the contract with that dependency.
Example: `callApi(RISK_URL, 2000)` with `callApi` in `lib/http.ts`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Env, Expr, Num, Ref, Unknown, ref_names
from extractors import treesitter as ts
from contract_discovery.resolve import (ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, ATTEMPTS_PARAM, KEEP_IF, TIMEOUT_DEFAULT,
                                        TIMEOUT_OMITTED, TIMEOUT_PARAM)
from extractors import wrappers
from extractors.javascript.typed_required_jsfix2 import handed_check as handed_check_jsfix2
from extractors.javascript.typed_required_jsfix2 import handed_expr as handed_expr_jsfix2
from extractors.javascript.typed_required_jsfix2 import required_member as required_member_jsfix2
from extractors.javascript.context import (DI_PREFIX, FUNCTION_TYPES, FileContext, _parameter_default, descendants,
                                           dotted, enclosing_function, inside, js_detector, key_name, param_token,
                                           unwrap)

ID = "javascript.wrapper_call"


@js_detector(ID, ["timeout", "retry"],
             valid=['import { callApi } from "./http";\nexport const f = (url, t) => callApi(url, t);',
                    'import axios from "axios";\naxios.get("http://x/y", "3000");'],
             invalid=['import { callApi } from "./http";\ncallApi("http://risk/score", 2000);'])
def detect(ctx: FileContext) -> None:
    taken = {(f.line, f.kind) for f in ctx.findings}
    for call in list(ctx.calls):
        call = _base_construction(ctx, call) or call
        head = call.callee.split(".", 1)[0]
        if head not in ctx.imports and head != "this" and head in ctx.functions and \
                _same_file_callee(ctx, call) is None:
            continue  # a nested function, or a method name: no helper callers address
        if not call.args or not any(_may_propose(a) for a in call.args):
            if call.callee and (call.awaited or call.is_new or _returned_call(call.node) or _stored_client_js2(call)):
                _omitted(ctx, taken, call)  # `await this.queue.pushWait(message)`: a defaulted bound left out
            continue  # told by shape first: most calls hand no number
        try:
            callee = _helper_callee(ctx, call)
        except Exception:  # one odd call costs only its proposals
            continue
        if callee is None:
            continue
        for position, arg in enumerate(call.args):
            inner = unwrap(arg)
            if inner is None:
                continue
            if inner.type == "identifier":
                from extractors.javascript.ternary_js2 import fallback_options_literal_js2
                inner = fallback_options_literal_js2(ctx, inner, call.node) or inner
            if inner.type == "object":
                from extractors.javascript.merged_options_ts2 import spread_forward_ts2
                spread_forward_ts2(ctx, call, callee, position, inner)  # (round 21, ts2) `{ ...options, x }`
                for pair in inner.named_children:
                    if pair.type == "shorthand_property_identifier" and _OPTION_WORD.search(ts.text(pair)):
                        # `fetchWithTimeout(url, { timeoutInMs })` (round 12): the caller's own parameter
                        # handed on under its name, as `{ timeoutInMs: timeoutInMs }`
                        _forward(ctx, call, callee, f"{position}.{ts.text(pair)}", pair, taken=taken,
                                 site=pair if call.is_new else None)
                        continue
                    if pair.type != "pair":
                        continue
                    key = key_name(pair.child_by_field_name("key"))
                    value = pair.child_by_field_name("value")
                    if not (key and _OPTION_KEY.search(key) and _OPTION_WORD.search(key)):
                        continue
                    if _number_like(ctx, value):
                        # a constructor's option on its own line (as a client's options are); a
                        # helper function's on the call
                        _propose(ctx, taken, pair if call.is_new else _call_site(call.node), call, callee,
                                 f"{position}.{key}", value)
                    else:
                        _forward(ctx, call, callee, f"{position}.{key}", value, taken=taken,
                                 site=pair if call.is_new else None)
            elif _number_like(ctx, inner):
                _propose(ctx, taken, _call_site(call.node), call, callee, position, inner)
                from extractors.javascript.ternary_js2 import body_fallback_forward_js2
                body_fallback_forward_js2(ctx, call, callee, position, inner, _forward, _call_site)
            else:
                _forward(ctx, call, callee, position, inner, taken=taken)
                _forward_options(ctx, call, callee, position, inner)
        if call.awaited or call.is_new or _stored_client_js2(call) or (_returned_call(call.node) and not all(
                _forwarded_expr(a) for a in call.args)):
            # (a returned call handing on nothing but its own parameters is a chain: `(url, t) =>
            # callApi(url, t)`)
            _omitted(ctx, taken, call, callee)


def _forward(ctx: FileContext, call, callee: str, key, value: ts.Node | None, *, taken: set | None = None,
             site: ts.Node | None = None) -> None:
    """A helper chain: the calling function hands its own parameter (`timeoutMs`, `seconds * 1000`,
    `opts.timeout`, `retries + 1`) to another file's helper. Never reported; ``publish`` turns it
    into the calling function's own parameter for ITS callers (``wrappers.forward_proposal``).
    A parameter WITH a default is also rule (a) at this line (``_defaulted_forward``)."""
    inner = unwrap(value)
    if inner is not None and inner.type == "shorthand_property_identifier":
        if not _forwarded(inner, ts.text(inner)):
            return
        expr = Ref(ts.text(inner))
    elif inner is None or not _forwarded_expr(inner):
        return
    else:
        expr = ctx.to_expr(inner, scoped=False)
    if isinstance(expr, Unknown):
        return
    ctx.findings.append(wrappers.forward_proposal(
        path=ctx.path, language="javascript", node=_call_site(call.node), detector=ID, callee=callee, key=key,
        value=expr, expression=f"(forward) {ts.text(inner)}"))
    if taken is not None:
        _defaulted_forward(ctx, taken, site or _call_site(call.node), call, callee, key, inner, expr)


def _defaulted_forward(ctx: FileContext, taken: set, node: ts.Node, call, callee: str, key, inner: ts.Node,
                       expr: Expr) -> None:
    """Rule (a) through a helper chain (round 11, as Python and Ruby): the calling helper hands on its
    own parameter WITH a default set in code (`buildFunctionChain(conn, fetchTimeoutMs = 2000)` calling
    `makeFetch(conn.id, log, fetchTimeoutMs)`): a timeout (or retry) at this line with the default's
    value, proposed as a value handed to the inner helper is (kept only where it publishes that
    parameter). A parameter without a default, or one defaulting to what no file settles (`timeout =
    opts.timeout`), stays a forwarder only; its callers' values are the contracts."""
    names = {n for n in ref_names(expr) if "." not in n}
    if len(names) != 1 or any("." in n for n in ref_names(expr)):
        return  # `opts.timeout`: a member of an options object, its default is the object's
    name = next(iter(names))
    default = _own_default(inner, name)
    if default is None or not _settled_default(ctx, default):
        return
    made = ctx.to_expr(default)
    if isinstance(made, Unknown):
        return
    value = _substitute(expr, name, made)
    number = ctx.evaluate(value).value
    kinds = []
    if not (isinstance(number, (int, float)) and not isinstance(number, bool) and number <= 0):
        kinds.append(("timeout", wrappers.timeout_proposal))  # `timeout = 0`: no bound
    if (isinstance(number, int) or isinstance(number, float) and number.is_integer()) and \
            not isinstance(number, bool) and number >= 0:
        kinds.append(("retry", wrappers.retry_proposal))
    line = node.start_point[0] + 1
    first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
    for kind, make in kinds:
        if (line, kind) in taken or any((n, kind) in taken for n in range(first, last + 1)):
            continue  # another detector reads this call already: one contract per call and kind
        ctx.findings.append(make(path=ctx.path, language="javascript", node=node, detector=ID, callee=callee,
                                 key=key, value=value, expression=ts.text(inner), args=_url_args(ctx, call)))


def _own_default(node: ts.Node, name: str) -> ts.Node | None:
    """The default of the nearest enclosing function's parameter ``name`` (None: none, or no such parameter)."""
    fn = enclosing_function(node)
    while fn is not None:
        found, default = _parameter_default(fn, name)
        if found:
            return unwrap(default)
        fn = enclosing_function(fn)
    return None


def _settled_default(ctx: FileContext, node: ts.Node) -> bool:
    """A default the scan can value: a number, arithmetic of numbers, a constant (`DEFAULT_TIMEOUT_MS`,
    `config.HTTP_TIMEOUT`: settled here or by the file that defines it), `ms("5s")`; not a setting read
    from an object (`opts.timeout`), a call, or a variable."""
    number = ctx.evaluate(ctx.to_expr(node)).value
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        return True
    if node.type in ("identifier", "member_expression"):
        return bool(re.fullmatch(r"[A-Z][A-Z0-9_]*", dotted(node).rsplit(".", 1)[-1])) and _number_like(ctx, node)
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("*", "+", "-", "/"):
        return all(_settled_default(ctx, unwrap(side)) for side in (node.child_by_field_name("left"),
                                                                     node.child_by_field_name("right"))
                   if side is not None)
    return node.type == "call_expression" and dotted(node.child_by_field_name("function")) == "ms" and \
        _number_like(ctx, node)


def _substitute(expr: Expr, name: str, value: Expr) -> Expr:
    """``expr`` with the parameter ``name`` replaced by its default."""
    if isinstance(expr, Ref):
        return value if expr.name == name else expr
    if isinstance(expr, BinOp):
        return BinOp(expr.op, _substitute(expr.left, name, value), _substitute(expr.right, name, value))
    return expr


def _forward_options(ctx: FileContext, call, callee: str, position: int, inner: ts.Node) -> None:
    """`generateObject(options, env)` with `options` the rest of the calling helper's options parameter
    (`({ organizationId, ...options })`, round 11): the caller's `timeout` member reaches the inner
    helper's options object (a chain of `<position>.timeout`, published when the inner one reads it)."""
    if inner.type != "identifier" or not _OPTIONS_NAME.search(ts.text(inner)) or not _forwarded(inner, ts.text(inner)):
        return
    ctx.findings.append(wrappers.forward_proposal(
        path=ctx.path, language="javascript", node=_call_site(call.node), detector=ID, callee=callee,
        key=f"{position}.timeout", value=Ref(f"{ts.text(inner)}.timeout"),
        expression=f"(forward) {ts.text(inner)}.timeout"))


_OPTIONS_NAME = re.compile(r"options|opts|config|params|args|request|input", re.I)


def _forwarded_expr(node: ts.Node) -> bool:
    """A parameter of an enclosing function (or its member), alone or times / plus a number."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("identifier", "member_expression"):
        text = dotted(node)
        if not text or text.startswith("this.") or text.count(".") > 1:
            return False
        return _forwarded(node, text.split(".", 1)[0])
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) in ("*", "/", "+", "-"):
        left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
        if left is None or right is None:
            return False
        if right.type == "number":
            return _forwarded_expr(left)
        if left.type == "number":
            return _forwarded_expr(right)
    return False


def _call_site(node: ts.Node) -> ts.Node:
    """`this.queue\n  .pushWait(msg, 5000)`: the method's line names the call (as ctx.finding places it)."""
    fn = unwrap(node.child_by_field_name("function")) if node.type == "call_expression" else None
    prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
    return prop if prop is not None and prop.start_point[0] > node.start_point[0] else node


def _base_construction(ctx: FileContext, call):
    """`super({ timeout: 5_000 })` in a class extending an imported one, and `new DynadotClient()` of a
    class of this file without a constructor of its own that extends one (round 12, vendor clients on
    a project's HttpBaseClient): a construction of that imported class, as its callers address it."""
    if call.callee == "super" and not call.is_new:
        cls = next((p for p in ts.ancestors(call.node) if p.type in ("class_declaration", "class",
                                                                      "abstract_class_declaration")), None)
    elif call.is_new and re.fullmatch(r"[A-Za-z_$][\w$]*", call.callee or "") and call.callee not in ctx.imports:
        tops = [st.child_by_field_name("declaration") if st.type == "export_statement" else st
                for st in ctx.tree.root_node.named_children]
        cls = next((n for n in tops if n is not None and n.type in ("class_declaration", "abstract_class_declaration")
                    and ts.text(n.child_by_field_name("name")) == call.callee), None)
        body = cls.child_by_field_name("body") if cls is not None else None
        if body is None or any(m.type == "method_definition" and ts.text(m.child_by_field_name("name")) == "constructor"
                               for m in body.named_children):
            return None
    else:
        return None
    heritage = next((c for c in (cls.children if cls is not None else []) if c.type == "class_heritage"), None)
    extends = next((c for c in (heritage.children if heritage is not None else []) if c.type == "extends_clause"), None)
    base = extends.child_by_field_name("value") if extends is not None else None
    name = ts.text(base) if base is not None and base.type == "identifier" else ""
    if not name or name not in ctx.imports:
        return None
    return replace(call, callee=name, qualified=ctx.qualify(name), is_new=True)


def _omitted(ctx: FileContext, taken: set, call, callee: str | None = None) -> None:
    """A call of another file's helper leaving a defaulted timeout or attempts parameter out
    (`await this.queue.pushWait(message)`, `fetchJson(url)` with `timeout = 5000`): the core's
    omitted proposals, kept only when the helper's file publishes that default."""
    try:
        callee = callee or _helper_callee(ctx, call)
    except Exception:
        return
    if callee is None:
        return
    if _hands_on_options(ctx, call, callee):
        return
    from extractors.javascript.merged_options_ts2 import spread_forwarded
    if spread_forwarded(ctx, call):
        return  # (round 21, ts2) the caller's own options handed on in a spread: a chain, nothing left out
    node = _call_site(call.node)
    first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
    keywords = []
    for arg in call.args:  # an options object naming a bound is a proposal of its own
        inner = unwrap(arg)
        if inner is not None and inner.type == "object":
            # (a flag is no bound: `{ retryOnNull: true }` leaves the count to the default)
            # (round 14, js2: nor a list or a predicate: `{ retryOnlyOnStatus: [429] }`, `retryOn: (e) => ...` say
            # when to retry, not how often)
            keywords += [key_name(p.child_by_field_name("key")) or "" for p in inner.named_children if p.type == "pair"
                         and getattr(unwrap(p.child_by_field_name("value")), "type", "") not in (
                             "true", "false", "array", "arrow_function", "function_expression", "function")]
            keywords += [ts.text(p) for p in inner.named_children if p.type == "shorthand_property_identifier"]
    # attempts left to a wrapper's default (`withRetry(fn)` with `maxRetries = 3`): rule (b) of the
    # helper-parameter convention (round 10; a package retry helper's proposal on the same call does
    # not stand in for it: it is kept only for a package's helper)
    for kind, make in (("timeout", wrappers.omitted_timeout_proposal), ("retry", wrappers.omitted_retry_proposal)):
        if any((n, kind) in taken for n in range(first, last + 1)) and (kind == "timeout" or any(
                f.kind == "retry" and first <= f.line <= last and not any(p.attribute == "$keep_if" for p in f.pending)
                for f in ctx.findings)):
            continue  # another detector (or, for a timeout, a proposal) reads this call already
        finding = make(path=ctx.path, language="javascript", node=node, detector=ID, callee=callee,
                       positional=len(call.args), keywords=keywords, args=_url_args(ctx, call))
        if finding is not None:
            ctx.findings.append(finding)
        last_arg = unwrap(call.args[-1]) if call.args else None
        if kind == "timeout" and last_arg is not None and last_arg.type == "identifier":
            # (round 16, js1) `const options = { method, url, headers }; ...; axiosRequest(options)`: an options
            # object the calling function builds as a literal without a timeout (none assigned later, nothing
            # spread in) leaves the helper's defaulted member out as a literal argument does
            last_arg = _local_options_literal_js1(ctx, last_arg, call.node)
        if kind == "timeout" and last_arg is not None and last_arg.type == "object":
            # an options literal leaving a constructor's defaulted member out (published as `<n>:literal`)
            literal = make(path=ctx.path, language="javascript", node=node, detector=ID, callee=callee,
                           positional=f"{len(call.args)}:literal", keywords=keywords, args=_url_args(ctx, call))
            if literal is not None:
                ctx.findings.append(literal)


def _local_options_literal_js1(ctx: FileContext, arg: ts.Node, site: ts.Node) -> ts.Node | None:
    """The object literal a local options variable holds when it names no timeout, spreads nothing in and
    no `options.timeout = ...` is assigned in the function around ``site``; else None."""
    if _forwarded(arg, ts.text(arg)):
        # (round 18 fixes) the calling function's own parameter (`function Service(url, options = {}) { new
        # Pool(url, options) }`, fxa's createBackendServiceAPI): its `= {}` default is not what its callers
        # hand in; the object is handed on whole, leaving nothing out here
        return None
    try:
        obj = unwrap(ctx.resolve_object(arg))
    except Exception:
        return None
    if obj is None or obj.type != "object" or obj is arg or ctx.opaque(obj):
        return None
    scope = enclosing_function(obj)
    if scope is None or not (scope.start_byte <= site.start_byte <= scope.end_byte):
        return None  # a module-level object may be changed anywhere
    if "timeout" in (ctx.props(obj) or {}):
        return None
    if any(key in ("timeout", "signal") for key, _, _ in ctx.assigned_props(arg, obj)):
        return None
    return obj


def _hands_on_options(ctx: FileContext, call, callee: str) -> bool:
    """`getFullManifests(name, optionalConfig) { return this.getFullManifestsBuffer(name, optionalConfig) }`
    with the bound a member of this file's helper's options parameter: the caller's own options object
    handed on may carry it (its callers decide), nothing is left out. Not when a positional parameter
    after the given ones has a default (`new MetadataManager(settings)` leaving `timeout = 3000` out)."""
    last = unwrap(call.args[-1]) if call.args else None
    if last is None or last.type != "identifier" or not _OPTIONS_PARAM.fullmatch(ts.text(last)) \
            or not _forwarded(last, ts.text(last)):
        return False
    fn = _local_helpers(ctx).get(callee) if getattr(ctx, "_wrapper_local", None) is not None else None
    if fn is None:
        return False  # another file's helper: its parameters are not seen here
    defaulted = _defaulted_params(fn)
    return not any(name in defaulted for name in _positional_names(fn)[len(call.args):])


# a parameter named as an options object (`opts`, `options`, `optionalConfig`, `retryOptions`)
_OPTIONS_PARAM = re.compile(r"opts?|options?|config|cfg|settings|params|[a-z]\w*(?:Options|Opts|Config|Cfg|Settings|Params)")

_URLISH_ARG = ("string", "template_string", "identifier", "member_expression", "binary_expression")


def _url_args(ctx: FileContext, call) -> dict[int, Expr]:
    """The call's arguments that may be its destination (`postJson(`${RISK_URL}/score`, order)`), by position:
    the helper's file publishes which position is its URL (`$url_param`), or a destination of its own
    (`$url_fixed`)."""
    out: dict[int, Expr] = {}
    for position, arg in enumerate(call.args):
        inner = unwrap(arg)
        if inner is None or inner.type not in _URLISH_ARG:
            continue
        try:
            expr = ctx.to_expr(inner)
        except Exception:  # noqa: BLE001 - an odd argument costs only the destination
            continue
        if not isinstance(expr, Unknown):
            out[position] = expr
    return out


def _may_propose(arg: ts.Node) -> bool:
    """An argument that may be a number, a constant, or an options object with one (by its text)."""
    inner = unwrap(arg)
    if inner is None:
        return False
    if inner.type == "object":
        return bool(_OPTION_WORD.search(ts.text(inner)))
    return inner.type in ("number", "binary_expression", "identifier", "member_expression", "call_expression")


# the members of an options object worth proposing: named for a time or a count of tries
_OPTION_KEY = re.compile(r"^[A-Za-z_$][\w$]*$")
_SETTING_MEMBER = re.compile(r"time_?out|deadline|(?<![a-z])ms$|millis|seconds?$|retries|attempts|tries$|"
                             r"^max\w*time$", re.I)  # (round 20, js1) `config.maxProcessingTime`: a bound on a time
_OPTION_WORD = re.compile(r"time|ms$|millis|sec|deadline|wait|retr|attempt|tries|count|max|limit|duration", re.I)


def _propose(ctx: FileContext, taken: set, node: ts.Node, call, callee: str, key, value: ts.Node) -> None:
    inner = unwrap(value)
    expr = ctx.to_expr(inner)
    if isinstance(expr, Unknown):
        return
    if _shutdown_deadline(call):
        return  # a shutdown's give-up time (process lifecycle), not a call's bound
    line = node.start_point[0] + 1
    kinds = [("timeout", wrappers.timeout_proposal)]
    number = ctx.evaluate(expr).value
    if (isinstance(number, int) or isinstance(number, float) and number.is_integer()) and number >= 0 \
            and ("." not in ts.text(inner) or _fallback_count_js4(inner)):
        kinds.append(("retry", wrappers.retry_proposal))
    elif number is None and _env_setting(expr) and re.search(r"(?i)retr|attempt|tries", ts.text(inner)):
        kinds.append(("retry", wrappers.retry_proposal))  # `maxRetries` read from the environment (round 12)
    elif number is None and isinstance(expr, Call) and expr.func in ("Number", "parseInt") and expr.args and \
            isinstance(expr.args[0], Ref) and "$" not in expr.args[0].name and \
            re.search(r"(?i)retr|attempt|tries", ts.text(inner)):
        kinds.append(("retry", wrappers.retry_proposal))  # (round 20, ts2) `Number(MAX_RETRIES)` of `= process.env`
    elif number is None and isinstance(expr, Ref) and "$" not in expr.name and \
            re.search(r"(?i)retr|attempt|tries", ts.text(inner)):
        # (round 19, js1) `retry(emailRequest, RETRIES, RETRY_INTERVAL, true)` with `const { RETRIES } =
        # require('../constants/publish')`: a count named so, valued in the module that defines it
        kinds.append(("retry", wrappers.retry_proposal))
    first, last = call.node.start_point[0] + 1, call.node.end_point[0] + 1
    for kind, make in kinds:
        if (line, kind) in taken or any((n, kind) in taken for n in range(first, last + 1)):
            continue  # another detector reads this call already: one contract per call and kind
        finding = make(path=ctx.path, language="javascript", node=node, detector=ID, callee=callee, key=key,
                       value=expr, expression=ts.text(inner), args=_url_args(ctx, call))
        ctx.findings.append(finding)


def _fallback_count_js4(inner: ts.Node) -> bool:
    """(round 19, js4) `retryWithBackoff(cb, options.maxRetries || 3, 0)`: an options member with a whole
    number as the code's fallback (the `.` of the member is no decimal point)."""
    if inner.type != "binary_expression" or ts.text(inner.child_by_field_name("operator")) not in ("||", "??"):
        return False
    right = unwrap(inner.child_by_field_name("right"))
    return right is not None and right.type == "number" and "." not in ts.text(right)


_SHUTDOWN_FN = re.compile(r"^(stop|shutdown|close|dispose|teardown|destroy|onModuleDestroy|onApplicationShutdown|"
                          r"beforeApplicationShutdown|gracefulShutdown|stop\w*Sync\w*)$")
_SHUTDOWN_TEXT = re.compile(r"(?i)shut\s*-?\s*down|forcing exit|force exit")


def _shutdown_deadline(call) -> bool:
    """`this.shutdownPromise = runWithTimeout((async () => {...})(), 30_000, '... took too long to shutdown,
    forcing exit')` in `stop()` (round 12, Open Collective's workers): a bound handed to a helper while the
    process shuts down, said so by the function's name or the call's own message."""
    said = [a for a in call.args if unwrap(a) is not None and unwrap(a).type in ("string", "template_string")]
    if any(_SHUTDOWN_TEXT.search(ts.text(a)) for a in said):
        return True
    fn = enclosing_function(call.node)
    while fn is not None and fn.type in ("arrow_function", "function_expression", "function") and \
            fn.child_by_field_name("name") is None:
        outer = enclosing_function(fn)
        if outer is None:
            break
        fn = outer
    name = fn.child_by_field_name("name") if fn is not None else None
    return name is not None and bool(_SHUTDOWN_FN.match(ts.text(name)))


def _number_like(ctx: FileContext, node: ts.Node | None) -> bool:
    """A number, a constant (settled here, or an upper-case / imported name another file defines),
    `ms("5s")`, or arithmetic of those; never the caller's own parameter (a forwarder)."""
    node = unwrap(node)
    if node is None:
        return False
    kind = node.type
    if kind == "number":
        return True
    if kind == "binary_expression":
        op = ts.text(node.child_by_field_name("operator"))
        if op in ("||", "??"):
            # `fetchTimeout(url, monitor.timeout || 10000)`, `webhook.timeout ?? 5000` (round 11): a
            # setting read from a record or options object with the code's own fallback; the value
            # this call hands the helper unless the record says otherwise (valued as the fallback)
            return _number_like(ctx, node.child_by_field_name("right")) and \
                not isinstance(ctx.to_expr(node), Unknown)
        return op in ("*", "+", "-", "/") and all(
            _number_like(ctx, side) for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))
    if kind == "call_expression":
        fn = dotted(node.child_by_field_name("function"))
        if fn == "ms":
            return not isinstance(ctx.to_expr(node), Unknown)
        made = ctx.to_expr(node)
        if isinstance(made, Call) and made.func in ("Number", "parseInt", "parseFloat") and made.args and \
                isinstance(made.args[0], Env):
            made = made.args[0]  # (round 20, ts2) `Number(parseInt(process.env.X))`
        if isinstance(made, Call) and made.func in ("Number", "parseInt", "parseFloat") and made.args and \
                isinstance(made.args[0], Ref) and _SETTING_MEMBER.search(made.args[0].name):
            # (round 20, ts2) `const { FETCH_YOTI_SESSION_MAX_RETRIES } = process.env; new YotiService(...,
            # Number(FETCH_YOTI_SESSION_MAX_RETRIES))`: the deployment's setting handed in (rule c)
            around = enclosing_function(node)
            if around is not None and re.search(r"\{[^}]*\b" + re.escape(made.args[0].name) + r"\b[^}]*\}\s*=\s*process\.env\b",
                                                ts.text(around)):
                return True
        if isinstance(made, Env) and _SETTING_MEMBER.search(made.var):
            # `options.config.get("mailer_job_timeout")` (round 14, js1): a configuration service's setting named
            # for a time or a count (convict, NestJS ConfigService), the value this call hands the helper (rule c)
            return True
        if fn and "." not in fn and not node.child_by_field_name("arguments").named_children and \
                isinstance(ctx.evaluate(made).value, (int, float)) and not isinstance(ctx.evaluate(made).value, bool):
            # (round 20, js1) `withDeadline(work, importDeadlineMs(), ...)`: a getter of this file returning the
            # env setting or its own default (`Number.isFinite(ms) ? ms : 120000`), valued as that default
            return True
        # `container.get<number>(TYPES.HTTP_CALL_TIMEOUT)` (round 11): the container's binding, a setting
        return isinstance(made, Ref) and made.name.startswith(DI_PREFIX)
    if kind in ("identifier", "member_expression"):
        text = dotted(node)
        if text.startswith("this.") and text.count(".") == 1:
            # `timeout: this.TIMEOUT` with `private TIMEOUT = 4000`: the class's own constant field
            settled = ctx.evaluate(ctx.to_expr(node)).value
            return isinstance(settled, (int, float)) and not isinstance(settled, bool)
        if not text or text.startswith("this."):
            return False
        if _forwarded(node, text.split(".", 1)[0]):
            # a settings object handed in (`(cfg: ServerConfig) => getJson(url, cfg.upstreamTimeout)`):
            # its setting-named member is a config field this call hands over (rule c), no forwarder
            return kind == "member_expression" and bool(_CONFIGISH.fullmatch(text.split(".", 1)[0])) and \
                bool(_SETTING_MEMBER.search(text.rsplit(".", 1)[-1]))
        made = ctx.to_expr(node)
        settled = ctx.evaluate(made).value
        if isinstance(settled, (int, float)) and not isinstance(settled, bool):
            return True
        if kind == "identifier" and _env_setting(made):
            # `const maxRetries = +checkEnvironmentVariable(EnvironmentVariables.HMRC_MAX_RETRIES, logger)` handed on
            # (round 12): a setting the deployment gives, the value this call hands the helper (rule c)
            return True
        last = text.rsplit(".", 1)[-1]
        head = text.split(".", 1)[0]
        if kind == "member_expression" and _SETTING_MEMBER.search(last):
            # a setting read from a configuration object or a record (`EnvSet.values.dbConnectionTimeout`,
            # `monitor.timeout`): the value this call hands the helper (kept only where the helper's
            # file publishes that parameter; valued when the setting resolves)
            return True
        return bool(re.fullmatch(r"[A-Z][A-Z0-9_]*", last)) and (head in ctx.imports or head in ctx.symbols
                                                                  or text in ctx.symbols)
    return False


def _env_setting(expr) -> bool:
    """An environment variable's value, converted to a number or not (`+env(X)`, `parseInt(process.env.X)`)."""
    for _ in range(3):
        if isinstance(expr, Env):
            return True
        if isinstance(expr, Call) and expr.func in ("Number", "parseInt", "parseFloat") and expr.args:
            expr = expr.args[0]
            continue
        return False
    return False


def _forwarded(node: ts.Node, name: str) -> bool:
    """``name`` is a parameter of a function around ``node``: the caller's caller decides."""
    fn = enclosing_function(node)
    while fn is not None:
        if _parameter_default(fn, name)[0]:
            return True
        fn = enclosing_function(fn)
    return False


def _helper_callee(ctx: FileContext, call) -> str | None:
    """The name a call's helper publishes under, when it is the project's own and not this file's:
    `callApi`, `http.callApi`, `HttpUtil.post`, `PlexAPI` (a constructor), `PlexAPI.getStatus` (a
    method called on a field or variable holding, or typed as, an imported class)."""
    callee = call.callee
    if not callee or "(" in callee or "[" in callee:
        return None
    local = _same_file_callee(ctx, call)
    if local is not None:
        return local
    head, _, rest = callee.partition(".")
    if head == "this" or head == "super":
        if rest and "." not in rest:
            # `this.getWithoutCache(url, { timeout })` in a class extending an imported one that
            # defines it (round 13, the maintainerr request): that base class's method
            return _inherited_method_js1(ctx, call.node, rest)
        if not rest:
            return None
        holder, _, method = callee.rpartition(".")
        cls = _instance_class(ctx, holder, call.node)
        return f"{cls}.{method}" if cls is not None and "." not in method else None
    if head in ctx.imports:
        if not _project_import(ctx, head) or callee.count(".") > 2 or ctx.shadowed(head, call.node):
            return None
        return callee
    if not rest and head not in ctx.functions:
        injected = _injected_helper(ctx, call.node, head)
        if injected is not None:
            return injected
    if head in ctx.functions or not rest or "." in rest:
        return None
    cls = _instance_class(ctx, head, call.node)
    return f"{cls}.{rest}" if cls is not None else None


def _inherited_method_js1(ctx: FileContext, node: ts.Node, method: str) -> str | None:
    """`<Base>.<method>` for `this.<method>(...)` in a class extending `Base` imported from the
    project, when the class (this file) does not define the method itself; None otherwise."""
    cls = next((p for p in ts.ancestors(node) if p.type in ("class_declaration", "class",
                                                             "abstract_class_declaration")), None)
    if cls is None:
        return None
    body = cls.child_by_field_name("body")
    for member in (body.named_children if body is not None else ()):
        name = member.child_by_field_name("name") or member.child_by_field_name("property")
        if name is not None and ts.text(name) == method:
            return None  # a method (or an arrow-function field) of this class
    heritage = next((c for c in cls.children if c.type == "class_heritage"), None)
    extends = next((c for c in (heritage.children if heritage is not None else []) if c.type == "extends_clause"), None)
    base = unwrap(extends.child_by_field_name("value")) if extends is not None else None
    name = ts.text(base) if base is not None and base.type == "identifier" else ""
    if not name or name not in ctx.imports or not _project_import(ctx, name):
        return None
    return f"{name}.{method}"


def _injected_helper(ctx: FileContext, node: ts.Node, name: str) -> str | None:
    """`(url, sendHttpRequest: ISendHttpRequest = sendHttpRequestDefault) => sendHttpRequest(req, cfg)`
    (round 11): a parameter whose default is a helper imported from the project (injected for tests)
    calls that helper."""
    fn = enclosing_function(node)
    while fn is not None:
        found, default = _parameter_default(fn, name)
        if found:
            default = unwrap(default)
            if default is None or default.type != "identifier":
                return None
            imported = ts.text(default)
            if imported in ctx.imports and _project_import(ctx, imported):
                return imported
            return None
        fn = enclosing_function(fn)
    return None


def _same_file_callee(ctx: FileContext, call) -> str | None:
    """The name a helper OF THIS FILE publishes under, when the call is of it (round 11: the
    helper-parameter convention holds for calls in the helper's own file, as in Java and Python):
    a top-level function or an object's member (`getKey(url, cache)`, `api.get(url)`), a class
    method called on `this` inside its own class (`this.fetchWithRetry(url)` -> `Client.fetchWithRetry`),
    a class's constructor (`new Client({ timeout: 5000 })`). Not a name bound nearer the call (a
    parameter, a nested function of the same name), an import, nor the helper's own recursive call
    (its rule (a) line is the helper's). ``settle_same_file`` keeps the proposals only where this
    file published the parameter."""
    callee = call.callee
    if not callee or "(" in callee or "[" in callee:
        return None
    head, _, rest = callee.partition(".")
    if head == "this":
        if not rest or "." in rest:
            return None
        cls = _this_class(call.node)
        name = f"{cls}.{rest}" if cls else None
    elif head == "super" or head in ctx.imports:
        return None
    elif ctx.shadowed(head, call.node):
        if rest or not _nested_helper_call_js1(ctx, head, call.node):
            return None
        name = callee  # (round 16, js1) a helper declared in the function around the call
    else:
        name = callee
    fn = _local_helpers(ctx).get(name) if name else None
    if fn is None or inside(call.node, fn):
        return None
    return name


def _local_helpers(ctx: FileContext) -> dict[str, ts.Node]:
    """Every name this file's helpers publish under (``_helpers``), with the function node; kept."""
    memo = getattr(ctx, "_wrapper_local", None)
    if memo is None:
        memo = {}
        for names, fn in _helpers(ctx):
            for name in names:
                if name:
                    memo.setdefault(name, fn)
        ctx._wrapper_local = memo
    return memo


_NEW_THIS = frozenset({"function_declaration", "function_expression", "function", "generator_function",
                       "generator_function_declaration"})


def _this_class(node: ts.Node) -> str | None:
    """The class `this` is at ``node``: the class whose method (or arrow-function field) holds it,
    not through a `function` of its own `this`."""
    for parent in ts.ancestors(node):
        if parent.type in _NEW_THIS:
            return None
        if parent.type == "class_body":
            name = parent.parent.child_by_field_name("name") if parent.parent is not None else None
            return ts.text(name) if name is not None else None
    return None


def settle_same_file(ctx: FileContext, findings, symbols) -> list:
    """Drop a proposal at a call of this file's own helper whose parameter this file did not
    publish (``_same_file_callee``): the answer must not come from a same-named helper of another
    file. Other proposals are the pipeline's to keep or drop."""
    local = getattr(ctx, "_wrapper_local", None)
    if not local:
        return list(findings)
    out = []
    for fd in findings:
        if fd.detector == ID and fd.attributes.get("via") in local and not fd.attributes.get("forward") and not all(
                isinstance(p.expr, Ref) and p.expr.name in symbols for p in fd.pending if p.attribute == KEEP_IF):
            continue
        out.append(fd)
    return out


def di_bindings(ctx: FileContext) -> dict[str, Expr]:
    """A DI container's constant bindings (`container.bind(TYPES.HTTP_CALL_TIMEOUT).toConstantValue(env ?
    +env : 60_000)`, round 11) as `$di.<token>` for the parameters it fills (`@inject(TYPES.HTTP_CALL_TIMEOUT)`)."""
    if b"toConstantValue" not in ctx.data:
        return {}
    out: dict[str, Expr] = {}
    for node in descendants(ctx.tree.root_node):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or ts.text(fn.child_by_field_name("property")) != "toConstantValue":
            continue
        bind = unwrap(fn.child_by_field_name("object"))
        bound_fn = bind.child_by_field_name("function") if bind is not None and bind.type == "call_expression" else None
        if bound_fn is None or bound_fn.type != "member_expression" or \
                ts.text(bound_fn.child_by_field_name("property")) != "bind":
            continue
        token_args = [a for a in (bind.child_by_field_name("arguments").named_children
                                  if bind.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
        value_args = [a for a in (node.child_by_field_name("arguments").named_children
                                  if node.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
        if len(token_args) != 1 or len(value_args) != 1:
            continue
        token = dotted(token_args[0]).rsplit(".", 1)[-1] if token_args[0].type in ("identifier", "member_expression") \
            else (string_value_of(token_args[0]) or "")
        if not token:
            continue
        expr = ctx.to_expr(unwrap(value_args[0]))
        if not isinstance(expr, Unknown):
            out.setdefault(f"{DI_PREFIX}{token}", expr)
    return out


def string_value_of(node: ts.Node) -> str | None:
    text = ts.text(node)
    return text[1:-1] if node.type == "string" and len(text) >= 2 else None


def _project_import(ctx: FileContext, local: str) -> bool:
    from extractors.javascript.detectors.client_options import _project_module
    memo = getattr(ctx, "_wrapper_project", None)
    if memo is None:
        memo = ctx._wrapper_project = {}
    if local not in memo:
        module = ctx.imports.get(local, "")
        # a scoped package may be a workspace package of the same monorepo (`@acme/http-kit`): its
        # calls are proposed too, and kept only when that package publishes the parameter
        memo[local] = bool(module) and (_project_module(ctx, module) or _SCOPED.match(module) is not None
                                        or _ALIASED_SOURCE.match(module) is not None)
    return memo[local]


# (round 14, js1) a tsconfig path alias into the project's sources (`coral-server/queue/Task`,
# `app-server/services/http/client`): a bare module three folders deep, or naming a PascalCase file;
# a proposal is kept only where the helper's file publishes the parameter
_ALIASED_SOURCE = re.compile(r"^[a-z][\w.-]*/(?:[\w.-]+/[\w.-]+(?:/[\w.-]+)*|[A-Z][A-Za-z0-9]*)$")


# (also a subpath of one: `@saleor/apps-shared/race`)
_SCOPED = re.compile(r"^@[a-z0-9][\w.-]*/[\w.-]+(?:/[\w.-]+)*(?:\.|$)")


def _instance_class(ctx: FileContext, holder: str, site: ts.Node) -> str | None:
    """The imported project class a variable or field holds: `const plex = new PlexAPI(...)`,
    `this.plex = new PlexAPI(...)`, `private plex = new PlexAPI()`, `constructor(private readonly
    plex: PlexAPI)`, `plex: PlexAPI` (a typed parameter or field). One walk of the file, kept."""
    holders = getattr(ctx, "_wrapper_holders", None)
    if holders is None:
        holders = {}
        classes = [local for local in ctx.imports if local[:1].isupper() and _project_import(ctx, local)]
        for node in (ctx.nodes_of("variable_declarator", "assignment_expression", "public_field_definition",
                                 "field_definition", "required_parameter", "optional_parameter") if classes else ()):
            kind = node.type
            if kind == "variable_declarator":
                names = [ts.text(node.child_by_field_name("name"))]
                cls = _class_of(node.child_by_field_name("value"), node.child_by_field_name("type"))
            elif kind == "assignment_expression":
                names = [ts.text(node.child_by_field_name("left"))]
                cls = _class_of(node.child_by_field_name("right"), None)
            elif kind in ("public_field_definition", "field_definition"):
                name = node.child_by_field_name("name") or node.child_by_field_name("property")
                names = [f"this.{ts.text(name)}"] if name is not None else []
                cls = _class_of(node.child_by_field_name("value"), node.child_by_field_name("type"))
            elif kind in ("required_parameter", "optional_parameter"):
                pattern = node.child_by_field_name("pattern")
                if pattern is None or pattern.type != "identifier":
                    continue
                names = [ts.text(pattern)]
                if any(c.type == "accessibility_modifier" or c.type == "readonly" or ts.text(c) == "readonly"
                       for c in node.children):
                    names.append(f"this.{ts.text(pattern)}")  # a parameter property
                cls = _class_of(None, node.child_by_field_name("type"))
            else:
                continue
            if cls is None or cls not in ctx.imports or not _project_import(ctx, cls):
                continue
            for name in names:
                holders.setdefault(name, cls)
        ctx._wrapper_holders = holders
    return holders.get(holder)


_BOUND_NAME = re.compile(r"time_?out|deadline|(?<![a-z])ms$|millis|Ms$|MS$", re.I)


def _names_a_bound(fd: Finding) -> bool:
    """A class field's proposal names a time bound: the field (`this.pullConfigTimeout`) or the
    helper's key it goes to (`{ timeout: this.x }`); not `{ maxEventsInBatch: this.batchSize }`."""
    field = str(fd.attributes.get("expression") or "").rsplit(".", 1)[-1]
    keep = next((p.expr for p in fd.pending if p.attribute == "$keep_if"), None)
    key = keep.name.rsplit(":", 1)[-1].rsplit(".", 1)[-1] if isinstance(keep, Ref) else ""
    return bool(_BOUND_NAME.search(field) or _BOUND_NAME.search(key))


_CLIENT_BUILDER_JS2 = re.compile(r"(axios|client|http|instance|agent|session|connection|pool|sdk)", re.I)


def _stored_client_js2(call) -> bool:
    """(round 18, js2: eps-prescription-status-update-api) `axiosInstance ??= setupAxios(logger, url)`, `const
    client = makeClient(url)`, `this.http = createHttpClient(base)`: a helper named for the client it builds,
    its result kept (used later), so a defaulted bound it leaves out configures that client (rule b), as an
    awaited call's does. A kept promise (`const p = withRetry(fn)`) is not one: it counts when awaited."""
    name = call.callee.rsplit(".", 1)[-1] if call.callee else ""
    return bool(_CLIENT_BUILDER_JS2.search(name)) and _stored_call_js2(call.node)


def _stored_call_js2(node: ts.Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "variable_declarator":
        return parent.child_by_field_name("value") == node
    if parent.type in ("assignment_expression", "augmented_assignment_expression"):
        return parent.child_by_field_name("right") == node
    return False


def _returned_call(node: ts.Node) -> bool:
    """`return client.isHealthy(key)`, `() => indicator.isHealthy(key)`: the promise handed to the
    caller, who waits for it."""
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "member_expression" and parent.child_by_field_name("object") == node \
            and ts.text(parent.child_by_field_name("property")) in ("then", "catch", "finally") and \
            parent.parent is not None and parent.parent.type == "call_expression":
        # (round 19, js2) `return mysql_utils.retriedQuery({..}).finally(() => connection.release())`
        # (PowerSync): the promise handed on through its chain, awaited or returned at its end
        outer = parent.parent
        up = outer.parent
        while up is not None and up.type in ("parenthesized_expression", "as_expression"):
            up = up.parent
        return (up is not None and up.type == "await_expression") or _returned_call(outer)
    return parent is not None and (parent.type == "return_statement" or
                                   parent.type == "arrow_function" and parent.child_by_field_name("body") == node)


def _class_of(value: ts.Node | None, type_node: ts.Node | None) -> str | None:
    value = unwrap(value)
    if value is not None and value.type == "await_expression" and value.named_children:
        value = unwrap(value.named_children[0])
    if value is not None and value.type == "call_expression" and \
            dotted(value.child_by_field_name("function")).rsplit(".", 1)[-1] in ("get", "resolve"):
        # `injector.get(RedisHealthIndicator)`, `moduleRef.resolve(X)`: the instance a DI container holds
        args = value.child_by_field_name("arguments")
        given = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if len(given) == 1 and given[0].type == "identifier" and re.fullmatch(r"[A-Z][\w$]*", ts.text(given[0])):
            return ts.text(given[0])
    if value is not None and value.type == "new_expression":
        name = dotted(value.child_by_field_name("constructor"))
        return name if re.fullmatch(r"[A-Za-z_$][\w$]*", name or "") else None
    if type_node is not None:
        text = ts.text(type_node).lstrip(":").strip()
        return text if re.fullmatch(r"[A-Z][\w$]*", text) else None
    return None


# ---------------------------------------------------------------------------------- publishing

_PATH = r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?"
_NUMBER = r"\d+(?:\.\d+)?(?:e\d+)?"
_CONVERT = re.compile(r"^(?:Number|parseInt|parseFloat|Math\.floor|Math\.round|Math\.ceil)\((.*?)(?:,\d+)?\)$")


_OMITTED_MARKER = re.compile(r"\.\$(timeout|attempts)_(omitted|default):\d+$")


def publish(ctx: FileContext, findings) -> dict[str, Expr]:
    """The parameters of this file's exported functions, class methods and constructors that become
    a timeout or bound a retry here, under every name a caller may use (see the module doc): a
    finding of the body that reads the parameter (or the field a constructor stores it in), an
    options parameter handed to a request whole, or a call handing the parameter on to another
    file's helper (a chain, published in terms of that helper's own publication)."""
    relevant = [f for f in findings if f.kind in ("timeout", "retry") and f.detector != ID]
    # a field of the class handed to another file's helper (`racePromise({ timeout:
    # this.pullConfigTimeout })`, the field a constructor parameter with a default): the
    # constructor publishes that parameter (and what a construction leaving it out gets)
    relevant += [replace(f, detector=ID + ".field") for f in findings
                 if f.kind == "timeout" and f.detector == ID and not f.attributes.get("forward")
                 and str(f.attributes.get("expression") or "").startswith("this.") and _names_a_bound(f)]
    forwards = [f for f in findings if f.detector == ID and f.attributes.get("forward")]
    passed = _passed_configs(ctx)
    from extractors.javascript.local_work_ts2 import local_work_symbols
    local_ts2 = local_work_symbols(ctx)  # (round 21, ts2) helpers that run a local process, for retries around them
    if not relevant and not passed and not forwards:
        return local_ts2
    out: dict[str, Expr] = dict(local_ts2)
    for names, fn in _helpers(ctx):
        first, last = fn.start_point[0] + 1, fn.end_point[0] + 1
        aliases: dict[str, str] = {}
        if fn.type == "method_definition" and ts.text(fn.child_by_field_name("name")) == "constructor":
            aliases = _constructor_aliases(fn)
            cls = fn.parent.parent if fn.parent is not None and fn.parent.parent is not None else fn
            if aliases:  # a field the constructor stores a parameter in may be read by any method
                first, last = cls.start_point[0] + 1, cls.end_point[0] + 1
        own = (fn.start_point[0] + 1, fn.end_point[0] + 1)
        inside = [f for f in relevant if first <= f.line <= last]
        chained = [f for f in forwards if own[0] <= f.line <= own[1]]
        handed = [p for p in passed if fn.start_byte <= p[0].start_byte and p[0].end_byte <= fn.end_byte]
        if not inside and not handed and not chained:
            continue
        params, defaults = _param_keys(fn)
        if not params:
            continue
        for name, made in _parameter_defaults(ctx, fn, params, defaults).items():
            # `timeoutMs = TINYBIRD_FALLBACK_TIMEOUT_MS` (round 9): a default named by a constant is
            # a default as much as a literal one (a finding settled from it is the parameter's)
            number = ctx.evaluate(made).value if name not in defaults and isinstance(made, Expr) else None
            if isinstance(number, (int, float)) and not isinstance(number, bool) and number:
                defaults[name] = float(number)
        fields = {alias: found for alias, local in aliases.items() if (found := _key_of(local, params)) is not None}
        for alias, local in aliases.items():
            # `constructor({ timeout = 30000 }: TaskOptions) { this.timeout = timeout }` (round 14, js1): the
            # field holds the options member's own default when a construction leaves it out
            if alias in fields and isinstance(defaults.get(local), (int, float)):
                defaults.setdefault(alias, defaults[local])
        literal_only: set[str] = set()  # members whose callers leave them out only in an object literal
        for alias, number in _constructor_fallbacks(ctx, fn).items():
            # `this.timeout = options.timeout || DEFAULT_TIMEOUT` (round 12, MagicMirror's HTTPFetcher): the
            # options member has the code's default (rule a at the reading request, b at constructions
            # leaving it out), as `{ timeout = 30000 } = options` would
            key = fields.get(alias, (None, None))[0]
            if key and "." in key and not any(k == key for k, _ in params.values()):
                params[alias] = (key, None)
                defaults[alias] = number
                literal_only.add(key)
        for alias, number in _field_fallbacks(ctx, fn, aliases).items():
            # `this.timeout = timeout ?? DEFAULT_TIMEOUT_MS` (round 12): what the field holds when a
            # construction leaves the option out is that parameter's default
            if alias in fields:
                defaults.setdefault(fields[alias][0], number)
                defaults.setdefault(aliases[alias], number)
        views = []
        for fd in inside:
            # the constructor's own body reads its parameters; the other methods only its fields
            known = {**params, **fields} if own[0] <= fd.line <= own[1] else fields
            view = _timeout_view(fd, known, defaults) if fd.kind == "timeout" else _attempts_view(fd, known)
            if view is not None:
                views.append(view)
        for call_node, config in handed:
            view = _config_view(ctx, call_node, config, params)
            if view is not None:
                views.append(view)
        for fd in chained:
            view = _forward_view(fd, params)
            if view is not None:
                views.append(view)
        positional = _positional_names(fn)
        # (round 22) a constructor keeping its URL parameter in a field (`constructor(private readonly baseUrl:
        # string, ...)`) read by the class's request methods (`fetch(`${this.baseUrl}${path}`)`): the class's range
        span = (first, last) if aliases else own
        destinations = [f for f in findings if span[0] <= f.line <= span[1] and f.detector != ID
                        and f.kind in ("outbound_call", "timeout", "retry")]
        urls: dict[str, Expr] = {}
        if positional and destinations:
            # `postJson(url, body, opts)` fetching `url`: calls go where their URL argument points (published
            # below, for a helper that publishes a bound)
            located = wrappers.Function(names=tuple(names), first_line=span[0], last_line=span[1],
                                        params=tuple(positional),
                                        aliases={a: k for a, k in aliases.items() if k in positional})
            urls = wrappers.url_publications([located], destinations)
        before = len(out)
        expr_defaults = _parameter_defaults(ctx, fn, params, defaults)
        defaulted = _defaulted_params(fn)
        # a settings object handed in (`buildProxyAgent(cfg: ProxyConfig)` reading `cfg.headersTimeout`):
        # its members are config fields, no forwarders (round 9); its callers' objects still publish
        config_slots = {str(slot) for local, (_, slot) in params.items()
                        if slot is not None and _CONFIGISH.fullmatch(local)}
        for key, index, finding in views:
            if index is not None and key in positional:
                # a positional parameter: the core publishes its position, its name, and what a
                # call leaving it out gets (its default)
                own_defaults, own_defaulted = _body_fallback_default_js2(key, finding, expr_defaults, defaulted)
                helper = wrappers.Function(names=tuple(names), first_line=first, last_line=last,
                                           params=tuple(positional), defaults=own_defaults,
                                           aliases={a: k for a, (k, _) in fields.items() if k in positional},
                                           defaulted=own_defaulted)
                for name, value in wrappers.publish([helper], [finding], own_detectors=(ID,)).items():
                    if _OMITTED_MARKER.search(name):
                        # several defaulted parameters left out by one call: each keeps its own
                        # marker (round 13: a delay forwarded next to the retry count hid it)
                        wrappers.coalesce_omitted_marker(out, name.lstrip("."), value)
                    else:
                        out.setdefault(name.lstrip("."), value)
                from extractors.javascript.merged_options_ts2 import optional_forward_omitted_ts2
                optional_forward_omitted_ts2(out, names, key, index, finding, own_defaults, own_defaulted, fn)
                continue
            member_default = _member_default(key, params, defaults)
            fallback_js1 = finding.attributes.get("fallback")
            if member_default is None and re.fullmatch(r"\d+\.[A-Za-z_$][\w$]*", key) and \
                    isinstance(fallback_js1, (int, float)) and not isinstance(fallback_js1, bool) and fallback_js1 > 0:
                # (round 15, js1) `options.timeout = options.timeout || 120000; urllib.request(url, options)`:
                # the options member's fallback is its default (rule b at calls leaving it, or the
                # whole object, out; only an object literal without it: one built elsewhere may carry it)
                member_default = float(fallback_js1)
                literal_only.add(key)
            helper = wrappers.Function(names=tuple(names), first_line=first, last_line=last, params=(key,),
                                       defaulted=frozenset({key}) if key.split(".", 1)[0] in config_slots
                                       or member_default is not None
                                       or finding.attributes.get("fallback") is not None else frozenset())
            if key.split(".", 1)[0] in config_slots and required_member_jsfix2(fn, key):
                # (round 20, jsfix2) a member the settings type requires: a forwarder when the calls hand it in
                out.setdefault(handed_check_jsfix2(finding), handed_expr_jsfix2(names, key))
            from extractors.javascript.merged_options_ts2 import spread_omitted_ts2
            spread_omitted_ts2(out, names, key, finding, member_default)  # (round 21, ts2) the inner default
            for name, value in wrappers.publish([helper], [finding], own_detectors=(ID,)).items():
                base, _, param = name.rpartition(":")
                if param == "0" and key != "0":
                    continue  # a member of an options object has no position of its own
                out.setdefault(name.lstrip("."), value)
                if param == key and base.endswith(ATTEMPTS_PARAM):
                    _publish_member_default(out, base[:-len(ATTEMPTS_PARAM) - 1].lstrip("."), key, value,
                                            params, defaults)
                elif param == key and base.endswith(TIMEOUT_PARAM) and member_default is not None \
                        and (isinstance(value, Num) or isinstance(value, Ref) and TIMEOUT_PARAM in value.name):
                    # `postJson(url, body, { timeoutMs = 3000 } = {})`: a call leaving the member (or the whole
                    # object) out gets the default (rule b), in ms; handed on to another file's helper
                    # (`fetchWithTimeout(url, { timeoutInMs })`, round 12), in that helper's unit, kept
                    # where it publishes the member
                    position = int(key.partition(".")[0])
                    stem = base[:-len(TIMEOUT_PARAM) - 1].lstrip(".")
                    for count in range(position + 2):
                        if key in literal_only and count == position + 1:
                            # (round 12) a construction handed an options object built elsewhere may carry the
                            # member (`new SMTPClient(hostport)`): only a literal without it leaves it out
                            count = f"{count}:literal"
                        if isinstance(value, Num):
                            out.setdefault(f"{stem}.{TIMEOUT_OMITTED}:{count}", Num(1))
                            out.setdefault(f"{stem}.{TIMEOUT_DEFAULT}:{count}", Num(member_default * float(value.value)))
                        else:
                            out.setdefault(f"{stem}.{TIMEOUT_OMITTED}:{count}", value)
                            out.setdefault(f"{stem}.{TIMEOUT_DEFAULT}:{count}", BinOp("*", Num(member_default), value))
        if urls and len(out) > before:
            for name, value in urls.items():
                out.setdefault(name.lstrip("."), value)
    return _drop_single_try_defaults_js1(out)


def _folded_number_js1(expr) -> float | None:
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return float(expr)
    if isinstance(expr, Num) and isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
        return float(expr.value)
    if isinstance(expr, BinOp) and expr.op in ("+", "-", "*"):
        left, right = _folded_number_js1(expr.left), _folded_number_js1(expr.right)
        if left is None or right is None:
            return None
        return left + right if expr.op == "+" else left - right if expr.op == "-" else left * right
    return None


def _drop_single_try_defaults_js1(out: dict) -> dict:
    """(round 17, js1) a helper whose attempts parameter defaults to no retry at all (`getTorrentInfo(hash,
    numRetries = 0)` looping `i <= numRetries`): a call leaving it out makes one try, no retry contract, so
    no rule-(b) proposal is published for it (calls passing a count keep theirs)."""
    for name in [n for n in out if f".{ATTEMPTS_DEFAULT}:" in n]:
        if _folded_number_js1(out[name]) == 1.0:
            out.pop(name)
            out.pop(name.replace(ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED), None)
    return out


def _member_default(key: str, params: dict, defaults: dict, minimum: float = 0.0,
                    strict: bool = True) -> float | None:
    """The number an options member defaults to where it is destructured (`{ timeoutMs = 3000 } = {}`): above
    ``minimum`` (at least it, when not ``strict``)."""
    position, _, member = key.partition(".")
    if not position.isdigit() or not member or "." in member:
        return None
    local = next((n for n, (k, _) in params.items() if k == key), None)
    default = defaults.get(local) if local is not None else None
    if not isinstance(default, (int, float)) or isinstance(default, bool) or \
            (default <= minimum if strict else default < minimum):
        return None
    return float(default)


def _publish_member_default(out: dict, name: str, key: str, value: Expr, params: dict, defaults: dict) -> None:
    """`withRetry(fn, { maxRetries = 3 } = {})` (round 10): an attempts member of an options
    parameter with a default of its own; a call leaving the whole object out (`withRetry(fn)`) gets
    that default (rule b), published as a positional parameter's is (`$attempts_omitted:<count>`),
    and so does one handing an object without it."""
    default = _member_default(key, params, defaults, strict=False)
    if default is None or not isinstance(value, Num):
        return
    position = key.partition(".")[0]
    made = Num(float(default) + float(value.value) - 1.0)
    # (a call handing an options object of its own without that member, `{ retryOnNull: true }`,
    # leaves it out too: one more positional count; naming it makes a proposal of its own instead)
    for count in range(int(position) + 2):
        out.setdefault(f"{name}.{ATTEMPTS_OMITTED}:{count}", Num(1))
        out.setdefault(f"{name}.{ATTEMPTS_DEFAULT}:{count}", made)


_ATTEMPTS_MEMBER_TS2 = re.compile(r"retr|attempt|tries", re.I)
_CONFIGISH = re.compile(r"(cfg|conf|config|settings|[a-z]\w*(Config|Cfg|Settings))", re.I)


def _defaulted_params(fn: ts.Node) -> frozenset[str]:
    """The positional parameters with a default of any kind (`timeout = this.config.get('X')`,
    `retries = DEFAULT_RETRIES`): a setting read from one is no forwarder (a call may leave it out).
    Also one a DI container fills (`@inject(TYPES.HTTP_CALL_TIMEOUT) private httpCallTimeout: number`,
    round 11): its value is the container's binding, not a caller's."""
    params = fn.child_by_field_name("parameters")
    out = set()
    for param in (params.named_children if params is not None else []):
        if param.type in ("required_parameter", "optional_parameter") and param_token(param) is not None:
            pattern = param.child_by_field_name("pattern")
            if pattern is not None and pattern.type == "identifier":
                out.add(ts.text(pattern))
            continue
        pattern, default = None, None
        if param.type in ("required_parameter", "optional_parameter"):
            pattern, default = param.child_by_field_name("pattern"), param.child_by_field_name("value")
        elif param.type == "assignment_pattern":
            pattern, default = param.child_by_field_name("left"), param.child_by_field_name("right")
        if pattern is not None and pattern.type == "identifier" and default is not None:
            out.add(ts.text(pattern))
    return frozenset(out)


def _positional_names(fn: ts.Node) -> list[str]:
    """The parameters in order, by the name `_param_keys` gives a plain one (`#<n>` for a pattern)."""
    params = fn.child_by_field_name("parameters")
    out = []
    for param in (params.named_children if params is not None else []):
        if param.type == "comment":
            continue
        pattern = param
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
        elif param.type == "assignment_pattern":
            pattern = param.child_by_field_name("left")
        if pattern is not None and pattern.type == "this":
            continue
        out.append(ts.text(pattern) if pattern is not None and pattern.type == "identifier" else f"#{len(out)}")
    return out


def _parameter_defaults(ctx: FileContext, fn: ts.Node, params: dict, numbers: dict) -> dict:
    """A positional parameter's default as a number or an Expr (`timeout = DEFAULT_RES_TIMEOUT`)."""
    out: dict = {name: value for name, value in numbers.items() if name in params and params[name][1] is not None}
    holder = fn.child_by_field_name("parameters")
    for param in (holder.named_children if holder is not None else []):
        pattern, default = None, None
        if param.type in ("required_parameter", "optional_parameter"):
            pattern, default = param.child_by_field_name("pattern"), param.child_by_field_name("value")
        elif param.type == "assignment_pattern":
            pattern, default = param.child_by_field_name("left"), param.child_by_field_name("right")
        if pattern is None or pattern.type != "identifier" or default is None or ts.text(pattern) in out:
            continue
        expr = ctx.to_expr(unwrap(default))
        if not isinstance(expr, Unknown):
            out[ts.text(pattern)] = expr
    return out


def _field_fallbacks(ctx: FileContext, fn: ts.Node, aliases: dict[str, str]) -> dict[str, float]:
    """{"this.timeout": 30000} for `this.timeout = timeout ?? DEFAULT_TIMEOUT_MS` in a constructor's body:
    the number a field falls back to when its parameter is left out (round 12)."""
    out: dict[str, float] = {}
    body = fn.child_by_field_name("body") if fn.type == "method_definition" else None
    for stmt in (body.named_children if body is not None else []):
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if assign is None or assign.type != "assignment_expression":
            continue
        target = dotted(assign.child_by_field_name("left"))
        value = unwrap(assign.child_by_field_name("right"))
        if target not in aliases or value is None or value.type != "binary_expression" or \
                ts.text(value.child_by_field_name("operator")) not in ("??", "||"):
            continue
        number = ctx.evaluate(ctx.to_expr(value.child_by_field_name("right"))).value
        if isinstance(number, (int, float)) and not isinstance(number, bool) and number:
            out[target] = float(number)
    return out


def _constructor_aliases(fn: ts.Node) -> dict[str, str]:
    """The fields a constructor stores its parameters in: `this.timeoutMs = timeoutMs`, `this.t =
    opts.timeout ?? 30`, `this.t = parseInt(opts.t) || 30`, and TypeScript parameter properties
    (`constructor(private readonly timeoutMs: number)`) -> {"this.timeoutMs": "timeoutMs"}."""
    out: dict[str, str] = {}
    params = fn.child_by_field_name("parameters")
    for param in (params.named_children if params is not None else []):
        pattern = param.child_by_field_name("pattern") if param.type in ("required_parameter", "optional_parameter") \
            else None
        if pattern is not None and pattern.type == "identifier" and any(
                c.type in ("accessibility_modifier", "readonly") or ts.text(c) == "readonly" for c in param.children):
            out[f"this.{ts.text(pattern)}"] = ts.text(pattern)
    body = fn.child_by_field_name("body")
    for stmt in (body.named_children if body is not None else []):
        if stmt.type != "expression_statement" or not stmt.named_children:
            continue
        assign = stmt.named_children[0]
        if assign.type != "assignment_expression":
            continue
        target = dotted(assign.child_by_field_name("left"))
        if not target or not re.fullmatch(r"this\.[A-Za-z_$][\w$]*", target):
            continue
        value = unwrap(assign.child_by_field_name("right"))
        for _ in range(3):
            if value is None:
                break
            if value.type == "binary_expression" and ts.text(value.child_by_field_name("operator")) in ("||", "??"):
                value = unwrap(value.child_by_field_name("left"))  # `opts.t || 30`: the caller's value first
            elif value.type == "call_expression" and _CONVERT.match(
                    re.sub(r"\s+", "", ts.text(value))) and value.child_by_field_name("arguments") is not None:
                args = [a for a in value.child_by_field_name("arguments").named_children if a.type != "comment"]
                value = unwrap(args[0]) if args else None
            else:
                break
        local = dotted(value) if value is not None and value.type in ("identifier", "member_expression") else None
        if local and not local.startswith("this.") and local.count(".") <= 1 and \
                _parameter_default(fn, local.split(".", 1)[0])[0]:
            out.setdefault(target, local)
    return out


def _constructor_fallbacks(ctx: FileContext, fn: ts.Node) -> dict[str, float]:
    """The code's own default of each field a constructor stores from an options member with a fallback
    (`this.timeout = options.timeout || DEFAULT_TIMEOUT`, `?? 30000`): {"this.timeout": 30000.0}."""
    out: dict[str, float] = {}
    if fn.type != "method_definition" or ts.text(fn.child_by_field_name("name")) != "constructor":
        return out
    body = fn.child_by_field_name("body")
    for stmt in (body.named_children if body is not None else []):
        assign = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if assign is None or assign.type != "assignment_expression":
            continue
        target = dotted(assign.child_by_field_name("left"))
        value = unwrap(assign.child_by_field_name("right"))
        if not target or not re.fullmatch(r"this\.[A-Za-z_$][\w$]*", target) or value is None or \
                value.type != "binary_expression" or ts.text(value.child_by_field_name("operator")) not in ("||", "??"):
            continue
        fallback = value.child_by_field_name("right")
        number = _literal(fallback)
        if number is None:
            number = _constant_number(fallback)
        if number is not None and number > 0:
            out[target] = float(number)
    return out


def _forward_view(fd: Finding, params: dict):
    """A forward_proposal in terms of the key callers address the parameter by."""
    value = next((p.expr for p in fd.pending if p.attribute == wrappers.FORWARD), None)
    names = set()

    def refs(expr):
        if isinstance(expr, Ref):
            names.add(expr.name)
        elif isinstance(expr, BinOp):
            refs(expr.left)
            refs(expr.right)
    refs(value)
    if len(names) != 1:
        return None
    (local,) = names
    found = _key_of(local, params)
    if found is None:
        return None
    key, index = found

    def swap(expr):
        if isinstance(expr, Ref):
            return Ref(key)
        if isinstance(expr, BinOp):
            return BinOp(expr.op, swap(expr.left), swap(expr.right))
        return expr
    pending = tuple(Pending(p.attribute, swap(p.expr), p.scale) if p.attribute == wrappers.FORWARD else p
                    for p in fd.pending)
    return key, index, replace(fd, pending=pending)


# where a request's own options go, and the key that bounds it in ms there
_CONFIG_POSITION = {"axios": {"get": 1, "delete": 1, "head": 1, "options": 1, "post": 2, "put": 2, "patch": 2,
                              "request": 0},
                    "got": {"": 1, "get": 1, "post": 1, "put": 1, "patch": 1, "delete": 1, "head": 1},
                    "ky": {"": 1, "get": 1, "post": 1, "put": 1, "patch": 1, "delete": 1, "head": 1}}


_AI_SDK_CALLS = {"ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject"}


def _passed_configs(ctx: FileContext) -> list[tuple[ts.Node, ts.Node]]:
    """(request call, its options argument) of the axios/got/ky requests of this file that set no
    timeout of their own: `axios.get(url, config)`, `axios.post(url, body, { ...options, headers })`."""
    out = []
    by_node = {(c.node.start_byte, c.node.end_byte): c for c in ctx.calls}
    for call in ctx.calls:
        if call.qualified not in _AI_SDK_CALLS or call.arg(0) is None:
            continue
        # `generateText({ ...textOptions, model })`, also through a local (`const request = {...}`; round 11)
        config = unwrap(call.arg(0))
        if config is not None and config.type == "identifier":
            config = unwrap(ctx.resolve_object(config)) or config
        line = call.node.start_point[0] + 1
        if config is not None and not any(f.kind == "timeout" and f.line == line for f in ctx.findings):
            out.append((call.node, config))
    for key, outbound in ctx.outbound.items():
        library = "axios" if outbound.library in ("axios", "nestjs-axios") else outbound.library
        call = by_node.get(key)
        if call is None or library not in _CONFIG_POSITION:
            continue
        method = call.name if call.name in _CONFIG_POSITION[library] else ""
        if library == "axios" and method == "" and "." not in call.callee:
            method = "request"
        position = _CONFIG_POSITION[library].get(method)
        config = unwrap(call.arg(position)) if position is not None else None
        if config is None:
            continue
        line = call.node.start_point[0] + 1
        if any(f.kind == "timeout" and f.line == line for f in ctx.findings):
            continue  # the request sets its own timeout
        out.append((call.node, config))
    return out


def _config_view(ctx: FileContext, call_node: ts.Node, config: ts.Node, params: dict):
    """A request handed the helper's options parameter whole (`axios.get(url, config)`) or spread
    (`{ ...options, headers }`): the caller's `timeout` member is the request's timeout in ms."""
    name = None
    if config.type == "identifier":
        name = ts.text(config)
    elif config.type == "object":
        spreads = [c for c in config.named_children if c.type == "spread_element"]
        if any(key_name(c.child_by_field_name("key")) == "timeout" for c in config.named_children if c.type == "pair"):
            return None
        for spread in spreads:
            inner = unwrap(spread.named_children[0]) if spread.named_children else None
            if inner is not None and inner.type == "identifier":
                name = ts.text(inner)
    if name is None or name not in params or params[name][1] is None or "." in params[name][0]:
        return None
    key = f"{params[name][1]}.timeout"
    line = call_node.start_point[0] + 1
    view = Finding(kind="timeout", path=ctx.path, line=line, column=1, end_line=line, end_column=1,
                   language="javascript", detector="javascript.passed_config", confidence="medium",
                   attributes={"timeout_ms": None, "phase": "total", "expression": key},
                   pending=(Pending("timeout_ms", Ref(key), 1.0),))
    return key, None, view


def _helpers(ctx: FileContext):
    """(names, function node) of the file's top-level functions, class methods and constructors;
    a default export is also published without its name (`import anyName from "./http"`)."""
    root = ctx.tree.root_node
    defaults = set()
    instances: dict[str, list[str]] = {}
    items = []
    for stmt in root.named_children:
        exported = stmt.type == "export_statement"
        decl = stmt.child_by_field_name("declaration") if exported else stmt
        is_default = exported and any(c.type == "default" for c in stmt.children)
        if exported and decl is None:
            value = stmt.child_by_field_name("value") or next(
                (c for c in stmt.named_children if c.type not in ("comment",)), None)
            if is_default and value is not None and value.type == "identifier":
                defaults.add(ts.text(value))  # `export default PlexAPI;`
                continue
            if is_default and unwrap(value) is not None and unwrap(value).type == "object":
                items.extend(_object_methods(unwrap(value), ""))  # `export default { get(url, timeout) {...} }`
                continue
            decl = value
        if decl is not None and decl.type == "expression_statement" and decl.named_children:
            assign = decl.named_children[0]
            if assign.type == "assignment_expression":
                target = dotted(assign.child_by_field_name("left"))
                value = unwrap(assign.child_by_field_name("right"))
                if value is not None and value.type == "object" and target == "module.exports":
                    items.extend(_object_methods(value, ""))  # `module.exports = { get(url, timeout) {...} }`
                if value is not None and value.type in FUNCTION_TYPES:
                    if target == "module.exports":
                        items.append(("", value, True))  # `module.exports = function (url, timeout) {...}`
                    elif re.fullmatch(r"(?:module\.)?exports\.[A-Za-z_$][\w$]*", target):
                        items.append((target.rsplit(".", 1)[-1], value, False))
            continue
        if decl is None:
            continue
        if decl.type in ("function_declaration", "generator_function_declaration", "function_expression",
                         "arrow_function"):
            name = decl.child_by_field_name("name")
            items.append((ts.text(name) if name is not None else "", decl, is_default))
        elif decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                value = unwrap(d.child_by_field_name("value")) if d.type == "variable_declarator" else None
                if value is not None and value.type in FUNCTION_TYPES:
                    items.append((ts.text(d.child_by_field_name("name")), value, False))
                elif value is not None and value.type == "object":
                    # `export const api = { get(url, timeout) {...} }`: callers use `api.get(...)`
                    items.extend(_object_methods(value, ts.text(d.child_by_field_name("name"))))
                elif value is not None and value.type == "new_expression":
                    # `export const billing = new BillingClient()`: callers use `billing.get(...)`
                    made = dotted(value.child_by_field_name("constructor"))
                    if re.fullmatch(r"[A-Za-z_$][\w$]*", made or ""):
                        instances.setdefault(made, []).append(ts.text(d.child_by_field_name("name")))
        elif decl.type in ("class_declaration", "class", "abstract_class_declaration"):
            name = decl.child_by_field_name("name")
            cls = ts.text(name) if name is not None else ""
            body = decl.child_by_field_name("body")
            for member in (body.named_children if body is not None else []):
                if member.type != "method_definition":
                    continue
                method = ts.text(member.child_by_field_name("name"))
                items.append(((cls, method), member, is_default))
            for interface in _implemented(decl):
                # `class RedisMQ implements MessageQueue`: callers hold a `MessageQueue`
                instances.setdefault(cls, []).append(interface)
    for name, fn, is_default in items:
        if isinstance(name, tuple):
            cls, method = name
            default = is_default or cls in defaults
            if method == "constructor":
                names = [cls] if cls else []
                names += [""] if default else []
            else:
                names = [f"{cls}.{method}"] if cls else []
                names += [method] if default else []
                names += [f"{holder}.{method}" for holder in instances.get(cls, [])]
        else:
            names = [name] if name else []
            names += [""] if is_default or name in defaults else []
        if names:
            yield names, fn
    yield from _nested_helpers_js1(ctx, {n for n, _, _ in items if isinstance(n, str)})


def _nested_helpers_js1(ctx: FileContext, top: set):
    """(round 16, js1) `const retry = async (fn, retries = 2, delay = 1000) => {...}` declared inside a
    function (a React provider, a service's setup) and called there: a helper for the calls of the
    same function (rule a at its own bound, b/c at those calls). Only a name declared once in the file,
    neither a top-level helper's nor an import's (its publication is this file's alone)."""
    found: dict[str, list[ts.Node]] = {}
    for decl in ctx.nodes_of("variable_declarator"):
        name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
        if name is None or name.type != "identifier" or value is None or value.type not in FUNCTION_TYPES:
            continue
        if enclosing_function(decl) is None:
            continue  # a top-level one is _helpers' own
        found.setdefault(ts.text(name), []).append(value)
    for name, fns in found.items():
        if len(fns) == 1 and name not in top and name not in ctx.imports:
            yield [name], fns[0]


def _nested_helper_call_js1(ctx: FileContext, name: str, site: ts.Node) -> bool:
    """The call at ``site`` is of the nested helper ``name`` declared in a function around it."""
    fn = _local_helpers(ctx).get(name)
    if fn is None or fn.parent is None or fn.parent.type != "variable_declarator":
        return False
    outer = enclosing_function(fn.parent)
    return outer is not None and inside(site, outer) and not inside(site, fn)


def _implemented(decl: ts.Node) -> list[str]:
    """The interfaces a TypeScript class declares it implements (`implements MessageQueue, Closeable`)."""
    out = []
    for heritage in decl.named_children:
        if heritage.type != "class_heritage":
            continue
        for clause in heritage.named_children:
            if clause.type != "implements_clause":
                continue
            for item in clause.named_children:
                text = ts.text(item).split("<", 1)[0].strip()
                if re.fullmatch(r"[A-Za-z_$][\w$]*", text):
                    out.append(text)
    return out


def _object_methods(obj: ts.Node, holder: str) -> list:
    """(name, function, False) of an object literal's methods and function-valued members, named
    `holder.key` (just `key` for a module's default export)."""
    out = []
    for member in obj.named_children:
        fn, key = None, None
        if member.type == "method_definition":
            fn, key = member, ts.text(member.child_by_field_name("name"))
        elif member.type == "pair":
            value = unwrap(member.child_by_field_name("value"))
            if value is not None and value.type in FUNCTION_TYPES:
                fn, key = value, key_name(member.child_by_field_name("key"))
        if fn is not None and key and re.fullmatch(r"[A-Za-z_$][\w$]*", key):
            out.append((f"{holder}.{key}" if holder else key, fn, False))
    return out


def _param_keys(fn: ts.Node) -> tuple[dict[str, tuple[str, int | None]], dict[str, float]]:
    """Local name -> (the key callers address it by, its position or None); plus numeric defaults.
    `(url, timeoutMs = 5)` -> timeoutMs: ("timeoutMs", 1); `({ token, timeout })` -> timeout:
    ("0.timeout", None); `(url, opts)` -> opts: ("opts", 1) (its members are `1.<key>`)."""
    params = fn.child_by_field_name("parameters")
    keys: dict[str, tuple[str, int | None]] = {}
    defaults: dict[str, float] = {}
    position = 0
    for param in (params.named_children if params is not None else []):
        if param.type == "comment":
            continue
        pattern, default = param, None
        if param.type in ("required_parameter", "optional_parameter"):
            pattern, default = param.child_by_field_name("pattern"), param.child_by_field_name("value")
        elif param.type == "assignment_pattern":
            pattern, default = param.child_by_field_name("left"), param.child_by_field_name("right")
        if pattern is None:
            position += 1
            continue
        if pattern.type == "this":
            continue  # TypeScript's `this` parameter is no argument
        if pattern.type == "identifier":
            keys[ts.text(pattern)] = (ts.text(pattern), position)
            number = _literal(default)
            if number is not None:
                defaults[ts.text(pattern)] = number
        elif pattern.type == "object_pattern":
            from extractors.javascript.context import _default_object_member_js1
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern" and default is not None:
                    # `({ retries } = { retries: 30 })` (round 14, js1): the default object's member
                    number = _literal(_default_object_member_js1(default, ts.text(part)))
                    if number is not None:
                        defaults.setdefault(ts.text(part), number)
                if part.type == "rest_pattern" and part.named_children and part.named_children[0].type == "identifier":
                    # `({ organizationId, ...options })` (round 11): the rest is the caller's options object,
                    # less the members named before it (its other members are `<position>.<key>`)
                    keys.setdefault(ts.text(part.named_children[0]), (str(position), position))
                if part.type == "shorthand_property_identifier_pattern":
                    keys[ts.text(part)] = (f"{position}.{ts.text(part)}", None)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    if left is not None:
                        keys[ts.text(left)] = (f"{position}.{ts.text(left)}", None)
                        number = _literal(part.child_by_field_name("right"))
                        if number is None:
                            # `{ attempts = DEFAULT_MAX_JOB_ATTEMPTS }` (round 14, js1): a top-level constant
                            number = _constant_number(part.child_by_field_name("right"))
                        if number is not None:
                            defaults[ts.text(left)] = number
                elif part.type == "pair_pattern":
                    key = key_name(part.child_by_field_name("key"))
                    value = part.child_by_field_name("value")
                    if key and value is not None and value.type == "identifier":
                        keys[ts.text(value)] = (f"{position}.{key}", None)
        position += 1
    _body_destructured(fn, keys, defaults)
    return keys, defaults


def _body_destructured(fn: ts.Node, keys: dict, defaults: dict) -> None:
    """`const { maxRetries = 1, baseDelay } = options || {}` at the top of the body, `options` a
    positional parameter (round 10): its members are the options object's (`<position>.maxRetries`),
    with their defaults, as if destructured in the signature."""
    body = fn.child_by_field_name("body")
    statements = list(body.named_children if body is not None and body.type == "statement_block" else [])
    for stmt in list(statements):
        inner = stmt.child_by_field_name("body") if stmt.type == "function_declaration" else None
        if inner is not None and inner.type == "statement_block":
            # `let attempt = 0; async function request() { const maxAttempts = retryConfig?.maxAttempts ??
            # DEFAULT_MAX_ATTEMPTS; ... }` (round 11): the inner function the helper runs (and re-runs)
            # reads the options member at its top, as if the helper did
            statements += inner.named_children
    from extractors.javascript.merged_options_ts2 import merged_alias_ts2, merged_destructure_ts2
    merged_ts2: dict = {}  # (round 21, ts2) `const actual = { ...DEFAULTS, ...options }`: merged options objects
    for stmt in statements:
        if stmt.type not in ("lexical_declaration", "variable_declaration"):
            continue
        for decl in stmt.named_children:
            pattern = decl.child_by_field_name("name") if decl.type == "variable_declarator" else None
            value = unwrap(decl.child_by_field_name("value")) if pattern is not None else None
            if pattern is not None and pattern.type == "object_pattern" and value is not None and \
                    merged_destructure_ts2(pattern, value, keys, defaults, merged_ts2):
                continue
            if pattern is not None and pattern.type == "identifier" and value is not None:
                if merged_alias_ts2(ts.text(pattern), value, keys, defaults, merged_ts2):
                    continue
                if _clamped_alias_js1(ts.text(pattern), value, keys):
                    continue
                if _clamped_member_js2(ts.text(pattern), value, keys, defaults):
                    continue
                _member_fallback(ts.text(pattern), value, keys, defaults)
                continue
            if pattern is None or pattern.type != "object_pattern" or value is None:
                continue
            if value.type == "binary_expression" and ts.text(value.child_by_field_name("operator")) in ("||", "??") \
                    and ts.text(unwrap(value.child_by_field_name("right"))).replace(" ", "") == "{}":
                value = unwrap(value.child_by_field_name("left"))
            holder = keys.get(ts.text(value)) if value is not None and value.type == "identifier" else None
            if holder is None or holder[1] is None or "." in holder[0]:
                continue
            for part in pattern.named_children:
                if part.type == "rest_pattern" and part.named_children and part.named_children[0].type == "identifier":
                    keys.setdefault(ts.text(part.named_children[0]), holder)  # `...textOptions` (round 11)
                if part.type == "shorthand_property_identifier_pattern" and ts.text(part) not in keys:
                    keys[ts.text(part)] = (f"{holder[1]}.{ts.text(part)}", None)
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    if left is None or ts.text(left) in keys:
                        continue
                    keys[ts.text(left)] = (f"{holder[1]}.{ts.text(left)}", None)
                    number = _literal(part.child_by_field_name("right"))
                    if number is None:
                        # `const { timeoutMs = DEFAULT_TIMEOUT_MS } = options ?? {}` (round 18, js2: refly's
                        # runModuleInitWithTimeoutAndRetry): a top-level constant, as in the signature
                        number = _constant_number(part.child_by_field_name("right"))
                    if number is not None:
                        defaults[ts.text(left)] = number


_CLAMP_CALLS_JS1 = ("Math.max", "Number", "parseInt", "Number.parseInt", "Math.floor", "Math.trunc")


def _clamped_alias_js1(local: str, value: ts.Node, keys: dict) -> bool:
    """(round 17, js1) `const retries = Math.max(numRetries, 0)` (cross-seed's qBittorrent request()),
    `const n = Number(timeoutMs)`, `const t = parseInt(timeout, 10)`, `const attempts = maxAttempts` at the
    top of the body, the inner name a positional parameter: the local IS that parameter (a loop bounded by
    it, or a request timed by it, publishes the parameter; calls leaving it out get its default)."""
    if local in keys:
        return False
    inner = None
    if value.type == "identifier":
        inner = value
    elif value.type == "call_expression" and dotted(value.child_by_field_name("function")) in _CLAMP_CALLS_JS1:
        args = [unwrap(a) for a in (value.child_by_field_name("arguments").named_children
                                    if value.child_by_field_name("arguments") is not None else [])
                if a.type != "comment"]
        named = [a for a in args if a is not None and a.type == "identifier"]
        rest = [a for a in args if a is not None and a.type != "identifier"]
        if len(named) == 1 and len(args) <= 2 and all(a.type == "number" for a in rest):
            inner = named[0]
    holder = keys.get(ts.text(inner)) if inner is not None else None
    if holder is None or holder[1] is None or "." in holder[0] or holder[0] != ts.text(inner):
        return False
    keys[local] = holder
    return True


def _clamped_member_js2(local: str, value: ts.Node, keys: dict, defaults: dict) -> bool:
    """(round 18, js2: refly's runModuleInitWithTimeoutAndRetry) `const safeTimeout = Math.max(MIN_TIMEOUT_MS,
    timeoutMs)`, `const attempts = Math.max(1, maxAttempts)` at the top of the body, the inner name a member of
    the options parameter destructured above (`const { timeoutMs = DEFAULT } = options ?? {}`): the local is
    that member (a floor only guards against nonsense values), with its default."""
    if local in keys or value.type != "call_expression" or \
            dotted(value.child_by_field_name("function")) not in ("Math.max", "Math.min"):
        return False
    args = [unwrap(a) for a in (value.child_by_field_name("arguments").named_children
                                if value.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
    if len(args) != 2 or any(a is None for a in args):
        return False
    members = [a for a in args if a.type == "identifier" and a.text and ts.text(a) in keys and "." in keys[ts.text(a)][0]]
    others = [a for a in args if a not in members]
    if len(members) != 1 or len(others) != 1 or not (
            others[0].type == "number" or others[0].type == "identifier" and re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(others[0]))):
        return False
    inner = ts.text(members[0])
    keys[local] = keys[inner]
    if inner in defaults:
        defaults[local] = defaults[inner]
    return True


def _member_fallback(local: str, value: ts.Node, keys: dict, defaults: dict) -> None:
    """`let retries = optionalConfig?.retries || 3` at the top of the body, `optionalConfig` a
    positional parameter (round 10): `retries` is the options object's `<position>.retries`, with
    the fallback as its default (as `const { retries = 3 } = optionalConfig || {}` is). Lodash's
    `get(fetchOptions, 'timeoutInMs', 5000)` (also `_.get`) reads the member the same way (round 12)."""
    if local not in keys and value.type == "call_expression" and \
            dotted(value.child_by_field_name("function")) in ("get", "_.get", "lodash.get"):
        args = [a for a in (value.child_by_field_name("arguments").named_children
                            if value.child_by_field_name("arguments") is not None else []) if a.type != "comment"]
        holder = keys.get(ts.text(args[0])) if len(args) == 3 and args[0].type == "identifier" else None
        member = string_value_of(args[1]) if holder is not None else None
        number = (_literal(args[2]) if _literal(args[2]) is not None else _constant_number(args[2])) \
            if member is not None else None
        if number is not None and re.fullmatch(r"[A-Za-z_$][\w$]*", member) and holder[1] is not None \
                and "." not in holder[0]:
            keys[local] = (f"{holder[1]}.{member}", None)
            defaults[local] = number
        return
    if local in keys or value.type != "binary_expression" or \
            ts.text(value.child_by_field_name("operator")) not in ("||", "??"):
        return
    number = _literal(value.child_by_field_name("right"))
    if number is None:
        number = _constant_number(value.child_by_field_name("right"))  # `?? DEFAULT_MAX_ATTEMPTS` (round 11)
    if number is None:
        number = _constant_member_number_js2(value.child_by_field_name("right"))  # `?? CONFIG.maxRetries`
    member = unwrap(value.child_by_field_name("left"))
    if number is not None and member is not None and member.type == "identifier":
        # `const maxRetries = retries ?? CONNECTION_CONFIG.maxRetries` (round 13, maxun): a positional
        # parameter with the code's own fallback is that parameter with a default (rules a, b, c)
        holder = keys.get(ts.text(member))
        if holder is not None and holder[1] is not None and "." not in holder[0] and holder[0] == ts.text(member):
            keys[local] = holder
            defaults[local] = number
            defaults.setdefault(ts.text(member), number)
        return
    if number is None or member is None or member.type != "member_expression":
        return
    head, _, name = re.sub(r"\?\.", ".", ts.text(member)).partition(".")
    holder = keys.get(head)
    if not name or "." in name or holder is None or holder[1] is None or "." in holder[0]:
        return
    keys[local] = (f"{holder[1]}.{name}", None)
    defaults[local] = number


def _constant_member_number_js2(node: ts.Node | None) -> float | None:
    """`CONNECTION_CONFIG.maxRetries` with `const CONNECTION_CONFIG = { maxRetries: 3, ... }` declared
    at the top of the file (round 13): the member's number."""
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return None
    obj, prop = unwrap(node.child_by_field_name("object")), node.child_by_field_name("property")
    if obj is None or obj.type != "identifier" or prop is None:
        return None
    root = node
    while root.parent is not None:
        root = root.parent
    for stmt in root.named_children:
        decl_holder = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl_holder is None or decl_holder.type != "lexical_declaration" or \
                not ts.text(decl_holder).startswith("const"):
            continue
        for decl in decl_holder.named_children:
            if decl.type != "variable_declarator" or ts.text(decl.child_by_field_name("name")) != ts.text(obj):
                continue
            value = unwrap(decl.child_by_field_name("value"))
            if value is None or value.type != "object":
                return None
            for pair in value.named_children:
                if pair.type == "pair" and key_name(pair.child_by_field_name("key")) == ts.text(prop):
                    return _literal(pair.child_by_field_name("value"))
            return None
    return None


def _constant_number(node: ts.Node | None) -> float | None:
    """An upper-case name declared at the top of the file as a number (`const DEFAULT_MAX_ATTEMPTS = 3`)."""
    node = unwrap(node)
    if node is None or node.type != "identifier" or not re.fullmatch(r"[A-Z][A-Z0-9_]*", ts.text(node)):
        return None
    root = node
    while root.parent is not None:
        root = root.parent
    for stmt in root.named_children:
        decl_holder = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl_holder is None or decl_holder.type != "lexical_declaration":
            continue
        for decl in decl_holder.named_children:
            if decl.type == "variable_declarator" and ts.text(decl.child_by_field_name("name")) == ts.text(node):
                return _literal(decl.child_by_field_name("value"))
    return None


def _literal(node: ts.Node | None) -> float | None:
    node = unwrap(node)
    if node is None or node.type != "number":
        return None
    try:
        return float(ts.text(node).replace("_", ""))
    except ValueError:
        return None


def _key_of(path: str, params: dict) -> tuple[str, int | None] | None:
    if path in params:
        return params[path]
    head, _, member = path.partition(".")
    if member and re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", member):
        # `dynamoEnv.DYNAMODB_REQUEST_TIMEOUT_MS`: an environment variable's name read from a settings
        # object handed in (a config field, labelled where it is read), not an option a caller writes
        return None
    if member and head in params and params[head][1] is not None and "." not in params[head][0]:
        return f"{params[head][1]}.{member}", None  # `opts.timeout` of the options parameter
    field, _, member = path.rpartition(".")
    if path.startswith("this.") and field in params and params[field][1] is not None and "." not in params[field][0] \
            and re.fullmatch(r"[A-Za-z_$][\w$]*", member) and (_CONFIGISH.fullmatch(params[field][0]) or (
                # (round 21, ts2) `constructor(.., private _options: { maxRetries: number })` read as
                # `this._options.maxRetries` (grist's ChecksummedExternalStorage): an options object kept whole
                re.fullmatch(r"_?(options|opts)", params[field][0]) and _ATTEMPTS_MEMBER_TS2.search(member))):
        # (round 20, jsfix2) `this.config.timeout` of `this.config = config` (a settings parameter kept whole)
        return f"{params[field][1]}.{member}", None
    return None


def _timeout_view(fd: Finding, params: dict, defaults: dict):
    """(key, position, a copy of the finding that says the key is its timeout in the unit the
    caller writes) for a timeout whose expression is a parameter, scaled or defaulted."""
    text = re.sub(r"\s+", "", str(fd.attributes.get("expression") or ""))
    text = text.replace("?.", ".").replace("!", "")
    text = re.sub(r"as(number|any)$", "", text)
    multiplier, default = 1.0, None
    defaulted_here = False
    for _ in range(3):
        while text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        converted = _CONVERT.match(text)
        if converted:
            text = converted.group(1)
            continue
        scaled = re.fullmatch(rf"({_NUMBER})\*(.+)|(.+)\*({_NUMBER})", text)
        if scaled:
            multiplier *= float(scaled.group(1) or scaled.group(4))
            text = scaled.group(2) or scaled.group(3)
            continue
        override = re.fullmatch(r"([A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*)(?:\?\?|\|\|)(this\.[A-Za-z_$][\w$]*)", text)
        if override and not override.group(1).startswith("this."):
            # `options.timeout ?? this.timeout` (round 12): a request's own override, else the field the
            # constructor keeps the client's timeout in: the constructor's parameter
            text = override.group(2)
            continue
        defaulted = re.fullmatch(rf"(.+?)(?:\?\?|\|\|)({_NUMBER})", text)
        if defaulted and default is None:
            default, text = float(defaulted.group(2)), defaulted.group(1)
            defaulted_here = True
            continue
        named_js2 = re.fullmatch(rf"({_PATH})(?:\?\?|\|\|)((?:[A-Za-z_$][\w$]*\.){{0,3}}[A-Za-z_$][\w$]*)", text)
        if named_js2 and default is None and fd.attributes.get("timeout_ms") is None and \
                _key_of(named_js2.group(1), params) is not None and \
                _key_of(named_js2.group(2), params) is None and not named_js2.group(2).startswith("this."):
            # `timeoutOverride || config.curlTimeout` (round 15, js2): a parameter, else a named setting
            # (a constant, a config module's member): that setting is the parameter's default
            default, text = Ref(named_js2.group(2)), named_js2.group(1)
            defaulted_here = True
            continue
        settled_js1 = re.fullmatch(rf"({_PATH})\|\|(.+)", text)
        settled_ms_js1 = fd.attributes.get("timeout_ms")
        if settled_js1 and default is None and isinstance(settled_ms_js1, (int, float)) and \
                not isinstance(settled_ms_js1, bool) and settled_ms_js1 > 0 and \
                _key_of(settled_js1.group(1), params) is not None and not settled_js1.group(2).startswith("this."):
            # (round 17, js1) `timeout || ms("5 minutes")`, the fallback a call the scan settled (the `ms` package):
            # that value is the parameter's default, as a literal fallback is
            default, text = float(settled_ms_js1), settled_js1.group(1)
            defaulted_here = True
            continue
        break
    if not re.fullmatch(_PATH, text) and not re.fullmatch(rf"this\.{_PATH}", text):  # (round 20, jsfix2)
        return None
    found = _key_of(text, params)
    if found is None:
        return None
    key, index = found
    ms = fd.attributes.get("timeout_ms")
    pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
    if isinstance(ms, (int, float)) and not isinstance(ms, bool):
        if default is None:
            # a field the constructor keeps the parameter in (`this.timeoutMs`, a parameter property
            # `private timeoutMs = 5000`): the parameter's own default
            default = defaults.get(text) if text in defaults else defaults.get(key)
        if not default:
            return None
        scale = ms / default  # settled from the default: ms per unit of it
    elif pending is not None:
        scale = (pending.scale or 1.0) * multiplier
    else:
        return None
    # `fetchTimeout(webhook.url, webhook.timeout ?? 5000)` (round 11): a member read with the code's own
    # fallback is the helper's default (rule a), no forwarder
    fallback = {"fallback": default} if defaulted_here else {}
    view = replace(fd, attributes={**fd.attributes, "expression": key, "timeout_ms": None, **fallback},
                   pending=(Pending("timeout_ms", Ref(key), scale),))
    return key, index, view


def _attempts_view(fd: Finding, params: dict):
    """The same for a retry bound: `attempts_expression` (`maxRetries + 1`, `opts.retries + 1`) or
    a pending bound that is a parameter plus a number."""
    path, offset = None, 0.0
    written = re.sub(r"\s+", "", str(fd.attributes.get("attempts_expression") or ""))
    match = re.fullmatch(rf"({_PATH})(?:([+-])({_NUMBER}))?", written)
    if match:
        path = match.group(1)
        offset = float(match.group(3) or 0) * (-1 if match.group(2) == "-" else 1)
    else:
        pending = next((p for p in fd.pending if p.attribute == "max_attempts"), None)
        expr = pending.expr if pending is not None and pending.scale in (None, 1.0) else None
        while isinstance(expr, BinOp) and expr.op in ("+", "-") and isinstance(expr.right, Num):
            # (`(this.maxRetries - 0) + 1`: a loop's bound and its first try, folded, round 12)
            offset += float(expr.right.value) * (1 if expr.op == "+" else -1)
            expr = expr.left
        from extractors.javascript.merged_options_ts2 import unclamped_ts2
        expr = unclamped_ts2(expr)  # (round 21, ts2) `Math.max(_maxAttempts, 1)`: a floor on the member
        if isinstance(expr, Ref):
            path = expr.name
    if path is None:
        return None
    found = _key_of(path, params)
    if found is None and match:
        # (round 20, ts2) `const maxRetries = this.FETCH_MAX_RETRIES; while (retryCount <= maxRetries)`: the
        # written bound is a local copy of a field the constructor fills from its parameter (the pending's)
        pending = next((p for p in fd.pending if p.attribute == "max_attempts"), None)
        expr = pending.expr if pending is not None and pending.scale in (None, 1.0) else None
        offset = 0.0
        while isinstance(expr, BinOp) and expr.op in ("+", "-") and isinstance(expr.right, Num):
            offset += float(expr.right.value) * (1 if expr.op == "+" else -1)
            expr = expr.left
        if isinstance(expr, Ref) and expr.name.startswith("this."):
            found = _key_of(expr.name, params)
    if found is None:
        return None
    key, index = found
    bound: Expr = BinOp("+", Ref(key), Num(offset)) if offset else Ref(key)
    view = replace(fd, attributes={k: v for k, v in fd.attributes.items() if k != "attempts_expression"},
                   pending=(Pending("max_attempts", bound, 1.0),))
    return key, index, view


def _body_fallback_default_js2(key: str, finding: Finding, defaults: dict, defaulted: frozenset[str]):
    """(defaults, defaulted) for a positional parameter the body reads with the code's own fallback
    (round 15, js2: PlanningSup's `fetchWithTimeout(url, options?, timeoutOverride?)` aborting after
    `timeoutOverride || config.curlTimeout`): the fallback is the parameter's default, so the request
    keeps it (rule a) and a call leaving the parameter out gets it (rule b), as `timeoutOverride = 5000`
    in the signature would. A default the signature writes wins."""
    fallback = finding.attributes.get("fallback")
    if key in defaults and fallback is not None and _folded_number_js1(defaults[key]) == 0.0 and \
            isinstance(fallback, (int, float)) and not isinstance(fallback, bool) and fallback > 0:
        # (round 17, js1) `timeout = 0` read as `timeout || ms("5 minutes")`: the written 0 means the fallback
        return {**defaults, key: fallback}, defaulted | {key}
    if fallback is None or key in defaults or isinstance(fallback, bool):
        return defaults, defaulted
    return {**defaults, key: fallback}, defaulted | {key}
