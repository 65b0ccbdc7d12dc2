"""HTTParty: per-call and class-level timeouts, calls without any, and the requests sent.

What it does: reads ``HTTParty.get(url, timeout: 5)`` (also ``open_timeout:``,
``read_timeout:``), and in a class that ``include HTTParty``: ``default_timeout 5``,
``open_timeout 2``, ``read_timeout 5``, ``base_uri "..."`` and the class's own
``get("/path")`` / ``self.class.post(...)`` calls. A call with no timeout of its own
and no class default is reported as ``missing_timeout`` (Net::HTTP's 60 s applies).

Why it matters: without ``default_timeout`` every request waits up to 60 s per phase.

Example: ``default_timeout 2`` in a client class -> timeout 2000 ms, phase total.
Use instead: ``default_timeout`` on every HTTParty client class.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby.context import ruby_detector
from extractors.ruby import syntax
from extractors.ruby.context import HTTP_VERBS, RubyFile, Url
from extractors.treesitter import Node, text, walk

ID = "ruby.httparty"
LIBRARY = "httparty"
DEFAULT_MS = 60000

PHASES = {"timeout": "total", "default_timeout": "total", "open_timeout": "connect", "read_timeout": "read",
          "write_timeout": "write"}


def _httparty_classes(f: RubyFile) -> dict[int, Node]:
    classes: dict[int, Node] = {}
    for call in f.calls_named("include"):
        site = f.site(call)
        if call.child_by_field_name("receiver") is None and site.args and text(site.args[0].node) == "HTTParty":
            owner = syntax.enclosing_class(call)
            if owner is not None:
                classes[owner.id] = owner
    return classes


def _class_body_calls(owner: Node, names: tuple[str, ...]) -> list[Node]:
    body = owner.child_by_field_name("body")
    if body is None:
        return []
    return [c for c in body.named_children
            if c.type == "call" and c.child_by_field_name("receiver") is None
            and text(c.child_by_field_name("method")) in names]


@ruby_detector(ID, ("timeout", "missing_timeout", "outbound_call"),
          valid=("class Routes < Sinatra::Base\n  get '/x' do\n    'ok'\n  end\nend\n",
                 "self.class.get('/x', timeout: 5)  # not an HTTParty class\n"),
          invalid=("HTTParty.get('http://risk/score')\n",
                   "HTTParty.post('http://risk/score', timeout: 0.5)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    classes = _httparty_classes(f)
    class_info: dict[int, tuple[Url | None, bool]] = {}
    for owner in classes.values():
        base = None
        for call in _class_body_calls(owner, ("base_uri",)):
            site = f.site(call)
            if site.args:
                base = f.url_of(site.args[0].node)
        target, pending = f.target(base)
        has_default = False
        for call in _class_body_calls(owner, tuple(k for k in PHASES if k != "timeout")):
            site = f.site(call)
            if site.args:
                has_default = True
                phase = PHASES[f.method_of(call)]
                yield f.timeout(call, site.args[0].node, phase, ID, LIBRARY, target, pending)
        class_info[owner.id] = (base, has_default)

    for call in f.calls:
        method = f.method_of(call)
        if method not in HTTP_VERBS:
            continue
        receiver = call.child_by_field_name("receiver")
        rtext = syntax.callee_text(receiver)
        owner = syntax.enclosing_class(call)
        in_client = owner is not None and owner.id in classes and rtext in ("", "self", "self.class",
                                                                             syntax.callee_text(owner.child_by_field_name("name")))
        if rtext != "HTTParty" and not in_client:
            continue
        if in_client and rtext == "" and syntax.enclosing(call, ("method", "singleton_method", "block", "do_block")) is None:
            continue  # a bare `get` at class level is not a request
        site = f.site(call)
        base, has_default = class_info.get(owner.id, (None, False)) if in_client else (None, False)
        url_arg = site.args[0].node if site.args else None
        path = syntax.string_literal(url_arg)
        url = base.joined(path) if base is not None and (path is not None) else (
            f.url_of(url_arg) if url_arg is not None else base)
        if base is not None and path is None and url is not None and url.literal is None \
                and (url.path or "").startswith("/"):
            url = base.joined(url.path)  # "/v1/cases/#{id}/timeline": a path under the class's base_uri
        yield f.outbound(call, ID, method, url)
        target, pending = f.target(url)
        options = dict(site.kwargs)
        if len(site.args) > 1 and site.args[1].node.type == "hash":
            options.update({k: v for k, v in f.site(call).kwargs.items()})
            for key, value in syntax.hash_items(site.args[1].node).items():
                options[key] = _Arg(value)
        found = False
        for key in ("timeout", "open_timeout", "read_timeout", "write_timeout"):
            if key in options:
                found = True
                value = options[key].node
                pair = value.parent
                # a multi-line `HTTParty.get(` / `url,` / `timeout: 10` / `)`: at the option's own line
                # (the Ruby sets' convention for keyword options of a multi-line client call; round 21, canine)
                anchor = pair if pair is not None and pair.type == "pair" and pair.start_point[0] > call.start_point[0] \
                    else call
                yield f.timeout(anchor, value, PHASES[key], ID, LIBRARY, target, pending)
        opaque = any(a.node.type in ("identifier", "hash_splat_argument", "call") for a in site.args[1:]) or \
            any(k in site.kwargs for k in ("options",))
        if not found and not has_default and not opaque:
            yield f.missing(call, ID, LIBRARY, DEFAULT_MS, target, pending)


class _Arg:
    def __init__(self, node: Node):
        self.node = node
