"""The Java extractor: one tree-sitter parse per file, every detector in one pass.

Detectors live in ``extractors/java/detectors/`` (one module each, registered with
``@detector``); they read the shared ``JavaFile`` view (calls, constructions, annotations,
loops, constants) and add findings to its sink. Any failure in one detector becomes an
ErrorEntry; the others still run.
"""

from __future__ import annotations

from contract_discovery.model import ErrorEntry, FileResult
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.java.detectors import (feign_retryer, http_timeouts, idempotency, missing_timeout, new_id, outbound,
                                       reactor_retry, replica, resilience4j, retry_loops, spring_retry)
from extractors.java.jvm import FindingSink, file_symbols
from extractors.java.syntax import JavaFile

DETECTORS = (http_timeouts, outbound, resilience4j, spring_retry, reactor_retry, feign_retryer, retry_loops, new_id, replica,
             missing_timeout, idempotency)


class JavaExtractor(Extractor):
    name = "java"
    language = "java"
    extensions = (".java",)
    filenames = ()
    prefilter_tokens = (b"timeout", b"retry", b"retryable", b"uuid", b"readonly", b"replica", b"reader",
                        b"resttemplate", b"webclient", b"restclient", b"feignclient", b"httpclient",
                        b"httprequest", b"request.builder", b"openconnection", b"static final", b"@value", b"circuitbreaker",
                        b"timelimiter", b"attempt", b"jdbc:", b"request.options", b"idempoten", b"dedup",
                        b"future.get(", b"deferredresult", b"sseemitter", b"webasynctask", b"sotimeout",
                        b".proceed(", b"authenticator")

    @staticmethod
    def _run_detectors(jf, sink: FindingSink, path: str) -> None:
        for module in DETECTORS:
            try:
                module.detect(jf)
            except Exception as exc:  # noqa: BLE001 - one detector's failure never loses the others
                sink.errors.append(ErrorEntry(path, "extractor_error", f"{module.ID}: {exc!r}"))

    def extract(self, path: str, data: bytes) -> FileResult:
        sink = FindingSink(path, self.language)
        try:
            jf = JavaFile.parse(path, data, sink)
        except Exception as exc:  # noqa: BLE001 - extraction never raises
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"java: {exc!r}"),))
        with file_symbols(jf.symbols):
            self._run_detectors(jf, sink, path)
        error = ts.first_error(jf.tree)
        if error is not None:
            sink.errors.append(ErrorEntry(path, "parse_error", "java syntax error", line=error[0]))
        findings = tuple(sorted(sink.findings, key=lambda f: f.sort_key()))
        return FileResult(path=path, language=self.language, findings=findings, symbols=dict(jf.symbols),
                          imports=dict(jf.imports), module=jf.package, errors=tuple(sink.errors))


EXTRACTOR = JavaExtractor()
