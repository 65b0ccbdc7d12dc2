"""``init``: write contract files from what the code shows; re-running merges and never overwrites."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, QuietOpt, ToolError, diag


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    service: Annotated[Optional[List[str]], typer.Option("--service", "-s", help="Only this service (repeatable).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print a unified diff of what would be written; write nothing.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text (default) or json (changes and proposals).")] = "text",
    config: ConfigOpt = None,
    include_tests: Annotated[bool, typer.Option("--include-tests", help="Also read test code.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Bootstrap contracts/*.yaml for each service from the code; never overwrites or drops a human-written value."""
    from contract_discovery.adoption.initializer import plan_init
    from contract_discovery.adoption.safewrite import guarded_write
    from contract_discovery.commands.scan import run_scan

    if format not in ("text", "json"):
        raise ToolError(f"--format must be text or json, got {format!r}")
    _, result = run_scan(root, config, 1, include_tests, quiet, None, True)
    plan = plan_init(root, result, list(service or []))
    if not dry_run:
        for change in plan.changes:
            guarded_write(root, root / change.relpath, change.new_bytes(), change.old)
    if format == "json":
        data = {
            "dry_run": dry_run,
            "changes": [{"path": c.relpath, "created": c.old is None, "added": c.added,
                         **({"diff": c.diff()} if dry_run else {})} for c in plan.changes],
            "proposals": [p.to_json() for p in plan.proposals],
            "problems": plan.problems,
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    out = []
    if dry_run:
        out.extend(c.diff() for c in plan.changes)
    else:
        for change in plan.changes:
            verb = "created" if change.old is None else "updated"
            out.append(f"{verb} {change.relpath}" + (f" (+ {'; '.join(change.added)})" if change.added else "") + "\n")
    if plan.proposals:
        out.append(f"{len(plan.proposals)} proposal(s): the code differs from the declared value (not written):\n")
        out.extend(f"  {p.render()}\n" for p in plan.proposals)
    sys.stdout.write("".join(out))
    if not result.services:
        diag(f"no services found under {root}: nothing to do.", quiet)
    elif not plan.changes and not plan.proposals:
        diag("contracts are up to date with the code: nothing to add.", quiet)
    for problem in plan.problems:
        diag(f"warning: {problem}", quiet)
