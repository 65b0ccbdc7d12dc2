"""Merging what a service declares, what peers exported and what its code shows.

Declared values win; inferred ones fill the gaps (a timeout nobody wrote down, a
fresh ID per retry attempt, a replica read). Where both speak and disagree, the
disagreement is kept as ``Drift`` for the drift rule. Peer contracts stand in for
services this repository does not declare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from contract_discovery.contracts import notation
from contract_discovery.contracts.model import SECTIONS, Contract, Entry
from contract_discovery.contracts.names import best_operation, match_service, op_key, op_similarity
from contract_discovery.model import Location


@dataclass(frozen=True)
class Merged:
    """One entry of a service's merged contract: the declared side, the inferred side, or both."""

    section: str
    owner: str
    declared: Entry | None = None
    inferred: Entry | None = None

    @property
    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.inferred is not None:
            out.update(self.inferred.data)
        if self.declared is not None:
            out.update(self.declared.data)
        return out

    def get(self, key: str, default: Any = None) -> Any:
        if self.declared is not None and key in self.declared.data:
            return self.declared.data[key]
        if self.inferred is not None and key in self.inferred.data:
            return self.inferred.data[key]
        return default

    def origin_of(self, key: str) -> str | None:
        if self.declared is not None and key in self.declared.data:
            return self.declared.origin
        if self.inferred is not None and key in self.inferred.data:
            return "inferred"
        return None

    def where(self, key: str) -> Location | None:
        if self.declared is not None and key in self.declared.data:
            return self.declared.where(key)
        if self.inferred is not None and key in self.inferred.data:
            return self.inferred.where(key)
        return self.location

    @property
    def location(self) -> Location | None:
        for entry in (self.declared, self.inferred):
            if entry is not None and entry.location is not None:
                return entry.location
        return None

    @property
    def evidence(self) -> tuple[Location, ...]:
        out: list[Location] = []
        for entry in (self.declared, self.inferred):
            if entry is not None:
                out.extend(e for e in entry.evidence if e not in out)
        return tuple(out)

    def locations(self, *keys: str, evidence: bool = False) -> tuple[Location, ...]:
        out: list[Location] = []
        for key in keys:
            loc = self.where(key)
            if loc is not None and loc.path and loc not in out:
                out.append(loc)
        if not keys and self.location is not None:
            out.append(self.location)
        if evidence:
            out.extend(e for e in self.evidence if e not in out)
        return tuple(out)


@dataclass(frozen=True)
class Drift:
    """A declared value the code contradicts."""

    service: str
    subject: str  # "risk.scoreTransaction"
    key: str  # timeout, retry, generates_new_request_id
    declared: str
    inferred: str
    declared_at: Location | None
    inferred_at: tuple[Location, ...]
    provider: str | None = None


@dataclass
class View:
    """A service's merged contract."""

    service: str
    sections: dict[str, list[Merged]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    declared: bool = False  # a declared (or peer) contract exists
    declared_sections: set[str] = field(default_factory=set)
    files: tuple[str, ...] = ()

    def section(self, name: str) -> list[Merged]:
        return self.sections[name]


@dataclass
class Merge:
    views: dict[str, View]
    drifts: list[Drift]
    known: list[str]

    _canon_cache: dict = field(default_factory=dict, repr=False)

    def canon(self, name: str | None) -> str | None:
        if not name:
            return None
        found = self._canon_cache.get(name)
        if found is None:
            found = self._canon_cache[name] = match_service(name, self.known) or name
        return found


def split_target(target: str) -> tuple[str, str | None]:
    if "." in target:
        service, _, operation = target.partition(".")
        return service, operation or None
    return target, None


def _rename(entry: Entry, aliases: Mapping[str, str]) -> Entry:
    """Map scanned service names in an inferred entry onto contract names."""
    data = dict(entry.data)
    changed = False
    for key in ("service",):
        value = data.get(key)
        if isinstance(value, str) and value in aliases:
            data[key] = aliases[value]
            changed = True
    if entry.section == "retry_policies" and isinstance(data.get("target"), str):
        service, operation = split_target(data["target"])
        if service in aliases:
            data["target"] = aliases[service] + (f".{operation}" if operation else "")
            changed = True
    if not changed:
        return entry
    return Entry(entry.section, data, entry.origin, entry.location, entry.fields, entry.evidence)


def merge_contracts(declared: Mapping[str, Contract], inferred: Iterable[Contract],
                    peers: Mapping[str, Contract] | None = None, aliases: Mapping[str, str] | None = None,
                    extra_services: Iterable[str] = ()) -> Merge:
    aliases = dict(aliases or {})
    peers = dict(peers or {})
    stated: dict[str, Contract] = {}
    for name, contract in peers.items():
        stated[name] = contract
    for name, contract in declared.items():
        stated[name] = contract  # a local declaration wins over a peer's export
    inferred_by: dict[str, Contract] = {}
    for contract in inferred:
        name = aliases.get(contract.service, contract.service)
        inferred_by[name] = contract
    known = sorted(set(stated) | set(inferred_by) | {aliases.get(s, s) for s in extra_services})
    result = Merge({}, [], known)
    for name in known:
        view = View(name)
        contract = stated.get(name)
        if contract is not None:
            view.declared = True
            view.files = contract.files
            for section in SECTIONS:
                entries = contract.section(section)
                if entries:
                    view.declared_sections.add(section)
                view.sections[section] = [Merged(section, name, declared=e) for e in entries]
        code = inferred_by.get(name)
        if code is not None:
            for section in SECTIONS:
                # entries that name their operation first, so an operation-less one cannot take
                # the declared entry another call clearly belongs to
                entries = [_rename(e, aliases) for e in code.section(section)]
                entries.sort(key=lambda e: not op_key(_target_of(e)[1]) if section in ("depends_on", "retry_policies") else 0)
                for entry in entries:
                    _absorb(view, entry, result)
        result.views[name] = view
    for view in result.views.values():
        result.drifts.extend(_drifts(view, result))
    return result


def _matches(section: str, declared: Entry, inferred: Entry, merge: Merge, siblings: list[Merged],
             owner: str = "") -> bool:
    """Whether an inferred entry speaks of the same thing as a declared one (the operation is
    compared by ``_absorb`` for depends_on and retry_policies)."""
    if section == "operations":
        if op_key(declared.get("name")) == op_key(inferred.get("name")):
            return True
        keyed = [m for m in siblings if m.declared is not None and m.declared.get("idempotency_key")]
        if op_similarity(declared.get("name"), inferred.get("name")) > 0 and len(keyed) >= 1:
            return True
        return len(keyed) == 1 and keyed[0].declared is declared and not any(
            op_key(m.declared.get("name")) == op_key(inferred.get("name")) for m in siblings if m.declared)
    if section == "data_dependencies":
        d_provider = data_provider(declared.data, merge)
        i_provider = data_provider(inferred.data, merge)
        if i_provider == owner:
            i_provider = None  # "its own database" is only the default for an unnamed alias
        if d_provider and i_provider:
            return d_provider == i_provider
        declared_deps = [m for m in siblings if m.declared is not None]
        return len(declared_deps) == 1
    return False


def _target_of(entry: Entry) -> tuple[str | None, str | None]:
    if entry.section == "retry_policies":
        return split_target(str(entry.get("target") or ""))
    return entry.get("service"), entry.get("operation")


def data_provider(data: Mapping[str, Any], merge: Merge) -> str | None:
    """The service that owns a data dependency's source (``orders-db`` -> ``orders``)."""
    for key in ("service", "source"):
        value = data.get(key)
        if isinstance(value, str):
            found = match_service(value, merge.known)
            if found:
                return found
    return None


def _absorb(view: View, entry: Entry, merge: Merge) -> None:
    siblings = view.sections[entry.section]
    free = [i for i, m in enumerate(siblings) if m.declared is not None and m.inferred is None]
    chosen = None
    if entry.section in ("depends_on", "retry_policies"):
        service, operation = _target_of(entry)
        same = [i for i in free if merge.canon(_target_of(siblings[i].declared)[0]) == merge.canon(service)]
        all_same = [m for m in siblings if m.declared is not None
                    and merge.canon(_target_of(m.declared)[0]) == merge.canon(service)]
        best = best_operation(operation, same, lambda i: _target_of(siblings[i].declared)[1])
        if best is not None:
            chosen = best
        elif same and not op_key(operation) and len(all_same) == 1:
            chosen = same[0]  # the code does not say which operation; the service declares one
        elif same and len(all_same) == 1 and not op_key(_target_of(siblings[same[0]].declared)[1]):
            chosen = same[0]  # the declaration names no operation: it covers every call
    else:
        for i in free:
            if _matches(entry.section, siblings[i].declared, entry, merge, siblings, view.service):
                chosen = i
                break
    if chosen is None:
        siblings.append(Merged(entry.section, view.service, None, entry))
    else:
        siblings[chosen] = Merged(entry.section, view.service, siblings[chosen].declared, entry)


def _drifts(view: View, merge: Merge) -> list[Drift]:
    out: list[Drift] = []
    for merged in view.section("depends_on"):
        d, i = merged.declared, merged.inferred
        if d is None or i is None or d.origin != "declared":
            continue
        subject = d.get("service", "?") + (f".{d.get('operation')}" if d.get("operation") else "")
        provider = merge.canon(d.get("service"))
        if "timeout" in d.data and "timeout" in i.data:
            try:
                declared_ms = notation.parse_duration(d.get("timeout"), allow_none=True)
                inferred_ms = notation.parse_duration(i.get("timeout"), allow_none=True)
                readable = True
            except notation.NotationError:
                declared_ms = inferred_ms = None
                readable = False
            if readable and ((declared_ms is None) != (inferred_ms is None) or (
                    declared_ms is not None and inferred_ms is not None and abs(declared_ms - inferred_ms) > 0.5)):
                out.append(Drift(view.service, subject, "timeout", f"timeout {notation.format_ms(declared_ms)}",
                                 f"timeout {notation.format_ms(inferred_ms)}", d.where("timeout"),
                                 _code_locs(i, "timeout"), provider))
        if "retry" in d.data and "retry" in i.data:
            try:
                declared_retry = notation.parse_retry(d.get("retry"))
                inferred_retry = notation.parse_retry(i.get("retry"))
            except notation.NotationError:
                declared_retry = inferred_retry = None
            if declared_retry is not None and inferred_retry is not None:
                da, ia = declared_retry.max_attempts, inferred_retry.max_attempts
                differs = (da == 1 and ia != 1) or (da is not None and ia is not None and da != ia)
                if differs:
                    out.append(Drift(view.service, subject, "retry", _attempts_text(da), _attempts_text(ia),
                                     d.where("retry"), _code_locs(i, "retry"), provider))
    for merged in view.section("operations"):
        d, i = merged.declared, merged.inferred
        if d is None or i is None or d.origin != "declared" or "window" not in d.data or "window" not in i.data:
            continue
        try:
            declared_window = notation.parse_duration(d.get("window"))
            inferred_window = notation.parse_duration(i.get("window"))
        except notation.NotationError:
            continue
        if declared_window is not None and inferred_window is not None and abs(declared_window - inferred_window) > 0.5:
            out.append(Drift(view.service, str(d.get("name")), "window",
                             f"idempotency window {notation.format_ms(declared_window)}",
                             f"idempotency window {notation.format_ms(inferred_window)}",
                             d.where("window"), _code_locs(i, "window"), None))
    for merged in view.section("retry_policies"):
        d, i = merged.declared, merged.inferred
        if d is None or i is None or d.origin != "declared":
            continue
        declared_flag = new_id_flag(d.data)
        inferred_flag = new_id_flag(i.data)
        if declared_flag is False and inferred_flag is True:
            out.append(Drift(view.service, str(d.get("target")), "generates_new_request_id",
                             "generates_new_request_id: false", "a new request ID per attempt",
                             d.where("on_timeout") or d.location, _code_locs(i, "on_timeout"),
                             merge.canon(split_target(str(d.get("target")))[0])))
    return out


def _code_locs(entry: Entry, key: str) -> tuple[Location, ...]:
    loc = entry.where(key)
    return (loc,) if loc is not None else entry.evidence[:1]


def _attempts_text(attempts: int | None) -> str:
    if attempts == 1:
        return "no retry"
    if attempts is None:
        return "retries (attempts unknown)"
    return f"{attempts} attempts"


def new_id_flag(data: Mapping[str, Any]) -> bool | None:
    """``generates_new_request_id`` wherever a retry policy puts it."""
    for key in ("on_timeout", "on_error", "on_failure"):
        value = data.get(key)
        if isinstance(value, dict) and isinstance(value.get("generates_new_request_id"), bool):
            return value["generates_new_request_id"]
    value = data.get("generates_new_request_id")
    return value if isinstance(value, bool) else None
