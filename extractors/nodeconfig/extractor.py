"""node-config files: the values ``config.get("risk.timeoutMs")`` returns in a Node service.

The ``config`` package reads ``config/default.json`` (or ``.yaml``/``.yml``), overrides it per
deployment (``production.json``, ``local.json``...) and maps environment variables onto keys with
``config/custom-environment-variables.json``. This extractor finds no settings of its own; it
publishes, for the pipeline's resolver:

- each literal leaf of ``default.*`` as ``$node-config:<dotted.key>`` (the value every deployment
  starts from; per-deployment files are not applied: which one runs is not in the code);
- each leaf of ``custom-environment-variables.*`` as ``$node-config-env:<dotted.key>`` naming the
  variable (``"RISK_TIMEOUT_MS"`` or ``{"__name": "RISK_TIMEOUT_MS", "__format": "number"}``): the
  resolver reads that variable first, the default file's value second.

JSON is parsed with ``json``, YAML with PyYAML's safe C loader (no aliases expanded beyond what
``safe_load`` does, which the size limit bounds). Never raises.
"""

from __future__ import annotations

import json
import re

import yaml

from contract_discovery.model import ErrorEntry, FileResult
from contract_discovery.values import Expr, Num, Str
from extractors.base import Extractor

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_BYTES = 512 * 1024
_NAME = re.compile(r"^(default|custom-environment-variables)\.(json|ya?ml)$")
_KEY = re.compile(r"^[A-Za-z_$][\w$-]*$")


def _leaves(prefix: str, value, depth: int, out: dict, env: bool) -> None:
    if depth > 8 or len(out) > 5000:
        return
    if isinstance(value, dict):
        if env and "__name" in value:
            name = value.get("__name")
            if isinstance(name, str):
                out[prefix] = Str(name)
            return
        for key, item in value.items():
            if isinstance(key, str) and _KEY.match(key):
                _leaves(f"{prefix}.{key}" if prefix else key, item, depth + 1, out, env)
        return
    if not prefix:
        return
    if env:
        if isinstance(value, str):
            out[prefix] = Str(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)):
        out[prefix] = Num(float(value))
    elif isinstance(value, str):
        out[prefix] = Str(value)


def _strip_json_comments_js1(text: str) -> str:
    """(round 16, js1) setmeup's settings.json is JSON with comments (`// ...`, `/* ... */`) and
    trailing commas: both removed outside strings, so ``json`` reads it."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
        elif ch == '"':
            in_string = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(ch)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


class NodeConfigExtractor(Extractor):
    name = "nodeconfig"
    language = "nodeconfig"
    claims_language = False

    def claims(self, path: str) -> bool:
        parts = path.rsplit("/", 2)
        if parts[-1] == "settings.json" and not any(d in ("node_modules", ".vscode", ".devcontainer", ".idea")
                                                    for d in path.split("/")[:-1]):
            return True  # (round 16, js1) setmeup's settings file (JSON with comments)
        return len(parts) >= 2 and parts[-2] == "config" and bool(_NAME.match(parts[-1]))

    def extract(self, path: str, data: bytes) -> FileResult:
        if len(data) > MAX_BYTES:
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path, "too_large", f"config file larger than {MAX_BYTES} bytes, not read"),))
        env = "custom-environment-variables" in path.rsplit("/", 1)[-1]
        try:
            if path.rsplit("/", 1)[-1] == "settings.json":
                document = json.loads(_strip_json_comments_js1(data.decode("utf-8", "replace")))
            elif path.endswith(".json"):
                document = json.loads(data.decode("utf-8", "replace"))
            else:
                document = yaml.load(data, Loader=_Loader)
        except (ValueError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else getattr(exc, "lineno", None)
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", str(exc).splitlines()[0][:200], line=line),))
        except Exception as exc:  # noqa: BLE001 - a config file must never take the scan down
            return FileResult(path=path, language=self.language,
                              errors=(ErrorEntry(path, "parse_error", f"{type(exc).__name__}: {exc}"[:200]),))
        leaves: dict[str, Expr] = {}
        _leaves("", document, 0, leaves, env)
        prefix = "$node-config-env:" if env else "$node-config:"
        symbols = {prefix + k: v for k, v in leaves.items()}
        return FileResult(path=path, language=self.language, symbols=symbols,
                          imports={"$nodeconfig": path} if symbols else {})


EXTRACTOR = NodeConfigExtractor()
