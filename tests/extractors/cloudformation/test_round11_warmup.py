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
