"""Round 22 (js1): shapes of the held-out sets homebridge-nest, tiledesk-server and ad-ldap-connector:
a request's options assigned to a `let` declared without a value, code after a `return`, re-sends after
a wait or a re-authentication in a failure handler, `while (true)` loops that `continue` after a failed
call, a deadline timer whose callback is a named local function, and the retry-request / requestretry
packages."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(source: str, path: str = "lib/conn.js"):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# --- options assigned to a `let` declared without a value, handed to axios(req) ---

ASSIGNED = """const axios = require('axios');
const API_TIMEOUT_SECONDS = 40;
class Conn {
    async auth() {
        let req, body;
        if (this.config.refreshToken) {
            req = {
                method: 'POST',
                timeout: API_TIMEOUT_SECONDS * 1000,
                url: this.tokenUrl,
            };
            body = (await axios(req)).data;
        }
        if (this.config.accessToken) {
            req = { method: 'GET', timeout: API_TIMEOUT_SECONDS * 1000, url: this.sessionUrl };
        } else {
            req = { method: 'POST', timeout: API_TIMEOUT_SECONDS * 1000, url: this.loginUrl };
        }
        body = (await axios(req)).data;
        return body;
    }
}
"""


def test_assigned_options_are_read_at_the_axios_call():
    found = _found(ASSIGNED)
    assert found[(12, "timeout")] == 40000
    assert found[(19, "timeout")] == 40000  # both branches agree
    assert (9, "timeout") not in found and (15, "timeout") not in found  # not at the keys


DISAGREE = """const axios = require('axios');
async function call(fast) {
    let req;
    if (fast) {
        req = { url: 'http://a/x', timeout: 1000 };
    } else {
        req = { url: 'http://a/x', timeout: 9000 };
    }
    return axios(req);
}
"""


def test_branches_that_disagree_give_no_value_at_the_call():
    found = _found(DISAGREE)
    assert (9, "timeout") not in found


# --- code after a `return` ---

UNREACHABLE = """const axios = require('axios');
async function login(config) {
    if (!config.token) {
        return false;

        // eslint-disable-next-line
        const result = await axios({ url: config.recaptcha, timeout: 120000 });
        return result.data;
    }
    return (await axios({ url: config.url, timeout: 40000 })).data;
}
"""


def test_settings_after_a_return_are_not_reported():
    found = _found(UNREACHABLE)
    assert (7, "timeout") not in found
    assert found[(10, "timeout")] == 40000


HOISTED = """const axios = require('axios');
module.exports = function () {
    return fetchIt;

    function fetchIt(url) {
        return axios.get(url, { timeout: 5000 });
    }
};
"""


def test_a_function_declared_after_the_return_is_still_read():
    assert _found(HOISTED)[(6, "timeout")] == 5000


# --- re-sends after a wait or a re-authentication ---

RESEND = """const axios = require('axios');
class Conn {
    async auth() {
        try {
            const body = (await axios({ url: this.authUrl, timeout: 40000 })).data;
            this.token = body.token;
        } catch (error) {
            if (error.status == 400) {
                this.error('rejected');
                return false;
            } else {
                console.log(error);
                await Promise.delay(15000);
                return await this.auth();
            }
        }
        return true;
    }

    pushUpdates(data) {
        return axios({ method: 'POST', url: this.putUrl, timeout: 40000, data }).catch(error => {
            if (error.status == 401) {
                return this.auth().then(() => {
                    return this.pushUpdates(data);
                }).catch(() => {
                    return Promise.delay(15000).then(() => this.pushUpdates(data));
                });
            }
        });
    }
}
"""


def test_recalls_after_a_wait_or_a_reauthentication_are_retries():
    found = _found(RESEND)
    assert (14, "retry") in found and found[(14, "retry")] is None
    assert (24, "retry") in found and found[(24, "retry")] is None
    assert (26, "retry") in found


PAGES = """const axios = require('axios');
class Lister {
    listAll(page) {
        return axios.get(this.url + '?page=' + page, { timeout: 5000 }).then(res => {
            if (res.data.next) {
                return this.refreshToken().then(() => this.listAll(page + 1));
            }
            return res.data;
        });
    }
}
"""


def test_a_next_page_after_success_is_no_retry():
    assert not any(kind == "retry" for _line, kind in _found(PAGES))


# --- while (true) with `continue` after a failed call ---

LOOP = """const axios = require('axios');
class Conn {
    async token() {
        while (true) {
            try {
                const result = (await axios({ url: this.tokenUrl, timeout: 40000 })).data;
                this.token = result.access_token;
            } catch (error) {
                if (error.status >= 500) {
                    await Promise.delay(15000);
                    continue;
                }
                return false;
            }
            return true;
        }
    }
}
"""


def test_a_loop_that_continues_after_waiting_on_a_failure_is_a_retry():
    found = _found(LOOP)
    assert (4, "retry") in found and found[(4, "retry")] is None


WORKER = """const axios = require('axios');
async function worker(queue) {
    while (true) {
        const job = await queue.next();
        try {
            await axios.post(job.url, job.body, { timeout: 5000 });
        } catch (error) {
            await sleep(1000);
            continue;
        }
        await queue.ack(job);
    }
}
"""


def test_a_worker_loop_without_an_exit_is_no_retry():
    assert (3, "retry") not in _found(WORKER)


# --- a deadline timer whose callback is a named local function ---

OBSERVE = """const http2 = require('http2');
class Conn {
    observe() {
        return new Promise((res, rej) => {
            const cleanAndReject = val => {
                clearTimeout(this.timer);
                rej(val);
            };
            const timeoutFunction = () => {
                cleanAndReject({ code: 'ETIMEDOUT' });
            };
            this.timer = setTimeout(timeoutFunction, 130 * 1000);
            const client = http2.connect(this.url);
            const req = client.request({ ':method': 'POST', ':path': '/observe' });
            req.on('data', data => {
                clearTimeout(this.timer);
                this.timer = setTimeout(timeoutFunction, 130 * 1000);
                res(data);
            });
            req.end();
        });
    }
}
"""


def test_a_named_rejecting_timer_is_a_deadline_reported_once():
    found = _found(OBSERVE)
    assert found[(12, "timeout")] == 130000
    assert (17, "timeout") not in found


PAUSE = """const http2 = require('http2');
function later(url) {
    return new Promise((resolve, reject) => {
        const goOn = () => { resolve(null); };
        setTimeout(goOn, 5000);
        http2.connect(url).request({ ':path': '/x' }).end();
    });
}
"""


def test_a_named_timer_that_resolves_is_no_deadline():
    assert (5, "timeout") not in _found(PAUSE)


# --- retry-request and requestretry ---

RETRY_REQUEST = """var request = require('retry-request', {
  request: require('request')
});
const requestretry = require('requestretry');
const plain = require('request');

function notify(url, json) {
  request({ url: url, json: json, method: 'POST' }, function (err, res) {});
  request({ url: url }, { retries: 0 }, function (err, res) {});
  requestretry({ url: url, json: true, maxAttempts: 4, retryDelay: 500 }, function () {});
  requestretry.post({ url: url }, function () {});
  plain({ url: url, method: 'POST' }, function () {});
  const retryRequest = () => plain({ url: url });
  retryRequest();
}
"""


def test_retry_request_and_requestretry_calls_are_retries():
    found = _found(RETRY_REQUEST)
    assert found[(8, "retry")] == 3  # retries 2 by default, after the first try
    assert found[(9, "retry")] == 1
    assert found[(10, "retry")] == 4
    assert found[(11, "retry")] == 5
    assert (12, "retry") not in found and (14, "retry") not in found


# --- LDAP searches, `cb(...).timeout(ms)` and nconf defaults ---

LDAP = """const ldap = require('ldapjs');
const cb = require('cb');
const nconf = require('nconf');
const client = ldap.createClient({
  url: nconf.get('LDAP_URL'),
  timeout: 8000,
});
function groups(base, filter, callback) {
  const opts = { scope: 'sub', filter: filter, timeLimit: nconf.get('GROUPS_TIMEOUT_SECONDS') };
  callback = cb(callback)
    .timeout(nconf.get('GROUPS_TIMEOUT_SECONDS') * 1000)
    .once();
  client.search(base, opts, function (err, res) { callback(err, res); });
}
function later(fn) {
  const done = cb(fn).timeout(5000);
  setTimeout(done, 10);
}
"""

DEFAULTS = """var nconf = require('nconf');
var defaults = {
  GROUPS_TIMEOUT_SECONDS: 20,
  LDAP: { RETRIES: 3 },
};
nconf.env('||').defaults(defaults);
"""


def test_ldapjs_client_and_search_bounds_and_cb_deadlines():
    found = _found(LDAP)
    assert found[(6, "timeout")] == 8000
    assert (13, "timeout") in found  # the search's timeLimit (seconds) at the search call
    assert (11, "timeout") in found  # cb(callback).timeout(ms) at the .timeout line
    assert (16, "timeout") not in found  # a wrapper around local work only (a timer)


def test_nconf_defaults_are_published_and_read():
    from extractors.javascript.extractor import JavascriptExtractor
    result = JavascriptExtractor().extract("lib/initConf.js", DEFAULTS.encode())
    assert result.symbols["$nconf.GROUPS_TIMEOUT_SECONDS"].value == 20
    assert result.symbols["$nconf.LDAP.RETRIES"].value == 3
    from extractors.javascript.context import FileContext
    ctx = FileContext.build("lib/users.js", LDAP.encode(), calls=True)
    read = next(c for c in ctx.calls if c.callee == "nconf.get" and "GROUPS" in c.node.text.decode())
    expr = ctx.to_expr(read.node)
    assert expr.var == "GROUPS_TIMEOUT_SECONDS" and expr.default.name == "$nconf.GROUPS_TIMEOUT_SECONDS"


# --- a re-call with a stepped count given up at a bound ---

PING = """const cb = require('cb');
function setup(ws) {
  function ping(client, count, callback) {
    var pong = cb(function (err) {
      if (err instanceof cb.TimeoutError) {
        if (count === 4) {
          return callback(new Error('no pong after ' + (count + 1) + ' pings'));
        }
        return ping(client, ++count, callback);
      }
      callback(null, { failed_pings: count });
    }).timeout(4000);
    client.once('pong', pong).ping('');
  }
  ping(ws, 0, function () {});
}
"""


def test_a_stepped_count_given_up_at_its_bound_counts_the_tries():
    found = _found(PING, "ws_validator.js")
    assert found[(9, "retry")] == 5
    assert found[(12, "timeout")] == 4000


NEXT_ITEM = """const axios = require('axios');
function walk(items, index, callback) {
  axios.get(items[index], { timeout: 1000 }).then(() => {
    if (index === 9) {
      return callback(null);
    }
    return walk(items, index + 1, callback);
  }).catch(callback);
}
"""


def test_a_stepped_index_after_success_is_no_retry():
    assert not any(kind == "retry" for _line, kind in _found(NEXT_ITEM))


# --- proxies: the wait for the target ---

PROXY = """import { createProxyMiddleware } from 'http-proxy-middleware'
import httpProxy from 'http-proxy'
const PROXY_SETTINGS = {
  target: 'dynamic',
  changeOrigin: true,
  proxyTimeout: 10000,
}
export function handler (app) {
  app.use('/proxy', createProxyMiddleware(PROXY_SETTINGS))
}
const proxy = httpProxy.createProxyServer({ target: 'http://backend:8080', timeout: 60000 })
export function forward (req, res) {
  proxy.web(req, res, { target: 'http://backend:8080', proxyTimeout: 3000 })
}
const settings = { proxyTimeout: 1234 }
"""


def test_proxy_timeouts_of_http_proxy_and_the_middleware():
    found = _found(PROXY, "lib/handlers/cors-proxy.mjs")
    assert found[(6, "timeout")] == 10000
    assert found[(13, "timeout")] == 3000
    assert (11, "timeout") not in found  # http-proxy's `timeout`: the incoming socket's
    assert (15, "timeout") not in found  # a key of an object no proxy takes


# --- an envalid schema exported by a config module, read by destructuring its import ---

ENV_MODULE = """import { cleanEnv, num } from "envalid";
export default cleanEnv(process.env, {
  JOBS_SERVER_DEFAULT_ATTEMPTS: num({ default: 5 }),
});
"""

ENV_READER = """import config from "../config.js";
const { JOBS_SERVER_DEFAULT_ATTEMPTS } = config;
const defaultConfig = { attempts: JOBS_SERVER_DEFAULT_ATTEMPTS };
export default function addJob(context, name, data, options = defaultConfig) {
  return context.queues[name].add(data, options);
}
"""


def test_an_exported_envalid_schema_names_its_keys_for_importers():
    from contract_discovery.values import Env, Ref
    from extractors.javascript.context import FileContext
    result = JavascriptExtractor().extract("src/config.js", ENV_MODULE.encode())
    assert result.symbols["JOBS_SERVER_DEFAULT_ATTEMPTS"] == Env("JOBS_SERVER_DEFAULT_ATTEMPTS",
                                                                 result.symbols["$envdefault.JOBS_SERVER_DEFAULT_ATTEMPTS"])
    ctx = FileContext.build("src/api/addJob.js", ENV_READER.encode(), calls=True)
    node = next(n for n in ctx.tree.root_node.named_children[2].named_children[0].named_children
                if n.type == "object").named_children[0].child_by_field_name("value")
    assert ctx.to_expr(node) == Ref("config.JOBS_SERVER_DEFAULT_ATTEMPTS")


# --- a file lock tried again: local work ---

FLOCK = """var fs = require('fs');
var fsExt = require('fs-ext');
function open_flock(name, opmod, flmod, tries, backoff, cb) {
  fs.open(name, opmod, function (err, fd) {
    if (err) return cb(err, fd);
    fsExt.flock(fd, flmod, function (err) {
      if (err) {
        if (!tries) {
          fs.close(fd, function () { cb(err); });
        } else {
          fs.close(fd, function () {
            setTimeout(function () {
              open_flock(name, opmod, flmod, tries - 1, backoff * 2, cb);
            }, backoff);
          });
        }
      } else {
        cb(null, fd);
      }
    });
  });
}
var request = require('request');
function post(url, body, tries, cb) {
  request.post({ url: url, body: body, timeout: 5000 }, function (err, res) {
    if (err && tries > 0) {
      return setTimeout(function () { post(url, body, tries - 1, cb); }, 1000);
    }
    cb(err, res);
  });
}
"""


def test_a_file_lock_tried_again_is_local_work_but_a_request_is_not():
    found = _found(FLOCK, "lib/local-fs.js")
    assert (13, "retry") not in found
    assert (27, "retry") in found


SOCKET_AND_TIMER = """const net = require('net');
function dialog(host, TIMEOUT) {
  return new Promise((resolve, reject) => {
    const socket_ = net.connect(25, host);
    const onTimeout = () => {
      socket_.destroy();
      reject(new Error('timed out'));
    };
    socket_.write('EHLO x');
    socket_.setTimeout(1000 * TIMEOUT, onTimeout);
    const dialogTimeout = setTimeout(onTimeout, 1000 * TIMEOUT);
  });
}
"""


def test_a_timer_twinning_the_sockets_own_bound_is_not_reported_twice():
    result = JavascriptExtractor().extract("server/tcp.js", SOCKET_AND_TIMER.encode())
    assert not any(f.kind == "timeout" and f.line == 11 for f in result.findings)


# --- pa11y's page test ---

PA11Y = """const pa11y = require('pa11y');
async function run(task) {
  const pa11yOptions = {
    standard: task.standard,
    timeout: (task.timeout || 30000),
    wait: (task.wait || 0),
  };
  return pa11y(task.url, pa11yOptions);
}
function other(check) {
  return check(task.url, { timeout: 5000 });
}
"""


def test_pa11y_timeout_at_the_call():
    found = _found(PA11Y, "model/task.js")
    assert found[(8, "timeout")] == 30000
    assert (5, "timeout") not in found
