"""Deadlines around awaited work: `asyncio.wait_for`, `asyncio.timeout`, `async_timeout.timeout`, anyio.

What it does: reports `asyncio.wait_for(aw, timeout)` (keyword or second positional),
`async with asyncio.timeout(s)` / `async_timeout.timeout(s)` / `anyio.fail_after(s)` /
`anyio.move_on_after(s)` with phase `deadline`, and as target the outbound call awaited
inside. `None` (no deadline) is not reported, nor a `wait_for` around a local wait
(`queue.get()`, `event.wait()`, `lock.acquire()`, `proc.communicate()`) or around in-process work
moved to a thread (`asyncio.to_thread(model.predict, x)`, `run_in_executor(None, parse, x)`, when
nothing in the function's name says client or request). Timeouts of
non-network waits such as `queue.get(timeout=1)`, `thread.join(timeout)`, `future.result(timeout)` and
`subprocess.run(timeout=...)` are deliberately not reported: they are not contracts with
another service; except `future.result(t)` of a future that is a client's call: `future =
asyncio.run_coroutine_threadsafe(client.request(...), loop)` (a thread's bound on a client's call run
on an event loop), `executor.submit(requests.get, url)` (the function handed over says client; also
kept on the instance: `self._result = executor.submit(pool.urlopen, ...)` ... `self._result.result(t)`),
a message client's `publisher.publish(topic, data)` (Google Pub/Sub), kafka-python's
`producer.send(topic, value).get(timeout=10)`, and the handle of a client's asynchronous call waited at once
(kazoo's `zk.create_async(path, v).get(timeout=1)`, Celery's `task.delay(x).get(timeout=10)`).
Why it matters: a deadline caps every outbound call made inside it.
Example: `await asyncio.wait_for(client.score(cart), timeout=0.5)`.
"""

from __future__ import annotations

import re

from extractors import treesitter as T
from extractors.base import detector
from extractors.python.detectors import module_doc
from extractors.python.analysis import is_none, number_value, string_value, unwrap
from extractors.python.detectors import _retry

ID = "python.asyncio"

LOCAL_WAIT = re.compile(r"((^|\.)(queue|q|inbox|outbox|\w*_queue)\.get|\.wait|\.acquire|\.communicate|"
                        r"^asyncio\.sleep|\.join)$", re.I)
# an awaited method that stops one's own server, runner or worker (at exit): no other service's call
_OWN_SHUTDOWN = frozenset({"stop", "shutdown", "cleanup", "stop_polling"})
FUNCS = {"asyncio.wait_for": 1, "asyncio.timeout": 0, "async_timeout.timeout": 0, "anyio.fail_after": 0,
         "anyio.move_on_after": 0, "asyncio.timeout_at": None, "trio.fail_after": 0, "trio.move_on_after": 0}

VALID = [
    """\
import queue
q = queue.Queue()
item = q.get(timeout=1)
""",
    """\
import asyncio
async def f(aw):
    return await asyncio.wait_for(aw, None)
""",
    """\
import asyncio
async def next_job(queue: asyncio.Queue, stop: asyncio.Event):
    job = await asyncio.wait_for(queue.get(), timeout=1.0)
    await asyncio.wait_for(stop.wait(), 5)
    return job
""",
    """\
import asyncio
MODEL = load_model()
async def score(features):
    return await asyncio.wait_for(asyncio.to_thread(MODEL.predict_proba, [features]), timeout=0.25)  # ok: in-process
""",
]

INVALID = [
    """\
import asyncio
async def score(client, cart):
    return await asyncio.wait_for(client.score(cart), timeout=0.5)  # expect: timeout timeout_ms=500 phase=deadline
""",
    """\
import asyncio
import requests
async def fetch(url):
    return await asyncio.wait_for(asyncio.to_thread(requests.get, url), timeout=3)  # expect: timeout timeout_ms=3000 phase=deadline
""",
    """\
import asyncio


def request(network, loop, method, url):
    future = asyncio.run_coroutine_threadsafe(network.request(method, url), loop)
    return future.result(3)  # expect: timeout timeout_ms=3000 phase=deadline


def crunch(loop, data):
    future = asyncio.run_coroutine_threadsafe(compress(data), loop)
    return future.result(3)  # ok: in-process work, nothing says client
""",
    """\
from concurrent.futures import ThreadPoolExecutor

import requests
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
pool = ThreadPoolExecutor(4)


def emit(topic, data):
    future = publisher.publish(topic, data)
    return future.result(timeout=18)  # expect: timeout timeout_ms=18000 phase=deadline


def fetch(url):
    future = pool.submit(requests.get, url, timeout=5)
    return future.result(timeout=10)  # expect: timeout timeout_ms=10000 phase=deadline


def resize(image):
    future = pool.submit(shrink, image)
    return future.result(timeout=10)  # ok: in-process work handed to a thread


def ack(producer, topic, value):
    meta = producer.send(topic, value)
    return meta.get(timeout=10)  # expect: timeout timeout_ms=10000 phase=deadline


def lookup(cache, key):
    entry = cache.fetch_entry(key)
    return entry.get(timeout=3)  # ok: not a future of a message client
""",
]


# What a thread may run that talks to another process.
OUTBOUND_CALLABLE = re.compile(r"(^|\.)(requests|httpx|urllib|urllib3|boto3|botocore|grpc|socket|smtplib|ftplib|"
                               r"paramiko|psycopg2?|pymysql|redis)(\.|$)|(client|session|stub|api|conn|connection|"
                               r"channel|fetch|download|upload|request|post|send|urlopen)", re.I)


def _local_work(f, call) -> bool:
    """``asyncio.to_thread(MODEL.predict_proba, x)`` / ``loop.run_in_executor(None, parse, x)``:
    whether the function handed over is not a client's (nothing in its name says network)."""
    index = 0 if call.name == "to_thread" else 1
    if len(call.args) <= index:
        return False
    fn_text = call.args[index].text
    qualified = f.qualify(fn_text)
    return not OUTBOUND_CALLABLE.search(qualified) and not OUTBOUND_CALLABLE.search(fn_text)


@detector(ID, "python", ("timeout",), valid=VALID, invalid=INVALID)
@module_doc
def detect(f):
    out = []
    if not f.has_any(b"wait_for", b"timeout", b"fail_after", b"move_on_after"):
        return out  # the names of every function in FUNCS
    for call in f.calls:
        if call.qualified in WAITS:
            pos = None
            arg = _wait_timeout(f, call)
            if arg is None:
                continue
        else:
            pos = FUNCS.get(call.qualified, -1)
            if pos == -1 or pos is None:
                continue
            arg = call.arg("timeout", pos) or (call.arg("delay", pos) if pos == 0 else None)
        if arg is None or is_none(unwrap(arg.node)) or INTERVAL.search(T.text(unwrap(arg.node)).rsplit(".", 1)[-1]):
            continue  # no deadline, or a polling interval (`timeout=self.keepalive_interval`)
        if pos == 1 and call.args:
            awaited = f.call_of(call.args[0].node)
            if awaited is not None and LOCAL_WAIT.search(awaited.callee):
                continue  # waiting on a queue, an event, a lock or a subprocess: not another service
            if awaited is not None and _event_wait(f, unwrap(call.args[0].node)):
                continue  # `wait_for(bot.wait_for("message", check=...), 30)`: waiting for a person
            if awaited is not None and awaited.receiver and awaited.name in _OWN_SHUTDOWN and not awaited.args:
                continue  # `wait_for(self.server.stop(), 5)`: a bound on stopping one's own part at exit (round 15)
            if awaited is not None and awaited.name in ("to_thread", "run_in_executor") and _local_work(f, awaited):
                continue  # in-process work moved to a thread (a model, a parser): not another service
            if awaited is not None and _tick_or_cleanup(f, call, awaited):
                continue
        scope = call.node
        parent = call.node.parent
        while parent is not None and parent.type in ("with_item", "with_clause", "as_pattern"):
            parent = parent.parent
        if parent is not None and parent.type == "with_statement":
            scope = parent
        target, pending = _retry.target_within(f, scope, depth=1)
        out += f.duration(arg.node, 1000.0, "deadline", ID, call.node, target, pending)
    if f.has_any(b"run_coroutine_threadsafe", b"submit", b"publish", b"send", b"_async(", b".delay(", b"operation"):
        out += _threadsafe_results(f)
    return out


def _tick_or_cleanup(f, call, awaited) -> bool:
    """(round 20, chatgpt-telegram-bot, gpt-researcher) `while not task.done(): ...; await asyncio.wait_for(
    asyncio.shield(task), 4.5)` (the shielded work goes on: the wait is a loop's tick, not a bound on it), and
    `wait_for(asyncio.gather(*pending), 5)` after `task.cancel()` for each pending task (waiting for one's own
    cancelled tasks to finish)."""
    if awaited.qualified == "asyncio.shield":
        node = call.node.parent
        while node is not None and node.type not in ("function_definition", "for_statement", "while_statement"):
            node = node.parent
        return node is not None and node.type != "function_definition"
    if awaited.qualified == "asyncio.gather":
        fn = f.enclosing_function(call.node)
        def same_scope(node) -> bool:
            other = f.enclosing_function(node)
            return (fn is None and other is None) or (fn is not None and other is not None and other.id == fn.id)
        return any(c.name == "cancel" and c.node.end_byte <= call.node.start_byte and same_scope(c.node)
                   for c in f.calls)
    return False


# waits given a timeout that are not `FUNCS`: `asyncio.wait(tasks, timeout=)` (keyword only) and
# tornado's `gen.with_timeout(timedelta(...), future)` (a float there is an absolute IOLoop time)
WAITS = frozenset({"asyncio.wait", "tornado.gen.with_timeout"})
# a value named for a period, not a bound: the wait is a tick of a loop
INTERVAL = re.compile(r"interval|period|heartbeat|keepalive|keep_alive|poll", re.I)


def _wait_timeout(f, call):
    """The timeout of `asyncio.wait(tasks, timeout=10)` (not a cleanup of the tasks an earlier
    wait left pending) or of `gen.with_timeout(timedelta(seconds=10), future)`."""
    if call.qualified == "asyncio.wait":
        arg = call.kwargs.get("timeout")
        first = unwrap(call.args[0].node) if call.args else None
        if arg is None or first is None:
            return None
        peek = number_value(unwrap(arg.node))
        if peek is not None and 0 <= peek < 0.1:
            return None  # (round 22, r2r) `asyncio.wait(pending, timeout=0.01, return_when=FIRST_COMPLETED)`: a peek
            # at which of its own tasks are done, the tasks going on (no bound on them)
        if first.type == "identifier" and _left_pending(f, call, T.text(first)):
            return None  # `_, pending = await asyncio.wait(...)` then a bounded wait for the rest
        if first.type == "identifier":
            found = f.binding(T.text(first), call.node)
            if found is not None and unwrap(found[0]) is not None and unwrap(found[0]).type in ("list", "set", "tuple") \
                    and unwrap(found[0]).named_children and all(
                        _event_wait(f, unwrap(n)) for n in unwrap(found[0]).named_children):
                return None  # tasks of `bot.wait_for("reaction_add", check=...)`: waiting for a person
        if first.type in ("list", "set", "tuple") and first.named_children and all(
                _event_wait(f, unwrap(n)) for n in first.named_children):
            return None
        if first.type in ("list", "set", "tuple"):
            works = [f.call_of(unwrap(n)) for n in first.named_children]
            if works and all(w is not None and LOCAL_WAIT.search(w.callee) for w in works):
                return None  # `asyncio.wait([stop.wait()], timeout=5)`: a local event
        return arg
    arg = call.arg("timeout", 0)
    value = unwrap(arg.node) if arg is not None else None
    work = f.call_of(value)
    if work is None or f.qualify(work.callee) not in ("datetime.timedelta", "timedelta"):
        return None
    return arg


def _event_wait(f, node) -> bool:
    """`bot.wait_for("reaction_add", check=pred)` (discord.py and alike: the first argument names an event a
    user causes), also wrapped in `asyncio.create_task(...)` / `ensure_future(...)`: a wait for a person or a
    chat event, not for another service (round 16, red-discordbot's menus)."""
    c = f.call_of(node) if node is not None else None
    if c is not None and c.name in ("create_task", "ensure_future") and c.args:
        c = f.call_of(unwrap(c.args[0].node))
    return c is not None and c.name == "wait_for" and bool(c.receiver) and bool(c.args) and \
        string_value(unwrap(c.args[0].node)) is not None


def _left_pending(f, call, name: str) -> bool:
    """`name` was unpacked from an earlier wait's result (`_, pending = await asyncio.wait(...)`)."""
    scope = f.enclosing_function(call.node) or f.root
    for node in T.walk(scope):
        if node.type != "assignment" or node.start_byte >= call.node.start_byte:
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type not in ("pattern_list", "tuple_pattern"):
            continue
        if any(c.type == "identifier" and T.text(c) == name for c in left.named_children) and "wait(" in T.text(right):
            return True
    return False


PUBLISHING = frozenset({"publish", "send", "send_message"})
# a client's call returning a handle on its remote result (kazoo's `get_async` / `create_async`, Celery's
# `delay` / `apply_async`), when `.get(timeout=)` / `.result(timeout)` is called on it directly
REMOTE_ASYNC = re.compile(r"^(?:[a-z]+_async|delay|apply_async|send_task)$")


def _threadsafe_results(f) -> list:
    """`future = asyncio.run_coroutine_threadsafe(client.request(...), loop)` ... `future.result(t)`:
    a thread waiting on a request made on an event loop; bounded only when what runs there is a
    client's call (its name says so)."""
    out = []
    for call in f.method_calls(("result", "get")):
        arg = call.arg("timeout", 0) if call.name == "result" else call.kwargs.get("timeout")
        if arg is None or is_none(unwrap(arg.node)) or not call.receiver:
            continue
        func = call.node.child_by_field_name("function")
        obj = unwrap(func.child_by_field_name("object")) if func is not None and func.type == "attribute" else None
        chained = f.call_of(obj) if obj is not None and obj.type == "call" else None
        if chained is not None and chained.receiver and REMOTE_ASYNC.search(chained.name):
            # (round 18) the result of a client's asynchronous call waited at once: kazoo's
            # `client.create_async(path, value).get(timeout=1)`, Celery's `task.delay(x).get(timeout=10)`
            out += f.duration(arg.node, 1000.0, "deadline", ID, call.node, None)
            continue
        if call.receiver.startswith("self.") and call.receiver.count(".") == 1:
            # `self._result = executor.submit(pool.urlopen, ...)` in the constructor, waited in a method
            cls = f.enclosing_class(call.node)
            values = f.self_attr_values(cls, call.receiver[5:]) if cls is not None else []
            found = values if len(values) == 1 else None
        elif "." in call.receiver:
            continue
        else:
            found = f.binding(call.receiver, call.node)
        submitted = f.call_of(found[0]) if found else None
        if (submitted is None or not _outbound_future(f, submitted, call.name)) and call.name == "result" and \
                (submitted is None or submitted.name not in ("submit", "run_coroutine_threadsafe")) and \
                _long_running_operation(f, call, found):
            out += f.duration(arg.node, 1000.0, "deadline", ID, call.node, None)
            continue
        if submitted is None or not _outbound_future(f, submitted, call.name):
            continue
        out += f.duration(arg.node, 1000.0, "deadline", ID, call.node, None)
    return out


# a Google long-running operation (google.api_core's `Operation`): `operation.result(timeout=...)` waits for
# the remote job it stands for (round 20, kobotoolbox-kpi's Speech / Translate batch operations)
_OPERATION = re.compile(r"operation|(^|_)lro$|(^|_)op$", re.I)


def _long_running_operation(f, call, found) -> bool:
    """`operation = client.batch_recognize(...)` (or `operation, amount = self.begin_google_operation(...)`) then
    `operation.result(timeout=...)`, in a file using google-cloud / google-api-core: the receiver is named
    as an operation, or comes from a call named so."""
    if not any(m == p or m.startswith(p + ".") for m in f.imports.values() for p in ("google.cloud", "google.api_core")):
        return False
    if _OPERATION.search(call.receiver.rsplit(".", 1)[-1]):
        return True
    value = unwrap(found[0]) if found else None
    made = f.call_of(value) if value is not None else None
    if made is not None and _OPERATION.search(made.name or ""):
        return True
    fn = f.enclosing_function(call.node)
    for n in T.walk(fn) if fn is not None else ():
        if n.type == "assignment" and n.start_byte < call.node.start_byte and \
                (n.child_by_field_name("left") or n).type in ("pattern_list", "tuple_pattern") and \
                call.receiver in {T.text(x) for x in (n.child_by_field_name("left") or n).named_children}:
            # `response, amount = self.begin_google_operation(...)`: unpacked from a call named as an operation
            c = f.call_of(unwrap(n.child_by_field_name("right")))
            if c is not None and _OPERATION.search(c.name or ""):
                return True
        if n.type == "call" and n.start_byte < call.node.start_byte:
            # `if isinstance(response, Operation):` around the wait (google.api_core.operation.Operation)
            c = f.call_of(n)
            if c is not None and c.callee == "isinstance" and len(c.args) == 2 and \
                    c.args[0].text == call.receiver and _OPERATION.search(c.args[1].text):
                return True
    return False


def _outbound_future(f, submitted, waited_by: str) -> bool:
    """The future comes from a client's call: `asyncio.run_coroutine_threadsafe(client.request(...),
    loop)`, `executor.submit(requests.get, url)` (the function handed over says client), or a message
    client's `publisher.publish(topic, data)` / `producer.send(topic, value)` (Google Pub/Sub and
    kafka-python return futures; kafka-python's is waited with `.get(timeout=...)`)."""
    if submitted.name in PUBLISHING and submitted.receiver and submitted.args:
        return waited_by == "result" or submitted.name == "send"
    if waited_by != "result" or not submitted.args:
        return False
    if submitted.qualified == "asyncio.run_coroutine_threadsafe":
        work = f.call_of(submitted.args[0].node)
        return work is not None and not LOCAL_WAIT.search(work.callee) and \
            bool(OUTBOUND_CALLABLE.search(f.qualify(work.callee)))
    if submitted.name == "submit" and submitted.receiver:
        fn_text = submitted.args[0].text
        if f.call_of(submitted.args[0].node) is not None or LOCAL_WAIT.search(fn_text):
            return False
        return bool(OUTBOUND_CALLABLE.search(f.qualify(fn_text)) or OUTBOUND_CALLABLE.search(fn_text)) or \
            _calls_out(f, submitted.args[0].node, 2)
    return False


def _own_function(f, node):
    """The function of this file a callable names: `self._run_in_new_loop` (a method of the enclosing class) or
    `run_in_thread` (a function defined in the file, a nested one included)."""
    text = T.text(node)
    name = text[5:] if text.startswith("self.") and text.count(".") == 1 else text if "." not in text else None
    if not name:
        return None
    here = f.enclosing_function(node)
    cls = f.enclosing_class(node)
    for fn in f.functions:
        n = fn.child_by_field_name("name")
        if n is None or T.text(n) != name:
            continue
        if text.startswith("self.") and (cls is None or f.enclosing_class(fn) is None or
                                         f.enclosing_class(fn).id != cls.id):
            continue
        if not text.startswith("self.") and here is not None and f.enclosing_function(fn) is not None and \
                f.enclosing_function(fn).id != here.id:
            continue
        return fn
    return None


def _calls_out(f, node, depth: int) -> bool:
    """(round 20, docsgpt / gpt-researcher MCP tools) a function of this file handed to `executor.submit` whose
    body calls a client (`self._execute_with_client(...)`, `self.search_async(...)` reaching one): the wait on
    its future bounds that remote call."""
    fn = _own_function(f, node)
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return False
    for n in T.walk(body):
        if n.type != "call":
            continue
        c = f.call_of(n)
        if c is None or LOCAL_WAIT.search(c.callee):
            continue
        if OUTBOUND_CALLABLE.search(f.qualify(c.callee)) or OUTBOUND_CALLABLE.search(c.name or ""):
            return True
        func = n.child_by_field_name("function")
        if depth > 1 and func is not None and _calls_out(f, func, depth - 1):
            return True
        # `loop.run_until_complete(self.search_async(n))`: the coroutine handed over
        if depth > 1 and any(a.node.type == "call" and _calls_out(f, a.node.child_by_field_name("function"), depth - 1)
                             for a in c.args if a.node.child_by_field_name("function") is not None):
            return True
    return False
