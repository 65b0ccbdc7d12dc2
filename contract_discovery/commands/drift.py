"""``drift``: declared contracts against what the code does now, and what changed since a baseline."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, OutputOpt, QuietOpt, ToolError, diag, emit

DEFAULT_BASELINE = ".contract-discovery-drift.json"


class DriftFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help=f"Earlier drift report to compare with (default: config 'baseline', else ROOT/{DEFAULT_BASELINE} if present).")] = None,
    write_baseline: Annotated[bool, typer.Option("--write-baseline", help="Store this run's drift as the baseline (at --baseline or the default path).")] = False,
    fail_on_drift: Annotated[bool, typer.Option("--fail-on-drift", help="Exit 1 when there is drift (with a baseline: only new drift).")] = False,
    format: Annotated[DriftFormat, typer.Option("--format", "-f", help="text/markdown, json, or html (one self-contained file).")] = DriftFormat.text,
    url_template: Annotated[Optional[str], typer.Option("--url-template", help="Link code locations: e.g. https://github.com/acme/mono/blob/main/{path}#L{line} (default: config 'url_template').")] = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    include_tests: Annotated[bool, typer.Option("--include-tests", help="Also read test code.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Nightly report: declared vs inferred per service, and what is new or resolved since the baseline."""
    from contract_discovery.adoption import drift_report
    from contract_discovery.adoption.drift import apply_baseline, baseline_data, compute_drift
    from contract_discovery.adoption.graph import build_graph
    from contract_discovery.adoption.state import check_results, load_state

    state = load_state(root, config, quiet, include_tests)
    report = compute_drift(state)
    configured = state.config_raw.get("baseline")
    baseline_path = baseline or (root / str(configured) if configured else root / DEFAULT_BASELINE)
    if not write_baseline and baseline_path.is_file():
        try:
            stored = json.loads(baseline_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ToolError(f"cannot read baseline {baseline_path}: {exc}") from None
        if not isinstance(stored, dict) or not isinstance(stored.get("items"), list):
            raise ToolError(f"{baseline_path} is not a drift baseline (write one with --write-baseline)")
        apply_baseline(report, stored, str(baseline_path))
    elif not write_baseline and baseline is not None:
        raise ToolError(f"baseline {baseline} not found (create it with --write-baseline)")
    if write_baseline:
        from contract_discovery.adoption.safewrite import guarded_write

        previous = baseline_path.read_bytes() if baseline_path.is_file() else None
        guarded_write(baseline_path.parent if baseline is not None else root, baseline_path,
                      (json.dumps(baseline_data(report), indent=2, default=str) + "\n").encode(), previous)
        diag(f"baseline written to {baseline_path} ({len(report.items)} item(s)).", quiet)
    template = url_template or state.config_raw.get("url_template")
    if format == DriftFormat.json:
        text = drift_report.render_json(report)
    elif format == DriftFormat.html:
        checks = check_results(state)
        graph = build_graph(state, drift_report.edge_problems(report, checks))
        text = drift_report.render_html(report, graph, template, checks=checks)
    else:
        text = drift_report.render_markdown(report)
    emit(text, output)
    if fail_on_drift:
        failing = report.new if report.baseline else report.items
        if failing:
            diag(f"{len(failing)} drift item(s){' new since the baseline' if report.baseline else ''}.", quiet)
            raise typer.Exit(1)
