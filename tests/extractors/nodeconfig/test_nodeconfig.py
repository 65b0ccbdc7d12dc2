"""node-config files give `config.get("a.b")` its value: default.*, and the variable
custom-environment-variables.* maps the key to."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.values import Num, Str
from extractors.nodeconfig.extractor import EXTRACTOR


def test_claims_the_package_files_in_a_config_folder_only() -> None:
    claimed = ["web/config/default.json", "config/default.yml", "web/config/custom-environment-variables.yaml"]
    not_claimed = ["web/config/production.json", "web/default.json", "web/config/tsconfig.json", "package.json"]
    assert [p for p in claimed if EXTRACTOR.claims(p)] == claimed
    assert [p for p in not_claimed if EXTRACTOR.claims(p)] == []


def test_default_leaves_and_environment_names() -> None:
    result = EXTRACTOR.extract("config/default.json", b'{"risk": {"timeoutMs": 1500, "url": "http://risk", '
                                                      b'"on": true, "none": null, "list": [1, 2]}}')
    assert result.symbols == {"$node-config:risk.timeoutMs": Num(1500.0), "$node-config:risk.url": Str("http://risk")}
    env = EXTRACTOR.extract("config/custom-environment-variables.yml",
                            b"risk:\n  timeoutMs:\n    __name: RISK_TIMEOUT_MS\n    __format: number\n  url: RISK_URL\n")
    assert env.symbols == {"$node-config-env:risk.timeoutMs": Str("RISK_TIMEOUT_MS"),
                           "$node-config-env:risk.url": Str("RISK_URL")}


def test_broken_files_give_an_error_and_no_values() -> None:
    broken = EXTRACTOR.extract("config/default.json", b'{"risk": {"timeoutMs": 15')
    assert broken.symbols == {} and [e.kind for e in broken.errors] == ["parse_error"]
    yaml_broken = EXTRACTOR.extract("config/default.yml", b"risk:\n  timeoutMs: [1,\n")
    assert yaml_broken.symbols == {} and [(e.kind, e.line) for e in yaml_broken.errors] == [("parse_error", 3)]


def test_scan_resolves_config_get_through_the_config_folder(tmp_path: Path) -> None:
    web = tmp_path / "web"
    (web / "config").mkdir(parents=True)
    (web / "package.json").write_text('{"name": "web"}\n')
    (web / "config" / "default.json").write_text(
        '{"risk": {"url": "http://risk:8000", "timeoutMs": 1500}, "orders": {"timeoutMs": 900}}')
    (web / "config" / "custom-environment-variables.json").write_text(
        '{"orders": {"timeoutMs": {"__name": "ORDERS_TIMEOUT_MS", "__format": "number"}}}')
    (web / "app.js").write_text(
        'const config = require("config");\nconst axios = require("axios");\n'
        'const settings = { get: () => 5 };\n'
        'module.exports = () => [\n'
        '  axios.get(config.get("risk.url") + "/score", { timeout: config.get("risk.timeoutMs") }),\n'
        '  axios.get("http://orders/x", { timeout: config.get("orders.timeoutMs") }),\n'
        '  axios.get("http://orders/y", { timeout: config.get("missing.key") }),\n'
        '];\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"], f.target.service if f.target else None)
                 for f in result.findings if f.kind == "timeout")
    assert got == [(5, 1500, "config", "risk"), (6, 900, "env_default", "orders"), (7, None, "unresolved", "orders")]
    assert [s.languages for s in result.services] == [("javascript",)]


def test_scan_resolves_config_get_from_a_yaml_default_file_other_extractors_also_claim(tmp_path: Path) -> None:
    """(round 18, js2: hmcts nfdiv-frontend) config/default.yaml is claimed by several config extractors
    (Spring, Rails, Kubernetes...): the node-config values must not be lost to another one's result of the
    same path. TypeScript's `config.get<number>('key')` reads it as `config.get('key')` does."""
    web = tmp_path / "web"
    (web / "config").mkdir(parents=True)
    (web / "package.json").write_text('{"name": "web"}\n')
    (web / "config" / "default.yaml").write_text(
        "timeout: 30000\nuploadTimeout: 60000\nlaunchDarkly:\n  initTimeoutSeconds: 30\n"
        "services:\n  case:\n    url: http://case-api:4000\n")
    (web / "client.ts").write_text(
        "import axios from 'axios';\nimport config from 'config';\n\n"
        "export const upload = (form: unknown) =>\n"
        "  axios.post('http://cdam/cases/documents', form, { timeout: config.get<number>('uploadTimeout') });\n"
        "export const other = () => axios.get('http://x/y', { timeout: config.get('not.there') });\n"
        "// config.get('timeout') in a comment is no call\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
                 for f in result.findings if f.kind == "timeout")
    assert got == [(5, 60000, "config"), (6, None, "unresolved")]
