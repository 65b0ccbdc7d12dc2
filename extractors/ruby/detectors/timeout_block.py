"""``Timeout.timeout(5) { ... }``: a deadline around a block of work (Ruby's stdlib Timeout).

What it does: reports ``Timeout.timeout(seconds) { ... }`` (also ``Timeout::timeout``)
as a timeout with phase ``function``: it bounds everything the block does, whatever
client runs inside. ``Timeout.timeout(nil)`` / ``0`` disables it. A project's own name for it
counts too (``Service::Timeout = Timeout`` (or ``SystemTimer``) in the file, then
``Service::Timeout.timeout(20) { ... }``).

Why it matters: it is often the only bound around a call to another service, and it
stacks with (or hides) the client's own timeouts.

Example: ``Timeout.timeout(2) { risk.score(tx) }`` -> timeout 2000 ms, phase function.

Not reported either: a search for a free local port (``Timeout.timeout(5) { until
free_port?(port = rand(PORTS)); end }`` where ``free_port?`` binds a socket of this host).

Also: concurrent-ruby's ``future.value!(5)`` / ``promise.wait(api_timeout)`` in a file that uses
``Concurrent::`` (the wait for the promised work, phase total); an argument that is a name must
say timeout (``hash.value(key)`` is no wait).

Not reported: a block that only parses or encodes local data (``Timeout.timeout(2) {
CSV.read(path) }``, JSON/YAML/Nokogiri/Zlib, ``PDF::Reader.new(path).page_count``, image
libraries...), or one that only runs string, regular-expression and collection methods over data in
memory (``Timeout.timeout(2) { output.scan(REGEXP).map { |m| m[1].strip } }``: a runaway-regex guard).
Nor (round 21) a block whose calls, and those of the file's methods it reaches, only poll its own
database with a pause (``wait_for_quiescence!`` looping over ``GoodJob::Job.where(..).count`` and
``sleep``): a wait for its own background jobs to drain.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, ruby_detector
from extractors.ruby.detectors.client_options import _is_parameter
from extractors.treesitter import Node, text, walk

ID = "ruby.timeout_block"


@ruby_detector(ID, ("timeout", "missing_timeout"),
               valid=("rescue Timeout::Error => e\n", "Timeout::Error\n", "timeout = 5\n"),
               invalid=("Timeout.timeout(2) { work }\n", "Timeout::timeout(5) do\n  work\nend\n",
                        "future = Concurrent::Promise.execute { api.fetch }\nfuture.value!(client_timeout)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    for call in f.calls_named("timeout"):
        receiver = f.receiver_of(call)
        if receiver != "Timeout" and not (receiver.endswith(".Timeout") and _aliases_timeout(f, receiver)
                                          and call.child_by_field_name("block") is not None):
            continue
        site = f.site(call)
        if not site.args:
            continue
        value = site.args[0].node
        if _local_work_only(call) or _text_work_only(call) or _record_wait(call) or _local_port_search(f, call) \
                or _own_store_wait(f, call) or _local_command(call):
            continue
        if syntax.settle(syntax.to_expr(value)) == 0:
            yield f.missing(call, ID, "timeout", None)
            continue
        yield f.timeout(call, value, "function", ID, "timeout")
    yield from _future_waits(f)


def _aliases_timeout(f: RubyFile, receiver: str) -> bool:
    """``Service::Timeout = Timeout`` (or ``= SystemTimer``) somewhere in the file: the project's own
    name for the stdlib deadline (GitHub's service hooks), so ``Service::Timeout.timeout(20) { ... }``
    is one; another library's ``X::Timeout`` is not."""
    name = receiver.rsplit(".", 1)[0].replace(".", "::") + "::Timeout"
    return re.search(re.escape(name).encode() + rb"\s*=\s*(?:::)?(?:Timeout|SystemTimer)\b", f.data) is not None


# concurrent-ruby: `future.value!(5)` / `promise.wait(timeout)` waits at most that long for the work a
# Concurrent::Promise / Future / Promises.future runs (often a call to another service) to finish.
FUTURE_WAITS = ("value", "value!", "wait", "wait!")


def _future_waits(f: RubyFile) -> Iterable[Finding]:
    if b"Concurrent::" not in f.data:
        return
    for call in f.calls_named(*FUTURE_WAITS):
        receiver = call.child_by_field_name("receiver")
        site = f.site(call)
        if receiver is None or receiver.type not in ("identifier", "instance_variable") or len(site.args) != 1 \
                or site.kwargs or call.child_by_field_name("block") is not None:
            continue
        value = site.args[0].node
        if value.type not in ("integer", "float", "constant", "scope_resolution", "identifier", "instance_variable",
                              "call"):
            continue
        if value.type in ("identifier", "instance_variable", "call") and "timeout" not in text(value).lower():
            continue  # `hash.value(key)`: an argument that is no wait bound
        if value.type == "call" and not text(value).endswith(tuple(syntax.DURATIONS)):
            continue
        yield f.timeout(call, value, "total", ID, "concurrent-ruby")


# Libraries that read, parse or encode data in the process (no other service involved).
LOCAL_LIBS = {"CSV", "JSON", "YAML", "Psych", "Nokogiri", "Nokogiri.XML", "Nokogiri.HTML", "Nokogiri.HTML5", "Oj",
              "MultiJson", "REXML.Document", "Zlib", "Zlib.GzipReader", "Marshal", "ERB", "Base64", "Digest.SHA256",
              "Digest.MD5", "Roo.Spreadsheet", "Creek.Book", "Ox", "PDF.Reader", "MiniMagick.Image", "Magick.Image",
              "Vips.Image", "Zip.File", "Prawn.Document", "Roo.Excelx", "Roo.CSV"}


def _local_work_only(call: Node) -> bool:
    """The block's every statement is a call (or an assignment of one) to a local parsing or
    encoding library."""
    block = call.child_by_field_name("block")
    body = block.child_by_field_name("body") if block is not None else None
    statements = [s for s in (body.named_children if body is not None else []) if s.type != "comment"]
    if not statements:
        return False
    for statement in statements:
        node = statement.child_by_field_name("right") if statement.type == "assignment" else statement
        if node is None or node.type != "call":
            return False
        receiver = node.child_by_field_name("receiver")
        root = receiver
        while root is not None and root.type == "call" and root.child_by_field_name("receiver") is not None:
            root = root.child_by_field_name("receiver")  # PDF::Reader.new(path).page_count -> PDF::Reader
        if syntax.callee_text(receiver) not in LOCAL_LIBS and syntax.callee_text(root) not in LOCAL_LIBS:
            return False
    return True


# Local command-line tools and diff computations run inside a Timeout block (round 22, the round-21 requests
# of canine and pact-broker): `kubectl.call(%w[get deployment] + ...)` through a project's wrapper of the
# CLI, `Open3.capture3(...)`, `PactBroker::Pacts::Diff.new.process(...)` (a diff computed in the process).
COMMAND_HOLDERS = re.compile(r"^@?(?:kubectl|helm|docker|git_cli|terraform|cli|shell|command|cmd)$", re.I)
# (Not `popen3` / `system` as such: smart-proxy labels the Timeout around its dnscmd.exe client.)
COMMAND_CALLS: frozenset = frozenset()
DIFF_CLASS = re.compile(r"(?:^|\.)(?:\w+)?Diff(?:er|y)?$")


def _local_command(call: Node) -> bool:
    """The block runs a local command through a project's CLI wrapper (a call on a ``kubectl`` / ``helm`` /
    ``cli`` holder) or computes a diff (a ``*Diff`` class): local work."""
    block = call.child_by_field_name("block")
    if block is None:
        return False
    for node in walk(block):
        if node.type != "call":
            continue
        receiver = node.child_by_field_name("receiver")
        method = text(node.child_by_field_name("method"))
        if receiver is None and method in COMMAND_CALLS:
            return True
        if receiver is None:
            continue
        root = receiver
        while root.type == "call" and root.child_by_field_name("receiver") is not None:
            root = root.child_by_field_name("receiver")
        if (receiver.type in ("identifier", "instance_variable") and COMMAND_HOLDERS.match(text(receiver))) or \
                (method == "process" and DIFF_CLASS.search(syntax.callee_text(root))):
            return True
    return False


# String, regular-expression and collection methods: a block calling only these works on data in memory
# (`Timeout.timeout(2) { output.scan(REGEXP).map { |m| m[1].strip } }` guards a runaway regex).
TEXT_METHODS = frozenset({
    "scan", "match", "match?", "gsub", "gsub!", "sub", "sub!", "split", "strip", "lstrip", "rstrip", "chomp",
    "squish", "downcase", "upcase", "tr", "lines", "chars", "each_line", "map", "each", "filter_map", "flat_map",
    "select", "reject", "first", "last", "join", "uniq", "compact", "sort", "sort_by", "count", "size", "length",
    "include?", "start_with?", "end_with?", "to_i", "to_s", "to_sym", "to_a", "to_h", "freeze", "dup", "min",
    "max", "sum", "zip", "present?", "blank?", "nil?", "empty?", "presence", "unicode_normalize"})


def _text_work_only(call: Node) -> bool:
    """Every call in the block is a string, regular-expression or collection method on a value
    (``output[:stderr].scan(REGEXP).map { |m| m[1].strip }``): the timeout guards a runaway regular
    expression over data already in memory, no other service is waited for."""
    block = call.child_by_field_name("block")
    if block is None:
        return False
    calls = [n for n in walk(block) if n.type == "call"]
    if not calls:
        return False
    for node in calls:
        method = node.child_by_field_name("method")
        if method is None or text(method) not in TEXT_METHODS or node.child_by_field_name("receiver") is None:
            return False
        root = node.child_by_field_name("receiver")
        while root is not None and root.type in ("call", "element_reference"):
            root = root.child_by_field_name("receiver") if root.type == "call" else root.named_children[0]
        if root is not None and root.type == "identifier" and not _is_parameter(text(root), root) \
                and syntax.local_assignment(text(root), root) is None:
            return False  # `fetch_rows.map(..)`: a method of this program, which may call anything
    return True


def _local_port_search(f: RubyFile, call: Node) -> bool:
    """``Timeout.timeout(5) { until free_port?(port = rand(PORTS)); end }`` with ``free_port?``
    binding a socket of this host: a search for a free local port, no other service is waited for.
    Every call in the block is one of this file's methods (or ``rand``), and each of those binds."""
    block = call.child_by_field_name("block")
    if block is None:
        return False
    methods = {text(n.child_by_field_name("name")): n for n in walk(f.root) if n.type == "method"}
    called = [text(n.child_by_field_name("method")) for n in walk(block) if n.type == "call"]
    called += [text(n) for n in walk(block) if n.type == "identifier" and text(n) in methods]
    own = [m for m in called if m not in ("rand", "sample")]
    if not own or any(m not in methods for m in own):
        return False
    for name in set(own):
        inner = {text(n.child_by_field_name("method")) for n in walk(methods[name]) if n.type == "call"}
        if "bind" not in inner or inner & {"connect", "get", "post", "request", "start", "open"}:
            return False
    return True


def _record_wait(call: Node) -> bool:
    """``Timeout.timeout(5) { until @attachment.masked?; sleep 0.5; @attachment.reload; end }``: a
    bound on waiting for a background job to update a record (the loop sleeps and reloads it), not
    on a call to another service."""
    block = call.child_by_field_name("block")
    if block is None:
        return False
    loops = [n for n in walk(block) if n.type in ("until", "while") or (
        n.type == "call" and text(n.child_by_field_name("method")) == "loop" and n.child_by_field_name("receiver") is None)]
    if not loops:
        return False
    calls = [n for n in walk(block) if n.type == "call"]
    methods = {text(n.child_by_field_name("method")) for n in calls}
    return "sleep" in methods and "reload" in methods and not any(
        syntax.callee_text(n.child_by_field_name("receiver")).split(".", 1)[0] in HTTP_ROOTS for n in calls)


# ActiveRecord reads and writes of one's own database, and bookkeeping around them
STORE_METHODS = frozenset({"where", "where_not", "not", "count", "exists?", "any?", "none?", "empty?", "size", "pluck",
                           "order", "limit", "find_each", "find_by", "find", "first", "last", "update_all",
                           "delete_all", "reload", "positive?", "zero?", "negative?", "current", "now", "to_i",
                           "debug", "info", "warn", "error", "log", "puts", "sleep", "loop", "times", "each"})


def _own_store_wait(f: RubyFile, call: Node) -> bool:
    """``Timeout.timeout(import_timeout) { wait_for_quiescence!; loop { ... } }`` where this file's
    methods poll its own database with a pause (``loop do break if pending_good_jobs.zero?; sleep
    poll_interval end`` over ``GoodJob::Job.where(..).count``): a bound on waiting for its own
    background jobs to drain (round 21, hyku), not on a call to another service. Every call of the
    block, and of the file's methods it reaches, is one of those methods, an ActiveRecord query or
    bookkeeping; at least one sleeps."""
    block = call.child_by_field_name("block")
    if block is None:
        return False
    methods = {text(n.child_by_field_name("name")): n for n in walk(f.root) if n.type == "method"}
    todo, seen, slept = [block], set(), False
    while todo:
        node = todo.pop()
        logged: list[tuple[int, int]] = []
        for inner in walk(node):
            if any(start <= inner.start_byte and inner.end_byte <= end for start, end in logged):
                continue  # inside a log line's message
            if inner.type == "identifier" and text(inner) in methods and text(inner) not in seen \
                    and syntax.local_assignment(text(inner), inner) is None:
                seen.add(text(inner))
                todo.append(methods[text(inner)])
            if inner.type != "call":
                continue
            name = text(inner.child_by_field_name("method"))
            receiver = inner.child_by_field_name("receiver")
            if name == "sleep":
                slept = True
            if receiver is not None and syntax.callee_text(receiver).split(".", 1)[0] in HTTP_ROOTS:
                return False
            if (receiver is not None and syntax.callee_text(receiver).lower().endswith("logger")) or \
                    (receiver is None and name in ("log", "puts", "log_info", "log_debug")):
                logged.append((inner.start_byte, inner.end_byte))
                if receiver is None and name in methods and name not in seen:
                    seen.add(name)
                    todo.append(methods[name])
                continue  # `logger.public_send(level, message)`, `log "drained #{x}"`: a log line
            if receiver is None and name in methods:
                if name not in seen:
                    seen.add(name)
                    todo.append(methods[name])
                continue
            if name not in STORE_METHODS:
                return False
    return slept and bool(seen)


HTTP_ROOTS = {"Net", "Faraday", "HTTParty", "RestClient", "Typhoeus", "HTTP", "Excon", "HTTPX", "URI", "Open3"}
