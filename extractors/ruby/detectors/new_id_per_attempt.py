"""A fresh ID made inside code that a retry re-runs, then sent: each attempt carries a new ID.

What it does: finds ``SecureRandom.uuid`` / ``hex`` / ``urlsafe_base64`` (and
``Digest::UUID``, ``ULID.generate``) inside the body of a ``begin`` (or method/block)
whose ``rescue`` says ``retry``, or inside a ``Retriable.retriable`` block, when the
value is then passed to a call (a header, a body, a request). An ID made once before
the ``begin`` and reused, or memoised with ``||=``, is stable: not reported.

Why it matters: the callee dedupes by that ID (an idempotency key, a transaction ID);
a new one per attempt turns every retry into a new request.

Example::

    begin
      request_id = SecureRandom.uuid      # new_id_per_attempt
      risk.post("/score", request_id: request_id)
    rescue Faraday::TimeoutError
      retry if (attempts += 1) < 3
    end

A background job that retries counts as a retried block too: the ``perform`` of a class with
``sidekiq_options retry: 5`` (or ``true``) or an ActiveJob ``retry_on`` runs again from the top,
so a key made there (``idempotency_key = SecureRandom.uuid`` then ``PaymentApi.refund(...,
idempotency_key:)``) is new on every run. ``retry: false`` / ``0`` jobs are not.

Use instead: make the ID once, before the retried block (for a job: when enqueueing, as an
argument).
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors import treesitter as ts
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, query
from extractors.ruby.detectors.rescue_retry import attempt_region, retry_nodes
from extractors.ruby.detectors.retriable import retriable_calls
from extractors.treesitter import Node, text, walk

ID = "ruby.new_id_per_attempt"
NOT_SENT = ("logger", "Rails.logger", "puts", "p", "pp", "print", "warn", "info", "debug")


def _regions(f: RubyFile) -> list[tuple[list[Node], int]]:
    """(statements re-run per attempt, line of the retry)."""
    regions = []
    for node, rescue in retry_nodes(f):
        regions.append((attempt_region(rescue), node.start_point[0] + 1))
    for call in retriable_calls(f):
        block = call.child_by_field_name("block")
        body = block.child_by_field_name("body") if block is not None else None
        if body is not None:
            regions.append((list(body.named_children), call.start_point[0] + 1))
    regions.extend(_retried_jobs(f))
    return regions


def _retried_jobs(f: RubyFile) -> list[tuple[list[Node], int]]:
    """The ``perform`` of a background job that retries: ``sidekiq_options retry: 5`` (or ``true``)
    or an ActiveJob ``retry_on``. The queue runs ``perform`` again from the top after a failure, so
    an ID made there is new on every run; the line given is the retry setting's."""
    regions = []
    for call in f.calls_named("sidekiq_options", "retry_on"):
        if call.child_by_field_name("receiver") is not None:
            continue
        site = f.site(call)
        if f.method_of(call) == "sidekiq_options":
            value = site.kwargs["retry"].node if "retry" in site.kwargs else None
            if value is None or value.type == "false" or syntax.settle(syntax.to_expr(value)) == 0:
                continue
        klass = syntax.enclosing(call, ("class", "module", "method", "singleton_method"))
        if klass is None or klass.type != "class":
            continue
        body = klass.child_by_field_name("body")
        for method in (body.named_children if body is not None else []):
            if method.type == "method" and text(method.child_by_field_name("name")) == "perform":
                statements = method.child_by_field_name("body")
                if statements is not None:
                    regions.append((list(statements.named_children), call.start_point[0] + 1))
    return regions


def _assigned_variable(generator: Node, statement: Node) -> tuple[str | None, bool]:
    """(variable the ID is stored in, memoised with ||=)."""
    for parent in syntax.ancestors_of(generator):
        if parent.type == "assignment":
            return text(parent.child_by_field_name("left")), False
        if parent.type == "operator_assignment":
            return text(parent.child_by_field_name("left")), "||=" in text(parent).split("\n")[0]
        if parent == statement:
            break
    return None, False


def _in_call_arguments(node: Node, stop: Node) -> bool:
    for parent in syntax.ancestors_of(node):
        if parent.type in ("argument_list", "pair", "hash") or (parent.type == "call" and parent != node):
            owner = parent if parent.type == "call" else syntax.enclosing(parent, ("call",))
            if owner is not None and _is_sending(owner):
                return True
        if parent == stop:
            break
    return False


def _is_sending(call: Node) -> bool:
    receiver = syntax.callee_text(call.child_by_field_name("receiver"))
    method = text(call.child_by_field_name("method"))
    if receiver.endswith("logger") or receiver in NOT_SENT or method in NOT_SENT:
        return False
    return call.child_by_field_name("arguments") is not None or call.child_by_field_name("block") is not None


def _used_later(variable: str, after: Node, statements: list[Node]) -> bool:
    for statement in statements:
        for node in walk(statement):
            if node.start_byte <= after.end_byte:
                continue
            if node.type in ("identifier", "instance_variable") and text(node) == variable:
                parent = node.parent
                if parent is not None and parent.type in ("assignment", "operator_assignment") and \
                        parent.child_by_field_name("left") == node:
                    continue
                if _in_call_arguments(node, statement) or (parent is not None and parent.type == "interpolation"
                                                           and _in_call_arguments(parent, statement)):
                    return True
    return False


@ruby_detector(ID, ("new_id_per_attempt",),
          valid=("id = SecureRandom.uuid\nbegin\n  post(id)\nrescue\n  retry\nend\n",),
          invalid=("begin\n  id = SecureRandom.uuid\n  post(id)\nrescue\n  retry\nend\n",))
def detect(f: RubyFile) -> Iterable[Finding]:
    generators = sorted(ts.captures(query("ids"), f.root).get("id", []), key=lambda n: (n.start_byte, -n.end_byte))
    regions = _regions(f)
    for generator in generators:
        for statements, retry_line in regions:
            statement = next((s for s in statements if syntax.is_inside(generator, s)), None)
            if statement is None:
                continue
            variable, memoised = _assigned_variable(generator, statement)
            if memoised:
                break
            if variable is not None:
                sent = _used_later(variable, generator, statements)
            else:
                sent = _in_call_arguments(generator, statement)
            if not sent:
                break
            name = syntax.callee_text(generator.child_by_field_name("receiver")) + "." + text(
                generator.child_by_field_name("method"))
            attrs = {"generator": name.replace(".", "::", name.count(".") - 1), "variable": variable,
                     "retry_line": retry_line}
            yield f.finding("new_id_per_attempt", generator, ID, attrs, "medium")
            break
