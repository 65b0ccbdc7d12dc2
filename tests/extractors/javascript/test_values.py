"""JS syntax -> value expressions: constants, env defaults, parseInt, templates; symbols, imports, module."""

from __future__ import annotations
from pathlib import Path

from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str

from extractors.javascript.context import FileContext

from .conftest import extract_text


def timeouts(source: str, path: str = "svc/client.ts"):
    result = extract_text(source, path)
    return [(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"], f.confidence,
             tuple(p.expr for p in f.pending if p.attribute == "timeout_ms"))
            for f in result.findings if f.kind == "timeout"]


def test_literal_constant_env_default_and_parse_int():
    source = (
        'const A = 200;\n'
        'const B = parseInt(process.env.RISK_TIMEOUT_MS ?? "500", 10);\n'
        'const C = Number(process.env.C_MS) || 750;\n'
        'const D = 2 * 1_000;\n'
        'axios.get("http://a/x", { timeout: 100 });\n'
        'axios.get("http://a/x", { timeout: A });\n'
        'axios.get("http://a/x", { timeout: B });\n'
        'axios.get("http://a/x", { timeout: C });\n'
        'axios.get("http://a/x", { timeout: D });\n'
        'axios.get("http://a/x", { timeout: process.env.T || 300 });\n'
    )
    # an env default stays pending too: the deployment (compose, .env, Kubernetes) may set it
    got = timeouts(source)
    assert [(line, ms, source_, conf) for line, ms, source_, conf, _ in got] == [
        (5, 100, "literal", "high"),
        (6, 200, "constant", "high"),
        (7, 500, "env_default", "medium"),
        (8, 750, "env_default", "medium"),
        (9, 2000, "constant", "high"),
        (10, 300, "env_default", "medium"),
    ]
    assert [bool(pending) for *_, pending in got] == [False, False, True, True, False, True]


def test_unresolved_names_are_pending_with_local_constants_inlined():
    source = (
        'import { RISK_TIMEOUT } from "./config";\n'
        'async function f(opts) {\n'
        '  const budget = RISK_TIMEOUT * 2;\n'
        '  await axios.get("http://a/x", { timeout: budget });\n'
        '  await axios.get("http://a/x", { timeout: opts.timeout });\n'
        '}\n'
    )
    assert timeouts(source) == [
        (4, None, "unresolved", "medium", (BinOp("*", Ref("RISK_TIMEOUT"), Num(2)),)),
        (5, None, "unresolved", "medium", (Ref("opts.timeout"),)),
    ]


def test_symbols_imports_and_module():
    source = (
        'import axios from "axios";\n'
        'import { v4 as uuidv4 } from "uuid";\n'
        'import * as cfg from "../config";\n'
        'import defaults from "./defaults";\n'
        'const { RETRIES, B: LOCAL_B } = require("./limits");\n'
        'const http = require("node:http");\n'
        'export const RISK_URL = process.env.RISK_SERVICE_URL ?? "http://risk:8080";\n'
        'export const TIMEOUTS = { risk: { ms: 200 }, payment: 1500 };\n'
        'const SCORE_URL = `${RISK_URL}/score`;\n'
        'let mutable = 5;\n'
        'class Client { static TIMEOUT = 300; }\n'
        'enum Limits { Attempts = 3 }\n'
        'export default { timeout: 900 };\n'
    )
    result = extract_text(source, "services/checkout/src/lib/client.ts")
    assert result.module == "services/checkout/src/lib/client"
    assert result.imports == {
        "axios": "axios", "uuidv4": "uuid.v4", "cfg": "services/checkout/src/config",
        "defaults": "services/checkout/src/lib/defaults", "RETRIES": "services/checkout/src/lib/limits.RETRIES",
        "LOCAL_B": "services/checkout/src/lib/limits.B", "http": "http",
    }
    assert result.symbols == {
        "RISK_URL": Env("RISK_SERVICE_URL", Str("http://risk:8080")),
        "TIMEOUTS.risk.ms": Num(200), "TIMEOUTS.payment": Num(1500),
        "SCORE_URL": BinOp("+", Ref("RISK_URL"), Str("/score")),
        "Client.TIMEOUT": Num(300), "Limits.Attempts": Num(3), "default.timeout": Num(900),
        "timeout": Num(900),  # the default export's members under the names importers read
    }


def test_index_file_module_is_its_directory():
    assert extract_text("export const X = 1;", "src/config/index.ts").module == "src/config"


def test_urls_literal_template_and_env():
    source = (
        'const BASE = "http://risk:8080";\n'
        'fetch(`${BASE}/score`, { signal: AbortSignal.timeout(1) });\n'
        'fetch(`${process.env.RISK_URL}/score`, { signal: AbortSignal.timeout(1) });\n'
        'fetch(process.env.RISK_SERVICE_URL, { signal: AbortSignal.timeout(1) });\n'
    )
    result = extract_text(source, "a.js")
    calls = [(f.line, f.attributes["url"], f.target, tuple(p.expr for p in f.pending))
             for f in result.findings if f.kind == "outbound_call"]
    assert calls[0][1] == "http://risk:8080/score" and calls[0][2].url == "http://risk:8080/score"
    assert calls[1] == (3, None, None, (BinOp("+", Env("RISK_URL"), Str("/score")),))
    assert calls[2] == (4, None, None, (Env("RISK_SERVICE_URL"),))


def test_parse_int_call_of_env_default():
    result = extract_text('const T = parseInt(process.env.T || "500");\n', "a.js")
    assert result.symbols == {"T": Call("parseInt", (Env("T", Str("500")),))}


def test_default_imports_by_name_map_to_the_module():
    result = extract_text('const { default: axios } = require("axios");\nimport { default as got } from "got";\n', "a.js")
    assert result.imports == {"axios": "axios", "got": "got"}


def test_class_fields_and_config_service_reads():
    source = (
        'class RiskClient {\n'
        '  private readonly timeoutMs = 250;\n'
        '  constructor(private readonly config: ConfigService, private readonly http: HttpService) {}\n'
        '  score(b) {\n'
        '    return this.http.post("http://risk:8080/score", b, { timeout: this.timeoutMs });\n'
        '  }\n'
        '  quick(b) {\n'
        '    return this.http.post("http://risk:8080/q", b, { timeout: this.config.get("RISK_TIMEOUT_MS", 150) });\n'
        '  }\n'
        '  other(b) {\n'
        '    return this.http.post("http://risk:8080/o", b, { timeout: this.config.get<number>("OTHER_MS") });\n'
        '  }\n'
        '}\n'
    )
    result = extract_text(source, "risk.client.ts")
    got = sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"],
                  tuple(p.expr for p in f.pending if p.attribute == "timeout_ms"))
                 for f in result.findings if f.kind == "timeout")
    assert got == [(5, 250, "literal", ()), (8, 150, "env_default", (Env("RISK_TIMEOUT_MS", Num(150.0)),)),
                   (11, None, "unresolved", (Env("OTHER_MS", Ref("$envdefault.OTHER_MS")),))]
    # without a default of its own, the read falls back to what an envalid schema declares (if any)


def test_env_fallback_chain_keeps_the_last_default():
    # `A || B || "20"`: B is read when A is unset, "20" when neither is; the default sits on B's lookup
    ctx = FileContext.build("svc/redis.js", b'const n = parseInt(process.env.A || process.env.B || "20");\n')
    [call] = [c for c in ctx.calls if c.callee == "parseInt"]
    assert ctx.to_expr(call.node) == Call("parseInt", (Env("A", Env("B", Str("20"))),))
    result = extract_text('const redis = new Redis({ maxRetriesPerRequest: parseInt(process.env.A || '
                          'process.env.B || "20") });\n', "svc/redis.js")
    assert [(f.kind, f.attributes["max_attempts"]) for f in result.findings] == [("retry", 21)]
    # a chain that ends in a value it cannot follow stays unresolved rather than guessing
    result = extract_text('const redis = new Redis({ maxRetriesPerRequest: parseInt(process.env.A || '
                          'config.retries || "20") });\n', "svc/redis.js")
    assert [(f.kind, f.attributes["max_attempts"]) for f in result.findings] == [("retry", None)]


def test_envalid_schema_defaults_become_global_symbols():
    source = (
        'export class ConfigurationService {\n'
        '  constructor() {\n'
        '    this.env = cleanEnv(process.env, {\n'
        '      REQUEST_TIMEOUT: num({ default: ms("3 seconds") }),\n'
        '      RETRIES: num({ default: 4 }),\n'
        '      API_KEY: str(),\n'
        '      HOST: str({ devDefault: "localhost" }),\n'
        '    });\n'
        '  }\n'
        '}\n'
    )
    ctx = FileContext.build("svc/configuration.service.ts", source.encode())
    assert {k: v for k, v in ctx.symbols.items() if k.startswith("$envdefault.")} == {
        "$envdefault.REQUEST_TIMEOUT": Num(3000), "$envdefault.RETRIES": Num(4)}
    plain = FileContext.build("svc/other.ts", b'const x = { REQUEST_TIMEOUT: num({ default: 5 }) };\n')
    assert not any(k.startswith("$envdefault.") for k in plain.symbols)


def test_envalid_default_settles_a_config_read_in_another_file(tmp_path):
    from contract_discovery.pipeline import scan
    from pathlib import Path
    root = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "nestjs" / "envalid"
    for name in ("configuration.service.ts", "quotes.service.ts"):
        (tmp_path / name).write_bytes((root / name).read_bytes())
    result = scan(tmp_path)
    found = {(f.line, f.kind): f for f in result.findings if f.path.endswith("quotes.service.ts")}
    signal = found[(37, "timeout")]
    assert (signal.attributes["timeout_ms"], signal.attributes["resolved_from"]) == (3000, "env_default")


def test_zod_env_schema_defaults_become_symbols_of_the_parsed_env():
    root = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "zod_env"
    ctx = FileContext.build("svc/env.ts", (root / "env.ts").read_bytes())
    published = {k: v for k, v in ctx.symbols.items() if "TIMEOUT" in k or "ATTEMPTS" in k or "URL" in k}
    # only keys with a .default(); `parseEnv` (a function) is no holder of the parsed object
    assert published == {
        "$envdefault.WEBHOOK_TIMEOUT_MS": Num(10000), "env.WEBHOOK_TIMEOUT_MS": Env("WEBHOOK_TIMEOUT_MS", Num(10000)),
        "$envdefault.EXPORT_MAX_ATTEMPTS": Num(3), "env.EXPORT_MAX_ATTEMPTS": Env("EXPORT_MAX_ATTEMPTS", Num(3)),
    }
    # a schema-looking object that is not zod publishes nothing
    plain = FileContext.build("svc/other.ts", b'const x = { TIMEOUT_MS: y.number().default(5) };\n')
    assert not any("TIMEOUT_MS" in k for k in plain.symbols)


def test_zod_env_default_settles_env_reads_in_another_file(tmp_path):
    from contract_discovery.pipeline import scan
    root = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "zod_env"
    for name in ("env.ts", "webhook.ts"):
        (tmp_path / name).write_bytes((root / name).read_bytes())
    result = scan(tmp_path)
    got = {(f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.attributes.get("resolved_from")) for f in result.findings
           if f.path.endswith("webhook.ts") and f.kind in ("timeout", "retry")}
    assert (10, "timeout", 10000, "env_default") in got
    assert {(line, kind, value) for line, kind, value, _ in got} == {
        (5, "retry", 4), (10, "timeout", 10000), (21, "retry", 3), (21, "timeout", 5000),
        (27, "retry", 10), (27, "timeout", 2000)}


def test_commonjs_exports_default_aliases_helper_and_settings_function_symbols():
    cjs = FileContext.build("svc/settings.js", b'module.exports = { http: { timeout: 5000 }, retries: 3 };\n')
    assert cjs.symbols == {"default.http.timeout": Num(5000), "default.retries": Num(3),
                           "http.timeout": Num(5000), "retries": Num(3)}
    named = FileContext.build("svc/limits.js", b'const TIMEOUT = 7;\nconst limits = { a: 1 };\n'
                                                b'exports.TIMEOUT = 250;\nmodule.exports = limits;\n')
    # `exports.TIMEOUT` does not replace the file's own constant; the default export's members alias
    assert named.symbols == {"TIMEOUT": Num(7), "limits.a": Num(1), "a": Num(1)}
    helper = FileContext.build("svc/t.ts", b'export const withTimeout = async (cb, timeout = 10000) => cb();\n'
                                           b'export const retryAll = async (cb, timeout = 500) => cb();\n'
                                           b'export function withDeadline(cb, ms) { return cb(); }\n')
    assert helper.symbols == {"withTimeout.$timeout": Num(10000)}  # only helpers named for a timeout, with a default
    setting = FileContext.build("svc/c.ts", b'const D = 30000;\n'
                                            b'export const T = () => { const raw = env("T_MS"); if (!raw) return D; return Number(raw); };\n'
                                            b'export const U = (x) => { const raw = env("U_MS"); return raw ? Number(raw) : 5; };\n'
                                            b'export const V = () => { return env("A") || env("B") || 5; };\n')
    assert setting.symbols == {"D": Num(30000), "T.$return": Env("T_MS", Ref("D"))}


def test_config_modules_settle_reads_in_another_file():
    from contract_discovery.pipeline import scan
    root = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "config_modules"
    result = scan(root)
    got = {(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
           if f.path.endswith("client.ts") and f.kind == "timeout"}
    assert got == {(13, 5000, "constant"), (14, 5000, "constant"), (15, 3000, "constant"), (16, 1100, "constant"),
                   (17, 650, "constant"), (18, 10000, "constant"), (23, 30000, "env_default"),
                   (26, None, "unresolved")}
    retries = {(f.path, f.line, f.attributes["max_attempts"]) for f in result.findings if f.kind == "retry"}
    # the count handed to the wrapper (2) plus the offset its file publishes (it counts retries)
    assert retries == {("client.ts", 28, 3), ("lib/retry.ts", 5, 6)}
    # `const { imgProxyRequestTimeout } = getConfig()` reads the member getConfig builds from the env
    rendered = {(f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"]) for f in result.findings
                if f.path == "storage/renderer.ts" and f.kind == "timeout"}
    assert rendered == {(9, 15000, "env_default")}


def test_settings_function_members_and_destructured_reads_are_symbols():
    root = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "config_modules"
    config = FileContext.build("config.ts", (root / "config.ts").read_bytes())
    assert {k: v for k, v in config.symbols.items() if k.startswith("getConfig.")} == {
        "getConfig.$return.serviceName": Env("SERVICE_NAME", Str("storage")),
        "getConfig.$return.imgProxyRequestTimeout": Call("parseInt", (Env("IMGPROXY_REQUEST_TIMEOUT", Str("15")),)),
        "getConfig.$return.webhookRetries": Num(3),
    }
    reader = FileContext.build("a.ts", b'import { getConfig, buildThing } from "./config";\n'
                                       b'const { imgProxyRequestTimeout: rt, serviceName } = getConfig();\n'
                                       b'const { size } = buildThing(3);\n')
    assert reader.symbols == {"rt": Ref("getConfig.$return.imgProxyRequestTimeout"),
                              "serviceName": Ref("getConfig.$return.serviceName")}


def test_an_env_check_choosing_between_the_variable_and_a_default_and_a_lodash_default():
    source = (
        'import _ from "lodash";\n'
        'const T = process.env.CH_TIMEOUT_MS ? Math.max(1000, parseInt(process.env.CH_TIMEOUT_MS, 10)) : 30_000;\n'
        'const U = process.env.OTHER ? parseInt(process.env.CH_TIMEOUT_MS, 10) : 30_000;\n'
        'axios.get("http://a/x", { timeout: T });\n'
        'axios.get("http://a/x", { timeout: U });\n'
        'axios.get("http://a/x", { timeout: _.get(cfg, "timeout", 2500) });\n'
        'axios.get("http://a/x", { timeout: other.get(cfg, "timeout", 2500) });\n'
    )
    got = {line: (ms, source_, pending) for line, ms, source_, _conf, pending in timeouts(source)}
    assert got[4][:2] == (30000, "env_default")  # (pending on the constant, which the file publishes)
    assert got[5][0] is None  # the checked variable is not the one read: unknown
    assert got[6][0] == 2500  # lodash's `_.get(obj, path, default)`: the code's own default
    assert got[7][0] is None  # a `get` of something else
