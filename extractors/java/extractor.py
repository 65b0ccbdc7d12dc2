"""The Java extractor: one tree-sitter parse per file, every detector in one pass.

Detectors live in ``extractors/java/detectors/`` (one module each, registered with
``@detector``); they read the shared ``JavaFile`` view (calls, constructions, annotations,
loops, constants) and add findings to its sink. Any failure in one detector becomes an
ErrorEntry; the others still run.
"""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.java.detectors import (endpoint_options, feign_retryer, http_timeouts, idempotency, libraries,
                                       missing_timeout, new_id, outbound, poll_retry, reactor_retry, replica,
                                       resilience4j, retry_loops, retry_support, spring_retry, wrapper_call)
from extractors.java.syntax import JavaFile
from extractors.jvm_common import extract_jvm

# wrapper_call reads the findings of the detectors before it (a helper's parameter that becomes a library's
# timeout or retry bound is published for its callers): the library detectors run first (round 11).
DETECTORS = (http_timeouts, outbound, resilience4j, spring_retry, reactor_retry, feign_retryer, retry_loops, new_id, replica,
             missing_timeout, idempotency, retry_support, libraries, poll_retry, wrapper_call, endpoint_options)


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
                        b".proceed(", b"authenticator", b"retries", b".await(", b"maxreconnects", b"sync(",
                        b"redeliver", b"backoff", b"dubbo", b"stopafterattempt", b"jedis(", b"jedispool(",
                        b"patterns.ask(", b"patternscs.ask(", b"askpattern.ask(", b"setmaxwait",
                        b"routingdatasource", b"timeunit.", b".isvalid(", b"@configurationproperties")  # round 13: `sendFuture.get(45, TimeUnit.SECONDS)`; round 19: `connection.isValid(1)`

    def extract(self, path: str, data: bytes) -> FileResult:
        return extract_jvm(self.language, path, data, JavaFile.parse, DETECTORS, _first_error_line,
                           "java syntax error")


def _first_error_line(tree) -> int | None:
    error = ts.first_error(tree)
    return error[0] if error is not None else None


EXTRACTOR = JavaExtractor()
