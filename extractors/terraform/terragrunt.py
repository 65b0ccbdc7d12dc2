"""Terragrunt configuration (round 15): the ``inputs = { ... }`` a ``terragrunt.hcl`` (or a file
it includes, ``_envcommon/lambda.hcl``) hands to the Terraform module its ``terraform { source }``
names.

A Terragrunt input is a module variable's value, as a module call's argument is: the rule (c) of
the helper convention, reported at the input's line. The module is most often remote (a git or
registry source not in the tree), so, as the remote module calls of ``.tf`` files are read, an
input is read by its name: a key that names a timeout (``lambda_timeout``, ``timeout``,
``visibility_timeout_seconds``, ``idle_timeout``, ``*_timeout_ms`` ...) is a ``timeout`` in seconds
(milliseconds for ``_ms`` / ``_milliseconds`` names), a key that names a retry bound
(``max_receive_count``, ``max_attempts``: attempts; ``maximum_retry_attempts``, ``max_retries``:
retries, one more attempt) is a ``retry``. Objects and lists of objects inside ``inputs`` are read
the same way (``sqs_queues = [{ visibility_timeout = 30 }]``). A literal number (or a numeric
string, ``"14"``) is the value; anything else (``local.x``, ``dependency.db.outputs.t``) is a
finding with no value.

Not read: names of probes, sessions, locks and lifetimes (``health_check_timeout``,
``session_timeout``, ``deregistration_delay``, ``*_ttl``), a file with no top-level ``inputs``
(Packer, Nomad, Vault ``.hcl``), the provider lock file.
"""

from __future__ import annotations

import re

from contract_discovery.model import Finding
from extractors import treesitter as ts
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Attribute, object_items

ID = "terraform.terragrunt_input"

_TIMEOUT_NAME = re.compile(r"(?:^|_)timeout(?:_in)?(?:_(?:seconds|secs?|ms|milliseconds))?$")
_RETRY_ATTEMPTS = re.compile(r"(?:^|_)(?:max_receive_count|max_receives?|max_attempts|max_delivery_attempts|"
                             r"maximum_attempts)$")
_RETRY_RETRIES = re.compile(r"(?:^|_)(?:maximum_retry_attempts|max_retry_attempts|retry_attempts|max_retries|"
                            r"retries|retry_count)$")
# timeouts that bound no call: probes, sessions, locks, drains, the wait of a deployment
_NOT_A_CALL = re.compile(r"health|probe|session|token|lock|drain|deregistration|cooldown|grace|ttl|cache|"
                         r"evaluation|deploy|shutdown|termination|startup|password|login|alarm|"
                         r"(?:create|update|delete|destroy)_timeout")


def is_terragrunt(path: str) -> bool:
    return path.endswith(".hcl") and not path.endswith(".terraform.lock.hcl")


def _number(node) -> float | None:
    text = ts.text(node).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    try:
        return float(text)
    except ValueError:
        return None


def _kind(key: str) -> tuple[str, float] | None:
    """("timeout", ms per unit) / ("retry", attempts offset) for an input named for a setting."""
    name = key.lower()
    if _NOT_A_CALL.search(name):
        return None
    if _TIMEOUT_NAME.search(name):
        return "timeout", 1.0 if re.search(r"_(?:ms|milliseconds)$", name) else 1000.0
    if _RETRY_ATTEMPTS.search(name):
        return "retry", 0.0
    if _RETRY_RETRIES.search(name):
        return "retry", 1.0
    return None


def _walk(items: list[tuple[str | None, Attribute]], tf: TerraformFile, depth: int, out: list[Finding]) -> None:
    for key, attr in items:
        if key and _NOT_A_CALL.search(key.lower()):
            continue  # a probe's, a session's ... settings, and whatever an object of them holds
        inner = object_items(attr.value)
        if inner:
            if depth < 4:
                _walk(inner, tf, depth + 1, out)
            continue
        node = attr.value
        while node is not None and node.type in ("expression", "collection_value") and node.named_child_count == 1:
            node = node.named_children[0]
        if node is not None and node.type == "tuple":
            if depth < 4:
                for element in node.named_children:
                    _walk(object_items(element), tf, depth + 1, out)
            continue
        if not key:
            continue
        kind = _kind(key)
        if kind is None:
            continue
        value = _number(attr.value)
        if kind[0] == "timeout":
            ms = None if value is None or value <= 0 else int(value * kind[1])
            out.append(tf.finding("timeout", attr.node, ID, {
                "timeout_ms": ms, "phase": None, "library": "terragrunt", "setting": key,
                "expression": attr.text}, confidence="high" if ms is not None else "medium"))
        else:
            attempts = None if value is None or value < 0 else int(value + kind[1])
            out.append(tf.finding("retry", attr.node, ID, {
                "max_attempts": attempts, "backoff": None, "retry_on": "error", "library": "terragrunt",
                "setting": key, "expression": attr.text}, confidence="high" if attempts is not None else "medium"))


def inputs_findings(tree, path: str) -> list[Finding]:
    """The timeouts and retry bounds a Terragrunt file's top-level ``inputs`` hands to its module."""
    body = next((c for c in tree.root_node.named_children if c.type == "body"), None)
    if body is None:
        return []
    tf = TerraformFile(path=path, blocks=[])
    found: list[Finding] = []
    for attribute in body.named_children:
        if attribute.type != "attribute" or attribute.named_child_count < 2:
            continue
        if ts.text(attribute.named_children[0]).strip() != "inputs":
            continue
        _walk(object_items(attribute.named_children[1]), tf, 0, found)
    return found
