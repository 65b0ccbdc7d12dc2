"""Route integrations declared through the terraform-aws-modules/apigateway-v2 module's inputs
(`routes` in v5, `integrations` before) and their join with a Lambda module in the infra check."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.checks.infra import infra_checks
from extractors.terraform.extractor import EXTRACTOR

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "fixtures" / "terraform" / "apigw_module" / "main.tf"


def _integrations(source: bytes, path: str = "infra/main.tf"):
    result = EXTRACTOR.extract(path, source)
    assert result.errors == ()
    return {(f.line, f.attributes["resource"], f.attributes["route"], f.attributes["timeout_ms"],
             f.attributes["resolved_from"]) for f in result.findings if f.detector == "terraform.api_gateway"}


def test_module_routes_and_legacy_integrations_are_read():
    assert _integrations(FIXTURE.read_bytes(), FIXTURE.relative_to(ROOT).as_posix()) == {
        (23, 'module.http_api.routes["POST /orders"]', "POST /orders", 10000, "literal"),
        (27, 'module.http_api.routes["GET /orders/{id}"]', "GET /orders/{id}", 30000, "library_default"),
        (38, 'module.http_api.routes["GET /health"]', "GET /health", None, "unresolved"),
        (58, 'module.legacy_api.integrations["POST /refunds"]', "POST /refunds", 8000, "literal"),
    }


def test_websocket_module_default_is_29s():
    source = b'''module "ws" {
  source        = "terraform-aws-modules/apigateway-v2/aws"
  protocol_type = "WEBSOCKET"
  routes = {
    "$connect" = {
      integration = { uri = module.fn.lambda_function_arn }
    }
  }
}
'''
    assert _integrations(source) == {(5, 'module.ws.routes["$connect"]', "$connect", 29000, "library_default")}


def test_other_modules_and_strings_are_not_read():
    source = b'''module "router" {
  source = "./modules/router"
  routes = { "POST /x" = { integration = { timeout_milliseconds = 5000 } } }
}
module "api" {
  source      = "terraform-aws-modules/apigateway-v2/aws"
  description = "timeout_milliseconds = 100"
  routes      = var.routes
}
'''
    assert _integrations(source) == set()


def test_infra_check_joins_route_integration_to_lambda_module():
    result = EXTRACTOR.extract("infra/main.tf", FIXTURE.read_bytes())
    summary = sorted((r.rule, r.status, [loc.line for loc in r.locations]) for r in infra_checks(list(result.findings)))
    # the 25 s function behind the 10 s and 8 s integrations; not behind the 30 s default one
    assert summary == [("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", [23, 9]),
                       ("infra-lambda-apigw-timeout", "BLOCKS_INTEGRATION", [58, 9])]
