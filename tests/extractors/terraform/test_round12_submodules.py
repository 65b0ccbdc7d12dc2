"""Round 12 (infra): module calls of a local path the scanned tree does not hold (a git submodule:
`./org-modules/lambda`), read as another organisation's module is; Terraform templatefile()
variables in a state-machine definition (`"MaxAttempts": ${max_attempts}`); a `.json.tpl` under a
templates/ folder is no Helm helper."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import contracts as _contracts, write as _write


ROOT = '''\
locals {
  handler_timeout_secs = 60
}

module "file_checks" {
  source          = "./org-modules/lambda"
  function_name   = "file-checks"
  timeout_seconds = 900
}

module "handler" {
  source          = "./org-modules/generic_lambda"
  timeout_seconds = local.handler_timeout_secs
}

module "handler_queue" {
  source             = "./org-modules/sqs"
  queue_name         = "handler"
  visibility_timeout = 6 * local.handler_timeout_secs
}

module "api_alb" {
  source       = "./org-modules/alb"
  idle_timeout = 180
}

module "bucket" {
  source          = "./org-modules/s3"
  timeout_seconds = 30
}

module "own_lambda" {
  source  = "./modules/own_lambda"
  timeout = 45
}

module "alb_logs" {
  source       = "./org-modules/alb_logs"
  idle_timeout = 99
}
'''

OWN_LAMBDA = '''\
variable "timeout" {
  default = 3
}

resource "aws_lambda_function" "fn" {
  function_name = "own"
  timeout       = var.timeout
}
'''


def test_calls_of_an_absent_submodule_are_read_by_the_module_name(tmp_path: Path) -> None:
    found = _contracts(_write(tmp_path, {"main.tf": ROOT, "modules/own_lambda/main.tf": OWN_LAMBDA}))
    assert ("main.tf", 8, "timeout", 900000) in found        # ./org-modules/lambda timeout_seconds
    assert ("main.tf", 13, "timeout", 60000) in found        # generic_lambda, a local's value
    assert ("main.tf", 19, "timeout", 360000) in found       # sqs visibility_timeout = 6 * 60 s
    assert ("main.tf", 24, "timeout", 180000) in found       # alb idle_timeout
    # not a function, a queue or a load balancer: an s3 module's input, an ALB's log bucket module
    assert not any(c[1] in (29, 39) for c in found)
    # the project's own module (its files are in the tree): valued by module_inputs, once
    assert [c for c in found if c[1] == 34] == [("main.tf", 34, "timeout", 45000)]


def test_a_present_module_of_that_name_is_read_from_its_files_not_by_its_name(tmp_path: Path) -> None:
    child = '''\
variable "timeout_seconds" {
  default = 30
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  timeout       = var.timeout_seconds
}
'''
    root = '''\
module "fn" {
  source          = "./org-modules/lambda"
  timeout_seconds = 900
}
'''
    found = _contracts(_write(tmp_path, {"main.tf": root, "org-modules/lambda/main.tf": child}))
    # one finding at the argument (module_inputs, rule c), not a second one by the module's name
    assert [c for c in found if c[0] == "main.tf"] == [("main.tf", 3, "timeout", 900000)]


REMOTE = '''\
module "worker" {
  source          = "git::https://github.com/example/terraform-modules.git//lambda?ref=v2"
  timeout_seconds = 120
}

module "lb" {
  source       = "terraform-aws-modules/alb/aws"
  idle_timeout = 400
}
'''


def test_another_organisations_lambda_module_timeout_seconds_and_alb_idle_timeout(tmp_path: Path) -> None:
    found = _contracts(_write(tmp_path, {"main.tf": REMOTE}))
    assert ("main.tf", 3, "timeout", 120000) in found
    assert ("main.tf", 8, "timeout", 400000) in found


SFN_ROOT = '''\
module "export" {
  source = "./org-modules/stepfunctions"
  definition = templatefile("./templates/step_function/export.json.tpl", {
    max_attempts = 2,
    task_timeout = 1800
    cluster_arn  = "arn:aws:ecs:x"
  })
}
'''

SFN_TEMPLATE = '''\
{
  "StartAt": "Run",
  "States": {
    "Run": {
      "Type": "Task",
      "Resource": "arn:aws:states:::ecs:runTask.sync",
      "TimeoutSeconds": ${task_timeout},
      "Retry": [
        {
          "ErrorEquals": ["States.Timeout"],
          "MaxAttempts": ${max_attempts}
        },
        {
          "ErrorEquals": ["States.ALL"],
          "MaxAttempts": ${unknown_variable}
        }
      ],
      "Parameters": {"Cluster": "${cluster_arn}"},
      "Next": "Call"
    },
    "Call": {
      "Type": "Task",
      "Resource": "arn:aws:states:::http:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
      "End": true
    }
  }
}
'''


def test_templatefile_variables_value_a_definitions_placeholders(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.tf": SFN_ROOT, "templates/step_function/export.json.tpl": SFN_TEMPLATE})
    findings = scan(root).findings
    found = {(f.path, f.line, f.kind, f.attributes.get("timeout_ms") if f.kind == "timeout"
              else f.attributes.get("max_attempts")) for f in findings}
    template = "templates/step_function/export.json.tpl"
    assert (template, 7, "timeout", 1800000) in found
    assert (template, 11, "retry", 3) in found            # MaxAttempts ${max_attempts} = 2 -> 3 attempts
    assert (template, 15, "retry", None) in found         # a variable no call hands: no value, no guess
    assert (template, 24, "retry", 4) in found
    # the .json.tpl under templates/ is no Helm helper: one finding per setting, not a second one
    assert sum(1 for f in findings if f.path == template and f.line == 24) == 1
    assert not any(f.language == "kubernetes" for f in findings)


def test_two_calls_handing_one_template_different_values_give_no_value(tmp_path: Path) -> None:
    second = SFN_ROOT.replace('module "export"', 'module "export_again"').replace("max_attempts = 2", "max_attempts = 5")
    root = _write(tmp_path, {"main.tf": SFN_ROOT + "\n" + second,
                             "templates/step_function/export.json.tpl": SFN_TEMPLATE})
    found = _contracts(root)
    assert ("templates/step_function/export.json.tpl", 11, "retry", None) in found


ARCHIVES = '''\
module "get_letter" {
  source  = "https://github.com/example/shared-modules/releases/download/4.0.2/terraform-lambda.zip"
  timeout = 29
}

module "letters_queue" {
  source                     = "https://github.com/example/shared-modules/releases/download/3.1.5/terraform-sqs.zip"
  visibility_timeout_seconds = 60
}

module "bucket" {
  source  = "https://github.com/example/shared-modules/releases/download/3.0.6/terraform-s3bucket.zip"
  timeout = 10
}

module "layer" {
  source  = "https://example.com/modules/terraform-lambda-layer.tar.gz"
  timeout = 11
}
'''


def test_modules_released_as_archives_are_read_by_their_names(tmp_path: Path) -> None:
    found = _contracts(_write(tmp_path, {"main.tf": ARCHIVES}))
    assert ("main.tf", 3, "timeout", 29000) in found
    assert ("main.tf", 8, "timeout", 60000) in found
    # an S3 bucket module's input and a layer module: no function, no queue
    assert not any(c[1] in (13, 18) for c in found)
