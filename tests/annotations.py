"""Annotated fixtures: `expect:` and `ok:` comments in example files, turned into exact assertions.

    requests.get(URL, timeout=0.2)  # expect: timeout timeout_ms=200 phase=total
    x = 1  # expect: timeout timeout_ms=None; retry max_attempts=3
    # ok: nothing may be reported on this line (a trap)
    foo()  # ok: nothing here either

Works with any comment marker (#, //, /* */, --). Values compare as JSON-ish strings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from contract_discovery.values import evaluate

_EXPECT = re.compile(r"(?:#|//|/\*|--)\s*expect:\s*(.+?)\s*(?:\*/)?\s*$")
_OK = re.compile(r"(?:#|//|/\*|--)\s*ok:")


@dataclass
class Expectation:
    kind: str
    line: int
    attrs: dict[str, str] = field(default_factory=dict)


def read_annotations(path: Path) -> tuple[list[Expectation], set[int]]:
    expects: list[Expectation] = []
    oks: set[int] = set()
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        m = _EXPECT.search(line)
        if m:
            for part in m.group(1).split(";"):
                words = part.split()
                if not words:
                    continue
                attrs = dict(w.split("=", 1) for w in words[1:] if "=" in w)
                expects.append(Expectation(kind=words[0], line=number, attrs=attrs))
        elif _OK.search(line):
            oks.add(number)
    return expects, oks


def _as_text(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def finding_value(finding, key: str) -> object:
    """An attribute, or `target.service` / `target.operation` / `confidence` / `detector`."""
    if key.startswith("target."):
        target = finding.target
        return None if target is None else getattr(target, key.split(".", 1)[1])
    if key in ("confidence", "detector", "language", "column", "service"):
        return getattr(finding, key)
    return finding.attributes.get(key, "<missing>")


def check_annotations(findings: Iterable, path: Path, relpath: str | None = None) -> list[str]:
    """Return a list of mismatch descriptions (empty when the findings match the annotations)."""
    expects, oks = read_annotations(path)
    if relpath is not None:
        findings = [f for f in findings if f.path == relpath]
    # A proposal (a finding the pipeline keeps only if another file confirms it: a `$keep_if`
    # pending that this file alone does not make true) is checked only where the fixture says
    # `via=...` on that line.
    proposed_at = {(e.kind, e.line) for e in expects if "via" in e.attrs}
    findings = [f for f in findings if not any(p.attribute == "$keep_if" and evaluate(p.expr).value in (None, 0, False, "")
                                               for p in getattr(f, "pending", ()))
                or (f.kind, f.line) in proposed_at]
    problems: list[str] = []
    got = {}
    for f in findings:
        got.setdefault((f.kind, f.line), []).append(f)
    wanted = {(e.kind, e.line) for e in expects}
    for e in expects:
        candidates = got.get((e.kind, e.line), [])
        if not candidates:
            problems.append(f"missing: line {e.line}: {e.kind} {e.attrs}")
            continue
        if not any(all(_as_text(finding_value(f, k)) == v for k, v in e.attrs.items()) for f in candidates):
            seen = [{k: _as_text(finding_value(f, k)) for k in e.attrs} for f in candidates]
            problems.append(f"wrong value: line {e.line}: {e.kind} wanted {e.attrs}, got {seen}")
    for (kind, line), fs in sorted(got.items()):
        if (kind, line) not in wanted:
            tag = "trap fired" if line in oks else "unexpected"
            problems.append(f"{tag}: line {line}: {kind} {dict(fs[0].attributes)} ({fs[0].evidence})")
    return problems
