"""Round-19 rules (held-out morpheus, consoleme, ecommerce, openfec, libretime, modmail, timesketch):
counted loops without a try statement, countdowns on a defaulted parameter, ... Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key], f.attributes.get("phase"))
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2]), str(t[3])))


def test_flag_and_counter_while_loop_without_try(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "fetch.py").write_text(
        "class Fetch:\n"
        "    def manual_fetch(self):\n"
        "        try:\n"
        "            self.data = self.api_client.get_schedule()\n"
        "            return True\n"
        "        except Exception:\n"
        "            return False\n\n"
        "    def persistent_fetch(self, max_attempts=1) -> bool:\n"
        "        success = False\n"
        "        num_attempts = 0\n"
        "        while not success and num_attempts < max_attempts:\n"          # 12: rule a, 1
        "            success = self.manual_fetch()\n"
        "            num_attempts += 1\n"
        "        return success\n\n"
        "    def main(self):\n"
        "        self.persistent_fetch(max_attempts=5)\n"                       # 18: rule c, 5
        "        self.persistent_fetch()\n\n\n"                                 # 19: rule b, 1
        "def solve(model, max_iter=50):\n"
        "    converged = False\n"
        "    it = 0\n"
        "    while not converged and it < max_iter:\n"                         # 25: an iteration, not tries
        "        converged = model.step()\n"
        "        it += 1\n\n\n"
        "def find(client, pages_tries=3):\n"
        "    found = None\n"
        "    attempt = 0\n"
        "    while not found and attempt < pages_tries:\n"                     # 33: the counter is data (a page)
        "        found = client.search(page=attempt)\n"
        "        attempt += 1\n"
        "    return found\n\n\n"
        "def wait(flag_source, max_attempts=3):\n"
        "    done = False\n"
        "    attempts = 0\n"
        "    while not done and attempts < max_attempts:\n"                    # 41: nothing called, a flag read
        "        done = flag_source\n"
        "        attempts += 1\n")
    assert _found(tmp_path, "retry") == [("fetch.py", 12, 1, None), ("fetch.py", 18, 5, None),
                                         ("fetch.py", 19, 1, None)]


def test_countdown_on_a_defaulted_parameter(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "client.py").write_text(
        "from time import sleep\n\n\n"
        "class Client:\n"
        "    def wait_for_version(self, timeout: int = 30):\n"
        "        while timeout > 0:\n"                                          # 6: 30 tries, rule a
        "            try:\n"
        "                return self.version()\n"
        "            except OSError:\n"
        "                timeout -= 1\n"
        "                sleep(1)\n"
        "        raise RuntimeError('no version')\n\n"
        "    def drain(self, budget: int = 5):\n"
        "        while budget > 0:\n"                                           # 15: not counted down: no bound
        "            try:\n"
        "                return self.version()\n"
        "            except OSError:\n"
        "                sleep(1)\n\n"
        "    def start(self):\n"
        "        self.wait_for_version()\n")                                    # 22: rule b, 30
    assert [r for r in _found(tmp_path, "retry") if r[1] != 15] == [("client.py", 6, 30, None),
                                                                   ("client.py", 22, 30, None)]
    assert ("client.py", 15, 5, None) not in _found(tmp_path, "retry")


def test_celery_conf_update_settings(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "celery_app.py").write_text(
        "from celery import Celery\n\n\n"
        "def init(app):\n"
        "    celery_app = Celery(app.name)\n"
        "    celery_app.conf.update(\n"                                        # 6
        "        broker_url='redis://x',\n"
        "        broker_connection_timeout=30,\n"
        "        broker_connection_max_retries=None,\n"
        "        task_acks_late=False,\n"
        "    )\n"
        "    celery_app.conf.broker_connection_timeout = 12\n"                 # 12
        "    celery_app.conf.update({'redis_socket_timeout': 4})\n"           # 13
        "    celery_app.conf.update(broker_connection_timeout=None, task_time_limit=5)\n"   # 14: no bound
        "    celery_app.conf.broker_connection_max_retries = 3\n"              # 15: 4 tries
        "    return celery_app\n")
    (tmp_path / "other.py").write_text(
        "def setup(app):\n"
        "    app.conf.update(broker_connection_timeout=30)\n")                 # no celery imported here
    assert _found(tmp_path, "timeout") == [("celery_app.py", 6, 30000, "connect"),
                                           ("celery_app.py", 12, 12000, "connect"),
                                           ("celery_app.py", 13, 4000, "read")]
    assert _found(tmp_path, "retry") == [("celery_app.py", 6, None, None), ("celery_app.py", 15, 4, None)]


def test_search_client_method_timeouts_and_counted_recursion(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("opensearch-py\n")
    (tmp_path / "store.py").write_text(
        "import socket\n"
        "from opensearchpy import OpenSearch\n"
        "from opensearchpy.exceptions import ConnectionTimeout\n\n\n"
        "class Store:\n"
        "    RETRY_LIMIT = 3\n\n"
        "    def __init__(self, config):\n"
        "        self.client = OpenSearch([{'host': 'x'}], timeout=10)\n"          # 10
        "        self._import_timeout = config.get('IMPORT_TIMEOUT', 180)\n"
        "        self.cache = {}\n\n"
        "    def wait(self, index, timeout_seconds=None):\n"
        "        if timeout_seconds is None:\n"
        "            timeout_seconds = 10\n"
        "        self.client.cluster.health(index=index, wait_for_status='yellow', timeout=timeout_seconds)\n"  # 17
        "        self.cache.get(index, timeout=5)\n"                             # 18: not the client
        "        self.client.search(index=index, scroll='1m')\n\n"               # 19: a scroll keep-alive
        "    def flush(self, events, retry_count: int = 0):\n"
        "        try:\n"
        "            return self.client.bulk(body=events, timeout=self._import_timeout)\n"   # 23
        "        except (ConnectionTimeout, socket.timeout):\n"
        "            if retry_count >= self.RETRY_LIMIT:\n"
        "                return {}\n"
        "            return self.flush(events, retry_count + 1)\n\n"            # 27: 4 tries
        "    def walk(self, node, depth=0):\n"
        "        try:\n"
        "            return self.client.get(index='x', id=node)\n"
        "        except KeyError:\n"
        "            if depth >= 3:\n"
        "                return None\n"
        "            return self.walk(node.parent, depth + 1)\n")               # 34: a walk, not tries
    (tmp_path / "rules.py").write_text(
        "from util import elasticsearch_client\n\n\n"
        "class Rule:\n"
        "    def __init__(self, rules):\n"
        "        self.es = elasticsearch_client(rules)\n\n"
        "    def run(self, query, index):\n"
        "        return self.es.search(body=query, index=index, timeout='50s')\n")   # 9: named for the client
    (tmp_path / "util.py").write_text(
        "from elasticsearch import Elasticsearch\n\n\n"
        "def elasticsearch_client(conf):\n"
        "    return Elasticsearch(conf['host'])\n")
    (tmp_path / "plain.py").write_text(
        "def fetch(db, key):\n"
        "    return db.get(key, timeout=3)\n")                                   # not a search client
    assert _found(tmp_path, "timeout") == [("rules.py", 9, 50000, "total"), ("store.py", 10, 10000, "total"),
                                           ("store.py", 17, 10000, "total"),
                                           ("store.py", 23, 180000, "total")]
    assert _found(tmp_path, "retry") == [("store.py", 27, 4, None)]


def test_celery_retry_policy_dict_and_list_length(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "config.py").write_text(
        "class Config:\n"
        "    def get(self, key, default=None):\n"
        "        return self.values.get(key, default)\n\n\n"
        "config = Config()\n")
    (tmp_path / "tasks.py").write_text(
        "from celery import Celery\n"
        "from config import config\n\n"
        "app = Celery('x')\n"
        "default_retry_kwargs = {\n"
        "    'autoretry_for': (Exception,),\n"
        "    'retry_backoff': True,\n"
        "    'retry_kwargs': {'max_retries': config.get('celery.default_max_retries', 5)},\n"   # 8: once, 6 tries
        "}\n"
        "EMAIL_RETRYING = [5, 10, 60, 600]\n\n\n"
        "@app.task(soft_time_limit=2700, **default_retry_kwargs)\n"
        "def cache_roles():\n"
        "    pass\n\n\n"
        "@app.task(**default_retry_kwargs)\n"
        "def cache_users():\n"
        "    pass\n\n\n"
        "@app.task(bind=True, max_retries=len(EMAIL_RETRYING))\n"             # 23: 5 tries
        "def send(self, m):\n"
        "    raise self.retry(countdown=EMAIL_RETRYING[self.request.retries])\n\n\n"
        "@app.task(bind=True, max_retries=len(m for m in []))\n"               # 28: unknown
        "def other(self):\n"
        "    raise self.retry()\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 8, 6, None), ("tasks.py", 23, 5, None),
                                         ("tasks.py", 28, None, None)]


def test_cloudaux_retry_max_attempts(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("cloudaux\n")
    (tmp_path / "aws.py").write_text(
        "from asgiref.sync import sync_to_async\n"
        "from cloudaux.aws.sts import boto3_cached_conn\n"
        "from cloudaux.aws.iam import get_role_managed_policy_documents\n\n\n"
        "def sync(account_id):\n"
        "    return boto3_cached_conn(\n"                                      # 7: 3 tries
        "        'iam',\n"
        "        account_number=account_id,\n"
        "        retry_max_attempts=2,\n"
        "    )\n\n\n"
        "async def managed(name, account_id):\n"
        "    return await sync_to_async(\n"                                    # 15: 3 tries
        "        get_role_managed_policy_documents\n"
        "    )(\n"
        "        {'RoleName': name},\n"
        "        retry_max_attempts=2,\n"
        "    )\n\n\n"
        "def plain(account_id):\n"
        "    return boto3_cached_conn('iam', account_number=account_id)\n")    # the library's default
    (tmp_path / "other.py").write_text(
        "def run(job):\n"
        "    return job.submit(retry_max_attempts=4)\n")                       # no cloudaux here
    assert _found(tmp_path, "retry") == [("aws.py", 7, 3, None), ("aws.py", 15, 3, None)]


def test_credential_getter_default(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\n")
    (tmp_path / "download.py").write_text(
        "from celery import shared_task\n"
        "from env import env\n\n"
        "DOWNLOAD_HARD_LIMIT = int(env.get_credential('DOWNLOAD_HARD_LIMIT', 300))\n\n\n"
        "@shared_task(bind=True, time_limit=DOWNLOAD_HARD_LIMIT)\n"            # 7
        "def export_query(self, path):\n"
        "    return path\n")
    assert _found(tmp_path, "timeout") == [("download.py", 7, 300000, "function")]


def test_httplib2_and_flask_config_items(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\nflask-sqlalchemy\nhttplib2\n")
    (tmp_path / "views.py").write_text(
        "import httplib2\n\n\n"
        "class RefundView:\n"
        "    timeout = 30\n\n"
        "    def service(self, credentials):\n"
        "        http = httplib2.Http(timeout=self.timeout)\n"                  # 8
        "        return credentials.authorize(http)\n\n\n"
        "def cache():\n"
        "    return httplib2.Http(cache='.cache')\n")                          # no timeout
    (tmp_path / "rest.py").write_text(
        "import flask\n\n"
        "app = flask.Flask(__name__)\n\n\n"
        "def configure(cache):\n"
        "    app.config['SQLALCHEMY_ENGINE_OPTIONS'] = {\n"
        "        'pool_size': 50,\n"
        "        'pool_timeout': 120,\n"                                          # 9
        "    }\n"
        "    app.config['EMAIL_TIMEOUT'] = 30\n"                                  # 11
        "    app.config['CACHE_DEFAULT_TIMEOUT'] = 300\n"                         # a cache lifetime
        "    cache.config['pool_timeout'] = 5\n")                                  # not an upper-case setting
    assert _found(tmp_path, "timeout") == [("rest.py", 9, 120000, "connect"), ("rest.py", 11, 30000, "total"),
                                           ("views.py", 8, 30000, "total")]


def test_adapter_class_default_applied_in_send(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "client.py").write_text(
        "from requests import Session\n"
        "from requests.adapters import HTTPAdapter\n\n"
        "DEFAULT_TIMEOUT = 5\n\n\n"
        "class TimeoutHTTPAdapter(HTTPAdapter):\n"
        "    timeout: int = DEFAULT_TIMEOUT\n\n"                                 # 8: the default, applied below
        "    def __init__(self, *args, **kwargs):\n"
        "        if 'timeout' in kwargs:\n"
        "            self.timeout = kwargs['timeout']\n"
        "            del kwargs['timeout']\n"
        "        super().__init__(*args, **kwargs)\n\n"
        "    def send(self, request, *args, **kwargs):\n"
        "        if 'timeout' not in kwargs:\n"
        "            kwargs['timeout'] = self.timeout\n"                         # 18
        "        return super().send(request, *args, **kwargs)\n\n\n"
        "def session():\n"
        "    s = Session()\n"
        "    s.mount('https://', TimeoutHTTPAdapter())\n"
        "    return s\n")
    assert _found(tmp_path, "timeout") == [("client.py", 18, 5000, "total")]


def test_start_up_wait_until_a_client_answers(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "main.py").write_text(
        "import time\n\n\n"
        "def wait_for_legacy(legacy_client):\n"
        "    while legacy_client.version() == -1:\n"                            # 5: until it answers, null
        "        time.sleep(2)\n\n\n"
        "def wait_ping(api_client, log):\n"
        "    while not api_client.ping():\n"                                   # 10
        "        log.info('waiting')\n"
        "        time.sleep(1)\n\n\n"
        "def local(event, proc, queue):\n"
        "    while not event.is_set():\n"                                      # a local event
        "        time.sleep(1)\n"
        "    while queue.qsize() == 0:\n"                                      # an in-process queue
        "        time.sleep(1)\n\n\n"
        "def job(api_client, job_id, items):\n"
        "    while api_client.get_status(job_id) == 0:\n"                      # a job's state: a poll
        "        time.sleep(5)\n"
        "    while not api_client.is_finished(job_id):\n"                      # likewise
        "        time.sleep(5)\n"
        "    while api_client.version() == -1:\n"                              # the body does work too
        "        items.append(1)\n"
        "        time.sleep(2)\n")
    assert _found(tmp_path, "retry") == [("main.py", 5, None, None), ("main.py", 10, None, None)]


def test_attempt_named_range_loop_testing_the_result(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("paypalrestsdk\n")
    (tmp_path / "paypal.py").write_text(
        "import paypalrestsdk\n\n\n"
        "class Paypal:\n"
        "    def execute(self, response, data):\n"
        "        available_attempts = 1\n"
        "        if self.switch_on:\n"
        "            available_attempts = available_attempts + self.retry_attempts\n"
        "        for attempt_count in range(1, available_attempts + 1):\n"       # 9: configured, null
        "            payment = paypalrestsdk.Payment.find(response.get('paymentId'))\n"
        "            payment.execute(data)\n"
        "            if payment.success():\n"
        "                break\n"
        "            if attempt_count == available_attempts:\n"
        "                raise RuntimeError('failed')\n\n"
        "    def validate(self, response):\n"
        "        available_attempts = 3\n"
        "        for attempt_count in range(1, available_attempts + 1):\n"       # 19: 3
        "            validation = self.validator.validate(response)\n"
        "            error = validation.get('error')\n"
        "            if not error:\n"
        "                break\n\n"
        "    def pages(self, client):\n"
        "        for page in range(1, 10):\n"                                     # pages, not attempts
        "            result = client.fetch(page)\n"
        "            if result.done():\n"
        "                break\n\n"
        "    def iterate(self, model):\n"
        "        for step in range(1, self.max_steps + 1):\n"                     # steps, not attempts
        "            state = model.step()\n"
        "            if state.converged():\n"
        "                break\n")
    assert _found(tmp_path, "retry") == [("paypal.py", 9, None, None), ("paypal.py", 19, 3, None)]
