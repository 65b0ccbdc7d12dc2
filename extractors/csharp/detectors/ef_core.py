"""Database command timeouts and Entity Framework Core's retrying execution strategy.

What it does: ``sqlOptions.EnableRetryOnFailure(maxRetryCount: 15, maxRetryDelay: ...)`` -> retry
with 16 attempts (EF counts retries; ``EnableRetryOnFailure()`` alone retries 6 times, 7
attempts), exponential backoff with jitter; ``o.CommandTimeout(30)`` inside the provider's
options lambda (``UseSqlServer(cs, o => ...)``, ``UseNpgsql``...) and
``db.Database.SetCommandTimeout(...)`` -> timeout on every database command (an ``int`` is
seconds, a ``TimeSpan`` is read as such); ADO.NET ``command.CommandTimeout = 30``,
``bulkCopy.BulkCopyTimeout = 120`` and Dapper's ``commandTimeout: 30`` argument -> timeout on that
command (seconds; reported on the argument's line), also given to ``new CommandDefinition(sql, p,
commandTimeout: 30)`` or passed in its place (``conn.QueryAsync<T>(sql, p, tx, 30)``, in a file that uses
Dapper). ``(int)TimeSpan.FromMinutes(5).TotalSeconds`` reads as 300 s. The options
lambda may be the provider's (``UseNpgsql(cs, o => ...)``) or a context factory's
(``factory.CreateContext(o => o.CommandTimeout(60))``).

A connection string builder's timeouts (``new SqliteConnectionStringBuilder { DefaultTimeout = 60 }``,
``SqlConnectionStringBuilder { CommandTimeout = 30, ConnectTimeout = 15 }``, Npgsql's ``Timeout``) are
seconds: ``DefaultTimeout``/``CommandTimeout`` bound every command (total), ``ConnectTimeout``/
``Timeout`` the connect. A value read from a setting with a fallback (``GetOption(opts,
"command-timeout", int.Parse, () => 60)``, the last argument a lambda that returns a literal) is
that fallback, from config (medium). So are the timeout keys of a connection string written in the code
and handed to a connection, a provider's ``UseNpgsql``/``UseSqlServer``... or a ``ConnectionString``
property (``$"Server={host};ConnectionTimeout=5"``, ``"Host=db;Timeout=15;Command Timeout=60"``):
``Connect Timeout``/``Connection Timeout``/``Timeout`` the connect, ``Command Timeout``/``Default Command
Timeout`` every command, in seconds.

Why it matters: the retrying strategy re-runs whole transactions against the database on
transient errors, up to the count, and the command timeout bounds each query (30 s by default).

Example: ``EnableRetryOnFailure(maxRetryCount: 5)`` -> retry max_attempts 6, exponential.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable

from contract_discovery.model import Finding
from contract_discovery.values import normalise_ms
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.ef_core"
LIBRARY = "efcore"
DEFAULT_RETRIES = 6  # SqlServer/Npgsql/MySQL retrying execution strategies


# Dapper's methods whose fourth positional parameter is commandTimeout (the synchronous Query puts
# `buffered` there and is left out)
DAPPER_TIMEOUT_AT_3 = tuple(
    f"{name}{suffix}" for name in ("Execute", "ExecuteScalar", "ExecuteReader", "QueryFirst", "QueryFirstOrDefault",
                                   "QuerySingle", "QuerySingleOrDefault", "QueryMultiple")
    for suffix in ("", "Async")) + ("QueryAsync",)


def _chain_root(receiver: Node | None) -> str:
    """``sql`` of ``sql`` and of ``sql.EnableRetryOnFailure(5).MigrationsAssembly(a)`` (round 11: the provider
    builder's calls chained, ``sql.EnableRetryOnFailure(...).CommandTimeout(60)``)."""
    node = syntax.unwrap(receiver)
    while node is not None and node.type == "invocation_expression":
        function = node.child_by_field_name("function")
        node = syntax.unwrap(function.child_by_field_name("expression")) if function is not None and \
            function.type == "member_access_expression" else None
    return text(node) if node is not None else ""


def _in_provider_options(inv: syntax.Invocation) -> bool:
    """``o.CommandTimeout(30)`` where ``o`` is the options lambda of ``UseSqlServer(cs, o => ...)``."""
    lam = syntax.enclosing(inv.node, ("lambda_expression",))
    if lam is None or syntax.lambda_param(lam) != _chain_root(inv.receiver):
        return False
    owner = syntax.enclosing(lam, ("invocation_expression",))
    if owner is None:
        return False
    name = syntax.invocation(owner).name
    return name.startswith("Use") or "Context" in name or "Options" in name


@csharp_detector(ID, ("retry", "timeout"),
                 valid=("var retryOnFailure = true; // EnableRetryOnFailure\n",
                        "var commandTimeout = 30; // a local, not a setting\n"),
                 invalid=("options.UseSqlServer(cs, o => o.EnableRetryOnFailure(maxRetryCount: 5));\n",
                          "options.UseNpgsql(cs, o => o.CommandTimeout(30));\n",
                          "db.Database.SetCommandTimeout(TimeSpan.FromSeconds(5));\n",
                          "cmd.CommandTimeout = 30;\n"))
def detect(f: CsFile) -> Iterable[Finding]:
    for node in f.assignments:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is not None and right is not None and left.type == "member_access_expression" and \
                text(left.child_by_field_name("name")) in ("CommandTimeout", "BulkCopyTimeout"):
            if text(right) == "value" and syntax.enclosing(node, ("accessor_declaration",)) is not None:
                continue  # round 14: `set => Inner.CommandTimeout = value;` a wrapper's setter hands its caller's on
            if _restored(right):
                continue
            if syntax.timespan_typed(right) or "TimeSpan" in text(right):
                # round 20 (thrivedevcenter): SSH.NET's `command.CommandTimeout = TimeSpan.FromMinutes(10)`
                yield f.timeout_from(node, syntax.duration_ms(right), text(right), "total", ID, "ado.net")
                continue
            yield f.timeout_from(node, syntax.number(right), text(right), "total", ID, "ado.net", scale=1000.0)
        elif left is not None and right is not None and left.type == "identifier" and \
                text(left) in ("CommandTimeout", "BulkCopyTimeout") and _command_initializer(node):
            # new SqlCommand(sql, conn) { CommandTimeout = 30 }: seconds
            yield f.timeout_from(node, syntax.number(right), text(right), "total", ID, "ado.net", scale=1000.0)
    yield from _builder_timeouts(f)
    yield from _connection_strings(f)
    yield from _strategy_subclasses(f)
    for creation in f.creations:  # new CommandDefinition(sql, p, commandTimeout: 30)
        arglist = creation.child_by_field_name("arguments")
        if arglist is None:
            continue
        _, named = syntax.arguments(arglist)
        value = named.get("commandTimeout")
        if value is not None:
            anchor = value.parent if value.parent is not None and value.parent.type == "argument" else creation
            yield f.timeout_from(anchor, syntax.number(value), text(value), "total", ID, "dapper", scale=1000.0)
    for inv in f.invocations:
        if "commandTimeout" in inv.named:  # Dapper: conn.QueryAsync(sql, p, commandTimeout: 30)
            value = inv.named["commandTimeout"]
            anchor = value.parent if value.parent is not None and value.parent.type == "argument" else inv.node
            if syntax.timespan_typed(value):  # a helper of the service's own that takes a TimeSpan
                yield f.timeout_from(anchor, syntax.duration_ms(value), text(value), "total", ID, "dapper")
                continue
            yield f.timeout_from(anchor, syntax.number(value), text(value), "total", ID, "dapper", scale=1000.0)
        if len(inv.args) >= 4 and inv.name in DAPPER_TIMEOUT_AT_3 and b"Dapper" in f.data and \
                "commandTimeout" not in inv.named and not _multi_mapping_r22(inv):
            # conn.QueryAsync<T>(sql, param, transaction, commandTimeout, commandType): positional
            value = inv.args[3]
            if syntax.unwrap(value) is not None and syntax.unwrap(value).type != "null_literal":
                anchor = value.parent if value.parent is not None and value.parent.type == "argument" else inv.node
                yield f.timeout_from(anchor, syntax.number(value), text(value), "total", ID, "dapper", scale=1000.0)
        if inv.name == "EnableRetryOnFailure":
            value = inv.named.get("maxRetryCount") or (inv.args[0] if inv.args else None)
            attempts, pending = count(value, add=1) if value is not None else (DEFAULT_RETRIES + 1, ())
            attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": ["transient_db_error"],
                     "mechanism": "client_config", "library": LIBRARY}
            yield f.finding("retry", inv.node, ID, attrs, "high" if not pending else "medium", pending=pending)
        elif inv.name == "CommandTimeout" and len(inv.args) == 1 and _in_provider_options(inv):
            yield f.timeout_from(inv.node, syntax.number(inv.args[0]), text(inv.args[0]), "total", ID, LIBRARY,
                                 scale=1000.0)
        elif inv.name == "SetCommandTimeout" and len(inv.args) == 1 and (inv.receiver_text.endswith("Database") or (
                # round 22 (vc-platform): `this DatabaseFacade databaseFacade` of an extension method
                re.fullmatch(r"\w+", inv.receiver_text or "") and b"DatabaseFacade" in f.data and
                (syntax.declared_type(inv.receiver_text, inv.node) or "").rsplit(".", 1)[-1] == "DatabaseFacade")):
            arg = inv.args[0]
            if _restored(arg):
                continue
            if "TimeSpan" in text(arg):
                yield f.timeout_from(inv.node, syntax.duration_ms(arg), text(arg), "total", ID, LIBRARY)
            else:
                yield f.timeout_from(inv.node, syntax.number(arg), text(arg), "total", ID, LIBRARY, scale=1000.0)


def _multi_mapping_r22(inv: syntax.Invocation) -> bool:
    """Round 22 (education-benchmarking): Dapper's multi-mapping overloads put the map (and the types) before
    the parameters, ``conn.QueryAsync(sql, types, map, param, splitOn: ..)`` / ``QueryAsync<A, B, R>(sql, (a, b)
    => .., param, transaction)``: their fourth argument is no command timeout."""
    for arg in inv.args[1:3]:
        node = syntax.unwrap(arg)
        raw = text(node) if node is not None else ""
        if node is not None and (node.type in ("lambda_expression", "anonymous_method_expression") or
                                 re.fullmatch(r"(?i)\w*(map|mapper|mapping|types)", raw) or "typeof(" in raw):
            return True
    return "splitOn" in inv.named or "map" in inv.named


def _restored(value: Node) -> bool:
    """Round 20 (smartstore): ``var timeout = Database.GetCommandTimeout(); .. finally {
    Database.SetCommandTimeout(timeout); }``, ``_command.CommandTimeout = commandTimeout.Value`` of a value read
    from the context: the timeout in force before, put back (or copied), not a setting of its own."""
    node = syntax.unwrap(value)
    if node is not None and node.type == "member_access_expression" and \
            text(node.child_by_field_name("name")) == "Value":
        node = syntax.unwrap(node.child_by_field_name("expression"))
    if node is None:
        return False
    if node.type == "invocation_expression":
        return syntax.invocation(node).name == "GetCommandTimeout"
    if node.type != "identifier":
        return False
    bound = syntax.local_value(text(node), node)
    bound = syntax.unwrap(bound)
    return bound is not None and "GetCommandTimeout(" in text(bound)


_STRATEGY_BASES = re.compile(r"^(?:\w+\.)*(?:\w*RetryingExecutionStrategy|ExecutionStrategy)$")


def _strategy_subclasses(f: CsFile) -> Iterable[Finding]:
    """Round 15 (altinn-correspondence): a project's own execution strategy (``class DbRetry :
    NpgsqlRetryingExecutionStrategy`` with ``: base(dependencies, MaxRetries, MaxRetryDelay, codes)``, also
    SqlServer's / MySql's or EF's ``ExecutionStrategy``): the count handed to the base constructor (second
    argument or ``maxRetryCount:``; EF's default 6 retries when only the dependencies are given) retries every
    database operation run through the strategy: +1 attempt, reported at ``base(``."""
    for init in walk(f.root):
        if init.type != "constructor_initializer" or "base" not in text(init).split("(", 1)[0]:
            continue
        cls = syntax.enclosing(init, ("class_declaration",))
        bases = cls.child_by_field_name("bases") if cls is not None else None
        if bases is None:
            bases = next((c for c in cls.named_children if c.type == "base_list"), None) if cls is not None else None
        if bases is None or not any(_STRATEGY_BASES.match(text(b).split("<")[0].strip()) for b in bases.named_children):
            continue
        args, named = syntax.arguments(next((c for c in init.named_children if c.type == "argument_list"), None))
        value = named.get("maxRetryCount") or (args[1] if len(args) > 1 else None)
        if value is not None and syntax.timespan_typed(value):
            continue  # (context, maxRetryDelay): no count given here
        attempts, pending = count(value, add=1) if value is not None else (DEFAULT_RETRIES + 1, ())
        attrs = {"max_attempts": attempts, "backoff": "exponential", "retry_on": ["transient_db_error"],
                 "mechanism": "client_config", "library": LIBRARY}
        yield f.finding("retry", init, ID, attrs, "high" if not pending else "medium", pending=pending)


def _command_initializer(assignment: Node) -> bool:
    """The assignment sits in the initializer of ``new SqlCommand(..) { .. }`` (any ``*Command`` /
    ``*BulkCopy``), not of a connection string builder (read by ``_builder_timeouts``)."""
    parent = assignment.parent
    owner = parent.parent if parent is not None and parent.type == "initializer_expression" else None
    if owner is None or owner.type != "object_creation_expression":
        return False
    kind = syntax.creation_type(owner)
    return kind.endswith(("Command", "BulkCopy")) and not kind.endswith("ConnectionStringBuilder")


BUILDER_TIMEOUTS = {"DefaultTimeout": "total", "CommandTimeout": "total", "ConnectTimeout": "connect",
                    "ConnectionTimeout": "connect", "Timeout": "connect"}


def _builder_timeouts(f: CsFile) -> Iterable[Finding]:
    """``new SqliteConnectionStringBuilder { DefaultTimeout = 60 }``: seconds."""
    for creation in f.creations:
        if not syntax.creation_type(creation).endswith("ConnectionStringBuilder"):
            continue
        for name, value in syntax.initializer_items(creation).items():
            phase = BUILDER_TIMEOUTS.get(name)
            if phase is None:
                continue
            anchor = value.parent if value.parent is not None and value.parent.type == "assignment_expression" \
                else value
            expr = syntax.number(value)
            fallback = _fallback(value)
            if syntax.settle(expr) is None and fallback is not None:
                found = f.timeout_from(anchor, fallback, text(value), phase, ID, "ado.net", scale=1000.0,
                                       resolved_from="config")
                yield dataclasses.replace(found, confidence="medium")
            else:
                yield f.timeout_from(anchor, expr, text(value), phase, ID, "ado.net", scale=1000.0)


# ADO.NET connection string keys (SqlClient, Npgsql, MySqlConnector, Oracle; case and spaces ignored): seconds
CONNECTION_STRING_KEYS = {"connecttimeout": "connect", "connectiontimeout": "connect", "timeout": "connect",
                          "commandtimeout": "total", "defaultcommandtimeout": "total"}
CONNECTION_STRING_SINKS = ("UseSqlServer", "UseNpgsql", "UseMySql", "UseMySQL", "UseSqlite", "UseOracle",
                           "UseAzureSql", "AddSqlServer", "AddNpgsql", "AddMySql", "AddNpgsqlDataSource",
                           "AddDbContext", "Create")
_KEY_VALUE = re.compile(r"(?:^|;)\s*([A-Za-z][A-Za-z ]*?)\s*=\s*(\d+)\s*(?=;|$)")


def _connection_strings(f: CsFile) -> Iterable[Finding]:
    """``new MySqlConnection($"Server={host};Port={port};ConnectionTimeout=5;...")``,
    ``options.UseNpgsql("Host=db;Timeout=15;Command Timeout=60")``, ``conn.ConnectionString = "...;Connect
    Timeout=30"``: a connection string written in the code (interpolated parts left aside) whose
    timeout keys are seconds: ``Connect Timeout`` / ``Connection Timeout`` / ``Timeout`` the connect,
    ``Command Timeout`` / ``Default Command Timeout`` every command."""
    sinks: list[Node] = []
    for creation in f.creations:
        if syntax.creation_type(creation).endswith("Connection"):
            args, _ = syntax.arguments(creation.child_by_field_name("arguments"))
            sinks.extend(args[:1])
    for inv in f.invocations:
        if inv.name in CONNECTION_STRING_SINKS and inv.args:
            sinks.append(inv.args[0])
    for node in f.assignments:
        left = node.child_by_field_name("left")
        if left is not None and text(left).rsplit(".", 1)[-1] == "ConnectionString":
            sinks.append(node.child_by_field_name("right"))
    for inv in f.invocations:
        # connectionString.Append($"CommandTimeout={pgConfig.CommandTimeout ?? 300};"): built piece by piece
        if inv.name in ("Append", "AppendFormat") and inv.args and re.search(r"(?i)conn", inv.receiver_text):
            sinks.append(inv.args[0])
    for sink in sinks:
        value = syntax.unwrap(sink)
        if value is not None and value.type == "identifier":
            value = syntax.unwrap(syntax.local_value(text(value), value))  # var cs = "..."; new SqlConnection(cs)
        if value is None:
            continue
        for key, hole in _interpolated_values(value):
            phase = CONNECTION_STRING_KEYS.get(key.replace(" ", "").lower())
            if phase is not None:
                # `Timeout={cfg.Timeout ?? 15}`: the value the code writes there (its fallback when a setting)
                yield f.timeout_from(hole, syntax.number(hole), text(hole), phase, ID, LIBRARY, scale=1000.0,
                                     resolved_from="config" if "??" in text(hole) else "literal")
        for part, node in _literal_parts(value):
            for match in _KEY_VALUE.finditer(part):
                phase = CONNECTION_STRING_KEYS.get(match.group(1).replace(" ", "").lower())
                if phase is None:
                    continue
                seconds = float(match.group(2))
                if seconds <= 0:
                    continue  # 0: wait forever
                attrs = {"timeout_ms": normalise_ms(seconds * 1000.0), "phase": phase, "resolved_from": "literal",
                         "expression": match.group(0).strip(" ;")}
                yield f.finding("timeout", node, ID, attrs, "high")


_KEY_BEFORE_HOLE = re.compile(r"(?:^|;)\s*([A-Za-z][A-Za-z ]*?)\s*=\s*$")


def _interpolated_values(node: Node) -> list[tuple[str, Node]]:
    """``$"Host={host};Timeout={timeout ?? 15};"`` -> [("Host", host), ("Timeout", timeout ?? 15)]: each hole
    that is a key's whole value."""
    if node.type != "interpolated_string_expression":
        return []
    out, current = [], []
    children = node.named_children
    for i, child in enumerate(children):
        if child.type in ("string_content", "string_literal_content", "escape_sequence"):
            current.append(text(child))
        elif child.type == "interpolation":
            before = _KEY_BEFORE_HOLE.search("".join(current))
            after = text(children[i + 1]) if i + 1 < len(children) else ""
            expr = next((c for c in child.named_children if c.type not in (
                "interpolation_brace", "interpolation_alignment_clause", "interpolation_format_clause")), None)
            if before and expr is not None and (not after or after.startswith(";")):
                out.append((before.group(1), expr))
            current = []
    return out


def _literal_parts(node: Node) -> list[tuple[str, Node]]:
    """The text a string expression writes literally, each part with its node: a literal, the literal
    stretches of an interpolated string (``{...}`` holes cut the text), both sides of a ``+``."""
    if node.type in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
        value = syntax.string_literal(node)
        return [(value, node)] if value is not None else []
    if node.type == "interpolated_string_expression":
        out, current = [], []
        for child in node.named_children:
            if child.type in ("string_content", "string_literal_content", "escape_sequence"):
                current.append(text(child))
            elif child.type == "interpolation":
                out.append(("".join(current), node))
                current = []
        out.append(("".join(current), node))
        return out
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        return [*_literal_parts(syntax.unwrap(node.child_by_field_name("left"))),
                *_literal_parts(syntax.unwrap(node.child_by_field_name("right")))]
    return []


def _fallback(value: Node):
    """``GetOption(opts, "key", int.Parse, () => 60)`` -> Num(60): a setting's lambda fallback."""
    node = syntax.unwrap(value)
    if node is None or node.type != "invocation_expression":
        return None
    inv = syntax.invocation(node)
    if not inv.args:
        return None
    last = syntax.unwrap(inv.args[-1])
    if last is None or last.type != "lambda_expression" or syntax.lambda_param(last) is not None:
        return None
    body = syntax.lambda_body(last)
    expr = syntax.number(body)
    return expr if syntax.settle(expr) is not None else None
