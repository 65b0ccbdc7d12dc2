"""Background-job retries and run-time limits: Sidekiq, ActiveJob ``retry_on`` / ``retry_job``, Delayed Job.

What it does: ``sidekiq_options retry: 5`` -> 6 attempts (Sidekiq counts retries;
``retry: true`` is its default of 25, ``false``/``0`` means one attempt), exponential
(Sidekiq's polynomial backoff). ``retry_on Net::ReadTimeout, attempts: 5, wait:
:polynomially_longer`` -> 5 attempts (ActiveJob counts the first; default 5, fixed 3 s
wait unless ``:exponentially_longer``/``:polynomially_longer``).

Why it matters: a job that calls another service re-runs ``perform`` from the top, so
the callee sees repeated requests, minutes apart.

``retry_job(wait: ...)`` called by the job itself re-enqueues it: a retry whose bound is the
code's own condition (max_attempts unknown). Delayed Job: ``Delayed::Worker.max_attempts = 5``
-> 5 attempts (it counts the first; default 25), ``Delayed::Worker.max_run_time = 4.hours`` ->
a timeout (phase function) on every job's run.

Example: ``sidekiq_options queue: :risk, retry: 3`` -> retry max_attempts 4, mechanism client_config.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts
from extractors.treesitter import text

ID = "ruby.job_retry"


@ruby_detector(ID, ("retry", "timeout"),
          valid=("sidekiq_options queue: :low\n", "retry_on = false\n", "retry_job = false\n",
                 "Delayed::Worker.max_priority = 5\n"),
          invalid=("class J\n  sidekiq_options retry: 5\nend\n",
                   "class J < ApplicationJob\n  retry_on Timeout::Error, attempts: 3\nend\n",
                   "class J < ApplicationJob\n  retry_on(*ERRORS)\nend\n",
                   "class J < ApplicationJob\n  def perform\n    retry_job(wait: 5.seconds) if again?\n  end\nend\n",
                   "Delayed::Worker.max_attempts = 3\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    yield from _delayed_job(f)
    for call in f.calls_named("retry_job"):
        receiver = f.receiver_of(call)
        if receiver not in ("", "self") or syntax.enclosing(call, ("method", "block", "do_block")) is None:
            continue
        site = f.site(call)
        wait = site.kwargs["wait"].text if "wait" in site.kwargs else ""
        backoff = "exponential" if "**" in wait or "exponential" in wait or "polynomial" in wait else (
            "fixed" if wait else "none")
        attrs = {"max_attempts": None, "backoff": backoff, "retry_on": None, "mechanism": "call",
                 "library": "activejob"}
        yield f.finding("retry", call, ID, attrs, "medium")
    for call in f.calls_named("sidekiq_options", "retry_on"):
        if call.child_by_field_name("receiver") is not None:
            continue
        site = f.site(call)
        method = f.method_of(call)
        if method == "sidekiq_options":
            if "retry" not in site.kwargs:
                continue
            value = site.kwargs["retry"].node
            if value.type == "true":
                attempts, pending = 26, ()
            elif value.type == "false":
                attempts, pending = 1, ()
            else:
                attempts, pending = max_attempts(value, add=1)
            attrs = {"max_attempts": attempts, "backoff": "exponential" if attempts != 1 else "none",
                     "retry_on": None, "mechanism": "client_config", "library": "sidekiq"}
            yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)
        else:
            retry_on = [syntax.ruby_name(a.node) for a in site.args if a.node.type in ("constant", "scope_resolution")]
            # retry_on(*ERRORS): a splatted list of exception classes
            retry_on += [syntax.ruby_name(a.node.named_children[0]) for a in site.args
                         if a.node.type == "splat_argument" and a.node.named_child_count == 1
                         and a.node.named_children[0].type in ("constant", "scope_resolution")]
            if not retry_on:
                continue
            if "attempts" in site.kwargs:
                value = site.kwargs["attempts"].node
                if syntax.symbol_name(value) == "unlimited":
                    attempts, pending = None, ()
                else:
                    attempts, pending = max_attempts(value)
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
