"""Helpers for the C# round tests: scan a tiny project (one .csproj and the given files) and list its
timeouts and retries; find a line by its ``// marker`` comment."""

from __future__ import annotations

import re
from pathlib import Path

from contract_discovery.pipeline import scan

CSPROJ = '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n'


def contracts(root: Path, files: dict[str, str]):
    """(file name, line, kind, timeout_ms or max_attempts) of every timeout and retry a scan reports."""
    (root / "App.csproj").write_text(CSPROJ)
    for name, body in files.items():
        (root / name).write_text(body)
    result = scan(root, jobs=1, cache_dir=root / ".cache")
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                    f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                   for f in result.findings if f.kind in ("timeout", "retry")), key=repr)


def marker_line(source: str, marker: str) -> int:
    """The line holding ``// <marker>``."""
    for number, line in enumerate(source.splitlines(), 1):
        if re.search(r"//\s*" + re.escape(marker) + r"\b", line):
            return number
    raise AssertionError(marker)
