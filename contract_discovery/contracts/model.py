"""The contract model: a service's contract as sections of entries, each entry remembering where
every value came from (a line of a YAML file, or the code that showed it).

A ``Contract`` is what one service declares (``contracts/*.yaml``, merged), what a
peer repository exported, or what the scan inferred from code. Entries keep the
values as written (``"p95 < 200ms"``); ``contracts.notation`` reads them when a
check needs numbers, so messages can quote the author.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from contract_discovery.model import Location

SECTIONS = ("depends_on", "retry_policies", "provides", "operations", "data_dependencies", "requires")
ORIGINS = ("declared", "peer", "inferred")


@dataclass(frozen=True)
class Entry:
    """One item of a contract section (a dependency, a provided operation, a data need...)."""

    section: str
    data: Mapping[str, Any]
    origin: str = "declared"  # declared / peer / inferred
    location: Location | None = None  # where the entry starts (YAML file) or the first evidence
    fields: Mapping[str, Location] = field(default_factory=dict)  # key -> where its value is
    evidence: tuple[Location, ...] = ()  # code locations behind an inferred value (x-evidence)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def where(self, key: str) -> Location | None:
        """Where ``key``'s value is: its YAML line, else the entry's, else its first evidence."""
        if key in self.fields:
            return self.fields[key]
        return self.location or (self.evidence[0] if self.evidence else None)

    def locations(self, *keys: str) -> tuple[Location, ...]:
        out: list[Location] = []
        for key in keys:
            loc = self.where(key)
            if loc is not None and loc not in out:
                out.append(loc)
        return tuple(out)


@dataclass(frozen=True)
class Contract:
    service: str
    origin: str = "declared"
    depends_on: tuple[Entry, ...] = ()
    retry_policies: tuple[Entry, ...] = ()
    provides: tuple[Entry, ...] = ()
    operations: tuple[Entry, ...] = ()
    data_dependencies: tuple[Entry, ...] = ()
    requires: tuple[Entry, ...] = ()
    files: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)  # owner, description, x- keys

    def section(self, name: str) -> tuple[Entry, ...]:
        return getattr(self, name)

    def is_empty(self) -> bool:
        return not any(self.section(s) for s in SECTIONS)

    def location(self) -> Location | None:
        return Location(self.files[0], 1) if self.files else None


def merge_fragments(service: str, fragments: list[Contract], origin: str) -> Contract:
    """Join the files of one service (each file is a fragment) into one contract."""
    sections: dict[str, list[Entry]] = {s: [] for s in SECTIONS}
    files: list[str] = []
    meta: dict[str, Any] = {}
    for fragment in fragments:
        for s in SECTIONS:
            sections[s].extend(fragment.section(s))
        files.extend(f for f in fragment.files if f not in files)
        for key, value in fragment.meta.items():
            meta.setdefault(key, value)
    return Contract(service=service, origin=origin, files=tuple(files), meta=meta,
                    **{s: tuple(v) for s, v in sections.items()})
