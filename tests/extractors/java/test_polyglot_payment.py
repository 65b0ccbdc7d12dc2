"""The payment service (Java, Spring Boot, Resilience4j) read as one service: the Java and
Spring extractors together give one coherent retry picture -- the @Retry annotation is the
retry, its numbers come from application.yml -- and the fresh request ID per attempt."""

from __future__ import annotations

import pytest

from extractors.java.extractor import EXTRACTOR as JAVA
from extractors.spring.extractor import EXTRACTOR as SPRING
from tests.annotations import check_annotations, read_annotations
from tests.extractors.java.support import FIXTURES, ROOT, extract_file, resolve

SERVICE = FIXTURES / "polyglot" / "payment"
FILES = sorted(p for p in SERVICE.rglob("*") if p.is_file() and (JAVA.claims(p.name) or SPRING.claims(p.name)))


@pytest.fixture(scope="module")
def findings():
    results = [extract_file(JAVA if JAVA.claims(p.name) else SPRING, p) for p in FILES]
    return resolve(results)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(SERVICE).as_posix())
def test_annotations(findings, path):
    assert check_annotations(findings, path, path.relative_to(ROOT).as_posix()) == []
    expects, _ = read_annotations(path)
    extractor = JAVA if JAVA.claims(path.name) else SPRING
    assert extractor.prefilter(path.read_bytes()) or not expects


def test_one_retry_per_retried_method_with_config_numbers(findings):
    retries = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["max_attempts"], f.attributes["backoff"],
                      f.attributes["mechanism"]) for f in findings if f.kind == "retry")
    assert retries == [("GatewayClient.java", 33, 4, "exponential", "decorator"),
                       ("GatewayClient.java", 47, 4, "exponential", "decorator")]


def test_fresh_id_points_at_the_retry(findings):
    (fresh,) = [f for f in findings if f.kind == "new_id_per_attempt"]
    assert (fresh.path.endswith("GatewayClient.java"), fresh.line, fresh.attributes["retry_line"],
            fresh.attributes["variable"]) == (True, 36, 33, "requestId")
