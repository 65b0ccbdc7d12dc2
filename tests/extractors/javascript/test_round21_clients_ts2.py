"""Round 21 (TypeScript, js2): client options and retry-library calls (grist's PubSubManager, umbrel's
mount retries)."""

from __future__ import annotations

from extractors.javascript.extractor import JavascriptExtractor


def _result(path: str, source: str):
    return JavascriptExtractor().extract(path, source.encode())


# ------------------------------------------------------------------ one reconnect strategy, several clients

def test_a_strategy_handed_to_several_clients_is_reported_once_at_its_definition():
    source = """import IORedis from "ioredis";
export class PubSubManager {
  public connect(redisUrl: string) {
    // Back off faster and retry more slowly than the default.
    const retryStrategy = (times: number) => Math.min((times ** 2) * 50, 10000);
    this._redisSub = new IORedis(redisUrl, { retryStrategy });
    this._redisPub = new IORedis(redisUrl, { retryStrategy });
  }
  public single(redisUrl: string) {
    const retryStrategy = (times: number) => Math.min(times * 50, 2000);
    return new IORedis(redisUrl, { retryStrategy });
  }
}
"""
    lines = sorted(f.line for f in _result("app/server/lib/PubSubManager.ts", source).findings if f.kind == "retry")
    assert lines == [5, 11]  # the shared one at its definition, the single one at its client


# ------------------------------------------------------------------ a retry library around local work

def test_a_retry_library_around_local_processes_or_files_is_no_contract():
    source = """import pRetry from 'p-retry'
import {$} from 'execa'
import fse from 'fs-extra'
export async function unmount(id: string) {
  await pRetry(() => $`umount --all-targets /dev/${id}`, { retries: 5, minTimeout: 500 })
}
export async function moveIt(a: string, b: string) {
  await pRetry(async () => { await fse.move(a, b) }, { retries: 10 })
}
export async function pull(url: string) {
  await pRetry(() => fetch(url), { retries: 3 })
}
export async function viaHelper(id: string) {
  // a project helper: what it does is not seen here, so the retry stays
  await pRetry(() => appScript(id, 'install'), { retries: 2 })
}
export async function logged(url: string) {
  await pRetry(async () => { console.log('pulling'); return await got(url) }, { retries: 1 })
}
"""
    found = {f.line: f.attributes.get("max_attempts") for f in _result("source/modules/files/storage.ts", source).findings
             if f.kind == "retry"}
    assert found == {11: 4, 15: 3, 18: 2}


def test_a_helper_returning_a_local_process_is_published_and_a_retry_around_it_is_dropped_there():
    from contract_discovery.values import Num
    script = """import {$} from 'execa'
export default async function appScript(umbreld: Umbreld, command: string, arg: string) {
  const torEnabled = await umbreld.store.get('torEnabled')
  return $({ stdio: 'inherit', env: { TOR: torEnabled ? 'true' : 'false' } })`${scriptPath} ${command} ${arg}`
}
export async function fetchManifest(url: string) {
  const res = await fetch(url)
  return $`echo ${await res.text()}`
}
"""
    symbols = _result("source/modules/apps/legacy-compat/app-script.ts", script).symbols
    assert symbols["appScript.$local_work"] == Num(1)
    assert "fetchManifest.$local_work" not in symbols  # it calls out before running the command
    caller = """import pRetry from 'p-retry'
import appScript from './legacy-compat/app-script.js'
export async function install(id: string) {
  await pRetry(() => appScript(umbreld, 'install', id), { retries: 2 })
}
"""
    found = [f for f in _result("source/modules/apps/app.ts", caller).findings
             if f.kind == "retry" and f.detector == "javascript.retry_library"]
    assert len(found) == 1 and found[0].line == 4
    assert any(p.attribute == "$keep_if" and "appScript.$local_work" in str(p.expr) for p in found[0].pending)
