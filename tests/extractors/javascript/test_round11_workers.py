"""Round 11 (queue workers and serverless backends): rules found on unseen JS/TS services
(UptimeFlare on Cloudflare Workers, Papermark's trigger.dev tasks, GOV.UK One Login's mobile ID
check Lambdas, Formbricks' BullMQ runtime)."""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}  # (another file's helper: a proposal)


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


FETCH_TIMEOUT = """export const fetchTimeout = (url: string, ms: number, options: RequestInit = {}): Promise<Response> => {
  const controller = new AbortController()
  const promise = fetch(url, { signal: controller.signal, ...options })
  const timeout = setTimeout(() => controller.abort(), ms)
  return promise.finally(() => clearTimeout(timeout))
}

export function withTimeout<T>(millis: number, promise: Promise<T>): Promise<T> {
  const timeout = new Promise<T>((resolve, reject) =>
    setTimeout(() => reject(new Error(`Promise timed out after ${millis}ms`)), millis)
  )
  return Promise.race([promise, timeout])
}
"""

MONITOR = """import { fetchTimeout, withTimeout } from './util'

export async function check(monitor: any, webhook: any, socket: any) {
  await fetchTimeout('https://api.example.com/v1/measurements', 5000)
  await fetchTimeout(monitor.target, monitor.timeout || 10000, { method: 'GET' })
  await fetchTimeout(webhook.url, webhook.timeout ?? 5000)
  await withTimeout(monitor.timeout || 10000, socket.opened)
  // ok: a flag's fallback is no bound
  await fetchTimeout(webhook.url, webhook.enabled || false)
  // ok: the word timeout in a comment, monitor.timeout || 10000
  const label = 'timeout: monitor.timeout || 10000'
  return label
}
"""


def test_helper_argument_with_a_record_members_fallback(tmp_path):
    """`fetchTimeout(url, monitor.timeout || 10000)`: the fallback is what the call hands the helper
    unless the record says otherwise (rule c, valued as the fallback)."""
    _write(tmp_path, {"package.json": '{"name": "w"}', "src/util.ts": FETCH_TIMEOUT, "src/monitor.ts": MONITOR})
    found = _scan(tmp_path)
    assert found[("src/monitor.ts", 4, "timeout")] == 5000
    assert found[("src/monitor.ts", 5, "timeout")] == 10000
    assert found[("src/monitor.ts", 6, "timeout")] == 5000
    assert found[("src/monitor.ts", 7, "timeout")] == 10000
    assert not any(line in (9, 10, 11) and path == "src/monitor.ts" for path, line, _ in found)


TCP_PROBE = """const net = require('net')
const defaultTimeout = 5000

async function probe(monitor) {
  await new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: monitor.host, port: 22 })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`Timeout after ${monitor.timeout || defaultTimeout}ms`))
    }, monitor.timeout || defaultTimeout)
    socket.on('connect', () => {
      clearTimeout(timer)
      resolve(null)
    })
  })
}

async function pause() {
  // ok: a timer rejecting a promise that waits on nothing sent out
  await new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('late')), 1000)
  })
}
module.exports = { probe, pause }
"""


def test_a_timer_giving_up_on_net_create_connection():
    found = _found("proxy/api/index.js", TCP_PROBE)
    assert found[(7, "timeout")] == 5000
    assert (20, "timeout") not in found


TRIGGER = """import { logger, retry, task } from "@trigger.dev/sdk/v3";

export const convert = task({
  id: "convert",
  retry: { maxAttempts: 3 },
  run: async (payload: { url: string }) => {
    const res = await retry.fetch(
      `${process.env.CONVERT_API_URL}`,
      {
        method: "POST",
        retry: {
          byStatus: {
            "500-599": { strategy: "backoff", maxAttempts: 3, factor: 2, minTimeoutInMs: 1_000 },
          },
          connectionError: { maxAttempts: 2 },
        },
      },
    );
    const again = await retry.onThrow(async () => fetch(payload.url), { maxAttempts: 4 });
    // ok: retry.fetch without a retry option re-sends nothing
    const once = await retry.fetch(payload.url, { method: "GET" });
    // ok: a variable named retry
    const retryCount = 0;
    logger.info("done", { retryCount });
    return [res, again, once];
  },
});
"""


def test_trigger_dev_retry_fetch_and_on_throw():
    found = _found("lib/trigger/convert-files.ts", TRIGGER)
    assert found[(7, "retry")] == 3  # the largest maxAttempts of its policies
    assert found[(19, "retry")] == 4
    assert (21, "retry") not in found
    assert (23, "retry") not in found
    # the task's own `retry: { maxAttempts: 3 }` is a job policy, not read here
    assert (5, "retry") not in found


OTEL = """import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
const traceExporter = new OTLPTraceExporter({ url: process.env.OTEL_URL });
const sdk = new NodeSDK({
  spanProcessors: [
    new BatchSpanProcessor(traceExporter, {
      maxQueueSize: 2048,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30000,
    }),
  ],
});
sdk.start();
// ok: exportTimeoutMillis in a comment
const note = { text: "exportTimeoutMillis" };
"""


def test_opentelemetry_export_timeout():
    found = _found("instrumentation-node.ts", OTEL)
    assert found[(10, "timeout")] == 30000
    assert (9, "timeout") not in found  # the export schedule is no bound
    assert (16, "timeout") not in found


SEND = """const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_DELAY_IN_MILLIS = 100;

export const sendHttpRequest = async (httpRequest: HttpRequest, retryConfig?: RetryConfig) => {
  const { url, method } = httpRequest;
  let attempt = 0;
  async function request(): Promise<Response | undefined> {
    attempt++;
    const maxAttempts = retryConfig?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const delayInMillis = retryConfig?.delayInMillis ?? DEFAULT_DELAY_IN_MILLIS;
    try {
      const response = await fetch(url, { method });
      if (response.status >= 500 && attempt < maxAttempts) {
        return retryWithBackoff(request, attempt, delayInMillis);
      }
      return response;
    } catch (error) {
      if (attempt < maxAttempts) {
        return retryWithBackoff(request, attempt, delayInMillis);
      }
      return undefined;
    }
  }
  return await request();
};

async function retryWithBackoff(request: () => Promise<Response | undefined>, attempt: number, base: number) {
  await new Promise((resolve) => setTimeout(resolve, Math.pow(2, attempt - 1) * base));
  return await request();
}

export type RetryConfig = { maxAttempts?: number; delayInMillis?: number };
export type HttpRequest = { url: string; method: string };
"""

CALLERS = """import { sendHttpRequest as sendHttpRequestDefault } from "./sendHttpRequest";
import { sendHttpRequest } from "./sendHttpRequest";

export const getToken = async (url: string, send = sendHttpRequestDefault) => {
  const retryConfig = { retryableStatusCodes: [429, 500] };
  return await send({ url, method: "POST" }, retryConfig);
};

export async function getSession(url: string) {
  return await sendHttpRequest({ url, method: "GET" }, { maxAttempts: 5 });
}

export async function getKeys(url: string) {
  return await sendHttpRequest({ url, method: "GET" });
}
"""

NOT_A_RETRY = """function log(fn: () => void) { fn(); }

export async function walk(items: string[]) {
  let index = 0;
  async function next(): Promise<void> {
    index++;
    await fetch(items[index]);
    // ok: handing itself to a logger is no retry (no count guards it)
    log(next);
  }
  await next();
}
"""


def test_a_function_re_run_through_a_backoff_helper_it_hands_itself_to(tmp_path):
    """`return retryWithBackoff(request, attempt, delay)` while `attempt < maxAttempts`: each run of
    `request` is an attempt (rule a on the re-run, 3 from the options member's fallback); the catch's
    re-run is the same retry, not a second one; calls leaving maxAttempts out get 3 (rule b), also
    through a parameter defaulting to the imported helper, and a call passing 5 gets 5 (rule c)."""
    found = _found("src/sendHttpRequest.ts", SEND)
    assert found[(14, "retry")] == 3
    assert [key for key in found if key[1] == "retry"] == [(14, "retry")]
    assert not any(kind == "retry" for _line, kind in _found("src/walk.ts", NOT_A_RETRY))
    _write(tmp_path, {"package.json": '{"name": "w"}', "src/sendHttpRequest.ts": SEND, "src/callers.ts": CALLERS})
    scanned = _scan(tmp_path)
    assert scanned[("src/sendHttpRequest.ts", 14, "retry")] == 3
    assert scanned[("src/callers.ts", 6, "retry")] == 3
    assert scanned[("src/callers.ts", 10, "retry")] == 5
    assert scanned[("src/callers.ts", 14, "retry")] == 3


AI_OBJECT = """import { Output, generateText } from "ai";
import { getAiModel } from "./provider";

export const generateObject = async <T = unknown>(options: any, environment?: any) => {
  const { schema, schemaName, ...textOptions } = options;
  const request = {
    ...textOptions,
    model: getAiModel(environment),
    output: Output.object<T>({ schema, name: schemaName }),
  } as Parameters<typeof generateText>[0];
  const result = await generateText(request);
  return result;
};
"""

AI_SERVICE = """import { generateObject } from "@acme/ai";

export const generateOrganizationAIObject = async ({ organizationId, ...options }: any) => {
  const env = await loadEnv(organizationId);
  try {
    return await generateObject(options, env);
  } catch (error) {
    console.error(error);
    throw error;
  }
};

export const describe = async (organizationId: string, input: any) => {
  // ok: an input object handed on is no options object of a model call
  return await generateObject({ schema: input.schema, prompt: input.text }, organizationId);
};
async function loadEnv(id: string) { return { id }; }
"""

AI_CALLER = """import { generateOrganizationAIObject } from "../lib/ai/service";

const AI_TRANSLATION_TIMEOUT_MS = 45_000;

export async function translate(organizationId: string, prompt: string) {
  const result = await generateOrganizationAIObject({
    organizationId,
    prompt,
    temperature: 0,
    timeout: AI_TRANSLATION_TIMEOUT_MS,
  });
  // ok: a call without a timeout of its own sets none (the AI SDK's default)
  const other = await generateOrganizationAIObject({ organizationId, prompt });
  return [result, other];
}
"""


def test_ai_sdk_options_handed_through_two_project_helpers(tmp_path):
    """`generateOrganizationAIObject({ ..., timeout })` -> `({ organizationId, ...options }) =>
    generateObject(options, env)` (a workspace package) -> `generateText({ ...textOptions, model })`:
    the caller's timeout reaches the AI SDK's call (rule c, on the call)."""
    _write(tmp_path, {
        "package.json": '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}',
        "packages/ai/package.json": '{"name": "@acme/ai", "main": "src/index.ts", "dependencies": {"ai": "5.0.0"}}',
        "packages/ai/src/index.ts": 'export { generateObject } from "./object";\n',
        "packages/ai/src/object.ts": AI_OBJECT,
        "apps/web/package.json": '{"name": "@acme/web", "dependencies": {"@acme/ai": "workspace:*"}}',
        "apps/web/lib/ai/service.ts": AI_SERVICE,
        "apps/web/modules/translate.ts": AI_CALLER,
    })
    found = _scan(tmp_path)
    assert found[("apps/web/modules/translate.ts", 6, "timeout")] == 45000
    assert ("apps/web/modules/translate.ts", 13, "timeout") not in found
    assert not any(path == "apps/web/lib/ai/service.ts" for path, _line, _kind in found)
    assert not any(path == "packages/ai/src/object.ts" for path, _line, _kind in found)


SAME_FILE_FALLBACK = """const fetchTimeout = (url: string, ms: number, { signal, ...options }: RequestInit = {}): Promise<Response> => {
  const controller = new AbortController()
  const promise = fetch(url, { signal: controller.signal, ...options })
  const timeout = setTimeout(() => controller.abort(), ms)
  return promise.finally(() => clearTimeout(timeout))
}

async function notify(webhook: any, body: string) {
  try {
    const resp = await fetchTimeout(webhook.url, webhook.timeout ?? 5000, { method: 'POST', body })
    return resp.ok
  } catch (e) {
    console.log('Error calling webhook server: ' + e)
  }
}

async function relay(target: any) {
  // ok: the caller's own setting handed on without a fallback is a forwarder (its callers hold it)
  return await fetchTimeout(target.url, target.timeout)
}

export { fetchTimeout, notify, relay }
"""


def test_a_member_with_a_fallback_handed_to_a_helper_of_the_same_file_is_no_forwarder(tmp_path):
    """`fetchTimeout(webhook.url, webhook.timeout ?? 5000)` inside `notify(webhook)`: the fallback is
    notify's own default (rule a, 5000 on the call), not a setting forwarded for notify's callers."""
    _write(tmp_path, {"package.json": '{"name": "w"}', "src/util.ts": SAME_FILE_FALLBACK})
    found = _scan(tmp_path)
    assert found[("src/util.ts", 10, "timeout")] == 5000
    assert ("src/util.ts", 19, "timeout") not in found
