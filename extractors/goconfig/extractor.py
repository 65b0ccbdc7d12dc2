"""Configuration files of a Go service (configs/config.yaml, etc/order.yaml, conf/frpc.toml ...): the
values its config struct is loaded with (viper, yaml.Unmarshal, go-zero conf.MustLoad, kratos
config.Scan into a struct with `yaml:"..."` / `json:"..."` / `mapstructure:"..."` tags).

Claimed narrowly, by folder and name (several other extractors read .yml/.json too; each reads
its own meaning of a file): a YAML / JSON / TOML file in a folder named config, configs, conf, etc
or cfg, or named config.*, conf.*, settings.* (``config.example.yaml``, ``app-config.json`` too), or a command's
own ``cmd/<name>/<name>[-example].toml`` (round 18), never a
Compose file, a Kubernetes manifest (top-level apiVersion + kind), a package manifest or a tool's
own settings (.golangci.yml, tsconfig.json ...).

This extractor finds no settings of its own. It publishes, for the pipeline's resolver:

- each literal leaf as ``$go-config:<dotted.key>``, every key normalised the way Go's decoders
  match them (lower case, ``_`` and ``-`` dropped: viper and encoding/json ignore case, yaml
  ``read_timeout`` is the tag of the field ``ReadTimeout``): ``data.redis.readtimeout``;
- each leaf again under every tail of its key of two names or more as ``$go-config~<tail>``
  (``redis.readtimeout``), for code that holds a sub-struct (``conf *conf.Data`` reading
  ``conf.Redis.ReadTimeout``); a tail two leaves of the file give different values is left out.

Values: a Go duration string (``"0.2s"``, ``"1m30s"``) becomes its ms; numbers stay numbers (the
code's expression gives their unit: ``time.Duration(c.Timeout) * time.Second``); other strings stay
text (URLs of other services). The Go extractor refers to these keys from a config field
(``extractors/go/gofile.py``: ``config_keys``). Never raises; a file that does not parse yields
nothing (it was claimed by its name only, it may be a template or another tool's file).
"""

from __future__ import annotations

import json
import re

import yaml

from contract_discovery.model import FileResult
from contract_discovery.values import Expr, Num, Str
from extractors.base import Extractor
from extractors.go.values import parse_go_duration

try:
    import tomllib
except ImportError:  # pragma: no cover - Python < 3.11
    tomllib = None  # type: ignore[assignment]

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_BYTES = 256 * 1024
MAX_LEAVES = 5000
PREFIX = "$go-config:"
TAIL_PREFIX = "$go-config~"

_EXTENSIONS = (".yaml", ".yml", ".json", ".toml")
_FOLDERS = {"config", "configs", "conf", "etc", "cfg"}
# config.yaml, config.dev.yml, app-config.json, conf.toml, settings.yaml
_NAMES = re.compile(r"(?i)^(?:[\w-]*[-_])?(?:config|conf|settings)(?:[._-][\w.-]*)?\.(?:ya?ml|json|toml)$")
# other tools' files and formats that live in the same places
_NOT_CONFIG = re.compile(
    r"(?i)^(?:docker-)?compose[\w.-]*|^\.|^(?:package(?:-lock)?|composer|tsconfig[\w.-]*|jsconfig[\w.-]*|"
    r"renovate|manifest|chart|values[\w.-]*|kustomization|skaffold|openapi[\w.-]*|swagger[\w.-]*|"
    r"buf[\w.-]*|mkdocs|codecov|dependabot|serverless|template|cloudbuild|"
    r"(?:tslint|eslint|babel|prettier|jest|vite|nx|lerna|turbo|angular|firebase)[\w.-]*)\.(?:ya?ml|json|toml)$"
    r"|\.schema\.json$|\.lock$")
_SKIP_FOLDERS = {"node_modules", "vendor", "testdata", ".github", "templates", "charts", "helm", "k8s",
                 "kubernetes", "deploy", "deployments", "manifests"}
_KEY = re.compile(r"^[A-Za-z_][\w.-]*$")
_DURATION = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*\s*$")


def normalise_key(key: str) -> str:
    """A config key the way Go's decoders match a field: ``Read_Timeout`` -> ``readtimeout``."""
    return key.replace("_", "").replace("-", "").lower()


def is_go_config(path: str) -> bool:
    parts = path.split("/")
    base = parts[-1]
    if not base.lower().endswith(_EXTENSIONS) or _NOT_CONFIG.search(base):
        return False
    if any(p.lower() in _SKIP_FOLDERS for p in parts[:-1]):
        return False
    if len(parts) >= 3 and parts[-3] == "cmd" and re.match(rf"(?i){re.escape(parts[-2])}(?:[-_.](?:example|sample|default|local|dev))?\.(?:toml|ya?ml)$", base):
        return True  # round 18: `cmd/logic/logic-example.toml`, the config a command's -conf flag names (goim)
    if base.lower() == "configuration.toml":
        return True  # round 20: a Dynaconf service's settings/configuration.toml (pr-agent's get_settings())
    return (len(parts) >= 2 and parts[-2].lower() in _FOLDERS) or bool(_NAMES.match(base))


def _value(value) -> Expr | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Num(float(value))
    if isinstance(value, str):
        if _DURATION.match(value):
            ms = parse_go_duration(value.strip().replace("µs", "us"))
            if ms is not None:
                return Num(ms)
        return Str(value)
    return None


def _leaves(prefix: tuple[str, ...], value, depth: int, out: dict[tuple[str, ...], Expr]) -> None:
    if depth > 10 or len(out) >= MAX_LEAVES:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _KEY.match(key):
                parts = tuple(normalise_key(k) for k in key.split(".") if k)  # viper reads "a.b: 1" as a.b
                if parts and all(parts):
                    _leaves((*prefix, *parts), item, depth + 1, out)
        return
    if not prefix:
        return
    expr = _value(value)
    if expr is not None:
        out.setdefault(prefix, expr)


def _load(path: str, data: bytes):
    text = data.decode("utf-8", "replace")
    lower = path.lower()
    if lower.endswith(".json"):
        return json.loads(text)
    if lower.endswith(".toml"):
        return tomllib.loads(text) if tomllib is not None else None
    return yaml.load(text, Loader=_Loader)


def config_symbols(document) -> dict[str, Expr]:
    """A parsed config document -> its ``$go-config:`` keys and unambiguous ``$go-config~`` tails."""
    leaves: dict[tuple[str, ...], Expr] = {}
    _leaves((), document, 0, leaves)
    symbols: dict[str, Expr] = {PREFIX + ".".join(k): v for k, v in leaves.items()}
    tails: dict[str, Expr] = {}
    clashing: set[str] = set()
    for key, expr in leaves.items():
        for i in range(1, len(key) - 1):
            tail = ".".join(key[i:])
            if tail in tails and tails[tail] != expr:
                clashing.add(tail)
            tails.setdefault(tail, expr)
    for tail, expr in tails.items():
        if tail not in clashing:
            symbols[TAIL_PREFIX + tail] = expr
    return symbols


class GoConfigExtractor(Extractor):
    name = "goconfig"
    language = "goconfig"
    claims_language = False

    def claims(self, path: str) -> bool:
        return is_go_config(path)

    def extract(self, path: str, data: bytes) -> FileResult:
        empty = FileResult(path=path, language=self.language)
        if len(data) > MAX_BYTES:
            return empty
        try:
            document = _load(path, data)
        except Exception:  # noqa: BLE001 - claimed by name only: a template or another tool's file
            return empty
        if not isinstance(document, dict):
            return empty
        if "apiVersion" in document and "kind" in document:
            return empty  # a Kubernetes manifest in a config folder
        try:
            symbols = config_symbols(document)
        except Exception:  # noqa: BLE001
            return empty
        return FileResult(path=path, language=self.language, symbols=symbols)


EXTRACTOR = GoConfigExtractor()
