"""SNS delivery retries to HTTP/S subscribers (``delivery_policy`` ``numRetries``)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Num, Ref
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block, literal_string, references

ID = "terraform.sns_delivery"
RESOURCE_TYPES = ("aws_sns_topic_subscription", "aws_sns_topic")

# `numRetries = 3` (jsonencode) or `"numRetries": 3` (JSON in a heredoc or string).
_NUM_RETRIES = re.compile(r'\\?"?numRetries\\?"?\s*[=:]\s*(\d+)')


# AWS Chatbot (Amazon Q Developer in chat) channel configurations: SNS delivers their topics over HTTPS
_CHATBOT = ("aws_chatbot_slack_channel_configuration", "aws_chatbot_teams_channel_configuration",
            "awscc_chatbot_slack_channel_configuration", "awscc_chatbot_microsoft_teams_channel_configuration")


def _http_key(module: str, address: str) -> str:
    return f"$sns-http-subscriber:{module}:{address}"


def roles(block: Block, module: str) -> dict:
    """The topics of its module a block subscribes an HTTP/S endpoint to: an ``aws_sns_topic_subscription`` with
    ``protocol = "https"``, or (round 22, forms-deploy) an AWS Chatbot channel configuration naming the topic in
    ``sns_topic_arns``, for the topic's file (``$sns-http-subscriber:<module>:<topic>``)."""
    out = {}
    if block.type != "resource":
        return out
    if block.resource_type == "aws_sns_topic_subscription":
        arn, protocol = block.attributes.get("topic_arn"), block.attributes.get("protocol")
        if arn is None or protocol is None or literal_string(protocol.value) not in ("http", "https"):
            return out
        topics = references(arn.value)
    elif block.resource_type in _CHATBOT:
        arns = block.attributes.get("sns_topic_arns")
        topics = references(arns.value) if arns is not None else []
    else:
        return out
    for address in topics:
        if address.startswith("aws_sns_topic."):
            out[_http_key(module, address)] = Num(1)
    return out


def _http_subscribers(topic: Block, tf: TerraformFile) -> bool:
    """True if the file subscribes an HTTP/S endpoint to the topic."""
    module = posixpath.dirname(tf.path) or "."
    return any(_http_key(module, topic.address) in roles(other, module) for other in tf.blocks)


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
    keep = ()
    if block.resource_type == "aws_sns_topic" and not _http_subscribers(block, tf):
        # a topic's HTTP policy is nobody's contract without an HTTP/S subscriber: kept when another file of the
        # module subscribes one (round 22: the Chatbot configurations in chatbot.tf, the topics in notifications.tf)
        module = posixpath.dirname(tf.path) or "."
        keep = (Pending(KEEP_IF, Call("coalesce", (Ref(_http_key(module, block.address)), Num(0)))),)
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
    if keep:
        finding = replace(finding, pending=(*finding.pending, *keep))
    return [finding]
