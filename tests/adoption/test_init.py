"""``init``: contract files from the code, merged without touching what people wrote."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from contract_discovery.adoption.safewrite import guarded_write
from contract_discovery.errors import ToolError

from .conftest import run

CHECKOUT_EXPECTED = """\
# Contract of checkout, started by `contract-discovery init` from the code.
# Values come from the code line named in each comment; edit them freely: a re-run keeps your
# values and comments and only adds what is new. Fill in the TODOs: code cannot tell them.
service: checkout
depends_on:
  - service: payment  # from checkout/checkout/payment_client.py:10
    operation: authorize
    timeout: 2s  # from checkout/checkout/payment_client.py:10
    # TODO latency_budget: what checkout can wait for payment, e.g. {acceptable: p95 < 200ms}
    # TODO fallback: what checkout does when payment fails or is slow
"""


def test_init_writes_contracts_that_validate_and_a_rerun_changes_nothing(bare_monorepo: Path):
    proc = run("init", bare_monorepo)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(bare_monorepo).as_posix() for p in bare_monorepo.glob("*/contracts/*.yaml"))
    assert written == ["checkout/contracts/checkout.yaml", "orders/contracts/orders.yaml",
                       "payment/contracts/payment.yaml", "risk/contracts/risk.yaml", "support/contracts/support.yaml"]
    checkout = (bare_monorepo / "checkout/contracts/checkout.yaml").read_text()
    assert checkout.startswith(CHECKOUT_EXPECTED)
    # The risk dependency: the code's timeout with its evidence, and TODOs for what code cannot tell.
    assert "  - service: risk  # from checkout/checkout/risk_client.py:" in checkout
    assert "    timeout: 200ms  # from checkout/checkout/risk_client.py:20\n" in checkout
    assert "    # TODO latency_budget: what checkout can wait for risk, e.g. {acceptable: p95 < 200ms}\n" in checkout
    support = (bare_monorepo / "support/contracts/support.yaml").read_text()
    assert "# TODO timeout: the code sets none, so a call to risk can wait forever; declare one, e.g. 500ms" in support
    # A service whose code shows nothing still gets a file to fill in.
    assert "service: payment\n# TODO provides:" in (bare_monorepo / "payment/contracts/payment.yaml").read_text()

    validate = run("validate", bare_monorepo)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    before = {p: p.read_bytes() for p in bare_monorepo.glob("*/contracts/*.yaml")}
    again = run("init", bare_monorepo)
    assert again.returncode == 0
    assert again.stdout == ""
    assert "nothing to add" in again.stderr
    assert {p: p.read_bytes() for p in bare_monorepo.glob("*/contracts/*.yaml")} == before


def test_init_keeps_hand_edits_and_proposes_the_code_change(bare_monorepo: Path):
    assert run("init", bare_monorepo, "--service", "checkout").returncode == 0
    contract = bare_monorepo / "checkout/contracts/checkout.yaml"
    text = contract.read_text()
    # A person edits a value and a comment...
    text = text.replace("timeout: 200ms  # from checkout/checkout/risk_client.py:20",
                        "timeout: 300ms  # agreed with the risk team on 2024-03-02")
    text = text.replace("# TODO fallback: what checkout does when payment fails or is slow",
                        "# payment has no fallback: a failed authorisation fails the order")
    contract.write_text(text)
    # ... and someone changes the code.
    client = bare_monorepo / "checkout/checkout/risk_client.py"
    client.write_text(client.read_text().replace("timeout=0.2,", "timeout=0.25,"))

    proc = run("init", bare_monorepo, "--service", "checkout")
    assert proc.returncode == 0, proc.stderr
    assert contract.read_text() == text
    assert proc.stdout.splitlines() == [
        "1 proposal(s): the code differs from the declared value (not written):",
        "  checkout/contracts/checkout.yaml:13: proposal: checkout depends_on risk.score timeout: declared 300ms, "
        "the code shows 250ms (checkout/checkout/risk_client.py:20)",
    ]


def test_init_merges_into_hand_written_contracts_by_adding_lines_only(monorepo: Path):
    contract = monorepo / "checkout/contracts/dependencies.yaml"
    original = contract.read_text()
    proc = run("init", monorepo, "--service", "checkout", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert contract.read_text() == original  # --dry-run writes nothing
    diff_lines = proc.stdout.splitlines()
    assert diff_lines[0:2] == ["--- a/checkout/contracts/dependencies.yaml", "+++ b/checkout/contracts/dependencies.yaml"]
    body = [l for l in diff_lines[2:] if not l.startswith("@@")]
    assert not [l for l in body if l.startswith("-")], "a merge only adds lines"
    added = [l[1:] for l in body if l.startswith("+")]
    # New fields go into the existing risk entry, a new entry and a new section after them.
    assert added == [
        "    timeout: 200ms  # from checkout/checkout/risk_client.py:20",
        "    retry: {max_attempts: 3, backoff: exponential}  # from checkout/checkout/risk_client.py:16",
        "  - service: payment  # from checkout/checkout/payment_client.py:10",
        "    operation: authorize",
        "    timeout: 2s  # from checkout/checkout/payment_client.py:10",
        "    # TODO latency_budget: what checkout can wait for payment, e.g. {acceptable: p95 < 200ms}",
        "    # TODO fallback: what checkout does when payment fails or is slow",
        "retry_policies:",
        "  - target: risk.score  # from checkout/checkout/risk_client.py:18",
        "    on_timeout: {generates_new_request_id: true}  # from checkout/checkout/risk_client.py:18",
    ]

    assert run("init", monorepo, "--service", "checkout").returncode == 0
    merged = contract.read_text()
    # Every original line is still there, in order.
    lines = iter(merged.splitlines())
    assert all(any(o == m for m in lines) for o in original.splitlines())
    assert "  - service: payment  # from checkout/checkout/payment_client.py:10\n" in merged
    assert run("validate", monorepo).returncode == 0
    assert run("init", monorepo, "--service", "checkout").stdout == ""


def test_init_keeps_crlf_and_file_mode(monorepo: Path):
    contract = monorepo / "checkout/contracts/dependencies.yaml"
    contract.write_bytes(contract.read_bytes().replace(b"\n", b"\r\n"))
    os.chmod(contract, 0o640)
    assert run("init", monorepo, "--service", "checkout").returncode == 0
    data = contract.read_bytes()
    assert b"timeout: 200ms" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert stat.S_IMODE(contract.stat().st_mode) == 0o640


def test_init_unknown_service_is_a_usage_error(bare_monorepo: Path):
    proc = run("init", bare_monorepo, "--service", "nope")
    assert proc.returncode == 2
    assert "--service 'nope': no such service" in proc.stderr


def test_guarded_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path):
    target = tmp_path / "c.yaml"
    target.write_bytes(b"service: a\n")
    with pytest.raises(ToolError, match="changed while"):
        guarded_write(tmp_path, target, b"service: b\n", b"service: old\n")
    assert target.read_bytes() == b"service: a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]  # no temp file left behind
    with pytest.raises(ToolError, match="changed while"):
        guarded_write(tmp_path, target, b"x\n", None)  # expected new, but it exists now


def test_guarded_write_never_writes_outside_the_root(tmp_path: Path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "svc").mkdir()
    (root / "svc" / "contracts").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ToolError, match="outside the root"):
        guarded_write(root, root / "svc/contracts/svc.yaml", b"service: svc\n", None)
    assert list(outside.iterdir()) == []


def test_init_leaves_a_service_with_an_unreadable_contract_alone(monorepo: Path):
    broken = monorepo / "checkout/contracts/dependencies.yaml"
    broken.write_text("service: checkout\ndepends_on: [\n")
    proc = run("init", monorepo, "--service", "checkout")
    assert proc.returncode == 0
    assert broken.read_text() == "service: checkout\ndepends_on: [\n"
    assert sorted(p.name for p in broken.parent.iterdir()) == ["dependencies.yaml"]
    assert "warning: checkout/contracts/dependencies.yaml:" in proc.stderr


def test_init_json_lists_changes_and_proposals(bare_monorepo: Path):
    import json

    data = json.loads(run("init", bare_monorepo, "--service", "support", "--dry-run", "--format", "json").stdout)
    assert data["dry_run"] is True and data["proposals"] == [] and data["problems"] == []
    [change] = data["changes"]
    assert (change["path"], change["created"], change["added"]) == (
        "support/contracts/support.yaml", True, ["depends_on risk.fraud-signals-detailed"])
    assert change["diff"].startswith("--- /dev/null\n+++ b/support/contracts/support.yaml\n")
    assert not (bare_monorepo / "support/contracts").exists()


def test_init_never_merges_into_a_decisions_file(monorepo: Path):
    folder = monorepo / "checkout/contracts"
    (folder / "dependencies.yaml").unlink()
    decisions = "decisions:\n  - {rule: latency-budget, decided_by: [product], until: 2099-01-01}\n"
    (folder / "decisions.yaml").write_text(decisions)
    assert run("init", monorepo, "--service", "checkout").returncode == 0
    assert (folder / "decisions.yaml").read_text() == decisions
    assert (folder / "checkout.yaml").read_text().startswith("# Contract of checkout, started by")


def test_several_calls_matching_one_declared_entry_add_each_field_once(tmp_path: Path):
    from contract_discovery.adoption.initializer import plan_service

    folder = tmp_path / "risk" / "contracts"
    folder.mkdir(parents=True)
    (folder / "deps.yaml").write_text("service: risk\ndepends_on:\n  - service: orders\n    operation: orderHistory\n")
    inferred = {"service": "risk", "depends_on": [
        {"service": "orders", "operation": "history", "timeout": "2s", "x-evidence": ["risk/a.py:3"]},
        {"service": "orders", "operation": "chargebacks", "timeout": "1500ms", "x-evidence": ["risk/a.py:9"]},
    ]}
    plan = plan_service(tmp_path, "risk", "risk", inferred, {})
    [change] = plan.changes
    assert change.new == ("service: risk\ndepends_on:\n  - service: orders\n    operation: orderHistory\n"
                          "    timeout: 2s  # from risk/a.py:3\n")
    assert [p.render() for p in plan.proposals] == [
        "risk/contracts/deps.yaml:3: proposal: risk depends_on orders.orderHistory timeout: declared 2s, "
        "the code shows 1500ms (risk/a.py:9)"]
