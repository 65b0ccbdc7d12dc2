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


_GENERIC_OP_WORDS = {"get", "post", "put", "patch", "delete", "create", "update", "list", "fetch", "read", "write",
                     "do", "handle", "api", "v1", "v2", "v3", "id", "by", "for", "the", "a", "to", "of", "new", "request"}


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")) and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def op_words(name: str | None) -> set[str]:
    """The significant, singular words of an operation name or URL path:
    ``postEntry`` -> {entry}, ``/v1/payments/{id}/void`` -> {payment, void}."""
    text = re.sub(r"\{[^}]*\}|<[^>]*>|:\w+", " ", name or "")
    return {_stem(t) for t in tokens(text) if t not in _GENERIC_OP_WORDS and not t.isdigit()}


def op_similarity(a: str | None, b: str | None) -> int:
    """How surely two names denote one operation: 100 equal, 50 one a prefix of the other
    (``/score`` for ``scoreTransaction``), else the number of shared significant words
    (``entries`` and ``postEntry`` share ``entry``); 0 for no evidence."""
    ka, kb = op_key(a), op_key(b)
    if not ka or not kb:
        return 0
    if ka == kb:
        return 100
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return 50
    return len(op_words(a) & op_words(b))


def ops_match(a: str | None, b: str | None) -> bool:
    return op_similarity(a, b) > 0


def best_operation(wanted: str | None, candidates: list, name_of) -> object | None:
    """The candidate whose name is most like ``wanted``; None on a tie or no evidence."""
    scored = [(op_similarity(wanted, name_of(c)), i, c) for i, c in enumerate(candidates)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[1]))
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][2]


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
