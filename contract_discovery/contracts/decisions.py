"""Recorded trade-offs: ``contracts/decisions.yaml``.

```yaml
decisions:
  - rule: data-access
    parties: [support, risk]
    decision: Support sees a PII-sanitised summary; full signals stay risk-only
    owner: security@example.com
    date: 2026-01-10
    expires: 2026-07-01
```

A decision matches a result of its rule whose consumer and provider are both among
its ``parties`` (and, if given, whose fingerprint equals ``fingerprint``). Until it
expires, the result is INFO and carries the decision; after, it comes back with its
own status and a note that the decision expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from contract_discovery.contracts.loader import _rel, find_decision_files, validate_decisions_data
from contract_discovery.contracts.names import norm
from contract_discovery.contracts.yamlload import YamlIssue, load_yaml
from contract_discovery.model import Location


@dataclass(frozen=True)
class Decision:
    rule: str
    parties: frozenset[str]
    decision: str
    owner: str
    date: str
    expires: dt.date | None
    fingerprint: str | None = None
    location: Location | None = None

    def matches(self, rule: str, consumer: str | None, provider: str | None, fingerprint: str) -> bool:
        if rule != self.rule:
            return False
        if self.fingerprint and self.fingerprint != fingerprint:
            return False
        parties = {norm(p) for p in self.parties}
        involved = {norm(s) for s in (consumer, provider) if s}
        return bool(involved) and involved <= parties

    def active(self, today: dt.date) -> bool:
        return self.expires is None or today <= self.expires

    def to_json(self) -> dict:
        return {"rule": self.rule, "parties": sorted(self.parties), "decision": self.decision, "owner": self.owner,
                "date": self.date, "expires": self.expires.isoformat() if self.expires else None,
                "location": self.location.to_json() if self.location else None}


def _parse_date(value: object) -> dt.date | None:
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_decisions(text: str | bytes, rel: str) -> tuple[list[Decision], list[YamlIssue]]:
    loaded = load_yaml(text, rel)
    issues = list(loaded.issues)
    out: list[Decision] = []
    for doc in loaded.documents:
        doc_issues = validate_decisions_data(doc.data, doc, rel)
        issues.extend(doc_issues)
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("decisions"), list):
            continue
        bad = {i.field for i in doc_issues}
        for index, item in enumerate(doc.data["decisions"]):
            prefix = f"decisions[{index}]"
            if not isinstance(item, dict) or any(f == prefix or f.startswith(prefix + ".") for f in bad):
                continue
            line, column = doc.where(("decisions", index))
            expires = None
            if item.get("expires") is not None:
                expires = _parse_date(item["expires"])
                if expires is None:
                    eline, ecol = doc.where(("decisions", index, "expires"))
                    issues.append(YamlIssue(rel, eline, ecol, f"{prefix}.expires",
                                            f"expected a date YYYY-MM-DD, got {item['expires']!r}", "schema_error"))
                    continue
            if _parse_date(item.get("date")) is None:
                dline, dcol = doc.where(("decisions", index, "date"))
                issues.append(YamlIssue(rel, dline, dcol, f"{prefix}.date",
                                        f"expected a date YYYY-MM-DD, got {item.get('date')!r}", "schema_error"))
                continue
            out.append(Decision(
                rule=str(item["rule"]), parties=frozenset(str(p) for p in item["parties"]),
                decision=str(item["decision"]), owner=str(item["owner"]), date=str(item["date"]),
                expires=expires, fingerprint=item.get("fingerprint"), location=Location(rel, line, column)))
    return out, issues


def load_decisions(root: Path, exclude: Iterable[str] = ()) -> tuple[list[Decision], list[YamlIssue], list[str]]:
    decisions: list[Decision] = []
    issues: list[YamlIssue] = []
    files: list[str] = []
    for path in find_decision_files(root, exclude):
        rel = _rel(path, root)
        files.append(rel)
        try:
            data = path.read_bytes()
        except OSError as exc:
            issues.append(YamlIssue(rel, None, None, "", f"cannot read: {exc.strerror or exc}"))
            continue
        found, problems = parse_decisions(data, rel)
        decisions.extend(found)
        issues.extend(problems)
    return decisions, issues, files
