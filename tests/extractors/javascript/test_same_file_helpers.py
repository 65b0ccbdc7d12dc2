"""The helper-parameter convention at calls in the helper's OWN file (round 11, as Java and Python
do): rule (b), a call leaving a defaulted timeout / retry parameter out, gets the default at the
call; rule (c), a call passing a value, gets that value. Not a same-named function bound nearer the
call, the class's own method of that name, the helper's recursive call (its rule (a) line), nor a
helper of another file of the same name when this file's helper publishes nothing."""

from __future__ import annotations

from pathlib import Path

KEYS = """import { sleep } from './util';

async function getKey(url: string, cache: Map<string, string>, retries = 5): Promise<string | null> {
  try {
    const res = await fetch(url);
    return await res.text();
  } catch (err) {
    if (retries === 0) {
      return null;
    }
    await sleep(100);
    return getKey(url, cache, retries - 1);
  }
}

export async function verify(url: string, cache: Map<string, string>) {
  const first = await getKey(url, cache);
  const second = await getKey(url, cache, 2);
  return first ?? second;
}

export async function other(url: string) {
  const getKey = async (u: string, c: unknown) => u;
  return await getKey(url, null);
}

export class Client {
  async request(url: string, timeoutMs = 4000) {
    return fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  }
  async getKey(url: string) {
    return url;
  }
  async health(url: string) {
    await this.request(url);
    return await this.getKey(url);
  }
}
"""

RETRY = """import axios from 'axios';

export async function withRetry<T>(fn: () => Promise<T>, { maxRetries = 3 }: { maxRetries?: number } = {}): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export class Api {
  private timeout: number;
  constructor({ timeout }: { timeout: number }) {
    this.timeout = timeout;
  }
  get(url: string) {
    return axios.get(url, { timeout: this.timeout });
  }
}

const api = new Api({ timeout: 2500 });

export async function load(url: string) {
  return await withRetry(() => api.get(url));
}

async function post(url: string) {
  return url.length;
}

export async function send(url: string) {
  return await post(url);
}

export async function loadWith(url: string, options?: { maxRetries?: number }) {
  return await withRetry(() => api.get(url), options);
}
"""

HTTP = """import axios from 'axios';
export async function post(url: string, timeout = 3000) {
  return axios.post(url, {}, { timeout });
}
"""


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_calls_of_a_helper_in_its_own_file_get_its_default_or_their_value(tmp_path: Path) -> None:
    _write(tmp_path, {"package.json": '{"name": "svc"}\n', "src/keys.ts": KEYS,
                      "src/util.ts": "export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n"})
    assert _scan(tmp_path) == {
        # rule (a): the recursion re-trying with `retries - 1` from `retries = 5` (6 tries)
        ("src/keys.ts", 12, "retry"): 6,
        # rule (b): a call of this file leaving `retries` out
        ("src/keys.ts", 17, "retry"): 6,
        # rule (c): a call of this file passing 2 (3 tries)
        ("src/keys.ts", 18, "retry"): 3,
        # (a) the class method's own default, and (b) `this.request(url)` in the same class
        ("src/keys.ts", 29, "timeout"): 4000,
        ("src/keys.ts", 35, "timeout"): 4000,
    }  # not the nested `getKey` of line 24, nor the class's own `this.getKey(url)` of line 36


def test_same_file_constructions_and_options_defaults_but_no_other_files_helper_of_that_name(tmp_path: Path) -> None:
    _write(tmp_path, {"package.json": '{"name": "svc"}\n', "src/retry.ts": RETRY, "src/http.ts": HTTP})
    assert _scan(tmp_path) == {
        ("src/http.ts", 3, "timeout"): 3000,
        ("src/retry.ts", 5, "retry"): 4,
        # the option a construction of this file's class hands its constructor, on its line
        ("src/retry.ts", 25, "timeout"): 2500,
        # rule (b) for an options member's default, at a call in the helper's file
        ("src/retry.ts", 28, "retry"): 4,
    }  # `await post(url)` (line 36) calls this file's `post`, which bounds nothing: not http.ts's default; nor
    # `withRetry(..., options)` (line 40) handing on its caller's own options object: its callers decide
