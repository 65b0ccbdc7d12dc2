"""Round 11 (the HMPPS template, hmpps-incentives-ui): an object of a service's configuration module
describing a remote API (it names where to call, `url`/`baseUrl`/`endpoint`, or sits under `apis`/
`services`/`clients`) holding superagent's `timeout: { response, deadline }` (the wait for the response,
read; the whole request, total) or a bare `timeout: <ms>` is a contract at those lines; the template's
`agent: new AgentConfig(ms)` (the keep-alive agent's socket timeout) and agentkeepalive's
`new HttpsAgent({ timeout })` likewise. `get('X', 10000)` of a function of the file returning
`process.env[name]` or its fallback is the environment variable X with default 10000."""

from __future__ import annotations

from extractors.javascript.extractor import EXTRACTOR

CONFIG = """import { AgentConfig } from '@ministryofjustice/hmpps-rest-client'

const production = process.env.NODE_ENV === 'production'

function get<T>(name: string, fallback: T, options = { requireInProduction: false }): T | string {
  if (process.env[name]) {
    return process.env[name]
  }
  if (fallback !== undefined && (!production || !options.requireInProduction)) {
    return fallback
  }
  throw new Error(`Missing env var ${name}`)
}

export default {
  session: {
    secret: get('SESSION_SECRET', 'insecure'),
    timeout: Number(get('WEB_SESSION_TIMEOUT_IN_MINUTES', 120)),
  },
  apis: {
    hmppsAuth: {
      url: get('HMPPS_AUTH_URL', 'http://localhost:9090/auth'),
      timeout: {
        response: Number(get('HMPPS_AUTH_TIMEOUT_RESPONSE', 10000)),
        deadline: Number(get('HMPPS_AUTH_TIMEOUT_DEADLINE', 12000)),
      },
      agent: new AgentConfig(Number(get('HMPPS_AUTH_TIMEOUT_RESPONSE', 10000))),
    },
    frontendComponents: {
      url: get('COMPONENT_API_URL', 'http://localhost:8082'),
      timeout: {
        response: Number(get('COMPONENT_API_TIMEOUT_SECONDS', 5000)),
        deadline: Number(get('COMPONENT_API_TIMEOUT_SECONDS', 5000)),
      },
    },
    prisonerSearch: {
      healthPath: '/health/ping',
      timeout: 7000,
    },
  },
  ui: {
    toast: { timeout: 300 },
  },
  messages: {
    timeout: 'The service timed out',
  },
}
"""


def _timeouts(source: str, path: str = "server/config.ts") -> dict[int, tuple]:
    result = EXTRACTOR.extract(path, source.encode("utf-8"))
    return {f.line: (f.attributes.get("timeout_ms"), f.attributes.get("phase"), f.detector)
            for f in result.findings if f.kind == "timeout" and f.attributes.get("timeout_ms") is not None}


def test_superagent_shape_under_an_api_with_url():
    found = _timeouts(CONFIG)
    assert found[24] == (10000, "read", "javascript.client_options")   # response
    assert found[25] == (12000, "total", "javascript.client_options")  # deadline


def test_agent_config_is_the_socket_timeout():
    found = _timeouts(CONFIG)
    assert found[27] == (10000, "idle", "javascript.client_options")


def test_library_fixes_the_unit_not_the_variable_name():
    found = _timeouts(CONFIG)
    assert found[32] == (5000, "read", "javascript.client_options")   # not 5000 s
    assert found[33] == (5000, "total", "javascript.client_options")


def test_bare_timeout_of_an_api_under_apis_without_url():
    found = _timeouts(CONFIG)
    assert found[38] == (7000, "total", "javascript.client_options")


def test_env_reader_default_is_the_value():
    result = EXTRACTOR.extract("server/config.ts", CONFIG.encode("utf-8"))
    at24 = next(f for f in result.findings if f.line == 24 and f.kind == "timeout")
    assert at24.attributes["resolved_from"] == "env_default"
    assert "HMPPS_AUTH_TIMEOUT_RESPONSE" in repr(at24.pending)


def test_negatives_session_ui_and_message():
    found = _timeouts(CONFIG)
    assert 18 not in found  # a session's lifetime
    assert 42 not in found  # a UI toast's timeout, no remote API
    assert 45 not in found  # the word timeout in a message
    result = EXTRACTOR.extract("server/config.ts", CONFIG.encode("utf-8"))
    assert not [f for f in result.findings if f.kind == "timeout" and f.line in (18, 42, 45)]


def test_no_url_no_api_holder_is_no_contract():
    source = """export const widgets = {
  spinner: { delay: 100, timeout: 3000 },
  session: { url: '/login', timeout: 600000 },
}
"""
    result = EXTRACTOR.extract("src/config.ts", source.encode("utf-8"))
    assert not [f for f in result.findings if f.kind == "timeout"]


def test_api_with_base_url_and_plain_timeout():
    source = """const env = process.env
export const config = {
  payments: {
    baseUrl: env.PAYMENTS_URL || 'http://payments:8080',
    timeout: 4500,
  },
}
"""
    found = _timeouts(source, "src/config.ts")
    assert found[5] == (4500, "total", "javascript.client_options")


def test_options_handed_straight_to_a_call_are_the_calls():
    # a call's own options are read at the call by its library detector (or not at all), never twice here
    source = """import { doThing } from './thing'
doThing({ url: 'http://x', timeout: 1000 })
"""
    result = EXTRACTOR.extract("src/use.ts", source.encode("utf-8"))
    assert not [f for f in result.findings if f.detector == "javascript.client_options"]
    # (the helper's own proposal stays, settled against the helper's parameter)
    assert [f.detector for f in result.findings if f.kind == "timeout"] == ["javascript.wrapper_call"]


def test_agentkeepalive_agent_timeout():
    source = """import { HttpsAgent } from 'agentkeepalive'
export const agent = new HttpsAgent({
  timeout: 15000,
})
"""
    found = _timeouts(source, "src/agent.ts")
    assert found[3] == (15000, "idle", "javascript.client_options")


def test_test_files_are_left_out():
    result = EXTRACTOR.extract("server/config.test.ts", CONFIG.encode("utf-8"))
    assert not [f for f in result.findings if f.kind == "timeout" and f.line in (24, 25)]


def test_values_copied_from_a_record_are_no_setting():
    # a monitoring tool mapping its monitor rows: `timeout: row.timeout`, `this.timeout * 1000`
    source = """export function toApi(row: MonitorRow) {
  return {
    url: row.url,
    timeout: row.timeout,
  }
}
export class Monitor {
  toJSON() {
    return { url: this.url, timeout: this.timeout * 1000 }
  }
}
export const converted = (dbMon: Row) => ({ url: dbMon.url, timeout: BigInt(dbMon.timeout) })
export async function getOne(id: string) {
  const m = await getMonitor(id)
  return { id: m.id, url: m.url, timeout: m.timeout }
}
"""
    result = EXTRACTOR.extract("src/monitors.ts", source.encode("utf-8"))
    assert not [f for f in result.findings if f.kind == "timeout"]


def test_mock_and_seed_files_are_left_out():
    source = """export const mockWebhook = {
  url: 'https://hooks.example.com/x',
  timeout: 45000,
}
"""
    for path in ("packages/notifications/slack/src/mock.ts", "src/lib/server/db/seedMonitorData.ts"):
        result = EXTRACTOR.extract(path, source.encode("utf-8"))
        assert not [f for f in result.findings if f.kind == "timeout"], path


def test_request_options_read_at_their_call_are_reported_there_only():
    source = """import axios from 'axios'
export async function count() {
  const options = {
    url: '/containers/json?all=true',
    timeout: 5000,
  }
  const res = await axios.request(options)
  return res.data.length
}
"""
    result = EXTRACTOR.extract("server/docker.js", source.encode("utf-8"))
    timeouts = [f for f in result.findings if f.kind == "timeout"]
    assert [(f.line, f.detector) for f in timeouts] == [(7, "javascript.axios")]
