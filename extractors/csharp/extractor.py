"""The C# extractor: parses a file once with tree-sitter-c-sharp and runs every C# detector.

Durations are read as TimeSpans and normalised to ms; ``const`` and ``static readonly``
fields go to ``FileResult.symbols`` (TimeSpans in ms, numbers as written) under their bare
and type-qualified names; ``FileResult.module`` is the namespace.
"""

from __future__ import annotations

import logging

from contract_discovery.model import ErrorEntry, FileResult, Finding
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.csharp import syntax
from extractors.csharp.context import GRAMMAR, LANGUAGE, CsFile
from extractors.csharp.detectors import (cancellation, http_client, new_id_per_attempt, polly, retry_loop,
                                         standard_resilience)

log = logging.getLogger(__name__)

DETECTORS = (http_client.detect, polly.detect, standard_resilience.detect, cancellation.detect,
             retry_loop.detect, new_id_per_attempt.detect)


class CsharpExtractor(Extractor):
    name = "csharp"
    language = LANGUAGE
    extensions = (".cs",)
    filenames = ()
    prefilter_tokens = (
        b"Timeout", b"Retry", b"HttpClient", b"Polly", b"Policy.", b"Policy<", b"PolicyHandler", b"CircuitBreaker",
        b"Resilience",
        b"CancellationTokenSource", b"CancelAfter", b"NewGuid", b"NewUlid", b"CreateVersion7", b"GetAsync",
        b"PostAsync", b"SendAsync", b"PutAsync", b"DeleteAsync", b"JsonAsync", b"TimeSpan", b"GetEnvironmentVariable",
    )

    def extract(self, path: str, data: bytes) -> FileResult:
        syntax.reset_caches()
        try:
            tree = ts.parse(GRAMMAR, data)
        except Exception as exc:  # pragma: no cover - tree-sitter does not raise on bad input
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"c# parser failed: {exc}"),))
        errors: list[ErrorEntry] = []
        problem = innermost_error(tree)
        if problem is not None:
            errors.append(ErrorEntry(path, "parse_error",
                                     f"syntax error at line {problem[0]}, column {problem[1]}", line=problem[0]))
        file = CsFile(path=path, data=data, tree=tree)
        findings: list[Finding] = []
        for run in DETECTORS:
            try:
                findings.extend(run(file))
            except Exception as exc:  # a detector bug must not cost the other detectors' findings
                log.debug("c# detector %s failed on %s", getattr(run, "detector_id", run), path, exc_info=True)
                errors.append(ErrorEntry(path, "extractor_error",
                                         f"{getattr(run, 'detector_id', 'csharp')}: {type(exc).__name__}: {exc}"))
        symbols: dict = {}
        module = None
        try:
            symbols = dict(file.constants)
            module = syntax.namespace_of(tree.root_node)
        except Exception as exc:  # pragma: no cover - defensive
            errors.append(ErrorEntry(path, "extractor_error", f"c# constants: {exc}"))
        syntax.reset_caches()
        return FileResult(path=path, language=self.language, findings=tuple(_dedupe(findings)), symbols=symbols,
                          module=module, errors=tuple(errors))


def innermost_error(tree) -> tuple[int, int] | None:
    """1-based position of the first ERROR/MISSING node that holds no other one."""
    root = tree.root_node
    if not root.has_error:
        return None
    stack = [root]
    while stack:  # pre-order, entering only subtrees that hold an error or a missing node
        node = stack.pop()
        if node.is_missing or (node.is_error and not any(c.has_error or c.is_missing for c in node.children)):
            return node.start_point[0] + 1, node.start_point[1] + 1
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return ts.first_error(tree)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding.sort_key()
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


EXTRACTOR = CsharpExtractor()
