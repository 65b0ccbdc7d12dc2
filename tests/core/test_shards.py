"""Sharded scans merged give the same `check` results as one scan."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "contract_discovery.cli", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("name,shards", [("monorepo", 2), ("polyglot", 3)])
def test_merged_shards_check_like_one_scan(tmp_path, name, shards):
    root = FIXTURES / name
    outputs = []
    for i in range(1, shards + 1):
        out = tmp_path / f"shard{i}.json"
        run = cli("scan", str(root), "--shard", f"{i}/{shards}", "--format", "json", "--no-cache", "-q", "-o", str(out))
        assert run.returncode == 0, run.stderr
        outputs += ["--from-scan", str(out)]
    parts = [json.loads((tmp_path / f"shard{i}.json").read_text())["services"] for i in range(1, shards + 1)]
    assert all(parts) and sum(len(p) for p in parts) == len({s["name"] for p in parts for s in p})  # disjoint, none empty
    merged = cli("check", str(root), *outputs, "--format", "json", "-q", "--fail-on", "never")
    single = cli("check", str(root), "--format", "json", "--no-cache", "-q", "--fail-on", "never")
    assert merged.returncode == single.returncode == 0, merged.stderr + single.stderr
    assert json.loads(merged.stdout)["results"] == json.loads(single.stdout)["results"]
    assert json.loads(single.stdout)["results"]


def test_from_scan_refuses_what_is_not_a_scan(tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"results": []}')
    run = cli("check", str(FIXTURES / "monorepo"), "--from-scan", str(bogus))
    assert run.returncode == 2 and "not the JSON of `contract-discovery scan --format json`" in run.stderr


def test_check_changed_since_reports_only_touched_services(tmp_path):
    import shutil

    root = tmp_path / "mono"
    shutil.copytree(FIXTURES / "monorepo", root, ignore=shutil.ignore_patterns(".contract-discovery-cache"))
    git = lambda *a: subprocess.run(["git", "-C", str(root), "-c", "user.email=a@b", "-c", "user.name=a", *a],  # noqa: E731
                                    check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "init")
    (root / "support" / "support" / "disputes.py").write_text(
        (root / "support" / "support" / "disputes.py").read_text() + "\n# touched\n")
    run = cli("check", str(root), "--changed-since", "HEAD", "--format", "json", "--no-cache", "-q", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    pairs = {(r["rule"], r["consumer"], r["provider"]) for r in json.loads(run.stdout)["results"]}
    assert pairs == {("data-access", "support", "risk"), ("missing-timeout", "support", "risk"),
                     ("contract-drift", "support", "risk")}
