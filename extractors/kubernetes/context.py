"""What a Kubernetes detector sees and how it builds findings (positions from YAML node marks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

import yaml

from contract_discovery.model import Finding, Target
from extractors.kubernetes.manifest import Document, column_of, line_of

LANGUAGE = "kubernetes"

_PUBLIC_SUFFIX = re.compile(r"\.(com|net|org|io|dev|app|cloud|co|us|eu|de|uk|fr|ai|info|biz)$")


@dataclass
class ManifestFile:
    path: str
    lines: list[str]

    def finding(self, kind: str, node: yaml.Node, doc: Document, detector: str,
                attributes: Mapping[str, Any], target: Target | None = None,
                confidence: str = "high") -> Finding:
        line, column = line_of(node), column_of(node)
        end_line, end_column = node.end_mark.line + 1, node.end_mark.column + 1
        evidence = self.lines[line - 1].strip()[:200] if 0 < line <= len(self.lines) else ""
        return Finding(kind=kind, path=self.path, line=line, column=column, end_line=end_line,
                       end_column=end_column, language=LANGUAGE, detector=detector,
                       confidence=confidence, attributes=dict(attributes), evidence=evidence,
                       target=target)


    def source_text(self, node: yaml.Node, fallback: str | None) -> str:
        """The value as written, for values a Helm template placeholder stood in for."""
        if fallback is None or "TEMPLATED" not in fallback:
            return fallback or ""
        line = node.start_mark.line
        if 0 <= line < len(self.lines):
            text = self.lines[line][node.start_mark.column:]
            return text.split(" #", 1)[0].strip()
        return fallback


def resource_name(doc: Document) -> str:
    """``VirtualService/payments/risk`` (kind/namespace/name; namespace left out when absent)."""
    parts = [doc.kind or "?"]
    if doc.namespace:
        parts.append(doc.namespace)
    parts.append(doc.name or "?")
    return "/".join(parts)


def service_of_host(host: str | None) -> str | None:
    """The service a mesh host names: ``risk``, ``risk.default``, ``risk.default.svc.cluster.local``
    -> ``risk``; an external name (``api.stripe.com``) or a wildcard -> None."""
    if not host or "*" in host or "TEMPLATED" in host:
        return None
    host = host.strip().lower().rstrip(".")
    labels = host.split(".")
    if len(labels) == 1:
        return labels[0]
    if ".svc" in host or host.endswith(".local") or host.endswith(".internal"):
        return labels[0]
    if len(labels) == 2 and not _PUBLIC_SUFFIX.search(host):
        return labels[0]  # name.namespace
    return None
