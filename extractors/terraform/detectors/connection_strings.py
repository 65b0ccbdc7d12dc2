"""Connection strings a resource hands to a service (round 14): an App Service's or Function App's
``app_settings`` / ``connection_string { value }``, a Lambda's or container's environment, a secret's
value, a module's input. ``"Server=tcp:${...},1433;Initial Catalog=orders;Connection Timeout=30;"``
is the connect timeout of every call the service makes to that database, though no line of its code
says so: the driver reads the string (ADO.NET: ``Connect Timeout`` / ``Connection Timeout`` /
``Timeout`` connect, ``Command Timeout`` every command, seconds; StackExchange.Redis
``connectTimeout`` / ``syncTimeout`` ms and ``connectRetry``; MongoDB URIs' ``connectTimeoutMS`` ...:
the rules of the .NET settings reader, extractors/appsettings).

Read in every quoted string of a ``resource``, ``module`` or ``locals`` block (interpolations
``${...}`` stand for a value the string does not need: the host, the user). A string counts as an
ADO.NET connection string only when it also names a server or a database, so ``"Timeout=30"`` alone
or a word ``timeout`` in a description is not read. Zero (wait forever) is left out.

Example: ``BC_DB_CONNECTION = "Server=tcp:${var.host},1433;Initial Catalog=bc;Connection Timeout=30;"``
-> ``timeout timeout_ms=30000 phase=connect`` at that line."""

from __future__ import annotations

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors import treesitter as ts
from extractors.appsettings.settings_files import connection_string_timeouts
from extractors.base import detector
from extractors.terraform.context import TerraformFile
from extractors.terraform.hcl import Block

ID = "terraform.connection_string"
RESOURCE_TYPES: tuple[str, ...] = ()  # every resource: dispatched by the extractor for each block
BLOCK_TYPES = ("resource", "module", "locals")
_MAX_CHARS = 4000


def _string_text(node: ts.Node) -> str:
    """The string's text with each ``${...}`` interpolation replaced by ``x``."""
    parts = []
    for child in node.children:
        if child.type == "template_literal":
            parts.append(ts.text(child))
        elif child.type in ("template_interpolation", "template_directive"):
            parts.append("x")
    return "".join(parts)


@detector(ID, "terraform", ("timeout", "retry"),
          valid=['resource "azurerm_linux_web_app" "w" {\n  app_settings = {\n'
                 '    NOTE = "Timeout=30;retry later"\n  }\n}',
                 'resource "aws_lb" "lb" {\n  description = "Connection Timeout=30 applies"\n}',
                 '# "Server=db;Database=x;Connect Timeout=30"\nresource "aws_lb" "lb" {\n  name = "x"\n}'],
          invalid=['resource "azurerm_linux_web_app" "w" {\n  app_settings = {\n'
                   '    DB = "Server=tcp:${var.host},1433;Initial Catalog=bc;Connection Timeout=30;"\n  }\n}'])
def detect(block: Block, tf: TerraformFile) -> list[Finding]:
    """Timeouts (and StackExchange.Redis ``connectRetry``) written in a connection string a resource,
    module call or local hands to a service (``app_settings``, environment, secret values).

    What it does: every quoted string of the block that reads as a connection string (ADO.NET with a
    server or database key, a Redis configuration string, a MongoDB URI) gives its timeout keys as
    ``timeout`` findings at the string's line (``Connection Timeout=30`` -> 30 000 ms, phase connect;
    ``Command Timeout`` phase total) and ``connectRetry`` as a ``retry``.

    Why it matters: the deployment is often the only place a service's database timeouts are
    written; its code opens the connection with whatever string it is handed.
    """
    if block.type not in BLOCK_TYPES:
        return []
    found: list[Finding] = []
    seen: set[tuple[int, str, str]] = set()
    for node in ts.walk(block.node):
        if node.type not in ("quoted_template", "string_lit"):
            continue
        value = _string_text(node)
        if "=" not in value or len(value) > _MAX_CHARS:
            continue
        for kind, phase, ms, attempts in connection_string_timeouts(value):
            line = node.start_point[0] + 1
            if (line, kind, phase) in seen:
                continue
            seen.add((line, kind, phase))
            if kind == "retry":
                attrs = {"max_attempts": attempts, "backoff": None, "retry_on": None,
                         "mechanism": "client_config", "library": "stackexchange.redis",
                         "resource": block.address}
            else:
                attrs = {"timeout_ms": normalise_ms(ms), "phase": phase, "resolved_from": "literal",
                         "resource": block.address, "expression": ts.text(node)[:120]}
            found.append(tf.finding(kind, node, ID, attrs))
    return found
