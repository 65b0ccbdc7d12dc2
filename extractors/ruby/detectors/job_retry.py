"""Background-job retries and run-time limits: Sidekiq, ActiveJob ``retry_on`` / ``retry_job``, Delayed Job.

What it does: ``sidekiq_options retry: 5`` -> 6 attempts (Sidekiq counts retries;
``retry: true`` is its default of 25, ``false``/``0`` means one attempt), exponential
(Sidekiq's polynomial backoff). ``retry_on Net::ReadTimeout, attempts: 5, wait:
:polynomially_longer`` -> 5 attempts (ActiveJob counts the first; default 5, fixed 3 s
wait unless ``:exponentially_longer``/``:polynomially_longer``). ``sidekiq_options retry_for:
10.minutes`` (Sidekiq 7.1) retries until that window closes: a retry of unknown count.

Why it matters: a job that calls another service re-runs ``perform`` from the top, so
the callee sees repeated requests, minutes apart.

A job that enqueues itself again with its attempt counter raised (``GatherJob.perform_in(1.minute,
id, retry_count + 1) unless retry_count > 3``) retries too: the bound is read from the guard and
the counter's default (``def perform(id, retry_count = 1)`` -> 4 attempts; also a counter kept in the
job's arguments, ``perform_later(params.merge(retry_count: retry_count + 1))`` under ``if ... &&
retry_count < MAX``). A queue consumer that hands a message back for redelivery while its count is
under a bound (``message.retry if message.retries < MAX_RETRIES - 1``) retries bound + 1 times; one
that puts the message it was handed back from its ``rescue`` with no bound (``def process(message) ...
rescue GdsApi::HTTPErrorResponse; message.retry``) retries without end (max_attempts null).
Work handed to a job named for retrying it (``ShareRetry.perform_in(1.minute, id, params)`` after a
failed post; ``*Retry*``/``*Redeliver*`` job classes) is a retry of unknown count (the job's own
settings decide), at the enqueue.
A model (no job itself) handing the failed work to a job with its try counter raised
(``PdfMakerJob.perform_with_delay(id, retry_count + 1)`` after a failed upload) retries too; an
``error_count`` raised counts tries as ``retry_count`` does (round 21).

One enqueue's own option overrides the job's: ``Sidekiq::Client.push("class" => J, "retry" =>
false)`` (and ``push_bulk``) and ``J.set(retry: 3).perform_async(id)``, at the ``retry`` pair.
``retry_job(wait: ...)`` called by the job itself re-enqueues it: a retry whose bound is the
code's own condition (max_attempts unknown). Delayed Job: ``Delayed::Worker.max_attempts = 5``
-> 5 attempts (it counts the first; default 25); resque-retry: ``@retry_limit = 3`` in a class that
``extend Resque::Plugins::Retry`` -> 4 attempts (ExponentialBackoff: the ``@backoff_strategy`` length
+ 1 when no limit is set), ``Delayed::Worker.max_run_time = 4.hours`` ->
a timeout (phase function) on every job's run. ``Sidekiq.default_job_options = { retry: 5 }``: every
job's default (6 attempts), at the assignment.

Sneakers' ``timeout_job_after: 30`` (``Sneakers.configure`` or a worker's ``from_queue``) bounds each
message's ``work``: a timeout (phase function), at the option.

Example: ``sidekiq_options queue: :risk, retry: 3`` -> retry max_attempts 4, mechanism client_config.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts
from extractors.treesitter import text, walk

ID = "ruby.job_retry"
CLASS_NAME = re.compile(r"^(?:[A-Z]\w*)(?:::[A-Z]\w*)*$")
# ActiveJob::Exceptions#retry_job(options): the only keywords it takes
ACTIVEJOB_RETRY_JOB = frozenset({"wait", "wait_until", "queue", "priority", "error"})


@ruby_detector(ID, ("retry", "timeout"),
          valid=("sidekiq_options queue: :low\n", "retry_on = false\n", "retry_job = false\n",
                 "Delayed::Worker.max_priority = 5\n"),
          invalid=("class J\n  sidekiq_options retry: 5\nend\n",
                   "class J < ApplicationJob\n  retry_on Timeout::Error, attempts: 3\nend\n",
                   "class J < ApplicationJob\n  retry_on(*ERRORS)\nend\n",
                   "class J < ApplicationJob\n  def perform\n    retry_job(wait: 5.seconds) if again?\n  end\nend\n",
                   "Delayed::Worker.max_attempts = 3\n",
                   "class J\n  def perform(id, tries = 1)\n    work(id)\n  rescue Timeout::Error\n"
                   "    J.perform_in(60, id, tries + 1) unless tries > 3\n  end\nend\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    yield from _delayed_job(f)
    yield from _sidekiq_defaults(f)
    yield from _delayed_job_methods(f)
    yield from _resque_retry(f)
    yield from _self_enqueues(f)
    yield from _redeliveries(f)
    yield from _flagged_enqueues(f)
    yield from _per_push(f)
    yield from _retry_jobs(f)
    yield from _shoryuken(f)
    yield from _activejob_retry_gem(f)
    yield from _backgrounder(f)
    yield from _karafka_attempt_caps(f)
    yield from _sneakers_timeouts(f)
    yield from _reraise_under_count(f)
    for call in f.calls_named("retry_job"):
        receiver = f.receiver_of(call)
        if receiver not in ("", "self") or syntax.enclosing(call, ("method", "block", "do_block")) is None:
            continue
        site = f.site(call)
        if set(site.kwargs) - ACTIVEJOB_RETRY_JOB:
            continue  # `retry_job(retry_after_header: h)`: the project's own method, not ActiveJob's
        if _polls_until_done(call):
            continue
        wait = site.kwargs["wait"].text if "wait" in site.kwargs else ""
        backoff = "exponential" if "**" in wait or "exponential" in wait or "polynomial" in wait else (
            "fixed" if wait else "none")
        attrs = {"max_attempts": _executions_bound(f, call), "backoff": backoff, "retry_on": None,
                 "mechanism": "call", "library": "activejob"}
        yield f.finding("retry", call, ID, attrs, "medium")
    yield from _bare_retry_jobs(f)
    yield from _requeues(f)
    yield from _requeue_helper_calls(f)
    yield from _same_work_again(f)
    yield from _retry_macros(f)
    yield from _recursive_retries(f)
    for call in f.calls_named("sidekiq_options", "retry_on"):
        if call.child_by_field_name("receiver") is not None:
            continue
        site = f.site(call)
        method = f.method_of(call)
        if method == "sidekiq_options":
            if "retry" not in site.kwargs:
                if "retry_for" in site.kwargs:
                    # Sidekiq 7.1: retry until the window closes (`retry_for: 48.hours`), no count
                    attrs = {"max_attempts": None, "backoff": "exponential", "retry_on": None,
                             "mechanism": "client_config", "library": "sidekiq"}
                    yield f.finding("retry", call, ID, attrs, "medium")
                continue
            yield _sidekiq_retry(f, call, site.kwargs["retry"].node)
        else:
            retry_on = [syntax.ruby_name(a.node) for a in site.args if a.node.type in ("constant", "scope_resolution")]
            # retry_on(*ERRORS): a splatted list of exception classes
            retry_on += [syntax.ruby_name(a.node.named_children[0]) for a in site.args
                         if a.node.type == "splat_argument" and a.node.named_child_count == 1
                         and a.node.named_children[0].type in ("constant", "scope_resolution")]
            # retry_on "Aws::S3::Errors::SlowDown": a class named by a string (its gem may be absent)
            retry_on += [name for name in (syntax.string_literal(a.node) for a in site.args if a.node.type == "string")
                         if name and CLASS_NAME.match(name)]
            # retry_on(*Aggregator::BaseService.retryable_errors, attempts: 6): a list a class hands out,
            # with the retry's own settings given
            if "attempts" in site.kwargs or "wait" in site.kwargs:
                retry_on += [text(a.node.named_children[0]) for a in site.args
                             if a.node.type == "splat_argument" and a.node.named_child_count == 1
                             and a.node.named_children[0].type == "call"
                             and (a.node.named_children[0].child_by_field_name("receiver") is not None)
                             and a.node.named_children[0].child_by_field_name("receiver").type in ("constant", "scope_resolution")]
            retry_on += [name for name in (_iterated_errors(a.node) for a in site.args) if name]
            if not retry_on:
                continue
            if "attempts" in site.kwargs:
                value = site.kwargs["attempts"].node
                if syntax.symbol_name(value) == "unlimited":
                    attempts, pending = None, ()
                else:
                    attempts, pending = max_attempts(value)
                    if attempts is not None and attempts < 1:
                        attempts = normalise_ms(1.0)  # `attempts: 0`: the first run still happens, none after
            else:
                attempts, pending = 5, ()
            wait = site.kwargs["wait"].text if "wait" in site.kwargs else "3.seconds"
            if "exponentially" in wait or "polynomially" in wait:
                backoff = "exponential"
            elif wait.startswith(("->", "lambda", "proc")):
                backoff = None
            else:
                backoff = "fixed"
            attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on,
                     "mechanism": "decorator", "library": "activejob"}
            yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)


def _backgrounder(f: RubyFile) -> Iterable[Finding]:
    """carrierwave_backgrounder's ``c.backend :sidekiq, queue: :media, retry: 2`` (in a
    ``CarrierWave::Backgrounder.configure`` block): the Sidekiq options of its upload jobs."""
    for call in f.calls_named("backend"):
        site = f.site(call)
        if not site.args or syntax.symbol_name(site.args[0].node) != "sidekiq" or "retry" not in site.kwargs:
            continue
        block = syntax.enclosing(call, ("block", "do_block"))
        owner = block.parent if block is not None else None
        if owner is None or owner.type != "call" or "Backgrounder" not in syntax.callee_text(owner):
            continue
        attempts, pending = _sidekiq_attempts(site.kwargs["retry"].node)
        attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
                 "retry_on": None, "mechanism": "client_config", "library": "sidekiq"}
        yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)


def _sidekiq_attempts(value) -> tuple[float | None, tuple]:
    """Sidekiq's ``retry`` option: true -> its default 25 retries (26 attempts), false/0 -> 1."""
    if value.type == "true":
        return 26, ()
    if value.type == "false":
        return 1, ()
    return max_attempts(value, add=1)


ENQUEUE_NOW = ("perform_async", "perform_in", "perform_at", "perform_bulk")


def _per_push(f: RubyFile) -> Iterable[Finding]:
    """The retry option of one enqueue: ``Sidekiq::Client.push("class" => J, "retry" => false)``
    (also ``push_bulk``) and ``J.set(retry: 3).perform_async(id)``; it overrides the job's
    ``sidekiq_options`` for that job."""
    for call in f.calls_named("push", "push_bulk", "set"):
        method = f.method_of(call)
        site = f.site(call)
        if method == "set":
            outer = call.parent
            if outer is None or outer.type != "call" or outer.child_by_field_name("receiver") != call or \
                    f.method_of(outer) not in ENQUEUE_NOW:
                continue
        elif f.receiver_of(call) != "Sidekiq.Client":
            continue
        values = [site.kwargs["retry"].node] if "retry" in site.kwargs else []
        for arg in site.args:  # push({"class" => J, "retry" => false})
            items = syntax.hash_items(arg.node)
            if "retry" in items:
                values.append(items["retry"])
        for value in values:
            attempts, pending = _sidekiq_attempts(value)
            attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
                     "retry_on": None, "mechanism": "client_config", "library": "sidekiq"}
            anchor = value.parent if value.parent is not None and value.parent.type == "pair" else value
            yield f.finding("retry", anchor, ID, attrs, "high" if not pending else "medium", pending=pending)


ACTIVEJOB_RETRY_MACROS = frozenset({"constant_retry", "exponential_retry", "variable_retry", "retry_with"})


def _activejob_retry_gem(f: RubyFile) -> Iterable[Finding]:
    """The activejob-retry gem: ``include ActiveJob::Retry.new(strategy: :exponential, limit: 6)`` (and the
    older class macros ``constant_retry limit: 3`` / ``variable_retry delays: [1, 5, 10]`` in a class that
    includes ``ActiveJob::Retry``). The gem counts ``limit`` in attempts (the first one numbered 1, no retry
    once ``attempt >= limit``; default 1); ``delays`` gives one retry per delay. ``limit: nil`` retries
    without end (max_attempts unknown)."""
    if b"ActiveJob::Retry" not in f.data:
        return
    calls = [c for c in f.calls_named("new") if f.receiver_of(c) in ("ActiveJob::Retry", "ActiveJob.Retry")]
    calls += [c for c in f.calls_named(*ACTIVEJOB_RETRY_MACROS) if f.receiver_of(c) in ("", "self")
              and syntax.enclosing(c, ("class", "module")) is not None]
    for call in calls:
        site = f.site(call)
        attempts, pending = 1, ()
        if "delays" in site.kwargs and site.kwargs["delays"].node.type == "array":
            attempts = site.kwargs["delays"].node.named_child_count + 1
        elif "limit" in site.kwargs:
            limit = site.kwargs["limit"].node
            attempts, pending = (None, ()) if limit.type == "nil" else max_attempts(limit)
        strategy = syntax.symbol_name(site.kwargs["strategy"].node) if "strategy" in site.kwargs else (
            text(call.child_by_field_name("method")).split("_")[0])
        backoff = {"exponential": "exponential", "constant": "fixed", "variable": "fixed"}.get(strategy or "", "fixed")
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None,
                 "mechanism": "client_config", "library": "activejob-retry"}
        anchor = call  # `include ActiveJob::Retry.new(...)`: the include call holding it
        if call.parent is not None and call.parent.type == "argument_list" and call.parent.parent is not None:
            anchor = call.parent.parent
        yield f.finding("retry", anchor, ID, attrs, "high" if attempts is not None else "medium", pending=pending)


def _shoryuken(f: RubyFile) -> Iterable[Finding]:
    """Shoryuken (SQS workers): ``shoryuken_options retry_intervals: [60, 300]`` (or a lambda of the
    attempt) retries a failed message after those delays; past the list the last one repeats, so the
    count is the queue's redrive policy's (``maxReceiveCount``, outside the code): max_attempts
    unknown. Without ``retry_intervals`` SQS redelivers after the visibility timeout: no setting."""
    for call in f.calls_named("shoryuken_options"):
        site = f.site(call)
        if "retry_intervals" not in site.kwargs:
            continue
        value = site.kwargs["retry_intervals"].node
        if value.type in ("nil", "false"):
            continue
        attrs = {"max_attempts": None, "backoff": "exponential" if value.type != "array" else "fixed",
                 "retry_on": None, "mechanism": "client_config", "library": "shoryuken"}
        yield f.finding("retry", call, ID, attrs, "medium")


RETRY_JOB = re.compile(r"(?:^|::|\.)(?:\w*Retry\w*|\w*Redeliver\w*)$")


# A job's own "run me again later" from inside its error handling: ActiveJob's ``retry_job`` (also
# written bare, without parentheses), and the requeue helpers job frameworks and apps give their jobs
# (Mandate's ``requeue_job!(wait)``, ``requeue!``, ``retry_later``).
REQUEUE = frozenset({"requeue_job", "requeue_job!", "requeue", "requeue!", "reenqueue", "re_enqueue",
                     "retry_later", "retry_job_later"})
STATEMENT_PARENTS = frozenset({"body_statement", "then", "else", "rescue", "ensure", "begin", "do_block",
                               "block_body", "if_modifier", "unless_modifier", "program"})


def _executions_bound(f: RubyFile, call) -> float | None:
    """``retry_job wait: ... if executions < 5``: ActiveJob counts this run in ``executions`` (1 on the
    first), so re-enqueueing while it is under 5 makes 5 runs at most (``<= 5``: 6)."""
    found = _guard(call, "executions") or _exit_guard(call, "executions")
    if found is None:
        # `count = executions_for([Net::ReadTimeout])` ... `raise if count >= attempts` (ActiveJob's
        # per-exception count, 1 on the first run) in a rescue_from block
        for node in walk(syntax.scope_of(call)):
            if node.type == "assignment" and node.start_byte < call.start_byte:
                right, left = node.child_by_field_name("right"), node.child_by_field_name("left")
                if right is not None and left is not None and left.type == "identifier" and \
                        text(right).split("(", 1)[0] in ("executions", "executions_for"):
                    found = _guard(call, text(left)) or _exit_guard(call, text(left))
                    if found is not None:
                        break
    if found is None:
        return None
    condition, while_true = found
    bound = condition.child_by_field_name("right")
    if bound is not None and bound.type == "identifier":
        bound = syntax.local_assignment(text(bound), condition) or bound  # `attempts = 6`
    limit, _expr = _limit(f, bound)
    op = syntax._operator(condition)
    if not while_true:
        op = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}.get(op, "")
    if limit is None or op not in ("<", "<="):
        return None
    return normalise_ms(limit if op == "<" else limit + 1)


FAILURE_WORDS = re.compile(r"timeout|timed_out|error|fail|retry|success|ok\?|valid\?", re.I)


def _recursive_retries(f: RubyFile) -> Iterable[Finding]:
    """``generate_verified_address(i += 1) if service.timeout? && i < 2`` inside ``def
    generate_verified_address(i = 0)``: the method calls itself again with its counter raised while
    the last try failed and the counter is under the bound -> bound - start + 1 tries. Only when the
    counter says it counts tries or the condition names the failure (``timeout?``, ``error``):
    ``fetch(page + 1) if page < pages`` is paging."""
    for call in f.calls:
        # the cheap tests first: a call of a method this file defines, without a receiver (walking up from
        # every call of a 3,000-link chain to its method was quadratic)
        if f.receiver_of(call) not in ("", "self") or f.method_of(call) not in f.defined_methods:
            continue
        method = syntax.enclosing(call, ("method",))
        if method is None or f.method_of(call) != text(method.child_by_field_name("name")):
            continue
        counter = _raised_counter(call) or _bumped_counter(call)
        if counter is None:
            continue
        found = _guard(call, counter)
        if found is None:
            continue
        condition, _while_true = found
        owner = next((a for a in syntax.ancestors_of(condition)
                      if a.type in ("if", "unless", "if_modifier", "unless_modifier")), None)
        whole = text(owner.child_by_field_name("condition")) if owner is not None and \
            owner.child_by_field_name("condition") is not None else text(condition)
        if not COUNTER_NAME.search(counter) and not FAILURE_WORDS.search(whole.replace(text(condition), "")):
            continue
        attempts, pending = _guarded_attempts(f, call, counter, method)
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": "none", "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", call, ID, attrs, "medium", pending=pending)


def _bumped_counter(call) -> str | None:
    """The ``i`` of an ``i += 1`` among the call's arguments."""
    arguments = call.child_by_field_name("arguments")
    for node in walk(arguments) if arguments is not None else ():
        if node.type == "operator_assignment" and text(node.child_by_field_name("right")) == "1" and \
                node.child_by_field_name("left").type == "identifier" and "+=" in text(node):
            return text(node.child_by_field_name("left"))
    return None


def _bare_retry_jobs(f: RubyFile) -> Iterable[Finding]:
    """``rescue Net::OpenTimeout ... retry_job`` written without parentheses: the parser sees a bare
    identifier (a statement of its own, not a local: nothing assigns it), the same re-enqueue."""
    if b"retry_job" not in f.data or b"def retry_job" in f.data:
        return
    # `retry_job(retry_after_header: h)` in the same class: the project's own retry_job (polling on)
    own = [syntax.enclosing(c, ("class",)) for c in f.calls_named("retry_job")
           if set(f.site(c).kwargs) - ACTIVEJOB_RETRY_JOB]
    for node in walk(f.root):
        if node.type != "identifier" or text(node) != "retry_job" or node.parent is None \
                or node.parent.type not in STATEMENT_PARENTS:
            continue
        if node.parent.type in ("if_modifier", "unless_modifier") and node.parent.named_children[0] != node:
            continue  # `... if retry_job`: a condition
        if syntax.local_assignment("retry_job", node) is not None or \
                syntax.enclosing(node, ("method", "singleton_method", "do_block", "block")) is None or \
                syntax.enclosing(node, ("class",)) in own or _polls_until_done(node):
            continue
        attrs = {"max_attempts": None, "backoff": "none", "retry_on": None, "mechanism": "call",
                 "library": "activejob"}
        yield f.finding("retry", node, ID, attrs, "medium")


def _requeues(f: RubyFile) -> Iterable[Finding]:
    """``rescue RestClient::TooManyRequests ... requeue_job!(rand(10..119))``: a job putting itself
    back on the queue from its error handling is a retry of the failed work, bounded by nothing the
    code says (max_attempts unknown), with the wait it passes as backoff. Only inside a ``rescue``
    clause: elsewhere a requeue may be plain scheduling."""
    for call in f.calls_named(*REQUEUE):
        if syntax.enclosing(call, ("rescue",)) is None:
            continue
        receiver = f.receiver_of(call)
        if receiver not in ("", "self"):
            continue
        if _rescheduled_anyway(f, call):
            continue
        site = f.site(call)
        wait = site.args[0].text if site.args else (site.kwargs["wait"].text if "wait" in site.kwargs else "")
        backoff = "random" if "rand" in wait else ("fixed" if wait else "none")
        attrs = {"max_attempts": None, "backoff": backoff, "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", call, ID, attrs, "medium")


def _iterated_errors(node) -> str | None:
    """``RETRY_ERRORS.each do |err| retry_on(err, attempts: 5) end`` in a job's class body (round 22,
    caseflow): the block parameter stands for each class of the constant's list."""
    if node.type != "identifier":
        return None
    for parent in syntax.ancestors_of(node):
        if parent.type in ("method", "singleton_method", "class", "module"):
            return None
        if parent.type not in ("do_block", "block"):
            continue
        params = parent.child_by_field_name("parameters")
        names = [text(p) for p in (params.named_children if params is not None else ())]
        call = parent.parent
        if text(node) not in names or call is None or call.type != "call":
            return None
        receiver = call.child_by_field_name("receiver")
        if text(call.child_by_field_name("method")) == "each" and receiver is not None and \
                receiver.type in ("constant", "scope_resolution"):
            return syntax.ruby_name(receiver)
        return None
    return None


def _same_work_again(f: RubyFile) -> Iterable[Finding]:
    """A job enqueued again from a ``rescue`` of named errors with the same work (round 22, campsite):
    ``rescue Slack::...::TooManyRequestsError => e; SyncJob.perform_in(e.retry_after || 30, integration_id,
    next_cursor)`` in the job's own ``perform(integration_id, next_cursor)``, or a Sidekiq server
    middleware's ``worker.class.perform_in(e.retry_after.seconds, *job["args"])``: the failed run tried again
    later, bounded by no count (max_attempts unknown). Not when the counter-raising rule sees a counter, nor
    when the same enqueue also runs outside error handling (periodic work)."""
    for call in f.calls_named("perform_in", "perform_at", "perform_async", "perform_later"):
        rescue = syntax.enclosing(call, ("rescue", "method", "singleton_method", "class"))
        method = syntax.enclosing(call, ("method", "singleton_method"))
        if rescue is None or rescue.type != "rescue" or method is None or _raised_counter(call) is not None:
            continue
        errors = rescue.child_by_field_name("exceptions")
        if errors is None or not errors.named_children:
            continue  # a bare `rescue`: anything, a local error too
        if any(NOT_READY_ERROR.search(text(e)) for e in errors.named_children):
            continue  # `rescue MergeRequest::NotReady; Job.set(wait: 10.seconds).perform_later(stack)`: a poll
        receiver = f.receiver_of(call)
        head = receiver.split(".set", 1)[0] if ".set" in receiver else receiver
        site = f.site(call)
        passed = [a.text for a in site.args]
        klass = syntax.enclosing(call, ("class",))
        own = syntax.callee_text(klass.child_by_field_name("name")).split(".")[-1] if klass is not None else ""
        name = text(method.child_by_field_name("name"))
        params = [p for _position, p, _default in _method_params(method)]
        if name == "call" and len(params) >= 2 and head == f"{params[0]}.class" and \
                any(re.fullmatch(r"\*" + re.escape(params[1]) + r"\[['\"]args['\"]\]", p) for p in passed):
            pass  # a Sidekiq server middleware's `call(worker, job, queue)` sending the job again
        elif name == "perform" and (head in ("self.class", "self") or head.split(".")[-1] == own) and params \
                and passed[-len(params):] == params:
            pass  # the job's own arguments, as it received them
        else:
            continue
        if _rescheduled_anyway(f, call):
            continue
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", call, ID, attrs, "low")


# An error saying the remote state is not there yet (shipit's `MergeRequest::NotReady`): asking again later
# is a poll of that state, not a failed call tried again.
NOT_READY_ERROR = re.compile(r"Not\w*(?:Ready|Yet|TerminalState|Complete[d]?|Finished|FullyLive|Done)\b|Pending|"
                             r"InProgress|StillProcessing|Waiting")


def _method_params(method) -> list[tuple[int | None, str, object]]:
    params = method.child_by_field_name("parameters")
    out = []
    for param in params.named_children if params is not None else ():
        if param.type == "identifier":
            out.append((len(out), text(param), None))
        elif param.type in ("optional_parameter", "keyword_parameter"):
            out.append((len(out), text(param.child_by_field_name("name")), param.child_by_field_name("value")))
    return out


RETRY_MACRO = re.compile(r"^\w*retr(?:y|ies)\w*$")
RETRY_MACRO_COUNTS = {"max_attempts": 0.0, "attempts": 0.0, "max_retries": 1.0, "retries": 1.0}


def _retry_macros(f: RubyFile) -> Iterable[Finding]:
    """A project's own retry declaration in a job's class body (round 22, tramline's Reenqueuer:
    ``enduring_retry_on Installations::Error, reason: :build_not_found, max_attempts: 800, backoff: {...}``):
    a receiver-less call named for retrying, other than ActiveJob's ``retry_on`` and Sidekiq's, given a
    count (``max_attempts`` / ``attempts`` count every run, ``max_retries`` / ``retries`` the runs after the
    first), at the call."""
    for call in f.calls:
        name = f.method_of(call)
        if call.child_by_field_name("receiver") is not None or not RETRY_MACRO.match(name) or \
                name in ("retry_on", "sidekiq_retry_in", "sidekiq_retries_exhausted", "retry_job") or \
                name in f.defined_methods:
            continue
        if syntax.enclosing(call, ("method", "singleton_method", "block", "do_block", "class")) is None or \
                syntax.enclosing(call, ("method", "singleton_method", "block", "do_block", "class")).type != "class":
            continue
        klass = syntax.enclosing(call, ("class",))
        if klass is None or not _job_class(klass):
            continue
        site = f.site(call)
        key = next((k for k in RETRY_MACRO_COUNTS if k in site.kwargs), None)
        if key is None or not any(a.node.type in ("constant", "scope_resolution") for a in site.args):
            continue
        attempts, pending = max_attempts(site.kwargs[key].node, add=RETRY_MACRO_COUNTS[key])
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "decorator",
                 "library": None}
        yield f.finding("retry", call, ID, attrs, "medium" if not pending else "low", pending=pending)


def _rescheduled_anyway(f: RubyFile, call) -> bool:
    """The same requeue is also made outside error handling in the method (``gitlab_integration.user_info;
    re_enqueue(id, 6.hours) rescue => e; re_enqueue(id, 1.hour)``: a keep-alive job that schedules its
    next run whatever happens, round 22 tramline): periodic work, not a failed run tried again."""
    method = syntax.enclosing(call, ("method", "singleton_method"))
    if method is None:
        return False
    name = f.method_of(call)
    return any(f.method_of(other) == name and f.receiver_of(other) in ("", "self")
               and syntax.enclosing(other, ("method", "singleton_method")) == method
               and syntax.enclosing(other, ("rescue",)) is None for other in f.calls_named(name))


DONE_STATE = re.compile(r"(?:finali[sz]ed|finished|complete[d]?|done|ready|delivered|processed|settled|terminal)\??$")


def _polls_until_done(node) -> bool:
    """``retry_job wait: 5.minutes unless consultee_email.finalized?`` in ``perform``: the job asks a
    remote status again until it is final (round 19, bops), a poll rather than a retry of a failure.
    Not from error handling."""
    if _in_error_handler(node):
        return False
    for parent in syntax.ancestors_of(node):
        if parent.type in ("method", "singleton_method", "class", "module", "do_block", "block"):
            return False
        if parent.type in ("if", "unless", "if_modifier", "unless_modifier", "elsif"):
            condition = parent.child_by_field_name("condition")
            if condition is None or syntax.is_inside(node, condition):
                continue
            words = text(condition).strip()
            if parent.type.startswith("unless") and DONE_STATE.search(words) and not FAILURE_WORDS.search(words):
                return True
    return False


def _in_error_handler(node) -> bool:
    """Inside a ``rescue`` clause or an ActiveJob ``rescue_from(...) do ... end`` block."""
    for parent in syntax.ancestors_of(node):
        if parent.type in ("method", "singleton_method", "class", "module"):
            return False
        if parent.type == "rescue":
            return True
        if parent.type in ("do_block", "block") and parent.parent is not None and parent.parent.type == "call" \
                and text(parent.parent.child_by_field_name("method")) == "rescue_from":
            return True
    return False


def _requeue_helpers(f: RubyFile) -> dict:
    """The methods of a job class that put the job itself back on the queue (``def reschedule_job(time
    = 1.hour.from_now) self.class.set(wait_until: time).perform_later(*arguments) end``): name -> class."""
    out = {}
    for call in f.calls_named(*ENQUEUE):
        method = syntax.enclosing(call, ("method",))
        klass = syntax.enclosing(call, ("class",))
        if method is None or klass is None or text(method.child_by_field_name("name")) == "perform":
            continue
        receiver = f.receiver_of(call)
        own = syntax.callee_text(klass.child_by_field_name("name")).split(".")[-1]
        head = receiver.split(".set", 1)[0] if ".set" in receiver else receiver
        if head.split(".")[-1] != own and head != "self.class":
            continue
        if "arguments" not in text(call.child_by_field_name("arguments") or call):
            continue  # the same job with other work (`perform_later(next_batch)`): no re-run of this one
        out[text(method.child_by_field_name("name"))] = klass.id
    return out


def _own_errors_only(f: RubyFile, node) -> bool:
    """The handler rescues only error classes this file defines (``class SendingDisabledError <
    RuntimeError; end`` raised by the job's own ``before_perform`` check): a run put off on a local
    condition, no failed call tried again (round 19, e-petitions' FeedbackEmailJob)."""
    own = {syntax.callee_text(c.child_by_field_name("name")).split(".")[-1] for c in walk(f.root) if c.type == "class"}
    for parent in syntax.ancestors_of(node):
        if parent.type in ("method", "singleton_method", "class", "module"):
            return False
        if parent.type == "rescue":
            errors = parent.child_by_field_name("exceptions")
            names = [text(c) for c in (errors.named_children if errors is not None else ())]
        elif parent.type in ("do_block", "block") and parent.parent is not None and parent.parent.type == "call" \
                and text(parent.parent.child_by_field_name("method")) == "rescue_from":
            names = [a.text for a in f.site(parent.parent).args]
        else:
            continue
        return bool(names) and all(n.split("::")[-1] in own for n in names)
    return False


def _requeue_helper_calls(f: RubyFile) -> Iterable[Finding]:
    """``rescue_from(*DELAY_FOR_1_HOUR) do reschedule_job 1.hour.from_now end`` with the job's own
    ``reschedule_job`` re-enqueueing it with its ``arguments``: a retry of the failed run, unbounded
    by any count (round 19, bops), at each call made from error handling."""
    if b"arguments" not in f.data or b"perform" not in f.data:
        return
    helpers = _requeue_helpers(f)
    if not helpers:
        return
    nodes = [c for c in f.calls if f.method_of(c) in helpers and f.receiver_of(c) in ("", "self")]
    nodes += [n for n in walk(f.root) if n.type == "identifier" and text(n) in helpers
              and n.parent is not None and n.parent.type in STATEMENT_PARENTS
              and not (n.parent.type in ("if_modifier", "unless_modifier") and n.parent.named_children[0] != n)]
    for node in nodes:
        name = f.method_of(node) if node.type == "call" else text(node)
        klass = syntax.enclosing(node, ("class",))
        if klass is None or klass.id != helpers[name] or not _in_error_handler(node) or _own_errors_only(f, node):
            continue
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", node, ID, attrs, "medium")


def _retry_jobs(f: RubyFile) -> Iterable[Finding]:
    """``ShareRetry.perform_in(1.minute, id, params)``: work handed to a job named for retrying it
    (``*Retry*``, ``*Redeliver*``) is tried again later; how often is that job's own business
    (max_attempts unknown). Not when the job enqueues itself (see ``_self_enqueues``)."""
    for call in f.calls_named(*ENQUEUE):
        receiver = f.receiver_of(call)
        if not receiver or not RETRY_JOB.search(receiver) or receiver.split(".")[-1] in ("self", "class"):
            continue
        klass = syntax.enclosing(call, ("class",))
        own = syntax.callee_text(klass.child_by_field_name("name")).split(".")[-1] if klass is not None else ""
        if receiver.split(".")[-1] == own:
            continue
        if f.method_of(call) in ("perform_later", "perform_async") and ".set" not in receiver \
                and not _after_failure(call):
            continue  # `RetryAllJob.perform_later(ids)` from a service a user calls: an action, not a retry
        attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", call, ID, attrs, "low")


def _after_failure(call) -> bool:
    """Inside a rescue clause, or a branch whose condition names a failure (``unless response.ok?``)."""
    for parent in syntax.ancestors_of(call):
        if parent.type in ("method", "singleton_method", "class", "module"):
            return False
        if parent.type == "rescue":
            return True
        if parent.type in ("if", "unless", "if_modifier", "unless_modifier", "elsif"):
            condition = parent.child_by_field_name("condition")
            if condition is not None and FAILURE_WORDS.search(text(condition)):
                return True
    return False


RESQUE_RETRY = ("Resque.Plugins.Retry", "Resque.Plugins.ExponentialBackoff")


def _resque_retry(f: RubyFile) -> Iterable[Finding]:
    """resque-retry: a job class that ``extend Resque::Plugins::Retry`` (or ``ExponentialBackoff``)
    and sets ``@retry_limit = 3`` retries 3 times after the first run (4 attempts); with
    ExponentialBackoff and no limit, ``@backoff_strategy = [0, 60, 600]`` sets it (one retry per
    delay: 4 attempts). An ``@retry_limit`` in a method body or a class without the plugin is some
    object's state."""
    for klass in walk(f.root):
        if klass.type != "class":
            continue
        body = next((c for c in klass.named_children if c.type == "body_statement"), None)
        if body is None:
            continue
        plugins = [syntax.callee_text(c.child_by_field_name("arguments").named_children[0])
                   for c in body.named_children if c.type == "call" and f.method_of(c) == "extend"
                   and c.child_by_field_name("arguments") is not None
                   and c.child_by_field_name("arguments").named_child_count]
        plugin = next((p for p in plugins if p in RESQUE_RETRY), None)
        if plugin is None:
            continue
        settings = {}
        for child in body.named_children:
            left = child.child_by_field_name("left") if child.type == "assignment" else None
            if left is not None and left.type == "instance_variable":
                settings[text(left)] = child
        backoff = "exponential" if plugin.endswith("ExponentialBackoff") else "fixed"
        if "@retry_limit" in settings:
            assign = settings["@retry_limit"]
            attempts, pending = max_attempts(assign.child_by_field_name("right"), add=1.0)
            if attempts is None and not pending:
                continue
        elif "@backoff_strategy" in settings and backoff == "exponential":
            assign = settings["@backoff_strategy"]
            strategy = assign.child_by_field_name("right")
            if strategy is None or strategy.type != "array":
                continue
            attempts, pending = normalise_ms(float(strategy.named_child_count + 1)), ()
        else:
            continue
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": None, "mechanism": "client_config",
                 "library": "resque-retry"}
        yield f.finding("retry", assign, ID, attrs, "high" if not pending else "medium", pending=pending)


def _sneakers_timeouts(f: RubyFile) -> Iterable[Finding]:
    """Sneakers: ``Sneakers.configure(timeout_job_after: 30, ..)`` (every worker's default) and a worker's
    ``from_queue "q", timeout_job_after: 90`` kill a message's ``work`` after that many seconds: a
    timeout (phase function) on each job run, at the option's line (round 18 request)."""
    for call in f.calls_named("configure", "from_queue"):
        receiver = f.receiver_of(call)
        if (f.method_of(call) == "configure" and receiver != "Sneakers") or (
                f.method_of(call) == "from_queue" and (receiver not in ("", "self") or b"Sneakers" not in f.data)):
            continue
        site = f.site(call)
        if "timeout_job_after" not in site.kwargs:
            continue
        value = site.kwargs["timeout_job_after"].node
        pair = value.parent if value.parent is not None and value.parent.type == "pair" else call
        yield f.timeout(pair, value, "function", ID, "sneakers")


def _delayed_job(f: RubyFile) -> Iterable[Finding]:
    """``Delayed::Worker.max_attempts = 5`` and ``Delayed::Worker.max_run_time = 2.hours``."""
    for match in f.setters:
        receiver = match.get("receiver", [None])[0]
        attr = match.get("attr", [None])[0]
        if receiver is None or attr is None or syntax.callee_text(receiver) != "Delayed.Worker":
            continue
        name = text(attr)
        assign, value = match["assign"][0], match["value"][0]
        if name == "max_attempts":
            attempts, pending = max_attempts(value)
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                     "mechanism": "client_config", "library": "delayed_job"}
            yield f.finding("retry", assign, ID, attrs, "high" if not pending else "medium", pending=pending)
        elif name == "max_run_time":
            yield f.timeout(assign, value, "function", ID, "delayed_job")


def _sidekiq_defaults(f: RubyFile) -> Iterable[Finding]:
    """``Sidekiq.default_job_options = { retry: 5 }`` (``default_worker_options`` before Sidekiq 7): the
    retry count of every job that sets none of its own (6 attempts), at the assignment."""
    for match in f.setters:
        receiver = match.get("receiver", [None])[0]
        attr = match.get("attr", [None])[0]
        if receiver is None or attr is None or syntax.callee_text(receiver) != "Sidekiq" or \
                text(attr) not in ("default_job_options", "default_worker_options"):
            continue
        assign, value = match["assign"][0], match["value"][0]
        if value.type != "hash":
            continue
        for pair in value.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is None or text(key).strip(":\"'") != "retry":
                continue
            retry = pair.child_by_field_name("value")
            if retry is not None:
                yield _sidekiq_retry(f, assign, retry)


def _sidekiq_retry(f: RubyFile, anchor, value) -> Finding:
    """Sidekiq's ``retry`` option: ``true`` its default of 25 retries (26 attempts), ``false`` one attempt,
    a count N retries (N + 1)."""
    if value.type == "true":
        attempts, pending = 26, ()
    elif value.type == "false":
        attempts, pending = 1, ()
    else:
        attempts, pending = max_attempts(value, add=1)
    attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
             "retry_on": None, "mechanism": "client_config", "library": "sidekiq"}
    return f.finding("retry", anchor, ID, attrs, "high" if not pending else "medium", pending=pending)


def _job_class(klass) -> bool:
    """A class whose objects are jobs: it defines ``perform``, or its name or superclass ends in Job."""
    name = syntax.callee_text(klass.child_by_field_name("name"))
    superclass = klass.child_by_field_name("superclass")
    sup = syntax.callee_text(superclass.named_children[0]) if superclass is not None and superclass.named_child_count else ""
    if name.endswith("Job") or sup.endswith("Job"):
        return True
    return any(m.type == "method" and text(m.child_by_field_name("name")) == "perform"
               and syntax.enclosing(m, ("class",)) == klass for m in walk(klass))


def _only_value(method):
    """The single expression a method without parameters returns (``def max_attempts; 3; end``)."""
    params = method.child_by_field_name("parameters")
    if params is not None and params.named_child_count:
        return None
    body = method.child_by_field_name("body") or next(
        (c for c in method.named_children if c.type == "body_statement"), None)
    if body is None:
        return None
    statements = [c for c in body.named_children if c.type != "comment"] if body.type == "body_statement" else [body]
    return statements[0] if len(statements) == 1 else None


def _delayed_job_methods(f: RubyFile) -> Iterable[Finding]:
    """A Delayed Job job's own settings: ``def max_attempts; 3; end`` (the attempts of this job,
    the first counted), ``@max_attempts = 3`` in a job that reads it back (``attr_reader
    :max_attempts``), ``def max_run_time; 15.minutes; end`` (its run-time limit). Only in a job
    class (it defines ``perform`` or is named ...Job); a method returning another object's count
    (``handler.max_attempts``) delegates and is none."""
    for node in walk(f.root):
        if node.type == "method" and text(node.child_by_field_name("name")) in ("max_attempts", "max_run_time"):
            klass = syntax.enclosing(node, ("class",))
            value = _only_value(node)
            if klass is None or value is None or not _job_class(klass):
                continue
            if text(node.child_by_field_name("name")) == "max_run_time":
                if value.type in ("integer", "float", "call", "constant", "scope_resolution", "binary") and \
                        not (value.type == "call" and value.child_by_field_name("receiver") is None):
                    finding = f.timeout(node, value, "function", ID, "delayed_job")
                    if finding.kind == "timeout" and (finding.attributes.get("timeout_ms") is not None or finding.pending):
                        yield finding
                continue
            if value.type not in ("integer", "constant", "scope_resolution"):
                continue
            attempts, pending = max_attempts(value)
            if attempts is None and not pending:
                continue
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                     "mechanism": "client_config", "library": "delayed_job"}
            yield f.finding("retry", node, ID, attrs, "high" if not pending else "medium", pending=pending)
        elif node.type == "assignment" and text(node.child_by_field_name("left") or node) == "self.max_run_time" \
                and syntax.enclosing(node, ("method", "singleton_method")) is None:
            # `class_attribute :max_run_time; self.max_run_time = 4.hours` in a job class body: the
            # value Delayed Job reads from each job of the class (and its subclasses)
            klass = syntax.enclosing(node, ("class",))
            value = node.child_by_field_name("right")
            if klass is None or value is None or not _job_class(klass):
                continue
            finding = f.timeout(node, value, "function", ID, "delayed_job")
            if finding.kind == "timeout" and (finding.attributes.get("timeout_ms") is not None or finding.pending):
                yield finding
        elif node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or text(left) != "@max_attempts" or right.type not in ("integer", "constant", "scope_resolution"):
                continue
            klass = syntax.enclosing(node, ("class",))
            if klass is None or not _job_class(klass) or syntax.enclosing(node, ("method",)) is None:
                continue
            attempts, pending = max_attempts(right)
            if attempts is None and not pending:
                continue
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": None,
                     "mechanism": "client_config", "library": "delayed_job"}
            yield f.finding("retry", node, ID, attrs, "high" if not pending else "medium", pending=pending)


ENQUEUE = ("perform_in", "perform_at", "perform_async", "perform_later", "defer")
# A counter name that says it counts tries (a raised `page + 1` outside `perform` is paging).
COUNTER_NAME = re.compile(r"retr|attempt|tries|tried|failures|error_count|errors_count", re.I)
RETRY_METHOD = re.compile(r"^(?:schedule_|enqueue_|)(?:retry|retries|requeue)(?:_|$)|_retry$", re.I)
# A counter that walks through the work (`perform_later(batch_number + 1)` after a batch of a
# backfill): paging, not a retry, even inside `perform`.
PAGING_NAME = re.compile(r"batch|page|offset|cursor|chunk|part|index|idx|step|position|shard|slice|cycle|round|generation|depth|level", re.I)


def _self_enqueues(f: RubyFile) -> Iterable[Finding]:
    """``Job.perform_in(delay, id, retry_count + 1) unless retry_count > 3`` inside ``Job#perform``
    (also ``Job.set(wait: d).perform_later(params.merge(retry_count: retry_count + 1))`` under an
    ``if ... && retry_count < MAX``)."""
    for call in f.calls:
        name = f.method_of(call)
        if name not in ENQUEUE and not (name.startswith("perform_") and name not in ENQUEUE_NOW):
            continue
        method = syntax.enclosing(call, ("method",))
        klass = syntax.enclosing(call, ("class",))
        if method is None or klass is None:
            continue
        receiver = f.receiver_of(call)
        own = syntax.callee_text(klass.child_by_field_name("name")).split(".")[-1]
        head = receiver.split(".set", 1)[0] if ".set" in receiver else receiver
        counter = _raised_counter(call)
        local_counter = _raised_local_counter(call) if counter is None else None
        if head.split(".")[-1] != own and head not in ("self.class", "self"):
            # `PdfMakerJob.perform_with_delay(id, retry_count + 1)` from the model whose upload failed
            # (round 21, correspondence-tool-staff): a job handed the work again with its try counter raised
            # (a job handing its counter to another job is not: that job is other work)
            if not (counter and COUNTER_NAME.search(counter) and re.search(r"(?:Job|Worker)$", head)) \
                    or re.search(r"(?:Job|Worker)$", own) or any(
                        m.type == "method" and text(m.child_by_field_name("name")) == "perform" for m in walk(klass)):
                continue
        elif name not in ENQUEUE:
            continue
        if local_counter is not None and RETRY_METHOD.search(text(method.child_by_field_name("name"))) \
                and not PAGING_NAME.search(local_counter):
            # `def handle_retry(count, ...) if count < MAX_RETRIES; attempt = count + 1;
            # Job.set(wait: ...).perform_async(id, attempt)` (round 22, tramline): the counter raised
            # into a local first; at the comparison, as job re-enqueues are labelled
            found = _guard(call, local_counter)
            attempts, pending = _guarded_attempts(f, call, local_counter, method)
            if found is not None and (attempts is not None or pending):
                attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "call",
                         "library": None}
                yield f.finding("retry", found[0], ID, attrs, "medium", pending=pending)
                continue
        if counter is None and RETRY_METHOD.search(text(method.child_by_field_name("name"))) \
                and not _called_only_to_poll(f, text(method.child_by_field_name("name"))):
            # `def schedule_retry(customer) ... ViesCheckJob.set(wait: delay).perform_later(customer)`:
            # the job enqueued again by a method named for retrying, no count kept in its arguments
            attrs = {"max_attempts": None, "backoff": "fixed", "retry_on": None, "mechanism": "call",
                     "library": None}
            yield f.finding("retry", call, ID, attrs, "low")
            continue
        if counter is None and _once_flag(f, call, method):
            # `raise if invoice || ...` ... `self.class.set(wait: 3.seconds).perform_later(x, invoice: result.invoice)`:
            # the re-run carries the first run's result, and a run given one gives up: one retry
            attrs = {"max_attempts": 2, "backoff": "fixed", "retry_on": None, "mechanism": "call", "library": None}
            yield f.finding("retry", call, ID, attrs, "medium")
            continue
        if counter is None or (PAGING_NAME.search(counter) and not COUNTER_NAME.search(counter)):
            continue
        if text(method.child_by_field_name("name")) != "perform" and not COUNTER_NAME.search(counter):
            # a command object re-deferring itself (Mandate's `self.class.defer(x, retries_count:
            # retries_count + 1, wait: 60)`) from any method: only a counter of tries makes it a retry
            continue
        attempts, pending = _guarded_attempts(f, call, counter, method)
        attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": None, "mechanism": "call",
                 "library": None}
        yield f.finding("retry", call, ID, attrs, "medium" if attempts is not None else "low", pending=pending)


POLL_CONDITION = re.compile(r"poll|pending|waiting|not_ready|in_progress|processing", re.I)


def _called_only_to_poll(f: RubyFile, name: str) -> bool:
    """``elsif continue_polling? then requeue``: a job asking again for a result that is not there
    yet (register-trainee-teachers' TRN request poll) re-enqueues itself under a condition about
    polling, not after a failure: every call of the method in the file sits under such a condition."""
    calls = [c for c in f.calls if f.method_of(c) == name and f.receiver_of(c) in ("", "self")]
    calls += [n for n in walk(f.root) if n.type == "identifier" and text(n) == name
              and n.parent is not None and n.parent.type in STATEMENT_PARENTS]
    if not calls:
        return False
    for call in calls:
        polled = False
        for parent in syntax.ancestors_of(call):
            if parent.type in ("method", "singleton_method"):
                break
            if parent.type in ("if", "elsif", "unless", "if_modifier", "unless_modifier", "while", "until"):
                condition = parent.child_by_field_name("condition")
                if condition is not None and not syntax.is_inside(call, condition) \
                        and POLL_CONDITION.search(text(condition)):
                    polled = True
                    break
        if not polled:
            return False
    return True


def _raised_counter(call) -> str | None:
    """The ``n`` of an ``n + 1`` among the call's arguments (also inside a hash or a merge)."""
    arguments = call.child_by_field_name("arguments")
    for node in walk(arguments) if arguments is not None else ():
        if node.type == "binary" and syntax._operator(node) == "+" and text(node.child_by_field_name("right")) == "1" \
                and node.child_by_field_name("left").type == "identifier":
            return text(node.child_by_field_name("left"))
    return None


def _raised_local_counter(call) -> str | None:
    """The ``n`` of a local ``attempt = n + 1`` handed to the call as an argument."""
    arguments = call.child_by_field_name("arguments")
    for node in arguments.named_children if arguments is not None else ():
        if node.type != "identifier":
            continue
        made = syntax.local_assignment(text(node), call)
        if made is not None and made.type == "binary" and syntax._operator(made) == "+" and \
                text(made.child_by_field_name("right")) == "1" and made.child_by_field_name("left").type == "identifier":
            return text(made.child_by_field_name("left"))
    return None


def _guard(call, counter: str):
    """(comparison with the counter, retry-while-true) of the ``if``/``unless`` (modifier or block)
    around the call, the part of a conjunction that names the counter."""
    child = call
    for parent in syntax.ancestors_of(call):
        if parent.type in ("method", "singleton_method", "class", "module"):
            return None
        if parent.type in ("if_modifier", "unless_modifier", "if", "unless") and \
                child != parent.child_by_field_name("condition"):
            alternative = parent.child_by_field_name("alternative")
            if alternative is not None and syntax.is_inside(call, alternative):
                return None
            comparison = _counter_comparison(parent.child_by_field_name("condition"), counter)
            if comparison is not None:
                return comparison, parent.type in ("if_modifier", "if")
        child = parent
    return None


def _counter_comparison(condition, counter: str):
    if condition is None:
        return None
    if condition.type == "parenthesized_statements" and condition.named_child_count == 1:
        return _counter_comparison(condition.named_children[0], counter)
    if condition.type != "binary":
        return None
    op = syntax._operator(condition)
    if op in ("&&", "and"):
        return _counter_comparison(condition.child_by_field_name("left"), counter) or \
            _counter_comparison(condition.child_by_field_name("right"), counter)
    if op in ("<", "<=", ">", ">=") and text(condition.child_by_field_name("left")) == counter:
        return condition
    return None


def _limit(f: RubyFile, node):
    """The bound as a number (file constants folded) or an expression for the pipeline; also the
    length of a constant list of the file (``BACKOFF.length`` with ``BACKOFF = [1.minute, ...]``)."""
    if node is not None and node.type == "call" and f.method_of(node) in ("length", "size", "count") \
            and node.child_by_field_name("arguments") is None:
        receiver = node.child_by_field_name("receiver")
        if receiver is not None and receiver.type == "constant":
            for assign in walk(f.root):
                if assign.type == "assignment" and text(assign.child_by_field_name("left")) == text(receiver):
                    right = assign.child_by_field_name("right")
                    while right is not None and right.type == "call" and f.method_of(right) == "freeze":
                        right = right.child_by_field_name("receiver")
                    if right is not None and right.type == "array":
                        return float(right.named_child_count), syntax.to_expr(node)
    expr = syntax.to_expr(node)
    number = syntax.settle(expr)
    if number is None:
        from contract_discovery.values import evaluate

        found = evaluate(expr, lambda name: (f.constants[name], "constant") if name in f.constants else None)
        if isinstance(found.value, (int, float)) and not isinstance(found.value, bool):
            number = float(found.value)
    return number, expr


def _counter_start(counter: str, call, method) -> float | None:
    """The counter's first value: a parameter's default, a local's fallback (``params[:n] || 0``), else 0."""
    params = method.child_by_field_name("parameters")
    for param in params.named_children if params is not None else []:
        if param.type in ("optional_parameter", "keyword_parameter") and text(param.child_by_field_name("name")) == counter:
            return syntax.settle(syntax.to_expr(param.child_by_field_name("value")))
    bound = syntax.local_assignment(counter, call)
    if bound is not None:
        if bound.type == "binary" and syntax._operator(bound) in ("||", "or"):
            return syntax.settle(syntax.to_expr(bound.child_by_field_name("right")))
        number = syntax.settle(syntax.to_expr(bound))
        if number is None and bound.type == "call" and f_method(bound) == "to_i" and \
                (bound.child_by_field_name("receiver") or bound).type == "element_reference":
            return 0.0  # `params['attempt'].to_i`: absent on the first run, nil.to_i is 0
        return number
    # a class macro declaring the constructor's keyword defaults (Mandate's `initialize_with :user,
    # attempt: 1`, dry-initializer's `option :attempt, default: ...` is not read)
    klass = syntax.enclosing(call, ("class",))
    body = next((c for c in klass.named_children if c.type == "body_statement"), None) if klass is not None else None
    for statement in body.named_children if body is not None else ():
        if statement.type != "call" or f_method(statement) not in ("initialize_with",):
            continue
        for pair in walk(statement):
            if pair.type == "pair" and syntax.pair_key(pair) == counter:
                number = syntax.settle(syntax.to_expr(pair.child_by_field_name("value")))
                if number is not None:
                    return number
    return 0.0


def f_method(call) -> str:
    method = call.child_by_field_name("method")
    return text(method) if method is not None else ""


EXITS = ("raise", "fail", "return", "next", "break")


def _exit_guard(call, counter: str):
    """``raise Unavailable if retries_count >= MAX_RETRIES`` / ``return if attempt > BACKOFF.length``:
    a statement before the call in the same body that leaves when the counter is spent, so the call
    runs while the condition is false (as ``... unless`` around it)."""
    statement = call
    while statement.parent is not None and statement.parent.type not in (
            "body_statement", "then", "else", "rescue", "begin", "block_body", "do_block"):
        statement = statement.parent
    body = statement.parent
    if body is None:
        return None
    for sibling in body.named_children:
        if sibling.start_byte >= statement.start_byte:
            break
        if sibling.type in ("if_modifier", "unless_modifier"):
            action = sibling.named_children[0] if sibling.named_children else None
        elif sibling.type in ("if", "unless") and sibling.child_by_field_name("alternative") is None:
            # `if attempt > 3 ... raise e end`: a block whose last statement leaves
            consequence = sibling.child_by_field_name("consequence")
            action = consequence.named_children[-1] if consequence is not None and consequence.named_children else None
        else:
            continue
        if action is None or not _leaves(action):
            continue
        condition = sibling.child_by_field_name("condition")
        unless = sibling.type in ("unless_modifier", "unless")
        # `return if attempt > MAX || (resp && resp.ok?)`: either side alone leaves, so the call
        # runs only while the counter's side is false
        comparison = _counter_comparison(condition, counter) if unless else _any_comparison(condition, counter)
        if comparison is not None:
            return comparison, unless
    return None


def _leaves(action) -> bool:
    """A statement that raises/returns (also the last line of one that the parser joined to the line
    before: `instrument :x, error:` + newline + `raise` reads as `error: raise`)."""
    lines = [line.strip() for line in text(action).strip().splitlines() if line.strip()]
    return any(line.split("(", 1)[0].split(" ", 1)[0] in EXITS for line in lines[:1] + lines[-1:])


def _any_comparison(condition, counter: str):
    """The counter's comparison in a disjunction (or alone) of an exit's condition."""
    if condition is not None and condition.type == "parenthesized_statements" and condition.named_child_count == 1:
        return _any_comparison(condition.named_children[0], counter)
    if condition is not None and condition.type == "binary" and syntax._operator(condition) in ("||", "or"):
        return _any_comparison(condition.child_by_field_name("left"), counter) or \
            _any_comparison(condition.child_by_field_name("right"), counter)
    return _counter_comparison(condition, counter)


def _guarded_attempts(f: RubyFile, call, counter: str, method) -> tuple[float | None, tuple]:
    """Attempts allowed by ``... unless n > 3`` / ``if n < 3`` with ``n`` starting at its default."""
    found = _guard(call, counter) or _exit_guard(call, counter)
    if found is None:
        return None, ()
    condition, while_true = found
    limit, limit_expr = _limit(f, condition.child_by_field_name("right"))
    start = _counter_start(counter, call, method)
    op = syntax._operator(condition)
    if not while_true:  # re-enqueue while the condition is false
        op = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}.get(op, "")
    if op not in ("<", "<=") or start is None:
        return None, ()
    if limit is None:
        from contract_discovery.model import Pending
        from contract_discovery.values import BinOp, Num

        extra = 2.0 - start if op == "<=" else 1.0 - start
        return None, (Pending("max_attempts", BinOp("+", limit_expr, Num(extra)), 1.0),)
    last = limit if op == "<=" else limit - 1  # the highest counter value that still re-enqueues
    return normalise_ms(max(last - start + 2, 1.0)), ()


# A queue consumer's message handed back for redelivery (`message.retry`, `msg.requeue`) while its
# delivery count is under a bound.
REDELIVER = ("retry", "retry!", "requeue", "nack", "redeliver")
DELIVERY_COUNTS = re.compile(r"\.(retries|retry_count|attempts|attempt|delivery_count|redelivery_count|tries)$")


# A stored count of a job's runs (`background_job_result.try_count`, `record.attempts`): named like it.
RUN_COUNT = re.compile(r"(?:^|[._])(?:try_count|tries|attempts|attempt_count|retry_count|retries|run_count|"
                       r"executions)$")


def _reraise_under_count(f: RubyFile) -> Iterable[Finding]:
    """A job's ``rescue`` that re-raises (so Sidekiq/ActiveJob runs it again) while a stored count of its
    runs is under a bound (``if result.try_count < Settings.x.ingest_retries; result.pending!; raise;
    end``), and gives up otherwise: the bound counts runs (the count is bumped as each run starts): ``<
    N`` -> N attempts, ``<= N`` -> N + 1. Reported at the comparison."""
    for node in walk(f.root):
        if node.type not in ("if", "if_modifier", "unless", "unless_modifier"):
            continue
        if syntax.enclosing(node, ("rescue",)) is None:
            continue
        klass = syntax.enclosing(node, ("class",))
        if klass is None or not _job_class(klass):
            continue
        condition = node.child_by_field_name("condition")
        condition = _strip(condition)
        if condition is None or condition.type != "binary":
            continue
        op = syntax._operator(condition)
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if left is None or right is None or not RUN_COUNT.search(text(left)) or "." not in text(left):
            continue
        if node.type.startswith("unless"):
            op = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}.get(op, "")
        if op not in ("<", "<="):
            continue
        body = node.child_by_field_name("consequence") if node.type in ("if", "unless") else node.child_by_field_name("body")
        if body is None or not any(n.type == "identifier" and text(n) == "raise" and n.parent is not None
                                   and n.parent.type in ("then", "body_statement", "if_modifier", "unless_modifier")
                                   for n in walk(body)):
            continue
        limit, limit_expr = _limit(f, right)
        pending: tuple = ()
        attempts = None
        if limit is not None:
            attempts = normalise_ms(limit + (1.0 if op == "<=" else 0.0))
        else:
            from contract_discovery.model import Pending
            from contract_discovery.values import BinOp, Num

            pending = (Pending("max_attempts", BinOp("+", limit_expr, Num(1.0 if op == "<=" else 0.0)), 1.0),)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "redelivery",
                 "library": None}
        yield f.finding("retry", condition, ID, attrs, "medium", pending=pending)


KARAFKA_ATTEMPT = ("attempt", "coordinator.pause_tracker.attempt", "pause_tracker.attempt")


def _karafka_attempt_caps(f: RubyFile) -> Iterable[Finding]:
    """A Karafka consumer's cap on re-deliveries (``if attempt > 3`` discard, else process): Karafka
    pauses the partition and hands a batch whose consumption raised back again, counting deliveries
    in ``attempt`` (1 on the first); the comparison says how many are processed (``> 3`` and ``<= 3``: 3,
    ``>= 3`` and ``< 3``: 2; one more when checked in the rescue after the try). Reported at the
    comparison's line; only in a file of Karafka consumers."""
    if b"Karafka" not in f.data and not re.search(rb"<\s*\w*Consumer\b", f.data):
        return
    for node in walk(f.root):
        if node.type != "binary":
            continue
        op = syntax._operator(node)
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op not in ("<", "<=", ">", ">=") or left is None or right is None or text(left) not in KARAFKA_ATTEMPT:
            continue
        if syntax.enclosing(node, ("method", "singleton_method")) is None:
            continue
        limit, _ = _limit(f, right)
        if limit is None:
            attempts = None
        else:
            attempts = normalise_ms(limit if op in (">", "<=") else limit - 1.0)
            if syntax.enclosing(node, ("rescue",)) is not None:
                # checked in the rescue after the try (round 18, appeals-consumer): the delivery that
                # fails the check was processed too (`attempt > 3` there: 4 tries)
                attempts = normalise_ms(attempts + 1.0)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "redelivery",
                 "library": "karafka"}
        yield f.finding("retry", node, ID, attrs, "medium")


def _redeliveries(f: RubyFile) -> Iterable[Finding]:
    """``message.retry if message.retries < MAX_RETRIES - 1`` (in an if block too): the message comes
    back until its count reaches the bound: bound + 1 attempts (counting from 0)."""
    for call in f.calls_named(*REDELIVER):
        receiver = f.receiver_of(call)
        if not receiver or receiver[:1].isupper():
            continue
        found = None
        for suffix in (".retries", ".retry_count", ".attempts", ".attempt", ".delivery_count",
                       ".redelivery_count", ".tries"):
            found = _guard(call, receiver + suffix)
            if found is not None:
                break
        if found is None:
            if _unbounded_redelivery(f, call, receiver):
                attrs = {"max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "redelivery",
                         "library": None}
                yield f.finding("retry", call, ID, attrs, "medium")
            continue
        condition, while_true = found
        op = syntax._operator(condition)
        if not while_true:
            op = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}.get(op, "")
        if op not in ("<", "<="):
            continue
        limit, limit_expr = _limit(f, condition.child_by_field_name("right"))
        pending: tuple = ()
        attempts = None
        if limit is not None:
            attempts = normalise_ms(limit + (2.0 if op == "<=" else 1.0))
        else:
            from contract_discovery.model import Pending
            from contract_discovery.values import BinOp, Num

            pending = (Pending("max_attempts", BinOp("+", limit_expr, Num(2.0 if op == "<=" else 1.0)), 1.0),)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", call, ID, attrs, "medium", pending=pending)


def _unbounded_redelivery(f: RubyFile, call: Node, receiver: str) -> bool:
    """``def process(message) ... rescue GdsApi::HTTPErrorResponse; message.retry`` (govuk_message_queue_consumer,
    a Bunny/Sneakers-style message): the message handed in is put back on the queue when its call
    failed, with no count to stop it (round 20: email-alert-service): an unbounded retry. Only
    ``retry`` / ``requeue`` with no arguments, on the method's own parameter, in its rescue clause."""
    if f.method_of(call) not in ("retry", "requeue") or call.child_by_field_name("arguments") is not None \
            or "." in receiver:
        return False
    method = syntax.enclosing(call, ("method", "singleton_method", "block", "do_block", "lambda"))
    if method is None or method.type not in ("method", "singleton_method"):
        return False
    params = method.child_by_field_name("parameters")
    names = [text(p) if p.type == "identifier" else text(p.child_by_field_name("name") or p)
             for p in (params.named_children if params is not None else ())]
    if receiver not in names:
        return False
    return any(a.type == "rescue" for a in syntax.ancestors_of(call))


def _strip(node):
    while node is not None and node.type == "parenthesized_statements" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _flagged_enqueues(f: RubyFile) -> Iterable[Finding]:
    """``retrying = (webhook.retries + 1) < retry_limit`` ... ``SendJob.set(wait: w).perform_later(webhook)
    if retrying``: the work is enqueued again while the record's count of failed tries (before this
    one) plus ``k`` is under the limit: ``limit - k + 1`` tries (``<=``: one more)."""
    for call in f.calls_named(*ENQUEUE):
        parent = call.parent
        if parent is None or parent.type != "if_modifier":
            continue
        flag = parent.child_by_field_name("condition")
        if flag is None or flag.type != "identifier":
            continue
        bound = _strip(syntax.local_assignment(text(flag), call))
        if bound is None or bound.type != "binary" or syntax._operator(bound) not in ("<", "<="):
            continue
        count, k = _strip(bound.child_by_field_name("left")), 0.0
        if count is not None and count.type == "binary" and syntax._operator(count) == "+":
            k = syntax.settle(syntax.to_expr(count.child_by_field_name("right")))
            count = _strip(count.child_by_field_name("left"))
        if count is None or k is None or not DELIVERY_COUNTS.search(text(count)):
            continue
        add = 1.0 - k + (1.0 if syntax._operator(bound) == "<=" else 0.0)
        attempts, pending = max_attempts(bound.child_by_field_name("right"), add=add)
        attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "call", "library": None}
        yield f.finding("retry", bound, ID, attrs, "medium", pending=pending)


def _once_flag(f: RubyFile, call, method) -> bool:
    """The job's keyword parameter defaulting to nil (``invoice: nil``) that the re-enqueue fills
    (``invoice: result.invoice``) and that an earlier exit in the same body tests (``result.raise_if_error!
    if invoice || ...`` / ``return ... if invoice``)."""
    params = method.child_by_field_name("parameters")
    flags = [text(p.child_by_field_name("name")) for p in (params.named_children if params is not None else ())
             if p.type == "keyword_parameter" and p.child_by_field_name("value") is not None
             and p.child_by_field_name("value").type == "nil"]
    site = f.site(call)
    passed = [k for k in flags if k in site.kwargs and site.kwargs[k].node.type not in ("nil", "identifier")]
    if not passed:
        return False
    statement = call
    while statement.parent is not None and statement.parent.type not in ("body_statement", "then", "else", "block_body"):
        statement = statement.parent
    body = statement.parent
    for sibling in body.named_children if body is not None else ():
        if sibling.start_byte >= statement.start_byte:
            break
        if sibling.type in ("if_modifier", "if"):
            condition = sibling.child_by_field_name("condition")
            names = {text(n) for n in walk(condition)} if condition is not None else set()
            if any(flag in names for flag in passed):
                branch = sibling.named_children[0] if sibling.type == "if_modifier" else sibling.child_by_field_name("consequence")
                if branch is not None and re.search(r"\b(raise\w*!?|return|fail)\b", text(branch)):
                    return True
    return False
