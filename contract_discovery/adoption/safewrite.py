"""Writing contract files safely: inside the root only, atomically, and never over a concurrent edit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from contract_discovery.errors import ToolError


def inside_root(root: Path, path: Path) -> Path:
    """``path`` resolved, or ToolError when it (or a symlink on the way) leads outside ``root``."""
    real_root = root.resolve()
    target = path.resolve()
    if target != real_root and real_root not in target.parents:
        raise ToolError(f"refusing to write {path}: it is outside the root {root}")
    return target


def guarded_write(root: Path, path: Path, new: bytes, expected_old: bytes | None) -> None:
    """Atomically replace ``path`` with ``new`` if it still holds ``expected_old`` (None: must not exist).

    The temp file is written and synced beside the target; the target's content is compared
    just before the rename, so an edit made meanwhile (an editor, another run) is never lost.
    The file's mode is kept.
    """
    target = inside_root(root, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    inside_root(root, target.parent)
    mode = None
    if target.exists():
        mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            # A new file gets the usual permissions (mkstemp makes it private).
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        current: bytes | None
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current != expected_old:
            raise ToolError(f"{path} changed while contract-discovery was working on it; nothing written, run again")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
