"""Timeouts in a Rails app's own YAML configuration (``config/<name>.yml``, read with ``config_for``).

``Rails.application.config_for(:external_faraday)`` loads ``config/external_faraday.yml`` for the
running environment, and the app copies its options onto a client
(``config[:options].each { |k, v| conn.options.send(:"#{k}=", v) }``). The settings are in the
YAML, so they are reported there, at their own lines: every timeout-named key with a number
(seconds, Ruby's convention) and every retry count, in each environment section the file defines
(``default``, ``production``, ``staging``...; not ``test``/``development``, and keys a section only
inherits through ``<<: *DEFAULT`` are reported once, where they are written).

Sidekiq's ``config/sidekiq*.yml`` (``:max_retries: 0``), Blazer's ``config/blazer.yml`` (a data
source's statement ``timeout:``) and ``config/database.yml`` (the driver's connect/read/write
timeouts, the session ``variables:`` statement_timeout/lock_timeout/max_execution_time) are read
line by line: they carry ERB a YAML parser rejects (``<%= ENV.fetch("X", 5) %>`` gives the pipeline
the variable with its default).

Only files directly under ``config/`` that are not Rails' own (``database.yml``, ``storage.yml``,
``cable.yml``, ``credentials``, locales...) are read. Never raises: a file that does not parse
gives a parse error and no findings.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str, normalise_ms
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
    if name in ("database.yml", "database.yaml"):
        return "database"
    if name in ("storage.yml", "storage.yaml"):
        return "storage"
    return None


# Settings files whose keys the code reads by name: the config gem's `config/settings.yml` (and
# `config/settings/<env>.yml`), read as `Settings.a.b`; Figaro-style `config/application.yml` (and
# its committed template `application.yml.default`/`.example`/`.sample`), read as `ENV["KEY"]`,
# `Figaro.env.key` or a typed store (`IdentityConfig.store.key`).
SETTINGS_FILES = ("settings.yml", "settings.yaml")
APP_CONFIG_FILES = ("application.yml", "application.yaml", "application.yml.default", "application.yml.example",
                    "application.yml.sample", "application.example.yml", "application.sample.yml")
APP_CONFIG = "$appconfig"


def _settings_kind(path: str) -> str | None:
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] == "config" and parts[-1] in SETTINGS_FILES:
        return "settings"
    if len(parts) >= 3 and parts[-3] == "config" and parts[-2] == "settings" and \
            parts[-1].endswith((".yml", ".yaml")) and parts[-1].rsplit(".", 1)[0] not in SKIPPED_SECTIONS \
            and not parts[-1].startswith(("test", "development")):
        return "settings"
    if len(parts) >= 2 and parts[-2] == "config" and parts[-1] in APP_CONFIG_FILES:
        return "appconfig"
    return None


def claims(path: str) -> bool:
    """``config/<name>.yml`` (directly under a ``config/`` folder), not a Rails or tool file; the
    Sidekiq and Blazer configurations (read line by line, see ``_tool_findings``); the settings
    files whose keys the code reads by name (``SETTINGS_FILES``, ``APP_CONFIG_FILES``)."""
    if _settings_kind(path) is not None:
        return True
    parts = path.split("/")
    if len(parts) < 2 or parts[-2] != "config" or not parts[-1].endswith((".yml", ".yaml")):
        return False
    return _tool_config(parts[-1]) is not None or (
        parts[-1] not in NOT_APP_CONFIG and not parts[-1].startswith(("database", "locale")))


# `:max_retries: 0` (Sidekiq 7: the retry count of jobs with `retry: true`, counts retries).
SIDEKIQ_RETRIES = re.compile(r"^(\s*):?max_retries:\s*(\d+)\s*(?:#.*)?$")
SIDEKIQ_RETRIES_ENV = re.compile(
    r"""^(\s*):?max_retries:\s*<%=\s*(?:ENV\.fetch\(\s*['"](\w+)['"]\s*,\s*['"]?(\d+)['"]?\s*\)"""
    r"""|ENV\[\s*['"](\w+)['"]\s*\]\s*\|\|\s*['"]?(\d+)['"]?)(?:\.to_i)?\s*%>\s*(?:#.*)?$""")
# Any other ERB value (`<%= DatabaseConfig.timeout %>`): the app computes it.
ERB_VALUE = re.compile(r"^<%=.*%>$")
# Blazer: `data_sources: main: timeout: 30` (seconds: the statement timeout of every query it runs).
BLAZER_TIMEOUT = re.compile(r"^(\s+)timeout:\s*(\d+(?:\.\d+)?)\s*(?:#.*)?$")
TOP_LEVEL = re.compile(r"^:?([A-Za-z_]\w*):")
# database.yml: the driver's connect/read/write timeouts (seconds; pg and mysql2) and, under
# `variables:`, the session's statement_timeout / lock_timeout (PostgreSQL: an integer is ms, a
# string may carry a unit) and MySQL's max_execution_time (ms). Not `timeout:` (SQLite's busy wait,
# ignored by other adapters) nor `checkout_timeout` (the wait for a pooled connection).
DB_DRIVER_KEYS = {"connect_timeout": "connect", "read_timeout": "read", "write_timeout": "write"}
DB_SESSION_KEYS = {"statement_timeout", "lock_timeout", "max_execution_time"}
DB_LINE = re.compile(r"^(\s+)(\w+):\s*(.+?)\s*(?:#.*)?$")
DB_NUMBER = re.compile(r"^['\"]?(\d[\d_]*(?:\.\d+)?)\s*(ms|s|min|h)?['\"]?$")  # `30_000` (round 22, caseflow)
DB_ENV = re.compile(r"""^<%=\s*ENV(?:\.fetch\(\s*['"](\w+)['"]\s*,\s*['"]?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?['"]?\s*\)"""
                    r"""|\[\s*['"](\w+)['"]\s*\]\s*\|\|\s*['"]?(\d+(?:\.\d+)?)\s*(ms|s|min|h)?['"]?)"""
                    r"""(?:\.to_i|\.to_f)?\s*%>$""")
# `<%= IdentityConfig.store.database_statement_timeout %>` / `<%= Settings.database.timeout %>`
ERB_SETTING = re.compile(r"^<%=\s*(?:([A-Z]\w*(?:::[A-Z]\w*)*)\.(store|env|settings)\.(\w+)|(Settings(?:\.\w+)+))"
                         r"(?:\.to_i|\.to_f)?\s*%>$")
PG_UNIT_MS = {None: 1.0, "ms": 1.0, "s": 1000.0, "min": 60000.0, "h": 3600000.0}


def _tool_findings(path: str, tool: str, data: bytes, language: str) -> list[Finding]:
    """Line reader for tool YAML that carries ERB (``<% if production %>``) a YAML parser rejects:
    Sidekiq's ``:max_retries: N`` (N + 1 attempts for every job left at ``retry: true``) and
    Blazer's data source ``timeout: N`` (seconds). Lines under a ``test:``/``development:`` section
    are not settings of the running service; commented lines never match."""
    out: list[Finding] = []
    section = ""
    lines = data.splitlines()
    services = _storage_services(lines) if tool == "storage" else {}
    for number, raw in enumerate(lines, start=1):
        line = raw.decode("utf-8", errors="replace")
        top = TOP_LEVEL.match(line)
        if top is not None and not line[:1].isspace():
            section = top.group(1).lower()
        if section in SKIPPED_SECTIONS:
            continue
        evidence = line.strip()[:200]
        if tool == "database":
            found = _database_line(path, number, line, lines, language)
            if found is not None:
                out.append(found)
            continue
        if tool == "storage":
            if services.get(section) == "s3":
                found = _storage_line(path, number, line, lines, language)
                if found is not None:
                    out.append(found)
            continue
        pending: tuple = ()
        if tool == "sidekiq":
            match = SIDEKIQ_RETRIES.match(line)
            env = SIDEKIQ_RETRIES_ENV.match(line)
            if match is None and env is None:
                continue
            attempts = None
            if match is not None:
                attempts = normalise_ms(float(match.group(2)) + 1.0)
            else:
                # `:max_retries: <%= ENV.fetch("JOB_RETRY_ATTEMPTS", 5).to_i %>`: the variable, its default
                match = env
                var, default = (env.group(2), env.group(3)) if env.group(2) else (env.group(4), env.group(5))
                pending = (Pending("max_attempts", BinOp("+", Env(var, Num(float(default))), Num(1.0)), 1.0),)
            attrs = {"max_attempts": attempts, "backoff": "exponential",
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
                           confidence="medium", attributes=attrs, evidence=evidence, pending=pending))
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
    # (round 21, lead) Rails 7's `shared:` alone is merged into every environment: a config_for file too
    return bool(keys & ENVIRONMENTS or keys == {"shared"}) and keys <= ENVIRONMENTS | SHARED_SECTIONS


SETTING_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\.(seconds?|minutes?|hours?|days?)$")
DURATION_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


def _settings_symbols(kind: str, document: Any) -> dict:
    """The scalar values of a settings file under the names the code reads them by: the config gem's
    ``Settings.api_timeout`` / ``Settings.nominatim.timeout``; an application.yml's top-level keys
    (its defaults; environment sections override them at run time) as ``$appconfig.<key>``."""
    from contract_discovery.values import Str

    out: dict = {}

    def walk(node: Any, prefix: str, depth: int) -> None:
        if depth > 6 or not hasattr(node, "items"):
            return
        for key, value in node.items():
            # `:ems:` (ManageIQ's symbol keys) is read as `Settings.ems`
            name = f"{prefix}.{key[1:] if isinstance(key, str) and key.startswith(':') else key}"
            if hasattr(value, "items"):
                if kind == "settings":
                    walk(value, name, depth + 1)
            elif isinstance(value, bool) or value is None:
                continue
            elif isinstance(value, (int, float)):
                out[name] = Num(float(value))
            elif isinstance(value, str) and SETTING_DURATION.match(value.strip()):
                # `:open_timeout: 60.seconds` (read through `.to_f_with_method`/`.to_i_with_method`): seconds
                number, unit = SETTING_DURATION.match(value.strip()).groups()
                out[name] = Num(float(number) * DURATION_UNITS[unit.rstrip("s")])
            elif isinstance(value, str) and ERB_VALUE.match(value.strip()) and _erb_expr(value) is not None:
                # `webhook_read_timeout: <%= ENV['WEBHOOK_READ_TIMEOUT']&.to_i || 30 %>`: the Ruby
                # expression (the variable with its default, for the pipeline; round 18, pupilfirst)
                out[name] = _erb_expr(value)
            elif isinstance(value, str) and len(value) < 300:
                out[name] = Str(value)

    walk(document, "Settings" if kind == "settings" else APP_CONFIG, 0)
    return out


def _erb_expr(value: str):
    """The value of a one-expression ERB scalar (``<%= ENV.fetch("X", 5).to_i %>``) as an expression
    in seconds, or None when it reads anything but environment variables and literals."""
    from contract_discovery.values import Unknown
    from extractors.common import parse_checked
    from extractors.ruby import syntax
    from extractors.ruby.context import GRAMMAR

    inner = value.strip()[3:-2].strip()
    if not inner or "\n" in inner or len(inner) > 200 or ("ENV" not in inner and not inner[:1].isdigit()):
        return None
    tree, errors = parse_checked(GRAMMAR, "settings.rb", inner.encode(), "ruby")
    if tree is None or errors or tree.root_node.named_child_count != 1:
        return None
    syntax.reset_caches()
    expr = syntax.to_expr(tree.root_node.named_children[0])
    syntax.reset_caches()
    return None if isinstance(expr, Unknown) else expr


def extract(path: str, data: bytes, language: str = "ruby") -> FileResult:
    kind = _settings_kind(path)
    if kind is not None:
        try:
            import yaml

            document = yaml.safe_load(data.decode("utf-8", errors="replace"))
        except Exception as exc:  # noqa: BLE001 - a broken (or ERB-laden) settings file must not stop the scan
            return FileResult(path=path, language=language, errors=(ErrorEntry(path, "parse_error", str(exc)[:200]),))
        return FileResult(path=path, language=language, symbols=_settings_symbols(kind, document), module="Object")
    tool = _tool_config(path.rsplit("/", 1)[-1])
    if tool is not None:
        return FileResult(path=path, language=language, findings=tuple(_tool_findings(path, tool, data, language)))
    try:
        from ruamel.yaml import YAML

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns of reused anchors; a scan reports, it does not warn
            loader = YAML(typ="rt")
            loader.allow_duplicate_keys = True  # Psych (Ruby's loader) keeps the last; so does this
            document = loader.load(io.StringIO(data.decode("utf-8", errors="replace")))
    except Exception as exc:  # noqa: BLE001 - a broken YAML file must not stop the scan
        return FileResult(path=path, language=language, errors=(ErrorEntry(path, "parse_error", str(exc)[:200]),))
    findings: list[Finding] = []
    lines = data.splitlines()
    symbols = _app_defaults(path, document)
    if path.rsplit("/", 1)[-1] in APP_HASH_FILES and hasattr(document, "items") and not _rails_sections(document):
        symbols.update(_hash_leaves(document))
    if hasattr(document, "items") and _rails_sections(document):
        symbols.update(_config_for_leaves(_stem(path), document))
        seen: set[int] = set()
        for section, body in document.items():
            if str(section).lower() in SKIPPED_SECTIONS:
                continue
            _walk(path, body, lines, findings, language, 0, seen)
    if findings and path.rsplit("/", 1)[-1] not in GEM_READ:
        # round 11: the file's settings are a contract only when the app reads the file (`config_for(:name)`,
        # `YAML.load_file(Rails.root.join("config", "name.yml"))`: `config_readers`); an orphan file's
        # `client_config: timeout: 10` bounds nothing
        keep = Pending(KEEP_IF, Call("coalesce", (Ref(f"{CONFIG_FILE}:{_stem(path)}"), Ref(f"{CONFIG_FILE}:*"))))
        findings = [replace(f, pending=(*f.pending, keep)) for f in findings]
    return FileResult(path=path, language=language, findings=tuple(findings), symbols=symbols,
                      module="Object")


def _config_for_leaves(stem: str, document: Any) -> dict:
    """(round 21, lead: polyglot19) Each leaf a running app reads through `config_for(:stem)`, as
    `$config-for.<stem>.<key path>`: the production section's, else the shared/default one's (numbers as
    written, strings as text), for code reading `RISK_CONFIG[:timeout]` (syntax.config_for_key)."""
    out: dict = {}

    def walk(node: Any, prefix: str, depth: int) -> None:
        if depth > 6 or not hasattr(node, "items"):
            return
        for key, value in node.items():
            path = f"{prefix}.{key}"
            if hasattr(value, "items"):
                walk(value, path, depth + 1)
            elif isinstance(value, bool) or value is None:
                continue
            elif isinstance(value, (int, float)):
                out.setdefault(path, Num(float(value)))
            elif isinstance(value, str) and len(value) < 500:
                out.setdefault(path, Str(str(value)))

    sections = {str(k).lower(): v for k, v in document.items()}
    for name in ("production", "prod", *sorted(SHARED_SECTIONS)):
        if name in sections:
            walk(sections[name], f"$config-for.{stem}", 0)
    return out


# config/<name>.yml files a gem loads by convention (no application code names them)
GEM_READ = frozenset({"mongoid.yml", "sunspot.yml", "shards.yml", "elasticsearch.yml", "ldap.yml", "memcached.yml",
                      "redis.yml", "sphinx.yml", "thinking_sphinx.yml", "resque.yml", "faye.yml", "good_job.yml",
                      # round 21: Chewy's Elasticsearch client (kitsu-server), ActiveFedora's Fedora client (hyku)
                      "chewy.yml", "fedora.yml"})
CONFIG_FILE = "$config_file"
# what names a config file in Ruby code: `config_for(:name)` / `config_for("name")`, "name.yml" in a path
_CONFIG_FOR = re.compile(rb"""config_for\(\s*(?::["']?|["'])([\w.-]+)""")
_CONFIG_FOR_ANY = re.compile(rb"""config_for\(\s*(?![:"'\s])""")
_YML_NAME = re.compile(rb"""([\w-]+)\.ya?ml\b""")
_YML_DYNAMIC = re.compile(rb"""\}\.ya?ml\b""")


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def config_readers(data: bytes) -> dict:
    """The ``config/<name>.yml`` files a Ruby file reads, published as ``$config_file:<name>`` (a name it
    computes, ``config_for(name)`` / ``"#{name}.yml"``: ``$config_file:*``, any file)."""
    if b"config_for" not in data and b".yml" not in data and b".yaml" not in data:
        return {}
    names: set[str] = set()
    for line in data.splitlines():
        if line.lstrip().startswith(b"#") or b"locale" in line:
            continue  # a comment; a translation file's path (`config/locales/#{locale}.yml`)
        names |= {m.group(1).decode("utf-8", "replace") for m in _CONFIG_FOR.finditer(line)}
        names |= {m.group(1).decode("utf-8", "replace") for m in _YML_NAME.finditer(line)}
        if _CONFIG_FOR_ANY.search(line) or _YML_DYNAMIC.search(line):
            names.add("*")
    return {f"{CONFIG_FILE}:{name}": Num(1.0) for name in names}


# An app's own defaults file loaded into a global (`APP_CONFIG = ConfigLoader.load_app_config` over
# config/config.defaults.yml, then read as `APP_CONFIG.delayed_job_max_run_time`): its `default:`
# section (or top-level values) published as `$appconfig.<key>`, as an application.yml's are.
APP_DEFAULT_FILES = ("config.defaults.yml", "config.default.yml", "app_config.yml", "app_config.defaults.yml",
                     "app_config.default.yml")
DEFAULT_SECTIONS = ("default", "defaults", "common", "shared")


def _app_defaults(path: str, document: Any) -> dict:
    if path.rsplit("/", 1)[-1] not in APP_DEFAULT_FILES or not hasattr(document, "items"):
        return {}
    section = next((document[k] for k in DEFAULT_SECTIONS if k in document and hasattr(document[k], "items")), None)
    if section is None and _rails_sections(document):
        section = document.get("production") if hasattr(document.get("production"), "items") else None
    return _settings_symbols("appconfig", section if section is not None else document)


# cconfig's `config/config.yml`, loaded into APP_CONFIG and read as `APP_CONFIG["registry"]["timeout"]["value"]`
APP_HASH_FILES = ("config.yml", "config.yaml")
APP_CONFIG_HASH = "$appconfig-hash"


def _hash_leaves(document: Any) -> dict:
    """The numeric leaves of an app configuration hash, as ``$appconfig-hash.<a>.<b>...`` (round 18: portus)."""
    out: dict = {}

    def walk(node: Any, prefix: str, depth: int) -> None:
        if depth > 6 or not hasattr(node, "items"):
            return
        for key, value in node.items():
            name = f"{prefix}.{key}"
            if hasattr(value, "items"):
                walk(value, name, depth + 1)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out[name] = Num(float(value))

    walk(document, APP_CONFIG_HASH, 0)
    return out


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


def _database_line(path: str, number: int, line: str, lines: list[bytes], language: str) -> Finding | None:
    match = DB_LINE.match(line)
    if match is None:
        return None
    indent, key, raw = match.group(1), match.group(2), match.group(3)
    if _key_repeated_below(lines, number, indent, key):
        return None  # `connect_timeout: 5` written twice in a row: YAML (Psych) keeps the last (round 21, kitsu)
    if key in DB_DRIVER_KEYS:
        phase, scale_of = DB_DRIVER_KEYS[key], (lambda unit: 1000.0)
    elif key in DB_SESSION_KEYS and _parent_key(lines, number, len(indent)) == "variables":
        phase, scale_of = "total", (lambda unit: PG_UNIT_MS[unit])
    else:
        return None
    evidence = line.strip()[:200]
    attrs = {"timeout_ms": None, "phase": phase, "resolved_from": "config", "expression": raw}
    pending: tuple = ()
    literal = DB_NUMBER.match(raw)
    env = DB_ENV.match(raw)
    if literal is not None:
        attrs["timeout_ms"] = normalise_ms(float(literal.group(1).replace("_", "")) * scale_of(literal.group(2)))
    elif env is not None:
        var, default, unit = (env.group(1), env.group(2), env.group(3)) if env.group(1) else (
            env.group(4), env.group(5), env.group(6))
        attrs["resolved_from"] = "unresolved"
        pending = (Pending("timeout_ms", Env(var, Num(float(default) * scale_of(unit))), 1.0),)
    elif ERB_VALUE.match(raw):
        # `statement_timeout: <%= DatabaseConfig.timeout %>`: set by the app's own code (unknown here),
        # unless it reads a settings file (`IdentityConfig.store.key`, `Settings.db.timeout`)
        attrs["resolved_from"] = "unresolved"
        setting = ERB_SETTING.match(raw)
        if setting is not None:
            from contract_discovery.values import Call, Ref
            if setting.group(1):
                expr = Call("coalesce", (Ref(f"{setting.group(1).replace('::', '.')}.{setting.group(2)}.{setting.group(3)}"),
                                         Ref(f"{APP_CONFIG}.{setting.group(3)}")))
            else:
                expr = Ref(setting.group(4))
            pending = (Pending("timeout_ms", expr, scale_of(None)),)
    else:
        return None
    return Finding(kind="timeout", path=path, line=number, column=len(indent) + 1, end_line=number,
                   end_column=len(line.rstrip()) + 1, language=language, detector=DETECTOR,
                   confidence="medium", attributes=attrs, evidence=evidence, pending=pending)


# ActiveStorage's config/storage.yml (round 19: tutor-server): an S3 service's aws-sdk client options,
# `http_open_timeout` / `http_read_timeout` (seconds) and `retry_limit` (retries after the first try).
STORAGE_S3_KEYS = {"http_open_timeout": "connect", "http_read_timeout": "read", "retry_limit": None,
                   # the instance-metadata credential fetch (IMDS): its retries and its per-request timeout
                   "instance_profile_credentials_retries": None, "instance_profile_credentials_timeout": "total"}
STORAGE_SERVICE = re.compile(r"^\s+service:\s*['\"]?(\w+)['\"]?\s*(?:#.*)?$")


def _storage_services(lines: list[bytes]) -> dict[str, str]:
    """Each top-level storage service's ``service:`` (lower case): ``amazon: service: S3``."""
    found: dict[str, str] = {}
    section = ""
    for raw in lines:
        line = raw.decode("utf-8", errors="replace")
        top = TOP_LEVEL.match(line)
        if top is not None and not line[:1].isspace():
            section = top.group(1).lower()
            continue
        match = STORAGE_SERVICE.match(line)
        if match is not None and section:
            found.setdefault(section, match.group(1).lower())
    return found


def _storage_line(path: str, number: int, line: str, lines: list[bytes], language: str) -> Finding | None:
    match = DB_LINE.match(line)
    if match is None or match.group(2) not in STORAGE_S3_KEYS or line.lstrip().startswith("#"):
        return None
    indent, key, raw = match.group(1), match.group(2), match.group(3)
    evidence = line.strip()[:200]
    literal = DB_NUMBER.match(raw)
    env = DB_ENV.match(raw)
    if literal is not None and literal.group(2) is None:
        number_value, pending_expr = float(literal.group(1)), None
    elif env is not None:
        var, default = (env.group(1), env.group(2)) if env.group(1) else (env.group(4), env.group(5))
        number_value, pending_expr = None, Env(var, Num(float(default)))
    elif ERB_VALUE.match(raw):
        number_value, pending_expr = None, None
    else:
        return None
    phase = STORAGE_S3_KEYS[key]
    pending: tuple = ()
    if phase is None:
        attrs = {"max_attempts": normalise_ms(number_value + 1.0) if number_value is not None else None,
                 "backoff": "exponential", "retry_on": None, "mechanism": "client_config", "library": "aws-sdk"}
        if pending_expr is not None:
            pending = (Pending("max_attempts", BinOp("+", pending_expr, Num(1.0)), 1.0),)
        kind = "retry"
    else:
        attrs = {"timeout_ms": normalise_ms(number_value * 1000.0) if number_value is not None else None,
                 "phase": phase, "resolved_from": "config" if number_value is not None else "unresolved",
                 "expression": raw}
        if pending_expr is not None:
            pending = (Pending("timeout_ms", pending_expr, 1000.0),)
        kind = "timeout"
    return Finding(kind=kind, path=path, line=number, column=len(indent) + 1, end_line=number,
                   end_column=len(line.rstrip()) + 1, language=language, detector=DETECTOR,
                   confidence="medium", attributes=attrs, evidence=evidence, pending=pending)


def _key_repeated_below(lines: list[bytes], number: int, indent: str, key: str) -> bool:
    """The same key comes again in the same mapping before it ends (a later line at this indent)."""
    for index in range(number, len(lines)):
        line = lines[index].decode("utf-8", errors="replace")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        own = len(line) - len(line.lstrip())
        if own < len(indent) or line.lstrip().startswith("<%"):
            return False
        found = re.match(r"^\s*(\w+):", line)
        if own == len(indent) and found is not None and found.group(1) == key:
            return True
    return False


def _parent_key(lines: list[bytes], number: int, indent: int) -> str | None:
    """The key of the mapping a line at ``indent`` sits in (the nearest line above with less indent)."""
    for index in range(number - 2, -1, -1):
        line = lines[index].decode("utf-8", errors="replace")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        own = len(line) - len(line.lstrip())
        if own < indent:
            match = re.match(r"^\s*:?(\w+):", line)
            return match.group(1) if match is not None else None
    return None


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
