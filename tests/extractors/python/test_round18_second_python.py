"""Round-18 second-wave fixes (held-out clusterfuzz, insights-host-inventory, karapace, keep,
enterprise-gateway, omnibot, brozzler). Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key])
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2])))


_RETRY_PY = (
    "import functools\n"
    "import time\n\n\n"
    "def wrap(retries, delay, function, backoff=2):\n"
    "    def decorator(func):\n"
    "        tries = retries + 1\n"
    "        @functools.wraps(func)\n"
    "        def _wrapper(*args, **kwargs):\n"
    "            for num_try in range(1, tries + 1):\n"
    "                try:\n"
    "                    return func(*args, **kwargs)\n"
    "                except Exception:\n"
    "                    if num_try >= tries:\n"
    "                        raise\n"
    "                    time.sleep(delay * backoff ** num_try)\n"
    "            return None\n"
    "        return _wrapper\n"
    "    return decorator\n")


def test_decorator_factory_closure_count_flows_from_the_decorators_argument(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    pkg = tmp_path / "base"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "retry.py").write_text(_RETRY_PY)
    (tmp_path / "storage.py").write_text(
        "import requests\n"
        "from base import retry\n\n"
        "FAIL_RETRIES = 8\n\n\n"
        "@retry.wrap(\n"                                   # 7
        "    retries=FAIL_RETRIES,\n"
        "    delay=1,\n"
        "    function='storage.copy')\n"
        "def copy(url):\n"
        "    return requests.get(url, timeout=15)\n\n\n"
        "@retry.wrap(retries=1, delay=1, function='storage.get')\n"   # 15
        "def get(url):\n"
        "    return requests.get(url, timeout=15)\n")
    assert _found(tmp_path, "retry") == [("storage.py", 7, 9), ("storage.py", 15, 2)]


def test_closure_local_not_a_parameter_plus_a_number_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "retry.py").write_text(
        "import time\n\n\n"
        "def wrap(retries, delay):\n"
        "    def decorator(func):\n"
        "        tries = retries * 2\n"       # not `retries + k`: no published bound
        "        tries = tries + 1\n"
        "        def _wrapper(*args):\n"
        "            for num_try in range(1, tries + 1):\n"
        "                try:\n"
        "                    return func(*args)\n"
        "                except Exception:\n"
        "                    time.sleep(delay)\n"
        "        return _wrapper\n"
        "    return decorator\n")
    (tmp_path / "use.py").write_text(
        "import requests\n"
        "from retry import wrap\n\n\n"
        "@wrap(retries=3, delay=1)\n"
        "def get(url):\n"
        "    return requests.get(url, timeout=15)\n")
    assert [t for t in _found(tmp_path, "retry") if t[0] == "use.py"] == []


def test_googleapiclient_execute_num_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("google-api-python-client\n")
    (tmp_path / "groups.py").write_text(
        "from googleapiclient import discovery\n\n"
        "_FAIL_RETRIES = 3\n\n\n"
        "def members(service, group_id):\n"
        "    request = service.groups().memberships().list(parent=group_id)\n"
        "    return request.execute(num_retries=_FAIL_RETRIES)\n"          # 8
        "\n\n"
        "def create(service, body):\n"
        "    return service.groups().create(\n"
        "        body=body).execute(num_retries=0)\n"                      # 13: at the .execute( line
        "\n\n"
        "def plain(service):\n"
        "    retries = 5\n"
        "    return service.groups().list().execute()\n")                 # no num_retries: nothing
    assert _found(tmp_path, "retry") == [("groups.py", 8, 4), ("groups.py", 13, 1)]


def test_execute_num_retries_without_googleapiclient_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "db.py").write_text(
        "def run(cursor):\n"
        "    return cursor.execute('select 1', num_retries=3)\n")
    assert _found(tmp_path, "retry") == []


def test_long_poll_waits_are_not_call_timeouts(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("kafka-python\n")
    (tmp_path / "consume.py").write_text(
        "from kafka import KafkaConsumer, KafkaProducer\n\n"
        "REQUEST_TIMEOUT = 60\n\n\n"
        "def consume(consumer):\n"
        "    return consumer.poll(timeout_ms=1000)\n"                      # a long-poll: not a timeout
        "\n\n"
        "def results(client, job_id):\n"
        "    return client.jobs().getQueryResults(jobId=job_id, timeoutMs=REQUEST_TIMEOUT * 1000).execute()\n"
        "\n\n"
        "producer = KafkaProducer(bootstrap_servers='k:9092', request_timeout_ms=30000)\n")   # 14: still read
    assert _found(tmp_path, "timeout") == [("consume.py", 14, 30000)]


def test_counted_retry_loops_of_the_second_wave(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\nsqlalchemy\n")
    (tmp_path / "mq.py").write_text(
        "from sqlalchemy.exc import IntegrityError, OperationalError\n\n"
        "MAX_RETRIES = 5\n\n\n"
        "class Consumer:\n"
        "    def event_loop(self, interrupt):\n"
        "        while not interrupt():\n"
        "            retry_messages = None\n"
        "            for attempt in range(1, MAX_RETRIES + 1):\n"            # 10: 5 tries, the same batch replayed
        "                try:\n"
        "                    self._process_batch(replay_messages=retry_messages)\n"
        "                    break\n"
        "                except (IntegrityError, OperationalError):\n"
        "                    retry_messages = self._messages_pending_retry\n")
    (tmp_path / "gh.py").write_text(
        "import time\n"
        "import requests\n\n"
        "GIT_MAX_RETRIES = 3\n\n\n"
        "def fetch(path, max_retries=GIT_MAX_RETRIES):\n"
        "    for attempt in range(max_retries + 1):\n"                      # 8: 4 tries
        "        response = requests.get('https://api.github.com' + path, timeout=10)\n"
        "        limited = response.status_code == 429 or response.status_code == 403\n"
        "        if limited:\n"
        "            time.sleep(5)\n"
        "            continue\n"
        "        return response.json()\n"
        "\n\n"
        "def pages(path):\n"
        "    for page in range(3):\n"                                      # a loop over pages: not a retry
        "        response = requests.get(path, params={'page': page}, timeout=10)\n"
        "        done = response.json() == []\n"
        "        if done:\n"
        "            continue\n"
        "        return response.json()\n")
    (tmp_path / "slack.py").write_text(
        "import gevent\n"
        "import logging\n"
        "from slack_sdk import WebClient\n\n"
        "logger = logging.getLogger(__name__)\n"
        "MAX_RETRIES = 5\n\n\n"
        "def conversations(client):\n"
        "    out, retry, cursor = [], 0, ''\n"
        "    while True:\n"                                                  # 11: 5 tries
        "        data = client.api_call('conversations.list', cursor=cursor)\n"
        "        if data['ok']:\n"
        "            out.extend(data['channels'])\n"
        "        else:\n"
        "            retry = retry + 1\n"
        "            if retry >= MAX_RETRIES:\n"
        "                logger.error('gave up')\n"
        "                break\n"
        "            gevent.sleep(1)\n"
        "            continue\n"
        "        cursor = data.get('next_cursor')\n"
        "        if not cursor:\n"
        "            break\n"
        "        gevent.sleep(1)\n"
        "    return out\n"
        "\n\n"
        "def emoji(client):\n"
        "    for retry in range(MAX_RETRIES):\n"                             # 30: 5 tries
        "        resp = client.api_call('emoji.list')\n"
        "        if resp['ok']:\n"
        "            break\n"
        "        logger.warning('retrying', extra=dict_of({'retry': retry}))\n"
        "        gevent.sleep(1)\n"
        "    return resp\n"
        "\n\n"
        "def scroll(client):\n"
        "    page = 0\n"
        "    while True:\n"                                                  # a page counter: not a retry
        "        data = client.api_call('history', page=page)\n"
        "        page = page + 1\n"
        "        if page >= MAX_RETRIES:\n"
        "            break\n"
        "        gevent.sleep(1)\n")
    found = _found(tmp_path, "retry")
    assert ("mq.py", 10, 5) in found
    assert ("gh.py", 8, 4) in found
    assert ("slack.py", 11, 5) in found and ("slack.py", 30, 5) in found
    assert [t for t in found if t[0] == "gh.py" and t[1] != 8] == []
    assert [t for t in found if t[0] == "slack.py" and t[1] not in (11, 30)] == []


def test_client_start_loops_of_a_kafka_service(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiokafka\n")
    (tmp_path / "rest.py").write_text(
        "import asyncio\n"
        "import time\n"
        "from aiokafka import AIOKafkaProducer\n"
        "from aiokafka.errors import KafkaConnectionError\n\n\n"
        "class Rest:\n"
        "    async def producer(self):\n"
        "        for retry in [True, True, False]:\n"                        # 9: 3 tries
        "            if self._producer is not None:\n"
        "                break\n"
        "            p = AIOKafkaProducer(bootstrap_servers='k:9092')\n"
        "            try:\n"
        "                await p.start()\n"
        "            except KafkaConnectionError:\n"
        "                await p.stop()\n"
        "                if not retry:\n"
        "                    raise\n"
        "                await asyncio.sleep(1)\n"
        "            else:\n"
        "                self._producer = p\n"
        "        return self._producer\n"
        "\n"
        "    def run(self):\n"
        "        while not self._stop.is_set() and self.admin is None:\n"    # 25: until made (no bound)
        "            try:\n"
        "                self.admin = make_admin_client(self.config)\n"
        "            except KafkaConnectionError:\n"
        "                self._stop.wait(timeout=2)\n"
        "\n"
        "    async def fetch(self, consumer, max_bytes, timeout):\n"
        "        read, gathered = 0, []\n"
        "        end = time.monotonic() + timeout\n"
        "        while read < max_bytes and time.monotonic() < end:\n"        # a consume loop: no retry
        "            try:\n"
        "                messages = await consumer.getmany(timeout_ms=100)\n"
        "                if not messages:\n"
        "                    continue\n"
        "                for m in messages:\n"
        "                    read += len(m.value)\n"
        "                    gathered.append(m)\n"
        "            except KafkaConnectionError:\n"
        "                raise_internal_error()\n"
        "        return gathered\n")
    assert _found(tmp_path, "retry") == [("rest.py", 9, 3), ("rest.py", 25, None)]


def test_paramiko_command_timeout_and_a_listening_socket(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("paramiko\n")
    (tmp_path / "remote.py").write_text(
        "import socket\n"
        "import paramiko\n\n"
        "SOCKET_TIMEOUT = 5\n\n\n"
        "def run(host, command):\n"
        "    ssh = paramiko.SSHClient()\n"
        "    stdin, stdout, stderr = ssh.exec_command(command, timeout=30)\n"   # 9
        "    return stdout.readlines()\n"
        "\n\n"
        "def serve(port):\n"
        "    s = socket.socket()\n"
        "    s.bind(('0.0.0.0', port))\n"
        "    s.listen(128)\n"
        "    s.settimeout(SOCKET_TIMEOUT)\n"                                    # a server's accept wait
        "    return s\n"
        "\n\n"
        "def send(host, port, data):\n"
        "    sock = socket.socket()\n"
        "    sock.settimeout(SOCKET_TIMEOUT)\n"                                 # 23: a client's
        "    sock.connect((host, port))\n"
        "    sock.send(data)\n")
    assert _found(tmp_path, "timeout") == [("remote.py", 9, 30000), ("remote.py", 23, 5000)]


def test_poll_deadlines_through_helpers_and_a_base_field_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    pkg = tmp_path / "proxies"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text(
        "import asyncio\n"
        "import os\n\n"
        "default_launch_timeout = float(os.getenv('LAUNCH_TIMEOUT', '30'))\n\n\n"
        "class BaseProxy:\n"
        "    def __init__(self, env):\n"
        "        self.launch_timeout = default_launch_timeout\n"
        "        if env.get('KERNEL_LAUNCH_TIMEOUT'):\n"
        "            self.launch_timeout = float(env.get('KERNEL_LAUNCH_TIMEOUT'))\n\n\n"
        "class RemoteProxy(BaseProxy):\n"
        "    @staticmethod\n"
        "    def get_time_diff(a, b):\n"
        "        return abs(b - a) / 1000\n\n"
        "    async def handle_timeout(self):\n"
        "        await asyncio.sleep(0.5)\n"
        "        time_interval = RemoteProxy.get_time_diff(self.start_time, now())\n"
        "        if time_interval > self.launch_timeout:\n"                    # 22
        "            self.log_and_raise(http_status_code=500, reason='too long')\n"
        "        if time_interval > self.poll_count:\n"                        # not a timeout's name
        "            self.log_and_raise(http_status_code=500, reason='too many')\n")
    (pkg / "yarn.py").write_text(
        "import time\n"
        "from proxies.base import RemoteProxy\n\n\n"
        "class YarnProxy(RemoteProxy):\n"
        "    def __init__(self, env):\n"
        "        super().__init__(env)\n"
        "        self.resource_wait_time = 0.20 * self.launch_timeout\n\n"
        "    def handle_queue_timeout(self):\n"
        "        time.sleep(1)\n"
        "        time_interval = RemoteProxy.get_time_diff(self.start_time, now())\n"
        "        if time_interval > self.resource_wait_time:\n"                # 13: 6 s
        "            self.log_and_raise(http_status_code=500, reason='no resources')\n"
        "        if time_interval > self.launch_timeout:\n"                    # 15: 30 s, the base's field
        "            self.log_and_raise(http_status_code=500, reason='too long')\n")
    (tmp_path / "compute.py").write_text(
        "import time\n"
        "import dates\n\n"
        "OPERATION_TIMEOUT = 15 * 60\n\n\n"
        "def wait(api, op):\n"
        "    start_time = now()\n"
        "    while not dates.time_has_expired(start_time, seconds=OPERATION_TIMEOUT):\n"   # 9: 15 min
        "        response = api.zoneOperations().get(operation=op).execute()\n"
        "        if response['status'] == 'DONE':\n"
        "            return\n"
        "        time.sleep(5)\n"
        "\n\n"
        "def cache_fresh(entry):\n"
        "    while not dates.time_has_expired(entry.start, seconds=OPERATION_TIMEOUT):\n"  # nothing asked: no wait
        "        time.sleep(1)\n")
    assert _found(tmp_path, "timeout") == [("base.py", 22, 30000), ("compute.py", 9, 900000),
                                           ("yarn.py", 13, 6000), ("yarn.py", 15, 30000)]


def test_library_options_arq_cloud_batch_and_a_kafka_flush(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("arq\ngoogle-cloud-batch\nconfluent-kafka\n")
    (tmp_path / "redis_settings.py").write_text(
        "from arq.connections import RedisSettings\n\n\n"
        "def settings():\n"
        "    return RedisSettings(host='redis', conn_timeout=60, conn_retries=10, conn_retry_delay=10)\n")  # 5
    (tmp_path / "batch_jobs.py").write_text(
        "from google.cloud import batch_v1 as batch\n\n"
        "DEFAULT_RETRY_COUNT = 0\n\n\n"
        "def spec(retry, duration):\n"
        "    task_spec = batch.TaskSpec()\n"
        "    if retry:\n"
        "        task_spec.max_retry_count = 4\n"                                   # 9: 5 runs
        "    else:\n"
        "        task_spec.max_retry_count = DEFAULT_RETRY_COUNT\n"                 # 11: 1 run
        "    task_spec.max_run_duration = '21600s'\n"                               # 12
        "    other = Config()\n"
        "    other.max_retry_count = 7\n"                                           # not a batch TaskSpec
        "    return task_spec\n")
    (tmp_path / "messaging.py").write_text(
        "from confluent_kafka import Producer\n\n"
        "KAFKA_TIMEOUT = 10\n\n\n"
        "def send(producer, cache, value):\n"
        "    producer.produce('topic', value)\n"
        "    producer.flush(timeout=KAFKA_TIMEOUT)\n"                               # 8: 10 s
        "    cache.flush(5)\n")                                                     # a cache: not a producer
    assert _found(tmp_path, "retry") == [("batch_jobs.py", 9, 5), ("batch_jobs.py", 11, 1),
                                         ("redis_settings.py", 5, 11)]
    timeouts = _found(tmp_path, "timeout")
    assert ("redis_settings.py", 5, 60000) in timeouts and ("messaging.py", 8, 10000) in timeouts
    assert [t for t in timeouts if t[0] == "messaging.py" and t[1] != 8] == []
    assert [t for t in timeouts if t[0] == "batch_jobs.py"] in ([("batch_jobs.py", 12, None)],
                                                                 [("batch_jobs.py", 12, 21600000)])


def test_a_stored_failure_budget_and_yt_dlp_options(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("yt-dlp\nrequests\n")
    (tmp_path / "worker.py").write_text(
        "MAX_PAGE_FAILURES = 3\n\n\n"
        "def brozzle(frontier, page):\n"
        "    try:\n"
        "        browse(page)\n"
        "    except Exception:\n"
        "        page.failed_attempts = (page.failed_attempts or 0) + 1\n"
        "        if page.failed_attempts >= MAX_PAGE_FAILURES:\n"                  # 9: 3 tries
        "            frontier.completed(page)\n"
        "        else:\n"
        "            frontier.retry_later(page)\n"
        "\n\n"
        "def report(page):\n"
        "    if page.failed_attempts >= MAX_PAGE_FAILURES:\n"                      # only read: no count here
        "        log(page)\n")
    (tmp_path / "ydl.py").write_text(
        "import yt_dlp\n\n\n"
        "def build(url):\n"
        "    class _YoutubeDL(yt_dlp.YoutubeDL):\n"
        "        pass\n"
        "    opts = {'retries': 1, 'socket_timeout': 40, 'sleep_interval': 5}\n"
        "    return _YoutubeDL(url, params=opts)\n"                                  # 8
        "\n\n"
        "def other(url):\n"
        "    opts = {'retries': 9, 'socket_timeout': 9}\n"
        "    return Downloader(url, params=opts)\n")                                 # not yt-dlp
    assert _found(tmp_path, "retry") == [("worker.py", 9, 3), ("ydl.py", 8, 2)]
    assert _found(tmp_path, "timeout") == [("ydl.py", 8, 40000)]


def test_a_vendor_grpc_client_and_a_librdkafka_settings_dict(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("grpcio\nconfluent-kafka\n")
    (tmp_path / "kessel.py").write_text(
        "import grpc\n"
        "from kessel.inventory.v1beta2 import ClientBuilder\n\n\n"
        "class Kessel:\n"
        "    def __init__(self, config):\n"
        "        self.inventory_svc, self.channel = ClientBuilder(config.target).build()\n"
        "        self.timeout = getattr(config, 'kessel_timeout', 10.0)\n\n"
        "    def check(self, request):\n"
        "        return self.inventory_svc.Check(request, timeout=self.timeout)\n"   # 11: 10 s
        "\n"
        "    def local(self, request):\n"
        "        return self.cache.Lookup(request, timeout=3)\n")                     # not a service-named receiver
    (tmp_path / "config.py").write_text(
        "import os\n\n\n"
        "class Config:\n"
        "    def __init__(self):\n"
        "        self.kafka_producer = {\n"
        "            'acks': '1',\n"
        "            'enable.idempotence': 'false',\n"
        "            'retries': int(os.environ.get('KAFKA_PRODUCER_RETRIES', '0')),\n"   # 9: 1 attempt
        "            'linger.ms': 0,\n"
        "        }\n"
        "        self.cache = {'retries': 5, 'ttl': 10}\n")                            # not librdkafka's
    assert _found(tmp_path, "timeout") == [("kessel.py", 11, 10000)]
    assert _found(tmp_path, "retry") == [("config.py", 9, 1)]


def test_bounded_waits_for_pool_work_calling_other_services(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "pool.py").write_text(
        "from concurrent import futures\n"
        "from concurrent.futures import ThreadPoolExecutor\n\n\n"
        "def parallel_map(func, argument_list):\n"
        "    timeout = 120\n"
        "    with ThreadPoolExecutor(2) as pool:\n"
        "        calls = [pool.submit(func, a) for a in argument_list]\n"
        "        while calls:\n"
        "            done, _ = futures.wait(calls, timeout=timeout, return_when=futures.FIRST_COMPLETED)\n"  # 10
        "            for finished in done:\n"
        "                calls.remove(finished)\n"
        "                yield finished.result(timeout=timeout)\n"     # already finished: not a wait
        "\n\n"
        "def allowed(kessel_client, names):\n"
        "    def _check(name):\n"
        "        return kessel_client.ListAllowedWorkspaces(name)\n"
        "    with ThreadPoolExecutor(4) as executor:\n"
        "        submitted = {executor.submit(_check, n): n for n in names}\n"
        "        for future in submitted:\n"
        "            result = future.result(timeout=10)\n"            # 22: 10 s
        "    return result\n"
        "\n\n"
        "def local(paths):\n"
        "    def _hash(p):\n"
        "        return open(p).read()\n"
        "    with ThreadPoolExecutor(4) as executor:\n"
        "        submitted = [executor.submit(_hash, p) for p in paths]\n"
        "        for future in submitted:\n"
        "            future.result(timeout=5)\n")                       # local work: not a call's bound
    assert _found(tmp_path, "timeout") == [("pool.py", 10, 120000), ("pool.py", 22, 10000)]


def test_a_wait_until_a_start_plus_a_limit(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("psycopg2\n")
    (tmp_path / "wait.py").write_text(
        "import time\n\n\n"
        "def wait_for_event(workspace_id, *, timeout: int = 5):\n"
        "    raw_conn = connect()\n"
        "    timeout_start = time.time()\n"
        "    while time.time() < timeout_start + timeout:\n"                   # 7: 5 s (rule a)
        "        raw_conn.poll()\n"
        "        for notify in raw_conn.notifies:\n"
        "            if notify.payload == workspace_id:\n"
        "                return\n"
        "        time.sleep(0.1)\n"
        "    raise TimeoutError('no event')\n"
        "\n\n"
        "def progress(total):\n"
        "    start = time.time()\n"
        "    while time.time() < start + total:\n"                             # nothing asked: no wait
        "        time.sleep(1)\n"
        "\n\n"
        "def create(workspace_id):\n"
        "    wait_for_event(workspace_id, timeout=10)\n")                        # 23: 10 s (rule c)
    found = _found(tmp_path, "timeout")
    assert ("wait.py", 7, 5000) in found and ("wait.py", 23, 10000) in found
    assert [t for t in found if t[1] not in (7, 23)] == []


def test_a_client_timeout_spelt_in_seconds(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("posthog\n")
    (tmp_path / "ph.py").write_text(
        "from posthog import Posthog\n\n\n"
        "def reachable(key):\n"
        "    Posthog(api_key=key, host='https://app.posthog.com', feature_flags_request_timeout_seconds=3)\n"  # 5
        "    Cache(name='x', entry_timeout_seconds=30)\n")                     # no network keyword: not a client
    assert _found(tmp_path, "timeout") == [("ph.py", 5, 3000)]
