"""The Kubernetes extractor: service-mesh settings (Istio VirtualService / DestinationRule,
Gateway API HTTPRoute) that are contracts between services, read from manifests.

It claims every ``.yaml``/``.yml`` file but leaves at once, with no findings and no parsing, any
file that is not a manifest (no ``apiVersion`` and ``kind``), that names no kind it reads, or that
lives in a ``contracts/`` folder. Manifests are composed with PyYAML's safe C loader (see
``manifest.py``); a syntax error yields ``ErrorEntry(kind="yaml_error", line=...)`` and the
documents before it are still read.
"""

from __future__ import annotations

from contract_discovery.model import ErrorEntry, FileResult, Finding
from extractors.base import Extractor
from extractors.kubernetes.context import ManifestFile
from extractors.kubernetes.detectors import gateway_httproute, istio_destination_rule, istio_virtual_service
from extractors.kubernetes.manifest import expand_lists, is_contract_path, load_documents, looks_like_manifest

_DETECTORS = {}
for _module in (istio_virtual_service, istio_destination_rule, gateway_httproute):
    for _kind in _module.KINDS:
        _DETECTORS.setdefault(_kind, []).append(_module.detect)


class KubernetesExtractor(Extractor):
    name = "kubernetes"
    language = "kubernetes"
    extensions = (".yaml", ".yml")
    filenames = ()
    prefilter_tokens = tuple(kind.encode() for kind in _DETECTORS)
    claims_language = False  # any YAML may be claimed; only manifests make a service "kubernetes"

    def extract(self, path: str, data: bytes) -> FileResult:
        empty = FileResult(path=path, language=self.language)
        if is_contract_path(path) or not looks_like_manifest(data) or not self.prefilter(data):
            return empty
        try:
            documents, errors = load_documents(path, data)
        except Exception as exc:  # the loader must never take the scan down
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "yaml_error", f"{type(exc).__name__}: {exc}"),))
        mf = ManifestFile(path=path, lines=data.decode("utf-8", errors="replace").splitlines())
        findings: list[Finding] = []
        for doc in expand_lists(documents):
            for detect in _DETECTORS.get(doc.kind or "", ()):
                try:
                    findings.extend(detect(doc, mf))
                except Exception as exc:  # one odd document must not cost the others
                    errors.append(ErrorEntry(path, "yaml_error", f"{doc.kind} {doc.name}: {type(exc).__name__}: {exc}",
                                             line=doc.root.start_mark.line + 1))
        findings.sort(key=lambda f: (f.line, f.column, f.kind))
        return FileResult(path=path, language=self.language, findings=tuple(findings), errors=tuple(errors))


EXTRACTOR = KubernetesExtractor()
