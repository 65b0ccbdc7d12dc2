"""Round 13 (js2, TypeScript services: cosmo's control plane, Dokploy, Maxun, Sourcebot): the shapes their
first scans missed, each with the traps that must stay silent."""

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


# --- a helper's `while (true)` retry whose give-up check compares the counter with a defaulted parameter ---

FETCH_WITH_RETRY = {
    "package.json": '{"name": "svc"}\n',
    "src/utils.ts": """export const fetchWithRetry = async <T>(
    fetchFn: () => Promise<T>,
    identifier: string,
    maxAttempts: number = 3
): Promise<T> => {
    let attempts = 0;
    while (true) {
        try {
            return await fetchFn();
        } catch (e: any) {
            attempts++;
            if ((e.status >= 500 || e.status === 429) && attempts < maxAttempts) {
                await new Promise(resolve => setTimeout(resolve, 1000 * attempts));
                continue;
            }
            throw e;
        }
    }
}
""",
    "src/github.ts": """import { fetchWithRetry } from "./utils";
export async function repos(octokit: any) {
    const retry = 5; // a variable named retry, no call
    const a = await fetchWithRetry(() => octokit.repos.list(), "repos");
    const b = await fetchWithRetry(
        () => octokit.users.list(),
        "users",
        5,
    );
    return [a, b, retry];
}
""",
}


def test_while_true_give_up_bound_is_a_helper_parameter(tmp_path):
    found = _scan(tmp_path, FETCH_WITH_RETRY)
    assert ("utils.ts", 7, "retry", 3) in found            # rule (a): the helper's loop, its default
    assert ("github.ts", 4, "retry", 3) in found           # rule (b): the call leaving it out
    assert ("github.ts", 5, "retry", 5) in found           # rule (c): the call passing 5
    assert not any(f[0] == "github.ts" and f[1] == 3 for f in found)


# --- a parameter with the code's own fallback read under a local name (`retries ?? CONFIG.maxRetries`) ---

CONNECT_RETRIES = {
    "package.json": '{"name": "svc", "dependencies": {"playwright-core": "1"}}\n',
    "src/conn.ts": """import { chromium } from 'playwright-core';
const CONNECTION_CONFIG = {
    maxRetries: 3,
    retryDelay: 2000,
};
export async function connectToRemoteBrowser(retries?: number) {
    const maxRetries = retries ?? CONNECTION_CONFIG.maxRetries;
    for (let attempt = 1; attempt <= maxRetries; attempt++) {
        try {
            return await chromium.connect(ws, { timeout: 30000 });
        } catch (error: any) {
            if (attempt === maxRetries) throw error;
            await new Promise(resolve => setTimeout(resolve, CONNECTION_CONFIG.retryDelay));
        }
    }
}
""",
    "src/proxy.ts": """import { connectToRemoteBrowser } from "./conn";
export async function check() {
    const browser = await connectToRemoteBrowser();
    const other = await connectToRemoteBrowser(7);
    return [browser, other];
}
""",
}


def test_parameter_fallback_to_a_config_member_is_its_default(tmp_path):
    found = _scan(tmp_path, CONNECT_RETRIES)
    assert ("conn.ts", 8, "retry", 3) in found
    assert ("conn.ts", 10, "timeout", 30000) in found
    assert ("proxy.ts", 3, "retry", 3) in found
    assert ("proxy.ts", 4, "retry", 7) in found


# --- a poll that resets its failure counter after a success is no retry ---

POLL = {
    "package.json": '{"name": "svc"}\n',
    "src/timers.ts": """export async function pollWithBackoff(task: (s: AbortSignal) => Promise<void>, options: any) {
  let attempt = 0;
  while (!options.signal.aborted) {
    await sleep(computeDelay(options.baseInterval, attempt));
    try {
      await task(options.signal);
      if (options.signal.aborted) return;
      attempt = 0;
      options.onSuccess();
    } catch (caught) {
      if (options.signal.aborted) {
        return;
      }
      attempt++;
      options.onFailure(caught, attempt);
    }
  }
}
export async function retryIt(send: () => Promise<void>) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await send();
    } catch (e) {
      await sleep(100);
    }
  }
}
""",
}


def test_poll_resetting_its_counter_is_not_a_retry(tmp_path):
    found = _scan(tmp_path, POLL)
    assert not any(f[1] == 3 and f[2] == "retry" for f in found)
    assert ("timers.ts", 20, "retry", 4) in found  # a real retry loop in the same file still is one


# --- OpenAI-compatible SDK per-request options ---

OPENAI = {
    "package.json": '{"name": "svc", "dependencies": {"openai": "4", "@anthropic-ai/sdk": "0.30"}}\n',
    "src/ai.ts": """import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
export class Ai {
  private readonly client: OpenAI;
  constructor(key: string) {
    this.client = new OpenAI({ apiKey: key });
  }
  async readme(sdl: string) {
    const response = await this.client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: sdl }] },
      { timeout: 60_000, maxRetries: 1 },
    );
    const body = await this.client.chat.completions.create({ model: 'x', messages: [], timeout: 5 });
    return [response, body];
  }
}
export async function summarise(text: string) {
  const anthropic = new Anthropic({ apiKey: 'k' });
  const other = { timeout: 9000 }; // an options object that reaches no call
  return anthropic.messages.create({ model: 'claude', max_tokens: 10, messages: [] }, { timeout: 20000 });
}
""",
}


def test_sdk_per_request_options(tmp_path):
    found = _scan(tmp_path, OPENAI)
    assert ("ai.ts", 9, "timeout", 60000) in found
    assert ("ai.ts", 9, "retry", 2) in found
    assert ("ai.ts", 20, "timeout", 20000) in found
    assert not any(f[1] in (13, 19) for f in found)  # a body's own `timeout` field; a stray object


# --- axios handed an AbortController's signal (cast `as any`) armed by a timer ---

AXIOS_ABORT = {
    "package.json": '{"name": "svc", "dependencies": {"axios": "1"}}\n',
    "src/sum.ts": """import axios from 'axios';
export async function ollama(baseUrl: string) {
  const controller = new AbortController();
  const tid = setTimeout(() => controller.abort(), 120000);
  try {
    const response = await axios.post(
      `${baseUrl}/api/chat`,
      { model: 'llama' },
      { signal: controller.signal as any }
    );
    return response.data;
  } finally {
    clearTimeout(tid);
  }
}
export async function unbounded(baseUrl: string, signal: AbortSignal) {
  return axios.post(`${baseUrl}/x`, {}, { signal });
}
""",
}


def test_axios_signal_of_an_abort_timer(tmp_path):
    found = _scan(tmp_path, AXIOS_ABORT)
    assert ("sum.ts", 6, "timeout", 120000) in found
    assert not any(f[1] == 17 and f[2] == "timeout" for f in found)


# --- job queues reached through a project's enqueue helper (graphile-worker, BullMQ) ---

JOBS = {
    "package.json": '{"name": "svc", "dependencies": {"graphile-worker": "0.16", "bullmq": "5"}}\n',
    "src/storage/graphileWorker.ts": """import { makeWorkerUtils, WorkerUtils } from 'graphile-worker';
let workerUtils: WorkerUtils | null = null;
export async function addJob(
  taskIdentifier: string,
  payload: Record<string, unknown>,
  options?: { maxAttempts?: number; runAt?: Date },
): Promise<string> {
  const job = await workerUtils!.addJob(taskIdentifier, payload, options);
  return String(job.id);
}
""",
    "src/queue.ts": """import { Queue } from "bullmq";
const q = new Queue("emails");
export async function enqueue(name: string, data: object, opts?: { attempts?: number }) {
  return q.add(name, data, opts);
}
""",
    "src/routes.ts": """import { addJob } from './storage/graphileWorker';
import { enqueue } from './queue';
export async function run(id: string) {
  await addJob('execute-run', {
    id,
  }, { maxAttempts: 1 });
  await enqueue("welcome", { id }, { attempts: 5 });
  await addJob('plain', { id });
  const maxAttempts = 9; // a variable, no call
}
""",
}


def test_enqueue_helpers_forwarding_job_options(tmp_path):
    found = _scan(tmp_path, JOBS)
    assert ("routes.ts", 4, "retry", 1) in found
    assert ("routes.ts", 7, "retry", 5) in found
    assert not any(f[0] in ("graphileWorker.ts", "queue.ts") for f in found)  # forwarders: no default
    assert not any(f[0] == "routes.ts" and f[1] in (8, 9) for f in found)


# --- library options: Inngest, ssh2 readyTimeout, Sequelize pool acquire, gitbeaker, Redlock using ---

LIBRARIES = {
    "package.json": '{"name": "svc", "dependencies": {"inngest": "3", "ssh2": "1", "sequelize": "6", '
                    '"@gitbeaker/rest": "40", "redlock": "5"}}\n',
    "src/inngest.ts": """import { Inngest } from "inngest";
export const inngest = new Inngest({ id: "deployments" });
export const deploy = inngest.createFunction(
  { id: "deploy", retries: 0, concurrency: [{ key: "event.data.id", limit: 1 }] },
  { event: "deployment/requested" },
  async ({ event }) => event.data,
);
export const other = inngest.createFunction({ id: "other" }, { event: "x" }, async () => 1);
""",
    "src/ssh.ts": """import { Client } from "ssh2";
export function run(host: string) {
  const conn = new Client();
  conn.on("ready", () => {}).connect({
    host,
    readyTimeout: 15000,
  });
  const readyTimeout = 5;
  return readyTimeout;
}
""",
    "src/db.ts": """import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL!, {
  dialect: 'postgres',
  pool: {
    max: 10,
    acquire: 30000,
    idle: 10000,
  },
  retry: { max: 3 },
});
const lock = { acquire: 5000 }; // no pool of a Sequelize
export default sequelize;
""",
    "src/gitlab.ts": """import { Gitlab } from "@gitbeaker/rest";
export const client = (token: string) => new Gitlab({
  token,
  queryTimeout: 600 * 1000,
});
""",
    "src/lock.ts": """import Redlock from "redlock";
export async function withLock(redlock: Redlock, key: string, fn: () => Promise<void>) {
  return redlock.using(
    [key],
    15_000,
    { retryCount: 0 },
    fn,
  );
}
export const settings = { retryCount: 2 }; // a bare object, no lock call
""",
}


def test_library_options_round13(tmp_path):
    found = _scan(tmp_path, LIBRARIES)
    assert ("inngest.ts", 3, "retry", 1) in found
    assert not any(f[0] == "inngest.ts" and f[1] == 8 for f in found)
    assert ("ssh.ts", 6, "timeout", 15000) in found
    assert not any(f[0] == "ssh.ts" and f[1] == 8 for f in found)
    assert ("db.ts", 6, "timeout", 30000) in found
    assert ("db.ts", 9, "retry", 3) in found
    assert not any(f[0] == "db.ts" and f[1] in (7, 11) for f in found)
    assert ("gitlab.ts", 4, "timeout", 600000) in found
    assert ("lock.ts", 6, "retry", 1) in found
    assert not any(f[0] == "lock.ts" and f[1] == 10 for f in found)


# --- a zod env schema built on a named base schema (`numberSchema.default(600)`) ---

ZOD_ALIAS = {
    "package.json": '{"name": "svc", "dependencies": {"zod": "3", "@gitbeaker/rest": "40"}}\n',
    "src/env.ts": """import { z } from "zod";
import { createEnv } from "@t3-oss/env-core";
const numberSchema = z.coerce.number();
export const env = createEnv({
  server: {
    GITLAB_CLIENT_QUERY_TIMEOUT_SECONDS: numberSchema.default(60 * 10),
  },
  runtimeEnv: process.env,
});
""",
    "src/gitlab.ts": """import { Gitlab } from "@gitbeaker/rest";
import { env } from "./env";
export const client = (token: string) => new Gitlab({
  token,
  queryTimeout: env.GITLAB_CLIENT_QUERY_TIMEOUT_SECONDS * 1000,
});
""",
}


def test_zod_default_through_a_named_base_schema(tmp_path):
    found = _scan(tmp_path, ZOD_ALIAS)
    assert ("gitlab.ts", 5, "timeout", 600000) in found


# --- a race bounded by another file's rejecting-timer factory (`Promise.race([call, rejectAfter(ms)])`) ---

REJECT_AFTER = {
    "package.json": '{"name": "svc", "dependencies": {"axios": "1"}}\n',
    "src/util.ts": """export function rejectAfter(ms: number, message = "timed out"): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms));
}
export const timeoutAfter = (ms: number) =>
  new Promise<never>((_, reject) => { setTimeout(() => reject(new Error("timeout")), ms); });
export function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
""",
    "src/svc.ts": """import axios from "axios";
import { rejectAfter, timeoutAfter, pause } from "./util";
export async function a(url: string) {
  return Promise.race([axios.get(url), rejectAfter(5000)]);
}
export async function b(url: string) {
  return await Promise.race([fetch(url), timeoutAfter(3000)]);
}
export async function c() {
  await pause(250); // a sleep, no bound on a call
}
""",
}


def test_race_with_an_imported_rejecting_timer(tmp_path):
    found = _scan(tmp_path, REJECT_AFTER)
    assert ("svc.ts", 4, "timeout", 5000) in found
    assert ("svc.ts", 7, "timeout", 3000) in found
    assert not any(f[0] == "util.ts" for f in found)  # the factories' own timers: their callers' values
    assert not any(f[0] == "svc.ts" and f[1] == 10 for f in found)


# --- a browser navigation tried again from its catch ---

GOTO = {
    "package.json": '{"name": "svc", "dependencies": {"playwright-core": "1"}}\n',
    "src/scrape.ts": """import { Page } from "playwright-core";
export async function gotoWithFallback(page: Page, url: string, forScreenshot: boolean) {
  const waitUntil = forScreenshot ? 'load' : 'domcontentloaded';
  try {
    return await page.goto(url, { waitUntil, timeout: 60000 });
  } catch (err) {
    return await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  }
}
export async function once(page: Page, url: string) {
  try {
    return await page.goto(url);
  } catch (err) {
    await page.screenshot({ path: 'failed.png' });
    throw err;
  }
}
""",
}


def test_page_goto_again_from_its_catch(tmp_path):
    found = _scan(tmp_path, GOTO)
    assert ("scrape.ts", 4, "retry", 2) in found
    assert ("scrape.ts", 5, "timeout", 60000) in found
    assert not any(f[2] == "retry" and f[1] >= 10 for f in found)


RESET_THEN_RETURN = {
    "package.json": '{"name": "svc"}\n',
    "src/loop.ts": """export async function send(call: () => Promise<string>) {
  let attempts = 0;
  while (true) {
    try {
      const r = await call();
      attempts = 0;
      return r;
    } catch (e) {
      attempts++;
      if (attempts >= 3) throw e;
      await sleep(100);
    }
  }
}
""",
}


def test_counter_reset_before_returning_stays_a_retry(tmp_path):
    found = _scan(tmp_path, RESET_THEN_RETURN)
    assert ("loop.ts", 3, "retry", 3) in found


OPENAI_ELSEWHERE = {
    "package.json": '{"name": "svc", "dependencies": {"openai": "4"}}\n',
    "src/lib/openai.ts": """import OpenAI from 'openai';
export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
""",
    "src/summarise.ts": """import { openai } from './lib/openai';
export async function summarise(text: string) {
  const res = await openai.chat.completions.create({ model: 'gpt-4o', messages: [] }, { timeout: 30_000 });
  const rows = await db.messages.create({ text }, { transaction: null });
  return [res, rows];
}
""",
}


def test_sdk_request_options_on_a_client_made_elsewhere(tmp_path):
    found = _scan(tmp_path, OPENAI_ELSEWHERE)
    assert ("summarise.ts", 3, "timeout", 30000) in found
    assert not any(f[0] == "summarise.ts" and f[1] == 4 for f in found)

