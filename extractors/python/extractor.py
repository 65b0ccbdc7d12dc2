"""The Python extractor: parse once with tree-sitter, run every detector on the shared view.

A pure function of the file's bytes. A syntax error still yields the findings of the
intact parts plus an ``ErrorEntry(kind="parse_error")`` at the first error line; one
failing detector never sinks the others.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from contract_discovery.model import ErrorEntry, FileResult, Finding
from extractors import treesitter as T
from extractors.base import Extractor
from extractors.python import detectors
from extractors.python.analysis import PyFile

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def source_encoding(data: bytes) -> str:
    """The PEP 263 declared encoding (first two lines), else utf-8."""
    for line in data.splitlines()[:2]:
        m = _CODING.match(line)
        if m:
            name = m.group(1).decode("ascii", "replace")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return "utf-8"
    return "utf-8"


def to_utf8(data: bytes) -> bytes:
    """Re-encode a file declared in another encoding (latin-1...) so strings read right.
    Tree-sitter columns then count bytes of the UTF-8 form."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    encoding = source_encoding(data)
    if encoding in ("utf-8", "ascii"):
        return data
    try:
        return data.decode(encoding).encode("utf-8")
    except (UnicodeDecodeError, LookupError):
        return data


# Detectors that read generic shapes rank after library-specific ones when both see one setting.
_GENERIC = {"python.db": 1, "python.sdk_client": 1, "python.client_timeout": 2, "python.http_client": 3}
_HEURISTIC = ("python.client_timeout", "python.http_client")


class PythonExtractor(Extractor):
    name = "python"
    language = "python"
    extensions = (".py", ".pyi")
    filenames = ()
    # Any of these (case-insensitive) must appear for a file to hold a finding or a constant
    # worth resolving; tests check that every annotated fixture passes.
    prefilter_tokens = (
        b"timeout", b"retry", b"retries", b"tries", b"attempt", b"backoff", b"tenacity", b"sleep",
        b"requests", b"httpx", b"aiohttp", b"urllib", b"urlopen", b"grpc", b"stub", b"session",
        b"http", b"_url", b"url", b"socket", b"uuid", b"ulid", b"token_", b"replica", b"reader",
        b"using(", b"db_manager", b"db_for_read", b"databases", b"create_engine", b"idempot",
        b"cache", b"exists", b"setex", b"redis", b"breaker", b"circuit", b"fallback", b"botocore",
        b"boto3", b"config", b"wait_for", b"connect", b"settings", b"environ", b"getenv",
    )

    def extract(self, path: str, data: bytes) -> FileResult:
        try:
            return self._extract(path, data)
        except Exception as exc:  # the contract: never raise
            return FileResult(path=path, language=self.language, errors=(
                ErrorEntry(path=path, kind="extractor_error", message=f"{type(exc).__name__}: {exc}"),))

    def _extract(self, path: str, data: bytes) -> FileResult:
        f = PyFile(path, to_utf8(data))
        errors: list[ErrorEntry] = []
        first = T.first_error(f.tree)
        if first is not None:
            errors.append(ErrorEntry(path=path, kind="parse_error", line=first[0],
                                     message=f"syntax error at line {first[0]}, column {first[1]}"))
        findings: list[Finding] = []
        for detect in detectors.load():
            try:
                findings.extend(detect(f))
            except Exception as exc:
                errors.append(ErrorEntry(path=path, kind="detector_error",
                                         message=f"{getattr(detect, 'detector_id', detect.__module__)}: "
                                                 f"{type(exc).__name__}: {exc}"))
        errors.extend(ErrorEntry(path=path, kind="detector_error", message=m) for m in f.internal_errors)
        # A heuristic detection is at most medium confidence, however literal its value.
        findings = [replace(fd, confidence="medium") if fd.detector in _HEURISTIC and fd.confidence == "high" else fd
                    for fd in findings]
        unique: dict[tuple, Finding] = {}
        for fd in sorted(findings, key=lambda x: _GENERIC.get(x.detector, 0)):
            if fd.kind == "timeout":  # two detectors reading the same setting: keep the specific one
                key: tuple = ("timeout", fd.line, fd.attributes.get("phase"), fd.attributes.get("expression"))
            else:
                key = fd.sort_key()
            unique.setdefault(key, fd)
        ordered = tuple(sorted(unique.values(), key=lambda fd: fd.sort_key()))
        return FileResult(path=path, language=self.language, findings=ordered, symbols=dict(f.symbols),
                          imports=dict(f.imports), module=f.module, errors=tuple(errors))


EXTRACTOR = PythonExtractor()
