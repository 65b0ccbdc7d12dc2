"""Round 22 (infra), Terraform (held-out set forms-deploy): an SNS topic's HTTP delivery policy (`numRetries`) counts
when its module delivers the topic over HTTPS, also from another file: an `aws_sns_topic_subscription` with
`protocol = "https"` or an AWS Chatbot channel configuration naming the topic. A topic only SQS or email read, or
one of another module, keeps nothing."""

from __future__ import annotations

from tests.extractors.scan_support import contracts as _contracts, write

_POLICY = '''{
  "http": {
    "defaultHealthyRetryPolicy": {
      "minDelayTarget": 20,
      "numRetries": 3,
      "backoffFunction": "linear"
    }
  }
}'''

TOPICS = f'''\
resource "aws_sns_topic" "alerts" {{
  name            = "alerts"
  delivery_policy = <<JSON
{_POLICY}
JSON
}}

resource "aws_sns_topic" "webhooks" {{
  name            = "webhooks"
  delivery_policy = <<JSON
{_POLICY}
JSON
}}

resource "aws_sns_topic" "queued" {{
  name            = "queued"
  delivery_policy = <<JSON
{_POLICY}
JSON
}}
'''

CHATBOT = '''\
resource "aws_chatbot_slack_channel_configuration" "alerts" {
  configuration_name = "alerts"
  slack_channel_id   = "C123"
  slack_team_id      = "T123"
  sns_topic_arns     = [aws_sns_topic.alerts.arn]
}

resource "aws_sns_topic_subscription" "hook" {
  topic_arn = aws_sns_topic.webhooks.arn
  protocol  = "https"
  endpoint  = "https://hooks.example.com/sns"
}

resource "aws_sns_topic_subscription" "queue" {
  topic_arn = aws_sns_topic.queued.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.q.arn
}
'''


def test_sns_topic_policy_with_https_subscribers_in_other_files(tmp_path) -> None:
    root = write(tmp_path / "infra", {"coordination/notifications.tf": TOPICS, "coordination/chatbot.tf": CHATBOT,
                                      "other/notifications.tf": TOPICS})
    found = {(p.split("infra/", 1)[-1], line, kind, value) for p, line, kind, value in _contracts(root)
             if kind == "retry"}
    assert ("coordination/notifications.tf", 8, "retry", 4) in found    # Chatbot over HTTPS (chatbot.tf)
    assert ("coordination/notifications.tf", 23, "retry", 4) in found   # an https subscription in another file
    assert not any(p == "coordination/notifications.tf" and line == 38 for p, line, *_ in found)  # SQS only
    assert not any(p == "other/notifications.tf" for p, *_ in found)    # no subscriber in its own module
