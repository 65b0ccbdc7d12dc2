"""Azure settings that are contracts between services: Service Bus queues and subscriptions,
Event Grid subscriptions, Application Gateway backend settings."""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.durations import duration_finding, iso_ms
from extractors.terraform.detectors.gcp import count_finding
from extractors.terraform.hcl import Block

ID = "terraform.azure"
RESOURCE_TYPES = (
    "azurerm_servicebus_queue", "azurerm_servicebus_subscription", "azurerm_eventgrid_event_subscription",
    "azurerm_eventgrid_system_topic_event_subscription", "azurerm_application_gateway",
    "azurerm_api_management_api_policy", "azurerm_api_management_api_operation_policy",
    "azurerm_api_management_policy", "azurerm_api_management_product_policy",
)
DEFAULT_LOCK_MS = 60000


def _service_bus(block: Block, tf: TerraformFile) -> list[Finding]:
    extra = {"resource": block.address}
    found = []
    lock = duration_finding(tf, block, "lock_duration", iso_ms, phase="visibility", detector=ID,
                            default_ms=DEFAULT_LOCK_MS, extra=extra)
    if lock is not None:
        found.append(lock)
    retry = count_finding(tf, block, "max_delivery_count", detector=ID, library="azure_service_bus", add=0,
                          extra={**extra, "backoff": "immediate", "retry_on": "lock_expired_or_abandoned"})
    if retry is not None:
        found.append(retry)
    return found


def _event_grid(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    for policy in block.nested("retry_policy"):
        retry = count_finding(tf, policy, "max_delivery_attempts", detector=ID, library="azure_event_grid", add=0,
                              extra={"resource": block.address, "backoff": "exponential"})
        if retry is not None:
            found.append(retry)
    return found


def _application_gateway(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    for settings in block.nested("backend_http_settings"):
        name = settings.attributes.get("name")
        timeout = timeout_finding(tf, settings, "request_timeout", scale=1000.0, phase="total", detector=ID,
                                  default_ms=None, extra={"resource": block.address,
                                                          "backend_settings": name.text.strip('"') if name else None})
        if timeout is not None:
            found.append(timeout)
    return found


# `<forward-request timeout="20" ...>` (seconds) and `<retry ... count="3" ...>` (retries) in a policy's XML.
# (attribute values may hold `>`: `condition="@(context.Response.StatusCode >= 500)"`)
_ATTRS = r'(?:[^>"\\]|\\?"[^"\\]*\\?")*?'
# (round 16) and `<send-request timeout="20" ...>`: the policy's own call to another service (a token lease)
_FORWARD_TIMEOUT = re.compile(r'<(?:forward|send)-request\b' + _ATTRS + r'\btimeout\s*=\s*\\?"(\d+)\\?"')
_RETRY_COUNT = re.compile(r'<retry\b' + _ATTRS + r'\bcount\s*=\s*\\?"(\d+)\\?"')
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _api_policy(block: Block, tf: TerraformFile) -> list[Finding]:
    attr = block.attributes.get("xml_content")
    if attr is None:
        return []
    text = _XML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), attr.text)  # keep offsets and lines
    first_line = attr.value.start_point[0] + 1
    found = []
    for pattern, kind in ((_FORWARD_TIMEOUT, "timeout"), (_RETRY_COUNT, "retry")):
        for match in pattern.finditer(text):
            value = int(match.group(1))
            line = first_line + text.count("\n", 0, match.start())
            if kind == "timeout":
                attrs = {"timeout_ms": normalise_ms(value * 1000.0), "phase": "total", "resolved_from": "literal"}
            else:
                tag = re.match(r"<retry\b" + _ATTRS + ">", text[match.start():])
                tag_text = tag.group(0) if tag else match.group(0)
                backoff = "exponential" if "max-interval=" in tag_text else "linear" if "delta=" in tag_text else "fixed"
                attrs = {"max_attempts": value + 1, "backoff": backoff,
                         "retry_on": "condition", "mechanism": "client_config", "library": "azure_api_management"}
            attrs.update(resource=block.address, setting=match.group(0).split()[0].lstrip("<"),
                         expression=match.group(0))
            finding = tf.finding(kind, attr.node, ID, attrs)
            found.append(replace(finding, line=line, end_line=line, evidence=match.group(0)[:200]))
    return found


# round 13: another organisation's Service Bus queue / subscription module
# (`git@github.com:hmcts/terraform-module-servicebus-queue?ref=4.x`,
# `fadallar/service-bus-subscription/azurerm`, `.../terraform-azurerm-servicebus-queue.git`): its
# `lock_duration` / `max_delivery_count` inputs when written (its own defaults are unknown here)
_SERVICE_BUS_MODULE = re.compile(r"service[-_]?bus(?:[-_](?:queues?|subscriptions?|topic[-_]subscriptions?))$"
                                 r"|^(?:queues?|subscriptions?)$")
_SERVICE_BUS_ARCHIVE = re.compile(r"\.(?:zip|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$", re.I)


def other_service_bus_module(source: str, local: bool = False) -> bool:
    """A module whose name says it makes a Service Bus queue or subscription: another
    organisation's, or (``local``) a local path the scanned tree does not hold (a git submodule).
    A bare `queue` / `subscription` name counts only under a path naming Service Bus
    (`.../servicebus//modules/queue`)."""
    if source.startswith(("./", "../")) and not local:
        return False  # a local module: its own azurerm_servicebus_* is read where it is declared
    path = source.split("?", 1)[0].rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    path = _SERVICE_BUS_ARCHIVE.sub("", path)
    path = path.split("://", 1)[-1]
    repo, _, sub = path.partition("//")
    parts = [p for p in re.split(r"[/:]", repo) if p]
    if parts and parts[-1] in ("azurerm", "azure") and len(parts) >= 3:
        parts = parts[:-1]  # registry form `org/name/provider`
    name = re.sub(r"^terraform-(?:module-|azurerm-|azure-)?", "", parts[-1].lower()) if parts else ""
    if sub:
        last = sub.rstrip("/").split("/")[-1].lower()
        named = re.search(r"service[-_]?bus", repo.lower() + "/" + sub.lower()) is not None
        return bool(_SERVICE_BUS_MODULE.search(last)) and (named or "bus" in last)
    return bool(_SERVICE_BUS_MODULE.search(name)) and "bus" in name


def detect_other_module(block: Block, tf: TerraformFile) -> list[Finding]:
    """Another organisation's Service Bus queue / subscription module: its written `lock_duration`
    (ISO 8601, `phase: visibility`) and `max_delivery_count` (deliveries in all)."""
    extra = {"resource": block.address}
    found = []
    if "lock_duration" in block.attributes:
        lock = duration_finding(tf, block, "lock_duration", iso_ms, phase="visibility", detector=ID,
                                default_ms=None, extra=extra)
        if lock is not None:
            found.append(lock)
    retry = count_finding(tf, block, "max_delivery_count", detector=ID, library="azure_service_bus", add=0,
                          extra={**extra, "backoff": "immediate", "retry_on": "lock_expired_or_abandoned"})
    if retry is not None:
        found.append(retry)
    return found


_BY_TYPE = {
    "azurerm_servicebus_queue": _service_bus,
    "azurerm_servicebus_subscription": _service_bus,
    "azurerm_eventgrid_event_subscription": _event_grid,
    "azurerm_eventgrid_system_topic_event_subscription": _event_grid,
    "azurerm_application_gateway": _application_gateway,
    "azurerm_api_management_api_policy": _api_policy,
    "azurerm_api_management_api_operation_policy": _api_policy,
    "azurerm_api_management_policy": _api_policy,
    "azurerm_api_management_product_policy": _api_policy,
}


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "azurerm_servicebus_namespace" "n" {\n  name = "lock_duration"\n'
                 '  # max_delivery_count = 5\n}'],
          invalid=['resource "azurerm_servicebus_queue" "q" {\n  lock_duration      = "PT5M"\n'
                   '  max_delivery_count = 5\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Azure timeouts and redelivery (Service Bus, Event Grid, Application Gateway).

    What it does:

    - ``azurerm_servicebus_queue`` / ``azurerm_servicebus_subscription``: ``lock_duration`` (ISO
      8601, ``"PT5M"``) is a timeout with ``phase: visibility`` (how long a received message stays
      locked to its consumer; 1 minute default when absent); ``max_delivery_count = n`` is a
      ``retry`` with ``max_attempts = n`` (``library: azure_service_bus``; written values only).
    - ``azurerm_eventgrid_event_subscription`` ``retry_policy { max_delivery_attempts = n }``: a
      ``retry`` with ``max_attempts = n`` (``library: azure_event_grid``).
    - ``azurerm_application_gateway`` ``backend_http_settings { request_timeout = 30 }``: how long
      the gateway waits for the backend (``phase: total``, written values only).
    - API Management policies (``azurerm_api_management_*policy`` ``xml_content`` written in place):
      ``<forward-request timeout="20">`` (seconds, ``phase: total``; 300 s default not reported) and
      ``<retry count="3">`` (retries: ``max_attempts = count + 1``), at their line; XML comments and
      policies read from files (``file(...)``, ``xml_link``) are not read.

    Why it matters: a consumer still working when its lock expires sees the message delivered again,
    up to the delivery count, before it goes to the dead-letter queue.

    Example: ``lock_duration = "PT5M"`` -> ``timeout timeout_ms=300000 phase=visibility``.
    """
    handler = _BY_TYPE.get(block.resource_type or "")
    return handler(block, tf) if handler and block.type == "resource" else []
