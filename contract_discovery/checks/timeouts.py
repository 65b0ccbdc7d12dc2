"""Missing timeouts on calls to other services."""

from __future__ import annotations

from typing import Iterable

from contract_discovery.checks.base import Context, cap, result, rule
from contract_discovery.contracts.notation import format_ms
from contract_discovery.model import CheckResult, Location


@rule("missing-timeout", "Missing timeout", "WARNING",
      "A call without a timeout waits as long as the slowest provider, holding threads and the caller's budget.")
def missing_timeout(ctx: Context) -> Iterable[CheckResult]:
    """What it does: reports each outbound call to another service that has no effective timeout
    (none given, or `None`, where the library's default waits forever or for minutes), as found
    by the scan (`missing_timeout` findings).

    Why it matters: one slow dependency then stalls every request that touches it; retries and
    circuit breakers never get a chance to act.

    Use instead: pass an explicit timeout below your latency budget for that dependency.
    A call whose target cannot be told is reported too (provider unknown): waiting forever is
    wrong whoever answers."""
    occurrences: dict[str, int] = {}
    # the services each file's calls go to: a client built without a timeout (`new RestTemplate()`)
    # serves the calls of its file
    file_targets: dict[str, set[str]] = {}
    for f in ctx.findings:
        if f.kind == "outbound_call" and f.target is not None and f.target.service:
            file_targets.setdefault(f.path, set()).add(ctx.canon(f.target.service) or f.target.service)
    for finding in sorted((f for f in ctx.findings if f.kind == "missing_timeout"), key=lambda f: f.sort_key()):
        consumer = ctx.canon(finding.service) if finding.service else None
        target = finding.target
        provider = ctx.canon(target.service) if target and target.service else None
        if provider is None and not (target and target.url) and len(file_targets.get(finding.path, ())) == 1:
            provider = next(iter(file_targets[finding.path]))
        if provider and provider == consumer:
            continue
        library = finding.attributes.get("library") or finding.detector
        default = finding.attributes.get("library_default_ms")
        waits = ("waits forever" if not isinstance(default, (int, float))
                 else f"waits up to {format_ms(float(default))} (library default)")
        subject = provider or (target.url if target and target.url else "an unknown target")
        # Identity without line numbers: the file, the target, the code, and which occurrence of it.
        identity = f"{finding.path}|{subject}|{' '.join(finding.evidence.split())[:120]}"
        occurrences[identity] = occurrences.get(identity, 0) + 1
        yield result(
            "missing-timeout", consumer, provider, "a timeout on every call to another service",
            f"{library} call to {subject} without a timeout ({waits})",
            f"{cap(consumer or 'the caller')} must set a timeout on this call",
            locations=(Location(finding.path, finding.line, finding.column),),
            key=f"{identity}|{occurrences[identity]}",
            lines=[[f"{consumer or '?'} calls", f"{subject} at {finding.path}:{finding.line}"],
                   ["timeout", f"none ({waits})"]],
            library=library)
