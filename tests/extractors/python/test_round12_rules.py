"""Round-12 rules (held-out mavedb-api, e-soh, ckan), through the pipeline: arq's worker settings
(`job_timeout`, `max_tries`, per-job `func(..., timeout=, max_tries=)`), a gRPC options list filled by
`options.append(("grpc.service_config", cfg))` before the channel, and a retry loop counting down
`for i in reversed(range(RETRIES))`. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def _arq(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "from arq.connections import RedisSettings\n"
        "from arq.cron import cron\n"
        "from arq import func\n\n"
        "LONG = 5 * 60 * 60\n\n\n"
        "class ArqWorkerSettings:\n"
        "    functions = [sync, func(export, timeout=600, max_tries=1)]\n"      # 9
        "    cron_jobs = [cron(refresh, hour=20, minute=0, keep_result=120)]\n"  # 10: ok, retention
        "    redis_settings = RedisSettings(host='redis')\n"
        "    job_timeout = LONG  # Keep jobs alive for a long while...\n"       # 12
        "    max_tries = 3\n"                                                   # 13
        "    keep_result = 3600\n"                                              # ok
        "    poll_delay = 0.5\n\n\n"                                            # ok
        "class Other:\n"
        "    job_timeout = 60  # ok: not a worker settings class\n")
    (tmp_path / "plain.py").write_text(
        "class WorkerSettings:  # ok: this file does not use arq\n"
        "    functions = []\n"
        "    job_timeout = 60\n"
        "    max_tries = 2\n")


def test_arq_worker_settings_job_timeout_and_per_function_timeout(tmp_path: Path) -> None:
    _arq(tmp_path)
    assert _found(tmp_path, "timeout") == [("settings.py", 9, 600000), ("settings.py", 12, 18000000)]


def test_arq_max_tries_counts_every_run(tmp_path: Path) -> None:
    _arq(tmp_path)
    assert _found(tmp_path, "retry") == [("settings.py", 9, 1), ("settings.py", 13, 3)]


def test_grpc_service_config_appended_to_the_options_list(tmp_path: Path) -> None:
    (tmp_path / "putter.py").write_text(
        "import json\n"
        "import os\n"
        "import grpc\n\n\n"
        "def get_grpc_stub():\n"
        "    options = []\n"
        "    grpc_config = json.dumps(\n"
        "        {\n"
        "            'methodConfig': [\n"
        "                {\n"
        "                    'name': [{}],\n"
        "                    'retryPolicy': {\n"
        "                        'maxAttempts': 5,\n"                          # 14
        "                        'retryableStatusCodes': ['UNAVAILABLE'],\n"
        "                    },\n"
        "                }\n"
        "            ]\n"
        "        }\n"
        "    )\n"
        "    options.append(('grpc.enable_retries', 1))\n"
        "    options.append(('grpc.service_config', grpc_config))\n"
        "    return grpc.aio.insecure_channel(os.getenv('DSHOST', 'store') + ':50050', options=options)\n\n\n"
        "def later():\n"
        "    opts = []\n"
        "    channel = grpc.insecure_channel('x:1', options=opts)\n"
        "    opts.append(('grpc.service_config', json.dumps({'methodConfig': [{'retryPolicy': {'maxAttempts': 9}}]})))  # ok: after\n"
        "    return channel\n")
    assert _found(tmp_path, "retry") == [("putter.py", 14, 5)]


def test_a_retry_loop_counting_down_with_reversed_range(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(
        "from time import sleep\n"
        "import sqlalchemy.exc\n"
        "from sqlalchemy import Table\n\n"
        "DB_CONNECT_RETRIES: int = 10\n\n\n"
        "def init_model(engine, meta):\n"
        "    for i in reversed(range(DB_CONNECT_RETRIES)):\n"                  # 9
        "        try:\n"
        "            Table('alembic_version', meta.metadata, autoload_with=engine)\n"
        "        except sqlalchemy.exc.NoSuchTableError:\n"
        "            break\n"
        "        except sqlalchemy.exc.OperationalError as e:\n"
        "            if 'database system is starting up' in repr(e.orig) and i:\n"
        "                sleep(DB_CONNECT_RETRIES - i)\n"
        "                continue\n"
        "            raise\n"
        "        else:\n"
        "            break\n\n\n"
        "def undo(steps):\n"
        "    for i in reversed(range(len(steps))):  # ok: walking a list backwards, no retry\n"
        "        steps[i].undo()\n\n\n"
        "def newest(items):\n"
        "    for item in reversed(items):  # ok: data, not attempts\n"
        "        try:\n"
        "            return item.load()\n"
        "        except KeyError:\n"
        "            continue\n")
    assert _found(tmp_path, "retry") == [("model.py", 9, 10)]


def test_a_celery_task_base_class_retrying_its_own_instance_made_in_new(tmp_path: Path) -> None:
    # round-11 request (warehouse): `obj = super().__new__(cls)` wraps every subclass's run and
    # `raise obj.retry(exc=exc)` on retryable errors: Celery's default max_retries (3): 4 attempts
    (tmp_path / "tasks.py").write_text(
        "import functools\n"
        "import celery\n\n\n"
        "class BaseTask(celery.Task):\n"
        "    def __new__(cls, *args, **kwargs):\n"
        "        obj = super().__new__(cls, *args, **kwargs)\n\n"
        "        @functools.wraps(obj.run)\n"
        "        def run(*a, **kw):\n"
        "            try:\n"
        "                return obj._original_run(*a, **kw)\n"
        "            except ConnectionError as exc:\n"
        "                raise obj.retry(exc=exc)\n"                                # 14
        "        obj._original_run, obj.run = obj.run, run\n"
        "        return obj\n\n\n"
        "class Mailer(celery.Task):\n"
        "    def run(self, client):\n"
        "        job = client.jobs.get('x')\n"
        "        job.retry()  # ok: another object's retry (an API job), not the task's\n\n\n"
        "class Plain:\n"
        "    def __new__(cls):\n"
        "        obj = super().__new__(cls)\n"
        "        obj.retry()  # ok: not a Celery task\n"
        "        return obj\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 14, 4)]


def test_aioapns_connection_attempts_set_on_the_pool_after_construction(tmp_path: Path) -> None:
    # round-11 request (sygnal): aioapns counts additional connection attempts
    (tmp_path / "apns.py").write_text(
        "import aioapns\n"
        "from aioapns import APNs\n\n\n"
        "class Pushkin:\n"
        "    def setup(self, certfile):\n"
        "        self.apns_client = APNs(client_cert=certfile, max_connection_attempts=0)\n"  # 7
        "        self.apns_client.pool.max_connection_attempts = 3\n")                     # 8
    (tmp_path / "other.py").write_text(
        "class Pool:\n"
        "    def setup(self):\n"
        "        self.pool.max_connection_attempts = 3  # ok: no aioapns in this file\n")
    assert _found(tmp_path, "retry") == [("apns.py", 7, 1), ("apns.py", 8, 4)]


def test_everett_component_config_reads_the_options_default(tmp_path: Path) -> None:
    # round 12 (antenna): `self.config("timeout")` in a component declaring `class Config: timeout = Option(default="5")`
    (tmp_path / "publish.py").write_text(
        "import requests\n"
        "from everett.manager import Option\n"
        "from google.cloud.pubsub_v1.types import PublisherOptions\n\n\n"
        "class Base:\n"
        "    class Config:\n"
        "        upload_timeout = Option(default='30', parser=float)\n\n\n"
        "class Publisher(Base):\n"
        "    class Config:\n"
        "        timeout = Option(default='5', parser=float, doc='rpc timeout')\n"
        "        url = Option(doc='no default')\n\n"
        "    def __init__(self, config):\n"
        "        self.config = config.with_options(self)\n\n"
        "    def send(self, body):\n"
        "        return requests.post(self.config('url'), data=body, timeout=self.config('timeout'))\n\n"  # 20
        "    def upload(self, body):\n"
        "        return requests.put('https://x.example', data=body, timeout=self.config('upload_timeout'))\n\n"  # 23: the base's Config
        "    def other(self, body):\n"
        "        return requests.put('https://x.example', data=body, timeout=self.config('missing'))\n\n\n"  # 26: none declared
        "class Plain:\n"
        "    def send(self, body):\n"
        "        return requests.post('https://y.example', data=body, timeout=self.config('timeout'))\n")  # 31
    assert _found(tmp_path, "timeout") == [("publish.py", 20, 5000), ("publish.py", 23, 30000), ("publish.py", 26, None),
                                           ("publish.py", 31, None)]


def test_a_call_made_once_more_when_its_result_says_so(tmp_path: Path) -> None:
    # round 12 (fx-private-relay): the same call, same arguments, in the branch testing its result
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "subs.py").write_text(
        "from svc.fxa import get_subscription_data\n\n\n"
        "def dates(account):\n"
        "    data = get_subscription_data(account)\n"                            # 5
        "    if 'refreshed' in data.keys():\n"
        "        account.refresh_from_db()\n"
        "        data = get_subscription_data(account)\n"
        "    return data\n\n\n"
        "def pages(client, url):\n"
        "    page = client.fetch(url)\n"
        "    if page.next:\n"
        "        page = client.fetch(page.next)  # ok: another request (the next page)\n"
        "    return page\n\n\n"
        "def flagged(flag, a):\n"
        "    x = load(a)\n"
        "    if flag:\n"
        "        x = load(a)  # ok: the branch does not test the result\n"
        "    return x\n\n\n"
        "def changed(notifier, flip):\n"
        "    error = notifier.notify(flip)\n"
        "    if error == 'no-op':\n"
        "        flip.new_status = 'up'\n"
        "        error = notifier.notify(flip)  # ok: the argument changed first, another request\n"
        "    return error\n\n\n"
        "def joined(folder, name):\n"
        "    import os\n"
        "    path = os.path.join(folder, name)\n"
        "    if len(path) > 100:\n"
        "        path = os.path.join(folder, name)  # ok: a library function, no service\n"
        "    return path\n\n\n"
        "def cached(cache, key):\n"
        "    token = cache.get(key)\n"
        "    if token is None:\n"
        "        token = cache.get(key)  # ok: a lookup, not a call of a service\n"
        "    return token\n")
    assert _found(tmp_path, "retry") == [("subs.py", 5, 2)]
