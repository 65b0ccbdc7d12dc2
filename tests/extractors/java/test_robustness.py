"""The JVM extractors never raise: random bytes, and fixtures cut or spliced at random places."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from contract_discovery.model import FileResult
from extractors.java.extractor import EXTRACTOR as JAVA
from extractors.kotlin.extractor import EXTRACTOR as KOTLIN
from extractors.spring.extractor import EXTRACTOR as SPRING
from tests.extractors.java.support import FIXTURES

SAMPLES = {
    "java": (JAVA, "X.java", (FIXTURES / "java" / "retries" / "PaymentRetries.java").read_bytes()),
    "kotlin": (KOTLIN, "X.kt", (FIXTURES / "kotlin" / "retries" / "Retries.kt").read_bytes()),
    "spring": (SPRING, "application.yml", (FIXTURES / "spring" / "basic" / "application.yml").read_bytes()),
    "properties": (SPRING, "application.properties", (FIXTURES / "spring" / "props" / "application.properties").read_bytes()),
}


def _check(extractor, name, data):
    result = extractor.extract(name, data)
    assert isinstance(result, FileResult) and result.path == name
    for finding in result.findings:
        assert finding.line >= 1 and finding.kind


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SAMPLES)), st.binary(max_size=400))
def test_random_bytes(lang, data):
    extractor, name, _ = SAMPLES[lang]
    _check(extractor, name, data)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SAMPLES)), st.integers(0, 10_000), st.integers(0, 400), st.binary(max_size=20))
def test_mutated_fixtures(lang, start, length, insert):
    extractor, name, data = SAMPLES[lang]
    start %= max(len(data), 1)
    _check(extractor, name, data[:start] + insert + data[start + length:])


def test_pathological_nesting_keeps_the_rest_of_the_file():
    java = JAVA.extract("A.java", b"class A { static final int T = " + b"1 + " * 5000 + b"1;\n"
                        b"void m() { f.setReadTimeout(900); } }")
    assert [(f.kind, f.attributes["timeout_ms"]) for f in _settled(java)] == [("timeout", 900)]
    kotlin = KOTLIN.extract("A.kt", b"const val T = " + b"1 + " * 5000 + b"1\n"
                            b"fun m() { b.readTimeout(900, TimeUnit.MILLISECONDS) }\n")
    assert [(f.kind, f.attributes["timeout_ms"]) for f in _settled(kotlin)] == [("timeout", 900)]


def _settled(result):
    """The findings, without proposals at calls of other files' helpers (kept only when one confirms them)."""
    return [f for f in result.findings if not any(p.attribute == "$keep_if" for p in f.pending)]
