"""Round 19 (js4, second-wave fixes): client options, infrastructure, polls of the round-19 measure-only TypeScript sets
(akash-console, akash-console-api, akash-console-indexer, passport, shelf)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.javascript.conftest import extract_text


def _found(source: str, path: str = "example.ts"):
    return {(f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
            for f in extract_text(source, path).findings if f.kind in ("timeout", "retry")
            and f.detector != "javascript.wrapper_call"}


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"name": "svc"}')
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


# ------------------------------------------------ an injected axios instance typed `HttpClient`

HTTP_SERVICE = """import type { HttpClient } from "../utils/httpClient";

export class LeaseHttpService {
  constructor(private readonly httpClient: HttpClient) {}

  public async list(owner: string) {
    return await this.httpClient.get("/leases/list", {
      params: { owner },
      timeout: 30000
    });
  }

  public async get(id: string) {
    // the word timeout in a comment: { timeout: 5 }
    return await this.httpClient.get(`/leases/${id}`);
  }
}
"""


def test_http_client_typed_field_per_request_timeout():
    assert _found(HTTP_SERVICE) == {(7, "timeout", 30000)}
    # (a relative import is resolved against the file's own folder)
    assert _found(HTTP_SERVICE, "packages/http-sdk/src/lease/lease-http.service.ts") == {(7, "timeout", 30000)}


def test_http_client_private_field_assigned_in_constructor():
    source = """import type { HttpClient } from "@acme/http-sdk";

export class ProxyService {
  readonly #httpClient: HttpClient;

  constructor(httpClient: HttpClient) {
    this.#httpClient = httpClient;
  }

  async request(url: string) {
    return this.#httpClient.post("/", { url }, { timeout: 60000 });
  }
}
"""
    assert _found(source) == {(11, "timeout", 60000)}


def test_http_client_untyped_constructor_parameter_named_so():
    source = """class Api {
  constructor(httpClient) {
    this.httpClient = httpClient;
  }
  fetch(id) {
    return this.httpClient.get('/items/' + id, { timeout: 2500 });
  }
}
module.exports = Api;
"""
    assert _found(source, "api.js") == {(6, "timeout", 2500)}


def test_angular_http_client_and_other_types_are_not_axios():
    angular = """import { HttpClient } from "@angular/common/http";

export class ItemsService {
  constructor(private http: HttpClient) {}
  load() { return this.http.get("/items", { timeout: 5000 } as any); }
}
"""
    other = """import type { Cache } from "./cache";

export class ItemsService {
  constructor(private readonly httpClient: Cache) {}
  load() { return this.httpClient.get("/items", { timeout: 5000 }); }
}
"""
    assert _found(angular) == set()
    assert _found(other) == set()


# ------------------------------------------------ an injected Stripe client: per-request options

STRIPE = """import Stripe from "stripe";
import { inject, singleton } from "tsyringe";

@singleton()
export class PaymentMethodService {
  constructor(@inject(STRIPE_CLIENT) private readonly stripe: Stripe) {}

  async heal(id: string) {
    const remote = await this.stripe.paymentMethods.retrieve(id, undefined, { timeout: 3_000 });
    const other = await this.stripe.paymentMethods.retrieve(id);
    return [remote, other];
  }
}
"""


def test_stripe_client_typed_parameter_request_options():
    assert _found(STRIPE) == {(9, "timeout", 3000)}


def test_stripe_type_from_another_package_is_not_stripe():
    source = STRIPE.replace('import Stripe from "stripe";', 'import type { Stripe } from "./fake";')
    assert _found(source) == set()


# ------------------------------------------------ Pulumi AWS Lambda timeout, CosmJS broadcastTimeoutMs

PULUMI = """import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const fn = new aws.lambda.Function("auto-credits", {
  role: role.arn,
  handler: "index.handler",
  code: new pulumi.asset.FileArchive("dist"),
  timeout: 120,
  memorySize: 256,
});

const rule = new aws.cloudwatch.EventRule("schedule", {
  scheduleExpression: "rate(7 days)",
  timeout: 30,
});
"""


def test_pulumi_lambda_function_timeout_in_seconds():
    assert _found(PULUMI, "infra/lib/service.ts") == {(8, "timeout", 120000)}


def test_pulumi_word_without_import_is_nothing():
    source = PULUMI.replace('import * as aws from "@pulumi/aws";', 'import * as aws from "./aws";')
    assert _found(source, "infra/lib/service.ts") == set()


COSMJS = """import { SigningStargateClient } from "@cosmjs/stargate";

export async function connect(endpoint: string, wallet: any) {
  const client = await SigningStargateClient.connectWithSigner(endpoint, wallet, {
    registry,
    broadcastTimeoutMs: 30_000,
    broadcastPollIntervalMs: 3_000
  });
  const options = { broadcastTimeoutMs: 5 };
  log(options);
  return client;
}
"""


def test_cosmjs_signing_client_broadcast_timeout():
    assert _found(COSMJS) == {(6, "timeout", 30000)}


# ------------------------------------------------ false positives: polls, a second call under one signal

POLLS = """import { ConstantBackoff, handleAll, handleWhenResult, retry, timeout, TimeoutStrategy, wrap } from "cockatiel";

export class Wallets {
  private readonly verify = retry(
    handleWhenResult(res => !res),
    { maxAttempts: 2, backoff: new ConstantBackoff(0) }
  );

  private readonly resolver = wrap(
    timeout(60_000, TimeoutStrategy.Aggressive),
    retry(
      handleWhenResult(result => !TERMINAL_STATUSES.has((result as Tx).status)),
      { maxAttempts: Infinity, backoff: new ConstantBackoff(500) }
    )
  );

  private readonly failed = retry(
    handleWhenResult(res => !res.ok),
    { maxAttempts: 3 }
  );

  private readonly errors = retry(handleAll, { maxAttempts: 5 });
}
"""


def test_result_only_polls_are_no_retries():
    assert _found(POLLS) == {(17, "retry", 4), (22, "retry", 6)}


SIGNAL = """export async function fetchImage(url: string, timeoutMs = 10_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: "manual" });
    const buffer = await readBodyWithLimit(response, 1024, url, controller.signal);
    return buffer;
  } finally {
    clearTimeout(timer);
  }
}

async function readBodyWithLimit(response: Response, max: number, url: string, signal: AbortSignal) {
  return response.arrayBuffer();
}

export async function other(url: string) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 5000);
  return readBodyWithLimit(await getIt(url), 1, url, controller.signal);
}
"""


def test_body_read_under_the_fetch_signal_is_not_reported_twice():
    found = _found(SIGNAL)
    assert (5, "timeout", 10000) in found
    assert not any(line == 6 for line, _, _ in found)


# ------------------------------------------------ Connect-ES call options `{ timeoutMs }`

GRPC_HELPER = """import { createProviderSDK } from "@acme/chain-sdk";

export async function fetchStatusFromGRPC(hostUri: string, timeout: number) {
  return await queryStatus(hostUri, timeout);
}

async function queryStatus(hostUri: string, timeoutMs: number) {
  return await getSDK(hostUri).akash.provider.v1.getStatus({}, { timeoutMs });
}

export async function fixed(client: any) {
  const a = await client.say({ sentence: "hi" }, { timeoutMs: 5000, signal: undefined });
  const b = await client.other({ sentence: "hi" }, { timeoutMs: 5000, retries: 3 });
  return [a, b];
}

const getSDK = (hostUri: string) => createProviderSDK({ baseUrl: hostUri });
"""


def test_connect_call_options_timeout_ms():
    # (line 8: the helper's parameter, a forwarder the pipeline drops; line 13: not only Connect's keys)
    assert _found(GRPC_HELPER) == {(8, "timeout", None), (12, "timeout", 5000)}


def test_connect_call_options_forwarded_to_callers(tmp_path):
    caller = """import { fetchStatusFromGRPC } from "./grpc";
const StatusCallTimeout = 10_000;
export async function check(provider: any) {
  return await fetchStatusFromGRPC(provider.hostUri, StatusCallTimeout);
}
"""
    found = _scan(tmp_path, {"src/grpc.ts": GRPC_HELPER, "src/check.ts": caller})
    assert ("check.ts", 4, "timeout", 10000) in found
    assert not any(f[0] == "grpc.ts" and f[1] == 8 for f in found)  # a forwarder without a default


VALUE_BACKOFF = """import { backOff } from "exponential-backoff";

export const MESSAGE = "Received empty value";

export function valueBackoff<T>(request: () => Promise<T>, options = {}) {
  return backOff(
    async () => {
      const result = await request();
      if (result === undefined || result === null) {
        throw new Error("Received empty value");
      }
      return result;
    },
    { ...options, retry: isInternalError }
  );
}

export function failedBackoff<T>(request: () => Promise<T>) {
  return backOff(
    async () => {
      const result: any = await request();
      if (result.status >= 500) {
        throw new Error(MESSAGE);
      }
      return result;
    },
    { retry: isInternalError }
  );
}

export function anyErrorBackoff<T>(request: () => Promise<T>) {
  return backOff(async () => {
    const result = await request();
    if (result === undefined) throw new Error(MESSAGE);
    return result;
  }, { retry: (e: any) => e.message === MESSAGE || e.code === "ECONNRESET" });
}

function isInternalError(error: unknown) {
  return error instanceof Error && error.message === MESSAGE;
}
"""


def test_backoff_waiting_for_a_value_is_no_retry():
    # (a poll for an empty answer is dropped; a failed status or other errors retried stay retries)
    assert _found(VALUE_BACKOFF) == {(19, "retry", 10), (32, "retry", 10)}


def test_project_http_client_class_constructed_here_is_not_axios():
    source = """import { HttpClient } from './http-client';

export class HttpAdapter {
  private readonly httpClient: HttpClient;

  constructor(config: any = {}) {
    this.httpClient = new HttpClient({ headers: config.defaultHeaders });
  }

  async poll(url: string, maxAttempts: number) {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const response = await this.httpClient.get(url, { timeout: 5000 });
      if (response.done) return response;
    }
  }
}
"""
    assert _found(source, "src/adapters/http-adapter.ts") == set()
