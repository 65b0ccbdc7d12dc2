"""(round 22) A local Terraform module kept outside every service (`infra/modules/function`) and called by
services' own Terraform: the calls carry its settings (rule c at the argument, rule b at the `module` line),
the module folder makes no root service of its own, and its default is not reported where nobody uses it."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

MODULE_MAIN = """resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::1:role/x"
  runtime       = "python3.12"
  handler       = "handler.handler"
  timeout       = var.timeout
}
"""
MODULE_VARS = """variable "name" {
  type = string
}

variable "timeout" {
  type    = number
  default = 15
}
"""


def _tree(tmp_path: Path, calls: dict[str, str]) -> Path:
    (tmp_path / "infra/modules/function").mkdir(parents=True)
    (tmp_path / "infra/modules/function/main.tf").write_text(MODULE_MAIN)
    (tmp_path / "infra/modules/function/variables.tf").write_text(MODULE_VARS)
    for name, body in calls.items():
        (tmp_path / f"functions/{name}/src").mkdir(parents=True)
        (tmp_path / f"functions/{name}/src/requirements.txt").write_text("requests==2.32.3\n")
        (tmp_path / f"functions/{name}/src/handler.py").write_text("def handler(event, context):\n    return 1\n")
        (tmp_path / f"functions/{name}/infra").mkdir()
        (tmp_path / f"functions/{name}/infra/main.tf").write_text(body)
    return tmp_path


def _timeouts(result):
    return sorted((f.service, f.path, f.line, f.attributes.get("timeout_ms"))
                  for f in result.findings if f.kind == "timeout")


def test_module_outside_services_reported_at_each_call(tmp_path):
    root = _tree(tmp_path, {
        "receipts": 'module "receipts" {\n  source  = "../../../infra/modules/function"\n  name    = "receipts"\n'
                    '  timeout = 40\n}\n',
        "refunds": 'module "refunds" {\n  source = "../../../infra/modules/function"\n  name   = "refunds"\n}\n',
    })
    result = scan(root)
    assert sorted(s.name for s in result.services) == ["receipts", "refunds"]
    assert _timeouts(result) == [
        ("receipts", "functions/receipts/infra/main.tf", 4, 40000),   # (c) the value the call passes
        ("refunds", "functions/refunds/infra/main.tf", 1, 15000),     # (b) the default, at the module line
    ]


def test_module_nobody_calls_stays_a_root_service(tmp_path):
    root = _tree(tmp_path, {"receipts": 'resource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = 60\n}\n'})
    result = scan(root)
    assert tmp_path.name in [s.name for s in result.services]
    assert (tmp_path.name, "infra/modules/function/main.tf", 6, 15000) in _timeouts(result)
