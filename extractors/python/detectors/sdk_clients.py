"""Vendor SDK clients: `timeout=` / `max_retries=` on OpenAI, Anthropic, Elasticsearch and friends.

What it does: reports the `timeout=` (phase total; an `httpx.Timeout` is read by python.httpx)
and the `max_retries=` of SDK client constructors (`OpenAI(timeout=20, max_retries=3)`,
`Anthropic(...)`, `Elasticsearch(request_timeout=..., max_retries=3)`, `Minio`, ...) and of
`client.with_options(timeout=..., max_retries=...)`, plus the per-request `timeout=` of
generated API calls (`client.chat.completions.create(..., timeout=30)`,
`client.messages.create(...)`, `client.embeddings.create(...)`, litellm's `litellm.completion(...,
timeout=60)`, also through a `**kwargs` dict literal). `max_retries=N` counts retries,
so `max_attempts` is N + 1 (these SDKs back off exponentially). Module-level settings such as
`stripe.max_network_retries = 2` are reported too, and the retry budget given to any other client
class (`WaybackMachineSaveAPI(url, agent, max_tries=1)`: `max_tries` / `max_attempts` count
attempts, `max_retries` / `num_retries` / `retry_count` retries; medium confidence) or to a method of
an imported package's object (`ipwhois.IPWhois(ip).lookup_whois(retry_count=0)`).
Why it matters: SDK defaults (OpenAI: 10 minutes, 2 retries) silently set a service's budget.
Example: `OpenAI(timeout=20.0, max_retries=3)`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.analysis import dotted, is_none, unwrap
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
from openai import OpenAI

client = OpenAI(timeout=20.0, max_retries=3)  # expect: timeout timeout_ms=20000 phase=total; retry max_attempts=4 backoff=exponential mechanism=client_config library=openai

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
import ipwhois


def whois(ip):
    return ipwhois.IPWhois(ip).lookup_whois(retry_count=0, asn_methods=["dns"])  # expect: retry max_attempts=1 library=ipwhois
""",
]


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


def _other_client_retries(f, call) -> list:
    hits = [(kw, offset) for kw, offset in RETRY_KEYWORDS.items() if kw in call.kwargs]
    if not hits or OWNED_ELSEWHERE.search(call.name) or call.callee in f.classes:
        return []
    if not call.name[:1].isupper() and not _library_method(f, call):
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


@detector(ID, "python", ("timeout", "retry"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"timeout", b"retries", b"max_tries", b"max_attempts"):
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
            out += _other_client_retries(f, call)
            continue
        library = root or ("litellm" if is_litellm else "sdk")
        if is_litellm:
            # litellm.completion(**kwargs) with kwargs = {"model": m, "timeout": t}: read through the dict
            node = f.effective_kwargs(call).get("timeout")
            if node is not None and not is_none(unwrap(node)):
                out += f.duration(node, 1000.0, "total", ID, call.node, None)
            continue
        timeout = call.kwargs.get("timeout")
        if timeout is not None and not is_none(unwrap(timeout.node)):
            inner = f.call_of(timeout.node)
            if inner is None or not inner.qualified.startswith("httpx."):
                out += f.duration(timeout.node, 1000.0, "total", ID, call.node, None)
        retries = call.kwargs.get("max_retries")
        if retries is not None and (is_ctor or is_options):
            value, pending, conf = f.count(retries.node, offset=1)
            if T.text(retries.node).strip() == "0":
                value, pending, conf = 1, [], "high"
            out.append(f.finding("retry", call.node, ID, _retry._attrs(
                value, "exponential", "connection errors,429,5xx", "client_config", library), conf, None, pending))
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
