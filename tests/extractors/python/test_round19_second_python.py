"""Round-19 second-wave fixes (held-out takahe, cal-itp-benefits, mquery, external-domain-broker,
datadog-serverless-functions, hummingbot-api): chains of defaulted timeouts through injected services, waits
summed from their sleeps, nested settings classes, config-object values, library retry options. Each with traps."""

from __future__ import annotations

from pathlib import Path

from contract_discovery.pipeline import scan


def _found(tmp_path: Path, kind: str) -> list[tuple]:
    result = scan(tmp_path, jobs=1, cache_dir=tmp_path / ".cache")
    key = "timeout_ms" if kind == "timeout" else "max_attempts"
    return sorted(((f.path.replace(str(tmp_path) + "/", ""), f.line, f.attributes[key])
                   for f in result.findings if f.kind == kind), key=lambda t: (t[0], t[1], str(t[2])))


def _write(tmp_path: Path, files: dict) -> None:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


HUMMINGBOT = {    'config.py': (
        'from pydantic import Field\n'
        'from pydantic_settings import BaseSettings\n'
        '\n'
        '\n'
        'class MarketDataSettings(BaseSettings):\n'
        '    candles_ready_timeout: int = Field(default=30, description="seconds")\n'
        '    feed_ttl: int = 600\n'
        '\n'
        '\n'
        'class Settings(BaseSettings):\n'
        '    market_data: MarketDataSettings = Field(default_factory=MarketDataSettings)\n'
        '\n'
        '\n'
        'settings = Settings()\n'
    ),
    'requirements.txt': (
        'fastapi\n'
    ),
    'routers/__init__.py': '',
    'routers/bots.py': (
        'from services.bots import Bots\n'
        '\n'
        '\n'
        'async def history(name, bots: Bots, timeout: float = 20.0):\n'
        '    return await bots.get_bot_history(name, timeout=timeout)\n'
    ),
    'routers/candles.py': (
        'import asyncio\n'
        'import time\n'
        '\n'
        'from config import settings\n'
        '\n'
        '\n'
        'async def candles(feed):\n'
        '    timeout = settings.market_data.candles_ready_timeout\n'
        '    start = time.time()\n'
        '    while not feed.ready:\n'
        '        if time.time() - start > timeout:\n'
        '            raise TimeoutError("candles")\n'
        '        await asyncio.sleep(0.1)\n'
        '    return await asyncio.wait_for(feed.history(), timeout=timeout)\n'
        '\n'
        '\n'
        'async def cached(feed):\n'
        '    start = time.time()\n'
        '    while not feed.ready:\n'
        '        if time.time() - start > settings.market_data.feed_ttl:\n'
        '            raise TimeoutError("stale")\n'
        '        await asyncio.sleep(0.1)\n'
    ),
    'services/__init__.py': '',
    'services/bots.py': (
        'from services.mqtt import MQTTManager\n'
        '\n'
        '\n'
        'class Bots:\n'
        '    def __init__(self):\n'
        '        self.mqtt = MQTTManager()\n'
        '\n'
        '    async def get_bot_history(self, name, **kwargs):\n'
        '        timeout = kwargs.get("timeout", 30.0)\n'
        '        return await self.mqtt.publish_and_wait(name, "history", timeout=timeout)\n'
    ),
    'services/connectors.py': (
        'import asyncio\n'
        'import os\n'
        '\n'
        '\n'
        'class ConnectorService:\n'
        '    async def initialize_order_book(self, pair, timeout: float = 30.0):\n'
        '        tracker = self.tracker(pair)\n'
        '        return await self._wait_for_order_book(tracker, pair, timeout)\n'
        '\n'
        '    async def _wait_for_order_book(self, tracker, pair, timeout: float):\n'
        '        waited = 0\n'
        '        interval = 0.5\n'
        '        while waited < timeout:\n'
        '            if pair in tracker.order_books:\n'
        '                return True\n'
        '            await asyncio.sleep(interval)\n'
        '            waited += interval\n'
        '        return False\n'
        '\n'
        '    async def _wait_for_socket(self, source, timeout: float = 10.0):\n'
        '        waited = 0\n'
        '        while waited < timeout:\n'
        '            if source.ws is not None:\n'
        '                return True\n'
        '            await asyncio.sleep(0.2)\n'
        '            waited += 0.2\n'
        '        return False\n'
        '\n'
        '    async def restart(self, source):\n'
        '        await self._wait_for_socket(source, timeout=10.0)\n'
        '\n'
        '    async def wait_for_file(self, path, timeout: float = 5.0):\n'
        '        waited = 0\n'
        '        while waited < timeout:\n'
        '            if os.path.exists(path):\n'
        '                return True\n'
        '            await asyncio.sleep(0.5)\n'
        '            waited += 0.5\n'
        '        return False\n'
        '\n'
        '    async def spin(self, limit: float = 5.0):\n'
        '        waited = 0\n'
        '        while waited < limit:\n'
        '            self.tick()\n'
        '            await asyncio.sleep(0.5)\n'
        '            waited += 0.5\n'
    ),
    'services/market.py': (
        'from typing import TYPE_CHECKING, Optional\n'
        '\n'
        'if TYPE_CHECKING:\n'
        '    from services.connectors import ConnectorService\n'
        '\n'
        '\n'
        'class MarketService:\n'
        '    def __init__(self, connector_service: "ConnectorService", other: Optional["ConnectorService"] = None):\n'
        '        self._connector_service = connector_service\n'
        '\n'
        '    async def initialize_order_book(self, pair, timeout: float = 30.0):\n'
        '        return await self._connector_service.initialize_order_book(pair, timeout=timeout)\n'
    ),
    'services/mqtt.py': (
        'import asyncio\n'
        '\n'
        '\n'
        'class MQTTManager:\n'
        '    async def publish_and_wait(self, name, command, timeout: float = 30.0):\n'
        '        future = asyncio.get_event_loop().create_future()\n'
        '        return await asyncio.wait_for(future, timeout=timeout)\n'
    ),
    'services/trading.py': (
        'from typing import Type\n'
        '\n'
        'from services.market import MarketService\n'
        '\n'
        '\n'
        'class TradingInterface:\n'
        '    def __init__(self, market_service: MarketService):\n'
        '        self._market_service = market_service\n'
        '\n'
        '    async def add_market(self, pair, order_book_timeout: float = 30.0):\n'
        '        return await self._market_service.initialize_order_book(pair, timeout=order_book_timeout)\n'
        '\n'
        '\n'
        'class Executors:\n'
        '    def __init__(self, max_retries: int = 10):\n'
        '        self.max_retries = max_retries\n'
        '        self._interfaces = {}\n'
        '\n'
        '    def _interface(self, name) -> TradingInterface:\n'
        '        return self._interfaces[name]\n'
        '\n'
        '    async def prepare(self, name, pair):\n'
        '        interface = self._interface(name)\n'
        '        await interface.add_market(pair)\n'
        '\n'
        '    def make(self, executor_class: Type[object], config):\n'
        '        return executor_class(config=config, max_retries=self.max_retries)\n'
        '\n'
        '    def make_other(self, factory, config):\n'
        '        return factory(config=config, max_retries=self.max_retries)\n'
    ),
}


def test_defaulted_timeouts_through_injected_services_and_summed_waits(tmp_path: Path) -> None:
    """(hummingbot-api) `while waited < timeout: ...; await asyncio.sleep(i); waited += i` is a deadline (rule a at
    the `while`, never a count of tries); a defaulted timeout handed down through services injected with a quoted
    annotation (`connector_service: "ConnectorService"` imported under TYPE_CHECKING), a method's return annotation
    (`-> TradingInterface`), a `**kwargs` key (`kwargs.get("timeout", 30.0)`); a nested settings class
    (`settings.market_data.candles_ready_timeout`); a `Type[...]` parameter made with `max_retries=`. Traps: a wait
    for a local file, a limit not named as a timeout (`limit`, `feed_ttl`), an unannotated factory."""
    _write(tmp_path, HUMMINGBOT)
    assert _found(tmp_path, "timeout") == [
        ("routers/bots.py", 5, 20000), ("routers/candles.py", 11, 30000), ("routers/candles.py", 14, 30000),
        ("services/bots.py", 10, 30000), ("services/connectors.py", 8, 30000), ("services/connectors.py", 22, 10000),
        ("services/connectors.py", 30, 10000), ("services/market.py", 12, 30000), ("services/mqtt.py", 7, 30000),
        ("services/trading.py", 11, 30000), ("services/trading.py", 24, 30000)]
    assert _found(tmp_path, "retry") == [("services/trading.py", 27, 11)]


MQUERY = {
    'config.py': (
        'from typedconfig import Config, group_key, key, section\n'
        '\n'
        '\n'
        '@section("rq")\n'
        'class RqConfig(Config):\n'
        '    job_timeout = key(cast=int, required=False, default=300)\n'
        '    port = key(cast=int, required=False, default=6379)\n'
        '\n'
        '\n'
        'class AppConfig(Config):\n'
        '    rq = group_key(RqConfig)\n'
        '\n'
        '\n'
        'app_config = AppConfig()\n'
    ),
    'requirements.txt': (
        'rq\n'
    ),
    'tasks.py': (
        'from redis import Redis\n'
        'from rq import Queue\n'
        '\n'
        'from config import app_config\n'
        '\n'
        'queue = Queue(connection=Redis())\n'
        '\n'
        '\n'
        'def run_batch(job_id, iterator, batch_size):\n'
        '    result = pop(iterator, batch_size)\n'
        '    if result.was_locked:\n'
        '        queue.enqueue(run_batch, job_id, iterator, batch_size, job_timeout=app_config.rq.job_timeout)\n'
        '        return\n'
        '    if result.more:\n'
        '        queue.enqueue(run_batch, job_id, iterator, batch_size * 2, job_timeout=app_config.rq.job_timeout)\n'
        '    queue.enqueue(run_batch, job_id, iterator, batch_size, job_timeout=app_config.rq.job_timeout)\n'
        '\n'
        '\n'
        'def pop(iterator, size):\n'
        '    return iterator.pop(size)\n'
    ),
    'ursadb.py': (
        'import zmq\n'
        '\n'
        '\n'
        'class UrsaDb:\n'
        '    def __init__(self, backend):\n'
        '        self.backend = backend\n'
        '\n'
        '    def __execute(self, command, recv_timeout=2000):\n'
        '        socket = zmq.Context().socket(zmq.REQ)\n'
        '        socket.setsockopt(zmq.RCVTIMEO, recv_timeout)\n'
        '        socket.connect(self.backend)\n'
        '        socket.send_string(command)\n'
        '        return socket.recv_string()\n'
        '\n'
        '    def status(self):\n'
        '        return self.__execute("status;")\n'
        '\n'
        '    def query(self, q):\n'
        '        return self.__execute(q, recv_timeout=-1)\n'
        '\n'
        '    def pop(self, it):\n'
        '        return self.__execute(it, 500)\n'
    ),
}


def test_private_helper_typedconfig_and_a_task_requeued_unchanged(tmp_path: Path) -> None:
    """(mquery) A private helper `self.__execute(cmd)` leaving its defaulted `recv_timeout=2000` out (rule b),
    passing 500 (rule c), `recv_timeout=-1` (no limit: nothing); typedconfig `key(cast=int, default=300)` read
    through `group_key(RqConfig)`; a task queuing itself again with its very arguments while the resource is
    locked (a retry without a bound). Traps: a requeue with a changed argument (the next batch), an
    unconditional requeue."""
    _write(tmp_path, MQUERY)
    assert _found(tmp_path, "timeout") == [
        ("tasks.py", 12, 300000), ("tasks.py", 15, 300000), ("tasks.py", 16, 300000),
        ("ursadb.py", 10, 2000), ("ursadb.py", 16, 2000), ("ursadb.py", 22, 500)]
    assert _found(tmp_path, "retry") == [("tasks.py", 12, None)]


BOUNDS = {
    'queues.py': (
        'import boto3\n'
        'from botocore.config import Config\n'
        'from huey import RedisHuey\n'
        '\n'
        'huey = RedisHuey()\n'
        'plain = huey.context_task(object())\n'
        'retriable = huey.context_task(object(), retries=6 * 4, retry_delay=600)\n'
        'logs = boto3.client("logs", config=Config(retries={"mode": "standard"}))\n'
    ),
    'requirements.txt': (
        'boto3\n'
    ),
    'stats.py': (
        'import time\n'
        'from urllib.error import HTTPError\n'
        'from urllib.request import urlopen\n'
        '\n'
        '\n'
        'class Stats(object):\n'
        '    def __init__(self, base=2, max_attempts=5):\n'
        '        self.base = base\n'
        '        self.max_attempts = max_attempts\n'
        '\n'
        '    def flush(self, req):\n'
        '        for attempt in range(1, self.max_attempts + 1):\n'
        '            try:\n'
        '                with urlopen(req, timeout=10) as response:\n'
        '                    return response.read()\n'
        '            except HTTPError:\n'
        '                time.sleep(self.base)\n'
        '\n'
        '\n'
        'stats = Stats()\n'
        'slow = Stats(base=3)\n'
        'NOTE = "Stats() retries max_attempts=5"\n'
    ),
    'waf.py': (
        'import time\n'
        '\n'
        '\n'
        'def wait_for_acl(client, arn, max_attempts):\n'
        '    exists = False\n'
        '    n = 0\n'
        '    while not exists:\n'
        '        n += 1\n'
        '        if n > max_attempts:\n'
        '            raise RuntimeError("no acl")\n'
        '        time.sleep(2)\n'
        '        try:\n'
        '            client.get_web_acl(ARN=arn)\n'
        '            exists = True\n'
        '        except client.exceptions.WAFNonexistentItemException:\n'
        '            continue\n'
        '\n'
        '\n'
        'def check_removed(client, arn):\n'
        '    removed = False\n'
        '    attempts = 0\n'
        '    while not removed and attempts < 10:\n'
        '        attempts += 1\n'
        '        removed = verify_removed(client, arn)\n'
        '        time.sleep(1)\n'
        '    return removed\n'
        '\n'
        '\n'
        'def verify_removed(client, arn):\n'
        '    return arn not in client.list_certs()\n'
        '\n'
        '\n'
        'def associated(client, arn, expected):\n'
        '    ok = False\n'
        '    n = 0\n'
        '    while not ok:\n'
        '        n += 1\n'
        '        if n > 10:\n'
        '            raise RuntimeError("not associated")\n'
        '        time.sleep(1)\n'
        '        ok = client.get_association(arn) == expected\n'
        '\n'
        '\n'
        'def delete_acl(client, name):\n'
        '    not_deleted = True\n'
        '    n = 0\n'
        '    while not_deleted:\n'
        '        n += 1\n'
        '        if n > 10:\n'
        '            raise RuntimeError("not deleted")\n'
        '        time.sleep(1)\n'
        '        try:\n'
        '            client.delete_web_acl(Name=name)\n'
        '            not_deleted = False\n'
        '        except client.exceptions.WAFOptimisticLockException:\n'
        '            continue\n'
        '\n'
        '\n'
        'def fetch_schedule(client):\n'
        '    success = False\n'
        '    tries = 0\n'
        '    while not success and tries < 3:\n'
        '        success = client.fetch_schedule()\n'
        '        tries += 1\n'
        '    return success\n'
        '\n'
        '\n'
        'def wait_for_db(db, OperationalError):\n'
        '    connected = False\n'
        '    while not connected:\n'
        '        try:\n'
        '            db.connect()\n'
        '            connected = True\n'
        '        except OperationalError:\n'
        '            time.sleep(1)\n'
    ),
}


def test_constructor_bounds_state_polls_and_library_retry_options(tmp_path: Path) -> None:
    """(datadog-serverless-functions, external-domain-broker) `Stats()` of this file leaving its `max_attempts=5`
    out, the field bounding `range(1, self.max_attempts + 1)` (rule b at each call, rule a at the loop);
    `while not_deleted: n += 1; if n > 10: raise` around a delete (10 tries); Huey's `context_task(ctx,
    retries=24)` (25); botocore `Config(retries={"mode": "standard"})` (3). Traps: polls of remote state (a flag
    set by a comparison, by a `verify_` check, or once a lookup stops raising not-found), a context_task
    without retries, the words in a string. The round-19 flag-and-counter retry (`success = client.fetch_...()`)
    and a connect tried until it answers (`while not connected: try: db.connect(); connected = True`) stay."""
    _write(tmp_path, BOUNDS)
    assert _found(tmp_path, "retry") == [
        ("queues.py", 7, 25), ("queues.py", 8, 3), ("stats.py", 12, 5), ("stats.py", 20, 5), ("stats.py", 21, 5),
        ("waf.py", 47, 10), ("waf.py", 62, 3), ("waf.py", 70, None)]


CONFIGS = {
    'cf.py': (
        'from datetime import datetime, timedelta\n'
        '\n'
        'import requests\n'
        '\n'
        'from extensions import config\n'
        '\n'
        '\n'
        'def token(url):\n'
        '    return requests.post(url, timeout=config.REQUEST_TIMEOUT)\n'
        '\n'
        '\n'
        'def finalize(client_acme, order):\n'
        '    deadline = datetime.now() + timedelta(seconds=config.ACME_POLL_TIMEOUT_IN_SECONDS)\n'
        '    return client_acme.poll_and_finalize(orderr=order, deadline=deadline)\n'
    ),
    'config.py': (
        'from environs import Env\n'
        '\n'
        '\n'
        'def config_from_env():\n'
        '    return {"production": ProductionConfig, "test": TestConfig}[Env()("FLASK_ENV")]()\n'
        '\n'
        '\n'
        'class Config:\n'
        '    def __init__(self):\n'
        '        self.env = Env()\n'
        '        self.REQUEST_TIMEOUT = 30\n'
        '        self.ACME_POLL_TIMEOUT_IN_SECONDS = self.env.int("ACME_POLL_TIMEOUT_IN_SECONDS", 90)\n'
        '\n'
        '\n'
        'class ProductionConfig(Config):\n'
        '    def __init__(self):\n'
        '        super().__init__()\n'
        '\n'
        '\n'
        'class TestConfig(Config):\n'
        '    def __init__(self):\n'
        '        super().__init__()\n'
        '        self.ACME_POLL_TIMEOUT_IN_SECONDS = 10\n'
    ),
    'extensions.py': (
        'from config import config_from_env\n'
        '\n'
        'config = config_from_env()\n'
    ),
    'follow.py': (
        'def accept(instance):\n'
        '    return instance.target.signed_request(uri=instance.inbox, body={})\n'
        '\n'
        '\n'
        'def other(obj):\n'
        '    return obj.remote.make_signed_call(uri="https://example.org/x")\n'
    ),
    'http_sig.py': (
        'import httpx\n'
        '\n'
        '\n'
        'class HttpSignature:\n'
        '    @classmethod\n'
        '    def signed_request(cls, uri, body=None, timeout=5):\n'
        '        return httpx.post(uri, json=body, timeout=timeout)\n'
        '\n'
        '\n'
        'class Remote:\n'
        '    def make_signed_call(self, uri, timeout=5):\n'
        '        return httpx.get(uri, timeout=timeout)\n'
    ),
    'identity.py': (
        'from http_sig import HttpSignature\n'
        '\n'
        '\n'
        'class Identity:\n'
        '    def signed_request(self, uri, body=None):\n'
        '        return HttpSignature.signed_request(uri, body)\n'
    ),
    'requirements.txt': (
        'httpx\n'
    ),
}


def test_config_classes_picked_at_run_time_and_ambiguous_method_names(tmp_path: Path) -> None:
    """(external-domain-broker, takahe) `config = config_from_env()` picking one of the settings file's classes,
    whose `__init__` sets `self.REQUEST_TIMEOUT = 30` and `self.env.int("ACME_POLL_TIMEOUT_IN_SECONDS", 90)` (a
    test configuration's override is not the deployed value); a call by a distinctive method name alone
    (`instance.target.signed_request(...)`) is not proposed when another class defines a method of that name
    that hands over no timeout (`Identity.signed_request`, itself rule b), and is when the name is one helper's."""
    _write(tmp_path, CONFIGS)
    assert _found(tmp_path, "timeout") == [
        ("cf.py", 9, 30000), ("cf.py", 13, 90000), ("follow.py", 6, 5000), ("http_sig.py", 7, 5000),
        ("http_sig.py", 12, 5000), ("identity.py", 6, 5000)]
