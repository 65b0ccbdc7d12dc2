"""``daemon``: a resident process per root that answers scan/check/drift in milliseconds.

The console script hands ``scan``, ``check`` and ``drift`` to a running daemon for the same
root (found by the root's real path) and prints its answer; without one, or with
``--no-daemon`` / ``CONTRACT_DISCOVERY_NO_DAEMON=1``, the command runs in-process as usual.
Results are identical either way: the daemon runs the same code on the files as they are now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contract_discovery.commands.common import ToolError, check_root

app = typer.Typer(
    help="Keep a warm process per root so scan/check/drift answer in milliseconds (like dmypy).",
    no_args_is_help=True,
)

RootArg = Annotated[Path, typer.Argument(help="Root the daemon serves.")]


@app.command("start")
def start_command(
    root: RootArg = Path("."),
    idle_timeout: Annotated[float, typer.Option("--idle-timeout", help="Exit after this many seconds without a request (0: never).", min=0)] = 3 * 3600,
) -> None:
    """Start a daemon for ROOT (it scans ROOT once, then waits for commands)."""
    import socket

    from contract_discovery import daemon

    check_root(root)
    if not hasattr(socket, "AF_UNIX"):
        raise ToolError("the daemon needs Unix domain sockets, which this platform lacks")
    try:
        info = daemon.start(root, idle_timeout)
    except RuntimeError as exc:
        raise ToolError(str(exc)) from None
    verb = "already running" if info.get("already") else "started"
    typer.echo(f"daemon {verb} for {info['root']} (pid {info['pid']}); log: {daemon.log_path(root)}")


@app.command("stop")
def stop_command(root: RootArg = Path(".")) -> None:
    """Stop the daemon for ROOT."""
    from contract_discovery import daemon

    if daemon.stop(root):
        typer.echo(f"daemon for {root.resolve()} stopped")
    else:
        typer.echo(f"no daemon runs for {root.resolve()}")


@app.command("status")
def status_command(root: RootArg = Path(".")) -> None:
    """Say whether a daemon serves ROOT (exit 1 if none)."""
    from contract_discovery import daemon

    info = daemon.ask(root.resolve(), "status")
    if not info:
        typer.echo(f"no daemon runs for {root.resolve()}")
        raise typer.Exit(1)
    typer.echo(f"daemon for {info['root']}: pid {info['pid']}, up {info['uptime_s']} s, "
               f"{info['requests']} request(s), {info['rss_mb']} MB, socket {info['socket']}")
