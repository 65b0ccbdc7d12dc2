"""Round 12 (cloudformation): a queue named for a dead-letter role that nothing of the template
consumes carries no default visibility timeout (nobody's contract), as a RedrivePolicy target's."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

TEMPLATE = '''\
AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Resources:
  BookingsDLQ:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600

  OrdersDeadLetterQueue:
    Type: AWS::SQS::Queue

  Orders:
    Type: AWS::SQS::Queue

  PaymentsDLQ:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 45

  Redrive:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Timeout: 10
      Events:
        Failed:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersDeadLetterQueue.Arn
'''


def test_dead_letter_named_queue_without_consumer_has_no_default_visibility(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    found = {(f.line, f.attributes.get("timeout_ms")) for f in scan(tmp_path).findings
             if f.kind == "timeout" and f.detector == "cloudformation.sqs_queue"}
    assert (4, 30000) not in found      # BookingsDLQ: nothing consumes it
    assert (9, 30000) in found          # a DLQ a function consumes: its default holds
    assert (12, 30000) in found         # an ordinary queue: its default holds, as before
    assert (18, 45000) in found         # a written visibility timeout is always reported
