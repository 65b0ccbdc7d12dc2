"""Data freshness: what a consumer needs against what the provider's channel guarantees."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, humanize, result, rule
from contract_discovery.contracts import notation
from contract_discovery.contracts.merge import Merged, data_provider
from contract_discovery.contracts.names import op_key, tokens
from contract_discovery.contracts.notation import Freshness, format_ms, format_range
from contract_discovery.model import CheckResult


def _channel(via: object) -> str:
    text = str(via or "").lower()
    if "replica" in text:
        return "replica lag"
    if "stream" in text or "event" in text or "queue" in text or "topic" in text:
        return "stream lag"
    if "cache" in text:
        return "cache age"
    if "batch" in text or "etl" in text or "snapshot" in text:
        return "batch delay"
    return f"via {humanize(via)}" if via else ""


def _provided_text(freshness: Freshness, via: object) -> str:
    if freshness.typical is not None:
        shown = format_range(*freshness.typical)
    elif freshness.max_ms is not None:
        shown = format_ms(freshness.max_ms)
    elif freshness.bound_ms is not None:
        shown = f"<{format_ms(freshness.bound_ms)}"
    else:
        shown = freshness.headline or freshness.text
    channel = _channel(via)
    return f"{shown} ({channel})" if channel else shown


def _provision(ctx: Context, provider: str | None, dependency: Merged) -> Merged | None:
    view = ctx.view(provider)
    if view is None:
        return None
    datasets = [m for m in view.section("provides") if m.get("dataset")]
    wanted = op_key(dependency.get("dataset"))
    matching = [m for m in datasets if wanted and op_key(m.get("dataset")) == wanted]
    if not wanted and len(datasets) == 1:
        matching = datasets
    if len(matching) <= 1:
        return matching[0] if matching else None
    # one dataset through several channels: the code's replica read picks the replica; otherwise
    # the consumer may use the freshest channel
    reads_replica = dependency.inferred is not None and "replica" in str(dependency.inferred.get("via", ""))
    if reads_replica:
        replicas = [m for m in matching if "replica" in str(m.get("via", ""))]
        if replicas:
            return replicas[0]

    def worst(m: Merged) -> float:
        try:
            value = notation.parse_freshness(m.get("freshness")).worst_ms() if m.get("freshness") is not None else None
        except notation.NotationError:
            value = None
        return value if value is not None else float("inf")

    return min(matching, key=worst)


def _purpose(reason: object, view) -> str:
    """The reason in the consumer's own words: the words of its own domain (those naming what it
    provides: risk's ``/fraud-score``) go without saying, so ``velocity_fraud_detection`` reads
    "velocity detection" for risk. At least two words stay; else the reason is kept whole."""
    words = humanize(reason).split()
    vocabulary: set[str] = set()
    for m in view.section("provides"):
        for key in ("operation", "endpoint", "dataset", "event", "topic"):
            vocabulary |= set(tokens(str(m.get(key) or "")))
    for m in view.section("operations"):
        vocabulary |= set(tokens(str(m.get("name") or "")))
    short = [w for w in words if w.lower() not in vocabulary]
    return " ".join(short) if 2 <= len(short) < len(words) else " ".join(words)


def _owner_of_dataset(ctx: Context, dependency: Merged, consumer: str) -> str | None:
    """The one service that provides the dataset, when the consumer names no source."""
    wanted = op_key(dependency.get("dataset"))
    if not wanted:
        return None
    owners = [name for name, view in ctx.views.items() if name != consumer
              and any(op_key(m.get("dataset")) == wanted for m in view.section("provides"))]
    return owners[0] if len(owners) == 1 else None


def _requirement(dependency: Merged) -> Freshness | None:
    value = dependency.get("freshness_required")
    if value is None:
        return None
    try:
        return notation.parse_freshness(value)
    except notation.NotationError:
        return None


def _limit(requirement: Freshness) -> tuple[float | None, bool]:
    """(limit in ms, strict?) of a requirement: ``<10s`` is strict, ``10s max`` is not."""
    if requirement.bound_ms is not None:
        return requirement.bound_ms, requirement.bound_op == "<"
    worst = requirement.worst_ms()
    return worst, False


@rule("data-freshness", "Data freshness violation", "BLOCKS_INTEGRATION",
      "A consumer that needs fresher data than the provider's channel gives makes wrong decisions silently.")
def data_freshness(ctx: Context) -> Iterable[CheckResult]:
    """What it does: compares each `data_dependencies` entry's `freshness_required` with the
    provider's `freshness` for that dataset (`provides: [{dataset, via, freshness}]`). The
    provider is found from `source` (`orders-db` -> orders) or `service`. A `replica_read` in the
    consumer's code (Django `using("orders_replica")`, SQLAlchemy binds, Rails `connected_to`...)
    is shown as evidence; when the provider declares no freshness but the code reads a replica,
    the result is a WARNING (replica lag unknown).

    Why it matters: velocity checks on a replica 30s behind see one purchase where there were
    four; nothing fails, the answers are just wrong.

    Use instead: an event stream or the primary for that read, a looser requirement, or an
    algorithm that tolerates the lag."""
    for consumer in sorted(ctx.views):
        for dependency in ctx.views[consumer].section("data_dependencies"):
            requirement = _requirement(dependency)
            if requirement is None:
                continue
            # The declared source wins: code that reads "a replica" through an unresolved DSN
            # defaults to the consumer's own database, which must not replace `source: orders-db`.
            provider = (data_provider(dependency.declared.data, ctx.merge) if dependency.declared is not None else None) \
                or data_provider(dependency.data, ctx.merge) or _owner_of_dataset(ctx, dependency, consumer)
            provision = _provision(ctx, provider, dependency)
            limit, strict = _limit(requirement)
            if limit is None:
                continue
            reason = dependency.get("reason")
            purpose = f" for {_purpose(reason, ctx.views[consumer])}" if reason else ""
            expected = f"{requirement.text}{purpose}"
            impact = None
            if reason:
                impact = f"{cap(humanize(reason))} unreliable"
                if dependency.get("impact_if_stale"):
                    impact += f" ({humanize(dependency.get('impact_if_stale'))})"
            elif dependency.get("impact_if_stale"):
                impact = cap(humanize(dependency.get("impact_if_stale")))
            code = [m for m in (dependency.inferred,) if m is not None and "replica" in str(m.get("via", ""))]
            code_locs = tuple(loc for m in code for loc in m.evidence)
            subject = f"{op_key(dependency.get('dataset'))}"
            who = provider or str(dependency.get("source") or dependency.get("service") or "the source")
            freshness = None
            via = None
            if provision is not None and provision.get("freshness") is not None:
                try:
                    freshness = notation.parse_freshness(provision.get("freshness"))
                except notation.NotationError:
                    freshness = None
                via = provision.get("via")
            if freshness is not None:
                worst = freshness.worst_ms()
                if worst is None or (worst < limit if strict else worst <= limit):
                    continue
                actual = _provided_text(freshness, via)
                resolutions = [
                    f"{who}: Provide event stream (infrastructure)" if "replica" in str(via or "") or "batch" in str(via or "")
                    else f"{who}: Guarantee freshness {requirement.text} (infrastructure)",
                    f"{consumer}: Relax requirement (accuracy loss)",
                    f"{consumer}: Alternative algorithm (redesign)",
                ]
                yield result(
                    "data-freshness", consumer, provider, expected, actual,
                    "Choose one of the resolutions before integration",
                    locations=(*dependency.locations("freshness_required"), *provision.locations("freshness"), *code_locs),
                    key=subject,
                    lines=[[f"{consumer} requires", expected], [f"{who} provides", actual]],
                    impact=impact, resolutions=resolutions,
                    worst_ms=worst, required_ms=limit, dataset=dependency.get("dataset"),
                    note=(f"{possessive(consumer)} code reads a replica ({', '.join(str(m.get('source')) for m in code)})" if code else None))
                continue
            replica_via = provision is not None and "replica" in str(provision.get("via", ""))
            if code or replica_via:
                actual = "replica read, lag not declared" if code else f"{humanize(provision.get('via'))}, freshness not declared"
                yield result(
                    "data-freshness", consumer, provider, expected, actual,
                    f"{cap(who)} must declare the replica's lag (freshness) so {possessive(consumer)} need can be checked; "
                    f"or read from the primary or an event stream",
                    locations=(*dependency.locations("freshness_required"),
                               *(provision.locations("via") if provision is not None else ()), *code_locs),
                    key=subject, status="WARNING",
                    lines=[[f"{consumer} requires", expected], [f"{who} provides", actual]],
                    impact=impact, dataset=dependency.get("dataset"))
