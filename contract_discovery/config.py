"""Project configuration: ``contract-discovery.yaml`` at the root, or ``[tool.contract-discovery]``
in ``pyproject.toml``. An explicit ``--config FILE`` wins.

Recognised keys (all optional)::

    exclude: ["legacy/**", "*.generated.py"]   # gitignore-style patterns, on top of .gitignore
    include_tests: false
    max_file_size: 2000000                      # bytes; larger files are skipped with an errors entry
    services:                                   # an explicit list wins over discovery
      - {name: checkout, path: services/checkout}
    service_map: {risk-internal.example.com: risk}   # URL host (or env/setting name) -> service
    env: {RISK_TIMEOUT_SECONDS: "0.5"}          # values for environment variables the code reads
    rules: {latency-budget: {severity: WARNING}}
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from contract_discovery.errors import ToolError

CONFIG_NAMES = ("contract-discovery.yaml", "contract-discovery.yml", ".contract-discovery.yaml")
DEFAULT_MAX_FILE_SIZE = 2_000_000

_KNOWN_KEYS = {"exclude", "include_tests", "max_file_size", "services", "service_map", "env", "rules",
               "url_template", "peers", "baseline", "jobs", "cache_dir", "fail_on"}


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    path: str


@dataclass(frozen=True)
class Config:
    raw: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    exclude: tuple[str, ...] = ()
    include_tests: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    services: tuple[ServiceSpec, ...] = ()
    service_map: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A hash of everything that changes extraction results (used by the cache)."""
        data = json.dumps({"exclude": self.exclude, "max": self.max_file_size}, sort_keys=True)
        return hashlib.sha1(data.encode()).hexdigest()[:12]


def _load_yaml_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolError(f"cannot read config {path}: {exc}") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ToolError(f"invalid config {where}: {getattr(exc, 'problem', None) or exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ToolError(f"invalid config {path}: the top level must be a mapping")
    return data


def _load_pyproject(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    section = data.get("tool", {}).get("contract-discovery")
    return section if isinstance(section, dict) else None


def load_config(root: Path, path: Path | None = None) -> Config:
    """Find and validate the configuration. Raises ToolError (exit 2) on an invalid file."""
    raw: dict[str, Any] = {}
    source: str | None = None
    if path is not None:
        if not Path(path).is_file():
            raise ToolError(f"config file {str(path)!r} not found")
        if str(path).endswith(".toml"):
            raw = _load_pyproject(Path(path)) or {}
        else:
            raw = _load_yaml_config(Path(path))
        source = str(path)
    else:
        for name in CONFIG_NAMES:
            candidate = root / name
            if candidate.is_file():
                raw, source = _load_yaml_config(candidate), str(candidate)
                break
        else:
            pyproject = root / "pyproject.toml"
            if pyproject.is_file():
                section = _load_pyproject(pyproject)
                if section is not None:
                    raw, source = section, str(pyproject)
    return _build(raw, source)


def _build(raw: dict[str, Any], source: str | None) -> Config:
    where = source or "config"
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise ToolError(f"invalid config {where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                        f"known: {', '.join(sorted(_KNOWN_KEYS))}")
    exclude = raw.get("exclude", [])
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        raise ToolError(f"invalid config {where}: 'exclude' must be a list of patterns")
    include_tests = raw.get("include_tests", False)
    if not isinstance(include_tests, bool):
        raise ToolError(f"invalid config {where}: 'include_tests' must be true or false")
    max_size = raw.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        raise ToolError(f"invalid config {where}: 'max_file_size' must be a positive integer (bytes)")
    services = []
    for i, item in enumerate(raw.get("services", []) or []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("path"), str):
            raise ToolError(f"invalid config {where}: services[{i}] needs 'name' and 'path' strings")
        services.append(ServiceSpec(name=item["name"], path=item["path"].strip("/") or "."))
    for key in ("service_map", "env"):
        value = raw.get(key, {}) or {}
        if not isinstance(value, dict):
            raise ToolError(f"invalid config {where}: '{key}' must be a mapping")
    service_map = {str(k).lower(): str(v) for k, v in (raw.get("service_map") or {}).items()}
    env = {str(k): str(v) for k, v in (raw.get("env") or {}).items()}
    rules = raw.get("rules", {}) or {}
    if not isinstance(rules, dict):
        raise ToolError(f"invalid config {where}: 'rules' must be a mapping of rule id to settings")
    return Config(raw=raw, source=source, exclude=tuple(exclude), include_tests=include_tests,
                  max_file_size=max_size, services=tuple(services), service_map=service_map, env=env)
