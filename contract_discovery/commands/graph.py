"""``graph``: the service dependency graph with timeouts, attempts, budgets and freshness on its edges."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from contract_discovery.commands.common import ConfigOpt, OutputOpt, QuietOpt, emit


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    json = "json"
    svg = "svg"
    backstage = "backstage"


def command(
    root: Annotated[Path, typer.Argument(help="Root of the repository or monorepo.")] = Path("."),
    format: Annotated[GraphFormat, typer.Option("--format", "-f", help="mermaid (renders in a pull request), dot, json, svg, or backstage (catalog-info.yaml with dependsOn).")] = GraphFormat.mermaid,
    owner: Annotated[str, typer.Option("--owner", help="spec.owner for --format backstage.")] = "unknown",
    system: Annotated[Optional[str], typer.Option("--system", help="spec.system for --format backstage.")] = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    include_tests: Annotated[bool, typer.Option("--include-tests", help="Also read test code.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Print the service dependency graph (edges from contracts and code; drift marked)."""
    from contract_discovery.adoption import graph as graphs
    from contract_discovery.adoption.drift import compute_drift
    from contract_discovery.adoption.drift_report import edge_problems
    from contract_discovery.adoption.state import check_results, load_state

    state = load_state(root, config, quiet, include_tests)
    graph = graphs.build_graph(state, edge_problems(compute_drift(state), check_results(state)))
    if format == GraphFormat.dot:
        text = graphs.render_dot(graph)
    elif format == GraphFormat.json:
        text = graphs.render_json(graph)
    elif format == GraphFormat.svg:
        from contract_discovery.adoption.svg import render_svg

        text = render_svg(graph)
    elif format == GraphFormat.backstage:
        text = graphs.render_backstage(graph, owner, system)
    else:
        text = graphs.render_mermaid(graph)
    emit(text, output)
