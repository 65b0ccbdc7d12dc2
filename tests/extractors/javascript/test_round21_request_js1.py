"""Round 21 (js1): a `request` call handed the helper's options parameter after the body defaulted its
timeout (BitPay's wallet service request-list)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind): f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in result.findings if f.kind in ("timeout", "retry")}


SOURCE = """var DEFAULT_TIMEOUT = 30000;

var requestList = function(args, cb) {
  request = args.request || require('request');
  args.timeout = args.timeout || DEFAULT_TIMEOUT;
  request(args, function(err, res, body) {
    cb(err, res, body);
  });
};

function get(opts, cb) {
  var request = require('request');
  if (!opts.timeout) opts.timeout = 4000;
  return request.get(opts, cb);
}

function late(opts, cb) {
  var request = require('request');
  request.post(opts, cb);
  // ok: defaulted after the call
  opts.timeout = opts.timeout || 9000;
}

function other(opts, cb) {
  var request = require('request');
  // ok: another member defaulted ("timeout" only in this comment)
  opts.retries = opts.retries || 3;
  return request.get(opts, cb);
}

module.exports = { requestList, get, late, other };
"""


def test_options_parameter_defaulted_in_the_body_is_the_requests_timeout():
    found = _found("lib/request-list.js", SOURCE)
    assert found[(6, "timeout")] == 30000
    assert found[(14, "timeout")] == 4000
    assert (19, "timeout") not in found
    assert (28, "timeout") not in found
