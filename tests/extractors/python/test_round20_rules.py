"""Round-20 rules (held-out docsgpt, chatgpt-telegram-bot, openstates-scrapers, kobotoolbox-kpi, telemetry-airflow,
fief, gpt-researcher, loopchain): a status retry in an `elif`, re-authenticate-and-call-again, defaults set in a
helper's body handed on, star-imported configuration modules, gRPC deadlines given positionally, waits on futures
and Google operations, django-constance defaults. Each with its traps."""

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


def test_status_retry_in_an_elif_branch(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "gh.py").write_text(
        "import time\n\n"
        "import requests\n\n\n"
        "class Loader:\n"
        "    def load(self, url):\n"
        "        return self._make_request(url)\n\n"                                  # 8: rule b, 3
        "    def _make_request(self, url, max_retries=3):\n"
        "        for attempt in range(max_retries):\n"                                # 11: rule a, 3
        "            response = requests.get(url, timeout=100)\n"
        "            if response.status_code == 200:\n"
        "                return response\n"
        "            elif response.status_code == 403:\n"
        "                if attempt < max_retries - 1:\n"
        "                    time.sleep(2 ** attempt)\n"
        "                    continue\n"
        "                raise RuntimeError('forbidden')\n"
        "            else:\n"
        "                response.raise_for_status()\n\n"
        "    def pages(self, url, pages=3):\n"
        "        out = []\n"
        "        for page in range(pages):\n"                                         # 24: pages, not tries
        "            response = requests.get(url, params={'page': page}, timeout=10)\n"
        "            if response.status_code == 200:\n"
        "                out.append(response.json())\n"
        "            elif response.status_code == 404:\n"
        "                continue\n"
        "        return out\n")
    found = _found(tmp_path, "retry")
    assert ("gh.py", 11, 3, None) in found and ("gh.py", 8, 3, None) in found
    assert ("gh.py", 24) not in _lines(found)


def test_call_made_again_after_renewing_credentials(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "auth.py").write_text(
        "import functools\n"
        "import logging\n\n"
        "import requests\n\n\n"
        "def retry_on_auth_failure(func):\n"
        "    @functools.wraps(func)\n"
        "    def wrapper(self, *args, **kwargs):\n"
        "        try:\n"
        "            return func(self, *args, **kwargs)\n"
        "        except requests.exceptions.HTTPError as e:\n"
        "            if e.response is not None and e.response.status_code in (401, 403):\n"
        "                self.access_token = self.auth.refresh_access_token(self.refresh_token)\n"
        "                return func(self, *args, **kwargs)\n"                         # 15: 2 attempts
        "            raise\n"
        "    return wrapper\n\n\n"
        "def check_response(method):\n"
        "    def wrapped(self, *args, **kwargs):\n"
        "        resp = method(self, *args, **kwargs)\n"
        "        if resp.status_code == 429:\n"
        "            self.handle_429(resp)\n"
        "            return method(self, *args, **kwargs).json()\n"                    # 25: 2 attempts
        "        return resp.json()\n"
        "    return wrapped\n\n\n"
        "def log_twice(func):\n"
        "    def wrapper(*args):\n"
        "        try:\n"
        "            return func(*args)\n"
        "        except requests.exceptions.HTTPError as e:\n"
        "            if e.response.status_code == 404:\n"
        "                logging.info('missing')\n"
        "                return func(*args)\n"                                         # 37: no renewal, no auth
        "            raise\n"
        "    return wrapper\n\n\n"
        "class Tool:\n"
        "    def run(self, name):\n"
        "        try:\n"
        "            result = self._call('tool', name)\n"
        "            return result.json()\n"
        "        except Exception as e:\n"
        "            if '401' in str(e):\n"
        "                self._client = None\n"
        "                self._setup_client()\n"
        "                result = self._call('tool', name)\n"                         # 51: 2 attempts
        "                return result.json()\n"
        "            raise\n\n"
        "    def load(self, file_id):\n"
        "        try:\n"
        "            self._ensure_service()\n"
        "            return self._call('file', file_id)\n"
        "        except requests.exceptions.HTTPError as e:\n"
        "            if e.response.status_code in (401, 403):\n"
        "                self.credentials.refresh()\n"
        "                self._ensure_service()\n"                                    # 62: a setup call, nothing sent
        "                return None\n"
        "            raise\n\n"
        "    def _ensure_service(self):\n"
        "        self.service = object()\n\n"
        "    def _call(self, path, arg):\n"
        "        return requests.post('http://tools/' + path, json={'a': arg}, timeout=5)\n")
    found = _found(tmp_path, "retry")
    assert ("auth.py", 15, 2, None) in found and ("auth.py", 25, 2, None) in found and ("auth.py", 51, 2, None) in found
    assert not {("auth.py", 37), ("auth.py", 62)} & _lines(found)


def test_default_set_in_the_body_handed_to_a_helper(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "rest.py").write_text(
        "import requests\n\n"
        "DEFAULT = 30\n"
        "SHORT = 5\n\n\n"
        "class RestClient:\n"
        "    def call(self, method, timeout=None):\n"
        "        timeout = timeout or DEFAULT\n"
        "        return self._call_rest('http://node/' + method, timeout)\n"          # 10: rule a, 30 s
        "    def call_guarded(self, method, timeout=None):\n"
        "        if timeout is None:\n"
        "            timeout = SHORT\n"
        "        return self._call_rest('http://node/' + method, timeout)\n"          # 14: rule a, 5 s
        "    def passthrough(self, method, timeout=None):\n"
        "        return self._call_rest('http://node/' + method, timeout)\n"          # 16: the callee's own default
        "    def _call_rest(self, url, timeout):\n"
        "        return requests.get(url, timeout=timeout)\n")
    found = _found(tmp_path, "timeout")
    assert ("rest.py", 10, 30000, "total") in found and ("rest.py", 14, 5000, "total") in found
    assert ("rest.py", 16) not in _lines(found) and ("rest.py", 18) not in _lines(found)


def test_star_imported_configuration_and_grpc_deadlines(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("grpcio\n")
    pkg = tmp_path / "node"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "configure_default.py").write_text("GRPC_TIMEOUT = 30\nRELAY_RETRY_TIMES = 3\n")
    (pkg / "configure.py").write_text("import json\n\nfrom node.configure_default import *\n\n\n"
                                      "def load(path):\n    return json.load(open(path))\n")
    (pkg / "sync.py").write_text(
        "import time\nimport timeit\n\n"
        "from node import configure as conf\n"
        "from node.protos import node_pb2, node_pb2_grpc\n\n\n"
        "def block(peer_stub, height):\n"
        "    return peer_stub.BlockSync(node_pb2.BlockSyncRequest(height=height), conf.GRPC_TIMEOUT)\n"  # 9: 30 s
        "\n\n"
        "def relay(rs_client, tx):\n"
        "    for i in range(conf.RELAY_RETRY_TIMES):\n"                              # 12: 3 attempts
        "        try:\n"
        "            return rs_client.send_tx(tx)\n"
        "        except ConnectionError:\n"
        "            continue\n\n\n"
        "class StubManager:\n"
        "    def call(self, method_name, message, timeout=None):\n"
        "        if timeout is None:\n"
        "            timeout = conf.GRPC_TIMEOUT\n"
        "        stub_method = getattr(self.__stub, method_name)\n"
        "        return stub_method(message, timeout)\n\n"                            # 24: 30 s
        "    def call_in_time(self, method_name, message, time_out_seconds=60):\n"
        "        stub_method = getattr(self.__stub, method_name)\n"
        "        start = timeit.default_timer()\n"
        "        duration = timeit.default_timer() - start\n"
        "        while duration < time_out_seconds:\n"                                # 30: a deadline, not 60 tries
        "            try:\n"
        "                return stub_method(message, conf.GRPC_TIMEOUT)\n"            # 32: 30 s
        "            except Exception:\n"
        "                time.sleep(2)\n"
        "            duration = timeit.default_timer() - start\n\n"
        "    def describe(self, name, fallback):\n"
        "        handler = getattr(self.__registry, name)\n"
        "        return handler(name, fallback)\n")                                    # 39: not a stub
    timeouts = _found(tmp_path, "timeout")
    assert ("sync.py", 9, 30000, "deadline") in timeouts and ("sync.py", 25, 30000, "deadline") in timeouts
    assert ("sync.py", 33, 30000, "deadline") in timeouts and ("sync.py", 40) not in _lines(timeouts)
    assert ("sync.py", 31, 60000, "total") in timeouts  # the deadline, at its check
    retries = _found(tmp_path, "retry")
    assert ("sync.py", 13, 3, None) in retries and ("sync.py", 31) not in _lines(retries)


def test_waits_on_futures_and_google_operations(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("google-cloud-speech\n")
    (tmp_path / "tool.py").write_text(
        "import asyncio\n"
        "import concurrent.futures\n\n\n"
        "class McpTool:\n"
        "    def run(self, op):\n"
        "        with concurrent.futures.ThreadPoolExecutor() as executor:\n"
        "            future = executor.submit(self._run_in_new_loop, op)\n"
        "            return future.result(timeout=30)\n"                             # 9: the remote call's bound
        "    def crunch(self, rows):\n"
        "        with concurrent.futures.ThreadPoolExecutor() as executor:\n"
        "            future = executor.submit(self._sum, rows)\n"
        "            return future.result(timeout=30)\n\n"                           # 13: local work
        "    def _run_in_new_loop(self, op):\n"
        "        loop = asyncio.new_event_loop()\n"
        "        return loop.run_until_complete(self._execute_with_client(op))\n\n"
        "    def _sum(self, rows):\n"
        "        return sum(rows)\n")
    (tmp_path / "speech.py").write_text(
        "from django.core.cache import cache\n"
        "from google.api_core.operation import Operation\n"
        "from google.cloud import speech_v2 as speech\n\n"
        "TIMEOUT = 10\n\n\n"
        "def transcribe(client, request):\n"
        "    operation = client.batch_recognize(request=request)\n"
        "    cache.set('op', operation.operation.name, timeout=3600)\n"                # 10: a cache entry's life
        "    return operation.result(timeout=TIMEOUT)\n\n\n"                          # 11: 10 s
        "def process(service, content):\n"
        "    response, amount = service.begin_google_operation(content)\n"
        "    if isinstance(response, Operation):\n"
        "        return response.result(timeout=TIMEOUT)\n"                           # 17: 10 s
        "    return response\n")
    (tmp_path / "local.py").write_text(
        "def finish(job):\n"
        "    operation = job.start()\n"
        "    return operation.result(timeout=5)\n")                                   # 3: no google import
    found = _found(tmp_path, "timeout")
    assert ("tool.py", 9, 30000, "deadline") in found and ("tool.py", 13) not in _lines(found)
    assert ("speech.py", 11, 10000, "deadline") in found and ("speech.py", 17, 10000, "deadline") in found
    assert ("speech.py", 10) not in _lines(found) and ("local.py", 3) not in _lines(found)


def test_constance_defaults_and_to_thread_requests(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\nrequests\n")
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "__init__.py").write_text("")
    (proj / "settings.py").write_text(
        "CONSTANCE_CONFIG = {\n"
        "    'PARTNER_TIMEOUT': (\n"
        "        12,\n"
        "        'Timeout in seconds for the partner API',\n"
        "    ),\n"
        "    'SITE_NAME': ('kobo', 'the name'),\n"
        "}\n")
    (proj / "client.py").write_text(
        "import asyncio\n\n"
        "import constance\n"
        "import requests\n\n\n"
        "def fetch(url):\n"
        "    return requests.get(url, timeout=constance.config.PARTNER_TIMEOUT)\n\n\n"  # 8: 12 s
        "async def download(url):\n"
        "    return await asyncio.to_thread(requests.get, url, timeout=30)\n\n\n"   # 12: 30 s
        "async def resize(image):\n"
        "    return await asyncio.to_thread(shrink, image, timeout=30)\n")          # 16: local work
    found = _found(tmp_path, "timeout")
    assert ("client.py", 8, 12000, "total") in found and ("client.py", 12, 30000, "total") in found
    assert ("client.py", 16) not in _lines(found)


def test_waits_that_bound_no_call(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\nopenai\n")
    (tmp_path / "bot.py").write_text(
        "import asyncio\n\n"
        "import httpx\n"
        "import openai\n\n\n"
        "async def wrap_with_indicator(chat, coroutine):\n"
        "    task = asyncio.create_task(coroutine())\n"
        "    while not task.done():\n"
        "        await chat.send_action('typing')\n"
        "        try:\n"
        "            await asyncio.wait_for(asyncio.shield(task), 4.5)\n"            # 12: a tick
        "        except asyncio.TimeoutError:\n"
        "            pass\n\n\n"
        "async def cleanup(loop_tasks):\n"
        "    for task in loop_tasks:\n"
        "        task.cancel()\n"
        "    await asyncio.wait_for(asyncio.gather(*loop_tasks, return_exceptions=True), timeout=5.0)\n\n\n"  # 20
        "async def score(client, cart):\n"
        "    return await asyncio.wait_for(client.score(cart), timeout=0.5)\n\n\n"  # 24: 500 ms
        "class Helper:\n"
        "    def __init__(self, config):\n"
        "        http_client = httpx.AsyncClient(proxy=config['proxy']) if 'proxy' in config else None\n"  # 29
        "        self.client = openai.AsyncOpenAI(api_key=config['api_key'], http_client=http_client)\n"
        "        self.plain = httpx.AsyncClient()\n")                                   # 31: httpx's 5 s default
    found = _found(tmp_path, "timeout")
    assert ("bot.py", 24, 500, "deadline") in found and ("bot.py", 31, 5000, "total") in found
    assert not {("bot.py", 12), ("bot.py", 20), ("bot.py", 29)} & _lines(found)


def test_airflow_default_args_spread_into_another_dict(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("apache-airflow\n")
    (tmp_path / "dag.py").write_text(
        "from datetime import timedelta\n\n"
        "from airflow import DAG\n\n"
        "default_args = {'owner': 'x', 'retries': 1, 'retry_delay': timedelta(minutes=5)}\n"
        "probe_args = {**default_args, 'email_on_failure': False}\n"
        "quiet_args = {**default_args, 'retries': 0}\n\n"
        "with DAG('probe', default_args=probe_args) as dag:\n"                        # 9: 2 attempts
        "    pass\n\n"
        "with DAG('quiet', default_args=quiet_args) as other:\n"                      # 12: retries off here
        "    pass\n")
    found = _found(tmp_path, "retry")
    assert ("dag.py", 9, 2, None) in found and ("dag.py", 12) not in _lines(found)


def test_doubling_timeout_loop_and_a_poll_of_ones_own_redis(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\nredis\n")
    (tmp_path / "scrape.py").write_text(
        "import time\n\n"
        "import requests\n\n\n"
        "def get_with_increasing_timeout(session, link):\n"
        "    html = None\n"
        "    timeout_length = 8\n"
        "    while timeout_length < 65 and html is None:\n"                          # 9: 8, 16, 32, 64: 4 tries
        "        try:\n"
        "            html = session.get(link, timeout=timeout_length)\n"
        "        except requests.exceptions.ReadTimeout:\n"
        "            timeout_length *= 2\n"
        "    return html\n\n\n"
        "def wait_for_code(redis_client, key, max_wait_time=300):\n"
        "    start_time = time.time()\n"
        "    while time.time() - start_time < max_wait_time:\n"                     # 19: a poll of our own store
        "        code = redis_client.get(key)\n"
        "        if code:\n"
        "            return code\n"
        "        time.sleep(1)\n\n\n"
        "def wait_ready(api_client, url, limit=120):\n"
        "    start = time.time()\n"
        "    while time.time() - start < limit:\n"                                  # 28: asks another service
        "        if api_client.get(url).ok:\n"
        "            return True\n"
        "        time.sleep(1)\n")
    assert ("scrape.py", 9, 4, None) in _found(tmp_path, "retry")
    timeouts = _found(tmp_path, "timeout")
    assert ("scrape.py", 28, 120000, "total") in timeouts and ("scrape.py", 19) not in _lines(timeouts)


def _rest_client_package(tmp_path: Path) -> Path:
    """A `node` package whose RestClient.call falls back on REST_TIMEOUT in its body (rule a there)."""
    (tmp_path / "requirements.txt").write_text("requests\n")
    pkg = tmp_path / "node"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "rest_client.py").write_text(
        "import requests\n\n"
        "REST_TIMEOUT = 30\n\n\n"
        "class RestClient:\n"
        "    def call(self, method, timeout=None):\n"
        "        timeout = timeout or REST_TIMEOUT\n"
        "        return requests.get('http://node/' + method, timeout=timeout)\n")
    return pkg


def test_rule_b_through_a_local_annotated_with_a_project_class(tmp_path: Path) -> None:
    pkg = _rest_client_package(tmp_path)
    (pkg / "sync.py").write_text(
        "from node.rest_client import RestClient\n\n\n"
        "def status(service):\n"
        "    rs_client: RestClient = service.rs_client\n"
        "    return rs_client.call('status')\n\n\n"                                    # 6: rule b, 30 s
        "def untyped(service):\n"
        "    rs_client = service.rs_client\n"
        "    return rs_client.call('status')\n")                                       # 11: its class is unknown
    found = _found(tmp_path, "timeout")
    assert ("sync.py", 6, 30000, "total") in found and ("sync.py", 11) not in _lines(found)


def test_celery_task_named_for_polling_is_no_retry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "tasks.py").write_text(
        "from celery import shared_task\n\n\n"
        "class OperationPending(Exception):\n"
        "    pass\n\n\n"
        "@shared_task(bind=True, autoretry_for=(OperationPending,), retry_backoff=5, max_retries=482)\n"  # 8: a poll
        "def poll_run_external_process(self, operation_id):\n"
        "    return check(operation_id)\n\n\n"
        "@shared_task(bind=True, autoretry_for=(ConnectionError,), max_retries=5)\n"                    # 13: 6 tries
        "def send_hook(self, hook_id):\n"
        "    return deliver(hook_id)\n")
    found = _found(tmp_path, "retry")
    assert ("tasks.py", 13, 6, None) in found and ("tasks.py", 8) not in _lines(found)


def test_dramatiq_actor_made_by_a_call_with_a_retry_predicate(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("dramatiq\n")
    (tmp_path / "settings.py").write_text("WEBHOOKS_MAX_ATTEMPTS = 5\n")
    (tmp_path / "webhooks.py").write_text(
        "import dramatiq\n\n"
        "from settings import WEBHOOKS_MAX_ATTEMPTS\n\n\n"
        "class DeliverWebhookTask:\n"
        "    def __call__(self, webhook_id):\n"
        "        return webhook_id\n\n\n"
        "def should_retry_deliver_webhook(retries_so_far, exception):\n"
        "    return retries_so_far < WEBHOOKS_MAX_ATTEMPTS and isinstance(exception, ConnectionError)\n\n\n"
        "def never_on_value_errors(retries_so_far, exception):\n"
        "    return not isinstance(exception, ValueError)\n\n\n"
        "deliver_webhook = dramatiq.actor(DeliverWebhookTask(), retry_when=should_retry_deliver_webhook)\n"  # 19: 6
        "audit = dramatiq.actor(DeliverWebhookTask())\n"                                                     # 20: defaults
        "other = dramatiq.actor(DeliverWebhookTask(), retry_when=never_on_value_errors)\n"                   # 21: no bound
        "bounded = dramatiq.actor(DeliverWebhookTask(), max_retries=2)\n")                                   # 22: 3
    found = _found(tmp_path, "retry")
    assert ("webhooks.py", 19, 6, None) in found and ("webhooks.py", 22, 3, None) in found
    assert not {("webhooks.py", 20), ("webhooks.py", 21)} & _lines(found)


def test_rule_b_through_a_parameter_falling_back_on_the_instance_client(tmp_path: Path) -> None:
    pkg = _rest_client_package(tmp_path)
    (pkg / "sync.py").write_text(
        "from node.rest_client import RestClient\n\n\n"
        "class Sync:\n"
        "    def __init__(self, other):\n"
        "        self._rest_client = RestClient()\n"
        "        self._other = other\n\n"
        "    def block(self, request_client=None):\n"
        "        if request_client is None:\n"
        "            request_client = self._rest_client\n"
        "        return request_client.call('block')\n\n"                              # 12: rule b, 30 s
        "    def status(self, request_client=None):\n"
        "        request_client = request_client or self._rest_client\n"
        "        return request_client.call('status')\n\n"                             # 16: rule b, 30 s
        "    def peers(self, request_client=None):\n"
        "        request_client = request_client or self._other\n"
        "        return request_client.call('peers')\n")                               # 20: a client handed in
    found = _found(tmp_path, "timeout")
    assert ("sync.py", 12, 30000, "total") in found and ("sync.py", 16, 30000, "total") in found
    assert ("sync.py", 20) not in _lines(found)
