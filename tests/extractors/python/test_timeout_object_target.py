"""A Timeout object built into a variable takes the destination of the calls it bounds."""

from __future__ import annotations

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
