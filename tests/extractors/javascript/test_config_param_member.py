"""A settings object handed in as a parameter (`(cfg: ServerConfig) => getJson(url, cfg.upstreamTimeout)`):
its setting-named member handed to a helper is a contract at that call (rule c), value unknown; the
caller's own timeout parameter handed on is a forwarder (no finding)."""

from pathlib import Path

from contract_discovery.pipeline import scan


def test_a_config_parameters_setting_handed_to_a_helper_is_a_contract_at_the_call(tmp_path: Path) -> None:
    src = tmp_path / "svc" / "src"
    src.mkdir(parents=True)
    (tmp_path / "svc" / "package.json").write_text('{"name": "svc"}')
    (src / "helper.ts").write_text(
        'import axios from "axios";\n\n'
        "export async function getJson(url: string, timeoutMs = 3000) {\n"
        "  return axios.get(url, { timeout: timeoutMs });\n}\n")
    (src / "main.ts").write_text(
        'import { getJson } from "./helper";\n\n'
        "export function a(cfg: { upstreamTimeout: number }) {\n"
        '  return getJson("http://risk:8080/x", cfg.upstreamTimeout);\n}\n\n'
        "export function b(timeoutMs: number) {\n"
        '  return getJson("http://risk:8080/y", timeoutMs);  // a forwarder\n}\n\n'
        "export function c(options: { upstreamTimeout: number }) {\n"
        '  return getJson("http://risk:8080/z", options.upstreamTimeout);  // the caller\'s options: forwarded\n}\n')
    got = sorted((f.line, f.attributes.get("timeout_ms"), f.attributes.get("expression"))
                 for f in scan(tmp_path).findings if f.path == "svc/src/main.ts" and f.kind == "timeout")
    assert got == [(4, None, "cfg.upstreamTimeout")]
