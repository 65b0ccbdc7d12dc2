"""What a team adjusts: recorded decisions (with expiry), per-rule severity, inline suppressions,
the baseline, and --fail-on."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from contract_discovery.checks.engine import ConfigProblem, parse_overrides, run_check
from contract_discovery.checks.suppress import parse_suppression, read_baseline, render_baseline
from contract_discovery.config import Config
from tests.checks.test_seed import SEED, cli
from tests.checks.util import check, rows, write
from tests.contracts.factories import finding

DECISION = """
decisions:
  - rule: data-access
    parties: [support, risk, security]
    decision: Support gets a PII-sanitised summary endpoint; full signals stay risk-only
    owner: security-team
    date: 2026-01-10
    expires: 2026-06-30
"""


@pytest.fixture
def seed(tmp_path):
    shutil.copytree(SEED, tmp_path / "seed")
    return tmp_path / "seed"


def test_a_recorded_decision_turns_the_result_into_info_until_it_expires(seed):
    write(seed, {"contracts/decisions.yaml": DECISION})
    before = run_check(seed, today=dt.date(2026, 3, 1))
    access = next(r for r in before.results if r.rule == "data-access")
    assert access.status == "INFO"
    assert access.action.startswith("Decided (2026-01-10, security-team): Support gets a PII-sanitised summary")
    assert access.details["status_without_decision"] == "DECISION_REQUIRED"
    assert ("contracts/decisions.yaml", 2) in [(l.path, l.line) for l in access.locations]
    after = run_check(seed, today=dt.date(2026, 7, 1))
    access = next(r for r in after.results if r.rule == "data-access")
    assert access.status == "DECISION_REQUIRED"
    assert "expired on 2026-06-30" in access.action


def test_a_decision_for_other_parties_does_not_apply(seed):
    write(seed, {"contracts/decisions.yaml": DECISION.replace("[support, risk, security]", "[support, payment]")})
    report = run_check(seed, today=dt.date(2026, 3, 1))
    assert ("data-access", "DECISION_REQUIRED", "support", "risk") in rows(report)


def test_a_malformed_decisions_file_is_reported_with_its_line(seed):
    write(seed, {"contracts/decisions.yaml": DECISION.replace("expires: 2026-06-30", "expires: someday")})
    report = run_check(seed, today=dt.date(2026, 3, 1))
    assert [i.render() for i in report.issues] == [
        "contracts/decisions.yaml:7:14: error: decisions[0].expires: expected a date YYYY-MM-DD, got 'someday'"]
    assert ("data-access", "DECISION_REQUIRED", "support", "risk") in rows(report)


def test_severity_overrides_from_config(seed):
    config = Config.__new__(Config)
    object.__setattr__(config, "raw", {"rules": {"latency-budget": {"severity": "WARNING"}, "data-access": "off"}})
    report = run_check(seed, config=config)
    assert rows(report) == {
        ("latency-budget", "WARNING", "checkout", "risk"),
        ("data-freshness", "BLOCKS_INTEGRATION", "risk", "orders"),
        ("idempotency", "BLOCKS_INTEGRATION", "checkout", "risk"),
    }


def test_bad_overrides_are_config_errors():
    with pytest.raises(ConfigProblem, match="unknown severity"):
        parse_overrides({"latency-budget": {"severity": "loud"}})
    with pytest.raises(ConfigProblem, match="unknown rule id"):
        parse_overrides({"latency-budgit": "warning"})
    assert parse_overrides({"missing-timeout": {"enabled": False}, "idempotency": "blocks"}) == {
        "missing-timeout": "off", "idempotency": "BLOCKS_INTEGRATION"}


@pytest.mark.parametrize("line, rules", [
    ("requests.get(u)  # contract-discovery: ignore[missing-timeout]", {"missing-timeout"}),
    ("client.Get(u) // contract-discovery: ignore[missing-timeout, idempotency]", {"missing-timeout", "idempotency"}),
    ("x = 1 /* contract-discovery: ignore */", {"*"}),
    ("-- contract-discovery: ignore[data-freshness]", {"data-freshness"}),
    ('s = "contract-discovery: ignore[missing-timeout]"', None),
    ("requests.get(u)  # ignore[missing-timeout]", None),
])
def test_suppression_comment_forms(line, rules):
    parsed = parse_suppression(line)
    assert (set(parsed) if parsed is not None else None) == rules


def test_inline_suppression_in_code_hides_only_that_rule_on_that_line(tmp_path):
    findings = [finding("missing_timeout", "support", "support/d.py", 12, target="risk", library="requests", library_default_ms=None),
                finding("missing_timeout", "support", "support/d.py", 20, target="risk", library="requests", library_default_ms=None)]
    suppressions = {"support/d.py": {12: frozenset({"missing-timeout"}), 20: frozenset({"idempotency"})}}
    report = check(tmp_path, findings, services=["support", "risk"], suppressions=suppressions)
    assert [(r.rule, r.locations[0].line) for r in report.results] == [("missing-timeout", 20)]
    assert [(s.result.locations[0].line, s.reason) for s in report.suppressed] == [(12, "inline")]


def test_inline_suppression_in_a_contract_file(seed):
    path = seed / "support-service" / "contracts" / "data-needs.yaml"
    text = path.read_text().replace("    access_level: support_tier_2",
                                    "    # contract-discovery: ignore[data-access]\n    access_level: support_tier_2")
    path.write_text(text)
    report = run_check(seed)
    assert "data-access" not in {r.rule for r in report.results}
    assert [s.result.rule for s in report.suppressed] == ["data-access"]


def test_baseline_round_trip_by_fingerprint(seed, tmp_path):
    first = run_check(seed)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(render_baseline(first.results))
    known = read_baseline(baseline)
    assert known == {r.fingerprint for r in first.results}
    # a line moves: fingerprints hold
    path = seed / "risk-service" / "contracts" / "sla.yaml"
    path.write_text("# moved down\n\n" + path.read_text())
    again = run_check(seed, baseline=known)
    assert again.results == [] and len(again.suppressed) == 4
    # a new conflict is still reported
    write(seed, {"payment/contracts/x.yaml": "service: payment\ndepends_on:\n  - {service: ledger}\n"})
    new = run_check(seed, baseline=known)
    assert rows(new) == {("missing-provider-contract", "WARNING", "payment", "ledger")}


def test_malformed_baseline_is_a_readable_error(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{nope")
    with pytest.raises(ValueError, match="not JSON"):
        read_baseline(bad)


def test_cli_write_baseline_then_gate_on_new_results_only(seed, tmp_path):
    baseline = tmp_path / "cd-baseline.json"
    run = cli("check", str(seed), "--no-cache", "-q", "--write-baseline", str(baseline))
    assert run.returncode == 0, run.stderr
    assert len(json.loads(baseline.read_text())["results"]) == 4
    run = cli("check", str(seed), "--no-cache", "-q", "--baseline", str(baseline))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "suppressed: 0 inline, 4 by baseline" in run.stdout


@pytest.mark.parametrize("fail_on, code", [("blocks", 1), ("warning", 1), ("never", 0)])
def test_fail_on(seed, fail_on, code):
    assert cli("check", str(seed), "--no-cache", "-q", "--fail-on", fail_on).returncode == code


def test_fail_on_warning_counts_decisions_and_warnings(tmp_path):
    write(tmp_path, {"support/contracts/n.yaml": "service: support\nrequires:\n  - {from: risk, data: breakdown, access_level: t2}\n",
                     "risk/contracts/e.yaml": "service: risk\nprovides:\n  - {endpoint: /d, returns: breakdown, access: risk_only}\n"})
    assert cli("check", str(tmp_path), "--no-cache", "-q").returncode == 0
    assert cli("check", str(tmp_path), "--no-cache", "-q", "--fail-on", "warning").returncode == 1


def test_a_suppression_comment_on_its_own_line_covers_the_next_code_line(tmp_path):
    write(tmp_path, {"support/d.py": "def f():\n    # contract-discovery: ignore[missing-timeout]\n\n    requests.get(u)\n    requests.get(v)\n"})
    findings = [finding("missing_timeout", "support", "support/d.py", 4, target="risk", library="requests", library_default_ms=None),
                finding("missing_timeout", "support", "support/d.py", 5, target="risk", library="requests", library_default_ms=None)]
    report = check(tmp_path, findings, services=["support", "risk"],
                   suppressions={"support/d.py": {2: frozenset({"missing-timeout"})}})
    assert [r.locations[0].line for r in report.results] == [5]
    assert [s.result.locations[0].line for s in report.suppressed] == [4]


def test_a_failing_rule_makes_the_run_incomplete_but_the_others_report(seed, monkeypatch):
    from contract_discovery.checks.base import RULES, iter_rules

    list(iter_rules())

    def broken(ctx):
        raise RuntimeError("boom")

    import dataclasses
    monkeypatch.setitem(RULES, "data-access", dataclasses.replace(RULES["data-access"], func=broken))
    report = run_check(seed)
    assert [i.message for i in report.issues] == ["rule data-access failed: RuntimeError: boom"]
    assert {r.rule for r in report.results} == {"latency-budget", "data-freshness", "idempotency"}
