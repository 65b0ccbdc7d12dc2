"""Round 15 (js1, Node.js services: cnpmjs.org, Trilium, Dashy, node-sonos-http-api): a project module
named for urllib wrapping its client, co/koa-1 generators (`yield` is the await), an options member's
fallback assigned in the helper's body (rule a at the request, b at calls leaving it out), an options
object declared above and handed by name to a project request helper, ES5 prototype methods retrying
by recursion through `that`, and timeouts of 0 (no bound)."""

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


# --- cnpmjs.org: common/urllib.js wraps urllib; services/npm.js's request() defaults options.timeout ---

REGISTRY = {
    "package.json": '{"name": "registry", "dependencies": {"urllib": "2", "agentkeepalive": "4", "co": "4"}}\n',
    "common/urllib.js": """'use strict';
var urllib = require('urllib');
var HttpAgent = require('agentkeepalive');
var httpAgent = new HttpAgent({
  timeout: 0,
  keepAliveTimeout: 15000
});
var client = urllib.create({ agent: httpAgent });
module.exports = client;
""",
    "services/npm.js": """'use strict';
var urllib = require('../common/urllib');

function* request(url, options) {
  options = options || {};
  options.timeout = options.timeout || 120000;
  var r = yield urllib.request(url, options);
  return r;
}

exports.request = request;

exports.get = function* (name) {
  var r = yield request('/' + name);
  return r.data;
};

exports.getShort = function* () {
  var r = yield request('/-/short', {
    timeout: 30000,
  });
  return r.data;
};
""",
    "sync/worker.js": """'use strict';
var urllib = require('../common/urllib');
var npmService = require('../services/npm');
var sleep = require('co-sleep');

function SyncWorker() {}

SyncWorker.prototype.syncUpstream = function* (url) {
  var r = yield urllib.request(url, {
    method: 'put',
    timeout: 20000,
  });
  return r;
};

SyncWorker.prototype.syncByName = function* (name, registry, retryCount) {
  retryCount = retryCount || 0;
  var that = this;
  try {
    var result = yield npmService.request('/' + name, { registry: registry });
    return result.data;
  } catch (err) {
    if (retryCount < 3) {
      yield sleep(3000);
      yield that.syncByName(name, registry, retryCount + 1);
      return;
    }
    throw err;
  }
};

SyncWorker.prototype.syncPages = function* (page, pages) {
  var that = this;
  var r = yield npmService.request('/-/all?page=' + page, { registry: 'r' });
  if (page < pages) {
    yield that.syncPages(page + 1, pages);
  }
  return r;
};

module.exports = SyncWorker;
""",
    "lib/other.js": """'use strict';
var http = require('../common/http');
exports.ping = function* (url) {
  // urllib.request(url, { timeout: 1000 }) is how the old code did it
  return yield http.head(url);
};
""",
}


def test_a_project_module_named_for_urllib_and_a_helper_defaulting_its_options_member(tmp_path: Path) -> None:
    got = _scan(tmp_path, REGISTRY)
    assert ("worker.js", 9, "timeout", 20000) in got        # urllib.request on the project's urllib client
    assert ("npm.js", 7, "timeout", 120000) in got          # rule (a): `options.timeout || 120000` at the request
    assert ("npm.js", 14, "timeout", 120000) in got         # rule (b): `yield request(url)` leaves it out
    assert ("npm.js", 19, "timeout", 30000) in got          # rule (c): the value handed in
    assert ("worker.js", 20, "timeout", 120000) in got      # rule (b) in another file: a literal without timeout
    # agentkeepalive's `timeout: 0` disables the socket timeout: no bound; keepAliveTimeout is no call's bound
    assert not any(g[0] == "urllib.js" for g in got)
    # a comment naming urllib, and a module of another name, are nothing
    assert not any(g[0] == "other.js" for g in got)


def test_a_prototype_method_retrying_itself_through_that(tmp_path: Path) -> None:
    got = _scan(tmp_path, REGISTRY)
    assert ("worker.js", 25, "retry", 4) in got             # retryCount 0, 1, 2, 3: four tries
    # `that.syncPages(page + 1, pages)` under `page < pages` is pagination, no retry
    assert not any(g[0] == "worker.js" and g[1] in (37, 38) and g[2] == "retry" for g in got)


# --- Trilium / Dashy: an options object declared above, handed by name to the project's request helper ---

SYNC = {
    "package.json": '{"name": "notes", "dependencies": {"express": "4"}}\n',
    "src/services/request.js": """'use strict';
const http = require('http');

function exec(opts) {
  return new Promise((resolve, reject) => {
    const request = http.request({ url: opts.url, timeout: opts.timeout });
    request.on('error', reject);
    request.end();
  });
}

module.exports = { exec };
""",
    "src/services/sync.js": """'use strict';
const request = require('./request.js');

const SERVER = { url: 'http://sync', timeout: 'the sync server timed out' };

async function syncRequest(path, body) {
  const opts = {
    method: 'POST',
    url: 'http://sync' + path,
    timeout: 45000,
    body
  };
  return await request.exec(opts);
}

async function seed(host) {
  return await request.exec({
    method: 'get',
    url: `${host}/api/setup/sync-seed`,
    timeout: 30000
  });
}

module.exports = { syncRequest, seed, SERVER };
""",
    "services/request.js": """'use strict';
const https = require('https');
function request(config) {
  const { url, timeout = 0 } = config;
  return new Promise((resolve, reject) => {
    const req = https.request(url, resolve);
    if (timeout > 0) {
      req.setTimeout(timeout, () => req.destroy());
    }
    req.on('error', reject);
    req.end();
  });
}
request.get = (url, config = {}) => request({ ...config, url });
module.exports = request;
""",
    "services/cors-proxy.js": """'use strict';
const request = require('./request');
module.exports = (req, res) => {
  const requestConfig = {
    method: req.method,
    url: req.header('Target-URL'),
    timeout: 30000,
  };
  request(requestConfig).then((r) => res.send(r.data));
};
""",
    "services/update-checker.js": """'use strict';
const request = require('./request');
module.exports = async () => {
  const response = await request.get('https://raw.githubusercontent.com/x/y/package.json');
  return response.data;
};
""",
}


def test_an_options_object_handed_by_name_to_a_project_request_helper(tmp_path: Path) -> None:
    got = _scan(tmp_path, SYNC)
    assert ("sync.js", 13, "timeout", 45000) in got         # at `request.exec(opts)`, not at the key's line
    assert not any(g[0] == "sync.js" and g[1] == 10 for g in got)
    assert ("sync.js", 17, "timeout", 30000) in got         # an inline object on `request.exec(`
    assert ("cors-proxy.js", 9, "timeout", 30000) in got
    assert not any(g[0] == "cors-proxy.js" and g[1] == 7 for g in got)
    # a message under `timeout` in a module-level object is no bound
    assert not any(g[0] == "sync.js" and g[1] == 4 for g in got)


def test_a_timeout_of_zero_is_no_bound(tmp_path: Path) -> None:
    got = _scan(tmp_path, SYNC)
    # the helper's `timeout = 0` default: its req.setTimeout and a call leaving it out are no contracts
    assert not any(g[0] == "request.js" and g[1] == 8 for g in got)
    assert not any(g[0] == "update-checker.js" for g in got)


VERSIONS = {
    "package.json": '{"name": "registry", "dependencies": {"urllib": "2"}}\n',
    "sync/versions.js": """'use strict';
var sleep = require('co-sleep');
var worker = require('./worker');

exports.syncVersions = function* (versions) {
  while (versions.length) {
    var version = versions.shift();
    var tries = 3;
    while (true) {
      try {
        yield worker.syncOneVersion(version);
        break;
      } catch (err) {
        if (tries-- > 0 && Date.now() - version.publish_time < 3600000) {
          yield sleep(30000);
        } else {
          break;
        }
      }
    }
  }
};
""",
}


def test_a_countdown_in_the_catch_whose_else_breaks_out(tmp_path: Path) -> None:
    got = _scan(tmp_path, VERSIONS)
    # tries 3, 2, 1 retry, 0 gives up: four tries, on the while (true) loop
    assert ("versions.js", 9, "retry", 4) in got
    # the outer `while (versions.length)` walks a list: no retry
    assert not any(g[0] == "versions.js" and g[1] == 6 for g in got)


DOWNLOAD = {
    "package.json": '{"name": "registry", "dependencies": {"urllib": "2"}}\n',
    "sync/download.js": """'use strict';
var urllib = require('urllib');
var config = require('../config');

exports.download = function* (url, ws) {
  var downloadOptions = {
    writeStream: ws,
    timeout: 600000,
  };
  if (config.syncDownloadOptions) {
    Object.assign(downloadOptions, config.syncDownloadOptions);
  }
  var r = yield urllib.request(url, downloadOptions);
  return r;
};

exports.replaced = function* (url) {
  var options = { timeout: 1000 };
  options = config.requestOptions();
  return yield urllib.request(url, options);
};
""",
}


def test_an_es5_var_options_object_in_a_function(tmp_path: Path) -> None:
    got = _scan(tmp_path, DOWNLOAD)
    assert ("download.js", 13, "timeout", 600000) in got    # `var downloadOptions = {...}` handed by name
    # an object the function replaces before the call says nothing of the call's options
    assert not any(g[0] == "download.js" and g[1] == 20 and g[3] == 1000 for g in got)


SETTINGS = {
    "package.json": '{"name": "notes", "dependencies": {"express": "4"}}\n',
    "src/services/sync_options.js": """'use strict';
const optionService = require('./options.js');

function get(name) {
    return optionService.getOption(name);
}

module.exports = {
    getSyncServerHost: () => process.env.SYNC_HOST || get('syncServerHost'),
    getSyncTimeout: () => parseInt(get('syncServerTimeout')) || 120000,
    getPageTimeout: (fallback) => fallback || 5000,
};
""",
    "src/services/request.js": """'use strict';
const http = require('http');
function exec(opts) {
  return new Promise((resolve) => http.request({ url: opts.url, timeout: opts.timeout }, resolve).end());
}
module.exports = { exec };
""",
    "src/services/sync.js": """'use strict';
const request = require('./request.js');
const syncOptions = require('./sync_options.js');

async function pull(path) {
  const timeout = syncOptions.getSyncTimeout();
  return await request.exec({ url: syncOptions.getSyncServerHost() + path, timeout: timeout });
}

async function page(path) {
  const timeout = syncOptions.getPageTimeout();
  return await request.exec({ url: syncOptions.getSyncServerHost() + path, timeout });
}

module.exports = { pull, page };
""",
}


def test_a_settings_getter_of_another_module_with_its_own_default(tmp_path: Path) -> None:
    got = _scan(tmp_path, SETTINGS)
    assert ("sync.js", 7, "timeout", 120000) in got         # `parseInt(get(...)) || 120000`: the getter's default
    # a getter falling back on its own parameter publishes nothing: found, value unknown
    assert ("sync.js", 12, "timeout", None) in got
