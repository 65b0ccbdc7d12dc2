"""Timeouts of other network clients, told by the keyword's name or the callee's.

What it does: reports any call given an unmistakably network-named keyword —
`connect_timeout`, `connection_timeout`, `socket_connect_timeout`, `pool_timeout` (phase
connect), `read_timeout`, `socket_timeout`, `command_timeout`, `send_receive_timeout`,
`write_timeout` (phase read), `request_timeout`, `default_timeout` (phase total), Twisted's
`connectTimeout` (phase connect: `Agent(reactor, connectTimeout=15)`), and the
millisecond forms `..._timeout_ms` / `...TimeoutMS` (kafka's `request_timeout_ms`, pymongo's
`connectTimeoutMS`, `socketTimeoutMS`, `serverSelectionTimeoutMS`) — also
through a `**conn_info` dict literal; and a plain `timeout=` given to a connection or client
constructor (`smtplib.SMTP(host, timeout=10)`; phase read beside a `connect_timeout`,
`pymemcache.Client(server, connect_timeout=2, timeout=5)`, `atsd_client.connect_url(url, timeout=60)`,
`paramiko` / `ftplib` / `ldap3` / `pika` style `...connect(...)`, Django mail's
`get_connection(host=..., timeout=30)`, `...Client(...)`, a class of the file deriving from one
(`class Email(smtplib.SMTP)`: `Email(host, port, timeout=600)`), a project's
factory `create_pinned_httpx_client(url, timeout=30)`), a class told where to connect
(`OpenAILike(api_base=url, timeout=60)`: `api_base`, `base_url`, `endpoint`, `host`, `url`,
`server`, `api_key`, `http_client`, `dsn`, `uri` beside the timeout), and
a timeout set on a client after it is made (`session.default_timeout = 10`,
`client.read_timeout = 30`, `job_config.job_timeout_ms = 600000` (milliseconds), `conn.timeout = 5`
on a client-named object, `srv.timeout = 5` on a local
made by a library's client constructor: `srv = pyrad.client.Client(...)`), and
pycurl's `c.setopt(pycurl.TIMEOUT / TIMEOUT_MS / CONNECTTIMEOUT / CONNECTTIMEOUT_MS, value)`,
python-ldap's `conn.set_option(ldap.OPT_NETWORK_TIMEOUT, s)` (connect) / `OPT_TIMEOUT` (total), ldap3's
`Connection(receive_timeout=...)` (read), and a library object's own setter taking seconds
(`scholarly.set_timeout(20)`, `set_connect_timeout` / `set_read_timeout`; never a project object's).
Values are seconds. Library-specific detectors win when both read the same setting.
Also the per-call `timeout=` of google-cloud client methods in a file importing `google.cloud`
(`blob.upload_from_string(data, timeout=60)`), zeep's `Transport(operation_timeout=...)` and pysolr's
`Solr(url, timeout=10)`, web3's `HTTPProvider(url, request_kwargs={"timeout": 60})` (every request of the
provider, also a subclass's), and gRPC's `grpc.channel_ready_future(channel).result(timeout=3)` (connect).
Also (round 21) a pooled connection's acquire wait (`producers[conn].acquire(block=True, timeout=1)` of kombu's
pools, `self.pool.acquire(timeout=5)`; phase connect), Twisted's client endpoints and `reactor.connectTCP(..,
timeout=15)` (connect), work cancelled by a scheduled call (`reactor.callLater(30, d.cancel)`, `loop.call_later(5,
fut.cancel)`, a local callback cancelling a deferred: synapse's timeout_deferred), and a Google Cloud request message's Duration deadline (`Task(dispatch_deadline=
Duration(seconds=1800))`, `RunJobRequest.Overrides(timeout={"seconds": N})`).
Not reported: `timeout=` of local waits (`queue.get`, `thread.join`, `future.result`,
`subprocess.run`, `select.select`, locks, job queues), cache TTLs and cookie ages.
Why it matters: every client that talks to another process needs a bound.
Example: `vertica_python.connect(**{"host": h, "read_timeout": 600})`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import CLIENT_CTORS, is_none, string_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.client_timeout"

NAMED_TIMEOUTS = (("connect_timeout", "connect"), ("socket_connect_timeout", "connect"), ("receive_timeout", "read"),
                  ("connection_timeout", "connect"), ("pool_timeout", "connect"), ("read_timeout", "read"),
                  ("socket_timeout", "read"), ("command_timeout", "read"), ("send_receive_timeout", "read"),
                  ("write_timeout", "read"), ("request_timeout", "total"), ("default_timeout", "total"),
                  ("operation_timeout", "total"),
                  ("connectTimeout", "connect"))  # Twisted's Agent(reactor, connectTimeout=15) (round 16, sydent)
MILLIS = re.compile(r"^\w*timeout_?ms$", re.I)  # request_timeout_ms (kafka), connectTimeoutMS (pymongo)
# kafka consumer-group liveness (how long the broker waits for a silent member), not a call's bound
LIVENESS = re.compile(r"^(session_timeout_ms|heartbeat_interval_ms|max_poll_interval_ms|rebalance_timeout_ms)$")
# a long-poll's wait (how long a consumer or the server holds the request when nothing is ready:
# kafka-python's `consumer.poll(timeout_ms=1000)` / aiokafka's `getmany(timeout_ms=)`, BigQuery's
# `jobs().getQueryResults(timeoutMs=)` answering jobComplete false), not a call's bound (round 18, keep, clusterfuzz)
LONG_POLLS = frozenset({"poll", "getmany", "getone", "getQueryResults"})
CURL_OPTIONS = {"TIMEOUT": ("total", 1000.0), "TIMEOUT_MS": ("total", 1.0), "CONNECTTIMEOUT": ("connect", 1000.0),
                "CONNECTTIMEOUT_MS": ("connect", 1.0)}
CONNECTING = re.compile(r"^(connect\w*|open_connection|create_connection|get_connection|get_client|\w*Client|\w*Connection|"
                        r"\w+_client|\w+_connection|"
                        r"SMTP\w*|FTP\w*|IMAP4\w*|POP3\w*|Telnet|LDAPConnection|Server|Solr|SolrCloud|"
                        # the acme library's transport to an ACME server (`ClientNetwork(key, timeout=45)`)
                        r"ClientNetwork)$")
# HTTP client classes named otherwise: httplib2's `Http(timeout=30)` (google-api-python-client's transport;
# round 19, ecommerce)
LIBRARY_HTTP_CLIENTS = frozenset({"httplib2.Http"})
# A constructor told where to connect: OpenAILike(api_base=..., timeout=60), Elasticsearch(hosts=...).
NETWORK_KEYWORDS = ("api_base", "base_url", "endpoint", "host", "hosts", "url", "server", "address", "api_key",
                    "http_client", "dsn", "uri")
CLIENTISH_OWNER = re.compile(r"(session|client|conn|connection|transport|channel|stub|socket|sock|http|api)$", re.I)
# Playwright's browser connections take milliseconds (browser_type.connect_over_cdp(url, timeout=60000)).
PLAYWRIGHT_MS = frozenset({"connect_over_cdp", "connect", "launch", "launch_persistent_context"})
# a Playwright page's navigations (milliseconds); element waits and clicks are UI timers, not read here
PLAYWRIGHT_NAVIGATION = frozenset({"goto", "reload", "go_back", "go_forward", "wait_for_load_state", "wait_for_url",
                                   "expect_navigation", "wait_for_navigation"})
# Client constructors whose `timeout=` is in milliseconds: influxdb-client 2.x (`InfluxDBClient(url,
# token, timeout=30_000)`, also the async client); influxdb 1.x takes seconds.
MILLIS_CLIENTS = ("influxdb_client.",)
# Selenium's remote browser: driver.set_page_load_timeout(45), set_script_timeout(30) (seconds).
WEBDRIVER_TIMEOUTS = frozenset({"set_page_load_timeout", "set_script_timeout"})
LOCAL_WAITS = re.compile(r"^(queue|threading|multiprocessing|subprocess|concurrent|select|asyncio|signal)\.")

VALID = [
    """\
from kafka import KafkaConsumer

consumer = KafkaConsumer("orders", session_timeout_ms=10000, max_poll_interval_ms=300000)  # ok: group liveness
""",
    """\
from google.cloud import pubsub_v1

def wait(future, lock):
    future.result(timeout=30)  # ok: a future's wait (read by python.asyncio when it is a client's)
    lock.acquire(timeout=5)  # ok: a local lock
""",
    """\
import subprocess
import threading

def run(t: threading.Thread):
    subprocess.run(["ls"], timeout=30)
    t.join(timeout=5)
""",
    """\
from app.jobs import Job, run_job

job = Job(name="reindex", timeout=600)  # ok: not told where to connect
run_job(job, timeout=600)  # ok: not a client or connection factory
job.timeout = 600  # ok: a job's own limit, not a client's
""",
]

INVALID = [
    """\
from twisted.internet import reactor
from twisted.web.client import Agent

agent = Agent(reactor, connectTimeout=15)  # expect: timeout timeout_ms=15000 phase=connect
plain = Agent(reactor)  # ok: the library default
""",
    """\
import pysolr
from google.cloud import storage
from zeep import Client
from zeep.transports import Transport

gcs = storage.Client()
solr = pysolr.Solr("http://solr:8983/solr/products", timeout=10)  # expect: timeout timeout_ms=10000 phase=total
soap = Client("http://erp/wsdl", transport=Transport(operation_timeout=20))  # expect: timeout timeout_ms=20000 phase=total


def save(name, data):
    return gcs.bucket("media").blob(name).upload_from_string(data, timeout=60)  # expect: timeout timeout_ms=60000 phase=total
""",
    """\
import smtplib
import vertica_python

conn_info = {"host": "analytics-db", "read_timeout": 600}
db = vertica_python.connect(**conn_info)  # expect: timeout timeout_ms=600000 phase=read
mail = smtplib.SMTP("smtp.internal", 25, timeout=10)  # expect: timeout timeout_ms=10000 phase=total
""",
    """\
from django.core.mail import get_connection

smtp = get_connection(host="smtp.internal", port=587, use_tls=True, timeout=30)  # expect: timeout timeout_ms=30000 phase=total
""",
    """\
from llama_index.llms.openai_like import OpenAILike
from app.network import create_pinned_httpx_client

llm = OpenAILike(model="m", api_base="http://llm:8000", timeout=120)  # expect: timeout timeout_ms=120000 phase=total
http = create_pinned_httpx_client("http://llm:8000", timeout=30)  # expect: timeout timeout_ms=30000 phase=total
""",
    """\
import vertica_python
from cassandra.cluster import Cluster


def query(configuration, keyspace):
    params = dict(host=configuration.get("host"), connect_timeout=configuration.get("connect_timeout", 60))
    db = vertica_python.connect(**params)  # expect: timeout timeout_ms=60000 phase=connect
    session = Cluster([configuration["host"]]).connect()
    session.default_timeout = configuration.get("timeout", 10)  # expect: timeout timeout_ms=10000 phase=total
    http_client.timeout = 5  # expect: timeout timeout_ms=5000 phase=total
    return db, session
""",
    """\
import os
from playwright.async_api import async_playwright
from selenium.webdriver.remote.webdriver import WebDriver


async def fetch(url, driver: WebDriver):
    async with async_playwright() as p:
        browser = await p.chromium.connect_over_cdp("ws://browser:3000", timeout=60000)  # expect: timeout timeout_ms=60000 phase=total
    driver.set_page_load_timeout(int(os.getenv("PAGELOAD_TIMEOUT", 45)))  # expect: timeout timeout_ms=45000 phase=total
    driver.implicitly_wait(10)  # ok: polling for elements, not a request bound
""",
    """\
from playwright.sync_api import sync_playwright

NAV_MS = 30000


def render(page, url, grace_ms=5000):
    page.goto(url, timeout=NAV_MS, wait_until="commit")  # expect: timeout timeout_ms=30000 phase=total
    page.wait_for_load_state("networkidle", timeout=grace_ms)  # expect: timeout timeout_ms=5000 phase=total
    page.wait_for_selector("#main", timeout=10000)  # ok: an element wait, a UI timer
    page.wait_for_timeout(500)  # ok: a sleep
    page.goto(url, timeout=0)  # ok: 0 is no bound
""",
    """\
import requests
from fastapi import BackgroundTasks


def trigger(bg_tasks: BackgroundTasks, action, payload):
    if action.kind == "post":
        task_action = requests.post
    else:
        raise ValueError(action.kind)
    bg_tasks.add_task(task_action, url=action.url, json=payload, timeout=15)  # expect: timeout timeout_ms=15000 phase=total
    bg_tasks.add_task(send_digest, action.user, timeout=15)  # ok: a function of this project, its timeout is its own
""",
]


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def _project_super(f, call) -> bool:
    """Whether `super().__init__(...)` runs a project class's constructor (imported from another module)."""
    from extractors.python.detectors.wrapper_timeout import _project_base

    cls = f.enclosing_class(call.node)
    return cls is not None and _project_base(f, cls) is not None


def detect(f):
    out = []
    if not f.has_any(b"timeout", b"dispatch_deadline"):
        return out  # every keyword, pycurl option and constructor read here says timeout (or Cloud Tasks' deadline)
    handled = set(_retry.outbound_map(f))
    for call in f.calls:
        if call.callee == "super().__init__" and _project_super(f, call):
            continue  # (round 22) a project base class's constructor: python.wrapper_timeout proposes its values
        if call.name == "result" and call.receiver and "channel_ready_future(" in call.receiver and \
                f.qualify(call.receiver.split("(", 1)[0]) == "grpc.channel_ready_future":
            # `grpc.channel_ready_future(channel).result(timeout=3)`: waiting for the channel to connect
            node = call.kwargs["timeout"].node if "timeout" in call.kwargs else (
                call.args[0].node if call.args else None)
            if node is not None and not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, "connect", ID, call.node, None)
            continue
        if "timeout" in call.kwargs and (call.qualified in _TWISTED_CLIENT_ENDPOINTS or (
                call.name in ("connectTCP", "connectSSL", "connectUNIX") and (call.receiver or "").endswith("reactor"))):
            # (round 21, synapse) Twisted's client endpoints and reactor.connectTCP: seconds to connect
            node = call.kwargs["timeout"].node
            if not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, "connect", ID, call.node, None)
            continue
        if call.qualified.startswith("google.cloud.") and call.name[:1].isupper():
            # (round 21, bugbug) a Google Cloud request message's own deadline given as a protobuf Duration or its
            # dict form: Cloud Tasks' `Task(dispatch_deadline=Duration(seconds=1800))` (how long the queue waits
            # for the handler), Cloud Run's `RunJobRequest.Overrides(timeout={"seconds": N})` (the execution's
            # limit); at the message's line, phase total
            done = False
            for kw in ("dispatch_deadline", "timeout"):
                seconds = _duration_seconds(f, call.kwargs[kw].node) if kw in call.kwargs else None
                if seconds is not None:
                    out += f.duration(seconds, 1000.0, "total", ID, call.node, None)
                    done = True
            if done:
                continue
        if call.name == "acquire" and "timeout" in call.kwargs and _connection_pool(f, call):
            # (round 21, hypothesis h) `producers[conn].acquire(block=True, timeout=1)`, asyncpg's
            # `pool.acquire(timeout=5)`: the wait for a pooled connection to another service (phase connect)
            node = call.kwargs["timeout"].node
            if not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, "connect", ID, call.node, None)
            continue
        if call.name in ("call_later", "callLater") and call.receiver and len(call.args) >= 2 and \
                _cancels_work(f, call.args[1].node):
            # (round 21, synapse) `reactor.callLater(60, d.cancel)`, `loop.call_later(5, fut.cancel)`, or a local
            # callback cancelling the deferred (synapse's timeout_deferred: `clock.call_later(Duration(seconds=
            # timeout), time_it_out)`): the work is cut at that delay; a helper's own parameter is its callers'
            delay = _delay_seconds(f, call.args[0].node)
            if delay is not None and not is_none(unwrap(delay[0])):
                out += f.duration(delay[0], delay[1], "total", ID, call.node, None)
            continue
        if call.name == "addTimeout" and call.receiver and call.args and \
                any(m.split(".")[0] == "twisted" for m in f.imports.values()):
            # (round 21) Twisted's `d.addTimeout(60, reactor)`: the deferred is cancelled after that many seconds
            if not is_none(unwrap(call.args[0].node)):
                out += f.duration(call.args[0].node, 1000.0, "total", ID, call.node, None)
            continue
        if call.qualified in _SUBPROCESS_RUNS and "timeout" in call.kwargs and _remote_git(call):
            # (round 21, the pr-agent request) `subprocess.run(["git", "clone", "--depth", "1", url, dest],
            # timeout=t)`: the command talks to a remote repository, its timeout bounds that exchange
            node = call.kwargs["timeout"].node
            if not is_none(unwrap(node)):
                found = f.duration(node, 1000.0, "total", ID, call.node, None)
                if unwrap(node) is not None and unwrap(node).type == "identifier":
                    from extractors.python.detectors.task_timeout import _none_default_param, never_unless_passed
                    if _none_default_param(f, unwrap(node)):
                        found = never_unless_passed(found)  # `timeout=None` default: the callers' values count
                out += found
            continue
        if (LOCAL_WAITS.match(call.qualified) and not (call.name == "to_thread" and "timeout" in call.kwargs)) or \
                call.qualified == "dict":
            continue  # dict(connect_timeout=5) is read where it is spread: connect(**params); `asyncio.to_thread(
            # requests.get, url, timeout=30)` is read below (round 20, gpt-researcher)
        if call.name == "update" and call.receiver and call.receiver.isidentifier() and \
                f.has_any(b"**" + call.receiver.lower().encode()):
            continue  # `kwargs.update(read_timeout=30)` fills a dict read where it is spread: Client(**kwargs)
        kwargs = f.effective_kwargs(call)
        for kw, phase in NAMED_TIMEOUTS:
            node = kwargs.get(kw)
            if node is not None and not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, phase, ID, call.node, None)
        if call.name[:1].isupper() and any(k in kwargs for k in NETWORK_KEYWORDS):
            for kw, node in kwargs.items():
                if SECONDS_SUFFIXED.match(kw) and not is_none(unwrap(node)):
                    # `Posthog(api_key=k, host=h, feature_flags_request_timeout_seconds=3)`: a client's timeout
                    # spelt with its unit (round 18, keep)
                    out += f.duration(node, 1000.0, "total", ID, call.node, None)
        for kw, node in kwargs.items():
            if MILLIS.match(kw) and not LIVENESS.match(kw) and not is_none(unwrap(node)) and \
                    not (call.name in LONG_POLLS and call.receiver):
                phase = "connect" if "connect" in kw.lower() or "selection" in kw.lower() else (
                    "read" if re.search(r"(read|socket|request)", kw, re.I) else "total")
                out += f.duration(node, 1.0, phase, ID, call.node, None)
        if call.name in WEBDRIVER_TIMEOUTS and len(call.args) == 1 and not call.kwargs and (
                _imports_from(f, "selenium") or re.search(r"(driver|browser)$", call.receiver or "", re.I)):
            out += f.duration(call.args[0].node, 1000.0, "total", ID, call.node, None)
            continue
        if call.name in DEFERRING and "timeout" in kwargs and _defers_http(f, call):
            node = kwargs["timeout"]
            if not is_none(unwrap(node)):  # reported at the request handed over (the callable)
                out += f.duration(node, 1000.0, "total", ID, call.args[0].node, None)
            continue
        if call.name == "set_option" and len(call.args) == 2 and "ldap" in f.qualify(call.args[0].text).lower():
            # python-ldap: conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 10) / ldap.set_option(ldap.OPT_TIMEOUT, 30)
            phase = LDAP_OPTIONS.get(call.args[0].text.rsplit(".", 1)[-1])
            if phase is not None and not is_none(unwrap(call.args[1].node)):
                out += f.duration(call.args[1].node, 1000.0, phase, ID, call.node, None)
            continue
        if call.name in LIBRARY_SETTERS and len(call.args) == 1 and not call.kwargs and _library_object(f, call):
            # scholarly.set_timeout(20), a library module's or object's own setter (seconds)
            out += f.duration(call.args[0].node, 1000.0, LIBRARY_SETTERS[call.name], ID, call.node, None)
            continue
        if call.name == "setopt" and len(call.args) == 2:
            option = call.args[0].text.rsplit(".", 1)[-1]
            if option in CURL_OPTIONS:
                phase, scale = CURL_OPTIONS[option]
                out += f.duration(call.args[1].node, scale, phase, ID, call.node, None)
            continue
        request_kwargs = unwrap(kwargs.get("request_kwargs"))
        if request_kwargs is not None and request_kwargs.type == "dictionary":
            # web3's `HTTPProvider(url, request_kwargs={"timeout": 60})` (and AsyncHTTPProvider, subclasses):
            # the keywords of every request the provider sends
            for pair in request_kwargs.named_children:
                value = pair.child_by_field_name("value") if pair.type == "pair" else None
                if value is not None and string_value(pair.child_by_field_name("key")) == "timeout" and \
                        not is_none(unwrap(value)):
                    out += f.duration(value, 1000.0, "total", ID, call.node, None)
            continue
        node = kwargs.get("timeout")
        if node is None:
            # `contentful.Client(space, token, timeout_s=30)`: the plain timeout with its unit in its name
            node = next((kwargs[k] for k in SECONDS_TIMEOUT_KEYWORDS if k in kwargs), None)
        if node is None or is_none(unwrap(node)):
            continue
        if call.name in PLAYWRIGHT_NAVIGATION and call.receiver and _imports_from(f, "playwright"):
            # `page.goto(url, timeout=30000)`, `page.wait_for_load_state("networkidle", timeout=5000)`: a
            # page's navigation to another site, in milliseconds (0 is no bound)
            if T.text(unwrap(node)) != "0":
                out += f.duration(node, 1.0, "total", ID, call.node, None)
            continue
        if call.name.endswith("TelegramClient") and f.has_any(b"telethon"):
            continue  # Telethon's connect timeout: python.sdk_client reads it (round 18)
        subclass = call.callee in f.classes and _connecting_base(f, f.classes[call.callee])
        if not CONNECTING.match(call.name) and not subclass and call.qualified not in LIBRARY_HTTP_CLIENTS and not (
                call.name[:1].isupper() and any(kw in kwargs for kw in NETWORK_KEYWORDS)) and not _gcloud_call(f, call) \
                and not _library_api_class(f, call) and not _library_object_query(f, call):
            continue
        if call.qualified in CLIENT_CTORS or call.node.id in handled or (call.callee in f.classes and not subclass):
            continue  # the HTTP and gRPC engines own these
        if _from_request_body(f, node, call.node):
            continue  # (round 20, wazo-calld) `connect_user(timeout=body['timeout'])`: the API caller's choice
        scale = 1.0 if (call.name in PLAYWRIGHT_MS and _imports_from(f, "playwright")) or \
            call.qualified.startswith(MILLIS_CLIENTS) else 1000.0
        # beside its own connect timeout, a client's plain `timeout` bounds each socket operation
        # (pymemcache `Client(server, connect_timeout=2, timeout=5)`): phase read
        phase = "read" if any(k in kwargs for k in ("connect_timeout", "connection_timeout",
                                                    "socket_connect_timeout")) else "total"
        out += f.duration(node, scale, phase, ID, call.node, None)
    if f.has_any(b"timeout =", b"timeout_ms =", b"lifetime =", b"reqtimeout ="):
        out += _attribute_timeouts(f)
    if f.has_any(b"opt_network_timeout", b"opt_timeout"):
        out += _ldap_option_dicts(f)
    return out


def _ldap_option_dicts(f) -> list:
    """(round 22, jumpserver) python-ldap options given as a dict (django-auth-ldap's
    `AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_NETWORK_TIMEOUT: 10, ldap.OPT_TIMEOUT: 10}`, applied with
    set_option on each connection): at the key's line, seconds, as `conn.set_option(...)` is read."""
    out = []
    for n in T.walk(f.root):
        if n.type != "pair":
            continue
        key, value = n.child_by_field_name("key"), n.child_by_field_name("value")
        if key is None or value is None or key.type != "attribute" or is_none(unwrap(value)):
            continue
        phase = LDAP_OPTIONS.get(T.text(key).rsplit(".", 1)[-1])
        if phase is not None and f.qualify(T.text(key)).split(".", 1)[0] == "ldap":
            out += f.duration(value, 1000.0, phase, ID, n, None)
    return out


_REQUEST_DATA = re.compile(r"\brequest\.(json|data|form|args|get_json|POST|GET|query_params|body)\b")


def _cancels_work(f, node) -> bool:
    """The callback handed to a scheduler cancels a deferred / future / task: `d.cancel`, or a function of the
    enclosing scope whose body calls `X.cancel()`."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "attribute" and T.text(node.child_by_field_name("attribute")) == "cancel":
        return True
    if node.type != "identifier":
        return False
    name = T.text(node)
    for fn in f.functions:
        if T.text(fn.child_by_field_name("name")) != name:
            continue
        for n in T.walk(fn.child_by_field_name("body")):
            c = f.call_of(n) if n.type == "call" else None
            if c is not None and c.name == "cancel" and c.receiver and not c.args:
                return True
    return False


def _delay_seconds(f, node):
    """(value node, ms per unit) of a scheduler's delay: seconds, or a Duration(seconds=..) / Duration(
    milliseconds=..) / timedelta(seconds=..) object."""
    node = unwrap(node)
    if node is None:
        return None
    c = f.call_of(node) if node.type == "call" else None
    if c is not None and c.name in ("Duration", "timedelta"):
        if "seconds" in c.kwargs and len(c.kwargs) == 1:
            return c.kwargs["seconds"].node, 1000.0
        if "milliseconds" in c.kwargs and len(c.kwargs) == 1:
            return c.kwargs["milliseconds"].node, 1.0
        return None
    return node, 1000.0


def _duration_seconds(f, node):
    """The seconds node of a protobuf Duration value: `Duration(seconds=N)` / `duration_pb2.Duration(seconds=N)`,
    or its dict form `{"seconds": N}`; else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "dictionary":
        for pair in node.named_children:
            if pair.type == "pair" and string_value(pair.child_by_field_name("key")) == "seconds" and \
                    len([p for p in node.named_children if p.type == "pair"]) <= 2:
                return pair.child_by_field_name("value")
        return None
    c = f.call_of(node) if node.type == "call" else None
    if c is not None and c.name == "Duration" and "seconds" in c.kwargs and \
            (c.qualified.startswith("google.protobuf") or c.qualified == "Duration"):
        return c.kwargs["seconds"].node
    return None


_SUBPROCESS_RUNS = frozenset({"subprocess.run", "subprocess.check_output", "subprocess.check_call", "subprocess.call"})
# git subcommands that talk to a remote repository (a checkout, commit or log is local work)
_REMOTE_GIT = frozenset({"clone", "fetch", "pull", "push", "ls-remote"})


def _remote_git(call) -> bool:
    """The command is a literal list starting `"git", "<remote subcommand>"` (options between are allowed:
    `["git", "-c", "http.sslVerify=false", "clone", ...]`)."""
    if not call.args:
        return False
    cmd = unwrap(call.args[0].node)
    if cmd is None or cmd.type != "list":
        return False
    words = [string_value(c) for c in cmd.named_children[:8]]
    if not words or words[0] != "git":
        return False
    i = 1
    while i < len(words):
        w = words[i]
        if w in ("-C", "-c", "--git-dir", "--work-tree"):
            i += 2  # an option and its value
            continue
        if w is None or w.startswith("-"):
            i += 1
            continue
        return w in _REMOTE_GIT
    return False


_TWISTED_CLIENT_ENDPOINTS = frozenset(f"twisted.internet.endpoints.{n}" for n in (
    "HostnameEndpoint", "TCP4ClientEndpoint", "TCP6ClientEndpoint", "SSL4ClientEndpoint", "UNIXClientEndpoint"))

# kombu's global pools (`from kombu.pools import producers, connections`) and a connection pool object
_KOMBU_POOLS = ("kombu.pools.producers", "kombu.pools.connections")
_POOL_NAME = re.compile(r"(^|_)(pool|db_pool|conn_pool|connection_pool)$", re.I)
_LOCAL_POOL = re.compile(r"(thread|process|worker|executor|semaphore|lock)", re.I)


def _connection_pool(f, call) -> bool:
    """`X.acquire(...)` on a pool of connections to another service: one of kombu's global pools indexed by a
    connection (`producers[conn]`), or an object named a pool (`self.pool`, `db_pool`) that is no local
    thread / process pool nor a semaphore."""
    receiver = call.receiver or ""
    base = receiver.split("[", 1)[0]
    if "[" in receiver and f.qualify(base) in _KOMBU_POOLS:
        return True
    last = base.rsplit(".", 1)[-1]
    return bool(_POOL_NAME.search(last)) and not _LOCAL_POOL.search(receiver) and "[" not in receiver


def _from_request_body(f, node, at) -> bool:
    """`body['timeout']` with `body = schema.load(request.json)` (or `request.json['timeout']` itself): a value the
    incoming request carries (a ring time the API's caller chose), not a bound this service sets."""
    value = unwrap(node)
    if value is None or value.type != "subscript":
        return False
    base = value.child_by_field_name("value")
    if base is not None and _REQUEST_DATA.search(T.text(base)):
        return True
    if base is None or base.type != "identifier":
        return False
    found = f.binding(T.text(base), at)
    return found is not None and found[0] is not None and bool(_REQUEST_DATA.search(T.text(found[0])))


# a client constructor's named timeout spelt with its unit in seconds (`feature_flags_request_timeout_seconds`)
SECONDS_SUFFIXED = re.compile(r"^\w+_timeout_(seconds|secs|sec)$")
# a client's plain timeout spelt with its unit, seconds (round 14, course-discovery's contentful client)
SECONDS_TIMEOUT_KEYWORDS = ("timeout_s", "timeout_sec", "timeout_secs", "timeout_seconds")


def _library_api_class(f, call) -> bool:
    """`EdxApi(credentials, base_url, timeout=60)` with `from edx_api.client import EdxApi`: an API client
    class of an installed SDK (its name ends in Api/API/Sdk/SDK), imported from a package whose name is not
    this project's (round 12's request, mitxonline). Seconds, as requests (most such SDKs wrap it)."""
    if not (call.name[:1].isupper() and re.search(r"(Api|API|Sdk|SDK)$", call.name)) or call.callee in f.classes:
        return False
    head = call.qualified.split(".", 1)[0]
    module = f.imports.get(call.callee.split(".", 1)[0], "")
    own = (f.module or "").split(".", 1)[0]
    return "." in call.qualified and head != own and bool(module) and not module.startswith(".") and \
        "_" in head  # an SDK's package (edx_api, hubspot_api...), never a project app's one-word package


# (round 22) packages whose objects' `timeout=` waits on local or queued work, or is read by other detectors
_NOT_QUERY_PACKAGES = frozenset({"redis", "aioredis", "kafka", "aiokafka", "confluent_kafka", "pika", "aio_pika", "kombu",
                                 "celery", "rq", "zmq", "paho", "nats", "selenium", "playwright", "pexpect", "paramiko",
                                 "docker", "kubernetes", "requests", "httpx", "aiohttp", "urllib3", "grpc", "boto3",
                                 "botocore", "psutil", "filelock", "portalocker", "gevent", "eventlet", "trio", "anyio"})
# methods whose `timeout=` is a wait for local work, a lock, a queue or a child
_LOCAL_WAIT_METHODS = re.compile(r"^(wait\w*|join|acquire|result|get|put|poll|recv\w*|read\w*|blpop|brpop|bzpop\w*|"
                                 r"listen|subscribe|consume|sleep|communicate|expect\w*|lock)$")


# what asks a service (a query, a lookup, a fetch...), not a setter or a local step
_ASKING_METHODS = re.compile(r"^(query\w*|search\w*|lookup\w*|fetch\w*|get_\w+|request\w*|download\w*|upload\w*|"
                             r"send\w*|post\w*|call\w*|invoke\w*|check\w*|resolve\w*|scan\w*|submit\w*|parse_remote|"
                             r"ping|info|analy[sz]e\w*|report\w*|verify\w*|translate\w*|geocode|reverse)$")


def _library_object_query(f, call) -> bool:
    """(round 22, intelowl) `pdns = pypdns.PyPDNS(url=u, basic_auth=a); pdns.query(domain, timeout=5)`: a method of
    an object an imported third-party package's class made in the same function (the package imported whole,
    not the standard library's, not this project's), asking that service. Not a wait on local work (`wait`,
    `join`, `get`, `acquire`...), nor the objects of queue, lock, browser or process libraries."""
    import sys as _sys
    if not call.receiver or not call.receiver.isidentifier() or _LOCAL_WAIT_METHODS.match(call.name or "") or \
            "timeout" not in call.kwargs or not _ASKING_METHODS.match(call.name or "") or \
            call.receiver in f.relative_names:
        return False
    own = (f.module or "").split(".", 1)[0]
    if call.receiver[:1].isupper() and call.receiver in f.imports and call.receiver not in f.classes:
        # (jumpserver) `IdPMetadataParse.parse_remote(url, timeout=20)`: a class method of a library's class
        # imported by name (onelogin's metadata parser fetching the IdP's metadata)
        module = f.imports[call.receiver]
        top = module.split(".", 1)[0]
        return "." in module and not module.startswith(".") and top not in (own, "") and \
            top not in _sys.stdlib_module_names and top not in _NOT_QUERY_PACKAGES
    found = f.binding(call.receiver, call.node)
    ctor = f.call_of(unwrap(found[0])) if found else None
    if ctor is None or "." not in ctor.callee or not ctor.name[:1].isupper():
        return False
    head = ctor.callee.split(".", 1)[0]
    module = f.imports.get(head, "")
    top = module.split(".", 1)[0]
    return module == head and top not in (own, "") and top not in _sys.stdlib_module_names and \
        top not in _NOT_QUERY_PACKAGES


# python-ldap's options (seconds): the connect phase, and every synchronous operation's bound
LDAP_OPTIONS = {"OPT_NETWORK_TIMEOUT": "connect", "OPT_TIMEOUT": "total"}
# a library's own timeout setters taking seconds (`scholarly.set_timeout(20)`)
LIBRARY_SETTERS = {"set_timeout": "total", "set_connect_timeout": "connect", "set_read_timeout": "read",
                   "set_socket_timeout": "read", "set_request_timeout": "total"}


def _library_object(f, call) -> bool:
    """The receiver is an imported library's module or object (`from scholarly import scholarly`),
    never this project's own package, a relative import or `self`."""
    head = (call.receiver or "").split(".", 1)[0]
    module = f.imports.get(head)
    if not module or module.startswith("."):
        return False
    own = (f.module or "").split(".", 1)[0]
    return module.split(".", 1)[0] not in (own, "") and not module.split(".", 1)[0] in f.classes


def _connecting_base(f, cls, depth: int = 0) -> bool:
    """A class of this file deriving from a library's connection class (`class Email(EmailBase,
    smtplib.SMTP)`, `class Ftp(ftplib.FTP_TLS)`, through other classes of the file): its constructor
    opens that connection, so `Email(host, port, timeout=600)` bounds it like `smtplib.SMTP(...)`."""
    if depth > 4 or f.class_kind(cls):
        return False  # a requests/httpx/grpc client subclass is the HTTP engines'
    for base in f.class_bases(cls):
        local = f.classes.get(base)
        if local is not None and local is not cls:
            if _connecting_base(f, local, depth + 1):
                return True
        elif "." in base and CONNECTING.match(base.rsplit(".", 1)[-1]) and not base.startswith(("typing.", "abc.")):
            return True
    return False


# Calls that run a callable later with the keywords they are given (FastAPI's
# background_tasks.add_task(fn, **kw), executor.submit(fn, **kw), asyncio.to_thread(fn, **kw)).
DEFERRING = frozenset({"add_task", "submit", "to_thread", "spawn", "apply_async_call", "defer"})
HTTP_FUNCTIONS = re.compile(r"^(requests|httpx)\.(get|post|put|patch|delete|head|options|request)$")


def _defers_http(f, call) -> bool:
    """The callable handed over is requests'/httpx's (`requests.post`, or a local bound to it:
    `task_action = requests.post`)."""
    if not call.args:
        return False
    fn = unwrap(call.args[0].node)
    if fn is None:
        return False
    if fn.type == "identifier":
        found = f.binding(T.text(fn), fn)
        fn = unwrap(found[0]) if found else None
    return fn is not None and fn.type == "attribute" and HTTP_FUNCTIONS.match(f.qualify(T.text(fn))) is not None


# google-cloud-* methods take `timeout=` (seconds or a (connect, read) tuple) on every API call
GCLOUD_LOCAL = frozenset({"result", "get", "wait", "join", "acquire", "exception", "done", "cancel", "sleep"})


def _gcloud_call(f, call) -> bool:
    """`bucket.blob(name).upload_from_string(data, timeout=60)`, `bq.query(sql, timeout=30)` in a file
    using google-cloud clients (a call also given `retry=` is python.google_api_core's)."""
    return bool(call.receiver) and call.name not in GCLOUD_LOCAL and "retry" not in call.kwargs and \
        not _CACHE_RECEIVER.search(call.receiver) and \
        _imports_from(f, "google.cloud") and not call.name[:1].isupper()


# (round 20, kobotoolbox-kpi) a cache's `timeout=` in a file that also uses google-cloud clients is the entry's
# lifetime (Django's `cache.set(key, value, timeout=...)`, `caches["x"].add(...)`), not a call's bound
_CACHE_RECEIVER = re.compile(r"(^|[._\[])cache", re.I)


def _imports_from(f, package: str) -> bool:
    return any(module == package or module.startswith(package + ".") for module in f.imports.values())


def library_client_local(f, node) -> bool:
    """A local bound, in the same function, to an imported library's client or connection
    constructor (`srv = Client(server=host, ...)` with `from pyrad.client import Client`,
    `conn = ftplib.FTP(host)`): never this project's own class."""
    if node is None or node.type != "identifier":
        return False
    found = f.binding(T.text(node), node)
    call = f.call_of(unwrap(found[0])) if found else None
    if call is None or not CONNECTING.match(call.name) or call.callee in f.classes:
        return False
    module = f.imports.get(call.callee.split(".", 1)[0])
    if not module or module.startswith("."):
        return False
    own = (f.module or "").split(".", 1)[0]
    return module.split(".", 1)[0] not in (own, "")


def attribute_assignments(f) -> list:
    """(statement, target, value, attribute name) of every `obj.attr = value` of the file whose value
    is not None, read once per file (the attribute-timeout and attribute-retry readers share it)."""
    if "attribute_assignments" not in f._memo:
        out = []
        for n in T.walk(f.root):
            if n.type != "assignment":
                continue
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if left is None or right is None or left.type != "attribute" or is_none(unwrap(right)):
                continue
            out.append((n, left, right, T.text(left.child_by_field_name("attribute"))))
        f._memo["attribute_assignments"] = out
    return f._memo["attribute_assignments"]


def _requests_session(f, obj: str) -> bool:
    """``self.session = requests.Session()`` (or ``Session()`` imported from requests) in this file:
    ``obj`` is a requests Session, which has no timeout attribute of its own."""
    data = f.data if isinstance(f.data, bytes) else f.data.encode()
    if b"requests" not in data:
        return False
    return re.search(re.escape(obj).encode() + rb"\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?:requests\.)?[Ss]ession\(\s*\)",
                     data) is not None and re.search(rb"^\s*(?:import requests|from requests(?:\.sessions)? import)",
                                                     data, re.M) is not None


# (round 22, intelowl / jumpserver) timeouts set as attributes of a library object made in the same function,
# by the qualified name of its constructor: dnspython's `resolver = dns.resolver.Resolver(); resolver.timeout = 10`
# (each server's wait) and `resolver.lifetime = 20` (the whole query), Tencent Cloud's `httpProfile =
# HttpProfile(); httpProfile.reqTimeout = 30` (seconds)
LIBRARY_ATTRIBUTE_TIMEOUTS = {("dns.resolver.", "timeout"): "read", ("dns.resolver.", "lifetime"): "total",
                              ("tencentcloud.", "reqTimeout"): "total"}


def _library_attribute_phase(f, obj, attr: str) -> str | None:
    if obj is None or obj.type != "identifier" or not any(a == attr for _, a in LIBRARY_ATTRIBUTE_TIMEOUTS):
        return None
    found = f.binding(T.text(obj), obj)
    call = f.call_of(unwrap(found[0])) if found else None
    if call is None:
        return None
    return next((phase for (prefix, a), phase in LIBRARY_ATTRIBUTE_TIMEOUTS.items()
                 if a == attr and call.qualified.startswith(prefix)), None)


def _attribute_timeouts(f) -> list:
    """`session.default_timeout = 10`, `client.read_timeout = 30`, `conn.timeout = 5` (a client-named
    object): a timeout set on a client after it is made."""
    out = []
    for n, left, right, attr in attribute_assignments(f):
        owner = T.text(left.child_by_field_name("object")).rsplit(".", 1)[-1]
        phase = dict(NAMED_TIMEOUTS).get(attr)
        if phase is None and attr == "timeout" and (CLIENTISH_OWNER.search(owner) or library_client_local(
                f, left.child_by_field_name("object"))):
            phase = "total"
        if phase is None:
            phase = _library_attribute_phase(f, left.child_by_field_name("object"), attr)
        if owner in ("self", "cls"):
            continue  # self.timeout = timeout: a class keeping its caller's value, read where it is used
        if attr == "timeout" and _requests_session(f, T.text(left.child_by_field_name("object"))):
            continue  # `session.timeout = 60` on a requests.Session: requests never reads it (no bound)
        if phase is None and MILLIS.match(attr) and not LIVENESS.match(attr):
            # `job_config.job_timeout_ms = 600_000` (BigQuery), `conf.request_timeout_ms = 500`: milliseconds
            phase = "connect" if "connect" in attr.lower() else ("read" if re.search(r"(read|socket)", attr, re.I)
                                                                  else "total")
            out += f.duration(right, 1.0, phase, ID, n, None)
            continue
        if phase is None:
            continue
        out += f.duration(right, 1000.0, phase, ID, n, None)
    return out
