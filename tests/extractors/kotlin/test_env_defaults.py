"""Kotlin timeouts read from the environment with a default: settled at extraction, re-evaluated by
the pipeline with the environment a deployment file (compose, .env) gives the service."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.model import Pending
from contract_discovery.pipeline import scan
from contract_discovery.values import Call, Env, Num, Str
from extractors.kotlin.extractor import EXTRACTOR

CLIENTS = '''package shop

import java.util.concurrent.TimeUnit
import okhttp3.OkHttpClient

object Clients {
    val risk = OkHttpClient.Builder()
        .callTimeout(System.getenv("RISK_TIMEOUT_MS")?.toLong() ?: 3000, TimeUnit.MILLISECONDS)
        .build()
    val pay = OkHttpClient.Builder()
        .readTimeout(System.getenv()["PAY_TIMEOUT_S"]?.toLongOrNull() ?: 2, TimeUnit.SECONDS)
        .build()
    val unset = OkHttpClient.Builder()
        .connectTimeout(System.getenv("NOT_SET_MS")?.toLong() ?: 1500, TimeUnit.MILLISECONDS)
        .build()
    val fixed = OkHttpClient.Builder()
        .callTimeout(4000, TimeUnit.MILLISECONDS)
        .build()
    val label = System.getenv("TIMEOUT_LABEL") ?: "timeout"
}
'''


def _timeouts(findings):
    return sorted((f.line, f.attributes["timeout_ms"], f.attributes["resolved_from"])
                  for f in findings if f.kind == "timeout")


def test_env_default_is_settled_and_kept_pending():
    result = EXTRACTOR.extract("src/main/kotlin/shop/Clients.kt", CLIENTS.encode())
    assert _timeouts(result.findings) == [(8, 3000, "env_default"), (11, 2000, "env_default"),
                                          (14, 1500, "env_default"), (17, 4000, "literal")]
    pending = {f.line: f.pending for f in result.findings if f.kind == "timeout"}
    assert pending[8] == (Pending("timeout_ms", Call("int", (Env("RISK_TIMEOUT_MS", Num(3000.0)),)), 1.0),)
    assert pending[11] == (Pending("timeout_ms", Call("int", (Env("PAY_TIMEOUT_S", Num(2.0)),)), 1000.0),)
    assert pending[17] == ()  # a literal needs nothing from the deployment


def test_env_default_without_a_number_parse_stays_text():
    result = EXTRACTOR.extract("T.kt", b'val base = System.getenv("RISK_URL") ?: "http://risk:8080"\n')
    assert result.findings == ()
    assert result.symbols["base"] == Env("RISK_URL", Str("http://risk:8080"))


def test_scan_replaces_the_default_with_what_compose_and_env_files_set(tmp_path: Path):
    service = tmp_path / "services" / "checkout"
    (service / "src" / "main" / "kotlin" / "shop").mkdir(parents=True)
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  checkout:\n    build: ./services/checkout\n    environment:\n      RISK_TIMEOUT_MS: '800'\n")
    (service / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    (service / ".env").write_text("PAY_TIMEOUT_S=7\n")
    (service / "src" / "main" / "kotlin" / "shop" / "Clients.kt").write_text(CLIENTS)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    assert _timeouts(result.findings) == [(8, 800, "config"), (11, 7000, "config"),
                                          (14, 1500, "env_default"), (17, 4000, "literal")]
    confidence = {f.line: f.confidence for f in result.findings if f.kind == "timeout"}
    assert confidence == {8: "medium", 11: "medium", 14: "medium", 17: "high"}
