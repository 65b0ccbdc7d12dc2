"""Round 14 (js2): rules found on unseen TypeScript services (mempool's backend, Safe's client gateway,
BoxyHQ's SAML Jackson, Lido's Keys API, HyperDX's API). Each test asserts (path, line, kind) -> value,
with the traps beside it."""

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


MEMPOOL_CONFIG = """const configFromFile = require(process.env.CFG ? process.env.CFG : '../cfg.json');

interface IConfig {
  ESPLORA: { REQUEST_TIMEOUT: number; FALLBACK_TIMEOUT: number };
}

const defaults: IConfig = {
  'ESPLORA': {
    'REQUEST_TIMEOUT': 10000,
    'FALLBACK_TIMEOUT': 5000,
  },
};

class Config implements IConfig {
  ESPLORA: IConfig['ESPLORA'];

  constructor() {
    const configs = this.merge(configFromFile, defaults);
    this.ESPLORA = configs.ESPLORA;
  }

  merge = (...objects: object[]): IConfig => {
    return {} as IConfig;
  }
}

export default new Config();
"""

MEMPOOL_CLIENT = """import axios from 'axios';
import config from '../config';

export async function tip(host: string) {
  const r = await axios.get(host + '/tip', { timeout: config.ESPLORA.FALLBACK_TIMEOUT });
  return r.data;
}

export async function other(host: string) {
  const r = await axios.get(host + '/x', { timeout: config.ESPLORA.MISSING_TIMEOUT });
  return r.data;
}
"""


def test_default_instance_config_reads_the_merged_defaults(tmp_path):
    # `export default new Config()` copying sections of merge(fileConfig, defaults): the defaults' members
    _write(tmp_path, {"package.json": '{"name": "m", "dependencies": {"axios": "1"}}',
                      "src/config.ts": MEMPOOL_CONFIG, "src/api/client.ts": MEMPOOL_CLIENT})
    found = _scan(tmp_path)
    assert found[("src/api/client.ts", 5, "timeout")] == 5000
    # trap: a key the defaults do not hold stays unknown
    assert found[("src/api/client.ts", 10, "timeout")] is None


NEST_CONFIGURATION = """export default () => ({
  httpClient: {
    // Timeout in milliseconds to be used for the HTTP client.
    requestTimeout: Number.parseInt(
      process.env.HTTP_CLIENT_REQUEST_TIMEOUT_MILLISECONDS ?? `${5_000}`,
      10,
    ),
  },
  redis: {
    connectTimeout: process.env.REDIS_CONNECT_TIMEOUT || 10_000,
  },
  email: {
    queue: {
      attempts: Number.parseInt(process.env.EMAIL_QUEUE_ATTEMPTS ?? `${3}`, 10),
    },
  },
});
"""

NEST_USES = """import { createClient } from 'redis';
import { BullModule } from '@nestjs/bullmq';

export function fetchClientFactory(configurationService: IConfigurationService) {
  const defaultTimeout = configurationService.getOrThrow<number>(
    'httpClient.requestTimeout',
  );
  return async (url: string, customTimeout?: number) => {
    const timeout = customTimeout ?? defaultTimeout;
    return await fetch(url, {
      signal: AbortSignal.timeout(timeout),
    });
  };
}

export function redisFactory(configurationService: IConfigurationService) {
  const redisConnectTimeout = configurationService.getOrThrow<number>('redis.connectTimeout');
  return createClient({
    socket: {
      connectTimeout: redisConnectTimeout,
    },
  });
}

export const queue = BullModule.registerQueueAsync({
  name: 'email',
  useFactory: (configService: IConfigurationService) => ({
    defaultJobOptions: {
      attempts: configService.get<number>('email.queue.attempts'),
    },
  }),
});
"""


def test_nest_config_factory_leaves_resolve_dotted_reads_and_are_no_findings(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "n", "dependencies": {"@nestjs/config": "3", "bullmq": "5"}}',
                      "src/config/entities/configuration.ts": NEST_CONFIGURATION,
                      "src/net/network.module.ts": NEST_USES})
    found = _scan(tmp_path)
    assert found[("src/net/network.module.ts", 10, "timeout")] == 5000  # `customTimeout ?? defaultTimeout`
    assert found[("src/net/network.module.ts", 20, "timeout")] == 10000
    assert found[("src/net/network.module.ts", 29, "retry")] == 3
    # the definitions themselves are settings, not a client's options
    assert not [k for k in found if k[0].endswith("configuration.ts")]


def test_config_factory_only_in_a_configuration_file():
    # trap: the same default export in a file not named for configuration is read as before (a client's options)
    found = _found("src/queue/factory.ts", "export default () => ({\n  defaultJobOptions: { attempts: 5 },\n});\n")
    assert found.get((2, "retry")) == 5


UNTIL_BREAK = """import { DataSource } from 'typeorm';
import dbutils from './utils';

export class Sql {
  async init() {
    while (true) {
      try {
        this.dataSource = new DataSource({ url: this.options.url });
        await this.dataSource.initialize();
        break;
      } catch (err) {
        this.logger.error(`error connecting: ${err}`);
        await dbutils.sleep(1000);
        continue;
      }
    }
  }

  async work() {
    while (true) {
      try {
        const job = await this.queue.next();
        await this.handle(job);
      } catch (err) {
        this.logger.error(err);
        await dbutils.sleep(1000);
      }
    }
  }

  async drain() {
    while (true) {
      try {
        await dbutils.sleep(1000);
        break;
      } catch (err) {
        await dbutils.sleep(1000);
      }
    }
  }
}
"""


def test_while_true_until_the_call_goes_through_is_an_unbounded_retry():
    found = _found("src/db/sql.ts", UNTIL_BREAK)
    assert (6, "retry") in found and found[(6, "retry")] is None
    # traps: a worker loop going on after each success, a loop that only sleeps
    assert (20, "retry") not in found
    assert (32, "retry") not in found


INTERCEPTOR = """import axios from 'axios';

const retry = 3;
const retryDelay = 3000;

export const createAxiosInstance = () => {
  const axiosInstance = axios.create({ timeout: 20000 });
  axiosInstance.interceptors.response.use(undefined, (err: any) => {
    const config = err.config;
    if (!config || config.status >= 500) {
      return Promise.reject(err);
    }
    config.__retryCount = config.__retryCount || 0;
    if (config.__retryCount >= retry) {
      return Promise.reject(err);
    }
    config.__retryCount += 1;
    return new Promise((r) => setTimeout(r, retryDelay)).then(() => axiosInstance(config));
  });
  return axiosInstance;
};
"""


def test_interceptor_giving_up_at_a_count_bound():
    found = _found("src/event/axios.ts", INTERCEPTOR)
    assert found[(8, "retry")] == 4  # 3 retries after the first try
    assert found[(7, "timeout")] == 20000


FALLBACK_RECALL = """import axios from 'axios';

class Router {
  requestConnection = axios.create();
  private async $query<T>(path: string, host = this.activeHost, retry: boolean = true): Promise<T> {
    return this.requestConnection.get<T>(host.host + path, { timeout: 10000 })
      .then((response) => response.data)
      .catch((e) => {
        if (retry && e?.code === 'ECONNREFUSED' && this.multihost) {
          return this.$query(path, this.fallbackHost, false);
        } else {
          throw e;
        }
      });
  }

  private async $page(path: string, all: boolean = true): Promise<any> {
    const page = await this.requestConnection.get(path, { timeout: 1000 });
    if (all && page.data.next) {
      return this.$page(page.data.next, false);
    }
    return page.data;
  }
}
"""


def test_recall_once_under_a_flag_cleared_on_the_recall():
    found = _found("src/api/esplora.ts", FALLBACK_RECALL)
    assert found[(10, "retry")] == 2
    # trap: a flag that is no retry flag (a page walk) is no retry
    assert (20, "retry") not in found


FORCED_QUIT = """import { createClient } from 'redis';

export class RedisCacheService {
  private readonly quitTimeoutInSeconds: number = 2;
  constructor(private readonly client: ReturnType<typeof createClient>) {}

  async onModuleDestroy(): Promise<void> {
    const forceQuitTimeout = setTimeout(() => {
      this.forceQuit();
    }, this.quitTimeoutInSeconds * 1000);
    try {
      await this.client.quit();
    } catch {
      this.forceQuit();
    } finally {
      clearTimeout(forceQuitTimeout);
    }
  }

  async refresh(): Promise<void> {
    const banner = setTimeout(() => {
      this.logger.warn('slow refresh');
    }, 5000);
    await this.client.close();
    clearTimeout(banner);
  }

  private forceQuit(): void {
    this.client.disconnect();
  }
}
"""


def test_timer_forcing_a_close_bounds_the_clean_close():
    found = _found("src/cache/redis.cache.service.ts", FORCED_QUIT)
    assert found[(8, "timeout")] == 2000
    # trap: a timer that only logs is no bound
    assert (21, "timeout") not in found


SUPER_REQUEST = """import { FetchService, RequestInfo } from '@lido-nestjs/fetch';
import { AbortController } from 'node-abort-controller';

export const CONSENSUS_REQUEST_TIMEOUT = 1_320_000;

export class ConsensusFetchService extends FetchService {
  protected async request(url: RequestInfo, init?: RequestInit, attempt = 0) {
    const controller = new AbortController();
    const { signal } = controller;

    setTimeout(() => {
      controller.abort();
    }, CONSENSUS_REQUEST_TIMEOUT);

    return super.request(url, { ...init, signal }, attempt);
  }

  protected async plain(url: RequestInfo, init?: RequestInit) {
    const { signal } = init;
    return super.request(url, { ...init, signal }, 0);
  }
}
"""


def test_override_handing_its_parent_request_an_aborting_signal():
    found = _found("src/consensus-fetch.service.ts", SUPER_REQUEST)
    assert found[(15, "timeout")] == 1320000
    # trap: a caller's own signal handed on, never aborted here
    assert (20, "timeout") not in found


STAINLESS = """import Blockaid from '@blockaid/client';

export class BlockaidApi {
  private readonly blockaidClient: Blockaid;
  private readonly addressScanTimeoutMs: number = 1500;

  constructor() {
    this.blockaidClient = new Blockaid();
  }

  public scanAddressBulk(chain: string, addresses: Array<string>) {
    return this.blockaidClient.evm.addressBulk.scan(
      { addresses, chain },
      { timeout: this.addressScanTimeoutMs, maxRetries: 0 },
    );
  }

  public scanSite(url: string) {
    return this.blockaidClient.site.scan({ url }, { timeout: 5 });
  }
}
"""


def test_generated_sdk_request_options_of_any_package_client():
    found = _found("src/blockaid-api.service.ts", STAINLESS)
    assert found[(12, "timeout")] == 1500
    assert found[(12, "retry")] == 1  # maxRetries: 0, the first try only
    # trap: an object with a `timeout` alone may be a request body field of another API
    assert (19, "timeout") not in found


SETTINGS_GETTER = """export const getWebhookFetchTimeoutMs = () => {
  const parsed = Number(process.env.ALERT_NOTIFICATION_FETCH_TIMEOUT_MS);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : 30_000;
};

export const getLimit = () => {
  const parsed = Number(process.env.ALERT_LIMIT);
  return parsed > 0 ? parsed : other;
};

export async function send(url: string, body: string) {
  return await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(getWebhookFetchTimeoutMs()) });
}

export async function sendOther(url: string) {
  return await fetch(url, { signal: AbortSignal.timeout(getLimit()) });
}
"""


def test_settings_getter_returning_env_or_a_constant_through_a_ternary():
    found = _found("src/transports/generic.ts", SETTINGS_GETTER)
    assert found[(12, "timeout")] == 30000
    # trap: no constant branch, no default known
    assert found.get((16, "timeout")) is None


STREAM_UTILS = """import { PassThrough } from 'stream';

export const addTimeoutToStream = (stream: PassThrough, ms: number, errorMessage: string) => {
  let timeout = setTimeout(() => {
    stream.destroy(new Error(errorMessage));
  }, ms);

  const debounce = () => {
    clearTimeout(timeout);
    timeout = setTimeout(() => {
      stream.destroy(new Error(errorMessage));
    }, ms);
  };

  const debounceTimeoutHandler = stream.on('data', debounce);
  stream.once('end', () => {
    clearTimeout(timeout);
    debounceTimeoutHandler.off('data', debounce);
  });
};

export const announce = (stream: PassThrough, ms: number) => {
  setTimeout(() => {
    stream.emit('progress', 'still going');
  }, ms);
  stream.on('data', () => undefined);
};
"""

KEY_STORAGE = """import { addTimeoutToStream, announce } from '../utils/stream.utils';

export const DEFAULT_STREAM_TIMEOUT = 60_000;

export class KeyStorage {
  async findStream(where: object): Promise<any> {
    const stream = this.knex.select('*').where(where).stream();
    const streamTimeout = this.configService.get('STREAM_TIMEOUT') ?? DEFAULT_STREAM_TIMEOUT;
    addTimeoutToStream(stream, streamTimeout, 'A timeout occurred loading keys from the database');
    announce(stream, 5000);
    return stream;
  }
}
"""


def test_stream_inactivity_helper_and_a_setting_with_the_code_fallback(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "k", "dependencies": {"knex": "2"}}',
                      "src/utils/stream.utils.ts": STREAM_UTILS, "src/storage/key.storage.ts": KEY_STORAGE})
    found = _scan(tmp_path)
    assert found[("src/storage/key.storage.ts", 9, "timeout")] == 60000
    # traps: a timer announcing progress bounds nothing; the helper's own line forwards its parameter
    assert ("src/storage/key.storage.ts", 10, "timeout") not in found
    assert not [k for k in found if k[0].endswith("stream.utils.ts")]


WITH_RETRY = """interface RetryOptions {
  maxRetries?: number;
  retryOnlyOnStatus?: number[];
}

export const withRetry = async <T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> => {
  const { maxRetries = 3 } = options;
  let attempt = 0;
  while (attempt < maxRetries) {
    try {
      return await fn();
    } catch (error: any) {
      attempt++;
      if (attempt >= maxRetries) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error('Unreachable');
};
"""

SLACK = """import { withRetry } from './retry';

export function post(url: string) {
  return withRetry(
    () => fetch(url, { method: 'POST' }),
    { retryOnlyOnStatus: [429] },
  );
}

export function postMore(url: string) {
  return withRetry(() => fetch(url), { maxRetries: 5 });
}
"""


def test_options_naming_only_when_to_retry_leave_the_count_to_the_default(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "w"}', "src/utils/retry.ts": WITH_RETRY,
                      "src/utils/slack.ts": SLACK})
    found = _scan(tmp_path)
    assert found[("src/utils/retry.ts", 9, "retry")] == 3  # rule (a)
    assert found[("src/utils/slack.ts", 4, "retry")] == 3  # rule (b): `retryOnlyOnStatus` is no bound
    assert ("src/utils/slack.ts", 11, "retry") in found  # rule (c): the count handed in (its value: open, see report)
