"""Proxy timeouts and retries set by annotations: ingress-nginx / NGINX Ingress on an Ingress,
the AWS load balancer controller's idle timeout on an Ingress or a Service, the OpenShift router's
timeout on a Route."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import ManifestFile, resource_name
from extractors.kubernetes.manifest import Document, get, items, scalar

ID = "kubernetes.ingress_annotations"
KINDS = ("Ingress", "Service", "Route")

# annotation suffix -> phase; the prefixes are ingress-nginx's (and its old bare form) and F5's.
_NGINX_PREFIXES = ("nginx.ingress.kubernetes.io/", "ingress.kubernetes.io/", "nginx.org/")
_TIMEOUTS = {"proxy-read-timeout": "read", "proxy-send-timeout": "write", "proxy-connect-timeout": "connect"}
_TRIES = "proxy-next-upstream-tries"
_NEXT_UPSTREAM = "proxy-next-upstream"
_ALB_ATTRIBUTES = "alb.ingress.kubernetes.io/load-balancer-attributes"
_ALB_IDLE = re.compile(r"idle_timeout\.timeout_seconds\s*=\s*(\d+)")
_SERVICE_IDLE = ("service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout",)
_NGINX_TIME = re.compile(r"(\d+)(ms|s|m|h|d)?")
_NGINX_UNIT_MS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0, "d": 86400000.0, None: 1000.0}
# OpenShift's router (HAProxy): the server timeout of one Route, HAProxy time (a bare number is ms)
_ROUTE_TIMEOUT = "haproxy.router.openshift.io/timeout"
_HAPROXY_TIME = re.compile(r"(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?")
_HAPROXY_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0, "d": 86400000.0, None: 1.0}


def haproxy_time_ms(text: str | None) -> float | None:
    """HAProxy time values: ``5000`` (ms), ``30s``, ``4m``, ``500ms``."""
    m = _HAPROXY_TIME.fullmatch((text or "").strip())
    return float(m.group(1)) * _HAPROXY_UNIT_MS[m.group(2)] if m else None


def nginx_time_ms(text: str | None) -> float | None:
    """nginx time values: ``60`` (seconds), ``60s``, ``1m``, ``500ms``, ``1m30s``."""
    if text is None or not text.strip():
        return None
    total, position, text = 0.0, 0, text.strip()
    for m in _NGINX_TIME.finditer(text):
        if m.start() != position:
            return None
        total += int(m.group(1)) * _NGINX_UNIT_MS[m.group(2)]
        position = m.end()
    return total if position == len(text) else None


def _backend(doc: Document) -> str | None:
    """The first backend Service an Ingress sends to (v1 ``service.name``, v1beta1 ``serviceName``)."""
    spec = get(doc.root, "spec")
    candidates = [get(spec, "defaultBackend"), get(spec, "backend")]
    for rule in items(get(spec, "rules")):
        for path in items(get(get(rule, "http"), "paths")):
            candidates.append(get(path, "backend"))
    for backend in candidates:
        name = scalar(get(get(backend, "service"), "name")) or scalar(get(backend, "serviceName"))
        if name and "TEMPLATED" not in name:
            return name
    return None


def _pairs(node: yaml.Node | None) -> list[tuple[str, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _timeout(mf: ManifestFile, doc: Document, node: yaml.Node, ms: float | None, phase: str, key: str,
             target: Target | None, resource: str | None = None) -> Finding:
    attrs: dict[str, Any] = {"timeout_ms": normalise_ms(ms), "phase": phase,
                             "resolved_from": "literal" if ms is not None else "unresolved",
                             "expression": mf.source_text(node, scalar(node)), "setting": key,
                             "resource": resource or resource_name(doc)}
    return mf.finding("timeout", node, doc, ID, attrs, target=target,
                      confidence="high" if ms is not None else "low")


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
                 "    nginx.ingress.kubernetes.io/proxy-read-timeout: \"60\"\n",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                 "    nginx.ingress.kubernetes.io/proxy-body-size: \"8m\"\n"
                 "    description: \"proxy-read-timeout is 60\"\n"],
          invalid=["apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                   "    nginx.ingress.kubernetes.io/proxy-read-timeout: \"120\"\n"])
def detect(doc: Document, mf: ManifestFile) -> list[Finding]:
    """Proxy timeouts and retries set by Ingress / Service annotations.

    What it does: on an ``Ingress``, the ingress-nginx annotations
    ``nginx.ingress.kubernetes.io/proxy-read-timeout`` (``phase: read``), ``proxy-send-timeout``
    (``phase: write``) and ``proxy-connect-timeout`` (``phase: connect``), in seconds, and the same
    names under ``nginx.org/`` (F5 NGINX Ingress, nginx time syntax ``60s``, ``1m``) and the old
    bare ``ingress.kubernetes.io/`` prefix; ``proxy-next-upstream-tries: "3"`` is a ``retry`` with
    ``max_attempts = 3`` (nginx counts every try; ``0`` = unlimited, ``max_attempts: None``; not
    reported when ``proxy-next-upstream`` is ``off``). The AWS load balancer controller's
    ``alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=600`` and, on
    a ``Service``, ``service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout`` are
    ``phase: idle``. The target is the Ingress's first backend Service. A Helm placeholder as the
    value gives ``timeout_ms: None`` (``confidence: low``).

    Why it matters: the ingress proxy cuts a slow backend at its read timeout (a 504 for the
    caller) whatever the service's own limits; its next-upstream tries resend a request to another
    pod, so a non-idempotent endpoint may run twice.

    Not read: the controller's global ConfigMap (``proxy-read-timeout`` in its ``data``), which
    applies to every Ingress without the annotation.
    """
    annotations = _pairs(get(get(doc.root, "metadata"), "annotations"))
    if not annotations:
        return []
    if doc.kind == "Service":
        return annotation_findings(mf, doc, annotations, resource_name(doc), None, ingress=False)
    if doc.kind == "Route":
        return _route_findings(mf, doc, annotations)
    if doc.kind != "Ingress":
        return []
    service = _backend(doc)
    target = Target(url=None, service=service, operation=None) if service else None
    return annotation_findings(mf, doc, annotations, resource_name(doc), target, ingress=True)


def _route_findings(mf: ManifestFile, doc: Document, annotations: list[tuple[str, yaml.Node]]) -> list[Finding]:
    """An OpenShift Route's ``haproxy.router.openshift.io/timeout``: how long the router waits for
    the service's answer (HAProxy's server timeout, ``phase: read``); the target is the Route's
    ``spec.to`` Service. ``timeout-tunnel`` (an idle WebSocket / TLS-passthrough tunnel) is not read."""
    service = scalar(get(get(get(doc.root, "spec"), "to"), "name"))
    target = Target(url=None, service=service, operation=None) if service and "TEMPLATED" not in service else None
    out = []
    for key, node in annotations:
        if key == _ROUTE_TIMEOUT:
            text = scalar(node)
            ms = haproxy_time_ms(text) if text and "TEMPLATED" not in text else None
            out.append(_timeout(mf, doc, node, ms, "read", key, target, resource_name(doc)))
    return out


def annotation_findings(mf: ManifestFile, doc: Document, annotations: list[tuple[str, yaml.Node]],
                        resource: str, target: Target | None, ingress: bool = True,
                        service: bool = True) -> list[Finding]:
    """The findings of one annotations mapping: an Ingress's (``ingress``) and / or a Service's
    (``service``: the AWS load balancer idle timeout)."""
    findings: list[Finding] = []
    values = dict(annotations)
    for key, node in annotations:
        if key in _SERVICE_IDLE:
            if service:
                text = scalar(node)
                ms = float(text) * 1000.0 if text and text.strip().isdigit() else None
                findings.append(_timeout(mf, doc, node, ms, "idle", key, None, resource))
            continue
        if not ingress:
            continue
        if key == _ROUTE_TIMEOUT:
            # round 14: OpenShift's router turns an Ingress into a Route and keeps its annotations: the
            # HAProxy server timeout on an Ingress (or in a values file's ingress annotations) bounds
            # the router's wait for the service as on a Route
            text = scalar(node)
            ms = haproxy_time_ms(text) if text and "TEMPLATED" not in text else None
            findings.append(_timeout(mf, doc, node, ms, "read", key, target, resource))
            continue
        prefix = next((p for p in _NGINX_PREFIXES if key.startswith(p)), None)
        name = key[len(prefix):] if prefix else None
        if name in _TIMEOUTS:
            text = scalar(node)
            ms = nginx_time_ms(text) if text and "TEMPLATED" not in text else None
            findings.append(_timeout(mf, doc, node, ms, _TIMEOUTS[name], key, target, resource))
        elif name == _TRIES:
            off = scalar(values.get(prefix + _NEXT_UPSTREAM))
            if off is not None and off.strip() == "off":
                continue
            text = scalar(node)
            tries = int(text) if text and text.strip().isdigit() else None
            attrs = {"max_attempts": (tries or None) if tries is not None else None, "backoff": "none",
                     "retry_on": scalar(values.get(prefix + _NEXT_UPSTREAM)) or "error timeout",
                     "mechanism": "client_config", "library": "nginx_ingress", "setting": key,
                     "resource": resource, "expression": mf.source_text(node, text)}
            findings.append(mf.finding("retry", node, doc, ID, attrs, target=target,
                                       confidence="high" if tries is not None else "low"))
        elif key == _ALB_ATTRIBUTES:
            match = _ALB_IDLE.search(scalar(node) or "")
            if match:
                findings.append(_timeout(mf, doc, node, float(match.group(1)) * 1000.0, "idle", key, target,
                                         resource))
    return findings


_ANNOTATION_KEYS = (*_NGINX_PREFIXES, _ALB_ATTRIBUTES, *_SERVICE_IDLE, _ROUTE_TIMEOUT)
MAX_VALUES_DEPTH = 12


def has_annotation_keys(data: bytes) -> bool:
    return any(key.encode() in data for key in _ANNOTATION_KEYS)


def values_findings(path: str, text: str) -> list[Finding]:
    """A Helm values file's annotation mappings (``ingress.annotations``, ``service.annotations``
    ...) that set the annotations read above: the Ingress or Service a chart renders with
    ``{{ toYaml .Values.ingress.annotations }}`` carries them, so they are reported where written
    (``resource: values:<dotted path>``). The Service idle annotation counts under a key path
    naming a service, the others under one naming an ingress (or any other path)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - values that do not parse give nothing
        return []
    mf = ManifestFile(path=path, lines=text.splitlines())
    doc = Document(index=0, root=root if isinstance(root, yaml.MappingNode) else yaml.MappingNode("", []))
    out: list[Finding] = []
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    seen: set[int] = set()
    while stack:
        node, prefix, depth = stack.pop()
        if not isinstance(node, yaml.MappingNode) or id(node) in seen or depth > MAX_VALUES_DEPTH:
            continue
        seen.add(id(node))
        pairs = _pairs(node)
        if any(key.startswith(_ANNOTATION_KEYS) for key, _ in pairs):
            lowered = prefix.lower()
            out.extend(annotation_findings(mf, doc, pairs, f"values:{prefix}" if prefix else "values", None,
                                           ingress="service" not in lowered.replace("services", ""),
                                           service="ingress" not in lowered))
            continue
        for key, value in pairs:
            stack.append((value, f"{prefix}.{key}" if prefix else key, depth + 1))
    out.sort(key=lambda f: (f.line, f.column))
    return out


# round 13: a Helm template adding an annotation to a dict it renders into the Ingress's
# annotations (`{{- $_ := set $extraAnnotations "nginx.ingress.kubernetes.io/proxy-read-timeout" "120" }}`)
_SET_ANNOTATION = re.compile(r'\bset\s+\$[\w.]+\s+"(?P<key>[^"\s]+)"\s+(?P<value>"[^"{}]*"|\d+(?:\.\d+)?)\s*\}\}')


def set_findings(path: str, lines: list[str]) -> list[Finding]:
    """The annotations read above that a template's ``set $dict "<annotation>" "<value>"`` adds to
    the dict it renders as the resource's annotations, at the ``set`` line (``resource:
    set:<dict>``)."""
    out: list[Finding] = []
    for number, line in enumerate(lines, start=1):
        if "set" not in line:
            continue
        m = _SET_ANNOTATION.search(line)
        if m is None or not m.group("key").startswith(_ANNOTATION_KEYS):
            continue
        # the same reading as a values file's annotation mapping, on a text whose line `number` is
        # the pair (so lines and columns are the template's)
        text = "\n" * (number - 1) + f'"{m.group("key")}": {m.group("value")}\n'
        for finding in values_findings(path, text):
            out.append(replace(finding, evidence=line.strip()[:200],
                               attributes={**finding.attributes, "resource": "set"}))
    return out
