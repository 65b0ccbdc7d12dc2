"""Round 22 (TypeScript, js2; a round-21 request): `maxRetriesPerRequest` written next to `connection:` in
BullMQ's queue options is no ioredis setting (BullMQ does not read it: grist's GristJobs.getQueueOptions);
the same key in the IORedis constructor's options still is."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor

SOURCE = """import IORedis from 'ioredis';
import { Queue } from 'bullmq';
export class Jobs {
  constructor(private _connection: IORedis) {}
  public getQueueOptions() {
    return {
      connection: this._connection,
      maxRetriesPerRequest: null,
    };
  }
}
export const conn = new IORedis(process.env.REDIS_URL!, {
  maxRetriesPerRequest: 3,
});
export const queue = new Queue('docs', { connection: conn });
"""


def test_the_key_beside_a_bullmq_connection_is_no_retry_and_the_ioredis_one_is():
    result = JavascriptExtractor().extract("app/server/lib/GristJobs.ts", SOURCE.encode())
    retries = {f.line: f.attributes.get("max_attempts") for f in result.findings if f.kind == "retry"
               and not any(p.attribute == "$keep_if" for p in f.pending)}
    assert 8 not in retries
    assert retries.get(13) == 4


TERMINUS = """import { createTerminus } from '@godaddy/terminus';
import axios from 'axios';
createTerminus(server, {
  healthChecks: { '/health': async () => undefined },
  timeout: 10000,
  onShutdown: async () => undefined,
});
export const client = axios.create({ timeout: 10000 });
"""


def test_terminus_shutdown_grace_is_no_call_timeout():
    result = JavascriptExtractor().extract("apps/api/index.ts", TERMINUS.encode())
    timeouts = {f.line for f in result.findings if f.kind == "timeout"
                and not any(p.attribute == "$keep_if" for p in f.pending)}
    assert 5 not in timeouts and 3 not in timeouts
    assert 8 in timeouts
