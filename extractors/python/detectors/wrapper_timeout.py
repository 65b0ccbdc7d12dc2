"""Timeouts and retry bounds handed to a project's own functions and methods defined in another file.

What it does: a module-level function, or a method of a module-level class, whose parameter becomes
a client's timeout (`def post_json(url, body, timeout=5): return requests.post(url, json=body,
timeout=timeout)`) or bounds a retry (`for _ in range(retries)`) publishes that parameter
(`post_json.$timeout_param:2`, `ApiClient.get.$timeout_param:timeout`, `client.get...` for a
module-level instance `client = ApiClient()`, `ApiClient.$timeout_param:...` for a constructor
parameter the class keeps and hands a client as `self.timeout`), valued at the unit the client
reads. A call of such a helper that passes a number, an upper-case constant or arithmetic of those
(`post_json(RISK_URL, cart, 0.5)`, `http.post_json(url, b, timeout=2)`, `client.get(url, timeout=3)`,
`ApiClient.fetch(url, 0.5)`, `api = ApiClient(base); api.get(path, 2)`, `self.api.get(path, 2)`
with `self.api = ApiClient(...)`), or any value under a keyword naming a timeout
(`timeout=resolve_timeout(cfg)`: bounded, value unknown), is proposed as a timeout of phase `total`
(any value computed here under a keyword naming a retry bound, `retrier(fn, retries=retries)`, as a retry)
(and, for an integer, as a retry); the pipeline keeps a proposal only when the callee's file
published that parameter (everything else is dropped), and values it in ms. A call of a project
class (or of a function named for retrying) that leaves a defaulted retry bound out
(`FtCoinGeckoApi(api_key=k)` with `def __init__(self, api_key, retries=5)`) proposes that default. Not proposed:
arguments that are the caller's own parameters (a forwarder, read where it is called), strings,
`None`, calls of libraries, and calls of functions defined in this file (their own detectors read
them) except for the retry bound a module function of this file takes as a parameter
(`fetch_manifest(url, max_retries=2)` with `for attempt in range(max_retries)` in it), proposed the
same way. Methods are never published under their bare name (`get` is every class's).
Why it matters: most services call their dependencies through a helper of their own; the
timeout each call site hands it is the contract with that dependency.
Example: `post_json(RISK_URL, cart, 0.5)` with `post_json` in `app/http.py`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Num, Ref, Tuple, Unknown
from extractors import treesitter as T
from extractors import wrappers
from extractors.base import detector
from extractors.python.analysis import LazyArg, PyCall, _none_fallback, is_none, string_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.wrapper_timeout"

VALID = [
    """\
import time

import requests


def sync(api, path, retries):
    api.get(path, "fast")  # ok: a string, and `get` names no one helper (every client has one)
    api.fetch(path, retries)  # ok: a one-word method of an object of unknown class
    time.sleep(3)  # ok: a library's call
    return requests.get(path, timeout=3)  # ok: a library's call (python.requests reads it)
""",
    """\
import requests

NOTE = "post_json(url, body, 3)"  # ok: a string
# post_json(url, body, timeout=3)  ok: a comment
""",
]

INVALID = [
    """\
from app.exchange import retrier


def reload(fetch, force):
    retries = 3 if force else 0
    return retrier(fetch, retries=retries)()  # expect: retry max_attempts=None via=retrier


def sync(fetch, retries):
    return retrier(fetch, retries=retries)()  # ok: forwards its caller's value
""",
    """\
from app.clients import ApiClient


def sync(path):
    api = ApiClient("http://ledger")  # expect: retry max_attempts=None via=ApiClient
    return api.get(path, "fast")
""",
    """\
from app.http import post_json
from app import http

RISK_TIMEOUT = 0.5

post_json("http://risk/score", {}, RISK_TIMEOUT)  # expect: timeout timeout_ms=None phase=total via=post_json
http.post_json("http://risk/score", {}, timeout=2)  # expect: timeout timeout_ms=None phase=total via=http.post_json
""",
    """\
from app.clients import ApiClient, ledger


class Checkout:
    def __init__(self):
        self.api = ApiClient("http://orders")

    def place(self, order):
        ledger.post("/entries", order, timeout=3)  # expect: timeout timeout_ms=None phase=total via=ledger.post
        return self.api.get("/place", 6)  # expect: timeout timeout_ms=None phase=total via=ApiClient.get
""",
    """\
import aiohttp


class HomeApi:
    async def make_request(self, method, path, timeout=30):
        return await self.session.request(method, path, timeout=aiohttp.ClientTimeout(total=timeout))

    async def config(self):
        return await self.make_request("get", "api/config")  # expect: timeout timeout_ms=None via=HomeApi.make_request


def push(coresys, data):
    # a receiver whose class this file cannot tell: the method's distinctive name finds the helper
    return coresys.homeassistant.api.make_request("post", "api/push", timeout=10)  # expect: timeout timeout_ms=None via=$any.make_request
""",
]


def _number_like(f, node) -> bool:
    """A number, a constant's name (`RISK_TIMEOUT`, `settings.RISK_TIMEOUT`) or arithmetic of those:
    told by shape first (most arguments are variables and strings), resolved only then."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("integer", "float"):
        return True
    if node.type == "identifier" or node.type == "attribute":
        last = T.text(node).rsplit(".", 1)[-1]
        return last.isupper() and not isinstance(f.expr(node), Unknown)
    if node.type == "binary_operator":
        return all(_number_like(f, side) for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))
    return False


def _forwarded(f, node) -> bool:
    """An argument that is a parameter of the enclosing function: the caller's caller decides."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    memo = f._memo.setdefault("wrapper_forwarded", {})
    if node.id not in memo:
        fn = f.enclosing_function(node)
        memo[node.id] = fn is not None and T.text(node) in f.function_params(fn)
    return memo[node.id]


def _param_derived(f, node, depth: int = 0) -> bool:
    """A local whose every value comes from the calling function's own parameters: `timeout =
    params.pop("request_timeout", None) or params.pop("timeout", None)` with `params =
    dict(request_params)`: the caller's caller decides, as for the parameter itself."""
    node = unwrap(node)
    if node is None or depth > 8:
        return False
    if node.type == "identifier":
        fn = f.enclosing_function(node)
        if fn is None:
            return False
        name = T.text(node)
        values = [v for t, v, s in f.scope_assignments(fn) if t == name and s.start_byte < node.start_byte
                  and not (s.start_byte <= node.start_byte < s.end_byte)]
        loop = _loop_source(node, name, fn)
        if loop is not None:
            values.append(loop)  # `for name, conf in data.items():` the iterable it comes from
        if not values:
            return depth > 0 and name in f.function_params(fn)
        return all(_param_derived(f, v, depth + 1) for v in values)
    if node.type == "boolean_operator" and T.text(node.child_by_field_name("operator")) == "or":
        return all(_param_derived(f, node.child_by_field_name(side), depth + 1) for side in ("left", "right"))
    call = f.call_of(node)
    if call is None:
        return False
    func = node.child_by_field_name("function")
    if call.name in ("pop", "get") and func is not None and func.type == "attribute" and \
            func.child_by_field_name("object").type == "identifier" and 1 <= len(call.args) <= 2 and \
            (len(call.args) == 1 or is_none(unwrap(call.args[1].node))):
        return _param_derived(f, func.child_by_field_name("object"), depth + 1)
    if call.qualified in ("dict", "copy.copy", "copy.deepcopy") and len(call.args) == 1 and not call.kwargs:
        return _param_derived(f, call.args[0].node, depth + 1)
    if call.name in ("items", "values", "keys", "copy") and not call.args and func is not None and             func.type == "attribute" and func.child_by_field_name("object").type == "identifier":
        return _param_derived(f, func.child_by_field_name("object"), depth + 1)
    return False


def _param_item(f, node) -> bool:
    """`opts["timeout"]` / `opts.get("timeout")` on a parameter of the calling function (`def googleIterate(self,
    query, opts=None): self.fetchUrl(url, timeout=opts["timeout"])`): an item of the caller's own options,
    which its caller decides, as for a parameter itself (round 14, SpiderFoot)."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "subscript":
        obj = node.child_by_field_name("value")
    elif node.type == "call":
        func = node.child_by_field_name("function")
        call = f.call_of(node)
        if func is None or func.type != "attribute" or call is None or call.name != "get" or not call.args:
            return False
        obj = func.child_by_field_name("object")
    else:
        return False
    return obj is not None and obj.type == "identifier" and (_forwarded(f, obj) or _param_derived(f, obj))


def _calls_itself(f, call, helper: str) -> bool:
    """A call of the function it is made in (`self.fetchUrl(...)` inside `fetchUrl`, `walk(...)` inside `walk`)."""
    fn = f.enclosing_function(call.node)
    if fn is None or helper.rsplit(".", 1)[-1] != T.text(fn.child_by_field_name("name")):
        return False
    owner = call.callee.rpartition(".")[0]
    return owner in ("", "self", "cls")


def _loop_source(node, name: str, fn):
    """The iterable of the `for` (inside ``fn``) whose target binds ``name`` around ``node``."""
    anc = node.parent
    while anc is not None and anc.id != fn.id:
        if anc.type == "for_statement":
            left = anc.child_by_field_name("left")
            body = anc.child_by_field_name("body")
            if left is not None and body is not None and body.start_byte <= node.start_byte and any(
                    x.type == "identifier" and T.text(x) == name for x in T.walk(left)):
                return anc.child_by_field_name("right")
        anc = anc.parent
    return None


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.imports and not f.functions:
        return out
    allowed = _proposing_for(f)
    out += _bare_decorator_bounds(f, allowed)
    for call in f.calls:
        sent = _task_send(f, call)
        if sent is not call and _requeues_itself(f, sent):
            continue  # a task queuing itself again (`same_task.delay(args=(..., try_count + 1))`): the retry itself
        call = sent
        if allowed is not None and _called_name(f, call) not in allowed:
            # no helper of that name exists (the scan's second pass proposes once it knows): only a
            # forward of the caller's own parameter, which makes the caller a helper (a chain)
            out += _forwards_only(f, call)
            continue
        arguments = [(str(i), a.node) for i, a in enumerate(call.args)] + [(k, a.node) for k, a in call.kwargs.items()]
        proposals = [(k, n) for k, n in arguments if _may_propose(k, n)]
        helper = _helper_callee(f, call)
        if not any(_RETRY_KEYWORD.search(k) for k, _ in proposals):
            # a helper's defaulted retry bound left out (`FtCoinGeckoApi(api_key=k)` with `retries=5`,
            # also `HttpClient(timeout=20)`: the timeout given, the bound left out; `create_pool(urls, t)`
            # with `rounds=2` handed to a library's retry option): kept only when the callee published
            # that its bound is omitted at this many positionals
            last = call.callee.rsplit(".", 1)[-1]
            callee = (_project_callee(f, call) or _inherited_helper(f, call, helper) or _same_file_class(f, call, helper)) \
                if f.imports and \
                "(" not in call.callee and not call.splats and not any(
                _forwarded(f, d.named_children[0]) for d in call.dict_splats if d.named_children) and (
                last[:1].isupper() or _RETRYISH.search(last) or helper is not None) and not any(
                _forwarded(f, a.node) and _BOUND_OR_TIMEOUT.search(a.text) for a in call.args) else None
            # (a forwarded positional named as a bound may be the bound: its caller's)
            omitted = wrappers.omitted_retry_proposal(
                path=f.path, language="python", node=call.node, detector=ID, callee=callee,
                positional=len(call.args), keywords=list(call.kwargs)) if callee else None
            if omitted is not None:
                out.append(omitted)
        if helper is not None and _calls_itself(f, call, helper):
            continue  # a helper calling itself again (`return self.fetchUrl(newurl, cookies, timeout, ...)` after a
            # redirect) hands its own parameters back: the same contract, already at its own requests
        if helper is not None:
            out += _forward_and_omitted(f, call, helper, [(k, n) for k, n in arguments if _forwarded(f, n)])
            out += _dict_key_proposals(f, call, helper)
            if not helper.startswith(_ANY) and not any(_RETRY_KEYWORD.search(k) for k, _ in proposals):
                out += _omitted_local_bound(f, call)
        if not proposals:
            continue  # most calls pass nothing a helper could read as a timeout or a bound
        callee = _project_callee(f, call) if f.imports else None
        if callee is None:
            out += _local_retry_bound(f, call, proposals)
            if helper is None:
                continue
            callee, timeouts_only = helper, True  # a helper of this file or a distinctive method name
        else:
            timeouts_only = False
        # the arguments that may be the call's destination (the one the helper publishes as its URL)
        destination = wrappers.url_pending(callee, _url_args(f, call))
        for key, node in proposals:
            if _forwarded(f, node) or (unwrap(node) is not None and unwrap(node).type == "identifier"
                                       and _param_derived(f, node)) or _param_item(f, node):
                continue
            if unwrap(node).type == "unary_operator" and T.text(unwrap(node)).replace(" ", "") in ("-1", "-1.0"):
                continue  # `recv_timeout=-1`: wait forever (zmq, sockets), no bound handed over (round 19, mquery)
            number = _number_like(f, node)
            bound = (_RETRY_KEYWORD.search(key) is not None or _named_bound(key, unwrap(node))) and \
                unwrap(node).type not in ("string", "none", "float")
            if timeouts_only and key.isdigit() and not number and not bound:
                continue  # a this-file method handed a timeout-named field positionally (`self.wait_for_death(
                # self.kill_timeout)`): its own detectors read what it does with it
            if not number and not _timeout_keyword(f, key, node) and not bound:
                continue
            default = f.config_default(unwrap(node)) if not number else None
            value = f.expr(default if default is not None else unwrap(node))  # `int(params.get("TIMEOUT", 5))`: 5
            if number or _timeout_keyword(f, key, node):
                unit = Ref(f"{callee}.{wrappers.TIMEOUT_PARAM}:{key}")
                out.append(f.finding("timeout", call.node, ID, {
                    "timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                    "expression": T.text(node), "via": callee}, "medium",
                    pending=(Pending("timeout_ms", BinOp("*", value, unit), 1.0), Pending(KEEP_IF, unit, None),
                             *destination)))
            if timeouts_only and not (bound and _named_bound(key, unwrap(node))):
                continue  # (a this-file helper handed a value named as its bound: `rounds=n`, `self.x_rounds`)
            if (number and unwrap(node).type != "float") or bound:
                # the same value may be the helper's attempts bound (`call_with_retry(fn, 3)`)
                marker = Ref(f"{callee}.{wrappers.ATTEMPTS_PARAM}:{key}")
                out.append(f.finding("retry", call.node, ID, {
                    "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                    "via": callee}, "medium",
                    pending=(Pending("max_attempts", BinOp("-", BinOp("+", value, marker), Num(1)), 1.0),
                             Pending(KEEP_IF, marker, None), *destination)))
    return [_any_guard(fd) for fd in _callable_destinations(f, out)]


def _callable_destinations(f, out: list) -> list:
    """Round 21 (lead, polyglot18): a proposal at a helper call handed the work as a callable
    (`await call_with_retries(lambda: self._client.get(f"/v1/balances/{cid}"))`, `retrier(partial(
    session.post, url))`) and no URL of its own takes the destination of the first outbound call inside
    that callable (as a decorated function's retry takes its body's), so the retry layers are checked."""
    if not out:
        return out
    by_start = {}
    for call in f.calls:
        if any(unwrap(a.node) is not None and unwrap(a.node).type == "lambda" for a in call.args):
            by_start[(call.node.start_point[0] + 1, call.node.start_point[1] + 1)] = call
    if not by_start:
        return out
    fixed = []
    for fd in out:
        call = by_start.get((fd.line, fd.column))
        if call is not None and fd.target is None and fd.kind in ("retry", "timeout") and \
                not any(p.attribute == "url" for p in fd.pending):
            for arg in call.args:
                node = unwrap(arg.node)
                if node is not None and node.type == "lambda":
                    target, pending = _retry.target_within(f, node)
                    if target is not None or pending:
                        fd = replace(fd, target=target, pending=(*fd.pending, *pending))
                    break
        fixed.append(fd)
    return fixed


_TASK_SENDS = ("delay", "apply_async")


def _requeues_itself(f, sent) -> bool:
    """The task a `.delay` / `.apply_async` queues is the function making the call (python.retry_loop
    reads that requeue as the task's retry): no proposal of its own."""
    fn = f.enclosing_function(sent.node)
    return fn is not None and sent.callee.rsplit(".", 1)[-1] == T.text(fn.child_by_field_name("name"))


def _task_send(f, call):
    """A task queued for a worker (`send_webhook.delay(url, body, 5)`, `send_webhook.apply_async(
    args=(url, body), kwargs={"retries": 5}, countdown=10)`: Celery's and its look-alikes') calls the
    task function with those arguments: seen as that call, so its published parameters reach it. A
    `delay(args=(...), kwargs={...})` given only those (a task processor's own `delay`, Flagsmith's)
    reads them as apply_async's."""
    head, _, verb = call.callee.rpartition(".")
    if verb not in _TASK_SENDS or not head or "(" in head or head in ("self", "cls"):
        return call
    memo = f._memo.setdefault("wrapper_task_send", {})
    if call.node.id in memo:
        return memo[call.node.id]
    shim = PyCall(node=call.node, callee=head, qualified=f.qualify(head))
    if verb == "delay" and not call.args and ("args" in call.kwargs or "kwargs" in call.kwargs) and \
            set(call.kwargs) <= {"args", "kwargs", "delay_until", "countdown", "eta"}:
        # Flagsmith's task processor and look-alikes: `task.delay(args=(id, data, True, retries))`
        # hands the task its arguments as apply_async does
        verb = "apply_async"
    if verb == "delay":
        shim.args, shim.kwargs = list(call.args), dict(call.kwargs)
        shim.splats, shim.dict_splats = list(call.splats), list(call.dict_splats)
    else:
        positional = call.kwargs.get("args") or (call.args[0] if call.args else None)
        named = call.kwargs.get("kwargs") or (call.args[1] if len(call.args) > 1 else None)
        for given, literal in ((positional, "tuple"), (named, "dictionary")):
            node = unwrap(given.node) if given is not None else None
            if node is None:
                continue
            if node.type not in ((literal, "list") if literal == "tuple" else (literal,)):
                (shim.splats if literal == "tuple" else shim.dict_splats).append(node)  # built elsewhere: unknown
                continue
            for child in node.named_children:
                if child.type == "comment":
                    continue
                if literal == "tuple":
                    shim.args.append(LazyArg(child))
                elif child.type == "pair" and string_value(child.child_by_field_name("key")):
                    value = child.child_by_field_name("value")
                    if value is not None:
                        key = string_value(child.child_by_field_name("key"))
                        shim.kwargs[key] = LazyArg(value, key)
                else:
                    shim.dict_splats.append(child)
    memo[call.node.id] = shim
    return shim


def _proposing_for(f) -> frozenset[str] | None:
    """The callee names proposed for (`wrappers.proposing_for`), plus this file's own functions and
    classes; None: every call."""
    names = wrappers.proposing_for()
    if names is None:
        return None
    own = {T.text(fn.child_by_field_name("name")) for fn in f.functions}
    return frozenset(names) | own | set(f.classes)


def _called_name(f, call) -> str:
    """The name a helper publishes that a call may reach: the callee's last component, or, for a
    name imported under an alias (`from app.http import post_json as post`), the imported one."""
    callee = call.callee
    if "." not in callee and callee in f.imports:
        return f.imports[callee].rsplit(".", 1)[-1]
    return callee.rsplit(".", 1)[-1]


def called_names(f) -> frozenset[str]:
    """Every name the file's calls may reach a helper by (`FileResult.calls`)."""
    return frozenset(_called_name(f, _task_send(f, call)) for call in f.calls)


def _forwards_only(f, call) -> list:
    """The forward proposals of a call (its arguments that are the calling function's own
    parameters named as a timeout or a bound), without the proposals that need the callee to be
    a helper."""
    forwards = [(k, a.node) for k, a in list(enumerate(call.args)) + list(call.kwargs.items())
                if _forwarded(f, a.node)]
    forwards = [(str(k), n) for k, n in forwards
                if _BOUND_OR_TIMEOUT.search(str(k)) or _BOUND_OR_TIMEOUT.search(T.text(unwrap(n)))]
    if not forwards:
        return []
    helper = _helper_callee(f, call)
    return _forward_and_omitted(f, call, helper, forwards, omitted=False) if helper is not None else []


_URLISH_NODES = ("string", "concatenated_string", "identifier", "attribute", "binary_operator")
_URL_KEYWORD = re.compile(r"url|uri|endpoint|host|path|address", re.I)


def _url_args(f, call) -> dict:
    """The call's arguments that may be a URL (strings, f-strings, names, attributes,
    concatenations), by position and keyword, as the helper's published URL parameter is looked
    up. Names and attributes stay references (the pipeline resolves them); kept per call."""
    memo = f.__dict__.setdefault("_wrapper_url_args", {})
    if call.node.id in memo:
        return memo[call.node.id]
    out = {}
    # a helper's URL is its first argument or a keyword named like one (one or two lookups a call)
    candidates = [("0", call.args[0].node)] if call.args else []
    candidates += [(k, a.node) for k, a in call.kwargs.items() if _URL_KEYWORD.search(k)]
    for key, node in candidates:
        inner = unwrap(node)
        if inner is None or inner.type not in _URLISH_NODES:
            continue
        if inner.type in ("identifier", "attribute"):
            value = f.expr(inner) if inner.type == "identifier" else Ref(T.text(inner))
        else:
            value = f.expr(inner)
        if not isinstance(value, Unknown):
            out[key] = value
    memo[call.node.id] = out
    return out


def _forward_and_omitted(f, call, callee: str, forwards, omitted: bool = True) -> list:
    """At a call of a project helper: a `forward_proposal` for each argument that is the calling
    function's own parameter (never reported: it publishes that parameter for the calling
    function's callers, a helper chain), and an `omitted_timeout_proposal` when no argument may be
    the timeout (the helper's default applies: kept only when the helper published it)."""
    out = []
    # a keyword handed the calling function's own parameter defaulting to None (`def get_default_client(
    # timeout=None): return OpenAIHTTPClient(timeout=timeout)`): None there is "your default" for a
    # callee whose parameter falls back on one, so the call leaves it out (rule a: the callee's default)
    none_given = {k for k, n in forwards if not k.isdigit() and _none_default_param(f, n)}
    keywords = [k for k in _duration_keywords(call.kwargs) if k not in none_given]
    given = sorted({k for k in keywords if wrappers._TIMEOUTISH.search(k)})
    suffix = f":-{','.join(given)}" if given else ""
    for key, node in forwards:
        if not (_BOUND_OR_TIMEOUT.search(key) or _BOUND_OR_TIMEOUT.search(T.text(unwrap(node)))):
            continue  # a forwarded `url` or `body` is no bound
        proposal = wrappers.forward_proposal(
            path=f.path, language="python", node=call.node, detector=ID, callee=callee, key=key,
            value=Ref(T.text(unwrap(node))), expression=f"(forward) {T.text(node)}")
        if key in none_given and not call.splats and not call.dict_splats:
            # what a call of the calling function leaving it out gets: the callee's default here
            proposal = replace(proposal, attributes={**proposal.attributes, "none_default": (
                f"{callee}.{wrappers.TIMEOUT_OMITTED}:{len(call.args)}{suffix}",
                f"{callee}.{wrappers.TIMEOUT_DEFAULT}:{len(call.args)}{suffix}")})
            if _RETRYISH.search(key) and not _TIMEOUT_NAME.search(key):
                # (round 17) `max_attempts=max_attempts` with the calling function's `max_attempts=None`: the callee
                # applies its own default, rule (a) here with that default (astrbot's tenacity helper chain)
                handed = wrappers.omitted_retry_proposal(
                    path=f.path, language="python", node=call.node, detector=ID, callee=callee,
                    positional=len(call.args), keywords=(), args=_url_args(f, call))
                if handed is not None:
                    out.append(handed)
        out.append(proposal)
        default = _forwarded_default(f, node)
        if default is not None and _TIMEOUT_NAME.search(key if not key.isdigit() else T.text(unwrap(node))):
            # rule (a) through a helper chain: `def quietly(url, wait=7): return fetch(url, timeout=wait)`
            # hands on a default set in code: a timeout here, valued at that default
            unit = Ref(f"{callee}.{wrappers.TIMEOUT_PARAM}:{key}")
            pairs = zip(("connect", "read"), default.items) if isinstance(default, Tuple) else [("total", default)]
            for phase, item in pairs:  # a (connect, read) pair default: one finding per phase (round 13)
                out.append(f.finding("timeout", call.node, ID, {
                    "timeout_ms": None, "phase": phase, "resolved_from": "unresolved",
                    "expression": T.text(node), "via": callee}, "medium",
                    pending=(Pending("timeout_ms", BinOp("*", item, unit), 1.0), Pending(KEEP_IF, unit, None),
                             *wrappers.url_pending(callee, _url_args(f, call)))))
        named = T.text(unwrap(node))
        if _RETRYISH.search(named) and not _TIMEOUT_NAME.search(named):
            # the same for a retry bound: `def call_org_hooks(org, retries=settings.WEBHOOK_RETRIES):
            # _call_webhooks(hooks, retries)`: the bound this helper's callers get when they leave it out
            bound = default if default is not None else _constant_default(f, node)
            if bound is not None:
                marker = Ref(f"{callee}.{wrappers.ATTEMPTS_PARAM}:{key}")
                out.append(f.finding("retry", call.node, ID, {
                    "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
                    "via": callee}, "medium",
                    pending=(Pending("max_attempts", BinOp("-", BinOp("+", bound, marker), Num(1)), 1.0),
                             Pending(KEEP_IF, marker, None), *wrappers.url_pending(callee, _url_args(f, call)))))
    if call.dict_splats and omitted and not call.splats and not _duration_keywords(call.kwargs) and \
            not any(_BOUND_OR_TIMEOUT.search(k) for k in f.effective_kwargs(call)) and \
            not any(_forwarded(f, s.named_children[0]) or _param_derived(f, s.named_children[0])
                    for s in call.dict_splats if s.named_children):
        # (a spread of the calling function's own `**kwargs` forwards its caller's: not here)
        # `Client(endpoint=remote, headers=h, **auth)`: the spread dict (configuration) may carry the
        # timeout, else the helper's default applies: a timeout whose value this call cannot tell
        marker = Ref(f"{callee}.{wrappers.TIMEOUT_OMITTED}:{len(call.args)}")
        out.append(f.finding("timeout", call.node, ID, {
            "timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": "(spread)",
            "via": callee}, "low", pending=(Pending(KEEP_IF, marker, None),)))
    if call.splats or call.dict_splats or not omitted:
        return out  # `*args` / `**kwargs` may carry the timeout
    omitted = wrappers.omitted_timeout_proposal(
        path=f.path, language="python", node=call.node, detector=ID, callee=callee,
        positional=len(call.args), keywords=keywords, args=_url_args(f, call))
    if omitted is not None:
        out.append(omitted)
    return out


def _inherited_helper(f, call, helper: str | None) -> str | None:
    """`self.make_request(...)` reaching a project base class's method, or this class's own `**kwargs`
    forwarder to one (`def make_request(self, method, url, *args, **kwargs): return await super().make_request(
    method, url, *args, **kwargs)`): the helper a left-out retry default is asked of (round 17, waterbutler's
    providers leaving BaseProvider.make_request's `kwargs.pop('retry', 2)` out)."""
    if helper is None or helper.startswith(_ANY) or not call.callee.startswith("self.") or \
            call.callee.count(".") != 1:
        return None
    cls = f.enclosing_class(call.node)
    if cls is None or _project_base(f, cls) is None:
        return None
    return helper


def _none_default_param(f, node) -> bool:
    """The argument is the calling function's own parameter whose default is None."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    fn = f.enclosing_function(node)
    params = f.function_params(fn) if fn is not None else {}
    return T.text(node) in params and params[T.text(node)] is not None and is_none(unwrap(params[T.text(node)])) \
        and T.text(node) not in _or_fallbacks(f, fn, params)  # (round 20) not once the body gave it a value


_TIMEOUT_NAME = re.compile(r"timeout|deadline|wait|seconds|secs|_ms$", re.I)


def _constant_default(f, node):
    """The default of the calling function's parameter an argument is, when it is a constant's name
    (`retries=settings.WEBHOOK_RETRIES`, `attempts=MAX_ATTEMPTS`): its Expr, valued in the pipeline."""
    node = unwrap(node)
    fn = f.enclosing_function(node) if node is not None else None
    default = unwrap(f.function_params(fn).get(T.text(node))) if fn is not None else None
    if default is None or default.type not in ("identifier", "attribute") or \
            not T.text(default).rsplit(".", 1)[-1].isupper():
        return None
    value = f.expr(default)
    return None if isinstance(value, Unknown) else value


def _default_expr(f, default):
    """A parameter's default as an Expr. (round 21, pr-agent) `def clone(self, .., timeout=CLONE_TIMEOUT_SEC)` under
    `CLONE_TIMEOUT_SEC = 20` in the class body: a method's default is evaluated in its class's scope."""
    value = f.expr(default)
    inner = unwrap(default)
    if isinstance(value, Ref) and inner is not None and inner.type == "identifier":
        cls = f.enclosing_class(default)
        if cls is not None:
            scoped = f.expr(default, symbol_context=cls)
            number = f.settle(scoped)[0]
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return scoped
    return value


def _forwarded_default(f, node):
    """The numeric default (an Expr) of the calling function's parameter an argument is, if any."""
    node = unwrap(node)
    fn = f.enclosing_function(node) if node is not None else None
    params = f.function_params(fn) if fn is not None else {}
    default = params.get(T.text(node))
    if default is not None and is_none(unwrap(default)):
        # (round 20, loopchain) a None default the body replaces (`timeout = timeout or conf.REST_TIMEOUT`,
        # `if timeout is None: timeout = DEFAULT`): that fallback is the default handed on (rule a)
        fallback = _or_fallbacks(f, fn, params).get(T.text(node))
        if isinstance(fallback, (int, float)) and not isinstance(fallback, bool):
            return Num(fallback)
        return fallback if isinstance(fallback, Ref) else None
    if default is None:
        return None
    value = _default_expr(f, default)
    number = f.settle(value)[0]
    if isinstance(number, tuple) and len(number) == 2 and all(
            isinstance(n, (int, float)) and not isinstance(n, bool) for n in number):
        return Tuple((Num(number[0]), Num(number[1])))  # `timeout=DEFAULT_TIMEOUT` = (10, 10): per phase
    return value if isinstance(number, (int, float)) and not isinstance(number, bool) else None


def _helper_callee(f, call) -> str | None:
    memo = f._memo.setdefault("wrapper_helper_callee", {})
    key = call.node.id
    if key not in memo:
        memo[key] = _helper_callee_of(f, call)
    return memo[key]


def _helper_callee_of(f, call) -> str | None:
    """The name a project helper publishes under, for forwards and left-out defaults: a helper of
    another file (`_project_callee`), a module function of this file (`fetch`), a method of the
    enclosing module-level class called on `self` (`HomeApi.make_request`), or, for a receiver whose
    class cannot be told (`coresys.homeassistant.api.make_request(...)`), a distinctive method name
    (`*.make_request`: two words; a bare `get`/`_post` is every class's)."""
    callee = call.callee
    if callee.startswith("super()."):
        # `super().make_request(method, url, *args, **kwargs)` in an override: the base class's (round 17)
        cls = f.enclosing_class(call.node)
        base = _project_base(f, cls) if cls is not None else None
        if base is not None and callee[8:] == "__init__":
            return base  # (round 22) `super().__init__(LEDGER_URL, timeout=2.0)`: the base class's constructor
        return f"{base}.{callee[8:]}" if base is not None and "." not in callee[8:] else None
    if "(" in callee:
        return None
    found = _project_callee(f, call) if f.imports else None
    if found is not None:
        return found
    if "." not in callee:
        if callee in _module_function_nodes(f):
            return callee
        in_body = _class_body_function(f, call, callee)
        if in_body is not None:
            return in_body
        cls = f.classes.get(callee)
        # `self.http = HTTPClient(endpoint, key, timeout)`: the constructor of a class of this file
        return callee if cls is not None and _module_level(cls) and "__init__" in _method_names(cls) else None
    owner, _, method = callee.rpartition(".")
    if owner in ("self", "cls"):
        cls = f.enclosing_class(call.node)
        if cls is not None and _module_level(cls) and method in _class_method_names(f, cls):
            return f"{T.text(cls.child_by_field_name('name'))}.{method}"
        base = _project_base(f, cls) if cls is not None and _module_level(cls) else None
        if base is not None:
            # `self.make_request(...)` in `class BoxProvider(provider.BaseProvider)` that does not define it: the
            # project base class's method (another file), published as `BaseProvider.make_request` (round 17)
            return f"{base}.{method}"
        return f"{_ANY}.{method}" if distinctive(method) else None
    if "." not in owner and owner not in f.imports and method in _local_method_names(f):
        # `batch = HTTPWriteBatch(...)` ... `batch.join(timeout=t)`: a method of a class of this file
        found = f.binding(owner, call.node)
        made = f.call_of(unwrap(found[0])) if found else None
        cls = f.classes.get(made.callee) if made is not None else None
        if cls is not None and _module_level(cls) and method in _class_method_names(f, cls):
            return f"{made.callee}.{method}"
        returned = _returned_project_class(f, call, made, here=True) if made is not None else None
        cls = f.classes.get(returned) if returned is not None else None
        if cls is not None and _module_level(cls) and method in _class_method_names(f, cls):
            return f"{returned}.{method}"  # `interface = self._interface(name)` returning `-> TradingInterface`
    head = owner.split(".", 1)[0]
    if head in f.imports and f.imports[head].split(".", 1)[0] in _LIBRARIES:
        return None
    if f.qualify(callee).split(".", 1)[0] in _LIBRARIES:
        return None
    return f"{_ANY}.{method}" if distinctive(method) else None


# a parameter or keyword that may be a timeout or a retry bound (what a forward may carry)
_BOUND_OR_TIMEOUT = re.compile(r"timeout|deadline|wait|ttl|duration|millis|seconds|secs|_ms$|(?-i:Ms)$|retr|attempt|tries|"
                               r"times|time_limit", re.I)


# the owner of a method whose class a call cannot tell: published and proposed by the method's name
_ANY = "$any"


def distinctive(method: str) -> bool:
    """A method name that names one helper of a project (`make_request`, `journald_logs`,
    `wait_up`), not a verb every class has (`get`, `_post`, `send`, `__call__`)."""
    name = method.strip("_")
    if "_" not in name:
        # a camelCase name is two words as well (`fetchUrl`, `makeRequest`; round 14, SpiderFoot's
        # modules calling `self.sf.fetchUrl(...)`): folded to snake case for the common-name test
        name = _CAMEL_HUMP.sub(r"\1_\2", name)
        if "_" not in name or name.lower() in _CAMEL_COMMON:
            return False
    return "_" in name and not method.startswith("__") and name.lower() not in _COMMON_METHODS


# a lower-case letter followed by an upper-case one: where a camelCase name's words meet
_CAMEL_HUMP = re.compile(r"([a-z0-9])([A-Z])")
# camelCase names every class may have (unittest's hooks, accessors of one word)
_CAMEL_COMMON = frozenset({"set_up", "tear_down", "set_up_class", "tear_down_class", "to_string", "get_id",
                           "get_name", "get_value", "set_value", "is_valid", "get_data", "set_data"})


_COMMON_METHODS = frozenset({"to_dict", "from_dict", "as_dict", "to_json", "from_json"})


def _local_method_names(f) -> set:
    """Every method name of this file's module-level classes (a cheap test before a binding lookup)."""
    if "wrapper_local_methods" not in f._memo:
        f._memo["wrapper_local_methods"] = set().union(*(
            _class_method_names(f, cls) for cls in f.classes.values() if _module_level(cls))) if f.classes else set()
    return f._memo["wrapper_local_methods"]


def _class_method_names(f, cls) -> set:
    memo = f._memo.setdefault("wrapper_class_methods", {})
    if cls.id not in memo:
        memo[cls.id] = _method_names(cls)
    return memo[cls.id]


def _method_names(cls) -> set:
    body = cls.child_by_field_name("body")
    out = set()
    for stmt in body.named_children if body is not None else ():
        fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if fn is not None and fn.type == "function_definition":
            out.add(T.text(fn.child_by_field_name("name")))
    return out


# a keyword naming a retry bound: any value under it is proposed (`retrier(fn, retries=retries)`)
_RETRY_KEYWORD = re.compile(r"^(max_)?(retries|retry_count|attempts|max_attempts|tries|max_tries|num_retries|retry_attempts)$")
# the helpers whose left-out bound is worth proposing: a client's constructor, or a name saying retry
_RETRYISH = re.compile(r"retr|attempt|tries", re.I)
# a keyword that may carry a duration (`timeout=`, `wait_seconds=`, `delay_ms=`, `timeoutMs=`); `params=`,
# `items=`, `terms=` end in "ms" too but carry none (the core's own pattern reads them case-blind)
_DURATION_KEYWORD = re.compile(r"timeout|deadline|wait|ttl|duration|millis|seconds|secs|_ms$|(?-i:Ms)$", re.I)


def _duration_keywords(kwargs) -> list[str]:
    """The keywords of a call that may be a duration: a call passing only `url=`, `params=` leaves a
    helper's defaulted timeout out (`omitted_timeout_proposal`)."""
    return [k for k in kwargs if _DURATION_KEYWORD.search(k)]


def _local_retry_bound(f, call, proposals) -> list:
    """A call of a module function of this file whose parameter bounds its retry loop
    (`fetch_manifest(url, max_retries=2)` with `for attempt in range(max_retries)` in it): the retry
    bound this call hands it, proposed as for a helper of another file (kept when published)."""
    if "." in call.callee or "(" in call.callee:
        return []
    fn = _module_function_nodes(f).get(call.callee)
    if fn is None or fn.start_byte <= call.node.start_byte < fn.end_byte:
        return []
    _retry.analyse(f)  # records the counts that are parameters (f.count_params)
    bounded = {param for node, param, _ in f.count_params if fn.start_byte <= node.start_byte < fn.end_byte}
    if not bounded:
        return []
    params = list(f.function_params(fn))
    out = []
    for key, node in proposals:
        name = params[int(key)] if key.isdigit() and int(key) < len(params) else key
        if name not in bounded or _forwarded(f, node) or not _number_like(f, node) or unwrap(node).type == "float":
            continue
        marker = Ref(f"{call.callee}.{wrappers.ATTEMPTS_PARAM}:{key}")
        value = f.expr(unwrap(node))
        out.append(f.finding("retry", call.node, ID, {
            "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
            "via": call.callee}, "medium",
            pending=(Pending("max_attempts", BinOp("-", BinOp("+", value, marker), Num(1)), 1.0),
                     Pending(KEEP_IF, marker, None))))
    return out


def _same_file_method(f, call):
    """The method `self.name(...)` calls in the enclosing class of this file (not the calling one)."""
    cls = f.enclosing_class(call.node)
    name = call.callee.split(".", 1)[1]
    if cls is None:
        return None
    found = [fn for fn in f.functions if T.text(fn.child_by_field_name("name")) == name
             and f.enclosing_class(fn) is not None and f.enclosing_class(fn).id == cls.id]
    fn = found[0] if len(found) == 1 else None
    if fn is None or fn.start_byte <= call.node.start_byte < fn.end_byte:
        return None
    return fn


def _bounds_in(f, fn) -> dict:
    """parameter -> offset of the retry loops a function bounds by its own parameter."""
    _retry.analyse(f)  # records the counts that are parameters (f.count_params)
    return {param: offset for node, param, offset in f.count_params if fn.start_byte <= node.start_byte < fn.end_byte}


def _omitted_local_bound(f, call) -> list:
    """A call of a module function of this file or a method of the enclosing class that leaves out
    the defaulted parameter bounding its retry loop (`_fetch_page(client, url)` with `def
    _fetch_page(client, url, max_retries=5): for attempt in range(max_retries)`): that default."""
    if call.splats or call.dict_splats or "(" in call.callee:
        return []
    if call.callee.startswith("self.") and call.callee.count(".") == 1:
        fn, skip = _same_file_method(f, call), 1
    elif "." not in call.callee:
        fn, skip = _module_function_nodes(f).get(call.callee), 0
        if fn is None and _class_body_function(f, call, call.callee) is not None:
            # `@with_retry()` on a method, `with_retry` a decorator factory of the same class body
            fn = next((n for n in f.functions if T.text(n.child_by_field_name("name")) == call.callee
                       and f.enclosing_class(n) is not None
                       and f.enclosing_class(n).id == f.enclosing_class(call.node).id), None)
        if fn is not None and fn.start_byte <= call.node.start_byte < fn.end_byte:
            fn = None
    else:
        fn, skip = None, 0
    if fn is None and "." not in call.callee and call.callee in f.classes and _module_level(f.classes[call.callee]):
        # `stats = Stats()` with `def __init__(self, max_attempts=5): self.max_attempts = max_attempts` and a method
        # looping `for attempt in range(1, self.max_attempts + 1)`: the constructor's default (round 19, datadog)
        fn, skip = _kept_field_bounds(f, f.classes[call.callee])
        if fn is not None:
            return _omitted_bounds(f, call, fn, 1, skip)
    if fn is None:
        return []
    return _omitted_bounds(f, call, fn, skip, _bounds_in(f, fn))


def _kept_field_bounds(f, cls):
    """(the class's `__init__`, {parameter: offset}) for the constructor parameters kept in a field
    (`self.max_attempts = max_attempts`) that bounds a retry loop of one of the class's methods."""
    init = next((n for n in f.functions if T.text(n.child_by_field_name("name")) == "__init__"
                 and f.enclosing_class(n) is not None and f.enclosing_class(n).id == cls.id), None)
    if init is None:
        return None, {}
    _retry.analyse(f)
    fields = {param: offset for node, param, offset in f.count_params
              if param.startswith("self.") and cls.start_byte <= node.start_byte < cls.end_byte}
    if not fields:
        return None, {}
    params = f.function_params(init)
    out = {}
    for target, value, _ in f.scope_assignments(init):
        value = unwrap(value)
        if target in fields and value is not None and value.type == "identifier" and T.text(value) in params:
            out[T.text(value)] = fields[target]
    return (init, out) if out else (None, {})


def _omitted_bounds(f, call, fn, skip: int, bounded: dict) -> list:
    if not bounded:
        return []
    params = f.function_params(fn)
    names = list(params)[skip:]
    out = []
    for name, offset in bounded.items():
        if name not in names or name in call.kwargs or names.index(name) < len(call.args):
            continue
        default = params.get(name)
        if default is None or is_none(unwrap(default)):
            continue
        value, pending, conf = f.count(default, offset=offset)
        if value is None and not pending:
            continue
        out.append(f.finding("retry", call.node, ID, {
            "max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
            "expression": "(default)", "via": call.callee}, conf, pending=pending))
    return out


def _imported_project(f, name: str) -> bool:
    """A name imported from a module that is not a known library's."""
    head = name.split(".", 1)[0]
    return head in f.imports and f.imports[head].split(".", 1)[0] not in _LIBRARIES


def _may_propose(key: str, node) -> bool:
    """By shape alone: a number, a constant-looking name, arithmetic, or a timeout-named keyword."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("integer", "float", "binary_operator") or "timeout" in key.lower() or _named_timeout(node):
        return True
    if _RETRY_KEYWORD.search(key) and node.type in ("identifier", "attribute", "conditional_expression", "call"):
        return True  # `retries=retries` (a local computed here), `max_attempts=cfg.get(...)`
    if _named_bound(key, node):
        return True  # `Wrapper(key, secret, api_retries)`: a positional named as a retry bound
    return node.type in ("identifier", "attribute") and T.text(node).rsplit(".", 1)[-1].isupper()


def _imports_project_class(f) -> bool:
    """Whether this file imports anything an instance of a project class could come from."""
    if "wrapper_project_imports" not in f._memo:
        f._memo["wrapper_project_imports"] = any(
            module.split(".", 1)[0] not in _LIBRARIES for module in f.imports.values())
    return f._memo["wrapper_project_imports"]


def _project_base(f, cls) -> str | None:
    """The one base class of a class, when it is a project class imported from another module
    (`class BoxProvider(provider.BaseProvider)`, `from .base import BaseClient`): its name."""
    supers = cls.child_by_field_name("superclasses")
    bases = [c for c in supers.named_children if c.type in ("identifier", "attribute")] if supers is not None else []
    bases = [b for b in bases if T.text(b) not in ("object", "ABC", "Generic", "Protocol")]
    if len(bases) != 1:
        return None
    written = T.text(bases[0])
    last = written.rsplit(".", 1)[-1]
    if not last[:1].isupper() or not _imported_project(f, written):
        return None
    return last


def _project_callee(f, call) -> str | None:
    memo = f._memo.setdefault("wrapper_project_callee", {})
    key = call.node.id
    if key not in memo:
        memo[key] = _project_callee_of(f, call) or _receiver_named_like_class(f, call)
    return memo[key]


# receivers too generic to name one class of a project (they hold library objects as often as not)
_GENERIC_RECEIVERS = frozenset({
    "client", "session", "http", "conn", "connection", "request", "response", "service", "cache", "redis",
    "socket", "pool", "engine", "channel", "stub", "driver", "data", "item", "result", "config", "settings",
    "context", "task", "queue", "loop", "manager", "handler", "resource", "model", "object", "instance",
    "value", "entry", "record", "message", "event", "file", "path", "self", "parent", "other", "target",
    "kwargs", "headers", "params", "args", "options", "opts", "dict", "list", "json", "body", "payload", "info",
    "meta", "metadata", "logger", "result", "results", "response", "resp", "attrs", "attributes", "state"})


def _receiver_named_like_class(f, call) -> str | None:
    """`compute.post(...)`, `node1.put(...)`, `self._compute.get(...)`, `node1.compute.post(...)`: a receiver whose
    class this file cannot tell (a loop variable, an unannotated parameter or field, another object's attribute),
    named like a project class (`compute` -> Compute, `node1` -> Node): the call proposes under that class's folded
    name (`$typename:compute.post`, what `_typename_aliases` publishes), so it is kept only when a module-level class
    of that name published the method (round 17, gns3-server's controller calling its Compute / Node helpers on
    objects taken from loops and lookups). Not for a receiver bound here to a library's object or to a constructor
    of another class, an imported module, or a name every kind of object takes (`client`, `session`, `data`)."""
    callee = call.callee
    if "(" in callee or "[" in callee or wrappers.proposing_for() is None:
        return None  # (an extractor called directly proposes at every call: only a scan knows the helpers)
    owner, _, method = callee.rpartition(".")
    if not owner or owner in ("self", "cls") or not method:
        return None
    parts = owner.split(".")
    if parts[0] in f.imports or (parts[0] in ("self", "cls") and len(parts) != 2):
        return None
    name = re.sub(r"\d+$", "", parts[-1].strip("_"))
    if len(name) < 4 or not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name.replace("_", "") in _GENERIC_RECEIVERS:
        return None
    key = typename_key(name)
    if len(parts) == 1:
        found = f.binding(owner, call.node)
        values = [found[0]] if found else []
    elif parts[0] == "self":
        cls = f.enclosing_class(call.node)
        values = f.self_attr_values(cls, parts[1]) if cls is not None else []
    else:
        values = []
    for value in values:
        made = f.call_of(unwrap(value)) if unwrap(value) is not None else None
        if made is None:
            continue
        if "(" in made.callee or f.qualify(made.callee).split(".", 1)[0] in _LIBRARIES:
            return None  # `compute = aiohttp.ClientSession()`: a library's object
        last = made.callee.rsplit(".", 1)[-1]
        if last[:1].isupper() and typename_key(last) != key:
            return None  # `node = Vertex(...)`: another class's instance
        returned = _returned_project_class(f, call, made, here=True) or _returned_project_class(f, call, made)
        if returned is not None and typename_key(returned.rsplit(".", 1)[-1]) != key:
            return None  # `interface = self._interface(name)` annotated `-> TradingInterface`: that class's
    return f"{TYPENAME}{key}.{method}"


def _project_callee_of(f, call) -> str | None:
    """The name a call's callee publishes under, when it is a project function or method defined in
    another file: `post_json`, `http.post_json`, `ApiClient.get`, `api.client.get` (a module-level
    instance), or a method of an instance of an imported class made here (`c = ApiClient(...)`
    ... `c.get(...)`; `self.api = ApiClient(...)` ... `self.api.get(...)`): `ApiClient.get`."""
    callee = call.callee
    if "(" in callee:
        return None
    if not callee.startswith("self.") and _imported_project(f, callee):
        return callee
    owner, _, method = callee.rpartition(".")
    if not owner or "." in owner.removeprefix("self."):
        return None
    named = _handed_in_by_name(f, call, owner)
    if named is not None:
        return f"{named}.{method}"
    if b"find_service" in f.low:
        if owner.startswith("self."):
            cls = f.enclosing_class(call.node)
            held = f.self_attr_values(cls, owner[5:]) if cls is not None else []
            maker = f.call_of(unwrap(held[0])) if len(held) == 1 else None
        else:
            found = f.binding(owner, call.node)
            maker = f.call_of(unwrap(found[0])) if found else None
        service = _pyramid_service_class(maker) if maker is not None else None
        if service is not None:
            return f"{TYPENAME}{service}.{method}"
    if not _imports_project_class(f):
        return None
    bound = None
    if owner.startswith("self."):
        cls = f.enclosing_class(call.node)
        values = f.self_attr_values(cls, owner[5:]) if cls is not None else []
        bound = f.call_of(values[0]) if len(values) == 1 else None
        if len(values) == 1 and unwrap(values[0]) is not None and unwrap(values[0]).type == "identifier":
            typed = _annotated_project_class(f, unwrap(values[0]), T.text(unwrap(values[0])))
            if typed is not None:
                return f"{typed}.{method}"
    else:
        found = f.binding(owner, call.node)
        bound = f.call_of(found[0]) if found else None
        if bound is None and found:
            bound = _fallback_field_client(f, call, owner, unwrap(found[0]))
        if found is None:
            typed = _annotated_project_class(f, call.node, owner)
            if typed is not None:
                return f"{typed}.{method}"
        returned = _returned_project_class(f, call, bound) if bound is not None else None
        if returned is not None:
            return f"{returned}.{method}"
        fn = f.enclosing_function(call.node) if bound is None and not distinctive(method) else None
        typed = f._local_annotation(fn, owner) if fn is not None else None
        if typed is not None and _imported_project(f, typed):
            # (round 20, loopchain) `rs_client: RestClient = self._channel_service.rs_client` then `rs_client.call(...)`:
            # the class the local is annotated with where it is bound (a distinctive method name keeps its
            # `$any.` publication instead, which a class re-exported by a package still meets)
            return f"{typed}.{method}"
    if bound is None or "(" in bound.callee or bound.callee.startswith("self."):
        return None
    cls_name = bound.callee.rsplit(".", 1)[-1]
    if not cls_name[:1].isupper() or not _imported_project(f, bound.callee):
        return None
    return f"{bound.callee}.{method}"


def _same_file_class(f, call, helper: str | None) -> str | None:
    """(round 22, the round-21 request: flexget) `s = kwargs.pop('session', Session())` with `class Session(requests
    .Session)` defined in this file keeping a defaulted retry bound: the construction leaves it out (rule b), as
    one in another file does (not when the file's own loop bound is already proposed for it)."""
    if not helper or "." in helper or helper not in f.classes:
        return None
    init = next((fn for fn in f.functions if T.text(fn.child_by_field_name("name")) == "__init__"
                 and f.enclosing_class(fn) is not None and f.enclosing_class(fn).id == f.classes[helper].id), None)
    params = f.function_params(init) if init is not None else {}
    if not any(_RETRY_KEYWORD.search(p) and d is not None and not is_none(d) for p, d in params.items()):
        return None  # its constructor takes no defaulted retry bound to leave out
    return None if _omitted_local_bound(f, call) else helper


def _pyramid_service_class(bound) -> str | None:
    """(round 22, the round-21 request: hypothesis-lms) Pyramid's service registry (pyramid_services):
    `http = request.find_service(name="http")` then `http.get(url)`, `request.find_service(HTTPService)` /
    `find_service(iface=HTTPService)`: the registered service's class, folded as for an object handed in under
    its class's name (`$typename:httpservice`): the class given, else the name given with `service` after it
    unless it already ends like a class (`blackboard_api_client` -> `$typename:blackboardapiclient`)."""
    if bound.name != "find_service" or not bound.receiver:
        return None
    iface = bound.kwargs.get("iface") or (bound.args[0] if bound.args else None)
    node = unwrap(iface.node) if iface is not None else None
    if node is not None and node.type in ("identifier", "attribute"):
        name = T.text(node).rsplit(".", 1)[-1]
        return typename_key(name) if name[:1].isupper() else None
    named = string_value(unwrap(bound.kwargs["name"].node)) if "name" in bound.kwargs else None
    if not named or not re.fullmatch(r"[A-Za-z][\w]*", named):
        return None
    key = typename_key(named)
    return key if re.search(r"(service|client|api)$", key) else key + "service"


def _fallback_field_client(f, call, owner: str, value):
    """(round 20, loopchain) a parameter defaulting to the instance's own client (`if request_client is None:
    request_client = self._rest_client`, `client = client or self._client`) with `self._rest_client = RestClient()`
    in the class: the construction of that field."""
    if value is not None and value.type == "boolean_operator" and \
            T.text(value.child_by_field_name("operator") or value) == "or" and \
            T.text(unwrap(value.child_by_field_name("left")) or value) == owner:
        value = unwrap(value.child_by_field_name("right"))
    text = T.text(value) if value is not None else ""
    if value is None or value.type != "attribute" or not text.startswith("self.") or text.count(".") != 1:
        return None
    cls = f.enclosing_class(call.node)
    values = f.self_attr_values(cls, text[5:]) if cls is not None else []
    return f.call_of(values[0]) if len(values) == 1 else None


# An object handed in without a type (`def __init__(self, http_service): self._http_service = http_service`):
# the project class named like the parameter (HTTPService), published under this prefix and the class
# name folded (`$typename:httpservice.request...`; round 13, hypothesis-lms's injected services)
TYPENAME = "$typename:"


def typename_key(name: str) -> str:
    return name.replace("_", "").lower()


def _handed_in_by_name(f, call, owner: str) -> str | None:
    """`self._client.send(...)` with `self._client = basic_client` (a constructor parameter without an
    annotation), or `http_service.post(...)` on a parameter of the calling function: the class of that
    name (`$typename:basicclient`), when the parameter has no annotation and names a class (two words or
    ending like one: `basic_client`, `http_service`; never `http`, `client`, `api`)."""
    if owner.startswith("self."):
        cls = f.enclosing_class(call.node)
        values = f.self_attr_values(cls, owner[5:]) if cls is not None else []
        node = unwrap(values[0]) if len(values) == 1 else None
        if node is None or node.type != "identifier":
            return None
        at, name = node, T.text(node)
    else:
        at, name = call.node, owner
    fn = f.enclosing_function(at)
    if fn is None or name not in f.function_params(fn) or f.param_annotation(fn, name):
        return None
    if f.function_params(fn).get(name) is not None:
        return None  # a parameter with a default: a value of its own, not an injected object
    if "_" not in name.strip("_") or not re.search(r"(client|service|api|session|gateway|connector|adapter)$",
                                                   name.lower()):
        return None
    return TYPENAME + typename_key(name)


def _typename_aliases(f, out: dict) -> dict:
    """The keys a module-level class's methods publish, again under `$typename:<class folded>` for the
    callers that hold an instance handed in under the class's name (`_handed_in_by_name`)."""
    aliases: dict = {}
    for cls_name, cls in f.classes.items():
        if not _module_level(cls) or len(cls_name) < 4:
            continue
        # a generically named class (BasicClient, BaseService) is often defined once per API a project
        # talks to: what a call leaving a default out gets is not published under its folded name (the
        # handed-in object may be another package's class of that name); its parameters still are
        generic = GENERIC_CLASS.match(cls_name) is not None
        prefix = f"{cls_name}."
        for key, value in out.items():
            rest = key[len(prefix):] if key.startswith(prefix) else ""
            if generic and (wrappers.TIMEOUT_OMITTED in rest or wrappers.TIMEOUT_DEFAULT in rest
                            or ":omitted:" in rest):
                continue
            if rest and not rest.startswith("$") and ".$" in rest:
                aliases.setdefault(f"{TYPENAME}{typename_key(cls_name)}.{rest}", value)
    return aliases


GENERIC_CLASS = re.compile(r"^(Basic|Base|Abstract|Default|Simple|Generic|Core|Common)[A-Z]?[a-z]*$")


def _annotated_project_class(f, at, name: str) -> str | None:
    """The project class a parameter is annotated with (`def __init__(self, http: HTTPService): self._http =
    http`, `def fetch(http: HTTPService, url)`): an object handed in, its class told by the annotation
    (dependency injection; round 13). Only an imported project class (`Optional[...]` and unions are not read)."""
    fn = f.enclosing_function(at)
    if fn is None or name not in f.function_params(fn):
        return None
    annotation = _plain_annotation(f.param_annotation(fn, name))
    if not annotation or not re.fullmatch(r"[A-Za-z_][\w.]*", annotation) or \
            not annotation.rsplit(".", 1)[-1][:1].isupper() or not _imported_project(f, annotation):
        return None
    return annotation


def _returned_project_class(f, call, made, here: bool = False) -> str | None:
    """`trading_interface = self._get_trading_interface(account)` with `def _get_trading_interface(self, name)
    -> AccountTradingInterface:` in the enclosing class (or a module function of this file so annotated): the
    imported project class its return annotation names (round 19, hummingbot-api)."""
    callee = made.callee
    if "(" in callee:
        return None
    fn = None
    if callee.startswith("self.") and "." not in callee[5:]:
        cls = f.enclosing_class(call.node)
        body = cls.child_by_field_name("body") if cls is not None else None
        for stmt in body.named_children if body is not None else ():
            d = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
            if d is not None and d.type == "function_definition" and T.text(d.child_by_field_name("name")) == callee[5:]:
                fn = d
    elif "." not in callee:
        fn = _module_function_nodes(f).get(callee)
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    annotation = _plain_annotation(re.sub(r"\s+", "", T.text(ret))) if ret is not None else None
    if not annotation or not re.fullmatch(r"[A-Za-z_][\w.]*", annotation) or \
            not annotation.rsplit(".", 1)[-1][:1].isupper() or \
            not (annotation in f.classes if here else _imported_project(f, annotation)):
        return None
    return annotation


_OPTIONAL = re.compile(r"^(?:typing\.)?Optional\[(.+)\]$")


def _plain_annotation(annotation: str | None) -> str | None:
    """The class an annotation names: a forward reference in quotes (`connector_service:
    "UnifiedConnectorService"`, imported under `if TYPE_CHECKING:`), `Optional[X]`, `X | None` (round 19,
    hummingbot-api's injected services)."""
    if not annotation:
        return annotation
    annotation = annotation.strip()
    if len(annotation) > 1 and annotation[0] == annotation[-1] and annotation[0] in "'\"":
        annotation = annotation[1:-1].strip()
    m = _OPTIONAL.match(annotation)
    if m:
        annotation = m.group(1)
    parts = [p for p in annotation.split("|") if p.strip() != "None"]
    if len(parts) == 1:
        annotation = parts[0].strip()
    if len(annotation) > 1 and annotation[0] == annotation[-1] and annotation[0] in "'\"":
        annotation = annotation[1:-1].strip()
    return annotation


def _timeout_keyword(f, key: str, node) -> bool:
    """`timeout=resolve_timeout(cfg)`: a keyword naming a timeout, whatever computes its value (the
    value may stay unknown: the call still has a bound), never None; also a positional argument
    that is a name of a timeout (`create_pool(uri, self.timeout)`, `connect(host, cfg.read_timeout)`)."""
    node = unwrap(node)
    if node is not None and key.isdigit() and _named_timeout(node):
        return True
    return node is not None and "timeout" in key.lower() and node.type not in ("none", "string", "true", "false") \
        and T.text(node) != "None"


def _named_bound(key: str, node) -> bool:
    """A positional argument that is a variable or field named as a retry bound (`api_retries`,
    `cfg.max_attempts`, `self.serverpool_rounds`), or a keyword so named (`rounds=n`, `api_retries=n`)."""
    if node is None or node.type not in ("identifier", "attribute", "integer"):
        return False
    if not key.isdigit():
        return _BOUND_NAME.search(key) is not None
    return node.type != "integer" and _BOUND_NAME.search(T.text(node).rsplit(".", 1)[-1]) is not None


_BOUND_NAME = re.compile(r"(retries|retry|attempts|tries|rounds)$", re.I)


def _named_timeout(node) -> bool:
    """A variable or field named as a timeout (`self.timeout`, `cfg.read_timeout`, `connect_timeout`)."""
    if node.type == "call" and T.text(node.child_by_field_name("function")) in ("float", "int"):
        args = node.child_by_field_name("arguments").named_children
        node = args[0] if len(args) == 1 else node  # `float(self.timeout)`
    return node.type in ("identifier", "attribute") and "timeout" in T.text(node).rsplit(".", 1)[-1].lower()


# Top-level packages of libraries (a project's own package is never one of these): their calls are
# read by the library detectors.
_LIBRARIES = frozenset({
    "requests", "httpx", "aiohttp", "urllib", "urllib3", "http", "socket", "ssl", "asyncio", "time", "os", "sys",
    "json", "re", "logging", "subprocess", "threading", "concurrent", "multiprocessing", "queue", "boto3",
    "botocore", "grpc", "redis", "celery", "django", "flask", "fastapi", "sqlalchemy", "psycopg2", "psycopg",
    "pymongo", "kafka", "pika", "tenacity", "backoff", "datetime", "math", "random", "uuid", "functools",
    "itertools", "collections", "typing", "dataclasses", "pydantic", "numpy", "pandas", "smtplib", "ftplib",
    "paramiko", "ldap3", "elasticsearch", "google", "azure", "stripe", "openai", "anthropic", "kombu",
    "tornado", "zmq", "websockets", "aiodocker", "docker", "kubernetes", "dbus_fast", "dbus_next", "paho",
    "pywebpush", "ollama", "contextlib", "traitlets", "sentry_sdk", "prometheus_client", "starlette", "jwt",
    "litellm", "pyrad", "pymemcache", "confluent_kafka", "pymysql", "mysql", "e2b", "e2b_code_interpreter",
})


def publish(f, findings) -> dict:
    """The parameters of this file's module-level functions and of its module-level classes'
    methods that become a timeout or bound a retry here (``<function>.$timeout_param:<index>`` /
    ``:<name>`` -> ms per unit of the argument; ``$attempts_param`` likewise): see
    ``extractors.wrappers``. A method publishes as ``Class.method`` and, for each module-level
    instance ``client = Class(...)``, as ``client.method`` (never under its bare name: `get` is every
    class's); a constructor parameter the class keeps (``self.timeout = timeout``) and hands a client
    elsewhere in the class (``timeout=self.timeout``) publishes as ``Class`` (``Class(url, 5)``)."""
    findings = [_with_param_scale(f, fd) for fd in findings]
    functions = []
    ctor_functions, ctor_findings = [], []
    any_names: set[str] = set()
    instances = _module_instances(f)
    for fn in f.functions:
        container = fn.parent.parent if fn.parent is not None and fn.parent.type == "decorated_definition" \
            else fn.parent
        if container is None:
            continue
        name = T.text(fn.child_by_field_name("name"))
        if container.type == "module":
            names: tuple[str, ...] = (name,)
            params = f.function_params(fn)
        else:
            cls = container.parent if container.type == "block" else None
            if cls is None or cls.type != "class_definition" or not _module_level(cls):
                continue
            cls_name = T.text(cls.child_by_field_name("name"))
            params = f.function_params(fn)
            if not any(T.text(d) == "staticmethod" for d in f.decorators(fn)) and not _class_body_factory(fn, params):
                params = dict(list(params.items())[1:])  # self / cls: the receiver
            if name == "__init__":
                ctor = _constructor(f, cls, fn, params, findings)
                if ctor is not None:
                    ctor_functions.append(ctor[0])
                    ctor_findings.extend(ctor[1])
                if params:
                    # a bound the constructor itself applies (`super().__init__(retries=retries)`): `Class(...)`
                    functions.append(wrappers.Function(names=(cls_name,), first_line=fn.start_point[0] + 1,
                                                       last_line=fn.end_point[0] + 1, params=tuple(params),
                                                       defaults=_defaults(f, params), defaulted=_defaulted(params)))
                continue
            if name.startswith("__") and name.endswith("__"):  # (a private `__execute` is a helper: round 19, mquery)
                continue
            names = (f"{cls_name}.{name}",) + tuple(f"{inst}.{name}" for inst in instances.get(cls_name, ()))
            if distinctive(name):
                names += (f"{_ANY}.{name}",)
                any_names.add(name)
        if not params:
            continue
        defaults, defaulted = _defaults(f, params), _defaulted(params)
        for param, value in _or_fallbacks(f, fn, params).items():
            # `timeout: int | None = None` read as `timeout or VESPA_REQUEST_TIMEOUT`: a call leaving it
            # out gets the fallback
            defaults.setdefault(param, value)
        if container.type != "module":
            for param, number in _field_fallbacks(f, fn, params).items():
                # `req_timeout = timeout if timeout is not None else self.timeout` with the constructor
                # keeping `timeout=None -> DEFAULT_TIMEOUT`: a call leaving it out (or handing None) gets that
                defaults.setdefault(param, number)
                defaulted = defaulted | {param}
        functions.append(wrappers.Function(names=names, first_line=fn.start_point[0] + 1,
                                           last_line=fn.end_point[0] + 1, params=tuple(params),
                                           defaults=defaults, defaulted=defaulted))
    out = wrappers.publish(functions, findings, own_detectors=(ID,))
    for key, value in _kwargs_forwarders(f, functions, findings).items():
        out.setdefault(key, value)
    for key, value in _splat_method_aliases(f).items():
        out.setdefault(key, value)
    for key, value in _kwargs_helper_forwards(f, functions).items():
        if _TIMED_BOUND.search(repr(out.get(key, ""))):
            # (round 17) a left-out "bound" published from a forwarded `ttl=ttl` / `timeout=timeout` (the
            # generic forward publishes both kinds) yields to the `**kwargs` helper's real retry default
            out[key] = value
        out.setdefault(key, value)
    for key, value in _kwargs_popped_retries(f, functions, findings).items():
        out.setdefault(key, value)
    for key, value in _decorator_injected_bounds(f, functions, findings).items():
        out.setdefault(key, value)
    for key, value in _forwarded_defaults(functions, findings).items():
        out.setdefault(key, value)
    if ctor_functions:
        for key, value in wrappers.publish(ctor_functions, ctor_findings, own_detectors=(ID,)).items():
            out.setdefault(key, value)
    # (round 22) helpers minting a fresh ID per attempt: their callers' retries carry it to their destination
    for key, value in wrappers.new_id_publications([*functions, *ctor_functions], findings).items():
        out.setdefault(key, value)
    f._memo["wrapper_forwarders"] = _forwarder_findings(f, functions, findings)
    if f.has_any(b".get(", b'["', b"['"):
        keyed, keyed_published = _dict_key_params(f, functions, findings)
        f._memo["wrapper_forwarders"] |= keyed
        for key, value in keyed_published.items():
            out.setdefault(key, value)
    for key, value in _field_defaults(f).items():
        out.setdefault(key, value)
    for key, value in _typename_aliases(f, out).items():
        out.setdefault(key, value)
    if any_names:
        published = {k.split(".", 2)[1] for k in out if k.startswith(f"{_ANY}.") and k.count(".") >= 2}
        for name in any_names - published:
            # a method of that name that hands over no timeout (takahe's `Identity.signed_request` wrapping
            # `HttpSignature.signed_request`): a call by the bare name may be this one's (round 19)
            out.setdefault(f"{_ANY}.{name}.{_PLAIN}", Num(0))
    return out


# published by a method with a distinctive name that reads no timeout: a call whose receiver's class is not
# known is not proposed by that name (another class's method of that name may be the one called)
_PLAIN = "$plain"


def _any_guard(fd):
    """A proposal made by a distinctive method name alone (`$any.signed_request`) holds only while no other
    class of the project defines a method of that name that hands over no timeout."""
    via = str(fd.attributes.get("via") or "")
    if not via.startswith(f"{_ANY}.") or via.count(".") != 1:
        return fd
    guard = Pending(KEEP_IF, Call("coalesce", (Ref(f"{via}.{_PLAIN}"), Num(1))), None)
    return replace(fd, pending=(*fd.pending, guard))


def _field_fallbacks(f, fn, params) -> dict:
    """A method's parameter (without a numeric default) whose local falls back on a field of its class
    (`t = timeout if timeout is not None else self.timeout`) that the constructor keeps with a number
    (`self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT`, or a numeric default): that
    number, the default a call leaving the parameter out (or handing it None) gets."""
    out: dict = {}
    cls = f.enclosing_class(fn)
    if cls is None or not f.has_any(b"is not none", b" or "):
        return out
    for target, value, _ in f.scope_assignments(fn):
        found = _with_fallback(unwrap(value)) if value is not None else None
        if found is None or found[0].type != "identifier" or T.text(found[0]) not in params:
            continue
        field = T.text(found[1])
        if not field.startswith("self.") or field.count(".") != 1:
            continue
        settled = f.settle(f.expr(found[1]))[0]
        if isinstance(settled, (int, float)) and not isinstance(settled, bool) and settled > 0:
            out.setdefault(T.text(found[0]), settled)
    return out


def _field_defaults(f) -> dict:
    """`Class.field` for a module-level class whose constructor keeps a parameter with a numeric
    default (`self.timeout = timeout` with `timeout=120`): what a subclass in another file reads as
    `self.timeout` when no construction call of this file passes it."""
    out: dict = {}
    if not f.has_any(b"__init__"):
        return out
    for fn in f.functions:
        if T.text(fn.child_by_field_name("name")) != "__init__":
            continue
        container = fn.parent.parent if fn.parent is not None and fn.parent.type == "decorated_definition" \
            else fn.parent
        cls = container.parent if container is not None and container.type == "block" else None
        if cls is None or cls.type != "class_definition" or not _module_level(cls):
            continue
        params = f.function_params(fn)
        defaults = _defaults(f, params)
        for target, value, _ in f.scope_assignments(fn):
            value = unwrap(value)
            if target.startswith("self.") and target.count(".") == 1 and value is not None \
                    and value.type == "identifier" and isinstance(defaults.get(T.text(value)), (int, float)):
                out.setdefault(f"{T.text(cls.child_by_field_name('name'))}.{target[5:]}",
                               Num(defaults[T.text(value)]))
    return out


def _forwarded_defaults(functions, findings) -> dict:
    """A helper handing its own defaulted parameter to another helper (`def _api_client(self, path,
    timeout=300): return self.api.make_request("get", path, timeout=timeout)`): a call that leaves it
    out gets the default, in the inner helper's unit (`omitted_timeout_proposal` at its callers)."""
    out: dict = {}
    by_line = wrappers.ByLine(fd for fd in findings if fd.attributes.get("forward"))
    for fn in functions:
        for fd in by_line.within(fn.first_line, fn.last_line):
            value = next((p.expr for p in fd.pending if p.attribute == wrappers.FORWARD), None)
            param = fn.param(value.name) if isinstance(value, Ref) else None
            asked = fd.attributes.get("none_default")
            if param is not None and asked and param in fn.defaulted and fn.defaults.get(param) is None:
                # `timeout=None` handed on: a call leaving it out gets the inner callee's default
                retryish = _RETRYISH.search(param) is not None and _TIMEOUT_NAME.search(param) is None
                for count in range(fn.params.index(param) + 1):
                    for name in fn.names:
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", Ref(asked[0]))
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", Ref(asked[1]))
                        if retryish:
                            # (round 17) `max_attempts=None` handed on to a helper whose bound falls back on a
                            # default: a call leaving it out gets that helper's attempts (astrbot's tenacity chain)
                            for marker, ask in ((wrappers.ATTEMPTS_OMITTED, asked[0]), (wrappers.ATTEMPTS_DEFAULT, asked[1])):
                                head, _, rest = ask.rpartition(".$")
                                at = rest.split(":")[1] if rest.count(":") >= 1 else "0"
                                out.setdefault(f"{name}.{marker}:{count}", Ref(f"{head}.{marker}:{at}"))
                continue
            default = fn.defaults.get(param) if param else None
            inner = Ref(f"{fd.attributes.get('via')}.{wrappers.TIMEOUT_PARAM}:{fd.attributes.get('key')}")
            if isinstance(default, Tuple) and len(default.items) == 2:
                # a (connect, read) pair default handed on (`timeout=DEFAULT_TIMEOUT` = (10, 10)): both phases
                # for a call leaving it out (round 13)
                pair = Tuple(tuple(BinOp("*", item, inner) for item in default.items))
                for count in range(fn.params.index(param) + 1):
                    for name in fn.names:
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", inner)
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", pair)
                continue
            if isinstance(default, bool) or not isinstance(default, (int, float, Ref)) or not default:
                continue
            made = BinOp("*", default if isinstance(default, Ref) else Num(default), inner)
            # the same default as a retry bound: `def call_environment_webhooks(env_id, data, event,
            # retries=settings.WEBHOOK_BACKOFF_RETRIES): _call_webhooks(hooks, data, event, kind, retries)`
            # (the inner helper's published attempts per argument: default + that - 1)
            inner_attempts = Ref(f"{fd.attributes.get('via')}.{wrappers.ATTEMPTS_PARAM}:{fd.attributes.get('key')}")
            attempts = BinOp("-", BinOp("+", default if isinstance(default, Ref) else Num(default), inner_attempts),
                             Num(1))
            for count in range(fn.params.index(param) + 1):
                for name in fn.names:
                    # kept only when the inner helper takes that argument as a timeout
                    out.setdefault(f"{name}.{wrappers.TIMEOUT_OMITTED}:{count}", inner)
                    out.setdefault(f"{name}.{wrappers.TIMEOUT_DEFAULT}:{count}", made)
                    # kept only when it takes it as a retry bound
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_OMITTED}:{count}", inner_attempts)
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_DEFAULT}:{count}", attempts)
    return out


# `config.get("socket_timeout", DEFAULT)` / `config["socket_timeout"]`: a key of a mapping parameter
_KEY_OF = re.compile(r"""^([A-Za-z_]\w*)\s*(?:\.get\(\s*["']([\w.-]+)["']|\[\s*["']([\w.-]+)["']\s*\])""")


def _dict_key_proposals(f, call, callee: str) -> list:
    """`_init_client({"host": h, "socket_timeout": 0.1})`: a dict literal handed to a helper that
    reads a timeout from that key of its parameter (`socket_timeout=config.get("socket_timeout",
    D)`; the helper publishes `<name>.$timeout_param:<index>.<key>`): proposed at the call."""
    out = []
    args = [(str(i), a.node) for i, a in enumerate(call.args)] + [(k, a.node) for k, a in call.kwargs.items()]
    for key, node in args:
        table = unwrap(node)
        if table is None or table.type != "dictionary":
            continue
        for pair in table.named_children:
            if pair.type != "pair":
                continue
            name = string_value(pair.child_by_field_name("key"))
            value = unwrap(pair.child_by_field_name("value"))
            if not name or value is None or not _DURATION_KEYWORD.search(name) or is_none(value) or \
                    value.type in ("string", "true", "false") or _forwarded(f, value):
                continue
            out.append(wrappers.timeout_proposal(
                path=f.path, language="python", node=call.node, detector=ID, callee=callee, key=f"{key}.{name}",
                value=f.expr(value), expression=T.text(pair)))
    return out


def _dict_key_params(f, functions, findings) -> tuple[set, dict]:
    """A helper's timeout read from a key of its own mapping parameter (`def init(config): return
    Redis(socket_timeout=config.get("socket_timeout", D))`): a forwarder (its callers' dicts hold the
    values) publishing `<name>.$timeout_param:<index>.<key>` (and `:<param>.<key>`) at the unit the
    detector read it in."""
    forwarders, published = set(), {}
    by_line = wrappers.ByLine(fd for fd in findings if fd.kind == "timeout" and fd.detector != ID)
    for fn in functions:
        if not any("." not in name or name.startswith(_ANY + ".") for name in fn.names):
            continue
        for fd in by_line.within(fn.first_line, fn.last_line):
            hit = _KEY_OF.match(str(fd.attributes.get("expression") or "").strip())
            if hit is None or fn.param(hit.group(1)) is None:
                continue
            inner = _innermost_function(f, fd.line)
            if inner is None or inner.start_point[0] + 1 != fn.first_line:
                continue
            param, key = fn.param(hit.group(1)), hit.group(2) or hit.group(3)
            pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
            scale = pending.scale if pending is not None else None
            if scale is None:
                ms, default = fd.attributes.get("timeout_ms"), _key_default(f, fd)
                scale = ms / default if isinstance(ms, (int, float)) and default else None
            if not scale:
                continue
            index = fn.params.index(param)
            if _dict_key_callers(f, fn, index, param, key):
                # the calls of this file build that dict: they hold the values (a config object read
                # with its default and no such caller is a setting of its own, kept)
                forwarders.add((fd.line, fd.column, str(fd.attributes.get("expression") or "").strip()))
            for name in fn.names:
                for head in (str(index), param):
                    published.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:{head}.{key}", Num(scale))
    return forwarders, published


def _dict_key_callers(f, fn, index: int, param: str, key: str) -> bool:
    """A call of this file hands the function a dict literal holding `key` at that parameter."""
    names = {name.rsplit(".", 1)[-1] for name in fn.names}
    for call in f.calls:
        if call.callee.rsplit(".", 1)[-1] not in names:
            continue
        arg = call.kwargs.get(param) or (call.args[index] if index < len(call.args) else None)
        table = unwrap(arg.node) if arg is not None else None
        if table is not None and table.type == "dictionary" and any(
                pair.type == "pair" and string_value(pair.child_by_field_name("key")) == key
                for pair in table.named_children):
            return True
    return False


def _key_default(f, fd) -> float | None:
    """The default of `config.get("k", 5)` / `config.get("k", SOCKET_TIMEOUT)` (a constant of the
    file) in the finding's expression, in the unit the helper reads it."""
    hit = re.search(r"""\.get\(\s*["'][\w.-]+["']\s*,\s*([\w.]+)\s*\)""", str(fd.attributes.get("expression") or ""))
    if hit is None:
        return None
    try:
        return float(hit.group(1))
    except ValueError:
        value, _ = f.settle(Ref(hit.group(1)))
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _forwarder_findings(f, functions, findings) -> set:
    """The (line, column, expression) of the timeouts that only hand a library or a helper the
    enclosing helper's own parameter (`def fetch(url, timeout=5): return requests.get(url,
    timeout=timeout)`): not contracts themselves (the calls that pass a value, or leave the
    default, are), when the helper's callers can be found: a module function, or a method with a
    distinctive name."""
    out = set()
    by_line = wrappers.ByLine(fd for fd in findings if fd.detector != ID)
    for fn in functions:
        reachable = any("." not in name or name.startswith(_ANY + ".") for name in fn.names)
        if not reachable:
            continue
        for fd in by_line.within(fn.first_line, fn.last_line):
            if fd.kind == "retry" and fd.attributes.get("mechanism") in ("client_config", "object"):
                # a library's retry option handed the parameter (`AsyncHTTPTransport(retries=retries)`)
                bound = _RETRY_BOUND.match(str(fd.attributes.get("attempts_expression") or ""))
                expression = bound.group(1) if bound else ""
            elif fd.kind == "timeout":
                expression = str(fd.attributes.get("expression") or "").strip()
            else:
                continue
            if not expression.isidentifier() or fn.param(expression) is None:
                continue
            if fn.param(expression) in fn.defaulted:
                continue  # a default set in code: the helper's own line is a contract (rule a)
            inner = _innermost_function(f, fd.line)
            if inner is None or inner.start_point[0] + 1 != fn.first_line:
                continue  # a closure's own parameter, or a local of that name
            if any(target == expression and value.start_point[0] + 1 < fd.line
                   for target, value, _ in f.scope_assignments(inner)):
                continue  # rebound before the call
            out.add((fd.line, fd.column, expression))
    return out


_RETRY_BOUND = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:[+-]\s*\d+)?\s*$")


def _innermost_function(f, line: int):
    found = None
    for candidate in f.functions:
        if candidate.start_point[0] + 1 <= line <= candidate.end_point[0] + 1:
            if found is None or candidate.start_byte >= found.start_byte:
                found = candidate
    return found


# `None if no_timeout else (timeout or VESPA_REQUEST_TIMEOUT)`: the branch a call leaving the flag out takes
_FLAGGED_OR = re.compile(r"^None\s+if\s+[A-Za-z_]\w*\s+else\s+\((.+)\)$", re.S)


def _with_param_scale(f, fd):
    """A timeout that is a parameter without a default (`def fetch(url, seconds)`), or a local that
    is a parameter unless it is None (`t = timeout if timeout is not None else DEFAULT`, `t = timeout
    or DEFAULT`), carries no pending value; its detector noted the unit it reads it in: publish the
    parameter with that."""
    if fd.kind != "timeout":
        return fd
    expression = str(fd.attributes.get("expression") or "").strip()
    flagged = _FLAGGED_OR.match(expression)
    wrapped = _PARAM_OR.match(expression) or _PARAM_CONVERTED.match(expression) or (
        _PARAM_OR.match(flagged.group(1)) if flagged is not None else None)
    if wrapped is not None:
        # `timeout or self.timeout` (`timeout=None`), `float(timeout)`: the parameter, read in the
        # unit the detector noted; the finding keeps its own value (the fallback) where it is reported
        scale = f.param_scales.get((fd.line, expression))
        inner = _innermost_function(f, fd.line)
        param = wrapped.group(1)
        if scale is None or inner is None or param not in f.function_params(inner):
            return fd
        rest = tuple(p for p in fd.pending if p.attribute != "timeout_ms")
        return replace(fd, attributes={**fd.attributes, "expression": param},
                       pending=(*rest, Pending("timeout_ms", Ref(param), scale)))
    if not expression.isidentifier():
        return fd
    pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
    scale = pending.scale if pending is not None else f.param_scales.get((fd.line, expression))
    if scale is None:
        return fd
    param = _param_unless_none(f, fd, expression)
    if param is None:
        if pending is not None:
            return fd
        param = expression
    rest = tuple(p for p in fd.pending if p.attribute != "timeout_ms")
    return replace(fd, attributes={**fd.attributes, "expression": param},
                   pending=(*rest, Pending("timeout_ms", Ref(param), scale)))


_PARAM_OR = re.compile(r"^([A-Za-z_]\w*)\s+or\s+\S")
_PARAM_CONVERTED = re.compile(r"^(?:float|int)\(\s*([A-Za-z_]\w*)\s*\)$")


def _param_unless_none(f, fd, name: str) -> str | None:
    """The parameter a local stands for: `name = p if p is not None else D`, `name = D if p is None
    else p`, `name = p or D`, with `p` a parameter of the function holding the finding's line."""
    fn = None
    for candidate in f.functions:  # the innermost function holding the line
        if candidate.start_point[0] + 1 <= fd.line <= candidate.end_point[0] + 1:
            fn = candidate
    if fn is None:
        return None
    params = f.function_params(fn)
    values = [value for target, value, _ in f.scope_assignments(fn) if target == name]
    if len(values) != 1:
        return None
    value = unwrap(values[0])
    if value is None:
        return None
    if value.type == "boolean_operator" and T.text(value.child_by_field_name("operator")) == "or":
        left = unwrap(value.child_by_field_name("left"))
        return T.text(left) if left is not None and left.type == "identifier" and T.text(left) in params else None
    if value.type == "conditional_expression" and len(value.named_children) == 3:
        then, cond, other = value.named_children
        text = T.text(cond).replace(" ", "")
        for side in (then, other):
            side = unwrap(side)
            if side is not None and side.type == "identifier" and T.text(side) in params and \
                    text in (f"{T.text(side)}isnotNone", f"{T.text(side)}isNone", T.text(side)):
                picked = then if text != f"{T.text(side)}isNone" else other
                if unwrap(picked) is not None and T.text(unwrap(picked)) == T.text(side):
                    return T.text(side)
    return None


# HTTP clients whose `timeout=` is seconds, as outbound_call findings name them
_SECONDS_CLIENTS = ("requests", "httpx")


def _kwargs_forwarders(f, functions, findings) -> dict:
    """`def get(url, **kwargs): return requests.get(url, **kwargs)`: the helper takes its callers'
    `timeout=` keyword as requests does (`get.$timeout_param:timeout`, seconds). Also through
    `request_method = getattr(requests, method)` and through another forwarder of this file
    (`def request_json(url, **kw): return request_response(url, **kw)`)."""
    out: dict = {}
    if not f.has_any(b"**"):
        return out
    outbound = {fd.line for fd in findings
                if fd.kind == "outbound_call" and fd.attributes.get("library") in _SECONDS_CLIENTS + (None,)}
    candidates = []
    for fn in functions:
        splat = next((p for p in fn.params if f"**{p}" in _splat_params(f, fn)), None)
        if splat is not None:
            candidates.append((fn, splat))
    if not candidates:
        return out
    forwarders: set[str] = set()
    for fn, splat in candidates:
        scale = _reads_timeout_key(f, fn, splat, findings)
        if scale is not None:
            forwarders.add(fn.names[0])
            for name in fn.names:
                out.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:timeout", Num(scale))
    for _ in range(3):  # a chain of forwarders in one file, a few deep
        grew = False
        for fn, splat in candidates:
            if fn.names[0] in forwarders:
                continue
            popped = _popped_timeout_locals(f, fn, splat)
            for call in f.calls:
                line = call.node.start_point[0] + 1
                if not (fn.first_line <= line <= fn.last_line):
                    continue
                if popped and "timeout" in call.kwargs and T.text(unwrap(call.kwargs["timeout"].node)) in popped:
                    pass  # `t = kwargs.pop("timeout", D)` handed on as `timeout=t` (round 15, opencve)
                elif "timeout" in call.kwargs or not any(T.text(d) == f"**{splat}" for d in call.dict_splats):
                    continue
                if line in outbound or _seconds_client_call(f, call) or call.callee in forwarders:
                    forwarders.add(fn.names[0])
                    for name in fn.names:
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:timeout", Num(1000.0))
                    grew = True
                    break
                inner = _helper_callee(f, call) if popped and "timeout" in call.kwargs else None
                if inner is not None:
                    # `timeout = kwargs.get("timeout", 30.0)` handed to another project helper as `timeout=timeout`
                    # (round 19, hummingbot-api's get_bot_history): the callers' `timeout=` in that helper's unit
                    forwarders.add(fn.names[0])
                    for name in fn.names:
                        out.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:timeout",
                                       Ref(f"{inner}.{wrappers.TIMEOUT_PARAM}:timeout"))
                    grew = True
                    break
        if not grew:
            break
    return out


def _popped_timeout_locals(f, fn, splat: str) -> set[str]:
    """Locals of a `**kwargs` helper read from its `timeout` key (`timeout = kwargs.pop("timeout", D)`)."""
    node = _function_at(f, fn.first_line)
    if node is None or not f.has_any(b"timeout"):
        return set()
    return {target for target, value, _ in f.scope_assignments(node)
            if target.isidentifier() and _timeout_key_of(f, unwrap(value), splat)}


def _reads_timeout_key(f, fn, splat: str, findings) -> float | None:
    """A helper taking `**kwargs` whose timeout finding is `kwargs["timeout"]` read into a local
    (`t = kwargs.get("timeout", 5)`, or `t = _get_timeout(start, kwargs)` with a function of this
    file reading `kwargs['timeout']`): the scale its callers' `timeout=` is read in."""
    node = _function_at(f, fn.first_line)
    if node is None:
        return None
    for fd in findings:
        if fd.kind != "timeout" or not (fn.first_line <= fd.line <= fn.last_line):
            continue
        expression = str(fd.attributes.get("expression") or "").strip()
        scale = f.param_scales.get((fd.line, expression))
        if not expression.isidentifier() or not scale:
            continue
        for target, value, _ in f.scope_assignments(node):
            if target == expression and _timeout_key_of(f, unwrap(value), splat):
                return float(scale)
    return None


def _timeout_key_of(f, value, splat: str) -> bool:
    if value is None:
        return False
    text = T.text(value).replace(" ", "").replace('"', "'")
    if text.startswith((f"{splat}['timeout']", f"{splat}.get('timeout'", f"{splat}.pop('timeout'")):
        return True
    call = f.call_of(value)
    if call is None or "." in call.callee or call.callee not in _module_function_nodes(f):
        return False
    helper = _module_function_nodes(f)[call.callee]
    params = list(f.function_params(helper))
    for index, arg in enumerate(call.args):
        if T.text(arg.node) == splat and index < len(params):
            body = T.text(helper).replace(" ", "").replace('"', "'")
            return f"{params[index]}['timeout']" in body or f"{params[index]}.get('timeout'" in body
    return False


def _function_at(f, line: int):
    """The function definition starting on a line (the one a wrappers.Function was made from)."""
    if "wrapper_function_lines" not in f._memo:
        by_line: dict = {}
        for n in f.functions:
            by_line.setdefault(n.start_point[0] + 1, n)
        f._memo["wrapper_function_lines"] = by_line
    return f._memo["wrapper_function_lines"].get(line)


def _class_body_factory(fn, params) -> bool:
    """A function of a class body whose first parameter has a default (`def with_retry(max_attempts=3,
    delay=0.1)` applied as `@with_retry()` to the class's methods): a decorator factory called by its
    bare name while the class is made, no method with a receiver (round 14, letta's redis client)."""
    first = next(iter(params.values()), None) if params else None
    return first is not None


def _class_body_function(f, call, callee: str) -> str | None:
    """`Class.name` for a bare-name call made in a class body (a decorator of one of its methods,
    `@with_retry()`) of a function that class body defines with a defaulted first parameter."""
    cls = f.enclosing_class(call.node)
    if cls is None or not _module_level(cls) or f.enclosing_function(call.node) is not None and \
            f.enclosing_function(call.node).start_byte > cls.start_byte and \
            not _is_decorator_of(call.node, f.enclosing_function(call.node)):
        return None
    body = cls.child_by_field_name("body")
    for stmt in body.named_children if body is not None else ():
        fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if fn is not None and fn.type == "function_definition" and T.text(fn.child_by_field_name("name")) == callee:
            params = f.function_params(fn)
            return f"{T.text(cls.child_by_field_name('name'))}.{callee}" if _class_body_factory(fn, params) else None
    return None


def _is_decorator_of(node, fn) -> bool:
    """Whether ``node`` sits in one of ``fn``'s decorators (outside its own body)."""
    body = fn.child_by_field_name("body")
    return body is not None and not (body.start_byte <= node.start_byte < body.end_byte) and \
        fn.parent is not None and fn.parent.type == "decorated_definition" and \
        fn.parent.start_byte <= node.start_byte < fn.start_byte


def _bare_decorator_bounds(f, allowed) -> list:
    """A project's retry decorator applied bare (`@retry_with_exponential_backoff` over `def create(...)`,
    with `def retry_with_exponential_backoff(func, initial_delay=1, max_retries=20)` looping up to
    `max_retries`): the decorated function is the one positional argument and the bound is left to its
    default, so each use is a retry with that default (rule b at the decorator line; round 14, letta).
    A decorator of this file is read where its loop is; one of another file through its publication."""
    out = []
    for fn in f.functions:
        for expr in f.decorators(fn):
            if expr.type != "identifier":
                continue
            name = T.text(expr)
            target = _module_function_nodes(f).get(name)
            if target is not None:
                params = f.function_params(target)
                names = list(params)
                for param, offset in _bounds_in(f, target).items():
                    if param not in names or names.index(param) < 1:
                        continue
                    default = params.get(param)
                    if default is None or is_none(unwrap(default)):
                        continue
                    value, pending, conf = f.count(default, offset=offset)
                    if value is None and not pending:
                        continue
                    out.append(f.finding("retry", expr, ID, {
                        "max_attempts": value, "backoff": None, "retry_on": None, "mechanism": "decorator",
                        "library": None, "expression": "(default)", "via": name}, conf, pending=pending))
            elif _imported_project(f, name) and _RETRYISH.search(name) and (
                    allowed is None or f.imports[name].rsplit(".", 1)[-1] in allowed):
                found = wrappers.omitted_retry_proposal(
                    path=f.path, language="python", node=expr, detector=ID,
                    callee=f.imports[name].rsplit(".", 1)[-1], positional=1)
                if found is not None:
                    out.append(found)
    return out


def _module_function_nodes(f) -> dict:
    if "wrapper_module_functions" not in f._memo:
        f._memo["wrapper_module_functions"] = {
            T.text(n.child_by_field_name("name")): n for n in f.functions
            if n.parent is not None and (n.parent.type == "module" or (  # also under its decorators
                n.parent.type == "decorated_definition" and n.parent.parent is not None
                and n.parent.parent.type == "module"))}
    return f._memo["wrapper_module_functions"]


def _seconds_client_call(f, call) -> bool:
    """`requests.get(...)`, `httpx.post(...)`, or `request_method(...)` with `request_method =
    getattr(requests, method.lower())`."""
    if call.qualified.split(".", 1)[0] in _SECONDS_CLIENTS and "." in call.qualified:
        return True
    if "." in call.callee or "(" in call.callee:
        return False
    found = f.binding(call.callee, call.node)
    bound = f.call_of(found[0]) if found else None
    return bound is not None and bound.qualified == "getattr" and bool(bound.args) and \
        f.qualify(T.text(bound.args[0].node)) in _SECONDS_CLIENTS


def _splat_method_aliases(f) -> dict:
    """`def get(self, *args, **kwargs): return self.request("GET", *args, **kwargs)` in a module-level
    class: a call of `get` leaving a timeout out leaves out `request`'s, with the literal arguments
    the method adds ahead of the caller's: `Cls.get.$timeout_omitted:<k>` is `Cls.request`'s at k + 1
    (also its default and phase). Round 13 (hypothesis-lms: HTTPService.get/post/... over request)."""
    out: dict = {}
    if not f.has_any(b"*args", b"**kw"):
        return out
    for cls_name, cls in f.classes.items():
        if not _module_level(cls):
            continue
        body = cls.child_by_field_name("body")
        for stmt in body.named_children if body is not None else ():
            fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
            if fn is None or fn.type != "function_definition":
                continue
            plist = fn.child_by_field_name("parameters")
            params = [p for p in plist.named_children] if plist is not None else []
            if len(params) != 3 or params[1].type != "list_splat_pattern" or \
                    params[2].type != "dictionary_splat_pattern":
                continue
            stmts = [n for n in body_of(fn) if not (n.type == "expression_statement" and n.named_children
                                                    and n.named_children[0].type == "string")]
            if len(stmts) != 1 or stmts[0].type != "return_statement" or not stmts[0].named_children:
                continue
            inner = unwrap(stmts[0].named_children[0])
            call = f.call_of(inner)
            if call is None or not call.callee.startswith("self.") or call.callee.count(".") != 1:
                continue
            ahead = [a.node for a in call.args]
            splat_text, kw_text = T.text(params[1]), T.text(params[2])
            if call.kwargs or [T.text(d) for d in call.splats] != [splat_text] or \
                    [T.text(d) for d in call.dict_splats] != [kw_text]:
                continue
            if any(a.type not in ("string", "integer", "float", "none", "true", "false") for a in ahead):
                continue
            name, target = T.text(fn.child_by_field_name("name")), call.callee[5:]
            if target == name:
                continue
            for count in range(6):
                k = count + len(ahead)
                for marker in (wrappers.TIMEOUT_OMITTED, wrappers.TIMEOUT_DEFAULT):
                    out[f"{cls_name}.{name}.{marker}:{count}"] = Ref(f"{cls_name}.{target}.{marker}:{k}")
                out[f"{cls_name}.{name}.{wrappers.TIMEOUT_PHASE}:omitted:{count}"] = Ref(
                    f"{cls_name}.{target}.{wrappers.TIMEOUT_PHASE}:omitted:{k}")
    return out


def _kwargs_helper_forwards(f, functions) -> dict:
    """`def request(self, method, url, headers=None, **kwargs): ...; return self._http_service.request(method,
    url, headers=headers, **kwargs)`: a call of `request` that leaves the timeout out leaves out the inner
    helper's (its `**kwargs` carry none): `Cls.request.$timeout_omitted:<k>` is the inner call's, at the
    positional count that call passes (round 13, hypothesis-lms's OAuth/LTI wrappers of HTTPService)."""
    out: dict = {}
    if not f.has_any(b"**"):
        return out
    for fn in functions:
        node = _function_at(f, fn.first_line)
        splats = _splat_params(f, fn) if node is not None else set()
        if len(splats) != 1:
            continue
        splat = next(iter(splats))
        handing = []
        own_star = _star_params(f, fn)
        for n in T.walk(node.child_by_field_name("body")):
            if n.type != "call":
                continue
            call = f.call_of(n)
            # (round 17) a splat of the function's own `*args` rides along (`super().make_request(method, url, *args,
            # **kwargs)`): the positionals it adds keep their count
            if call is not None and all(T.text(s_) in own_star for s_ in call.splats) and \
                    [T.text(d) for d in call.dict_splats] == [splat]:
                handing.append(call)
        # (round 17) several calls handing the same `**kwargs` to one helper with as many positionals (`if data:
        # return self._compute.post(p, data=data, **kwargs) else: return self._compute.post(p, **kwargs)`) are one;
        # of calls to several helpers (`url = self.build_signed_url(..., **kwargs)` then `return await
        # self.make_request(url, **kwargs)`), the one whose result the function returns is the request
        if len({(_helper_callee(f, c), len(c.args)) for c in handing}) > 1:
            handing = [c for c in handing if _returned(c.node, node)]
        if not handing or any(_duration_keywords(c.kwargs) for c in handing):
            continue
        inners = {(_helper_callee(f, c), len(c.args)) for c in handing}
        if len(inners) != 1:
            continue
        call = handing[0]
        inner = _helper_callee(f, call)
        if inner is None or inner.startswith(_ANY) or inner.split(".")[-1] == fn.names[0].split(".")[-1] and \
                inner.startswith(fn.names[0].rsplit(".", 1)[0] + "."):
            continue
        count = len(call.args)
        for k in range(len(fn.params) + 1):
            at = count + max(0, k - len(call.args)) if call.splats else count
            for name in fn.names:
                for marker in (wrappers.TIMEOUT_OMITTED, wrappers.TIMEOUT_DEFAULT):
                    out.setdefault(f"{name}.{marker}:{k}", Ref(f"{inner}.{marker}:{at}"))
                out.setdefault(f"{name}.{wrappers.TIMEOUT_PHASE}:omitted:{k}",
                               Ref(f"{inner}.{wrappers.TIMEOUT_PHASE}:omitted:{at}"))
                if not any(_RETRYISH.search(p_) for p_ in fn.params):
                    # a left-out retry default rides the same way (round 17): the inner helper's, at its count
                    for marker in (wrappers.ATTEMPTS_OMITTED, wrappers.ATTEMPTS_DEFAULT):
                        out.setdefault(f"{name}.{marker}:{k}", Ref(f"{inner}.{marker}:{at}"))
        for name in fn.names:
            # a keyword the caller names rides in `**kwargs` to the inner helper (`compute.get(path, timeout=240)`
            # reaching `_run_http_query(..., timeout=120)`): the inner helper's scale for it (round 17)
            for kw in _KWARGS_TIMEOUT_KEYWORDS:
                if kw not in fn.params:
                    out.setdefault(f"{name}.{wrappers.TIMEOUT_PARAM}:{kw}", Ref(f"{inner}.{wrappers.TIMEOUT_PARAM}:{kw}"))
            for kw in _KWARGS_ATTEMPTS_KEYWORDS:
                if kw not in fn.params:
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_PARAM}:{kw}",
                                   Ref(f"{inner}.{wrappers.ATTEMPTS_PARAM}:{kw}"))
    return out


# the keywords a `**kwargs` forwarder hands on to its inner helper's parameter of the same name
_KWARGS_TIMEOUT_KEYWORDS = ("timeout", "request_timeout", "read_timeout", "connect_timeout", "timeout_ms",
                            "timeout_seconds", "timeout_secs", "deadline")
_KWARGS_ATTEMPTS_KEYWORDS = ("retries", "max_retries", "attempts", "max_attempts", "tries", "max_tries",
                             "retry_count", "num_retries")


def body_of(fn) -> list:
    body = fn.child_by_field_name("body")
    return list(body.named_children) if body is not None else []


# an attempts bound published through a parameter named as a duration (never a count of attempts)
_TIMED_BOUND = re.compile(r"\$attempts_param:\w*(timeout|ttl|deadline|wait|seconds|secs|_ms)'")


def _returned(call_node, fn_node) -> bool:
    """The call's value is what the function returns (`return await self.make_request(...)`)."""
    n = call_node.parent
    while n is not None and n is not fn_node:
        if n.type == "return_statement":
            return True
        if n.type not in ("await", "parenthesized_expression", "expression_statement"):
            return False
        n = n.parent
    return False


def _star_params(f, fn) -> set[str]:
    """The `*name` parameters (as written at a call: `*args`) of the function a wrappers.Function was made from."""
    node = _function_at(f, fn.first_line)
    plist = node.child_by_field_name("parameters") if node is not None else None
    out: set[str] = set()
    for p in plist.named_children if plist is not None else ():
        if p.type == "typed_parameter":  # *args: Any
            p = next((c for c in p.named_children if c.type == "list_splat_pattern"), p)
        if p.type == "list_splat_pattern":
            out.add(T.text(p))
    return out


def _kwargs_popped_retries(f, functions, findings) -> dict:
    """A helper whose retry loop is bounded by a count it pops from its own `**kwargs` (`retry = kwargs.pop('retry',
    2)` ... `while retry >= 0`): what a call leaving it out gets, `<name>.$attempts_omitted:<k>` /
    `$attempts_default:<k>` = the loop's attempts, for every positional count (round 17, waterbutler's
    BaseProvider.make_request, called by every provider in other files)."""
    out: dict = {}
    if not f.has_any(b".pop(", b".get("):
        return out
    retries = [fd for fd in findings if fd.kind == "retry" and fd.detector != ID
               and isinstance(fd.attributes.get("max_attempts"), int) and fd.attributes["max_attempts"] > 1]
    if not retries:
        return out
    for fn in functions:
        node = _function_at(f, fn.first_line)
        splats = _splat_params(f, fn) if node is not None else set()
        if len(splats) != 1:
            continue
        splat = next(iter(splats)).lstrip("*")
        popped = set()
        for target, value, _ in f.scope_assignments(node):
            call = f.call_of(unwrap(value)) if unwrap(value) is not None else None
            if call is None or call.receiver != splat or call.name not in ("pop", "get") or len(call.args) != 2:
                continue
            key = string_value(call.args[0].node)
            if key and _RETRYISH.search(key) and unwrap(call.args[1].node) is not None and \
                    unwrap(call.args[1].node).type == "integer":
                popped.add(target)
        if not popped:
            continue
        inside = [fd for fd in retries if fn.first_line <= fd.line <= fn.last_line]
        if len(inside) != 1:
            continue
        attempts = inside[0].attributes["max_attempts"]
        for k in range(len(fn.params) + 4):
            for name in fn.names:
                out.setdefault(f"{name}.{wrappers.ATTEMPTS_OMITTED}:{k}", Num(1))
                out.setdefault(f"{name}.{wrappers.ATTEMPTS_DEFAULT}:{k}", Num(attempts))
    return out


# what a decorator factory's wrapper pops from the decorated function's `**kwargs` as its retry count
INJECTS_ATTEMPTS = "$injects_attempts"
_INJECTED_KEYS = ("retry_attempts", "retries", "max_retries", "attempts", "max_attempts", "tries", "max_tries")


def _decorator_injected_bounds(f, functions, findings) -> dict:
    """A decorator factory whose wrapper pops a retry count from the decorated function's `**kwargs` (`def
    retryable_query(default_retry_attempts=0): def deco(inner): def wrapper(*args, **kwargs): retry_attempts =
    kwargs.pop("retry_attempts", default_retry_attempts); for attempt in range(retry_attempts + 1): ...`) publishes
    `retryable_query.$injects_attempts:retry_attempts` (attempts per unit, as `$attempts_param`); a function
    decorated with it (`@retryable_query()`, any file) publishes `dao_query.$attempts_param:retry_attempts` in those
    terms, so `dao_query(session=s, retry_attempts=2)` is a retry of 3 attempts (round 17, notifications-api)."""
    out: dict = {}
    if f.has_any(b"kwargs.pop(", b"kwargs.get("):
        retries = [fd for fd in findings if fd.kind == "retry" and fd.detector != ID
                   and isinstance(fd.attributes.get("max_attempts"), int)]
        for fn in f.functions:
            if fn.parent is None or fn.parent.type != "module" or not retries:
                continue
            for inner in T.walk(fn.child_by_field_name("body")):
                if inner.type != "function_definition":
                    continue
                plist = inner.child_by_field_name("parameters")
                splat = next((T.text(p).lstrip("*") for p in (plist.named_children if plist is not None else ())
                              if p.type == "dictionary_splat_pattern"), None)
                if splat is None:
                    continue
                for target, value, _ in f.scope_assignments(inner):
                    call = f.call_of(unwrap(value)) if unwrap(value) is not None else None
                    if call is None or call.receiver != splat or call.name not in ("pop", "get") or len(call.args) != 2:
                        continue
                    key = string_value(call.args[0].node)
                    if not key or not _RETRYISH.search(key):
                        continue
                    default = f.settle(f.expr(call.args[1].node))[0]
                    inside = [fd for fd in retries if inner.start_point[0] < fd.line <= inner.end_point[0] + 1]
                    if len(inside) != 1 or not isinstance(default, (int, float)) or isinstance(default, bool):
                        continue
                    per_unit = 1 + inside[0].attributes["max_attempts"] - default
                    out.setdefault(f"{T.text(fn.child_by_field_name('name'))}.{INJECTS_ATTEMPTS}:{key}",
                                   Num(per_unit))
    for fn in functions:
        node = _function_at(f, fn.first_line)
        for expr in f.decorators(node) if node is not None else ():
            call = f.call_of(expr)
            callee = call.callee if call is not None else T.text(expr)
            if not re.fullmatch(r"[A-Za-z_][\w.]*", callee or "") or callee.split(".", 1)[0] in _LIBRARIES or \
                    not (_imported_project(f, callee) or callee in _module_function_nodes(f)):
                continue
            factory = callee.rsplit(".", 1)[-1]
            for key in _INJECTED_KEYS:
                if key in fn.params:
                    continue
                for name in fn.names:
                    out.setdefault(f"{name}.{wrappers.ATTEMPTS_PARAM}:{key}", Ref(f"{factory}.{INJECTS_ATTEMPTS}:{key}"))
    return out


def _splat_params(f, fn) -> set[str]:
    """The `**name` parameters of the function a wrappers.Function was made from."""
    node = _function_at(f, fn.first_line)
    plist = node.child_by_field_name("parameters") if node is not None else None
    out: set[str] = set()
    for p in plist.named_children if plist is not None else ():
        if p.type == "typed_parameter":  # **kwargs: Any
            p = next((c for c in p.named_children if c.type == "dictionary_splat_pattern"), p)
        if p.type == "dictionary_splat_pattern":
            out.add(T.text(p))
    return out


def _module_level(cls) -> bool:
    parent = cls.parent
    if parent is not None and parent.type == "decorated_definition":
        parent = parent.parent
    return parent is not None and parent.type == "module"


def _defaults(f, params) -> dict:
    """A parameter's default: its number, or a name this file cannot settle (`timeout=
    settings.COMMON_REQUESTS_TIMEOUT`, `retries=DEFAULT_RETRIES` of another module) as an Expr the
    pipeline evaluates where the helper lives."""
    defaults = {}
    for param, default in params.items():
        if default is not None:
            value = _default_expr(f, default)
            number = f.settle(value)[0]
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                defaults[param] = number
            elif isinstance(number, tuple) and len(number) == 2 and all(
                    isinstance(n, (int, float)) and not isinstance(n, bool) for n in number):
                # `timeout=(10, 30)`: requests' (connect, read) pair, one default per phase (round 13)
                defaults[param] = Tuple((Num(number[0]), Num(number[1])))
            elif unwrap(default) is not None and unwrap(default).type in ("identifier", "attribute") \
                    and isinstance(value, Ref):
                defaults[param] = value
    return defaults


def _or_fallbacks(f, fn, params) -> dict:
    """Parameters defaulting to None that the body reads as `param or FALLBACK` (`timeout or
    VESPA_REQUEST_TIMEOUT`, `retries or 3`): the fallback, as `_defaults` gives a default (a number or
    a name the pipeline settles), when every such read has the same one."""
    wanted = {p for p, default in params.items() if default is not None and T.text(default) == "None"}
    if not wanted:
        return {}
    body = fn.child_by_field_name("body")
    found: dict = {}
    for node in T.walk(body) if body is not None else ():
        if node.type == "if_statement":
            # (round 20, loopchain) `if timeout is None: timeout = conf.GRPC_TIMEOUT` (also `if not timeout:`): the
            # same fallback written as a statement (one assignment of the parameter in the branch)
            guarded = _guarded_fallback(node, wanted)
            if guarded is None:
                continue
            left, right = guarded
        elif node.type == "conditional_expression" and len(node.named_children) == 3:
            # (round 17) `max_attempts if max_attempts is not None else REQUEST_RETRY_ATTEMPTS`: the same fallback
            pair = _none_fallback(list(node.named_children))
            if pair is None:
                continue
            left, right = unwrap(pair[0]), unwrap(pair[1])
        elif node.type != "boolean_operator" or T.text(node.child_by_field_name("operator")) != "or":
            continue
        else:
            left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
        if left is None or right is None or left.type != "identifier" or T.text(left) not in wanted:
            continue
        if T.text(right).startswith(("self.", "cls.")):
            # `timeout or self.timeout`: the instance's own setting, read by `_field_fallbacks` for the
            # shapes it knows (a method name is matched on any receiver: a field's default is not proposed)
            found[T.text(left)] = None
            continue
        value = f.expr(right)
        number = f.settle(value)[0]
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            value = number
        elif not (right.type in ("identifier", "attribute") and isinstance(value, Ref)):
            found[T.text(left)] = None
            continue
        if found.setdefault(T.text(left), value) != value:
            found[T.text(left)] = None
    return {p: v for p, v in found.items() if v is not None}


def _guarded_fallback(node, wanted) -> tuple | None:
    """(the parameter, its fallback) of `if param is None: param = FALLBACK` / `if not param: param = FALLBACK`
    (no else branch, the branch's only statement)."""
    cond = unwrap(node.child_by_field_name("condition"))
    consequence = node.child_by_field_name("consequence")
    if cond is None or consequence is None or node.child_by_field_name("alternative") is not None:
        return None
    text = re.sub(r"\s+", " ", T.text(cond))
    m = re.fullmatch(r"(\w+) is None|not (\w+)", text)
    name = m and (m.group(1) or m.group(2))
    if not name or name not in wanted:
        return None
    stmts = [c for c in consequence.named_children if c.type != "comment"]
    a = stmts[0].named_children[0] if len(stmts) == 1 and stmts[0].type == "expression_statement" and \
        stmts[0].named_children else None
    if a is None or a.type != "assignment" or T.text(a.child_by_field_name("left")) != name:
        return None
    return a.child_by_field_name("left"), a.child_by_field_name("right")


def _defaulted(params) -> frozenset:
    """The parameters that have a default of any kind (`timeout=5`, `retries=settings.RETRIES`,
    `timeout=cfg.get("t")`, `timeout=None`): a call may leave them out, so the helper's own use of
    one is a default set in code (reported with the default's value, unknown for None), never a
    forwarder."""
    return frozenset(p for p, default in params.items() if default is not None)


def _module_instances(f) -> dict[str, list[str]]:
    """Class name -> the module-level names bound to an instance of it (`client = ApiClient()`)."""
    out: dict[str, list[str]] = {}
    if not f.classes:
        return out
    for stmt in f.root.named_children:
        if stmt.type != "expression_statement":
            continue
        for child in stmt.named_children:
            if child.type != "assignment":
                continue
            left, right = child.child_by_field_name("left"), child.child_by_field_name("right")
            call = f.call_of(right)
            if left is not None and left.type == "identifier" and call is not None and call.callee in f.classes:
                out.setdefault(call.callee, []).append(T.text(left))
    return out


def _constructor(f, cls, init, params, findings):
    """A class whose constructor keeps a parameter (`self.timeout = timeout`) that a client of the
    class is handed (`timeout=self.timeout` in any method): a Function named after the class (and
    spanning it) with the findings rewritten to name the parameter."""
    if not params:
        return None
    kept: dict[str, str] = {}
    fallbacks: dict[str, object] = {}
    for target, value, _ in f.scope_assignments(init):
        value = unwrap(value)
        if target.startswith("self.") and value is not None and value.type == "identifier" \
                and T.text(value) in params:
            kept[target] = T.text(value)
        elif target.startswith("self.") and _normalised_param(value, params) is not None:
            # (round 22) `self.base_url = base_url.rstrip("/")`: the parameter, tidied (a URL a method's call goes to)
            kept[target] = _normalised_param(value, params)
        elif target.startswith("self.") and value is not None:
            found = _with_fallback(value)
            if found is not None and found[0].type == "identifier" and T.text(found[0]) in params:
                kept[target] = T.text(found[0])
                fallbacks[T.text(found[0])] = found[1]
    if not kept:
        return None
    first, last = cls.start_point[0] + 1, cls.end_point[0] + 1
    # a method's local taking the field as its fallback (`t = timeout if timeout is not None else
    # self.timeout`): what the method's client is handed when its caller gives nothing
    for fn in f.functions:
        if not (first <= fn.start_point[0] + 1 <= last) or fn.id == init.id:
            continue
        for target, value, _ in f.scope_assignments(fn):
            found = _with_fallback(unwrap(value)) if value is not None else None
            if found is not None and "." not in target and T.text(found[1]) in kept:
                kept.setdefault(target, kept[T.text(found[1])])
                if found[0].type == "identifier":  # the finding names the method's parameter the local stands for
                    kept.setdefault(T.text(found[0]), kept[T.text(found[1])])
    used = [fd for fd in findings if first <= fd.line <= last and (
        (fd.kind == "timeout" and str(fd.attributes.get("expression") or "").strip() in kept) or
        (fd.kind == "retry" and str(fd.attributes.get("attempts_expression") or "").split(" ", 1)[0] in kept))]
    used += _field_bounds_elsewhere(cls, init, kept, findings, first, last)
    if not used:
        return None
    # (round 22) the calls whose URL starts with a kept field (`f"{self.base_url}{path}"`): the constructor's
    # parameter is the destination of every call of the class (`super().__init__(LEDGER_URL, timeout=2.0)`)
    used += [fd for fd in findings if fd.kind == "outbound_call" and first <= fd.line <= last and
             str(fd.attributes.get("url_expression") or "").lstrip("fF\"'{ ").split("}", 1)[0].split("+", 1)[0].strip()
             in kept]
    # the fields name the constructor's parameters (`self.timeout` -> `timeout`): a construction
    # call `Client(url, 5)` hands the value every method's client reads
    defaults = _defaults(f, params)
    for param, fallback in fallbacks.items():
        if param not in defaults and (params.get(param) is None or is_none(unwrap(params[param]))):
            value = f.expr(fallback)
            number = f.settle(value)[0]
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                defaults[param] = number  # `timeout=None` falling back to DEFAULT_TIMEOUT: that default
    return wrappers.Function(names=(T.text(cls.child_by_field_name("name")),), first_line=first, last_line=last,
                             params=tuple(params), defaults=defaults, aliases=kept,
                             defaulted=_defaulted(params)), used


_TIDYING = frozenset({"rstrip", "strip", "lstrip", "removesuffix", "lower"})


def _normalised_param(value, params) -> str | None:
    """The parameter a constructor keeps after tidying it: `base_url.rstrip("/")`, `str(url)`."""
    if value is None or value.type != "call":
        return None
    func, args = value.child_by_field_name("function"), value.child_by_field_name("arguments")
    if func is not None and func.type == "attribute":
        obj = func.child_by_field_name("object")
        if obj is not None and obj.type == "identifier" and T.text(obj) in params and \
                T.text(func.child_by_field_name("attribute")) in _TIDYING:
            return T.text(obj)
    if func is not None and T.text(func) == "str" and args is not None and len(args.named_children) == 1 and \
            args.named_children[0].type == "identifier" and T.text(args.named_children[0]) in params:
        return T.text(args.named_children[0])
    return None


def _field_bounds_elsewhere(cls, init, kept: dict, findings, first: int, last: int) -> list:
    """A retry of this file outside the class bounded by a field the constructor keeps, read through
    an object annotated with the class (`throttler: ThrottlerManager = self.throttler; for attempt in
    range(throttler.retry_attempts)` in a decorator): its bound is `Class.field` (python analysis), so
    a construction `ThrottlerManager(rate_limit=1)` leaving the parameter out gets its default (rule b)
    and one passing it gets that (rule c). Returned as copies on the constructor's line, for
    publication only (the finding itself is reported where it is)."""
    cls_name = T.text(cls.child_by_field_name("name"))
    out = []
    for fd in findings:
        if fd.kind != "retry" or first <= fd.line <= last:
            continue
        pending = next((p for p in fd.pending if p.attribute == "max_attempts"), None)
        expr = pending.expr if pending is not None else None
        ref = expr if isinstance(expr, Ref) else (expr.left if isinstance(expr, BinOp) and isinstance(
            expr.left, Ref) and isinstance(expr.right, Num) and expr.op in ("+", "-") else None)
        if ref is None or not ref.name.startswith(f"{cls_name}.") or ref.name.count(".") != 1:
            continue
        field = "self." + ref.name.split(".", 1)[1]
        if field not in kept:
            continue
        kept.setdefault(ref.name, kept[field])
        line = init.start_point[0] + 1
        out.append(replace(fd, line=line, end_line=line))
    return out


def _with_fallback(value):
    """(given, fallback) of `x if x is not None else F`, `F if x is None else x`, `x or F`."""
    if value is None:
        return None
    if value.type == "conditional_expression":
        parts = [c for c in value.named_children if c.type != "comment"]
        return _none_fallback(parts) if len(parts) == 3 else None
    if value.type == "boolean_operator" and T.text(value.child_by_field_name("operator")) == "or":
        left, right = unwrap(value.child_by_field_name("left")), unwrap(value.child_by_field_name("right"))
        return (left, right) if left is not None and right is not None else None
    return None
