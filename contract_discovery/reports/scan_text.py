"""``scan --format text``: per service, one line per finding, for people."""

from __future__ import annotations

from collections import defaultdict

from contract_discovery.model import Finding, ScanResult
from contract_discovery.reports import errors_summary


def summarise(f: Finding) -> str:
    a = f.attributes
    if f.kind == "timeout":
        value = "unresolved" if a.get("timeout_ms") is None else f"{_ms(a['timeout_ms'])}"
        extra = "" if a.get("resolved_from") in (None, "literal") else f" ({a.get('resolved_from')})"
        if a.get("timeout_ms") is None and a.get("expression"):
            extra = f" ({a['expression']})"
        return f"{value} {a.get('phase', '')}{extra}".strip()
    if f.kind == "missing_timeout":
        default = a.get("library_default_ms")
        return f"{a.get('library', '?')}: " + ("waits forever" if default is None else f"library default {_ms(default)}")
    if f.kind == "retry":
        attempts = a.get("max_attempts")
        parts = [f"{attempts} attempts" if attempts is not None else "attempts unknown"]
        if a.get("backoff"):
            parts.append(f"{a['backoff']} backoff")
        parts.append(f"{a.get('mechanism', '')} {a.get('library') or ''}".strip())
        return ", ".join(p for p in parts if p)
    if f.kind == "replica_read":
        return f"{a.get('alias')} via {a.get('mechanism')}"
    if f.kind == "new_id_per_attempt":
        return f"{a.get('variable') or 'id'} = {a.get('generator')} per attempt (retry at line {a.get('retry_line')})"
    if f.kind == "outbound_call":
        return f"{a.get('protocol', '')} {a.get('method') or ''} {a.get('url') or ''}".replace("  ", " ").strip()
    if f.kind == "idempotency_key":
        window = a.get("window_ms")
        return f"key {a.get('key')}" + (f", window {_ms(window)}" if window else "")
    text = ", ".join(f"{k}={v}" for k, v in sorted(a.items()) if v not in (None, "", [], {}))
    return text if len(text) <= 90 else text[:87] + "..."


def _ms(value) -> str:
    if value is None:
        return "?"
    if value >= 1000 and value % 1000 == 0:
        return f"{int(value // 1000)}s"
    return f"{value:g}ms"


def render(result: ScanResult) -> str:
    lines: list[str] = []
    by_service: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_service[f.service or "?"].append(f)
    for service in result.services:
        findings = by_service.get(service.name, [])
        langs = ", ".join(service.languages) or "no code read"
        lines.append(f"{service.name}  ({service.path}; {langs}) - {len(findings)} finding(s)")
        if findings:
            rows = []
            for f in findings:
                target = f.target.service if f.target and f.target.service else (
                    f.target.url if f.target and f.target.url else "")
                rows.append((f"{f.path}:{f.line}", f.kind, summarise(f), f"-> {target}" if target else ""))
            widths = [max(len(r[i]) for r in rows) for i in range(3)]
            for r in rows:
                lines.append(f"  {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip())
        lines.append("")
    if result.errors:
        lines.append(f"{errors_summary(result.errors)}:")
        for e in result.errors:
            where = f"{e.path}:{e.line}" if e.line else e.path
            lines.append(f"  {where}: {e.kind}: {e.message}")
        lines.append("")
    s = result.stats
    lines.append(f"{len(result.findings)} finding(s) in {len(result.services)} service(s); "
                 f"{s.files_seen} file(s) seen, {s.files_parsed} parsed, {s.files_skipped_prefilter} skipped by prefilter"
                 + (f", {s.files_cached} from cache" if s.files_cached else "") + f" in {s.duration_s:.2f}s")
    return "\n".join(lines) + "\n"
