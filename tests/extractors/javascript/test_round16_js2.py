"""Round 16 (js2): rules found on unseen TypeScript services (tianji, and the round-15 second-wave
sets snapshot-webhook and your-spotify): a library's fetch helper taking `timeout` in its init, a
retry wrapper handed a count constant before its seconds, a counted loop in a function named for
retrying, and an injected client factory falling back to a client's constructor."""

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


# ------------------------------------------------------- a library's fetch helper with `timeout`

LIBRARY_FETCH = """import snapshot from '@snapshot-labs/snapshot.js';

const HTTP_WEBHOOK_TIMEOUT = 15000;

export async function sendEvent(event, url, method = 'POST') {
  const res = await snapshot.utils.fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json' },
    timeout: HTTP_WEBHOOK_TIMEOUT,
    body: JSON.stringify(event)
  });
  return res;
}
"""


def test_library_fetch_helper_with_timeout_in_a_fetch_init():
    assert _found("src/providers/webhook.ts", LIBRARY_FETCH) == {(6, "timeout"): 15000}


def test_store_fetch_with_timeout_but_no_fetch_init_is_no_call_timeout():
    source = """import LRU from 'lru-cache';
const cache = new LRU({ max: 10 });
export async function get(key) {
  return cache.fetch(key, { timeout: 500, allowStale: true });
}
"""
    assert _found("src/cache.ts", source) == {}


def test_fetch_method_of_a_local_object_with_timeout_is_not_taken():
    source = """const store = { fetch: async (key, opts) => opts };
export async function get(key) {
  return store.fetch(key, { method: 'GET', timeout: 500 });
}
"""
    assert _found("src/store.ts", source) == {}


# ------------------------------------------ a retry wrapper handed a count constant, then seconds

RETRY_HELPER = """export const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));

export const retryPromise = async <T>(
  fn: () => Promise<T>,
  max: number,
  timeSeconds: number,
): Promise<T> => {
  let lastError: Error | undefined;
  for (let i = 0; i < max; i += 1) {
    const isLastTry = i === max - 1;
    try {
      const res = await fn();
      return res;
    } catch (e) {
      lastError = e;
      console.error(`Retrying crashed promise, ${i + 1}/${max}`);
    }
    if (!isLastTry) {
      await wait(timeSeconds * 1000);
    }
  }
  throw lastError;
};
"""

RETRY_CALLER = """import { retryPromise } from '../tools/misc';

const RETRY = 10;
const RETRY_DELAY_SECONDS = 30;

export async function loop(api) {
  const a = await retryPromise(
    () => api.raw('/me/player/recently-played'),
    RETRY,
    30,
  );
  const b = await retryPromise(() => api.raw('/tracks'), 4, RETRY_DELAY_SECONDS);
  return [a, b];
}
"""


def test_retry_wrapper_count_constant_before_the_seconds(tmp_path):
    _write(tmp_path, {"src/tools/misc.ts": RETRY_HELPER, "src/spotify/looper.ts": RETRY_CALLER})
    found = _scan(tmp_path)
    assert found[("src/spotify/looper.ts", 7, "retry")] == 10
    assert found[("src/spotify/looper.ts", 12, "retry")] == 4
    # the helper only forwards its caller's count: no contract of its own
    assert not any(path == "src/tools/misc.ts" for path, _line, _kind in found)


def test_counted_loop_in_a_function_not_named_for_retrying_is_no_retry():
    source = """export async function sendAll(items, max) {
  for (let i = 0; i < max; i += 1) {
    try {
      const res = await fetch(items[i].url, { signal: AbortSignal.timeout(1000) });
      return res;
    } catch (e) {
      console.error(e);
    }
  }
}
"""
    assert (2, "retry") not in _found("src/send.ts", source)


# --------------------------------------------- an injected client factory falling back to `new X`

INJECTED_FACTORY = """import OpenAI from 'openai';

export async function checkConnectivity(key: string, dependencies: { createClient?: (o: any) => OpenAI } = {}) {
  const createClient =
    dependencies.createClient ??
    ((options: any) => new OpenAI(options));
  const client = createClient({
    apiKey: key,
    maxRetries: 0,
    timeout: 15_000,
  });
  return client.models.list();
}
"""


def test_injected_factory_falling_back_to_a_client_constructor():
    assert _found("src/connectivity.ts", INJECTED_FACTORY) == {(9, "retry"): 1, (10, "timeout"): 15000}


def test_local_factory_that_does_not_construct_a_client_is_not_read():
    source = INJECTED_FACTORY.replace("new OpenAI(options)", "buildReport(options)")
    assert _found("src/connectivity.ts", source) == {}


def test_factory_adding_arguments_to_the_constructor_is_not_read():
    source = INJECTED_FACTORY.replace("new OpenAI(options)", "new OpenAI({ ...options, timeout: 1 }, extra)")
    assert _found("src/connectivity.ts", source) == {}


# ------------------------------------------------------- a race helper around local work (LibreOffice)

RACE_HELPER = """import libre from 'libreoffice-convert';
import axios from 'axios';

export async function withTimeout(promise, ms, label = 'operation') {
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms}ms`)), ms);
    });
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

async function convertLibre(input, ext, opts) {
  return await new Promise((resolve, reject) => {
    libre.convert(input, ext, opts, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

async function fetchPreview(url) {
  return axios.get(url);
}

export async function convert(req) {
  const timeoutMs = req.size > 10 ? 120_000 : 90_000;
  return await withTimeout(convertLibre(req.buffer, '.pdf', undefined), timeoutMs, 'DOCX->PDF');
}

export async function preview(req) {
  return await withTimeout(fetchPreview(req.url), 5000, 'preview');
}
"""


def test_race_helper_around_a_local_conversion_is_out_of_scope(tmp_path):
    _write(tmp_path, {"src/docxtopdf.js": RACE_HELPER})
    found = _scan(tmp_path)
    assert ("src/docxtopdf.js", 28, "timeout") not in found
    assert found[("src/docxtopdf.js", 32, "timeout")] == 5000


# ----------------------------------------------- the AI SDK call's abortSignal bounded by time

AI_SDK = """import { generateText } from "ai";
import { openai } from "@ai-sdk/openai";

const AI_REQUEST_TIMEOUT_MS = 30_000;

export async function moderate(text: string, signal?: AbortSignal) {
  const result = await generateText({
    model: openai("gpt-4.1"),
    abortSignal: AbortSignal.timeout(AI_REQUEST_TIMEOUT_MS),
    messages: [{ role: "user", content: text }],
  });
  const other = await generateText({
    model: openai("gpt-4.1"),
    abortSignal: signal,
    prompt: "timeout: 5000",
  });
  return [result, other];
}
"""


def test_ai_sdk_abort_signal_timeout_on_the_key_line():
    # the caller's own signal (line 14) bounds nothing this code sets
    assert _found("src/moderation.ts", AI_SDK) == {(9, "timeout"): 30000}


# ----------------------------------------------------------- socket.io-client reconnection settings

SOCKET_IO = """import { io } from "socket.io-client";

export function testLogin(url: string) {
  const client = io(url, {
    reconnection: false,
    extraHeaders: { endpoint: url },
  });
  return client;
}

export function connect(url: string) {
  const client = io(url, { reconnectionAttempts: 5, timeout: 10000 });
  const other = io(url, { extraHeaders: { reconnection: "false" } });
  return [client, other];
}
"""


def test_socket_io_reconnection_off_and_attempts():
    found = _found("backend/agent-manager.ts", SOCKET_IO)
    assert found[(4, "retry")] == 1
    assert found[(12, "retry")] == 6
    assert found[(12, "timeout")] == 10000
    assert (13, "retry") not in found  # a header named reconnection is no option


# ------------------------------------- a timer that gives up unless the socket's answer clears it

WATCHDOG = """import { io } from 'socket.io-client';

export async function run(url: string, token: string) {
  const ioClient = io(url, { autoConnect: false, extraHeaders: { 'x-token': token } });
  ioClient.connect();
  ioClient.on('connect', async () => {
    ioClient.emit('register-client-app', { token });
    const registrationTimeout = setTimeout(() => {
      showError('no answer after 30 seconds')
        .catch(() => {})
        .finally(() => process.exit(1));
    }, 30000);
    ioClient.on('client-registered', async (res) => {
      clearTimeout(registrationTimeout);
      console.log(res);
    });
    const reminder = setTimeout(() => console.log('still waiting'), 5000);
    ioClient.on('client-registered', () => clearTimeout(reminder));
  });
}

export function search(input: HTMLInputElement) {
  const debounce = setTimeout(() => { throw new Error('typed too slowly'); }, 300);
  input.addEventListener('keyup', () => clearTimeout(debounce));
}

async function showError(msg: string) { console.error(msg); }
"""


def test_socket_answer_watchdog_on_the_timer():
    found = _found("apps/cli/src/commands/run.command.ts", WATCHDOG)
    assert found.get((8, "timeout")) == 30000
    assert (17, "timeout") not in found  # a reminder gives nothing up
    assert (23, "timeout") not in found  # no socket: a UI timer


# ---------------------------------------------------------------- rabbitmq-client publisher / RPC client

RABBIT = """import { Connection } from 'rabbitmq-client';

export function makeQueue(rabbit: Connection, params: { timeout?: number }) {
  const { timeout } = params;
  const publisher = rabbit.createPublisher({
    confirm: true,
    maxAttempts: 3,
  });
  const rpc = rabbit.createRPCClient({
    timeout,
    confirm: true,
    maxAttempts: 2,
  });
  const fixed = rabbit.createRPCClient({ timeout: 5000 });
  return [publisher, rpc, fixed];
}
"""


def test_rabbitmq_client_publisher_and_rpc_options():
    found = _found("src/queue.factory.ts", RABBIT)
    assert found[(7, "retry")] == 3
    assert found[(12, "retry")] == 2
    assert found[(14, "timeout")] == 5000
    assert (10, "timeout") not in found  # the caller's value, handed on


def test_other_create_publisher_without_rabbitmq_client_is_not_read():
    source = RABBIT.replace("rabbitmq-client", "./my-bus")
    assert _found("src/queue.factory.ts", source) == {}


# ------------------------------------------- a function drawing a random value again is no retry

RANDOM_PORT = """export class AppsService {
  constructor(private repo: any) {}

  public async getRandomPort(tries = 3): Promise<number> {
    if (tries <= 0) {
      throw new Error('Failed to get random port after 3 tries');
    }
    const port = Math.floor(Math.random() * 64510) + 1025;
    const apps = await this.repo.getAppsByPort(port);
    if (apps.length === 0) {
      return port;
    }
    return this.getRandomPort(tries - 1);
  }

  public async allocate(id: string, retryCount = 0): Promise<string> {
    const next = Math.floor(Math.random() * 250);
    try {
      await this.repo.update(id, { subnet: next });
    } catch (error) {
      if (retryCount < 3) {
        return this.allocate(id, retryCount + 1);
      }
      throw error;
    }
    return String(next);
  }
}
"""


def test_random_draw_again_is_no_retry_but_a_failed_write_is():
    found = _found("src/apps.service.ts", RANDOM_PORT)
    assert not any(line < 16 and kind == "retry" for line, kind in found)
    assert found[(22, "retry")] == 4


# ------------------------------------------------------ a database URL's own timeout parameter

DB_URL = """import { drizzle } from 'drizzle-orm/node-postgres';

export function connect(username: string, password: string, host: string, port: number, database: string) {
  // postgresql://docs.example/db?connect_timeout=99 is only a comment
  const connectionString = `postgresql://${username}:${password}@${host}:${port}/${database}?connect_timeout=300`;
  const plain = `postgresql://${username}@${host}/${database}?sslmode=require`;
  const mongo = 'mongodb://mongo:27017/app?replicaSet=rs0&serverSelectionTimeoutMS=5000';
  const off = 'postgres://localhost/db?connect_timeout=0';
  return [drizzle(connectionString), plain, mongo, off];
}
"""


def test_database_url_timeout_parameters():
    assert _found("src/core/database/database.service.ts", DB_URL) == {(5, "timeout"): 300000, (7, "timeout"): 5000}
