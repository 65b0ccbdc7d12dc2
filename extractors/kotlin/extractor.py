"""The Kotlin extractor: one tree-sitter parse per file, every detector in one pass.

Detectors live in ``extractors/kotlin/detectors/``; they read the shared ``KotlinFile`` view
(calls with trailing lambdas folded in, assignments, loops, annotations, constants). Library
tables (OkHttp setters, time units, Resilience4j) are shared with Java via ``extractors.java.jvm``.
"""

from __future__ import annotations

from contract_discovery.model import ErrorEntry, FileResult
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.java.jvm import FindingSink, file_symbols
from extractors.kotlin.detectors import http_timeouts, new_id, outbound, retries
from extractors.kotlin.syntax import KotlinFile

DETECTORS = (http_timeouts, outbound, retries, new_id)


class KotlinExtractor(Extractor):
    name = "kotlin"
    language = "kotlin"
    extensions = (".kt", ".kts")
    filenames = ()
    # No bare "okhttp": every OkHttp finding is a `...Timeout(` setter, `retryOnConnectionFailure` or a
    # `Request.Builder()`, all covered below; the package name alone let every file of okhttp3 through.
    prefilter_tokens = (b"timeout", b"retry", b"retryable", b"uuid", b"repeat(", b"attempt", b"httpclient",
                        b"client.", b"resttemplate", b"webclient", b"const val", b"circuitbreaker",
                        b"timelimiter", b"request.builder", b".proceed(", b"authenticator")

    def claims(self, path: str) -> bool:
        base = path.rsplit("/", 1)[-1]
        # Gradle build scripts configure builds, not services.
        return base.endswith((".kt", ".kts")) and not base.endswith(".gradle.kts")

    @staticmethod
    def _run_detectors(kf, sink: FindingSink, path: str) -> None:
        for module in DETECTORS:
            try:
                module.detect(kf)
            except Exception as exc:  # noqa: BLE001 - one detector's failure never loses the others
                sink.errors.append(ErrorEntry(path, "extractor_error", f"{module.ID}: {exc!r}"))

    def extract(self, path: str, data: bytes) -> FileResult:
        sink = FindingSink(path, self.language)
        try:
            kf = KotlinFile.parse(path, data, sink)
        except Exception as exc:  # noqa: BLE001 - extraction never raises
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"kotlin: {exc!r}"),))
        with file_symbols(kf.symbols):
            self._run_detectors(kf, sink, path)
        error = _first_error_line(kf.tree)
        if error is not None:
            sink.errors.append(ErrorEntry(
                path, "parse_error",
                "kotlin syntax error, or a construct tree-sitter-kotlin cannot parse; findings come from the rest",
                line=error))
        findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
        return FileResult(path=path, language=self.language, findings=findings, symbols=dict(kf.symbols),
                          imports=dict(kf.imports), module=kf.package, errors=tuple(sink.errors))


def _first_error_line(tree) -> int | None:
    """The line of the first ERROR/MISSING node. The Kotlin grammar sometimes flags ``has_error``
    on valid one-line bodies without any error node; that is not reported."""
    if not tree.root_node.has_error:
        return None
    stack = [tree.root_node]
    while stack:  # pre-order, entering only subtrees that hold an error or a missing node
        node = stack.pop()
        if node.is_error or node.is_missing and "semi" not in node.type:
            return node.start_point[0] + 1
        stack.extend(c for c in reversed(node.children) if c.has_error)
    return None


EXTRACTOR = KotlinExtractor()
