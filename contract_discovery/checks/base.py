"""The rule registry and what every cross-service check shares.

A rule is one function registered with ``@rule(...)``: a stable id, a title (the
headline of its results, in the seed's wording), a default status and a one-line
rationale. Its docstring is its user documentation (docs/rules.md mirrors it). A
rule reads the merged contracts (``Context``) and yields ``CheckResult``s;
decisions, severity overrides, suppressions and the baseline are applied after,
by the engine, the same way for every rule.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from contract_discovery.contracts.merge import Merge, View
from contract_discovery.model import CheckResult, Finding, Location


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    default_status: str
    rationale: str
    doc: str
    func: Callable[["Context"], Iterable[CheckResult]]
    order: int = 0


RULES: dict[str, Rule] = {}


def rule(id: str, title: str, status: str, rationale: str) -> Callable:
    def wrap(func: Callable[["Context"], Iterable[CheckResult]]) -> Callable:
        RULES[id] = Rule(id, title, status, rationale, (func.__doc__ or "").strip(), func, len(RULES))
        func.rule_id = id  # type: ignore[attr-defined]
        return func

    return wrap


@dataclass
class Context:
    merge: Merge
    findings: list[Finding] = field(default_factory=list)
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def views(self) -> dict[str, View]:
        return self.merge.views

    def view(self, name: str | None) -> View | None:
        if not name:
            return None
        return self.merge.views.get(self.merge.canon(name) or name)

    def canon(self, name: str | None) -> str | None:
        if not name:
            return None
        name = self.aliases.get(name, name)
        return self.merge.canon(name)


def fingerprint(rule_id: str, consumer: str | None, provider: str | None, key: str = "") -> str:
    """Identity of a result across runs and edits: rule, the two services and the subject,
    never line numbers."""
    text = "|".join((rule_id, consumer or "", provider or "", key))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def result(rule_id: str, consumer: str | None, provider: str | None, expected: str, actual: str, action: str,
           locations: Iterable[Location] = (), key: str = "", status: str | None = None,
           title: str | None = None, **details: Any) -> CheckResult:
    spec = RULES[rule_id]
    locs: list[Location] = []
    seen: set[tuple[str, int | None]] = set()
    for loc in locations:
        if loc is not None and loc.path and (loc.path, loc.line) not in seen:
            seen.add((loc.path, loc.line))
            locs.append(loc)
    return CheckResult(
        rule=rule_id, status=status or spec.default_status, title=title or spec.title,
        consumer=consumer, provider=provider, expected=expected, actual=actual, action=action,
        locations=tuple(locs), details={k: v for k, v in details.items() if v is not None},
        fingerprint=fingerprint(rule_id, consumer, provider, key))


def cap(name: str | None) -> str:
    """``risk`` -> ``Risk`` (service names in sentences that start with them)."""
    if not name:
        return ""
    return name[0].upper() + name[1:]


def possessive(name: str | None) -> str:
    """``checkout`` -> ``checkout's``, ``orders`` -> ``orders'``."""
    if not name:
        return ""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def humanize(word: Any) -> str:
    """``velocity_fraud_detection`` -> ``velocity fraud detection``."""
    return re.sub(r"[_\-]+", " ", str(word)).strip()


def iter_rules() -> Iterator[Rule]:
    _load_rule_modules()
    yield from sorted(RULES.values(), key=lambda r: r.order)


def all_rules() -> list[Rule]:
    """The registered rules, then the infrastructure rules (checks/infra.py) when installed."""
    rules = list(iter_rules())
    try:
        from contract_discovery.checks.infra import RULES as INFRA_RULES
    except ImportError:
        return rules
    for rule_id, spec in INFRA_RULES.items():
        if rule_id in RULES:
            continue
        title, status, rationale = (tuple(spec) + ("", "", ""))[:3]
        rules.append(Rule(rule_id, str(title), str(status), str(rationale), str(rationale),
                          lambda ctx: (), 1000 + len(rules)))
    return rules


def _load_rule_modules() -> None:
    # The import order is the rules' order in reports: the seed's four conflicts first.
    from contract_discovery.checks import latency  # noqa: F401 - importing registers the rules
    from contract_discovery.checks import retry  # noqa: F401
    from contract_discovery.checks import freshness  # noqa: F401
    from contract_discovery.checks import idempotency  # noqa: F401
    from contract_discovery.checks import access  # noqa: F401
    from contract_discovery.checks import drift  # noqa: F401
    from contract_discovery.checks import dependencies  # noqa: F401
    from contract_discovery.checks import timeouts  # noqa: F401
