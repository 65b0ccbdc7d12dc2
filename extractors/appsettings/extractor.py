"""ASP.NET Core configuration files: the values ``Configuration["Risk:TimeoutSeconds"]``,
``GetValue<int>("Risk:TimeoutSeconds", 5)`` and an options class bound to a section
(``services.Configure<RiskOptions>(config.GetSection("Risk"))``) read in a .NET service.

``appsettings.json`` is the file every environment starts from; ``appsettings.<Environment>.json``
overrides it where that environment runs, which the code does not say. This extractor finds no
settings of its own; it publishes, for the pipeline's resolver:

- each literal leaf of ``appsettings.json`` under its configuration key, sections joined with
  ``:`` as .NET names them (``Risk:TimeoutSeconds``; array items by index, ``Hosts:0``);
- each leaf of an environment's file as ``$appsettings:<Environment>:<key>`` (kept for reports,
  never used for a value: which environment runs is not in the code).

It also reports the timeouts such files set where no code line reads them (``settings_files``):
connection strings' timeout keys anywhere in ``appsettings*.json``, Ocelot's route QoS timeouts in
``ocelot*.json``, the SkyAPM agent's transport timeouts in ``skyapm*.json`` and Azure.Core retry
options (``MaxRetries`` / ``NetworkTimeout`` / ``TryTimeout``) there and in an Azure Functions ``host.json``.

A TimeSpan string (``"00:00:30"``, ``"1.00:00:00"``, ``"00:00:00.500"``) is published in ms, the
unit the C# extractor keeps durations in; numbers as numbers, other strings as strings. .NET's
JSON reader allows comments and trailing commas, so this one does too. Never raises.
"""

from __future__ import annotations

import json
import re

from contract_discovery.model import ErrorEntry, FileResult
from contract_discovery.values import Expr, Num, Str
from extractors.appsettings import settings_files
from extractors.base import Extractor

MAX_BYTES = 512 * 1024
_NAME = re.compile(r"^appsettings(?:\.([A-Za-z][\w-]*))?\.json$", re.I)
# round 21 (openmu): a Dapr local secret store (`secrets.json`, `dapr-secrets.json`) holding the services'
# connection strings: read for their timeout keys only (no configuration keys of the app)
_LIBRARY_FILE = re.compile(r"^(?:ocelot|skyapm)(?:\.[A-Za-z][\w.-]*)?\.json$|^host\.json$|"
                           r"^(?:[\w-]+[.-])?secrets\.json$", re.I)
_TIMESPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")


def strip_jsonc(text: str) -> str:
    """JSON with // and /* */ comments and trailing commas -> JSON (strings left intact)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            out.append(" ")
            i = n if j < 0 else j + 2
        elif c in "}]":
            # a trailing comma before a closing bracket
            k = len(out) - 1
            while k >= 0 and out[k].isspace():
                k -= 1
            if k >= 0 and out[k] == ",":
                out[k] = " "
            out.append(c)
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def timespan_ms(value: str) -> float | None:
    match = _TIMESPAN.match(value.strip())
    if match is None:
        return None
    days, hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    ms = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60_000 + int(seconds) * 1000
    if fraction:
        ms += int(fraction.ljust(7, "0")) / 10_000
    return float(ms)


def _leaves(prefix: str, value, depth: int, out: dict[str, Expr]) -> None:
    if depth > 10 or len(out) > 5000:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key and ":" not in key:
                _leaves(f"{prefix}:{key}" if prefix else key, item, depth + 1, out)
        return
    if isinstance(value, list):
        for index, item in enumerate(value[:200]):
            _leaves(f"{prefix}:{index}" if prefix else str(index), item, depth + 1, out)
        return
    if not prefix or value is None or isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        out[prefix] = Num(float(value))
    elif isinstance(value, str):
        ms = timespan_ms(value)
        out[prefix] = Num(ms) if ms is not None else Str(value)


# the Azure Functions host's own host.json sections (its schema); any other top-level key is the app's
HOST_SCHEMA_KEYS = frozenset({
    "version", "aggregator", "applicationinsights", "concurrency", "console", "customhandler", "extensions",
    "extensionbundle", "functions", "functiontimeout", "healthmonitor", "logging", "manageddependency", "retry",
    "singleton", "watchdirectories", "watchfiles", "telemetrymode", "http", "queues", "servicebus",
    "eventhub", "durabletask", "blobs", "cosmosdb", "$schema",
})


class AppSettingsExtractor(Extractor):
    name = "appsettings"
    language = "appsettings"
    claims_language = False

    def claims(self, path: str) -> bool:
        base = path.rsplit("/", 1)[-1]
        return bool(_NAME.match(base) or _LIBRARY_FILE.match(base))

    def extract(self, path: str, data: bytes) -> FileResult:
        if len(data) > MAX_BYTES:
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path, "too_large", f"config file larger than {MAX_BYTES} bytes, not read"),))
        base = path.rsplit("/", 1)[-1]
        environment = _NAME.match(base)
        environment = environment.group(1) if environment else None
        source = data.decode("utf-8-sig", "replace")
        found = tuple(settings_files.findings(path, source))
        if _LIBRARY_FILE.match(base) and base.lower() != "host.json":
            return FileResult(path=path, language=self.language, findings=found)
        try:
            document = json.loads(strip_jsonc(source))
        except ValueError as exc:
            return FileResult(path=path, language=self.language, findings=found, errors=(
                ErrorEntry(path, "parse_error", str(exc).splitlines()[0][:200], line=getattr(exc, "lineno", None)),))
        except Exception as exc:  # noqa: BLE001 - a config file must never take the scan down
            return FileResult(path=path, language=self.language, findings=found,
                              errors=(ErrorEntry(path, "parse_error", f"{type(exc).__name__}: {exc}"[:200]),))
        leaves: dict[str, Expr] = {}
        if base.lower() == "host.json":
            # round 12: the host's own sections are no configuration keys of the app, but a top-level section
            # the host's schema does not know is the app's own, read through the host's configuration
            # (dicom-server's `builder.GetHostConfiguration()`): published under its keys
            if isinstance(document, dict):
                for key, item in document.items():
                    if isinstance(key, str) and key and key.lower() not in HOST_SCHEMA_KEYS:
                        _leaves(key, item, 1, leaves)
            return FileResult(path=path, language=self.language, symbols=leaves, findings=found)
        _leaves("", document, 0, leaves)
        if environment:
            leaves = {f"$appsettings:{environment}:{k}": v for k, v in leaves.items()}
        return FileResult(path=path, language=self.language, symbols=leaves, findings=found)


EXTRACTOR = AppSettingsExtractor()
