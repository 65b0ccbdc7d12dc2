"""Drift: a declared value the code contradicts."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, possessive, result, rule
from contract_discovery.model import CheckResult


@rule("contract-drift", "Contract drift", "WARNING",
      "A contract that says one thing while the code does another misleads every check built on it.")
def contract_drift(ctx: Context) -> Iterable[CheckResult]:
    """What it does: compares what a service declares for a dependency with what its code does:
    the timeout (declared 500ms, the code sets 5s), the retry policy (declared `retry: none`, the
    code retries 3 times), whether a retry makes a new request ID, and an idempotency window
    (declared 5m, the cache entry expires after 60s). Both locations are given:
    the YAML line and the code line.

    Why it matters: checks trust the declared value; if the code has moved on, a green check is
    a false promise.

    Use instead: change the code back, or update the contract (`contract-discovery init` can
    propose the inferred values)."""
    for drift in sorted(ctx.merge.drifts, key=lambda d: (d.service, d.subject, d.key)):
        code = ", ".join(f"{loc.path}:{loc.line}" for loc in drift.inferred_at)
        yield result(
            "contract-drift", drift.service, drift.provider, drift.declared, drift.inferred,
            f"{cap(drift.service)} must update its contract or its code so they agree on {drift.key} for {drift.subject}",
            locations=(drift.declared_at, *drift.inferred_at) if drift.declared_at else drift.inferred_at,
            key=f"{drift.subject}|{drift.key}",
            lines=[[f"{drift.service} declares", f"{drift.declared} ({drift.subject})"],
                   [f"{possessive(drift.service)} code does", f"{drift.inferred}" + (f" at {code}" if code else "")]],
            field=drift.key, subject=drift.subject)
