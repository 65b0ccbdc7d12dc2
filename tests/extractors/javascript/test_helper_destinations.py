"""A call of a team helper goes where the helper's URL parameter points, and a defaulted timeout member of an
options parameter (`{ timeoutMs = 3000 } = {}`) is the helper's contract and the default of calls leaving it out."""

from __future__ import annotations

from contract_discovery.pipeline import scan

HTTP = """export async function postA(url: string, body: unknown, timeoutMs = 3000) {
  return fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
}

export async function postC(url: string, body: unknown, { timeoutMs = 2500 }: { timeoutMs?: number } = {}) {
  return fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
}

export async function cacheGet(key: string, ttlSeconds = 30) {
  return fetch(`http://cache:6380/${key}?ttl=${ttlSeconds}`);
}
"""
USE = """import { postA, postC, cacheGet } from './lib/http';
const RISK_URL = process.env.RISK_URL ?? 'http://risk:8000';
export const a1 = () => postA(`${RISK_URL}/score`, {});
export const a2 = () => postA('http://ledger:8080/holds', {}, 600);
export const c1 = () => postC('http://shipping:8080/quotes', {});
export const c2 = () => postC('http://shipping:8080/quotes', {}, { timeoutMs: 900 });
export const k = () => cacheGet('user:1', 60);
"""


def test_calls_take_their_destination_and_the_member_default(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "checkout", "version": "1.0.0"}')
    (tmp_path / "src/lib").mkdir(parents=True)
    (tmp_path / "src/lib/http.ts").write_text(HTTP)
    (tmp_path / "src/use.ts").write_text(USE)
    got = {(f.path, f.line): (f.attributes.get("timeout_ms"), f.target.service if f.target else None)
           for f in scan(tmp_path).findings if f.kind == "timeout"}
    assert got == {
        # rule (a): the helpers' own lines, with their defaults (no destination: the URL is the caller's)
        ("src/lib/http.ts", 2, ): (3000, None),
        ("src/lib/http.ts", 6, ): (2500, None),
        # rules (b) and (c) at the calls, each with the service its URL argument names
        ("src/use.ts", 3): (3000, "risk"),
        ("src/use.ts", 4): (600, "ledger"),
        ("src/use.ts", 5): (2500, "shipping"),
        ("src/use.ts", 6): (900, "shipping"),
        # a cache's ttl is no timeout: nothing at the helper or its call
    }
