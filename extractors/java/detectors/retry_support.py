"""Retry helpers called with the number of tries: Spinnaker kork's ``RetrySupport``.

What it does: reports ``retrySupport.retry(() -> igor.getBuild(..), 5, 2000, false)`` and
``retrySupport.retry(fn, MAX_RETRY, Duration.ofMillis(200), false)`` (kork's ``RetrySupport``: the
count is the number of tries in all, it throws once ``retries >= maxRetries - 1``), and
``retrySupport.exponential(fn, 3, 100)`` (exponential backoff), on a receiver declared as a
``RetrySupport`` (a field, a local, ``new RetrySupport()``) or named ``retrySupport``. A count that
needs another file or a setting stays pending. The target is the first outbound call of the lambda
it retries.

Why it matters: every Spinnaker service wraps its calls to the others (igor, front50, orca, Jira,
GitHub) in these; the count is the load multiplier on the callee.

Example: ``retrySupport.retry(getIssueTransitions(issue), MAX_RETRY, RETRY_BACKOFF, false)`` with
``MAX_RETRY = 3`` -> retry max_attempts=3 backoff=fixed.
"""

from __future__ import annotations

from contract_discovery.model import Pending
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.detectors.outbound import target_within
from extractors.java.jvm import documented, settle_count
from extractors.java.syntax import JavaFile, arguments, declared_type, expr_of, name_location

ID = "java.retry_support"


def _retry_support(receiver) -> bool:
    if receiver is None:
        return False
    if receiver.type == "object_creation_expression":
        return ts.text(receiver.child_by_field_name("type")).rsplit(".", 1)[-1] == "RetrySupport"
    if receiver.type == "field_access" and ts.text(receiver.child_by_field_name("object")) == "this":
        receiver = receiver.child_by_field_name("field")
    if receiver.type != "identifier":
        return False
    name = ts.text(receiver)
    declared = declared_type(receiver, name)
    return declared == "RetrySupport" or (declared is None and name == "retrySupport")


@detector(ID, "java", ["retry"],
          valid=['int retry = retrySupport.getCount();', 'boolean ok = helper.retry(task, 3, 100, false);'],
          invalid=['class A { RetrySupport retrySupport; Object f() { return retrySupport.retry(() -> igor.get(), 5, 2000, false); } }'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for site in jf.calls:
        if site.name not in ("retry", "exponential"):
            continue
        args = arguments(site.node)
        if len(args) < 3 or not _retry_support(site.node.child_by_field_name("object")):
            continue
        expr = expr_of(args[1])
        tries = settle_count(expr)
        exponential = site.name == "exponential" or (len(args) > 3 and ts.text(args[3]) == "true")
        target, target_pending = (target_within(jf, args[0]) if args[0].type == "lambda_expression" else (None, ()))
        pending = () if tries is not None else (Pending("max_attempts", expr, 1.0),)
        jf.sink.add("retry", name_location(site.node, site.name_node), ID,
                    {"max_attempts": tries, "backoff": "exponential" if exponential else "fixed", "retry_on": None,
                     "mechanism": "call", "library": "kork", "expression": ts.text(args[1])},
                    jf.evidence(site.name_node), "high" if tries is not None else "medium", target,
                    pending + target_pending)
