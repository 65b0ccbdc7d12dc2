"""``diff``: compare every contract between a git revision (or a folder) and now; exit 1 on a breaking change."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from contract_discovery.commands.common import OutputOpt, ToolError, emit


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def command(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="ROOT (with --against), or two folders OLD NEW.", show_default=False)] = None,
    against: Annotated[Optional[str], typer.Option("--against", help="Git revision to compare the working tree with (e.g. HEAD~1, origin/main).")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, markdown (for a PR comment) or json.")] = DiffFormat.text,
    output: OutputOpt = None,
) -> None:
    """Classify contract changes as breaking or compatible for each consumer; exit 1 on a breaking change."""
    from contract_discovery.adoption.contract_diff import compare, contracts_at_revision, contracts_in_folder, render_text

    paths = list(paths or [])
    if against is not None:
        if len(paths) > 1:
            raise ToolError("with --against give at most one ROOT")
        root = paths[0] if paths else Path(".")
        if not root.is_dir():
            raise ToolError(f"root {str(root)!r} is not a directory")
        old, new = contracts_at_revision(root, against), contracts_in_folder(root)
    elif len(paths) == 2:
        old, new = contracts_in_folder(paths[0]), contracts_in_folder(paths[1])
    else:
        raise ToolError("give --against REV (compare with the working tree) or two folders OLD NEW")
    result = compare(old, new)
    if format == DiffFormat.json:
        emit(json.dumps(result.to_json(), indent=2, default=str) + "\n", output)
    else:
        emit(render_text(result, markdown=format == DiffFormat.markdown), output)
    if result.breaking:
        raise typer.Exit(1)
