"""Helpers shared by the commands: output writing, the exit-code contract, option types."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from contract_discovery.errors import ToolError  # noqa: F401 - re-exported for commands



RootArg = Annotated[Path, typer.Argument(help="Root of the repository or monorepo to read.", show_default=True)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="Config file (default: contract-discovery.yaml or \\[tool.contract-discovery] in pyproject.toml at ROOT).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or diagnostics on stderr.")]


def check_root(root: Path) -> Path:
    if not root.exists():
        raise ToolError(f"root {str(root)!r} does not exist")
    if not root.is_dir():
        raise ToolError(f"root {str(root)!r} is not a directory")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ToolError(f"root {str(root)!r} is not readable")
    return root


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically (temp file in the same directory, then rename).
    An existing file keeps its mode; a new one gets 0666 less the umask, as ``open`` would give.
    A target that is not a regular file (``/dev/null``, a FIFO) is written to directly."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and not path.is_file():
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def emit(text: str, output: Path | None) -> None:
    """Machine formats go to stdout, or atomically to ``--output``."""
    if output is None:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
    else:
        atomic_write(output, text if text.endswith("\n") else text + "\n")


def diag(message: str, quiet: bool = False) -> None:
    if not quiet:
        sys.stderr.write(message.rstrip("\n") + "\n")
