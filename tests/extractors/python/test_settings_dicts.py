"""A settings dict read key by key (`OPTIONS.get("max_retries")`), defined by a settings lookup whose
default is a dict (`get_settings_value("X", dict(max_retries=6))`, `getattr(settings, "X", {...})`)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

SETTINGS = '''\
from django.conf import settings


def get_settings_value(option, default):
    return getattr(settings, f"APP_{option}", default)


RETRY_OPTIONS = get_settings_value("RETRY_OPTIONS", dict(max_retries=6, delay=2))
HTTP_OPTIONS = getattr(settings, "HTTP_OPTIONS", {"timeout": 5})
PAGE = get_settings_value("PAGE", {"size": 50})
'''

UTILS = '''\
from time import sleep

import requests

from .settings import HTTP_OPTIONS, RETRY_OPTIONS


def retry(method):
    def wrapper(*args, **kwargs):
        max_retries = RETRY_OPTIONS.get("max_retries")
        for attempt_no in range(1, max_retries + 1):
            try:
                return method(*args, **kwargs)
            except ConnectionError:
                sleep(2)
                if attempt_no == max_retries:
                    raise
    return wrapper


def ping(url):
    return requests.get(url, timeout=HTTP_OPTIONS.get("timeout"))


def slow(url):
    return requests.get(url, timeout=HTTP_OPTIONS.get("read_timeout", 30))
'''


def test_a_settings_dict_key_takes_the_lookups_default(tmp_path: Path) -> None:
    pkg = tmp_path / "svc" / "app"
    pkg.mkdir(parents=True)
    (tmp_path / "svc" / "pyproject.toml").write_text('[project]\nname = "svc"\n')
    (pkg / "__init__.py").write_text("")
    (pkg / "settings.py").write_text(SETTINGS)
    (pkg / "utils.py").write_text(UTILS)
    result = scan(tmp_path / "svc", jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind,
                  f.attributes.get("timeout_ms") if f.kind == "timeout" else f.attributes.get("max_attempts"))
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [
        ("utils.py", 11, "retry", 6),  # range(1, max_retries + 1) with RETRY_OPTIONS.max_retries = 6
        ("utils.py", 22, "timeout", 5000),  # HTTP_OPTIONS.get("timeout"): the getattr default's key
        ("utils.py", 26, "timeout", 30000),  # a key the dict lacks: the call's own default
    ]
