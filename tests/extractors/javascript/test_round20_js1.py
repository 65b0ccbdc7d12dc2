"""Round 20 (js1): first-contact shapes of the round-20 JavaScript held-out sets (zenbot, pterodactyl-daemon,
storj-bridge, nightscout-connect), each with the traps around it."""

from __future__ import annotations

from tests.extractors.javascript.conftest import extract_text


def _found(source: str, path: str = "example.js"):
    return {(f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
            for f in extract_text(source, path).findings if f.kind in ("timeout", "retry")
            and f.detector != "javascript.wrapper_call"}


# ------------------------------------------------ a retry helper re-running a method picked by name (zenbot)

DISPATCH = """module.exports = function binance (conf) {
  function retry (method, args, err) {
    if (method !== 'getTrades') {
      console.error('Binance API is down! retrying in 20s')
    }
    setTimeout(function () {
      exchange[method].apply(exchange, args)
    }, 20000)
  }
  var exchange = {
    getTrades: function (opts, cb) {
      client.fetchTrades(opts.product_id).then(cb).catch(function (err) {
        return retry('getTrades', [opts, cb], err)
      })
    }
  }
  return exchange
}
"""


def test_dispatch_retry_helper_is_an_unbounded_retry_at_the_re_call():
    assert _found(DISPATCH) == {(7, "retry", None)}


def test_dispatch_with_call_and_arrow():
    source = """function retry(method, args, cb) {
  setTimeout(() => exchange[method].call(exchange, args, cb), ws_retry)
}
"""
    assert _found(source) == {(2, "retry", None)}


def test_dispatch_of_a_name_that_is_no_parameter_is_not_a_retry():
    source = """function retry(args) {
  setTimeout(function () {
    exchange['setFees'].apply(exchange, args)
  }, 1000)
}
"""
    assert _found(source) == set()


def test_dispatch_in_a_function_not_named_for_a_retry_is_not_a_retry():
    # bitfinex's waitForCalc: a 50 ms wait for a websocket calculation, not a re-try
    source = """function waitForCalc(method, args, cb) {
  setTimeout(function () {
    exchange[method].call(exchange, args, cb)
  }, 50)
}
"""
    assert _found(source) == set()


# ------------------------------------------------ a function scheduling itself again from its error path

BACKFILL = """function getNext () {
  exchange.getTrades(opts, function (err, results) {
    if (err) {
      console.error(err)
      if (err.code === 'ETIMEDOUT' || err.code === 'ECONNRESET') {
        console.error('retrying...')
        setImmediate(getNext)
        return
      }
      process.exit(1)
    }
    if (!results.length) {
      if (get_trade_retry_count < 5) {
        get_trade_retry_count++
        setImmediate(getNext)
        return
      }
    }
    runTasks(results)
  })
}

function runTasks (trades) {
  Promise.all(trades.map(saveTrade)).then(function () {
    return markers.replaceOne({_id: marker.id}, marker, {upsert: true})
  }).catch(function (err) {
    if (err) {
      console.error('retrying...')
      return setTimeout(runTasks, 10000, trades)
    }
  })
}
"""


def test_self_reschedule_on_the_error_path_is_an_unbounded_retry():
    # the counted re-query (get_trade_retry_count < 5) is a different request, left to the counted detectors
    assert _found(BACKFILL) == {(7, "retry", None), (29, "retry", None)}


def test_self_reschedule_in_a_catch_clause_with_an_arrow():
    source = """async function refresh() {
  try {
    await client.fetchMarkets()
  } catch (e) {
    setTimeout(() => refresh(), 5000)
  }
}
"""
    assert _found(source) == {(5, "retry", None)}


def test_a_poll_that_runs_again_whatever_happened_is_no_retry():
    source = """function poll() {
  client.get(url, function (err, body) {
    if (err) { return setTimeout(poll, 5000) }
    handle(body)
    setTimeout(poll, 1000)
  })
}
"""
    assert _found(source) == set()


def test_a_timer_handing_on_another_function_is_no_retry():
    source = """function getNext() {
  client.get(url, function (err) {
    if (err) { return setTimeout(reportFailure, 5000) }
  })
}
"""
    assert _found(source) == set()


def test_a_local_self_reschedule_without_outbound_call_is_no_retry():
    source = """function tick() {
  try { render() } catch (err) { setTimeout(tick, 100) }
}
"""
    assert _found(source) == set()


# ------------------------------------------------ the request package with inline options after a built URL

PTERO = """const Request = require('request');
function report(data, err) {
    Request.post(`${Config.get('remote.base')}/daemon/install`, {
        form: { server: data.uuid },
        followAllRedirects: true,
        timeout: 10000,
    }, (requestErr, response, body) => {});
    Request(`${Config.get('remote.base')}/api/remote/download-file`, {
        method: 'POST',
        timeout: 5000,
    }, (err, response, body) => {});
}
"""


def test_request_inline_options_after_a_template_url():
    assert _found(PTERO) == {(3, "timeout", 10000), (8, "timeout", 5000)}


def test_request_inline_options_of_another_package_or_without_timeout():
    source = """const request = require('./lib/request');
const Request = require('request');
request(`${base}/x`, { timeout: 5000 }, cb);
Request(`${base}/y`, { method: 'POST' }, cb);
"""
    found = _found(source)
    assert (4, "timeout", None) not in found and all(line != 4 for line, _, _ in found)


def test_request_literal_url_stays_with_client_options_once():
    source = """const Request = require('request');
Request.get('https://cdn.example.io/releases/latest.json', {
    timeout: 5000,
}, (err, response, body) => {});
"""
    found = _found(source)
    assert len([f for f in found if f[1] == "timeout"]) == 1 and any(v == 5000 for _, _, v in found)


# ------------------------------------------------ a timer aborting an outbound request (storj's shard audit)

ABORT = """const http = require('http');
const SHARD_TRANSFER_MAXTIME = 20 * 60 * 1000;
function download(contact, shard, done) {
  let transferTimer = null;
  const shardRequest = http.get({
    hostname: contact.address,
    path: `/shards/${shard.hash}`,
  }, (res) => { res.on('end', () => { clearTimeout(transferTimer); done() }) }).on('error', done);
  transferTimer = setTimeout(() => {
    shardRequest.abort();
  }, SHARD_TRANSFER_MAXTIME);
}
"""


def test_timer_aborting_the_request_is_its_total_timeout():
    assert (9, "timeout", 1200000) in _found(ABORT)


def test_timer_aborting_something_else_is_no_timeout():
    source = """function run() {
  const controller = new AbortController();
  const worker = spawnWorker();
  setTimeout(() => { worker.destroy() }, 5000);
}
"""
    assert _found(source) == set()


def test_timer_aborting_a_request_of_another_function_is_no_timeout():
    source = """const http = require('http');
let req;
function start() { req = http.get('http://x/y', cb) }
function stop() { setTimeout(() => { req.abort() }, 5000) }
"""
    assert all(kind != "timeout" or line != 4 for line, kind, _ in _found(source))


# ------------------------------------------------ maxRetries handed to a method of a handed object

NIGHTSCOUT = """function generate_driver (builder) {
  builder.register_loop('DexcomShare', {
    frame: {
      impl: impl.dataFromSesssion,
      backoff: {
        interval_ms: 2.5 * 60 * 1000
      },
      // only try 3 times to get data
      maxRetries: 2
    },
    expected_data_interval_ms: 5 * 60 * 1000,
  });
  return builder;
}
"""


def test_max_retries_handed_to_a_method_of_a_parameter():
    assert _found(NIGHTSCOUT) == {(9, "retry", 3)}


def test_max_retries_handed_to_a_package_or_an_imported_helper_is_left_to_others():
    source = """import { loop } from './loop';
const fs = require('fs');
loop.register({ maxRetries: 2 });
fs.rmSync(dir, { recursive: true, maxRetries: 3 });
const settings = { maxRetries: 4 };
"""
    assert _found(source) == set()


# ------------------------------------------------ a failover loop over a list of endpoints (tokenbridge)

FAILOVER = """HttpListProvider.prototype.trySend = async function(payload, initialIndex) {
  const errors = []
  for (let count = 0; count < this.urls.length; count++) {
    const index = (initialIndex + count) % this.urls.length
    const url = this.urls[index]
    try {
      const result = await send(url, payload, this.options)
      return [result, index]
    } catch (e) {
      errors.push(e)
    }
  }
  throw new Error('Request failed for all urls')
}
"""


def test_failover_loop_over_the_urls_is_a_retry_of_unknown_count():
    assert _found(FAILOVER) == {(3, "retry", None)}


def test_failover_loop_over_a_literal_list_counts_its_entries():
    source = """async function lookup(name) {
  const servers = ['1.1.1.1', '8.8.8.8', '9.9.9.9'];
  for (const server of servers) {
    try {
      return await resolver.query(server, name);
    } catch (err) {
      last = err;
    }
  }
}
"""
    assert _found(source) == {(3, "retry", 3)}


def test_iterating_every_entry_is_no_failover():
    source = """async function saveAll(items) {
  for (const item of items) {
    try {
      await db.save(item);
    } catch (e) {
      log(e);
    }
  }
}
"""
    assert _found(source) == set()


def test_a_generic_try_each_helper_and_a_throwing_catch_are_no_failover():
    source = """module.exports = async (array, f) => {
  for (let i = 0; i < array.length; i++) {
    try {
      const res = await f(array[i])
      return [res, i]
    } catch (e) {
      errors.push(e)
    }
  }
}
async function first(urls) {
  for (const url of urls) {
    try { return await fetchJson(url) } catch (e) { throw e }
  }
}
"""
    assert _found(source) == set()


# ------------------------------------------------ a request sent once more after a failed first answer (wekan)

RESEND = """async function avatar(imgUrl, key, token) {
  let res = await fetchSafe(imgUrl, { maxRedirects: MAX_DOWNLOAD_REDIRECTS });
  if (!res.ok) {
    res = await fetchSafe(imgUrl, {
      headers: { Authorization: authHeader(key, token) },
      maxRedirects: MAX_DOWNLOAD_REDIRECTS,
    });
  }
  if (!res.ok) return null;
  return res.arrayBuffer();
}
"""


def test_resend_after_a_failed_answer_is_a_retry_of_two_tries():
    assert _found(RESEND) == {(4, "retry", 2)}


def test_resend_on_a_401_status():
    source = """async function get(url) {
  let response = await http.get(url, { headers });
  if (response.status === 401) {
    await refresh();
    response = await http.get(url, { headers: fresh() });
  }
  return response;
}
"""
    assert _found(source) == {(5, "retry", 2)}


def test_another_question_or_another_variable_is_no_resend():
    source = """async function find(email) {
  let user = await db.find(email);
  if (!user) {
    user = await db.find(email.toLowerCase());
  }
  let res = await fetch(url);
  if (!res.ok) {
    other = await fetch(url);
  }
  let page = await fetch(url);
  if (ready) {
    page = await fetch(url);
  }
}
"""
    assert _found(source) == set()


def test_a_lookup_after_creating_is_no_resend():
    source = """async function sync(userQuery) {
  let user = await Meteor.users.findOneAsync(userQuery);
  if (!user) {
    await addUser(userQuery);
    user = await Meteor.users.findOneAsync(userQuery);
  }
  return user;
}
"""
    assert _found(source) == set()


# ------------------------------------------------ deadline helpers: a timer of a parameter bounding the work

def test_deadline_helper_publishes_its_timer_parameter_for_callers(tmp_path):
    from contract_discovery.pipeline import scan
    root = tmp_path / "svc"
    (root / "lib").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "svc"}')
    (root / "lib/deadline.js").write_text("""function withDeadline(promise, ms, onTimeout) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(onTimeout ? onTimeout() : new Error('operation-timeout')) }, ms);
    Promise.resolve(promise).then((v) => { clearTimeout(timer); resolve(v) }, reject);
  });
}
async function watchdog(f, timeout, kill) {
  const timeoutHandler = setTimeout(kill, timeout);
  const result = await f();
  clearTimeout(timeoutHandler);
  return result;
}
module.exports = { withDeadline, watchdog };
""")
    (root / "lib/use.js").write_text("""const { withDeadline, watchdog } = require('./deadline');
const axios = require('axios');
const IMPORT_TIMEOUT = 120000;
async function run(url) {
  return withDeadline(axios.get(url), IMPORT_TIMEOUT, () => new Error('x'));
}
async function loop() {
  await watchdog(() => axios.get('http://risk/score'), 30000, () => process.exit(11));
}
module.exports = { run, loop };
""")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = {(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
             for f in result.findings if f.kind == "timeout"}
    assert ("use.js", 5, 120000) in found and ("use.js", 8, 30000) in found
    assert not any(name == "deadline.js" for name, _, _ in found)  # the helpers' own timers forward


def test_a_sleep_or_a_timer_of_a_constant_is_no_deadline_helper():
    source = """function delay(ms) { return new Promise((resolve) => setTimeout(resolve, ms)) }
function guard(promise) { setTimeout(() => process.exit(1), 5000); return promise }
function later(fn, ms) { setTimeout(() => console.log('late'), ms); return fn() }
"""
    assert all(f[1] != "timeout" for f in _found(source))


def test_trying_local_folders_in_turn_is_no_failover():
    source = """const getCustomCss = async (cssName) => {
    for (const cssFolder of CSS_FOLDERS) {
        const fullPath = path.join(themesPath, cssFolder, `${cssName}.css`);
        try {
            if (fs.existsSync(fullPath)) {
                return (await fs.readFile(fullPath)).toString();
            }
        } catch (err) {
            logger.error(err.message);
        }
    }
    throw new Error('no css');
};
"""
    assert _found(source) == set()


# ------------------------------------------------ promise-retry's forever: no limit (tokenbridge's utils)

def test_promise_retry_forever_has_no_limit():
    source = """const promiseRetry = require('promise-retry')
const promiseRetryForever = f => promiseRetry(f, { forever: true, factor: 1 })
const fiveTimes = f => promiseRetry(f, { retries: 5 })
"""
    assert _found(source) == {(2, "retry", None), (3, "retry", 6)}


# ------------------------------------------------ an env reader returning its fallback from a ternary (wekan)

def test_env_reader_with_a_ternary_fallback_gives_the_default():
    source = """const http = require('http');
function intEnv(name, fallback) {
  const n = parseInt(process.env[name], 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
const COMMAND_TIMEOUT_MS = intEnv('WEKAN_FERRETDB_TIMEOUT_MS', 2000);
function get(url) { return http.get(url, { timeout: COMMAND_TIMEOUT_MS }) }
"""
    assert _found(source) == {(7, "timeout", 2000)}


def test_a_function_returning_something_else_is_no_env_reader():
    source = """const http = require('http');
function pick(name, fallback) {
  const n = parseInt(process.env[name], 10);
  return n + 1;
}
const T = pick('X_TIMEOUT', 2000);
function get(url) { return http.get(url, { timeout: T }) }
"""
    assert (7, "timeout", 2000) not in _found(source)


def test_deadline_helper_calls_with_a_config_max_time_or_a_getter_of_the_file(tmp_path):
    from contract_discovery.pipeline import scan
    root = tmp_path / "svc"
    (root / "lib").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "svc"}')
    (root / "lib/utils.js").write_text("""async function watchdog(f, timeout, kill) {
  const timeoutHandler = setTimeout(kill, timeout);
  const result = await f();
  clearTimeout(timeoutHandler);
  return result;
}
function withDeadline(promise, ms, onTimeout) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    Promise.resolve(promise).then((v) => { clearTimeout(timer); resolve(v) }, reject);
  });
}
module.exports = { watchdog, withDeadline };
""")
    (root / "lib/worker.js").write_text("""const path = require('path');
const axios = require('axios');
const config = require(path.join('../config/', process.argv[2]));
const { watchdog, withDeadline } = require('./utils');
function importDeadlineMs() {
  const ms = parseInt(process.env.WEKAN_IMPORT_TIMEOUT_MS, 10);
  return Number.isFinite(ms) ? ms : 120000;
}
async function runMain() {
  await watchdog(() => axios.get('http://bridge/x'), config.maxProcessingTime, () => process.exit(11));
  await watchdog(() => axios.get('http://bridge/y'), config.startTime, () => process.exit(11));
  return withDeadline(axios.post('http://bridge/import'), importDeadlineMs(), () => new Error('t'));
}
module.exports = { runMain };
""")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = {(f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("timeout_ms"))
             for f in result.findings if f.kind == "timeout"}
    assert ("worker.js", 10, None) in found and ("worker.js", 12, 120000) in found
    assert not any(name == "worker.js" and line == 11 for name, line, _ in found)  # a start time is no bound


# ------------------------------------------------ a retry loop's total-time budget (wekan's busy-write retry)

BUDGET = """const MAX_TOTAL_MS = 2000;
async function wekanRetryingWrite(...args) {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      if (!isTransient(error)) throw error;
      const delay = delayFor(attempt);
      const outOfAttempts = attempt >= 5;
      const outOfTime = Date.now() - startedAt + delay >= MAX_TOTAL_MS;
      if (outOfAttempts || outOfTime) {
        throw error;
      }
      await sleep(delay);
    }
  }
}
"""


def test_elapsed_budget_of_a_retry_loop_is_its_total_timeout():
    found = _found(BUDGET)
    # (the loop's own count through the `outOfAttempts` flag stays unread by retry_loop: value null)
    assert (11, "timeout", 2000) in found and any(line == 4 and kind == "retry" for line, kind, _ in found)


def test_elapsed_checks_outside_a_retry_or_per_try_are_no_budget():
    source = """async function poll() {
  const started = Date.now();
  while (true) {
    const res = await fetch(url);
    if (Date.now() - started > 5000) { console.log('slow'); }
    await sleep(1000);
  }
}
async function write() {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const tryStart = Date.now();
    try { return await fetch(url) } catch (e) {
      if (Date.now() - tryStart > 1000) throw e;
    }
  }
}
"""
    assert all(kind != "timeout" for _, kind, _ in _found(source))
