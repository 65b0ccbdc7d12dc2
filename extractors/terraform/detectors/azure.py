"""Azure settings that are contracts between services: Service Bus queues and subscriptions,
Event Grid subscriptions, Application Gateway backend settings."""

from __future__ import annotations

from contract_discovery.model import Finding
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.durations import duration_finding, iso_ms
from extractors.terraform.detectors.gcp import count_finding
from extractors.terraform.hcl import Block

ID = "terraform.azure"
RESOURCE_TYPES = (
    "azurerm_servicebus_queue", "azurerm_servicebus_subscription", "azurerm_eventgrid_event_subscription",
    "azurerm_eventgrid_system_topic_event_subscription", "azurerm_application_gateway",
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


_BY_TYPE = {
    "azurerm_servicebus_queue": _service_bus,
    "azurerm_servicebus_subscription": _service_bus,
    "azurerm_eventgrid_event_subscription": _event_grid,
    "azurerm_eventgrid_system_topic_event_subscription": _event_grid,
    "azurerm_application_gateway": _application_gateway,
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

    Why it matters: a consumer still working when its lock expires sees the message delivered again,
    up to the delivery count, before it goes to the dead-letter queue.

    Example: ``lock_duration = "PT5M"`` -> ``timeout timeout_ms=300000 phase=visibility``.
    """
    handler = _BY_TYPE.get(block.resource_type or "")
    return handler(block, tf) if handler and block.type == "resource" else []
