"""A timeout handed to a project's request function in another file: proposed at the call,
kept (and valued) only when the callee's file says that parameter is a timeout."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def test_calls_of_another_files_request_function_carry_their_timeouts(tmp_path: Path) -> None:
    app = tmp_path / "checkout" / "app"
    app.mkdir(parents=True)
    (tmp_path / "checkout" / "pyproject.toml").write_text('[project]\nname = "checkout"\n')
    (app / "__init__.py").write_text("")
    (app / "http.py").write_text(
        "import requests\n\n\n"
        "def post_json(url, body, timeout=5):\n"
        "    return requests.post(url, json=body, timeout=timeout)\n\n\n"
        "def get_page(url, page, size=50):\n"
        "    return requests.get(url, params={'page': page, 'size': size}, timeout=3)\n")
    (app / "checkout.py").write_text(
        "from app.http import post_json, get_page\n"
        "from app import http\n\n"
        "RISK_TIMEOUT = 0.5\n\n\n"
        "def score(cart):\n"
        "    return post_json('http://risk:8000/score', cart, RISK_TIMEOUT)\n\n\n"
        "def quote(cart):\n"
        "    return http.post_json('http://pricing:8000/quote', cart, timeout=2)\n\n\n"
        "def orders():\n"
        "    return get_page('http://orders:8000/orders', 2, size=100)\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"], f.detector)
                 for f in result.findings if f.kind == "timeout")
    assert got == [
        ("checkout.py", 8, 500, "python.wrapper_timeout"),
        ("checkout.py", 12, 2000, "python.wrapper_timeout"),
        ("http.py", 5, 5000, "python.requests"),
        ("http.py", 9, 3000, "python.requests"),
    ]  # get_page's page/size are not timeouts: those proposals were dropped; post_json's own
    # requests.post(timeout=timeout) hands on its defaulted parameter: a default set in code (rule a)


def test_a_call_of_this_files_retrying_function_hands_it_its_bound(tmp_path: Path) -> None:
    (tmp_path / "apps.py").write_text(
        "import requests\n\n\n"
        "def fetch_manifest(url, timeout=5, max_retries=0):\n"
        "    for attempt in range(max_retries):\n"
        "        try:\n"
        "            return requests.get(url, timeout=timeout)\n"
        "        except requests.ConnectionError:\n"
        "            pass\n"
        "    return requests.get(url, timeout=timeout)\n\n\n"
        "def install(url):\n"
        "    return fetch_manifest(url, max_retries=2)\n\n\n"
        "def preview(url):\n"
        "    return fetch_manifest(url, 3)\n\n\n"
        "def reinstall(url, retries):\n"
        "    return fetch_manifest(url, max_retries=retries)\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.attributes["max_attempts"], f.detector) for f in result.findings if f.kind == "retry")
    assert got == [
        (5, 1, "python.retry_loop"),  # the helper's own default: max_retries=0, one try
        (14, 3, "python.wrapper_timeout"),  # max_retries=2: two retries after the first try
        (18, 1, "python.wrapper_timeout"),  # rule (b): preview leaves max_retries out: the default, one try
    ]  # preview's 3 is the timeout (position 1), reinstall forwards its own parameter: not proposed


def test_a_subclass_handing_its_library_base_a_retry_bound_publishes_it_for_its_callers(tmp_path: Path) -> None:
    pkg = tmp_path / "bot"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "gecko.py").write_text(
        "from pycoingecko import CoinGeckoAPI\n\n\n"
        "class GeckoApi(CoinGeckoAPI):\n"
        "    def __init__(self, api_key='', *, retries=5):\n"
        "        super().__init__(retries=retries)\n"
        "        self.api_key = api_key\n")
    (pkg / "prices.py").write_text(
        "from bot.gecko import GeckoApi\n\n\n"
        "def fiat(key):\n"
        "    return GeckoApi(api_key=key, retries=1)\n\n\n"
        "def caps(key):\n"
        "    return GeckoApi(api_key=key)\n\n\n"
        "def other(key, retries):\n"
        "    return GeckoApi(api_key=key, retries=retries)\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["max_attempts"])
                 for f in result.findings if f.kind == "retry")
    assert got == [
        ("gecko.py", 6, 6),  # rule (a): super().__init__(retries=retries) hands on the default 5
        ("prices.py", 5, 2),  # retries=1
        ("prices.py", 9, 6),  # left out: the default
    ]  # other() forwards its own parameter: read where it is called


def test_a_task_queued_with_delay_or_apply_async_is_a_call_of_the_task_function(tmp_path: Path) -> None:
    app = tmp_path / "hooks" / "app"
    app.mkdir(parents=True)
    (tmp_path / "hooks" / "pyproject.toml").write_text('[project]\nname = "hooks"\n')
    (app / "__init__.py").write_text("")
    (app / "tasks.py").write_text(
        "import requests\nfrom celery import shared_task\n\n\n"
        "@shared_task\n"
        "def send_webhook(url, body, max_retries=3, timeout=10):\n"
        "    for attempt in range(max_retries):\n"
        "        try:\n"
        "            return requests.post(url, json=body, timeout=timeout)\n"
        "        except requests.RequestException:\n"
        "            continue\n")
    (app / "views.py").write_text(
        "from app.tasks import send_webhook\n\n\n"
        "def on_order(order, hook_args):\n"
        "    send_webhook.delay('http://crm:8000/hook', order, 5)\n"
        "    send_webhook.apply_async(args=('http://crm:8000/hook', order), kwargs={'max_retries': 2}, countdown=10)\n"
        "    send_webhook.apply_async(args=hook_args)\n"
        "    order.delay(3)  # ok: a method of no task\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.kind, f.attributes.get("max_attempts") or f.attributes.get("timeout_ms"))
                 for f in result.findings if f.path == "hooks/app/views.py" and f.kind in ("retry", "timeout"))
    # .delay(..., 5): five tries and the timeout default; apply_async with max_retries 2: two tries
    # and the default; args built elsewhere: the defaults cannot be told apart from a value given
    assert got == [(5, "retry", 5), (5, "timeout", 10000), (6, "retry", 2), (6, "timeout", 10000)]


def test_a_helper_handing_its_defaulted_retry_bound_to_another_helper_is_a_retry_with_that_default(tmp_path: Path) -> None:
    app = tmp_path / "sync" / "app"
    app.mkdir(parents=True)
    (tmp_path / "sync" / "pyproject.toml").write_text('[project]\nname = "sync"\n')
    (app / "__init__.py").write_text("")
    (app / "fetch.py").write_text(
        "import requests\n\n\n"
        "def fetch_all(url, retries=3):\n"
        "    for attempt in range(retries):\n"
        "        try:\n"
        "            return requests.get(url, timeout=2)\n"
        "        except requests.RequestException:\n"
        "            continue\n")
    (app / "jobs.py").write_text(
        "from app.fetch import fetch_all\n\n"
        "MAX_RETRIES = 5\n\n\n"
        "def sync(url, retries=MAX_RETRIES):\n"
        "    return fetch_all(url, retries)\n\n\n"
        "def resync(url, retries):\n"
        "    return fetch_all(url, retries)  # ok: no default, its callers decide\n")
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    got = sorted((f.line, f.attributes.get("max_attempts")) for f in result.findings
                 if f.path == "sync/app/jobs.py" and f.kind == "retry")
    assert got == [(7, 5)]  # rule (a) through the chain: sync's own default, five tries
