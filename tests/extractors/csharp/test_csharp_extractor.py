"""C# extractor behaviour beyond the fixtures: queries compile, detector examples, value
translation, symbols, parse errors, robustness, exact findings for small snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from contract_discovery.model import FileResult
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str
from extractors import treesitter as ts
from extractors.base import DETECTORS
from extractors.csharp import syntax
from extractors.csharp.extractor import EXTRACTOR

QUERY_DIR = Path(__file__).resolve().parents[3] / "extractors" / "csharp" / "queries"


@pytest.mark.parametrize("scm", sorted(QUERY_DIR.glob("*.scm")), ids=lambda p: p.name)
def test_query_compiles(scm):
    assert ts.load_query("c_sharp", str(scm)).pattern_count > 0


def test_there_are_queries():
    assert {p.name for p in QUERY_DIR.glob("*.scm")} >= {"invocations.scm", "assignments.scm", "creations.scm",
                                                         "constants.scm", "ids.scm", "loops.scm"}


def _detectors():
    return sorted((d for d in DETECTORS.values() if d.language == "csharp"), key=lambda d: d.id)


def test_every_detector_is_registered_with_docs_and_examples():
    assert {d.id for d in _detectors()} == {"csharp.http_client", "csharp.polly", "csharp.standard_resilience",
                                            "csharp.cancellation", "csharp.retry_loop", "csharp.new_id_per_attempt",
                                            "csharp.ef_core", "csharp.timeout_option", "csharp.job_retry",
                                            "csharp.loop_deadline", "csharp.retry_option", "csharp.wrapper_call",
                                            "csharp.library_options", "csharp.idempotency"}
    for info in _detectors():
        assert info.valid and info.invalid, info.id
        assert "What it does" in info.doc and "Why it matters" in info.doc, info.id


def _wrap(snippet: str) -> bytes:
    as_method = f"class T {{ async Task M() {{ {snippet} }} }}".encode()
    if ts.first_error(ts.parse("c_sharp", as_method)) is None:
        return as_method
    return f"class T {{ {snippet} }}".encode()


@pytest.mark.parametrize("info", _detectors(), ids=lambda d: d.id)
def test_detector_examples(info):
    for example in info.valid:
        found = [f for f in EXTRACTOR.extract("T.cs", _wrap(example)).findings if f.detector == info.id]
        assert found == [], (example, found)
    for example in info.invalid:
        found = [f for f in EXTRACTOR.extract("T.cs", _wrap(example)).findings if f.detector == info.id]
        assert found and {f.kind for f in found} <= set(info.kinds), example


def _value(source: str, duration: bool = True):
    tree = ts.parse("c_sharp", f"class T {{ object x = {source}; }}".encode())
    declarator = next(n for n in ts.walk(tree.root_node) if n.type == "variable_declarator")
    value = declarator.named_children[-1]
    return syntax.duration_ms(value) if duration else syntax.number(value)


@pytest.mark.parametrize("source, expected", [
    ("TimeSpan.FromSeconds(5)", Num(5000.0)),
    ("TimeSpan.FromMilliseconds(250)", Num(250.0)),
    ("TimeSpan.FromMinutes(2)", Num(120000.0)),
    ("new TimeSpan(0, 0, 5)", Num(5000.0)),
    ("new TimeSpan(1, 0, 0, 0)", Num(86400000.0)),
    ("TimeSpan.FromSeconds(TimeoutSeconds)", BinOp("*", Ref("TimeoutSeconds"), Num(1000.0))),
    ("Settings.Budget", Ref("Settings.Budget")),
    ("TimeSpan.FromSeconds(2) * 3", Num(6000.0)),
    ("TimeSpan.Zero", Num(0.0)),
])
def test_durations_in_ms(source, expected):
    assert _value(source) == expected


def test_infinite_timespan():
    assert _value("Timeout.InfiniteTimeSpan") is syntax.INFINITE


@pytest.mark.parametrize("source, expected", [
    ("5", Num(5.0)),
    ("1_000L", Num(1000.0)),
    ("0.5d", Num(0.5)),
    ('Environment.GetEnvironmentVariable("X")', Env("X")),
    ('int.Parse(Environment.GetEnvironmentVariable("X") ?? "5")', Call("int", (Env("X", Str("5")),))),
    ('configuration.GetValue<int>("Risk:TimeoutSeconds", 5)', Call("coalesce", (Ref("Risk:TimeoutSeconds"), Num(5.0)))),
    ('configuration.GetValue<int>("Risk:TimeoutSeconds")', Ref("Risk:TimeoutSeconds")),
    ("(int)Retries", Ref("Retries")),
])
def test_numbers(source, expected):
    assert _value(source, duration=False) == expected


def test_symbols_and_module():
    result = EXTRACTOR.extract("Settings.cs", b"""
namespace Ledger.Settings
{
    public static class Limits
    {
        public const int Retries = 3;
        public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);
        public const string Url = "http://risk";
        public static int Mutable = 4;
        private readonly int _instance = 2;
        private readonly TimeSpan _wait = TimeSpan.FromMinutes(5);
        private readonly int _set = 1;
        private readonly string _name = "x";
        public Limits(int set) { _set = set; }
    }
}
""")
    assert result.module == "Ledger.Settings"
    # a readonly instance field never set again (not even in a constructor) holds one value: its
    # bare name only; `_set` is set in the constructor, `Mutable` is not readonly
    assert result.symbols == {"Retries": Num(3.0), "Limits.Retries": Num(3.0), "Budget": Num(500.0),
                              "Limits.Budget": Num(500.0), "Url": Str("http://risk"), "Limits.Url": Str("http://risk"),
                              "_instance": Num(2.0), "_wait": Num(300000.0)}


def reported(result) -> list:
    """The findings a scan reports: not the helper-call proposals (``csharp.wrapper_call`` findings
    kept only when a helper publishes the parameter: tested in test_wrapper_call.py)."""
    return [f for f in result.findings if not any(p.attribute == KEEP_IF for p in f.pending)]


def findings(source: str, *keys: str) -> set:
    result = EXTRACTOR.extract("T.cs", _wrap(source))
    return {(f.kind, *(f.attributes.get(k) for k in keys)) for f in reported(result)}


def test_polly_int_timeout_is_seconds_and_pending_scales():
    result = EXTRACTOR.extract("T.cs", _wrap("var t = Policy.TimeoutAsync(TimeoutSeconds);"))
    (finding,) = result.findings
    assert finding.attributes["timeout_ms"] is None
    assert [(p.attribute, p.expr, p.scale) for p in finding.pending] == [("timeout_ms", Ref("TimeoutSeconds"), 1000.0)]


def test_standard_resilience_defaults_without_options():
    got = findings('services.AddHttpClient("risk").AddStandardResilienceHandler();',
                   "timeout_ms", "phase", "resolved_from", "max_attempts")
    assert got == {
        ("timeout", 10000, "per_try", "library_default", None),
        ("timeout", 30000, "total", "library_default", None),
        ("retry", None, None, None, 4),
        ("circuit_breaker", None, None, None, None),
    }


def test_standard_resilience_from_configuration_is_not_guessed():
    assert findings('services.AddHttpClient("risk").AddStandardResilienceHandler(config.GetSection("Risk"));') == set()


def test_standard_resilience_configure_chain():
    got = findings('services.AddHttpClient("risk").AddStandardResilienceHandler().Configure(o => { '
                   'o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(4); o.Retry.BackoffType = DelayBackoffType.Constant; });',
                   "timeout_ms", "phase", "backoff")
    assert ("timeout", 4000, "total", None) in got and ("retry", None, None, "fixed") in got


def test_traps_yield_nothing():
    source = """
// client.Timeout = TimeSpan.FromSeconds(5); retry 3 times
var text = "Timeout = TimeSpan.FromSeconds(5), RetryAsync(3)";
var retry = 3;
var id = Guid.NewGuid();
foreach (var item in items) { try { Send(item, id); return; } catch (Exception) { } }
"""
    assert findings(source) == set()


def test_parse_error_keeps_intact_findings():
    result = EXTRACTOR.extract("Bad.cs", b"class A { void M(HttpClient http) { http.Timeout = TimeSpan.FromSeconds(2); } void N( ((( }")
    assert [e.kind for e in result.errors] == ["parse_error"]
    assert {(f.kind, f.attributes.get("timeout_ms")) for f in result.findings} == {("timeout", 2000)}


def test_prefilter():
    assert not EXTRACTOR.prefilter(b"public record Order(string Id);")
    assert EXTRACTOR.prefilter(b"var c = new HttpClient();")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_never_raises_on_arbitrary_bytes(data):
    assert isinstance(EXTRACTOR.extract("Fuzz.cs", data), FileResult)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "for (var a = 0; a < 3; a++) {", "try {", "return await http.GetAsync(u);", "} catch (Exception) {",
    "if (++a >= 3) throw;", "}", "Guid.NewGuid()", "Policy.Handle<E>().WaitAndRetryAsync(3, x => TimeSpan.FromSeconds(x))",
    "http.Timeout = TimeSpan.FromSeconds(", ")", ";", "new CancellationTokenSource(", "while (true) {", "\n",
]), max_size=30))
def test_never_raises_on_csharp_like_soup(parts):
    result = EXTRACTOR.extract("Soup.cs", ("class S { async Task M() {" + "\n".join(parts) + "} }").encode())
    assert isinstance(result, FileResult)
    assert all(e.kind == "parse_error" for e in result.errors)


def test_deep_chains_and_expressions_do_not_hit_the_recursion_limit():
    source = (b"class A { void M() { var x = y" + b".a" * 3000 + b".GetAsync(\"/x\");\n"
              b"http.Timeout = TimeSpan.FromSeconds(" + b"1 + " * 2000 + b"1); } }")
    result = EXTRACTOR.extract("Deep.cs", source)
    assert result.errors == ()
    assert [(f.kind, f.line) for f in reported(result)] == [("timeout", 2)]


def test_loop_bound_named_by_both_condition_and_guard_waits_on_the_constant():
    """``retry < Max`` in the loop and ``retry == Max - 1`` in the catch: one bound, the constant."""
    from contract_discovery.model import Pending
    from contract_discovery.values import Ref
    source = (b"class J { const int Max = 10; async Task Run() {\n"
              b"for (var retry = 0; retry < Max; retry++) {\n"
              b"  try { await Schedule(); break; }\n"
              b"  catch (Exception) { if (retry == Max - 1) { throw; } } } } }\n")
    retries = [f for f in EXTRACTOR.extract("j.cs", source).findings if f.kind == "retry"]
    assert [(f.line, f.attributes["max_attempts"], f.pending) for f in retries] == [
        (2, None, (Pending("max_attempts", Ref("Max"), 1.0),))]


def _pending_names(source: str) -> list[str]:
    from contract_discovery.values import ref_names

    found = EXTRACTOR.extract("T.cs", source.encode()).findings
    return sorted(name for f in found if f.kind == "timeout" for p in f.pending for name in ref_names(p.expr))


def test_an_options_name_takes_its_declared_type():
    typed = ("class S { S(IOptions<MailOptions> cfg) { _c = cfg; }\n"
             "  async Task Run() { using var cts = new CancellationTokenSource(cfg.Value.Timeout); await Send(cts.Token); } }\n")
    assert _pending_names(typed) == ["MailOptions.Timeout"]
    undeclared = "class S { async Task Run() { using var cts = new CancellationTokenSource(cfg.Timeout); await Send(cts.Token); } }\n"
    assert _pending_names(undeclared) == ["cfg.Timeout"]
    ambiguous = ("class S { private readonly MailOptions cfg; void A(SmsOptions cfg) {}\n"
                 "  async Task Run() { using var cts = new CancellationTokenSource(cfg.Timeout); await Send(cts.Token); } }\n")
    assert _pending_names(ambiguous) == ["cfg.Timeout"]
