"""Round-22 rules (held-out hacs, chatgpt-telegram-bot, taiga-back, librephotos, jumpserver, r2r, intelowl): a
count of tries is no deadline, a configuration class's field default read through `self.config.x`, a retry
loop's result object is not the call tried once more, library objects' timeout attributes (dnspython,
Tencent Cloud), python-ldap options in a dict, a branch querying the database through a result is no re-call.
Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key])
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2])))


def test_a_count_of_tries_is_no_deadline(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    (tmp_path / "dl.py").write_text(
        "import asyncio\n\n"
        "import aiohttp\n\n\n"
        "async def download(session, url):\n"
        "    attempt_count = 0\n"
        "    while attempt_count < 5:\n"                                           # 8: 5 tries, no 5 s deadline
        "        try:\n"
        "            request = await session.get(url, timeout=aiohttp.ClientTimeout(total=60))\n"  # 10
        "            if request.status == 200:\n"
        "                return await request.read()\n"
        "            attempt_count += 1\n"
        "            await asyncio.sleep(10)\n"
        "        except TimeoutError:\n"
        "            attempt_count += 1\n"
        "            await asyncio.sleep(1)\n\n\n"
        "async def wait_book(tracker, pair, timeout=30, interval=2):\n"
        "    waited = 0\n"
        "    while waited < timeout:\n"                                            # 22: time summed from the sleeps
        "        if pair in tracker.order_books:\n"
        "            return True\n"
        "        await asyncio.sleep(interval)\n"
        "        waited += interval\n"
        "    return False\n")
    assert _found(tmp_path, "timeout") == [("dl.py", 10, 60000), ("dl.py", 22, 30000)]
    assert ("dl.py", 8, 5) in _found(tmp_path, "retry")


def test_a_configuration_class_field_read_through_self_config(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("litellm\n")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "core" / "base.py").write_text(
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\n"
        "class EmbeddingConfig:\n"
        "    max_retries: int = 4\n"
        "    request_timeout: float = 2.5\n")
    (tmp_path / "core" / "llm.py").write_text(
        "import asyncio\n\n"
        "from pydantic import BaseModel\n\n"
        "from .base import EmbeddingConfig\n\n\n"
        "class CompletionConfig(BaseModel):\n"
        "    max_retries: int = 3\n"
        "    request_timeout: float = 15.0\n\n\n"
        "class CompletionProvider:\n"
        "    def __init__(self, config: CompletionConfig) -> None:\n"
        "        self.config: CompletionConfig = config\n\n"
        "    async def call(self, task):\n"
        "        retries = 0\n"
        "        while retries < self.config.max_retries:\n"                     # 19: 3 attempts
        "            try:\n"
        "                return await asyncio.wait_for(self.run(task), timeout=self.config.request_timeout)\n"  # 21
        "            except Exception:\n"
        "                retries += 1\n"
        "                if retries == self.config.max_retries:\n"
        "                    raise\n"
        "                await asyncio.sleep(1)\n\n\n"
        "class EmbeddingProvider:\n"
        "    def __init__(self, config: EmbeddingConfig):\n"
        "        self.config = config\n\n"
        "    async def call(self, task):\n"
        "        retries = 0\n"
        "        while retries < self.config.max_retries:\n"                     # 35: 4 attempts (imported class)
        "            try:\n"
        "                return await self.run(task)\n"
        "            except Exception:\n"
        "                retries += 1\n"
        "                if retries == self.config.max_retries:\n"
        "                    raise\n"
        "                await asyncio.sleep(1)\n\n\n"
        "class Loose:\n"
        "    def __init__(self, config):\n"
        "        self.config = config  # no class said: unknown\n\n"
        "    async def call(self, task):\n"
        "        retries = 0\n"
        "        while retries < self.config.max_retries:\n"                     # 51: unknown
        "            try:\n"
        "                return await self.run(task)\n"
        "            except Exception:\n"
        "                retries += 1\n"
        "                if retries == self.config.max_retries:\n"
        "                    raise\n"
        "                await asyncio.sleep(1)\n")
    retries = _found(tmp_path, "retry")
    assert ("llm.py", 19, 3) in retries and ("llm.py", 35, 4) in retries and ("llm.py", 51, None) in retries
    assert ("llm.py", 21, 15000) in _found(tmp_path, "timeout")


def test_a_result_object_built_after_the_loop_is_not_the_call_tried_again(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "g.py").write_text(
        "import asyncio\n\n\n"
        "class GraphService:\n"
        "    async def extract(self, chunks, retries: int = 5):\n"
        "        for attempt in range(retries):\n"                                   # 6: 5 attempts
        "            try:\n"
        "                resp = await self.llm.aget_completion(chunks)\n"
        "                return Extraction(entities=resp.entities)\n"
        "            except Exception:\n"
        "                if attempt < retries - 1:\n"
        "                    await asyncio.sleep(2)\n"
        "                    continue\n"
        "                return Extraction(entities=[])\n"
        "        return Extraction(entities=[])\n\n"
        "    async def fetch(self, url, tries=3):\n"
        "        for attempt in range(tries):\n"                                     # 18: 3 + the last try after it
        "            try:\n"
        "                return await self.client.get(url)\n"
        "            except Exception:\n"
        "                await asyncio.sleep(1)\n"
        "        return await self.client.get(url)\n")
    retries = _found(tmp_path, "retry")
    assert ("g.py", 6, 5) in retries and ("g.py", 18, 4) in retries


def test_timeouts_set_as_attributes_of_library_objects(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("dnspython\n")
    (tmp_path / "d.py").write_text(
        "import dns.resolver\n"
        "from tencentcloud.common.profile.http_profile import HttpProfile\n"
        "from tencentcloud.sms.v20210111 import sms_client\n\n\n"
        "def resolve(observable, query_type):\n"
        "    resolver = dns.resolver.Resolver()\n"
        "    resolver.nameservers = ['64.6.64.6']\n"
        "    resolver.timeout = 10\n"                                             # 9
        "    resolver.lifetime = 20\n"                                            # 10
        "    return resolver.resolve(observable, query_type)\n\n\n"
        "def client(cred):\n"
        "    profile = HttpProfile()\n"
        "    profile.reqTimeout = 30\n"                                           # 16
        "    return sms_client.SmsClient(cred, 'ap-guangzhou', profile)\n\n\n"
        "class Job:\n"
        "    def run(self, Process):\n"
        "        proc = Process()\n"
        "        proc.lifetime = 5  # ok: not a library object's timeout\n"
        "        record = Record()\n"
        "        record.reqTimeout = 9  # ok: a project class\n\n\n"
        "class Record:\n"
        "    reqTimeout = 0\n")
    assert _found(tmp_path, "timeout") == [("d.py", 9, 10000), ("d.py", 10, 20000), ("d.py", 16, 30000)]


def test_python_ldap_options_given_as_a_dict(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django-auth-ldap\n")
    (tmp_path / "auth.py").write_text(
        "import ldap\n\n"
        "LDAP_CONNECT_TIMEOUT = 10\n\n"
        "AUTH_LDAP_CONNECTION_OPTIONS = {\n"
        "    ldap.OPT_TIMEOUT: LDAP_CONNECT_TIMEOUT,\n"                            # 6
        "    ldap.OPT_NETWORK_TIMEOUT: 15,\n"                                      # 7
        "    ldap.OPT_REFERRALS: 0,\n"
        "}\n"
        "LABELS = {'ldap.OPT_TIMEOUT': 5}  # ok: a string key\n"
        "OTHER = {options.OPT_TIMEOUT: 5}  # ok: not python-ldap's\n")
    assert _found(tmp_path, "timeout") == [("auth.py", 6, 10000), ("auth.py", 7, 15000)]


def test_a_branch_querying_the_database_through_the_result_is_no_recall(tmp_path: Path) -> None:
    (tmp_path / "svc" / "models").mkdir(parents=True)
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "models" / "__init__.py").write_text("")
    (tmp_path / "svc" / "models" / "album_thing.py").write_text(
        "def get_album_thing(title, owner):\n"
        "    return AlbumThing.objects.get_or_create(title=title, owner=owner)[0]\n")
    (tmp_path / "svc" / "models" / "photo.py").write_text(
        "import svc.models\n"
        "from svc.fxa import get_subscription_data\n\n\n"
        "class Photo:\n"
        "    def add(self, category):\n"
        "        album_thing = svc.models.album_thing.get_album_thing(title=category, owner=self.owner)\n"
        "        if album_thing.photos.filter(image_hash=self.image_hash).count() == 0:\n"
        "            album_thing = svc.models.album_thing.get_album_thing(title=category, owner=self.owner)  # ok\n"
        "            album_thing.photos.add(self)\n\n\n"
        "def dates(account):\n"
        "    data = get_subscription_data(account)\n"                               # 14: the reply says refreshed
        "    if 'refreshed' in data.keys():\n"
        "        account.refresh_from_db()\n"
        "        data = get_subscription_data(account)\n"
        "    return data\n\n\n"
        "def cached(cache, key):\n"
        "    token = cache.get(key)\n"
        "    if token is None:\n"
        "        token = cache.get(key)  # ok: a lookup, not a call of a service\n"
        "    return token\n")
    assert _found(tmp_path, "retry") == [("photo.py", 14, 2)]


def test_a_dict_configuration_class_defaults_read_through_the_loaded_object(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\n")
    app = tmp_path / "apps" / "jumpserver"
    (app / "settings").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "settings" / "__init__.py").write_text("")
    (app / "conf.py").write_text(
        "class Config(dict):\n"
        "    defaults = {\n"
        "        'SECRET_KEY': '',\n"
        "        'AUTH_LDAP_CONNECT_TIMEOUT': 10,\n"
        "        'REDIS_SOCKET_TIMEOUT': None,\n"
        "    }\n\n"
        "    def __getattr__(self, item):\n"
        "        return self.get(item)\n\n\n"
        "class Table:\n"
        "    defaults = {'OTHER_TIMEOUT': 99}  # ok: not a dict configuration class\n\n\n"
        "class ConfigManager:\n"
        "    @classmethod\n"
        "    def load_user_config(cls):\n"
        "        return Config()\n")
    (app / "const.py").write_text("from .conf import ConfigManager\n\nCONFIG = ConfigManager.load_user_config()\n")
    (app / "settings" / "auth.py").write_text(
        "import ldap\n"
        "import redis\n\n"
        "from ..const import CONFIG\n\n"
        "AUTH_LDAP_CONNECTION_OPTIONS = {\n"
        "    ldap.OPT_TIMEOUT: CONFIG.AUTH_LDAP_CONNECT_TIMEOUT,\n"                # 7: 10 s from the class table
        "    ldap.OPT_NETWORK_TIMEOUT: CONFIG.OTHER_TIMEOUT,\n"                    # 8: unknown (not a config class's)
        "}\n")
    assert _found(tmp_path, "timeout") == [("auth.py", 7, 10000), ("auth.py", 8, None)]


def test_a_truthy_default_behind_or_and_a_deadline_given_up_with_or(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "vault.py").write_text(
        "import time\n\n"
        "import requests\n\n\n"
        "class VaultClient:\n"
        "    def __init__(self, addr, timeout=10):\n"
        "        self.addr = addr\n"
        "        self.timeout = int(timeout or 10)\n"
        "        self.session = requests.Session()\n\n"
        "    def enable(self, mount):\n"
        "        deadline = time.monotonic() + self.timeout\n"
        "        while True:\n"
        "            response = self._send('POST', f'/v1/{mount}/config')\n"
        "            if response.status_code in (200, 204):\n"
        "                return\n"
        "            if response.status_code != 400 or time.monotonic() >= deadline:\n"  # 18: 10 s, at the check
        "                raise RuntimeError(response)\n"
        "            time.sleep(0.2)\n\n"
        "    def wait_file(self, path):\n"
        "        deadline = time.monotonic() + self.timeout\n"
        "        while True:\n"
        "            if path.exists() or time.monotonic() >= deadline:  # ok: a local file\n"
        "                return\n"
        "            time.sleep(0.2)\n\n"
        "    def _send(self, method, path):\n"
        "        return self.session.request(method, f'{self.addr}{path}', timeout=self.timeout)\n")  # 30: rule a
    assert _found(tmp_path, "timeout") == [("vault.py", 18, 10000), ("vault.py", 30, 10000)]


def test_a_counted_loop_renewing_the_token_and_going_round_again(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "im.py").write_text(
        "import requests\n\n\n"
        "class BaseRequest:\n"
        "    def raw_request(self, method, url, **kwargs):\n"
        "        return getattr(requests, method)(url, **kwargs).json()\n\n"
        "    def token_request(self, method, url, **kwargs):\n"
        "        for i in range(3):\n"                                                 # 9: 3 attempts
        "            self.add_token(kwargs)\n"
        "            data = self.raw_request(method, url, **kwargs)\n"
        "            if self.is_token_invalid(data):\n"
        "                self.refresh_access_token()\n"
        "                continue\n"
        "            return data\n"
        "        raise PermissionError(url)\n\n"
        "    def pages(self, url):\n"
        "        out = []\n"
        "        for i in range(10):\n"                                                # ok: pages, nothing renewed
        "            data = self.raw_request('get', url, params={'page': i})\n"
        "            if not data['items']:\n"
        "                continue\n"
        "            out.append(data)\n"
        "        return out\n\n"
        "    def tokens(self, urls):\n"
        "        for i in range(3):\n"                                                 # ok: the answer never returned
        "            data = self.raw_request('get', urls[i])\n"
        "            if data.get('expired'):\n"
        "                self.refresh_access_token()\n"
        "                continue\n"
        "            self.seen.append(data)\n")
    assert _found(tmp_path, "retry") == [("im.py", 9, 3)]


def test_a_query_with_a_timeout_on_a_library_object(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pypdns\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "models.py").write_text("class Local:\n    @classmethod\n    def check(cls, timeout=1):\n        return timeout\n")
    (tmp_path / "svc" / "a.py").write_text(
        "import queue\n"
        "import threading\n\n"
        "import pypdns\n"
        "import redis\n"
        "from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser as IdPMetadataParse\n\n"
        "from .models import Local\n\n\n"
        "def run(url, user, pwd, domain):\n"
        "    pdns = pypdns.PyPDNS(url=url, basic_auth=(user, pwd))\n"
        "    result = pdns.query(domain, timeout=5)\n"                                  # 13: 5 s
        "    settings = IdPMetadataParse.parse_remote(url, timeout=20)\n"               # 14: 20 s
        "    q = queue.Queue()\n"
        "    q.get(timeout=1)  # ok: a local queue\n"
        "    r = redis.Redis()\n"
        "    r.blpop('jobs', timeout=5)  # ok: queue long-polling\n"
        "    w = pypdns.Worker()\n"
        "    w.join(timeout=3)  # ok: a wait, not a query\n"
        "    Local.check(timeout=3)  # ok: this project's class\n"
        "    t = threading.Thread(target=run)\n"
        "    t.join(timeout=2)  # ok: a thread\n"
        "    return result, settings\n")
    assert _found(tmp_path, "timeout") == [("a.py", 13, 5000), ("a.py", 14, 20000)]


def test_a_recursive_repoll_given_up_right_before_the_recall(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "c.py").write_text(
        "import requests\n\n\n"
        "class DockerBasedAnalyzer:\n"
        "    key_not_found_max_retries: int = 10\n\n"
        "    @staticmethod\n"
        "    def _query(url, key):\n"
        "        resp = requests.get(f'{url}?key={key}', timeout=5)\n"
        "        return resp.status_code, resp.json()\n\n"
        "    def _polling(self, req_key, chance, re_poll_try=0):\n"
        "        status_code, json_data = self._query(self.url, req_key)\n"
        "        if status_code == 404:\n"
        "            if self.key_not_found_max_retries == re_poll_try:\n"
        "                raise RuntimeError('not found key after maximum retries')\n"
        "            return self._polling(req_key, chance, re_poll_try=re_poll_try + 1)\n"    # 17: 11 requests
        "        return True, json_data\n\n"
        "    def walk(self, node, depth=0):\n"
        "        if node.children:\n"
        "            if depth == 10:\n"
        "                raise RuntimeError('too deep')\n"
        "            return self.walk(node.children[0], depth=depth + 1)  # ok: a tree walk, no retry counter\n"
        "        return node\n")
    assert _found(tmp_path, "retry") == [("c.py", 17, 11)]


def test_pyramid_services_found_by_name_or_class_are_the_project_helpers(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pyramid\npyramid_services\nrequests\n")
    svc = tmp_path / "lms" / "services"
    svc.mkdir(parents=True)
    (tmp_path / "lms" / "__init__.py").write_text("")
    (svc / "__init__.py").write_text(
        "def includeme(config):\n"
        "    config.register_service_factory('lms.services.http.factory', name='http')\n")
    (svc / "http.py").write_text(
        "import requests\n\n\n"
        "class HTTPService:\n"
        "    def __init__(self):\n"
        "        self.session = requests.Session()\n\n"
        "    def request(self, method, url, timeout=(10, 10), **kwargs):\n"
        "        return self.session.request(method, url, timeout=timeout, **kwargs)\n\n"
        "    def get(self, *args, **kwargs):\n"
        "        return self.request('GET', *args, **kwargs)\n\n\n"
        "def factory(_context, _request):\n"
        "    return HTTPService()\n")
    (svc / "document.py").write_text(
        "from lms.services.http import HTTPService\n\n\n"
        "def fetch(request, url):\n"
        "    http = request.find_service(name='http')\n"
        "    return http.get(url).content\n\n\n"                                         # 6: rule b, 10 s / 10 s
        "def fetch_typed(request, url):\n"
        "    http = request.find_service(iface=HTTPService)\n"
        "    return http.get(url, timeout=3).content\n\n\n"                              # 11: rule c, 3 s
        "def other(request, url):\n"
        "    cache = request.find_service(name='cache')\n"
        "    return cache.get(url)  # ok: no such helper\n")
    found = [t for t in _found(tmp_path, "timeout") if t[0] == "document.py"]
    assert found == [("document.py", 6, 10000), ("document.py", 6, 10000), ("document.py", 11, 3000)]


def test_a_config_key_defaulted_by_the_plugin_schema_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "notify.py").write_text(
        "import requests\n\n\n"
        "class Notifier:\n"
        "    schema = {\n"
        "        'type': 'object',\n"
        "        'properties': {\n"
        "            'url': {'type': 'string'},\n"
        "            'timeout': {'type': 'integer', 'default': 30},\n"
        "            'retries': {'type': 'integer'},\n"
        "        },\n"
        "    }\n\n"
        "    def notify(self, data, config):\n"
        "        requests.post(config['url'], json=data, timeout=config.get('timeout'))\n"          # 15: 30 s
        "        requests.post(config['url'], json=data, timeout=config.get('read_timeout'))\n")   # 16: unknown
    assert _found(tmp_path, "timeout") == [("notify.py", 15, 30000), ("notify.py", 16, None)]


def test_a_same_file_construction_leaving_out_the_retry_bound(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "http.py").write_text(
        "import requests\n\n\n"
        "class Session(requests.Session):\n"
        "    def __init__(self, timeout: int = 30, max_retries: int = 1, **kwargs) -> None:\n"
        "        super().__init__()\n"
        "        self.timeout = timeout\n"                                              # 7: rule a, 30 s
        "        self.adapters['http://'].max_retries = max_retries\n"                  # 8: rule a, 2 attempts
        "\n"
        "    def request(self, method, url, **kwargs):\n"
        "        kwargs.setdefault('timeout', self.timeout)\n"
        "        return super().request(method, url, **kwargs)\n\n\n"
        "def request(method, url, **kwargs):\n"
        "    s = kwargs.pop('session', Session())\n"                                    # 16: rule b, both
        "    return s.request(method=method, url=url, **kwargs)\n\n\n"
        "def patient(method, url):\n"
        "    return Session(max_retries=4).request(method, url)\n")                      # 21: rule c, 5 attempts
    retries = _found(tmp_path, "retry")
    assert ("http.py", 8, 2) in retries and ("http.py", 16, 2) in retries and ("http.py", 21, 5) in retries


def test_a_peek_at_which_tasks_are_done_is_no_bound(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "pdf.py").write_text(
        "import asyncio\n\n\n"
        "async def pages(client, urls):\n"
        "    pending = [asyncio.create_task(client.get(u)) for u in urls]\n"
        "    while pending:\n"
        "        done, pending_set = await asyncio.wait(pending, timeout=0.01, return_when=asyncio.FIRST_COMPLETED)\n"
        "        if not done:\n"
        "            break\n"
        "        pending = list(pending_set)\n\n\n"
        "async def all_pages(client, urls):\n"
        "    tasks = [asyncio.create_task(client.get(u)) for u in urls]\n"
        "    done, _ = await asyncio.wait(tasks, timeout=30)\n"                           # 15: 30 s
        "    return done\n")
    assert _found(tmp_path, "timeout") == [("pdf.py", 15, 30000)]
