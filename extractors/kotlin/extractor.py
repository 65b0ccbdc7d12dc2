"""The Kotlin extractor: one tree-sitter parse per file, every detector in one pass.

Detectors live in ``extractors/kotlin/detectors/``; they read the shared ``KotlinFile`` view
(calls with trailing lambdas folded in, assignments, loops, annotations, constants). Library
tables (OkHttp setters, time units, Resilience4j) are shared with Java via ``extractors.java.jvm``.
"""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors import treesitter as ts
from extractors.base import Extractor
from extractors.jvm_common import extract_jvm
from extractors.kotlin.detectors import (client_destination, http_timeouts, library_knobs, new_id, outbound, retries,
                                         warmup, wrapper_call)
from extractors.kotlin.syntax import KotlinFile

# wrapper_call last of the detectors: it publishes the parameters the other detectors' findings are written in;
# warmup after them all: it drops the timeouts and retries of start-up calls a service makes to itself (round 18);
# client_destination gives a Ktor client's settings the destination of the calls made through it (round 21)
DETECTORS = (http_timeouts, library_knobs, outbound, retries, new_id, wrapper_call, warmup, client_destination)


class KotlinExtractor(Extractor):
    name = "kotlin"
    language = "kotlin"
    extensions = (".kt", ".kts")
    filenames = ()
    # No bare "okhttp": every OkHttp finding is a `...Timeout(` setter, `retryOnConnectionFailure` or a
    # `Request.Builder()`, all covered below; the package name alone let every file of okhttp3 through.
    prefilter_tokens = (b"timeout", b"retry", b"retryable", b"uuid", b"repeat(", b"attempt", b"httpclient",
                        b"client.", b"resttemplate", b"webclient", b"const val", b"circuitbreaker",
                        b"timelimiter", b"request.builder", b".proceed(", b"authenticator", b"retries", b"backoff(",
                        # round 18: a job queue's plan leaving its retry count to the runner's default
                        b"jobrunner.plan(",
                        # Apache Camel redeliveries, Couchbase's waitUntilReady (round 18)
                        b"redeliver", b"waituntilready",
                        # round 11: a settings class that only names its superclass (`class ResourceCheckConfig :
                        # BaseSchedulerConfig()`) publishes that link for the timeouts read through it
                        b"@configurationproperties",
                        # round 22: a bounded wait on a future (`producer.send(r).get(10, TimeUnit.SECONDS)`) and
                        # NAV familie-prosessering tasks (`@TaskStepBeskrivelse(maxAntallFeil = 3)`)
                        b"timeunit.", b"taskstepbeskrivelse", b"taskbeskrivelse(")

    def claims(self, path: str) -> bool:
        base = path.rsplit("/", 1)[-1]
        # Gradle build scripts configure builds, not services.
        return base.endswith((".kt", ".kts")) and not base.endswith(".gradle.kts")

    def extract(self, path: str, data: bytes) -> FileResult:
        return extract_jvm(self.language, path, data, KotlinFile.parse, DETECTORS, _first_error_line,
                           "kotlin syntax error, or a construct tree-sitter-kotlin cannot parse; "
                           "findings come from the rest")


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
