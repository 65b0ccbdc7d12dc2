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


OPTIONS = '''const { Octokit } = require("@octokit/rest");
const OctokitOptions = {
  retry: {
    doNotRetry: [400, 403],
  },
};
const g = new Octokit({ retry: { enabled: false } });
const h = new Octokit({ retry: { retries: 5 } });
async function f(github) {
  const x = await github.repos.listCommitStatusesForRef({
    owner,
    request: { retries: 1 },
  });
  return github.repos
    .checkCollaborator({
      owner,
      request: {
        retries: 2,
      },
    });
}
'''


def test_octokit_retry_plugin_options_and_per_request_retries():
    """The retry plugin: its default 3 retries (4 tries) when only doNotRetry is set, `enabled: false` 1 try,
    `retries: 5` 6; per-request `request: { retries: n }` n + 1 at the called name's line."""
    assert _retries(OPTIONS) == [(3, 4.0), (7, 1.0), (8, 6.0), (10, 2.0), (15, 3.0)]


def test_retry_options_outside_an_octokit_file_are_not_octokit_s():
    source = "const s = fetchThing({ request: { retries: 1 } });\nconst t = make({ retry: { enabled: false } });\n"
    assert _retries(source) == []


def test_per_request_retries_on_a_client_handed_in_are_read_by_its_rest_namespace():
    source = ("export const isCollaborator = async (instGithub, org, repo, login) => {\n"
              "  return instGithub.repos\n"
              "    .checkCollaborator({\n"
              "      owner: org,\n"
              "      request: { retries: 1 },\n"
              "    });\n"
              "};\n"
              "const other = client.things.get({ request: { retries: 1 } });\n")
    assert _retries(source) == [(3, 2.0)]
