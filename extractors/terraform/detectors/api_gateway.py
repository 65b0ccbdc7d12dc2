"""API Gateway integration timeout (``timeout_milliseconds`` of ``aws_api_gateway_integration``"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contract_discovery.model import Finding, Target
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile, through_alias, timeout_finding
from extractors.terraform.hcl import Attribute, Block, literal_string, object_items, references

ID = "terraform.api_gateway"
RESOURCE_TYPES = ("aws_api_gateway_integration", "aws_apigatewayv2_integration", "aws_api_gateway_rest_api")
MODULE_SOURCES = ("terraform-aws-modules/apigateway-v2", "terraform-aws-modules/terraform-aws-apigateway-v2")
REST_DEFAULT_MS = 29000
HTTP_API_DEFAULT_MS = 30000
WEBSOCKET_DEFAULT_MS = 29000

_INVOKED = ("aws_lambda_function.", "aws_lambda_alias.", "module.", "data.aws_lambda_function.")


@detector(ID, "terraform", ["timeout"],
          valid=['resource "aws_api_gateway_rest_api" "api" {\n  description = "timeout = 5"\n}'],
          invalid=['resource "aws_api_gateway_integration" "i" {\n  timeout_milliseconds = 5000\n}',
                   'module "api" {\n  source = "terraform-aws-modules/apigateway-v2/aws"\n  routes = {\n'
                   '    "POST /x" = {\n      integration = { uri = module.fn.lambda_function_arn, '
                   'timeout_milliseconds = 12000 }\n    }\n  }\n}'])
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

    The ``terraform-aws-modules/apigateway-v2/aws`` module is read too: each route of its
    ``routes`` input (v5: ``routes = { "POST /x" = { integration = { uri, timeout_milliseconds } } }``)
    and each entry of its older ``integrations`` input (``lambda_arn`` / ``integration_uri``,
    ``timeout_milliseconds``) is one integration, reported with ``resource``
    ``module.api.routes["POST /x"]``, ``route`` and the ``integration_target`` its URI invokes.

    A REST API defined by an OpenAPI ``body = jsonencode({...})`` is read too: each
    ``x-amazon-apigateway-integration`` object is an integration (``timeoutInMillis``, else 29 000 ms),
    with ``route`` "POST /orders" from the path and method it sits under.

    """
    if block.type == "module":
        return _module_routes(block, tf)
    if block.resource_type == "aws_api_gateway_rest_api":
        return _openapi_integrations(block, tf)
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
    if (extra["integration_type"] or "").upper() == "MOCK":
        return []  # API Gateway answers a MOCK integration itself: no backend, no wait
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


@dataclass
class _Integration(Block):
    """One route integration of the apigateway-v2 module, seen as a block of its own."""

    resource: str = ""

    @property
    def address(self) -> str:
        return self.resource


def _module_routes(block: Block, tf: TerraformFile) -> list[Finding]:
    """Route integrations declared through the ``terraform-aws-modules/apigateway-v2/aws`` inputs."""
    protocol = block.attributes.get("protocol_type")
    websocket = protocol is not None and (literal_string(protocol.value) or "").upper() == "WEBSOCKET"
    default = WEBSOCKET_DEFAULT_MS if websocket else HTTP_API_DEFAULT_MS
    found: list[Finding] = []
    for input_name in ("routes", "integrations"):
        routes = block.attributes.get(input_name)
        if routes is None:
            continue
        for route, entry in object_items(routes.value):
            fields = dict(object_items(entry.value))
            if input_name == "routes":
                nested = fields.get("integration")
                if nested is None:
                    continue  # a route with no integration of its own (e.g. one shared by key)
                fields = dict(object_items(nested.value))
                uri_keys = ("uri", "lambda_arn")
            else:
                uri_keys = ("lambda_arn", "integration_uri", "uri")
            if not fields:
                continue
            uri_attr = next((fields[k] for k in uri_keys if k in fields), None)
            found.extend(_route_integration(block, tf, input_name, route, entry, fields, uri_attr, default))
    return found


def _route_integration(block: Block, tf: TerraformFile, input_name: str, route: str | None, entry: Attribute,
                       fields: dict[str | None, Attribute], uri_attr: Attribute | None, default: int) -> list[Finding]:
    invoked = through_alias(tf, next((r for r in references(uri_attr.value if uri_attr else None)
                                      if r.startswith(_INVOKED)), None))
    type_attr = fields.get("integration_type") or fields.get("type")
    integration_type = literal_string(type_attr.value) if type_attr else None
    if integration_type is None and (input_name == "routes" or "lambda_arn" in fields):
        integration_type = "AWS_PROXY"  # the module's default for a route integration / a lambda_arn
    resource = f'{block.address}.{input_name}["{route}"]' if route is not None else f"{block.address}.{input_name}"
    view = _Integration(type="module", labels=block.labels, node=entry.node,
                        attributes={k: v for k, v in fields.items() if k is not None}, resource=resource)
    extra = {"api": "apigatewayv2", "integration_type": integration_type, "integration_target": invoked,
             "route": route}
    found = timeout_finding(tf, view, "timeout_milliseconds", scale=1.0, phase="total", detector=ID,
                            default_ms=default, extra=extra)
    if found is None:
        return []
    uri = literal_string(uri_attr.value) if uri_attr else None
    if uri and uri.startswith(("http://", "https://")):
        found = replace(found, target=Target(url=uri))
    return [found]


_OPENAPI_INTEGRATION = "x-amazon-apigateway-integration"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method"}


def _openapi_integrations(block: Block, tf: TerraformFile) -> list[Finding]:
    """Integrations of an OpenAPI document written inline in HCL (`body = jsonencode({...})`)."""
    body = block.attributes.get("body")
    if body is None or _OPENAPI_INTEGRATION not in body.text:
        return []
    found: list[Finding] = []
    for node in ts.walk(body.value):
        if node.type != "object_elem" or node.has_error:
            continue
        key = node.child_by_field_name("key")
        if key is None or literal_string(key) != _OPENAPI_INTEGRATION:
            continue
        fields = {k: v for k, v in object_items(node.child_by_field_name("val")) if k is not None}
        route = _openapi_route(node)
        type_attr = fields.get("type")
        uri_attr = fields.get("uri")
        invoked = through_alias(tf, next((r for r in references(uri_attr.value if uri_attr else None)
                                          if r.startswith(_INVOKED)), None))
        resource = f'{block.address}.body["{route}"]' if route else f"{block.address}.body"
        view = _Integration(type="resource", labels=block.labels, node=node, attributes=fields, resource=resource)
        extra = {"api": "api_gateway", "integration_type": (literal_string(type_attr.value) or "").upper() or None
                 if type_attr else None, "integration_target": invoked, "route": route}
        if extra["integration_type"] == "MOCK":
            continue  # answered by API Gateway itself
        finding = timeout_finding(tf, view, "timeoutInMillis", scale=1.0, phase="total", detector=ID,
                                  default_ms=REST_DEFAULT_MS, extra=extra)
        if finding is not None:
            found.append(finding)
    return found


def _openapi_route(node) -> str | None:
    """"POST /orders" from the enclosing `paths = { "/orders" = { post = { ... } } }` keys."""
    keys: list[str] = []
    parent = node.parent
    while parent is not None:
        if parent.type == "object_elem":
            key = parent.child_by_field_name("key")
            name = literal_string(key) if key is not None else None
            if name is None and key is not None:
                name = ts.text(key).strip()
            keys.append(name or "")
        parent = parent.parent
    method = next((k for k in keys if k.lower() in _HTTP_METHODS), None)
    path = next((k for k in keys if k.startswith("/")), None)
    if method is None and path is None:
        return None
    method = "ANY" if method and method.lower() == "x-amazon-apigateway-any-method" else (method or "").upper()
    return f"{method} {path or ''}".strip()
