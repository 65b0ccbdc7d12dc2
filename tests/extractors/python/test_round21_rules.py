"""Round-21 rules (held-out linkding, bugbug, ha-supervisor, synapse, ragflow, hypothesis-h, flexget): waits for
another service bounded by a clock deadline variable, ... Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key], f.attributes.get("phase"))
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2]), str(t[3])))


def _lines(found: list[tuple]) -> set[tuple]:
    return {(name, line) for name, line, *_ in found}


def test_wait_for_another_service_bounded_by_a_clock_deadline_variable(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "th.py").write_text(
        "import time\n\n"
        "import httpx\n\n"
        "MAX_WAIT_SECONDS = 60 * 10\n"
        "INGEST_WAIT = 240\n\n\n"
        "def _get(url):\n"
        "    return httpx.get(url, timeout=15)\n\n\n"
        "def _job(project, task_id):\n"
        "    return _get(f'https://th/{project}/{task_id}').json()\n\n\n"
        "def job_for_task(project, task_id):\n"
        "    deadline = time.monotonic() + INGEST_WAIT\n"
        "    while True:\n"
        "        job = _job(project, task_id)\n"
        "        if job is not None:\n"
        "            return job\n"
        "        if time.monotonic() >= deadline:\n"                       # 23: 240 s, a file function asks
        "            return None\n"
        "        time.sleep(30)\n\n\n"
        "def await_reason(project, task_id):\n"
        "    deadline = time.monotonic() + MAX_WAIT_SECONDS\n"
        "    while time.monotonic() < deadline:\n"                         # 30: 600 s, at the while
        "        time.sleep(30)\n"
        "        reason = _job(project, task_id)\n"
        "        if reason:\n"
        "            return reason\n"
        "    return None\n\n\n"
        "def poll(client, run_id):\n"
        "    deadline = time.monotonic() + 12 * 60 * 60\n"
        "    while True:\n"
        "        run_doc = client.get_run(run_id)\n"
        "        if run_doc.get('status') == 'done':\n"
        "            return run_doc\n"
        "        if time.monotonic() >= deadline:\n"                       # 44: 12 h, a client asked
        "            return None\n"
        "        time.sleep(60)\n\n\n"
        "def local_wait(path):\n"
        "    deadline = time.monotonic() + 30\n"
        "    while True:\n"
        "        if path.exists():\n"
        "            return True\n"
        "        if time.monotonic() >= deadline:\n"                       # 53: a local file
        "            return False\n"
        "        time.sleep(1)\n\n\n"
        "def spin(counter):\n"
        "    deadline = time.monotonic() + 5\n"
        "    while time.monotonic() < deadline:\n"                         # 60: nothing asked of a service
        "        counter.tick()\n"
        "        time.sleep(0.1)\n\n\n"
        "def drain(db_session):\n"
        "    deadline = time.monotonic() + 20\n"
        "    while time.monotonic() < deadline:\n"                         # 67: one's own database
        "        if db_session.query('x').first():\n"
        "            return\n"
        "        time.sleep(1)\n\n\n"
        "def logged(client):\n"
        "    deadline = time.monotonic() + 20\n"
        "    while True:\n"
        "        client.ping()\n"
        "        if time.monotonic() >= deadline:\n"                       # 77: not an exit, only logged
        "            print('slow')\n"
        "        time.sleep(1)\n")
    found = _found(tmp_path, "timeout")
    assert ("th.py", 23, 240000, "total") in found
    assert ("th.py", 30, 600000, "total") in found
    assert ("th.py", 44, 43200000, "total") in found
    assert not _lines(found) & {("th.py", 53), ("th.py", 60), ("th.py", 67), ("th.py", 77)}


def test_celery_task_class_retry_kwargs_bound_its_autoretry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "indexer.py").write_text(
        "from celery import Celery, Task\n\n"
        "celery = Celery('h')\n\n\n"
        "class _BaseTaskWithRetry(Task):\n"
        "    autoretry_for = (Exception,)\n"
        "    retry_kwargs = {'countdown': 5, 'max_retries': 1}\n\n\n"   # 8: 2 attempts
        "class _PlainRetry(Task):\n"
        "    autoretry_for = (Exception,)\n"                             # 12: Celery's default 3: 4 attempts
        "    retry_kwargs = {'countdown': 5}\n\n\n"
        "class _NotATask:\n"
        "    retry_kwargs = {'max_retries': 9}\n\n\n"                   # 17: no Celery task
        "@celery.task(base=_BaseTaskWithRetry, acks_late=True)\n"
        "def add_annotation(id_):\n"
        "    return id_\n")
    found = _found(tmp_path, "retry")
    assert ("indexer.py", 8, 2, None) in found
    assert ("indexer.py", 12, 4, None) in found
    assert ("indexer.py", 7) not in _lines(found) and ("indexer.py", 17) not in _lines(found)


def test_kombu_retry_policy_dicts_at_their_max_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("kombu\n")
    (tmp_path / "policies.py").write_text(
        "RETRY_POLICY_QUICK = {\n"
        "    'max_retries': 2,\n"                                       # 2: 3 attempts
        "    'interval_start': 0.2,\n"
        "    'interval_step': 0.2,\n"
        "}\n\n"
        "FOREVER = {'max_retries': None, 'interval_max': 30}\n\n"          # 7: unbounded
        "PAGING = {'max_retries': 5, 'page_size': 100}\n\n"                # 9: not a kombu policy
        "# interval_start and max_retries in a comment only\n")
    (tmp_path / "realtime.py").write_text(
        "import kombu\n"
        "from kombu.pools import producers as producer_pool\n\n"
        "from policies import RETRY_POLICY_QUICK\n\n\n"
        "def publish(connection, exchange, payload):\n"
        "    with producer_pool[connection].acquire(block=True, timeout=1) as producer:\n"   # 8: 1 s
        "        producer.publish(payload, exchange=exchange, retry=True, retry_policy=RETRY_POLICY_QUICK)\n\n\n"
        "def send(task):\n"
        "    task.apply_async(retry=True, retry_policy={'max_retries': 4, 'interval_start': 0})\n")  # 13: 5 attempts
    retries = _found(tmp_path, "retry")
    assert ("policies.py", 2, 3, None) in retries and ("policies.py", 7, None, None) in retries
    assert ("policies.py", 9) not in _lines(retries)
    assert ("realtime.py", 13, 5, None) in retries
    assert ("realtime.py", 9) not in _lines(retries)
    timeouts = _found(tmp_path, "timeout")
    assert ("realtime.py", 8, 1000, "connect") in timeouts


def test_connection_pool_acquire_waits(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("asyncpg\n")
    (tmp_path / "db.py").write_text(
        "import threading\n\n\n"
        "class Store:\n"
        "    def __init__(self, pool):\n"
        "        self.pool = pool\n"
        "        self.lock = threading.Lock()\n"
        "        self.sem = threading.Semaphore(3)\n\n"
        "    async def get(self, key):\n"
        "        async with self.pool.acquire(timeout=5) as conn:\n"                  # 11: 5 s
        "            return await conn.fetchval('select 1')\n\n"
        "    def local(self):\n"
        "        self.lock.acquire(timeout=2)\n"                                      # 15: a local lock
        "        self.sem.acquire(timeout=2)\n"                                       # 16: a semaphore
        "        self.thread_pool.acquire(timeout=2)\n")                              # 17: a local pool
    found = _found(tmp_path, "timeout")
    assert ("db.py", 11, 5000, "connect") in found
    assert not _lines(found) & {("db.py", 15), ("db.py", 16), ("db.py", 17)}


def test_none_default_replaced_by_a_constant_with_a_coercion(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "hc.py").write_text(
        "import asyncio\n"
        "import os\n\n"
        "import httpx\n\n"
        "DEFAULT_TIMEOUT = float(os.environ.get('HTTP_CLIENT_TIMEOUT', '15'))\n"
        "DEFAULT_MAX_RETRIES = int(os.environ.get('HTTP_CLIENT_MAX_RETRIES', '2'))\n\n\n"
        "async def async_request(method, url, *, request_timeout=None, retries=None, **kwargs):\n"
        "    timeout = request_timeout if request_timeout is not None else DEFAULT_TIMEOUT\n"
        "    retries = DEFAULT_MAX_RETRIES if retries is None else max(retries, 0)\n"
        "    async with httpx.AsyncClient(timeout=timeout) as client:\n"          # 13: 15 s
        "        for attempt in range(retries + 1):\n"                           # 14: 3 attempts
        "            try:\n"
        "                return await client.request(method=method, url=url, **kwargs)\n"
        "            except httpx.RequestError:\n"
        "                if attempt >= retries:\n"
        "                    raise\n"
        "                await asyncio.sleep(1)\n\n\n"
        "def pages(client, url, count=None):\n"
        "    count = 5 if count is None else max(count, 1)\n"
        "    out = []\n"
        "    for page in range(count):\n"                                       # 25: pages, not tries
        "        out.append(client.get(url, params={'page': page}))\n"
        "    return out\n")
    retries = _found(tmp_path, "retry")
    assert ("hc.py", 14, 3, None) in retries
    assert ("hc.py", 25) not in _lines(retries)
    assert ("hc.py", 13, 15000, "total") in _found(tmp_path, "timeout")


def test_requests_adapter_retries_set_after_it_is_made(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "web.py").write_text(
        "import requests\n"
        "from requests.adapters import HTTPAdapter\n"
        "from urllib3.util.retry import Retry\n\n\n"
        "class Session(requests.Session):\n"
        "    def __init__(self, timeout=30, max_retries=1, **kwargs):\n"
        "        super().__init__()\n"
        "        self.timeout = timeout\n"                                  # 9: 30 s (rule a)
        "        self.adapters['http://'].max_retries = max_retries\n\n"    # 10: 2 attempts (rule a)
        "    def request(self, method, url, *args, **kwargs):\n"
        "        kwargs.setdefault('timeout', self.timeout)\n"
        "        return super().request(method, url, *args, **kwargs)\n\n\n"
        "def plain():\n"
        "    s = requests.Session()\n"
        "    s.adapters['https://'].max_retries = 3\n"                    # 19: 4 attempts
        "    adapter = HTTPAdapter()\n"
        "    adapter.max_retries = 2\n"                                   # 21: 3 attempts
        "    policy = Retry(total=5)\n"
        "    adapter.max_retries = policy\n"                              # 23: the Retry object, read where built
        "    s.mount('https://', adapter)\n"
        "    return s\n\n\n"
        "class Job:\n"
        "    def __init__(self):\n"
        "        self.max_retries = 7\n")                                 # 29: not an adapter
    (tmp_path / "notify.py").write_text(
        "from web import Session as RequestSession\n\n"
        "requests = RequestSession(max_retries=3)\n"                      # 3: 4 attempts, 30 s (rule b)
        "plain = RequestSession()\n\n\n"                                  # 4: 2 attempts, 30 s (rule b)
        "def send(url):\n"
        "    return requests.post(url, json={})\n")
    retries = _found(tmp_path, "retry")
    assert ("web.py", 10, 2, None) in retries
    assert ("web.py", 19, 4, None) in retries and ("web.py", 21, 3, None) in retries
    assert ("web.py", 29) not in _lines(retries)
    assert ("notify.py", 4, 2, None) in retries
    assert [r for r in retries if r[:2] == ("notify.py", 3)] == [("notify.py", 3, 4, None)]   # once, not twice
    timeouts = _found(tmp_path, "timeout")
    assert ("notify.py", 3, 30000, "total") in timeouts and ("notify.py", 4, 30000, "total") in timeouts


def test_twisted_client_endpoint_connect_timeouts(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("twisted\n")
    (tmp_path / "mail.py").write_text(
        "from twisted.internet import reactor\n"
        "from twisted.internet.endpoints import HostnameEndpoint, TCP4ServerEndpoint\n\n\n"
        "def send(factory, host, port):\n"
        "    endpoint = HostnameEndpoint(\n"                                    # 6: 30 s connect
        "        reactor, host, port, timeout=30, bindAddress=None\n"
        "    )\n"
        "    reactor.connectTCP(host, port, factory, timeout=15)\n"            # 9: 15 s connect
        "    return endpoint.connect(factory)\n\n\n"
        "def serve(factory):\n"
        "    return TCP4ServerEndpoint(reactor, 8080, backlog=50).listen(factory)\n")   # 13: server side
    found = _found(tmp_path, "timeout")
    assert ("mail.py", 6, 30000, "connect") in found and ("mail.py", 9, 15000, "connect") in found
    assert ("mail.py", 13) not in _lines(found)


def test_google_cloud_request_message_deadlines_as_protobuf_durations(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("google-cloud-tasks\ngoogle-cloud-run\n")
    (tmp_path / "tasks.py").write_text(
        "from google.cloud import run_v2\n"
        "from google.cloud.tasks_v2 import HttpRequest, Task\n"
        "from google.protobuf.duration_pb2 import Duration\n\n"
        "JOB_SECONDS = 8 * 60 * 60\n\n\n"
        "def make_task(url, when):\n"
        "    return Task(\n"                                                   # 9: 30 min
        "        http_request=HttpRequest(url=url),\n"
        "        dispatch_deadline=Duration(seconds=30 * 60),\n"
        "        schedule_time=when,\n"
        "    )\n\n\n"
        "def overrides(env):\n"
        "    return run_v2.RunJobRequest.Overrides(\n"                        # 17: 8 h
        "        container_overrides=[],\n"
        "        timeout={'seconds': JOB_SECONDS},\n"
        "        task_count=1,\n"
        "    )\n\n\n"
        "def other():\n"
        "    return {'seconds': 5, 'label': 'x'}\n")                            # 24: a dict, no message
    found = _found(tmp_path, "timeout")
    assert ("tasks.py", 9, 1800000, "total") in found and ("tasks.py", 17, 28800000, "total") in found
    assert ("tasks.py", 24) not in _lines(found)


def test_litellm_num_retries_in_a_built_kwargs_dict(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("litellm\n")
    (tmp_path / "chat.py").write_text(
        "import os\n\n"
        "import litellm\n\n\n"
        "class LiteLLMBase:\n"
        "    def __init__(self, provider, **kwargs):\n"
        "        self.provider = provider\n"
        "        self.max_retries = kwargs.get('max_retries', int(os.environ.get('LLM_MAX_RETRIES', 5)))\n\n"
        "    def _args(self, history, **kwargs):\n"
        "        args = {'model': 'm', 'messages': history, **kwargs}\n"
        "        if self.provider == 'nvidia':\n"
        "            args['num_retries'] = 0\n"                                      # 14: 1 attempt
        "        else:\n"
        "            args.setdefault('num_retries', self.max_retries)\n"             # 16: 6 attempts
        "        return args\n\n"
        "    async def chat(self, history):\n"
        "        return await litellm.acompletion(**self._args(history), timeout=600)\n\n"
        "    async def direct(self, history):\n"
        "        return await litellm.acompletion(model='m', messages=history, num_retries=2)\n\n"   # 23: 3 attempts
        "    def local(self, history):\n"
        "        args = {'model': 'm', 'messages': history, 'num_retries': 4}\n"
        "        return litellm.completion(**args)\n\n\n"                           # 27: 5 attempts, at the call
        "def unrelated(config):\n"
        "    config['num_retries'] = None\n"                                         # 31: None: not read
        "    return config\n")
    found = _found(tmp_path, "retry")
    assert ("chat.py", 14, 1, None) in found and ("chat.py", 16, 6, None) in found
    assert ("chat.py", 23, 3, None) in found and ("chat.py", 27, 5, None) in found
    assert ("chat.py", 26) not in _lines(found) and ("chat.py", 31) not in _lines(found)


def test_litellm_kwargs_dict_handed_to_a_method_that_splats_it(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("litellm\n")
    (tmp_path / "handler.py").write_text(
        "from litellm import acompletion\n\n"
        "AI_TIMEOUT = 120\n\n\n"
        "class Handler:\n"
        "    async def chat(self, model, messages, combine):\n"
        "        if combine:\n"
        "            kwargs = {\n"
        "                'model': model,\n"
        "                'messages': messages,\n"
        "                'timeout': AI_TIMEOUT,\n"                        # 12: 120 s
        "            }\n"
        "        else:\n"
        "            kwargs = {'model': model, 'messages': messages, 'timeout': AI_TIMEOUT, 'num_retries': 2}\n"  # 15
        "        return await self._get_completion(**kwargs)\n\n"
        "    async def _get_completion(self, **kwargs):\n"
        "        return await acompletion(**kwargs)\n\n"
        "    def log(self, model):\n"
        "        entry = {'model': model, 'timeout': 5}\n"                # 21: never handed to litellm
        "        return self.write(**entry)\n")
    timeouts = _found(tmp_path, "timeout")
    assert ("handler.py", 12, 120000, "total") in timeouts and ("handler.py", 15, 120000, "total") in timeouts
    assert ("handler.py", 21) not in _lines(timeouts)
    assert ("handler.py", 15, 3, None) in _found(tmp_path, "retry")


def test_rq_job_timeouts_through_a_tuple_returned_by_a_helper_and_prepare_data(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("rq\n")
    (tmp_path / "app.py").write_text(
        "from redis import Redis\n"
        "from rq import Queue\n\n"
        "JOB_TIMEOUT = 12 * 60\n"
        "BUGZILLA_JOB_TIMEOUT = 5 * 60\n\n"
        "q = Queue(connection=Redis(), default_timeout=JOB_TIMEOUT)\n\n\n"
        "def schedule_job(func, job_id=None, timeout=None):\n"
        "    q.enqueue(func, job_id=job_id, job_timeout=timeout)\n\n\n"           # 11: a None default: no line
        "def prepare_queue_job(func, job_id=None, timeout=None):\n"
        "    return Queue.prepare_data(func, job_id=job_id, timeout=timeout)\n\n\n"   # 15: likewise
        "def create_jobs(bug_ids):\n"
        "    return (bug_ids, 'job-1', BUGZILLA_JOB_TIMEOUT)\n\n\n"
        "def schedule(bug_ids):\n"
        "    func, job_id, timeout = create_jobs(bug_ids)\n"
        "    schedule_job(func, job_id=job_id, timeout=timeout)\n"               # 24: 300 s (rule c)
        "    q.enqueue_many([prepare_queue_job(func, job_id=job_id, timeout=timeout)])\n"   # 25: 300 s
        "    schedule_job(func)\n"                                                # 26: the queue's default
        "    a, b = 1, 2\n"
        "    return a + b\n")
    found = _found(tmp_path, "timeout")
    assert ("app.py", 7, 720000, "total") in found
    assert ("app.py", 24, 300000, "total") in found and ("app.py", 25, 300000, "total") in found
    assert not _lines(found) & {("app.py", 11), ("app.py", 15), ("app.py", 26)}


def test_remote_git_command_timeout_handed_down_a_clone_chain(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "gp.py").write_text(
        "import subprocess\n\n\n"
        "class GitProvider:\n"
        "    def _clone_inner(self, repo_url, dest_folder, operation_timeout_in_seconds=None):\n"
        "        subprocess.run(['git', 'clone', '--depth', '1', repo_url, dest_folder],\n"   # 6: None default: no line
        "                       check=True, timeout=operation_timeout_in_seconds)\n\n"
        "    CLONE_TIMEOUT_SEC = 20\n\n"
        "    def clone(self, repo_url, dest_folder, remove_dest_folder=True,\n"
        "              operation_timeout_in_seconds=CLONE_TIMEOUT_SEC):\n"
        "        try:\n"
        "            self._clone_inner(repo_url, dest_folder, operation_timeout_in_seconds)\n"   # 14: 20 s (rule a)
        "        except Exception:\n"
        "            return None\n"
        "        return dest_folder\n\n"
        "    def fetch(self, path):\n"
        "        return subprocess.run(['git', '-C', path, 'fetch', 'origin'], timeout=60)\n\n"   # 20: 60 s
        "    def log(self, path):\n"
        "        return subprocess.run(['git', '-C', path, 'log', '-1'], timeout=5)\n")   # 23: local work
    found = _found(tmp_path, "timeout")
    assert ("gp.py", 14, 20000, "total") in found and ("gp.py", 20, 60000, "total") in found
    assert not _lines(found) & {("gp.py", 6), ("gp.py", 23)}


def test_server_side_websocket_receive_is_no_outbound_wait(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\nfastapi\n")
    (tmp_path / "proxy.py").write_text(
        "import aiohttp\n"
        "from aiohttp import web\n"
        "from fastapi import WebSocket\n\n\n"
        "async def websocket(request):\n"
        "    server = web.WebSocketResponse(heartbeat=30)\n"
        "    await server.prepare(request)\n"
        "    auth = await server.receive_json(timeout=10)\n"                  # 9: the inbound client
        "    async with aiohttp.ClientSession() as session:\n"
        "        async with session.ws_connect('ws://core/api/websocket') as client:\n"
        "            msg = await client.receive(timeout=5)\n"                 # 12: 5 s, another service
        "    return auth, msg\n\n\n"
        "async def route(ws: WebSocket):\n"
        "    return await ws.receive_json(timeout=3)\n")                       # 17: the inbound client
    found = _found(tmp_path, "timeout")
    assert ("proxy.py", 12, 5000, "read") in found
    assert not _lines(found) & {("proxy.py", 9), ("proxy.py", 17)}


def test_twisted_deferred_add_timeout(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("twisted\ntreq\n")
    (tmp_path / "fetch.py").write_text(
        "import treq\n"
        "from twisted.internet import reactor\n\n\n"
        "def get(url):\n"
        "    d = treq.get(url)\n"
        "    d.addTimeout(60, reactor)\n"                 # 7: 60 s
        "    return d\n\n\n"
        "class Cache:\n"
        "    def addTimeout(self, seconds, clock):\n"
        "        return seconds\n")
    assert ("fetch.py", 7, 60000, "total") in _found(tmp_path, "timeout")


def test_a_timeout_objects_field_read_back(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    (tmp_path / "probe.py").write_text(
        "import asyncio\n\n"
        "import aiohttp\n\n"
        "_PROBE_TIMEOUT = aiohttp.ClientTimeout(total=30)\n\n\n"
        "async def probe(host, port):\n"
        "    _, writer = await asyncio.wait_for(\n"                             # 9: 30 s
        "        asyncio.open_connection(host, port), timeout=_PROBE_TIMEOUT.total\n"
        "    )\n"
        "    writer.close()\n")
    found = _found(tmp_path, "timeout")
    assert [t for t in found if t[:2] == ("probe.py", 9)] and all(t[2] == 30000 for t in found if t[:2] == ("probe.py", 9))


def test_send_again_once_after_reconnecting_remembered_by_a_flag(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "mail.py").write_text(
        "import smtplib\n"
        "from smtplib import SMTPSenderRefused, SMTPServerDisconnected\n\n\n"
        "class Mailer:\n"
        "    def connect(self, host):\n"
        "        self.server = smtplib.SMTP(host, timeout=30)\n\n"
        "    def send(self, host, msg):\n"
        "        connection_error = None\n"
        "        while True:\n"                                                # 11: 2 attempts
        "            try:\n"
        "                self.server.sendmail('a', 'b', msg)\n"
        "                break\n"
        "            except (SMTPServerDisconnected, SMTPSenderRefused) as e:\n"
        "                if not connection_error:\n"
        "                    self.connect(host)\n"
        "                    connection_error = e\n"
        "                else:\n"
        "                    raise\n\n"
        "    def drain(self, queue):\n"
        "        seen = None\n"
        "        while True:\n"                                                # 23: no give-up branch
        "            try:\n"
        "                self.server.sendmail('a', 'b', queue.pop())\n"
        "                break\n"
        "            except KeyError:\n"
        "                if not seen:\n"
        "                    seen = True\n")
    found = _found(tmp_path, "retry")
    assert ("mail.py", 11, 2, None) in found
    assert ("mail.py", 23) not in _lines(found)


def test_failover_loops_over_endpoints_or_models(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "fb.py").write_text(
        "import requests\n\n"
        "FALLBACK_MODELS = ['o4-mini']\n\n\n"
        "def _all_models(model):\n"
        "    return [model] + FALLBACK_MODELS\n\n\n"
        "async def retry_with_fallback_models(f, model):\n"
        "    all_models = _all_models(model)\n"
        "    for i, (m, dep) in enumerate(zip(all_models, all_models)):\n"       # 12: 2 attempts
        "        try:\n"
        "            return await f(m)\n"
        "        except Exception as e:\n"
        "            if i == len(all_models) - 1:\n"
        "                raise Exception('failed') from e\n\n\n"
        "def get_any(hosts, path):\n"
        "    for host in hosts:\n"                                              # 21: unknown count
        "        try:\n"
        "            return requests.get(host + path, timeout=5)\n"
        "        except requests.RequestException:\n"
        "            continue\n"
        "    raise RuntimeError('no host')\n\n\n"
        "def fetch_all(urls):\n"
        "    out = []\n"
        "    for url in urls:\n"                                                # 31: every url, no failover
        "        try:\n"
        "            out.append(requests.get(url, timeout=5))\n"
        "        except requests.RequestException:\n"
        "            continue\n"
        "    return out\n\n\n"
        "def first_ok(servers):\n"
        "    for server in servers:\n"                                          # 39: a handler returning a value
        "        try:\n"
        "            return requests.get(server, timeout=5)\n"
        "        except requests.RequestException:\n"
        "            return None\n\n\n"
        "def first_buildable(backup_models, create):\n"
        "    for model_id in backup_models:\n"                                 # 47: builds a client, sends nothing
        "        try:\n"
        "            llm = Creator.create_llm(model_id)\n"
        "            return llm\n"
        "        except Exception:\n"
        "            continue\n")
    found = _found(tmp_path, "retry")
    assert ("fb.py", 12, 2, None) in found and ("fb.py", 21, None, None) in found
    assert not _lines(found) & {("fb.py", 31), ("fb.py", 39), ("fb.py", 47)}


def test_work_cancelled_by_a_scheduled_call(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("twisted\n")
    (tmp_path / "helpers.py").write_text(
        "def timeout_deferred(*, deferred, timeout, clock):\n"
        "    def time_it_out():\n"
        "        deferred.cancel()\n\n"
        "    clock.call_later(timeout, time_it_out)\n"                        # 5: a forwarder (no default)
        "    return deferred\n")
    (tmp_path / "client.py").write_text(
        "import asyncio\n\n"
        "from twisted.internet import reactor\n\n"
        "from helpers import timeout_deferred\n\n\n"
        "def request(agent, clock):\n"
        "    d = agent.request(b'GET', b'https://x')\n"
        "    d = timeout_deferred(deferred=d, timeout=60, clock=clock)\n"      # 10: 60 s (rule c)
        "    reactor.callLater(30, d.cancel)\n"                               # 11: 30 s
        "    return d\n\n\n"
        "def reconnect(loop, conn):\n"
        "    loop.call_later(5, conn.connect)\n")                              # 16: a reconnect, not a cancel
    found = _found(tmp_path, "timeout")
    assert ("client.py", 10, 60000, "total") in found and ("client.py", 11, 30000, "total") in found
    assert not _lines(found) & {("helpers.py", 5), ("client.py", 16)}
