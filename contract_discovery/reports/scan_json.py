"""``scan --format json``: exactly SPEC.md section 2."""

from __future__ import annotations

import json

from contract_discovery import __version__
from contract_discovery.model import ScanResult


def contract_dicts(result: ScanResult) -> list[dict]:
    try:
        from contract_discovery.contracts.infer import contract_to_dict
    except ImportError:
        return []
    return [contract_to_dict(c) for c in result.contracts]


def to_data(result: ScanResult) -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "contract-discovery", "version": __version__},
        "root": result.root,
        "services": [s.to_json() for s in result.services],
        "findings": [f.to_json() for f in result.findings],
        "contracts": contract_dicts(result),
        "errors": [e.to_json() for e in result.errors],
        "stats": result.stats.to_json(),
    }


def render(result: ScanResult) -> str:
    return json.dumps(to_data(result), indent=2, sort_keys=False, default=str) + "\n"
