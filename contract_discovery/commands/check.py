"""``check``: scan the code, load declared and peer contracts and recorded decisions, merge them and
run the cross-service rules. Exit 1 when a result is at or above ``--fail-on``; 2 when the tool
could not do its job or a contract file could not be read (the run is incomplete)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, OutputOpt, QuietOpt, ToolError, atomic_write, check_root, diag, emit


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    junit = "junit"
    html = "html"


class FailOn(str, Enum):
    blocks = "blocks"
    decision = "decision"
    warning = "warning"
    info = "info"
    never = "never"


def _only_touched(root: Path, report, scan_result, rev: str, quiet: bool):
    """Keep the results whose consumer or provider is a service touched since ``rev``."""
    from contract_discovery.discovery import ServiceLocator
    from contract_discovery.pipeline import changed_files

    locator = ServiceLocator(scan_result.services)
    touched = {s.name for path in changed_files(root, rev) if (s := locator.owner(path)) is not None}
    report.results = [r for r in report.results if r.consumer in touched or r.provider in touched]
    report.suppressed = [s for s in report.suppressed if s.result.consumer in touched or s.result.provider in touched]
    diag(f"--changed-since {rev}: {len(touched)} service(s) touched: {', '.join(sorted(touched)) or 'none'}", quiet)
    return report


def _load_scans(root: Path, config_path: Path | None, files: List[Path]):
    """Merge shard outputs of `scan --format json` into one scan result."""
    import json

    from contract_discovery.config import load_config
    from contract_discovery.contracts.infer import infer_contracts
    from contract_discovery.reports.scan_json import from_data, merge_scans

    scans = []
    for file in files:
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ToolError(f"--from-scan {str(file)!r}: cannot read a scan JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("schema_version") != 1:
            raise ToolError(f"--from-scan {str(file)!r}: not the JSON of `contract-discovery scan --format json`")
        scans.append(from_data(data))
    merged = merge_scans(scans)
    contracts = tuple(infer_contracts(list(merged.services), list(merged.findings)))
    from dataclasses import replace

    return load_config(root, config_path), replace(merged, contracts=contracts)


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    peers: Annotated[Optional[List[Path]], typer.Option("--peers", help="Contracts exported by `scan --format yaml` in other repositories: a file or a directory (repeatable).")] = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text, json (SPEC section 4), sarif, markdown (a PR comment), junit, html.")] = CheckFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Lowest status that fails the run (exit 1): blocks, decision, warning, info, never.")] = FailOn.blocks,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Results whose fingerprints are in this file do not fail the run (adopt the gate without fixing the past).")] = None,
    write_baseline: Annotated[Optional[Path], typer.Option("--write-baseline", help="Write the current results' fingerprints to this file and exit 0.")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Date (YYYY-MM-DD) used for decision expiry; default today.")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes for the scan (default: all cores).", min=1)] = None,
    include_tests: Annotated[bool, typer.Option("--include-tests", help="Also scan test code (and contract folders under tests/ and fixtures/).")] = False,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", help="Scan cache folder (default ROOT/.contract-discovery-cache).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the scan cache.")] = False,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", help="Pull-request mode: report only results that involve a service with files (code or contracts) changed since this git revision; the rest of the repository still informs the check (from the cache).")] = None,
    from_scan: Annotated[Optional[List[Path]], typer.Option("--from-scan", help="Use these `scan --format json` outputs (e.g. one per `--shard`) instead of scanning ROOT's code; ROOT still gives the declared contracts (repeatable).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Check the contracts between services (declared, peers, inferred from code)."""
    from contract_discovery.checks.engine import ConfigProblem, run_check
    from contract_discovery.checks.suppress import read_baseline, render_baseline
    from contract_discovery.commands.scan import run_scan

    check_root(root)
    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise ToolError(f"--today must be a date YYYY-MM-DD, got {today!r}") from None
    known = None
    if baseline is not None:
        try:
            known = read_baseline(baseline)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
    for peer in peers or []:
        if not peer.exists():
            raise ToolError(f"--peers {str(peer)!r} does not exist")
    if from_scan:
        cfg, scan_result = _load_scans(root, config, from_scan)
    else:
        cfg, scan_result = run_scan(root, config, jobs, include_tests, quiet, cache_dir, no_cache)
    try:
        report = run_check(root, config=cfg, peers=peers or [], baseline=known, today=day,
                           scan_fn=lambda *args, **kwargs: scan_result, include_tests=include_tests)
    except ConfigProblem as exc:
        raise ToolError(f"invalid config: {exc}") from None
    if changed_since:
        report = _only_touched(root, report, scan_result, changed_since, quiet)

    if write_baseline is not None:
        accepted = [*report.results, *(s.result for s in report.suppressed if s.reason == "baseline")]
        atomic_write(write_baseline, render_baseline(accepted))
        diag(f"wrote {len(accepted)} fingerprint(s) to {write_baseline}", quiet)

    if format == CheckFormat.json:
        from contract_discovery.reports.check_json import render
    elif format == CheckFormat.sarif:
        from contract_discovery.reports.check_sarif import render
    elif format == CheckFormat.markdown:
        from contract_discovery.reports.check_markdown import render
    elif format == CheckFormat.junit:
        from contract_discovery.reports.check_junit import render
    elif format == CheckFormat.html:
        from contract_discovery.reports.check_html import render
    else:
        from contract_discovery.reports.check_text import render
    emit(render(report, fail_on.value), output)

    if report.issues:
        if format != CheckFormat.text or output is not None:
            for issue in report.issues:
                diag(issue.render(), quiet)
        diag(f"check incomplete: {len(report.issues)} problem(s) in contract files; the other services were checked", quiet)
        raise typer.Exit(2)
    if write_baseline is not None:
        raise typer.Exit(0)
    failing = report.failing(fail_on.value)
    if failing:
        diag(f"{len(failing)} result(s) at or above --fail-on {fail_on.value}", quiet or format == CheckFormat.text)
        raise typer.Exit(1)
    return 0
