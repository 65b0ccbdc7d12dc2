"""Configuration files of a Go service (config.yaml, conf/app.json ...): the values its config
struct is loaded with (viper, yaml.Unmarshal into a struct with `yaml:"..."` tags).

Publishes, for the resolver, each literal leaf as ``$go-config:<dotted.key>``; the Go extractor
refers to them from a config field it can map to a key (``cfg.Redis.Timeout`` with the struct tags
of its fields). This module claims no file yet: the Go extractor's owner fills it in.
Never raises.
"""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.base import Extractor


class GoConfigExtractor(Extractor):
    name = "goconfig"
    language = "goconfig"
    claims_language = False

    def claims(self, path: str) -> bool:
        return False

    def extract(self, path: str, data: bytes) -> FileResult:
        return FileResult(path=path, language=self.language)


EXTRACTOR = GoConfigExtractor()
