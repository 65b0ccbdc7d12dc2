"""Database command timeouts and Entity Framework Core's retrying execution strategy.

What it does: ``sqlOptions.EnableRetryOnFailure(maxRetryCount: 15, maxRetryDelay: ...)`` -> retry
with 16 attempts (EF counts retries; ``EnableRetryOnFailure()`` alone retries 6 times, 7
attempts), exponential backoff with jitter; ``o.CommandTimeout(30)`` inside the provider's
options lambda (``UseSqlServer(cs, o => ...)``, ``UseNpgsql``...) and
``db.Database.SetCommandTimeout(...)`` -> timeout on every database command (an ``int`` is
seconds, a ``TimeSpan`` is read as such); ADO.NET ``command.CommandTimeout = 30``,
``bulkCopy.BulkCopyTimeout = 120`` and Dapper's ``commandTimeout: 30`` argument -> timeout on that
command (seconds; reported on the argument's line), also given to ``new CommandDefinition(sql, p,
commandTimeout: 30)``. ``(int)TimeSpan.FromMinutes(5).TotalSeconds`` reads as 300 s. The options
lambda may be the provider's (``UseNpgsql(cs, o => ...)``) or a context factory's
(``factory.CreateContext(o => o.CommandTimeout(60))``).

Why it matters: the retrying strategy re-runs whole transactions against the database on
transient errors, up to the count, and the command timeout bounds each query (30 s by default).

Example: ``EnableRetryOnFailure(maxRetryCount: 5)`` -> retry max_attempts 6, exponential.
"""

from __future__ import annotations

from typing import Iterable

from contract_discovery.model import Finding
from extractors.csharp import syntax
from extractors.csharp.context import CsFile, count, csharp_detector
from extractors.treesitter import text

ID = "csharp.ef_core"
LIBRARY = "efcore"
DEFAULT_RETRIES = 6  # SqlServer/Npgsql/MySQL retrying execution strategies


def _in_provider_options(inv: syntax.Invocation) -> bool:
    """``o.CommandTimeout(30)`` where ``o`` is the options lambda of ``UseSqlServer(cs, o => ...)``."""
    lam = syntax.enclosing(inv.node, ("lambda_expression",))
    if lam is None or syntax.lambda_param(lam) != inv.receiver_text:
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
            yield f.timeout_from(node, syntax.number(right), text(right), "total", ID, "ado.net", scale=1000.0)
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
        elif inv.name == "SetCommandTimeout" and len(inv.args) == 1 and inv.receiver_text.endswith("Database"):
            arg = inv.args[0]
            if "TimeSpan" in text(arg):
                yield f.timeout_from(inv.node, syntax.duration_ms(arg), text(arg), "total", ID, LIBRARY)
            else:
                yield f.timeout_from(inv.node, syntax.number(arg), text(arg), "total", ID, LIBRARY, scale=1000.0)
