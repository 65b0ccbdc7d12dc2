"""Round 13 (js1, Node.js services: EmailEngine, Gladys, CodiMD, SillyTavern, and the round-12
requests): helper shapes a next unseen repository will also hold."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


# --- several defaulted parameters left out by one call: each keeps its own marker (wrappers core) ---

OMITTED_TWO = {
    "package.json": '{"name": "svc", "dependencies": {"p-retry": "6"}}\n',
    "lib/retry.ts": """import pRetry from "p-retry";
const MAX_DELAY = 10000;
export async function withGraphRetry<T>(operation: () => Promise<T>, logger: any, maxRetries = 5, maxBlockingDelayMs = MAX_DELAY) {
  return withGraphRetryPolicy(operation, logger, maxRetries, maxBlockingDelayMs);
}
async function withGraphRetryPolicy<T>(operation: () => Promise<T>, logger: any, maxRetries: number, maxBlockingDelayMs: number) {
  return pRetry(operation, {
    retries: maxRetries,
    onFailedAttempt: (e: any) => { if (e.delay > maxBlockingDelayMs) throw e; },
  });
}
""",
    "lib/upload.ts": """import { withGraphRetry } from "./retry";
export async function upload(url: string, logger: any) {
  const left = await withGraphRetry(() => fetch(url, { method: "PUT" }), logger);
  const given = await withGraphRetry(() => fetch(url, { method: "PUT" }), logger, 2);
  // ok: the word retry in a comment, withGraphRetry(url)
  const retry = "withGraphRetry(x, y)";
  return [left, given, retry];
}
""",
}


def test_a_call_leaving_out_two_forwarded_defaults_gets_the_retry_count_default(tmp_path: Path) -> None:
    got = _scan(tmp_path, OMITTED_TWO)
    upload = {g for g in got if g[0] == "upload.ts"}
    assert ("upload.ts", 3, "retry", 6) in upload      # rule (b): maxRetries = 5 left out, 6 attempts
    assert ("upload.ts", 4, "retry", 3) in upload      # rule (c): 2 retries passed
    assert not {g for g in upload if g[1] in (5, 6)}
    # the delay forwarded next to the count is no timeout of the call
    assert not {g for g in upload if g[2] == "timeout"}
    assert ("retry.ts", 4, "retry", 6) in got          # rule (a) at the helper's hand-on


# --- an options helper of a base class (another file) spread into each request (checkmate) ---

OPTIONS_HELPER = {
    "package.json": '{"name": "svc", "dependencies": {"got": "14", "axios": "1"}}\n',
    "src/providers/base.ts": """import type { OptionsOfJSONResponseBody } from "got";
export const DEFAULT_NOTIFICATION_TIMEOUT_MS = 30_000;
export abstract class NotificationProvider {
  protected readonly timeoutMs: number;
  constructor(timeoutMs: number = DEFAULT_NOTIFICATION_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
  }
  protected gotRequestOptions(): Pick<OptionsOfJSONResponseBody, "timeout" | "retry"> {
    return {
      timeout: { request: this.timeoutMs },
      retry: { limit: 0 },
    };
  }
  protected headersOnly() {
    return { headers: { "x-retry": "timeout" } };
  }
}
export const axiosConfig = () => ({ timeout: 4000 });
""",
    "src/providers/discord.ts": """import got from "got";
import axios from "axios";
import { NotificationProvider, axiosConfig } from "./base";
export class DiscordProvider extends NotificationProvider {
  async send(url: string, content: string) {
    await got.post(url, {
      json: { content },
      ...this.gotRequestOptions(),
    });
    await got.post(url, { ...this.gotRequestOptions(), timeout: { request: 500 } });
    await axios.get(url, axiosConfig());
    // ok: a spread of a helper returning no timeout or retry
    await axios.get(url, { ...this.headersOnly() });
    // ok: the word timeout in a comment, ...this.gotRequestOptions()
    return "retry: { limit: 0 }";
  }
}
""",
}


def test_options_helper_spread_into_requests_of_another_file(tmp_path: Path) -> None:
    got = _scan(tmp_path, OPTIONS_HELPER)
    discord = {g for g in got if g[0] == "discord.ts"}
    assert ("discord.ts", 6, "timeout", 30000) in discord   # the base class's constructor default
    assert ("discord.ts", 6, "retry", 1) in discord         # retry limit 0: one attempt
    assert ("discord.ts", 10, "timeout", 500) in discord    # the request's own timeout wins
    assert ("discord.ts", 10, "timeout", 30000) not in discord
    assert ("discord.ts", 10, "retry", 1) in discord        # the helper's retry still holds
    assert ("discord.ts", 11, "timeout", 4000) in discord   # a whole options argument from a helper
    assert not {g for g in discord if g[1] in (13, 14, 15)}
    # the helper itself makes no request: nothing at its lines
    assert not {g for g in got if g[0] == "base.ts"}


# --- a deadline helper settling with the promise it is handed (new Promise + rejecting timer) ---

TIMED_FUNCTION = {
    "package.json": '{"name": "svc", "dependencies": {"undici": "6"}}\n',
    "lib/autodetect.js": """const { fetch: fetchCmd } = require('undici');
const RESOLV_TIMEOUT = 5 * 1000;
async function resolveUsingMX(email) { return fetchCmd('https://mx.example/' + email); }
async function timedFunction(prom, timeout, source) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            reject(new Error('Resolving requested resource timed out'));
        }, timeout).unref();
        prom.then(resolve)
            .catch(reject)
            .finally(() => clearTimeout(timer));
    });
}
function sleepThen(prom, ms) {
    // ok: a timer that resolves, no deadline
    return new Promise((resolve) => { setTimeout(resolve, ms); prom.then(() => null); });
}
async function run(email) {
    let res = await timedFunction(resolveUsingMX(email), RESOLV_TIMEOUT, 'mx');
    let other = await timedFunction(resolveUsingMX(email), 1500, 'mx');
    await sleepThen(resolveUsingMX(email), 700);
    return [res, other];
}
module.exports = { run };
""",
}


def test_deadline_helper_settling_with_a_handed_promise(tmp_path: Path) -> None:
    got = _scan(tmp_path, TIMED_FUNCTION)
    timeouts = {g for g in got if g[2] == "timeout"}
    assert ("autodetect.js", 19, "timeout", 5000) in timeouts   # rule (c): each call's own ms
    assert ("autodetect.js", 20, "timeout", 1500) in timeouts
    # the helper's parameter has no default: a forwarder, no contract at its line
    assert not {g for g in timeouts if g[1] in (6, 15, 21)}


# --- undici dispatcher options declared once and handed by name ---

UNDICI_NAMED = {
    "package.json": '{"name": "svc", "dependencies": {"undici": "6"}}\n',
    "lib/tools.js": """const { Agent, RetryAgent, ProxyAgent } = require('undici');
const URL_FETCH_TIMEOUT = 90 * 1000;
const AGENT_OPTS = {
    strictContentLength: false,
    connectTimeout: Math.min(30000, URL_FETCH_TIMEOUT),
    headersTimeout: URL_FETCH_TIMEOUT,
    bodyTimeout: URL_FETCH_TIMEOUT
};
const RETRY_OPTS = {
    maxRetries: 5,
    statusCodes: [429]
};
const OTHER = { headersTimeout: 100, maxRetries: 7 };
const httpAgent = { fetch: new Agent(AGENT_OPTS), retry: null };
httpAgent.retry = new RetryAgent(httpAgent.fetch, RETRY_OPTS);
const proxied = new ProxyAgent(Object.assign({}, AGENT_OPTS, { uri: 'http://proxy' }));
// ok: an object with undici's keys that reaches no undici constructor, "headersTimeout: 5"
console.log(OTHER);
module.exports = { httpAgent, proxied };
""",
}


def test_undici_dispatcher_options_handed_by_name(tmp_path: Path) -> None:
    got = _scan(tmp_path, UNDICI_NAMED)
    assert ("tools.js", 5, "timeout", 30000) in got
    assert ("tools.js", 6, "timeout", 90000) in got
    assert ("tools.js", 7, "timeout", 90000) in got
    assert ("tools.js", 10, "retry", 6) in got       # maxRetries 5: six tries
    assert not {g for g in got if g[1] in (13, 17)}


# --- a promisified client (`const rp = promisify(request)`) and an injected axios on a prototype ---

from extractors.javascript.extractor import JavascriptExtractor  # noqa: E402


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


PROMISIFIED = """const request = require('request')
const { promisify } = require('util')
const rp = promisify(request)
const readFile = promisify(require('fs').readFile)
async function orgs (accessToken) {
  const { body: data } = await rp({
    url: 'https://api.github.com/user/orgs',
    json: true,
    timeout: 2000,
  })
  // ok: a promisified local function with an options object that is no request
  const other = promisify(setTimeout)
  await other(100, { timeout: 5 })
  return [data, readFile]
}
module.exports = { orgs }
"""


def test_a_promisified_client_is_the_client():
    found = _found("lib/auth/github/index.js", PROMISIFIED)
    assert found[(6, "timeout")] == 2000
    assert (13, "timeout") not in found


PROTOTYPE_AXIOS = """const logger = require('../../../../utils/logger');

async function poll(userId) {
  const params = {
    method: 'get',
    url: `${this.bots[userId].NEXTCLOUD_URL}/ocs/v2.php/apps/spreed/api/v1/chat?timeout=15`,
    timeout: 30 * 1000,
    validateStatus: null,
  };
  // ok: the word timeout in a comment, this.axios.request({ timeout: 1 })
  const result = await this.axios.request(params);
  return result;
}

module.exports = { poll };
"""


def test_an_injected_axios_used_by_a_prototype_function_of_another_file():
    found = _found("services/talk/lib/bot/bot.poll.js", PROTOTYPE_AXIOS)
    assert found[(11, "timeout")] == 30000   # on the request call: options built in the same function
    assert (7, "timeout") not in found
    assert (10, "timeout") not in found


# --- an options member with another project file's constant as its fallback ---

IMPORTED_FALLBACK = {
    "package.json": '{"name": "svc"}\n',
    "lib/consts.js": """module.exports = {
    OUTLOOK_MAX_RETRY_ATTEMPTS: 3,
    OUTLOOK_RETRY_BASE_DELAY: 30
};
""",
    "lib/graph-api.js": """const { OUTLOOK_MAX_RETRY_ATTEMPTS, OUTLOOK_RETRY_BASE_DELAY } = require('./consts');
const lodash = require('lodash');
async function requestWithRetry(context, url, options = {}) {
    const maxRetries = options.maxRetries ?? OUTLOOK_MAX_RETRY_ATTEMPTS;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
        try {
            return await context.oAuth2Client.request(url);
        } catch (err) {
            if (err.status !== 429 || attempt === maxRetries) throw err;
            await new Promise(resolve => setTimeout(resolve, OUTLOOK_RETRY_BASE_DELAY * 1000));
        }
    }
}
// ok: a package's member as a fallback is no project constant
const size = (x) => x.size ?? lodash.VERSION;
module.exports = { requestWithRetry, size };
""",
}


def test_an_options_member_falling_back_to_an_imported_project_constant(tmp_path: Path) -> None:
    got = _scan(tmp_path, IMPORTED_FALLBACK)
    assert ("graph-api.js", 5, "retry", 4) in got     # maxRetries 3 (consts.js) after the first try


# --- a base class's request method (another file) called through `this` in a subclass ---

INHERITED = {
    "package.json": '{"name": "svc", "dependencies": {"axios": "1"}}\n',
    "src/external.ts": """import axios, { AxiosInstance, RawAxiosRequestConfig } from 'axios';
export class ExternalApiService {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL, timeout: 10000 });
  }
  public async getWithoutCache<T>(endpoint: string, config?: RawAxiosRequestConfig): Promise<T> {
    return (await this.axios.get<T>(endpoint, config)).data;
  }
}
""",
    "src/radarr.ts": """import { ExternalApiService } from './external';
export const SLOW_INSTANCE_TIMEOUT_MS = 20000;
export class RadarrApi extends ExternalApiService {
  public getMovies = async () => {
    const response = await this.getWithoutCache<any[]>('/movie', {
      timeout: SLOW_INSTANCE_TIMEOUT_MS,
    });
    // ok: a method of this class with the same kind of options is not the base's
    await this.localFetch('/x', { timeout: 700 });
    return response;
  };
  private async localFetch(path: string, opts: { timeout: number }) {
    return path + opts.timeout;
  }
}
""",
}


def test_an_inherited_request_method_of_an_imported_base_class(tmp_path: Path) -> None:
    got = _scan(tmp_path, INHERITED)
    radarr = {g for g in got if g[0] == "radarr.ts"}
    assert ("radarr.ts", 5, "timeout", 20000) in radarr   # rule (c) on the call
    assert not {g for g in radarr if g[1] in (6, 9, 13)}
    assert ("external.ts", 5, "timeout", 10000) in got


# --- a function scheduling itself again from its failure handler (`.catch`, catch clause) ---

RESCHEDULED = """const net = require('net');
function connectLoop(client) {
    client.connect().catch(() => {
        setTimeout(() => connectLoop(client), 1000);
    });
}
async function sync(api) {
    try {
        await api.request('/sync');
    } catch (err) {
        setTimeout(() => sync(api), 5000);
    }
}
function tick(client) {
    // ok: a periodic job scheduling itself after success, no failure
    client.ping().then(() => setTimeout(() => tick(client), 1000));
}
module.exports = { connectLoop, sync, tick, net };
"""


def test_a_function_rescheduled_from_its_failure_handler_is_an_unbounded_retry():
    result = JavascriptExtractor().extract("lib/loop.js", RESCHEDULED.encode())
    retries = {(f.line, f.attributes.get("max_attempts")) for f in result.findings if f.kind == "retry"}
    assert (4, None) in retries
    assert (11, None) in retries
    assert not {r for r in retries if r[0] in (16, 17)}


# --- client options merged with Object.assign before they reach the client ---

ASSIGNED = """const { ImapFlow } = require('imapflow');
async function verify(accountData) {
    let imapConfig = Object.assign(
        {
            verifyOnly: true,
            greetingTimeout: 90 * 1000,
        },
        accountData.imap
    );
    let imapClient = new ImapFlow(imapConfig);
    await imapClient.connect();
    // ok: a merged object that reaches no client
    let settings = Object.assign({ connectionTimeout: 5000 }, accountData.defaults);
    console.log(settings);
    return imapClient;
}
module.exports = { verify };
"""


def test_client_options_merged_with_object_assign():
    found = _found("lib/tools.js", ASSIGNED)
    assert found[(6, "timeout")] == 90000
    assert (13, "timeout") not in found


# --- node-libcurl handle options (seconds, or _MS) ---

LIBCURL = """import { Curl, CurlFeature } from "node-libcurl";
const DEFAULT_CONNECT_TIMEOUT = 30;
const DEFAULT_REQUEST_TIMEOUT = 60;
export const curl = async (site: any): Promise<any> =>
  new Promise((resolve) => {
    const connectTimeout = site.connectTimeout || DEFAULT_CONNECT_TIMEOUT;
    const requestTimeout = site.requestTimeout || DEFAULT_REQUEST_TIMEOUT;
    const curlHandle = new Curl();
    curlHandle.setOpt("URL", site.url);
    curlHandle.setOpt("CONNECTTIMEOUT", connectTimeout);
    curlHandle.setOpt("TIMEOUT", requestTimeout);
    curlHandle.setOpt(Curl.option.TIMEOUT_MS, 2500);
    // ok: a cache lifetime, "TIMEOUT" in a comment
    curlHandle.setOpt("DNS_CACHE_TIMEOUT", 0);
    curlHandle.on("end", () => resolve(1));
    curlHandle.perform();
  });
"""


def test_node_libcurl_handle_timeouts():
    found = _found("src/helpers/request.ts", LIBCURL)
    assert found[(10, "timeout")] == 30000
    assert found[(11, "timeout")] == 60000
    assert found[(12, "timeout")] == 2500
    assert (14, "timeout") not in found and (13, "timeout") not in found
    # without the import, a setOpt is anybody's
    assert not _found("src/x.ts", 'handle.setOpt("TIMEOUT", 5);\n')


PERIODIC = """class Queue {
    checkGarbage() {
        clearTimeout(this.garbageTimer);
        this.clearGarbage()
            .then(() => {
                this.garbageTimer = setTimeout(() => this.checkGarbage(), 60 * 1000);
            })
            .catch(err => {
                console.error(err);
                this.garbageTimer = setTimeout(() => this.checkGarbage(), 5 * 60 * 1000);
            });
    }
}
module.exports = { Queue };
"""


def test_a_periodic_job_rescheduled_after_success_and_failure_is_no_retry():
    result = JavascriptExtractor().extract("lib/mail-queue.js", PERIODIC.encode())
    assert not [f for f in result.findings if f.kind == "retry"]
