"""curl / wget calls a workload's container makes in its own ``command`` / ``args`` (round 12).

A CronJob that pokes a service (``curl -XPUT --connect-timeout 5 --max-time 10 --retry 5
http://svc/queue-admin/retry-all-dlqs``) states the bounds of that call on the command line, nowhere
else. Read as written (a Helm template is not YAML until it is rendered): the lines of each
container's ``command`` and ``args`` lists, one command per line of a script (a line ending in ``\\``
goes on), or one token per list item (``- curl``, ``- --max-time``, ``- "10"``).

Reported: curl's ``--connect-timeout`` (``phase: connect``) and ``--max-time`` / ``-m`` (``total``),
seconds, and ``--retry n`` (``max_attempts = n + 1``); wget's ``--timeout=`` / ``-T`` (``total``)
and ``--tries=`` / ``-t`` (attempts, ``0`` = unbounded). Not reported: init containers (their curl
loops wait for a dependency), probes and lifecycle hooks (other keys), a script with a loop or a
sleep (a poll), a value a Helm placeholder stands for.
"""

from __future__ import annotations

import re
from typing import Any

from contract_discovery.model import Finding, Target
from contract_discovery.values import normalise_ms
from extractors.base import detector
from extractors.kubernetes.context import LANGUAGE, resource_name, service_of_host
from extractors.kubernetes.manifest import Document, get, items

ID = "kubernetes.container_commands"
KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet", "ConfigMap")

_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
_POLL = re.compile(r"(?:^|[\s;&|(])(?:until|while|for)\s|\bsleep\s+\d|\bwatch\s")
_SEPARATORS = {";", "&&", "||", "|", "then", "do", "done", "fi", "else", "&"}
_URL = re.compile(r"https?://([^/:\s\"'$]+)")
_CURL_TIMEOUTS = {"--connect-timeout": "connect", "--max-time": "total", "-m": "total"}
_TOKEN = r"\"[^\"]*\"|'[^']*'|[^\s,\[\]]+"


def _containers(doc: Document) -> list:
    spec = get(doc.root, "spec")
    if doc.kind == "CronJob":
        spec = get(get(get(get(spec, "jobTemplate"), "spec"), "template"), "spec")
    elif doc.kind != "Pod":
        spec = get(get(spec, "template"), "spec")
    return items(get(spec, "containers"))


def _tokens(lines: list[str], first: int, last: int) -> list[tuple[str, int]]:
    """(token, 1-based line) of the list lines ``first``..``last`` (0-based), a script's line break
    kept as a ``;`` separator; Helm placeholders are one token each."""
    out: list[tuple[str, int]] = []
    indent = None
    for index in range(first, min(last + 1, len(lines))):
        stripped = lines[index].lstrip()
        if not stripped:
            continue
        depth = len(lines[index]) - len(stripped)
        if indent is None and stripped.startswith("- "):
            indent = depth
        elif indent is not None and depth < indent:
            break  # the key after the list (a block list's node may end there)
        raw = _PLACEHOLDER.sub("TEMPLATED", lines[index].split(" #", 1)[0] if " #" in lines[index] else lines[index])
        text = raw.strip()
        item = text.startswith("- ")
        if item:
            text = text[2:].strip()
        elif text.startswith(("command:", "args:")):
            text = text.split(":", 1)[1].strip()
        text = text.strip("[],")
        for token in re.findall(_TOKEN, text):
            token = token.strip("\"'")
            # a quoted script (`"wget --timeout=15 http://x && run"`): its own words
            for word in (re.findall(_TOKEN, token) if re.search(r"\s", token) else [token]):
                out.append((word.strip("\"'"), index + 1))
        if not item and not text.endswith("\\"):
            out.append((";", index + 1))  # a script line: the command ends here
    return out


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _calls(tokens: list[tuple[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Each curl / wget invocation: (program, its tokens up to a separator)."""
    calls: list[tuple[str, list[tuple[str, int]]]] = []
    current: list[tuple[str, int]] | None = None
    for token, line in tokens:
        name = token.rsplit("/", 1)[-1]
        if name in ("curl", "wget"):
            current = []
            calls.append((name, current))
            continue
        if token in _SEPARATORS:
            current = None
            continue
        if current is not None:
            current.append((token, line))
    return calls


def _flags(program: str, args: list[tuple[str, int]]) -> list[tuple[str, str, int, str]]:
    """(kind, phase or '', line, value text) of the bounds one call's arguments set."""
    out: list[tuple[str, str, int, str]] = []
    for i, (token, line) in enumerate(args):
        following = args[i + 1] if i + 1 < len(args) else None
        if program == "curl":
            if token in _CURL_TIMEOUTS and following:
                out.append(("timeout", _CURL_TIMEOUTS[token], line, following[0]))
            elif token == "--retry" and following:
                out.append(("retry", "", line, following[0]))
        else:
            name, _, value = token.partition("=")
            if name in ("--timeout", "-T") and (value or following):
                out.append(("timeout", "total", line, value or following[0]))
            elif name in ("--tries", "-t") and (value or following):
                out.append(("retry", "", line, value or following[0]))
    return out


def _target(args: list[tuple[str, int]]) -> Target | None:
    for token, _ in args:
        match = _URL.search(token)
        if match:
            service = service_of_host(match.group(1))
            return Target(url=token, service=service, operation=None) if service else None
    return None


@detector(ID, "kubernetes", ["timeout", "retry"],
          valid=["apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: poke}\nspec:\n  jobTemplate:\n    spec:\n"
                 "      template:\n        spec:\n          initContainers:\n            - name: wait\n"
                 "              args: [sh, -c, 'curl --max-time 2 http://db']\n          containers:\n"
                 "            - name: poke\n              args: [sh, -c, 'until curl --max-time 2 http://api; do sleep 1; done']\n",
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
                 "      containers:\n        - name: web\n          args: [--retry-interval, '5']\n"],
          invalid=["apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: poke}\nspec:\n  jobTemplate:\n    spec:\n"
                   "      template:\n        spec:\n          containers:\n            - name: poke\n"
                   "              args:\n                - /bin/sh\n                - -c\n"
                   "                - curl --connect-timeout 5 --max-time 10 --retry 5 http://api/admin/retry\n"])
def detect(doc: Document, mf) -> list[Finding]:
    """curl / wget calls a workload's container makes in its own command line.

    What it does: in a Deployment's, StatefulSet's, Job's, CronJob's ... containers' ``command`` and
    ``args`` (not init containers, not probes), each ``curl`` call's ``--connect-timeout``
    (``phase: connect``), ``--max-time`` / ``-m`` (``phase: total``), seconds, and ``--retry n``
    (``max_attempts = n + 1``); each ``wget`` call's ``--timeout`` / ``-T`` and ``--tries`` / ``-t``
    (attempts). Skipped: a script with a loop or a sleep (a poll for a dependency), a Helm
    placeholder's value.

    Why it matters: a job that calls a service says only on its command line how long it waits and
    how often it tries again.

    Example: ``curl --max-time 10 --retry 5 http://api/x`` -> ``timeout timeout_ms=10000``,
    ``retry max_attempts=6``."""
    if doc.kind == "ConfigMap":
        return _script_calls(doc, mf)
    found: list[Finding] = []
    for container in _containers(doc):
        for key in ("command", "args"):
            node = get(container, key)
            if node is None:
                continue
            first, last = node.start_mark.line, node.end_mark.line
            if node.end_mark.column == 0 and last > first:
                last -= 1
            text = "\n".join(mf.lines[first:last + 1])
            if ("curl" not in text and "wget" not in text) or _POLL.search(text):
                continue
            for program, args in _calls(_tokens(mf.lines, first, last)):
                target = _target(args)
                for kind, phase, line, value in _flags(program, args):
                    number = _number(value)
                    if number is None or number < 0:
                        continue
                    found.append(_finding(mf, doc, kind, phase, line, number, program, target))
    return found


_LOCAL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?:[:/]|$)")


def has_script_calls(data: bytes) -> bool:
    """Whether a ConfigMap's text may hold a script calling curl / wget with a bound (cheap)."""
    return (b"curl" in data or b"wget" in data) and (b"--max-time" in data or b"--connect-timeout" in data
                                                     or b"--retry" in data or b"--tries" in data
                                                     or b"--timeout" in data)


def _script_calls(doc: Document, mf) -> list[Finding]:
    """(round 20, openwhisk-deploy-kube) The curl / wget calls of a shell script a ConfigMap holds for
    a workload to run (``download_dashboards.sh: | curl --connect-timeout 60 --max-time 60 <url>``):
    a data entry named ``*.sh`` or starting with ``#!``, read as a container's script is (a loop or a
    sleep: a poll, skipped); a call to the pod's own address (a health check) is not read."""
    data = get(doc.root, "data")
    if not hasattr(data, "value") or not isinstance(data.value, list):
        return []
    found: list[Finding] = []
    for key, value in data.value:
        text = getattr(value, "value", None)
        if not isinstance(text, str) or getattr(value, "style", None) not in ("|", ">"):
            continue
        name = str(getattr(key, "value", ""))
        if not (name.endswith((".sh", ".bash")) or text.lstrip().startswith("#!")):
            continue
        if ("curl" not in text and "wget" not in text) or _POLL.search(text):
            continue
        first, last = value.start_mark.line + 1, value.end_mark.line
        if value.end_mark.column == 0 and last > first:
            last -= 1
        for program, args in _calls(_tokens(mf.lines, first, last)):
            if any(_LOCAL.search(token) for token, _ in args):
                continue
            target = _target(args)
            for kind, phase, line, value_text in _flags(program, args):
                number = _number(value_text)
                if number is None or number < 0:
                    continue
                found.append(_finding(mf, doc, kind, phase, line, number, program, target))
    return found


def _finding(mf, doc: Document, kind: str, phase: str, line: int, number: float, program: str,
             target: Target | None) -> Finding:
    evidence = mf.lines[line - 1].strip()[:200] if 0 < line <= len(mf.lines) else ""
    attrs: dict[str, Any] = {"resource": resource_name(doc), "library": program, "resolved_from": "literal",
                             "expression": evidence, "mechanism": "client_config"}
    if kind == "timeout":
        attrs.update(timeout_ms=normalise_ms(number * 1000.0), phase=phase,
                     setting="--connect-timeout" if phase == "connect" else "--max-time")
    else:
        attempts = int(number) + 1 if program == "curl" else (int(number) if number > 0 else None)
        attrs.update(max_attempts=attempts, backoff="exponential" if program == "curl" else "fixed",
                     retry_on="error", setting="--retry" if program == "curl" else "--tries")
    column = len(mf.lines[line - 1]) - len(mf.lines[line - 1].lstrip()) + 1 if 0 < line <= len(mf.lines) else 1
    return Finding(kind=kind, path=mf.path, line=line, column=column, end_line=line,
                   end_column=len(mf.lines[line - 1]) + 1 if 0 < line <= len(mf.lines) else column,
                   language=LANGUAGE, detector=ID, confidence="high", attributes=attrs, evidence=evidence,
                   target=target)
