"""The csharp extractor (placeholder until its detectors land): claims its files, finds nothing."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.base import Extractor


class CsharpExtractor(Extractor):
    name = "csharp"
    language = "csharp"
    extensions = ('.cs',)
    filenames = ()

    def extract(self, path: str, data: bytes) -> FileResult:
        return FileResult(path=path, language=self.language)


EXTRACTOR = CsharpExtractor()
