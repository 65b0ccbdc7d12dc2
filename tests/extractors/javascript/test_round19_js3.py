"""Round 19 (js3, second-wave fixes): shapes of the round-19 measure-only JavaScript sets (gekko, greenkeeper,
the-guard-bot, fiware-sth-comet, cartodb-sql-api, fxa-customs-server)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from tests.extractors.javascript.conftest import extract_text


def _found(source: str, path: str = "example.js"):
    return {(f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts"))
            for f in extract_text(source, path).findings if f.kind in ("timeout", "retry")}


def _scan(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "svc"
    (root / "package.json").parent.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"name": "svc"}')
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


# ------------------------------------------------ a retry helper defaulting its options in the body (gekko)

UTILS = """const retry = require('retry');

const retryInstance = (options, checkFn, callback) => {
  if(!options) {
    options = {
      retries: 100,
      factor: 1.2,
    };
  }
  const operation = retry.operation(options);
  operation.attempt(function(currentAttempt) {
    checkFn((err, result) => {
      if(!err) return callback(undefined, result);
      return operation.retry(err);
    });
  });
}

const describe = (options, label) => {
  console.log(label, options);
}

module.exports = { retry: retryInstance, describe };
"""

CALLERS = """const exchangeUtils = require('./utils');
const retry = exchangeUtils.retry;
const describe = exchangeUtils.describe;

const fetch = cb => client.get('/x', cb);
retry(undefined, fetch, handle);
retry(null, fetch, handle);
retry({ retries: 3 }, fetch, handle);
describe(null, 'no retry here');
"""


def test_in_body_default_is_the_helpers_value_and_each_nil_call_gets_it(tmp_path):
    found = _scan(tmp_path, {"utils.js": UTILS, "wrapper.js": CALLERS})
    assert ("utils.js", 10, "retry", 101) in found  # rule (a): retries 100 + the first try
    assert ("wrapper.js", 6, "retry", 101) in found  # rule (b): undefined gets the body's default
    assert ("wrapper.js", 7, "retry", 101) in found  # `!options` also catches null
    assert ("wrapper.js", 8, "retry", 4) in found  # rule (c): the caller's own count
    assert not any(f[0] == "wrapper.js" and f[1] == 9 for f in found)  # a helper without a retry


def test_required_member_form_is_the_same_helper(tmp_path):
    caller = "const retry = require('./utils').retry;\nretry(null, cb => client.get('/y', cb), done);\n"
    assert ("wrapper.js", 2, "retry", 101) in _scan(tmp_path, {"utils.js": UTILS, "wrapper.js": caller})


STRICT_UNDEFINED = """const retry = require('retry');
export function withRetry(options, fn) {
  if (options === undefined) options = { retries: 4 };
  const op = retry.operation(options);
  op.attempt(() => fn((err) => op.retry(err)));
}
"""


def test_null_does_not_take_an_undefined_only_default(tmp_path):
    caller = ("import { withRetry } from './helper';\nwithRetry(null, cb => client.get('/y', cb));\n"
              "withRetry(undefined, cb => client.get('/z', cb));\n")
    found = _scan(tmp_path, {"helper.js": STRICT_UNDEFINED, "caller.js": caller})
    assert ("helper.js", 4, "retry", 5) in found
    assert ("caller.js", 3, "retry", 5) in found
    assert not any(f[0] == "caller.js" and f[1] == 2 for f in found)


def test_default_assigned_after_a_use_is_no_default():
    source = """const retry = require('retry');
function go(options, fn) {
  log(options);
  if (!options) options = { retries: 7 };
  const op = retry.operation(options);
  op.attempt(() => fn((err) => op.retry(err)));
}
"""
    assert (5, "retry", 11) in _found(source)  # the package's own default (10 retries), not the late object


def test_null_to_a_helper_without_an_in_body_default_is_nothing(tmp_path):
    helper = """const retry = require('retry');
module.exports.run = function (options, fn) {
  const op = retry.operation(options);
  op.attempt(() => fn((err) => op.retry(err)));
};
"""
    caller = "const h = require('./helper');\nh.run(null, cb => client.get('/y', cb));\n"
    found = _scan(tmp_path, {"helper.js": helper, "caller.js": caller})
    assert not any(f[0] == "caller.js" for f in found)


# ------------------------------------------------ package client constructors given a timeout (gekko, the-guard-bot)

CLIENTS = """const Binance = require('binance');
const Kraken = require('kraken-api');
const { Telegraf } = require('telegraf');
const PQueue = require('p-queue');
const Widget = require('./widget');
const ms = require('millisecond');
const moment = require('moment');

const Trader = function(config) {
  this.binance = new Binance.BinanceRest({
    key: this.key,
    timeout: 15000,
  });
  this.kraken = new Kraken(
    this.key,
    this.secret,
    {timeout: +moment.duration(60, 'seconds')}
  );
  this.queue = new PQueue({ concurrency: 1, timeout: 30000 });
  this.widget = new Widget({ timeout: 4000 });
};
const bot = new Telegraf(config.token, {
  handlerTimeout: ms('5s'),
  telegram: { webhookReply: false },
});
const note = { text: 'timeout: 9000 in a string' };
"""


def test_client_constructor_timeouts_at_their_keys():
    found = _found(CLIENTS, "exchange/wrappers/trader.js")
    assert (12, "timeout", 15000) in found  # a class named ...Rest
    assert (17, "timeout", 60000) in found  # a package named ...-api; moment.duration in ms
    assert (23, "timeout", 5000) in found  # Telegraf's handlerTimeout
    # not a queue (p-queue's own task timeout is another detector's), a project class, a string
    mine = [f.line for f in extract_text(CLIENTS, "exchange/wrappers/trader.js").findings
            if f.detector == "javascript.client_options"]
    assert not any(line in (19, 20, 26) for line in mine)


# ------------------------------------------------ the request package handed an options object built before (cartodb)

REQUEST = """var request = require('request');
function inline(cb) {
    request.post({ url: 'http://x/y', timeout: 2000, json: true }, cb);
}
HttpSimpleCapacity.prototype.getResponse = function (callback) {
    var requestParams = {
        method: 'POST',
        url: this.capacityEndpoint,
        timeout: 2000,
        json: true
    };
    request.post(requestParams, function (err, res) { callback(err); });
};
function other(cb) {
    const options = { uri: 'http://x/z', timeout: 3000 };
    request(options, cb);
}
"""


def test_request_options_object_is_read_at_the_call():
    found = _found(REQUEST, "lib/capacity/http-simple.js")
    assert (3, "timeout", 2000) in found
    assert (12, "timeout", 2000) in found and (9, "timeout", 2000) not in found
    assert (16, "timeout", 3000) in found and (15, "timeout", 3000) not in found


# ------------------------------------------------ promise-retry giving up on its attempt number (greenkeeper)

CAPPED = """const promiseRetry = require('promise-retry')
const max404Retries = 5
function lockfile (request, uri) {
  return promiseRetry((retry, number) => {
    return request({ uri, method: 'POST' })
      .catch(error => {
        if (number >= 3) {
          throw error
        }
        retry(error)
      })
  }, {
    retries: 3,
    minTimeout: 3000
  })
}
function repo (github, owner, name) {
  return promiseRetry((retry, number) => {
    return github.repos.get({ owner, name }).catch(error => {
      if (number === max404Retries) {
        log.warn('giving up')
      } else {
        retry(error)
      }
    })
  }, { retries: max404Retries })
}
function plain (request) {
  return promiseRetry((retry, number) => {
    log.info(`attempt ${number}`)
    if (retryCount >= 2) { throw new Error('other counter') }
    return request({ uri: '/x' }).catch(retry)
  }, { retries: 3 })
}
"""


def test_promise_retry_count_cut_short_by_the_attempt_number():
    found = _found(CAPPED)
    assert (4, "retry", 3) in found  # retries 3 would be 4 tries; gives up when the third fails
    assert (18, "retry", 5) in found  # gives up at number === 5
    assert (29, "retry", 4) in found  # a test of another counter: the options' count stands


# ------------------------------------------------ retry-promise (greenkeeper) and MongoDB reconnectTries

RETRY_PROMISE = """const retry = require('retry-promise').default
async function check (github) {
  await retry(
    {
      max: 5,
      backoff: 300
    },
    async (num) => {
      return await github.rateLimit.get({})
    }
  )
  await retry(async () => github.meta.get({}))
}
"""


def test_retry_promise_max_counts_every_try():
    found = _found(RETRY_PROMISE)
    assert (3, "retry", 5) in found
    assert (12, "retry", 10) in found  # the package's default


MONGO = """const mongoClient = require('mongodb').MongoClient;
function connect(url, callback) {
    mongoClient.connect(
        url,
        {
            poolSize: 5,
            reconnectTries: 30,
            reconnectInterval: 1000
        },
        callback
    );
}
const report = { reconnectTries: 3 };
"""


def test_mongodb_reconnect_tries_at_the_key():
    found = _found(MONGO)
    assert (7, "retry", 31) in found
    assert not any(line == 13 for line, _, _ in found)  # an object handed to no connect


# ------------------------------------------------ a self-call carrying a count bumped before a give-up check (gekko)

UPLOADER = """const axios = require('axios');
Uploader.prototype.rawUpload = function(candles, count, next) {
  axios({ url: config.url, method: 'post', data: candles })
    .then(r => next())
    .catch(e => {
      count++;
      if(count > 10) {
        return next();
      }
      setTimeout(() => this.rawUpload(candles, count, next), 2000);
    });
}
Uploader.prototype.upload = function() {
  this.rawUpload(this.candles, 0, () => this.schedule());
}
Sender.prototype.send = function(body, count, next) {
  axios.post(config.url, body).then(() => next()).catch(e => {
    if(count >= 3) {
      return next(e);
    }
    count++;
    setTimeout(() => this.send(body, count, next), 500);
  });
}
Sender.prototype.start = function() {
  this.send(this.body, 0, () => {});
}
Poller.prototype.poll = function(count) {
  axios.get(config.url).then(() => {}).catch(e => {
    if(count > 5) {
      return;
    }
    setTimeout(() => this.poll(count), 500);
  });
}
Poller.prototype.start = function() { this.poll(0); }
"""


def test_count_bumped_before_the_give_up_check_bounds_the_recursion():
    found = _found(UPLOADER)
    assert (10, "retry", 11) in found  # failures 1..11: the 11th passes 10
    assert (22, "retry", 4) in found  # bumped after the check: counts 0, 1, 2 retried, the 4th failure gives up
    assert (33, "retry", 6) not in found and (33, "retry", 7) not in found  # a count never bumped bounds nothing


# ------------------------------------------------ Octokit's error hook re-sending a failed request (greenkeeper)

OCTOKIT_HOOK = """const promiseRetry = require('promise-retry')
const ghRetry = (octokit) => {
  octokit.hook.error('request', (error, options) => {
    return promiseRetry(retry => {
      return octokitRequest(options).catch(error => {
        retry(error)
      })
    }, {
      retries: 5,
      minTimeout: 3000
    })
  })
}
function plain () {
  return promiseRetry(retry => octokitRequest({}).catch(retry), { retries: 5 })
}
"""


def test_retry_in_octokits_error_hook_counts_the_first_request():
    found = _found(OCTOKIT_HOOK)
    assert (4, "retry", 7) in found
    assert (15, "retry", 6) in found


# ------------------------------------------------ a config handed in, valued by a convict schema handed convict (fxa)

SCHEMA = """module.exports = function (fs, path, url, convict) {
  var conf = convict({
    reputationService: {
      timeout: {
        doc: 'timeout in ms to wait for requests sent to the IP Reputation Service',
        default: 50,
        format: 'nat',
        env: 'REPUTATION_SERVICE_TIMEOUT'
      }
    }
  })
  return conf
}
"""

READER = """module.exports = function (config, log) {
  var IPReputationClient = require('ip-reputation-js-client')
  var ipClient = new IPReputationClient({
    serviceUrl: config.reputationService.baseUrl,
    timeout: config.reputationService.timeout
  })
  var other = new IPReputationClient({
    serviceUrl: config.other.baseUrl,
    timeout: config.other.timeout
  })
  return { ipClient, other }
}
"""


def test_config_param_member_takes_the_convict_default(tmp_path):
    found = _scan(tmp_path, {"lib/config/config.js": SCHEMA, "lib/reputationService.js": READER})
    assert ("reputationService.js", 5, "timeout", 50) in found
    assert ("reputationService.js", 9, "timeout", None) in found  # no schema default: unresolved, as before
