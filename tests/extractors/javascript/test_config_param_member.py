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


def test_a_constructor_keeping_a_defaulted_timeout_in_a_field_publishes_it_for_constructions(tmp_path: Path) -> None:
    """`constructor(private base: string, private timeoutMs = 5000)` (a parameter property) or
    `this.timeoutMs = timeoutMs` with `timeoutMs = 5000`, read as `timeout: this.timeoutMs` by a
    method: the field's line is the default (rule a), `new Upstream(url, 3000)` passes 3000 (c) and
    `new Upstream(url)` leaves the default (b)."""
    src = tmp_path / "svc" / "src"
    src.mkdir(parents=True)
    (tmp_path / "svc" / "package.json").write_text('{"name": "svc"}')
    (src / "upstream.ts").write_text(
        'import axios from "axios";\n\n'
        "export class Upstream {\n"
        "  constructor(private base: string, private timeoutMs = 5000) {}\n"
        "  fetch(path: string) {\n"
        "    return axios.get(this.base + path, { timeout: this.timeoutMs });\n  }\n}\n\n"
        "export class Ledger {\n"
        "  private timeoutMs: number;\n"
        "  constructor(private base: string, timeoutMs = 2000) {\n    this.timeoutMs = timeoutMs;\n  }\n"
        "  post(path: string, body: object) {\n"
        "    return axios.post(this.base + path, body, { timeout: this.timeoutMs });\n  }\n}\n")
    (src / "main.ts").write_text(
        'import { Upstream, Ledger } from "./upstream";\n\n'
        'export const orders = new Upstream("http://orders:8080", 3000);\n'
        'export const stock = new Upstream("http://stock:8080");\n'
        'export const ledger = new Ledger("http://ledger:8080", 900);\n')
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
                 for f in scan(tmp_path).findings if f.kind == "timeout")
    assert got == [("main.ts", 3, 3000), ("main.ts", 4, 5000), ("main.ts", 5, 900),
                   ("upstream.ts", 6, 5000), ("upstream.ts", 16, 2000)]
