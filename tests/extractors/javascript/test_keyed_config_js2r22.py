"""Round 22 (TypeScript, js2): a configuration registry keyed by an enum (Decentraland Catalyst's
`registerConfigIfNotAlreadySet(env, EnvironmentConfig.PG_QUERY_TIMEOUT, () => ... ms('1m'))`, read back as
`env.getConfig<number>(EnvironmentConfig.PG_QUERY_TIMEOUT)` in another file), and pg options built in pieces
(`const poolConfig = { ...defaultOptions, ...options }; new Pool(poolConfig)`)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

ENVIRONMENT = """import ms from 'ms';
export enum EnvironmentConfig {
  PG_QUERY_TIMEOUT,
  PG_STREAM_QUERY_TIMEOUT,
  LOG_LEVEL
}
export class Environment {
  private configs = new Map<EnvironmentConfig, any>();
  getConfig<T>(key: EnvironmentConfig): T { return this.configs.get(key); }
  setConfig<T>(key: EnvironmentConfig, value: T): Environment { this.configs.set(key, value); return this; }
}
export class EnvironmentBuilder {
  build(env: Environment) {
    this.registerConfigIfNotAlreadySet(env, EnvironmentConfig.PG_QUERY_TIMEOUT, () =>
      process.env.PG_QUERY_TIMEOUT ? ms(process.env.PG_QUERY_TIMEOUT) : ms('1m')
    );
    this.registerConfigIfNotAlreadySet(env, EnvironmentConfig.LOG_LEVEL, () => process.env.LOG_LEVEL ?? 'INFO');
  }
  private registerConfigIfNotAlreadySet(env: Environment, key: EnvironmentConfig, valueProvider: () => any): void {
    env.setConfig(key, valueProvider());
  }
}
"""

DATABASE = """import { Pool } from 'pg';
import { EnvironmentConfig } from '../Environment';
export function createDb(components: any, options?: any) {
  const defaultOptions = {
    port: 5432,
    idleTimeoutMillis: 30000,
    query_timeout: components.env.getConfig<number>(EnvironmentConfig.PG_QUERY_TIMEOUT),
  };
  const poolConfig = { ...defaultOptions, ...options };
  return new Pool(poolConfig);
}
export function stream(components: any) {
  return new Pool({ connectionTimeoutMillis: 1000, query_timeout: components.env.getConfig(EnvironmentConfig.PG_STREAM_QUERY_TIMEOUT) });
}
export function notPg() {
  const settings = { query_timeout: 5000 };
  return JSON.stringify(settings);
}
"""


def _scan(tmp_path: Path) -> dict[tuple, object]:
    (tmp_path / "package.json").write_text('{"name": "catalyst", "dependencies": {"pg": "8", "ms": "2"}}')
    (tmp_path / "src" / "adapters").mkdir(parents=True)
    (tmp_path / "src" / "Environment.ts").write_text(ENVIRONMENT)
    (tmp_path / "src" / "adapters" / "database.ts").write_text(DATABASE)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path, f.line): f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"}


def test_a_setting_read_by_its_enum_key_has_the_registered_default(tmp_path):
    found = _scan(tmp_path)
    assert found.get(("src/adapters/database.ts", 7)) == 60000  # also through `{ ...defaultOptions }` into new Pool


def test_a_key_no_file_registers_stays_unknown_and_an_object_never_handed_to_pg_is_no_setting(tmp_path):
    found = _scan(tmp_path)
    assert ("src/adapters/database.ts", 13) in found and found[("src/adapters/database.ts", 13)] is None
    assert ("src/adapters/database.ts", 16) not in found
