"""The ledger service through the core pipeline: values from a static settings class resolve
across files, the payment client's base address comes from an env default."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from tests.extractors.ruby.support import FIXTURES


def _by(result, suffix):
    return {(f.kind, f.line, f.attributes.get("phase")): f for f in result.findings if f.path.endswith(suffix)}


def test_ledger_service_resolves_through_the_pipeline():
    result = scan(FIXTURES / "polyglot" / "ledger")
    program = _by(result, "Program.cs")
    payment = program[("timeout", 11, "total")]
    assert (payment.attributes["timeout_ms"], payment.attributes["resolved_from"]) == (3000, "constant")
    assert payment.target is not None and payment.target.url == "http://payment:8080"
    job = _by(result, "Jobs/ReconciliationJob.cs")
    assert job[("retry", 16, None)].attributes["max_attempts"] == 4


def test_options_class_defaults_resolve_where_a_call_uses_them():
    # `options.TimeoutQuery` in the service is `SearchOptions.TimeoutQuery` (the field's declared type),
    # whose default the options class in another file and namespace sets.
    result = scan(FIXTURES / "csharp" / "options")
    service = _by(result, "SearchService.cs")
    assert {(line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
            for (kind, line, _), f in service.items() if kind == "timeout"} == {(13, 5000, "constant"),
                                                                                (26, 3000, "constant")}


def test_options_class_defaults_are_symbols_under_the_class_name_only():
    from contract_discovery.values import Num
    from extractors.csharp.extractor import EXTRACTOR

    path = FIXTURES / "csharp" / "options" / "SearchOptions.cs"
    symbols = EXTRACTOR.extract("SearchOptions.cs", path.read_bytes()).symbols
    assert {k: v for k, v in symbols.items() if "$" not in k} == \
        {"SearchOptions.TimeoutQuery": Num(5000.0), "SearchOptions.MailTimeout": Num(3000.0)}
    # the class's *Timeout members, for new SearchOptions { MailTimeout = .. } elsewhere (timeout_option)
    assert {k for k in symbols if "$" in k} == {"SearchOptions.$declares:MailTimeout", "SearchOptions.$declares:Timeout"}


def test_settings_reached_through_constructor_fields_di_locals_and_ticks():
    # `_indexingTimeout = configuration.Value.TimeoutQuery` in the constructor, a local from
    # `GetRequiredService<IOptionsSnapshot<SearchOptions>>()`, and `FromTicks(x.Ticks * 2)`: all read
    # SearchOptions.TimeoutQuery (5 s) from the options class in another file.
    result = scan(FIXTURES / "csharp" / "options")
    job = _by(result, "IndexerJob.cs")
    assert {(line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
            for (kind, line, _), f in job.items() if kind == "timeout"} == {(23, 5000, "constant"),
                                                                            (35, 5000, "constant"),
                                                                            (43, 10000, "constant")}


def test_a_readonly_timespan_field_resolves_in_seconds_and_as_a_timespan(tmp_path):
    # `private readonly TimeSpan _commandTimeout = TimeSpan.FromMinutes(5)` never set again: 300 s both as
    # a helper's TimeSpan argument and as `(int)_commandTimeout.TotalSeconds`; the line that only forwards
    # its `seconds` parameter is not reported (the $forwarder convention).
    (tmp_path / "Keys.csproj").write_text("<Project />")
    (tmp_path / "EfCore.cs").write_bytes((FIXTURES / "csharp" / "EfCore.cs").read_bytes())
    result = scan(tmp_path)
    start = (FIXTURES / "csharp" / "EfCore.cs").read_text().splitlines().index("public class DeleteExpiredKeys") + 1
    lines = {f.line - start: f.attributes["timeout_ms"] for f in result.findings
             if f.kind == "timeout" and f.path.endswith("EfCore.cs") and start < f.line < start + 16}
    assert lines == {8: 300000, 10: 300000}


def test_a_bound_chosen_by_a_condition_takes_the_configured_branch(tmp_path):
    # `if (retries >= (clientError ? 1 : MaxAuthorizationRetries)) throw;` with MaxAuthorizationRetries = 5:
    # server errors are tried 6 times (retries 0..5 before the throw); the literal 1 is the special case.
    (tmp_path / "Mail.csproj").write_text("<Project />")
    source = (FIXTURES / "csharp" / "FlagLoops.cs").read_text()
    (tmp_path / "FlagLoops.cs").write_text(source)
    line = source.splitlines().index("    public async Task<string> Token(HttpRequestMessage request)") + 4
    result = scan(tmp_path)
    retry = next(f for f in result.findings if f.kind == "retry" and f.line == line)
    assert retry.attributes["max_attempts"] == 6


def test_counted_answer_loops_resolve_their_file_constant(tmp_path):
    # `(i < MaxTries) && (response == null)` and `i < maxTries` (a parameter defaulting to MaxTries = 5):
    # five sends each; the recursions bounded by a parameter stay unknown.
    (tmp_path / "Web.csproj").write_text("<Project />")
    source = (FIXTURES / "csharp" / "AnswerLoops.cs").read_text()
    (tmp_path / "AnswerLoops.cs").write_text(source)
    lines = source.splitlines()
    result = scan(tmp_path)
    got = {lines[f.line - 1].strip().split(" //")[0]: f.attributes["max_attempts"]
           for f in result.findings if f.kind == "retry"}
    assert got == {
        "for (byte i = 0; i < maxTries; i++)": 5,
        "for (byte i = 0; (i < MaxTries) && (response == null); i++)": 5,
        "for (byte i = 0; (i < MaxTries) && (offers == null); i++)": 5,
        "return await GetWithSession(request, checkSessionPreemptively, maxTries, false);": 2,
        "return await GetWithSession(request, checkSessionPreemptively, maxTries, allowSessionRefresh);": None,
        "return await Unlock(service, code, --maxTries);": None,
    }


def test_a_timeout_property_of_the_services_own_class_that_nothing_applies_is_dropped(tmp_path):
    """``new MatchmakingQueue { SearchTimeout = .. }``: the service declares the class and never applies
    a ``SearchTimeout`` as a timeout (a game rule); ``new ClientOptions { RequestTimeout = .. }`` is applied
    by the client (kept); a library's options type is kept."""
    from contract_discovery.pipeline import scan

    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Svc.csproj").write_text('<Project Sdk="Microsoft.NET.Sdk"></Project>\n')
    (svc / "MatchmakingQueue.cs").write_text(
        "using System;\n\npublic class MatchmakingQueue\n{\n"
        "    public TimeSpan SearchTimeout { get; set; } = TimeSpan.MaxValue;\n"
        "    public bool Expired(DateTime start, DateTime now) => now - start > SearchTimeout;\n}\n")
    (svc / "ClientOptions.cs").write_text(
        "using System;\n\npublic class ClientOptions\n{\n"
        "    public TimeSpan RequestTimeout { get; set; }\n}\n")
    (svc / "PricingClient.cs").write_text(
        "using System.Net.Http;\n\npublic class PricingClient\n{\n"
        "    private readonly HttpClient _http = new();\n"
        "    public PricingClient(ClientOptions options)\n    {\n"
        "        _http.Timeout = options.RequestTimeout;\n    }\n}\n")
    (svc / "Startup.cs").write_text(
        "using System;\n\npublic class Startup\n{\n"
        "    public void Configure()\n    {\n"
        "        var queue = new MatchmakingQueue { SearchTimeout = TimeSpan.FromMinutes(5) };\n"
        "        var options = new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(3) };\n"
        "        var dns = new LookupClientOptions { Timeout = TimeSpan.FromSeconds(15) };\n"
        "    }\n}\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms")) for f in result.findings
                 if f.kind == "timeout" and f.detector == "csharp.timeout_option")
    assert got == [("Startup.cs", 8, 3000), ("Startup.cs", 9, 15000)]
