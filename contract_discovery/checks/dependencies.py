"""Dependencies the contracts and the code disagree on: a call nobody declared, a declared
dependency nobody provides."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.contracts.merge import data_provider, split_target
from contract_discovery.model import CheckResult


def _declared_partners(ctx: Context, consumer: str) -> set[str]:
    view = ctx.views[consumer]
    partners: set[str] = set()
    for m in view.section("depends_on"):
        if m.declared is not None:
            partners.add(ctx.canon(m.declared.get("service")) or "")
    for m in view.section("requires"):
        partners.add(ctx.canon(m.get("from")) or "")
    for m in view.section("data_dependencies"):
        if m.declared is not None:
            partners.add(data_provider(m.declared.data, ctx.merge) or "")
    for m in view.section("retry_policies"):
        if m.declared is not None:
            partners.add(ctx.canon(split_target(str(m.declared.get("target") or ""))[0]) or "")
    return partners


@rule("undeclared-dependency", "Undeclared dependency", "WARNING",
      "A call the contract does not list is a dependency nobody checks: no budget, no timeout agreement.")
def undeclared_dependency(ctx: Context) -> Iterable[CheckResult]:
    """What it does: for a service that declares its dependencies (`depends_on`), reports each
    service its code calls (or reads a replica of) that the contract does not list, in
    `depends_on`, `requires` or `data_dependencies`. Services that declare no dependencies at all
    are not reported (adopt contracts one service at a time).

    Why it matters: the checks can only compare what is declared; an undeclared call escapes the
    latency, retry and idempotency rules.

    Use instead: add the dependency to `contracts/*.yaml` (`contract-discovery init` proposes it)."""
    for consumer in sorted(ctx.views):
        view = ctx.views[consumer]
        if not view.declared or "depends_on" not in view.declared_sections:
            continue
        partners = _declared_partners(ctx, consumer)
        reported: set[str] = set()
        for section in ("depends_on", "data_dependencies"):
            for m in view.section(section):
                if m.declared is not None or m.inferred is None:
                    continue
                provider = (ctx.canon(m.get("service")) if section == "depends_on"
                            else data_provider(m.inferred.data, ctx.merge))
                if not provider or provider == consumer or provider in partners or provider in reported:
                    continue
                reported.add(provider)
                how = "calls" if section == "depends_on" else f"reads a replica of ({m.get('source')})"
                yield result(
                    "undeclared-dependency", consumer, provider,
                    f"{possessive(consumer)} contract lists its dependencies", f"{possessive(consumer)} code {how} {provider}",
                    f"{cap(consumer)} must declare its dependency on {provider} (depends_on) so it can be checked",
                    locations=m.evidence, key=provider,
                    lines=[[f"{consumer} declares", ", ".join(sorted(p for p in partners if p)) or "nothing"],
                           [f"{possessive(consumer)} code {how.split(' (')[0]}", provider]])


@rule("missing-provider-contract", "Missing provider contract", "WARNING",
      "A declared dependency on a service nobody describes cannot be checked at all.")
def missing_provider_contract(ctx: Context) -> Iterable[CheckResult]:
    """What it does: reports a declared dependency (`depends_on`, `requires`, `data_dependencies`)
    on a service that has no contract anywhere: not declared in this repository, not found by
    the scan, not in `--peers`; or a provider the scan found in code but which declares nothing
    (what the code shows about a provider says nothing about what it promises its callers).

    Why it matters: the consumer's expectations (budget, freshness, access) are compared with
    nothing; the check passes by default.

    Use instead: ask the provider's team for a contract, or pass their exported contracts with
    `--peers` (`contract-discovery scan --format yaml` in their repository)."""
    for consumer in sorted(ctx.views):
        view = ctx.views[consumer]
        wanted: list[tuple[str, object]] = []
        for m in view.section("depends_on"):
            if m.declared is not None:
                wanted.append((str(m.declared.get("service")), m))
        for m in view.section("requires"):
            if m.get("from"):
                wanted.append((str(m.get("from")), m))
        for m in view.section("data_dependencies"):
            source = m.declared.get("service") or m.declared.get("source") if m.declared is not None else None
            if source:
                wanted.append((str(source), m))
        seen: set[str] = set()
        for name, m in wanted:
            provider = ctx.canon(name)
            if not provider or provider in seen or provider == consumer:
                continue
            seen.add(provider)
            other = ctx.views.get(provider)
            if other is not None and other.declared:
                continue
            known = other is not None
            yield result(
                "missing-provider-contract", consumer, provider,
                f"a contract for {provider}",
                "only what the scan inferred from its code" if known else "no contract, no code, no peer export",
                f"{cap(provider)} should publish a contract (contracts/*.yaml, or --peers with its export)",
                locations=m.locations(), key=provider,
                lines=[[f"{consumer} depends on", provider],
                       [provider, "inferred from code only" if known else "no contract found"]])
