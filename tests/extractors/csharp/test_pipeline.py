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
    assert symbols == {"SearchOptions.TimeoutQuery": Num(5000.0), "SearchOptions.MailTimeout": Num(3000.0)}
