"""Helpers for the Ruby extractor tests: extract fixture files, settle pending values the way
the pipeline will (every file's symbols of the service, by exact name)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.model import FileResult, Finding
from contract_discovery.values import evaluate, normalise_ms

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"


def extract_file(extractor, path: Path) -> FileResult:
    return extractor.extract(path.relative_to(ROOT).as_posix(), path.read_bytes())


def reported(findings) -> list[Finding]:
    """The findings a scan of this one file reports: proposals (a ``$keep_if`` pending only another
    file's symbols can make true: a helper call's value, a forwarder, an omitted default) left out."""
    return [f for f in findings if not any(p.attribute == "$keep_if" and evaluate(p.expr).value in (None, 0, False, "")
                                          for p in f.pending)]


def settle(finding: Finding, results: list[FileResult]) -> dict:
    """The finding's attributes with each numeric Pending evaluated against all files' symbols,
    plus ``url`` (the resolved string of a url Pending) and ``resolved_from``."""
    symbols: dict = {}
    for result in results:
        for name, expr in result.symbols.items():
            symbols.setdefault(name, expr)

    def lookup(name):
        return (symbols[name], "constant") if name in symbols else None

    attrs = dict(finding.attributes)
    for pending in finding.pending:
        value = evaluate(pending.expr, lookup)
        if pending.scale is None:
            attrs["resolved_" + pending.attribute] = value.value
            continue
        attrs[pending.attribute] = None if value.value is None else normalise_ms(float(value.value) * pending.scale)
        attrs["resolved_from"] = value.resolved_from
    return attrs


def settled_values(source: str, path: str = "app/x.rb") -> list[tuple]:
    """(line, kind, value) of the timeouts and retries a scan of ``source`` alone reports, their pending
    values settled: ``timeout_ms`` for a timeout, ``max_attempts`` for a retry."""
    from extractors.ruby.extractor import EXTRACTOR

    result = EXTRACTOR.extract(path, source.encode())
    out = []
    for f in reported(result.findings):
        if f.kind in ("timeout", "retry"):
            attrs = settle(f, [result])
            out.append((f.line, f.kind, attrs.get("timeout_ms") if f.kind == "timeout" else attrs.get("max_attempts")))
    return out
