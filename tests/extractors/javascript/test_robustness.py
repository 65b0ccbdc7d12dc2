"""The extractor never raises: syntax errors, garbage bytes, deep nesting, odd encodings."""

from __future__ import annotations

from .conftest import extract_text
from extractors.javascript.extractor import EXTRACTOR


def test_syntax_error_keeps_intact_findings_and_reports_the_line():
    source = (
        'import axios from "axios";\n'
        'axios.get("http://a:1/x", { timeout: 200 });\n'
        'function broken( {\n'
        '  const = ;\n'
        '}\n'
        'axios.get("http://a:1/y", { timeout: 300 });\n'
    )
    result = extract_text(source, "a.js")
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 3)]
    timeouts = sorted((f.line, f.attributes["timeout_ms"]) for f in result.findings if f.kind == "timeout")
    assert (2, 200) in timeouts


def test_garbage_and_binary_bytes_do_not_raise():
    for data in (b"\x00\xff\xfe" * 100, b"}}}{{{(((", "const s = '\u00e9\u4e2d';".encode("utf-16"), b""):
        result = EXTRACTOR.extract("x.ts", data)
        assert result.path == "x.ts"
        assert all(e.kind == "parse_error" for e in result.errors)


def test_deep_nesting_and_long_chains_do_not_raise():
    deep = "f(" * 3000 + ")" * 3000 + ";\n"
    chain = "a" + ".b" * 5000 + ".get(url);\n"
    arith = "const T = " + " + ".join(["1"] * 3000) + ";\naxios.get(u, { timeout: T });\n"
    for source in (deep, chain, arith):
        result = extract_text(source, "x.js")
        assert [e for e in result.errors if e.kind != "parse_error"] == []


def test_prefilter_skips_files_without_any_token_and_keeps_the_seed():
    assert not EXTRACTOR.prefilter(b"const a = 1;\nfunction add(x, y) { return x + y; }\n")
    assert EXTRACTOR.prefilter(b"try { await score(id) } catch (e) { await score(newId) }")


def test_styled_components_type_arguments_parse_without_error_and_keep_lines():
    source = (
        'const Image = styled.div<{ $src: string; $size?: number }>`\n'
        '  width: ${(p) => p.$size}px;\n'
        '`;\n'
        'fetch(url, { signal: AbortSignal.timeout(700) });\n'
    )
    result = extract_text(source, "a.tsx")
    assert result.errors == ()
    assert sorted((f.kind, f.line) for f in result.findings) == [("outbound_call", 4), ("timeout", 4)]


def test_env_destructuring_defines_env_symbols():
    from contract_discovery.values import Env, Str
    result = extract_text('const { CART_ADDR = "cart:7070", PORT, DB: DATABASE_URL } = process.env;\n', "a.js")
    assert result.symbols == {"CART_ADDR": Env("CART_ADDR", Str("cart:7070")), "PORT": Env("PORT"),
                              "DATABASE_URL": Env("DB")}


def test_large_file_stays_linear():
    """600 retry functions (~190 KiB) all read (how the time grows with the size: benchmarks/pathological.py)."""
    parts = ['import axios from "axios";\nimport { v4 } from "uuid";\n']
    for i in range(600):
        parts.append(
            f'export async function f{i}(x) {{\n'
            f'  for (let attempt = 0; attempt < 3; attempt++) {{\n'
            f'    const id = v4();\n'
            f'    try {{ return await axios.post("http://s{i}:8080/x", {{ id, x }}, {{ timeout: {i + 1} }}); }}\n'
            f'    catch (e) {{ await riskApi.score(x); }}\n'
            f'  }}\n'
            f'  try {{ return await riskApi.get(x); }} catch (e) {{ return await riskApi.get(x); }}\n'
            f'}}\n')
    result = extract_text("".join(parts), "big.ts")
    kinds = {}
    for f in result.findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    assert kinds == {"retry": 1200, "new_id_per_attempt": 600, "outbound_call": 600, "timeout": 600}


def test_flow_typed_javascript_is_read_with_the_typescript_grammar():
    from pathlib import Path

    from extractors.javascript.context import FileContext
    from extractors.javascript.extractor import EXTRACTOR

    path = Path(__file__).resolve().parents[3] / "fixtures" / "javascript" / "retry" / "flow_transactions.js"
    data = path.read_bytes()
    assert FileContext.build("flow_transactions.js", data).grammar == "typescript"
    assert EXTRACTOR.extract("flow_transactions.js", data).errors == ()
    # without the pragma, and after a byte-order mark
    unmarked = b"\xef\xbb\xbfimport x from './x';\nfunction debug(...args: any) {\n  return args;\n}\n"
    assert FileContext.build("u.js", unmarked).grammar == "typescript"
    assert EXTRACTOR.extract("u.js", unmarked).errors == ()
    # plain JavaScript with a real syntax error stays JavaScript (and reports the error)
    broken = b"const x = {\nfunction f() { return 1 }\n"
    assert FileContext.build("b.js", broken).grammar == "javascript"
    assert [e.kind for e in EXTRACTOR.extract("b.js", broken).errors] == ["parse_error"]
