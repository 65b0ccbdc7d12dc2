"""``validate``: schema-check declared contract files (and decisions files) with path:line:column
errors that name the field. Exit 1 if any file is invalid."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from contract_discovery.commands.common import OutputOpt, QuietOpt, ToolError, diag, emit


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


def command(
    root: Annotated[Path, typer.Argument(help="Root to search for contracts/*.yaml, or one contract file.")] = Path("."),
    format: Annotated[ValidateFormat, typer.Option("--format", "-f", help="text or json.")] = ValidateFormat.text,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Validate contract files against the schema and the notation."""
    from contract_discovery.contracts.decisions import load_decisions, parse_decisions
    from contract_discovery.contracts.loader import (
        DECISIONS_NAMES, _rel, find_contract_files, find_loose_contract_files, load_contract_file)

    if not root.exists():
        raise ToolError(f"{str(root)!r} does not exist")
    issues = []
    files: list[str] = []
    if root.is_file():
        rel = root.as_posix()
        files.append(rel)
        if root.name in DECISIONS_NAMES:
            try:
                issues.extend(parse_decisions(root.read_bytes(), rel)[1])
            except OSError as exc:
                raise ToolError(f"cannot read {rel}: {exc.strerror or exc}") from None
        else:
            issues.extend(load_contract_file(root, rel)[1])
    else:
        for path in find_contract_files(root) or find_loose_contract_files(root):
            rel = _rel(path, root)
            files.append(rel)
            issues.extend(load_contract_file(path, rel)[1])
        _, decision_issues, decision_files = load_decisions(root)
        files.extend(decision_files)
        issues.extend(decision_issues)
    bad_files = sorted({i.path for i in issues})
    if format == ValidateFormat.json:
        emit(json.dumps({"files": files, "valid": not issues, "errors": [
            {"path": i.path, "line": i.line, "column": i.column, "field": i.field, "kind": i.kind,
             "message": i.message} for i in issues]}, indent=2), output)
    else:
        lines = [i.render() for i in issues]
        lines.append(f"{len(files)} file(s) checked, {len(bad_files)} invalid, {len(issues)} error(s)")
        emit("\n".join(lines), output)
    if not files:
        diag(f"no contract files found under {root} (looked for */contracts/*.yaml)", quiet)
    raise typer.Exit(1 if issues else 0)
