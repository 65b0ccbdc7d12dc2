"""Round 18 (infra), Terraform (round-17 request): a queue the module only sends to (an SNS subscription, an
EventBridge target, a policy document granting sqs:SendMessage on it) and that nothing of it may read (no event
source mapping, no grant to receive, no module handed the queue) has no reader in the stack: AWS's default 30 s
visibility is not reported there, as the CloudFormation extractor decided in round 17. A queue with a reader, or
one the module says nothing of, keeps its default."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts as _contracts


QUEUES = '''\
resource "aws_sqs_queue" "fanout" {
  name = "orders-fanout"
}

resource "aws_sqs_queue" "granted_send" {
  name = "audit-events"
}

resource "aws_sqs_queue" "read_by_worker" {
  name = "notifications"
}

resource "aws_sqs_queue" "read_inline" {
  name = "payments"
}

resource "aws_sqs_queue" "handed_to_module" {
  name = "reports"
}

resource "aws_sqs_queue" "unknown" {
  name = "exports"
}

resource "aws_sqs_queue" "written" {
  name                       = "scans"
  visibility_timeout_seconds = 90
}
'''

WIRING = '''\
resource "aws_sns_topic_subscription" "fanout" {
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.fanout.arn
}

resource "aws_sns_topic_subscription" "notifications" {
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.read_by_worker.arn
}

resource "aws_sns_topic_subscription" "scans" {
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.written.arn
}

data "aws_iam_policy_document" "send_audit" {
  statement {
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [aws_sqs_queue.granted_send.arn]
  }
}

data "aws_iam_policy_document" "worker_reads" {
  statement {
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.read_by_worker.arn]
  }
}

resource "aws_cloudwatch_event_target" "payments" {
  rule = aws_cloudwatch_event_rule.paid.name
  arn  = aws_sqs_queue.read_inline.arn
}

resource "aws_iam_role_policy" "payments_reader" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["sqs:ReceiveMessage"], Resource = [aws_sqs_queue.read_inline.arn] }]
  })
}

resource "aws_cloudwatch_event_target" "reports" {
  rule = aws_cloudwatch_event_rule.daily.name
  arn  = aws_sqs_queue.handed_to_module.arn
}

module "report_worker" {
  source    = "./modules/worker"
  queue_url = aws_sqs_queue.handed_to_module.url
}
'''


def test_send_only_queue_reports_no_default_visibility(tmp_path: Path) -> None:
    root = tmp_path / "infra"
    root.mkdir()
    (root / "sqs.tf").write_text(QUEUES)
    (root / "wiring.tf").write_text(WIRING)
    got = {c for c in _contracts(root) if c[0].endswith("sqs.tf")}
    assert ("sqs.tf", 1, "timeout", 30000) not in got     # SNS sends to it, nothing reads it
    assert ("sqs.tf", 5, "timeout", 30000) not in got     # a policy grants sending only
    assert ("sqs.tf", 9, "timeout", 30000) in got         # a policy document grants receiving
    assert ("sqs.tf", 13, "timeout", 30000) in got        # an inline policy grants receiving
    assert ("sqs.tf", 17, "timeout", 30000) in got        # handed to a module, which may read it
    assert ("sqs.tf", 21, "timeout", 30000) in got        # nothing said of it here: its default holds
    assert ("sqs.tf", 27, "timeout", 90000) in got        # a written visibility is always a setting


def test_send_only_queue_in_one_file(tmp_path: Path) -> None:
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(QUEUES + WIRING)
    got = {c for c in _contracts(root) if c[2] == "timeout"}
    assert ("main.tf", 1, "timeout", 30000) not in got
    assert ("main.tf", 9, "timeout", 30000) in got


ROOT_MAIN = '''\
module "config" {
  source = "./modules/config"
}

module "settings" {
  source = "./modules/settings"
  queue  = { visibility = 120 }
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  timeout       = module.config.lambda.timeout
}

resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = module.settings.queue.visibility
}

resource "aws_lambda_function" "other" {
  function_name = "other"
  timeout       = module.config.plain
}
'''

CONFIG_OUTPUTS = '''\
output "lambda" {
  value = {
    timeout     = 45
    memory_size = 512
  }
}

output "plain" {
  value = 25
}
'''

SETTINGS_OUTPUTS = '''\
variable "queue" {
  type = object({ visibility = number })
}

output "queue" {
  value = var.queue
}
'''


def test_module_output_object_members(tmp_path: Path) -> None:
    root = tmp_path / "infra"
    (root / "modules" / "config").mkdir(parents=True)
    (root / "modules" / "settings").mkdir(parents=True)
    (root / "main.tf").write_text(ROOT_MAIN)
    (root / "modules" / "config" / "outputs.tf").write_text(CONFIG_OUTPUTS)
    (root / "modules" / "settings" / "main.tf").write_text(SETTINGS_OUTPUTS)
    got = {c for c in _contracts(root) if c[0] == "main.tf"}
    assert ("main.tf", 12, "timeout", 45000) in got    # module.config.lambda.timeout: an output object's member
    assert ("main.tf", 17, "timeout", 120000) in got   # module.settings.queue.visibility: through var.queue
    assert ("main.tf", 22, "timeout", 25000) in got    # module.config.plain (round 10)
