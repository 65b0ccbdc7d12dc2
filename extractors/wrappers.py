"""Timeouts and retry bounds handed to a project's own functions: one mechanism for every language.

Most services call their dependencies through a helper of their own (`post_json(url, body, 0.5)`,
`HttpUtil.post(url, body, 3000)`, `WithTimeout(TimeSpan.FromSeconds(30), ct, call)`,
`withRetry(3, fn)`). The value each call site hands the helper is the contract with that
dependency, but the helper usually lives in another file. Two halves meet in the pipeline:

- **publish** (the helper's file): a function whose parameter becomes a timeout (a finding in its
  body whose ``expression`` or pending value is just that parameter) publishes
  ``<name>.$timeout_param:<index>`` and ``<name>.$timeout_param:<param>`` valued at the ms per
  unit of the argument; one whose parameter bounds a retry (its pending ``max_attempts`` is the
  parameter, or its ``attempts_expression`` attribute says so: ``retries + 1``) publishes
  ``<name>.$attempts_param:…`` valued at 1 + the attempts the bound adds to the argument.
  Each name a caller may use (``post``, ``HttpUtil.post``) is published.
- **propose** (the caller's file): a call of a project function that passes a number, a constant or
  a duration at some position or keyword becomes a finding carrying ``Pending("$keep_if", …)``:
  the pipeline keeps it only when the callee's file published that parameter, and values it
  (``resolve.resolve_findings``). Everything else is dropped, so proposing is cheap in precision.

Three extensions make the same two halves reach further:

- **helper chains**: a helper that only hands its own parameter to another helper
  (``def get(url, timeout): return post(url, None, timeout)``) is a forwarder, not a contract. Its
  call is a ``forward_proposal`` (never reported); ``publish`` turns it into the outer helper's
  own ``get.$timeout_param:1`` = the inner one's scale (an Expr the pipeline evaluates in the
  helper's file), so `get(RISK_URL, 2)` is kept and valued like `post(...)` would be.
- **constructor parameters**: ``Function.aliases`` names the fields a constructor stores its
  parameters in (``{"this.timeoutMs": "timeoutMs"}``); a finding in any method of the class whose
  value is that field publishes the constructor's parameter (the Function's ``names`` are what a
  construction call uses, its lines the whole class).
- **omitted defaults**: a timeout or attempts parameter with a default publishes what a call that
  leaves it out gets (``omitted_timeout_proposal``, ``omitted_retry_proposal``).

The pipeline's symbol pass also extracts files the prefilter skipped when they mention a published
helper (``pipeline._wrapper_tokens``): a caller of `callApi(url, 2000)` holds no timeout word.

Proposing at every call of every project function is most of an extractor's work on a big tree
(a test file calls hundreds of project functions; a service has a few dozen helpers). A scan
therefore extracts in two passes: first with ``proposing_for() == frozenset()`` (an extractor that
honours it proposes only for its own file's functions and records the names it calls in
``FileResult.calls``), then the files that call a name some file published (``published_names``)
again, with those names (``pipeline._helper_pass``). An extractor called directly
(``proposing_for() is None``) proposes at every call, as before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from contract_discovery.model import Finding, Pending
from contract_discovery.resolve import (ATTEMPTS_DEFAULT, ATTEMPTS_OMITTED, ATTEMPTS_PARAM, KEEP_IF, TIMEOUT_DEFAULT,
                                        TIMEOUT_OMITTED, TIMEOUT_PARAM, URL_FIXED)
from contract_discovery.values import BinOp, Call, Expr, Num, Ref, Str, Tuple, Unknown

# `attempts_expression` of a retry finding: max_attempts in terms of one name (`retries`, `maxRetries + 1`)
_BOUND = re.compile(r"^\s*([A-Za-z_@$][\w.@$]*)\s*([+-]\s*\d+)?\s*$")
# the phase a helper's timeout parameter bounds, when not the whole call (`connect`, `read`)
TIMEOUT_PHASE = "$timeout_phase"
# a helper's parameter that is the URL its calls go to
URL_PARAM = "$url_param"
_WRITTEN_BASE = re.compile(r"""^\s*(?:[fF]?["'`]\{?\$?\{)?\s*([A-Za-z_$@][\w.$@]*)\s*\}?(?:\s*[+}]|\s*$|["'`/])""")
# the pending value of a forward_proposal: the argument, in terms of the calling helper's parameter
FORWARD = "$forward"


_PROPOSE_FOR: frozenset[str] | None = None


def proposing_for() -> frozenset[str] | None:
    """The helper names (last component) whose calls the file being extracted proposes for, besides
    its own functions; None: every call (see the module doc)."""
    return _PROPOSE_FOR


@contextmanager
def propose_for(names: frozenset[str] | None):
    """Extract, within the block, proposing only for calls of these helper names (None: all)."""
    global _PROPOSE_FOR
    previous, _PROPOSE_FOR = _PROPOSE_FOR, names
    try:
        yield
    finally:
        _PROPOSE_FOR = previous


@dataclass(frozen=True)
class Function:
    """A function or method of the file, as callers name it.

    ``names``: every name a call may use (``("post",)`` for a module function; ``("post",
    "HttpUtil.post")`` for a static method). ``params``: parameter names in order (without a
    receiver/``self``). ``defaults``: the numeric default of a parameter, in the parameter's own
    unit, when it is a literal (used to derive the unit from a settled finding: default 10 and
    ``timeout_ms`` 10000 -> 1000 ms per unit); it may also be an Expr (``Ref("DEFAULT_RETRIES")``)
    when the default is a name. An attempts parameter with a default publishes what a call that
    leaves it out gets (``omitted_retry_proposal``); a timeout parameter's literal default likewise
    (``omitted_timeout_proposal``). ``aliases``: other names a finding may use for a parameter,
    such as the field a constructor stores it in (``{"this.timeoutMs": "timeoutMs", "_timeout":
    "timeout", "@timeout": "timeout"}``). ``defaulted``: the parameters that have a default of any
    kind, also one no Expr can say (``requestTimeout = this.config.get('REQUEST_TIMEOUT')``): such a
    parameter's setting is no forwarder (a call may leave it out), whatever ``defaults`` knows."""

    names: tuple[str, ...]
    first_line: int
    last_line: int
    params: tuple[str, ...]
    defaults: Mapping[str, float | Expr] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    defaulted: frozenset[str] = frozenset()
    # a helper that runs the work it is handed again after a failure a fixed number of times, whatever
    # the caller passes (`redoOnce { }`, `retryOnce(op)`): every call is a retry of that work with this
    # many tries, published as what a call leaving the bound out gets
    fixed_attempts: int | None = None

    def param(self, name: str) -> str | None:
        """The parameter a name in the body stands for: itself, or the parameter a field holds."""
        if name in self.params:
            return name
        aliased = self.aliases.get(name)
        return aliased if aliased in self.params else None


class ByLine:
    """Findings sliced by a function's line range in O(log n) (a helper file has hundreds of
    functions and findings: the per-function loops were quadratic). ``within`` keeps the list's
    own order, so first-wins publication is unchanged."""

    def __init__(self, findings: Iterable[Finding]):
        self._items = list(findings)
        self._order = sorted(range(len(self._items)), key=lambda i: self._items[i].line)
        self._lines = [self._items[i].line for i in self._order]

    def within(self, first_line: int, last_line: int) -> list[Finding]:
        lo, hi = bisect_left(self._lines, first_line), bisect_right(self._lines, last_line)
        return [self._items[i] for i in sorted(self._order[lo:hi])]


def _param_of(expr: Expr | None, fn: Function) -> tuple[str, float] | None:
    """(parameter, offset) when the expression is a parameter plus a constant: `retries` -> 0,
    `retries + 1` -> 1, `1 + retries` -> 1."""
    if isinstance(expr, Ref) and fn.param(expr.name):
        return fn.param(expr.name), 0.0
    if isinstance(expr, BinOp) and expr.op in ("+", "-"):
        left, right = expr.left, expr.right
        if isinstance(left, Ref) and fn.param(left.name) and isinstance(right, Num):
            return fn.param(left.name), float(right.value) if expr.op == "+" else -float(right.value)
        if expr.op == "+" and isinstance(right, Ref) and fn.param(right.name) and isinstance(left, Num):
            return fn.param(right.name), float(left.value)
    return None


def _scaled_param(expr: Expr | None, fn: Function) -> tuple[str, float] | None:
    """(parameter, factor) when the expression is a parameter times a constant: `timeout` -> 1,
    `seconds * 1000` / `1000 * seconds` -> 1000, `ms / 1000` -> 0.001."""
    if isinstance(expr, Ref) and fn.param(expr.name):
        return fn.param(expr.name), 1.0
    if isinstance(expr, BinOp) and expr.op in ("*", "/"):
        left, right = expr.left, expr.right
        if isinstance(left, Ref) and fn.param(left.name) and isinstance(right, Num) and right.value:
            factor = float(right.value)
            return fn.param(left.name), factor if expr.op == "*" else 1.0 / factor
        if expr.op == "*" and isinstance(right, Ref) and fn.param(right.name) and isinstance(left, Num):
            return fn.param(right.name), float(left.value)
    return None


def publish(functions: Iterable[Function], findings: Iterable[Finding], own_detectors: Iterable[str] = ()) -> dict[str, Expr]:
    """The symbols a file publishes for the callers of its helpers (see the module doc).
    ``own_detectors``: the detectors that propose (their findings never make a helper)."""
    findings, functions = list(findings), list(functions)
    out_urls = _url_params(functions, findings)
    forwards = [f for f in findings if f.attributes.get("forward")]
    findings = [f for f in findings if f.detector not in set(own_detectors) and f.kind in ("timeout", "retry")
                and not f.attributes.get("forward")]
    out: dict[str, Expr] = {}
    by_line = ByLine(findings)
    for fn in functions:
        if not fn.params or not fn.names:
            continue
        if fn.fixed_attempts:
            for name in fn.names:
                for count in range(len(fn.params) + 1):
                    out.setdefault(f"{name}.{ATTEMPTS_OMITTED}:{count}", Num(1))
                    out.setdefault(f"{name}.{ATTEMPTS_DEFAULT}:{count}", Num(float(fn.fixed_attempts)))
        left_out: dict[int, list[tuple]] = {}  # positional count -> (phase, the default a call gets, parameter)
        named: dict[str, tuple[int, str, Expr]] = {}  # timeout param -> (index, phase, the default a call gets)
        for fd in by_line.within(fn.first_line, fn.last_line):
            if fd.kind == "timeout":
                found = _timeout_param(fn, fd)
                marker = TIMEOUT_PARAM
            else:
                found = _attempts_param(fn, fd)
                marker = ATTEMPTS_PARAM
            if found is None:
                continue
            param, value = found
            index = fn.params.index(param)
            phase = fd.attributes.get("phase") if marker == TIMEOUT_PARAM else None
            if fn.defaults.get(param) is None and param not in fn.defaulted and fd.attributes.get(
                    "timeout_ms" if marker == TIMEOUT_PARAM else "max_attempts") is None:
                # only its caller's value: no contract here (the calls that pass one hold it)
                out.setdefault(forwarder_key(fd), Num(1))
            for name in fn.names:
                out.setdefault(f"{name}.{marker}:{index}", Num(value))
                out.setdefault(f"{name}.{marker}:{param}", Num(value))
                if phase and phase != "total":
                    # `restTemplate(connectMs, readMs)`: each argument bounds its own phase
                    out.setdefault(f"{name}.{TIMEOUT_PHASE}:{index}", Str(str(phase)))
                    out.setdefault(f"{name}.{TIMEOUT_PHASE}:{param}", Str(str(phase)))
            default = phase_item_of_default_pair(fn.defaults.get(param), phase)
            if default is None or isinstance(default, bool):
                continue
            default_expr = Num(default) if isinstance(default, (int, float)) else default
            if marker == ATTEMPTS_PARAM:
                made = default_expr if value == 1.0 else BinOp("+", default_expr, Num(value - 1.0))
                omitted, given = ATTEMPTS_OMITTED, ATTEMPTS_DEFAULT
            else:
                if isinstance(default_expr, Num) and not default_expr.value:
                    continue  # `timeout=0` / `None`-like: no bound when left out
                made = default_expr if value == 1.0 else BinOp("*", default_expr, Num(value))
                omitted, given = TIMEOUT_OMITTED, TIMEOUT_DEFAULT
            # a call passing fewer positional arguments than the parameter's position leaves it out
            if marker == TIMEOUT_PARAM:
                named.setdefault(param, (index, str(phase or "total"), made))
            for count in range(index + 1):
                if marker == TIMEOUT_PARAM:
                    entries = left_out.setdefault(count, [])
                    if (str(phase or "total"), made, param) not in entries:
                        entries.append((str(phase or "total"), made, param))
                    continue
                for name in fn.names:
                    out.setdefault(f"{name}.{omitted}:{count}", Num(1))
                    out.setdefault(f"{name}.{given}:{count}", made)
        for count, phases in left_out.items():
            # a call leaving out several defaults gets each, with its phase (`_publish_default`)
            for name in fn.names:
                _publish_default(out, name, str(count), phases)
        _publish_partly_given(fn, named, out)
    _publish_forwards(functions, forwards, out)
    for key, value in out_urls.items():
        out.setdefault(key, value)
    return out


def _pair_or_first(phases: Mapping[str, Expr]) -> Expr:
    """A call leaving out both a connect and a read default gets both (a (connect, read) pair:
    `resolve_findings` splits it into two findings); else the first default found (several phases
    other than that pair: ``_publish_default``)."""
    if "connect" in phases and "read" in phases:
        return Tuple((phases["connect"], phases["read"]))
    return next(iter(phases.values()))


def _publish_partly_given(fn: Function, named: Mapping[str, tuple[int, str, Expr]], out: dict) -> None:
    """A call that passes SOME of a helper's defaulted timeout parameters by name and leaves out the
    others (``connection(url, read_timeout: 5)`` of ``def connection(url, connect_timeout: 2,
    read_timeout: 10)``) gets the defaults of the ones it leaves out: published per positional count
    and set of names given, ``<name>.$timeout_default:<count>:-<given,...>`` (what
    ``omitted_timeout_proposal`` asks for when a keyword may be a timeout). Up to four such
    parameters (sixteen sets)."""
    if not 2 <= len(named) <= 4:
        return
    params = sorted(named)
    last = max(index for index, _, _ in named.values())
    for mask in range(1, 1 << len(params)):
        given = [p for i, p in enumerate(params) if mask >> i & 1]
        if len(given) == len(params):
            continue
        suffix = ",".join(given)
        for count in range(last + 1):
            phases: list[tuple] = []
            for p in params:
                index, phase, made = named[p]
                if p not in given and index >= count and (phase, made, p) not in phases:
                    phases.append((phase, made, p))
            if not phases:
                continue
            for name in fn.names:
                _publish_default(out, name, f"{count}:-{suffix}", phases)


def _publish_default(out: dict, name: str, key: str,
                     phases: Mapping[str, Expr] | Iterable[tuple]) -> None:
    """What a call of ``name`` leaving defaults out gets (``key``: its positional count, and the
    names it gives): the value, and the phase when one default of one phase is left (a connect
    default alone is a connect timeout, not the whole call's). ``phases``: (phase, default) pairs
    (or a phase -> default mapping); two parameters of one phase with other defaults (a Netty
    ``ReadTimeoutHandler(readSeconds)`` and a ``responseTimeout(ofSeconds(responseSeconds))``, both
    read timeouts) are two findings, not the first one's alone; so are two parameters with equal
    defaults (``connectTimeout = 60.seconds, timeout = 60.seconds``): (phase, default, parameter)
    triples tell them apart."""
    items = list(phases.items()) if isinstance(phases, Mapping) else list(phases)
    triples = [(item[0], item[1], item[2] if len(item) > 2 else None) for item in items]
    pairs = [(phase, made) for phase, made, _ in triples]
    if not pairs:
        return
    out.setdefault(f"{name}.{TIMEOUT_OMITTED}:{key}", Num(1))
    distinct: list[tuple[str, Expr]] = []
    seen_keys: list = []
    for phase, made, param in triples:
        # one parameter bounding two phases (`timeout` and `open_timeout = timeout`) counts once
        ident = ("param", param) if param is not None else ("value", made)
        if ident not in seen_keys and (param is not None or all(made != v for _, v in distinct)):
            seen_keys.append(ident)
            distinct.append((phase, made))
    by_phase: dict[str, Expr] = {}
    for phase, made in pairs:
        by_phase.setdefault(phase, made)
    if len(distinct) > 1 and (len(distinct) > 2 or {p for p, _ in distinct} != {"connect", "read"}):
        # defaults of other phases (a total and a connect: `def get(url, timeout: 10, open_timeout: 2)`),
        # or of one phase twice: one value each, the phases named (`resolve_findings` makes one finding of each)
        out.setdefault(f"{name}.{TIMEOUT_DEFAULT}:{key}", Tuple(tuple(made for _, made in distinct)))
        out.setdefault(f"{name}.{TIMEOUT_PHASE}:omitted:{key}", Str(",".join(phase for phase, _ in distinct)))
        return
    out.setdefault(f"{name}.{TIMEOUT_DEFAULT}:{key}", _pair_or_first(by_phase))
    if len(by_phase) == 1 and next(iter(by_phase)) != "total":
        out.setdefault(f"{name}.{TIMEOUT_PHASE}:omitted:{key}", Str(next(iter(by_phase))))


FORWARDER = "$forwarder"


def forwarder_key(fd: Finding) -> str:
    """The symbol that marks a finding as a forwarder of its function's own parameter (published by
    ``publish``; the pipeline then does not report the finding, whatever the language)."""
    return f"{FORWARDER}:{fd.line}:{fd.column}:{fd.kind}"


_FIELD_TEXT = re.compile(r"(?:this|self)\.[A-Za-z_$][\w$]*|@[A-Za-z_]\w*")


def _url_base(expr: Expr | None) -> str | None:
    """The name a URL expression starts with: `url`, `base + "/score"`, f"{base}/score"."""
    while True:
        if isinstance(expr, Ref):
            return expr.name
        if isinstance(expr, Unknown) and _FIELD_TEXT.fullmatch(expr.text):
            return expr.text  # (round 22) a field the extractor could not value: `this.baseUrl`, `self.base_url`
        if isinstance(expr, BinOp) and expr.op == "+":
            expr = expr.left
        elif isinstance(expr, Call) and expr.func == "concat" and expr.args:
            expr = expr.args[0]
        else:
            return None


def _url_params(functions: list[Function], findings: list[Finding]) -> dict[str, Expr]:
    """A helper whose parameter is (the start of) the URL its calls go to publishes it
    (``post_json.$url_param:0``): its callers' proposals take their destination from the argument."""
    out: dict[str, Expr] = {}
    by_line = ByLine(findings)
    for fn in functions:
        if not fn.params or not fn.names:
            continue
        fixed: set[Expr] = set()
        for fd in by_line.within(fn.first_line, fn.last_line):
            if fd.attributes.get("forward"):
                continue
            pending = next((p for p in fd.pending if p.attribute == "url"), None)
            if pending is not None:
                base = _url_base(pending.expr)
                param = fn.param(base or "")
                if param is None and base and any(
                        other is not fn and other.first_line <= fd.line <= other.last_line and base in other.params
                        for other in functions):
                    continue  # (round 22) another (inner) helper's own URL parameter: that helper publishes it
                if param is None:
                    fixed.add(Ref(base) if base else _leftmost(pending.expr))
            else:  # a URL the extractor left unresolved, as written: `url`, `base + "/x"`, f"{base}/x"
                written = _WRITTEN_BASE.match(str(fd.attributes.get("url_expression") or ""))
                param = fn.param(written.group(1)) if written else None
                if param is None and not written and fd.target is not None and fd.target.url:
                    fixed.add(Str(fd.target.url))
            if param is None:
                continue
            for name in fn.names:
                for slot in (fn.params.index(param), param):
                    out.setdefault(f"{name}.{URL_PARAM}:{slot}", Num(1))
        fixed.discard(None)
        if len(fixed) == 1:
            # `def call_ml(path, payload, timeout=...): session.post(settings.ML_URL + path, ...)`: every call of
            # the helper goes where it goes (a call's URL argument, when the helper takes one, still wins)
            for name in fn.names:
                out.setdefault(f"{name}.{URL_FIXED}", next(iter(fixed)))
    return out


def url_publications(functions: list[Function], findings: list[Finding]) -> dict[str, Expr]:
    """``$url_param`` / ``$url_fixed`` of these helpers alone (for an extractor publishing the rest itself)."""
    return _url_params(functions, findings)


def _leftmost(expr: Expr | None) -> Expr | None:
    """The literal a URL expression starts with (`"http://risk:8000" + path`), else None."""
    while isinstance(expr, BinOp) and expr.op == "+" or isinstance(expr, Call) and expr.func == "concat" and expr.args:
        expr = expr.left if isinstance(expr, BinOp) else expr.args[0]
    return expr if isinstance(expr, Str) and "://" in expr.value else None


_URL_LITERAL = re.compile(r'@?"([a-z][a-z0-9+.-]*://[^"$]*)"')


def literal_url_args(written: Iterable[tuple[str | int, str]]) -> dict[str | int, Expr]:
    """The arguments of a helper call written as a URL literal (`: base("http://risk:8080", ...)`, Kotlin's
    `BaseClient("http://risk:8080", ..)`), by position or name, for ``url_pending``: the helper's published
    ``$url_param`` picks the call's destination among them (round 22)."""
    out: dict[str | int, Expr] = {}
    for key, text in written:
        m = _URL_LITERAL.fullmatch(text.strip())
        if m:
            out[key] = Str(m.group(1))
    return out


def url_pending(callee: str, args: Mapping[str | int, Expr] | None) -> tuple[Pending, ...]:
    """The destination of a helper call: the argument at the position (or keyword) the helper
    publishes as its URL parameter."""
    if not args:
        return ()
    picks = tuple(Call("when", (Ref(f"{callee}.{URL_PARAM}:{key}"), value)) for key, value in args.items())
    return (Pending("url", Call("coalesce", picks) if len(picks) > 1 else picks[0], None),)


def _publish_forwards(functions: list[Function], forwards: list[Finding], out: dict[str, Expr]) -> None:
    """A helper handing its own parameter to another helper publishes that parameter in terms of the
    inner helper's publication (evaluated where the outer helper lives, so the inner one is found
    through the outer file's imports); a direct finding of the same parameter wins."""
    by_line = ByLine(forwards)
    for fn in functions:
        if not fn.params or not fn.names:
            continue
        for fd in by_line.within(fn.first_line, fn.last_line):
            callee, key = fd.attributes.get("via"), fd.attributes.get("key")
            value = next((p.expr for p in fd.pending if p.attribute == FORWARD), None)
            if not callee or key is None or value is None:
                continue
            scaled = _scaled_param(value, fn)
            if scaled is not None:
                param, factor = scaled
                inner: Expr = Ref(f"{callee}.{TIMEOUT_PARAM}:{key}")
                made = inner if factor == 1.0 else BinOp("*", Num(factor), inner)
                for name in fn.names:
                    for slot in (fn.params.index(param), param):
                        direct = f"{name}.{TIMEOUT_PARAM}:{slot}" in out
                        out.setdefault(f"{name}.{TIMEOUT_PARAM}:{slot}", made)
                        if not direct:
                            # a direct finding of the parameter (`http.Client{Timeout: requestTimeout}`, total)
                            # keeps its own phase over the inner helper's (a ResponseHeaderTimeout's read)
                            out.setdefault(f"{name}.{TIMEOUT_PHASE}:{slot}", Ref(f"{callee}.{TIMEOUT_PHASE}:{key}"))
                default = _numeric_default(fn, param)
                if default:  # the outer helper's own default, in the inner one's unit
                    _publish_omitted(out, fn, param, TIMEOUT_OMITTED, TIMEOUT_DEFAULT, inner,
                                     BinOp("*", Num(default * factor), inner))
            offset = _param_of(value, fn)
            if offset is not None:
                param, plus = offset
                inner = Ref(f"{callee}.{ATTEMPTS_PARAM}:{key}")
                made = inner if plus == 0 else BinOp("+", Num(plus), inner)
                for name in fn.names:
                    for slot in (fn.params.index(param), param):
                        out.setdefault(f"{name}.{ATTEMPTS_PARAM}:{slot}", made)
                default = _numeric_default(fn, param)
                if default:
                    _publish_omitted(out, fn, param, ATTEMPTS_OMITTED, ATTEMPTS_DEFAULT, inner,
                                     BinOp("-", BinOp("+", Num(default + plus), inner), Num(1)))


def _numeric_default(fn: Function, param: str) -> float | None:
    default = fn.defaults.get(param)
    return float(default) if isinstance(default, (int, float)) and not isinstance(default, bool) else None


def _publish_omitted(out: dict, fn: Function, param: str, omitted: str, given: str, inner: Expr, made: Expr) -> None:
    """A forwarder's defaulted parameter: what a call leaving it out gets through the inner helper
    (held only when the inner helper publishes that parameter)."""
    index = fn.params.index(param)
    for count in range(index + 1):
        for name in fn.names:
            coalesce_omitted_marker(out, f"{name}.{omitted}:{count}", inner)
            coalesce_omitted_marker(out, f"{name}.{given}:{count}", made)


def coalesce_omitted_marker(out: dict, key: str, expr: Expr) -> None:
    """`out[key]` for a `$..._omitted:<k>` / `$..._default:<k>` marker. Several defaulted parameters left out by one call: each keeps its own marker (the first one
    the inner helper publishes answers), so a forwarded parameter the inner helper does not bound
    (a delay next to the retry count) no longer hides the one it does (round 13)."""
    held = out.get(key)
    if held is None:
        out[key] = expr
    elif held != expr:
        out[key] = Call("coalesce", (held, expr))


def phase_item_of_default_pair(default, phase):
    """A (connect, read) pair default (`def request(self, url, timeout=(10, 30))`, Python requests): the
    item of the finding's phase, a number when it is one; any other default as it is (round 13)."""
    if isinstance(default, Tuple) and len(default.items) == 2 and phase in ("connect", "read"):
        item = default.items[0 if phase == "connect" else 1]
        return item.value if isinstance(item, Num) else item
    return default


def _timeout_param(fn: Function, fd: Finding) -> tuple[str, float] | None:
    pending = next((p for p in fd.pending if p.attribute == "timeout_ms"), None)
    param = None
    if pending is not None:
        hit = _param_of(pending.expr, fn)
        if hit is not None and hit[1] == 0:
            param = hit[0]
    if param is None:
        param = fn.param(str(fd.attributes.get("expression") or "").strip())
    if param is None:
        return None
    scale = pending.scale if pending is not None and pending.scale else None
    if scale is None:
        default = phase_item_of_default_pair(fn.defaults.get(param), fd.attributes.get("phase"))
        ms = fd.attributes.get("timeout_ms")
        if isinstance(default, (int, float)) and default and isinstance(ms, (int, float)):
            scale = ms / default
    return (param, float(scale)) if scale else None


def _attempts_param(fn: Function, fd: Finding) -> tuple[str, float] | None:
    pending = next((p for p in fd.pending if p.attribute == "max_attempts"), None)
    hit = _param_of(pending.expr, fn) if pending is not None and pending.scale in (None, 1.0) else None
    if hit is None:
        # a detector that settled the bound from the parameter's default names it as written
        match = _BOUND.match(str(fd.attributes.get("attempts_expression") or ""))
        if match is None or fn.param(match.group(1)) is None:
            return None
        offset = float((match.group(2) or "+0").replace(" ", ""))
        hit = fn.param(match.group(1)), offset
    param, offset = hit
    return (param, 1.0 + offset) if 1.0 + offset > 0 else None


def timeout_proposal(*, path: str, language: str, node, detector: str, callee: str, key: str | int, value: Expr,
                     expression: str, evidence: str = "", confidence: str = "medium",
                     args: Mapping[str | int, Expr] | None = None) -> Finding:
    """A total timeout proposed at a call of a helper (``node``: a tree-sitter node, the call).
    ``value``: the argument as an Expr in its own unit (seconds, ms, a duration already in ms:
    the helper's published scale converts it). ``args``: the call's other arguments that may be
    its destination (position or keyword -> Expr: ``{0: Ref("ML_URL")}``); the one the helper
    publishes as its URL parameter becomes the finding's target."""
    unit = Ref(f"{callee}.{TIMEOUT_PARAM}:{key}")
    phase = Call("coalesce", (Ref(f"{callee}.{TIMEOUT_PHASE}:{key}"), Str("total")))
    return _finding(path, language, node, detector, "timeout", confidence, evidence, {
        "timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": expression, "via": callee},
        (Pending("timeout_ms", BinOp("*", value, unit), 1.0), Pending("phase", phase, None), Pending(KEEP_IF, unit, None),
         *url_pending(callee, args)))


def retry_proposal(*, path: str, language: str, node, detector: str, callee: str, key: str | int, value: Expr,
                   expression: str, evidence: str = "", confidence: str = "medium",
                   args: Mapping[str | int, Expr] | None = None) -> Finding:
    """A retry proposed at a call of a helper whose parameter bounds its attempts: max_attempts =
    the argument + the published (1 + offset) - 1."""
    marker = Ref(f"{callee}.{ATTEMPTS_PARAM}:{key}")
    return _finding(path, language, node, detector, "retry", confidence, evidence, {
        "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
        "expression": expression, "via": callee},
        (Pending("max_attempts", BinOp("-", BinOp("+", value, marker), Num(1)), 1.0), Pending(KEEP_IF, marker, None),
         *url_pending(callee, args)))


def omitted_retry_proposal(*, path: str, language: str, node, detector: str, callee: str, positional: int,
                           keywords: Iterable[str] = (), evidence: str = "",
                           confidence: str = "medium", args: Mapping[str | int, Expr] | None = None) -> Finding | None:
    """A retry proposed at a call of a helper that passes ``positional`` arguments and leaves the
    attempts parameter to its default (``WithAutoRetryAsync(() => Get(url))`` with ``int maxRetries
    = DEFAULT_RETRIES``). None when a keyword argument may be the bound (`maxRetries: 3`): that one
    is a ``retry_proposal`` of its own."""
    if any(_BOUNDISH.search(k) for k in keywords):
        return None
    marker = Ref(f"{callee}.{ATTEMPTS_OMITTED}:{positional}")
    made = Ref(f"{callee}.{ATTEMPTS_DEFAULT}:{positional}")
    return _finding(path, language, node, detector, "retry", confidence, evidence, {
        "max_attempts": None, "backoff": None, "retry_on": None, "mechanism": "call", "library": None,
        "expression": "(default)", "via": callee},
        (Pending("max_attempts", made, 1.0), Pending(KEEP_IF, marker, None), *url_pending(callee, args)))


_BOUNDISH = re.compile(r"retr|attempt|tries|times|count|repeat", re.I)
_TIMEOUTISH = re.compile(r"timeout|deadline|wait|ttl|duration|millis|seconds|_ms$|(?-i:[a-z]Ms)$|^ms$", re.I)  # not params/items


def omitted_timeout_proposal(*, path: str, language: str, node, detector: str, callee: str, positional: int,
                             keywords: Iterable[str] = (), evidence: str = "",
                             confidence: str = "medium", args: Mapping[str | int, Expr] | None = None) -> Finding | None:
    """A total timeout proposed at a call of a helper that passes ``positional`` arguments and
    leaves its timeout parameter to its default (``fetchJson(url)`` with ``timeout = 5000``). None
    when a keyword argument may be the timeout (``timeout: 2``): that one is a ``timeout_proposal``;
    the helper's OTHER defaulted timeout parameters, when it has several (``read_timeout: 5`` given,
    ``connect_timeout`` left out), are asked for by the names given (``_publish_partly_given``)."""
    given = sorted({k for k in keywords if _TIMEOUTISH.search(k)})
    suffix = f":-{','.join(given)}" if given else ""
    marker = Ref(f"{callee}.{TIMEOUT_OMITTED}:{positional}{suffix}")
    made = Ref(f"{callee}.{TIMEOUT_DEFAULT}:{positional}{suffix}")
    return _finding(path, language, node, detector, "timeout", confidence, evidence, {
        "timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": "(default)",
        "via": callee}, (Pending("timeout_ms", made, 1.0), Pending(KEEP_IF, marker, None),
                         Pending("phase", Call("coalesce", (Ref(f"{callee}.{TIMEOUT_PHASE}:omitted:{positional}{suffix}"),
                                                            Str("total"))), None),
                         *url_pending(callee, args)))


def forward_proposal(*, path: str, language: str, node, detector: str, callee: str, key: str | int, value: Expr,
                     expression: str = "") -> Finding:
    """A call of a helper handing it the calling function's own parameter (``value``: the argument in
    terms of that parameter: ``Ref("timeout")``, ``seconds * 1000``, ``retries + 1``). Never
    reported (the pipeline drops it); ``publish`` reads it to publish the calling function's
    parameter for ITS callers (a helper chain)."""
    return _finding(path, language, node, detector, "timeout", "low", "", {
        "timeout_ms": None, "phase": "total", "resolved_from": "unresolved", "expression": expression,
        "via": callee, "key": key, "forward": True},
        (Pending(FORWARD, value, None), Pending(KEEP_IF, Unknown("a forwarder: published for its callers, never reported"), None)))


def _finding(path, language, node, detector, kind, confidence, evidence, attributes, pending) -> Finding:
    start, end = node.start_point, node.end_point
    if not evidence:
        text = node.text.decode("utf-8", "replace") if node.text is not None else ""
        evidence = text.splitlines()[0].strip()[:200] if text else ""
    return Finding(kind=kind, path=path, line=start[0] + 1, column=start[1] + 1, end_line=end[0] + 1,
                   end_column=end[1] + 1, language=language, detector=detector, confidence=confidence,
                   attributes=attributes, evidence=evidence, pending=pending)


# (round 22) a helper whose body mints a fresh ID per attempt (`new_id_per_attempt`): `<name>.$new_id`
NEW_ID = "$new_id"


def new_id_publications(functions: Iterable[Function], findings: Iterable[Finding]) -> dict[str, Expr]:
    """``<name>.$new_id`` for each helper whose range reports a fresh ID minted per attempt (a class whose
    constructor keeps its parameters in fields: the Function spans the class)."""
    fresh = [fd.line for fd in findings if fd.kind == "new_id_per_attempt"]
    out: dict[str, Expr] = {}
    if not fresh:
        return out
    for fn in functions:
        if any(fn.first_line <= line <= fn.last_line for line in fresh):
            for name in fn.names:
                out.setdefault(f"{name}.{NEW_ID}", Num(1))
    return out

