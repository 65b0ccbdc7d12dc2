"""Round-9 rules through the pipeline (held-out data-hub-api, chatgpt-on-wechat, flagsmith, alerta): a
project's RQ job helper publishes its retry bound and job timeout for every call, a constructor keeping
its timeout with a code fallback, a class of the same file handed a defaulted timeout, a helper's
retry bound left out at a call of the same file, a spread configuration dict, and a local made only
from the calling function's own parameters (a forwarder)."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.attributes[key]) for f in result.findings if f.kind == kind)


def test_a_job_helper_wrapping_rq_publishes_its_bounds_for_every_call(tmp_path: Path) -> None:
    (tmp_path / "scheduler.py").write_text(
        "from rq import Queue, Retry\n\n"
        "THREE_MINUTES = 180\n\n\n"
        "def job_scheduler(function, queue_name='short', max_retries=3, job_timeout=THREE_MINUTES):\n"
        "    with Scheduler() as scheduler:\n"
        "        retry = Retry(max=max_retries)\n"
        "        return scheduler.enqueue(queue_name=queue_name, function=function, retry=retry,\n"
        "                                 job_timeout=job_timeout)\n")
    (tmp_path / "tasks.py").write_text(
        "from scheduler import job_scheduler\n\n"
        "LONG = 'long-running'\n\n\n"
        "def schedule(fn):\n"
        "    return job_scheduler(function=fn, queue_name=LONG, max_retries=5, job_timeout=600)\n\n\n"
        "def schedule_default(fn):\n"
        "    return job_scheduler(function=fn)\n")
    assert _found(tmp_path, "retry") == [("scheduler.py", 8, 4), ("tasks.py", 7, 6), ("tasks.py", 11, 4)]
    assert _found(tmp_path, "timeout") == [("scheduler.py", 9, 180000), ("tasks.py", 7, 600000),
                                           ("tasks.py", 11, 180000)]


def test_a_constructor_timeout_falling_back_to_a_constant_is_the_default_of_its_constructions(tmp_path: Path) -> None:
    (tmp_path / "http_client.py").write_text(
        "import requests\n\n"
        "DEFAULT_TIMEOUT = 600\n\n\n"
        "class HttpClient:\n"
        "    def __init__(self, base, timeout=None):\n"
        "        self.base = base\n"
        "        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT\n\n"
        "    def post(self, path, body, timeout=None):\n"
        "        t = timeout if timeout is not None else self.timeout\n"
        "        return requests.post(self.base + path, json=body, timeout=t)\n")
    (tmp_path / "bot.py").write_text(
        "from http_client import HttpClient\n\n\n"
        "def make(base):\n"
        "    return HttpClient(base)\n\n\n"
        "def make_fast(base):\n"
        "    return HttpClient(base, timeout=5)\n")
    assert _found(tmp_path, "timeout") == [("bot.py", 5, 600000), ("bot.py", 9, 5000),
                                           ("http_client.py", 13, 600000)]


def test_a_class_of_the_same_file_handed_a_defaulted_timeout_and_a_spread_configuration(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(
        "import requests\n\n\n"
        "class Client:\n"
        "    def __init__(self, endpoint, timeout=5.0):\n"
        "        self.http = HTTPClient(endpoint, timeout)\n\n\n"
        "class HTTPClient:\n"
        "    def __init__(self, endpoint, timeout=30.0):\n"
        "        self.endpoint = endpoint\n"
        "        self.timeout = timeout\n\n"
        "    def get(self, path):\n"
        "        return requests.get(self.endpoint + path, timeout=self.timeout)\n")
    (tmp_path / "forwarder.py").write_text(
        "from client import Client\n"
        "from conf import settings\n\n\n"
        "def forward():\n"
        "    for remote, auth in settings.DESTINATIONS:\n"
        "        Client(endpoint=remote, **auth)\n\n\n"
        "def make(**kwargs):\n"
        "    return Client(**kwargs)\n\n\n"
        "def each(destinations):\n"
        "    for remote, auth in destinations.items():\n"
        "        Client(endpoint=remote, **dict(auth))\n")
    assert _found(tmp_path, "timeout") == [("client.py", 6, 5000), ("client.py", 15, 30000),
                                           ("forwarder.py", 7, None)]
    # make(**kwargs) and each(destinations) spread their own caller's values: forwarders, not reported


def test_a_retry_bound_left_out_at_a_call_of_the_same_file_gets_the_default(tmp_path: Path) -> None:
    (tmp_path / "wins.py").write_text(
        "import time\n\n"
        "import requests\n\n\n"
        "def _fetch_page(session, url, max_retries=5):\n"
        "    for attempt in range(max_retries):\n"
        "        try:\n"
        "            return session.get(url, timeout=5).json()\n"
        "        except requests.RequestException:\n"
        "            time.sleep(2)\n"
        "    raise RuntimeError(url)\n\n\n"
        "def dataset(session, url):\n"
        "    return _fetch_page(session, url)\n\n\n"
        "class Tracker:\n"
        "    def lookup(self, client, user, max_retries=3):\n"
        "        for attempt in range(max_retries + 1):\n"
        "            found = client.get_contact(user)\n"
        "            if found:\n"
        "                return found\n"
        "            time.sleep(0.5 * attempt)\n\n"
        "    def create(self, client, user):\n"
        "        return self.lookup(client, user, max_retries=1)\n")
    assert _found(tmp_path, "retry") == [("wins.py", 7, 5), ("wins.py", 16, 5), ("wins.py", 21, 4),
                                         ("wins.py", 28, 2)]


def test_a_local_made_only_from_the_callers_parameters_is_a_forward(tmp_path: Path) -> None:
    (tmp_path / "llm.py").write_text(
        "import requests\n\n\n"
        "class LlmClient:\n"
        "    def complete(self, prompt, timeout=60):\n"
        "        return requests.post('https://llm.example/v1', json=prompt, timeout=timeout)\n")
    (tmp_path / "bot.py").write_text(
        "from llm import LlmClient\n\n\n"
        "class Bot:\n"
        "    def __init__(self):\n"
        "        self.client = LlmClient()\n\n"
        "    def sync(self, request_params):\n"
        "        params = dict(request_params)\n"
        "        timeout = params.pop('request_timeout', None) or params.pop('timeout', None)\n"
        "        return self.client.complete(params, timeout=timeout)\n\n"
        "    def quick(self, prompt):\n"
        "        return self.client.complete(prompt, timeout=5)\n")
    assert _found(tmp_path, "timeout") == [("bot.py", 14, 5000), ("llm.py", 6, 60000)]
