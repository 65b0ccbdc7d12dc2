"""Vendor SDK clients: `timeout=` / `max_retries=` on OpenAI, Anthropic, Elasticsearch and friends.

What it does: reports the `timeout=` (phase total; an `httpx.Timeout` is read by python.httpx)
and the `max_retries=` of SDK client constructors (`OpenAI(timeout=20, max_retries=3)`,
`Anthropic(...)`, `Elasticsearch(request_timeout=..., max_retries=3)`, `Minio`, ...) and of
`client.with_options(timeout=..., max_retries=...)`, plus the per-request `timeout=` of
generated API calls (`client.chat.completions.create(..., timeout=30)`,
`client.messages.create(...)`, `client.embeddings.create(...)`, litellm's (its `num_retries` too, also put into a kwargs dict a builder returns or handed to a method splatting it
into the litellm call: round 21) `litellm.completion(...,
timeout=60)`, also through a `**kwargs` dict literal). `max_retries=N` counts retries,
so `max_attempts` is N + 1 (these SDKs back off exponentially). Module-level settings such as
`stripe.max_network_retries = 2` are reported too, and the retry budget given to any other client
class (`WaybackMachineSaveAPI(url, agent, max_tries=1)`: `max_tries` / `max_attempts` count
attempts, `max_retries` / `num_retries` / `retry_count` retries; medium confidence) or to a method of
an imported package's object (`ipwhois.IPWhois(ip).lookup_whois(retry_count=0)`).
Also the retry budgets and timeouts of clients whose option names are their own: elasticsearch-py's bulk
helpers `streaming_bulk(es, actions, max_retries=N)` / `bulk(...)` (429-rejected documents re-sent N times: N + 1),
kazoo's `KazooRetry(max_tries=N)` (N tries; -1 forever), Telethon's `TelegramClient(timeout=10,
connection_retries=5, request_retries=5)` (connect; N + 1 each),
clickhouse-connect `get_client(query_retries=N)` (N + 1), Azure SDK clients' `retry_total=N` (N + 1),
kafka-python `KafkaProducer(retries=N)` (N + 1), pika `ConnectionParameters(connection_attempts=N)` (N
attempts), `StripeClient(max_network_retries=N)` (N + 1), confluent-kafka's settings dict
(`message.timeout.ms` / `request.timeout.ms` / `delivery.timeout.ms` total, `socket.timeout.ms` read,
`socket.connection.setup.timeout.ms` connect, in ms; `retries` / `message.send.max.retries` N + 1),
`websockets.connect(open_timeout=10)` (connect), the `_request_timeout=` of kubernetes and other
OpenAPI-generated clients, python-telegram-bot's `start_polling(bootstrap_retries=N)` (-1: forever), and
Firecrawl's `scrape(url, timeout=30_000)` in a file importing firecrawl (milliseconds), google-genai's
`types.HttpOptions(timeout=ms)` (milliseconds) and `types.HttpRetryOptions(attempts=N)` (N attempts),
pywebpush's `webpush(..., timeout=10)` / `WebPusher(sub).send(..., timeout=10)`, and an imported
library object's retry setter (`scholarly.set_retries(2)`: N + 1; `set_max_attempts(N)`: N). A generated API call's
`timeout` is read through a splatted dict literal too (`create(**request_params)`).
Why it matters: SDK defaults (OpenAI: 10 minutes, 2 retries) silently set a service's budget.
Example: `OpenAI(timeout=20.0, max_retries=3)`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.model import Pending
from contract_discovery.resolve import KEEP_IF
from contract_discovery.values import Call, Num, Unknown
from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import dotted, is_none, string_value, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.sdk_client"

SDK_CLIENTS = re.compile(r"^(Async)?(OpenAI|AzureOpenAI|Anthropic|AnthropicBedrock|AnthropicVertex|Elasticsearch|"
                         r"OpenSearch|Minio|Groq|Mistral|Cohere|ClientV2|Together|Replicate|Pinecone|QdrantClient|"
                         r"WebClient|Stripe|StripeClient|Twilio|Client)$")
SDK_ROOTS = ("openai", "anthropic", "elasticsearch", "opensearchpy", "minio", "groq", "mistralai", "cohere",
             "together", "replicate", "pinecone", "qdrant_client", "slack_sdk", "stripe", "twilio")
API_CALL = re.compile(r"\.(chat\.completions|completions|messages|embeddings|responses|images|audio\.\w+|"
                      r"moderations|beta\.\w+)\.(create|parse|stream)$")
# litellm's module functions call any LLM provider: `litellm.completion(model=..., timeout=60)` (seconds)
LITELLM_CALLS = frozenset(f"litellm.{name}" for name in (
    "completion", "acompletion", "embedding", "aembedding", "text_completion", "atext_completion",
    "image_generation", "aimage_generation", "transcription", "atranscription", "speech", "aspeech"))
MODULE_SETTINGS = {"stripe.max_network_retries": "retry", "openai.max_retries": "retry", "openai.timeout": "timeout",
                   "stripe.default_http_client": None}

VALID = [
    """\
def includeme(config):
    config.add_settings({"retry.attempts": 3})  # ok: no retry framework included in this file
""",
    """\
from shop.queue import Producer

settings = {"retries": 5, "message.timeout.ms": 1000}  # ok: a dict never handed to confluent-kafka
producer = Producer(settings)
params = dict(connection_attempts=3)  # ok: not pika's parameters
""",
    """\
def page(scraper, url):
    return scraper.scrape(url, timeout=30)  # ok: no Firecrawl here (another scraper, unknown unit)
""",
    """\
class Client:
    def __init__(self, timeout):
        self.timeout = timeout

def make(c):
    return c.create(name="x")
""",
    """\
from app.jobs import JobQueue, RetryPolicy

queue = JobQueue(max_retries=3)  # ok: a job queue's own bound (read by the task detectors, if any)
policy = RetryPolicy(max_attempts=5)  # ok: a policy object, read where it is applied
limits = dict(max_retries=3)  # ok: not a client class
""",
    """\
from shop.jobs import scheduler


def plan(job):
    return scheduler.enqueue(job, max_retries=3)  # ok: this project's own scheduler (read where it retries)
""",
]

INVALID = [
    """\
def includeme(config):
    config.add_settings({"retry.attempts": 3})  # expect: retry max_attempts=3 library=pyramid_retry
    config.include("pyramid_retry")
""",
    """\
from google.genai import types
from openai import OpenAI
from pywebpush import WebPusher, webpush


def client(client: OpenAI, prompt, timeout_s=120):
    params = {"model": "gpt-4o", "messages": [prompt], "timeout": 45}
    result = client.chat.completions.create(**params)  # expect: timeout timeout_ms=45000 phase=total
    options = {
        "timeout": 120_000,
        "retry_options": types.HttpRetryOptions(attempts=3, initial_delay=1.0),  # expect: retry max_attempts=3
    }
    http = types.HttpOptions(**options)  # expect: timeout timeout_ms=120000 phase=total
    webpush(subscription_info={}, data="x", timeout=10)  # expect: timeout timeout_ms=10000 phase=total
    WebPusher({}).send("x", timeout=5)  # expect: timeout timeout_ms=5000 phase=total
    return result, http
""",
    """\
from openai import OpenAI

client = OpenAI(timeout=20.0, max_retries=3)  # expect: timeout timeout_ms=20000 phase=total; retry max_attempts=4 backoff=exponential mechanism=client_config library=openai
""",
    """\
import opensearchpy


def search_client(url):
    kwargs = {"hosts": [url], "timeout": 1, "retry_on_timeout": True, "max_retries": 1}
    return opensearchpy.OpenSearch(**kwargs)  # expect: timeout timeout_ms=1000 phase=total; retry max_attempts=2 library=opensearchpy


def reindex_client(url):
    kwargs = {"hosts": [url], "timeout": 30, "retry_on_timeout": True}
    return opensearchpy.OpenSearch(**kwargs)  # expect: timeout timeout_ms=30000 phase=total; retry max_attempts=4 library=opensearchpy


def plain(url):
    return opensearchpy.OpenSearch(hosts=[url], retry_on_timeout=False)  # ok: the library's own retries, not asked for

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}], timeout=30)  # expect: timeout timeout_ms=30000
""",
    """\
import stripe
stripe.max_network_retries = 2  # expect: retry max_attempts=3 library=stripe
""",
    """\
import litellm


def ask(model, messages):
    kwargs = {"model": model, "messages": messages, "timeout": 120}
    litellm.completion(**kwargs)  # expect: timeout timeout_ms=120000 phase=total
    litellm.completion(model=model, messages=messages, timeout=None)  # ok: no bound
""",
    """\
import waybackpy
from langchain_openai import OpenAIEmbeddings

archive = waybackpy.WaybackMachineSaveAPI("https://example.org", "agent", max_tries=1)  # expect: retry max_attempts=1 library=waybackpy
embeddings = OpenAIEmbeddings(model="text-embedding-3-small", max_retries=3)  # expect: retry max_attempts=4
""",
    """\
import clickhouse_connect
import kafka
import pika
import websockets
from azure.storage.blob import BlobServiceClient
from confluent_kafka import Consumer, Producer
from kubernetes import client as k8s
from stripe import StripeClient

ch = clickhouse_connect.get_client(host="ch", query_retries=2)  # expect: retry max_attempts=3 library=clickhouse_connect
blobs = BlobServiceClient(url, credential=key, retry_total=3)  # expect: retry max_attempts=4 library=azure
producer = kafka.KafkaProducer(bootstrap_servers="k:9092", retries=5)  # expect: retry max_attempts=6 library=kafka
params = pika.ConnectionParameters(host="mq", connection_attempts=3)  # expect: retry max_attempts=3 backoff=fixed library=pika
stripe_client = StripeClient("sk", max_network_retries=2)  # expect: retry max_attempts=3 library=stripe
CONF = {
    "bootstrap.servers": "k:9092",
    "message.timeout.ms": 30000,  # expect: timeout timeout_ms=30000 phase=total
    "socket.timeout.ms": 60000,  # expect: timeout timeout_ms=60000 phase=read
    "session.timeout.ms": 10000,  # ok: consumer-group liveness, not a call's bound
    "retries": 5,  # expect: retry max_attempts=6 library=confluent_kafka
}
events = Producer(CONF)


def consumer(base, group):
    conf = base.copy()
    conf.update({"group.id": group, "socket.timeout.ms": 30000})  # expect: timeout timeout_ms=30000 phase=read
    unrelated = {}
    unrelated.update({"request.timeout.ms": 5})  # ok: never handed to a client
    return Consumer(conf)


async def listen(uri):
    async with websockets.connect(uri, open_timeout=10, close_timeout=5) as ws:  # expect: timeout timeout_ms=10000 phase=connect
        return await ws.recv()


def pods(ns):
    return k8s.CoreV1Api().list_namespaced_pod(ns, _request_timeout=30)  # expect: timeout timeout_ms=30000 phase=total
""",
    """\
from firecrawl import AsyncFirecrawl

crawler = AsyncFirecrawl(api_key=KEY)


async def page(url):
    return await crawler.scrape(url, formats=["markdown"], timeout=30_000)  # expect: timeout timeout_ms=30000 phase=total
""",
    """\
import ipwhois


def whois(ip):
    return ipwhois.IPWhois(ip).lookup_whois(retry_count=0, asn_methods=["dns"])  # expect: retry max_attempts=1 library=ipwhois
""",
]


def _pyramid_retry(f) -> list:
    """pyramid_retry's `config.add_settings({"retry.attempts": 3})` (with `config.include("pyramid_retry")`
    in the same file): a request raising a retryable error is run again, `retry.attempts` times in
    all (the first included)."""
    out = []
    for node in T.walk(f.root):
        if node.type == "pair" and string_value(node.child_by_field_name("key")) == "retry.attempts":
            value, pending, conf = f.count(node.child_by_field_name("value"))
            out.append(f.finding("retry", node, ID, _retry._attrs(
                value, "none", "retryable errors", "framework", "pyramid_retry"), conf, None, pending))
    return out


def _sdk_root(f, call) -> str | None:
    root = call.qualified.split(".")[0]
    if root in SDK_ROOTS:
        return root
    return None


# A client class of any other library given its retry budget: `WaybackMachineSaveAPI(url, ua, max_tries=1)`,
# `OpenAIEmbeddings(max_retries=3)`: keyword -> attempts added to the value (retries count after the first try).
RETRY_KEYWORDS = {"max_retries": 1, "num_retries": 1, "retry_count": 1, "max_tries": 0, "max_attempts": 0}
# read by their own detectors (urllib3/requests, botocore, tenacity, celery, rq...)
OWNED_ELSEWHERE = re.compile(r"(Retry|Retrying|HTTPAdapter|Config|Transport|Actor|Task|Queue|Policy|Backoff)$")


# a library object's retry-budget setters: attempts added to the value
RETRY_SETTERS = {"set_retries": 1, "set_max_retries": 1, "set_retry_count": 1, "set_max_attempts": 0}


def _library_receiver(f, call) -> bool:
    """`scholarly.set_retries(2)` with `from scholarly import scholarly`: an imported library's object
    (not this project's package, nor a relative import)."""
    head = (call.receiver or "").split(".", 1)[0]
    module = f.imports.get(head)
    if not module or module.startswith("."):
        return False
    return module.split(".", 1)[0] != (f.module or "").split(".", 1)[0]


def _library_method(f, call) -> bool:
    """`ipwhois.IPWhois(ip).lookup_whois(...)`, `client.lookup(...)` on an object of an imported package
    that is not this project's own (its top package differs from this file's)."""
    if not call.receiver:
        return False
    head = call.callee.split(".", 1)[0].split("(", 1)[0]
    own = (f.module or "").split(".", 1)[0]
    # a plain `import ipwhois` (a package imported whole), not this project's own top package
    return f.imports.get(head) == head and head != own and head not in (
        "celery", "rq", "dramatiq", "tenacity", "backoff", "urllib3", "requests", "botocore", "boto3")


# `retries=` of these libraries' classes is read by their own detectors, or is not a transport's
NOT_TRANSPORT_RETRIES = frozenset({"urllib3", "requests", "httpx", "aiohttp", "botocore", "boto3", "redis", "celery",
                                   "rq", "dramatiq", "huey", "tenacity", "backoff", "pydantic_ai", "langchain",
                                   "langchain_core", "openai", "anthropic"})


def _library_class(f, qualified: str) -> bool:
    """A class imported from another package than this project's (`pycoingecko.CoinGeckoAPI`)."""
    head = qualified.split(".", 1)[0]
    own = (f.module or "").split(".", 1)[0]
    return "." in qualified and head != own and head in {v.split(".", 1)[0] for v in f.imports.values()} and \
        not head.startswith("_")


def _other_client_retries(f, call) -> list:
    hits = [(kw, offset) for kw, offset in RETRY_KEYWORDS.items() if kw in call.kwargs]
    if "retries" in call.kwargs and not hits:
        # `retries=N` counts retries too, but the word is common: only for a library's class, or a
        # subclass handing it to its library base (`super().__init__(retries=retries)`)
        if call.callee == "super().__init__":
            cls = f.enclosing_class(call.node)
            if cls is not None and any(_library_class(f, b) and b.split(".")[0] not in NOT_TRANSPORT_RETRIES
                                       for b in f.class_bases(cls)):
                hits = [("retries", 1)]
        if hits:
            node = call.kwargs["retries"].node
            if is_none(unwrap(node)):
                return []
            value, pending, conf = f.count(node, offset=1)
            if T.text(node).strip() == "0":
                value, pending, conf = 1, [], "high"
            library = next((b.split(".")[0] for b in f.class_bases(f.enclosing_class(call.node))),
                           None) if call.callee == "super().__init__" else call.qualified.split(".")[0]
            return [f.finding("retry", call.node, ID, _retry._attrs(value, None, None, "client_config", library or "sdk"),
                              "medium" if conf == "high" else conf, None, pending)]
        return []
    if not hits or OWNED_ELSEWHERE.search(call.name) or call.callee in f.classes or _exception_made(call):
        return []
    if not call.name[:1].isupper() and not _library_method(f, call) and not (
            GCLOUD_METHODS.match(call.name) and _imports_google_cloud(f)) and not _class_handed_in(f, call):
        return []
    kw, offset = hits[0]
    node = call.kwargs[kw].node
    if is_none(unwrap(node)):
        return []
    value, pending, conf = f.count(node, offset=offset)
    if T.text(node).strip() == "0" and offset:
        value, pending, conf = 1, [], "high"
    library = call.qualified.split(".")[0] if call.qualified != call.callee or "." in call.callee else None
    return [f.finding("retry", call.node, ID, _retry._attrs(value, None, None, "client_config", library or "sdk"),
                      "medium" if conf == "high" else conf, None, pending)]


def _class_handed_in(f, call) -> bool:
    """`executor = executor_class(config=c, max_retries=self.max_retries)` with `executor_class: Type[ExecutorBase]`
    a parameter of the enclosing function: a class handed in, made here (round 19, hummingbot-api)."""
    if "." in call.callee or "(" in call.callee:
        return False
    fn = f.enclosing_function(call.node)
    annotation = f.param_annotation(fn, call.callee) if fn is not None else None
    return bool(annotation) and re.match(r"^(typing\.)?[Tt]ype\[[A-Za-z_][\w.]*\]$", annotation) is not None


def _exception_made(call) -> bool:
    """`raise RateLimitExceededError("...", max_retries=max_retries)`: an exception carrying the bound that
    was reached, no client (a class named ...Error / ...Exception, or any call a `raise` throws; round 14)."""
    parent = call.node.parent
    return call.name.endswith(("Error", "Exception")) or (parent is not None and parent.type == "raise_statement")


# google-cloud-storage's transfer methods take `num_retries=N` (retries after the first try); the
# object they are called on (`bucket.blob(name)`) is seldom traceable to the import
GCLOUD_METHODS = re.compile(r"^(upload_from_\w+|download_to_\w+|download_as_\w+|create_resumable_upload_session)$")


def _imports_googleapiclient(f) -> bool:
    return any(m.split(".", 1)[0] in ("googleapiclient", "apiclient") for m in f.imports.values())


def _imports_google_cloud(f) -> bool:
    return any(m == "google.cloud" or m.startswith("google.cloud.") for m in f.imports.values())


# Retry budgets of other libraries' clients, by the callee's qualified name (a prefix ends with "."):
# keyword -> attempts added to its value (a count of retries adds the first try).
LIBRARY_RETRIES = (
    (("clickhouse_connect.",), "query_retries", 1),              # get_client(query_retries=2): 3 attempts
    (("azure.",), "retry_total", 1),                            # BlobServiceClient(..., retry_total=3)
    (("kafka.KafkaProducer", "kafka.producer.KafkaProducer"), "retries", 1),
    (("pika.ConnectionParameters", "pika.URLParameters", "pika.connection.ConnectionParameters"),
     "connection_attempts", 0),                                 # attempts, not retries
    (("stripe.StripeClient", "stripe.Stripe"), "max_network_retries", 1),
    # ldap3's server pool cycles through its servers `active` times before giving up (True: forever)
    (("ldap3.ServerPool", "ldap3.core.pooling.ServerPool"), "active", 0),
    # aioapns counts additional connection attempts (0: connect once); round 12
    (("aioapns.APNs", "aioapns.client.APNs"), "max_connection_attempts", 1),
    # elasticsearch-py's bulk helpers re-send the chunk's 429-rejected documents max_retries times (round 18, aleph)
    (("elasticsearch.helpers.streaming_bulk", "elasticsearch.helpers.bulk", "elasticsearch.helpers.async_streaming_bulk",
      "elasticsearch.helpers.async_bulk", "elasticsearch.helpers.actions.streaming_bulk",
      "elasticsearch.helpers.actions.bulk", "opensearchpy.helpers.streaming_bulk", "opensearchpy.helpers.bulk"),
     "max_retries", 1),
    # kazoo's KazooRetry(max_tries=N): N tries of a ZooKeeper command or connection (-1: forever); round 18, patroni
    (("kazoo.retry.KazooRetry", "kazoo.client.KazooRetry"), "max_tries", 0),
)
# confluent-kafka (librdkafka) takes one dict of dotted settings, in milliseconds.
CONFLUENT_CLIENTS = ("confluent_kafka.Producer", "confluent_kafka.Consumer", "confluent_kafka.SerializingProducer",
                     "confluent_kafka.DeserializingConsumer", "confluent_kafka.admin.AdminClient",
                     "confluent_kafka.AdminClient")
CONFLUENT_TIMEOUTS = {"socket.timeout.ms": "read", "socket.connection.setup.timeout.ms": "connect",
                      "request.timeout.ms": "total", "message.timeout.ms": "total", "delivery.timeout.ms": "total",
                      "api.version.request.timeout.ms": "total", "metadata.request.timeout.ms": "total",
                      "transaction.timeout.ms": None, "session.timeout.ms": None}
CONFLUENT_RETRIES = ("retries", "message.send.max.retries")
FIRECRAWL_CALLS = frozenset({"scrape", "scrape_url", "crawl", "crawl_url", "batch_scrape", "batch_scrape_urls",
                             "map", "map_url", "search", "extract"})
WEBSOCKETS_CONNECT = ("websockets.connect", "websockets.client.connect", "websockets.asyncio.client.connect",
                      "websockets.sync.client.connect")


# google-genai: `types.HttpOptions(timeout=ms, retry_options=types.HttpRetryOptions(attempts=N))`
PYSYNCOBJ_UTILITIES = frozenset({"pysyncobj.utility.TcpUtility", "pysyncobj.TcpUtility"})
GENAI_HTTP_OPTIONS = frozenset({"google.genai.types.HttpOptions", "google.genai.types.HttpOptionsDict"})
GENAI_RETRY_OPTIONS = frozenset({"google.genai.types.HttpRetryOptions"})
WEBPUSH_CALLS = frozenset({"pywebpush.webpush"})


def _genai_http_options(f, call) -> list:
    """google-genai's HttpOptions: `timeout` in milliseconds (also through `**options` of a dict
    literal); its retry_options are read where the HttpRetryOptions object is made."""
    node = f.effective_kwargs(call).get("timeout")
    return [] if node is None or is_none(unwrap(node)) else f.duration(node, 1.0, "total", ID, call.node, None)


def _genai_retry_options(f, call) -> list:
    """google-genai's HttpRetryOptions(attempts=N): N attempts, the first included (1: no retry)."""
    node = call.kwargs.get("attempts")
    if node is None or is_none(unwrap(node.node)):
        return []
    value, pending, conf = f.count(node.node)
    return [f.finding("retry", call.node, ID, _retry._attrs(
        value, "exponential", "429,5xx", "client_config", "google-genai"), conf, None, pending)]


# libraries whose client `retries` attribute counts attempts (pyrad sends a packet `retries` times)
ATTEMPT_COUNTING = ("pyrad",)


def _batch_task_spec(f, owner) -> bool:
    """A local made by google-cloud-batch's `TaskSpec()` (`from google.cloud import batch_v1 as batch`)."""
    if owner is None or owner.type != "identifier":
        return False
    found = f.binding(T.text(owner), owner)
    ctor = f.call_of(unwrap(found[0])) if found else None
    return ctor is not None and ctor.name == "TaskSpec" and f.qualify(ctor.callee).startswith("google.cloud.batch")


def _attribute_retries(f) -> list:
    """`srv.retries = 3` / `client.max_retries = 2` on a local made by an imported library's client
    constructor (`srv = Client(server=host)` with `from pyrad.client import Client`): its retry budget."""
    from extractors.python.detectors.client_timeout import attribute_assignments, library_client_local
    out = []
    aioapns = f.has_any(b"aioapns") and any(m.startswith("aioapns") for m in f.imports.values())
    for n, left, right, attr in attribute_assignments(f):
        owner = left.child_by_field_name("object")
        if attr == "max_connection_attempts" and aioapns:
            # round 12 (sygnal): `self.apns_client.pool.max_connection_attempts = 3` set after construction on
            # aioapns' connection pool: additional attempts, N + 1 connects in all
            value, pending, conf = f.count(right, offset=1)
            out.append(f.finding("retry", n, ID, _retry._attrs(value, "fixed", None, "client_config", "aioapns"),
                                 "medium" if conf == "high" else conf, None, pending))
            continue
        if attr in ("max_retry_count", "max_run_duration") and _batch_task_spec(f, owner):
            # (round 18, clusterfuzz) Cloud Batch `task_spec = batch.TaskSpec(); task_spec.max_retry_count = 4`
            # (a failed task is run again N times: N + 1) and `task_spec.max_run_duration = ...` (the task's bound)
            if attr == "max_retry_count":
                value, pending, conf = f.count(right, offset=1)
                if T.text(right).strip() == "0" or _retry._num(f, right) == 0:
                    value, pending, conf = 1, [], "high"
                out.append(f.finding("retry", n, ID, _retry._attrs(value, "none", "task failure", "client_config",
                                                                   "google-cloud-batch"), conf, None, pending))
            elif not is_none(unwrap(right)):
                out += f.duration(right, 1000.0, "total", ID, n, None)
            continue
        if attr not in ("retries", "max_retries") or not library_client_local(f, owner):
            continue
        found = f.binding(T.text(owner), owner)
        ctor = f.call_of(unwrap(found[0]))
        library = f.imports.get(ctor.callee.split(".", 1)[0], "").split(".", 1)[0]
        offset = 0 if library in ATTEMPT_COUNTING and attr == "retries" else 1
        value, pending, conf = f.count(right, offset=offset)
        out.append(f.finding("retry", n, ID, _retry._attrs(value, None, None, "client_config", library or "sdk"),
                             "medium" if conf == "high" else conf, None, pending))
    return out


_NOT_GIVEN = re.compile(r"^(?:[\w.]*\.)?(?:NOT_GIVEN|NotGiven\(\s*\)|omit|NOT_SET)$")


def _not_given_forward(f, node) -> bool:
    """`timeout=timeout or openai.NotGiven()` / `timeout or NOT_GIVEN` (and a bare `NOT_GIVEN`) where `timeout` is a
    parameter defaulting to None, of the enclosing function or of an outer one a closure sees: the SDK's
    own default unless a caller passes one, no setting here (round 12, seer)."""
    node = unwrap(node)
    if node is None:
        return False
    if _NOT_GIVEN.match("".join(T.text(node).split())):
        return True
    if node.type != "boolean_operator" or T.text(node.child_by_field_name("operator")) != "or":
        return False
    left, right = unwrap(node.child_by_field_name("left")), unwrap(node.child_by_field_name("right"))
    if left is None or right is None or left.type != "identifier" or not _NOT_GIVEN.match("".join(T.text(right).split())):
        return False
    fn = f.enclosing_function(node)
    while fn is not None:
        params = f.function_params(fn)
        if T.text(left) in params:
            default = params[T.text(left)]
            return default is None or is_none(default)
        fn = f.enclosing_function(fn)
    return False


def _callable_default(f, call) -> str | None:
    """A call of the enclosing function's parameter whose default is a library's class
    (`def make_pool(urls, pool_cls=ldap3.ServerPool): pool_cls(None, active=rounds)`): that class."""
    if "." in call.callee or "(" in call.callee:
        return None
    fn = f.enclosing_function(call.node)
    default = f.function_params(fn).get(call.callee) if fn is not None else None
    default = unwrap(default) if default is not None else None
    if default is None or default.type not in ("identifier", "attribute"):
        return None
    return f.qualify(T.text(default))


def _library_options(f, call) -> list | None:
    """Options of clients whose names say nothing alone: None when the call is none of them."""
    q = _callable_default(f, call) or call.qualified
    if q in ARQ_REDIS_SETTINGS:
        return _arq_redis_settings(f, call)
    if (q in YTDLP_CLASSES or (call.callee in f.classes and any(
            b in YTDLP_CLASSES for b in f.class_bases(f.classes[call.callee])))) and (
            "params" in call.kwargs or call.args):
        return _ytdlp_options(f, call)
    for names, keyword, offset in LIBRARY_RETRIES:
        if keyword in call.kwargs and any(q == n or (n.endswith(".") and q.startswith(n)) for n in names):
            node = call.kwargs[keyword].node
            if is_none(unwrap(node)) or unwrap(node).type in ("true", "false"):
                return []
            value, pending, conf = f.count(node, offset=offset)
            if T.text(node).strip() == "0" and offset:
                value, pending, conf = 1, [], "high"
            elif T.text(node).strip() == "-1" and keyword == "max_tries":
                value, pending, conf = None, [], "high"  # kazoo: -1 retries forever
            return [f.finding("retry", call.node, ID, _retry._attrs(
                value, "exponential" if offset else "fixed", None, "client_config", q.split(".")[0]),
                conf, None, pending)]
    if call.name == "execute" and "num_retries" in call.kwargs and call.receiver and _imports_googleapiclient(f):
        # googleapiclient: `service.groups().list(...).execute(num_retries=N)` retries 5xx / 429 / connection
        # errors N times with exponential backoff (N + 1 tries), at the `.execute(` line of a chained request
        node = call.kwargs["num_retries"].node
        if is_none(unwrap(node)):
            return []
        value, pending, conf = f.count(node, offset=1)
        if T.text(node).strip() == "0":
            value, pending, conf = 1, [], "high"
        func = call.node.child_by_field_name("function")
        at = func.child_by_field_name("attribute") if func is not None and func.type == "attribute" else None
        return [f.finding("retry", at if at is not None else call.node, ID, _retry._attrs(
            value, "exponential", "5xx,429,connection errors", "client_config", "googleapiclient"), conf, None,
            pending)]
    if call.name == "flush" and call.receiver and re.search(r"producer$", call.receiver, re.I) and \
            f.has_any(b"kafka") and ("timeout" in call.kwargs or len(call.args) == 1):
        # a Kafka producer's `flush(timeout=10)`: how long sending waits for the broker's acks of what is
        # queued (seconds, confluent-kafka / kafka-python; round 18, karapace)
        node = call.kwargs["timeout"].node if "timeout" in call.kwargs else call.args[0].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "total", ID, call.node, None)
    if call.name in CONFLUENT_METADATA_CALLS and call.receiver and "timeout" in call.kwargs and any(
            m.split(".", 1)[0] == "confluent_kafka" for m in f.imports.values()):
        # confluent-kafka's broker metadata requests: `admin.list_topics(timeout=1)` (seconds; round 18, karapace)
        node = call.kwargs["timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "total", ID, call.node, None)
    if call.name == "exec_command" and call.receiver and "timeout" in call.kwargs and f.has_any(b"paramiko"):
        # paramiko's `ssh.exec_command(cmd, timeout=30)`: the channel's timeout on the remote command's
        # reads (seconds; round 18, enterprise-gateway)
        node = call.kwargs["timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "read", ID, call.node, None)
    if call.name in FIRECRAWL_CALLS and call.receiver and "timeout" in call.kwargs and \
            any(v.split(".", 1)[0] == "firecrawl" for v in f.imports.values()):
        # Firecrawl's scrape/crawl `timeout` is in milliseconds
        node = call.kwargs["timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1.0, "total", ID, call.node, None)
    if (q in TELETHON_CLIENTS or (call.name.endswith("TelegramClient") and f.has_any(b"telethon"))) and any(
            k in call.kwargs for k in ("timeout", "connection_retries", "request_retries")):
        return _telethon(f, call)
    if q in CONFLUENT_CLIENTS and call.args:
        return _confluent(f, call)
    if q in PYSYNCOBJ_UTILITIES and "timeout" in call.kwargs:
        # pysyncobj's `TcpUtility(password=pw, timeout=3)`: how long each admin command to a Raft node waits for
        # its answer (seconds; round 20, postgresql-operator's Raft status and member removal)
        node = call.kwargs["timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "total", ID, call.node, None)
    if q in WEBSOCKETS_CONNECT and "open_timeout" in call.kwargs:
        node = call.kwargs["open_timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "connect", ID, call.node, None)
    if q in GENAI_HTTP_OPTIONS:
        return _genai_http_options(f, call)
    if q in GENAI_RETRY_OPTIONS:
        return _genai_retry_options(f, call)
    if (q in WEBPUSH_CALLS or (call.name == "send" and call.receiver and f.has_any(b"pywebpush"))) \
            and "timeout" in call.kwargs:
        # pywebpush: `webpush(subscription, data, timeout=10)`, `WebPusher(subscription).send(data, timeout=10)`
        node = call.kwargs["timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "total", ID, call.node, None)
    if "_request_timeout" in call.kwargs and call.receiver:
        # kubernetes (and every OpenAPI-generated client): seconds, or a (connect, read) tuple
        node = call.kwargs["_request_timeout"].node
        return [] if is_none(unwrap(node)) else f.duration(node, 1000.0, "total", ID, call.node, None)
    if call.name in ("start_polling", "run_polling") and "bootstrap_retries" in call.kwargs and \
            f.has_any(b"telegram"):
        # python-telegram-bot: retries of the start-up requests; -1 retries forever, 0 none
        node = call.kwargs["bootstrap_retries"].node
        number = _retry._num(f, node)
        value, pending, conf = f.count(node, offset=1)
        if number is not None and number < 0:
            value, pending, conf = None, [], "high"
        return [f.finding("retry", call.node, ID, _retry._attrs(
            value, "exponential", "network errors", "client_config", "telegram"), conf, None, pending)]
    return None


CONFLUENT_METADATA_CALLS = frozenset({"list_topics", "list_groups", "describe_cluster", "list_consumer_groups"})


# arq's Redis connection settings (round 18, keep): `conn_timeout` (seconds) bounds connecting, `conn_retries`
# re-tries a failed connection that many times (N + 1 attempts, `conn_retry_delay` apart)
ARQ_REDIS_SETTINGS = frozenset({"arq.connections.RedisSettings", "arq.RedisSettings"})


def _arq_redis_settings(f, call) -> list:
    out = []
    node = call.kwargs["conn_timeout"].node if "conn_timeout" in call.kwargs else None
    if node is not None and not is_none(unwrap(node)):
        out += f.duration(node, 1000.0, "connect", ID, call.node, None)
    node = call.kwargs["conn_retries"].node if "conn_retries" in call.kwargs else None
    if node is not None and not is_none(unwrap(node)):
        value, pending, conf = f.count(node, offset=1)
        if T.text(node).strip() == "0":
            value, pending, conf = 1, [], "high"
        out.append(f.finding("retry", call.node, ID, _retry._attrs(
            value, "fixed", "connection errors", "client_config", "arq"), conf, None, pending))
    return out


# yt-dlp / youtube-dl take one dict of options (round 18, brozzler): "socket_timeout" (seconds, each socket
# operation) and "retries" (a failed download re-tried N times: N + 1)
YTDLP_CLASSES = frozenset({"yt_dlp.YoutubeDL", "youtube_dl.YoutubeDL", "yt_dlp.YoutubeDL.YoutubeDL"})


def _ytdlp_options(f, call) -> list:
    node = call.kwargs["params"].node if "params" in call.kwargs else call.args[0].node
    table = unwrap(node)
    if table is not None and table.type == "identifier":
        found = f.binding(T.text(table), table)
        table = unwrap(found[0]) if found else None
    if table is None or table.type != "dictionary":
        return []
    out = []
    for pair in table.named_children:
        key = string_value(pair.child_by_field_name("key")) if pair.type == "pair" else None
        value = pair.child_by_field_name("value") if pair.type == "pair" else None
        if value is None or is_none(unwrap(value)):
            continue
        if key == "socket_timeout":
            out += f.duration(value, 1000.0, "read", ID, call.node, None)
        elif key in ("retries", "extractor_retries") and unwrap(value).type != "string":
            count, pending, conf = f.count(value, offset=1)
            out.append(f.finding("retry", call.node, ID, _retry._attrs(
                count, "none", "download errors", "client_config", "yt-dlp", setting=key), conf, None, pending))
    return out


def _submitted_remote_work(f, fn) -> list:
    """The `pool.submit(work, ...)` calls in ``fn`` whose work is another service's: a function of this file
    calling a client (`kessel_client.ListAllowedWorkspaces(...)`, an outbound call), or a callable the
    enclosing function was handed (its callers' work, e.g. downloads). Returns the submit calls' nodes."""
    from extractors.python.detectors import _retry
    out = []
    defs = {T.text(d.child_by_field_name("name")): d for d in f.functions}
    outbound = _retry.outbound_map(f)
    for c in f.calls:
        if c.name != "submit" or not c.receiver or not c.args or f.enclosing_function(c.node) != fn:
            continue
        work = unwrap(c.args[0].node)
        name = T.text(work) if work is not None and work.type == "identifier" else None
        if name is None:
            continue
        if name in f.function_params(fn):
            out.append(c.node)
            continue
        body = defs.get(name)
        if body is not None and any(n.type == "call" and (n.id in outbound or (
                f.call_of(n) is not None and f.call_of(n).receiver and
                _retry.CLIENTISH.search(f.call_of(n).receiver.rsplit(".", 1)[-1]))) for n in T.walk(body)):
            out.append(c.node)
    return out


def _pool_waits(f) -> list:
    """(round 18, clusterfuzz, insights-host-inventory) A bounded wait for work handed to a thread pool that calls
    another service: `futures.wait(calls, timeout=120, ...)` over `pool.submit(func, arg)` calls, and
    `for future in futures: future.result(timeout=10)` over the submits themselves (seconds, total). Not a
    `.result()` of a future taken from `futures.wait`'s done set or `as_completed` (already finished)."""
    out = []
    for call in f.calls:
        if "timeout" not in call.kwargs or is_none(unwrap(call.kwargs["timeout"].node)):
            continue
        is_wait = f.qualify(call.callee) in ("concurrent.futures.wait", "futures.wait")
        if not is_wait and not (call.name == "result" and call.receiver and call.receiver.isidentifier()):
            continue
        fn = f.enclosing_function(call.node)
        if fn is None or not _submitted_remote_work(f, fn):
            continue
        if not is_wait:
            # the receiver must be a loop variable over the submitted futures themselves
            loop = call.node.parent
            while loop is not None and loop.type != "for_statement" and loop.id != fn.id:
                loop = loop.parent
            if loop is None or loop.type != "for_statement" or T.text(loop.child_by_field_name("left")) != call.receiver:
                continue
            over = unwrap(loop.child_by_field_name("right"))
            if over is None or over.type != "identifier":
                continue
            bound = f.binding(T.text(over), over)
            made = unwrap(bound[0]) if bound else None
            if made is None or ".submit(" not in T.text(made):
                continue
        out += f.duration(call.kwargs["timeout"].node, 1000.0, "total", ID, call.node, None)
    return out


def _confluent(f, call) -> list:
    """`Producer({"bootstrap.servers": b, "message.timeout.ms": 30000, "retries": 5})`, also through a
    local or module-level dict."""
    node = unwrap(call.args[0].node)
    tables = []
    if node is not None and node.type == "identifier":
        # `conf = base.copy(); conf.update({"retries": 5, ...}); Producer(conf)`: every literal
        # merged into the name in the same function counts
        name, scope = T.text(node), f.enclosing_function(call.node)
        tables += [unwrap(c.args[0].node) for c in f.calls if c.name == "update" and c.receiver == name
                   and len(c.args) == 1 and c.node.start_byte < call.node.start_byte
                   and f.enclosing_function(c.node) == scope]
        found = f.binding(name, node)
        node = unwrap(found[0]) if found else None
    tables.append(node)
    out = []
    for table in tables:
        if table is not None and table.type == "dictionary":
            out += _confluent_pairs(f, table)
    return out


TELETHON_CLIENTS = ("telethon.TelegramClient", "telethon.sync.TelegramClient", "telethon.client.TelegramClient",
                    "telethon.client.telegramclient.TelegramClient")


def _telethon(f, call) -> list:
    """Telethon's `TelegramClient(session, api_id, api_hash, timeout=10, connection_retries=5, request_retries=5)`
    (also a project subclass named `...TelegramClient`; round 18, mautrix-telegram): `timeout` bounds connecting
    (seconds, phase connect); `connection_retries` (reconnecting) and `request_retries` (each request) are retried
    that many times after the first (Telethon's retry_range forces one more: N + 1; negative or None: forever)."""
    out = []
    if "timeout" in call.kwargs and not is_none(unwrap(call.kwargs["timeout"].node)):
        out += f.duration(call.kwargs["timeout"].node, 1000.0, "connect", ID, call.node, None)
    for keyword in ("connection_retries", "request_retries"):
        if keyword not in call.kwargs:
            continue
        node = call.kwargs[keyword].node
        if is_none(unwrap(node)) or T.text(node).strip().startswith("-"):
            value, pending, conf = None, [], "high"
        else:
            value, pending, conf = f.count(node, offset=1)
        out.append(f.finding("retry", call.node, ID, _retry._attrs(
            value, "fixed", "connection errors" if keyword == "connection_retries" else "server errors,flood waits",
            "client_config", "telethon", setting=keyword), conf, None, pending))
    return out


# librdkafka's own dotted settings: a dict holding two of them is a confluent-kafka client's configuration
LIBRDKAFKA_KEYS = frozenset({"bootstrap.servers", "enable.idempotence", "batch.size", "linger.ms", "retry.backoff.ms",
                             "max.in.flight.requests.per.connection", "enable.auto.commit", "auto.offset.reset",
                             "queued.max.messages.kbytes", "message.max.bytes", "compression.type", "security.protocol",
                             "group.id", "client.id", "partition.assignment.strategy", "max.partition.fetch.bytes",
                             "heartbeat.interval.ms", "queue.buffering.max.ms", "queue.buffering.max.messages"})


def _librdkafka_tables(f) -> list:
    """(round 18, insights-host-inventory) A settings class's librdkafka dict (`self.kafka_producer = {"acks": ..,
    "enable.idempotence": "false", "retries": int(os.environ.get("KAFKA_PRODUCER_RETRIES", "0")), ...}`) handed to
    `Producer(config.kafka_producer)` in another file: its timeouts and retries, at their keys."""
    out = []
    for node in T.walk(f.root):
        if node.type != "dictionary":
            continue
        keys = {string_value(p.child_by_field_name("key")) for p in node.named_children if p.type == "pair"}
        if len(keys & LIBRDKAFKA_KEYS) >= 2:
            out += _confluent_pairs(f, node, lambda pair: _forwarded_param(f, pair.child_by_field_name("value")))
    return out


def _forwarded_param(f, value) -> bool:
    """`"retries": params.get("retries")` / `kwargs["retries"]` / `retries`: a value the enclosing function was
    handed (a mixin translating its keywords), not a setting of its own."""
    node = unwrap(value)
    while node is not None and node.type in ("call", "subscript", "attribute"):
        if node.type == "call":
            func = node.child_by_field_name("function")
            node = func.child_by_field_name("object") if func is not None and func.type == "attribute" else None
        elif node.type == "subscript":
            node = node.child_by_field_name("value")
        else:
            node = node.child_by_field_name("object")
    fn = f.enclosing_function(value)
    return node is not None and node.type == "identifier" and fn is not None and \
        T.text(node) in f.function_params(fn) and T.text(node) not in ("self", "cls")


def _confluent_pairs(f, node, skip=None) -> list:
    out = []
    for pair in node.named_children:
        if pair.type != "pair" or (skip is not None and skip(pair)):
            continue
        key = string_value(pair.child_by_field_name("key"))
        value = pair.child_by_field_name("value")
        if key is None or value is None or is_none(unwrap(value)):
            continue
        if key in CONFLUENT_TIMEOUTS and CONFLUENT_TIMEOUTS[key] is not None:
            out += f.duration(value, 1.0, CONFLUENT_TIMEOUTS[key], ID, pair, None)
        elif key in CONFLUENT_RETRIES:
            count, pending, conf = f.count(value, offset=1)
            out.append(f.finding("retry", pair, ID, _retry._attrs(
                count, "exponential", None, "client_config", "confluent_kafka"), conf, None, pending))
    return out


def _cloudaux_retries(f) -> list:
    """(round 19, consoleme) Netflix cloudaux's `boto3_cached_conn("iam", ..., retry_max_attempts=2)` and the
    calls of its @sts_conn-wrapped functions (`get_role_managed_policy_documents(..., retry_max_attempts=2)`, also
    through `sync_to_async(fn)(...)`): cloudaux builds botocore `Config(retries={"max_attempts": N})`, in botocore's
    default legacy mode N retries after the first try (N + 1), at the call."""
    out = []
    for call in f.calls:
        given = call.kwargs.get("retry_max_attempts")
        if given is None or is_none(unwrap(given.node)):
            continue
        value, pending, conf = f.count(given.node, offset=1)
        out.append(f.finding("retry", call.node, ID, _retry._attrs(
            value, "exponential", "connection errors,throttling,5xx", "client_config", "cloudaux"), conf, None, pending))
    return out


# the API methods of an Elasticsearch / OpenSearch client whose `timeout=` bounds the operation (a time value the
# cluster honours: `es.search(body=q, timeout="50s")`, `client.bulk(body=b, timeout=180)`,
# `client.cluster.health(wait_for_status="yellow", timeout=10)`)
SEARCH_METHODS = frozenset({"search", "msearch", "count", "bulk", "index", "create", "update", "delete", "get", "mget",
                            "delete_by_query", "update_by_query", "reindex", "health", "refresh", "put_mapping",
                            "put_settings", "put_alias", "exists", "search_template", "open_point_in_time"})
SEARCH_CTORS = re.compile(r"^(Async)?(Elasticsearch|OpenSearch)$")
# a receiver named for such a client (`self.es`, `es_client`, `opensearch_client`)
SEARCH_NAMED = re.compile(r"^(es|es_\w+|\w+_es|elastic\w*|opensearch\w*|os_client)$", re.I)


def _search_client_timeouts(f, handled) -> list:
    """(round 19, timesketch and elastalert2) `timeout=` of an Elasticsearch / OpenSearch client's API method: on a
    receiver bound in this file to the client's constructor (`self.client = OpenSearch(...)`, then
    `self.client.bulk(body=events, timeout=self._request_timeout)`, `self.client.cluster.health(timeout=10)`), or
    named for one (`self.es.search(..., timeout="50s")`) in a file that imports the library or names it. Seconds
    or a time value ("50s", "1m"). `request_timeout=` is the generic client keyword's (client_timeout)."""
    clients = set()
    for node in f.query("assignments").get("assign", []):
        c = f.call_of(unwrap(node.child_by_field_name("right")))
        left = node.child_by_field_name("left")
        if c is not None and left is not None and SEARCH_CTORS.match(c.name) and \
                c.qualified.split(".")[0] in ("elasticsearch", "opensearchpy"):
            clients.add(T.text(left))
    library = any(m.split(".")[0] in ("elasticsearch", "opensearchpy", "elasticsearch_dsl") for m in f.imports.values())
    out = []
    for call in f.calls:
        if call.node.id in handled or call.name not in SEARCH_METHODS or "timeout" not in call.kwargs or \
                "request_timeout" in call.kwargs or not call.receiver:
            continue
        receiver = call.receiver
        bound = any(receiver == name or receiver.startswith(name + ".") for name in clients)
        named = any(SEARCH_NAMED.match(part) for part in receiver.split(".")[:2]) and (library or b"elastic" in f.low)
        if not (bound or named):
            continue
        node = call.kwargs["timeout"].node
        if is_none(unwrap(node)):
            continue
        expr = Call("duration_ms", (f.expr(node),), (("bare", Num(1000.0)),))
        settled, source = f.settle(expr)
        out += f._duration_one(node, expr, settled, source, 1.0, "total", ID, call.node, None, (), False, "timeout",
                               {"library": "opensearchpy" if b"opensearch" in f.low else "elasticsearch"})
    return out


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if f.has_any(b"retry.attempts") and b"pyramid_retry" in f.low:  # (the second: a condition, not a gate)
        out += _pyramid_retry(f)
    if not f.has_any(b"timeout", b"retries", b"max_tries", b"max_attempts", b"retry_total",
                     b"connection_attempts", b"timeout.ms", b"retryoptions", b"max_retry_count", b"max_run_duration"):
        return out  # every finding reads a timeout or a max_retries
    handled = set(_retry.outbound_map(f))
    for call in f.calls:
        if call.node.id in handled:
            continue
        root = _sdk_root(f, call)
        is_ctor = root is not None and SDK_CLIENTS.match(call.name) is not None
        is_options = call.name == "with_options" and call.receiver
        is_api = API_CALL.search("." + call.callee) is not None and call.receiver
        is_litellm = call.qualified in LITELLM_CALLS
        if not (is_ctor or is_options or is_api or is_litellm):
            if call.name in RETRY_SETTERS and len(call.args) == 1 and not call.kwargs and \
                    _library_receiver(f, call) and not is_none(unwrap(call.args[0].node)):
                # `scholarly.set_retries(2)`: a library object's retry budget (retries after the first try)
                value, pending, conf = f.count(call.args[0].node, offset=RETRY_SETTERS[call.name])
                out.append(f.finding("retry", call.node, ID, _retry._attrs(
                    value, None, None, "client_config", f.imports[call.receiver.split(".", 1)[0]].split(".", 1)[0]),
                    "medium" if conf == "high" else conf, None, pending))
                continue
            known = _library_options(f, call)
            out += known if known is not None else _other_client_retries(f, call)
            continue
        library = root or ("litellm" if is_litellm else "sdk")
        if is_litellm:
            # litellm.completion(**kwargs) with kwargs = {"model": m, "timeout": t}: read through the dict
            node = f.effective_kwargs(call).get("timeout")
            if node is not None and not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, "total", ID, call.node, None)
            retries = f.effective_kwargs(call).get("num_retries")
            if retries is not None and not is_none(unwrap(retries)):
                # (round 21) litellm's own retries of the provider call: N retries, N + 1 tries
                value, pending, conf = f.count(retries, offset=1)
                out.append(f.finding("retry", call.node, ID, _retry._attrs(
                    value, "exponential", "connection errors,429,5xx", "client_config", "litellm"), conf, None, pending))
            continue
        # `create(**request_params)` with `request_params = {"model": m, "timeout": t}`: the dict's keywords
        node = f.effective_kwargs(call).get("timeout")
        if node is not None and not is_none(unwrap(node)):
            inner = f.call_of(node)
            if inner is None or not inner.qualified.startswith("httpx."):
                found = f.duration(node, 1000.0, "total", ID, call.node, None)
                if _not_given_forward(f, node):
                    # `timeout or NOT_GIVEN` of a parameter defaulting to None: published for the callers that
                    # pass a value (wrappers), never reported here (the SDK's own default holds otherwise)
                    never = Pending(KEEP_IF, Unknown("the SDK's default unless a caller passes a timeout"), None)
                    found = [replace(fd, pending=(*fd.pending, never)) for fd in found]
                out += found
        given = f.effective_kwargs(call)  # also `OpenSearch(**kwargs)` with `kwargs = {"max_retries": 1, ...}`
        retries = given.get("max_retries") or given.get("max_network_retries")  # StripeClient's
        if retries is not None and (is_ctor or is_options):
            value, pending, conf = f.count(retries, offset=1)
            if T.text(retries).strip() == "0":
                value, pending, conf = 1, [], "high"
            out.append(f.finding("retry", call.node, ID, _retry._attrs(
                value, "exponential", "connection errors,429,5xx", "client_config", library), conf, None, pending))
        elif is_ctor and root in ("elasticsearch", "opensearchpy") and given.get("retry_on_timeout") is not None \
                and T.text(unwrap(given["retry_on_timeout"])) == "True":
            # `retry_on_timeout=True` asks for the transport's retries on a timeout too: its default
            # max_retries (3) after the first try
            out.append(f.finding("retry", call.node, ID, _retry._attrs(
                4, "none", "connection errors,timeouts", "client_config", library), "medium", None, []))
    if any(m.split(".")[0] == "litellm" for m in f.imports.values()):
        if f.has_any(b"num_retries"):
            out += _litellm_built_kwargs(f)
        if f.has_any(b"**kwargs"):
            out += _litellm_forwarded_dicts(f)
    if f.has_any(b"retry_max_attempts") and any(m.split(".")[0] == "cloudaux" for m in f.imports.values()):
        out += _cloudaux_retries(f)
    if f.has_any(b"timeout=") and f.has_any(b"search", b"elastic", b"opensearch", b"bulk", b"health"):
        out += _search_client_timeouts(f, handled)
    if f.has_any(b".submit(") and f.has_any(b".result(", b".wait("):
        out += _pool_waits(f)
    if f.has_any(b"enable.idempotence", b"bootstrap.servers", b"linger.ms", b"enable.auto.commit") and \
            f.has_any(b"kafka"):
        out += _librdkafka_tables(f)
    if f.has_any(b".retries =", b".max_retries =", b".max_connection_attempts =", b".max_retry_count =",
                 b".max_run_duration ="):
        out += _attribute_retries(f)
    if not f.has_any(b"max_network_retries", b"max_retries", b"timeout"):
        return out
    for node in f.query("assignments").get("assign", []):
        name = dotted(node.child_by_field_name("left"))
        kind = MODULE_SETTINGS.get(f.qualify(name or ""))
        right = node.child_by_field_name("right")
        if kind is None or right is None:
            continue
        library = f.qualify(name).split(".")[0]
        if kind == "retry":
            value, pending, conf = f.count(right, offset=1)
            out.append(f.finding("retry", node, ID, _retry._attrs(
                value, "exponential", "connection errors,429,5xx", "client_config", library), conf, None, pending))
        else:
            out += f.duration(right, 1000.0, "total", ID, node, None)
    return out


def _litellm_built_kwargs(f) -> list:
    """(round 21, ragflow) litellm's `num_retries` put into a completion kwargs dict by a builder that hands the dict
    back to be splatted elsewhere (`completion_args["num_retries"] = 0`, `completion_args.setdefault("num_retries",
    self.max_retries)`, a `"num_retries": n` pair): N retries, N + 1 tries, at that line. A dict splatted into a
    litellm call in the same function is read at that call instead."""
    out = []
    for fn in f.functions:
        own = [n for n in T.walk(fn.child_by_field_name("body")) if f.enclosing_function(n) is not None
               and f.enclosing_function(n).id == fn.id]
        if any(n.type == "call" and (c := f.call_of(n)) is not None and c.qualified in LITELLM_CALLS for n in own):
            continue
        for n in own:
            value = None
            if n.type == "assignment":
                left = n.child_by_field_name("left")
                if left is not None and left.type == "subscript" and \
                        string_value(left.child_by_field_name("subscript")) == "num_retries":
                    value = n.child_by_field_name("right")
            elif n.type == "call":
                c = f.call_of(n)
                if c is not None and c.name == "setdefault" and len(c.args) == 2 and \
                        string_value(unwrap(c.args[0].node)) == "num_retries":
                    value = c.args[1].node
            elif n.type == "pair" and string_value(n.child_by_field_name("key")) == "num_retries":
                value = n.child_by_field_name("value")
            if value is None or is_none(unwrap(value)):
                continue
            count, pending, conf = f.count(value, offset=1)
            out.append(f.finding("retry", n, ID, _retry._attrs(
                count, "exponential", "connection errors,429,5xx", "client_config", "litellm"), conf, None, pending))
    return out


def _litellm_forwarded_dicts(f) -> list:
    """(round 21, the pr-agent request) A kwargs dict handed to a method of this file that splats its own **kwargs
    into a litellm call (`kwargs = {"model": m, "timeout": settings.ai_timeout}` ... `self._get_completion(**kwargs)`
    with `async def _get_completion(self, **kwargs): return await acompletion(**kwargs)`): the dict's "timeout"
    (seconds) and "num_retries" (N + 1 tries) pairs, at their lines, once per dict that builds them."""
    out = []
    forwarders = set()
    for fn in f.functions:
        params = fn.child_by_field_name("parameters")
        splat = next((T.text(p.named_children[0]) for p in (params.named_children if params is not None else ())
                      if p.type == "dictionary_splat_pattern" and p.named_children), None)
        if splat is None:
            continue
        for n in T.walk(fn.child_by_field_name("body")):
            c = f.call_of(n) if n.type == "call" else None
            if c is not None and c.qualified in LITELLM_CALLS and any(
                    a.type == "dictionary_splat" and T.text(a).replace(" ", "") == f"**{splat}"
                    for a in n.child_by_field_name("arguments").named_children):
                forwarders.add(T.text(fn.child_by_field_name("name")))
    if not forwarders:
        return out
    for fn in f.functions:
        splatted = set()
        for n in T.walk(fn.child_by_field_name("body")):
            c = f.call_of(n) if n.type == "call" else None
            if c is not None and c.name in forwarders:
                splatted |= {T.text(a.named_children[0]) for a in n.child_by_field_name("arguments").named_children
                             if a.type == "dictionary_splat" and a.named_children}
        if not splatted:
            continue
        for target, value, stmt in f.scope_assignments(fn):
            value = unwrap(value)
            if target not in splatted or value is None or value.type != "dictionary":
                continue
            for pair in value.named_children:
                if pair.type != "pair":
                    continue
                key, v = string_value(pair.child_by_field_name("key")), pair.child_by_field_name("value")
                if v is None or is_none(unwrap(v)):
                    continue
                if key == "timeout":
                    out += f.duration(v, 1000.0, "total", ID, pair, None)
                elif key == "num_retries":
                    count, pending, conf = f.count(v, offset=1)
                    out.append(f.finding("retry", pair, ID, _retry._attrs(
                        count, "exponential", "connection errors,429,5xx", "client_config", "litellm"), conf, None,
                        pending))
    return out
