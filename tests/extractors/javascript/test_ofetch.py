"""ofetch and Nuxt's `$fetch`: per-call and instance timeouts and retries, and what is not one."""

from __future__ import annotations

from tests.extractors.javascript.conftest import extract_text


def _settings(source: str, path: str = "src/client.ts"):
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")),
                   (f.target.url if f.target else None))
                  for f in extract_text(source, path).findings if f.kind in ("timeout", "retry", "missing_timeout"))


def test_instance_call_with_retry_and_timeout():
    src = ("import { ofetch } from 'ofetch';\n"
           "const inventory = ofetch.create({ baseURL: 'http://inventory:8080' });\n"
           "export const reserve = (sku: string) => inventory('/v1/reserve', {\n"
           "  method: 'POST', body: { sku }, retry: 2, timeout: 1500,\n"
           "});\n")
    assert _settings(src) == [(3, "retry", 3, "http://inventory:8080/v1/reserve"), (3, "timeout", 1500, "http://inventory:8080/v1/reserve")]


def test_instance_defaults_are_reported_at_create_and_not_again_at_calls():
    src = ("import { ofetch } from 'ofetch';\n"
           "const risk = ofetch.create({ baseURL: 'http://risk:8000', timeout: 800, retry: false });\n"
           "export const score = (o: unknown) => risk('/v1/score', { method: 'POST', body: o });\n")
    assert _settings(src) == [(2, "retry", 1, "http://risk:8000"), (2, "timeout", 800, "http://risk:8000")]


def test_nuxt_global_fetch_and_missing_timeout_to_another_service():
    src = ("export async function load() {\n"
           "  await $fetch('http://pricing:8080/v1/prices', { retry: 1 });\n"
           "  return $fetch('/api/local');\n"
           "}\n")
    assert _settings(src, "server/api/prices.ts") == [(2, "missing_timeout", None, "http://pricing:8080/v1/prices"), (2, "retry", 2, "http://pricing:8080/v1/prices")]


def test_traps_words_and_other_functions():
    src = ("import { ofetch } from 'ofetch';\n"
           "// ofetch retries once; set a timeout of 3 s\n"
           "const note = 'ofetch timeout: 3000';\n"
           "const retry = 2;\n"
           "await myFetch('http://risk:8000/x', { retry: 2, timeout: 100 });\n"
           "function f($fetch: (u: string, o: object) => void) { $fetch('http://risk:8000/y', { timeout: 5 }); }\n")
    assert _settings(src) == []
