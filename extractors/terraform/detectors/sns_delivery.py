"""SNS delivery retries to HTTP/S subscribers (``delivery_policy`` ``numRetries``)."""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block, literal_string, references

ID = "terraform.sns_delivery"
RESOURCE_TYPES = ("aws_sns_topic_subscription", "aws_sns_topic")

# `numRetries = 3` (jsonencode) or `"numRetries": 3` (JSON in a heredoc or string).
_NUM_RETRIES = re.compile(r'\\?"?numRetries\\?"?\s*[=:]\s*(\d+)')


def _http_subscribers(topic: Block, tf: TerraformFile) -> bool:
    """True if the file subscribes an HTTP/S endpoint to the topic."""
    for other in tf.blocks:
        if other.resource_type != "aws_sns_topic_subscription":
            continue
        arn, protocol = other.attributes.get("topic_arn"), other.attributes.get("protocol")
        if arn is not None and protocol is not None and topic.address in references(arn.value) \
                and literal_string(protocol.value) in ("http", "https"):
            return True
    return False


@detector(ID, "terraform", ["retry"],
          valid=['resource "aws_sns_topic_subscription" "s" {\n  protocol = "sqs"\n'
                 '  endpoint = "numRetries = 3"\n}'],
          invalid=['resource "aws_sns_topic_subscription" "s" {\n  protocol = "https"\n'
                   '  delivery_policy = jsonencode({ healthyRetryPolicy = { numRetries = 5 } })\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """SNS delivery retries to HTTP/S subscribers (``delivery_policy`` ``numRetries``).

    What it does: the ``delivery_policy`` of an ``aws_sns_topic_subscription`` (``healthyRetryPolicy
    { numRetries = n }``) or of an ``aws_sns_topic`` (``http.defaultHealthyRetryPolicy``), written in
    place as ``jsonencode({...})`` or JSON text, is a ``retry`` with ``max_attempts = n + 1``
    (``library: aws_sns``, ``endpoint``: the subscription's endpoint). Only HTTP/S deliveries follow
    this policy: a topic's policy is reported when the same file subscribes an HTTP/S endpoint to
    the topic; SNS's own default (3 retries for HTTP/S) is not reported.

    Why it matters: SNS re-sends a notification the endpoint did not acknowledge with a 2xx in
    time; the endpoint must take the same message again without doing the work twice.
    """
    attr = block.attributes.get("delivery_policy")
    if block.type != "resource" or attr is None:
        return []
    protocol = block.attributes.get("protocol")
    kind = literal_string(protocol.value) if protocol is not None else None
    if block.resource_type == "aws_sns_topic_subscription" and kind not in (None, "http", "https"):
        return []  # the policy applies to HTTP/S endpoints only
    if block.resource_type == "aws_sns_topic" and not _http_subscribers(block, tf):
        return []  # a topic's HTTP policy is nobody's contract without an HTTP/S subscriber
    match = _NUM_RETRIES.search(attr.text)
    if match is None:
        return []
    endpoint = block.attributes.get("endpoint")
    where = None
    if endpoint is not None:
        where = literal_string(endpoint.value) or next(iter(references(endpoint.value)), None)
    before = attr.text[:match.start()]
    node = attr.node
    finding = tf.finding("retry", node, ID, {
        "max_attempts": int(match.group(1)) + 1, "backoff": "exponential", "retry_on": "no_2xx_response",
        "mechanism": "redelivery", "library": "aws_sns", "resource": block.address, "setting": "numRetries",
        "endpoint": where, "expression": match.group(0)})
    if "\n" in before:  # report at the numRetries line of a multi-line policy
        line = attr.value.start_point[0] + 1 + before.count("\n")
        finding = replace(finding, line=line, end_line=line)
    return [finding]
