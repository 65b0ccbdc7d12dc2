"""The spring extractor (placeholder until its detectors land): claims its files, finds nothing."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.base import Extractor


class SpringExtractor(Extractor):
    name = "spring"
    language = "spring"
    extensions = ('.properties',)
    filenames = ('application.yml', 'application.yaml')

    def extract(self, path: str, data: bytes) -> FileResult:
        return FileResult(path=path, language=self.language)


EXTRACTOR = SpringExtractor()
