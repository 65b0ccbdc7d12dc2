"""Random but valid contracts and findings: the rules never crash and every result is well formed."""

from hypothesis import HealthCheck, given, settings, strategies as st

from contract_discovery.checks.engine import STATUS_ORDER, run_rules
from contract_discovery.contracts.loader import contract_from_dict
from contract_discovery.contracts.merge import merge_contracts
from tests.contracts.factories import finding

SERVICES = ["a", "b", "c", "d-service"]
DURATION = st.sampled_from(["100ms", "250ms", "1s", "2s", "5s", "none", "30s"])
LATENCY = st.sampled_from(["p50=80ms, p95=150ms", "p95=3s", "p50 < 100ms", "p99 < 500ms", "200ms",
                           "p50=2800ms, p95=3200ms (requires caching)", {"p95": "90ms"}])
FRESHNESS = st.sampled_from(["<10s", "15-30s typical, 60s max", "5s", "real-time", "2s max"])
SERVICE = st.sampled_from(SERVICES + ["ghost", "a-db", "b_replica"])
WORD = st.sampled_from(["score", "scoreTransaction", "quote", "breakdown", "summary_only", "full_breakdown"])

dependency = st.fixed_dictionaries({"service": SERVICE}, optional={
    "operation": WORD, "timeout": DURATION, "retry": st.sampled_from(["none", 3, {"max_attempts": 4, "backoff": "fixed", "base_delay": "100ms"}]),
    "latency_budget": st.one_of(LATENCY, st.fixed_dictionaries({}, optional={"target": LATENCY, "acceptable": LATENCY, "maximum": LATENCY}))})
provision = st.fixed_dictionaries({}, optional={
    "operation": WORD, "endpoint": st.sampled_from(["/x", "/fraud-signals-detailed"]), "dataset": WORD,
    "latency": st.one_of(LATENCY, st.fixed_dictionaries({}, optional={"current": LATENCY, "target": LATENCY})),
    "returns": WORD, "access": st.sampled_from(["team_only", ["t2", "t3"], "public"]), "pii": st.sampled_from(["high", "none"]),
    "via": st.sampled_from(["database_replica", "event_stream"]), "freshness": FRESHNESS})
contract = st.fixed_dictionaries({"service": st.sampled_from(SERVICES)}, optional={
    "depends_on": st.lists(dependency, max_size=3),
    "provides": st.lists(provision, max_size=3),
    "operations": st.lists(st.fixed_dictionaries({"name": WORD}, optional={"idempotency_key": WORD, "expects": st.just("stable_across_retries"), "window": DURATION.filter(lambda d: d != "none")}), max_size=2),
    "data_dependencies": st.lists(st.fixed_dictionaries({}, optional={"source": SERVICE, "dataset": WORD, "freshness_required": FRESHNESS}), max_size=2),
    "requires": st.lists(st.fixed_dictionaries({"from": SERVICE, "data": WORD}, optional={"access_level": st.sampled_from(["t2", "agent"])}), max_size=2),
    "retry_policies": st.lists(st.fixed_dictionaries({"target": SERVICE}, optional={"on_timeout": st.fixed_dictionaries({"generates_new_request_id": st.booleans()})}), max_size=2),
})
code = st.lists(st.one_of(
    st.builds(lambda s, t, ms, line: finding("timeout", s, f"{s}/x.py", line, target=t, timeout_ms=ms, phase="total"),
              st.sampled_from(SERVICES), SERVICE, st.sampled_from([50, 200, 5000, None]), st.integers(1, 40)),
    st.builds(lambda s, t, line: finding("retry", s, f"{s}/x.py", line, end_line=line + 5, target=t, max_attempts=3),
              st.sampled_from(SERVICES), SERVICE, st.integers(1, 40)),
    st.builds(lambda s, line: finding("new_id_per_attempt", s, f"{s}/x.py", line, variable="tx_id"),
              st.sampled_from(SERVICES), st.integers(1, 40)),
    st.builds(lambda s, t, line: finding("missing_timeout", s, f"{s}/y.py", line, target=t, library="requests"),
              st.sampled_from(SERVICES), SERVICE, st.integers(1, 40)),
    st.builds(lambda s, a: finding("replica_read", s, f"{s}/db.py", 3, alias=a), st.sampled_from(SERVICES), SERVICE),
    st.builds(lambda s: finding("idempotency_key", s, f"{s}/h.py", 9, key="tx_id", window_ms=60000), st.sampled_from(SERVICES)),
), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contract, max_size=5), code)
def test_rules_never_crash(contracts, findings):
    from contract_discovery.contracts.infer import infer_contracts
    from contract_discovery.model import Service

    declared = {}
    for data in contracts:
        declared.setdefault(data["service"], contract_from_dict(data, origin="declared", path=f"{data['service']}/contracts/c.yaml"))
    inferred = infer_contracts([Service(s, s) for s in SERVICES], findings)
    failures: list[str] = []
    results = run_rules(merge_contracts(declared, inferred, extra_services=SERVICES), findings, failures=failures)
    assert failures == []
    for r in results:
        assert r.status in STATUS_ORDER and r.rule and r.title and r.fingerprint
        assert isinstance(r.expected, str) and isinstance(r.actual, str) and r.action
