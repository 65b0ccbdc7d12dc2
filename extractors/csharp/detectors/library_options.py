"""Timeouts and retry counts of client libraries whose knobs are plain numbers or their own fluent calls.

What it does: reads the settings of the libraries below, each in its own unit, where the value is set
in an object initializer (``new ConfigurationOptions { ConnectTimeout = 5000 }``) or assigned to a
variable, field or parameter of that type (``socket.ReceiveTimeout = 5000``):

- StackExchange.Redis ``ConfigurationOptions``: ``ConnectTimeout`` (connect), ``SyncTimeout`` and
  ``AsyncTimeout`` (total), in ms; ``ConnectRetry`` = attempts of the initial connect (its default is
  3); the same keys in a configuration string given to ``ConnectionMultiplexer.Connect`` /
  ``ConnectAsync`` / ``ConfigurationOptions.Parse`` (``"redis:6379,connectTimeout=5000,syncTimeout=2000"``).
- ``Socket`` / ``TcpClient`` ``SendTimeout`` (write) and ``ReceiveTimeout`` (read), ``NetworkStream`` /
  ``SslStream`` ``WriteTimeout`` / ``ReadTimeout``: ms; 0 or -1 waits forever (not reported).
- RestSharp ``RestClientOptions { MaxTimeout = 10000 }`` / ``Timeout`` and ``RestRequest { Timeout = 5000 }``
  given as a number: ms (a TimeSpan there is read by csharp.timeout_option).
- Confluent.Kafka ``ProducerConfig`` / ``ConsumerConfig`` / ``ClientConfig``: ``MessageTimeoutMs`` and
  ``RequestTimeoutMs`` (total), ``SocketTimeoutMs`` (read), ``SocketConnectionSetupTimeoutMs``
  (connect), in ms; ``MessageSendMaxRetries`` / ``Retries`` count retries (+1 attempt).
- AWS SDK client configs (``new AmazonS3Config { MaxErrorRetry = 2 }``, ``config.MaxErrorRetry = 5``):
  retries of every request (+1 attempt), exponential.
- gRPC: a call's ``deadline: DateTime.UtcNow.AddSeconds(5)`` (also in ``new CallOptions(deadline:
  ...)`` and ``.WithDeadline(...)``; the now may be a project clock's, ``TimestampHelper.GetUtcNow()
  .ToDateTime()``) is a deadline of that many ms, and so is a channel's wait to reconnect
  (``channel.TryWaitForStateChangedAsync(state, DateTime.UtcNow.AddSeconds(3))``); ``new RetryPolicy {
  MaxAttempts = 5 }`` of a channel's service config counts attempts (the first call included),
  exponential.
- Azure Durable Functions: ``new RetryOptions(TimeSpan.FromSeconds(1), 3)`` (in-process) and ``new
  RetryPolicy(3, TimeSpan.FromSeconds(1))`` (isolated worker) count attempts, the first included,
  reported at the ``CallActivityWithRetryAsync`` / ``CallSubOrchestratorWithRetryAsync`` call they
  are handed to (named ``maxNumberOfAttempts:`` is csharp.retry_option's). Durable Task's isolated
  worker SDK (``Microsoft.DurableTask``): ``context.CallActivityAsync(nameof(A), input, options)`` /
  ``CallSubOrchestratorAsync`` given ``TaskOptions`` built from ``TaskRetryOptions.FromRetryPolicy(new
  RetryPolicy(maxNumberOfAttempts: 8, ..))`` (through a field, a property or ``new TaskOptions(retry)``)
  is retried that many times in all, reported at each call (round 12); options that come from a
  constructor parameter typed ``TaskRetryOptions``/``TaskOptions`` (or a base class's retry member the
  class fills from its one such parameter) count what the class's constructions pass there
  (``new Step(context, _defaultRetryOptions)`` publishes ``Step.$ctor-retry:1``), unknown when they
  differ. The policy's own creation is then not reported (the calls carry it).
- MassTransit's retry configurator (``UseMessageRetry(r => r.Interval(3, TimeSpan.FromSeconds(5)))``,
  also ``UseRetry``, ``UseDelayedRedelivery``, ``UseScheduledRedelivery``): ``Immediate(n)``,
  ``Interval(n, ...)``, ``Incremental(n, ...)``, ``Exponential(n, ...)`` retry n times (n + 1
  attempts), ``Intervals(a, b, c)`` once per interval.
- Wolverine error policies (round 14): ``chain.OnException<T>().RetryWithCooldown(d1, d2, d3).Then.ScheduleRetry(
  d4, d5).Then.MoveToErrorQueue()`` is one retry, reported at its first retry call: 1 + one retry per delay
  (``RetryTimes(n)`` n, ``RetryOnce()`` 1, ``RetryTwice()`` 2); unknown when a delay list is made elsewhere
  (``policy.GetCooldownDelays()``) or it retries indefinitely.
- NServiceBus recoverability: ``Immediate(i => i.NumberOfRetries(3))`` / ``Delayed(d =>
  d.NumberOfRetries(2))``: n retries (n + 1 attempts).
- Azure DevOps / GitHub Actions service clients (``Microsoft.VisualStudio.Services``): the request settings'
  ``MaxRetryRequest`` (``VssClientHttpRequestSettings`` / ``RawClientHttpRequestSettings``, and
  ``new VssHttpRetryMessageHandler(3)``) count retries of every request (+1 attempt), exponential; their
  ``SendTimeout`` is a TimeSpan (csharp.timeout_option).
- SignalR's ``WithAutomaticReconnect(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(2) })``: one reconnect
  attempt per delay (after the lost connection: delays + 1 connects); without delays 4 attempts
  (0, 2, 10 and 30 s) follow the first connect; with an ``IRetryPolicy`` of the project's own
  (``WithAutomaticReconnect(new RetryPolicy(logger))``) reconnects as that policy says: a retry of
  unknown bound.
- TechnitiumLibrary (``using TechnitiumLibrary``): a ``DnsClient``'s (or any ``*DnsClient``'s) ``Timeout``
  is ms per try and ``Retries`` the number of tries (it waits ``Timeout * Retries``);
  ``TaskExtensions.TimeoutAsync(func, 5000)`` runs ``func`` under a deadline in ms.
- ``System.Net.NetworkInformation.Ping``'s ``Send`` / ``SendPingAsync(address, 4000)``: ms; a
  ``NamedPipeClientStream``'s ``Connect(15000)`` / ``ConnectAsync(15000)``: ms to connect to the
  pipe's server process.
- The Dataverse / Dynamics CRM ``ServiceClient`` / ``CrmServiceClient``: ``MaxRetryCount`` counts
  retries of every request (+1 attempt) (its ``MaxConnectionTimeout`` is a TimeSpan:
  csharp.timeout_option).
- Azure Event Grid's ``EventSubscriptionRetryPolicy { MaxDeliveryAttempts = 10, EventTimeToLiveInMinutes = 60 }``
  (an event subscription's delivery to its endpoint): attempts in all, and a deadline in minutes on the
  re-delivered event.
- dotnet's ``Microsoft.DotNet.Services.Utility``: ``ExponentialRetry.Default.RetryAsync(work, ...)``
  retries up to 10 times (11 tries), exponentially.

Not reported: the same property names on other types (``message.Timeout = 30`` on an unknown object,
``RetryPolicy`` of another library without ``MaxAttempts``), Kafka's ``SessionTimeoutMs`` and
``MaxPollIntervalMs`` (consumer-group liveness, not a call), a deadline that is not computed from now,
the words in strings or comments.

Why it matters: each of these libraries sends to another service with a bound of its own; the number
is only a contract once its unit is known.

Example: ``new ConfigurationOptions { ConnectTimeout = 60000 }`` -> timeout 60000 ms, connect.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Expr, Num, Ref
from contract_discovery.values import normalise_ms
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, call_anchor, count, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.library_options"

# owner type -> {property: (phase, library)}; numbers in ms
REDIS = {"ConnectTimeout": "connect", "SyncTimeout": "total", "AsyncTimeout": "total"}
SOCKET = {"SendTimeout": "write", "ReceiveTimeout": "read"}
STREAM = {"WriteTimeout": "write", "ReadTimeout": "read"}
RESTSHARP = {"MaxTimeout": "total", "Timeout": "total"}
KAFKA = {"MessageTimeoutMs": "total", "RequestTimeoutMs": "total", "SocketTimeoutMs": "read",
         "SocketConnectionSetupTimeoutMs": "connect"}
MS_OPTIONS: dict[str, tuple[dict[str, str], str]] = {
    "ConfigurationOptions": (REDIS, "stackexchange.redis"),
    "Socket": (SOCKET, "socket"), "TcpClient": (SOCKET, "socket"),
    "NetworkStream": (STREAM, "socket"), "SslStream": (STREAM, "socket"),
    "RestClientOptions": (RESTSHARP, "restsharp"), "RestRequest": ({"Timeout": "total"}, "restsharp"),
    "ProducerConfig": (KAFKA, "confluent.kafka"), "ConsumerConfig": (KAFKA, "confluent.kafka"),
    "ClientConfig": (KAFKA, "confluent.kafka"), "AdminClientConfig": (KAFKA, "confluent.kafka"),
    # bezzad/Downloader: a block read may stall this long (ms); a request's total and connect budgets (ms)
    "DownloadConfiguration": ({"Timeout": "read", "BlockTimeout": "read"}, "downloader"),
    "RequestConfiguration": ({"Timeout": "total", "ConnectTimeout": "connect"}, "downloader"),
}
FOREVER_AT_ZERO = ("socket",)  # a socket's 0 / -1 waits forever
# owner type -> {property: (retries added to the count, library, backoff)}
COUNTS: dict[str, dict[str, tuple[float, str, str | None]]] = {
    "ConfigurationOptions": {"ConnectRetry": (0.0, "stackexchange.redis", None)},
    "ProducerConfig": {"MessageSendMaxRetries": (1.0, "confluent.kafka", "exponential"),
                       "Retries": (1.0, "confluent.kafka", "exponential")},
    # bezzad/Downloader: tries again this many times after a failed download (+1 attempt)
    "DownloadConfiguration": {"MaxTryAgainOnFailure": (1.0, "downloader", None)},
    # round 12: Azure Cosmos DB: retries of a request throttled with 429 (+1 attempt)
    "CosmosClientOptions": {"MaxRetryAttemptsOnRateLimitedRequests": (1.0, "azure.cosmos", "exponential")},
}
# Constructors taking a timeout in ms at a position (argument count -> index): kapetan/DNS's
# `new UdpRequestResolver(dns, fallback, 4000)` / `new UdpRequestResolver(dns, 4000)` (default 5000 ms).
MS_CONSTRUCTOR_ARGS: dict[str, tuple[dict[int, int], str]] = {
    "UdpRequestResolver": ({3: 2, 2: 1}, "dns"),
}
AWS_RETRY = "MaxErrorRetry"
TECHNITIUM_DNS = {"Timeout": "total", "Retries": "tries"}  # TechnitiumLibrary.Net.Dns.DnsClient: ms per try, tries
EVENT_GRID_RETRY = ("MaxDeliveryAttempts", "EventTimeToLiveInMinutes")  # Azure Event Grid EventSubscriptionRetryPolicy
DATAVERSE_RETRY = "MaxRetryCount"
CAP_RETRY_R22 = "FailedRetryCount"  # DotNetCore.CAP's CapOptions
DOCUMENTDB_RETRY_R22 = "MaxRetryAttemptsOnThrottledRequests"  # Microsoft.Azure.Documents.Client.RetryOptions
DATAVERSE_CLIENTS = ("ServiceClient", "CrmServiceClient")
# calls taking a timeout in ms: method -> (receiver types, argument index, phase, library)
MS_CALL_ARGS: dict[str, tuple[tuple[str, ...], int, str, str]] = {
    "SendPingAsync": (("Ping",), 1, "total", "ping"),
    "Send": (("Ping",), 1, "total", "ping"),
    "Connect": (("NamedPipeClientStream",), 0, "connect", "named-pipe"),
    "ConnectAsync": (("NamedPipeClientStream",), 0, "connect", "named-pipe"),
    "TimeoutAsync": (("TaskExtensions",), 1, "deadline", "technitium"),
    # round 12: Confluent.Kafka's admin client: `adminClient.GetMetadata(TimeSpan.FromSeconds(5))` (a topic first
    # in the two-argument form)
    "GetMetadata": (("IAdminClient", "AdminClient", "IProducer", "IConsumer"), 0, "total", "confluent.kafka"),
}
VSS_RETRY = "MaxRetryRequest"
REDIS_STRING_KEYS = {"connecttimeout": "connect", "synctimeout": "total", "asynctimeout": "total"}
REDIS_CONNECTS = ("ConnectionMultiplexer.Connect", "ConnectionMultiplexer.ConnectAsync", "ConfigurationOptions.Parse")
MASSTRANSIT_POLICIES = ("UseMessageRetry", "UseRetry", "UseDelayedRedelivery", "UseScheduledRedelivery",
                        "UseDelayedRetry")
MASSTRANSIT_COUNTED = {"Immediate": None, "Interval": "fixed", "Incremental": "linear", "Exponential": "exponential"}
NSB_POLICIES = ("Immediate", "Delayed")
SIGNALR_DEFAULT_ATTEMPTS = 5  # the first connect, then reconnects after 0, 2, 10 and 30 s
DEADLINE_UNITS = {"AddMilliseconds": 1.0, "AddSeconds": 1000.0, "AddMinutes": 60000.0, "AddHours": 3600000.0}


# dotnet's Microsoft.DotNet.Services.Utility (arcade-services, dnceng): `ExponentialRetry.Default.RetryAsync(work,
# log, isRetryable)` runs the work again up to RetryCount = 10 more times (11 tries), exponentially; an instance
# built from `ExponentialRetryOptions { RetryCount = n }` is read at that RetryCount (csharp.retry_option)
DOTNET_EXPONENTIAL_DEFAULT = ("ExponentialRetry.Default", "Microsoft.DotNet.Services.Utility.ExponentialRetry.Default")


# AWS SDK for .NET: `RetryMode = RequestRetryMode.Standard` / `.Adaptive` without a MaxErrorRetry makes 3 attempts
# (the standard modes' default); `.Legacy` retries 4 times (5 attempts)
AWS_MODE_ATTEMPTS = {"Standard": 3.0, "Adaptive": 3.0, "Legacy": 5.0}


def _aws_retry_mode(f: CsFile, node: Node, mode: str) -> Finding | None:
    """``new AmazonSQSConfig { RetryMode = RequestRetryMode.Adaptive }``: the mode's default attempts, unless the
    same config sets ``MaxErrorRetry`` (read there)."""
    owner = _owner_type(node)
    if owner is None or not (owner.startswith("Amazon") or owner == "ClientConfig") or not owner.endswith("Config"):
        return None
    parent = node.parent
    if parent is not None and parent.type == "initializer_expression" and \
            AWS_RETRY in syntax.initializer_items(parent.parent):
        return None
    if parent is None or parent.type != "initializer_expression":
        receiver = node.child_by_field_name("left").child_by_field_name("expression") \
            if node.child_by_field_name("left").type == "member_access_expression" else None
        scope = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement"))
        if receiver is not None and scope is not None and f"{text(receiver)}.{AWS_RETRY}" in text(scope):
            return None  # `config.MaxErrorRetry = 2` nearby: read there
    return _retry(f, node, None, 0.0, "aws-sdk", "exponential", default=normalise_ms(AWS_MODE_ATTEMPTS[mode]))


# Confluent.Kafka's own property names: set on a lambda's parameter (an Action<ProducerConfig>), they are its
KAFKA_ONLY = ("MessageSendMaxRetries", "MessageTimeoutMs", "SocketConnectionSetupTimeoutMs")


def _lambda_parameter_receiver(left: Node) -> bool:
    """``config.MessageTimeoutMs`` where ``config`` is the parameter of the lambda the assignment is in."""
    if left.type != "member_access_expression":
        return False
    receiver = left.child_by_field_name("expression")
    if receiver is None or receiver.type != "identifier":
        return False
    lam = syntax.enclosing(left, ("lambda_expression",))
    return lam is not None and syntax.lambda_param(lam) == text(receiver)


def _owner_type(assignment: Node) -> str | None:
    """The type whose property ``assignment`` sets: the object being created around an initializer
    (``new ConfigurationOptions { ConnectTimeout = 5000 }``) or the declared type of the variable,
    field or parameter on the left (``socket.ReceiveTimeout = 5000``; ``var o = new RestRequest(..)``)."""
    parent = assignment.parent
    if parent is not None and parent.type == "initializer_expression":
        owner = parent.parent
        if owner is not None and owner.type == "object_creation_expression":
            return syntax.creation_type(owner)
        if owner is not None and owner.type == "implicit_object_creation_expression":
            return syntax.implicit_type(owner) or None
        return None
    left = assignment.child_by_field_name("left")
    if left is None or left.type != "member_access_expression":
        return None
    receiver = left.child_by_field_name("expression")
    if receiver is None:
        return None
    if receiver.type == "member_access_expression" and text(receiver.child_by_field_name("name")) == "Client" and \
            _owner_of_name(receiver.child_by_field_name("expression"), assignment) in ("TcpClient", "UdpClient"):
        return "Socket"  # tcpClient.Client.ReceiveTimeout
    if receiver.type == "member_access_expression" and _redis_options_member_r20(receiver, assignment):
        return "ConfigurationOptions"
    return _owner_of_name(receiver, assignment)


def _redis_options_member_r20(receiver: Node, assignment: Node) -> bool:
    """Round 20 (notesnook-sync-server): ``options.Configuration.ConnectTimeout = 5000`` in SignalR's
    ``AddStackExchangeRedis(options => ..)`` (``RedisOptions.Configuration`` is a ``ConfigurationOptions``) and
    ``options.ConfigurationOptions.SyncTimeout = ..`` of the distributed cache's options: the Redis client's
    options reached through the member that holds them."""
    member = text(receiver.child_by_field_name("name"))
    if member == "ConfigurationOptions":
        return True
    if member != "Configuration":
        return False
    lam = syntax.enclosing(assignment, ("lambda_expression",))
    owner = syntax.enclosing(lam, ("invocation_expression",)) if lam is not None else None
    if owner is not None and syntax.invocation(owner).name == "AddStackExchangeRedis":
        return True
    scope = lam or syntax.enclosing(assignment, ("method_declaration", "constructor_declaration")) or assignment
    held = text(receiver)
    return any(n.type == "assignment_expression" and text(n.child_by_field_name("left")) == held and
               re.search(r"\bConfigurationOptions\b", text(n.child_by_field_name("right")) or "") is not None
               for n in walk(scope))


def _owner_of_name(receiver: Node | None, use: Node) -> str | None:
    if receiver is None:
        return None
    name = text(receiver)
    if receiver.type == "member_access_expression" and text(receiver.child_by_field_name("expression")) == "this":
        name = text(receiver.child_by_field_name("name"))
    elif receiver.type != "identifier":
        return None
    bound = syntax.unwrap(syntax.local_value(name, use))
    if bound is not None and bound.type == "object_creation_expression":
        return syntax.creation_type(bound)
    declared = syntax.declared_type(name, use)
    if declared:
        return declared.split(".")[-1]
    # `var config = new AmazonS3Config();` in an outer scope, or a lambda's parameter: the creation nearby
    return None


def _ms_finding(f: CsFile, node: Node, value: Node, phase: str, library: str) -> Finding | None:
    if syntax.parameter_derived(value):
        return None  # `ConnectTimeout = connectTimeout * 1000`, a local made of the caller's timeout: a forwarder
    expr = syntax.number(value)
    settled = syntax.settle(expr)
    if library in FOREVER_AT_ZERO and settled is not None and settled <= 0:
        return None
    return f.timeout_from(node, expr, text(value), phase, ID, library)


def _retry(f: CsFile, node: Node, value: Node | None, add: float, library: str, backoff: str | None,
           default: float | None = None) -> Finding:
    attempts, pending = count(value, add=add) if value is not None else (default, ())
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
             "library": library}
    return f.finding("retry", node, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


@csharp_detector(ID, ("timeout", "retry"),
                 valid=('var s = "connectTimeout=5000"; // not handed to a connect\n',
                        "message.Timeout = 30; // an unknown object\n",
                        "var c = new ConsumerConfig { SessionTimeoutMs = 10000 };\n",
                        "socket.ReceiveTimeout = 0; // forever\n"),
                 invalid=("var o = new ConfigurationOptions { ConnectTimeout = 5000 };\n",
                          'var m = ConnectionMultiplexer.Connect("redis:6379,syncTimeout=2000");\n',
                          "var p = new ProducerConfig { MessageTimeoutMs = 30000, MessageSendMaxRetries = 3 };\n",
                          "var s3 = new AmazonS3Config { MaxErrorRetry = 2 };\n",
                          "settings.MaxRetryRequest = 3;\n",
                          "var r = await client.SayHelloAsync(req, deadline: DateTime.UtcNow.AddSeconds(5));\n",
                          "cfg.UseMessageRetry(r => r.Interval(3, TimeSpan.FromSeconds(5)));\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for node in f.assignments:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            continue
        name = text(left.child_by_field_name("name")) if left.type == "member_access_expression" else text(left)
        if name == AWS_RETRY:
            yield _retry(f, node, right, 1.0, "aws-sdk", "exponential")
            continue
        if name == "RetryMode" and text(right).rsplit(".", 1)[-1] in AWS_MODE_ATTEMPTS and \
                "RequestRetryMode" in text(right):
            found = _aws_retry_mode(f, node, text(right).rsplit(".", 1)[-1])
            if found is not None:
                yield found
            continue
        if "redis" in name.lower() and right.type == "string_literal" and REDIS_HOST_R16.match(
                syntax.string_literal(right) or ""):
            # round 16 (nadekobot): `RedisOptions = "localhost:6379,syncTimeout=30000,.."`: the configuration
            # string a ConnectionMultiplexer is later made from
            yield from _redis_parts_r16(f, node, syntax.string_literal(right))
            continue
        if name in ("RetryMode", "DefaultRetryMode") and text(right).replace(" ", "") in DISCORD_RETRY_MODES_R16 \
                and b"Discord" in f.data:
            # round 16 (nadekobot): Discord.Net's RequestOptions / DiscordConfig retry mode: AlwaysFail turns the
            # client's re-sends off (1 try), AlwaysRetry re-sends without a count (null); Retry502 / RetryRatelimit
            # re-send one kind of failure without a count: no contract of their own
            attempts = DISCORD_RETRY_MODES_R16[text(right).replace(" ", "")]
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": "discord.net"}
            yield f.finding("retry", node, ID, attrs, "high")
            continue
        if name == VSS_RETRY and left.type == "member_access_expression":
            yield _retry(f, node, right, 1.0, "azure-devops", "exponential")
            continue
        if name in TECHNITIUM_DNS and left.type == "member_access_expression" and b"TechnitiumLibrary" in f.data:
            owner = _owner_type(node)
            if owner is not None and owner.endswith("DnsClient"):
                if name == "Retries":
                    yield _retry(f, node, right, 0.0, "technitium.dns", None)
                elif not (syntax.timespan_typed(right) or "TimeSpan" in text(right)):
                    found = _ms_finding(f, node, right, TECHNITIUM_DNS[name], "technitium.dns")
                    if found is not None:
                        yield found
                continue
        if name in EVENT_GRID_RETRY and b"EventGrid" in f.data and _owner_type(node) == "EventSubscriptionRetryPolicy":
            # round 11: Event Grid's delivery to a subscription's endpoint: attempts in all, and minutes the
            # event is re-delivered for (a deadline on the retried delivery)
            if name == "MaxDeliveryAttempts":
                yield _retry(f, node, right, 0.0, "azure.eventgrid", "exponential")
            elif not syntax.parameter_derived(right):
                yield f.timeout_from(node, syntax.number(right), text(right), "deadline", ID, "azure.eventgrid",
                                     scale=60000.0)
            continue
        if name == CAP_RETRY_R22 and (b"CapOptions" in f.data or b"AddCap" in f.data or b"DotNetCore.CAP" in f.data) \
                and _owner_type(node) in (None, "CapOptions"):
            # round 22 (adnc): DotNetCore.CAP re-sends / re-consumes a failed message up to FailedRetryCount times
            # (`capOptions.FailedRetryCount = 50` in `AddCap(x => ..)` or on a CapOptions): +1 attempt
            yield _retry(f, node, right, 1.0, "cap", None)
            continue
        if name == DOCUMENTDB_RETRY_R22 and (b"ConnectionPolicy" in f.data or b"DocumentClient" in f.data or
                                             b"Microsoft.Azure.Documents" in f.data):
            # round 22 (das-provider-relationships): the legacy Cosmos DB SDK's `new ConnectionPolicy { RetryOptions
            # = { MaxRetryAttemptsOnThrottledRequests = 4 } }` (or `policy.RetryOptions.MaxRetryAttemptsOn..`):
            # retries of a request throttled with 429 (+1 attempt), at the assignment
            yield _retry(f, node, right, 1.0, "azure.documentdb", "exponential")
            continue
        if name == DATAVERSE_RETRY and (b"Dataverse" in f.data or b"Xrm" in f.data) and \
                _owner_type(node) in DATAVERSE_CLIENTS:
            yield _retry(f, node, right, 1.0, "dataverse", None)
            continue
        if not any(name in props for props, _ in MS_OPTIONS.values()) and \
                not any(name in props for props in COUNTS.values()):
            continue
        owner = _owner_type(node)
        if owner is None and name in SOCKET and left.type == "member_access_expression" and \
                b"System.Net.Sockets" in f.data:
            owner = "Socket"  # a socket the file uses, its type declared elsewhere
        if owner is None and name in KAFKA_ONLY and b"Kafka" in f.data and _lambda_parameter_receiver(left):
            owner = "ProducerConfig"  # round 12: `healthChecks.AddKafka(config => { config.MessageTimeoutMs = .. })`
        if owner is None:
            continue
        if owner in MS_OPTIONS and name in MS_OPTIONS[owner][0]:
            if syntax.timespan_typed(right) or "TimeSpan" in text(right):
                continue  # a TimeSpan: csharp.timeout_option reads it
            found = _ms_finding(f, node, right, MS_OPTIONS[owner][0][name], MS_OPTIONS[owner][1])
            if found is not None:
                yield found
        elif owner in COUNTS and name in COUNTS[owner]:
            add, library, backoff = COUNTS[owner][name]
            yield _retry(f, node, right, add, library, backoff)
    for creation in f.creations:
        known = MS_CONSTRUCTOR_ARGS.get(syntax.creation_type(creation) or "")
        if known is None:
            continue
        args, named = syntax.arguments(creation.child_by_field_name("arguments"))
        index = known[0].get(len(args))
        value = named.get("timeout") or (args[index] if index is not None else None)
        if value is None or syntax.unwrap(value) is None or \
                syntax.unwrap(value).type in ("object_creation_expression", "null_literal", "string_literal"):
            continue  # `new UdpRequestResolver(dns, new TcpRequestResolver(dns))`: the fallback, no timeout given
        found = _ms_finding(f, creation, value, "total", known[1])
        if found is not None:
            yield found
    yield from _pipeline_policy_subclasses_r16(f)
    for inv in f.invocations:
        if inv.callee in REDIS_CONNECTS or (inv.name in ("Connect", "ConnectAsync") and
                                            inv.receiver_text.endswith("ConnectionMultiplexer")):
            yield from _redis_string(f, inv)
        if "deadline" in inv.named:
            # round 16: a setting handed to a call is the called name's line (the brief's convention), also when
            # the `deadline:` argument sits lines below it in a multi-line call (nadekobot's HeartbeatAsync)
            yield from _deadline(f, inv.named["deadline"], call_anchor(inv.node))
        elif len(inv.args) >= 3 and not inv.named.keys() & {"headers", "deadline"} and b"Grpc" in f.data and \
                syntax.unwrap(inv.args[2]) is not None and syntax.unwrap(inv.args[2]).type == "identifier":
            # round 12: a generated gRPC client method's positional deadline,
            # `client.GetUserChatsAsync(request, headers, deadline, ct)` with `deadline` a local now + span
            yield from _deadline(f, inv.args[2])
        elif inv.name == "WithMaxRetry" and len(inv.args) == 1 and not inv.named:
            # round 16 (round-15 request, company-communicator): a Microsoft Graph SDK request's
            # `.Request().WithMaxRetry(n)`: the RetryHandler re-sends n times, n + 1 tries, at that line
            attempts, pending = count(inv.args[0], add=1)
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                     "library": "microsoft-graph"}
            yield f.finding("retry", call_anchor(inv.node), ID, attrs, "high" if not pending else "medium",
                            pending=pending)
        elif inv.name == "WithDeadline" and len(inv.args) == 1:
            yield from _deadline(f, inv.args[0], inv.node)
        elif inv.name == "FailedCommandRetryDelay" and len(inv.args) == 1 and b"Cqrs" in f.data:
            # round 20 (margintrading): Lykke.Cqrs `Register.BoundedContext(..).FailedCommandRetryDelay(ms)`: a
            # failed command is re-delivered after the delay for as long as it fails (no bound: null)
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "lykke.cqrs"}
            yield f.finding("retry", call_anchor(inv.node), ID, attrs, "medium")
        elif inv.name in GRPC_CHANNEL_WAITS and len(inv.args) == 2 and b"Grpc" in f.data:
            # channel.TryWaitForStateChangedAsync(channel.State, DateTime.UtcNow.AddSeconds(3)): the wait to
            # reconnect to the server ends at that deadline
            yield from _deadline(f, inv.args[1], inv.node)
        if inv.name in MASSTRANSIT_COUNTED or inv.name == "Intervals":
            yield from _masstransit(f, inv)
        elif inv.name == "NumberOfRetries" and len(inv.args) == 1:
            yield from _nservicebus(f, inv)
        elif inv.name == "WithAutomaticReconnect":
            yield from _signalr(f, inv)
        elif _wolverine_kind_r16(inv) is not None and b"Wolverine" in f.data:
            yield from _wolverine(f, inv)
        elif inv.name == "WithThrottlingRetryOptions" and len(inv.args) == 2 and b"Cosmos" in f.data:
            # round 12: CosmosClientBuilder.WithThrottlingRetryOptions(maxRetryWaitTime, maxRetryAttempts): the
            # retries of a throttled (429) request (+1 attempt)
            yield _retry(f, inv.node, inv.args[1], 1.0, "azure.cosmos", "exponential")
        elif inv.name in MS_CALL_ARGS:
            yield from _ms_call(f, inv)
        elif inv.name in DURABLE_CALLS and (b"DurableTask" in f.data or b"Durable" in f.data):
            yield from _durable_options(f, inv)
        elif inv.name in DURABLE_TASK_CALLS and (b"DurableTask" in f.data or b"TaskOrchestrationContext" in f.data):
            yield from _durable_task_call(f, inv)
        elif inv.name == "RetryAsync" and inv.receiver_text in DOTNET_EXPONENTIAL_DEFAULT:
            # dotnet's Microsoft.DotNet.Services.Utility: ExponentialRetry.Default is RetryCount = 10 retries
            yield _retry(f, inv.node, None, 0.0, "dotnet-services-utility", "exponential", default=11.0)
    if b"TaskOrchestrationContext" in f.data or b"DurableTask" in f.data:
        yield from _durable_task_handed_r18(f)
    for creation in f.creations:
        kind = syntax.creation_type(creation)
        if kind == "CallOptions":
            _, named = syntax.arguments(creation.child_by_field_name("arguments"))
            if "deadline" in named:
                yield from _deadline(f, named["deadline"])
        elif kind == "VssHttpRetryMessageHandler":
            args, named = syntax.arguments(creation.child_by_field_name("arguments"))
            bound = named.get("maxRetries") or (args[0] if args else None)
            if bound is not None and syntax.unwrap(bound) is not None and syntax.unwrap(bound).type != "object_creation_expression":
                yield _retry(f, creation, bound, 1.0, "azure-devops", "exponential")
        elif kind == "RetryHandlerOption" and (b"Kiota" in f.data or b"Microsoft.Graph" in f.data):
            # round 18 (geh-market-participant): a Kiota / Microsoft Graph SDK request option
            # `new RetryHandlerOption { ShouldRetry = (..) => .., MaxRetry = n }`: the RetryHandler re-sends up
            # to n times (default 3), n + 1 tries, at the option's creation (used by the requests given it)
            items = syntax.initializer_items(creation)
            yield _retry(f, creation, items.get("MaxRetry"), 1.0, "kiota", "exponential",
                         default=None if "MaxRetry" in items else 4.0)
        elif kind == "ResilientErrorHandlingStrategy" and (b"RabbitMq" in f.data or b"Lykke" in f.data):
            # round 20 (margintrading): Lykke.RabbitMqBroker's `new ResilientErrorHandlingStrategy(logger, settings,
            # retryTimeout, retryNum = 5, next)`: a failed message handled again retryNum times (+1 try)
            args, named = syntax.arguments(creation.child_by_field_name("arguments"))
            bound = named.get("retryNum") or (args[3] if len(args) > 3 else None)
            yield _retry(f, creation, bound, 1.0, "lykke.rabbitmq", "fixed", default=None if bound is not None else 6.0)
        elif kind in DURABLE_RETRY and (b"DurableTask" in f.data or b"WithRetryAsync" in f.data):
            if not durable_task_policy_at_calls(f, creation):
                yield from _durable_retry(f, creation)
        elif kind == "RetryPolicy" and (b"Grpc" in f.data or b"MethodConfig" in f.data):
            items = syntax.initializer_items(creation)
            if "MaxAttempts" in items:
                yield _retry(f, creation, items["MaxAttempts"], 0.0, "grpc", "exponential")


# Azure Durable Functions: `new RetryOptions(firstRetryInterval, maxNumberOfAttempts)` (in-process) and
# `new RetryPolicy(maxNumberOfAttempts, firstRetryInterval)` (isolated worker) count attempts, the first included
DURABLE_RETRY = {"RetryOptions": 1, "RetryPolicy": 0}


def _durable_retry(f: CsFile, creation: Node) -> Iterable[Finding]:
    """A Durable Functions retry policy: at the ``Call...WithRetryAsync`` call it is handed to, else here."""
    args, named = syntax.arguments(creation.child_by_field_name("arguments"))
    index = DURABLE_RETRY[syntax.creation_type(creation) or ""]
    if "maxNumberOfAttempts" in named:
        return  # a named count: csharp.retry_option reads it
    interval = args[1 - index] if not named and len(args) == 2 else None
    # the other argument is the first retry's interval (Azure.Core's RetryPolicy(maxRetries, DelayStrategy) is not this)
    bound = args[index] if interval is not None and "TimeSpan" in text(interval) else None
    if bound is None:
        bound = syntax.initializer_items(creation).get("MaxNumberOfAttempts")
    if bound is None:
        return
    anchor = creation
    argument = creation.parent
    call = argument.parent.parent if argument is not None and argument.type == "argument" and \
        argument.parent is not None else None
    if call is not None and call.type == "invocation_expression" and \
            syntax.invocation(call).name.endswith("WithRetryAsync"):
        anchor = call  # context.CallActivityWithRetryAsync(nameof(A), new RetryOptions(..), input)
    yield _retry(f, anchor, bound, 0.0, "durable-functions", "exponential")


DURABLE_CALLS = ("CallActivityWithRetryAsync", "CallSubOrchestratorWithRetryAsync", "CallHttpWithRetryAsync")
# Durable Task isolated worker (Microsoft.DurableTask): the retry rides in the call's TaskOptions
DURABLE_TASK_CALLS = ("CallActivityAsync", "CallSubOrchestratorAsync")
DURABLE_TASK_OPTION_TYPES = ("TaskOptions", "TaskRetryOptions", "SubOrchestrationOptions")
_UNRESOLVED = object()


def _durable_task_member(name: str, use: Node) -> Node | None:
    """What the field or property ``name`` of ``use``'s file holds: its initialiser, or its one assignment."""
    name = name[5:] if name.startswith("this.") else name
    root = use
    while root.parent is not None:
        root = root.parent
    found: list[Node] = []
    for node in syntax.walk(root):
        if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name and \
                syntax.enclosing(node, ("field_declaration",)) is not None:
            values = [c for c in node.named_children if c != node.child_by_field_name("name")]
            found.extend(values[-1:])
        elif node.type == "property_declaration" and text(node.child_by_field_name("name")) == name:
            value = node.child_by_field_name("value")
            if value is not None:
                found.append(value)
        elif node.type == "assignment_expression" and text(node.child_by_field_name("operator")) == "=" and \
                text(node.child_by_field_name("left")) in (name, "this." + name):
            found.append(node.child_by_field_name("right"))
    return found[0] if len(found) == 1 else None


def _durable_task_parameter(name: str, use: Node) -> Node | None:
    """The parameter ``name`` of the method, constructor or class primary constructor ``use`` is in."""
    param = syntax.parameter_node(name, use)
    if param is None:
        owner = syntax.enclosing(use, ("class_declaration", "record_declaration", "struct_declaration"))
        params = next((c for c in owner.named_children if c.type == "parameter_list"), None) \
            if owner is not None else None
        param = next((p for p in params.named_children if p.type == "parameter" and
                      text(p.child_by_field_name("name")) == name), None) if params is not None else None
    return param


def _durable_task_parameter_type(name: str, use: Node) -> str | None:
    """The declared type of ``name`` when it is a parameter of the method or of the class's primary
    constructor ``use`` is in."""
    param = _durable_task_parameter(name, use)
    if param is None:
        return None
    return text(param.child_by_field_name("type"))


CTOR_RETRY = "$ctor-retry:"  # `<Class>.$ctor-retry:<i>`: the retry count its constructions hand its i-th parameter


def _durable_task_constructor_slot(param: Node) -> Expr | None:
    """``Ref("<Class>.$ctor-retry:<i>")`` for a parameter of a class's (primary) constructor: what the
    constructions of the class pass there (published by ``durable_task_constructor_symbols``)."""
    plist = param.parent
    owner = plist.parent if plist is not None else None
    if owner is not None and owner.type == "constructor_declaration":
        owner = syntax.enclosing(owner, ("class_declaration", "record_declaration", "struct_declaration"))
    if owner is None or owner.type not in ("class_declaration", "record_declaration", "struct_declaration"):
        return None
    index = [p for p in plist.named_children if p.type == "parameter"].index(param)
    name = owner.child_by_field_name("name")
    return Ref(f"{text(name)}.{CTOR_RETRY}{index}") if name is not None else None


def _base_retry_parameter(use: Node) -> Node | None:
    """A subclass's own ``TaskRetryOptions`` parameter it hands its base (``class Step(.., TaskRetryOptions
    retry) : StepExecutor(context, retry)``): what a retry member of the base (``DefaultRetryOptions``) holds."""
    owner = syntax.enclosing(use, ("class_declaration",))
    params = next((c for c in owner.named_children if c.type == "parameter_list"), None) if owner is not None else None
    bases = next((c for c in owner.named_children if c.type == "base_list"), None) if owner is not None else None
    if params is None or bases is None:
        return None
    typed = [p for p in params.named_children if p.type == "parameter" and
             text(p.child_by_field_name("type")).rstrip("?") in DURABLE_TASK_OPTION_TYPES]
    if len(typed) != 1:
        return None
    handed = {text(a) for a in syntax.descendants(bases, "argument")}
    return typed[0] if text(typed[0].child_by_field_name("name")) in handed else None


def _durable_task_attempts(value: Node | None, depth: int = 0):
    """The ``maxNumberOfAttempts`` node a TaskOptions expression carries; ``None`` when it is retry options
    of unknown count (a constructor parameter of that type); ``_UNRESOLVED`` when it is not known to retry."""
    node = syntax.unwrap(value)
    if node is None or depth > 6:
        return _UNRESOLVED
    if node.type in ("object_creation_expression", "implicit_object_creation_expression"):
        kind = syntax.creation_type(node) if node.type == "object_creation_expression" else \
            (syntax.implicit_type(node) or "")
        args, named = syntax.arguments(node.child_by_field_name("arguments") or
                                       next((c for c in node.named_children if c.type == "argument_list"), None))
        if kind == "RetryPolicy":
            return named.get("maxNumberOfAttempts") or (args[0] if args else _UNRESOLVED)
        if node.type == "object_creation_expression" and kind not in DURABLE_TASK_OPTION_TYPES:
            return _UNRESOLVED
        inner = named.get("retry") or named.get("policy") or (args[0] if args else None)
        return _durable_task_attempts(inner, depth + 1) if inner is not None else _UNRESOLVED
    if node.type == "invocation_expression":
        inv = syntax.invocation(node)
        if inv.name == "FromRetryPolicy" and inv.args:
            return _durable_task_attempts(inv.args[0], depth + 1)
        made = _own_factory_r18(node, inv)
        return _durable_task_attempts(made, depth + 1) if made is not None else _UNRESOLVED
    if node.type in ("identifier", "member_access_expression"):
        name = syntax.dotted(node)
        if not re.fullmatch(r"(?:this\.)?[A-Za-z_]\w*", name):
            return _UNRESOLVED
        bare = name[5:] if name.startswith("this.") else name
        local = syntax.local_value(bare, node)
        if local is not None:
            return _durable_task_attempts(local, depth + 1)
        param = _durable_task_parameter(bare, node)
        if param is not None:
            if text(param.child_by_field_name("type")).rstrip("?") not in DURABLE_TASK_OPTION_TYPES:
                return _UNRESOLVED
            if _method_parameter_r18(param):
                # round 18 (opengeh-edi): a helper's own TaskOptions parameter handed on
                # (`StartActivityAsync(context, TaskOptions? options)` doing `CallActivityAsync(.., options: options)`)
                # is a forwarder: the retry is at each call handing the helper its options (_durable_task_handed_r18)
                return _FORWARDED
            return _durable_task_constructor_slot(param)  # round 12: what the constructions pass, else unknown
        member = _durable_task_member(bare, node)
        if member is not None:
            return _durable_task_attempts(member, depth + 1)
        # a member of a base class in another file (`options: DefaultRetryOptions`): retry options by name,
        # holding what this class hands its base constructor when it hands one retry parameter
        if not re.search(r"Retry|TaskOptions", bare):
            return _UNRESOLVED
        handed = _base_retry_parameter(node)
        return _durable_task_constructor_slot(handed) if handed is not None else None
    return _UNRESOLVED


_FORWARDED = object()  # round 18: options that are the enclosing method's own parameter (a forwarder)


def _method_parameter_r18(param: Node) -> bool:
    """A parameter of a method or local function (not of a constructor or a class's primary constructor)."""
    plist = param.parent
    owner = plist.parent if plist is not None else None
    return owner is not None and owner.type in ("method_declaration", "local_function_statement")


def _own_factory_r18(node: Node, inv: syntax.Invocation) -> Node | None:
    """``CreateEnqueueRetryOptions()`` (round 18, opengeh-edi): what a parameterless method of the same class
    returns, when it returns one expression (``=> ..`` or a lone ``return ..;``)."""
    if inv.args or inv.named or inv.receiver_text not in ("", "this"):
        return None
    owner = syntax.enclosing(node, ("class_declaration", "record_declaration", "struct_declaration"))
    if owner is None:
        return None
    found = []
    for method in syntax.descendants(owner, "method_declaration"):
        if text(method.child_by_field_name("name")) != inv.name:
            continue
        params = method.child_by_field_name("parameters")
        if params is not None and any(c.type == "parameter" for c in params.named_children):
            continue
        body = method.child_by_field_name("body")
        arrow = next((c for c in method.named_children if c.type == "arrow_expression_clause"), None)
        if arrow is not None:
            found.extend(c for c in arrow.named_children[-1:])
        elif body is not None:
            returns = list(syntax.descendants(body, "return_statement"))
            if len(returns) == 1 and returns[0].named_children:
                found.append(returns[0].named_children[0])
    return found[0] if len(found) == 1 else None


def _durable_task_handed_r18(f: CsFile) -> Iterable[Finding]:
    """Round 18 (opengeh-edi): Durable Task options that carry a retry policy, handed to a helper of the
    project (``GetGridAreaOwnersActivity.StartActivityAsync(context, enqueueRetryOptions)``,
    ``EnqueueWholesaleResultsAsync(context, input, enqueueRetryOptions)``) whose activity calls take them:
    the forwarder rule puts the retry at the call handing them on (the helper's own
    ``CallActivityAsync(.., options: options)`` is not reported)."""
    for inv in f.invocations:
        if inv.name in DURABLE_TASK_CALLS or inv.name in DURABLE_CALLS or inv.name == "FromRetryPolicy":
            continue
        for arg in [*inv.args, *inv.named.values()]:
            node = syntax.unwrap(arg)
            if node is None or node.type not in ("identifier", "member_access_expression"):
                continue
            if not re.search(r"(?i)retry|options", text(node)):
                continue
            bound = _durable_task_attempts(node)
            if bound is _UNRESOLVED or bound is _FORWARDED or bound is None or isinstance(bound, Ref):
                continue
            yield _retry(f, call_anchor(inv.node), bound, 0.0, "durable-task", "exponential")
            break


def _durable_task_call(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    """``context.CallActivityAsync(nameof(A), input, _defaultTaskOptions)``: retried as its TaskOptions say."""
    options = inv.named.get("options") or (inv.args[2] if len(inv.args) >= 3 else None)
    if options is None:
        return
    bound = _durable_task_attempts(options)
    if bound is _UNRESOLVED or bound is _FORWARDED:
        return
    if isinstance(bound, Ref):
        attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                 "library": "durable-task"}
        yield f.finding("retry", inv.node, ID, attrs, "medium", pending=(Pending("max_attempts", bound, 1.0),))
        return
    yield _retry(f, inv.node, bound, 0.0, "durable-task", "exponential")


def durable_retry_field_symbols(f: CsFile) -> dict[str, Expr]:
    """``public static readonly RetryOptions DefaultRetryOptions = new RetryOptions(firstRetryInterval: ..,
    maxNumberOfAttempts: 3)`` in ``class FunctionSettings``: ``FunctionSettings.DefaultRetryOptions.MaxNumberOfAttempts``
    = 3, for the ``CallActivityWithRetryAsync(name, FunctionSettings.DefaultRetryOptions, input)`` calls of other
    files (round 15, company-communicator)."""
    out: dict[str, Expr] = {}
    for creation in f.creations:
        kind = syntax.creation_type(creation)
        if kind not in DURABLE_RETRY:
            continue
        declarator = creation.parent
        while declarator is not None and declarator.type not in ("variable_declarator", "property_declaration",
                                                                  "block", "class_declaration"):
            declarator = declarator.parent
        if declarator is None or declarator.type not in ("variable_declarator", "property_declaration"):
            continue
        if declarator.type == "variable_declarator" and syntax.enclosing(declarator, ("field_declaration",)) is None:
            continue
        owner = syntax.enclosing(declarator, ("class_declaration", "struct_declaration", "record_declaration"))
        name = declarator.child_by_field_name("name")
        owner_name = owner.child_by_field_name("name") if owner is not None else None
        if name is None or owner_name is None:
            continue
        args, named = syntax.arguments(creation.child_by_field_name("arguments"))
        bound = named.get("maxNumberOfAttempts")
        if bound is None and not named and len(args) == 2:
            index = DURABLE_RETRY[kind]
            bound = args[index] if "TimeSpan" in text(args[1 - index]) else None
        if bound is None:
            bound = syntax.initializer_items(creation).get("MaxNumberOfAttempts")
        if bound is None:
            continue
        out[f"{text(owner_name)}.{text(name)}.MaxNumberOfAttempts"] = syntax.number(syntax.unwrap(bound))
    return out


def durable_task_constructor_symbols(f: CsFile) -> dict[str, Expr]:
    """``new Step(context, _defaultRetryOptions, ..)`` (and a subclass's ``: StepExecutor(context, retry)``)
    handing retry options whose count is known here: ``Step.$ctor-retry:1`` = that count, for the
    Durable Task calls inside ``Step`` that use the parameter (round 12). Classes constructed with
    different counts publish nothing."""
    found: dict[str, list[Expr]] = {}
    sites: list[tuple[str, Node]] = []
    for creation in f.creations:
        kind = syntax.creation_type(creation)
        if kind and kind not in DURABLE_TASK_OPTION_TYPES and kind != "RetryPolicy":
            sites.append((kind, creation.child_by_field_name("arguments")))
    for base in syntax.descendants(f.root, "base_list"):
        # `class Step(.., TaskRetryOptions retry) : StepExecutor<bool>(context, retry)`: the base's construction
        children = list(base.named_children)
        for i, child in enumerate(children[:-1]):
            if child.type in ("identifier", "generic_name", "qualified_name") and children[i + 1].type == "argument_list":
                sites.append((text(child).split("<", 1)[0].rsplit(".", 1)[-1], children[i + 1]))
    for kind, arglist in sites:
        args, named = syntax.arguments(arglist)
        if named or not args:
            continue
        for index, arg in enumerate(args):
            node = syntax.unwrap(arg)
            if node is None or node.type not in ("identifier", "member_access_expression") or \
                    not re.search(r"(?i)retry|taskoptions", text(node)):
                continue
            bound = _durable_task_attempts(arg)
            if bound is _UNRESOLVED or bound is None:
                continue
            expr = bound if isinstance(bound, Ref) else syntax.number(bound)
            found.setdefault(f"{kind}.{CTOR_RETRY}{index}", []).append(expr)
    return {name: exprs[0] for name, exprs in found.items() if all(e == exprs[0] for e in exprs)}


def durable_task_policy_at_calls(f: CsFile, creation: Node) -> bool:
    """``new RetryPolicy(..)`` wrapped in ``TaskRetryOptions.FromRetryPolicy(..)`` / ``new TaskOptions(..)`` in a
    file whose Durable Task calls take options: the calls report it."""
    if syntax.creation_type(creation) != "RetryPolicy" or b"FromRetryPolicy" not in f.data and \
            b"TaskRetryOptions" not in f.data:
        return False
    if not re.search(rb"\b(?:CallActivityAsync|CallSubOrchestratorAsync)\b", f.data):
        return False
    outer = syntax.enclosing(creation, ("invocation_expression", "object_creation_expression",
                                        "implicit_object_creation_expression"))
    if outer is None:
        return False
    if outer.type == "invocation_expression":
        return syntax.invocation(outer).name == "FromRetryPolicy"
    return outer.type == "implicit_object_creation_expression" or \
        syntax.creation_type(outer) in DURABLE_TASK_OPTION_TYPES


def _durable_options(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    """``context.CallActivityWithRetryAsync(nameof(A), _options.RetryOptions, input)``: retry options held by
    a setting (an options class bound from configuration, a field): the call is retried as they say, their
    ``MaxNumberOfAttempts`` (the first try included) read where the pipeline can. A ``new RetryOptions(..)``
    written at the call, or held by a local made so, is read at that creation (``_durable_retry``)."""
    options = inv.named.get("retryOptions") or (inv.args[1] if len(inv.args) >= 2 else None)
    node = syntax.unwrap(options)
    if node is None or node.type not in ("identifier", "member_access_expression"):
        return
    if node.type == "identifier":
        bound = syntax.unwrap(syntax.local_value(text(node), node))
        if bound is not None and bound.type in ("object_creation_expression", "implicit_object_creation_expression"):
            return
        if syntax.parameter_node(text(node), node) is not None:
            return  # the enclosing method's parameter: its callers hand the options in
        if bound is None:
            member = syntax.unwrap(_durable_task_member(text(node), node))
            if member is not None and member.type == "object_creation_expression" and \
                    syntax.creation_type(member) in DURABLE_RETRY:
                # round 20 (fhir-loader): `private static RetryOptions _retryOptions = new RetryOptions(..,
                # maxNumberOfAttempts: 5)` shared by the file's calls: read once at its creation
                return
    name = syntax.dotted(node)
    if not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", name):
        return
    expr = Ref(syntax.typed_name(f"{name}.MaxNumberOfAttempts", node))
    attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
             "library": "durable-functions", "expression": text(options)}
    yield f.finding("retry", inv.node, ID, attrs, "medium", pending=(Pending("max_attempts", expr, 1.0),))


# System.ClientModel's / Azure.Core's pipeline retry policies (OpenAI .NET SDK, Azure SDK clients): maxRetries first
_PIPELINE_POLICY_BASES_R16 = re.compile(r"^(?:[\w.]+\.)?(?:ClientRetryPolicy|RetryPolicy)$")


def _pipeline_policy_subclasses_r16(f: CsFile) -> Iterable[Finding]:
    """Round 16 (kernel-memory): ``class ClientSequentialRetryPolicy : ClientRetryPolicy`` with
    ``ctor(int maxRetries = 3, ..) : base(maxRetries)``: the count handed to the base constructor re-sends every
    request of the clients given the policy: +1 attempt, at ``base(``; a constructor parameter's default is the
    helper's own value (rule a)."""
    if b"ClientModel" not in f.data and b"Azure.Core" not in f.data:
        return
    for init in walk(f.root):
        if init.type != "constructor_initializer" or "base" not in text(init).split("(", 1)[0]:
            continue
        cls = syntax.enclosing(init, ("class_declaration",))
        bases = next((c for c in cls.named_children if c.type == "base_list"), None) if cls is not None else None
        if bases is None or not any(_PIPELINE_POLICY_BASES_R16.match(text(b).split("<")[0].strip())
                                    for b in bases.named_children):
            continue
        args, named = syntax.arguments(next((c for c in init.named_children if c.type == "argument_list"), None))
        value = named.get("maxRetries") or (args[0] if args else None)
        value = syntax.unwrap(value)
        if value is None or syntax.timespan_typed(value):
            continue
        if value.type == "identifier":
            default = syntax.parameter_default(text(value), init)
            if default is not None:
                value = default
        attempts, pending = count(value, add=1)
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                 "library": "system.clientmodel" if b"ClientModel" in f.data else "azure-core"}
        yield f.finding("retry", init, ID, attrs, "high" if not pending else "medium", pending=pending)


REDIS_HOST_R16 = re.compile(r"^\s*[\w.\-\[\]]+(?::\d+)?\s*,")


def _redis_parts_r16(f: CsFile, anchor: Node, raw: str) -> Iterable[Finding]:
    for part in raw.split(","):
        key, _, value = part.partition("=")
        phase = REDIS_STRING_KEYS.get(key.strip().lower())
        if phase is None or not value.strip().lstrip("-").isdigit():
            continue
        attrs = {"timeout_ms": normalise_ms(float(value.strip())), "phase": phase, "resolved_from": "literal",
                 "expression": part.strip(), "library": "stackexchange.redis"}
        yield f.finding("timeout", anchor, ID, attrs, "high")


def _redis_string(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    """``ConnectionMultiplexer.Connect("redis:6379,connectTimeout=5000,syncTimeout=2000")``."""
    if not inv.args:
        return
    raw = syntax.string_literal(syntax.unwrap(inv.args[0]))
    if raw is None:
        return
    for part in raw.split(","):
        key, _, value = part.partition("=")
        phase = REDIS_STRING_KEYS.get(key.strip().lower())
        if phase is None or not value.strip().lstrip("-").isdigit():
            continue
        ms = float(value.strip())
        attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal",
                 "expression": part.strip()}
        yield f.finding("timeout", inv.node, ID, attrs, "high")


GRPC_CHANNEL_WAITS = ("TryWaitForStateChangedAsync", "WaitForStateChangedAsync")
# a project clock's now (`TimestampHelper.GetUtcNow().ToDateTime()`, `_clock.UtcNow.UtcDateTime`) read as a
# deadline's start: only where a deadline is expected
_CLOCK_NOW = re.compile(r"(?:\bUtcNow|\bGetUtcNow\(\)|\bGetNowUtc\(\)|\bGetNow\(\))(?:\.ToDateTime\(\)|\.UtcDateTime|\.DateTime)?$")


DISCORD_RETRY_MODES_R16 = {"RetryMode.AlwaysFail": 1, "RetryMode.AlwaysRetry": None}


def _now_plus_r16(f: CsFile, node: Node, value: Node, anchor: Node | None) -> Iterable[Finding]:
    """Round 16 (nadekobot): ``deadline: DateTime.UtcNow + TimeSpan.FromSeconds(10)``: 10 s from now."""
    operator = node.child_by_field_name("operator")
    left, right = syntax.unwrap(node.child_by_field_name("left")), node.child_by_field_name("right")
    if operator is None or text(operator) != "+" or left is None or right is None or not (
            text(left) in ("DateTime.UtcNow", "DateTime.Now", "DateTimeOffset.UtcNow", "DateTimeOffset.Now")
            or _CLOCK_NOW.search(text(left))):
        return
    where = anchor if anchor is not None else (value.parent if value.parent is not None and
                                               value.parent.type == "argument" else value)
    yield f.timeout_from(where, syntax.duration_ms(right), text(value), "deadline", ID, "grpc")


def _deadline(f: CsFile, value: Node, anchor: Node | None = None) -> Iterable[Finding]:
    """``DateTime.UtcNow.AddSeconds(5)`` / ``DateTime.UtcNow.Add(TimeSpan.FromSeconds(5))``: 5000 ms from now
    (also through a local: ``DateTime deadline = _clock.GetNowUtc().Add(_options.CallTimeout);``)."""
    node = syntax.unwrap(value)
    if node is not None and node.type == "identifier":
        node = syntax.unwrap(syntax.local_value(text(node), node))
    if node is not None and node.type == "binary_expression":
        yield from _now_plus_r16(f, node, value, anchor)
        return
    if node is None or node.type != "invocation_expression":
        return
    inv = syntax.invocation(node)
    if not (inv.receiver_text in ("DateTime.UtcNow", "DateTime.Now", "DateTimeOffset.UtcNow", "DateTimeOffset.Now")
            or _CLOCK_NOW.search(inv.receiver_text)) or len(inv.args) != 1:
        return
    if inv.name == "Add":
        expr, scale = syntax.duration_ms(inv.args[0]), 1.0
    elif inv.name in DEADLINE_UNITS:
        expr, scale = syntax.number(inv.args[0]), DEADLINE_UNITS[inv.name]
    else:
        return
    where = anchor if anchor is not None else (value.parent if value.parent is not None and
                                               value.parent.type == "argument" else value)
    yield f.timeout_from(where, expr, text(value), "deadline", ID, "grpc", scale=scale)


def _configurator(inv: syntax.Invocation, owners: tuple[str, ...]) -> bool:
    """``r.Interval(..)`` where ``r`` is the parameter of a lambda handed to one of ``owners``."""
    lam = syntax.enclosing(inv.node, ("lambda_expression",))
    if lam is None or syntax.lambda_param(lam) != inv.receiver_text:
        return False
    owner = syntax.enclosing(lam, ("invocation_expression",))
    return owner is not None and syntax.invocation(owner).name in owners


def _masstransit(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    if not (_configurator(inv, MASSTRANSIT_POLICIES) or _configurator_parameter(inv)) or not inv.args:
        return
    if inv.name == "Intervals":
        listed = inv.args
        single = syntax.unwrap(listed[0]) if len(listed) == 1 else None
        if single is not None and single.type == "identifier" and _forwarded_parameter_r18(single):
            # round 18 (altinn-register): `r.Intervals(redeliveryIntervals)` with the method's own parameter
            # (no default): a forwarder, the intervals are the callers' to give; published (one try more than
            # the intervals a caller hands in) for the calls, dropped here by the pipeline
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                     "library": "masstransit"}
            yield f.finding("retry", inv.node, ID, attrs, "medium",
                            pending=(Pending("max_attempts", BinOp("+", Ref(text(single)), Num(1.0)), 1.0),))
            return
        if single is not None and (single.type in ("integer_literal", "real_literal") or
                                   single.type == "invocation_expression" and
                                   re.match(r"TimeSpan\.From|Duration\.From", text(single))):
            # round 18 (altinn-register): `r.Intervals(TimeSpan.FromSeconds(1))`: one interval, 2 tries
            attempts = 2.0
        elif len(listed) == 1:
            size = _size(listed[0])
            attempts = normalise_ms(float(size + 1)) if size is not None else None
        else:
            attempts = normalise_ms(float(len(listed) + 1))
        attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
                 "library": "masstransit"}
        yield f.finding("retry", inv.node, ID, attrs, "high" if attempts is not None else "medium")
        return
    yield _retry(f, inv.node, inv.args[0], 1.0, "masstransit", MASSTRANSIT_COUNTED[inv.name] or "none")


MASSTRANSIT_CONFIGURATORS = ("IRetryConfigurator", "IRedeliveryConfigurator")


def _forwarded_parameter_r18(node: Node) -> bool:
    """``name`` is a parameter, without a default, of the method or local function it is used in (a lambda's
    own parameters are not)."""
    param = syntax.parameter_node(text(node), node)
    if param is None or any(c.type == "equals_value_clause" for c in param.named_children):
        return False
    plist = param.parent
    owner = plist.parent if plist is not None else None
    return owner is not None and owner.type in ("method_declaration", "local_function_statement",
                                                "constructor_declaration")


def _configurator_parameter(inv: syntax.Invocation) -> bool:
    """``retryConfigurator.Exponential(3, ..)`` in a house method handed to ``UseMessageRetry``
    (``static void AddRetryConfiguration(IRetryConfigurator retryConfigurator)``): its parameter of
    MassTransit's configurator type (round 11)."""
    receiver = syntax.unwrap(inv.receiver)
    if receiver is None or receiver.type != "identifier":
        return False
    param = syntax.parameter_node(text(receiver), inv.node)
    kind = param.child_by_field_name("type") if param is not None else None
    return kind is not None and text(kind).rsplit(".", 1)[-1] in MASSTRANSIT_CONFIGURATORS


def _size(node: Node) -> int | None:
    """Items of an array written out (``new[] { a, b }``, ``[a, b]``) or held by a local or field."""
    return syntax.collection_size(node) if syntax.unwrap(node) is not None and \
        syntax.unwrap(node).type == "identifier" else syntax.listed_items(node)


def _nservicebus(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    if not _configurator(inv, NSB_POLICIES):
        return
    yield _retry(f, inv.node, inv.args[0], 1.0, "nservicebus", "none" if _configurator(inv, ("Immediate",))
                 else "linear")


# round 14: Wolverine's error policies (`chain.OnException<T>().RetryWithCooldown(1.Seconds(), 5.Seconds())
# .Then.ScheduleRetry(1.Minutes()).Then.MoveToErrorQueue()`): retries counted per call, the whole chain once
WOLVERINE_RETRIES = {"RetryTimes": "arg", "RetryOnce": 1.0, "RetryTwice": 2.0, "RetryWithCooldown": "delays",
                     "ScheduleRetry": "delays", "ScheduleRetryIndefinitely": None, "PauseThenRequeue": None}


_COOLDOWN_WRAPPER_R16 = re.compile(r"^Retry\w*Cooldown\w*$")
_DURATION_ARG_R16 = re.compile(r"TimeSpan|\.(Milliseconds|Seconds|Minutes|Hours)\(")


def _wolverine_kind_r16(inv: syntax.Invocation) -> str | None:
    """Wolverine's own retry call, or (round 16, round-15 request: dialogporten-adapter) a project's extension
    over Wolverine's ``PolicyExpression`` named for a retry with cooldown (``RetryWithJitteredCooldown(this
    PolicyExpression p, params TimeSpan[] delays) => p.RetryWithCooldown(jittered)``) called in an error chain
    (after ``OnException<T>()`` / ``Or..<T>()``) with durations: one retry per delay, as RetryWithCooldown."""
    if inv.name in WOLVERINE_RETRIES:
        return inv.name
    if _COOLDOWN_WRAPPER_R16.match(inv.name or "") and inv.args and \
            all(_DURATION_ARG_R16.search(text(a)) for a in inv.args) and \
            re.search(r"\.(OnException|Or\w*)\s*(<|\()", text(inv.receiver) if inv.receiver is not None else ""):
        return "RetryWithCooldown"
    return None


def _wolverine_retries(inv: syntax.Invocation) -> float | None:
    how = WOLVERINE_RETRIES[_wolverine_kind_r16(inv) or inv.name]
    if how == "arg":
        return syntax.settle(syntax.number(inv.args[0])) if len(inv.args) == 1 else None
    if how == "delays":
        if len(inv.args) == 1:
            size = _size(inv.args[0])
            if size is not None:
                return float(size)
            single = syntax.unwrap(inv.args[0])
            if single is not None and (syntax.timespan_typed(single) or "TimeSpan" in text(single) or
                                       re.search(r"\.(Milliseconds|Seconds|Minutes|Hours)\(\)$", text(single))):
                return 1.0
            return None  # `policy.GetCooldownDelays()`: a list made elsewhere
        return float(len(inv.args)) if inv.args else None
    return how


def _wolverine(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    """A Wolverine error chain (``.OnException<T>()``, ``.Or<T>()`` then ``RetryTimes(3)``, ``RetryOnce()``,
    ``RetryWithCooldown(delays)``, ``ScheduleRetry(delays)``, joined by ``.Then``): one retry per delay or
    count; reported once, at the chain's first retry call, attempts = 1 + all its retries (unknown when a
    delay list is made elsewhere or the chain retries indefinitely)."""
    receiver = inv.receiver
    if receiver is not None and any(n.type == "invocation_expression" and
                                    _wolverine_kind_r16(syntax.invocation(n)) is not None for n in walk(receiver)):
        return  # not the chain's first retry call
    bare = syntax.unwrap(receiver)
    if bare is not None and bare.type == "identifier" and syntax.parameter_node(text(bare), inv.node) is not None and \
            inv.args and not any(_DURATION_ARG_R16.search(text(a)) for a in inv.args):
        return  # round 16: `p.RetryWithCooldown(jittered)` inside a project's wrapper: its callers' chains count
    chain = [inv]
    for parent in syntax.ancestors_of(inv.node):
        if parent.type in ("expression_statement", "lambda_expression", "block", "return_statement"):
            break
        if parent.type == "invocation_expression" and _wolverine_kind_r16(syntax.invocation(parent)) is not None:
            chain.append(syntax.invocation(parent))
    counts = [_wolverine_retries(c) for c in chain]
    attempts = None if any(c is None for c in counts) else normalise_ms(1.0 + sum(counts))
    attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
             "library": "wolverine"}
    yield f.finding("retry", inv.node, ID, attrs, "high" if attempts is not None else "medium")


def _signalr(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    if not (inv.receiver_text.endswith("HubConnectionBuilder()") or "HubConnectionBuilder" in text(inv.node) or
            b"HubConnection" in f.data or b"SignalR.Client" in f.data):
        return  # `builder.WithAutomaticReconnect(..)` on an IHubConnectionBuilder from the container
    if not inv.args:
        yield _retry(f, inv.node, None, 0.0, "signalr", "fixed", default=SIGNALR_DEFAULT_ATTEMPTS)
        return
    size = _size(inv.args[0]) if len(inv.args) == 1 else None
    if size is None:
        if syntax.timespan_typed(inv.args[0]) or "TimeSpan" in text(inv.args[0]):
            size = len(inv.args)  # WithAutomaticReconnect(TimeSpan.Zero, TimeSpan.FromSeconds(2))
        else:
            # a custom IRetryPolicy (`new RetryPolicy(logger)`): reconnects as long as it gives a delay
            if syntax.unwrap(inv.args[0]) is not None and syntax.unwrap(inv.args[0]).type == "object_creation_expression":
                yield _retry(f, inv.node, None, 0.0, "signalr", None)
            return
    attrs = {"max_attempts": normalise_ms(float(size + 1)), "backoff": "fixed", "retry_on": None, "mechanism": "client_config",
             "library": "signalr"}
    yield f.finding("retry", inv.node, ID, attrs, "high")


def _ms_call(f: CsFile, inv: syntax.Invocation) -> Iterable[Finding]:
    """``ping.SendPingAsync(address, 4000)``, ``pipe.Connect(15000)``,
    ``TechnitiumLibrary.TaskExtensions.TimeoutAsync(work, 5000)``: a number of ms at a known position,
    on a receiver of a known type (declared, or made by ``new`` in the method)."""
    types, index, phase, library = MS_CALL_ARGS[inv.name]
    if library == "confluent.kafka" and len(inv.args) == 2:
        index = 1  # GetMetadata(topic, timeout)
    if len(inv.args) <= index:
        return
    if library == "technitium":
        if not (inv.receiver_text.endswith("TaskExtensions") and b"TechnitiumLibrary" in f.data):
            return
    elif _owner_of_name(syntax.unwrap(inv.receiver), inv.node) not in types:
        return
    value = inv.args[index]
    raw = text(value)
    if re.search(r"(?i)token|cancel|^ct$", raw) or \
            syntax.parameter_derived(value) or _own_parameter(value):
        return
    if syntax.timespan_typed(value) or "TimeSpan" in raw:
        if library == "technitium":
            return  # a TimeSpan there: csharp.timeout_option's wrappers read it
        yield f.timeout_from(inv.node, syntax.duration_ms(value), raw, phase, ID, library)
        return
    found = _ms_finding(f, inv.node, value, phase, library)
    if found is not None:
        yield found


def _own_parameter(value: Node) -> bool:
    """The enclosing method's own parameter (without a default) handed on: the setting is made where it
    is called. A defaulted one is a setting of its own (the default, rule (a))."""
    node = syntax.unwrap(value)
    if node is None or node.type != "identifier":
        return False
    param = syntax.parameter_node(text(node), node)
    return param is not None and syntax.parameter_default(text(node), param) is None
