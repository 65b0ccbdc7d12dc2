"""Round 20 (lead, polyglot17): a typed config object built by a loader function and handed to a client
class through its constructor (`constructor(private readonly config: CheckoutConfig)`)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CONFIG = '''export interface CheckoutConfig {
  riskBaseUrl: string;
  riskTimeoutMs: number;
  riskMaxAttempts: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CheckoutConfig {
  return {
    riskBaseUrl: env.RISK_BASE_URL || 'http://risk.internal:8000',
    riskTimeoutMs: parseInt(env.RISK_TIMEOUT_MS || '400', 10),
    riskMaxAttempts: 3,
  };
}
'''

CLIENT = '''import retry from 'async-retry';
import type { CheckoutConfig } from './config';

export class RiskClient {
  constructor(private readonly config: CheckoutConfig) {}

  async score(body: object): Promise<unknown> {
    return retry(
      async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), this.config.riskTimeoutMs);
        try {
          const res = await fetch(`${this.config.riskBaseUrl}/v1/score`, {
            method: 'POST', body: JSON.stringify(body), signal: controller.signal,
          });
          return await res.json();
        } finally {
          clearTimeout(timer);
        }
      },
      { retries: this.config.riskMaxAttempts - 1 },
    );
  }
}
'''


def _scan(tmp_path: Path, config: str = CONFIG, client: str = CLIENT) -> list[tuple]:
    (tmp_path / "package.json").write_text('{"name": "checkout", "dependencies": {"async-retry": "1"}}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "config.ts").write_text(config)
    (tmp_path / "src" / "RiskClient.ts").write_text(client)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.kind, f.line, f.attributes.get("timeout_ms") or f.attributes.get("max_attempts"),
                   f.target.url if f.target else None)
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_members_of_a_typed_config_built_by_a_loader_function(tmp_path: Path) -> None:
    assert _scan(tmp_path) == [("retry", 8, 3, "http://risk.internal:8000/v1/score"),
                               ("timeout", 13, 400, "http://risk.internal:8000/v1/score")]


def test_an_arrow_loader_with_an_expression_body_publishes_too(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "export function loadConfig(env: NodeJS.ProcessEnv = process.env): CheckoutConfig {\n  return {",
        "export const loadConfig = (env: NodeJS.ProcessEnv = process.env): CheckoutConfig => ({").replace(
        "  };\n}\n", "});\n")
    assert _scan(tmp_path, config=config) == [("retry", 8, 3, "http://risk.internal:8000/v1/score"),
                                               ("timeout", 13, 400, "http://risk.internal:8000/v1/score")]


def test_a_loader_returning_another_type_publishes_nothing_for_this_one(tmp_path: Path) -> None:
    config = CONFIG.replace("): CheckoutConfig {", "): OtherConfig {")
    got = _scan(tmp_path, config=config)
    assert ("timeout", 13, 400, "http://risk.internal:8000/v1/score") not in got
    assert all(value != 400 for _, _, value, _ in got)


def test_a_config_parameter_that_is_not_a_parameter_property_is_not_read(tmp_path: Path) -> None:
    # `constructor(config: CheckoutConfig)` without private/readonly: no `this.config` field is made from it
    client = CLIENT.replace("constructor(private readonly config: CheckoutConfig) {}",
                            "private config: any;\n  constructor(config: CheckoutConfig) { this.config = load(); }")
    got = _scan(tmp_path, client=client)
    assert all(value not in (3, 400) for _, _, value, _ in got)


def test_the_word_timeout_in_a_config_comment_is_no_value(tmp_path: Path) -> None:
    config = CONFIG.replace("    riskMaxAttempts: 3,\n", "    // riskTimeoutMs: 9000 was too long\n    riskMaxAttempts: 3,\n")
    got = _scan(tmp_path, config=config)
    assert ("timeout", 13, 400, "http://risk.internal:8000/v1/score") in got
    assert all(value != 9000 for _, _, value, _ in got)
