"""MicroProfile Fault Tolerance's @CircuitBreaker (Quarkus, Open Liberty, Helidon) is a breaker on the method."""

from __future__ import annotations

from extractors.java.extractor import EXTRACTOR

HEAD = "package com.acme;\n{imports}\nclass LedgerService {{\n"


def _breakers(imports: str, body: str):
    source = HEAD.format(imports=imports) + body + "}\n"
    return [(f.line, f.attributes.get("library")) for f in EXTRACTOR.extract("src/LedgerService.java", source.encode()).findings
            if f.kind == "circuit_breaker"]


BODY = """    @CircuitBreaker(requestVolumeThreshold = 10)
    public Result record(Entry entry) { return ledger.post(entry); }
"""


def test_named_import():
    assert _breakers("import org.eclipse.microprofile.faulttolerance.CircuitBreaker;", BODY) == [(4, "microprofile")]


def test_wildcard_import():
    assert _breakers("import org.eclipse.microprofile.faulttolerance.*;", BODY) == [(4, "microprofile")]


def test_other_breaker_annotation_without_a_name_is_not_microprofiles():
    # a resilience4j @CircuitBreaker needs its instance name; a project's own annotation is not a breaker we know
    assert _breakers("import com.acme.resilience.CircuitBreaker;", BODY) == []


def test_a_comment_or_string_is_not_a_breaker():
    body = '    // @CircuitBreaker on record() was removed\n    String note = "@CircuitBreaker";\n'
    assert _breakers("import org.eclipse.microprofile.faulttolerance.CircuitBreaker;", body) == []
