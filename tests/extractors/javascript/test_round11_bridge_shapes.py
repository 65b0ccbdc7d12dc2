"""Round 11 (first JS/TS wave, helper 1): shapes found on unseen services (the Matrix IRC bridge):
a deadline whose reply comes back through a callback handed to another party's method, a loop
re-trying a call until its answer arrives (the answer kept in the loop's flag, or the flag one of
the loop's conditions), and a function calling itself again from its own catch after waiting."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind, f.detector): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


DEADLINES = """export class Client {
  getNicks(channel: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('Timed out fetching nicks')), 5000);
      this.state.client.names(channel, (channelName, names) => {
        clearTimeout(timeout);
        resolve(names);
      });
    });
  }
  async whois(nick: string) {
    let timeout = null;
    return await new Promise((resolve, reject) => {
      this.client.whois(nick, (r) => { resolve(r); });
      timeout = setTimeout(() => {
        reject(Error("Whois request timed out"));
      }, 10000);
    });
  }
  firstOf(items: number[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timeout: nothing')), 5000);
      items.forEach((x) => { resolve(x); });
    });
  }
  pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 5000));
  }
}
"""


def test_a_deadline_on_a_reply_that_comes_back_through_a_callback():
    found = _found("src/irc/client.ts", DEADLINES)
    assert found[(4, "timeout", "javascript.deadline")] == 5000
    assert found[(15, "timeout", "javascript.deadline")] == 10000
    # a collection's own iteration settling the promise waits for no reply; a sleep is no deadline
    assert not any(line in (22, 27) for line, _, _ in found)


LOOPS = """import * as promiseutil from './promiseutil';
export async function members(client: any, roomId: string) {
  let userMap;
  while (!userMap) {
    try {
      userMap = await client.getJoinedRoomMembersWithProfiles(roomId);
    } catch (err) {
      if (err.body?.errcode === "M_FORBIDDEN") {
        return;
      }
      await promiseutil.delay(3000);
    }
  }
  return userMap;
}
export class Bridge {
  async rooms() {
    let gotRooms = false;
    while (!gotRooms && this.bridgeState === 'starting') {
      try {
        this.joinedRoomList = await this.bridge.getIntent().matrixClient.getJoinedRooms();
        gotRooms = true;
      } catch (ex) {
        await promiseutil.delay(3000);
      }
    }
  }
  async drain(queue: any) {
    let item;
    while (!item) {
      item = await queue.pop();
    }
    let done = false;
    while (!done && this.running) {
      done = await this.step();
    }
  }
  async loginToServer(server: any): Promise<void> {
    try {
      await this.bridgedClient.connect();
    } catch (err) {
      await new Promise(r => setTimeout(r, 2500));
      return this.loginToServer(server);
    }
  }
  async walk(node: any): Promise<void> {
    try {
      await this.visit(node);
    } catch (err) {
      return this.walk(node.next);
    }
  }
}
"""


def test_loops_and_self_calls_that_try_again_until_the_call_goes_through():
    found = _found("src/bridge/loops.ts", LOOPS)
    retries = {line: value for (line, kind, _), value in found.items() if kind == "retry"}
    # the answer kept in the loop's flag; the flag one of the loop's conditions; the self call from a
    # catch after a wait: re-tries without a count
    assert retries == {4: None, 19: None, 43: None}
    # not: a drain without a catch, a loop on a flag without one, a self call from a catch without any
    # wait (a walk on to the next item)


COUNTS = """const retryCount = 5;
export async function gitRetry<T>(gitFunc: () => Promise<T>): Promise<T> {
  let round = 0;
  let lastError: Error | undefined;
  while (round <= retryCount) {
    try {
      return await gitFunc();
    } catch (err) {
      lastError = err;
      if (!(err instanceof ExternalHostError)) {
        throw err;
      }
    }
    await setTimeout(1000 * 2);
    round++;
  }
  throw lastError!;
}
export class Proxy {
  async validateSession(dto: { headers: string; retryAttempt?: number }): Promise<number> {
    try {
      const r = await this.httpClient.request({ url: 'x' });
      return r.status;
    } catch (error) {
      const requestDidNotMakeIt = this.requestTimedOutOrDidNotReachDestination(error);
      const tooManyRetryAttempts = dto.retryAttempt && dto.retryAttempt > 2;
      if (!tooManyRetryAttempts && requestDidNotMakeIt) {
        await this.timer.sleep(50);
        const nextRetryAttempt = dto.retryAttempt ? dto.retryAttempt + 1 : 1;
        return this.validateSession({
          headers: dto.headers,
          retryAttempt: nextRetryAttempt,
        });
      }
      throw error;
    }
  }
}
"""


def test_counts_of_a_loop_counted_up_to_a_retry_bound_and_of_a_counter_checked_through_a_flag():
    found = _found("src/util/git.ts", COUNTS)
    # rounds 0..5 while `round <= retryCount`: 6 tries (the side counted up is the counter)
    assert found[(5, "retry", "javascript.retry_loop")] == 6
    # retryAttempt unset, 1, 2, 3: it gives up once `retryAttempt > 2` after a failure: 4 tries
    assert found[(30, "retry", "javascript.retry_loop")] == 4


def test_pg_options_beside_a_pg_only_key_and_a_config_getters_default():
    found = _found("src/server/constants.ts", """const PG_QUERY_TIMEOUT_SECS = Number(process.env.PG_QUERY_TIMEOUT_SECS || 55)
export const DEFAULT_POOL_CONFIG = {
  max: 1,
  connectionTimeoutMillis: 15 * 1000,
  query_timeout: PG_QUERY_TIMEOUT_SECS * 1000,
}
export const other = { query_timeout: 5 }
export function agent(env: any) {
  const keepAlive = env.get('HTTP_AGENT_KEEP_ALIVE_TIMEOUT', true)
    ? +env.get('HTTP_AGENT_KEEP_ALIVE_TIMEOUT', true)
    : 4_000
  return axios.create({ httpAgent: new AgentKeepAlive({ keepAlive: true, timeout: 2 * keepAlive }) })
}
""")
    assert found[(4, "timeout", "javascript.client_options")] == 15000
    assert found[(5, "timeout", "javascript.client_options")] == 55000
    assert not any(line == 7 for line, _, _ in found)  # `query_timeout` alone: no driver's options
    # the getter's key read when set, else the code's default (4 s): the agent's socket timeout
    assert found[(12, "timeout", "javascript.client_options")] == 8000


PROXY = """import { AxiosInstance, Method } from 'axios'
import { inject, injectable } from 'inversify'
import { TYPES } from './Types'
@injectable()
export class HttpServiceProxy {
  constructor(
    @inject(TYPES.HTTPClient) private httpClient: AxiosInstance,
    @inject(TYPES.HTTP_CALL_TIMEOUT) private httpCallTimeout: number,
    private retries: number,
  ) {}
  async get(url: string) {
    return this.httpClient.request({ method: 'GET' as Method, url, timeout: this.httpCallTimeout })
  }
}
"""

CONTAINER = """import { Container } from 'inversify'
import axios, { AxiosInstance } from 'axios'
import { TYPES } from './Types'
import { GrpcProxy } from './GrpcProxy'
export function load(env: any): Container {
  const container = new Container()
  container.bind(TYPES.HTTPClient).toConstantValue(axios.create({}))
  container
    .bind(TYPES.HTTP_CALL_TIMEOUT)
    .toConstantValue(env.get('HTTP_CALL_TIMEOUT', true) ? +env.get('HTTP_CALL_TIMEOUT', true) : 60_000)
  const grpc = new GrpcProxy(
    container.get<AxiosInstance>(TYPES.HTTPClient),
    container.get<number>(TYPES.HTTP_CALL_TIMEOUT),
  )
  return container
}
"""

GRPC = """import { AxiosInstance } from 'axios'
export class GrpcProxy {
  constructor(private httpClient: AxiosInstance, private httpCallTimeout: number) {}
  async get(url: string) {
    return this.httpClient.request({ url, timeout: this.httpCallTimeout })
  }
}
"""


def test_a_parameter_an_inversify_container_fills_reads_the_containers_binding(tmp_path):
    from contract_discovery.pipeline import scan

    for name, text in {"package.json": '{"name": "gateway"}\n', "src/HttpServiceProxy.ts": PROXY,
                       "src/Container.ts": CONTAINER, "src/GrpcProxy.ts": GRPC,
                       "src/Types.ts": "export const TYPES = { HTTPClient: Symbol.for('HTTPClient'), "
                                       "HTTP_CALL_TIMEOUT: Symbol.for('HTTP_CALL_TIMEOUT') }\n"}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    found = {(f.path, f.line, f.kind): f.attributes.get("timeout_ms")
             for f in scan(tmp_path).findings if f.kind == "timeout"}
    # the injected parameter is no forwarder (no caller passes it): the container's 60 s default; a plain
    # constructor parameter only forwards: the construction handing it the container's binding holds it
    assert found == {("src/HttpServiceProxy.ts", 12, "timeout"): 60000, ("src/Container.ts", 11, "timeout"): 60000}


def test_promise_retry_with_its_options_first_or_second_and_from_a_class_field():
    found = _found("src/core/media/MediaManager.ts", """const promiseRetry = require('promise-retry');
export class MediaManager {
  RETRY_OPTIONS = { retries: 5, minTimeout: 100, maxTimeout: 500 };
  async withRetry(name: string, fn: any) {
    const retryOptions = this.RETRY_OPTIONS;
    return await promiseRetry((retry: any, number: number) => {
      return fn().catch(retry);
    }, retryOptions);
  }
  async other(fn: any) {
    const retry = 3; // a variable named retry
    return promiseRetry({ retries: 2 }, (again: any) => fn().catch(again));
  }
}
""")
    assert found == {(6, "retry", "javascript.retry_library"): 6, (12, "retry", "javascript.retry_library"): 3}


def test_a_deferreds_timer_and_a_timer_that_stops_waiting_for_a_replys_callback():
    found = _found("src/irc/join.ts", """import * as promiseutil from '../promiseutil';
const JOIN_TIMEOUT_MS = 15 * 1000;
const CONNECT_TIMEOUT_MS = 30 * 1000;
export class BridgedClient {
  private async _joinChannel(channel: string): Promise<IrcRoom> {
    const defer = promiseutil.defer() as promiseutil.Defer<IrcRoom>;
    const failTimeout = setTimeout(() => {
      if (!defer.promise.isPending()) {
        return;
      }
      defer.reject(new Error("Failed to join " + channel));
    }, JOIN_TIMEOUT_MS);
    this.state.client.join(channel, () => {
      clearTimeout(failTimeout);
      defer.resolve(new IrcRoom(this.server, channel));
    });
    return defer.promise;
  }
  public async disconnect(ircReason: string): Promise<void> {
    await new Promise<void>((resolveDc) => {
      const timeout = setTimeout(() => {
        log.warn(`Waited for 'end' that never came`);
        resolveDc();
      }, CONNECT_TIMEOUT_MS);
      this.client.disconnect(ircReason, () => {
        clearTimeout(timeout);
        resolveDc();
      });
    });
  }
  public async pause(items: number[]): Promise<void> {
    await new Promise<void>((resolve) => {
      setTimeout(() => { resolve(); }, 1000);
      items.forEach(() => resolve());
    });
    await new Promise<void>((resolve) => setTimeout(resolve, 1000));
  }
}
""")
    assert found == {(7, "timeout", "javascript.deadline"): 15000, (21, "timeout", "javascript.deadline"): 30000}


def test_a_project_number_parser_with_a_fallback_reads_the_environment():
    found = _found("lib/platform/gitlab.ts", """import { parseInteger } from '../util/number';
import { getEnv } from '../util/env';
export async function merge(pr: number) {
  const env = getEnv();
  const retryTimes = parseInteger(env.RENOVATE_X_ATTEMPTS, 5);
  for (let attempt = 1; attempt <= retryTimes; attempt += 1) {
    try {
      await gitlabApi.putJson('x', { body: {} });
      break;
    } catch (err) {
      logger.debug('Automerge failed. Retrying');
    }
    await setTimeout(250 * attempt ** 2);
  }
  const t = parseInteger(process.env.MY_TIMEOUT, 5000);
  const radix = parseInt(process.env.OTHER_TIMEOUT, 10);
  await fetch('http://x', { signal: AbortSignal.timeout(radix) });
  return fetch('http://x', { signal: AbortSignal.timeout(t) });
}
""")
    assert found[(6, "retry", "javascript.retry_loop")] == 5
    assert found[(18, "timeout", "javascript.fetch")] == 5000
    assert found[(17, "timeout", "javascript.fetch")] is None  # parseInt's radix is no fallback


def test_a_catch_asking_another_way_is_no_retry_but_one_after_a_new_token_is():
    found = _found("lib/platform/github.ts", """export async function mergePr(url: string, options: any) {
  options.body.merge_method = 'squash';
  try {
    return await githubApi.putJson(url, options);
  } catch (err1) {
    try {
      options.body.merge_method = 'merge';
      return await githubApi.putJson(url, options);
    } catch (err2) {
      return false;
    }
  }
}
export async function flush(roomId: string, plContent: any, left: string[]) {
  try {
    await botClient.sendStateEvent(roomId, 'm.room.power_levels', '', plContent);
  } catch (ex) {
    for (const userId of left) {
      delete plContent.users[userId];
    }
    await botClient.sendStateEvent(roomId, 'm.room.power_levels', '', plContent);
  }
}
export async function withToken(url: string, options: any) {
  try {
    return await githubApi.putJson(url, options);
  } catch (err) {
    options.headers.authorization = `Bearer ${await refresh()}`;
    return await githubApi.putJson(url, options);
  }
}
""")
    assert found == {(25, "retry", "javascript.retry_loop"): 2}
