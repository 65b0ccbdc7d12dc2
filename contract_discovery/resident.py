"""State a resident process (``contract-discovery daemon``) keeps between commands.

A one-shot command never turns this on and behaves exactly as before. In a daemon, the scan
cache stays in memory instead of being unpickled per command, the directory walk is
remembered per directory (a directory whose modification time and ignore rules are unchanged
is not listed again), and writing the cache index to disk happens after the reply is sent.
"""

from __future__ import annotations

from typing import Any, Callable

active = False
_caches: dict[tuple, Any] = {}
_walks: dict[tuple, dict] = {}
_deferred: list[Callable[[], None]] = []


_KEEP = 4  # caches and walk memos kept (a config edit makes a new cache key: the old ones go)


def _remember(table: dict, key: tuple, make: Callable[[], Any]) -> Any:
    found = table.pop(key, None)
    if found is None:
        found = make()
    table[key] = found  # most recently used last
    while len(table) > _KEEP:
        table.pop(next(iter(table)))
    return found


def cache(key: tuple, make: Callable[[], Any]) -> Any:
    if not active:
        return make()
    return _remember(_caches, key, make)


def walk_memo(key: tuple) -> dict | None:
    if not active:
        return None
    return _remember(_walks, key, dict)


def later(task: Callable[[], None]) -> bool:
    """Run ``task`` after the reply (True), or tell the caller to run it now (False)."""
    if not active:
        return False
    _deferred.append(task)
    return True


def run_deferred() -> None:
    while _deferred:
        task = _deferred.pop(0)
        try:
            task()
        except Exception:  # noqa: BLE001 - a failed index write only costs the next cold start
            pass


def forget() -> None:
    _caches.clear()
    _walks.clear()
    _deferred.clear()
