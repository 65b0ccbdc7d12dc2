"""The check run: scan, load contracts (declared, peers, decisions), merge, run every rule, then
apply per-rule severity overrides, recorded decisions, inline suppressions and the baseline.

``run_check`` returns a ``CheckReport``; the reporters render it, the command turns it into an
exit code. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from contract_discovery.checks.base import RULES, Context, Rule, all_rules, iter_rules
from contract_discovery.checks.suppress import is_suppressed
from contract_discovery.contracts.decisions import Decision, load_decisions
from contract_discovery.contracts.infer import infer_contracts
from contract_discovery.contracts.loader import LoadedContracts, load_declared, load_peers
from contract_discovery.contracts.merge import Merge, merge_contracts
from contract_discovery.contracts.model import Contract
from contract_discovery.contracts.names import norm
from contract_discovery.contracts.yamlload import YamlIssue
from contract_discovery.model import CheckResult, ErrorEntry, Finding

STATUS_ORDER = {"BLOCKS_INTEGRATION": 0, "DECISION_REQUIRED": 1, "WARNING": 2, "INFO": 3}
FAIL_ON = {
    "blocks": {"BLOCKS_INTEGRATION"},
    "decision": {"BLOCKS_INTEGRATION", "DECISION_REQUIRED"},
    "warning": {"BLOCKS_INTEGRATION", "DECISION_REQUIRED", "WARNING"},
    "info": {"BLOCKS_INTEGRATION", "DECISION_REQUIRED", "WARNING", "INFO"},
    "never": set(),
}
_SEVERITY_WORDS = {
    "blocks_integration": "BLOCKS_INTEGRATION", "blocks": "BLOCKS_INTEGRATION", "block": "BLOCKS_INTEGRATION",
    "error": "BLOCKS_INTEGRATION",
    "warning": "WARNING", "warn": "WARNING",
    "decision_required": "DECISION_REQUIRED", "decision": "DECISION_REQUIRED",
    "info": "INFO", "note": "INFO",
    "off": "off", "ignore": "off", "disabled": "off", "none": "off", "false": "off",
}


class ConfigProblem(ValueError):
    """The config's ``rules:`` section is invalid (the command turns this into exit 2)."""


@dataclass(frozen=True)
class Suppressed:
    result: CheckResult
    reason: str  # inline / baseline


@dataclass
class CheckReport:
    root: str
    results: list[CheckResult] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    issues: list[YamlIssue] = field(default_factory=list)  # contract / peer / decisions problems
    scan_errors: list[ErrorEntry] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    contract_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        """A contract (or peer or decisions file) could not be read fully: some checks did not run."""
        return bool(self.issues)

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUS_ORDER}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        return counts

    def failing(self, fail_on: str) -> list[CheckResult]:
        statuses = FAIL_ON.get(fail_on, FAIL_ON["blocks"])
        return [r for r in self.results if r.status in statuses]

    def rules(self) -> list[Rule]:
        return list(iter_rules())


def parse_overrides(raw: Mapping[str, Any] | None) -> dict[str, str]:
    """``rules: {latency-budget: {severity: WARNING}, missing-timeout: off}`` -> {rule: status|off}."""
    list(iter_rules())
    out: dict[str, str] = {}
    if not raw:
        return out
    if not isinstance(raw, Mapping):
        raise ConfigProblem("'rules' must be a mapping of rule id to settings")
    for rule_id, setting in raw.items():
        if isinstance(setting, Mapping):
            if setting.get("enabled") is False:
                out[str(rule_id)] = "off"
                continue
            value = setting.get("severity", setting.get("status"))
        else:
            value = setting
        if value is None:
            continue
        word = _SEVERITY_WORDS.get(str(value).strip().lower())
        if word is None:
            raise ConfigProblem(f"rules.{rule_id}.severity: unknown severity {value!r} "
                                f"(use BLOCKS_INTEGRATION, DECISION_REQUIRED, WARNING, INFO or off)")
        known = {r.id for r in all_rules()}
        if str(rule_id) not in known:
            raise ConfigProblem(f"rules.{rule_id}: unknown rule id (known: {', '.join(sorted(known))})")
        out[str(rule_id)] = word
    return out


def run_rules(merge: Merge, findings: Iterable[Finding] = (), aliases: Mapping[str, str] | None = None,
              failures: list[str] | None = None) -> list[CheckResult]:
    """Every registered rule over the merged contracts, then the infra checks if installed. A rule
    that fails is reported in ``failures`` (the run is then incomplete); the others still run."""
    ctx = Context(merge, list(findings), dict(aliases or {}))
    results: list[CheckResult] = []
    runners: list[tuple[str, Callable[[], Iterable[CheckResult]]]] = [
        (rule.id, (lambda rule=rule: rule.func(ctx))) for rule in iter_rules()]
    try:
        from contract_discovery.checks.infra import infra_checks  # written by another module owner
    except ImportError:
        infra_checks = None
    if infra_checks is not None:
        declared = {name: str(m.get("idempotency_key")) for name, view in ctx.views.items()
                    for m in view.section("operations") if m.get("idempotency_key")}
        runners.append(("infra", lambda: infra_checks(list(ctx.findings), declared)))
    for name, runner in runners:
        try:
            results.extend(runner())
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            if os.environ.get("CONTRACT_DISCOVERY_DEBUG") == "1":
                raise
            if failures is not None:
                failures.append(f"rule {name} failed: {type(exc).__name__}: {exc}")
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in results:
        if (r.rule, r.fingerprint) in seen and r.fingerprint:
            continue
        seen.add((r.rule, r.fingerprint))
        unique.append(r)
    return sort_results(unique)


def sort_results(results: Iterable[CheckResult]) -> list[CheckResult]:
    order = {r.id: r.order for r in RULES.values()}
    return sorted(results, key=lambda r: (STATUS_ORDER.get(r.status, 9), order.get(r.rule, 99), r.rule,
                                          r.consumer or "", r.provider or "", r.fingerprint))


def apply_policies(results: Iterable[CheckResult], overrides: Mapping[str, str] | None = None,
                   decisions: Iterable[Decision] = (), today: dt.date | None = None,
                   suppressions: Mapping[str, Mapping[int, frozenset[str]]] | None = None,
                   baseline: set[str] | None = None) -> tuple[list[CheckResult], list[Suppressed]]:
    today = today or dt.date.today()
    decisions = list(decisions)
    active: list[CheckResult] = []
    hidden: list[Suppressed] = []
    for r in results:
        override = (overrides or {}).get(r.rule)
        if override == "off":
            continue
        if override:
            r = dataclasses.replace(r, status=override, details={**r.details, "severity_override": override})
        for decision in decisions:
            if decision.matches(r.rule, r.consumer, r.provider, r.fingerprint):
                if decision.active(today):
                    r = dataclasses.replace(
                        r, status="INFO", action=f"Decided ({decision.date}, {decision.owner}): {decision.decision}",
                        details={**r.details, "decision": decision.to_json(), "status_without_decision": r.status},
                        locations=r.locations + ((decision.location,) if decision.location else ()))
                else:
                    r = dataclasses.replace(r, details={**r.details, "decision_expired": decision.to_json()},
                                            action=r.action + f" (the decision of {decision.date} expired on "
                                                              f"{decision.expires.isoformat() if decision.expires else '?'})")
                break
        if suppressions and is_suppressed(r.rule, r.locations, suppressions):
            hidden.append(Suppressed(r, "inline"))
            continue
        if baseline and r.fingerprint in baseline:
            hidden.append(Suppressed(r, "baseline"))
            continue
        active.append(r)
    return sort_results(active), hidden


def _aliases(services: Iterable[Any], declared: LoadedContracts) -> dict[str, str]:
    """Scanned service name -> the name its contract uses (``checkout-service`` -> ``checkout``)."""
    out: dict[str, str] = {}
    names = set(declared.contracts)
    for service in services:
        name = getattr(service, "name", None)
        path = getattr(service, "path", None)
        if not name or name in names:
            continue
        if path is not None and path in declared.service_dirs:
            out[name] = declared.service_dirs[path]
            continue
        for contract_name in names:
            if norm(contract_name) == norm(name):
                out[name] = contract_name
    return out


ScanFn = Callable[..., Any]
_COMMENT_STARTS = ("#", "//", "--", "/*", "*", ";", "<!--", "'")


def _own_line_comments_apply_below(root: Path, table: Mapping[str, Mapping[int, frozenset[str]]]
                                   ) -> dict[str, dict[int, frozenset[str]]]:
    """A suppression comment alone on its line covers the next code line too (the scan records
    the comment's own line)."""
    out: dict[str, dict[int, frozenset[str]]] = {}
    for path, lines in table.items():
        merged = {int(k): frozenset(v) for k, v in lines.items()}
        try:
            text = (Path(root) / path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            out[path] = merged
            continue
        for line, rules in list(merged.items()):
            if 1 <= line <= len(text) and text[line - 1].lstrip().startswith(_COMMENT_STARTS):
                below = line + 1
                while below <= len(text) and (not text[below - 1].strip()
                                              or text[below - 1].lstrip().startswith(_COMMENT_STARTS)):
                    below += 1
                if below <= len(text):
                    merged[below] = merged.get(below, frozenset()) | rules
        out[path] = merged
    return out


def run_check(root: Path, config: Any = None, peers: Iterable[Path] = (), baseline: set[str] | None = None,
              today: dt.date | None = None, scan_fn: ScanFn | None = None, jobs: int = 1,
              include_tests: bool = False) -> CheckReport:
    """The whole ``check``: never raises on bad contracts (they become issues); raises
    ``ConfigProblem`` for an invalid ``rules:`` section."""
    raw = getattr(config, "raw", None) or {}
    overrides = parse_overrides(raw.get("rules") if isinstance(raw, Mapping) else None)
    exclude = raw.get("exclude", []) if isinstance(raw, Mapping) else []
    report = CheckReport(root=str(root))
    scan = None
    if scan_fn is not None:
        scan = scan_fn(root, config=config, jobs=jobs, include_tests=False, quiet=True)
    services = list(getattr(scan, "services", ()) or ())
    findings = list(getattr(scan, "findings", ()) or ())
    report.scan_errors = list(getattr(scan, "errors", ()) or ())

    declared = load_declared(root, exclude if isinstance(exclude, list) else [], include_tests)
    peer = load_peers(list(peers), root) if peers else LoadedContracts()
    decisions, decision_issues, _ = load_decisions(root)
    report.issues = [*declared.issues, *peer.issues, *decision_issues]
    report.contract_files = [*declared.files, *peer.files]

    aliases = _aliases(services, declared)
    inferred_from_scan = [c for c in (getattr(scan, "contracts", ()) or ()) if isinstance(c, Contract)]
    inferred = list(inferred_from_scan or infer_contracts(services, findings))
    # A peer repository's export of what its code does joins the inferred side (this repository's
    # own code wins for a service both describe).
    local = {c.service for c in inferred}
    inferred.extend(c for name, c in sorted(peer.inferred.items()) if name not in local)
    merge = merge_contracts(declared.contracts, inferred, peer.contracts, aliases,
                            extra_services=[s.name for s in services])
    report.services = sorted(merge.views)
    failures: list[str] = []
    results = run_rules(merge, findings, aliases, failures)
    report.issues.extend(YamlIssue("(rules)", None, None, "", message, "rule_error") for message in failures)
    suppressions: dict[str, dict[int, frozenset[str]]] = {}
    code_table = _own_line_comments_apply_below(root, getattr(scan, "suppressions", None) or {})
    for table in (code_table, declared.suppressions):
        for path, lines in table.items():
            merged = suppressions.setdefault(path, {})
            for line, rules in lines.items():
                merged[line] = merged.get(line, frozenset()) | frozenset(rules)
    report.results, report.suppressed = apply_policies(results, overrides, decisions, today, suppressions, baseline)
    return report


def run_checks(root: Path, scan_result: Any, config: Any = None, peers: Iterable[Path] = (),
               today: dt.date | None = None) -> CheckReport:
    """The check over an existing scan result (for ``drift`` and other reports)."""
    return run_check(Path(root), config=config, peers=peers, today=today,
                     scan_fn=lambda *args, **kwargs: scan_result)
