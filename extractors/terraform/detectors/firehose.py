"""Kinesis Data Firehose deliveries to other services (``aws_kinesis_firehose_delivery_stream``)."""

from __future__ import annotations

from contract_discovery.model import Finding, Pending
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.hcl import Block, to_expr
from contract_discovery.values import Num

ID = "terraform.firehose"
RESOURCE_TYPES = ("aws_kinesis_firehose_delivery_stream",)

# destination blocks whose `retry_duration` (or `retry_options { duration_in_seconds }`) bounds the
# redelivery of a failed batch to the destination service
_DESTINATIONS = ("splunk_configuration", "http_endpoint_configuration", "opensearch_configuration",
                 "elasticsearch_configuration", "opensearchserverless_configuration",
                 "redshift_configuration", "snowflake_configuration", "iceberg_configuration")


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_kinesis_stream" "s" {\n  name = "retry_duration"\n  # hec_acknowledgment_timeout = 300\n}',
                 'resource "aws_kinesis_firehose_delivery_stream" "s" {\n  destination = "extended_s3"\n'
                 '  extended_s3_configuration {\n    buffering_interval = 300\n  }\n}'],
          invalid=['resource "aws_kinesis_firehose_delivery_stream" "s" {\n  destination = "splunk"\n'
                   '  splunk_configuration {\n    hec_acknowledgment_timeout = 300\n    retry_duration = 600\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Kinesis Data Firehose deliveries to another service.

    What it does (round 10): in ``aws_kinesis_firehose_delivery_stream``, a Splunk destination's
    ``hec_acknowledgment_timeout`` (seconds) is a ``timeout`` (``phase: total``: how long Firehose
    waits for the HEC's acknowledgement of a batch); a destination's ``retry_duration`` (Splunk,
    HTTP endpoint, Snowflake, Iceberg) or ``retry_options { duration_in_seconds }`` (OpenSearch,
    Elasticsearch, Redshift) is a ``retry`` bounded by time, not count (``max_attempts: null``,
    ``retry_window_ms``, ``library: aws_firehose``); 0 turns retries off (1 attempt). Written values
    only.

    Why it matters: Firehose redelivers a batch the destination failed to acknowledge; a receiver
    that processed it before timing out sees it again.
    """
    if block.type != "resource":
        return []
    found: list[Finding] = []
    for destination in block.blocks:
        if destination.type not in _DESTINATIONS:
            continue
        extra = {"resource": block.address, "destination": destination.type.removesuffix("_configuration")}
        if destination.type == "splunk_configuration":
            timeout = timeout_finding(tf, destination, "hec_acknowledgment_timeout", scale=1000.0, phase="total",
                                      detector=ID, default_ms=None, extra=extra)
            if timeout is not None:
                found.append(timeout)
        settings = [(destination, "retry_duration")] + [(options, "duration_in_seconds")
                                                        for options in destination.blocks
                                                        if options.type == "retry_options"]
        for holder, name in settings:
            attr = holder.attributes.get(name)
            if attr is None:
                continue
            expr = to_expr(attr.value)
            attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": "error",
                     "mechanism": "redelivery", "library": "aws_firehose", "setting": name,
                     "expression": attr.text, **extra}
            if isinstance(expr, Num):
                attrs["retry_window_ms"] = float(expr.value) * 1000.0
                if expr.value == 0:
                    attrs["max_attempts"] = 1
                found.append(tf.finding("retry", attr.node, ID, attrs))
            else:
                found.append(tf.finding("retry", attr.node, ID, attrs, confidence="medium",
                                        pending=(Pending("retry_window_ms", expr, 1000.0),)))
    return found
