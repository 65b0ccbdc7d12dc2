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
