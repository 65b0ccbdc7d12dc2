"""Round 17 (cloudformation): a queue the template only grants sending to (no SQS event, no event
source mapping, no statement letting anyone receive) has no reader in the stack: AWS's default
visibility is nobody's contract there; a written 0 on an unused dead-letter queue bounds nothing."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

TEMPLATE = '''\
AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Resources:
  TerminatedJobQueue:
    Type: AWS::SQS::Queue

  PolledQueue:
    Type: AWS::SQS::Queue

  UngrantedQueue:
    Type: AWS::SQS::Queue

  NotificationDLQ:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 0

  SentAndWritten:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60

  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs22.x
      Timeout: 10
      Policies:
        - Statement:
            - Sid: AllowSqsSend
              Effect: Allow
              Action:
                - sqs:SendMessage
              Resource:
                - !GetAtt TerminatedJobQueue.Arn
                - !GetAtt PolledQueue.Arn
                - !GetAtt SentAndWritten.Arn
            - Sid: AllowPoll
              Effect: Allow
              Action: sqs:ReceiveMessage
              Resource: !GetAtt PolledQueue.Arn
'''


def _visibility(tmp_path: Path) -> set[tuple[int, float | None]]:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return {(f.line, f.attributes.get("timeout_ms")) for f in scan(tmp_path).findings
            if f.kind == "timeout" and f.detector == "cloudformation.sqs_queue"}


def test_a_queue_only_sent_to_has_no_default_visibility(tmp_path: Path) -> None:
    found = _visibility(tmp_path)
    assert not any(line == 4 for line, _ in found)      # TerminatedJobQueue: only a send grant
    assert (7, 30000) in found                          # PolledQueue: someone may receive: its default holds
    assert (10, 30000) in found                         # UngrantedQueue: its reader is unknown, as before
    assert (21, 60000) in found                         # a written visibility is always reported (its line)


def test_a_written_zero_on_an_unused_dead_letter_queue_is_no_bound(tmp_path: Path) -> None:
    assert not any(line in (13, 16) for line, _ in _visibility(tmp_path))
