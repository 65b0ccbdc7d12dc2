"""A tiny fake extractor so core tests do not depend on any language's detectors."""

from __future__ import annotations

import re

import pytest

from contract_discovery import registry
from contract_discovery.model import ErrorEntry, FileResult, Finding, Pending, Target
from contract_discovery.values import Num, Ref, Str
from extractors.base import Extractor

_CALL = re.compile(rb"CALL\((?P<url>[^,)]*)(?:,\s*(?P<timeout>[^)]*))?\)")
_CONST = re.compile(rb"^(?P<name>[A-Z_][A-Z0-9_]*)\s*=\s*(?P<value>.+)$", re.M)


class FakeExtractor(Extractor):
    """Reads `.fake` files: `NAME = 5` defines a constant, `CALL(url, timeout)` makes findings,
    `BROKEN` makes a parse error, `CRASH` raises."""

    name = "fake"
    language = "fake"
    extensions = (".fake",)
    prefilter_tokens = (b"CALL", b"=", b"BROKEN", b"CRASH", b"DIE", b"SLOW")

    def extract(self, path: str, data: bytes) -> FileResult:
        if b"CRASH" in data:
            raise ValueError("boom")
        if b"SLOW" in data:
            import time

            time.sleep(30)
        if b"DIE" in data:
            import os

            os._exit(3)
        symbols = {}
        for m in _CONST.finditer(data):
            value = m.group("value").decode().strip()
            symbols[m.group("name").decode()] = Str(value.strip('"')) if value.startswith('"') else (
                Num(float(value)) if value.replace(".", "", 1).isdigit() else Ref(value))
        findings = []
        for m in _CALL.finditer(data):
            line = data.count(b"\n", 0, m.start()) + 1
            url = m.group("url").decode().strip()
            pending = []
            target = None
            if url.startswith('"'):
                target = Target(url=url.strip('"'))
            else:
                pending.append(Pending("url", Ref(url), None))
            timeout = (m.group("timeout") or b"").decode().strip()
            attrs = {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": timeout}
            if timeout.replace(".", "", 1).isdigit():
                attrs.update(timeout_ms=float(timeout) * 1000, resolved_from="literal")
            elif timeout:
                pending.append(Pending("timeout_ms", Ref(timeout), 1000.0))
            findings.append(Finding(kind="timeout", path=path, line=line, column=1, end_line=line, end_column=2,
                                    language="fake", detector="fake.call", attributes=attrs,
                                    evidence=m.group(0).decode(), target=target, pending=tuple(pending)))
        errors = (ErrorEntry(path, "parse_error", "BROKEN seen", line=1),) if b"BROKEN" in data else ()
        return FileResult(path=path, language="fake", findings=tuple(findings), symbols=symbols,
                          module=path.rsplit("/", 1)[0], errors=errors)


@pytest.fixture
def fake_extractor(monkeypatch):
    registry.extractors.cache_clear()
    only = (FakeExtractor(),)
    monkeypatch.setattr(registry, "extractors", lambda: only)
    yield FakeExtractor()


def write(root, files: dict[str, str | bytes]):
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
