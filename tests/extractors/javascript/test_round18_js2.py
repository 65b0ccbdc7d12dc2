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


INIT_HELPER = """\
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const MIN_TIMEOUT_MS = 1000;

export interface ModuleInitOptions { timeoutMs?: number; maxAttempts?: number; label?: string }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const timeoutPromise = <T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} timed out`)), timeoutMs);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

export async function runModuleInitWithTimeoutAndRetry(
  callback: () => void | Promise<void>,
  options?: ModuleInitOptions,
): Promise<void> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, maxAttempts = DEFAULT_MAX_ATTEMPTS, label } = options ?? {};
  const safeTimeout = Math.max(MIN_TIMEOUT_MS, timeoutMs);
  const attempts = Math.max(1, maxAttempts);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await timeoutPromise(Promise.resolve().then(callback), safeTimeout, label ?? 'init');
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(1000 * attempt);
    }
  }
}
"""

INIT_CALLERS = """\
import { runModuleInitWithTimeoutAndRetry } from './on-module-init';

export class Storage {
  async onModuleInit(): Promise<void> {
    await runModuleInitWithTimeoutAndRetry(
      async () => {
        await this.backend.initialize();
      },
      { label: 'Storage.onModuleInit' },
    );
  }

  async other(): Promise<void> {
    await runModuleInitWithTimeoutAndRetry(
      async () => {
        await this.client.ping();
      },
      { label: 'Redis', timeoutMs: 5000, maxAttempts: 5 },
    );
  }

  // ok: a floor of two members is no member of its own; a loop walking items is no retry
  walk(items: string[], limits: { a: number; b: number }) {
    const { a, b } = limits;
    const most = Math.max(a, b);
    for (let i = 0; i < items.length; i++) {
      console.log(items[i], most);
    }
  }
}
"""


def _settings(root: Path):
    return sorted((f.path, f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
                  for f in scan(root, jobs=1).findings if f.kind in ("timeout", "retry"))


def test_an_options_helper_with_body_destructured_constant_defaults_and_a_counted_loop(tmp_path: Path) -> None:
    """(refly's @refly/utils) the defaults of `const { timeoutMs = DEFAULT_TIMEOUT_MS, maxAttempts = ... } =
    options ?? {}`, floored by Math.max: rule (a) at the helper, (b) at a call leaving them out, (c) at one
    giving them."""
    root = tmp_path / "api"
    _write(root, {"package.json": '{"name": "api"}', "src/on-module-init.ts": INIT_HELPER,
                  "src/storage.ts": INIT_CALLERS})
    assert _settings(root) == [
        ("src/on-module-init.ts", 22, "retry", 3),  # (a) the loop: maxAttempts' default
        ("src/on-module-init.ts", 24, "timeout", 10000),  # (a) the race: timeoutMs' default
        ("src/storage.ts", 5, "retry", 3),  # (b) an options literal without the members
        ("src/storage.ts", 5, "timeout", 10000),
        ("src/storage.ts", 14, "retry", 5),  # (c) given
        ("src/storage.ts", 14, "timeout", 5000),
    ]


def test_loop_bound_expression_counts_tries_from_the_counter_start() -> None:
    from extractors import treesitter as ts
    from extractors.javascript.detectors.loop_bound_js2 import loop_bound_expression

    def bound(loop_text: str):
        tree = ts.parse("typescript", f"{loop_text} {{ }}\n".encode())
        return loop_bound_expression(tree.root_node.named_children[0])

    assert bound("for (let attempt = 1; attempt <= attempts; attempt += 1)") == "attempts"
    assert bound("for (let i = 0; i < maxTries; i++)") == "maxTries"
    assert bound("for (let i = 0; i <= retries; i++)") == "retries + 1"
    assert bound("for (let i = 1; i < attempts; i++)") == "attempts - 1"
    assert bound("for (let i = 0; i < items.length; i++)") is None  # no plain name
    assert bound("for (let i = 0; i < n; i += 2)") is None  # not one per pass
    assert bound("for (let i = 5; i > 0; i--)") is None


FACTORY = """\
import axios from "axios"

export function setupAxios(baseUrl: string, requestTimeout: number = 30_000) {
  return axios.create({ baseURL: baseUrl, timeout: requestTimeout })
}

export function plainAxios(baseUrl: string, requestTimeout: number) {
  return axios.create({ baseURL: baseUrl, timeout: requestTimeout })
}
"""

FACTORY_CALLERS = """\
import { plainAxios, setupAxios } from "./axios"

const config = { notifyUrl: "http://notify:8080", timeout: 2500 }
let axiosInstance: ReturnType<typeof setupAxios> | undefined

export function client(logger: unknown, cfg: { notifyUrl: string }) {
  const fromParams = setupAxios(cfg.notifyUrl)
  axiosInstance ??= setupAxios(config.notifyUrl)
  const other = setupAxios(config.notifyUrl, 5000)
  const factory = setupAxios
  const plain = plainAxios(config.notifyUrl, config.timeout)
  return [axiosInstance, other, factory, plain]
}
"""


def test_a_client_factory_call_kept_in_a_variable_leaves_its_defaulted_timeout_to_the_default(tmp_path: Path) -> None:
    """(eps-prescription-status-update-api) `axiosInstance ??= setupAxios(logger, url)`: the factory's
    `requestTimeout = 30_000` left out is rule (b) at the call, as for an awaited or returned call."""
    root = tmp_path / "notify"
    _write(root, {"package.json": '{"name": "notify", "dependencies": {"axios": "1"}}',
                  "src/axios.ts": FACTORY, "src/notify.ts": FACTORY_CALLERS})
    assert _timeouts(root) == [
        ("src/axios.ts", 4, "total", 30000),  # (a)
        ("src/notify.ts", 7, "total", 30000),  # (b) the caller's own parameters handed on, the timeout left out
        ("src/notify.ts", 8, "total", 30000),  # (b) `??=`
        ("src/notify.ts", 9, "total", 5000),  # (c) given
        ("src/notify.ts", 11, "total", 2500),  # a helper without default: the value handed in
    ]
