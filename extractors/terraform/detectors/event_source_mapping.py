"""Queue -> function wiring (``aws_lambda_event_source_mapping``)."""

from __future__ import annotations

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, Ref
from extractors.base import detector
from extractors.terraform.context import TerraformFile, number, through_alias
from extractors.terraform.hcl import Block, literal_string, references, to_expr

ID = "terraform.event_source_mapping"
RESOURCE_TYPES = ("aws_lambda_event_source_mapping", "aws_pipes_pipe")
# round 15: an EventBridge Pipe polls a stream the way a mapping does; its stream parameters' retries
_PIPE_STREAM_PARAMETERS = ("dynamodb_stream_parameters", "kinesis_stream_parameters")


@detector(ID, "terraform", ["outbound_call", "retry"],
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

    A stream mapping's (Kinesis, DynamoDB) ``maximum_retry_attempts = n`` is a ``retry`` with
    ``max_attempts = n + 1`` (``mechanism: redelivery``, ``library: aws_lambda_esm``): the poller
    invokes the function again with the same batch; ``-1`` retries until the records expire
    (``max_attempts`` null). Absent, nothing is reported (the limit is then the record's age).

    Design: the mapping is infrastructure, not code, so ``target`` stays null; the two ends are
    attributes holding Terraform addresses, which are unique within a module (directory).

    An EventBridge Pipe (``aws_pipes_pipe``) polls a DynamoDB or Kinesis stream the same way: its
    ``source_parameters { dynamodb_stream_parameters | kinesis_stream_parameters {
    maximum_retry_attempts = n } }`` is a ``retry`` with ``max_attempts = n + 1`` (``library:
    aws_pipes``, ``target``: the address the pipe's ``target`` names); an SQS-sourced pipe or one
    without the attribute reports nothing.
    """
    if block.resource_type == "aws_pipes_pipe":
        return _pipe_retries(block, tf)
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
    found = [tf.finding("outbound_call", block.node, ID, {
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
    retry = retry_finding(tf, block, "maximum_retry_attempts", detector=ID, library="aws_lambda_esm",
                          extra={"function": function_ref or function_literal})
    return found + ([retry] if retry is not None else [])


def _pipe_retries(block: Block, tf: TerraformFile) -> list[Finding]:
    target_attr = block.attributes.get("target")
    target = next(iter(references(target_attr.value)), None) if target_attr is not None else None
    found = []
    for params in block.nested("source_parameters"):
        for stream in (b for b in params.blocks if b.type in _PIPE_STREAM_PARAMETERS):
            retry = retry_finding(tf, stream, "maximum_retry_attempts", detector=ID, library="aws_pipes",
                                  extra={"resource": block.address, "target": target})
            if retry is not None:
                found.append(retry)
    return found


def retry_finding(tf: TerraformFile, block: Block, attribute: str, *, detector: str, library: str,
                  extra: dict) -> Finding | None:
    """``<attribute> = n`` retries after the first invocation: max_attempts n + 1 (-1: unbounded)."""
    attr = block.attributes.get(attribute)
    if attr is None:
        return None
    expr = to_expr(attr.value)
    attrs = {"max_attempts": None, "backoff": None, "retry_on": "error", "mechanism": "redelivery",
             "library": library, "resource": block.address, "setting": attribute, "expression": attr.text, **extra}
    if isinstance(expr, Num):
        attrs["max_attempts"] = int(expr.value) + 1 if expr.value >= 0 else None
        return tf.finding("retry", attr.node, detector, attrs)
    pending = (Pending("max_attempts", BinOp("+", expr, Num(1.0)), 1.0),) if isinstance(expr, Ref) else ()
    return tf.finding("retry", attr.node, detector, attrs,
                      confidence="medium" if pending else "low", pending=pending)


def _source_kind(source: str) -> str | None:
    for marker, kind in (("sqs", "sqs"), ("kinesis", "kinesis"), ("dynamodb", "dynamodb"),
                         ("kafka", "kafka"), ("msk", "kafka"), ("mq", "mq")):
        if marker in source:
            return kind
    return None
