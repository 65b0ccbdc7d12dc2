"""The plumbing the Java and Kotlin extractors share (extractors/jvm_common.py)."""

from __future__ import annotations

from types import SimpleNamespace

from contract_discovery.values import BinOp, Num, Ref
from extractors.java.syntax import JavaFile
from extractors.jvm_common import bound_of, extract_jvm, parse_number, request_key
from extractors.kotlin.syntax import KotlinFile


def test_parse_number_drops_separators_and_suffixes():
    assert parse_number("10_000L", "lLfFdD", "lL") == 10000.0
    assert parse_number("0x1F", "lLfFdD", "lL") == 31.0
    assert parse_number("2.5f", "lLfFdD", "lL") == 2.5
    assert parse_number("3u", "lLfFuU", "lLuU") == 3.0
    assert parse_number("SECONDS", "lLfFdD", "lL") is None


def test_bound_of_counts_the_first_try():
    assert bound_of("<", Num(3.0)) == BinOp("+", Num(3.0), Num(1.0))
    assert bound_of(">=", Ref("MAX")) == BinOp("+", Ref("MAX"), Num(1.0))
    assert bound_of("<=", Num(3.0)) == BinOp("+", Num(3.0), Num(2.0))
    assert bound_of("==", Num(3.0)) is None


def test_request_key_follows_locals_back_to_the_request():
    values = {"original": "chain.request()", "clean": "original.newBuilder().removeHeader(\"x\").build()"}
    assert request_key("clean", values) == request_key("original", values) == request_key("chain.request()", {}) == "chain"
    assert request_key("Api.refreshTokenRequest(token)", values) == "Api.refreshTokenRequest"
    assert request_key("Api.tokenInfo(token)", values) != request_key("Api.refreshTokenRequest(token)", values)
    cyclic = {"a": "b", "b": "a"}
    assert request_key("a", cyclic) in ("a", "b")  # never loops


def test_extract_jvm_isolates_a_failing_detector():
    def boom(view):
        raise RuntimeError("bad detector")

    def one_timeout(view):
        view.sink.add("timeout", (1, 1, 1, 2), "java.test", {"timeout_ms": 5, "phase": "total"}, "x")

    detectors = [SimpleNamespace(ID="java.boom", detect=boom), SimpleNamespace(ID="java.one", detect=one_timeout)]
    result = extract_jvm("java", "A.java", b"class A { }", JavaFile.parse, detectors, lambda tree: None, "syntax")
    assert [(f.kind, f.line) for f in result.findings] == [("timeout", 1)]
    assert [(e.kind, "bad detector" in e.message) for e in result.errors] == [("extractor_error", True)]


def test_extract_jvm_reports_a_parse_failure_without_raising():
    def broken_parse(path, data, sink):
        raise ValueError("cannot parse")

    result = extract_jvm("kotlin", "A.kt", b"fun", broken_parse, [], lambda tree: None, "syntax")
    assert result.findings == () and [e.kind for e in result.errors] == ["parse_error"]


def test_both_views_share_evidence_and_within():
    kf = KotlinFile.parse("A.kt", b"fun f() {\n    call()\n}\n", SimpleNamespace(findings=[], errors=[]))
    call = kf.calls[0]
    assert kf.evidence(call.node) == "call()"
    assert kf.within(call.node, kf.tree.root_node)


def test_an_attempts_name_is_not_a_word_that_merely_ends_in_tries():
    from extractors.java.jvm import ATTEMPT_NAME
    counting = ["tries", "maxTries", "MAX_TRIES", "triesLeft", "retries", "attempts", "tryCount", "TRY_TIMES"]
    other_words = ["entries", "jarEntries", "countries", "COUNTRIES", "registries", "entryCount", "industries"]
    assert [n for n in counting if not ATTEMPT_NAME.search(n)] == []
    assert [n for n in other_words if ATTEMPT_NAME.search(n)] == []
