"""Inline suppressions (``# contract-discovery: ignore[rule-id]`` in any comment form) and the
baseline file (fingerprints of results a team accepted when turning the gate on)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Mapping

_SUPPRESSION = re.compile(
    r"(?:#|//|/\*|--|;|'|<!--|\*)\s*contract-discovery:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)


def parse_suppression(line: str) -> frozenset[str] | None:
    """The rule ids a line suppresses (``{"*"}`` for a bare ``ignore``), or None."""
    match = _SUPPRESSION.search(line)
    if not match:
        return None
    if match.group(1) is None:
        return frozenset({"*"})
    rules = frozenset(r.strip() for r in match.group(1).split(",") if r.strip())
    return rules or frozenset({"*"})


def is_suppressed(rule: str, locations: Iterable, table: Mapping[str, Mapping[int, frozenset[str]]]) -> bool:
    for loc in locations:
        lines = table.get(loc.path)
        if not lines or loc.line is None:
            continue
        rules = lines.get(loc.line)
        if rules and ("*" in rules or rule in rules):
            return True
    return False


BASELINE_VERSION = 1


def read_baseline(path: Path) -> set[str]:
    """Fingerprints in a baseline file; raises ValueError with a readable message if malformed."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"baseline {path} is not JSON: line {exc.lineno}: {exc.msg}") from None
    items = data.get("results") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"baseline {path} has no 'results' list")
    return {item["fingerprint"] for item in items if isinstance(item, dict) and isinstance(item.get("fingerprint"), str)}


def render_baseline(results: Iterable) -> str:
    items = sorted(({"fingerprint": r.fingerprint, "rule": r.rule, "status": r.status,
                     "consumer": r.consumer, "provider": r.provider, "title": r.title} for r in results),
                   key=lambda d: (d["rule"], d["consumer"] or "", d["provider"] or "", d["fingerprint"]))
    return json.dumps({"version": BASELINE_VERSION, "tool": "contract-discovery", "results": items}, indent=2) + "\n"
