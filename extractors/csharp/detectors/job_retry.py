"""Background-job retries: Hangfire's ``[AutomaticRetry(Attempts = 3)]``; Azure Functions' ``[FixedDelayRetry]`` /
``[ExponentialBackoffRetry]``; a queue consumer's redelivery cap.

What it does: ``[AutomaticRetry(Attempts = 3)]`` on a job method or class -> retry with 4
attempts (Hangfire counts retries; ``Attempts = 0`` turns them off: 1 attempt), exponential
backoff (Hangfire's default delay grows with the attempt number). Also the global filter
``GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 5 })``. An attribute
without ``Attempts`` keeps Hangfire's default of 10 retries (11 attempts). An Azure Function's
``[FixedDelayRetry(5, "00:00:10")]`` / ``[ExponentialBackoffRetry(5, "00:00:04", "00:15:00")]`` runs a failed
execution again up to ``maxRetryCount`` times (6 attempts; ``-1``: forever, null).

Why it matters: a failed job runs its whole body again, so every service it calls sees the
same request up to that many times, minutes apart.

Example: ``[AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]``
-> retry max_attempts 4, mechanism decorator.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.job_retry"
LIBRARY = "hangfire"
DEFAULT_RETRIES = 10
NAMES = ("AutomaticRetry", "AutomaticRetryAttribute", "Hangfire.AutomaticRetry", "Hangfire.AutomaticRetryAttribute")


def _attribute_arguments(attribute: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    args = next((c for c in attribute.named_children if c.type == "attribute_argument_list"), None)
    for arg in args.named_children if args is not None else []:
        if arg.type != "attribute_argument" or arg.named_child_count < 2:
            continue
        name, value = arg.named_children[0], arg.named_children[-1]
        if name.type == "identifier":
            found[text(name)] = value
    return found


def _finding(f: CsFile, node: Node, attempts_node: Node | None, decorator: bool) -> Finding:
    attempts, pending = count(attempts_node, add=1) if attempts_node is not None else (DEFAULT_RETRIES + 1, ())
    attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none", "retry_on": None,
             "mechanism": "decorator" if decorator else "client_config", "library": LIBRARY}
    return f.finding("retry", node, ID, attrs, "high" if not pending else "medium", pending=pending)


@csharp_detector(ID, ("retry",),
                 valid=("var automaticRetry = 3; // a variable\n", "[Obsolete(\"use AutomaticRetry\")] class J { }\n"),
                 invalid=("class J { [AutomaticRetry(Attempts = 3)] public void Run() { } }\n",
                          "GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 5 });\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    yield from _redelivery_caps(f)
    yield from _requeue_once_r22(f)
    for attribute in (n for n in walk(f.root) if n.type == "attribute"):
        name = text(attribute.child_by_field_name("name") or attribute.named_children[0])
        if name.rsplit(".", 1)[-1] in FUNCTIONS_RETRIES:
            yield from _functions_retry(f, attribute, name.rsplit(".", 1)[-1])
            continue
        if name not in NAMES:
            continue
        yield _finding(f, attribute, _attribute_arguments(attribute).get("Attempts"), decorator=True)
    for creation in f.creations:
        if syntax.creation_type(creation) in ("AutomaticRetryAttribute", "AutomaticRetry"):
            items = syntax.initializer_items(creation)
            yield _finding(f, creation, items.get("Attempts"), decorator=False)
        elif (syntax.creation_type(creation) or "").rsplit(".", 1)[-1] in FUNCTIONS_RETRIES:
            yield from _functions_retry_created_r22(f, creation, (syntax.creation_type(creation) or "").rsplit(".", 1)[-1])


# Azure Functions' retry policies on a function (in-process WebJobs and the isolated worker):
# `[FixedDelayRetry(maxRetryCount, delayInterval)]`, `[ExponentialBackoffRetry(maxRetryCount, min, max)]`
FUNCTIONS_RETRIES = {"FixedDelayRetry": "fixed", "FixedDelayRetryAttribute": "fixed",
                     "ExponentialBackoffRetry": "exponential", "ExponentialBackoffRetryAttribute": "exponential"}


def _functions_retry(f: CsFile, attribute: Node, name: str) -> Iterable[Finding]:
    """``[FixedDelayRetry(5, "00:00:10")]`` on an Azure Function: the host runs a failed execution again up to
    ``maxRetryCount`` times (6 attempts; ``-1`` retries forever: null) (round 11)."""
    args = next((c for c in attribute.named_children if c.type == "attribute_argument_list"), None)
    values = [a for a in (args.named_children if args is not None else []) if a.type == "attribute_argument"]
    positional = [a.named_children[-1] for a in values if a.named_child_count == 1]
    named = _attribute_arguments(attribute)
    node = named.get("maxRetryCount") or (positional[0] if positional else None)
    if node is None:
        return
    if syntax.settle(syntax.number(node)) == -1:
        attempts, pending = None, ()
    else:
        attempts, pending = count(node, add=1)
    attrs = {"max_attempts": attempts, "backoff": FUNCTIONS_RETRIES[name], "retry_on": None,
             "mechanism": "decorator", "library": "azure-functions"}
    yield f.finding("retry", attribute, ID, attrs, "high" if attempts is not None and not pending else "medium",
                    pending=pending)


def _functions_retry_created_r22(f: CsFile, creation: Node, name: str) -> Iterable[Finding]:
    """Round 22 (das-provider-relationships): the WebJobs host's retry strategy made in code, ``services.
    AddTransient<IRetryStrategy>(_ => new ExponentialBackoffRetryAttribute(5, "00:00:10", "00:00:20"))``: the
    attribute's ``maxRetryCount`` given to its constructor (positionally or by name), read as on a function."""
    args = creation.child_by_field_name("arguments")
    values = [a for a in (args.named_children if args is not None else []) if a.type == "argument"]
    named = {text(a.child_by_field_name("name")).rstrip(":").strip(): a.named_children[-1]
             for a in values if a.child_by_field_name("name") is not None}
    positional = [a.named_children[-1] for a in values if a.child_by_field_name("name") is None and a.named_child_count]
    node = named.get("maxRetryCount") or (positional[0] if positional else None)
    if node is None:
        return
    if syntax.settle(syntax.number(node)) == -1:
        attempts, pending = None, ()
    else:
        attempts, pending = count(node, add=1)
    attrs = {"max_attempts": attempts, "backoff": FUNCTIONS_RETRIES[name], "retry_on": None,
             "mechanism": "client_config", "library": "azure-functions"}
    yield f.finding("retry", creation, ID, attrs, "high" if attempts is not None and not pending else "medium",
                    pending=pending)


NACK_CALL_R22 = re.compile(r"^(Basic)?(Nack|Reject)(Async)?$")


def _requeue_flag_r22(call: Node) -> bool | None:
    """``channel.BasicNackAsync(tag, multiple: false, requeue: true)`` / ``BasicReject(tag, false)``: whether the
    broker is asked to deliver the message again (None when the call says nothing)."""
    inv = syntax.invocation(call)
    value = inv.named.get("requeue")
    if value is None and inv.args:
        last = syntax.unwrap(inv.args[-1])
        value = last if last is not None and last.type == "boolean_literal" else None
    if value is None:
        return None
    raw = text(syntax.unwrap(value)).strip()
    return True if raw == "true" else False if raw == "false" else None


def _requeue_once_r22(f: CsFile) -> Iterable[Finding]:
    """Round 22 (docspace-server, a round-21 request): a RabbitMQ consumer that requeues a failed message once
    and rejects it the second time, keyed by the message's id in a set it keeps: ``if (_rejected.ContainsKey(id))
    { _rejected.TryRemove(id, out _); await ch.BasicRejectAsync(tag, requeue: false); } else { _rejected.TryAdd(id,
    ..); await ch.BasicNackAsync(tag, multiple: false, requeue: true); }``: the message is delivered twice (2
    attempts), at the ``if``."""
    if b"Nack" not in f.data and b"Reject" not in f.data:
        return
    for node in walk(f.root):
        if node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if condition is None or consequence is None or alternative is None or \
                not re.search(r"\.(ContainsKey|Contains|TryGetValue)\s*\(", text(condition)):
            continue
        flags = []
        for branch in (consequence, alternative):
            calls = [n for n in walk(branch) if n.type == "invocation_expression" and
                     NACK_CALL_R22.match(syntax.invocation(n).name or "")]
            flags.append({_requeue_flag_r22(c) for c in calls})
        if not ({True} == flags[1] and False in flags[0] and True not in flags[0]) and \
                not ({True} == flags[0] and False in flags[1] and True not in flags[1]):
            continue
        requeues = alternative if flags[1] == {True} else consequence
        if not any(n.type == "invocation_expression" and re.match(r"^(Try)?Add\w*$", syntax.invocation(n).name or "")
                   for n in walk(requeues)):
            continue  # the id is recorded where the message is requeued: the second delivery is told apart
        attrs = {"max_attempts": 2, "backoff": None, "retry_on": None, "mechanism": "call", "library": "rabbitmq"}
        yield f.finding("retry", node, ID, attrs, "medium")


# a queue message's delivery counter: Azure Storage Queues' QueueMessage / CloudQueueMessage.DequeueCount,
# Azure Service Bus' ServiceBusReceivedMessage.DeliveryCount
DELIVERY_COUNTS = ("DequeueCount", "DeliveryCount")


def _redelivery_caps(f: CsFile) -> Iterable[Finding]:
    """``catch (Exception) { if (message.DequeueCount == _options.Value.MaxWorkItemRetries) { delete it } }``:
    a queue consumer that gives a failing message up once it was delivered that many times retries it
    (the queue redelivers it after its invisibility): ``== n`` / ``>= n`` -> n attempts, ``> n`` -> n + 1.
    Reported at the ``if``, only inside a catch (a failed processing) and compared with a bound."""
    if not any(word.encode() in f.data for word in DELIVERY_COUNTS) and b"Increment" not in f.data:
        return
    for node in walk(f.root):
        if node.type != "if_statement":
            continue
        outside = syntax.enclosing(node, ("catch_clause",)) is None
        if outside and not _gives_message_up_r22(node.child_by_field_name("consequence")):
            continue
        condition = syntax.unwrap(node.child_by_field_name("condition"))
        if condition is None or condition.type != "binary_expression":
            continue
        op = text(condition.child_by_field_name("operator"))
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if op not in ("==", ">=", ">"):
            continue
        left_name = text(syntax.unwrap(left)).rsplit(".", 1)[-1]
        library = "azure-queue"
        if not (left_name in DELIVERY_COUNTS and "." in text(syntax.unwrap(left))):
            if outside or not _incremented_failures(syntax.unwrap(left), node):
                continue
            library = None
        attempts, pending = count(right, add=1.0 if op == ">" else 0.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": library}
        yield f.finding("retry", node, ID, attrs, "medium", pending=pending)


GIVE_UP_CALL_R22 = re.compile(r"^(Delete|DeadLetter|MoveToDeadLetter|MoveToPoison|MarkAsFailed|MarkFailed|Abandon|"
                              r"Discard)\w*$")
GIVE_UP_FLAG_R22 = re.compile(r"(?i)^\w*(delete|dead|poison|giveup|gaveup|discard)\w*$")


def _gives_message_up_r22(consequence: Node | None) -> bool:
    """Round 22 (eligibility-checking-engine): outside a catch, a delivery-count check whose branch gives the
    message up by a flag the consumer acts on afterwards (``if (item.DequeueCount >= retries) { mark the check
    as error; deleteQueueMessage = true; }`` after a processing that left it queued). A check that moves the
    message to the poison queue itself before it is handled is read elsewhere (``_dequeue_guard_setting_r18``;
    the C# sets label the catch's check when there is one: altinn-register)."""
    if consequence is None:
        return False
    for n in walk(consequence):
        if n.type == "invocation_expression" and (GIVE_UP_CALL_R22.match(syntax.invocation(n).name or "") or
                                                  re.search(r"(?i)poison|deadletter", text(n))):
            return False
    return any(n.type == "assignment_expression" and text(n.child_by_field_name("right")) == "true" and
               GIVE_UP_FLAG_R22.match(text(n.child_by_field_name("left")).rsplit(".", 1)[-1])
               for n in walk(consequence))


FAILURE_COUNTER = re.compile(r"(?i)retr|attempt|tries|failure")


def _incremented_failures(left: Node | None, guard: Node) -> bool:
    """``int newRetryCount = await _store.IncrementDeletedInstanceRetryAsync(id, ..); if (newRetryCount >
    _config.MaxRetries) { give up }`` in a catch (round 11, dicom-server): a job that records each failed try
    of an item in its store and picks the item up again until that count passes the bound retries it
    (``> n`` -> n + 1 attempts, ``>= n`` / ``== n`` -> n)."""
    if left is None or left.type != "identifier" or not FAILURE_COUNTER.search(text(left)):
        return False
    held = syntax.unwrap(syntax.local_value(text(left), guard))
    if held is not None and held.type == "await_expression" and held.named_child_count:
        held = syntax.unwrap(held.named_children[0])
    return held is not None and held.type == "invocation_expression" and \
        syntax.invocation(held).name.startswith("Increment") and \
        syntax.enclosing(held, ("catch_clause",)) is not None
