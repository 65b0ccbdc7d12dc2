"""Timeout properties of any client's options: ``new LookupClientOptions { Timeout = TimeSpan.FromSeconds(15) }``.

What it does: reports a property whose name ends in ``Timeout`` (``Timeout``, ``ConnectTimeout``,
``ReadTimeout``, ``FactoryHardTimeout``...) set to a ``TimeSpan`` (or to a name holding one) in an
assignment or an object initializer, for the clients that have no detector of their own (DNS
clients, caches, SDK options). Phase ``connect`` / ``read`` when the name says so, else ``total``.
The libraries with a detector (HttpClient, Polly, the standard resilience handler, database
commands) keep theirs; this one only adds what they do not report.

Flurl's ``.WithTimeout(TimeSpan.FromSeconds(30))`` (an ``int`` is seconds) is a timeout on that
request; an ``SmtpClient``'s ``Timeout`` (System.Net.Mail and MailKit) is a number of ms, and so are an
``HttpWebRequest``'s ``Timeout`` (total) and ``ReadWriteTimeout`` (read). A named
argument for a timeout given a TimeSpan (``RegisterStorageAccount(cs, requestTimeout:
TimeSpan.FromMinutes(2))``, ``serverTimeout:``, ``maxExecutionTime:``) is one, reported on the
argument's line, unless it hands on the method's own parameter (or a duration made of it:
``TimeSpan.FromSeconds(seconds)``); so is Azure Storage's
``MaximumExecutionTime`` and a ``client.Set...Timeout(TimeSpan)`` call (Octokit's
``SetRequestTimeout``; an ``int`` there has no known unit). Regex match timeouts, lock waits and a
queue message's ``visibilityTimeout`` or a queue work item's lease (Foundatio's ``WorkItemTimeout``,
``workItemTimeout: TimeSpan.FromHours(1)``) bound no call. A helper named for a timeout that runs a call
under one (``Utility.WithTimeout(timeouts.ShortTimeout, token, ct => client.GetAsync(url, ct))``,
``task.TimeoutAfter(TimeSpan.FromSeconds(5))``) is a deadline on that call; a stream watched for
stalls (``stream.ObserveReadTimeout(timeouts.ReadWriteTimeout)``) a read timeout. Log messages,
checks (``IsTimeout``) and telemetry named for timeouts are not. A TimeSpan given to a parameter
named for a timeout of one of the file's own methods (``XmlServiceFor(uri, TimeSpan.FromSeconds(5))``
for ``XmlServiceFor(string uri, TimeSpan? timeout = null)``) is one too.

A SignalR hub that sends a command to a connected client (``await hub.Clients.Client(id).RemoteControl(..)``)
and then waits a known time for the signal the answer sets (``session.WaitForSessionReady(
TimeSpan.FromSeconds(30))``, ``WaitHelper.WaitForAsync(.., TimeSpan.FromSeconds(15))``) bounds that
hand-made request/response: a timeout, phase total.

Nacos's ``x.DefaultTimeOut = 15000`` (nacos-sdk-csharp, ms, in a file that mentions Nacos) bounds
every request to the Nacos server. A health check's definition (``new AgentServiceCheck { Timeout =
TimeSpan.FromSeconds(5) }``, a type named ``*Check`` / ``*Probe``) is how long Consul or an orchestrator
waits for this service's health endpoint: no call of this service.

Round 13: a TimeSpan field, local or defaulted parameter named for a timeout handed positionally to a
library call or constructor (``client.AttachProfilerAsync(AttachTimeout, ..)``, ``new HealthCheckRegistration(
name, factory, status, tags, timeout)``) is that call's timeout, at the called name's line; a moment
(``member.TimeoutAsync(mute.ExpireTime + TimeSpan.FromSeconds(10), reason)``: Discord's mute until a time)
is none.

Not reported: a bare number on other clients (``redis.ConnectTimeout = 5000``: its unit, ms or
s, depends on the library), timeouts that bound no call (``IdleTimeout``, ``SessionTimeout``, ``ShutdownTimeout``,
``KeepAliveTimeout``, lockouts, cookies), the word in strings or comments.

Why it matters: every SDK a service calls through has its own timeout knob; a contract is
only complete when those are read too.

Example: ``new LookupClientOptions { Timeout = TimeSpan.FromSeconds(15) }`` -> timeout 15000 ms, total.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Expr, Num, Ref
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, call_anchor, csharp_detector
from extractors.csharp.detectors import http_client, standard_resilience
from extractors.treesitter import Node, text, walk

ID = "csharp.timeout_option"
# (`Expect100ContinueTimeout`: how long a request waits for 100-continue before sending its body anyway: no bound)
NOT_CALLS = ("Idle", "Session", "Shutdown", "KeepAlive", "Lockout", "Cookie", "Lifetime", "Vault", "Expir",
             "WorkItem", "Expect100Continue", "StopTimeout", "StartupTimeout", "CircuitBreak", "Visibility",
             "Invisibility", "DistributedLock", "RestartTimeout", "RequestHeadersTimeout", "RemoteAuthentication",
             "ResponseDrain", "LockTimeout", "LockWait")
# (round 21, docspace-server: FusionCache's `LockTimeout` (how long a caller waits for the cache stampede lock)
# and any `..LockTimeout` / `LockWait..`: a lock wait, no call bounded)
# (round 20, fhir-loader: SocketsHttpHandler's `ResponseDrainTimeout`: how long the pool drains an unread
# response body before it reuses the connection, after the caller is done: no call bounded)
# (round 19, lancommander / epr-packaging-frontend: Kestrel's `Limits.RequestHeadersTimeout` (how long the server
# waits for a client's headers) and the OIDC / OAuth handlers' `RemoteAuthenticationTimeout` (how long a person
# may take to sign in at the provider): no call of the service bounded)
# (round 18, altinn-broker / altinn-register: Hangfire's PostgreSqlStorageOptions `InvisibilityTimeout` (how long
# a fetched job stays hidden from other workers, a lease) and `DistributedLockTimeout` (a storage lock wait);
# MassTransit's kill switch `.SetRestartTimeout(..)` (how long a tripped endpoint stays stopped): no call bounded)
# (round 17: `.VisibilityTimeout(options.VisibilityTimeout)` (SlimMessageBus SQS consumers), `VisibilityTimeout =`:
# how long a received queue message stays hidden from other consumers, no bound on a call)
# (round 15: `CircuitBreakerTimeout`: how long a breaker stays open before it lets a call through, no bound on one)
# (round 11: `StopTimeout` / HostOptions' `StartupTimeout`: how long the process waits for its own hosted
# services to stop or start, no call)
OWN_DETECTOR = ("CommandTimeout", "BulkCopyTimeout")
# named arguments that bound no call: a regex match, a lock wait, a queue message's invisibility
NOT_CALL_ARGUMENTS = ("match", "lock", "visibility", "cache", "caching", "lease", "poll", "wait", "inactivity")
# (round 18, altinn-register: MassTransit's test harness `SetTestTimeouts(testTimeout: .., testInactivityTimeout: ..)`)
EXECUTION_TIME = ("MaximumExecutionTime", "MaxExecutionTime")  # Azure Storage's whole-operation bound
# round 14 (round-13 request): a callback / event pump's wait for the next events (SteamKit's CallbackManager
# `RunWaitCallbacks(timeout:)`, `RunWaitAllCallbacks(timeout:)`), no bound on a call
CALLBACK_PUMPS = re.compile(r"^RunWait\w*Callbacks?(Async)?$")


def _property(left: Node) -> str:
    if left.type == "member_access_expression":
        return text(left.child_by_field_name("name"))
    return text(left) if left.type == "identifier" else ""


def _timespan_like(value: Node) -> bool:
    node = syntax.unwrap(value)
    if node is None:
        return False
    raw = text(node)
    if raw.rsplit(".", 1)[-1] in ("Milliseconds", "TotalMilliseconds", "Seconds", "TotalSeconds", "Ticks"):
        return False  # a TimeSpan turned into a number
    if "OnTimeout" in raw.rsplit(".", 1)[-1]:
        return False  # `Constants.DefaultPaginatorActionOnTimeout`: what to do once time is up, no duration
    if "TimeSpan" in raw or "InfiniteTimeSpan" in raw:
        return True
    # a name (settings.FactoryHardTimeout, _timeout): read as a TimeSpan held elsewhere
    return node.type in ("identifier", "member_access_expression") and "Timeout" in raw


def _carried_field_r19(node: Node, left: Node) -> bool:
    """``this.rulesWebServiceTimeout = config.DeviceTelemetryWebServiceTimeout;`` in a constructor, the field then
    applied in the same class (``request.Options.Timeout = this.rulesWebServiceTimeout;``): the field only
    carries the value to that setting, which is the one reported."""
    raw = text(left)
    field = raw.removeprefix("this.")
    if "." in field or (left.type == "identifier" and node.parent is not None and
                        node.parent.type == "initializer_expression"):
        return False
    holder = syntax.enclosing(node, ("class_declaration", "record_declaration", "struct_declaration"))
    if holder is None or not any(d.type == "variable_declarator" and text(d.child_by_field_name("name")) == field and
                                 syntax.enclosing(d, ("field_declaration",)) is not None for d in walk(holder)):
        return False
    for other in walk(holder):
        if other.type != "assignment_expression" or other == node:
            continue
        target, value = other.child_by_field_name("left"), syntax.unwrap(other.child_by_field_name("right"))
        if target is not None and value is not None and text(value) in (field, "this." + field) and \
                _property(target).endswith("Timeout") and text(target).removeprefix("this.") != field:
            return True
    return False


def _compound_assignment_r16(node, left, right) -> bool:
    """``x.OnTimeout += handler`` / ``-=`` (and ``*=`` ..): adds to or subscribes, sets nothing."""
    between = node.text[left.end_byte - node.start_byte:right.start_byte - node.start_byte].decode("utf-8", "replace")
    return between.strip() not in ("=", "")


@csharp_detector(ID, ("timeout", "missing_timeout"),
                 valid=("smtp.Timeout = 10000; // a number: ms or s depends on the library\n",
                        "options.IdleTimeout = TimeSpan.FromMinutes(5);\n",
                        'var msg = "ConnectTimeout = 5";\n', "var connectTimeout = TimeSpan.FromSeconds(5);\n"),
                 invalid=("var o = new LookupClientOptions { Timeout = TimeSpan.FromSeconds(15) };\n",
                          "var r = await url.WithTimeout(TimeSpan.FromSeconds(30)).GetStringAsync();\n",
                          "options.ConnectTimeout = TimeSpan.FromSeconds(3);\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for node in f.assignments:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            continue
        if left.type == "identifier" and (node.parent is None or node.parent.type != "initializer_expression"):
            continue  # a local variable, not a property
        if _compound_assignment_r16(node, left, right):
            continue  # round 16 (nadekobot): `trivia.OnTimeout += OnTriviaTimeout;`: an event subscription, no setting
        name = _property(left)
        if name == "DefaultTimeOut" and b"Nacos" in f.data:
            # nacos-sdk-csharp's NacosSdkOptions.DefaultTimeOut: ms for every request to the Nacos server
            yield f.timeout_from(node, syntax.number(right), text(right), "total", ID, "nacos")
            continue
        if not (name.endswith("Timeout") or name in EXECUTION_TIME) or name in OWN_DETECTOR or \
                any(word in name for word in NOT_CALLS):
            continue
        if _health_check_definition(node):
            continue
        if http_client._own_option_copied_r21(text(left), right):
            continue  # round 21: `options.Backchannel.Timeout = options.BackchannelTimeout;` (http_client's doc)
        if standard_resilience.owned_setting(node):
            continue  # `cfg.AttemptTimeout = new HttpTimeoutStrategyOptions {...}`: the handler's (standard_resilience)
        if _strategy_property_setting(node):
            continue  # round 15: `HttpTimeoutStrategyOptions Timeout { get; init; } = new() { Timeout = .. }`: polly's
        if not _timespan_like(right):
            if name == "Timeout" and _smtp_client(left):
                yield f.timeout_from(node, syntax.number(right), text(right), "total", ID, "smtp")
            elif name in ("Timeout", "ReadWriteTimeout") and _web_request(left):
                # HttpWebRequest: ms for the response (total) and for each read or write of its streams
                yield f.timeout_from(node, syntax.number(right), text(right),
                                     "total" if name == "Timeout" else "read", ID, "HttpWebRequest")
            continue
        if syntax.parameter_derived(right):
            continue  # `ConnectTimeout = TimeSpan.FromSeconds(connectTimeout)`, a local made of the caller's timeout
        if _carried_field_r19(node, left):
            continue  # round 19 (rm-asa-manager): a field holding the value for a setting reported where it is applied
        phase = "connect" if "Connect" in name else ("read" if "Read" in name or "Receive" in name else "total")
        yield f.timeout_from(node, syntax.duration_ms(right), text(right), phase, ID, "client",
                             pending=_own_class_check(node, name))
    yield from flurl_timeouts(f)
    yield from named_arguments(f)
    yield from setter_calls(f)
    yield from timeout_wrappers(f)
    yield from helper_parameters(f)
    yield from reply_waits(f)
    yield from timeout_named_positionals(f)
    yield from health_check_timeouts_r17(f)


_HEALTH_REGISTRATIONS_R17 = frozenset({"AddCheck", "AddAsyncCheck", "AddTypeActivatedCheck"})


def health_check_timeouts_r17(f: CsFile) -> Iterable[Finding]:
    """Round 17 (np-sync): a health check registered on the health-checks builder with a TimeSpan given
    positionally (``healthCheckBuilder.AddCheck<DbCheck>("Database", HealthStatus.Unhealthy, tags,
    TimeSpan.FromSeconds(10))``, ``builder.AddHealthChecks().AddAzureKeyVault(.., tags, TimeSpan.FromSeconds(30))``):
    the check's call to its dependency is cut after that span (HealthCheckRegistration.Timeout), at the
    called name. Named ``timeout:`` arguments are read by named_arguments; a registration without a span
    sets nothing."""
    for inv in f.invocations:
        receiver = inv.receiver_text
        if not inv.name.startswith("Add"):
            continue
        # a registration named for a check may hang off any chain naming health; another Add.. must be called
        # on the builder itself (`healthCheckBuilder.AddAzureKeyVault`) or after `AddHealthChecks()`
        scope = receiver if inv.name in _HEALTH_REGISTRATIONS_R17 else receiver.split("(")[0]
        if not (re.search(r"(?i)health", scope) or "AddHealthChecks(" in receiver):
            continue
        for arg in inv.args:
            if re.match(r"\s*@?\w+\s*:(?!:)", text(arg)):
                continue  # a named argument (`timeout: ..`): named_arguments reads it
            bare = syntax.unwrap(arg)
            if bare is None or not re.match(r"(?:System\.)?TimeSpan\.From\w+\(|new\s+(?:System\.)?TimeSpan\(", text(bare)):
                continue
            yield f.timeout_from(call_anchor(inv.node), syntax.duration_ms(bare), text(bare), "total", ID, "health_check")
            break


def _strategy_property_setting(node: Node) -> bool:
    from extractors.csharp.detectors import polly  # (polly imports this module's neighbours: late import)
    return polly.strategy_property_setting(node)


DECLARES = "$declares"
TIMEOUT_MEMBER = "$timeout_member"
_TIMEOUT_NAME = re.compile(r"\b([A-Z]\w*Timeout)\b")


def _own_class_check(node: Node, name: str) -> tuple[Pending, ...]:
    """``new MatchmakingQueue { SearchTimeout = TimeSpan.FromMinutes(5) }``: when the service itself
    declares ``MatchmakingQueue.SearchTimeout`` and no code of the service ever applies a
    ``SearchTimeout`` as a timeout (a deadline, a client's ``Timeout``...), the property bounds no call
    (a game rule, a cache load): dropped. A library's options type, or a property some file applies,
    stays."""
    creation = node.parent.parent if node.parent is not None and node.parent.type == "initializer_expression" else None
    left = node.child_by_field_name("left")
    if creation is None and left is not None and left.type == "member_access_expression":
        # round 19 (onefuzz): `var config = new TaskUnitConfig(..); .. config.TargetTimeout = task.Config.Task.
        # TargetTimeout;`: a property set on an instance of the service's own type made in the method
        receiver = syntax.unwrap(left.child_by_field_name("expression"))
        if receiver is not None and receiver.type == "identifier":
            creation = syntax.unwrap(syntax.local_value(text(receiver), receiver))
    if creation is None or creation.type != "object_creation_expression":
        return ()
    type_name = syntax.creation_type(creation)
    if not type_name or not type_name[:1].isupper():
        return ()
    keep = Call("coalesce", (Ref(f"{TIMEOUT_MEMBER}.{name}"),
                             Call("when", (Ref(f"{type_name}.{DECLARES}:{name}"), Num(0.0))), Num(1.0)))
    return (Pending(KEEP_IF, keep, None),)


def published_timeout_members(f: CsFile, findings: Iterable[Finding]) -> dict[str, Expr]:
    """For ``_own_class_check``: ``<Class>.$declares:<XTimeout>`` for each ``*Timeout`` property or field a
    class of this file declares, and ``$timeout_member.<XTimeout>`` for each such name a timeout of this
    file applies (``cts.CancelAfter(_options.SearchTimeout)``, ``client.Timeout = settings.ReadTimeout``)."""
    out: dict[str, Expr] = {}
    for node in walk(f.root):
        if node.type == "property_declaration":
            names = [node.child_by_field_name("name")]
        elif node.type == "field_declaration":
            names = [d.child_by_field_name("name") for d in walk(node) if d.type == "variable_declarator"]
        else:
            continue
        owner = syntax.enclosing(node, ("class_declaration", "record_declaration", "struct_declaration"))
        owner_name = text(owner.child_by_field_name("name")) if owner is not None else ""
        for name_node in names:
            name = text(name_node) if name_node is not None else ""
            if owner_name and name.endswith("Timeout"):
                out[f"{owner_name}.{DECLARES}:{name}"] = Num(1.0)
    # round 19 (prowlarr): `class FlareSolverrRequestPostUrlEncoded : FlareSolverrRequestPost` inherits the
    # `MaxTimeout` its base class of this file declares
    bases: dict[str, list[str]] = {}
    for owner in walk(f.root):
        if owner.type in ("class_declaration", "record_declaration") and owner.child_by_field_name("name") is not None:
            listed = next((c for c in owner.named_children if c.type == "base_list"), None)
            bases[text(owner.child_by_field_name("name"))] = [
                text(b).split("<")[0].rsplit(".", 1)[-1] for b in (listed.named_children if listed is not None else ())]
    for _ in range(3):
        for owner_name, listed in bases.items():
            for base in listed:
                for key in [k for k in out if k.startswith(f"{base}.{DECLARES}:")]:
                    out.setdefault(owner_name + key[len(base):], Num(1.0))
    for finding in findings:
        if finding.kind != "timeout":
            continue
        if any(p.attribute == KEEP_IF and TIMEOUT_MEMBER in repr(p.expr) for p in finding.pending):
            continue  # round 19 (onefuzz): a setting on the service's own type, itself waiting for an applying file
        for name in _TIMEOUT_NAME.findall(str(finding.attributes.get("expression") or "")):
            out[f"{TIMEOUT_MEMBER}.{name}"] = Num(1.0)
    return out


def _health_check_definition(node: Node) -> bool:
    """``new AgentServiceCheck { HTTP = .., Interval = .., Timeout = TimeSpan.FromSeconds(5) }``: how
    long a registry (Consul) or an orchestrator waits for this service's own health endpoint when it
    probes it, no call this service makes."""
    if node.parent is None or node.parent.type != "initializer_expression":
        return False
    creation = node.parent.parent
    if creation is None or creation.type not in ("object_creation_expression", "implicit_object_creation_expression"):
        return False
    type_name = syntax.creation_type(creation) if creation.type == "object_creation_expression" else ""
    return bool(re.search(r"(?:Check|Probe)$|HealthCheck", type_name))


def named_arguments(f: CsFile) -> Iterable[Finding]:
    """``RegisterStorageAccount(cs, requestTimeout: TimeSpan.FromMinutes(2))``, ``new BlobWrapper(cs,
    serverTimeout: Defaults.ServerTimeout)``: a named argument for a timeout, given a TimeSpan (or a
    name holding one), reported on the argument's line. ``requestTimeout: null`` sets none."""
    calls = [inv.node for inv in f.invocations] + list(f.creations)
    for call in calls:
        _, named = syntax.arguments(call.child_by_field_name("arguments"))
        for name, value in named.items():
            lowered = name.lower()
            if not (lowered.endswith("timeout") or lowered in ("maxexecutiontime", "maximumexecutiontime")) or \
                    lowered == "commandtimeout" or any(w in lowered for w in NOT_CALL_ARGUMENTS) or \
                    any(word.lower() in lowered for word in NOT_CALLS):
                continue
            if not (_timespan_like(value) or syntax.timespan_typed(value) or _local_timespan(value) or
                    "ExecutionTime" in text(syntax.unwrap(value) or value)):
                continue
            if _passed_through(value) or _in_json_converter(call):
                continue
            if call.type == "invocation_expression" and syntax.invocation(call).name == "SetTestTimeouts":
                continue  # round 18 (altinn-register): a test harness's own time limits, no call of the service
            if call.type == "invocation_expression" and CALLBACK_PUMPS.match(syntax.invocation(call).name or ""):
                continue  # round 14: SteamKit's `callbacks.RunWaitAllCallbacks(timeout: 50 ms)`: a pump's wait for events
            phase = "connect" if "connect" in lowered else ("read" if "read" in lowered or "receive" in lowered
                                                            else "total")
            anchor = value.parent if value.parent is not None and value.parent.type == "argument" else call
            yield f.timeout_from(anchor, syntax.duration_ms(value), text(value), phase, ID, "client")


def _local_timespan(value: Node) -> bool:
    """Round 12: ``var timeout = TimeSpan.FromSeconds(options.X); .. WaitForExternalEvent<T>(name, timeout: timeout)``:
    a local made from a TimeSpan (not one made of the method's parameter: a forwarder)."""
    node = syntax.unwrap(value)
    if node is None or node.type != "identifier":
        return False
    bound = syntax.unwrap(syntax.local_value(text(node), node))
    return bound is not None and bound.type != "identifier" and _timespan_like(bound) and \
        not _passed_through(bound) and not syntax.parameter_derived(bound)


def _in_json_converter(node: Node) -> bool:
    """Inside a ``JsonConverter<T>`` (System.Text.Json / Newtonsoft): ``new DmlToolsConfig(...,
    queryTimeout: queryTimeout)`` builds a setting's record from the JSON read, it bounds no call (round 11)."""
    owner = syntax.enclosing(node, ("class_declaration", "record_declaration"))
    while owner is not None:
        base_list = next((c for c in owner.named_children if c.type == "base_list"), None)
        if base_list is not None and "JsonConverter" in text(base_list):
            return True
        owner = syntax.enclosing(owner, ("class_declaration", "record_declaration"))
    return False


# round 17: a setter whose name gives the unit: SetReadTimeoutMillis(12000) (Cassandra),
# SetOperationTimeoutInMilliseconds(30000) (a wrapper over the IoT Hub SDK's OperationTimeoutInMilliseconds)
MS_SETTERS = ("TimeoutMillis", "TimeoutInMilliseconds", "TimeoutMilliseconds", "TimeoutMs")


def setter_calls(f: CsFile) -> Iterable[Finding]:
    """``client.SetRequestTimeout(TimeSpan.FromSeconds(30))`` (Octokit) and any ``Set...Timeout`` given
    one TimeSpan (an ``int`` says no unit: not reported)."""
    for inv in f.invocations:
        name = inv.name
        if name.startswith("Set") and name.endswith(MS_SETTERS) and len(inv.args) == 1 and inv.receiver_text:
            # the Cassandra driver's SocketOptions: SetReadTimeoutMillis(12000) / SetConnectTimeoutMillis(3000)
            if syntax.parameter_derived(inv.args[0]):
                continue  # round 12: `SetReadTimeoutMillis(Convert.ToInt32(timeout.Value.TotalMilliseconds))`: a forwarder
            phase = "connect" if "Connect" in name else ("read" if "Read" in name else "total")
            yield f.timeout_from(inv.node, syntax.number(inv.args[0]), text(inv.args[0]), phase, ID, "client")
            continue
        if not (name.startswith("Set") and name.endswith("Timeout")) or len(inv.args) != 1 or not inv.receiver_text \
                or any(word in name for word in NOT_CALLS) or name in ("SetCommandTimeout",):
            continue
        arg = inv.args[0]
        if (_timespan_like(arg) or syntax.timespan_typed(arg)) and not _passed_through(arg):
            phase = "connect" if "Connect" in name else ("read" if "Read" in name else "total")
            yield f.timeout_from(inv.node, syntax.duration_ms(arg), text(arg), phase, ID, "client")


WRAPPER_NAME = re.compile(r"Timeout(Async)?$|WithTimeout|TimeoutAfter")
NOT_WRAPPERS = ("Get", "Is", "Has", "On", "Handle", "Track", "Log", "Throw", "Set", "Parse", "Create", "Calculate",
                "Compute", "Validate", "Report", "Record", "Format", "To")


def timeout_wrappers(f: CsFile) -> Iterable[Finding]:
    """A helper named for a timeout that runs a call under one: ``Utility.WithTimeout(timeouts.ShortTimeout,
    token, ct => client.GetObjectAsync(req, ct))``, ``task.TimeoutAfter(TimeSpan.FromSeconds(5))``,
    ``ExecuteWithTimeoutAsync(work, TimeSpan...)`` (phase deadline), and a stream watched for stalls,
    ``stream.ObserveReadTimeout(timeouts.ReadWriteTimeout)`` (phase read). The timeout is the first
    positional argument that is a TimeSpan or a name holding one."""
    for inv in f.invocations:
        name = inv.name
        if not WRAPPER_NAME.search(name) or name.startswith(NOT_WRAPPERS) or name in OWN_DETECTOR or \
                "OnTimeout" in name or \
                "log" in re.split(r"[.(]", inv.receiver_text, maxsplit=1)[0].lower() or \
                name in ("WithTimeout",) and len(inv.args) + len(inv.named) == 1 or \
                any(word in name for word in NOT_CALLS):
            continue  # Flurl's one-argument WithTimeout is read by flurl_timeouts
        # a named `timeout:` argument is read by named_arguments, on its own line
        value = next((a for a in inv.args if _timespan_like(a) or syntax.timespan_typed(a)), None)
        if value is None or _passed_through(value) or _a_moment(value) or "until" in inv.named:
            continue
        if _configures_lock_r21(inv.node):
            continue
        phase = "read" if name.startswith("Observe") or "Read" in name or "Write" in name else "deadline"
        yield f.timeout_from(inv.node, syntax.duration_ms(value), text(value), phase, ID, "client")


# calls whose TimeSpan argument is a pause, a wait on local state or read by another detector
NOT_POSITIONAL_CALLS = frozenset({
    "Delay", "CancelAfter", "WaitAsync", "Wait", "WaitOne", "WaitAll", "WaitAny", "WhenAny", "Change", "TryTake",
    "TryEnter", "Join", "Sleep", "TimeoutAsync", "Timeout", "AddTimeout", "WithTimeout", "TimeoutAfter", "Add",
    "Subtract", "FromTicks", "Equals", "CompareTo", "Max", "Min", "Format", "Print", "Write", "WriteLine", "nameof",
    "ExpireAfter", "SetSlidingExpiration", "SetAbsoluteExpiration", "Set", "SetAsync", "KeyExpire", "KeyExpireAsync",
})
NOT_POSITIONAL_TYPES = ("CancellationTokenSource", "Timer", "PeriodicTimer", "TimeSpan", "Regex", "SemaphoreSlim")
TIMEOUT_NAME = re.compile(r"(?i)timeout$")


def timeout_named_positionals(f: CsFile) -> Iterable[Finding]:
    """Round 13: a TimeSpan field or local named for a timeout handed positionally to a library's call or
    constructor (``client.AttachProfilerAsync(AttachTimeout, clsid, path, ..)``, dotnet-monitor;
    ``new HealthCheckRegistration(name, factory, failureStatus, tags, timeout)`` with ``timeout`` the method's
    parameter defaulting through ``if (timeout == null) timeout = DefaultTimeout;``, CecoChat): that call's
    timeout, phase total. A parameter without a default is the callers' value (a forwarder): not reported;
    nor are pauses, waits on local state, timers, caches, log calls, or the file's own methods (read by
    helper_parameters)."""
    own = {text(m.child_by_field_name("name")) for m in walk(f.root)
           if m.type in ("method_declaration", "local_function_statement", "constructor_declaration")}
    calls: list[tuple[Node, str, list[Node]]] = [(inv.node, inv.name, inv.args) for inv in f.invocations
                                                 if not inv.name.startswith("Log") and
                                                 "log" not in inv.receiver_text.lower().split(".")[0]]
    for node in walk(f.root):
        if node.type == "object_creation_expression":
            args, _ = syntax.arguments(node.child_by_field_name("arguments"))
            calls.append((node, syntax.creation_type(node) or "", args))
    for node, name, args in calls:
        if not name or name in own or name in NOT_POSITIONAL_CALLS or name in NOT_POSITIONAL_TYPES or \
                "Timeout" in name or "TimeOut" in name:
            continue  # (`.WithExecutionTimeout(_timeout)`: a method named for the timeout, read by timeout_wrappers)
        if name.endswith("Exception"):
            continue  # round 15: `new ArgumentOutOfRangeException(nameof(HandlerTimeout), ..)`, a validation message
        if "Lock" in name:
            continue  # round 19 (btms-backend): `_asyncKeyedLocker.LockOrNullAsync(key, _timeout, ..)`, a lock wait
        if node.type == "invocation_expression" and _reliable_collection_call(name, node, args):
            continue
        for arg in args:
            bare = syntax.unwrap(arg)
            if bare is None or bare.type != "identifier":
                continue
            label = text(bare)
            if not TIMEOUT_NAME.search(label) or any(w.lower() in label.lower() for w in NOT_CALLS) or \
                    "regex" in label.lower() or name in ("IsMatch", "Match", "Matches", "Replace", "Split") or \
                    any(w in label.lower() for w in NOT_CALL_ARGUMENTS) or not syntax.timespan_typed(bare):
                continue
            param = syntax.parameter_node(label, bare)
            if param is not None and syntax.parameter_default(label, param) is None:
                continue  # the callers' value: the contract is at each call that passes one
            at = call_anchor(node) if node.type == "invocation_expression" else node
            yield f.timeout_from(at, syntax.duration_ms(bare), label, "total", ID, "client")
            break


# round 20 (das-payments-v2): Service Fabric's reliable collections (`IReliableDictionary`, `IReliableQueue`,
# the state manager) take a timeout for the replicated transaction on the service's own state
RELIABLE_COLLECTION_METHODS = frozenset({
    "TryGetValueAsync", "AddOrUpdateAsync", "TryRemoveAsync", "GetOrAddAsync", "TryAddAsync", "SetAsync",
    "TryUpdateAsync", "ContainsKeyAsync", "EnqueueAsync", "TryDequeueAsync", "TryPeekAsync", "ClearAsync",
    "GetCountAsync", "CreateEnumerableAsync", "RemoveAsync", "GetOrAddStateAsync", "TryGetAsync",
})
_TRANSACTION = re.compile(r"(?i)(^tx$|transaction|StateManager)")


def _reliable_collection_call(name: str, node: Node, args: list[Node]) -> bool:
    """Round 20 (das-payments-v2): ``jobCache.TryGetValueAsync(reliableTransactionProvider.Current, id,
    TransactionTimeout, ct)``, ``stateManager.GetOrAddAsync<IReliableDictionary2<..>>(key, TransactionTimeout)``:
    a Service Fabric reliable collection read or written inside a transaction (its first argument) or through
    the state manager: the replicated state of the service itself, no call to another service."""
    if name not in RELIABLE_COLLECTION_METHODS:
        return False
    inv = syntax.invocation(node)
    first = text(syntax.unwrap(args[0])) if args and syntax.unwrap(args[0]) is not None else ""
    return bool(_TRANSACTION.search(first.rsplit(".", 1)[0] if first.endswith(".Current") else first)) or \
        "StateManager" in inv.receiver_text or "stateManager" in inv.receiver_text


MOMENT = re.compile(r"(?i)(DateTime|DateTimeOffset|UtcNow|\bNow\b|(Time|At|Date|Until|Expir\w*)$)")


def _a_moment(value: Node) -> bool:
    """Round 13 (cliptok): ``member.TimeoutAsync(mute.ExpireTime + TimeSpan.FromSeconds(10), reason)``, Discord's
    mute until a moment: a point in time plus a span is a moment, not a bound on a call."""
    node = syntax.unwrap(value)
    if node is None or node.type != "binary_expression" or text(node.child_by_field_name("operator")) not in "+-":
        return False
    return any(MOMENT.search(text(syntax.unwrap(node.child_by_field_name(side))).split("(")[0])
               for side in ("left", "right") if node.child_by_field_name(side) is not None)


def helper_parameters(f: CsFile) -> Iterable[Finding]:
    """``XmlServiceFor(uri, TimeSpan.FromSeconds(5))`` where this file declares ``XmlServiceFor(string uri,
    TimeSpan? timeout = null)``: a TimeSpan given positionally to a parameter named for a timeout of one
    of the file's own methods (named arguments are read by named_arguments)."""
    methods: dict[str, list[Node]] = {}
    bodies: dict[str, Node] = {}
    for method in (n for n in walk(f.root) if n.type in ("method_declaration", "local_function_statement")):
        params = method.child_by_field_name("parameters")
        if params is not None:
            methods.setdefault(text(method.child_by_field_name("name")), []).append(params)
            bodies[text(method.child_by_field_name("name"))] = method
    for inv in f.invocations:
        if inv.receiver_text not in ("", "this") or len(methods.get(inv.name, [])) != 1:
            continue
        plist = [p for p in methods[inv.name][0].named_children if p.type == "parameter"]
        for index, arg in enumerate(inv.args):
            if index >= len(plist):
                break
            pname = text(plist[index].child_by_field_name("name")).lower()
            if not (pname.endswith("timeout") or pname == "deadline") or \
                    any(w in pname for w in NOT_CALL_ARGUMENTS) or any(w.lower() in pname for w in NOT_CALLS):
                continue
            if "TimeSpan" not in text(plist[index].child_by_field_name("type")) or not _timespan_like(arg) \
                    or _passed_through(arg) or _only_handed_away(bodies[inv.name], text(plist[index].child_by_field_name("name")),
                                                                 set(methods)) or \
                    _event_age_watchdog(bodies[inv.name], text(plist[index].child_by_field_name("name"))):
                continue
            yield f.timeout_from(inv.node, syntax.duration_ms(arg), text(arg), "total", ID, "client")


WAIT_CALL = re.compile(r"^Wait(?:For)?[A-Z]?\w*$")
HUB_SEND = re.compile(r"(?:^|\.)Clients\.(?:Client|Clients|Group|Groups|User|Users|All|Caller|Others)\b")


def reply_waits(f: CsFile) -> Iterable[Finding]:
    """``await _agentHub.Clients.Client(id).RemoteControl(..); var ready = await
    session.WaitForSessionReady(TimeSpan.FromSeconds(30));``: a SignalR hub sends a command to a connected
    client (an agent, another service) and then waits a bounded time for the signal its answer sets: a
    hand-made request/response whose timeout is that wait (phase total). Reported when the same method
    sent through ``Clients.Client(..)`` / ``.Clients(..)`` / ``.Group(..)``... before the wait, and the wait
    (``Wait..``/``WaitFor..`` of a helper or a signal) is given a duration the code knows; a wait in a
    method that sent nothing (a lock, a local queue) is not one."""
    for inv in f.invocations:
        if not WAIT_CALL.match(inv.name) or inv.name in ("WaitAll", "WaitAny", "WaitToReadAsync", "WaitToWriteAsync",
                                                          "WaitForExit", "WaitForExitAsync", "WaitForConnectionAsync"):
            continue
        value = next((a for a in inv.args if _timespan_like(a) or syntax.timespan_typed(a) or "TimeSpan" in text(a)),
                     None)
        if value is None or _passed_through(value):
            continue
        method = syntax.enclosing(inv.node, ("method_declaration", "local_function_statement", "constructor_declaration"))
        if method is None:
            continue
        sent = any(n.type == "invocation_expression" and n.end_byte <= inv.node.start_byte and
                   HUB_SEND.search(syntax.invocation(n).receiver_text or "") for n in walk(method))
        if not sent:
            continue
        yield f.timeout_from(inv.node, syntax.duration_ms(value), text(value), "total", ID, "signalr")


APPLIES = ("CancelAfter", "WaitAsync", "Wait", "WaitOne", "Delay", "WithTimeout", "TimeoutAfter", "WhenAny")


_NOW = re.compile(r"\b(?:Now|UtcNow|GetUtcNow|start\w*|Start\w*|begin\w*|Elapsed\w*|stopwatch|sw)\b")


def _event_age_watchdog(method: Node, param: str) -> bool:
    """Round 15 (NineChronicles.Headless): ``CheckMessage(TimeSpan messageTimeout)`` whose body only adds the
    parameter to the time an event last happened (``if (Swarm.LastMessageTimestamp + messageTimeout <
    DateTimeOffset.UtcNow)``, ``lastTipChanged + tipTimeout < DateTimeOffset.Now``): a watchdog of how stale
    the node is (it restarts itself), no bound on a call. A deadline made from now or from a start
    (``DateTime.UtcNow + timeout``, ``start + timeout``) is not this."""
    uses = [n for n in walk(method) if n.type == "identifier" and text(n) == param and
            (n.parent is None or n.parent.type != "parameter")]
    if not uses:
        return False
    for use in uses:
        if syntax.enclosing(use, ("interpolated_string_expression",)) is not None:
            continue
        add = use.parent
        if add is None or add.type != "binary_expression" or \
                next((text(c) for c in add.children if not c.is_named), "") != "+":
            return False
        other = [c for c in add.named_children if (c.start_byte, c.end_byte) != (use.start_byte, use.end_byte)]
        if len(other) != 1 or _NOW.search(text(other[0])) or \
                not re.search(r"(?i)last|changed|updated|seen|received|timestamp", text(other[0])):
            return False
    return True


def _only_handed_away(method: Node, param: str, own_methods: set[str]) -> bool:
    """``ExecuteScriptContent(shell, id, command, TimeSpan timeout)`` whose body only hands ``timeout`` on
    to other files' methods (``instance.WriteInput(command, timeout)``): what it bounds is decided there
    (a local shell process, here): the wrappers follow it across files. A parameter the body applies
    itself (a client's ``Timeout``, ``CancelAfter``, a ``??`` fallback) or hands to a method of this file
    stays."""
    uses = [n for n in walk(method) if n.type == "identifier" and text(n) == param and
            (n.parent is None or n.parent.type != "parameter")]
    if not uses:
        return False
    if all(syntax.enclosing(use, ("interpolated_string_expression",)) is not None for use in uses):
        return True  # round 11: only named in a message ($"did not respond within '{queryTimeout}'"): bounds nothing
    for use in uses:
        argument = use.parent
        if argument is None or argument.type != "argument" or argument.parent is None:
            return False
        call = argument.parent.parent
        if call is None or call.type != "invocation_expression":
            return False
        inv = syntax.invocation(call)
        if inv.name in APPLIES or inv.name in own_methods or "Timeout" in inv.name:
            return False
    return True


def _passed_through(value: Node) -> bool:
    """``Create(cs, requestTimeout: requestTimeout)``: the enclosing method's own parameter handed on;
    the setting is made where that method is called."""
    node = syntax.unwrap(value)
    if node is not None and node.type == "invocation_expression":
        # `TimeSpan.FromSeconds(seconds)`: a duration made of the parameter
        inv = syntax.invocation(node)
        return inv.receiver_text in ("TimeSpan", "System.TimeSpan") and len(inv.args) == 1 and \
            _passed_through(inv.args[0])
    if node is not None and node.type == "binary_expression" and \
            text(node.child_by_field_name("operator")) in ("*", "/", "+", "-"):
        return any(_passed_through(node.child_by_field_name(side)) for side in ("left", "right"))
    if node is None or node.type != "identifier":
        return False
    method = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement"))
    params = method.child_by_field_name("parameters") if method is not None else None
    return params is not None and any(p.type == "parameter" and text(p.child_by_field_name("name")) == text(node)
                                      for p in params.named_children)


WEB_REQUESTS = ("HttpWebRequest", "WebRequest", "FtpWebRequest", "FileWebRequest")


def _web_request(left: Node) -> bool:
    """``webRequest.Timeout`` where ``webRequest`` is an ``HttpWebRequest`` (declared so, or made by
    ``(HttpWebRequest) WebRequest.Create(uri)``): a number of ms."""
    if left.type != "member_access_expression":
        return False
    owner = syntax.unwrap(left.child_by_field_name("expression"))
    if owner is None or owner.type != "identifier":
        return False
    bound = syntax.local_value(text(owner), left)
    if bound is not None and re.search(r"\b(Http|Ftp)?WebRequest\.Create(Http)?\b|\((Http|Ftp)WebRequest\)", text(bound)):
        return True
    declaration = None
    for node in syntax.ancestors_of(left):
        if node.type in ("method_declaration", "constructor_declaration", "local_function_statement"):
            declaration = node
            break
    for decl in walk(declaration) if declaration is not None else ():
        if decl.type == "variable_declarator" and text(decl.child_by_field_name("name")) == text(owner):
            type_node = decl.parent.child_by_field_name("type") if decl.parent is not None else None
            return type_node is not None and text(type_node) in WEB_REQUESTS
        if decl.type == "parameter" and text(decl.child_by_field_name("name")) == text(owner):
            return text(decl.child_by_field_name("type")) in WEB_REQUESTS
    return False


def _smtp_client(left: Node) -> bool:
    """``smtp.Timeout`` where ``smtp = new SmtpClient()`` (System.Net.Mail / MailKit), or ``new
    SmtpClient { Timeout = 20000 }``: ms."""
    assignment = left.parent
    if left.type == "identifier" and assignment is not None and assignment.parent is not None and \
            assignment.parent.type == "initializer_expression":
        owner = assignment.parent.parent
        return owner is not None and owner.type == "object_creation_expression" and \
            syntax.creation_type(owner).endswith("SmtpClient")
    if left.type != "member_access_expression":
        return False
    owner = syntax.unwrap(left.child_by_field_name("expression"))
    if owner is None or owner.type != "identifier":
        return False
    bound = syntax.unwrap(syntax.local_value(text(owner), left))
    return bound is not None and bound.type == "object_creation_expression" and \
        syntax.creation_type(bound).endswith("SmtpClient")


def flurl_timeouts(f: CsFile) -> Iterable[Finding]:
    """``url.WithHeader(...).WithTimeout(TimeSpan.FromSeconds(30)).PostJsonAsync(...)`` (Flurl)."""
    for inv in f.invocations_named("WithTimeout"):
        if len(inv.args) != 1:
            continue
        arg = inv.args[0]
        if "TimeSpan" in text(arg):
            yield f.timeout_from(inv.node, syntax.duration_ms(arg), text(arg), "total", ID, "flurl")
        elif b"Flurl" in f.data:
            yield f.timeout_from(inv.node, syntax.number(arg), text(arg), "total", ID, "flurl", scale=1000.0)


def drop_covered(findings: list[Finding]) -> list[Finding]:
    """This detector's findings minus those another detector already reports on the same lines."""
    others = [f for f in findings if f.detector != ID and f.kind in ("timeout", "missing_timeout")]
    return [f for f in findings if f.detector != ID or not any(
        o.kind == f.kind and o.path == f.path and o.line <= f.line <= o.end_line for o in others)]


def _configures_lock_r21(node: Node) -> bool:
    """Round 21 (docspace-server): ``new RedisLockProvider(client, logger, inner, opt => { opt.MinTimeout(t); })``:
    an option of a lock provider handed in as a lambda (how long to wait for a lock), no call bounded."""
    lam = node.parent
    while lam is not None and lam.type != "lambda_expression":
        lam = lam.parent
    if lam is None or lam.parent is None or lam.parent.type != "argument":
        return False
    owner = lam.parent.parent.parent if lam.parent.parent is not None else None
    if owner is None:
        return False
    if owner.type == "object_creation_expression":
        name = syntax.creation_type(owner)
    elif owner.type == "invocation_expression":
        name = syntax.invocation(owner).name
    else:
        return False
    return re.search(r"Lock(?!out)", name or "") is not None
