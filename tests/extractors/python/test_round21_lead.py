"""Round 21 (lead, polyglot18): a retry helper handed the work as a lambda; its rule-(b) retry at the call takes the
destination of the call inside the lambda."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

RETRYING = '''import asyncio

import httpx

DEFAULT_ATTEMPTS = 3


async def call_with_retries(fn, *, attempts: int = DEFAULT_ATTEMPTS):
    for attempt in range(attempts):
        try:
            return await fn()
        except httpx.TransportError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.1)
'''

LEDGER = '''import httpx

from .retrying import call_with_retries

client = httpx.AsyncClient(base_url="http://ledger:7000", timeout=1.5)


async def balance(customer_id):
    response = await call_with_retries(lambda: client.get(f"/v1/balances/{customer_id}"))
    return response.json()


async def local_total(values):
    return await call_with_retries(lambda: sum_async(values))
'''


def _scan(tmp_path: Path) -> list[tuple]:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "risk"\ndependencies = ["httpx"]\n')
    pkg = tmp_path / "risk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "retrying.py").write_text(RETRYING)
    (pkg / "ledger.py").write_text(LEDGER)
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("max_attempts"),
                   f.target.service if f.target else None)
                  for f in result.findings if f.kind == "retry")


def test_rule_b_retry_at_a_lambda_call_takes_the_lambdas_destination(tmp_path):
    found = _scan(tmp_path)
    assert ("ledger.py", 9, "retry", 3, "ledger") in found
    assert ("retrying.py", 9, "retry", 3, None) in found  # rule (a): the helper's own loop


def test_a_lambda_doing_local_work_gives_no_destination(tmp_path):
    found = _scan(tmp_path)
    assert [f for f in found if f[:2] == ("ledger.py", 14)] in ([], [("ledger.py", 14, "retry", 3, None)])


CONFIG = '''from dynaconf import Dynaconf

settings = Dynaconf(envvar_prefix="RISK", settings_files=["settings.toml"])
'''

CLIENT = '''import psycopg2
import requests

from .config import settings


def balance(customer_id):
    return requests.get(f"{settings.LEDGER_URL}/v1/balances/{customer_id}", timeout=settings.LEDGER_TIMEOUT)


def slow(customer_id):
    return requests.get(f"{settings.LEDGER_URL}/v1/slow", timeout=settings.MISSING_TIMEOUT)
'''

REPLICA = '''import psycopg2

from .config import settings


def replica():
    return psycopg2.connect(settings.REPLICA_DSN)


def primary():
    return psycopg2.connect(settings.PRIMARY_DSN)
'''


def _scan_dynaconf(tmp_path: Path) -> list:
    (tmp_path / "requirements.txt").write_text("dynaconf\nrequests\npsycopg2-binary\n")
    (tmp_path / "settings.toml").write_text(
        '[default]\nledger_url = "http://ledger:7000"\nledger_timeout = 2.0\nreplica_dsn = "host=orders-replica"\n')
    pkg = tmp_path / "risk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(CONFIG)
    (pkg / "ledger.py").write_text(CLIENT)
    (pkg / "velocity.py").write_text(REPLICA)
    return scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings


def test_dynaconf_settings_read_with_one_dot_take_the_toml_value_case_blind(tmp_path):
    found = sorted((f.path.rsplit("/", 1)[-1], f.line, f.kind, f.attributes.get("timeout_ms"),
                    f.target.service if f.target else None)
                   for f in _scan_dynaconf(tmp_path) if f.kind == "timeout")
    assert ("ledger.py", 8, "timeout", 2000, "ledger") in found
    # a key the settings file lacks stays without a value
    assert [f[3] for f in found if f[:2] == ("ledger.py", 12)] in ([], [None])


def test_a_driver_connection_to_a_replica_dsn_is_read_even_without_other_tokens(tmp_path):
    replicas = sorted((f.path.rsplit("/", 1)[-1], f.line) for f in _scan_dynaconf(tmp_path) if f.kind == "replica_read")
    assert replicas == [("velocity.py", 7)]


MOUNTED = '''import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=Retry(total=4, backoff_factor=0.2)))

retries = Retry(total=2)
other = requests.Session()
other.mount("https://", HTTPAdapter(max_retries=retries))

both = requests.Session()
both.mount("http://", HTTPAdapter(max_retries=Retry(total=1)))


def balance(customer_id):
    return session.get(f"http://ledger:7000/v1/balances/{customer_id}", timeout=2)


def score():
    return other.post("https://risk.internal/v1/score", timeout=2)


def two_places():
    both.get("http://ledger:7000/v1/x", timeout=2)
    both.get("http://orders:8080/v1/y", timeout=2)
'''


def test_a_mounted_adapters_retries_take_the_sessions_destination(tmp_path):
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "client.py").write_text(MOUNTED)
    retries = sorted((f.line, f.attributes.get("max_attempts"), f.target.service if f.target else None)
                     for f in scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings if f.kind == "retry")
    assert (6, 5, "ledger") in retries
    assert (8, 3, "risk") in retries
    # a session calling two services gives its adapter's retries no destination
    assert (13, 2, None) in retries


def test_a_named_dsn_with_connect_timeout_in_a_settings_file_is_a_connect_timeout(tmp_path):
    (tmp_path / "requirements.txt").write_text("dynaconf\npsycopg2-binary\nsqlalchemy\n")
    (tmp_path / "settings.toml").write_text(
        '[default]\nreplica_dsn = "host=orders-replica dbname=orders connect_timeout=3"\n'
        'primary_dsn = "host=orders-primary dbname=orders"\n'
        'events_url = "postgresql://events-db/events?connect_timeout=7"\n')
    pkg = tmp_path / "risk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(CONFIG)
    (pkg / "db.py").write_text(
        "import psycopg2\nfrom sqlalchemy import create_engine\n\nfrom .config import settings\n\n\n"
        "def replica():\n    return psycopg2.connect(settings.REPLICA_DSN)\n\n\n"
        "def primary():\n    return psycopg2.connect(settings.PRIMARY_DSN)\n\n\n"
        "def unknown(dsn):\n    return psycopg2.connect(dsn)\n\n\n"
        "events = create_engine(settings.EVENTS_URL)\n")
    found = sorted((f.line, f.attributes.get("timeout_ms"), f.attributes.get("phase"))
                   for f in scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache").findings if f.kind == "timeout")
    # the replica's DSN carries connect_timeout=3, the events URL ?connect_timeout=7; the primary's DSN none, and a
    # parameter's DSN cannot be read: no finding for those
    assert found == [(8, 3000, "connect"), (19, 7000, "connect")]
