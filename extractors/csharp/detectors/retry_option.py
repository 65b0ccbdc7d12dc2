"""Retry counts handed to a client or helper: ``maxRetries: 3`` arguments, Azure SDK and Storage retry options.

What it does: a named argument for a retry count given to a call (``QueryWithRetryAsync(sql,
maxRetries: 3)``, ``new ServiceBusRetry(retryCount: 5)``) -> retry; a count of retries
(``maxRetries``, ``retryCount``, ``retries``...) gets the first try added (3 -> 4 attempts), a count
of attempts (``maxAttempts``, ``tries``) is taken as it is. The Azure SDK's client options
(``options.Retry.MaxRetries = 5``, ``Retry = { MaxRetries = 5 }``: 6 attempts, exponential) and the
Azure Storage v8 retry policies (``RetryPolicy = new ExponentialRetry()``: 3 retries by default, 4
attempts; ``new LinearRetry(TimeSpan.FromSeconds(2), 5)``: 6) are retries of every request the
client sends. Reported on the argument's (or the assignment's) line.

Not reported: counts the libraries with a detector of their own already read (Polly's
``RetryAsync(retryCount: 3)``, EF Core's ``EnableRetryOnFailure(maxRetryCount: 5)``), a method's
own parameter handed on (``Run(maxRetries: maxRetries)``), a counter on a message or entity
(``message.RetryCount = 0``: state, not a setting), the words in strings or comments.

Why it matters: the count says how many times the callee may see the same request.

Example: ``conn.QueryWithRetryAsync<Row>(sql, maxRetries: 3)`` -> retry max_attempts 4, mechanism
client_config.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Num, Ref
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.csharp.detectors.library_options import durable_task_policy_at_calls
from extractors.csharp.detectors.polly import is_backoff_helper_r19
from extractors.treesitter import Node, text, walk

ID = "csharp.retry_option"
RETRY_COUNTS = ("maxretries", "maxretrycount", "retrycount", "retries", "numberofretries", "retryattempts",
                "maxretryattempts")
ATTEMPT_COUNTS = ("maxattempts", "maxtries", "attempts", "tries", "maxnumberofattempts", "maxdequeuecount")
STORAGE_POLICIES = ("ExponentialRetry", "LinearRetry")
STORAGE_DEFAULT_RETRIES = 3
AZURE_DEFAULT_RETRIES = 3
OWN_DETECTOR_CALLS = ("EnableRetryOnFailure", "Retry", "RetryAsync", "RetryForever", "WaitAndRetry",
                      "WaitAndRetryAsync", "WaitAndRetryForever", "WaitAndRetryForeverAsync", "AddRetry",
                      "AddStandardResilienceHandler", "AutomaticRetry")


def _finding(f: CsFile, node: Node, value: Node | None, add: float, backoff: str | None, library: str | None,
             default: float | None = None) -> Finding:
    attempts, pending = count(value, add=add) if value is not None else (default, ())
    attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
             "library": library}
    return f.finding("retry", node, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _passed_through(value: Node) -> bool:
    node = syntax.unwrap(value)
    if node is None or node.type != "identifier":
        return False
    method = syntax.enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement"))
    params = method.child_by_field_name("parameters") if method is not None else None
    return params is not None and any(p.type == "parameter" and text(p.child_by_field_name("name")) == text(node)
                                      for p in params.named_children)


@csharp_detector(ID, ("retry",),
                 valid=("var maxRetries = 3; // a local\n", "message.RetryCount = 0;\n",
                        "Policy.Handle<Exception>().RetryAsync(retryCount: 3);\n",
                        'var s = "maxRetries: 3";\n'),
                 invalid=("var rows = conn.QueryWithRetryAsync<Row>(sql, maxRetries: 3);\n",
                          "options.Retry.MaxRetries = 5;\n",
                          "var o = new BlobRequestOptions { RetryPolicy = new ExponentialRetry() };\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    calls = [(inv.node, inv.name, inv.named) for inv in f.invocations]
    for creation in f.creations:
        _, named = syntax.arguments(creation.child_by_field_name("arguments"))
        calls.append((creation, syntax.creation_type(creation), named))
    waits_and_retries = any(inv.name.startswith("WaitAndRetry") for inv in f.invocations)
    for node, name, named in calls:
        if name in OWN_DETECTOR_CALLS or name.endswith("Attribute"):
            continue
        if waits_and_retries and is_backoff_helper_r19(node):
            continue  # round 19: `var delay = Backoff.DecorrelatedJitterBackoffV2(.., retryCount: 5)` is read at the
            # WaitAndRetryAsync(delay) it feeds (polly)
        if name == "RetryPolicy" and node.type == "object_creation_expression" and \
                durable_task_policy_at_calls(f, node):
            continue  # round 12: the Durable Task calls given these TaskOptions report the count
        for arg, value in named.items():
            lowered = arg.lower()
            if lowered not in RETRY_COUNTS and lowered not in ATTEMPT_COUNTS:
                continue
            if _passed_through(value) or syntax.unwrap(value) is None or \
                    syntax.unwrap(value).type in ("null_literal", "boolean_literal", "string_literal"):
                continue
            anchor = value.parent if value.parent is not None and value.parent.type == "argument" else node
            yield _finding(f, anchor, value, 1.0 if lowered in RETRY_COUNTS else 0.0, None, None)
    for creation in f.creations:
        if syntax.creation_type(creation) not in STORAGE_POLICIES:
            continue
        args, named = syntax.arguments(creation.child_by_field_name("arguments"))
        if _redis_reconnect_policy(creation, args, named):
            continue
        if len(args) == 1 and not named:
            # Azure Storage's policies take () or (deltaBackoff, maxAttempts): `new ExponentialRetry(Options.Create(
            # new ExponentialRetryOptions { RetryCount = 3 }))` is another library's, read at its RetryCount
            continue
        value = named.get("maxAttempts") or (args[1] if len(args) > 1 else None)
        backoff = "exponential" if syntax.creation_type(creation) == "ExponentialRetry" else "fixed"
        yield _finding(f, creation, value, 1.0, backoff, "azure-storage", default=STORAGE_DEFAULT_RETRIES + 1)
    yield from _tfh_strategies_r17(f)
    yield from _poison_queue_defaults_r17(f)
    for node in f.assignments:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            continue
        if text(left).endswith("Retry.MaxRetries") or (text(left) == "MaxRetries" and _in_retry_initializer(node)):
            yield _finding(f, node, right, 1.0, "exponential", "azure-sdk")
        elif _options_setting(node, left):
            lowered = text(left).rsplit(".", 1)[-1].lower()
            if syntax.unwrap(right) is None or syntax.unwrap(right).type in ("null_literal", "boolean_literal",
                                                                           "string_literal"):
                continue
            yield _with_parameter(_finding(f, node, right, 1.0 if lowered in RETRY_COUNTS else 0.0, None, None),
                                  right, 1 if lowered in RETRY_COUNTS else 0)
    for inv in f.invocations_named(*FLUENT_COUNTS):
        # Elasticsearch's ConnectionSettings: `settings.MaximumRetries(5)` -> 6 attempts
        if len(inv.args) == 1 and not inv.named and inv.receiver is not None and \
                syntax.unwrap(inv.args[0]) is not None and syntax.unwrap(inv.args[0]).type != "string_literal":
            yield _with_parameter(_finding(f, inv.node, inv.args[0], 1.0, None, None), inv.args[0], 1)


# round 17: the transient-fault-handling block's retry strategies (Enterprise Library, Microsoft.Rest.
# TransientFaultHandling, the forks projects keep): new ExponentialBackoff(retryCount, min, max, delta),
# new FixedInterval(retryCount, interval), new Incremental(retryCount, initial, increment), each optionally
# after a leading name string; handed to new RetryPolicy(detectionStrategy, strategy)
TFH_STRATEGIES_R17 = {"ExponentialBackoff": "exponential", "FixedInterval": "fixed", "Incremental": "linear"}
TFH_FILE_R17 = re.compile(rb"\bRetryStrategy\b|TransientFaultHandling|\bnew RetryPolicy\b|ITransientErrorDetectionStrategy")


def _tfh_strategies_r17(f: CsFile) -> Iterable[Finding]:
    """``new ExponentialBackoff(3, TimeSpan.FromSeconds(2), ..)`` in a file using the transient-fault-handling
    block: 3 retries, 4 attempts, at the constructor (int.MaxValue: unbounded, null). A named ``retryCount:``
    is read by the named-argument rule above."""
    creations = [c for c in f.creations if syntax.creation_type(c) in TFH_STRATEGIES_R17]
    if not creations or not TFH_FILE_R17.search(f.data):
        return
    for creation in creations:
        args, named = syntax.arguments(creation.child_by_field_name("arguments"))
        if "retryCount" in named or not args:
            continue
        first = syntax.unwrap(args[0])
        if first is not None and first.type in ("string_literal", "verbatim_string_literal",
                                                "interpolated_string_expression") and len(args) > 1:
            first = syntax.unwrap(args[1])
        if first is None or first.type in ("string_literal", "null_literal", "boolean_literal"):
            continue
        backoff = TFH_STRATEGIES_R17[syntax.creation_type(creation)]
        if re.search(r"\bMaxValue\b", text(first)):
            yield _finding(f, creation, None, 1.0, backoff, "transient-fault-handling")
            continue
        yield _with_parameter(_finding(f, creation, first, 1.0, backoff, "transient-fault-handling"), first, 1)


# round 17 (round-16 request, kernel-memory): a queue consumer's redelivery cap kept in an options class
READ_SETTING_R18 = "$retry-reads:"
POISON_QUEUE_DEFAULTS_R17 = {"MaxRetriesBeforePoisonQueue": 1, "MaxDequeueCount": 0}


def _poison_queue_defaults_r17(f: CsFile) -> Iterable[Finding]:
    """``public int MaxRetriesBeforePoisonQueue { get; set; } = 20;`` in a ``*Config`` / ``*Options`` /
    ``*Settings`` class: how many times a failing message is handled before it goes to the poison queue
    (21 tries; ``MaxDequeueCount = 5``: 5 deliveries), at the property (the options-class default
    convention of the Kernel Memory / notifo sets: the consumer reads it in its own way)."""
    for prop in (n for n in walk(f.root) if n.type == "property_declaration"):
        name = text(prop.child_by_field_name("name"))
        if name not in POISON_QUEUE_DEFAULTS_R17:
            continue
        owner = syntax.enclosing(prop, ("class_declaration", "record_declaration"))
        if owner is None or not OPTION_TYPES.search(text(owner.child_by_field_name("name"))):
            continue
        value = prop.child_by_field_name("value")
        if value is None:
            value = next((c for c in prop.named_children if c.type == "integer_literal"), None)
        if value is None or syntax.unwrap(value) is None or syntax.unwrap(value).type != "integer_literal":
            continue
        found = _finding(f, prop, value, float(POISON_QUEUE_DEFAULTS_R17[name]), None, None)
        # round 18 (sui-matcher): kept unless a retry of the service reads this setting at its guard (`if
        # (message.DequeueCount > options.Value.MaxDequeueCount)`, valued there with this default)
        read = Ref(f"{READ_SETTING_R18}{text(owner.child_by_field_name('name'))}.{name}")
        yield replace(found, pending=(*found.pending, Pending(KEEP_IF, Call("coalesce", (read, Num(1.0))), None)))


FLUENT_COUNTS = ("MaximumRetries", "MaxRetries")


def _redis_reconnect_policy(creation: Node, args: list[Node], named: dict[str, Node]) -> bool:
    """StackExchange.Redis's ``ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 1000)``:
    the back-off between reconnects (ints of ms), no count of tries, not Azure Storage's policy (round 12)."""
    if "deltaBackOffMilliseconds" in named or "maxDeltaBackOffMilliseconds" in named:
        return True
    parent = creation.parent
    if parent is not None and parent.type == "assignment_expression" and \
            text(parent.child_by_field_name("left")).endswith("ReconnectRetryPolicy"):
        return True
    first = syntax.unwrap(args[0]) if args else None
    return first is not None and first.type == "integer_literal"
OPTION_TYPES = re.compile(r"(Options|Settings|Configuration|Config)(<.*>)?$")


def _options_setting(assignment: Node, left: Node) -> bool:
    """``new RedisQueueOptions<T> { Retries = retries }`` / ``options.MaxRetries = 3``: a retry count of an
    options object (not ``message.RetryCount = 0``, a message's state)."""
    name = text(left).rsplit(".", 1)[-1].lower()
    if name not in RETRY_COUNTS and name not in ATTEMPT_COUNTS:
        return False
    init = assignment.parent
    if init is not None and init.type == "initializer_expression":
        outer = init.parent
        type_name = text(outer.child_by_field_name("type")) if outer is not None and \
            outer.type == "object_creation_expression" else ""
        # Polly's strategy options and the resilience handler's have a detector of their own
        return OPTION_TYPES.search(type_name) is not None and not re.search(r"Strategy|Resilience", type_name)
    if left.type == "member_access_expression":
        owner = text(left.child_by_field_name("expression")).rsplit(".", 1)[-1].lower()
        if name == "maxdequeuecount":
            # round 17: the WebJobs queue trigger's deliveries (`b.AddAzureStorageQueues(o => o.MaxDequeueCount = 3)`,
            # `options.MaxDequeueCount = 5` in Configure<QueuesOptions>): a distinctive name, any owner
            return True
        return owner.endswith(("options", "settings", "config", "configuration"))
    return False


def _with_parameter(finding: Finding, value: Node, add: int) -> Finding:
    """A count handed in by the enclosing method's parameter (``Retries = retries``): say so
    (``attempts_expression``), so that the method's callers can be read (``extractors.wrappers``)."""
    node = syntax.unwrap(value)
    if node is None or node.type != "identifier" or not _passed_through(node):
        return finding
    expression = f"{text(node)} + {add}" if add else text(node)
    return replace(finding, attributes={**finding.attributes, "attempts_expression": expression})


def _in_retry_initializer(assignment: Node) -> bool:
    """``new BlobClientOptions { Retry = { MaxRetries = 5 } }``: the initializer of a ``Retry`` member."""
    init = assignment.parent
    outer = init.parent if init is not None and init.type == "initializer_expression" else None
    return outer is not None and outer.type == "assignment_expression" and \
        text(outer.child_by_field_name("left")).rsplit(".", 1)[-1] == "Retry"
