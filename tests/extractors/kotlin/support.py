"""Shared by the Kotlin tests."""

from __future__ import annotations

from contract_discovery.pipeline import scan
from contract_discovery.resolve import Resolver, ServiceIndex, resolve_findings


def resolve_kept(results):
    """Every finding of ``results`` as the pipeline keeps and values it: a proposal at a call of a
    helper that no file here publishes (kotlin.wrapper_call's ``$keep_if``) is dropped."""
    resolver, index = Resolver(results), ServiceIndex([])
    return [g for r in results for f in r.findings for g in resolve_findings(f, r, resolver, index)]


def scan_service(tmp_path, files: dict[str, str]):
    """(file name, line, kind, timeout_ms or max_attempts) of every timeout and retry a scan of a
    Gradle service holding ``files`` reports."""
    root = tmp_path / "svc"
    (root / "src/main/kotlin/app").mkdir(parents=True)
    (root / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                  for f in result.findings if f.kind in ("timeout", "retry"))


def scan_app(tmp_path, files: dict[str, str]):
    """(file name, line, kind, value, phase) of every timeout and retry a scan of a Gradle service holding
    ``files`` (names relative to src/main/kotlin/app) reports."""
    root = tmp_path / "svc"
    (root / "src/main/kotlin/app").mkdir(parents=True)
    (root / "build.gradle.kts").write_text('plugins { kotlin("jvm") }\n')
    for rel, text in files.items():
        path = root / "src/main/kotlin/app" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = scan(root, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                   f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"),
                   f.attributes.get("phase"))
                  for f in result.findings if f.kind in ("timeout", "retry"))
