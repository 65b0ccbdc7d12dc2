"""``schema``: print the JSON Schema of a contract file, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from contract_discovery.commands.common import OutputOpt, emit


def command(
    decisions: Annotated[bool, typer.Option("--decisions", help="The schema of contracts/decisions.yaml instead.")] = False,
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema of a contract file (use with yaml-language-server)."""
    from contract_discovery.contracts.schema import DECISIONS_SCHEMA, contract_schema

    schema = DECISIONS_SCHEMA if decisions else contract_schema()
    emit(json.dumps(schema, indent=2), output)
    raise typer.Exit(0)
