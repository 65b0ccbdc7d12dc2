"""Round 11 (the lead's decision, docs/architecture.md "Convention for a helper parameter WITH a
default"): a helper whose parameter HAS a default and which hands it to ANOTHER project helper's call
is rule (a) at that line, a timeout (or retry) with the default's value, as Python and Ruby report it
(the jitsu set: `buildFunctionChain(..., fetchTimeoutMs = 2000)` calling `makeFetch(..., fetchTimeoutMs)`).
The calls of the outer helper keep their rules (b) and (c); a parameter WITHOUT a default handed on
stays a forwarder only (never a contract at its line)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

FILES = {
    "package.json": '{"name": "svc"}\n',
    # the inner helpers: each publishes the parameter that becomes a timeout or bounds a retry
    "lib/fetch.ts": """import pRetry from "p-retry";
export function makeFetch(id: string, level: string, fetchTimeoutMs: number = 2000) {
  return async (url: string) => {
    return await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs) });
  };
}
export async function withRetry<T>(fn: () => Promise<T>, retries: number) {
  return pRetry(fn, { retries });
}
""",
    # the outer helpers, handing their own parameters on
    "src/chain.ts": """import axios from "axios";
import { makeFetch, withRetry } from "../lib/fetch";

const DEFAULT_FETCH_MS = 4500;

export function buildChain(id: string, fetchTimeoutMs: number = 3000) {
  const ctx = {
    fetch: makeFetch(id, "info", fetchTimeoutMs),
  };
  return ctx;
}

export function buildPlain(id: string, fetchTimeoutMs: number) {
  return makeFetch(id, "info", fetchTimeoutMs);
}

export function inSeconds(id: string, seconds = 5) {
  return makeFetch(id, "info", seconds * 1000);
}

export function byConstant(id: string, timeoutMs = DEFAULT_FETCH_MS) {
  return makeFetch(id, "debug", timeoutMs);
}

export async function patiently<T>(fn: () => Promise<T>, tries = 4) {
  return withRetry(fn, tries);
}

export function fromOptions(id: string, opts: { timeout: number }, timeoutMs = opts.timeout) {
  return makeFetch(id, "info", timeoutMs);
}

export function unbounded(id: string, timeoutMs = 0) {
  return makeFetch(id, "info", timeoutMs);
}

export function worded(id: string, level = "timeout", note = "timeout 5000") {
  return makeFetch(id, level, note);
}

export async function direct(url: string, timeoutMs = 3500) {
  return axios.get(url, { timeout: timeoutMs });
}
""",
    # callers of the outer helpers: rule (c) with a value, rule (b) leaving a default out
    "src/use.ts": """import { buildChain, buildPlain, direct } from "./chain";
export async function run() {
  const a = buildChain("http://x:1/a", 700);
  const b = buildPlain("http://x:1/b", 900);
  await direct("http://x:1/c");
  return [a, b];
}
""",
}


def _scan(tmp_path: Path):
    root = tmp_path / "svc"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms" if f.kind == "timeout"
                                                                         else "max_attempts"))
            for f in result.findings if f.kind in ("timeout", "retry")}


def test_a_defaulted_parameter_handed_to_another_helper_is_rule_a_with_its_default(tmp_path: Path) -> None:
    got = _scan(tmp_path)
    assert {g for g in got if g[0] == "chain.ts"} == {
        ("chain.ts", 8, "timeout", 3000),    # makeFetch(id, "info", fetchTimeoutMs), fetchTimeoutMs = 3000
        ("chain.ts", 18, "timeout", 5000),   # seconds * 1000 with seconds = 5
        ("chain.ts", 22, "timeout", 4500),   # a constant of the file as the default
        ("chain.ts", 26, "retry", 5),        # withRetry(fn, tries), tries = 4 p-retry retries: 5 attempts
        ("chain.ts", 42, "timeout", 3500),   # (a library call: the existing rule, below)
    }
    # the inner helper's own rule (a) is unchanged; its forwarded `retries` (no default) is no contract
    assert {g for g in got if g[0] == "fetch.ts"} == {("fetch.ts", 4, "timeout", 2000)}


def test_the_other_shapes_stay_what_they_were(tmp_path: Path) -> None:
    got = _scan(tmp_path)
    chain = {g for g in got if g[0] == "chain.ts"}
    # a parameter WITHOUT a default handed on is no contract at its line (its callers' values are)
    assert not {g for g in chain if g[1] == 14}
    # a default no file settles (a setting of an options object), 0 (no bound), strings with the word
    # timeout: nothing at those lines
    assert not {g for g in chain if g[1] in (30, 34, 38)}
    # a defaulted parameter handed to a LIBRARY call: the existing rule (a), one finding at that line
    assert {g for g in chain if g[1] == 42} == {("chain.ts", 42, "timeout", 3500)}
    # the outer helpers' callers keep their rules: (c) with the value passed, (b) leaving it out
    use = {g for g in got if g[0] == "use.ts"}
    assert ("use.ts", 3, "timeout", 700) in use
    assert ("use.ts", 4, "timeout", 900) in use
    assert ("use.ts", 5, "timeout", 3500) in use
