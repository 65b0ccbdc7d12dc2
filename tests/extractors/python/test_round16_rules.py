"""Round-16 rules (held-out ctfd, bodhi, astrbot), through the pipeline: a client constructor fed a
`**kwargs` dict holding its timeout, and a function calling itself again with its retry parameter
counted down after a bad status (no `except`). Each with its traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes.get("phase") if kind == "timeout" else None,
                   f.attributes[key]) for f in result.findings if f.kind == kind)


def test_client_constructor_fed_a_kwargs_dict(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "client.py").write_text(
        "import httpx\n\n\n"
        "class Provider:\n"
        "    def __init__(self, cfg):\n"
        "        self.timeout = 180\n"
        "        kwargs: dict = {\n"
        "            \"base_url\": cfg.get(\"api_base\"),\n"
        "            \"timeout\": self.timeout,\n"
        "        }\n"
        "        if cfg.get(\"proxy\"):\n"
        "            kwargs[\"proxy\"] = cfg[\"proxy\"]\n"
        "        self.http = httpx.AsyncClient(**kwargs)\n"                     # 13
        "        plain = {\"follow_redirects\": True}\n"
        "        self.other = httpx.AsyncClient(**plain)  # ok: no timeout in the dict (library default)\n"
        "        note = {\"timeout\": 99}  # ok: never handed to a client\n"
        "        self.note = note\n"
        "        unknown = cfg.get(\"client_kwargs\")\n"
        "        self.third = httpx.AsyncClient(**unknown)  # ok: a dict not known here\n"  # 19
        "\n\n"
        "def make_client(timeout, proxy):\n"
        "    client_kwargs = {\"timeout\": timeout, \"follow_redirects\": True}\n"
        "    if proxy:\n"
        "        client_kwargs[\"proxy\"] = proxy\n"
        "    return httpx.AsyncClient(**client_kwargs)\n"                       # 26
        "\n\n"
        "fast = make_client(20, \"\")\n")                                       # 29
    found = _found(tmp_path, "timeout")
    assert ("client.py", 13, "total", 180000) in found
    assert ("client.py", 29, "total", 20000) in found
    assert not any(line in (16, 19, 26) for name, line, _, _ in found)
    assert not any(line == 15 and value not in (None, 5000) for name, line, _, value in found)


def test_recursion_counting_its_retries_down_after_a_bad_status(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "util.py").write_text(
        "import time\n"
        "import requests\n\n"
        "http_session = requests.Session()\n\n\n"
        "def call_api(api_url, service_name, method='GET', data=None, retries=0):\n"
        "    rv = http_session.get(api_url, timeout=60)\n"
        "    if 200 <= rv.status_code < 300:\n"
        "        return rv.json()\n"
        "    elif retries:\n"
        "        time.sleep(1)\n"
        "        return call_api(api_url, service_name, method, data, retries - 1)\n"   # 13
        "    raise RuntimeError(service_name)\n\n\n"
        "def pagure_get(url):\n"
        "    return call_api(url, service_name='Pagure', retries=3)\n"                  # 18
        "\n\n"
        "def fetch_again(url, retries=2):\n"
        "    return requests.get(url, timeout=5)\n\n\n"
        "def walk(node, depth=3):\n"
        "    if depth:\n"
        "        return walk(node.child, depth - 1)  # ok: a tree walk, not a retry\n"
        "    return node\n\n\n"
        "def pages(url, retries=3):\n"
        "    if retries:\n"
        "        return pages(url, retries)  # ok: not counted down\n"
        "    return None\n")
    found = _found(tmp_path, "retry")
    assert ("util.py", 13, None, 1) in found
    assert ("util.py", 18, None, 4) in found
    assert not any(line in (26, 32) for _, line, _, _ in found)


def test_timeout_object_held_by_an_attribute_is_reported_once_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "tts.py").write_text(
        "from httpx import AsyncClient, Timeout\n\n\n"
        "class TTS:\n"
        "    def __init__(self):\n"
        "        self.timeout = Timeout(10.0)\n"                                   # 6
        "        self.retry_count = 3\n\n"
        "    async def __aenter__(self):\n"
        "        self._client = AsyncClient(timeout=self.timeout)\n"              # 10
        "        return self\n\n\n"
        "class Other:\n"
        "    def __init__(self, cfg):\n"
        "        self.timeout = cfg.get(\"timeout\", 30)\n"
        "        self.client = AsyncClient(timeout=self.timeout)\n")              # 17
    found = _found(tmp_path, "timeout")
    assert ("tts.py", 6, "total", 10000) in found
    assert not any(line == 10 for _, line, _, _ in found)
    assert ("tts.py", 17, "total", 30000) in found


def test_loop_waiting_for_a_remote_value_to_match_is_a_poll(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "sync.py").write_text(
        "import time\n"
        "from urllib.error import URLError\n"
        "from urllib.request import urlopen\n\n\n"
        "def wait_for_sync(url, checksum):\n"
        "    while True:\n"
        "        try:\n"
        "            newsum = urlopen(url, timeout=10).read()\n"
        "        except URLError:\n"
        "            time.sleep(200)\n"
        "            continue\n"
        "        if newsum == checksum:\n"
        "            return\n"
        "        time.sleep(200)\n\n\n"
        "def fetch(session, url):\n"
        "    for attempt in range(3):\n"                                          # 19
        "        try:\n"
        "            resp = session.get(url, timeout=5)\n"
        "        except ConnectionError:\n"
        "            time.sleep(1)\n"
        "            continue\n"
        "        if resp.status_code == 200:\n"
        "            return resp\n"
        "        time.sleep(1)\n")
    found = _found(tmp_path, "retry")
    assert not any(name == "sync.py" and line == 7 for name, line, _, _ in found)
    assert ("sync.py", 19, None, 3) in found


def test_declared_config_defaults_read_through_a_config_object(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests\nderpconf\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "config.py").write_text(
        "from derpconf.config import Config\n\n"
        "Config.define(\"HTTP_LOADER_CONNECT_TIMEOUT\", 5, \"The connect timeout\", \"HTTP Loader\")\n"
        "Config.define(\"HTTP_LOADER_REQUEST_TIMEOUT\", 20, \"The request timeout\", \"HTTP Loader\")\n"
        "Config.define(\"SENTINEL_SOCKET_TIMEOUT\", None, \"unset\", \"Queue\")  # ok: no default\n"
        "NOTE = 'Config.define(\"OTHER_TIMEOUT\", 9)'  # ok: a string\n")
    (app / "loader.py").write_text(
        "import requests\n\n\n"
        "def load(context, url):\n"
        "    return requests.get(url, timeout=(context.config.HTTP_LOADER_CONNECT_TIMEOUT,\n"   # 5
        "                                      context.config.HTTP_LOADER_REQUEST_TIMEOUT))\n\n\n"
        "class Detector:\n"
        "    def send(self, url):\n"
        "        requests.get(url, timeout=self.context.config.SENTINEL_SOCKET_TIMEOUT)\n"      # 11
        "        requests.get(url, timeout=self.context.config.OTHER_TIMEOUT)\n")               # 12
    found = _found(tmp_path, "timeout")
    assert ("loader.py", 5, "connect", 5000) in found and ("loader.py", 5, "read", 20000) in found
    assert ("loader.py", 11, "total", None) in found
    assert ("loader.py", 12, "total", None) in found


def test_value_validated_by_a_function_of_the_file_keeps_its_default(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "tts.py").write_text(
        "import httpx\n\n\n"
        "def _normalize_timeout(value):\n"
        "    try:\n"
        "        timeout = int(value)\n"
        "    except (TypeError, ValueError) as exc:\n"
        "        raise ValueError(\"timeout must be a positive integer.\") from exc\n"
        "    if timeout <= 0:\n"
        "        raise ValueError(\"timeout must be a positive integer.\")\n"
        "    return timeout\n\n\n"
        "def _scale(value):\n"
        "    return value * 2\n\n\n"
        "class Provider:\n"
        "    def __init__(self, cfg):\n"
        "        timeout = _normalize_timeout(cfg.get(\"timeout\", 20))\n"
        "        self.client = httpx.AsyncClient(timeout=timeout)\n"                          # 21
        "        self.other = httpx.AsyncClient(timeout=_scale(cfg.get(\"timeout\", 20)))\n")  # 22
    found = _found(tmp_path, "timeout")
    assert ("tts.py", 21, "total", 20000) in found
    assert ("tts.py", 22, "total", None) in found


def test_watch_stream_reopened_when_it_ends_is_no_retry(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("kubernetes\nrequests\n")
    (tmp_path / "watcher.py").write_text(
        "import time\n"
        "from kubernetes import watch\n"
        "from urllib3.exceptions import ReadTimeoutError\n\n\n"
        "class Build:\n"
        "    def watch(self):\n"
        "        while not self.stop_event.is_set():\n"                                  # 8
        "            w = watch.Watch()\n"
        "            try:\n"
        "                for f in w.stream(self.api.list_namespaced_pod, self.namespace, timeout_seconds=30):\n"
        "                    if f[\"type\"] == \"DELETED\":\n"
        "                        return\n"
        "            except ReadTimeoutError:\n"
        "                pass\n"
        "            finally:\n"
        "                w.stop()\n\n"
        "    def rows(self, session, url):\n"
        "        for attempt in range(3):\n"                                              # 20
        "            try:\n"
        "                for row in session.get(url, timeout=5).json():\n"
        "                    self.take(row)\n"
        "                return\n"
        "            except ConnectionError:\n"
        "                time.sleep(1)\n")
    found = _found(tmp_path, "retry")
    assert not any(line == 8 for _, line, _, _ in found)
    assert ("watcher.py", 20, None, 3) in found


def test_waits_for_a_chat_event_are_waits_for_a_person(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("discord.py\naiohttp\n")
    (tmp_path / "menus.py").write_text(
        "import asyncio\n\n\n"
        "async def menu(ctx, message, predicates, timeout=30.0):\n"
        "    tasks = [\n"
        "        asyncio.create_task(ctx.bot.wait_for(\"reaction_add\", check=predicates)),\n"
        "        asyncio.create_task(ctx.bot.wait_for(\"reaction_remove\", check=predicates)),\n"
        "    ]\n"
        "    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)\n"  # 9
        "    reply = await asyncio.wait_for(ctx.bot.wait_for(\"message\", check=predicates), timeout=60)\n"   # 10
        "    return done, reply\n\n\n"
        "async def fetch(session, url):\n"
        "    jobs = [asyncio.create_task(session.get(url))]\n"
        "    await asyncio.wait(jobs, timeout=5)\n"                                                              # 16
        "    return await asyncio.wait_for(session.get(url), timeout=3)\n")                                      # 17
    found = _found(tmp_path, "timeout")
    assert not any(line in (9, 10) for _, line, _, _ in found)
    assert ("menus.py", 16, "deadline", 5000) in found
    assert ("menus.py", 17, "deadline", 3000) in found
