"""Latency rules: a consumer's latency budget against what its provider delivers, and the
consumer's timeout against both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.contracts import notation
from contract_discovery.contracts.merge import Merged
from contract_discovery.contracts.names import best_operation, op_key
from contract_discovery.contracts.notation import Latency, Point, format_ms, percentile_rank
from contract_discovery.model import CheckResult

TIERS = ("acceptable", "maximum", "target")


@dataclass(frozen=True)
class Violation:
    tier: str  # acceptable / maximum / target
    bound: Point  # what the consumer expects
    actual: Point  # what the provider gives
    side: str  # current / target
    inferred: bool  # the provider's value is at a lower percentile (p99 >= p95)

    def expected_text(self) -> str:
        return self.bound.text()

    def actual_text(self) -> str:
        text = f"{self.actual.percentile or 'latency'} = {format_ms(self.actual.ms)} ({self.side})"
        if self.inferred:
            text += f", so {self.bound.percentile} >= {format_ms(self.actual.ms)}"
        return text


def budget_tiers(value: object) -> dict[str, Latency]:
    """``latency_budget`` as tiers; a single statement is the acceptable tier."""
    return {tier: latency for tier, latency in _budget_tiers(value).items() if latency.points}


def _budget_tiers(value: object) -> dict[str, Latency]:
    try:
        if isinstance(value, dict) and not set(value) & set(TIERS):
            # {p95: 200ms, p99: 500ms}: upper bounds, the acceptable tier
            parsed = notation.parse_latency(value)
            return {"acceptable": Latency(tuple(Point(p.percentile, "<", p.ms) for p in parsed.points), (), parsed.text)}
        if isinstance(value, dict):
            return {tier: notation.parse_latency(value[tier]) for tier in TIERS if tier in value}
        if value is not None:
            return {"acceptable": notation.parse_latency(value)}
    except notation.NotationError:
        return {}
    return {}


def provided_latency(value: object) -> dict[str, Latency]:
    """``latency`` of a provided operation as {current, target}; a single statement is current."""
    try:
        if isinstance(value, dict) and set(value) & {"current", "target"}:
            return {side: notation.parse_latency(value[side]) for side in ("current", "target") if side in value}
        if value is not None:
            return {"current": notation.parse_latency(value)}
    except notation.NotationError:
        return {}
    return {}


def value_at(latency: Latency, percentile: str | None) -> tuple[Point | None, bool]:
    """The provider's value at ``percentile``, or the highest lower percentile (a lower bound)."""
    if percentile is None:
        best = max(latency.points, key=lambda p: percentile_rank(p.percentile), default=None)
        return best, bool(best and best.percentile)
    exact = latency.get(percentile)
    if exact is not None:
        return exact, False
    rank = percentile_rank(percentile)
    lower = [p for p in latency.points if p.percentile and percentile_rank(p.percentile) <= rank]
    if lower:
        return max(lower, key=lambda p: percentile_rank(p.percentile)), True
    return None, False


def violates(bound: Point, actual: Point) -> bool:
    if bound.op in ("<",):
        return actual.ms >= bound.ms
    return actual.ms > bound.ms


def compare(tiers: dict[str, Latency], provided: Latency, side: str) -> list[Violation]:
    out = []
    for tier in TIERS:
        budget = tiers.get(tier)
        if budget is None:
            continue
        for bound in budget.points:
            actual, inferred = value_at(provided, bound.percentile)
            if actual is not None and violates(bound, actual):
                out.append(Violation(tier, bound, actual, side, inferred))
    return out


def provider_operation(ctx: Context, dependency: Merged) -> tuple[str | None, Merged | None]:
    """The provider's ``provides`` entry with latency for the operation the consumer calls."""
    provider = ctx.canon(dependency.get("service"))
    view = ctx.view(provider)
    if view is None:
        return provider, None
    wanted = op_key(dependency.get("operation"))
    candidates = [m for m in view.section("provides") if m.get("latency") is not None]
    for m in candidates:
        if wanted and op_key(m.get("operation") or m.get("endpoint")) == wanted:
            return provider, m
    best = best_operation(dependency.get("operation"), candidates, lambda m: m.get("operation") or m.get("endpoint"))
    if best is not None:
        return provider, best
    with_ops = [m for m in candidates if m.get("operation") or m.get("endpoint")]
    if not wanted and len(candidates) == 1:
        return provider, candidates[0]
    if wanted and len(candidates) == 1 and not with_ops:
        return provider, candidates[0]
    return provider, None


def _subject(dependency: Merged) -> str:
    return op_key(dependency.get("operation"))


def _action(provider: str, tiers: dict[str, Latency], provided: dict[str, Latency], consumer: str,
            headline: Violation) -> tuple[str, str | None]:
    target = provided.get("target")
    if target is not None:
        plan_fails = [v for v in compare(tiers, target, "target") if v.tier != "target"]
        if not plan_fails:
            plan = f"{provider} targets {target.text}"
            for need in target.notes:
                match = re.match(r"^(?:requires|require|needs|need)\s+(.+)$", need.strip(), re.IGNORECASE)
                if match:
                    return f"{cap(provider)} must implement {match.group(1)} before integration", plan
            return f"{cap(provider)} must reach its target ({target.text}) before integration", plan
        plan = f"{provider} targets {target.text}, which still misses {plan_fails[0].expected_text()}"
        return (f"{cap(provider)} must bring {headline.bound.text()} within budget, or {consumer} must relax "
                f"its budget, before integration", plan)
    return (f"{cap(provider)} must bring {headline.bound.text()} within budget, or {consumer} must relax its "
            f"budget, before integration", None)


def effective_timeout(dependency: Merged) -> tuple[float | None, bool]:
    """(timeout in ms, known?) of a dependency: declared or, failing that, from code."""
    value = dependency.get("timeout")
    if value is None:
        return None, False
    try:
        return notation.parse_duration(value, allow_none=True), True
    except notation.NotationError:
        return None, False


def latency_pairs(ctx: Context) -> Iterator[tuple[str, Merged, str | None, Merged | None]]:
    for consumer in sorted(ctx.views):
        for dependency in ctx.views[consumer].section("depends_on"):
            provider, provision = provider_operation(ctx, dependency)
            yield consumer, dependency, provider, provision


def _budget_violation(consumer: str, dependency: Merged, provider: str | None,
                      provision: Merged | None) -> tuple[list[Violation], dict, dict]:
    tiers = budget_tiers(dependency.get("latency_budget"))
    if not tiers or provision is None or provider is None:
        return [], tiers, {}
    provided = provided_latency(provision.get("latency"))
    if "current" in provided:
        return compare(tiers, provided["current"], "current"), tiers, provided
    if "target" in provided:
        return compare(tiers, provided["target"], "target"), tiers, provided
    return [], tiers, provided


@rule("latency-budget", "Latency contract violation", "BLOCKS_INTEGRATION",
      "A consumer that budgets less time than its provider takes breaks its own users' experience.")
def latency_budget(ctx: Context) -> Iterable[CheckResult]:
    """What it does: compares each consumer's `latency_budget` (tiers `target`, `acceptable`,
    `maximum`) with the provider's `latency`, percentile by percentile, using the provider's
    `current` values; the provider's `target` is quoted as the plan.

    Why it matters: "call the risk API" does not say "within 200ms"; a 3.2s p95 behind a 200ms
    budget is found in load tests, weeks later.

    Status: BLOCKS_INTEGRATION when the `acceptable` or `maximum` tier is missed; WARNING when
    only the `target` (a goal) is missed. A p99 bound is checked against a lower percentile when
    the provider gives no p99 (p99 >= p95).

    Example: checkout `acceptable: p95 < 200ms`, risk `current: p50=2800ms, p95=3200ms`.
    Use instead: meet the budget (the provider's target and its notes give the action), or relax it."""
    for consumer, dependency, provider, provision in latency_pairs(ctx):
        violations, tiers, provided = _budget_violation(consumer, dependency, provider, provision)
        if not violations or provider is None or provision is None:
            continue
        hard = [v for v in violations if v.tier != "target"]
        headline = (hard or violations)[0]
        action, plan = _action(provider, tiers, provided, consumer, headline)
        timeout_ms, known = effective_timeout(dependency)
        note = None
        if known and timeout_ms is not None:
            late = _timeout_fires(timeout_ms, provided.get("current") or provided.get("target"))
            if late:
                note = f"{possessive(consumer)} {format_ms(timeout_ms)} timeout will fire on {late}"
        yield result(
            "latency-budget", consumer, provider, headline.expected_text(), headline.actual_text(), action,
            locations=(*dependency.locations("latency_budget"), *provision.locations("latency")),
            key=f"{_subject(dependency)}",
            status=None if hard else "WARNING",
            lines=[[f"{consumer} expects", headline.expected_text()], [f"{provider} provides", headline.actual_text()]],
            plan=plan, note=note,
            violations=[{"tier": v.tier, "expected": v.expected_text(), "actual": v.actual_text()} for v in violations],
            operation=dependency.get("operation"))


def _timeout_fires(timeout_ms: float, latency: Latency | None) -> str | None:
    """"more than 5% of calls (p95 = 3200ms)" when a timeout is below a known percentile."""
    if latency is None:
        return None
    slower = [p for p in latency.points if p.percentile and p.ms > timeout_ms and percentile_rank(p.percentile) < 100]
    if not slower:
        return None
    lowest = min(slower, key=lambda p: percentile_rank(p.percentile))
    share = round(100 - percentile_rank(lowest.percentile), 3)
    share_text = f"{share:g}"
    return f"more than {share_text}% of calls ({lowest.percentile} = {format_ms(lowest.ms)})"


@rule("timeout-below-provider-latency", "Timeout below provider latency", "WARNING",
      "A timeout shorter than the provider's p99 fires on real traffic, not only on failures.")
def timeout_below_provider_latency(ctx: Context) -> Iterable[CheckResult]:
    """What it does: compares the consumer's timeout for a dependency (declared, or set in code)
    with the provider's current latency; reports when it is below the provider's p99 (or any
    lower percentile), with the share of calls that will time out.

    Why it matters: timeouts are meant for failures; a timeout under p99 cancels healthy calls,
    and with retries it multiplies load exactly when the provider is slow.

    Status: WARNING; BLOCKS_INTEGRATION when the timeout is below the provider's median (p50):
    most calls then fail. Not reported when the same pair already has a latency-budget violation
    (that result carries the note). Use instead: raise the timeout to the provider's p99 plus headroom, or get the
    provider faster."""
    for consumer, dependency, provider, provision in latency_pairs(ctx):
        if provision is None or provider is None:
            continue
        timeout_ms, known = effective_timeout(dependency)
        if not known or timeout_ms is None:
            continue
        violations, _, provided = _budget_violation(consumer, dependency, provider, provision)
        if violations:
            continue
        latency = provided.get("current") or provided_latency(provision.get("latency")).get("current")
        late = _timeout_fires(timeout_ms, latency)
        if not late:
            continue
        p99, _ = value_at(latency, "p99") if latency else (None, False)
        shown = p99 if p99 is not None else max(latency.points, key=lambda p: percentile_rank(p.percentile))
        origin = dependency.origin_of("timeout")
        median, _ = value_at(latency, "p50") if latency else (None, False)
        most_fail = median is not None and median.percentile == "p50" and timeout_ms < median.ms
        if most_fail:
            shown = median  # the reason it blocks: most calls take longer than the timeout
        yield result(
            "timeout-below-provider-latency", consumer, provider,
            f"timeout {format_ms(timeout_ms)}" + (" (code)" if origin == "inferred" else ""),
            f"{shown.percentile} = {format_ms(shown.ms)} (current)",
            f"{cap(possessive(consumer))} timeout will fire on {late}; raise it above {possessive(provider)} p99 or make {provider} faster",
            locations=(*dependency.locations("timeout"), *provision.locations("latency")),
            key=_subject(dependency), status="BLOCKS_INTEGRATION" if most_fail else None,
            lines=[[f"{consumer} times out after", format_ms(timeout_ms)],
                   [f"{provider} provides", f"{shown.percentile} = {format_ms(shown.ms)} (current)"]],
            operation=dependency.get("operation"))


@rule("timeout-exceeds-budget", "Timeout beyond latency budget", "WARNING",
      "A timeout longer than the consumer's own budget lets one slow call spend the whole budget.")
def timeout_exceeds_budget(ctx: Context) -> Iterable[CheckResult]:
    """What it does: compares the consumer's timeout for a dependency with the largest bound of
    its own `latency_budget` (usually `maximum`); reports a timeout above it, or no timeout at all.

    Why it matters: the budget says "after 500ms this call is useless to us"; a 5s timeout keeps
    a thread, a connection and the user waiting ten times longer.

    Use instead: set the timeout at or below the budget maximum."""
    for consumer, dependency, provider, _provision in latency_pairs(ctx):
        tiers = budget_tiers(dependency.get("latency_budget"))
        if not tiers:
            continue
        timeout_ms, known = effective_timeout(dependency)
        if not known or (timeout_ms is None and dependency.origin_of("timeout") == "inferred"):
            continue  # no timeout in code at all: missing-timeout says so
        points = [p for latency in tiers.values() for p in latency.points]
        ceiling = max(points, key=lambda p: (p.ms, percentile_rank(p.percentile)))
        if timeout_ms is not None and timeout_ms <= ceiling.ms:
            continue
        shown = "none" if timeout_ms is None else format_ms(timeout_ms)
        origin = dependency.origin_of("timeout")
        yield result(
            "timeout-exceeds-budget", consumer, provider or dependency.get("service"),
            ceiling.text(), f"timeout {shown}" + (" (code)" if origin == "inferred" else ""),
            f"{cap(consumer)} should time out within its own budget ({ceiling.text()})",
            locations=(*dependency.locations("timeout", "latency_budget"),),
            key=_subject(dependency),
            lines=[[f"{consumer} budget", ceiling.text()], [f"{consumer} times out after", shown]],
            operation=dependency.get("operation"))
