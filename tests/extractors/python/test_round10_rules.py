"""Round-10 rules through the pipeline (held-out socorro, readthedocs, music-assistant, skyvern): a
retry manager's constructor keeping its attempts in a field that a decorator's loop reads through an
annotated local, a status loop going round on `!=` success, a class-based Celery task, a requests
adapter mixin injecting its timeout with `kwargs.update`, a memcached cache's OPTIONS timeout, Pub/Sub
PublisherOptions, a `while keep_trying:` loop cleared after its try, and a call retried once by
recursion with its retry flag turned off. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def _phases(tmp_path: Path) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes["timeout_ms"], f.attributes.get("phase"))
                  for f in result.findings if f.kind == "timeout")


THROTTLE = (
    "import asyncio\n\n\n"
    "class ThrottlerManager:\n"
    "    def __init__(self, rate_limit, period=1, retry_attempts=5, initial_backoff=5):\n"
    "        self.retry_attempts = retry_attempts\n"
    "        self.initial_backoff = initial_backoff\n\n\n"
    "def throttle_with_retries(func):\n"
    "    async def wrapper(self, *args, **kwargs):\n"
    "        throttler: ThrottlerManager = self.throttler\n"
    "        for attempt in range(throttler.retry_attempts):\n"
    "            try:\n"
    "                return await func(self, *args, **kwargs)\n"
    "            except TimeoutError:\n"
    "                await asyncio.sleep(throttler.initial_backoff)\n"
    "    return wrapper\n"
)


def test_a_field_bounding_a_decorators_loop_is_the_default_of_each_construction(tmp_path: Path) -> None:
    (tmp_path / "throttle.py").write_text(THROTTLE)
    (tmp_path / "providers.py").write_text(
        "from throttle import ThrottlerManager, throttle_with_retries\n\n\n"
        "class Spotify:\n"
        "    throttler = ThrottlerManager(rate_limit=1, period=2)\n\n"
        "    @throttle_with_retries\n"
        "    async def get(self, session, url):\n"
        "        return await session.get(url)\n\n\n"
        "class Tidal:\n"
        "    def __init__(self):\n"
        "        self.throttler = ThrottlerManager(rate_limit=1, retry_attempts=3)\n\n\n"
        "class Other:\n"
        "    def __init__(self, retry_attempts):\n"
        "        self.retry_attempts = retry_attempts  # ok: a field of another class, no loop of its own\n")
    # rule (a) on the loop (the constructor's default), rules (b) and (c) at the constructions
    assert _found(tmp_path, "retry") == [("providers.py", 5, 5), ("providers.py", 14, 3), ("throttle.py", 13, 5)]


def test_an_unannotated_local_of_the_same_name_is_not_the_managers_field(tmp_path: Path) -> None:
    (tmp_path / "throttle.py").write_text(THROTTLE.replace("throttler: ThrottlerManager = self.throttler",
                                                           "throttler = self.throttler"))
    (tmp_path / "providers.py").write_text(
        "from throttle import ThrottlerManager\n\n\n"
        "class Spotify:\n"
        "    throttler = ThrottlerManager(rate_limit=1, period=2)  # ok: nothing says which class the loop reads\n")
    assert _found(tmp_path, "retry") == [("throttle.py", 13, None)]


def test_a_status_loop_going_round_on_anything_but_success(tmp_path: Path) -> None:
    (tmp_path / "auth.py").write_text(
        "import asyncio\n\n\n"
        "async def refresh(session, params):\n"
        "    for _ in range(2):\n"
        "        async with session.post('https://accounts.example.com/api/token', data=params) as response:\n"
        "            if response.status != 200:\n"
        "                await asyncio.sleep(2)\n"
        "                continue\n"
        "            return await response.json()\n\n\n"
        "async def pages(session, urls):\n"
        "    out = []\n"
        "    for url in urls:  # ok: a loop over data, not a retry\n"
        "        async with session.get(url, timeout=5) as response:\n"
        "            if response.status != 200:\n"
        "                continue\n"
        "            out.append(await response.json())\n"
        "            break\n"
        "    return out\n")
    assert _found(tmp_path, "retry") == [("auth.py", 5, 2)]


def test_a_class_based_celery_task_with_autoretry_or_self_retry(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text("BUILDS_MAX_RETRIES = 25\n")
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from celery import Task\n"
        "from django.conf import settings\n\n\n"
        "class ConcurrencyError(Exception):\n"
        "    pass\n\n\n"
        "class UpdateDocsTask(Task):\n"
        "    autoretry_for = (ConcurrencyError,)\n"
        "    max_retries = settings.BUILDS_MAX_RETRIES\n"
        "    default_retry_delay = 300\n\n"
        "    def run(self, url):\n"
        "        return requests.get(url, timeout=5)\n\n\n"
        "class SyncTask(Task):\n"
        "    max_retries = 5  # ok: declared, but nothing ever retries\n"
        "    def run(self, url):\n"
        "        return requests.get(url, timeout=5)\n\n\n"
        "class NotifyTask(Task):\n"
        "    max_retries = 2\n"
        "    def run(self, url):\n"
        "        try:\n"
        "            return requests.post(url, timeout=5)\n"
        "        except requests.ConnectionError as exc:\n"
        "            self.retry(exc=exc)\n\n\n"
        "class Plain:\n"
        "    autoretry_for = (ConcurrencyError,)  # ok: not a task\n"
        "    max_retries = 4\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 12, 26), ("tasks.py", 26, 3)]


def test_a_requests_adapter_mixin_injecting_the_timeout_with_update(tmp_path: Path) -> None:
    (tmp_path / "adapters.py").write_text(
        "from requests.adapters import HTTPAdapter\n\n\n"
        "class TimeoutAdapter:\n"
        "    def send(self, *args, **kwargs):\n"
        "        kwargs.update(\n"
        "            {\n"
        "                'timeout': 5,\n"
        "            }\n"
        "        )\n"
        "        return super().send(*args, **kwargs)\n\n\n"
        "class TimeoutHTTPAdapter(TimeoutAdapter, HTTPAdapter):\n"
        "    pass\n\n\n"
        "class Options:\n"
        "    def build(self, options):\n"
        "        options.update({'timeout': 9})  # ok: not a request's send, not an adapter\n"
        "        return options\n")
    assert _found(tmp_path, "timeout") == [("adapters.py", 6, 5000)]


def test_a_memcached_caches_options_timeout_but_not_the_entry_ttl(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "CACHES = {\n"
        "    'default': {\n"
        "        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',\n"
        "        'TIMEOUT': 500,\n"
        "        'OPTIONS': {\n"
        "            'timeout': 5,\n"
        "            'connect_timeout': 2,\n"
        "        },\n"
        "    },\n"
        "    'other': {\n"
        "        'BACKEND': 'django.core.cache.backends.db.DatabaseCache',\n"
        "        'OPTIONS': {'timeout': 9},\n"
        "    },\n"
        "}\n")
    assert _phases(tmp_path) == [("settings.py", 6, 5000, "read"), ("settings.py", 7, 2000, "connect")]


def test_pubsub_publisher_options_timeout_and_retry_off(tmp_path: Path) -> None:
    (tmp_path / "crashqueue.py").write_text(
        "from google.cloud.pubsub_v1 import PublisherClient\n"
        "from google.cloud.pubsub_v1.types import BatchSettings, PublisherOptions\n\n\n"
        "class CrashQueue:\n"
        "    def __init__(self, project_id, publish_timeout=5):\n"
        "        self.publisher = PublisherClient(\n"
        "            batch_settings=BatchSettings(max_messages=10),\n"
        "            publisher_options=PublisherOptions(retry=None, timeout=publish_timeout),\n"
        "        )\n"
        "        self.other = PublisherOptions(enable_message_ordering=True)  # ok: neither bound\n")
    assert _found(tmp_path, "timeout") == [("crashqueue.py", 9, 5000)]
    assert _found(tmp_path, "retry") == [("crashqueue.py", 9, 1)]


def test_a_while_flag_loop_cleared_after_its_try(tmp_path: Path) -> None:
    (tmp_path / "reprocess.py").write_text(
        "import time\n"
        "from requests.exceptions import ConnectionError, ReadTimeout\n\n\n"
        "def send(session, url, groups):\n"
        "    for group in groups:\n"
        "        keep_trying = True\n"
        "        while keep_trying:\n"
        "            try:\n"
        "                resp = session.post(url, data={'ids': group}, timeout=5)\n"
        "            except (ConnectionError, ReadTimeout):\n"
        "                time.sleep(10)\n"
        "                continue\n"
        "            if resp.status_code == 200:\n"
        "                keep_trying = False\n"
        "                continue\n\n\n"
        "def worker(q, handle):\n"
        "    running = True\n"
        "    while running:  # ok: a worker's loop stopped from elsewhere\n"
        "        msg = q.get()\n"
        "        try:\n"
        "            handle(msg)\n"
        "        except ValueError:\n"
        "            raise\n"
        "        if msg == 'stop':\n"
        "            running = False\n")
    assert _found(tmp_path, "retry") == [("reprocess.py", 8, None)]


def test_a_call_retried_once_by_recursion_with_its_flag_off(tmp_path: Path) -> None:
    (tmp_path / "gw_client.py").write_text(
        "class GWClient:\n"
        "    async def _api_call(self, method, args=None, retry=True):\n"
        "        result = await self.session.request('POST', 'https://example.com/gw', json=args, timeout=30)\n"
        "        data = await result.json()\n"
        "        if data['error']:\n"
        "            if retry:\n"
        "                await self._update_user_data()\n"
        "                return await self._api_call(method, args, False)\n"
        "            raise RuntimeError(data['error'])\n"
        "        return data\n\n"
        "    def walk(self, node, recursive=True):\n"
        "        if recursive:\n"
        "            return self.walk(node.child, False)  # ok: a flag not named for retrying\n"
        "        return node\n")
    assert _found(tmp_path, "retry") == [("gw_client.py", 8, 2)]


def test_a_task_processors_delay_with_args_hands_the_task_its_retry_bound(tmp_path: Path) -> None:
    (tmp_path / "webhooks.py").write_text(
        "import requests\n\n"
        "WEBHOOK_BACKOFF_RETRIES = 3\n\n"
        "def call_webhook(webhook_id, url, send_mail=False, max_retries=WEBHOOK_BACKOFF_RETRIES, try_count=1):\n"
        "    try:\n"
        "        requests.post(url, timeout=10)\n"
        "    except requests.exceptions.RequestException:\n"
        "        if try_count == max_retries:\n"
        "            send_failure_mail(webhook_id)\n"
        "        else:\n"
        "            call_webhook.delay(args=(webhook_id, url, send_mail, max_retries, try_count + 1))\n\n\n"
        "def call_webhooks(hooks, retries=WEBHOOK_BACKOFF_RETRIES):\n"
        "    for hook in hooks:\n"
        "        call_webhook.delay(args=(hook.id, hook.url, True, retries))\n")
    (tmp_path / "events.py").write_text(
        "from webhooks import call_webhooks\n\n\n"
        "def call_environment_webhooks(env):\n"
        "    call_webhooks(env.webhooks, 5)\n\n\n"
        "def call_organisation_webhooks(org):\n"
        "    call_webhooks(org.webhooks)\n\n\n"
        "def queue_report(report):\n"
        "    report.delay(args=(1, 2))  # ok: not a helper of this project, nothing bounded\n")
    # the requeue (once: no second proposal for the task queuing itself), rule (a) on the helper's own
    # hand-over, (c) and (b) at its calls
    assert _found(tmp_path, "retry") == [("events.py", 5, 5), ("events.py", 9, 3), ("webhooks.py", 12, 3),
                                         ("webhooks.py", 17, 3)]


def test_a_defaulted_retry_bound_handed_down_a_helper_chain_is_the_default_of_a_call_leaving_it_out(
        tmp_path: Path) -> None:
    (tmp_path / "webhooks.py").write_text(
        "import requests\n\n"
        "RETRIES = 3\n\n\n"
        "def call_webhook(url, max_retries=RETRIES, try_count=1):\n"
        "    try:\n"
        "        requests.post(url, timeout=10)\n"
        "    except requests.exceptions.RequestException:\n"
        "        if try_count == max_retries:\n"
        "            give_up(url)\n"
        "        else:\n"
        "            call_webhook.delay(args=(url, max_retries, try_count + 1))\n\n\n"
        "def _call_webhooks(hooks, retries=RETRIES):\n"
        "    for hook in hooks:\n"
        "        call_webhook.delay(args=(hook.url, retries))\n\n\n"
        "def call_environment_webhooks(env, data, retries=RETRIES):\n"
        "    _call_webhooks(env.webhooks, retries)\n")
    (tmp_path / "tasks.py").write_text(
        "from webhooks import call_environment_webhooks\n\n\n"
        "def on_flag_change(env, data, page_size=50):\n"
        "    call_environment_webhooks(env, data)\n"
        "    paginate(env, page_size)  # ok: a defaulted parameter that bounds nothing\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 5, 3), ("webhooks.py", 13, 3), ("webhooks.py", 18, 3),
                                         ("webhooks.py", 22, 3)]


def test_a_none_default_handed_into_a_constructor_is_the_constructors_default(tmp_path: Path) -> None:
    (tmp_path / "http_client.py").write_text(
        "import requests\n\n"
        "DEFAULT_TIMEOUT = 600\n\n\n"
        "class ApiClient:\n"
        "    def __init__(self, api_key=None, timeout=None):\n"
        "        self.api_key = api_key\n"
        "        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT\n\n"
        "    def post(self, url, body):\n"
        "        return requests.post(url, json=body, timeout=self.timeout)\n\n\n"
        "def get_default_client(api_key=None, timeout=None):\n"
        "    return ApiClient(api_key=api_key, timeout=timeout)\n\n\n"
        "def get_labelled_client(label=None):\n"
        "    return ApiClient(api_key=label)  # the timeout left out: the default\n")
    (tmp_path / "bot.py").write_text(
        "from http_client import get_default_client\n\n\n"
        "def make(key):\n"
        "    return get_default_client(key)\n\n\n"
        "def make_fast(key):\n"
        "    return get_default_client(key, timeout=5)\n")
    # rule (a) where the helper hands its None on (the constructor's fallback), (b) and (c) at its calls
    assert _found(tmp_path, "timeout") == [("bot.py", 5, 600000), ("bot.py", 9, 5000), ("http_client.py", 12, 600000),
                                           ("http_client.py", 16, 600000), ("http_client.py", 20, 600000)]


def test_a_methods_none_timeout_falling_back_on_the_constructors_field(tmp_path: Path) -> None:
    (tmp_path / "http_client.py").write_text(
        "import requests\n\n"
        "DEFAULT_TIMEOUT = 600\n\n\n"
        "class ApiClient:\n"
        "    def __init__(self, api_base, timeout=None):\n"
        "        self.api_base = api_base\n"
        "        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT\n\n"
        "    def chat_completions(self, payload, timeout=None):\n"
        "        return self._request(path='/chat', payload=payload, timeout=timeout)\n\n"
        "    def _request(self, *, path, payload, timeout, page_size=None):\n"
        "        req_timeout = timeout if timeout is not None else self.timeout\n"
        "        size = page_size if page_size is not None else self.page_size  # ok: not a field with a number\n"
        "        return requests.post(self.api_base + path, json=payload, timeout=req_timeout)\n")
    (tmp_path / "bot.py").write_text(
        "from http_client import ApiClient\n\n\n"
        "class Bot:\n"
        "    def __init__(self, base):\n"
        "        self._http_client = ApiClient(base, timeout=30)\n\n"
        "    def reply(self, payload):\n"
        "        return self._http_client.chat_completions(payload)\n\n"
        "    def reply_fast(self, payload):\n"
        "        return self._http_client.chat_completions(payload, timeout=5)\n")
    # the method's own hand-over (rule a: the field's default), the library call, the construction
    # passing 30 (rule c), and the method's calls (b: the default; c: 5 s)
    assert _found(tmp_path, "timeout") == [("bot.py", 6, 30000), ("bot.py", 9, 600000), ("bot.py", 12, 5000),
                                           ("http_client.py", 12, 600000), ("http_client.py", 17, 600000)]
