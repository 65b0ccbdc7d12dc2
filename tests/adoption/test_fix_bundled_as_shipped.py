"""`fix` on the bundled monorepo exactly as shipped: the timeout and idempotency conflicts turn
into passing checks, and the rewritten files differ only in the changed statements."""

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

MONOREPO = Path(__file__).resolve().parents[2] / "fixtures" / "monorepo"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "contract_discovery.cli", *args], capture_output=True, text=True,
                          timeout=300)


def rules(root):
    run = cli("check", str(root), "--no-cache", "-q", "--format", "json", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    return {(r["rule"], r["consumer"], r["provider"]) for r in json.loads(run.stdout)["results"]}


def test_fix_turns_the_timeout_and_idempotency_conflicts_into_passing_checks(tmp_path):
    root = tmp_path / "monorepo"
    shutil.copytree(MONOREPO, root, ignore=shutil.ignore_patterns(".contract-discovery-cache"))
    before = rules(root)
    assert {("idempotency", "checkout", "risk"), ("missing-timeout", "support", "risk"),
            ("contract-drift", "support", "risk")} <= before
    originals = {p: p.read_text() for p in root.rglob("*.py")}
    run = cli("fix", str(root))
    assert run.returncode == 0, run.stderr
    after = rules(root)
    assert after == before - {("idempotency", "checkout", "risk"), ("missing-timeout", "support", "risk"),
                              ("contract-drift", "support", "risk")}
    changed = {p.relative_to(root).as_posix(): p for p, text in originals.items() if p.read_text() != text}
    assert sorted(changed) == ["checkout/checkout/risk_client.py", "support/support/disputes.py"]
    diff = [line for line in difflib.unified_diff(originals[changed["support/support/disputes.py"]].splitlines(),
                                                    changed["support/support/disputes.py"].read_text().splitlines(),
                                                    lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff == [
        '-    response = requests.get(f"{RISK_URL}/fraud-signals-detailed", params={"tx": tx_id})  # expect: outbound_call target.service=risk; missing_timeout library=requests',
        '+    response = requests.get(f"{RISK_URL}/fraud-signals-detailed", params={"tx": tx_id}, timeout=0.5)  # expect: outbound_call target.service=risk; missing_timeout library=requests',
    ]
