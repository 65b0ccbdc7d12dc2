"""``scan --format yaml`` (and ``--format contracts``): the inferred contracts, one YAML document per
service, in the contract-file shape of SPEC.md section 3, ready for ``check --peers``."""

from __future__ import annotations

import yaml

from contract_discovery.model import ScanResult
from contract_discovery.reports.scan_json import contract_dicts

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render(result: ScanResult) -> str:
    docs = contract_dicts(result)
    if not docs:
        docs = [{"service": s.name} for s in result.services]
    header = "# Inferred by contract-discovery from the code; x-evidence gives each value's source.\n"
    body = yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                         explicit_start=True)
    return header + body
