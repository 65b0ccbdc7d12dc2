"""Kotlin extractor: annotated fixtures, queries, detector examples, symbols, parse errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_discovery.values import BinOp, Num
from extractors import treesitter as ts
from extractors.base import DETECTORS
from extractors.kotlin.extractor import EXTRACTOR
from tests.annotations import check_annotations, read_annotations
from tests.extractors.kotlin.support import resolve_kept
from tests.extractors.java.support import FIXTURES, ROOT, extract_file, resolve

# fixtures/kotlin/wrappers*/ span files: test_wrappers.py reads them through the pipeline
KOTLIN_FIXTURES = sorted(p for p in (FIXTURES / "kotlin").rglob("*.kt")
                         if not any(part.startswith("wrappers") for part in p.parts))
QUERY_DIR = ROOT / "extractors" / "kotlin" / "queries"


@pytest.mark.parametrize("path", KOTLIN_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_annotations(path):
    result = extract_file(EXTRACTOR, path)
    assert check_annotations(resolve_kept([result]), path, path.relative_to(ROOT).as_posix()) == []
    expects, _ = read_annotations(path)
    if expects:
        assert EXTRACTOR.prefilter(path.read_bytes())


@pytest.mark.parametrize("scm", sorted(QUERY_DIR.glob("*.scm")), ids=lambda p: p.name)
def test_query_compiles(scm):
    assert ts.load_query("kotlin", str(scm)).pattern_count > 0


def _kotlin_detectors():
    return [d for d in DETECTORS.values() if d.language == "kotlin"]


@pytest.mark.parametrize("info", _kotlin_detectors(), ids=lambda d: d.id)
def test_detector_examples(info):
    assert info.doc and info.valid and info.invalid
    for example in info.valid:
        found = [f for f in EXTRACTOR.extract("T.kt", example.encode()).findings if f.detector == info.id]
        assert found == [], (example, found)
    for example in info.invalid:
        found = [f for f in EXTRACTOR.extract("T.kt", example.encode()).findings if f.detector == info.id]
        assert found and {f.kind for f in found} <= set(info.kinds), example


def test_symbols_module_imports():
    result = EXTRACTOR.extract("src/Config.kt", b"""package com.example.n
import java.time.Duration
import com.example.shared.Limits as L
const val TOP_MS = 1_000
object Limits {
    const val RETRIES = 3
    val READ = Duration.ofSeconds(2)
}
class Client {
    companion object {
        private const val CONNECT_MS = 250L
    }
    val instanceProp = 5
    fun f() { val local = 7 }
}
""")
    assert result.module == "com.example.n"
    assert result.imports == {"Duration": "java.time.Duration", "L": "com.example.shared.Limits"}
    assert result.symbols["TOP_MS"] == Num(1000.0)
    assert result.symbols["Limits.READ"] == BinOp("*", Num(2.0), Num(1000.0))
    assert result.symbols["Client.CONNECT_MS"] == Num(250.0)
    assert "instanceProp" not in result.symbols and "local" not in result.symbols


def test_same_name_in_two_objects_first_declaration_wins_every_time():
    # Query captures arrive in no fixed order; the bare name must still go to the first declaration.
    source = b"object Primary {\n" + b"".join(b"    const val PAD_%d = %d\n" % (i, i) for i in range(40)) + \
        b"    const val TIMEOUT_MS = 1000\n}\nobject Secondary {\n    const val TIMEOUT_MS = 2000\n}\n" \
        b"object Third {\n    const val TIMEOUT_MS = 3000\n}\n"
    seen = {repr(EXTRACTOR.extract("src/Limits.kt", source).symbols["TIMEOUT_MS"]) for _ in range(12)}
    assert seen == {repr(Num(1000.0))}
    result = EXTRACTOR.extract("src/Limits.kt", source)
    assert result.symbols["Secondary.TIMEOUT_MS"] == Num(2000.0)
    assert result.symbols["Third.TIMEOUT_MS"] == Num(3000.0)


def test_parse_error_keeps_intact_findings():
    result = extract_file(EXTRACTOR, FIXTURES / "kotlin" / "broken" / "HalfWritten.kt")
    assert {(f.kind, f.line, f.attributes["timeout_ms"]) for f in result.findings} == {("timeout", 4, 700), ("timeout", 10, 4000)}
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 7)]


def test_valid_one_line_object_reports_no_parse_error():
    assert EXTRACTOR.extract("a.kt", b"object Cfg { const val TIMEOUT_MS = 2000L }\n").errors == ()
    assert EXTRACTOR.extract("a.kt", b"object L { const val A = 3; val B = 2 }\n").errors == ()


def test_gradle_scripts_are_not_claimed():
    assert EXTRACTOR.claims("svc/src/main/kotlin/App.kt")
    assert not EXTRACTOR.claims("svc/build.gradle.kts")


def test_garbage_never_raises():
    for data in (b"", b"\x00\xff", b"fun {{{{", b"repeat(" * 3000):
        assert EXTRACTOR.extract("x.kt", data).path == "x.kt"


def test_prefilter_skips_files_that_only_name_the_okhttp_package():
    assert not EXTRACTOR.prefilter(b"package okhttp3.internal\nimport okhttp3.Headers\nclass Buffer { fun size() = 0 }\n")
    builder = b"import okhttp3.OkHttpClient\nval c = OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS).build()\n"
    request = b'import okhttp3.Request\nval r = Request.Builder().url("http://risk:8080/score").build()\n'
    assert EXTRACTOR.prefilter(builder) and EXTRACTOR.prefilter(request)
    assert {f.kind for f in EXTRACTOR.extract("C.kt", builder).findings} == {"timeout"}
    assert {f.kind for f in EXTRACTOR.extract("R.kt", request).findings} == {"outbound_call"}


def test_prefilter_keeps_an_interceptor_that_resends_without_saying_retry():
    source = (b"class Basic : Interceptor {\n"
              b"    override fun intercept(chain: Interceptor.Chain): Response {\n"
              b"        val response = chain.proceed(chain.request())\n"
              b"        if (response.code != 401) return response\n"
              b"        response.close()\n"
              b"        return chain.proceed(chain.request().newBuilder().header(\"Authorization\", \"b\").build())\n"
              b"    }\n}\n")
    assert EXTRACTOR.prefilter(source)
    assert {(f.kind, f.line, f.attributes["max_attempts"]) for f in EXTRACTOR.extract("B.kt", source).findings
            if f.detector != "kotlin.wrapper_call"} == {("retry", 6, 2)}  # (proposals wait for the pipeline)


def test_a_property_named_open_does_not_lose_the_class():
    from extractors import treesitter as ts
    from extractors.kotlin.syntax import parse_kotlin

    path = FIXTURES / "kotlin" / "clients" / "OpenProperty.kt"
    data = path.read_bytes()
    assert ts.parse("kotlin", data).root_node.has_error  # the grammar's own reading
    tree = parse_kotlin(data)
    assert not tree.root_node.has_error
    assert len(tree.root_node.text) == len(data)  # same positions: lines and columns hold
    result = extract_file(EXTRACTOR, path)
    assert result.errors == ()
    assert {(f.kind, f.line) for f in result.findings if f.kind == "timeout" and f.detector != "kotlin.wrapper_call"} == {
        ("timeout", 17), ("timeout", 18), ("timeout", 23), ("timeout", 32)}
    broken = b"class A { fun f() { if (open) { return } ; val x = ( } }"
    assert parse_kotlin(broken).root_node.has_error  # still broken: the grammar's tree is kept


def test_stacked_class_annotations_before_another_class_keep_the_class():
    """The grammar reads `@A(..)\\n@B\\nclass S { }` followed by another declaration as an expression,
    without an error; the class is read again with one annotation kept (positions unchanged)."""
    from extractors.kotlin.syntax import parse_kotlin

    data = b'@ConfigurationProperties(prefix = "x")\n@Component\nclass S {\n    var t: Int = 3\n}\n\nclass T {\n    var y = 2\n}\n'
    tree = parse_kotlin(data)
    assert [c.type for c in tree.root_node.named_children] == ["class_declaration", "class_declaration"]
    assert len(tree.root_node.text) == len(data)
    assert b"ConfigurationProperties" in tree.root_node.named_children[0].text
    plain = b"fun f() {\n    @Suppress(\"x\")\n    val a = 1\n}\n"
    assert parse_kotlin(plain).root_node.text == plain  # nothing to re-read
