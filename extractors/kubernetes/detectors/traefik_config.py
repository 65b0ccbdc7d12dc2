"""Traefik configured outside Kubernetes custom resources (round 13): its file provider's dynamic
configuration (``http.middlewares.<name>.retry.attempts``, ``http.serversTransports.<name>.
forwardingTimeouts``), its static configuration's default ``serversTransport.forwardingTimeouts``,
and the same settings written as Docker / Compose labels
(``traefik.http.middlewares.retry.retry.attempts=4``).

Read line by line as written (a template of the file is not YAML until rendered):

- a retry middleware's ``attempts``: a ``retry`` with ``max_attempts = attempts`` (Traefik counts
  the first try among the attempts, as the Middleware resource is read);
- ``forwardingTimeouts``' ``dialTimeout`` (``phase: connect``) and ``responseHeaderTimeout``
  (``phase: read``: how long Traefik waits for the backend's response headers). Go durations
  (``30s``), a bare number being seconds as Traefik reads it.

Not read: ``idleConnTimeout`` (idle connections), ``readIdleTimeout`` / ``pingTimeout`` (HTTP/2
health checks), entry points' ``respondingTimeouts`` (the client side), TOML files.
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import rendered_lines
from extractors.kubernetes.manifest import Document, duration_ms

ID = "kubernetes.traefik_config"
KINDS = ()  # read in files that are no manifest (extractors/kubernetes/extractor.py); the CRDs: proxy_policies

_KEY = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
                  r"[ \t]*:(?:[ \t]+(?P<value>[^#\n]*?))?[ \t]*(?:#.*)?$")
_PHASES = {"dialtimeout": "connect", "responseheadertimeout": "read"}
_LABEL = re.compile(r"traefik\.http\.(?:middlewares\.(?P<mw>[^.\s=:\"']+)\.retry\.attempts|"
                    r"serverstransports\.(?P<st>[^.\s=:\"']+)\.forwardingtimeouts\.(?P<which>dialtimeout|"
                    r"responseheadertimeout))[\"']?[ \t]*[=:][ \t]*[\"']?(?P<value>[0-9][0-9a-z.]*)", re.I)


def has_traefik(data: bytes) -> bool:
    lowered = data.lower()
    if b"traefik.http." in lowered and (b".retry.attempts" in lowered or b"forwardingtimeouts." in lowered):
        return True
    return (b"forwardingTimeouts" in data) or (b"middlewares" in data and b"retry" in data and b"attempts" in data)


def _seconds_ms(text: str) -> float | None:
    text = text.strip().strip("\"'")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * 1000.0  # Traefik reads a bare number as seconds
    return duration_ms(text)


def _finding(path: str, number: int, line: str, column: int, kind: str, attrs: dict[str, Any]) -> Finding:
    return Finding(kind=kind, path=path, line=number, column=column, end_line=number, end_column=len(line) + 1,
                   language=LANGUAGE, detector=ID, confidence="high", attributes=attrs,
                   evidence=line.strip()[:200])


def _timeout(path: str, number: int, line: str, column: int, which: str, value: str, name: str | None):
    ms = _seconds_ms(value)
    if not ms:
        return None  # 0: no timeout; a placeholder or anything else unreadable
    return _finding(path, number, line, column, "timeout", {
        "timeout_ms": normalise_ms(ms), "phase": _PHASES[which.lower()], "library": "traefik",
        "setting": f"forwardingTimeouts.{which}", "expression": value, "resource": name,
        "resolved_from": "literal"})


def _retry(path: str, number: int, line: str, column: int, value: str, name: str | None):
    text = value.strip().strip("\"'")
    if not text.isdigit() or int(text) < 1:
        return None
    return _finding(path, number, line, column, "retry", {
        "max_attempts": int(text), "backoff": "exponential", "retry_on": "error", "mechanism": "proxy",
        "library": "traefik", "setting": "retry.attempts", "expression": value, "resource": name,
        "resolved_from": "literal"})


def findings_in_lines(path: str, lines: list[str]) -> list[Finding]:
    """The Traefik settings of a file as written: YAML keys and Docker labels."""
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []
    for number, line in rendered_lines(lines, 1, len(lines)):
        label = _LABEL.search(line)
        if label is not None:
            column = label.start() + 1
            found = _retry(path, number, line, column, label.group("value"), label.group("mw")) \
                if label.group("mw") else _timeout(path, number, line, column, label.group("which"),
                                                    label.group("value"), label.group("st"))
            if found is not None:
                out.append(found)
            continue
        m = _KEY.match(line)
        if m is None:
            continue
        column = len(m.group("indent")) + (len(m.group("dash")) if m.group("dash") else 0)
        key, value = m.group("key"), (m.group("value") or "").strip()
        while stack and stack[-1][0] >= column:
            stack.pop()
        keys = [k for _, k in stack]
        if not value:
            stack.append((column, key))
            continue
        if key == "attempts" and keys[-1:] == ["retry"] and "middlewares" in keys:
            name = keys[-2] if len(keys) >= 2 and keys[-2] != "middlewares" else None
            found = _retry(path, number, line, column + 1, value, name)
        elif key.lower() in _PHASES and keys[-1:] == ["forwardingTimeouts"]:
            name = keys[-2] if len(keys) >= 2 and keys[-2] not in ("serversTransport", "serversTransports") else None
            found = _timeout(path, number, line, column + 1, key, value, name)
        else:
            continue
        if found is not None:
            out.append(found)
    return out


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["http:\n  middlewares:\n    strip:\n      stripPrefix:\n        prefixes: [/api]\n"
                 "  serversTransports:\n    slow:\n      forwardingTimeouts:\n        idleConnTimeout: 90s\n"
                 "entryPoints:\n  web:\n    transport:\n      respondingTimeouts:\n        readTimeout: 30s\n"],
          invalid=["http:\n  middlewares:\n    retry-api:\n      retry:\n        attempts: 4\n"
                   "  serversTransports:\n    slow:\n      forwardingTimeouts:\n"
                   "        dialTimeout: 5s\n        responseHeaderTimeout: 60s\n"])
def detect(path: str, lines: list[str]) -> list[Finding]:
    """Traefik's retry middlewares and forwarding timeouts outside Kubernetes custom resources.

    What it does: in Traefik's file-provider dynamic configuration, its static configuration and
    Docker / Compose labels, a retry middleware's ``attempts`` is a ``retry`` with ``max_attempts =
    attempts`` and a servers transport's ``forwardingTimeouts`` ``dialTimeout`` / ``responseHeaderTimeout``
    a ``timeout`` of ``phase`` connect / read, at their lines. ``idleConnTimeout`` and the entry
    points' (client-side) timeouts are not read.

    Why it matters: Traefik answers 504 when a backend takes longer to send its headers, whatever
    its caller allows, and its retries multiply the calls the backend sees.

    Example: ``responseHeaderTimeout: 60s`` under ``forwardingTimeouts`` -> ``timeout timeout_ms=60000
    phase=read``."""
    return findings_in_lines(path, lines)
