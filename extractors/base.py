"""The extractor interface and the detector registry.

An extractor turns one file's bytes into a ``FileResult``: a pure function, so
the pipeline can run it in any process. Detectors register themselves with
``@detector``; the registry feeds the rules listing, SARIF ``rules[]`` and docs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from contract_discovery.model import FileResult


@dataclass(frozen=True)
class DetectorInfo:
    id: str  # "python.requests"
    language: str
    kinds: tuple[str, ...]
    doc: str
    valid: tuple[str, ...] = ()  # examples that must yield nothing
    invalid: tuple[str, ...] = ()  # examples that must yield a finding


DETECTORS: dict[str, DetectorInfo] = {}


def detector(id: str, language: str, kinds: Iterable[str], valid: Iterable[str] = (),
             invalid: Iterable[str] = ()) -> Callable:
    """Register a detector function or class; its docstring is its user documentation."""

    def wrap(obj):
        DETECTORS[id] = DetectorInfo(id=id, language=language, kinds=tuple(kinds),
                                     doc=(obj.__doc__ or "").strip(),
                                     valid=tuple(valid), invalid=tuple(invalid))
        obj.detector_id = id
        return obj

    return wrap


class Extractor:
    """Base class. Subclasses set ``name``, ``extensions`` (and/or ``filenames``) and implement
    ``extract``. ``prefilter_tokens``: bytes a file must contain (any of, case-insensitive) to
    possibly hold a finding or a constant worth resolving; files without any are never parsed."""

    name: str = ""
    language: str = ""
    extensions: tuple[str, ...] = ()
    filenames: tuple[str, ...] = ()
    prefilter_tokens: tuple[bytes, ...] = ()
    # False for extractors of generic formats (any *.yaml might be a manifest): their language is
    # listed for a service only when a file of theirs turned out to be relevant.
    claims_language: bool = True

    _lowered_tokens: tuple[bytes, ...] | None = None

    def claims(self, path: str) -> bool:
        """Whether this extractor reads the file. Must depend on the file name and its folder's name only: the
        registry memoises the answer per name."""
        base = path.rsplit("/", 1)[-1]
        if base in self.filenames:
            return True
        return any(base.endswith(ext) for ext in self.extensions)

    def prefilter(self, data: bytes) -> bool:
        """True when ``data`` contains one of ``prefilter_tokens`` (case-insensitive). Lower-casing
        once and testing each token with ``in`` runs at memory speed, unlike a regex alternation."""
        if not self.prefilter_tokens:
            return True
        tokens = self._lowered_tokens
        if tokens is None:
            tokens = type(self)._lowered_tokens = tuple(t.lower() for t in self.prefilter_tokens)
        low = data.lower()
        return any(token in low for token in tokens)

    def load_detectors(self) -> None:
        """Register every detector (for listings); extractors that import them lazily override it."""

    def extract(self, path: str, data: bytes) -> FileResult:  # pragma: no cover - interface
        raise NotImplementedError
