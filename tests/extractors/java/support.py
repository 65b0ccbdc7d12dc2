"""Test support shared by the JVM extractor tests: run an extractor over fixture files and
settle pending values with the pipeline's resolver (own symbols, imports, same module, then any
file's symbols by exact dotted name), so annotations can state resolved values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from contract_discovery.model import FileResult, Finding, Target
from contract_discovery.values import evaluate, normalise_ms

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"


def extract_file(extractor, path: Path) -> FileResult:
    return extractor.extract(path.relative_to(ROOT).as_posix(), path.read_bytes())


def resolve(results: list[FileResult]) -> list[Finding]:
    """Every finding of ``results`` with its pending values settled by the core resolver (the
    pipeline's own), or by the local stand-in below when the core one is unavailable."""
    try:
        from contract_discovery.resolve import Resolver, ServiceIndex, resolve_finding
    except ImportError:  # pragma: no cover - the core resolver is part of the package
        return resolve_locally(results)
    from contract_discovery.resolve import KEEP_IF, resolve_findings

    resolver, index = Resolver(results), ServiceIndex([])
    out: list[Finding] = []
    for r in results:
        for f in r.findings:
            if any(p.attribute == KEEP_IF for p in f.pending):
                # a proposal (a call of another file's helper): kept when these files confirm it, else
                # dropped, as the pipeline does
                out.extend(resolve_findings(f, r, resolver, index))
            else:
                out.append(resolve_finding(f, r, resolver, index))
    return out


def resolve_locally(results: list[FileResult]) -> list[Finding]:
    """Every finding of ``results`` with its pending values settled against all of them."""
    by_module: dict[str, list[FileResult]] = {}
    for r in results:
        if r.module:
            by_module.setdefault(r.module, []).append(r)
    global_symbols: dict[str, tuple] = {}
    for r in results:
        for name, expr in r.symbols.items():
            global_symbols.setdefault(name, (expr, "config" if r.language == "spring" else "constant"))

    out: list[Finding] = []
    for r in results:
        def lookup(name: str, r=r):
            if name in r.symbols:
                return r.symbols[name], "constant"
            qualified = r.imports.get(name.split(".")[0])
            if qualified:
                full = qualified + name[len(name.split(".")[0]):]
                for module, files in by_module.items():
                    if full.startswith(module + "."):
                        rest = full[len(module) + 1:]
                        for f in files:
                            if rest in f.symbols:
                                return f.symbols[rest], "constant"
            for f in by_module.get(r.module or "", []):
                if name in f.symbols:
                    return f.symbols[name], "constant"
            return global_symbols.get(name)

        for finding in r.findings:
            out.append(_settle(finding, lookup))
    return out


def _settle(finding: Finding, lookup) -> Finding:
    if not finding.pending:
        return finding
    attrs = dict(finding.attributes)
    target = finding.target
    for p in finding.pending:
        result = evaluate(p.expr, lookup)
        if result.value is None:
            continue
        if p.attribute == "url":
            target = Target(service=target.service if target else None, url=str(result.value))
            continue
        if p.scale is None:
            attrs[p.attribute] = result.value
            continue
        value = normalise_ms(float(result.value) * p.scale)
        attrs[p.attribute] = value
        if p.attribute == "timeout_ms":
            attrs["resolved_from"] = result.resolved_from
    return dataclasses.replace(finding, attributes=attrs, target=target, pending=())
