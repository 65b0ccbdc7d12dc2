"""Everything the adoption reports read: the scan, each service's declared and inferred contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_discovery.adoption.contracts import Declared, load_declared
from contract_discovery.adoption.inferred import index_findings, inferred_contracts
from contract_discovery.model import Finding, ScanResult


@dataclass
class State:
    root: Path
    result: ScanResult
    declared: dict[str, Declared]
    inferred: dict[str, dict]
    findings_at: dict[str, list[Finding]]
    config_raw: dict[str, Any] = field(default_factory=dict)
    config: Any = None  # contract_discovery.config.Config, for the checks' rule overrides

    @property
    def services(self) -> list[str]:
        return [s.name for s in self.result.services]


def build_state(root: Path, result: ScanResult, config_raw: dict[str, Any] | None = None, config: Any = None) -> State:
    declared = {s.name: load_declared(root, s.name, s.path) for s in result.services}
    return State(root, result, declared, inferred_contracts(result), index_findings(result), dict(config_raw or {}),
                 config)


def load_state(root: Path, config_path: Path | None, quiet: bool, include_tests: bool = False) -> State:
    from contract_discovery.commands.scan import run_scan

    config, result = run_scan(root, config_path, 1, include_tests, quiet, None, True)
    return build_state(root, result, getattr(config, "raw", {}) or {}, config)


def check_results(state: State) -> list[Any]:
    """The cross-service check results when the check engine is installed (else none)."""
    try:
        from contract_discovery.checks import engine  # type: ignore[attr-defined]
    except ImportError:
        return []
    runner = getattr(engine, "run_checks", None) or getattr(engine, "run", None)
    if runner is None:
        return []
    try:
        outcome = runner(state.root, state.result, config=state.config) if state.config is not None \
            else runner(state.root, state.result)
    except Exception as exc:  # noqa: BLE001 - reports stay useful without the checks
        import sys

        sys.stderr.write(f"contract-discovery: warning: check results left out of the report: "
                         f"{type(exc).__name__}: {exc}\n")
        return []
    results = getattr(outcome, "results", outcome)
    return list(results) if isinstance(results, (list, tuple)) else []
