"""Finds the extractors: the ``contract_discovery.extractors`` entry-point group, one line per
language, so a third party can ship an extractor as its own package."""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import metadata

GROUP = "contract_discovery.extractors"

# Used when the package metadata is not installed (running from a source tree).
_BUILTIN = {
    "python": "extractors.python.extractor:EXTRACTOR",
    "javascript": "extractors.javascript.extractor:EXTRACTOR",
    "go": "extractors.go.extractor:EXTRACTOR",
    "java": "extractors.java.extractor:EXTRACTOR",
    "kotlin": "extractors.kotlin.extractor:EXTRACTOR",
    "ruby": "extractors.ruby.extractor:EXTRACTOR",
    "csharp": "extractors.csharp.extractor:EXTRACTOR",
    "terraform": "extractors.terraform.extractor:EXTRACTOR",
    "kubernetes": "extractors.kubernetes.extractor:EXTRACTOR",
    "spring": "extractors.spring.extractor:EXTRACTOR",
}


def _load(spec: str):
    module_name, _, attr = spec.partition(":")
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


@lru_cache(maxsize=1)
def extractors() -> tuple:
    """All extractors, sorted by name. One that fails to import is reported on stderr and skipped."""
    specs = {ep.name: ep.value for ep in metadata.entry_points(group=GROUP)}
    for name, spec in _BUILTIN.items():
        specs.setdefault(name, spec)
    found = []
    for name in sorted(specs):
        try:
            found.append(_load(specs[name]))
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the scan
            sys.stderr.write(f"contract-discovery: warning: extractor {name!r} failed to load: {exc}\n")
    return tuple(found)


def extractors_for(relpath: str) -> list:
    return [e for e in extractors() if e.claims(relpath)]
