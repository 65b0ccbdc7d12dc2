"""The retriable gem: ``Retriable.retriable(tries: 3, on: [Timeout::Error]) { ... }``.

What it does: reports each ``Retriable.retriable`` (or Kernel ``retriable``) block with
``tries`` as the total attempts (gem default 3) and exponential backoff (the gem's
default multiplier is 1.5 with randomisation; ``multiplier: 1`` makes it fixed,
``intervals:`` an explicit schedule).

Why it matters: the block is re-run whole, so anything it builds (request IDs) is
rebuilt per attempt.

Example: ``Retriable.retriable(tries: 5) { risk.score(tx) }`` -> retry max_attempts 5.

Also the Vault gem's ``Vault.with_retries(Vault::HTTPConnectionError, attempts: 5) { ... }``
(``vault.with_retries`` on a client): ``attempts`` counts the retries after the first try (the gem
raises once the retries exceed it; default 2), so ``attempts: 5`` -> 6 attempts, exponential backoff.

And the retries gem's ``with_retries(max_tries: 2, rescue: [Faraday::TimeoutError]) { ... }``:
``max_tries`` counts every attempt (default 3).

And the retryable gem's ``Retryable.retryable(tries: 3, on: [Net::ReadTimeout]) { ... }`` (or Kernel
``retryable``): ``tries`` counts every attempt (default 2). And httpx's retries plugin,
``HTTPX.plugin(:retries, max_retries: 5)``: ``max_retries`` counts the retries after the first try
(default 3, so 4 attempts; the plugin re-sends idempotent requests).
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts, number_value
from extractors.treesitter import Arg, Node, text, walk

ID = "ruby.retriable"


def retriable_calls(f: RubyFile) -> list[Node]:
    found = []
    for call in f.calls_named("retriable"):
        receiver = f.receiver_of(call)
        if receiver in ("Retriable", "") and call.child_by_field_name("block") is not None:
            found.append(call)
    return found


@ruby_detector(ID, ("retry",),
          valid=("retriable = true  # a variable named retriable\n",),
          invalid=("Retriable.retriable(tries: 4) { call }\n",
                   "Vault.with_retries(Vault::HTTPConnectionError, attempts: 5) { read }\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in retriable_calls(f):
        site = f.site(call)
        if "tries" in site.kwargs:
            attempts, pending = max_attempts(site.kwargs["tries"].node)
        else:
            attempts, pending = 3, ()
        multiplier = number_value(site.kwargs["multiplier"].node) if "multiplier" in site.kwargs else 1.5
        if "intervals" in site.kwargs:
            backoff = "fixed"
        elif multiplier is not None and multiplier <= 1:
            backoff = "fixed"
        else:
            backoff = "exponential"
        retry_on = None
        if "on" in site.kwargs:
            node = site.kwargs["on"].node
            items = node.named_children if node.type in ("array", "hash") else [node]
            retry_on = [syntax.ruby_name(i.child_by_field_name("key") if i.type == "pair" else i) for i in items]
        attrs = {"max_attempts": attempts, "backoff": backoff, "retry_on": retry_on,
                 "mechanism": "call", "library": "retriable"}
        yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)
    yield from _vault(f)
    yield from _retries_gem(f)
    yield from _retryable_gem(f)
    yield from _httpx_retries_plugin(f)


RETRYABLE_GEM_DEFAULT = 2  # the retryable gem's tries (every attempt counts)
HTTPX_RETRIES_DEFAULT = 3  # HTTPX::Plugins::Retries::MAX_RETRIES (retries after the first try)


def _retryable_gem(f: RubyFile) -> Iterable[Finding]:
    """``Retryable.retryable(tries: 3, on: [X]) { ... }`` (or Kernel ``retryable`` in a file that names the
    gem): ``tries`` counts every attempt, default 2. A project's own ``retryable`` method is not the gem's:
    the bare form needs ``Retryable`` in the file or ``tries:``."""
    named = b"Retryable" in f.data or b"retryable'" in f.data or b'retryable"' in f.data
    seen_policies: set[int] = set()
    for call in f.calls_named("retryable"):
        receiver = f.receiver_of(call)
        site = f.site(call)
        handed = any(a.node.type == "block_argument" for a in site.args)  # `&block`
        positional = [a for a in site.args if a.node.type != "block_argument"]
        if len(positional) == 1 and not site.kwargs and receiver[:1].isupper() and \
                (call.child_by_field_name("block") is not None or handed) and \
                positional[0].node.type in ("instance_variable", "identifier", "constant"):
            # (round 22, bosh-openstack-cpi) `Bosh::Common.retryable(@retry_options) do` with
            # `@retry_options = { sleep: 1, tries: 5, on: [...] }.merge(overrides)`: a policy handed to
            # several calls, at its definition (once)
            policy = _policy_hash(f, text(positional[0].node))
            if policy is not None and policy["tries"].node.parent.start_byte not in seen_policies:
                seen_policies.add(policy["tries"].node.parent.start_byte)
                yield from _retryable_finding(f, policy["tries"].node, policy)
            continue
        if (call.child_by_field_name("block") is None and not handed) or not (
                receiver in ("Retryable", "") or _retryable_style(receiver, site.kwargs)):
            continue
        if receiver == "" and not named and "tries" not in site.kwargs:
            continue
        if positional:
            continue  # a positional argument: a project method of that name
        yield from _retryable_finding(f, call, site.kwargs)
    # round 19 (bosh): a retryable object, `Bosh::Common::Retryable.new({sleep: 0, tries: 3, on: [X]})`
    # (then `.retryer do ... end`): the policy, at its definition
    for call in f.calls_named("new"):
        receiver = f.receiver_of(call)
        if receiver != "Retryable" and not receiver.endswith((".Retryable", "::Retryable")):
            continue
        site = f.site(call)
        kwargs = dict(site.kwargs)
        if len(site.args) == 1 and site.args[0].node.type == "hash":
            for pair in site.args[0].node.named_children:
                key, value = syntax.pair_key(pair), pair.child_by_field_name("value")
                if pair.type == "pair" and key is not None and value is not None:
                    kwargs[key] = Arg(node=value, text=text(value), keyword=key)
        elif site.args:
            continue
        if "tries" in kwargs:
            yield from _retryable_finding(f, call, kwargs)


def _policy_hash(f: RubyFile, name: str) -> dict | None:
    """The pairs of the hash literal assigned to ``name`` in the file (``@retry_options = { sleep: 1,
    tries: 5, on: [X] }`` or ``{ ... }.merge(overrides)``), when it reads as a retryable policy (``tries``
    beside ``on`` or ``sleep``)."""
    for node in walk(f.root):
        if node.type != "assignment" or text(node.child_by_field_name("left")) != name:
            continue
        right = node.child_by_field_name("right")
        while right is not None and right.type == "call" and text(right.child_by_field_name("method")) == "merge":
            right = right.child_by_field_name("receiver")
        if right is None or right.type != "hash":
            continue
        pairs = {}
        for pair in right.named_children:
            key, value = syntax.pair_key(pair), pair.child_by_field_name("value")
            if pair.type == "pair" and key is not None and value is not None:
                pairs[key] = Arg(node=value, text=text(value), keyword=key)
        if "tries" in pairs and ("on" in pairs or "sleep" in pairs):
            return pairs
    return None


def _retryable_style(receiver: str, kwargs: dict) -> bool:
    """``Bosh::Common.retryable(sleep: 1, tries: 60, on: [X]) do ... end``: a project's namespaced copy of
    the retryable gem's method (its signature: ``tries:`` beside ``on:`` or ``sleep:``)."""
    return bool(receiver) and receiver[:1].isupper() and "tries" in kwargs and ("on" in kwargs or "sleep" in kwargs)


def _retryable_finding(f: RubyFile, call: Node, kwargs: dict) -> Iterable[Finding]:
    if "tries" in kwargs:
        attempts, pending = max_attempts(kwargs["tries"].node)
    else:
        attempts, pending = RETRYABLE_GEM_DEFAULT, ()
    if attempts is None and not pending:
        return
    retry_on = _exception_names(kwargs["on"].node) if "on" in kwargs else None
    attrs = {"max_attempts": attempts, "backoff": "fixed", "retry_on": retry_on,
             "mechanism": "call", "library": "retryable"}
    # keyword options of a multi-line call at the option's line (the Ruby convention)
    anchor = kwargs["tries"].node.parent if "tries" in kwargs and kwargs["tries"].node.parent is not None \
        and kwargs["tries"].node.parent.type == "pair" else call
    yield f.finding("retry", anchor, ID, attrs, "high" if not pending else "medium", pending=pending)


def _exception_names(node: Node) -> list[str] | None:
    """``on: [Net::ReadTimeout, Timeout::Error]`` / ``rescue: Faraday::TimeoutError``: the exceptions retried."""
    items = node.named_children if node.type == "array" else [node]
    return [syntax.ruby_name(i) for i in items] or None


def _httpx_retries_plugin(f: RubyFile) -> Iterable[Finding]:
    """``HTTPX.plugin(:retries)`` / ``.plugin(:retries, max_retries: 5)`` on an HTTPX session chain:
    ``max_retries`` retries after the first try (default 3)."""
    if b"HTTPX" not in f.data:
        return
    for call in f.calls_named("plugin"):
        site = f.site(call)
        if not site.args or syntax.symbol_name(site.args[0].node) != "retries":
            continue
        receiver = call.child_by_field_name("receiver")
        if receiver is None or "HTTPX" not in text(receiver):
            continue
        if "max_retries" in site.kwargs:
            attempts, pending = max_attempts(site.kwargs["max_retries"].node, add=1.0)
        else:
            attempts, pending = HTTPX_RETRIES_DEFAULT + 1, ()
        if attempts is None and not pending:
            continue
        attrs = {"max_attempts": attempts, "backoff": "none", "retry_on": None,
                 "mechanism": "client_config", "library": "httpx"}
        yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)


VAULT_DEFAULT_RETRIES = 2  # Vault::Defaults::RETRY_ATTEMPTS
RETRIES_GEM_DEFAULT = 3  # the retries gem's max_tries (every attempt counts)


def _retries_gem(f: RubyFile) -> Iterable[Finding]:
    """The retries gem: ``with_retries(max_tries: 2, rescue: [Faraday::TimeoutError]) { ... }``
    (Kernel, or ``Retries.with_retries``): ``max_tries`` counts every attempt (default 3), with
    exponential backoff between ``base_sleep_seconds`` and ``max_sleep_seconds``. A project's own
    ``with_retries(3)`` (a positional count) is not the gem's: only ``max_tries:``, or a bare call in
    a file that requires the gem."""
    requires = b"require 'retries'" in f.data or b'require "retries"' in f.data
    for call in f.calls_named("with_retries"):
        receiver = f.receiver_of(call)
        site = f.site(call)
        if receiver not in ("", "Retries") or call.child_by_field_name("block") is None:
            continue
        positional = [a for a in site.args if a.node.type != "block_argument"]
        if "max_tries" in site.kwargs:
            attempts, pending = max_attempts(site.kwargs["max_tries"].node)
        elif requires and not positional and not (set(site.kwargs) - {"rescue", "base_sleep_seconds",
                                                                          "max_sleep_seconds", "handler"}):
            attempts, pending = RETRIES_GEM_DEFAULT, ()
        else:
            continue
        if attempts is None and not pending:
            continue
        retry_on = _exception_names(site.kwargs["rescue"].node) if "rescue" in site.kwargs else None
        attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": retry_on,
                 "mechanism": "call", "library": "retries"}
        yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)


def _vault(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("with_retries"):
        receiver = f.receiver_of(call)
        site = f.site(call)
        handed = any(a.node.type == "block_argument" for a in site.args)  # `&block`
        positional = [a for a in site.args if a.node.type != "block_argument"]
        if len(positional) == 1 and not site.kwargs and receiver[:1].isupper() and \
                (call.child_by_field_name("block") is not None or handed) and \
                positional[0].node.type in ("instance_variable", "identifier", "constant"):
            # (round 22, bosh-openstack-cpi) `Bosh::Common.retryable(@retry_options) do` with
            # `@retry_options = { sleep: 1, tries: 5, on: [...] }.merge(overrides)`: a policy handed to
            # several calls, at its definition (once)
            policy = _policy_hash(f, text(positional[0].node))
            if policy is not None and policy["tries"].node.parent.start_byte not in seen_policies:
                seen_policies.add(policy["tries"].node.parent.start_byte)
                yield from _retryable_finding(f, policy["tries"].node, policy)
            continue
        if (call.child_by_field_name("block") is None and not handed) or not (
                receiver == "Vault" or "vault" in receiver.lower()):
            continue
        if "attempts" in site.kwargs:
            attempts, pending = max_attempts(site.kwargs["attempts"].node, add=1.0)
        else:
            attempts, pending = VAULT_DEFAULT_RETRIES + 1, ()
        if attempts is None and not pending:
            continue
        retry_on = [syntax.ruby_name(a.node) for a in site.args if a.node.type != "block_argument"] or None
        attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": retry_on,
                 "mechanism": "call", "library": "vault"}
        yield f.finding("retry", call, ID, attrs, "high" if not pending else "medium", pending=pending)
