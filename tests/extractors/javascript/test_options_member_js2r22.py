"""Round 22 (TypeScript, js2): a retry helper whose options parameter defaults to a project constant
imported through an index file (supaglue's `retryWhenAxiosRateLimited(operation, retryOptions:
Parameters<typeof retry>[1] = ASYNC_RETRY_OPTIONS)` handing it to async-retry).

Three shapes: the parameter's TypeScript type names the imported `retry` (`typeof retry`), which made
`retry` look like a parameter and hid the async-retry call; an options object declared in another
file counted as async-retry's own default (10 retries, 11 tries); and the calls leaving the options
out got no proposal (rule b)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CONSTANTS = """export const ASYNC_RETRY_OPTIONS = {
  retries: 3,
  factor: 2,
  minTimeout: 1_000,
};
export const NO_COUNT_OPTIONS = { factor: 2 };
"""

INDEX = """export * from './constants';
export * from './ratelimit';
"""

RATELIMIT = """import retry from 'async-retry';
import { ASYNC_RETRY_OPTIONS } from '.';

export const retryWhenRateLimited = async <Return>(
  operation: () => Return,
  retryOptions: Parameters<typeof retry>[1] = ASYNC_RETRY_OPTIONS
): Promise<Return> => {
  const helper = async (bail: (e: Error) => void) => {
    try {
      return await operation();
    } catch (e: any) {
      bail(e);
      return null as Return;
    }
  };
  return await retry(helper, retryOptions);
};
"""

REMOTE = """import axios from 'axios';
import retry from 'async-retry';
import { ASYNC_RETRY_OPTIONS, NO_COUNT_OPTIONS, retryWhenRateLimited } from '../lib';

export class Gong {
  async list(url: string) {
    return await retryWhenRateLimited(async () => {
      const r = await axios.get(url);
      return r.data;
    });
  }
  async slow(url: string) {
    return await retryWhenRateLimited(async () => (await axios.get(url)).data, { retries: 5 });
  }
  async direct(url: string) {
    const helper = async () => (await axios.get(url)).data;
    return await retry(helper, ASYNC_RETRY_OPTIONS);
  }
  async library(url: string) {
    const helper = async () => (await axios.get(url)).data;
    return await retry(helper, NO_COUNT_OPTIONS);
  }
  async notRetried(url: string) {
    // retryWhenRateLimited(() => axios.get(url)) is only mentioned in this comment
    const retryWhen = 'retryWhenRateLimited';
    return (await axios.get(url)).data + retryWhen;
  }
}
"""


def _scan(tmp_path: Path) -> dict[tuple, object]:
    (tmp_path / "package.json").write_text('{"name": "sync", "dependencies": {"axios": "1", "async-retry": "1"}}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "remotes").mkdir()
    (tmp_path / "lib" / "constants.ts").write_text(CONSTANTS)
    (tmp_path / "lib" / "index.ts").write_text(INDEX)
    (tmp_path / "lib" / "ratelimit.ts").write_text(RATELIMIT)
    (tmp_path / "remotes" / "gong.ts").write_text(REMOTE)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path, f.line): f.attributes.get("max_attempts") for f in result.findings if f.kind == "retry"}


def test_a_helper_defaulting_its_options_to_an_imported_constant_retries_with_its_count(tmp_path):
    found = _scan(tmp_path)
    assert found.get(("lib/ratelimit.ts", 16)) == 4  # rule (a): retries 3 of ASYNC_RETRY_OPTIONS, 4 tries


def test_calls_leaving_the_options_out_get_the_default_and_a_call_naming_a_count_its_own(tmp_path):
    found = _scan(tmp_path)
    assert found.get(("remotes/gong.ts", 7)) == 4   # rule (b)
    assert found.get(("remotes/gong.ts", 13)) == 6  # rule (c): { retries: 5 }


def test_an_imported_options_object_is_read_for_its_count_else_the_library_default(tmp_path):
    found = _scan(tmp_path)
    assert found.get(("remotes/gong.ts", 17)) == 4   # ASYNC_RETRY_OPTIONS.retries + 1, not async-retry's 11
    assert found.get(("remotes/gong.ts", 21)) == 11  # an object without `retries`: async-retry's 10 retries


def test_a_name_in_a_comment_or_a_string_is_no_retry(tmp_path):
    found = _scan(tmp_path)
    assert not [k for k in found if k[0] == "remotes/gong.ts" and 23 <= k[1] <= 27]


TYPED = """import axios from 'axios';
export async function load(url: string, client: typeof axios = axios) {
  return axios.get(url, { timeout: 5000 });
}
"""


def test_a_parameter_type_naming_an_import_does_not_shadow_it():
    from extractors.javascript.extractor import JavascriptExtractor
    result = JavascriptExtractor().extract("src/load.ts", TYPED.encode())
    timeouts = {f.line: f.attributes.get("timeout_ms") for f in result.findings if f.kind == "timeout"}
    assert timeouts.get(3) == 5000
