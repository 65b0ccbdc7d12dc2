"""Idempotency: a consumer that makes a new request ID per attempt, calling a provider that
dedupes by a key it expects to stay stable across retries."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.contracts.merge import Merged, new_id_flag, split_target
from contract_discovery.contracts.names import best_operation, op_key, tokens
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


_GENERIC_KEY_WORDS = {"id", "key", "x", "idempotency", "idem", "dedup", "dedupe", "header"}


def _tracing_only(variable: object, key: object) -> bool:
    """A fresh ``X-Request-ID`` per attempt is fine when the provider dedupes by another, named
    key (``order_id``): the new ID may only tell attempts apart in the logs. Not when the key is a
    generic header (``Idempotency-Key``): then whatever the client sends there is the key."""
    if not isinstance(variable, str) or not variable:
        return False
    words = _words(variable)
    key_words = _words(key) - _GENERIC_KEY_WORDS
    if not key_words:
        return False
    return bool(words & _TRACING_WORDS) and not (words & key_words) and "idempotency" not in words


def _key_matches(variable: object, key: object) -> bool:
    """The consumer's fresh ID is named like an operation's key (``reservation_id``)."""
    words = _words(variable) - _GENERIC_KEY_WORDS
    return bool(words & (_words(key) - _GENERIC_KEY_WORDS))


def _match(operations: list[Merged], operation: str | None, variable: object = None) -> tuple[Merged | None, bool]:
    """The provider's deduplicating operation the consumer's calls go to, and whether that is a
    guess (the code does not say which of several operations it calls)."""
    wanted = op_key(operation)
    for m in operations:
        if wanted and op_key(m.get("name")) == wanted:
            return m, False
    if wanted:
        best = best_operation(operation, operations, lambda m: m.get("name"))
        if best is not None:
            return best, False
    by_key = [m for m in operations if _key_matches(variable, m.get("idempotency_key"))]
    if len(by_key) == 1:
        return by_key[0], False  # the ID made per attempt is named like that operation's key
    if wanted:
        unnamed = [m for m in operations if op_key(m.get("name")) in ("", "unknown")]
        return (unnamed[0], False) if len(unnamed) == 1 else (None, False)
    if len(operations) == 1:
        return operations[0], False
    if not operations:
        return None, False
    keys = {str(m.get("idempotency_key") or "") for m in operations}
    return operations[0], len(keys) > 1


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
    dedupes by another, named key (`order_id`), the result is a WARNING: that is fine as long as
    the key itself stays stable. A generic key (`Idempotency-Key`) is whatever the client sends,
    so a fresh ID there blocks. When the code does not say which of several deduplicating
    operations it calls, the result is a WARNING too.

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
            variable = policy.get("x-request-id")
            candidates = _stable_operations(ctx, provider)
            target, guessed = _match(candidates, operation, variable)
            from_code = policy.declared is None or new_id_flag(policy.declared.data) is None
            if provider is not None and not candidates and from_code and _names_idempotency(variable):
                yield from _fresh_idempotency_key(consumer, provider, str(variable), policy)
                continue
            if target is None or provider is None:
                continue
            key = target.get("idempotency_key") or "request ID"
            tracing = from_code and _tracing_only(variable, key)
            if guessed:
                # which operation the retried calls go to is unknown: judge by the mildest reading
                tracing = from_code and any(_tracing_only(variable, m.get("idempotency_key")) for m in candidates)
                if tracing:
                    target = next(m for m in candidates if _tracing_only(variable, m.get("idempotency_key")))
                    key = target.get("idempotency_key") or "request ID"
            consumer_text = f"generates new {variable if tracing else key} on retry"
            provider_text = f"expects stable {key}"
            note = None
            if from_code:
                note = f"seen in {possessive(consumer)} code" + (f": {variable} is made inside the retry loop" if variable else "")
            if tracing:
                note = (f"{possessive(consumer)} code makes a new {variable} per attempt; {provider} dedupes by {key}: "
                        f"no conflict if {variable} only tells attempts apart and {key} stays stable")
            if guessed:
                ops = ", ".join(f"{m.get('name')} by {m.get('idempotency_key')}" for m in candidates)
                note = (note + "; " if note else "") + f"the code does not say which operation it retries ({provider} dedupes {ops})"
            yield result(
                "idempotency", consumer, provider, provider_text, consumer_text,
                f"{cap(consumer)} must preserve {key} across retries (or send a separate idempotency key) before integration",
                locations=(*policy.locations("on_timeout", evidence=True), *target.locations("idempotency_key", "expects")),
                key=op_key(target.get("name")) + (f"|{variable}" if tracing else ""),
                status="WARNING" if tracing or guessed else None,
                lines=[[consumer, consumer_text], [provider, provider_text]],
                impact="Duplicate processing, billing, audit logs",
                resolution=f"Preserve {key} OR use separate key",
                note=note, operation=target.get("name"))


def _names_idempotency(variable: object) -> bool:
    """The fresh value is sent as an idempotency key (``Idempotency-Key``, ``idempotency_key``,
    ``X-Idempotency-Key``, ``dedupe_key``): its only purpose is to stay the same across retries."""
    words = _words(variable)
    return bool(words & {"idempotency", "idempotent", "dedup", "dedupe", "deduplication"})


def _fresh_idempotency_key(consumer: str, provider: str, variable: str, policy: Merged) -> Iterable[CheckResult]:
    """A consumer that mints its idempotency key inside the retry loop, calling a provider that
    declares no deduplication: a WARNING (whatever server honours the key treats each retry as new)."""
    consumer_text = f"generates new {variable} on retry"
    provider_text = f"dedupes by {variable} (nothing declared)"
    yield result(
        "idempotency", consumer, provider, provider_text, consumer_text,
        f"{cap(consumer)} must make {variable} once per logical request, before the retry loop",
        locations=tuple(policy.locations("on_timeout", evidence=True)),
        key=f"|{variable}", status="WARNING",
        lines=[[consumer, consumer_text], [provider, provider_text]],
        impact="Duplicate processing, billing, audit logs",
        resolution=f"Make {variable} once, before the retry loop",
        note=(f"seen in {possessive(consumer)} code: {variable} is made inside the retry loop; {provider} declares no "
              f"idempotency contract, but a key that changes on every attempt cannot deduplicate anything"))
