"""Round 21 (js1): values behind ES5 and configuration layers: a function-scoped `var` never written again
(OpenWhisk's providers, StatsD's proxy), a settings getter's member with the code's default (the FIWARE
agents' config.getConfig().mongodb?.retries || DEFAULT), `rc` settings over config/default.json (Mojaloop)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# --- ES5 `var` settings inside the module's function ---

ES5_VARS = """var request = require('request');
var net = require('net');

module.exports = function (logger, config) {
    var retryAttempts = 10;
    var healthCheckInterval = config.checkInterval || 10000;
    var requestTimeout = 5000;
    requestTimeout = config.requestTimeout;

    function postTrigger(triggerData, retryCount) {
        return new Promise(function (resolve, reject) {
            request({ method: 'post', uri: triggerData.uri, timeout: requestTimeout }, function (error, response) {
                if (error || response.statusCode >= 400) {
                    if (retryCount < retryAttempts) {
                        setTimeout(function () {
                            postTrigger(triggerData, (retryCount + 1)).then(resolve, reject);
                        }, 1000);
                    } else {
                        reject('Unable to reach server to fire trigger');
                    }
                } else {
                    resolve(triggerData.id);
                }
            });
        });
    }

    function healthcheck(node) {
        var client = net.connect({ port: node.adminport, host: node.host }, function () {
            client.write('health\\r\\n');
        });
        client.setTimeout(healthCheckInterval, function () {
            client.end();
        });
    }

    this.fire = function (data) { return postTrigger(data, 0); };
    this.check = healthcheck;
};
"""


def test_es5_var_never_reassigned_reads_as_a_const():
    found = _found("provider/lib/utils.js", ES5_VARS)
    assert found[(16, "retry")] == 11
    assert found[(32, "timeout")] == 10000
    assert found.get((12, "timeout")) != 5000  # reassigned below its declaration: not read as 5000


# --- a member of the settings a getter returns, with the code's own default ---

DB_CONN_GETTER = """const mongoose = require('mongoose');
const config = require('../utils/commonConfig');
const constants = { DEFAULT_MONGODB_RETRIES: 5 };

function init(logger, url, options, callback) {
    let retries = 0;
    const maxRetries = config.getConfig().mongodb?.retries || 5;

    function connectionAttempt(callback) {
        mongoose
            .connect(url, options)
            .then(() => callback())
            .catch((err) => {
                retries++;
                if (retries < maxRetries) {
                    setTimeout(() => connectionAttempt(callback), 5000);
                } else {
                    callback(err);
                }
            });
    }

    connectionAttempt(callback);
}
"""


def test_settings_getter_member_with_the_codes_default():
    found = _found("lib/model/dbConn.js", DB_CONN_GETTER)
    assert found[(16, "retry")] == 5  # bumped before `retries < 5`: tries 1..5





# --- rc settings over config/default.json ---

def test_rc_settings_member_reads_the_default_file():
    source = ("const RC = require('parse-strings-in-object')(require('rc')('CSET', "
              "require('../../config/default.json')))\n"
              "const other = require('rc')('X', { RETRY: 3 })\n"
              "module.exports = { RETRY_COUNT: RC.WINDOW_AGGREGATION.RETRY_COUNT, O: other.RETRY }\n")
    result = JavascriptExtractor().extract("src/lib/config.js", source.encode())
    values = {k: str(v) for k, v in result.symbols.items()}
    assert any("$node-config:WINDOW_AGGREGATION.RETRY_COUNT" in v for v in values.values()), values
    assert not any("$node-config:RETRY" in v for v in values.values())


