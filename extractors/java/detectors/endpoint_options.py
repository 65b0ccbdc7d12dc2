"""Timeouts given as options of an endpoint URI or of a route message in Java code.

What it does: reports a timeout option written into a URI's query in a string (``"http://risk:8080/score?
connectTimeout=2000&socketTimeout=5000"``, an Apache Camel endpoint ``"https4://host/path?httpClient.socketTimeout="
+ timeout``, an option suffix built for such endpoints ``"?socketTimeout=" + t + "&connectTimeout=" + t``, a JDBC or
MongoDB URL ``"jdbc:mysql://db/orders?connectTimeout=3000"``, ``"mongodb://db/?serverSelectionTimeoutMS=2000"``): the
number after ``=`` in the same string, else the operand concatenated right after it. Also, in files using Apache
Camel, a route that sets such an option as a message header or exchange property before it sends
(``.setHeader("httpClient.socketTimeout", constant(socketTimeout))``). Phases: connect/connection-request/login/
server-selection -> connect, socket/so/response/read -> read, request -> total. Units: ms (Camel, MySQL/MariaDB, SQL
Server, MongoDB ``...MS``); PostgreSQL's ``connectTimeout``/``socketTimeout``/``loginTimeout`` are seconds.

An option must follow ``?`` or ``&`` (a query), so ``"timeout="`` in a log message or ``"readTimeout"`` as a word is
not one; idle, keep-alive, lease and session options are not limits on a call.

Why it matters: an endpoint URI carries its client's limits where no builder call shows them; Camel routes and JDBC
URLs set a service's outbound timeouts only there.

Example: ``.to("http://pricing/quote?connectTimeout=1000&socketTimeout=3000")`` -> timeout 1000 ms (connect) and
3000 ms (read).
"""

from __future__ import annotations

import re

from contract_discovery.values import Expr, Num, Unknown
from extractors import treesitter as ts
from extractors.base import detector
from extractors.java.jvm import documented
from extractors.java.syntax import JavaFile, arguments, expr_of, local_initializer, name_location, own_field_name, \
    string_of

ID = "java.endpoint_options"

# option name (lower case, without a `httpClient.`/`httpClientConfig.` prefix) -> phase
_OPTIONS = {
    "connecttimeout": "connect", "connectiontimeout": "connect", "connectionrequesttimeout": "connect",
    "logintimeout": "connect", "connecttimeoutms": "connect", "serverselectiontimeoutms": "connect",
    "sockettimeout": "read", "sotimeout": "read", "responsetimeout": "read", "readtimeout": "read",
    "sockettimeoutms": "read", "requesttimeout": "total",
}
_QUERY_OPTION = re.compile(r"[?&](?:httpClient(?:Config)?\.)?(?P<name>[A-Za-z]+)=(?P<value>[^&\"]*)")
_POSTGRES_SECONDS = {"connecttimeout", "sockettimeout", "logintimeout"}


def _option_phase(name: str) -> str | None:
    return _OPTIONS.get(name.lower())


@detector(ID, "java", ["timeout"],
          valid=['log.info("retry with timeout=5 later");', 'String u = "http://svc/path?idleTimeout=60000";',
                 'headers.put("readTimeout", "x");'],
          invalid=['from("direct:a").to("http://risk/score?connectTimeout=2000&socketTimeout=5000");',
                   'String u = "jdbc:mysql://db:3306/orders?connectTimeout=3000";'])
@documented(__doc__)
def detect(jf: JavaFile) -> None:
    for node in jf.strings:
        text = string_of(node)
        if not text or "=" not in text or not re.search(r"timeout", text, re.IGNORECASE):
            continue
        whole = _concatenation_text(node)
        seconds = bool(re.search(r"jdbc:postgresql", whole, re.IGNORECASE))
        for m in _QUERY_OPTION.finditer(text):
            phase = _option_phase(m.group("name"))
            if phase is None:
                continue
            raw = m.group("value").strip()
            if raw:
                if not re.fullmatch(r"\d+", raw):
                    continue  # `{{timeout}}` property placeholders and the like: left to the configuration
                expr, source = Num(float(raw)), raw
            elif m.end() == len(text):
                operand = _next_operand(node)
                if operand is None:
                    continue
                expr, source = _operand_value(operand), ts.text(operand)
            else:
                continue
            scale = 1000.0 if seconds and m.group("name").lower() in _POSTGRES_SECONDS else 1.0
            jf.sink.timeout(ts.location(node), ID, phase, expr, scale, source, jf.evidence(node),
                            extra={"library": "uri", "option": m.group("name")}, zero_disables=False)
    if not _uses_camel(jf):
        return
    for site in jf.calls:
        if site.name not in ("setHeader", "setProperty", "setExchangeProperty"):
            continue
        args = arguments(site.node)
        if len(args) != 2 or args[0].type != "string_literal":
            continue
        key = (string_of(args[0]) or "").rsplit(".", 1)[-1]
        phase = _option_phase(key)
        if phase is None:
            continue
        value = args[1]
        if value.type == "method_invocation" and ts.text(value.child_by_field_name("name")) == "constant" \
                and len(arguments(value)) == 1:
            value = arguments(value)[0]
        elif value.type not in ("decimal_integer_literal", "identifier", "field_access"):
            continue
        jf.sink.timeout(name_location(site.node, site.name_node), ID, phase, _operand_value(value), 1.0,
                        ts.text(value), jf.evidence(site.name_node), extra={"library": "camel", "option": key},
                        zero_disables=False)


def _uses_camel(jf: JavaFile) -> bool:
    return any(q.startswith("org.apache.camel") for q in jf.imports.values()) or b"import org.apache.camel" in jf.data


def _concatenation_text(node: ts.Node) -> str:
    top = node
    while top.parent is not None and top.parent.type == "binary_expression":
        top = top.parent
    return ts.text(top)


def _next_operand(node: ts.Node) -> ts.Node | None:
    """The operand concatenated right after a string: ``"?t=" + x`` -> x; ``(.. + "&t=") + x`` -> x."""
    parent = node.parent
    if parent is None or parent.type != "binary_expression" or ts.text(parent.child_by_field_name("operator")) != "+":
        return None
    if parent.child_by_field_name("left") == node:
        return parent.child_by_field_name("right")
    grand = parent.parent
    if parent.child_by_field_name("right") == node and grand is not None and grand.type == "binary_expression" \
            and grand.child_by_field_name("left") == parent and ts.text(grand.child_by_field_name("operator")) == "+":
        return grand.child_by_field_name("right")
    return None


def _operand_value(node: ts.Node) -> Expr:
    """A concatenated or header value: a local's single initializer, a field or constant by name; a local assigned in
    branches stays unknown (its name is no setting to look up)."""
    if node.type == "identifier" and own_field_name(node) is None:
        initializer = local_initializer(node)
        if initializer is not None:
            return expr_of(initializer)
        if _local_declared(node):
            return Unknown(ts.text(node))
    return expr_of(node)


def _local_declared(identifier: ts.Node) -> bool:
    name = ts.text(identifier)
    method = next((a for a in ts.ancestors(identifier) if a.type in ("method_declaration", "constructor_declaration",
                                                                     "lambda_expression")), None)
    if method is None:
        return False
    for n in ts.walk(method):
        if n.type == "variable_declarator" and ts.text(n.child_by_field_name("name")) == name:
            return True
        if n.type == "formal_parameter" and ts.text(n.child_by_field_name("name")) == name:
            return True
    return False
