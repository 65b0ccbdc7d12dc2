"""EventBridge target retries (``aws_cloudwatch_event_target`` ``retry_policy``)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.detectors.event_source_mapping import retry_finding
from extractors.terraform.hcl import Block, references

ID = "terraform.event_target"
RESOURCE_TYPES = ("aws_cloudwatch_event_target", "aws_scheduler_schedule")


@detector(ID, "terraform", ["retry"],
          valid=['resource "aws_cloudwatch_event_target" "t" {\n  target_id = "maximum_retry_attempts"\n'
                 '  # retry_policy { maximum_retry_attempts = 3 }\n}'],
          invalid=['resource "aws_cloudwatch_event_target" "t" {\n  retry_policy {\n'
                   '    maximum_retry_attempts = 3\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """EventBridge target retries (``aws_cloudwatch_event_target`` ``retry_policy``).

    What it does: ``retry_policy { maximum_retry_attempts = n }`` of an EventBridge rule's target
    (a Lambda function, an API destination, a queue) is a ``retry`` with ``max_attempts = n + 1``
    (``library: aws_eventbridge``, ``target``: the address the target's ``arn`` names). A target with
    no ``retry_policy`` gets EventBridge's default (185 retries over 24 hours), not reported.

    Why it matters: EventBridge re-sends an event the target failed to take; the target must treat
    the re-sent event as the same one (idempotency), and an HTTP endpoint behind an API destination
    sees up to n + 1 calls for one event.

    Example: ``retry_policy { maximum_retry_attempts = 24 }`` -> ``retry max_attempts=25``.

    EventBridge Scheduler reads the same way: ``aws_scheduler_schedule``'s ``target { retry_policy {
    maximum_retry_attempts = n } }`` -> ``max_attempts = n + 1`` (``library: aws_scheduler``); a
    target without one (the service's default of 185 retries) is not reported.
    """
    if block.resource_type == "aws_scheduler_schedule":
        return _schedule(block, tf)
    found = []
    target = next(iter(references(block.attributes["arn"].value)), None) if "arn" in block.attributes else None
    for nested in block.blocks:
        if nested.type != "retry_policy":
            continue
        finding = retry_finding(tf, nested, "maximum_retry_attempts", detector=ID, library="aws_eventbridge",
                                extra={"resource": block.address, "target": target})
        if finding is not None:
            found.append(finding)
    return found


def _schedule(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    for target_block in block.nested("target"):
        arn = target_block.attributes.get("arn")
        target = next(iter(references(arn.value)), None) if arn is not None else None
        for policy in target_block.nested("retry_policy"):
            finding = retry_finding(tf, policy, "maximum_retry_attempts", detector=ID, library="aws_scheduler",
                                    extra={"resource": block.address, "target": target})
            if finding is not None:
                found.append(finding)
    return found
