"""Round 19 (js4, second-wave fixes): retry helpers and env settings of the round-19 measure-only TypeScript sets
(akash-console, akash-console-api, akash-console-indexer, passport, shelf)."""

from __future__ import annotations

from tests.extractors.javascript.test_round19_clients_js4 import _found, _scan


# ------------------------------------------------ a recursive retry helper defaulting `options.maxRetries || 3`

RETRY_HELPER = """import { setTimeout } from "timers/promises";

export const httpRetry = <T>(callback: () => Promise<T>, options: HttpRetryOptions<T>): Promise<T> => {
  return retryWithBackoff(callback, options.retryIf, options.maxRetries || 3, 0);
};

export interface HttpRetryOptions<T> {
  retryIf: (response: T) => boolean;
  maxRetries?: number;
}

async function retryWithBackoff<T>(callback: () => Promise<T>, retryIf: (r: T) => boolean, maxRetries: number,
                                   attempt: number): Promise<T> {
  try {
    if (attempt > 0) {
      await setTimeout(2 ** attempt * 100);
    }
    const response = await callback();
    if (attempt < maxRetries && retryIf(response)) {
      return retryWithBackoff(callback, retryIf, maxRetries, attempt + 1);
    }
    return response;
  } catch (error: unknown) {
    if (attempt < maxRetries) {
      return retryWithBackoff(callback, retryIf, maxRetries, attempt + 1);
    }
    throw error;
  }
}
"""

RETRY_CALLERS = """import { httpRetry } from "./retry";

export async function proxy(client: any, url: string) {
  const retry = "retry in a string: httpRetry(x, { maxRetries: 9 })";
  const result = await httpRetry(
    () => client.connect(url),
    {
      retryIf(result) { return !result.ok; }
    }
  );
  const other = await httpRetry(() => client.connect(url), { retryIf: r => !r.ok, maxRetries: 5 });
  return [result, other, retry];
}
"""


def test_fallback_member_handed_to_recursive_retry_helper(tmp_path):
    found = _scan(tmp_path, {"src/retry.ts": RETRY_HELPER, "src/route.ts": RETRY_CALLERS})
    assert ("retry.ts", 4, "retry", 4) in found  # rule (a) at the helper's line
    assert ("route.ts", 5, "retry", 4) in found  # rule (b): maxRetries left out
    assert ("route.ts", 11, "retry", 6) in found  # rule (c): maxRetries: 5
    assert not any(f[0] == "route.ts" and f[1] == 4 for f in found)
    assert not any(f[0] == "retry.ts" and f[1] in (20, 26) for f in found)  # the recursion forwards


def test_fallback_that_is_no_count_publishes_nothing(tmp_path):
    helper = RETRY_HELPER.replace("options.maxRetries || 3", "options.maxRetries || 2.5")
    found = _scan(tmp_path, {"src/retry.ts": helper, "src/route.ts": RETRY_CALLERS})
    assert not any(f[0] == "route.ts" and f[1] == 5 for f in found)


RPC_CLIENT = """import { ExponentialBackoff, handleAll, retry } from "cockatiel";

const DEFAULT_MAX_ATTEMPTS = 3;

export interface RetryingRpcClientOptions {
  maxAttempts?: number;
}

export class RetryingRpcClient {
  readonly #executor;

  constructor(private readonly rpcClient: any, options: RetryingRpcClientOptions = {}) {
    this.#executor = retry(handleAll, {
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: new ExponentialBackoff()
    });
  }

  async execute(request: any) {
    return this.#executor.execute(() => this.rpcClient.execute(request));
  }
}
"""


def test_constructor_option_with_constant_fallback_reaches_constructions(tmp_path):
    factory = """import { RetryingRpcClient } from "./retrying-rpc-client";
import { HttpClient } from "@cosmjs/tendermint-rpc";

export const makeClient = (endpoint: string) =>
  new RetryingRpcClient(
    new HttpClient({ url: endpoint })
  );

export const makeOther = (endpoint: string) => new RetryingRpcClient(new HttpClient(endpoint), { maxAttempts: 6 });
"""
    found = _scan(tmp_path, {"src/retrying-rpc-client.ts": RPC_CLIENT, "src/factory.ts": factory})
    assert ("retrying-rpc-client.ts", 13, "retry", 4) in found  # rule (a): cockatiel counts retries
    assert ("factory.ts", 5, "retry", 4) in found  # rule (b)
    # (rule c: a construction naming the option is read by the client options detector, as written)
    assert any(f[:3] == ("factory.ts", 9, "retry") for f in found)


def test_options_fallback_member_of_a_package_adapter_call(tmp_path):
    adapter = """import { handleAll, retry } from "cockatiel";

export function createFetchAdapter(options: { retries?: number } = {}) {
  const policy = retry(handleAll, { maxAttempts: options.retries ?? 3 });
  return (config: any) => policy.execute(() => fetch(config.url));
}
"""
    client = """import { createFetchAdapter } from "./createFetchAdapter";

export function createHttpClient() {
  const adapter = createFetchAdapter({
    retries: 5
  });
  return adapter;
}
"""
    found = _scan(tmp_path, {"src/createFetchAdapter.ts": adapter, "src/httpClient.ts": client})
    assert ("createFetchAdapter.ts", 4, "retry", 4) in found
    assert ("httpClient.ts", 4, "retry", 6) in found


# ------------------------------------------------ settings of a DI-resolved env config (zod defaults)

ENV_CONFIG = """import { z } from "zod";

export const envSchema = z.object({
  POSTGRES_CONNECT_TIMEOUT: z.number({ coerce: true }).optional().default(3),
  POSTGRES_JOBS_CONNECT_TIMEOUT: z.number({ coerce: true }).optional().default(4),
  POSTGRES_DB_URI: z.string()
});
export type CoreConfig = z.infer<typeof envSchema>;
"""


def test_di_resolved_config_local_reads_zod_env_default(tmp_path):
    provider = """import postgres from "postgres";
import { container } from "tsyringe";
import { CORE_CONFIG } from "./config.provider";

export function makeClient() {
  const config = container.resolve(CORE_CONFIG);
  const settings = { connect_timeout: 9 };
  return postgres(config.POSTGRES_DB_URI, {
    connect_timeout: config.POSTGRES_CONNECT_TIMEOUT
  });
}
"""
    found = _scan(tmp_path, {"src/env.config.ts": ENV_CONFIG, "src/postgres.provider.ts": provider})
    assert ("postgres.provider.ts", 9, "timeout", 3000) in found


def test_config_service_field_get_reads_env_default(tmp_path):
    service = """import { PgBoss } from "pg-boss";

export class JobQueueService {
  private readonly pgBoss: PgBoss;

  constructor(private readonly coreConfig: CoreConfigService) {
    this.pgBoss = new PgBoss({
      connectionString: this.coreConfig.get("POSTGRES_DB_URI"),
      connectionTimeoutMillis: this.coreConfig.get("POSTGRES_JOBS_CONNECT_TIMEOUT") * 1000
    });
  }
}
"""
    found = _scan(tmp_path, {"src/env.config.ts": ENV_CONFIG, "src/job-queue.service.ts": service})
    assert ("job-queue.service.ts", 9, "timeout", 4000) in found


def test_local_not_made_from_a_config_token_is_no_env_read():
    from extractors.javascript.config_local_js4 import resolved_config_local
    from extractors.javascript.context import FileContext, dotted
    source = b"""function f(c) {
  const config = c.resolve(LOGGER_FACTORY);
  const settings = { TIMEOUT_MS: 5 };
  const env = c.resolve(CORE_CONFIG);
  return [config.POSTGRES_CONNECT_TIMEOUT, settings.TIMEOUT_MS, env.POSTGRES_CONNECT_TIMEOUT];
}
"""
    ctx = FileContext.build("x.ts", source, calls=True)
    found = {}
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "member_expression" and dotted(node).endswith(("_TIMEOUT", "TIMEOUT_MS")):
            found[dotted(node)] = resolved_config_local(node, dotted(node).split(".")[0])
        stack.extend(node.children)
    assert found == {"config.POSTGRES_CONNECT_TIMEOUT": False, "settings.TIMEOUT_MS": False,
                     "env.POSTGRES_CONNECT_TIMEOUT": True}
