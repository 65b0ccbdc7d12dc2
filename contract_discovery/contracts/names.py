"""Matching the names people give services: ``checkout`` / ``checkout-service`` / ``checkout_svc``,
``orders-db`` and ``orders_replica`` (data sources named after the service that owns them)."""

from __future__ import annotations

import re
from typing import Iterable

_SUFFIXES = ("-service", "-svc", "-api", "-server", "-app", "-srv")
_DATA_WORDS = {"db", "database", "replica", "replicas", "read", "reader", "ro", "readonly", "primary", "main",
               "master", "slave", "follower", "secondary", "store", "pg", "postgres", "mysql", "redis", "cache",
               "default", "analytics", "reporting", "stream", "events", "topic", "data", "service", "svc", "api"}


def norm(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


def op_key(name: str | None) -> str:
    """``scoreTransaction`` / ``score_transaction`` / ``/score-transaction`` -> ``scoretransaction``."""
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def ops_match(a: str | None, b: str | None) -> bool:
    """Two names of one operation: equal up to case and separators, or one the other's prefix
    (a URL path ``/score`` names ``scoreTransaction`` loosely)."""
    ka, kb = op_key(a), op_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short) >= 3 and long_.startswith(short)


def tokens(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t]


def match_service(candidate: str | None, known: Iterable[str]) -> str | None:
    """The known service ``candidate`` names: exactly, up to suffixes, or as a token of a data
    source name (``orders-db``, ``orders_replica``, ``ordersReplica``). None when unsure."""
    if not candidate:
        return None
    known = list(known)
    if candidate in known:
        return candidate
    key = norm(candidate)
    for name in known:
        if norm(name) == key:
            return name
    parts = tokens(candidate)
    hits = []
    for name in known:
        name_parts = tokens(norm(name))
        if not name_parts:
            continue
        for i in range(len(parts) - len(name_parts) + 1):
            if parts[i: i + len(name_parts)] == name_parts:
                rest = parts[:i] + parts[i + len(name_parts):]
                if all(r in _DATA_WORDS or r.isdigit() for r in rest):
                    hits.append(name)
                    break
    if len(set(hits)) == 1:
        return hits[0]
    if hits:
        return max(hits, key=lambda n: len(norm(n)))
    # singular/plural: order-db -> orders
    for name in known:
        n = norm(name)
        if any(p in (n.rstrip("s"), n + "s") for p in parts) and all(
                p in _DATA_WORDS or p in (n.rstrip("s"), n + "s") for p in parts):
            return name
    return None
