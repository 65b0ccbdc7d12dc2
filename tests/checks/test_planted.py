"""A polyglot monorepo (TypeScript, Go, Java, Ruby, Python) with planted conflicts: each is
reported with its status, and nothing else blocks."""

from pathlib import Path

from contract_discovery.checks.engine import run_check

PLANTED = Path(__file__).parent / "planted"


def test_every_planted_conflict_and_nothing_else_blocks():
    from contract_discovery.pipeline import scan

    report = run_check(PLANTED, scan_fn=scan)
    assert report.issues == []
    got = {(r.rule, r.status, r.consumer, r.provider) for r in report.results}
    assert got == {
        ("latency-budget", "BLOCKS_INTEGRATION", "web", "pricing"),  # declared budget vs declared latency
        ("idempotency", "BLOCKS_INTEGRATION", "web", "pricing"),  # randomUUID() per attempt in TypeScript
        ("data-freshness", "BLOCKS_INTEGRATION", "pricing", "catalog"),  # <5s vs a 10-20s replica
        ("data-access", "DECISION_REQUIRED", "helpdesk", "pricing"),  # margins are finance_only
        ("contract-drift", "WARNING", "pricing", "catalog"),  # declared 1s, Go sets 5s
        ("missing-timeout", "WARNING", "helpdesk", "pricing"),  # Ruby Net::HTTP.get
        ("retry-amplification", "WARNING", "billing", "catalog"),  # billing retries pricing retries catalog
        ("retry-amplification", "WARNING", "web", "catalog"),  # pricing retries outlast web's 250ms
    }
    drift = next(r for r in report.results if r.rule == "contract-drift")
    assert [(l.path, l.line) for l in drift.locations] == [("pricing/contracts/pricing.yaml", 20), ("pricing/catalog.go", 18)]
    idem = next(r for r in report.results if r.rule == "idempotency")
    assert (idem.locations[0].path, idem.locations[0].line) == ("web/src/pricingClient.ts", 8)
    latency = next(r for r in report.results if r.rule == "latency-budget")
    assert latency.action == "Pricing must implement a price cache before integration"
    # billing makes its X-Request-ID once, outside the loop: no idempotency result for it
    assert not any(r.rule == "idempotency" and r.consumer == "billing" for r in report.results)
