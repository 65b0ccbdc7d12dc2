"""The terraform extractor (placeholder until its detectors land): claims its files, finds nothing."""

from __future__ import annotations

from contract_discovery.model import FileResult
from extractors.base import Extractor


class TerraformExtractor(Extractor):
    name = "terraform"
    language = "terraform"
    extensions = ('.tf',)
    filenames = ()

    def extract(self, path: str, data: bytes) -> FileResult:
        return FileResult(path=path, language=self.language)


EXTRACTOR = TerraformExtractor()
