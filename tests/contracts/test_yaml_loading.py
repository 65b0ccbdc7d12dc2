"""Loading contract files: positions for every error, and hostile YAML refused safely and fast."""

from pathlib import Path

import jsonschema
import yaml

from contract_discovery.contracts.loader import load_declared, load_peers, parse_contract_text
from contract_discovery.contracts.schema import CONTRACT_SCHEMA, DECISIONS_SCHEMA
from contract_discovery.contracts.yamlload import load_yaml

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed"


def rendered(text, path="c.yaml"):
    return [i.render() for i in parse_contract_text(text, path)[1]]


def test_seed_loads_verbatim_and_merges_per_service():
    loaded = load_declared(SEED)
    assert loaded.issues == []
    assert sorted(loaded.contracts) == ["checkout", "orders", "risk", "support"]
    risk = loaded.contracts["risk"]
    assert [(e.get("operation") or e.get("endpoint")) for e in risk.provides] == \
        ["/fraud-score", "/fraud-signals-detailed", "scoreTransaction"]
    assert risk.operations[0].data["window"] == "5m"
    assert risk.data_dependencies[0].data["freshness_required"] == "<10s"
    latency = risk.provides[2]
    assert latency.data["latency"] == {"current": "p50=2800ms, p95=3200ms",
                                       "target": "p50=80ms, p95=150ms (requires caching)"}
    assert (latency.where("latency").path, latency.where("latency").line) == ("risk-service/contracts/sla.yaml", 5)
    assert loaded.service_dirs["checkout-service"] == "checkout"


def test_bad_duration_names_the_field_with_line_and_column():
    text = "service: checkout\ndepends_on:\n  - service: risk\n    timeout: 500 ms x\n"
    assert rendered(text) == ["c.yaml:4:14: error: depends_on[0].timeout: invalid duration '500 ms x': "
                              "expected a number and a unit (ms, s, m, h), e.g. 500ms"]


def test_number_without_unit():
    assert rendered("service: a\ndepends_on:\n  - service: b\n    timeout: 500\n") == [
        "c.yaml:4:14: error: depends_on[0].timeout: a number (500) has no unit: write 500ms or 500s"]


def test_wrong_type():
    assert rendered("service: checkout\ndepends_on: risk\n") == [
        "c.yaml:2:13: error: depends_on: expected a list, got a string ('risk')"]
    assert rendered("service: a\noperations:\n  - name: x\n    window: [5m]\n") == [
        "c.yaml:4:13: error: operations[0].window: expected a duration such as 500ms or 2s, got a list"]


def test_unknown_key_points_at_the_key_with_a_suggestion():
    assert rendered("service: a\ndepends_on:\n  - service: b\n    timout: 5s\n") == [
        "c.yaml:4:5: error: depends_on[0].timout: unknown key 'timout' (did you mean 'timeout'?)"]


def test_extension_keys_are_allowed():
    assert rendered("service: a\nx-team: payments\ndepends_on:\n  - service: b\n    x-note: hi\n") == []


def test_yaml_syntax_error_has_a_line():
    issues = parse_contract_text("service: a\ndepends_on:\n  - service: [b\n", "c.yaml")[1]
    assert len(issues) == 1 and issues[0].line == 4 and "YAML syntax error" in issues[0].message
    assert issues[0].field == "depends_on[].service"
    quoted = parse_contract_text('service: a\ndepends_on:\n  - service: b\n    timeout: "5s\n', "c.yaml")[1]
    assert quoted[0].field == "depends_on[].timeout" and "started at line 4" in quoted[0].message


def test_notation_error_inside_a_tier():
    text = "service: a\ndepends_on:\n  - service: b\n    latency_budget:\n      acceptable: p95 < soon\n"
    assert rendered(text) == ["c.yaml:5:19: error: depends_on[0].latency_budget.acceptable: cannot read latency "
                              "'p95 < soon': invalid duration 'soon': expected a number and a unit (ms, s, m, h), e.g. 500ms"]


def test_bad_field_is_dropped_but_the_rest_of_the_entry_stays():
    contracts, issues = parse_contract_text(
        "service: a\ndepends_on:\n  - service: b\n    timeout: soon\n    latency_budget: p95 < 200ms\n", "c.yaml")
    assert [i.field for i in issues] == ["depends_on[0].timeout"]
    assert dict(contracts[0].depends_on[0].data) == {"service": "b", "latency_budget": "p95 < 200ms"}


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\nservice: x\n"
    contracts, issues = parse_contract_text(text, "bomb.yaml")
    assert contracts == []
    assert len(issues) == 1 and "alias bomb" in issues[0].message and issues[0].line is not None


def test_recursive_alias_is_refused():
    issues = parse_contract_text("service: a\nx-loop: &l [*l]\n", "c.yaml")[1]
    assert any("recursive" in i.message for i in issues)


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f'service: !!python/object/apply:os.system ["touch {marker}"]\n'
    contracts, issues = parse_contract_text(text, "evil.yaml")
    assert not marker.exists()
    assert contracts == []
    assert issues[0].render().startswith("evil.yaml:1:10: error: service: tag !!python/object/apply:os.system is not allowed")


def test_duplicate_keys_are_reported():
    assert rendered("service: a\nservice: b\n") == ["c.yaml:2:1: error: service: duplicate key 'service' (first at line 1)"]


def test_non_mapping_roots():
    assert rendered("- a\n- b\n") == ["c.yaml:1:1: error: expected a mapping, got a list"]
    assert rendered("just text\n") == ["c.yaml:1:1: error: expected a mapping, got a string ('just text')"]
    assert rendered("depends_on: []\n") == ["c.yaml:1:1: error: service: missing required key 'service'"]


def test_deep_nesting_is_refused_before_parsing():
    issues = parse_contract_text("service: a\nx-deep: " + "[" * 200_000 + "]" * 200_000 + "\n", "deep.yaml")[1]
    assert issues and "nesting" in issues[0].message


def test_binary_and_huge_files():
    bad = load_yaml(b"service: a\nowner: \xff\xfe", "b.yaml").issues[0]
    assert "not UTF-8" in bad.message and (bad.line, bad.column) == (2, 8)
    assert "too large" in load_yaml(b"x" * 2_000_001, "big.yaml").issues[0].message


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a" / "contracts").mkdir(parents=True)
    (tmp_path / "b" / "contracts").mkdir(parents=True)
    (tmp_path / "a" / "contracts" / "x.yaml").write_text("service: a\ndepends_on: [\n")
    (tmp_path / "b" / "contracts" / "x.yaml").write_text("service: b\nprovides:\n  - operation: op\n    latency: p95=1s\n")
    loaded = load_declared(tmp_path)
    assert sorted(loaded.contracts) == ["b"]
    assert [i.path for i in loaded.issues] == ["a/contracts/x.yaml"]


def test_peers_accept_scan_yaml_output_and_json(tmp_path):
    docs = [{"service": "risk", "provides": [{"operation": "score", "latency": "p95=3s", "x-evidence": ["risk/app.py:4"]}]},
            {"service": "orders"}]
    (tmp_path / "peer.yaml").write_text("# exported\n" + yaml.safe_dump_all(docs, explicit_start=True))
    (tmp_path / "scan.json").write_text('{"schema_version": 1, "contracts": [{"service": "ledger", "provides": []}]}')
    loaded = load_peers([tmp_path])
    assert loaded.issues == []
    # What the peer's code shows (x-evidence) joins the inferred side; what it states, the declared.
    assert sorted(loaded.contracts) == ["ledger", "orders"]
    assert sorted(loaded.inferred) == ["risk"]
    entry = loaded.inferred["risk"].provides[0]
    assert entry.origin == "inferred" and [(e.path, e.line) for e in entry.evidence] == [("risk/app.py", 4)]


def test_a_peer_export_and_its_declared_contract_merge_like_local_ones(tmp_path):
    """risk's declared scoreTransaction (key transaction_id) and its code's score_transaction
    (key tx_id), both from another repository: one operation, the declaration's key kept."""
    from contract_discovery.contracts.merge import merge_contracts

    (tmp_path / "declared.yaml").write_text(
        "service: risk\noperations:\n  - {name: scoreTransaction, idempotency_key: transaction_id,"
        " expects: stable_across_retries}\n")
    (tmp_path / "export.yaml").write_text(
        "service: risk\noperations:\n- name: score_transaction\n  idempotency_key: tx_id\n"
        "  expects: stable_across_retries\n  x-evidence:\n  - risk/scoring.py:16\n")
    loaded = load_peers([tmp_path])
    merge = merge_contracts({}, list(loaded.inferred.values()), loaded.contracts)
    ops = merge.views["risk"].section("operations")
    assert [(m.get("name"), m.get("idempotency_key")) for m in ops] == [("scoreTransaction", "transaction_id")]
    assert ops[0].inferred is not None and ops[0].inferred.get("name") == "score_transaction"


def test_schemas_are_valid_and_accept_the_seed():
    jsonschema.Draft7Validator.check_schema(CONTRACT_SCHEMA)
    jsonschema.Draft7Validator.check_schema(DECISIONS_SCHEMA)
    validator = jsonschema.Draft7Validator(CONTRACT_SCHEMA)
    for path in sorted(SEED.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        assert list(validator.iter_errors(data)) == [], path
    assert list(validator.iter_errors({"service": "a", "depends_on": [{"service": "b", "timeout": "5 parsecs"}]}))


def test_metadata_and_retry_spellings():
    contracts, issues = parse_contract_text(
        "service: a\nteam: payments\ndepends_on:\n  - service: b\n    retries: 2\n    backoff: exponential\n"
        "    notes: agreed in the design review\n", "c.yaml")
    assert issues == []
    assert contracts[0].depends_on[0].data["retry"] == {"max_attempts": 3, "backoff": "exponential"}


def test_contract_files_outside_a_contracts_folder_when_there_is_none(tmp_path):
    for path in SEED.rglob("*.yaml"):
        service_dir = path.parent.parent.name
        (tmp_path / service_dir).mkdir(exist_ok=True)
        (tmp_path / service_dir / path.name).write_text(path.read_text())
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: risk}\n")
    loaded = load_declared(tmp_path)
    assert loaded.issues == []
    assert sorted(loaded.contracts) == ["checkout", "orders", "risk", "support"]
    assert loaded.service_dirs["risk-service"] == "risk"


def test_contracts_under_tests_and_fixtures_are_examples_not_services(tmp_path):
    for folder in ("svc", "tests/fixtures/other", "fixtures/demo"):
        (tmp_path / folder / "contracts").mkdir(parents=True)
        (tmp_path / folder / "contracts" / "c.yaml").write_text(f"service: {folder.rsplit('/', 1)[-1]}\nprovides: []\n")
    assert sorted(load_declared(tmp_path).contracts) == ["svc"]
    assert sorted(load_declared(tmp_path / "fixtures" / "demo").contracts) == ["demo"]
