"""Round 21 (lead, polyglot18): a Ktor client's settings take the destination of the calls made through it."""
from __future__ import annotations

from contract_discovery.pipeline import scan

CLIENT = '''package app

import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.HttpRequestRetry
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.request.get

class RiskClient {
    private val client = HttpClient(CIO) {
        install(HttpTimeout) {
            requestTimeoutMillis = 3_000
        }
        install(HttpRequestRetry) {
            retryOnServerErrors(maxRetries = 2)
        }
    }

    suspend fun breakdown(id: String): String = client.get("http://risk:8000/v1/breakdown/$id").body()
}
'''

TWO_SERVICES = CLIENT.replace(
    '    suspend fun breakdown(id: String): String = client.get("http://risk:8000/v1/breakdown/$id").body()\n',
    '    suspend fun breakdown(id: String): String = client.get("http://risk:8000/v1/breakdown/$id").body()\n'
    '    suspend fun ledger(id: String): String = client.get("http://ledger:7000/v1/balances/$id").body()\n')


def _scan(tmp_path, source):
    root = tmp_path / "svc"
    (root / "src/main/kotlin/app").mkdir(parents=True)
    (root / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    (root / "src/main/kotlin/app/RiskClient.kt").write_text(source)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.line, f.kind, f.target.url if f.target else None)
                  for f in result.findings if f.kind in ("timeout", "retry"))


def test_ktor_client_settings_take_the_destination_of_its_calls(tmp_path):
    found = _scan(tmp_path, CLIENT)
    assert (12, "timeout", "http://risk:8000/v1/breakdown/{id}") in found
    assert any(line in (14, 15) and kind == "retry" and url == "http://risk:8000/v1/breakdown/{id}"
               for line, kind, url in found)


def test_a_client_calling_two_services_gives_its_settings_none(tmp_path):
    found = _scan(tmp_path, TWO_SERVICES)
    assert (12, "timeout", None) in found
    assert not [f for f in found if f[2] is not None]
