"""Helpers shared by the scan-level extractor tests (Kubernetes, Terraform): write a small tree of
files, scan it with the real pipeline, and list the timeouts and retries found."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative name -> text) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def contracts(root: Path) -> set[tuple]:
    """(path, line, kind, value) of every timeout (ms) and retry (max attempts) a scan of ``root`` reports."""
    out = set()
    for f in scan(root).findings:
        if f.kind == "timeout":
            out.add((f.path, f.line, "timeout", f.attributes["timeout_ms"]))
        elif f.kind == "retry":
            out.add((f.path, f.line, "retry", f.attributes["max_attempts"]))
    return out


def contracts_with_phase(root: Path) -> set[tuple]:
    """As ``contracts``, with the timeout's phase last (None for a retry)."""
    out = set()
    for f in scan(root).findings:
        if f.kind == "timeout":
            out.add((f.path, f.line, "timeout", f.attributes["timeout_ms"], f.attributes.get("phase")))
        elif f.kind == "retry":
            out.add((f.path, f.line, "retry", f.attributes["max_attempts"], None))
    return out


def found(root: Path) -> list[tuple]:
    """(path, line, kind, phase, value) of every timeout and retry, sorted."""
    out = []
    for f in scan(root).findings:
        if f.kind == "timeout":
            out.append((f.path, f.line, "timeout", f.attributes.get("phase"), f.attributes["timeout_ms"]))
        elif f.kind == "retry":
            out.append((f.path, f.line, "retry", None, f.attributes["max_attempts"]))
    return sorted(out, key=lambda c: (c[0], c[1], c[2], str(c[3])))
