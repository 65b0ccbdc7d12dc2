"""Round-18 rules (held-out aleph, kitsune, patroni, mautrix-telegram, ghostwriter, eq-questionnaire-runner,
intelmq; and the round-17 request for confidant): PynamoDB model `Meta` timeouts and retries, read across
files through the project's settings. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key], f.attributes.get("phase"))
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2]), str(t[3])))


def test_pynamodb_model_meta_timeouts_and_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pynamodb\n")
    (tmp_path / "settings.py").write_text(
        "import os\n\n\n"
        "def int_env(name, default=0):\n"
        "    return int(os.environ.get(name, default))\n\n\n"
        "PYNAMO_CONNECT_TIMEOUT_SECONDS = int_env('PYNAMO_CONNECT_TIMEOUT_SECONDS', 1)\n"
        "PYNAMO_READ_TIMEOUT_SECONDS = int_env('PYNAMO_READ_TIMEOUT_SECONDS', 2)\n")
    (tmp_path / "models.py").write_text(
        "from pynamodb.models import Model\n"
        "from pynamodb.attributes import UnicodeAttribute\n"
        "import settings\n\n\n"
        "class Service(Model):\n"
        "    class Meta:\n"
        "        table_name = 'services'\n"
        "        if settings.DYNAMODB_URL:\n"
        "            host = settings.DYNAMODB_URL\n"
        "        connect_timeout_seconds = settings.PYNAMO_CONNECT_TIMEOUT_SECONDS\n"   # 11
        "        read_timeout_seconds = settings.PYNAMO_READ_TIMEOUT_SECONDS\n"         # 12
        "        max_retry_attempts = 5\n"                                              # 13
        "    id = UnicodeAttribute(hash_key=True)\n"
        "    read_timeout_seconds = 9\n"                                                # 15: the model's field, not Meta
        "\n\n"
        "class Other:\n"
        "    class Meta:\n"
        "        read_timeout_seconds = 7\n")                                           # 20: not a pynamodb model
    assert _found(tmp_path, "timeout") == [("models.py", 11, 1000, "connect"), ("models.py", 12, 2000, "read")]
    assert _found(tmp_path, "retry") == [("models.py", 13, 6, None)]


def test_django_model_meta_is_not_pynamodb(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\n")
    (tmp_path / "models.py").write_text(
        "from django.db import models\n\n\n"
        "class Job(models.Model):\n"
        "    retry = models.IntegerField(default=3)\n"
        "    class Meta:\n"
        "        read_timeout_seconds = 5\n"
        "        max_retry_attempts = 2\n")
    assert _found(tmp_path, "timeout") == []
    assert _found(tmp_path, "retry") == []


def test_celery_decorator_object_and_splatted_option_dicts(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("celery\nrequests\n")
    (tmp_path / "tasks.py").write_text(
        "import requests\n"
        "from celery import shared_task\n\n"
        "shared_task_with_retry = shared_task(\n"                                     # 4
        "    acks_late=True, autoretry_for=(Exception,), retry_backoff=2, retry_kwargs={'max_retries': 3}\n"
        ")\n"
        "plain_task = shared_task(acks_late=True)\n"                                   # 7: no retry policy
        "_LIMITS = {\n"
        "    'soft_time_limit': 210,\n"                                                # 9: the soft limit, a hard one is given
        "    'time_limit': 240,\n"                                                     # 10
        "}\n"
        "_RETRY = {\n"
        "    'autoretry_for': (ConnectionError,),\n"
        "    'max_retries': 5,\n"                                                      # 14
        "}\n"
        "_SINGLE = {**_RETRY, 'autoretry_for': (KeyError, ConnectionError)}\n"
        "_UNUSED = {'max_retries': 9, 'time_limit': 99}\n"                             # 17: never handed to a task
        "\n\n"
        "@shared_task_with_retry\n"
        "def sync_user(uid):\n"
        "    requests.post('http://users/sync', json={'id': uid}, timeout=5)\n\n\n"   # 22
        "@shared_task_with_retry\n"
        "def sync_group(gid):\n"
        "    requests.post('http://users/group', json={'id': gid}, timeout=5)\n\n\n"  # 27
        "@plain_task\n"
        "def cleanup():\n"
        "    pass\n\n\n"
        "@shared_task(**_LIMITS, **_SINGLE)\n"
        "def sync_document(doc_id):\n"
        "    pass\n\n\n"
        "@shared_task(**_LIMITS, **_RETRY)\n"
        "def sync_documents(ids):\n"
        "    pass\n")
    assert _found(tmp_path, "retry") == [("tasks.py", 4, 4, None), ("tasks.py", 14, 6, None)]
    assert _found(tmp_path, "timeout") == [("tasks.py", 10, 240000, "function"), ("tasks.py", 22, 5000, "total"),
                                           ("tasks.py", 27, 5000, "total")]


def test_django_databases_options_filled_item_by_item(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\npsycopg[pool]\n")
    (tmp_path / "settings.py").write_text(
        "import os\n"
        "import dj_database_url\n\n"
        "DATABASES = {'default': dj_database_url.parse(os.environ['DATABASE_URL'])}\n"
        "if os.environ.get('DB_POOL'):\n"
        "    DATABASES['default']['OPTIONS'] = {\n"
        "        'connect_timeout': int(os.environ.get('DB_CONNECT_TIMEOUT', '10')),\n"  # 7
        "        'pool': {\n"
        "            'min_size': 1,\n"
        "            'max_idle': 300,\n"                                                   # 10: idle lifetime, no wait
        "            'timeout': 30,\n"                                                     # 11: the pool's acquire wait
        "        },\n"
        "    }\n"
        "DATABASES['replica'] = {'ENGINE': 'x'}\n"
        "DATABASES['replica']['OPTIONS']['connect_timeout'] = 3\n"                         # 15
        "LEGACY = {'default': {}}\n"
        "LEGACY['default']['OPTIONS'] = {'connect_timeout': 4}\n"                          # 17: not Django's DATABASES
        "\n\n"
        "def configure(conf):\n"
        "    conf['default']['OPTIONS'] = {'connect_timeout': 5}\n")                       # 21: inside a function
    assert _found(tmp_path, "timeout") == [("settings.py", 7, 10000, "connect"), ("settings.py", 11, 30000, "connect"),
                                           ("settings.py", 15, 3000, "connect")]


def test_attempt_generators_and_elasticsearch_bulk_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("servicelayer\nelasticsearch\n")
    (tmp_path / "index.py").write_text(
        "from elasticsearch import Elasticsearch, TransportError\n"
        "from elasticsearch.helpers import streaming_bulk\n"
        "from servicelayer.util import backoff, service_retries\n\n"
        "es = Elasticsearch('http://es:9200')\n\n\n"
        "def local_retries():\n"
        "    return range(5)\n\n\n"
        "def index_safe(index, id, body):\n"
        "    for attempt in service_retries():\n"                                        # 13
        "        try:\n"
        "            return es.index(index=index, id=id, body=body)\n"
        "        except TransportError as exc:\n"
        "            backoff(failures=attempt)\n\n\n"
        "def delete_safe(index, id):\n"
        "    for attempt in local_retries():\n"                                          # 21
        "        try:\n"
        "            return es.delete(index=index, id=id)\n"
        "        except TransportError:\n"
        "            backoff(failures=attempt)\n\n\n"
        "def replay(store):\n"
        "    for retry in store.pending_retries():\n"                                    # 29: records, not attempts
        "        try:\n"
        "            es.index(index='retries', body=retry)\n"
        "        except KeyError:\n"
        "            continue\n\n\n"
        "def bulk_index(actions):\n"
        "    for ok, item in streaming_bulk(es, actions, max_retries=10, yield_ok=False):\n"  # 37
        "        pass\n"
        "    for ok, item in streaming_bulk(es, actions):\n"                             # 39: the default, no retries
        "        pass\n")
    assert _found(tmp_path, "retry") == [("index.py", 13, 30, None), ("index.py", 21, 5, None),
                                         ("index.py", 37, 11, None)]


def test_project_http_adapter_subclass_max_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "http.py").write_text(
        "import requests\n"
        "from requests.adapters import HTTPAdapter\n"
        "\n\n"
        "class TimeoutHTTPAdapter(HTTPAdapter):\n"
        "    def __init__(self, *args, timeout=None, **kwargs):\n"
        "        self.timeout = timeout\n"
        "        super().__init__(*args, **kwargs)\n\n\n"
        "class CacheAdapter:\n"
        "    def __init__(self, max_retries=0):\n"
        "        self.max_retries = max_retries\n\n\n"
        "def session():\n"
        "    s = requests.Session()\n"
        "    s.mount('https://', TimeoutHTTPAdapter(max_retries=2, timeout=30))\n"      # 18
        "    cache = CacheAdapter(max_retries=4)\n"                                     # 19: not an HTTPAdapter
        "    return s\n")
    assert [r for r in _found(tmp_path, "retry") if r[0] == "http.py"] == [("http.py", 18, 3, None)]


def test_django_q_and_post_office_settings(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\ndjango-q2\ndjango-post-office\n")
    (tmp_path / "settings.py").write_text(
        "import datetime\n\n"
        "Q_CLUSTER = {\n"
        "    'name': 'soar',\n"
        "    'timeout': 43200,\n"                                 # 5
        "    'retry': 43300,\n"                                   # 6: seconds before re-presenting, not a count
        "    'max_attempts': 3,\n"                                # 7
        "}\n"
        "POST_OFFICE = {\n"
        "    'BATCH_SIZE': 30,\n"
        "    'BATCH_DELIVERY_TIMEOUT': 180,\n"                    # 11
        "    'MAX_RETRIES': 4,\n"                                 # 12
        "    'RETRY_INTERVAL': datetime.timedelta(minutes=15),\n"  # 13: a delay
        "}\n"
        "CACHE_OPTIONS = {'timeout': 60, 'max_attempts': 2}\n")   # 15: not a task runner's settings
    assert _found(tmp_path, "timeout") == [("settings.py", 5, 43200000, "function"),
                                           ("settings.py", 11, 180000, "function")]
    assert _found(tmp_path, "retry") == [("settings.py", 7, 3, None), ("settings.py", 12, 5, None)]


def test_counted_recursion_on_two_paths_and_reconnect_flag(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\npika\n")
    (tmp_path / "push.py").write_text(
        "import requests\n"
        "from requests.exceptions import RequestException\n\n\n"
        "def send_push(endpoint, version, max_retries=3, _retry_count=0):\n"
        "    try:\n"
        "        r = requests.put(endpoint, data=str(version), timeout=5)\n"
        "    except RequestException:\n"
        "        if _retry_count < max_retries:\n"
        "            return send_push(endpoint, version, max_retries, _retry_count + 1)\n"      # 10
        "        return None\n"
        "    if r.status_code == 503 and _retry_count < max_retries:\n"
        "        return send_push(endpoint, version, max_retries, _retry_count + 1)\n"          # 13: same budget
        "    return r\n\n\n"
        "def walk(node, depth=0):\n"
        "    for child in node.children:\n"
        "        walk(child, depth + 1)\n")                                                      # 19: a tree walk
    (tmp_path / "amqp.py").write_text(
        "import pika\n\n\n"
        "class Pipeline:\n"
        "    def connect(self):\n"
        "        self.channel = pika.BlockingConnection(pika.ConnectionParameters('mq')).channel()\n\n"
        "    def send(self, queue, message, reconnect=True):\n"
        "        try:\n"
        "            self.channel.basic_publish(exchange='', routing_key=queue, body=message)\n"
        "        except Exception as exc:\n"
        "            if reconnect and isinstance(exc, pika.exceptions.ConnectionClosed):\n"
        "                self.connect()\n"
        "                self.send(queue, message, reconnect=False)\n"                            # 14
        "            else:\n"
        "                raise\n\n"
        "    def publish(self, queue, message, verbose=True):\n"
        "        try:\n"
        "            self.channel.basic_publish(exchange='', routing_key=queue, body=message)\n"
        "        except Exception:\n"
        "            if verbose:\n"
        "                self.publish(queue, message, verbose=False)\n")                          # 23: not a retry flag
    assert _found(tmp_path, "retry") == [("amqp.py", 14, 2, None), ("push.py", 10, 4, None)]


def test_async_call_results_waited_at_once_and_kazoo_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("kazoo\ncelery\n")
    (tmp_path / "zk.py").write_text(
        "import queue\n"
        "import time\n"
        "from kazoo.client import KazooClient, KazooRetry\n"
        "from tasks import render\n\n"
        "client = KazooClient('zk:2181', connection_retry=KazooRetry(max_delay=1, max_tries=-1),\n"   # 6
        "                     command_retry=KazooRetry(max_tries=5, sleep_func=time.sleep))\n"       # 7
        "jobs = queue.Queue()\n\n\n"
        "def touch(path, value):\n"
        "    client.set_async(path, value).get(timeout=1)\n"                                          # 12
        "    html = render.delay(path).get(timeout=10)\n"                                            # 13
        "    item = jobs.get(timeout=2)\n"                                                           # 14: a local queue
        "    cached = {'a': 1}.get('a')\n"
        "    return html, item, cached\n")
    assert _found(tmp_path, "retry") == [("zk.py", 6, None, None), ("zk.py", 7, 5, None)]
    assert _found(tmp_path, "timeout") == [("zk.py", 12, 1000, "deadline"), ("zk.py", 13, 10000, "deadline")]


def test_settings_dicts_named_for_client_keyword_arguments(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\nelasticsearch\n")
    (tmp_path / "settings.py").write_text(
        "ES_TIMEOUT = 5\n"
        "ES_SEARCH_PARAMS = {'request_timeout': ES_TIMEOUT}\n"                           # 2
        "PAYMENT_CLIENT_KWARGS = {'timeout': 2.5, 'max_connections': 10}\n"              # 3
        "CELERY_BROKER_TRANSPORT_OPTIONS = {'visibility_timeout': 3600, 'timeout': 9}\n"  # 4: not a client's kwargs
        "UI_OPTIONS = {'timeout': 300}\n"                                                # 5: a UI setting
        "SESSION_SETTINGS = {'timeout': 1800}\n")                                        # 6: a session lifetime
    assert _found(tmp_path, "timeout") == [("settings.py", 2, 5000, "total"), ("settings.py", 3, 2500, "total")]


def test_pgtransaction_retries_and_django_environ_objects(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\ndjango-pgtransaction\ndjango-environ\nredis\n")
    (tmp_path / "envs.py").write_text("import environ\n\nENVIRONMENT = environ.Env()\n")
    (tmp_path / "settings.py").write_text(
        "from envs import ENVIRONMENT\n\n"
        "REDIS_SOCKET_TIMEOUT = ENVIRONMENT.get_value('REDIS_SOCKET_TIMEOUT', default=0.1)\n"
        "REDIS_CONNECT_TIMEOUT = ENVIRONMENT.float('REDIS_CONNECT_TIMEOUT', default=0.2)\n"
        "REDIS_CACHE_CONNECTION_PARAMS = dict(\n"
        "    host='redis',\n"
        "    socket_connect_timeout=REDIS_CONNECT_TIMEOUT,\n"                                  # 7
        "    socket_timeout=REDIS_SOCKET_TIMEOUT,\n"                                           # 8
        "    max_connections=10,\n"
        ")\n")
    (tmp_path / "views.py").write_text(
        "import pgtransaction\n\n\n"
        "def atomic_with_retry(retries: int):\n"
        "    def decorator(func):\n"
        "        def wrapper(*args, **kwargs):\n"
        "            return pgtransaction.atomic(isolation_level=pgtransaction.SERIALIZABLE, retry=retries)(func)(\n"  # 7
        "                *args, **kwargs)\n"
        "        return wrapper\n"
        "    return decorator\n\n\n"
        "class WorkspaceView:\n"
        "    atomic_retry = 3\n\n"
        "    @pgtransaction.atomic(isolation_level=pgtransaction.SERIALIZABLE, retry=3)\n"   # 16
        "    def create(self, request):\n"
        "        return request\n\n"
        "    @pgtransaction.atomic(isolation_level=pgtransaction.SERIALIZABLE)\n"            # 20: no retry
        "    def update(self, request):\n"
        "        return request\n\n"
        "    @atomic_with_retry(retries=10)\n"                                                # 24
        "    def move(self, request):\n"
        "        return request\n")
    assert _found(tmp_path, "timeout") == [("settings.py", 7, 200, "connect"), ("settings.py", 8, 100, "read")]
    assert [r for r in _found(tmp_path, "retry")] == [("views.py", 16, 4, None), ("views.py", 24, 11, None)]


def test_flask_app_config_values_from_the_settings_module(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\nboto3\nrequests\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(
        "import os\n\n"
        "EQ_DYNAMODB_MAX_RETRIES = int(os.getenv('EQ_DYNAMODB_MAX_RETRIES', '5'))\n"
        "HTTP_TIMEOUT = float(os.getenv('HTTP_TIMEOUT', '3'))\n")
    (tmp_path / "app" / "setup.py").write_text(
        "import boto3\n"
        "import requests\n"
        "from botocore.config import Config\n"
        "from flask import current_app\n\n\n"
        "def setup_dynamodb(application):\n"
        "    config = Config(retries={'max_attempts': application.config['EQ_DYNAMODB_MAX_RETRIES']})\n"  # 8
        "    return boto3.resource('dynamodb', config=config)\n\n\n"
        "def fetch(url):\n"
        "    return requests.get(url, timeout=current_app.config['HTTP_TIMEOUT'])\n\n\n"                 # 13
        "class Client:\n"
        "    def __init__(self, config):\n"
        "        self.config = config\n\n"
        "    def get(self, url):\n"
        "        return requests.get(url, timeout=self.config['HTTP_TIMEOUT'])\n")                       # 20: its own dict
    assert _found(tmp_path, "retry") == [("setup.py", 8, 6, None)]
    assert [r for r in _found(tmp_path, "timeout") if r[1] == 13] == [("setup.py", 13, 3000, "total")]
    assert [r[2] for r in _found(tmp_path, "timeout") if r[1] == 20] in ([], [None])


def test_telethon_client_options(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("telethon\n")
    (tmp_path / "bot.py").write_text(
        "from telethon import TelegramClient\n\n"
        "client = TelegramClient('bot', 1, 'hash', timeout=20, connection_retries=5, request_retries=-1)\n")  # 3
    (tmp_path / "other.py").write_text(
        "from chat.clients import MyTelegramClient\n\n"
        "client = MyTelegramClient(connection_retries=3)\n")                                             # 3: no telethon
    assert _found(tmp_path, "timeout") == [("bot.py", 3, 20000, "connect")]
    assert _found(tmp_path, "retry") == [("bot.py", 3, 6, None), ("bot.py", 3, None, None)]


def test_closure_calling_itself_with_a_counted_retry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("langchain\n")
    (tmp_path / "chains.py").write_text(
        "from langchain_core.exceptions import OutputParserException\n"
        "from langchain_core.runnables import RunnableLambda\n\n\n"
        "def build_chain_with_retry(chain, default_result=None, max_retries: int = 1):\n"
        "    def chain_with_retry(payload, retry: int = 0):\n"
        "        try:\n"
        "            return chain.invoke(payload)\n"
        "        except OutputParserException:\n"
        "            if retry < max_retries:\n"
        "                return chain_with_retry(payload, retry=retry + 1)\n"                # 11
        "            return default_result\n"
        "    return RunnableLambda(chain_with_retry)\n\n\n"
        "def flatten(tree):\n"
        "    def visit(node, depth=0):\n"
        "        for child in node.children:\n"
        "            visit(child, depth + 1)\n"                                             # 19: a tree walk
        "    visit(tree)\n")
    assert _found(tmp_path, "retry") == [("chains.py", 11, 2, None)]


def test_urllib3_per_request_retries(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("urllib3\n")
    (tmp_path / "c.py").write_text(
        "import urllib3\n"
        "from urllib3.util import Retry\n\n\n"
        "class HTTPClient:\n"
        "    def __init__(self):\n"
        "        self.http = urllib3.PoolManager(num_pools=10)\n\n"
        "    def get(self, url):\n"
        "        return self.http.request('GET', url, retries=2, timeout=5)\n"             # 10
        "\n"
        "    def put(self, url, data):\n"
        "        kwargs = {'retries': 0, 'body': data}\n"
        "        kwargs['timeout'] = 3\n"
        "        return self.http.request('PUT', url, **kwargs)\n"                          # 15
        "\n"
        "    def head(self, url):\n"
        "        return self.http.request('HEAD', url, retries=None, timeout=1)\n"          # 18: the default
        "\n"
        "    def delete(self, url):\n"
        "        return self.http.request('DELETE', url, retries=Retry(total=4))\n")       # 21: the Retry object's
    assert _found(tmp_path, "retry") == [("c.py", 10, 3, None), ("c.py", 15, 1, None), ("c.py", 21, 5, None)]


def test_settings_instance_fields_filled_in_the_constructor(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("elasticsearch\nservicelayer\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(
        "from servicelayer import env\n\n\n"
        "class Settings:\n"
        "    def __init__(self):\n"
        "        self.ELASTICSEARCH_TIMEOUT = env.to_int('ELASTICSEARCH_TIMEOUT', 60)\n"
        "        self.request_timeout = 99\n\n\n"
        "SETTINGS = Settings()\n")
    (tmp_path / "app" / "core.py").write_text(
        "from elasticsearch import Elasticsearch\n"
        "from app.settings import SETTINGS\n\n\n"
        "def get_es(url):\n"
        "    return Elasticsearch(url, timeout=SETTINGS.ELASTICSEARCH_TIMEOUT)\n"            # 6
        "\n\n"
        "def get_other(url):\n"
        "    return Elasticsearch(url, timeout=SETTINGS.request_timeout)\n")                  # 10: not a setting field
    assert _found(tmp_path, "timeout") == [("core.py", 6, 60000, "total"), ("core.py", 10, None, "total")]
