"""Round 9 of the held-out measurement: rules found on unseen JS/TS services (openstatus, Evolution
API, Bluesky's PDS/Ozone, The Lounge), checked across files by a scan (the per-file annotations
are checked by test_fixtures)."""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.context import FileContext

ROOT = Path(__file__).resolve().parents[3]
SERVICE = ROOT / "fixtures" / "javascript" / "round9" / "service"


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind, f.attributes.get("phase")):
            f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def test_defaults_config_fields_and_forwarders_across_the_service():
    assert _scan(SERVICE) == {
        # rule (a): the race helper's bound, defaulted to a constant of its file
        ("src/fallback.ts", 7, "timeout", "total"): 5000,
        # rule (b): a call leaving it out gets the constant's value; rule (c): one passing a value
        ("src/page.ts", 5, "timeout", "total"): 5000,
        ("src/page.ts", 6, "timeout", "total"): 1500,
        # a settings object handed in (`cfg: ProxyConfig`): config fields, kept (their value is the
        # configuration's); `buildAgent(opts)` hands its options bag's member on: a forwarder, dropped
        ("src/proxy.ts", 8, "timeout", "read"): None,
        ("src/proxy.ts", 9, "timeout", "read"): None,
        # the Effect template `${opts.timeoutMs} millis` forwards the caller's value (dropped); the
        # call handing it a constant holds the contract
        ("src/webhook.ts", 7, "timeout", "total"): 5000,
        # a retry function another file made with a package's factory: each call retries, with the
        # package's count (@atproto/common: 3 retries); a project wrapper's own loop is the contract,
        # not its calls
        ("src/moderation.ts", 6, "retry", None): 4,
        ("src/local-retry.ts", 3, "retry", None): 3,
    }


def _expr(source: bytes, text: str):
    from extractors import treesitter as ts

    ctx = FileContext.build("a.ts", source)
    node = next(n for n in ts.walk(ctx.tree.root_node) if ts.text(n) == text)
    return ctx.evaluate(ctx.to_expr(node)).value


def test_a_chain_of_optional_settings_falls_back_to_the_codes_default():
    source = (b"export function send(maxRetries?: number) {\n"
              b"  const cfg = load();\n"
              b"  return maxRetries ?? cfg.RETRY?.MAX_ATTEMPTS ?? 10;\n}\n")
    assert _expr(source, "maxRetries ?? cfg.RETRY?.MAX_ATTEMPTS ?? 10") == 10
    # a parameter with a default of its own is read through that default, not the fallback
    assert _expr(b"export function f(retries = 2) { return retries ?? 7; }\n", "retries ?? 7") != 7


def test_a_setting_read_into_a_local_runs_with_the_codes_default_when_unreadable():
    source = (b"import { Config } from './config';\n"
              b"export function f() { const t = Config.values.prefetchTimeout; return t || 5000; }\n")
    assert _expr(source, "t || 5000") == 5000
    # a constant the file defines still wins
    assert _expr(b"const T = 300;\nexport const x = T || 5000;\n", "T || 5000") == 300


def test_a_packages_time_unit_constants_are_milliseconds_but_not_the_projects():
    assert _expr(b"import { SECOND } from '@atproto/common';\nexport const t = 60 * SECOND;\n", "60 * SECOND") == 60000
    assert _expr(b"import { SECOND } from './time';\nexport const t = 60 * SECOND;\n", "60 * SECOND") is None
