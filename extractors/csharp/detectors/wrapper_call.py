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

A setting an instance holds (``_settings.TimeoutSeconds``, ``this.room.Config.TimingStreamConnect``)
is proposed too (valued when the pipeline knows the setting's default, else null), and so is a
configuration key read in place or through a local (``Convert.ToInt32(builder.Configuration["Retry:Count"])``,
``cfg.GetValue<int>("Retry:Count")``: valued from appsettings.json, else null). A local of the method
is seen from a lambda in it (``AddPolicyHandler((s, _) => Helper.GetRetryPolicy(retryCount))``). Calls of a method of
the same file are proposed like any other; a bare call of a method the class declares itself is named
by its class (``SqlInstance.GetConnection``), so another class's method of that name never answers it.

Three more ways a value reaches the helper (``extractors.wrappers``):

- helper chains: a call that hands the calling method's own parameter on (``EstablishConnection(url,
  TimeSpan timeout)`` doing ``Connect(url, timeout: timeout)``, also ``timeoutSeconds * 1000`` or
  ``TimeSpan.FromSeconds(seconds)``) is a forward proposal, never reported: it publishes the outer
  method's parameter, so ``EstablishConnection(url, TimeSpan.FromSeconds(100))`` is kept and valued;
- constructors: a class whose constructor stores a parameter in a field (``_timeoutMs = timeoutMs;``)
  that a method uses as a timeout or a retry bound publishes that parameter under the class's name,
  and ``new Cache(name, timeoutMs: 10000)`` is proposed like a call (a primary constructor's
  parameter likewise);
- omitted defaults: a call of a helper named for retrying (``RetryRequest(func, ct)``) or for remote
  work (``GetSettings()``) that leaves a defaulted bound out, or passes ``null`` for it, gets the
  default (``int maxAttempts = 5`` -> 5 attempts; ``TimeSpan? timeout = null`` with ``timeout ??
  TimeSpan.FromSeconds(100)`` in the body -> 100000 ms).

Not proposed: fields and locals that are not constants, strings, ``null``, zero and infinite
durations, calls whose line another detector already reads (a ``retryTimeout:
TimeSpan.FromSeconds(30)`` named argument), framework registrations (``AddHttpClient``,
``UseSqlServer``) for omitted defaults. A helper in another project of the solution is another
service unless the caller's project references it (.csproj ProjectReference).

Why it matters: most services call their dependencies through a helper of their own; the timeout
or retry bound each call site hands it is the contract with that dependency.

Example: ``await HttpHelper.WithTimeout(TimeSpan.FromSeconds(30), ct, c => api.GetAsync(url, c));``
with ``WithTimeout(TimeSpan timeout, ...)`` doing ``cts.CancelAfter(timeout)`` -> timeout 30000 ms, total.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from contract_discovery.model import Finding, Pending
from contract_discovery.values import BinOp, Call, Expr, Num, Ref
from extractors import wrappers
from extractors.csharp import syntax
from extractors.csharp.context import LANGUAGE, CsFile, call_anchor, csharp_detector
from extractors.csharp.context import null_fallback
from extractors.treesitter import Node, text, walk

ID = "csharp.wrapper_call"

VALID = [
    """\
using System;
using System.Threading;

public class Quotes
{
    private int _timeoutMs = Compute();

    public Task NotConstant(string url)
    {
        var computed = Compute();
        Pricing.Quote(_client, url, computed); // ok: a local that is not a constant
        Pricing.Quote(_client, url, _timeoutMs); // ok: a field that is not a constant
        Pricing.Quote(_client, url, "3000"); // ok: a string
        return Pricing.Guarded(Timeout.InfiniteTimeSpan, c => Task.CompletedTask); // ok: no bound
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
    # round 19 (onefuzz): `definition.Features.Contains(TaskFeature.TargetTimeout)`, a collection's test
    "Contains", "ContainsKey", "HasFlag", "IndexOf", "TryGetValue",
})
# The static property a singleton class hands its one instance out by (`CertPemManager.Instance.X(..)`).
_SINGLETONS = frozenset({"Instance", "Current", "Default", "Shared", "Singleton"})
_NOT_BOUNDS = ("TimeSpan.Zero", "TimeSpan.MaxValue", "TimeSpan.MinValue", "Timeout.InfiniteTimeSpan",
               "Timeout.Infinite", "int.MaxValue", "int.MinValue", "long.MaxValue", "Int32.MaxValue")
_COUNT_WORDS = ("retr", "attempt", "tries", "try", "count", "max")
_TIME_WORDS = ("timeout", "delay", "second", "ms", "millis", "minute", "interval", "span", "duration", "wait")


@csharp_detector(ID, ("timeout", "retry"), valid=VALID, invalid=INVALID)
def detect(f: CsFile) -> list[Finding]:
    out: list[Finding] = []
    scopes = _Scopes(f)
    stored = _constructor_fields(f)
    calls = [(inv.node, inv.name, inv.args, inv.named, _callee(scopes, inv)) for inv in f.invocations]
    for node in walk(f.root):
        if node.type == "object_creation_expression":
            # `new Cache(name, timeoutMs: 10000)`: a class whose constructor keeps a timeout for its methods
            name = syntax.creation_type(node)
            args, named = syntax.arguments(node.child_by_field_name("arguments"))
            if name and name[:1].isupper() and name not in _LIBRARY_TYPES and name not in _LIBRARY_CLASSES \
                    and not name.endswith(("Exception", "EventArgs", "Attribute", "Message")):
                calls.append((node, name, args, named, name))
        elif node.type == "constructor_initializer" and any(c.type == "base" for c in node.children):
            # `public CommitCollectorHost(..) : base(source, options.Value.HttpClientTimeout)`: the base
            # class's constructor (the first class the type lists) takes the value
            owner = syntax.enclosing(node, ("class_declaration", "record_declaration"))
            bases = [b for b in _bases(owner) if not (b[:1] == "I" and b[1:2].isupper())]
            arglist = next((c for c in node.named_children if c.type == "argument_list"), None)
            own = text(owner.child_by_field_name("name")) if owner is not None else ""
            if bases and arglist is not None and bases[0] not in _LIBRARY_TYPES and bases[0] != own:
                # (`Cache<T> : Cache`: one name for both, the calls could not tell them apart)
                args, named = syntax.arguments(arglist)
                calls.append((node, bases[0], args, named, bases[0]))
    for node, name, args, named, callee in calls:
        if callee is None:
            continue
        if _local_action_r18(f, args):
            continue
        anchor = call_anchor(node) if node.type == "invocation_expression" else node
        evidence = f.source_line(anchor.start_point[0] + 1)
        keyed = [*((str(i), a) for i, a in enumerate(args)), *named.items()]
        method = syntax.enclosing(node, ("method_declaration", "local_function_statement"))
        recursive = method is not None and text(method.child_by_field_name("name")) == name and \
            _own_receiver(node, method, callee) and not _other_overload_r20(node, method)
        for key, arg in [] if recursive else keyed:  # a method calling itself again hands nothing on
            forwarded = _forwarded(scopes, stored, arg)
            if forwarded is not None:
                # `EstablishConnection(url, TimeSpan timeout) => Connect(url, timeout: timeout)`: never reported,
                # it publishes the calling method's own parameter for ITS callers (a helper chain)
                out.append(_at(anchor, wrappers.forward_proposal(
                    path=f.path, language=LANGUAGE, node=node, detector=ID, callee=callee, key=key,
                    value=forwarded, expression=text(arg))))
        # a call leaving a defaulted bound out (`RetryRequest(func, ct)` with `int maxAttempts = 5`), or passing
        # null for it (`GetSettings(null)` with `TimeSpan? timeout = null` and `timeout ?? FromSeconds(100)`)
        positional = next((i for i, a in enumerate(args) if text(syntax.unwrap(a)) in ("null", "default")),
                          len(args))
        # named arguments that may hand a bound over (not `shouldRetry: IsTransient`, `onRetry: (e, n) => ..`)
        keywords = [k for k, v in named.items() if not _CALLBACK.match(k) and
                    getattr(syntax.unwrap(v), "type", "") not in ("lambda_expression", "anonymous_method_expression")]
        words = _words(name)
        registration = bool(words) and words[0] in _REGISTRATION
        if "." in callee and callee.split(".")[0][:1].isupper() and node.type == "invocation_expression":
            # round 20 (bounan): `Retry.DoAsync(action, logger, cancellationToken: ct)`: a helper class named for
            # retrying names its methods for it (the proposal is kept only when the callee bounds a retry)
            words = [*words, *(w for w in _words(callee.split(".")[0]) if w in _RETRY_WORDS)]
        # (a helper named for remote work too: `ExecuteRequestAsync(method, path)` leaving `int retryCount = 15` out)
        # round 19 (lancommander): any helper of the project that hands a defaulted attempts parameter to a retry
        # (`InstallAsync(tool, dir)` with `int maxAttempts = 10` handed to RetryHelper): the callee publishes it
        # only when it bounds a retry, so the proposal is kept only then (rule b)
        if (set(words) & (_RETRY_WORDS | _REMOTE_WORDS) or _own_or_instance_r19(scopes, node, callee)) \
                and not registration \
                and not (recursive and _fits_r19(method, len(args) + len(named))):
            # (a method calling itself again, `null` for one option, hands its own bound on; not another overload)
            found = wrappers.omitted_retry_proposal(
                path=f.path, language=LANGUAGE, node=node, detector=ID, callee=callee, positional=positional,
                keywords=keywords, evidence=evidence)
            if found is not None:
                out.append(_at(anchor, found))
        if set(words) & _REMOTE_WORDS and not registration:
            found = wrappers.omitted_timeout_proposal(
                path=f.path, language=LANGUAGE, node=node, detector=ID, callee=callee, positional=positional,
                keywords=keywords, evidence=evidence)
            if found is not None:
                out.append(_at(anchor, found))
        urls = wrappers.literal_url_args((k, text(syntax.unwrap(a))) for k, a in keyed)  # (round 22) `: base("http://risk:8080", ...)`: the call's destination
        for key, arg in keyed:
            found = _constant(f, scopes, arg)
            if found is None and not recursive:
                # `ExecuteAsync(retryCount)` inside `Send(.., int retryCount = 15)`: the helper's own line that
                # hands its defaulted parameter on is a contract with the default (rule (a) of a helper chain)
                found = _handed_default(scopes, arg)
            if found is None:
                continue
            value, whole = found
            # `: base(\n source,\n options.Value.HttpClientTimeout)`: at the argument (the initializer starts on the
            # constructor's own line)
            # a named argument on a line of its own (`new Cache<T>(this, name,\n timeoutMs: 10000,\n ..)`): at
            # the argument, as the named timeouts of the libraries are
            at = arg if node.type == "constructor_initializer" or (
                not key.isdigit() and arg.start_point[0] != anchor.start_point[0]) else anchor
            out.append(_at(at, wrappers.timeout_proposal(
                path=f.path, language=LANGUAGE, node=node, detector=ID, callee=callee, key=key, value=value,
                expression=text(arg), evidence=evidence, args=urls)))
            if whole:
                out.append(_at(at, wrappers.retry_proposal(
                    path=f.path, language=LANGUAGE, node=node, detector=ID, callee=callee, key=key, value=value,
                    expression=text(arg), evidence=evidence, args=urls)))
    return out


def _other_overload_r20(call: Node, method: Node) -> bool:
    """Round 20 (bounan): ``Task DoAsync(Func<CancellationToken, Task> action, .., int maxRetries = 3, ..) =>
    DoAsync<object?>(async ct => { await action(ct); return null; }, .., maxRetries, ..)``: a call of the same
    name with type arguments from a method that has none is the other overload (a generic method calling itself
    may leave its type arguments to inference, so the reverse is no sign), not
    the method calling itself, so the defaulted bound it hands on is a contract with the default (rule a)."""
    if call.type != "invocation_expression":
        return False
    function = call.child_by_field_name("function")
    if function is not None and function.type == "member_access_expression":
        function = function.child_by_field_name("name")
    generic_call = function is not None and function.type == "generic_name"
    generic_method = method.child_by_field_name("type_parameters") is not None or any(
        c.type == "type_parameter_list" for c in method.named_children)
    return generic_call and not generic_method


def _own_or_instance_r19(scopes: "_Scopes", node: Node, callee: str) -> bool:
    """A call of a method of the caller's own class (``InstallAsync(tool, dir)``, named ``ToolClient.InstallAsync``)
    or of an instance of a declared type (``redistributableClient.InstallAsync(redist, game)``): the project's own
    helper, whatever its name."""
    if node.type != "invocation_expression" or "." not in callee:
        return False
    inv = syntax.invocation(node)
    if inv.name in _LIBRARY_METHODS:
        return False
    receiver = syntax.unwrap(inv.receiver)
    if receiver is None or text(receiver) == "this":
        return True
    if receiver.type == "member_access_expression" and text(receiver.child_by_field_name("expression")) == "this":
        receiver = receiver.child_by_field_name("name")
    return receiver.type == "identifier" and (scopes.type_of(text(receiver), receiver)[0] is not None or
                                              scopes.primary_type_r19(text(receiver), receiver) is not None)


def _declares_method_r19(use: Node, name: str) -> bool:
    """The class ``use`` is in declares a method ``name`` itself."""
    owner = syntax.enclosing(use, ("class_declaration", "struct_declaration", "record_declaration"))
    body = owner.child_by_field_name("body") if owner is not None else None
    return body is not None and any(c.type == "method_declaration" and text(c.child_by_field_name("name")) == name
                                    for c in body.named_children)


def _fits_r19(method: Node, count: int) -> bool:
    """A call with ``count`` arguments may be of ``method`` (between its required and its total parameters)."""
    params_node = method.child_by_field_name("parameters")
    params = [p for p in params_node.named_children if p.type == "parameter"] if params_node is not None else []
    required = sum(1 for p in params if syntax.parameter_default(text(p.child_by_field_name("name")), p) is None)
    return required <= count <= len(params)


def _local_action_r18(f: CsFile, args: list[Node]) -> bool:
    """Round 18 (sui-matcher): the helper is handed the work to run as a lambda that only does local file work
    (``RetryUtil.RetryAsync(() => { File.Move(path, dest); log; return Task.CompletedTask; }, _config.RetryCount,
    ..)``): its retry or timeout bounds no call."""
    from extractors.csharp.detectors import retry_loop  # (a detector module of the same package)
    for arg in args:
        node = syntax.unwrap(arg)
        body = syntax.lambda_body(node) if node is not None and node.type == "lambda_expression" else None
        if body is not None and retry_loop._local_work(f, body):
            return True
    return False


def _handed_default(scopes: "_Scopes", node: Node | None) -> tuple[Expr, bool] | None:
    """(the default, whole) of ``node`` when it is a bare parameter of the enclosing method with a
    positive literal default (``int retryCount = 15``)."""
    node = syntax.unwrap(node)
    if node is None or node.type != "identifier":
        return None
    param = scopes.parameter(text(node), node)
    default = syntax.unwrap(syntax.parameter_default(text(node), param)) if param is not None else None
    if default is None or default.type not in ("integer_literal", "real_literal"):
        return None
    value = syntax.number(default)
    if not isinstance(value, Num) or value.value <= 0:
        return None
    return value, default.type == "integer_literal"


def _own_receiver(call: Node, method: Node, callee: str) -> bool:
    """``Retry(call, attempt + 1)`` / ``this.Retry(..)`` / ``OwnClass.Retry(..)``: the method calling itself, not
    ``DownloaderHelper.Instance.DownloadFileAsync(..)`` inside a ``DownloadFileAsync`` of another class."""
    if call.type != "invocation_expression":
        return True
    receiver = syntax.unwrap(syntax.invocation(call).receiver)
    if receiver is None or text(receiver) in ("this", "base"):
        return True
    owner = syntax.enclosing(method, ("class_declaration", "struct_declaration", "record_declaration"))
    own = text(owner.child_by_field_name("name")) if owner is not None else ""
    return bool(own) and callee.split(".")[0] == own


# A helper named for retrying (a word of its name): a call that leaves its attempts parameter out gets the default.
_RETRY_WORDS = frozenset({"retry", "retries", "retrying", "backoff", "attempt", "attempts", "resilient", "resiliently",
                          "try", "tries"})
# Named arguments that are predicates or callbacks, never a bound.
_CALLBACK = re.compile(r"(?i)^(should|on[A-Z_]|is[A-Z_]|can[A-Z_]|when|use[A-Z_]|enable|allow)")
# A helper named for remote work: a call that leaves its defaulted timeout out gets the default.
_REMOTE_WORDS = frozenset({
    "fetch", "get", "post", "put", "patch", "delete", "call", "request", "send", "client", "api", "http", "download",
    "upload", "query", "load", "execute", "invoke", "connect", "connection", "establish", "open", "sync", "push",
    "pull", "publish", "notify", "submit", "search", "timeout"})
# Registration and configuration calls of the framework (`AddHttpClient`, `UseSqlServer`): no helper of the project.
_REGISTRATION = frozenset({"add", "use", "configure", "map", "register", "build"})


def _words(name: str) -> list[str]:
    """``GetHttpRequestSettings`` -> [get, http, request, settings]."""
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


# Types of the base library and common SDKs: `new X(...)` of these is no project helper.
_LIBRARY_CLASSES = frozenset({
    "HttpClient", "HttpClientHandler", "SocketsHttpHandler", "HttpRequestMessage", "StringContent", "Uri",
    "CancellationTokenSource", "List", "Dictionary", "HashSet", "Exception", "InvalidOperationException",
    "ArgumentException", "ArgumentNullException", "TimeoutException", "StringBuilder", "MemoryStream",
    "SemaphoreSlim", "Random", "Stopwatch", "Timer", "Thread", "Lazy", "ConcurrentDictionary", "Queue", "Stack",
})


def _forwarded(scopes: "_Scopes", stored: set[str], node: Node | None) -> Expr | None:
    """The argument in terms of the calling method's own parameter (or a field its class's
    constructor stored one in): ``timeout``, ``timeoutSeconds * 1000``, ``TimeSpan.FromSeconds(s)``,
    ``retries + 1``; None for anything else."""
    node = syntax.unwrap(node)
    if node is None:
        return None
    if node.type == "member_access_expression" and text(node.child_by_field_name("expression")) == "this":
        name = text(node.child_by_field_name("name"))
        return Ref(name) if name in stored else None
    if node.type == "identifier":
        name = text(node)
        param = scopes.parameter(name, node)
        if param is not None:
            # a number or a duration the caller was handed (not the url, the client, a token)
            kind = text(param.child_by_field_name("type") or param).replace("?", "").rsplit(".", 1)[-1]
            return Ref(name) if kind in _BOUND_TYPES else None
        if name in stored and scopes.local(name, node) is None:
            return Ref(name)
        return None
    if node.type == "invocation_expression":
        inv = syntax.invocation(node)
        if inv.receiver_text in ("TimeSpan", "System.TimeSpan") and inv.name in syntax.TIMESPAN_FACTORS \
                and len(inv.args) == 1:
            inner = _forwarded(scopes, stored, inv.args[0])
            return BinOp("*", inner, Num(syntax.TIMESPAN_FACTORS[inv.name])) if inner is not None else None
        return None
    if node.type == "binary_expression":
        op = text(node.child_by_field_name("operator"))
        if op not in ("+", "-", "*", "/"):
            return None
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        number = syntax.number(right)
        inner = _forwarded(scopes, stored, left)
        if inner is not None and isinstance(number, Num):
            return BinOp(op, inner, number)
        number = syntax.number(left)
        inner = _forwarded(scopes, stored, right)
        if inner is not None and isinstance(number, Num) and op in ("+", "*"):
            return BinOp(op, number, inner)
    return None


_BOUND_TYPES = frozenset({"int", "long", "short", "uint", "ulong", "ushort", "byte", "double", "float", "decimal",
                          "TimeSpan", "Int32", "Int64", "Double"})


def _constructor_fields(f: CsFile) -> set[str]:
    """The fields and properties a constructor of the file stores one of its parameters in
    (``_timeoutMs = timeoutMs;``, ``this.timeout = timeout;``), by their bare names."""
    out: set[str] = set()
    for ctor in syntax.descendants(f.root, "constructor_declaration"):
        params = ctor.child_by_field_name("parameters")
        names = {text(p.child_by_field_name("name")) for p in params.named_children if p.type == "parameter"} \
            if params is not None else set()
        out.update(field for field, _ in _stored_parameters(ctor, names))
    return out


def _stored_parameters(ctor: Node, names) -> list[tuple[str, str]]:
    """(field, parameter) for each `field = parameter;` / `this.field = parameter;` of a constructor."""
    out = []
    for node in walk(ctor):
        if node.type != "assignment_expression" or text(node.child_by_field_name("operator")) != "=":
            continue
        right = syntax.unwrap(node.child_by_field_name("right"))
        if right is None or right.type != "identifier" or text(right) not in names:
            continue
        left = text(node.child_by_field_name("left"))
        out.append((left[5:] if left.startswith("this.") else left, text(right)))
    return out


def _at(anchor: Node, finding: Finding) -> Finding:
    """Report at the call's own line in a fluent chain split over lines."""
    line, column = anchor.start_point[0] + 1, anchor.start_point[1] + 1
    return finding if (line, column) == (finding.line, finding.column) else replace(finding, line=line, column=column)


def drop_covered(findings: list[Finding]) -> list[Finding]:
    """Proposals of a call where another detector already reports that kind (``retryTimeout:
    TimeSpan.FromSeconds(30)`` read by the timeout options, ``maxRetries: 3`` by the retry options):
    one contract per call and kind. When that finding reads the very argument the proposal hands
    over and settled it by the library's convention (``maxRetries: 3`` -> 4 attempts), the helper's
    own reading wins if it publishes one (``QueryWithRetryAsync(.., maxRetries: 3)`` whose loop makes
    3 attempts): the value becomes the first of the two that resolves."""
    others = [f for f in findings if f.detector != ID]
    out = list(others)
    merged: dict[int, Finding] = {}
    for proposal in (f for f in findings if f.detector == ID):
        last = max(proposal.end_line or proposal.line, proposal.line)
        cover = [o for o in others if o.kind == proposal.kind and proposal.line <= o.line <= last]
        if not cover:
            out.append(proposal)
            continue
        expression = str(proposal.attributes.get("expression") or "")
        key = "timeout_ms" if proposal.kind == "timeout" else "max_attempts"
        value = next((p.expr for p in proposal.pending if p.attribute == key), None)
        if len(cover) != 1 or value is None or expression in ("", "(default)") or proposal.attributes.get("forward"):
            continue
        target = merged.get(id(cover[0]), cover[0])
        settled = target.attributes.get(key)
        if target.pending or not isinstance(settled, (int, float)) or expression not in target.evidence:
            continue
        # the settled value stays (what the file alone says); the pipeline prefers the helper's reading
        merged[id(cover[0])] = replace(target, pending=(
            Pending(key, Call("coalesce", (value, Num(float(settled)))), 1.0),))
    return [merged.get(id(f), f) for f in out]


# --- the callee's name ----------------------------------------------------------------------------

def _callee(scopes: "_Scopes", inv: syntax.Invocation) -> str | None:
    name = inv.name
    if not name or not name[0].isupper() or name in _LIBRARY_METHODS or name.startswith(("ThrowIf", "Format")):
        # (round 13: `ArgumentOutOfRangeException.ThrowIfZero(maxTries)`, a guard clause, hands nothing on)
        return None
    receiver = syntax.unwrap(inv.receiver)
    if receiver is None or receiver.type in ("this_expression", "base_expression") or text(receiver) in ("this", "base"):
        if receiver is None or text(receiver) == "this":
            owner = syntax.enclosing(inv.node, ("class_declaration", "struct_declaration", "record_declaration"))
            body = owner.child_by_field_name("body") if owner is not None else None
            if body is not None and any(c.type == "method_declaration" and text(c.child_by_field_name("name")) == name
                                        for c in body.named_children):
                # a method of this very class: its own publication, not another class's of that name
                return f"{text(owner.child_by_field_name('name'))}.{name}"
        return name  # an inherited method (or a local function)
    if receiver.type == "member_access_expression" and text(receiver.child_by_field_name("expression")) == "this":
        receiver = receiver.child_by_field_name("name")
    if receiver.type == "identifier":
        own = text(receiver)
        declared, is_variable = scopes.type_of(own, receiver)
        if declared is not None:
            return f"{declared}.{name}"
        primary = scopes.primary_type_r19(own, receiver)
        if primary is not None and _declares_method_r19(receiver, name):
            # `redistributableClient.InstallAsync(redist, game)` inside a GameClient that has an InstallAsync of its
            # own: the parameter's type names it, not the bare name both share (an extension method on `object`,
            # `dbContext.RetryOnFailure(..)`, keeps the bare name its file publishes)
            return f"{primary}.{name}"
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
            if len(parts) > 1 and parts[-1] in _SINGLETONS:
                # `DownloaderHelper.Instance.DownloadStringAsync(..)`: the type's one instance, its method
                return None if parts[-2] in _LIBRARY_TYPES else f"{parts[-2]}.{name}"
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
        self._locals: dict[int, dict[str, list[Node]]] = {}  # scope -> name -> its declarators in order

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
        """The declarator of a local ``name`` declared before ``use`` in its method; in a lambda, the
        lambda's own locals first, then the enclosing method's (round 11: ``var retryCount = 3;`` ..
        ``AddPolicyHandler((s, _) => Helper.GetRetryPolicy(retryCount))``)."""
        scope = syntax.enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement",
                                       "accessor_declaration", "lambda_expression")) or use
        found = self._local_in(scope, name, use)
        while found is None and scope.type == "lambda_expression" and scope.parent is not None:
            lambda_params = scope.child_by_field_name("parameters")
            if lambda_params is not None and (text(lambda_params) == name or any(
                    p.type == "parameter" and text(p.child_by_field_name("name")) == name
                    for p in lambda_params.named_children)):
                return None  # the lambda's parameter shadows it
            scope = syntax.enclosing(scope.parent, ("method_declaration", "constructor_declaration",
                                                    "local_function_statement", "accessor_declaration",
                                                    "lambda_expression"))
            if scope is None:
                return None
            found = self._local_in(scope, name, use)
        return found

    def _local_in(self, scope: Node, name: str, use: Node) -> Node | None:
        index = self._locals.get(scope.id)
        if index is None:  # one walk per scope, not one per name looked up in it
            index = {}
            for node in walk(scope):
                if node.type == "variable_declarator":
                    index.setdefault(text(node.child_by_field_name("name")), []).append(node)
            self._locals[scope.id] = index
        found = None
        for node in index.get(name, ()):
            if node.start_byte >= use.start_byte:
                break
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
                if value is not None and value.type == "await_expression" and value.named_children:
                    value = syntax.unwrap(value.named_children[0])
                if value is not None and value.type == "invocation_expression":
                    # round 15 (Mewdeko): `var rcon = await RconClient.ConnectAsync(..)`, a type's static factory
                    # (Create / Connect / Open): an instance of that type, not any class's `SendCommandAsync`
                    made = syntax.invocation(value)
                    owner = syntax.unwrap(made.receiver)
                    if owner is not None and owner.type == "identifier" and text(owner)[:1].isupper() and \
                            re.match(r"(?:Create|Connect|Open)(?:Async)?$|(?:Create|Connect|Open)[A-Z]", made.name) and \
                            self.parameter(text(owner), owner) is None and self.local(text(owner), owner) is None and \
                            not self.members.get(text(owner)):
                        return text(owner), True
                return None, True
            return _simple_type(type_node), True
        types = self.members.get(name)
        if types:
            only = next(iter(types)) if len(types) == 1 else None
            return only, True
        return None, False

    def primary_type_r19(self, name: str, use: Node) -> str | None:
        """Round 19 (lancommander): the type of a class's primary constructor parameter seen from its methods
        (`class GameClient(RedistributableClient redistributableClient, ..)` .. `redistributableClient.InstallAsync(..)`)."""
        if self.parameter(name, use) is not None or self.local(name, use) is not None or self.members.get(name):
            return None
        owner = syntax.enclosing(use, ("class_declaration", "record_declaration", "struct_declaration"))
        params = next((c for c in owner.named_children if c.type == "parameter_list"), None) if owner else None
        for p in params.named_children if params is not None else ():
            if p.type == "parameter" and text(p.child_by_field_name("name")) == name:
                return _simple_type(p.child_by_field_name("type"))
        return None


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
        defaulted = _config_read_with_default_r17(f, scopes, inv, depth)
        if defaulted is not None:
            return defaulted
        return _config_read(node)
    if kind == "element_access_expression":
        return _config_read(node)
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
            intervals = _interval_count_r18(local, name, node)
            if intervals is not None:
                return intervals
            values = [c for c in local.named_children if c != local.child_by_field_name("name")]
            if not values:
                return None
            if name in f._assigned_names:
                return _configured_local(f, scopes, name, values[-1], node, depth)
            return _constant(f, scopes, values[-1], depth + 1)
        value = f.constants.get(name)
        if value is None or syntax.settle(value) is None:
            if (value is None or isinstance(value, Ref)) and _setting_property(f, name) and _timeish(name) and \
                    not _countish(name):
                # `Connection.GetOpenAsync(cs, QueryTimeout)`: a setting of this class named for a timeout,
                # handed to a helper that applies it (valued by the pipeline when it can be: the settings
                # type's member a `=> Settings.QueryTimeoutMs` getter reads)
                return (value if value is not None else Ref(name)), False
            return None
        types = scopes.members.get(name) or set()
        return value, _whole(value) and not _timeish(name) and not types & {"TimeSpan", "double", "float", "decimal"}
    if kind == "member_access_expression":
        dotted = syntax.dotted(node)
        parts = dotted.split(".")
        if dotted in _NOT_BOUNDS or not dotted or parts[0] in _LIBRARY_TYPES:
            return None
        setting = _setting(scopes, node, parts)
        if setting is not None:
            return setting
        if len(parts) != 2 or not all(p[:1].isupper() for p in parts):
            return None
        _, is_variable = scopes.type_of(parts[0], node)
        if is_variable:
            return None
        value = f.constants.get(dotted)
        if value is not None:
            return (value, _whole(value) and not _timeish(parts[1])) if syntax.settle(value) is not None else None
        if not (_timeish(dotted) or _countish(dotted) or parts[1].isupper()):
            return None  # CancellationToken.None, HttpCompletionOption.ResponseHeadersRead: not a bound
        return Ref(dotted), not _timeish(parts[1]) and _countish(parts[1])
    return None


_DEVELOPMENT_R18 = re.compile(r"\.IsDevelopment\(\)|IsEnvironment\(\s*\"Development\"|IsLocal\w*\(\)")


def _interval_count_r18(local: Node, name: str, use: Node) -> tuple[Expr, bool] | None:
    """Round 18 (altinn-register): a local ``TimeSpan[]`` of retry or redelivery intervals handed to a helper
    (``SetupCoreBusServices(services, helper, redeliveryIntervals, ..)``) counts as its number of items, which a
    helper applying it (``r.Intervals(redeliveryIntervals)``) publishes as one try more; assigned per
    environment (``if (env.IsDevelopment()) x = [a, b]; else x = [a, b, c];``), the production value."""
    declaration = local.parent
    declared = declaration.child_by_field_name("type") if declaration is not None else None
    values = [c for c in local.named_children if c != local.child_by_field_name("name")]
    kind = text(declared) if declared is not None else ""
    if "TimeSpan" not in kind and not (kind == "var" and values and "TimeSpan" in text(values[-1])):
        return None
    if not ("[]" in kind or "<" in kind or kind == "var"):
        return None
    bound = syntax.local_value(name, use)
    if bound is None:
        return None
    guard = syntax.enclosing(bound, ("if_statement",))
    if guard is not None and _DEVELOPMENT_R18.search(text(guard.child_by_field_name("condition"))):
        consequence, alternative = guard.child_by_field_name("consequence"), guard.child_by_field_name("alternative")
        if consequence is not None and syntax.is_inside(bound, consequence) and alternative is not None:
            other = [n.child_by_field_name("right") for n in walk(alternative)
                     if n.type == "assignment_expression" and text(n.child_by_field_name("left")) == name]
            if not other:
                return None
            bound = other[-1]
    size = syntax.collection_items(bound)
    return (Num(float(size)), True) if size else None


_CONFIG_READER = re.compile(r"(?i)app|config|cfg|setting|option")
_CONVERSIONS = ("Parse", "ToInt32", "ToInt64", "ToDouble", "ObjToInt", "ObjToLong", "ObjToDecimal", "ToInt", "AsInt")


def _config_key(node: Node | None) -> str | None:
    """The configuration key a read names: ``int.Parse(AppSettings.app(new string[] { "RabbitMQ", "RetryCount" }))``,
    ``AppSettings.app("RabbitMQ", "RetryCount").ObjToInt()``, ``Configuration["RabbitMQ:RetryCount"]``,
    ``config.GetValue<int>("RabbitMQ:RetryCount")`` -> ``RabbitMQ:RetryCount``."""
    node = syntax.unwrap(node)
    for _ in range(4):
        if node is None or node.type != "invocation_expression":
            break
        inv = syntax.invocation(node)
        if inv.name not in _CONVERSIONS:
            break
        node = syntax.unwrap(inv.args[0] if inv.args and inv.receiver_text in (
            "int", "long", "double", "Convert", "Int32", "Int64") else inv.receiver)
    if node is None:
        return None
    if node.type == "element_access_expression":
        keys = [syntax.string_literal(c) for c in walk(node) if c.type == "string_literal"]
        return keys[0] if len(keys) == 1 and keys[0] and _CONFIG_READER.search(text(node).split("[", 1)[0]) else None
    if node.type != "invocation_expression":
        return None
    inv = syntax.invocation(node)
    if not _CONFIG_READER.search(inv.callee or inv.name):
        return None
    parts = [c for arg in inv.args for c in walk(arg) if c.type == "string_literal"]
    rest = "".join(re.sub(r'"(?:[^"\\]|\\.)*"', "", text(arg)) for arg in inv.args)
    if not parts or not re.fullmatch(r"(?:\s|,|\{|\}|new|string|\[|\])*", rest):
        return None  # only literal key parts (`"RabbitMQ", "RetryCount"`, `new string[] { .. }`)
    keys = [syntax.string_literal(c) for c in parts]
    if any(not k for k in keys):
        return None
    return ":".join(keys)


_WHOLE_READS = re.compile(r"\b(?:ToInt32|ToInt64|ToInt16|ObjToInt|ObjToLong|ToInt|AsInt)\b|\b(?:int|long|Int32|Int64)\."
                          r"Parse\b|GetValue<\s*(?:int|long|Int32|Int64|short)\s*>")


def _config_read_with_default_r17(f: CsFile, scopes: _Scopes, inv: syntax.Invocation,
                                  depth: int) -> tuple[Expr, bool] | None:
    """Round 17 (btms-gateway): ``builder.Configuration.GetValue("HttpClientTimeoutSeconds",
    Proxy.DefaultHttpClientTimeoutSeconds)`` / ``GetValue<int>("A:Retries", 3)``: the key when a configuration file
    of the service sets it, else the default the read falls back to."""
    if inv.name != "GetValue" or len(inv.args) != 2 or inv.named or not _CONFIG_READER.search(inv.callee or ""):
        return None
    key_node = syntax.unwrap(inv.args[0])
    key = syntax.string_literal(key_node) if key_node is not None and key_node.type == "string_literal" else None
    if not key:
        return None
    fallback = _constant(f, scopes, inv.args[1], depth + 1)
    if fallback is None:
        return None
    last = key.rsplit(":", 1)[-1]
    whole = fallback[1] or bool(_WHOLE_READS.search(text(inv.node))) or (_countish(last) and not _timeish(last))
    return Call("coalesce", (Ref(key), fallback[0])), whole


def _config_read(node: Node) -> tuple[Expr, bool] | None:
    """Round 11: a configuration key read in place and handed to a helper
    (``Convert.ToInt32(builder.Configuration["RetryConfiguration:RetryCount"])``,
    ``cfg.GetValue<int>("A:RetryCount")``): the key (valued from appsettings.json by the pipeline,
    else null); a whole number when the read converts to an integer or the key is named for a count."""
    key = _config_key(node)
    if not key or ":" not in key and not (node.type == "invocation_expression" and
                                          syntax.invocation(node).name in ("GetValue", "GetRequiredValue")):
        return None
    last = key.rsplit(":", 1)[-1]
    whole = bool(_WHOLE_READS.search(text(node))) or (_countish(last) and not _timeish(last))
    return Ref(key), whole


def _configured_local(f: CsFile, scopes: _Scopes, name: str, initial: Node, use: Node,
                      depth: int) -> tuple[Expr, bool] | None:
    """``var retryCount = 5; if (!string.IsNullOrEmpty(cfg["RetryCount"])) retryCount = int.Parse(cfg["RetryCount"]);``:
    a literal default that configuration may override, handed to a helper: the configured value when a
    configuration file of the service sets the key, else the literal."""
    start = _constant(f, scopes, initial, depth + 1)
    method = syntax.enclosing(use, ("method_declaration", "constructor_declaration", "local_function_statement",
                                    "accessor_declaration", "lambda_expression"))
    if start is None or method is None:
        return None
    keys = set()
    for node in walk(method):
        if node.type != "assignment_expression" or text(node.child_by_field_name("left")) != name:
            continue
        if node.start_byte > use.start_byte or text(node.child_by_field_name("operator")) != "=" or \
                syntax.enclosing(node, ("if_statement",)) is None:
            return None
        key = _config_key(node.child_by_field_name("right"))
        if key is None:
            return None
        keys.add(key)
    if len(keys) != 1:
        return None
    return Call("coalesce", (Ref(keys.pop()), start[0])), start[1]


def _setting(scopes: _Scopes, node: Node, parts: list[str]) -> tuple[Expr, bool] | None:
    """``_settings.TimeoutSeconds``, ``this.room.RoomConfig.TimingStreamConnect``, ``options.Value.Retries``:
    a setting an instance holds, handed to a helper: a contract of the call when the helper takes it as a
    timeout or a bound (valued by the pipeline when the setting's default is known, else null); a
    count (named for one) may be a bound."""
    instance = parts[0] == "this"
    if instance:
        parts = parts[1:]
    if len(parts) < 2 or not all(p.isidentifier() for p in parts):
        return None
    last = parts[-1]
    if last in ("Count", "Length", "Token", "Value", "None") or last.isupper() or last.startswith(("Is", "Has")):
        return None
    root = parts[0]
    if root[:1].isupper():
        declared, is_variable = scopes.type_of(root, node)
        if not is_variable:
            return None  # a type's static member: a constant, read by the caller below
    elif scopes.type_of(root, node) == (None, False) and not root.startswith("_") and not instance:
        return None
    return Ref(syntax.typed_name(".".join(parts), node)), _countish(last) and not _timeish(last)


def _setting_property(f: CsFile, name: str) -> bool:
    """``private int? QueryTimeout => Settings.QueryTimeoutMs;``: a property of the file (not a field:
    state the code keeps, like ``_lastTimeoutMs``) that nothing in the file assigns."""
    if name in f._assigned_names:
        return False
    names = f.__dict__.get("_property_names")
    if names is None:
        names = f.__dict__["_property_names"] = {
            text(n.child_by_field_name("name")) for n in syntax.descendants(f.root, "property_declaration")}
    return name in names


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
    # round 14: a local function (`static AsyncRetryPolicy CreatePolicy(int retries, ..) => Policy..WaitAndRetryAsync(
    # retries, ..)` inside the method that calls `CreatePolicy(3, ..)`) is a helper too, known by its bare name
    for method in [*syntax.descendants(f.root, "method_declaration"), *syntax.descendants(f.root, "local_function_statement")]:
        name_node, params_node = method.child_by_field_name("name"), method.child_by_field_name("parameters")
        if name_node is None or params_node is None or method.child_by_field_name("body") is None and not any(
                c.type == "arrow_expression_clause" for c in method.named_children):
            continue
        params = [p for p in params_node.named_children if p.type == "parameter"]
        if not params:
            continue
        name = text(name_node)
        names = [text(p.child_by_field_name("name")) for p in params]
        defaults = _defaults(method, params, names)
        # every parameter with a default of any kind (`int timeoutSeconds = 30`, `TimeSpan? t = null`,
        # `int retries = Defaults.Retries`): a call may leave it out, so its use here is no forwarder
        defaulted = _defaulted(params, names, defaults)
        # `SetTimeout(int seconds) { ClientTimeout = seconds; client.Timeout = TimeSpan.FromSeconds(ClientTimeout); }`:
        # a field the method sets from its parameter before using it stands for the parameter
        aliases: dict[str, str] = {}
        for field_name, param in _stored_parameters(method, set(names)):
            if field_name != param and field_name.isidentifier():
                aliases[field_name] = param
                aliases["this." + field_name] = param
        chain = syntax.type_chain(method)
        owner = syntax.enclosing(method, ("class_declaration", "struct_declaration", "record_declaration",
                                          "interface_declaration"))
        qualified = [f"{chain[-1]}.{name}"] if chain else []
        if len(chain) > 1:
            qualified.append(".".join([*chain, name]))
        first, last = method.start_point[0] + 1, method.end_point[0] + 1
        extension = any(text(c) == "this" for c in params[0].children if not c.is_named) or any(
            c.type == "modifier" and text(c) == "this" for c in params[0].children)
        if method.type == "local_function_statement":
            functions.append(wrappers.Function((name,), first, last, tuple(names), defaults, aliases, defaulted))
        elif extension:
            functions.append(wrappers.Function(tuple(qualified), first, last, tuple(names), defaults, aliases,
                                               defaulted))
            extended = _simple_type(params[0].child_by_field_name("type"))
            receiver_names = (name, f"{extended}.{name}") if extended else (name,)
            functions.append(wrappers.Function(receiver_names, first, last, tuple(names[1:]), defaults, aliases,
                                               defaulted))
        else:
            bases = [f"{b}.{name}" for b in _bases(owner)]
            functions.append(wrappers.Function((name, *qualified, *bases), first, last, tuple(names), defaults,
                                               aliases, defaulted))
    functions.extend(_constructors(f))
    if not functions:
        return {}
    out = wrappers.publish(functions, [_scaled(fd) for fd in findings], own_detectors=(ID,))
    for key, value in wrappers.new_id_publications(functions, findings).items():
        out.setdefault(key, value)  # (round 22) a helper minting a fresh ID per attempt, for its callers' retries
    return _drop_overload_omissions_r19(f, out)


def _drop_overload_omissions_r19(f: CsFile, out: dict[str, Expr]) -> dict[str, Expr]:
    """Round 19 (lancommander): ``InstallAsync(Game game)`` beside ``InstallAsync(Redistributable r, Game g, int
    maxAttempts = 10)``: a call with one argument is the overload that takes exactly one, so it leaves no
    defaulted bound of the other out (the omitted-default markers at that count are dropped)."""
    exact: dict[str, set[int]] = {}
    for method in syntax.descendants(f.root, "method_declaration"):
        params_node = method.child_by_field_name("parameters")
        if params_node is None:
            continue
        count = len([p for p in params_node.named_children if p.type == "parameter"])
        chain = syntax.type_chain(method)
        name = text(method.child_by_field_name("name"))
        for key in (name, f"{chain[-1]}.{name}" if chain else name):
            exact.setdefault(key, set()).add(count)
    if not exact:
        return out
    kept: dict[str, Expr] = {}
    for key, value in out.items():
        head, _, count = key.rpartition(":")
        callee, _, marker = head.rpartition(".")
        if marker in ("$attempts_omitted", "$attempts_default", "$timeout_omitted", "$timeout_default") and \
                count.isdigit() and int(count) in exact.get(callee, ()):
            continue
        kept[key] = value
    return kept


def _defaulted(params: list[Node], names: list[str], defaults: dict[str, float]) -> frozenset[str]:
    """The parameters that have a default of any kind (a literal, a constant, a call); ``null`` only with a
    fallback in the body (``timeout ?? TimeSpan.FromSeconds(100)``): a bare ``int? timeoutMs = null`` left out
    sets no bound, so its use stays a forwarder of the callers' values."""
    out = set()
    for p, n in zip(params, names):
        default = syntax.parameter_default(n, p)
        if default is not None and (text(default) not in ("null", "default") or n in defaults):
            out.add(n)
    return frozenset(out)


def _defaults(method: Node, params: list[Node], names: list[str]) -> dict[str, float]:
    """The numeric default of each parameter, in its own unit (ms for a TimeSpan): a literal
    (``int maxAttempts = 5``), or for one defaulting to null the fallback the body gives it
    (``TimeSpan? timeout = null`` ... ``timeout ?? TimeSpan.FromSeconds(100)`` -> 100000)."""
    defaults: dict[str, float] = {}
    for p, pname in zip(params, names):
        default = syntax.parameter_default(pname, p)
        if default is None:
            continue
        value = syntax.settle(syntax.number(default))
        bare = syntax.unwrap(default)
        if value is None and bare is not None and bare.type in ("identifier", "member_access_expression") and \
                isinstance(syntax.number(default), Ref) and not "TimeSpan" in text(p.child_by_field_name("type") or p):
            # `int maxRetryCount = DefaultMaxRetryCount`: the constant, valued where the helper lives
            defaults[pname] = syntax.number(default)
            continue
        if value is None and text(default) in ("null", "default"):
            timespan = "TimeSpan" in text(p.child_by_field_name("type") or p)
            for node in walk(method):
                # `timeout ?? TimeSpan.FromSeconds(100)`, `maxRetries ??= DEFAULT_RETRIES;`, round 13:
                # `if (timeout == null) timeout = DefaultTimeout;`
                right = null_fallback(node, pname)
                if right is not None:
                    value = syntax.settle(syntax.duration_ms(right) if timespan else syntax.number(right))
                    if value is None:
                        value = _static_default(method, right, timespan)
                    break
        if value is not None:
            defaults[pname] = value
    return defaults


def _static_default(method: Node, node: Node | None, timespan: bool) -> float | None:
    """``DEFAULT_RETRIES`` of ``public static int DEFAULT_RETRIES = 5;`` in the method's class, when no code
    of the file assigns it: the literal it starts with."""
    node = syntax.unwrap(node)
    owner = syntax.enclosing(method, ("class_declaration", "struct_declaration", "record_declaration"))
    if node is None or node.type != "identifier" or owner is None:
        return None
    name = text(node)
    root = owner
    while root.parent is not None:
        root = root.parent
    if any(n.type == "assignment_expression" and text(n.child_by_field_name("left")) in (name, f"this.{name}")
           for n in walk(root)):
        return None
    for declarator in walk(owner):
        if declarator.type != "variable_declarator" or text(declarator.child_by_field_name("name")) != name or \
                declarator.parent is None or declarator.parent.parent is None or \
                declarator.parent.parent.type != "field_declaration":
            continue
        values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
        if values:
            return syntax.settle(syntax.duration_ms(values[-1]) if timespan else syntax.number(values[-1]))
    return None


def _constructors(f: CsFile) -> list[wrappers.Function]:
    """A class whose constructor keeps a parameter in a field (``_timeoutMs = timeoutMs;``) that its
    methods use as a timeout or a retry bound, or a primary constructor's parameter used so: the
    construction ``new Cache(name, timeoutMs: 10000)`` hands the value over. Named as the construction
    names the type; its lines are the whole class."""
    out: list[wrappers.Function] = []
    for owner in walk(f.root):
        if owner.type not in ("class_declaration", "record_declaration", "struct_declaration"):
            continue
        name = text(owner.child_by_field_name("name"))
        first, last = owner.start_point[0] + 1, owner.end_point[0] + 1
        primary = next((c for c in owner.named_children if c.type == "parameter_list"), None)
        if primary is not None:
            params = [p for p in primary.named_children if p.type == "parameter"]
            names = [text(p.child_by_field_name("name")) for p in params]
            if names:
                # (round 17: a field initialized from a primary constructor's parameter was tried as that
                # parameter's alias and withdrawn: opengeh-process-manager labels such a class's timeout at its own
                # line with the value its one caller hands over, and lost 4 of 78; _primary_field_aliases_r17 kept
                # for a later decision)
                # round 21 (docspace-server): `class Conn(IConnectionFactory f, ILogger l, int retryCount = 5)`: a
                # parameter with a default is rule (a) where the class uses it, (b)/(c) at the constructions
                primary_defaults = _defaults(owner, params, names)
                out.append(wrappers.Function((name,), first, last, tuple(names), primary_defaults, {},
                                             _defaulted(params, names, primary_defaults)))
        body = owner.child_by_field_name("body")
        for ctor in (c for c in (body.named_children if body is not None else []) if c.type == "constructor_declaration"):
            plist = ctor.child_by_field_name("parameters")
            params = [p for p in plist.named_children if p.type == "parameter"] if plist is not None else []
            names = [text(p.child_by_field_name("name")) for p in params]
            if not names:
                continue
            aliases: dict[str, str] = {}
            for field_name, param in _stored_parameters(ctor, names):
                if field_name != param:
                    aliases[field_name] = param
                aliases["this." + field_name] = param
            if aliases:
                ctor_defaults = _defaults(ctor, params, names)
                out.append(wrappers.Function((name,), first, last, tuple(names), ctor_defaults,
                                             aliases, _defaulted(params, names, ctor_defaults)))
            else:
                # `public Cache(.., int? timeoutMs = null) { _update = async () => { if (await Task.WhenAny(task,
                # Task.Delay(timeoutMs.Value)) == task) .. }; }`: the constructor applies its parameter itself
                ctor_defaults = _defaults(ctor, params, names)
                out.append(wrappers.Function((name,), ctor.start_point[0] + 1, ctor.end_point[0] + 1, tuple(names),
                                             ctor_defaults, {}, _defaulted(params, names, ctor_defaults)))
    return out


def _primary_field_aliases_r17(owner: Node, names: list[str]) -> dict[str, str]:
    """Round 17 (azure-mcp): ``class TimeoutTokenCredential(TokenCredential inner, TimeSpan timeout) { private
    readonly TimeSpan _timeout = timeout; .. cts.CancelAfter(_timeout); }``: a field initialized from a primary
    constructor's parameter is that parameter, so the construction hands the value over."""
    aliases: dict[str, str] = {}
    body = owner.child_by_field_name("body")
    for field in (c for c in (body.named_children if body is not None else []) if c.type == "field_declaration"):
        for declarator in (n for n in walk(field) if n.type == "variable_declarator"):
            values = [c for c in declarator.named_children if c != declarator.child_by_field_name("name")]
            value = syntax.unwrap(values[-1]) if values else None
            if value is not None and value.type == "identifier" and text(value) in names:
                field_name = text(declarator.child_by_field_name("name"))
                if field_name != text(value):
                    aliases[field_name] = text(value)
                aliases["this." + field_name] = text(value)
    return aliases


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


_DEFAULTED_USE = re.compile(
    r"^(?:TimeSpan\.From(?:Milliseconds|Seconds|Minutes|Hours)\((?P<a>[A-Za-z_]\w*)\)|(?P<b>[A-Za-z_]\w*)\s*\*\s*\d+"
    r"|(?P<c>[A-Za-z_]\w*))$")


def _scaled(finding: Finding) -> Finding:
    """A timeout of ``TimeSpan.FromSeconds(timeoutSeconds)`` (pending ``timeoutSeconds * 1000``) as the
    parameter itself at 1000 ms per unit: the form ``wrappers.publish`` reads."""
    if finding.kind != "timeout":
        return finding
    if not any(p.attribute == "timeout_ms" for p in finding.pending):
        # settled from a parameter's default (`int downloadTimeout = 9` .. `CancelAfter(TimeSpan.FromSeconds(
        # downloadTimeout))` -> 9000): name the parameter, so the unit (ms per unit) follows from the default
        match = _DEFAULTED_USE.match(str(finding.attributes.get("expression") or "").strip())
        if match is not None:
            named = match.group("a") or match.group("b") or match.group("c")
            return replace(finding, attributes={**finding.attributes, "expression": named})
        return finding
    pending = []
    changed = False
    for p in finding.pending:
        expr = p.expr
        if p.attribute == "timeout_ms" and isinstance(expr, BinOp) and expr.op == "/" and isinstance(expr.left, Ref) \
                and isinstance(expr.right, Num) and expr.right.value > 0:
            # `(int)connectTimeout.TotalMilliseconds` (the TimeSpan parameter in ms, over 1)
            pending.append(Pending(p.attribute, expr.left, (p.scale or 1.0) / expr.right.value))
            changed = True
            continue
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
