"""Ingress proxy timeouts set by annotations of Ingresses and Services that Terraform creates
(``kubernetes_ingress_v1``, ``kubernetes_service_v1``: the same annotations as in a manifest)."""

from __future__ import annotations

from typing import Any

from contract_discovery.model import Finding, Pending, Target
from contract_discovery.values import Call, Num, Str, normalise_ms
from extractors.base import detector
from extractors.kubernetes.detectors.ingress_annotations import (_ALB_ATTRIBUTES, _ALB_IDLE, _NGINX_PREFIXES,
                                                                 _NEXT_UPSTREAM, _SERVICE_IDLE, _TIMEOUTS, _TRIES,
                                                                 nginx_time_ms)
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Attribute, Block, literal_string, object_items, to_expr

ID = "terraform.kubernetes_annotations"
RESOURCE_TYPES = ("kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_service_v1", "kubernetes_service")


def _backend(block: Block) -> str | None:
    """The first backend service name of the Ingress's spec (rules, default_backend)."""
    pending = [b for b in block.blocks if b.type == "spec"]
    while pending:
        current = pending.pop(0)
        if current.type == "service" and "name" in current.attributes:
            return literal_string(current.attributes["name"].value)
        if "service_name" in current.attributes:
            return literal_string(current.attributes["service_name"].value)
        pending.extend(current.blocks)
    return None


def _timeout(tf: TerraformFile, block: Block, key: str, item: Attribute, phase: str,
             target: Target | None) -> Finding:
    expr = to_expr(item.value)
    attrs: dict[str, Any] = {"phase": phase, "setting": key, "resource": block.address, "expression": item.text}
    text = expr.value if isinstance(expr, Str) else (str(int(expr.value)) if isinstance(expr, Num) else None)
    if text is not None:
        ms = nginx_time_ms(text)
        attrs.update(timeout_ms=normalise_ms(ms), resolved_from="literal" if ms is not None else "unresolved")
        return tf.finding("timeout", item.node, ID, attrs, target=target, confidence="high" if ms else "low")
    attrs.update(timeout_ms=None, resolved_from="unresolved")
    # a variable holding seconds (`"${var.read_timeout}"` or `var.read_timeout`)
    return tf.finding("timeout", item.node, ID, attrs, target=target, confidence="medium",
                      pending=(Pending("timeout_ms", Call("float", (expr,)), 1000.0),))


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "kubernetes_config_map_v1" "c" {\n  metadata {\n    annotations = {\n'
                 '      "nginx.ingress.kubernetes.io/proxy-read-timeout" = "60"\n    }\n  }\n}'],
          invalid=['resource "kubernetes_ingress_v1" "web" {\n  metadata {\n    annotations = {\n'
                   '      "nginx.ingress.kubernetes.io/proxy-read-timeout" = "120"\n    }\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Ingress proxy timeouts set by annotations of Ingresses and Services Terraform creates.

    What it does: a ``kubernetes_ingress_v1`` whose ``metadata { annotations = {...} }`` sets
    ``nginx.ingress.kubernetes.io/proxy-read-timeout`` / ``proxy-send-timeout`` /
    ``proxy-connect-timeout`` (and the ``nginx.org/`` names) reports them as in a manifest (``phase:
    read`` / ``write`` / ``connect``, seconds or nginx time), ``proxy-next-upstream-tries`` as a
    ``retry``, the AWS load balancer controller's ``idle_timeout.timeout_seconds`` as ``phase: idle``;
    a ``kubernetes_service_v1``'s ``service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout``
    is ``phase: idle``. A value from a variable (``"${var.read_timeout}"``) resolves like any
    Terraform value. The target is the first backend service the Ingress's ``spec`` names.

    Why it matters: the ingress proxy cuts a slow backend at its read timeout whatever the
    service's own limits.
    """
    if block.type != "resource":
        return []
    service = block.resource_type in ("kubernetes_service_v1", "kubernetes_service")
    backend = None if service else _backend(block)
    target = Target(url=None, service=backend, operation=None) if backend else None
    found: list[Finding] = []
    for metadata in block.nested("metadata"):
        annotations = metadata.attributes.get("annotations")
        pairs = [(k, v) for k, v in object_items(annotations.value if annotations else None) if k]
        values = dict(pairs)
        for key, item in pairs:
            if service:
                if key in _SERVICE_IDLE:
                    found.append(_timeout(tf, block, key, item, "idle", None))
                continue
            prefix = next((p for p in _NGINX_PREFIXES if key.startswith(p)), None)
            name = key[len(prefix):] if prefix else None
            if name in _TIMEOUTS:
                found.append(_timeout(tf, block, key, item, _TIMEOUTS[name], target))
            elif name == _TRIES:
                off = values.get(prefix + _NEXT_UPSTREAM)
                if off is not None and literal_string(off.value) == "off":
                    continue
                expr = to_expr(item.value)
                text = expr.value if isinstance(expr, Str) else (str(int(expr.value)) if isinstance(expr, Num) else "")
                tries = int(text) if text.strip().isdigit() else None
                found.append(tf.finding("retry", item.node, ID, {
                    "max_attempts": tries or None, "backoff": "none", "retry_on": "error timeout",
                    "mechanism": "client_config", "library": "nginx_ingress", "setting": key,
                    "resource": block.address, "expression": item.text}, target=target,
                    confidence="high" if tries is not None else "low"))
            elif key == _ALB_ATTRIBUTES:
                match = _ALB_IDLE.search(literal_string(item.value) or "")
                if match:
                    found.append(tf.finding("timeout", item.node, ID, {
                        "timeout_ms": int(match.group(1)) * 1000, "phase": "idle", "resolved_from": "literal",
                        "setting": key, "resource": block.address, "expression": item.text}, target=target))
    return found
