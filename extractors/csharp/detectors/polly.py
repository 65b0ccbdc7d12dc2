"""Polly policies and pipelines: retries, timeouts and circuit breakers (v7 and v8).

What it does: v7 ``Policy.Handle<T>().WaitAndRetryAsync(3, attempt => ...)`` -> retry with
4 attempts (Polly counts retries), backoff read from the sleep lambda (``Math.Pow`` ->
exponential, ``* attempt`` -> linear, a constant -> fixed) or from ``Backoff.*`` helpers;
``RetryAsync(n)``, ``RetryForeverAsync()`` (also on the policy-builder lambda of
``AddTransientHttpErrorPolicy(p => ..)`` / ``AddPolicyHandler`` or of a handler's constructor, ``new
TransientRetryHandler(p => p.RetryAsync(3))``); ``Policy.TimeoutAsync(3)`` (an ``int`` is
seconds) or ``TimeoutAsync(TimeSpan)``; ``CircuitBreakerAsync(5, TimeSpan.FromSeconds(30))``.
v8: ``new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential }``
(``HttpRetryStrategyOptions`` defaults to exponential), ``AddTimeout(TimeSpan)`` (per try when
added after ``AddRetry`` in the same chain), ``new CircuitBreakerStrategyOptions { ... }``; the members
of a ``new HttpStandardResilienceOptions {..}`` added one by one (``AddTimeout(o.TotalRequestTimeout)``
-> 30 s, ``AddRetry(o.Retry)`` -> 4 attempts, ``AddTimeout(o.AttemptTimeout)`` -> 10 s: the library's
defaults, or what the initializer sets in them).

A policy built in a branch that runs after the method already made the call the policy then
executes (``if (!response.IsSuccessStatusCode) { ... policy.ExecuteAsync(() => _client.SendAsync(req)) }``)
adds its tries to that first one: ``WaitAndRetryAsync(new[] { 10s })`` there means 3 sends.

Why it matters: each retry reaches the callee again; the timeout and breaker settings say
how long a caller waits and when it stops calling.

Example: ``.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)))`` -> retry max_attempts 4, exponential.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Num, Ref, normalise_ms
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.csharp.detectors.http_client import client_url, registration_chain
from extractors.csharp.detectors import standard_resilience
from extractors.treesitter import Node, text, walk

ID = "csharp.polly"
LIBRARY = "polly"
RETRIES = ("RetryAsync", "Retry", "WaitAndRetryAsync", "WaitAndRetry", "RetryForeverAsync", "RetryForever",
           "WaitAndRetryForeverAsync", "WaitAndRetryForever")
BREAKERS = ("CircuitBreakerAsync", "CircuitBreaker", "AdvancedCircuitBreakerAsync", "AdvancedCircuitBreaker")
HANDLES = ("Handle", "Or", "HandleResult", "OrResult", "HandleInner", "OrInner")


def is_polly_chain(inv: syntax.Invocation) -> bool:
    """The policy builder chain starts at ``Policy`` / ``Policy<T>`` / ``HttpPolicyExtensions`` or is
    the lambda parameter of ``AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(..))``."""
    chain = inv.receiver_text.removeprefix("Polly.").removeprefix("Polly.Extensions.Http.")
    root = chain.split(".")[0].split("(")[0]
    if root in ("Policy", "HttpPolicyExtensions", "RetryPolicy", "AsyncRetryPolicy") or \
            chain.startswith(("Policy", "HttpPolicyExtensions")):
        return True
    if re.fullmatch(r"[A-Za-z_]\w*", root) and _builder_variable_r18(root, inv.node):
        return True
    lam = syntax.enclosing(inv.node, ("lambda_expression",))
    if lam is not None and syntax.lambda_param(lam) == root:
        owner = syntax.enclosing(lam, ("invocation_expression", "object_creation_expression"))
        if owner is not None and owner.type == "object_creation_expression":
            # new TransientRetryHandler(p => p.RetryAsync(3)): a PolicyHttpMessageHandler (or a subclass)
            # built from a policy-builder lambda
            return (syntax.creation_type(owner) or "").endswith("Handler")
        return owner is not None and syntax.invocation(owner).name in ("AddTransientHttpErrorPolicy", "AddPolicyHandler")
    return False


def _builder_variable_r18(name: str, use: Node) -> bool:
    """Round 18 (plan-technology's RedisCache): a policy builder kept in a local and finished apart,
    ``var b = Policy.Handle<TimeoutException>().Or<RedisException>(); _p = b.WaitAndRetryAsync(3, ..);``,
    or a parameter / field declared ``PolicyBuilder``."""
    value = syntax.local_value(name, use)
    if value is not None:
        start = re.sub(r"\s+", "", text(value)).removeprefix("Polly.").removeprefix("Extensions.Http.")
        return start.startswith(("Policy.", "Policy<", "HttpPolicyExtensions.")) and \
            re.search(r"\.(?:Handle|Or|HandleResult|OrResult|HandleInner|OrInner|HandleTransientHttpError)\b",
                      start) is not None
    return (syntax.declared_type(name, use) or "").startswith("PolicyBuilder")


def _retry_on(inv: syntax.Invocation) -> list[str] | None:
    found: list[str] = []
    node = syntax.unwrap(inv.receiver)
    while node is not None and node.type == "invocation_expression":
        current = syntax.invocation(node)
        if current.name in HANDLES:
            function = current.node.child_by_field_name("function")
            name_node = function.child_by_field_name("name") if function is not None and function.type == "member_access_expression" else function
            if current.name in ("HandleResult", "OrResult"):
                found.append("result")  # HandleResult<HttpResponseMessage>(predicate): a result, not an exception
            elif name_node is not None and name_node.type == "generic_name":
                found.extend(text(a) for a in name_node.named_children[1].named_children)
            elif current.args:
                found.append("result")
        elif current.name == "HandleTransientHttpError":
            found.append("transient_http_error")
        node = syntax.unwrap(current.receiver)
    lam = syntax.enclosing(inv.node, ("lambda_expression",))
    if lam is not None:
        owner = syntax.enclosing(lam, ("invocation_expression",))
        if owner is not None and syntax.invocation(owner).name == "AddTransientHttpErrorPolicy":
            found.append("transient_http_error")
    return list(reversed(found)) or None


def _sleep_backoff(node: Node | None, param: str | None) -> str | None:
    if node is None:
        return None
    raw = text(node)
    if "Math.Pow" in raw or "<<" in raw or "Exponential" in raw:
        return "exponential"
    if "Decorrelated" in raw or "Jitter" in raw or "Random" in raw or "NextDouble" in raw:
        return "random"
    if "Linear" in raw:
        return "linear"
    if "Constant" in raw:
        return "fixed"
    if param and any(n.type == "identifier" and text(n) == param for n in walk(node)):
        return "linear"
    return "fixed"


def _owner_registration(node: Node):
    """The AddHttpClient chain this policy is attached to (AddPolicyHandler / AddTransientHttpErrorPolicy)."""
    current = node.parent
    while current is not None:
        if current.type == "invocation_expression":
            inv = syntax.invocation(current)
            if inv.name in ("AddPolicyHandler", "AddTransientHttpErrorPolicy", "AddResilienceHandler"):
                return registration_chain(inv)
        current = current.parent
    return None


def _target(f: CsFile, node: Node):
    registration = _owner_registration(node)
    if registration is None:
        return None, (), "call"
    url, name = client_url(f, registration)
    target, pending = f.target(url, None)
    return target, pending, "client_config"


@csharp_detector(ID, ("retry", "timeout", "circuit_breaker"),
                 valid=("var retry = 3; // a variable named retry\n", "Retry(); // not Polly\n"),
                 invalid=("var p = Policy.Handle<HttpRequestException>().RetryAsync(2);\n",
                          "var t = Policy.TimeoutAsync(3);\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for inv in f.invocations:
        if inv.name in (*RETRIES, "TimeoutAsync", "Timeout") and _unused_private_factory_r20(f, inv.node):
            continue
        if inv.name in RETRIES and is_polly_chain(inv):
            yield _v7_retry(f, inv)
        elif inv.name in ("TimeoutAsync", "Timeout") and inv.receiver_text.removeprefix("Polly.") == "Policy" and inv.args:
            target, pending, _ = _target(f, inv.node)
            yield from _timeout(f, inv.node, inv.args[0], "total", target, pending)
        elif inv.name in BREAKERS and is_polly_chain(inv):
            target, pending, _ = _target(f, inv.node)
            attrs = {"library": LIBRARY}
            if inv.name.startswith("Advanced"):
                ratio = syntax.settle(syntax.number(inv.args[0])) if inv.args else None
                attrs.update({"failure_ratio": ratio, "break_ms": _ms(inv.args[3] if len(inv.args) > 3 else None)})
            else:
                threshold = syntax.settle(syntax.number(inv.args[0])) if inv.args else None
                attrs.update({"failure_threshold": normalise_ms(threshold) if threshold is not None else None,
                              "break_ms": _ms(inv.args[1] if len(inv.args) > 1 else None)})
            yield f.finding("circuit_breaker", inv.node, ID, attrs, "high", target, pending)
        elif inv.name == "AddRetry" and len(inv.args) == 1 and _standard_member(inv.args[0]) is not None:
            # round 11: `AddRetry(resilienceOptions.Retry)` with `new HttpStandardResilienceOptions {..}`: the standard
            # handler's retry options (3 retries, exponential, unless the initializer sets them) added one by one
            member, items = _standard_member(inv.args[0])
            if member != "Retry":
                continue
            attempts, pending = count(items.get("MaxRetryAttempts"), add=1) if "MaxRetryAttempts" in items else (4, ())
            backoff = {"Constant": "fixed", "Linear": "linear", "Exponential": "exponential"}.get(
                text(items.get("BackoffType")).rsplit(".", 1)[-1], "exponential") if "BackoffType" in items \
                else "exponential"
            target, url_pending, _ = _target(f, inv.node)
            attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                     "library": LIBRARY}
            yield f.finding("retry", inv.node, ID, attrs, "high" if not pending else "medium", target,
                            (*url_pending, *pending))
        elif inv.name == "AddRetry" and len(inv.args) == 1 and _typed_options_member(inv.args[0]) is not None:
            # round 15: `AddRetry(settings.Retry)`, `settings` an options class of the project whose `Retry` property
            # is initialized `= new() { MaxRetryAttempts = 3 }` (another file): that class's published default
            type_name, member = _typed_options_member(inv.args[0])
            target, url_pending, _ = _target(f, inv.node)
            attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                     "library": LIBRARY}
            pending = (Pending("max_attempts", Ref(f"{type_name}.{member}.{STRATEGY_ATTEMPTS}"), 1.0),)
            yield f.finding("retry", inv.node, ID, attrs, "medium", target, (*url_pending, *pending))
        elif inv.name == "AddTimeout" and inv.args and _typed_options_member(inv.args[0]) is not None:
            type_name, member = _typed_options_member(inv.args[0])
            phase = "per_try" if _chain_has(inv, "AddRetry") else "total"
            target, pending, _ = _target(f, inv.node)
            yield f.timeout_from(inv.node, Ref(f"{type_name}.{member}.{STRATEGY_TIMEOUT}"), text(inv.args[0]), phase,
                                 ID, LIBRARY, target, pending)
        elif inv.name == "AddTimeout" and inv.args:
            arg = syntax.unwrap(inv.args[0])
            standard = _standard_member(arg)
            if standard is not None and standard[0] in _STANDARD_TIMEOUTS:
                # round 11: `AddTimeout(resilienceOptions.TotalRequestTimeout)` (30 s) / `.AttemptTimeout` (10 s)
                member, items = standard
                phase = "per_try" if _chain_has(inv, "AddRetry") else "total"
                target, pending, _ = _target(f, inv.node)
                if "Timeout" in items:
                    yield from _timeout(f, inv.node, items["Timeout"], phase, target, pending, timespan=True)
                else:
                    yield f.timeout_from(inv.node, Num(_STANDARD_TIMEOUTS[member]), text(arg), phase, ID, LIBRARY,
                                         target, pending, resolved_from="library_default")
                continue
            if arg is not None and arg.type == "object_creation_expression":
                items = syntax.initializer_items(arg)
                if "Timeout" not in items:
                    continue
                arg = items["Timeout"]
            phase = "per_try" if _chain_has(inv, "AddRetry") else "total"
            target, pending, _ = _target(f, inv.node)
            # v8's AddTimeout takes a TimeSpan (or options whose Timeout is one): `timeSpan * 3` too (round 11)
            yield from _timeout(f, inv.node, arg, phase, target, pending, timespan=True)

    added_r16 = [n for n, _ in f.implicit_creations if _added_strategy_type_r16(n)]
    for creation in [*f.creations, *added_r16]:
        kind = syntax.creation_type(creation) if creation.type == "object_creation_expression" else \
            _added_strategy_type_r16(creation)
        if kind.startswith("Http") and standard_resilience.owned_setting(creation):
            continue  # `cfg.Retry = new HttpRetryStrategyOptions {...}` of AddStandardResilienceHandler: read there
        if kind in ("RetryStrategyOptions", "HttpRetryStrategyOptions"):
            items = syntax.initializer_items(creation)
            attempts, pending = count(items.get("MaxRetryAttempts"), add=1) if "MaxRetryAttempts" in items else (4, ())
            default = "exponential" if kind == "HttpRetryStrategyOptions" else "fixed"
            backoff = {"Constant": "fixed", "Linear": "linear", "Exponential": "exponential"}.get(
                text(items.get("BackoffType")).rsplit(".", 1)[-1], default) if "BackoffType" in items else default
            if "DelayGenerator" in items:
                backoff = _sleep_backoff(items["DelayGenerator"], None) if "Math.Pow" in text(items["DelayGenerator"]) else None
            retry_on = None
            if "ShouldHandle" in items:
                retry_on = [text(n.named_children[1].named_children[0]) for n in walk(items["ShouldHandle"])
                            if n.type == "generic_name" and text(n.named_children[0]) in HANDLES
                            and n.named_child_count > 1 and n.named_children[1].named_child_count] or None
            target, url_pending, _ = _target(f, creation)
            attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on, "mechanism": "client_config",
                     "library": LIBRARY}
            counted = syntax.unwrap(items.get("MaxRetryAttempts"))
            if counted is not None and counted.type == "identifier" and \
                    syntax.parameter_default(text(counted), counted) is not None:
                # round 21 (docspace-server): `MaxRetryAttempts = retryCount` of a (primary constructor's) parameter
                # `int retryCount = 5`: valued from the default here, the parameter named for the callers
                attrs["attempts_expression"] = f"{text(counted)} + 1"
            yield f.finding("retry", _adding_call(creation, "AddRetry"), ID, attrs, "high" if not pending else "medium",
                            target, (*url_pending, *pending))
        elif kind in ("CircuitBreakerStrategyOptions", "HttpCircuitBreakerStrategyOptions"):
            items = syntax.initializer_items(creation)
            ratio = syntax.settle(syntax.number(items["FailureRatio"])) if "FailureRatio" in items else 0.1
            target, url_pending, _ = _target(f, creation)
            attrs = {"library": LIBRARY, "failure_ratio": ratio,
                     "break_ms": _ms(items["BreakDuration"]) if "BreakDuration" in items else 5000}
            yield f.finding("circuit_breaker", creation, ID, attrs, "high", target, url_pending)


def _unused_private_factory_r20(f: CsFile, node: Node) -> bool:
    """Round 20 (group-membership-management): ``static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy() =>
    HttpPolicyExtensions.HandleTransientHttpError()..WaitAndRetryAsync(5, ..)`` in a Startup that never calls it
    (copied from the docs, left unused): a private method (no access modifier or ``private``) returning the policy,
    in a class that is not partial and registers services elsewhere (the composition root where it would be
    wired), whose name appears nowhere else in the file, makes a policy no call uses."""
    method = syntax.enclosing(node, ("method_declaration", "local_function_statement"))
    if method is None:
        return False
    returned = syntax.enclosing(node, ("return_statement", "arrow_expression_clause"))
    if returned is None or not syntax.is_inside(returned, method):
        return False  # the policy is used in the method itself (`var p = Policy..; await p.ExecuteAsync(..)`)
    modifiers = {text(c) for c in method.children if c.type == "modifier"}
    if modifiers & {"public", "internal", "protected", "override", "virtual", "abstract"}:
        return False
    owner = syntax.enclosing(method, ("class_declaration", "struct_declaration", "record_declaration"))
    if owner is None or syntax.is_partial(owner):
        return False
    name = text(method.child_by_field_name("name"))
    if not name:
        return False
    # a composition root (a Startup registering services, `AddScoped`, `AddHttpClient`, ..) that never wires it
    registers = any(n.type == "invocation_expression" and not syntax.is_inside(n, method) and
                    re.match(r"^(Add|Configure|Register)[A-Z]\w*$", syntax.invocation(n).name or "")
                    for n in walk(owner))
    uses = [n for n in walk(f.root) if n.type == "identifier" and text(n) == name]
    return registers and len(uses) <= 1


def _added_strategy_type_r16(creation: Node) -> str:
    """Round 16 (kernel-memory's web scraper): ``new ResiliencePipelineBuilder<HttpResponseMessage>()
    .AddRetry(new() { MaxRetryAttempts = 10, .. })``: a target-typed ``new()`` handed straight to ``AddRetry``
    is that builder's ``RetryStrategyOptions`` (``HttpRetryStrategyOptions`` only when the type says so)."""
    argument = creation.parent
    if argument is None or argument.type != "argument" or argument.parent is None:
        return ""
    call = argument.parent.parent
    if call is None or call.type != "invocation_expression":
        return ""
    inv = syntax.invocation(call)
    if inv.name != "AddRetry" or len(inv.args) != 1 or syntax.unwrap(inv.args[0]).id != creation.id:
        return ""
    return syntax.implicit_type(creation) or "RetryStrategyOptions"


_STANDARD_TIMEOUTS = {"TotalRequestTimeout": 30000.0, "AttemptTimeout": 10000.0}
_SCOPES = ("method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression",
           "accessor_declaration")


def _standard_member(arg: Node | None) -> tuple[str, dict[str, Node]] | None:
    """``resilienceOptions.Retry`` where ``resilienceOptions`` is a local (of the method, seen from a lambda
    too) made by ``new HttpStandardResilienceOptions { Retry = { UseJitter = true } }``: (the member, what
    the initializer sets in it); None when the code assigns one of its settings afterwards
    (``resilienceOptions.Retry.MaxRetryAttempts = 5``: left to the other detectors)."""
    arg = syntax.unwrap(arg)
    if arg is None or arg.type != "member_access_expression":
        return None
    receiver = syntax.unwrap(arg.child_by_field_name("expression"))
    if receiver is None or receiver.type != "identifier":
        return None
    name, member = text(receiver), text(arg.child_by_field_name("name"))
    scope = syntax.enclosing(arg, _SCOPES)
    value = None
    while scope is not None and value is None:
        for node in walk(scope):
            if node.start_byte >= arg.start_byte:
                break
            if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
                values = [c for c in node.named_children if c != node.child_by_field_name("name")]
                value = values[-1] if values else None
        scope = syntax.enclosing(scope, _SCOPES) if value is None and scope.type == "lambda_expression" else None
    value = syntax.unwrap(value)
    if value is None or value.type != "object_creation_expression" or \
            syntax.creation_type(value) != "HttpStandardResilienceOptions":
        return None
    method = syntax.enclosing(value, _SCOPES)
    if method is not None and any(n.type == "assignment_expression" and
                                  text(n.child_by_field_name("left")).startswith(f"{name}.{member}")
                                  for n in walk(method)):
        return None
    nested = syntax.initializer_items(value).get(member)
    items: dict[str, Node] = {}
    if nested is not None and nested.type == "initializer_expression":
        for child in nested.named_children:
            if child.type == "assignment_expression" and child.child_by_field_name("right") is not None:
                items[text(child.child_by_field_name("left"))] = child.child_by_field_name("right")
    elif nested is not None:
        return None  # `Retry = someOptions`: not the defaults
    return member, items


STRATEGY_ATTEMPTS = "$strategy_attempts"
STRATEGY_TIMEOUT = "$strategy_timeout_ms"
_STRATEGY_PROPERTY_TYPES = {"HttpRetryStrategyOptions": "retry", "RetryStrategyOptions": "retry",
                            "HttpTimeoutStrategyOptions": "timeout", "TimeoutStrategyOptions": "timeout"}
_OPTIONS_GETTERS = re.compile(r"\b(?:GetOptions|Get|GetValue|GetRequiredService|GetService)<\s*(?:IOptions(?:Monitor|"
                              r"Snapshot)?<\s*)?([A-Z]\w*)\s*>?\s*>")


def _typed_options_member(arg: Node | None) -> tuple[str, str] | None:
    """Round 15 (trade-imports-gmr-finder): ``AddRetry(settings.Retry)`` / ``AddTimeout(settings.Timeout)`` where
    ``settings`` is a local made by ``context.GetOptions<GvmsOptions>()`` (``sp.GetRequiredService<IOptions<T>>()
    .Value``, ``config.Get<T>()``) or a parameter typed ``T`` / ``IOptions<T>``: (``T``, the member). The
    strategy options the project's class initializes are published by its own file
    (``published_strategy_defaults``)."""
    arg = syntax.unwrap(arg)
    if arg is None or arg.type != "member_access_expression":
        return None
    receiver = syntax.unwrap(arg.child_by_field_name("expression"))
    member = text(arg.child_by_field_name("name"))
    if receiver is not None and receiver.type == "member_access_expression" and \
            text(receiver.child_by_field_name("name")) in ("Value", "CurrentValue"):
        receiver = syntax.unwrap(receiver.child_by_field_name("expression"))  # options.Value.Retry
    if receiver is None or receiver.type != "identifier":
        return None
    name = text(receiver)
    held = syntax.local_value(name, receiver)
    if held is not None:
        match = _OPTIONS_GETTERS.search(text(held))
        return (match.group(1), member) if match else None
    param = syntax.parameter_node(name, receiver)
    if param is not None:
        raw = text(param.child_by_field_name("type"))
        match = re.fullmatch(r"(?:IOptions(?:Monitor|Snapshot)?<\s*)?([A-Z]\w*)\s*>?", raw.strip())
        if match and match.group(1) not in ("HttpStandardResilienceOptions", "ResiliencePipelineBuilder"):
            return match.group(1), member
    return None


def published_strategy_defaults(f: CsFile) -> dict:
    """``public HttpRetryStrategyOptions Retry { get; init; } = new() { MaxRetryAttempts = 3 };`` in class
    ``GvmsOptions``: ``GvmsOptions.Retry.$strategy_attempts`` = 4 (Polly's default 3 retries when unset) and
    for a ``*TimeoutStrategyOptions`` property ``...$strategy_timeout_ms`` (30 s by default), for the
    ``AddRetry(settings.Retry)`` / ``AddTimeout(settings.Timeout)`` of other files (round 15)."""
    symbols: dict = {}
    for prop in walk(f.root):
        if prop.type != "property_declaration":
            continue
        kind = _STRATEGY_PROPERTY_TYPES.get(text(prop.child_by_field_name("type")).rsplit(".", 1)[-1])
        value = syntax.unwrap(prop.child_by_field_name("value"))
        if kind is None or value is None or value.type not in ("object_creation_expression",
                                                                "implicit_object_creation_expression"):
            continue
        owner = syntax.enclosing(prop, ("class_declaration", "record_declaration", "struct_declaration"))
        if owner is None:
            continue
        key = f"{text(owner.child_by_field_name('name'))}.{text(prop.child_by_field_name('name'))}"
        items = syntax.initializer_items(value)
        if kind == "retry":
            attempts, pending = count(items.get("MaxRetryAttempts"), add=1) if "MaxRetryAttempts" in items else (4, ())
            if attempts is not None:
                symbols[f"{key}.{STRATEGY_ATTEMPTS}"] = Num(attempts)
        else:
            ms = syntax.settle(syntax.duration_ms(items["Timeout"])) if "Timeout" in items else 30000.0
            if ms is not None:
                symbols[f"{key}.{STRATEGY_TIMEOUT}"] = Num(ms)
    return symbols


def strategy_property_setting(node: Node) -> bool:
    """``Timeout = TimeSpan.FromSeconds(30)`` inside the initializer of a ``*StrategyOptions`` property
    (``public HttpTimeoutStrategyOptions Timeout { get; init; } = new() { Timeout = .. }``): read where the
    property is added (``AddTimeout(settings.Timeout)``), not here (round 15)."""
    init = node.parent
    creation = init.parent if init is not None and init.type == "initializer_expression" else None
    prop = creation.parent if creation is not None else None
    while prop is not None and prop.type not in ("property_declaration", "block", "class_declaration"):
        prop = prop.parent
    return prop is not None and prop.type == "property_declaration" and \
        text(prop.child_by_field_name("type")).rsplit(".", 1)[-1] in _STRATEGY_PROPERTY_TYPES


def _adding_call(creation: Node, name: str) -> Node:
    """``builder\n    .AddRetry(\n        new RetryStrategyOptions {...})``: the strategy is where it is added to the
    pipeline (the line of ``AddRetry``), the options given straight to it; options built elsewhere stay put."""
    argument = creation.parent
    if argument is None or argument.type != "argument" or argument.parent is None:
        return creation
    call = argument.parent.parent
    if call is None or call.type != "invocation_expression" or syntax.invocation(call).name != name:
        return creation
    return call


def _chain_has(inv: syntax.Invocation, name: str) -> bool:
    node = syntax.unwrap(inv.receiver)
    while node is not None and node.type == "invocation_expression":
        current = syntax.invocation(node)
        if current.name == name:
            return True
        node = syntax.unwrap(current.receiver)
    return False


def _ms(node: Node | None):
    if node is None:
        return None
    value = syntax.settle(syntax.duration_ms(node))
    return normalise_ms(value) if value is not None else None


def _timeout(f: CsFile, node: Node, arg: Node, phase: str, target, pending, timespan: bool = False) -> Iterable[Finding]:
    expr = syntax.duration_ms(arg)
    scale = 1.0
    if not timespan and not _looks_like_timespan(arg):
        expr, scale = syntax.number(arg), 1000.0  # Polly v7 reads an int as seconds
    yield f.timeout_from(node, expr, text(arg), phase, ID, LIBRARY, target, pending, scale=scale)


def _looks_like_timespan(node: Node) -> bool:
    raw = text(node)
    return "TimeSpan" in raw or "InfiniteTimeSpan" in raw or (
        syntax.unwrap(node) is not None and syntax.unwrap(node).type in ("identifier", "member_access_expression")
        and not raw.rsplit(".", 1)[-1].lower().endswith(("seconds", "secs", "ms", "milliseconds")))


SCHEDULES = ("array_creation_expression", "implicit_array_creation_expression", "collection_expression")


def _v7_retry(f: CsFile, inv: syntax.Invocation) -> Finding:
    """``RetryAsync(n)`` / ``WaitAndRetryAsync(n, sleep)`` / ``WaitAndRetryAsync(schedule)`` / ``...Forever``."""
    forever = "Forever" in inv.name
    attempts, pending = (None, ())
    backoff: str | None = "none"
    # named arguments (retryCount: n, sleepDurationProvider: a => ...) read as their positional places
    args = list(inv.args)
    if not forever and "retryCount" in inv.named:
        args = [inv.named["retryCount"], *args]
    elif not forever and "sleepDurations" in inv.named:
        args = [inv.named["sleepDurations"], *args]
    if "sleepDurationProvider" in inv.named:
        args = args[:1] + [inv.named["sleepDurationProvider"]] if not forever else [inv.named["sleepDurationProvider"]]
    first = syntax.unwrap(args[0]) if args else None
    schedule_given = False  # the delays come as a list or a Backoff.* helper, not a sleep lambda
    if not forever:
        if first is None or first.type in ("lambda_expression", "anonymous_method_expression") and \
                inv.name in ("Retry", "RetryAsync"):
            attempts = 2  # RetryAsync() / RetryAsync(onRetry: (e, n) => ..) retries once
        elif first.type == "identifier" and _backoff_bound_r19(first) is not None or \
                first.type == "invocation_expression" and "Backoff." in text(first):
            # round 19: `var delay = Backoff.DecorrelatedJitterBackoffV2(.., retryCount: RetryCount);
            # ..WaitAndRetryAsync(delay)` reads the helper the local (or field) holds
            first = _backoff_bound_r19(first) if first.type == "identifier" else first
            helper = syntax.invocation(first)
            n = helper.named.get("retryCount") or (helper.args[1] if len(helper.args) > 1 else None)
            attempts, pending = count(n, add=1)
            backoff, schedule_given = _sleep_backoff(first, None), True
        elif first.type in SCHEDULES:
            delays = [c for c in walk(first) if c.type in ("invocation_expression", "object_creation_expression")
                      and c.parent is not None and c.parent.type in ("initializer_expression", "collection_expression",
                                                                 "expression_element", "collection_element")]
            attempts = len(delays) + 1
            values = [syntax.settle(syntax.duration_ms(d)) for d in delays]
            doubling = all(a is not None and b is not None and b >= 2 * a for a, b in zip(values, values[1:]))
            backoff = "fixed" if len(set(values)) <= 1 else ("exponential" if doubling else "linear")
            schedule_given = True
        elif first.type == "identifier" and inv.name.startswith("WaitAndRetry") and \
                _sized_array_r19(first) is not None:
            # round 19 (das-employer-accounts): `var waits = new TimeSpan[numberOfRetries]; for (..) waits[i] = wait;
            # ..WaitAndRetryAsync(waits, ..)`: one retry per slot of the array
            size = _sized_array_r19(first)
            attempts, pending = count(size, add=1)
            schedule_given, backoff = True, None
            if syntax.unwrap(size) is not None and syntax.unwrap(size).type == "identifier" and \
                    syntax.parameter_default(text(syntax.unwrap(size)), size) is not None:
                args = [size, *args[1:]]
                schedule_given = False
        elif first.type == "identifier" and inv.name.startswith("WaitAndRetry") and \
                syntax.collection_size(first) is not None:
            # WaitAndRetryAsync(_retryTimeSpans) over `static readonly TimeSpan[] _retryTimeSpans = [..]`
            attempts, schedule_given, backoff = syntax.collection_size(first) + 1, True, None
        else:
            attempts, pending = count(args[0], add=1)
    if inv.name.startswith("WaitAndRetry") and not schedule_given:
        sleeper = args[0] if forever and args else (args[1] if len(args) > 1 else None)
        backoff = _sleep_backoff(syntax.lambda_body(sleeper), syntax.lambda_param(sleeper)) if sleeper is not None else None
    if attempts is not None and _after_a_first_try(inv.node):
        attempts += 1
    target, url_pending, mechanism = _target(f, inv.node)
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": _retry_on(inv), "mechanism": mechanism,
             "library": LIBRARY}
    counted = syntax.unwrap(args[0]) if args and not forever and not schedule_given else None
    if counted is not None and counted.type == "identifier" and \
            syntax.parameter_default(text(counted), counted) is not None:
        # `DefaultAsyncRetryPolicy(int maxRetryCount = DefaultMaxRetryCount) => ..WaitAndRetryAsync(maxRetryCount,
        # ..)`: valued from the default here, and the parameter named for the callers (extractors.wrappers)
        attrs["attempts_expression"] = f"{text(counted)} + {2 if _after_a_first_try(inv.node) else 1}"
    return f.finding("retry", inv.node, ID, attrs, "high" if attempts is not None else "medium", target,
                     (*url_pending, *pending))


def _sized_array_r19(node: Node) -> Node | None:
    """The size of the ``new TimeSpan[size]`` a local is initialised with (no element list), if any."""
    bound = syntax.unwrap(syntax.local_value(text(node), node))
    if bound is None or bound.type != "array_creation_expression" or \
            any(c.type == "initializer_expression" for c in bound.named_children):
        return None
    array_type = next((c for c in bound.named_children if c.type == "array_type"), None)
    rank = next((c for c in array_type.named_children if c.type == "array_rank_specifier"), None) \
        if array_type is not None else None
    if rank is None or rank.named_child_count != 1 or "TimeSpan" not in text(array_type):
        return None
    return rank.named_children[0]


EXECUTES = ("ExecuteAsync", "Execute", "ExecuteAndCaptureAsync", "ExecuteAndCapture")
BACKOFF_HELPERS_R19 = ("DecorrelatedJitterBackoffV2", "DecorrelatedJitterBackoff", "ExponentialBackoff",
                       "ConstantBackoff", "LinearBackoff", "AwsDecorrelatedJitterBackoff")


def is_backoff_helper_r19(node: Node) -> bool:
    """A Polly.Contrib.WaitAndRetry ``Backoff.*Backoff(.., retryCount: n)`` call (its count is read at the
    ``WaitAndRetryAsync`` it feeds, round 19)."""
    if node.type != "invocation_expression":
        return False
    inv = syntax.invocation(node)
    return inv.name in BACKOFF_HELPERS_R19 and inv.receiver is not None and text(inv.receiver).endswith("Backoff")


def _backoff_bound_r19(node: Node) -> Node | None:
    """The ``Backoff.*`` call a local or field ``name`` is initialised with, if any."""
    bound = syntax.unwrap(syntax.local_value(text(node), node))
    if bound is None:
        root = node
        while root.parent is not None:
            root = root.parent
        for declarator in walk(root):
            if declarator.type == "variable_declarator" and \
                    text(declarator.child_by_field_name("name")) == text(node) and \
                    declarator.parent is not None and declarator.parent.parent is not None and \
                    declarator.parent.parent.type == "field_declaration":
                values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
                bound = syntax.unwrap(values[-1]) if values else None
                break
    return bound if bound is not None and is_backoff_helper_r19(bound) else None


def _after_a_first_try(node: Node) -> bool:
    """A policy built in a branch after the method already made the call it then executes:
    ``var r = await _client.SendAsync(req); if (!r.IsSuccessStatusCode) { var p = Policy...;
    r = await p.ExecuteAsync(() => _client.SendAsync(clone)); }`` sends once more than the policy counts."""
    declarator = syntax.enclosing(node, ("variable_declarator", "method_declaration", "lambda_expression"))
    if declarator is None or declarator.type != "variable_declarator":
        return False
    name_node = declarator.child_by_field_name("name")
    method = syntax.enclosing(declarator, ("method_declaration", "local_function_statement"))
    branch = syntax.enclosing(declarator, ("if_statement", "method_declaration"))
    if name_node is None or method is None or branch is None or branch.type != "if_statement":
        return False
    policy = text(name_node)
    executed: set[str] = set()
    for call in (n for n in walk(method) if n.type == "invocation_expression" and n.start_byte > declarator.end_byte):
        inv = syntax.invocation(call)
        if inv.name in EXECUTES and inv.receiver is not None and text(inv.receiver) == policy and inv.args:
            executed |= {syntax.invocation(c).callee for c in walk(inv.args[0]) if c.type == "invocation_expression"}
    if not executed:
        return False
    return any(n.type == "invocation_expression" and n.end_byte <= branch.start_byte
               and syntax.invocation(n).callee in executed for n in walk(method))
