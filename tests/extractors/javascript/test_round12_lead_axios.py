"""Round 12 (lead, from the measure-only TypeScript sets): an axios request's `signal:
AbortSignal.timeout(ms)` is its timeout, and a class using `this.axios` that a base class in another
file makes (Maintainerr's ServarrApi subclasses) uses an axios instance whose per-call options count."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _found(source: str, path: str = "src/radarr.helper.ts"):
    result = JavascriptExtractor().extract(path, source.encode())
    return sorted((f.line, f.kind, f.attributes.get("timeout_ms")) for f in result.findings
                  if f.kind in ("timeout", "missing_timeout"))


def test_axios_signal_abort_timeout_is_the_request_timeout():
    assert _found(
        "import axios from 'axios';\n"
        "const client = axios.create({ baseURL: 'http://radarr:7878' });\n"
        "export const status = () => client.get('/status', { signal: AbortSignal.timeout(5000) });\n"
        "export const movie = (signal: AbortSignal) => client.get('/movie', { signal });\n"
        "export function both() {\n"
        "  const controller = new AbortController();\n"
        "  // signal: AbortSignal.timeout(9000)\n"
        "  return axios.get('http://x/y', { signal: controller.signal, timeout: 2000 });\n"
        "}\n") == [(3, "timeout", 5000), (4, "missing_timeout", None), (8, "timeout", 2000)]


def test_inherited_axios_field_of_a_base_class_in_another_file():
    assert _found(
        "import { ServarrApi } from './servarr-api.service';\n"
        "export class RadarrApi extends ServarrApi<{ movieId: number }> {\n"
        "  async getMovie(id: number) {\n"
        "    return this.axios.get(`movie/${id}`, { timeout: 10000 });\n"
        "  }\n"
        "  async status() {\n"
        "    return this.axios.get('system/status', { signal: AbortSignal.timeout(5000) });\n"
        "  }\n"
        "  async plain() {\n"
        "    return this.axios.delete('queue/1');\n"  # the base class's defaults are not visible: no claim
        "  }\n"
        "}\n") == [(4, "timeout", 10000), (7, "timeout", 5000)]


def test_an_axios_named_field_this_file_sets_or_a_class_without_a_base_is_not_assumed():
    assert _found(
        "export class Thing {\n"
        "  axios = makeSomething();\n"  # declared and set here: not assumed to be axios
        "  async go() { return this.axios.get('x', { timeout: 10000 }); }\n"
        "}\n"
        "export class Other extends Base {\n"
        "  async go() {\n"
        "    const axios = { timeout: 5 };\n"  # the word axios, not a client
        "    return this.cache.get('x', { timeout: 3000 });\n"
        "  }\n"
        "}\n"
        "// this.axios.get('x', { timeout: 1 })\n") == []
