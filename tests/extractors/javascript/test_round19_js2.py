"""Round 19 (js2): shapes met on unseen TypeScript services (the SST Console backend, PowerSync's replication
modules, Firecrawl's API, Pimlico's Alto bundler): serverless construct props of AWS CDK / SST, a shared AWS
SDK retry strategy handed to many clients by name."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str, detector: str | None = None):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)
            and (detector is None or f.detector == detector)}


INFRA = "javascript.infra_constructs"


# ------------------------------------------------------------------ SST / CDK construct props

SST_STACK = """import { EventBus, Queue, Cron, StackContext } from "sst/constructs";
import { Duration } from "aws-cdk-lib/core";

export function Events({ stack }: StackContext) {
  const bus = new EventBus(stack, "bus", {
    defaults: {
      retries: 20,
    },
  });
  bus.subscribe("workspace.created", {
    handler: "packages/functions/src/events/workspace-created.handler",
    timeout: "5 minute",
  });
  bus.subscribe(
    "log.search.created",
    {
      handler: "packages/functions/src/events/log-scan-created.handler",
      timeout: 30,
    },
    {
      retries: 0,
    },
  );
  const queue = new Queue(stack, "UsageQueue", {
    cdk: {
      queue: {
        visibilityTimeout: Duration.seconds(180),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      },
    },
    consumer: {
      function: {
        handler: "packages/functions/src/events/fetch-usage.handler",
        timeout: "3 minutes",
      },
    },
  });
  // timeout: "9 minute" in a comment is nothing
  const label = "timeout: 10 minutes";
  const notADuration = { timeout: someValue, retries: maxRetries };
  return bus;
}
"""


def test_sst_construct_props():
    found = _found("stacks/events.ts", SST_STACK)
    assert found[(7, "retry")] == 21          # EventBus defaults.retries: 20 -> 21 deliveries
    assert found[(12, "timeout")] == 300000   # "5 minute"
    assert found[(18, "timeout")] == 30000    # a bare number beside `handler`: SST's seconds
    assert found[(21, "retry")] == 1          # retries: 0
    assert found[(27, "timeout")] == 180000   # visibilityTimeout: Duration.seconds(180)
    assert found[(28, "retry")] == 5          # deadLetterQueue maxReceiveCount
    assert found[(34, "timeout")] == 180000   # consumer function "3 minutes"
    # the comment, the string, and names that are no duration / count: nothing of this detector
    assert not {k for k in _found("stacks/events.ts", SST_STACK, INFRA) if k[0] >= 37}


CDK_STACK = """import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as targets from 'aws-cdk-lib/aws-events-targets';

export class ApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const fn = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      timeout: cdk.Duration.minutes(2),
      retryAttempts: 0,
    });
    rule.addTarget(new targets.LambdaFunction(fn, {
      retryAttempts: 2,
    }));
  }
}
"""


def test_cdk_construct_props():
    found = _found("lib/api-stack.ts", CDK_STACK)
    assert found[(11, "timeout")] == 120000
    assert found[(12, "retry")] == 1
    assert found[(15, "retry")] == 3


NOT_INFRA = """import axios from 'axios';

export const jobs = [{ handler: 'x', timeout: 30 }, { handler: 'y', timeout: "5 minute", retries: 2 }];
"""


def test_no_construct_import_no_finding():
    assert _found("src/jobs.ts", NOT_INFRA, INFRA) == {}


# --------------------------------------------------- a shared AWS SDK retry strategy handed by name

AWS_STRATEGY = """import { StandardRetryStrategy } from "@aws-sdk/middleware-retry";

export const RETRY_STRATEGY = new StandardRetryStrategy(async () => 10000, {
  retryDecider: (e: any) => e.name === "ThrottlingException",
});
"""

AWS_CLIENTS = """import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { RETRY_STRATEGY } from "../util/aws";

export async function invoke(credentials: any, region: string) {
  const lambda = new LambdaClient({ credentials, region, retryStrategy: RETRY_STRATEGY });
  const s3 = new S3Client({
    credentials,
    retryStrategy: RETRY_STRATEGY,
  });
  return [lambda, s3];
}
"""

IOREDIS_STRATEGY = """import Redis from "ioredis";
import { reconnect } from "./strategies";

const client = new Redis({ host: "redis", retryStrategy: reconnect });
"""


def test_strategy_counted_where_made_not_at_each_client():
    assert _found("packages/core/src/util/aws.ts", AWS_STRATEGY) == {(3, "retry"): 10000}
    assert not {k for k in _found("packages/core/src/lambda.ts", AWS_CLIENTS) if k[1] == "retry"}


def test_ioredis_strategy_by_name_still_a_reconnect():
    found = _found("src/redis.ts", IOREDIS_STRATEGY)
    assert (4, "retry") in found and found[(4, "retry")] is None


# ------------------------------------------- a countdown retry helper with a defaulted options member

RETRIED_QUERY = """import * as mysqlPromise from 'mysql2/promise';

export async function retriedQuery(options: { connection: any; query: string; retries?: number }) {
  const { connection, query, retries = 2 } = options;
  for (let tries = retries; ; tries--) {
    try {
      return await connection.query(query);
    } catch (e) {
      if (tries == 1) {
        throw e;
      }
    }
  }
}
"""

RETRIED_QUERY_USE = """import * as mysql_utils from './utils';

export async function columns(connection: any) {
  const [all] = await mysql_utils.retriedQuery({
    connection,
    query: 'SELECT 1'
  });
  const [other] = await mysql_utils.retriedQuery({ connection, query: 'SELECT 2', retries: 5 });
  // a loop counting down that is no retry: nothing for its callers
  for (let left = pending; left > 0; left--) {
    console.log(left);
  }
  return [all, other];
}
"""


def _scan(root, files):
    from pathlib import Path

    from contract_discovery.pipeline import scan

    for name, text in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(Path(root)).findings if f.kind in ("timeout", "retry")}


def test_countdown_helper_rule_a_b_c(tmp_path):
    found = _scan(tmp_path, {"src/utils.ts": RETRIED_QUERY, "src/use.ts": RETRIED_QUERY_USE})
    assert found[("src/utils.ts", 5, "retry")] == 2      # rule a: the loop, with the default
    assert found[("src/use.ts", 4, "retry")] == 2        # rule b: a call leaving retries out
    assert found[("src/use.ts", 8, "retry")] == 5        # rule c: a call passing 5
    assert not {k for k in found if k[0] == "src/use.ts" and k[1] >= 9}


def test_countdown_bound_expression():
    from extractors import treesitter as ts
    from extractors.javascript.context import FileContext
    from extractors.javascript.detectors.loop_bound_js2 import loop_bound_expression

    source = """async function a(retries) { for (let tries = retries; ; tries--) { try { return await f() } catch (e) { if (tries === 1) throw e } } }
async function b(retries) { for (let n = retries; n > 0; n--) { try { return await f() } catch (e) {} } }
async function c(retries) { for (let n = retries; ; n--) { try { return await f() } catch (e) { if (n == 0) throw e } } }
async function d(retries) { for (let n = retries; ; n--) { try { return await f() } catch (e) { log(n) } } }
"""
    ctx = FileContext.build("src/x.ts", source.encode(), calls=True)
    loops = [n for n in ts.walk(ctx.tree.root_node) if n.type == "for_statement"]
    assert [loop_bound_expression(loop) for loop in loops] == ["retries", "retries", "retries + 1", None]


# ------------------------------------------------ a counted loop around one try that breaks when done

COUNTED_TRY = """import { Storage } from "@google-cloud/storage";

export async function saveIndex(blob: any, doc: any) {
  for (let i = 0; i < 3; i++) {
    try {
      await blob.save(JSON.stringify(doc));
      break;
    } catch (error) {
      if (i === 2) {
        throw error;
      } else {
        logger.error("Error saving index document to GCS, retrying", { error });
      }
    }
  }
}

export async function logJob(row: any) {
  let i = 0,
    done = false;
  while (i++ <= 10) {
    try {
      const { error } = await supabase.from("jobs").insert([row]);
      if (error) {
        await new Promise<void>((resolve) => setTimeout(() => resolve(), 75));
      } else {
        done = true;
        break;
      }
    } catch (error) {
      await new Promise<void>((resolve) => setTimeout(() => resolve(), 75));
    }
  }
}

export async function sendAll(urls: string[]) {
  for (let i = 0; i < 3; i++) {
    try {
      await fetch(urls[i]);
      break;
    } catch (error) {
      logger.warn("next mirror");
    }
  }
}

export async function pollDone(job: any) {
  for (let i = 0; i < 5; i++) {
    try {
      await sleep(1000);
      const state = await job.getState();
      if (state === "done") return state;
    } catch (error) {
      logger.warn("poll failed");
    }
  }
}

export async function gaveUp(client: any) {
  for (let i = 0; i < 4; i++) {
    try {
      await client.ping();
      break;
    } catch (error) {
      throw error;
    }
  }
}
"""


def test_counted_try_until_done():
    found = {k: v for k, v in _found("src/services/index.ts", COUNTED_TRY).items() if k[1] == "retry"}
    assert found.get((4, "retry")) == 3        # for i < 3, rethrown at the last try
    assert found.get((21, "retry")) == 11      # while (i++ <= 10): 0..10
    assert (38, "retry") not in found          # urls[i]: each mirror once, a walk
    assert (49, "retry") not in found          # waits before its call: a poll
    assert (61, "retry") not in found          # the catch always gives up: one try


# ---------------------------------------------------------- bounded waits written as one call

CALL_WAITS = """import { Job, QueueEvents } from "bullmq";

export async function waitForJob(job: Job, events: QueueEvents, timeout: number | null) {
  const doc = await job.waitUntilFinished(events, timeout ?? 180000);
  const other = await job.waitUntilFinished(events);
  return [doc, other];
}

export function listen(connection: any) {
  const socket = connection._socket!;
  socket.setTimeout(60_000, () => {
    socket.destroy(new Error("Replication connection timeout."));
  });
  const timer = setTimeout(() => flush(), 5000);
  socket.setTimeout(30_000, () => logger.info("idle"));
}
"""


def test_call_waits():
    found = _found("src/queue-jobs.ts", CALL_WAITS, "javascript.deadline")
    assert found.get((4, "timeout")) == 180000   # waitUntilFinished(events, timeout ?? 180000)
    assert (5, "timeout") not in found           # no ttl: no bound
    assert found.get((11, "timeout")) == 60000   # socket idle timeout ending the connection
    assert (14, "timeout") not in found          # a timer, not a socket
    assert (15, "timeout") not in found          # a callback that only logs: nothing ends


# ------------------------------------- a driver config filled field by field, then handed to the pool

ASSIGNED_CONNECT = """import parse from 'connection-string';
import mysql from 'mysql';

const hubConfig = parse(process.env.HUB_DATABASE_URL);
hubConfig.connectionLimit = 25;
hubConfig.connectTimeout = 60e3;
const hubDB = mysql.createPool(hubConfig);

export function parseParams(url: string) {
  const parsed = new URL(url);
  const params = Object.create(null);
  params.connectTimeout = Number(parsed.searchParams.get('connectTimeout'));
  return params;
}

const other = parse(process.env.OTHER_URL);
other.connectTimeout = 5000;
export default { hubDB, other };
"""


def test_assigned_connect_handed_to_pool():
    found = _found("src/helpers/mysql.ts", ASSIGNED_CONNECT)
    assert found.get((6, "timeout")) == 60000
    assert (12, "timeout") not in found    # a parser's field, handed to no pool here
    assert (17, "timeout") not in found    # handed to nothing


# ------------------------------------------- a fetch aborted by a promise timer from timers/promises

PROMISE_TIMER = """import { setTimeout as delay } from 'timers/promises';

export class ApiClient {
  async b(url: string) {
    const timeout = new AbortController();
    const timeoutPromise = delay(30_000, undefined, {
      signal: timeout.signal
    }).then(() => {
      timeout.abort(new Error(`timed out`));
    });
    const signals = [timeout.signal];
    const signal = AbortSignal.any(signals);
    return fetch(url, { signal });
  }
  async c(url: string) {
    const ac = new AbortController();
    const timer = delay(7000).then(() => logger.info("slow"));
    return fetch(url, { signal: ac.signal });
  }
}
"""


def test_promise_timer_abort():
    found = _found("src/client.ts", PROMISE_TIMER)
    assert found.get((13, "timeout")) == 30000
    assert (18, "timeout") not in found     # the timer aborts nothing


ADAPTER = """import * as mysql_utils from './utils';

export class Adapter {
  protected async retriedQuery(options: { query: string }) {
    const connection = await this.pool.getConnection();
    return mysql_utils
      .retriedQuery({
        connection: connection,
        query: options.query
      })
      .finally(() => connection.release());
  }
  protected async awaited(connection: any) {
    await mysql_utils.retriedQuery({ connection, query: 'SELECT 3' }).then((r) => r[0]);
    const kept = mysql_utils.retriedQuery({ connection, query: 'SELECT 4' }).then((r) => r[0]);
    return kept;
  }
}
"""


def test_helper_call_handed_on_through_a_promise_chain(tmp_path):
    found = _scan(tmp_path, {"src/utils.ts": RETRIED_QUERY, "src/adapter.ts": ADAPTER})
    assert found[("src/adapter.ts", 7, "retry")] == 2    # returned through .finally()
    assert found[("src/adapter.ts", 14, "retry")] == 2   # awaited at the end of .then()
    assert ("src/adapter.ts", 15, "retry") not in found  # a kept promise: counted where it is awaited
