"""Google Cloud client libraries: `google.api_core.retry.Retry(...)` and per-call `timeout=` with `retry=`.

What it does: reports `Retry(initial=..., maximum=..., multiplier=..., timeout=/deadline=...)`
from `google.api_core.retry` (exponential backoff bounded by time, so `max_attempts` is null
and the budget is `max_delay_ms`, also reported as a timeout of phase `deadline`: every attempt
together must end within it), and the `timeout=` of a call that also passes `retry=`
(the google-api-core calling convention, e.g. `publisher.publish(topic, data, retry=r,
timeout=30)`), phase `per_try`; Pub/Sub's publisher-wide `PublisherOptions(retry=None, timeout=5)`
(every publish RPC's timeout, phase `per_try`; `retry=None`: the library's retry off, one attempt),
and a call's own `retry=None` beside its `timeout=` in a file using Google's libraries (one attempt).
Why it matters: Google clients retry by default for up to minutes unless told otherwise.
Example: `google_retry.Retry(initial=0.1, maximum=5, multiplier=2, timeout=30)`.
"""

from __future__ import annotations

from extractors.base import detector
from extractors.python.analysis import is_none, unwrap
from extractors.python.detectors import _retry, module_doc

ID = "python.google_api_core"

VALID = [
    """\
def f(client, topic, data):
    return client.publish(topic, data)
""",
    """\
def fetch(session, url):
    return session.get(url, timeout=None, retry=None)  # ok: no Google client here, and no bound
""",
]

INVALID = [
    """\
from google.api_core import retry as google_retry
policy = google_retry.Retry(initial=0.1, maximum=5.0, multiplier=2.0, timeout=30.0)  # expect: retry max_attempts=None backoff=exponential max_delay_ms=30000 library=google-api-core; timeout timeout_ms=30000 phase=deadline
def send(client, topic, data):
    return client.publish(topic, data, retry=policy, timeout=10)  # expect: timeout timeout_ms=10000 phase=per_try
""",
    """\
def insert(request, table, rows):
    bq = request.find_service(name="gcloud.bigquery")
    bq.insert_rows_json(table=table, json_rows=rows, timeout=5.0, retry=None)  # expect: timeout timeout_ms=5000 phase=per_try; retry max_attempts=1 library=google-api-core
""",
    """\
from google.cloud.pubsub_v1 import PublisherClient
from google.cloud.pubsub_v1.types import PublisherOptions
class Queue:
    def __init__(self, publish_timeout=5):
        self.publisher = PublisherClient(
            publisher_options=PublisherOptions(retry=None, timeout=publish_timeout),  # expect: timeout timeout_ms=5000 phase=per_try; retry max_attempts=1 library=google-api-core
        )
""",
]

RETRIES = ("google.api_core.retry.Retry", "google.api_core.retry.AsyncRetry", "google.api_core.retry_async.AsyncRetry",
           "google.api_core.retry.retry_unary.Retry")


@detector(ID, "python", ("retry", "timeout"), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"retry"):
        return out  # a Retry object, or a call given retry= and timeout=
    for call in f.calls:
        if call.qualified in RETRIES:
            k = call.kwargs
            budget = k.get("timeout") or k.get("deadline")
            extra = {}
            if budget is not None and not is_none(unwrap(budget.node)):
                extra["max_delay_ms"] = _retry._ms(f, budget.node)
            predicate = k.get("predicate")
            target, pending = _retry.target_within(f, f.enclosing_function(call.node) or call.node)
            out.append(f.finding("retry", call.node, ID, _retry._attrs(
                None, "exponential", predicate.text[:120] if predicate else None, "client_config",
                "google-api-core", **extra), "high", None, []))
            if budget is not None and not is_none(unwrap(budget.node)):
                # the budget of every attempt together: a deadline on the retried call
                out += f.duration(budget.node, 1000.0, "deadline", ID, call.node, None)
        elif call.name == "PublisherOptions" and call.qualified.startswith("google.") and (
                "timeout" in call.kwargs or "retry" in call.kwargs):
            # Pub/Sub's publisher-wide `PublisherOptions(retry=None, timeout=5)`: every publish RPC's
            # timeout, and `retry=None` turns the library's default retry off (one attempt)
            arg = call.kwargs.get("timeout")
            if arg is not None and not is_none(unwrap(arg.node)):
                out += f.duration(arg.node, 1000.0, "per_try", ID, call.node, None)
            retry = call.kwargs.get("retry")
            if retry is not None and is_none(unwrap(retry.node)):
                out.append(f.finding("retry", call.node, ID, _retry._attrs(
                    1, None, None, "client_config", "google-api-core"), "high", None, []))
        elif "retry" in call.kwargs and "timeout" in call.kwargs and call.receiver:
            arg = call.kwargs["timeout"]
            if is_none(unwrap(call.kwargs["retry"].node)) and _imports_google(f):
                # `bq.get_table(name, timeout=5.0, retry=None)`: the client library's default retry
                # turned off for this call (one attempt)
                out.append(f.finding("retry", call.node, ID, _retry._attrs(
                    1, None, None, "call", "google-api-core"), "high", None, []))
            if is_none(unwrap(arg.node)):
                continue
            out += f.duration(arg.node, 1000.0, "per_try", ID, call.node, None)
    return out


def _imports_google(f) -> bool:
    """A file using Google's client libraries (`google.cloud`, `google.api_core`), or handed one
    (`request.find_service(name="gcloud.bigquery")` names no import: the call's own `retry=`/`timeout=`
    pair is the library's convention either way, so any `google` import or a gcloud name counts)."""
    return any(m.split(".", 1)[0] == "google" for m in f.imports.values()) or b"gcloud" in f.low or \
        b"bigquery" in f.low
