"""Round 16 (lead, second-wave taskcluster sets): Octokit's throttle callbacks written as a guard of
``return true`` (``if (retryCount < 3) { return true; }``) or as a conjunction (``retryCount < 1 &&
options.method === "GET"``) count their retries like ``retryCount < N``; callbacks that never return
true retry nothing."""

from __future__ import annotations

from extractors.javascript.extractor import EXTRACTOR

SOURCE = '''const { Octokit } = require("@octokit/rest");
const a = new Octokit({
  throttle: {
    onRateLimit: (retryAfter, options, octokit, retryCount) => {
      if (retryCount < 3) {
        return true;
      }
    },
    onSecondaryRateLimit: (retryAfter, options, octokit, retryCount) => retryCount < 1 && options.method === "GET",
  },
});
const b = new Octokit({
  throttle: {
    onRateLimit: (retryAfter, options) => {
      octokit.log.warn("retryCount limit reached; timeout");
    },
    onSecondaryRateLimit: () => false,
  },
});
'''


def _retries(source: str):
    result = EXTRACTOR.extract("src/github.js", source.encode())
    # proposals kept only if another file publishes a helper (`$keep_if`) are not this file's findings
    return sorted((f.line, f.attributes.get("max_attempts")) for f in result.findings
                  if f.kind == "retry" and not any(p.attribute == "$keep_if" for p in f.pending))


def test_throttle_guard_and_conjunction_count_their_retries():
    assert _retries(SOURCE) == [(4, 4.0), (9, 2.0)]


def test_an_unguarded_return_true_is_still_unbounded():
    source = SOURCE.replace("if (retryCount < 3) {\n        return true;\n      }", "return true;")
    assert (4, None) in _retries(source)
