"""A Timeout object built into a variable takes the destination of the calls it bounds."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan
from extractors.python.extractor import EXTRACTOR


def _timeouts(source: str):
    result = EXTRACTOR.extract("app/client.py", source.encode())
    return sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"),
                   f.target.service or f.target.url if f.target else None)
                  for f in result.findings if f.kind == "timeout")


def test_a_client_timeout_variable_takes_the_target_of_the_call_it_bounds() -> None:
    source = (
        "import aiohttp\n"
        "\n"
        "async def features(session, txn):\n"
        "    timeout = aiohttp.ClientTimeout(total=2.5, sock_connect=1)\n"
        "    async with session.post('http://ml-scoring:9000/features', json=txn, timeout=timeout) as resp:\n"
        "        return await resp.json()\n")
    assert _timeouts(source) == [(4, "connect", 1000, "http://ml-scoring:9000/features"),
                                 (4, "total", 2500, "http://ml-scoring:9000/features")]


def test_a_timeout_variable_shared_by_calls_to_different_places_has_no_single_target() -> None:
    source = (
        "import httpx\n"
        "\n"
        "def sync(client):\n"
        "    timeout = httpx.Timeout(3.0)\n"
        "    client.get('http://ledger:8000/balances', timeout=timeout)\n"
        "    client.get('http://fx-rates:8080/rates', timeout=timeout)\n")
    assert _timeouts(source) == [(4, "total", 3000, None)]


# --- a session made without base_url takes the destination of the calls made through it (round 20, lead) ---

SESSION = (
    "import aiohttp\n"
    "from aiohttp_retry import ExponentialRetry, RetryClient\n"
    "\n"
    "async def credit_file(customer_id):\n"
    "    timeout = aiohttp.ClientTimeout(total=2.5)\n"
    "    async with {ctor}(timeout=timeout) as client:\n"
    "        async with client.get(f'http://bureau:9000/v2/files/{{customer_id}}') as response:\n"
    "            return await response.json()\n")


def test_a_session_timeout_variable_takes_the_target_of_the_sessions_calls() -> None:
    assert _timeouts(SESSION.format(ctor="aiohttp.ClientSession")) == [
        (5, "total", 2500, "http://bureau:9000/v2/files/{customer_id}")]


def test_aiohttp_retry_client_is_an_aiohttp_session(tmp_path: Path) -> None:
    # no second, valueless finding at the RetryClient line: its timeout= is the ClientTimeout above
    (tmp_path / "requirements.txt").write_text("aiohttp\naiohttp-retry\n")
    (tmp_path / "bureau.py").write_text(SESSION.format(ctor="RetryClient").replace(
        "(timeout=timeout)", "(retry_options=ExponentialRetry(attempts=4), timeout=timeout)"))
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.kind, f.line, f.attributes.get("timeout_ms") or f.attributes.get("max_attempts"),
                  f.target.service if f.target and f.kind == "timeout" else None)
                 for f in result.findings if f.kind in ("timeout", "retry"))
    assert got == [("retry", 6, 4, None), ("timeout", 5, 2500, "bureau")]


def test_a_session_timeout_given_inline_takes_the_target_of_the_sessions_calls() -> None:
    source = SESSION.replace("timeout = aiohttp.ClientTimeout(total=2.5)\n", "").replace(
        "(timeout=timeout)", "(timeout=aiohttp.ClientTimeout(total=3))").format(ctor="aiohttp.ClientSession")
    assert _timeouts(source) == [(5, "total", 3000, "http://bureau:9000/v2/files/{customer_id}")]


def test_a_session_whose_calls_go_to_two_places_gives_its_timeout_no_target() -> None:
    source = SESSION.format(ctor="aiohttp.ClientSession").replace(
        "            return await response.json()\n",
        "            pass\n        async with client.get('http://ledger:8000/balances') as other:\n"
        "            return await other.json()\n")
    assert _timeouts(source) == [(5, "total", 2500, None)]


def test_the_word_timeout_in_a_string_near_a_session_is_no_finding() -> None:
    source = ("import aiohttp\n\nasync def f():\n    note = 'timeout=3 is set by the gateway'\n"
              "    async with aiohttp.ClientSession() as s:\n        await s.get('http://bureau:9000/x', timeout=4)\n")
    assert [t[:3] for t in _timeouts(source)] == [(6, "total", 4000)]
