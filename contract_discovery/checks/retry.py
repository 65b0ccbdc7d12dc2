"""Retry amplification: retries whose worst case outlasts the caller's own budget or timeout."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.checks.latency import budget_tiers, effective_timeout
from contract_discovery.contracts import notation
from contract_discovery.contracts.merge import Merged
from contract_discovery.contracts.notation import format_ms, percentile_rank
from contract_discovery.model import CheckResult


def retry_of(dependency: Merged) -> notation.Retry | None:
    value = dependency.get("retry")
    if value is None:
        return None
    try:
        return notation.parse_retry(value)
    except notation.NotationError:
        return None


def worst_case(dependency: Merged) -> tuple[float, str, int] | None:
    """(worst-case ms, how it adds up, attempts) of calling a dependency with its retries."""
    retry = retry_of(dependency)
    timeout_ms, known = effective_timeout(dependency)
    if retry is None or retry.max_attempts is None or retry.max_attempts < 2 or not known or timeout_ms is None:
        return None
    per_try = retry.per_try_timeout_ms or timeout_ms
    backoff = retry.backoff_total_ms()
    total = retry.max_attempts * per_try + (backoff or 0.0)
    text = f"{retry.max_attempts} x {format_ms(per_try)}"
    if backoff:
        text += f" + {format_ms(backoff)} backoff = {format_ms(total)}"
    else:
        text += f" = {format_ms(total)}" + (" + backoff" if backoff is None else "")
    return total, text, retry.max_attempts


def _own_deadline(ctx: Context, service: str):
    """The shortest function-level timeout in ``service``'s code (not tied to a dependency)."""
    from contract_discovery.model import Location

    best = None
    for f in ctx.findings:
        if f.kind != "timeout" or f.attributes.get("phase") != "function":
            continue
        if ctx.canon(f.service) != service or (f.target is not None and f.target.service):
            continue
        ms = f.attributes.get("timeout_ms")
        if isinstance(ms, (int, float)) and (best is None or ms < best[0]):
            best = (float(ms), Location(f.path, f.line))
    return best


@rule("retry-amplification", "Retry amplification", "WARNING",
      "Retries whose worst case outlasts the caller's budget or timeout only add load when the provider is already slow.")
def retry_amplification(ctx: Context) -> Iterable[CheckResult]:
    """What it does: computes the worst case of each retried dependency — attempts x timeout plus
    backoff — and compares it with (1) the caller's own latency budget for that dependency
    (its largest bound), (2) the caller's own function timeout (a Lambda's `timeout`), and (3) along chains, the timeout of whoever calls the caller (A retries
    B, B retries C: B's retries of C outlast A's timeout for B, and C sees up to A's x B's
    attempts).

    Why it matters: the caller has given up long before the last attempt returns; the provider
    does the work anyway, multiplied, exactly when it is overloaded.

    Use instead: a deadline for all attempts together (retry only within the remaining budget),
    fewer attempts, or retries at one layer only."""
    callers: dict[str, list[tuple[str, Merged]]] = {}
    for caller in sorted(ctx.views):
        for upstream in ctx.views[caller].section("depends_on"):
            target = ctx.canon(upstream.get("service"))
            if target and target != caller:
                callers.setdefault(target, []).append((caller, upstream))
    for consumer in sorted(ctx.views):
        for dependency in ctx.views[consumer].section("depends_on"):
            worst = worst_case(dependency)
            if worst is None:
                continue
            total, how, attempts = worst
            provider = ctx.canon(dependency.get("service"))
            tiers = budget_tiers(dependency.get("latency_budget"))
            points = [p for latency in tiers.values() for p in latency.points]
            if points:
                ceiling = max(points, key=lambda p: (p.ms, percentile_rank(p.percentile)))
                if total > ceiling.ms:
                    yield result(
                        "retry-amplification", consumer, provider, ceiling.text(), how,
                        f"{cap(consumer)} must bound its retries of {provider} by its budget ({ceiling.text()}): "
                        f"a deadline for all attempts, or fewer attempts",
                        locations=dependency.locations("retry", "timeout", "latency_budget", evidence=False),
                        key=f"{provider}|budget",
                        lines=[[f"{consumer} budget for {provider}", ceiling.text()],
                               [f"{consumer} retries {provider}", how]],
                        attempts=attempts, worst_ms=total)
            # the caller's own deadline: a function timeout (Lambda, Cloud Function) in its code
            own = _own_deadline(ctx, consumer)
            if own is not None and total > own[0]:
                deadline_ms, where = own
                yield result(
                    "retry-amplification", consumer, provider, f"{consumer} itself stops after {format_ms(deadline_ms)}",
                    how,
                    f"{cap(consumer)} must fit its retries of {provider} inside its own {format_ms(deadline_ms)} deadline",
                    locations=(*dependency.locations("retry", "timeout"), where), key=f"{provider}|deadline",
                    lines=[[f"{possessive(consumer)} own deadline", format_ms(deadline_ms)],
                           [f"{consumer} retries {provider}", how]],
                    attempts=attempts, worst_ms=total)
            # chains: whoever calls `consumer` gives up after its own timeout
            for caller, upstream in callers.get(consumer, []):
                up_timeout, known = effective_timeout(upstream)
                if not known or up_timeout is None or total <= up_timeout:
                    continue
                up_retry = retry_of(upstream)
                up_attempts = up_retry.max_attempts if up_retry and up_retry.max_attempts else 1
                chain = f"{caller} -> {consumer} -> {provider}"
                calls = up_attempts * attempts
                yield result(
                    "retry-amplification", caller, provider,
                    f"{caller} times out after {format_ms(up_timeout)}",
                    f"{consumer} retries {provider}: {how}",
                    f"{cap(consumer)} must finish its retries of {provider} within {possessive(caller)} timeout "
                    f"({format_ms(up_timeout)}), or retry at one layer only",
                    locations=(*upstream.locations("timeout", "retry"), *dependency.locations("retry", "timeout")),
                    key=f"{chain}",
                    lines=[[f"{caller} -> {consumer}", f"timeout {format_ms(up_timeout)}"
                            + (f", {up_attempts} attempts" if up_attempts > 1 else "")],
                           [f"{consumer} -> {provider}", how],
                           ["chain", f"{chain}: {provider} may receive up to {calls} calls per request"]],
                    chain=[caller, consumer, provider], attempts=calls, worst_ms=total)
