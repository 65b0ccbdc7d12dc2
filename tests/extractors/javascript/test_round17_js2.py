"""Round 17 (js2): rules found on unseen TypeScript services (nostream, browserless, soketi) and the
round-16 requests (taskcluster hooks, uniswap routing-api): the `ws` client's handshake timeout, a
`super({ timeout })` handing options to a package's client class, an API client's `retries` beside
its destination keys, a database `setup({ statementTimeout })`, and two false-positive shapes of
`{ retries, timeout }` (a reply reporting the settings, a function's options handed to itself)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and f.detector != "javascript.wrapper_call"
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# ------------------------------------------------------------------ ws client handshake timeout

WS_CLIENT = """import { WebSocket } from 'ws'

export function mirror(address: string) {
  // the timeout of the mirror is set below
  const retries = 3
  return new WebSocket(address, { timeout: 5000 })
}

export function second(address: string) {
  const ws = new WebSocket(address, ['nostr'], {
    handshakeTimeout: 7000,
  })
  return ws
}
"""


def test_ws_client_handshake_timeouts():
    found = _found("src/app/mirror.ts", WS_CLIENT)
    assert found[(6, "timeout")] == 5000
    assert found[(11, "timeout")] == 7000
    assert (5, "retry") not in found  # a variable named retries


def test_browser_websocket_and_zero_timeout_are_no_bound():
    source = """export function open(url) {
  const timeout = 5000; // the word timeout
  return new WebSocket(url, 'chat');
}
import WS from 'ws';
export const c = new WS(url, { timeout: 0 });
"""
    assert _found("src/chat.js", source) == {}


# ------------------------------------------------------------- super({ timeout }) of a package class

SUPER_OPTIONS = """import q from 'queue';
import { StaticJsonRpcProvider } from '@ethersproject/providers';
import { BaseThing } from './base';

export class Limiter extends q {
  constructor(config) {
    super({
      autostart: true,
      timeout: 30000,
    });
  }
}

export class Provider extends StaticJsonRpcProvider {
  constructor(url, network) {
    super({ url, timeout: 8000 }, network);
  }
}

export class Local extends BaseThing {
  constructor() {
    super({ timeout: 1000 });
  }
}

export class Failure extends Error {
  constructor(message) {
    super(message, { cause: { timeout: 5 } });
  }
}
"""


def test_super_options_of_a_package_class_are_its_timeout():
    found = _found("src/limiter.ts", SUPER_OPTIONS)
    assert found[(9, "timeout")] == 30000
    assert found[(16, "timeout")] == 8000
    assert (22, "timeout") not in found  # a class of the project reads its own options
    assert (28, "timeout") not in found  # an Error


def test_super_options_of_a_server_or_emitter_are_not_read():
    source = """import { EventEmitter } from 'events';
import { Server } from 'socket.io';
export class Bus extends EventEmitter { constructor() { super({ timeout: 100 }); } }
export class Io extends Server { constructor() { super({ timeout: 100 }); } }
"""
    assert _found("src/bus.ts", source) == {}


# --------------------------------------------------- API client retries beside its destination keys

API_CLIENT_RETRIES = """import taskcluster from '@taskcluster/client';
import { Thing } from './thing';

export async function fire(hook, options) {
  const queue = new taskcluster.Queue({
    rootUrl: this.rootUrl,
    credentials: this.credentials,
    retries: 5,
  });
  const local = new Thing({ url: 'x', retries: 2 });
  const plain = new taskcluster.Queue({ retries: 4 });
  return queue;
}
"""


def test_api_client_retries_beside_destination_keys():
    found = _found("src/taskcreator.js", API_CLIENT_RETRIES)
    assert found[(8, "retry")] == 6
    assert (10, "retry") not in found  # a class of the project
    assert (11, "retry") not in found  # no destination or credentials beside it


def test_db_setup_statement_timeout():
    source = """import tcdb from '@taskcluster/db';
export const load = ({ cfg }) => tcdb.setup({
  readDbUrl: cfg.readDbUrl,
  statementTimeout: 30000,
});
export const app = server.setup({ statementTimeout: 1000 });
"""
    found = _found("src/main.js", source)
    assert found[(4, "timeout")] == 30000
    assert (6, "timeout") not in found  # a server's setup


# ------------------------------------------------------- `{ retries, timeout }` that is no client's

def test_reply_reporting_settings_is_no_client():
    source = """export default class ConfigGet {
  async handler(req, res) {
    const response: ResponseSchema = {
      retries: config.getRetries(),
      timeout: config.getTimeout(),
    };
    return jsonResponse(res, 200, response);
  }
}
const snmpOptions = { retries: 1, timeout: 5000 };
const session = snmp.createSession(host, community, snmpOptions);
"""
    found = _found("src/routes/config.get.ts", source)
    assert (4, "retry") not in found and (5, "timeout") not in found
    assert found[(10, "retry")] == 2 and found[(10, "timeout")] == 5000


def test_options_handed_to_the_function_itself_are_no_client():
    source = """export const getPageContent = async (page, { retries = 3, timeout = 30_000 } = {}) => {
  try {
    return await page.content();
  } catch (err) {
    if (retries <= 0) throw err;
    return getPageContent(page, { retries: retries - 1, timeout });
  }
};
"""
    found = _found("src/utils.ts", source)
    assert found.get((6, "retry")) != 3  # not read as a client's `retries` beside `timeout`
    assert all(v != 3 for (line, kind), v in found.items() if kind == "retry")


# ----------------------------------------------------------- a pending request's settling timer

PENDING_REQUEST = """export class HorizontalAdapter {
    public requestsTimeout = 5_000;
    protected requests = new Map();

    protected sendRequest(appId, type, resolve, reject) {
        const requestId = uuidv4();
        const timeout = setTimeout(() => {
            if (this.requests.has(requestId)) {
                this.processReceivedResponse({ requestId }, true);
            }
        }, this.requestsTimeout);
        this.requests.set(requestId, { appId, type, timeout, resolve, reject });
        this.sendToRequestChannel(JSON.stringify({ requestId, appId, type }));
    }

    protected debounce(key, resolve) {
        const timer = setTimeout(() => this.flush(key), 200);
        this.timers.set(key, { timer });
        this.sendLater(key);
    }

    protected remember(id, resolve) {
        const timeout = setTimeout(() => this.forget(id), 1000);
        this.entries.set(id, { timeout, resolve });
    }
}
"""


def test_pending_request_timer_bounds_the_reply():
    found = _found("src/adapters/horizontal-adapter.ts", PENDING_REQUEST)
    assert found[(7, "timeout")] == 5000
    assert (17, "timeout") not in found  # a debounce timer: no resolve/reject kept with it
    assert (23, "timeout") not in found  # nothing sent after registering it


def test_discord_voice_enters_state_is_a_bounded_wait():
    source = """import { entersState, VoiceConnectionStatus } from '@discordjs/voice';
import { entersState as other } from './states';

export async function join(connection, signal) {
  await entersState(connection, VoiceConnectionStatus.Ready, 60_000);
  await entersState(connection, VoiceConnectionStatus.Ready, signal);
  const timeout = 5; // the word timeout
}
"""
    found = _found("src/player.ts", source)
    assert found[(5, "timeout")] == 60000
    assert (7, "timeout") not in found
    result = JavascriptExtractor().extract("src/player.ts", source.encode())
    assert not any(f.line == 6 and f.attributes.get("library") == "@discordjs/voice" for f in result.findings)


def test_pending_request_to_a_local_thread_or_process_is_out_of_scope():
    source = """import { parentPort } from 'worker_threads';
const callQueue = new Map();
async function call(message) {
    return new Promise((resolve, reject) => {
        let mid = `${Date.now()}`;
        let timer = setTimeout(() => { callQueue.delete(mid); reject(new Error('Timeout')); }, 5000);
        callQueue.set(mid, { resolve, reject, timer });
        parentPort.postMessage({ cmd: 'call', mid, message });
    });
}
class Stats {
  async call(data) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out')), 60000);
      this.promises.set(id, { timer, resolve, reject });
      this.python.stdin?.write(JSON.stringify({ id, data }) + "\\n");
    });
  }
}
"""
    found = _found("workers/webhooks.js", source)
    assert (6, "timeout") not in found and (14, "timeout") not in found


def test_super_options_of_a_passport_strategy_mixin_are_not_read():
    source = """import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-google-oauth20';
export class GoogleStrategy extends PassportStrategy(Strategy, 'google') {
    constructor(private configService: ConfigService) {
        super({ clientID: 'x', scope: ['email'], timeout: 20000 });
    }
}
export class Other extends Strategy {
    constructor() { super({ clientID: 'x', timeout: 20000 }); }
}
"""
    assert _found("src/auth/strategy/google.strategy.ts", source) == {}
