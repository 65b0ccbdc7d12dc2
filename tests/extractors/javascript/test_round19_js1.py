"""Round 19 (js1): shapes of the round-19 JavaScript held-out sets (DEFRA flood-app, ffc services,
Wikimedia wikifeeds, Firefox Send, fxa-profile-server): a file's own time-unit helpers
(`const seconds = secs => secs * 1000`), @hapi/wreck's timeout, Joi-validated configuration defaults."""

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


# --------------------------------------------------------------- unit helpers

UNIT_HELPERS = """const floodServices = require('./flood')
const seconds = secs => secs * 1000
const minutes = min => seconds(min * 60)
function hours (n) { return n * 60 * 60 * 1000 }
const STANDARD_TIMEOUT = seconds(10)
const outlookGenerateTimeout = 30
module.exports = server => {
  server.method('flood.getFloods', floodServices.getFloods, {
    cache: {
      expiresIn: minutes(1),
      generateTimeout: STANDARD_TIMEOUT
    }
  })
  server.method('flood.getOutlook', floodServices.getOutlook, {
    cache: {
      expiresIn: minutes(15),
      generateTimeout: seconds(outlookGenerateTimeout)
    }
  })
  server.method('flood.getStations', floodServices.getStations, {
    cache: {
      expiresIn: minutes(15),
      generateTimeout: hours(1)
    }
  })
}
"""


def test_unit_helper_constant_and_call_are_inlined():
    found = _found(UNIT_HELPERS)
    assert (11, "timeout", 10000) in found
    assert (17, "timeout", 30000) in found
    assert (23, "timeout", 3600000) in found


def test_function_that_is_not_arithmetic_is_not_a_unit_helper():
    source = """const lookup = name => settings[name]
const scale = (a, b) => a * b
const TIMEOUT = lookup('timeout')
const OTHER = scale(2, 1000)
server.method('x', fn, { cache: { expiresIn: 1000, generateTimeout: TIMEOUT } })
server.method('y', fn, { cache: { expiresIn: 1000, generateTimeout: OTHER } })
"""
    found = _found(source)
    assert (5, "timeout", 10000) not in found and not any(v == 2000 for _, _, v in found)


def test_unit_helper_in_a_string_or_comment_is_nothing():
    source = """const seconds = secs => secs * 1000
// generateTimeout: seconds(10)
const text = 'timeout: seconds(10)'
"""
    assert _found(source) == set()


# --------------------------------------------------------------- @hapi/wreck

WRECK = """const config = require('./config')
const wreck = require('@hapi/wreck').defaults({
  timeout: 10000
})
const Wreck = require('@hapi/wreck')

async function get (url) {
  return wreck.get(url, { json: true })
}

async function post (url, payload) {
  return Wreck.post(url, { payload, json: true, timeout: 2000 })
}

async function raw (url) {
  return Wreck.request('GET', url, {
    timeout: 3000
  })
}
"""


def test_wreck_defaults_and_request_timeouts():
    found = _found(WRECK)
    assert (3, "timeout", 10000) in found  # the option key of .defaults
    assert (12, "timeout", 2000) in found  # the called name's line
    assert (16, "timeout", 3000) in found
    assert not any(line == 8 for line, _, _ in found)  # a call without a timeout


def test_wreck_traps():
    source = """const other = require('./client')
const x = other.defaults({ timeout: 5000 })
const Wreck = require('@hapi/wreck')
Wreck.get(url, { json: true, timeout: 0 })
const note = "Wreck.get(url, { timeout: 5000 })"
"""
    found = _found(source)
    assert not any(kind == "timeout" and value in (0, 5000) and line in (4, 5) for line, kind, value in found)


# --------------------------------------------------------------- Joi-validated config

JOI_CONFIG = """const joi = require('joi')

const schema = joi.object({
  httpTimeoutMs: joi.number().default(10000),
  port: joi.number().default(3009),
  api: joi.object({
    retries: joi.number().integer().default(3)
  })
})

const config = {
  httpTimeoutMs: process.env.FLOOD_APP_HTTP_TIMEOUT,
  port: process.env.PORT,
  api: {
    retries: process.env.API_RETRIES
  }
}

const result = schema.validate(config, { abortEarly: false })
if (result.error) {
  throw new Error('invalid')
}
const value = result.value
module.exports = value
"""

HTTP_UTILS = """const config = require('./config')
const wreck = require('@hapi/wreck').defaults({
  timeout: config.httpTimeoutMs
})
module.exports = { get: url => wreck.get(url) }
"""


def test_joi_default_is_the_value_of_an_env_read(tmp_path):
    found = _scan(tmp_path, {"config.js": JOI_CONFIG, "http-utils.js": HTTP_UTILS})
    assert ("http-utils.js", 3, "timeout", 10000) in found


def test_joi_destructured_value_export(tmp_path):
    config = JOI_CONFIG.replace("const result = schema.validate(config, { abortEarly: false })\nif (result.error) {\n"
                                "  throw new Error('invalid')\n}\nconst value = result.value\n",
                                "const { error, value } = schema.validate(config)\n")
    found = _scan(tmp_path, {"config.js": config, "http-utils.js": HTTP_UTILS})
    assert ("http-utils.js", 3, "timeout", 10000) in found


def test_joi_schema_not_validating_the_object_gives_no_default(tmp_path):
    config = JOI_CONFIG.replace("schema.validate(config, { abortEarly: false })", "otherSchema.validate(config)")
    found = _scan(tmp_path, {"config.js": config, "http-utils.js": HTTP_UTILS})
    assert ("http-utils.js", 3, "timeout", 10000) not in found


# --------------------------------------------------------------- require('m').default, `x || 2 * 60 * 1000`

API_UTIL = """const axios = require('axios').default;
const axiosRetry = require('axios-retry').default;

function makeOutgoingRequest(outReq, parentReq) {
    const httpConf = parentReq.app.conf.http_client || {};
    const reqConfig = {
        url: new URL(outReq.uri),
        method: outReq.method,
        timeout: httpConf.timeout || 2 * 60 * 1000,
    };
    axiosRetry(axios, { retries: httpConf.retries || 3 });
    return axios.request(reqConfig);
}
"""


def test_require_default_member_binds_the_module():
    found = _found(API_UTIL)
    assert (11, "retry", 4) in found  # axios-retry through `require('axios-retry').default`
    assert (12, "timeout", 120000) in found  # the code's fallback, constant arithmetic


def test_require_member_traps():
    source = """const retry = require('./retry').default;
retry(client, { retries: 3 });
const timeout = settings.timeout || 2 * 60 * 1000;
"""
    found = _found(source)
    assert (2, "retry", 4) not in found
    assert not any(v == 120000 for _, _, v in found)


def test_convict_schema_entry_is_no_generate_timeout():
    source = """const convict = require('convict');
const conf = convict({
  serverCache: {
    expiresIn: {
      default: '1 hour',
      format: 'duration'
    },
    generateTimeout: {
      default: '11 seconds',
      format: 'duration',
      env: 'CACHE_GENERATE_TIMEOUT'
    }
  }
});
"""
    assert not any(line == 8 for line, _, _ in _found(source))


def test_hapi_generate_timeout_still_reported():
    source = """server.method('profile', fetchProfile, {
  cache: {
    expiresIn: 60000,
    generateTimeout: 11000
  }
});
"""
    assert (4, "timeout", 11000) in _found(source)


# --------------------------------------------------------------- a count constant of another module

RETRY_HELPER = """const retry = async (fn, retriesLeft = 10, interval = 5000, exponential = false, isFirstAttempt = true) => {
  try {
    return await fn()
  } catch (err) {
    if (retriesLeft > 0) {
      await new Promise(resolve => setTimeout(resolve, interval))
      return retry(fn, retriesLeft - 1, exponential ? interval * 2 : interval, exponential, false)
    } else {
      throw err
    }
  }
}
module.exports = { retry }
"""

PUBLISH = """const { retry } = require('./retry')
const { RETRIES, RETRY_INTERVAL } = require('./constants')
const publish = async (notifyClient, email) => {
  const request = () => notifyClient.sendEmail(email)
  return retry(request, RETRIES, RETRY_INTERVAL, true)
}
module.exports = publish
"""


def test_count_constant_imported_from_a_constants_module(tmp_path):
    found = _scan(tmp_path, {"retry.js": RETRY_HELPER, "publish.js": PUBLISH,
                             "constants.js": "module.exports = {\n  RETRIES: 3,\n  RETRY_INTERVAL: 100\n}\n"})
    assert ("publish.js", 5, "retry", 4) in found
    assert ("retry.js", 7, "retry", 11) in found
    assert not any(name == "publish.js" and kind == "timeout" for name, _, kind, _ in found)


def test_count_constant_handed_to_a_helper_without_a_count_is_nothing(tmp_path):
    helper = "const send = async (fn, label) => fn()\nmodule.exports = { send }\n"
    caller = PUBLISH.replace("require('./retry')", "require('./send')").replace("{ retry }", "{ send }") \
        .replace("return retry(request, RETRIES, RETRY_INTERVAL, true)", "return send(request, RETRIES)")
    found = _scan(tmp_path, {"send.js": helper, "publish.js": caller,
                             "constants.js": "module.exports = { RETRIES: 3, RETRY_INTERVAL: 100 }\n"})
    assert not any(name == "publish.js" for name, _, _, _ in found)


# --------------------------------------------------------------- Sequelize options object

SEQUELIZE_CONFIG = """const retry = {
  backoffBase: 500,
  backoffExponent: 1.1,
  match: [/SequelizeConnectionError/],
  max: 10,
  name: 'connection',
  timeout: 360000
}

const pool = {
  acquire: 360000,
  max: 10,
  min: 0
}

module.exports = {
  database: process.env.POSTGRES_DB || 'payments',
  dialect: 'postgres',
  dialectOptions: {
    ssl: true,
    statement_timeout: 360000
  },
  retry,
  pool
}
"""


def test_sequelize_options_object():
    found = _found(SEQUELIZE_CONFIG, "app/config/database.js")
    assert (5, "retry", 10) in found  # retry-as-promised: every try counted
    assert (7, "timeout", 360000) in found  # its per-try timeout
    assert (21, "timeout", 360000) in found  # statement_timeout
    assert not any(line in (11, 12) for line, _, _ in found)  # pool acquire wait and pool size


def test_knex_or_sqlite_config_is_no_sequelize_options():
    knex = SEQUELIZE_CONFIG.replace("dialect: 'postgres'", "client: 'pg'")
    sqlite = SEQUELIZE_CONFIG.replace("dialect: 'postgres'", "dialect: 'sqlite'")
    for source in (knex, sqlite):
        found = _found(source, "app/config/database.js")
        assert (5, "retry", 10) not in found and (7, "timeout", 360000) not in found


# --------------------------------------------------------------- callback-style retry

CALLBACK_RETRY = """function authenticationProcess(req, res, next) {
    var retries = 3,
        attempts = 0;

    function processFlow(callback) {
        async.series([apply(authenticate, req, res), apply(extractRoles, req, res)], callback);
    }

    function retry(error, result) {
        if (error && error.name === 'AUTHENTICATION_REJECTED' && attempts < retries) {
            attempts++;
            process.nextTick(processFlow.bind(null, retry));
        } else {
            next(error, result);
        }
    }

    processFlow(retry);
}
"""


def test_callback_that_reruns_the_operation_with_itself():
    assert (12, "retry", 4) in _found(CALLBACK_RETRY)


def test_callback_retry_with_arrow_and_timer():
    source = """let tries = 1;
function done(err) {
  if (err && tries <= MAX_TRIES) {
    tries += 1;
    setTimeout(() => login(done), 500);
  }
}
const MAX_TRIES = 2;
"""
    assert (5, "retry", 3) in _found(source)


def test_callback_traps():
    items_loop = CALLBACK_RETRY.replace("attempts < retries", "index < items.length").replace("attempts++", "index++") \
        .replace("attempts = 0", "index = 0")
    other_fn = CALLBACK_RETRY.replace("processFlow.bind(null, retry)", "processFlow.bind(null, next)")
    no_bump = CALLBACK_RETRY.replace("            attempts++;\n", "")
    comment = CALLBACK_RETRY.replace("            process.nextTick(processFlow.bind(null, retry));",
                                     "            // process.nextTick(processFlow.bind(null, retry));")
    for source in (items_loop, other_fn, no_bump, comment):
        assert not any(kind == "retry" and line == 12 for line, kind, _ in _found(source))


# --------------------------------------------------------------- node_redis retry_strategy

def test_node_redis_retry_strategy_bounded_by_time_is_unbounded_count():
    source = """module.exports = function(config) {
  const redis = require(config.redis_lib);
  const client = redis.createClient({
    host: config.redis_host,
    retry_strategy: options => {
      if (options.total_retry_time > config.redis_retry_time) {
        return new Error('Retry time exhausted');
      }
      return config.redis_retry_delay;
    }
  });
  return client;
};
"""
    assert (5, "retry", None) in _found(source)


def test_node_redis_retry_strategy_attempt_bound():
    source = """const redis = require('redis');
const client = redis.createClient({
  retry_strategy: function (options) {
    if (options.attempt > 10) {
      return undefined;
    }
    return Math.min(options.attempt * 100, 3000);
  }
});
"""
    assert (3, "retry", 11) in _found(source)


def test_retry_strategy_in_a_config_object_is_nothing():
    source = """const config = {};
config.redis = {
  host: 'localhost',
  retry_strategy: function (options) {
    if (options.attempt > 10) { return undefined; }
    return 100;
  },
};
module.exports = config;
"""
    assert not any(kind == "retry" for _, kind, _ in _found(source))


def test_retry_strategy_read_off_a_member_is_nothing():
    source = """const redis = require('redis');
class RedisWrapper {
  connect() {
    this.client = redis.createClient({
      host: this.host,
      retry_strategy: this._redisRetry
    });
  }
}
"""
    assert not any(kind == "retry" for _, kind, _ in _found(source))
