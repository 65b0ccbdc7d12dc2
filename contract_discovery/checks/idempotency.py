"""Idempotency: a consumer that makes a new request ID per attempt, calling a provider that
dedupes by a key it expects to stay stable across retries."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.contracts.merge import Merged, new_id_flag, split_target
from contract_discovery.contracts.names import op_key, tokens
from contract_discovery.model import CheckResult

_TRACING_WORDS = {"request", "trace", "tracing", "correlation", "span", "log", "logging", "attempt", "call"}
_STABLE = ("stable_across_retries", "stable", "same_across_retries", "stable_per_transaction")


def _stable_operations(ctx: Context, provider: str | None) -> list[Merged]:
    view = ctx.view(provider)
    if view is None:
        return []
    out = []
    for m in view.section("operations"):
        expects = str(m.get("expects") or "").lower()
        if expects in _STABLE or (not expects and m.get("idempotency_key")):
            out.append(m)
    return out


_ABBREVIATIONS = {"tx": "transaction", "txn": "transaction", "trx": "transaction", "req": "request",
                  "msg": "message", "idem": "idempotency", "corr": "correlation", "ord": "order"}


def _words(name: object) -> set[str]:
    return {_ABBREVIATIONS.get(t, t) for t in tokens(str(name or ""))}


def _tracing_only(variable: object, key: object) -> bool:
    """A fresh ``X-Request-ID`` per attempt is fine when the provider dedupes by another key
    (``order_id``): the new ID may only tell attempts apart in the logs."""
    if not isinstance(variable, str) or not variable:
        return False
    words = _words(variable)
    key_words = _words(key) - {"id", "key", "x"}
    return bool(words & _TRACING_WORDS) and not (words & key_words) and "idempotency" not in words


def _match(operations: list[Merged], operation: str | None) -> Merged | None:
    wanted = op_key(operation)
    for m in operations:
        if wanted and op_key(m.get("name")) == wanted:
            return m
    if wanted:
        # a URL path names the operation loosely: /score for scoreTransaction
        loose = [m for m in operations if op_key(m.get("name")) and (
            op_key(m.get("name")).startswith(wanted) or wanted.startswith(op_key(m.get("name"))))]
        if len(loose) == 1:
            return loose[0]
        unnamed = [m for m in operations if op_key(m.get("name")) in ("", "unknown")]
        return unnamed[0] if len(unnamed) == 1 else None
    if len(operations) == 1:
        return operations[0]
    return None


@rule("idempotency", "Idempotency contract violation", "BLOCKS_INTEGRATION",
      "A fresh ID on every retry defeats the provider's deduplication: one payment is scored, billed and audited twice.")
def idempotency(ctx: Context) -> Iterable[CheckResult]:
    """What it does: finds consumers that make a new request/transaction ID for each attempt —
    declared (`retry_policies: [{on_timeout: {generates_new_request_id: true}}]`) or seen in code
    (`new_id_per_attempt`: `uuid4()` inside the retry loop) — calling an operation whose provider
    `expects: stable_across_retries` (declared in `operations`, or seen in code as a handler that
    dedupes by a key).

    Why it matters: the first attempt times out client-side but completes server-side; the retry
    carries a new ID, so it is treated as a new request.

    When the code's fresh ID is a tracing ID (`X-Request-ID`, `correlation_id`) and the provider
    dedupes by another key (`order_id`), the result is a WARNING: that is fine as long as the key
    itself stays stable.

    Use instead: make the ID once, before the retry loop, and reuse it; or send a separate
    idempotency key that stays stable while the request ID changes."""
    for consumer in sorted(ctx.views):
        for policy in ctx.views[consumer].section("retry_policies"):
            if new_id_flag(policy.data) is not True:
                continue
            service, operation = split_target(str(policy.get("target") or ""))
            provider = ctx.canon(service)
            if provider == consumer:
                continue
            target = _match(_stable_operations(ctx, provider), operation)
            if target is None or provider is None:
                continue
            key = target.get("idempotency_key") or "request ID"
            variable = policy.get("x-request-id")
            from_code = policy.declared is None or new_id_flag(policy.declared.data) is None
            tracing = from_code and _tracing_only(variable, key)
            consumer_text = f"generates new {variable if tracing else key} on retry"
            provider_text = f"expects stable {key}"
            note = None
            if from_code:
                note = f"seen in {possessive(consumer)} code" + (f": {variable} is made inside the retry loop" if variable else "")
            if tracing:
                note = (f"{possessive(consumer)} code makes a new {variable} per attempt; {provider} dedupes by {key}: "
                        f"no conflict if {variable} only tells attempts apart and {key} stays stable")
            yield result(
                "idempotency", consumer, provider, provider_text, consumer_text,
                f"{cap(consumer)} must preserve {key} across retries (or send a separate idempotency key) before integration",
                locations=(*policy.locations("on_timeout", evidence=True), *target.locations("idempotency_key", "expects")),
                key=op_key(target.get("name")) + (f"|{variable}" if tracing else ""),
                status="WARNING" if tracing else None,
                lines=[[consumer, consumer_text], [provider, provider_text]],
                impact="Duplicate processing, billing, audit logs",
                resolution=f"Preserve {key} OR use separate key",
                note=note, operation=target.get("name"))
