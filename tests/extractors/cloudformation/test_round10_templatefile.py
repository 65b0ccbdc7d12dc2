"""Round 10 (infra): a Step Functions definition a Terraform templatefile() renders from a
`.json.tpl` / `.tftpl` file is read like an `.asl.json` file; other template files are not."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.cloudformation.extractor import EXTRACTOR

ASL_TPL = '''\
{
  "StartAt": "Invoke",
  "States": {
    "Invoke": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "${function_name}" },
      "TimeoutSeconds": 60,
      "Retry": [
        { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3 },
        { "ErrorEquals": ["States.Timeout"], "MaxAttempts": ${retries} }
      ],
      "End": true
    }
  }
}
'''


def test_templatefile_asl_definitions_are_read(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "sfn.json.tpl").write_text(ASL_TPL)
    (tmp_path / "files" / "other.asl.json.tftpl").write_text(ASL_TPL)
    (tmp_path / "main.tf").write_text(
        'resource "aws_sfn_state_machine" "m" {\n  name = "m"\n'
        '  definition = templatefile("${path.module}/files/sfn.json.tpl", { function_name = "f", retries = 2 })\n}\n')
    found = {(f.path, f.line, f.kind, f.attributes.get("timeout_ms"), f.attributes.get("max_attempts"))
             for f in scan(tmp_path).findings}
    # the `${retries}` placeholder is not a number: not read
    assert found == {
        ("files/sfn.json.tpl", 8, "timeout", 60000, None), ("files/sfn.json.tpl", 10, "retry", None, 4),
        ("files/other.asl.json.tftpl", 8, "timeout", 60000, None),
        ("files/other.asl.json.tftpl", 10, "retry", None, 4),
    }


def test_other_template_files_give_nothing() -> None:
    assert EXTRACTOR.claims("templates/user_data.tftpl")
    cloud_init = b"#cloud-config\nruncmd:\n  - echo 'timeout: 30'\nResources: {}\nAWS::Lambda::Function\n"
    assert EXTRACTOR.extract("templates/user_data.tftpl", cloud_init).findings == ()
    assert not EXTRACTOR.claims("templates/_helpers.tpl")
