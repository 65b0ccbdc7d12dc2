"""Round 17 (js1): private client helpers with defaulted retry/timeout parameters read through the
shapes cross-seed's torrent clients use: a count clamped into a local (`const retries =
Math.max(numRetries, 0)`) bounding the loop, a `timeout = 0` default meaning the body's `timeout ||
ms("5 minutes")` fallback, a defaulted count gating one re-send that passes 0 on (`retries > 0 ...
this.call(method, params, 0)`), a count stepped down but never compared (unbounded: no count), and a
helper whose count defaults to no retry (`numRetries = 0`: a call leaving it out makes one try, no
rule-(b) proposal)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


QBIT = """export class QBit {
  private async request(path: string, body: string, headers: Record<string, string> = {}, numRetries = 3) {
    const retries = Math.max(numRetries, 0);
    for (let i = 0; i <= retries; i++) {
      try {
        const r = await fetch(path, { method: "POST", body });
        if (r.ok) return await r.text();
      } catch (e) {
        if (i >= retries) throw e;
      }
    }
  }
  async listAll() {
    return await this.request("/torrents/info", "x");
  }
  async once() {
    return await this.request("/torrents/add", "y", {}, 0);
  }
  async findTorrent(hash: string, numRetries = 0) {
    const tries = Math.max(numRetries, 0);
    for (let i = 0; i <= tries; i++) {
      try {
        const r = await fetch("/torrents/" + hash);
        if (r.ok) return await r.text();
      } catch (e) {
        if (i >= tries) throw e;
      }
    }
  }
  async lookup(hash: string) {
    const retry = 5;
    return await this.findTorrent(hash);
  }
}
"""


def test_clamped_local_count_is_the_parameter(tmp_path):
    found = _scan(tmp_path, {"qbit.ts": QBIT})
    assert ("qbit.ts", 4, "retry", 4) in found    # the loop: numRetries = 3 (rule a)
    assert ("qbit.ts", 14, "retry", 4) in found   # a call leaving numRetries out (rule b)
    assert ("qbit.ts", 17, "retry", 1) in found   # a call passing 0 (rule c: 1 try)
    # `numRetries = 0`: a call leaving it out makes one try, no retry contract (a local named retry is no count)
    assert not any(line == 32 and kind == "retry" for _, line, kind, _ in found)


TRANSMISSION = """import ms from "ms";
export class Transmission {
  private sessionId = "";
  private async request<T>(method: string, args: unknown = {}, retries = 1, timeout = 0): Promise<T> {
    const response = await fetch("http://transmission/rpc", {
      method: "POST",
      body: JSON.stringify({ method, arguments: args }),
      signal: AbortSignal.timeout(timeout || ms("5 minutes")),
    });
    if (response.status === 409) {
      this.sessionId = response.headers.get("x-transmission-session-id")!;
      return this.request(method, args, retries - 1);
    }
    return (await response.json()) as T;
  }
  async check() { return await this.request("session-get", {}, 1, ms("10 seconds")); }
  async torrents() { return await this.request("torrent-get", { ids: [1] }); }
}
"""


def test_zero_default_means_the_fallback_and_an_unchecked_count_bounds_nothing(tmp_path):
    found = _scan(tmp_path, {"transmission.ts": TRANSMISSION})
    assert ("transmission.ts", 5, "timeout", 300000) in found   # timeout = 0 -> the 5 min fallback (rule a)
    assert ("transmission.ts", 16, "timeout", 10000) in found   # rule c
    assert ("transmission.ts", 17, "timeout", 300000) in found  # rule b: left out, the fallback
    # `retries - 1` never compared: the re-sends on 409 are not bounded by it (no count at the callers)
    assert not any(kind == "retry" and value == 2 for _, _, kind, value in found)
    assert not any(line in (16, 17) and kind == "retry" for _, line, kind, _ in found)


DELUGE = """export class Deluge {
  private cookie: string | null = null;
  private async call<T>(method: string, params: unknown[], retries = 1): Promise<T> {
    const response = await fetch("http://deluge/json", { method: "POST", body: JSON.stringify({ method, params }) });
    const json = await response.json();
    if (json.error?.code === 1 && retries > 0) {
      this.cookie = null;
      await this.authenticate();
      if (this.cookie) {
        return this.call<T>(method, params, 0);
      } else {
        throw new Error("auth");
      }
    }
    return json.result as T;
  }
  async authenticate() { await this.call<boolean>("auth.login", ["pw"], 0); }
  async list() { return await this.call<string[]>("core.list", []); }
}
"""


def test_defaulted_count_gating_one_resend_that_passes_zero(tmp_path):
    found = _scan(tmp_path, {"deluge.ts": DELUGE})
    assert ("deluge.ts", 10, "retry", 2) in found   # the re-send after re-authenticating (rule a: retries = 1)
    assert ("deluge.ts", 17, "retry", 1) in found   # passing 0 (rule c)
    assert ("deluge.ts", 18, "retry", 2) in found   # leaving it out (rule b)


NOT_A_COUNT = """export class Poller {
  private async call(method: string, params: unknown[], retries = 1): Promise<unknown> {
    const response = await fetch("http://svc/json", { method: "POST", body: JSON.stringify({ method, params }) });
    const json = await response.json();
    if (json.more) {
      // paging: the next page, not a retry (the count is not tested)
      return this.call(method, [json.next], 0);
    }
    return json.result;
  }
}
"""


def test_zero_passed_without_a_positive_test_is_no_retry(tmp_path):
    found = _scan(tmp_path, {"poller.ts": NOT_A_COUNT})
    assert not any(kind == "retry" for _, _, kind, _ in found)


AIGLE = """import Aigle from 'aigle'

async function resolveOwners (options) {
  const times = options.retries || 5
  const interval = options.retryInterval || 5000
  const retry = fn => Aigle.retry({ times, interval }, fn)
  return retry(() => fetch('https://api.github.com/repos/x/y'))
}

async function fixed () {
  return Aigle.retry({ times: 3 }, () => fetch('https://api.github.com/repos/x/z'))
}

const retryLater = { times: 'never' }
module.exports = { resolveOwners, fixed, retryLater }
"""


def test_aigle_retry_counts_every_attempt(tmp_path):
    found = _scan(tmp_path, {"repo.js": AIGLE})
    assert ("repo.js", 6, "retry", 5) in found    # times = options.retries || 5 (rule a)
    assert ("repo.js", 11, "retry", 3) in found
    assert not any(line == 14 for _, line, _, _ in found)  # an object with a `times` key is no retry


VOICE = """import { entersState, VoiceConnectionStatus, joinVoiceChannel } from "@discordjs/voice";

export class Queue {
  constructor(private connection: any) {
    this.connection.on("stateChange", async (_old: any, state: any) => {
      if (state.status === VoiceConnectionStatus.Disconnected) {
        if (this.connection.rejoinAttempts < 5) {
          await new Promise((r) => setTimeout(r, (this.connection.rejoinAttempts + 1) * 5_000));
          this.connection.rejoin();
        } else {
          this.connection.destroy();
        }
      } else if (state.status === VoiceConnectionStatus.Connecting) {
        try {
          await entersState(this.connection, VoiceConnectionStatus.Ready, 20_000);
        } catch {
          this.connection.destroy();
        }
      }
    });
  }
}
"""

NOT_VOICE = """export class Room {
  rejoinAttempts = 0;
  rejoin() { this.rejoinAttempts++; }
  check() {
    if (this.rejoinAttempts < 5) {
      this.rejoin();
    }
  }
  enters(a: any, b: any, c: number) { return entersState(a, b, c); }
}
function entersState(a: any, b: any, c: number) { return c; }
"""


def test_discord_voice_rejoin_policy(tmp_path):
    found = _scan(tmp_path, {"queue.ts": VOICE, "room.ts": NOT_VOICE})
    assert ("queue.ts", 7, "retry", 6) in found        # 5 rejoins after the first join
    assert not any(name == "room.ts" for name, _, _, _ in found)  # no @discordjs/voice: a local counter


BASE_CLIENT = {
    "utils/SDKUtils.ts": 'export { fetchWithTimeout, postWithTimeout } from "@across-protocol/sdk/dist/utils";\n',
    "clients/Base.ts": """import { fetchWithTimeout, postWithTimeout } from "../utils/SDKUtils";
export abstract class BaseApiClient {
  protected readonly apiResponseTimeout: number;
  constructor(readonly urlBase: string, timeoutMs = 3000) {
    this.apiResponseTimeout = timeoutMs;
  }
  protected async _get<T>(endpoint: string, params: Record<string, unknown>) {
    return await fetchWithTimeout<T>(`${this.urlBase}/${endpoint}`, params, {}, this.apiResponseTimeout);
  }
  protected async _post<T>(endpoint: string, body: unknown) {
    return await postWithTimeout<T>(`${this.urlBase}/${endpoint}`, body, {}, {}, 5000);
  }
  protected async _raw(endpoint: string, body: unknown) {
    return await fetch(`${this.urlBase}/${endpoint}`, {
      method: "POST",
      body: JSON.stringify(body),
      ...(this.apiResponseTimeout > 0 && { signal: AbortSignal.timeout(this.apiResponseTimeout) }),
    });
  }
  protected async _plain(endpoint: string, body: unknown, retries: number) {
    return await postWithTimeout(`${this.urlBase}/${endpoint}`, body, {}, {}, retries);
  }
}
""",
}


def test_package_helper_named_for_its_timeout_and_a_conditional_signal_spread(tmp_path):
    found = _scan(tmp_path, BASE_CLIENT)
    assert ("Base.ts", 8, "timeout", 3000) in found    # the field's constructor default (rule a)
    assert ("Base.ts", 11, "timeout", 5000) in found
    assert ("Base.ts", 14, "timeout", 3000) in found   # `...(cond && { signal: AbortSignal.timeout(...) })`
    assert not any(line == 21 and kind == "timeout" for _, line, kind, _ in found)  # a count is no timeout


PROJECT_GOT = {
    "src/lib/got/index.js": "import got from 'got';\nexport default got.extend({ headers: { 'User-Agent': 'svc' } });\n",
    "src/remote/npm.js": """import got from '../lib/got/index.js';
import pTimeout from 'p-timeout';
export class Npm {
	request (uri, options) {
		return got(`https://registry.npmjs.org${uri}`, Object.assign({ timeout: 30000 }, options));
	}
	plain (uri) {
		return got.post(`https://registry.npmjs.org${uri}`, { timeout: 5000 });
	}
	waitForSibling (key, ttl = 600000) {
		return pTimeout(new Promise((resolve, reject) => {
			this.pending.set(key, { resolve, reject });
		}), { milliseconds: ttl });
	}
	bounded (url) {
		return pTimeout(new Promise((resolve, reject) => {
			this.pending.set(url, { resolve, reject });
			this.client.send(url);
		}), { milliseconds: 2000 });
	}
}
""",
}


def test_project_got_instance_object_assign_defaults_and_a_parked_promise(tmp_path):
    found = _scan(tmp_path, PROJECT_GOT)
    assert ("npm.js", 5, "timeout", 30000) in found   # Object.assign({ timeout }, options) on a project got
    assert ("npm.js", 8, "timeout", 5000) in found
    assert not any(line == 11 for _, line, _, _ in found)   # parked resolve/reject: a wait on sibling processes
    assert ("npm.js", 16, "timeout", 2000) in found   # the executor sends: a bound on the reply

