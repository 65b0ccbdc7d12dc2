"""Round 15 (infra), Terraform: EventBridge Pipes' stream retries; Terragrunt inputs."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts_with_phase as _contracts


PIPES = '''\
resource "aws_pipes_pipe" "table_events" {
  name   = "table-events"
  source = aws_dynamodb_table.t.stream_arn
  target = module.sqs_events.sqs_queue_arn

  source_parameters {
    dynamodb_stream_parameters {
      starting_position      = "TRIM_HORIZON"
      maximum_retry_attempts = 5
      # maximum_retry_attempts = 9
    }
  }
}

resource "aws_pipes_pipe" "kinesis" {
  source = aws_kinesis_stream.s.arn
  target = aws_lambda_function.f.arn
  source_parameters {
    kinesis_stream_parameters {
      starting_position      = "LATEST"
      maximum_retry_attempts = -1
    }
  }
}

resource "aws_pipes_pipe" "from_queue" {
  source = aws_sqs_queue.q.arn
  target = aws_lambda_function.f.arn
  source_parameters {
    sqs_queue_parameters {
      batch_size = 10
    }
  }
  description = "maximum_retry_attempts = 3"
}

resource "aws_sqs_queue" "maximum_retry_attempts" {
  name = "maximum_retry_attempts"
}
'''


def test_pipe_stream_retries(tmp_path: Path) -> None:
    (tmp_path / "pipes.tf").write_text(PIPES)
    found = _contracts(tmp_path)
    assert ("pipes.tf", 9, "retry", 6, None) in found  # DynamoDB stream: 5 retries, 6 attempts
    assert ("pipes.tf", 21, "retry", None, None) in found  # -1: until the records expire
    lines = {(line, kind) for _, line, kind, _, _ in found}
    assert (10, "retry") not in lines  # a comment
    assert not {line for line, kind in lines if kind == "retry" and line > 22}  # SQS pipe, names, prose


ENVCOMMON = '''\
terraform {
  source = "${local.base_source_url}?ref=v1.0.1"
}

locals {
  base_source_url = "git::https://github.com/org/extractor/"
  timeout         = 99
}

inputs = {
  lambda_memory_size = "128"
  lambda_timeout     = "14"
  # timeout = 30
  description        = "timeout = 30"
  sqs_queues = [
    {
      name               = "q1"
      visibility_timeout = 45
    }
  ]
  max_receive_count      = 5
  maximum_retry_attempts = 2
  health_check_timeout   = 5
  session_timeout        = 3600
  container_definitions = {
    healthCheck = { timeout = 5, retries = 3 }
  }
  db_timeout = dependency.db.outputs.timeout
  request_timeout_ms = 2500
}
'''

PACKER = '''\
source "amazon-ebs" "ubuntu" {
  ssh_timeout = "10m"
}
build {
  sources = ["source.amazon-ebs.ubuntu"]
}
'''

LOCK = '''\
provider "registry.terraform.io/hashicorp/aws" {
  version = "5.0.0"
}
'''


def test_terragrunt_inputs_read_by_name(tmp_path: Path) -> None:
    (tmp_path / "_envcommon").mkdir()
    (tmp_path / "_envcommon" / "lambda.hcl").write_text(ENVCOMMON)
    (tmp_path / "packer.pkr.hcl").write_text(PACKER)
    (tmp_path / ".terraform.lock.hcl").write_text(LOCK)
    found = _contracts(tmp_path)
    f = "_envcommon/lambda.hcl"
    assert (f, 12, "timeout", 14000, None) in found  # a numeric string, seconds
    assert (f, 18, "timeout", 45000, None) in found  # inside a list of objects
    assert (f, 21, "retry", 5, None) in found  # deliveries: attempts
    assert (f, 22, "retry", 3, None) in found  # retries after the first try
    assert (f, 28, "timeout", None, None) in found  # another unit's output: no value
    assert (f, 29, "timeout", 2500, None) in found  # milliseconds by its name
    lines = {line for p, line, _, _, _ in found if p == f}
    assert not lines & {7, 13, 14, 23, 24, 26}  # locals, comment, prose, probe, session, a health check
    assert not {p for p, *_ in found} - {f}  # Packer and the lock file: nothing


CLOUD_RUN = '''\
variable "autoscaler_timeout" {
  type    = number
  default = 180
}

resource "google_cloud_run_v2_service" "autoscaler" {
  name     = "autoscaler"
  location = "europe-west1"
  template {
    timeout = format("%ds", var.autoscaler_timeout)
    containers {
      image = "img"
    }
  }
}

resource "google_cloud_run_v2_service" "other" {
  name     = "other"
  location = "europe-west1"
  template {
    timeout = format("%d items", var.autoscaler_timeout)
    containers {
      image = "img"
    }
  }
}
'''


def test_cloud_run_timeout_formatted_with_its_unit(tmp_path: Path) -> None:
    (tmp_path / "run.tf").write_text(CLOUD_RUN)
    found = {(line, kind, ms) for _, line, kind, ms, _ in _contracts(tmp_path)}
    assert (10, "timeout", 180000) in found  # format("%ds", var.x): the variable's seconds
    assert (22, "timeout", 180000) not in found  # not a duration format
