"""Timeouts and retries that a .NET service's JSON configuration files set themselves, where no code
line of the project reads them: the library reads the file (or the key) on its own.

- ``appsettings.connection_string``: a connection string written in a configuration file (any string
  value, wherever it sits: ``ConnectionStrings:Orders``, ``DBS:0:Connection``...). ADO.NET strings
  (``"Server=db;Database=orders;Connect Timeout=30;Command Timeout=60"``; SqlClient, Npgsql,
  MySqlConnector, Oracle): ``Connect Timeout`` / ``Connection Timeout`` / ``ConnectTimeout`` /
  ``Timeout`` bound the connect, ``Command Timeout`` / ``Default Command Timeout`` every command, in
  seconds. StackExchange.Redis configuration strings (``"redis:6379,connectTimeout=5000,syncTimeout=2000,
  connectRetry=5"``): ``connectTimeout`` (connect), ``syncTimeout`` / ``asyncTimeout`` (total), in ms;
  ``connectRetry`` = attempts of the connect. MongoDB URIs (``mongodb://h/db?connectTimeoutMS=3000``):
  ``connectTimeoutMS`` (connect), ``socketTimeoutMS`` (read), ``serverSelectionTimeoutMS`` /
  ``waitQueueTimeoutMS`` (total), in ms. A string counts as an ADO.NET one only when it also names a
  server or a database (``Server``, ``Host``, ``Data Source``, ``Database``, ``Initial Catalog``...): a
  ``"Timeout=30"`` alone is no connection string.
- ``appsettings.library_settings``: sections that a library binds by itself. Ocelot's routes
  (``ocelot.json``: ``Routes[].QoSOptions.TimeoutValue``, also ``ReRoutes`` and the
  ``GlobalConfiguration``'s QoSOptions; ms, per request to the downstream service) and the SkyAPM
  agent's transport to its collector (``skyapm.json`` or an appsettings section ``SkyWalking:Transport:
  gRPC``: ``Timeout`` and ``ReportTimeout`` total, ``ConnectTimeout`` connect, ms).
- ``appsettings.azure_retry``: an object in the shape of Azure.Core's ``RetryOptions``, which the Azure
  SDK clients bind from configuration (``AddAzureClients(b => b.ConfigureDefaults(config.GetSection(..)))``,
  a client section's ``Retry``, the Functions host's ``clientRetryOptions`` in ``host.json``):
  ``MaxRetries`` next to at least one of ``Mode`` / ``Delay`` / ``MaxDelay`` / ``NetworkTimeout`` /
  ``TryTimeout`` retries every request that many times (+1 attempt); ``NetworkTimeout`` /
  ``TryTimeout`` (TimeSpan strings) bound each try.

- ``appsettings.functions_retry`` (round 12): an Azure Functions ``host.json``'s top-level ``retry``
  (``{"strategy": "fixedDelay", "maxRetryCount": 3}``): every execution of a retry-capable trigger runs
  again up to that many times (+1 attempt, ``-1`` forever: null).

Not read here: keys the project's own code reads (``Risk:TimeoutSeconds`` through ``Configuration[..]``
or an options class): those are published as symbols and valued at the code line that reads them.
Zero or negative values (wait forever, or "off") are left out.

Why it matters: the file is where operators change these limits, and often the only place they are
written down.

Example: ``"Connection": "Data Source=db;Initial Catalog=blog;Connect Timeout=30"`` -> timeout
30000 ms, phase connect.
"""

from __future__ import annotations

import json
import re
from typing import Iterator

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.base import detector

CONNECTION_ID = "appsettings.connection_string"
LIBRARY_ID = "appsettings.library_settings"
AZURE_RETRY_ID = "appsettings.azure_retry"
AZURE_RETRY_SIBLINGS = ("mode", "delay", "maxdelay", "networktimeout", "trytimeout")
AZURE_TRY_TIMEOUTS = ("networktimeout", "trytimeout")
LANGUAGE = "appsettings"

_ADO_TIMEOUTS = {"connecttimeout": "connect", "connectiontimeout": "connect", "timeout": "connect",
                 "commandtimeout": "total", "defaultcommandtimeout": "total"}
_ADO_SERVER_KEYS = {"server", "host", "datasource", "address", "addr", "networkaddress", "database",
                    "initialcatalog", "dsn", "hostname", "port"}
_REDIS_TIMEOUTS = {"connecttimeout": "connect", "synctimeout": "total", "asynctimeout": "total"}
_MONGO_TIMEOUTS = {"connecttimeoutms": "connect", "sockettimeoutms": "read", "serverselectiontimeoutms": "total",
                   "waitqueuetimeoutms": "total"}
_ADO_PAIR = re.compile(r"(?:^|;)\s*([A-Za-z][A-Za-z ]*?)\s*=\s*([^;]*)")
_REDIS_HOST = re.compile(r"^\s*[\w.\-\[\]:]+(?::\d+)?\s*(?:,|$)")

SKYAPM_KEYS = {"Timeout": "total", "ReportTimeout": "total", "ConnectTimeout": "connect"}


# --- a JSON-with-comments reader that keeps each leaf's line -------------------------------------

class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1

    def _skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c == "\n":
                self.line += 1
                self.i += 1
            elif c in " \t\r\ufeff,":
                self.i += 1
            elif text.startswith("//", self.i):
                j = text.find("\n", self.i)
                self.i = n if j < 0 else j
            elif text.startswith("/*", self.i):
                j = text.find("*/", self.i + 2)
                end = n if j < 0 else j + 2
                self.line += text.count("\n", self.i, end)
                self.i = end
            else:
                return

    def _string(self) -> str:
        text, n = self.text, len(self.text)
        j = self.i + 1
        while j < n and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        raw = text[self.i:j + 1]
        self.line += raw.count("\n")
        self.i = j + 1
        try:
            return json.loads(raw)
        except ValueError:
            return raw.strip('"')

    def leaves(self, path: tuple, depth: int = 0) -> Iterator[tuple[tuple, object, int]]:
        """(path, value, line) of every scalar under the value at the cursor."""
        self._skip()
        if self.i >= len(self.text) or depth > 40:
            self.i = len(self.text)
            return
        c = self.text[self.i]
        if c == "{":
            self.i += 1
            while True:
                self._skip()
                if self.i >= len(self.text):
                    return
                if self.text[self.i] == "}":
                    self.i += 1
                    return
                if self.text[self.i] != '"':
                    self.i = len(self.text)  # not JSON: give up quietly
                    return
                key = self._string()
                self._skip()
                if self.i < len(self.text) and self.text[self.i] == ":":
                    self.i += 1
                yield from self.leaves((*path, key), depth + 1)
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self._skip()
                if self.i >= len(self.text):
                    return
                if self.text[self.i] == "]":
                    self.i += 1
                    return
                yield from self.leaves((*path, index), depth + 1)
                index += 1
        elif c == '"':
            line = self.line
            yield path, self._string(), line
        else:
            match = re.compile(r"[^\s,}\]/]+").match(self.text, self.i)
            if match is None:
                self.i = len(self.text)
                return
            self.i = match.end()
            token = match.group(0)
            try:
                value: object = json.loads(token)
            except ValueError:
                value = token
            yield path, value, self.line


def leaves(text: str) -> list[tuple[tuple, object, int]]:
    """Every scalar of a JSON(C) document with its key path and line; never raises."""
    try:
        return list(_Reader(text).leaves(()))
    except Exception:  # noqa: BLE001 - a config file must never take the scan down
        return []


# --- connection strings ------------------------------------------------------------------------

def _seconds(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number > 0 else None


def connection_string_timeouts(value: str) -> list[tuple[str, str, float | None, int | None]]:
    """(kind, phase, timeout ms or None, attempts or None, ...) for each timeout/retry key of a
    connection string: ``[("timeout", "connect", 30000, None)]``."""
    out: list[tuple[str, str, float | None, int | None]] = []
    low = value.lower()
    if low.startswith(("mongodb://", "mongodb+srv://")):
        query = value.split("?", 1)[1] if "?" in value else ""
        for pair in re.split(r"[&;]", query):
            key, _, number = pair.partition("=")
            phase = _MONGO_TIMEOUTS.get(key.strip().lower())
            ms = _seconds(number) if phase else None
            if phase and ms:
                out.append(("timeout", phase, ms, None))
        return out
    if ";" in value or ("=" in value and "," not in value):
        pairs = {m.group(1).replace(" ", "").lower(): m.group(2) for m in _ADO_PAIR.finditer(value)}
        if pairs and _ADO_SERVER_KEYS & set(pairs):
            for m in _ADO_PAIR.finditer(value):
                phase = _ADO_TIMEOUTS.get(m.group(1).replace(" ", "").lower())
                seconds = _seconds(m.group(2)) if phase else None
                if phase and seconds:
                    out.append(("timeout", phase, seconds * 1000.0, None))
            return out
    if "," in value and _REDIS_HOST.match(value):
        for part in value.split(",")[1:]:
            key, _, number = part.partition("=")
            key = key.strip().lower()
            phase = _REDIS_TIMEOUTS.get(key)
            ms = _seconds(number) if phase else None
            if phase and ms:
                out.append(("timeout", phase, ms, None))
            elif key == "connectretry" and number.strip().isdigit() and int(number) > 0:
                out.append(("retry", "connect", None, int(number)))
    return out


# --- findings -----------------------------------------------------------------------------------

def _finding(path: str, line: int, detector_id: str, kind: str, attributes: dict, evidence: str) -> Finding:
    return Finding(kind=kind, path=path, line=line, column=0, end_line=line, end_column=0, language=LANGUAGE,
                   detector=detector_id, confidence="high", attributes=attributes, evidence=evidence[:200])


def _source_line(lines: list[str], line: int) -> str:
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _ms_value(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number > 0 else None


def _key(part: object) -> str:
    return part.lower() if isinstance(part, str) else "#"


@detector(CONNECTION_ID, LANGUAGE, ("timeout", "retry"),
          valid=('{"Risk": {"TimeoutSeconds": 30}}\n',
                 '{"Note": "Timeout=30;retry later"}\n',
                 '{"ConnectionStrings": {"Db": "Server=db;Database=orders;Connect Timeout=0"}}\n'),
          invalid=('{"ConnectionStrings": {"Db": "Server=db;Database=orders;Connect Timeout=30"}}\n',
                   '{"Redis": "cache:6379,connectTimeout=5000,syncTimeout=2000"}\n',
                   '{"Mongo": "mongodb://db:27017/shop?connectTimeoutMS=3000"}\n'))
def connection_strings(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    for _, value, line in found:
        if not isinstance(value, str) or "=" not in value or len(value) > 4000:
            continue
        for kind, phase, ms, attempts in connection_string_timeouts(value):
            if kind == "retry":
                attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
                         "library": "stackexchange.redis"}
            else:
                attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal",
                         "expression": _source_line(lines, line)[:120]}
            yield _finding(path, line, CONNECTION_ID, kind, attrs, _source_line(lines, line))


@detector(LIBRARY_ID, LANGUAGE, ("timeout",),
          valid=('{"Routes": [{"DownstreamPathTemplate": "/api/{everything}", "QoSOptions": {"TimeoutValue": 0}}]}\n',
                 '{"SkyWalking": {"Transport": {"Interval": 3000}}}\n'),
          invalid=('{"Routes": [{"DownstreamPathTemplate": "/api/{everything}", "QoSOptions": {"TimeoutValue": 5000}}]}\n',
                   '{"SkyWalking": {"Transport": {"gRPC": {"Servers": "oap:11800", "Timeout": 10000}}}}\n'))
def library_settings(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    for keys, value, line in found:
        low = [_key(k) for k in keys]
        phase = None
        if len(low) >= 2 and low[-2] == "qosoptions" and low[-1] == "timeoutvalue" and \
                (low[0] in ("routes", "reroutes") or low[0] == "globalconfiguration"):
            phase, library = "total", "ocelot"
        elif len(low) >= 4 and low[-4:-1] == ["skywalking", "transport", "grpc"]:
            phase, library = SKYAPM_KEYS.get(keys[-1]), "skyapm"
        if phase is None:
            continue
        ms = _ms_value(value)
        if ms is None:
            continue
        attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal",
                 "expression": _source_line(lines, line)[:120]}
        yield _finding(path, line, LIBRARY_ID, "timeout", attrs, _source_line(lines, line))


@detector(AZURE_RETRY_ID, LANGUAGE, ("timeout", "retry"),
          valid=('{"Export": {"Retry": {"MaxRetries": 3}}}\n',
                 '{"Policy": {"MaxRetries": 3, "Name": "x"}}\n'),
          invalid=('{"AzureDefaults": {"Retry": {"MaxRetries": 6, "Mode": "Exponential", "NetworkTimeout": "00:02:00"}}}\n',
                   '{"extensions": {"serviceBus": {"clientRetryOptions": {"mode": "exponential", "maxRetries": 3, '
                   '"tryTimeout": "00:01:00"}}}}\n'))
def azure_retry(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    groups: dict[tuple, dict[str, tuple[object, int]]] = {}
    for keys, value, line in found:
        if keys and isinstance(keys[-1], str):
            groups.setdefault(tuple(keys[:-1]), {})[keys[-1].lower()] = (value, line)
    for group, members in groups.items():
        if not any(k in members for k in AZURE_RETRY_SIBLINGS):
            continue
        if "maxretries" not in members:
            # round 18 (callrecord-insights): host.json's `extensions.eventHubs.clientRetryOptions` (or serviceBus)
            # without maxRetries: the client's default, 3 retries (4 tries), at the clientRetryOptions key
            low = [_key(k) for k in group]
            if path.rsplit("/", 1)[-1].lower() != "host.json" or len(low) != 3 or low[0] != "extensions" or \
                    low[1] not in ("eventhubs", "servicebus") or low[2] != "clientretryoptions":
                continue
            first = min(line for _, line in members.values())
            line = next((n for n in range(first - 1, max(first - 4, 0), -1)
                         if re.search(r'"clientRetryOptions"\s*:', _source_line(lines, n), re.I)), None)
            if line is None:
                continue
            value = 3
        else:
            value, line = members["maxretries"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            continue
        attrs = {"max_attempts": value + 1, "backoff": "exponential", "retry_on": None, "mechanism": "client_config",
                 "library": "azure-sdk"}
        yield _finding(path, line, AZURE_RETRY_ID, "retry", attrs, _source_line(lines, line))
        for key in AZURE_TRY_TIMEOUTS:
            if key not in members or not isinstance(members[key][0], str):
                continue
            ms = _timespan_ms(members[key][0])
            if ms is None or ms <= 0:
                continue
            attrs = {"timeout_ms": normalise_ms(ms), "phase": "total", "resolved_from": "literal",
                     "expression": _source_line(lines, members[key][1])[:120]}
            yield _finding(path, members[key][1], AZURE_RETRY_ID, "timeout", attrs, _source_line(lines, members[key][1]))


AI_RETRY_ID = "appsettings.ai_service_retry"
# keys naming the model an AI service section talks to (Kernel Memory's / Semantic Kernel's AzureOpenAIText,
# OpenAI, ... sections): the section configures a client of that remote service
AI_MODEL_KEYS = ("deployment", "textmodel", "embeddingmodel", "chatmodel", "model", "modelid", "apitype")


@detector(AI_RETRY_ID, LANGUAGE, ("retry",),
          valid=('{"Policy": {"MaxRetries": 3, "Name": "x"}}\n',
                 '{"Payments": {"Endpoint": "https://pay", "MaxRetries": 3}}\n',
                 '{"AzureOpenAIText": {"Deployment": "gpt-4o", "MaxRetries": "ten"}}\n'),
          invalid=('{"KernelMemory": {"Services": {"AzureOpenAIText": {"Auth": "ApiKey", "Endpoint": "", '
                   '"Deployment": "gpt-4o", "MaxRetries": 10}}}}\n',
                   '{"OpenAI": {"TextModel": "gpt-4o", "OrgId": "", "MaxRetries": 10}}\n'))
def ai_service_retry(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    """AI-service sections of a configuration file that Kernel Memory / Semantic Kernel bind themselves.

    Round 15 (chat-copilot): ``"AzureOpenAIText": {"Deployment": "gpt-4o", "MaxRetries": 10}``, ``"OpenAI":
    {"TextModel": .., "MaxRetries": 10}``: ``MaxRetries`` retries each request to the model
    that many times (+1 attempt), reported at the key. Only next to a key naming the model (``Deployment``,
    ``TextModel``, ``EmbeddingModel``, ``Model``, ``APIType``): a ``MaxRetries`` of an arbitrary section is
    the project's own setting, read (or not) by its code."""
    groups: dict[tuple, dict[str, tuple[object, int]]] = {}
    for keys, value, line in found:
        if keys and isinstance(keys[-1], str):
            groups.setdefault(tuple(keys[:-1]), {})[keys[-1].lower()] = (value, line)
    for members in groups.values():
        if "maxretries" not in members or not any(k in members for k in AI_MODEL_KEYS) or \
                any(k in members for k in AZURE_RETRY_SIBLINGS):
            continue  # (Azure.Core's RetryOptions shape: azure_retry's)
        value, line = members["maxretries"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            continue
        attrs = {"max_attempts": value + 1, "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": "ai-service"}
        yield _finding(path, line, AI_RETRY_ID, "retry", attrs, _source_line(lines, line))


FUNCTIONS_RETRY_ID = "appsettings.functions_retry"
FUNCTIONS_STRATEGIES = {"fixeddelay": "fixed", "exponentialbackoff": "exponential"}


@detector(FUNCTIONS_RETRY_ID, LANGUAGE, ("retry",),
          valid=('{"Export": {"retry": {"strategy": "fixedDelay", "maxRetryCount": 3}}}\n',
                 '{"retry": {"maxRetryCount": 3}}\n'),
          invalid=('{"version": "2.0", "retry": {"strategy": "fixedDelay", "maxRetryCount": 3, '
                   '"delayInterval": "00:00:05"}}\n',))
def functions_retry(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    """An Azure Functions ``host.json``'s app-wide retry policy (``"retry": {"strategy": "fixedDelay",
    "maxRetryCount": 3}``): a failed execution of a timer, Kafka, Event Hubs or Cosmos DB triggered function
    runs again up to ``maxRetryCount`` times (+1 attempt; ``-1``: forever, null), reported at
    ``maxRetryCount``; only at the top level and with a strategy the host knows (round 12)."""
    members = {keys[1].lower(): (value, line) for keys, value, line in found
               if len(keys) == 2 and isinstance(keys[0], str) and keys[0].lower() == "retry" and isinstance(keys[1], str)}
    strategy = members.get("strategy", (None, 0))[0]
    if "maxretrycount" not in members or not isinstance(strategy, str) or \
            strategy.lower() not in FUNCTIONS_STRATEGIES:
        return
    value, line = members["maxretrycount"]
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        return
    attrs = {"max_attempts": None if value == -1 else value + 1, "backoff": FUNCTIONS_STRATEGIES[strategy.lower()],
             "retry_on": None, "mechanism": "decorator", "library": "azure-functions"}
    yield _finding(path, line, FUNCTIONS_RETRY_ID, "retry", attrs, _source_line(lines, line))


QUEUE_DEQUEUES_ID = "appsettings.queue_dequeues"
# round 17: a queue consumer's redelivery cap, by its key: the WebJobs / Functions queues' maxDequeueCount
# (host.json's extensions.queues, or a QueuesOptions section an app binds) counts deliveries (= attempts, the
# round-16 decision); Kernel Memory's MaxRetriesBeforePoisonQueue counts retries (+1)
DEQUEUE_KEYS = {"maxdequeuecount": 0, "maxretriesbeforepoisonqueue": 1}


@detector(QUEUE_DEQUEUES_ID, LANGUAGE, ("retry",),
          valid=('{"extensions": {"queues": {"batchSize": 16}}}\n',
                 '{"Queues": {"maxDequeueCount": "five"}}\n'),
          invalid=('{"version": "2.0", "extensions": {"queues": {"maxDequeueCount": 3}}}\n',
                   '{"RabbitMQ": {"MaxRetriesBeforePoisonQueue": 20}}\n'))
def queue_dequeues(path: str, found: list[tuple[tuple, object, int]], lines: list[str]) -> Iterator[Finding]:
    """A queue-triggered handler that throws gets its message again until it was dequeued ``maxDequeueCount``
    times (host.json ``extensions.queues``, an appsettings ``QueuesOptions`` section), then the message goes to
    the poison queue: deliveries = attempts; ``MaxRetriesBeforePoisonQueue: 20``: 21 tries. At the key."""
    for keys, value, line in found:
        if not keys or not isinstance(keys[-1], str) or keys[-1].lower() not in DEQUEUE_KEYS:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            continue
        add = DEQUEUE_KEYS[keys[-1].lower()]
        if value + add <= 1:
            continue  # `"maxDequeueCount": 1`: no redelivery (the UKHO sets leave it unlabelled)
        attrs = {"max_attempts": value + add, "backoff": None, "retry_on": None, "mechanism": "queue_redelivery",
                 "library": None}
        yield _finding(path, line, QUEUE_DEQUEUES_ID, "retry", attrs, _source_line(lines, line))


_TIMESPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")


def _timespan_ms(value: str) -> float | None:
    """``"00:02:00"`` / ``"1.00:00:00"`` / ``"00:00:00.500"``: ms."""
    match = _TIMESPAN.match(value.strip())
    if match is None:
        return None
    days, hours, minutes, seconds, fraction = match.groups()
    total = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds)
    return total * 1000.0 + (float("0." + fraction) * 1000.0 if fraction else 0.0)


def findings(path: str, text: str) -> list[Finding]:
    """The detectors over one configuration file; never raises."""
    try:
        found = leaves(text)
        lines = text.splitlines()
        return [*connection_strings(path, found, lines), *library_settings(path, found, lines),
                *azure_retry(path, found, lines), *functions_retry(path, found, lines),
                *queue_dequeues(path, found, lines),
                *ai_service_retry(path, found, lines)]
    except Exception:  # noqa: BLE001
        return []
