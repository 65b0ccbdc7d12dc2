"""Round 21 (js1): a request on a parameter defaulting to the imported axios (Mojaloop's quoting service)
and a queue RPC's reply deadline armed per correlation id (Licode's AMQP layers)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")
            and not any(p.attribute == "$keep_if" for p in f.pending)}


# --- a request on a parameter defaulting to the imported axios ---

INJECTED = """const axios = require('axios');

async function httpRequestBase (opts, axiosInstance = axios) {
  return axiosInstance.request({
    timeout: 20000,
    ...opts
  });
}

async function other (opts, client) {
  // ok: the caller's client, unknown here
  return client.request({ timeout: 7000, ...opts });
}

async function local (opts, box = {}) {
  // ok: a default that is not the package
  return box.request({ timeout: 8000 });
}

module.exports = { httpRequestBase, other, local };
"""


def test_request_on_a_parameter_defaulting_to_axios_is_an_axios_request():
    found = _found("src/lib/http.js", INJECTED)
    assert found[(4, "timeout")] == 20000
    assert (17, "timeout") not in found


# --- a request-reply over a queue: pending callbacks kept by correlation id, failed by a timer ---

AMQP_RPC = """const amqp = require('amqp');

const TIMEOUT = 5000;
const map = {};
let corrID = 0;
let rpcExc;

const callbackError = (errorCorrID) => {
  Object.keys(map[errorCorrID].fn).forEach((fnKey) => {
    map[errorCorrID].fn[fnKey]('timeout');
  });
  delete map[errorCorrID];
};

exports.callRpc = (to, method, args, callbacks) => {
  corrID += 1;
  map[corrID] = {};
  map[corrID].fn = callbacks;
  map[corrID].to = setTimeout(callbackError, TIMEOUT, corrID);
  rpcExc.publish(to, { method, args, corrID });
};

const cleanup = (id) => { delete map[id]; };

exports.forget = (id) => {
  // ok: a timer that only drops an entry, nothing sent and nobody told of a timeout
  setTimeout(cleanup, 300000, id);
};
"""


def test_timer_failing_a_pending_callback_by_correlation_id_is_the_request_deadline():
    found = _found("common/amqper.js", AMQP_RPC)
    assert found[(19, "timeout")] == 5000
    assert (27, "timeout") not in found
