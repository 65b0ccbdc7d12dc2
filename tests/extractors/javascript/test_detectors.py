"""Inline examples per detector: exact (kind, line, attributes) sets, positive and negative (traps)."""

from __future__ import annotations

from .conftest import extract_text


def found(source: str, path: str = "svc/a.ts", *keys: str):
    result = extract_text(source, path)
    return sorted((f.kind, f.line, *(f.attributes.get(k) for k in keys)) for f in result.findings)


def kinds(source: str, path: str = "svc/a.ts"):
    return sorted((f.kind, f.line) for f in extract_text(source, path).findings)


# --- traps shared by every detector ----------------------------------------------------------

def test_word_timeout_in_strings_and_comments_is_nothing():
    source = (
        '// axios.get(url, { timeout: 5 }) and fetch(url) in a comment\n'
        'const msg = "request timeout: retry with a new uuid";\n'
        '/* new CircuitBreaker(fn, { timeout: 3000 }) */\n'
        'const tpl = `timeout ${"retry"}`;\n'
        'const timeout = 5, retry = true, retries = 3, deadline = "friday";\n'
    )
    assert kinds(source) == []


def test_timeout_undefined_null_and_zero_are_missing_timeouts():
    source = (
        'axios.get("http://a:1/x", { timeout: undefined });\n'
        'axios.get("http://a:1/x", { timeout: null });\n'
        'axios.get("http://a:1/x", { timeout: 0 });\n'
        'fetch("http://a:1/x", { signal: undefined });\n'
    )
    assert found(source, "a.ts", "library") == [
        ("missing_timeout", 1, "axios"), ("missing_timeout", 2, "axios"), ("missing_timeout", 3, "axios"),
        ("missing_timeout", 4, "fetch"),
        ("outbound_call", 1, None), ("outbound_call", 2, None), ("outbound_call", 3, None),
        ("outbound_call", 4, None),
    ]


# --- axios -----------------------------------------------------------------------------------

def test_axios_global_default_silences_missing_timeout_in_the_file():
    source = (
        'import axios from "axios";\n'
        'axios.defaults.timeout = 1500;\n'
        'axios.get("http://a:1/x");\n'
    )
    assert found(source, "a.ts", "timeout_ms", "scope") == [("outbound_call", 3, None, None), ("timeout", 2, 1500, "global")]


def test_axios_instance_with_a_spread_config_is_not_judged():
    source = (
        'import axios from "axios";\n'
        'const c = axios.create({ ...shared, baseURL: "http://a:1" });\n'
        'c.get("/x");\n'
    )
    assert found(source, "a.ts", "url") == [("outbound_call", 3, "http://a:1/x")]


def test_relative_urls_name_no_target():
    result = extract_text('fetch("/api/session", { signal: AbortSignal.timeout(5) });\n'
                          'axios.post("sms", {}, { timeout: 5 });\n', "a.ts")
    assert sorted((f.kind, f.line, f.attributes.get("url"), f.target) for f in result.findings
                  if f.kind == "outbound_call") == [("outbound_call", 1, "/api/session", None),
                                                    ("outbound_call", 2, "sms", None)]


def test_axios_this_client_field_and_typed_parameter():
    source = (
        'import axios, { AxiosInstance } from "axios";\n'
        'class Risk {\n'
        '  private client = axios.create({ baseURL: "http://risk:8080", timeout: 300 });\n'
        '  score(b) { return this.client.post("/score", b); }\n'
        '}\n'
        'function use(api: AxiosInstance) { return api.get("/x"); }\n'
    )
    result = extract_text(source, "a.ts")
    assert sorted((f.kind, f.line, f.attributes.get("timeout_ms"), f.target.url if f.target else None)
                  for f in result.findings) == [
        ("outbound_call", 4, None, "http://risk:8080/score"),
        ("outbound_call", 6, None, None),
        ("timeout", 3, 300, "http://risk:8080"),
    ]


# --- fetch -----------------------------------------------------------------------------------

def test_fetch_set_timeout_only_counts_when_it_aborts_the_controller():
    source = (
        'async function f(url) {\n'
        '  const c = new AbortController();\n'
        '  setTimeout(() => console.log("slow"), 100);\n'
        '  setTimeout(c.abort.bind(c), 900);\n'
        '  return fetch(url, { signal: c.signal });\n'
        '}\n'
        'async function g(url) {\n'
        '  const c = new AbortController();\n'
        '  setTimeout(() => setSpinner(true), 100);\n'
        '  return fetch(url, { signal: c.signal });\n'
        '}\n'
    )
    assert found(source, "a.js", "timeout_ms") == [("outbound_call", 5, None), ("outbound_call", 10, None)]


def test_fetch_abort_via_arrow_is_a_timeout():
    source = (
        'async function f(url) {\n'
        '  const ac = new AbortController();\n'
        '  const t = setTimeout(() => { ac.abort(); }, 650);\n'
        '  return fetch(url, { signal: ac.signal });\n'
        '}\n'
    )
    assert found(source, "a.js", "timeout_ms", "phase") == [("outbound_call", 4, None, None),
                                                             ("timeout", 4, 650, "total")]


# --- retries ---------------------------------------------------------------------------------

def test_retry_library_defaults_and_traps():
    source = (
        'import retry from "async-retry";\n'
        'import pRetry from "p-retry";\n'
        'await retry(async () => go(), {});\n'
        'await pRetry(run, { retries: 0 });\n'
        'function notImported() { const retry = (f) => f(); return retry(() => 1); }\n'
    )
    assert found(source, "a.ts", "max_attempts", "library", "backoff") == [
        ("retry", 3, 11, "async-retry", "exponential"),
        ("retry", 4, 1, "p-retry", "none"),
    ]


def test_retry_count_from_an_imported_constant_is_pending():
    source = (
        'import axiosRetry from "axios-retry";\n'
        'import { RETRIES } from "./config";\n'
        'axiosRetry(client, { retries: RETRIES });\n'
    )
    result = extract_text(source, "svc/a.ts")
    [retry] = [f for f in result.findings if f.kind == "retry"]
    assert retry.attributes["max_attempts"] is None
    from contract_discovery.values import BinOp, Num, Ref
    assert [(p.attribute, p.expr) for p in retry.pending] == [("max_attempts", BinOp("+", Ref("RETRIES"), Num(1)))]


def test_loop_over_items_and_index_loops_are_not_retries():
    source = (
        'async function f(items) {\n'
        '  for (const item of items) { try { await send(item); } catch (e) { continue; } }\n'
        '  for (let i = 0; i < items.length; i++) { try { await send(items[i]); } catch (e) {} }\n'
        '  while (queue.length) { try { await send(queue.pop()); } catch (e) { break; } }\n'
        '}\n'
    )
    assert kinds(source, "a.js") == []


def test_do_while_retry_with_guard_in_catch():
    source = (
        'async function f() {\n'
        '  let attempts = 0;\n'
        '  do {\n'
        '    try { return await client.score(); }\n'
        '    catch (e) { attempts++; if (attempts > 4) throw e; }\n'
        '  } while (true);\n'
        '}\n'
    )
    assert found(source, "a.js", "max_attempts", "mechanism") == [("retry", 3, 5, "loop")]


def test_catch_that_calls_something_else_or_only_logs_is_not_a_retry():
    source = (
        'async function f(c) {\n'
        '  try { return await risk.score(c); } catch (e) { return await risk.fallbackScore(c); }\n'
        '}\n'
        'async function g(c) {\n'
        '  try { await risk.score(c); } catch (e) { logger.error(e); await metrics.inc("x"); }\n'
        '}\n'
    )
    assert kinds(source, "a.js") == []


# --- fresh IDs -------------------------------------------------------------------------------

def test_uuid_made_once_outside_the_loop_is_stable():
    source = (
        'import { v4 } from "uuid";\n'
        'async function f() {\n'
        '  const key = v4();\n'
        '  for (let attempt = 0; attempt < 3; attempt++) {\n'
        '    try { return await post({ key }); } catch (e) {}\n'
        '  }\n'
        '}\n'
    )
    assert found(source, "a.js", "max_attempts") == [("retry", 4, 3)]


def test_uuid_inside_the_loop_and_sent_is_reported_with_its_retry():
    source = (
        'import { v4 } from "uuid";\n'
        'async function f() {\n'
        '  for (let attempt = 0; attempt < 3; attempt++) {\n'
        '    const key = v4();\n'
        '    const headers = { "x-request-id": key };\n'
        '    try { return await post({ headers }); } catch (e) {}\n'
        '  }\n'
        '}\n'
    )
    assert found(source, "a.js", "generator", "variable", "retry_line") == [
        ("new_id_per_attempt", 4, "uuid.v4", "key", 3), ("retry", 3, None, None, None)]


def test_uuid_in_a_catch_that_does_not_repeat_the_call_is_not_reported():
    source = (
        'async function f() {\n'
        '  try { return await post(); } catch (e) { const id = crypto.randomUUID(); report(id); }\n'
        '}\n'
    )
    assert kinds(source, "a.js") == []


# --- circuit breakers, gRPC, idempotency -------------------------------------------------------

def test_opossum_timeout_false_has_no_timeout():
    source = (
        'const CircuitBreaker = require("opossum");\n'
        'const b = new CircuitBreaker(fn, { timeout: false, resetTimeout: 5000 });\n'
    )
    assert found(source, "a.js", "timeout_ms", "reset_timeout_ms") == [("circuit_breaker", 2, None, 5000)]


def test_grpc_deadline_from_a_constant_in_seconds():
    source = (
        'const DEADLINE_S = 2;\n'
        'client.score(req, { deadline: Date.now() + DEADLINE_S * 1000 }, cb);\n'
    )
    assert found(source, "a.js", "timeout_ms", "phase") == [("outbound_call", 2, None, None),
                                                            ("timeout", 2, 2000, "deadline")]


def test_idempotency_needs_a_request_key_and_the_same_store():
    source = (
        'app.post("/a", async (req, res) => {\n'
        '  const hit = await cache.get(req.headers["idempotency-key"]);\n'
        '  await other.set(req.headers["idempotency-key"], 1);\n'
        '});\n'
        'app.post("/b", async (req, res) => {\n'
        '  const hit = await cache.get(req.headers["idempotency-key"]);\n'
        '  await cache.setex(req.headers["idempotency-key"], 600, JSON.stringify(hit));\n'
        '});\n'
    )
    assert found(source, "a.js", "key", "window_ms") == [("idempotency_key", 6, "idempotency-key", 600000)]


def test_compiled_typescript_imports_and_nest_axios_ref():
    source = (
        'var axios_1 = __importDefault(require("axios"));\n'
        'var client = axios_1.default.create({ timeout: 100 });\n'
        'axios_1.default.get("http://a:1/x");\n'
        'class S { constructor(private readonly http: HttpService) {}\n'
        '  go() { return this.http.axiosRef.get("http://b:2/y"); } }\n'
    )
    assert found(source, "a.ts", "timeout_ms", "url") == [
        ("missing_timeout", 3, None, None), ("outbound_call", 3, None, "http://a:1/x"),
        ("outbound_call", 5, None, "http://b:2/y"), ("timeout", 2, 100, None)]


def test_axios_instance_made_twice_and_made_inline():
    source = (
        'import axios from "axios";\n'
        'class P {\n'
        '  init(c) {\n'
        '    if (c.token) { this.api = axios.create({ baseURL: "http://a:1" }); }\n'
        '    else { this.api = axios.create({ baseURL: "http://a:1", timeout: 900 }); }\n'
        '  }\n'
        '  send() { return this.api.post("/x", {}); }\n'
        '  once() { return axios.create().post("http://b:2/y", {}); }\n'
        '}\n'
    )
    assert found(source, "a.ts", "timeout_ms", "url") == [
        ("missing_timeout", 8, None, None), ("outbound_call", 7, None, "http://a:1/x"),
        ("outbound_call", 8, None, "http://b:2/y"), ("timeout", 5, 900, None)]


def test_spread_of_a_local_options_object_is_merged():
    source = (
        'import axios from "axios";\n'
        'const base = { timeout: 300, headers: {} };\n'
        'function f(url, opts) {\n'
        '  axios.get(url, { ...base, params: {} });\n'
        '  axios.get(url, { ...base, timeout: 50 });\n'
        '  axios.get(url, { ...opts });\n'
        '  axios.get(url, { ...opts, timeout: 70 });\n'
        '}\n'
    )
    assert found(source, "a.ts", "timeout_ms") == [
        ("outbound_call", 4, None), ("outbound_call", 5, None), ("outbound_call", 6, None),
        ("outbound_call", 7, None), ("timeout", 4, 300), ("timeout", 5, 50), ("timeout", 7, 70)]


def test_got_custom_calculate_delay_leaves_attempts_unknown():
    source = (
        'import got from "got";\n'
        'got.post(u, { timeout: { request: 100 }, retry: { calculateDelay: ({ attemptCount }) => attemptCount < 5 ? 100 : 0 } });\n'
        'got.post(u, { timeout: { request: 100 }, retry: {} });\n'
    )
    assert [(f.line, f.attributes["max_attempts"]) for f in extract_text(source, "a.js").findings
            if f.kind == "retry"] == [(2, None), (3, 3)]


def test_fallback_default_value_versus_failure_results():
    template = ('async function f(c) {{\n'
                '  try {{ return await riskApi.score(c); }} catch (e) {{ return {value}; }}\n'
                '}}\n')
    def fallbacks(value):
        return [(f.line, f.attributes["strategy"]) for f in extract_text(template.format(value=value), "a.js").findings
                if f.kind == "fallback"]
    assert fallbacks('{ decision: "allow" }') == [(2, "default_value")]
    assert fallbacks("null") == [(2, "default_value")]
    assert fallbacks('{ error: String(e) }') == []
    assert fallbacks('{ success: false, message: "x" }') == []
    assert fallbacks("e") == []


def test_fresh_id_made_by_a_header_helper_called_per_attempt():
    source = (
        'import { v4 as uuidv4 } from "uuid";\n'
        'function headers() { return { "X-Request-Id": uuidv4() }; }\n'
        'function stableHeaders(key) { return { "Idempotency-Key": key }; }\n'
        'async function send(client, body) {\n'
        '  for (let attempt = 0; attempt < 2; attempt++) {\n'
        '    try { return await client.post("/x", body, { headers: headers() }); } catch (e) {}\n'
        '  }\n'
        '}\n'
    )
    assert found(source, "a.ts", "generator", "variable", "retry_line") == [
        ("new_id_per_attempt", 2, "uuid.v4", "X-Request-Id", 5), ("retry", 5, None, None, None)]
