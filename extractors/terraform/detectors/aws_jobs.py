"""AWS Batch and Glue job attempts and timeouts (``aws_batch_job_definition``, ``aws_glue_job``)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.gcp import count_finding
from extractors.terraform.hcl import Block, literal_string

ID = "terraform.aws_jobs"
RESOURCE_TYPES = ("aws_batch_job_definition", "aws_glue_job")


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "aws_batch_job_queue" "q" {\n  name = "attempts = 3"\n  # timeout = 60\n}'],
          invalid=['resource "aws_glue_job" "etl" {\n  timeout     = 60\n  max_retries = 2\n}',
                   'resource "aws_batch_job_definition" "d" {\n  retry_strategy {\n    attempts = 3\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """AWS Batch and Glue job attempts and timeouts.

    What it does: ``aws_batch_job_definition``'s ``retry_strategy { attempts = n }`` is a ``retry``
    with ``max_attempts = n`` (Batch counts every attempt, 1-10; ``library: aws_batch``) and
    ``timeout { attempt_duration_seconds = s }`` a timeout of each attempt (``phase: per_try``).
    ``aws_glue_job``'s ``timeout`` (minutes) is ``phase: function`` and ``max_retries = n`` a
    ``retry`` with ``max_attempts = n + 1`` (``library: aws_glue``). Written values only (Batch: one
    attempt and no timeout by default; Glue: 2880 minutes, no retry).

    Why it matters: a job retried after a partial run repeats its side effects (writes, calls);
    its steps must be idempotent, and its timeout bounds how long its callers wait for its output.
    """
    if block.type != "resource":
        return []
    name = block.attributes.get("name")
    extra = {"resource": block.address, "job_name": literal_string(name.value) if name is not None else None}
    found = []
    if block.resource_type == "aws_batch_job_definition":
        for strategy in block.nested("retry_strategy"):
            retry = count_finding(tf, strategy, "attempts", detector=ID, library="aws_batch", add=0,
                                  extra={**extra, "mechanism": "redelivery"})
            if retry is not None:
                found.append(retry)
        for timeout in block.nested("timeout"):
            finding = timeout_finding(tf, timeout, "attempt_duration_seconds", scale=1000.0, phase="per_try",
                                      detector=ID, default_ms=None, extra=extra)
            if finding is not None:
                found.append(finding)
        return found
    finding = timeout_finding(tf, block, "timeout", scale=60000.0, phase="function", detector=ID,
                              default_ms=None, extra=extra)
    if finding is not None:
        found.append(finding)
    retry = count_finding(tf, block, "max_retries", detector=ID, library="aws_glue", add=1,
                          extra={**extra, "mechanism": "redelivery"})
    if retry is not None:
        found.append(retry)
    return found
