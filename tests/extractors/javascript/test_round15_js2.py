"""Round 15 (js2): rules found on unseen TypeScript services (PlanningSup's Bun API, timeli.sh's BullMQ
services) and round-14 requests (Kuzzle's ZeroMQ / Bluebird waits, LaunchDarkly's initialization
wait). Each test asserts (path, line, kind) -> value, with the traps beside it."""

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


ENV_READER = """export function env(varName: string, options?: { default?: number | string | boolean, required?: boolean }) {
  const { default: defaultValue } = options || {}
  const value = process.env[varName]
  return value === undefined ? defaultValue : value
}
"""

SETTINGS = """import { env } from './env'

function getConfig() {
  const port = env('PORT', { default: 20000 })
  return {
    port,
    databaseUrl: env('DATABASE_URL'),
    curlTimeout: env('CURL_TIMEOUT', { default: 5000 }), // in ms
    quietHours: env('JOBS_QUIET_HOURS', { default: '21:00' }),
  }
}

const config = getConfig()

export default config
"""

HELPER = """import config from '../config'

async function fetchWithTimeout(
  url: string,
  options?: RequestInit,
  timeoutOverride?: number,
) {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutOverride || config.curlTimeout),
    ...options,
  })
  return response
}

async function fetchLiteral(url: string, timeoutMs?: number) {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs ?? 8000) })
}

async function fetchPlain(url: string, timeoutMs: number) {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
}

export { fetchWithTimeout, fetchLiteral, fetchPlain }
"""

CALLERS = """import { fetchWithTimeout, fetchLiteral, fetchPlain } from './http'

export async function getEvents(url: string) {
  const a = await fetchWithTimeout(url)
  const b = await fetchWithTimeout(url, {}, 9000)
  const c = await fetchLiteral(url)
  const d = await fetchPlain(url, 1500)
  return [a, b, c, d]
}
"""


def test_body_fallback_of_a_positional_parameter_is_its_default(tmp_path):
    """`timeoutOverride || config.curlTimeout` (PlanningSup): the config member (an env reader's
    `{ default: 5000 }` inside a settings function's returned object) is the helper's own bound (rule
    a) and what a call leaving the parameter out gets (rule b); a call passing 9000 holds 9000; a literal
    fallback (`?? 8000`) works alike; a parameter without any fallback stays a forwarder."""
    _write(tmp_path, {"package.json": '{"name": "p", "dependencies": {"elysia": "1"}}',
                      "src/config/env.ts": ENV_READER, "src/config/index.ts": SETTINGS,
                      "src/utils/http.ts": HELPER, "src/utils/events.ts": CALLERS})
    found = _scan(tmp_path)
    assert found[("src/utils/http.ts", 8, "timeout")] == 5000       # rule (a), through the config module
    assert found[("src/utils/http.ts", 16, "timeout")] == 8000      # rule (a), literal fallback
    assert ("src/utils/http.ts", 20, "timeout") not in found         # forwarder: no contract of its own
    assert found[("src/utils/events.ts", 4, "timeout")] == 5000      # rule (b)
    assert found[("src/utils/events.ts", 5, "timeout")] == 9000      # rule (c)
    assert found[("src/utils/events.ts", 6, "timeout")] == 8000      # rule (b), literal fallback
    assert found[("src/utils/events.ts", 7, "timeout")] == 1500      # rule (c) of the forwarder


def test_env_reader_options_default_is_published_for_members():
    """`curlTimeout: env('CURL_TIMEOUT', { default: 5000 })` is a setting with a default; `env('X')`
    without one and a string default publish no number; `const config = getConfig()` aliases the
    returned object's members."""
    result = JavascriptExtractor().extract("src/config/index.ts", SETTINGS.encode())
    from contract_discovery.values import evaluate

    def value(name):
        expr = result.symbols.get(name)
        while expr is not None and type(expr).__name__ == "Ref" and expr.name in result.symbols:
            expr = result.symbols[expr.name]
        return evaluate(expr).value if expr is not None else None

    assert value("config.curlTimeout") == 5000
    assert value("getConfig.$return.curlTimeout") == 5000
    assert value("config.databaseUrl") is None
    assert value("config.quietHours") == "21:00"


SCHEMA = """import { integer, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core'
import { Queue } from 'bullmq'

export const refreshQueue = pgTable('refresh_queue', {
  id: varchar('id', { length: 255 }).notNull().primaryKey(),
  priority: integer('priority').notNull().default(0),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  lastError: text('last_error'),
})

export async function enqueue(queue: Queue) {
  await queue.add('refresh', {}, { priority: 1, attempts: 4 })
}
"""

MONGOOSE = """import mongoose from 'mongoose'
import { Queue } from 'bullmq'
const JobSchema = new mongoose.Schema({
  name: String,
  priority: { type: Number, default: 0 },
  attempts: { type: Number, default: 0 },
})
export const q = new Queue('x', { defaultJobOptions: { attempts: 5, backoff: { type: 'fixed', delay: 100 } } })
"""


def test_orm_columns_named_like_settings_are_no_retries():
    """drizzle `attempts: integer('attempts')` beside `priority` (a job-options word) and a mongoose
    `attempts: { type: Number }` field are columns of a table; the BullMQ options next to them still count."""
    found = _found("src/db/schema.ts", SCHEMA)
    assert (7, "retry") not in found
    assert found[(13, "retry")] == 4
    found = _found("src/models/job.ts", MONGOOSE)
    assert (6, "retry") not in found
    assert found[(8, "retry")] == 5


ZMQ = """const { Reply, Request } = require("zeromq");
const zmq = require("zeromq");

class Command {
  async fullState(nodes) {
    const req = new Request();
    req.receiveTimeout = this.node.config.syncTimeout;
    req.connect("tcp://peer");
  }

  async handshake() {
    const req = new Request();

    req.receiveTimeout = 2000;
    this.socket = new Reply();
    this.socket.sendTimeout = -1;
    const other = { receiveTimeout: 300 };
    other.receiveTimeout = 400;
  }
}

const dealer = new zmq.Dealer({ sendTimeout: 1500 });
"""


def test_zeromq_socket_timeouts():
    """A socket's receiveTimeout assigned or passed (ms, on the assignment / the key); -1 (wait forever)
    and a plain object's receiveTimeout are no bounds."""
    found = _found("lib/cluster/command.js", ZMQ)
    assert (7, "timeout") in found and found[(7, "timeout")] is None
    assert found[(14, "timeout")] == 2000
    assert (16, "timeout") not in found
    assert (17, "timeout") not in found and (18, "timeout") not in found
    assert found[(22, "timeout")] == 1500


BLUEBIRD = """const Bluebird = require("bluebird");
const request = require("superagent");

class Service {
  init() {
    return Bluebird.resolve(this._initSequence())
      .timeout(30000)
      .catch((e) => { throw e; });
  }
  later() {
    return Bluebird.delay(1000).then(() => this.clock.timeout(5));
  }
}
"""


def test_bluebird_timeout_on_a_chain_from_the_import():
    """`.timeout(ms)` on a chain that starts at the bluebird import, on the `.timeout` line; a
    `.timeout()` of another receiver and `Bluebird.delay` are not."""
    found = _found("lib/service/service.js", BLUEBIRD)
    assert found[(7, "timeout")] == 30000
    assert (11, "timeout") not in found


LAUNCHDARKLY = """import * as LD from "@launchdarkly/node-server-sdk";

export const getClient = async (sdkKey: string) => {
  const client = LD.init(sdkKey, { baseUri: "https://clientsdk.launchdarkly.us" });
  await client.waitForInitialization({ timeout: 60 });
  return client;
};
"""

NOT_LAUNCHDARKLY = """import { Store } from "./store";

export const ready = async (store: Store) => {
  await store.waitForInitialization({ timeout: 60 });
};
"""


def test_launchdarkly_wait_for_initialization_in_seconds():
    found = _found("utils/featureFlags.ts", LAUNCHDARKLY)
    assert found[(5, "timeout")] == 60000
    assert (5, "timeout") not in _found("utils/store.ts", NOT_LAUNCHDARKLY)


UPTIME_PROXY = """const defaultTimeout = 5000

const fetchTimeout = (url, ms, options = {}) => {
  const controller = new AbortController()
  const promise = fetch(url, { signal: controller.signal, ...options })
  const timeout = setTimeout(() => controller.abort(), ms)
  return promise.finally(() => clearTimeout(timeout))
}

async function getStatus(monitor) {
  const response = await fetchTimeout(monitor.target, monitor.timeout || defaultTimeout, { method: 'GET' })
  return response
}

module.exports = { getStatus }
"""


def test_a_resolved_named_fallback_keeps_the_file_publishing():
    """`monitor.timeout || defaultTimeout` settled to 5000 beside a forwarding helper (UptimeFlare's proxy):
    the named-fallback rule applies only to an unresolved bound; the forwarder stays a forwarder."""
    result = JavascriptExtractor().extract("proxy/api/index.js", UPTIME_PROXY.encode())
    assert result.errors == ()
    assert "fetchTimeout.$timeout_param:1" in result.symbols
    assert any(k.startswith("$forwarder:5:") for k in result.symbols)
