"""Round-7 held-out rules, through the pipeline (a tree of files), positive and negative:

- a call passing only `url=` / `params=` leaves a helper's defaulted timeout out (`params` ends in
  "ms" but names no duration);
- a helper reading its timeout from a key of its own mapping parameter (`config.get("socket_timeout",
  D)`) is a forwarder when this file's calls build that dict; the call holding the dict literal is the
  contract; a config object read with its default and no such caller stays a setting;
- a method of a class of the same file called on a local instance (`batch = Batch(...)`;
  `batch.join(timeout=t)`) whose future waits on a client call (`self._result.result(timeout)`);
- `get_option("name", 0) or settings.X`: an option getter whose default is falsy falls back."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan

CONNECTORS = '''\
import requests

QUERY_TIMEOUT = 5


def get_data(url, params=None, timeout=QUERY_TIMEOUT, is_activitypub=True):
    return requests.get(url, params=params, timeout=timeout)
'''

CALLERS = '''\
from app.connectors import get_data


def by_keywords(remote_id, request_parameters):
    return get_data(
        url=remote_id,
        params=request_parameters,  # type: ignore[arg-type]
    )


def with_timeout(remote_id):
    return get_data(remote_id, timeout=3)


def none_timeout(remote_id):
    return get_data(remote_id, timeout=None)
'''

REDIS = '''\
from redis import Redis

SOCKET_TIMEOUT = 0.1


def _make_client(config):
    return Redis(host=config["host"], socket_timeout=config.get("socket_timeout", SOCKET_TIMEOUT))


default_client = _make_client({"host": "cache", "socket_timeout": SOCKET_TIMEOUT})
slow_client = _make_client({"host": "store", "socket_timeout": 30})
plain_client = _make_client({"host": "plain", "socket_timeout": None})
'''

CONFIG_OBJECT = '''\
from redis import Redis


def connect(configuration):
    return Redis(host=configuration["host"], socket_timeout=configuration.get("socket_timeout", 10))
'''

BATCH = '''\
from concurrent.futures import ThreadPoolExecutor

from app import settings
from app.options import get_option


class Batch:
    def __init__(self, executor, pool, body):
        self._result = executor.submit(pool.urlopen, "POST", "/", body=body)

    def join(self, timeout=None):
        return self._result.result(timeout)


class Local:
    def __init__(self, executor, rows):
        self._result = executor.submit(sorted, rows)

    def join(self, timeout=None):
        return self._result.result(timeout)


def write(pool, body, rows):
    executor = ThreadPoolExecutor()
    batch = Batch(executor, pool, body)
    join_timeout = get_option("batch_join_timeout", 0) or settings.BATCH_JOIN_TIMEOUT
    batch.join(timeout=join_timeout)
    local = Local(executor, rows)
    local.join(timeout=5)
'''

SETTINGS = '''\
import os

BATCH_JOIN_TIMEOUT = int(os.environ.get("BATCH_JOIN_TIMEOUT", 10))
'''


def _tree(tmp_path: Path) -> Path:
    files = {"app/__init__.py": "", "app/connectors.py": CONNECTORS, "app/callers.py": CALLERS,
             "app/cache.py": REDIS, "app/runner.py": CONFIG_OBJECT, "app/batch.py": BATCH,
             "app/settings.py": SETTINGS, "app/options.py": "def get_option(name, default=None):\n    return default\n"}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _timeouts(tmp_path: Path) -> set[tuple[str, int, object]]:
    result = scan(_tree(tmp_path), jobs=1)
    return {(f.path, f.line, f.attributes.get("timeout_ms")) for f in result.findings if f.kind == "timeout"}


def test_keyword_only_call_leaves_the_defaulted_timeout_out(tmp_path: Path) -> None:
    found = {(p, line, v) for p, line, v in _timeouts(tmp_path) if p == "app/callers.py"}
    # `params=` is no duration: the call leaves `timeout` to its default (5 s); `timeout=None` is no bound
    assert found == {("app/callers.py", 5, 5000.0), ("app/callers.py", 12, 3000.0)}


def test_the_helper_handing_on_its_defaulted_timeout_is_reported_with_the_default(tmp_path: Path) -> None:
    # rule (a): `timeout=QUERY_TIMEOUT` is a default set in code, the helper's own line a contract
    assert {f for f in _timeouts(tmp_path) if f[0] == "app/connectors.py"} == {("app/connectors.py", 7, 5000)}


def test_mapping_key_forwarder_and_the_dicts_of_its_callers(tmp_path: Path) -> None:
    found = {(p, line, v) for p, line, v in _timeouts(tmp_path) if p == "app/cache.py"}
    # the helper's own `config.get(...)` is a forwarder; each dict literal is a contract; None is no bound
    assert found == {("app/cache.py", 10, 100.0), ("app/cache.py", 11, 30000.0)}


def test_a_config_object_read_with_its_default_and_no_dict_caller_stays(tmp_path: Path) -> None:
    assert {f for f in _timeouts(tmp_path) if f[0] == "app/runner.py"} == {("app/runner.py", 5, 10000.0)}


def test_local_class_method_waiting_on_a_client_future(tmp_path: Path) -> None:
    found = {(p, line, v) for p, line, v in _timeouts(tmp_path) if p == "app/batch.py"}
    # the option's default is 0 (unset): the settings fallback (env default 10 s) holds; the Local
    # class's future runs in-process work (sorted): its join is no client's bound; Batch.join's own
    # wait hands on its defaulted `timeout=None` (rule a: a default in code, value unknown)
    assert found == {("app/batch.py", 27, 10000.0), ("app/batch.py", 12, None)}
