"""Round 14 (infra), Terraform: timeouts written in a connection string a resource hands to a
service (an App Service's app_settings, a Function App's, a local's Redis string)."""

from __future__ import annotations

from pathlib import Path

from tests.extractors.scan_support import contracts_with_phase as _contracts


APP = '''\
resource "azurerm_windows_function_app" "fa" {
  name = "fa"
  # "Server=db;Database=x;Connect Timeout=99"
  app_settings = {
    DB   = "Server=tcp:${data.azurerm_mssql_server.s.fqdn},1433;Initial Catalog=${var.db};Connection Timeout=30;"
    NOTE = "Timeout=30;retry later"
    CMD  = "Data Source=db;Initial Catalog=x;Command Timeout=120"
    ZERO = "Server=db;Database=x;Connect Timeout=0"
    retry_count = 5
  }
  description = "set Connection Timeout=30 in the string"
}

locals {
  redis = "cache.example:6380,ssl=true,connectTimeout=5000,connectRetry=3"
}

variable "conn" {
  default = "Server=db;Database=x;Connect Timeout=15"
}
'''


def test_connection_strings_in_app_settings_and_locals(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(APP)
    found = _contracts(tmp_path)
    assert ("main.tf", 5, "timeout", 30000, "connect") in found  # interpolated host and catalog
    assert ("main.tf", 7, "timeout", 120000, "total") in found  # Command Timeout
    assert ("main.tf", 15, "timeout", 5000, "connect") in found  # Redis connectTimeout (ms)
    assert ("main.tf", 15, "retry", 3, None) in found  # Redis connectRetry
    lines = {(line, kind) for _, line, kind, _, _ in found}
    assert (3, "timeout") not in lines  # a comment
    assert (6, "timeout") not in lines  # "Timeout=30" without a server or database: no connection string
    assert (8, "timeout") not in lines  # Connect Timeout=0: wait forever
    assert (9, "retry") not in lines  # a retry_count key: not a connection string
    assert (11, "timeout") not in lines  # prose in a description
    assert (19, "timeout") not in lines  # a variable's default: not a resource's string (read where used)


def test_connection_string_in_ecs_environment_json(tmp_path: Path) -> None:
    (tmp_path / "ecs.tf").write_text('''\
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  timeout       = 10
  environment {
    variables = {
      MONGO = "mongodb://db:27017/shop?connectTimeoutMS=3000&socketTimeoutMS=9000"
      NAME  = "orders"
    }
  }
}
''')
    found = _contracts(tmp_path)
    assert ("ecs.tf", 6, "timeout", 3000, "connect") in found
    assert ("ecs.tf", 6, "timeout", 9000, "read") in found
    assert ("ecs.tf", 3, "timeout", 10000, "function") in found
