"""Queue -> function wiring (``aws_lambda_event_source_mapping``)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, number, through_alias
from extractors.terraform.hcl import Block, literal_string, references

ID = "terraform.event_source_mapping"
RESOURCE_TYPES = ("aws_lambda_event_source_mapping",)


@detector(ID, "terraform", ["outbound_call"],
          valid=['resource "aws_sqs_queue" "q" {\n  name = "event_source_mapping"\n}'],
          invalid=['resource "aws_lambda_event_source_mapping" "m" {\n  event_source_arn = aws_sqs_queue.q.arn\n'
                   '  function_name = aws_lambda_function.f.arn\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Queue -> function wiring (``aws_lambda_event_source_mapping``).

    What it does: reports each event source mapping as an ``outbound_call`` with ``protocol: queue``
    and ``method: event_source_mapping``: the poller reads the queue (``source``: the queue's
    address, e.g. ``aws_sqs_queue.jobs``, or its literal ARN) and invokes the function
    (``function``: ``aws_lambda_function.risk``, or ``function_name`` when given as a literal name),
    with ``batch_size`` and ``batching_window_ms``. The record is the join between a queue's
    visibility timeout and the function's timeout (check ``infra-sqs-visibility-timeout``).

    Design: the mapping is infrastructure, not code, so ``target`` stays null; the two ends are
    attributes holding Terraform addresses, which are unique within a module (directory).

    """
    source_attr = block.attributes.get("event_source_arn")
    function_attr = block.attributes.get("function_name")
    source_ref = next(iter(references(source_attr.value if source_attr else None)), None)
    source_literal = literal_string(source_attr.value) if source_attr else None
    function_ref = through_alias(tf, next((r for r in references(function_attr.value if function_attr else None)
                         if r.startswith(("aws_lambda_function.", "aws_lambda_alias.", "module.",
                                          "data.aws_lambda_function."))), None))
    function_literal = literal_string(function_attr.value) if function_attr else None
    window = number(block.attributes.get("maximum_batching_window_in_seconds"))
    source_kind = _source_kind(source_ref or source_literal or "")
    return [tf.finding("outbound_call", block.node, ID, {
        "protocol": "queue",
        "method": "event_source_mapping",
        "url": source_literal,
        "resource": block.address,
        "source": source_ref or source_literal,
        "source_kind": source_kind,
        "function": function_ref,
        "function_name": function_literal,
        "batch_size": number(block.attributes.get("batch_size")),
        "batching_window_ms": None if window is None else int(window * 1000),
    }, confidence="high" if (source_ref or source_literal) and (function_ref or function_literal) else "medium")]


def _source_kind(source: str) -> str | None:
    for marker, kind in (("sqs", "sqs"), ("kinesis", "kinesis"), ("dynamodb", "dynamodb"),
                         ("kafka", "kafka"), ("msk", "kafka"), ("mq", "mq")):
        if marker in source:
            return kind
    return None
