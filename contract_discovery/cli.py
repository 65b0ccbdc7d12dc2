"""The ``contract-discovery`` command line. Each command lives in ``contract_discovery.commands``.

Exit codes are owned here: 0 clean, 1 results at or above ``--fail-on``, 2 the tool
could not do its job. An unexpected exception becomes a one-line message and 2
(a traceback only with ``--debug``).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

import typer

from contract_discovery import __version__
from contract_discovery.commands.common import ToolError

app = typer.Typer(
    name="contract-discovery",
    help="Make the implicit contracts between services explicit and checkable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMANDS = ["scan", "check", "validate", "schema", "init", "drift", "diff", "graph", "fix", "detectors", "daemon"]


def _register() -> None:
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"contract_discovery.commands.{name}")
        except ImportError:
            continue
        group = getattr(module, "app", None)
        if isinstance(group, typer.Typer):
            app.add_typer(group, name=name)
            continue
        func = getattr(module, "command", None)
        if func is not None:
            app.command(name, help=(func.__doc__ or "").strip() or None)(func)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contract-discovery {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for unexpected errors."),
) -> None:
    if debug:
        os.environ["CONTRACT_DISCOVERY_DEBUG"] = "1"


_register()


@functools.lru_cache(maxsize=1)
def _click_command():
    """The click command typer builds from ``app`` (what ``app()`` does on every call; built
    once, so a resident daemon does not rebuild it per request)."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or os.environ.get("CONTRACT_DISCOVERY_DEBUG") == "1"
    try:
        # Standalone mode: click prints usage errors itself and exits 2; typer.Exit carries our codes.
        _click_command().main(args=argv, prog_name="contract-discovery", standalone_mode=True)
    except SystemExit:
        raise
    except ToolError as exc:
        sys.stderr.write(f"contract-discovery: error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("contract-discovery: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        sys.stderr.write(f"contract-discovery: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)\n")
        sys.exit(2)
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
