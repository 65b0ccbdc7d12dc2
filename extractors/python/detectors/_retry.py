"""The retry engine: retry decorators of every library, retry objects, hand-written retry loops.

Each recognised retry yields a ``RetryScope`` (the node whose body is re-run per attempt,
its line, the library, the finding). Retry detectors report the findings; the
new-id-per-attempt detector walks the scopes. Memoised per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import BinOp, as_number, normalise_ms
from extractors import treesitter as T
from extractors.python.analysis import (PyCall, PyFile, attempts_expression, body_statements, dotted, is_none,
                                       number_value, string_value, unwrap)
from extractors.python.detectors import _grpc, _http
from extractors.treesitter import Arg, Node

TRANSIENT = re.compile(r"(Timeout|TimedOut|Connection|Connect|Transient|Temporar|Unavailable|RpcError|RequestException|"
                       r"RequestError|HTTPError|HTTPStatusError|ClientError|ServerError|APIError|Throttl|RateLimit|"
                       r"OperationalError|Retry|Retriable|Retryable|socket\.error|OSError|IOError|URLError|"
                       r"ProtocolError|BotoCoreError|ServiceUnavailable|DeadlineExceeded|TransportError|NetworkError)")
CLIENTISH = re.compile(r"(client|api|stub|service|session|http|gateway|remote|rpc|conn)", re.I)
TELEMETRY = re.compile(r"(statsd|metric|logger|logging|\blog\b|sentry|tracer|span|prometheus|counter|histogram)", re.I)
SLEEPS = ("time.sleep", "asyncio.sleep", "gevent.sleep", "trio.sleep", "anyio.sleep", "sleep")
NOT_SINKS = re.compile(r"^(print|str|int|float|len|dict|list|tuple|set|repr|format|isinstance|hasattr|getattr|"
                       r"range|min|max|sorted|time\.|.*\.(debug|info|warning|warn|error|exception|critical|log)$|"
                       r"logging\.|logger\.|log\.|uuid\.|secrets\.|ulid\.|random\.|.*sleep$)")


@dataclass
class RetryScope:
    node: Node  # function definition, loop, except clause or ``with`` block re-run per attempt
    line: int
    library: str
    mechanism: str
    finding: Finding | None
    sink_calls: list[Node] = field(default_factory=list)  # the attempted calls (for new-id)


@dataclass
class RetryResult:
    findings: list[Finding] = field(default_factory=list)
    scopes: list[RetryScope] = field(default_factory=list)


def outbound_map(f: PyFile) -> dict[int, _http.Outbound]:
    merged = dict(_http.analyse(f).outbound)
    merged.update(_grpc.outbound(f))
    return merged


def target_within(f: PyFile, scope: Node, depth: int = 0) -> tuple[Target | None, list[Pending]]:
    """The target of the first outbound call inside ``scope`` (following calls to functions
    of this file one level deep)."""
    out = outbound_map(f)
    local_calls: list[PyCall] = []
    for node in T.walk(scope):
        if node.type != "call":
            continue
        ob = out.get(node.id)
        if ob is not None:
            return ob.target, list(ob.pending)
        c = f.call_of(node)
        if c is not None:
            local_calls.append(c)
    if depth == 0:
        defs = {T.text(fn.child_by_field_name("name")): fn for fn in f.functions}
        for c in local_calls:
            name = c.callee.split(".")[-1] if c.callee.startswith("self.") else c.callee
            fn = defs.get(name)
            if fn is not None and fn is not scope and fn != scope:
                t, p = target_within(f, fn, 1)
                if t is not None or p:
                    return t, p
    return None, []


def analyse(f: PyFile) -> RetryResult:
    if "retry" not in f._memo:
        result = RetryResult()
        # Library retries name themselves (retry, max_retries, backoff, dramatiq's actor); loops and
        # except-handler retries need a try statement.
        named = f.has_any(b"retr", b"backoff", b"dramatiq", b"remoulade", b"actor")
        steps = ((_decorators, _celery, _celery_classes, _huey, _retry_objects, _adapter_attribute_retries)
                 if named else ()) + (
            (_rescheduled_retries,) if f.has_any(*RESCHEDULE_TOKENS) else ()) + (
            (_loops, _except_retries, _recursive_retries, _repeated_before_try, _once_flag_loops, _failover_loops)
            if f.tries else ()) + ((_poll_loops,) if f.loops and f.has_any(b"sleep") else ()) + (
            (_counted_recursions, _flag_recursions, _countdown_branch_recursions) if f.has_any(b"retr", b"attempt", b"tries")
            else (_flag_recursions,) if f.has_any(b"reconnect=false", b"resend=false", b"reauth=false") else ()) + (
            (_countdown_loops, _result_loops, _flag_counter_loops) if f.loops else ()) + (
            (_wait_until_answers,) if f.loops and f.has_any(b"sleep") else ()) + (
            (_ready_waits,) if f.loops and f.has_any(b".is_set()") and f.has_any(b".wait(") else ()) + (
            (_requeued_retries,) if f.has_any(b".delay(", b".apply_async(") and f.has_any(b"retr", b"attempt", b"tries") else ()) + (
            (_requeued_unchanged,) if f.has_any(b"enqueue(", b".delay(", b".apply_async(") else ()) + (
            (_status_loops,) if not f.tries and f.loops and f.has_any(b".status", b".ok") else ()) + (
            (_recheck_retries,) if f.ifs else ()) + (
            (_reauth_retries,) if f.has_any(b"401", b"403", b"429", b"unauthori", b"expired", b"refresh", b"auth")
            else ()) + (
            (_renew_continue_loops,) if f.loops and f.has_any(b"continue") and f.has_any(b"refresh", b"token", b"login",
                                                                                         b"auth") else ()) + (
            (_failure_budgets,) if f.ifs and f.has_any(b"failed_attempts", b"failure_count", b"failures", b"attempts + 1")
            else ())
        for step in steps:
            try:
                step(f, result)
            except Exception as exc:
                f.note_error("python.retry", exc)
        f._memo["retry"] = result
    return f._memo["retry"]


def _attrs(max_attempts: Any, backoff: str | None, retry_on: str | None, mechanism: str, library: str,
           **extra: Any) -> dict[str, Any]:
    if max_attempts == 1:
        backoff = "none"  # an explicit "no retry" has nothing to back off
    attrs = {"max_attempts": max_attempts, "backoff": backoff, "retry_on": retry_on,
             "mechanism": mechanism, "library": library}
    attrs.update(extra)
    return attrs


def _calls_in(f: PyFile, node: Node | None) -> list[PyCall]:
    if node is None:
        return []
    out = []
    for n in T.walk(node):
        if n.type == "call":
            c = f.call_of(n)
            if c is not None:
                out.append(c)
    return out


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


# ---------------------------------------------------------------------- decorators
def decorator_library(f: PyFile, expr: Node) -> tuple[str, PyCall | None, str] | None:
    """(library, call or None for a bare decorator, qualified name) of a retry decorator."""
    call = f.call_of(expr)
    name = call.qualified if call is not None else f.qualify(dotted(expr) or "")
    if name.startswith("tenacity.") and _last(name) == "retry":
        return "tenacity", call, name
    if name in ("retrying.retry",):
        return "retrying", call, name
    if name in ("backoff.on_exception", "backoff.on_predicate", "backoff._decorator.on_exception"):
        return "backoff", call, name
    if name in ("retry.retry", "retry.api.retry"):
        return "retry", call, name
    if name in ("stamina.retry",):
        return "stamina", call, name
    if name in ("aiohttp_retry.retry", "async_retrying.retry", "opnieuw.retry", "retry_async.retry"):
        return name.split(".")[0], call, name
    return None


def _decorators(f: PyFile, result: RetryResult) -> None:
    for fn in f.functions:
        for expr in f.decorators(fn):
            lib = decorator_library(f, expr)
            if lib is None:
                continue
            library, call, _ = lib
            target, pending = target_within(f, fn)
            attrs, extra_pending, conf = _decorator_attrs(f, library, call)
            finding = f.finding("retry", expr, f"python.{_detector_suffix(library)}", attrs, conf, target,
                                [*pending, *extra_pending])
            result.findings.append(finding)
            result.scopes.append(RetryScope(fn, finding.line, library, "decorator", finding))


def _detector_suffix(library: str) -> str:
    return {"tenacity": "tenacity", "backoff": "backoff"}.get(library, "retrying")


def _exceptions_text(node: Node | None) -> str | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("tuple", "list"):
        return ",".join(T.text(c) for c in node.named_children if c.type != "comment")
    return T.text(node)


def _decorator_attrs(f: PyFile, library: str, call: PyCall | None) -> tuple[dict, list[Pending], str]:
    k = call.kwargs if call is not None else {}
    args = call.args if call is not None else []
    if library == "tenacity":
        return _tenacity_attrs(f, k, "decorator")
    if library == "backoff":
        wait = args[0].text if args else (k["wait_gen"].text if "wait_gen" in k else "")
        backoff = {"expo": "exponential", "fibo": "exponential", "constant": "fixed",
                   "runtime": None, "decay": "exponential"}.get(_last(wait))
        name = call.qualified if call is not None else ""
        if _last(name) == "on_predicate":
            retry_on = "predicate" if len(args) < 2 else f"predicate {args[1].text}"
        else:
            exc = args[1].node if len(args) > 1 else (k["exception"].node if "exception" in k else None)
            retry_on = _exceptions_text(exc)
        value, pending, conf = f.count(k["max_tries"].node) if "max_tries" in k else (None, [], "medium")
        extra = {}
        if "max_time" in k:
            extra["max_time_ms"] = _ms(f, k["max_time"].node)
        if "max_tries" not in k and "max_time" not in k:
            conf = "high"
        return _attrs(value, backoff, retry_on, "decorator", "backoff", **extra), pending, conf
    if library == "retrying":
        value, pending, conf = (f.count(k["stop_max_attempt_number"].node) if "stop_max_attempt_number" in k
                                else (None, [], "high"))
        if "wait_exponential_multiplier" in k or "wait_exponential_max" in k:
            backoff = "exponential"
        elif "wait_random_min" in k or "wait_random_max" in k:
            backoff = "random"
        elif "wait_incrementing_start" in k or "wait_incrementing_increment" in k:
            backoff = "linear"
        elif "wait_fixed" in k:
            backoff = "fixed"
        else:
            backoff = "none"
        retry_on = (k["retry_on_exception"].text if "retry_on_exception" in k else
                    ("result " + k["retry_on_result"].text if "retry_on_result" in k else "Exception"))
        return _attrs(value, backoff, retry_on, "decorator", "retrying"), pending, conf
    if library == "retry":
        tries = k.get("tries") or (args[1] if len(args) > 1 else None)
        value, pending, conf = f.count(tries.node) if tries else (None, [], "high")
        if isinstance(value, (int, float)) and value < 0:
            value = None
        factor = k.get("backoff")
        delay = k.get("delay")
        fnum = _num(f, factor.node) if factor else 1
        if fnum is not None and fnum > 1:
            backoff = "exponential"
        elif delay is not None and (_num(f, delay.node) or 0) > 0:
            backoff = "fixed"
        else:
            backoff = "none"
        if "jitter" in k and backoff == "none":
            backoff = "random"
        exc = k.get("exceptions") or (args[0] if args else None)
        return _attrs(value, backoff, _exceptions_text(exc.node) if exc else "Exception", "decorator",
                      "retry"), pending, conf
    if library == "stamina":
        value, pending, conf = f.count(k["attempts"].node) if "attempts" in k else (10, [], "high")
        on = k.get("on")
        return _attrs(value, "exponential", _exceptions_text(on.node) if on else None, "decorator",
                      "stamina"), pending, conf
    return _attrs(None, None, None, "decorator", library), [], "low"


def _num(f: PyFile, node: Node) -> float | None:
    settled, _ = f.settle(f.expr(node))
    return as_number(settled)


def _ms(f: PyFile, node: Node) -> Any:
    n = _num(f, node)
    return normalise_ms(n * 1000) if n is not None else None


def _closure_value(f: PyFile, node: Node) -> Node:
    """A name handed as an option (`stop=stop`) stands for the value bound to it in the enclosing
    functions, innermost first (a project's decorator factory: `stop = stop_after_attempt(tries) if
    tries >= 0 else stop_never` in `retry_builder`, read by the `@tenacity.retry(stop=stop)` of its
    inner decorator); else the node itself."""
    bare = unwrap(node)
    if bare is None or bare.type != "identifier":
        return node
    name = T.text(bare)
    fn = f.enclosing_function(bare)
    while fn is not None:
        if name in f.function_params(fn):
            return node
        for target, value, stmt in f.scope_assignments(fn):
            if target == name and stmt.start_byte < bare.start_byte:
                return value
        fn = f.enclosing_function(fn.parent) if fn.parent is not None else None
    return node


def _tenacity_attrs(f: PyFile, k: dict, mechanism: str) -> tuple[dict, list[Pending], str]:
    value: Any = None
    pending: list[Pending] = []
    conf = "high"
    extra: dict[str, Any] = {}
    stop = k.get("stop")
    if stop is not None:
        conf = "medium"
        held = _closure_value(f, stop.node)
        for c in [f.call_of(n) for n in T.walk(held) if n.type == "call"]:
            if c is None:
                continue
            if _last(c.qualified) == "stop_after_attempt" and c.args:
                value, pending, conf = f.count(c.args[0].node)
                param = f.param_named_by(c.args[0].node) if held is not stop.node else None
                if param is not None:  # bound outside the decorator's span: name the factory's parameter
                    extra["attempts_expression"] = attempts_expression(param, 0)
            elif _last(c.qualified) == "stop_after_delay" and c.args:
                extra["max_delay_ms"] = _ms(f, c.args[0].node)
                if value is None:
                    conf = "high"
    wait = k.get("wait")
    backoff = "none"
    if wait is not None:
        backoff = None
        for n in T.walk(wait.node):
            if n.type in ("call", "identifier", "attribute"):
                name = _last(T.text(n.child_by_field_name("function")) if n.type == "call" else T.text(n))
                mapped = {"wait_exponential": "exponential", "wait_random_exponential": "exponential",
                          "wait_exponential_jitter": "exponential", "wait_full_jitter": "exponential",
                          "wait_fixed": "fixed", "wait_random": "random", "wait_incrementing": "linear",
                          "wait_none": "none", "wait_chain": "fixed", "wait_combine": None}.get(name)
                if mapped is not None:
                    backoff = mapped
                    break
    retry = k.get("retry")
    retry_on = "Exception"
    if retry is not None:
        types = []
        for n in T.walk(retry.node):
            if n.type == "call":
                c = f.call_of(n)
                if c is None:
                    continue
                lname = _last(c.qualified)
                if lname in ("retry_if_exception_type", "retry_if_not_exception_type") and c.args:
                    prefix = "not " if "not" in lname else ""
                    types.extend(prefix + (_exceptions_text(a.node) or "") for a in c.args)
                elif lname == "retry_if_result":
                    types.append("result")
                elif lname == "retry_if_exception" and c.args:
                    types.append(c.args[0].text)
        retry_on = ",".join(types) if types else retry.text
    return _attrs(value, backoff, retry_on, mechanism, "tenacity", **extra), pending, conf


# ---------------------------------------------------------------------- celery tasks
CELERY_DEFAULT_MAX_RETRIES = 3


def _is_task_decorator(f: PyFile, expr: Node) -> PyCall | None:
    call = f.call_of(expr)
    if call is None:
        return None
    q = call.qualified
    if q in ("celery.shared_task", "celery.task", "shared_task") or (
            call.name == "task" and call.receiver and ("celery" in q or re.search(r"(app|celery)$", call.receiver))):
        return call
    # a project's own wrapper of shared_task (`@shared_dedicated_queue_retry_task(autoretry_for=(X,),
    # max_retries=5)`): `autoretry_for` is Celery's own keyword, and a `..._task(bind=True, max_retries=N)`
    # decorator hands Celery its options
    if "autoretry_for" in call.kwargs or (re.search(r"(^|_)task$", call.name or "") and "max_retries" in call.kwargs
                                          and "bind" in call.kwargs):
        return call
    # a project's own `task` decorator handing Celery `bind=True` (`@tasks.task(bind=True, acks_late=True)`,
    # PyPI's warehouse): the bound task's `retry()` is Celery's (read only where the body calls it)
    if re.search(r"(^|_)task$", call.name or "") and "bind" in call.kwargs and \
            T.text(call.kwargs["bind"].node) == "True":
        return call
    return None


def _bound_task_name(f: PyFile, fn: Node, task: PyCall) -> str:
    """The name a `bind=True` task's first parameter gives the task instance (`self`, `task`): its
    `<name>.retry(...)` is Celery's retry."""
    if "bind" not in task.kwargs or T.text(task.kwargs["bind"].node) != "True":
        return "self"
    params = fn.child_by_field_name("parameters")
    first = next((p for p in (params.named_children if params is not None else []) if p.type in (
        "identifier", "typed_parameter")), None)
    if first is not None and first.type == "typed_parameter":
        first = next((c for c in first.named_children if c.type == "identifier"), None)
    return T.text(first) if first is not None else "self"


def _celery_helper_retries(f: PyFile, result: RetryResult) -> None:
    """`task.retry(max_retries=5, countdown=...)` in a helper handed the task (`def retryable_smtp(task):` a
    context manager a bound task enters as `with retryable_smtp(self):`): the bound lives at this call, n + 1
    attempts (round 15, pretalx). A task's own `self.retry(...)` is read at its decorator."""
    if not f.has_any(b"max_retries") or not any(v.startswith("celery") for v in f.imports.values()):
        return
    for call in f.calls:
        if call.name != "retry" or "max_retries" not in call.kwargs or not call.receiver or \
                "." in call.receiver or call.receiver in ("self", "cls"):
            continue
        fn = f.enclosing_function(call.node)
        if fn is None or call.receiver not in f.function_params(fn) or any(
                _is_task_decorator(f, e) is not None for e in f.decorators(fn)):
            continue
        limit = call.kwargs["max_retries"]
        value, extra, conf = f.count(limit.node, offset=1)
        if T.text(limit.node) == "None":
            value, extra, conf = None, [], "high"
        countdown = call.kwargs.get("countdown")
        backoff = "exponential" if countdown is not None and ("**" in countdown.text or "<<" in countdown.text) \
            else "fixed"
        exc = call.kwargs.get("exc")
        result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
            value, backoff, exc.text if exc is not None else None, "call", "celery"), conf, None, extra))


def _dict_entries(f: PyFile, node: Node | None, depth: int = 0) -> dict[str, Node]:
    """Keys of a dict literal (or of the dict a name is bound to), with `{**OTHER, "k": v}` splats read
    first: key -> value node (its parent is the `pair` the value was written in)."""
    node = unwrap(node)
    if node is not None and node.type == "identifier" and depth < 4:
        found = f.binding(T.text(node), node)
        node = unwrap(found[0]) if found else None
    out: dict[str, Node] = {}
    if node is None or node.type != "dictionary" or depth > 4:
        return out
    for child in node.named_children:
        if child.type == "dictionary_splat":
            out.update(_dict_entries(f, next(iter(child.named_children), None), depth + 1))
        elif child.type == "pair":
            key, value = string_value(child.child_by_field_name("key")), child.child_by_field_name("value")
            if key and value is not None:
                out[key] = value
    return out


def task_options(f: PyFile, task: PyCall) -> tuple[dict[str, Arg], set[str]]:
    """A Celery task decorator's keywords, with those of `**OPTIONS` module dicts (round 18, kitsune:
    `_RETRY = {"autoretry_for": ..., "max_retries": 5}` then `@shared_task(**_LIMITS, **_RETRY)`); the
    second item names the keys that came from such a dict (their value is reported at its key line)."""
    k = dict(task.kwargs)
    from_dict: set[str] = set()
    for splat in task.dict_splats:
        for key, value in _dict_entries(f, next(iter(splat.named_children), None)).items():
            if key not in k:
                k[key] = Arg(node=value, text=T.text(value), keyword=key)
                from_dict.add(key)
    return k, from_dict


# a task named for polling (`poll_run_external_process`, `wait_for_export`): its autoretries wait for a remote job
_POLL_TASK = re.compile(r"^_*(poll|wait_for|await)_|_poll(er|ing)?$", re.I)


def _celery_autoretry(f: PyFile, result: RetryResult, task: PyCall, fn: Node | None, reported: dict) -> None:
    """`autoretry_for=` on a task decorator (or on a decorator object made once: `shared_task_with_retry =
    shared_task(autoretry_for=(Exception,), retry_kwargs={"max_retries": 3})`, round 18): n + 1 attempts at
    the decorator call, or at the `max_retries` pair of an options dict it splats in."""
    k, from_dict = task_options(f, task)
    name = fn.child_by_field_name("name") if fn is not None else None
    if name is not None and _POLL_TASK.search(T.text(name)):
        return  # (round 20, kobotoolbox-kpi) `poll_run_external_process`: re-run until a remote job is done, a poll
    limit = k.get("max_retries")
    retry_kwargs = unwrap(k["retry_kwargs"].node) if "retry_kwargs" in k else None
    if limit is None and retry_kwargs is not None and retry_kwargs.type == "dictionary":
        for pair in retry_kwargs.named_children:
            if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "max_retries":
                value_node = pair.child_by_field_name("value")
                limit = Arg(node=value_node, text=T.text(value_node), keyword="max_retries")
    at = limit.node.parent if limit is not None and ("max_retries" in from_dict or (
        "max_retries" not in k and "retry_kwargs" in from_dict)) and limit.node.parent is not None else task.node
    # (round 19, consoleme: `default_retry_kwargs = {"autoretry_for": ..., "retry_kwargs": {"max_retries": N}}` splatted
    # into sixteen tasks: once, at the nested key's line)
    target, pending = target_within(f, fn) if fn is not None else (None, [])
    finding = reported.get(at.id)
    if finding is None:
        value, extra, conf = (f.count(limit.node, offset=1) if limit is not None
                              else (CELERY_DEFAULT_MAX_RETRIES + 1, [], "high"))
        if limit is not None and T.text(limit.node) == "None":
            value, extra, conf = None, [], "high"
        backoff = "exponential" if "retry_backoff" in k and T.text(k["retry_backoff"].node) not in (
            "False", "0") else "fixed"
        finding = f.finding("retry", at, "python.task_retry", _attrs(
            value, backoff, _exceptions_text(k["autoretry_for"].node), "decorator", "celery"), conf, target,
            [*pending, *extra])
        reported[at.id] = finding
        result.findings.append(finding)
    if fn is not None:
        result.scopes.append(RetryScope(fn, finding.line, "celery", "decorator", finding))


def _celery_decorator_objects(f: PyFile, result: RetryResult, reported: dict) -> dict[str, PyCall]:
    """Module-level `name = shared_task(autoretry_for=..., ...)` used as `@name` (round 18, kitsune): the
    retry policy is reported once, at its definition; the decorated functions are its retry scopes."""
    out: dict[str, PyCall] = {}
    if not f.has_any(b"autoretry_for"):
        return out
    for stmt in f.root.named_children:
        for left, right in f._assignments_in(stmt):
            value = unwrap(right)
            task = _is_task_decorator(f, value) if value is not None and value.type == "call" else None
            if task is not None and task.node.id == value.id and "autoretry_for" in task_options(f, task)[0]:
                out[left] = task
    for name, task in out.items():
        users = [fn for fn in f.functions if any(e.type == "identifier" and T.text(e) == name
                                                 for e in f.decorators(fn))]
        for fn in users or [None]:
            _celery_autoretry(f, result, task, fn, reported)
    return out


def _dramatiq_actor_calls(f: PyFile, result: RetryResult) -> None:
    """(round 20, fief) `deliver = dramatiq.actor(DeliverTask(), retry_when=should_retry)` (an actor made by a call,
    not a decorator) given `max_retries=N` (N + 1 attempts) or a `retry_when` predicate of this file returning
    `retries_so_far < N and ...` (dramatiq asks it with the retries made so far: N + 1 attempts)."""
    for call in f.calls:
        if call.qualified not in ("dramatiq.actor", "remoulade.actor") or not call.args or \
                call.node.parent is None or call.node.parent.type == "decorator":
            continue
        value = None
        if "max_retries" in call.kwargs:
            value = f.count(call.kwargs["max_retries"].node, offset=1)
        elif "retry_when" in call.kwargs:
            bound = _retry_when_bound(f, call.kwargs["retry_when"].node)
            value = f.count(bound, offset=1) if bound is not None else None
        if value is None:
            continue
        count, extra, conf = value
        result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
            count, "exponential", None, "decorator", call.qualified.split(".")[0]), conf, None, list(extra)))


def _retry_when_bound(f: PyFile, node: Node) -> Node | None:
    """N of a predicate `def should_retry(retries_so_far, exception): return retries_so_far < N and ...`."""
    name = T.text(unwrap(node)) if unwrap(node) is not None else ""
    for fn in f.functions:
        n = fn.child_by_field_name("name")
        params = list(f.function_params(fn))
        if n is None or T.text(n) != name or not params:
            continue
        for ret in (x for x in T.walk(fn) if x.type == "return_statement"):
            for cmp in (x for x in T.walk(ret) if x.type == "comparison_operator" and len(x.named_children) == 2):
                left, right = cmp.named_children
                ops = [T.text(x) for x in cmp.children if not x.is_named]
                if ops == ["<"] and T.text(left) == params[0]:
                    return right
    return None


def _celery(f: PyFile, result: RetryResult) -> None:
    _celery_helper_retries(f, result)
    if f.has_any(b"dramatiq.actor(", b"remoulade.actor("):
        _dramatiq_actor_calls(f, result)
    reported: dict = {}
    _celery_decorator_objects(f, result, reported)
    for fn in f.functions:
        for expr in f.decorators(fn):
            actor = f.call_of(expr)
            if actor is not None and (actor.qualified in ("dramatiq.actor", "remoulade.actor") or (
                    actor.name == "actor" and "max_retries" in actor.kwargs)):
                limit = actor.kwargs.get("max_retries")
                value, extra, conf = f.count(limit.node, offset=1) if limit else (21, [], "medium")
                target, pending = target_within(f, fn)
                finding = f.finding("retry", expr, "python.task_retry", _attrs(
                    value, "exponential", _exceptions_text(actor.kwargs["throws"].node) if "throws" in actor.kwargs
                    else None, "decorator", actor.qualified.split(".")[0] if actor.qualified.startswith(
                        ("dramatiq", "remoulade")) else "dramatiq"), conf, target, [*pending, *extra])
                result.findings.append(finding)
                result.scopes.append(RetryScope(fn, finding.line, "dramatiq", "decorator", finding))
        task = next((c for c in (_is_task_decorator(f, e) for e in f.decorators(fn)) if c is not None), None)
        if task is None:
            continue
        k, _ = task_options(f, task)
        if "autoretry_for" in k:
            _celery_autoretry(f, result, task, fn, reported)
            continue
        limit = k.get("max_retries")
        retry_kwargs = unwrap(k["retry_kwargs"].node) if "retry_kwargs" in k else None
        if limit is None and retry_kwargs is not None and retry_kwargs.type == "dictionary":
            for pair in retry_kwargs.named_children:
                if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "max_retries":
                    value_node = pair.child_by_field_name("value")
                    limit = Arg(node=value_node, text=T.text(value_node), keyword="max_retries")
        target, pending = target_within(f, fn)
        calls = _calls_in(f, fn.child_by_field_name("body"))
        bound = _bound_task_name(f, fn, task)
        manual = [c for c in calls if c.callee in ("self.retry", f"{bound}.retry")]
        if not manual and limit is not None and any(
                any(a.text in ("self", bound) for a in c.args) for c in calls
                if not c.callee.startswith(("self.", f"{bound}."))):
            # the task hands itself to a helper that calls `task.retry(...)` (its bound is this decorator's)
            value, extra, conf = f.count(limit.node, offset=1)
            if T.text(limit.node) == "None":
                value, extra, conf = None, [], "high"
            finding = f.finding("retry", task.node, "python.task_retry", _attrs(
                value, "fixed", None, "call", "celery"), conf, target, [*pending, *extra])
            result.findings.append(finding)
            result.scopes.append(RetryScope(fn, finding.line, "celery", "call", finding))
            continue
        for c in manual[:1]:
            own = next((m.kwargs["max_retries"] for m in manual if "max_retries" in m.kwargs), None)
            source = own or limit
            if source is not None:
                value, extra, conf = f.count(source.node, offset=1)
                if T.text(source.node) == "None":
                    value, extra, conf = None, [], "high"
            else:
                value, extra, conf = CELERY_DEFAULT_MAX_RETRIES + 1, [], "medium"
            countdown = c.kwargs.get("countdown")
            text_ = countdown.text if countdown is not None else ""
            backoff = "exponential" if "**" in text_ or "<<" in text_ else ("fixed" if countdown else "fixed")
            exc = c.kwargs.get("exc")
            # reported at the decorator: the bound lives there, however many `self.retry(...)` the body holds
            finding = f.finding("retry", task.node, "python.task_retry", _attrs(
                value, backoff, exc.text if exc is not None else None, "call", "celery"), conf, target,
                [*pending, *extra])
            result.findings.append(finding)
            result.scopes.append(RetryScope(fn, finding.line, "celery", "call", finding))


def _is_celery_task_class(f: PyFile, cls: Node, depth: int = 0) -> bool:
    """`class UpdateDocsTask(SyncRepositoryMixin, Task)` with `from celery import Task` (or `app.Task`,
    `celery.Task`), also through a base class of this file."""
    for base in f.class_bases(cls):
        if base in ("celery.Task", "celery.app.task.Task") or (
                base.endswith(".Task") and re.search(r"(^|\.)(app|celery|celery_app)\.Task$", base)):
            return True
        local = f.classes.get(base)
        if local is not None and local is not cls and depth < 3 and _is_celery_task_class(f, local, depth + 1):
            return True
    return False


def _param_plus(f: PyFile, node) -> bool:
    """`max_tries + 1`: a parameter plus (or minus) a number."""
    inner = unwrap(node)
    if inner is None or inner.type != "binary_operator" or T.text(inner.child_by_field_name("operator")) not in ("+", "-"):
        return False
    left = inner.child_by_field_name("left")
    return (f.param_named_by(left) is not None or f.param_through_local(left) is not None) and \
        number_value(unwrap(inner.child_by_field_name("right"))) is not None


def _task_instance(f: PyFile, call: PyCall) -> bool:
    """`obj.retry(exc=exc)` where `obj = super().__new__(cls, *args, **kwargs)` (or `cls.__new__(cls)`, `cls()`):
    the task class's own instance, made in `__new__` to wrap every subclass's `run` (round 12, warehouse's
    WarehouseTask: the subclasses' tasks retry with the class's max_retries)."""
    if not call.receiver or "." in call.receiver or call.receiver in ("self", "cls"):
        return False
    made, fn = None, f.enclosing_function(call.node)
    while fn is not None and made is None:  # a closure (the wrapped `run`) sees its outer function's locals
        made = next((unwrap(v) for target, v, s in reversed(f.scope_assignments(fn)) if target == call.receiver
                     and s.start_byte < call.node.start_byte), None)
        fn = f.enclosing_function(fn)
    return made is not None and made.type == "call" and re.match(
        r"^(?:super\(\s*\)\.__new__|cls\.__new__|object\.__new__|cls)\s*\(\s*(?:cls\b|\))", T.text(made)) is not None


def _celery_classes(f: PyFile, result: RetryResult) -> None:
    """A class-based Celery task (`class UpdateDocsTask(Task): autoretry_for = (X,); max_retries =
    settings.RTD_BUILDS_MAX_RETRIES`, or a method calling `self.retry(...)`): max_retries + 1 attempts
    (the default 3 when not set: 4; `None` retries forever), at the `max_retries` line (else at
    `autoretry_for`). A task class declaring max_retries that never retries is no retry."""
    if not f.classes or not f.has_any(b"celery"):
        return
    for cls in f.classes.values():
        if not _is_celery_task_class(f, cls):
            continue
        limit, autoretry = f.class_attr_value(cls, "max_retries"), f.class_attr_value(cls, "autoretry_for")
        if limit is None:
            # (round 21, hypothesis h) `retry_kwargs = {"countdown": 5, "max_retries": 1}`: autoretry's options
            limit = _dict_pair_value(f.class_attr_value(cls, "retry_kwargs"), "max_retries")
        manual = [c for c in _calls_in(f, cls.child_by_field_name("body"))
                  if c.callee == "self.retry" or (c.name == "retry" and _task_instance(f, c))]
        if autoretry is None and not manual:
            continue
        if limit is not None and T.text(limit) == "None":
            value, extra, conf = None, [], "high"
        elif limit is not None:
            value, extra, conf = f.count(limit, offset=1)
        else:
            value, extra, conf = CELERY_DEFAULT_MAX_RETRIES + 1, [], "medium"
        at = limit if limit is not None else autoretry if autoretry is not None else manual[0].node
        backoff_node = f.class_attr_value(cls, "retry_backoff")
        backoff = "exponential" if backoff_node is not None and T.text(backoff_node) not in ("False", "0") else "fixed"
        target, pending = target_within(f, cls)
        finding = f.finding("retry", at, "python.task_retry", _attrs(
            value, backoff, _exceptions_text(autoretry) if autoretry is not None else None,
            "decorator" if autoretry is not None else "call", "celery"), conf, target, [*pending, *extra])
        result.findings.append(finding)
        result.scopes.append(RetryScope(cls, finding.line, "celery", "decorator" if autoretry is not None else "call",
                                        finding))


def _dict_pair_value(node, key: str):
    """The value of the `"key": value` pair of a dict literal, else None."""
    node = unwrap(node) if node is not None else None
    if node is None or node.type != "dictionary":
        return None
    for pair in node.named_children:
        if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == key:
            return pair.child_by_field_name("value")
    return None


_HUEY_TASKS = ("task", "db_task", "periodic_task", "db_periodic_task", "context_task")  # (context_task: round 19)


def _huey(f: PyFile, result: RetryResult) -> None:
    """Huey's `@huey.task(retries=N, retry_delay=S)` (also `db_task`, `context_task(ctx, retries=N)`, and the
    call form a decorator factory returns: `huey.task(retries=retries)(fn)`): N retries, N + 1 attempts."""
    if not f.has_any(b"huey"):
        return
    for call in f.method_calls(_HUEY_TASKS) + [c for c in f.calls if c.callee in _HUEY_TASKS]:
        q = call.qualified
        if "retries" not in call.kwargs or not (q.startswith("huey.") or "huey" in (call.receiver or "").lower()
                                                or _huey_instance(f, call)):
            continue
        value, pending, conf = f.count(call.kwargs["retries"].node, offset=1)
        delay = call.kwargs.get("retry_delay")
        backoff = "fixed" if delay is not None and T.text(delay.node) not in ("0", "None") else "none"
        owner = call.node.parent.parent if call.node.parent is not None and call.node.parent.type == "decorator" \
            else None
        target, tpending = target_within(f, owner) if owner is not None else (None, [])
        result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
            value, backoff, None, "decorator" if owner is not None else "call", "huey"), conf, target,
            [*tpending, *pending]))


def _huey_instance(f: PyFile, call: PyCall) -> bool:
    """`app = RedisHuey("jobs")` ... `@app.task(...)`."""
    if not call.receiver or "." in call.receiver:
        return False
    found = f.binding(call.receiver, call.node)
    bound = f.call_of(found[0]) if found else None
    return bound is not None and bound.qualified.startswith("huey.")


# ---------------------------------------------------------------------- retry objects
# urllib3 calls taking a `retries=` count or flag
_URLLIB3_RETRIES_TAKERS = frozenset({"urllib3.request", "urllib3.PoolManager", "urllib3.ProxyManager",
                                     "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
                                     "urllib3.connection_from_url", "urllib3.poolmanager.PoolManager"})
URLLIB3_RETRY = ("urllib3.Retry", "urllib3.util.Retry", "urllib3.util.retry.Retry",
                 "requests.packages.urllib3.util.retry.Retry", "requests.adapters.Retry",
                 "requests.packages.urllib3.Retry")


def _retry_objects(f: PyFile, result: RetryResult) -> None:
    for call in f.calls:
        q = call.qualified
        last = _last(q)
        if last in ("retry", "on_exception", "on_predicate") and call.node.parent is not None and (
                call.node.parent.type in ("assignment", "return_statement") or _applied(call.node)):
            # `_retry_server_error = retry(stop=stop_after_attempt(5), ...)`: a decorator made once and
            # applied by name (`@_retry_server_error`): the policy is reported where it is made; also a
            # decorator factory applied in place (`backoff.on_exception(...)(fetch)`) or returned by a
            # project's own decorator (`def ld_backoff(fn): return backoff.on_exception(...)(fn)`)
            lib = decorator_library(f, call.node)
            if lib is not None:
                attrs, extra_pending, conf = _decorator_attrs(f, lib[0], call)
                result.findings.append(f.finding("retry", call.node, f"python.{_detector_suffix(lib[0])}",
                                                 {**attrs, "mechanism": "decorator"}, conf, None, extra_pending))
                continue
        if q in PGTRANSACTION_ATOMIC and "retry" in call.kwargs:
            # (round 18, the round-17 request; insights-rbac) django-pgtransaction's
            # `@pgtransaction.atomic(isolation_level=SERIALIZABLE, retry=3)`: the transaction is run again on a
            # serialization failure or deadlock, `retry` times after the first: n + 1 attempts
            node = call.kwargs["retry"].node
            if unwrap(node) is None or is_none(unwrap(node)):
                continue
            value, pending, conf = f.count(node, offset=1)
            if T.text(node).strip() in ("0", "False"):
                value, pending, conf = 1, [], "high"
            extra = {}
            param = f.param_named_by(node)
            if param is not None:  # a project decorator factory's `retries` (published for its callers)
                extra["attempts_expression"] = attempts_expression(param, 1)
            fn = f.enclosing_function(call.node) if _applied(call.node) else _decorated(call.node)
            target, tpending = target_within(f, fn) if fn is not None else (None, [])
            result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
                value, "none", "serialization failure,deadlock", "decorator", "pgtransaction", **extra), conf, target,
                [*tpending, *pending]))
            continue
        if q.startswith("tenacity.") and last in ("Retrying", "AsyncRetrying"):
            attrs, pending, conf = _tenacity_attrs(f, call.kwargs, "call")
            scope = call.node
            parent = call.node.parent
            loop = parent if parent is not None and parent.type == "for_statement" else None
            body_owner = loop if loop is not None else f.enclosing_function(call.node) or call.node
            if loop is not None and _waits_on_local_state(f, loop.child_by_field_name("body")):
                continue
            target, tpending = target_within(f, body_owner)
            finding = f.finding("retry", call.node, "python.tenacity", attrs, conf, target, [*tpending, *pending])
            result.findings.append(finding)
            if loop is not None:
                result.scopes.append(RetryScope(loop.child_by_field_name("body") or loop, finding.line,
                                                "tenacity", "call", finding))
            continue
        if last == "TaskBackoffError" and q.startswith("task_processor") and call.node.parent is not None \
                and call.node.parent.type == "raise_statement":
            # Flagsmith's task processor runs the task again later (its own bound: not known here)
            fn = f.enclosing_function(call.node)
            target, tpending = target_within(f, fn) if fn is not None else (None, [])
            result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
                None, "fixed", None, "task", "task_processor"), "medium", target, tpending))
            continue
        if q.startswith("slack_sdk.") and last.endswith("RetryHandler") and last != "RetryHandler":
            # slack_sdk's `RateLimitErrorRetryHandler(max_retry_count=3)` (also Connection/ServerError
            # and the Async ones): retries after the first try, default 1
            limit = call.kwargs.get("max_retry_count") or (call.args[0] if call.args else None)
            value, pending, conf = f.count(limit.node, offset=1) if limit else (2, [], "high")
            on = {"RateLimitErrorRetryHandler": "status 429", "ServerErrorRetryHandler": "status 5xx"}.get(
                last.replace("Async", "", 1), "connection errors")
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, "exponential" if "RateLimit" not in last else "fixed", on, "client_config", "slack_sdk"),
                conf, None, pending))
            continue
        if q.startswith("influxdb_client") and last == "WriteOptions" and "max_retries" in call.kwargs:
            # influxdb-client's batching writer: `max_retries` retries after the first try (0: none)
            value, pending, conf = f.count(call.kwargs["max_retries"].node, offset=1)
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, "exponential", None, "client_config", "influxdb_client"), conf, None, pending))
            continue
        if q in ("influxdb.InfluxDBClient", "influxdb.client.InfluxDBClient") and "retries" in call.kwargs:
            # influxdb 1.x: `retries` counts the tries (default 3); 0 tries forever
            number = _num(f, call.kwargs["retries"].node)
            value, pending, conf = (None, [], "high") if number == 0 else f.count(call.kwargs["retries"].node)
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, "exponential", "connection errors", "client_config", "influxdb"), conf, None, pending))
            continue
        if q in ("rq.Retry", "rq.retry.Retry"):
            limit = call.kwargs.get("max") or (call.args[0] if call.args else None)
            value, pending, conf = f.count(limit.node, offset=1) if limit else (2, [], "medium")
            interval = call.kwargs.get("interval")
            node = unwrap(interval.node) if interval else None
            if node is None:
                backoff = "none"
            elif node.type == "list":
                items = [_num(f, c) for c in node.named_children]
                backoff = _schedule_shape(items)
            else:
                backoff = "fixed"
            result.findings.append(f.finding("retry", call.node, "python.task_retry", _attrs(
                value, backoff, None, "client_config", "rq"), conf, None, pending))
            continue
        if last == "Retry" and q.startswith("redis."):
            finding = _redis_retry(f, call)
            if finding is not None:
                result.findings.append(finding)
            continue
        if q in URLLIB3_RETRY or (last == "Retry" and q.startswith(("urllib3", "requests"))):
            result.findings.append(_urllib3_retry(f, call))
            continue
        if q in _URLLIB3_RETRIES_TAKERS and "retries" in call.kwargs:
            # urllib3 2.x `urllib3.request(..., retries=False)` / `PoolManager(retries=3)`: False is one try,
            # an int N is N retries after the first (a Retry object is read at its own call; round 15, pretalx)
            arg = call.kwargs["retries"]
            inner = unwrap(arg.node)
            if inner is not None and inner.type == "false":
                result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                    1, "none", None, "client_config", "urllib3"), "high", None, []))
            elif inner is not None and inner.type == "integer":
                value, pending, conf = f.count(arg.node, offset=1)
                result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                    value, "exponential", None, "client_config", "urllib3"), conf, None, pending))
            continue
        if (last == "HTTPAdapter" or _adapter_subclass(f, call, last)) and "max_retries" in call.kwargs:
            arg = call.kwargs["max_retries"]
            inner = unwrap(arg.node)
            c = f.call_of(inner)
            if c is not None or (inner is not None and inner.type == "identifier" and _bound_to_retry(f, inner)):
                continue
            value, pending, conf = f.count(arg.node, offset=1)
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, "none", "connection errors", "client_config", "requests"), conf, None, pending))
            continue
        if (q in ("httpx.HTTPTransport", "httpx.AsyncHTTPTransport") or (
                "Transport" in last and last[:1].isupper() and (
                    q.startswith(("httpx", "httpx_socks")) or call.callee in f.classes))) and "retries" in call.kwargs:
            value, pending, conf = f.count(call.kwargs["retries"].node, offset=1)
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, "exponential", "connect errors", "client_config", "httpx"), conf, None, pending))
            continue
        if q.startswith("aiohttp_retry.") and last in ("ExponentialRetry", "RandomRetry", "ListRetry",
                                                       "FibonacciRetry", "JitterRetry"):
            attempts = call.kwargs.get("attempts")
            value, pending, conf = f.count(attempts.node) if attempts else (3, [], "high")
            backoff = {"ExponentialRetry": "exponential", "RandomRetry": "random", "ListRetry": "fixed",
                       "FibonacciRetry": "exponential", "JitterRetry": "exponential"}[last]
            exc = call.kwargs.get("exceptions")
            result.findings.append(f.finding("retry", call.node, "python.urllib3_retry", _attrs(
                value, backoff, _exceptions_text(exc.node) if exc else None, "client_config", "aiohttp_retry"),
                conf, None, pending))


# `session.adapters["https://"]` / `self.adapters['http://']`: the transport adapter requests keeps per prefix
_SESSION_ADAPTER = re.compile(r"^[A-Za-z_][\w.]*\.adapters\[\s*['\"]https?://['\"]\s*\]$")


def _adapter_attribute_retries(f: PyFile, result: RetryResult) -> None:
    """(round 21, flexget) A requests adapter's retries set after it is made: `self.adapters['http://'].max_retries
    = max_retries` in a requests.Session subclass, `session.adapters["https://"].max_retries = 3`, or
    `adapter.max_retries = 3` on a local made by HTTPAdapter(): N retries of a failed connection, N + 1 tries
    (a Retry object assigned is read at its own call). A parameter with a default is the constructor's own
    contract and its callers' (rule a/b)."""
    if not f.has_any(b".max_retries") or not f.has_any(b"adapters[", b"httpadapter"):
        return
    for node in T.walk(f.root):
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or right is None or left.type != "attribute" or \
                T.text(left.child_by_field_name("attribute")) != "max_retries":
            continue
        obj = T.text(left.child_by_field_name("object"))
        adapter = bool(_SESSION_ADAPTER.match(obj))
        if not adapter and obj.isidentifier():
            found = f.binding(obj, node)
            made = f.call_of(unwrap(found[0])) if found else None
            adapter = made is not None and (made.qualified.rsplit(".", 1)[-1] == "HTTPAdapter")
        fn = f.enclosing_function(node)
        param = right.type == "identifier" and fn is not None and T.text(right) in f.function_params(fn)
        if not adapter or right.type == "call" or (right.type == "identifier" and not param and _bound_to_retry(f, right)):
            continue
        value, pending, conf = f.count(right, offset=1)
        result.findings.append(f.finding("retry", node, "python.urllib3_retry", _attrs(
            value, "none", "connection errors", "client_config", "requests"), conf, None, pending))


# what a process asks of its own machine: its process table, files, mounts, a local command
_LOCAL_STATE_CALLS = re.compile(r"(psutil|os|os\.path|shutil|pathlib|glob|subprocess)\.\w+|Path|open|\w+\.(exists|is_dir|is_file|"
                                r"is_mount|name|cmdline|status|is_running|read_text)")


def _waits_on_local_state(f: PyFile, body: Node | None, depth: int = 0) -> bool:
    """(round 20, postgresql-operator) `for attempt in Retrying(wait=wait_fixed(5)): with attempt: for proc in
    psutil.process_iter(): ...` or a same-class check running `mountpoint`: waiting for this machine's own state
    (a process gone, storage attached), no callee tried again. Calls in a `raise` and logging are left aside; at
    least one call, every one local (a `self.` method of this class whose own calls are all local counts)."""
    if body is None:
        return False
    seen = 0
    for n in _own_descendants(body):
        if n.type != "call" or any(a.type == "raise_statement" for a in T.ancestors(n) if a.start_byte >= body.start_byte):
            continue
        c = f.call_of(n)
        if c is None:
            return False
        if c.receiver and re.search(r"(^|\.)(log|logger|logging|LOG)$", c.receiver) or c.name in (
                "isinstance", "len", "str", "int", "range", "list", "set", "dict", "any", "all") or \
                (c.name[:1].isupper() and "." not in T.text(n.child_by_field_name("function"))):
            continue  # logging, builtins, a status object made (`WaitingStatus("...")`)
        seen += 1
        if _LOCAL_STATE_CALLS.fullmatch(c.qualified or "") or (c.receiver and re.fullmatch(r"(psutil|os|shutil)\b.*", c.receiver)):
            continue
        func = T.text(n.child_by_field_name("function"))
        if depth == 0 and func.startswith("self.") and func.count(".") == 1:
            cls = f.enclosing_class(n)
            method = next((g for g in f.functions if T.text(g.child_by_field_name("name")) == func[5:]
                           and cls is not None and f.enclosing_class(g) is not None
                           and f.enclosing_class(g).id == cls.id), None)
            if method is not None and _waits_on_local_state(f, method.child_by_field_name("body"), 1):
                continue
        return False
    return seen > 0


def _adapter_subclass(f: PyFile, call: PyCall, last: str) -> bool:
    """A project's own requests adapter (`class TimeoutHTTPAdapter(HTTPAdapter)`, the recipe setting a default
    timeout; round 18, intelmq): a class of this file deriving from HTTPAdapter, or one named `...HTTPAdapter`
    imported from the project. Its `max_retries=` is HTTPAdapter's."""
    if not last.endswith("Adapter") or not last[:1].isupper():
        return False
    local = f.classes.get(last) if call.callee == last else None
    if local is not None:
        return f.class_kind(local) == "requests.HTTPAdapter"
    return last.endswith("HTTPAdapter") and not call.qualified.startswith(("requests.", "httpx", "aiohttp"))


PGTRANSACTION_ATOMIC = ("pgtransaction.atomic", "pgtransaction.transaction.atomic")


def _decorated(node: Node) -> Node | None:
    """The function a decorator call (`@x(...)`) decorates."""
    up = node.parent
    if up is not None and up.type == "decorator" and up.parent is not None and up.parent.type == "decorated_definition":
        return up.parent.child_by_field_name("definition")
    return None


def _applied(node: Node) -> bool:
    """`factory(...)(fn)`: the call is the function part of another call."""
    parent = node.parent
    return parent is not None and parent.type == "call" and parent.child_by_field_name("function") is not None \
        and parent.child_by_field_name("function").id == node.id


def _schedule_shape(items: list) -> str:
    """The backoff an explicit list of delays describes."""
    if len(items) <= 1 or any(i is None for i in items) or len(set(items)) == 1:
        return "fixed"
    if any(b <= a for a, b in zip(items, items[1:])):
        return "random"
    ratios = {round(b / a, 3) for a, b in zip(items, items[1:]) if a}
    if len(ratios) == 1 and next(iter(ratios)) > 1 and len({b - a for a, b in zip(items, items[1:])}) > 1:
        return "exponential"
    return "linear"


def _bound_to_retry(f: PyFile, ident: Node) -> bool:
    found = f.binding(T.text(ident), ident)
    if found is None:
        return True  # defined elsewhere: the Retry object itself is reported where built
    c = f.call_of(found[0])
    return c is not None and _last(c.qualified) == "Retry"


REDIS_BACKOFFS = {"ExponentialBackoff": "exponential", "ExponentialWithJitterBackoff": "exponential",
                  "EqualJitterBackoff": "exponential", "FullJitterBackoff": "exponential",
                  "DecorrelatedJitterBackoff": "exponential", "default_backoff": "exponential",
                  "ConstantBackoff": "fixed", "NoBackoff": "none"}


def _redis_retry(f: PyFile, call: PyCall) -> Finding | None:
    """redis-py's `Retry(backoff, retries)` (also `redis.asyncio.retry.Retry`): `retries` counts the
    tries after the first (N + 1 attempts); a negative count retries forever."""
    limit = call.kwargs.get("retries") or (call.args[1] if len(call.args) > 1 else None)
    if limit is None:
        return None
    value, pending, conf = f.count(limit.node, offset=1)
    number = _num(f, limit.node)
    if number is not None and number < 0:
        value, pending, conf = None, [], "high"
    elif number == 0:
        value, pending, conf = 1, [], "high"
    strategy = call.kwargs.get("backoff") or (call.args[0] if call.args else None)
    inner = f.call_of(unwrap(strategy.node)) if strategy is not None else None
    backoff = REDIS_BACKOFFS.get(_last(inner.qualified), "exponential") if inner is not None else None
    errors = call.kwargs.get("supported_errors")
    return f.finding("retry", call.node, "python.urllib3_retry", _attrs(
        value, backoff, errors.text if errors is not None else "ConnectionError,TimeoutError", "client_config",
        "redis"), conf, None, pending)


def _urllib3_retry(f: PyFile, call: PyCall) -> Finding:
    k = call.kwargs
    total = k.get("total") or (call.args[0] if call.args else None)
    if total is not None:
        value, pending, conf = f.count(total.node, offset=1)
        if total.text in ("False", "None"):
            value, pending, conf = (1 if total.text == "False" else None), [], "high"
    else:
        counts = [k[n] for n in ("connect", "read", "status") if n in k]
        if counts:
            nums = [_num(f, a.node) for a in counts]
            value = int(max(n for n in nums if n is not None)) + 1 if any(n is not None for n in nums) else None
            pending, conf = [], "medium"
        else:
            value, pending, conf = 11, [], "medium"  # urllib3's default total=10
    factor = k.get("backoff_factor")
    fnum = _num(f, factor.node) if factor else 0
    backoff = "exponential" if fnum else "none"
    on = []
    if "status_forcelist" in k:
        on.append("status " + k["status_forcelist"].text)
    on.append("connection errors")
    attrs = _attrs(value, backoff, ",".join(on), "client_config", "urllib3")
    if "allowed_methods" in k or "method_whitelist" in k:
        attrs["allowed_methods"] = (k.get("allowed_methods") or k.get("method_whitelist")).text  # type: ignore[union-attr]
    return f.finding("retry", call.node, "python.urllib3_retry", attrs, conf, None, pending)


# ---------------------------------------------------------------------- hand-written loops
def _loops(f: PyFile, result: RetryResult) -> None:
    for loop in f.loops:
        if _polls_remote_state(f, loop):
            continue
        try:
            mark = len(f.count_params)
            info = _loop_retry(f, loop)
            if info is None:
                info = _status_retry(f, loop)
            if info is None:
                del f.count_params[mark:]  # a loop found to be no retry bounds none (round 15, pretalx)
        except Exception as exc:
            f.note_error("python.retry", exc)
            info = None
        if info is None:
            continue
        value, pending, conf, tries = info
        body = loop.child_by_field_name("body")
        backoff = _loop_backoff(f, loop)
        retry_on = ",".join(_except_types(t) for t in tries) or None
        target, tpending = target_within(f, body) if body is not None else (None, [])
        line_node = loop
        finding = f.finding("retry", line_node, "python.retry_loop",
                            _attrs(value, backoff, retry_on, "loop", None), conf, target, [*tpending, *pending])
        result.findings.append(finding)
        sinks = [n for t in tries for n in T.walk(t.child_by_field_name("body")) if n.type == "call"]
        result.scopes.append(RetryScope(body or loop, finding.line, "loop", "loop", finding, sinks))


def _status_loops(f: PyFile, result: RetryResult) -> None:
    """The status retries of a file without any try statement (`_loops` sees them otherwise)."""
    _loops_read_by(f, result, lambda loop: _status_retry(f, loop), "status")


# a call that checks a state rather than doing the work (`verify_listener_certificate_is_removed(...)`)
_STATE_CHECK = re.compile(r"^_*(verify|is|has|check|confirm)_")
# the error a round waits out when the thing waited for does not exist yet
_NOT_YET = re.compile(r"(NotFound|Nonexistent|NonExistent|NoSuch|DoesNotExist|NotExist|Missing)")


def _polls_remote_state(f: PyFile, loop: Node) -> bool:
    """(round 19, external-domain-broker) `while not <flag>:` (also `and attempts < N`) whose flag is set from a
    comparison with the state waited for (`isAssociated = associated_arn == expected_arn`), from a call that
    checks a state (`is_removed = verify_listener_certificate_is_removed(...)`), or to True once a lookup stops
    raising not-found (`try: waf.get_web_acl(ARN=arn); exists = True except WAFNonexistentItemException:
    continue`): a poll of remote state, not a call tried again."""
    if loop.type != "while_statement":
        return False
    cond = unwrap(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if cond is None or body is None:
        return False
    sides = [cond]
    if cond.type == "boolean_operator" and T.text(cond.child_by_field_name("operator")) == "and":
        sides = [unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))]
    flags = set()
    for side in sides:
        if side is not None and side.type == "not_operator":
            arg = unwrap(side.child_by_field_name("argument"))
            if arg is not None and arg.type == "identifier":
                flags.add(T.text(arg))
    if not flags:
        return False
    set_true_after_lookup = False
    for n in T.walk(body):
        if n.type != "assignment" or T.text(n.child_by_field_name("left")) not in flags:
            continue
        value = unwrap(n.child_by_field_name("right"))
        if value is None:
            continue
        if value.type == "comparison_operator":
            return True
        c = f.call_of(value) if value.type == "call" else None
        if c is not None and _STATE_CHECK.match(c.name or ""):
            return True
        if T.text(value) == "True":
            handler = n.parent
            while handler is not None and handler.id != body.id and handler.type != "try_statement":
                handler = handler.parent
            if handler is not None and handler.type == "try_statement" and \
                    handler.child_by_field_name("body") is not None and \
                    handler.child_by_field_name("body").start_byte <= n.start_byte < handler.child_by_field_name("body").end_byte:
                # set in the try's body once its lookup answered, only a not-found error waited out: a wait for
                # the thing to exist (a connect tried again until it answers stays a retry)
                kinds = [_except_types_of(h) for h in handler.named_children if h.type == "except_clause"]
                if kinds and all(_NOT_YET.search(k) for k in kinds):
                    set_true_after_lookup = True
    return set_true_after_lookup


def _loops_read_by(f: PyFile, result: RetryResult, read, retry_on: str | None) -> None:
    """A retry finding for each loop ``read(loop)`` values as ``(max_attempts, pending, confidence,
    ...)``, aimed at what its body calls."""
    for loop in f.loops:
        if _polls_remote_state(f, loop):
            continue
        try:
            info = read(loop)
        except Exception as exc:
            f.note_error("python.retry", exc)
            info = None
        if info is None:
            continue
        value, pending, conf = info[:3]
        body = loop.child_by_field_name("body")
        target, tpending = target_within(f, body) if body is not None else (None, [])
        finding = f.finding("retry", loop, "python.retry_loop", _attrs(
            value, _loop_backoff(f, loop), retry_on, "loop", None), conf, target, [*tpending, *pending])
        result.findings.append(finding)
        result.scopes.append(RetryScope(body or loop, finding.line, "loop", "loop", finding))


# `!=` / `not in`: the round goes again on anything but success (`if resp.status != 200: sleep(2); continue`)
_STATUS_TEST = re.compile(r"\.(status|status_code|code)\b\s*(==|!=|in\b|not\s+in\b|>=|>)")


def _status_retry(f: PyFile, loop: Node):
    """`for _ in (1, 2):` / `for attempt in range(3):` whose body goes round again on a response status
    (`if resp.status == 401: refresh(); continue`) and leaves on success (`return` / `break`): a retry
    on that status, as many attempts as the loop has rounds. A loop whose variable is data (pages,
    items) is not one."""
    if loop.type != "for_statement":
        return None
    left, right = loop.child_by_field_name("left"), unwrap(loop.child_by_field_name("right"))
    body = loop.child_by_field_name("body")
    if left is None or left.type != "identifier" or right is None or body is None or not _exits(body):
        return None
    if right.type in ("tuple", "list") and right.named_children and all(n.type == "integer" for n in right.named_children):
        value, pending, conf = len(right.named_children), [], "high"
    else:
        c = f.call_of(right)
        if c is None or c.qualified != "range" or len(c.args) != 1:
            return None
        value, pending, conf = f.count(c.args[0].node)
    var = T.text(left)
    if _loop_var_used_as_data(f, var, body):
        return None
    for n in _own_descendants(body, ("function_definition", "class_definition", "lambda", "for_statement",
                                     "while_statement")):
        if n.type not in ("if_statement", "elif_clause"):
            continue  # (round 20, docsgpt) `elif response.status_code == 403: ... continue` as well
        cond = n.child_by_field_name("condition")
        consequence = n.child_by_field_name("consequence")
        if cond is None or consequence is None or not (
                _STATUS_TEST.search(T.text(cond)) or _status_flag(body, cond, n)):
            continue
        if any(s.type == "continue_statement" for s in _own_descendants(consequence)):
            return value, pending, conf, []
    if _success_exit_then_sleep(f, loop, body, var, right):
        return value, pending, conf, []
    return None


def _status_flag(body: Node, cond: Node, at: Node) -> bool:
    """`is_rate_limited = response.status_code == 429 or ...` earlier in the loop's body, then `if
    is_rate_limited:`: the flag is the status test (round 18, insights-host-inventory's GitHub fetch)."""
    names = {T.text(x) for x in T.walk(cond) if x.type == "identifier"}
    if not names:
        return False
    for stmt in body_statements(body):
        if stmt.start_byte >= at.start_byte:
            break
        a = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if a is not None and a.type == "assignment" and T.text(a.child_by_field_name("left")) in names and \
                _STATUS_TEST.search(T.text(a.child_by_field_name("right"))):
            return True
    return False


# a test that the response succeeded (`r.status_code == 200`, `resp.status in (200, 201)`, `r.ok`)
_SUCCESS_TEST = re.compile(r"\.(status|status_code|code)\s*(==\s*2\d\d\b|in\s*[(\[{]\s*2\d\d|<\s*[34]00\b)|\.ok\b")


def _success_exit_then_sleep(f: PyFile, loop: Node, body: Node, var: str, right: Node) -> bool:
    """`for i in range(MAX_RETRIES): r = get(url); if r.status_code == 200: break; time.sleep(2)`: the loop
    leaves once the response succeeded and otherwise sleeps and goes round: a retry on the status (round
    13's request, round 14). Only a loop named as tries (its count or variable says retry/attempt/tries):
    a poll of a job's state until it is done is no retry."""
    if not (_RETRY_NAMED.search(T.text(right)) or _RETRY_NAMED.search(var)):
        return False
    exits = sleeps = False
    for n in body.named_children:
        if n.type == "if_statement":
            cond, consequence = n.child_by_field_name("condition"), n.child_by_field_name("consequence")
            if cond is not None and consequence is not None and _SUCCESS_TEST.search(T.text(cond)) and \
                    _exits(consequence):
                exits = True
        elif exits and n.type == "expression_statement":
            c = f.call_of(unwrap(n.named_children[0]).child_by_field_name("argument")
                          if unwrap(n.named_children[0]).type == "await" else unwrap(n.named_children[0])) \
                if n.named_children else None
            if c is not None and c.name == "sleep":
                sleeps = True
    return exits and sleeps


_RETRY_NAMED = re.compile(r"retr|attempt|tries", re.I)


def _final_try_after(f: PyFile, loop: Node, tries: list[Node]) -> int:
    """1 when the statement right after the loop makes the call the loop tried once more
    (`for attempt in range(n): try: return _get(attempt) ...` then `return _get(n)`): n + 1 tries."""
    after = loop.next_named_sibling
    while after is not None and after.type == "comment":
        after = after.next_named_sibling
    if after is None:
        return 0
    # (round 22, r2r) not a class built as the result (`return GraphExtraction(entities=[], ...)` after the
    # loop as inside it): a value made, not the call tried once more
    tried = {c.callee for t in tries for n in T.walk(t.child_by_field_name("body")) if n.type == "call"
             for c in [f.call_of(n)] if c is not None and "(" not in c.callee
             and not c.callee.rsplit(".", 1)[-1][:1].isupper()}
    again = {c.callee for n in T.walk(after) if n.type == "call" for c in [f.call_of(n)] if c is not None}
    return 1 if tried & again else 0


def _poll_loops(f: PyFile, result: RetryResult) -> None:
    """A call tried again until it succeeds, without a try statement: `while True:` (or `while not
    response:`) with an exit on success, a sleep between rounds and a counter whose bound raises
    (`if max_retry == 0: raise ...` after `max_retry -= 1`; `if response is None and attempt >= 2:
    raise EmptyReply`)."""
    _loops_read_by(f, result, lambda loop: _poll_retry(f, loop), None)


def _countdown_loops(f: PyFile, result: RetryResult) -> None:
    """A call made again while a countdown lasts, without a try statement: `retry_cnt = 3; while
    retry_cnt: r = requests.post(...); if r.json()["error_code"] in RETRYABLE: retry_cnt -= 1;
    continue; ... break` (also `while retries > 0:`). The loop must call out (an HTTP or gRPC call of
    the file's outbound map), count down by one and leave on success; as many attempts as the
    countdown's start."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _countdown_retry(f, loop), None)


def _result_loops(f: PyFile, result: RetryResult) -> None:
    """A client call made again until it returns something, without a try statement: `for attempt in
    range(max_retries + 1): contact = self.client.get_contact(user); if contact: return contact;
    time.sleep(0.5 * attempt)` (eventual consistency: the record appears later). The loop must sleep,
    call a client (an outbound call, or a client-named receiver), leave as soon as the result is there
    and not use its variable as data; as many attempts as the range."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _result_retry(f, loop),
                   "empty result")


def _result_retry(f: PyFile, loop: Node):
    if loop.type != "for_statement" or _tries_in(loop):
        return None
    left, right = loop.child_by_field_name("left"), unwrap(loop.child_by_field_name("right"))
    body = loop.child_by_field_name("body")
    c = f.call_of(right)
    if left is None or left.type != "identifier" or body is None or c is None or c.qualified != "range" \
            or len(c.args) not in (1, 2) or "len(" in T.text(right):
        return None
    var = T.text(left)
    # (round 19, ecommerce's PayPal / in-app purchase loops) `for attempt_count in range(1, available_attempts + 1):`
    # named for attempts: any call's result tried again, its success tested on the result itself
    named = bool(_RETRY_BOUND_NAME.search(var) and _RETRY_BOUND_NAME.search(T.text(c.args[-1].node)))
    if len(c.args) == 2 and not named:
        return None
    calls = [f.call_of(n) for n in _own_descendants(body) if n.type == "call"]
    if not any(x is not None and (x.qualified in SLEEPS or x.qualified.endswith(".sleep")) for x in calls) and \
            not _RETRY_BOUND_NAME.search(T.text(c.args[-1].node)):
        # (no pause between rounds: only a bound named for retries says the rounds are tries; round 12,
        # seer's `for _ in range(max_retries + 1): response = client.models.generate_content(...)`)
        return None
    if _loop_var_used_as_data(f, var, body):
        return None
    out = outbound_map(f)
    results = set()
    for st in body_statements(body):
        if st.type != "expression_statement":
            continue
        a = next((x for x in st.named_children if x.type == "assignment"), None)
        if a is None or (a.child_by_field_name("left") is None) or a.child_by_field_name("left").type != "identifier":
            continue
        value = unwrap(a.child_by_field_name("right"))
        if value is not None and value.type == "await":
            value = unwrap(value.named_children[0]) if value.named_children else None
        call = f.call_of(value)
        if call is None or NOT_SINKS.match(call.qualified) or TELEMETRY.search(call.receiver or ""):
            continue
        if call.node.id in out or (call.receiver and (CLIENTISH.search(call.receiver.rsplit(".", 1)[-1]) or any(
                CLIENTISH.search(p) for p in call.receiver.split(".")[:2]))) or (named and call.receiver):
            # (`client.models.generate_content(...)`: an SDK client's resource)
            results.add(T.text(a.child_by_field_name("left")))
    if not results:
        return None
    if named:
        # a field of the result read into a name (`error = response.get("error")`), tested below (`if not error:`)
        for st in body_statements(body):
            a = next((x for x in st.named_children if x.type == "assignment"), None) \
                if st.type == "expression_statement" else None
            value = unwrap(a.child_by_field_name("right")) if a is not None else None
            if value is not None and a.child_by_field_name("left").type == "identifier" and any(
                    re.fullmatch(rf"{re.escape(r)}(\.get\(.*\)|\[.*\]|\.\w+)", T.text(value).replace(" ", ""), re.S)
                    for r in results):
                results.add("not " + T.text(a.child_by_field_name("left")))
    for st in body_statements(body):
        if st.type != "if_statement" or not _exits(st.child_by_field_name("consequence")):
            continue
        cond = unwrap(st.child_by_field_name("condition"))
        text = T.text(cond).replace(" ", "") if cond is not None else ""
        if any(text in (r, f"{r}isnotNone") or re.fullmatch(rf"{re.escape(r)}\.\w+(isnotNone)?", text) or
               (named and (re.fullmatch(rf"{re.escape(r)}\.\w+\(\)", text) or
                           (r.startswith("not ") and text == "not" + r[4:]))) or
               re.fullmatch(rf"""{re.escape(r)}(\[["'](ok|success|succeeded)["']\]|\.get\(["'](ok|success|succeeded)["']\))""",
                            text) for r in results):
            # also a field of the result (`if response.parsed is not None: break`), or the success flag of a
            # JSON answer (`if resp["ok"]: break`: Slack's Web API; round 18, omnibot)
            # also a field of the result (`if response.parsed is not None: break`)
            if len(c.args) == 2:
                expr = BinOp("-", f.expr(c.args[1].node), f.expr(c.args[0].node))
                settled, _ = f.settle(expr)
                n = as_number(settled)
                return (normalise_ms(n), [], "high") if n is not None else (None, [], "low")
            return f.count(c.args[0].node)
    return None


_RETRY_BOUND_NAME = re.compile(r"(?i)retr|attempt|tries")


def _countdown_retry(f: PyFile, loop: Node):
    if loop.type != "while_statement" or _tries_in(loop):
        return None
    cond = unwrap(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if cond is None or body is None:
        return None
    name = None
    if cond.type == "identifier":
        name = T.text(cond)
    elif cond.type == "comparison_operator" and len(cond.named_children) == 2:
        left, right = cond.named_children
        op = next((T.text(x) for x in cond.children if not x.is_named), "")
        if left.type == "identifier" and op == ">" and _num(f, right) == 0:
            name = T.text(left)
    if name is None or not _exits(body, ("break_statement", "return_statement")):
        return None
    steps = [n for n in _own_descendants(body) if n.type == "augmented_assignment"
             and T.text(n.child_by_field_name("left")) == name]
    if not steps or not all(T.text(n.child_by_field_name("operator")) == "-=" and
                            _num(f, n.child_by_field_name("right")) == 1 for n in steps):
        return None
    out = outbound_map(f)
    if not any(n.type == "call" and n.id in out for n in _own_descendants(body)):
        return None
    init = f.binding(name, loop)
    if init is None:
        return None
    return f.count(init[0])


# what a failover loop walks: other endpoints of one service, or other models of one LLM call
_FAILOVER_ITEMS = re.compile(r"(hosts|urls|servers|nodes|endpoints|providers|nameservers|mirrors|replicas|brokers|"
                             r"models|fallbacks|fallback_models|base_urls|api_urls|backends)$", re.I)


def _failover_loops(f: PyFile, result: RetryResult) -> None:
    """(round 21, the pr-agent request) A failover loop: `for host in hosts: try: return requests.get(host + path,
    ..) except RequestException: continue`, `for i, model in enumerate(all_models): try: return await f(model)
    except Exception: if i == len(all_models) - 1: raise`: the same call tried once per endpoint (or model) until
    one answers. As many attempts as the list holds when this file can count it (a list literal, a constant, `[a] +
    FALLBACKS`), else unknown; at the for line. The walked list must be named for endpoints or models and the try
    must return (or break) on success: a loop handling every item is no failover."""
    seen = {x.line for x in result.findings}
    for loop in f.loops:
        if loop.type != "for_statement" or T.location(loop)[0] in seen:
            continue
        over = unwrap(loop.child_by_field_name("right"))
        while over is not None and over.type == "call" and \
                T.text(over.child_by_field_name("function")) in ("enumerate", "zip"):
            args = over.child_by_field_name("arguments")
            over = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if over is None or over.type not in ("identifier", "attribute") or \
                not _FAILOVER_ITEMS.search(T.text(over).rsplit(".", 1)[-1]):
            continue
        body = loop.child_by_field_name("body")
        stmts = [c for c in (body.named_children if body is not None else ()) if c.type != "comment"]
        tries = [c for c in stmts if c.type == "try_statement"]
        if len(tries) != 1:
            continue
        tried = tries[0].child_by_field_name("body")
        if tried is None or not any(c.type in ("return_statement", "break_statement") for c in tried.named_children):
            continue
        fn = f.enclosing_function(loop)
        params = f.function_params(fn) if fn is not None else {}
        outbound = outbound_map(f)
        calls = [n for n in T.walk(tried) if n.type == "call"]
        if not any(n.id in outbound or T.text(n.child_by_field_name("function")) in params or (
                (c := f.call_of(n)) is not None and c.receiver and CLIENTISH.search(c.receiver.rsplit(".", 1)[-1]))
                for n in calls):
            continue  # the same request sent elsewhere: a library call, a client's, or the work the caller hands in
        handlers = [c for c in tries[0].named_children if c.type == "except_clause"]
        if not handlers or any(any(n.type == "return_statement" for n in T.walk(h)) for h in handlers):
            continue  # a handler that returns ends the walk: a fallback value, not the next endpoint
        value = _list_length(f, over, loop)
        conf = "medium" if value is not None else "low"
        body_target, tpending = target_within(f, body)
        finding = f.finding("retry", loop, "python.retry_loop", _attrs(
            value, "none", "errors", "loop", None, failover=True), conf, body_target, tpending)
        result.findings.append(finding)
        result.scopes.append(RetryScope(body, finding.line, "loop", "loop", finding))


def _list_length(f: PyFile, node: Node, at: Node, depth: int = 0):
    """How many items a list holds, when this file can tell: a list/tuple literal, a name bound to one, `[a] + B`,
    a module function returning one."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type in ("list", "tuple"):
        items = [c for c in node.named_children if c.type != "comment"]
        return None if any(c.type in ("list_splat", "dictionary_splat") for c in items) else len(items)
    if node.type == "binary_operator" and T.text(node.child_by_field_name("operator")) == "+":
        left = _list_length(f, node.child_by_field_name("left"), at, depth + 1)
        right = _list_length(f, node.child_by_field_name("right"), at, depth + 1)
        return left + right if left is not None and right is not None else None
    if node.type == "identifier":
        found = f.binding(T.text(node), at)
        return _list_length(f, found[0], found[0], depth + 1) if found else None
    if node.type == "call":
        func = node.child_by_field_name("function")
        fn = next((g for g in f.functions if func is not None and func.type == "identifier"
                   and T.text(g.child_by_field_name("name")) == T.text(func)), None)
        returns = [r for r in T.walk(fn.child_by_field_name("body")) if r.type == "return_statement"] if fn else []
        if len(returns) == 1 and returns[0].named_children:
            return _list_length(f, returns[0].named_children[0], returns[0], depth + 1)
    return None


def _once_flag_loops(f: PyFile, result: RetryResult) -> None:
    """(round 21, flexget's email notifier) A call made once more after re-connecting, remembered by a flag:
    `connection_error = None; while True: try: server.sendmail(..); break; except (SMTPServerDisconnected, ..) as e:
    if not connection_error: self.connect(config); connection_error = e; else: raise`: 2 attempts, at the
    while line. The `try` must end the loop on success (break / return) and the handler's `else` give up."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _once_flag_retry(f, loop),
                   "connection errors")


def _once_flag_retry(f: PyFile, loop: Node):
    if loop.type != "while_statement" or T.text(loop.child_by_field_name("condition")).strip() != "True":
        return None
    body = loop.child_by_field_name("body")
    stmts = [c for c in (body.named_children if body is not None else ()) if c.type != "comment"]
    if len(stmts) != 1 or stmts[0].type != "try_statement":
        return None
    tried = stmts[0].child_by_field_name("body")
    if tried is None or not any(c.type in ("break_statement", "return_statement") for c in tried.named_children):
        return None
    if not any(n.type == "call" for n in T.walk(tried)):
        return None
    for clause in (c for c in stmts[0].named_children if c.type == "except_clause"):
        block = next((c for c in clause.named_children if c.type == "block"), None)
        inner = [c for c in (block.named_children if block is not None else ()) if c.type != "comment"]
        if len(inner) != 1 or inner[0].type != "if_statement":
            continue
        cond = unwrap(inner[0].child_by_field_name("condition"))
        if cond is None or cond.type != "not_operator":
            continue
        flag = unwrap(cond.child_by_field_name("argument"))
        if flag is None or flag.type != "identifier":
            continue
        name = T.text(flag)
        consequence = inner[0].child_by_field_name("consequence")
        alternative = inner[0].child_by_field_name("alternative")
        sets_flag = consequence is not None and any(
            n.type == "assignment" and T.text(n.child_by_field_name("left")) == name and
            T.text(n.child_by_field_name("right")).strip() not in ("None", "False", "0")
            for n in T.walk(consequence))
        gives_up = alternative is not None and any(n.type == "raise_statement" for n in T.walk(alternative))
        if sets_flag and gives_up:
            return 2, [], "high"
    return None


def _flag_counter_loops(f: PyFile, result: RetryResult) -> None:
    """A call made again until it reports success, bounded by a counter, without a try statement:
    `success = False; attempts = 0; while not success and attempts < max_attempts: success = self.fetch();
    attempts += 1` (round 19, libretime's persistent_manual_schedule_fetch; the shape of round 18's request
    for patroni). The flag must be bound from a call's result in the loop's body, the counter counted up
    and not used as data; as many attempts as the bound (a defaulted parameter's, published for callers)."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _flag_counter_retry(f, loop),
                   "unsuccessful result")


def _flag_counter_retry(f: PyFile, loop: Node):
    if loop.type != "while_statement" or _tries_in(loop):
        return None
    cond = unwrap(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if cond is None or body is None or cond.type != "boolean_operator" or \
            T.text(cond.child_by_field_name("operator")) != "and" or "len(" in T.text(cond):
        return None
    flag, bound = None, None
    for side in (unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))):
        if side is not None and side.type == "not_operator":
            arg = unwrap(side.child_by_field_name("argument"))
            flag = T.text(arg) if arg is not None and arg.type == "identifier" else None
        elif side is not None and side.type == "comparison_operator":
            bound = side
    if flag is None or bound is None or not _RETRY_NAMED.search(T.text(bound)):
        return None  # (`while not converged and it < max_iter:` an iteration, not tries)
    tried = False
    for st in body_statements(body):
        a = next((x for x in st.named_children if x.type == "assignment"), None) if st.type == "expression_statement" else None
        if a is None or T.text(a.child_by_field_name("left")) != flag:
            continue
        value = unwrap(a.child_by_field_name("right"))
        if value is not None and value.type == "await":
            value = unwrap(value.named_children[0]) if value.named_children else None
        c = f.call_of(value)
        if c is not None and not (c.qualified in SLEEPS or LOCAL_ATTEMPTS.match(c.name or "")) and \
                not NOT_SINKS.match(c.qualified):
            tried = True
    if not tried:
        return None
    mark = len(f.count_params)
    value, pending, conf, var = _while_bound(f, loop, bound)
    if value is False or not var or not _counted_up(body, var) or _loop_var_used_as_data(f, var, body):
        del f.count_params[mark:]
        return None
    return value, pending, conf


def _wait_until_answers(f: PyFile, result: RetryResult) -> None:
    """A client call made again until it answers, the loop's body only waiting: `while
    legacy_client.version() == -1: time.sleep(2)` (the client returns -1 on a request error), `while not
    api_client.ping(): sleep(1)`; no bound (null). The call must be a client's (an outbound call, or a
    client-named receiver), the body nothing but sleeps and logging (round 19, libretime's wait_for_legacy;
    patroni's `while not self.poll()` convention)."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _answer_wait(f, loop), None)


# the calls a start-up wait makes until the other side answers at all
_REACH_PROBE = re.compile(r"^(ping|version|get_version|connect\w*|register\w*|login|authenticate|heartbeat|health\w*|"
                          r"check_connection|is_reachable|is_available|is_up)$")


def _ready_waits(f: PyFile, result: RetryResult) -> None:
    """(round 20, wazo-calld) A start-up wait for another service, paced by a stop event: `while not
    self._should_stop.is_set(): if self._is_ready(): ...; return` then `self._should_stop.wait(timeout=t)`, the
    probe a method of this class whose `try` makes a client call and answers False on a connection error; no
    bound (null), at the loop."""
    seen = {x.line for x in result.findings}
    _loops_read_by(f, result, lambda loop: None if T.location(loop)[0] in seen else _ready_wait(f, loop), None)


def _ready_wait(f: PyFile, loop: Node):
    if loop.type != "while_statement" or _tries_in(loop):
        return None
    cond = unwrap(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if cond is None or body is None or cond.type != "not_operator":
        return None
    stop = f.call_of(unwrap(cond.child_by_field_name("argument")))
    if stop is None or stop.name != "is_set" or not stop.receiver:
        return None
    paced = any(c.name == "wait" and c.receiver == stop.receiver for c in _calls_in(f, body))
    if not paced:
        return None
    for st in body_statements(body):
        if st.type != "if_statement" or not _exits(st.child_by_field_name("consequence"),
                                                   ("return_statement", "break_statement")):
            continue
        probe = f.call_of(unwrap(st.child_by_field_name("condition")))
        func = T.text(probe.node.child_by_field_name("function")) if probe is not None else ""
        if not func.startswith("self.") or func.count(".") != 1:
            continue
        cls = f.enclosing_class(loop)
        method = next((g for g in f.functions if T.text(g.child_by_field_name("name")) == func[5:]
                       and cls is not None and f.enclosing_class(g) is not None
                       and f.enclosing_class(g).id == cls.id), None)
        mbody = method.child_by_field_name("body") if method is not None else None
        if mbody is None:
            continue
        outbound = outbound_map(f)
        for t in (n for n in T.walk(mbody) if n.type == "try_statement"):
            calls = _calls_in(f, t.child_by_field_name("body"))
            if any(c.node.id in outbound or (c.receiver and CLIENTISH.search(c.receiver.split(".")[1 if
                   c.receiver.startswith("self.") and "." in c.receiver else 0])) for c in calls) and \
                    any(TRANSIENT.search(_except_types_of(h)) for h in t.named_children if h.type == "except_clause"):
                return None, [], "medium"
    return None


def _answer_wait(f: PyFile, loop: Node):
    if loop.type != "while_statement" or _tries_in(loop):
        return None
    cond = unwrap(loop.child_by_field_name("condition"))
    body = loop.child_by_field_name("body")
    if cond is None or body is None:
        return None
    if cond.type == "not_operator":
        probe = unwrap(cond.child_by_field_name("argument"))
    elif cond.type == "comparison_operator" and len(cond.named_children) == 2 and \
            [T.text(x) for x in cond.children if not x.is_named] in (["=="], ["is"]):
        probe = unwrap(cond.named_children[0])
        other = unwrap(cond.named_children[1])
        if other is None or other.type not in ("integer", "unary_operator", "none", "false"):
            return None  # `== -1`, `is None`, `== False`: a failure sentinel
    else:
        return None
    if probe is not None and probe.type == "await":
        probe = unwrap(probe.named_children[0]) if probe.named_children else None
    c = f.call_of(probe)
    if c is None or not c.receiver or not _REACH_PROBE.search(c.name or ""):
        return None  # (a job's state or a count polled until it changes is a wait for a state, no retry)
    if c.node.id not in outbound_map(f) and not CLIENTISH.search(c.receiver.rsplit(".", 1)[-1]):
        return None
    sleeps = False
    for st in body_statements(body):
        inner = unwrap(st.named_children[0]) if st.type == "expression_statement" and st.named_children else None
        if inner is not None and inner.type == "await":
            inner = unwrap(inner.named_children[0]) if inner.named_children else None
        call = f.call_of(inner)
        if call is None:
            return None
        if call.qualified in SLEEPS or call.qualified.endswith(".sleep"):
            sleeps = True
        elif not (call.receiver or "").split(".")[-1].startswith(("log", "logger", "logging")) and call.name != "print":
            return None
    return (None, [], "medium") if sleeps else None


def _poll_retry(f: PyFile, loop: Node):
    if loop.type != "while_statement" or _tries_in(loop):
        return None
    cond = unwrap(loop.child_by_field_name("condition"))
    if cond is None:
        return None
    if cond.type == "not_operator":
        operand = unwrap(cond.child_by_field_name("argument"))
        if operand is None or operand.type != "identifier":
            return None
    elif not (cond.type == "true" or T.text(cond) in ("True", "1")):
        return None
    body = loop.child_by_field_name("body")
    calls = [f.call_of(n) for n in _own_descendants(body) if n.type == "call"] if body is not None else []
    if not any(c is not None and (c.qualified in SLEEPS or c.qualified.endswith(".sleep")) for c in calls):
        return None
    if cond.type != "not_operator" and not _exits(body):
        return None  # `while True:` must be left on success
    if not any(c is not None and not (c.qualified in SLEEPS or c.qualified.endswith(".sleep"))
               and not LOCAL_ATTEMPTS.match(c.name) and not c.receiver.startswith(("log", "logger", "logging"))
               for c in calls):
        return None  # nothing tried but the wait itself
    if _leaves_on_a_state(body):
        return None  # (round 17) `if vm_state == "poweroff": break` / `if len(ip) != 0: break`: a wait for a state
    found = _guard_bound(f, loop, body, ("raise_statement",))
    if found is None:
        # (round 18, omnibot) `retry = retry + 1; if retry >= MAX_RETRIES: logger.error(..); break` after a
        # failed answer, then `sleep(); continue`: a retry counter's give-up leaving the loop
        given_up = _guard_bound(f, loop, body, ("break_statement", "return_statement"))
        if given_up is not None and RETRY_COUNTER.search(given_up[3]) and _counted_up(body, given_up[3]):
            found = given_up
    if found is None:
        if cond.type != "not_operator" and _suppressed_attempt(f, body):
            return None, [], "medium"  # tried again until it succeeds: no bound
        return None
    value, pending, conf, _ = found
    return value, pending, conf


def _leaves_on_a_state(body: Node | None) -> bool:
    """Every way out of a `while True:` poll sits under an `if` that compares an answer with a state
    (`if vm_state == "poweroff": break`, `if len(guest_ip) != 0: break`) or a counter with a number (`if trial
    == 0: break`, the wait running out), and at least one is a state: the loop waits for something to become
    true after calls that succeeded (a VM to power off, an address to appear), no retry of a failed call
    (round 17, gns3-server's GNS3 VM start/stop loops)."""
    if body is None:
        return False
    state = False
    for node in _own_descendants(body):
        if node.type not in ("break_statement", "return_statement"):
            continue
        guard = node.parent
        # (round 19, timesketch) nodes are compared by id: a wrapper object is made afresh at each access, so
        # `is` never met the body and an `if` enclosing the whole loop was read as the exit's guard
        while guard is not None and guard.id != body.id and guard.type != "if_statement":
            guard = guard.parent
        if guard is None or guard.id == body.id:
            return False  # left unconditionally (after a successful call): a retry's shape
        cond = unwrap(guard.child_by_field_name("condition"))
        if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
            return False
        left, right = (unwrap(c) for c in cond.named_children)
        ops = [T.text(x) for x in cond.children if not x.is_named]
        if left is None or right is None:
            return False
        if ops in (["=="], ["!="]) and any(k.type == "string" for k in (left, right)):
            state = True
        elif ops in (["!="], [">"]) and left.type == "call" and T.text(left.child_by_field_name("function")) == "len" \
                and T.text(right) == "0":
            state = True
        elif not (left.type == "identifier" and right.type == "integer" and ops in (["=="], ["<="], ["<"])):
            return False
    return state


def _suppressed_attempt(f: PyFile, body: Node | None) -> bool:
    """`with suppress(DockerError): install(); break` in a `while True:` loop: the attempt's
    failure is swallowed by `contextlib.suppress` (a try/except in one line) and success leaves."""
    for node in _own_descendants(body) if body is not None else ():
        if node.type != "with_statement":
            continue
        items = [c for c in T.walk(node.child_by_field_name("body") or node) if c.type == "call"]
        head = next((c for c in node.named_children if c.type == "with_clause"), None)
        managers = [f.call_of(unwrap(i.named_children[0])) for i in (head.named_children if head else ())
                    if i.named_children]
        if not any(m is not None and f.qualify(m.callee) in ("contextlib.suppress", "suppress") and m.args
                   for m in managers):
            continue
        block = node.child_by_field_name("body")
        if items and _exits(block):
            return True
    return False


def _own_descendants(node: Node, stop_types=("function_definition", "class_definition", "lambda")):
    stack = list(reversed(node.named_children))
    while stack:
        n = stack.pop()
        yield n
        if n.type in stop_types:
            continue
        stack.extend(reversed(n.named_children))


def _tries_in(loop: Node) -> list[Node]:
    body = loop.child_by_field_name("body")
    if body is None:
        return []
    out = []
    stack = list(reversed(body.named_children))
    while stack:
        n = stack.pop()
        if n.type in ("function_definition", "class_definition", "lambda", "for_statement", "while_statement"):
            continue
        if n.type == "try_statement":
            out.append(n)
            continue
        stack.extend(reversed(n.named_children))
    return out


def _exits(block: Node | None, types=("return_statement", "break_statement")) -> bool:
    if block is None:
        return False
    for n in _own_descendants(block, ("function_definition", "class_definition", "lambda", "for_statement",
                                       "while_statement")):
        if n.type in types:
            return True
    return False


def _exit_after(try_node: Node) -> bool:
    """``try: r = call() except X: continue`` followed by ``break``/``return`` in the loop body."""
    block = try_node.parent
    if block is None or block.type != "block":
        return False
    after = False
    for stmt in block.named_children:
        if stmt == try_node:
            after = True
            continue
        if after and (stmt.type in ("break_statement", "return_statement") or _exits(stmt)):
            return True
    return False


def _handler_retries(clause: Node) -> bool:
    """An except clause that lets the loop go round again: its last top-level statement is not an
    unconditional raise/return/break."""
    block = next((c for c in clause.named_children if c.type == "block"), None)
    stmts = body_statements(block)
    if not stmts:
        return False
    if _exits(block, ("continue_statement",)):
        return True  # `if attempt < N and transient(exc): sleep(...); continue` then `raise`
    last = stmts[-1]
    return last.type not in ("raise_statement", "return_statement", "break_statement")


def _except_types(try_node: Node) -> str:
    types = []
    for clause in try_node.named_children:
        if clause.type != "except_clause":
            continue
        if not _handler_retries(clause):
            continue
        value = clause.child_by_field_name("value")
        if value is None:
            kids = [c for c in clause.named_children if c.type not in ("block", "comment")]
            value = kids[0] if kids else None
        if value is not None and value.type == "as_pattern":
            value = value.named_children[0] if value.named_children else None
        types.append(_exceptions_text(value) or "Exception")
    return ",".join(types)


def _derived_from(f: PyFile, loop: Node, var: str) -> tuple[str, ...]:
    """Names the loop's body binds, before its try, from the loop variable taken as data (`domain =
    ".".join(elements[-n:])`, `url = pages[n]`): a loop trying one candidate after another (each round
    calls with another value) is no retry."""
    body = loop.child_by_field_name("body")
    if not var or var == "_" or body is None:
        return ()
    out = []
    for stmt in body.named_children:
        if stmt.type == "try_statement":
            break
        if stmt.type != "expression_statement":
            continue
        for node in stmt.named_children:
            if node.type != "assignment":
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier" or T.text(left) == var:
                continue
            if _loop_var_used_as_data(f, var, right) or (right.type == "subscript" and any(
                    x.type == "identifier" and T.text(x) == var
                    for x in T.walk(right.child_by_field_name("subscript")))):
                out.append(T.text(left))
    return tuple(out)


def _loop_var_used_as_data(f: PyFile, var: str, try_body: Node | None) -> bool:
    if not var or var == "_" or try_body is None:
        return False
    for n in T.walk(try_body):
        if n.type == "call":
            c = f.call_of(n)
            if c is None or NOT_SINKS.match(c.qualified) or _inside_log_call(f, n, try_body):
                continue
            arglist = n.child_by_field_name("arguments")
            if arglist is not None and any(x.type == "identifier" and T.text(x) == var for x in T.walk(arglist)):
                return True
        if n.type == "subscript":
            sub = n.child_by_field_name("subscript")
            if sub is not None and any(x.type == "identifier" and T.text(x) == var for x in T.walk(sub)):
                return True
    return False


_LOG_CALL = re.compile(r"(^|\.)(debug|info|warning|warn|error|exception|critical|log)$|^(logging|logger|log)\.")


def _inside_log_call(f: PyFile, node: Node, top: Node) -> bool:
    """A call in a log call's arguments (`logger.warning("..", extra=merge_context({"retry": retry}))`):
    what it builds is logged, not sent (round 18, omnibot)."""
    anc = node.parent
    while anc is not None and anc.id != top.id:
        if anc.type == "call":
            c = f.call_of(anc)
            if c is not None and _LOG_CALL.search(c.qualified):
                return True
        anc = anc.parent
    return False


# Calls whose failure is local contention, not a callee's: taking a lock, waiting on an event.
LOCAL_ATTEMPTS = re.compile(r"^(acquire|acquire_lock|flock|lockf|lock|try_lock|wait|sleep)$")


# reads and writes of an in-process queue (`queue.get(timeout=0.1)`, `results_queue.put(x)`), or a
# lookup in a dict of such queues (`queue_map.get(request_id)`): waiting for another thread, no callee
QUEUE_RECEIVER = re.compile(r"(queue|(^|_)q)(_map|s)?$", re.I)
QUEUE_METHODS = frozenset({"get", "get_nowait", "put", "put_nowait", "popleft", "pop", "task_done", "empty", "qsize"})


# calls that only parse text in memory (a JSON repair loop trying shorter and shorter prefixes)
_PARSE_CALLS = re.compile(r"(json|json5|orjson|ujson|simplejson|yaml|toml|tomllib|ast)\.(loads|safe_load|literal_eval)|"
                          r"literal_eval|int|float")
_TEXT_METHODS = frozenset({"strip", "rstrip", "lstrip", "replace", "split", "encode", "decode"})


def _local_attempt(c: PyCall) -> bool:
    if LOCAL_ATTEMPTS.match(c.name):
        return True
    if c.name in ("bind", "listen", "setsockopt") or c.qualified in ("socket.socket", "socket.create_server"):
        return True  # a search for a free local port (`s.bind(("", port))` then `port += 1`; round 13)
    if c.name in QUEUE_METHODS and "block" in c.kwargs:
        return True  # `results.get(block=True, timeout=0.1)`: only a queue takes `block`
    last = c.receiver.rsplit(".", 1)[-1] if c.receiver else ""
    return c.name in QUEUE_METHODS and bool(QUEUE_RECEIVER.search(last))


CONFLICTS = re.compile(r"Integrity|Unique|Duplicate|Conflict|AlreadyExists", re.I)


def _base_name(node: Node | None) -> str | None:
    """`data` of `data`, `data.name`, `data["name"]`, `data.meta["x"]`."""
    while node is not None and node.type in ("attribute", "subscript"):
        node = node.child_by_field_name("object") if node.type == "attribute" else node.child_by_field_name("value")
    return T.text(node) if node is not None and node.type == "identifier" else None


def _handler_walks_input(try_node: Node) -> bool:
    """`except OSError: dirname, _ = split(path); path = dirname`: the handler moves the very argument the
    try's call is made with to another plain value (a parent path, the next candidate), so the next pass
    asks for something else: a walk, not a retry. A value a call returns (`token = refresh()`) is a
    retry's fresh credential, not this (round 15, maubot's zipimport copy)."""
    body = try_node.child_by_field_name("body")
    used: set[str] = set()
    for n in T.walk(body):
        if n.type == "call":
            args = n.child_by_field_name("arguments")
            if args is not None:
                used.update(T.text(x) for x in args.named_children if x.type == "identifier")
    # a name the try's body binds itself (`last_error = result.error` then `isinstance(last_error, ...)`) is
    # no input of the call
    used -= {T.text(n.child_by_field_name("left")) for n in T.walk(body) if n.type in ("assignment",
                                                                                       "augmented_assignment")}
    if not used:
        return False
    for clause in (c for c in try_node.named_children if c.type == "except_clause"):
        for n in T.walk(clause):
            if n.type == "assignment":
                left, right = n.child_by_field_name("left"), unwrap(n.child_by_field_name("right"))
                if left is not None and left.type == "identifier" and T.text(left) in used and \
                        right is not None and right.type in ("identifier", "subscript", "attribute") and \
                        T.text(right) != T.text(left):
                    return True
    return False


# `retry_messages = self._messages_pending_retry` in the handler: what the next pass re-sends is the same
# data kept for the retry, not a new value searched for (round 18, insights-host-inventory's batch replay)
_RESENT = re.compile(r"(retr(y|ies)|replay|resend|pending)", re.I)


def _changes_input_on_conflict(loop: Node, try_node: Node) -> bool:
    """`except IntegrityError: data.name = f"{name} ({i})"`: after a conflict the next pass sends
    other data (a free name or slug is being searched for), not the same request again."""
    if not CONFLICTS.search(_except_types(try_node)):
        return False
    body = try_node.child_by_field_name("body")
    used = set()
    for n in T.walk(body):
        if n.type == "call":
            args = n.child_by_field_name("arguments")
            used.update(T.text(x) for x in T.walk(args) if x.type == "identifier") if args is not None else None
    changed: set[str] = set()
    handlers = [c for c in try_node.named_children if c.type == "except_clause"]
    for clause in handlers:
        for n in T.walk(clause):
            if n.type in ("assignment", "augmented_assignment"):
                name = _base_name(n.child_by_field_name("left"))
                if name and not _RESENT.search(T.text(n)):
                    changed.add(name)
            elif n.type == "call" and T.text(n.child_by_field_name("function")) == "setattr":
                # `setattr(self, self.code_property, None)`: the next pass makes a new code (round 15, pretalx)
                args = [a for a in n.child_by_field_name("arguments").named_children if a.type != "comment"]
                name = _base_name(args[0]) if args else None
                if name:
                    changed.add(name)
    left = loop.child_by_field_name("left") if loop.type == "for_statement" else None
    if left is not None and left.type == "identifier":
        # `email = f"{base}{attempt}@..."` in the try's body from the loop's variable: each pass inserts
        # another value (a free one is searched for; round 15, pretalx)
        var = T.text(left)
        for n in T.walk(body):
            if n.type == "assignment":
                right = n.child_by_field_name("right")
                name = _base_name(n.child_by_field_name("left"))
                if name and right is not None and any(
                        x.type == "identifier" and T.text(x) == var for x in T.walk(right)):
                    changed.add(name)
    if "self" in changed and any(n.type == "call" and T.text(n.child_by_field_name("function")).startswith(
            ("super().", "self.")) for n in T.walk(body)):
        return True  # the object saving itself after the handler reset one of its fields
    if not changed:
        return False
    # `counter = i + offset` before the try, with `offset += 1` in the handler: counter changes too.
    for n in T.walk(loop.child_by_field_name("body")):
        if n.type == "assignment" and not (try_node.start_byte <= n.start_byte < try_node.end_byte):
            right = n.child_by_field_name("right")
            if right is not None and any(x.type == "identifier" and T.text(x) in changed for x in T.walk(right)):
                name = _base_name(n.child_by_field_name("left"))
                if name:
                    changed.add(name)
    return bool(changed & used)


# a job's state read from a response's data: `data.get("status")`, `body["state"]`, `job.status`
_JOB_STATE = re.compile(r"""(\.get\(\s*["'](status|state)["']\s*\)|\[\s*["'](status|state)["']\s*\]|\.(status|state)\b(?!_))""")


_STREAM_CALL = re.compile(r"(^|\.)(stream|watch|listen|subscribe|iter_lines|iter_events|events)$")


def _reopens_a_stream(try_node: Node) -> bool:
    """The try's body iterates a long-lived stream (`for event in w.stream(api.list_namespaced_pod, ...,
    timeout_seconds=30)`, `for msg in pubsub.listen()`) whose handlers only log and go round: the loop
    re-opens a watch that ends by design (a server-side timeout), it does not retry a failed call
    (round 16, binderhub's build watch)."""
    body = try_node.child_by_field_name("body")
    stmts = body_statements(body)
    if not stmts:
        return False
    loops = [st for st in stmts if st.type == "for_statement"]
    if not loops:
        return False
    for loop in loops:
        right = unwrap(loop.child_by_field_name("right"))
        func = right.child_by_field_name("function") if right is not None and right.type == "call" else None
        if func is not None and _STREAM_CALL.search(T.text(func)):
            return True
    return False


def _waits_for_a_match_after(try_node: Node) -> bool:
    """After the try, the loop body leaves only under `if <fetched> == <wanted>:` comparing two computed
    values (neither a literal nor an HTTP status), then ends in an unconditional sleep: a successful call
    whose answer is not yet the wanted one goes round again, so the loop waits for a remote state (a poll
    of a mirror's checksum; round 16, bodhi), and its except branch is part of that poll."""
    block = try_node.parent
    if block is None or block.type != "block":
        return False
    stmts = body_statements(block)
    if try_node not in stmts:
        return False
    after = stmts[stmts.index(try_node) + 1:]
    if len(after) < 2:
        return False
    last = after[-1]
    call = last.named_children[0] if last.type == "expression_statement" and last.named_children else None
    func = call.child_by_field_name("function") if call is not None and call.type in ("call", "await") else None
    if call is not None and call.type == "await":
        inner = call.named_children[0] if call.named_children else None
        func = inner.child_by_field_name("function") if inner is not None and inner.type == "call" else None
    if func is None or not T.text(func).endswith("sleep"):
        return False
    exits = [st for st in after[:-1] if st.type == "if_statement" and _exits(st.child_by_field_name("consequence"),
                                                                             ("return_statement", "break_statement"))]
    if not exits or any(_exits(st) for st in after[:-1] if st not in exits):
        return False
    for st in exits:
        cond = unwrap(st.child_by_field_name("condition"))
        if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
            return False
        ops = [T.text(x) for x in cond.children if not x.is_named]
        left, right = cond.named_children
        if ops != ["=="] or any(k.type in ("integer", "float", "string", "true", "false", "none") for k in (left, right)):
            return False
        if any(re.search(r"status|\bok\b|code", T.text(k), re.I) for k in (left, right)):
            return False
    return True


def _exits_only_when_done(body: Node | None) -> bool:
    """Every way out of the try's body sits under an `if` comparing a job's state with a named value
    (`if res_json.get("data").get("status") == Status.FINISHED.name: ... return`): the loop waits
    for a remote job to finish (a poll), a successful response alone does not end it. An HTTP status
    (`resp.status_code == 200`, `resp.status == 200`) is a response's outcome, not a job's state."""
    if body is None:
        return False
    exits = [n for n in _own_descendants(body, ("function_definition", "class_definition", "lambda", "for_statement",
                                                 "while_statement")) if n.type in ("return_statement", "break_statement")]
    if not exits:
        return False
    for e in exits:
        anc, ok = e.parent, False
        while anc is not None and anc.id != body.id:
            if anc.type == "if_statement":
                cond = anc.child_by_field_name("condition")
                for c in (x for x in T.walk(cond) if x.type == "comparison_operator") if cond is not None else ():
                    kids = c.named_children
                    if len(kids) == 2 and _JOB_STATE.search(T.text(kids[0])) and kids[1].type not in ("integer", "float"):
                        ok = True
            anc = anc.parent
        if not ok:
            return False
    return True


def _done_flags(loop: Node) -> dict[str, str]:
    """Names a `while` condition waits on, with the value that ends the loop: `while not success and
    attempts <= retries` -> {success: True}; `while keep_trying:` -> {keep_trying: False}."""
    if loop.type != "while_statement":
        return {}
    out: dict[str, str] = {}
    stack = [unwrap(loop.child_by_field_name("condition"))]
    top = stack[0]
    while stack:
        cond = stack.pop()
        if cond is None:
            continue
        if cond.type == "boolean_operator" and T.text(cond.child_by_field_name("operator")) == "and":
            stack += [unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))]
        elif cond.type == "not_operator":
            operand = unwrap(cond.child_by_field_name("argument"))
            if operand is not None and operand.type == "identifier":
                out[T.text(operand)] = "True"
        elif cond.type == "comparison_operator" and len(cond.named_children) == 2 and \
                [T.text(x) for x in cond.children if not x.is_named] == ["is"] and \
                cond.named_children[1].type == "none" and cond.named_children[0].type in ("identifier", "attribute"):
            # `while not stop.is_set() and self.admin_client is None:` ends once the client is made (round 18,
            # karapace): any value assigned ends it ("*")
            out[T.text(cond.named_children[0])] = "*"
        elif cond.type == "identifier" and cond is top:
            out[T.text(cond)] = "False"
        elif cond.type == "identifier" and top is not None and top.type == "boolean_operator":
            # `while should_retry and retry_count <= MAX_RETRIES:` (a flag beside a counter's bound; round 14,
            # letta's Vertex client): the flag ends the loop once false; "?" = re-set after the try from the result
            out[T.text(cond)] = "?"
    return out


def _sets_done_flag(loop: Node, body: Node | None, try_node: Node | None = None) -> bool:
    """The try's body ends the loop on success through the flag its condition waits on:
    `while not success and attempts <= retries: try: post(...); success = True`; also a statement after
    the try in the loop's body (`while keep_trying: try: r = post() except ConnectionError: sleep(10);
    continue` then `if r.status_code == 200: keep_trying = False`)."""
    flags = _done_flags(loop)
    if not flags or body is None:
        return False
    scopes = [body]
    block = try_node.parent if try_node is not None else None
    if block is not None and block.type == "block" and block.parent is not None and block.parent.id == loop.id:
        scopes += [stmt for stmt in block.named_children if stmt.start_byte > try_node.end_byte]
    if any(n.type == "assignment" and flags.get(T.text(n.child_by_field_name("left"))) in (
            T.text(n.child_by_field_name("right")), "*") for scope in scopes for n in T.walk(scope)):
        return True
    # a flag beside a counter, re-set right after the try from what the call returned (`should_retry =
    # self.is_malformed(response_data)`): the loop ends on a good result
    return any(stmt.type == "expression_statement" and any(
        a.type == "assignment" and flags.get(T.text(a.child_by_field_name("left"))) == "?"
        for a in stmt.named_children) for stmt in scopes[1:])


def _gathers(loop: Node, body: Node | None) -> bool:
    """A `while` loop whose condition counts no tries and whose try appends what each round fetched to a
    collection made before the loop (`consumed.append(message)`): a consume loop gathering data until a size
    or a deadline, no retry of a failed call (round 18, karapace's REST consumer fetch)."""
    if loop.type != "while_statement" or body is None:
        return False
    cond = loop.child_by_field_name("condition")
    if cond is None or RETRY_COUNTER.search(T.text(cond)):
        return False
    for n in T.walk(body):
        if n.type == "call":
            func = n.child_by_field_name("function")
            if func is not None and func.type == "attribute" and T.text(func.child_by_field_name("attribute")) in (
                    "append", "extend"):
                target = T.text(func.child_by_field_name("object"))
                if target.isidentifier() and any(
                        a.type == "assignment" and T.text(a.child_by_field_name("left")) == target and
                        a.child_by_field_name("right") is not None and a.child_by_field_name("right").type == "list"
                        and a.end_byte < loop.start_byte for a in T.walk(loop.parent)):
                    return True
    return False


def _done_checked_first(loop: Node, try_node: Node, body: Node | None, else_clause: Node | None) -> bool:
    """`for retry in [True, True, False]: if self._producer is not None: break` then `try: await p.start()
    ... else: self._producer = p`: the round keeps what succeeded, and the next one leaves on it first
    (round 18, karapace's client start)."""
    loop_body = loop.child_by_field_name("body")
    first = next(iter(body_statements(loop_body)), None)
    if first is None or first.type != "if_statement" or first.start_byte > try_node.start_byte or \
            not any(s.type == "break_statement" for s in body_statements(first.child_by_field_name("consequence"))):
        return False
    tested = {T.text(x) for x in T.walk(first.child_by_field_name("condition")) if x.type in ("identifier", "attribute")}
    for part in (else_clause, body):
        for n in T.walk(part) if part is not None else ():
            if n.type == "assignment" and T.text(n.child_by_field_name("left")) in tested:
                return True
    return False


def _loop_retry(f: PyFile, loop: Node):
    tries = _tries_in(loop)
    good = []
    for t in tries:
        body = t.child_by_field_name("body")
        else_clause = next((c for c in t.named_children if c.type == "else_clause"), None)
        handlers = [c for c in t.named_children if c.type == "except_clause"]
        if not handlers or not any(_handler_retries(h) for h in handlers):
            continue
        if not _exits(body) and not _exits(else_clause) and not _exit_after(t) and not _sets_done_flag(loop, body, t) \
                and not _done_checked_first(loop, t, body, else_clause):
            continue
        calls = [f.call_of(n) for n in T.walk(body) if n.type == "call"]
        if not calls:
            continue
        if all(c is not None and _local_attempt(c) for c in calls):
            continue  # `lock.acquire(timeout=...)` tried again: contention on a local lock, no callee
        if all(c is not None and (_PARSE_CALLS.fullmatch(c.qualified or "") or (
                c.name in _TEXT_METHODS and c.qualified != c.name)) for c in calls):
            continue  # (round 20, pr-agent) `json.loads(text[:end] + "]}")` cut shorter each pass: a repair, no callee
        if all(re.fullmatch(r"(queue\.)?(Empty|Full)", _except_types_of(h).strip()) for h in handlers):
            continue  # `except queue.Empty: continue`: waiting on another thread, not a failed call
        if _changes_input_on_conflict(loop, t) or _handler_walks_input(t):
            continue
        if _exits_only_when_done(body):
            continue  # polling a job's state (`if data.get("status") == "FINISHED": return`), not a retry
        if _reopens_a_stream(t):
            continue  # `for event in w.stream(list_pods, timeout_seconds=30)` re-opened when it ends: a watch pump
        if not _exits(body) and _waits_for_a_match_after(t):
            continue  # `try: fetched = get() except: sleep; continue` / `if fetched == wanted: return` / `sleep()`: a poll
        if _leaves_on_a_state(loop.child_by_field_name("body")):
            continue  # (round 17) `if vm_state == "poweroff": break` after the try: a wait for a state
        if _gathers(loop, body):
            continue  # (round 18) `while read_bytes < max_bytes and now < end:` collecting what a consumer fetches
        good.append(t)
    if not good:
        return None
    var = ""
    value: Any = None
    pending: list[Pending] = []
    conf = "medium"
    if loop.type == "for_statement":
        left, right = loop.child_by_field_name("left"), unwrap(loop.child_by_field_name("right"))
        var = T.text(left) if left is not None and left.type == "identifier" else ""
        c = f.call_of(right)
        if c is not None and c.qualified == "reversed" and len(c.args) == 1:
            # `for i in reversed(range(RETRIES)):` counting down the tries left (round 12, ckan)
            inner = f.call_of(unwrap(c.args[0].node))
            if inner is not None and inner.qualified == "range":
                c, right = inner, unwrap(c.args[0].node)
        if c is None and right is not None and right.type in ("tuple", "list") and right.named_children and (all(
                n.type == "integer" for n in right.named_children) or all(
                n.type in ("true", "false") for n in right.named_children)):
            # `for attempt in (1, 2):` a literal of attempt numbers: as many tries; also `for retry in [True, True,
            # False]:` whether another try follows (round 18, karapace)
            value, conf = len(right.named_children), "high"
        elif c is None:
            return None
        elif c.qualified == "range":
            if "len(" in T.text(right) or not c.args or len(c.args) > 2:
                return None
            if len(c.args) == 1:
                value, pending, conf = f.count(c.args[0].node, offset=_final_try_after(f, loop, good))
            else:
                start = number_value(unwrap(c.args[0].node))
                if start is not None and f.param_named_by(unwrap(c.args[1].node)) is None and (_param_plus(
                        f, c.args[1].node) or _field_plus(c.args[1].node)):
                    # `for num_tries in range(1, max_tries + 1)` in `def backoff(..., max_tries=2)`: the
                    # parameter's tries (published for the helper's callers; round 12, seer)
                    value, pending, conf = f.count(c.args[1].node, offset=-start)
                else:
                    expr = BinOp("-", f.expr(c.args[1].node), f.expr(c.args[0].node))
                    settled, _ = f.settle(expr)
                    n = as_number(settled)
                    if n is not None:
                        value, conf = normalise_ms(n), "high"
                    else:
                        pending = [Pending("max_attempts", expr, 1.0)]
        elif c.qualified in ("itertools.count", "count"):
            value = None
        elif _ATTEMPT_GENERATOR.search(c.name or "") and not c.qualified.startswith(("tenacity", "stamina", "backoff")):
            # (round 18, aleph) `for attempt in service_retries():` a helper handing out the attempts
            value, conf = _attempt_generator_count(f, c)
        else:
            return None
    else:
        cond = unwrap(loop.child_by_field_name("condition"))
        value, pending, conf, var = _while_bound(f, loop, cond)
        if value is False:
            return None
        if value is None and not pending and not any(TRANSIENT.search(_except_types(t)) for t in good) \
                and _loop_backoff(f, loop) == "none" and not (var and _incremented(loop.child_by_field_name("body"), var)):
            # an unbounded loop that neither waits nor catches transient errors: a REPL, a worker (a
            # counter counted up against a bound of unknown value, `while tries < self.max_retries`, stays)
            return None
    derived = _derived_from(f, loop, var)
    if any(_loop_var_used_as_data(f, name, t.child_by_field_name("body")) for t in good for name in (var, *derived)):
        if not any(TRANSIENT.search(_except_types(t)) for t in good):
            return None
    return value, pending, conf, good


# A function handing out a retry loop's attempts (`for attempt in service_retries():`), by its name
_ATTEMPT_GENERATOR = re.compile(r"(^|_)(retries|attempts|tries)$")
# libraries' own attempt generators and how many attempts they hand out
ATTEMPT_GENERATORS = {"servicelayer.util.service_retries": 30}


def _attempt_generator_count(f: PyFile, c: PyCall) -> tuple[Any, str]:
    """How many attempts `for attempt in service_retries():` makes: a library generator's known count
    (OCCRP servicelayer's `service_retries()` is `range(30)`), or a function of this file returning
    `range(N)`; else unknown (None)."""
    if c.qualified in ATTEMPT_GENERATORS:
        return ATTEMPT_GENERATORS[c.qualified], "high"
    for fn in f.functions:
        name = fn.child_by_field_name("name")
        if name is None or T.text(name) != c.name or c.receiver:
            continue
        body = body_statements(fn.child_by_field_name("body"))
        ret = next((st for st in body if st.type == "return_statement"), None)
        inner = f.call_of(unwrap(ret.named_children[0])) if ret is not None and ret.named_children else None
        if inner is not None and inner.qualified == "range" and len(inner.args) == 1 and not c.args:
            value, _, conf = f.count(inner.args[0].node)
            return value, conf
    return None, "low"


def _guard_bound(f: PyFile, loop: Node, body: Node | None, exits: tuple[str, ...]):
    """An `if` leaving the loop (``exits``) once a counter reaches its bound: (max attempts, pendings,
    confidence, counter) or None. `if tries_left == 0: raise` after `tries_left -= 1` (a countdown
    from its start), `if attempt >= N: raise` (N attempts; one more when the counter is raised only
    after the check)."""
    if body is None:
        return None
    for n in T.walk(body):
        if n.type == "if_statement":
            condition = n.child_by_field_name("condition")
            if condition is None or not _exits(n.child_by_field_name("consequence"), exits):
                continue
            for c in (x for x in T.walk(condition) if x.type == "comparison_operator"):
                ops = [T.text(x) for x in c.children if not x.is_named]
                kids = c.named_children
                if len(kids) == 2 and ops and kids[0].type == "identifier" and _num(f, kids[1]) == 0 and (
                        ops[0] in ("==", "<=") and _decremented(body, T.text(kids[0]))):
                    init = f.binding(T.text(kids[0]), loop)  # a countdown: tries_left -= 1 ... == 0
                    if init is not None:
                        value, pending, conf = f.count(init[0])
                        return value, pending, conf, T.text(kids[0])
                    return None, [], "low", T.text(kids[0])
                if len(kids) == 2 and ops and ops[0] in (">=", ">", "==") and kids[0].type == "identifier":
                    # attempts = N - start (+1 for `>`) (+1 when the counter is raised only after
                    # the check: `if attempt >= N: raise` then `attempt += 1` lets N + 1 tries run)
                    name = T.text(kids[0])
                    offset = 1 if ops[0] == ">" else 0
                    bumps = [x for x in T.walk(body) if x.type == "augmented_assignment"
                             and T.text(x.child_by_field_name("left")) == name
                             and T.text(x.child_by_field_name("operator")) == "+="]
                    if not bumps and not _incremented(body, name) and _assigned_in(body, name):
                        # `status_code = response.status_code; if status_code > 399: raise`: a value the
                        # round reads, not a counter of rounds
                        continue
                    if bumps:
                        init = f.binding(name, loop)
                        start = _num(f, init[0]) if init else None
                        if start is not None and float(start).is_integer():
                            offset -= int(start)
                        if all(x.start_byte > n.end_byte for x in bumps) and n.parent is not None and \
                                any(_block_encloses(x.parent.parent if x.parent is not None else None, n)
                                    for x in bumps):
                            # the bump runs after the check in the same round: in the check's own
                            # block, or in an outer block of the loop's body (`try: ... except: if
                            # count == retries: raise` then `count += 1` after the try)
                            offset += 1
                    value, pending, conf = f.count(kids[1], offset=offset)
                    return value, pending, conf, name
    return None


def _block_encloses(block: Node | None, node: Node) -> bool:
    """Whether ``block`` (a statement's block) is ``node``'s own parent block or an ancestor of it."""
    if block is None or block.type != "block":
        return False
    anc = node.parent
    while anc is not None:
        if anc.id == block.id:
            return True
        if anc.type in ("function_definition", "class_definition", "lambda"):
            return False
        anc = anc.parent
    return False


def _top_guard(f: PyFile, loop: Node):
    """A round opening with `tries += 1` then `if tries > N: raise ...` (or `>=`), before its work: N tries
    (N - 1 for `>=`) counted from the counter's start (round 19, external-domain-broker's `while notDeleted:`)."""
    stmts = [s for s in body_statements(loop.child_by_field_name("body")) if s.type != "comment"]
    if len(stmts) < 3 or stmts[0].type != "expression_statement" or stmts[1].type != "if_statement":
        return None
    bump = stmts[0].named_children[0] if stmts[0].named_children else None
    if bump is None or bump.type != "augmented_assignment" or T.text(bump.child_by_field_name("operator")) != "+=" \
            or _num(f, bump.child_by_field_name("right")) != 1:
        return None
    name = T.text(bump.child_by_field_name("left"))
    cond = unwrap(stmts[1].child_by_field_name("condition"))
    if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2 or \
            T.text(cond.named_children[0]) != name or \
            not _exits(stmts[1].child_by_field_name("consequence"), ("raise_statement",)):
        return None
    op = next((T.text(x) for x in cond.children if not x.is_named), "")
    if op not in (">", ">="):
        return None
    init = f.binding(name, loop)
    start = _num(f, init[0]) if init else None
    if start is None or not float(start).is_integer():
        return None
    value, pending, conf = f.count(cond.named_children[1], offset=-int(start) - (1 if op == ">=" else 0))
    return value, pending, conf, name


def _field_plus(node) -> bool:
    """`self.max_attempts + 1`: a field (a constructor may keep it from its parameter) plus a number (round 19)."""
    node = unwrap(node)
    if node is None or node.type != "binary_operator" or T.text(node.child_by_field_name("operator")) != "+":
        return False
    left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
    return left is not None and right is not None and right.type == "integer" and \
        re.match(r"^self\.\w+$", T.text(left)) is not None


def _time_summed(f: PyFile, loop: Node, left: Node, right: Node) -> bool:
    """`while waited < timeout:` whose rounds add the time slept (`waited += interval`, not 1) to a counter
    compared with a limit named as a timeout: time left, not tries left."""
    right = unwrap(right)
    if right is None or "timeout" not in T.text(right).rsplit(".", 1)[-1].lower():
        return False
    name = T.text(left)
    for n in T.walk(loop.child_by_field_name("body")):
        if n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == name:
            step = unwrap(n.child_by_field_name("right"))
            return step is not None and T.text(step) != "1"
    return False


# a clock read (`time.time()`, `timeit.default_timer()`, `loop.time()`, `datetime.now()`)
_CLOCK = re.compile(r"(^|\.)(time|monotonic|perf_counter|default_timer|now|utcnow)\(\)")


def _clock_measured(f: PyFile, loop: Node, name: str) -> bool:
    """(round 20, loopchain) `while duration < time_out_seconds:` whose counter is elapsed time (`duration =
    timeit.default_timer() - start_time`, assigned in the loop or just before it): a deadline, not tries."""
    fn = f.enclosing_function(loop)
    for n in T.walk(fn if fn is not None else loop):
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name and \
                _CLOCK.search(re.sub(r"\s+", "", T.text(n.child_by_field_name("right") or n))):
            return True
    return False


def _geometric_rounds(f: PyFile, loop: Node, name: str, start, right: Node, op: str) -> int | None:
    """(round 20, openstates-scrapers) `timeout_length = 8; while timeout_length < 65: ...; timeout_length *= 2`:
    a counter multiplied each round (8, 16, 32, 64: 4 rounds), not counted up by one."""
    bound = _num(f, right)
    if not start or start <= 0 or bound is None:
        return None
    for n in T.walk(loop.child_by_field_name("body")):
        if n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == name and \
                T.text(n.child_by_field_name("operator") or n) == "*=":
            k = _num(f, n.child_by_field_name("right"))
            if k is None or k <= 1:
                return None
            rounds, value = 0, start
            while (value < bound if op == "<" else value <= bound) and rounds < 1000:
                rounds, value = rounds + 1, value * k
            return rounds
    return None


def _while_bound(f: PyFile, loop: Node, cond: Node | None):
    """(max attempts or None, pendings, confidence, counter name); max False = not a retry loop."""
    if cond is None:
        return False, [], "low", ""
    if cond.type in ("true",) or T.text(cond) in ("True", "1"):
        body = loop.child_by_field_name("body")
        found = _guard_bound(f, loop, body, ("raise_statement", "break_statement", "return_statement"))
        if found is not None:
            return found
        # The bound guards the way round instead: `if transient and retries > 0: retries -= 1;
        # continue` then `raise` (a countdown from its start, plus the first try), or
        # `if attempt < N: attempt += 1; continue` (N retries after the first try).
        for n in T.walk(body):
            if n.type != "if_statement" or not _exits(n.child_by_field_name("consequence"), ("continue_statement",)):
                continue
            condition = n.child_by_field_name("condition")
            for c in (x for x in T.walk(condition) if x.type == "comparison_operator"):
                ops = [T.text(x) for x in c.children if not x.is_named]
                kids = c.named_children
                if len(kids) != 2 or not ops or kids[0].type != "identifier":
                    continue
                name = T.text(kids[0])
                init = f.binding(name, loop)
                if ops[0] == ">" and _num(f, kids[1]) == 0 and _decremented(body, name) and init is not None:
                    value, pending, conf = f.count(init[0], offset=1)
                    return value, pending, conf, name
                if ops[0] in ("<", "<=") and _incremented(body, name):
                    start = (_num(f, init[0]) if init else 0) or 0
                    value, pending, conf = f.count(kids[1], offset=(2 if ops[0] == "<=" else 1) - start)
                    return value, pending, conf, name
        return None, [], "medium", ""
    if cond.type == "boolean_operator" and T.text(cond.child_by_field_name("operator")) == "and":
        for side in (cond.child_by_field_name("left"), cond.child_by_field_name("right")):
            side = unwrap(side)
            if side is not None and side.type == "comparison_operator":
                found = _while_bound(f, loop, side)
                if found[0] is not False:
                    return found
        return None, [], "low", ""
    if cond.type == "comparison_operator" and len(cond.named_children) == 2:
        left, right = cond.named_children
        op = next((T.text(x) for x in cond.children if not x.is_named), "")
        if left.type == "identifier" and op in ("<", "<=") and (
                _time_summed(f, loop, left, right) or _clock_measured(f, loop, T.text(left))):
            return False, [], "low", ""  # `while waited < timeout: ...; waited += interval`: a deadline
            # (python.elapsed_deadline reads it), not a count of tries (round 19, hummingbot-api)
        if left.type == "identifier" and (op in ("<", "<=") or (
                op == "!=" and _incremented(loop.child_by_field_name("body"), T.text(left)))):
            # (`while trial != 6` counting up from 0 runs like `trial < 6`: round 17, gns3-server)
            init = f.binding(T.text(left), loop)
            start = _num(f, init[0]) if init else 0
            rounds = _geometric_rounds(f, loop, T.text(left), start, right, op)
            if rounds is not None:
                return rounds, [], "medium", T.text(left)
            value, pending, conf = f.count(right, offset=(1 if op == "<=" else 0) - (start or 0))
            return value, pending, conf, T.text(left)
        if left.type == "identifier" and op in (">", ">=") and _num(f, right) == 0 and (
                op == ">" or _decremented(loop.child_by_field_name("body"), T.text(left))):
            # a countdown: `while retries > 0` runs `retries` times; `while retries >= 0` once more
            init = f.binding(T.text(left), loop)
            if init is not None:
                value, pending, conf = f.count(init[0], offset=1 if op == ">=" else 0)
                return value, pending, conf, T.text(left)
            if f.param_named_by(left) is not None and _decremented(loop.child_by_field_name("body"), T.text(left)):
                # (round 19, libretime) `def wait_for_version(self, timeout=30): while timeout > 0: try: ...
                # except OSError: timeout -= 1; sleep(1)`: the parameter counts the tries down (its default,
                # published for the helper's callers)
                value, pending, conf = f.count(left, offset=1 if op == ">=" else 0)
                return value, pending, conf, T.text(left)
            return None, [], "low", T.text(left)
    if cond.type == "not_operator":
        # retry once: `retried = False; while not retried: try: ... except: sleep(30); retried = True`
        operand = unwrap(cond.child_by_field_name("argument"))
        body = loop.child_by_field_name("body")
        if operand is not None and operand.type == "identifier" and body is not None:
            name = T.text(operand)
            init = f.binding(name, loop)
            sets = [st for st in body.named_children if st.type == "expression_statement" and any(
                a.type == "assignment" and T.text(a.child_by_field_name("left")) == name
                and T.text(a.child_by_field_name("right")) == "True" for a in st.named_children)]
            if init is not None and T.text(init[0]) == "False" and sets:
                return 2, [], "high", name
        found = _top_guard(f, loop)
        if found is not None:
            return found  # `while not done: tries += 1; if tries > 10: raise ...` (round 19)
        return None, [], "low", ""
    if cond.type == "identifier":
        # `while retrying:` goes round until a success clears the flag (`retrying = False` in a try's
        # body); `while lock_acquired:` / `while running:` re-set from elsewhere is a worker's loop
        name = T.text(cond)
        # (or right after the try, in the loop's body: `if resp.status_code == 200: keep_trying = False`)
        cleared = any(_sets_done_flag(loop, t.child_by_field_name("body"), t) for t in _tries_in(loop))
        if cleared:
            # `while notDeleted: num_times += 1; if num_times > 10: raise ...` (round 19, external-domain-broker)
            found = _top_guard(f, loop)
            if found is not None:
                return found
        return (None, [], "low", "") if cleared else (False, [], "low", "")
    return False, [], "low", ""


def _augmented(body: Node | None, name: str, operator: str) -> bool:
    return body is not None and any(
        n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == name
        and T.text(n.child_by_field_name("operator")) == operator for n in T.walk(body))


def _incremented(body: Node | None, name: str) -> bool:
    return _augmented(body, name, "+=")


def _counted_up(body: Node | None, name: str) -> bool:
    """`retry += 1` or `retry = retry + 1` in the body."""
    if _incremented(body, name):
        return True
    for n in T.walk(body) if body is not None else ():
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name:
            right = unwrap(n.child_by_field_name("right"))
            if right is not None and right.type == "binary_operator" and \
                    T.text(right.child_by_field_name("operator")) == "+" and \
                    T.text(right.child_by_field_name("left")) == name and right.child_by_field_name("right").type == "integer":
                return True
    return False


def _assigned_in(body: Node | None, name: str) -> bool:
    """The body binds ``name`` afresh each round from something else (`status_code =
    response.status_code`), never from itself (`attempt = attempt + 1` is a counter)."""
    if body is None:
        return False
    for n in T.walk(body):
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name:
            right = n.child_by_field_name("right")
            if right is not None and not any(
                    x.type == "identifier" and T.text(x) == name and not (
                        x.parent is not None and x.parent.type == "attribute"
                        and x.parent.child_by_field_name("attribute") == x) for x in T.walk(right)):
                return True
    return False


def _decremented(body: Node | None, name: str) -> bool:
    """``tries -= 1``, or ``tries = 0 if fatal else tries - 1``."""
    if body is None:
        return False
    if _augmented(body, name, "-="):
        return True
    for n in T.walk(body):
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name:
            right = n.child_by_field_name("right")
            if right is not None and any(
                    x.type == "binary_operator" and T.text(x.child_by_field_name("operator")) == "-"
                    and T.text(x.child_by_field_name("left")) == name for x in T.walk(right)):
                return True
    return False
    for n in T.walk(body):
        if n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == name \
                and T.text(n.child_by_field_name("operator")) == "-=":
            return True
        if n.type == "assignment" and T.text(n.child_by_field_name("left")) == name:
            right = n.child_by_field_name("right")
            if right is not None and any(
                    x.type == "binary_operator" and T.text(x.child_by_field_name("operator")) == "-"
                    and T.text(x.child_by_field_name("left")) == name for x in T.walk(right)):
                return True
    return False


# a stop event's wait between rounds (threading.Event): `self._stop_schema_reader.wait(timeout=N)`
_STOP_EVENT = re.compile(r"(stop|shutdown|exit|quit|closing|closed|terminat|cancel)\w*$", re.I)


def _loop_backoff(f: PyFile, loop: Node) -> str:
    body = loop.child_by_field_name("body")
    counters = set()
    if loop.type == "for_statement":
        left = loop.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            counters.add(T.text(left))
    for m in T.walk(body):
        if m.type == "augmented_assignment" and T.text(m.child_by_field_name("operator")) == "+=":
            counters.add(T.text(m.child_by_field_name("left")))
    for n in T.walk(body):
        if n.type != "call":
            continue
        c = f.call_of(n)
        if c is not None and c.name == "wait" and _STOP_EVENT.search(c.receiver or "") and (
                "timeout" in c.kwargs or len(c.args) == 1):
            return "fixed"  # `self._stop.wait(timeout=5)`: a pause a shutdown cuts short (round 18, karapace)
        if c is None or (c.qualified not in SLEEPS and not c.qualified.endswith(".sleep")):
            continue
        if not c.args:
            return "fixed"
        text_ = c.args[0].text
        value = f.expr(c.args[0].node)
        rendered = repr(value) + " " + text_
        if "**" in rendered or "'**'" in rendered or "pow(" in text_ or "<<" in text_:
            return "exponential"
        if "random" in rendered or "uniform" in rendered or "jitter" in rendered:
            return "random"
        if any(re.search(rf"\b{re.escape(v)}\b", text_) for v in counters if v and v != "_"):
            return "linear"
        ident = unwrap(c.args[0].node)
        if ident is not None and ident.type == "identifier":
            name = T.text(ident)
            for m in T.walk(body):
                if m.type == "augmented_assignment" and T.text(m.child_by_field_name("left")) == name:
                    op = T.text(m.child_by_field_name("operator"))
                    return "exponential" if op in ("*=", "**=", "<<=") else "linear"
                if m.type == "assignment" and T.text(m.child_by_field_name("left")) == name:
                    rhs = T.text(m.child_by_field_name("right"))
                    if "*" in rhs and name in rhs:
                        return "exponential"
        return "fixed"
    return "none"


# ---------------------------------------------------------------------- retry in an except handler
def _except_retries(f: PyFile, result: RetryResult) -> None:
    covered = [s.node for s in result.scopes]
    for t in f.tries:
        if any(s.start_byte <= t.start_byte and t.end_byte <= s.end_byte for s in covered):
            continue
        body = t.child_by_field_name("body")
        outbound = outbound_map(f)
        # the operation the `try` attempts: its first call of a client (later ones are bookkeeping of
        # the outcome: a rate-limit key set when the response is bad, a rollback)
        first = next((c for c in _calls_in(f, body) if c.receiver and not NOT_SINKS.match(c.qualified)
                      and "(" not in c.callee and not TELEMETRY.search(c.receiver)
                      and not _CLEANUP.search(c.name or "")
                      and (c.node.id in outbound or CLIENTISH.search(c.receiver.rsplit(".", 1)[-1]))), None)
        if first is None:
            continue
        for clause in (c for c in t.named_children if c.type == "except_clause"):
            block = next((c for c in clause.named_children if c.type == "block"), None)
            # the handler makes that call again, with (mostly) the same arguments: a second attempt,
            # not a repair followed by another query (`ALTER TABLE ...; session.query(other)`)
            again = [c for c in _calls_in(f, block) if c.callee == first.callee and _same_request(c, first)]
            if not again or not TRANSIENT.search(_except_types_of(clause)):
                continue
            target, pending = target_within(f, first.node)
            value_types = _except_types_of(clause)
            finding = f.finding("retry", t, "python.retry_loop",
                                _attrs(2, "none", value_types, "loop", None), "medium", target, pending)
            result.findings.append(finding)
            result.scopes.append(RetryScope(block, finding.line, "loop", "loop", finding,
                                            [a.node for a in again]))
            break


def _repeated_before_try(f: PyFile, result: RetryResult) -> None:
    """(round 20, pr-agent's get_rate_limit_status) `response = requests.get(URL, headers=H)` then `try: data =
    response.json(); response.raise_for_status() except: time.sleep(0.1); response = requests.get(URL, headers=H)`:
    the request made just before the `try` (its result read in the try) is made once more, with the same
    arguments, by a handler: 2 attempts, at the repeated call."""
    seen = {x.line for x in result.findings}
    outbound = outbound_map(f)
    for t in f.tries:
        before = t.prev_named_sibling
        while before is not None and before.type == "comment":
            before = before.prev_named_sibling
        a = before.named_children[0] if before is not None and before.type == "expression_statement" and \
            before.named_children else None
        if a is None or a.type != "assignment" or a.child_by_field_name("left") is None or \
                a.child_by_field_name("left").type != "identifier":
            continue
        name = T.text(a.child_by_field_name("left"))
        first = f.call_of(unwrap(a.child_by_field_name("right")))
        if first is None or first.node.id not in outbound:
            continue
        body = t.child_by_field_name("body")
        if body is None or not any(n.type == "identifier" and T.text(n) == name for n in T.walk(body)):
            continue
        for clause in (c for c in t.named_children if c.type == "except_clause"):
            block = next((c for c in clause.named_children if c.type == "block"), None)
            again = [c for c in _calls_in(f, block) if c.callee == first.callee and _same_request(c, first)
                     and [x.text for x in c.args] == [x.text for x in first.args]]
            if not again or T.location(again[0].node)[0] in seen:
                continue
            target, pending = target_within(f, first.node)
            finding = f.finding("retry", again[0].node, "python.retry_loop", _attrs(
                2, "fixed" if any(c.qualified in SLEEPS for c in _calls_in(f, block)) else "none",
                _except_types_of(clause) or None, "call", None), "medium", target, pending)
            result.findings.append(finding)
            seen.add(finding.line)
            break


def _recheck_retries(f: PyFile, result: RetryResult) -> None:
    """A call made once more when its result says so (round 12, fx-private-relay): `data = fetch(account)`
    then `if "refreshed" in data.keys(): account.refresh_from_db(); data = fetch(account)` (the same callee
    with the same arguments, assigned to the same name, in the branch testing that result): 2 attempts, at
    the first call."""
    seen = {x.line for x in result.findings}
    for node in f.ifs:
        if node.type != "if_statement":
            continue
        prev = node.prev_named_sibling
        while prev is not None and prev.type == "comment":
            prev = prev.prev_named_sibling
        a = next((x for x in prev.named_children if x.type == "assignment"), None) \
            if prev is not None and prev.type == "expression_statement" else None
        left = a.child_by_field_name("left") if a is not None else None
        if left is None or left.type != "identifier":
            continue
        value = unwrap(a.child_by_field_name("right"))
        if value is not None and value.type == "await":
            value = unwrap(value.named_children[0]) if value.named_children else None
        first = f.call_of(value)
        cond, consequence = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
        if first is None or cond is None or consequence is None or NOT_SINKS.match(first.qualified) or \
                TELEMETRY.search(first.receiver or "") or "(" in first.callee or first.name in ("get", "pop"):
            continue
        name = T.text(left)
        if not any(n.type == "identifier" and T.text(n) == name for n in T.walk(cond)):
            continue
        if any(c is not None and c.name in _ORM_READS and (c.receiver or "").startswith(name + ".")
               for c in (f.call_of(n) for n in T.walk(cond) if n.type == "call")):
            # (round 22, librephotos) `if album_thing.photos.filter(image_hash=h).count() == 0: album_thing =
            # get_album_thing(...)`: the branch queries the database through the result, not its reply
            continue
        if not (first.node.id in outbound_map(f) or (first.receiver and CLIENTISH.search(first.receiver))
                or _project_callable(f, first)):
            continue  # a library's function (os.path.join, urlparse, get_object_or_404) or a model's method
        used = {T.text(x) for a in [*first.args, *first.kwargs.values()] for x in T.walk(a.node)
                if x.type == "identifier"}
        again = False
        for n in _own_descendants(consequence, ("function_definition", "class_definition", "lambda")):
            if n.type == "assignment":
                target = n.child_by_field_name("left")
                base = target
                while base is not None and base.type in ("attribute", "subscript"):
                    base = base.child_by_field_name("object") or base.child_by_field_name("value")
                if base is not None and T.text(base) in used and T.text(target) != name:
                    break  # an argument given a new value first: another request (`filename = ...; join(f, filename)`)
            if n.type != "assignment" or T.text(n.child_by_field_name("left") or n) != name:
                continue
            other = unwrap(n.child_by_field_name("right"))
            if other is not None and other.type == "await":
                other = unwrap(other.named_children[0]) if other.named_children else None
            second = f.call_of(other)
            if second is not None and second.callee == first.callee and \
                    [x.text for x in second.args] == [x.text for x in first.args] and \
                    {k: v.text for k, v in second.kwargs.items()} == {k: v.text for k, v in first.kwargs.items()}:
                again = True
                break
        if not again or T.location(first.node)[0] in seen:
            continue
        target, pending = target_within(f, first.node)
        finding = f.finding("retry", first.node, "python.retry_loop", _attrs(2, "none", None, "call", None),
                            "medium", target, pending)
        result.findings.append(finding)
        result.scopes.append(RetryScope(node, finding.line, "loop", "call", finding))


# what tells a handler or branch it is an authentication or rate-limit failure (a status, an error's words)
_AUTH_FAILURE = re.compile(r"\b(401|403|429)\b|unauthori[sz]ed|forbidden|expired|re-?auth|too.?many|rate.?limit", re.I)
# what renews the credentials or waits out the limit before the call is made again
_RENEWS = re.compile(r"refresh|re_?auth|re_?login|login|authenticate|token|credential|setup_client|"
                     r"_client$|connect|handle_429|retry_after|sleep", re.I)


def _reauth_retries(f: PyFile, result: RetryResult) -> None:
    """(round 20, docsgpt, openstates) A call made once more after renewing credentials or waiting out a rate
    limit: in an `except` handler of the try making it (`except HTTPError as e: if e.response.status_code in
    (401, 403): self.access_token = self.auth.refresh(...); return func(self, *args, **kwargs)`, also a
    decorator's `func` and a re-created client: `self._client = None; self._setup_client()`), or in a branch
    testing the response's status after it (`if resp.status_code == 429: self.handle_429(resp); return
    method(self, *args)`). 2 attempts, at the repeated call (the re-authenticate-and-send-again convention).
    Not: a handler calling something else, one without a renewal or without an auth / rate-limit signal."""
    seen = {x.line for x in result.findings}
    covered = [s.node for s in result.scopes]
    for t in f.tries:
        if any(c.start_byte <= t.start_byte and t.end_byte <= c.end_byte for c in covered):
            continue
        first = next((c for c in _calls_in(f, t.child_by_field_name("body")) if _attempted_operation(f, c)), None)
        if first is None:
            continue
        for clause in (c for c in t.named_children if c.type == "except_clause"):
            block = next((c for c in clause.named_children if c.type == "block"), None)
            if block is None:
                continue
            again = _renewed_again(f, block, first, _AUTH_FAILURE.search(_except_types_of(clause)) is not None)
            if again is not None and T.location(again.node)[0] not in seen:
                _add_reauth(f, result, again, first, block)
                seen.add(T.location(again.node)[0])
                break
    for node in f.ifs:
        cond = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if cond is None or consequence is None or not _AUTH_FAILURE.search(T.text(cond)) or \
                not _STATUS_TEST.search(T.text(cond)):
            continue
        fn = f.enclosing_function(node)
        if fn is None:
            continue
        earlier = [c for c in _calls_in(f, fn.child_by_field_name("body"))
                   if c.node.end_byte <= node.start_byte and _attempted_operation(f, c)]
        for first in earlier:
            again = _renewed_again(f, consequence, first, True)
            if again is not None and T.location(again.node)[0] not in seen:
                _add_reauth(f, result, again, first, consequence)
                seen.add(T.location(again.node)[0])
                break


def _attempted_operation(f: PyFile, c: PyCall) -> bool:
    """A call a handler may make again: a client's or this project's (`self._run_async_operation(...)`), or the
    function a decorator wraps (`func(self, *args, **kwargs)` with `func` a parameter of an enclosing function)."""
    if NOT_SINKS.match(c.qualified) or "(" in c.callee or TELEMETRY.search(c.receiver or c.callee) or \
            _CLEANUP.search(c.name or "") or _RENEWS.search(c.name or ""):
        return False
    if c.node.id in outbound_map(f) or (c.receiver and CLIENTISH.search(c.receiver.rsplit(".", 1)[-1])):
        return True
    if not c.receiver:
        fn = f.enclosing_function(c.node)
        while fn is not None:
            if c.callee in f.function_params(fn):
                return True
            fn = f.enclosing_function(fn)
    return c.receiver in ("self", "cls") and _project_callable(f, c)


def _renewed_again(f: PyFile, block: Node, first: PyCall, signalled: bool) -> PyCall | None:
    """The call of ``block`` making ``first`` again (same callee, same arguments) after a renewal (a call named
    for credentials or waiting, or a client reset to None), when the block (or its exception) says auth / rate."""
    calls = _calls_in(f, block)
    again = next((c for c in calls if c.callee == first.callee and c.node.id != first.node.id and
                  [a.text for a in c.args] == [a.text for a in first.args] and
                  {k: v.text for k, v in c.kwargs.items()} == {k: v.text for k, v in first.kwargs.items()}), None)
    if again is None or not _result_used(again.node):
        return None  # a setup call made again (`self._ensure_service()`) hands nothing back: no second attempt
    before = [c for c in calls if c.node.end_byte <= again.node.start_byte]
    renewed = any(_RENEWS.search(c.name or "") for c in before) or any(
        n.type == "assignment" and T.text(n.child_by_field_name("right") or n) == "None" and
        n.end_byte <= again.node.start_byte for n in T.walk(block))
    if not renewed:
        return None
    if not signalled:
        text = T.text(block)[: max(0, again.node.start_byte - block.start_byte)]
        if not _AUTH_FAILURE.search(text):
            return None
    return again


def _result_used(node: Node) -> bool:
    """The call's result is returned or bound (`return func(...)`, `result = await op(...)`, `op(...).json()`)."""
    parent = node.parent
    while parent is not None and parent.type in ("await", "attribute", "call", "parenthesized_expression"):
        parent = parent.parent
    return parent is not None and parent.type in ("return_statement", "assignment", "augmented_assignment")


def _renew_continue_loops(f: PyFile, result: RetryResult) -> None:
    """(round 22, jumpserver's IM SDKs) A counted loop that makes a call, renews the credentials and goes round
    again when the answer says they are no longer good, and returns the answer otherwise: `for i in range(3):
    self.add_token(kwargs); data = self.raw_request(method, url, **kwargs); if self.is_token_invalid(data):
    self.refresh_access_token(); continue; return data`. As many attempts as the range, at the loop line. Not:
    a loop whose branch renews nothing (pagination, skipping an item) or that never returns the answer."""
    seen = {x.line for x in result.findings}
    for loop in f.loops:
        if loop.type != "for_statement" or T.location(loop)[0] in seen:
            continue
        c = f.call_of(unwrap(loop.child_by_field_name("right")))
        if c is None or c.qualified != "range" or len(c.args) != 1:
            continue
        body = loop.child_by_field_name("body")
        stmts = body_statements(body)
        first = None
        for st in stmts:
            inner = st.named_children[0] if st.type == "expression_statement" and st.named_children else None
            value = unwrap(inner.child_by_field_name("right")) if inner is not None and inner.type == "assignment" \
                else None
            if value is not None and value.type == "await":
                value = unwrap(value.named_children[0]) if value.named_children else None
            call = f.call_of(value)
            if call is not None and _attempted_operation(f, call):
                first = (inner, call)
                break
        if first is None:
            continue
        name = T.text(first[0].child_by_field_name("left"))
        renews = False
        for st in stmts:
            if st.type != "if_statement" or st.start_byte < first[0].end_byte:
                continue
            cond, cons = st.child_by_field_name("condition"), st.child_by_field_name("consequence")
            if cond is None or cons is None or name not in {T.text(n) for n in T.walk(cond) if n.type == "identifier"}:
                continue
            kids = body_statements(cons)
            if kids and kids[-1].type == "continue_statement" and any(
                    _RENEWS.search(x.name or "") for x in _calls_in(f, cons)):
                renews = True
                break
        returns = any(st.type == "return_statement" and name in {T.text(n) for n in T.walk(st) if n.type == "identifier"}
                      for st in stmts)
        if not (renews and returns):
            continue
        value, pending, conf = f.count(c.args[0].node)
        target, tpending = target_within(f, first[1].node)
        finding = f.finding("retry", loop, "python.retry_loop", _attrs(value, "none", "auth", "loop", None),
                            "medium" if conf == "high" else conf, target, [*tpending, *pending])
        result.findings.append(finding)
        result.scopes.append(RetryScope(loop, finding.line, "loop", "loop", finding, [first[1].node]))


def _add_reauth(f: PyFile, result: RetryResult, again: PyCall, first: PyCall, block: Node) -> None:
    target, pending = target_within(f, first.node)
    finding = f.finding("retry", again.node, "python.retry_loop", _attrs(2, "none", "auth", "call", None),
                        "medium", target, pending)
    result.findings.append(finding)
    result.scopes.append(RetryScope(block, finding.line, "loop", "call", finding, [again.node]))


# ORM reads through a model object (Django's related managers and querysets)
_ORM_READS = frozenset({"filter", "exclude", "exists", "count", "all", "values_list", "aggregate"})


def _project_callable(f: PyFile, call: PyCall) -> bool:
    """A function or method of this project: defined in this file (`fetch(...)`, `self._api_call(...)`), or
    imported from a module of the file's own top-level package."""
    if call.receiver in ("self", "cls") or (not call.receiver and call.callee in {
            T.text(fn.child_by_field_name("name")) for fn in f.functions}):
        return True
    head = call.callee.split(".", 1)[0]
    module = f.imports.get(head, "")
    own = (f.module or "").split(".", 1)[0]
    return bool(module and own and module.split(".", 1)[0] == own)


# calls that close or undo (never the operation a handler attempts again)
_CLEANUP = re.compile(r"^(rollback|close|aclose|commit|flush|release|disconnect|shutdown|cancel|abort|discard|"
                      r"reset|clear|cleanup|remove|expunge|dispose)$", re.I)


def _same_request(again: PyCall, first: PyCall) -> bool:
    """`risk_api.score(new_id, cart, user)` after `risk_api.score(tx_id, cart, user)`: as many
    arguments, at least half of them the same text (a fresh id may change); `session.query(a, b)`
    after `session.query(exists())` is another query."""
    def texts(c: PyCall) -> list[str]:
        return [a.text for a in c.args] + [f"{k}={v.text}" for k, v in c.kwargs.items()]
    a, b = texts(again), texts(first)
    if len(a) != len(b):
        return False
    return not a or sum(x == y for x, y in zip(a, b)) * 2 >= len(a)


def _except_types_of(clause: Node) -> str:
    value = clause.child_by_field_name("value")
    if value is None:
        kids = [c for c in clause.named_children if c.type not in ("block", "comment")]
        value = kids[0] if kids else None
    if value is not None and value.type == "as_pattern":
        value = value.named_children[0] if value.named_children else None
    return _exceptions_text(value) or "Exception"


# ---------------------------------------------------------------------- recursion
# schedulers a function may hand itself to again (discord.py/pydis, asyncio, rq-scheduler, arq)
RESCHEDULERS = frozenset({"schedule_later", "schedule_at", "call_later", "call_at", "enqueue_in", "enqueue_at",
                          "enqueue_job_in", "run_later"})
RESCHEDULE_TOKENS = (b"schedule_later", b"schedule_at", b"call_later", b"call_at", b"enqueue_in", b"enqueue_at",
                     b"run_later")


def _rescheduled_retries(f: PyFile, result: RetryResult) -> None:
    """A function that, when its work failed, schedules itself again (`if not package:
    scheduler.schedule_later(delay, name, self.update_or_reschedule(...))`, `except ConnectionError:
    loop.call_later(5, self.connect)`): it retries forever (max_attempts null, fixed delay). Only in a
    failure branch: an `except` handler, or the body of `if not result` / `if result is None`; a
    function rescheduling itself unconditionally is periodic, not a retry."""
    for call in f.calls:
        if call.name not in RESCHEDULERS or not call.args:
            continue
        fn = f.enclosing_function(call.node)
        name = T.text(fn.child_by_field_name("name")) if fn is not None else None
        if not name or not any(_names_function(a.node, name) for a in call.args):
            continue
        if not _in_failure_branch(call.node, fn):
            continue
        target, pending = target_within(f, fn)
        finding = f.finding("retry", call.node, "python.retry_loop", _attrs(None, "fixed", None, "call", None),
                            "medium", target, pending)
        result.findings.append(finding)


TASK_SENDS = frozenset({"delay", "apply_async"})


# a stored record's count of failed tries (`page.failed_attempts`, `job.failure_count`)
_FAILURE_COUNT = re.compile(r"^\w+\.(failed_attempts|failure_count|failures|fail_count|num_failures)$")
_FAILURE_LIMIT = re.compile(r"(MAX|LIMIT)\w*(FAIL|RETR|ATTEMPT|TRIES)|(FAIL|RETR|ATTEMPT|TRIES)\w*(MAX|LIMIT)", re.I)


def _failure_budgets(f: PyFile, result: RetryResult) -> None:
    """(round 18, brozzler) A failure budget on a stored record: `page.failed_attempts = (page.failed_attempts or 0)
    + 1` then `if page.failed_attempts >= brozzler.MAX_PAGE_FAILURES: mark completed` (else it is handed back to
    be tried again later): as many attempts as the limit (one more for `>`), at the check."""
    seen = {x.line for x in result.findings}
    for n in f.ifs:
        cond = unwrap(n.child_by_field_name("condition"))
        if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2:
            continue
        ops = [T.text(x) for x in cond.children if not x.is_named]
        left, limit = (unwrap(c) for c in cond.named_children)
        if ops not in ([">="], [">"]) or left is None or limit is None or not _FAILURE_LIMIT.search(T.text(limit)) \
                or T.location(n)[0] in seen:
            continue
        block = n.parent
        if not _FAILURE_COUNT.match(T.text(left)):
            # (round 20, simplelogin's job runner) in the handler of a failed job: `job_attempts = job.attempts + 1`
            # then `if job_attempts >= config.JOB_MAX_ATTEMPTS: mark it failed` (else it is taken again)
            if left.type != "identifier" or block is None or block.parent is None or \
                    block.parent.type != "except_clause" or not _stored_attempts_plus_one(block, n, T.text(left)):
                continue
            value, pending, conf = f.count(limit, offset=1 if ops == [">"] else 0)
            result.findings.append(f.finding("retry", n, "python.retry_loop", _attrs(value, "none", None, "call", None),
                                             conf, None, pending))
            continue
        counted = any(s.start_byte < n.start_byte and s.type == "expression_statement" and any(
            (a.type == "augmented_assignment" and T.text(a.child_by_field_name("left")) == T.text(left)) or
            (a.type == "assignment" and T.text(a.child_by_field_name("left")) == T.text(left) and
             "+ 1" in T.text(a.child_by_field_name("right")) and T.text(left) in T.text(a.child_by_field_name("right")))
            for a in s.named_children) for s in (block.named_children if block is not None else ()))
        if not counted:
            continue
        value, pending, conf = f.count(limit, offset=1 if ops == [">"] else 0)
        finding = f.finding("retry", n, "python.retry_loop", _attrs(value, "none", None, "call", None), conf,
                            None, pending)
        result.findings.append(finding)


_STORED_ATTEMPTS = re.compile(r"^\w+(\.\w+)*\.(attempts|attempt_count|attempts_count|tries|try_count|retries|retry_count|"
                              r"failed_attempts|failure_count|failures|fail_count|num_failures)\s*\+\s*1$")


def _stored_attempts_plus_one(block: Node, before: Node, name: str) -> bool:
    """`name = job.attempts + 1` among the block's statements before ``before``."""
    for st in block.named_children:
        if st.start_byte >= before.start_byte:
            return False
        for a in (st.named_children if st.type == "expression_statement" else ()):
            if a.type == "assignment" and T.text(a.child_by_field_name("left")) == name and \
                    _STORED_ATTEMPTS.match(T.text(a.child_by_field_name("right")) or ""):
                return True
    return False


def _requeued_retries(f: PyFile, result: RetryResult) -> None:
    """A task that, when its call failed, queues itself again with its try counter counted up:
    `except RequestException: if try_count == max_retries: give_up() else: same_task.delay(args=(...,
    max_retries, try_count + 1))` (Celery's and Flagsmith's `.delay` / `.apply_async` on the task made
    from the enclosing function): `max_retries - start + 1` attempts, start being the counter's default.
    Also a send while the counter is below its bound (`if manual_retry_num < N: retry_num = manual_retry_num
    + 1; task.apply_async(..., kwargs={"manual_retry_num": retry_num})`): N - start + 1."""
    seen = {x.line for x in result.findings}
    for call in f.calls:
        if call.name not in TASK_SENDS or not call.receiver or "." in call.receiver:
            continue
        fn = f.enclosing_function(call.node)
        name = T.text(fn.child_by_field_name("name")) if fn is not None else None
        if name != call.receiver:
            continue
        params = f.function_params(fn)
        counter = next((T.text(x.child_by_field_name("left")) for x in T.walk(call.node)
                        if x.type == "binary_operator" and T.text(x.child_by_field_name("operator")) == "+"
                        and T.text(x.child_by_field_name("left")) in params and _num(f, x.child_by_field_name("right")) == 1
                        and RETRY_COUNTER.search(T.text(x.child_by_field_name("left")))), None)
        if counter is None:
            # `retry_num = manual_retry_num + 1` before the send, the local handed to it
            counter = _counted_local(f, fn, call.node, params)
        if counter is None and T.location(call.node)[0] not in seen:
            persisted = _persisted_counter(f, fn, call.node)
            if persisted is not None:
                # `if pending_cert.number_attempts > N: give up else: increment_attempt(pending_cert);
                # same_task.delay(id)`: a counter kept on a stored row, counted from 0 (a new row's)
                op, node = persisted
                value, pending, conf = f.count(node, offset=1 if op in ("==", ">=") else 2)
                target, tpending = target_within(f, fn)
                finding = f.finding("retry", call.node, "python.retry_loop", _attrs(
                    value, "none", None, "call", None), conf, target, [*tpending, *pending])
                result.findings.append(finding)
                result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))
            continue
        if T.location(call.node)[0] in seen:
            continue
        # `if manual_retry_num < EXECUTE_WEBHOOK_RETRIES: task.apply_async(..., manual_retry_num + 1)`:
        # the counter checked against its bound is the failure branch itself
        below = _below_bound(fn, call.node, counter)
        if below is None and not _in_failure_branch(call.node, fn):
            continue
        start = _num(f, params[counter]) if params.get(counter) is not None else None
        value: Any = None
        pending: list[Pending] = []
        conf = "medium"
        bound = _give_up_bound(f, fn, call.node, counter) or below
        extra: dict[str, Any] = {}
        if bound is not None and start is not None and float(start).is_integer():
            op, node = bound
            # give up at `== / >=` n (or requeue while `<` n): n - start requeues; `>` n (or `<=` n): one more
            offset = (1 if op in ("==", ">=", "<") else 2) - int(start)
            value, pending, conf = f.count(node, offset=offset)
            param = f.param_named_by(node)
            if param is not None:  # `max_retries` a parameter: the callers handing it one (wrappers)
                extra["attempts_expression"] = attempts_expression(param, offset)
        target, tpending = target_within(f, fn)
        finding = f.finding("retry", call.node, "python.retry_loop", _attrs(value, "exponential", None, "call", None,
                                                                            **extra),
                            conf, target, [*tpending, *pending])
        result.findings.append(finding)
        result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))


# the state a task found that makes it run again later (`if pop_result.was_locked:`)
_BUSY_STATE = re.compile(r"(lock|busy|fail|error|conflict|unavailable|not_ready|retry|contended)", re.I)


def _requeued_unchanged(f: PyFile, result: RetryResult) -> None:
    """(round 19, mquery) A task that, finding its resource busy or failing, queues itself again with the very
    arguments it got (`if pop_result.was_locked: agent.queue.enqueue(run_yara_batch, job_id, iterator,
    batch_size)` inside `def run_yara_batch(job_id, iterator, batch_size)`; RQ's `enqueue(fn, ...)`, Celery's
    `fn.delay(...)` / `fn.apply_async(args=...)`): a retry without a bound, at the send. Not a task queuing its
    next page or batch (an argument changed), nor one queuing itself unconditionally (a periodic job)."""
    seen = {x.line for x in result.findings}
    for call in f.calls:
        fn = f.enclosing_function(call.node)
        if fn is None or T.location(call.node)[0] in seen:
            continue
        name = T.text(fn.child_by_field_name("name"))
        if call.name == "enqueue" and call.args and T.text(unwrap(call.args[0].node)) == name:
            args = call.args[1:]
        elif call.name == "delay" and call.receiver == name:
            args = call.args
        else:
            continue
        params = [p for p in f.function_params(fn) if p not in ("self", "cls")]
        given = [T.text(unwrap(a.node)) for a in args] + [k for k, v in call.kwargs.items()
                                                          if T.text(unwrap(v.node)) == k and k in params]
        others = [k for k, v in call.kwargs.items() if k in params and T.text(unwrap(v.node)) != k]
        if not params or others or given[:len(args)] != params[:len(args)] or set(given) != set(params):
            continue
        if not _busy_branch(call.node, fn):
            continue
        target, tpending = target_within(f, fn)
        finding = f.finding("retry", call.node, "python.retry_loop", _attrs(None, "none", None, "call", None),
                            "medium", target, list(tpending))
        result.findings.append(finding)
        result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))


def _busy_branch(node: Node, fn: Node) -> bool:
    """In an `except` clause, or in the body of an `if` whose condition names a busy or failed state."""
    child, parent = node, node.parent
    while parent is not None and parent.id != fn.id:
        if parent.type == "except_clause":
            return True
        if parent.type == "if_statement" and child.id == (parent.child_by_field_name("consequence") or parent).id:
            cond = parent.child_by_field_name("condition")
            if cond is not None and _BUSY_STATE.search(T.text(cond)):
                return True
        child, parent = parent, parent.parent
    return False


def _persisted_counter(f: PyFile, fn: Node, call: Node):
    """('==' / '>=' / '>', bound node) when the send sits in the `else` of an `if` giving up once an
    attempts attribute of a stored object reaches its bound (`if pending_cert.number_attempts >
    ACME_ADDITIONAL_ATTEMPTS:`) and that branch counts the attribute up before requeueing
    (`pending_cert.number_attempts += 1`, or a call handing the object to an `increment...` function)."""
    anc = call.parent
    while anc is not None and anc.id != fn.id:
        if anc.type == "else_clause" and anc.parent is not None and anc.parent.type == "if_statement":
            cond = anc.parent.child_by_field_name("condition")
            for c in (x for x in T.walk(cond) if x.type == "comparison_operator") if cond is not None else ():
                if len(c.named_children) != 2:
                    continue
                left, right = c.named_children
                op = next((T.text(x) for x in c.children if not x.is_named), "")
                if left.type != "attribute" or op not in ("==", ">=", ">"):
                    continue
                attr = T.text(left.child_by_field_name("attribute"))
                owner = T.text(left.child_by_field_name("object"))
                if not RETRY_COUNTER.search(attr):
                    continue
                for n in T.walk(anc):
                    if n.start_byte >= call.start_byte:
                        break
                    if n.type == "augmented_assignment" and T.text(n.child_by_field_name("left")) == T.text(left):
                        return op, right
                    if n.type == "call":
                        counted = f.call_of(n)
                        arguments = n.child_by_field_name("arguments")
                        if counted is not None and "increment" in counted.name.lower() and arguments is not None \
                                and any(T.text(a) == owner for a in arguments.named_children):
                            return op, right
        anc = anc.parent
    return None


def _counted_local(f: PyFile, fn: Node, call: Node, params: dict) -> str | None:
    """The retry counter parameter behind a local counted up before the send (`retry_num =
    manual_retry_num + 1`) that the send hands on (`kwargs={"manual_retry_num": retry_num}`)."""
    handed = {T.text(x) for x in T.walk(call) if x.type == "identifier"}
    for node in T.walk(fn):
        if node.type != "assignment" or node.start_byte > call.start_byte:
            continue
        left, right = node.child_by_field_name("left"), unwrap(node.child_by_field_name("right"))
        if left is None or right is None or left.type != "identifier" or T.text(left) not in handed:
            continue
        if right.type == "binary_operator" and T.text(right.child_by_field_name("operator")) == "+" and \
                _num(f, right.child_by_field_name("right")) == 1:
            base = T.text(right.child_by_field_name("left"))
            if base in params and RETRY_COUNTER.search(base):
                return base
    return None


def _below_bound(fn: Node, call: Node, counter: str):
    """('<' / '<=', bound node) of an `if counter < bound:` whose body holds the send (the requeue
    happens while the counter is below its bound)."""
    child, anc = call, call.parent
    while anc is not None and anc.id != fn.id:
        if anc.type == "block" and anc.parent is not None and anc.parent.type == "if_statement" and \
                anc.parent.child_by_field_name("consequence") is not None and \
                anc.parent.child_by_field_name("consequence").id == anc.id:
            cond = unwrap(anc.parent.child_by_field_name("condition"))
            if cond is not None and cond.type == "comparison_operator" and len(cond.named_children) == 2:
                left, right = cond.named_children
                op = next((T.text(x) for x in cond.children if not x.is_named), "")
                if left.type == "identifier" and T.text(left) == counter and op in ("<", "<="):
                    return op, right
        child, anc = anc, anc.parent
    return None


def _give_up_bound(f: PyFile, fn: Node, call: Node, counter: str):
    """('==' / '>=' / '>', bound node) of the `if` whose other branch gives up: the call sits in its
    `else` (`if try_count == max_retries or ...: give up else: requeue`)."""
    child, anc = call, call.parent
    while anc is not None and anc.id != fn.id:
        if anc.type == "else_clause" and anc.parent is not None and anc.parent.type == "if_statement":
            cond = anc.parent.child_by_field_name("condition")
            for c in (x for x in T.walk(cond) if x.type == "comparison_operator") if cond is not None else ():
                if len(c.named_children) != 2:
                    continue
                left, right = c.named_children
                op = next((T.text(x) for x in c.children if not x.is_named), "")
                if left.type == "identifier" and T.text(left) == counter and op in ("==", ">=", ">"):
                    return op, right
        child, anc = anc, anc.parent
    return None


def _names_function(node: Node | None, name: str) -> bool:
    """`self.update(...)`, `update(...)`, `self.connect`, `connect`: the argument is (a call of) `name`."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "call":
        node = node.child_by_field_name("function")
    text = T.text(node) if node is not None else ""
    return text == name or text in (f"self.{name}", f"cls.{name}")


def _in_failure_branch(node: Node, fn: Node) -> bool:
    child, parent = node, node.parent
    while parent is not None and parent.id != fn.id:
        if parent.type == "except_clause":
            return True
        if parent.type == "if_statement" and child.id == (parent.child_by_field_name("consequence") or parent).id:
            cond = unwrap(parent.child_by_field_name("condition"))
            text = T.text(cond).replace(" ", "") if cond is not None else ""
            if (cond is not None and cond.type == "not_operator") or text.endswith("isNone"):
                return True
        child, parent = parent, parent.parent
    return False


def _recursive_retries(f: PyFile, result: RetryResult) -> None:
    """A function that calls itself again from its own `except` handler while a counter lasts:
    `except TemporaryError: if count > 0: count -= 1; return wrapper(*args, count=count)` (or
    `return fetch(url, retries - 1)`). The counter's start (a parameter default, `kwargs.pop("count",
    retries)`) bounds the retries: start + 1 attempts. Reported at the recursive call."""
    for fn in f.functions:
        name_node = fn.child_by_field_name("name")
        body = fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        name = T.text(name_node)
        for t in (n for n in T.walk(body) if n.type == "try_statement"):
            owner = f.enclosing_function(t)
            if owner is None or owner.id != fn.id:
                continue
            for h in (c for c in t.named_children if c.type == "except_clause"):
                found = _recursive_call(f, fn, name, h)
                if found is None:
                    continue
                call_node, counter = found
                init = _counter_start(f, fn, counter, t)
                value, pending, conf = f.count(init, offset=1) if init is not None else (None, [], "low")
                if init is not None and T.text(unwrap(init) or init).strip() in ("-1",):
                    value, pending = None, []
                target, tpending = target_within(f, t.child_by_field_name("body"))
                backoff = "none"
                if any(n.type == "call" and T.text(n.child_by_field_name("function")).endswith("sleep")
                       for n in T.walk(h)):
                    backoff = "fixed"
                extra = {}
                param = f.param_named_by(init) if init is not None else None
                if param is None and init is not None and init.parent is not None and \
                        init.parent.type in ("default_parameter", "typed_default_parameter"):
                    param = counter  # `def fetch(url, retries=3)`: the counter is the parameter itself
                if param is not None:  # a decorator factory's `retries`: published for its callers
                    extra["attempts_expression"] = attempts_expression(param, 1)
                finding = f.finding("retry", call_node, "python.retry_loop", _attrs(
                    value, backoff, _except_types(t) or None, "call", None, **extra), conf, target,
                    [*tpending, *pending])
                result.findings.append(finding)
                result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))
                break


def _countdown_branch_recursions(f: PyFile, result: RetryResult) -> None:
    """A function that calls itself again, outside any `except`, under `if retries:` / `elif retries > 0:`
    with its retry-named parameter counted down (`elif retries: time.sleep(1); return call_api(url,
    retries - 1)` after a bad status): the parameter's default + 1 attempts, at the recursive call,
    published for the callers that pass or leave out the parameter (round 16, bodhi's call_api)."""
    seen = {x.line for x in result.findings}
    for fn in f.functions:
        name_node, body = fn.child_by_field_name("name"), fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        name = T.text(name_node)
        params = list(f.function_params(fn).items())
        # a counter without a default (round 20, simplelogin's `_send_to_smtp(self, req, retries)`) bounds the
        # retries its callers hand it: published as a forwarder, the contract is at each call passing a value
        counters = {p: d for p, d in params if RETRY_COUNTER.search(p)}
        if not counters:
            continue
        offset = 1 if params and params[0][0] in ("self", "cls") else 0
        for n in _own_descendants(body):
            if n.type != "call" or T.text(n.child_by_field_name("function")) not in (name, f"self.{name}", f"cls.{name}"):
                continue
            c = f.call_of(n)
            if c is None or f.enclosing_function(n) is None or f.enclosing_function(n).id != fn.id:
                continue
            counter = None
            for index, (p, _) in enumerate(params):
                if p not in counters:
                    continue
                given = c.kwargs.get(p)
                if given is None and len(c.args) > index - offset >= 0:
                    given = c.args[index - offset]
                g = unwrap(given.node) if given is not None else None
                if g is not None and g.type == "binary_operator" and T.text(g.child_by_field_name("operator")) == "-" \
                        and T.text(g.child_by_field_name("left")) == p and _num(f, g.child_by_field_name("right")) == 1:
                    counter = p
                    break
            if counter is None:
                continue
            guarded, inside_except, up = False, False, n.parent
            while up is not None and up.id != fn.id:
                if up.type == "except_clause":
                    inside_except = True
                if up.type in ("if_statement", "elif_clause") and not guarded:
                    cons = up.child_by_field_name("consequence")
                    cond = unwrap(up.child_by_field_name("condition"))
                    if cons is not None and cons.start_byte <= n.start_byte < cons.end_byte and cond is not None:
                        if cond.type == "identifier" and T.text(cond) == counter:
                            guarded = True
                        elif cond.type == "comparison_operator" and len(cond.named_children) == 2:
                            left, right = cond.named_children
                            op = next((T.text(x) for x in cond.children if not x.is_named), "")
                            guarded = left.type == "identifier" and T.text(left) == counter and (
                                (op == ">" and _num(f, right) == 0) or (op == ">=" and _num(f, right) == 1))
                up = up.parent
            if not guarded or inside_except or T.location(n)[0] in seen:
                continue
            init = counters[counter]
            value, pending, conf = f.count(init, offset=1) if init is not None else (None, [], "low")
            backoff = "fixed" if any(x.qualified in SLEEPS or x.qualified.endswith(".sleep")
                                     for x in _calls_in(f, fn)) else "none"
            target, tpending = target_within(f, fn)
            finding = f.finding("retry", n, "python.retry_loop", _attrs(
                value, backoff, None, "call", None, attempts_expression=attempts_expression(counter, 1)),
                conf, target, [*tpending, *pending])
            result.findings.append(finding)
            result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))
            seen.add(finding.line)
            break


def _flag_recursions(f: PyFile, result: RetryResult) -> None:
    """A function that calls itself once more with its retry flag turned off: `def _call(self, method,
    retry=True): ... if result["error"]: if retry: self._refresh(); return self._call(method, False)`:
    2 attempts, at the recursive call. The flag must be a parameter named for retrying (or `reconnect`, round 18:
    intelmq's AMQP re-send) defaulting to True, tested by the `if` around the call (alone or as one operand of
    `and`), and handed False at its position or keyword."""
    seen = {(x.line, x.kind) for x in result.findings}
    for fn in f.functions:
        name_node, body = fn.child_by_field_name("name"), fn.child_by_field_name("body")
        if name_node is None or body is None:
            continue
        name = T.text(name_node)
        params = list(f.function_params(fn).items())
        flags = [(i, p) for i, (p, d) in enumerate(params) if d is not None and T.text(d) == "True"
                 and (RETRY_COUNTER.search(p) or RETRY_FLAG.search(p))]
        if not flags:
            continue
        for n in T.walk(body):
            if n.type != "call" or T.text(n.child_by_field_name("function")) not in (name, f"self.{name}"):
                continue
            owner = f.enclosing_function(n)
            c = f.call_of(n)
            if owner is None or owner.id != fn.id or c is None:
                continue
            offset = 1 if params and params[0][0] in ("self", "cls") and c.callee.startswith(("self.", "cls.")) else 0
            for index, flag in flags:
                given = c.kwargs.get(flag)
                if given is None and len(c.args) > index - offset >= 0:
                    given = c.args[index - offset]
                if given is None or T.text(given.node) != "False":
                    continue
                guarded, up = False, n.parent
                while up is not None and up.id != fn.id:
                    if up.type == "if_statement" and _tests_flag(up.child_by_field_name("condition"), flag):
                        guarded = True
                        break
                    up = up.parent
                if not guarded or (f.statement_line(n), "retry") in seen:
                    continue
                target, tpending = target_within(f, fn)
                finding = f.finding("retry", n, "python.retry_loop", _attrs(2, "none", None, "call", None), "high",
                                    target, tpending)
                result.findings.append(finding)
                result.scopes.append(RetryScope(fn, finding.line, "loop", "call", finding))
                seen.add((finding.line, "retry"))
                break


# a flag a function calls itself again with False after reconnecting (`def _send(self, msg, reconnect=True)`)
RETRY_FLAG = re.compile(r"^(reconnect|resend|reauth|relogin|refresh_token|can_reconnect)$", re.I)


def _tests_flag(condition: Node | None, flag: str) -> bool:
    """`if retry:` or `if reconnect and isinstance(exc, ConnectionClosed):` (the flag one operand of `and`)."""
    cond = unwrap(condition)
    if cond is None:
        return False
    if T.text(cond) == flag:
        return True
    if cond.type == "boolean_operator" and T.text(cond.child_by_field_name("operator")) == "and":
        return _tests_flag(cond.child_by_field_name("left"), flag) or _tests_flag(cond.child_by_field_name("right"), flag)
    return False


# a counter a function hands its next attempt (`retry_count + 1`): named for retrying
RETRY_COUNTER = re.compile(r"retr|attempt|tries|tried|try_count|try_num|try_n\b|_try$", re.I)  # `re_poll_try` (round 22, intelowl)


def _counted_recursions(f: PyFile, result: RetryResult) -> None:
    """A function that calls itself (or a helper of the same class calls it back) with its retry
    counter counted up while a bound allows: `def reply(self, q, retry_count=0): ... need_retry =
    retry_count < 2 ... if need_retry: return self.reply(q, retry_count + 1)` (3 attempts), `if
    retry_count >= 2: give up` at the top of the function called again (2), `_handle_error(e, q,
    retry_count)` calling `self.reply(q, retry_count + 1)` (the bound is read where the call is). One
    finding per function making such calls, at its first one (one budget shared by its recursive calls: the
    chatgpt-on-wechat and robodanny convention); the counter must be named for retrying
    (`retry_count`, `attempt`, `tries`), so a tree walk's `depth + 1` is none."""
    seen = {x.line for x in result.findings}
    for fn in f.functions:
        body = fn.child_by_field_name("body")
        params = f.function_params(fn)
        counters = [p for p in params if RETRY_COUNTER.search(p)]
        if body is None or not counters:
            continue
        for n in _own_descendants(body):
            if n.type != "call":
                continue
            found = _counted_call(f, fn, n, counters)
            if found is None:
                continue
            callee, counter = found
            start_node = f.function_params(callee).get(counter)
            start = _num(f, start_node) if start_node is not None else None
            if start is None or not float(start).is_integer():
                continue
            bound = _recursion_bound(f, fn, callee, n, counter, int(start))
            if bound is None:
                continue
            value, pending, conf = bound
            line_node = n
            if T.location(line_node)[0] in seen:
                break
            backoff = "fixed" if any(c.qualified in SLEEPS or c.qualified.endswith(".sleep")
                                     for c in _calls_in(f, fn)) else "none"
            target, tpending = target_within(f, callee)
            finding = f.finding("retry", line_node, "python.retry_loop", _attrs(
                value, backoff, None, "call", None), conf, target, [*tpending, *pending])
            result.findings.append(finding)
            result.scopes.append(RetryScope(callee, finding.line, "loop", "call", finding))
            seen.add(finding.line)
            break


def _counted_call(f: PyFile, fn: Node, call: Node, counters: list[str]) -> tuple[Node, str] | None:
    """(the function called again, the counter) when ``call`` calls a function of this file (or
    ``self.``/``cls.`` a method of the enclosing class) handing it ``counter + 1``."""
    func = call.child_by_field_name("function")
    text = T.text(func) if func is not None else ""
    name = text.split(".", 1)[1] if text.startswith(("self.", "cls.")) else text
    if not name or "." in name:
        return None
    cls = f.enclosing_class(fn)
    candidates = [g for g in f.functions if T.text(g.child_by_field_name("name")) == name]
    if text.startswith(("self.", "cls.")):
        candidates = [g for g in candidates if cls is not None and f.enclosing_class(g) is not None
                      and f.enclosing_class(g).id == cls.id]
    else:
        # a module function, or (round 18, kitsune's build_chain_with_retry) a closure calling itself
        candidates = [g for g in candidates if (f.enclosing_function(g) is None and f.enclosing_class(g) is None)
                      or (g.id == fn.id and f.enclosing_function(g) is not None)]
    if len(candidates) != 1:
        return None
    args = call.child_by_field_name("arguments")
    for a in (args.named_children if args is not None else []):
        value = a.child_by_field_name("value") if a.type == "keyword_argument" else a
        value = unwrap(value)
        if value is None or value.type != "binary_operator" or T.text(value.child_by_field_name("operator")) != "+":
            continue
        left, right = value.child_by_field_name("left"), value.child_by_field_name("right")
        if left is not None and left.type == "identifier" and T.text(left) in counters and _num(f, right) == 1:
            counter = T.text(left)
            if counter in f.function_params(candidates[0]):
                return candidates[0], counter
    return None


def _recursion_bound(f: PyFile, fn: Node, callee: Node, call: Node, counter: str, start: int):
    """(attempts, pendings, confidence) of a counted recursion: the `if` guarding the call (`counter
    < N`, `counter <= N`, or a flag assigned such a comparison), else the called function's early
    give-up (`if counter > N: return`, `if counter >= N: return`)."""
    child, anc = call, call.parent
    first_block = True
    while anc is not None and anc.id != fn.id:
        if anc.type in ("if_statement", "elif_clause"):
            cons = anc.child_by_field_name("consequence")
            if cons is not None and cons.start_byte <= child.start_byte and child.end_byte <= cons.end_byte:
                found = _upper_bound(f, fn, anc.child_by_field_name("condition"), counter, call)
                if found is not None:
                    op, node = found
                    return f.count(node, offset=(2 if op == "<=" else 1) - start)
            alt = anc.child_by_field_name("alternative")
            cond = unwrap(anc.child_by_field_name("condition"))
            if alt is not None and alt.type == "else_clause" and alt.start_byte <= child.start_byte and \
                    child.end_byte <= alt.end_byte and cond is not None and cond.type == "comparison_operator" \
                    and len(cond.named_children) == 2:
                # `if try_n >= 8: give up  else: self.start(try_n + 1)`: the try that failed at the bound was
                # made, so N + 1 - start tries (`>`: one more; round 15, maubot)
                left, right = cond.named_children
                op = next((T.text(x) for x in cond.children if not x.is_named), "")
                if left.type == "identifier" and T.text(left) == counter and op in (">", ">="):
                    return f.count(right, offset=(2 if op == ">" else 1) - start)
        if anc.type == "block" and first_block and anc.parent is not None and anc.parent.type != "except_clause":
            # (round 22, intelowl) `if status_code == 404: if self.max_retries == re_poll_try: raise ...; return
            # self.__polling(key, re_poll_try=re_poll_try + 1)`: a give-up right before the re-call in the branch
            # that saw the failure comes after that try, as in a handler below: N + 1 - start tries
            for st in anc.named_children:
                if st.start_byte >= child.start_byte:
                    break
                cond = unwrap(st.child_by_field_name("condition")) if st.type == "if_statement" else None
                if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2 or \
                        not _exits(st.child_by_field_name("consequence"), ("return_statement", "raise_statement")):
                    continue
                left, right = cond.named_children
                op = next((T.text(x) for x in cond.children if not x.is_named), "")
                if right.type == "identifier" and T.text(right) == counter and left.type != "identifier" or (
                        right.type == "identifier" and T.text(right) == counter and T.text(left) != counter):
                    left, right, op = right, left, {"==": "==", "<=": ">=", "<": ">"}.get(op, "")
                if left.type == "identifier" and T.text(left) == counter and op in (">", ">=", "=="):
                    return f.count(right, offset=(2 if op == ">" else 1) - start)
        if anc.type == "block" and first_block and anc.parent is not None and anc.parent.type == "except_clause":
            # `except Timeout: if retry_count >= self.RETRY_LIMIT: return {}` then `return self.flush(retry_count
            # + 1)` in the handler's block: the give-up comes after the failed try, so N + 1 - start tries (`>`:
            # one more; round 19, timesketch's flush_queued_events). A give-up at the function's top comes before
            # the try: the callee's early give-up below.
            for st in anc.named_children:
                if st.start_byte >= child.start_byte:
                    break
                cond = unwrap(st.child_by_field_name("condition")) if st.type == "if_statement" else None
                if cond is None or cond.type != "comparison_operator" or len(cond.named_children) != 2 or \
                        not _exits(st.child_by_field_name("consequence"), ("return_statement", "raise_statement")):
                    continue
                left, right = cond.named_children
                op = next((T.text(x) for x in cond.children if not x.is_named), "")
                if left.type == "identifier" and T.text(left) == counter and op in (">", ">="):
                    return f.count(right, offset=(2 if op == ">" else 1) - start)
        if anc.type == "block":
            first_block = False
        child, anc = anc, anc.parent
    body = callee.child_by_field_name("body")
    for st in body_statements(body) if body is not None else []:
        if st.type != "if_statement" or not _exits(st.child_by_field_name("consequence"), ("return_statement",
                                                                                             "raise_statement")):
            continue
        cond = unwrap(st.child_by_field_name("condition"))
        if cond is not None and cond.type == "comparison_operator" and len(cond.named_children) == 2:
            left, right = cond.named_children
            op = next((T.text(x) for x in cond.children if not x.is_named), "")
            if left.type == "identifier" and T.text(left) == counter and op in (">", ">="):
                return f.count(right, offset=(1 if op == ">" else 0) - start)
    return None


def _upper_bound(f: PyFile, fn: Node, cond: Node | None, counter: str, before: Node, depth: int = 0):
    """('<' or '<=', bound node) of a condition that lets the counter go on: `counter < N`, `x and
    counter < N`, or a name assigned such a comparison earlier in the function (`need_retry =
    counter < 2`)."""
    cond = unwrap(cond)
    if cond is None:
        return None
    if cond.type == "identifier" and depth == 0:
        for target, value, stmt in reversed(f.scope_assignments(fn)):
            if target == T.text(cond) and stmt.start_byte < before.start_byte:
                found = _upper_bound(f, fn, value, counter, before, 1)
                if found is not None:
                    return found
        return None
    for c in [cond] + [x for x in T.walk(cond) if x.type == "comparison_operator"]:
        if c.type != "comparison_operator" or len(c.named_children) != 2:
            continue
        left, right = c.named_children
        op = next((T.text(x) for x in c.children if not x.is_named), "")
        if left.type == "identifier" and T.text(left) == counter and op in ("<", "<="):
            return op, right
    return None


def _recursive_call(f: PyFile, fn: Node, name: str, handler: Node) -> tuple[Node, str] | None:
    """(the call of `name` in the handler, the counter guarding it) when the handler calls the
    function again under `if counter > 0` / `if counter` with the counter counted down."""
    for n in T.walk(handler):
        if n.type != "call" or T.text(n.child_by_field_name("function")) not in (name, f"self.{name}"):
            continue
        owner = f.enclosing_function(n)
        if owner is None or owner.id != fn.id:
            continue
        up = n.parent
        while up is not None and up.id != handler.id:
            if up.type == "if_statement":
                cond = unwrap(up.child_by_field_name("condition"))
                counter = None
                if cond is not None and cond.type == "identifier":
                    counter = T.text(cond)
                elif cond is not None and cond.type == "comparison_operator" and len(cond.named_children) == 2:
                    left, right = cond.named_children
                    op = next((T.text(x) for x in cond.children if not x.is_named), "")
                    if left.type == "identifier" and ((op == ">" and _num(f, right) == 0) or
                                                      (op == ">=" and _num(f, right) == 1)):
                        counter = T.text(left)
                if counter and (_decremented(handler, counter) or any(
                        x.type == "binary_operator" and T.text(x.child_by_field_name("operator")) == "-"
                        and T.text(x.child_by_field_name("left")) == counter
                        for x in T.walk(n.child_by_field_name("arguments")))):
                    return n, counter
            up = up.parent
    return None


def _counter_start(f: PyFile, fn: Node, counter: str, before: Node) -> Node | None:
    """Where the counter starts: `count = kwargs.pop("count", retries)` (the default), `count = 3`,
    or the function's own parameter default (`def fetch(url, retries=3)`)."""
    found = f.binding(counter, before)
    if found is not None and found[1].id == fn.id:
        value = unwrap(found[0])
        c = f.call_of(value) if value is not None else None
        if c is not None and c.name in ("pop", "get") and len(c.args) == 2:
            return c.args[1].node
        return value
    params = fn.child_by_field_name("parameters")
    for p in (params.named_children if params is not None else []):
        if p.type in ("default_parameter", "typed_default_parameter") and \
                T.text(p.child_by_field_name("name")) == counter:
            return p.child_by_field_name("value")
    return None
