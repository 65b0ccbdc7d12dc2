"""Timeout and retry flags handed to a spawned HTTP or SSH client (curl, wget, ssh).

What it does: in the argument list the code builds for ``curl`` / ``wget`` / ``ssh`` (an array of
strings, ``args += ["--retry", "3"]``, ``cmd.push("-o", "ConnectTimeout=2")``, or one command
string ``"curl --max-time 30 #{url}"``), reads the flags that bound the call:
curl ``--connect-timeout N`` (phase connect), ``--max-time N`` / ``-m N`` (total) and
``--retry N`` (N + 1 attempts); wget ``--timeout=N`` / ``-T N`` (total), ``--connect-timeout=N``,
``--read-timeout=N`` and ``--tries=N`` (N attempts); ssh ``-o ConnectTimeout=N`` (connect).
Values are seconds; a flag's value may be an expression (``connect_timeout.to_s`` of a parameter
with a default takes the default, as a helper's own line does).

Not reported: a flag in a file that names none of these programs, a value that is not a number or
an expression of one (``--retry-delay``, ``--retry-max-time`` are not bounds of a try), flags in
comments.

Why it matters: a service that downloads or runs remote commands through a spawned client has no
library option to read; these flags are the only bound on that call.

Example: ``args += ["--max-time", "3600"]`` in a file running ``which('curl')`` -> timeout
3600000 ms, phase total.
"""

from __future__ import annotations

import re
from typing import Iterable

from contract_discovery.model import Finding
from extractors.ruby import syntax
from extractors.ruby.context import RubyFile, max_attempts, ruby_detector
from extractors.treesitter import Node, text, walk

ID = "ruby.cli_flags"
PROGRAMS = re.compile(rb"""(?:['"`(\s]|which\(['"])(?:curl|wget|ssh)\b""")
# flag -> (kind, phase or attempts offset)
FLAGS = {
    "--connect-timeout": ("timeout", "connect"), "--max-time": ("timeout", "total"), "-m": ("timeout", "total"),
    "--retry": ("retry", 1), "--timeout": ("timeout", "total"), "-T": ("timeout", "total"),
    "--read-timeout": ("timeout", "read"), "--tries": ("retry", 0), "-t": ("retry", 0),
}
INLINE = re.compile(r"(?:^|\s)(--connect-timeout|--max-time|--retry|--timeout|--read-timeout|--tries)[ =](\d+(?:\.\d+)?)\b")
SSH_OPTION = re.compile(r"^ConnectTimeout=(\d+(?:\.\d+)?)$")


@ruby_detector(ID, ("timeout", "retry"),
               valid=("args = ['--retry', '3']  # no client program named here\n",
                      "cmd = ['curl', '--retry-delay', '10', url]\n",
                      "# system('curl --max-time 5 http://x')\n"),
               invalid=("args = [which('curl'), '--connect-timeout', '10']\nargs += ['--retry', '3']\n",
                        "system(\"curl --max-time 30 #{url}\")\n",
                        "cmd = [ssh_binary]\ncmd.push('-o', 'ConnectTimeout=2')\nshell('ssh', cmd)\n"))
def detect(f: RubyFile) -> Iterable[Finding]:
    if not PROGRAMS.search(f.data) or not _names_program(f):
        return
    seen: set[int] = set()
    for node in walk(f.root):
        if node.type not in ("string", "string_content"):
            continue
        if node.type == "string_content":
            found = _inline(f, node)
            if found is not None:
                yield found
            continue
        value = syntax.string_literal(node)
        if value is None or node.start_byte in seen:
            continue
        match = SSH_OPTION.match(value)
        if match:
            seen.add(node.start_byte)
            yield _literal(f, node, "timeout", "connect", float(match.group(1)), value)
            continue
        if value not in FLAGS:
            continue
        following = _next_argument(node)
        if following is None:
            continue
        kind, how = FLAGS[value]
        if following.type == "call" and text(following.child_by_field_name("method")) in ("to_s", "to_i", "to_f"):
            following = following.child_by_field_name("receiver") or following
        literal = syntax.string_literal(following)
        if literal is not None:
            if not re.fullmatch(r"\d+(?:\.\d+)?", literal):
                continue
            if kind == "timeout":
                yield _literal(f, node, kind, how, float(literal), f"{value} {literal}")
            else:
                yield _literal(f, node, kind, how, float(literal) + how, f"{value} {literal}")
            continue
        if following.type not in ("identifier", "integer", "float", "constant", "scope_resolution",
                                  "instance_variable"):
            continue
        if kind == "timeout":
            yield f.timeout(node, following, how, ID, _program(value))
        else:
            attempts, pending = max_attempts(following, add=how)
            attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None, "mechanism": "client_config",
                     "library": _program(value)}
            yield f.finding("retry", node, ID, attrs, "high" if not pending else "medium", pending=pending)


def _names_program(f: RubyFile) -> bool:
    """A string or a name of the code (not a comment) names curl, wget or ssh (``which('curl')``,
    ``ssh_binary``, a command string)."""
    for node in walk(f.root):
        if node.type == "string_content" and re.search(r"\b(?:curl|wget|ssh)\b", text(node)):
            return True
        if node.type == "identifier" and re.match(r"(?:curl|wget|ssh)(?:_|$)", text(node)):
            return True
    return False


def _program(flag: str) -> str:
    return "wget" if flag in ("--tries", "-t", "-T", "--read-timeout", "--timeout") else "curl"


def _literal(f: RubyFile, node: Node, kind: str, how, number: float, shown: str) -> Finding:
    if kind == "timeout":
        attrs = {"timeout_ms": number * 1000.0 if number * 1000.0 % 1 else int(number * 1000), "phase": how,
                 "resolved_from": "literal", "expression": shown}
    else:
        attrs = {"max_attempts": int(number), "backoff": None, "retry_on": None, "mechanism": "client_config",
                 "library": "curl"}
    return f.finding(kind, node, ID, attrs, "high")


def _next_argument(node: Node) -> Node | None:
    """The element after ``node`` in its array or argument list (``["--retry", "3"]``,
    ``push("--retry", n)``)."""
    parent = node.parent
    if parent is None or parent.type not in ("array", "argument_list"):
        return None
    siblings = parent.named_children
    for i, sibling in enumerate(siblings):
        if sibling.start_byte == node.start_byte and i + 1 < len(siblings):
            return siblings[i + 1]
    return None


def _inline(f: RubyFile, content: Node) -> Finding | None:
    """``"curl --max-time 30 #{url}"``: a flag and its number inside one command string."""
    raw = text(content)
    if not re.search(r"\b(?:curl|wget)\b", raw) and not re.search(
            r"\b(?:curl|wget)\b", text(content.parent) if content.parent is not None else ""):
        return None
    match = INLINE.search(raw)
    if match is None:
        return None
    flag, number = match.group(1), float(match.group(2))
    kind, how = FLAGS[flag]
    if kind == "retry":
        return _literal(f, content, kind, how, number + how, f"{flag} {match.group(2)}")
    return _literal(f, content, kind, how, number, f"{flag} {match.group(2)}")
