"""Round 16 (js1): a request helper defaulting its options parameter's timeout in its body
(`if (!options.timeout) options.timeout = X; axios(options)`: rule a at the assignment, b at calls
leaving it out, c at calls passing one), and setmeup's settings.json (JSON with comments) read as
`settings.axios.timeout` after `require("setmeup").settings`."""

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


SETTINGS = """{
    // the app's settings (setmeup): JSON with comments
    "axios": {
        // Default timeout of 2.5 minutes for axios requests. Value set in milliseconds.
        "timeout": 150000,
        "url": "http://example.com/a//b", /* a URL with slashes stays a string */
    },
    "oauth": {"tokenTimeout": 6000}
}
"""

WRAPPER = """import {AxiosRequestConfig} from "axios"
const axios = require("axios").default
const settings = require("setmeup").settings

export const axiosRequest = async (options: AxiosRequestConfig): Promise<any> => {
    try {
        if (!options.method) options.method = "GET"
        if (!options.timeout) options.timeout = settings.axios.timeout
        const res = await axios(options)
        return res.data
    } catch (ex) {
        throw ex
    }
}
"""

CALLERS = """import {axiosRequest} from "./axios"
const settings = require("setmeup").settings

export const getWeather = async (url: string) => {
    const res = await axiosRequest({url: url})
    return res
}

export const getToken = async (url: string) => {
    const res = await axiosRequest({url: url, method: "POST", timeout: settings.oauth.tokenTimeout})
    return res
}
"""


def test_guarded_options_default_is_rule_a_b_and_c(tmp_path):
    found = _scan(tmp_path, {"package.json": '{"name": "core", "dependencies": {"axios": "1", "setmeup": "1"}}\n',
                             "settings.json": SETTINGS, "src/axios.ts": WRAPPER, "src/weather.ts": CALLERS})
    assert ("axios.ts", 8, "timeout", 150000) in found       # rule (a): the default, from settings.json
    assert ("weather.ts", 5, "timeout", 150000) in found     # rule (b): a call leaving timeout out
    assert ("weather.ts", 10, "timeout", 6000) in found      # rule (c): a call passing one
    assert not any(f[0] == "axios.ts" and f[1] == 9 and f[2] == "timeout" for f in found)  # the forwarding request


def test_unguarded_or_unhanded_assignment_is_no_helper_default(tmp_path):
    files = {"package.json": '{"name": "core", "dependencies": {"axios": "1"}}\n',
             "src/a.js": """const axios = require("axios")
// options.timeout is set in a comment only
export async function keep(options) {
    if (!options.timeout) options.timeout = 3000
    console.log("timeout", options)   // not handed to a request: no contract
    return options
}
export async function local(url) {
    const opts = {url}
    if (!opts.timeout) opts.timeout = 4000   // a local object, not a parameter
    return axios(opts)
}
"""}
    found = _scan(tmp_path, files)
    assert not any(f[0] == "a.js" and f[1] == 4 for f in found)
    assert not any(f[2] == "timeout" and f[3] == 3000 for f in found)


def test_fallback_form_and_numbers(tmp_path):
    files = {"package.json": '{"name": "core", "dependencies": {"got": "11"}}\n',
             "src/http.js": """const got = require("got")
const DEFAULT_TIMEOUT = 20000
async function request(url, options) {
    options.timeout = options.timeout || DEFAULT_TIMEOUT
    return got(url, options)
}
module.exports = { request }
""",
             "src/use.js": """const { request } = require("./http")
async function a() {
    return request("http://x/y", { method: "GET" })
}
module.exports = { a }
"""}
    found = _scan(tmp_path, files)
    assert ("http.js", 4, "timeout", 20000) in found
    assert ("use.js", 3, "timeout", 20000) in found


def test_setmeup_member_without_the_package_is_not_settings(tmp_path):
    files = {"package.json": '{"name": "core", "dependencies": {"axios": "1"}}\n',
             "settings.json": SETTINGS,
             "src/a.js": """const axios = require("axios")
const settings = require("./settings-module")
export async function f(url) {
    return axios.get(url, { timeout: settings.axios.timeout })
}
"""}
    found = _scan(tmp_path, files)
    assert not any(f[0] == "a.js" and f[3] == 150000 for f in found)


LOCAL_OPTIONS = """import {axiosRequest} from "./axios"

export class Api {
    makeRequest = async (path: string, token?: string) => {
        const options: any = {
            method: "GET",
            url: `https://api.example.com/${path}`,
            headers: {}
        }
        if (token) {
            options.headers["Authorization"] = `Bearer ${token}`
        }
        const res = await this.limiter.schedule(() => axiosRequest(options))
        return res
    }
    withTimeout = async (path: string) => {
        const options: any = {url: path}
        options.timeout = 5000
        return axiosRequest(options)
    }
}
"""


def test_local_options_literal_without_timeout_gets_the_helper_default(tmp_path):
    found = _scan(tmp_path, {"package.json": '{"name": "core", "dependencies": {"axios": "1", "setmeup": "1"}}\n',
                             "settings.json": SETTINGS, "src/axios.ts": WRAPPER, "src/api.ts": LOCAL_OPTIONS})
    assert ("api.ts", 13, "timeout", 150000) in found        # rule (b) through a local literal
    assert ("api.ts", 19, "timeout", 150000) not in found    # the variable gets a timeout assigned: not left out


NESTED = """export function CartProvider({ api }) {
  const retry = async function <T>(fn: () => Promise<T>, retries = 2, delay = 1000): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (retries > 0) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return retry(fn, retries - 1, delay * 2);
      }
      throw error;
    }
  };
  const format = (value: number) => `${value}`;
  const addItem = async (payload) => {
    const response = await retry(() =>
      fetch(api, { method: 'POST', body: JSON.stringify(payload) })
    );
    const twice = await retry(() => fetch(api), 4);
    return format(await response.json());
  };
  return addItem;
}
"""


def test_nested_retry_helper_is_rule_a_b_and_c_in_its_function(tmp_path):
    found = _scan(tmp_path, {"package.json": '{"name": "shop"}\n', "src/cart.tsx": NESTED})
    assert ("cart.tsx", 8, "retry", 3) in found     # rule (a): retries = 2 -> 3 attempts
    assert ("cart.tsx", 15, "retry", 3) in found    # rule (b): the call leaving retries out
    assert ("cart.tsx", 18, "retry", 5) in found    # rule (c): retries 4 -> 5 attempts
    assert not any(f[1] in (13, 19) for f in found)  # a nested formatter is no helper


def test_nested_helpers_of_one_name_twice_are_not_guessed(tmp_path):
    text = NESTED + NESTED.replace("CartProvider", "OtherProvider").replace("retries = 2", "retries = 5")
    found = _scan(tmp_path, {"package.json": '{"name": "shop"}\n', "src/cart.tsx": text})
    assert not any(f[1] == 15 and f[2] == "retry" for f in found)


def test_a_request_reading_the_assigned_member_itself_keeps_it_at_the_request(tmp_path):
    files = {"package.json": '{"name": "registry", "dependencies": {"urllib": "2"}}\n',
             "services/npm.js": """'use strict';
var urllib = require('urllib');
function* request(url, options) {
  options = options || {};
  options.timeout = options.timeout || 120000;
  var r = yield urllib.request(url, options);
  return r;
}
module.exports = { request };
"""}
    found = _scan(tmp_path, files)
    assert ("npm.js", 6, "timeout", 120000) in found       # urllib's detector: at the request (round 15)
    assert not any(f[1] == 5 for f in found)               # not also at the assignment
