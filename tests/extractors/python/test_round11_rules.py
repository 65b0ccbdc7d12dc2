"""Round-11 rules (held-out warehouse, lemur, onyx, sygnal), through the pipeline: a project's own
Celery `task(bind=True)` decorator whose body calls `<first parameter>.retry(...)` (Celery's default
max_retries), a helper's `timeout=None` parameter read as `timeout or DEFAULT` (and behind a `None if
no_timeout else ...` flag), a decorator factory wrapping tenacity (`retry_builder(tries=20)` whose
`stop = stop_after_attempt(tries)` is handed to the inner `@retry(stop=stop)`), PostgreSQL's
`SET statement_timeout` run through `execute`, botocore's `retries=dict(max_attempts=N)` and the
opensearch-py client's `max_retries` / `retry_on_timeout` given through a `**kwargs` dict. Each with
its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def test_a_bound_project_task_calling_its_own_retry_gets_celerys_default(tmp_path: Path) -> None:
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from warehouse import tasks\n"
        "from warehouse.tasks import task\n\n\n"
        "@tasks.task(bind=True, ignore_result=True, acks_late=True)\n"
        "def purge_key(task, request, key):\n"
        "    try:\n"
        "        requests.post('https://api.fastly.com/purge/' + key, timeout=5)\n"
        "    except requests.Timeout as exc:\n"
        "        raise task.retry(exc=exc)\n\n\n"
        "@task(bind=True, ignore_result=True)\n"
        "def remove_documentation(_task, request, name):\n"
        "    try:\n"
        "        requests.delete('https://docs.example/' + name, timeout=5)\n"
        "    except Exception as exc:\n"
        "        _task.retry(exc=exc)\n\n\n"
        "@tasks.task(bind=True, ignore_result=True)\n"
        "def no_retry(task, request):  # ok: bound, but never retries\n"
        "    requests.get('https://x.example', timeout=5)\n\n\n"
        "@tasks.task(ignore_result=True)\n"
        "def not_bound(request, retry):  # ok: no bind, `retry` is an argument of its own\n"
        "    retry.retry()\n\n\n"
        "@tasks.task(bind=False)\n"
        "def unbound(self):  # ok: bind=False\n"
        "    self.retry()\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 6, 4), ("tasks.py", 14, 4)]


def test_a_none_default_read_as_or_fallback_is_the_default_a_call_leaving_it_out_gets(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "conf.py").write_text(
        "import os\n"
        "VESPA_REQUEST_TIMEOUT = int(os.environ.get('VESPA_REQUEST_TIMEOUT') or '15')\n")
    (tmp_path / "pkg" / "client.py").write_text(
        "import httpx\n"
        "from pkg.conf import VESPA_REQUEST_TIMEOUT\n\n\n"
        "def get_client(no_timeout: bool = False, http2: bool = True, timeout: int | None = None):\n"
        "    return httpx.Client(\n"
        "        verify=False,\n"
        "        timeout=None if no_timeout else (timeout or VESPA_REQUEST_TIMEOUT),\n"
        "        http2=http2,\n"
        "    )\n\n\n"
        "def get_client2(timeout: int | None = None):\n"
        "    return httpx.Client(timeout=timeout or VESPA_REQUEST_TIMEOUT)\n")
    (tmp_path / "pkg" / "use.py").write_text(
        "from pkg.client import get_client, get_client2\n\n\n"
        "def a():\n"
        "    with get_client() as c:\n"
        "        return c.get('http://vespa:8080/a')\n\n\n"
        "def b():\n"
        "    with get_client(timeout=120) as c:\n"
        "        return c.get('http://vespa:8080/b')\n\n\n"
        "def d():\n"
        "    with get_client2() as c:\n"
        "        return c.get('http://vespa:8080/d')\n\n\n"
        "def e():\n"
        "    with get_client(no_timeout=True) as c:  # ok: the flag asks for no bound\n"
        "        return c.get('http://vespa:8080/e')\n")
    assert _found(tmp_path, "timeout") == [("client.py", 6, 15000), ("client.py", 14, 15000),
                                           ("use.py", 5, 15000), ("use.py", 10, 120000), ("use.py", 15, 15000)]


def test_a_flag_defaulting_true_keeps_the_none_branch(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(
        "import httpx\n\n\n"
        "def get_client(unbounded: bool = True, timeout=None):\n"
        "    return httpx.Client(timeout=None if unbounded else (timeout or 15))\n")
    # the default takes the None branch: never the 15 s of the other one (the value stays unknown)
    assert _found(tmp_path, "timeout") == [("client.py", 5, None)]


def test_a_decorator_factory_wrapping_tenacity_publishes_its_tries(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "retry_wrapper.py").write_text(
        "import requests\n"
        "from tenacity import retry_if_exception_type, stop_after_attempt, stop_never, wait_exponential\n"
        "from tenacity import retry as tenacity_retry\n\n\n"
        "def retry_builder(tries: int = 20, delay: float = 0.1, exceptions=(Exception,)):\n"
        "    wait = wait_exponential(multiplier=delay)\n"
        "    stop = stop_after_attempt(tries) if tries >= 0 else stop_never\n\n"
        "    def retry_with_default(func):\n"
        "        @tenacity_retry(retry=retry_if_exception_type(exceptions), wait=wait, stop=stop, reraise=True)\n"
        "        def wrapped_func(*args, **kwargs):\n"
        "            return func(*args, **kwargs)\n"
        "        return wrapped_func\n\n"
        "    return retry_with_default\n\n\n"
        "def request_with_retries(method, url, timeout: int = 60, tries: int = 8):\n"
        "    @retry_builder(tries=tries, delay=1)\n"
        "    def _make_request():\n"
        "        return requests.request(method=method, url=url, timeout=timeout)\n"
        "    return _make_request()\n")
    (tmp_path / "pkg" / "use.py").write_text(
        "import httpx\n"
        "from pkg.retry_wrapper import retry_builder\n\n\n"
        "@retry_builder(tries=5, delay=5)\n"
        "def gpu_status():\n"
        "    return httpx.get('http://model:9000/gpu', timeout=10).json()\n\n\n"
        "@retry_builder()\n"
        "def other():\n"
        "    return httpx.get('http://model:9000/x', timeout=10).json()\n\n\n"
        "def later(client):\n"
        "    @retry_builder(tries=3, delay=1)\n"
        "    def _inner():\n"
        "        return client.get('http://vespa/x')\n"
        "    return _inner()\n\n\n"
        "def plain(stop):\n"
        "    return stop  # ok: a variable named stop\n")
    assert _found(tmp_path, "retry") == [("retry_wrapper.py", 11, 20), ("retry_wrapper.py", 20, 8),
                                         ("use.py", 5, 5), ("use.py", 10, 20), ("use.py", 16, 3)]


def test_set_statement_timeout_through_execute(tmp_path: Path) -> None:
    (tmp_path / "search.py").write_text(
        "from sqlalchemy import text\n\n\n"
        "def reindex(request, cursor):\n"
        "    request.db.execute(text(\"SET statement_timeout = '600s'\"))\n"
        "    cursor.execute('SET LOCAL statement_timeout TO 5000')\n"
        "    cursor.execute(\"SET statement_timeout = '2min'\")\n"
        "    cursor.execute(\"SELECT 'SET statement_timeout = 5'\")  # ok: a SELECT, not a SET\n"
        "    # ok: SET statement_timeout = 10 in a comment\n"
        "    log = 'SET statement_timeout = 7'  # ok: a string never executed\n")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "v1_add_column.py").write_text(
        "from alembic import op\n\n\n"
        "def upgrade():\n"
        "    op.execute('SET statement_timeout = 120000')  # ok: a migration's one-off budget\n")
    assert _found(tmp_path, "timeout") == [("search.py", 5, 600000), ("search.py", 6, 5000),
                                           ("search.py", 7, 120000)]


def test_botocore_retries_as_dict_keywords_and_opensearch_kwargs(tmp_path: Path) -> None:
    (tmp_path / "sts.py").write_text(
        "import boto3\n"
        "from botocore.config import Config\n\n"
        "config = Config(retries=dict(max_attempts=20))\n"
        "standard = Config(retries=dict(max_attempts=3, mode='standard'))\n"
        "other = dict(max_attempts=9)  # ok: not a Config\n")
    (tmp_path / "search.py").write_text(
        "import opensearchpy\n\n\n"
        "def client(url):\n"
        "    kwargs = {'hosts': [url], 'timeout': 1, 'retry_on_timeout': True, 'max_retries': 1}\n"
        "    return opensearchpy.OpenSearch(**kwargs)\n\n\n"
        "def reindex_client(url):\n"
        "    kwargs = {'hosts': [url], 'timeout': 30, 'retry_on_timeout': True}\n"
        "    return opensearchpy.OpenSearch(**kwargs)\n\n\n"
        "def plain(url):\n"
        "    return opensearchpy.OpenSearch(hosts=[url])  # ok: the library's own retries, not asked for\n")
    assert _found(tmp_path, "retry") == [("search.py", 6, 2), ("search.py", 11, 4),
                                         ("sts.py", 4, 21), ("sts.py", 5, 3)]


def test_a_loop_over_candidates_or_pages_is_no_retry_but_a_counted_retry_stays(tmp_path: Path) -> None:
    (tmp_path / "loops.py").write_text(
        "import json\n"
        "import time\n\n"
        "import requests\n\n\n"
        "def find_zone_id(cf, host):\n"
        "    elements = host.split('.')\n"
        "    n = 1\n"
        "    while n < 5:  # ok: each round asks for another domain suffix\n"
        "        n = n + 1\n"
        "        domain = '.'.join(elements[-n:])\n"
        "        try:\n"
        "            zone = cf.zones.get(params={'name': domain, 'per_page': 1})\n"
        "        except Exception as e:\n"
        "            print(e)\n"
        "        if len(zone) == 1:\n"
        "            break\n"
        "    return zone\n\n\n"
        "def pages(session, url):\n"
        "    certs = []\n"
        "    offset = 0\n"
        "    while True:  # ok: pagination; status_code is a value read each round, not a counter\n"
        "        response = session.get(url, params={'offset': offset})\n"
        "        try:\n"
        "            data = json.loads(response.content)\n"
        "        except ValueError:\n"
        "            data = {'response': 'none'}\n"
        "        status_code = response.status_code\n"
        "        if status_code > 399:\n"
        "            raise Exception(status_code)\n"
        "        certs.extend(data['certificates'])\n"
        "        if data['summary']['limit'] * offset >= data['summary']['total']:\n"
        "            break\n"
        "        offset += 1\n"
        "    return certs\n\n\n"
        "def real_retry(url):\n"
        "    attempt = 0\n"
        "    while True:\n"
        "        try:\n"
        "            return requests.get(url, timeout=5)\n"
        "        except requests.ConnectionError:\n"
        "            attempt += 1\n"
        "            if attempt >= 3:\n"
        "                raise\n"
        "            time.sleep(2 ** attempt)\n\n\n"
        "def counted(url):\n"
        "    tries = 1\n"
        "    while tries < 4:\n"
        "        tries = tries + 1\n"
        "        try:\n"
        "            return requests.get(url, timeout=5)\n"
        "        except requests.ConnectionError:\n"
        "            time.sleep(1)\n")
    assert _found(tmp_path, "retry") == [("loops.py", 43, 3), ("loops.py", 55, 3)]


def test_playwright_navigation_google_retry_none_and_pyramid_retry(tmp_path: Path) -> None:
    (tmp_path / "render.py").write_text(
        "from playwright.sync_api import sync_playwright\n\n"
        "DEFAULT_NAVIGATION_TIMEOUT_MS = 30000\n\n\n"
        "def render(page, url, navigation_timeout_ms=DEFAULT_NAVIGATION_TIMEOUT_MS, grace_ms=5000):\n"
        "    page.goto(url, timeout=navigation_timeout_ms, wait_until='commit')\n"
        "    page.wait_for_load_state('networkidle', timeout=grace_ms)\n"
        "    page.wait_for_selector('#main', timeout=10000)  # ok: an element wait\n"
        "    page.wait_for_timeout(500)  # ok: a sleep\n")
    (tmp_path / "bq.py").write_text(
        "from google.cloud import bigquery\n\n\n"
        "def insert(bq, table, rows):\n"
        "    bq.insert_rows_json(table=table, json_rows=rows, timeout=5.0, retry=None)\n")
    (tmp_path / "config.py").write_text(
        "def includeme(config):\n"
        "    config.add_settings({'retry.attempts': 3})\n"
        "    config.include('pyramid_retry')\n")
    assert _found(tmp_path, "timeout") == [("bq.py", 5, 5000), ("render.py", 7, 30000), ("render.py", 8, 5000)]
    assert _found(tmp_path, "retry") == [("bq.py", 5, 1), ("config.py", 2, 3)]


def test_acme_client_network_timeout_and_a_process_reapers_grace_is_no_contract(tmp_path: Path) -> None:
    (tmp_path / "acme_h.py").write_text(
        "from acme.client import ClientNetwork\n\n\n"
        "class _PinnedClientNetwork(ClientNetwork):\n"
        "    def __init__(self, *args, pinned_hostname: str, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n"
        "        self._pinned_hostname = pinned_hostname\n\n\n"
        "def setup(key, regr, host):\n"
        "    net = _PinnedClientNetwork(key, account=regr, pinned_hostname=host)  # ok: acme's default\n"
        "    net2 = _PinnedClientNetwork(key, account=None, timeout=3600, pinned_hostname=host)\n"
        "    net3 = ClientNetwork(key, timeout=30)\n"
        "    return net, net2, net3\n")
    (tmp_path / "reaper.py").write_text(
        "import os\n"
        "import time\n\n\n"
        "def reap_exited_children() -> int:\n"
        "    reaped = 0\n"
        "    while True:\n"
        "        pid, _ = os.waitpid(-1, os.WNOHANG)\n"
        "        if pid == 0:\n"
        "            break\n"
        "        reaped += 1\n"
        "    return reaped\n\n\n"
        "def reap_children_before_exit(grace_seconds: float = 2.0) -> int:\n"
        "    reaped = reap_exited_children()\n"
        "    deadline = time.monotonic() + grace_seconds  # ok: children's grace to exit\n"
        "    while time.monotonic() < deadline:\n"
        "        time.sleep(0.05)\n"
        "        reaped += reap_exited_children()\n"
        "    return reaped\n\n\n"
        "def drain():\n"
        "    reap_children_before_exit()  # ok: no service waited on\n\n\n"
        "def wait_ready(client, timeout_seconds: float = 30.0):\n"
        "    deadline = time.monotonic() + timeout_seconds\n"
        "    while time.monotonic() < deadline:\n"
        "        if client.get('/health').ok:\n"
        "            return True\n"
        "        time.sleep(1)\n"
        "    return False\n")
    assert _found(tmp_path, "timeout") == [("acme_h.py", 12, 3600000), ("acme_h.py", 13, 30000),
                                           ("reaper.py", 29, 30000)]


def test_a_methods_or_fallback_to_its_own_field_is_not_proposed_at_any_receiver(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "http_client.py").write_text(
        "import requests\n\n\n"
        "class HttpClient:\n"
        "    def __init__(self, timeout: int = 10):\n"
        "        self.session = requests.Session()\n"
        "        self.timeout = timeout\n\n"
        "    def download_file(self, url, timeout=None):\n"
        "        return self.session.get(url, timeout=timeout or self.timeout)\n")
    (tmp_path / "pkg" / "storage.py").write_text(
        "import boto3\n\n\n"
        "class AWSFileStorage:\n"
        "    def __init__(self):\n"
        "        self.s3 = boto3.client('s3')\n\n"
        "    def download_file(self, bucket, source, dest=None):\n"
        "        dest = dest or source\n"
        "        self.s3.download_file(bucket, source, dest)  # ok: boto3's, not HttpClient's\n"
        "        return dest\n")
    assert [f for f in _found(tmp_path, "timeout") if f[0] == "storage.py"] == []


def test_a_datetime_deadline_handed_to_a_library_call(tmp_path: Path) -> None:
    (tmp_path / "acme2.py").write_text(
        "from datetime import datetime, timedelta\n\n\n"
        "class Issuer:\n"
        "    def request_certificate(self, acme_client, order):\n"
        "        deadline = datetime.now() + timedelta(seconds=360)\n"
        "        orderr = acme_client.poll_authorizations(order, deadline)\n"
        "        return acme_client.finalize_order(orderr, deadline, fetch_alternative_chains=True)\n\n"
        "    def expires(self):\n"
        "        until = datetime.now() + timedelta(days=30)  # ok: never handed to a call\n"
        "        return until\n\n"
        "    def wait(self, check):\n"
        "        deadline = datetime.now() + timedelta(seconds=20)  # ok: compared in a loop of our own\n"
        "        while datetime.now() < deadline:\n"
        "            if check.ready():\n"
        "                return True\n"
        "        return False\n\n"
        "    def own(self, order):\n"
        "        deadline = datetime.now() + timedelta(minutes=5)  # ok: this class's own method\n"
        "        return self.poll(order, deadline)\n")
    assert _found(tmp_path, "timeout") == [("acme2.py", 6, 360000)]


def test_a_task_requeueing_itself_on_a_stored_attempts_counter(tmp_path: Path) -> None:
    (tmp_path / "requeue.py").write_text(
        "from celery import shared_task\n"
        "from app import pending_service\n\n"
        "ACME_ADDITIONAL_ATTEMPTS = 2\n\n\n"
        "@shared_task\n"
        "def fetch_acme_cert(id, notify_id=None):\n"
        "    pending_cert = pending_service.get(id)\n"
        "    if pending_service.fetch(pending_cert):\n"
        "        return True\n"
        "    if pending_cert.number_attempts > ACME_ADDITIONAL_ATTEMPTS:\n"
        "        pending_service.update(id, resolved=True)\n"
        "    else:\n"
        "        pending_service.increment_attempt(pending_cert)\n"
        "        fetch_acme_cert.delay(id, notify_id)\n\n\n"
        "@shared_task\n"
        "def sync_job(job):\n"
        "    if job.retries >= 5:\n"
        "        return None\n"
        "    else:\n"
        "        job.retries += 1\n"
        "        sync_job.delay(job)\n\n\n"
        "@shared_task\n"
        "def poll_all():\n"
        "    for cert in pending_service.all():\n"
        "        if cert.status > 3:  # ok: not an attempts counter\n"
        "            continue\n"
        "        else:\n"
        "            poll_all.delay()\n\n\n"
        "@shared_task\n"
        "def uncounted(job):\n"
        "    if job.attempts > 3:\n"
        "        return None\n"
        "    else:\n"
        "        uncounted.delay(job)  # ok: nothing counts the attempts up\n")
    assert _found(tmp_path, "retry") == [("requeue.py", 16, 4), ("requeue.py", 25, 6)]
