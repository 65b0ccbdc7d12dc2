"""A call made again without ``retry``: a method calling itself with one try less, a rescue that sends the same call once more, a retry count handed to such a method.

What it does: three hand-written retries that have no ``retry`` keyword.

- A method that calls itself again from its own ``rescue`` (``rescue SSLError;
  connect(endpoint, allow_ssl: false)``), or with a try flag switched off
  (``send_message(..., retry_on_connection_error: false)`` when it defaults to ``true``: 2 attempts),
  or with its try counter counted down or up
  (``def call(retry_on_bad_token: false) ... return resp if retry_on_bad_token <= 0;
  call(retry_on_bad_token: retry_on_bad_token - 1)``): a retry at the recursive call; its count
  is the counter's default plus one when the default is a number, else left open (the caller
  chooses). The counter is a parameter named for tries (``retries``, ``tries``, ``attempts``,
  ``retry_*``), and a comparison of it guards the recursion.
- A retry count passed as a keyword (``fetch.call(retry_on_bad_token: 3)``, ``get(url, retries:
  2)``): ``retries``/``retry_*`` count the tries after the first (+1), ``attempts``/``tries``
  count them all. Keys other detectors read (``retry`` of Sidekiq, ``max_retries``,
  ``retry_limit``, ``retry_on_failure``, Retriable's ``tries``) and delays (``retry_interval``,
  ``retry_delay``, ``retry_after``...) are not reported here.
- A stored attempt counter checked against a limit where the work is given up
  (``return if queued_message.attempts < MAX`` at the top of the give-up path, ``raise if
  job.retries >= 5``): a queue that redelivers work from a record; the limit is the count.
- A schedule of waits indexed by the try count (``RETRIES = { 1 => 2.minutes, ... 5 => 15.minutes }``,
  ``retry_after = RETRIES[request.attempts]&.from_now``): its length plus the first try.
- A rescue of named errors that repeats the protected call, when its name says it talks to
  something (``request``, ``fetch``, ``get``, ``download``, ``*_request``...): ``begin; request;
  rescue ZlibError; request(auto_inflate: false); end`` is two attempts, at the call in the rescue
  (also after set-up statements: ``request = OidcRequest.new(token); response = request.call(url)
  rescue Faraday::UnauthorizedError; refresh!; ...; response = request.call(url)``; also a verb sent
  to a client object, ``connection.send(verb, url, body)``, again inside a ``begin`` in the rescue).

- The same call made again after an early return on a good first answer (``response =
  request_deletion(uri:, body:); return if valid_response?(response); retry_response =
  request_deletion(uri:, body:)``): two attempts, at the second call.
- An up-counting try counter (``def update(retries: 0) ... elsif failed && retries < MAX_RETRY_ATTEMPTS;
  update(retries: retries + 1)``): the guard's limit minus the start, plus one (``<=``: plus two).

- A failed batch sent again one item at a time (round 20): ``send_single(c)`` / ``index_individually(docs)``
  / a job enqueued per item (``IndexJob.perform_later(user)``) in a rescue of named errors after a bulk
  call, in a branch testing the failed response (``if exception || resp.status != 200``), or over the
  items a bulk response marks failed: 2 attempts, at the single send (not after a local error such as
  ``JSON::GeneratorError``: the batch was never sent).

Not reported: a local file operation done again (``File.delete(lock)`` after ``rescue Errno::EACCES``),
a recursion over data (``walk(node.left)``, a counter not named for tries), a
rescue that calls something else (``rescue RecordNotUnique; find_by(...)``) or only logs, a
``rescue => e`` / ``rescue StandardError`` that calls a helper again another way (a fallback), a
counter passed on unchanged, the word in strings or comments.
Nor a method called from its own rescue with ``nil`` for an argument (``rescue MissingModelIdError;
Entity(nil)``): it asks about nothing instead, the failed work is not re-made (round 21).

Why it matters: the callee sees the request again, like any retry; these loops hide from a search
for ``retry``.

Example: ``fetcher.call(retry_on_bad_token: 3)`` -> retry max_attempts 4, mechanism call.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import ATTEMPTS_PARAM
from contract_discovery.values import BinOp, Call, Num, Ref, normalise_ms
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts, ruby_detector
from extractors.ruby.detectors.wrapper_call import callee_names
from extractors.treesitter import Node, text, walk

ID = "ruby.repeat_call"

# A parameter or keyword that counts tries.
TRY_COUNTER = re.compile(r"^(?:max_)?(?:retr(?:y|ies)(?:_\w+)?|\w+_retries|tries|tries_left|attempts(?:_left)?|"
                         r"retry_count|remaining_(?:tries|attempts|retries))$")
# A recursion's own counter may also be the try's number (``def with_api_retries(attempt: 0)``; round 22,
# tramline): not a count handed to a call (``initialize_with :user, attempt: 1`` is where it starts)
RECURSION_COUNTER = re.compile(TRY_COUNTER.pattern[:-2] + r"|attempt(?:_count|_number)?)$")
# Keywords other detectors read, or that are delays and switches rather than counts.
NOT_COUNTS = re.compile(r"interval|delay|wait|after|backoff|jitter|sleep|timeout|base|factor|multiplier|"
                        r"codes|status|errors|exceptions|if|unless|block|enabled|jobs|queue")
OWNED_KEYS = {"retry", "retries_exhausted", "max_retries", "retry_limit", "retry_on_failure", "tries",
              "attempts", "max_attempts", "reconnect_attempts", "instance_profile_credentials_retries",
              "container_credentials_retries", "max_network_retries", "recovery_attempts", "max_tries"}
# A counter's state handed on (``perform_later(id, retry_count: 0)``), not a limit.
STATE = re.compile(r"count|number|current|left|remaining|made|done")
COUNTS_EVERY_TRY = re.compile(r"^(?:max_)?(?:attempts|tries)")
OWNED_CALLS = {"sidekiq_options", "retry_on", "retriable", "with_retries", "set"}


@ruby_detector(ID, ("retry",),
               valid=("def walk(node, depth = 0)\n  walk(node.left, depth + 1) if node.left\nend\n",
                      "begin\n  save!\nrescue ActiveRecord::RecordNotUnique\n  find_by(id: id)\nend\n",
                      "Retriable.retriable(tries: 3) { get }\n", "get(url, retry_interval: 3)\n",
                      "fetch(url, retries: retries)\n"),
               invalid=("def call(tries = 3)\n  return get if tries <= 0\n  call(tries - 1)\nend\n",
                        "fetcher.call(retry_on_bad_token: 3)\n",
                        "begin\n  request\nrescue Zlib::Error\n  request(inflate: false)\nend\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    yield from _recursions(f)
    yield from _count_keywords(f)
    yield from _rescue_repeats(f)
    yield from _stored_attempts(f)
    yield from _retry_schedules(f)
    yield from _retry_predicates(f)
    yield from _second_tries(f)
    yield from _batch_resends(f)


# Round 20 (volpino, bibdata): a failed batch sent again one item at a time. The single send is a call
# named for it (`send_single(c)`, `index_individually(docs)`) or a job enqueued per item (`IndexJob.
# perform_later(user)`), on a failure path: a rescue of named errors after a bulk call, a branch testing
# the failed response (`if exception || resp.status != 200`), or the items a bulk response marks failed
# (`response["items"].select { |i| i...["error"].present? }.each`). 2 attempts, at the single send.
SINGLE_SEND = re.compile(r"(?:^|_)(?:single|singly|individual(?:ly)?|one_by_one|one_at_a_time)(?:_|$)")
ENQUEUE_ONE = {"perform_later", "perform_async", "perform_now"}
BULK_CALL = re.compile(r"(?:^|_)(?:bulk|batch|import|add|index|update)(?:_|$|!)")
ITERATE = {"each", "find_each", "each_with_index", "map"}
# Errors of this process (the batch was never sent): no failed call to send again.
LOCAL_ERROR = re.compile(r"JSON::|Encoding|ArgumentError|TypeError|NoMethodError|KeyError|NameError")
FAILED_TEST = re.compile(r"exception|error|status|fail|success", re.I)


def _single_sends(scope: Node) -> list[Node]:
    """The per-item sends inside an iteration of ``scope``, or a direct call named for a single send."""
    out = []
    for node in walk(scope):
        if node.type != "call":
            continue
        method = text(node.child_by_field_name("method")) if node.child_by_field_name("method") else ""
        if SINGLE_SEND.search(method):
            out.append(node)
        elif method in ENQUEUE_ONE and _in_iteration(node, scope):
            out.append(node)
    return out


def _in_iteration(node: Node, scope: Node) -> bool:
    parent = node.parent
    while parent is not None and parent != scope:
        if parent.type in ("block", "do_block") and parent.parent is not None and parent.parent.type == "call":
            name = parent.parent.child_by_field_name("method")
            if name is not None and text(name) in ITERATE:
                return True
        parent = parent.parent
    return False


def _bulk_before(region: list[Node], before: int | None = None, verbs: bool = False) -> bool:
    """A bulk call on a client object in ``region`` (before the byte ``before``); with ``verbs``, any
    request verb too (``@http_client.post url, json_package``)."""
    for statement in region:
        for node in walk(statement):
            if before is not None and node.start_byte >= before:
                break
            if node.type == "call" and node.child_by_field_name("method") is not None \
                    and node.child_by_field_name("receiver") is not None:
                name = text(node.child_by_field_name("method"))
                if BULK_CALL.search(name) or (verbs and IO_VERB.search(name)):
                    return True
    return False


def _batch_resends(f: RubyFile) -> Iterable[Finding]:
    if not re.search(rb"single|individual|one_by_one|one_at_a_time|perform_later|perform_async|perform_now", f.data):
        return
    seen: set[int] = set()

    def report(call: Node, exceptions) -> Finding | None:
        if call.start_byte in seen:
            return None
        seen.add(call.start_byte)
        attrs = {"max_attempts": 2, "backoff": "none", "retry_on": exceptions, "mechanism": "call", "library": None}
        return f.finding("retry", call, ID, attrs, "medium")

    for node in walk(f.root):
        if node.type == "rescue":
            exceptions = _exceptions(node)
            body = node.child_by_field_name("body")
            parent = node.parent
            if not exceptions or any(e in BROAD or LOCAL_ERROR.search(e or "") for e in exceptions) \
                    or body is None or parent is None:
                continue
            protected = []
            for child in parent.named_children:
                if child.type in ("rescue", "else", "ensure"):
                    break
                protected.append(child)
            if not _bulk_before(protected):
                continue
            for call in _single_sends(body):
                found = report(call, exceptions)
                if found is not None:
                    yield found
        elif node.type == "if":
            condition = node.child_by_field_name("condition")
            branch = node.child_by_field_name("consequence")
            if condition is None or branch is None or not FAILED_TEST.search(text(condition)):
                continue
            if not re.search(r"exception|error|fail|!=\s*200|status\s*!=|!\s*\w+\.success", text(condition), re.I):
                continue
            method = syntax.enclosing(node, ("method", "singleton_method"))
            if method is None or not _bulk_before([method], node.start_byte, verbs=True):
                continue
            for call in _single_sends(branch):
                if _in_iteration(call, branch):
                    found = report(call, None)
                    if found is not None:
                        yield found
        elif node.type == "call" and node.child_by_field_name("method") is not None \
                and text(node.child_by_field_name("method")) == "each":
            receiver = node.child_by_field_name("receiver")
            if receiver is None or receiver.type != "call" or receiver.child_by_field_name("method") is None \
                    or text(receiver.child_by_field_name("method")) not in ("select", "filter") \
                    or "error" not in text(receiver).lower():
                continue
            block = node.child_by_field_name("block")
            scope = syntax.enclosing(node, ("block", "do_block", "method", "singleton_method"))
            if block is None or scope is None or not _bulk_before([scope]):
                continue
            for call in walk(block):
                if call.type == "call" and call.child_by_field_name("method") is not None \
                        and text(call.child_by_field_name("method")) in ENQUEUE_ONE:
                    found = report(call, None)
                    if found is not None:
                        yield found


def _second_tries(f: RubyFile) -> Iterable[Finding]:
    """``response = request_deletion(uri:, body:)`` / ``return if valid_response?(response)`` / ``#
    Only retry once`` / ``retry_response = request_deletion(uri:, body:)``: the same call made again
    (same callee, same arguments) after an early return when the first answer was good: two
    attempts, at the second call (round 20: bibdata's Solr deleter). Both calls must talk to
    something (a verb-like name, as for the rescue repeats)."""
    for method in walk(f.root):
        if method.type not in ("method", "singleton_method"):
            continue
        body = method.child_by_field_name("body")
        statements = [s for s in (body.named_children if body is not None else ()) if s.type != "comment"]
        for i, first in enumerate(statements):
            call = first.child_by_field_name("right") if first.type == "assignment" else None
            left = first.child_by_field_name("left") if first.type == "assignment" else None
            if call is None or call.type != "call" or left is None or left.type != "identifier" \
                    or not IO_VERB.match(f.method_of(call) or ""):
                continue
            if i + 2 >= len(statements):
                continue
            guard, again = statements[i + 1], statements[i + 2]
            if guard.type != "if_modifier" or not any(n.type == "return" for n in guard.named_children) \
                    or not any(n.type == "identifier" and text(n) == text(left)
                               for n in walk(guard.child_by_field_name("condition"))):
                continue
            second = again.child_by_field_name("right") if again.type == "assignment" else again
            if second is None or second.type != "call" or _name(second) != _name(call) \
                    or _arguments(second) != _arguments(call):
                continue
            attrs = {"max_attempts": normalise_ms(2.0), "backoff": "none", "retry_on": None, "mechanism": "call",
                     "library": None}
            yield f.finding("retry", second, ID, attrs, "medium")


# --- a schedule of waits indexed by the attempt count ------------------------------------------

def _schedule_length(f: RubyFile, name: str) -> int | None:
    """Entries of a constant schedule of waits: ``RETRIES = { 1 => 2.minutes, 2 => 5.minutes }``
    or ``BACKOFF = [30, 60, 300]`` (durations or numbers), defined in the file."""
    for node in walk(f.root):
        if node.type != "assignment" or text(node.child_by_field_name("left")) != name:
            continue
        value = node.child_by_field_name("right")
        while value is not None and value.type == "call" and text(value.child_by_field_name("method")) == "freeze":
            value = value.child_by_field_name("receiver")
        if value is None:
            return None
        if value.type == "array":
            items = [c for c in value.named_children if c.type != "comment"]
        elif value.type == "hash":
            items = [c.child_by_field_name("value") for c in value.named_children if c.type == "pair"]
        else:
            return None
        if not items or any(i is None or syntax.settle(syntax.to_expr(i)) is None for i in items):
            return None
        return len(items)
    return None


def _retry_schedules(f: RubyFile) -> Iterable[Finding]:
    """``retry_after = RETRIES[request.attempts]&.from_now``: the next try waits the schedule's
    entry for the tries made so far; when the schedule has none left, no more tries: its length
    plus the first try."""
    for node in walk(f.root):
        if node.type != "element_reference" or node.named_child_count != 2:
            continue
        table, index = node.named_children
        if table.type != "constant":
            continue
        counter = text(index.child_by_field_name("method")) if index.type == "call" else text(index)
        if counter not in STORED_COUNTERS and not TRY_COUNTER.match(counter):
            continue
        length = _schedule_length(f, text(table))
        if length is None:
            continue
        statement = node
        while statement.parent is not None and statement.parent.type not in ("body_statement", "then", "else",
                                                                            "begin", "program", "do_block", "block"):
            statement = statement.parent
        attrs = {"max_attempts": length + 1, "backoff": "fixed", "retry_on": None, "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", statement, ID, attrs, "medium")


# --- a stored attempt counter checked against a limit ------------------------------------------

STORED_COUNTERS = {"attempts", "delivery_attempts", "retries", "retry_count", "attempt_count", "tries",
                   "send_attempts"}
GIVE_UP = ("return", "raise", "fail", "next", "break")


def _gives_up(node: Node | None) -> bool:
    if node is None:
        return False
    if node.type in ("return", "break", "next"):
        return True
    if node.type == "call" and node.child_by_field_name("receiver") is None:
        return text(node.child_by_field_name("method")) in ("raise", "fail")
    return node.type == "identifier" and text(node) in ("raise", "fail")


def _stored_attempts(f: RubyFile) -> Iterable[Finding]:
    """``return if queued_message.attempts < MAX_ATTEMPTS`` / ``raise GiveUp if job.retries >= 5``: a
    queue that redelivers work keeps its tries on the record; the check that stops it bounds them."""
    for guard in walk(f.root):
        if guard.type not in ("if_modifier", "unless_modifier") or not _gives_up(guard.child_by_field_name("body")):
            continue
        cond = guard.child_by_field_name("condition")
        if cond is None or cond.type != "binary" or syntax._operator(cond) not in ("<", "<=", ">", ">="):
            continue
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if left is None or right is None or left.type != "call" or left.child_by_field_name("receiver") is None \
                or text(left.child_by_field_name("method")) not in STORED_COUNTERS:
            continue
        op = syntax._operator(cond)
        # The work goes on while the counter is under the limit: `return if n < L` (done when under?)
        # reads as "nothing to give up yet"; `raise if n >= L` stops at L. Both allow L tries.
        stops_at = (op in (">=", ">") and guard.type == "if_modifier") or \
                   (op in ("<", "<=") and guard.type == "if_modifier" and _early_ok(guard)) or \
                   (op in ("<", "<=") and guard.type == "unless_modifier")
        if not stops_at:
            continue
        limit = syntax.settle(syntax.to_expr(right))
        if limit is not None and limit < 1:
            continue
        attempts, pending = max_attempts(right, add=1.0 if op in (">", "<=") else 0.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "loop",
                 "library": None}
        yield f.finding("retry", guard, ID, attrs, "medium" if attempts is not None or pending else "low",
                        pending=pending)


RETRY_PREDICATE = re.compile(r"^(?:should_)?(?:retry|retriable|retryable)\w*\?$|^\w*_retry\?$|^retry_\w+\?$")
ATTEMPT_COUNT = re.compile(r"(?:attempt|retr|tries|failures?)\w*(?:_count)?$")


def _retry_predicates(f: RubyFile) -> Iterable[Finding]:
    """``def retry_webhook_request?; failed_attempts_count < MAX_ATTEMPTS; end``: a predicate named for
    retrying whose whole body compares a count of attempts (``attempts``, ``failed_attempts_count``,
    ``job.retries``) with a limit decides whether the work is tried again: ``count < L`` allows L
    tries (the count includes the one that just failed), ``count <= L`` one more. At the comparison."""
    guards_retry_job = {text(n) for call in f.calls_named("retry_job") for n in walk(call.parent)
                        if call.parent is not None and call.parent.type in ("if_modifier", "unless_modifier")
                        and n.type in ("identifier", "call")}
    for method in walk(f.root):
        if method.type != "method" or not RETRY_PREDICATE.match(text(method.child_by_field_name("name")) or ""):
            continue
        if text(method.child_by_field_name("name")) in guards_retry_job:
            continue  # `retry_job(...) if should_retry?`: the re-enqueue is the retry (ruby.job_retry)
        body = method.child_by_field_name("body") or next(
            (c for c in method.named_children if c.type == "body_statement"), None)
        statements = [c for c in body.named_children if c.type != "comment"] if body is not None and \
            body.type == "body_statement" else ([body] if body is not None else [])
        if len(statements) != 1 or statements[0].type != "binary":
            continue
        cond = statements[0]
        op = syntax._operator(cond)
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op not in ("<", "<=") or left is None or right is None:
            continue
        counter = text(left.child_by_field_name("method")) if left.type == "call" else text(left)
        if not ATTEMPT_COUNT.search(counter.lstrip("@")) or right.type not in ("integer", "constant", "scope_resolution"):
            continue
        attempts, pending = max_attempts(right, add=1.0 if op == "<=" else 0.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "loop", "library": None}
        yield f.finding("retry", cond, ID, attrs, "medium", pending=pending)


def _early_ok(guard: Node) -> bool:
    """``return if tries < LIMIT`` at the top of a method that then gives up (marks failed, bounces):
    the method is the give-up path, reached once the tries are spent."""
    method = syntax.enclosing(guard, ("method", "singleton_method"))
    if method is None:
        return False
    body = method.child_by_field_name("body")
    statements = [s for s in (body.named_children if body is not None else []) if s.type != "comment"]
    return bool(statements) and statements[0] == guard and \
        text(guard.child_by_field_name("body")).strip() == "return"


# --- recursion ---------------------------------------------------------------------------------

def _parameters(method: Node) -> list[tuple[int | None, str, Node | None]]:
    """(position or None for a keyword, name, default value node) of a method's parameters."""
    params = method.child_by_field_name("parameters")
    out = []
    position = 0
    for param in params.named_children if params is not None else []:
        if param.type == "identifier":
            out.append((position, text(param), None))
            position += 1
        elif param.type == "optional_parameter":
            out.append((position, text(param.child_by_field_name("name")), param.child_by_field_name("value")))
            position += 1
        elif param.type == "keyword_parameter":
            out.append((None, text(param.child_by_field_name("name")), param.child_by_field_name("value")))
    return out


def _stepped(node: Node | None, name: str) -> float | None:
    """``name - 1`` -> -1, ``name + 1`` -> +1, else None."""
    if node is None or node.type != "binary" or syntax._operator(node) not in ("+", "-"):
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or text(left) != name or text(right) != "1":
        return None
    return -1.0 if syntax._operator(node) == "-" else 1.0


def _guarded(method: Node, name: str) -> bool:
    for node in walk(method):
        if node.type == "binary" and syntax._operator(node) in ("<", "<=", ">", ">=", "==") and \
                name in (text(node.child_by_field_name("left")), text(node.child_by_field_name("right"))):
            return True
        if node.type == "call" and text(node.child_by_field_name("method")) in ("zero?", "positive?") and \
                text(node.child_by_field_name("receiver")) == name:
            return True
    return False


def _flips_off(passed: Node, default: Node | None) -> bool:
    """``false`` passed for a parameter whose default is ``true``."""
    return passed.type == "false" and default is not None and default.type == "true"


def _guarded_by(method: Node, name: str) -> bool:
    """An ``if name`` / ``unless name`` / ``&& name`` test of the flag somewhere in the method."""
    for node in walk(method):
        if node.type in ("if", "unless", "if_modifier", "unless_modifier"):
            condition = node.child_by_field_name("condition")
            if condition is not None and any(n.type == "identifier" and text(n) == name for n in walk(condition)):
                return True
    return False


def _in_own_rescue(call: Node, method: Node) -> bool:
    """The call sits in a ``rescue`` clause of the method itself (not of a block inside it)."""
    for parent in syntax.ancestors_of(call):
        if parent == method:
            return False
        if parent.type == "rescue":
            return syntax.enclosing(parent, ("method", "singleton_method", "block", "do_block", "lambda")) == method
        if parent.type in ("block", "do_block", "lambda"):
            return False
    return False


def _recursions(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls:
        receiver = call.child_by_field_name("receiver")
        if receiver is not None and text(receiver) != "self":
            continue
        method = syntax.enclosing(call, ("method", "singleton_method", "class", "module"))
        if method is None or method.type not in ("method", "singleton_method") or \
                text(method.child_by_field_name("name")) != f.method_of(call):
            continue
        site = f.site(call)
        in_rescue = _in_own_rescue(call, method)
        found = None
        for position, name, default in _parameters(method):
            passed = site.kwargs[name].node if position is None and name in site.kwargs else (
                site.args[position].node if position is not None and position < len(site.args) else None)
            if passed is None:
                continue
            if _flips_off(passed, default) and (in_rescue or (TRY_COUNTER.match(name) and _guarded_by(method, name))):
                found = 2.0  # send_message(..., retry_on_connection_error: false): one more try, then no more
                break
            if not RECURSION_COUNTER.match(name):
                continue
            step = _stepped(passed, name)
            if step is None and passed.type == "identifier":
                # `next_attempt = attempt + 1 ... with_api_retries(attempt: next_attempt, &)` (round 22,
                # tramline): the counter stepped into a local first
                step = _stepped(syntax.local_assignment(text(passed), call), name)
            if step is None or not _guarded(method, name):
                continue
            start = syntax.settle(syntax.to_expr(default)) if default is not None else None
            found = normalise_ms(start + 1) if step < 0 and start is not None and start >= 0 else -1.0
            if step > 0 and start is not None:
                limited = _upward_limit(call, name) or _give_up_limit(method, name)
                if limited is not None:
                    limit, add = limited
                    attempts, pending = max_attempts(limit, add=add - start)
                    attrs = {"max_attempts": attempts, "backoff": "none", "retry_on": None,
                             "mechanism": "call", "library": None}
                    yield f.finding("retry", call, ID, attrs, "medium", pending=pending)
                    found = "done"
            break
        if found == "done" or (found is None and not in_rescue):
            continue
        if found is None and any(a.node.type == "nil" for a in site.args):
            continue  # `rescue MissingModelIdError; Entity(nil)`: the method asked about nothing instead (round 21, hyku)
        attempts = None if found in (None, -1.0) else normalise_ms(found)
        attrs = {"max_attempts": attempts, "backoff": "none", "retry_on": None, "mechanism": "call",
                 "library": None}
        yield f.finding("retry", call, ID, attrs, "medium" if attempts is not None else "low")


def _upward_limit(call: Node, name: str) -> tuple[Node, float] | None:
    """``elsif failed && retries < MAX_RETRY_ATTEMPTS`` guarding ``update(retries: retries + 1)``: the
    limit of an up-counting try counter tested in the condition that leads to the recursive call, and
    what to add to it for the tries (``<``: limit + 1 calls from 0, ``<=``: limit + 2)."""
    for holder in syntax.ancestors_of(call):
        if holder.type in ("method", "singleton_method"):
            return None
        condition = holder.child_by_field_name("condition") \
            if holder.type in ("if", "elsif", "unless", "if_modifier", "unless_modifier", "while") else None
        if condition is None:
            continue
        for node in walk(condition):
            if node.type != "binary" or syntax._operator(node) not in ("<", "<=", ">", ">="):
                continue
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                continue
            op = syntax._operator(node)
            if text(left) == name and op in ("<", "<="):
                return right, 1.0 if op == "<" else 2.0
            if text(right) == name and op in (">", ">="):
                return left, 1.0 if op == ">" else 2.0
        return None
    return None


def _give_up_limit(method: Node, name: str) -> tuple[Node, float] | None:
    """``raise ex if attempt >= MAX_RETRY_ATTEMPTS`` (or ``return ... if``, ``raise ... unless attempt <
    MAX``) in the method of an up-counting try counter whose recursion sits outside that test (round 22,
    tramline's ``with_api_retries(attempt: 0)``): the counter gives up at the limit, so the tries are
    the limit plus one from 0 (``>``: plus two)."""
    for node in walk(method):
        if node.type not in ("if_modifier", "unless_modifier", "if", "unless"):
            continue
        body = node.child_by_field_name("body") if node.type.endswith("_modifier") else \
            node.child_by_field_name("consequence")
        if body is None or not _gives_up_now(body):
            continue
        condition = node.child_by_field_name("condition")
        if condition is None or condition.type != "binary":
            continue
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if left is None or right is None:
            continue
        op = syntax._operator(condition)
        if node.type.startswith("unless"):
            op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}.get(op, "")
        if text(left) == name and op in (">=", ">"):
            return right, 1.0 if op == ">=" else 2.0
        if text(right) == name and op in ("<=", "<"):
            return left, 1.0 if op == "<=" else 2.0
    return None


def _gives_up_now(body: Node) -> bool:
    """A body that raises or returns at once (``raise ex``, ``return``, ``raise Error, "..."``)."""
    first = body.named_children[0] if body.type in ("then", "body_statement") and body.named_children else body
    if first.type == "return":
        return True
    return first.type in ("call", "identifier") and text(first).split("(")[0].split(" ")[0] in ("raise", "fail")


# --- a count handed to a call ------------------------------------------------------------------

def _count_keywords(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls:
        if f.method_of(call) in OWNED_CALLS:
            continue
        site = f.site(call)
        for key, arg in site.kwargs.items():
            if key in OWNED_KEYS or not TRY_COUNTER.match(key) or NOT_COUNTS.search(key.replace("retry_on_", "")) \
                    or STATE.search(key):
                continue
            if arg.node.type != "integer":
                continue  # a value passed on (retries: retries) or a switch (retry: true)
            add = 0.0 if COUNTS_EVERY_TRY.search(key) else 1.0
            attempts, pending = max_attempts(arg.node, add=add)
            if attempts is None:
                continue
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call",
                     "library": None}
            names = callee_names(f, call)
            refs = tuple(Ref(f"{name}.{ATTEMPTS_PARAM}:{key}") for name in names)
            if f.method_of(call) == "performs" and f.receiver_of(call) in ("", "self"):
                # active_record-associated_object: `performs(retries: 3)` calls the job class's `retries(3)`,
                # the app's own (`def self.retries(attempts) retry_on StandardError, attempts:`; round 18,
                # rubyevents): that method's count
                refs = (Ref(f"ApplicationJob.{key}.{ATTEMPTS_PARAM}:0"), *refs)
            if refs:
                # a project method that publishes how it counts this keyword (`RetryableClient.new(num_retries: 5)`
                # whose loop makes num_retries tries in all): its body says, the keyword's name only guesses
                marker = Call("coalesce", refs)
                counted = BinOp("-", BinOp("+", Num(float(attempts) - add), marker), Num(1.0))
                pending = (Pending("max_attempts", Call("coalesce", (counted, Num(float(attempts)))), 1.0),)
                yield f.finding("retry", call, ID, attrs, "medium", pending=pending)
                continue
            yield f.finding("retry", call, ID, attrs, "medium")


# --- the same call again in the rescue ---------------------------------------------------------

# A call that talks to something (the method name says so), and rescues that name an error class.
IO_VERB = re.compile(r"^(?:request|fetch|get|post|put|patch|delete|download|upload|call|send_request|deliver|"
                     r"connect|open|query|search|perform_request|http_\w+|api_\w+)|_request$|_api$")
BROAD = {"StandardError", "Exception", "RuntimeError", "ScriptError"}

def _own_calls(statement: Node) -> list[Node]:
    """The calls a statement makes directly (``x = request``, ``request``), not inside blocks."""
    node = statement
    if node.type == "assignment":
        node = node.child_by_field_name("right")
    if node is None:
        return []
    if node.type == "identifier":
        return [node]
    if node.type == "call":
        return [node]
    return []


def _name(node: Node) -> tuple[str, str]:
    if node.type == "identifier":
        return "", text(node)
    return syntax.callee_text(node.child_by_field_name("receiver")), text(node.child_by_field_name("method"))


def _rescue_repeats(f: RubyFile) -> Iterable[Finding]:
    for rescue in walk(f.root):
        if rescue.type != "rescue":
            continue
        parent = rescue.parent
        body = rescue.child_by_field_name("body")
        if parent is None or body is None:
            continue
        protected = []
        for child in parent.named_children:
            if child.type in ("rescue", "else", "ensure"):
                break
            protected.append(child)
        again = _yield_again(protected, rescue, body)
        if again is not None:
            attrs = {"max_attempts": 2, "backoff": "none", "retry_on": _exceptions(rescue),
                     "mechanism": "call", "library": None}
            yield f.finding("retry", again, ID, attrs, "medium")
            continue
        # the begin's one call that talks to something (``request.call(url)``), after any local set-up
        # (``request = OidcRequest.new(token)``): the rescue then clearly repeats it
        calls = [call for statement in protected for call in _own_calls(statement)]
        first = [call for call in calls if _talks(call)]
        set_up = len(protected) > 1
        if len(first) != 1 or (set_up and (first[0] not in _own_calls(protected[-1])
                                           or first[0].type != "call" or not _name(first[0])[0])):
            continue  # after set-up, only a last statement calling a client object (`request.call(url)`)
        wanted = _name(first[0])
        exceptions = _exceptions(rescue)
        if not _talks(first[0]) or not exceptions or any(e in BROAD for e in exceptions):
            continue  # a local helper, or a rescue of everything (a fallback, not a second try)
        for statement in _with_nested_begin(body.named_children):
            for again in _own_calls(statement):
                if _name(again) == wanted and again is not first[0] and (not set_up or _arguments(again) == _arguments(
                        first[0])):  # after set-up: the same request again, not a fail-over elsewhere
                    attrs = {"max_attempts": 2, "backoff": "none", "retry_on": exceptions,
                             "mechanism": "call", "library": None}
                    yield f.finding("retry", again, ID, attrs, "medium")
                    break
            else:
                continue
            break


OUTPUT = {"puts", "print", "p", "pp", "printf", "putc"}
# The local filesystem: a file operation done again is no request to another service.
LOCAL_FILES = {"File", "FileUtils", "Dir", "IO", "Pathname", "Tempfile", "::File", "::FileUtils", "::Dir"}
# `connection.send(verb, url, body, headers)`: dynamic dispatch of an HTTP verb on a client object.
CLIENT_RECEIVER = re.compile(r"(?:^|[._])(?:connection|conn|client|http|faraday|session|api)$", re.IGNORECASE)


def _talks(call: Node) -> bool:
    receiver, name = _name(call)
    if name == "call" and receiver == "@app":
        return False  # a Rack middleware's `@app.call(env)`: the next layer of this process (round 19)
    if name in ("send", "public_send", "__send__"):
        return bool(CLIENT_RECEIVER.search(receiver))
    if receiver in LOCAL_FILES:
        return False  # `File.delete(lock)` again after `rescue Errno::EACCES`: the local disk (round 20, 0pdd)
    return bool(IO_VERB.search(name)) and name not in OUTPUT


def _with_nested_begin(statements: list[Node]) -> list[Node]:
    """The rescue's statements, with those of a ``begin`` in it that protects the second try (``rescue
    ConnectionFailed; @connection = nil; begin; connection.send(..); rescue ConnectionFailed => e; raise
    ..; end``)."""
    out: list[Node] = []
    for statement in statements:
        if statement.type == "begin":
            for child in statement.named_children:
                if child.type in ("rescue", "else", "ensure"):
                    break
                out.append(child)
        else:
            out.append(statement)
    return out


def _yield_again(protected: list[Node], rescue: Node, body: Node) -> Node | None:
    """``def with_cache_retry; yield; rescue InvalidToken; clear_token; yield; end``: a block helper
    that runs its block (the caller's request) once more after handling a named error: the second
    ``yield`` (2 attempts). Not after a rescue of everything (a fallback), nor a yield of another
    value (``yield default``)."""
    if len(protected) != 1 or protected[0].type != "yield":
        return None
    exceptions = _exceptions(rescue)
    if not exceptions or any(e in BROAD for e in exceptions):
        return None
    for statement in body.named_children:
        if statement.type == "yield" and text(statement).replace(" ", "") == text(protected[0]).replace(" ", ""):
            return statement
    return None


def _arguments(call: Node) -> str:
    arguments = call.child_by_field_name("arguments") if call.type == "call" else None
    return text(arguments).replace(" ", "") if arguments is not None else ""


def _exceptions(rescue: Node) -> list[str] | None:
    exceptions = rescue.child_by_field_name("exceptions")
    return [syntax.ruby_name(e) for e in exceptions.named_children] if exceptions is not None else None
