"""API Gateway integration timeout (``timeout_milliseconds`` of ``aws_api_gateway_integration``"""

from __future__ import annotations

from contract_discovery.model import Finding, Target
from extractors.base import detector
from extractors.terraform.context import TerraformFile, through_alias, timeout_finding
from extractors.terraform.hcl import Block, literal_string, references

ID = "terraform.api_gateway"
RESOURCE_TYPES = ("aws_api_gateway_integration", "aws_apigatewayv2_integration")
REST_DEFAULT_MS = 29000
HTTP_API_DEFAULT_MS = 30000
WEBSOCKET_DEFAULT_MS = 29000

_INVOKED = ("aws_lambda_function.", "aws_lambda_alias.", "module.", "data.aws_lambda_function.")


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_api_gateway_rest_api" "api" {\n  description = "timeout = 5"\n}'],
          invalid=['resource "aws_api_gateway_integration" "i" {\n  timeout_milliseconds = 5000\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """API Gateway integration timeout (``timeout_milliseconds`` of ``aws_api_gateway_integration``
    and ``aws_apigatewayv2_integration``).

    What it does: reports how long API Gateway waits for the backend before answering the client
    with a 504, with the documented default when the attribute is absent: 29 000 ms for REST APIs
    (v1) and WebSocket APIs, 30 000 ms for HTTP APIs (v2; WebSocket only when the API is declared
    with ``protocol_type = "WEBSOCKET"`` in the same file). ``integration_target`` names the
    resource the integration invokes (``aws_lambda_function.risk`` from
    ``uri = aws_lambda_function.risk.invoke_arn``) so the checks can join the two.

    Why it matters: a Lambda allowed to run 60 s behind an integration that gives up after 29 s
    keeps working (and billing, and writing) after the client was told it failed.

    """
    v2 = block.resource_type == "aws_apigatewayv2_integration"
    uri_attr = block.attributes.get("integration_uri" if v2 else "uri")
    invoked = through_alias(tf, next((r for r in references(uri_attr.value if uri_attr else None)
                                      if r.startswith(_INVOKED)), None))
    type_attr = block.attributes.get("integration_type" if v2 else "type")
    extra = {
        "api": "apigatewayv2" if v2 else "api_gateway",
        "integration_type": literal_string(type_attr.value) if type_attr else None,
        "integration_target": invoked,
    }
    default = REST_DEFAULT_MS
    if v2:
        default = _websocket_or_http(block, tf)
    target = None
    uri = literal_string(uri_attr.value) if uri_attr else None
    if uri and uri.startswith(("http://", "https://")):
        target = Target(url=uri)
    found = timeout_finding(tf, block, "timeout_milliseconds", scale=1.0, phase="total", detector=ID,
                            default_ms=default, extra=extra)
    if found is None:
        return []
    if target is not None:
        from dataclasses import replace
        found = replace(found, target=target)
    return [found]


def _websocket_or_http(block: Block, tf: TerraformFile) -> int:
    api_attr = block.attributes.get("api_id")
    for ref in references(api_attr.value if api_attr else None):
        api = tf.by_address.get(ref)
        if api is not None and api.resource_type == "aws_apigatewayv2_api":
            protocol = api.attributes.get("protocol_type")
            if protocol is not None and (literal_string(protocol.value) or "").upper() == "WEBSOCKET":
                return WEBSOCKET_DEFAULT_MS
    return HTTP_API_DEFAULT_MS
