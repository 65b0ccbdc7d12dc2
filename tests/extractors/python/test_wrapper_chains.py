"""The core wrapper mechanisms wired into Python (extractors/wrappers.py): helper chains (a helper
handing its own parameter to another helper), constructor parameters (a class keeping its
constructor's timeout in a field its methods hand a client), omitted defaults (a call leaving a
helper's defaulted timeout out). Each through the pipeline, positive and negative."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

HELPERS = '''\
import aiohttp
import requests


def fetch(url, timeout=5):
    return requests.get(url, timeout=timeout)


def fetch_twice(url, timeout):
    return fetch(url, timeout=timeout)


def fetch_quietly(url, wait=7):
    return fetch(url, timeout=wait)


def unused_forwarder(url, timeout):
    return fetch(url, timeout=timeout)


class Cache:
    def __init__(self, url, timeout_s=10, page_size=50):
        self.url = url
        self.timeout_s = timeout_s
        self.page_size = page_size

    def get(self, key):
        return requests.get(self.url + key, params={"size": self.page_size}, timeout=self.timeout_s)


class Ledger:
    def __init__(self, url, page_size=100):
        self.url = url
        self.page_size = page_size

    def page(self, n):
        return requests.get(self.url, params={"n": n, "size": self.page_size}, timeout=2)


class HomeApi:
    def __init__(self, session):
        self.session = session

    async def make_request(self, method, path, json=None, timeout=30):
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        return await self.session.request(method, path, json=json, timeout=client_timeout)

    async def config(self):
        return await self.make_request("get", "api/config")


class Proxy:
    def __init__(self, api):
        self.api = api

    async def _api_client(self, path, timeout=300):
        return await self.api.make_request("get", path, timeout=timeout)

    async def forward(self, path):
        return await self._api_client(path)

    async def stream(self, path):
        return await self._api_client(path, timeout=None)
'''

CALLERS = '''\
from app.helpers import Cache, Ledger, fetch, fetch_quietly, fetch_twice


def run(coresys, url, timeout):
    fetch("http://catalog:8000/items")
    fetch_twice("http://risk:8000/score", 3)
    fetch_quietly("http://risk:8000/health")
    Cache("http://cache:9000", timeout_s=2)
    Cache("http://cache:9000")
    Ledger("http://ledger:8000", 500)
    coresys.homeassistant.api.make_request("post", "api/auth", json={})
    coresys.homeassistant.api.make_request("post", "api/push", timeout=10)
    fetch_twice("http://risk:8000/score", timeout)
'''


def _scan(tmp_path: Path) -> list[tuple]:
    app = tmp_path / "svc" / "app"
    app.mkdir(parents=True)
    (tmp_path / "svc" / "pyproject.toml").write_text('[project]\nname = "svc"\n')
    (app / "__init__.py").write_text("")
    (app / "helpers.py").write_text(HELPERS)
    (app / "use.py").write_text(CALLERS)
    result = scan(tmp_path / "svc", jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"], f.attributes.get("via"))
                  for f in result.findings if f.kind == "timeout")


def test_helper_chains_constructor_fields_and_left_out_defaults(tmp_path: Path) -> None:
    assert _scan(tmp_path) == [
        ("helpers.py", 6, 5000, None),  # rule (a): fetch's own line hands on its defaulted timeout=5
        ("helpers.py", 14, 7000, "fetch"),  # rule (a) through a chain: fetch_quietly hands on wait=7
        ("helpers.py", 28, 10000, None),  # the field a method hands requests: the constructor's default
        ("helpers.py", 37, 2000, None),
        ("helpers.py", 45, 30000, None),  # rule (a): ClientTimeout(total=timeout) with timeout=30
        ("helpers.py", 49, 30000, "HomeApi.make_request"),  # self.make_request(...) leaves timeout=30 out
        ("helpers.py", 57, 300000, "$any.make_request"),  # rule (a): _api_client hands on its timeout=300
        ("helpers.py", 60, 300000, "Proxy._api_client"),  # _api_client forwards its timeout=300 to make_request
        ("use.py", 5, 5000, "fetch"),  # fetch(url): the helper's default
        ("use.py", 6, 3000, "fetch_twice"),  # a helper chain: fetch_twice hands fetch its parameter
        ("use.py", 7, 7000, "fetch_quietly"),  # a chain whose outer default (wait=7) is left out
        ("use.py", 8, 2000, "Cache"),  # a constructor parameter the class keeps in self.timeout_s
        ("use.py", 9, 10000, "Cache"),  # ... left out: its default
        ("use.py", 11, 30000, "$any.make_request"),  # a receiver of unknown class, a distinctive method name
        ("use.py", 12, 10000, "$any.make_request"),
    ]


def test_forwarders_and_non_timeout_fields_give_nothing(tmp_path: Path) -> None:
    got = _scan(tmp_path)
    lines = {(path, line) for path, line, _, _ in got}
    # the helpers' own lines handing on a parameter WITHOUT a default (fetch_twice, unused_forwarder) and
    # the session call handing on the ClientTimeout variable: not contracts of their own
    assert not lines & {("helpers.py", 10), ("helpers.py", 18), ("helpers.py", 46)}
    # Ledger keeps page_size (no timeout): Ledger(url, 500) is no contract; unused_forwarder is never
    # called with a value; _api_client(path, timeout=None) sets no bound; run() forwards its own timeout
    assert not lines & {("use.py", 10), ("helpers.py", 63), ("use.py", 13)}
