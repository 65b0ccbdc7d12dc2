"""Round 22 (TypeScript, js2): @api3/promise-utils `go(fn, options)` (airseeker-v2) and a budget checked
by hand in a promise's per-block handler, given up on with `reject("timeout")` (skandha's relays)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor

GO = """import { go } from '@api3/promise-utils';
export const update = async (provider: any, intervalMs: number) => {
  const first = await go(async () => provider.send('eth_blockNumber', []), { totalTimeoutMs: 5000 });
  const second = await go(async () => provider.getBlock(1), { retries: 2, attemptTimeoutMs: 1000 });
  const third = await go(async () => provider.getBlock(2));
  const fourth = await go(async () => provider.getBlock(3), { totalTimeoutMs: undefined });
  return [first, second, third, fourth];
};
"""

LOCAL_GO = """const go = async (fn: () => Promise<unknown>, options?: object) => fn();
export const run = async () => go(async () => compute(), { totalTimeoutMs: 5000 });
"""

RELAY = """export class Relay {
  private submitTimeout = 5 * 60 * 1000; // 5 minutes
  private async submit(provider: any, signed: string): Promise<string> {
    const submitStart = now();
    return new Promise((resolve, reject) => {
      const handler = async (blockNumber: number): Promise<void> => {
        if (now() - submitStart > this.submitTimeout) return reject("timeout");
        const res = await provider.send("eth_sendBundle", [signed, blockNumber + 1]);
        if (res.included) resolve(res.hash);
      };
      provider.on("block", handler);
    });
  }
  private async local(items: number[]): Promise<number> {
    const start = now();
    return new Promise((resolve, reject) => {
      for (const item of items) {
        if (now() - start > 1000) return reject("timeout");
        resolve(item * 2);
      }
    });
  }
  private async other(provider: any): Promise<string> {
    const start = now();
    return new Promise((resolve, reject) => {
      const handler = async () => {
        if (now() - start > 2000) return reject(new Error("nonce too low"));
        await provider.send("eth_sendRawTransaction", []);
      };
      provider.on("block", handler);
    });
  }
}
"""


def _found(path: str, source: str, kind: str) -> dict[int, list]:
    result = JavascriptExtractor().extract(path, source.encode())
    out: dict[int, list] = {}
    for f in result.findings:
        if f.kind == kind and not any(p.attribute == "$keep_if" for p in f.pending):
            out.setdefault(f.line, []).append(f.attributes.get("timeout_ms" if kind == "timeout" else "max_attempts"))
    return out


def test_go_options_bound_the_call_and_its_tries():
    timeouts, retries = _found("src/loop.ts", GO, "timeout"), _found("src/loop.ts", GO, "retry")
    assert timeouts.get(3) == [5000]
    assert timeouts.get(4) == [1000]
    assert retries.get(4) == [3]


def test_go_without_options_or_with_an_undefined_bound_sets_nothing():
    timeouts, retries = _found("src/loop.ts", GO, "timeout"), _found("src/loop.ts", GO, "retry")
    assert 5 not in timeouts and 5 not in retries
    assert 6 not in timeouts


def test_a_go_of_the_projects_own_is_not_promise_utils():
    assert not _found("src/run.ts", LOCAL_GO, "timeout").get(2)


def test_a_budget_checked_in_a_resending_handler_and_rejected_as_timeout_is_a_deadline():
    assert _found("src/relay.ts", RELAY, "timeout").get(7) == [300000]


def test_no_deadline_for_local_work_or_a_rejection_that_is_no_timeout():
    found = _found("src/relay.ts", RELAY, "timeout")
    assert 18 not in found
    assert 26 not in found


CONFIG_READ = """import axios from 'axios';
import { ConfigManagerV2 } from '../../services/config-manager-v2';
export class ZeroX {
  private client: any;
  constructor() {
    this.client = axios.create({
      baseURL: 'https://api.0x.org',
      timeout: ConfigManagerV2.getInstance().get('0x.requestTimeout') || 30000,
    });
  }
}
export const named = () => axios.create({ timeout: ConfigManagerV2.getInstance().get('0x.slippagePct') || 30000 });
"""


def test_a_config_getters_timeout_key_with_the_codes_fallback_reads_the_fallback():
    assert _found("src/connectors/0x/0x.ts", CONFIG_READ, "timeout").get(6) == [30000]


def test_a_key_that_names_no_bound_keeps_the_value_unknown():
    assert _found("src/connectors/0x/0x.ts", CONFIG_READ, "timeout").get(12) == [None]
