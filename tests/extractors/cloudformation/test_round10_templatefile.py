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
    # round 12: the `${retries}` placeholder is the value the templatefile() call hands the file
    # (2 retries: 3 attempts); the other file, which no call renders, has no value for it
    assert found == {
        ("files/sfn.json.tpl", 8, "timeout", 60000, None), ("files/sfn.json.tpl", 10, "retry", None, 4),
        ("files/sfn.json.tpl", 11, "retry", None, 3),
        ("files/other.asl.json.tftpl", 8, "timeout", 60000, None),
        ("files/other.asl.json.tftpl", 10, "retry", None, 4),
        ("files/other.asl.json.tftpl", 11, "retry", None, None),
    }


def test_other_template_files_give_nothing() -> None:
    assert EXTRACTOR.claims("templates/user_data.tftpl")
    cloud_init = b"#cloud-config\nruncmd:\n  - echo 'timeout: 30'\nResources: {}\nAWS::Lambda::Function\n"
    assert EXTRACTOR.extract("templates/user_data.tftpl", cloud_init).findings == ()
    assert not EXTRACTOR.claims("templates/_helpers.tpl")


SPEC = '''\
openapi: 3.0.1
paths:
  /status:
    get:
      x-amazon-apigateway-integration:
        httpMethod: POST
        type: aws_proxy
        uri:
          Fn::Sub: arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
'''

TEMPLATE = '''\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionBody:
        openapi: 3.0.3
        paths:
          /:
            get:
              x-amazon-apigateway-integration:
                httpMethod: POST
                type: aws_proxy
                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'
  Other:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: ../specs/api.yaml
'''


def _found(root: Path) -> set[tuple]:
    return {(f.path, f.line, f.kind, f.attributes.get("timeout_ms")) for f in scan(root).findings}


def test_openapi_documents_in_a_specs_folder_and_inline_bodies_are_read(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "specs").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "specs" / "api.yaml").write_text(SPEC)
    assert _found(tmp_path) == {
        ("infra/template.yaml", 7, "timeout", 10000),
        ("infra/template.yaml", 17, "timeout", 29000),  # the inline body's Lambda-proxy integration
        ("specs/api.yaml", 5, "timeout", 29000),         # the included document's
    }


def test_a_specs_folder_of_tests_stays_out(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "api.yaml").write_text(SPEC)
    (tmp_path / "specs" / "api.spec.ts").write_text("it('works', () => {})\n")
    (tmp_path / "spec" / "fixtures").mkdir(parents=True)
    (tmp_path / "spec" / "openapi.yaml").write_text(SPEC)
    assert _found(tmp_path) == set()


def test_an_inline_body_route_an_sam_event_declares_is_the_events(tmp_path: Path) -> None:
    template = TEMPLATE.replace("      Timeout: 10\n", "      Timeout: 10\n      Events:\n        Get:\n"
                                "          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n"
                                "            Path: /\n            Method: get\n")
    (tmp_path / "template.yaml").write_text(template)
    assert _found(tmp_path) == {("template.yaml", 7, "timeout", 10000), ("template.yaml", 9, "timeout", 29000)}
