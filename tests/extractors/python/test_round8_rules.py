"""Round-8 rules through the pipeline: a constructor's own retry bound published for its callers,
rule (a) (a helper's line handing on a defaulted timeout is a contract, one handing on a parameter
without a default is not), timeout- and bound-named positionals, a library retry option reached
through a helper's defaulted parameter, and the calls that leave it out."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

HTTP = '''\
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class HttpClient:
    def __init__(self, retries=3, timeout=10):
        self.session = requests.Session()
        retry = Retry(total=retries, backoff_factor=0.3)
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.timeout = timeout

    def get_json(self, url):
        return self.session.get(url, timeout=self.timeout).json()

    def download(self, url, timeout=None):
        return self.session.get(url, timeout=timeout or self.timeout)


def fetch(url, timeout=5):
    return requests.get(url, timeout=timeout)


def fetch_raw(url, timeout):
    return requests.get(url, timeout=timeout)
'''

DIRECTORY = '''\
import ldap3


class Directory:
    @classmethod
    def pool(cls, urls, timeout, rounds=2):
        pool = ldap3.ServerPool(None, ldap3.ROUND_ROBIN, active=rounds)
        for url in urls:
            pool.add(ldap3.Server(url, connect_timeout=float(timeout)))
        return pool
'''

CALLERS = '''\
from app import settings
from app.http import HttpClient, fetch, fetch_raw
from app.directory import Directory


class Adapter:
    def __init__(self, cfg):
        self.client = HttpClient()
        self.slow = HttpClient(timeout=20)
        self.timeout = cfg.get("timeout", 7)

    def pull(self, url):
        return self.client.download(url, timeout=30)

    def pools(self, urls, conn_timeout):
        Directory.pool(urls, self.timeout)
        return Directory.pool(urls, conn_timeout)


def run(url, api_retries):
    fetch(url)
    fetch_raw(url, 4)
    HttpClient(api_retries)
    return HttpClient(settings.api_retries)
'''


def _scan(tmp_path: Path) -> set[tuple]:
    app = tmp_path / "svc" / "app"
    app.mkdir(parents=True)
    (tmp_path / "svc" / "pyproject.toml").write_text('[project]\nname = "svc"\n')
    for name, text in {"__init__.py": "", "http.py": HTTP, "directory.py": DIRECTORY, "use.py": CALLERS}.items():
        (app / name).write_text(text)
    result = scan(tmp_path / "svc", jobs=1, cache_dir=tmp_path / ".cache")
    return {(f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms", f.attributes.get("max_attempts")))
            for f in result.findings if f.kind in ("timeout", "retry")}


def test_constructor_bounds_defaults_and_named_positionals(tmp_path: Path) -> None:
    got = _scan(tmp_path)
    expected = {
        ("http.py", 9, "retry", 4),  # the constructor's own Retry(total=retries=3): rule (a)
        ("http.py", 14, "timeout", 10000),  # a field kept from timeout=10
        ("http.py", 17, "timeout", 10000),  # `timeout or self.timeout` with timeout=None: the fallback
        ("http.py", 21, "timeout", 5000),  # rule (a): fetch hands on its defaulted timeout=5
        ("directory.py", 7, "retry", 2),  # ldap3 ServerPool(active=rounds), rounds=2: rule (a)
        ("use.py", 8, "timeout", 10000), ("use.py", 8, "retry", 4),  # HttpClient(): both defaults left out
        ("use.py", 9, "timeout", 20000), ("use.py", 9, "retry", 4),  # timeout given, the bound left out
        ("use.py", 13, "timeout", 30000),  # download(url, timeout=30)
        ("use.py", 16, "timeout", 7000), ("use.py", 16, "retry", 2),  # a timeout-named positional; rounds left out
        ("use.py", 21, "timeout", 5000),  # fetch(url): the default
        ("use.py", 22, "timeout", 4000),  # fetch_raw(url, 4)
        ("use.py", 24, "retry", None),  # a bound-named positional (value unknown here)
        ("use.py", 24, "timeout", 10000),  # ... the timeout left out
    }
    assert expected <= got
    # forwarders of a parameter without a default: fetch_raw's requests.get, the pool's
    # ldap3.Server(connect_timeout=float(timeout)); a call forwarding its own parameter
    assert not {t for t in got if t[:2] in {("http.py", 25), ("directory.py", 9)}}
    assert not {t for t in got if t[:3] == ("use.py", 17, "timeout")}
    assert not {t for t in got if t[:3] == ("use.py", 23, "retry")}  # HttpClient(api_retries): run's own parameter
