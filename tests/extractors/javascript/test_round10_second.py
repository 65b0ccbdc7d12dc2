"""Round 10, second wave of the held-out measurement: rules found on unseen JS/TS services
(cnpmcore on Egg/tegg with urllib, the Gladys Plus gateway, Ghost's ActivityPub service)."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind, f.detector): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
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


URLLIB = """import { HttpClient, Inject } from 'egg';
export class Registry {
  @Inject() private readonly httpClient: HttpClient;
  private timeout = 10_000;
  async get(url: string) {
    return await this.httpClient.request(url, {
      retry: 3,
      timeout: this.timeout,
      followRedirect: true,
    });
  }
  async list(url: string) {
    const { data } = await this.httpClient.request(url, { timeout: [3000, 30000], dataType: 'json' });
    return data;
  }
  async hook(url: string) {
    return await this.httpClient.request(url, { method: 'POST', data: '{}' });
  }
}
"""


def test_egg_and_urllib_http_client_options():
    found = _found("app/common/Registry.ts", URLLIB)
    # `retry: 3` is three retries after the first try; the class field is the timeout
    assert found[(6, "retry", "javascript.urllib")] == 4
    assert found[(6, "timeout", "javascript.urllib")] == 10000
    # `[connect, response]`: two phases
    result = JavascriptExtractor().extract("app/common/Registry.ts", URLLIB.encode())
    phases = {f.attributes["phase"]: f.attributes["timeout_ms"] for f in result.findings
              if f.kind == "timeout" and f.line == 13}
    assert phases == {"connect": 3000, "read": 30000}
    # no option: urllib's own default, not reported
    assert not any(line == 17 for line, _, _ in found)


def test_urllib_lookalikes_are_not_read():
    # Angular's HttpClient.request(method, url, options); a word in a string; no framework and no setting
    source = """import { HttpClient } from '@angular/common/http';
export class Api {
  constructor(private httpClient: HttpClient) {}
  load() { return this.httpClient.request('GET', '/api/x', { timeout: 5000 }); }
  other() { return this.httpClient.request('/api/y', { observe: 'body' }); }
}
const text = "httpClient.request(url, { timeout: 5000 })";
"""
    assert not [k for k in _found("src/api.ts", source) if k[2] == "javascript.urllib"]


def test_a_countdown_from_an_options_member_fallback_is_a_helper_default(tmp_path):
    _write(tmp_path, {
        "package.json": json.dumps({"name": "svc"}),
        "app/common/package.json": json.dumps({"name": "common", "eggModule": {"name": "common"}}),
        "app/core/package.json": json.dumps({"name": "core", "eggModule": {"name": "core"}}),
        "app/common/FileUtil.ts": """import { setTimeout } from 'node:timers/promises';
export async function downloadToTempfile(url: string, optionalConfig?: { retries?: number }) {
  let retries = optionalConfig?.retries || 3;
  let lastError: Error | undefined;
  while (retries > 0) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      lastError = err;
    }
    retries--;
    if (retries > 0) {
      await setTimeout(1000);
    }
  }
  throw lastError;
}
""",
        # a relative import into another tegg module's folder (its own package.json)
        "app/core/service/Sync.ts": """import { downloadToTempfile } from '../../common/FileUtil.ts';
export class Sync {
  async run(tarball: string, remoteAuthToken: string) {
    const a = await downloadToTempfile(tarball, { remoteAuthToken });
    const b = await downloadToTempfile(tarball);
    const c = await downloadToTempfile(tarball, { retries: 5 });
    return [a, b, c];
  }
}
""",
    })
    found = _scan(tmp_path)
    assert found[("app/common/FileUtil.ts", 5, "retry")] == 3  # rule (a)
    assert found[("app/core/service/Sync.ts", 4, "retry")] == 3  # rule (b): the object leaves it out
    assert found[("app/core/service/Sync.ts", 5, "retry")] == 3  # rule (b)
    assert found[("app/core/service/Sync.ts", 6, "retry")] == 5  # rule (c)


def test_a_countdown_from_a_local_constant_publishes_nothing():
    # the counter starts from a number of its own, not from an options member: no helper parameter
    source = """export async function send(url: string, options?: { retries?: number }) {
  let retries = 3;
  while (retries > 0) {
    try { return await fetch(url); } catch (err) { console.log(err); }
    retries--;
  }
}
"""
    result = JavascriptExtractor().extract("src/send.ts", source.encode())
    loop = [f for f in result.findings if f.kind == "retry"]
    assert loop and loop[0].attributes["max_attempts"] == 3
    assert "attempts_expression" not in loop[0].attributes


def test_a_catch_recording_the_failure_through_the_same_call_is_no_retry():
    source = """export class Syncer {
  async execute(task: Task) {
    try {
      const [hasError] = await this.syncDir(task);
      await this.taskService.finishTask(task, TaskState.Success, logs.join('\\n'));
      await this.adapter.finishFetch(!hasError, task.name);
    } catch (err) {
      await this.adapter.finishFetch(false, task.name);
      await this.taskService.finishTask(task, TaskState.Fail, logs.join('\\n'));
    }
  }
  async item(task: Task, url: string) {
    try {
      const { tmpfile } = await downloadToTempfile(this.httpClient, url);
      await this.save(tmpfile);
      await this.taskService.appendTaskLog(task, logs.join('\\n'));
      logs = [];
    } catch (err) {
      logs.push(`error ${err}`);
      await this.taskService.appendTaskLog(task, logs.join('\\n'));
      logs = [];
    }
  }
  async answer(message: Message, callback: (reply: unknown) => void) {
    try {
      const socket = await this.find(message.id);
      if (!socket) {
        return callback(notFound.jsonError());
      }
      return callback(await this.ask(socket, message));
    } catch (e) {
      return callback(notFound.jsonError());
    }
  }
}
"""
    assert not [k for k in _found("src/syncer.ts", source) if k[1] == "retry"]


def test_a_catch_sending_the_same_request_again_is_still_a_retry():
    # the trap: the catch repeats the try's first (and only) remote call with the same arguments
    source = """export async function score(order: Order) {
  try {
    return await this.riskClient.score(order.id, false);
  } catch (err) {
    return await this.riskClient.score(order.id, false);
  }
}
"""
    assert [k for k in _found("src/score.ts", source) if k[1] == "retry"]


def test_socket_io_adapter_requests_timeout():
    source = """const { createAdapter } = require('@socket.io/redis-adapter');
io.adapter(createAdapter(redisClient, subClient, { requestsTimeout: 15000 }));
io.adapter(createAdapter(redisClient, subClient));
const requestsTimeout = 5000; // not an adapter
"""
    found = _found("core/index.js", source)
    assert found == {(2, "timeout", "javascript.driver_options"): 15000}


def test_ioredis_strategy_handed_by_name():
    source = """import Redis from 'ioredis';
export function connect(host: string) {
  const retryStrategy = (times: number) => Math.min(times * 50, 2000);
  return new Redis({
    host,
    retryStrategy,
    maxRetriesPerRequest: 3,
  });
}
export function aws(retryStrategy: unknown) {
  return new S3Client({ region, retryStrategy });
}
"""
    found = _found("src/redis.ts", source)
    assert found[(6, "retry", "javascript.client_options")] is None  # reconnects without a limit
    assert found[(7, "retry", "javascript.client_options")] == 4
    # a parameter named retryStrategy (not a function of the file): not read
    assert not any(line == 11 for line, _, _ in found)
