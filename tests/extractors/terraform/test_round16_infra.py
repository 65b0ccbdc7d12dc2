"""Round 16 (infra), Terraform: a Cloud Function's event trigger that writes retries off
(`retry_policy = "RETRY_POLICY_DO_NOT_RETRY"`, 1st gen `failure_policy { retry = false }`) is 1
attempt, as a setting turning retries off counts in every language (round 15)."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts


FUNCTIONS = '''\
resource "google_cloudfunctions2_function" "download" {
  name = "download"
  service_config {
    timeout_seconds = 120
  }
  event_trigger {
    event_type   = "google.cloud.pubsub.topic.v1.messagePublished"
    retry_policy = "RETRY_POLICY_DO_NOT_RETRY"
  }
}

resource "google_cloudfunctions2_function" "heartbeat" {
  name = "heartbeat"
  service_config {
    timeout_seconds = 60
  }
  event_trigger {
    retry_policy = "RETRY_POLICY_RETRY"
  }
}

resource "google_cloudfunctions_function" "legacy" {
  name    = "legacy"
  timeout = 30
  event_trigger {
    event_type = "google.pubsub.topic.publish"
    failure_policy {
      retry = false
    }
  }
}

resource "google_cloudfunctions2_function" "unset" {
  name = "unset"
  service_config {
    timeout_seconds = 60
  }
  event_trigger {
    # retry_policy = "RETRY_POLICY_DO_NOT_RETRY"
    retry_policy = var.retry_policy
  }
  description = "RETRY_POLICY_DO_NOT_RETRY"
}
'''


def test_retries_written_off_are_one_attempt(tmp_path: Path) -> None:
    (tmp_path / "functions.tf").write_text(FUNCTIONS)
    retries = {c for c in _contracts(tmp_path) if c[2] == "retry"}
    assert ("functions.tf", 8, "retry", 1) in retries
    assert ("functions.tf", 18, "retry", None) in retries  # redelivered until it succeeds: no count
    assert ("functions.tf", 28, "retry", 1) in retries
    assert not {c for c in retries if c[1] >= 33}  # a variable, a comment, a description: nothing


HTTP_FUNCTION_MODULE = '''\
resource "terraform_data" "deploy" {
  triggers_replace = [var.timeout_seconds]

  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
    environment = {
      FUNCTION_NAME   = var.function_name
      TIMEOUT_SECONDS = var.timeout_seconds == null ? "" : tostring(var.timeout_seconds)
    }
    command = <<-EOT
      set -euo pipefail
      args=(
        "functions" "deploy" "$FUNCTION_NAME"
        "--gen2"
        # "--timeout=900"
      )
      if [[ -n "$TIMEOUT_SECONDS" ]]; then
        args+=("--timeout=$TIMEOUT_SECONDS")
      fi
      gcloud $${args[@]}
    EOT
  }
}
'''

HTTP_FUNCTION_VARIABLES = '''\
variable "function_name" {
  type = string
}

variable "timeout_seconds" {
  description = "Null uses the gcloud default."
  type        = number
  default     = null
}
'''

GCS_FUNCTION_MODULE = '''\
resource "terraform_data" "deploy" {
  provisioner "local-exec" {
    command = "gcloud functions deploy ${var.function_name} --gen2 --trigger-bucket=b"
  }
}

resource "terraform_data" "dead_letter" {
  provisioner "local-exec" {
    environment = {
      MAX_DELIVERY_ATTEMPTS = tostring(var.max_delivery_attempts)
    }
    command = <<-EOT
      gcloud pubsub subscriptions update "$SUB" \\
        --dead-letter-topic="$DLQ_TOPIC" \\
        --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS"
    EOT
  }
}

resource "terraform_data" "copy" {
  provisioner "local-exec" {
    command = "gcloud storage cp a b --timeout=30"
  }
}

resource "null_resource" "run" {
  provisioner "local-exec" {
    command = <<-EOT
      gcloud run deploy api \\
        --image=img \\
        --timeout=15m
    EOT
  }
}

variable "function_name" {
  type = string
}

variable "max_delivery_attempts" {
  type    = number
  default = 10
}
'''

ROOT = '''\
module "fetcher" {
  source          = "./http-function"
  function_name   = "fetcher"
  timeout_seconds = 600
}

module "sync" {
  source        = "./http-function"
  function_name = "sync"
}

module "watcher" {
  source        = "./gcs-function"
  function_name = "watcher"
}
'''


def test_gcloud_deploys_in_local_exec(tmp_path: Path) -> None:
    (tmp_path / "http-function").mkdir()
    (tmp_path / "gcs-function").mkdir()
    (tmp_path / "http-function" / "main.tf").write_text(HTTP_FUNCTION_MODULE)
    (tmp_path / "http-function" / "variables.tf").write_text(HTTP_FUNCTION_VARIABLES)
    (tmp_path / "gcs-function" / "main.tf").write_text(GCS_FUNCTION_MODULE)
    (tmp_path / "main.tf").write_text(ROOT)
    found = _contracts(tmp_path)
    assert ("http-function/main.tf", 8, "timeout", 60000) in found  # the env entry (null: gcloud's 60 s)
    assert ("main.tf", 4, "timeout", 600000) in found  # a call passing 600 (rule c)
    assert ("main.tf", 7, "timeout", 60000) in found  # a call leaving it out: null -> gcloud's default (rule b)
    assert ("gcs-function/main.tf", 1, "timeout", 60000) in found  # a deploy with no --timeout
    assert ("gcs-function/main.tf", 10, "retry", 10) in found  # the DLQ patch's delivery attempts
    assert ("main.tf", 12, "retry", 10) in found  # its call leaving max_delivery_attempts out
    assert ("gcs-function/main.tf", 31, "timeout", 900000) in found  # gcloud run deploy --timeout=15m
    assert not {c for c in found if c[0] == "gcs-function/main.tf" and c[1] in (20, 21, 22)}  # storage cp
    assert not {c for c in found if c[0] == "http-function/main.tf" and c[1] in (1, 15)}  # a comment


QUEUE_MODULE = '''\
resource "google_pubsub_subscription" "work" {
  name                 = var.subscription_name
  topic                = "t"
  ack_deadline_seconds = var.ack_deadline_seconds
}

variable "subscription_name" {
  type = string
}

variable "ack_deadline_seconds" {
  type    = number
  default = 10
}
'''

AGGREGATOR_MODULE = '''\
module "fulfiller_queue" {
  source               = "../queue"
  subscription_name    = var.fulfiller_config.queue.subscription_name
  ack_deadline_seconds = var.fulfiller_config.queue.ack_deadline_seconds
}

variable "fulfiller_config" {
  type = object({
    queue = object({
      subscription_name    = string
      ack_deadline_seconds = number
    })
  })
}
'''

STACK = '''\
locals {
  fulfiller_config = {
    queue = {
      subscription_name    = "fulfiller"
      ack_deadline_seconds = 600
    }
  }
}

module "aggregator" {
  source           = "../aggregator"
  fulfiller_config = local.fulfiller_config
}
'''


def test_an_object_input_handed_over_whole_is_read_in_the_callers_scope(tmp_path: Path) -> None:
    for folder, text in (("queue", QUEUE_MODULE), ("aggregator", AGGREGATOR_MODULE), ("stack", STACK)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(text)
    found = _contracts(tmp_path)
    assert ("aggregator/main.tf", 4, "timeout", 600000) in found  # var.fulfiller_config.queue.x = local's 600


APIM_POLICY = '''\
resource "azurerm_api_management_api_policy" "p" {
  api_name    = "payments"
  xml_content = <<XML
<policies>
  <inbound>
    <send-request ignore-error="false" timeout="20" response-variable-name="token" mode="new">
      <set-url>https://s2s/lease</set-url>
    </send-request>
    <!-- <send-request timeout="99" mode="new"> -->
    <set-variable name="timeout" value="30" />
  </inbound>
</policies>
XML
}
'''


def test_apim_send_request_timeout(tmp_path: Path) -> None:
    (tmp_path / "apim.tf").write_text(APIM_POLICY)
    found = _contracts(tmp_path)
    assert ("apim.tf", 6, "timeout", 20000) in found
    assert not {c for c in found if c[1] in (9, 10)}  # a comment, a variable named timeout
