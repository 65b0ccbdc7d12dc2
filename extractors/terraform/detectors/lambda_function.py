"""Lambda function timeout (``aws_lambda_function.timeout``, seconds)."""

from __future__ import annotations

import re

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.event_source_mapping import retry_finding
from extractors.terraform.hcl import Block, literal_string, references

ID = "terraform.lambda_function"
RESOURCE_TYPES = ("aws_lambda_function", "aws_lambda_function_event_invoke_config")
MODULE_SOURCES = ("terraform-aws-modules/lambda", "terraform-aws-modules/terraform-aws-lambda")
DEFAULT_TIMEOUT_MS = 3000


@detector(ID, "terraform", ["timeout", "retry"],
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

    Asynchronous invocations: ``aws_lambda_function_event_invoke_config.maximum_retry_attempts = n``
    is a ``retry`` with ``max_attempts = n + 1`` (``library: aws_lambda_async``); AWS's default of two
    retries is not reported.

    """
    name_attr = block.attributes.get("function_name")
    if block.resource_type == "aws_lambda_function_event_invoke_config":
        function = next(iter(references(name_attr.value if name_attr else None)), None)
        found = retry_finding(tf, block, "maximum_retry_attempts", detector=ID, library="aws_lambda_async",
                              extra={"function": function or (literal_string(name_attr.value) if name_attr else None)})
        return [found] if found else []
    if block.type == "module" and not _module_creates_function(block):
        return []  # `create_layer = true` / `create_function = false`: a layer or nothing, no function
    extra = {"function_name": literal_string(name_attr.value) if name_attr else None}
    found = timeout_finding(tf, block, "timeout", scale=1000.0, phase="function", detector=ID,
                            default_ms=DEFAULT_TIMEOUT_MS, extra=extra)
    return [found] if found else []


# A remote module named for Lambda: `github.com/org/terraform-modules//lambda?ref=...`,
# `app.terraform.io/org/lambda-function/aws`, `git::https://.../terraform-aws-lambda-fn.git`.
_LAMBDA_MODULE = re.compile(r"(?:^|[/_-])lambda(?:[_-](?:function|fn|service|container|docker|image))?$")
_NOT_A_FUNCTION = re.compile(r"layer|permission|alias|edge|authorizer|deploy|event|trigger|cloudwatch|alarm")


def other_lambda_module(source: str) -> bool:
    """A module from outside this repository (not `./x`, `../x`) whose name says it makes a function."""
    if source.startswith(("./", "../")):
        return False  # a local module: its own aws_lambda_function is read where it is declared
    path = source.split("?", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    name = path.split("//", 1)[1] if "//" in path.split("://", 1)[-1] else path
    parts = [p for p in name.split("/") if p]
    if parts and parts[-1] in ("aws", "google", "azurerm"):
        parts = parts[:-1]  # registry form `org/name/provider`
    last = parts[-1].lower() if parts else ""
    last = re.sub(r"^terraform-aws-", "", last)
    return bool(_LAMBDA_MODULE.search(last)) and not _NOT_A_FUNCTION.search(last)


def detect_other_module(block: Block, tf: TerraformFile) -> list[Finding]:
    """Another organisation's Lambda module: its `timeout` input when written (its own default is
    unknown here, so none is assumed)."""
    if not _module_creates_function(block):
        return []
    name_attr = block.attributes.get("function_name") or block.attributes.get("name")
    extra = {"function_name": literal_string(name_attr.value) if name_attr else None}
    found = timeout_finding(tf, block, "timeout", scale=1000.0, phase="function", detector=ID,
                            default_ms=None, extra=extra)
    return [found] if found else []


def _flag(block: Block, name: str) -> bool | None:
    attr = block.attributes.get(name)
    text = attr.text.strip() if attr is not None else ""
    return {"true": True, "false": False}.get(text)


def _module_creates_function(block: Block) -> bool:
    """The lambda module makes a function unless told not to (its `create`, `create_function`,
    `create_layer` inputs, when written as literals)."""
    return _flag(block, "create") is not False and _flag(block, "create_function") is not False \
        and _flag(block, "create_layer") is not True
