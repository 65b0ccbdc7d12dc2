"""Round 11 (infra): the AWS SDK's own retry bound in a Lambda's environment (AWS_MAX_ATTEMPTS);
Cloud Endpoints / API Gateway backend deadlines in a service config or OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import contracts as _contracts, write as _write


LAMBDAS = '''\
variable "sdk_attempts" {
  default = 4
}

module "api" {
  source  = "github.com/example/terraform-modules//lambda?ref=v1.0.0"
  name    = "api"
  timeout = 300

  environment_variables = {
    AWS_MAX_ATTEMPTS = "5"
    AWS_RETRY_MODE   = "standard"
    # AWS_MAX_ATTEMPTS = "9" in a comment is nothing
    APP_NOTE         = "AWS_MAX_ATTEMPTS = 7"
    MAX_ATTEMPTS     = "8"
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  timeout       = 60
  environment {
    variables = {
      AWS_MAX_ATTEMPTS = var.sdk_attempts
    }
  }
}

resource "aws_lambda_function" "plain" {
  function_name = "plain"
  timeout       = 10
  environment {
    variables = {
      RETRY_MODE = "adaptive"
    }
  }
}

resource "aws_ssm_parameter" "p" {
  name  = "AWS_MAX_ATTEMPTS"
  value = "3"
}
'''


def test_lambda_environment_aws_max_attempts(tmp_path: Path) -> None:
    found = _contracts(_write(tmp_path, {"main.tf": LAMBDAS}))
    retries = {c for c in found if c[2] == "retry"}
    # the SDK's total attempts, first try included; a variable settled by the resolver
    assert retries == {("main.tf", 11, "retry", 5), ("main.tf", 24, "retry", 4)}
    # the function timeouts are still there
    assert ("main.tf", 8, "timeout", 300000) in found
    assert ("main.tf", 21, "timeout", 60000) in found


SERVICE_CONFIG = '''\
type: google.api.Service
config_version: 3
name: ${service_name}
backend:
  rules:
    - selector: "*"
      address: ${backend_url}
      deadline: 60
    - selector: "svc.v1.Api.Batch"
      address: ${backend_batch_url}
      deadline: 120.0
    - selector: "svc.v1.Api.Quick"
      address: ${backend_url}
# deadline: 5 in a comment is nothing
'''

OPENAPI = '''\
swagger: "2.0"
info:
  title: api
  version: "1"
x-google-backend:
  address: https://backend.example.run.app
  deadline: 30
paths:
  /items:
    get:
      operationId: list
      x-google-backend:
        address: https://items.example.run.app
        deadline: 5.5
    post:
      operationId: create
      x-google-backend:
        address: https://items.example.run.app
'''

NOT_ENDPOINTS = '''\
jobs:
  build:
    deadline: 600
    type: google.api.Something
'''


def test_endpoints_backend_deadlines(tmp_path: Path) -> None:
    root = _write(tmp_path, {"api/api_config.tftpl": SERVICE_CONFIG, "gateway/openapi.yaml": OPENAPI,
                             "ci/pipeline.yaml": NOT_ENDPOINTS})
    found = _contracts(root)
    assert found == {
        ("api/api_config.tftpl", 8, "timeout", 60000),
        ("api/api_config.tftpl", 11, "timeout", 120000),
        ("gateway/openapi.yaml", 7, "timeout", 30000),
        ("gateway/openapi.yaml", 14, "timeout", 5500),
    }
    langs = {f.language for f in scan(root).findings}
    assert langs == {"terraform"}


CHILD_MAIN = '''\
resource "aws_sqs_queue" "q" {
  name                       = var.name
  visibility_timeout_seconds = var.hide_for_seconds
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_sync_retries
  })
}

resource "aws_sqs_queue" "dlq" {
  name = "${var.name}-dlq"
}

resource "aws_ssm_parameter" "note" {
  name  = "retry-note"
  value = var.retry_note
}
'''

CHILD_VARIABLES = '''\
variable "name" {}

variable "max_sync_retries" {
  description = "How many deliveries before the dead-letter queue"
  type        = number
  default     = 3
}

variable "hide_for_seconds" {
  type = number
}

variable "retry_note" {
  default = 7
}
'''

CALLERS = '''\
module "omits" {
  source           = "./modules/worker_queue"
  name             = "a"
  hide_for_seconds = 60
}

module "passes" {
  source           = "./modules/worker_queue"
  name             = "b"
  hide_for_seconds = 90
  max_sync_retries = 10
}

resource "aws_lambda_event_source_mapping" "a" {
  event_source_arn = module.omits.arn
  function_name    = "f"
}

resource "aws_lambda_event_source_mapping" "b" {
  event_source_arn = module.passes.arn
  function_name    = "f"
}
'''


def test_omitted_module_input_with_an_unusual_name(tmp_path: Path) -> None:
    root = _write(tmp_path, {"modules/worker_queue/main.tf": CHILD_MAIN,
                             "modules/worker_queue/variables.tf": CHILD_VARIABLES, "main.tf": CALLERS})
    at_calls = {c for c in _contracts(root) if c[0] == "main.tf"}
    # (b) the call leaving max_sync_retries out: its default 3 at the `module` line; (c) the call
    # passing 10: at the argument; hide_for_seconds has no default (passed by both: at the arguments);
    # retry_note is no setting: nothing
    assert at_calls == {
        ("main.tf", 1, "retry", 3),
        ("main.tf", 4, "timeout", 60000),
        ("main.tf", 10, "timeout", 90000),
        ("main.tf", 11, "retry", 10),
    }
    settings = {f.attributes.get("setting") for f in scan(root).findings
                if f.path == "main.tf" and f.line == 1 and f.kind == "retry"}
    assert settings == {"max_sync_retries"}
