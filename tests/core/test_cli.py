import json
import subprocess
import sys
from pathlib import Path

import jsonschema

SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "contract_discovery.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_missing_root_is_exit_2_with_one_line():
    proc = run("scan", "/definitely/not/here")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "contract-discovery: error: root '/definitely/not/here' does not exist"


def test_invalid_config_is_exit_2_and_names_the_file(tmp_path):
    (tmp_path / "contract-discovery.yaml").write_text("exclude: [\n")
    proc = run("scan", str(tmp_path))
    assert proc.returncode == 2
    assert "invalid config" in proc.stderr and "contract-discovery.yaml:" in proc.stderr
    assert "Traceback" not in proc.stderr
    (tmp_path / "contract-discovery.yaml").write_text("bogus: 1\n")
    proc = run("scan", str(tmp_path))
    assert proc.returncode == 2 and "unknown key(s) 'bogus'" in proc.stderr


def test_unknown_option_is_a_usage_error():
    proc = run("scan", "--no-such-flag")
    assert proc.returncode == 2


def test_scan_json_shape_and_sarif_validity_on_the_bundled_monorepo(tmp_path):
    root = Path(__file__).resolve().parents[2] / "fixtures" / "monorepo"
    proc = run("scan", str(root), "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [s["name"] for s in data["services"]] == ["checkout", "orders", "payment", "risk", "support"]
    assert data["schema_version"] == 1 and data["tool"]["name"] == "contract-discovery"
    sarif = run("scan", str(root), "--format", "sarif", "--no-cache", "--output", str(tmp_path / "out.sarif"))
    assert sarif.returncode == 0, sarif.stderr
    log = json.loads((tmp_path / "out.sarif").read_text())
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} >= {"timeout", "retry", "missing_timeout"}
