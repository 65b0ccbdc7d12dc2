"""Values handed to a project's own helper in another file: proposed at the call, kept (and valued)
by the scan only when the helper's file publishes that parameter as a timeout or attempts bound."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract_discovery.pipeline import scan
from contract_discovery.values import BinOp, Num, Ref
from extractors.javascript.extractor import EXTRACTOR

PAIR = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "wrappers"


def _scan(tmp_path: Path):
    root = tmp_path / "checkout"
    shutil.copytree(PAIR, root)
    (root / "package.json").write_text('{"name": "checkout"}\n')
    return scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")


def test_calls_of_another_files_helpers_carry_their_timeouts_and_attempts(tmp_path: Path) -> None:
    result = _scan(tmp_path)
    got = {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.detector.rsplit(".", 1)[-1])
           for f in result.findings if f.kind in ("timeout", "retry")}
    assert {g for g in got if g[0] == "checkout.ts"} == {
        ("checkout.ts", 13, "timeout", 2000, "wrapper_call"),
        ("checkout.ts", 14, "timeout", 1500, "wrapper_call"),   # a constant of this file
        ("checkout.ts", 15, "timeout", 800, "wrapper_call"),    # a constant of a third file
        ("checkout.ts", 16, "timeout", 750, "wrapper_call"),    # an option of the options parameter
        ("checkout.ts", 17, "timeout", 4000, "wrapper_call"),   # the helper reads seconds * 1000
        ("checkout.ts", 18, "retry", 6, "wrapper_call"),        # 5 retries after the first try
        ("checkout.ts", 19, "retry", 4, "wrapper_call"),        # 4 tries
        ("checkout.ts", 22, "timeout", 5000, "wrapper_call"),   # the constructor's option, on its line
        ("checkout.ts", 24, "timeout", 2500, "wrapper_call"),   # a method of the instance made above
        ("checkout.ts", 33, "timeout", 1200, "wrapper_call"),   # a method of the helper module's instance
        ("checkout.ts", 34, "timeout", 900, "wrapper_call"),    # options the helper hands axios whole
        ("checkout.ts", 36, "timeout", 650, "wrapper_call"),    # a setting's member, with its env default
    }  # forwarders, strings, non-constants, null and the cache ttl: dropped or never proposed
    # the helpers' own findings are unchanged
    assert ("http.ts", 26, "retry", 3, "retry_library") in got
    assert ("http.ts", 16, "timeout", 1000, "axios") in got


def test_helpers_publish_their_parameters_under_the_names_callers_use() -> None:
    http = EXTRACTOR.extract("svc/lib/http.ts", (PAIR / "lib" / "http.ts").read_bytes())
    published = {k: v for k, v in http.symbols.items() if "$" in k and "_omitted" not in k and "_default" not in k
                 and not k.startswith("$forwarder:") and "$url_" not in k}
    # the helpers' URL parameters: their calls go where that argument points (a cache's ttl is no bound: nothing)
    assert {k for k in http.symbols if "$url_" in k} == {
        f"{name}.$url_param:{slot}" for name in ("callApi", "postJson", "HttpUtil.post", "post", "getJson")
        for slot in ("0", "url")}
    # a caller leaving `timeoutSec = 3` out (passing 0, 1 or 2 arguments) waits 3 s
    # (the core's markers); and one leaving `maxRetries = 2` out (0 or 1 argument) makes 3 tries
    assert {k: v for k, v in http.symbols.items() if "_omitted" in k or "_default" in k} == {
        **{f"{name}.{marker}:{count}": (Num(1) if marker == "$timeout_omitted" else BinOp("*", Num(3.0), Num(1000.0)))
           for name in ("HttpUtil.post", "post") for marker in ("$timeout_omitted", "$timeout_default")
           for count in range(3)},
        **{f"withRetry.$attempts_omitted:{count}": Num(1) for count in range(2)},
        **{f"withRetry.$attempts_default:{count}": BinOp("+", Num(2.0), Num(1.0)) for count in range(2)},
        # (round 15, js1) `opts.timeout ?? 10000`: the options member's fallback is its default (rule b) for
        # a call leaving `opts` out, or handing an object literal without `timeout`
        **{f"postJson.{marker}:{count}": (Num(1) if marker == "$timeout_omitted" else Num(10000.0))
           for marker in ("$timeout_omitted", "$timeout_default") for count in ("0", "1", "2", "3:literal")}}
    assert published == {
        "callApi.$timeout_param:1": Num(1.0), "callApi.$timeout_param:timeoutMs": Num(1.0),
        "postJson.$timeout_param:2.timeout": Num(1.0),
        "HttpUtil.post.$timeout_param:2": Num(1000.0), "HttpUtil.post.$timeout_param:timeoutSec": Num(1000.0),
        # the default export's members, for `import Anything from "./http"; Anything.post(...)`
        "post.$timeout_param:2": Num(1000.0), "post.$timeout_param:timeoutSec": Num(1000.0),
        "withRetry.$attempts_param:1": Num(2.0), "withRetry.$attempts_param:maxRetries": Num(2.0),
        "guarded.$attempts_param:1": Num(1.0), "guarded.$attempts_param:times": Num(1.0),
        "getJson.$timeout_param:1.timeout": Num(1.0),  # its config goes to axios.get whole
    }  # cacheGet's ttl is no timeout: nothing published for it
    media = EXTRACTOR.extract("svc/lib/media.ts", (PAIR / "lib" / "media.ts").read_bytes())
    assert {k: v for k, v in media.symbols.items() if "$" in k and not k.startswith("$forwarder:")
            and "$url_fixed" not in k} == {
        "MediaLibrary.$timeout_param:0.timeout": Num(1.0), "$timeout_param:0.timeout": Num(1.0),
        "MediaLibrary.status.$timeout_param:0": Num(1.0), "MediaLibrary.status.$timeout_param:ms": Num(1.0),
        "status.$timeout_param:0": Num(1.0), "status.$timeout_param:ms": Num(1.0),
        "library.status.$timeout_param:0": Num(1.0), "library.status.$timeout_param:ms": Num(1.0),
    }


def test_a_caller_without_any_other_word_is_read_for_helper_calls() -> None:
    source = b'import { callApi } from "./lib/http";\nexport const f = () => callApi(RISK, 2000);\n'
    result = EXTRACTOR.extract("svc/score.ts", source)
    assert {(f.kind, f.line, f.attributes["via"]) for f in result.findings} == {
        ("timeout", 2, "callApi"), ("retry", 2, "callApi")}


def test_commonjs_module_members_are_helpers_too(tmp_path: Path) -> None:
    result = _scan(tmp_path)
    got = {(f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
           for f in result.findings if f.path.endswith("services/report.js") and f.kind in ("timeout", "retry")}
    assert got == {(7, "timeout", 4500)}  # legacy.post's third parameter bounds nothing there: dropped


def test_a_helper_name_two_files_publish_is_read_from_the_file_the_caller_imports(tmp_path: Path) -> None:
    # `callApi` is published by two files (seconds in lib/a, ms in lib/b): each caller gets the unit
    # of the one it imports, not the first by path (the global fallback)
    root = tmp_path / "svc"
    for folder, body in (("a", "{ timeout: t * 1000 }"), ("b", "{ timeout: t }")):
        (root / "lib" / folder).mkdir(parents=True)
        (root / "lib" / folder / "http.ts").write_text(
            'import axios from "axios";\n'
            f"export async function callApi(url: string, t: number) {{ return axios.get(url, {body}); }}\n")
    (root / "package.json").write_text('{"name": "svc"}\n')
    (root / "one.ts").write_text('import { callApi } from "./lib/b/http";\nexport const f = () => callApi("http://x:1/y", 250);\n')
    (root / "two.ts").write_text('import { callApi } from "./lib/a/http";\nexport const g = () => callApi("http://x:1/y", 2);\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = {(f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"]) for f in result.findings
           if f.kind == "timeout" and f.detector == "javascript.wrapper_call"}
    assert got == {("one.ts", 2, 250), ("two.ts", 2, 2000)}


def test_callers_holding_an_interface_get_its_implementations_deadline_passed_or_defaulted(tmp_path: Path) -> None:
    root = tmp_path / "bridge"
    shutil.copytree(PAIR.parent / "wrappers_bus", root)
    (root / "package.json").write_text('{"name": "bridge"}\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"), f.detector.rsplit(".", 1)[-1])
           for f in result.findings if f.kind in ("timeout", "retry")}
    assert got == {
        ("redisQueue.ts", 13, "timeout", 30000, "deadline"),       # the implementation's own timer
        ("router.ts", 11, "timeout", 5000, "wrapper_call"),         # the caller's deadline
        ("router.ts", 15, "timeout", 30000, "wrapper_call"),        # left out: the default
    }  # `push` has no timeout parameter: its caller gets nothing


CHAINS = PAIR.parent / "wrapper_chains"


def test_helper_chains_constructor_fields_and_left_out_defaults_reach_the_callers(tmp_path: Path) -> None:
    # lib/client.ts only hands its own parameters on to lib/http.ts (forwarders: never reported
    # there); its callers in services/app.ts get the inner helper's unit, a constructor's stored
    # field makes `new ScoreCache(url, 1500)` a timeout, and `readJson(url)` gets the 5 s default.
    root = tmp_path / "chains"
    shutil.copytree(CHAINS, root)
    (root / "package.json").write_text('{"name": "chains"}\n')
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
            f.detector.rsplit(".", 1)[-1])
           for f in result.findings if f.kind in ("timeout", "retry")}
    assert {g for g in got if g[0] == "app.ts"} == {
        ("app.ts", 9, "timeout", 2000, "wrapper_call"),    # getScore -> callApi(url, timeoutMs)
        ("app.ts", 10, "timeout", 4000, "wrapper_call"),   # getSlow hands seconds * 1000 on
        ("app.ts", 11, "timeout", 750, "wrapper_call"),    # loadRules hands opts.timeout on
        ("app.ts", 12, "retry", 3, "wrapper_call"),        # patiently hands tries - 1 retries on
        ("app.ts", 13, "timeout", 5000, "wrapper_call"),   # readJson's default, left out
        ("app.ts", 16, "timeout", 1500, "wrapper_call"),   # the constructor's field a method reads
        ("app.ts", 19, "timeout", 10000, "wrapper_call"),  # an option stored as a field, read in seconds
    }  # a variable, a ttl handed on, a batch size stored in a field: nothing
    # the forwarders themselves report nothing; the helpers' own findings are unchanged
    assert not {g for g in got if g[0] == "client.ts" and g[1] < 30}
    assert ("http.ts", 11, "timeout", 5000, "axios") in got


def test_a_forwarder_publishes_its_parameter_in_terms_of_the_inner_helper() -> None:
    client = EXTRACTOR.extract("svc/lib/client.ts", (CHAINS / "lib" / "client.ts").read_bytes())
    symbols = client.symbols
    assert symbols["getScore.$timeout_param:1"] == Ref("callApi.$timeout_param:1")
    assert symbols["getSlow.$timeout_param:seconds"] == BinOp("*", Num(1000.0), Ref("callApi.$timeout_param:1"))
    assert symbols["loadRules.$timeout_param:1.timeout"] == Ref("callApi.$timeout_param:1")
    assert symbols["patiently.$attempts_param:1"] == BinOp("+", Num(-1.0), Ref("withRetry.$attempts_param:1"))
    # constructor fields: `this.timeoutMs = timeoutMs` (positional) and `Number(opts.connectSeconds) || 30`
    assert symbols["ScoreCache.$timeout_param:1"] == Num(1.0)
    assert symbols["SmtpLink.$timeout_param:0.connectSeconds"] == Num(1000.0)
    assert not any(k.startswith("Labeller.") for k in symbols)  # a batch size is no timeout
    # a forward is never reported by itself
    assert all(f.attributes.get("forward") for f in client.findings
               if f.detector == "javascript.wrapper_call" and f.line < 30)
