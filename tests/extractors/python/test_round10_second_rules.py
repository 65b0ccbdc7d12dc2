"""Round-10 rules of the second wave (held-out bitcart, grafana-oncall, tecken), through the pipeline:
a project's own wrapper of Celery's shared_task (`@shared_dedicated_queue_retry_task(autoretry_for=...,
max_retries=...)`), settings dicts merged with `|` (`DATABASE_OPTIONS | {"connect_timeout": 1}`),
django-redis's BlockingConnectionPool wait, Celery's broker transport `max_retries`, a `getenv_integer`
env helper and everett's `_config(..., default="5", parser=int)`, web3's `request_kwargs` timeout,
and redis-py's `socket_timeout=None` written out. Each with its traps."""

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


def test_a_projects_shared_task_wrapper_with_celery_keywords_is_a_celery_task(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from django.conf import settings\n"
        "from common.custom_celery_tasks import shared_dedicated_queue_retry_task\n\n\n"
        "@shared_dedicated_queue_retry_task(\n"
        "    autoretry_for=(Exception,), retry_backoff=True, max_retries=1 if settings.DEBUG else 5\n"
        ")\n"
        "def relay(token, data):\n"
        "    requests.post('https://fcm.example/send', json=data, timeout=5)\n\n\n"
        "@shared_dedicated_queue_retry_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=0)\n"
        "def sync_once():\n"
        "    requests.post('https://proxy.example/sync', timeout=5)\n\n\n"
        "@shared_dedicated_queue_retry_task(autoretry_for=(Exception,), max_retries=None)\n"
        "def forever():\n"
        "    requests.post('https://proxy.example/ping', timeout=5)\n\n\n"
        "@register_task(retry_count=3)  # ok: no Celery keyword, a project decorator of its own\n"
        "def other():\n"
        "    requests.post('https://proxy.example/x', timeout=5)\n\n\n"
        "@cache_task(max_retries=3)  # ok: no autoretry_for and no bind: nothing says Celery\n"
        "def cached():\n"
        "    pass\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 6, 6), ("tasks.py", 13, 1), ("tasks.py", 18, None)]


def test_a_bound_shared_task_wrapper_with_max_retries_and_self_retry(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from common.custom_celery_tasks import shared_dedicated_queue_retry_task\n\n\n"
        "@shared_dedicated_queue_retry_task(bind=True, max_retries=4)\n"
        "def deliver(self, url):\n"
        "    try:\n"
        "        requests.post(url, timeout=5)\n"
        "    except requests.Timeout as exc:\n"
        "        raise self.retry(exc=exc, countdown=10)\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 5, 5)]


def test_settings_dicts_merged_with_a_literal_are_read(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "DATABASE_OPTIONS = {}\n"
        "REDIS_SSL_CONFIG = {}\n"
        "DATABASE_CONFIGS = {\n"
        "    'mysql': {\n"
        "        'ENGINE': 'django.db.backends.mysql',\n"
        "        'OPTIONS': DATABASE_OPTIONS\n"
        "        | {\n"
        "            'charset': 'utf8mb4',\n"
        "            'connect_timeout': 1,\n"
        "        },\n"
        "    },\n"
        "}\n"
        "CACHES = {\n"
        "    'default': {\n"
        "        'BACKEND': 'django_redis.cache.RedisCache',\n"
        "        'TIMEOUT': 300,\n"
        "        'OPTIONS': {\n"
        "            'CONNECTION_POOL_CLASS': 'redis.BlockingConnectionPool',\n"
        "            'CONNECTION_POOL_CLASS_KWARGS': REDIS_SSL_CONFIG | {'max_connections': 50, 'timeout': 20},\n"
        "        },\n"
        "    },\n"
        "}\n"
        "OTHER_CACHES = {\n"
        "    'default': {\n"
        "        'OPTIONS': {\n"
        "            'CONNECTION_POOL_CLASS': 'redis.ConnectionPool',\n"
        "            'CONNECTION_POOL_CLASS_KWARGS': {'timeout': 20},  # ok: no blocking pool, no wait\n"
        "        },\n"
        "    },\n"
        "}\n"
        "FLAGS = DATABASE_OPTIONS | {'timeout': 3}  # ok: a plain timeout key of no client\n")
    assert _phases(tmp_path) == [("settings.py", 9, 1000, "connect"), ("settings.py", 19, 20000, "connect")]


def test_celery_broker_transport_max_retries_is_a_publish_retry(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "CELERY_BROKER_URL = 'amqp://rabbit'\n"
        "CELERY_BROKER_TRANSPORT_OPTIONS = {'max_retries': 3, 'interval_start': 0, 'interval_step': 0.2}\n"
        "RETRY_OPTIONS = {'max_retries': 5}  # ok: not Celery's publishing setting\n")
    (tmp_path / "other.py").write_text(
        "broker_transport_options = {'max_retries': 2}  # ok: not a Celery config module (no broker address set here)\n")
    assert _found(tmp_path, "retry") == [("settings.py", 2, 4)]


def test_getenv_integer_and_everett_config_defaults_are_values(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "from everett.manager import ConfigManager\n"
        "from common.utils import getenv_integer\n"
        "_config = ConfigManager.basic_config()\n"
        "OUTGOING_WEBHOOK_TIMEOUT = getenv_integer('OUTGOING_WEBHOOK_TIMEOUT', default=4)\n"
        "STORAGE_READ_TIMEOUT = _config('STORAGE_READ_TIMEOUT', default='7', parser=int, doc='seconds')\n"
        "SECRET = _config('SECRET_KEY', doc='no default')\n")
    (tmp_path / "client.py").write_text(
        "import requests\n"
        "from django.conf import settings\n\n\n"
        "def send(url):\n"
        "    return requests.post(url, timeout=settings.OUTGOING_WEBHOOK_TIMEOUT)\n\n\n"
        "def read(url):\n"
        "    return requests.get(url, timeout=settings.STORAGE_READ_TIMEOUT)\n")
    assert _found(tmp_path, "timeout") == [("client.py", 6, 4000), ("client.py", 10, 7000)]


def test_web3_request_kwargs_timeout(tmp_path: Path) -> None:
    (tmp_path / "eth.py").write_text(
        "from web3 import AsyncWeb3\n\n\n"
        "class Provider(AsyncWeb3.AsyncHTTPProvider):\n"
        "    pass\n\n\n"
        "def make(server):\n"
        "    return Provider(\n"
        "        server,\n"
        "        request_kwargs={'timeout': 5 * 60, 'headers': {}},\n"
        "    )\n\n\n"
        "def other(server):\n"
        "    return Provider(server, request_kwargs={'headers': {'timeout': '10s'}})  # ok: a header, no timeout key\n")
    assert _found(tmp_path, "timeout") == [("eth.py", 9, 300000)]


def test_redis_socket_timeout_none_written_out_is_not_a_bound(tmp_path: Path) -> None:
    (tmp_path / "cache.py").write_text(
        "import redis.asyncio as _async_redis\n\n\n"
        "def make(url):\n"
        "    return _async_redis.Redis.from_url(url, socket_timeout=None, socket_connect_timeout=None)\n\n\n"
        "def bounded(url):\n"
        "    return _async_redis.Redis.from_url(url, socket_timeout=5)\n")
    assert _phases(tmp_path) == [("cache.py", 9, 5000, "read")]


def test_a_task_requeuing_itself_while_its_counter_is_below_a_bound(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from celery import shared_task\n\n"
        "EXECUTE_WEBHOOK_RETRIES = 3\n\n\n"
        "@shared_task\n"
        "def execute_webhook(webhook_pk, manual_retry_num=0):\n"
        "    try:\n"
        "        requests.post('https://hooks.example', timeout=4)\n"
        "        exception = None\n"
        "    except requests.Timeout as e:\n"
        "        exception = e\n"
        "    if isinstance(exception, requests.Timeout):\n"
        "        if manual_retry_num < EXECUTE_WEBHOOK_RETRIES:\n"
        "            retry_num = manual_retry_num + 1\n"
        "            execute_webhook.apply_async((webhook_pk,), kwargs={'manual_retry_num': retry_num}, countdown=10)\n\n\n"
        "@shared_task\n"
        "def crawl(page=0):\n"
        "    requests.get('https://api.example/items', params={'page': page}, timeout=4)\n"
        "    if page < 10:\n"
        "        next_page = page + 1\n"
        "        crawl.delay(next_page)  # ok: pagination, no retry counter\n\n\n"
        "@shared_task\n"
        "def notify(retry_num=0):\n"
        "    if retry_num < 3:\n"
        "        other_task.delay(retry_num + 1)  # ok: another task, not this one again\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 17, 4)]
