"""SQS queue visibility timeout and redelivery (``aws_sqs_queue``)."""

from __future__ import annotations

import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Ref
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.hcl import Block, references

ID = "terraform.sqs_queue"
RESOURCE_TYPES = ("aws_sqs_queue", "aws_sqs_queue_redrive_policy")
MODULE_SOURCES = ("terraform-aws-modules/sqs", "terraform-aws-modules/terraform-aws-sqs")
DEFAULT_VISIBILITY_MS = 30000

# `maxReceiveCount = 5` (jsonencode), `"maxReceiveCount": 5` / `\"maxReceiveCount\":5` (JSON in a
# string or heredoc), with a number or an interpolated `var.x` / `local.x`.
_MAX_RECEIVE = re.compile(r"""\\?["']?maxReceiveCount\\?["']?\s*[=:]\s*\\?"?(\d+)""")
_MAX_RECEIVE_REF = re.compile(
    r"""\\?["']?maxReceiveCount\\?["']?\s*[=:]\s*\\?"?(?:\$\{\s*)?((?:var|local)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)""")


def _dead_letter_only(tf: TerraformFile, address: str) -> bool:
    """A queue another queue of this file sends its failures to (``deadLetterTargetArn``) and that
    no event source mapping of this file consumes: its visibility timeout, when not written, is
    nobody's contract (a default reported there is noise)."""
    dead_letter = consumed = False
    for other in tf.blocks:
        if other.address == address:
            continue
        if other.resource_type in ("aws_sqs_queue", "aws_sqs_queue_redrive_policy"):
            redrive = other.attributes.get("redrive_policy")
            if redrive is not None and address in references(redrive.value):
                dead_letter = True
        elif other.resource_type == "aws_lambda_event_source_mapping":
            source = other.attributes.get("event_source_arn")
            if source is not None and address in references(source.value):
                consumed = True
    return dead_letter and not consumed


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_sns_topic" "t" {\n  name = "visibility_timeout_seconds"\n  # redrive_policy = maxReceiveCount\n}'],
          invalid=['resource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = 40\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """SQS queue visibility timeout and redelivery (``aws_sqs_queue``).

    What it does: reports ``visibility_timeout_seconds`` as a timeout with ``phase: visibility``
    (30 s default when absent, except on a dead-letter queue nothing of the file consumes): how long
    a received message stays hidden before SQS hands it to another consumer. A ``redrive_policy`` (on the queue or in ``aws_sqs_queue_redrive_policy``)
    with ``maxReceiveCount`` is a retry: SQS redelivers a failed message up to that many times in
    total (``max_attempts = maxReceiveCount``, ``mechanism: redelivery``, ``library: aws_sqs``).
    The ``terraform-aws-modules/sqs/aws`` module's inputs are read the same way.

    Why it matters: a consumer still working when the visibility timeout ends sees its message
    delivered a second time; AWS asks for a visibility timeout of at least six times the consuming
    Lambda's timeout.

    """
    findings: list[Finding] = []
    queue = block.address
    if block.resource_type != "aws_sqs_queue_redrive_policy":
        default = None if _dead_letter_only(tf, block.address) else DEFAULT_VISIBILITY_MS
        found = timeout_finding(tf, block, "visibility_timeout_seconds", scale=1000.0, phase="visibility",
                                detector=ID, default_ms=default, extra={})
        if found:
            findings.append(found)
    else:
        queue = next(iter(references(block.attributes["queue_url"].value)), block.address) \
            if "queue_url" in block.attributes else block.address
    redrive = block.attributes.get("redrive_policy")
    if redrive is not None:
        m = _MAX_RECEIVE.search(redrive.text)
        ref = None if m else _MAX_RECEIVE_REF.search(redrive.text)
        if m or ref:
            dlq = next((r for r in references(redrive.value) if r.startswith("aws_sqs_queue.")), None)
            attrs = {"max_attempts": int(m.group(1)) if m else None, "backoff": "fixed",
                     "retry_on": "visibility_timeout_expired", "mechanism": "redelivery", "library": "aws_sqs",
                     "resource": queue, "dead_letter_target": dlq}
            pending = (Pending("max_attempts", Ref(ref.group(1)), 1.0),) if ref else ()
            findings.append(tf.finding("retry", redrive.node, ID, attrs, confidence="high" if m else "medium",
                                       pending=pending))
    return findings
