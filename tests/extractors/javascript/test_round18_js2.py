"""Round 18 (js2): shapes found on unseen TypeScript services (lido's ethereum-validators-monitoring,
hmcts nfdiv-frontend, refly): a NestJS environment class validated with class-validator whose field
initialisers are the defaults `configService.get('NAME')` runs with, got's CommonJS build (got-cjs),
and undici's per-request options at the called name's line."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _timeouts(root: Path):
    return sorted((f.path, f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                  for f in scan(root, jobs=1).findings if f.kind == "timeout")


ENV_CLASS = """\
import { IsNumber, IsString } from 'class-validator';
import { Transform } from 'class-transformer';

export class EnvironmentVariables {
  @IsNumber()
  @Transform(({ value }) => parseInt(value, 10), { toClassOnly: true })
  public CL_API_GET_RESPONSE_TIMEOUT = 15000;

  @IsNumber()
  public KEYS_API_RESPONSE_TIMEOUT = 30_000;

  // no validator decorator: not read from the environment by the validation
  public INTERNAL_TIMEOUT = 1234;

  @IsString()
  public lowerCaseTimeout = 99;
}
"""

CLIENT = """\
import { request } from 'undici';
import { got } from 'got-cjs';
import { ConfigService } from './config.service';

const POLICY = { lookup: undefined, connect: 1000, response: 1000 };

export class Client {
  constructor(protected readonly config: ConfigService) {}

  async headers(url: string) {
    const { body } = await request(url, {
      method: 'GET',
      headersTimeout: this.config.get('CL_API_GET_RESPONSE_TIMEOUT'),
    });
    return body;
  }

  async keys(url: string) {
    const res = await got
      .get(url, {
        timeout: { ...POLICY, response: this.config.get('KEYS_API_RESPONSE_TIMEOUT') },
      });
    return res.body;
  }

  async internal(url: string) {
    return request(url, { headersTimeout: this.config.get('INTERNAL_TIMEOUT') });
  }
}
"""


def test_env_class_defaults_got_cjs_and_undici_request_line(tmp_path: Path) -> None:
    root = tmp_path / "monitor"
    _write(root, {"package.json": '{"name": "monitor", "dependencies": {"undici": "6", "got-cjs": "12"}}',
                  "src/env.validation.ts": ENV_CLASS, "src/client.ts": CLIENT})
    assert _timeouts(root) == [
        ("src/client.ts", 11, "read", 15000),  # undici request(...): the called name's line, the class default
        ("src/client.ts", 20, "connect", 1000),  # got-cjs: got's options, phases from the spread policy
        ("src/client.ts", 20, "read", 30000),  # the policy's response replaced by the config value
        ("src/client.ts", 27, "read", None),  # a field no validator decorates: not an environment default
    ]


def test_class_fields_without_class_validator_publish_nothing(tmp_path: Path) -> None:
    root = tmp_path / "svc"
    _write(root, {
        "package.json": '{"name": "svc", "dependencies": {"undici": "6"}}',
        "src/constants.ts": "import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class Limits {\n"
                            "  @Injectable()\n  public REQUEST_TIMEOUT = 5000;\n}\n",
        "src/client.ts": "import { request } from 'undici';\n\nexport const f = (config: any, url: string) =>\n"
                         "  request(url, { headersTimeout: config.get('REQUEST_TIMEOUT') });\n"
                         "// got-cjs in a comment: got.get(url, { timeout: 5 })\n",
    })
    assert _timeouts(root) == [("src/client.ts", 4, "read", None)]


DB = """\
import createPostgres from "postgres";
import { Pool } from "./pool";

export const postgres = createPostgres(process.env.DATABASE_URL!, {
  max: 20,
  connect_timeout: 5,
  connection: { IntervalStyle: "iso_8601" },
});
// a project function of the same shape is not postgres.js
export const other = Pool(process.env.DATABASE_URL!, { max: 5, connect_timeout: 7 });
"""

PROXY = """\
const FETCH_TIMEOUT_MS = 30_000;

export async function fetchProxyMedia(url: string, signal: AbortSignal) {
  return await fetch(url, { signal, redirect: "manual" });
}

export async function prefetch(url: string) {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    return await fetchProxyMedia(url, controller.signal);
  } finally {
    clearTimeout(timeout);
  }
}

export async function unbounded(url: string) {
  const controller = new AbortController();
  process.on("SIGTERM", () => controller.abort());
  return await fetchProxyMedia(url, controller.signal);
}
"""


def test_postgres_js_under_any_name_and_a_timer_signal_handed_positionally(tmp_path: Path) -> None:
    root = tmp_path / "hollo"
    _write(root, {"package.json": '{"name": "hollo", "dependencies": {"postgres": "3"}}',
                  "src/db.ts": DB, "src/pool.ts": "export const Pool = (url: string, o: object) => [url, o];\n",
                  "src/proxy.ts": PROXY})
    assert _timeouts(root) == [
        ("src/db.ts", 6, "connect", 5000),  # postgres.js connect_timeout is in seconds
        ("src/proxy.ts", 11, "total", 30000),  # the helper handed a signal its controller's timer aborts
    ]
