"""``diff``: contract changes between a git revision (or a folder) and now, breaking or compatible per consumer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import commit_all, git_repo, run

CHECKOUT = """\
service: checkout
depends_on:
  - service: risk
    operation: scoreTransaction
    latency_budget:
      target: p50 < 100ms
      acceptable: p95 < 200ms
      maximum: p99 < 500ms
    timeout: 500ms
"""
SUPPORT = """\
service: support
depends_on:
  - service: risk
    operation: scoreTransaction
    latency_budget: {acceptable: p95 < 1s}
requires:
  - {from: risk, data: fraud_decision_breakdown, access_level: support_tier_2}
"""
RISK = """\
service: risk
provides:
  - operation: scoreTransaction
    latency: p50=80ms, p95=150ms
  - endpoint: /fraud-signals-detailed
    access: support_tier_2
operations:
  - {name: scoreTransaction, idempotency_key: transaction_id, expects: stable_across_retries, window: 5m}
data_dependencies:
  - {source: orders-db, dataset: user_purchases, freshness_required: <10s}
"""
ORDERS = """\
service: orders
provides:
  - dataset: user_purchases
    via: database_replica
    freshness: 5s max
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = git_repo(tmp_path / "repo")
    for name, text in (("checkout", CHECKOUT), ("support", SUPPORT), ("risk", RISK), ("orders", ORDERS)):
        (root / name / "contracts").mkdir(parents=True)
        (root / name / "contracts" / "contract.yaml").write_text(text)
    (root / "README.md").write_text("services\n")
    commit_all(root, "contracts")
    return root


def edit(root: Path, service: str, old: str, new: str) -> None:
    path = root / service / "contracts" / "contract.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_loosened_provider_latency_breaks_the_one_consumer_whose_budget_it_exceeds(repo: Path):
    edit(repo, "risk", "p95=150ms", "p95=400ms")
    commit_all(repo, "risk gets slower")
    proc = run("diff", "--against", "HEAD~1", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        "BREAKING risk: provides operation scoreTransaction latency: p50=80ms, p95=150ms -> p50=80ms, p95=400ms "
        "(risk/contracts/contract.yaml:4)",
        "  breaks checkout: budget p95 < 200ms, risk now p95 = 400ms (checkout/contracts/contract.yaml:6)",
        "  compatible for support: still within its budget (p95 < 1s) (support/contracts/contract.yaml:5)",
        "",
        "1 breaking change(s); affected services: checkout, risk",
    ]
    data = json.loads(run("diff", repo, "--against", "HEAD~1", "--format", "json").stdout)
    assert data["affected_services"] == ["checkout", "risk"]
    [change] = data["changes"]
    assert {(c["consumer"], c["breaking"]) for c in change["consumers"]} == {("checkout", True), ("support", False)}


def test_a_compatible_change_exits_0(repo: Path):
    edit(repo, "risk", "p95=150ms", "p95=120ms")
    edit(repo, "checkout", "timeout: 500ms", "timeout: 400ms")
    commit_all(repo, "faster")
    proc = run("diff", repo, "--against", "HEAD~1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "compatible checkout: depends_on risk.scoreTransaction timeout: 500ms -> 400ms (checkout/contracts/contract.yaml:9)",
        "compatible risk: provides operation scoreTransaction latency: p50=80ms, p95=150ms -> p50=80ms, p95=120ms "
        "(risk/contracts/contract.yaml:4)",
        "  compatible for checkout: still within its budget (p95 < 200ms) (checkout/contracts/contract.yaml:6)",
        "  compatible for support: still within its budget (p95 < 1s) (support/contracts/contract.yaml:5)",
        "",
        "2 change(s), none breaking.",
    ]


def test_a_slower_provider_within_every_budget_is_compatible(repo: Path):
    edit(repo, "risk", "p95=150ms", "p95=180ms")
    assert run("diff", repo, "--against", "HEAD").returncode == 0  # the working tree against HEAD


@pytest.mark.parametrize("service, old, new, consumers", [
    ("risk", "idempotency_key: transaction_id", "idempotency_key: tx_id", {"checkout", "support"}),
    ("risk", "window: 5m", "window: 30s", {"checkout", "support"}),
    ("orders", "freshness: 5s max", "freshness: 15-30s typical, 60s max", {"risk"}),
    ("risk", "access: support_tier_2", "access: risk_team_only", {"support"}),
])
def test_breaking_changes_name_the_consumers_they_break(repo: Path, service, old, new, consumers):
    edit(repo, service, old, new)
    proc = run("diff", repo, "--against", "HEAD", "--format", "json")
    assert proc.returncode == 1, proc.stdout
    [change] = json.loads(proc.stdout)["changes"]
    assert change["breaking"] is True
    assert {c["consumer"] for c in change["consumers"] if c["breaking"]} == consumers


def test_removed_operation_breaks_its_callers_and_an_added_one_does_not(repo: Path):
    edit(repo, "risk", "  - operation: scoreTransaction\n    latency: p50=80ms, p95=150ms\n", "  - operation: scoreV2\n")
    data = json.loads(run("diff", repo, "--against", "HEAD", "--format", "json").stdout)
    by_kind = {(c["kind"], c["entry"]): c for c in data["changes"]}
    removed = by_kind[("removed", "provides operation scoreTransaction")]
    assert removed["breaking"] and {c["consumer"] for c in removed["consumers"]} == {"checkout", "support"}
    assert by_kind[("added", "provides operation scoreV2")]["breaking"] is False


def test_two_folders(tmp_path: Path, repo: Path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(repo, old, ignore=shutil.ignore_patterns(".git"))
    edit(repo, "risk", "p95=150ms", "p95=400ms")
    proc = run("diff", old, repo)
    assert proc.returncode == 1
    assert "breaks checkout: budget p95 < 200ms" in proc.stdout


def test_bad_revision_is_exit_2(repo: Path):
    proc = run("diff", repo, "--against", "no-such-rev")
    assert proc.returncode == 2
    assert "contract-discovery: error: git rev-parse" in proc.stderr
    assert run("diff", repo).returncode == 2


def test_a_new_dependency_the_provider_cannot_meet_is_breaking(repo: Path):
    (repo / "search" / "contracts").mkdir(parents=True)
    (repo / "search/contracts/c.yaml").write_text(
        "service: search\ndepends_on:\n  - {service: risk, operation: scoreTransaction, latency_budget: p95 < 100ms}\n"
        "data_dependencies:\n  - {source: orders-db, dataset: user_purchases, freshness_required: <1s}\n")
    proc = run("diff", repo, "--against", "HEAD")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "BREAKING search: data orders-db/user_purchases added (search/contracts/c.yaml:5)",
        "  breaks search: requires <1s, orders provides 5s max (orders/contracts/contract.yaml:5)",
        "BREAKING search: depends_on risk.scoreTransaction added (search/contracts/c.yaml:3)",
        "  breaks search: new budget p95 < 100ms, risk provides p95 = 150ms (risk/contracts/contract.yaml:4)",
        "",
        "2 breaking change(s); affected services: search",
    ]
    (repo / "search/contracts/c.yaml").write_text(
        "service: search\ndepends_on:\n  - {service: risk, operation: scoreTransaction, latency_budget: p95 < 500ms}\n")
    assert run("diff", repo, "--against", "HEAD").returncode == 0


def test_a_removed_dataset_breaks_the_services_reading_it(repo: Path):
    (repo / "orders/contracts/contract.yaml").write_text("service: orders\n")
    proc = run("diff", repo, "--against", "HEAD")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:2] == [
        "BREAKING orders: provides dataset user_purchases removed (orders/contracts/contract.yaml:3)",
        "  breaks risk: dataset user_purchases is no longer provided (risk/contracts/contract.yaml:10)",
    ]


def test_latency_wording_when_nothing_can_be_compared_or_it_was_already_over(repo: Path):
    edit(repo, "support", "latency_budget: {acceptable: p95 < 1s}", "latency_budget: {acceptable: p99 < 1s}")
    edit(repo, "checkout", "acceptable: p95 < 200ms", "acceptable: p95 < 100ms")
    commit_all(repo, "budgets")
    edit(repo, "risk", "p95=150ms", "p95=170ms")
    proc = run("diff", repo, "--against", "HEAD")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[1:3] == [
        "  compatible for checkout: was already over its budget (p95 < 100ms) (checkout/contracts/contract.yaml:6)",
        "  compatible for support: its budget (p99 < 1s) names no percentile risk states (support/contracts/contract.yaml:5)",
    ]
