"""A provider that dedupes by an idempotency key: a controller reading the key and storing by it.

What it does: reports ``params[:idempotency_key]`` or ``request.headers["Idempotency-Key"]``
read in a method that also looks up or stores by it (``find_by``, ``find_or_create_by``,
``create_or_find_by``, ``Rails.cache.fetch/write``...), with the window from
``expires_in: 24.hours`` when given; and ``validates :idempotency_key, uniqueness: true``.

Why it matters: the provider only dedupes if callers keep the key stable across retries.

Example: ``Rails.cache.fetch("charge/#{params[:idempotency_key]}", expires_in: 10.minutes)``
-> idempotency_key key idempotency_key, window_ms 600000.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile
from extractors import treesitter as ts
from extractors.treesitter import Node, text

ID = "ruby.idempotency_key"
KEY = re.compile(r"idempoten", re.IGNORECASE)
STORES = ("find_by", "find_by!", "find_or_create_by", "find_or_create_by!", "create_or_find_by",
          "create_or_find_by!", "find_or_initialize_by", "where", "exists?", "fetch", "write", "read", "exist?",
          "upsert", "insert")


def _key_reads(f: RubyFile) -> Iterable[tuple[Node, str]]:
    nodes = ts.captures(ts.compile_query("ruby", "(element_reference) @ref"), f.root).get("ref", [])
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    for node in nodes:
        obj = node.child_by_field_name("object")
        keys = [c for c in node.named_children if c != obj]
        if len(keys) != 1:
            continue
        key = syntax.symbol_name(keys[0]) or syntax.string_literal(keys[0])
        if key is None or not KEY.search(key):
            continue
        owner = syntax.callee_text(obj)
        if owner in ("params", "request.headers", "headers", "request.env") or owner.startswith("params."):
            yield node, key


@ruby_detector(ID, ("idempotency_key",),
          valid=("headers['Idempotency-Key'] = key  # a client sending one\n",),
          invalid=("def create\n  key = params[:idempotency_key]\n  Charge.find_by(idempotency_key: key)\nend\n",))
def detect(f: RubyFile) -> Iterable[Finding]:
    reported: set[int] = set()
    for node, key in _key_reads(f):
        parent = node.parent
        if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node:
            continue  # writing a header: a client, not a provider
        method = syntax.enclosing(node, ("method",))
        if method is None or method.id in reported:
            continue
        stores = [c for c in syntax.calls_in(method) if text(c.child_by_field_name("method")) in STORES]
        if not stores:
            continue
        window = None
        for call in stores:
            site = f.site(call)
            if "expires_in" in site.kwargs:
                seconds = syntax.settle(syntax.to_expr(site.kwargs["expires_in"].node))
                if seconds is not None:
                    window = normalise_ms(seconds * 1000)
        reported.add(method.id)
        yield f.finding("idempotency_key", node, ID, {"key": key, "window_ms": window}, "medium")
    for call in f.calls_named("validates", "validates_uniqueness_of"):
        site = f.site(call)
        names = [syntax.symbol_name(a.node) for a in site.args]
        method = f.method_of(call)
        if any(n and KEY.search(n) for n in names) and ("uniqueness" in site.kwargs or method == "validates_uniqueness_of"):
            key = next(n for n in names if n and KEY.search(n))
            yield f.finding("idempotency_key", call, ID, {"key": key, "window_ms": None}, "medium")
