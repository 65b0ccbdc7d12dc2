"""Round 10 (infra): Step Functions definitions built in `locals`, variable files named after
another root module, dead-letter queues of EventBridge targets, Kinesis Firehose deliveries."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.scan_support import contracts as _contracts, write as _write


SFN_LOCALS = '''\
variable "max_retries" {
  default = 2
}

locals {
  # MaxAttempts = 9 in a comment is not a retrier
  unused_states = {
    Other = { Type = "Task", Retry = [{ ErrorEquals = ["States.ALL"], MaxAttempts = 5 }] }
  }
  base_states = {
    "Run trigger" = {
      Type     = "Task"
      Resource = "arn:aws:states:::lambda:invoke"
      Retry = [
        {
          ErrorEquals = ["States.ALL"]
          # MaxAttempts = 7
          MaxAttempts = 3
        }
      ]
    }
  }
  sync_states = merge([
    for _ in range(1) : {
      "Run sync" = {
        Type           = "Task"
        TimeoutSeconds = 60
        Retry = [{ ErrorEquals = ["States.TaskFailed"], MaxAttempts = var.max_retries }]
      }
    }
  ]...)
  definition = jsonencode({
    StartAt = "Run trigger"
    States  = merge(local.base_states, local.sync_states)
  })
}

resource "aws_sfn_state_machine" "m" {
  name       = "m"
  definition = local.definition
}
'''


def test_a_state_machine_definition_built_in_locals_is_read_where_written(tmp_path: Path) -> None:
    root = _write(tmp_path, {"sfn.tf": SFN_LOCALS})
    assert _contracts(root) == {
        ("sfn.tf", 18, "retry", 4),       # MaxAttempts = 3 in local.base_states
        ("sfn.tf", 27, "timeout", 60000),  # TimeoutSeconds in local.sync_states
        ("sfn.tf", 28, "retry", 3),        # MaxAttempts = var.max_retries (default 2) + 1
    }


def test_locals_no_state_machine_reaches_are_not_read(tmp_path: Path) -> None:
    text = SFN_LOCALS.replace("definition = local.definition", 'definition = "{}"')
    root = _write(tmp_path, {"sfn.tf": text})
    assert _contracts(root) == set()


STACK_LAMBDA = '''\
variable "lambda_timeout" {
  type    = number
  default = 30
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  timeout       = var.lambda_timeout
}
'''


def test_a_variable_file_named_after_another_stack_is_not_this_stacks(tmp_path: Path) -> None:
    # infrastructure/<stack>.tfvars beside stacks/<stack>/ (-var-file=$STACK.tfvars): search's
    # lambda_timeout is not notifier's, which keeps its default; search's own file sets search's
    root = _write(tmp_path, {
        "stacks/search/lambda.tf": STACK_LAMBDA,
        "stacks/notifier/lambda.tf": STACK_LAMBDA,
        "stacks/etl/lambda.tf": STACK_LAMBDA,
        "search.tfvars": "lambda_timeout = 900\n",
        "environments/dev/etl.tfvars": "lambda_timeout = 150\n",
        "common.tfvars": "region = \"eu-west-2\"\n",
    })
    timeouts = {(path, value) for path, _, kind, value in _contracts(root) if kind == "timeout"}
    assert timeouts == {
        ("stacks/search/lambda.tf", 900000),
        ("stacks/notifier/lambda.tf", 30000),
        ("stacks/etl/lambda.tf", 150000),
    }


def test_a_shared_variable_file_still_serves_every_stack(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "stacks/search/lambda.tf": STACK_LAMBDA,
        "stacks/notifier/lambda.tf": STACK_LAMBDA,
        "common.tfvars": "lambda_timeout = 60\n",
    })
    timeouts = {(path, value) for path, _, kind, value in _contracts(root) if kind == "timeout"}
    assert timeouts == {("stacks/search/lambda.tf", 60000), ("stacks/notifier/lambda.tf", 60000)}


def test_the_dead_letter_queue_of_an_eventbridge_target_is_not_a_consumed_queue(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "sqs.tf": 'resource "aws_sqs_queue" "dlq" {\n  name = "dlq"\n}\n\n'
                  'resource "aws_sqs_queue" "work" {\n  name = "work"\n}\n',
        "events.tf": 'resource "aws_cloudwatch_event_target" "t" {\n  rule = "r"\n  arn  = "arn:x"\n'
                     '  dead_letter_config {\n    arn = aws_sqs_queue.dlq.arn\n  }\n}\n',
    })
    # the work queue keeps SQS's default visibility timeout; the dead-letter queue says nothing
    assert _contracts(root) == {("sqs.tf", 5, "timeout", 30000)}


def test_firehose_splunk_acknowledgement_timeout_and_retry_window(tmp_path: Path) -> None:
    root = _write(tmp_path, {"firehose.tf": '''\
resource "aws_kinesis_firehose_delivery_stream" "splunk" {
  name        = "logs"
  destination = "splunk"
  # retry_duration = 999
  splunk_configuration {
    hec_endpoint               = "https://splunk.example"
    hec_acknowledgment_timeout = var.ack
    retry_duration             = 300
  }
}

variable "ack" {
  default = 180
}

resource "aws_kinesis_firehose_delivery_stream" "s3" {
  name        = "archive"
  destination = "extended_s3"
  extended_s3_configuration {
    buffering_interval = 300
  }
}
'''})
    found = [f for f in scan(root).findings if f.detector == "terraform.firehose"]
    assert {(f.line, f.kind, f.attributes.get("timeout_ms"), f.attributes.get("max_attempts")) for f in found} == {
        (7, "timeout", 180000, None),
        (8, "retry", None, None),
    }
    assert next(f for f in found if f.kind == "retry").attributes["retry_window_ms"] == 300000


def test_a_local_modules_output_values_the_callers_reference(tmp_path: Path) -> None:
    # module.sqs.short_vt -> the child's `output "short_vt" { value = var.short_vt }` -> the input the
    # call passes (240); its unit is the setting's the variable feeds (visibility_timeout_seconds: s)
    root = _write(tmp_path, {
        "infra/sqs.tf": 'locals {\n  vt = { short = 240 }\n}\n\nmodule "sqs" {\n  source   = "./modules/sqs"\n'
                        '  short_vt = local.vt.short\n}\n\nmodule "remote" {\n'
                        '  source = "terraform-aws-modules/sqs/aws"\n}\n',
        "infra/ecs.tf": '''\
resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = <<DEFINITION
[
  {
    "name": "worker",
    "environment": [
      {
        "name": "WORKER_MAX_TASK_TIMEOUT",
        "value": "${module.sqs.short_vt}"
      },
      {
        "name": "QUEUE_TIMEOUT",
        "value": "${module.remote.queue_vt}"
      },
      {
        "name": "OTHER_TIMEOUT",
        "value": "${module.sqs.queue_arn}"
      }
    ]
  }
]
DEFINITION
}
''',
        "infra/modules/sqs/main.tf": 'variable "short_vt" {\n  type = number\n}\n\n'
                                     'resource "aws_sqs_queue" "q" {\n  name = "q"\n'
                                     '  visibility_timeout_seconds = var.short_vt\n}\n',
        "infra/modules/sqs/outputs.tf": 'output "short_vt" {\n  value = var.short_vt\n}\n\n'
                                        'output "queue_arn" {\n  value = aws_sqs_queue.q.arn\n}\n',
    })
    env = {(f.line, f.attributes["timeout_ms"]) for f in scan(root).findings
           if f.path == "infra/ecs.tf" and f.kind == "timeout"}
    # the remote module's output and a resource's computed attribute stay unknown
    assert env == {(9, 240000), (13, None), (17, None)}


def test_a_module_handed_whole_to_another_gives_its_outputs_as_members(tmp_path: Path) -> None:
    # `cfg = module.config` (an object of the config module's outputs); var.cfg.connect_timeout in
    # the consumer is the config module's output, its default "1s"
    root = _write(tmp_path, {
        "prod/main.tf": 'module "config" {\n  source = "../modules/config"\n}\n\n'
                        'module "switch" {\n  source = "../modules/switch"\n  cfg    = module.config\n}\n',
        "modules/config/main.tf": 'variable "connect_timeout" {\n  default = "1s"\n}\n\n'
                                  'output "connect_timeout" {\n  value = var.connect_timeout\n}\n',
        "modules/switch/variables.tf": 'variable "cfg" {}\n',
        "modules/switch/ecs.tf": '''\
resource "aws_ecs_task_definition" "switch" {
  family = "switch"
  container_definitions = jsonencode([
    {
      name = "app"
      environment = [
        {
          name  = "CONNECT_TIMEOUT",
          value = var.cfg.connect_timeout
        }
      ]
    }
  ])
}
''',
    })
    env = {(f.line, f.attributes["timeout_ms"]) for f in scan(root).findings
           if f.path == "modules/switch/ecs.tf" and f.kind == "timeout"}
    assert env == {(8, 1000)}
