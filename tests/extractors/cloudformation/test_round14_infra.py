"""Round 14 (infra), Step Functions: a retry loop built of states, a Choice comparing a retry
counter with a bound before going back to run the work again."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

TEMPLATE = '''\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ingest:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: Run
        States:
          Run:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Next: Check
          Check:
            Type: Choice
            Choices:
              - Variable: $.retryCount
                NumericLessThan: 2
                Next: Increment
              - Variable: $.itemCount
                NumericLessThan: 100
                Next: Run
            Default: Fail
          Poll:
            Type: Choice
            Choices:
              - Variable: $.attempts
                NumericLessThanEquals: 4
                Next: Run
            Default: Fail
          Increment:
            Type: Pass
            Next: Run
          Fail:
            Type: Fail
'''


def test_choice_retry_counter_loops(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    retries = {(f.line, f.attributes["max_attempts"]) for f in scan(tmp_path).findings if f.kind == "retry"}
    assert (17, 3) in retries  # retryCount < 2: the first run and two more
    assert (27, 6) in retries  # attempts <= 4: the first run and five more (bound + 2)
    assert not any(line == 20 for line, _ in retries)  # an item count: no retry counter


def test_json_definition(tmp_path: Path) -> None:
    (tmp_path / "sfn.json").write_text('''{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B"},
    "B": {
      "Type": "Choice",
      "Choices": [
        {
          "Variable": "$$.Execution.Input.retryCount",
          "NumericLessThan": 2,
          "Next": "A"
        }
      ],
      "Default": "C"
    },
    "C": {"Type": "Succeed"}
  }
}
''')
    retries = {(f.line, f.attributes["max_attempts"]) for f in scan(tmp_path).findings if f.kind == "retry"}
    assert retries == {(10, 3)}
