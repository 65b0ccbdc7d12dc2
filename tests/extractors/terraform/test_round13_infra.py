"""Round 13 (infra), Terraform: another organisation's Azure Service Bus queue / subscription
modules (`hmcts/terraform-module-servicebus-queue`): their written `lock_duration` and
`max_delivery_count` inputs."""

from __future__ import annotations


from extractors.terraform.detectors.azure import other_service_bus_module
from tests.extractors.scan_support import contracts as _contracts, write as _write


QUEUES = '''\
variable "envelope_queue_max_delivery_count" {
  type    = string
  default = "10"
}

module "envelopes-queue" {
  source              = "git@github.com:hmcts/terraform-module-servicebus-queue?ref=4.x"
  name                = "envelopes"
  lock_duration       = "PT5M"
  max_delivery_count  = var.envelope_queue_max_delivery_count
}

module "case-events-sub" {
  source           = "git::https://github.com/hmcts/terraform-module-servicebus-subscription.git?ref=4.x"
  name             = "case-events"
  requires_session = true
  lock_duration    = "PT30S"
  max_delivery_count = 7
}

module "plain-queue" {
  source = "git@github.com:hmcts/terraform-module-servicebus-queue?ref=4.x"
  name   = "processed"
}

module "namespace" {
  source        = "git@github.com:hmcts/terraform-module-servicebus-namespace?ref=4.x"
  name          = "ns"
  lock_duration = "PT9M"
}

module "topic" {
  source        = "git@github.com:hmcts/terraform-module-servicebus-topic?ref=4.x"
  name          = "events"
  lock_duration = "PT8M"
}

module "job_queue" {
  source        = "git@github.com:org/terraform-module-job-queue?ref=1.x"
  lock_duration = "PT7M"
}
'''


def test_service_bus_module_inputs_are_read_at_their_lines(tmp_path):
    found = _contracts(_write(tmp_path, {"queues.tf": QUEUES}))
    assert ("queues.tf", 9, "timeout", 300000) in found
    assert ("queues.tf", 10, "retry", 10) in found  # the variable's default
    assert ("queues.tf", 17, "timeout", 30000) in found
    assert ("queues.tf", 18, "retry", 7) in found
    # a call without the inputs: the module's own defaults are unknown here, nothing is assumed;
    # a namespace or topic module (no message lock) and a queue module not named for Service Bus
    assert not {c for c in found if c[1] >= 21}


def test_service_bus_module_names():
    assert other_service_bus_module("git@github.com:hmcts/terraform-module-servicebus-queue?ref=4.x")
    assert other_service_bus_module("hmcts/terraform-module-servicebus-subscription")
    assert other_service_bus_module("fadallar/service-bus-subscription/azurerm")
    assert other_service_bus_module("git::https://github.com/org/infra.git//servicebus/queue?ref=v1")
    assert other_service_bus_module("./org-modules/servicebus-queue", local=True)
    assert not other_service_bus_module("./modules/servicebus-queue")  # the project's own: read where it is
    assert not other_service_bus_module("git@github.com:hmcts/terraform-module-servicebus-namespace?ref=4.x")
    assert not other_service_bus_module("git@github.com:hmcts/terraform-module-servicebus-topic?ref=4.x")
    assert not other_service_bus_module("terraform-aws-modules/sqs/aws")
    assert not other_service_bus_module("git::https://github.com/org/infra.git//jobs/queue?ref=v1")


QUEUES_SQS = '''\
resource "aws_sqs_queue" "stream_dead_letter_queue" {
  fifo_queue = true
  name       = "${var.prefix}-stream-dead-letter.fifo"
}

resource "aws_sqs_queue" "orders" {
  name = "${var.prefix}-orders-dlq-replay"
}

resource "aws_sqs_queue" "replays" {
  name = "${var.prefix}-dlq"
}

resource "aws_sqs_queue" "deadline_jobs" {
  name = "${var.prefix}-deadline-jobs"
}

resource "aws_lambda_event_source_mapping" "replays" {
  event_source_arn = aws_sqs_queue.replays.arn
  function_name    = "replayer"
}
'''


def test_queue_named_dead_letter_without_consumer_has_no_default_visibility(tmp_path):
    found = _contracts(_write(tmp_path, {"sqs.tf": QUEUES_SQS}))
    visibility = {c[1] for c in found if c[2] == "timeout"}
    # a queue named dead-letter / dlq (any part of the name) that nothing consumes: AWS's default
    # is nobody's contract; a dlq-named queue a mapping consumes keeps it; `deadline` is no such word
    assert 1 not in visibility
    assert 6 not in visibility
    assert 10 in visibility
    assert 14 in visibility


SFN_TF = '''\
locals {
  retry_statement = jsonencode([{ ErrorEquals = ["States.ALL"], IntervalSeconds = 2, MaxAttempts = 6, BackoffRate = 2 }])
  lambda_retriers = [
    { ErrorEquals = ["Lambda.ServiceException"], MaxAttempts = 2 },
    { ErrorEquals = ["States.ALL"] },
  ]
  not_a_retrier = jsonencode({ name = "x" })
}

resource "aws_sfn_state_machine" "ingest" {
  name = "ingest"
  definition = templatefile("${path.module}/templates/ingest.json.tpl", {
    retry_statement = local.retry_statement
    upsert_retry    = jsonencode([{ ErrorEquals = ["States.ALL"], MaxAttempts = 10, BackoffRate = 1 }])
    lambda_retry    = jsonencode(local.lambda_retriers)
    other_retry     = local.not_a_retrier
    account_id      = "123"
  })
}
'''

SFN_TEMPLATE = '''\
{
  "StartAt": "Validate",
  "States": {
    "Validate": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:eu-west-2:${account_id}:function:validate",
      "Retry": ${retry_statement},
      "Next": "Upsert"
    },
    "Upsert": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:eu-west-2:${account_id}:function:upsert",
      "Retry": ${upsert_retry},
      "Next": "Map"
    },
    "Map": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:eu-west-2:${account_id}:function:map",
      "Retry": ${lambda_retry},
      "Next": "Other"
    },
    "Other": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:eu-west-2:${account_id}:function:other",
      "Retry": ${other_retry},
      "Comment": "Retry: ${account_id}",
      "End": true
    }
  }
}
'''


def test_retrier_list_handed_to_a_definition_template(tmp_path):
    found = _contracts(_write(tmp_path, {"sfn.tf": SFN_TF, "templates/ingest.json.tpl": SFN_TEMPLATE}))
    retries = {c for c in found if c[0] == "templates/ingest.json.tpl"}
    assert retries == {("templates/ingest.json.tpl", 7, "retry", 7),    # MaxAttempts 6 + the first try
                       ("templates/ingest.json.tpl", 13, "retry", 11),
                       ("templates/ingest.json.tpl", 19, "retry", 4)}   # the largest: Step Functions' default 3


REDRIVE = '''\
module "ingest_queue" {
  source                   = "git::https://github.com/nationalarchives/da-terraform-modules//sqs"
  queue_name               = "ingest"
  visibility_timeout       = 180
  redrive_maximum_receives = 5
}

module "notes_queue" {
  source             = "git::https://github.com/nationalarchives/da-terraform-modules//sqs"
  queue_name         = "notes"
  max_receive_count  = 3
}

module "bucket" {
  source                   = "git::https://github.com/nationalarchives/da-terraform-modules//s3"
  redrive_maximum_receives = 7
}
'''


def test_sqs_module_redrive_inputs(tmp_path):
    found = _contracts(_write(tmp_path, {"queues.tf": REDRIVE}))
    assert ("queues.tf", 4, "timeout", 180000) in found
    assert ("queues.tf", 5, "retry", 5) in found
    assert ("queues.tf", 11, "retry", 3) in found
    assert not [c for c in found if c[1] >= 14]  # not a queue module
