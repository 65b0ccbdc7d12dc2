"""Timeouts in a Rails app's own YAML configuration (``config/<name>.yml``, read with ``config_for``).

``Rails.application.config_for(:external_faraday)`` loads ``config/external_faraday.yml`` for the
running environment, and the app copies its options onto a client
(``config[:options].each { |k, v| conn.options.send(:"#{k}=", v) }``). The settings are in the
YAML, so they are reported there, at their own lines: every timeout-named key with a number
(seconds, Ruby's convention) and every retry count, in each environment section the file defines
(``default``, ``production``, ``staging``...; not ``test``/``development``, and keys a section only
inherits through ``<<: *DEFAULT`` are reported once, where they are written).

Sidekiq's ``config/sidekiq*.yml`` (``:max_retries: 0``) and Blazer's ``config/blazer.yml`` (a data
source's statement ``timeout:``) are read line by line: they carry ERB a YAML parser rejects.

Only files directly under ``config/`` that are not Rails' own (``database.yml``, ``storage.yml``,
``cable.yml``, ``credentials``, locales...) are read. Never raises: a file that does not parse
gives a parse error and no findings.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from contract_discovery.model import ErrorEntry, FileResult, Finding
from contract_discovery.values import normalise_ms
from extractors.base import Extractor

DETECTOR = "ruby.client_options"
NOT_APP_CONFIG = {"database.yml", "storage.yml", "cable.yml", "puma.yml", "sidekiq.yml", "webpacker.yml",
                  "shakapacker.yml", "spring.yml", "schedule.yml", "newrelic.yml", "scout_apm.yml", "skylight.yml",
                  "application.yml", "secrets.yml", "credentials.yml", "master.key", "locales.yml", "i18n-tasks.yml",
                  "brakeman.yml", "rubocop.yml", "crontab.yml", "cron.yml", "recurring.yml", "queue.yml"}
SKIPPED_SECTIONS = {"test", "development", "dev", "cucumber", "ci", "testing"}
RETRY_KEYS = {"max_retries": 1.0, "retries": 1.0, "retry_limit": 1.0, "max_attempts": 0.0, "attempts": 0.0}


def _tool_config(name: str) -> str | None:
    """The tool whose configuration ``config/<name>`` is, when a line reader knows it."""
    if name.startswith("sidekiq") and name.endswith((".yml", ".yaml")) and "schedul" not in name \
            and "cron" not in name:
        return "sidekiq"
    if name in ("blazer.yml", "blazer.yaml"):
        return "blazer"
    return None


def claims(path: str) -> bool:
    """``config/<name>.yml`` (directly under a ``config/`` folder), not a Rails or tool file; and
    the Sidekiq and Blazer configurations (read line by line, see ``_tool_findings``)."""
    parts = path.split("/")
    if len(parts) < 2 or parts[-2] != "config" or not parts[-1].endswith((".yml", ".yaml")):
        return False
    return _tool_config(parts[-1]) is not None or (
        parts[-1] not in NOT_APP_CONFIG and not parts[-1].startswith(("database", "locale")))


# `:max_retries: 0` (Sidekiq 7: the retry count of jobs with `retry: true`, counts retries).
SIDEKIQ_RETRIES = re.compile(r"^(\s*):?max_retries:\s*(\d+)\s*(?:#.*)?$")
# Blazer: `data_sources: main: timeout: 30` (seconds: the statement timeout of every query it runs).
BLAZER_TIMEOUT = re.compile(r"^(\s+)timeout:\s*(\d+(?:\.\d+)?)\s*(?:#.*)?$")
TOP_LEVEL = re.compile(r"^:?([A-Za-z_]\w*):")


def _tool_findings(path: str, tool: str, data: bytes, language: str) -> list[Finding]:
    """Line reader for tool YAML that carries ERB (``<% if production %>``) a YAML parser rejects:
    Sidekiq's ``:max_retries: N`` (N + 1 attempts for every job left at ``retry: true``) and
    Blazer's data source ``timeout: N`` (seconds). Lines under a ``test:``/``development:`` section
    are not settings of the running service; commented lines never match."""
    out: list[Finding] = []
    section = ""
    lines = data.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.decode("utf-8", errors="replace")
        top = TOP_LEVEL.match(line)
        if top is not None and not line[:1].isspace():
            section = top.group(1).lower()
        if section in SKIPPED_SECTIONS:
            continue
        evidence = line.strip()[:200]
        if tool == "sidekiq":
            match = SIDEKIQ_RETRIES.match(line)
            if match is None:
                continue
            attrs = {"max_attempts": normalise_ms(float(match.group(2)) + 1.0), "backoff": "exponential",
                     "retry_on": None, "mechanism": "client_config", "library": "sidekiq"}
            kind = "retry"
        else:
            match = BLAZER_TIMEOUT.match(line)
            if match is None:
                continue
            attrs = {"timeout_ms": normalise_ms(float(match.group(2)) * 1000.0), "phase": "total",
                     "resolved_from": "config", "expression": evidence}
            kind = "timeout"
        out.append(Finding(kind=kind, path=path, line=number, column=len(match.group(1)) + 1, end_line=number,
                           end_column=len(line.rstrip()) + 1, language=language, detector=DETECTOR,
                           confidence="medium", attributes=attrs, evidence=evidence))
    return out


# The top-level sections of a config_for file are the app's environments.
ENVIRONMENTS = {"production", "staging", "development", "test", "dev", "prod", "stage", "qa", "uat", "sandbox",
                "preview", "cucumber", "ci", "testing", "demo"}
SHARED_SECTIONS = {"default", "defaults", "shared", "common", "base", "global"}


def _rails_sections(document: Any) -> bool:
    """Whether the top level is Rails environments (``default:`` / ``production:`` ...), as
    ``config_for`` files are; a Node or Spring ``config/*.yml`` (``http: {timeout: 5000}``, in
    other units) is not read."""
    keys = {str(k).lower() for k in document.keys()} if hasattr(document, "keys") else set()
    return bool(keys & ENVIRONMENTS) and keys <= ENVIRONMENTS | SHARED_SECTIONS


def extract(path: str, data: bytes, language: str = "ruby") -> FileResult:
    tool = _tool_config(path.rsplit("/", 1)[-1])
    if tool is not None:
        return FileResult(path=path, language=language, findings=tuple(_tool_findings(path, tool, data, language)))
    try:
        from ruamel.yaml import YAML

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns of reused anchors; a scan reports, it does not warn
            document = YAML(typ="rt").load(io.StringIO(data.decode("utf-8", errors="replace")))
    except Exception as exc:  # noqa: BLE001 - a broken YAML file must not stop the scan
        return FileResult(path=path, language=language, errors=(ErrorEntry(path, "parse_error", str(exc)[:200]),))
    findings: list[Finding] = []
    lines = data.splitlines()
    if hasattr(document, "items") and _rails_sections(document):
        seen: set[int] = set()
        for section, body in document.items():
            if str(section).lower() in SKIPPED_SECTIONS:
                continue
            _walk(path, body, lines, findings, language, 0, seen)
    return FileResult(path=path, language=language, findings=tuple(findings))


def _own_keys(node: Any) -> dict:
    """Keys written in this mapping (with their [line, column, ...]), not those merged in."""
    lc = getattr(node, "lc", None)
    return dict(lc.data) if lc is not None and isinstance(getattr(lc, "data", None), dict) else {}


def _walk(path: str, node: Any, lines: list[bytes], out: list[Finding], language: str, depth: int,
          seen: set[int]) -> None:
    if depth > 8 or not hasattr(node, "items") or id(node) in seen:
        return  # an alias names a mapping already read: walked once (no alias bomb)
    seen.add(id(node))
    from extractors.ruby.detectors.client_options import KEYS  # the option names Ruby clients take

    own = _own_keys(node)
    for key, value in node.items():
        if key not in own:
            continue  # inherited through `<<: *DEFAULT`: reported where it is written
        where = own[key]
        if hasattr(value, "items"):
            _walk(path, value, lines, out, language, depth + 1, seen)
            continue
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        name = str(key)
        if number is None:
            continue
        line = int(where[0]) + 1
        evidence = lines[line - 1].decode("utf-8", errors="replace").strip()[:200] if line <= len(lines) else ""
        if name in KEYS:
            attrs = {"timeout_ms": normalise_ms(float(number) * 1000.0), "phase": KEYS[name],
                     "resolved_from": "config", "expression": f"{name}: {value}"}
            out.append(Finding(kind="timeout", path=path, line=line, column=int(where[1]) + 1, end_line=line,
                               end_column=len(evidence) + 1, language=language, detector=DETECTOR,
                               confidence="medium", attributes=attrs, evidence=evidence))
        elif name in RETRY_KEYS and number >= 0:
            attrs = {"max_attempts": normalise_ms(float(number) + RETRY_KEYS[name]), "backoff": None,
                     "retry_on": None, "mechanism": "client_config", "library": None}
            out.append(Finding(kind="retry", path=path, line=line, column=int(where[1]) + 1, end_line=line,
                               end_column=len(evidence) + 1, language=language, detector=DETECTOR,
                               confidence="medium", attributes=attrs, evidence=evidence))


class RailsConfigExtractor(Extractor):
    """The registry's entry for ``config/<name>.yml`` (its hints are ``.yml``/``.yaml``; ``claims``
    picks the Rails app config among them); a module of its own so that scans of other languages'
    YAML never import the Ruby extractor."""

    name = "railsconfig"
    language = "ruby"
    claims_language = False  # a YAML file alone does not make a service Ruby

    def claims(self, path: str) -> bool:
        return claims(path)

    def extract(self, path: str, data: bytes) -> FileResult:
        return extract(path, data, self.language)


EXTRACTOR = RailsConfigExtractor()
