"""Kustomize overlays that set a timeout or a retry: the patches of a ``kustomization.yaml``.

- JSON 6902 operations (``- op: replace / add``, ``path``, ``value``) inline in ``patches`` /
  ``patchesJson6902`` (``patch: |-``) or in a patch file of their own (a YAML list of operations):
  a ``path`` that names a setting the manifest detectors read is reported at its ``value``'s line
  (Istio VirtualService ``/spec/http/N/timeout``, ``.../retries`` (``attempts``,
  ``perTryTimeout``), Gateway API HTTPRoute ``/spec/rules/N/timeouts`` (``request``,
  ``backendRequest``), Istio DestinationRule ``.../connectionPool/tcp/connectTimeout``, an
  Ingress's ingress-nginx annotations ``/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-
  read-timeout``). Paths are specific enough to name their kind, so an operations file is read
  without the kustomization that targets it.
- inline strategic-merge patches (a manifest in ``patch: |-`` or ``patchesStrategicMerge``): read
  by the manifest detectors themselves, lines shifted to the kustomization's.

Patch files that are manifests (``patchesStrategicMerge: [timeouts.yaml]``) are manifests: read
where they are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

import yaml

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE, ManifestFile
from extractors.kubernetes.detectors.ingress_annotations import nginx_time_ms
from extractors.kubernetes.manifest import Document, duration_ms, get, items, scalar

ID = "kubernetes.kustomize_patches"
KINDS = ("Kustomization",)
MAX_OPERATIONS = 500

_ANNOTATION = {"proxy-read-timeout": "read", "proxy-send-timeout": "write", "proxy-connect-timeout": "connect"}
_NGINX_PREFIXES = ("nginx.ingress.kubernetes.io/", "ingress.kubernetes.io/", "nginx.org/")


def _timeout(phase: str, parse: Callable[[str], float | None] = duration_ms):
    def read(text: str) -> tuple[str, dict[str, Any]] | None:
        ms = parse(text)
        if ms is None or ms <= 0:
            return None
        return "timeout", {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal"}
    return read


def _attempts(add: int, library: str):
    def read(text: str) -> tuple[str, dict[str, Any]] | None:
        if not text.strip().isdigit():
            return None
        return "retry", {"max_attempts": int(text) + add, "mechanism": "client_config", "library": library}
    return read


# (path pattern, member of a mapping value) -> reader
_PATHS: list[tuple[re.Pattern, dict[str | None, Callable]]] = [
    (re.compile(r"^/spec/http/(?:\d+|-)/timeout$"), {None: _timeout("total")}),
    (re.compile(r"^/spec/http/(?:\d+|-)/retries$"), {"attempts": _attempts(1, "istio"),
                                                      "perTryTimeout": _timeout("per_try")}),
    (re.compile(r"^/spec/http/(?:\d+|-)/retries/attempts$"), {None: _attempts(1, "istio")}),
    (re.compile(r"^/spec/http/(?:\d+|-)/retries/perTryTimeout$"), {None: _timeout("per_try")}),
    (re.compile(r"^/spec/rules/(?:\d+|-)/timeouts$"), {"request": _timeout("total"),
                                                        "backendRequest": _timeout("per_try")}),
    (re.compile(r"^/spec/rules/(?:\d+|-)/timeouts/request$"), {None: _timeout("total")}),
    (re.compile(r"^/spec/rules/(?:\d+|-)/timeouts/backendRequest$"), {None: _timeout("per_try")}),
    (re.compile(r"^/spec/(?:trafficPolicy|subsets/(?:\d+|-)/trafficPolicy)/connectionPool/tcp/connectTimeout$"),
     {None: _timeout("connect")}),
]


def _annotation_reader(key: str) -> Callable | None:
    prefix = next((p for p in _NGINX_PREFIXES if key.startswith(p)), None)
    if prefix is None:
        return None
    name = key[len(prefix):]
    if name in _ANNOTATION:
        return _timeout(_ANNOTATION[name], nginx_time_ms)
    if name == "proxy-next-upstream-tries":
        return _attempts(0, "nginx_ingress")
    return None


def looks_like_operations(data: bytes) -> bool:
    return b"op:" in data and b"path:" in data and (b"/timeout" in data or b"/retries" in data
                                                     or b"timeout" in data)


def operation_findings(mf: ManifestFile, root: yaml.Node, line_offset: int = 0, resource: str | None = None
                       ) -> list[Finding]:
    """The findings of a list of JSON 6902 operations (``root``: a sequence node)."""
    out: list[Finding] = []
    for operation in items(root)[:MAX_OPERATIONS]:
        if (scalar(get(operation, "op")) or "") not in ("add", "replace"):
            continue
        path = scalar(get(operation, "path")) or ""
        value = get(operation, "value")
        if value is None:
            continue
        readers: dict[str | None, Callable] | None = None
        for pattern, table in _PATHS:
            if pattern.match(path):
                readers = table
                break
        members: list[tuple[str, yaml.Node, Callable]] = []
        if readers is None and path.startswith("/metadata/annotations"):
            if path == "/metadata/annotations" and isinstance(value, yaml.MappingNode):
                for k, v in value.value:
                    reader = _annotation_reader(scalar(k) or "")
                    if reader is not None:
                        members.append((scalar(k) or "", v, reader))
            else:
                key = path[len("/metadata/annotations/"):].replace("~1", "/").replace("~0", "~")
                reader = _annotation_reader(key)
                if reader is not None:
                    members.append((key, value, reader))
        elif readers is not None:
            if None in readers:
                members.append((path.rsplit("/", 1)[-1], value, readers[None]))
            elif isinstance(value, yaml.MappingNode):
                for k, v in value.value:
                    reader = readers.get(scalar(k) or "")
                    if reader is not None:
                        members.append((scalar(k) or "", v, reader))
        for setting, node, reader in members:
            text = scalar(node)
            read = reader(text) if text is not None and "TEMPLATED" not in text else None
            if read is None:
                continue
            kind, attrs = read
            attrs.update(setting=setting, expression=text, patch_path=path)
            if resource:
                attrs["resource"] = resource
            line = node.start_mark.line + 1 + line_offset
            evidence = mf.lines[line - 1].strip()[:200] if 0 < line <= len(mf.lines) else ""
            out.append(Finding(kind=kind, path=mf.path, line=line, column=node.start_mark.column + 1,
                               end_line=line, end_column=node.end_mark.column + 1, language=LANGUAGE,
                               detector=ID, confidence="high", attributes=attrs, evidence=evidence))
    return out


def _target(item: yaml.Node) -> str | None:
    target = get(item, "target")
    kind, name = scalar(get(target, "kind")), scalar(get(target, "name"))
    return f"{kind}/{name}" if kind and name else kind or name


def _inline(mf: ManifestFile, node: yaml.Node, resource: str | None,
            manifest_findings: Callable[[str, bytes], list[Finding]]) -> list[Finding]:
    """An inline patch (a block scalar): operations, or a strategic-merge manifest."""
    text = scalar(node)
    if not text or node.style not in ("|", ">"):
        return []
    offset = node.start_mark.line + 1  # the content starts on the line after `patch: |-`
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - a patch that does not parse gives nothing
        return []
    if isinstance(root, yaml.SequenceNode):
        return operation_findings(mf, root, offset, resource)
    if isinstance(root, yaml.MappingNode) and scalar(get(root, "kind")):
        found = manifest_findings(mf.path, text.encode("utf-8"))
        return [replace(f, line=f.line + offset, end_line=f.end_line + offset,
                        evidence=mf.lines[f.line + offset - 1].strip()[:200]
                        if 0 < f.line + offset <= len(mf.lines) else f.evidence) for f in found]
    return []


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [vs.yaml]\n"
                 "patches:\n  - target: {kind: VirtualService, name: risk}\n    patch: |-\n"
                 "      - op: replace\n        path: /spec/hosts/0\n        value: risk.prod\n"],
          invalid=["apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [vs.yaml]\n"
                   "patches:\n  - target: {kind: VirtualService, name: risk}\n    patch: |-\n"
                   "      - op: replace\n        path: /spec/http/0/timeout\n        value: 10s\n"])
def detect(doc: Document, mf: ManifestFile, manifest_findings: Callable[[str, bytes], list[Finding]] | None = None
           ) -> list[Finding]:
    """Timeouts and retries a Kustomize overlay's patches set.

    What it does: reads a Kustomization's ``patches`` / ``patchesJson6902`` (inline JSON 6902
    operations whose path names an Istio route timeout or retries, an HTTPRoute's timeouts, a
    DestinationRule's connect timeout, an Ingress's ingress-nginx timeout annotation) and its
    inline strategic-merge patches (read by the manifest detectors), each at its value's line.

    Why it matters: an overlay changes the base's timeouts for one environment; the overlay's value
    is the one deployed there.

    Example: ``- op: replace / path: /spec/http/0/timeout / value: 10s`` -> ``timeout timeout_ms=10000``."""
    if doc.kind not in KINDS:
        return []
    return patch_findings(doc.root, mf, manifest_findings)


def patch_findings(root: yaml.Node, mf: ManifestFile,
                   manifest_findings: Callable[[str, bytes], list[Finding]] | None = None) -> list[Finding]:
    """The findings of one kustomization's patches (``root``: its mapping, ``kind`` or not)."""
    out: list[Finding] = []
    for field in ("patches", "patchesJson6902"):
        for item in items(get(root, field)):
            patch = get(item, "patch")
            if patch is not None and manifest_findings is not None:
                out.extend(_inline(mf, patch, _target(item), manifest_findings))
            elif patch is not None:
                out.extend(_inline(mf, patch, _target(item), lambda p, d: []))
            ops = get(item, "ops")
            if ops is not None:
                out.extend(operation_findings(mf, ops, 0, _target(item)))
    for item in items(get(root, "patchesStrategicMerge")):
        if manifest_findings is not None:
            out.extend(_inline(mf, item, None, manifest_findings))
    return out
