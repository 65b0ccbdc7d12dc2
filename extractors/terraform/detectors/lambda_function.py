"""Lambda function timeout (``aws_lambda_function.timeout``, seconds)."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.hcl import Block, literal_string

ID = "terraform.lambda_function"
RESOURCE_TYPES = ("aws_lambda_function",)
MODULE_SOURCES = ("terraform-aws-modules/lambda",)
DEFAULT_TIMEOUT_MS = 3000


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_lambda_permission" "p" {\n  statement_id = "timeout = 5"\n  # timeout = 60\n}'],
          invalid=['resource "aws_lambda_function" "f" {\n  timeout = 60\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Lambda function timeout (``aws_lambda_function.timeout``, seconds).

    What it does: reports how long a Lambda function may run before AWS stops it, including the
    3-second default when ``timeout`` is absent (``resolved_from: library_default``). The
    ``terraform-aws-modules/lambda/aws`` module's ``timeout`` input is read the same way.

    Why it matters: every caller of the function (API Gateway, an SQS event source mapping, a
    client SDK) has its own limit; a function allowed to run longer than its caller waits, or longer
    than a queue hides a message, breaks the contract between them (see the ``infra-*`` checks).

    Example: ``timeout = 60`` -> ``timeout timeout_ms=60000 phase=function``.
    Not reported: ``timeouts { create = "30m" }`` (how long Terraform waits for the API).

    """
    name_attr = block.attributes.get("function_name")
    extra = {"function_name": literal_string(name_attr.value) if name_attr else None}
    found = timeout_finding(tf, block, "timeout", scale=1000.0, phase="function", detector=ID,
                            default_ms=DEFAULT_TIMEOUT_MS, extra=extra)
    return [found] if found else []
