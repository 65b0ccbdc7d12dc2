"""Round 12 (js2): rules found on unseen TypeScript services (Teable's NestJS backend, Dub's Next.js
backend, Amplication's plugin API): a project's Prisma transaction wrapper, @nestjs/config
namespaces injected into services, helper calls awaited through a promise chain, defaults merged
into a local object, a caller's signal with a time-bound fallback, and options of Upstash,
better-fetch and pacote."""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


# --------------------------------------------------------------- Prisma wrapper + @nestjs/config

THRESHOLD_CONFIG = """import { Inject } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import type { ConfigType } from '@nestjs/config';

export const thresholdConfig = registerAs('threshold', () => ({
  maxReadRows: Number(process.env.MAX_READ_ROWS ?? 10_000),
  bigTransactionTimeout: Number(
    process.env.BIG_TRANSACTION_TIMEOUT ?? 10 * 60 * 1000 /* 10 mins */
  ),
}));

export const ThresholdConfig = () => Inject(thresholdConfig.KEY);

export type IThresholdConfig = ConfigType<typeof thresholdConfig>;
"""

SPACE_SERVICE = """import { Injectable, Inject } from '@nestjs/common';
import { PrismaService } from '@teable/db-main-prisma';
import { ThresholdConfig, IThresholdConfig, thresholdConfig } from '../configs/threshold.config';

@Injectable()
export class SpaceService {
  constructor(
    private readonly prismaService: PrismaService,
    @ThresholdConfig() private readonly thresholdConfig: IThresholdConfig,
    @Inject(thresholdConfig.KEY) private readonly limits: IThresholdConfig
  ) {}

  async deleteSpace(spaceId: string) {
    await this.prismaService.$tx(
      async (prisma) => {
        await prisma.base.deleteMany({ where: { spaceId } });
      },
      {
        timeout: this.thresholdConfig.bigTransactionTimeout,
      }
    );
    await this.prismaService.$tx(
      async () => undefined,
      { timeout: this.limits.bigTransactionTimeout }
    );
    await this.prismaService.$tx(async () => undefined);
    // ok: a non-transaction call's options
    await this.prismaService.$queryRawUnsafe('SELECT 1', { timeout: 5 });
    // ok: a setting that bounds no call, read from the same namespace
    return this.thresholdConfig.maxReadRows;
  }
}
"""


def test_prisma_wrapper_options_and_nest_config_namespace(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "backend", "dependencies": {"@nestjs/config": "3", "@prisma/client": "5"}}',
        "src/configs/threshold.config.ts": THRESHOLD_CONFIG,
        "src/features/space.service.ts": SPACE_SERVICE,
    })
    found = _scan(tmp_path)
    space = {(line, kind): v for (path, line, kind), v in found.items() if path.endswith("space.service.ts")}
    assert space == {(19, "timeout"): 600000, (24, "timeout"): 600000}


def test_transaction_wrapper_names():
    source = """export async function run(db: any, repo: any) {
  await db.withTransaction(async (tx: any) => tx.save(), { timeout: 15000 });
  await db.$tx(async () => 1, { timeout: 20000 });
  // ok: a method named like a transaction but handed no work function
  await repo.tx({ id: 1 }, { timeout: 3000 });
  // ok: a call that is no transaction
  await repo.txHash(async () => 1, { timeout: 4000 });
}
"""
    found = _found("src/run.ts", source)
    assert found == {(2, "timeout"): 15000, (3, "timeout"): 20000}


# --------------------------------------------------------------- helper calls through promise chains

FETCH_HELPERS = """export function fetchWithTimeout(
  input: RequestInfo | URL,
  init?: RequestInit | undefined,
  timeout: number = 5000,
) {
  return new Promise<Response>((resolve, reject) => {
    const controller = new AbortController();
    const timeoutId = setTimeout(() => {
      controller.abort();
      reject(new Error("Request timed out"));
    }, timeout);
    fetch(input, { ...init, signal: controller.signal })
      .then((response) => {
        clearTimeout(timeoutId);
        resolve(response);
      })
      .catch((error) => {
        clearTimeout(timeoutId);
        reject(error);
      });
  });
}
"""

PROVIDERS_ROUTE = """import { fetchWithTimeout } from "@acme/utils";

export async function GET(req: Request) {
  const dns = await fetchWithTimeout(
    `https://dns.google/resolve?name=example.com`,
  )
    .then((r) => r.json())
    .catch(() => null);
  const results = await Promise.allSettled([
    fetchWithTimeout("https://a.example.com/ping").then((r) => r.ok),
    fetchWithTimeout("https://b.example.com/ping", {}, 2000),
  ]);
  // ok: a promise kept, never awaited here: no call site contract of this function
  const pending = fetchWithTimeout("https://c.example.com/ping").then((r) => r.ok);
  return Response.json({ dns, results, pending });
}
"""


def test_helper_call_awaited_through_then_chain_and_promise_all(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "web", "dependencies": {"@acme/utils": "workspace:*"}}',
        "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
        "packages/utils/package.json": '{"name": "@acme/utils", "main": "src/index.ts"}',
        "packages/utils/src/index.ts": 'export * from "./fetch-with-timeout";\n',
        "packages/utils/src/fetch-with-timeout.ts": FETCH_HELPERS,
        "app/api/providers/route.ts": PROVIDERS_ROUTE,
    })
    found = _scan(tmp_path)
    route = {(line, kind): v for (path, line, kind), v in found.items() if path.endswith("route.ts")}
    assert route == {(4, "timeout"): 5000, (10, "timeout"): 5000, (11, "timeout"): 2000}


# --------------------------------------------------------------- defaults merged into a local object

PRISMA_RETRY = """const DEFAULT_CONFIG = {
  maxRetries: 3,
  retryDelay: 500,
};

export async function withPrismaRetry<T>(
  operation: () => Promise<T>,
  configOverride?: typeof DEFAULT_CONFIG,
): Promise<T> {
  const config = {
    ...DEFAULT_CONFIG,
    ...configOverride,
  };
  for (let attempt = 0; attempt <= config.maxRetries; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt === config.maxRetries) throw error;
      await new Promise((r) => setTimeout(r, config.retryDelay));
    }
  }
  throw new Error("unreachable");
}

export async function withOwnLimit<T>(operation: () => Promise<T>, opts?: { tries?: number }) {
  const settings = { ...opts, tries: 2 };
  for (let i = 0; i < settings.tries; i++) {
    try {
      return await operation();
    } catch (e) {
      if (i === settings.tries - 1) throw e;
    }
  }
}
"""


def test_loop_bound_read_from_merged_defaults():
    found = _found("src/with-prisma-retry.ts", PRISMA_RETRY)
    # attempt <= DEFAULT_CONFIG.maxRetries (3): 4 tries; the member written after the spread wins (2)
    assert found[(14, "retry")] == 4
    assert found[(27, "retry")] == 2


# --------------------------------------------------------------- a caller's signal, else the code's own

BASE_CLIENT = """const DEFAULT_TIMEOUT_MS = 30_000;

export abstract class HttpBaseClient {
  protected abstract readonly baseUrl: string;
  private readonly timeout: number;

  constructor({ timeout }: { timeout?: number } = {}) {
    this.timeout = timeout ?? DEFAULT_TIMEOUT_MS;
  }

  async request(method: string, path: string, options: { timeout?: number; signal?: AbortSignal }) {
    const url = new URL(this.baseUrl + path);
    const signal =
      options.signal ?? AbortSignal.timeout(options.timeout ?? this.timeout);
    const response = await fetch(url, {
      method,
      signal,
    });
    // ok: a caller's signal alone bounds nothing here
    const other = await fetch(url, { signal: options.signal ?? undefined });
    return [response, other];
  }
}
"""


def test_callers_signal_with_time_bound_fallback():
    found = _found("src/base-client.ts", BASE_CLIENT)
    assert found.get((15, "timeout")) == 30000
    assert (20, "timeout") not in found


# --------------------------------------------------------------- Upstash, better-fetch, pacote

UPSTASH = """import { Redis } from "@upstash/redis";
import { Ratelimit } from "@upstash/ratelimit";

export const redis = new Redis({ url: process.env.URL!, token: process.env.TOKEN! });

export const redisWithTimeout = new Redis({
  url: process.env.URL!,
  signal: () => AbortSignal.timeout(1500),
});

export const ratelimit = (requests = 10) => {
  return new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(requests, "10 s"),
    prefix: "app",
    timeout: 1000,
  });
};

export async function ping(url: string) {
  // ok: a fetch's own signal is the fetch detector's, once
  return fetch(url, { signal: AbortSignal.timeout(2500) });
}
"""

BETTER_FETCH = """import { createFetch, betterFetch } from "@better-fetch/fetch";

export const scrape = createFetch({
  baseURL: "https://api.scrapecreators.com",
  retry: {
    type: "linear",
    attempts: 1,
    delay: 3000,
  },
});

export const once = () => betterFetch("https://api.example.com/x", { retry: 2, timeout: 4000 });

// ok: an object named retry that no package reads
export const policy = { retry: { attempts: 9 } };
"""

PACOTE = """import { packument } from "pacote";

export async function getPackument(name: string) {
  const meta = await packument(name, {
    fullMetadata: true,
    fetchRetries: 2,
  });
  // ok: a local record with the same key
  const stats = { fetchRetries: 7 };
  return { meta, stats };
}
"""


def test_upstash_redis_signal_and_ratelimit_timeout():
    found = _found("lib/upstash.ts", UPSTASH)
    assert found == {(8, "timeout"): 1500, (16, "timeout"): 1000, (22, "timeout"): 2500}


def test_better_fetch_retry_and_timeout():
    found = _found("lib/scrape.ts", BETTER_FETCH)
    assert found == {(7, "retry"): 2, (12, "retry"): 3, (12, "timeout"): 4000}


def test_pacote_fetch_retries():
    found = _found("src/npm.service.ts", PACOTE)
    assert found == {(6, "retry"): 3}


# --------------------------------------------------------------- one bound, one finding

def test_timer_aborting_a_fetch_signal_is_read_at_the_fetch():
    found = _found("src/fetch-with-timeout.ts", FETCH_HELPERS)
    # the helper's own default at its fetch (rule a), not a second deadline on the setTimeout line
    assert found == {(12, "timeout"): 5000}
    socket = """export function ask(socket: any, payload: string, ms = 4000) {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
      reject(new Error("timed out"));
    }, ms);
    socket.send(payload, () => { clearTimeout(timer); resolve(true); });
  });
}
"""
    # a timer aborting a controller whose signal goes nowhere still bounds the send
    assert _found("src/ask.ts", socket) == {(4, "timeout"): 4000}


# --------------------------------------------------------------- a field a constructor stores

HMRC_SERVICE = """import axios from "axios";

export class HmrcService {
  private static instance: HmrcService;
  readonly maxRetries: number;
  readonly hmrcBaseUrl: string;

  constructor(hmrcBaseUrl: string, maxRetries: number) {
    this.hmrcBaseUrl = hmrcBaseUrl;
    this.maxRetries = maxRetries;
  }

  static getInstance(hmrcBaseUrl: string, maxRetries: number): HmrcService {
    if (!HmrcService.instance) {
      HmrcService.instance = new HmrcService(hmrcBaseUrl, maxRetries);
    }
    return HmrcService.instance;
  }

  async verify(params: unknown) {
    let retryCount = 0;
    while (retryCount <= this.maxRetries) {
      try {
        const { data } = await axios.post(`${this.hmrcBaseUrl}/verify`, params);
        return data;
      } catch (error: any) {
        if (error?.response?.status === 500 && retryCount < this.maxRetries) {
          retryCount++;
        } else {
          throw error;
        }
      }
    }
  }
}
"""

HMRC_CALLER = """import { HmrcService } from "./HmrcService";

export class VerifyProcessor {
  private readonly hmrc: HmrcService;
  constructor() {
    this.hmrc = HmrcService.getInstance("https://hmrc.example.com", 2);
  }
}
"""


def test_loop_bounded_by_a_constructor_field_is_a_forwarder(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "bav", "dependencies": {"axios": "1"}}',
        "src/services/HmrcService.ts": HMRC_SERVICE,
        "src/services/VerifyProcessor.ts": HMRC_CALLER,
    })
    found = _scan(tmp_path)
    retries = {(path, line): v for (path, line, kind), v in found.items() if kind == "retry"}
    # the loop's bound is whatever each construction hands in: the contract is at the call (2 + 1 tries)
    assert retries == {("src/services/VerifyProcessor.ts", 6): 3}


# --------------------------------------------------------------- a new key after a duplicate

DISCOUNTS = """import { nanoid } from "nanoid";

const MAX_ATTEMPTS = 3;

export async function createCode(stripe: any, couponId: string, code: string) {
  let attempt = 0;
  let currentCode = code;
  while (attempt < MAX_ATTEMPTS) {
    try {
      return await stripe.promotionCodes.create({ coupon: couponId, code: currentCode.toUpperCase() });
    } catch (error: any) {
      const isDuplicate = error.code === "resource_already_exists";
      if (isDuplicate) {
        attempt++;
        currentCode = `${currentCode}${nanoid(2)}`;
        continue;
      }
      throw error;
    }
  }
}

export async function upsertWithRetry(db: any, row: any) {
  let attempt = 0;
  let lastError: unknown;
  while (attempt < MAX_ATTEMPTS) {
    try {
      return await db.upsert(row);
    } catch (error: any) {
      // a conflict of racing writers: the same row written again
      if (String(error.message).includes("conflict")) {
        attempt = attempt + 1;
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw lastError;
}
"""


def test_collision_loop_giving_the_key_a_new_value_is_no_retry():
    found = _found("lib/discounts.ts", DISCOUNTS)
    assert found == {(26, "retry"): 3}


# --------------------------------------------------------------- vendor clients on a base client class

VENDOR_AHREFS = """import { HttpBaseClient } from "../http/base-client";

class AhrefsClient extends HttpBaseClient {
  protected readonly baseUrl = "https://api.ahrefs.com/v3/public";
  constructor() {
    super({ timeout: 5_000 });
  }
}
export const ahrefsClient = new AhrefsClient();
"""

VENDOR_VERIFF = """import { HttpBaseClient } from "../http/base-client";
import { EventEmitter } from "events";

class VeriffClient extends HttpBaseClient {
  protected readonly baseUrl = "https://stationapi.veriff.com/v1";
}
export const veriffClient = new VeriffClient();

export class TikTokClient extends HttpBaseClient {
  protected readonly baseUrl = "https://open.tiktokapis.com/v2";
  constructor(private readonly accessToken: string) {
    super();
  }
}

export class DebugClient extends HttpBaseClient {
  protected readonly baseUrl = "https://debug.example.com";
  constructor() {
    super({ debug: true });
  }
}

// ok: a class extending a package's class, and an error class
class Bus extends EventEmitter {}
export const bus = new Bus();
class VendorError extends Error {}
export const failure = new VendorError("timeout");
"""


def test_subclass_constructions_of_a_base_client_with_a_timeout_option(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "web", "dependencies": {"zod": "3"}}',
        "lib/http/base-client.ts": BASE_CLIENT,
        "lib/ahrefs/client.ts": VENDOR_AHREFS,
        "lib/veriff/client.ts": VENDOR_VERIFF,
    })
    found = _scan(tmp_path)
    assert found == {
        ("lib/http/base-client.ts", 15, "timeout"): 30000,   # (a) timeout ?? DEFAULT_TIMEOUT_MS at the fetch
        ("lib/ahrefs/client.ts", 6, "timeout"): 5000,        # (c) super({ timeout: 5_000 })
        ("lib/veriff/client.ts", 7, "timeout"): 30000,       # (b) new VeriffClient(): the base's constructor
        ("lib/veriff/client.ts", 12, "timeout"): 30000,      # (b) super()
        ("lib/veriff/client.ts", 19, "timeout"): 30000,      # (b) super({ debug: true }) leaves timeout out
    }


# --------------------------------------------------------------- a remote API's config in ms; env settings handed on

AUDIT_CONFIG = """export const config = {
  audit: {
    opentelemetry: {
      url: process.env.AUDIT_LOG_OTEL_URL,
      headers: {},
      timeoutMillis: parseInt(process.env.AUDIT_LOG_OTEL_TIMEOUT_MILLIS ?? '10000', 10),
    },
    // ok: a UI setting without a remote
    toast: { timeoutMs: 3000 },
  },
};

export async function ping(client: any) {
  // ok: a call's own options are its client's to read
  return client.send({ url: 'https://otel.example.com', timeoutMs: 2000 });
}
"""


def test_api_config_timeout_in_millis():
    found = _found("src/config/index.ts", AUDIT_CONFIG)
    assert found == {(6, "timeout"): 10000}


ENV_CALLER = """import { HmrcService } from "./HmrcService";
import { checkEnvironmentVariable, EnvironmentVariables } from "../utils/env";

export class TokenProcessor {
  private readonly hmrc: HmrcService;
  constructor(logger: any) {
    const hmrcBaseUrl = checkEnvironmentVariable(EnvironmentVariables.HMRC_BASE_URL, logger);
    const maxRetries = +checkEnvironmentVariable(EnvironmentVariables.HMRC_MAX_RETRIES, logger);
    this.hmrc = HmrcService.getInstance(hmrcBaseUrl, maxRetries);
  }
}
"""

ENV_UTILS = """export const EnvironmentVariables = {
  HMRC_BASE_URL: "HMRC_BASE_URL",
  HMRC_MAX_RETRIES: "HMRC_MAX_RETRIES",
};

export const checkEnvironmentVariable = (name: string, logger: any): string => {
  const value = process.env[name];
  if (!value) logger.error(`Missing ${name}`);
  return value as string;
};
"""


def test_env_setting_handed_to_a_bounded_helper_parameter(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "bav", "dependencies": {"axios": "1"}}',
        "src/services/HmrcService.ts": HMRC_SERVICE,
        "src/services/TokenProcessor.ts": ENV_CALLER,
        "src/utils/env.ts": ENV_UTILS,
    })
    found = _scan(tmp_path)
    retries = {(path, line): v for (path, line, kind), v in found.items() if kind == "retry"}
    # the deployment's HMRC_MAX_RETRIES: no value the code knows (null), the contract at the call
    assert retries == {("src/services/TokenProcessor.ts", 9): None}
    assert not any(kind == "timeout" for (path, line, kind) in found)


# --------------------------------------------------------------- a batch loop giving up after N failures

BAN_JOB = """export async function cancelCommissions(prisma: any, programId: string) {
  let canceled = 0;
  let failedBatches = 0;
  const maxRetries = 3;

  while (true) {
    try {
      const rows = await prisma.commission.findMany({ where: { programId }, take: 500 });
      if (rows.length === 0) break;
      await prisma.commission.updateMany({ where: { id: { in: rows.map((r: any) => r.id) } } });
      canceled += rows.length;
    } catch (error) {
      failedBatches++;
      if (failedBatches >= maxRetries) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return canceled;
}

export async function drain(queue: any) {
  let errors = 0;
  const MAX_ERRORS = 10;
  // ok: a limit on errors that is no retry limit, and a paging loop
  while (true) {
    try {
      const batch = await queue.receive();
      if (!batch) break;
    } catch (error) {
      errors++;
      if (errors >= MAX_ERRORS) break;
    }
  }
}
"""


def test_batch_loop_giving_up_after_retry_limit_failures():
    found = _found("app/api/cron/ban/cancel-commissions.ts", BAN_JOB)
    assert found == {(6, "retry"): 3}


CAS_RETRY = """export async function reconcile(context: any, node: any) {
  let current = node;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const updated = await context.models.configs.updateIfUnchanged(current, { schema: {} });
      return updated;
    } catch (e) {
      if (e instanceof CasConflictError && attempt < 3) {
        const fresh = await context.models.configs.getById(current.id);
        if (!fresh) break;
        current = fresh;
        continue;
      }
      throw e;
    }
  }
}
class CasConflictError extends Error {}
"""


def test_compare_and_set_retry_after_a_conflict_is_a_retry():
    # the row re-read after a lost write and written again: the same write tried again (3 tries)
    assert _found("src/services/configReconcile.ts", CAS_RETRY) == {(3, "retry"): 3}


# --------------------------------------------------------------- gRPC channel readiness

GRPC_READY = """import * as grpc from "@grpc/grpc-js";

export function connect(client: grpc.Client, other: grpc.Client) {
  const deadline = new Date();
  deadline.setSeconds(deadline.getSeconds() + 5);
  client.waitForReady(deadline, (err) => {
    if (err) console.error(err);
  });
  grpc.waitForClientReady(other, Date.now() + 3000, () => undefined);
  // ok: no deadline at all, and a queue's own readiness without one
  client.waitForReady(Infinity, () => undefined);
  queue.waitForReady();
}
declare const queue: any;
"""


def test_grpc_wait_for_ready_deadline_is_a_connect_timeout():
    found = _found("src/grpc-client.ts", GRPC_READY)
    assert found == {(6, "timeout"): 5000, (9, "timeout"): 3000}
