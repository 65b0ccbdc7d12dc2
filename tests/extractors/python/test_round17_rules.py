"""Round-17 rules (held-out gns3-server, elastalert2), through the pipeline: a project helper called on a
receiver named like its class (`compute.post(...)`, `node1.put(...)`, `self._compute.get(...)`) through
`**kwargs` forwarders in other files; a keyword handed through `**kwargs` to the inner helper's parameter;
`if timeout is None: timeout = X` not overriding a non-None default; a `.get("x_timeout", 10)` default on a
mapping of any name. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key])
                  for f in result.findings if f.kind == kind)


_COMPUTE = (
    "import aiohttp\n\n\n"
    "class Compute:\n"
    "    def _session(self):\n"
    "        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600))\n\n"
    "    async def http_query(self, method, path, data=None, dont_connect=False, **kwargs):\n"
    "        return await self._run_http_query(method, path, data=data, **kwargs)\n\n"
    "    async def _run_http_query(self, method, path, data=None, timeout=120, raw=False):\n"
    "        return await self._session().request(method, path, data=data, timeout=timeout)\n"  # 12
    "\n"
    "    async def get(self, path, **kwargs):\n"
    "        return await self.http_query(\"GET\", path, **kwargs)\n\n"
    "    async def post(self, path, data={}, **kwargs):\n"
    "        return await self.http_query(\"POST\", path, data, **kwargs)\n\n"
    "    async def ports(self):\n"
    "        return await self.get(\"/network/interfaces\")\n")                     # 21


def test_helpers_called_on_receivers_named_like_their_class(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    (tmp_path / "compute.py").write_text(_COMPUTE)
    (tmp_path / "node.py").write_text(
        "import logging\n\n\n"
        "class Node:\n"
        "    def __init__(self, compute):\n"
        "        self._compute = compute\n\n"
        "    async def post(self, path, data=None, **kwargs):\n"
        "        if data:\n"
        "            return await self._compute.post(\"/n\" + path, data=data, **kwargs)\n"
        "        else:\n"
        "            return await self._compute.post(\"/n\" + path, **kwargs)\n\n"
        "    async def start(self):\n"
        "        await self.post(\"/start\", timeout=240)\n"                            # 15
        "\n"
        "    async def stop(self):\n"
        "        await self.post(\"/stop\")\n")                                         # 18
    (tmp_path / "project.py").write_text(
        "import logging\n\n\n"
        "class Project:\n"
        "    async def open(self, computes, nodes, settings):\n"
        "        for compute in computes:\n"
        "            await compute.post(\"/projects\", data={})\n"                      # 7
        "            await compute.get(\"/projects/1\", timeout=30)\n"                  # 8
        "            await compute.post(\"/projects/2\", timeout=None)  # ok: explicit no limit\n"
        "        node1 = nodes[0]\n"
        "        await node1.post(\"/nio\", data={})\n"                                 # 11
        "        await node1.compute.post(\"/ports/udp\")\n"                            # 12
        "        compute = aiohttp_session()\n"
        "        client = nodes[1]\n"
        "        await client.post(\"/x\")  # ok: a name every kind of object takes\n"
        "        settings.get(\"compute_timeout\")  # ok: no helper of that name\n")
    (tmp_path / "other.py").write_text(
        "import aiohttp\n\n\n"
        "async def fetch(url):\n"
        "    compute = aiohttp.ClientSession()\n"
        "    await compute.post(url)  # ok: a library's object, whatever its name\n")   # 6
    found = _found(tmp_path, "timeout")
    assert ("compute.py", 12, 120000) in found          # rule (a)
    assert ("compute.py", 21, 120000) in found
    assert ("node.py", 15, 240000) in found             # rule (c) through **kwargs
    assert ("node.py", 18, 120000) in found             # rule (b) through Node.post -> Compute.post
    assert ("project.py", 7, 120000) in found
    assert ("project.py", 8, 30000) in found
    assert ("project.py", 11, 120000) in found
    assert ("project.py", 12, 120000) in found
    assert not any(name == "project.py" and line in (9, 15, 16) for name, line, _ in found)
    assert not any(name == "other.py" and line == 6 and value == 120000 for name, line, value in found)


def test_none_guard_keeps_a_non_none_default(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    (tmp_path / "docker.py").write_text(
        "import aiohttp\n\n\n"
        "class Docker:\n"
        "    def __init__(self):\n"
        "        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))\n\n"
        "    async def http_query(self, method, path, timeout=300):\n"
        "        if timeout is None:\n"
        "            timeout = 60 * 60 * 24 * 31  # a caller handing None: one month\n"
        "        return await self._session.request(method, path, timeout=timeout)\n"    # 11
        "\n"
        "    async def fetch(self, url, timeout=None):\n"
        "        if timeout is None:\n"
        "            timeout = 30\n"
        "        return await self._session.get(url, timeout=timeout)\n"                 # 16
        "\n"
        "    async def slow(self, url, timeout=5):\n"
        "        if not timeout:\n"
        "            timeout = 45\n"
        "        timeout = 60\n"
        "        return await self._session.get(url, timeout=timeout)\n")                # 22
    found = _found(tmp_path, "timeout")
    assert ("docker.py", 11, 300000) in found
    assert ("docker.py", 16, 30000) in found    # a None default: the guard sets the value
    assert ("docker.py", 22, 60000) in found    # an unguarded reassignment still counts
    assert not any(line == 11 and value == 2678400000 for _, line, value in found)


def test_timeout_named_key_default_of_any_mapping(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "slack.py").write_text(
        "import json\n\n"
        "import requests\n\n\n"
        "class SlackAlerter:\n"
        "    def __init__(self, rule):\n"
        "        self.rule = rule\n"
        "        self.slack_timeout = self.rule.get('slack_timeout', 10)\n"
        "        self.color_count = self.rule.get('slack_color_count', 7)\n"
        "        self.gelf_timeout = self.rule.get('gelf_timeout')\n\n"
        "    def alert(self, url, payload):\n"
        "        requests.post(url, data=json.dumps(payload), timeout=self.slack_timeout)\n"   # 14
        "        requests.post(url, timeout=self.color_count)  # a number, not from a timeout key\n"  # 15
        "        requests.post(url, timeout=self.gelf_timeout)\n"                               # 16
        "        note = {'timeout': 'slack_timeout'}  # ok: a string\n")
    found = _found(tmp_path, "timeout")
    assert ("slack.py", 14, 10000) in found
    assert not any(line == 15 and value == 7000 for _, line, value in found)
    assert not any(line == 16 and value is not None for _, line, value in found)
    assert not any(line == 17 for _, line, _ in found)


def test_retry_count_popped_from_kwargs_in_a_base_class_of_another_file(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    pkg = tmp_path / "wb"
    (pkg / "core").mkdir(parents=True)
    (pkg / "providers").mkdir()
    for d in (pkg, pkg / "core", pkg / "providers"):
        (d / "__init__.py").write_text("")
    (pkg / "core" / "provider.py").write_text(
        "import asyncio\n\n"
        "import aiohttp\n\n\n"
        "class BaseProvider:\n"
        "    async def make_request(self, method, url, *args, **kwargs):\n"
        "        retry = _retry = kwargs.pop('retry', 2)\n"
        "        expects = kwargs.pop('expects', None)\n"
        "        while retry >= 0:\n"                                                   # 10
        "            try:\n"
        "                async with aiohttp.ClientSession() as session:\n"
        "                    return await session.request(method, url, *args, **kwargs)\n"
        "            except aiohttp.ClientError:\n"
        "                if retry <= 0:\n"
        "                    raise\n"
        "                await asyncio.sleep((1 + _retry - retry) * 2)\n"
        "                retry -= 1\n\n"
        "    def describe(self, **kwargs):\n"
        "        count = kwargs.pop('retry_count', 4)  # ok: no retry loop here\n"
        "        return count\n")
    (pkg / "providers" / "box.py").write_text(
        "import json\n\n"
        "from wb.core import provider\n\n\n"
        "class BoxProvider(provider.BaseProvider):\n"
        "    async def make_request(self, method, url, *args, **kwargs):\n"
        "        kwargs['data'] = json.dumps(kwargs.get('data'))\n"
        "        return await super().make_request(method, url, *args, **kwargs)  # ok: a forwarder\n\n"  # 9
        "    async def metadata(self, path):\n"
        "        return await self.make_request(\n"                                    # 12
        "            'get',\n"
        "            path,\n"
        "            expects=(200, 404,),\n"
        "        )\n\n"
        "    async def delete(self, path):\n"
        "        await self.make_request('delete', path, retry=0)  # ok: given (not a default)\n"  # 19
        "        self.describe()\n")                                                   # 20
    (pkg / "providers" / "osf.py").write_text(
        "from wb.core import provider\n\n\n"
        "class OSFStorageProvider(provider.BaseProvider):\n"
        "    async def make_signed_request(self, method, url, data=None, params=None, ttl=100, **kwargs):\n"
        "        url, data, params = self.build_signed_url(method, url, data=data, params=params, ttl=ttl, **kwargs)\n"
        "        return await self.make_request(method, url, data=data, params=params, **kwargs)  # ok: a forwarder\n\n"
        "    def build_signed_url(self, method, url, data=None, params=None, ttl=100, **kwargs):\n"
        "        return url, data, params\n\n"
        "    async def metadata(self, path):\n"
        "        return await self.make_signed_request('GET', path, expects=(200,))\n"     # 13
        "\n"
        "    async def plain(self, path):\n"
        "        return await self.make_request('GET', path)\n")                           # 16
    found = _found(tmp_path, "retry")
    assert ("provider.py", 10, 3) in found      # rule (a): the loop, bounded by the popped default
    assert ("box.py", 12, 3) in found           # rule (b) through Box's own forwarder to super()
    assert ("osf.py", 13, 3) in found           # rule (b) through make_signed_request's **kwargs
    assert ("osf.py", 16, 3) in found           # rule (b): the inherited helper itself
    assert not any(name == "box.py" and line in (9, 19, 20) for name, line, _ in found)
    assert not any(name == "osf.py" and line in (6, 7) for name, line, _ in found)


def test_tenacity_helper_chain_with_none_defaults_and_a_coercion_helper(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("tenacity\n")
    (tmp_path / "rr.py").write_text(
        "from tenacity import AsyncRetrying, stop_after_attempt\n\n"
        "from conf import coerce_int_config\n\n"
        "REQUEST_RETRY_ATTEMPTS = 5\n\n\n"
        "def _build_retrying(label, *, max_attempts: int | None = None) -> AsyncRetrying:\n"
        "    max_attempts = coerce_int_config(\n"
        "        max_attempts if max_attempts is not None else REQUEST_RETRY_ATTEMPTS,\n"
        "        default=REQUEST_RETRY_ATTEMPTS,\n"
        "        min_value=1,\n"
        "    )\n"
        "    return AsyncRetrying(stop=stop_after_attempt(max_attempts), reraise=True)\n"      # 14
        "\n\n"
        "async def retry_provider_request(label, factory, *, max_attempts: int | None = None):\n"
        "    retrying = _build_retrying(label, max_attempts=max_attempts)\n"                   # 18
        "    async for attempt in retrying:\n"
        "        with attempt:\n"
        "            return await factory()\n")
    (tmp_path / "conf.py").write_text(
        "def coerce_int_config(value, default, min_value=1):\n"
        "    try:\n"
        "        return max(int(value), min_value)\n"
        "    except (TypeError, ValueError):\n"
        "        return default\n")
    (tmp_path / "user.py").write_text(
        "from rr import retry_provider_request\n\n\n"
        "async def go(client):\n"
        "    return await retry_provider_request(\"A\", lambda: client.create())\n"           # 5
        "\n\n"
        "async def query(client, request_max_retries: int | None = None):\n"
        "    return await retry_provider_request(\"G\", lambda: client.create(), max_attempts=request_max_retries)\n"  # 9
        "\n\n"
        "async def twice(client):\n"
        "    return await retry_provider_request(\"T\", lambda: client.create(), max_attempts=2)\n"  # 13
        "\n\n"
        "async def other(client, retries=None):\n"
        "    label = coerce_label(retries)  # ok: not a helper with a bound\n"
        "    return label\n")
    found = _found(tmp_path, "retry")
    assert ("rr.py", 14, 5) in found        # rule (a): the coerced fallback
    assert ("rr.py", 18, 5) in found        # rule (a): max_attempts=None handed on
    assert ("user.py", 5, 5) in found       # rule (b)
    assert ("user.py", 9, 5) in found       # rule (a) at a caller handing its own None-defaulted bound
    assert ("user.py", 13, 2) in found      # rule (c)
    assert not any(name == "user.py" and line == 17 for name, line, _ in found)


def test_counter_loop_written_with_not_equal_and_state_polls_that_are_no_retry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "vm.py").write_text(
        "import asyncio\n"
        "import time\n\n"
        "import requests\n\n\n"
        "class VM:\n"
        "    async def stop(self):\n"
        "        trial = 120\n"
        "        while True:  # ok: waits for the VM to power off (a state), no retry\n"    # 10
        "            try:\n"
        "                vm_state = requests.get(self.url, timeout=3).json()['state']\n"
        "            except requests.RequestException:\n"
        "                vm_state = 'running'\n"
        "            if vm_state == 'poweroff':\n"
        "                break\n"
        "            trial -= 1\n"
        "            if trial == 0:\n"
        "                break\n"
        "            await asyncio.sleep(1)\n\n"
        "    def fetch(self, url):\n"
        "        trial = 5\n"
        "        while True:\n"                                                            # 24
        "            try:\n"
        "                r = requests.get(url, timeout=3)\n"
        "                if r.status_code == 200:\n"
        "                    return r\n"
        "            except requests.RequestException:\n"
        "                pass\n"
        "            trial -= 1\n"
        "            if trial == 0:\n"
        "                raise RuntimeError('gave up')\n"
        "            time.sleep(1)\n\n"
        "    def create(self, data):\n"
        "        trial = 0\n"
        "        while trial != 6:\n"                                                      # 38
        "            try:\n"
        "                return requests.post(self.url, json=data, timeout=3)\n"
        "            except requests.ConnectionError:\n"
        "                pass\n"
        "            trial += 1\n\n"
        "    def walk(self, items):\n"
        "        i = 0\n"
        "        while i != len(items):  # ok: a walk over items, nothing retried\n"      # 47
        "            print(items[i])\n"
        "            i += 1\n")
    found = _found(tmp_path, "retry")
    assert ("vm.py", 24, 5) in found
    assert ("vm.py", 38, 6) in found
    assert not any(line in (10, 47) for _, line, _ in found)


def test_retry_count_a_decorator_factory_pops_from_the_decorated_functions_kwargs(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("sqlalchemy\n")
    app = tmp_path / "app"
    (app / "dao").mkdir(parents=True)
    (app / "tasks").mkdir()
    for d in (app, app / "dao", app / "tasks"):
        (d / "__init__.py").write_text("")
    (app / "utils.py").write_text(
        "from functools import wraps\n\n"
        "from sqlalchemy.exc import OperationalError\n\n\n"
        "def retryable_query(default_retry_attempts: int = 0, exception_cls=OperationalError):\n"
        "    def retry_decorator(inner):\n"
        "        @wraps(inner)\n"
        "        def retry_wrapper(*args, **kwargs):\n"
        "            retry_attempts = kwargs.pop(\"retry_attempts\", default_retry_attempts)\n"
        "            for attempt in range(retry_attempts + 1):\n"
        "                try:\n"
        "                    return inner(*args, **kwargs)\n"
        "                except exception_cls:\n"
        "                    if attempt >= retry_attempts:\n"
        "                        raise\n"
        "        return retry_wrapper\n"
        "    return retry_decorator\n\n\n"
        "def logged(fn):\n"
        "    return fn\n")
    (app / "dao" / "queries.py").write_text(
        "from app.utils import logged, retryable_query\n\n\n"
        "@retryable_query()\n"
        "def dao_fetch(template, session=None):\n"
        "    return session.query(template).scalar()\n\n\n"
        "@logged\n"
        "def dao_plain(template, session=None, **kwargs):\n"
        "    return session.query(template).scalar()\n")
    (app / "tasks" / "nightly.py").write_text(
        "from app.dao.queries import dao_fetch, dao_plain\n\n\n"
        "def run(template, db):\n"
        "    dao_fetch(template, session=db.session_bulk, retry_attempts=2)\n"        # 5
        "    dao_fetch(template, session=db.session)  # ok: dormant by default (no retry asked)\n"
        "    dao_plain(template, session=db.session, retry_attempts=2)  # ok: no retrying decorator\n")
    found = _found(tmp_path, "retry")
    assert ("nightly.py", 5, 3) in found
    assert not any(name == "nightly.py" and line in (6, 7) for name, line, _ in found)


def test_argparse_default_and_a_library_client_subclass_constructor(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("elasticsearch\n")
    (tmp_path / "create_index.py").write_text(
        "import argparse\n\n"
        "from elasticsearch import Elasticsearch\n\n\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--timeout', default=60, type=int, help='request timeout')\n"
        "    parser.add_argument('--host', default='localhost')\n"
        "    args = parser.parse_args()\n"
        "    timeout = args.timeout\n"
        "    return Elasticsearch(host=args.host, timeout=timeout)\n")                   # 12
    (tmp_path / "client.py").write_text(
        "from elasticsearch import Elasticsearch\n\n\n"
        "class ElasticSearchClient(Elasticsearch):\n"
        "    def __init__(self, conf):\n"
        "        super(ElasticSearchClient, self).__init__(host=conf['host'],\n"         # 6
        "                                                  timeout=30)\n\n\n"
        "class Plain:\n"
        "    def __init__(self, timeout):\n"
        "        super().__init__(timeout=timeout)  # ok: no library base\n")             # 12
    found = _found(tmp_path, "timeout")
    assert ("create_index.py", 12, 60000) in found
    assert ("client.py", 6, 30000) in found
    assert not any(name == "client.py" and line == 12 for name, line, _ in found)


def test_dynaconf_settings_read_from_the_projects_toml_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "merino"\ndependencies = ["dynaconf", "redis"]\n')
    pkg = tmp_path / "merino"
    (pkg / "configs").mkdir(parents=True)
    (pkg / "utils").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "utils" / "__init__.py").write_text("")
    (pkg / "configs" / "__init__.py").write_text(
        "from dynaconf import Dynaconf\n\n"
        "settings = Dynaconf(root_path=\"merino\", settings_files=[\"configs/default.toml\"], environments=True)\n")
    (pkg / "configs" / "default.toml").write_text(
        "[default]\ndebug = false\n\n"
        "[default.redis]\nserver = \"redis://localhost:6379\"\nsocket_connect_timeout_sec = 3\nsocket_timeout_sec = 5\n")
    (pkg / "utils" / "r.py").write_text(
        "from django.conf import settings as dj\n"
        "from redis.asyncio import Redis\n\n"
        "from merino.configs import settings\n\n\n"
        "def make():\n"
        "    return Redis.from_url(settings.redis.server,\n"                               # 8
        "                          socket_connect_timeout=settings.redis.socket_connect_timeout_sec,\n"
        "                          socket_timeout=settings.redis.socket_timeout_sec)\n\n\n"
        "def other():\n"
        "    return Redis.from_url(dj.CACHE.url, socket_timeout=dj.redis.missing_timeout)  # ok: not the toml's\n")  # 14
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    found = sorted((f.line, f.attributes.get("phase"), f.attributes.get("timeout_ms"))
                   for f in result.findings if f.kind == "timeout")
    assert (8, "connect", 3000) in found
    assert (8, "read", 5000) in found
    assert not any(line == 14 and value is not None for line, _, value in found)
