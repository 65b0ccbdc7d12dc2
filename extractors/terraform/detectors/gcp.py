"""Google Cloud settings that are contracts between services: Pub/Sub subscriptions, Cloud Run,
Cloud Functions, Cloud Tasks queues, Cloud Scheduler jobs and load balancer backend services."""

from __future__ import annotations

import re

from typing import Any

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Num, Ref, normalise_ms
from extractors import treesitter as ts
from extractors.base import detector
from extractors.terraform.context import TerraformFile, timeout_finding
from extractors.terraform.detectors.durations import duration_finding, proto_ms
from extractors.terraform.hcl import Block, literal_string, object_items, to_expr

ID = "terraform.gcp"
RESOURCE_TYPES = (
    "google_pubsub_subscription", "google_cloud_run_service", "google_cloud_run_v2_service",
    "google_cloud_run_v2_job", "google_cloudfunctions_function", "google_cloudfunctions2_function",
    "google_cloud_tasks_queue", "google_cloud_scheduler_job", "google_compute_backend_service",
    "google_compute_region_backend_service", "google_compute_url_map", "google_compute_region_url_map",
)
# the community module terraform-google-modules/pubsub/google: its subscriptions are list inputs
MODULE_SOURCES = ("terraform-google-modules/pubsub", "terraform-google-modules/terraform-google-pubsub")
_MODULE_SUBSCRIPTIONS = {"pull_subscriptions": "pull", "push_subscriptions": "push"}
DEFAULT_ACK_DEADLINE_MS = 10000
DEFAULT_MAX_DELIVERY_ATTEMPTS = 5
DEFAULT_CLOUD_RUN_MS = 300000
DEFAULT_FUNCTION_MS = 60000


def count_finding(tf: TerraformFile, holder: Block, attribute: str, *, detector: str, library: str,
                  add: int, extra: dict[str, Any], default: int | None = None,
                  unbounded: tuple[float, ...] = (-1.0,)) -> Finding | None:
    """A retry whose ``max_attempts`` is ``<attribute> + add`` (``add`` 0 when the setting counts
    every attempt, 1 when it counts the retries after the first). Absent: ``default`` (at the
    holder's line, ``resolved_from: library_default``) or nothing. ``unbounded`` values (-1:
    "unlimited" in GCP) give ``max_attempts: None``."""
    attr = holder.attributes.get(attribute)
    attrs: dict[str, Any] = {"max_attempts": None, "backoff": None, "retry_on": "error",
                             "mechanism": "redelivery", "library": library, "setting": attribute}
    attrs.update(extra)
    if attr is None:
        if default is None or holder.node.has_error:
            return None
        attrs.update(max_attempts=default, resolved_from="library_default", expression="")
        return tf.finding("retry", holder.node, detector, attrs, confidence="medium")
    expr = to_expr(attr.value)
    attrs["expression"] = attr.text
    if isinstance(expr, Num):
        attrs["max_attempts"] = None if expr.value in unbounded else int(expr.value) + add
        return tf.finding("retry", attr.node, detector, attrs)
    if isinstance(expr, Ref):
        value = BinOp("+", expr, Num(float(add))) if add else expr
        return tf.finding("retry", attr.node, detector, attrs, confidence="medium",
                          pending=(Pending("max_attempts", value, 1.0),))
    return tf.finding("retry", attr.node, detector, attrs, confidence="low")


_TOPIC_ADDRESS = re.compile(r"^(google_pubsub_topic\.[A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.(?:id|name))?$")


def _address_in(text: str) -> str | None:
    """`google_pubsub_topic.dead-letter.id` / `.name` -> `google_pubsub_topic.dead-letter`."""
    m = _TOPIC_ADDRESS.match(text.strip())
    return m.group(1) if m else None


def _dead_letter_topics(tf: TerraformFile) -> set[str]:
    """The `dead_letter_topic` expressions the file's subscriptions send failures to (as written,
    and, for a topic path, its last segment: the topic's name)."""
    topics = set()
    for other in tf.blocks:
        texts = []
        if other.resource_type == "google_pubsub_subscription":
            for policy in other.nested("dead_letter_policy"):
                topic = policy.attributes.get("dead_letter_topic")
                if topic is not None:
                    texts.append(topic.text.strip())
        elif other.type == "module" and _is_pubsub_module(other):
            for input_name in _MODULE_SUBSCRIPTIONS:
                for element in _list(other, input_name):
                    fields = dict(object_items(element))
                    if "dead_letter_topic" in fields:
                        texts.append(ts.text(fields["dead_letter_topic"].value).strip())
        for text in texts:
            topics.add(text)
            address = _address_in(text)
            if address:
                topics.add(address)  # `google_pubsub_topic.dlq.id` and `.name` name one topic
            name = text.strip('"').rsplit("/", 1)[-1]
            if name and "${" not in name:
                topics.add(name)
                topics.add(f'"{name}"')
    return topics


def _is_pubsub_module(block: Block) -> bool:
    source = block.attributes.get("source")
    text = literal_string(source.value) if source is not None else None
    return bool(text) and any(marker in text for marker in MODULE_SOURCES)


def _pubsub_module(block: Block, tf: TerraformFile) -> list[Finding]:
    """Each subscription of a ``terraform-google-modules/pubsub`` call (``pull_subscriptions`` /
    ``push_subscriptions``: lists of objects): its ``ack_deadline_seconds`` (the module's default
    10 s when absent, at the element's ``name``) and, with a ``dead_letter_topic``, its
    ``max_delivery_attempts`` (the module's default 5)."""
    topic = block.attributes.get("topic")
    topic_text = topic.text.strip() if topic is not None else None
    dead_letter = topic_text is not None and topic_text in _dead_letter_topics(tf)
    found: list[Finding] = []
    for input_name, delivery in _MODULE_SUBSCRIPTIONS.items():
        for element in _list(block, input_name):
            fields = dict(object_items(element))
            name = fields.get("name")
            where = name.node if name is not None else element
            extra = {"resource": f"{block.address}.{input_name}", "delivery": delivery, "topic": topic_text,
                     "subscription": literal_string(name.value) if name is not None else None,
                     "module": "terraform-google-modules/pubsub"}
            ack = fields.get("ack_deadline_seconds")
            attrs: dict[str, Any] = {**extra, "setting": "ack_deadline_seconds", "phase": "visibility"}
            if ack is None:
                if not dead_letter:
                    attrs.update(timeout_ms=DEFAULT_ACK_DEADLINE_MS, resolved_from="library_default", expression="")
                    found.append(tf.finding("timeout", where, ID, attrs, confidence="medium"))
            else:
                expr = to_expr(ack.value)
                attrs["expression"] = ts.text(ack.value).strip()
                if isinstance(expr, Num):
                    attrs.update(timeout_ms=normalise_ms(expr.value * 1000.0), resolved_from="literal")
                    found.append(tf.finding("timeout", ack.node, ID, attrs))
                else:
                    attrs.update(timeout_ms=None, resolved_from="unresolved")
                    pending = (Pending("timeout_ms", expr, 1000.0),) if isinstance(expr, Ref) else ()
                    found.append(tf.finding("timeout", ack.node, ID, attrs, confidence="medium" if pending else "low",
                                            pending=pending))
            if "dead_letter_topic" not in fields:
                continue
            backoff = "exponential" if ("maximum_backoff" in fields or "minimum_backoff" in fields) else "immediate"
            retry: dict[str, Any] = {**extra, "max_attempts": None, "backoff": backoff,
                                     "retry_on": "ack_deadline_expired", "mechanism": "redelivery",
                                     "library": "gcp_pubsub", "setting": "max_delivery_attempts"}
            attempts = fields.get("max_delivery_attempts")
            if attempts is None:
                retry.update(max_attempts=DEFAULT_MAX_DELIVERY_ATTEMPTS, resolved_from="library_default", expression="")
                found.append(tf.finding("retry", fields["dead_letter_topic"].node, ID, retry, confidence="medium"))
                continue
            expr = to_expr(attempts.value)
            retry["expression"] = ts.text(attempts.value).strip()
            if isinstance(expr, Num):
                retry.update(max_attempts=int(expr.value), resolved_from="literal")
                found.append(tf.finding("retry", attempts.node, ID, retry))
            else:
                retry["resolved_from"] = "unresolved"
                pending = (Pending("max_attempts", expr, 1.0),) if isinstance(expr, Ref) else ()
                found.append(tf.finding("retry", attempts.node, ID, retry, confidence="medium" if pending else "low",
                                        pending=pending))
    return found


def _subscription(block: Block, tf: TerraformFile) -> list[Finding]:
    push = block.nested("push_config")
    topic = block.attributes.get("topic")
    extra = {"resource": block.address, "delivery": "push" if push else "pull",
             "topic": topic.text.strip() if topic is not None else None}
    if any(True for _ in block.nested("cloud_storage_config")) or any(True for _ in block.nested("bigquery_config")):
        return []  # Pub/Sub writes to Google's own sink (GCS, BigQuery): no call of a service of ours
    default = DEFAULT_ACK_DEADLINE_MS
    dead_letters = _dead_letter_topics(tf)
    for_each = block.attributes.get("for_each")
    if topic is not None and topic.text.strip().startswith("each.") and for_each is not None:
        topic_text = for_each.text.strip()  # one subscription per topic of a `for_each` over the topics
    else:
        topic_text = topic.text.strip() if topic is not None else ""
    if topic is not None and (topic_text in dead_letters or _address_in(topic_text) in dead_letters):
        default = None  # the dead-letter topic's own subscription: its default is nobody's contract
    found = []
    ack = timeout_finding(tf, block, "ack_deadline_seconds", scale=1000.0, phase="visibility", detector=ID,
                          default_ms=default, extra=extra)
    if ack is not None:
        found.append(ack)
    backoff = "exponential" if block.nested("retry_policy") else "immediate"
    for policy in block.nested("dead_letter_policy"):
        retry = count_finding(tf, policy, "max_delivery_attempts", detector=ID, library="gcp_pubsub", add=0,
                              default=DEFAULT_MAX_DELIVERY_ATTEMPTS,
                              extra={**extra, "backoff": backoff, "retry_on": "ack_deadline_expired"})
        if retry is not None:
            found.append(retry)
    return found


def _cloud_run(block: Block, tf: TerraformFile) -> list[Finding]:
    extra = {"resource": block.address, "service_name": _name(block)}
    if block.resource_type == "google_cloud_run_service":
        for template in block.nested("template"):
            for spec in template.nested("spec"):
                found = timeout_finding(tf, spec, "timeout_seconds", scale=1000.0, phase="function", detector=ID,
                                        default_ms=None, extra=extra)
                if found is not None:
                    return [found]
    else:
        for template in block.nested("template"):
            found = duration_finding(tf, template, "timeout", proto_ms, phase="function", detector=ID,
                                     default_ms=None, extra=extra)
            if found is not None:
                return [found]
    setting = "timeout_seconds" if block.resource_type == "google_cloud_run_service" else "timeout"
    found = timeout_finding(tf, _Absent(block), setting, scale=1.0, phase="function", detector=ID,
                            default_ms=DEFAULT_CLOUD_RUN_MS, extra=extra)
    return [found] if found else []


def _cloud_run_job(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    extra = {"resource": block.address, "service_name": _name(block)}
    for outer in block.nested("template"):
        for task in outer.nested("template"):
            timeout = duration_finding(tf, task, "timeout", proto_ms, phase="function", detector=ID,
                                       default_ms=None, extra=extra)
            if timeout is not None:
                found.append(timeout)
            retry = count_finding(tf, task, "max_retries", detector=ID, library="gcp_cloud_run_job", add=1,
                                  extra=extra)
            if retry is not None:
                found.append(retry)
    return found


def _function(block: Block, tf: TerraformFile) -> list[Finding]:
    return [*_function_timeout(block, tf), *_function_retries(block, tf)]


def _function_retries(block: Block, tf: TerraformFile) -> list[Finding]:
    """An event-driven function that asks to be retried (``event_trigger { retry_policy =
    "RETRY_POLICY_RETRY" }``; 1st gen ``failure_policy { retry = true }``): Cloud Functions redelivers
    the event until it succeeds or is 7 days old, no count (``max_attempts: None``). (Round 16) One
    that writes retries off (``"RETRY_POLICY_DO_NOT_RETRY"``, ``retry = false``): 1 attempt, as a
    setting turning retries off counts in every language."""
    found = []
    for trigger in block.nested("event_trigger"):
        node = None
        attempts: int | None = None
        policy = trigger.attributes.get("retry_policy")
        if policy is not None and (literal_string(policy.value) or "") == "RETRY_POLICY_RETRY":
            node = policy
        elif policy is not None and (literal_string(policy.value) or "") == "RETRY_POLICY_DO_NOT_RETRY":
            node, attempts = policy, 1  # round 16: retries written off: 1 attempt (the round-15 rule)
        for failure in trigger.nested("failure_policy"):
            retry = failure.attributes.get("retry")
            if retry is not None and ts.text(retry.value).strip() == "true":
                node, attempts = retry, None
            elif retry is not None and ts.text(retry.value).strip() == "false":
                node, attempts = retry, 1
        if node is not None:
            found.append(tf.finding("retry", node.node, ID, {
                "max_attempts": attempts, "backoff": "exponential" if attempts is None else None,
                "retry_on": "error", "mechanism": "redelivery",
                "library": "gcp_cloud_functions", "setting": node.name, "resource": block.address,
                "expression": node.text}, confidence="high"))
    return found


def _function_timeout(block: Block, tf: TerraformFile) -> list[Finding]:
    extra = {"resource": block.address, "function_name": _name(block)}
    if block.resource_type == "google_cloudfunctions_function":
        found = timeout_finding(tf, block, "timeout", scale=1000.0, phase="function", detector=ID,
                                default_ms=DEFAULT_FUNCTION_MS, extra=extra)
        return [found] if found else []
    for config in block.nested("service_config"):
        if "timeout_seconds" in config.attributes:
            found = timeout_finding(tf, config, "timeout_seconds", scale=1000.0, phase="function", detector=ID,
                                    default_ms=None, extra=extra)
            return [found] if found else []
    found = timeout_finding(tf, _Absent(block), "timeout_seconds", scale=1.0, phase="function", detector=ID,
                            default_ms=DEFAULT_FUNCTION_MS, extra=extra)
    return [found] if found else []


def _tasks_queue(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    for config in block.nested("retry_config"):
        backoff = "exponential" if any(k in config.attributes for k in ("min_backoff", "max_doublings")) else None
        retry = count_finding(tf, config, "max_attempts", detector=ID, library="gcp_cloud_tasks", add=0,
                              extra={"resource": block.address, "backoff": backoff})
        if retry is not None:
            found.append(retry)
    return found


def _scheduler_job(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    extra = {"resource": block.address}
    if block.nested("http_target") or block.nested("app_engine_http_target"):
        deadline = duration_finding(tf, block, "attempt_deadline", proto_ms, phase="total", detector=ID,
                                    default_ms=None, extra=extra)
        if deadline is not None:
            found.append(deadline)
    for config in block.nested("retry_config"):
        retry = count_finding(tf, config, "retry_count", detector=ID, library="gcp_cloud_scheduler", add=1,
                              extra={**extra, "backoff": "exponential"})
        if retry is not None:
            found.append(retry)
    return found


def _backend_service(block: Block, tf: TerraformFile) -> list[Finding]:
    found = timeout_finding(tf, block, "timeout_sec", scale=1000.0, phase="total", detector=ID,
                            default_ms=None, extra={"resource": block.address})
    return [found] if found else []


class _Absent:
    """A resource seen without its attributes: its nested block holds the setting, which is absent,
    so the provider's default is reported at the resource's line."""

    def __init__(self, block: Block) -> None:
        self.node = block.node
        self.address = block.address
        self.attributes: dict = {}


def _seconds_block(block: Block) -> tuple[float | None, object]:
    """``{ seconds = 10  nanos = 500000000 }`` -> (10500.0 ms, the seconds attribute); unreadable -> None."""
    seconds = block.attributes.get("seconds")
    nanos = block.attributes.get("nanos")
    s = to_expr(seconds.value) if seconds is not None else Num(0.0)
    n = to_expr(nanos.value) if nanos is not None else Num(0.0)
    where = seconds or nanos
    if isinstance(s, Num) and isinstance(n, Num) and where is not None:
        return s.value * 1000.0 + n.value / 1e6, where
    return None, where


def _route_actions(block: Block) -> list[Block]:
    found, pending = [], list(block.blocks)
    while pending:
        current = pending.pop(0)
        if current.type in ("route_action", "default_route_action"):
            found.append(current)
        pending.extend(current.blocks)
    return found


def _url_map(block: Block, tf: TerraformFile) -> list[Finding]:
    found = []
    for action in _route_actions(block):
        extra = {"resource": block.address}
        for timeout in action.nested("timeout"):
            ms, where = _seconds_block(timeout)
            if where is not None:
                attrs = {**extra, "setting": "route_action.timeout", "phase": "total", "expression": where.text,
                         "timeout_ms": normalise_ms(ms), "resolved_from": "literal" if ms is not None else "unresolved"}
                found.append(tf.finding("timeout", where.node, ID, attrs, confidence="high" if ms is not None else "low"))
        for policy in action.nested("retry_policy"):
            retry = count_finding(tf, policy, "num_retries", detector=ID, library="gcp_url_map", add=1,
                                  extra={**extra, "backoff": "exponential",
                                         "retry_on": ",".join(literal_string(c) or "" for c in _list(policy, "retry_conditions")) or None,
                                         "mechanism": "client_config"})
            if retry is not None:
                found.append(retry)
            for per_try in policy.nested("per_try_timeout"):
                ms, where = _seconds_block(per_try)
                if where is not None:
                    attrs = {**extra, "setting": "retry_policy.per_try_timeout", "phase": "per_try",
                             "expression": where.text, "timeout_ms": normalise_ms(ms),
                             "resolved_from": "literal" if ms is not None else "unresolved"}
                    found.append(tf.finding("timeout", where.node, ID, attrs,
                                            confidence="high" if ms is not None else "low"))
    return found


def _list(block: Block, name: str) -> list:
    attr = block.attributes.get(name)
    if attr is None:
        return []
    node = attr.value
    while node is not None and node.type in ("expression", "collection_value") and node.named_child_count == 1:
        node = node.named_children[0]
    if node is None or node.type != "tuple":
        return []
    return [child for child in node.named_children if child.type == "expression"]


def _name(block: Block) -> str | None:
    name = block.attributes.get("name")
    return literal_string(name.value) if name is not None else None


_BY_TYPE = {
    "google_pubsub_subscription": _subscription,
    "google_cloud_run_service": _cloud_run,
    "google_cloud_run_v2_service": _cloud_run,
    "google_cloud_run_v2_job": _cloud_run_job,
    "google_cloudfunctions_function": _function,
    "google_cloudfunctions2_function": _function,
    "google_cloud_tasks_queue": _tasks_queue,
    "google_cloud_scheduler_job": _scheduler_job,
    "google_compute_backend_service": _backend_service,
    "google_compute_region_backend_service": _backend_service,
    "google_compute_url_map": _url_map,
    "google_compute_region_url_map": _url_map,
}


@detector(ID, "terraform", ["timeout", "retry"],
          valid=['resource "google_pubsub_topic" "t" {\n  name = "ack_deadline_seconds"\n'
                 '  # ack_deadline_seconds = 60\n}',
                 'resource "google_cloud_tasks_queue" "q" {\n  name = "max_attempts = 5"\n}'],
          invalid=['resource "google_pubsub_subscription" "s" {\n  ack_deadline_seconds = 60\n}',
                   'resource "google_cloud_run_v2_service" "api" {\n  template {\n    timeout = "30s"\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Google Cloud timeouts and redelivery (Pub/Sub, Cloud Run, Cloud Functions, Cloud Tasks,
    Cloud Scheduler, backend services).

    What it does:

    - ``google_pubsub_subscription``: ``ack_deadline_seconds`` is a timeout with ``phase:
      visibility`` (how long Pub/Sub waits for the ack, or for a push endpoint's answer, before it
      redelivers; 10 s default when absent, except on the subscription of a dead-letter topic of the
      same file); ``dead_letter_policy { max_delivery_attempts = n }`` is a ``retry`` with
      ``max_attempts = n`` (``library: gcp_pubsub``; 5 when the policy omits it). Without a
      dead-letter policy Pub/Sub redelivers until the message expires: not reported.
    - ``google_cloud_run_service`` ``template { spec { timeout_seconds } }`` and
      ``google_cloud_run_v2_service`` ``template { timeout = "300s" }``: ``phase: function`` (300 s
      default); ``google_cloud_run_v2_job``'s task ``timeout`` and ``max_retries`` (n + 1 attempts).
    - ``google_cloudfunctions_function.timeout`` / ``google_cloudfunctions2_function``
      ``service_config.timeout_seconds``: ``phase: function`` (60 s default).
    - ``google_cloud_tasks_queue`` ``retry_config.max_attempts`` (every attempt counted; -1:
      unlimited, ``max_attempts: None``); ``google_cloud_scheduler_job`` ``attempt_deadline`` of an
      HTTP target (``phase: total``) and ``retry_config.retry_count`` (n + 1 attempts).
    - ``google_compute_backend_service.timeout_sec``: how long the load balancer waits for the
      backend (written values only); ``google_compute_url_map`` route actions' ``timeout { seconds }``
      (``phase: total``), ``retry_policy { num_retries }`` (n + 1 attempts) and ``per_try_timeout``.
    - (round 11, extractors/terraform/endpoints.py) a Cloud Endpoints service config's
      ``backend.rules[].deadline`` and an OpenAPI document's ``x-google-backend.deadline``
      (seconds: how long ESP / API Gateway waits for the backend; written values only), in the
      file itself (``api_config.yaml``, a ``templatefile()``'s ``.tftpl``).

    Why it matters: a consumer still working when the ack deadline ends sees its message again; a
    Cloud Run service cut at its request timeout leaves its caller retrying.

    Example: ``ack_deadline_seconds = 600`` -> ``timeout timeout_ms=600000 phase=visibility``.
    """
    if block.type == "module":
        return _pubsub_module(block, tf) if _is_pubsub_module(block) else []
    handler = _BY_TYPE.get(block.resource_type or "")
    return handler(block, tf) if handler and block.type == "resource" else []
