"""Round 21 (lead, polyglot18): a settings class whose fields carry their defaults, handed to a client through a
constructor parameter's default (`constructor(private readonly cfg: Settings = settings)`)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

SETTINGS = '''export class Settings {
  riskUrl = process.env.RISK_URL ?? 'http://risk:8000';
  riskTimeoutMs = Number(process.env.RISK_TIMEOUT_MS ?? 350);
  riskAttempts = Number(process.env.RISK_ATTEMPTS ?? 3);
  static pollMs = 5000;
  sessionTtlSeconds = 1800; // how long a session is kept
}

export const settings = new Settings();
'''

CLIENT = '''import axios, { AxiosInstance } from 'axios';
import { Settings, settings as defaultSettings } from './settings';
import { withRetry } from './retry';

export class RiskClient {
  private readonly http: AxiosInstance;

  constructor(private readonly cfg: Settings = defaultSettings) {
    this.http = axios.create({
      baseURL: cfg.riskUrl,
      timeout: cfg.riskTimeoutMs,
    });
  }

  async score(body: object): Promise<unknown> {
    return withRetry(() => this.http.post('/v1/score', body), { attempts: this.cfg.riskAttempts });
  }

  describe(): string {
    return `session kept ${this.cfg.sessionTtlSeconds} s`;
  }
}
'''

RETRY = '''export async function withRetry<T>(fn: () => Promise<T>, { attempts = 2 }: { attempts?: number } = {}): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
'''


def _scan(tmp_path: Path, settings: str = SETTINGS) -> list[tuple]:
    (tmp_path / "package.json").write_text('{"name": "checkout", "dependencies": {"axios": "1"}}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "settings.ts").write_text(settings)
    (tmp_path / "src" / "client.ts").write_text(CLIENT)
    (tmp_path / "src" / "retry.ts").write_text(RETRY)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.kind, f.line,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"),
                   f.target.url if f.target else None)
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_class_field_defaults_reach_the_client_through_the_constructor_default(tmp_path):
    found = _scan(tmp_path)
    assert ("client.ts", "timeout", 9, 350, "http://risk:8000") in found  # at `axios.create({`
    assert ("client.ts", "retry", 16, 3, "http://risk:8000/v1/score") in found  # rule (c): the call's value
    assert ("retry.ts", "retry", 3, 2, None) in found  # rule (a): the helper's own default


def test_class_fields_that_are_no_settings_stay_silent(tmp_path):
    found = _scan(tmp_path)
    # a session lifetime read into a message, a static field: never a finding
    assert not [f for f in found if f[3] in (1800, 5000, 1800000, 5000000)]


def test_a_field_without_a_fallback_is_no_value(tmp_path):
    unset = SETTINGS.replace("Number(process.env.RISK_TIMEOUT_MS ?? 350)", "Number(process.env.RISK_TIMEOUT_MS)")
    found = _scan(tmp_path, unset)
    assert not [f for f in found if f[0] == "client.ts" and f[1] == "timeout" and f[3] is not None]
