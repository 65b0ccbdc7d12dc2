"""The go extractor (placeholder until its detectors land): claims its files, finds nothing."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.base import Extractor


class GoExtractor(Extractor):
    name = "go"
    language = "go"
    extensions = ('.go',)
    filenames = ()

    def extract(self, path: str, data: bytes) -> FileResult:
        return FileResult(path=path, language=self.language)


EXTRACTOR = GoExtractor()
