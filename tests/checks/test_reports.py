"""Output formats of check: JSON (SPEC section 4), SARIF 2.1.0 (validated), markdown, JUnit; and the
CLI on broken contracts (incomplete run), validate and schema."""

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from contract_discovery.checks.base import all_rules
from contract_discovery.checks.engine import run_check
from contract_discovery.reports import check_json, check_junit, check_markdown, check_sarif
from tests.checks.test_seed import MONOREPO, ROOT, SEED, cli
from tests.checks.util import write

SARIF_SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def monorepo_report():
    from contract_discovery.pipeline import scan

    return run_check(MONOREPO, scan_fn=scan)


def test_json_results_follow_spec_section_4(monorepo_report):
    data = json.loads(check_json.render(monorepo_report))
    assert data["schema_version"] == 1 and data["incomplete"] is False
    for item in data["results"]:
        assert {"rule", "status", "title", "consumer", "provider", "expected", "actual", "action", "locations"} <= set(item)
        assert all(set(loc) >= {"path", "line"} for loc in item["locations"])
    first = data["results"][0]
    assert (first["rule"], first["status"], first["expected"], first["actual"]) == (
        "latency-budget", "BLOCKS_INTEGRATION", "p95 < 200ms", "p95 = 3200ms (current)")
    assert data["summary"]["counts"] == {"BLOCKS_INTEGRATION": 3, "DECISION_REQUIRED": 1, "WARNING": 4, "INFO": 0}


def test_sarif_is_valid_and_carries_rules_locations_and_fingerprints(monorepo_report, tmp_path):
    data = json.loads(check_sarif.render(monorepo_report))
    if SARIF_SCHEMA.exists():
        schema = json.loads(SARIF_SCHEMA.read_text())
        errors = [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(data)]
        assert errors == []
    run = data["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids[:4] == ["latency-budget", "timeout-below-provider-latency", "timeout-exceeds-budget", "retry-amplification"]
    assert all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
    idem = next(r for r in run["results"] if r["ruleId"] == "idempotency")
    assert idem["level"] == "error"
    paths = [idem["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]] + \
        [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in idem["relatedLocations"]]
    assert paths[:2] == ["checkout/checkout/risk_client.py", "risk/contracts/idempotency.yaml"]
    assert idem["partialFingerprints"]["contractDiscovery/v1"]
    assert all(r["ruleIndex"] == rule_ids.index(r["ruleId"]) for r in run["results"])


def test_sarif_with_suppressions_and_problems_is_still_valid(tmp_path):
    shutil.copytree(SEED, tmp_path / "s")
    write(tmp_path / "s", {"bad/contracts/x.yaml": "service: bad\ndepends_on: [\n"})
    baseline = {r.fingerprint for r in run_check(tmp_path / "s").results[:1]}
    report = run_check(tmp_path / "s", baseline=baseline)
    data = json.loads(check_sarif.render(report))
    if SARIF_SCHEMA.exists():
        schema = json.loads(SARIF_SCHEMA.read_text())
        assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(data)] == []
    run = data["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert [r["suppressions"][0]["kind"] for r in run["results"] if "suppressions" in r] == ["external"]


def test_markdown_starts_with_the_verdict_then_a_table(monorepo_report):
    text = check_markdown.render(monorepo_report)
    lines = text.splitlines()
    assert lines[0] == "**⛔ Contract check failed** — 3 BLOCKS_INTEGRATION, 1 DECISION_REQUIRED, 4 WARNING"
    assert lines[2].startswith("| Status | Rule |")
    assert "| ⛔ BLOCKS_INTEGRATION | `latency-budget` | checkout → risk | p95 < 200ms | p95 = 3200ms (current) |" in text


def test_junit_fails_the_blocking_cases(monorepo_report):
    root = ET.fromstring(check_junit.render(monorepo_report))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("8", "3")
    failed = sorted(c.get("classname") for c in suite.iter("testcase") if c.find("failure") is not None)
    assert failed == ["contracts.data-freshness", "contracts.idempotency", "contracts.latency-budget"]
    warned = ET.fromstring(check_junit.render(monorepo_report, "warning")).find("testsuite")
    assert warned.get("failures") == "8"


def test_broken_contracts_incomplete_run_other_services_checked(tmp_path):
    root = tmp_path / "r"
    shutil.copytree(SEED, root)
    write(root, {
        "bad-duration/contracts/x.yaml": "service: a\ndepends_on:\n  - service: b\n    timeout: 5 parsecs\n",
        "bad-type/contracts/x.yaml": "service: c\ndepends_on: d\n",
        "bad-key/contracts/x.yaml": "service: e\nprovides:\n  - operation: f\n    latancy: p95=1s\n",
        "bad-syntax/contracts/x.yaml": "service: g\ndepends_on: [\n",
        "bad-bomb/contracts/x.yaml": "a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
            f"{n}: &{n} [" + ",".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefg", "bcdefgh")) + "service: h\n",
    })
    run = cli("check", str(root), "--no-cache", "-q", "--format", "json")
    assert run.returncode == 2
    data = json.loads(run.stdout)
    assert data["incomplete"] is True
    assert {(e["path"], e["line"], e["field"]) for e in data["errors"]} >= {
        ("bad-duration/contracts/x.yaml", 4, "depends_on[0].timeout"),
        ("bad-type/contracts/x.yaml", 2, "depends_on"),
        ("bad-key/contracts/x.yaml", 4, "provides[0].latancy"),
    }
    assert {e["path"] for e in data["errors"]} == {f"bad-{k}/contracts/x.yaml" for k in ("duration", "type", "key", "syntax", "bomb")}
    # the seed's services were still checked
    assert {r["rule"] for r in data["results"]} >= {"latency-budget", "data-freshness", "idempotency", "data-access"}
    text = cli("check", str(root), "--no-cache", "-q")
    assert text.returncode == 2
    assert "INCOMPLETE: 5 contract problem(s)" in text.stdout
    assert "bad-duration/contracts/x.yaml:4:14: error: depends_on[0].timeout: invalid duration '5 parsecs'" in text.stdout


def test_validate_cli(tmp_path):
    assert cli("validate", str(SEED)).returncode == 0
    write(tmp_path, {"svc/contracts/x.yaml": "service: a\ndepends_on:\n  - service: b\n    timeout: 5 parsecs\n"})
    run = cli("validate", str(tmp_path))
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith("svc/contracts/x.yaml:4:14: error: depends_on[0].timeout: invalid duration")
    single = cli("validate", str(tmp_path / "svc" / "contracts" / "x.yaml"), "--format", "json")
    assert single.returncode == 1 and json.loads(single.stdout)["errors"][0]["field"] == "depends_on[0].timeout"


def test_schema_cli_prints_the_draft7_schema():
    run = cli("schema")
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["required"] == ["service"]


def test_docs_have_a_section_per_rule():
    text = (ROOT / "docs" / "rules.md").read_text()
    for rule in all_rules():
        assert f'<a id="{rule.id}"></a>\n### `{rule.id}` — {rule.title}' in text, rule.id
        assert f"Default status: `{rule.default_status}`" in text
        assert rule.rationale in text


def test_html_is_self_contained_and_escaped(monorepo_report):
    from contract_discovery.reports import check_html

    page = check_html.render(monorepo_report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "p95 &lt; 200ms" in page and "Risk must implement caching before integration" in page


def test_peers_from_another_repository(tmp_path):
    """checkout's repository alone; risk's declared contracts and scan export come in with --peers."""
    shutil.copytree(MONOREPO / "checkout", tmp_path / "shop" / "checkout")
    export = cli("scan", str(MONOREPO / "risk"), "--no-cache", "-q", "--format", "yaml")
    assert export.returncode == 0, export.stderr
    peers = tmp_path / "peers"
    shutil.copytree(MONOREPO / "risk" / "contracts", peers / "risk-declared")
    (peers / "risk-inferred.yaml").write_text(export.stdout)
    run = cli("check", str(tmp_path / "shop"), "--no-cache", "-q", "--format", "json", "--peers", str(peers))
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert data["errors"] == []
    got = {(r["rule"], r["status"], r["consumer"], r["provider"]) for r in data["results"]}
    assert {("latency-budget", "BLOCKS_INTEGRATION", "checkout", "risk"),
            ("idempotency", "BLOCKS_INTEGRATION", "checkout", "risk")} <= got
    latency = next(r for r in data["results"] if r["rule"] == "latency-budget")
    assert any(loc["path"].endswith("risk-declared/sla.yaml") for loc in latency["locations"])


def test_missing_peers_path_is_a_usage_error(tmp_path):
    run = cli("check", str(SEED), "--no-cache", "-q", "--peers", str(tmp_path / "nope"))
    assert run.returncode == 2 and "does not exist" in run.stderr
