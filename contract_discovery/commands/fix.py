"""``fix``: write declared contract values into Python code (libcst; formatting and comments untouched)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, QuietOpt, ToolError, diag


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    rule: Annotated[Optional[List[str]], typer.Option("--rule", help="Only this fix: timeout (missing-timeout) or stable-id (idempotency). Repeatable.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the unified diff; write nothing.")] = False,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Close the loop from contract to code: add declared timeouts, keep IDs stable across retries."""
    from contract_discovery.adoption.fix import RULES, plan_fixes, rule_for
    from contract_discovery.adoption.safewrite import guarded_write
    from contract_discovery.adoption.state import load_state

    wanted = None
    if rule:
        wanted = set()
        for name in rule:
            found = rule_for(name)
            if found is None:
                raise ToolError(f"--rule {name!r}: unknown; known: {', '.join(RULES)}")
            wanted.add(found)
    state = load_state(root, config, quiet)
    plan = plan_fixes(root, state.result.findings, state.declared, wanted, state.result.suppressions)
    if dry_run:
        sys.stdout.write("".join(f.diff() for f in plan.files))
    else:
        for fix in plan.files:
            guarded_write(root, root / fix.path, fix.new, fix.old)
        for fix in plan.files:
            for edit in fix.edits:
                sys.stdout.write(f"fixed {edit.path}:{edit.line}: {edit.rule}: {edit.message}\n")
    for skip in plan.skipped:
        diag(skip.render(), quiet)
    if not plan.files:
        diag("nothing to fix where the contracts speak.", quiet)
