"""Timeouts and retry bounds handed to the project's own helpers: ``HttpHelper.PostJsonAsync(client, url, body, 2000)``.

What it does: a method whose parameter becomes a timeout in its body (``new
CancellationTokenSource(timeoutMs)``, ``cts.CancelAfter(timeout)``, ``TimeSpan.FromSeconds(timeoutSeconds)``,
``client.Timeout = timeout``) or bounds a retry loop or policy there (``attempt < maxRetries``,
``WaitAndRetryAsync(retries, ...)``) publishes that parameter for its callers, under the names they
call it by: ``HttpHelper.PostJsonAsync`` (its class), ``IApiClient.SendAsync`` (an interface or base
class the class lists), the bare method name, and for an extension method ``HttpClient.GetWithTimeoutAsync``
(the type it extends, its first parameter left out as the caller writes it). A call that passes a
number, a constant (``const``/``static readonly`` of the file, ``Timeouts.Api``) or a duration
(``TimeSpan.FromSeconds(30)``) at such a position or by such a name is proposed as a timeout of
phase ``total`` (and, for a whole number, a retry); the pipeline keeps the proposal only when the
callee's file, anywhere in the service, published that parameter, and values it in ms (seconds for a
``timeoutSeconds`` parameter, ms for a TimeSpan). The callee is named by the call's receiver: a type
(``HttpHelper.X``), a field, property, parameter or local of a declared type (``_api.X`` with
``IApiClient _api`` -> ``IApiClient.X``), else the bare name (``X(...)``, ``this.X(...)``: an own or
inherited method).

Not proposed: arguments that are the caller's own parameters (a forwarder, read where it is called),
fields and locals that are not constants, strings, ``null``, zero and infinite durations, calls
whose line another detector already reads (a ``retryTimeout: TimeSpan.FromSeconds(30)`` named
argument), calls of a method of the same file (its own finding, where the parameter is used, stands
for them). A helper in another project of the solution is another service: not matched.

Why it matters: most services call their dependencies through a helper of their own; the timeout
or retry bound each call site hands it is the contract with that dependency.

Example: ``await HttpHelper.WithTimeout(TimeSpan.FromSeconds(30), ct, c => api.GetAsync(url, c));``
with ``WithTimeout(TimeSpan timeout, ...)`` doing ``cts.CancelAfter(timeout)`` -> timeout 30000 ms, total.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Expr, Num, Ref
from extractors import wrappers
from extractors.csharp import syntax
from extractors.csharp.context import LANGUAGE, CsFile, call_anchor, csharp_detector
from extractors.treesitter import Node, text, walk

ID = "csharp.wrapper_call"

VALID = [
    """\
using System;
using System.Threading;

public class Forwarder
{
    private int _timeoutMs = Compute();

    public Task Forward(string url, int timeoutMs)
    {
        return HttpHelper.PostJsonAsync(_client, url, "{}", timeoutMs); // ok: the caller's own parameter
    }

    public Task NotConstant(string url)
    {
        var computed = Compute();
        HttpHelper.PostJsonAsync(_client, url, "{}", computed); // ok: a local that is not a constant
        HttpHelper.PostJsonAsync(_client, url, "{}", _timeoutMs); // ok: a field that is not a constant
        HttpHelper.PostJsonAsync(_client, url, "3000", null); // ok: a string and null
        return HttpHelper.WithTimeout(Timeout.InfiniteTimeSpan, CancellationToken.None, c => Task.CompletedTask); // ok: no bound
    }
}
""",
]

INVALID = [
    """\
using System;

public class OrderService
{
    private const int RiskTimeoutMs = 800;

    public async Task Place(string url, string body)
    {
        await HttpHelper.PostJsonAsync(_client, url, body, 2000); // expect: timeout timeout_ms=None phase=total via=HttpHelper.PostJsonAsync
        await HttpHelper.PostJsonAsync(_client, url, body, RiskTimeoutMs);
        await HttpHelper.WithTimeout(TimeSpan.FromSeconds(30), ct, c => _client.GetAsync(url, c));
    }
}
""",
]

# Types whose static methods are library calls: their calls are never proposed (a cheap cut).
_LIBRARY_TYPES = frozenset({
    "TimeSpan", "Task", "ValueTask", "Thread", "Math", "MathF", "Convert", "Console", "string", "String", "Guid",
    "DateTime", "DateTimeOffset", "Enumerable", "Array", "Regex", "Random", "Interlocked", "Environment", "Policy",
    "Encoding", "Stopwatch", "Enum", "BitConverter", "Buffer", "Path", "File", "Directory", "Debug", "Trace",
    "Assert", "Parallel", "Volatile", "Monitor", "GC", "Marshal", "Activator", "Nullable", "Int32", "Int64",
    "Double", "Decimal", "Uri", "JsonSerializer", "Logger", "Log", "CancellationTokenSource", "Backoff",
    "ResiliencePipeline", "HttpPolicyExtensions",
})
# Method names of the base library a project rarely redefines with a timeout parameter.
_LIBRARY_METHODS = frozenset({
    "Delay", "Sleep", "Wait", "WaitAsync", "WaitAll", "WaitAny", "CancelAfter", "Take", "Skip", "Substring",
    "ToString", "Format", "Append", "AppendLine", "Insert", "Remove", "RemoveAt", "Range", "Repeat", "Round",
    "Min", "Max", "Pow", "Add", "AddRange", "AddSeconds", "AddMilliseconds", "AddMinutes", "AddHours", "AddDays",
    "Next", "NextDouble", "FromSeconds", "FromMilliseconds", "FromMinutes", "FromHours", "FromDays", "Log",
    "LogDebug", "LogInformation", "LogWarning", "LogError", "LogTrace", "LogCritical", "Equals", "GetHashCode",
    "PadLeft", "PadRight", "Split", "Join", "Truncate", "Limit", "Chunk", "ElementAt", "Get", "Set", "Resize",
    "Slice", "Fill", "Copy", "CopyTo", "Read", "ReadAsync", "Write", "WriteAsync", "Seek", "SetLength",
})
_NOT_BOUNDS = ("TimeSpan.Zero", "TimeSpan.MaxValue", "TimeSpan.MinValue", "Timeout.InfiniteTimeSpan",
               "Timeout.Infinite", "int.MaxValue", "int.MinValue", "long.MaxValue", "Int32.MaxValue")
_COUNT_WORDS = ("retr", "attempt", "tries", "try", "count", "max")
_TIME_WORDS = ("timeout", "delay", "second", "ms", "millis", "minute", "interval", "span", "duration", "wait")


@csharp_detector(ID, ("timeout", "retry"), valid=VALID, invalid=INVALID)
def detect(f: CsFile) -> list[Finding]:
    out: list[Finding] = []
    scopes = _Scopes(f)
    own_methods, own_types = _declared(f)
    for inv in f.invocations:
        if not inv.args and not inv.named:
            continue
        candidates = []
        for key, node in [*((str(i), a) for i, a in enumerate(inv.args)), *inv.named.items()]:
            found = _constant(f, scopes, node)
            if found is not None:
                candidates.append((key, node, *found))
        if not candidates:
            continue
        callee = _callee(scopes, inv)
        if callee is None or inv.name in own_methods and ("." not in callee or callee.split(".")[0] in own_types):
            continue  # a method of this file: its own detectors read it where its parameter is used
        anchor = call_anchor(inv.node)
        evidence = f.source_line(anchor.start_point[0] + 1)
        for key, node, value, whole in candidates:
            out.append(_at(anchor, wrappers.timeout_proposal(
                path=f.path, language=LANGUAGE, node=inv.node, detector=ID, callee=callee, key=key, value=value,
                expression=text(node), evidence=evidence)))
            if whole:
                out.append(_at(anchor, wrappers.retry_proposal(
                    path=f.path, language=LANGUAGE, node=inv.node, detector=ID, callee=callee, key=key, value=value,
                    expression=text(node), evidence=evidence)))
    return out


def _declared(f: CsFile) -> tuple[set[str], set[str]]:
    """The names of the methods and of the types this file declares."""
    methods, types = set(), set()
    for node in walk(f.root):
        if node.type in ("method_declaration", "local_function_statement"):
            methods.add(text(node.child_by_field_name("name")))
        elif node.type in ("class_declaration", "struct_declaration", "record_declaration", "interface_declaration"):
            types.add(text(node.child_by_field_name("name")))
    return methods, types


def _at(anchor: Node, finding: Finding) -> Finding:
    """Report at the call's own line in a fluent chain split over lines."""
    line, column = anchor.start_point[0] + 1, anchor.start_point[1] + 1
    return finding if (line, column) == (finding.line, finding.column) else replace(finding, line=line, column=column)


def drop_covered(findings: list[Finding]) -> list[Finding]:
    """Proposals on a line where another detector already reports that kind (``retryTimeout:
    TimeSpan.FromSeconds(30)`` read by the timeout options): one contract per call line and kind."""
    covered = {(f.line, f.kind) for f in findings if f.detector != ID}
    return [f for f in findings if f.detector != ID or (f.line, f.kind) not in covered]


# --- the callee's name ----------------------------------------------------------------------------

def _callee(scopes: "_Scopes", inv: syntax.Invocation) -> str | None:
    name = inv.name
    if not name or not name[0].isupper() or name in _LIBRARY_METHODS:
        return None
    receiver = syntax.unwrap(inv.receiver)
    if receiver is None or receiver.type in ("this_expression", "base_expression") or text(receiver) in ("this", "base"):
        return name  # an own or inherited method
    if receiver.type == "member_access_expression" and text(receiver.child_by_field_name("expression")) == "this":
        receiver = receiver.child_by_field_name("name")
    if receiver.type == "identifier":
        own = text(receiver)
        declared, is_variable = scopes.type_of(own, receiver)
        if declared is not None:
            return f"{declared}.{name}"
        if is_variable or not own[:1].isupper():
            return name
        return None if own in _LIBRARY_TYPES else f"{own}.{name}"  # a static method of a type
    if receiver.type == "generic_name":
        own = text(receiver.named_children[0]) if receiver.named_children else ""
        return f"{own}.{name}" if own and own not in _LIBRARY_TYPES else None
    if receiver.type == "predefined_type":
        return None
    if receiver.type in ("member_access_expression", "qualified_name"):
        parts = syntax.dotted(receiver).split(".")
        if all(p[:1].isupper() for p in parts):  # Shop.Infrastructure.HttpHelper: a namespace-qualified type
            return None if parts[-1] in _LIBRARY_TYPES else f"{parts[-1]}.{name}"
    return name


def _simple_type(node: Node | None) -> str | None:
    """``ApiClient<T>?`` / ``Shop.ApiClient`` -> ``ApiClient``; arrays, tuples and keywords -> None."""
    if node is None:
        return None
    if node.type == "nullable_type":
        node = node.named_children[0] if node.named_children else None
        if node is None:
            return None
    if node.type == "generic_name":
        return text(node.named_children[0]) if node.named_children else None
    if node.type == "qualified_name":
        return _simple_type(node.named_children[-1]) if node.named_children else None
    if node.type == "identifier":
        return text(node)
    return None


class _Scopes:
    """What a name at a use is: a parameter, a local or a field/property of the file, and its type."""

    def __init__(self, f: CsFile) -> None:
        self.f = f
        self._members: dict[str, set[str | None]] | None = None

    @property
    def members(self) -> dict[str, set[str | None]]:
        if self._members is None:
            members: dict[str, set[str | None]] = {}
            for node in walk(self.f.root):
                if node.type == "variable_declarator" and node.parent is not None and node.parent.parent is not None \
                        and node.parent.parent.type in ("field_declaration", "event_field_declaration"):
                    members.setdefault(text(node.child_by_field_name("name")), set()).add(
                        _simple_type(node.parent.child_by_field_name("type")))
                elif node.type == "property_declaration":
                    members.setdefault(text(node.child_by_field_name("name")), set()).add(
                        _simple_type(node.child_by_field_name("type")))
            self._members = members
        return self._members

    def parameter(self, name: str, use: Node) -> Node | None:
        """The parameter ``name`` of a method, local function or lambda ``use`` is in."""
        for scope in syntax.ancestors_of(use):
            if scope.type in ("method_declaration", "constructor_declaration", "local_function_statement",
                              "lambda_expression", "anonymous_method_expression", "operator_declaration"):
                params = scope.child_by_field_name("parameters")
                if params is not None:
                    if params.type == "implicit_parameter" and text(params) == name:
                        return params
                    for p in params.named_children:
                        if p.type == "parameter" and text(p.child_by_field_name("name")) == name:
                            return p
                if scope.type in ("method_declaration", "constructor_declaration", "operator_declaration"):
                    return None
            if scope.type == "primary_constructor_base_type":
                return None
        # a record's or class's primary constructor parameter
        for scope in syntax.ancestors_of(use):
            if scope.type in ("class_declaration", "record_declaration", "struct_declaration"):
                params = next((c for c in scope.named_children if c.type == "parameter_list"), None)
                if params is not None:
                    for p in params.named_children:
                        if p.type == "parameter" and text(p.child_by_field_name("name")) == name:
                            return p
        return None

    def local(self, name: str, use: Node) -> Node | None:
        """The declarator of a local ``name`` declared before ``use`` in its method."""
        scope = syntax.enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement",
                                       "accessor_declaration", "lambda_expression")) or use
        found = None
        for node in walk(scope):
            if node.start_byte >= use.start_byte:
                break
            if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
                found = node
        return found

    def type_of(self, name: str, use: Node) -> tuple[str | None, bool]:
        """(declared simple type, whether ``name`` is a variable at all) for a receiver."""
        param = self.parameter(name, use)
        if param is not None:
            return _simple_type(param.child_by_field_name("type")), True
        local = self.local(name, use)
        if local is not None:
            declaration = local.parent
            type_node = declaration.child_by_field_name("type") if declaration is not None else None
            if type_node is not None and text(type_node) == "var":
                values = [c for c in local.named_children if c != local.child_by_field_name("name")]
                value = syntax.unwrap(values[-1]) if values else None
                if value is not None and value.type == "object_creation_expression":
                    return _simple_type(value.child_by_field_name("type")), True
                return None, True
            return _simple_type(type_node), True
        types = self.members.get(name)
        if types:
            only = next(iter(types)) if len(types) == 1 else None
            return only, True
        return None, False


# --- the value handed over ------------------------------------------------------------------------

def _constant(f: CsFile, scopes: _Scopes, node: Node | None, depth: int = 0) -> tuple[Expr, bool] | None:
    """(value in the unit the caller writes it: ms for a duration, the number as written else,
    whether it is a whole number that may count attempts), for a literal, a constant or a duration;
    None for anything a run of the caller decides."""
    node = syntax.unwrap(node)
    if node is None or depth > 6:
        return None
    kind = node.type
    if kind in ("integer_literal", "real_literal"):
        value = syntax.number(node)
        if not isinstance(value, Num) or value.value <= 0:
            return None
        return value, kind == "integer_literal"
    if kind == "invocation_expression":
        inv = syntax.invocation(node)
        if inv.receiver_text in ("TimeSpan", "System.TimeSpan") and inv.name in syntax.TIMESPAN_FACTORS \
                and len(inv.args) == 1:
            inner = _constant(f, scopes, inv.args[0], depth + 1)
            if inner is None:
                return None
            return syntax.fold(BinOp("*", inner[0], Num(syntax.TIMESPAN_FACTORS[inv.name]))), False
        return None
    if kind in ("object_creation_expression", "implicit_object_creation_expression"):
        if kind == "object_creation_expression" and syntax.creation_type(node) != "TimeSpan":
            return None
        args, named = syntax.arguments(node.child_by_field_name("arguments"))
        if named or not args or any(syntax.unwrap(a).type != "integer_literal" for a in args):
            return None
        value = syntax.duration_ms(node)
        settled = syntax.settle(value)
        return (Num(settled), False) if settled else None
    if kind == "binary_expression":
        op = text(node.child_by_field_name("operator"))
        if op not in ("+", "-", "*", "/"):
            return None
        left = _constant(f, scopes, node.child_by_field_name("left"), depth + 1)
        right = _constant(f, scopes, node.child_by_field_name("right"), depth + 1)
        if left is None or right is None:
            return None
        return syntax.fold(BinOp(op, left[0], right[0])), left[1] and right[1] and op != "/"
    if kind == "member_access_expression" and text(node.child_by_field_name("expression")) == "this":
        node, kind = node.child_by_field_name("name"), "identifier"
    if kind == "identifier":
        name = text(node)
        if scopes.parameter(name, node) is not None:
            return None  # a forwarder: its own caller decides
        local = scopes.local(name, node)
        if local is not None:
            values = [c for c in local.named_children if c != local.child_by_field_name("name")]
            if not values or name in f._assigned_names:
                return None
            return _constant(f, scopes, values[-1], depth + 1)
        value = f.constants.get(name)
        if value is None or syntax.settle(value) is None:
            if value is None and _setting_property(f, name) and _timeish(name) and not _countish(name):
                # `Connection.GetOpenAsync(cs, QueryTimeout)`: a setting of this class named for a timeout,
                # handed to a helper that applies it (valued by the pipeline when it can be)
                return Ref(name), False
            return None
        types = scopes.members.get(name) or set()
        return value, _whole(value) and not _timeish(name) and not types & {"TimeSpan", "double", "float", "decimal"}
    if kind == "member_access_expression":
        dotted = syntax.dotted(node)
        parts = dotted.split(".")
        if dotted in _NOT_BOUNDS or len(parts) != 2 or not all(p[:1].isupper() for p in parts) \
                or parts[0] in _LIBRARY_TYPES:
            return None
        _, is_variable = scopes.type_of(parts[0], node)
        if is_variable:
            return None  # Options.Timeout of an instance: a setting, not a constant
        value = f.constants.get(dotted)
        if value is not None:
            return (value, _whole(value) and not _timeish(parts[1])) if syntax.settle(value) is not None else None
        if not (_timeish(dotted) or _countish(dotted) or parts[1].isupper()):
            return None  # CancellationToken.None, HttpCompletionOption.ResponseHeadersRead: not a bound
        return Ref(dotted), not _timeish(parts[1]) and _countish(parts[1])
    return None


def _setting_property(f: CsFile, name: str) -> bool:
    """``private int? QueryTimeout => Settings.QueryTimeoutMs;``: a property of the file (not a field:
    state the code keeps, like ``_lastTimeoutMs``) that nothing in the file assigns."""
    return name not in f._assigned_names and any(
        text(n.child_by_field_name("name")) == name for n in syntax.descendants(f.root, "property_declaration"))


def _whole(value: Expr) -> bool:
    settled = syntax.settle(value)
    return settled is not None and float(settled).is_integer()


def _countish(name: str) -> bool:
    lowered = name.lower()
    return any(w in lowered for w in _COUNT_WORDS)


def _timeish(name: str) -> bool:
    lowered = name.lower()
    return any(w in lowered for w in _TIME_WORDS)


# --- what this file publishes ---------------------------------------------------------------------

def publish(f: CsFile, findings: Iterable[Finding]) -> dict[str, Expr]:
    """The parameters of this file's methods that become a timeout or bound a retry in their body
    (``extractors.wrappers``), under every name a caller may use (see the module doc)."""
    functions: list[wrappers.Function] = []
    for method in syntax.descendants(f.root, "method_declaration"):
        name_node, params_node = method.child_by_field_name("name"), method.child_by_field_name("parameters")
        if name_node is None or params_node is None or method.child_by_field_name("body") is None and not any(
                c.type == "arrow_expression_clause" for c in method.named_children):
            continue
        params = [p for p in params_node.named_children if p.type == "parameter"]
        if not params:
            continue
        name = text(name_node)
        names = [text(p.child_by_field_name("name")) for p in params]
        defaults = {}
        for p, pname in zip(params, names):
            default = syntax.parameter_default(pname, p)
            value = syntax.settle(syntax.number(default)) if default is not None else None
            if value is not None:
                defaults[pname] = value
        chain = syntax.type_chain(method)
        owner = syntax.enclosing(method, ("class_declaration", "struct_declaration", "record_declaration",
                                          "interface_declaration"))
        qualified = [f"{chain[-1]}.{name}"] if chain else []
        if len(chain) > 1:
            qualified.append(".".join([*chain, name]))
        first, last = method.start_point[0] + 1, method.end_point[0] + 1
        extension = any(text(c) == "this" for c in params[0].children if not c.is_named) or any(
            c.type == "modifier" and text(c) == "this" for c in params[0].children)
        if extension:
            functions.append(wrappers.Function(tuple(qualified), first, last, tuple(names), defaults))
            extended = _simple_type(params[0].child_by_field_name("type"))
            receiver_names = (name, f"{extended}.{name}") if extended else (name,)
            functions.append(wrappers.Function(receiver_names, first, last, tuple(names[1:]), defaults))
        else:
            bases = [f"{b}.{name}" for b in _bases(owner)]
            functions.append(wrappers.Function((name, *qualified, *bases), first, last, tuple(names), defaults))
    if not functions:
        return {}
    return wrappers.publish(functions, [_scaled(fd) for fd in findings], own_detectors=(ID,))


def _bases(owner: Node | None) -> list[str]:
    if owner is None:
        return []
    base_list = next((c for c in owner.named_children if c.type == "base_list"), None)
    if base_list is None:
        return []
    out = []
    for child in base_list.named_children:
        if child.type == "primary_constructor_base_type":
            child = child.named_children[0] if child.named_children else None
        simple = _simple_type(child)
        if simple:
            out.append(simple)
    return out


def _scaled(finding: Finding) -> Finding:
    """A timeout of ``TimeSpan.FromSeconds(timeoutSeconds)`` (pending ``timeoutSeconds * 1000``) as the
    parameter itself at 1000 ms per unit: the form ``wrappers.publish`` reads."""
    if finding.kind != "timeout":
        return finding
    pending = []
    changed = False
    for p in finding.pending:
        expr = p.expr
        if p.attribute == "timeout_ms" and isinstance(expr, BinOp) and expr.op == "*":
            ref, factor = (expr.left, expr.right) if isinstance(expr.left, Ref) else (expr.right, expr.left)
            if isinstance(ref, Ref) and isinstance(factor, Num) and factor.value > 0:
                pending.append(Pending(p.attribute, ref, (p.scale or 1.0) * factor.value))
                changed = True
                continue
        if p.attribute == "timeout_ms" and isinstance(expr, Call) and expr.func in ("int", "float") and \
                len(expr.args) == 1 and isinstance(expr.args[0], Ref):
            pending.append(Pending(p.attribute, expr.args[0], p.scale))
            changed = True
            continue
        pending.append(p)
    return replace(finding, pending=tuple(pending)) if changed else finding
