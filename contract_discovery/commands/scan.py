"""``scan``: find services, run every extractor, print findings and inferred contracts."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, OutputOpt, QuietOpt, ToolError, check_root, diag, emit
from contract_discovery.reports import errors_summary


class ScanFormat(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"
    sarif = "sarif"
    contracts = "contracts"


def parse_shard(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        index, count = (int(x) for x in value.split("/", 1))
    except ValueError:
        raise ToolError(f"--shard must look like i/n (e.g. 1/4), got {value!r}") from None
    if count < 1 or not 1 <= index <= count:
        raise ToolError(f"--shard {value!r}: need 1 <= i <= n")
    return index, count


def resolve_cache_dir(root: Path, cache_dir: Path | None, no_cache: bool) -> Path | None:
    if no_cache:
        return None
    return cache_dir if cache_dir is not None else root / ".contract-discovery-cache"


def run_scan(root: Path, config_path: Path | None, jobs: int | None, include_tests: bool, quiet: bool,
             cache_dir: Path | None, no_cache: bool, shard: str | None = None, changed_since: str | None = None,
             prefilter: bool = True):
    """Shared by scan, check, init, drift: load config, scan with progress on stderr."""
    from contract_discovery.config import load_config
    from contract_discovery.pipeline import scan

    check_root(root)
    config = load_config(root, config_path)
    show = not quiet and sys.stderr.isatty()
    progress_cb = None
    progress = None
    if show:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        task = progress.add_task("scan", total=None, rate="")
        progress.start()

        def progress_cb(done: int, total: int) -> None:
            speed = progress.tasks[0].speed
            progress.update(task, completed=done, total=total, rate=f"{speed:,.0f} files/s" if speed else "")
    try:
        result = scan(root, config=config, jobs=jobs, include_tests=include_tests, quiet=quiet,
                      use_prefilter=prefilter, cache_dir=resolve_cache_dir(root, cache_dir, no_cache),
                      shard=parse_shard(shard), changed_since=changed_since, on_progress=progress_cb)
    finally:
        if progress is not None:
            progress.stop()
    return config, result


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    format: Annotated[ScanFormat, typer.Option("--format", "-f", help="text, json (SPEC section 2), yaml/contracts (inferred contracts), sarif.")] = ScanFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: all cores).", min=1)] = None,
    include_tests: Annotated[bool, typer.Option("--include-tests", help="Also scan test code (tests/, test_*.py, *_test.go, *.test.ts, spec/...).")] = False,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", help="Content-hash cache folder (default ROOT/.contract-discovery-cache).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    shard: Annotated[Optional[str], typer.Option("--shard", help="Scan only shard i of n (stable by path hash), e.g. 2/4.")] = None,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", help="Only services with files changed since this git revision.")] = None,
    no_prefilter: Annotated[bool, typer.Option("--no-prefilter", hidden=True, help="Parse every file (for measuring the prefilter).")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Find services, run every extractor, print findings and inferred contracts."""
    _, result = run_scan(root, config, jobs, include_tests, quiet, cache_dir, no_cache, shard, changed_since,
                         prefilter=not no_prefilter)
    if format == ScanFormat.json:
        from contract_discovery.reports.scan_json import render
    elif format in (ScanFormat.yaml, ScanFormat.contracts):
        from contract_discovery.reports.scan_yaml import render
    elif format == ScanFormat.sarif:
        from contract_discovery.reports.scan_sarif import render
    else:
        from contract_discovery.reports.scan_text import render
    emit(render(result), output)
    if result.errors and format != ScanFormat.text:
        diag(f"{errors_summary(result.errors)} (see 'errors').", quiet)
