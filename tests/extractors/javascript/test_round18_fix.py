"""Round 18 second-wave fixes (JavaScript): shapes the measure-only helpers' held-out sets missed."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _found(root: Path, kind: str):
    return sorted((f.path, f.line, f.attributes.get("timeout_ms") if kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in scan(root, jobs=1).findings if f.kind == kind)


MEMBER_HELPER = """\
const axios = require('axios');
const ms = require('ms');
async function postRequestPromise(ctx, uri, postData, optTimeout, opt_headers) {
  const axiosConfig = {
    url: uri,
    method: 'POST',
    data: postData,
    signal: optTimeout?.wholeCycle && AbortSignal.timeout ? AbortSignal.timeout(ms(optTimeout.wholeCycle)) : undefined,
    timeout: optTimeout?.connectionAndInactivity ? ms(optTimeout.connectionAndInactivity) : undefined
  };
  const response = await axios(axiosConfig);
  return response;
}
async function getName(ctx, uri, name) {
  return axios.get(uri, { headers: { name: name.first } });
}
exports.postRequestPromise = postRequestPromise;
exports.getName = getName;
"""

MEMBER_CALLER = """\
const config = require('config');
const utils = require('./../Common/sources/utils');
const cfgCallbackRequestTimeout = config.get('services.x.callbackRequestTimeout');
const cfgDl = config.get('services.x.dl');
async function send(ctx, uri, data) {
  const tenCallbackRequestTimeout = ctx.getCfg('services.x.callbackRequestTimeout', cfgCallbackRequestTimeout);
  const res = await utils.postRequestPromise(ctx, uri, data, tenCallbackRequestTimeout, {});
  const other = await utils.postRequestPromise(ctx, uri, data, cfgDl);
  // the timeout word in a comment, a config value handed where the helper reads no timeout member
  const name = ctx.getCfg('services.x.name', cfgDl);
  await utils.getName(ctx, uri, name);
  await utils.postRequestPromise(ctx, 'timeout', data);
  return res;
}
module.exports = { send };
"""


def test_member_of_a_timeout_object_fed_from_node_config(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "svc", "dependencies": {"axios": "1", "config": "3"}}',
        "Common/config/default.json": '{"services": {"x": {"callbackRequestTimeout": {"connectionAndInactivity": '
                                      '"10m", "wholeCycle": "10m"}, "dl": {"connectionAndInactivity": 120000}, '
                                      '"name": {"first": "a"}}}}',
        "Common/sources/utils.js": MEMBER_HELPER,
        "Doc/client.js": MEMBER_CALLER,
    })
    # rule (c) at each call handing a config object, valued at the member the helper reads ("10m", 120000 ms);
    # the helper's own axios(axiosConfig) only forwards its parameter: no finding there
    assert _found(tmp_path, "timeout") == [("Doc/client.js", 7, 600000), ("Doc/client.js", 8, 120000)]


def test_member_helper_in_a_service_without_its_own_config_folder(tmp_path):
    # DocService runs with NODE_CONFIG_DIR=../Common/config: the scan's only node-config folder
    _write(tmp_path, {
        "Common/package.json": '{"name": "common", "dependencies": {"axios": "1", "config": "3"}}',
        "Common/config/default.json": '{"services": {"x": {"callbackRequestTimeout": {"connectionAndInactivity": '
                                      '"10m"}, "dl": {"connectionAndInactivity": 120000}, "name": {"first": "a"}}}}',
        "Common/sources/utils.js": MEMBER_HELPER,
        "Doc/package.json": '{"name": "doc", "dependencies": {"config": "3"}}',
        "Doc/client.js": MEMBER_CALLER,
    })
    assert _found(tmp_path, "timeout") == [("Doc/client.js", 7, 600000), ("Doc/client.js", 8, 120000)]


COUNTED_FLAG_LOOPS = """\
const config = require('config');
const cfgMax = config.get('converter.downloadAttemptMaxCount');
class Panel {
  async setAlarmMode(message) {
    let retries = 5
    let setAlarmSuccess = false
    while (retries-- > 0 && !(setAlarmSuccess)) {
      setAlarmSuccess = await this.trySetAlarmMode(message)
    }
  }
  async refreshSnapshot() {
    let newSnapshot = false
    let loop = 3
    while (!newSnapshot && loop > 0) {
      try {
        newSnapshot = await this.device.getNextSnapshot({ force: true })
      } catch (err) {
        await sleep(1)
      }
      loop--
    }
  }
}
function* downloadFile(ctx, uri) {
  const tenMax = ctx.getCfg('converter.downloadAttemptMaxCount', cfgMax);
  let res = constants.CONVERT_DOWNLOAD;
  let downloadAttemptCount = 0;
  if (uri) {
    while (constants.NO_ERROR !== res && downloadAttemptCount++ < tenMax) {
      try {
        yield fetchIt(uri);
        res = constants.NO_ERROR;
      } catch (err) {
        yield sleep(1000);
      }
    }
  }
}
async function walk(items) {
  let i = 0
  let found = false
  while (!found && i < items.length) {
    found = await check(items[i])
    i++
  }
  let n = 0
  let done = false
  while (!done && n < 10) {
    done = await check(items[n])
    n++
  }
  // a retry word in a comment; no await: a local computation
  let retries = 4
  let ok = false
  while (retries-- > 0 && !ok) {
    ok = compute()
  }
}
module.exports = { Panel, downloadFile, walk };
"""


def test_counted_loops_until_a_flag_says_it_went_through(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "svc", "dependencies": {"config": "3"}}',
        "config/default.json": '{"converter": {"downloadAttemptMaxCount": 3}}',
        "lib/panel.js": COUNTED_FLAG_LOOPS,
    })
    assert _found(tmp_path, "retry") == [("lib/panel.js", 7, 5), ("lib/panel.js", 14, 3), ("lib/panel.js", 29, 3)]


PROMISE_RETRY = """\
const promiseRetry = require('promise-retry')
const sendAndRetry = async id => {
  const options = {
    retries: 5,
    factor: 3,
    minTimeout: 10 * 1000
  }
  const func = (retry, number) => {
    return send(id).catch(retry)
  }
  return promiseRetry(func, options)
}
const optionsFirst = async id => {
  const opts = { retries: 2 }
  return promiseRetry(opts, (retry) => send(id).catch(retry))
}
const waitForReady = async batch => {
  const promiseRetryOptions = { retries: 5, factor: 3 }
  const func = async (retry, number) => {
    const { status } = await api.getStatus(batch.externalId)
    if (status !== 'initialised') {
      return retry(new Error('not ready'))
    }
    return true
  }
  return promiseRetry(func, promiseRetryOptions)
}
const retryOnFailure = async id => {
  return promiseRetry(async (retry) => {
    try {
      return await send(id)
    } catch (err) {
      if (err.status >= 500) return retry(err)
      throw err
    }
  }, { retries: 3 })
}
module.exports = { sendAndRetry, optionsFirst, waitForReady, retryOnFailure }
"""


def test_promise_retry_options_in_a_local_and_a_status_poll(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "svc", "dependencies": {"promise-retry": "2"}}',
                      "src/notify.js": PROMISE_RETRY})
    # 5 retries after the first try: 6 (not the library's default 10 + 1); the status poll is no retry
    assert _found(tmp_path, "retry") == [("src/notify.js", 11, 6), ("src/notify.js", 15, 3), ("src/notify.js", 29, 4)]


DB_CONNECTORS = {
    "config/default.json": '{"sql": {"dbHost": "h", "pgPoolExtraOptions": {"idleTimeoutMillis": 30000, '
                           '"connectionTimeoutMillis": 60000}, "mysqlExtraOptions": {"connectTimeout": 45000}, '
                           '"oracleExtraOptions": {"connectTimeout": 60}}, "email": {"connectionConfiguration": {}}}',
    "package.json": '{"name": "svc", "dependencies": {"config": "3", "pg": "8", "mysql2": "3", "oracledb": "6", '
                    '"nodemailer": "6"}}',
    "src/pg.js": """\
const pg = require('pg');
const config = require('config');
const configSql = config.get('sql');
const pgPoolExtraOptions = config.util.cloneDeep(configSql.get('pgPoolExtraOptions'));
const connectionConfig = { host: configSql.get('dbHost'), max: 10 };
//timeouts from the extra options (a file needs a word of a setting to be read)
config.util.extendDeep(connectionConfig, pgPoolExtraOptions);
const pool = new pg.Pool(connectionConfig);
module.exports = { pool };
""",
    "src/mysql.js": """\
const mysql = require('mysql2');
const config = require('config');
const configSql = config.get('sql');
const connectionConfiguration = { host: configSql.get('dbHost') };
const additionalOptions = config.util.cloneDeep(configSql.get('mysqlExtraOptions'));
const configuration = Object.assign({}, connectionConfiguration, additionalOptions);
const pool = mysql.createPool(configuration);
// a section setting no timeout: nothing
const other = mysql.createPool(Object.assign({}, connectionConfiguration, config.get('sql.dbHostOptions')));
module.exports = { pool, other };
""",
    "src/oracle.js": """\
const oracledb = require('oracledb');
const config = require('config');
const configSql = config.get('sql');
const additionalOptions = config.util.cloneDeep(configSql.get('oracleExtraOptions'));
const configuration = Object.assign({}, { user: 'u' }, additionalOptions);
let pool = null;
async function query(sql) {
  if (!pool) {
    pool = await oracledb.createPool(configuration);
  }
  try {
    return await pool.getConnection();
  } catch (err) {
    return null;
  }
}
module.exports = { query };
""",
    "src/mail.js": """\
const config = require('config');
const nodemailer = require('nodemailer');
const cfgConnection = config.util.cloneDeep(config.get('email.connectionConfiguration'));
const connectionDefaultSettings = {
  pool: true,
  socketTimeout: 1000 * 60 * 2,
  connectionTimeout: 1000 * 60 * 2,
  maxConnections: 10
};
const settings = Object.assign(connectionDefaultSettings, cfgConnection);
function createTransporter(host, port) {
  const transport = Object.assign({}, { host, port }, settings);
  return nodemailer.createTransport(transport);
}
module.exports = { createTransporter };
""",
}


def test_driver_options_merged_from_node_config_sections(tmp_path):
    _write(tmp_path, DB_CONNECTORS)
    # (a literal's key on its line; a node-config section's key at the driver's call, oracledb's in seconds)
    assert _found(tmp_path, "timeout") == [("src/mail.js", 6, 120000), ("src/mail.js", 7, 120000),
                                           ("src/mysql.js", 7, 45000), ("src/oracle.js", 9, 60000),
                                           ("src/pg.js", 8, 60000)]


FACTORY_POOL = {
    "package.json": '{"name": "auth", "dependencies": {"poolee": "1"}}',
    "lib/pool.js": """\
const Poolee = require('poolee');
const http = require('http');
function Pool(uri, options = {}) {
  this.poolee = new Poolee(
    http,
    [uri],
    {
      timeout: options.timeout || 5000,
      keepAlive: true,
      maxRetries: 0
    }
  );
}
Pool.prototype.request = function (method, path) { return this.poolee.request({ method, path }) };
module.exports = Pool;
""",
    "lib/backendService.js": """\
const Pool = require('./pool');
module.exports = function createBackendServiceAPI(log, config, serviceName, methods) {
  function Service(url, options = {}) {
    this._headers = options.headers;
    this._pool = new Pool(url, options);
  }
  Service.prototype.close = function close() { return this._pool.close() };
  return Service;
};
""",
    "lib/customs.js": """\
const createBackendServiceAPI = require('./backendService');
module.exports = (log, config) => {
  const CustomsAPI = createBackendServiceAPI(log, config, 'customs', {});
  const PushboxAPI = createBackendServiceAPI(log, config, 'pushbox', {});
  const customs = new CustomsAPI(config.url, { timeout: 3000 });
  const pushbox = new PushboxAPI(config.pushbox, {
    headers: { Authorization: 'key' },
    timeout: 15000
  });
  // a construction of something else naming a timeout: not the factory's
  const other = new Map([['timeout', 1]]);
  return { customs, pushbox, other };
};
""",
}


def test_pool_helper_through_a_factory_returned_constructor(tmp_path):
    _write(tmp_path, FACTORY_POOL)
    # rule (a) at the pool's key; Service only hands its options on (no finding at new Pool(url, options));
    # rule (c) at each construction naming a timeout; poolee's maxRetries 0: one try
    assert _found(tmp_path, "timeout") == [("lib/customs.js", 5, 3000), ("lib/customs.js", 8, 15000),
                                           ("lib/pool.js", 8, 5000)]
    assert _found(tmp_path, "retry") == [("lib/pool.js", 10, 1)]


REDELIVERY = {
    "package.json": '{"name": "queue", "dependencies": {"config": "3", "amqplib": "0.10"}}',
    "config/default.json": '{"converter": {"maxRedeliveredCount": 2}, "callbackBackoffOptions": {"retries": 3}}',
    "lib/queue.js": """\
const config = require('config');
const cfgMaxRedeliveredCount = config.get('converter.maxRedeliveredCount');
const cfgCallbackBackoffOptions = config.get('callbackBackoffOptions');
function* pushBackRedelivered(taskqueue, message, ack) {
  if (message?.fields?.redelivered) {
    try {
      const redeliveredCount = message.properties.headers['x-redelivered-count'];
      if (!redeliveredCount || redeliveredCount < cfgMaxRedeliveredCount) {
        message.properties.headers['x-redelivered-count'] = redeliveredCount ? redeliveredCount + 1 : 1;
        yield addTaskString(taskqueue, message.content.toString());
      }
    } finally {
      ack();
    }
  }
}
function* pushBackActive(taskqueue, context, ack) {
  if (context.message.delivery_count > cfgMaxRedeliveredCount) {
    ack();
  }
}
function* callback(ctx, cmd) {
  const tenCallbackBackoffOptions = ctx.getCfg('callbackBackoffOptions', cfgCallbackBackoffOptions);
  let needRetry = false;
  try {
    yield send(cmd);
  } catch (err) {
    const attempt = cmd.getAttempt() || 0;
    if (attempt < tenCallbackBackoffOptions.retries) {
      needRetry = true;
    }
  }
  return needRetry;
}
function report(message, redeliveredCount) {
  // a count compared for a log line, no re-send: nothing
  if (redeliveredCount < cfgMaxRedeliveredCount) {
    console.log('redelivered', redeliveredCount);
  }
}
module.exports = { pushBackRedelivered, pushBackActive, callback, report };
""",
}


def test_consumer_retry_budgets_checked_against_a_count_the_message_carries(tmp_path):
    _write(tmp_path, REDELIVERY)
    assert _found(tmp_path, "retry") == [("lib/queue.js", 8, 3), ("lib/queue.js", 18, 3), ("lib/queue.js", 29, 4)]


CONNECT_RERUN = """\
const amqp = require('amqplib/callback_api');
const RECONNECT_TIMEOUT = 1000;
function connetPromise(closeCallback) {
  return new Promise((resolve, _reject) => {
    function startConnect() {
      amqp.connect('amqp://x', {}, (err, conn) => {
        if (null != err) {
          console.error(err);
          setTimeout(startConnect, RECONNECT_TIMEOUT);
        } else {
          conn.on('close', closeCallback);
          resolve(conn);
        }
      });
    }
    startConnect();
  });
}
function openActive(container, closeCallback) {
  function startConnect() {
    let isConnected = false;
    const onDisconnected = function () {
      if (isConnected) {
        closeCallback();
      } else {
        setTimeout(startConnect, RECONNECT_TIMEOUT);
      }
    };
    const conn = container.connect({ host: 'x' });
    conn.on('connection_open', () => { isConnected = true });
    conn.on('disconnected', onDisconnected);
  }
  startConnect();
}
function heartbeat(client) {
  // a periodic job after a success, not a re-try of a failed connect
  client.connect();
  if (client.ok) {
    setTimeout(heartbeat, 1000);
  }
}
async function assessTxindexAvailability() {
  // re-run from a catch without a connect: not read (a heartbeat's catch does the same)
  try {
    await rpc.getIndexInfo();
  } catch (e) {
    setTimeout(assessTxindexAvailability, 5000);
  }
}
async function pollJobs() {
  // rescheduled after a success too: a periodic job
  try {
    await work();
  } catch (e) {
    setTimeout(pollJobs, 5000);
    return;
  }
  setTimeout(pollJobs, 100);
}
module.exports = { connetPromise, openActive, heartbeat, assessTxindexAvailability, pollJobs };
"""


def test_a_connect_scheduled_again_after_it_failed(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "q", "dependencies": {"amqplib": "0.10"}}', "lib/mq.js": CONNECT_RERUN})
    # (round 20, js1) the txindex check re-run from its catch is rerun_retry's (btc-rpc-explorer labels it:
    # unbounded, null); connect_rerun still leaves it
    assert _found(tmp_path, "retry") == [("lib/mq.js", 9, None), ("lib/mq.js", 26, None), ("lib/mq.js", 47, None)]


GOT_HOOK = """\
const gotWithProxy = require('./got-with-proxy')
const afterResponseHook = async (response, retryWithMergedOptions) => {
  if (response.statusCode === 401) {
    const token = await tokens.token(true)
    return retryWithMergedOptions({ headers: { authorization: `Bearer ${token}` } })
  }
  return response
}
const logHook = async (response, retryWithMergedOptions) => {
  console.log(response.statusCode, 'retryWithMergedOptions not called')
  return response
}
module.exports = gotWithProxy.extend({ hooks: { afterResponse: [afterResponseHook, logHook] } })
"""


def test_got_after_response_hook_re_sending_with_merged_options(tmp_path):
    _write(tmp_path, {"package.json": '{"name": "cm", "dependencies": {"got": "11"}}', "lib/got-cm.js": GOT_HOOK,
                      "lib/got-with-proxy.js": "const got = require('got')\nmodule.exports = got.extend({})\n"})
    assert _found(tmp_path, "retry") == [("lib/got-cm.js", 5, 2)]


AI_PROXY = """\
const config = require('config');
const utils = require('./../Common/sources/utils');
const cfgAiApiTimeout = config.get('aiSettings.timeout');
async function proxyRequest(ctx, uri, body) {
  const tenAiApiTimeout = ctx.getCfg('aiSettings.timeout', cfgAiApiTimeout);
  const timeoutOptions = {
    connectionAndInactivity: tenAiApiTimeout,
    wholeCycle: tenAiApiTimeout
  };
  const mixed = { connectionAndInactivity: tenAiApiTimeout, wholeCycle: '1m' };
  const requestParams = { uri, timeout: timeoutOptions, limit: null };
  const result = await utils.postRequestPromise(ctx, requestParams.uri, body, requestParams.timeout);
  // members of different values: which one the helper reads is not known here
  await utils.postRequestPromise(ctx, uri, body, mixed);
  return result;
}
module.exports = { proxyRequest };
"""


def test_timeout_object_built_here_with_one_setting_in_every_member(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "svc", "dependencies": {"axios": "1", "config": "3"}}',
        "config/default.json": '{"aiSettings": {"timeout": "5m"}}',
        "Common/sources/utils.js": MEMBER_HELPER,
        "Doc/ai.js": AI_PROXY,
    })
    assert _found(tmp_path, "timeout") == [("Doc/ai.js", 12, 300000)]
