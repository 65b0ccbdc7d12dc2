"""Data access: a consumer needs data at an access level its provider does not offer it at."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, humanize, possessive, result, rule
from contract_discovery.contracts.merge import Merged
from contract_discovery.contracts.names import tokens
from contract_discovery.model import CheckResult

_FILLER = {"full", "only", "all", "data", "the", "of", "and", "raw", "complete", "detailed", "api", "v1", "v2"}
_OPEN = {"public", "all", "any", "anyone", "everyone", "open", "internal_all"}
_SENSITIVE_PII = {"high", "medium", "sensitive", "restricted", "yes", "true"}


def _words(value: object) -> set[str]:
    return {t for t in tokens(str(value or "")) if t not in _FILLER and len(t) > 1}


def _levels(value: object) -> set[str] | None:
    """Access levels an entry is open to; None means no restriction."""
    if value is None:
        return None
    if isinstance(value, list):
        levels = {str(v) for v in value}
    else:
        levels = {str(value)}
    if levels & _OPEN:
        return None
    return levels


def _label(entry: Merged, needed: set[str]) -> str:
    """A short name for what an endpoint returns: ``aggregate_only`` -> aggregate; when that is
    the very thing needed, the endpoint's own last word (``/fraud-signals-detailed`` -> detailed)."""
    returns = [t for t in tokens(str(entry.get("returns") or "")) if t not in _FILLER]
    label = returns[0] if returns else ""
    if not label or label in needed:
        path_words = tokens(str(entry.get("endpoint") or entry.get("operation") or entry.get("dataset") or ""))
        if path_words:
            label = path_words[-1]
    return label or str(entry.get("returns") or entry.get("endpoint") or "?")


@rule("data-access", "Data access policy conflict", "DECISION_REQUIRED",
      "When the data a consumer needs is only exposed at a stricter access level, someone has to choose between the two needs.")
def data_access(ctx: Context) -> Iterable[CheckResult]:
    """What it does: for each `requires: [{from, data, access_level}]`, looks at what the provider
    exposes (`provides: [{endpoint, returns, access, pii}]`). If no endpoint returns that data to
    that access level — only a summary is open, and the detail is restricted
    (`access: risk_team_only`, `pii: high`) — the result names the trade-off and who decides.

    Why it matters: support needs the signal breakdown to resolve a dispute; security wants PII
    kept out of support tools. Both are right; this is a decision, not a bug.

    Status: DECISION_REQUIRED (Product, Security, and the two services). Record the decision in
    `contracts/decisions.yaml` to turn the result into INFO until it expires."""
    for consumer in sorted(ctx.views):
        for need in ctx.views[consumer].section("requires"):
            provider = ctx.canon(need.get("from"))
            view = ctx.view(provider)
            if view is None or provider is None:
                continue
            exposed = [m for m in view.section("provides") if m.get("returns") is not None or m.get("endpoint") is not None]
            if not exposed:
                continue
            needed = _words(need.get("data"))
            level = str(need.get("access_level") or "")
            has_data = []
            for m in exposed:
                offered = _words(m.get("returns")) if m.get("returns") is not None else _words(m.get("endpoint"))
                if needed & offered:
                    has_data.append(m)
            open_to_me = [m for m in has_data if (_levels(m.get("access")) is None or level in (_levels(m.get("access")) or set()))]
            if open_to_me:
                continue
            shared = set()
            for m in has_data:
                shared |= needed & (_words(m.get("returns")) or _words(m.get("endpoint")))
            data_words = [t for t in tokens(str(need.get("data"))) if t in shared] or [humanize(need.get("data"))]
            data_text = " ".join(data_words)
            expected = f"{data_text} at {level}" if level else data_text
            alternatives = []
            for m in exposed:
                if m in has_data:
                    levels = _levels(m.get("access")) or set()
                    alternatives.append(f"{_label(m, needed)} (requires {' or '.join(sorted(levels))})")
                elif _levels(m.get("access")) is None or level in (_levels(m.get("access")) or set()):
                    alternatives.append(f"{_label(m, needed)} (insufficient)")
            if not alternatives:
                alternatives = ["nothing at that level"]
            actual = " OR ".join(alternatives)
            sensitive = any(str(m.get("pii") or "").lower() in _SENSITIVE_PII for m in has_data)
            use = need.get("use_case")
            trade_off = (f"{cap(consumer)} workflow vs PII minimization" if sensitive
                         else f"{cap(consumer)} workflow vs {possessive(provider)} access policy")
            deciders = ["Product", "Security", cap(consumer), cap(provider)]
            yield result(
                "data-access", consumer, provider, expected, actual,
                f"{' + '.join(deciders)} decide; record the decision in contracts/decisions.yaml",
                locations=(*need.locations("access_level", "data"),
                           *(loc for m in has_data or exposed for loc in m.locations("access", "returns"))),
                key=f"{need.get('data')}|{level}",
                lines=[[f"{consumer} needs", expected], [f"{provider} provides", alternatives]],
                trade_off=trade_off, decision_by=deciders, use_case=use, data=need.get("data"),
                access_level=level or None)
