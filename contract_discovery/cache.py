"""The scan cache: one index file per cache folder, keyed by path, file size and mtime.

A warm re-scan stats each file and reuses the outcome of every file whose size and
modification time are unchanged, without reading it; only changed files are read and
extracted again. The index is keyed by the tool's code and config fingerprint (a new
version or a changed config starts afresh) and written atomically at the end of a scan.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from contract_discovery import resident

_FORMAT = 3
_NOT_CACHED = ("timeout", "extractor_error", "worker_crash", "unreadable")
# A file modified this close to the moment the index was written may change again within the
# file system's timestamp granularity without its mtime moving ("racily clean", as git says):
# such entries are never trusted on size and mtime alone.
_RACY_NS = 2_000_000_000


class ScanCache:
    def __init__(self, folder: Path, salt: str, use_prefilter: bool):
        self.folder = Path(folder)
        self.salt = f"{_FORMAT}:{salt}:{'p' if use_prefilter else 'n'}"
        self.path = self.folder / f"index-{'p' if use_prefilter else 'n'}.pickle"
        self.files: dict[str, tuple[int, int, Any]] = {}
        self.symbols: dict[str, bytes] = {}
        self.saved_ns = 0
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                data = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
            return
        if isinstance(data, dict) and data.get("salt") == self.salt:
            self.files = data.get("files", {})
            self.symbols = data.get("symbols", {})
            self.saved_ns = data.get("saved_ns", 0)

    @staticmethod
    def stat_key(root: str, relpath: str) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{root}/{relpath}")
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def lookup(self, relpath: str, key: tuple[int, int] | None):
        entry = self.files.get(relpath)
        if entry is None or key is None or (entry[0], entry[1]) != key:
            return None
        if key[1] >= self.saved_ns - _RACY_NS:
            return None
        return entry[2]

    def save(self, root: str, outcomes, stat_keys: dict[str, tuple[int, int] | None], symbols: dict[str, bytes]) -> None:
        """Take this scan's outcomes as the index (in memory at once; on disk now, or after the
        reply when a daemon runs the scan)."""
        files = {}
        for outcome in outcomes:
            key = stat_keys.get(outcome.path)
            if key is None or any(e.kind in _NOT_CACHED for e in outcome.errors):
                continue
            if not outcome.cached:
                outcome = replace(outcome, cached=True)  # what a later scan gets back from lookup
            files[outcome.path] = (key[0], key[1], outcome)
        self.files, self.symbols, self.saved_ns = files, dict(symbols), time.time_ns()
        snapshot = {"salt": self.salt, "files": files, "symbols": self.symbols, "saved_ns": self.saved_ns}
        if not resident.later(lambda: self._write(snapshot)):
            self._write(snapshot)

    def _write(self, snapshot: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index.", dir=str(self.folder))
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only tree: the next scan is cold again
