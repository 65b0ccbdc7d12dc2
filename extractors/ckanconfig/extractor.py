"""CKAN config declarations: the defaults ``config.get("ckan.requests.timeout")`` returns in CKAN and its
extensions.

CKAN (2.10+) declares every configuration option it reads in a ``config_declaration.yaml`` (or
``.json``) beside the code: ``groups: [{options: [{key: ckan.requests.timeout, default: 5, type: int}]}]``
(ckan/config/config_declaration.yaml, and one per extension: ckanext/<name>/config_declaration.yaml).
``config.get(key)`` returns the ini file's value or, when the deployment sets none, that declared
default. This extractor finds no settings of its own; it publishes, for the pipeline's resolver, each
option's literal ``default`` as ``$ckan-config.<key>``; the Python extractor refers to it from
``config.get("<key>")`` / ``toolkit.config.get(...)`` in a file importing ckan
(extractors/python/analysis.py). Options without a default (or with ``default_callable``) publish
nothing. Never raises; a file that does not parse yields nothing.
"""

from __future__ import annotations

import json
import re

import yaml

from contract_discovery.model import FileResult
from contract_discovery.values import Expr, Num, Str
from extractors.base import Extractor

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader  # type: ignore[misc]

MAX_BYTES = 512 * 1024
PREFIX = "$ckan-config."  # a dot: a service-wide name (contract_discovery.resolve)
_NAME = re.compile(r"^config_declaration\.(?:ya?ml|json)$")
_KEY = re.compile(r"^[A-Za-z_][\w.-]*$")


def _value(value) -> Expr | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Num(float(value))
    if isinstance(value, str):
        return Str(value)
    return None


def declaration_symbols(document) -> dict[str, Expr]:
    """A parsed declaration -> ``$ckan-config.<key>`` for each option with a literal default."""
    out: dict[str, Expr] = {}
    groups = document.get("groups") if isinstance(document, dict) else None
    for group in groups if isinstance(groups, list) else []:
        options = group.get("options") if isinstance(group, dict) else None
        for option in options if isinstance(options, list) else []:
            if not isinstance(option, dict) or "default" not in option:
                continue
            key = option.get("key")
            if not isinstance(key, str) or not _KEY.match(key):
                continue  # `ckan.auth.<action>`-style keys with placeholders
            value = _value(option["default"])
            if value is not None:
                out.setdefault(PREFIX + key, value)
    return out


class CkanConfigExtractor(Extractor):
    name = "ckanconfig"
    language = "ckanconfig"
    claims_language = False

    def claims(self, path: str) -> bool:
        return bool(_NAME.match(path.rsplit("/", 1)[-1]))

    def extract(self, path: str, data: bytes) -> FileResult:
        empty = FileResult(path=path, language=self.language)
        if len(data) > MAX_BYTES:
            return empty
        try:
            text = data.decode("utf-8", "replace")
            document = json.loads(text) if path.lower().endswith(".json") else yaml.load(text, Loader=_Loader)
            return FileResult(path=path, language=self.language, symbols=declaration_symbols(document))
        except Exception:  # noqa: BLE001 - another tool's file of that name, or a template
            return empty


EXTRACTOR = CkanConfigExtractor()
