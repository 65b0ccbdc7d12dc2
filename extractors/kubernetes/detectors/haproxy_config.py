"""HAProxy configuration (``haproxy.cfg``: standalone, a chart's config template rendered with
``tpl (.Files.Get ...)``, a partial of one, or a ConfigMap's value): the limits HAProxy puts on the
calls it forwards to the servers behind it (round 13).

Read line by line as written (template directive lines skipped), in the ``defaults``, ``backend``
and ``listen`` sections (and a partial holding backend lines):

- ``timeout connect <d>`` (``phase: connect``), ``timeout server <d>`` (the server's answer,
  ``phase: read``), ``timeout queue <d>`` (how long a request waits for a free server slot before
  HAProxy answers 503, ``phase: queue``);
- ``retries <n>``: retries after a failed connection (``max_attempts = n + 1``).

Not read: the client-side timeouts (``client``, ``http-request``, ``http-keep-alive``,
``client-fin``), ``tunnel`` (idle upgraded connections), ``check`` (health checks), resolvers'
``hold`` / ``resolve`` timeouts, and the ``frontend`` section (it faces clients). Durations are
HAProxy's (``5s``, ``500`` = ms, ``1m``); a Helm placeholder is left unresolved.
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE
from extractors.kubernetes.helm import rendered_lines
from extractors.kubernetes.manifest import Document, configmap_texts

ID = "kubernetes.haproxy_config"
KINDS = ("ConfigMap",)

_SECTION = re.compile(r"^[ \t]*(global|defaults|frontend|backend|listen|resolvers|peers|userlist|program|"
                      r"mailers|cache|http-errors|ring)\b", re.M)
_SECTION_BYTES = re.compile(rb"(?m)^[ \t]*(?:defaults|backend|listen)\b")
_TIMEOUT_BYTES = re.compile(rb"(?m)^[ \t]*(?:timeout[ \t]+(?:connect|server|queue)|retries)[ \t]+\S")
_SETTING = re.compile(r"^(?P<indent>[ \t]*)(?:timeout[ \t]+(?P<which>connect|server|queue)|(?P<retries>retries))"
                      r"[ \t]+(?P<value>\{\{.*?\}\}|\S+)[ \t]*(?:#.*)?$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$")
_SCALE = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0, "d": 86_400_000.0, None: 1.0}
_PHASES = {"connect": "connect", "server": "read", "queue": "queue"}
_READ_SECTIONS = ("defaults", "backend", "listen")


def has_haproxy(path: str, data: bytes) -> bool:
    """An HAProxy configuration: its settings, and section headers or a name saying haproxy (a
    partial of backend lines, ``partial-haproxy.cfg.tpl``)."""
    if not _TIMEOUT_BYTES.search(data):
        return False
    return "haproxy" in path.rsplit("/", 1)[-1].lower() or bool(_SECTION_BYTES.search(data))


def haproxy_ms(text: str) -> float | None:
    """An HAProxy duration (``5s``, ``500`` ms, ``1m``) in ms."""
    m = _DURATION.match(text.strip().strip("\"'"))
    if m is None:
        return None
    return float(m.group(1)) * _SCALE[m.group(2)]


def findings_in_lines(path: str, lines: list[str], first: int, last: int, resource: str | None) -> list[Finding]:
    """The HAProxy settings on lines ``first``..``last`` (1-based, inclusive), as written."""
    out: list[Finding] = []
    section, name = "", None  # before any header: a partial of backend lines
    for number, line in rendered_lines(lines, first, last):
        header = _SECTION.match(line)
        if header is not None:
            section = header.group(1)
            rest = line[header.end():].strip().split()
            name = rest[0] if rest else None
            continue
        if section and section not in _READ_SECTIONS:
            continue
        m = _SETTING.match(line)
        if m is None:
            continue
        value = m.group("value")
        column = len(m.group("indent")) + 1
        attrs: dict[str, Any] = {"library": "haproxy", "expression": line.strip(), "section": section or None,
                                 "backend": name if section in ("backend", "listen") else None}
        if resource:
            attrs["resource"] = resource
        if m.group("retries"):
            text = value.strip("\"'")
            if not text.isdigit():
                continue
            attrs.update(max_attempts=int(text) + 1, backoff="immediate", retry_on="connect_failure",
                         mechanism="proxy", setting="retries", resolved_from="literal")
            kind = "retry"
        else:
            ms = None if "{{" in value else haproxy_ms(value)
            if "{{" not in value and not ms:
                continue  # 0: no timeout; anything else is not a duration
            which = m.group("which")
            attrs.update(timeout_ms=normalise_ms(ms) if ms else None, phase=_PHASES[which],
                         setting=f"timeout {which}", resolved_from="literal" if ms else "unresolved")
            kind = "timeout"
        out.append(Finding(kind=kind, path=path, line=number, column=column, end_line=number,
                           end_column=len(line) + 1, language=LANGUAGE, detector=ID,
                           confidence="high" if attrs.get("resolved_from") == "literal" else "low",
                           attributes=attrs, evidence=line.strip()[:200]))
    return out


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: haproxy\ndata:\n  haproxy.cfg: |\n"
                 "    defaults\n      # timeout connect 5s\n      timeout client 60s\n      timeout check 2s\n"
                 "    frontend http\n      bind :8080\n      timeout http-request 10s\n"
                 "      default_backend app\n"],
          invalid=["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: haproxy\ndata:\n  haproxy.cfg: |\n"
                   "    defaults\n      mode http\n      retries 3\n      timeout connect 5s\n"
                   "      timeout server 180s\n    backend synchrotron\n      timeout queue 5s\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """HAProxy timeouts and retries toward the servers behind it.

    What it does: in an HAProxy configuration (a ConfigMap's ``haproxy.cfg``, a standalone
    ``haproxy.cfg``, a chart's ``configs/haproxy.cfg.tpl`` or a partial of one), the ``defaults``,
    ``backend`` and ``listen`` sections' ``timeout connect`` (``phase: connect``), ``timeout server``
    (``phase: read``), ``timeout queue`` (``phase: queue``: waiting for a free server slot) and
    ``retries n`` (``max_attempts = n + 1``, after failed connections), at their lines. The
    client-side timeouts, ``tunnel``, health ``check`` and the ``frontend`` section are not read.

    Why it matters: HAProxy answers 504 when the server takes longer than ``timeout server``, and
    503 when a request waited ``timeout queue`` for a slot, whatever the caller allows.

    Example: ``timeout server 180s`` in ``defaults`` -> ``timeout timeout_ms=180000 phase=read``."""
    return [finding for resource, first, last, text in configmap_texts(doc)
            if has_haproxy("", text.encode("utf-8", "replace"))
            for finding in findings_in_lines(mf.path, mf.lines, first, last, resource)]
