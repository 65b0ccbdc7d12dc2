"""Round-15 rules (held-out opencve, pretalx, maubot, tandoor-recipes), through the pipeline: a `**kwargs`
helper popping its timeout with a default, loops that search a free value on a conflict or walk their input,
socket sentinels, urllib3's `retries=`, a Celery helper handed the task, a recursion bounded in its `else`,
a shutdown wait, Airflow task retries. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("phase") if kind == "timeout" else None,
                   f.attributes[key]) for f in result.findings if f.kind == kind)


def test_kwargs_helper_popping_its_timeout_with_a_default(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "http.py").write_text(
        "import requests\n\n"
        "DEFAULT_TIMEOUT = (5, 30)\n\n\n"
        "def get_one(url, **kwargs):\n"
        "    timeout = kwargs.pop(\"timeout\", DEFAULT_TIMEOUT)\n"
        "    return requests.get(url, timeout=timeout, **kwargs)\n"                 # 8
        "\n\n"
        "def _send(session, method, url, **kwargs):\n"
        "    return session.request(method, url, allow_redirects=False, **kwargs)\n"
        "\n\n"
        "def safe_request(method, url, **kwargs):\n"
        "    timeout = kwargs.pop(\"timeout\", DEFAULT_TIMEOUT)\n"
        "    session = requests.Session()\n"
        "    response = _send(\n"                                                   # 18
        "        session,\n"
        "        method,\n"
        "        url,\n"
        "        timeout=timeout,\n"
        "    )\n"
        "    return response\n"
        "\n\n"
        "def loose(url, **kwargs):\n"
        "    timeout = kwargs.pop(\"timeout\", None)  # ok: no default of its own\n"
        "    return requests.get(url, timeout=timeout)\n")                          # 29
    (app / "use.py").write_text(
        "from app.http import safe_request, get_one\n\n\n"
        "def hook(url):\n"
        "    safe_request(\"POST\", url, timeout=(5, 12))\n"                          # 5
        "    get_one(url, timeout=7)\n"                                               # 6
        "    note = 'safe_request(url, timeout=9)'  # ok: a string\n"
        "    return note\n")
    found = _found(tmp_path, "timeout")
    assert ("http.py", 8, "connect", 5000) in found and ("http.py", 8, "read", 30000) in found
    assert ("http.py", 18, "connect", 5000) in found and ("http.py", 18, "read", 30000) in found
    assert ("use.py", 5, "connect", 5000) in found and ("use.py", 5, "read", 12000) in found
    assert ("use.py", 6, "total", 7000) in found
    assert not any(line == 29 and value is not None for name, line, _, value in found if name == "http.py")
    assert not any(line == 7 for name, line, *_ in found if name == "use.py")


def test_conflict_loops_searching_a_free_value_are_no_retries(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text(
        "from django.db import IntegrityError, transaction\n\n\n"
        "class Coded:\n"
        "    def save(self, *args, **kwargs):\n"
        "        for attempt in range(3):  # ok: a new code each pass\n"
        "            self.assign_code()\n"
        "            try:\n"
        "                with transaction.atomic():\n"
        "                    return super().save(*args, **kwargs)\n"
        "            except IntegrityError:\n"
        "                if attempt == 2:\n"
        "                    raise\n"
        "                setattr(self, 'code', None)\n\n\n"
        "def create_user_with_retry(name, email_base, max_retries=10):\n"
        "    for attempt in range(max_retries):  # ok: another e-mail each pass\n"
        "        try:\n"
        "            email = email_base if attempt == 0 else f'{attempt}{email_base}'\n"
        "            with transaction.atomic():\n"
        "                return create_user(email=email, name=name)\n"
        "        except IntegrityError:\n"
        "            if attempt == max_retries - 1:\n"
        "                raise\n\n\n"
        "def seed():\n"
        "    return create_user_with_retry('a', 'a@x')  # ok: no retry bound to leave out\n\n\n"
        "def save_order(session, order):\n"
        "    for attempt in range(2):\n"                                              # 33
        "        try:\n"
        "            session.add(order)\n"
        "            return session.commit()\n"
        "        except IntegrityError:\n"
        "            session.rollback()\n")
    found = _found(tmp_path, "retry")
    assert found == [("models.py", 33, None, 2)]


def test_handler_moving_the_argument_walks_no_retry(tmp_path: Path) -> None:
    (tmp_path / "walk.py").write_text(
        "import os\nimport time\n\n\n"
        "def archive_root(path):\n"
        "    while True:  # ok: each pass stats the parent\n"
        "        try:\n"
        "            st = os.stat(path)\n"
        "        except (OSError, ValueError):\n"
        "            dirname, basename = os.path.split(path)\n"
        "            if dirname == path:\n"
        "                raise\n"
        "            path = dirname\n"
        "        else:\n"
        "            break\n"
        "    return st\n\n\n"
        "def fetch(client, url):\n"
        "    token = None\n"
        "    for attempt in range(3):\n"                                             # 21
        "        try:\n"
        "            return client.get(url, token)\n"
        "        except PermissionError:\n"
        "            token = client.refresh()  # a fresh credential: still a retry\n"
        "            time.sleep(1)\n\n\n"
        "def save(op):\n"
        "    last = None\n"
        "    for attempt in range(4):\n"  # 31
        "        try:\n"
        "            last = op()\n"
        "            if isinstance(last, int):  # bound in the try itself: no input moved\n"
        "                return last\n"
        "        except ValueError as error:\n"
        "            last = error\n"
        "            time.sleep(1)\n")
    found = _found(tmp_path, "retry")
    assert found == [("walk.py", 21, None, 3), ("walk.py", 31, None, 4)]


def test_socket_sentinel_default_and_urllib3_retries(tmp_path: Path) -> None:
    (tmp_path / "net.py").write_text(
        "import socket\n\nimport urllib3\n\n\n"
        "def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT):\n"
        "    sock = socket.socket()\n"
        "    if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:\n"
        "        sock.settimeout(timeout)  # ok: the caller's value, no setting here\n"
        "    return sock\n\n\n"
        "def probe(sock, timeout=3):\n"
        "    sock.settimeout(timeout)\n"                                              # 14
        "\n\n"
        "def check():\n"
        "    r = urllib3.request('POST', 'https://x.example/', timeout=30, retries=False)\n"  # 18
        "    pool = urllib3.PoolManager(retries=2)\n"                                  # 19
        "    keep = urllib3.PoolManager(retries=urllib3.Retry(3))  # the Retry is read at its own call\n"
        "    return r, pool, keep\n")
    timeouts = _found(tmp_path, "timeout")
    assert ("net.py", 14, "total", 3000) in timeouts
    assert not any(line == 9 for _, line, *_ in timeouts)
    retries = _found(tmp_path, "retry")
    assert ("net.py", 18, None, 1) in retries and ("net.py", 19, None, 3) in retries
    assert [line for _, line, *_ in retries].count(20) == 1


def test_celery_helper_handed_the_task_retries_with_its_own_bound(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(
        "from contextlib import contextmanager\n\n"
        "from celery import shared_task\n"
        "from celery.exceptions import Retry\n\n\n"
        "@contextmanager\n"
        "def retryable_smtp(task):\n"
        "    try:\n"
        "        yield\n"
        "    except OSError:\n"
        "        task.retry(max_retries=5, countdown=2 ** (task.request.retries * 2))\n"  # 12
        "\n\n"
        "@shared_task(bind=True)\n"
        "def send(self, mail):\n"
        "    with retryable_smtp(self):\n"
        "        mail.send()\n\n\n"
        "def unrelated(job):\n"
        "    job.retry(later=True)  # ok: no bound\n")
    found = _found(tmp_path, "retry")
    assert found == [("tasks.py", 12, None, 6)]


def test_recursion_bounded_in_its_else_branch(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(
        "import asyncio\n\n\n"
        "class Client:\n"
        "    async def start(self, try_n=0):\n"
        "        if try_n > 0:\n"
        "            await asyncio.sleep(try_n * 10)\n"
        "        await self._start(try_n)\n\n"
        "    async def _start(self, try_n=0):\n"
        "        try:\n"
        "            await self.api.whoami()\n"
        "        except Exception:\n"
        "            if try_n >= 8:\n"
        "                self.enabled = False\n"
        "            else:\n"
        "                asyncio.create_task(self.start(try_n + 1))\n"                 # 17
        "            return\n\n"
        "    def walk(self, node, depth=0):\n"
        "        if depth >= 8:\n"
        "            return\n"
        "        else:\n"
        "            self.walk(node.child, depth + 1)  # ok: a tree walk, no retry counter\n")
    found = _found(tmp_path, "retry")
    assert found == [("client.py", 17, None, 9)]


def test_wait_for_own_shutdown_is_no_contract(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "import asyncio\n\n\n"
        "class Main:\n"
        "    async def stop(self):\n"
        "        await asyncio.wait_for(self.server.stop(), 5)  # ok: stopping its own server\n"
        "        await asyncio.wait_for(self.client.fetch(), 5)\n")                    # 7
    found = _found(tmp_path, "timeout")
    assert [(name, line) for name, line, *_ in found] == [("main.py", 7)]


def test_airflow_dag_default_args_and_operator_retries(tmp_path: Path) -> None:
    (tmp_path / "sync_dag.py").write_text(
        "from datetime import timedelta\n\n"
        "from airflow import DAG\n"
        "from airflow.decorators import task\n\n\n"
        "@task\n"
        "def sync():\n"
        "    pass\n\n\n"
        "with DAG(\n"                                                               # 12
        "    'sync',\n"
        "    schedule='0 3 * * 1',\n"
        "    default_args={\n"
        "        'retries': 3,\n"
        "        'retry_delay': timedelta(seconds=10),\n"
        "    },\n"
        "    dagrun_timeout=timedelta(hours=2),  # ok: a run's budget, not a try's\n"
        ") as dag:\n"
        "    sync()\n")
    (tmp_path / "plain.py").write_text(
        "default_args = {'retries': 3}  # ok: no airflow here\n"
        "def run(retries=2):\n"
        "    return retries\n")
    assert _found(tmp_path, "retry") == [("sync_dag.py", 12, None, 4)]
    assert _found(tmp_path, "timeout") == []


def test_parameterless_getter_of_the_file_is_read_through(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "notify.py").write_text(
        "import requests\n"
        "from django.conf import settings\n\n"
        "DEFAULT_TRY_TIMEOUT_SEC = 30\n\n\n"
        "def _try_timeout_seconds():\n"
        "    \"\"\"Seconds for a try.\"\"\"\n"
        "    return int(getattr(settings, 'NOTIFICATION_TRY_TIMEOUT', DEFAULT_TRY_TIMEOUT_SEC))\n\n\n"
        "def _scaled(factor):\n"
        "    return factor * 2\n\n\n"
        "def post(url, body):\n"
        "    timeout = _try_timeout_seconds()\n"
        "    requests.post(url, json=body, timeout=timeout)\n"                        # 18
        "    return requests.post(url, json=body, timeout=_scaled(3))  # a getter taking a parameter: unknown\n")  # 19
    found = _found(tmp_path, "timeout")
    assert ("notify.py", 18, "total", 30000) in found
    assert ("notify.py", 19, "total", None) in found
