"""Round-14 rules (held-out spiderfoot, letta, course-discovery, langbot), through the pipeline: a camelCase
project helper reached through an attribute of unknown type (`self.sf.fetchUrl(...)`), a helper calling
itself again, an options item of the calling function's own parameter. Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("phase") if kind == "timeout" else None,
                   f.attributes[key]) for f in result.findings if f.kind == kind)


_SFLIB = (
    "import requests\n\n\n"
    "class SpiderFoot:\n"
    "    def __init__(self, options):\n"
    "        self.opts = options\n\n"
    "    def fetchUrl(self, url, cookies=None, timeout=30, useragent='x'):\n"
    "        res = requests.get(url, cookies=cookies, timeout=timeout)\n"              # 9
    "        if res.headers.get('refresh'):\n"
    "            return self.fetchUrl(res.headers['refresh'], cookies, timeout, useragent)  # ok: itself again\n"
    "        return res\n\n"
    "    def cveInfo(self, cve):\n"
    "        return self.fetchUrl('https://cve.example/' + cve, timeout=5)\n"           # 15
    "\n"
    "    def googleIterate(self, query, opts=None):\n"
    "        return self.fetchUrl('https://g.example/?q=' + query, timeout=opts['timeout'])  # ok: the caller's\n"
    "\n"
    "    def bingIterate(self, query, opts=None):\n"
    "        return self.fetchUrl('https://b.example/?q=' + query, timeout=opts.get('timeout'))  # ok: the same\n"
    "\n"
    "    def getData(self, key):\n"
    "        return self.opts.get(key)\n"
)


def test_camel_case_helper_through_an_attribute_of_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "sflib.py").write_text(_SFLIB)
    mods = tmp_path / "modules"
    mods.mkdir()
    (mods / "sfp_one.py").write_text(
        "import time\n"
        "from spiderfoot import SpiderFootPlugin\n\n\n"
        "class sfp_one(SpiderFootPlugin):\n"
        "    opts = {'timeout': 'not a number'}\n\n"
        "    def setup(self, sfc, userOpts=dict()):\n"
        "        self.sf = sfc\n\n"
        "    def query(self, url):\n"
        "        res = self.sf.fetchUrl(\n"                                            # 12
        "            url,\n"
        "            useragent='SpiderFoot',\n"
        "        )\n"
        "        time.sleep(1)  # ok: a rate-limit pause\n"
        "        other = self.sf.fetchUrl(url, timeout=60)\n"                          # 17
        "        given = self.sf.fetchUrl(url, timeout=self.opts['_fetchtimeout'])\n"  # 18
        "        data = self.sf.getData('timeout')  # ok: a one-word accessor, no helper of that kind\n"
        "        return res, other, given, data\n")
    (tmp_path / "spiderfoot.py").write_text("class SpiderFootPlugin:\n    pass\n")
    found = _found(tmp_path, "timeout")
    assert ("sfp_one.py", 12, "total", 30000) in found
    assert ("sfp_one.py", 17, "total", 60000) in found
    assert ("sfp_one.py", 18, "total", None) in found
    assert ("sflib.py", 9, "total", 30000) in found
    assert ("sflib.py", 15, "total", 5000) in found
    lines = {(name, line) for name, line, *_ in found}
    assert ("sflib.py", 11) not in lines  # the helper calling itself
    assert ("sflib.py", 18) not in lines and ("sflib.py", 21) not in lines  # the caller's own options
    assert ("sfp_one.py", 19) not in lines


def test_distinctive_reads_camel_case_words() -> None:
    from extractors.python.detectors.wrapper_timeout import distinctive

    assert distinctive("fetchUrl") and distinctive("makeRequest") and distinctive("make_request")
    assert not distinctive("get") and not distinctive("fetch") and not distinctive("setUp")
    assert not distinctive("toDict") and not distinctive("getData") and not distinctive("__call__")
    assert not distinctive("URL") and not distinctive("HTTP")


def test_class_body_decorator_factory_and_bare_project_decorator(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("redis\nrequests\n")
    (tmp_path / "store.py").write_text(
        "import asyncio\n"
        "from functools import wraps\n\n"
        "from redis.asyncio import ConnectionPool, Redis\n\n\n"
        "class Store:\n"
        "    def __init__(self, host):\n"
        "        self.pool = ConnectionPool(host=host)\n\n"
        "    def with_retry(max_attempts: int = 3, delay: float = 0.1):\n"
        "        def decorator(func):\n"
        "            @wraps(func)\n"
        "            async def wrapper(self, *args, **kwargs):\n"
        "                for attempt in range(max_attempts):\n"                     # 15
        "                    try:\n"
        "                        return await func(self, *args, **kwargs)\n"
        "                    except ConnectionError:\n"
        "                        await asyncio.sleep(delay * 2 ** attempt)\n"
        "                raise RuntimeError('gave up')\n"
        "            return wrapper\n"
        "        return decorator\n\n"
        "    @with_retry()\n"                                                         # 24
        "    async def get(self, key):\n"
        "        return await Redis(connection_pool=self.pool).get(key)\n\n"
        "    @with_retry(max_attempts=5)\n"                                           # 28
        "    async def put(self, key, value):\n"
        "        return await Redis(connection_pool=self.pool).set(key, value)\n\n"
        "    def describe(self, retries=2):  # ok: a method with a receiver, nothing retried\n"
        "        return self.pool\n")
    (tmp_path / "tools.py").write_text(
        "import time\n\n"
        "import requests\n\n\n"
        "def retry_with_backoff(func, initial_delay=1, max_retries=20):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        retries = 0\n"
        "        while True:\n"                                                       # 9
        "            try:\n"
        "                return func(*args, **kwargs)\n"
        "            except requests.exceptions.HTTPError:\n"
        "                retries += 1\n"
        "                if retries > max_retries:\n"
        "                    raise RateLimitExceeded('too many', max_retries=max_retries)  # ok: an exception\n"
        "                time.sleep(initial_delay)\n"
        "    return wrapper\n\n\n"
        "class RateLimitExceeded(Exception):\n"
        "    def __init__(self, message, max_retries):\n"
        "        super().__init__(message)\n\n\n"
        "def plain(func):\n"
        "    return func\n\n\n"
        "@retry_with_backoff\n"                                                      # 29
        "def create(url):\n"
        "    return requests.post(url, timeout=10)\n\n\n"
        "@plain  # ok: a decorator bounding nothing\n"
        "def other(url):\n"
        "    return requests.get(url, timeout=10)\n")
    found = _found(tmp_path, "retry")
    assert ("store.py", 24, None, 3) in found
    assert ("store.py", 28, None, 5) in found
    assert ("tools.py", 29, None, 21) in found
    lines = {(name, line) for name, line, *_ in found}
    assert ("tools.py", 15) not in lines and ("tools.py", 34) not in lines and ("store.py", 32) not in lines


def test_exception_made_with_a_retry_bound_is_no_client(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("openai\n")
    (tmp_path / "llm.py").write_text(
        "from openai import OpenAI\n"
        "from app.errors import LLMError, Overloaded\n\n\n"
        "def client():\n"
        "    return OpenAI(max_retries=2)\n\n\n"                                        # 6
        "def fail(n):\n"
        "    err = LLMError('rate limited', max_retries=n)  # ok: an exception carrying the bound\n"
        "    raise Overloaded(message='busy', max_retries=3)  # ok: the same, raised\n")
    assert _found(tmp_path, "retry") == [("llm.py", 6, None, 3)]


def test_wait_for_ready_through_own_method_and_unit_named_timeout(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("redis\ncontentful\n")
    (tmp_path / "ready.py").write_text(
        "import asyncio\n\n"
        "from contentful import Client\n\n\n"
        "class Cache:\n"
        "    async def get_client(self):\n"
        "        return self._client\n\n"
        "    async def ping(self):\n"
        "        client = await self.get_client()\n"
        "        return await client.ping()\n\n"
        "    async def wait_for_ready(self, timeout: int = 30, interval: float = 0.5):\n"
        "        start = asyncio.get_event_loop().time()\n"
        "        while (asyncio.get_event_loop().time() - start) < timeout:\n"          # 16
        "            if await self.ping():\n"
        "                return\n"
        "            await asyncio.sleep(interval)\n"
        "        raise ConnectionError('not ready')\n\n"
        "    async def settle(self, limit: int = 30):\n"
        "        start = asyncio.get_event_loop().time()\n"
        "        while (asyncio.get_event_loop().time() - start) < limit:  # ok: polls its own state\n"
        "            if self.done():\n"
        "                return\n"
        "            await asyncio.sleep(1)\n\n"
        "    def done(self):\n"
        "        return self.flag\n\n\n"
        "def cms(space, token):\n"
        "    return Client(space, token, timeout_s=30)\n\n\n"                            # 34
        "def other(obj):\n"
        "    return obj.configure(timeout_s=30)  # ok: no client\n")
    found = _found(tmp_path, "timeout")
    assert ("ready.py", 16, "total", 30000) in found
    assert ("ready.py", 34, "total", 30000) in found
    lines = {line for _, line, *_ in found}
    assert 24 not in lines and 38 not in lines


def test_status_check_retry_loop_without_try(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "poll.py").write_text(
        "import time\n\n"
        "import requests\n\n"
        "MAX_RETRIES = 4\n\n\n"
        "def fetch(url):\n"
        "    for i in range(MAX_RETRIES):\n"                                            # 9
        "        r = requests.get(url, timeout=5)\n"
        "        if r.status_code == 200:\n"
        "            break\n"
        "        time.sleep(2)\n"
        "    return r\n\n\n"
        "def wait_done(url):\n"
        "    for i in range(60):  # ok: a poll of a job's state, not named as tries\n"      # 18
        "        r = requests.get(url, timeout=5)\n"
        "        if r.status_code == 200:\n"
        "            break\n"
        "        time.sleep(5)\n")
    assert _found(tmp_path, "retry") == [("poll.py", 9, None, 4)]


def test_flag_beside_a_counter_reset_from_the_result(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("google-genai\n")
    (tmp_path / "vertex.py").write_text(
        "from google.genai import errors\n\n\n"
        "class Vertex:\n"
        "    MAX_RETRIES = 5\n\n"
        "    async def request(self, client, data):\n"
        "        retry_count = 1\n"
        "        should_retry = True\n"
        "        result = None\n"
        "        while should_retry and retry_count <= self.MAX_RETRIES:\n"                   # 11
        "            try:\n"
        "                response = await client.aio.models.generate_content(model='m', contents=data)\n"
        "            except errors.APIError:\n"
        "                retry_count += 1\n"
        "                continue\n"
        "            result = response.model_dump()\n"
        "            should_retry = self.is_malformed(result)\n"
        "            retry_count += 1\n"
        "        return result\n\n"
        "    async def drain(self, client, data):\n"
        "        count = 0\n"
        "        running = True\n"
        "        while running and count < 10:  # ok: the flag is never re-set after the try\n"  # 25
        "            try:\n"
        "                await client.aio.models.generate_content(model='m', contents=data)\n"
        "            except errors.APIError:\n"
        "                count += 1\n"
        "                continue\n")
    assert _found(tmp_path, "retry") == [("vertex.py", 11, None, 5)]
