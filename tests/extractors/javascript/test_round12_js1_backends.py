"""Round 12 (js1, Node.js backends): rules found on unseen services (WildDuck's MongoDB handlers,
ZoneMTA's callback-style deadlines and re-scheduled sends, AnythingLLM's provider clients,
Open Collective's API helpers)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# --- MongoDB maxTimeMS in an operation's options, in a file that only receives the database ---

MONGO_HANDLER = """const consts = require('../consts');
const DB_MAX = 3 * 1000;

module.exports = server => (path, session, callback) => {
    server.database.collection('mailboxes').findOne(
        { user: session.user.id, path },
        {
            maxTimeMS: DB_MAX
        },
        (err, mailbox) => callback(err, mailbox)
    );
};

async function userData(users, username) {
    const row = await users.collection('addresses').findOne({ addrview: username }, { projection: { user: 1 }, maxTimeMS: 2 * 60 * 1000 });
    await users.collection('users').updateOne({ _id: row.user }, { $set: { seen: new Date() } }, { maxTimeMS: DB_MAX });
    // ok: the options of something that is not a collection operation
    const settings = buildSettings({ maxTimeMS: 500 });
    // ok: the first argument is a filter, not the options
    await users.collection('limits').find({ maxTimeMS: 500 }).toArray();
    // ok: a bare function of the file
    findOne(query, { maxTimeMS: 700 });
    // ok: the driver's spelling in a string, "maxTimeMS: 2000"
    const text = "maxTimeMS: 2000";
    return [row, settings, text];
}
"""


def test_maxtimems_in_mongo_operation_options_without_import():
    found = _found("lib/handlers/on-open.js", MONGO_HANDLER)
    assert found[(8, "timeout")] == 3000
    assert found[(15, "timeout")] == 120000
    assert found[(16, "timeout")] == 3000
    for line in (18, 20, 22, 24):
        assert (line, "timeout") not in found, line


# --- `this.X` in a static method is the class's static field ---

STATIC_FIELDS = """class FoundryModels {
  static REQUEST_TIMEOUT_MS = 10_000;
  timeoutMs = 7_000;
  static #fetchWithTimeout(url, options = {}) {
    return fetch(url, {
      ...options,
      signal: AbortSignal.timeout(this.REQUEST_TIMEOUT_MS),
    });
  }
  probe(url) {
    return fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
  }
  static load(url) {
    // ok: an instance field is not what `this` holds in a static method
    return fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
  }
}
"""


def test_static_method_reads_static_field():
    found = _found("models.js", STATIC_FIELDS)
    assert found[(5, "timeout")] == 10000
    assert found[(11, "timeout")] == 7000
    assert found.get((15, "timeout")) is None  # reported (a fetch bounded by a signal), value unknown


# --- a function handed to a timer from inside itself under a stepped counter's check ---

TIMER_RERUNS = """const fetch = require('nodemailer/lib/fetch');

module.exports.init = function (app, done) {
    app.addHook('queue:bounce', (bounce, maildrop, next) => {
        let retries = 0;
        let notifyBounce = () => {
            let stream = fetch(app.config.url, { body: bounce });
            stream.once('error', err => {
                if (retries++ <= 5) {
                    setTimeout(notifyBounce, Math.pow(retries, 2) * 1000).unref();
                } else {
                    next();
                }
            });
        };
        setImmediate(notifyBounce);
    });
    done();
};

function store(gridstore, id, callback) {
    let tryCount = 0;
    let tryStore = () => {
        let upload = gridstore.openUploadStreamWithId(id);
        upload.once('error', err => {
            if (err.code === 11000) {
                if (tryCount++ < 5) {
                    return setTimeout(() => tryStore(), 10);
                }
            }
            callback(err);
        });
    };
    tryStore();
}

function heartbeat(client) {
    let beats = 0;
    let ping = () => {
        client.ping();
        // ok: a timer that runs again without a stepped counter's check is a heartbeat
        setTimeout(ping, 1000);
    };
    ping();
}

function poll(client) {
    let retryCount = 0;
    let check = () => {
        retryCount++;
        // ok: the counter is not stepped by the check itself
        if (retryCount < 3) setTimeout(check, 100);
    };
    check();
}
"""


def test_timer_rerun_under_stepped_counter():
    found = _found("plugins/http-bounce.js", TIMER_RERUNS)
    assert found[(10, "retry")] == 7
    assert found[(28, "retry")] == 6
    assert (42, "retry") not in found
    assert (52, "retry") not in found


# --- an options helper reading its member through lodash's get(), handed on by shorthand ---

def _scan(root):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


FETCH_HELPER = """import { get, omit } from 'lodash';

export const fetchWithTimeout = (url: string, fetchOptions: any): Promise<Response> => {
  const timeoutInMs = get(fetchOptions, 'timeoutInMs', 5000);
  const restOptions = omit(fetchOptions, 'timeoutInMs');
  const timeoutSignal = AbortSignal.timeout(timeoutInMs);
  return fetch(url, { ...restOptions, signal: timeoutSignal });
};

export const labelOf = (options: any) => get(options, 'label', 'none');
"""

ML_SERVICE = """import { fetchWithTimeout } from './fetch';

export const predict = async ({ hostSlug, timeoutInMs = 6_000 }: { hostSlug: string; timeoutInMs?: number }) => {
  const response = await fetchWithTimeout(`http://ml-service/models?host=${hostSlug}`, {
    timeoutInMs,
  });
  return response.json();
};
"""

CALLERS = """import { fetchWithTimeout, labelOf } from './fetch';
import { predict } from './ml';

export const run = async (pdfUrl: string, headers: any) => {
  const a = await fetchWithTimeout(pdfUrl, { method: 'get', headers, timeoutInMs: 10000 });
  const b = await predict({ hostSlug: 'x' });
  const c = await fetchWithTimeout(pdfUrl, { method: 'get', headers });
  // ok: a string default read through get() is no bound
  const d = labelOf({ label: 'x' });
  // a value handed through the chain (rule c)
  const e = await predict({ hostSlug: 'y', timeoutInMs: 1500 });
  return [a, b, c, d, e];
};
"""


def test_lodash_get_member_and_shorthand_forward(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (tmp_path / "package.json").write_text('{"name": "svc", "dependencies": {"lodash": "4"}}')
    (lib / "fetch.ts").write_text(FETCH_HELPER)
    (lib / "ml.ts").write_text(ML_SERVICE)
    (lib / "use.ts").write_text(CALLERS)
    found = _scan(tmp_path)
    assert found[("lib/fetch.ts", 7, "timeout")] == 5000      # rule (a): the helper's own default
    assert found[("lib/ml.ts", 4, "timeout")] == 6000         # rule (a): a defaulted member handed on
    assert found[("lib/use.ts", 5, "timeout")] == 10000       # rule (c)
    assert found[("lib/use.ts", 6, "timeout")] == 6000        # rule (b) through the chain
    assert found[("lib/use.ts", 7, "timeout")] == 5000        # rule (b)
    assert ("lib/use.ts", 9, "timeout") not in found
    assert found[("lib/use.ts", 11, "timeout")] == 1500
    assert ("lib/fetch.ts", 10, "timeout") not in found


# --- an Elasticsearch / OpenSearch search's templated time limit, on a client the file is handed ---

SEARCH_HELPER = """import { getOpenSearchClient } from './client';

export const globalSearch = async (
  searchTerm: string,
  { timeoutInSeconds = 30, limit = 50 }: { timeoutInSeconds?: number; limit?: number } = {},
) => {
  const client = getOpenSearchClient({ throwIfUnavailable: true });
  const hits = await client.search({
    timeout: `${timeoutInSeconds}s`,
    index: 'collectives',
    body: { size: limit, query: { match: { name: searchTerm } } },
  });
  // ok: not a search API call, and not a time unit
  const view = render({ timeout: `${timeoutInSeconds}s`, index: 'x' });
  const css = client.search({ timeout: `${limit}px`, index: 'x' });
  return [hits, view, css];
};
"""

SEARCH_CALLER = """import { globalSearch } from './search';

export const load = async (t: string) => {
  const a = await globalSearch(t, { limit: 10 });
  const b = await globalSearch(t, { timeoutInSeconds: 5 });
  return [a, b];
};
"""


def test_es_templated_search_timeout_and_helper_rules(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "api"}')
    (tmp_path / "search.ts").write_text(SEARCH_HELPER)
    (tmp_path / "loader.ts").write_text(SEARCH_CALLER)
    found = _scan(tmp_path)
    assert found[("search.ts", 9, "timeout")] == 30000     # rule (a)
    assert ("search.ts", 14, "timeout") not in found
    assert ("search.ts", 15, "timeout") not in found
    assert found[("loader.ts", 4, "timeout")] == 30000     # rule (b)
    assert found[("loader.ts", 5, "timeout")] == 5000      # rule (c), seconds


# --- a self-call handing a destructured retry member on one up ---

STEPPED_MEMBER = """import axios from 'axios';

export const requestData = async (
  fn: (url: string, options?: any) => Promise<any>,
  url: string,
  { data, retries = 0, ...options }: { data?: any; retries?: number },
): Promise<any> => {
  try {
    return await fn(url, options);
  } catch (e: any) {
    if (retries < 4 && e?.response?.status === 401) {
      await refreshToken();
      return requestData(fn, url, { data, retries: retries + 1, ...options });
    }
    throw e;
  }
};

export const listPages = async (url: string, { page = 0 }: { page?: number }): Promise<any> => {
  const res = await axios.get(url, { params: { page } });
  // ok: a page counter stepped by a paging self-call is no retry
  if (res.data.next) return listPages(url, { page: page + 1 });
  return res.data;
};
"""


def test_destructured_retry_member_stepped_by_self_call():
    found = _found("lib/transferwise.ts", STEPPED_MEMBER)
    assert found[(13, "retry")] == 5
    assert (22, "retry") not in found


# --- a race against a timer that settles with a timeout answer, the work a promise that connects ---

RACED_EXECUTOR = """const pgsql = require("pg");

class PGVector {
  connectionTimeout = 30_000;
  static async validateConnection({ connectionString = null }) {
    const instance = new PGVector();
    const timeoutPromise = new Promise((resolve) => {
      setTimeout(() => {
        resolve({ error: `Connection timeout (${instance.connectionTimeout / 1000}s).`, success: false });
      }, instance.connectionTimeout);
    });
    const connectionPromise = new Promise(async (resolve) => {
      const pgClient = new pgsql.Client({ connectionString });
      try {
        await pgClient.connect();
        resolve({ error: null, success: true });
      } catch (err) {
        resolve({ error: err.message, success: false });
      }
    });
    const result = await Promise.race([connectionPromise, timeoutPromise]);
    return result;
  }

  static async animate(frames) {
    const tick = new Promise((resolve) => {
      setTimeout(() => resolve({ error: 'timeout' }), 500);
    });
    const draw = new Promise((resolve) => {
      frames.forEach((f) => f.render());
      resolve(true);
    });
    // ok: the raced promise does local work, nothing goes out
    return Promise.race([draw, tick]);
  }
}
"""


def test_race_against_promise_doing_outbound_work_and_instance_field():
    found = _found("pgvector/index.js", RACED_EXECUTOR)
    assert found[(21, "timeout")] == 30000
    assert (34, "timeout") not in found


# --- a loop that tries new names until one is free is no retry ---

NEW_NAMES = """import { prisma } from './db';

export async function copyWorkflow(source: any, createdBy: string) {
  const createCopy = (copyName: string) => prisma.workflow.create({ data: { name: copyName, createdBy } });
  // ok: each pass asks for another name made from the counter (a search for a free name)
  for (let attempt = 1; attempt <= MAX_DUPLICATE_NAME_ATTEMPTS; attempt++) {
    try {
      return await createCopy(buildCopyName(source.name, attempt));
    } catch (error) {
      if (isUniqueConstraintViolation(error)) {
        continue;
      }
      throw error;
    }
  }
  throw new Error('Could not find an available copy name');
}

export async function upsertUser(user: any) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await prisma.user.upsert({
        where: { id: user.id },
        // the row this attempt writes against (a word in a comment is no input)
        create: user,
        update: user,
      });
    } catch (error: any) {
      if (error.code === 'P2002') continue;
      throw error;
    }
  }
}

const MAX_DUPLICATE_NAME_ATTEMPTS = 50;
"""


def test_new_name_search_is_no_retry():
    found = _found("workflows.service.ts", NEW_NAMES)
    assert (6, "retry") not in found
    assert found[(20, "retry")] == 3


# --- got's retry options in an object merged into a client's defaults ---

GOT_DEFAULTS = """import merge from 'deepmerge';
import got from 'got';

export class Http {
  protected options: any;
  constructor(hostType: string, options: any = {}) {
    this.options = merge(options, {
      method: 'get',
      context: { hostType },
      retry: {
        calculateDelay: (retryObject: any) => this.delay(retryObject),
        limit: 2,
        maxRetryAfter: 0,
      },
    });
  }
  async get(url: string) {
    return got(url, {
      retry: {
        limit: 4,
        methods: ['GET'],
        statusCodes: [503],
      },
    });
  }
  // ok: a page limit is no retry
  page = { retry: { limit: 50 } };
}
"""


def test_got_retry_options_in_merged_defaults():
    found = _found("lib/util/http/http.ts", GOT_DEFAULTS)
    assert found[(12, "retry")] == 3
    assert found[(18, "retry")] == 5          # the got call (got's detector), once
    assert (21, "retry") not in found and (19, "retry") not in found
    assert (27, "retry") not in found


# --- a callback-style deadline around a Redis command ---

CALLBACK_DEADLINE = """const db = require('./db');
const CACHE_GET_MAX_WAIT = 500;

class DnsCache {
    get(key, callback) {
        let finished = false;
        let waitUntil = setTimeout(() => {
            if (finished) {
                return;
            }
            finished = true;
            return callback();
        }, CACHE_GET_MAX_WAIT);

        db.redis.get('dns:' + key, (err, value) => {
            clearTimeout(waitUntil);
            if (finished) {
                return;
            }
            finished = true;
            callback(err, value);
        });
    }

    local(key, callback) {
        let done = false;
        // ok: the timer races a lookup in a Map of this process
        let t = setTimeout(() => {
            if (done) return;
            done = true;
            return callback();
        }, 500);
        this.entries.forEach((e) => { if (e.key === key) { clearTimeout(t); done = true; callback(null, e); } });
    }
}
module.exports = DnsCache;
"""


def test_callback_deadline_around_a_redis_command():
    found = _found("lib/ip-tools.js", CALLBACK_DEADLINE)
    assert found[(7, "timeout")] == 500
    assert (28, "timeout") not in found


# --- a stream given up on after no chunk for a while, checked by an interval ---

WATCHDOG = """class FoundryLLM {
  get timeout() {
    return 500;
  }

  handleStream(response, stream) {
    const timeoutThresholdMs = this.timeout;
    return new Promise(async (resolve) => {
      let fullText = "";
      let lastChunkTime = null;
      const timeoutCheck = setInterval(() => {
        if (lastChunkTime === null) return;
        const now = Number(new Date());
        const diffMs = now - lastChunkTime;
        if (diffMs >= timeoutThresholdMs) {
          console.log(`stream stale for >${timeoutThresholdMs}ms. Closing response stream.`);
          clearInterval(timeoutCheck);
          resolve(fullText);
        }
      }, 500);
      for await (const chunk of stream) {
        lastChunkTime = Number(new Date());
        fullText += chunk;
      }
      clearInterval(timeoutCheck);
      resolve(fullText);
    });
  }

  sweep(cache) {
    const timer = setInterval(() => {
      for (const [key, entry] of cache) {
        // ok: a sweep of old entries is no bound on a call
        if (Date.now() - entry.at > 60000) {
          cache.delete(key);
        }
      }
      if (cache.size === 0) clearInterval(timer);
    }, 1000);
  }
}
"""


def test_idle_watchdog_on_a_stream_and_getter_value():
    found = _found("AiProviders/foundry/index.js", WATCHDOG)
    assert found[(15, "timeout")] == 500
    assert (34, "timeout") not in found


# --- a `let` default replaced only when the environment says so ---

ENV_OVERRIDE = """const DEFAULT_TIMEOUT_MS = 600_000;

function patchSdkTimeouts() {
  const envDefinedTimeout = process.env.ANYTHINGLLM_FETCH_TIMEOUT;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (envDefinedTimeout) {
    const parsed = parseInt(envDefinedTimeout, 10);
    if (Number.isFinite(parsed) && parsed > 0) timeoutMs = parsed;
  }
  const { Agent, setGlobalDispatcher } = require("undici");
  setGlobalDispatcher(new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs }));
}

function rewritten() {
  let timeoutMs = 5000;
  timeoutMs = Number(process.env.OTHER_TIMEOUT);
  const { Agent } = require("undici");
  // ok-value: rewritten unconditionally, the first value says nothing
  return new Agent({ headersTimeout: timeoutMs });
}
"""


def test_let_default_overridden_by_environment():
    found = _found("boot/patchSdkTimeouts.js", ENV_OVERRIDE)
    assert found[(11, "timeout")] == 600000
    assert found.get((19, "timeout")) is None


# --- a deadline helper's bound during shutdown is no call contract ---

PROMISES = """export const runWithTimeout = async <T>(promise: Promise<T>, timeoutInMs = 10000, message = 'timed out'): Promise<T> => {
  let timeout: NodeJS.Timeout;
  const result = await Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(message)), timeoutInMs);
    }),
  ]);
  clearTimeout(timeout);
  return result;
};
"""

WORKER = """import { runWithTimeout } from './promises';
import { removeTriggers, fetchReport } from './db';

export class ExportsWorker {
  async stop(): Promise<void> {
    // ok: the shutdown's give-up time
    await runWithTimeout(removeTriggers(), 30_000);
  }

  async report(id: string) {
    return runWithTimeout(fetchReport(id), 15_000);
  }
}

export const stopSync = () =>
  // ok: said to be the shutdown's bound
  runWithTimeout(removeTriggers(), 30_000, 'sync job took too long to shutdown, forcing exit');
"""


def test_shutdown_deadline_is_no_contract(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "api"}')
    (tmp_path / "promises.ts").write_text(PROMISES)
    (tmp_path / "worker.ts").write_text(WORKER)
    found = _scan(tmp_path)
    assert found[("promises.ts", 3, "timeout")] == 10000
    assert ("worker.ts", 7, "timeout") not in found
    assert found[("worker.ts", 11, "timeout")] == 15000
    assert ("worker.ts", 17, "timeout") not in found


# --- a function run again from its error handler when a retry check says so ---

RETRY_DECISIONS = """'use strict';
const SMTPConnection = require('nodemailer/lib/smtp-connection');
const tlsRetry = require('./tls-retry');

class Sender {
    getConnection(delivery, callback) {
        let ignoreTLS = false;
        let tryConnect = () => {
            let connection = new SMTPConnection({ host: delivery.host });
            connection.once('error', err => {
                connection.close();
                if (tlsRetry.shouldRetryWithoutTls(ignoreTLS, err)) {
                    ignoreTLS = true;
                    return tryConnect();
                }
                if (tlsRetry.isNetworkTimeout(err)) {
                    return tryConnect();
                }
                return callback(err);
            });
            connection.connect(() => callback(null, connection));
        };
        tryConnect();
    }

    load(path, callback) {
        let readConfig = () => {
            this.client.get(path, (err, data) => {
                // ok: a branch that asks nothing about retrying
                if (err && err.code === 'ENOTFOUND') {
                    return readConfig();
                }
                callback(err, data);
            });
        };
        readConfig();
    }
}
module.exports = Sender;
"""


def test_rerun_under_a_retry_decision_in_an_error_handler():
    found = _found("lib/sender.js", RETRY_DECISIONS)
    assert found[(14, "retry")] == 2
    assert (17, "retry") in found and found[(17, "retry")] is None
    assert (31, "retry") not in found


# --- a fetcher class whose constructor keeps an options member with the code's default ---

HTTP_FETCHER = """const { fetch: undiciFetch } = require("undici");
const DEFAULT_TIMEOUT = 30000;

class HTTPFetcher {
	constructor (url, options = {}) {
		this.url = url;
		this.reloadInterval = options.reloadInterval || 5 * 60 * 1000;
		this.timeout = options.timeout || DEFAULT_TIMEOUT;
	}

	async fetch () {
		const controller = new AbortController();
		const timeoutId = setTimeout(() => controller.abort(), this.timeout);
		try {
			const fetchFn = this.dispatcher ? undiciFetch : globalThis.fetch;
			const response = await fetchFn(this.url, { signal: controller.signal });
			return response;
		} finally {
			clearTimeout(timeoutId);
		}
	}
}
module.exports = HTTPFetcher;
"""

PROVIDER = """const HTTPFetcher = require("./http_fetcher");

class WeatherGov {
	constructor (config) {
		this.config = config;
		this.initRetryCount = 0;
	}

	async initialize () {
		try {
			await this.fetchUrls();
			this.initRetryCount = 0;
		} catch (error) {
			if (error.isRetryable && this.initRetryCount < 5) {
				this.initRetryCount++;
				this.initRetryTimer = setTimeout(() => this.initialize(), 1000);
			}
		}
	}

	async fetchUrls () {
		return fetch(this.config.apiBase, { signal: AbortSignal.timeout(120000) });
	}

	start () {
		this.slow = new HTTPFetcher(this.config.url, {
			reloadInterval: this.config.updateInterval,
			timeout: 60000,
		});
		this.plain = new HTTPFetcher(this.config.url, { reloadInterval: 600000 });
		const built = buildOptions(this.config);
		// ok: an options object built elsewhere may carry the timeout
		this.other = new HTTPFetcher(this.config.url, built);
	}
}
module.exports = WeatherGov;
"""


def test_fetcher_class_option_default_and_counted_field_guard(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "mm", "dependencies": {"undici": "8"}}')
    (tmp_path / "http_fetcher.js").write_text(HTTP_FETCHER)
    (tmp_path / "weathergov.js").write_text(PROVIDER)
    found = _scan(tmp_path)
    assert found[("http_fetcher.js", 16, "timeout")] == 30000   # rule (a), the fetch its timer aborts
    assert found[("weathergov.js", 28, "timeout")] == 60000     # rule (c), the constructor's option line
    assert found[("weathergov.js", 30, "timeout")] == 30000     # rule (b)
    assert found[("weathergov.js", 16, "retry")] == 6           # counter field under a conjunct check
    assert ("weathergov.js", 33, "timeout") not in found


# --- an object declared as a retry policy ---

RETRY_POLICY = """import pRetry from 'p-retry';

const MESSAGES_RETRY_COUNT = process.env.MESSAGES_RETRY_COUNT ? parseInt(process.env.MESSAGES_RETRY_COUNT) : 3;

export type retryPolicy = { retries: number; delays: number[] };

export const retryDefaultPolicy: retryPolicy = {
  retries: MESSAGES_RETRY_COUNT,
  delays: [10, 100],
};

const retryOptions = { retries: 4, minTimeout: 100 };

export async function send(fn: () => Promise<void>) {
  // the library call reads its options: counted there once
  return pRetry(fn, retryOptions);
}

// ok: a page size named like nothing retried
export const pageOptions = { retries: 2, size: 50 };
"""


def test_declared_retry_policy_object():
    found = _found("lib/retries.ts", RETRY_POLICY)
    assert found[(8, "retry")] == 4
    assert (12, "retry") not in found
    assert found[(16, "retry")] == 5
    assert (20, "retry") not in found


# --- a helper's promise kept in a const and awaited later (rule b at the call) ---

RETRY_HELPER = """import pRetry from 'p-retry';

export async function withGmailRetry<T>(operation: () => Promise<T>, maxRetries = 5): Promise<T> {
  return pRetry(operation, { retries: maxRetries });
}
"""

ARCHIVE = """import { withGmailRetry } from './retry';

export async function archiveThread(gmail: any, threadId: string) {
  const archivePromise = withGmailRetry(() => gmail.users.threads.modify({ userId: 'me', id: threadId }));
  const publishPromise = publish(threadId);
  const [archiveResult] = await Promise.allSettled([archivePromise, publishPromise]);
  return archiveResult;
}

export function fireAndForget(gmail: any, threadId: string) {
  // ok: kept but never awaited here
  const p = withGmailRetry(() => gmail.users.threads.trash({ userId: 'me', id: threadId }));
  p.then(() => undefined);
}
"""


def test_kept_promise_awaited_later_gets_the_default(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "web", "dependencies": {"p-retry": "6"}}')
    (tmp_path / "retry.ts").write_text(RETRY_HELPER)
    (tmp_path / "label.ts").write_text(ARCHIVE)
    found = _scan(tmp_path)
    assert found[("retry.ts", 4, "retry")] == 6
    assert found[("label.ts", 4, "retry")] == 6
    assert ("label.ts", 12, "retry") not in found


# --- a timer that runs the next page later is no deadline, even in a function calling a client ---

DELAYED_PAGE = """export class PlexScanner {
  private async paginateLibrary(library: any, { start = 0, sessionId }: any) {
    const response = await this.plexClient.getLibraryContents(library.id, { offset: start });
    if (response.items.length < this.protectedBundleSize) {
      return;
    }
    // ok: the timer runs the next page after a pause; nothing is given up on
    await new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        this.paginateLibrary(library, { start: start + this.protectedBundleSize, sessionId })
          .then(() => resolve())
          .catch((e) => reject(new Error(e.message)));
      }, this.protectedUpdateRate)
    );
  }
}
"""


def test_delayed_next_page_is_no_deadline():
    found = _found("server/lib/scanners/plex/index.ts", DELAYED_PAGE)
    assert (9, "timeout") not in found
