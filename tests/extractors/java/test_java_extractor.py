"""Java extractor behaviour beyond the fixtures: queries compile, detector examples, symbols,
parse errors, exact findings for small snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Num, Ref
from extractors import treesitter as ts
from extractors.base import DETECTORS
from extractors.java.extractor import EXTRACTOR
from tests.extractors.java.support import resolve

QUERY_DIR = Path(__file__).resolve().parents[3] / "extractors" / "java" / "queries"


@pytest.mark.parametrize("scm", sorted(QUERY_DIR.glob("*.scm")), ids=lambda p: p.name)
def test_query_compiles(scm):
    query = ts.load_query("java", str(scm))
    assert query.pattern_count > 0


def _wrap(snippet: str) -> bytes:
    as_statement = f"class T {{ void m() {{ {snippet} }} }}".encode()
    if ts.first_error(ts.parse("java", as_statement)) is None:
        return as_statement
    return f"class T {{ {snippet} }}".encode()


def _java_detectors():
    import extractors.java.extractor  # noqa: F401 - registers the detectors
    return [d for d in DETECTORS.values() if d.language == "java"]


def test_every_detector_has_examples_both_ways():
    for info in _java_detectors():
        assert info.valid and info.invalid, info.id
        assert all(part in info.doc for part in ("What it does", "Why it matters", "Example")), info.id


@pytest.mark.parametrize("info", _java_detectors(), ids=lambda d: d.id)
def test_detector_examples(info):
    for example in info.valid:
        found = [f for f in EXTRACTOR.extract("T.java", _wrap(example)).findings if f.detector == info.id]
        assert found == [], (example, found)
    for example in info.invalid:
        found = [f for f in EXTRACTOR.extract("T.java", _wrap(example)).findings if f.detector == info.id]
        assert found and {f.kind for f in found} <= set(info.kinds), example


def findings_of(source: str):
    result = EXTRACTOR.extract("src/T.java", source.encode())
    return {(f.kind, f.line, tuple(sorted((k, str(v)) for k, v in f.attributes.items() if k in ("timeout_ms", "phase", "max_attempts", "variable"))))
            for f in resolve([result])}


def test_symbols_module_and_imports():
    result = EXTRACTOR.extract("src/RiskConfig.java", b"""
package com.example.risk;
import java.time.Duration;
import static com.example.shared.Timeouts.DEFAULT_MS;
public class RiskConfig {
    public static final int TIMEOUT_MS = 200;
    static final Duration READ = Duration.ofSeconds(2);
    private final int notConstant = 5;
    @Value("${risk.timeout-ms:500}") private int injected;
    public static class Nested { static final long RETRIES = 3L; }
}
""")
    assert result.module == "com.example.risk"
    assert result.imports == {"Duration": "java.time.Duration", "DEFAULT_MS": "com.example.shared.Timeouts.DEFAULT_MS"}
    assert result.symbols["TIMEOUT_MS"] == Num(200.0)
    assert result.symbols["RiskConfig.TIMEOUT_MS"] == Num(200.0)
    assert result.symbols["RiskConfig.READ"] == BinOp("*", Num(2.0), Num(1000.0))
    assert result.symbols["Nested.RETRIES"] == Num(3.0)
    assert result.symbols["RiskConfig.Nested.RETRIES"] == Num(3.0)
    assert "notConstant" not in result.symbols
    # A settings class's instance default is what its getter returns, published under the class only.
    assert result.symbols["RiskConfig.notConstant"] == Num(5.0)
    assert result.symbols["injected"].var == "risk.timeout-ms"


def test_imported_constant_stays_pending_with_scale():
    result = EXTRACTOR.extract("src/C.java", b"""
import static com.example.shared.Timeouts.RISK_TIMEOUT_S;
class C { void m() { new OkHttpClient.Builder().readTimeout(RISK_TIMEOUT_S, TimeUnit.SECONDS); } }
""")
    (finding,) = result.findings
    assert finding.attributes["timeout_ms"] is None
    assert finding.attributes["resolved_from"] == "unresolved"
    assert finding.pending == (Pending("timeout_ms", Ref("RISK_TIMEOUT_S"), 1000.0),)


def test_feign_options_int_pair_and_duration_pair():
    assert findings_of("""class F {
  Request.Options a() { return new Request.Options(1000, 3000); }
  Request.Options b() { return new Request.Options(Duration.ofSeconds(1), Duration.ofSeconds(4), true); }
}""") == {
        ("timeout", 2, (("phase", "connect"), ("timeout_ms", "1000"))),
        ("timeout", 2, (("phase", "read"), ("timeout_ms", "3000"))),
        ("timeout", 3, (("phase", "connect"), ("timeout_ms", "1000"))),
        ("timeout", 3, (("phase", "read"), ("timeout_ms", "4000"))),
    }


def test_uuid_in_retried_lambda_and_loop_but_not_before_it():
    assert findings_of("""class R {
  void a() {
    String stable = UUID.randomUUID().toString();
    for (int attempt = 0; attempt < 2; attempt++) {
      try { String fresh = UUID.randomUUID().toString(); client.send(stable, fresh); return; }
      catch (IOException e) { }
    }
  }
  void b() {
    retry.executeRunnable(() -> client.send(UUID.randomUUID()));
  }
  void c() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try { String unused = UUID.randomUUID().toString(); client.ping(); return; }
      catch (IOException e) { }
    }
  }
}""") == {
        ("retry", 4, (("max_attempts", "2"),)),
        ("new_id_per_attempt", 5, (("variable", "fresh"),)),
        ("new_id_per_attempt", 10, (("variable", "None"),)),
        ("retry", 13, (("max_attempts", "2"),)),
    }


def test_parse_error_keeps_intact_findings():
    result = EXTRACTOR.extract("src/B.java", b"""class B {
  void ok() { factory.setReadTimeout(900); }
  void broken( { int = ; }
  void ok2() { factory.setConnectTimeout(100); }
}""")
    assert {(f.kind, f.line, f.attributes["timeout_ms"]) for f in result.findings} == {
        ("timeout", 2, 900), ("timeout", 4, 100)}
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 3)]


def test_garbage_never_raises():
    for data in (b"", b"\x00\xff\xfe", b"class {{{{", "class Ünï { }".encode(), b"@" * 10000):
        result = EXTRACTOR.extract("x.java", data)
        assert result.path == "x.java"


def test_prefilter_skips_plain_files():
    assert not EXTRACTOR.prefilter(b"package a; class Plain { int add(int a, int b) { return a + b; } }")
    assert EXTRACTOR.prefilter(b"new OkHttpClient.Builder().callTimeout(2, SECONDS)")
    # Limits whose text need not say timeout: a future of a remote call, async handlers, socket options.
    assert EXTRACTOR.prefilter(b"class A { Object f(Future<Void> requestFuture) { return requestFuture.get(1, MINUTES); } }")
    assert EXTRACTOR.prefilter(b"class A { DeferredResult<String> poll() { return new DeferredResult<>(30000L); } }")


def test_same_file_constants_are_settled_by_the_extractor():
    result = EXTRACTOR.extract("src/C.java", b"""class C {
  static final int READ_MS = 1200;
  static final int TRIES = 4;
  @Value("${risk.timeout-ms:700}") private int injected;
  void m(Props props) {
    factory.setReadTimeout(READ_MS);
    factory.setConnectTimeout(props.getConnectTimeout());
    factory.setReadTimeout(injected);
    for (int attempt = 0; attempt < TRIES; attempt++) { try { call(); } catch (Exception e) {} }
  }
}""")
    got = {(f.kind, f.line, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.attributes.get("resolved_from"), f.confidence, len(f.pending)) for f in result.findings}
    assert got == {
        ("timeout", 6, 1200, "constant", "high", 0),
        # a getter of a typed parameter: Props.connectTimeout, the field default Props's file publishes
        ("timeout", 7, None, "unresolved", "medium", 1),
        ("timeout", 8, 700, "env_default", "medium", 1),  # kept pending: a deployment may set the variable
        ("retry", 9, 4, None, "high", 0),
    }


def test_resilience4j_instances_resolve_from_config_and_configs_default():
    """Registry lookups by a constant name and annotations on an instance named only in code
    take their numbers from Spring config: the instance's own settings, else configs.default."""
    from extractors.spring.extractor import EXTRACTOR as SPRING
    from tests.extractors.java.support import FIXTURES, extract_file

    folder = FIXTURES / "java" / "resilience4j"
    results = [extract_file(EXTRACTOR, folder / "BackendService.java"), extract_file(SPRING, folder / "application.yml")]
    got = {(f.kind, f.line, f.attributes.get("max_attempts", f.attributes.get("timeout_ms")), f.attributes["instance"])
           for f in resolve(results) if f.kind in ("retry", "timeout")}
    assert got == {("retry", 20, 4, "backendA"), ("timeout", 21, 750, "backendA"),
                   ("retry", 25, 4, "backendC"), ("timeout", 30, 2000, "backendC")}


def test_configuration_properties_fields_resolve_from_config_then_their_default():
    """A getter of a @ConfigurationProperties class read through a typed field: the property when
    the service's config sets it, else the field's default; a field without default needs the config."""
    from extractors.spring.extractor import EXTRACTOR as SPRING
    props = EXTRACTOR.extract("src/RestProperties.java", b"""
@ConfigurationProperties(prefix = "app.rest")
public class RestProperties {
    private int readTimeout = 35000;
    private int connectTimeout = 10000;
    private Integer writeTimeout;
    public int getReadTimeout() { return readTimeout; }
}
""")
    client = EXTRACTOR.extract("src/RestConfig.java", b"""
class RestConfig {
    private final RestProperties restProperties;
    RequestConfig requestConfig() {
        int connectTimeout = 1; // a local of the same name is not the field
        return RequestConfig.custom()
            .setSocketTimeout(restProperties.getReadTimeout())
            .setConnectTimeout(restProperties.getConnectTimeout())
            .setConnectionRequestTimeout(restProperties.getWriteTimeout())
            .build();
    }
}
""")
    config = SPRING.extract("src/application.properties", b"app.rest.connect-timeout=2500\n")
    got = {(f.line, f.attributes["timeout_ms"]) for f in resolve([props, client, config])
           if f.path == "src/RestConfig.java"}
    assert got == {(7, 35000), (8, 2500), (9, None)}
