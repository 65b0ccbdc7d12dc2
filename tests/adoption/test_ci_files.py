"""The CI integrations: pre-commit hooks, the composite GitHub Action and docs/ci.md say what the tool does."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from .conftest import run

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hooks_run_real_commands():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["contract-discovery-validate", "contract-discovery-diff", "contract-discovery-check"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        argv = shlex.split(hook["entry"])
        assert argv[0] == "contract-discovery"
        proc = run(*argv[1:], "--help")
        assert proc.returncode == 0, (hook["id"], proc.stderr)
    contracts_only = re.compile(hooks[0]["files"])
    assert contracts_only.search("services/risk/contracts/sla.yaml")
    assert not contracts_only.search("services/risk/app.py")


def test_action_is_composite_and_uploads_sarif_from_check():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "pip install" in scripts
    assert re.search(r"args=\(check .*--format sarif --output \"\$SARIF\"", scripts)
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1 and upload[0]["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload[0]["if"]
    assert set(action["inputs"]) >= {"path", "fail-on", "sarif-file", "package"}
    # Every shell step says which shell (composite actions require it).
    assert all(s.get("shell") == "bash" for s in steps if "run" in s)


def test_ci_doc_shows_a_nightly_drift_job_and_a_pr_gate():
    doc = (ROOT / "docs" / "ci.md").read_text()
    assert "## Nightly drift report" in doc and "## Pull request gate (GitHub Actions)" in doc
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    workflows = [yaml.safe_load(b) for b in blocks if "jobs:" in b]
    triggers = [w.get(True) or w.get("on") for w in workflows]  # YAML 1.1 reads `on` as true
    assert any("schedule" in t for t in triggers) and any("pull_request" in t for t in triggers)
    nightly = next(w for w, t in zip(workflows, triggers) if "schedule" in t)
    commands = "\n".join(s.get("run", "") for job in nightly["jobs"].values() for s in job["steps"])
    assert "contract-discovery drift . --format html --output drift.html" in commands
    assert "--write-baseline" in commands
    assert "--output /dev/null" not in doc  # atomic writes would replace /dev/null itself


def test_the_actions_check_step_records_the_exit_code_and_writes_sarif(tmp_path: Path):
    import json
    import os
    import subprocess
    import sys

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = {s.get("id") or s.get("name"): s for s in action["runs"]["steps"]}
    outputs, summary, sarif = tmp_path / "out", tmp_path / "summary.md", tmp_path / "r.sarif"
    outputs.write_text("")
    summary.write_text("")
    env = dict(os.environ, ROOT=str(ROOT / "fixtures" / "monorepo"), FAIL_ON="blocks", PEERS="", CONFIG="",
               SARIF=str(sarif), GITHUB_OUTPUT=str(outputs), GITHUB_STEP_SUMMARY=str(summary),
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(["bash", "-e", "-c", steps["check"]["run"]], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr  # the step itself never fails: the last step does
    assert outputs.read_text() == "exit-code=1\n"  # the seed's conflicts block integration
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert "latency-budget" in summary.read_text()
    fail = subprocess.run(["bash", "-e", "-c", steps["Fail on results"]["run"]], env=dict(env, CODE="1"),
                          capture_output=True, text=True)
    assert fail.returncode == 1 and "::error::" in fail.stdout
