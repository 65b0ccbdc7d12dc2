"""The seed's YAML, copied verbatim into one folder per service, gives the seed's four results in
its wording; the bundled monorepo gives the same four from code plus partial contracts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contract_discovery.checks.engine import run_check
from contract_discovery.reports import check_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed"
MONOREPO = ROOT / "fixtures" / "monorepo"
GOLDEN = Path(__file__).parent / "golden"


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "contract_discovery.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def summary(report):
    return {(r.rule, r.status, r.consumer, r.provider) for r in report.results}


SEED_FOUR = {
    ("latency-budget", "BLOCKS_INTEGRATION", "checkout", "risk"),
    ("data-freshness", "BLOCKS_INTEGRATION", "risk", "orders"),
    ("idempotency", "BLOCKS_INTEGRATION", "checkout", "risk"),
    ("data-access", "DECISION_REQUIRED", "support", "risk"),
}


def test_seed_yields_exactly_its_four_results():
    report = run_check(SEED)
    assert report.issues == []
    assert summary(report) == SEED_FOUR
    assert [r.rule for r in report.results] == ["latency-budget", "data-freshness", "idempotency", "data-access"]


def test_seed_wording():
    text = check_text.render(run_check(SEED))
    for block in (
        "ERROR: Latency contract violation\n  checkout expects: p95 < 200ms\n  risk provides: p95 = 3200ms (current)\n",
        "Status: BLOCKS_INTEGRATION\nAction: Risk must implement caching before integration\n",
        "ERROR: Data freshness violation\n  risk requires: <10s for velocity detection\n"
        "  orders provides: 15-30s (replica lag)\n\nImpact: Velocity fraud detection unreliable (false negatives)\n"
        "Resolutions:\n  1. orders: Provide event stream (infrastructure)\n  2. risk: Relax requirement (accuracy loss)\n"
        "  3. risk: Alternative algorithm (redesign)\n",
        "ERROR: Idempotency contract violation\n  checkout: generates new transaction_id on retry\n"
        "  risk: expects stable transaction_id\n\nImpact: Duplicate processing, billing, audit logs\n"
        "Resolution: Preserve transaction_id OR use separate key\n",
        "ERROR: Data access policy conflict\n  support needs: breakdown at support_tier_2\n"
        "  risk provides: aggregate (insufficient) OR\n                 detailed (requires risk_team_only)\n\n"
        "Trade-off: Support workflow vs PII minimization\nDecision required: Product + Security + Support",
        "Status: DECISION_REQUIRED\n",
    ):
        assert block in text
    golden("seed.txt", text)


def test_seed_wording_comes_from_the_data_not_the_names(tmp_path):
    """Renamed services and another note: the same sentences follow the new data."""
    for path in SEED.rglob("*.yaml"):
        target = tmp_path / path.relative_to(SEED)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text()
        for old, new in (("risk", "fraudscore"), ("checkout", "basket"), ("requires caching", "requires a read model"),
                         ("transaction_id", "order_ref")):
            text = text.replace(old, new)
        target.write_text(text)
    text = check_text.render(run_check(tmp_path))
    assert "  basket expects: p95 < 200ms\n  fraudscore provides: p95 = 3200ms (current)" in text
    assert "Action: Fraudscore must implement a read model before integration" in text
    assert "  basket: generates new order_ref on retry\n  fraudscore: expects stable order_ref" in text
    assert "Decision required: Product + Security + Support + Fraudscore" in text


def test_seed_exit_code_is_1():
    run = cli("check", str(SEED), "--no-cache", "-q")
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("ERROR: Latency contract violation\n")


def test_monorepo_reproduces_the_four_from_code_and_partial_contracts():
    from contract_discovery.pipeline import scan

    report = run_check(MONOREPO, scan_fn=scan)
    assert report.issues == []
    assert summary(report) == SEED_FOUR | {
        ("retry-amplification", "WARNING", "checkout", "risk"),
        ("undeclared-dependency", "WARNING", "checkout", "payment"),
        ("missing-timeout", "WARNING", "support", "risk"),
        # support declares a 500ms timeout for risk that its code does not set (`fix` adds it)
        ("contract-drift", "WARNING", "support", "risk"),
    }
    blocking = {r.rule for r in report.results if r.status == "BLOCKS_INTEGRATION"}
    assert blocking == {"latency-budget", "data-freshness", "idempotency"}
    idem = next(r for r in report.results if r.rule == "idempotency")
    # the fresh ID comes from code, the stable key from risk's contract
    assert [(l.path, l.line) for l in idem.locations][:2] == [("checkout/checkout/risk_client.py", 18),
                                                              ("risk/contracts/idempotency.yaml", 4)]
    assert idem.expected == "expects stable transaction_id"
    fresh = next(r for r in report.results if r.rule == "data-freshness")
    assert ("risk/risk/scoring.py", 12) in [(l.path, l.line) for l in fresh.locations]
    latency = next(r for r in report.results if r.rule == "latency-budget")
    assert latency.details["note"] == "checkout's 200ms timeout will fire on more than 50% of calls (p50 = 2800ms)"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "junit"])
def test_monorepo_cli_exit_code_in_every_format(fmt):
    run = cli("check", str(MONOREPO), "--no-cache", "-q", "--format", fmt)
    assert run.returncode == 1, run.stderr
    assert run.stdout.strip()


def test_the_summary_tells_skipped_generated_files_from_files_that_could_not_be_read(tmp_path):
    from contract_discovery.pipeline import scan
    from contract_discovery.reports import scan_text
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "requirements.txt").write_text("requests\n")
    (tmp_path / "svc" / "stub_pb2.py").write_text("# Generated by the protocol buffer compiler.  DO NOT EDIT!\nX = 1\n")
    (tmp_path / "svc" / "broken.py").write_text("import requests\ndef f(:\n    requests.get('http://a', timeout=1)\n")
    text = scan_text.render(scan(tmp_path))
    assert "1 file(s) could not be fully read, 1 generated or binary file(s) skipped:" in text
    (tmp_path / "svc" / "broken.py").unlink()
    text = scan_text.render(scan(tmp_path))
    assert "1 generated or binary file(s) skipped:" in text and "could not" not in text
