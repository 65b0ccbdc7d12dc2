"""Round 18 (js1): shapes of the round-18 JavaScript held-out sets (bbb-webrtc-sfu, pages-core,
rod-licensing, iotagent-json): a destructured options parameter's member default in the JavaScript
grammar (`constructor(connection, { attempts = 1 } = {})`), a self-call guarded by an attempt counter
bumped with `+= 1`, an options bag holding a try counter and its bound (`{ attempt = 1, totalAttempts = 3 }
= {}` checked with `===`), and Promise.race timer guards made by a local factory settling with a sentinel
or raced against a package's callback API."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.javascript.conftest import extract_text


def _found(source: str, path: str = "example.js"):
    return {(f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
            for f in extract_text(source, path).findings if f.kind in ("timeout", "retry")}


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


QUEUES = """const { Queue } = require('bullmq');

class SiteBuildsQueue extends Queue {
  constructor(connection, { attempts = 2 } = {}) {
    super('site-builds', {
      connection,
      defaultJobOptions: {
        attempts,
      },
    });
  }
}

function makeQueue(connection, { attempts = 4 } = {}) {
  return new Queue('x', { connection, defaultJobOptions: { attempts } });
}

function bare(connection, attempts) {
  return new Queue('y', { connection, defaultJobOptions: { attempts } });
}

module.exports = { SiteBuildsQueue, makeQueue, bare };
"""


def test_destructured_member_default_of_a_javascript_parameter_is_the_helpers_value():
    # JavaScript parses `{ attempts = 2 } = {}` as an assignment_pattern (TypeScript as a parameter with a
    # value): the member's default is the value at the helper's own line (rule a) either way
    assert _found(QUEUES, "api/queues/SiteBuildsQueue.js") == {(8, "retry", 2), (15, "retry", 4), (19, "retry", None)}


def test_a_construction_leaving_the_options_bag_out_gets_the_member_default(tmp_path: Path):
    got = _scan(tmp_path, {
        "package.json": '{"name": "svc", "dependencies": {"bullmq": "^5"}}',
        "api/queues/SiteBuildsQueue.js": QUEUES,
        "api/index.js": "const { SiteBuildsQueue } = require('./queues/SiteBuildsQueue');\n"
                        "const q = new SiteBuildsQueue(connection);\n"
                        "const q2 = new SiteBuildsQueue(connection, { attempts: 6 });\n"
                        "// new SiteBuildsQueue(connection) in a comment\n",
    })
    assert {g for g in got if g[0] == "index.js"} == {("index.js", 2, "retry", 2), ("index.js", 3, "retry", 6)}


STATUS = """const maxTries = 5;

const sendNext = (github, options) => github.repos.createCommitStatus(options);

const sendStatus = (github, options, attempt = 0) => {
  return sendNext(github, options).catch((err) => {
    attempt += 1;
    if (attempt < maxTries) {
      return sendStatus(github, options, attempt);
    }
    throw err;
  });
};

const fetchPages = (client, page = 0, pages = 3) => {
  return client.list(page).then((rows) => {
    page += 1;
    if (page < pages) {
      return fetchPages(client, page, pages);
    }
    return rows;
  });
};
"""


def test_a_self_call_guarded_by_an_attempt_counter_bumped_with_plus_equals_is_a_retry():
    found = _found(STATUS)
    assert (9, "retry", 5) in found  # attempt 0..4: five tries
    assert not any(line == 19 for line, kind, _ in found if kind == "retry")  # pages, no attempts: pagination


BAG = """class CfClient {
  async startTask(task, { attempt = 1, totalAttempts = 3, sleepInterval = 1000 } = {}) {
    try {
      return await this.authRequest('POST', '/v3/tasks', task);
    } catch (error) {
      if (attempt === totalAttempts) {
        throw error;
      }
      const retryOptions = { attempt: attempt + 1, totalAttempts, sleepInterval };
      await wait(sleepInterval);
      return this.startTask(task, retryOptions);
    }
  }

  async pollTask(guid, { attempt = 1, totalAttempts = 240 } = {}) {
    const response = await this.fetchTask(guid);
    if (response.state === 'SUCCEEDED') {
      return response;
    }
    return this.pollTask(guid, { attempt: attempt + 1, totalAttempts });
  }
}

module.exports = CfClient;
"""


def test_an_options_bag_holding_the_try_counter_and_its_bound_counts_the_tries():
    found = _found(BAG, "api/utils/cfClient.js")
    assert (11, "retry", 3) in found
    assert not any(line == 20 and kind == "retry" and value is not None for line, kind, value in found)


def test_callers_leaving_the_options_bag_bound_out_get_its_default(tmp_path: Path):
    got = _scan(tmp_path, {
        "package.json": '{"name": "svc"}',
        "api/utils/cfClient.js": BAG,
        "api/run.js": "const CfClient = require('./utils/cfClient');\nconst client = new CfClient();\n"
                      "async function run(task) {\n  return await client.startTask(task, { sleepInterval: 5 });\n}\n"
                      "async function run2(task) {\n  return await client.startTask(task, { totalAttempts: 7 });\n}\n"
                      "module.exports = { run, run2 };\n",
    })
    assert ("run.js", 4, "retry", 3) in got
    assert ("run.js", 7, "retry", 7) in got


RACES = """const mediaServerClient = require('kurento-client');
const TO = 15000;

class Balancer {
  static connectToHost(url, options) {
    const connect = new Promise((resolve, reject) => {
      mediaServerClient(url, options, (error, client) => {
        if (error) {
          return reject(error);
        }
        return resolve(client);
      });
    });
    const failOver = new Promise((resolve, reject) => {
      setTimeout(reject, TO, 'connectionTimeout');
    });
    return Promise.race([connect, failOver]);
  }

  waitForConnection() {
    const onConnected = () => new Promise((resolve) => {
      this.once('connected', () => resolve(true));
    });
    const failOver = () => {
      return new Promise((resolve) => {
        setTimeout(() => {
          return resolve(false);
        }, 10000);
      });
    };
    return Promise.race([onConnected(), failOver()]);
  }

  localOnly() {
    const compute = new Promise((resolve, reject) => {
      heavyLocal((err, v) => (err ? reject(err) : resolve(v)));
    });
    const failOver = new Promise((resolve, reject) => { setTimeout(reject, 500, 'timeout'); });
    return Promise.race([compute, failOver]);
  }

  pause() {
    const sleep = () => new Promise((resolve) => { setTimeout(resolve, 1000); });
    return Promise.race([this.work(), sleep()]);
  }
}

function heavyLocal(cb) { cb(null, 1); }
"""


def test_timer_guards_raced_against_a_package_callback_or_made_by_a_sentinel_factory():
    found = {(line, value) for line, kind, value in _found(RACES) if kind == "timeout"}
    # the Kurento connect raced against a rejecting timer, the connection wait against a factory's sentinel
    assert found == {(17, 15000), (31, 10000)}  # not the local computation's race, nor a bare pause


BATCH = """const decorate = (docClient) => {
  docClient.batchWriteAll = async params => {
    let request = { ...params }
    let hasUnprocessedItems = true
    let maxRetries = 10
    while (hasUnprocessedItems) {
      const result = await docClient.batchWrite(request)
      hasUnprocessedItems = !!Object.keys(result.UnprocessedItems ?? {}).length
      if (hasUnprocessedItems) {
        request = { ...params, RequestItems: result.UnprocessedItems }
        if (maxRetries-- === 0) {
          throw new Error('maxRetries has been reached')
        }
        await new Promise(resolve => setTimeout(resolve, 500))
      }
    }
  }
  docClient.drain = async queue => {
    let pending = true
    let pages = 10
    while (pending) {
      const result = await queue.next()
      pending = !!result.more
      if (pages-- === 0) {
        throw new Error('too many pages')
      }
    }
  }
  return docClient
}
"""


def test_a_batch_replayed_while_its_answer_leaves_items_until_a_retry_countdown_runs_out():
    found = _found(BATCH)
    assert (6, "retry", 11) in found  # 10 replays after the first write
    assert not any(line == 21 for line, kind, _ in found if kind == "retry")  # a countdown not named for retries


CONNECT = """const mqtt = require('mqtt');
const amqp = require('amqplib/callback_api');

function startMqtt(callback) {
    let numRetried = 1;
    const retries = 5;
    function createConnection(callback) {
        const client = mqtt.connect('mqtt://broker:1883', {});
        if (!client) {
            if (numRetried <= retries) {
                numRetried++;
                return setTimeout(createConnection, 5000, callback);
            }
            return callback('error');
        }
    }
    createConnection(callback);
}

function startAmqp(callback) {
    let numRetried = 0;
    const retries = 5;
    function createConnection(callback) {
        amqp.connect('amqp://rabbit', function (err, conn) {
            if (err) {
                if (numRetried <= retries) {
                    numRetried++;
                    return setTimeout(createConnection, 5000, callback);
                }
                return callback(err);
            }
            conn.on('close', function () {
                if (numRetried <= retries) {
                    numRetried++;
                    return setTimeout(createConnection, 5000);
                }
            });
        });
    }
    createConnection(callback);
}
"""


def test_a_connection_rescheduled_under_a_counter_stepped_first_in_the_branch():
    found = {(line, value) for line, kind, value in _found(CONNECT) if kind == "retry"}
    assert (12, 6) in found and (28, 7) in found  # `c <= N; c++` from 1: 6 tries; from 0: 7
    assert not any(line == 35 for line, _ in found)  # the reconnect on 'close': a lost connection, no retry


def test_a_poll_of_remote_progress_state_is_no_retry():
    source = """class C {
  async retry(methodName, args, { res, retries = 0, totalRetries = 20 } = {}) {
    if (retries >= totalRetries) {
      return res;
    }
    if (!res || ['initial', 'in progress'].includes(res?.last_operation?.state)) {
      const next = await this[methodName](...args);
      await wait(1000);
      return this.retry(methodName, args, { res: next, retries: retries + 1, totalRetries });
    }
    return res;
  }
}
"""
    assert not any(kind == "retry" for _, kind, _ in _found(source))


def test_a_remote_api_config_object_named_by_its_server_url():
    source = """export const config = () => ({
  serverUrl: process.env.DYNAMICS_API_PATH,
  timeout: process.env.DYNAMICS_API_TIMEOUT || 90000,
})
export const server = () => ({ port: 4000, timeout: 30000 })
"""
    assert _found(source, "src/client/dynamics-client.js") == {(3, "timeout", 90000)}


def test_a_health_check_script_probing_its_own_port_is_no_contract():
    source = """const http = require('http');
const options = { host: 'localhost', port: 4041, timeout: 2000, method: 'GET', path: '/about' };
const request = http.request(options, (res) => process.exit(res.statusCode === 200 ? 0 : 1));
request.end();
"""
    assert _found(source, "bin/healthcheck.js") == set()
    remote = source.replace("'localhost'", "'orion'")
    assert (3, "timeout", 2000) in _found(remote, "bin/healthcheck.js") or \
        (2, "timeout", 2000) in _found(remote, "bin/healthcheck.js")


def test_a_timeout_assigned_on_options_handed_to_a_package_client_factory():
    source = """const jayson = require('jayson/promise');
const url = require('url');
let rpc = url.parse(process.env.BITCOIND_RPC);
rpc.timeout = 15000;
module.exports = jayson.client.http(rpc);

function local() {
  const opts = url.parse(process.env.X);
  opts.timeout = 500;
  return url.format(opts);
}
"""
    assert _found(source, "bitcoin.js") == {(4, "timeout", 15000)}


def test_hapi_cache_generate_timeout_bounds_the_wait_for_the_generate_functions_answer():
    source = """const ONE_MINUTE_IN_MS = 60 * 1000
export default {
  name: 'TokenCache',
  register: (server) => {
    server.method('getToken', async () => tokenRequest(), {
      cache: {
        expiresIn: 60 * ONE_MINUTE_IN_MS,
        generateTimeout: ONE_MINUTE_IN_MS
      }
    })
    server.method('getLocal', async () => 1, { cache: { expiresIn: 1000, generateTimeout: false } })
  }
}
const labels = { generateTimeout: 'Generate timeout' }
"""
    assert {(line, value) for line, kind, value in _found(source, "src/plugins/token-cache.plugin.js")
            if kind == "timeout"} == {(8, 60000)}


RACE_FACTORY = """const GATHERING_TIMEOUT = 30000;
class Kurento {
  async gather(elementId) {
    const mediaElement = this.getMediaElement(elementId);
    const done = new Promise((resolve, reject) => {
      mediaElement.once('IceGatheringDone', () => {
        mediaElement.getLocalSessionDescriptor((error, d) => (error ? reject(error) : resolve(d)));
      });
    });
    const failOver = () => {
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          mediaElement.getLocalSessionDescriptor((error, d) => (error ? reject(error) : resolve(d)));
        }, GATHERING_TIMEOUT);
      });
    };
    await this.gatherCandidates(elementId);
    return Promise.race([done, failOver()]);
  }

  send(ws, message) {
    return new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('timeout')), 5000);
      ws.send(message, (err) => (err ? reject(err) : resolve()));
    });
  }
}
"""


def test_a_timer_made_by_a_raced_factory_is_read_on_the_race():
    found = {(line, value) for line, kind, value in _found(RACE_FACTORY) if kind == "timeout"}
    assert found == {(18, 30000), (23, 5000)}  # the race's line; a timer of a promise nobody races stays put


def test_a_bumped_attempt_given_up_on_by_a_check_before_it_keeps_its_reading():
    # (lido-council-daemon's stomp client: `attempt += 1` after a give-up check `attempt >= reconnectAttempts`,
    # no guard around the self-call: not the `attempt < maxTries` guard above, read as before)
    source = """export class Stomp {
  private async connectWithRetry(attempt = 1) {
    try {
      await this.transmit('CONNECT', {});
    } catch (error) {
      if (attempt >= this.options.reconnectAttempts) {
        throw error;
      }
      attempt += 1;
      await sleep(this.options.reconnectTimeout);
      await this.connectWithRetry(attempt);
    }
  }
}
"""
    assert (11, "retry", 2) in _found(source, "stomp.client.ts")


RECORDING = """const RECORDING_MAX_RETRIES = 4;
const delay = (ms) => new Promise((r) => setTimeout(r, ms));
class Video {
  constructor() {
    this._recordingRetries = 0;
    this._pages = 0;
  }
  shouldRecord() {
    return this.isMeetingRecorded && this.status === 'started' && this._recordingRetries < RECORDING_MAX_RETRIES;
  }
  shouldContinue() {
    return this._pages < 10;
  }
  async _startRecording(options = {}) {
    this._recordingRetries++;
    return this.mcs.startRecording(this.userId, this.mediaId, options);
  }
  async startRecording(options = {}) {
    return this._startRecording(options).catch((error) => {
      return this.stopRecording().finally(() => delay(2000).then(() => {
        if (this.shouldRecord()) {
          return this.startRecording({ eventOnFlow: true });
        }
        return Promise.reject(error);
      }));
    });
  }
  async listAll(page) {
    return this.client.list(page).catch((error) => {
      if (this.shouldContinue()) {
        return this.listAll(page);
      }
      throw error;
    });
  }
}
"""


def test_a_self_call_guarded_by_a_predicate_method_reading_a_stepped_counter_field():
    found = {(line, value) for line, kind, value in _found(RECORDING) if kind == "retry"}
    assert (22, 4) in found  # counter from 0, stepped at the start of each try, retried while < 4: 4 tries
    assert not any(line == 31 for line, _ in found)  # a predicate over a field never stepped: no count, no retry


def test_the_queue_packages_job_timeout_not_a_project_module_of_that_name():
    source = """const QueueD = require('queue');
const local = require('./queue');
const REQUEST_QUEUE_TIMEOUT = 15000;
function lifecycle(concurrency = 1) {
  return QueueD({
    concurrency,
    timeout: REQUEST_QUEUE_TIMEOUT,
    autostart: true,
  });
}
const jobs = local({ timeout: 5 });
"""
    found = {(line, value) for line, kind, value in _found(source) if kind == "timeout"}
    assert (7, 15000) in found and (11, 5) not in found  # (a project helper's call keeps its own proposal)


def test_a_catch_creating_what_was_not_found_then_reading_it_is_no_retry():
    source = """const removeSite = async (site) => {
  let credentials;
  try {
    credentials = await apiClient.fetchServiceInstanceCredentials(site.s3ServiceName);
  } catch (err) {
    if (!err.message.match(/Not found/)) {
      throw err;
    }
    const service = await apiClient.fetchServiceInstance(site.s3ServiceName);
    await apiClient.createServiceKey(site.s3ServiceName, service.metadata.guid);
    credentials = await apiClient.fetchServiceInstanceCredentials(site.s3ServiceName);
  }
  return credentials;
};
const refresh = async (id) => {
  try {
    return await api.fetchData(id);
  } catch (err) {
    if (err.status === 401) {
      await api.login();
      return await api.fetchData(id);
    }
    throw err;
  }
};
"""
    found = {(line, value) for line, kind, value in _found(source) if kind == "retry"}
    assert found == {(16, 2)}  # the re-login and send again stays a 2-try retry (on its try line)
