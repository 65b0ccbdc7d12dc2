"""Round 22 (TypeScript, js2): a timeout helper racing the work handed in against a local timer function
(skandha's `withTimeout(asyncFn, timeoutMs)`: `async function timeoutPromise() { await sleep(timeoutMs);
throw new TimeoutError() }`), called from another workspace package through its build folder
(`import { withTimeout } from "@skandha/utils/lib"`, the source under packages/utils/src)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

TIMEOUT = """import { sleep } from "./sleep";
export class TimeoutError extends Error {}
export async function withTimeout<T>(asyncFn: (signal?: AbortSignal) => Promise<T>, timeoutMs: number,
                                     signal?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  async function timeoutPromise(signal: AbortSignal): Promise<never> {
    await sleep(timeoutMs, signal);
    throw new TimeoutError();
  }
  try {
    return await Promise.race([asyncFn(controller.signal), timeoutPromise(controller.signal)]);
  } finally {
    controller.abort();
  }
}
export async function paced<T>(asyncFn: () => Promise<T>, ms: number): Promise<T> {
  async function pause(): Promise<void> {
    await sleep(ms);
  }
  return await Promise.race([asyncFn(), pause() as Promise<never>]);
}
"""

SLEEP = """export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
"""

INDEX = """export * from "./timeout";
export * from "./sleep";
"""

REQUEST = """import { withTimeout, paced } from "@acme/utils/lib";
export const DEFAULT_DIAL_TIMEOUT = 5 * 1000;
export async function send(libp2p: any, peerId: any) {
  return await withTimeout(
    async (signal) => libp2p.dialProtocol(peerId, ["/x"]),
    DEFAULT_DIAL_TIMEOUT
  );
}
export async function slow(api: any) {
  return await paced(async () => api.get("/x"), 2000);
}
"""


def _scan(tmp_path: Path) -> dict[tuple, object]:
    (tmp_path / "package.json").write_text('{"name": "root", "workspaces": ["packages/*"]}')
    utils = tmp_path / "packages" / "utils"
    node = tmp_path / "packages" / "node"
    (utils / "src").mkdir(parents=True)
    (node / "src").mkdir(parents=True)
    (utils / "package.json").write_text('{"name": "@acme/utils", "main": "lib/index.js", "types": "lib/index.d.ts"}')
    (node / "package.json").write_text('{"name": "@acme/node", "dependencies": {"@acme/utils": "1"}}')
    (utils / "src" / "timeout.ts").write_text(TIMEOUT)
    (utils / "src" / "sleep.ts").write_text(SLEEP)
    (utils / "src" / "index.ts").write_text(INDEX)
    (node / "src" / "request.ts").write_text(REQUEST)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path, f.line): f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"}


def test_the_callers_value_is_the_bound_of_the_helpers_race(tmp_path):
    found = _scan(tmp_path)
    assert found.get(("packages/node/src/request.ts", 4)) == 5000


def test_a_timer_that_only_pauses_bounds_nothing_and_the_helper_itself_is_no_contract(tmp_path):
    found = _scan(tmp_path)
    assert ("packages/node/src/request.ts", 10) not in found
    assert ("packages/utils/src/timeout.ts", 11) not in found  # a forwarder of its caller's value
