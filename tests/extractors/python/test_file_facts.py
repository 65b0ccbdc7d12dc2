"""Module names, imports, constants (symbols), encodings, parse errors and the never-raise rule."""

from __future__ import annotations

import pytest

from contract_discovery.model import Pending
from contract_discovery.values import BinOp, Call, Env, Num, Ref, Str
from extractors.python.analysis import module_name
from extractors.python.extractor import EXTRACTOR, source_encoding


@pytest.mark.parametrize("path,module", [
    ("services/risk/risk/config.py", "services.risk.risk.config"),
    ("services/risk/risk/__init__.py", "services.risk.risk"),
    ("app.py", "app"),
    ("pkg/stubs.pyi", "pkg.stubs"),
])
def test_module_from_path(path: str, module: str) -> None:
    assert module_name(path) == module


def test_imports_absolute_relative_and_aliased() -> None:
    src = (b"import requests as r\nimport os.path\nfrom django.conf import settings\n"
           b"from .settings import RISK_TIMEOUT\nfrom ..shared.http import client as http_client\n"
           b"from . import constants\n")
    result = EXTRACTOR.extract("services/risk/risk/config.py", src)
    assert result.module == "services.risk.risk.config"
    assert dict(result.imports) == {
        "r": "requests", "os": "os", "settings": "django.conf.settings",
        "RISK_TIMEOUT": "services.risk.risk.settings.RISK_TIMEOUT",
        "http_client": "services.risk.shared.http.client",
        "constants": "services.risk.risk.constants",
    }


def test_relative_import_from_a_package_init() -> None:
    result = EXTRACTOR.extract("svc/risk/__init__.py", b"from .config import TIMEOUT\n")
    assert dict(result.imports) == {"TIMEOUT": "svc.risk.config.TIMEOUT"}


def test_symbols_module_and_class_constants() -> None:
    src = b"""
import os
TIMEOUT = 5
RISK_URL = os.environ.get("RISK_SERVICE_URL", "http://risk:8080")
SCORE_TIMEOUT: float = float(os.getenv("SCORE_TIMEOUT", "0.5"))
BUDGET = TIMEOUT * 2
ENDPOINT = f"{RISK_URL}/score"
READ = os.environ["READ_TIMEOUT"]
handler = make_handler()

class Config:
    TIMEOUT = 3
    RETRIES = TIMEOUT + 1
"""
    symbols = dict(EXTRACTOR.extract("svc/config.py", src).symbols)
    assert symbols == {
        "TIMEOUT": Num(5.0),
        "RISK_URL": Env("RISK_SERVICE_URL", Str("http://risk:8080")),
        "SCORE_TIMEOUT": Call("float", (Env("SCORE_TIMEOUT", Str("0.5")),)),
        "BUDGET": BinOp("*", Ref("TIMEOUT"), Num(2.0)),
        "ENDPOINT": BinOp("+", Ref("RISK_URL"), Str("/score")),
        "READ": Env("READ_TIMEOUT", None),
        "Config.TIMEOUT": Num(3.0),
        "Config.RETRIES": BinOp("+", Ref("Config.TIMEOUT"), Num(1.0)),
    }


def test_unresolved_timeout_is_pending_in_seconds() -> None:
    src = b"import requests\nfrom .config import RISK_TIMEOUT\nrequests.get('http://risk/x', timeout=RISK_TIMEOUT / 2)\n"
    timeout = [f for f in EXTRACTOR.extract("svc/c.py", src).findings if f.kind == "timeout"]
    assert len(timeout) == 1
    assert timeout[0].attributes == {"timeout_ms": None, "phase": "total", "resolved_from": "unresolved",
                                     "expression": "RISK_TIMEOUT / 2"}
    assert timeout[0].pending == (Pending("timeout_ms", BinOp("/", Ref("RISK_TIMEOUT"), Num(2.0)), 1000.0),)


def test_settings_reference_keeps_the_settings_prefix() -> None:
    src = b"import requests\nfrom django.conf import settings\nrequests.get(settings.RISK_URL, timeout=settings.RISK_TIMEOUT)\n"
    result = EXTRACTOR.extract("svc/c.py", src)
    timeout = next(f for f in result.findings if f.kind == "timeout")
    assert Pending("timeout_ms", Ref("settings.RISK_TIMEOUT"), 1000.0) in timeout.pending
    assert Pending("url", Ref("settings.RISK_URL"), None) in timeout.pending
    assert result.imports["settings"] == "django.conf.settings"


def test_pep263_latin1_is_decoded() -> None:
    src = b"# -*- coding: latin-1 -*-\nimport requests\nrequests.get('http://caf\xe9/x', timeout=1)\n"
    assert source_encoding(src) == "iso8859-1"
    result = EXTRACTOR.extract("svc/c.py", src)
    call = next(f for f in result.findings if f.kind == "outbound_call")
    assert call.attributes["url"] == "http://caf\u00e9/x"
    assert result.errors == ()


def test_parse_error_reports_first_error_line_and_keeps_intact_parts() -> None:
    src = b"import requests\nrequests.get('http://a/b', timeout=1)\ndef broken(:\n    pass\n"
    result = EXTRACTOR.extract("svc/c.py", src)
    assert [(e.kind, e.line) for e in result.errors] == [("parse_error", 3)]
    assert ("timeout", 2) in {(f.kind, f.line) for f in result.findings}


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage \x00", b"(((((" * 2000, b"def f(:\n" * 50,
                                  "x = '\u2603'\n".encode("utf-16")])
def test_never_raises(data: bytes) -> None:
    result = EXTRACTOR.extract("svc/odd.py", data)
    assert result.path == "svc/odd.py"
    assert all(e.kind == "parse_error" for e in result.errors)


def test_deeply_nested_code_does_not_hit_recursion_limits() -> None:
    depth = 400
    src = "".join("    " * i + "if x:\n" for i in range(depth)) + "    " * depth + "requests.get('http://a/b')\n"
    result = EXTRACTOR.extract("svc/deep.py", ("import requests\n" + src).encode())
    assert all(e.kind == "parse_error" for e in result.errors)


def test_prefilter_skips_files_without_any_token() -> None:
    assert not EXTRACTOR.prefilter(b"def add(a, b):\n    return a + b\n")
    assert EXTRACTOR.prefilter(b"import requests\n")


def test_long_attribute_chains_and_sums_stay_iterative() -> None:
    chain = "x = a" + ".b" * 3000 + "\n"
    total = "TIMEOUT = " + " + ".join(["1"] * 3000) + "\nimport requests\nrequests.get('http://a/b', timeout=TIMEOUT)\n"
    for source in (chain, total):
        result = EXTRACTOR.extract("svc/long.py", source.encode())
        assert result.errors == ()


def test_settings_instance_attributes_refer_to_the_class() -> None:
    src = b"""
from functools import lru_cache
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    RISK_URL: str = "http://risk:8080"
    RISK_TIMEOUT: float = 0.5

@lru_cache
def get_settings():
    return Settings()

settings = get_settings()
config = Settings()
"""
    symbols = dict(EXTRACTOR.extract("app/config.py", src).symbols)
    assert symbols["Settings.RISK_TIMEOUT"] == Num(0.5)
    assert symbols["settings.RISK_TIMEOUT"] == Ref("Settings.RISK_TIMEOUT")
    assert symbols["config.RISK_URL"] == Ref("Settings.RISK_URL")


def test_same_file_settings_instance_resolves_a_timeout() -> None:
    src = b"""
import requests
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    RISK_TIMEOUT: float = 0.5

settings = Settings()

def score(payload):
    return requests.post("http://risk:8080/score", json=payload, timeout=settings.RISK_TIMEOUT)
"""
    timeout = next(f for f in EXTRACTOR.extract("app/client.py", src).findings if f.kind == "timeout")
    assert (timeout.attributes["timeout_ms"], timeout.attributes["resolved_from"]) == (500, "constant")


def test_dict_constants_are_symbols_and_subscripts_refer_to_them() -> None:
    src = b"""
import requests
from django.conf import settings
TIMEOUTS = {"risk": 0.5, "nested": {"ledger": 2}}

def score(payload):
    requests.post("http://risk/score", json=payload, timeout=TIMEOUTS["risk"])
    requests.post("http://ledger/e", json=payload, timeout=settings.TIMEOUTS["ledger"])
"""
    result = EXTRACTOR.extract("svc/c.py", src)
    assert result.symbols["TIMEOUTS.risk"] == Num(0.5)
    assert result.symbols["TIMEOUTS.nested.ledger"] == Num(2.0)
    timeouts = {f.line: f for f in result.findings if f.kind == "timeout"}
    assert (timeouts[7].attributes["timeout_ms"], timeouts[7].attributes["resolved_from"]) == (500, "constant")
    assert timeouts[8].attributes["timeout_ms"] is None
    assert Pending("timeout_ms", Ref("settings.TIMEOUTS.ledger"), 1000.0) in timeouts[8].pending


def test_pydantic_field_defaults_are_symbols() -> None:
    src = b"""
from pydantic import Field
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    risk_timeout: float = Field(default=0.5, description="seconds")
    ledger_timeout: float = Field(2.0)
    token: str = Field(...)
"""
    symbols = dict(EXTRACTOR.extract("app/config.py", src).symbols)
    assert symbols["Settings.risk_timeout"] == Num(0.5)
    assert symbols["Settings.ledger_timeout"] == Num(2.0)
    assert "Settings.token" not in symbols
