"""Round 11 (infra): serverless-plugin-warmup's warmer Lambda timeout in a Serverless service."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

WARMUP_V5 = '''\
service: api
plugins:
  - serverless-esbuild
  - serverless-plugin-warmup
custom:
  warmup:
    default:
      enabled: ${self:custom.warmupEnabled}
      events:
        - schedule: rate(4 minutes)
      timeout: 20
      concurrency: 5
    quiet:
      enabled: false
  otherPlugin:
    timeout: 99
provider:
  name: aws
  runtime: nodejs20.x
functions:
  hello:
    handler: hello.main
    timeout: 30
'''

WARMUP_V4 = '''\
service: old
plugins:
  modules:
    - serverless-plugin-warmup
custom:
  warmup:
    enabled: true
    timeout: 15
provider:
  name: aws
functions:
  hello:
    handler: hello.main
    timeout: 10
'''

NO_PLUGIN = '''\
service: other
plugins:
  - serverless-offline
custom:
  warmup:
    default:
      timeout: 20
provider:
  name: aws
functions:
  hello:
    handler: hello.main
    timeout: 10
'''


def _timeouts(root: Path) -> set[tuple]:
    return {(f.path, f.line, f.attributes["timeout_ms"]) for f in scan(root).findings if f.kind == "timeout"}


def test_warmer_timeouts(tmp_path: Path) -> None:
    for name, text in (("a", WARMUP_V5), ("b", WARMUP_V4), ("c", NO_PLUGIN)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "serverless.yml").write_text(text)
    assert _timeouts(tmp_path) == {
        ("a/serverless.yml", 11, 20000), ("a/serverless.yml", 23, 30000),
        ("b/serverless.yml", 8, 15000), ("b/serverless.yml", 14, 10000),
        ("c/serverless.yml", 13, 10000),  # no warmup plugin: custom.warmup is not read
    }


SAM_ENV = '''\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 30
    Environment:
      Variables:
        AWS_MAX_ATTEMPTS: "4"
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.main
  B:
    Type: AWS::Serverless::Function
    Properties:
      Handler: b.main
      Environment:
        Variables:
          AWS_MAX_ATTEMPTS: 6
          AWS_RETRY_MODE: standard
  C:
    Type: AWS::Lambda::Function
    Properties:
      Handler: c.main
      Environment:
        Variables:
          MAX_ATTEMPTS: 9
          NOTE: "AWS_MAX_ATTEMPTS: 7"
'''

SLS_ENV = '''\
service: s
provider:
  name: aws
  timeout: 20
  environment:
    AWS_MAX_ATTEMPTS: "3"
functions:
  a:
    handler: a.main
  b:
    handler: b.main
'''


def test_aws_sdk_max_attempts_in_function_environments(tmp_path: Path) -> None:
    (tmp_path / "sam").mkdir()
    (tmp_path / "sam" / "template.yaml").write_text(SAM_ENV)
    (tmp_path / "sls").mkdir()
    (tmp_path / "sls" / "serverless.yml").write_text(SLS_ENV)
    retries = {(f.path, f.line, f.attributes["max_attempts"]) for f in scan(tmp_path).findings if f.kind == "retry"}
    # total attempts, the first try included; a Globals / provider mapping once; MAX_ATTEMPTS is the code's own
    assert retries == {("sam/template.yaml", 8, 4), ("sam/template.yaml", 20, 6), ("sls/serverless.yml", 6, 3)}
