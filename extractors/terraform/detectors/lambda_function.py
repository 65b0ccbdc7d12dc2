"""Lambda function timeout (``aws_lambda_function.timeout``, seconds)."""

from __future__ import annotations

import posixpath
import re

from contract_discovery.model import Finding, Pending
from contract_discovery.values import Expr, Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.event_source_mapping import retry_finding
from extractors.terraform.hcl import Block, literal_string, object_items, references, to_expr

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
    return ([found] if found else []) + sdk_environment(block, tf)


# A remote module named for Lambda: `github.com/org/terraform-modules//lambda?ref=...`,
# `app.terraform.io/org/lambda-function/aws`, `git::https://.../terraform-aws-lambda-fn.git`.
# a module source downloaded as an archive (Terraform's http getter): `.zip`, `.tar.gz`, `.tgz` ...
ARCHIVE_SUFFIX = re.compile(r"\.(?:zip|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$", re.I)
_LAMBDA_MODULE = re.compile(r"(?:^|[/_-])lambda(?:[_-](?:function|fn|service|container|docker|image))?$")
_NOT_A_FUNCTION = re.compile(r"layer|permission|alias|edge|authorizer|deploy|event|trigger|cloudwatch|alarm")


def other_lambda_module(source: str, local: bool = False) -> bool:
    """A module from outside this repository (not `./x`, `../x`) whose name says it makes a function.
    ``local=True`` (round 12) names a local path too: a git submodule's module (`./org-modules/lambda`)
    whose files the scanned tree does not hold (the caller keeps such findings only then)."""
    if source.startswith(("./", "../")) and not local:
        return False  # a local module: its own aws_lambda_function is read where it is declared
    path = source.split("?", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    path = ARCHIVE_SUFFIX.sub("", path)  # round 12: a module released as an archive (`.../terraform-lambda.zip`)
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
    # round 12: organisations' Lambda modules name the input `timeout_seconds` too (seconds all)
    setting = next((n for n in OTHER_MODULE_TIMEOUT_INPUTS if n in block.attributes), "timeout")
    found = timeout_finding(tf, block, setting, scale=1000.0, phase="function", detector=ID,
                            default_ms=None, extra=extra)
    return ([found] if found else []) + sdk_environment(block, tf)


# the input names another organisation's Lambda module gives the function's timeout, in seconds
OTHER_MODULE_TIMEOUT_INPUTS = ("timeout", "timeout_seconds", "timeout_in_seconds", "lambda_timeout",
                               "lambda_timeout_seconds", "function_timeout")


# round 11: the settings every AWS SDK (boto3 / botocore, JavaScript v3, Go v2, Java v2, .NET) reads
# from the environment itself, whatever the function's code does: the total attempts of each call,
# the first try included (`AWS_MAX_ATTEMPTS = "5"` with `AWS_RETRY_MODE = "standard"`: 5 attempts).
_SDK_ATTEMPTS = ("AWS_MAX_ATTEMPTS",)


def _variables(block: Block):
    """The environment variables map of a function: a module's `environment_variables`, a
    resource's `environment { variables = {...} }`."""
    if block.type == "module":
        return block.attributes.get("environment_variables")
    variables = None
    for env in block.nested("environment"):
        variables = env.attributes.get("variables") or variables
    return variables


def sdk_environment(block: Block, tf: TerraformFile) -> list[Finding]:
    """The AWS SDK's retry bound a function's environment sets (``AWS_MAX_ATTEMPTS``: total
    attempts), at the variable's line; a `var.x` / `local.x` value is settled by the resolver."""
    variables = _variables(block)
    out: list[Finding] = []
    for key, attr in object_items(variables.value if variables is not None else None):
        if key not in _SDK_ATTEMPTS:
            continue
        attrs = {"max_attempts": None, "backoff": None, "retry_on": "error", "mechanism": "client_config",
                 "library": "aws_sdk", "resource": block.address, "setting": key, "expression": attr.text}
        text = literal_string(attr.value)
        expr = to_expr(attr.value)
        if text is not None and text.strip().isdigit():
            attrs["max_attempts"] = int(text.strip())
        elif isinstance(expr, Num) and expr.value >= 1 and float(expr.value).is_integer():
            attrs["max_attempts"] = int(expr.value)
        elif isinstance(expr, Ref):
            out.append(tf.finding("retry", attr.node, ID, attrs, confidence="medium",
                                  pending=(Pending("max_attempts", expr, 1.0),)))
            continue
        else:
            continue
        out.append(tf.finding("retry", attr.node, ID, attrs))
    return out


def _flag(block: Block, name: str) -> bool | None:
    attr = block.attributes.get(name)
    text = attr.text.strip() if attr is not None else ""
    return {"true": True, "false": False}.get(text)


def _module_creates_function(block: Block) -> bool:
    """The lambda module makes a function unless told not to (its `create`, `create_function`,
    `create_layer` inputs, when written as literals)."""
    return _flag(block, "create") is not False and _flag(block, "create_function") is not False \
        and _flag(block, "create_layer") is not True


_PATH_MODULE = re.compile(r"^\$\{path\.(?:module|root)\}/?")


def _code_dir(block: Block, tf: TerraformFile) -> str | None:
    """The folder of a function's code, relative to the .tf file: the ``source_dir`` (or the folder of
    the ``source_file``) of the ``archive_file`` its ``filename`` names, or the Lambda module's
    ``source_path``; ``${path.module}/`` is this folder."""
    source = block.attributes.get("source_path")
    text = _path_text(source)
    if text is None:
        filename = block.attributes.get("filename")
        archive = None
        for ref in references(filename.value if filename is not None else None):
            archive = tf.by_address.get(ref)
        if archive is None and filename is not None:
            found = re.search(r"data\.archive_file\.([A-Za-z_][\w-]*)", ts.text(filename.value))
            archive = tf.by_address.get(f"data.archive_file.{found.group(1)}") if found else None
        if archive is None:
            return None
        for key in ("source_dir", "source_file"):
            text = _path_text(archive.attributes.get(key))
            if text is not None:
                text = posixpath.dirname(text) if key == "source_file" else text
                break
    if text is None or "${" in _PATH_MODULE.sub("", text):
        return None
    return _PATH_MODULE.sub("", text) or "."


def _path_text(attr) -> str | None:
    """A path attribute's text: a literal, or a template whose only interpolation is a leading
    ``${path.module}`` / ``${path.root}``."""
    if attr is None:
        return None
    text = literal_string(attr.value)
    if text is not None:
        return text
    raw = ts.text(attr.value).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        inner = _PATH_MODULE.sub("", raw[1:-1])
        return inner if "${" not in inner else None
    return None


def environment(block: Block, tf: TerraformFile) -> dict[str, Expr]:
    """A function's literal environment variables as the deployment environment of its code
    (``$deploy-env:<function>:<VAR>``, ``$deploy-build:<function>``: see contract_discovery/pipeline.py
    deployment_env), so a handler's ``os.environ.get("X_TIMEOUT", "3")`` takes the value Terraform sets."""
    source = block.attributes.get("source") if block.type == "module" else None
    source_text = (literal_string(source.value) or "") if source is not None else ""
    if block.resource_type != "aws_lambda_function" and not any(m in source_text for m in MODULE_SOURCES):
        return {}
    variables = None
    if block.type == "module":
        variables = block.attributes.get("environment_variables")
    else:
        for env in block.nested("environment"):
            variables = env.attributes.get("variables") or variables
    name_attr = block.attributes.get("function_name")
    label = block.labels[1] if block.type == "resource" and len(block.labels) > 1 else (
        block.labels[0] if block.labels else None)
    names = [n for n in (label, literal_string(name_attr.value) if name_attr else None) if n]
    values = {}
    for key, attr in object_items(variables.value if variables is not None else None):
        text = literal_string(attr.value)
        if key and text is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) and "${" not in text:
            values[key] = text
        elif key:
            number = to_expr(attr.value)
            if isinstance(number, Num):
                values[key] = f"{number.value:g}"
    code = _code_dir(block, tf)
    out: dict[str, Expr] = {}
    for name in dict.fromkeys(names):
        for key, text in values.items():
            out[f"$deploy-env:{name}:{key}"] = Str(text)
        if code is not None and values:
            out[f"$deploy-build:{name}"] = Str(code)
    return out
