"""Round 20 (JavaScript second-wave fixes): HMPPS superagent helpers (licences, digital-prison-services).

- `toNumber(process.env.X) || 30`: a project's one-argument number parser of the environment, the `||`
  fallback the variable's default;
- a superagent spec `{ response, deadline }` handed to a project helper (`buildRestClient(..., { timeout:
  timeoutSpec })` or `timeout: config.apis.hdc.timeout` of the imported settings): two bounds at the call,
  read and total, and the settings block the call hands on is no contract of its own;
- a settings parameter whose declared type requires the member (`config: RestClientConfig`) read by the
  helper's `.timeout(config.timeout)`: a forwarder when a call of the project hands the member in.
"""

from __future__ import annotations

from pathlib import Path

from extractors.javascript.extractor import JavascriptExtractor


def _scan(root: Path):
    from contract_discovery.pipeline import scan

    return {(f.path, f.line, f.kind, f.attributes.get("phase")):
            f.attributes.get("timeout_ms" if f.kind == "timeout" else "max_attempts")
            for f in scan(root).findings if f.kind in ("timeout", "retry")}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _found(path: str, source: str):
    result = JavascriptExtractor().extract(path, source.encode())
    return {(f.line, f.kind, f.attributes.get("phase")): f.attributes.get("timeout_ms")
            for f in result.findings if f.kind == "timeout"
            and not any(p.attribute == "$keep_if" for p in f.pending)}


TO_NUMBER = """import superagent from 'superagent'

const toNumber = (value: string | undefined): number | undefined => {
  const result = parseInt(value, 10)
  return Number.isSafeInteger(result) && result
}
const toWords = (value: string | undefined) => value
const apis = {
  prison: { timeoutSeconds: toNumber(process.env.API_TIMEOUT_SECONDS) || 30 },
  other: { timeoutSeconds: toWords(process.env.OTHER_TIMEOUT_SECONDS) || 30 },
}

export function get(url: string) {
  superagent.get(url).timeout(apis.prison.timeoutSeconds * 1000)
  return superagent.get(url).timeout(apis.other.timeoutSeconds * 1000)
}
"""


def test_one_argument_number_parser_of_the_environment_takes_the_fallback():
    found = _found("backend/api.ts", TO_NUMBER)
    assert found[(14, "timeout", "total")] == 30000
    # a function not named as a number parser: the scan claims no value
    assert found[(15, "timeout", "total")] is None


CONFIG = """const get = (name: string, fallback: any) => process.env[name] || fallback

const config = {
  apis: {
    hdc: {
      url: get('HDC_URL', 'http://localhost:8080'),
      timeout: {
        response: 30000,
        deadline: 35000,
      },
    },
    search: {
      url: get('SEARCH_URL', 'http://localhost:8081'),
      timeout: {
        response: Number(process.env.SEARCH_TIMEOUT_RESPONSE) || 20000,
        deadline: Number(process.env.SEARCH_TIMEOUT_DEADLINE) || 25000,
      },
    },
    library: {
      url: get('LIB_URL', 'http://localhost:8082'),
      timeout: {
        response: 10000,
        deadline: 12000,
      },
    },
  },
}

export default config
"""

BUILDER = """import superagent from 'superagent'

interface TimeoutSpec {
  response: number
  deadline: number
}

export interface RestClientConfig {
  timeout: TimeoutSpec
  retries?: number
}

export const buildRestClient = (apiUrl: string, name: string, config: RestClientConfig) => {
  return {
    async getResource(path: string) {
      const result = await superagent
        .get(`${apiUrl}${path}`)
        .retry(2)
        .timeout(config.timeout)
      return result.body
    },
  }
}
"""

INDEX = """import config from './config'
import { buildRestClient } from './restClientBuilder'

export const hdcClient = buildRestClient(config.apis.hdc.url, 'HDC API', {
  timeout: config.apis.hdc.timeout,
})
"""

SEARCH = """import config from './config'
import { buildRestClient } from './restClientBuilder'

const timeoutSpec = {
  response: config.apis.search.timeout.response,
  deadline: config.apis.search.timeout.deadline,
}

export const searchClient = buildRestClient(config.apis.search.url, 'Search API', {
  timeout: timeoutSpec,
})
"""


def test_superagent_spec_handed_to_a_project_helper(tmp_path):
    _write(tmp_path, {
        "package.json": '{"name": "licences", "dependencies": {"superagent": "8"}}',
        "server/config.ts": CONFIG,
        "server/restClientBuilder.ts": BUILDER,
        "server/index.ts": INDEX,
        "server/search.ts": SEARCH,
    })
    found = _scan(tmp_path)
    # the calls hold both phases, with the settings' values
    assert found[("server/index.ts", 4, "timeout", "read")] == 30000
    assert found[("server/index.ts", 4, "timeout", "total")] == 35000
    assert found[("server/search.ts", 9, "timeout", "read")] == 20000
    assert found[("server/search.ts", 9, "timeout", "total")] == 25000
    # the helper's retry stays; its `.timeout(config.timeout)` only forwards the calls' member
    assert found[("server/restClientBuilder.ts", 18, "retry", None)] == 3
    assert not any(k[0] == "server/restClientBuilder.ts" and k[2] == "timeout" for k in found)
    # the blocks the calls hand on are no contracts of their own; one nothing hands on stays
    config_lines = sorted(k[1] for k in found if k[0] == "server/config.ts")
    assert config_lines == [22, 23]


def test_typed_settings_member_without_a_handing_call_stays(tmp_path):
    # no call hands `{ timeout }` in: the settings object's member is a config field (round 9), kept
    _write(tmp_path, {
        "package.json": '{"name": "licences", "dependencies": {"superagent": "8"}}',
        "server/restClientBuilder.ts": BUILDER,
        "server/index.ts": "import { buildRestClient } from './restClientBuilder'\n"
                           "import settings from './settings'\n"
                           "export const c = buildRestClient('http://x', 'X', settings.x)\n",
    })
    found = _scan(tmp_path)
    assert ("server/restClientBuilder.ts", 19, "timeout", "total") in found


def test_timeout_number_handed_to_a_project_helper_stays_one_total(tmp_path):
    # `timeout: config.apis.x.timeout` holding a number, not a spec: one total bound with its value
    _write(tmp_path, {
        "package.json": '{"name": "svc", "dependencies": {"superagent": "8"}}',
        "server/config.ts": "export default { apis: { x: { url: 'http://x:8080', timeout: 5000 } } }\n",
        "server/index.ts": "import config from './config'\n"
                           "import { createClient } from './client'\n"
                           "export const c = createClient({ url: config.apis.x.url, timeout: config.apis.x.timeout })\n",
    })
    found = _scan(tmp_path)
    here = {k: v for k, v in found.items() if k[0] == "server/index.ts"}
    assert here == {("server/index.ts", 3, "timeout", "total"): 5000}


BLUEBIRD = """const BBPromise = require('bluebird');

class Renderer {
  constructor() {
    this.CLOSE_TIMEOUT = 3000;
  }
  _closeBrowser(browser) {
    return BBPromise.resolve(browser.close())
      .timeout(this.CLOSE_TIMEOUT)
      .then(null, () => browser.process().kill('SIGKILL'));
  }
  _init() {
    return BBPromise.resolve(this._initSequence())
      .timeout(30000);
  }
}
"""


def test_bluebird_bound_on_a_local_teardown_is_no_contract():
    found = _found("lib/renderer.js", BLUEBIRD)
    # the browser's close bounded before a SIGKILL: a local process, no wait on another service
    assert (9, "timeout", "total") not in found
    # a bluebird bound on another wait stays
    assert found[(14, "timeout", "total")] == 30000
