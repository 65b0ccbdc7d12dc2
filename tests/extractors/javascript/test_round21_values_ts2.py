"""Round 21 (TypeScript, js2): values read through a zod `.catch(N)` and through a project's env parsing helper
with a fallback (civitai's moderation timeout, grist's version checker)."""

from __future__ import annotations

from contract_discovery.values import Env, Num
from extractors.javascript.extractor import JavascriptExtractor


def _result(path: str, source: str):
    return JavascriptExtractor().extract(path, source.encode())


def test_a_zod_catch_is_the_default_of_an_env_schema_member():
    source = """import { z } from 'zod';
export const serverSchema = z.object({
  EXTERNAL_MODERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).catch(5000),
  PLAIN_TIMEOUT_MS: z.coerce.number().default(3000),
  NAME_ONLY: z.string().catch('x'),
});
export const env = serverSchema.parse(process.env);
"""
    symbols = _result("src/env/server-schema.ts", source).symbols
    assert symbols["env.EXTERNAL_MODERATION_TIMEOUT_MS"] == Env("EXTERNAL_MODERATION_TIMEOUT_MS", Num(5000.0))
    assert symbols["env.PLAIN_TIMEOUT_MS"] == Env("PLAIN_TIMEOUT_MS", Num(3000.0))


def test_an_env_variable_read_through_a_parsing_helper_takes_the_fallback_as_its_default():
    source = """import fetch from "node-fetch";
const REQUEST_TIMEOUT = optIntegerParam(process.env.GRIST_TEST_UPDATE_REQUEST_TIMEOUT, "") ?? 10000;
const OTHER = lookupUser(process.env.ADMIN_USER) ?? 3;
export const Deps = { REQUEST_TIMEOUT };
export async function latest(url: string, signal: AbortSignal) {
  return await fetch(url, { signal, timeout: Deps.REQUEST_TIMEOUT });
}
export async function retries(url: string) {
  return await fetch(url, { timeout: OTHER });
}
"""
    found = {f.line: f.attributes.get("timeout_ms") for f in _result("app/server/lib/UpdateManager.ts", source).findings
             if f.kind == "timeout"}
    assert found[6] == 10000
    assert found.get(9) is None  # a helper not named for parsing: its result is not the variable
