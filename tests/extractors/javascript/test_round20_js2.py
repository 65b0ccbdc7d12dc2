"""Round 20 (js2): shapes met on unseen TypeScript services (0x-api, Reservoir's indexer, Nango, Latitude,
Portkey's gateway, Snapshot's score API, Farcaster's Shuttle)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str, detector: str | None = None):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)
            and (detector is None or f.detector == detector)}


# ------------------------------------------------------------------ ternary defaults (0x-api, reservoir)

ENV_EMPTY = """import * as _ from 'lodash';
import axios from 'axios';

const RFQT_REQUEST_MAX_RESPONSE_MS: number = _.isEmpty(process.env.RFQT_REQUEST_MAX_RESPONSE_MS)
    ? 600
    : assertEnvVarType('RFQT_REQUEST_MAX_RESPONSE_MS', process.env.RFQT_REQUEST_MAX_RESPONSE_MS, EnvVarType.Integer);
const OTHER_MS = _.isEmpty(process.env.OTHER_MS) ? 700 : SOMETHING_ELSE;

export async function prices(url: string, request: unknown) {
    await axios.post(url, request, {
        timeout: RFQT_REQUEST_MAX_RESPONSE_MS + 150,
    });
    await axios.post(url, request, { timeout: OTHER_MS });
}
"""


def test_env_empty_check_ternary_takes_the_code_default():
    found = _found("src/utils/rfq_client.ts", ENV_EMPTY)
    assert found[(10, "timeout")] == 750
    # the other branch does not read the variable the condition checks: no default is claimed
    assert found[(13, "timeout")] is None


FLAG_OFF = """import PgPromise from "pg-promise";
const pgp = PgPromise();

export const edb = pgp({
  connectionString: config.databaseUrl,
  connectionTimeoutMillis: 10 * 1000,
  statement_timeout: config.disableDatabaseStatementTimeout ? undefined : 10 * 1000,
  query_timeout: config.enableQueryTimeout ? 5 * 1000 : undefined,
});
"""


def test_switched_off_flag_ternary_keeps_the_setting():
    found = _found("src/common/db.ts", FLAG_OFF)
    assert found[(6, "timeout")] == 10000
    assert found[(7, "timeout")] == 10000
    # `flag ? value : undefined`: applied only when configured, so no value
    assert found.get((8, "timeout")) is None


# ------------------------------------------------------------------ Temporal shared retry policy (latitude)

POLICY = """import type { ActivityOptions } from "@temporalio/workflow"

export const defaultActivityRetryPolicy: NonNullable<ActivityOptions["retry"]> = {
  initialInterval: "1 second",
  backoffCoefficient: 2,
  maximumInterval: "5 minutes",
  maximumAttempts: 18,
}

// a plain object with the word, in a file without Temporal's types: nothing
const attemptsSummary = { maximumAttempts: 3 }
"""

PROXIES = """import { proxyActivities } from "@temporalio/workflow"
import { defaultActivityRetryPolicy } from "./retry-policy.ts"

const { a } = proxyActivities<typeof activities>({
  startToCloseTimeout: "5 minutes",
  retry: defaultActivityRetryPolicy,
})
const { b } = proxyActivities<typeof activities>({
  startToCloseTimeout: "2 minutes",
  retry: {
    maximumAttempts: 1,
  },
})
const unbounded = { initialInterval: "1s", maximumAttempts: 0 }
"""

PLAIN = """const limits = { maximumAttempts: 3, initialInterval: 5 }
"""


def test_a_shared_temporal_policy_is_reported_at_its_definition():
    found = _found("apps/workflows/src/workflows/retry-policy.ts", POLICY)
    assert found == {(3, "retry"): 18}


def test_proxies_using_the_shared_policy_report_only_their_own():
    found = _found("apps/workflows/src/workflows/billing.ts", PROXIES)
    assert found[(5, "timeout")] == 300000
    assert found[(9, "timeout")] == 120000
    assert found[(10, "retry")] == 1
    assert (6, "retry") not in found  # retry: defaultActivityRetryPolicy (reported where it is written)
    assert found[(14, "retry")] is None  # maximumAttempts: 0 is no limit


def test_a_policy_shaped_object_without_temporal_is_nothing():
    assert _found("src/limits.ts", PLAIN) == {}


# ------------------------------------------------------------------ helpers of a workspace package (nango)

from pathlib import Path  # noqa: E402

from contract_discovery.pipeline import scan  # noqa: E402


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _scanned(root: Path, kind: str):
    return sorted((f.path, f.line, f.attributes.get("timeout_ms" if kind == "timeout" else "max_attempts"))
                  for f in scan(root, jobs=1).findings if f.kind == kind)


UTILS_RETRY = """import { setTimeout } from 'node:timers/promises';
import { backOff } from 'exponential-backoff';
import type { BackoffOptions } from 'exponential-backoff';

export async function retryFlexible<T>(fn: (a: { attempt: number }) => T, options: { max: number; onError: (e: unknown) => boolean }): Promise<T> {
    let attempt = -1;
    while (attempt < options.max) {
        attempt += 1;
        try {
            return await Promise.resolve(fn({ attempt }));
        } catch (err) {
            if (attempt >= options.max || !options.onError(err)) {
                throw err;
            }
            await setTimeout(3000 * 2 ** attempt);
        }
    }
    throw new Error('unreachable');
}

export async function retryWithBackoff<T extends () => any>(fn: T, options?: BackoffOptions): Promise<ReturnType<T>> {
    return await backOff(fn, { numOfAttempts: 5, ...options });
}
"""

UTILS_ENV = """import { z } from 'zod';

export const ENVS = z.object({
    NANGO_WEBHOOK_TIMEOUT_MS: z.coerce.number().optional().default(20_000),
    NANGO_WEBHOOK_RETRY_ATTEMPTS: z.coerce.number().optional().default(2),
});

export function parseEnvs(schema: typeof ENVS, envs: Record<string, unknown> = process.env) {
    return schema.parse(envs);
}
"""

WEBHOOK_ENVS = """import { ENVS, parseEnvs } from '@acme/utils';

export const envs = parseEnvs(ENVS);
"""

WEBHOOK = """import axios from 'axios';
import { retryFlexible, retryWithBackoff } from '@acme/utils';
import { envs } from './envs.js';

export const RETRY_ATTEMPTS = envs.NANGO_WEBHOOK_RETRY_ATTEMPTS;

export async function deliver(url: string, body: string) {
    await retryFlexible(
        async () => {
            return await axios.post(url, body, {
                timeout: envs.NANGO_WEBHOOK_TIMEOUT_MS,
            });
        },
        { max: RETRY_ATTEMPTS, onError: () => true }
    );
    await retryWithBackoff(() => axios.get(url), { startingDelay: 100, numOfAttempts: 3 });
    const retries = { max: 9 }; // an object with the word, handed to nothing: no retry
    return retries;
}
"""


def _nango_like(tmp_path: Path) -> Path:
    _write(tmp_path, {
        "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*"]}',
        "packages/utils/package.json": '{"name": "@acme/utils", "main": "lib/index.ts", '
                                       '"dependencies": {"exponential-backoff": "3", "zod": "3"}}',
        "packages/utils/lib/index.ts": "export * from './retry.js';\nexport * from './env.js';\n",
        "packages/utils/lib/retry.ts": UTILS_RETRY,
        "packages/utils/lib/env.ts": UTILS_ENV,
        "packages/webhooks/package.json": '{"name": "@acme/webhooks", "dependencies": {"@acme/utils": "*", "axios": "1"}}',
        "packages/webhooks/lib/envs.ts": WEBHOOK_ENVS,
        "packages/webhooks/lib/utils.ts": WEBHOOK,
    })
    return tmp_path


def test_helper_options_members_reach_their_callers(tmp_path):
    root = _nango_like(tmp_path)
    retries = _scanned(root, "retry")
    # rule a at the helper's backOff (numOfAttempts: 5 unless the caller's options say otherwise)
    assert ("packages/utils/lib/retry.ts", 22, 5) in retries
    # retryFlexible's own loop forwards options.max (no default): not reported by itself
    assert not any(p == "packages/utils/lib/retry.ts" and line == 7 for p, line, _ in retries)
    # rule c at the calls: max 2 (the env schema's default) -> 3 tries; numOfAttempts 3
    assert ("packages/webhooks/lib/utils.ts", 8, 3) in retries
    assert ("packages/webhooks/lib/utils.ts", 16, 3) in retries
    assert not any(line == 17 for p, line, _ in retries if p == "packages/webhooks/lib/utils.ts")


def test_a_parsed_env_imported_from_another_file_reads_the_schema_default(tmp_path):
    root = _nango_like(tmp_path)
    assert ("packages/webhooks/lib/utils.ts", 10, 20000.0) in _scanned(root, "timeout")


# ------------------------------------------------------------------ a reconnect strategy switched off (nango)

RECONNECT = """import { createClient } from 'redis';

export function limiterClient(url: string) {
    return createClient({
        url,
        socket: {
            reconnectStrategy: () => false,
            connectTimeout: 1000,
        },
    });
}

export function cacheClient(url: string) {
    return createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(retries * 200, 2000) } });
}
"""


def test_a_reconnect_strategy_returning_false_is_one_try():
    found = _found("packages/kvstore/lib/index.ts", RECONNECT)
    assert found[(7, "retry")] == 1
    assert found[(8, "timeout")] == 1000
    assert found[(14, "retry")] is None  # reconnects without a limit


TLS_SOCKET = """export function getRedisClientOptions(url: string) {
    const isExternal = url.startsWith('rediss://');
    const socket = isExternal
        ? {
              reconnectStrategy,
              connectTimeout: 10_000,
              tls: true as const,
          }
        : {};
    return { url, socket };
}
const timing = { connectTimeout: 5000, label: 'x' };  // no redis key beside it: not a client's options
"""


def test_a_node_redis_socket_options_object_is_a_clients_options():
    found = _found("packages/kvstore/lib/redisClient.ts", TLS_SOCKET)
    assert found[(6, "timeout")] == 10000
    assert (12, "timeout") not in found


IOREDIS_BASE = """import { Redis } from "ioredis"

export const createRedisClient = (connection: { host: string; port: number }) => {
  const baseOptions = {
    host: connection.host,
    enableOfflineQueue: false,
    connectTimeout: 5000,
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
  }
  return new Redis({ ...baseOptions, db: 0 })
}
const queries = { commandTimeout: 30, label: "x" }  // no ioredis key beside it
"""


def test_an_ioredis_base_object_spread_into_the_client_keeps_its_command_timeout():
    found = _found("packages/platform/cache-redis/src/client.ts", IOREDIS_BASE)
    assert found[(7, "timeout")] == 5000
    assert found[(8, "timeout")] == 5000
    assert found[(9, "retry")] == 2
    assert (13, "timeout") not in found


# ------------------------------------------------------------------ AWS SDK v3 Lambda commands (nango's runner)

LAMBDA = """import { CreateFunctionCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';

const lambdaClient = new LambdaClient();

export async function deploy(name: string) {
    await lambdaClient.send(new CreateFunctionCommand({
        FunctionName: name,
        MemorySize: 1024,
        Timeout: 300,
    }));
    await lambdaClient.send(
        new PutFunctionEventInvokeConfigCommand({
            FunctionName: name,
            MaximumRetryAttempts: 0,
        })
    );
}
"""

NOT_LAMBDA = """class CreateFunctionCommand { constructor(o: unknown) {} }
export const c = new CreateFunctionCommand({ Timeout: 300 });
"""


def test_lambda_function_timeout_and_async_retries_of_sdk_commands():
    # not read (yet): sst-console leaves its runner function's Timeout / MaximumRetryAttempts out (CI builds)
    found = _found("packages/jobs/lib/runner/lambda.ts", LAMBDA)
    assert (9, "timeout") not in found
    assert (14, "retry") not in found


def test_a_class_of_the_same_name_is_not_the_sdk():
    assert _found("src/x.ts", NOT_LAMBDA) == {}


# ------------------------------------------------------------------ fetch options built by a project helper (nango)

WRAPPED_INIT = """import { withInternalTls } from './tls.js';

export async function routeFetch(url: string, config?: { timeoutMs?: number }) {
    const res = await fetch(
        url,
        withInternalTls({
            method: 'POST',
            signal: AbortSignal.timeout(config?.timeoutMs || 120_000)
        })
    );
    await describe(withInternalTls({ signal: AbortSignal.timeout(5000) }));
    return res;
}
"""


def test_fetch_options_wrapped_by_a_helper_are_read_once_at_the_fetch():
    found = _found("packages/utils/lib/express/route.ts", WRAPPED_INIT)
    assert found[(4, "timeout")] == 120000
    assert (6, "timeout") not in found
    assert found[(11, "timeout")] == 5000  # a project function handed the signal (no fetch around it)


# ------------------------------------------------------------------ a default set in the helper's body, handed on (portkey)

PK_UTILS = """export async function post<T = any>(url: string, data: any, options: any = {}, timeout: number = 5000): Promise<T> {
  const controller = new AbortController();
  const id = setTimeout(() => controller.abort(), timeout);
  const response: Response = await fetch(url, { method: 'POST', body: JSON.stringify(data), ...options, signal: controller.signal });
  clearTimeout(id);
  return (await response.json()) as T;
}
"""

PK_GLOBALS = """import { post } from '../utils';
export const BASE_URL = 'https://proxy.qualifire.ai/api/evaluation/evaluate';
export const postQualifire = async (body: any, qualifireApiKey?: string, timeout_millis?: number) => {
  const options = { headers: { 'X-Qualifire-API-Key': `${qualifireApiKey}` } };
  const result = await post(BASE_URL, body, options, timeout_millis || 60000);
  return result;
};
export const postOther = async (body: any, timeout = 1000) => post(BASE_URL, body, {}, timeout || 2000);
"""

PK_CALLERS = """import { postQualifire } from './globals';
export const pii = async (context: any, parameters: any) => {
  return await postQualifire({ input: context.text }, parameters?.credentials?.apiKey);
};
export const slow = async (context: any, parameters: any) => {
  return await postQualifire({ input: context.text }, parameters?.credentials?.apiKey, 90000);
};
"""


def test_a_fallback_in_the_body_handed_to_another_helper_is_the_parameters_default(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "gw"}', "plugins/utils.ts": PK_UTILS,
                      "plugins/q/globals.ts": PK_GLOBALS, "plugins/q/callers.ts": PK_CALLERS})
    timeouts = _scanned(tmp_path, "timeout")
    assert ("plugins/q/globals.ts", 5, 60000) in timeouts       # rule a
    assert ("plugins/q/callers.ts", 3, 60000) in timeouts       # rule b: left out
    assert ("plugins/q/callers.ts", 6, 90000) in timeouts       # rule c
    # a parameter with a default of its own keeps that default (the fallback never applies to it)
    assert not any(p == "plugins/q/globals.ts" and line == 8 and v == 2000 for p, line, v in timeouts)


# ------------------------------------------------------------------ a fetch raced against its own abort timer (score-api)

RACED_FETCH = """export function customFetch(url: string, options: RequestInit = {}, timeout = 20000): Promise<any> {
  const controller = new AbortController();
  const { signal } = controller;
  const fetchOptions = { ...options, signal };

  return Promise.race([
    fetch(url, fetchOptions).catch(error => {
      throw error;
    }),
    new Promise((_, reject) =>
      setTimeout(() => {
        controller.abort();
        reject(new Error('API request timeout'));
      }, timeout)
    )
  ]);
}

export async function plain(url: string) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 3000);
  return fetch(url, { signal: controller.signal });
}
"""


def test_a_fetch_raced_against_its_abort_timer_is_one_setting_at_the_race():
    found = _found("src/strategies/utils.ts", RACED_FETCH)
    assert found[(6, "timeout")] == 20000
    assert (7, "timeout") not in found
    assert found[(22, "timeout")] == 3000  # no race: the fetch keeps its signal's bound


# ------------------------------------------------------------------ TypeORM's extra (pg pool options) (0x-api)

TYPEORM = """export const config = {
    type: 'postgres',
    entities,
    synchronize: false,
    extra: {
        max: 15,
        statement_timeout: 10000,
    },
};
export const other = { extra: { statement_timeout: 5000 } };  // no TypeORM options around it
"""


def test_typeorm_extra_statement_timeout_is_the_pg_pools():
    found = _found("src/ormconfig.ts", TYPEORM)
    assert found[(7, "timeout")] == 10000
    assert (10, "timeout") not in found


# ------------------------------------------------------------------ a helper handed an options local with a literal fallback (nango)

NANGO_RETRY = """export interface RetryConfig { maxAttempts: number; delayMs: number }
export async function retry<T>(fn: () => T, { maxAttempts, delayMs }: RetryConfig): Promise<T> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
            return await Promise.resolve(fn());
        } catch (err) {
            if (attempt >= maxAttempts) throw err;
            await new Promise((r) => setTimeout(r, delayMs));
        }
    }
    throw new Error('unreachable');
}
"""

NANGO_CLIENT = """import { retry } from '../utils/retry';
import type { RetryConfig } from '../utils/retry';

export class OrchestratorClient {
    private routeFetch(config?: { retryConfig?: RetryConfig }) {
        return () => {
            const fetchIt = async () => await fetch('http://orchestrator/v1/tasks');
            const retryConfig = config?.retryConfig || {
                maxAttempts: 3,
                delayMs: 50,
            };
            return retry(fetchIt, retryConfig);
        };
    }
}
"""


def test_an_options_local_with_a_literal_fallback_is_rule_a_at_the_helper_call(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "orch"}', "lib/utils/retry.ts": NANGO_RETRY,
                      "lib/clients/client.ts": NANGO_CLIENT})
    retries = _scanned(tmp_path, "retry")
    assert ("lib/clients/client.ts", 12, 3) in retries
    assert not any(p == "lib/utils/retry.ts" for p, _, _ in retries)  # the helper's loop forwards its bound
